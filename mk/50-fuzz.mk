# Fuzzing (not part of `make test`): `make fuzz` runs each target FUZZ_SECONDS (default 600) seconds.
.PHONY: fuzz
fuzz: ## run every cargo-fuzz target for FUZZ_SECONDS seconds each (default 600)
	scripts/fuzz.sh
