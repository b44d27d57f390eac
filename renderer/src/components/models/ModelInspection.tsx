import type { LibraryModel } from '../../../../app/contract.js';
import { formatBytes, formatContext, formatParams } from './format.js';
import { formatNumber, useT } from '../../i18n/index.js';

/** What the GGUF header says about a model, without loading it. */
export function ModelInspection({ model }: { model: LibraryModel }) {
  const t = useT();
  const s = model.summary;
  if (!s) {
    return (
      <p className="muted" data-testid="model-inspection">
        {model.problem ? t('models.inspect.unreadableBecause', { problem: model.problem }) : t('models.inspect.unreadable')}
      </p>
    );
  }
  const moe = s.architecture === 'qwen2moe';
  const rows: Array<[string, string, string]> = [
    ['architecture', t('models.inspect.architecture'), moe ? t('models.inspect.moe') : 'qwen2'],
    [
      'parameters',
      t('models.inspect.parameters'),
      moe ? t('models.inspect.activeParameters', { n: formatParams(s.parameterCount), active: formatParams(s.activeParameterCount) }) : formatParams(s.parameterCount),
    ],
    ['quantisation', t('models.inspect.quantisation'), s.quantisation],
    ['context', t('models.inspect.context'), t('models.tokens', { n: formatContext(s.contextLength) })],
    ['layers', t('models.inspect.layers'), String(s.layers)],
    ['heads', t('models.inspect.heads'), `${s.heads} / ${s.kvHeads}`],
    ['head-size', t('models.inspect.headSize'), String(s.headDim)],
    ['embedding', t('models.inspect.embedding'), String(s.embedding)],
  ];
  if (moe) rows.push(['experts', t('models.inspect.experts'), `${s.experts ?? '?'} (${s.expertsUsed ?? '?'})`]);
  rows.push(['rope-base', t('models.inspect.ropeBase'), s.ropeFreqBase !== null ? formatNumber(s.ropeFreqBase) : t('models.inspect.notSet')]);
  rows.push([
    'rope-scaling',
    t('models.inspect.ropeScaling'),
    s.ropeScaling
      ? `${s.ropeScaling.type}${s.ropeScaling.factor ? ` ×${s.ropeScaling.factor}` : ''}${
          s.ropeScaling.originalContextLength ? ` ${t('models.inspect.ropeFrom', { context: formatContext(s.ropeScaling.originalContextLength) })}` : ''
        }`
      : t('models.inspect.ropeNone'),
  ]);
  rows.push([
    'size',
    t('models.inspect.size'),
    model.parts.length > 1 ? t('models.inspect.sizeParts', { size: formatBytes(s.sizeBytes), parts: model.parts.length }) : formatBytes(s.sizeBytes),
  ]);
  rows.push(['path', t('models.inspect.where'), model.path]);

  return (
    <div className="inspection" data-testid="model-inspection">
      <dl className="facts-grid">
        {rows.map(([key, label, value]) => (
          <div key={key} className="fact" data-testid={`fact-${key}`}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <details className="chat-template" data-testid="chat-template">
        <summary>{t('models.inspect.template')}</summary>
        {s.chatTemplate ? <pre>{s.chatTemplate}</pre> : <p className="muted">{t('models.inspect.noTemplate')}</p>}
      </details>
    </div>
  );
}
