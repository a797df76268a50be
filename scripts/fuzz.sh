#!/usr/bin/env bash
# Runs every cargo-fuzz target for FUZZ_SECONDS each (default 600). Installs cargo-fuzz and nightly if missing.
# New corpus entries go to target/fuzz-corpus/ (not committed); the seed corpus is fuzz/corpus/.
# A crash stops the run and leaves the input under fuzz/artifacts/: turn it into a conformance vector.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-600}"
targets="${FUZZ_TARGETS:-key_uri identity_id validate json_api check}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
for t in $targets; do
  mkdir -p "target/fuzz-corpus/$t"
  echo "== fuzz $t for ${seconds}s"
  (cd fuzz && cargo +nightly fuzz run "$t" "../target/fuzz-corpus/$t" "corpus/$t" -- \
      -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 2>&1 | tail -n 12)
done
echo "fuzz: no crash in ${targets} (${seconds}s each)"
