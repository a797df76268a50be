// Types of amr-cmk-wasm's lite browser entry (lite.mjs): the functions of the lite build only (no `check`,
// `render`, `cliPlan`, `cliRun`), the types of index.d.ts, and the module loaders.
export type {
  Cloud, VaultKind, Tier, KeyType, JsonValue, KeyId, IdentityId, SkuInfo, DiskCoverage, Coverage, Severity,
  Outcome, Command, Fix, Finding, Check, Summary, ValidationReport, PlanStep, Plan, Rule, InputFormat,
  CheckOptions, ResourceInfo, ResourceReport, CheckResult, RenderOptions, CliPlan, CliInput, CliRunOptions,
  CliOutput, AmrCmkErrorOptions,
} from './index.js';
export {
  AmrCmkError,
  KeyUriError,
  IdentityIdError,
  SkuError,
  InputError,
  parseKeyUri,
  parseIdentityId,
  tierForSku,
  coverage,
  coverageMatrix,
  validate,
  plan,
  ruleCodes,
  rules,
  errorCodes,
  version,
} from './index.js';

/** What `init` accepts: a URL (fetched), a Response, the module's bytes, or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the WebAssembly module (default: `pkg-lite/amr_cmk_js_bg.wasm` next to the glue). Call once first. */
export default function init(moduleOrPath?: InitInput | Promise<InitInput>): Promise<void>;
/** Loads the WebAssembly module synchronously from its bytes or a compiled module. */
export declare function initSync(options: { module: BufferSource | WebAssembly.Module }): void;
