// The heatmap as a file: its SVG element serialized (without what only the screen needs: the
// selection outline), and a PNG drawn from that SVG on a canvas at twice its size.
import { saveFile } from '../../niah-state.js';

/** The SVG element as a standalone document. */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  for (const el of Array.from(copy.querySelectorAll('[data-export="omit"]'))) el.remove();
  for (const el of Array.from(copy.querySelectorAll('[tabindex]'))) el.removeAttribute('tabindex');
  copy.removeAttribute('class');
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

export function saveSvg(svg: SVGSVGElement, baseName: string): void {
  saveFile(`${baseName}.svg`, new Blob([svgText(svg)], { type: 'image/svg+xml;charset=utf-8' }));
}

/** UTF-8 text as base64 (btoa takes only Latin-1). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The SVG drawn on a canvas; a data: URL because the page's policy allows images from 'self' and data: only. */
export async function pngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const width = svg.width.baseVal.value;
  const height = svg.height.baseVal.value;
  const image = new Image();
  image.decoding = 'async';
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('The heatmap could not be drawn as an image.'));
  });
  image.src = `data:image/svg+xml;base64,${base64(svgText(svg))}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw on a canvas.');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be made.'))), 'image/png'));
}

export async function savePng(svg: SVGSVGElement, baseName: string): Promise<void> {
  saveFile(`${baseName}.png`, await pngBlob(svg));
}
