// Thread count for llama.cpp, chosen deliberately: node-llama-cpp's default (maxThreads) counts
// logical CPUs and more, which oversubscribes small machines (measured here: 4 threads on 2 cores
// decoded a tiny model 70x slower than 1 thread). We use one thread per core llama.cpp can use for
// math, and fewer when the model runs wholly on a GPU, where the CPU only feeds it.
import os from 'node:os';

export interface ThreadChoice {
  threads: number;
  reason: string;
}

export function chooseThreads(opts: { requested?: number; cpuMathCores?: number; gpu: boolean }): ThreadChoice {
  const cores = Math.max(1, opts.cpuMathCores ?? os.availableParallelism());
  if (opts.requested && opts.requested > 0) {
    const threads = Math.min(opts.requested, os.availableParallelism());
    return { threads, reason: `set in settings (${opts.requested})` };
  }
  if (opts.gpu) {
    const threads = Math.min(cores, 4);
    return { threads, reason: `GPU backend: ${threads} CPU thread(s) feed it` };
  }
  return { threads: cores, reason: `one per CPU core (${cores})` };
}
