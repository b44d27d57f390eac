// Files made by llama.cpp's own tools, the way official Qwen2 GGUFs are made (llama-quantize to
// K-quant and IQ types, llama-gguf-split), dense qwen2 and MoE qwen2moe: the reader sizes every
// tensor of every type right (the data ends where the file does), the summary names the
// quantisation and counts every parameter of every part, and `qwen2-desk models inspect --json`
// says the same. The tools are built on first use (test/helpers/llama-tools.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LibraryModel } from '../../app/contract.js';
import { readGgufHeader } from '../../native/gguf/reader.js';
import { readGgufModel } from '../../native/gguf/split.js';
import { planTensors } from '../../native/gguf/tensor-plan.js';
import { llamaMadeModel, llamaTools, wideTinyShape, type LlamaMadeOptions } from '../helpers/llama-tools.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-llama-inspect-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** What llama-quantize puts in the matrices for each file type (besides fallbacks for odd rows). */
const MAIN_TYPES: Record<string, string[]> = { Q4_K_M: ['Q4_K', 'Q6_K'], Q5_K_M: ['Q5_K', 'Q6_K'], Q6_K: ['Q6_K'], IQ4_XS: ['IQ4_XS'] };

const cases: LlamaMadeOptions[] = [
  { arch: 'qwen2', quant: 'Q4_K_M' },
  { arch: 'qwen2', quant: 'Q5_K_M' },
  { arch: 'qwen2', quant: 'Q6_K' },
  { arch: 'qwen2', quant: 'IQ4_XS' },
  { arch: 'qwen2', quant: 'Q4_K_M', splitMaxTensors: 10 },
  { arch: 'qwen2moe', quant: 'Q5_K_M' },
  { arch: 'qwen2moe', quant: 'IQ4_XS' },
  { arch: 'qwen2moe', quant: 'Q4_K_M', splitMaxTensors: 12 },
];
const label = (c: LlamaMadeOptions) => `${c.arch} ${c.quant}${c.splitMaxTensors ? ' split' : ''}`;
const files = new Map<string, string[]>();

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'qwen2-desk.js'), 'models', ...args], { cwd: root, env: { ...process.env, QWEN2_DESK_DATA: dataDir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

before(async () => {
  await llamaTools(); // builds llama.cpp's tools when missing (minutes, once)
  for (const c of cases) files.set(label(c), await llamaMadeModel(c));
}, { timeout: 40 * 60_000 });

describe('reader and summary', () => {
  for (const c of cases) {
    test(label(c), async () => {
      const parts = files.get(label(c))!;
      assert.equal(parts.length > 1, Boolean(c.splitMaxTensors), 'split only when asked');
      const model = await readGgufModel(parts);
      const s = model.summary;
      assert.equal(s.architecture, c.arch);
      assert.equal(s.quantisation, c.quant, 'from general.file_type, as llama-quantize wrote it');
      const types = new Set(model.tensors.map((t) => t.typeName));
      for (const t of MAIN_TYPES[c.quant]!) assert.ok(types.has(t), `${t} tensors in ${[...types].join(', ')}`);
      // Quantising keeps every element: the parameters are those of the F16 source, over all parts.
      const shape = wideTinyShape(c.arch);
      const expected = planTensors(shape, 'f16').reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
      assert.equal(s.parameterCount, expected);
      assert.equal(model.tensors.length, planTensors(shape, 'f16').length);
      assert.equal(s.sizeBytes, parts.reduce((sum, p) => sum + fs.statSync(p).size, 0));
      // Block sizes of every type are right: each part's tensor data ends where the file does.
      for (const p of parts) {
        const h = p === parts[0] ? await readGgufHeader(p) : await readGgufHeader(p, { laterPart: true });
        assert.ok(h.fileSize - h.dataEnd >= 0 && h.fileSize - h.dataEnd < h.alignment, `${path.basename(p)}: data ends at ${h.dataEnd} of ${h.fileSize}`);
      }
      if (c.arch === 'qwen2moe') {
        assert.deepEqual([s.experts, s.expertsUsed, s.expertFfn, s.sharedExpertFfn], [4, 2, 256, 512]);
        assert.ok(s.activeParameterCount < s.parameterCount);
      } else assert.equal(s.activeParameterCount, s.parameterCount);
      if (c.splitMaxTensors) {
        assert.deepEqual(s.split, { count: parts.length, tensors: model.tensors.length });
        for (const p of parts.slice(1)) assert.equal((await readGgufHeader(p, { laterPart: true })).metadata.has('general.architecture'), false);
        const unsplit = await readGgufModel(files.get(label({ arch: c.arch, quant: c.quant }))!).catch(() => null);
        if (unsplit) assert.equal(unsplit.summary.parameterCount, s.parameterCount);
      }
    });
  }
});

test('models inspect --json and text: a split MoE file from any of its parts, with its expert sizes', async () => {
  const parts = files.get('qwen2moe Q4_K_M split')!;
  const model = await readGgufModel(parts);
  const run = await cli(['inspect', parts.at(-1)!, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as LibraryModel & { parts: string[] };
  assert.equal(out.problem, null);
  assert.deepEqual(out.parts, parts);
  assert.equal(out.sizeBytes, model.sizeBytes);
  assert.equal(out.summary?.quantisation, 'Q4_K_M');
  assert.equal(out.summary?.parameterCount, model.summary.parameterCount);
  assert.deepEqual([out.summary?.experts, out.summary?.expertsUsed, out.summary?.expertFfn, out.summary?.sharedExpertFfn], [4, 2, 256, 512]);
  const text = await cli(['inspect', parts[0]!]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /quantisation:\s+Q4_K_M/);
  assert.match(text.stdout, /experts:\s+2 of 4 per token/);
  assert.match(text.stdout, /expert ffn:\s+256 \(shared expert 512\)/);
  assert.match(text.stdout, new RegExp(`split:\\s+${parts.length} parts`));
  const iq = await cli(['inspect', files.get('qwen2 IQ4_XS')![0]!, '--json']);
  assert.equal((JSON.parse(iq.stdout) as LibraryModel).summary?.quantisation, 'IQ4_XS');
});
