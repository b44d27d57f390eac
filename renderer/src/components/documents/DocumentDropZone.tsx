import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useT } from '../../i18n/index.js';
import { newConversation, reportError } from '../../store.js';
import { attachFiles, ensureDocumentEvents } from '../../documents-state.js';
import '../../documents.css';

interface Props {
  /** The open conversation; null: a drop starts a new conversation for the files. */
  conversationId: string | null;
  /** The model picked for chat (its tokenizer counts the documents). */
  modelPath: string | null;
  children: ReactNode;
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/** Wraps the chat area: files dragged onto it are added to the conversation (uploaded, or by path in the desktop app). */
export function DocumentDropZone({ conversationId, modelPath, children }: Props) {
  const t = useT();
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  const onDrop = async (e: DragEvent<HTMLDivElement>) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth.current = 0;
    setOver(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length === 0) return;
    ensureDocumentEvents();
    const target = conversationId ?? (await newConversation())?.id;
    if (!target) return reportError(new Error(t('documents.noConversation')));
    attachFiles(target, files, modelPath);
  };

  return (
    <div
      className={`document-drop-zone${over ? ' drag-over' : ''}`}
      data-testid="document-drop-zone"
      data-drag-over={over ? 'true' : undefined}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => void onDrop(e)}
    >
      {children}
      {over && (
        <div className="document-drop-overlay" data-testid="document-drop-overlay" aria-hidden="true">
          <div className="document-drop-card">
            <strong>{t('documents.drop')}</strong>
            <span>{t('documents.dropHint')}</span>
          </div>
        </div>
      )}
    </div>
  );
}
