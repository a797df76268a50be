# amr-cmk: `make test` runs everything CI runs; `make demo` serves the web form.
# Each mk/*.mk adds its own targets and appends to TEST_TARGETS.
SHELL := /bin/bash
PORT ?= 8080
TEST_TARGETS :=

.PHONY: help test demo bench fuzz
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

include $(sort $(wildcard mk/*.mk))

test: $(TEST_TARGETS) ## everything CI runs: lint, Rust, Python, Node (napi + wasm), browser
	@echo "make test: all passed"
