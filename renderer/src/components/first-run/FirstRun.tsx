import { useEffect } from 'react';
import { useApp } from '../../store.js';
import { refreshCatalogue, setPage, useModels } from '../../models-state.js';
import { useI18n, rich } from '../../i18n/rich.js';
import { AddModel } from '../AddModel.js';
import { pickForMachine } from '../models/RecommendedCard.js';
import { formatBytes } from '../models/format.js';
import { scrollToTopOfContainer } from '../../scroll.js';

/** Opens the Models page at the recommendation, with the focus on its Download button. */
function toRecommended(): void {
  setPage('models');
  // The recommendation needs the catalogue and this computer's figures: wait for it a while.
  const until = performance.now() + 15_000;
  const go = () => {
    const card = document.querySelector<HTMLElement>('[data-testid="recommended-card"]');
    const button = card?.querySelector<HTMLElement>('[data-testid="catalogue-download"]');
    if (card) scrollToTopOfContainer(card);
    // Focus without the browser's own scrolling, which would move the window too.
    if (button) button.focus({ preventScroll: true });
    else if (performance.now() < until) requestAnimationFrame(go);
  };
  requestAnimationFrame(go);
}

/** For a library with no usable model: what a model is, and the two ways to get one. */
export function FirstRun() {
  const { t, tn } = useI18n();
  const models = useApp((s) => s.models);
  const folder = useApp((s) => s.info?.modelsDir);
  const catalogue = useModels((s) => s.catalogue);
  const pick = catalogue ? pickForMachine(catalogue) : null;

  useEffect(() => {
    if (!useModels.getState().catalogue) void refreshCatalogue();
  }, []);

  return (
    <section className="first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <div className="first-run-column">
        <h2 id="first-run-title">{t('app.firstRun.title')}</h2>
        <p className="first-run-lead">{t('app.firstRun.lead')}</p>
        <div className="first-run-explain">
          <h3>{t('app.firstRun.whatTitle')}</h3>
          <p>{t('app.firstRun.what')}</p>
        </div>
        {models.length > 0 && (
          <p className="first-run-unusable" data-testid="first-run-unusable">
            {tn('app.firstRun.unusable', models.length)}
          </p>
        )}
        <div className="first-run-choices">
          <div className="first-run-choice">
            <h3>{t('app.firstRun.downloadTitle')}</h3>
            <p className="muted" data-testid="first-run-pick">
              {pick
                ? t('app.firstRun.pick', { name: pick.entry.name, quant: pick.file.quant.toUpperCase(), size: formatBytes(pick.file.sizeBytes) })
                : t('app.firstRun.pickUnknown')}
            </p>
            <button type="button" className="button primary" data-testid="first-run-models" onClick={toRecommended}>
              {t('app.firstRun.toModels')}
            </button>
          </div>
          <div className="first-run-choice">
            <h3>{t('app.firstRun.haveTitle')}</h3>
            <p className="muted">{t('app.firstRun.have')}</p>
            <AddModel label={t('app.firstRun.addFile')} />
          </div>
        </div>
        {folder && <p className="muted first-run-folder">{rich(t('app.firstRun.folder'), { folder: <code>{folder}</code> })}</p>}
      </div>
    </section>
  );
}
