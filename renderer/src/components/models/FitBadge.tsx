import { useId, useState } from 'react';
import type { FitPlan } from '../../../../app/contract.js';
import { VERDICT_LABEL } from './format.js';

/** The verdict of a plan as a badge; the plan's explanation on hover, or on click (for touch and keyboards). */
export function FitBadge({ fit }: { fit: FitPlan | null }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!fit) {
    return (
      <span className="fit-badge verdict-none" data-testid="fit-badge" data-verdict="unknown" title="This computer's memory could not be checked">
        Not checked
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
        title={fit.explanation}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {VERDICT_LABEL[fit.verdict]}
      </button>
      {open && (
        <span className="fit-explanation" id={id} data-testid="fit-explanation" role="note">
          {fit.explanation}
        </span>
      )}
    </span>
  );
}
