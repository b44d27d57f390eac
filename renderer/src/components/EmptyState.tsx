import type { ReactNode } from 'react';
import { isStreaming, newConversation, useApp } from '../store.js';
import { baseName } from '../format.js';
import { focusComposer } from './Composer.js';

export function EmptyState() {
  const connection = useApp((s) => s.connection.state);
  const info = useApp((s) => s.info);
  const models = useApp((s) => s.models);
  const currentId = useApp((s) => s.currentId);
  const modelPath = useApp((s) => s.modelPath);
  const busy = useApp(isStreaming);
  const usable = models.filter((m) => !m.problem);
  const folder = info?.modelsDir ?? 'the models folder';

  let title: string;
  let body: ReactNode;
  if (!info && connection !== 'open') {
    title = 'Connecting to Qwen2 Desk…';
    body = <p>Waiting for the app to answer.</p>;
  } else if (usable.length === 0) {
    title = 'No model yet';
    body = (
      <>
        <p>
          Put a Qwen2 model file (<code>.gguf</code>) in <code data-testid="models-dir">{folder}</code>, or use{' '}
          <strong>Add a file…</strong> at the top to pick one from anywhere on this computer.
        </p>
        {models.length > 0 && (
          <p>
            {models.length === 1 ? 'One file was found but it cannot be used' : `${models.length} files were found but none can be used`}; the
            model list shows why.
          </p>
        )}
      </>
    );
  } else if (!currentId) {
    title = 'Start a chat';
    body = (
      <>
        <p>Everything runs on this computer; nothing you type leaves it.</p>
        <button type="button" className="button primary" data-testid="empty-new-conversation" onClick={() => void newConversation().then(focusComposer)}>
          + New chat
        </button>
        <p className="muted">Or just type below: a new chat is created for you.</p>
      </>
    );
  } else {
    title = busy ? 'Sending…' : 'Ask anything';
    body = (
      <p>
        Answers are written by <strong>{baseName(modelPath)}</strong> on this computer. Enter sends, Shift+Enter adds a new line.
      </p>
    );
  }

  return (
    <section className="empty-state" data-testid="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">{title}</h2>
      {body}
    </section>
  );
}
