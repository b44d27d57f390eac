import { useRef, useState } from 'react';
import { importConversationFile } from '../../chat-history.js';
import { setPage } from '../../models-state.js';
import { useT } from '../../i18n/index.js';
import { CloseIcon, UploadIcon } from './icons.js';

/** Imports a conversation from a JSON export (a new conversation; a bad file changes nothing). */
export function ImportButton() {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    const problem = await importConversationFile(file);
    setBusy(false);
    if (problem) setError(problem);
    else setPage('chat');
  };

  return (
    <div className="import">
      {error && (
        <div className="import-error" data-testid="import-error" role="alert">
          <span>{t('chat.import.failed', { reason: error })}</span>
          <button type="button" className="icon-button small" aria-label={t('chat.close')} title={t('chat.close')} onClick={() => setError(null)}>
            <CloseIcon />
          </button>
        </div>
      )}
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="import-json-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          void load(file);
        }}
      />
      <button type="button" className="button small ghost import-button" data-testid="import-json" disabled={busy} onClick={() => input.current?.click()}>
        <UploadIcon />
        <span>{busy ? t('chat.import.busy') : t('chat.import.button')}</span>
      </button>
    </div>
  );
}
