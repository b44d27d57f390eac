// The documents service's rules for an upload, checked before its body is read: a plain file name, a
// supported type, an existing conversation, a declared size within the limit; and the limit (with its
// error) that the host applies while the body streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../app/store/index.js';
import type { DocumentsController } from '../../app/services/documents/controller.js';
import { UploadRefused } from '../../app/services/documents/upload-rules.js';
import { documentsOn } from '../helpers/documents-controller.js';
import { AppError } from '../../app/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'documents-upload-rules-'));
const store = openStore(join(dir, 'db.sqlite'));
const docs = documentsOn(store);
const small = documentsOn(store, { maxBytes: 2.5 * 1024 * 1024 });
test.after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The reason, code and message checkUpload refuses with, or null when it lets the upload start. */
function refusal(service: DocumentsController, conversationId: string, name: string, declared: number | null) {
  try {
    service.checkUpload(conversationId, name, declared);
    return null;
  } catch (error) {
    assert.ok(error instanceof UploadRefused && error instanceof AppError);
    return [error.reason, error.code, error.message];
  }
}

test('an upload to an existing conversation with a plain name, a known type and a size within the limit may start', () => {
  const c = store.conversations.create('uploads');
  assert.equal(refusal(docs, c.id, 'notes.txt', 10), null);
  assert.equal(refusal(docs, c.id, 'notes.txt', null), null, 'an undeclared size is checked while the body streams');
  assert.equal(refusal(docs, c.id, 'notes.txt', 200 * 1024 * 1024), null, 'exactly the limit is allowed');
});

test('each refusal has its reason and the sentence the user sees, checked in order: name, type, conversation, size', () => {
  const c = store.conversations.create('uploads');
  assert.deepEqual(refusal(docs, c.id, '', 1), ['bad_name', 'invalid_request', 'Cannot add the document: the file has no name.']);
  assert.deepEqual(refusal(docs, c.id, `${'a'.repeat(252)}.txt`, 1), ['bad_name', 'invalid_request', 'Cannot add the document: the file name is longer than 255 characters.']);
  for (const name of ['../a.txt', 'a\\b.txt', 'a\0.txt', '.', '..']) {
    assert.deepEqual(refusal(docs, c.id, name, 1), ['bad_name', 'invalid_request', 'Cannot add the document: the file name may not contain a path.'], name);
  }
  const [reason, code, message] = refusal(docs, 'no-such-conversation', 'photo.png', 1)!;
  assert.deepEqual([reason, code], ['unsupported', 'invalid_request']);
  assert.match(message!, /^Cannot add "photo\.png": /);
  for (const id of ['', 'no-such-conversation']) {
    assert.deepEqual(refusal(docs, id, 'a.txt', 10 ** 12), ['no_conversation', 'not_found', 'Cannot add "a.txt": the conversation does not exist (any more).']);
  }
  assert.deepEqual(refusal(docs, c.id, 'big.txt', 200 * 1024 * 1024 + 1), ['too_large', 'invalid_request', 'Cannot add "big.txt": it is too large; the limit is 200 MB.']);
});

test('the upload limit is the service\'s document size limit, with the same too-large error', () => {
  const c = store.conversations.create('uploads');
  assert.equal(docs.uploadLimit('a.txt').bytes, 200 * 1024 * 1024);
  const limit = small.uploadLimit('a.txt');
  assert.equal(limit.bytes, 2.5 * 1024 * 1024);
  const error = limit.error();
  assert.ok(error instanceof UploadRefused);
  assert.deepEqual([error.reason, error.message], ['too_large', 'Cannot add "a.txt": it is too large; the limit is 2.5 MB.']);
  assert.deepEqual(refusal(small, c.id, 'a.txt', 2.5 * 1024 * 1024 + 1), ['too_large', 'invalid_request', error.message]);
  assert.equal(refusal(small, c.id, 'a.txt', 2.5 * 1024 * 1024), null);
});
