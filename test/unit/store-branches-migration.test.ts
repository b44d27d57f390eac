// The branches step (schema version 5) on a database written before it: each message follows the
// previous one of its conversation, the newest is the active leaf, and old text is searchable.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { applyMigrations, migrations } from '../../app/store/migrations.js';
import { openStore } from '../../app/store/index.js';
import { createSearch } from '../../app/store/search.js';
import { createTree } from '../../app/store/tree.js';

test('a version-4 database becomes one branch per conversation, searchable', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen2-desk-branches-'));
  const file = path.join(dir, 'qwen2-desk.sqlite');
  try {
    const old = new Database(file);
    applyMigrations(old, migrations.slice(0, 4));
    const insert = old.prepare('INSERT INTO messages (id, conversation_id, role, content, status, created_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)');
    old.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)').run('c1', 'old one', 1, 5);
    old.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)').run('c2', 'empty', 1, 2);
    // Inserted out of order on purpose: the order is seq, not rowid.
    insert.run('m3', 'c1', 'user', '第三条消息 third', 'done', 3, 3);
    insert.run('m1', 'c1', 'user', 'first question', 'done', 1, 1);
    insert.run('m2', 'c1', 'assistant', 'first answer', 'done', 2, 2);
    old.close();

    const store = openStore(file);
    try {
      const tree = createTree(store.db, store.messages);
      const page = tree.page('c1');
      assert.deepEqual(page.messages.map((m) => [m.id, m.parentId, m.siblingCount]), [['m1', null, 1], ['m2', 'm1', 1], ['m3', 'm2', 1]]);
      assert.equal(store.conversations.get('c1')?.activeLeafId, 'm3');
      assert.deepEqual([store.conversations.get('c2')?.activeLeafId, store.conversations.get('c2')?.pinned, store.conversations.get('c2')?.settings], [null, false, {}]);
      const search = createSearch(store.db);
      assert.deepEqual(search.messages('第三条', 10).map((h) => h.messageId), ['m3']);
      assert.deepEqual(search.messages('first', 10).map((h) => h.messageId), ['m2', 'm1']);
      // A new message continues the branch.
      const next = store.messages.insert({ conversationId: 'c1', role: 'user', content: 'more' });
      assert.equal(next.parentId, 'm3');
    } finally {
      store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
