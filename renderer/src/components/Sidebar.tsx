import { newConversation, useApp } from '../store.js';
import { ConversationItem } from './ConversationItem.js';
import { focusComposer } from './Composer.js';
import { PageNav } from './models/PageNav.js';
import { DownloadIndicator } from './models/DownloadIndicator.js';
import { setPage } from '../models-state.js';

export function Sidebar() {
  const conversations = useApp((s) => s.conversations);
  const currentId = useApp((s) => s.currentId);

  return (
    <nav className="sidebar" aria-label="Conversations">
      <div className="sidebar-top">
        <span className="brand">Qwen2 Desk</span>
        <PageNav />
        <DownloadIndicator />
        <button
          type="button"
          className="button primary"
          data-testid="new-conversation"
          onClick={() => {
            setPage('chat');
            void newConversation().then(focusComposer);
          }}
        >
          + New chat
        </button>
      </div>
      {conversations.length === 0 ? (
        <p className="sidebar-empty" data-testid="no-conversations">
          No chats yet.
        </p>
      ) : (
        <ul
          className="conversation-list"
          data-testid="conversation-list"
          // Opening a conversation from the Models page goes back to the chat.
          onClick={(e) => (e.target as Element).closest('[data-testid="open-conversation"]') && setPage('chat')}
        >
          {conversations.map((c) => (
            <ConversationItem key={c.id} conversation={c} current={c.id === currentId} />
          ))}
        </ul>
      )}
    </nav>
  );
}
