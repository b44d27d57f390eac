// Picks the llama.cpp backend: 'auto' tries CUDA, Vulkan (Metal on macOS), then the CPU, and says
// what it got and why. Only prebuilt binaries are used (build: 'never').
import { getLlama, type Llama } from 'node-llama-cpp';
import type { BackendPreference } from '../shared/protocol.js';

export interface BackendResult {
  llama: Llama;
  backend: 'cuda' | 'vulkan' | 'metal' | 'cpu';
  reason: string;
}

type Gpu = 'cuda' | 'vulkan' | 'metal';

function candidates(pref: BackendPreference): Gpu[] {
  if (pref === 'cpu') return [];
  if (pref !== 'auto') return [pref];
  return process.platform === 'darwin' ? ['metal'] : ['cuda', 'vulkan'];
}

export async function selectBackend(
  pref: BackendPreference,
  opts: { maxThreads: number; logger?: (level: string, message: string) => void },
): Promise<BackendResult> {
  const tried: string[] = [];
  const common = { build: 'never' as const, maxThreads: opts.maxThreads, logLevel: 'info' as never, logger: opts.logger as never, progressLogs: false, skipDownload: true };
  for (const gpu of candidates(pref)) {
    try {
      const llama = await getLlama({ ...common, gpu });
      const devices = llama.gpu === gpu ? await llama.getGpuDeviceNames() : [];
      if (llama.gpu === gpu && devices.length > 0) {
        const why = tried.length ? ` (${tried.join('; ')})` : '';
        return { llama, backend: gpu, reason: `${gpu} on ${devices.join(', ')}${why}` };
      }
      tried.push(`${gpu}: no device found`);
      await llama.dispose();
    } catch (error) {
      tried.push(`${gpu}: ${describe(error)}`);
    }
  }
  const llama = await getLlama({ ...common, gpu: false });
  const why = pref === 'cpu' ? 'CPU chosen in settings' : tried.length ? tried.join('; ') : 'no GPU backend on this platform';
  return { llama, backend: 'cpu', reason: `cpu (${why})` };
}

function describe(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NoBinaryFoundError') return 'no compatible prebuilt binary or driver';
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160);
}
