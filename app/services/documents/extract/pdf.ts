// PDF with pdf.js (legacy build, the one meant for Node): the text layer page by page, a section
// per page. Nothing in the PDF runs: no eval, no fonts installed, no scripting, no XFA.
import { fileURLToPath } from 'node:url';
import { TextBuilder } from './builder.js';
import { extractError } from './errors.js';
import type { ExtractInput, Section } from './types.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
const PDFJS = 'pdfjs-dist/legacy/build/pdf.mjs';

export async function extractPdf(input: ExtractInput): Promise<{ text: string; sections: Section[]; pageCount: number }> {
  const { name, bytes } = input;
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  if (!header.includes('%PDF-')) throw extractError('corrupt', name, 'it is not a PDF file (it has no %PDF- header)');

  const pdfjs: PdfJs = await import(PDFJS);
  const assets = (dir: string) => fileURLToPath(new URL(`../../${dir}/`, import.meta.resolve(PDFJS)));
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes), // pdf.js may take the buffer over: give it a copy
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
    cMapUrl: assets('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: assets('standard_fonts'),
  });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (error) {
    throw describeOpenError(name, error);
  }
  try {
    const out = new TextBuilder();
    const total = pdf.numPages;
    let damaged = 0;
    for (let n = 1; n <= total; n++) {
      out.breakLine(true);
      out.section({ page: n });
      try {
        const page = await pdf.getPage(n);
        const content = await page.getTextContent();
        for (const item of content.items) {
          if (!('str' in item)) continue;
          out.append(item.str);
          if (item.hasEOL) out.append('\n');
        }
        page.cleanup();
      } catch {
        damaged++; // one unreadable page does not lose the others
      }
      input.onProgress({ phase: 'extracting', done: n, total });
    }
    const result = out.done();
    if (damaged === total) throw extractError('corrupt', name, 'the PDF is damaged: none of its pages could be read');
    if (!/\S/.test(result.text)) {
      throw extractError('no_text', name, 'no text layer: scanned pages need OCR, which Qwen2 Desk does not do');
    }
    return { ...result, pageCount: total };
  } finally {
    await pdf.destroy();
  }
}

function describeOpenError(name: string, error: unknown) {
  const kind = (error as { name?: string })?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (kind === 'PasswordException') return extractError('encrypted', name, 'the PDF is password-protected; remove the password and attach it again');
  if (kind === 'InvalidPDFException') return extractError('corrupt', name, `the PDF is damaged or incomplete (${message})`);
  return extractError('corrupt', name, `the PDF cannot be read (${message})`);
}
