// `qwen2-desk synth`: writes a synthetic Qwen2 GGUF model from the command line.

import { PRESET_NAMES, type Arch } from './presets.js';
import { isTensorTypeName, resolveSynthOptions, writeSyntheticModel, type SynthOptions } from './synth.js';

export const SYNTH_USAGE = `usage: qwen2-desk synth --preset NAME --out FILE [--arch qwen2|qwen2moe] [--type f32|f16|q8_0|q4_0]
                        [--layers N] [--seed S] [--context N]
  presets: ${PRESET_NAMES.join(', ')} (only tiny can be written as qwen2moe)
  defaults: --arch from the preset, --type q8_0, --seed 1, --context 32768`;

class UsageError extends Error {}

const FLAGS = new Set(['--preset', '--arch', '--out', '--type', '--layers', '--seed', '--context']);

function parseIntFlag(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number, got "${value}"`);
  return Number(value);
}

/** Parses the flags of `synth` into options (throws UsageError with a clear message). */
export function parseSynthArgs(args: string[]): SynthOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    let flag = args[i]!;
    let value: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) [flag, value] = [flag.slice(0, eq), flag.slice(eq + 1)];
    if (!FLAGS.has(flag)) throw new UsageError(`unknown argument "${flag}"`);
    if (value === undefined) {
      value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    }
    if (values.has(flag)) throw new UsageError(`${flag} given twice`);
    values.set(flag, value);
  }
  const preset = values.get('--preset');
  if (!preset) throw new UsageError('--preset is required');
  const out = values.get('--out');
  if (!out) throw new UsageError('--out is required');
  const opts: SynthOptions = { preset, out };
  const arch = values.get('--arch');
  if (arch !== undefined) {
    if (arch !== 'qwen2' && arch !== 'qwen2moe') throw new UsageError(`--arch must be qwen2 or qwen2moe, got "${arch}"`);
    opts.arch = arch as Arch;
  }
  const type = values.get('--type');
  if (type !== undefined) {
    if (!isTensorTypeName(type)) throw new UsageError(`--type must be f32, f16, q8_0 or q4_0, got "${type}"`);
    opts.type = type;
  }
  const layers = values.get('--layers');
  if (layers !== undefined) opts.layers = parseIntFlag('--layers', layers);
  const seed = values.get('--seed');
  if (seed !== undefined) opts.seed = parseIntFlag('--seed', seed);
  const context = values.get('--context');
  if (context !== undefined) opts.contextLength = parseIntFlag('--context', context);
  return opts;
}

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
const millions = (n: number): string => `${(n / 1e6).toFixed(1)}M`;

/** Runs `synth` with the arguments after the command name; returns the exit code (0 ok, 1 failed, 2 bad usage). */
export async function runSynthCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(SYNTH_USAGE);
    return 0;
  }
  let opts: SynthOptions;
  try {
    opts = parseSynthArgs(args);
    resolveSynthOptions(opts); // checks preset, arch, layers, seed and context
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    console.error(`qwen2-desk synth: ${e.message}\n${SYNTH_USAGE}`);
    return 2;
  }
  try {
    const r = await writeSyntheticModel(opts);
    const s = r.shape;
    console.log(`wrote ${r.path}`);
    console.log(`  ${s.preset} ${s.arch} ${r.type.toUpperCase()}: ${s.layers} layer${s.layers === 1 ? '' : 's'}, hidden ${s.hidden}, ${s.heads} heads / ${s.kvHeads} kv` +
      (s.experts ? `, ${s.experts} experts (${s.expertsUsed} used)` : ''));
    console.log(`  ${millions(r.parameters)} parameters, ${mb(r.bytes)} (${r.bytes} bytes), ${r.seconds.toFixed(1)} s`);
    return 0;
  } catch (e) {
    console.error(`qwen2-desk synth: cannot write ${opts.out}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
