// Qwen2 defaults that main and the engine process both use, without loading llama.cpp.
export const QWEN2_DEFAULT_SYSTEM_PROMPT = 'You are a helpful assistant.';

/**
 * Room kept for the answer when the request sets no maxTokens (at most half the context): the
 * engine process fits the conversation around it (process/context-fit.ts), main plans documents
 * around it.
 */
export const DEFAULT_ANSWER_RESERVE = 1024;
