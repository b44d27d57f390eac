// Which libggml-cpu-<variant>.so node-llama-cpp loads on this CPU: llama.cpp's tools built by
// build.ts have no CPU backend of their own and are pointed at this one (toolEnv), so both run the
// same kernels. Found by loading node-llama-cpp in a child process and reading its memory maps.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cpu-backend-child.ts');
let found: string | null | undefined;

/** The backend file's absolute path; null where it cannot be told (no /proc, or not mapped). */
export function cpuBackendFile(): string | null {
  if (found !== undefined) return found;
  const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`finding node-llama-cpp's CPU backend failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  found = (JSON.parse(line) as { cpuBackend: string | null }).cpuBackend;
  return found;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) console.log(cpuBackendFile());
