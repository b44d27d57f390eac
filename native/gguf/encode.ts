// Encoders from float32 values to the bytes of a ggml tensor type, and decoders for checks.
// Block layouts follow ggml's reference quantizers (quantize_row_q8_0_ref / quantize_row_q4_0_ref).

import { f16ToF32, f32BitsToF16, f32ToF16 } from './f16.js';
import { TENSOR_TYPES, type TensorTypeName } from './types.js';

/** Encodes `src` (length a multiple of the type's block size) into `out` at `offset`; returns the bytes written. */
export function encodeTensorData(type: TensorTypeName, src: Float32Array, out: Uint8Array, offset: number): number {
  switch (type) {
    case 'f32':
      return encodeF32(src, out, offset);
    case 'f16':
      return encodeF16(src, out, offset);
    case 'q8_0':
      return encodeQ8_0(src, out, offset);
    case 'q4_0':
      return encodeQ4_0(src, out, offset);
  }
}

function encodeF32(src: Float32Array, out: Uint8Array, offset: number): number {
  const bytes = new Uint8Array(src.buffer, src.byteOffset, src.length * 4);
  out.set(bytes, offset);
  return bytes.length;
}

function encodeF16(src: Float32Array, out: Uint8Array, offset: number): number {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  let p = offset;
  for (let i = 0; i < bits.length; i++) {
    const h = f32BitsToF16(bits[i]!);
    out[p] = h & 0xff;
    out[p + 1] = h >>> 8;
    p += 2;
  }
  return p - offset;
}

function encodeQ8_0(src: Float32Array, out: Uint8Array, offset: number): number {
  const n = src.length;
  let p = offset;
  for (let b = 0; b < n; b += 32) {
    let amax = 0;
    for (let j = 0; j < 32; j++) {
      const a = Math.abs(src[b + j]!);
      if (a > amax) amax = a;
    }
    const d = Math.fround(amax / 127);
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    const h = f32ToF16(d);
    out[p] = h & 0xff;
    out[p + 1] = h >>> 8;
    p += 2;
    for (let j = 0; j < 32; j++) {
      // roundf(x * id) without a data-dependent branch: shift to positive, truncate, fix exact negative halves.
      const v = Math.fround(src[b + j]! * id) + 128.5;
      let q = v | 0;
      if (q === v && v < 128.5) q -= 1;
      out[p++] = (q - 128) & 0xff;
    }
  }
  return p - offset;
}

function encodeQ4_0(src: Float32Array, out: Uint8Array, offset: number): number {
  const n = src.length;
  let p = offset;
  for (let b = 0; b < n; b += 32) {
    let amax = 0;
    let max = 0;
    for (let j = 0; j < 32; j++) {
      const v = src[b + j]!;
      if (Math.abs(v) > amax) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = Math.fround(max / -8);
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    const h = f32ToF16(d);
    out[p] = h & 0xff;
    out[p + 1] = h >>> 8;
    p += 2;
    for (let j = 0; j < 16; j++) {
      const lo = Math.min(15, Math.trunc(Math.fround(Math.fround(src[b + j]! * id) + 8.5)));
      const hi = Math.min(15, Math.trunc(Math.fround(Math.fround(src[b + 16 + j]! * id) + 8.5)));
      out[p++] = lo | (hi << 4);
    }
  }
  return p - offset;
}

/** Decodes `count` values of a tensor type from `bytes` (for tests and checks; not fast). */
export function decodeTensorData(type: TensorTypeName, bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const info = TENSOR_TYPES[type];
  for (let b = 0; b < count / info.blockSize; b++) {
    const p = b * info.typeSize;
    if (type === 'f32') out[b] = view.getFloat32(p, true);
    else if (type === 'f16') out[b] = f16ToF32(view.getUint16(p, true));
    else if (type === 'q8_0') {
      const d = f16ToF32(view.getUint16(p, true));
      for (let j = 0; j < 32; j++) out[b * 32 + j] = d * view.getInt8(p + 2 + j);
    } else {
      const d = f16ToF32(view.getUint16(p, true));
      for (let j = 0; j < 16; j++) {
        const q = bytes[p + 2 + j]!;
        out[b * 32 + j] = d * ((q & 0x0f) - 8);
        out[b * 32 + 16 + j] = d * ((q >>> 4) - 8);
      }
    }
  }
  return out;
}
