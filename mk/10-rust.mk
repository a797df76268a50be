# Rust: formatting, lints, core tests with the conformance vectors, doc build.
TEST_TARGETS += test-rust

.PHONY: test-rust lint-rust
lint-rust: ## cargo fmt --check and clippy -D warnings on the core (default features, and without `templates`)
	cargo fmt --all --check
	cargo clippy -p amr-cmk --all-targets -- -D warnings
	cargo clippy -p amr-cmk --no-default-features -- -D warnings

test-rust: lint-rust ## core unit tests, conformance vectors, doctests, docs
	cargo test -p amr-cmk
	cargo test -q -p amr-cmk --no-default-features --lib json_api
	cargo run -q -p amr-cmk --example validate > /dev/null
	RUSTDOCFLAGS="-D warnings" cargo doc -p amr-cmk --no-deps
