// The facts (needles) of a long-context run: the passkey by default, several labelled passkeys for
// a multi-needle run, or facts of one's own; `{key}` in them becomes a random key per sample.
import type { NiahLanguage } from '../../contract.js';
import { hashSeed, mulberry32 } from '../../../native/gguf/prng.js';
import { passkey, passkeyDigits, type Needle } from './haystack.js';

export interface FactTemplate {
  text: string;
  question: string;
  answer: string;
}

/** A fact with its key filled in: the needle put in the document, its question. */
export interface Fact {
  needle: Needle;
  question: string;
}

const KEY = '{key}';
const LABELS: Record<NiahLanguage, readonly string[]> = {
  en: ['red', 'blue', 'green', 'yellow', 'purple'],
  zh: ['红', '蓝', '绿', '黄', '紫'],
};

/** The default facts: the passkey alone, or one passkey per coloured door for several. */
export function defaultFacts(lang: NiahLanguage, count: number): FactTemplate[] {
  if (count === 1) {
    const q = passkey(lang, KEY);
    return [{ text: q.needle.text, question: q.question, answer: KEY }];
  }
  return LABELS[lang].slice(0, count).map((label) =>
    lang === 'zh'
      ? { text: `${label}色门的通行码是 ${KEY}。`, question: `${label}色门的通行码是多少？`, answer: KEY }
      : { text: `The passkey of the ${label} door is ${KEY}.`, question: `What is the passkey of the ${label} door?`, answer: KEY },
  );
}

/** Facts of one's own, with the answer defaulting to the key. */
export function customFacts(facts: ReadonlyArray<{ text: string; question: string; answer?: string | undefined }>): FactTemplate[] {
  return facts.map((f) => ({ text: f.text, question: f.question, answer: f.answer ?? KEY }));
}

/**
 * The keys of one document's facts: the same for the same seed and place in the grid (so a resumed
 * run asks exactly what it would have), different from each other within the document.
 */
export function keysFor(seed: number, where: string, count: number): string[] {
  const random = mulberry32(hashSeed(seed, where));
  const keys: string[] = [];
  while (keys.length < count) {
    const key = passkeyDigits(random);
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

export function fillFact(template: FactTemplate, key: string): Fact {
  const fill = (s: string) => s.split(KEY).join(key);
  return { needle: { text: fill(template.text), answer: fill(template.answer) }, question: fill(template.question) };
}

/** An answer is correct when it contains the expected text (also once spaces and commas are taken out of it). */
export function isCorrect(answer: string, expected: string): boolean {
  const plain = (s: string) => s.replace(/[\s,，]/g, '').toLowerCase();
  return answer.includes(expected) || plain(answer).includes(plain(expected));
}
