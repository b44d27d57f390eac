import { useEffect, useRef, useState } from 'react';
import type { Conversation } from '../../../app/contract.js';
import { deleteConversation, openConversation, renameConversation } from '../store.js';

type Mode = 'view' | 'rename' | 'confirm-delete';

export function ConversationItem({ conversation, current }: { conversation: Conversation; current: boolean }) {
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState(conversation.title);
  const input = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const restoreFocus = useRef(false);
  const title = conversation.title || 'New chat';

  useEffect(() => {
    if (mode === 'rename') input.current?.select();
    // Enter or Escape in the rename field puts focus back on its button, not on the page.
    else if (restoreFocus.current) renameButton.current?.focus();
    restoreFocus.current = false;
  }, [mode]);

  const startRename = () => {
    setDraft(conversation.title);
    setMode('rename');
  };
  const saveRename = () => {
    const next = draft.trim().slice(0, 200);
    setMode('view');
    if (next && next !== conversation.title) void renameConversation(conversation.id, next);
  };

  return (
    <li
      className={`conversation-item${current ? ' current' : ''}`}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      data-current={current ? 'true' : 'false'}
    >
      {mode === 'rename' ? (
        <input
          ref={input}
          className="rename-input"
          data-testid="rename-input"
          aria-label="New name for this chat"
          value={draft}
          maxLength={200}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={saveRename}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' && e.key !== 'Escape') return;
            // No default action: the Enter must not also press the button that gets the focus back.
            e.preventDefault();
            restoreFocus.current = true;
            if (e.key === 'Enter') saveRename();
            if (e.key === 'Escape') setMode('view');
          }}
        />
      ) : (
        <button
          type="button"
          className="conversation-open"
          data-testid="open-conversation"
          aria-current={current ? 'page' : undefined}
          title={title}
          onClick={() => void openConversation(conversation.id)}
        >
          {title}
        </button>
      )}
      {mode === 'view' && (
        <span className="conversation-actions">
          <button
            ref={renameButton}
            type="button"
            className="icon-button"
            data-testid="rename-conversation"
            aria-label={`Rename “${title}”`}
            title="Rename"
            onClick={startRename}
          >
            ✎
          </button>
          <button
            type="button"
            className="icon-button"
            data-testid="delete-conversation"
            aria-label={`Delete “${title}”`}
            title="Delete"
            onClick={() => setMode('confirm-delete')}
          >
            ✕
          </button>
        </span>
      )}
      {mode === 'confirm-delete' && (
        <div className="confirm" role="group" aria-label="Confirm delete">
          <span>Delete this chat?</span>
          <button
            type="button"
            className="button danger small"
            data-testid="confirm-delete"
            autoFocus
            onClick={() => {
              setMode('view');
              void deleteConversation(conversation.id);
            }}
          >
            Delete
          </button>
          <button type="button" className="button small" data-testid="cancel-delete" onClick={() => setMode('view')}>
            Cancel
          </button>
        </div>
      )}
    </li>
  );
}
