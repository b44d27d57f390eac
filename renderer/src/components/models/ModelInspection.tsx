import type { LibraryModel } from '../../../../app/contract.js';
import { formatBytes, formatContext, formatParams } from './format.js';

/** What the GGUF header says about a model, without loading it. */
export function ModelInspection({ model }: { model: LibraryModel }) {
  const s = model.summary;
  if (!s) {
    return (
      <p className="muted" data-testid="model-inspection">
        Nothing can be read from this file{model.problem ? `: ${model.problem}` : '.'}
      </p>
    );
  }
  const moe = s.architecture === 'qwen2moe';
  const rows: Array<[string, string, string]> = [
    ['architecture', 'Architecture', moe ? 'qwen2moe (mixture of experts)' : 'qwen2'],
    ['parameters', 'Parameters', moe ? `${formatParams(s.parameterCount)} (${formatParams(s.activeParameterCount)} active per token)` : formatParams(s.parameterCount)],
    ['quantisation', 'Quantisation', s.quantisation],
    ['context', 'Trained context', `${formatContext(s.contextLength)} tokens`],
    ['layers', 'Layers', String(s.layers)],
    ['heads', 'Attention heads / KV heads', `${s.heads} / ${s.kvHeads}`],
    ['head-size', 'Head size', String(s.headDim)],
    ['embedding', 'Embedding size', String(s.embedding)],
  ];
  if (moe) rows.push(['experts', 'Experts (used per token)', `${s.experts ?? '?'} (${s.expertsUsed ?? '?'})`]);
  rows.push(['rope-base', 'RoPE base', s.ropeFreqBase !== null ? s.ropeFreqBase.toLocaleString('en-US') : 'not set']);
  rows.push([
    'rope-scaling',
    'RoPE scaling',
    s.ropeScaling
      ? `${s.ropeScaling.type}${s.ropeScaling.factor ? ` ×${s.ropeScaling.factor}` : ''}${s.ropeScaling.originalContextLength ? ` (from ${formatContext(s.ropeScaling.originalContextLength)})` : ''}`
      : 'none in the file (YaRN is set per chat above 32K)',
  ]);
  rows.push(['size', 'File size', `${formatBytes(s.sizeBytes)}${model.parts.length > 1 ? ` in ${model.parts.length} parts` : ''}`]);
  rows.push(['path', 'Where', model.path]);

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
        <summary>Chat template</summary>
        {s.chatTemplate ? <pre>{s.chatTemplate}</pre> : <p className="muted">The file has no chat template; Qwen2's ChatML is used.</p>}
      </details>
    </div>
  );
}
