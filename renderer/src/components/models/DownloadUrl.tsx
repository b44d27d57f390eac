import { useState } from 'react';
import { startDownload } from '../../models-state.js';

/** Downloads a GGUF from any address: an https:// URL or hf:Owner/Repo/file.gguf. */
export function DownloadUrl() {
  const [uri, setUri] = useState('');
  return (
    <form
      className="download-url"
      aria-label="Download from an address"
      onSubmit={(e) => {
        e.preventDefault();
        const value = uri.trim();
        if (!value) return;
        void startDownload([value]).then(() => setUri(''));
      }}
    >
      <input
        data-testid="download-url"
        aria-label="Address of a GGUF file"
        placeholder="https://…/model.gguf or hf:Qwen/Qwen2-7B-Instruct-GGUF/qwen2-7b-instruct-q4_k_m.gguf"
        value={uri}
        onChange={(e) => setUri(e.target.value)}
      />
      <button type="submit" className="button" data-testid="download-url-start" disabled={!uri.trim()}>
        Download
      </button>
    </form>
  );
}
