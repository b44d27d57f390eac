import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/index.js';
import { closeCitation, useDocuments } from '../../documents-state.js';
import { citationLabel } from './citations.js';
import '../../documents.css';

/** The side panel of an opened source [n]: its document, page and heading, and the cited text highlighted among its neighbours. */
export function CitationPanel() {
  const t = useT();
  const panel = useDocuments((s) => s.panel);
  const mark = useRef<HTMLElement>(null);

  useEffect(() => {
    mark.current?.scrollIntoView({ block: 'center' });
  }, [panel?.passage]);
  useEffect(() => {
    if (!panel) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeCitation();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panel]);

  if (!panel) return null;
  const { citation, passage, error } = panel;
  const view = passage?.passage;
  return (
    <aside className="citation-panel" data-testid="citation-panel" data-n={citation.n} aria-label={t('documents.panel.title', { n: citation.n })}>
      <header className="citation-panel-head">
        <div>
          <div className="citation-panel-title">{t('documents.panel.title', { n: citation.n })}</div>
          <div className="citation-panel-source" data-testid="citation-source">
            {citationLabel(view ? { ...citation, page: view.page, heading: view.heading, documentName: view.documentName } : citation)}
          </div>
        </div>
        <button type="button" className="icon-button" data-testid="citation-close" aria-label={t('documents.panel.close')} title={t('documents.panel.close')} onClick={closeCitation}>
          ✕
        </button>
      </header>
      <div className="citation-panel-body">
        {error ? (
          <p className="inline-error" role="alert" data-testid="citation-error">
            {/not_found|no longer/i.test(error) ? t('documents.panel.gone') : error}
          </p>
        ) : !passage ? (
          <p className="muted">{t('documents.panel.loading')}</p>
        ) : (
          <p className="citation-text" data-testid="citation-text">
            {passage.text.slice(0, passage.highlight.start)}
            <mark ref={mark} data-testid="citation-highlight">
              {passage.text.slice(passage.highlight.start, passage.highlight.end)}
            </mark>
            {passage.text.slice(passage.highlight.end)}
          </p>
        )}
      </div>
    </aside>
  );
}
