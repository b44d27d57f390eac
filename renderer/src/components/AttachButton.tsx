import { useRef } from 'react';
import { t as translate, useT } from '../i18n/index.js';
import { newConversation, reportError, useApp } from '../store.js';
import { attachFiles } from '../documents-state.js';
import { PaperclipIcon } from './layout-icons.js';

/** Adds files to the open conversation (a new one when none is open), the way a drop on the chat does. */
export async function attachToChat(files: File[]): Promise<void> {
  if (files.length === 0) return;
  const { currentId, modelPath } = useApp.getState();
  const target = currentId ?? (await newConversation())?.id;
  if (!target) return reportError(new Error(translate('documents.noConversation')));
  attachFiles(target, files, modelPath);
}

/** A paperclip that opens the file picker; the picked files go to the conversation. */
export function AttachButton({ withLabel = false }: { withLabel?: boolean }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const label = t('documents.attachButton');
  return (
    <>
      <button
        type="button"
        className={withLabel ? 'button attach-button' : 'icon-button attach-button'}
        data-testid={withLabel ? 'empty-attach' : 'attach'}
        aria-label={withLabel ? undefined : label}
        title={t('documents.attachHint')}
        onClick={() => input.current?.click()}
      >
        <PaperclipIcon />
        {withLabel && <span>{label}</span>}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        data-testid={withLabel ? 'empty-attach-input' : 'attach-input'}
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          // Cleared, so that picking the same file again is a change too.
          e.currentTarget.value = '';
          void attachToChat(files);
        }}
      />
    </>
  );
}
