#!/usr/bin/env bash
# Installs what `make dist` wrote into dist/ as a user would, in a fresh temp dir, and smoke-tests it:
#   Python  a new venv (no Rust on PATH) installs the wheel only (--no-index --only-binary), runs the README's
#           Python snippet and `python -m amr_cmk check` on fixtures; `twine check` on the wheel and the sdist.
#   npm     an empty project installs the three tarballs from files (no install scripts, no build step, no
#           Rust on PATH), runs the README's Node snippet with `require` and as an ES module with `import`,
#           `npx amr-cmk check` on fixtures (same bytes and exit codes as Python), loads amr-cmk-wasm in Node
#           (node build, and the lite browser build through initSync); tsc compiles a consumer against the
#           installed types; `npm publish --dry-run` on each tarball.
# Also checks SHA256SUMS and the wheel's tag. Idempotent: everything happens in a temp dir removed at the end
# (KEEP_TMP=1 keeps it). TEST_SDIST=1 also builds a wheel from the sdist with pip (build isolation: maturin from
# PyPI, a cold cargo build, about 40 s here; the release workflow sets it) and runs the snippet on it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DIST="$ROOT/dist"
PROJECT_PY="$ROOT/.venv/bin/python"
TSC="$ROOT/bindings-js/node_modules/.bin/tsc"
log() { printf 'test-dist: %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' Cargo.toml)"
[[ -f "$DIST/SHA256SUMS" ]] || fail "no dist/SHA256SUMS: run make dist"
(cd "$DIST" && sha256sum --check --quiet SHA256SUMS) || fail "SHA256SUMS does not match dist/"
shopt -s nullglob
wheels=("$DIST"/amr_cmk-"$version"-cp310-abi3-manylinux*_x86_64.whl)
[[ ${#wheels[@]} -eq 1 ]] || fail "expected one amr_cmk-$version-cp310-abi3-manylinux*_x86_64.whl in dist/"
WHEEL="${wheels[0]}"
SDIST="$DIST/amr_cmk-$version.tar.gz"
TGZ_ROOT="$DIST/amr-cmk-$version.tgz"
TGZ_PLATFORM="$DIST/amr-cmk-linux-x64-gnu-$version.tgz"
TGZ_WASM="$DIST/amr-cmk-wasm-$version.tgz"
for f in "$SDIST" "$TGZ_ROOT" "$TGZ_PLATFORM" "$TGZ_WASM"; do [[ -f "$f" ]] || fail "missing $f"; done

TMP="$(mktemp -d "${TMPDIR:-/tmp}/amr-cmk-test-dist.XXXXXX")"
[[ -n "${KEEP_TMP:-}" ]] || trap 'rm -rf "$TMP"' EXIT
FIXTURE_OK="$ROOT/tests/fixtures/arm/valid.json"
FIXTURE_BAD="$ROOT/tests/fixtures/arm/broken.json"

# readme_block HEADING LANG: the first ```LANG block after the line `### HEADING` in README.md.
readme_block() {
  awk -v h="### $1" -v lang="$2" '
    $0 == h { seen = 1; next }
    seen && !inblock && $0 == "```" lang { inblock = 1; next }
    inblock && $0 == "```" { exit }
    inblock { print }' "$ROOT/README.md"
}

# expect_exit CODE OUT CMD...: runs CMD, stdout to OUT, and fails unless it exits with CODE.
expect_exit() {
  local want="$1" out="$2" got=0
  shift 2
  "$@" >"$out" || got=$?
  [[ "$got" == "$want" ]] || fail "$* exited $got, expected $want"
}

# ---------- Python ----------
log "python: fresh venv, wheel $(basename "$WHEEL")"
base_python="$("$PROJECT_PY" -c 'import sys; print(sys.base_prefix)')/bin/python3"
"$base_python" -m venv "$TMP/venv"
# PATH: the venv only, so no cargo, rustc or maturin can be reached.
PYPATH="$TMP/venv/bin"
env PATH="$PYPATH" /bin/sh -c '! command -v cargo && ! command -v rustc' >/dev/null || fail "Rust on the venv PATH"
env PATH="$PYPATH" PIP_FIND_LINKS= python -m pip install --quiet --disable-pip-version-check --no-index \
  --only-binary :all: "$WHEEL" || fail "pip install of the wheel"
readme_block Python python >"$TMP/readme_snippet.py"
[[ -s "$TMP/readme_snippet.py" ]] || fail "no Python snippet under '### Python' in README.md"
(cd "$TMP" && env PATH="$PYPATH" python readme_snippet.py >"$TMP/py-snippet.out") || fail "README Python snippet"
grep -q '^key_uri.userinfo$' "$TMP/py-snippet.out" || fail "README Python snippet printed no key_uri.userinfo"
(cd "$TMP" && env PATH="$PYPATH" python -c 'import amr_cmk, sys; assert "/venv/" in amr_cmk.__file__, amr_cmk.__file__') \
  || fail "amr_cmk not imported from the fresh venv"
expect_exit 0 "$TMP/py-ok.out" env PATH="$PYPATH" python -m amr_cmk check "$FIXTURE_OK"
expect_exit 1 "$TMP/py-bad.out" env PATH="$PYPATH" python -m amr_cmk check "$FIXTURE_BAD"
grep -q 'key_uri.version_missing' "$TMP/py-bad.out" || fail "python -m amr_cmk check: no key_uri.version_missing"
"$PROJECT_PY" -m twine check --strict "$WHEEL" "$SDIST" >"$TMP/twine.out" || { cat "$TMP/twine.out"; fail "twine check"; }
log "python: wheel installed without Rust, README snippet, check (exit 0 and 1), twine check: ok"
if [[ -n "${TEST_SDIST:-}" ]]; then
  log "python: TEST_SDIST: a wheel built from the sdist (pip, build isolation)"
  "$base_python" -m venv "$TMP/venv-sdist"
  (cd "$TMP" && CARGO_TARGET_DIR="$TMP/sdist-target" "$TMP/venv-sdist/bin/python" -m pip install --quiet \
    --disable-pip-version-check --no-binary amr-cmk "$SDIST") || fail "pip install of the sdist"
  (cd "$TMP" && "$TMP/venv-sdist/bin/python" readme_snippet.py >/dev/null) || fail "README snippet on the sdist's build"
  log "python: sdist builds and runs: ok"
fi

# ---------- npm ----------
log "npm: empty project, tarballs from files"
mkdir -p "$TMP/bin" "$TMP/npm-project" "$TMP/npm-cache"
for tool in node npm npx sh env; do ln -s "$(command -v "$tool")" "$TMP/bin/$tool"; done
NPATH="$TMP/bin"
env PATH="$NPATH" sh -c '! command -v cargo && ! command -v rustc' >/dev/null || fail "Rust on the npm PATH"
cd "$TMP/npm-project"
echo '{ "name": "consumer", "version": "1.0.0", "private": true }' >package.json
# --offline: no registry. The other platforms' optional packages (not in the cache) are skipped as optional.
env PATH="$NPATH" npm install --no-audit --no-fund --loglevel=error --offline \
  "$TGZ_ROOT" "$TGZ_PLATFORM" "$TGZ_WASM" >"$TMP/npm-install.out" 2>&1 || { cat "$TMP/npm-install.out"; fail "npm install"; }
for p in amr-cmk amr-cmk-linux-x64-gnu amr-cmk-wasm; do
  node -e '
    const p = require(process.argv[1]);
    const s = p.scripts || {};
    for (const k of ["preinstall", "install", "postinstall", "prepare"]) if (s[k]) throw new Error(`${p.name} has a ${k} script`);
    if (p.version !== process.argv[2]) throw new Error(`${p.name} is ${p.version}`);
  ' "$TMP/npm-project/node_modules/$p/package.json" "$version" || fail "installed $p"
done
[[ -z "$(find node_modules/amr-cmk -name '*.node')" ]] || fail "the root package amr-cmk ships a .node"
readme_block 'Node (native addon)' js >readme-require.cjs
[[ -s readme-require.cjs ]] || fail "no js snippet under '### Node (native addon)' in README.md"
sed -E "s/^const (\{[^}]*\}) = require\('amr-cmk'\);$/import \1 from 'amr-cmk';/" readme-require.cjs >readme-import.mjs
grep -q "^import .* from 'amr-cmk';$" readme-import.mjs || fail "README Node snippet has no require('amr-cmk') line to turn into import"
env PATH="$NPATH" node readme-require.cjs >require.out || fail "README Node snippet with require"
env PATH="$NPATH" node readme-import.mjs >import.out || fail "README Node snippet with import"
cmp -s require.out import.out || fail "require and import snippets print different output"
grep -q 'key_uri.version_missing' require.out || fail "README Node snippet printed no key_uri.version_missing"
expect_exit 0 npx-ok.out env PATH="$NPATH" npx --no-install amr-cmk check "$FIXTURE_OK"
expect_exit 1 npx-bad.out env PATH="$NPATH" npx --no-install amr-cmk check "$FIXTURE_BAD"
cmp -s npx-ok.out "$TMP/py-ok.out" || fail "npx amr-cmk check and python -m amr_cmk check differ (valid.json)"
cmp -s npx-bad.out "$TMP/py-bad.out" || fail "npx amr-cmk check and python -m amr_cmk check differ (broken.json)"
cat >wasm-smoke.cjs <<'JS'
const assert = require('node:assert');
const { readFileSync } = require('node:fs');
const KEY = 'https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef';
const wasm = require('amr-cmk-wasm');
const native = require('amr-cmk');
assert.deepStrictEqual(wasm.parseKeyUri(KEY), native.parseKeyUri(KEY));
const cfg = { encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: 'https://contoso-kv.vault.azure.net/keys/cmk' } } };
assert.deepStrictEqual(wasm.validate(cfg), native.validate(cfg));
assert.throws(() => wasm.parseKeyUri('http://x'), wasm.KeyUriError);
(async () => {
  const esm = await import('amr-cmk-wasm');
  assert.strictEqual(esm.parseKeyUri, wasm.parseKeyUri);
  // The browser builds, loaded from their bytes as a bundler or page would.
  for (const [entry, dir] of [['amr-cmk-wasm/lite', 'pkg-lite'], ['amr-cmk-wasm/web', 'pkg-web']]) {
    const m = await import(entry);
    const file = require.resolve(`amr-cmk-wasm/package.json`).replace(/package\.json$/, `${dir}/amr_cmk_js_bg.wasm`);
    m.initSync({ module: readFileSync(file) });
    assert.deepStrictEqual(m.validate(cfg), native.validate(cfg), entry);
  }
  console.log('wasm ok');
})().catch((e) => { console.error(e); process.exit(1); });
JS
env PATH="$NPATH" node wasm-smoke.cjs >wasm.out || fail "amr-cmk-wasm in Node"
cat >consumer.mts <<'TS'
import { parseKeyUri, validate, KeyUriError, AmrCmkError } from 'amr-cmk';
import * as wasm from 'amr-cmk-wasm';
import init, { initSync, validate as validateWeb } from 'amr-cmk-wasm/web';
import initLite, { parseKeyUri as parseLite } from 'amr-cmk-wasm/lite';

const key = parseKeyUri('https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef');
const name: string = key.keyName;
const report = validate({});
const codes: string[] = report.findings.map((f) => f.code);
const same: typeof report = wasm.validate({});
const e: unknown = new Error();
if (e instanceof KeyUriError || e instanceof AmrCmkError) console.log(e.code);
const loaders: Array<() => Promise<void>> = [() => init(), () => initLite()];
void [name, codes, same, loaders, initSync, validateWeb, parseLite];
TS
cat >tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022",
    "lib": ["es2022", "dom"], "types": [], "skipLibCheck": false
  },
  "files": ["consumer.mts"]
}
JSON
env PATH="$NPATH" "$TSC" -p tsconfig.json || fail "tsc on a consumer of the installed types"
for tgz in "$TGZ_ROOT" "$TGZ_PLATFORM" "$TGZ_WASM"; do
  env PATH="$NPATH" npm publish --dry-run --offline --loglevel=error --ignore-scripts "$tgz" >"$TMP/publish.out" 2>&1 \
    || { cat "$TMP/publish.out"; fail "npm publish --dry-run $(basename "$tgz")"; }
done
log "npm: install from files, README snippet (require, import), npx amr-cmk check (= Python), wasm (node, web, lite), tsc, publish --dry-run: ok"

# The web form in Chromium with the installed amr-cmk-wasm instead of the tree's build (make test-web set up
# Chromium and playwright-core; CHROMIUM= skips this).
CHROMIUM="${CHROMIUM-/usr/bin/chromium}"
if [[ -n "$CHROMIUM" && -x "$CHROMIUM" && -d "$ROOT/examples/web/test/node_modules/playwright-core" ]]; then
  (cd "$ROOT/examples/web/test" && WEB_PKG="$TMP/npm-project/node_modules/amr-cmk-wasm" CHROMIUM="$CHROMIUM" \
    TEST_OUTPUT="$TMP/web-output" node --test --test-concurrency=1 web.test.mjs >"$TMP/web.out" 2>&1) \
    || { tail -40 "$TMP/web.out"; fail "the web form with the installed amr-cmk-wasm"; }
  log "web: the form in Chromium with the installed amr-cmk-wasm: ok ($(grep -m1 '^# pass' "$TMP/web.out"))"
else
  log "web: skipped (no Chromium or playwright-core; make test-web sets them up)"
fi
log "all passed"
