# Web form demo (examples/web): the portal's "Customer-managed key encryption at rest" section, validated in
# the browser by amr-cmk-wasm. `make demo` serves it; `make test-web` drives it in headless Chromium.
TEST_TARGETS += test-web

WEB_DIR := examples/web
WEB_TEST_DIR := $(WEB_DIR)/test
# The npm package amr-cmk-wasm (web.mjs + pkg-web/), built by `make build-wasm` (mk/20-js.mk), served at /pkg/.
WEB_PKG := bindings-js/wasm
WEB_PLAYWRIGHT := $(WEB_TEST_DIR)/node_modules/playwright-core/package.json
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: test-web web-size setup-web

demo: build-wasm ## serve the web form on http://127.0.0.1:$(PORT)/ (make demo PORT=9000; Ctrl+C stops it)
	@echo "demo: serving the amr-cmk web form (examples/web) with amr-cmk-wasm from $(WEB_PKG)"
	python3 $(WEB_DIR)/serve.py --host 127.0.0.1 --port $(PORT) --pkg $(WEB_PKG)

setup-web: $(WEB_PLAYWRIGHT) $(CHROMIUM) ## browser-test tools: npm playwright-core, Debian chromium (never `playwright install`)

$(WEB_PLAYWRIGHT): $(WEB_TEST_DIR)/package.json $(WEB_TEST_DIR)/package-lock.json
	cd $(WEB_TEST_DIR) && npm ci --no-fund --no-audit --loglevel=error
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium

test-web: build-wasm setup-web ## browser tests of the web form (typing, findings, a11y, keyboard, all conformance vectors in the page)
	cd $(WEB_TEST_DIR) && WEB_PKG=$(abspath $(WEB_PKG)) CHROMIUM=$(CHROMIUM) TEST_OUTPUT=$(abspath test-output) \
		node --test --test-concurrency=1 web.test.mjs
	python3 $(WEB_DIR)/size.py --pkg $(WEB_PKG)

# twiggy (code size profiler), installed once into target-tools/ by this target only.
TWIGGY := target-tools/bin/twiggy
TWIGGY_VERSION := 0.8.0
$(TWIGGY):
	cargo install twiggy --version $(TWIGGY_VERSION) --root target-tools

web-size: build-wasm $(TWIGGY) ## the page's transfer size (HTML + JS + CSS + wasm, gzip -9 each, summed) and twiggy's view of what is left in lite
	python3 $(WEB_DIR)/size.py --pkg $(WEB_PKG)
	python3 $(WEB_DIR)/twiggy_crates.py $(TWIGGY) target-wasm/lite-raw.wasm
