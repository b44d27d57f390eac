// App settings (settings.get / settings.update): language, theme, default model, the engine's
// backend and threads (applied by restarting the engine once idle), and the data folder for the
// next start, kept in data-location.json in the default data folder where the launcher reads it.
import fs from 'node:fs';
import { FOLDER_SETTING } from './library.js';
import path from 'node:path';
import { z } from 'zod';
import { AppError, BackendPreference, Language, Theme, type AppSettings, type AppSettingsPatch } from '../contract.js';
import type { Settings } from '../store/index.js';
import type { Engine } from '../engine.js';

export const DATA_LOCATION_FILE = 'data-location.json';
const DataLocation = z.object({ dataDir: z.string().min(1) });

const KEYS = {
  language: 'app.language',
  theme: 'app.theme',
  defaultModelPath: 'app.defaultModelPath',
  engineBackend: 'engine.backend',
  engineThreads: 'engine.threads',
} as const;

/** The data folder named in `locationFile`, or null when there is none (or it cannot be read). */
export function readDataLocation(locationFile: string): string | null {
  try {
    const parsed = DataLocation.safeParse(JSON.parse(fs.readFileSync(locationFile, 'utf8')));
    return parsed.success && path.isAbsolute(parsed.data.dataDir) ? parsed.data.dataDir : null;
  } catch {
    return null;
  }
}

/** For the launcher: the data folder to open, given the platform default (data-location.json in it may point elsewhere). */
export function resolveDataDir(defaultDir: string): string {
  return readDataLocation(path.join(defaultDir, DATA_LOCATION_FILE)) ?? defaultDir;
}

/** The engine options stored in settings, for options the launcher did not set. */
export function storedEngineOptions(settings: Settings): { backend?: BackendPreference; threads?: number } {
  const backend = BackendPreference.safeParse(settings.get(KEYS.engineBackend));
  const threads = z.number().int().min(1).safeParse(settings.get(KEYS.engineThreads));
  return { backend: backend.success ? backend.data : undefined, threads: threads.success ? threads.data : undefined };
}

export class AppSettingsService {
  constructor(
    private readonly settings: Settings,
    private readonly engine: Pick<Engine, 'options' | 'reconfigure'>,
    private readonly where: { dataDir: string; locationFile: string },
    private readonly library: { folder(): string; folderChanged(): void },
  ) {}

  get(): AppSettings {
    const read = <T>(schema: z.ZodType<T>, key: string, fallback: T): T => {
      const parsed = schema.safeParse(this.settings.get(key));
      return parsed.success ? parsed.data : fallback;
    };
    const engine = this.engine.options;
    return {
      language: read(Language, KEYS.language, 'system'),
      theme: read(Theme, KEYS.theme, 'system'),
      defaultModelPath: read(z.string().min(1).nullable(), KEYS.defaultModelPath, null),
      engineBackend: engine.backend,
      engineThreads: engine.threads ?? 0,
      dataDir: this.where.dataDir,
      nextDataDir: readDataLocation(this.where.locationFile),
      modelsDir: this.library.folder(),
    };
  }

  update(patch: AppSettingsPatch): AppSettings {
    if (patch.nextDataDir != null && !path.isAbsolute(patch.nextDataDir)) {
      throw new AppError('invalid_request', `The data folder must be an absolute path, not "${patch.nextDataDir}".`);
    }
    if (patch.modelsDir != null) this.checkModelsDir(patch.modelsDir);
    if (patch.language !== undefined) this.settings.set(KEYS.language, patch.language);
    if (patch.theme !== undefined) this.settings.set(KEYS.theme, patch.theme);
    if (patch.defaultModelPath !== undefined) this.settings.set(KEYS.defaultModelPath, patch.defaultModelPath);
    if (patch.engineBackend !== undefined) this.settings.set(KEYS.engineBackend, patch.engineBackend);
    if (patch.engineThreads !== undefined) this.settings.set(KEYS.engineThreads, patch.engineThreads);
    if (patch.engineBackend !== undefined || patch.engineThreads !== undefined) {
      const change: { backend?: BackendPreference; threads?: number } = {};
      if (patch.engineBackend !== undefined) change.backend = patch.engineBackend;
      if (patch.engineThreads !== undefined) change.threads = patch.engineThreads || undefined;
      this.engine.reconfigure(change);
    }
    if (patch.nextDataDir !== undefined) this.writeLocation(patch.nextDataDir);
    if (patch.modelsDir !== undefined) {
      this.settings.set(FOLDER_SETTING, patch.modelsDir);
      this.library.folderChanged();
    }
    return this.get();
  }

  /** A models folder must be an absolute path to a folder we can create and write in. */
  private checkModelsDir(dir: string): void {
    if (!path.isAbsolute(dir)) throw new AppError('invalid_request', `The models folder must be an absolute path, not "${dir}".`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (error) {
      throw new AppError('failed', `The models folder "${dir}" cannot be used: ${(error as Error).message}`);
    }
  }

  private writeLocation(dataDir: string | null): void {
    const file = this.where.locationFile;
    try {
      if (dataDir === null) {
        fs.rmSync(file, { force: true });
        return;
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, `${JSON.stringify({ dataDir }, null, 2)}\n`);
      fs.renameSync(temp, file);
    } catch (error) {
      throw new AppError('failed', `The data folder setting could not be saved to "${file}": ${(error as Error).message}`);
    }
  }
}
