import { selectModel, useApp } from '../store.js';
import { formatBytes } from '../format.js';
import { useT } from '../i18n/index.js';

export function ModelPicker() {
  const t = useT();
  const models = useApp((s) => s.models);
  const modelPath = useApp((s) => s.modelPath);
  const selected = models.some((m) => m.path === modelPath && !m.problem) ? modelPath! : '';

  return (
    <label className="model-picker">
      <span className="visually-hidden">{t('app.picker.label')}</span>
      <select
        data-testid="model-select"
        aria-label={t('app.picker.label')}
        value={selected}
        onChange={(e) => selectModel(e.target.value || null)}
      >
        <option value="" disabled>
          {models.length === 0 ? t('app.picker.none') : models.every((m) => m.problem) ? t('app.picker.noUsable') : t('app.picker.choose')}
        </option>
        {models.map((m) => (
          <option
            key={m.path}
            value={m.path}
            disabled={m.problem !== null}
            title={m.problem ?? m.path}
            data-testid="model-option"
          >
            {m.problem
              ? t('app.picker.unusable', { name: m.name, problem: m.problem })
              : t('app.picker.option', { name: m.name, size: formatBytes(m.sizeBytes) })}
          </option>
        ))}
      </select>
    </label>
  );
}
