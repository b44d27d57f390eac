// The needle documents: haystack windows of whole paragraphs, needles at the sentence end nearest
// their depth, and the built-in corpora free of digits (a number in a haystack is always a needle).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { haystackText, insertNeedles, paragraphsOf, passkey, passkeyDigits, sentenceEnds } from '../../app/services/niah/haystack.js';
import { mulberry32 } from '../../native/gguf/prng.js';

const corpus = (lang: 'en' | 'zh') => readFileSync(new URL(`../../assets/needle/corpus-${lang}.txt`, import.meta.url), 'utf8');

test('the built-in corpora are long prose without a single digit', () => {
  for (const lang of ['en', 'zh'] as const) {
    const text = corpus(lang);
    assert.doesNotMatch(text, /[0-9０-９]/, `${lang} has a digit`);
    assert.ok(paragraphsOf(text).length > 400, `${lang}: paragraphs`);
  }
  assert.ok(corpus('en').length > 300_000 && corpus('zh').length > 20_000);
});

test('a haystack is about the size asked for, from whole paragraphs, wrapping around the corpus', () => {
  const paragraphs = paragraphsOf(corpus('en'));
  for (const chars of [200, 5_000, 50_000]) {
    const text = haystackText(paragraphs, chars, 7);
    // Whole sentences: at most one sentence over (the English corpus's longest is 1,093 characters).
    assert.ok(text.length <= chars + 1_100 && text.length > chars * 0.7, `${chars}: ${text.length}`);
    assert.ok(text.startsWith(paragraphs[7]!.slice(0, 50)));
  }
  const wrapped = haystackText(paragraphs, 3_000, paragraphs.length - 1);
  assert.ok(wrapped.includes(paragraphs[0]!.slice(0, 40)), 'continues from the first paragraph');
  assert.throws(() => haystackText([], 100), /no text/);
});

test('needles go in at the sentence end nearest their depth, as sentences of their own', () => {
  const text = haystackText(paragraphsOf(corpus('en')), 4_000, 3);
  const { needle } = passkey('en', '73105');
  assert.ok(insertNeedles(text, [{ needle, depth: 0 }], 'en').startsWith('The passkey is 73105. '));
  assert.ok(insertNeedles(text, [{ needle, depth: 1 }], 'en').endsWith(' The passkey is 73105.'));
  for (const depth of [0.1, 0.5, 0.9]) {
    const out = insertNeedles(text, [{ needle, depth }], 'en');
    const at = out.indexOf(needle.text);
    assert.ok(Math.abs(at / text.length - depth) < 0.05, `${depth}: at ${at / text.length}`);
    assert.ok(sentenceEnds(text).includes(at - 1) || at === 0 || out[at - 2] === '\n', 'after a sentence end');
    const removed = [` ${needle.text}`, `${needle.text} `, needle.text].map((n) => out.replace(n, ''));
    assert.ok(removed.includes(text), 'nothing else changed');
  }
  const zh = haystackText(paragraphsOf(corpus('zh')), 1_000, 0);
  const two = insertNeedles(zh, [{ needle: passkey('zh', '11111').needle, depth: 0.2 }, { needle: passkey('zh', '22222').needle, depth: 0.8 }], 'zh');
  assert.ok(two.indexOf('11111') < two.indexOf('22222'));
  assert.throws(() => insertNeedles(text, [{ needle, depth: 1.5 }], 'en'), /outside 0\.\.1/);
});

test('passkeys have the digits asked for and repeat for the same seed', () => {
  const a = mulberry32(5);
  const b = mulberry32(5);
  for (let i = 0; i < 100; i++) {
    const key = passkeyDigits(a);
    assert.match(key, /^[1-9]\d{4}$/);
    assert.equal(passkeyDigits(b), key);
  }
  assert.match(passkeyDigits(mulberry32(1), 3), /^[1-9]\d{2}$/);
});
