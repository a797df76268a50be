//! # amr-cmk
//!
//! Decides whether a customer-managed-key (CMK) disk-encryption setup for Azure Managed Redis
//! (`Microsoft.Cache/redisEnterprise`) will work, and says exactly why not and how to fix it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod coverage;
pub mod error;
pub mod identity;
pub mod input;
pub mod json_api;
pub mod key_uri;

pub use coverage::{coverage, coverage_matrix, tier_for_sku, Coverage, SkuInfo, Tier};
pub use error::{error_codes, Error, IdentityIdError, InputError, KeyUriError, SkuError};
pub use identity::{parse_identity_id, IdentityId};
pub use key_uri::{key_from_parts, parse_key_uri, Cloud, KeyId, VaultKind};

/// The version of this crate (and of every binding built from it).
#[must_use]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Every rule code (stub until the rules land).
#[must_use]
pub fn rule_codes() -> Vec<&'static str> {
    Vec::new()
}

/// Rule metadata (stub until the rules land).
#[must_use]
pub fn rules() -> Vec<&'static str> {
    Vec::new()
}

/// Validates a configuration given as JSON text (stub until the rules land).
///
/// # Errors
/// `input.*` when the document is unusable.
pub fn validate_json(text: &str) -> Result<serde_json::Value, Error> {
    input::check_document(text)?;
    serde_json::from_str::<serde_json::Value>(text).map_err(|e| {
        Error::from(InputError::InvalidJson {
            detail: e.to_string(),
        })
    })
}
