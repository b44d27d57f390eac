// Download URIs (hf: forms and plain URLs) and the speed meter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../app/contract.js';
import { SpeedMeter } from '../../app/services/downloads/meter.js';
import { resolveSource } from '../../app/services/downloads/uri.js';

test('hf: URIs resolve to the repository file on the main branch, in both forms', () => {
  const expected = { url: 'https://huggingface.co/Qwen/Qwen2-1.5B-Instruct-GGUF/resolve/main/qwen2-1_5b-instruct-q4_k_m.gguf', fileName: 'qwen2-1_5b-instruct-q4_k_m.gguf' };
  assert.deepEqual(resolveSource('hf:Qwen/Qwen2-1.5B-Instruct-GGUF/qwen2-1_5b-instruct-q4_k_m.gguf'), expected);
  assert.deepEqual(resolveSource('hf:Qwen/Qwen2-1.5B-Instruct-GGUF:qwen2-1_5b-instruct-q4_k_m.gguf'), expected);
  assert.deepEqual(resolveSource('hf:A/B/sub dir/x.gguf', 'http://127.0.0.1:9/'), { url: 'http://127.0.0.1:9/A/B/resolve/main/sub%20dir/x.gguf', fileName: 'x.gguf' });
});

test('plain URLs keep their file name; anything else is refused with the reason', () => {
  assert.deepEqual(resolveSource('https://example.com/models/a%20b.gguf?download=true'), { url: 'https://example.com/models/a%20b.gguf?download=true', fileName: 'a b.gguf' });
  const refused: [string, RegExp][] = [
    ['hf:Qwen/x.gguf', /expected hf:Owner\/Repo\/file\.gguf/],
    ['hf:Qwen:x.gguf', /expected hf:Owner\/Repo:file\.gguf/],
    ['hf:Qwen/Repo/../x.gguf', /file path is not valid/],
    ['hf:Qwen/Repo/model.bin', /"model\.bin" is not a \.gguf file/],
    ['file:///etc/passwd', /file: URLs are not supported/],
    ['https://example.com/', /names no file/],
    ['https://example.com/.hidden.gguf', /hidden file name/],
    ['https://u:p@example.com/a.gguf', /user name or password/],
    ['not a uri', /neither hf:/],
  ];
  for (const [uri, why] of refused) {
    assert.throws(() => resolveSource(uri), (e: unknown) => e instanceof AppError && e.code === 'invalid_request' && why.test(e.message), uri);
  }
});

test('the speed is averaged over the window; the ETA follows from it', () => {
  const m = new SpeedMeter(3000);
  assert.equal(m.bytesPerSecond(0), 0);
  for (let t = 0; t <= 5000; t += 250) m.add(t * 1000, t); // 1 MB/s
  assert.equal(m.bytesPerSecond(5000), 1_000_000);
  assert.equal(m.etaSeconds(5_000_000, 8_000_000, 5000), 3);
  assert.equal(m.etaSeconds(5_000_000, null, 5000), null);
  assert.ok(m.bytesPerSecond(11_000) < 400_000, 'a stall shows as a falling speed');
  m.reset();
  assert.equal(m.bytesPerSecond(9000), 0);
});
