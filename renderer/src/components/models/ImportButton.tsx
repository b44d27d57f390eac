import { useRef } from 'react';
import { importFiles } from '../../models-state.js';

/** "Import a model…": pick .gguf files; they are added like dropped ones. */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button primary" data-testid="import-model" onClick={() => input.current?.click()}>
        Import a model…
      </button>
      <input
        ref={input}
        type="file"
        accept=".gguf"
        multiple
        hidden
        data-testid="import-file-input"
        aria-label="GGUF model files to import"
        onChange={(e) => {
          if (e.target.files) importFiles(Array.from(e.target.files));
          e.target.value = '';
        }}
      />
    </>
  );
}
