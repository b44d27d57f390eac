// The string tables and the i18next setup on top of them: every key in both languages, every
// message valid ICU with the same arguments in both, plurals right in English, no English left in
// the Chinese, and the catalogue's model descriptions translated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import IntlMessageFormat from 'intl-messageformat';
import { STRINGS, TABLES } from '../../renderer/src/i18n/strings/index.js';
import { CATALOGUE_MODELS } from '../../app/services/catalogue-data.js';

// index.ts reads the browser's languages; in Node there are none (English).
const { translate, setLanguage, t, systemLanguage, useLanguage, i18n } = await import('../../renderer/src/i18n/index.js');
const { plural, rich } = await import('../../renderer/src/i18n/rich.js');
const { argumentNames } = await import('../../renderer/src/i18n/placeholders.js');

/** Chinese values that may equal the English: names, units and formats that are the same in both. */
const SAME_IN_BOTH = new Set([
  'GGUF', 'Q4_K_M', 'YaRN', 'tokens/s', 'Top-p', 'Top-k', 'Min-p', 'CPU', 'Vulkan', 'Markdown', 'JSON',
  '/path/to/qwen2-model.gguf', 'Qwen2 Desk {version}', '{done} / {total}',
]);

for (const table of TABLES) {
  test(`strings of "${table.area}": the same keys in both languages, each in its area, none empty`, () => {
    const en = Object.keys(table.en).sort();
    assert.deepEqual(Object.keys(table['zh-CN']).sort(), en, 'the same keys in both languages');
    for (const key of en) {
      assert.ok(key.startsWith(`${table.area}.`), `${key} belongs to ${table.area}`);
      assert.ok(table.en[key]!.trim(), `${key} has an English text`);
      assert.ok(table['zh-CN'][key]!.trim(), `${key} has a Chinese text`);
    }
  });
}

test('every message is valid ICU in both languages, with the same arguments', () => {
  for (const key of Object.keys(STRINGS.en)) {
    const args: Record<string, string[]> = {};
    for (const language of ['en', 'zh-CN'] as const) {
      const message = STRINGS[language][key]!;
      assert.doesNotThrow(() => new IntlMessageFormat(message, language, undefined, { ignoreTag: true }), `${language} ${key} parses: ${message}`);
      args[language] = argumentNames(message, language).sort();
    }
    assert.deepEqual(args['zh-CN'], args.en, `${key} has the same arguments in both languages`);
  }
});

test('plurals are ICU plurals, not .one/.other keys or a count in the key', () => {
  for (const key of Object.keys(STRINGS.en)) {
    assert.doesNotMatch(key, /\.(one|other|many|few|zero)$/, `${key}: one ICU plural message instead of a key per form`);
  }
  const plurals = Object.keys(STRINGS.en).filter((k) => /\{count, plural,/.test(STRINGS.en[k]!));
  assert.ok(plurals.length >= 10, `the plural messages are found (${plurals.length})`);
  for (const key of plurals) {
    assert.match(STRINGS['zh-CN'][key]!, /\{count, plural,/, `${key} is a plural in Chinese too (its number formatted the same way)`);
  }
});

test('English plural forms for 0, 1 and 2; numbers formatted; Chinese has one form', () => {
  const cases: Array<[string, number, string, Record<string, string>?]> = [
    ['chat.stats.tokens', 0, '0 tokens'],
    ['chat.stats.tokens', 1, '1 token'],
    ['chat.stats.tokens', 2, '2 tokens'],
    ['chat.stats.tokens', 12345, '12,345 tokens'],
    ['models.library.count', 0, '0 models'],
    ['models.library.count', 1, '1 model'],
    ['models.library.count', 2, '2 models'],
    ['app.status.threads', 1, '1 thread'],
    ['app.status.threads', 2, '2 threads'],
    ['chat.overflow', 1, '1 earlier message no longer fit in the context and was left out of this answer.'],
    ['chat.overflow', 2, '2 earlier messages no longer fit in the context and were left out of this answer.'],
    ['chat.overflow.sized', 0, '0 earlier messages no longer fit in the 512-token context and were left out of this answer.', { size: '512' }],
    ['models.delete.deleteQuestion', 1, 'Delete a.gguf? Its file (4.7 GB) will be deleted from the models folder.', { name: 'a.gguf', size: '4.7 GB' }],
    ['models.delete.deleteQuestion', 2, 'Delete a.gguf? Its 2 files (4.7 GB) will be deleted from the models folder.', { name: 'a.gguf', size: '4.7 GB' }],
    ['settings.threadsAutoCores', 1, 'Automatic: up to 1 (this computer has 1 CPU core).'],
    ['settings.threadsAutoCores', 2, 'Automatic: up to 2 (this computer has 2 CPU cores).'],
  ];
  for (const [key, count, expected, vars] of cases) assert.equal(plural('en', key, count, vars), expected, `${key} for ${count}`);
  assert.equal(plural('zh-CN', 'chat.stats.tokens', 1, undefined), '1 个词元');
  assert.equal(plural('zh-CN', 'chat.stats.tokens', 12345, undefined), '12,345 个词元');
  assert.equal(plural('zh-CN', 'chat.overflow', 1), '有 1 条较早的消息已放不进上下文，这次回答没有包含它。');
  assert.equal(plural('zh-CN', 'chat.overflow', 3), '有 3 条较早的消息已放不进上下文，这次回答没有包含它们。');
});

test('values are filled in, missing ones stay as {name} for rich(), hostile values are text', () => {
  assert.equal(translate('en', 'chat.note.error', { reason: 'disk full' }), 'Error: disk full');
  assert.equal(translate('zh-CN', 'chat.note.error', { reason: 'disk full' }), '错误：disk full');
  // Values are never parsed as messages or markup.
  const hostile = "{count, plural, other {x}} <b>'{'</b> {{reason}}";
  assert.equal(translate('en', 'chat.note.error', { reason: hostile }), `Error: ${hostile}`);
  // rich() gets the template with its element placeholders still in it.
  assert.equal(translate('en', 'models.library.folder'), 'folder {folder}');
  const parts = rich(translate('en', 'models.library.folder'), { folder: 'X' }) as unknown[];
  assert.equal(parts.length, 3);
  // A value left out of a message with other values keeps its own placeholder only.
  assert.equal(translate('en', 'chat.settings.outOfRange', { name: 'Top-p', min: 0 }), 'Top-p must be a number from 0 to {max}.');
  // Unknown keys: the key itself; a key missing in Chinese: the English text.
  assert.equal(translate('zh-CN', 'no.such.key'), 'no.such.key');
  i18n.addResource('en', 'translation', 'test.onlyEnglish', 'Only {what}');
  assert.equal(translate('zh-CN', 'test.onlyEnglish', { what: 'English' }), 'Only English');
});

test('the language: system follows the browser, a chosen one sticks; t() follows it', () => {
  assert.equal(systemLanguage(['zh-TW', 'en-US']), 'zh-CN');
  assert.equal(systemLanguage(['fr-FR', 'en-GB', 'zh-CN']), 'en');
  assert.equal(systemLanguage(['fr-FR']), 'en');
  assert.equal(systemLanguage([]), 'en');
  setLanguage('zh-CN');
  assert.deepEqual(useLanguage.getState(), { setting: 'zh-CN', language: 'zh-CN' });
  assert.equal(i18n.language, 'zh-CN');
  assert.equal(t('common.save'), '保存');
  setLanguage('system');
  assert.deepEqual(useLanguage.getState(), { setting: 'system', language: 'en' });
  assert.equal(t('common.save'), 'Save');
});

test('no English left in the Chinese', () => {
  const english = /[A-Za-z]{4,}/g;
  // Words that stay as they are in Chinese text: names, formats, units, code.
  const kept = new Set([
    'Qwen', 'Desk', 'Instruct', 'Hugging', 'Face', 'GGUF', 'gguf', 'YaRN', 'CUDA', 'NVIDIA', 'Vulkan', 'Metal', 'Apple', 'ChatML',
    'RoPE', 'Flash', 'Attention', 'Markdown', 'JSON', 'HTML', 'Word', 'Enter', 'Shift', 'Command', 'qwen2moe', 'llama', 'serve',
    'https', 'model', 'instruct', 'path', 'Top', 'HTTP', 'qwen',
  ]);
  const left: string[] = [];
  for (const key of Object.keys(STRINGS.en)) {
    const zh = STRINGS['zh-CN'][key]!;
    const en = STRINGS.en[key]!;
    if (zh === en) {
      if (!SAME_IN_BOTH.has(zh)) left.push(`${key} is not translated: "${zh}"`);
      continue;
    }
    // The text people see (every argument 1, then 2, so that each plural form is looked at).
    const names = argumentNames(zh, 'zh-CN');
    const shown = [1, 2].map((n) => String(new IntlMessageFormat(zh, 'zh-CN', undefined, { ignoreTag: true }).format(Object.fromEntries(names.map((a) => [a, n]))))).join(' ');
    const words = (shown.match(english) ?? []).filter((w) => !kept.has(w) && !/^q\d/.test(w));
    if (words.length > 0) left.push(`${key} has English words (${words.join(', ')}) in Chinese: "${zh}"`);
  }
  assert.deepEqual(left, []);
});

test('one word for "token" in the Chinese: 词元', () => {
  for (const [key, zh] of Object.entries(STRINGS['zh-CN'])) {
    assert.doesNotMatch(zh.replace(/\{[^{}]*\}/g, ''), /token/i, `${key} uses 词元: "${zh}"`);
  }
});

test('every catalogue model has its description in both languages, the English one as main has it', () => {
  for (const model of CATALOGUE_MODELS) {
    const key = `models.catalogue.description.${model.id}`;
    assert.equal(STRINGS.en[key], model.description, `${key} is main's English description`);
    const zh = STRINGS['zh-CN'][key];
    assert.ok(zh && /[\u4e00-\u9fff]/.test(zh) && zh !== model.description, `${key} is translated`);
  }
  const ids = new Set(CATALOGUE_MODELS.map((m) => m.id));
  for (const key of Object.keys(STRINGS.en).filter((k) => k.startsWith('models.catalogue.description.'))) {
    assert.ok(ids.has(key.slice('models.catalogue.description.'.length)), `${key} is a catalogue model`);
  }
});
