# Packages users install (issue 18): `make dist` writes dist/ (wheel, sdist, npm tarballs, SHA256SUMS);
# `make test-dist` installs them in a temp dir as a user would. Last in `make test`: after the builds.
# The release workflow (.github/workflows/release.yml) runs `make dist` for Linux x86_64.
TEST_TARGETS += test-meta test-dist

.PHONY: dist test-dist test-meta

dist: build-napi build-wasm $(PY_DEPS_STAMP) ## dist/: abi3 wheel, sdist, npm amr-cmk (+ linux-x64-gnu addon) and amr-cmk-wasm tarballs, SHA256SUMS
	scripts/dist.sh

test-dist: dist ## install dist/ in a fresh venv and an empty npm project (no Rust on PATH) and smoke-test it; twine check; npm publish --dry-run (TEST_SDIST=1: also build the sdist)
	TEST_SDIST=$(TEST_SDIST) scripts/test-dist.sh

test-meta: $(PY_DEPS_STAMP) ## one version everywhere, LICENSE copies, CHANGELOG in step, release workflow targets
	$(PY) -m pytest -q tests/meta
