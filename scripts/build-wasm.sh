#!/usr/bin/env bash
# Builds the npm package amr-cmk-wasm (bindings-js/wasm): the amr-cmk-js crate for wasm32-unknown-unknown
# with the `wasm-release` profile, then wasm-bindgen (`web` into pkg-web/, `nodejs` into pkg-node/), then
# `wasm-opt -Oz` (npm binaryen), plus the shared wrapper copied next to each glue file. Prints the sizes.
#
# Needs `scripts/setup-js.sh` first (it records the toolchain route in target-wasm/route).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JS="$ROOT/bindings-js"
OUT="$JS/wasm"
TARGET_DIR="$ROOT/target-wasm"
PROFILE=wasm-release
TRIPLE=wasm32-unknown-unknown
ROUTE="$(cat "$TARGET_DIR/route" 2>/dev/null || true)"

log() { printf 'build-wasm: %s\n' "$*" >&2; }

# One build at a time (several `make` runs may share this tree).
mkdir -p "$TARGET_DIR"
exec 9>"$TARGET_DIR/.build-wasm.lock"
flock 9

want="$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)"$/\1/p' "$JS/Cargo.toml")"
WASM_BINDGEN=""
for bin in "$ROOT/target-tools/bin/wasm-bindgen" "$(command -v wasm-bindgen || true)"; do
  if [[ -n "$bin" && -x "$bin" && "$("$bin" --version | awk '{print $2}')" == "$want" ]]; then
    WASM_BINDGEN="$bin"
    break
  fi
done
[[ -n "$WASM_BINDGEN" ]] || { log "wasm-bindgen $want not found: run scripts/setup-js.sh"; exit 1; }
WASM_OPT="$JS/node_modules/.bin/wasm-opt"
[[ -x "$WASM_OPT" ]] || { log "$WASM_OPT not found: run scripts/setup-js.sh"; exit 1; }

# Smallest build: std rebuilt for size, panics compiled to a trap without formatting (the core never panics;
# the JS tests feed it garbage to show it). Needs the std sources: rust-src (rustup) or rust-web-src (Debian).
BUILD_STD=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size -Zpanic-immediate-abort
  --config "profile.$PROFILE.panic=\"immediate-abort\"")
case "$ROUTE" in
  rustup)
    if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
      log "route rustup ($(rustc --version)), -Zbuild-std"
      RUSTC_BOOTSTRAP=1 cargo build -p amr-cmk-js --profile "$PROFILE" --target "$TRIPLE" \
        --target-dir "$TARGET_DIR" "${BUILD_STD[@]}"
    else
      log "route rustup ($(rustc --version)), prebuilt std (no rust-src)"
      cargo build -p amr-cmk-js --profile "$PROFILE" --target "$TRIPLE" --target-dir "$TARGET_DIR"
    fi
    ;;
  debian)
    log "route debian ($(/usr/bin/rustc --version)), -Zbuild-std"
    # Debian's rustc defaults to `rust-lld`, which it does not ship: name lld's wasm linker explicitly.
    linker=""
    for l in rust-lld wasm-ld-22 /usr/lib/llvm-22/bin/wasm-ld wasm-ld; do
      if command -v "$l" >/dev/null 2>&1; then linker="$(command -v "$l")"; break; fi
    done
    [[ -n "$linker" ]] || { log "no wasm linker (rust-lld, wasm-ld-22, wasm-ld): install lld-22"; exit 1; }
    env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$linker" \
      RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
      /usr/bin/cargo build -p amr-cmk-js --profile "$PROFILE" --target "$TRIPLE" \
      --target-dir "$TARGET_DIR" "${BUILD_STD[@]}"
    ;;
  *)
    log "no wasm toolchain route recorded in $TARGET_DIR/route: run scripts/setup-js.sh"
    exit 1
    ;;
esac

RAW="$TARGET_DIR/$TRIPLE/$PROFILE/amr_cmk_js.wasm"
for kind in web nodejs; do
  dir="$OUT/pkg-${kind/nodejs/node}"
  tmp="$(mktemp -d "$OUT/.pkg-tmp.XXXXXX")"
  "$WASM_BINDGEN" --target "$kind" --out-dir "$tmp" --no-typescript "$RAW"
  "$WASM_OPT" -Oz "$tmp/amr_cmk_js_bg.wasm" -o "$tmp/amr_cmk_js_bg.wasm.opt"
  mv "$tmp/amr_cmk_js_bg.wasm.opt" "$tmp/amr_cmk_js_bg.wasm"
  if [[ "$kind" == web ]]; then
    cp "$JS/js/api.mjs" "$tmp/api.mjs"
    echo '{ "type": "module" }' >"$tmp/package.json"
  else
    node "$ROOT/scripts/gen-cjs.mjs" bindings-js/js/api.mjs "$tmp/api.cjs"
    echo '{ "type": "commonjs" }' >"$tmp/package.json"
  fi
  chmod 755 "$tmp"
  rm -rf "$dir"
  mv "$tmp" "$dir"
done

wasm="$OUT/pkg-web/amr_cmk_js_bg.wasm"
raw_size=$(wc -c <"$wasm")
gz_size=$(gzip -9c "$wasm" | wc -c)
printf 'build-wasm: amr_cmk_js_bg.wasm after wasm-opt -Oz: %s bytes raw, %s bytes gzip -9 (route %s; before wasm-bindgen/wasm-opt %s bytes)\n' \
  "$raw_size" "$gz_size" "$ROUTE" "$(wc -c <"$RAW")"
printf '{"route":"%s","raw":%s,"gzip9":%s}\n' "$ROUTE" "$raw_size" "$gz_size" >"$TARGET_DIR/size.json"
