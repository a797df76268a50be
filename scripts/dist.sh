#!/usr/bin/env bash
# Writes dist/ (git-ignored) from the builds `make dist` depends on (build-napi, build-wasm, setup-py):
#   amr_cmk-<v>-cp310-abi3-manylinux_*.whl  maturin build --release (tag from maturin's own manylinux check)
#   amr_cmk-<v>.tar.gz                      maturin sdist (core included; builds with only a Rust toolchain)
#   amr-cmk-<v>.tgz                         npm root package: the loader, optionalDependencies per napi target
#   amr-cmk-linux-x64-gnu-<v>.tgz           the local platform's addon package (built here)
#   amr-cmk-wasm-<v>.tgz                    node, web and lite builds, exports map, .d.ts
#   SHA256SUMS                              sha256sum of all of the above
# Every package carries the workspace version (root Cargo.toml); tests/meta fails when a manifest disagrees.
# The release workflow's Linux x86_64 jobs run this same script (through `make dist`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DIST="$ROOT/dist"
PY_VENV="${PY_VENV:-$ROOT/.venv}"
log() { printf 'dist: %s\n' "$*" >&2; }

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' Cargo.toml)"
[[ -n "$version" ]] || { log "no [workspace.package] version in Cargo.toml"; exit 1; }
log "version $version"

rm -rf "$DIST"
mkdir -p "$DIST"

# Python: the abi3 wheel and the sdist. PYO3_PYTHON as in mk/30-py.mk, so the build shares its cache.
export PYO3_PYTHON="$PY_VENV/bin/python" VIRTUAL_ENV="$PY_VENV"
"$PY_VENV/bin/maturin" build --release --quiet -m bindings-py/Cargo.toml --out "$DIST"
"$PY_VENV/bin/maturin" sdist -m bindings-py/Cargo.toml --out "$DIST"

# npm: stage the three packages, then pack them.
STAGE="$ROOT/target/npm-stage"
rm -rf "$STAGE"
mkdir -p "$STAGE"
node scripts/dist-npm.mjs "$STAGE" >/dev/null
for pkg in "$STAGE"/*/; do
  (cd "$pkg" && npm pack --silent --ignore-scripts --pack-destination "$DIST" >/dev/null)
done

cd "$DIST"
for f in *; do
  case "$f" in *"$version"*) ;; *) log "$f does not carry version $version"; exit 1 ;; esac
done
sha256sum -- *.whl *.tar.gz *.tgz >SHA256SUMS
log "wrote dist/:"
ls -l "$DIST" | sed -n '2,$p' >&2
