//! The rule catalogue: every check with its stable code, severity, title and documentation link
//! (`shared/spec/rules.md`). Codes are public API: never renamed, never reused.

use serde::Serialize;

use crate::error::KeyUriError;
use crate::report::Severity;

const DOC: &str = "https://learn.microsoft.com/azure/redis/how-to-encryption";
const DOC_SCOPE: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#scope-of-availability-for-cmk-disk-encryption";
const DOC_COVERAGE: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#encryption-coverage";
const DOC_GENERAL: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#general-prerequisites-and-limitations";
const DOC_KV: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#azure-key-vault-prerequisites-and-limitations";
const DOC_HOWTO: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#how-to-configure-cmk-encryption-in-azure-managed-redis";
/// Key Vault object identifiers.
pub(crate) const DOC_KV_IDS: &str =
    "https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers";
const DOC_RBAC: &str = "https://learn.microsoft.com/azure/key-vault/general/rbac-guide";
const DOC_FIREWALL: &str =
    "https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints";
const DOC_ARM_EXPRESSIONS: &str =
    "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions";
/// The check `check` adds when a template expression (or a Terraform value known only after apply) cannot be
/// evaluated: the checks that need the value are inconclusive.
pub const TEMPLATE_EXPRESSION_UNRESOLVED: &str = "template.expression_unresolved";
const DOC_HSM: &str = "https://learn.microsoft.com/azure/key-vault/managed-hsm/overview";

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Stable code, e.g. `vault.purge_protection_disabled`.
    pub code: &'static str,
    /// The check this code reports under (its own code, or `key_uri.syntax` for the key-URI grammar codes).
    pub check: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// One line saying what the rule requires.
    pub title: &'static str,
    /// Documentation link.
    pub doc_url: &'static str,
}

const fn rule(
    code: &'static str,
    severity: Severity,
    title: &'static str,
    doc_url: &'static str,
) -> Rule {
    Rule {
        code,
        check: code,
        severity,
        title,
        doc_url,
    }
}

use Severity::{Error as E, Info as I, Warning as W};

/// The check that groups the key-URI grammar codes (`key_uri.empty` … `key_uri.percent_encoded`).
pub const KEY_URI_SYNTAX: &str = "key_uri.syntax";

/// Every check, in report order. The key-URI grammar check stands for all the `key_uri.*` grammar codes.
pub const CHECKS: &[Rule] = &[
    rule(
        "sku.unknown",
        E,
        "The SKU is an Azure Managed Redis SKU",
        DOC_SCOPE,
    ),
    rule(
        "sku.retired",
        E,
        "The SKU is not a retired Azure Cache for Redis Enterprise SKU",
        DOC_SCOPE,
    ),
    rule(
        "coverage.flash_nvme_mmk_only",
        I,
        "Flash Optimized: keys and values on the NVMe disk stay Microsoft-managed",
        DOC_COVERAGE,
    ),
    rule(
        "coverage.export_storage_account",
        I,
        "Exported files are encrypted by the storage account's settings",
        DOC_COVERAGE,
    ),
    rule(
        "encryption.microsoft_managed",
        I,
        "Without a customer-managed key, Microsoft-managed keys encrypt the disks",
        DOC,
    ),
    rule(
        "encryption.cmk_incomplete",
        E,
        "A customer-managed key setup names a key",
        DOC_HOWTO,
    ),
    rule(
        "key_input.incomplete",
        E,
        "The \"select vault and key\" method names a vault, a key and a version",
        DOC_HOWTO,
    ),
    rule(
        "key_input.conflict",
        E,
        "A key URI and a vault/key selection given together name the same key",
        DOC_HOWTO,
    ),
    rule(
        KEY_URI_SYNTAX,
        E,
        "The key identifier is a well-formed Azure Key Vault key URI",
        DOC_KV_IDS,
    ),
    rule(
        "key_uri.version_missing",
        E,
        "The key URL is versioned",
        DOC_HOWTO,
    ),
    rule(
        "key_uri.managed_hsm",
        W,
        "Managed HSM keys are used in practice but not named on the page",
        DOC_HSM,
    ),
    rule(
        "key_uri.cloud_mismatch",
        E,
        "The key is in the same Azure cloud as the cache",
        DOC_KV_IDS,
    ),
    rule(
        "identity.missing",
        E,
        "A key-encryption identity is set",
        DOC_GENERAL,
    ),
    rule(
        "identity.system_assigned",
        E,
        "The key-encryption identity is user-assigned",
        DOC_GENERAL,
    ),
    rule(
        "identity.resource_id_invalid",
        E,
        "The identity is a user-assigned identity resource ID",
        DOC_GENERAL,
    ),
    rule(
        "identity.not_attached",
        E,
        "The key-encryption identity is attached to the cache",
        DOC_HOWTO,
    ),
    rule(
        "vault.name_mismatch",
        E,
        "The vault described is the vault in the key URI",
        DOC_KV,
    ),
    rule(
        "vault.region_mismatch",
        E,
        "The vault is in the cache's region",
        DOC_KV,
    ),
    rule(
        "vault.soft_delete_disabled",
        E,
        "Soft delete is enabled on the vault",
        DOC_KV,
    ),
    rule(
        "vault.purge_protection_disabled",
        E,
        "Purge protection is enabled on the vault",
        DOC_KV,
    ),
    rule(
        "vault.trusted_services_blocked",
        E,
        "A vault firewall lets trusted Azure services through",
        DOC_FIREWALL,
    ),
    rule("key.not_rsa", E, "The key is an RSA key", DOC_KV),
    rule(
        "key.operations_missing",
        E,
        "The key permits wrapKey and unwrapKey",
        DOC_KV,
    ),
    rule("key.disabled", E, "The key is enabled", DOC_KV),
    rule("key.expired", E, "The key has not expired", DOC_KV),
    rule(
        "key.not_yet_valid",
        E,
        "The key's activation date has passed",
        DOC_KV,
    ),
    rule(
        "access.permissions_missing",
        E,
        "Access policies give the identity get, wrapKey and unwrapKey on keys",
        DOC_KV,
    ),
    rule(
        "access.role_missing",
        E,
        "A role assignment gives the identity key read, wrap and unwrap",
        DOC_RBAC,
    ),
    rule(
        "access.broader_than_needed",
        I,
        "The identity's role is the least-privilege Crypto Service Encryption User",
        DOC_RBAC,
    ),
    rule(
        "access.policies_ignored",
        W,
        "No access policies on a vault that uses Azure RBAC",
        DOC_RBAC,
    ),
    rule(
        "change.key_source_switch",
        W,
        "Switching an existing cache between Microsoft- and customer-managed keys",
        DOC_GENERAL,
    ),
    rule(
        TEMPLATE_EXPRESSION_UNRESOLVED,
        W,
        "Every value the checks need is known before deployment (template expressions, Terraform values known after apply)",
        DOC_ARM_EXPRESSIONS,
    ),
];

/// The catalogue entry of a check code.
pub(crate) fn check_rule(code: &str) -> Option<&'static Rule> {
    CHECKS.iter().find(|r| r.code == code)
}

/// Every rule: the checks, with the key-URI grammar check expanded into its codes.
#[must_use]
pub fn rules() -> Vec<Rule> {
    let mut out = Vec::with_capacity(CHECKS.len() + KeyUriError::CODES.len());
    for r in CHECKS {
        if r.code == KEY_URI_SYNTAX {
            for code in KeyUriError::CODES {
                if *code != "key_uri.version_missing" {
                    out.push(Rule {
                        code,
                        check: KEY_URI_SYNTAX,
                        severity: Severity::Error,
                        title: r.title,
                        doc_url: r.doc_url,
                    });
                }
            }
        } else {
            out.push(*r);
        }
    }
    out
}

/// Every code a finding can carry, in catalogue order.
#[must_use]
pub fn rule_codes() -> Vec<&'static str> {
    rules().into_iter().map(|r| r.code).collect()
}
