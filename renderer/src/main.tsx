import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import './sidebar.css';
import './chat.css';
import './footer.css';
import { createConnection, MissingTokenError } from './api.js';
import { init } from './store.js';
import { App } from './components/App.js';
import { Fatal } from './components/Fatal.js';

const root = createRoot(document.getElementById('root')!);

try {
  init(createConnection());
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} catch (error) {
  const text = error instanceof Error ? error.message : String(error);
  const title = error instanceof MissingTokenError ? 'No access token in this address' : 'Qwen2 Desk could not start';
  root.render(<Fatal title={title} text={text} />);
}
