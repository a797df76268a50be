// Browser tests of the web form: playwright-core driving Debian's Chromium, headless.
//
// Run by `make test-web` (mk/40-web.mk), which builds the wasm package and installs what is missing.
// Environment: WEB_ROOT (the page's folder, default examples/web: the sources; `make test-web` serves the
// minified page examples/web/build.mjs writes), WEB_PKG (the wasm package folder served under /pkg/), CHROMIUM
// (default /usr/bin/chromium), TEST_OUTPUT (default <repo>/test-output).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const WEB = resolve(HERE, '..');
const REPO = resolve(WEB, '..', '..');
const PKG = resolve(process.env.WEB_PKG || join(REPO, 'bindings-js', 'wasm'));
const ROOT = resolve(process.env.WEB_ROOT || WEB);
const OUT = resolve(process.env.TEST_OUTPUT || join(REPO, 'test-output'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server;
let base;
let context;
let userDataDir;
const consoleErrors = [];
const foreignRequests = [];
const loaded = new Map(); // url → body of what the first load fetched

before(async () => {
  server = spawn('python3', [join(WEB, 'serve.py'), '--port', '0', '--root', ROOT, '--pkg', PKG, '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise((resolveUrl, reject) => {
    let text = '';
    server.stdout.on('data', (chunk) => {
      text += chunk;
      const line = text.split('\n')[0];
      if (text.includes('\n')) resolveUrl(line.trim());
    });
    server.on('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
  });
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  userDataDir = mkdtempSync(join(tmpdir(), 'amr-cmk-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(base) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  const watch = (page) => {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location()?.url || '';
      if (where.endsWith('/favicon.ico') || /favicon\.ico/.test(msg.text())) return;
      consoleErrors.push(`${msg.text()} (${where})`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  };
  context.on('page', watch);
  context.pages().forEach(watch);
});

after(async () => {
  await context?.close();
  server?.kill();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function openPage({ record = false } = {}) {
  const page = context.pages()[0] || (await context.newPage());
  const bodies = [];
  const onResponse = (res) => {
    if (res.url().startsWith(base) && res.status() === 200) {
      bodies.push(res.body().then((body) => loaded.set(res.url(), body)));
    }
  };
  if (record) page.on('response', onResponse);
  await page.goto(base);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  if (record) {
    page.off('response', onResponse);
    await Promise.all(bodies);
  }
  return page;
}

/** The findings shown next to each visible field: { field: [codes] }, plus the summary and the status. */
async function shown(page) {
  return page.evaluate(() => {
    const visible = (el) => el.checkVisibility();
    const fields = {};
    const hiddenFindings = [];
    for (const ul of document.querySelectorAll('form ul.findings')) {
      const codes = [...ul.querySelectorAll(':scope > li[data-code]')].map((li) => li.dataset.code);
      if (!codes.length) continue;
      if (visible(ul)) fields[ul.id.replace(/-findings$/, '')] = codes;
      else hiddenFindings.push(...codes);
    }
    const summary = [...document.querySelectorAll('#summary-findings > li[data-code]')].map((li) => li.dataset.code);
    const severities = Object.fromEntries(
      [...document.querySelectorAll('#summary-findings > li[data-code]')].map((li) => [li.dataset.code, li.dataset.severity]));
    const inconclusive = [...document.querySelectorAll('#inconclusive > li[data-code]')].map((li) => li.dataset.code);
    const status = document.getElementById('status');
    return { fields, summary, severities, hiddenFindings, inconclusive, state: status.dataset.state, status: status.textContent };
  });
}

/** Asserts the exact findings next to the fields, and that the summary lists the same ones. */
async function expectFindings(page, expected, step) {
  const got = await shown(page);
  assert.deepEqual(got.fields, expected, `${step}: findings next to the fields`);
  assert.deepEqual(got.hiddenFindings, [], `${step}: no finding in a hidden field`);
  assert.deepEqual([...got.summary].sort(), Object.values(expected).flat().sort(), `${step}: summary = fields`);
  return got;
}

/** A full-page screenshot with the (normally sticky, scrolling) result panel unrolled and the plan open. */
async function fullScreenshot(page, name) {
  await page.evaluate(() => {
    const summary = document.getElementById('summary');
    summary.style.position = 'static';
    summary.style.maxHeight = 'none';
    document.getElementById('plan-box').open = true;
  });
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, name), fullPage: true });
  await page.evaluate(() => {
    document.getElementById('summary').removeAttribute('style');
    document.getElementById('plan-box').open = false;
  });
}

/** Types at the end of what the field holds. */
async function appendTo(page, selector, text) {
  await page.focus(selector);
  await page.keyboard.press('End');
  await page.keyboard.type(text);
}

async function typeInto(page, selector, text) {
  const input = page.locator(selector);
  await input.fill('');
  await input.pressSequentially(text);
}

test('the page loads the wasm package, from 127.0.0.1 only', async () => {
  const page = await openPage({ record: true });
  const got = await shown(page);
  assert.deepEqual(got.fields, { useCmk: ['encryption.microsoft_managed'] });
  assert.equal(got.severities['encryption.microsoft_managed'], 'info');
  assert.equal(got.state, 'valid');
  assert.match(await page.textContent('#version'), /^amr-cmk \d+\.\d+\.\d+/);
  const urls = [...loaded.keys()];
  assert.ok(urls.some((u) => u.endsWith('.wasm')), `a .wasm was loaded: ${urls.join(' ')}`);

  // Transfer size: everything the page loaded (HTML + JS + CSS + wasm), gzip -9 each, summed. size.py (make
  // web-size) finds the files statically; they must be exactly the ones the browser fetched.
  const sizePy = spawnSync('python3', [join(WEB, 'size.py'), '--root', ROOT, '--pkg', PKG, '--json'], { encoding: 'utf8' });
  assert.equal(sizePy.status, 0, sizePy.stderr);
  const size = JSON.parse(sizePy.stdout);
  const fetched = urls.map((u) => new URL(u).pathname).map((f) => (f === '/' ? '/index.html' : f));
  assert.deepEqual(size.files.map((r) => r.file).sort(), fetched.sort());
  for (const url of urls) {
    const file = new URL(url).pathname.replace(/^\/$/, '/index.html');
    const row = size.files.find((r) => r.file === file);
    assert.equal(row.bytes, loaded.get(url).length, `${file}: served bytes`);
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'web-size.json'), `${JSON.stringify(size, null, 2)}\n`);
  for (const r of size.files) console.log(`${r.file.padEnd(34)} ${String(r.bytes).padStart(9)} B  gzip -9 ${String(r.gzip9).padStart(8)} B`);
  console.log(`page transfer size (HTML + JS + CSS + wasm, gzip -9 each, summed): ${size.totalGzip9} bytes`);
});

test('a broken setup typed field by field shows the exact findings, then is fixed one by one', async () => {
  const page = await openPage();
  const f = (expected, step) => expectFindings(page, expected, step);

  await page.check('#f-mode-existing');
  await page.selectOption('#f-currentKeySource', 'microsoftManaged');
  await f({ useCmk: ['encryption.microsoft_managed'] }, 'existing cache on MMK');

  await typeInto(page, '#f-cacheName', 'cache-prod');
  await typeInto(page, '#f-region', 'eastus');
  await typeInto(page, '#f-sku', 'Enterprise_E5');
  await f({ sku: ['sku.retired'], useCmk: ['encryption.microsoft_managed'] }, 'retired SKU');
  assert.equal(await page.textContent('#f-tier'), '');
  assert.equal(await page.getAttribute('#f-sku', 'aria-invalid'), 'true');

  await page.check('#f-useCmk');
  await f({
    currentKeySource: ['change.key_source_switch'],
    sku: ['sku.retired'],
    uai: ['identity.missing'],
    keyMethod: ['encryption.cmk_incomplete'],
  }, 'CMK on, nothing else');
  const sev = (await shown(page)).severities;
  assert.equal(sev['change.key_source_switch'], 'warning');
  assert.equal(sev['identity.missing'], 'error');

  await page.check('#f-identityType-system');
  await f({
    currentKeySource: ['change.key_source_switch'],
    sku: ['sku.retired'],
    identityType: ['identity.system_assigned'],
    keyMethod: ['encryption.cmk_incomplete'],
  }, 'system-assigned identity refused');
  assert.match(await page.textContent('#identityType-findings'), /only a user-assigned managed identity/);

  await page.check('#f-keyMethod-uri');
  await typeInto(page, '#f-keyUri', 'https://contoso-kv.vault.azure.net/keys/cmk');
  // No blur, no wait: the finding is there as soon as the last character is typed.
  const versionless = await page.evaluate(() => {
    const li = document.querySelector('#keyUri-findings > li[data-code]');
    const input = document.getElementById('f-keyUri');
    return li && {
      code: li.dataset.code, severity: li.dataset.severity, path: li.dataset.path,
      remediation: li.querySelector('.remediation').textContent,
      invalid: input.getAttribute('aria-invalid'), describedby: input.getAttribute('aria-describedby'),
    };
  });
  assert.deepEqual(
    { code: versionless.code, severity: versionless.severity, path: versionless.path },
    { code: 'key_uri.version_missing', severity: 'error', path: '/encryption/customerManagedKeyEncryption/keyEncryptionKeyUrl' },
  );
  assert.match(versionless.remediation, /Use the full identifier with the version, https:\/\/contoso-kv\.vault\.azure\.net\/keys\/cmk\/\{version\}/);
  assert.equal(versionless.invalid, 'true');
  assert.equal(await page.textContent('#key-resolved'),
    'Key “cmk” in the key vault “contoso-kv” (Azure public cloud), no version.');
  assert.ok(versionless.describedby.split(' ').includes('keyUri-findings'));
  await f({
    currentKeySource: ['change.key_source_switch'],
    sku: ['sku.retired'],
    identityType: ['identity.system_assigned'],
    keyUri: ['key_uri.version_missing'],
  }, 'versionless key URI');

  await page.selectOption('#f-exportInUse', 'false');
  await typeInto(page, '#f-vaultName', 'contoso-kv');
  await typeInto(page, '#f-vaultRegion', 'westus');
  await page.selectOption('#f-softDelete', 'true');
  await page.selectOption('#f-purgeProtection', 'false');
  await page.selectOption('#f-firewall', 'deny');
  await page.selectOption('#f-trustedServices', 'false');
  await page.selectOption('#f-permissionModel', 'rbac');
  await typeInto(page, '#f-principalId', '11111111-1111-1111-1111-111111111111');
  await page.selectOption('#f-role', 'none');
  await page.selectOption('#f-accessPolicy', 'none');
  await page.selectOption('#f-kty', 'EC');
  await typeInto(page, '#f-keyOps', 'sign');
  await page.selectOption('#f-keyEnabled', 'true');
  await page.selectOption('#f-keyExp', 'none');
  await page.selectOption('#f-keyNbf', 'none');
  const broken = {
    currentKeySource: ['change.key_source_switch'],
    sku: ['sku.retired'],
    identityType: ['identity.system_assigned'],
    keyUri: ['key_uri.version_missing'],
    vaultRegion: ['vault.region_mismatch'],
    purgeProtection: ['vault.purge_protection_disabled'],
    trustedServices: ['vault.trusted_services_blocked'],
    role: ['access.role_missing'],
    kty: ['key.not_rsa'],
    keyOps: ['key.operations_missing'],
  };
  let got = await f(broken, 'everything broken');
  assert.equal(got.state, 'invalid');
  assert.match(got.status, /^Not valid: 9 errors, 1 warning, 0 info, 1 check inconclusive\./);
  assert.deepEqual(got.inconclusive, ['coverage.flash_nvme_mmk_only']);

  // What was typed is exactly the "broken" example.
  const typed = await page.textContent('#json-out');
  await page.click('#load-broken');
  assert.equal(await page.textContent('#json-out'), typed);
  await f(broken, 'broken example');

  // Fix them one by one.
  await typeInto(page, '#f-sku', 'FlashOptimized_A250');
  delete broken.sku;
  broken.sku = ['coverage.flash_nvme_mmk_only'];
  await f(broken, 'Flash Optimized SKU');
  assert.equal(await page.textContent('#f-tier'), 'Tier: Flash Optimized');
  assert.deepEqual(await page.$$eval('#coverage tbody tr', (rows) => rows.map((r) => r.dataset.data)),
    ['persistenceFiles', 'exportTemporaryFiles', 'osDisk', 'flashKeysAndValues', 'exportedFile']);
  assert.match(await page.textContent('#coverage tbody tr[data-data="flashKeysAndValues"]'), /Microsoft-managed key \(MMK\)$/);
  assert.equal((await shown(page)).severities['coverage.flash_nvme_mmk_only'], 'info');

  await typeInto(page, '#f-sku', 'Balanced_B10');
  delete broken.sku;
  await f(broken, 'Balanced SKU');
  assert.equal(await page.textContent('#f-tier'), 'Tier: Balanced');
  assert.deepEqual(await page.$$eval('#coverage tbody tr', (rows) => rows.map((r) => r.dataset.data)),
    ['persistenceFiles', 'exportTemporaryFiles', 'osDisk', 'exportedFile']);
  assert.equal(await page.getAttribute('#f-sku', 'aria-invalid'), null);

  await page.check('#f-identityType-user');
  delete broken.identityType;
  broken.uai = ['identity.missing'];
  await f(broken, 'user-assigned identity, no ID yet');
  await typeInto(page, '#f-uai', '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-redis/providers/Microsoft.ManagedIdentity/userAssignedIdentities');
  broken.uai = ['identity.resource_id_invalid'];
  await f(broken, 'identity ID cut short');
  await appendTo(page, '#f-uai', '/cmk-id');
  delete broken.uai;
  await f(broken, 'identity ID complete');

  await appendTo(page, '#f-keyUri', '/0123456789abcdef0123456789abcdef');
  delete broken.keyUri;
  await f(broken, 'versioned key URI');
  assert.equal(await page.getAttribute('#f-keyUri', 'aria-invalid'), null);

  await typeInto(page, '#f-vaultRegion', 'East US');
  delete broken.vaultRegion;
  await f(broken, 'vault region');

  await page.selectOption('#f-purgeProtection', 'true');
  delete broken.purgeProtection;
  await f(broken, 'purge protection');

  await page.selectOption('#f-trustedServices', 'true');
  delete broken.trustedServices;
  await f(broken, 'trusted services');

  await page.selectOption('#f-kty', 'RSA');
  delete broken.kty;
  await f(broken, 'RSA key');

  await typeInto(page, '#f-keyOps', 'wrapKey, unwrapKey');
  delete broken.keyOps;
  await f(broken, 'key operations');

  await page.selectOption('#f-role', 'Key Vault Crypto Service Encryption User');
  delete broken.role;
  got = await f(broken, 'role chosen, scope unknown');
  assert.ok(got.inconclusive.includes('access.role_missing'));
  await typeInto(page, '#f-roleScope', '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-redis/providers/Microsoft.KeyVault/vaults/contoso-kv');
  got = await f(broken, 'role scope');
  assert.deepEqual(got.inconclusive, []);
  assert.equal(got.state, 'valid');
  assert.equal(got.status, 'Valid: no errors. 1 warning, 0 info, 0 checks inconclusive.');

  await page.check('#f-mode-new');
  delete broken.currentKeySource;
  assert.deepEqual(broken, {});
  got = await f({}, 'new cache');
  assert.deepEqual(got.inconclusive, []);
  assert.equal(got.status, 'Valid: no errors. 0 warnings, 0 info, 0 checks inconclusive.');
  assert.equal(await page.locator('form [aria-invalid="true"]').count(), 0);
  mkdirSync(OUT, { recursive: true });
  await fullScreenshot(page, 'web-form-valid.png');
});

test('examples, copy as JSON and the live JSON are the validated model', async () => {
  const page = await openPage();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base.replace(/\/$/, '') });
  await page.click('#load-valid');
  let got = await shown(page);
  assert.deepEqual(got.fields, {});
  assert.equal(got.state, 'valid');
  assert.deepEqual(got.inconclusive, []);
  const model = JSON.parse(await page.textContent('#json-out'));
  const report = await page.evaluate((m) => globalThis.amrCmk.validate(m), model);
  assert.equal(report.valid, true);
  assert.deepEqual(report.findings, []);
  await page.click('#copy-json');
  await page.waitForFunction(() => document.getElementById('copy-status').textContent !== '');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.deepEqual(JSON.parse(copied), model);
  assert.equal(model.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl,
    'https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef');
  assert.equal(model.vault.enableRbacAuthorization, true);
  assert.equal(model.key.exp, null);

  await page.click('#load-broken');
  got = await shown(page);
  assert.equal(got.state, 'invalid');
  assert.deepEqual(Object.values(got.fields).flat().sort(), [
    'access.role_missing', 'change.key_source_switch', 'identity.system_assigned', 'key.not_rsa',
    'key.operations_missing', 'key_uri.version_missing', 'sku.retired', 'vault.purge_protection_disabled',
    'vault.region_mismatch', 'vault.trusted_services_blocked',
  ]);

  const order = await page.$$eval('#summary-findings > li[data-code]', (lis) => lis.map((li) => li.dataset.severity));
  assert.deepEqual(order, [...Array(9).fill('error'), 'warning'], 'the summary lists errors, then warnings, then info');

  await page.click('#reset');
  got = await shown(page);
  assert.deepEqual(got.fields, { useCmk: ['encryption.microsoft_managed'] });
  assert.deepEqual(JSON.parse(await page.textContent('#json-out')), {
    cache: { existing: false }, encryption: { keySource: 'microsoftManaged' },
  });

  // Tri-state selects: Unknown → absent, Yes → true, No → false; only the fields the user filled.
  await page.check('#f-useCmk');
  await page.selectOption('#f-softDelete', 'false');
  await page.selectOption('#f-purgeProtection', 'true');
  let m = JSON.parse(await page.textContent('#json-out'));
  assert.deepEqual(m.vault, { enableSoftDelete: false, enablePurgeProtection: true });
  assert.equal('key' in m, false);
  assert.equal('identity' in m, false);
  await page.selectOption('#f-softDelete', '');
  m = JSON.parse(await page.textContent('#json-out'));
  assert.deepEqual(m.vault, { enablePurgeProtection: true });
  await page.selectOption('#f-keyExp', 'date');
  await page.fill('#f-keyExpDate', '2000-01-01');
  m = JSON.parse(await page.textContent('#json-out'));
  assert.equal(m.key.exp, '2000-01-01T00:00:00Z');
  assert.equal(typeof m.now, 'number');
  got = await shown(page);
  assert.deepEqual(got.fields.keyExp, ['key.expired']);
});

test('the plan lists the steps of the change with their status and commands', async () => {
  const page = await openPage();
  assert.equal(await page.evaluate(() => typeof globalThis.amrCmk.plan), 'function', 'amr-cmk-wasm (web) exports plan');
  for (const example of ['#load-broken', '#load-valid']) {
    await page.click(example);
    const { rendered, plan } = await page.evaluate(() => {
      const model = JSON.parse(document.getElementById('json-out').textContent);
      return {
        plan: globalThis.amrCmk.plan(model),
        rendered: [...document.querySelectorAll('#plan > li')].map((li) => ({
          id: li.dataset.step,
          status: li.dataset.status,
          commands: [...li.querySelectorAll('pre.command')].map((pre) => pre.textContent),
        })),
      };
    });
    assert.equal(await page.isVisible('#plan-box'), true);
    assert.deepEqual(rendered, plan.steps.map((st) => ({
      id: st.id, status: st.status, commands: st.fixes.flatMap((fx) => fx.commands.map((c) => c.shell)),
    })), example);
    if (example === '#load-broken') {
      assert.equal(plan.ready, false);
      assert.ok(rendered.some((st) => st.status === 'todo' && st.commands.length), 'a step to do, with commands');
    } else {
      // Every preparation step is done; what is left is applying the settings (the last step).
      assert.deepEqual(rendered.map((st) => st.id), ['identity', 'key', 'vault', 'permissions', 'switch']);
      assert.ok(rendered.slice(0, -1).every((st) => st.status === 'done'), 'valid example: preparation done');
    }
  }
});

test('each finding shows its fix commands with a Copy button; the plan is a checklist', async () => {
  const page = await openPage();
  await page.click('#load-broken');
  const { shownFixes, expected, checks } = await page.evaluate(() => {
    const model = JSON.parse(document.getElementById('json-out').textContent);
    const report = globalThis.amrCmk.validate(model);
    const shownFixes = {};
    for (const box of document.querySelectorAll('.fix[data-fix-for]')) {
      const code = box.dataset.fixFor;
      if (!code.includes('.')) continue; // plan steps
      shownFixes[code] = [...box.querySelectorAll('pre.command[data-command]')].map((pre) => pre.dataset.command);
      if (box.querySelector('pre.command').textContent !== box.querySelector('pre.command').dataset.command) {
        throw new Error('the command shown differs from its data-command');
      }
      if (!box.querySelector('button.copy')) throw new Error(`no Copy button for ${code}`);
    }
    const expected = Object.fromEntries(report.findings.filter((f) => f.fix).map((f) => [f.code, f.fix.commands.map((c) => c.shell)]));
    const checks = [...document.querySelectorAll('#plan > li')].map((li) => {
      const box = li.querySelector('input.step-check');
      return [li.dataset.status, box.checked, box.indeterminate, box.disabled];
    });
    return { shownFixes, expected, checks };
  });
  assert.ok(Object.keys(expected).length >= 5, 'the broken example has fixes');
  assert.deepEqual(shownFixes, expected);
  assert.ok(shownFixes['vault.purge_protection_disabled'][0].startsWith('az keyvault update --name '));
  for (const [status, checked, indeterminate, disabled] of checks) {
    assert.equal(checked, status === 'done');
    assert.equal(indeterminate, status === 'confirm');
    assert.equal(disabled, true);
  }
  assert.ok(checks.some(([status]) => status === 'todo'));
  // Copy: the clipboard when allowed, else the commands are selected for Ctrl+C.
  const copy = page.locator('.fix[data-fix-for="vault.purge_protection_disabled"] button.copy').first();
  await copy.click();
  await page.waitForFunction(() => {
    const s = document.querySelector('.fix[data-fix-for="vault.purge_protection_disabled"] .copy-status');
    return s && s.textContent !== '';
  });
  assert.match(await page.textContent('.fix[data-fix-for="vault.purge_protection_disabled"] .copy-status'), /^(Copied\.|Selected: press Ctrl\+C to copy\.)$/);
});

test('"select vault and key" method: findings go to the vault, key and version fields', async () => {
  const page = await openPage();
  await page.check('#f-useCmk');
  assert.equal(await page.isChecked('#f-keyMethod-select'), true, 'the portal default');
  await expectFindings(page, { uai: ['identity.missing'], keyMethod: ['encryption.cmk_incomplete'] }, 'nothing picked');
  await typeInto(page, '#f-selVault', 'contoso-kv');
  await expectFindings(page, { uai: ['identity.missing'], selKey: ['key_input.incomplete'] }, 'vault only');
  await typeInto(page, '#f-selKey', 'cmk');
  await expectFindings(page, { uai: ['identity.missing'], selVersion: ['key_input.incomplete'] }, 'no version');
  await typeInto(page, '#f-selVersion', 'latest');
  await expectFindings(page, { uai: ['identity.missing'], selVersion: ['key_uri.version_invalid'] }, 'bad version');
  await typeInto(page, '#f-selVersion', '0123456789abcdef0123456789abcdef');
  await expectFindings(page, { uai: ['identity.missing'] }, 'vault, key and version');
  assert.equal(await page.textContent('#key-resolved'),
    'Key “cmk” in the key vault “contoso-kv” (Azure public cloud), version 0123456789abcdef0123456789abcdef.');
  await typeInto(page, '#f-selVault', 'bad_vault!');
  await expectFindings(page, { uai: ['identity.missing'], selVault: ['key_uri.vault_name_invalid'] }, 'bad vault name');
  const model = JSON.parse(await page.textContent('#json-out'));
  assert.deepEqual(model.encryption.customerManagedKeyEncryption.keySelection,
    { vaultName: 'bad_vault!', keyName: 'cmk', version: '0123456789abcdef0123456789abcdef' });
});

test('findings are text, never markup', async () => {
  const page = await openPage();
  await page.check('#f-useCmk');
  await page.check('#f-keyMethod-uri');
  const evil = 'https://<img src=x onerror="window.__pwned=1">.vault.azure.net/keys/<b>k</b>';
  await page.fill('#f-keyUri', evil);
  const res = await page.evaluate(() => ({
    pwned: window.__pwned === 1,
    imgs: document.querySelectorAll('#summary img, form img').length,
    bold: document.querySelectorAll('.finding b').length,
    code: document.querySelector('#keyUri-findings > li')?.dataset.code,
  }));
  assert.deepEqual({ pwned: res.pwned, imgs: res.imgs, bold: res.bold }, { pwned: false, imgs: 0, bold: 0 });
  assert.match(res.code, /^key_uri\./);
});

test('keyboard only: tab through the form, turn CMK on, pick the URI method, type a key', async () => {
  const page = await openPage(); // a fresh load: Tab starts at the top of the document
  const tabTo = async (id, max = 80) => {
    const seen = [];
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      const active = await page.evaluate(() => {
        const a = document.activeElement;
        return a?.closest('.finding') ? '(finding link)' : a?.id || a?.textContent?.trim() || '';
      });
      // A finding's links (Documentation) are tab stops too; the test follows the form's own controls.
      if (active !== '(finding link)') seen.push(active);
      if (active === id) return seen;
    }
    assert.fail(`Tab never reached #${id}; saw ${seen.join(', ')}`);
  };
  let seen = await tabTo('f-useCmk');
  assert.deepEqual(seen, ['load-valid', 'load-broken', 'reset', 'copy-json', 'f-mode-new', 'f-cacheName', 'f-region', 'f-sku',
    'f-exportInUse', 'f-useCmk']);
  await page.keyboard.press('Space');
  assert.equal(await page.isChecked('#f-useCmk'), true);
  seen = await tabTo('f-keyMethod-select');
  assert.deepEqual(seen, ['f-identityType-user', 'f-uai', 'f-uaiAttached', 'f-keyMethod-select']);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.isChecked('#f-keyMethod-uri'), true);
  seen = await tabTo('f-keyUri');
  assert.deepEqual(seen, ['f-keyUri']);
  await page.keyboard.type('https://contoso-kv.vault.azure.net/keys/cmk');
  assert.deepEqual((await shown(page)).fields.keyUri, ['key_uri.version_missing']);

  // Every visible control of the form is reachable (one stop per radio group), in document order.
  seen = await tabTo('f-keyNbf');
  const controls = await page.evaluate(() => [...document.querySelectorAll('form [data-control]')]
    .filter((c) => c.checkVisibility() && (c.type !== 'radio' || c.checked)).map((c) => c.id));
  const after = controls.slice(controls.indexOf('f-keyUri') + 1);
  assert.deepEqual(seen, after);

  // The summary's "Go to" buttons work from the keyboard.
  const go = page.locator('#summary-findings > li[data-code="key_uri.version_missing"] button');
  await go.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-keyUri');
  // Fix it from the keyboard.
  await page.keyboard.press('End');
  await page.keyboard.type('/0123456789abcdef0123456789abcdef');
  assert.equal((await shown(page)).fields.keyUri, undefined);
  const a11y = await page.evaluate(() => ({
    live: document.getElementById('findings-region').getAttribute('aria-live'),
    unlabeled: [...document.querySelectorAll('form input, form select')]
      .filter((c) => !(c.labels?.length || c.getAttribute('aria-label'))).map((c) => c.id),
  }));
  assert.deepEqual(a11y, { live: 'polite', unlabeled: [] });
  mkdirSync(OUT, { recursive: true });
  await page.click('#load-broken');
  await fullScreenshot(page, 'web-form.png');
});

/** Vectors this runner skips: name → reason (none today). */
const SKIP = {};

// The page loads amr-cmk-wasm/lite: the core's functions without those of its `templates` feature (check,
// render, cliPlan, cliRun). From the core's function table as the build writes it (`make build-wasm`).
const TABLE = JSON.parse(readFileSync(join(REPO, 'bindings-js', 'js', 'functions.json'), 'utf8'));
const ALL_FUNCTIONS = TABLE.map((f) => f.name);
// Each lite function and its non-throwing variant (`safe`, for the functions with an argument).
const LITE_FUNCTIONS = TABLE.filter((f) => !f.templates).flatMap((f) => (f.safe === null ? [f.name] : [f.name, f.safe]));
const TEMPLATE_AND_SAFE = TABLE.filter((f) => f.templates).flatMap((f) => [f.name, f.safe]);

test('conformance vectors run in the page against the lite web build', async (t) => {
  const page = await openPage();
  const dir = join(REPO, 'tests', 'conformance');
  const all = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((doc) => Array.isArray(doc.vectors))
    .flatMap((doc) => doc.vectors);
  // Every vector of a function the lite build has runs; the others are skipped, and those must be exactly the
  // vectors of the template functions (nothing else disappears silently).
  const vectors = all.filter((v) => LITE_FUNCTIONS.includes(v.function));
  const skippedFunctions = [...new Set(all.filter((v) => !vectors.includes(v)).map((v) => v.function))].sort();
  assert.deepEqual(skippedFunctions, [...TEMPLATE_AND_SAFE].sort(), 'the skipped vectors are those of the template functions');
  assert.equal(ALL_FUNCTIONS.length, 15);
  assert.ok(vectors.length > 400, `found ${vectors.length} vectors`);
  const exported = await page.evaluate(() => Object.keys(globalThis.amrCmk).filter((k) => /^[a-z]/.test(k) && k !== 'default' && k !== 'initSync').sort());
  const SCHEMAS = ['cmkConfigSchema', 'keyUriSchema'];
  assert.deepEqual(exported, [...LITE_FUNCTIONS, ...SCHEMAS].sort(), 'the page\'s amr-cmk-wasm/lite exports exactly the lite functions and schemas');
  const results = await page.evaluate((all) => {
    const api = globalThis.amrCmk;
    const classes = { keyUri: api.KeyUriError, identityId: api.IdentityIdError, sku: api.SkuError, input: api.InputError };
    return all.map((v) => {
      const fn = api[v.function];
      if (typeof fn !== 'function') return { name: v.name, problem: `amr-cmk-wasm/lite exports no ${v.function}` };
      let got;
      try {
        got = fn(v.input);
      } catch (e) {
        if (!('error' in v)) return { name: v.name, problem: `threw ${e?.code} ${e?.message}` };
        if (!(e instanceof api.AmrCmkError)) return { name: v.name, problem: `threw a non-AmrCmkError: ${e}` };
        if (!(e instanceof Error)) return { name: v.name, problem: 'the error is not an Error' };
        const cls = classes[e.kind];
        if (!cls || !(e instanceof cls)) return { name: v.name, problem: `kind ${e.kind} but class ${e.constructor?.name}` };
        return e.code === v.error ? { name: v.name } : { name: v.name, problem: `code ${e.code}, want ${v.error}` };
      }
      if ('error' in v) return { name: v.name, problem: `returned instead of throwing ${v.error}` };
      const a = JSON.stringify(got);
      const b = JSON.stringify(v.expected);
      if (a === b) return { name: v.name };
      let i = 0;
      while (i < a.length && a[i] === b[i]) i += 1;
      const at = Math.max(0, i - 120);
      return { name: v.name, problem: `differs at character ${i}:\ngot  …${a.slice(at, i + 200)}\nwant …${b.slice(at, i + 200)}` };
    });
  }, vectors);
  assert.equal(results.length, vectors.length);
  for (const r of results) {
    const skip = SKIP[r.name];
    await t.test(r.name, skip ? { skip } : {}, () => {
      if (r.problem) assert.fail(r.problem);
    });
  }
});

test('the Standard Schema objects validate synchronously in the page', async () => {
  const page = await openPage();
  const got = await page.evaluate(() => {
    const { keyUriSchema, cmkConfigSchema, safeParseKeyUri } = globalThis.amrCmk;
    const bad = keyUriSchema['~standard'].validate('https://contoso.vault.azure.net:443/keys/cmk');
    const wrongType = cmkConfigSchema['~standard'].validate({ key: { keyOps: ['wrapKey', 1] } });
    return {
      vendor: keyUriSchema['~standard'].vendor,
      bad: bad.issues?.[0]?.message === safeParseKeyUri('https://contoso.vault.azure.net:443/keys/cmk').error.message,
      ok: keyUriSchema['~standard'].validate('https://contoso.vault.azure.net/keys/cmk').value?.keyName,
      path: wrongType.issues?.[0]?.path,
    };
  });
  assert.deepEqual(got, { vendor: 'amr-cmk', bad: true, ok: 'cmk', path: ['key', 'keyOps', 1] });
});

test('amr-cmk-wasm works in a Web Worker, answering what the page answers', async () => {
  const page = await openPage();
  const vectors = JSON.parse(readFileSync(join(REPO, 'tests', 'conformance', 'validate.json'), 'utf8')).vectors;
  const calls = vectors.map((v) => ({ fn: v.function, arg: v.input }));
  calls.push({ fn: 'parseKeyUri', arg: 'https://contoso.vault.azure.net.evil.com/keys/cmk' });
  const { inWorker, inPage } = await page.evaluate(async (all) => {
    const worker = new Worker('worker.mjs', { type: 'module' });
    const answers = new Map();
    const done = new Promise((resolveAll, reject) => {
      worker.onmessage = ({ data }) => {
        answers.set(data.id, data);
        if (answers.size === all.length) resolveAll();
      };
      worker.onerror = (e) => reject(new Error(`worker failed: ${e.message ?? e}`));
      setTimeout(() => reject(new Error(`worker answered ${answers.size} of ${all.length} in 30 s`)), 30000);
    });
    all.forEach((c, id) => worker.postMessage({ id, ...c }));
    await done;
    worker.terminate();
    const api = globalThis.amrCmk;
    const page = all.map((c) => {
      try {
        return JSON.stringify({ ok: api[c.fn](c.arg) });
      } catch (e) {
        return JSON.stringify({ code: e.code });
      }
    });
    const worker_ = all.map((_, id) => {
      const a = answers.get(id);
      return JSON.stringify('ok' in a ? { ok: a.ok } : { code: a.error.code });
    });
    return { inWorker: worker_, inPage: page };
  }, calls);
  assert.equal(inWorker.length, calls.length);
  assert.deepEqual(inWorker, inPage);
  assert.equal(JSON.parse(inWorker.at(-1)).code, 'key_uri.host_not_key_vault');
});

test('no console errors and no request outside 127.0.0.1', () => {
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(foreignRequests, []);
});
