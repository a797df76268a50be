//! # amr-cmk
//!
//! Decides whether a customer-managed-key (CMK) disk-encryption setup for Azure Managed Redis
//! (`Microsoft.Cache/redisEnterprise`) will work, and says exactly why not and how to fix it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// No panic path on any input: a panic in wasm kills the module for the whole page.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::exit,
        clippy::dbg_macro
    )
)]

#[cfg(feature = "templates")]
pub mod adapters;
#[cfg(feature = "templates")]
pub mod cli;
pub mod coverage;
pub mod error;
pub mod fix;
pub mod identity;
pub mod input;
pub mod json_api;
mod json_read;
mod json_text;
pub mod key_uri;
pub mod location;
pub mod model;
pub mod patch;
pub mod plan;
pub mod pointer;
mod reader;
#[cfg(feature = "templates")]
pub mod render;
pub mod report;
pub mod roles;
pub mod rules;
pub mod shell;
pub mod time;

pub use coverage::{coverage, coverage_matrix, tier_for_sku, Coverage, SkuInfo, Tier};
pub use error::{error_codes, Error, IdentityIdError, InputError, KeyUriError, SkuError};
pub use identity::{parse_identity_id, IdentityId};
pub use key_uri::{key_from_parts, parse_key_uri, Cloud, KeyId, KeySpans, VaultKind};
pub use model::Config;
pub use report::{Check, Finding, Outcome, Param, Params, Report, Severity, Summary};
pub use rules::catalogue::{self, rule_codes, rules, Rule};
pub use rules::validate;
pub use rules::RuleCode;

/// The version of this crate (and of every binding built from it).
#[must_use]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Validates a configuration given as JSON text: limits, strict model reading, then every rule.
///
/// # Errors
/// `input.*` when the document is unusable (invalid JSON, too large or deep, unknown field, wrong type).
pub fn validate_json(text: &str) -> Result<Report, Error> {
    Ok(validate(&Config::from_json(text)?))
}

/// The migration plan for a configuration given as JSON text (see [`plan::plan`]).
///
/// # Errors
/// `input.*` when the document is unusable.
pub fn plan_json(text: &str) -> Result<plan::Plan, Error> {
    let cfg = Config::from_json(text)?;
    let report = validate(&cfg);
    Ok(plan::plan(&cfg, &report))
}

/// Validates a configuration given as a JSON value.
///
/// # Errors
/// `input.*` when the value does not fit the model.
pub fn validate_value(value: &serde_json::Value) -> Result<Report, Error> {
    Ok(validate(&Config::from_value(value)?))
}

/// The README's Rust example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
