//! The inputs the rules read: model paths, in one fixed order. Each rule's [`super::catalogue::Spec::reads`]
//! names the inputs it depends on, so an adapter that cannot know a value (an unresolved template expression, a
//! Terraform value known only after apply) tells the rules which checks that value could change.

// Read only by the document readers (the `templates` feature).
#![cfg_attr(not(feature = "templates"), allow(dead_code))]

use crate::pointer::under;

/// A model path a rule reads. The order of the variants is the order in which affected checks are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// Whether a customer-managed key is used at all: the key-encryption block as a whole.
    Cmk,
    KeyUrl,
    KeySelection,
    IdentityType,
    IdentityResourceId,
    CacheSku,
    CacheLocation,
    CacheIdentity,
    CacheExisting,
    CacheCurrentKeySource,
    CacheExportInUse,
    Identity,
    VaultName,
    VaultId,
    VaultLocation,
    VaultSoftDelete,
    VaultPurgeProtection,
    VaultPublicNetworkAccess,
    VaultNetworkAcls,
    VaultRbac,
    VaultApiVersion,
    VaultKind,
    VaultAccessPolicies,
    KeyKty,
    KeyOps,
    KeyExisting,
    KeyEnabled,
    KeyExp,
    KeyNbf,
    RoleAssignments,
    Now,
}

impl Input {
    /// Every input, in listing order.
    pub(crate) const ALL: [Input; 31] = [
        Input::Cmk,
        Input::KeyUrl,
        Input::KeySelection,
        Input::IdentityType,
        Input::IdentityResourceId,
        Input::CacheSku,
        Input::CacheLocation,
        Input::CacheIdentity,
        Input::CacheExisting,
        Input::CacheCurrentKeySource,
        Input::CacheExportInUse,
        Input::Identity,
        Input::VaultName,
        Input::VaultId,
        Input::VaultLocation,
        Input::VaultSoftDelete,
        Input::VaultPurgeProtection,
        Input::VaultPublicNetworkAccess,
        Input::VaultNetworkAcls,
        Input::VaultRbac,
        Input::VaultApiVersion,
        Input::VaultKind,
        Input::VaultAccessPolicies,
        Input::KeyKty,
        Input::KeyOps,
        Input::KeyExisting,
        Input::KeyEnabled,
        Input::KeyExp,
        Input::KeyNbf,
        Input::RoleAssignments,
        Input::Now,
    ];

    /// The model path (JSON Pointer into the input model).
    pub(crate) const fn path(self) -> &'static str {
        match self {
            Input::Cmk => P_CMK,
            Input::KeyUrl => P_URL,
            Input::KeySelection => P_SEL,
            Input::IdentityType => P_ID_TYPE,
            Input::IdentityResourceId => P_UAI,
            Input::CacheSku => "/cache/sku",
            Input::CacheLocation => "/cache/location",
            Input::CacheIdentity => P_CACHE_IDENTITY,
            Input::CacheExisting => "/cache/existing",
            Input::CacheCurrentKeySource => "/cache/currentKeySource",
            Input::CacheExportInUse => "/cache/exportInUse",
            Input::Identity => "/identity",
            Input::VaultName => "/vault/name",
            Input::VaultId => "/vault/id",
            Input::VaultLocation => "/vault/location",
            Input::VaultSoftDelete => "/vault/enableSoftDelete",
            Input::VaultPurgeProtection => "/vault/enablePurgeProtection",
            Input::VaultPublicNetworkAccess => "/vault/publicNetworkAccess",
            Input::VaultNetworkAcls => "/vault/networkAcls",
            Input::VaultRbac => "/vault/enableRbacAuthorization",
            Input::VaultApiVersion => "/vault/apiVersion",
            Input::VaultKind => "/vault/kind",
            Input::VaultAccessPolicies => "/vault/accessPolicies",
            Input::KeyKty => "/key/kty",
            Input::KeyOps => "/key/keyOps",
            Input::KeyExisting => "/key/existing",
            Input::KeyEnabled => "/key/enabled",
            Input::KeyExp => "/key/exp",
            Input::KeyNbf => "/key/nbf",
            Input::RoleAssignments => "/roleAssignments",
            Input::Now => "/now",
        }
    }

    /// Whether an unknown value at `model` makes this input unknown. [`Input::Cmk`] is about the block as a
    /// whole: only the block itself or an ancestor of it being unknown leaves open whether CMK is used. Every
    /// other input is affected by its own path, what lies below it, and its ancestors.
    pub(crate) fn affected_by(self, model: &str) -> bool {
        let path = self.path();
        match self {
            Input::Cmk => under(path, model),
            _ => under(model, path) || under(path, model),
        }
    }
}

/// What the value at a model path is, in words (for the message of an inconclusive check).
pub(crate) fn words(model: &str) -> &'static str {
    const WORDS: &[(&str, &str)] = &[
        (
            P_URL,
            "the key's versioned identifier (keyEncryptionKeyUrl)",
        ),
        (P_SEL, "the vault, key and version picked (keySelection)"),
        (
            P_ID_TYPE,
            "the key-encryption identity's type (identityType)",
        ),
        (
            P_UAI,
            "the key-encryption identity's resource ID (userAssignedIdentityResourceId)",
        ),
        (
            P_UAIS,
            "the identities attached to the cache (identity.userAssignedIdentities)",
        ),
        (P_CACHE_IDENTITY, "the cache's identity block (identity)"),
        ("/cache/sku", "the cache's SKU"),
        ("/cache/location", "the cache's region"),
        ("/cache/existing", "whether the cache exists already"),
        (
            "/cache/currentKeySource",
            "the key source the existing cache uses today",
        ),
        (
            "/cache/exportInUse",
            "whether data export to a storage account is used",
        ),
        (P_PRINCIPAL, "the identity's principal ID"),
        ("/identity", "the user-assigned identity (az identity show)"),
        ("/vault/name", "the vault's name"),
        ("/vault/location", "the vault's region"),
        ("/vault/enableSoftDelete", "the vault's soft-delete setting"),
        (
            "/vault/enablePurgeProtection",
            "the vault's purge-protection setting",
        ),
        ("/vault/networkAcls", "the vault's firewall (networkAcls)"),
        (
            "/vault/publicNetworkAccess",
            "the vault's public network access",
        ),
        (
            "/vault/enableRbacAuthorization",
            "the vault's permission model (enableRbacAuthorization)",
        ),
        ("/vault/accessPolicies", "the vault's access policies"),
        ("/vault", "the vault (az keyvault show)"),
        ("/key/kty", "the key's type"),
        ("/key/keyOps", "the key's permitted operations"),
        ("/key/enabled", "whether the key is enabled"),
        ("/key/exp", "the key's expiry"),
        ("/key/nbf", "the key's activation date"),
        ("/key", "the key (az keyvault key show)"),
        (
            "/roleAssignments",
            "the role assignments on the vault or the key",
        ),
        ("/now", "the current time (--now)"),
        ("/encryption", "the cache's encryption settings"),
    ];
    WORDS
        .iter()
        .find(|(path, _)| under(model, path))
        .map_or("a value of the input", |(_, words)| *words)
}

/// A path in the key-encryption block.
macro_rules! cmk {
    ($rest:literal) => {
        concat!("/encryption/customerManagedKeyEncryption", $rest)
    };
}

/// The key-encryption block.
pub(crate) const P_CMK: &str = cmk!("");
/// The key URL.
pub(crate) const P_URL: &str = cmk!("/keyEncryptionKeyUrl");
/// The "select vault and key" input.
pub(crate) const P_SEL: &str = cmk!("/keySelection");
/// The key-encryption identity.
pub(crate) const P_KEK_ID: &str = cmk!("/keyEncryptionKeyIdentity");
/// Its type.
pub(crate) const P_ID_TYPE: &str = cmk!("/keyEncryptionKeyIdentity/identityType");
/// Its resource ID.
pub(crate) const P_UAI: &str = cmk!("/keyEncryptionKeyIdentity/userAssignedIdentityResourceId");
/// The cache's identity block.
pub(crate) const P_CACHE_IDENTITY: &str = "/cache/identity";
/// The cache's user-assigned identities.
pub(crate) const P_UAIS: &str = "/cache/identity/userAssignedIdentities";
/// The identity's principal.
pub(crate) const P_PRINCIPAL: &str = "/identity/principalId";
