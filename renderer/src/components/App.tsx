import { useApp } from '../store.js';
import { Sidebar } from './Sidebar.js';
import { Header } from './Header.js';
import { MessageList } from './MessageList.js';
import { Composer } from './Composer.js';
import { StatusLine } from './StatusLine.js';
import { EmptyState } from './EmptyState.js';
import { ErrorNotes } from './ErrorNotes.js';
import { ModelsPage } from './models/ModelsPage.js';
import { useModels } from '../models-state.js';

export function App() {
  const currentId = useApp((s) => s.currentId);
  const empty = useApp((s) => s.messages.length === 0 && !s.messagesLoading);
  const showEmpty = !currentId || empty;
  const page = useModels((s) => s.page);

  return (
    <div className="app">
      <Sidebar />
      {page === 'models' ? (
        <ModelsPage />
      ) : (
        <div className="main">
          <Header />
          <ErrorNotes />
          <div className="conversation">
            {showEmpty ? <EmptyState /> : <MessageList />}
          </div>
          <Composer />
          <StatusLine />
        </div>
      )}
    </div>
  );
}
