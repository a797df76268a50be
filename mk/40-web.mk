# Web form demo (examples/web): the portal's "Customer-managed key encryption at rest" section, validated in
# the browser by amr-cmk-wasm. `make demo` serves it; `make test-web` drives it in headless Chromium.
TEST_TARGETS += test-web

WEB_DIR := examples/web
WEB_TEST_DIR := $(WEB_DIR)/test
# The npm package amr-cmk-wasm (web.mjs + pkg-web/), built by `make build-wasm` (mk/20-js.mk), served at /pkg/.
WEB_PKG := bindings-js/wasm
# npm tools of the page (examples/web/test/package.json): playwright-core, and esbuild for the served page.
WEB_NPM_STAMP := $(WEB_TEST_DIR)/node_modules/.amr-cmk-setup
# The page as a site serves it (examples/web/build.mjs: JS and CSS minified, the package at pkg/): what
# `make demo` serves, `make test-web` drives and `make web-size` measures. The sources are served as they are by
# `python3 examples/web/serve.py`, and scripts/test-dist.sh drives them with the installed npm package.
WEB_SITE := target-web/page
WEB_SITE_STAMP := $(WEB_SITE)/.built
WEB_SITE_ARGS := --root $(WEB_SITE) --pkg $(WEB_SITE)/pkg
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: test-web web-size setup-web

demo: $(WEB_SITE_STAMP) ## serve the web form on http://127.0.0.1:$(PORT)/ (make demo PORT=9000; Ctrl+C stops it)
	@echo "demo: serving the amr-cmk web form (examples/web, minified into $(WEB_SITE)) with amr-cmk-wasm from $(WEB_PKG)"
	python3 $(WEB_DIR)/serve.py --host 127.0.0.1 --port $(PORT) $(WEB_SITE_ARGS)

setup-web: $(WEB_NPM_STAMP) $(CHROMIUM) ## browser-test tools: npm playwright-core and esbuild, Debian chromium (never `playwright install`)

$(WEB_NPM_STAMP): $(WEB_TEST_DIR)/package.json $(WEB_TEST_DIR)/package-lock.json
	cd $(WEB_TEST_DIR) && npm ci --no-fund --no-audit --loglevel=error
	touch $@

$(WEB_SITE_STAMP): $(JS_WASM_OUT) $(JS_WASM_LITE_OUT) $(JS_ENTRIES) $(WEB_NPM_STAMP) $(WEB_DIR)/build.mjs \
		$(addprefix $(WEB_DIR)/,index.html style.css app.js worker.mjs)
	node $(WEB_DIR)/build.mjs $(WEB_SITE) $(WEB_PKG)
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium

test-web: $(WEB_SITE_STAMP) setup-web ## browser tests of the web form as served (minified; typing, findings, a11y, keyboard, all conformance vectors in the page)
	cd $(WEB_TEST_DIR) && WEB_ROOT=$(abspath $(WEB_SITE)) WEB_PKG=$(abspath $(WEB_SITE)/pkg) CHROMIUM=$(CHROMIUM) \
		TEST_OUTPUT=$(abspath test-output) node --test --test-concurrency=1 web.test.mjs
	python3 $(WEB_DIR)/size.py $(WEB_SITE_ARGS)

# twiggy (code size profiler), installed once into target-tools/ by this target only.
TWIGGY := target-tools/bin/twiggy
TWIGGY_VERSION := 0.8.0
$(TWIGGY):
	cargo install twiggy --version $(TWIGGY_VERSION) --root target-tools

web-size: $(WEB_SITE_STAMP) $(TWIGGY) ## the page's transfer size as served (HTML + minified JS and CSS + wasm, gzip -9 each, summed) and twiggy's view of what is left in lite
	python3 $(WEB_DIR)/size.py $(WEB_SITE_ARGS)
	python3 $(WEB_DIR)/twiggy_crates.py $(TWIGGY) target-wasm/lite-raw.wasm
