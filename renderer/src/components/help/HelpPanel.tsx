import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/index.js';
import { setHelpOpen, useSettings } from '../../settings-state.js';
import { comboKeys, isMac, SHORTCUTS } from '../../shortcuts.js';

/** The keyboard shortcuts, in a modal dialog (? or F1 opens it; Esc, the button or a click outside closes it). */
export function HelpPanel() {
  const open = useSettings((s) => s.helpOpen);
  if (!open) return null;
  return <HelpDialog />;
}

function HelpDialog() {
  const t = useT();
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const mac = isMac();

  useEffect(() => {
    // Focus moves into the dialog, and back where it was when the dialog closes.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);

  const close = () => setHelpOpen(false);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={dialog}
        className="modal help-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        aria-describedby="help-intro"
        data-testid="help-panel"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            close();
          } else if (e.key === 'Tab') {
            // Keep the focus inside the dialog.
            const focusable = Array.from(dialog.current?.querySelectorAll<HTMLElement>('button, [href], [tabindex]:not([tabindex="-1"])') ?? []);
            const first = focusable[0];
            const last = focusable[focusable.length - 1];
            if (!first || !last) return;
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first.focus();
            }
          }
        }}
      >
        <div className="modal-head">
          <h2 id="help-title">{t('app.help.title')}</h2>
          <button ref={closeButton} type="button" className="icon-button" data-testid="help-close" aria-label={t('common.close')} title={t('common.close')} onClick={close}>
            ✕
          </button>
        </div>
        <p id="help-intro" className="muted">
          {t(mac ? 'app.help.introMac' : 'app.help.intro')}
        </p>
        <table className="shortcut-table">
          <thead className="visually-hidden">
            <tr>
              <th scope="col">{t('app.help.action')}</th>
              <th scope="col">{t('app.help.keys')}</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.id} data-testid="shortcut" data-shortcut={s.id}>
                <th scope="row">{t(`app.shortcut.${s.id}`)}</th>
                <td>
                  {s.combos.map((combo, i) => (
                    <span key={i} className="combo">
                      {i > 0 && <span className="muted"> {t('app.help.or')} </span>}
                      {comboKeys(combo, mac).map((key, j) => (
                        <kbd key={j}>{key}</kbd>
                      ))}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
