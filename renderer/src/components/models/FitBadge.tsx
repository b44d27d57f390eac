import { useId, useState } from 'react';
import type { FitPlan } from '../../../../app/contract.js';
import { verdictLabel } from './format.js';
import { useT } from '../../i18n/index.js';
import { fitText } from './describe.js';

/** The verdict of a plan as a badge; the plan's explanation on hover, or on click (for touch and keyboards). */
export function FitBadge({ fit }: { fit: FitPlan | null }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!fit) {
    return (
      <span className="fit-badge verdict-none" data-testid="fit-badge" data-verdict="unknown" title={t('models.fit.uncheckedTitle')}>
        {t('models.fit.unchecked')}
      </span>
    );
  }
  return (
    <span className="fit">
      <button
        type="button"
        className={`fit-badge verdict-${fit.verdict}`}
        data-testid="fit-badge"
        data-verdict={fit.verdict}
        title={fitText(t, fit)}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {verdictLabel(fit.verdict)}
      </button>
      {open && (
        <span className="fit-explanation" id={id} data-testid="fit-explanation" role="note">
          {fitText(t, fit)}
        </span>
      )}
    </span>
  );
}
