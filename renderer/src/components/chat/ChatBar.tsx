// The bar above the message box: the context meter, and the open conversation's settings and export.
import { useRef, useState } from 'react';
import { useApp } from '../../store.js';
import { exportConversation } from '../../chat-history.js';
import { useT } from '../../i18n/index.js';
import { ContextMeter } from './ContextMeter.js';
import { ConversationSettingsPanel, type SettingsPanelHandle } from './ConversationSettings.js';
import { DownloadIcon, SettingsIcon } from './icons.js';

export function ChatBar() {
  const t = useT();
  const conversation = useApp((s) => s.conversations.find((c) => c.id === s.currentId) ?? null);
  const [open, setOpen] = useState(false);
  const settingsButton = useRef<HTMLButtonElement>(null);
  const panel = useRef<SettingsPanelHandle>(null);
  const close = () => {
    setOpen(false);
    settingsButton.current?.focus();
  };
  const customised = !!conversation && (!!conversation.settings.systemPrompt || !!conversation.settings.presetId || Object.keys(conversation.settings.sampling ?? {}).length > 0);

  return (
    <div className="chat-bar" role="toolbar" aria-label={t('chat.bar')}>
      <ContextMeter />
      <span className="chat-bar-actions">
        <button
          ref={settingsButton}
          type="button"
          className={`button small ghost${customised ? ' customised' : ''}`}
          data-testid="conversation-settings"
          aria-expanded={open}
          disabled={!conversation}
          onClick={() => (open && panel.current ? panel.current.requestClose() : setOpen(!open))}
          title={t('chat.settings.open')}
        >
          <SettingsIcon />
          <span>{t('chat.settings.button')}</span>
        </button>
        <button
          type="button"
          className="button small ghost"
          data-testid="export-markdown"
          disabled={!conversation}
          title={t('chat.export.markdownHint')}
          onClick={() => conversation && void exportConversation(conversation.id, 'markdown')}
        >
          <DownloadIcon />
          <span>{t('chat.export.markdown')}</span>
        </button>
        <button
          type="button"
          className="button small ghost"
          data-testid="export-json"
          disabled={!conversation}
          title={t('chat.export.jsonHint')}
          onClick={() => conversation && void exportConversation(conversation.id, 'json')}
        >
          <DownloadIcon />
          <span>{t('chat.export.json')}</span>
        </button>
      </span>
      {open && conversation && <ConversationSettingsPanel ref={panel} key={conversation.id} conversation={conversation} onClose={close} />}
    </div>
  );
}
