// Under an answer that stopped at its answer limit or at a full context: says so, with Continue,
// which writes more of the same answer into the same message.
import { DEFAULT_ANSWER_LIMIT, type Message } from '../../../../app/contract.js';
import { continueAnswer } from '../../store.js';
import { useI18n } from '../../i18n/rich.js';

export function StopNotice({ message: m, disabled }: { message: Message; disabled: boolean }) {
  const { t, num } = useI18n();
  if (m.role !== 'assistant' || m.status !== 'done' || (m.stopReason !== 'limit' && m.stopReason !== 'context-full')) return null;
  const limit = m.sampling?.maxTokens || DEFAULT_ANSWER_LIMIT;
  return (
    <p className="message-note stop-notice" data-testid="stop-notice" data-reason={m.stopReason} role="note">
      <span>{m.stopReason === 'limit' ? t('progress.stop.limit', { limit: num(limit) }) : t('progress.stop.contextFull')}</span>{' '}
      <button
        type="button"
        className="button small"
        data-testid="continue-answer"
        title={t('progress.continueTitle')}
        disabled={disabled}
        onClick={() => void continueAnswer(m.id)}
      >
        {t('progress.continue')}
      </button>
    </p>
  );
}
