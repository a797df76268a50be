//! Rule codes: the one place where a check's stable code is spelled. Everything else names a rule by its
//! [`RuleCode`], so the compiler lists every place a new rule needs.

use serde::{Serialize, Serializer};

macro_rules! rule_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// The stable code of a check of the catalogue, in catalogue (report) order. Serialised as its string,
        /// e.g. `vault.purge_protection_disabled`. Codes are public API: never renamed, never reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum RuleCode {
            $($(#[$doc])* $variant,)*
        }

        impl RuleCode {
            /// Every check, in catalogue order.
            pub const ALL: &'static [RuleCode] = &[$(RuleCode::$variant,)*];

            /// The code as a string.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleCode::$variant => $code,)*
                }
            }
        }
    };
}

rule_codes! {
    /// The SKU is an Azure Managed Redis SKU.
    SkuUnknown = "sku.unknown",
    /// The SKU is not a retired Enterprise SKU.
    SkuRetired = "sku.retired",
    /// Flash Optimized: NVMe data stays Microsoft-managed.
    CoverageFlashNvmeMmkOnly = "coverage.flash_nvme_mmk_only",
    /// Exported files follow the storage account's encryption.
    CoverageExportStorageAccount = "coverage.export_storage_account",
    /// No customer-managed key: Microsoft-managed keys only.
    EncryptionMicrosoftManaged = "encryption.microsoft_managed",
    /// A CMK setup that names no key.
    EncryptionCmkIncomplete = "encryption.cmk_incomplete",
    /// An incomplete "select vault and key" input.
    KeyInputIncomplete = "key_input.incomplete",
    /// A key URI and a selection naming different keys.
    KeyInputConflict = "key_input.conflict",
    /// The key-URI grammar (findings carry the `key_uri.*` codes of [`crate::KeyUriError`]).
    KeyUriSyntax = "key_uri.syntax",
    /// A versionless key URL.
    KeyUriVersionMissing = "key_uri.version_missing",
    /// A Managed HSM key.
    KeyUriManagedHsm = "key_uri.managed_hsm",
    /// The key is in another cloud than the cache.
    KeyUriCloudMismatch = "key_uri.cloud_mismatch",
    /// No key-encryption identity.
    IdentityMissing = "identity.missing",
    /// A system-assigned key-encryption identity.
    IdentitySystemAssigned = "identity.system_assigned",
    /// An `identityType` that is neither of the two values.
    IdentityTypeInvalid = "identity.type_invalid",
    /// Not a user-assigned identity resource ID.
    IdentityResourceIdInvalid = "identity.resource_id_invalid",
    /// The identity is not attached to the cache.
    IdentityNotAttached = "identity.not_attached",
    /// The vault described is not the key's vault.
    VaultNameMismatch = "vault.name_mismatch",
    /// The vault is in another region.
    VaultRegionMismatch = "vault.region_mismatch",
    /// Soft delete off.
    VaultSoftDeleteDisabled = "vault.soft_delete_disabled",
    /// Purge protection off.
    VaultPurgeProtectionDisabled = "vault.purge_protection_disabled",
    /// The firewall blocks trusted services.
    VaultTrustedServicesBlocked = "vault.trusted_services_blocked",
    /// Not an RSA key.
    KeyNotRsa = "key.not_rsa",
    /// wrapKey / unwrapKey not permitted.
    KeyOperationsMissing = "key.operations_missing",
    /// The key is disabled.
    KeyDisabled = "key.disabled",
    /// The key has expired.
    KeyExpired = "key.expired",
    /// The key is not valid yet.
    KeyNotYetValid = "key.not_yet_valid",
    /// Access policies miss get / wrapKey / unwrapKey.
    AccessPermissionsMissing = "access.permissions_missing",
    /// An access policy for the identity with an `applicationId` (a compound identity).
    AccessCompoundIdentity = "access.compound_identity",
    /// No role assignment grants key access.
    AccessRoleMissing = "access.role_missing",
    /// The granting role is broader than needed.
    AccessBroaderThanNeeded = "access.broader_than_needed",
    /// Access policies on an RBAC vault.
    AccessPoliciesIgnored = "access.policies_ignored",
    /// Switching an existing cache between MMK and CMK.
    ChangeKeySourceSwitch = "change.key_source_switch",
    /// A value the checks need is not known before deployment.
    TemplateExpressionUnresolved = "template.expression_unresolved",
    /// A value of the document is of the wrong type or outside the API's values.
    DocumentValueInvalid = "document.value_invalid",
}

impl RuleCode {
    /// The code of a check, from its string.
    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == code)
    }

    /// The checks from `first` to `last` in catalogue order (a family's checks are contiguous).
    #[must_use]
    pub fn span(first: RuleCode, last: RuleCode) -> &'static [RuleCode] {
        Self::ALL
            .get(first.position()..=last.position())
            .unwrap_or_default()
    }

    /// Its position in the catalogue (report order).
    #[must_use]
    pub fn position(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for RuleCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for RuleCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
