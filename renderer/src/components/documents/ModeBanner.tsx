import { useEffect, useState } from 'react';
import type { AnswerSources } from '../../../../app/contract.js';
import { formatNumber, useT } from '../../i18n/index.js';
import { contextLabel, ensureDocumentEvents, loadSources, useDocuments, applyLargerContext } from '../../documents-state.js';
import { messageOf } from '../../state.js';
import '../../documents.css';

interface Props {
  conversationId: string;
  /** The last answer of the branch (null when there is none): the banner tells how it used the documents. */
  messageId: string | null;
}

/** Needed tokens the way people read them: "180K" above 10,000, else the number. */
const tokensLabel = (n: number) => (n >= 10_000 ? `${Math.ceil(n / 1024)}K` : formatNumber(n));

export function modeText(t: ReturnType<typeof useT>, s: AnswerSources, documentCount: number): string {
  if (s.mode === 'full') return documentCount > 1 ? t('documents.mode.fullMany', { count: documentCount }) : t('documents.mode.full');
  const one = s.passageCount === 1 ? 'One' : '';
  const vars = { count: s.passageCount, needed: tokensLabel(s.neededTokens), context: contextLabel(s.contextSize), largest: contextLabel(s.largestContext) };
  return t(s.plan === 'larger-context' ? `documents.mode.retrievalLarger${one}` : `documents.mode.retrieval${one}`, vars);
}

/** How the last answer used the documents: full-document or retrieval mode, and a larger context when that would allow full mode. */
export function ModeBanner({ conversationId, messageId }: Props) {
  const t = useT();
  const sources = useDocuments((s) => (messageId ? s.sources[messageId] : undefined));
  const documentCount = useDocuments((s) => s.byConversation[conversationId]?.length ?? 0);
  const [action, setAction] = useState<{ state: 'idle' | 'busy' | 'done' } | { state: 'failed'; reason: string }>({ state: 'idle' });

  useEffect(() => {
    ensureDocumentEvents();
    void loadSources(conversationId);
  }, [conversationId]);
  useEffect(() => setAction({ state: 'idle' }), [messageId]);

  if (!sources) return null;
  const suggested = sources.plan === 'larger-context' ? sources.suggestedContext : null;
  const documents = new Set(sources.citations.map((c) => c.documentId)).size || documentCount;
  const apply = async () => {
    if (!suggested) return;
    setAction({ state: 'busy' });
    try {
      await applyLargerContext(sources.modelPath, suggested);
      setAction({ state: 'done' });
    } catch (error) {
      setAction({ state: 'failed', reason: messageOf(error) });
    }
  };

  return (
    <div className={`mode-banner mode-${sources.mode}`} data-testid="mode-banner" data-mode={sources.mode} data-plan={sources.plan} role="status" title={sources.explanation}>
      <span className="mode-icon" aria-hidden="true">
        {sources.mode === 'full' ? '▤' : '⌕'}
      </span>
      <span className="mode-text" data-testid="mode-text">
        {modeText(t, sources, documents)}
      </span>
      {suggested !== null && action.state !== 'done' && (
        <button type="button" className="document-link-button" data-testid="mode-use-context" disabled={action.state === 'busy'} onClick={() => void apply()}>
          {t('documents.mode.useContext', { size: contextLabel(suggested) })}
        </button>
      )}
      {suggested !== null && action.state === 'done' && (
        <span className="muted" data-testid="mode-context-set">
          {t('documents.mode.contextSet', { size: contextLabel(suggested) })}
        </span>
      )}
      {action.state === 'failed' && (
        <span className="inline-error" role="alert">
          {t('documents.mode.contextFailed', { reason: action.reason })}
        </span>
      )}
    </div>
  );
}
