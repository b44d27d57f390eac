// What a GGUF header holds once read: metadata values and tensor infos. Shared by the reader,
// which makes them, and the modules that check and summarise them.
import type { GgufTypeName } from './types.js';

export type GgufScalar = number | bigint | boolean | string;
/** An array value: its length always, its values only when short (long ones, like tokens, are skipped). */
export interface GgufArrayValue {
  itemType: GgufTypeName;
  length: number;
  values: GgufScalar[] | null;
}
export type GgufReadValue = GgufScalar | GgufArrayValue;

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: number;
  typeName: string;
  elements: number;
  bytes: number;
  /** Absolute offset of the tensor's data in the file. */
  fileOffset: number;
}
