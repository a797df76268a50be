// The "Customer-managed key encryption at rest" form, validated in the browser by amr-cmk-wasm.
//
// Every input event builds the model JSON from the visible fields (only what the user filled; tri-state
// selects map "Unknown"/"Yes"/"No" to absent/true/false), calls `validate`, and shows each finding next to
// the field its JSON Pointer `path` names (PATH_TO_FIELD). All text goes in through textContent: findings
// echo user input.

// amr-cmk-wasm's lite browser entry (bindings-js/wasm/lite.mjs, served under /pkg/ by serve.py): the build
// without template reading, rendering and the CLI, which this page does not use (it calls validate, plan,
// coverage, tierForSku, rules and version). Its default export `init()` fetches pkg-lite/amr_cmk_js_bg.wasm next
// to the glue; the API works once it resolves.
const PKG_ENTRY = './pkg/lite.mjs';

const P_CMK = '/encryption/customerManagedKeyEncryption';
const P_KEK = `${P_CMK}/keyEncryptionKeyIdentity`;
const P_SEL = `${P_CMK}/keySelection`;

/** JSON Pointer → field name (`data-field`). A path not listed goes to its nearest listed ancestor. */
const PATH_TO_FIELD = {
  '/cache/name': 'cacheName',
  '/cache/existing': 'mode',
  '/cache/currentKeySource': 'currentKeySource',
  '/cache/location': 'region',
  '/cache/sku': 'sku',
  '/cache/exportInUse': 'exportInUse',
  '/cache/identity': 'uaiAttached',
  '/encryption': 'useCmk',
  [P_CMK]: 'keyMethod',
  [`${P_CMK}/keyEncryptionKeyUrl`]: 'keyUri',
  [P_SEL]: 'keyMethod',
  [`${P_SEL}/vaultName`]: 'selVault',
  [`${P_SEL}/keyName`]: 'selKey',
  [`${P_SEL}/version`]: 'selVersion',
  [P_KEK]: 'uai',
  [`${P_KEK}/identityType`]: 'identityType',
  [`${P_KEK}/userAssignedIdentityResourceId`]: 'uai',
  '/identity': 'principalId',
  '/vault/name': 'vaultName',
  '/vault/location': 'vaultRegion',
  '/vault/enableSoftDelete': 'softDelete',
  '/vault/enablePurgeProtection': 'purgeProtection',
  '/vault/enableRbacAuthorization': 'permissionModel',
  '/vault/publicNetworkAccess': 'firewall',
  '/vault/networkAcls': 'firewall',
  '/vault/networkAcls/bypass': 'trustedServices',
  '/vault/accessPolicies': 'accessPolicy',
  '/vault/accessPolicies/0/permissions': 'policyPerms',
  '/roleAssignments': 'role',
  '/roleAssignments/0/scope': 'roleScope',
  '/key/kty': 'kty',
  '/key/keyOps': 'keyOps',
  '/key/enabled': 'keyEnabled',
  '/key/exp': 'keyExp',
  '/key/nbf': 'keyNbf',
};

/** What an inconclusive check's `needs` pointer means when no single field answers it. */
const NEED_LABELS = {
  '/vault': 'the vault (section “What I know about the vault and key”)',
  '/key': 'the key (section “What I know about the vault and key”)',
  '/now': 'the current time',
};

const SKUS = [
  ...[0, 1, 3, 5, 10, 20, 50, 100, 150, 250, 350, 500, 700, 1000].map((n) => `Balanced_B${n}`),
  ...[10, 20, 50, 100, 150, 250, 350, 500, 700, 1000, 1500, 2000].map((n) => `MemoryOptimized_M${n}`),
  ...[3, 5, 10, 20, 50, 100, 150, 250, 350, 500, 700].map((n) => `ComputeOptimized_X${n}`),
  ...[250, 500, 700, 1000, 1500, 2000, 4500].map((n) => `FlashOptimized_A${n}`),
];
const REGIONS = [
  'eastus', 'eastus2', 'centralus', 'northcentralus', 'southcentralus', 'westcentralus', 'westus', 'westus2',
  'westus3', 'canadacentral', 'brazilsouth', 'northeurope', 'westeurope', 'uksouth', 'francecentral',
  'germanywestcentral', 'swedencentral', 'switzerlandnorth', 'norwayeast', 'italynorth', 'polandcentral',
  'uaenorth', 'southafricanorth', 'centralindia', 'southeastasia', 'eastasia', 'japaneast', 'koreacentral',
  'australiaeast', 'chinanorth3', 'chinaeast2', 'usgovvirginia', 'usgovtexas', 'usgovarizona',
];

const UAI_EXAMPLE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-redis/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cmk-id';
const VAULT_EXAMPLE =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-redis/providers/Microsoft.KeyVault/vaults/contoso-kv';

/** Form values of the two examples (field name → value; radios by value, the checkbox by boolean). */
const EXAMPLES = {
  valid: {
    mode: 'new', cacheName: 'cache-prod', region: 'eastus', sku: 'Balanced_B10', exportInUse: 'false', useCmk: true,
    identityType: 'userAssignedIdentity', uai: UAI_EXAMPLE, uaiAttached: 'yes', keyMethod: 'uri',
    keyUri: 'https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef',
    vaultName: 'contoso-kv', vaultRegion: 'East US', softDelete: 'true', purgeProtection: 'true',
    firewall: 'deny', trustedServices: 'true', permissionModel: 'rbac',
    principalId: '11111111-1111-1111-1111-111111111111', role: 'Key Vault Crypto Service Encryption User',
    roleScope: VAULT_EXAMPLE, accessPolicy: 'none', kty: 'RSA', keyOps: 'wrapKey, unwrapKey', keyEnabled: 'true',
    keyExp: 'none', keyNbf: 'none',
  },
  broken: {
    mode: 'existing', currentKeySource: 'microsoftManaged', cacheName: 'cache-prod', region: 'eastus', sku: 'Enterprise_E5',
    exportInUse: 'false', useCmk: true, identityType: 'systemAssignedIdentity', keyMethod: 'uri',
    keyUri: 'https://contoso-kv.vault.azure.net/keys/cmk', vaultName: 'contoso-kv', vaultRegion: 'westus',
    softDelete: 'true', purgeProtection: 'false', firewall: 'deny', trustedServices: 'false',
    permissionModel: 'rbac', principalId: '11111111-1111-1111-1111-111111111111', role: 'none',
    accessPolicy: 'none', kty: 'EC', keyOps: 'sign', keyEnabled: 'true', keyExp: 'none', keyNbf: 'none',
  },
};

const CLOUD_LABEL = { public: 'Azure public cloud', china: 'Azure China', usgov: 'Azure US Government' };
const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Info' };
const KEY_LABEL = { microsoftManaged: 'Microsoft-managed key (MMK)', customerManaged: 'customer-managed key (CMK)' };

const $ = (id) => document.getElementById(id);
const form = $('cmk-form');

let api = null;
let ruleTitles = new Map();
let lastModelJson = '';

// ---------------------------------------------------------------------------------------------------------
// Reading and writing the form.

function control(name) {
  return $(`f-${name}`);
}

function radioValue(name) {
  const checked = form.querySelector(`input[name="${name}"]:checked`);
  return checked ? checked.value : '';
}

function value(name) {
  const el = control(name);
  return el ? el.value : '';
}

/** Whether an element is shown (no `hidden` ancestor up to the form). */
function shown(el) {
  for (let node = el; node && node !== document.body; node = node.parentElement) {
    if (node.hidden) return false;
  }
  return true;
}

function fieldEl(name) {
  return form.querySelector(`[data-field="${name}"]`);
}

/** The field's value if the field is shown and filled, else undefined. */
function filled(name) {
  const field = fieldEl(name);
  if (field && !shown(field)) return undefined;
  const v = value(name);
  return v === '' ? undefined : v;
}

function tri(name) {
  const v = filled(name);
  return v === undefined ? undefined : v === 'true';
}

function list(text) {
  return text === undefined ? undefined : text.split(/[\s,]+/).filter(Boolean);
}

/** Sets obj[key] = v unless v is undefined. Returns obj. */
function put(obj, key, v) {
  if (v !== undefined) obj[key] = v;
  return obj;
}

function nonEmpty(obj) {
  return Object.keys(obj).length ? obj : undefined;
}

function dateTime(mode, dateName) {
  const m = filled(mode);
  if (m === 'none') return null;
  if (m !== 'date') return undefined;
  const d = filled(dateName);
  return d === undefined ? undefined : `${d}T00:00:00Z`;
}

/** The validator's input, from the fields the user filled. */
function buildModel() {
  const model = {};
  const useCmk = control('useCmk').checked;
  const userIdentity = radioValue('identityType') === 'userAssignedIdentity';

  const cache = {};
  const mode = radioValue('mode');
  if (mode) cache.existing = mode === 'existing';
  put(cache, 'currentKeySource', filled('currentKeySource'));
  put(cache, 'name', filled('cacheName'));
  put(cache, 'location', filled('region'));
  put(cache, 'sku', filled('sku'));
  put(cache, 'exportInUse', tri('exportInUse'));
  const uai = useCmk && userIdentity ? filled('uai') : undefined;
  const attached = useCmk && userIdentity ? filled('uaiAttached') : undefined;
  if (attached === 'yes' && uai !== undefined) {
    cache.identity = { type: 'UserAssigned', userAssignedIdentities: { [uai]: {} } };
  } else if (attached === 'no') {
    cache.identity = { type: 'None' };
  }
  put(model, 'cache', nonEmpty(cache));

  if (!useCmk) {
    model.encryption = { keySource: 'microsoftManaged' };
    return model;
  }
  const cmk = {};
  const identity = { identityType: radioValue('identityType') };
  put(identity, 'userAssignedIdentityResourceId', uai);
  cmk.keyEncryptionKeyIdentity = identity;
  if (radioValue('keyMethod') === 'uri') {
    put(cmk, 'keyEncryptionKeyUrl', filled('keyUri'));
  } else {
    const sel = {};
    put(sel, 'vaultName', filled('selVault'));
    put(sel, 'keyName', filled('selKey'));
    put(sel, 'version', filled('selVersion'));
    put(cmk, 'keySelection', nonEmpty(sel));
  }
  model.encryption = { keySource: 'customerManaged', customerManagedKeyEncryption: cmk };

  const principal = filled('principalId');
  if (principal !== undefined) model.identity = { principalId: principal };

  const vault = {};
  put(vault, 'name', filled('vaultName'));
  put(vault, 'location', filled('vaultRegion'));
  put(vault, 'enableSoftDelete', tri('softDelete'));
  put(vault, 'enablePurgeProtection', tri('purgeProtection'));
  const permissionModel = filled('permissionModel');
  if (permissionModel !== undefined) vault.enableRbacAuthorization = permissionModel === 'rbac';
  const firewall = filled('firewall');
  const acls = {};
  if (firewall === 'allow') acls.defaultAction = 'Allow';
  if (firewall === 'deny') acls.defaultAction = 'Deny';
  if (firewall === 'disabled') vault.publicNetworkAccess = 'Disabled';
  if (firewall === 'perimeter') vault.publicNetworkAccess = 'SecuredByPerimeter';
  const trusted = tri('trustedServices');
  if (trusted !== undefined) acls.bypass = trusted ? 'AzureServices' : 'None';
  put(vault, 'networkAcls', nonEmpty(acls));
  const policy = filled('accessPolicy');
  if (policy === 'none') vault.accessPolicies = [];
  if (policy === 'granted') {
    const entry = {};
    put(entry, 'objectId', principal);
    entry.permissions = { keys: list(filled('policyPerms')) ?? [] };
    vault.accessPolicies = [entry];
  }
  put(model, 'vault', nonEmpty(vault));

  const key = {};
  put(key, 'kty', filled('kty'));
  put(key, 'keyOps', list(filled('keyOps')));
  put(key, 'enabled', tri('keyEnabled'));
  put(key, 'exp', dateTime('keyExp', 'keyExpDate'));
  put(key, 'nbf', dateTime('keyNbf', 'keyNbfDate'));
  put(model, 'key', nonEmpty(key));

  const role = filled('role');
  if (role === 'none') model.roleAssignments = [];
  else if (role !== undefined) {
    const assignment = {};
    put(assignment, 'principalId', principal);
    assignment.roleDefinitionName = role;
    put(assignment, 'scope', filled('roleScope'));
    model.roleAssignments = [assignment];
  }
  if (typeof key.exp === 'string' || typeof key.nbf === 'string') model.now = Math.floor(Date.now() / 1000);
  return model;
}

/** Shows and hides the parts of the form that depend on other answers. */
function applyVisibility() {
  const useCmk = control('useCmk').checked;
  const role = value('role');
  const conditions = {
    existing: radioValue('mode') === 'existing',
    userIdentity: radioValue('identityType') === 'userAssignedIdentity',
    keySelect: radioValue('keyMethod') === 'select',
    keyUri: radioValue('keyMethod') === 'uri',
    rbac: value('permissionModel') === 'rbac',
    rbacRole: value('permissionModel') === 'rbac' && role !== '' && role !== 'none',
    policyGranted: value('accessPolicy') === 'granted',
  };
  for (const el of form.querySelectorAll('[data-show-if]')) el.hidden = !conditions[el.dataset.showIf];
  $('cmk-settings').hidden = !useCmk;
  $('facts').hidden = !useCmk;
  control('keyExpDate').hidden = value('keyExp') !== 'date';
  control('keyNbfDate').hidden = value('keyNbf') !== 'date';
}

function setValues(values) {
  form.reset();
  for (const [name, v] of Object.entries(values)) {
    const radios = form.querySelectorAll(`input[type="radio"][name="${name}"]`);
    if (radios.length) {
      for (const r of radios) r.checked = r.value === v;
    } else if (control(name).type === 'checkbox') {
      control(name).checked = Boolean(v);
    } else {
      control(name).value = v;
    }
  }
  update();
}

// ---------------------------------------------------------------------------------------------------------
// Rendering (textContent only).

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'className') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Text with `backtick` spans rendered as <code>. */
function richText(node, text) {
  text.split('`').forEach((part, i) => {
    if (!part) return;
    node.append(i % 2 ? el('code', { text: part }) : document.createTextNode(part));
  });
  return node;
}

function fieldFor(path) {
  for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
    if (p in PATH_TO_FIELD) return PATH_TO_FIELD[p];
    if (!p) return null;
  }
}

function fieldLabel(name) {
  const field = fieldEl(name);
  const label = field && field.querySelector('legend, label');
  return label ? label.textContent.trim() : name;
}

function focusField(name) {
  const field = fieldEl(name);
  if (!field) return;
  const target = field.querySelector('input:checked, [data-control]:not([hidden])');
  if (target) target.focus();
}

/** Copies text: the Clipboard API, else the text selected in `pre` for Ctrl+C. Says which in `status`. */
async function copyText(text, pre, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied.';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(pre.parentNode);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    status.textContent = 'Selected: press Ctrl+C to copy.';
  }
}

/** A fix (`finding.fix` or a plan step's): its summary, its commands, a Copy button and the placeholders. */
function fixBlock(fix, code) {
  const box = el('div', { className: 'fix', dataset: { fixFor: code || '' } });
  box.append(el('p', { className: 'fix-summary' }, el('span', { className: 'fix-label', text: 'Fix: ' }), fix.summary));
  if (fix.disruptive) box.append(el('p', { className: 'hint', text: 'Long-running, with a service disruption.' }));
  const commands = el('div', { className: 'commands' });
  for (const cmd of fix.commands || []) {
    commands.append(el('pre', { className: 'command', dataset: { command: cmd.shell } }, el('code', { text: cmd.shell })));
  }
  box.append(commands);
  const status = el('span', { className: 'copy-status', role: 'status' });
  const copy = el('button', { type: 'button', className: 'copy', text: 'Copy' });
  const text = (fix.commands || []).map((c) => c.shell).join('\n');
  copy.addEventListener('click', () => copyText(text, commands.firstChild || commands, status));
  box.append(el('p', { className: 'copy-row' }, copy, ' ', status));
  if (fix.placeholders && fix.placeholders.length) {
    box.append(el('p', { className: 'hint', dataset: { placeholders: fix.placeholders.join(' ') }, text: `Replace ${fix.placeholders.join(', ')} before running.` }));
  }
  return box;
}

/** One finding. In the summary (`withLink`), the remediation is left to the field the finding links to. */
function findingItem(f, withLink) {
  const name = withLink ? fieldFor(f.path) : null;
  const linked = Boolean(name && shown(fieldEl(name)));
  const item = el('li', { className: `finding sev-${f.severity}`, dataset: { code: f.code, severity: f.severity, path: f.path } });
  item.append(
    el('span', { className: 'sev', text: SEVERITY_LABEL[f.severity] || f.severity }), ' ',
    el('span', { className: 'code', text: f.code }),
  );
  item.append(el('p', { className: 'message', text: f.message }));
  if (f.remediation && !linked) {
    const fix = el('p', { className: 'remediation' }, el('span', { className: 'fix-label', text: 'How to fix: ' }));
    item.append(richText(fix, f.remediation));
  }
  if (f.fix && !linked) item.append(fixBlock(f.fix, f.code));
  const links = el('p', { className: 'links' });
  if (linked) {
    const go = el('button', { type: 'button', className: 'link', text: `Go to “${fieldLabel(name)}”` });
    go.addEventListener('click', () => focusField(name));
    links.append(go, ' ');
  }
  if (typeof f.docUrl === 'string' && f.docUrl.startsWith('https://')) {
    links.append(el('a', { href: f.docUrl, target: '_blank', rel: 'noopener noreferrer', text: 'Documentation' }));
  }
  if (links.childNodes.length) item.append(links);
  return item;
}

/** Replaces a container's children only when the content changed (keeps the live region quiet). */
function renderInto(container, signature, build) {
  if (container.dataset.sig === signature) return;
  container.dataset.sig = signature;
  container.replaceChildren(...build());
}

function renderFieldFindings(findings) {
  const byField = new Map();
  for (const f of findings) {
    const name = fieldFor(f.path);
    if (!name) continue;
    if (!byField.has(name)) byField.set(name, []);
    byField.get(name).push(f);
  }
  for (const field of form.querySelectorAll('[data-field]')) {
    const name = field.dataset.field;
    const own = byField.get(name) || [];
    const box = $(`${name}-findings`);
    renderInto(box, JSON.stringify(own), () => own.map((f) => findingItem(f, false)));
    const hasError = own.some((f) => f.severity === 'error');
    for (const c of field.querySelectorAll('[data-control]')) {
      if (hasError) c.setAttribute('aria-invalid', 'true');
      else c.removeAttribute('aria-invalid');
      const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter((id) => id && id !== box.id);
      if (own.length) ids.push(box.id);
      if (ids.length) c.setAttribute('aria-describedby', ids.join(' '));
      else c.removeAttribute('aria-describedby');
    }
    field.classList.toggle('has-error', hasError);
  }
}

function renderSummary(report, inputError) {
  const status = $('status');
  const order = { error: 0, warning: 1, info: 2 };
  const findings = report
    ? [...report.findings].sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3))
    : [inputError];
  if (inputError) {
    status.dataset.state = 'error';
    status.textContent = `The settings could not be read: ${inputError.message}`;
  } else {
    const s = report.summary;
    status.dataset.state = report.valid ? 'valid' : 'invalid';
    const rest = `${plural(s.warnings, 'warning')}, ${s.infos} info, ${plural(s.inconclusive, 'check')} inconclusive.`;
    status.textContent = report.valid
      ? `Valid: no errors. ${rest}`
      : `Not valid: ${plural(s.errors, 'error')}, ${rest}`;
  }
  const counts = report
    ? `${plural(report.summary.errors, 'error')} · ${plural(report.summary.warnings, 'warning')} · ${report.summary.infos} info`
    : '1 error';
  $('counts').textContent = counts;
  renderInto($('summary-findings'), JSON.stringify(findings), () =>
    findings.length ? findings.map((f) => findingItem(f, true)) : [el('li', { className: 'none', text: 'No findings.' })]);

  const open = report ? report.checks.filter((c) => c.outcome === 'inconclusive') : [];
  $('inconclusive-count').textContent = `(${open.length})`;
  renderInto($('inconclusive'), JSON.stringify(open), () => (open.length ? open.map(inconclusiveItem)
    : [el('li', { className: 'none', text: report ? 'None: every check could be decided.' : '' })]));
}

function inconclusiveItem(check) {
  const item = el('li', { dataset: { code: check.code } });
  item.append(el('span', { className: 'title', text: ruleTitles.get(check.code) || check.code }), ' ',
    el('span', { className: 'code', text: check.code }));
  const needs = el('p', { className: 'needs', text: 'Needs: ' });
  (check.needs || []).forEach((path, i) => {
    if (i) needs.append(', ');
    const name = fieldFor(path);
    const known = NEED_LABELS[path];
    if (!known && name && shown(fieldEl(name))) {
      const go = el('button', { type: 'button', className: 'link', dataset: { need: path }, text: fieldLabel(name) });
      go.addEventListener('click', () => focusField(name));
      needs.append(go);
    } else {
      needs.append(el('span', { dataset: { need: path }, text: known || (name ? fieldLabel(name) : path) }));
    }
  });
  item.append(needs);
  if (check.message) item.append(el('p', { className: 'why', text: check.message }));
  // Read-only commands that show the missing facts: shown as text, never run.
  for (const cmd of check.confirm || []) item.append(el('pre', { className: 'command confirm', text: `$ ${cmd.shell}` }));
  return item;
}

const STEP_STATUS = { done: 'Done', todo: 'To do', confirm: 'Confirm by hand', notApplicable: 'Not needed' };

/** The migration plan (`plan(model)`): ordered steps with their status and the commands that fix them. */
function renderPlan(model, report) {
  const box = $('plan-box');
  if (!report || typeof api.plan !== 'function') {
    box.hidden = true;
    return;
  }
  const answer = api.safePlan(model);
  if (!answer.success) {
    box.hidden = true;
    return;
  }
  const plan = answer.data;
  box.hidden = false;
  $('plan-state').textContent = plan.ready ? '(ready)' : '';
  renderInto($('plan'), JSON.stringify(plan.steps), () => plan.steps.map((step) => {
    // A checklist: ticked when done, half-ticked when it needs confirming by hand; the user does not tick it.
    const box = el('input', { type: 'checkbox', className: 'step-check', 'aria-label': STEP_STATUS[step.status] || step.status });
    box.checked = step.status === 'done';
    box.indeterminate = step.status === 'confirm';
    box.disabled = true;
    const item = el('li', { className: `step step-${step.status}`, dataset: { step: step.id, status: step.status } },
      box, ' ',
      el('span', { className: 'step-status', text: STEP_STATUS[step.status] || step.status }), ' ',
      el('span', { className: 'step-title', text: step.title }));
    if (step.longRunning) item.append(' ', el('span', { className: 'badge', text: 'long-running' }));
    if (step.disruptive) item.append(' ', el('span', { className: 'badge badge-warn', text: 'service disruption' }));
    if (step.note) item.append(el('p', { className: 'hint', text: step.note }));
    for (const fix of step.fixes || []) item.append(fixBlock(fix, step.id));
    return item;
  }));
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function renderTier() {
  const sku = value('sku').trim();
  const answer = sku ? api.safeTierForSku(sku) : null;
  const info = answer && answer.success ? answer.data : null;
  $('f-tier').textContent = info ? `Tier: ${info.tierName}` : '';
  const table = $('coverage');
  renderInto(table.tBodies[0], info ? info.tier : '', () => {
    if (!info) return [];
    return api.coverage(info.tier).disks.map((d) => el('tr', { dataset: { data: d.data } },
      el('td', { text: d.description }),
      el('td', { text: d.transient ? `${d.disk}` : d.disk }),
      el('td', { text: d.keys.length ? d.keys.map((k) => KEY_LABEL[k] || k).join(' or ')
        : 'set by the storage account' })));
  });
  table.hidden = !info;
  $('coverage-note').hidden = Boolean(info);
  $('coverage-tier').textContent = info ? `(${info.tierName})` : '';
}

// ---------------------------------------------------------------------------------------------------------
// Validation loop.

function update() {
  applyVisibility();
  const model = buildModel();
  lastModelJson = JSON.stringify(model, null, 2);
  $('json-out').textContent = lastModelJson;
  if (!api) return;
  // The non-throwing call: the report, or the error of an unusable input as an object (no throw per keystroke).
  const answer = api.safeValidate(model);
  const report = answer.success ? answer.data : null;
  const e = answer.success ? null : answer.error;
  const inputError = e && {
    code: e.code, severity: 'error', path: typeof e.params.path === 'string' ? e.params.path : '',
    message: e.message, remediation: '', docUrl: '', params: e.params,
  };
  const key = report && report.key;
  $('key-resolved').textContent = key
    ? `Key “${key.keyName}” in the ${key.vaultKind === 'managedHsm' ? 'Managed HSM' : 'key vault'} “${key.vaultName}” `
      + `(${CLOUD_LABEL[key.cloud] || key.cloud}), ${key.version ? `version ${key.version}` : 'no version'}.`
    : '';
  renderFieldFindings(report ? report.findings : [inputError]);
  renderSummary(report, inputError);
  renderPlan(model, report);
  renderTier();
}

async function copyJson() {
  const status = $('copy-status');
  try {
    await navigator.clipboard.writeText(lastModelJson);
    status.textContent = 'Copied the settings as JSON.';
  } catch {
    const range = document.createRange();
    range.selectNodeContents($('json-out'));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    $('json-box').open = true;
    status.textContent = 'Selected the JSON below: press Ctrl+C to copy it.';
  }
}

async function main() {
  $('sku-list').replaceChildren(...SKUS.map((s) => el('option', { value: s })));
  $('region-list').replaceChildren(...REGIONS.map((r) => el('option', { value: r })));
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (e) => e.preventDefault());
  $('load-valid').addEventListener('click', () => setValues(EXAMPLES.valid));
  $('load-broken').addEventListener('click', () => setValues(EXAMPLES.broken));
  $('reset').addEventListener('click', () => setValues({}));
  $('copy-json').addEventListener('click', copyJson);
  update();
  try {
    const mod = await import(PKG_ENTRY);
    await mod.default();
    api = mod;
  } catch (e) {
    const box = $('load-error');
    box.hidden = false;
    box.textContent = `The validator (amr-cmk-wasm) could not be loaded: ${e.message}`;
    $('status').dataset.state = 'error';
    $('status').textContent = 'The validator is not available.';
    return;
  }
  globalThis.amrCmk = api; // for the console and the browser tests
  ruleTitles = new Map(api.rules().map((r) => [r.check, r.title]));
  $('version').textContent = `amr-cmk ${api.version()}`;
  update();
  document.documentElement.dataset.ready = 'true';
}

main();
