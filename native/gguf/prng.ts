// Small deterministic pseudo-random numbers for synthetic weights.

/** FNV-1a hash of a string mixed with a seed; never 0 (a valid xorshift state). */
export function hashSeed(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h === 0 ? 0x9e3779b9 : h;
}

/**
 * A fill function giving uniform values in [-amplitude, amplitude) from an xorshift32 stream;
 * the stream continues across calls, so chunks must be requested in order.
 */
export function uniformFill(state: number, amplitude: number): (chunk: Float32Array) => void {
  let x = state >>> 0 || 1;
  const scale = (2 * amplitude) / 4294967296;
  return (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      chunk[i] = (x >>> 0) * scale - amplitude;
    }
  };
}

/** Numbers in [0, 1) from a seed (mulberry32): test data and needle samples that repeat exactly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
