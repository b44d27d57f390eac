// Retrieval query building: stop words, quoting, CJK n-grams, short terms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { ftsMatch, queryTerms, stem } from '../../app/services/documents/fts-query.js';

test('English: stop words removed, suffixes trimmed for substring search, 2-letter words kept aside', () => {
  assert.deepEqual(queryTerms('What is the capital of France?'), { fts: ['capital', 'france'], short: [] });
  assert.deepEqual(queryTerms('How do AI models handle walking studies?'), { fts: ['model', 'handle', 'walk', 'stud'], short: ['ai'] });
  assert.equal(stem('boxes'), 'boxes', 'a stem under 4 letters is not used');
  assert.equal(stem('churches'), 'church');
  assert.equal(stem('passages'), 'passage');
  assert.equal(stem('walked'), 'walk');
  assert.equal(stem('class'), 'class');
  assert.equal(stem('bus'), 'bus');
  assert.deepEqual(queryTerms('the of and'), { fts: [], short: [] });
});

test('CJK: trigrams for the index, bigrams as short terms, function characters dropped', () => {
  assert.deepEqual(queryTerms('长城在哪里？'), { fts: [], short: ['长城'] });
  const q = queryTerms('Qwen2模型的上下文长度是多少');
  assert.deepEqual(q.fts, ['qwen2', '上下文', '下文长', '文长度']);
  assert.deepEqual(q.short, ['模型', '上下', '下文', '文长', '长度']);
  assert.deepEqual(queryTerms('万里の長城はどこにありますか').short, ['万里', '長城']);
  assert.deepEqual(queryTerms('ＱＷＥＮ２'), { fts: ['qwen2'], short: [] }, 'full-width letters are folded');
});

test('FTS5 queries are quoted: operators, quotes and syntax in a question cannot break MATCH', () => {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram'); INSERT INTO t VALUES ('the NEAR(\"a b\") OR column:value* trick'), ('plain')");
  for (const question of ['NEAR("a b") OR column:value* trick', 'say "hello" AND -not ^x', "it's (x) {y} [z] *", 'DROP TABLE t; --']) {
    const match = ftsMatch(queryTerms(question).fts);
    if (match === null) continue;
    assert.doesNotThrow(() => db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(match), question);
  }
  assert.equal(ftsMatch(['say "hi"']), '"say ""hi"""');
  assert.deepEqual(db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(ftsMatch(queryTerms('column:value trick').fts)), [{ rowid: 1 }]);
  assert.equal(ftsMatch([]), null);
  db.close();
});
