// GGUF value types and ggml tensor types (ids, block sizes, bytes per block), as in ggml.h / gguf.h.

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** GGUF metadata value type ids. */
export const GgufType = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;
export type GgufTypeName = keyof typeof GgufType;
export type GgufScalarTypeName = Exclude<GgufTypeName, 'array'>;

const typeNameById = new Map<number, GgufTypeName>(
  Object.entries(GgufType).map(([name, id]) => [id, name as GgufTypeName]),
);

export function ggufTypeName(id: number): GgufTypeName | undefined {
  return typeNameById.get(id);
}

/** Bytes one value of a fixed-size GGUF type takes (strings and arrays: undefined). */
export function ggufScalarSize(type: GgufTypeName): number | undefined {
  switch (type) {
    case 'u8':
    case 'i8':
    case 'bool':
      return 1;
    case 'u16':
    case 'i16':
      return 2;
    case 'u32':
    case 'i32':
    case 'f32':
      return 4;
    case 'u64':
    case 'i64':
    case 'f64':
      return 8;
    default:
      return undefined;
  }
}

export interface GgmlTypeInfo {
  id: number;
  name: string;
  blockSize: number; // elements per block
  typeSize: number; // bytes per block
}

// [id, name, elements per block, bytes per block]; ids 4, 5, 31-33, 36-38 were removed from ggml.
const ggmlTable: [number, string, number, number][] = [
  [0, 'F32', 1, 4],
  [1, 'F16', 1, 2],
  [2, 'Q4_0', 32, 18],
  [3, 'Q4_1', 32, 20],
  [6, 'Q5_0', 32, 22],
  [7, 'Q5_1', 32, 24],
  [8, 'Q8_0', 32, 34],
  [9, 'Q8_1', 32, 36],
  [10, 'Q2_K', 256, 84],
  [11, 'Q3_K', 256, 110],
  [12, 'Q4_K', 256, 144],
  [13, 'Q5_K', 256, 176],
  [14, 'Q6_K', 256, 210],
  [15, 'Q8_K', 256, 292],
  [16, 'IQ2_XXS', 256, 66],
  [17, 'IQ2_XS', 256, 74],
  [18, 'IQ3_XXS', 256, 98],
  [19, 'IQ1_S', 256, 50],
  [20, 'IQ4_NL', 32, 18],
  [21, 'IQ3_S', 256, 110],
  [22, 'IQ2_S', 256, 82],
  [23, 'IQ4_XS', 256, 136],
  [24, 'I8', 1, 1],
  [25, 'I16', 1, 2],
  [26, 'I32', 1, 4],
  [27, 'I64', 1, 8],
  [28, 'F64', 1, 8],
  [29, 'IQ1_M', 256, 56],
  [30, 'BF16', 1, 2],
  [34, 'TQ1_0', 256, 54],
  [35, 'TQ2_0', 256, 66],
  [39, 'MXFP4', 32, 17],
  [40, 'NVFP4', 64, 36],
  [41, 'Q1_0', 128, 18],
  [42, 'Q2_0', 64, 18],
];

const ggmlById = new Map<number, GgmlTypeInfo>(
  ggmlTable.map(([id, name, blockSize, typeSize]) => [id, { id, name, blockSize, typeSize }]),
);

export function ggmlTypeInfo(id: number): GgmlTypeInfo | undefined {
  return ggmlById.get(id);
}

/** The tensor types this project can write. */
export type TensorTypeName = 'f32' | 'f16' | 'q8_0' | 'q4_0';
export const TENSOR_TYPES: Record<TensorTypeName, GgmlTypeInfo> = {
  f32: ggmlById.get(0)!,
  f16: ggmlById.get(1)!,
  q8_0: ggmlById.get(8)!,
  q4_0: ggmlById.get(2)!,
};

/** Bytes a tensor of `elements` elements takes in the given ggml type (elements must fill whole blocks). */
export function tensorBytes(info: GgmlTypeInfo, elements: number): number {
  return (elements / info.blockSize) * info.typeSize;
}

// llama_ftype values (general.file_type) and their usual names.
const fileTypeTable: [number, string][] = [
  [0, 'F32'], [1, 'F16'], [2, 'Q4_0'], [3, 'Q4_1'], [7, 'Q8_0'], [8, 'Q5_0'], [9, 'Q5_1'],
  [10, 'Q2_K'], [11, 'Q3_K_S'], [12, 'Q3_K_M'], [13, 'Q3_K_L'], [14, 'Q4_K_S'], [15, 'Q4_K_M'],
  [16, 'Q5_K_S'], [17, 'Q5_K_M'], [18, 'Q6_K'], [19, 'IQ2_XXS'], [20, 'IQ2_XS'], [21, 'Q2_K_S'],
  [22, 'IQ3_XS'], [23, 'IQ3_XXS'], [24, 'IQ1_S'], [25, 'IQ4_NL'], [26, 'IQ3_S'], [27, 'IQ3_M'],
  [28, 'IQ2_S'], [29, 'IQ2_M'], [30, 'IQ4_XS'], [31, 'IQ1_M'], [32, 'BF16'], [36, 'TQ1_0'],
  [37, 'TQ2_0'], [38, 'MXFP4_MOE'], [39, 'NVFP4'], [40, 'Q1_0'], [41, 'Q2_0'],
];
const fileTypeNames = new Map(fileTypeTable);

export function fileTypeName(id: number): string | undefined {
  return fileTypeNames.get(id);
}

/** general.file_type for each type this project writes. */
export const FILE_TYPE_ID: Record<TensorTypeName, number> = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 };
