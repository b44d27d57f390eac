// The pure rules of the Electron boundary: IPC payloads, trusted senders, CSP, navigation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { checkCallPayload, isTrustedSender } from '../../main/electron/ipc-validate.js';
import { CSP, externalUrl, isRendererUrl, withCsp } from '../../main/electron/policy.js';

const rendererUrl = pathToFileURL('/opt/Qwen2 Desk/dist/renderer/index.html').href;

test('a well-formed call payload passes through', () => {
  assert.deepEqual(checkCallPayload({ method: 'app.info', params: {} }), {
    ok: true,
    value: { method: 'app.info', params: {} },
  });
  assert.deepEqual(checkCallPayload({ method: 'app.info' }), { ok: true, value: { method: 'app.info', params: undefined } });
});

test('anything else becomes an invalid_request envelope, never a throw', () => {
  const bad: unknown[] = [
    undefined,
    null,
    'app.info',
    42,
    [],
    ['app.info', {}],
    {},
    { method: 1 },
    { method: '' },
    { method: 'x'.repeat(65) },
    { method: 'app.info', params: {}, extra: true },
    new (class Foo {
      method = 'app.info';
    })(),
  ];
  for (const payload of bad) {
    const r = checkCallPayload(payload);
    assert.equal(r.ok, false, `accepted ${JSON.stringify(payload)}`);
    if (!r.ok) {
      assert.equal(r.envelope.ok, false);
      assert.equal(r.envelope.id, null);
      if (!r.envelope.ok) assert.equal(r.envelope.error.code, 'invalid_request');
    }
  }
  // A prototype-less object (what structured clone never makes, but harmless) is fine.
  const bare = Object.assign(Object.create(null) as object, { method: 'app.info' });
  assert.equal(checkCallPayload(bare).ok, true);
});

test('only our window, its main frame, showing our file, is trusted', () => {
  const ok = { fromOurWindow: true, isMainFrame: true, url: rendererUrl };
  assert.equal(isTrustedSender(ok, rendererUrl), true);
  assert.equal(isTrustedSender({ ...ok, url: rendererUrl + '#/chat/1' }, rendererUrl), true);
  assert.equal(isTrustedSender({ ...ok, fromOurWindow: false }, rendererUrl), false);
  assert.equal(isTrustedSender({ ...ok, isMainFrame: false }, rendererUrl), false);
  assert.equal(isTrustedSender({ ...ok, url: null }, rendererUrl), false);
  assert.equal(isTrustedSender({ ...ok, url: 'https://example.com/' }, rendererUrl), false);
  assert.equal(isTrustedSender({ ...ok, url: pathToFileURL('/tmp/evil.html').href }, rendererUrl), false);
  assert.equal(isTrustedSender({ ...ok, url: 'file://host/opt/Qwen2%20Desk/dist/renderer/index.html' }, rendererUrl), false);
});

test('the CSP is the strict one, and replaces any CSP header already there', () => {
  assert.equal(
    CSP,
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'",
  );
  assert.doesNotMatch(CSP, /unsafe-inline|unsafe-eval|\*/);
  const h = withCsp({ 'content-security-policy': ["default-src *"], 'X-Other': ['1'], Single: 'v' });
  assert.deepEqual(h, { 'X-Other': ['1'], Single: ['v'], 'Content-Security-Policy': [CSP] });
  assert.deepEqual(withCsp(undefined), { 'Content-Security-Policy': [CSP] });
});

test('navigation: only our own file stays in the window; only http(s) goes to the browser', () => {
  assert.equal(isRendererUrl(rendererUrl + '?x=1', rendererUrl), true);
  assert.equal(isRendererUrl('file:///etc/passwd', rendererUrl), false);
  assert.equal(isRendererUrl('not a url', rendererUrl), false);
  assert.equal(externalUrl('https://qwenlm.github.io/'), 'https://qwenlm.github.io/');
  assert.equal(externalUrl('http://example.com/a?b'), 'http://example.com/a?b');
  for (const u of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'nonsense']) {
    assert.equal(externalUrl(u), null, u);
  }
});
