// The model library: the models folder (synced into SQLite on every listing) plus files used where
// they are ('referenced'). Every model is checked from its GGUF header(s) before llama.cpp may see
// it; a split model (`name-00001-of-0000N.gguf`) is one model listing all its parts.
//
// Sync rules: a new .gguf in the folder becomes a 'folder' model; a folder/copied/downloaded model
// whose file left the folder disappears (with its labels); a 'referenced' model stays even while its
// file is missing (listed with that problem) and works again once the file is back.
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type LibraryModel, type ModelDefaults } from '../contract.js';
import type { ModelRecord, ModelSource, Models, Settings } from '../store/index.js';
import { moveIntoPlace, removeStaleTemps } from './disk.js';
import { copyModelInto } from './library-copy.js';
import { ModelChecker, headerProblem, partsOf } from './model-files.js';

export const FOLDER_SETTING = 'library.folder';

export interface LibraryOptions {
  /** The models folder unless the setting `library.folder` names another. */
  defaultFolder: string;
  store: { models: Models; settings: Pick<Settings, 'get'> };
  /** True while the engine has this model (its first file) loaded. */
  isLoaded(modelPath: string): boolean;
  /** Called whenever the library changed (added, removed, updated, found in or gone from the folder). */
  onChange?(): void;
}

export class ModelLibrary {
  private checker = new ModelChecker();

  constructor(private readonly opts: LibraryOptions) {}

  /** The models folder now (absolute). */
  folder(): string {
    const value = this.opts.store.settings.get(FOLDER_SETTING);
    return typeof value === 'string' && value.trim() ? path.resolve(value) : this.opts.defaultFolder;
  }

  async list(): Promise<LibraryModel[]> {
    await this.sync();
    return Promise.all(this.opts.store.models.list().map((r) => this.describe(r)));
  }

  /**
   * Reads the folder again and announces 'models.changed' even when no file came or went (a file
   * still being written changes size and check). With recheck, every header is read anew instead
   * of trusting what was read for the same size and time.
   */
  async rescan(recheck = false): Promise<LibraryModel[]> {
    if (recheck) this.checker = new ModelChecker();
    await this.sync(true);
    this.changed();
    return Promise.all(this.opts.store.models.list().map((r) => this.describe(r)));
  }

  async get(id: string): Promise<LibraryModel> {
    await this.sync();
    return this.describe(this.record(id));
  }

  /** The model whose (first) file is `modelPath`, if the library lists it and llama.cpp may load it. */
  async usable(modelPath: string): Promise<LibraryModel> {
    await this.sync();
    const record = this.opts.store.models.byPath(path.resolve(modelPath));
    if (!record) throw new AppError('not_found', `The model ${path.basename(modelPath)} is not in the library.`);
    const model = await this.describe(record);
    if (model.problem) throw new AppError('invalid_request', `${model.name} cannot be used: ${model.problem}`);
    return model;
  }

  /**
   * Adds a GGUF from disk: 'reference' uses it where it is, 'copy' copies it (all parts of a split
   * model) into the models folder. A file that fails the header check never enters the library.
   */
  async add(filePath: string, mode: 'copy' | 'reference' = 'reference'): Promise<LibraryModel> {
    const absolute = path.resolve(filePath);
    const stat = await fs.stat(absolute).catch(() => null);
    if (!stat) throw new AppError('not_found', `No file at ${absolute}.`);
    if (!stat.isFile()) throw new AppError('invalid_request', `${absolute} is not a file.`);
    const parts = partsOf(absolute);
    await this.checkParts(parts);
    await this.sync();
    const existing = this.opts.store.models.byPath(parts[0]!);
    // Copying a referenced model moves it into the folder (its labels and defaults stay).
    if (existing && !(mode === 'copy' && existing.source === 'referenced')) return this.describe(existing);
    let record: ModelRecord;
    if (mode === 'copy') {
      const copies = await copyModelInto(parts, this.folder());
      const model = { path: copies[0]!, parts: copies, source: 'copied' as const };
      record = existing ? this.opts.store.models.relocate(existing.id, model) : this.opts.store.models.upsert(model);
    } else {
      record = this.opts.store.models.upsert({ path: parts[0]!, parts, source: 'referenced' });
    }
    this.changed();
    return this.describe(record);
  }

  /**
   * Puts a finished, checked temporary file (in the models folder) under its name without replacing
   * anything, and registers the model it belongs to with this source.
   */
  async place(tempPath: string, fileName: string, source: Exclude<ModelSource, 'folder' | 'referenced'>): Promise<LibraryModel> {
    const finalPath = path.join(path.dirname(tempPath), fileName);
    await moveIntoPlace(tempPath, finalPath);
    const parts = partsOf(finalPath);
    const record = this.opts.store.models.upsert({ path: parts[0]!, parts, source });
    this.changed();
    return this.describe(record);
  }

  async update(id: string, change: { labels?: string[]; defaults?: ModelDefaults }): Promise<LibraryModel> {
    const record = this.record(id);
    if (change.labels) {
      const labels = [...new Set(change.labels.map((l) => l.trim()).filter(Boolean))];
      this.opts.store.models.setLabels(id, labels);
    }
    if (change.defaults) this.opts.store.models.setDefaults(id, change.defaults);
    this.changed();
    return this.describe(this.opts.store.models.get(record.id)!);
  }

  /**
   * Removes a model from the library; with deleteFile, also its file(s), except for a referenced
   * model (its file is never deleted). Refused ('busy') while the engine has the model loaded.
   */
  async remove(id: string, deleteFile = false): Promise<void> {
    const record = this.record(id);
    const name = path.basename(record.path);
    if (this.opts.isLoaded(record.path)) {
      throw new AppError('busy', `${name} is loaded in the engine; it cannot be removed until another model is used or the engine stops.`);
    }
    if (record.source !== 'referenced') {
      if (!deleteFile) {
        throw new AppError(
          'invalid_request',
          `${name} is in the models folder and is listed as long as its file is there: delete it with its file, or move the file out of ${path.dirname(record.path)}.`,
        );
      }
      for (const part of record.parts) {
        try {
          await fs.rm(part, { force: true });
        } catch (error) {
          throw new AppError('failed', `Cannot delete ${part}: ${(error as Error).message}. The model stays in the library.`);
        }
      }
    }
    this.opts.store.models.delete(record.id);
    this.changed();
  }

  /** Header check of every part; throws AppError('invalid_request') naming the file and the reason. */
  private async checkParts(parts: string[]): Promise<void> {
    for (const [i, part] of parts.entries()) {
      const there = await fs.stat(part).catch(() => null);
      if (!there?.isFile()) {
        throw new AppError('invalid_request', `${path.basename(part)} is missing: part ${i + 1} of ${parts.length} of this split model must be next to the others.`);
      }
      const problem = await headerProblem(part, i, parts.length);
      if (problem) throw new AppError('invalid_request', `${path.basename(part)} cannot be used: ${problem}`);
    }
  }

  private record(id: string): ModelRecord {
    const record = this.opts.store.models.get(id);
    if (!record) throw new AppError('not_found', `There is no model with id "${id}" in the library.`);
    return record;
  }

  private async describe(r: ModelRecord): Promise<LibraryModel> {
    const check = await this.checker.check(r.parts);
    return {
      id: r.id,
      path: r.path,
      name: path.basename(r.path),
      sizeBytes: check.sizeBytes,
      architecture: check.architecture,
      problem: check.problem,
      source: r.source,
      labels: r.labels,
      defaults: r.defaults,
      summary: check.summary,
      parts: r.parts,
      addedAt: r.addedAt,
      loaded: this.opts.isLoaded(r.path),
    };
  }

  /** Brings the rows in line with the folder (see the rules at the top); quiet: the caller announces. */
  private async sync(quiet = false): Promise<void> {
    const folder = this.folder();
    await fs.mkdir(folder, { recursive: true });
    const entries = await fs.readdir(folder, { withFileTypes: true });
    await removeStaleTemps(folder, entries.map((e) => e.name));
    const groups = new Map<string, string[]>();
    for (const e of entries) {
      if (e.name.startsWith('.') || !e.name.toLowerCase().endsWith('.gguf') || !(e.isFile() || e.isSymbolicLink())) continue;
      const parts = partsOf(path.join(folder, e.name));
      groups.set(parts[0]!, parts);
    }
    const models = this.opts.store.models;
    let changed = false;
    for (const [first, parts] of groups) {
      if (!models.byPath(first)) {
        models.upsert({ path: first, parts, source: 'folder' });
        changed = true;
      }
    }
    for (const r of models.list()) {
      if (r.source !== 'referenced' && !groups.has(r.path)) changed = models.delete(r.id) || changed;
    }
    if (changed && !quiet) this.changed();
  }

  private changed(): void {
    this.opts.onChange?.();
  }
}
