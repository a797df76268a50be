#!/usr/bin/env node
// Stages the npm packages for `npm pack` the napi-rs way, under STAGE (scripts/dist.sh packs them):
//
//   node scripts/dist-npm.mjs STAGE                          (make dist: root, local platform, wasm)
//   node scripts/dist-npm.mjs --platforms-only STAGE ADDONS  (release workflow: one platform package per
//                                                            `amr-cmk.<platform>.node` found in ADDONS)
//
//   STAGE/amr-cmk                 the root package: bindings-js's `files` without any `.node`, its package.json
//                                 with one optionalDependency per napi target (`amr-cmk-<platform>`, this version)
//   STAGE/amr-cmk-<platform>      the local platform's package: the addon `amr-cmk.<platform>.node` built by
//                                 `make build-napi`, with `os` / `cpu` / `libc` so npm installs only the match
//   STAGE/amr-cmk-wasm            bindings-js/wasm's `files` as they are (node, web and lite builds)
//
// binding.js (written by `napi build --platform`) loads `./amr-cmk.<platform>.node` when it is next to it (a
// source checkout) and `amr-cmk-<platform>` otherwise (an installed package). Prints the staged directories.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const JS = join(ROOT, 'bindings-js');
const argv = process.argv.slice(2);
const platformsOnly = argv[0] === '--platforms-only';
const [stage, addonsDir] = platformsOnly ? argv.slice(1) : argv;
if (!stage || (platformsOnly && !addonsDir)) {
  console.error('usage: dist-npm.mjs STAGE | dist-npm.mjs --platforms-only STAGE ADDONS');
  process.exit(2);
}

/** napi target triple -> the platform suffix napi-rs uses in file and package names, with os / cpu / libc. */
const PLATFORMS = {
  'x86_64-unknown-linux-gnu': { suffix: 'linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc' },
  'aarch64-unknown-linux-gnu': { suffix: 'linux-arm64-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc' },
  'x86_64-apple-darwin': { suffix: 'darwin-x64', os: 'darwin', cpu: 'x64' },
  'aarch64-apple-darwin': { suffix: 'darwin-arm64', os: 'darwin', cpu: 'arm64' },
  'x86_64-pc-windows-msvc': { suffix: 'win32-x64-msvc', os: 'win32', cpu: 'x64' },
  'aarch64-pc-windows-msvc': { suffix: 'win32-arm64-msvc', os: 'win32', cpu: 'arm64' },
};

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const writeJson = (p, v) => writeFileSync(p, `${JSON.stringify(v, null, 2)}\n`);

/** The files `npm pack` would put in the package in `dir` (its `files`, README, LICENSE, package.json). */
function packFiles(dir) {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
  return JSON.parse(out)[0].files.map((f) => f.path);
}

function copyPackage(src, dest, skip = () => false) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const rel of packFiles(src)) {
    if (rel === 'package.json' || skip(rel)) continue;
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    cpSync(join(src, rel), join(dest, rel));
  }
}

const root = readJson(join(JS, 'package.json'));
const { binaryName, targets } = root.napi;
for (const t of targets) {
  if (!PLATFORMS[t]) throw new Error(`dist-npm: no platform entry for napi target ${t}`);
}

/** Stages the package `amr-cmk-<platform>` of `triple` around the addon file in `dir`. */
function stagePlatform(triple, dir) {
  const platform = PLATFORMS[triple];
  const nodeFile = `${binaryName}.${platform.suffix}.node`;
  const platformName = `${root.name}-${platform.suffix}`;
  const platformDir = join(stage, platformName);
  rmSync(platformDir, { recursive: true, force: true });
  mkdirSync(platformDir, { recursive: true });
  cpSync(join(dir, nodeFile), join(platformDir, nodeFile));
  cpSync(join(JS, 'LICENSE'), join(platformDir, 'LICENSE'));
  writeFileSync(
    join(platformDir, 'README.md'),
    `# ${platformName}\n\nThe \`${triple}\` Node-API addon of [\`${root.name}\`](https://www.npmjs.com/package/${root.name}). ` +
      `Install \`${root.name}\`, not this package: npm picks the addon for your platform from its optional dependencies.\n`,
  );
  writeJson(join(platformDir, 'package.json'), {
    name: platformName,
    version: root.version,
    description: `The ${triple} Node-API addon of ${root.name} (installed by ${root.name}).`,
    license: root.license,
    repository: root.repository,
    homepage: root.homepage,
    bugs: root.bugs,
    author: root.author,
    keywords: root.keywords,
    main: nodeFile,
    files: [nodeFile],
    os: [platform.os],
    cpu: [platform.cpu],
    ...(platform.libc ? { libc: [platform.libc] } : {}),
    engines: root.engines,
  });
  return platformDir;
}

const addonFile = (triple) => `${binaryName}.${PLATFORMS[triple].suffix}.node`;

if (platformsOnly) {
  const staged = targets.filter((t) => existsSync(join(addonsDir, addonFile(t)))).map((t) => stagePlatform(t, addonsDir));
  if (staged.length === 0) throw new Error(`dist-npm: no ${binaryName}.<platform>.node in ${addonsDir}`);
  console.log(staged.join('\n'));
  process.exit(0);
}

// The local platform's package, from the addon `make build-napi` wrote.
const local = Object.entries(PLATFORMS).find(
  ([, p]) => p.os === process.platform && p.cpu === process.arch && (p.libc === undefined || p.libc === 'glibc'),
);
if (!local || !targets.includes(local[0])) throw new Error(`dist-npm: no napi target for ${process.platform}-${process.arch}`);
if (!existsSync(join(JS, addonFile(local[0])))) throw new Error(`dist-npm: ${addonFile(local[0])} missing: run make build-napi`);
const platformDir = stagePlatform(local[0], JS);

// The root package: no addon inside, one optional dependency per target.
const rootDir = join(stage, root.name);
copyPackage(JS, rootDir, (rel) => rel.endsWith('.node'));
const { devDependencies: _dev, scripts: _scripts, ...published } = root;
published.optionalDependencies = Object.fromEntries(
  targets.map((t) => [`${root.name}-${PLATFORMS[t].suffix}`, root.version]),
);
writeJson(join(rootDir, 'package.json'), published);

// amr-cmk-wasm: as it is.
const wasm = readJson(join(JS, 'wasm', 'package.json'));
const wasmDir = join(stage, wasm.name);
copyPackage(join(JS, 'wasm'), wasmDir);
writeJson(join(wasmDir, 'package.json'), wasm);

console.log([rootDir, platformDir, wasmDir].join('\n'));
