// Documents attached to a conversation, how each answer used them, and the citation side panel.
import { z } from 'zod';
import { Id, ModelPath } from './common.js';
import { method, returns } from './method.js';

/** The formats a document can be read from. */
export type DocumentKind = 'pdf' | 'docx' | 'text' | 'markdown' | 'html' | 'csv' | 'json' | 'code';

/** The steps of reading a document into passages. */
export type ExtractPhase = 'reading' | 'extracting' | 'indexing';

export interface DocumentInfo {
  id: string;
  conversationId: string;
  name: string;
  kind: DocumentKind;
  mime: string;
  sizeBytes: number;
  sha256: string;
  /** Length of the extracted text (JS string length). */
  chars: number;
  /** PDFs only. */
  pageCount: number | null;
  passageCount: number;
  /** Exact, from `tokenModel`'s own tokenizer; null until counted (a document.progress 'counting' runs meanwhile). */
  tokenCount: number | null;
  /** The model file whose tokenizer counted it. */
  tokenModel: string | null;
  createdAt: number;
  /**
   * documents.list only: the context the conversation's model runs at (its contextSize default), so
   * the UI can show "12,400 tokens · 30% of 40,960". Null when no model is known.
   */
  contextSize?: number | null;
}

/** One passage. `start`/`end` are offsets into the document's extracted text (JS string indices). */
export interface PassageView {
  id: number;
  documentId: string;
  documentName: string;
  seq: number;
  page: number | null;
  heading: string | null;
  start: number;
  end: number;
  text: string;
}

/** The citation side panel: the cited passage with its neighbours, and where the cited text is in `text`. */
export interface CitedPassage {
  passage: PassageView;
  /** The text around the citation: the passage before, the cited passage, the passage after. */
  text: string;
  /** The cited passage in `text`: [start, end) in JS string indices. */
  highlight: { start: number; end: number };
}

/** Source [n] of an answer: which passage it is. */
export interface Citation {
  n: number;
  passageId: number;
  documentId: string;
  documentName: string;
  page: number | null;
  heading: string | null;
  start: number;
  end: number;
}

/**
 * How one answer used the conversation's documents. `plan` is what planning found ('larger-context':
 * full-document mode would work with `suggestedContext`); `mode` is what the prompt held.
 */
export interface AnswerSources {
  messageId: string;
  conversationId: string;
  mode: 'full' | 'retrieval';
  plan: 'full' | 'larger-context' | 'retrieval';
  /** In plain words, e.g. "The whole document (12,400 tokens) fits in the 32K context: full-document mode." */
  explanation: string;
  /** Tokens full-document mode needs (documents, instruction, conversation, question, answer). */
  neededTokens: number;
  documentTokens: number;
  /** The context the answer ran at, and the largest this model and machine allow. */
  contextSize: number;
  largestContext: number;
  /** Only with plan 'larger-context': the context to give the model (models.update defaults.contextSize). */
  suggestedContext: number | null;
  modelPath: string;
  /** Passages in the prompt (all of them in full-document mode). */
  passageCount: number;
  /** Source numbers as the prompt numbered them: [n] in the answer opens citations[n-1]. */
  citations: Citation[];
  createdAt: number;
}

/** Progress of adding a document: uploading (browser), then reading/extracting/indexing, then counting its tokens. */
export interface DocumentProgress {
  conversationId: string;
  name: string;
  phase: ExtractPhase | 'uploading' | 'counting';
  done: number;
  total: number;
}

export const documentRequests = {
  /**
   * Adds a file from disk (Electron: window.qwen2Desk.pathForFile(file); CLI). Browsers upload with
   * `PUT /api/documents?token=…&conversationId=…&name=…[&modelPath=…]` instead (same token, Host and
   * Origin checks as /api/import; answers the DocumentInfo, or {error: {message}} with 400/404/409/413/415/422).
   * The same file twice returns the first.
   * modelPath: count its tokens with this model's tokenizer (default: the loaded model, else the default model).
   */
  'documents.attach': method(
    z.object({ conversationId: Id, path: z.string().min(1).max(4096), modelPath: ModelPath.optional() }).strict(),
    returns<DocumentInfo>(),
  ),
  /** Ready documents, oldest first; with modelPath, documents counted with another tokenizer are counted again (documents.changed follows). */
  'documents.list': method(z.object({ conversationId: Id, modelPath: ModelPath.optional() }).strict(), returns<DocumentInfo[]>()),
  'documents.remove': method(z.object({ id: Id }).strict(), returns<{ removed: boolean }>()),
  /** A cited passage for the side panel (Citation.passageId). */
  'documents.passage': method(z.object({ id: z.number().int().positive() }).strict(), returns<CitedPassage>()),
  /** Cancels the documents being added to the conversation (uploads included); what was written is removed. */
  'documents.cancel': method(z.object({ conversationId: Id }).strict(), returns<{ cancelled: number }>()),
  /** How each answer of the conversation used its documents (the mode banner, citations), oldest first. */
  'documents.sources': method(z.object({ conversationId: Id }).strict(), returns<AnswerSources[]>()),
} as const;

export type DocumentEvent =
  | ({ type: 'document.progress' } & DocumentProgress)
  /** A document was added, removed or counted: refetch documents.list. */
  | { type: 'documents.changed'; conversationId: string }
  /** Counting the documents' tokens with `modelPath`'s tokenizer failed (listing them again retries). */
  | { type: 'documents.count-failed'; conversationId: string; modelPath: string; message: string }
  /** An answer's plan, as soon as it is made (before the first token). */
  | { type: 'documents.answer'; conversationId: string; sources: AnswerSources };
