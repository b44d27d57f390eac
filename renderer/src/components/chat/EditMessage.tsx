import { useEffect, useRef, useState } from 'react';
import { editMessage } from '../../store.js';
import { useT } from '../../i18n/index.js';

/** Editing a question: sending it makes a new branch next to the old one (both are kept). */
export function EditMessage({ id, text, onDone }: { id: string; text: string; onDone: () => void }) {
  const t = useT();
  const [draft, setDraft] = useState(text);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const changed = draft.trim() !== '' && draft !== text;
  const submit = async () => {
    if (!changed || busy) return;
    setBusy(true);
    const ok = await editMessage(id, draft);
    setBusy(false);
    if (ok) onDone();
  };
  return (
    <form
      className="edit-message"
      aria-label={t('chat.edit.label')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={input}
        data-testid="edit-input"
        aria-label={t('chat.edit.input')}
        value={draft}
        rows={Math.min(12, Math.max(3, draft.split('\n').length + 1))}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onDone();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      <p className="edit-hint muted">{t('chat.edit.hint')}</p>
      <div className="edit-actions">
        <button type="button" className="button small" data-testid="edit-cancel" onClick={onDone}>
          {t('chat.cancel')}
        </button>
        <button type="submit" className="button primary small" data-testid="edit-submit" disabled={!changed || busy}>
          {t('chat.edit.submit')}
        </button>
      </div>
    </form>
  );
}
