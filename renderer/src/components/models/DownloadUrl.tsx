import { useState } from 'react';
import { startDownload } from '../../models-state.js';
import { useT } from '../../i18n/index.js';

/** Downloads a GGUF from any address: an https:// URL or hf:Owner/Repo/file.gguf. */
export function DownloadUrl() {
  const t = useT();
  const [uri, setUri] = useState('');
  return (
    <form
      className="download-url"
      aria-label={t('models.url.form')}
      onSubmit={(e) => {
        e.preventDefault();
        const value = uri.trim();
        if (!value) return;
        void startDownload([value]).then(() => setUri(''));
      }}
    >
      <input
        data-testid="download-url"
        aria-label={t('models.url.label')}
        placeholder={t('models.url.placeholder')}
        value={uri}
        onChange={(e) => setUri(e.target.value)}
      />
      <button type="submit" className="button" data-testid="download-url-start" disabled={!uri.trim()}>
        {t('models.download')}
      </button>
    </form>
  );
}
