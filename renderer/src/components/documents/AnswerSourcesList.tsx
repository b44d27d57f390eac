// Every passage an answer was given, under the answer: "Sources (4)" opens a list whose entries
// open the citation panel, so the sources can be read even when the answer cites no [n].
import type { Citation } from '../../../../app/contract.js';
import { useT } from '../../i18n/index.js';
import { openCitation, useDocuments } from '../../documents-state.js';
import { citationLabel } from './citations.js';
import '../../documents.css';

const NONE: Citation[] = [];

export function AnswerSourcesList({ messageId }: { messageId: string }) {
  const t = useT();
  const citations = useDocuments((s) => s.sources[messageId]?.citations ?? NONE);
  if (citations.length === 0) return null;
  return (
    <details className="answer-sources" data-testid="answer-sources" data-count={citations.length}>
      <summary data-testid="answer-sources-toggle">{t('documents.sources.summary', { count: citations.length })}</summary>
      <ol className="answer-sources-list">
        {citations.map((c) => (
          <li key={c.n}>
            <button
              type="button"
              className="document-link-button"
              data-testid="answer-source"
              data-n={c.n}
              title={t('documents.citation.open', { n: c.n, label: citationLabel(c) })}
              onClick={() => void openCitation(c)}
            >
              [{c.n}] {citationLabel(c)}
            </button>
          </li>
        ))}
      </ol>
    </details>
  );
}
