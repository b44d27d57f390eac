// llama.cpp says why a model failed to load only in its log ("error loading model: ..."), while
// node-llama-cpp throws a bare "Failed to load model". This keeps llama.cpp's recent error lines
// so a failed load can name the file and give llama.cpp's reason.
import path from 'node:path';
import { printable } from '../../gguf/errors.js';

const KEEP = 40;
/** Lines that only say that loading failed, not why. */
const GENERIC = /failed to load model|failed to read tensor info|failed to read key-value pairs|failed to read header|^\s*$/i;

export class LlamaLogTail {
  private lines: string[] = [];
  private count = 0;

  /** For the llama logger: keeps error lines. */
  record(level: string, message: string): void {
    if (level !== 'error' && level !== 'fatal') return;
    for (const line of message.split('\n')) {
      if (!line.trim()) continue;
      this.lines.push(line);
      this.count++;
      if (this.lines.length > KEEP) this.lines.shift();
    }
  }

  /** A position in the log, to ask later what was logged after it. */
  mark(): number {
    return this.count;
  }

  /** The most telling line logged since `mark`, without llama.cpp's function-name prefixes. */
  reasonSince(mark: number): string | null {
    const recent = this.lines.slice(Math.max(0, this.lines.length - (this.count - mark)));
    const specific = recent.filter((l) => !GENERIC.test(l.replace(/^.*error loading model:\s*/, '')));
    const line = specific.at(-1) ?? recent.at(-1);
    if (!line) return null;
    const reason = line.replace(/^.*error loading model:\s*/, '').replace(/^(\s*[A-Za-z_][\w:]*:\s+)+/, '').trim();
    return reason || null;
  }
}

/** The error a failed load ends with: which file, and llama.cpp's reason when it gave one. */
export function loadError(modelPath: string, error: unknown, reason: string | null): Error {
  const file = path.basename(modelPath);
  const detail = reason ? `llama.cpp: ${printable(reason, 300)}` : error instanceof Error ? error.message : String(error);
  return new Error(`cannot load ${file}: ${detail}`, { cause: error });
}
