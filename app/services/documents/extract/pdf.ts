// PDF with pdf.js (legacy build, the one meant for Node): the text layer page by page, a section
// per page. Nothing in the PDF runs: no eval, no fonts installed, no scripting, no XFA.
import { fileURLToPath } from 'node:url';
import { TextBuilder } from './builder.js';
import { extractError } from './errors.js';
import { withRejectionGuard } from './rejections.js';
import type { ExtractInput, Section, SkippedPage } from './types.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
const PDFJS = 'pdfjs-dist/legacy/build/pdf.mjs';
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

export async function extractPdf(input: ExtractInput): Promise<{ text: string; sections: Section[]; pageCount: number; skippedPages?: SkippedPage[] }> {
  const { name, bytes } = input;
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  if (!header.includes('%PDF-')) throw extractError('corrupt', name, 'it is not a PDF file (it has no %PDF- header)');

  const pdfjs: PdfJs = await import(PDFJS);
  const assets = (dir: string) => fileURLToPath(new URL(`../../${dir}/`, import.meta.resolve(PDFJS)));
  // pdf.js reads leniently (stopAtErrors off) and then hides why a page came out empty; a strict
  // copy of the document, opened only for such pages, tells whether it was damage, and which.
  const open = (stopAtErrors: boolean) => withRejectionGuard(() => pdfjs.getDocument({
    data: new Uint8Array(bytes), // pdf.js may take the buffer over: give it a copy
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    stopAtErrors,
    verbosity: 0,
    cMapUrl: assets('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: assets('standard_fonts'),
  }).promise);
  let pdf: PdfDocument;
  try {
    pdf = await open(false);
  } catch (error) {
    throw describeOpenError(name, error);
  }
  let strict: Promise<PdfDocument> | null = null;
  try {
    const out = new TextBuilder();
    const total = pdf.numPages;
    const skipped: SkippedPage[] = [];
    for (let n = 1; n <= total; n++) {
      out.breakLine(true);
      out.section({ page: n });
      try {
        // One unreadable page does not lose the others, even when pdf.js fails it from a promise of its own.
        let pieces = await withRejectionGuard(() => pageText(pdf, n));
        if (!pieces.some((p) => /\S/.test(p))) {
          strict ??= open(true);
          pieces = await strict.then((doc) => withRejectionGuard(() => pageText(doc, n)), () => pieces);
        }
        for (const piece of pieces) out.append(piece);
      } catch (error) {
        skipped.push({ page: n, reason: pageProblem(error) });
      }
      input.onProgress({ phase: 'extracting', done: n, total });
    }
    const result = out.done();
    if (skipped.length === total || !/\S/.test(result.text)) {
      if (skipped.some((s) => s.reason === CIRCULAR)) throw extractError('corrupt', name, `the PDF's page tree is damaged: ${CIRCULAR}`);
      if (skipped.length === total) throw extractError('corrupt', name, `the PDF is damaged: none of its pages could be read (${skipped[0]!.reason})`);
      if (skipped.length) throw extractError('corrupt', name, `the PDF is damaged: ${describeSkipped(skipped)} could not be read and the others have no text`);
      throw extractError('no_text', name, 'no text layer: scanned pages need OCR, which Qwen2 Desk does not do');
    }
    return { ...result, pageCount: total, ...(skipped.length ? { skippedPages: skipped } : {}) };
  } finally {
    await pdf.destroy();
    await strict?.then((doc) => doc.destroy(), () => undefined);
  }
}

const CIRCULAR = 'a page refers back to itself';

/** The page's text layer as pieces to append, line ends included. */
async function pageText(pdf: PdfDocument, n: number): Promise<string[]> {
  const page = await pdf.getPage(n);
  try {
    const content = await page.getTextContent();
    const pieces: string[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue;
      pieces.push(item.str);
      if (item.hasEOL) pieces.push('\n');
    }
    return pieces;
  } finally {
    page.cleanup();
  }
}

/** pdf.js's reason in words a person can act on, where it has a known one. */
function pageProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/circular reference/i.test(message)) return CIRCULAR;
  if (/xref/i.test(message)) return "the file's cross-reference table is damaged";
  if (/kid reference|page dictionary/i.test(message)) return 'the page tree is damaged';
  if (/illegal character|unknown command|bad encoding/i.test(message)) return "the page's content is damaged";
  return message.replace(/\.$/, '') || 'unknown error';
}

/** "page 2", "pages 2, 5 and 7", "12 pages". */
function describeSkipped(skipped: readonly SkippedPage[]): string {
  const pages = skipped.map((s) => s.page);
  if (pages.length === 1) return `page ${pages[0]}`;
  if (pages.length > 5) return `${pages.length} pages`;
  return `pages ${pages.slice(0, -1).join(', ')} and ${pages[pages.length - 1]}`;
}

function describeOpenError(name: string, error: unknown) {
  const kind = (error as { name?: string })?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (kind === 'PasswordException') return extractError('encrypted', name, 'the PDF is password-protected; remove the password and attach it again');
  if (kind === 'InvalidPDFException') return extractError('corrupt', name, `the PDF is damaged or incomplete (${message})`);
  return extractError('corrupt', name, `the PDF cannot be read (${message})`);
}
