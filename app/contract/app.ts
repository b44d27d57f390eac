// The app itself: where its data is, and whether it can save.
import { NoParams } from './common.js';
import { method, returns } from './method.js';

export interface AppInfo {
  version: string;
  dataDir: string;
  modelsDir: string;
  databasePath: string;
  /** Why nothing new can be saved now (the disk is full), or null while everything can be saved. */
  saveProblem: SaveProblem | null;
}

/** 'disk-full': until there is room again; 'read-only': started on a full disk, until the next start. */
export interface SaveProblem {
  kind: 'disk-full' | 'read-only';
  message: string;
}

export const appRequests = {
  'app.info': method(NoParams, returns<AppInfo>()),
} as const;

export type AppInfoEvent =
  /** AppInfo.saveProblem changed: the disk became full, or has room again. */
  { type: 'storage.changed'; saveProblem: SaveProblem | null };
