import { useMemo } from 'react';
import { contextUse } from '../../messages.js';
import { useApp } from '../../store.js';
import { useT } from '../../i18n/index.js';
import { formatCount } from '../../format.js';
import { useDocuments } from '../../documents-state.js';
import { useContextSize } from '../../context-size.js';
import type { DocumentInfo } from '../../../../app/contract.js';

const NO_DOCUMENTS: DocumentInfo[] = [];

/** How full the context was after the newest answer on screen: used / size tokens. */
export function ContextMeter() {
  const t = useT();
  const messages = useApp((s) => s.messages);
  const use = useMemo(() => contextUse(messages), [messages]);
  const loading = useApp((s) => s.engine?.state === 'loading');
  // Before the first answer: the attached documents' exact token counts, against the context the answer will run at.
  const conversationId = useApp((s) => s.currentId);
  const modelPath = useApp((s) => s.modelPath);
  const docs = useDocuments((s) => (conversationId ? s.byConversation[conversationId] : undefined) ?? NO_DOCUMENTS);
  const contextSize = useContextSize(conversationId);
  const counted = docs.length > 0 && docs.every((d) => d.tokenCount !== null && d.tokenModel === modelPath);
  const documentTokens = counted ? docs.reduce((sum, d) => sum + d.tokenCount!, 0) : null;
  if (loading) {
    // A model (and context) is being loaded: the last answer's numbers are of the old one.
    return (
      <span className="context-meter unknown loading" data-testid="context-meter" data-used="" data-size="" data-loading="true" title={t('progress.meterLoadingHint')}>
        {t('progress.meterLoading')}
      </span>
    );
  }
  if (!use && documentTokens !== null && contextSize) {
    const share = Math.min(1, documentTokens / contextSize);
    const label = t('chat.context.documents', { used: formatCount(documentTokens), size: formatCount(contextSize) });
    return (
      <span
        className={`context-meter documents ${share >= 0.9 ? 'full' : share >= 0.7 ? 'high' : 'ok'}`}
        data-testid="context-meter"
        data-used={documentTokens}
        data-size={contextSize}
        data-source="documents"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={contextSize}
        aria-valuenow={documentTokens}
        aria-label={t('chat.context.aria')}
        aria-valuetext={label}
        title={t('chat.context.documentsHint')}
      >
        <span className="context-bar" aria-hidden="true">
          <span className="context-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </span>
        <span className="context-text">{label}</span>
      </span>
    );
  }
  if (!use) {
    return (
      <span className="context-meter unknown" data-testid="context-meter" data-used="" data-size="" title={t('chat.context.unknownHint')}>
        {t('chat.context.unknown')}
      </span>
    );
  }
  const share = Math.min(1, use.used / use.size);
  const level = share >= 0.9 ? 'full' : share >= 0.7 ? 'high' : 'ok';
  const label = t('chat.context.label', { used: formatCount(use.used), size: formatCount(use.size) });
  return (
    <span
      className={`context-meter ${level}`}
      data-testid="context-meter"
      data-used={use.used}
      data-size={use.size}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={use.size}
      aria-valuenow={use.used}
      aria-label={t('chat.context.aria')}
      aria-valuetext={label}
      title={t('chat.context.hint')}
    >
      <span className="context-bar" aria-hidden="true">
        <span className="context-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </span>
      <span className="context-text">{label}</span>
    </span>
  );
}
