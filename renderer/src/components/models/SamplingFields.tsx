import type { Sampling } from '../../../../app/contract.js';

interface Field {
  key: 'temperature' | 'topP' | 'topK' | 'maxTokens';
  label: string;
  min: number;
  max: number;
  step: number;
  placeholder: string;
  hint: string;
}

// Placeholders: the values in Qwen2-Instruct's generation_config.json (what the model was tuned with).
const FIELDS: Field[] = [
  { key: 'temperature', label: 'Temperature', min: 0, max: 2, step: 0.05, placeholder: '0.7', hint: 'Higher is more varied, lower more predictable.' },
  { key: 'topP', label: 'Top-p', min: 0.01, max: 1, step: 0.01, placeholder: '0.8', hint: 'Only the most likely words that add up to this share.' },
  { key: 'topK', label: 'Top-k', min: 0, max: 1000, step: 1, placeholder: '20', hint: 'Only this many most likely words (0: no limit).' },
  { key: 'maxTokens', label: 'Max tokens', min: 1, max: 131072, step: 1, placeholder: 'no limit', hint: 'The longest answer, in tokens.' },
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
  return (
    <div className="sampling-grid">
      {FIELDS.map((f) => (
        <label key={f.key} className="field" title={f.hint}>
          <span className="field-label">{f.label}</span>
          <input
            type="number"
            data-testid={`default-${f.key}`}
            min={f.min}
            max={f.max}
            step={f.step}
            placeholder={f.placeholder}
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
