# Both command lines on every fixture and on broken files: identical bytes and exit codes.
TEST_TARGETS += test-cli

.PHONY: test-cli
test-cli: build-py build-napi ## python -m amr_cmk and npx amr-cmk give identical output on every fixture
	.venv/bin/python -m pytest -q tests/cli
