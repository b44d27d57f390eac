// The models the chat can use: the GGUF files in the models folder, plus files added from
// elsewhere (referenced in place). Every file is checked from its header, in JS, before llama.cpp
// ever sees it.
import fs from 'node:fs/promises';
import path from 'node:path';
import { GgufError, readGgufHeader } from '../../native/gguf/reader.js';
import { AppError, type ModelFile } from '../contract.js';

export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const EXTERNAL_KEY = 'models.external';

export class ModelLibrary {
  private readonly checked = new Map<string, { stamp: string; file: ModelFile }>();

  constructor(
    readonly modelsDir: string,
    private readonly settings: SettingsStore,
  ) {}

  async list(): Promise<ModelFile[]> {
    await fs.mkdir(this.modelsDir, { recursive: true });
    const names = (await fs.readdir(this.modelsDir)).filter((n) => n.toLowerCase().endsWith('.gguf')).sort();
    const inFolder = names.map((n) => path.join(this.modelsDir, n));
    const external = this.external().filter((p) => !inFolder.includes(p));
    const files = await Promise.all([...inFolder, ...external].map((p) => this.describe(p)));
    return files.filter((f): f is ModelFile => f !== null);
  }

  /** Adds a file from anywhere on disk (referenced in place). Refuses a file that is not a usable GGUF. */
  async add(filePath: string): Promise<ModelFile> {
    const absolute = path.resolve(filePath);
    const file = await this.describe(absolute);
    if (!file) throw new AppError('not_found', `No file at ${absolute}.`);
    if (file.problem) throw new AppError('invalid_request', `${path.basename(absolute)} cannot be used: ${file.problem}`);
    if (path.dirname(absolute) !== this.modelsDir && !this.external().includes(absolute)) {
      this.settings.set(EXTERNAL_KEY, [...this.external(), absolute]);
    }
    return file;
  }

  /** The model at this path, if it is one the library lists and llama.cpp may load. */
  async usable(modelPath: string): Promise<ModelFile> {
    const file = (await this.list()).find((f) => f.path === modelPath);
    if (!file) throw new AppError('not_found', `The model ${path.basename(modelPath)} is not in the library.`);
    if (file.problem) throw new AppError('invalid_request', `${file.name} cannot be used: ${file.problem}`);
    return file;
  }

  private external(): string[] {
    const value = this.settings.get(EXTERNAL_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  private async describe(filePath: string): Promise<ModelFile | null> {
    let stat;
    try {
      stat = await fs.stat(filePath);
    } catch {
      return null;
    }
    if (!stat.isFile()) return null;
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const cached = this.checked.get(filePath);
    if (cached && cached.stamp === stamp) return cached.file;
    const file: ModelFile = { path: filePath, name: path.basename(filePath), sizeBytes: stat.size, architecture: null, problem: null };
    try {
      const header = await readGgufHeader(filePath);
      file.architecture = header.summary.architecture;
    } catch (error) {
      file.problem = error instanceof GgufError ? error.reason : `cannot be read (${(error as Error).message})`;
    }
    this.checked.set(filePath, { stamp, file });
    return file;
  }
}
