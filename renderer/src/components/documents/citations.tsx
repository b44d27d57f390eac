// Source numbers in an answer ([3], [1, 2], [1][2], [2-4], and the full-width 【1】 ［1］ of Chinese
// answers) become links that open the citation side panel. Numbers the answer's prompt did not have
// stay plain text.
import { Children, cloneElement, isValidElement, useMemo, type ReactElement, type ReactNode } from 'react';
import type { Components } from 'react-markdown';
import type { Citation } from '../../../../app/contract.js';
import { t as translate } from '../../i18n/index.js';
import { openCitation, useDocuments } from '../../documents-state.js';
import { citationSegments } from './citation-parse.js';
import '../../documents.css';

const NONE: Citation[] = [];

export function citationLabel(c: Citation): string {
  const page = c.page !== null ? `, ${translate('documents.panel.page', { page: c.page })}` : '';
  return `${c.documentName}${page}${c.heading ? ` — ${c.heading}` : ''}`;
}

/**
 * Splits `text` at its source groups: each number with a citation becomes a button that calls
 * onOpen(citation); everything else stays text.
 */
export function renderCitations(text: string, citations: readonly Citation[], onOpen: (c: Citation) => void): ReactNode[] {
  return citationSegments(text, citations).map((part, i) =>
    typeof part === 'string' ? (
      part
    ) : (
      <button
        key={`${i}-${part.n}`}
        type="button"
        className="citation-link"
        data-testid="citation-link"
        data-n={part.n}
        title={translate('documents.citation.open', { n: part.n, label: citationLabel(part) })}
        onClick={() => onOpen(part)}
      >
        [{part.n}]
      </button>
    ),
  );
}

/** renderCitations over React children: strings are linked, elements are walked into (code is left alone). */
export function withCitations(children: ReactNode, citations: readonly Citation[], onOpen: (c: Citation) => void): ReactNode {
  if (citations.length === 0) return children;
  return Children.map(children, (child) => {
    if (typeof child === 'string') return renderCitations(child, citations, onOpen);
    if (isValidElement(child) && child.type !== 'code' && child.type !== 'pre') {
      const element = child as ReactElement<{ children?: ReactNode }>;
      if (element.props.children === undefined) return child;
      return cloneElement(element, undefined, withCitations(element.props.children, citations, onOpen));
    }
    return child;
  });
}

type Tag = 'p' | 'li' | 'td' | 'th' | 'blockquote' | 'h1' | 'h2' | 'h3' | 'h4' | 'strong' | 'em';
const TAGS: Tag[] = ['p', 'li', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'strong', 'em'];

/**
 * Overrides for react-markdown's `components` that link the sources in paragraphs, list items,
 * table cells and headings: `components={{ ...own, ...citationComponents(citations, onOpen) }}`.
 */
export function citationComponents(citations: readonly Citation[], onOpen: (c: Citation) => void): Components {
  const components: Partial<Record<Tag, (props: { children?: ReactNode; node?: unknown }) => ReactNode>> = {};
  if (citations.length === 0) return components;
  for (const Tag of TAGS) {
    components[Tag] = ({ children, node: _node, ...rest }) => <Tag {...rest}>{withCitations(children, citations, onOpen)}</Tag>;
  }
  return components;
}

/** The citations of an answer ([] when it used no documents) and the handler that opens the side panel. */
export function useCitations(messageId: string): { citations: Citation[]; open: (c: Citation) => void } {
  const citations = useDocuments((s) => s.sources[messageId]?.citations ?? NONE);
  return { citations, open: (c) => void openCitation(c) };
}

/**
 * For an answer's Markdown: the components that link its sources, or undefined when the answer used
 * no documents (so the Markdown keeps its own components). Stable while the citations are the same.
 */
export function useCitationComponents(messageId: string): Components | undefined {
  const citations = useDocuments((s) => s.sources[messageId]?.citations ?? NONE);
  return useMemo(() => (citations.length === 0 ? undefined : citationComponents(citations, (c) => void openCitation(c))), [citations]);
}
