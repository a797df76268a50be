// Standard Schema v1 (standardschema.dev): `keyUriSchema` and `cmkConfigSchema` of the build picked by
// AMR_CMK_TARGET, checked against the spec's shape, against `safeParseKeyUri` / `safeValidate` over the
// conformance vectors, and through real consumers (dev dependencies, offline after `npm ci`): React Hook Form's
// `standardSchemaResolver` (@hookform/resolvers, the resolver called directly as react-hook-form calls it) and
// TanStack Form (`FormApi` of @tanstack/form-core with the schema as its validator).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { FieldApi, FormApi } from '@tanstack/form-core';

import { api } from './target.mjs';

const vectors = (file) =>
  JSON.parse(readFileSync(new URL(`../../tests/conformance/${file}`, import.meta.url), 'utf8')).vectors;
const byName = (file, name) => {
  const v = vectors(file).find((x) => x.name === name);
  assert.ok(v, name);
  return structuredClone(v.input);
};

const VALID = byName('validate.json', 'validate-valid-full-balanced');
const BROKEN = byName('validate.json', 'validate-broken-everything');
const URI = 'https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef';

test('both schemas are Standard Schema v1 objects of vendor amr-cmk, validating synchronously', () => {
  for (const schema of [api.keyUriSchema, api.cmkConfigSchema]) {
    const std = schema['~standard'];
    assert.equal(std.version, 1);
    assert.equal(std.vendor, 'amr-cmk');
    assert.equal(typeof std.validate, 'function');
    const result = std.validate(null);
    assert.ok(!(result instanceof Promise));
    assert.ok(Array.isArray(result.issues) && result.issues.length === 1);
    assert.equal(typeof result.issues[0].message, 'string');
  }
});

test('keyUriSchema: the parsed key, or one issue with the error message and no path', () => {
  const ok = api.keyUriSchema['~standard'].validate(URI);
  assert.deepEqual(Object.keys(ok), ['value']);
  assert.deepEqual(ok.value, api.parseKeyUri(URI));
  for (const v of vectors('parse-key-uri.json').filter((x) => Object.hasOwn(x, 'error'))) {
    const r = api.keyUriSchema['~standard'].validate(v.input);
    const e = api.safeParseKeyUri(v.input).error;
    assert.equal(e.code, v.error);
    const want = typeof e.params.path === 'string' && e.params.path !== '' ? undefined : [{ message: e.message }];
    if (want) assert.deepEqual(r.issues, want, v.name);
    else assert.equal(r.issues[0].message, e.message, v.name);
  }
});

test('cmkConfigSchema: the value itself when valid; an issue per error finding, at its path split into keys', () => {
  const ok = api.cmkConfigSchema['~standard'].validate(VALID);
  assert.deepEqual(Object.keys(ok), ['value']);
  assert.equal(ok.value, VALID);
  let checked = 0;
  for (const v of vectors('validate.json').filter((x) => Object.hasOwn(x, 'expected'))) {
    const r = api.cmkConfigSchema['~standard'].validate(v.input);
    const errors = v.expected.findings.filter((f) => f.severity === 'error');
    assert.equal(v.expected.valid, errors.length === 0, v.name);
    if (errors.length === 0) {
      assert.deepEqual(r, { value: v.input }, v.name);
      continue;
    }
    assert.deepEqual(
      r.issues.map((i) => i.message),
      errors.map((f) => f.message),
      v.name,
    );
    r.issues.forEach((issue, i) => {
      const pointer = errors[i].path;
      if (pointer === '') assert.equal(issue.path, undefined);
      else assert.equal(`/${issue.path.map((k) => String(k).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`, pointer);
    });
    checked += 1;
  }
  assert.ok(checked > 50, `${checked} invalid configurations`);
});

test('cmkConfigSchema: an unusable input is one issue at the pointer of the bad value (array indices as numbers)', () => {
  const r = api.cmkConfigSchema['~standard'].validate({ key: { keyOps: ['wrapKey', 1] } });
  assert.equal(r.issues.length, 1);
  assert.deepEqual(r.issues[0].path, ['key', 'keyOps', 1]);
  assert.equal(r.issues[0].message, api.safeValidate({ key: { keyOps: ['wrapKey', 1] } }).error.message);
  const nan = api.cmkConfigSchema['~standard'].validate({ key: { keyOps: ['wrapKey', Number.NaN] } });
  assert.deepEqual(nan.issues[0].path, ['key', 'keyOps', 1]);
  // A key with `/` and `~` (escaped as ~1 and ~0 in the pointer) comes back as written.
  const id = '/subscriptions/x~y';
  const odd = api.cmkConfigSchema['~standard'].validate({ cache: { identity: { userAssignedIdentities: { [id]: 5 } } } });
  assert.deepEqual(odd.issues[0].path, ['cache', 'identity', 'userAssignedIdentities', id]);
  // The whole value: no path.
  assert.deepEqual(api.cmkConfigSchema['~standard'].validate('config').issues[0].path, undefined);
});

// What react-hook-form passes to a resolver (`useForm({ resolver })` calls it with the form values).
const RHF_OPTIONS = { fields: {}, names: undefined, shouldUseNativeValidation: false, criteriaMode: 'firstError' };

test('React Hook Form: standardSchemaResolver(cmkConfigSchema) gives the values, or field errors at the paths', async () => {
  const resolver = standardSchemaResolver(api.cmkConfigSchema);
  const ok = await resolver(VALID, undefined, RHF_OPTIONS);
  assert.deepEqual(ok, { values: VALID, errors: {} });

  const bad = await resolver(BROKEN, undefined, RHF_OPTIONS);
  assert.deepEqual(bad.values, {});
  const issues = api.cmkConfigSchema['~standard'].validate(BROKEN).issues;
  assert.ok(issues.length >= 3);
  for (const issue of issues) {
    // react-hook-form nests errors by path; the first issue of a path is the field's message.
    let node = bad.errors;
    for (const key of issue.path ?? ['root']) node = node?.[key];
    assert.ok(node, `no error at ${issue.path}`);
    const first = issues.find((i) => JSON.stringify(i.path) === JSON.stringify(issue.path));
    assert.equal(node.message, first.message);
  }
});

test('React Hook Form: a form of one key identifier field, through keyUriSchema and safeParseKeyUri', async () => {
  // A form schema of the caller's own: the field checked by amr-cmk, issues prefixed with the field name.
  const formSchema = {
    '~standard': {
      version: 1,
      vendor: 'example',
      validate(value) {
        const r = api.keyUriSchema['~standard'].validate(value?.keyUri);
        return r.issues ? { issues: r.issues.map((i) => ({ ...i, path: ['keyUri', ...(i.path ?? [])] })) } : { value };
      },
    },
  };
  const resolver = standardSchemaResolver(formSchema);
  const bad = await resolver({ keyUri: 'http://contoso-kv.vault.azure.net/keys/cmk' }, undefined, RHF_OPTIONS);
  assert.equal(bad.errors.keyUri.message, api.safeParseKeyUri('http://contoso-kv.vault.azure.net/keys/cmk').error.message);
  const ok = await resolver({ keyUri: URI }, undefined, RHF_OPTIONS);
  assert.deepEqual(ok.errors, {});
});

test('TanStack Form: cmkConfigSchema as the form validator puts each issue on its field', () => {
  const form = new FormApi({ defaultValues: structuredClone(BROKEN), validators: { onChange: api.cmkConfigSchema } });
  form.mount();
  form.validateSync('change');
  const issues = api.cmkConfigSchema['~standard'].validate(BROKEN).issues;
  const fieldErrors = form.state.errors;
  assert.ok(fieldErrors.length >= 1, 'the form has errors');
  const byField = fieldErrors[0];
  for (const issue of issues) {
    const name = issue.path.join('.');
    assert.ok(byField[name]?.some((i) => i.message === issue.message), `${name}: ${JSON.stringify(byField[name])}`);
  }

  form.reset(structuredClone(VALID));
  form.validateSync('change');
  assert.deepEqual(form.state.errors, []);
  assert.equal(form.state.isValid, true);
});

test('TanStack Form: keyUriSchema as a field validator (runs on every change)', () => {
  const form = new FormApi({ defaultValues: { keyUri: '' } });
  form.mount();
  const field = new FieldApi({ form, name: 'keyUri', validators: { onChange: api.keyUriSchema } });
  field.mount();
  const bad = 'https://contoso-kv.vault.azure.net:443/keys/cmk';
  field.setValue(bad);
  assert.deepEqual(
    field.state.meta.errors.map((e) => e.message),
    [api.safeParseKeyUri(bad).error.message],
  );
  assert.equal(form.state.canSubmit, false);
  field.setValue(URI);
  assert.deepEqual(field.state.meta.errors, []);
  assert.equal(form.state.canSubmit, true);
});
