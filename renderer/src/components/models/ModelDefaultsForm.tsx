import { useEffect, useState } from 'react';
import { DEFAULT_ANSWER_LIMIT, type FitPlan, type KvCacheType, type LibraryModel, type ModelDefaults, type Sampling } from '../../../../app/contract.js';
import { messageOf } from '../../state.js';
import { planModel, updateModel } from '../../models-state.js';
import { ContextPlan } from './ContextPlan.js';
import { SamplingFields, clampSampling } from './SamplingFields.js';
import { formatContext } from './format.js';
import { useT } from '../../i18n/index.js';
import { formatCount } from '../../format.js';

const DEFAULT_CONTEXT = 4096;
const CONTEXTS = [2048, 4096, 8192, 16384, 32768, 65536, 131072];
const KV_TYPES: KvCacheType[] = ['f16', 'q8_0', 'q4_0'];
/** Answer limits offered besides the default; 0 is no limit (until the context is full). */
const LIMITS = [256, 512, 1024, 4096, 8192, 16384, 0];

/** The largest context offered before a plan says: the family's extended context, guessed from the shape. */
function guessExtended(m: LibraryModel): number {
  const s = m.summary;
  if (!s) return 32768;
  if (s.architecture === 'qwen2moe') return Math.max(65536, s.contextLength);
  return s.embedding === 3584 || s.embedding === 8192 ? Math.max(131072, s.contextLength) : s.contextLength;
}

/** Per-model defaults for every chat with this model, with the fit plan of the chosen context. */
export function ModelDefaultsForm({ model }: { model: LibraryModel }) {
  const t = useT();
  const d = model.defaults;
  const [contextSize, setContext] = useState(d.contextSize ?? DEFAULT_CONTEXT);
  const [kvType, setKv] = useState<KvCacheType>(d.kvType ?? 'f16');
  const [flash, setFlash] = useState(d.flashAttention ?? false);
  const [systemPrompt, setPrompt] = useState(d.systemPrompt ?? '');
  const [sampling, setSampling] = useState<Sampling>(d.sampling ?? {});
  const [plan, setPlan] = useState<FitPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [planning, setPlanning] = useState(false);
  const [saved, setSaved] = useState<'no' | 'saving' | 'yes'>('no');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setPlanning(true);
    const timer = setTimeout(() => {
      planModel(model.id, contextSize, kvType, flash).then(
        (p) => {
          if (!live) return;
          setPlan(p);
          setPlanError(null);
          setPlanning(false);
        },
        (e: unknown) => {
          if (!live) return;
          setPlan(null);
          setPlanError(messageOf(e));
          setPlanning(false);
        },
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [model.id, contextSize, kvType, flash]);

  const extended = plan?.extendedContext ?? guessExtended(model);
  const options = [...new Set([...CONTEXTS.filter((c) => c <= extended), contextSize])].sort((a, b) => a - b);
  const refused = plan?.verdict === 'does-not-fit';
  const touched = () => setSaved('no');

  const save = async () => {
    setSaved('saving');
    const prompt = systemPrompt.trim();
    const defaults: ModelDefaults = { contextSize, kvType, flashAttention: flash, sampling: clampSampling(sampling), ...(prompt ? { systemPrompt: prompt } : {}) };
    const problem = await updateModel(model.id, { defaults });
    setError(problem);
    setSaved(problem ? 'no' : 'yes');
  };

  return (
    <form
      className="defaults"
      data-testid="model-defaults"
      aria-label={t('models.defaults.label', { name: model.name })}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h4>{t('models.defaults.title')}</h4>
      <div className="defaults-row">
        <label className="field">
          <span className="field-label">{t('models.defaults.context')}</span>
          <select data-testid="default-context" value={contextSize} onChange={(e) => (setContext(Number(e.target.value)), touched())}>
            {options.map((c) => (
              <option key={c} value={c}>
                {t('models.defaults.contextOption', { context: formatContext(c) })}
                {c > 32768 ? ' (YaRN)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('models.defaults.kv')}</span>
          <select
            data-testid="default-kv"
            value={kvType}
            onChange={(e) => {
              const next = e.target.value as KvCacheType;
              setKv(next);
              // llama.cpp quantizes the V cache only with flash attention.
              if (next !== 'f16') setFlash(true);
              touched();
            }}
          >
            {KV_TYPES.map((k) => (
              <option key={k} value={k}>
                {t(`models.defaults.kv.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field checkbox">
          <input
            type="checkbox"
            data-testid="default-flash"
            checked={flash}
            disabled={kvType !== 'f16'}
            onChange={(e) => (setFlash(e.target.checked), touched())}
          />
          <span title={kvType !== 'f16' ? t('models.defaults.flashNeeded') : t('models.defaults.flashHint')}>{t('models.defaults.flash')}</span>
        </label>
      </div>
      <ContextPlan plan={plan} error={planError} busy={planning} onUseMax={(n) => (setContext(n), touched())} />
      <label className="field wide">
        <span className="field-label">{t('models.defaults.systemPrompt')}</span>
        <textarea
          data-testid="default-system-prompt"
          rows={2}
          placeholder="You are a helpful assistant."
          value={systemPrompt}
          onChange={(e) => (setPrompt(e.target.value), touched())}
        />
      </label>
      <label className="field" title={t('progress.limit.hint')}>
        <span className="field-label">{t('progress.limit')}</span>
        <select
          data-testid="default-answer-limit"
          value={sampling.maxTokens ?? ''}
          onChange={(e) => {
            const { maxTokens: _old, ...rest } = sampling;
            setSampling(e.target.value === '' ? rest : { ...rest, maxTokens: Number(e.target.value) });
            touched();
          }}
        >
          <option value="">{t('progress.limit.default', { limit: formatCount(DEFAULT_ANSWER_LIMIT) })}</option>
          {[...new Set([...LIMITS, ...(sampling.maxTokens !== undefined ? [sampling.maxTokens] : [])])].map((n) => (
            <option key={n} value={n}>
              {n === 0 ? t('progress.limit.none') : t('progress.limit.option', { limit: formatCount(n) })}
            </option>
          ))}
        </select>
      </label>
      <SamplingFields value={sampling} onChange={(s) => (setSampling(s), touched())} />
      <div className="defaults-actions">
        <button type="submit" className="button primary small" data-testid="defaults-save" disabled={saved !== 'no' || refused}>
          {saved === 'saving' ? t('models.saving') : t('models.defaults.save')}
        </button>
        {saved === 'yes' && (
          <span className="muted" data-testid="defaults-saved" role="status">
            {t('models.saved')}
          </span>
        )}
        {refused && <span className="muted">{t('models.defaults.chooseFitting')}</span>}
        {error && (
          <span className="inline-error" role="alert" data-testid="defaults-error">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
