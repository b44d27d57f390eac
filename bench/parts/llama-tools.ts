// llama.cpp's own tools on the same model and threads: llama-bench (pp/tg) and llama-server
// (/completion, timings from its response). Both load node-llama-cpp's own CPU backend.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { toolEnv, type LlamaCppTools } from '../../tools/llama-cpp/build.js';

/** llama-bench: pp<prompt> and tg<gen> in one run (one model load, llama-bench's own warm-up), `reps` repetitions each; average tokens/s. */
export function llamaBench(tools: LlamaCppTools, cpuBackend: string, o: { model: string; threads: number; prompt: number; gen: number; reps: number }): { prefill: number; decode: number } {
  const args = ['-m', o.model, '-t', String(o.threads), '-p', String(o.prompt), '-n', String(o.gen), '-r', String(o.reps), '-o', 'json'];
  const r = spawnSync(tools.benchBin, args, { env: toolEnv(cpuBackend), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
  if (r.status !== 0) throw new Error(`llama-bench ${args.join(' ')} failed (${r.error?.message ?? r.status}): ${(r.stderr ?? '').split('\n').slice(-8).join('\n')}`);
  const rows = JSON.parse(r.stdout) as Array<{ n_prompt: number; n_gen: number; avg_ts: number }>;
  const pp = rows.find((x) => x.n_prompt === o.prompt && x.n_gen === 0);
  const tg = rows.find((x) => x.n_gen === o.gen && x.n_prompt === 0);
  if (!pp || !tg) throw new Error(`llama-bench printed no result for pp${o.prompt} / tg${o.gen}`);
  return { prefill: pp.avg_ts, decode: tg.avg_ts };
}

export interface ServerTimings {
  prompt_n: number;
  prompt_ms: number;
  prompt_per_second: number;
  predicted_n: number;
  predicted_ms: number;
  predicted_per_second: number;
}

/** Servers still running: killed if the benchmark is interrupted (they do not die with their parent). */
const live = new Set<ChildProcess>();
export function killLlamaServers(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}

export class LlamaServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(tools: LlamaCppTools, cpuBackend: string, o: { model: string; threads: number; contextSize: number }): Promise<LlamaServer> {
    const port = await freePort();
    const args = ['-m', o.model, '-t', String(o.threads), '-tb', String(o.threads), '-c', String(o.contextSize), '-np', '1', '--host', '127.0.0.1', '--port', String(port), '--no-webui'];
    const child = spawn(tools.serverBin, args, { env: toolEnv(cpuBackend), stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(child);
    child.once('exit', () => live.delete(child));
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-20_000);
    });
    const server = new LlamaServer(child, port);
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`llama-server exited (${child.exitCode}): ${log.split('\n').slice(-10).join('\n')}`);
      try {
        const health = await request(port, 'GET', '/health');
        if (health.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('llama-server did not become ready in 2 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    return server;
  }

  /** One completion of `nPredict` tokens (greedy, EOS ignored, no prompt cache); the server's own timings. */
  async complete(prompt: string, nPredict: number): Promise<ServerTimings> {
    const body = { prompt, n_predict: nPredict, temperature: 0, ignore_eos: true, cache_prompt: false, stream: false };
    const res = await request(this.port, 'POST', '/completion', body);
    if (res.status !== 200) throw new Error(`llama-server /completion: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    return (JSON.parse(res.body) as { timings: ServerTimings }).timings;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function request(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
