// The JSON export format of a conversation (version 1): the whole tree of messages, parents first,
// with the conversation's settings. Shared by export and import.
import { z } from 'zod';
import { ConversationSettings, MessageStatus, Sampling } from '../contract.js';

export const EXPORT_FORMAT = 'qwen2-desk.conversation';
export const EXPORT_VERSION = 1;

const MessageId = z.string().min(1).max(64);
const Count = z.number().int().min(0);

export const ExportedStats = z
  .object({
    tokens: Count,
    tokensPerSecond: z.number().min(0),
    timeToFirstTokenMs: z.number().min(0),
    promptTokens: Count.nullable(),
    contextTokens: Count.nullable(),
    contextSize: Count.nullable(),
  })
  .strict();

export const ExportedMessage = z
  .object({
    id: MessageId,
    parentId: MessageId.nullable(),
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string().max(10_000_000),
    status: MessageStatus,
    error: z.string().max(100_000).nullable(),
    model: z.string().max(4096).nullable(),
    createdAt: Count,
    stats: ExportedStats.nullable(),
    droppedMessages: Count,
    sampling: Sampling.nullable(),
  })
  .strict();
export type ExportedMessage = z.infer<typeof ExportedMessage>;

export const ExportFile = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: Count,
    conversation: z
      .object({
        title: z.string().trim().min(1).max(200),
        createdAt: Count,
        updatedAt: Count,
        pinned: z.boolean(),
        settings: ConversationSettings,
        activeLeafId: MessageId.nullable(),
      })
      .strict(),
    messages: z.array(ExportedMessage).max(1_000_000),
  })
  .strict();
export type ExportFile = z.infer<typeof ExportFile>;
