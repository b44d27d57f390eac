// The app's settings: language, theme, default model, the engine's backend and threads, and the
// data and models folders.
import { z } from 'zod';
import { NoParams } from './common.js';
import { BackendPreference } from './engine.js';
import { method, returns } from './method.js';

export const Language = z.enum(['system', 'en', 'zh-CN']);
export type Language = z.infer<typeof Language>;
export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

export interface AppSettings {
  language: Language;
  theme: Theme;
  /** The model a new conversation starts with; null: none chosen. */
  defaultModelPath: string | null;
  /** Changes restart the engine once it is idle (the next answer starts a fresh one). */
  engineBackend: BackendPreference;
  /** 0 = automatic (one per CPU core, fewer on a GPU). */
  engineThreads: number;
  /** The data folder in use now (database, and models unless library.folder says otherwise). */
  dataDir: string;
  /**
   * The data folder to use from the next start; null = the platform default. It is kept in a small
   * JSON file (data-location.json) in the default data folder, where the launcher reads it before
   * opening the database; nothing is moved: copy the folder yourself or start with an empty one.
   */
  nextDataDir: string | null;
  /** The models folder in use (the library): `models/` in the data folder unless set here. */
  modelsDir: string;
}

export const AppSettingsPatch = z
  .object({
    language: Language,
    theme: Theme,
    defaultModelPath: z.string().min(1).max(4096).nullable(),
    engineBackend: BackendPreference,
    engineThreads: z.number().int().min(0).max(1024),
    /** An absolute path, or null for the platform default. */
    nextDataDir: z.string().min(1).max(4096).nullable(),
    /** An absolute path (created if missing), or null for `models/` in the data folder. Applies at once. */
    modelsDir: z.string().min(1).max(4096).nullable(),
  })
  .partial()
  .strict();
export type AppSettingsPatch = z.infer<typeof AppSettingsPatch>;

export const settingsRequests = {
  'settings.get': method(NoParams, returns<AppSettings>()),
  'settings.update': method(AppSettingsPatch, returns<AppSettings>()),
} as const;
