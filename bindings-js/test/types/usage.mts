// Type-checked by `tsc -p bindings-js/test/types` (make test-js): the d.ts files describe a usable API.
import * as napi from 'amr-cmk';
import * as wasm from 'amr-cmk-wasm';
import init, { initSync, parseKeyUri as webParseKeyUri } from 'amr-cmk-wasm/web';
import { AmrCmkError, KeyUriError, parseKeyUri, validate, type KeyId, type ValidationReport } from 'amr-cmk';

const key: KeyId = parseKeyUri('https://contoso.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef');
const version: string | null = key.version;
const cloud: 'public' | 'china' | 'usgov' = key.cloud;

const report: ValidationReport = validate({ cache: { sku: 'Balanced_B10' } });
for (const f of report.findings ?? []) {
  const line: string = `${f.severity} ${f.code} ${f.path} ${f.message}`;
  void line;
}

try {
  napi.parseIdentityId('x');
} catch (e) {
  if (e instanceof KeyUriError || e instanceof AmrCmkError) {
    const code: string = e.code;
    const params: Record<string, unknown> = e.params;
    void code;
    void params;
  }
}

const tiers: string[] = wasm.coverageMatrix().map((c) => c.tierName);
const sku = wasm.tierForSku('Balanced_B10').tier;
const codes: string[] = [...napi.errorCodes(), ...wasm.ruleCodes()];
const v: string = napi.version();
const checked = napi.check({ document: { resources: [] }, format: 'arm' });
const sarif: string = napi.render({ result: checked, format: 'sarif', fileName: 'main.json' });
const cli = wasm.cliRun({ plan: wasm.cliPlan(['check', 'main.json']), inputs: [{ name: 'main.json', text: '{}' }] });
const exit: number = cli.exitCode;

async function web(): Promise<void> {
  await init();
  await init(new URL('https://example.invalid/amr_cmk_js_bg.wasm'));
  initSync({ module: new Uint8Array() });
  webParseKeyUri('https://contoso.vault.azure.net/keys/cmk');
}

// @ts-expect-error: parseKeyUri takes a string
parseKeyUri(42);
// @ts-expect-error: no such function
napi.parseKeyURI('x');

void [version, cloud, tiers, sku, codes, v, web, sarif, exit];

// The non-throwing functions: the result narrows on `success`.
import { safeParseKeyUri, safeValidate, keyUriSchema, cmkConfigSchema, type SafeResult, type ErrorObject, type StandardSchemaV1 } from 'amr-cmk';
const parsed: SafeResult<KeyId> = safeParseKeyUri('https://contoso.vault.azure.net/keys/cmk');
if (parsed.success) {
  const name: string = parsed.data.keyName;
  void name;
} else {
  const err: ErrorObject = parsed.error;
  const code: string = err.code;
  // @ts-expect-error: a failed result has no data
  void parsed.data;
  void code;
}
const checkedConfig = safeValidate({ cache: { sku: 'Balanced_B10' } });
const errorCount: number = checkedConfig.success ? checkedConfig.data.summary.errors : -1;
const planned = wasm.safePlan({});
const cliAnswer = napi.safeCliPlan(['check']);

// Standard Schema: synchronous validate, inferred types.
const std = keyUriSchema['~standard'];
const vendor: 'amr-cmk' = std.vendor;
const result = std.validate('https://contoso.vault.azure.net/keys/cmk');
if (result.issues === undefined) {
  const out: KeyId = result.value;
  void out;
} else {
  const paths = result.issues.map((i) => i.path ?? []);
  void paths;
}
type KeyOut = StandardSchemaV1.InferOutput<typeof keyUriSchema>;
type KeyIn = StandardSchemaV1.InferInput<typeof keyUriSchema>;
const keyOut: KeyOut = parseKeyUri('https://contoso.vault.azure.net/keys/cmk');
const keyIn: KeyIn = 'https://contoso.vault.azure.net/keys/cmk';
/** Any Standard Schema consumer takes ours. */
function consume<I, O>(schema: StandardSchemaV1<I, O>): StandardSchemaV1.Props<I, O>['vendor'] {
  return schema['~standard'].vendor;
}
const vendors: string[] = [consume(keyUriSchema), consume(cmkConfigSchema), consume(wasm.cmkConfigSchema)];
void [errorCount, planned, cliAnswer, vendor, keyOut, keyIn, vendors];
