// Qwen2 facts the main process needs without loading llama.cpp.
export const QWEN2_DEFAULT_SYSTEM_PROMPT = 'You are a helpful assistant.';
