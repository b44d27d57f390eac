import { useEffect, useRef } from 'react';
import type { DocumentInfo } from '../../../../app/contract.js';
import { formatNumber, useT } from '../../i18n/index.js';
import {
  attachFiles, cancelAdding, dismissAdding, ensureDocumentEvents, loadDocuments, removeDocument, useDocuments, type AddingDocument,
} from '../../documents-state.js';
import { useContextSize } from '../../context-size.js';
import '../../documents.css';

interface Props {
  conversationId: string;
  /** The model picked for chat: documents are counted with its tokenizer and measured against its context. */
  modelPath: string | null;
}

const EMPTY: DocumentInfo[] = [];
const KIND_LABEL: Record<DocumentInfo['kind'], string> = {
  pdf: 'PDF', docx: 'DOC', text: 'TXT', markdown: 'MD', html: 'HTML', csv: 'CSV', json: 'JSON', code: 'CODE',
};
const EMPTY_ADDING: AddingDocument[] = [];

/** The documents of the conversation (name, tokens, share of the context, remove) and those being added. */
export function DocumentBar({ conversationId, modelPath }: Props) {
  const t = useT();
  const docs = useDocuments((s) => s.byConversation[conversationId] ?? EMPTY);
  const all = useDocuments((s) => s.adding);
  const adding = all.length === 0 ? EMPTY_ADDING : all.filter((a) => a.conversationId === conversationId);
  const failed = useDocuments((s) => s.countFailed[conversationId]);
  const countError = failed && failed.modelPath === modelPath ? failed.message : null;
  const current = useContextSize(conversationId);

  useEffect(() => {
    ensureDocumentEvents();
    void loadDocuments(conversationId, modelPath);
  }, [conversationId, modelPath]);

  if (docs.length === 0 && adding.length === 0) return null;
  const counted = docs.every((d) => d.tokenCount !== null);
  const total = docs.reduce((sum, d) => sum + (d.tokenCount ?? 0), 0);
  // The context the next answer runs at, from the conversation's and the model's settings as they are
  // now (it follows a change at once); main's figure when the model is not in the list yet.
  const context = current ?? docs[0]?.contextSize ?? null;
  const inProgress = adding.some((a) => a.error === null);

  return (
    <section className="document-bar" data-testid="document-bar" aria-label={t('documents.bar')}>
      <ul className="document-list">
        {docs.map((d) => (
          <DocumentChip key={d.id} doc={d} context={context} modelPath={modelPath} countError={countError} />
        ))}
        {adding.map((a) => (
          <AddingChip key={a.key} entry={a} />
        ))}
      </ul>
      <div className="document-bar-foot">
        {docs.length > 1 && counted && context ? (
          <span className="muted" data-testid="document-total">
            {t('documents.total', { tokens: formatNumber(total), percent: percent(total, context), context: formatNumber(context) })}
          </span>
        ) : null}
        {inProgress && (
          <button type="button" className="document-link-button" data-testid="document-cancel" onClick={() => void cancelAdding(conversationId)}>
            {t('documents.cancel')}
          </button>
        )}
      </div>
    </section>
  );
}

function percent(tokens: number, context: number): string {
  const p = (tokens / context) * 100;
  return formatNumber(p, { maximumFractionDigits: p < 10 ? 1 : 0 });
}

function DocumentChip({ doc, context, modelPath, countError }: { doc: DocumentInfo; context: number | null; modelPath: string | null; countError: string | null }) {
  const t = useT();
  const stale = modelPath !== null && doc.tokenModel !== modelPath;
  const uncounted = doc.tokenCount === null || stale;
  let size: string;
  if (doc.tokenCount === null || stale) size = countError ? t('documents.countFailed', { reason: countError }) : modelPath ? t('documents.counting') : t('documents.notCounted');
  else if (context) {
    size = t('documents.share', { tokens: formatNumber(doc.tokenCount), percent: percent(doc.tokenCount, context), context: formatNumber(context) });
  } else size = t('documents.tokens', { tokens: formatNumber(doc.tokenCount) });
  const counting = uncounted && !countError;
  return (
    <li className="document-chip" data-testid="document-item" data-name={doc.name} data-context={context ?? undefined} data-fits={doc.tokenCount !== null && context ? String(doc.tokenCount <= context) : undefined} data-document-id={doc.id} data-counting={counting ? 'true' : undefined} data-count-failed={uncounted && countError ? 'true' : undefined}>
      <span className={`document-kind kind-${doc.kind}`} aria-hidden="true">
        {KIND_LABEL[doc.kind]}
      </span>
      <span className="document-text">
        <span className="document-name" data-testid="document-name" title={doc.name}>
          {doc.name}
        </span>
        <span className="document-tokens muted" data-testid="document-tokens">
          {size}
          {doc.pageCount ? ` · ${t('documents.pages', { pages: formatNumber(doc.pageCount) })}` : ''}
        </span>
      </span>
      <button
        type="button"
        className="icon-button document-remove"
        data-testid="document-remove"
        aria-label={t('documents.remove', { name: doc.name })}
        title={t('documents.remove', { name: doc.name })}
        onClick={() => void removeDocument(doc)}
      >
        ✕
      </button>
    </li>
  );
}

function phaseText(t: ReturnType<typeof useT>, a: AddingDocument): string {
  const pct = a.total > 0 ? Math.min(100, Math.floor((a.done / a.total) * 100)) : 0;
  switch (a.phase) {
    case 'uploading':
      return t('documents.phase.uploading', { percent: pct });
    case 'reading':
      return t('documents.phase.reading');
    case 'extracting':
      return a.total > 1 ? t('documents.phase.extracting', { done: a.done, total: a.total }) : t('documents.phase.extractingOne');
    case 'indexing':
      return t('documents.phase.indexing', { percent: pct });
    case 'counting':
      return t('documents.phase.counting');
    default:
      return t('documents.phase.waiting');
  }
}

function AddingChip({ entry: a }: { entry: AddingDocument }) {
  const t = useT();
  const failed = a.error !== null;
  const determinate = !failed && a.total > 1 && (a.phase === 'uploading' || a.phase === 'indexing' || a.phase === 'extracting');
  return (
    <li className={`document-chip adding${failed ? ' failed' : ''}`} data-testid="document-adding" data-name={a.name} data-phase={a.phase} data-failed={failed ? 'true' : undefined}>
      <span className="document-text">
        <span className="document-name" title={a.name}>
          {a.name}
        </span>
        {failed ? (
          <span className="inline-error" role="alert" data-testid="document-error">
            {a.error}
          </span>
        ) : (
          <span className="muted" data-testid="document-progress">
            {phaseText(t, a)}
          </span>
        )}
        {determinate && <progress className="document-progress" max={a.total} value={Math.min(a.done, a.total)} />}
      </span>
      {failed && (
        <button type="button" className="icon-button" aria-label={t('documents.dismiss')} title={t('documents.dismiss')} onClick={() => dismissAdding(a.key)}>
          ✕
        </button>
      )}
    </li>
  );
}

/** A button with a file picker, for adding documents without dragging (e.g. next to the composer). */
export function AttachDocumentsButton({ conversationId, modelPath }: { conversationId: string; modelPath: string | null }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="icon-button document-attach" data-testid="document-attach" title={t('documents.attach')} aria-label={t('documents.attach')} onClick={() => input.current?.click()}>
        📎
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="document-attach-input"
        onChange={(e) => {
          if (e.target.files?.length) attachFiles(conversationId, Array.from(e.target.files), modelPath);
          e.target.value = '';
        }}
      />
    </>
  );
}
