import { NIAH_MAX_NEEDLES, type NiahLanguage } from '../../../../app/contract.js';
import { useT } from '../../i18n/index.js';
import { KEY, starterFact, type OwnFact } from './spec.js';

/** Facts of one's own (one to five): the sentence put in the document, its question, and its answer. */
export function FactsEditor({ facts, lang, onChange }: { facts: OwnFact[]; lang: NiahLanguage; onChange(facts: OwnFact[]): void }) {
  const t = useT();
  const edit = (i: number, patch: Partial<OwnFact>) => onChange(facts.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <div className="niah-facts" data-testid="niah-facts-editor">
      <p className="niah-hint">{t('niah.facts.hint', { key: KEY })}</p>
      {facts.map((f, i) => (
        <div className="niah-fact" key={i} data-testid="niah-fact">
          <span className="niah-fact-n">{i + 1}</span>
          <label className="field">
            <span className="field-label">{t('niah.facts.text')}</span>
            <input data-testid="niah-fact-text" value={f.text} onChange={(e) => edit(i, { text: e.target.value })} />
          </label>
          <label className="field">
            <span className="field-label">{t('niah.facts.question')}</span>
            <input data-testid="niah-fact-question" value={f.question} onChange={(e) => edit(i, { question: e.target.value })} />
          </label>
          <label className="field niah-fact-answer">
            <span className="field-label">{t('niah.facts.answer')}</span>
            <input data-testid="niah-fact-answer" value={f.answer} placeholder={t('niah.facts.answerPlaceholder', { key: KEY })} onChange={(e) => edit(i, { answer: e.target.value })} />
          </label>
          {facts.length > 1 && (
            <button type="button" className="button small" data-testid="niah-fact-remove" aria-label={t('niah.facts.removeLabel', { n: i + 1 })} onClick={() => onChange(facts.filter((_, j) => j !== i))}>
              {t('niah.facts.remove')}
            </button>
          )}
        </div>
      ))}
      {facts.length < NIAH_MAX_NEEDLES && (
        <button type="button" className="link-button" data-testid="niah-fact-add" onClick={() => onChange([...facts, starterFact(lang, facts.length)])}>
          {t('niah.facts.add')}
        </button>
      )}
    </div>
  );
}
