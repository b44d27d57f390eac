// YaRN in miniature: passkey accuracy of a needle model at 2x and 4x its native (trained) context,
// loaded with YaRN (factor = context / native, Qwen2's rule keyed to the model's own native context)
// and without it (plain RoPE past the trained length). A measurement, with no pass threshold: it
// prints both heatmaps (rows = depth, columns = prompt length) and writes them to --out.
//
//   node --import tsx tools/needle/yarn-grid.ts --arch qwen2 [--samples 3] [--out tools/needle/results]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { haystackText, insertNeedles, paragraphsOf, passkey, passkeyDigits, type NiahLanguage } from '../../app/services/niah/haystack.js';
import { documentPassages, renderFull } from '../../app/services/niah/render.js';
import { mulberry32 } from '../../native/gguf/prng.js';
import { ensureNeedleModel } from '../../native/needle/cache.js';
import { openNextTokenProbe } from '../../native/needle/next-token.js';
import { openVocab } from '../../native/needle/prompt-tokens.js';
import { needleWeightsFile, readNeedleWeights, type NeedleArch } from '../../native/needle/weights.js';

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: 'qwen2' },
    samples: { type: 'string', default: '3' },
    out: { type: 'string', default: 'tools/needle/results' },
  },
});
const arch = values.arch as NeedleArch;
const samples = Number(values.samples);
const native = readNeedleWeights(needleWeightsFile(arch)).contextLength;
const modelPath = await ensureNeedleModel(arch);
const vocab = await openVocab(modelPath);
const imEnd = vocab.special('<|im_end|>');
const corpora: Record<NiahLanguage, string[]> = {
  en: paragraphsOf(readFileSync(new URL('../../assets/needle/corpus-en.txt', import.meta.url), 'utf8')),
  zh: paragraphsOf(readFileSync(new URL('../../assets/needle/corpus-zh.txt', import.meta.url), 'utf8')),
};
const DEPTHS = [0, 0.25, 0.5, 0.75, 1];

/** A rendered passkey prompt of at most `tokens` tokens (the haystack shrunk until it fits). */
async function prompt(lang: NiahLanguage, tokens: number, depth: number, random: () => number): Promise<{ ids: number[]; key: string }> {
  const key = passkeyDigits(random);
  const q = passkey(lang, key);
  const paragraphs = corpora[lang];
  const from = Math.floor(random() * paragraphs.length);
  let chars = tokens * (lang === 'en' ? 4.2 : 1.4);
  for (;;) {
    const text = insertNeedles(haystackText(paragraphs, chars, from), [{ needle: q.needle, depth }], lang);
    const r = renderFull(await documentPassages('haystack.txt', text), q.question);
    const ids = vocab.chat(r.systemPrompt, r.user);
    if (ids.length <= tokens - 8) return { ids, key };
    chars *= ((tokens - 8) / ids.length) * 0.98;
  }
}

const report: string[] = [`# YaRN in miniature: ${arch} needle model (native context ${native})`, ''];
const json: unknown[] = [];
for (const factor of [2, 4]) {
  const contextSize = native * factor;
  const lengths = [0.25, 0.5, 0.75, 1].map((f) => Math.round(contextSize * f));
  for (const rope of ['yarn', 'plain'] as const) {
    const probe = await openNextTokenProbe(modelPath, { contextSize, rope, nativeContext: native });
    const random = mulberry32(1000 + factor);
    const grid: number[][] = DEPTHS.map(() => lengths.map(() => 0));
    for (const [li, length] of lengths.entries()) {
      for (const [di, depth] of DEPTHS.entries()) {
        for (let s = 0; s < samples; s++) {
          const lang: NiahLanguage = s % 2 === 0 ? 'en' : 'zh';
          const p = await prompt(lang, length, depth, random);
          const answer = await probe.greedy(p.ids, 8, imEnd);
          const expected = [...vocab.text(p.key), imEnd];
          if (answer.length >= expected.length && expected.every((t, i) => answer[i] === t)) grid[di]![li]!++;
        }
      }
    }
    await probe.dispose();
    const title = `context ${contextSize} (${factor}x native), ${rope === 'yarn' ? `YaRN factor ${factor}` : 'plain RoPE (no YaRN)'}: exact answers of ${samples} per cell`;
    const table = [
      `| depth \\ prompt tokens | ${lengths.join(' | ')} |`,
      `| --- | ${lengths.map(() => '---').join(' | ')} |`,
      ...DEPTHS.map((d, di) => `| ${d * 100}% | ${grid[di]!.map((c) => `${c}/${samples}`).join(' | ')} |`),
    ];
    const total = grid.flat().reduce((a, b) => a + b, 0);
    const line = `overall ${total}/${samples * DEPTHS.length * lengths.length}`;
    console.log(`\n${title}\n${table.join('\n')}\n${line}`);
    report.push(`## ${title}`, '', ...table, '', line, '');
    json.push({ arch, contextSize, factor, rope, samples, depths: DEPTHS, lengths, grid });
  }
}
await vocab.dispose();
mkdirSync(values.out!, { recursive: true });
writeFileSync(path.join(values.out!, `yarn-${arch}.md`), report.join('\n'));
writeFileSync(path.join(values.out!, `yarn-${arch}.json`), JSON.stringify(json, null, 1));
console.log(`\nwrote ${path.join(values.out!, `yarn-${arch}.md`)}`);
