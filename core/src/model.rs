//! The input model: everything a caller may know about a CMK setup. Every field is optional; a rule whose
//! inputs are missing is `inconclusive`, never a pass. JSON field names are camelCase and follow ARM where ARM
//! has the field (`customerManagedKeyEncryption`, `keyEncryptionKeyUrl`, `enablePurgeProtection`, `networkAcls`...).
//!
//! Reading is strict: an unknown field, a wrong type or a value outside an enum is an [`InputError`] with the
//! JSON Pointer of the offending value. JSON `null` counts as absent, except for the key's `nbf` and `exp`, where
//! `null` means "not set" (no activation date, no expiry).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::InputError;
use crate::input::MAX_ITEMS;
use crate::pointer::child;
use crate::time::parse_rfc3339;

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
    /// Keys are identity resource IDs as given; values may carry `principalId` / `clientId`.
    pub user_assigned_identities: Option<BTreeMap<String, UserAssignedIdentityValue>>,
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

// ---------------------------------------------------------------------------------------------------------
// Strict reading from JSON.

struct Reader<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

fn invalid_type(path: &str, expected: &str) -> InputError {
    InputError::InvalidType {
        path: path.to_owned(),
        expected: expected.to_owned(),
    }
}

impl<'a> Reader<'a> {
    fn new(v: &'a Value, path: &str, fields: &[&str]) -> Result<Self, InputError> {
        let Value::Object(map) = v else {
            return Err(invalid_type(path, "an object"));
        };
        if let Some(unknown) = map.keys().find(|k| !fields.contains(&k.as_str())) {
            return Err(InputError::UnknownField {
                path: path.to_owned(),
                field: crate::input::truncate(unknown),
            });
        }
        Ok(Self {
            map,
            path: path.to_owned(),
        })
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn path(&self, key: &str) -> String {
        child(&self.path, key)
    }

    fn string(&self, key: &str) -> Result<Option<String>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid_type(&self.path(key), "a string")),
        }
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(invalid_type(&self.path(key), "true or false")),
        }
    }

    fn integer(&self, key: &str) -> Result<Option<i64>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => as_integer(v)
                .map(Some)
                .ok_or_else(|| invalid_type(&self.path(key), "an integer")),
        }
    }

    /// RFC 3339 string or Unix seconds.
    fn time(&self, key: &str) -> Result<Option<i64>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => {
                parse_rfc3339(s)
                    .map(Some)
                    .ok_or_else(|| InputError::InvalidValue {
                        path: self.path(key),
                        value: json_text(&Value::String(s.clone())),
                        expected:
                            "an RFC 3339 date-time such as 2026-11-27T00:00:00Z, or Unix seconds"
                                .into(),
                    })
            }
            Some(v) => as_integer(v).map(Some).ok_or_else(|| {
                invalid_type(
                    &self.path(key),
                    "an RFC 3339 date-time string or Unix seconds",
                )
            }),
        }
    }

    /// Like [`Reader::time`], but `null` means "not set".
    fn optional_time(&self, key: &str) -> Result<Option<Option<i64>>, InputError> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(_) => self.time(key).map(Some),
        }
    }

    fn strings(&self, key: &str) -> Result<Option<Vec<String>>, InputError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let path = self.path(key);
        let items = array(v, &path)?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(invalid_type(&format!("{path}/{i}"), "a string")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    fn object<T>(
        &self,
        key: &str,
        read: impl Fn(&'a Value, &str) -> Result<T, InputError>,
    ) -> Result<Option<T>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => read(v, &self.path(key)).map(Some),
        }
    }

    fn list<T>(
        &self,
        key: &str,
        read: impl Fn(&'a Value, &str) -> Result<T, InputError>,
    ) -> Result<Option<Vec<T>>, InputError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let path = self.path(key);
        array(v, &path)?
            .iter()
            .enumerate()
            .map(|(i, item)| read(item, &format!("{path}/{i}")))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    fn enumerated<T: Copy>(
        &self,
        key: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, InputError> {
        let Some(s) = self.string(key)? else {
            return Ok(None);
        };
        choices
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(&s))
            .map(|(_, v)| Some(*v))
            .ok_or_else(|| InputError::InvalidValue {
                path: self.path(key),
                value: json_text(&Value::String(crate::input::truncate(&s))),
                expected: choices
                    .iter()
                    .map(|(n, _)| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(" or "),
            })
    }
}

fn array<'v>(v: &'v Value, path: &str) -> Result<&'v Vec<Value>, InputError> {
    let Value::Array(items) = v else {
        return Err(invalid_type(path, "an array"));
    };
    if items.len() > MAX_ITEMS {
        return Err(InputError::TooManyItems {
            path: path.to_owned(),
            len: items.len(),
            max: MAX_ITEMS,
        });
    }
    Ok(items)
}

fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        _ => None,
    }
}

fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

const KEY_SOURCES: &[(&str, KeySource)] = &[
    ("microsoftManaged", KeySource::MicrosoftManaged),
    ("customerManaged", KeySource::CustomerManaged),
];
const VAULT_KINDS: &[(&str, crate::key_uri::VaultKind)] = &[
    ("vault", crate::key_uri::VaultKind::Vault),
    ("managedHsm", crate::key_uri::VaultKind::ManagedHsm),
];

impl Config {
    /// Reads the model from JSON text, strictly, after checking the default [`crate::input::Limits`], without
    /// a `serde_json::Value` in between: the same result and errors as [`crate::input::parse_document`] then
    /// [`Config::from_value`] (`reader`).
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
        let r = Reader::new(v, "", MODEL_KEYS)?;
        Ok(Self {
            now: r.time("now")?,
            cache: r.object("cache", read_cache)?,
            encryption: r.object("encryption", read_encryption)?,
            identity: r.object("identity", read_identity)?,
            vault: r.object("vault", read_vault)?,
            key: r.object("key", read_key)?,
            role_assignments: r.list("roleAssignments", read_role_assignment)?,
        })
    }
}

fn read_cache(v: &Value, path: &str) -> Result<Cache, InputError> {
    let r = Reader::new(
        v,
        path,
        &[
            "id",
            "name",
            "location",
            "sku",
            "existing",
            "currentKeySource",
            "exportInUse",
            "identity",
        ],
    )?;
    Ok(Cache {
        id: r.string("id")?,
        name: r.string("name")?,
        location: r.string("location")?,
        sku: r.string("sku")?,
        existing: r.boolean("existing")?,
        current_key_source: r.enumerated("currentKeySource", KEY_SOURCES)?,
        export_in_use: r.boolean("exportInUse")?,
        identity: r.object("identity", read_managed_identity)?,
    })
}

fn read_managed_identity(v: &Value, path: &str) -> Result<ManagedIdentity, InputError> {
    let r = Reader::new(
        v,
        path,
        &["type", "userAssignedIdentities", "principalId", "tenantId"],
    )?;
    let uais = match r.get("userAssignedIdentities") {
        None => None,
        Some(Value::Object(map)) => {
            let map_path = r.path("userAssignedIdentities");
            if map.len() > MAX_ITEMS {
                return Err(InputError::TooManyItems {
                    path: map_path,
                    len: map.len(),
                    max: MAX_ITEMS,
                });
            }
            let mut out = BTreeMap::new();
            for (id, value) in map {
                let value = if value.is_null() {
                    UserAssignedIdentityValue::default()
                } else {
                    let vr =
                        Reader::new(value, &child(&map_path, id), &["principalId", "clientId"])?;
                    UserAssignedIdentityValue {
                        principal_id: vr.string("principalId")?,
                        client_id: vr.string("clientId")?,
                    }
                };
                out.insert(id.clone(), value);
            }
            Some(out)
        }
        Some(_) => {
            return Err(invalid_type(
                &r.path("userAssignedIdentities"),
                "an object keyed by identity resource IDs",
            ))
        }
    };
    Ok(ManagedIdentity {
        kind: r.string("type")?,
        user_assigned_identities: uais,
    })
}

fn read_encryption(v: &Value, path: &str) -> Result<Encryption, InputError> {
    let r = Reader::new(v, path, &["keySource", "customerManagedKeyEncryption"])?;
    Ok(Encryption {
        key_source: r.enumerated("keySource", KEY_SOURCES)?,
        customer_managed_key_encryption: r.object("customerManagedKeyEncryption", |v, p| {
            let r = Reader::new(
                v,
                p,
                &[
                    "keyEncryptionKeyUrl",
                    "keySelection",
                    "keyEncryptionKeyIdentity",
                ],
            )?;
            Ok(CustomerManagedKeyEncryption {
                key_encryption_key_url: r.string("keyEncryptionKeyUrl")?,
                key_selection: r.object("keySelection", |v, p| {
                    let r = Reader::new(v, p, &["vaultName", "keyName", "version", "vaultKind"])?;
                    Ok(KeySelection {
                        vault_name: r.string("vaultName")?,
                        key_name: r.string("keyName")?,
                        version: r.string("version")?,
                        vault_kind: r.enumerated("vaultKind", VAULT_KINDS)?,
                    })
                })?,
                key_encryption_key_identity: r.object("keyEncryptionKeyIdentity", |v, p| {
                    let r = Reader::new(v, p, &["identityType", "userAssignedIdentityResourceId"])?;
                    Ok(KeyEncryptionKeyIdentity {
                        identity_type: r.string("identityType")?.map(
                            |t| match IdentityType::VALUES
                                .iter()
                                .position(|v| v.eq_ignore_ascii_case(&t))
                            {
                                Some(0) => IdentityType::UserAssigned,
                                Some(_) => IdentityType::SystemAssigned,
                                None => IdentityType::Unknown(crate::input::truncate(&t)),
                            },
                        ),
                        user_assigned_identity_resource_id: r
                            .string("userAssignedIdentityResourceId")?,
                    })
                })?,
            })
        })?,
    })
}

fn read_identity(v: &Value, path: &str) -> Result<Identity, InputError> {
    let r = Reader::new(
        v,
        path,
        &[
            "id",
            "principalId",
            "clientId",
            "name",
            "location",
            "tenantId",
        ],
    )?;
    Ok(Identity {
        id: r.string("id")?,
        principal_id: r.string("principalId")?,
        client_id: r.string("clientId")?,
    })
}

fn read_vault(v: &Value, path: &str) -> Result<Vault, InputError> {
    let r = Reader::new(
        v,
        path,
        &[
            "id",
            "name",
            "location",
            "kind",
            "enableSoftDelete",
            "enablePurgeProtection",
            "enableRbacAuthorization",
            "apiVersion",
            "publicNetworkAccess",
            "networkAcls",
            "accessPolicies",
            "softDeleteRetentionInDays",
        ],
    )?;
    Ok(Vault {
        id: r.string("id")?,
        name: r.string("name")?,
        location: r.string("location")?,
        kind: r.enumerated("kind", VAULT_KINDS)?,
        enable_soft_delete: r.boolean("enableSoftDelete")?,
        enable_purge_protection: r.boolean("enablePurgeProtection")?,
        enable_rbac_authorization: r.boolean("enableRbacAuthorization")?,
        api_version: r.string("apiVersion")?,
        public_network_access: r.string("publicNetworkAccess")?,
        network_acls: r.object("networkAcls", |v, p| {
            let r = Reader::new(
                v,
                p,
                &["bypass", "defaultAction", "ipRules", "virtualNetworkRules"],
            )?;
            Ok(NetworkAcls {
                bypass: r.string("bypass")?,
                default_action: r.string("defaultAction")?,
            })
        })?,
        access_policies: r.list("accessPolicies", |v, p| {
            let r = Reader::new(
                v,
                p,
                &["objectId", "tenantId", "applicationId", "permissions"],
            )?;
            let key_permissions = r
                .object("permissions", |v, p| {
                    let r = Reader::new(v, p, &["keys", "secrets", "certificates", "storage"])?;
                    r.strings("keys")
                })?
                .flatten()
                .unwrap_or_default();
            Ok(AccessPolicy {
                object_id: r.string("objectId")?,
                tenant_id: r.string("tenantId")?,
                application_id: r.string("applicationId")?,
                key_permissions,
            })
        })?,
    })
}

fn read_key(v: &Value, path: &str) -> Result<Key, InputError> {
    let r = Reader::new(
        v,
        path,
        &[
            "name", "existing", "kty", "keySize", "keyOps", "enabled", "nbf", "exp",
        ],
    )?;
    Ok(Key {
        name: r.string("name")?,
        existing: r.boolean("existing")?,
        kty: r.string("kty")?,
        key_size: r.integer("keySize")?,
        key_ops: r.strings("keyOps")?,
        enabled: r.boolean("enabled")?,
        nbf: r.optional_time("nbf")?,
        exp: r.optional_time("exp")?,
    })
}

fn read_role_assignment(v: &Value, path: &str) -> Result<RoleAssignment, InputError> {
    let r = Reader::new(
        v,
        path,
        &[
            "principalId",
            "roleDefinitionId",
            "roleDefinitionName",
            "scope",
            "dataActions",
            "principalType",
            "id",
            "name",
        ],
    )?;
    Ok(RoleAssignment {
        principal_id: r.string("principalId")?,
        role_definition_id: r.string("roleDefinitionId")?,
        role_definition_name: r.string("roleDefinitionName")?,
        scope: r.string("scope")?,
        data_actions: r.strings("dataActions")?,
    })
}
