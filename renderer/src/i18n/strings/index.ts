// All string tables, merged per language. Add an area's file here.
import type { StringTable } from './types.js';
import { common } from './common.js';

const tables: StringTable[] = [common];

export const STRINGS = {
  en: Object.assign({}, ...tables.map((t) => t.en)) as Record<string, string>,
  'zh-CN': Object.assign({}, ...tables.map((t) => t['zh-CN'])) as Record<string, string>,
};
export const TABLES = tables;
