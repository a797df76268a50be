// Differential test against the Azure SDK's own parser (npm @azure/keyvault-keys, a dev dependency), for the
// napi addon and the wasm build: same rules as bindings-py/tests-py/test_differential.py.
//   - our verdict is the one recorded in ids.json (`ours`: null = accepted, else our error code);
//   - an ID we accept is accepted by parseKeyVaultKeyIdentifier with the same vault URL, key name and version
//     (hosts and versions compare case-insensitively: we return them lower-case);
//   - an ID we reject that the SDK accepts is recorded with nodeAccepts: true and a `why` (README security table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parseKeyVaultKeyIdentifier } = require('@azure/keyvault-keys');
const doc = JSON.parse(readFileSync(new URL('./ids.json', import.meta.url), 'utf8'));
const targets = {
  napi: require('../../bindings-js/index.js'),
  wasm: require('../../bindings-js/wasm/node.js'),
};

test('the list holds at least 150 IDs', () => assert.ok(doc.ids.length >= 150));

for (const [target, api] of Object.entries(targets)) {
  doc.ids.forEach((entry, i) => {
    test(`${target} ${String(i).padStart(3, '0')}`, () => {
      let ours = null;
      let ourCode = null;
      try {
        ours = api.parseKeyUri(entry.id);
      } catch (e) {
        assert.ok(e instanceof api.KeyUriError, String(e));
        ourCode = e.code;
      }
      assert.equal(ourCode, entry.ours);

      let peer = null;
      try {
        peer = parseKeyVaultKeyIdentifier(entry.id);
      } catch {
        peer = null;
      }
      assert.equal(peer !== null, entry.nodeAccepts, "the SDK's verdict changed: update ids.json and the README");

      if (ours) {
        assert.ok(peer, 'we accept an ID the SDK rejects');
        assert.equal(peer.vaultUrl.replace(/\/$/, '').toLowerCase(), ours.vaultUrl);
        assert.equal(peer.name, ours.keyName);
        assert.equal((peer.version ?? '').toLowerCase(), ours.version ?? '');
      } else if (peer) {
        assert.ok(entry.why, 'an ID the SDK accepts and we reject needs a recorded reason');
      }
    });
  });
}
