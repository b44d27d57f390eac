// Schemas that several domains of the contract use: ids, sampling, and how a message ended.
import { z } from 'zod';

export const Id = z.string().min(1).max(64);

/** A model file's path as requests name it. */
export const ModelPath = z.string().min(1).max(4096);

/**
 * Sampling of one answer. Every field is optional: what a request leaves out comes from the
 * conversation's settings, then its preset, then the model's defaults, then Qwen2-Instruct's
 * published generation settings (temperature 0.7, top-p 0.8, top-k 20, repeat penalty 1.05).
 */
export const Sampling = z
  .object({
    temperature: z.number().min(0).max(2),
    topP: z.number().gt(0).max(1),
    topK: z.number().int().min(0).max(1000),
    /** 0 turns min-p sampling off. */
    minP: z.number().min(0).max(1),
    /** Penalty for repeating recent tokens; 1 turns it off. */
    repeatPenalty: z.number().min(1).max(2),
    /**
     * At most this many tokens per answer (and per Continue); without it DEFAULT_ANSWER_LIMIT;
     * 0: no limit (the answer may fill what is left of the context).
     */
    maxTokens: z.number().int().min(0).max(131072),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
  })
  .partial()
  .strict();
export type Sampling = z.infer<typeof Sampling>;

/** The answer limit where nothing (request, conversation, preset, model) sets sampling.maxTokens. */
export const DEFAULT_ANSWER_LIMIT = 2048;

/** Why a finished answer ended: its end-of-turn, the answer limit, or a full context (Continue goes on). */
export const StopReason = z.enum(['end', 'limit', 'context-full']);
export type StopReason = z.infer<typeof StopReason>;

export const MessageStatus = z.enum(['done', 'streaming', 'stopped', 'interrupted', 'error']);
export type MessageStatus = z.infer<typeof MessageStatus>;

/** A request without parameters. */
export const NoParams = z.object({}).strict();
