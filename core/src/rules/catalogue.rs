//! The rule catalogue: every check with its stable code, severity, title, documentation link, the inputs it
//! reads, its plan step and its fixes (`shared/spec/rules.md`), one entry per rule in one table. The rules'
//! logic and the fixes' commands are in their family's file (`rules/*.rs`).

use serde::Serialize;

use super::code::RuleCode;
use super::inputs::Input;
use crate::error::KeyUriError;
use crate::fix::Facts;
use crate::plan::StepId;
use crate::report::{Command, Severity};
use Input as In;
use RuleCode as R;
use Severity::{Error as E, Info as I, Warning as W};
use StepId as S;
use TemplateFix as T;

use super::{access, identity, key, key_uri, vault};

/// A link to Microsoft's page on CMK disk encryption for Azure Managed Redis, at `anchor`.
macro_rules! page {
    ($anchor:literal) => {
        concat!(
            "https://learn.microsoft.com/azure/redis/how-to-encryption",
            $anchor
        )
    };
}

/// Learn's base address.
macro_rules! learn {
    ($path:literal) => {
        concat!("https://learn.microsoft.com/azure/", $path)
    };
}

pub(crate) const DOC: &str = page!("");
pub(crate) const DOC_SCOPE: &str = page!("#scope-of-availability-for-cmk-disk-encryption");
pub(crate) const DOC_COVERAGE: &str = page!("#encryption-coverage");
pub(crate) const DOC_GENERAL: &str = page!("#general-prerequisites-and-limitations");
pub(crate) const DOC_KV: &str = page!("#azure-key-vault-prerequisites-and-limitations");
pub(crate) const DOC_HOWTO: &str = page!("#how-to-configure-cmk-encryption-in-azure-managed-redis");
/// Key Vault object identifiers.
pub(crate) const DOC_KV_IDS: &str =
    learn!("key-vault/general/about-keys-secrets-certificates#object-identifiers");
pub(crate) const DOC_RBAC: &str = learn!("key-vault/general/rbac-guide");
pub(crate) const DOC_FIREWALL: &str = learn!("key-vault/general/overview-vnet-service-endpoints");
pub(crate) const DOC_ARM_EXPRESSIONS: &str =
    learn!("azure-resource-manager/templates/template-expressions");
pub(crate) const DOC_HSM: &str = learn!("key-vault/managed-hsm/overview");

/// A fix as `az` commands: its summary and the commands, built from what the input tells.
pub(crate) type FixFn = fn(&Facts) -> (String, Vec<Command>);

/// Read-only `az` commands that show the facts an inconclusive check lacks.
pub(crate) type ConfirmFn = fn(&Facts) -> Vec<Command>;

/// The change to a checked template or plan that fixes a rule's finding (`check` on an ARM template or a
/// Terraform plan; `adapters::template_fix` turns it into a JSON Patch or Terraform attribute changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TemplateFix {
    /// No change the template can say.
    None,
    /// Turn purge protection on.
    PurgeProtection,
    /// Turn soft delete on.
    SoftDelete,
    /// Let trusted services bypass the firewall.
    TrustedServices,
    /// Move the vault to the cache's region.
    VaultRegion,
    /// Make the key an RSA key.
    RsaKey,
    /// Add wrapKey and unwrapKey to the key's operations.
    KeyOps,
    /// Enable the key.
    EnableKey,
    /// Remove the key's expiry.
    RemoveExpiry,
    /// Remove the key's activation date.
    RemoveNotBefore,
    /// Set the cache's key URL to the key's versioned identifier.
    KeyUrl,
    /// Use a user-assigned identity for the key.
    UserAssignedIdentity,
    /// Replace the identity resource ID.
    IdentityResourceId,
    /// Attach the identity to the cache.
    AttachIdentity,
    /// Add the least-privilege role assignment.
    LeastPrivilegeRole,
    /// Add an access policy with get, wrapKey and unwrapKey.
    AccessPolicy,
}

/// One check: everything about it that is not its logic.
#[derive(Clone, Copy)]
// `reads` and `template_fix` are read only by the document readers (the `templates` feature).
#[cfg_attr(not(feature = "templates"), allow(dead_code))]
pub(crate) struct Spec {
    pub code: RuleCode,
    pub severity: Severity,
    /// One line saying what the rule requires.
    pub title: &'static str,
    pub doc_url: &'static str,
    /// The model inputs whose value can change the outcome.
    pub reads: &'static [Input],
    /// The migration-plan step the check belongs to.
    pub step: Option<StepId>,
    /// The `az` fix of its findings.
    pub fix: Option<FixFn>,
    /// The template or plan change that fixes its findings.
    pub template_fix: TemplateFix,
    /// How to confirm by hand what the input did not say.
    pub confirm: Option<ConfirmFn>,
}

impl Spec {
    /// An entry with no inputs, step or fix (see the builder methods).
    pub(crate) const fn new(
        code: RuleCode,
        severity: Severity,
        title: &'static str,
        doc_url: &'static str,
    ) -> Self {
        Spec {
            code,
            severity,
            title,
            doc_url,
            reads: &[],
            step: None,
            fix: None,
            template_fix: TemplateFix::None,
            confirm: None,
        }
    }

    /// The same entry, confirmed by hand with the read-only commands of `confirm`.
    pub(crate) const fn confirm(mut self, confirm: ConfirmFn) -> Self {
        self.confirm = Some(confirm);
        self
    }

    /// The same entry, reading `reads`.
    pub(crate) const fn reads(mut self, reads: &'static [Input]) -> Self {
        self.reads = reads;
        self
    }

    /// The same entry, in the plan step `step`.
    pub(crate) const fn step(mut self, step: StepId) -> Self {
        self.step = Some(step);
        self
    }

    /// The same entry, fixed by the `az` commands of `fix` and, in a template or plan, by `template_fix`.
    pub(crate) const fn fix(mut self, fix: FixFn, template_fix: TemplateFix) -> Self {
        self.fix = Some(fix);
        self.template_fix = template_fix;
        self
    }
}

/// What the key checks read: whether CMK is used, the key in either form, and the vault's kind.
const KEY: &[Input] = &[In::Cmk, In::KeyUrl, In::KeySelection, In::VaultKind];
/// What the role checks read: whether CMK is used, the key, who the identity is, the vault's permission model,
/// name, ID (the scopes) and kind, and the role assignments.
const ROLE: &[Input] = &[
    In::Cmk,
    In::KeyUrl,
    In::KeySelection,
    In::IdentityResourceId,
    In::CacheIdentity,
    In::Identity,
    In::VaultName,
    In::VaultId,
    In::VaultRbac,
    In::VaultApiVersion,
    In::VaultKind,
    In::RoleAssignments,
];
/// What the access-policy check reads.
const POLICY: &[Input] = &[
    In::Cmk,
    In::KeyUrl,
    In::KeySelection,
    In::IdentityResourceId,
    In::CacheIdentity,
    In::Identity,
    In::VaultRbac,
    In::VaultApiVersion,
    In::VaultKind,
    In::VaultAccessPolicies,
];

/// The catalogue, in catalogue (report) order, one entry per [`RuleCode`] (checked when the crate is built).
#[rustfmt::skip]
static SPECS: [Spec; COUNT] = in_order([
    // sku
    Spec::new(R::SkuUnknown, E, "The SKU is an Azure Managed Redis SKU", DOC_SCOPE).reads(&[In::CacheSku])
        .confirm(|f| vec![f.show_cache("sku.name")]),
    Spec::new(R::SkuRetired, E, "The SKU is not a retired Azure Cache for Redis Enterprise SKU", DOC_SCOPE)
        .reads(&[In::CacheSku])
        .confirm(|f| vec![f.show_cache("sku.name")]),
    // coverage
    Spec::new(R::CoverageFlashNvmeMmkOnly, I, "Flash Optimized: keys and values on the NVMe disk stay Microsoft-managed",
        DOC_COVERAGE).reads(&[In::Cmk, In::CacheSku])
        .confirm(|f| vec![f.show_cache("sku.name")]),
    Spec::new(R::CoverageExportStorageAccount, I, "Exported files are encrypted by the storage account's settings",
        DOC_COVERAGE).reads(&[In::CacheExportInUse]),
    // encryption
    Spec::new(R::EncryptionMicrosoftManaged, I, "Without a customer-managed key, Microsoft-managed keys encrypt the disks",
        DOC).reads(&[In::Cmk])
        .confirm(key_uri::show_encryption),
    Spec::new(R::EncryptionCmkIncomplete, E, "A customer-managed key setup names a key", DOC_HOWTO)
        .reads(KEY).step(S::Key).fix(key_uri::name_key_once, T::KeyUrl)
        .confirm(key_uri::show_encryption),
    // key_uri
    Spec::new(R::KeyInputIncomplete, E, "The \"select vault and key\" method names a vault, a key and a version",
        DOC_HOWTO).reads(KEY).step(S::Key).fix(key_uri::name_key_once, T::KeyUrl)
        .confirm(key_uri::show_encryption),
    Spec::new(R::KeyInputConflict, E, "A key URI and a vault/key selection given together name the same key",
        DOC_HOWTO).reads(KEY).step(S::Key).fix(key_uri::name_key_once, T::None)
        .confirm(key_uri::show_encryption),
    Spec::new(R::KeyUriSyntax, E, "The key identifier is a well-formed Azure Key Vault key URI", DOC_KV_IDS)
        .reads(KEY).step(S::Key).fix(key_uri::valid_key_url, T::KeyUrl)
        .confirm(key_uri::show_encryption),
    Spec::new(R::KeyUriVersionMissing, E, "The key URL is versioned", DOC_HOWTO)
        .reads(KEY).step(S::Key).fix(key_uri::versioned_key_url, T::KeyUrl)
        .confirm(key_uri::show_encryption),
    Spec::new(R::KeyUriManagedHsm, I, "A Managed HSM key: supported, through Managed HSM local RBAC", DOC_HSM)
        .reads(KEY)
        .confirm(key_uri::show_encryption),
    Spec::new(R::KeyUriCloudMismatch, E, "The key is in the same Azure cloud as the cache", DOC_KV_IDS)
        .reads(&[In::Cmk, In::KeyUrl, In::KeySelection, In::CacheLocation, In::VaultKind])
        .step(S::Key).fix(key_uri::valid_key_url, T::KeyUrl)
        .confirm(|f| vec![f.show_cache("{location: location, keyUrl: properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl}")]),
    // identity
    Spec::new(R::IdentityMissing, E, "A key-encryption identity is set", DOC_GENERAL)
        .reads(&[In::Cmk, In::IdentityType, In::IdentityResourceId])
        .step(S::Identity).fix(identity::use_user_identity, T::UserAssignedIdentity)
        .confirm(identity::show_identities),
    Spec::new(R::IdentitySystemAssigned, E, "The key-encryption identity is user-assigned", DOC_GENERAL)
        .reads(&[In::Cmk, In::IdentityType])
        .step(S::Identity).fix(identity::use_user_identity, T::UserAssignedIdentity)
        .confirm(identity::show_identities),
    Spec::new(R::IdentityTypeInvalid, E, "The identity type is userAssignedIdentity or systemAssignedIdentity",
        DOC_GENERAL).reads(&[In::Cmk, In::IdentityType])
        .step(S::Identity).fix(identity::use_user_identity, T::UserAssignedIdentity)
        .confirm(identity::show_identities),
    Spec::new(R::IdentityResourceIdInvalid, E, "The identity is a user-assigned identity resource ID", DOC_GENERAL)
        .reads(&[In::Cmk, In::IdentityResourceId])
        .step(S::Identity).fix(identity::look_up_identity, T::IdentityResourceId)
        .confirm(identity::show_identities),
    Spec::new(R::IdentityNotAttached, E, "The key-encryption identity is attached to the cache", DOC_HOWTO)
        .reads(&[In::Cmk, In::IdentityResourceId, In::CacheIdentity])
        .step(S::Identity).fix(identity::attach_identity, T::AttachIdentity)
        .confirm(identity::show_identities),
    // vault
    Spec::new(R::VaultNameMismatch, E, "The vault described is the vault in the key URI", DOC_KV)
        .reads(&[In::Cmk, In::KeyUrl, In::KeySelection, In::VaultName, In::VaultKind]).step(S::Vault)
        .confirm(|f| vec![f.show_vault("{name: name, id: id}")]),
    Spec::new(R::VaultRegionMismatch, E, "The vault is in the cache's region", DOC_KV)
        .reads(&[In::Cmk, In::CacheLocation, In::VaultLocation])
        .step(S::Vault).fix(vault::vault_in_region, T::VaultRegion)
        .confirm(|f| vec![f.show_vault("location"), f.show_cache("location")]),
    Spec::new(R::VaultSoftDeleteDisabled, E, "Soft delete is enabled on the vault", DOC_KV)
        .reads(&[In::Cmk, In::VaultSoftDelete]).step(S::Vault).fix(vault::soft_delete, T::SoftDelete)
        .confirm(|f| vec![f.show_vault("properties.enableSoftDelete")]),
    Spec::new(R::VaultPurgeProtectionDisabled, E, "Purge protection is enabled on the vault", DOC_KV)
        .reads(&[In::Cmk, In::VaultPurgeProtection])
        .step(S::Vault).fix(vault::purge_protection, T::PurgeProtection)
        .confirm(|f| vec![f.show_vault("properties.enablePurgeProtection")]),
    Spec::new(R::VaultTrustedServicesBlocked, E, "A vault firewall lets trusted Azure services through", DOC_FIREWALL)
        .reads(&[In::Cmk, In::VaultPublicNetworkAccess, In::VaultNetworkAcls])
        .step(S::Vault).fix(vault::trusted_services, T::TrustedServices)
        .confirm(|f| vec![f.show_vault("{publicNetworkAccess: properties.publicNetworkAccess, networkAcls: properties.networkAcls}")]),
    // key
    Spec::new(R::KeyNotRsa, E, "The key is an RSA key", DOC_KV)
        .reads(&[In::Cmk, In::KeyKty]).step(S::Key).fix(key::rsa_key, T::RsaKey)
        .confirm(|f| vec![f.show_key("key.kty")]),
    Spec::new(R::KeyOperationsMissing, E, "The key permits wrapKey and unwrapKey", DOC_KV)
        .reads(&[In::Cmk, In::KeyOps, In::KeyExisting]).step(S::Key).fix(key::wrap_ops, T::KeyOps)
        .confirm(|f| vec![f.show_key("key.keyOps")]),
    Spec::new(R::KeyDisabled, E, "The key is enabled", DOC_KV)
        .reads(&[In::Cmk, In::KeyEnabled]).step(S::Key).fix(key::enable_key, T::EnableKey)
        .confirm(|f| vec![f.show_key("attributes.enabled")]),
    Spec::new(R::KeyExpired, E, "The key has not expired", DOC_KV)
        .reads(&[In::Cmk, In::KeyExp, In::Now]).step(S::Key).fix(key::new_key_version, T::RemoveExpiry)
        .confirm(|f| vec![f.show_key("attributes.expires")]),
    Spec::new(R::KeyNotYetValid, E, "The key's activation date has passed", DOC_KV)
        .reads(&[In::Cmk, In::KeyNbf, In::Now]).step(S::Key).fix(key::activate_now, T::RemoveNotBefore)
        .confirm(|f| vec![f.show_key("attributes.notBefore")]),
    // access
    Spec::new(R::AccessPermissionsMissing, E, "Access policies give the identity get, wrapKey and unwrapKey on keys",
        DOC_KV).reads(POLICY).step(S::Permissions).fix(access::set_policy, T::AccessPolicy)
        .confirm(access::show_policies),
    Spec::new(R::AccessCompoundIdentity, W,
        "The identity's access policy is its own, not a compound identity with an application", DOC_KV)
        .reads(POLICY).step(S::Permissions).fix(access::set_policy, T::AccessPolicy)
        .confirm(access::show_policies),
    Spec::new(R::AccessRoleMissing, E, "A role assignment gives the identity key read, wrap and unwrap", DOC_RBAC)
        .reads(ROLE).step(S::Permissions).fix(access::assign_least_role, T::LeastPrivilegeRole)
        .confirm(access::show_roles),
    Spec::new(R::AccessBroaderThanNeeded, I,
        "The identity's role is the least-privilege Crypto Service Encryption User", DOC_RBAC)
        .reads(ROLE).fix(access::assign_least_role, T::LeastPrivilegeRole)
        .confirm(access::show_roles),
    Spec::new(R::AccessPoliciesIgnored, W, "No access policies on a vault that uses Azure RBAC", DOC_RBAC)
        .reads(&[In::Cmk, In::KeyUrl, In::KeySelection, In::VaultRbac, In::VaultApiVersion, In::VaultKind,
            In::VaultAccessPolicies])
        .step(S::Permissions).fix(access::delete_policies, T::None)
        .confirm(access::show_policies),
    // change
    Spec::new(R::ChangeKeySourceSwitch, W, "Switching an existing cache between Microsoft- and customer-managed keys",
        DOC_GENERAL).reads(&[In::Cmk, In::CacheExisting, In::CacheCurrentKeySource]).step(S::Switch)
        .confirm(key_uri::show_encryption),
    // template
    Spec::new(R::TemplateExpressionUnresolved, W,
        "Every value the checks need is known before deployment (template expressions, Terraform values known after apply)",
        DOC_ARM_EXPRESSIONS),
    Spec::new(R::DocumentValueInvalid, E,
        "Every value the checks read has the type and one of the values the API accepts", DOC),
]);

const COUNT: usize = RuleCode::ALL.len();

/// The table as given, after checking at compile time that entry `i` is the rule at position `i`.
#[allow(clippy::indexing_slicing)] // compile-time only: any failure is a build error
const fn in_order(specs: [Spec; COUNT]) -> [Spec; COUNT] {
    let mut i = 0;
    while i < COUNT {
        assert!(
            specs[i].code as usize == i,
            "a catalogue entry is out of catalogue order"
        );
        i += 1;
    }
    specs
}

/// Every check, in catalogue order.
pub(crate) fn specs() -> &'static [Spec] {
    &SPECS
}

/// The catalogue entry of a check.
#[allow(clippy::indexing_slicing)] // one entry per code, by construction (`flatten`)
pub(crate) fn spec(code: RuleCode) -> &'static Spec {
    &SPECS[code.position()]
}

/// One rule of the catalogue, as `rules()` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// The check this code reports under (its own code, or `key_uri.syntax` for the key-URI grammar codes).
    pub check: RuleCode,
    /// Stable code, e.g. `vault.purge_protection_disabled`.
    pub code: &'static str,
    /// Documentation link.
    pub doc_url: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// One line saying what the rule requires.
    pub title: &'static str,
}

/// The key-URI grammar codes: the `key_uri.*` codes of [`KeyUriError`] that report under `key_uri.syntax`.
fn grammar_codes() -> impl Iterator<Item = &'static str> {
    KeyUriError::CODES
        .iter()
        .copied()
        .filter(|c| *c != RuleCode::KeyUriVersionMissing.as_str())
}

/// Every rule: the checks, with the key-URI grammar check expanded into its codes.
#[must_use]
pub fn rules() -> Vec<Rule> {
    let mut out = Vec::with_capacity(COUNT + KeyUriError::CODES.len());
    for s in specs() {
        let rule = |code| Rule {
            code,
            check: s.code,
            severity: s.severity,
            title: s.title,
            doc_url: s.doc_url,
        };
        if s.code == RuleCode::KeyUriSyntax {
            out.extend(grammar_codes().map(rule));
        } else {
            out.push(rule(s.code.as_str()));
        }
    }
    out
}

/// Every code a finding can carry, in catalogue order.
#[must_use]
pub fn rule_codes() -> Vec<&'static str> {
    rules().into_iter().map(|r| r.code).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_per_code_in_order() {
        for (i, s) in specs().iter().enumerate() {
            assert_eq!(s.code.position(), i);
            assert_eq!(RuleCode::ALL.get(i), Some(&s.code));
            assert!(!s.title.is_empty(), "{} has no title", s.code);
            // `lower_first` lowers the first letter of a title as ASCII.
            assert!(s.title.is_ascii(), "{}'s title is not ASCII", s.code);
        }
    }

    #[test]
    fn codes_parse_back() {
        for c in RuleCode::ALL {
            assert_eq!(RuleCode::parse(c.as_str()), Some(*c));
        }
        assert_eq!(RuleCode::parse("nope"), None);
    }
}
