// Type-checked by `tsc -p bindings-js/test/types` (make test-js): amr-cmk-wasm/lite declares the lite API only.
import init, { initSync, parseKeyUri, validate, plan, type KeyId, type Plan } from 'amr-cmk-wasm/lite';
import * as lite from 'amr-cmk-wasm/lite';
import { safeValidate, cmkConfigSchema, type SafeResult, type ValidationReport } from 'amr-cmk-wasm/lite';

async function web(): Promise<void> {
  await init();
  initSync({ module: new Uint8Array() });
  const key: KeyId = parseKeyUri('https://contoso.vault.azure.net/keys/cmk');
  const p: Plan = plan({ cache: { sku: 'Balanced_B10' } });
  const valid: boolean = validate({}).valid;
  const safe: SafeResult<ValidationReport> = safeValidate({});
  const issues = cmkConfigSchema['~standard'].validate({}).issues ?? [];
  void [key, p, valid, lite.version(), lite.rules(), lite.coverageMatrix(), safe, issues, lite.safeParseKeyUri('x')];
}

// @ts-expect-error: check is not in the lite build
void lite.check;
// @ts-expect-error: render is not in the lite build
void lite.render;
// @ts-expect-error: cliPlan is not in the lite build
void lite.cliPlan;
// @ts-expect-error: cliRun is not in the lite build
void lite.cliRun;
// @ts-expect-error: safeCheck is not in the lite build
void lite.safeCheck;

void web;
