// The stored documents and passages as the contract shows them: a document's info, a passage, and
// a cited passage with its neighbours for the citation side panel.
import type { DocumentRecord, Documents, PassageRecord } from '../../store/index.js';
import type { CitedPassage, DocumentInfo, DocumentKind, PassageView } from './types.js';

export const toInfo = (r: DocumentRecord): DocumentInfo => ({
  id: r.id, conversationId: r.conversationId, name: r.name, kind: r.kind as DocumentKind, mime: r.mime,
  sizeBytes: r.sizeBytes, sha256: r.sha256, chars: r.chars, pageCount: r.pageCount, passageCount: r.passageCount,
  tokenCount: r.tokenCount, tokenModel: r.tokenModel, createdAt: r.createdAt,
});

export const toView = (p: PassageRecord): PassageView => ({
  id: p.id, documentId: p.documentId, documentName: p.documentName, seq: p.seq,
  page: p.page, heading: p.heading, start: p.start, end: p.end, text: p.text,
});

/** The conversation's ready documents. */
export function documentsOf(documents: Documents, conversationId: string): DocumentInfo[] {
  return documents.list(conversationId).map(toInfo);
}

/** A document once it is ready (not while it is indexed or removed), else null. */
export function readyDocument(documents: Documents, documentId: string): DocumentInfo | null {
  const record = documents.get(documentId);
  return record && record.status === 'ready' ? toInfo(record) : null;
}

/** A cited passage with the passages around it, for the citation side panel; null when it is gone. */
export function citedPassage(documents: Documents, id: number): CitedPassage | null {
  const p = documents.passage(id);
  if (!p) return null;
  const before = documents.passageAt(p.documentId, p.seq - 1)?.text;
  const after = documents.passageAt(p.documentId, p.seq + 1)?.text;
  const head = before ? `${before}\n\n` : '';
  const text = `${head}${p.text}${after ? `\n\n${after}` : ''}`;
  return { passage: toView(p), text, highlight: { start: head.length, end: head.length + p.text.length } };
}
