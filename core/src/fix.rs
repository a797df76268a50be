//! Fixes: the change that resolves a finding, as reviewed Azure CLI commands. Each rule declares its fix in its
//! family's file (`rules/*.rs`); this file holds what they are built from: the facts and the command builders.
//!
//! Every command is an argument vector; [`Command::shell`] quotes each argument for a POSIX shell, so a hostile
//! name in the input stays one inert word. Values the input does not give are placeholders in angle brackets
//! (`<resource-group>`), listed in [`Fix::placeholders`].

use serde::Serialize;

use crate::key_uri::{KeyId, VaultKind};
use crate::report::{Command, Fix};
use crate::roles::VAULT_LEAST_PRIVILEGE;

/// ARM API version used for the cache changes (`az rest --method patch`).
pub const CACHE_API_VERSION: &str = "2025-07-01";

impl Fix {
    /// A fix from its summary and `az` commands; `None` when there is no command to run.
    pub(crate) fn from_commands((summary, commands): (String, Vec<Command>)) -> Option<Self> {
        if commands.is_empty() {
            return None;
        }
        let placeholders = placeholders_of(&commands);
        Some(Fix {
            summary,
            commands,
            placeholders,
            disruptive: false,
            #[cfg(feature = "templates")]
            patch: Vec::new(),
            #[cfg(feature = "templates")]
            terraform: Vec::new(),
        })
    }
}

/// What the fixes may fill in, as far as the input tells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub cache_id: Option<String>,
    pub cache_name: Option<String>,
    pub cache_location: Option<String>,
    pub key: Option<KeyId>,
    pub vault_name: Option<String>,
    pub vault_id: Option<String>,
    pub vault_kind: Option<VaultKind>,
    pub key_name: Option<String>,
    pub identity_id: Option<String>,
    pub principal_id: Option<String>,
    /// Object IDs of access policies (for `access.policies_ignored`).
    pub policy_object_ids: Vec<String>,
    /// The cache's identity type today (to keep a system-assigned identity when attaching one).
    pub cache_identity_type: Option<String>,
}

pub(crate) fn or(v: Option<&str>, placeholder: &str) -> String {
    v.filter(|s| !s.is_empty() && !s.chars().any(char::is_control))
        .map(str::to_owned)
        .unwrap_or_else(|| placeholder.to_owned())
}

pub(crate) fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

impl Facts {
    /// The vault's name: from the key URI, else as described, else a placeholder.
    pub(crate) fn vault(&self) -> String {
        let named = self.vault_name.as_deref();
        or(
            self.key.as_ref().map(KeyId::vault_name).or(named),
            "<vault-name>",
        )
    }

    /// The key's name: from the key URI, else as described, else a placeholder.
    pub(crate) fn key_name(&self) -> String {
        let named = self.key_name.as_deref();
        or(
            self.key.as_ref().map(KeyId::key_name).or(named),
            "<key-name>",
        )
    }

    pub(crate) fn hsm(&self) -> bool {
        self.vault_kind == Some(VaultKind::ManagedHsm)
    }

    pub(crate) fn principal(&self) -> String {
        or(self.principal_id.as_deref(), "<identity-principal-id>")
    }

    pub(crate) fn identity_id(&self) -> String {
        or(
            self.identity_id.as_deref(),
            "/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<identity-name>",
        )
    }

    pub(crate) fn patch_cache(&self, body: &CacheBody<'_>) -> Command {
        patch_cache_command(self.cache_id.as_ref(), self.cache_name.as_ref(), body)
    }

    pub(crate) fn set_key_url(&self, url: &str) -> Command {
        self.patch_cache(&CacheBody::key(CustomerManagedKey {
            key_encryption_key_url: Some(url),
            ..CustomerManagedKey::default()
        }))
    }

    pub(crate) fn show_kid(&self) -> Command {
        let (flag, vault) = self.vault_flag();
        Command::new(vec![
            "az".into(),
            "keyvault".into(),
            "key".into(),
            "show".into(),
            flag,
            vault,
            "--name".into(),
            self.key_name(),
            "--query".into(),
            "key.kid".into(),
            "--output".into(),
            "tsv".into(),
        ])
    }

    /// `az redisenterprise show` of the cache with a JMESPath `query` (read-only).
    pub(crate) fn show_cache(&self, query: &str) -> Command {
        let mut argv = args(&["az", "redisenterprise", "show"]);
        match self
            .cache_id
            .as_deref()
            .filter(|id| !id.is_empty() && !id.chars().any(char::is_control))
        {
            Some(id) => argv.extend(["--ids".into(), id.to_owned()]),
            None => {
                argv.extend([
                    "--name".into(),
                    or(self.cache_name.as_deref(), "<cache-name>"),
                ]);
                argv.extend(args(&["--resource-group", "<resource-group>"]));
            }
        }
        argv.extend(["--query".into(), query.to_owned()]);
        Command::new(argv)
    }

    /// `az keyvault show` (or `az keyvault show --hsm-name`) with a JMESPath `query` (read-only).
    pub(crate) fn show_vault(&self, query: &str) -> Command {
        let (flag, vault) = self.vault_flag();
        let flag = if self.hsm() { flag } else { "--name".into() };
        let mut argv = args(&["az", "keyvault", "show"]);
        argv.extend([flag, vault, "--query".into(), query.to_owned()]);
        Command::new(argv)
    }

    /// `az keyvault key show` with a JMESPath `query` (read-only).
    pub(crate) fn show_key(&self, query: &str) -> Command {
        let (flag, vault) = self.vault_flag();
        let mut argv = args(&["az", "keyvault", "key", "show"]);
        argv.extend([flag, vault, "--name".into(), self.key_name()]);
        if let Some(version) = self.key.as_ref().and_then(KeyId::version) {
            argv.extend(["--version".into(), version.to_owned()]);
        }
        argv.extend(["--query".into(), query.to_owned()]);
        Command::new(argv)
    }

    /// `az identity show` of the key-encryption identity (read-only).
    pub(crate) fn show_identity(&self) -> Command {
        let mut argv = args(&["az", "identity", "show", "--ids"]);
        argv.push(self.identity_id());
        argv.extend(args(&[
            "--query",
            "{id: id, principalId: principalId, clientId: clientId}",
        ]));
        Command::new(argv)
    }

    /// The role assignments that reach the identity on the vault, inherited ones included (read-only).
    pub(crate) fn list_roles(&self) -> Command {
        if self.hsm() {
            let mut argv = args(&["az", "keyvault", "role", "assignment", "list", "--hsm-name"]);
            argv.push(self.vault());
            argv.extend(["--assignee".into(), self.principal()]);
            return Command::new(argv);
        }
        let mut argv = args(&["az", "role", "assignment", "list", "--assignee"]);
        argv.push(self.principal());
        argv.push("--scope".into());
        argv.push(or(self.vault_id.as_deref(), "<vault-resource-id>"));
        argv.push("--include-inherited".into());
        Command::new(argv)
    }

    pub(crate) fn vault_flag(&self) -> (String, String) {
        let flag = if self.hsm() {
            "--hsm-name"
        } else {
            "--vault-name"
        };
        (flag.into(), self.vault())
    }

    pub(crate) fn key_set_attributes(&self, extra: &[&str]) -> Command {
        let (flag, vault) = self.vault_flag();
        let mut argv = args(&["az", "keyvault", "key", "set-attributes"]);
        argv.extend([flag, vault, "--name".into(), self.key_name()]);
        if let Some(version) = self
            .key
            .as_ref()
            .and_then(|k| k.version().map(str::to_owned))
        {
            argv.extend(["--version".into(), version]);
        }
        argv.extend(args(extra));
        Command::new(argv)
    }

    pub(crate) fn vault_update(&self, extra: &[&str]) -> Command {
        let mut argv = args(&["az", "keyvault", "update", "--name"]);
        argv.push(self.vault());
        argv.extend(args(extra));
        Command::new(argv)
    }

    pub(crate) fn assign_least_role(&self) -> Command {
        if self.hsm() {
            let mut argv = args(&[
                "az",
                "keyvault",
                "role",
                "assignment",
                "create",
                "--hsm-name",
            ]);
            argv.push(self.vault());
            argv.extend(args(&[
                "--role",
                "Managed HSM Crypto Service Encryption User",
                "--assignee-object-id",
            ]));
            argv.push(self.principal());
            argv.extend(args(&[
                "--assignee-principal-type",
                "ServicePrincipal",
                "--scope",
            ]));
            argv.push(format!("/keys/{}", self.key_name()));
            Command::new(argv)
        } else {
            let mut argv = args(&[
                "az",
                "role",
                "assignment",
                "create",
                "--role",
                VAULT_LEAST_PRIVILEGE,
            ]);
            argv.push("--assignee-object-id".into());
            argv.push(self.principal());
            argv.extend(args(&[
                "--assignee-principal-type",
                "ServicePrincipal",
                "--scope",
            ]));
            argv.push(or(self.vault_id.as_deref(), "<vault-resource-id>"));
            Command::new(argv)
        }
    }

    pub(crate) fn attach_identity(&self) -> Command {
        let has_system = self.cache_identity_type.as_deref().is_some_and(|t| {
            t.split(',')
                .any(|p| p.trim().eq_ignore_ascii_case("SystemAssigned"))
        });
        let kind = if has_system {
            "SystemAssigned, UserAssigned"
        } else {
            "UserAssigned"
        };
        let id = self.identity_id();
        self.patch_cache(&CacheBody {
            identity: Some(IdentityBody {
                kind,
                user_assigned_identities: OneIdentity(&id),
            }),
            properties: None,
        })
    }

    pub(crate) fn set_identity(&self) -> Command {
        let id = self.identity_id();
        self.patch_cache(&CacheBody::key(CustomerManagedKey {
            key_encryption_key_identity: Some(KeyIdentityBody::user_assigned(&id)),
            ..CustomerManagedKey::default()
        }))
    }

    pub(crate) fn versioned_url_placeholder(&self) -> String {
        match &self.key {
            // The key's versionless identifier with the new version to fill in (never after an old version).
            Some(k) => format!("{}/keys/{}/<key-version>", k.vault_url(), k.key_name()),
            None => "<versioned-key-url>".into(),
        }
    }
}

/// The body of a PATCH on the cache: the parts a fix sets. Fields in the lexicographic order of their JSON names
/// (the canonical key order), so serde writes the canonical bytes.
#[derive(Serialize)]
pub(crate) struct CacheBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) identity: Option<IdentityBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) properties: Option<Properties<'a>>,
}

impl<'a> CacheBody<'a> {
    /// `{"properties": {"encryption": {"customerManagedKeyEncryption": key}}}`.
    pub(crate) fn key(key: CustomerManagedKey<'a>) -> Self {
        Self {
            identity: None,
            properties: Some(Properties {
                encryption: Encryption {
                    customer_managed_key_encryption: key,
                },
            }),
        }
    }
}

/// The cache's `identity`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdentityBody<'a> {
    #[serde(rename = "type")]
    pub(crate) kind: &'a str,
    pub(crate) user_assigned_identities: OneIdentity<'a>,
}

/// `{"<identity resource ID>": {}}`: the one identity a fix attaches (written as a map of one entry, without a
/// map type in the build).
pub(crate) struct OneIdentity<'a>(pub(crate) &'a str);

impl Serialize for OneIdentity<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &Empty {})?;
        map.end()
    }
}

/// `{}`.
#[derive(Serialize)]
pub(crate) struct Empty {}

/// The cache's `properties`.
#[derive(Serialize)]
pub(crate) struct Properties<'a> {
    encryption: Encryption<'a>,
}

/// `properties.encryption`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Encryption<'a> {
    customer_managed_key_encryption: CustomerManagedKey<'a>,
}

/// `customerManagedKeyEncryption` (`{}`: Microsoft-managed keys).
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CustomerManagedKey<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) key_encryption_key_identity: Option<KeyIdentityBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) key_encryption_key_url: Option<&'a str>,
}

/// `keyEncryptionKeyIdentity`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct KeyIdentityBody<'a> {
    identity_type: &'static str,
    user_assigned_identity_resource_id: &'a str,
}

impl<'a> KeyIdentityBody<'a> {
    /// The user-assigned identity `id`.
    pub(crate) fn user_assigned(id: &'a str) -> Self {
        Self {
            identity_type: "userAssignedIdentity",
            user_assigned_identity_resource_id: id,
        }
    }
}

/// `az rest --method patch` on the cache with a JSON body (serialised, never concatenated). The cache's resource
/// ID, or one built from its name with placeholders for the subscription and resource group.
pub(crate) fn patch_cache_command(
    cache_id: Option<&String>,
    cache_name: Option<&String>,
    body: &CacheBody<'_>,
) -> Command {
    let id = match cache_id {
        Some(id) if !id.is_empty() && !id.chars().any(char::is_control) => id.clone(),
        _ => format!(
            "/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.Cache/redisEnterprise/{}",
            or(cache_name.map(String::as_str), "<cache-name>")
        ),
    };
    Command::new(vec![
        "az".into(),
        "rest".into(),
        "--method".into(),
        "patch".into(),
        "--url".into(),
        format!("{id}?api-version={CACHE_API_VERSION}"),
        "--body".into(),
        crate::json_text::to_string(body),
    ])
}

/// The placeholders (`<resource-group>`, ...) in commands' arguments, in order of first appearance.
pub(crate) fn placeholders_of(commands: &[Command]) -> Vec<String> {
    let mut out = Vec::new();
    for a in commands.iter().flat_map(|c| &c.argv) {
        collect_placeholders(a, &mut out);
    }
    out
}

/// Finds `<lower-case-words>` tokens.
pub(crate) fn collect_placeholders(s: &str, out: &mut Vec<String>) {
    let mut rest = s;
    while let Some(start) = rest.find('<') {
        let after = rest.get(start..).unwrap_or("");
        let Some(end) = after.find('>') else { break };
        let token = after.get(..=end).unwrap_or("");
        let inner = token.get(1..token.len().saturating_sub(1)).unwrap_or("");
        if !inner.is_empty()
            && inner.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && !out.iter().any(|p| p == token)
        {
            out.push(token.to_owned());
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
}
