import { useApp } from '../store.js';
import { useT } from '../i18n/index.js';
import { ModelPicker } from './ModelPicker.js';
import { AddModel } from './AddModel.js';
import { isUntitled } from '../format.js';

/** Main's title for a conversation nobody has named yet (shown in the current language instead). */

export function Header() {
  const t = useT();
  const title = useApp((s) => s.conversations.find((c) => c.id === s.currentId)?.title ?? '');
  return (
    <header className="header">
      <h1 className="header-title" data-testid="conversation-title">
        {!title || isUntitled(title) ? t('app.header.newChat') : title}
      </h1>
      <div className="header-models" role="group" aria-label={t('app.header.models')}>
        <ModelPicker />
        <AddModel />
      </div>
    </header>
  );
}
