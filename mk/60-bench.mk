# Benchmarks (not part of `make test`): Rust criterion, Python and Node against the Azure SDK parsers on the
# shared mix bench/inputs.json, sizes, RSS; figures in bench/results.json and bench/results.md (git-ignored).
# The peers are bench-only dev dependencies: azure-keyvault-keys in the project .venv, @azure/keyvault-keys in
# bench/node_modules (bench/package.json + package-lock.json).
BENCH_PY_STAMP := $(PY_VENV)/.amr-cmk-bench-deps
BENCH_NPM_STAMP := bench/node_modules/.amr-cmk-bench-deps

.PHONY: bench bench-deps bench-inputs bench-profile

bench: bench-deps build-py build-napi build-wasm ## benchmarks vs the Azure SDK parsers (Rust, Python, Node napi + wasm), sizes, RSS
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
