import { useEffect, useState, type FormEvent } from 'react';
import { NIAH_MAX_NEEDLES, NIAH_MAX_SAMPLES, type LibraryModel, type NiahSpec } from '../../../../app/contract.js';
import { estimateRun, startRun, useNiah } from '../../niah-state.js';
import { planModel } from '../../models-state.js';
import { formatNumber, useLanguage, useT } from '../../i18n/index.js';
import { EstimateSummary } from './EstimateSummary.js';
import { FactsEditor } from './FactsEditor.js';
import { defaultForm, depthSteps, lengthsText, lengthsUpTo, problemOf, specOf, type NiahForm as Form } from './spec.js';

/** Tokens kept for the answer when the largest length is worked out from the fit plan alone. */
const ANSWER_ROOM = 40;

/** What to test: lengths, depths, samples, the haystack and the facts; Estimate and Start. */
export function NiahForm({ model, onStarted }: { model: LibraryModel; onStarted(): void }) {
  const t = useT();
  const uiLang = useLanguage((s) => s.language);
  const [form, setForm] = useState<Form>(() => defaultForm(uiLang === 'zh-CN' ? 'zh' : 'en', null));
  // Before an estimate, the fit planner's largest context (less the answer's room) bounds the lengths;
  // the estimate's own figure replaces it.
  const [planned, setPlanned] = useState<number | null>(null);
  // The lengths are filled in once the plan is known; until then an empty field is no problem yet.
  const [ready, setReady] = useState(false);
  const estimate = useNiah((s) => s.estimate);
  const starting = useNiah((s) => s.starting);
  const startError = useNiah((s) => s.startError);
  const running = useNiah((s) => s.runs.some((r) => r.status === 'running'));
  const estimated = estimate?.result?.settings.largestLength ?? null;
  const largest = estimated ?? planned;

  useEffect(() => {
    let live = true;
    // Any context within the model's own: the plan's largest context does not depend on it.
    const context = Math.max(512, Math.min(model.defaults.contextSize ?? 4096, model.summary?.contextLength ?? 4096));
    planModel(model.id, context, model.defaults.kvType ?? 'f16', model.defaults.flashAttention ?? false)
      .then((plan) => {
        if (!live) return;
        const n = Math.min(plan.maxContext, plan.extendedContext) - ANSWER_ROOM;
        setPlanned(n > 0 ? n : null);
        setReady(true);
        setForm((f) => (f.lengths ? f : { ...f, lengths: lengthsText(lengthsUpTo(n)) }));
      })
      .catch(() => {
        if (!live) return;
        setForm((f) => (f.lengths ? f : { ...f, lengths: lengthsText(lengthsUpTo(4096)) }));
        setReady(true);
      });
    return () => {
      live = false;
    };
  }, [model.id]);

  const asked = specOf(form, model.path, estimated);
  const problem = problemOf(asked);
  const spec = problem ? null : (asked as NiahSpec);
  const key = spec ? JSON.stringify(spec) : null;
  const stale = estimate !== null && key !== estimate.key;
  const patch = (p: Partial<Form>) => setForm((f) => ({ ...f, ...p }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (spec && (await startRun(spec))) onStarted();
  };

  return (
    <form className="card niah-form" data-testid="niah-form" onSubmit={(e) => void submit(e)} aria-labelledby="niah-form-title">
      <h2 className="niah-card-title" id="niah-form-title">
        {t('niah.form.title')}
      </h2>
      <p className="card-text">{t('niah.form.intro')}</p>
      <div className="niah-fields">
        <label className="field niah-wide">
          <span className="field-label">{t('niah.form.lengths')}</span>
          <input data-testid="niah-lengths" value={form.lengths} spellCheck={false} onChange={(e) => patch({ lengths: e.target.value })} />
          <span className="niah-hint">
            {largest !== null
              ? t(estimated !== null ? 'niah.form.largest' : 'niah.form.largestPlanned', { n: formatNumber(largest) })
              : t('niah.form.lengthsHint')}{' '}
            {largest !== null && (
              <button type="button" className="link-button" data-testid="niah-lengths-fill" onClick={() => patch({ lengths: lengthsText(lengthsUpTo(largest)) })}>
                {t('niah.form.fillLengths')}
              </button>
            )}
          </span>
        </label>
        <label className="field niah-wide">
          <span className="field-label">{t('niah.form.depths')}</span>
          <input data-testid="niah-depths" value={form.depths} spellCheck={false} onChange={(e) => patch({ depths: e.target.value })} />
          <span className="niah-hint">
            {t('niah.form.depthsHint')}{' '}
            <button type="button" className="link-button" data-testid="niah-depths-reset" onClick={() => patch({ depths: depthSteps(10) })}>
              {t('niah.form.depthsReset')}
            </button>
          </span>
        </label>
        <label className="field">
          <span className="field-label">{t('niah.form.samples')}</span>
          <input
            type="number"
            data-testid="niah-samples"
            min={1}
            max={NIAH_MAX_SAMPLES}
            value={Number.isFinite(form.samples) ? form.samples : ''}
            onChange={(e) => patch({ samples: e.target.valueAsNumber })}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('niah.form.lang')}</span>
          <select data-testid="niah-lang" value={form.lang} onChange={(e) => patch({ lang: e.target.value as Form['lang'] })}>
            <option value="en">{t('niah.form.lang.en')}</option>
            <option value="zh">{t('niah.form.lang.zh')}</option>
          </select>
        </label>
      </div>

      <fieldset className="niah-fieldset">
        <legend className="field-label">{t('niah.form.haystack')}</legend>
        <label className="field checkbox">
          <input type="radio" name="niah-haystack" data-testid="niah-haystack-corpus" checked={form.haystack === 'corpus'} onChange={() => patch({ haystack: 'corpus' })} />
          <span>{t(form.lang === 'zh' ? 'niah.form.corpus.zh' : 'niah.form.corpus.en')}</span>
        </label>
        <label className="field checkbox">
          <input type="radio" name="niah-haystack" data-testid="niah-haystack-file" checked={form.haystack === 'file'} onChange={() => patch({ haystack: 'file' })} />
          <span>{t('niah.form.file')}</span>
        </label>
        {form.haystack === 'file' && (
          <label className="field niah-wide">
            <span className="field-label">{t('niah.form.filePath')}</span>
            <input data-testid="niah-file" value={form.file} placeholder={t('niah.form.filePlaceholder')} spellCheck={false} onChange={(e) => patch({ file: e.target.value })} />
            <span className="niah-hint">{t('niah.form.fileHint')}</span>
          </label>
        )}
      </fieldset>

      <fieldset className="niah-fieldset">
        <legend className="field-label">{t('niah.form.facts')}</legend>
        <div className="niah-fields">
          <label className="field checkbox">
            <input type="radio" name="niah-facts" data-testid="niah-facts-passkey" checked={form.factsMode === 'passkey'} onChange={() => patch({ factsMode: 'passkey' })} />
            <span>{t('niah.form.passkey')}</span>
          </label>
          {form.factsMode === 'passkey' && (
            <label className="field">
              <span className="field-label">{t('niah.form.needles')}</span>
              <select data-testid="niah-needles" value={form.needles} onChange={(e) => patch({ needles: Number(e.target.value) })}>
                {Array.from({ length: NIAH_MAX_NEEDLES }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field checkbox">
            <input type="radio" name="niah-facts" data-testid="niah-facts-own" checked={form.factsMode === 'own'} onChange={() => patch({ factsMode: 'own' })} />
            <span>{t('niah.form.ownFacts')}</span>
          </label>
        </div>
        {form.factsMode === 'passkey' && <p className="niah-hint">{t(form.needles > 1 ? 'niah.form.passkeyManyHint' : 'niah.form.passkeyHint')}</p>}
        {form.factsMode === 'own' && <FactsEditor facts={form.facts} lang={form.lang} onChange={(facts) => patch({ facts })} />}
      </fieldset>

      {problem && ready && (
        <p className="inline-error" role="alert" data-testid="niah-form-problem">
          {t(problem.key, problem.vars)}
        </p>
      )}
      <div className="defaults-actions">
        <button type="button" className="button small" data-testid="niah-estimate" disabled={problem !== null || estimate?.busy === true} onClick={() => spec && void estimateRun(spec)}>
          {estimate?.busy ? t('niah.form.estimating') : t('niah.form.estimate')}
        </button>
        <button type="submit" className="button primary small" data-testid="niah-start" disabled={problem !== null || starting || running} title={running ? t('niah.form.oneAtATime') : undefined}>
          {starting ? t('niah.form.starting') : t('niah.form.start')}
        </button>
        {running && <span className="muted">{t('niah.form.oneAtATime')}</span>}
      </div>
      {startError && (
        <p className="inline-error" role="alert" data-testid="niah-start-error">
          {startError}
        </p>
      )}
      {estimate && <EstimateSummary estimate={estimate} stale={stale} />}
    </form>
  );
}
