# Node tests outside the bindings' own suite: the differential test against @azure/keyvault-keys and the
# worker_threads concurrency test, both on the napi addon and the wasm build.
TEST_TARGETS += test-node-extra

DIFF_DIR := tests/differential
DIFF_STAMP := $(DIFF_DIR)/node_modules/.amr-cmk-setup

$(DIFF_STAMP): $(DIFF_DIR)/package.json $(DIFF_DIR)/package-lock.json
	cd $(DIFF_DIR) && npm ci --no-fund --no-audit --loglevel=error
	touch $@

.PHONY: test-node-extra
test-node-extra: build-napi build-wasm $(DIFF_STAMP) ## differential test vs @azure/keyvault-keys; worker_threads
	node --test $(DIFF_DIR)/differential.test.mjs tests/concurrency/workers.test.mjs
