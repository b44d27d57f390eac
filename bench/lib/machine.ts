// Describes the machine a result was measured on, and the short slug used in result file names.
import os from 'node:os';

export interface MachineInfo {
  slug: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  /** 1-minute load average when the run started (other work on the machine makes results noisy). */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const cpuModel = (cpus[0]?.model ?? 'unknown cpu').replace(/\s+/g, ' ').trim();
  const cores = os.availableParallelism();
  return {
    slug: machineSlug(cpuModel, cores),
    cpuModel,
    cores,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    loadAverage: os.loadavg()[0] ?? 0,
  };
}

/** "Intel(R) Xeon(R) Processor" + 2 -> "intel-xeon-processor-2c". */
export function machineSlug(cpuModel: string, cores: number): string {
  const words = cpuModel
    .toLowerCase()
    .replace(/\((r|tm|c)\)/g, ' ')
    .replace(/\bcpu\b|@.*$|\d+(\.\d+)?\s*ghz|with .*$|\d+-core processor/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .split('-')
    .filter(Boolean)
    .slice(0, 5);
  return `${words.join('-') || 'cpu'}-${cores}c`;
}
