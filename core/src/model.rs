//! The input model: everything a caller may know about a CMK setup. Every field is optional; a rule whose
//! inputs are missing is `inconclusive`, never a pass. JSON field names are camelCase and follow ARM where ARM
//! has the field (`customerManagedKeyEncryption`, `keyEncryptionKeyUrl`, `enablePurgeProtection`, `networkAcls`...).
//!
//! Reading is strict: an unknown field, a wrong type or a value outside an enum is an [`InputError`] with the
//! JSON Pointer of the offending value. JSON `null` counts as absent, except for the key's `nbf` and `exp`, where
//! `null` means "not set" (no activation date, no expiry).

use serde_json::Value;

use crate::error::InputError;

/// The top-level fields of the input model (`$schema` is allowed and ignored).
pub(crate) const MODEL_KEYS: &[&str] = &[
    "now",
    "cache",
    "encryption",
    "identity",
    "vault",
    "key",
    "roleAssignments",
    "$schema",
];

/// The whole input of [`crate::validate`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The current time (Unix seconds) for the key's activation and expiry checks.
    pub now: Option<i64>,
    /// The cache (`Microsoft.Cache/redisEnterprise`).
    pub cache: Option<Cache>,
    /// Its encryption settings.
    pub encryption: Option<Encryption>,
    /// The user-assigned identity used for the key (as `az identity show` prints it).
    pub identity: Option<Identity>,
    /// The Key Vault or Managed HSM holding the key.
    pub vault: Option<Vault>,
    /// The key's properties.
    pub key: Option<Key>,
    /// Role assignments that may give the identity access to the key (Azure RBAC or Managed HSM local RBAC).
    pub role_assignments: Option<Vec<RoleAssignment>>,
}

/// The cache resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cache {
    /// ARM resource ID (used to fill in the fix commands).
    pub id: Option<String>,
    /// Cache name.
    pub name: Option<String>,
    /// Region (`eastus` or `East US`).
    pub location: Option<String>,
    /// ARM SKU name, e.g. `Balanced_B10`.
    pub sku: Option<String>,
    /// `true` when changing an existing cache, `false` when creating one.
    pub existing: Option<bool>,
    /// For an existing cache: the key source it uses today.
    pub current_key_source: Option<KeySource>,
    /// Whether data export to a storage account is used.
    pub export_in_use: Option<bool>,
    /// The cache's managed-identity block (ARM `identity`).
    pub identity: Option<ManagedIdentity>,
}

/// Microsoft-managed or customer-managed keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// Microsoft-managed keys only.
    MicrosoftManaged,
    /// A customer-managed key wraps the Microsoft-managed keys.
    CustomerManaged,
}

impl KeySource {
    /// `microsoftManaged` or `customerManaged`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MicrosoftManaged => "microsoftManaged",
            Self::CustomerManaged => "customerManaged",
        }
    }
}

/// ARM `identity` of the cache.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManagedIdentity {
    /// `None`, `SystemAssigned`, `UserAssigned`, `SystemAssigned, UserAssigned` (as given).
    pub kind: Option<String>,
    /// The identity resource IDs as given, each once (the last of a repeated ID counts), in lexicographic
    /// order, with their values (`principalId` / `clientId`).
    pub user_assigned_identities: Option<Vec<(String, UserAssignedIdentityValue)>>,
}

/// A value of `identity.userAssignedIdentities`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserAssignedIdentityValue {
    /// The identity's principal (object) ID.
    pub principal_id: Option<String>,
    /// The identity's client ID.
    pub client_id: Option<String>,
}

/// The cache's encryption settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Encryption {
    /// Explicit choice; when absent, CMK is requested if `customerManagedKeyEncryption` has any field.
    pub key_source: Option<KeySource>,
    /// ARM `properties.encryption.customerManagedKeyEncryption` (`{}` means Microsoft-managed keys).
    pub customer_managed_key_encryption: Option<CustomerManagedKeyEncryption>,
}

/// ARM `customerManagedKeyEncryption`, plus the portal's "select vault and key" input method.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerManagedKeyEncryption {
    /// The key identifier URI (input method "key identifier URI").
    pub key_encryption_key_url: Option<String>,
    /// Input method "select vault and key".
    pub key_selection: Option<KeySelection>,
    /// Which identity reads the key.
    pub key_encryption_key_identity: Option<KeyEncryptionKeyIdentity>,
}

/// Vault, key and version picked from lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeySelection {
    /// Vault (or Managed HSM) name.
    pub vault_name: Option<String>,
    /// Key name.
    pub key_name: Option<String>,
    /// Key version.
    pub version: Option<String>,
    /// `vault` (default) or `managedHsm`.
    pub vault_kind: Option<crate::key_uri::VaultKind>,
}

/// ARM `keyEncryptionKeyIdentity`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyEncryptionKeyIdentity {
    /// `userAssignedIdentity` or `systemAssignedIdentity`.
    pub identity_type: Option<IdentityType>,
    /// ARM resource ID of the user-assigned identity.
    pub user_assigned_identity_resource_id: Option<String>,
}

/// ARM `identityType` of the key-encryption identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityType {
    /// `userAssignedIdentity` (the only supported one).
    UserAssigned,
    /// `systemAssignedIdentity` (refused by Azure Managed Redis).
    SystemAssigned,
    /// Any other value, as given (a finding `identity.type_invalid`, not an input error).
    Unknown(String),
}

impl IdentityType {
    /// The two values the API accepts.
    pub const VALUES: [&'static str; 2] = ["userAssignedIdentity", "systemAssignedIdentity"];
}

/// The user-assigned identity resource itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    /// Its resource ID.
    pub id: Option<String>,
    /// Its principal (object) ID: who role assignments and access policies name.
    pub principal_id: Option<String>,
    /// Its client ID.
    pub client_id: Option<String>,
}

/// The Key Vault or Managed HSM.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vault {
    /// Resource ID.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Region.
    pub location: Option<String>,
    /// `vault` or `managedHsm`.
    pub kind: Option<crate::key_uri::VaultKind>,
    /// Soft delete.
    pub enable_soft_delete: Option<bool>,
    /// Purge protection.
    pub enable_purge_protection: Option<bool>,
    /// `true`: Azure RBAC; `false`: access policies.
    pub enable_rbac_authorization: Option<bool>,
    /// Key Vault API version the vault was created or read with (settles the RBAC default when absent).
    pub api_version: Option<String>,
    /// `Enabled`, `Disabled` or `SecuredByPerimeter`.
    pub public_network_access: Option<String>,
    /// Firewall settings.
    pub network_acls: Option<NetworkAcls>,
    /// Access policies.
    pub access_policies: Option<Vec<AccessPolicy>>,
}

/// ARM `networkAcls` of a vault.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkAcls {
    /// `AzureServices` (default) or `None`.
    pub bypass: Option<String>,
    /// `Allow` or `Deny`.
    pub default_action: Option<String>,
}

/// One access policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccessPolicy {
    /// Principal (object) ID.
    pub object_id: Option<String>,
    /// Tenant.
    pub tenant_id: Option<String>,
    /// The application of a compound identity: the policy applies only when that application acts for the
    /// principal, so it does not give the principal access on its own.
    pub application_id: Option<String>,
    /// Key permissions (`get`, `wrapKey`, `unwrapKey`, `all`, ...).
    pub key_permissions: Vec<String>,
}

/// The key's properties.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Key {
    /// Name.
    pub name: Option<String>,
    /// `false` when the deployment creates the key: then operations not listed mean every operation is
    /// permitted (Key Vault's default); `true` for an existing key.
    pub existing: Option<bool>,
    /// `RSA`, `RSA-HSM`, `EC`, `EC-HSM`, `oct`, `oct-HSM`.
    pub kty: Option<String>,
    /// Key size in bits.
    pub key_size: Option<i64>,
    /// Permitted operations.
    pub key_ops: Option<Vec<String>>,
    /// Enabled.
    pub enabled: Option<bool>,
    /// Activation time: `None` unknown, `Some(None)` not set, `Some(Some(t))` Unix seconds.
    pub nbf: Option<Option<i64>>,
    /// Expiry: `None` unknown, `Some(None)` not set, `Some(Some(t))` Unix seconds.
    pub exp: Option<Option<i64>>,
}

/// A role assignment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleAssignment {
    /// Who it is assigned to.
    pub principal_id: Option<String>,
    /// Role-definition ID or GUID.
    pub role_definition_id: Option<String>,
    /// Role display name (used when the ID is absent).
    pub role_definition_name: Option<String>,
    /// Scope (vault or key resource ID, an ancestor, or a Managed HSM scope such as `/keys`).
    pub scope: Option<String>,
    /// Data actions of a custom role, when known.
    pub data_actions: Option<Vec<String>>,
}

impl Config {
    /// Reads the model from JSON text, strictly, after checking the default [`crate::input::Limits`], without
    /// a `serde_json::Value` in between: the same result and errors as [`crate::input::parse_document`] then
    /// [`Config::from_value`] (both run one reader).
    ///
    /// # Errors
    /// The limit errors, `input.invalid_json`, or those of [`Config::from_value`].
    pub fn from_json(text: &str) -> Result<Self, InputError> {
        crate::reader::read_config(text)
    }

    /// Reads the model from a JSON value, strictly.
    ///
    /// # Errors
    /// `input.invalid_type`, `input.unknown_field`, `input.invalid_value` or `input.too_many_items`, with the path.
    pub fn from_value(v: &Value) -> Result<Self, InputError> {
        crate::reader::read_value(v)
    }
}
