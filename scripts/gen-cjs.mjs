#!/usr/bin/env node
// Writes the CommonJS copy of the shared JS wrapper: `node scripts/gen-cjs.mjs IN.mjs OUT.cjs`.
// The source may use only `export class Name`, `export function name` and `export const NAME` (no imports, no
// other exports), so the copy is the same text with those `export` keywords dropped and one `module.exports`
// line added.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: gen-cjs.mjs IN.mjs OUT.cjs');
  process.exit(2);
}
const src = readFileSync(input, 'utf8');
const names = [];
const body = src.replace(/^export (class|function|const) ([A-Za-z_$][\w$]*)/gm, (_, kw, name) => {
  names.push(name);
  return `${kw} ${name}`;
});
const leftover = body.match(/^\s*(export|import)\b.*$/m);
if (leftover) {
  console.error(`gen-cjs: ${input}: unsupported module syntax: ${leftover[0].trim()}`);
  process.exit(1);
}
const out = `// Generated from ${input} by scripts/gen-cjs.mjs: do not edit.\n'use strict';\n${body}\nmodule.exports = { ${names.join(', ')} };\n`;
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, out);
