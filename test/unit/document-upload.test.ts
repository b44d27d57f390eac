// The upload route over real HTTP with a stand-in documents service: each reason the service refuses
// with before the body is read has its status code, and a body that streams past the service's
// limit (no declared length) gets the service's too-large error as a 413; nothing stays behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { DocumentInfo } from '../../app/contract.js';
import { UploadRefused, type UploadRefusal } from '../../app/services/documents/upload-rules.js';
import { handleDocumentUpload, type DocumentUploads } from '../../main/host/document-upload.js';

const LIMIT = 1000;
let refuseWith: UploadRefusal | null = null;
const attached: string[] = [];
const documents: DocumentUploads = {
  checkUpload(_conversationId, name) {
    if (refuseWith) throw new UploadRefused(refuseWith, `Refused "${name}" (${refuseWith}).`);
  },
  uploadLimit: (name) => ({ bytes: LIMIT, error: () => new UploadRefused('too_large', `"${name}" is over ${LIMIT} bytes.`) }),
  begin: () => ({ signal: new AbortController().signal, end() {} }),
  report() {},
  async attach(_conversationId, source) {
    attached.push(fs.readFileSync(source.path, 'utf8'));
    return { id: 'd1', name: source.name } as DocumentInfo;
  },
};

let dir = '';
let server: http.Server;
let port = 0;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'document-upload-'));
  server = http.createServer((req, res) => {
    void handleDocumentUpload(req, res, new URL(req.url!, 'http://x'), { documents, uploadDir: dir });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** PUTs `chunks` (chunked: no content-length) and answers with the status and the error message. */
function put(chunks: string[]): Promise<{ status: number; message?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, method: 'PUT', path: '/api/documents?conversationId=c&name=a.txt' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, message: (JSON.parse(body) as { error?: { message: string } }).error?.message }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

test('stand-in documents service: each reason it refuses an upload with has its status code, with its message', async () => {
  const expected: Record<UploadRefusal, number> = { bad_name: 400, unsupported: 415, no_conversation: 404, too_large: 413 };
  for (const [reason, status] of Object.entries(expected) as [UploadRefusal, number][]) {
    refuseWith = reason;
    assert.deepEqual(await put(['hello']), { status, message: `Refused "a.txt" (${reason}).` });
  }
  refuseWith = null;
  assert.equal(attached.length, 0);
});

test('stand-in documents service: a body that streams past the service\'s limit is answered 413 with its too-large error; one within it is attached', async () => {
  refuseWith = null;
  assert.deepEqual(await put(['x'.repeat(600), 'y'.repeat(600)]), { status: 413, message: '"a.txt" is over 1000 bytes.' });
  assert.deepEqual(fs.readdirSync(dir), [], 'the temporary file is removed');
  assert.equal((await put(['x'.repeat(600), 'y'.repeat(400)])).status, 200);
  assert.deepEqual(attached, ['x'.repeat(600) + 'y'.repeat(400)]);
  assert.deepEqual(fs.readdirSync(dir), []);
});
