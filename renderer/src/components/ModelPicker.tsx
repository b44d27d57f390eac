import { selectModel, useApp } from '../store.js';
import { formatBytes } from '../format.js';

export function ModelPicker() {
  const models = useApp((s) => s.models);
  const modelPath = useApp((s) => s.modelPath);
  const selected = models.some((m) => m.path === modelPath && !m.problem) ? modelPath! : '';

  return (
    <label className="model-picker">
      <span className="visually-hidden">Model</span>
      <select
        data-testid="model-select"
        aria-label="Model"
        value={selected}
        onChange={(e) => selectModel(e.target.value || null)}
      >
        <option value="" disabled>
          {models.length === 0 ? 'No model files found' : models.every((m) => m.problem) ? 'No usable model file' : 'Choose a model…'}
        </option>
        {models.map((m) => (
          <option
            key={m.path}
            value={m.path}
            disabled={m.problem !== null}
            title={m.problem ?? m.path}
            data-testid="model-option"
          >
            {m.problem ? `${m.name} — unusable: ${m.problem}` : `${m.name} (${formatBytes(m.sizeBytes)})`}
          </option>
        ))}
      </select>
    </label>
  );
}
