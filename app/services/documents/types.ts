// The document types the renderer sees (to be added to app/contract.ts).
import type { DocumentKind, ExtractPhase } from './extract/types.js';

export type { DocumentKind, ExtractPhase } from './extract/types.js';
export type { DocumentPlan, PlanMode } from './plan.js';
export type { Citation } from './prompt.js';

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
  /** Filled by the engine once it has tokenized the text with `tokenModel`'s tokenizer. */
  tokenCount: number | null;
  tokenModel: string | null;
  createdAt: number;
}

/** One passage, for the citation side panel. `start`/`end` are offsets into the document's text. */
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

/** Progress of one attach, for a 'document.progress' event. */
export interface DocumentProgress {
  conversationId: string;
  name: string;
  phase: ExtractPhase;
  done: number;
  total: number;
}
