// The test form's fields and the NiahSpec they make (pure): lengths written as "1K, 2K, 4096",
// depths in percent, the haystack, and the facts (the passkey, or facts of one's own).
import { NIAH_MAX_NEEDLES, NIAH_MAX_SAMPLES, NIAH_MIN_LENGTH, type NiahLanguage, type NiahSpec } from '../../../../app/contract.js';

export interface OwnFact {
  text: string;
  question: string;
  /** Empty: the answer is the key ({key} in the text). */
  answer: string;
}

export interface NiahForm {
  lengths: string;
  depths: string;
  samples: number;
  lang: NiahLanguage;
  haystack: 'corpus' | 'file';
  file: string;
  factsMode: 'passkey' | 'own';
  needles: number;
  facts: OwnFact[];
}

export const KEY = '{key}';

/** Facts of one's own start from the passkey, written the way the app's default is. */
export function starterFact(lang: NiahLanguage, n: number): OwnFact {
  const labels = lang === 'zh' ? ['红', '蓝', '绿', '黄', '紫'] : ['red', 'blue', 'green', 'yellow', 'purple'];
  const label = labels[n % labels.length]!;
  if (n === 0) return lang === 'zh' ? { text: `通行码是 ${KEY}。`, question: '通行码是多少？', answer: '' } : { text: `The passkey is ${KEY}.`, question: 'What is the passkey?', answer: '' };
  return lang === 'zh'
    ? { text: `${label}色门的通行码是 ${KEY}。`, question: `${label}色门的通行码是多少？`, answer: '' }
    : { text: `The passkey of the ${label} door is ${KEY}.`, question: `What is the passkey of the ${label} door?`, answer: '' };
}

/** 0, 10, …, 100: the report's depths. */
export const depthSteps = (step: number): string => Array.from({ length: Math.floor(100 / step) + 1 }, (_, i) => i * step).join(', ');

/** Lengths doubling from 1K (or less on a small model) up to the largest, which is always the last. */
export function lengthsUpTo(largest: number): number[] {
  const top = Math.floor(largest / 256) * 256;
  if (top < NIAH_MIN_LENGTH) return [];
  const out: number[] = [];
  for (let n = Math.min(1024, Math.max(NIAH_MIN_LENGTH, 256 * Math.floor(top / 1024))); n < top && out.length < 12; n *= 2) out.push(n);
  out.push(top);
  return out;
}

/** "1K" -> 1024, "4096" -> 4096, "1.5k" -> 1536. */
export function formatLength(n: number): string {
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024}K` : String(n);
}

export const lengthsText = (lengths: readonly number[]): string => lengths.map(formatLength).join(', ');

export function defaultForm(lang: NiahLanguage, largest: number | null): NiahForm {
  return {
    lengths: largest ? lengthsText(lengthsUpTo(largest)) : '',
    depths: depthSteps(10),
    samples: 1,
    lang,
    haystack: 'corpus',
    file: '',
    factsMode: 'passkey',
    needles: 1,
    facts: [starterFact(lang, 0)],
  };
}

/** A problem with the form, as a message key with its values. */
export interface FormProblem {
  key: string;
  vars?: Record<string, string | number>;
}

const split = (text: string) => text.split(/[\s,;，；、]+/).filter(Boolean);

export function parseLengths(text: string, largest: number | null): number[] | FormProblem {
  const parts = split(text);
  if (parts.length === 0) return { key: 'niah.problem.noLengths' };
  const out: number[] = [];
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)([kK])?$/.exec(part);
    if (!m) return { key: 'niah.problem.length', vars: { value: part } };
    const n = Math.round(Number(m[1]) * (m[2] ? 1024 : 1));
    if (n < NIAH_MIN_LENGTH) return { key: 'niah.problem.lengthShort', vars: { value: part, min: NIAH_MIN_LENGTH } };
    if (largest !== null && n > largest) return { key: 'niah.problem.lengthLong', vars: { value: part, max: largest } };
    out.push(n);
  }
  if (out.length > 32) return { key: 'niah.problem.tooMany', vars: { max: 32 } };
  return [...new Set(out)].sort((a, b) => a - b);
}

/** Depths in percent ("0, 50, 100" or "0%, 50%") as fractions. */
export function parseDepths(text: string): number[] | FormProblem {
  const parts = split(text);
  if (parts.length === 0) return { key: 'niah.problem.noDepths' };
  const out: number[] = [];
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)%?$/.exec(part);
    const n = m ? Number(m[1]) : NaN;
    if (!(n >= 0 && n <= 100)) return { key: 'niah.problem.depth', vars: { value: part } };
    out.push(Math.round(n * 100) / 10000);
  }
  if (out.length > 101) return { key: 'niah.problem.tooMany', vars: { max: 101 } };
  return [...new Set(out)].sort((a, b) => a - b);
}

const isProblem = (x: unknown): x is FormProblem => !Array.isArray(x);

/** The spec the form asks for, or its first problem. */
export function specOf(form: NiahForm, modelPath: string, largest: number | null): NiahSpec | FormProblem {
  const lengths = parseLengths(form.lengths, largest);
  if (isProblem(lengths)) return lengths;
  const depths = parseDepths(form.depths);
  if (isProblem(depths)) return depths;
  if (!Number.isInteger(form.samples) || form.samples < 1 || form.samples > NIAH_MAX_SAMPLES) return { key: 'niah.problem.samples', vars: { max: NIAH_MAX_SAMPLES } };
  const spec: NiahSpec = { modelPath, lengths, depths, samples: form.samples, lang: form.lang };
  if (form.haystack === 'file') {
    if (!form.file.trim()) return { key: 'niah.problem.noFile' };
    spec.haystackFile = form.file.trim();
  }
  if (form.factsMode === 'passkey') {
    spec.needles = Math.min(NIAH_MAX_NEEDLES, Math.max(1, Math.round(form.needles)));
    return spec;
  }
  const facts = form.facts.slice(0, NIAH_MAX_NEEDLES);
  for (const [i, f] of facts.entries()) {
    if (!f.text.trim() || !f.question.trim()) return { key: 'niah.problem.factEmpty', vars: { n: i + 1 } };
    if (!f.answer.trim() && !f.text.includes(KEY)) return { key: 'niah.problem.factKey', vars: { n: i + 1, key: KEY } };
  }
  spec.facts = facts.map((f) => ({ text: f.text.trim(), question: f.question.trim(), ...(f.answer.trim() ? { answer: f.answer.trim() } : {}) }));
  return spec;
}

export const problemOf = (x: NiahSpec | FormProblem): FormProblem | null => ('modelPath' in x ? null : x);
