// The heatmap's colours (pure): the share of correct answers from red (none) through yellow to green
// (all), the red-yellow-green scale of the Qwen2 report's Figure 1. Fixed colours, not the theme's:
// the figure is exported as SVG and PNG and must look the same wherever it is opened.
const STOPS: Array<[number, [number, number, number]]> = [
  [0, [215, 48, 39]],
  [0.25, [252, 141, 89]],
  [0.5, [254, 224, 139]],
  [0.75, [145, 207, 96]],
  [1, [26, 152, 80]],
];

/** Cells with no answer yet. */
export const EMPTY_FILL = '#e9ecef';
export const INK = '#1f2328';
export const MUTED_INK = '#5c636a';
export const PAPER = '#ffffff';
export const GRID_LINE = '#ffffff';

const hex = (n: number) => Math.round(n).toString(16).padStart(2, '0');

/** The fill of a cell whose share of correct answers is `score` (0..1). */
export function scoreColor(score: number): string {
  const s = Math.min(1, Math.max(0, score));
  for (let i = 1; i < STOPS.length; i++) {
    const [b, cb] = STOPS[i]!;
    if (s <= b) {
      const [a, ca] = STOPS[i - 1]!;
      const f = (s - a) / (b - a);
      return `#${ca.map((c, k) => hex(c + (cb[k]! - c) * f)).join('')}`;
    }
  }
  return '#1a9850';
}
