// An answer's Markdown: GFM (tables, lists, quotes, task lists), code with highlighting and a copy
// button, math with KaTeX. Raw HTML is shown as the text it is, never rendered; links open in the
// system browser; remote images are not loaded (the page may not fetch them) but offered as links.
import { memo, useMemo, useRef, type ComponentProps, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import rehypeHighlight from 'rehype-highlight';
import { useT } from '../../i18n/index.js';
import { CopyButton } from './CopyButton.js';
import { splitStreamingBlocks } from './markdown-blocks.js';
import { normalizeMath } from './math-source.js';
import { MathNode } from './MathNode.js';

const remarkPlugins = [remarkGfm, remarkMath];
const rehypePlugins: ComponentProps<typeof ReactMarkdown>['rehypePlugins'] = [[rehypeHighlight, { detect: false, plainText: ['math'] }]];

function codeChild(node: ReactNode): { className: string; text: string } {
  const child = (Array.isArray(node) ? node[0] : node) as { props?: { className?: string; children?: ReactNode } } | null;
  const inner = child?.props?.children;
  return { className: child?.props?.className ?? '', text: typeof inner === 'string' ? inner : Array.isArray(inner) ? inner.join('') : '' };
}

function languageOf(node: ReactNode): string | null {
  return /language-([\w+#.-]+)/.exec(codeChild(node).className)?.[1] ?? null;
}

/** `$$ … $$` becomes <pre><code class="language-math math-display">: a display formula. */
function Pre({ children }: { children?: ReactNode }) {
  const code = codeChild(children);
  if (/\bmath-display\b/.test(code.className)) return <MathNode tex={code.text} display />;
  return <CodeBlock>{children}</CodeBlock>;
}

function CodeBlock({ children }: { children?: ReactNode }) {
  const t = useT();
  const pre = useRef<HTMLPreElement>(null);
  const language = languageOf(children);
  return (
    <div className="code-block" data-testid="code-block" data-language={language ?? undefined}>
      <div className="code-block-bar">
        <span className="code-language">{language ?? t('chat.code')}</span>
        <CopyButton
          testId="code-copy"
          className="code-copy with-label"
          label={t('chat.copyCode')}
          text={() => pre.current?.textContent?.replace(/\n$/, '') ?? ''}
        />
      </div>
      <pre ref={pre}>{children}</pre>
    </div>
  );
}

function Link({ href, children }: { href?: string; children?: ReactNode }) {
  // react-markdown has already dropped unsafe URLs (javascript: and the like).
  if (!href) return <span>{children}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" title={href}>
      {children}
    </a>
  );
}

function Image({ src, alt }: { src?: string | Blob; alt?: string }) {
  const t = useT();
  const label = t('chat.image', { alt: alt || (typeof src === 'string' ? src : '') });
  if (typeof src !== 'string' || !src) return <span className="md-image">{label}</span>;
  return (
    <a className="md-image" href={src} target="_blank" rel="noopener noreferrer" title={src}>
      {label}
    </a>
  );
}

const components: Components = {
  pre: ({ children }) => <Pre>{children}</Pre>,
  code: ({ className, children }) =>
    className && /\bmath-inline\b/.test(className) ? (
      <MathNode tex={String(children ?? '')} display={false} />
    ) : (
      <code className={className}>{children}</code>
    ),
  a: ({ href, children }) => <Link href={href}>{children}</Link>,
  img: ({ src, alt }) => <Image src={src} alt={alt} />,
  table: ({ children }) => (
    <div className="md-table">
      <table>{children}</table>
    </div>
  ),
};

/** Parsed once per text: a finished message never parses again; a streaming one parses only its last block. */
export const Markdown = memo(function Markdown({ text, streaming, extra }: { text: string; streaming?: boolean; extra?: Components }) {
  const source = useMemo(() => normalizeMath(text), [text]);
  const blocks = useMemo(() => (streaming ? splitStreamingBlocks(source) : null), [source, streaming]);
  const parts = useMemo(() => (extra ? { ...components, ...extra } : components), [extra]);
  return (
    <div className={`markdown${streaming ? ' streaming' : ''}`}>
      {blocks ? (
        <>
          {blocks.done.map((block, i) => (
            <MarkdownBlock key={i} source={block} components={parts} />
          ))}
          <MarkdownBlock source={blocks.tail} components={parts} />
        </>
      ) : (
        <MarkdownBlock source={source} components={parts} />
      )}
      {streaming && <span className="caret" data-testid="caret" aria-hidden="true" />}
    </div>
  );
});

/** One parse; a finished block of a streaming answer keeps its text, so it is not parsed again. */
const MarkdownBlock = memo(function MarkdownBlock({ source, components: parts }: { source: string; components: Components }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={parts}>
      {source}
    </ReactMarkdown>
  );
});
