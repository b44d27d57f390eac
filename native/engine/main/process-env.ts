// Environment the engine process starts with.
//
// node-llama-cpp runs every decode and every sampling step as a separate job on libuv's thread pool
// (4 threads by default), so consecutive steps of one answer land on different OS threads. On a
// 2-core machine that made decoding ~35 % slower than the same llama.cpp binaries called from one
// thread (0.5B Q4_0, 2 threads: 44 tok/s vs 68; measured in bench part 1). With one pool thread
// every step runs on the same thread: 66 tok/s. The engine process does nothing else on the pool
// that could wait behind a decode for long (its files are small state writes, serialized with the
// context anyway).
export const ENGINE_THREAD_POOL_SIZE = 1;

export function engineProcessEnv(): Record<string, string> {
  return { UV_THREADPOOL_SIZE: String(ENGINE_THREAD_POOL_SIZE) };
}
