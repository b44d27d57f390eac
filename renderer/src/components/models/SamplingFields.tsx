import type { Sampling } from '../../../../app/contract.js';
import { useT } from '../../i18n/index.js';

interface Field {
  key: 'temperature' | 'topP' | 'topK' | 'maxTokens';
  min: number;
  max: number;
  step: number;
  /** A number, or a key of the strings for a word. */
  placeholder: string;
}

// Placeholders: the values in Qwen2-Instruct's generation_config.json (what the model was tuned with).
const FIELDS: Field[] = [
  { key: 'temperature', min: 0, max: 2, step: 0.05, placeholder: '0.7' },
  { key: 'topP', min: 0.01, max: 1, step: 0.01, placeholder: '0.8' },
  { key: 'topK', min: 0, max: 1000, step: 1, placeholder: '20' },
];

/** The values brought into their allowed ranges (the field allows typing anything). */
export function clampSampling(value: Sampling): Sampling {
  const out: Sampling = { ...value };
  for (const f of FIELDS) {
    const n = out[f.key];
    if (n !== undefined) out[f.key] = Math.min(f.max, Math.max(f.min, n));
  }
  return out;
}

/** Temperature, top-p, top-k and max tokens; an empty field means the default. */
export function SamplingFields({ value, onChange }: { value: Sampling; onChange(next: Sampling): void }) {
  const t = useT();
  return (
    <div className="sampling-grid">
      {FIELDS.map((f) => (
        <label key={f.key} className="field" title={t(`models.sampling.${f.key}.hint`)}>
          <span className="field-label">{t(`models.sampling.${f.key}`)}</span>
          <input
            type="number"
            data-testid={`default-${f.key}`}
            min={f.min}
            max={f.max}
            step={f.step}
            placeholder={f.placeholder.startsWith('models.') ? t(f.placeholder) : f.placeholder}
            value={value[f.key] ?? ''}
            onChange={(e) => {
              const next = { ...value };
              const n = e.target.value === '' ? NaN : Number(e.target.value);
              if (Number.isFinite(n)) next[f.key] = f.step === 1 ? Math.round(n) : n;
              else delete next[f.key];
              onChange(next);
            }}
          />
        </label>
      ))}
    </div>
  );
}
