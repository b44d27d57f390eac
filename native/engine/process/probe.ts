// What the engine can tell main about this machine so that main can plan a load (main/memory-plan.ts):
// the backend, the GPUs with their VRAM, the RAM, and how the CPU backend lays out weights.
import fs from 'node:fs';
import os from 'node:os';
import type { Llama } from 'node-llama-cpp';
import type { CpuWeightLayout, EngineProbe } from '../shared/protocol.js';

export async function probeMachine(llama: Llama, backend: EngineProbe['backend']): Promise<EngineProbe> {
  const [ram, vram, names] = await Promise.all([
    llama.getRamState(),
    backend === 'cpu' ? null : llama.getVramState(),
    backend === 'cpu' ? [] : llama.getGpuDeviceNames(),
  ]);
  // llama.cpp reports VRAM summed over the devices it uses; with several devices each is given an
  // equal share (and vramIsAggregate says so).
  const share = Math.max(1, names.length);
  const gpus = vram ? names.map((name) => ({ name, totalVram: vram.total / share, freeVram: vram.free / share })) : [];
  return {
    backend,
    gpus,
    vramIsAggregate: gpus.length > 1,
    unifiedMemory: (vram?.unifiedSize ?? 0) > 0,
    totalRam: ram.total,
    freeRam: ram.free,
    cpuWeightLayout: detectCpuWeightLayout(),
  };
}

/**
 * Which extra weight layout ggml's CPU backend uses here (see main/memory-sizes.ts): AMX-INT8 on x86
 * (Linux reports it in /proc/cpuinfo), else the AVX2 / ARM dot-product repacking, else none.
 */
export function detectCpuWeightLayout(cpuinfo = readCpuinfo(), arch = process.arch, platform = process.platform): CpuWeightLayout {
  if (arch === 'arm64') return platform === 'darwin' || /\basimddp\b/.test(cpuinfo) ? 'repack-arm' : 'plain';
  if (arch !== 'x64') return 'plain';
  if (/\bamx_int8\b/.test(cpuinfo)) return 'amx';
  if (/\bavx2\b/.test(cpuinfo)) return 'repack-x86';
  // No /proc/cpuinfo (Windows, macOS on Intel): nearly every x64 CPU still sold has AVX2.
  return cpuinfo ? 'plain' : 'repack-x86';
}

function readCpuinfo(): string {
  if (os.platform() !== 'linux') return '';
  try {
    return fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}
