// Document fixtures written by tools from outside this project: PDFs by pdfkit (fonts from Debian's
// fonts-noto-cjk and fonts-noto-core), DOCX by the `docx` package, ZIP archives by node:zlib.
import { createWriteStream, existsSync } from 'node:fs';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

export const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
export const CJK_FONT_NAME = 'NotoSansCJKsc-Regular';
export const ARABIC_FONT = '/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf';
export const fontsMissing = [CJK_FONT, ARABIC_FONT].filter((f) => !existsSync(f));

export const ENGLISH = 'The Great Wall of China is a series of fortifications built across northern China.';
export const CHINESE = '长城是中国古代的军事防御工程，位于中国北方。';
export const JAPANESE = '万里の長城は中国の北部にある城壁です。';
export const ARABIC = 'سور الصين العظيم هو سلسلة من التحصينات في شمال الصين';

function write(doc: PDFKit.PDFDocument, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('finish', resolve).on('error', reject);
    doc.pipe(out);
    doc.end();
  });
}

/** Three pages: English, then Chinese and Japanese (CJK font), then Arabic. */
export async function multilingualPdf(file: string): Promise<void> {
  const doc = new PDFDocument({ autoFirstPage: true });
  doc.fontSize(14).text(ENGLISH);
  doc.addPage().font(CJK_FONT, CJK_FONT_NAME).text(CHINESE).moveDown().text(JAPANESE);
  doc.addPage().font(ARABIC_FONT).text(ARABIC, { features: ['rtla'] });
  await write(doc, file);
}

/** `pages` pages of English text: for progress and cancellation. */
export async function longPdf(file: string, pages: number): Promise<void> {
  const doc = new PDFDocument();
  for (let i = 1; i <= pages; i++) {
    if (i > 1) doc.addPage();
    doc.fontSize(11).text(`Page ${i}. ${ENGLISH} `.repeat(12));
  }
  await write(doc, file);
}

export async function encryptedPdf(file: string): Promise<void> {
  const doc = new PDFDocument({ userPassword: 'open sesame', ownerPassword: 'owner', pdfVersion: '1.7' });
  doc.text('This text is behind a password.');
  await write(doc, file);
}

/** A page holding only an image: what a scanner produces, with no text layer. */
export async function imageOnlyPdf(file: string): Promise<void> {
  const doc = new PDFDocument();
  doc.image(png(64, 48), 72, 72, { width: 400 });
  await write(doc, file);
}

/** A minimal RGB PNG (grey), encoded with node:zlib. */
export function png(width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0; // filter: none
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Heading 1 / Heading 2 paragraphs, Chinese, Japanese and Arabic text. */
export async function headedDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Chapter One', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun(ENGLISH)] }),
          new Paragraph({ text: '第二节 长城', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: CHINESE }),
          new Paragraph({ text: JAPANESE }),
          new Paragraph({ text: 'Chapter Two', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: ARABIC }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export interface ZipInput {
  name: string;
  data: Buffer;
  /** Written into the headers instead of the real size (a lying archive). */
  declaredSize?: number;
}

/** A ZIP archive, every entry deflated with node:zlib. */
export function zip(entries: readonly ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/></Types>';

/** A DOCX-shaped archive whose document.xml is `size` bytes of the same character. */
export function zipBombDocx(size: number, declaredSize?: number): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: 'word/document.xml', data: Buffer.alloc(size, 0x20), declaredSize },
  ]);
}
