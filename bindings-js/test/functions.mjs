// The core's function table (`amr_cmk::json_api::TABLE`) as the build writes it (js/functions.json, from
// `cargo run -p amr-cmk --example function_table`): what the entry files are generated from, and what the tests
// check the built packages against.
import { readFileSync } from 'node:fs';

/** `[{ name, arg: 'string' | 'document' | 'object' | 'none', templates }]`, in table order. */
export const TABLE = JSON.parse(readFileSync(new URL('../js/functions.json', import.meta.url), 'utf8'));

const names = (rows) => rows.map((f) => f.name);
/** Every function (the full build). */
export const ALL = names(TABLE);
/** The functions of the core's `templates` feature (not in the lite build). */
export const TEMPLATE = names(TABLE.filter((f) => f.templates));
/** The lite build's functions. */
export const LITE = names(TABLE.filter((f) => !f.templates));
/** The functions that take an argument, and those that take none. */
export const WITH_ARGUMENT = names(TABLE.filter((f) => f.arg !== 'none'));
export const WITHOUT_ARGUMENT = names(TABLE.filter((f) => f.arg === 'none'));
/** The functions that read a JSON document or options object (input limits apply). */
export const DOCUMENT_FUNCTIONS = names(TABLE.filter((f) => f.arg === 'document' || f.arg === 'object'));
/** What `createApi` takes for every function: `{ name: arg }`. */
export const FUNCTIONS = Object.fromEntries(TABLE.map((f) => [f.name, f.arg]));
