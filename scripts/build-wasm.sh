#!/usr/bin/env bash
# Builds the npm package amr-cmk-wasm (bindings-js/wasm): the amr-cmk-js crate for wasm32-unknown-unknown
# with the `wasm-release` profile, then wasm-bindgen, then `wasm-opt` (npm binaryen), plus the shared wrapper
# copied next to each glue file. Prints the sizes. Two variants (default: both, `full` then `lite`):
#   full  every function (default features): `web` glue into pkg-web/, `nodejs` glue into pkg-node/
#   lite  without the core's `templates` feature (no check, render, cliPlan, cliRun; the web page's build,
#         entry `amr-cmk-wasm/lite`), without the `url` cross-check and the packed parseKeyUri exports, with the
#         talc allocator: `web` glue into pkg-lite/
#   boundary  measurement only (`make wasm-boundary`): full plus the `boundary-bench` exports (serde-wasm-bindgen),
#         `nodejs` glue into target-wasm/pkg-boundary/ (no package has it; bench/wasm_boundary.mjs loads it)
# Each writes target-wasm/size-<variant>.json.
#
# Usage: scripts/build-wasm.sh [full] [lite]
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

# cargo_build ARGS...: the crate for wasm32 by the recorded route, ARGS added (`--no-default-features`).
cargo_build() {
  case "$ROUTE" in
    rustup)
      if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
        log "route rustup ($(rustc --version)), -Zbuild-std"
        RUSTC_BOOTSTRAP=1 cargo build -p amr-cmk-js --profile "$PROFILE" --target "$TRIPLE" \
          --target-dir "$TARGET_DIR" "${BUILD_STD[@]}" "$@"
      else
        log "route rustup ($(rustc --version)), prebuilt std (no rust-src)"
        cargo build -p amr-cmk-js --profile "$PROFILE" --target "$TRIPLE" --target-dir "$TARGET_DIR" "$@"
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
        --target-dir "$TARGET_DIR" "${BUILD_STD[@]}" "$@"
      ;;
    *)
      log "no wasm toolchain route recorded in $TARGET_DIR/route: run scripts/setup-js.sh"
      exit 1
      ;;
  esac
}

RAW="$TARGET_DIR/$TRIPLE/$PROFILE/amr_cmk_js.wasm"
# lite (the web page's build) is optimised for size: opt-level "z" (the profile's) and `wasm-opt -Oz`; full (Node,
# and browsers that read templates) for speed: opt-level 3 and `wasm-opt -O3` (set per variant below).
WASM_OPT_FLAGS=(-Oz)

# bindgen KIND DIR: wasm-bindgen glue of $RAW for KIND (web | nodejs) into DIR (replaced as a whole).
bindgen() {
  local kind="$1" dir="$2" tmp
  tmp="$(mktemp -d "$OUT/.pkg-tmp.XXXXXX")"
  "$WASM_BINDGEN" --target "$kind" --out-dir "$tmp" --no-typescript "$RAW"
  "$WASM_OPT" "${WASM_OPT_FLAGS[@]}" "$tmp/amr_cmk_js_bg.wasm" -o "$tmp/amr_cmk_js_bg.wasm.opt"
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
}

# report VARIANT DIR ENTRY: prints the sizes, writes target-wasm/size-VARIANT.json. The size budget (60 KB gzip
# -9, bench/run.py) counts the wasm and its wasm-bindgen glue (amr_cmk_js.js); the wrapper is ENTRY + api.mjs.
report() {
  local variant="$1" dir="$2" entry="$3" wasm raw gz glue_raw glue_gz wrap_raw wrap_gz
  gz9() { gzip -9nc "$1" | wc -c; }
  wasm="$dir/amr_cmk_js_bg.wasm"
  raw=$(wc -c <"$wasm") gz=$(gz9 "$wasm")
  glue_raw=$(wc -c <"$dir/amr_cmk_js.js") glue_gz=$(gz9 "$dir/amr_cmk_js.js")
  wrap_raw=$(($(wc -c <"$OUT/$entry") + $(wc -c <"$dir/api.mjs")))
  wrap_gz=$(($(gz9 "$OUT/$entry") + $(gz9 "$dir/api.mjs")))
  printf 'build-wasm: %s (%s): wasm %s B raw, %s B gzip -9; glue %s / %s; wasm + glue gzip -9 %s B; wrapper (%s, api.mjs) %s / %s (route %s; wasm before wasm-bindgen/wasm-opt %s B)\n' \
    "$variant" "${dir#"$ROOT/"}" "$raw" "$gz" "$glue_raw" "$glue_gz" "$((gz + glue_gz))" "$entry" "$wrap_raw" \
    "$wrap_gz" "$ROUTE" "$(wc -c <"$RAW")"
  printf '{"variant":"%s","route":"%s","wasm":{"raw":%s,"gzip9":%s},"glue":{"raw":%s,"gzip9":%s},"wasmPlusGlueGzip9":%s,"wrapper":{"raw":%s,"gzip9":%s}}\n' \
    "$variant" "$ROUTE" "$raw" "$gz" "$glue_raw" "$glue_gz" "$((gz + glue_gz))" "$wrap_raw" "$wrap_gz" \
    >"$TARGET_DIR/size-$variant.json"
}

variants=("$@")
[[ ${#variants[@]} -gt 0 ]] || variants=(full lite)
for variant in "${variants[@]}"; do
  case "$variant" in
    full)
      WASM_OPT_FLAGS=(-O3)
      CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=3 cargo_build
      bindgen web "$OUT/pkg-web"
      bindgen nodejs "$OUT/pkg-node"
      report full "$OUT/pkg-web" web.mjs
      ;;
    boundary)
      WASM_OPT_FLAGS=(-O3)
      CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=3 cargo_build --features boundary-bench
      bindgen nodejs "$TARGET_DIR/pkg-boundary"
      log "boundary: $(wc -c <"$TARGET_DIR/pkg-boundary/amr_cmk_js_bg.wasm") B wasm (full: see size-full.json)"
      ;;
    lite)
      WASM_OPT_FLAGS=(-Oz)
      # No `templates`, no `url-check` (the key-URI cross-check), no packed parseKeyUri exports; talc as the
      # allocator (bindings-js/Cargo.toml says what each feature is).
      cargo_build --no-default-features --features small-alloc
      # As linked, with its names: what `make web-size` shows to twiggy.
      cp "$RAW" "$TARGET_DIR/lite-raw.wasm"
      bindgen web "$OUT/pkg-lite"
      report lite "$OUT/pkg-lite" lite.mjs
      ;;
    *)
      log "unknown variant '$variant' (full, lite or boundary)"
      exit 2
      ;;
  esac
done
