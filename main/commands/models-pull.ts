// `qwen2-desk models pull URI`: downloads into the library with a one-line progress display.
// Ctrl-C pauses the download (its bytes stay); running the same command again resumes it.
import type { AppEvent, Download } from '../../app/contract.js';
import type { Core } from '../../app/core.js';
import { formatBytes } from '../../app/services/disk.js';
import { progressLine } from './format.js';

export interface PullOptions {
  uri: string;
  sha256?: string;
  json: boolean;
}

export async function pull(core: Core, call: <T>(method: string, params: unknown) => Promise<T>, opts: PullOptions): Promise<number> {
  const tty = process.stdout.isTTY === true;
  let lastLine = 0;
  let id = '';
  let finish!: (d: Download) => void;
  const ended = new Promise<Download>((resolve) => (finish = resolve));
  const show = (d: Download) => {
    if (opts.json) return;
    const now = Date.now();
    if (tty) process.stdout.write(`\r\x1b[2K${progressLine(d)}`);
    else if (now - lastLine >= 1000) process.stdout.write(`${progressLine(d)}\n`);
    else return;
    lastLine = now;
  };
  const off = core.onEvent((e: AppEvent) => {
    if (e.type !== 'download.updated' || e.download.id !== id) return;
    if (['done', 'failed', 'cancelled', 'paused'].includes(e.download.state)) finish(e.download);
    else show(e.download);
  });

  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    if (id) void call<Download>('downloads.pause', { id }).then(finish, () => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    const started = await call<Download>('downloads.start', { uri: opts.uri, ...(opts.sha256 ? { sha256: opts.sha256 } : {}) });
    id = started.id;
    if (started.receivedBytes > 0 && !opts.json) process.stdout.write(`Resuming ${started.fileName} from ${formatBytes(started.receivedBytes)}.\n`);
    const now = core.downloads.get(id);
    if (['done', 'failed', 'cancelled', 'paused'].includes(now.state)) finish(now);
    if (interrupted) onSigint();
    const d = await ended;
    if (tty && !opts.json) process.stdout.write('\n');
    if (opts.json) process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
    if (d.state === 'done') {
      if (!opts.json) process.stdout.write(`Downloaded ${d.fileName} (${formatBytes(d.receivedBytes)}) into the library as model ${d.modelId}.\n`);
      return 0;
    }
    if (d.state === 'paused' && interrupted) {
      if (!opts.json) {
        const of = d.totalBytes ? ` of ${formatBytes(d.totalBytes)}` : '';
        process.stdout.write(`Paused at ${formatBytes(d.receivedBytes)}${of}. Run the same command again to resume.\n`);
      }
      return 130;
    }
    const why = d.error ?? d.state;
    process.stderr.write(d.state === 'paused' ? `Paused: ${why}. Run the same command again to resume.\n` : `Download failed: ${why}\n`);
    return 1;
  } finally {
    off();
    process.off('SIGINT', onSigint);
  }
}
