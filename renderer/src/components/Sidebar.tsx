import { newConversation, useApp } from '../store.js';
import { ConversationItem } from './ConversationItem.js';
import { focusComposer } from './Composer.js';

export function Sidebar() {
  const conversations = useApp((s) => s.conversations);
  const currentId = useApp((s) => s.currentId);

  return (
    <nav className="sidebar" aria-label="Conversations">
      <div className="sidebar-top">
        <span className="brand">Qwen2 Desk</span>
        <button
          type="button"
          className="button primary"
          data-testid="new-conversation"
          onClick={() => void newConversation().then(focusComposer)}
        >
          + New chat
        </button>
      </div>
      {conversations.length === 0 ? (
        <p className="sidebar-empty" data-testid="no-conversations">
          No chats yet.
        </p>
      ) : (
        <ul className="conversation-list" data-testid="conversation-list">
          {conversations.map((c) => (
            <ConversationItem key={c.id} conversation={c} current={c.id === currentId} />
          ))}
        </ul>
      )}
    </nav>
  );
}
