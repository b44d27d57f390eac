// DOCX with mammoth, via HTML: Word's heading styles become h1-h6 and so sections. The archive is
// checked first (zip-guard): password-protected, damaged and zip-bomb files are refused.
import { createRequire } from 'node:module';
import mammoth from 'mammoth';
import { extractError } from './errors.js';
import { htmlToText } from './html.js';
import { checkZip, readEntry } from './zip-guard.js';
import type { ExtractInput, Section } from './types.js';

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export async function extractDocx(input: ExtractInput): Promise<{ text: string; sections: Section[] }> {
  const { name, bytes } = input;
  if (OLE.every((b, i) => bytes[i] === b)) {
    throw extractError('encrypted', name, 'the document is password-protected (or it is an old .doc file named .docx); ' +
      'save it without a password as .docx and attach it again');
  }
  const entries = await checkZip(name, bytes);
  if (!entries.some((e) => e.name === 'word/document.xml')) {
    throw extractError('corrupt', name, 'it is not a Word document (it has no word/document.xml)');
  }
  input.onProgress({ phase: 'extracting', done: 0, total: 1 });
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        externalFileAccess: false,
        // Images are not read at all: only their place in the text matters here.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch (error) {
    throw await describeFailure(name, bytes, error);
  }
  input.onProgress({ phase: 'extracting', done: 1, total: 1 });
  return htmlToText(html);
}

/** mammoth's own XML reader: what it cannot read, mammoth could not either. */
const readXml = createRequire(import.meta.url)('mammoth/lib/xml/index.js').readString as (xml: string) => Promise<unknown>;

/** Why mammoth failed, in words: most often one of the archive's XML parts is not XML. */
async function describeFailure(name: string, bytes: Uint8Array, error: unknown) {
  const stack = (error as Error)?.stack ?? '';
  if (/[/\\]mammoth[/\\]lib[/\\]xml[/\\]/.test(stack)) {
    const xml = await readEntry(bytes, 'word/document.xml').catch(() => null);
    const documentIsXml = xml !== null && (await Promise.resolve().then(() => readXml(xml.toString('utf8'))).then(() => true, () => false));
    return extractError('corrupt', name, documentIsXml
      ? 'the DOCX is damaged: one of its parts (styles, numbering, notes or relationships) is not valid XML'
      : 'the DOCX is damaged: its text (word/document.xml) is not valid XML');
  }
  return extractError('corrupt', name, `the DOCX cannot be read (${(error as Error)?.message ?? String(error)})`);
}
