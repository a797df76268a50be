# Python binding (bindings-py/): a project-local .venv, maturin build, pytest (conformance vectors + API),
# mypy (strict) and stubtest on the package, the example. Each step is skipped when its inputs are unchanged.
TEST_TARGETS += test-py

PYTHON ?= python3
PY_VENV := .venv
PY := $(PY_VENV)/bin/python
PY_DEPS_STAMP := $(PY_VENV)/.amr-cmk-deps
PY_BUILD_STAMP := $(PY_VENV)/.amr-cmk-build
PY_NATIVE_SOURCES := $(shell find core/src bindings-py/src -name '*.rs') \
	Cargo.toml Cargo.lock core/Cargo.toml bindings-py/Cargo.toml bindings-py/pyproject.toml
# maturin and clippy both build pyo3 for the venv's interpreter, so neither invalidates the other's build.
PY_CARGO_ENV := PYO3_PYTHON=$(abspath $(PY)) VIRTUAL_ENV=$(abspath $(PY_VENV))

.PHONY: setup-py build-py test-py lint-py
setup-py: $(PY_DEPS_STAMP) ## Python: create .venv and install maturin, pytest, mypy (once)

$(PY):
	$(PYTHON) -m venv $(PY_VENV)

$(PY_DEPS_STAMP): bindings-py/requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r bindings-py/requirements-dev.txt
	touch $@

build-py: $(PY_BUILD_STAMP) ## Python: build the extension (release) into .venv with maturin develop

# The stamp is redone when a source changes or the installed extension is gone.
ifeq ($(wildcard bindings-py/python/amr_cmk/_native*.so),)
.PHONY: $(PY_BUILD_STAMP)
endif
$(PY_BUILD_STAMP): $(PY_DEPS_STAMP) $(PY_NATIVE_SOURCES)
	$(PY_CARGO_ENV) $(PY_VENV)/bin/maturin develop --release --quiet -m bindings-py/Cargo.toml
	touch $@

lint-py: $(PY_BUILD_STAMP) ## Python: clippy on the PyO3 crate, mypy --strict on the package, tests and example
	$(PY_CARGO_ENV) cargo clippy -p amr-cmk-py -- -D warnings
	cd bindings-py && ../$(PY) -m mypy python/amr_cmk tests-py ../examples/python

test-py: lint-py ## Python: pytest (conformance vectors, API, garbage, threads), stubtest, example
	cd bindings-py && ../$(PY) -m pytest -q tests-py
	$(PY) -m mypy.stubtest amr_cmk
	$(PY) examples/python/check_key.py > /dev/null
