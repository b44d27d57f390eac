import { useState } from 'react';
import type { CatalogueEntry } from '../../../../app/contract.js';
import { QuantRow } from './QuantRow.js';
import { formatContext, formatParams } from './format.js';
import { useT } from '../../i18n/index.js';
import { rich } from '../../i18n/rich.js';
import { catalogueDescription } from './describe.js';

/** One model of the family: what it is, and its files (the recommended one shown, the rest on demand). */
export function CatalogueCard({ entry }: { entry: CatalogueEntry }) {
  const t = useT();
  const [all, setAll] = useState(false);
  const featured = entry.files.find((f) => f.fileName === entry.recommendedFile) ?? entry.files.find((f) => f.quant === 'q4_k_m') ?? entry.files[0];
  const shown = all ? entry.files : featured ? [featured] : [];
  const moe = entry.architecture === 'qwen2moe';
  const context =
    entry.extendedContext > entry.nativeContext
      ? t('models.catalogue.contextYarn', { native: formatContext(entry.nativeContext), extended: formatContext(entry.extendedContext) })
      : t('models.catalogue.context', { native: formatContext(entry.nativeContext) });

  return (
    <article className="card catalogue-card" data-testid="catalogue-card" data-model-id={entry.id} aria-labelledby={`cat-${entry.id}`}>
      <header className="card-head">
        <h3 id={`cat-${entry.id}`}>{entry.name}</h3>
        <span className="facts">
          {t('models.parameters', { n: formatParams(entry.parameters) })}
          {moe && <span className="tag">{t('models.catalogue.moe', { active: formatParams(entry.activeParameters) })}</span>}
          <span className="dot-sep">·</span>
          {context}
        </span>
      </header>
      <p className="card-text">{catalogueDescription(t, entry)}</p>
      <ul className="quant-list" aria-label={t('models.catalogue.files', { name: entry.name })}>
        {shown.map((f) => (
          <QuantRow key={f.fileName} file={f} recommended={f.fileName === entry.recommendedFile} />
        ))}
      </ul>
      {entry.files.length > 1 && (
        <button type="button" className="link-button" data-testid="catalogue-toggle" aria-expanded={all} onClick={() => setAll((a) => !a)}>
          {all ? t('models.showFewer') : t('models.catalogue.allFiles', { count: entry.files.length })}
        </button>
      )}
      <p className="card-source muted">
        {rich(t('models.catalogue.source'), { repo: <code>{entry.repo}</code> })}
      </p>
    </article>
  );
}
