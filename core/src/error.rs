//! Errors of the parsing and input functions. Every variant has a stable code (public API).

use serde_json::{Map, Value};

use crate::report::{params, Params};

/// Writes a leaf error enum's `code()` and its `CODES` list from one table, so a code is listed once.
macro_rules! codes {
    ($(#[$doc:meta])* $ty:ident { $($variant:ident => $code:literal,)* }) => {
        impl $ty {
            $(#[$doc])*
            #[must_use]
            pub fn code(&self) -> &'static str {
                match self {
                    $(Self::$variant { .. } => $code,)*
                }
            }

            /// Every code this error type can carry, in declaration order.
            pub const CODES: &'static [&'static str] = &[$($code),*];
        }
    };
}

/// Why a key identifier is not a usable Azure Key Vault key URI. Each variant has a stable `key_uri.*` code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyUriError {
    /// The identifier is empty.
    #[error("the key identifier is empty")]
    Empty,
    /// Longer than any real key identifier.
    #[error("the key identifier is {len} characters long; the longest valid one is {max}")]
    TooLong {
        /// Length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Contains whitespace (often a copy-paste leftover).
    #[error("the key identifier contains whitespace at character {index}")]
    Whitespace {
        /// Character index of the first whitespace.
        index: usize,
    },
    /// Contains a non-ASCII character (Key Vault hosts and names are ASCII; look-alike letters are a spoofing risk).
    #[error("the key identifier contains a non-ASCII character at character {index}")]
    NonAscii {
        /// Character index of the first non-ASCII character.
        index: usize,
    },
    /// Not an absolute URL of the form `https://host/path`.
    #[error("the key identifier is not a URL of the form https://{{vault}}.vault.azure.net/keys/{{name}}/{{version}}")]
    Malformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// The scheme is not `https`.
    #[error("the key identifier uses the scheme '{scheme}'; Key Vault key URIs use https")]
    NotHttps {
        /// The scheme given.
        scheme: String,
    },
    /// Has a `user@` part before the host, which hides the real host.
    #[error("the key identifier has a user-info part ('...@'), so its real host is not the vault it seems to name")]
    Userinfo,
    /// Has an explicit port.
    #[error("the key identifier has a port; Key Vault key URIs have none")]
    Port,
    /// Has a query string.
    #[error("the key identifier has a query string ('?...'); Key Vault key URIs have none")]
    Query,
    /// Has a fragment.
    #[error("the key identifier has a fragment ('#...'); Key Vault key URIs have none")]
    Fragment,
    /// Contains percent-encoding.
    #[error("the key identifier contains percent-encoding ('%'); Key Vault names never need it")]
    PercentEncoded,
    /// The host is not exactly `{vault}.{suffix}` for a Key Vault or Managed HSM suffix of a supported cloud.
    #[error("the host '{host}' is not an Azure Key Vault or Managed HSM host (expected {{name}}.vault.azure.net, .vault.azure.cn, .vault.usgovcloudapi.net or their managedhsm forms)")]
    HostNotKeyVault {
        /// The host given, lower-case.
        host: String,
    },
    /// The vault (or HSM) name breaks Azure's naming rules.
    #[error("the vault name '{name}' is invalid: {reason}")]
    VaultNameInvalid {
        /// The name.
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// The path is not under `/keys/`.
    #[error("the identifier points to '{collection}', not to a key (expected /keys/{{name}}/{{version}})")]
    CollectionNotKeys {
        /// The first path segment ("" when there is none).
        collection: String,
    },
    /// `/keys` with no key name.
    #[error("the identifier has no key name after /keys/")]
    KeyNameMissing,
    /// The key name breaks Azure's naming rules.
    #[error("the key name '{name}' is invalid: {reason}")]
    KeyNameInvalid {
        /// The name.
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// No version (only reported where a version is required).
    #[error(
        "the key identifier has no version; Azure Managed Redis accepts versioned key URLs only"
    )]
    VersionMissing,
    /// The version is not 32 hexadecimal characters.
    #[error("the key version '{version}' is not 32 hexadecimal characters")]
    VersionInvalid {
        /// The version given.
        version: String,
    },
    /// More path segments than `/keys/{name}/{version}`.
    #[error("the identifier has more path segments than /keys/{{name}}/{{version}}")]
    ExtraSegments,
    /// An empty path segment (`//` or a trailing `/`).
    #[error("the identifier has an empty path segment ('//' or a trailing '/')")]
    EmptySegment,
    /// A `.` or `..` path segment.
    #[error("the identifier has a '.' or '..' path segment")]
    DotSegment,
}

codes! {
    /// The stable code of this error, e.g. `key_uri.port`.
    KeyUriError {
        Empty => "key_uri.empty",
        TooLong => "key_uri.too_long",
        Whitespace => "key_uri.whitespace",
        NonAscii => "key_uri.non_ascii",
        Malformed => "key_uri.malformed",
        NotHttps => "key_uri.not_https",
        Userinfo => "key_uri.userinfo",
        Port => "key_uri.port",
        Query => "key_uri.query",
        Fragment => "key_uri.fragment",
        PercentEncoded => "key_uri.percent_encoded",
        HostNotKeyVault => "key_uri.host_not_key_vault",
        VaultNameInvalid => "key_uri.vault_name_invalid",
        CollectionNotKeys => "key_uri.collection_not_keys",
        KeyNameMissing => "key_uri.key_name_missing",
        KeyNameInvalid => "key_uri.key_name_invalid",
        VersionMissing => "key_uri.version_missing",
        VersionInvalid => "key_uri.version_invalid",
        ExtraSegments => "key_uri.extra_segments",
        EmptySegment => "key_uri.empty_segment",
        DotSegment => "key_uri.dot_segment",
    }
}

impl KeyUriError {
    /// The values the message was built from.
    #[must_use]
    pub fn params(&self) -> Params {
        match self {
            Self::TooLong { len, max } => {
                params([("length", (*len).into()), ("max", (*max).into())])
            }
            Self::Whitespace { index } | Self::NonAscii { index } => {
                params([("index", (*index).into())])
            }
            Self::Malformed { reason } => params([("reason", (*reason).into())]),
            Self::NotHttps { scheme } => params([("scheme", scheme.as_str().into())]),
            Self::HostNotKeyVault { host } => params([("host", host.as_str().into())]),
            Self::VaultNameInvalid { name, reason } | Self::KeyNameInvalid { name, reason } => {
                params([("name", name.as_str().into()), ("reason", (*reason).into())])
            }
            Self::CollectionNotKeys { collection } => {
                params([("collection", collection.as_str().into())])
            }
            Self::VersionInvalid { version } => params([("version", version.as_str().into())]),
            _ => Params::new(),
        }
    }
}

/// Why a string is not a user-assigned managed identity ARM resource ID. Codes `identity_id.*`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityIdError {
    /// The ID is empty.
    #[error("the identity resource ID is empty")]
    Empty,
    /// Longer than any ARM resource ID of this shape can be.
    #[error("the identity resource ID is {len} characters long; the limit is {max}")]
    TooLong {
        /// Length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Contains whitespace or control characters.
    #[error("the identity resource ID contains whitespace or a control character")]
    Whitespace,
    /// Not `/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`.
    #[error("not a user-assigned identity resource ID: expected /subscriptions/{{subscription}}/resourceGroups/{{group}}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{{name}}")]
    Malformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// The subscription segment is not a GUID.
    #[error("the subscription ID '{subscription}' is not a GUID")]
    SubscriptionInvalid {
        /// The segment given.
        subscription: String,
    },
    /// The resource-group name breaks Azure's naming rules.
    #[error("the resource group name '{name}' is invalid: {reason}")]
    ResourceGroupInvalid {
        /// The name.
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// Another resource type than `Microsoft.ManagedIdentity/userAssignedIdentities`.
    #[error("the resource type '{resource_type}' is not Microsoft.ManagedIdentity/userAssignedIdentities")]
    NotUserAssignedIdentity {
        /// The provider and type given.
        resource_type: String,
    },
    /// The identity name breaks Azure's naming rules.
    #[error("the identity name '{name}' is invalid: {reason}")]
    NameInvalid {
        /// The name.
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
}

codes! {
    /// The stable code of this error, e.g. `identity_id.subscription_invalid`.
    IdentityIdError {
        Empty => "identity_id.empty",
        TooLong => "identity_id.too_long",
        Whitespace => "identity_id.whitespace",
        Malformed => "identity_id.malformed",
        SubscriptionInvalid => "identity_id.subscription_invalid",
        ResourceGroupInvalid => "identity_id.resource_group_invalid",
        NotUserAssignedIdentity => "identity_id.not_user_assigned_identity",
        NameInvalid => "identity_id.name_invalid",
    }
}

impl IdentityIdError {
    /// The values the message was built from.
    #[must_use]
    pub fn params(&self) -> Params {
        match self {
            Self::TooLong { len, max } => {
                params([("length", (*len).into()), ("max", (*max).into())])
            }
            Self::Malformed { reason } => params([("reason", (*reason).into())]),
            Self::SubscriptionInvalid { subscription } => {
                params([("subscription", subscription.as_str().into())])
            }
            Self::ResourceGroupInvalid { name, reason } | Self::NameInvalid { name, reason } => {
                params([("name", name.as_str().into()), ("reason", (*reason).into())])
            }
            Self::NotUserAssignedIdentity { resource_type } => {
                params([("resourceType", resource_type.as_str().into())])
            }
            _ => Params::new(),
        }
    }
}

/// A SKU or tier name that Azure Managed Redis does not offer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SkuError {
    /// Not a known SKU or tier name.
    #[error("'{name}' is not an Azure Managed Redis SKU or tier (tiers: Memory Optimized, Balanced, Compute Optimized, Flash Optimized; SKUs such as Balanced_B10)")]
    Unknown {
        /// The name given.
        name: String,
    },
    /// A retired Azure Cache for Redis Enterprise SKU.
    #[error("'{name}' is an Azure Cache for Redis Enterprise SKU, not Azure Managed Redis; new ones can no longer be created")]
    Retired {
        /// The SKU in its canonical spelling.
        name: String,
        /// `Enterprise` or `EnterpriseFlash`.
        family: &'static str,
    },
}

codes! {
    /// The stable code: `sku.unknown` or `sku.retired`.
    SkuError {
        Unknown => "sku.unknown",
        Retired => "sku.retired",
    }
}

impl SkuError {
    /// The values the message was built from.
    #[must_use]
    pub fn params(&self) -> Params {
        match self {
            Self::Unknown { name } => params([("sku", name.as_str().into())]),
            Self::Retired { name, family } => {
                params([("sku", name.as_str().into()), ("family", (*family).into())])
            }
        }
    }
}

/// The input document itself is unusable (before any rule runs). Codes `input.*`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Not valid JSON.
    #[error("the input is not valid JSON: {detail}")]
    InvalidJson {
        /// The parser's description.
        detail: String,
    },
    /// A Terraform file that is not valid HCL (or a `.tf.json` / `.tfvars.json` file that is not valid JSON).
    #[error("{file}:{line}:{column}: not valid HCL: {detail}")]
    InvalidHcl {
        /// The file's name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's description.
        detail: String,
    },
    /// Larger than the input limit.
    #[error("the input is {len} bytes; the limit is {max}")]
    TooLarge {
        /// Size in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Nested deeper than the limit.
    #[error("the input is nested deeper than {max} levels")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A string of the document is longer than the limit.
    #[error("the input has a string longer than {max} bytes at line {line}, column {column}")]
    StringTooLong {
        /// The limit, in bytes.
        max: usize,
        /// 1-based line of the string's start.
        line: usize,
        /// 1-based column (in bytes) of the string's start.
        column: usize,
    },
    /// An array or object of the document holds more items than the limit.
    #[error(
        "the input has an array or object of more than {max} items at line {line}, column {column}"
    )]
    ListTooLong {
        /// The limit.
        max: usize,
        /// 1-based line of the array or object's start.
        line: usize,
        /// 1-based column (in bytes) of its start.
        column: usize,
    },
    /// A list holds more items than the limit.
    #[error("'{path}' holds {len} items; the limit is {max}")]
    TooManyItems {
        /// JSON Pointer of the list.
        path: String,
        /// Items given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A field the model does not have (typos are never ignored).
    #[error("unknown field '{field}' at '{path}'")]
    UnknownField {
        /// JSON Pointer of the object holding it.
        path: String,
        /// The field name.
        field: String,
    },
    /// A value of the wrong JSON type.
    #[error("'{path}' must be {expected}")]
    InvalidType {
        /// JSON Pointer of the value.
        path: String,
        /// What was expected.
        expected: String,
    },
    /// A value outside the allowed set.
    #[error("'{path}' has the value {value}; expected {expected}")]
    InvalidValue {
        /// JSON Pointer of the value.
        path: String,
        /// The value given, as JSON.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// The function called does not exist (JSON API only).
    #[error("unknown function '{name}'")]
    UnknownFunction {
        /// The name given.
        name: String,
    },
    /// The document is none of the accepted input formats (`check`).
    #[error("the document is not a recognised input: expected {expected}")]
    UnrecognizedFormat {
        /// What was expected.
        expected: String,
    },
    /// The document is in a recognised format but holds no Azure Managed Redis cache (`check`).
    #[error(
        "the {format} document holds no Azure Managed Redis cache ({expected}); found {found}"
    )]
    NoCache {
        /// The format recognised.
        format: String,
        /// The resource types that would have been recognised.
        expected: String,
        /// What the document holds instead.
        found: String,
    },
}

codes! {
    /// The stable code, e.g. `input.unknown_field`.
    InputError {
        InvalidJson => "input.invalid_json",
        InvalidHcl => "input.invalid_hcl",
        TooLarge => "input.too_large",
        TooDeep => "input.too_deep",
        TooManyItems => "input.too_many_items",
        StringTooLong => "input.string_too_long",
        ListTooLong => "input.list_too_long",
        UnknownField => "input.unknown_field",
        InvalidType => "input.invalid_type",
        InvalidValue => "input.invalid_value",
        UnknownFunction => "input.unknown_function",
        UnrecognizedFormat => "input.unrecognized_format",
        NoCache => "input.no_cache",
    }
}

impl InputError {
    /// The values the message was built from.
    #[must_use]
    pub fn params(&self) -> Params {
        match self {
            Self::InvalidJson { detail } => params([("detail", detail.as_str().into())]),
            Self::InvalidHcl {
                file,
                line,
                column,
                detail,
            } => params([
                ("file", file.as_str().into()),
                ("line", (*line).into()),
                ("column", (*column).into()),
                ("detail", detail.as_str().into()),
            ]),
            Self::TooLarge { len, max } => {
                params([("length", (*len).into()), ("max", (*max).into())])
            }
            Self::TooDeep { max } => params([("max", (*max).into())]),
            Self::StringTooLong { max, line, column } | Self::ListTooLong { max, line, column } => {
                params([
                    ("max", (*max).into()),
                    ("line", (*line).into()),
                    ("column", (*column).into()),
                ])
            }
            Self::TooManyItems { path, len, max } => params([
                ("path", path.as_str().into()),
                ("length", (*len).into()),
                ("max", (*max).into()),
            ]),
            Self::UnknownField { path, field } => params([
                ("path", path.as_str().into()),
                ("field", field.as_str().into()),
            ]),
            Self::InvalidType { path, expected } => params([
                ("path", path.as_str().into()),
                ("expected", expected.as_str().into()),
            ]),
            Self::InvalidValue {
                path,
                value,
                expected,
            } => params([
                ("path", path.as_str().into()),
                ("value", value.as_str().into()),
                ("expected", expected.as_str().into()),
            ]),
            Self::UnknownFunction { name } => params([("name", name.as_str().into())]),
            Self::UnrecognizedFormat { expected } => {
                params([("expected", expected.as_str().into())])
            }
            Self::NoCache {
                format,
                expected,
                found,
            } => params([
                ("format", format.as_str().into()),
                ("expected", expected.as_str().into()),
                ("found", found.as_str().into()),
            ]),
        }
    }
}

/// Any error of the public API: one type for bindings to convert.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`KeyUriError`].
    #[error(transparent)]
    KeyUri(#[from] KeyUriError),
    /// See [`IdentityIdError`].
    #[error(transparent)]
    IdentityId(#[from] IdentityIdError),
    /// See [`SkuError`].
    #[error(transparent)]
    Sku(#[from] SkuError),
    /// See [`InputError`].
    #[error(transparent)]
    Input(#[from] InputError),
}

impl Error {
    /// The stable code of the underlying error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::KeyUri(e) => e.code(),
            Self::IdentityId(e) => e.code(),
            Self::Sku(e) => e.code(),
            Self::Input(e) => e.code(),
        }
    }

    /// The error family, which bindings map to an exception class:
    /// `keyUri` → `KeyUriError`, `identityId` → `IdentityIdError`, `sku` → `SkuError`, `input` → `InputError`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::KeyUri(_) => "keyUri",
            Self::IdentityId(_) => "identityId",
            Self::Sku(_) => "sku",
            Self::Input(_) => "input",
        }
    }

    /// The values the message was built from.
    #[must_use]
    pub fn params(&self) -> Params {
        match self {
            Self::KeyUri(e) => e.params(),
            Self::IdentityId(e) => e.params(),
            Self::Sku(e) => e.params(),
            Self::Input(e) => e.params(),
        }
    }

    /// The error as canonical JSON text, the bytes of [`Error::to_json_value`] written straight:
    /// `{"code","kind","message","params"}`.
    #[must_use]
    pub fn to_json(&self) -> String {
        /// The keys in lexicographic order.
        #[derive(serde::Serialize)]
        struct Out {
            code: &'static str,
            kind: &'static str,
            message: String,
            params: Params,
        }
        crate::json_text::to_string(&Out {
            code: self.code(),
            kind: self.kind(),
            message: self.to_string(),
            params: self.params(),
        })
    }

    /// The error as JSON: `{"kind", "code", "message", "params"}`.
    #[must_use]
    pub fn to_json_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), self.kind().into());
        m.insert("code".into(), self.code().into());
        m.insert("message".into(), self.to_string().into());
        m.insert("params".into(), Value::Object(self.params().to_map()));
        Value::Object(m)
    }
}

/// Every error code of the API functions (not the rule codes; see [`crate::rule_codes`]).
#[must_use]
pub fn error_codes() -> Vec<&'static str> {
    let mut v = Vec::new();
    v.extend_from_slice(KeyUriError::CODES);
    v.extend_from_slice(IdentityIdError::CODES);
    v.extend_from_slice(SkuError::CODES);
    v.extend_from_slice(InputError::CODES);
    v
}
