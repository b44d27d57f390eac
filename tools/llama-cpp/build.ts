// Builds llama.cpp's own tools (llama-bench, llama-server, llama-quantize, llama-gguf-split,
// llama-tokenize, rpc-server) from the exact source node-llama-cpp ships (its git bundle + the patches it applies), once, into .cache/llama.cpp. The build has no
// CPU backend of its own (GGML_BACKEND_DL=ON, GGML_CPU=OFF): at run time it loads the very
// libggml-cpu-<variant>.so that node-llama-cpp loads, so both sides run the same math kernels.
// Used by the benchmark (speed baselines) and by the tests (files made the way official GGUFs are).
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const nlcDir = path.join(projectRoot, 'node_modules', 'node-llama-cpp', 'llama');
export const bundlePath = path.join(nlcDir, 'gitRelease.bundle');
export const prebuiltDir = path.join(projectRoot, 'node_modules', '@node-llama-cpp', `${process.platform}-${process.arch}`, 'bins', `${process.platform}-${process.arch}`);

export interface LlamaCppTools {
  srcDir: string;
  buildDir: string;
  benchBin: string;
  serverBin: string;
  quantizeBin: string;
  splitBin: string;
  tokenizeBin: string;
  rpcServerBin: string;
  /** The commit of the bundle the tools were built from. */
  commit: string;
  buildSeconds: number | null;
}

function cacheBase(): string {
  return path.join(process.env.QWEN2_DESK_CACHE || path.join(projectRoot, '.cache'), 'llama.cpp');
}

const CMAKE_FLAGS = [
  '-DCMAKE_BUILD_TYPE=Release',
  '-DGGML_BACKEND_DL=ON',
  '-DGGML_CPU=OFF',
  '-DGGML_NATIVE=OFF', // a native build dies with SIGILL on some virtual CPUs
  '-DLLAMA_CURL=OFF',
  '-DLLAMA_OPENSSL=OFF',
  '-DLLAMA_BUILD_TESTS=OFF',
  '-DLLAMA_BUILD_EXAMPLES=OFF',
  '-DLLAMA_BUILD_TOOLS=ON',
  '-DLLAMA_BUILD_SERVER=ON',
  '-DGGML_RPC=ON', // rpc-server and llama-server --rpc: one model split across processes or machines
];

/** Every tool the benchmark and the tests use, built in one go. */
const TARGETS = ['llama-bench', 'llama-server', 'llama-quantize', 'llama-gguf-split', 'llama-tokenize', 'ggml-rpc-server'];

function paths() {
  const base = cacheBase();
  const buildDir = path.join(base, 'build');
  const bin = (name: string) => path.join(buildDir, 'bin', name);
  const tools = {
    srcDir: path.join(base, 'src'),
    buildDir,
    benchBin: bin('llama-bench'),
    serverBin: bin('llama-server'),
    quantizeBin: bin('llama-quantize'),
    splitBin: bin('llama-gguf-split'),
    tokenizeBin: bin('llama-tokenize'),
    rpcServerBin: bin('ggml-rpc-server'),
  };
  return { base, stamp: path.join(base, 'build-stamp.json'), tools, bins: [tools.benchBin, tools.serverBin, tools.quantizeBin, tools.splitBin, tools.tokenizeBin, tools.rpcServerBin] };
}

function bundleCommit(): string {
  const out = run('git', ['bundle', 'list-heads', bundlePath], { stdio: 'pipe' });
  const head = out.split('\n').find((l) => l.trim().length > 0);
  if (!head) throw new Error(`cannot read ${bundlePath}`);
  return head.split(' ')[0]!;
}

/** The tools, when already built from the bundle node-llama-cpp ships now; null otherwise. */
export function builtLlamaCpp(): LlamaCppTools | null {
  const p = paths();
  if (!fs.existsSync(p.stamp) || !p.bins.every((b) => fs.existsSync(b)) || !fs.existsSync(bundlePath)) return null;
  try {
    const stamp = JSON.parse(fs.readFileSync(p.stamp, 'utf8')) as { commit: string; flags: string[]; seconds: number };
    if (stamp.commit !== bundleCommit() || stamp.flags.join(' ') !== [...CMAKE_FLAGS, ...TARGETS].join(' ')) return null;
    return { ...p.tools, commit: stamp.commit, buildSeconds: null };
  } catch {
    return null;
  }
}

/** Builds the tools once (about 5 minutes on 2 cores); later calls reuse them. */
export function buildLlamaCpp(log: (line: string) => void = () => {}): LlamaCppTools {
  const done = builtLlamaCpp();
  if (done) return done;
  if (!fs.existsSync(bundlePath)) throw new Error(`node-llama-cpp's llama.cpp source bundle is missing (${bundlePath})`);
  const p = paths();
  const commit = bundleCommit();
  const started = Date.now();
  fs.mkdirSync(p.base, { recursive: true });
  const srcCommit = fs.existsSync(path.join(p.tools.srcDir, '.git')) ? tryRun('git', ['-C', p.tools.srcDir, 'rev-parse', 'HEAD']) : null;
  if (srcCommit !== commit) {
    log(`llama.cpp: cloning ${path.relative(projectRoot, bundlePath)} (${commit.slice(0, 10)}) into ${p.tools.srcDir}`);
    fs.rmSync(p.tools.srcDir, { recursive: true, force: true });
    fs.rmSync(p.tools.buildDir, { recursive: true, force: true });
    run('git', ['clone', '--quiet', bundlePath, p.tools.srcDir]);
    run('git', ['-C', p.tools.srcDir, 'checkout', '--quiet', commit]);
    applyPatches(p.tools.srcDir, log);
  }
  const generator = tryRun('ninja', ['--version']) ? ['-G', 'Ninja'] : [];
  log(`llama.cpp: configuring (${CMAKE_FLAGS.join(' ')})`);
  run('cmake', ['-S', p.tools.srcDir, '-B', p.tools.buildDir, ...generator, ...CMAKE_FLAGS], { stdio: 'pipe' });
  log(`llama.cpp: building ${TARGETS.join(', ')} (one time, ~5 min on 2 cores)`);
  const jobs = String(os.availableParallelism());
  run('cmake', ['--build', p.tools.buildDir, '--config', 'Release', '-j', jobs, '--target', ...TARGETS], { stdio: 'pipe' });
  const seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(p.stamp, JSON.stringify({ commit, flags: [...CMAKE_FLAGS, ...TARGETS], seconds, builtAt: new Date().toISOString() }, null, 2));
  log(`llama.cpp: built in ${seconds.toFixed(0)} s`);
  return { ...p.tools, commit, buildSeconds: seconds };
}

/** The patches node-llama-cpp applies to the same source before it builds (skipped when already in). */
function applyPatches(srcDir: string, log: (line: string) => void): void {
  const dir = path.join(nlcDir, 'patches');
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.diff')).sort()) {
    const file = path.join(dir, name);
    const check = spawnSync('git', ['-C', srcDir, 'apply', '--check', '--ignore-whitespace', file], { stdio: 'pipe' });
    if (check.status === 0) {
      run('git', ['-C', srcDir, 'apply', '--ignore-whitespace', file]);
      log(`llama.cpp: applied ${name}`);
    } else log(`llama.cpp: ${name} does not apply (already in the source?), skipped`);
  }
}

/**
 * The environment that makes the tools load node-llama-cpp's own CPU backend. `variant` is the
 * libggml-cpu-<variant>.so file name node-llama-cpp maps on this CPU.
 */
export function toolEnv(cpuBackendFile: string): NodeJS.ProcessEnv {
  return { ...process.env, GGML_BACKEND_PATH: cpuBackendFile, LD_LIBRARY_PATH: [path.join(paths().tools.buildDir, 'bin'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
}

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts, stdio: opts.stdio ?? 'pipe' });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${tail}`);
  }
  return String(r.stdout ?? '');
}

function tryRun(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: 'pipe' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// `node --import tsx tools/llama-cpp/build.ts` builds (or reports) the tools.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const tools = buildLlamaCpp((l) => console.log(l));
  console.log(JSON.stringify(tools, null, 2));
}
