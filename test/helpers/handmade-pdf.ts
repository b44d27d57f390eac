// PDFs written by hand, object by object, for damage that no PDF library will produce: a page tree
// that loops, a content stream pdf.js cannot parse. Offsets in the xref table are computed, so the
// file is otherwise well-formed and pdf.js reads it without falling back to reconstruction.

/** `objects[i]` is the body of object i + 1 (without `n 0 obj` / `endobj`). */
export function pdfFromObjects(objects: readonly string[]): Buffer {
  const parts: string[] = ['%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n'];
  const offsets: number[] = [];
  let length = Buffer.byteLength(parts[0]!, 'latin1');
  objects.forEach((body, i) => {
    offsets.push(length);
    const obj = `${i + 1} 0 obj\n${body}\nendobj\n`;
    parts.push(obj);
    length += Buffer.byteLength(obj, 'latin1');
  });
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(xref, `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`);
  return Buffer.from(parts.join(''), 'latin1');
}

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

function stream(content: string): string {
  return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

/** A content stream that writes `text` (ASCII) at the top of the page. */
export function textContent(text: string): string {
  return `BT /F1 18 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
}

/**
 * One page per content stream, in order: objects 1 catalog, 2 pages, 3 font, then a page and its
 * content stream for each.
 */
export function pdfWithPages(contents: readonly string[]): Buffer {
  const kids = contents.map((_, i) => `${4 + 2 * i} 0 R`).join(' ');
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${contents.length} >>`, FONT];
  for (let i = 0; i < contents.length; i++) {
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`);
    objects.push(stream(contents[i]!));
  }
  return pdfFromObjects(objects);
}

/** A page tree whose second child is a Pages node that lists itself among its kids. */
export function circularPagesPdf(): Buffer {
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [4 0 R 6 0 R] /Count 3 >>',
    FONT,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>',
    stream(textContent('First page text')),
    '<< /Type /Pages /Parent 2 0 R /Kids [6 0 R] /Count 2 >>',
  ]);
}
