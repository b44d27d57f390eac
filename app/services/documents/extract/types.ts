// What every extractor produces: the document's plain text and its sections (character offsets
// into that text, JS string indices), each with the page it is on and/or the heading it is under.
import type { DocumentKind, ExtractPhase } from '../../../contract/documents.js';

export type { DocumentKind, ExtractPhase };

export interface Section {
  start: number;
  end: number;
  page?: number;
  heading?: string;
}

export interface Extracted {
  text: string;
  sections: Section[];
  kind: DocumentKind;
  mime: string;
  /** PDFs only. */
  pageCount?: number;
  /** PDF pages that could not be read (the others were), each with the reason. */
  skippedPages?: SkippedPage[];
}

export interface SkippedPage {
  page: number;
  reason: string;
}

export interface ExtractProgress {
  phase: ExtractPhase;
  /** Pages (PDF), passages (indexing), or 0/1 for steps that have no finer unit. */
  done: number;
  total: number;
}

export type ProgressFn = (progress: ExtractProgress) => void;

/** What one format's extractor is given. */
export interface ExtractInput {
  name: string;
  bytes: Uint8Array;
  onProgress: ProgressFn;
}
