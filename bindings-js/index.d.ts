// Types of the amr-cmk JS API, the same for `amr-cmk` (Node-API) and `amr-cmk-wasm` (WebAssembly): the one
// hand-written d.ts. The build copies it to wasm/index.d.ts and writes wasm/web.d.mts and wasm/lite.d.mts over
// it (scripts/gen-js-entries.mjs); test/api.test.mjs checks that each built package exports exactly the values
// declared here, and that every function of the core's function table is declared.

/** Azure cloud of a Key Vault host. */
export type Cloud = 'public' | 'china' | 'usgov';
/** Key Vault or Managed HSM. */
export type VaultKind = 'vault' | 'managedHsm';
/** Azure Managed Redis tier (camelCase id). */
export type Tier = 'memoryOptimized' | 'balanced' | 'computeOptimized' | 'flashOptimized';
/** Microsoft-managed or customer-managed keys. */
export type KeyType = 'microsoftManaged' | 'customerManaged';
/** A JSON value, as accepted by `validate`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

/** A parsed, validated key identifier (`parseKeyUri`). */
export interface KeyId {
  /** Canonical URI: `https://` + lower-case host + `/keys/{keyName}` [+ `/{version}`]. */
  uri: string;
  cloud: Cloud;
  vaultKind: VaultKind;
  /** The vault (or HSM) name, lower-case. */
  vaultName: string;
  /** `https://` + lower-case host. */
  vaultUrl: string;
  /** The key name as given. */
  keyName: string;
  /** 32 hexadecimal characters, lower-case; `null` for a versionless identifier. */
  version: string | null;
}

/** A parsed user-assigned managed identity resource ID (`parseIdentityId`). */
export interface IdentityId {
  /** Canonical ID (lower-case subscription GUID). */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** A SKU and its tier (`tierForSku`). */
export interface SkuInfo {
  /** The SKU in its canonical spelling, e.g. `Balanced_B10`. */
  sku: string;
  tier: Tier;
  /** Display name of the tier, e.g. `Balanced`. */
  tierName: string;
}

/** What one kind of stored data is, where it lives, and which keys may encrypt it. */
export interface DiskCoverage {
  data: string;
  description: string;
  disk: string;
  keys: KeyType[];
  transient: boolean;
  controlledBy: string;
}

/** Encryption coverage of a tier (`coverage`, `coverageMatrix`). */
export interface Coverage {
  tier: Tier;
  tierName: string;
  keyTypes: KeyType[];
  disks: DiskCoverage[];
}

/** Finding severity. */
export type Severity = 'error' | 'warning' | 'info';
/** What a check concluded. */
export type Outcome = 'pass' | 'fail' | 'inconclusive' | 'not_applicable';

/** One command of a fix: the argument vector and the same command quoted for a POSIX shell. */
export interface Command {
  argv: string[];
  shell: string;
}

/** The change that resolves a finding: reviewed Azure CLI commands. */
export interface Fix {
  summary: string;
  commands: Command[];
  /** Placeholders such as `<resource-group>` to replace (absent when none). */
  placeholders?: string[];
  /** Present (true) when the change is a long-running operation with service disruption. */
  disruptive?: boolean;
}

/** One finding of `validate`. */
export interface Finding {
  /** Stable rule code, e.g. `vault.purge_protection_disabled`. */
  code: string;
  severity: Severity;
  /** RFC 6901 JSON Pointer into the input. */
  path: string;
  message: string;
  remediation: string;
  docUrl: string;
  /** The values the message was built from. */
  params: Record<string, unknown>;
  fix?: Fix;
  /** Terraform resource address (Terraform plans and configurations). */
  address?: string;
  /** The file `path` points into, when it is not the cache's (`check` on several files). */
  file?: string;
  /** 1-based line of the value in its `.tf` file (`check` on a Terraform configuration). */
  line?: number;
  /** 1-based column (in characters) of the value in its `.tf` file. */
  column?: number;
}

/** The outcome of one check. */
export interface Check {
  code: string;
  outcome: Outcome;
  /** For `inconclusive`: JSON Pointers of the inputs that would settle it. */
  needs?: string[];
  /** For `inconclusive`: why it is not decided and what would settle it, in words. */
  message?: string;
  /** For `inconclusive`: read-only commands that show the missing facts. */
  confirm?: Command[];
  /** For `inconclusive`: the fix to apply if the confirmation shows the problem. */
  fix?: Fix;
}

/** Counts by severity, plus inconclusive checks. */
export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  inconclusive: number;
}

/** The report of `validate`. */
export interface ValidationReport {
  /** `true` when no finding is an error. */
  valid: boolean;
  summary: Summary;
  findings: Finding[];
  checks: Check[];
  key: KeyId | null;
  sku: SkuInfo | null;
}

/** One step of a migration plan. */
export interface PlanStep {
  /** `identity`, `key`, `vault`, `permissions` or `switch`. */
  id: string;
  title: string;
  status: 'done' | 'todo' | 'confirm' | 'notApplicable';
  checks: Check[];
  fixes: Fix[];
  longRunning: boolean;
  disruptive: boolean;
  note?: string;
}

/** The migration plan (`plan`). */
export interface Plan {
  /** `true` for an existing cache, `false` for a new one, `null` when unknown. */
  existing: boolean | null;
  /** Key source today (existing caches). */
  from: string | null;
  /** Key source requested. */
  to: string;
  /** `true` when every step is done. */
  ready: boolean;
  steps: PlanStep[];
}

/** One rule of the catalogue (`rules`). */
export interface Rule {
  code: string;
  /** The check this code reports under. */
  check: string;
  severity: Severity;
  title: string;
  docUrl: string;
}

/** Input formats `check` reads. */
export type InputFormat =
  | 'arm'
  | 'az'
  | 'terraformPlan'
  | 'terraformConfig'
  | 'sdk'
  | 'model'
  | 'whatIf'
  | 'resourceGraph';

/** The argument of `check`. */
export interface CheckOptions {
  /** An ARM template / compiled Bicep, az CLI output, an SDK `.as_dict()` dict, a Terraform plan, or the model
   * (or give `files` instead). */
  document?: JsonValue | object;
  /** Several files checked as one input: file name (a path with `/`) → the file's text. */
  files?: Record<string, string>;
  /** Terraform variable values (as `--var`), with `files`. */
  vars?: Record<string, JsonValue> | null;
  /** Forced input format (detected from the document when absent). */
  format?: InputFormat | null;
  /** An ARM parameters file. */
  parameters?: JsonValue | object | null;
  /** The current time for the key's expiry checks (RFC 3339). */
  now?: string | null;
  /** Input limits (the ones left out keep their defaults); a document over one is an error. */
  limits?: Limits | null;
}

/** Input limits of `check` (as the CLI's `--max-bytes`, `--max-depth`, `--max-string-length`, `--max-items`). */
export interface Limits {
  /** Largest document, in bytes: 1 to 268435456 (256 MiB, the default). */
  maxBytes?: number;
  /** Deepest nesting of arrays and objects: 1 to 64 (the default). */
  maxDepth?: number;
  /** Longest string, in bytes: 1 to 268435456 (default 16777216, 16 MiB). */
  maxStringLength?: number;
  /** Most items in one array or object: 1 to 268435456 (default 1048576). */
  maxItems?: number;
}

/** The cache a report is about. */
export interface ResourceInfo {
  type: string;
  name: string;
  id?: string;
  address?: string;
  /** The file the cache is in, when `check` read several files. */
  file?: string;
  /** JSON Pointer of the resource in the document. */
  pointer: string;
}

/** The report of one cache in a checked document. */
export interface ResourceReport {
  resource: ResourceInfo;
  report: ValidationReport;
}

/** The result of `check`: one report per cache in the document. */

/** One file of a several-file `check`: the format read, or why it could not be read. */
export interface FileInfo {
  name: string;
  format?: InputFormat;
  error?: ErrorObject;
}

export interface CheckResult {
  format: InputFormat;
  reports: ResourceReport[];
  /** The inconclusive checks of every report (the sum of `summary.inconclusive`): a `valid` result with checks
   * to confirm is not a full pass. */
  toConfirm: number;
  valid: boolean;
  /** For several files: each file, in name order, with its format or its error. */
  files?: FileInfo[];
}

/** The argument of `render`. */
export interface RenderOptions {
  result: CheckResult;
  format: 'text' | 'json' | 'sarif';
  /** ANSI colours (text only). */
  color?: boolean | null;
  /** The document's file name, for locations. */
  fileName?: string | null;
  /** The document's text, for SARIF line numbers. */
  text?: string | null;
}

/** The parsed command line (`cliPlan`): the caller reads `files` (`-` is standard input), then calls `cliRun`. */
export interface CliPlan {
  action: 'check' | 'plan' | 'rules' | 'help' | 'version' | 'usageError';
  files: string[];
  documents: string[];
  parameters?: string | null;
  format: string;
  /** `error`, `warning`, `info`, `inconclusive` (any finding or inconclusive check) or `none`. */
  failOn: string;
  input?: string | null;
  /** `--now`: an RFC 3339 date-time, or `none` (no time); `null`: the caller's clock (`CliRunOptions.now`). */
  now?: string | null;
  /** `auto` (the caller decides: a terminal and no NO_COLOR), `always` or `never`. */
  color: string;
  error?: string | null;
  /** `--var-file`: Terraform variable files (also in `files`). */
  varFiles?: string[];
  /** `--var`: `NAME=VALUE` Terraform variable values. */
  vars?: string[];
  /** `--each`: the files one by one instead of joined. */
  each?: boolean;
  /** `--max-bytes` & co.: the input limits set. */
  limits?: Limits;
  /** What to show on a terminal while reading and checking (`check` and `plan` with text output). */
  progress?: CliProgress;
}

/** The progress lines of one round of the CLI's read loop (see `docs/check.md`). */
export interface CliProgress {
  /** While reading the plan's `files` (or the answer's `read`). */
  reading: string;
  /** While the next `cliRun` runs. */
  checking: string;
  /** Show a line only once this many milliseconds have passed since the start. */
  afterMs: number;
}

/** One file the caller read, or failed to read. */
export interface CliInput {
  name: string;
  text?: string | null;
  error?: string | null;
  /** For a directory: its entry names, subdirectories with a trailing `/`. */
  entries?: string[] | null;
}

/** The argument of `cliRun`. */
export interface CliRunOptions {
  plan: CliPlan;
  inputs?: CliInput[];
  color?: boolean;
  /** The caller's current time (RFC 3339), used when the command line has no `--now`. */
  now?: string | null;
}

/** What to print, and the exit code (0 passed, 1 findings at or above --fail-on, 2 usage error or bad input). */
export interface CliOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Paths to read before running again (the files of a directory). */
  read?: string[];
  /** With `read`: the progress lines for reading them and running again. */
  progress?: CliProgress;
}

/** Options of the error constructors. */
export interface AmrCmkErrorOptions {
  code: string;
  kind: string;
  params?: Record<string, unknown>;
}

/** Base class of every error thrown by this package. */
export declare class AmrCmkError extends Error {
  constructor(message: string, options: AmrCmkErrorOptions);
  /** Stable code, e.g. `key_uri.port` or `input.invalid_type`. */
  code: string;
  /** Error family: `keyUri`, `identityId`, `sku` or `input`. */
  kind: string;
  /** The values the message was built from. */
  params: Record<string, unknown>;
}
/** `key_uri.*`: not a usable Key Vault / Managed HSM key identifier. */
export declare class KeyUriError extends AmrCmkError {}
/** `identity_id.*`: not a user-assigned managed identity resource ID. */
export declare class IdentityIdError extends AmrCmkError {}
/** `sku.*`: unknown or retired SKU or tier. */
export declare class SkuError extends AmrCmkError {}
/** `input.*`: unusable input (wrong type, not serialisable to JSON, too large, too deep...). */
export declare class InputError extends AmrCmkError {}

/** The error of a failed non-throwing call: the fields of the error the throwing function throws. */
export interface ErrorObject {
  /** Stable code, e.g. `key_uri.port` or `input.invalid_type`. */
  code: string;
  /** Error family: `keyUri`, `identityId`, `sku` or `input`. */
  kind: string;
  message: string;
  /** The values the message was built from (`path`: a JSON Pointer into the input, for `input.*` errors). */
  params: Record<string, unknown>;
}

/**
 * What a non-throwing function (`safeParseKeyUri`, `safeValidate`...) returns: the value the throwing one returns,
 * or the error it throws as a plain object. Never throws for any input (a browser build must be initialised).
 */
export type SafeResult<T> = { success: true; data: T } | { success: false; error: ErrorObject };

/**
 * Standard Schema v1 (https://standardschema.dev): the interface that form and API libraries (React Hook Form's
 * `standardSchemaResolver`, TanStack Form, tRPC, Hono...) accept from any validator.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}
export declare namespace StandardSchemaV1 {
  /** The version (1), the library that implements it, and its validate function. */
  interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    /** Type-level only (not set at run time): what the schema takes and gives. */
    readonly types?: Types<Input, Output> | undefined;
  }
  /** The outcome of `validate`. */
  type Result<Output> = SuccessResult<Output> | FailureResult;
  /** Valid: the output value. */
  interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  /** Invalid: the issues. */
  interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One problem: its message and where it is (absent: the whole value). */
  interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** A path segment given as an object. */
  interface PathSegment {
    readonly key: PropertyKey;
  }
  /** The input and output types of a schema. */
  interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  /** The input type of a schema. */
  type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['input'];
  /** The output type of a schema. */
  type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output'];
}

/**
 * A Standard Schema of this package: vendor `amr-cmk`, `validate` synchronous. An issue's `message` is the
 * finding's (or error's) message and its `path` the finding's JSON Pointer split into keys (`~1`, `~0`
 * unescaped; an index into an array as a number); an error about the whole value has no path.
 */
export interface AmrCmkSchema<Input, Output> extends StandardSchemaV1<Input, Output> {
  readonly '~standard': AmrCmkSchemaProps<Input, Output>;
}
/** The `~standard` properties of an `AmrCmkSchema`: `validate` answers synchronously. */
export interface AmrCmkSchemaProps<Input, Output> extends StandardSchemaV1.Props<Input, Output> {
  readonly vendor: 'amr-cmk';
  readonly validate: (value: unknown) => StandardSchemaV1.Result<Output>;
}

/** A configuration, as `validate` reads it (`docs/model.md`). */
export type CmkConfig = { [key: string]: unknown };

/** A key identifier string; the output is the parsed key (`parseKeyUri`). One issue, without a path. */
export declare const keyUriSchema: AmrCmkSchema<string, KeyId>;
/**
 * A configuration; the output is the value as given. An issue for each error finding of `validate` (warnings and
 * inconclusive checks do not fail it; `safeValidate` gives the whole report), or one for an unusable input.
 */
export declare const cmkConfigSchema: AmrCmkSchema<CmkConfig, CmkConfig>;

/**
 * Parses a Key Vault or Managed HSM key identifier. @throws KeyUriError (without stack frames: `stack` is the name
 * and message; README, "Errors"), InputError
 */
export declare function parseKeyUri(uri: string): KeyId;
/** `parseKeyUri` without throwing: the key, or the error as an object. */
export declare function safeParseKeyUri(uri: unknown): SafeResult<KeyId>;
/** Parses a user-assigned managed identity resource ID. @throws IdentityIdError, InputError */
export declare function parseIdentityId(id: string): IdentityId;
/** `parseIdentityId` without throwing. */
export declare function safeParseIdentityId(id: unknown): SafeResult<IdentityId>;
/** The tier of an Azure Managed Redis SKU. @throws SkuError, InputError */
export declare function tierForSku(sku: string): SkuInfo;
/** `tierForSku` without throwing. */
export declare function safeTierForSku(sku: unknown): SafeResult<SkuInfo>;
/** Encryption coverage for a tier or a SKU name. @throws SkuError, InputError */
export declare function coverage(tierOrSku: string): Coverage;
/** `coverage` without throwing. */
export declare function safeCoverage(tierOrSku: unknown): SafeResult<Coverage>;
/** Encryption coverage of every tier. */
export declare function coverageMatrix(): Coverage[];
/** Validates a CMK configuration. @throws InputError when the input itself is unusable */
export declare function validate(config: JsonValue | object): ValidationReport;
/** `validate` without throwing: the report (its findings), or the error for an unusable input. */
export declare function safeValidate(config: unknown): SafeResult<ValidationReport>;
/** The ordered migration steps for a configuration. @throws InputError when the input itself is unusable */
export declare function plan(config: JsonValue | object): Plan;
/** `plan` without throwing. */
export declare function safePlan(config: unknown): SafeResult<Plan>;
/** Checks a document (ARM/Bicep JSON, az output, SDK dict, Terraform plan or the model): one report per cache. */
export declare function check(options: CheckOptions): CheckResult;
/** `check` without throwing. */
export declare function safeCheck(options: CheckOptions): SafeResult<CheckResult>;
/** Renders a `check` result as text, JSON or SARIF 2.1.0. */
export declare function render(options: RenderOptions): string;
/** `render` without throwing. */
export declare function safeRender(options: RenderOptions): SafeResult<string>;
/** Parses command-line arguments (after the program name) into a plan. */
export declare function cliPlan(argv: string[]): CliPlan;
/** `cliPlan` without throwing. */
export declare function safeCliPlan(argv: string[]): SafeResult<CliPlan>;
/** Runs a `cliPlan` plan on the files the caller read. */
export declare function cliRun(options: CliRunOptions): CliOutput;
/** `cliRun` without throwing. */
export declare function safeCliRun(options: CliRunOptions): SafeResult<CliOutput>;
/** Every rule code. */
export declare function ruleCodes(): string[];
/** Rule metadata, in catalogue order. */
export declare function rules(): Rule[];
/** Every error code of the API functions. */
export declare function errorCodes(): string[];
/** The version of the core (and of this package). */
export declare function version(): string;
