import { useApp } from '../store.js';
import { useLanguage, useT } from '../i18n/index.js';
import { useModels } from '../models-state.js';
import { useSettings } from '../settings-state.js';
import { Sidebar } from './Sidebar.js';
import { Header } from './Header.js';
import { MessageList } from './MessageList.js';
import { Composer } from './Composer.js';
import { StatusLine } from './StatusLine.js';
import { EmptyState } from './EmptyState.js';
import { ErrorNotes } from './ErrorNotes.js';
import { ModelsPage } from './models/ModelsPage.js';
import { SettingsPage } from './settings/SettingsPage.js';
import { FirstRun } from './first-run/FirstRun.js';
import { HelpPanel } from './help/HelpPanel.js';
import { DocumentDropZone } from './documents/DocumentDropZone.js';
import { DocumentBar } from './documents/DocumentBar.js';
import { ModeBanner } from './documents/ModeBanner.js';
import { CitationPanel } from './documents/CitationPanel.js';
import { SidebarToggle } from './SidebarToggle.js';
import { setSidebarCollapsed, useLayout, watchWindowWidth } from '../layout-state.js';

watchWindowWidth();

/** The id every page gives its <main>: the skip link's target. */
export const MAIN_ID = 'main-content';

function SkipLink() {
  const t = useT();
  return (
    <a
      className="skip-link"
      href={`#${MAIN_ID}`}
      onClick={(e) => {
        // Focus the page's main content without touching the address (it holds the access token).
        e.preventDefault();
        const target = document.querySelector<HTMLElement>('[data-testid="composer-input"]') ?? document.getElementById(MAIN_ID);
        target?.focus();
      }}
    >
      {t('app.skipToMain')}
    </a>
  );
}

export function App() {
  // Every component re-renders in the new language when it changes (none is memoized).
  useLanguage((s) => s.language);
  const t = useT();
  const currentId = useApp((s) => s.currentId);
  const modelPath = useApp((s) => s.modelPath);
  const lastAnswerId = useApp((s) => s.messages.findLast((m) => m.role === 'assistant')?.id ?? null);
  const empty = useApp((s) => s.messages.length === 0 && !s.messagesLoading);
  const noUsableModel = useApp((s) => !s.models.some((m) => !m.problem));
  const libraryLoaded = useSettings((s) => s.libraryLoaded);
  const page = useModels((s) => s.page);
  const collapsed = useLayout((s) => s.sidebarCollapsed);
  const narrow = useLayout((s) => s.narrow);
  const showEmpty = !currentId || empty;
  // A library without a usable model: the first-run screen, unless a conversation with history is open.
  const firstRun = libraryLoaded && noUsableModel && showEmpty;

  let content;
  if (page === 'models') content = <ModelsPage />;
  else if (page === 'settings') content = <SettingsPage />;
  else if (firstRun) {
    content = (
      <main className="main first-run-page" id={MAIN_ID} tabIndex={-1} aria-label={t('app.firstRun.title')}>
        <ErrorNotes />
        <FirstRun />
        <StatusLine />
      </main>
    );
  } else {
    content = (
      <main className="main" id={MAIN_ID} tabIndex={-1} aria-label={t('app.nav.chat')}>
        <Header />
        <ErrorNotes />
        <DocumentDropZone conversationId={currentId} modelPath={modelPath}>
          {currentId && <DocumentBar conversationId={currentId} modelPath={modelPath} />}
          {currentId && <ModeBanner conversationId={currentId} messageId={lastAnswerId} />}
          <div className="conversation">{showEmpty ? <EmptyState /> : <MessageList />}</div>
        </DocumentDropZone>
        <Composer />
        <StatusLine />
      </main>
    );
  }

  return (
    <div className={`app${collapsed ? ' sidebar-collapsed' : ''}${narrow ? ' narrow' : ''}`} data-testid="app" data-sidebar={collapsed ? 'collapsed' : 'open'}>
      <SkipLink />
      <SidebarToggle />
      <Sidebar />
      {/* A narrow window's open sidebar lies over the page: a click beside it closes it. */}
      {narrow && !collapsed && <div className="sidebar-backdrop" data-testid="sidebar-backdrop" aria-hidden="true" onClick={() => setSidebarCollapsed(true)} />}
      {content}
      <CitationPanel />
      <HelpPanel />
    </div>
  );
}
