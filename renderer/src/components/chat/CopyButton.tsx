import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/index.js';
import { copyText } from './clipboard.js';
import { CheckIcon, CopyIcon } from './icons.js';

/** A copy button that says for a moment whether it worked. */
export function CopyButton({ text, testId, label, className }: { text: () => string; testId: string; label: string; className?: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const shown = state === 'copied' ? t('chat.copied') : state === 'failed' ? t('chat.copyFailed') : label;
  return (
    <button
      type="button"
      className={className ?? 'icon-button'}
      data-testid={testId}
      data-state={state}
      aria-label={shown}
      title={shown}
      onClick={() => {
        void copyText(text()).then((ok) => {
          setState(ok ? 'copied' : 'failed');
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setState('idle'), 1500);
        });
      }}
    >
      {state === 'copied' ? <CheckIcon /> : <CopyIcon />}
      {className?.includes('with-label') && <span>{shown}</span>}
    </button>
  );
}
