// `qwen2-desk bench [--quick] ...`: runs the benchmark (bench/run.ts) of the development tree as its own
// process, so the product CLI never loads benchmark code. A packaged app has no bench/ folder: it says so.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const treeRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function runBenchCommand(args: string[], root = treeRoot): Promise<number> {
  const script = path.join(root, 'bench', 'run.ts');
  if (!fs.existsSync(script)) {
    process.stderr.write(
      `qwen2-desk bench: the benchmark is part of the development tree (bench/run.ts), not of this installation; ` +
        `run it from a checkout of the source with "npm run bench".\n`,
    );
    return 1;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: 'inherit' });
  // Ctrl-C reaches the benchmark too (same terminal): it stops its own servers and exits; wait for that.
  // A SIGTERM is sent to this process only: pass it on.
  const ignore = () => {};
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
    });
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', forward);
  }
}
