// All string tables, merged per language. Add an area's file here.
import type { StringTable } from './types.js';
import { common } from './common.js';
import { documents } from './documents.js';
import { chat } from './chat.js';
import { app } from './app.js';
import { models } from './models.js';
import { settings } from './settings.js';
import { progress } from './progress.js';
import { niah } from './niah.js';

const tables: StringTable[] = [common, chat, app, models, settings, documents, progress, niah];

export const STRINGS = {
  en: Object.assign({}, ...tables.map((t) => t.en)) as Record<string, string>,
  'zh-CN': Object.assign({}, ...tables.map((t) => t['zh-CN'])) as Record<string, string>,
};
export const TABLES = tables;
