import { useApp } from '../store.js';
import { ModelPicker } from './ModelPicker.js';
import { AddModel } from './AddModel.js';

export function Header() {
  const title = useApp((s) => s.conversations.find((c) => c.id === s.currentId)?.title ?? '');
  return (
    <header className="header">
      <h1 className="header-title" data-testid="conversation-title">
        {title || 'New chat'}
      </h1>
      <div className="header-models">
        <ModelPicker />
        <AddModel />
      </div>
    </header>
  );
}
