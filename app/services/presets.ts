// System-prompt presets, kept as one JSON array in the settings table. Entries that do not parse
// (written by hand, or by a newer version) are kept as they are when the list is saved.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, Id, Sampling, type Preset } from '../contract.js';
import type { Settings } from '../store/index.js';

export const PRESETS_KEY = 'chat.presets';

const StoredPreset = z.object({
  id: Id,
  name: z.string().min(1).max(100),
  systemPrompt: z.string().max(100_000),
  sampling: Sampling.catch({}),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export interface PresetInput {
  id?: string;
  name: string;
  systemPrompt: string;
  sampling?: Sampling;
}

export class Presets {
  constructor(private readonly settings: Settings) {}

  private raw(): unknown[] {
    const value = this.settings.get(PRESETS_KEY);
    return Array.isArray(value) ? value : [];
  }

  /** Oldest first. */
  list(): Preset[] {
    return this.raw().flatMap((entry) => {
      const parsed = StoredPreset.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  }

  get(id: string): Preset | null {
    return this.list().find((p) => p.id === id) ?? null;
  }

  save(input: PresetInput, now = Date.now()): Preset {
    const raw = this.raw();
    const existing = input.id === undefined ? null : this.get(input.id);
    if (input.id !== undefined && !existing) throw new AppError('not_found', 'This preset no longer exists.');
    const preset: Preset = {
      id: existing?.id ?? randomUUID(),
      name: input.name.trim(),
      systemPrompt: input.systemPrompt,
      sampling: input.sampling ?? {},
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const at = raw.findIndex((e) => (e as { id?: unknown })?.id === preset.id);
    if (at === -1) raw.push(preset);
    else raw[at] = preset;
    this.settings.set(PRESETS_KEY, raw);
    return preset;
  }

  delete(id: string): void {
    const raw = this.raw();
    const kept = raw.filter((e) => (e as { id?: unknown })?.id !== id);
    if (kept.length === raw.length) throw new AppError('not_found', 'This preset no longer exists.');
    this.settings.set(PRESETS_KEY, kept);
  }
}
