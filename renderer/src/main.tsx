import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import './sidebar.css';
import './chat.css';
import './footer.css';
import './settings.css';
import { createConnection, MissingTokenError } from './api.js';
import { init } from './store.js';
import { t } from './i18n/index.js';
import { startSettings } from './settings-state.js';
import { installShortcuts } from './shortcuts.js';
import { App } from './components/App.js';
import { Fatal } from './components/Fatal.js';

const root = createRoot(document.getElementById('root')!);

// Language and theme first (remembered from the last run, then from settings.get), so that the
// first paint is already in the right language and colours.
startSettings();

try {
  init(createConnection());
  installShortcuts();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} catch (error) {
  if (error instanceof MissingTokenError) {
    root.render(<Fatal title={t('app.fatal.noTokenTitle')} text={t('app.fatal.noTokenText')} />);
  } else {
    root.render(<Fatal title={t('app.fatal.startTitle')} text={error instanceof Error ? error.message : String(error)} />);
  }
}
