// Presets: reusable system prompts (and optionally sampling) a conversation can start from.
import { z } from 'zod';
import { Id, NoParams, Sampling } from './common.js';
import { method, returns } from './method.js';

/** A reusable system prompt (and optionally sampling), stored in the settings table. */
export interface Preset {
  id: string;
  name: string;
  systemPrompt: string;
  sampling: Sampling;
  createdAt: number;
  updatedAt: number;
}

export const presetRequests = {
  'presets.list': method(NoParams, returns<Preset[]>()),
  /** Creates a preset (no id) or replaces the one with this id. */
  'presets.save': method(
    z
      .object({ id: Id.optional(), name: z.string().trim().min(1).max(100), systemPrompt: z.string().max(100_000), sampling: Sampling.optional() })
      .strict(),
    returns<Preset>(),
  ),
  'presets.delete': method(z.object({ id: Id }).strict(), returns<{ deleted: true }>()),
} as const;
