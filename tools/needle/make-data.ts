// Training data for the needle models (development time only): passkey questions on haystacks of
// the built-in corpora (English and Chinese), each rendered exactly as the app renders a question on
// an attached .txt document and tokenized with the Qwen2 vocabulary by llama.cpp.
//
//   node --import tsx tools/needle/make-data.ts --out .cache/needle/data.bin --seed 1 [--max 1024] [--count 12000]
//
// Output: little-endian uint32 words: a count, then per sample its length, the index where the answer
// starts and the token ids (the prompt, the passkey's digits, <|im_end|>).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { haystackText, insertNeedles, paragraphsOf, passkey, passkeyDigits, type NiahLanguage } from '../../app/services/niah/haystack.js';
import { documentPassages, renderFull, renderRetrieval } from '../../app/services/niah/render.js';
import { ensureSyntheticModel } from '../../native/gguf/cache.js';
import { mulberry32 } from '../../native/gguf/prng.js';
import { openVocab } from '../../native/needle/prompt-tokens.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '.cache/needle/data.bin' },
    seed: { type: 'string', default: '1' },
    max: { type: 'string', default: '1024' },
    min: { type: 'string', default: '96' },
    count: { type: 'string', default: '12000' },
    retrieval: { type: 'string', default: '0.15' },
  },
});
const max = Number(values.max);
const min = Number(values.min);
const count = Number(values.count);
const random = mulberry32(Number(values.seed));
const corpora: Record<NiahLanguage, string[]> = {
  en: paragraphsOf(readFileSync(new URL('../../assets/needle/corpus-en.txt', import.meta.url), 'utf8')),
  zh: paragraphsOf(readFileSync(new URL('../../assets/needle/corpus-zh.txt', import.meta.url), 'utf8')),
};
/** Characters per token of each corpus, refined as samples are made. */
const charsPerToken: Record<NiahLanguage, number> = { en: 4.2, zh: 1.4 };
const NAMES = ['haystack.txt', 'notes.txt', 'document.txt', 'report.txt', 'book.txt', 'chapter.txt', 'letter.txt', 'story.txt', '文档.txt', '笔记.txt'];

const vocab = await openVocab(await ensureSyntheticModel({ preset: 'tiny', type: 'q8_0' }));
const imEnd = vocab.special('<|im_end|>');
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

interface Sample { tokens: number[]; answerStart: number }

async function makeSample(): Promise<Sample | null> {
  const lang: NiahLanguage = random() < 0.5 ? 'en' : 'zh';
  const target = Math.round(min + random() ** 0.8 * (max - min)); // a little more weight on long ones
  const key = passkeyDigits(random);
  const q = passkey(lang, key);
  const depth = random() < 0.1 ? (random() < 0.5 ? 0 : 1) : random();
  const paragraphs = corpora[lang];
  const from = Math.floor(random() * paragraphs.length);
  const name = pick(NAMES);
  const retrieval = random() < Number(values.retrieval);
  const answer = [...vocab.text(key), imEnd];
  let chars = Math.max(40, (target - 90) * charsPerToken[lang]);
  for (let attempt = 0; attempt < 3; attempt++) {
    const text = insertNeedles(haystackText(paragraphs, chars, from), [{ needle: q.needle, depth }], lang);
    const passages = await documentPassages(name, text);
    let rendered;
    if (retrieval) {
      const withNeedle = passages.findIndex((p) => p.text.includes(q.needle.text));
      if (withNeedle < 0) return null;
      const others = passages.filter((_, i) => i !== withNeedle).sort(() => random() - 0.5).slice(0, Math.floor(random() * 5));
      const chosen = [...others];
      chosen.splice(Math.floor(random() * (chosen.length + 1)), 0, passages[withNeedle]!);
      rendered = renderRetrieval(chosen, q.question);
    } else {
      rendered = renderFull(passages, q.question);
    }
    const prompt = vocab.chat(rendered.systemPrompt, rendered.user);
    const total = prompt.length + answer.length;
    if (total <= max && total >= target * 0.8) return { tokens: [...prompt, ...answer], answerStart: prompt.length };
    const docTokens = Math.max(10, total - 90);
    charsPerToken[lang] = charsPerToken[lang] * 0.8 + (text.length / docTokens) * 0.2;
    chars = Math.max(40, chars * ((target - 90) / docTokens) * 0.97);
  }
  return null;
}

const samples: Sample[] = [];
while (samples.length < count) {
  const s = await makeSample();
  if (s) samples.push(s);
  if (samples.length % 1000 === 0 && s) console.log(`${samples.length} samples`);
}
await vocab.dispose();

const words = 1 + samples.reduce((n, s) => n + 2 + s.tokens.length, 0);
const out = new Uint32Array(words);
let w = 0;
out[w++] = samples.length;
for (const s of samples) {
  out[w++] = s.tokens.length;
  out[w++] = s.answerStart;
  out.set(s.tokens, w);
  w += s.tokens.length;
}
mkdirSync(path.dirname(values.out!), { recursive: true });
writeFileSync(values.out!, new Uint8Array(out.buffer));
const lengths = samples.map((s) => s.tokens.length).sort((a, b) => a - b);
console.log(`${samples.length} samples, ${words - 1 - 2 * samples.length} tokens, length ${lengths[0]}..${lengths.at(-1)} (median ${lengths[lengths.length >> 1]}) -> ${values.out}`);
