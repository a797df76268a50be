# JavaScript: npm `amr-cmk` (Node-API addon) and npm `amr-cmk-wasm` (WebAssembly), one crate in bindings-js/.
# `make setup-js build-napi build-wasm test-js`; second runs skip what is done (file targets, stamps).
TEST_TARGETS += test-js

JS_DIR := bindings-js
JS_WASM_DIR := $(JS_DIR)/wasm
JS_NPM_STAMP := $(JS_DIR)/node_modules/.amr-cmk-setup
JS_RUST_SRCS := Cargo.toml core/Cargo.toml $(JS_DIR)/Cargo.toml $(JS_DIR)/build.rs \
	$(shell find core/src $(JS_DIR)/src -name '*.rs' 2>/dev/null)
JS_NAPI_OUT := $(JS_DIR)/binding.js
JS_WASM_OUT := $(JS_WASM_DIR)/pkg-web/amr_cmk_js_bg.wasm
# The lite build (no `templates` feature: no check/render/cliPlan/cliRun), entry amr-cmk-wasm/lite: the web page's.
JS_WASM_LITE_OUT := $(JS_WASM_DIR)/pkg-lite/amr_cmk_js_bg.wasm
JS_TESTS := test/conformance.test.mjs test/api.test.mjs test/garbage.test.mjs test/random-garbage.test.mjs \
	test/safe.test.mjs test/standard-schema.test.mjs
# Package-name links so tests, type checks and the example import `amr-cmk` / `amr-cmk-wasm` as users do.
JS_LINKS := $(JS_DIR)/test/node_modules/amr-cmk $(JS_DIR)/test/node_modules/amr-cmk-wasm \
	examples/node/node_modules/amr-cmk examples/node/node_modules/amr-cmk-wasm

.PHONY: setup-js build-napi build-wasm test-js lint-js

setup-js: ## JS toolchain: npm deps, wasm-bindgen CLI, wasm32 route (rustup target, else Debian rustc-web)
	scripts/setup-js.sh

$(JS_NPM_STAMP): $(JS_DIR)/package.json $(JS_DIR)/package-lock.json
	scripts/setup-js.sh npm

$(JS_DIR)/js/api.cjs: $(JS_DIR)/js/api.mjs scripts/gen-cjs.mjs
	node scripts/gen-cjs.mjs $< $@

# The core's function table (amr_cmk::json_api::TABLE) as JSON, and the entry files of both packages written
# from it (all git-ignored; wasm/index.d.ts is a copy of index.d.ts). The script rewrites only the files whose
# text changes; `touch` tells make they are current.
JS_TABLE := $(JS_DIR)/js/functions.json
JS_ENTRIES := $(addprefix $(JS_DIR)/,index.js index.mjs wasm/node.js wasm/node.mjs wasm/web.mjs wasm/lite.mjs \
	wasm/index.d.ts wasm/web.d.mts wasm/lite.d.mts)

$(JS_TABLE): core/src/json_api.rs core/examples/function_table.rs core/Cargo.toml
	cargo run -q -p amr-cmk --example function_table > $@.tmp && mv $@.tmp $@

$(JS_ENTRIES) &: $(JS_TABLE) scripts/gen-js-entries.mjs $(JS_DIR)/index.d.ts $(JS_DIR)/js/api.mjs
	node scripts/gen-js-entries.mjs $(JS_TABLE)
	touch $(JS_ENTRIES)

build-napi: $(JS_NAPI_OUT) $(JS_DIR)/js/api.cjs $(JS_ENTRIES) ## the Node-API addon (npm amr-cmk, bindings-js/)

$(JS_NAPI_OUT): $(JS_RUST_SRCS) $(JS_DIR)/package.json $(JS_NPM_STAMP) | setup-js
	cd $(JS_DIR) && node_modules/.bin/napi build --platform --release --js binding.js --dts binding.d.ts

build-wasm: $(JS_WASM_OUT) $(JS_WASM_LITE_OUT) $(JS_ENTRIES) ## the WebAssembly package (npm amr-cmk-wasm, bindings-js/wasm/pkg-{web,node,lite})
	@echo "build-wasm: full $$(cat target-wasm/size-full.json)"
	@echo "build-wasm: lite $$(cat target-wasm/size-lite.json)"

# target-wasm/route: the toolchain route setup-js picked (rewritten only when it changes). The entry files are
# there before (the size report counts web.mjs / lite.mjs).
JS_WASM_DEPS := $(JS_RUST_SRCS) $(JS_DIR)/js/api.mjs scripts/build-wasm.sh scripts/gen-cjs.mjs \
	$(JS_NPM_STAMP) target-wasm/route
$(JS_WASM_OUT): $(JS_WASM_DEPS) | setup-js $(JS_ENTRIES)
	scripts/build-wasm.sh full
$(JS_WASM_LITE_OUT): $(JS_WASM_DEPS) | setup-js $(JS_ENTRIES)
	scripts/build-wasm.sh lite
target-wasm/route: | setup-js ;

$(JS_DIR)/test/node_modules/amr-cmk:
	mkdir -p $(@D) && ln -sfn ../.. $@
$(JS_DIR)/test/node_modules/amr-cmk-wasm:
	mkdir -p $(@D) && ln -sfn ../../wasm $@
examples/node/node_modules/amr-cmk:
	mkdir -p $(@D) && ln -sfn ../../../$(JS_DIR) $@
examples/node/node_modules/amr-cmk-wasm:
	mkdir -p $(@D) && ln -sfn ../../../$(JS_WASM_DIR) $@

lint-js: ## rustfmt + clippy -D warnings on amr-cmk-js, native and (rustup route) wasm32
	cargo fmt -p amr-cmk-js --check
	cargo clippy -p amr-cmk-js --all-targets --no-deps -- -D warnings
	@if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then \
		echo "cargo clippy -p amr-cmk-js --no-deps --target wasm32-unknown-unknown -- -D warnings"; \
		cargo clippy -p amr-cmk-js --no-deps --target wasm32-unknown-unknown --target-dir target-wasm-lint -- -D warnings; \
	else echo "lint-js: no rustup wasm32 target here, wasm32 clippy skipped"; fi

test-js: build-napi build-wasm lint-js $(JS_LINKS) ## same node --test suite on napi, wasm (nodejs) and wasm (web glue); the lite entry; tsc; example
	@status=0; for t in napi wasm wasm-web; do \
		echo "cd $(JS_DIR) && AMR_CMK_TARGET=$$t node --test $(JS_TESTS)"; \
		(cd $(JS_DIR) && AMR_CMK_TARGET=$$t node --test $(JS_TESTS)) || { status=1; echo "test-js: FAILED on $$t"; }; \
	done; exit $$status
	cd $(JS_DIR) && node --test test/lite.test.mjs
	$(JS_DIR)/node_modules/.bin/tsc -p $(JS_DIR)/test/types
	node examples/node/check-key.mjs
	AMR_CMK_PACKAGE=amr-cmk-wasm node examples/node/check-key.mjs >/dev/null
	@echo "test-js: all passed"

.PHONY: wasm-boundary
wasm-boundary: $(JS_NPM_STAMP) | setup-js ## measure JSON text vs serde-wasm-bindgen values across the wasm boundary (bench/wasm_boundary.mjs)
	scripts/build-wasm.sh boundary
	node bench/wasm_boundary.mjs target-wasm/pkg-boundary/amr_cmk_js.js
