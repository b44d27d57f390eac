import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { newConversation, useApp } from '../store.js';
import { useSearch } from '../chat-history.js';
import { useT } from '../i18n/index.js';
import { ConversationItem } from './ConversationItem.js';
import { focusComposer } from './Composer.js';
import { PageNav } from './models/PageNav.js';
import { DownloadIndicator } from './models/DownloadIndicator.js';
import { SearchBox, SearchResults } from './chat/Search.js';
import { ImportButton } from './chat/ImportButton.js';
import { setPage } from '../models-state.js';
import { setSidebarCollapsed, useLayout } from '../layout-state.js';

/** A choice in the sidebar that leaves it (a page, a conversation): a drawer over the page closes after it. */
const LEAVES = '[data-testid="open-conversation"], [data-testid^="nav-"], [data-testid="new-conversation"], [data-testid="search-result"]';

export function Sidebar() {
  const t = useT();
  const searching = useSearch((s) => s.query.trim() !== '');
  const collapsed = useLayout((s) => s.sidebarCollapsed);
  const narrow = useLayout((s) => s.narrow);

  return (
    <nav
      className="sidebar"
      id="app-sidebar"
      aria-label={t('chat.sidebar')}
      hidden={collapsed}
      onClick={(e) => {
        if (narrow && (e.target as Element).closest(LEAVES)) setSidebarCollapsed(true);
      }}
      onKeyDown={(e) => {
        if (narrow && e.key === 'Escape' && !e.defaultPrevented) {
          setSidebarCollapsed(true);
          document.querySelector<HTMLElement>('[data-testid="sidebar-toggle"]')?.focus();
        }
      }}
    >
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
          {t('chat.newChat')}
        </button>
        <SearchBox />
      </div>
      {searching ? <SearchResults /> : <ConversationList />}
      <div className="sidebar-bottom">
        <ImportButton />
      </div>
    </nav>
  );
}

/** Every conversation, pinned first; only the rows in view are in the DOM. */
function ConversationList() {
  const t = useT();
  const conversations = useApp((s) => s.conversations);
  const currentId = useApp((s) => s.currentId);
  const box = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => box.current,
    estimateSize: () => 36,
    getItemKey: (i) => conversations[i]?.id ?? i,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();

  if (conversations.length === 0) {
    return (
      <p className="sidebar-empty" data-testid="no-conversations">
        {t('chat.noChats')}
      </p>
    );
  }
  return (
    <div
      ref={box}
      className="conversation-scroll"
      data-testid="conversation-scroll"
      data-count={conversations.length}
      // Opening a conversation from the Models page goes back to the chat.
      onClick={(e) => (e.target as Element).closest('[data-testid="open-conversation"]') && setPage('chat')}
    >
      <div className="conversation-sizer" style={{ height: virtualizer.getTotalSize() }}>
        <ul
          className="conversation-list"
          data-testid="conversation-list"
          aria-label={t('chat.conversations', { count: conversations.length })}
          style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}
        >
          {items.map((item) => {
            const c = conversations[item.index]!;
            return (
              <ConversationItem
                key={item.key}
                ref={virtualizer.measureElement}
                index={item.index}
                conversation={c}
                current={c.id === currentId}
                pinnedEnd={c.pinned && !conversations[item.index + 1]?.pinned}
              />
            );
          })}
        </ul>
      </div>
    </div>
  );
}
