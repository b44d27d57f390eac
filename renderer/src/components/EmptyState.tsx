import type { ReactNode } from 'react';
import { isStreaming, newConversation, useApp } from '../store.js';
import { baseName } from '../format.js';
import { useI18n, rich } from '../i18n/rich.js';
import { focusComposer } from './Composer.js';
import { AttachButton } from './AttachButton.js';

export function EmptyState() {
  const { t, tn } = useI18n();
  const connection = useApp((s) => s.connection.state);
  const info = useApp((s) => s.info);
  const models = useApp((s) => s.models);
  const currentId = useApp((s) => s.currentId);
  const modelPath = useApp((s) => s.modelPath);
  const busy = useApp(isStreaming);
  const usable = models.filter((m) => !m.problem);
  const folder = info?.modelsDir ?? t('app.empty.theModelsFolder');

  let title: string;
  let body: ReactNode;
  if (!info && connection !== 'open') {
    title = t('app.empty.connectingTitle');
    body = <p>{t('app.empty.connectingText')}</p>;
  } else if (usable.length === 0) {
    // Shown until the library has been read (then the first-run screen takes over).
    title = t('app.empty.noModelTitle');
    body = (
      <>
        <p>{rich(t('app.empty.noModelText'), { folder: <code data-testid="models-dir">{folder}</code>, add: <strong>{t('app.add.button')}</strong> })}</p>
        {models.length > 0 && <p>{tn('app.empty.unusableFiles', models.length)}</p>}
      </>
    );
  } else if (!currentId) {
    title = t('app.empty.startTitle');
    body = (
      <>
        <p>{t('app.empty.startText')}</p>
        <button type="button" className="button primary" data-testid="empty-new-conversation" onClick={() => void newConversation().then(focusComposer)}>
          + {t('app.header.newChat')}
        </button>
        <p className="muted">{t('app.empty.orType')}</p>
        <DocumentsHint />
      </>
    );
  } else {
    title = busy ? t('app.empty.sendingTitle') : t('app.empty.askTitle');
    body = (
      <>
        <p>{rich(t('app.empty.askText'), { model: <strong>{baseName(modelPath)}</strong> })}</p>
        <DocumentsHint />
      </>
    );
  }

  return (
    <section className="empty-state" data-testid="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">{title}</h2>
      {body}
    </section>
  );
}

/** Documents can be asked about too: the picker, and a word about dropping files. */
function DocumentsHint() {
  const { t } = useI18n();
  return (
    <div className="empty-documents" data-testid="empty-documents">
      <AttachButton withLabel />
      <p className="muted">{t('documents.emptyHint')}</p>
    </div>
  );
}
