# Benchmarks (not part of `make test`): Rust criterion, Python and Node against the Azure SDK parsers on the
# shared mix bench/inputs.json, sizes, RSS; figures in bench/results.json and bench/results.md (git-ignored).
# The peers are bench-only dev dependencies: azure-keyvault-keys in the project .venv, @azure/keyvault-keys in
# bench/node_modules (bench/package.json + package-lock.json).
BENCH_PY_STAMP := $(PY_VENV)/.amr-cmk-bench-deps
BENCH_NPM_STAMP := bench/node_modules/.amr-cmk-bench-deps

.PHONY: bench bench-deps bench-inputs bench-profile

bench: bench-deps build-py build-napi build-wasm $(WEB_SITE_STAMP) ## benchmarks vs the Azure SDK parsers (Rust, Python, Node napi + wasm), sizes, RSS
	$(PY) bench/run.py

bench-deps: $(BENCH_PY_STAMP) $(BENCH_NPM_STAMP)

$(BENCH_PY_STAMP): $(PY_DEPS_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check "azure-keyvault-keys==4.11.3"
	touch $@

$(BENCH_NPM_STAMP): bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund
	touch $@

bench-inputs: ## rewrite bench/inputs.json from its generator (fixed seed: same bytes)
	$(PYTHON) bench/gen_inputs.py

# Instruction counts (stable on a noisy machine): WHAT is parse, parse:<category>, validate or json_validate.
WHAT ?= parse
bench-profile: ## callgrind instruction counts of one core workload (WHAT=parse|parse:invalid|validate|json_validate)
	cargo bench -p amr-cmk --bench profile --no-run
	valgrind --tool=callgrind --callgrind-out-file=target/callgrind.out \
		$$(ls -t target/release/deps/profile-* | grep -v '\.d$$' | head -1) $(WHAT) 100
	callgrind_annotate target/callgrind.out | head -40

# The fleet benchmarks only (issue 15): tenants of 1,000 and 10,000 caches from bench/gen_fleet.py (same N, same
# bytes), criterion `fleet/check/*`, peak memory of one check (/usr/bin/time -v on the check_file example), and
# both CLIs on the 10,000-cache file. Figures: BENCHMARKS.md, "Fleet".
FLEET_DIR := target/fleet
FLEET_SIZES := 1000 10000

.PHONY: bench-fleet
bench-fleet: build-py build-napi ## fleet benchmarks only: check of 1,000 / 10,000 caches (Rust, memory, both CLIs)
	mkdir -p $(FLEET_DIR)
	for n in $(FLEET_SIZES); do $(PYTHON) bench/gen_fleet.py $$n --out $(FLEET_DIR)/fleet-$$n.json; done
	cargo bench -p amr-cmk --bench core -- fleet
	cargo build --release -p amr-cmk --example check_file
	for n in $(FLEET_SIZES); do ls -l $(FLEET_DIR)/fleet-$$n.json; \
		/usr/bin/time -f "fleet-$$n: %e s, peak RSS %M KB" target/release/examples/check_file $(FLEET_DIR)/fleet-$$n.json none; done
	for cli in "$(PY) -m amr_cmk" "node bindings-js/bin/amr-cmk.js"; do \
		/usr/bin/time -f "$$cli fleet-10000: %e s, peak RSS %M KB" $$cli check --now 2026-11-27T00:00:00Z \
			$(FLEET_DIR)/fleet-10000.json > /dev/null || test $$? = 1; done
