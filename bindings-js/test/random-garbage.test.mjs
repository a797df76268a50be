// 10,000 random garbage values (fixed seed) through every public function: each call answers or throws an
// AmrCmkError with a known code (never a TypeError, never a wasm trap), and the module keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WITH_ARGUMENT } from './functions.mjs';
import { api } from './target.mjs';

// Every function that takes an argument, in table order (the order fixes which value goes where).
const FUNCTIONS = WITH_ARGUMENT;
const KEYS = ['cache', 'encryption', 'customerManagedKeyEncryption', 'keyEncryptionKeyUrl', 'vault', 'key', 'identity',
  'document', 'format', 'result', 'plan', 'inputs', 'sku', 'location', 'now', 'roleAssignments', 'x', ''];

/** mulberry32: a small seeded generator, so a failure reproduces. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function garbage(next, depth = 0) {
  const int = (n) => Math.floor(next() * n);
  switch (int(depth < 6 ? 16 : 10)) {
    case 0: return null;
    case 1: return undefined;
    case 2: return next() < 0.5;
    case 3: return [0.5, -1e308, NaN, Infinity, -0, 2 ** 60, 10n][int(7)];
    case 4: return Array.from({ length: int(40) }, () => String.fromCharCode(int(0x10000))).join('');
    case 5: return ['https://contoso.vault.azure.net/keys/k', 'Balanced_B10', '\uD800', 'x'.repeat(300000), ''][int(5)];
    case 6: return new Uint8Array(int(20));
    case 7: return new Map([[1, 2]]);
    case 8: return () => 1;
    case 9: return Symbol('s');
    case 10: case 11: case 12: {
      const o = {};
      for (let i = int(5); i > 0; i--) o[KEYS[int(KEYS.length)]] = garbage(next, depth + 1);
      return o;
    }
    default: return Array.from({ length: int(5) }, () => garbage(next, depth + 1));
  }
}

test('10,000 random inputs: an answer or a coded AmrCmkError, and the module still works', () => {
  const next = rng(20261127);
  const codes = new Set([...api.errorCodes(), ...api.ruleCodes()]);
  let raised = 0;
  for (let i = 0; i < 10000; i++) {
    const name = FUNCTIONS[i % FUNCTIONS.length];
    const value = garbage(next);
    try {
      api[name](value);
    } catch (e) {
      assert.ok(e instanceof api.AmrCmkError, `${name}: ${e}`);
      assert.ok(codes.has(e.code), `${name}: unknown code ${e.code}`);
      raised++;
    }
  }
  assert.ok(raised > 1000, `only ${raised} errors`);
  assert.equal(api.parseKeyUri('https://contoso.vault.azure.net/keys/cmk').keyName, 'cmk');
});
