import { useRef } from 'react';
import { importFiles } from '../../models-state.js';
import { useT } from '../../i18n/index.js';

/** "Import a model…": pick .gguf files; they are added like dropped ones. */
export function ImportButton() {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button primary" data-testid="import-model" onClick={() => input.current?.click()}>
        {t('models.import.button')}
      </button>
      <input
        ref={input}
        type="file"
        accept=".gguf"
        multiple
        hidden
        data-testid="import-file-input"
        aria-label={t('models.import.inputLabel')}
        onChange={(e) => {
          if (e.target.files) importFiles(Array.from(e.target.files));
          e.target.value = '';
        }}
      />
    </>
  );
}
