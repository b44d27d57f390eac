import type { ShownMessage } from '../../messages.js';
import { switchBranch } from '../../store.js';
import { useT } from '../../i18n/index.js';
import { ChevronLeft, ChevronRight } from './icons.js';

/** `< 2/3 >`: the other versions of a question, or the other answers to it. */
export function BranchSwitcher({ message: m, disabled }: { message: ShownMessage; disabled: boolean }) {
  const t = useT();
  const count = m.siblingCount ?? 1;
  const ids = m.siblingIds ?? [];
  if (count < 2 || ids.length < 2) return null;
  const index = m.siblingIndex ?? 0;
  const go = (to: number) => {
    const id = ids[to];
    if (id) void switchBranch(m.id, id);
  };
  const what = m.role === 'user' ? t('chat.branch.versions') : t('chat.branch.answers');
  return (
    <span className="branch-switcher" role="group" aria-label={what} data-testid="branch-switcher">
      <button
        type="button"
        className="icon-button small"
        data-testid="branch-prev"
        aria-label={t('chat.branch.prev')}
        title={t('chat.branch.prev')}
        disabled={disabled || index === 0}
        onClick={() => go(index - 1)}
      >
        <ChevronLeft />
      </button>
      <span className="branch-position" data-testid="branch-position" aria-live="polite">
        {index + 1}/{count}
      </span>
      <button
        type="button"
        className="icon-button small"
        data-testid="branch-next"
        aria-label={t('chat.branch.next')}
        title={t('chat.branch.next')}
        disabled={disabled || index >= count - 1}
        onClick={() => go(index + 1)}
      >
        <ChevronRight />
      </button>
    </span>
  );
}
