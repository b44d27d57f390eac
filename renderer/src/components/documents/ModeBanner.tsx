import { useEffect, useState } from 'react';
import type { AnswerSources } from '../../../../app/contract.js';
import { useT } from '../../i18n/index.js';
import { ensureDocumentEvents, loadSources, useDocuments, applyLargerContext } from '../../documents-state.js';
import { formatCount } from '../../format.js';
import { useApp } from '../../store.js';
import { messageOf } from '../../state.js';
import '../../documents.css';

interface Props {
  conversationId: string;
  /** The last answer of the branch (null when there is none): the banner tells how it used the documents. */
  messageId: string | null;
}

/**
 * Token counts and context sizes as exact numbers with the language's grouping (formatCount), the
 * same way the context meter and the document chips show them: "needs 184,320" next to a meter's
 * "/ 32,768 tokens", never "180K" against "32,768".
 */
export function modeText(t: ReturnType<typeof useT>, s: AnswerSources, documentCount: number, contextSize = s.contextSize): string {
  if (s.mode === 'full') return documentCount > 1 ? t('documents.mode.fullMany', { count: documentCount }) : t('documents.mode.full');
  const one = s.passageCount === 1 ? 'One' : '';
  const vars = { count: s.passageCount, needed: formatCount(s.neededTokens), context: formatCount(contextSize), largest: formatCount(s.largestContext) };
  return t(s.plan === 'larger-context' ? `documents.mode.retrievalLarger${one}` : `documents.mode.retrieval${one}`, vars);
}

/** How the last answer used the documents: full-document or retrieval mode, and a larger context when that would allow full mode. */
export function ModeBanner({ conversationId, messageId }: Props) {
  const t = useT();
  const sources = useDocuments((s) => (messageId ? s.sources[messageId] : undefined));
  const documentCount = useDocuments((s) => s.byConversation[conversationId]?.length ?? 0);
  // The context the answer ran at as its stats say (the meter's source), else as its plan said.
  const ranAt = useApp((s) => (messageId ? s.messages.find((m) => m.id === messageId)?.stats?.contextSize : null) ?? null);
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
        {modeText(t, sources, documents, ranAt ?? sources.contextSize)}
      </span>
      {suggested !== null && action.state !== 'done' && (
        <button type="button" className="document-link-button" data-testid="mode-use-context" disabled={action.state === 'busy'} onClick={() => void apply()}>
          {t('documents.mode.useContext', { size: formatCount(suggested) })}
        </button>
      )}
      {suggested !== null && action.state === 'done' && (
        <span className="muted" data-testid="mode-context-set">
          {t('documents.mode.contextSet', { size: formatCount(suggested) })}
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
