// Prints the libggml-cpu-<variant>.so node-llama-cpp maps on this CPU (run by cpu-backend.ts).
import fs from 'node:fs';
import { getLlama } from 'node-llama-cpp';

const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: 'error' as never });
const maps = fs.existsSync('/proc/self/maps') ? fs.readFileSync('/proc/self/maps', 'utf8') : '';
process.stdout.write(`${JSON.stringify({ cpuBackend: /\S*libggml-cpu-[\w.-]+\.so/.exec(maps)?.[0] ?? null })}\n`);
await llama.dispose();
