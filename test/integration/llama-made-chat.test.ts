// Planning, loading and chatting through the real core and engine process with files made by
// llama.cpp's own tools (K-quant, IQ and split files; dense qwen2 and MoE qwen2moe). The planned
// weights are checked against the model buffers llama.cpp reports when it loads each file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FitPlan, LibraryModel, Message } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { readGgufModel } from '../../native/gguf/split.js';
import { llamaMadeModel, llamaTools, type LlamaMadeOptions } from '../helpers/llama-tools.js';

const MiB = 2 ** 20;
let core: Core;
let dataDir = '';
let engineLog = '';

const cases: LlamaMadeOptions[] = [
  { arch: 'qwen2', quant: 'Q4_K_M' },
  { arch: 'qwen2', quant: 'Q6_K' },
  { arch: 'qwen2', quant: 'IQ4_XS' },
  { arch: 'qwen2', quant: 'Q4_K_M', splitMaxTensors: 10 },
  { arch: 'qwen2moe', quant: 'Q5_K_M' },
  { arch: 'qwen2moe', quant: 'IQ4_XS' },
  { arch: 'qwen2moe', quant: 'Q4_K_M', splitMaxTensors: 12 },
];
const label = (c: LlamaMadeOptions) => `${c.arch} ${c.quant}${c.splitMaxTensors ? ' split' : ''}`;
const files = new Map<string, string[]>();

async function call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
  const response = await core.handle(method, params);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as T;
}

function nextFinished(conversationId: string): Promise<Message> {
  return new Promise((resolve) => {
    const off = core.onEvent((e) => {
      if (e.type === 'chat.finished' && e.conversationId === conversationId) {
        off();
        resolve(e.message);
      }
    });
  });
}

/** llama.cpp's "<buffer> model buffer size = X MiB" lines since `from`, summed (bytes). */
function loggedModelBuffers(from: number): { bytes: number; lines: string[] } {
  const lines = engineLog.slice(from).split('\n').filter((l) => /model buffer size\s*=/.test(l));
  const bytes = lines.reduce((sum, l) => sum + Number(/=\s*([\d.]+) MiB/.exec(l)?.[1] ?? 0) * MiB, 0);
  return { bytes, lines: lines.map((l) => l.replace(/^.*?(\S+ model buffer size)/, '$1').trim()) };
}

before(async () => {
  await llamaTools();
  for (const c of cases) files.set(label(c), await llamaMadeModel(c));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-llama-chat-'));
  process.env.QWEN2_DESK_ENGINE_LOG = '1'; // the engine passes llama.cpp's info lines on (its buffer sizes)
  core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile(), backend: 'cpu', threads: 1, onEngineLog: (t) => (engineLog += `${t}\n`) });
}, { timeout: 40 * 60_000 });
after(async () => {
  await core?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('plan, load and chat', () => {
  for (const c of cases) {
    test(label(c), async () => {
      const parts = files.get(label(c))!;
      const model = await call<LibraryModel>('models.add', { path: parts[0], mode: 'reference' });
      assert.equal(model.problem, null);
      assert.deepEqual(model.parts, parts);
      const whole = await readGgufModel(parts);
      assert.equal(model.summary?.parameterCount, whole.summary.parameterCount, 'every part counted');
      assert.equal(model.sizeBytes, whole.sizeBytes);

      const plan = await call<FitPlan>('models.plan', { id: model.id, contextSize: 2048 });
      assert.equal(plan.verdict, 'cpu', plan.explanation);
      const tensorBytes = whole.tensors.reduce((sum, t) => sum + t.bytes, 0);
      assert.ok(plan.weightsBytes >= tensorBytes, 'at least every tensor of every part');

      await call('models.update', { id: model.id, defaults: { contextSize: 2048 } });
      const conversation = await call<{ id: string }>('conversations.create', {});
      const from = engineLog.length;
      const finished = nextFinished(conversation.id);
      await call('chat.send', { conversationId: conversation.id, text: 'Hello, who are you?', modelPath: model.path, sampling: { maxTokens: 8, temperature: 0 } });
      const answer = await finished;
      assert.equal(answer.status, 'done', answer.error ?? '');
      assert.ok(answer.content.length > 0 && (answer.stats?.tokens ?? 0) > 0);
      assert.equal((await call<{ modelPath: string | null }>('engine.status')).modelPath, parts[0]);

      // The planned weights against what llama.cpp allocated or mapped for this model.
      const logged = loggedModelBuffers(from);
      assert.ok(logged.lines.length > 0, `llama.cpp logged its model buffers:\n${engineLog.slice(from).slice(-2000)}`);
      const error = (plan.weightsBytes - logged.bytes) / logged.bytes;
      console.log(`# ${label(c)}: planned weights ${(plan.weightsBytes / MiB).toFixed(2)} MiB, llama.cpp ${(logged.bytes / MiB).toFixed(2)} MiB (${logged.lines.join('; ')}), ${(error * 100).toFixed(2)} %`);
      assert.ok(Math.abs(error) < 0.02, `planned ${(plan.weightsBytes / MiB).toFixed(2)} MiB vs llama.cpp ${(logged.bytes / MiB).toFixed(2)} MiB`);
    });
  }
});
