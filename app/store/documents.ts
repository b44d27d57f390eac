// Documents attached to conversations, their passages, and the full-text index over the passages
// (passages_fts, kept in step by triggers). A document is written as 'indexing' and becomes
// visible only once 'ready'; one being removed is 'deleting'. Both are cleaned up after a crash.
import type { Database } from 'better-sqlite3';
import type { DocumentInfo } from '../contract.js';

export type DocumentStatus = 'indexing' | 'ready' | 'deleting';

/** A document's row: what documents.list shows (with its kind as stored), and whether it is ready. */
export interface DocumentRecord extends Omit<DocumentInfo, 'kind' | 'contextSize'> {
  kind: string;
  status: DocumentStatus;
}

/** A document as written (status 'indexing'; counts and tokens come later), with its text. */
export type NewDocument = Pick<DocumentRecord, 'id' | 'conversationId' | 'name' | 'kind' | 'mime' | 'sizeBytes' | 'sha256' | 'pageCount' | 'createdAt'> & { text: string };

export interface NewPassage {
  seq: number;
  start: number;
  end: number;
  page: number | null;
  heading: string | null;
  text: string;
}

export interface PassageRecord extends NewPassage {
  id: number;
  documentId: string;
  documentName: string;
}

interface DocumentRow {
  id: string;
  conversation_id: string;
  name: string;
  kind: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  chars: number;
  page_count: number | null;
  passage_count: number;
  token_count: number | null;
  token_model: string | null;
  status: DocumentStatus;
  created_at: number;
}

interface PassageRow {
  id: number;
  document_id: string;
  document_name: string;
  seq: number;
  start_char: number;
  end_char: number;
  page: number | null;
  heading: string | null;
  text: string;
}

const toDocument = (r: DocumentRow): DocumentRecord => ({
  id: r.id,
  conversationId: r.conversation_id,
  name: r.name,
  kind: r.kind,
  mime: r.mime,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  chars: r.chars,
  pageCount: r.page_count,
  passageCount: r.passage_count,
  tokenCount: r.token_count,
  tokenModel: r.token_model,
  status: r.status,
  createdAt: r.created_at,
});

const toPassage = (r: PassageRow): PassageRecord => ({
  id: r.id,
  documentId: r.document_id,
  documentName: r.document_name,
  seq: r.seq,
  start: r.start_char,
  end: r.end_char,
  page: r.page,
  heading: r.heading,
  text: r.text,
});

const DOCUMENT_COLUMNS = `d.id, d.conversation_id, d.name, d.kind, d.mime, d.size_bytes, d.sha256, d.chars,
  d.page_count, (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS passage_count,
  d.token_count, d.token_model, d.status, d.created_at`;
const PASSAGE_COLUMNS = 'p.id, p.document_id, d.name AS document_name, p.seq, p.start_char, p.end_char, p.page, p.heading, p.text';
const IN_CONVERSATION = `JOIN documents d ON d.id = p.document_id WHERE d.conversation_id = @conversationId AND d.status = 'ready'`;

export type Documents = ReturnType<typeof createDocuments>;

export function createDocuments(db: Database) {
  const q = {
    insert: db.prepare(
      `INSERT INTO documents (id, conversation_id, name, kind, mime, size_bytes, sha256, text, chars, page_count, status, created_at)
       VALUES (@id, @conversationId, @name, @kind, @mime, @sizeBytes, @sha256, @text, @chars, @pageCount, 'indexing', @createdAt)`,
    ),
    insertPassage: db.prepare(
      `INSERT INTO passages (document_id, seq, start_char, end_char, page, heading, text)
       VALUES (@documentId, @seq, @start, @end, @page, @heading, @text)`,
    ),
    setStatus: db.prepare<[DocumentStatus, string]>('UPDATE documents SET status = ? WHERE id = ?'),
    get: db.prepare<[string], DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents d WHERE d.id = ?`),
    list: db.prepare<[string], DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM documents d WHERE d.conversation_id = ? AND d.status = 'ready' ORDER BY d.created_at, d.rowid`,
    ),
    has: db.prepare<[string], { one: number }>(
      "SELECT 1 AS one FROM documents WHERE conversation_id = ? AND status = 'ready' LIMIT 1",
    ),
    unfinished: db.prepare<[], { id: string }>("SELECT id FROM documents WHERE status <> 'ready'"),
    duplicate: db.prepare<[string, string], { id: string }>(
      "SELECT id FROM documents WHERE conversation_id = ? AND sha256 = ? AND status = 'ready' LIMIT 1",
    ),
    text: db.prepare<[string], { text: string }>('SELECT text FROM documents WHERE id = ?'),
    setTokens: db.prepare<[number, string, string]>('UPDATE documents SET token_count = ?, token_model = ? WHERE id = ?'),
    passage: db.prepare<[number], PassageRow>(`SELECT ${PASSAGE_COLUMNS} FROM passages p JOIN documents d ON d.id = p.document_id WHERE p.id = ?`),
    passagesOf: db.prepare<[string], PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM passages p JOIN documents d ON d.id = p.document_id WHERE p.document_id = ? ORDER BY p.seq`,
    ),
    passageAt: db.prepare<[string, number], PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM passages p JOIN documents d ON d.id = p.document_id WHERE p.document_id = ? AND p.seq = ?`,
    ),
    deleteSome: db.prepare<[string, number]>('DELETE FROM passages WHERE id IN (SELECT id FROM passages WHERE document_id = ? LIMIT ?)'),
    deleteDocument: db.prepare<[string]>('DELETE FROM documents WHERE id = ?'),
    search: db.prepare<{ match: string; conversationId: string; limit: number }, { id: number; rank: number }>(
      `SELECT p.id AS id, bm25(passages_fts, 1.0, 0.3) AS rank FROM passages_fts
       JOIN passages p ON p.id = passages_fts.rowid ${IN_CONVERSATION} AND passages_fts MATCH @match
       ORDER BY rank LIMIT @limit`,
    ),
    // CJK terms by instr (exact), others by LIKE (ASCII case-insensitive, and no lower-case copy of each text).
    containing: db.prepare<{ conversationId: string; cjk: string; other: string; limit: number }, { id: number; text: string }>(
      `SELECT p.id AS id, p.text AS text FROM passages p ${IN_CONVERSATION}
       AND (EXISTS (SELECT 1 FROM json_each(@cjk) t WHERE instr(p.text, t.value) > 0)
         OR EXISTS (SELECT 1 FROM json_each(@other) t WHERE p.text LIKE '%' || t.value || '%'))
       LIMIT @limit`,
    ),
    stats: db.prepare<{ conversationId: string }, { count: number; avgChars: number }>(
      `SELECT count(*) AS count, coalesce(avg(length(p.text)), 0) AS avgChars FROM passages p ${IN_CONVERSATION}`,
    ),
    leading: db.prepare<{ conversationId: string; perDocument: number }, PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM passages p ${IN_CONVERSATION} AND p.seq < @perDocument ORDER BY d.created_at, d.rowid, p.seq`,
    ),
  };

  return {
    /** Writes the document row as 'indexing' (invisible until markReady). */
    insert(doc: NewDocument): void {
      q.insert.run({ ...doc, chars: doc.text.length });
    },
    /** Adds passages (their index rows follow by trigger); the caller chooses the transaction. */
    insertPassages(documentId: string, passages: readonly NewPassage[]): void {
      for (const p of passages) q.insertPassage.run({ documentId, ...p });
    },
    markReady(id: string): void {
      q.setStatus.run('ready', id);
    },
    markDeleting(id: string): boolean {
      return q.setStatus.run('deleting', id).changes > 0;
    },
    get(id: string): DocumentRecord | null {
      const row = q.get.get(id);
      return row ? toDocument(row) : null;
    },
    /** The conversation's ready documents, oldest first. */
    list(conversationId: string): DocumentRecord[] {
      return q.list.all(conversationId).map(toDocument);
    },
    /** Whether the conversation has a ready document (one indexed row read, nothing converted). */
    has(conversationId: string): boolean {
      return q.has.get(conversationId) !== undefined;
    },
    /** Documents left 'indexing' or 'deleting' (by a crash or a cancel): to be removed. */
    unfinished(): string[] {
      return q.unfinished.all().map((r) => r.id);
    },
    findDuplicate(conversationId: string, sha256: string): string | null {
      return q.duplicate.get(conversationId, sha256)?.id ?? null;
    },
    text(id: string): string | null {
      return q.text.get(id)?.text ?? null;
    },
    setTokenCount(id: string, tokens: number, model: string): boolean {
      return q.setTokens.run(tokens, model, id).changes > 0;
    },
    passage(id: number): PassageRecord | null {
      const row = q.passage.get(id);
      return row ? toPassage(row) : null;
    },
    passagesOf(documentId: string): PassageRecord[] {
      return q.passagesOf.all(documentId).map(toPassage);
    },
    /** The passage at `seq` of a document (the neighbours of a cited passage), or null. */
    passageAt(documentId: string, seq: number): PassageRecord | null {
      const row = q.passageAt.get(documentId, seq);
      return row ? toPassage(row) : null;
    },
    /** Deletes up to `limit` passages of a document (removal in small steps); returns how many. */
    deleteSomePassages(documentId: string, limit: number): number {
      return q.deleteSome.run(documentId, limit).changes;
    },
    deleteDocument(id: string): boolean {
      return q.deleteDocument.run(id).changes > 0;
    },
    /** BM25 over the conversation's passages; lower rank is better (FTS5's convention). */
    search(conversationId: string, match: string, limit: number): Array<{ id: number; rank: number }> {
      return q.search.all({ match, conversationId, limit });
    },
    /** Passages holding any of the terms: for terms too short for the trigram index (`%` and `_` are not allowed in them). */
    containing(conversationId: string, terms: readonly string[], limit: number): Array<{ id: number; text: string }> {
      const cjk = terms.filter((t) => /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u.test(t));
      const other = terms.filter((t) => !cjk.includes(t) && !/[%_]/.test(t));
      return q.containing.all({ conversationId, cjk: JSON.stringify(cjk), other: JSON.stringify(other), limit });
    },
    stats(conversationId: string): { count: number; avgChars: number } {
      return q.stats.get({ conversationId }) ?? { count: 0, avgChars: 0 };
    },
    /** The first passages of every document (when a question matches nothing). */
    leading(conversationId: string, perDocument: number): PassageRecord[] {
      return q.leading.all({ conversationId, perDocument }).map(toPassage);
    },
  };
}
