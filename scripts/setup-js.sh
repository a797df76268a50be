#!/usr/bin/env bash
# Installs what the JS bindings need, idempotently, on a machine that has rustup stable, node 20 + npm and apt.
#
#   scripts/setup-js.sh [npm] [wasm-bindgen] [wasm-toolchain]     (no argument: all three)
#
# npm            `npm ci` in bindings-js (binaryen's wasm-opt, @napi-rs/cli, typescript), skipped while
#                node_modules is newer than package.json and package-lock.json.
# wasm-bindgen   wasm-bindgen-cli at the exact version bindings-js/Cargo.toml pins, skipped if that version is
#                on PATH or already in target-tools/bin (installed there, without --locked: see toolchain facts).
# wasm-toolchain picks how wasm32 gets built and records it in target-wasm/route:
#                route `rustup`: `rustup target add wasm32-unknown-unknown` (+ rust-src for -Zbuild-std);
#                route `debian`: `apt-get install rustc-web cargo-web rust-web-src lld-22` when rustup cannot
#                download the target. Checked every run (cheap when the recorded route still works).
#                AMR_CMK_WASM_ROUTE=rustup|debian forces a route.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JS="$ROOT/bindings-js"
TOOLS="$ROOT/target-tools"
ROUTE_FILE="$ROOT/target-wasm/route"
RUSTUP_TIMEOUT="${RUSTUP_TIMEOUT:-120}"

log() { printf 'setup-js: %s\n' "$*" >&2; }

wasm_bindgen_version() {
  sed -nE 's/^wasm-bindgen = "=([0-9.]+)"$/\1/p' "$JS/Cargo.toml"
}

setup_npm() {
  local stamp="$JS/node_modules/.amr-cmk-setup"
  if [[ -f "$stamp" && "$stamp" -nt "$JS/package.json" && "$stamp" -nt "$JS/package-lock.json" ]]; then
    log "npm: node_modules up to date"
    return
  fi
  log "npm: npm ci in bindings-js"
  (cd "$JS" && npm ci --no-fund --no-audit --loglevel=error)
  touch "$stamp"
}

setup_wasm_bindgen() {
  local want have
  want="$(wasm_bindgen_version)"
  [[ -n "$want" ]] || { log "cannot read the wasm-bindgen pin from bindings-js/Cargo.toml"; exit 1; }
  for bin in "$(command -v wasm-bindgen || true)" "$TOOLS/bin/wasm-bindgen"; do
    [[ -n "$bin" && -x "$bin" ]] || continue
    have="$("$bin" --version 2>/dev/null | awk '{print $2}')"
    if [[ "$have" == "$want" ]]; then
      log "wasm-bindgen: $want present ($bin)"
      return
    fi
  done
  log "wasm-bindgen: cargo install wasm-bindgen-cli $want into target-tools (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$want" --root "$TOOLS"
}

rustup_route_ready() {
  command -v rustup >/dev/null 2>&1 || return 1
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

rustup_has_rust_src() {
  rustup component list --installed 2>/dev/null | grep -q '^rust-src'
}

debian_route_ready() {
  [[ -x /usr/bin/rustc && -x /usr/bin/cargo ]] || return 1
  /usr/bin/rustc --print sysroot >/dev/null 2>&1 || return 1
  [[ -d "$(/usr/bin/rustc --print sysroot)/lib/rustlib/src/rust/library" ]] || return 1
  command -v wasm-ld-22 >/dev/null 2>&1 || command -v rust-lld >/dev/null 2>&1 || [[ -x /usr/bin/wasm-ld-22 ]]
}

try_rustup_route() {
  command -v rustup >/dev/null 2>&1 || return 1
  log "wasm-toolchain: trying rustup target add wasm32-unknown-unknown (timeout ${RUSTUP_TIMEOUT}s)"
  timeout "$RUSTUP_TIMEOUT" rustup target add wasm32-unknown-unknown >&2 || return 1
  # rust-src lets the build use -Zbuild-std (smaller module); without it the build still works.
  if ! rustup_has_rust_src; then
    timeout "$RUSTUP_TIMEOUT" rustup component add rust-src >&2 || log "wasm-toolchain: no rust-src (the wasm will be larger)"
  fi
  rustup_route_ready
}

install_debian_route() {
  local pkgs=(rustc-web cargo-web rust-web-src lld-22)
  log "wasm-toolchain: apt-get install ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${pkgs[@]}" >&2; then
    apt-get update >&2
    apt-get install -y --no-install-recommends "${pkgs[@]}" >&2
  fi
  debian_route_ready
}

record_route() {
  mkdir -p "$(dirname "$ROUTE_FILE")"
  if [[ ! -f "$ROUTE_FILE" || "$(cat "$ROUTE_FILE")" != "$1" ]]; then
    echo "$1" >"$ROUTE_FILE"
  fi
  log "wasm-toolchain: route $1"
}

setup_wasm_toolchain() {
  local forced="${AMR_CMK_WASM_ROUTE:-}" recorded=""
  [[ -f "$ROUTE_FILE" ]] && recorded="$(cat "$ROUTE_FILE")"
  case "$forced" in
    rustup)
      rustup_route_ready || try_rustup_route || { log "rustup route forced but unavailable"; exit 1; }
      record_route rustup; return ;;
    debian)
      debian_route_ready || install_debian_route
      record_route debian; return ;;
    "") ;;
    *) log "AMR_CMK_WASM_ROUTE must be rustup or debian, not '$forced'"; exit 1 ;;
  esac
  # The recorded route, if it still works (no network needed).
  if [[ "$recorded" == rustup ]] && rustup_route_ready; then record_route rustup; return; fi
  if [[ "$recorded" == debian ]] && debian_route_ready; then record_route debian; return; fi
  # Detect: rustup first (seconds when its server is reachable), then Debian's packages.
  if rustup_route_ready || try_rustup_route; then record_route rustup; return; fi
  log "wasm-toolchain: rustup cannot provide wasm32-unknown-unknown here; using Debian's rustc-web"
  install_debian_route
  record_route debian
}

steps=("$@")
[[ ${#steps[@]} -gt 0 ]] || steps=(npm wasm-bindgen wasm-toolchain)
for step in "${steps[@]}"; do
  case "$step" in
    npm) setup_npm ;;
    wasm-bindgen) setup_wasm_bindgen ;;
    wasm-toolchain) setup_wasm_toolchain ;;
    *) log "unknown step '$step' (npm, wasm-bindgen, wasm-toolchain)"; exit 2 ;;
  esac
done
