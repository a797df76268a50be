//! Built-in Key Vault and Managed HSM roles and what they grant.

/// A built-in role that matters for key access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    /// Role-definition GUID (lower-case).
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Data actions (Azure RBAC roles; empty for Managed HSM local roles, see `grants_hsm`).
    pub data_actions: &'static [&'static str],
    /// `true` for the Managed HSM local roles.
    pub managed_hsm: bool,
    /// For Managed HSM local roles: whether it grants key read + wrap + unwrap.
    pub grants_hsm: bool,
}

/// Least-privilege role for a Key Vault: Key Vault Crypto Service Encryption User.
pub const VAULT_LEAST_PRIVILEGE: &str = "e147488a-f6f5-4113-8e2d-b22465e65bf6";
/// Least-privilege role for a Managed HSM: Managed HSM Crypto Service Encryption User.
pub const HSM_LEAST_PRIVILEGE: &str = "33413926-3206-4cdd-b39a-83574fe37a17";

/// Data actions a Key Vault role must grant for Azure Managed Redis.
pub const REQUIRED_DATA_ACTIONS: [&str; 3] = [
    "Microsoft.KeyVault/vaults/keys/read",
    "Microsoft.KeyVault/vaults/keys/wrap/action",
    "Microsoft.KeyVault/vaults/keys/unwrap/action",
];

const fn rbac(id: &'static str, name: &'static str, data_actions: &'static [&'static str]) -> Role {
    Role {
        id,
        name,
        data_actions,
        managed_hsm: false,
        grants_hsm: false,
    }
}

const fn hsm(id: &'static str, name: &'static str, grants_hsm: bool) -> Role {
    Role {
        id,
        name,
        data_actions: &[],
        managed_hsm: true,
        grants_hsm,
    }
}

/// The built-in roles (sources: `shared/facts/azure.md` section C).
pub const ROLES: &[Role] = &[
    rbac(
        VAULT_LEAST_PRIVILEGE,
        "Key Vault Crypto Service Encryption User",
        &[
            "Microsoft.KeyVault/vaults/keys/read",
            "Microsoft.KeyVault/vaults/keys/wrap/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
        ],
    ),
    rbac(
        "12338af0-0e69-4776-bea7-57ae8d297424",
        "Key Vault Crypto User",
        &[
            "Microsoft.KeyVault/vaults/keys/read",
            "Microsoft.KeyVault/vaults/keys/update/action",
            "Microsoft.KeyVault/vaults/keys/backup/action",
            "Microsoft.KeyVault/vaults/keys/encrypt/action",
            "Microsoft.KeyVault/vaults/keys/decrypt/action",
            "Microsoft.KeyVault/vaults/keys/wrap/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
            "Microsoft.KeyVault/vaults/keys/sign/action",
            "Microsoft.KeyVault/vaults/keys/verify/action",
        ],
    ),
    rbac(
        "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
        "Key Vault Crypto Officer",
        &[
            "Microsoft.KeyVault/vaults/keys/*",
            "Microsoft.KeyVault/vaults/keyrotationpolicies/*",
        ],
    ),
    rbac(
        "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        "Key Vault Administrator",
        &["Microsoft.KeyVault/vaults/*"],
    ),
    rbac(
        "21090545-7ca7-4776-b22c-e363652d74d2",
        "Key Vault Reader",
        &[
            "Microsoft.KeyVault/vaults/*/read",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
        ],
    ),
    rbac(
        "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
        "Key Vault Certificate User",
        &[
            "Microsoft.KeyVault/vaults/certificates/read",
            "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
            "Microsoft.KeyVault/vaults/keys/read",
        ],
    ),
    rbac(
        "a4417e6f-fecd-4de8-b567-7b0420556985",
        "Key Vault Certificates Officer",
        &[
            "Microsoft.KeyVault/vaults/certificatecas/*",
            "Microsoft.KeyVault/vaults/certificates/*",
            "Microsoft.KeyVault/vaults/certificatecontacts/write",
        ],
    ),
    rbac(
        "08bbd89e-9f13-488c-ac41-acfcb10c90ab",
        "Key Vault Crypto Service Release User",
        &["Microsoft.KeyVault/vaults/keys/release/action"],
    ),
    rbac(
        "f25e0fa2-a7c8-4377-a976-54943a77a395",
        "Key Vault Contributor",
        &[],
    ),
    rbac(
        "8b54135c-b56d-4d72-a534-26097cfdc8d8",
        "Key Vault Data Access Administrator",
        &[],
    ),
    rbac(
        "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        "Key Vault Secrets Officer",
        &["Microsoft.KeyVault/vaults/secrets/*"],
    ),
    rbac(
        "4633458b-17de-408a-b874-0445c86b69e6",
        "Key Vault Secrets User",
        &[
            "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
        ],
    ),
    hsm(
        HSM_LEAST_PRIVILEGE,
        "Managed HSM Crypto Service Encryption User",
        true,
    ),
    hsm(
        "21dbd100-6940-42c2-9190-5d6cb909625b",
        "Managed HSM Crypto User",
        true,
    ),
    hsm(
        "515eb02d-2335-4d2d-92f2-b1cbdf9c3778",
        "Managed HSM Crypto Officer",
        false,
    ),
    hsm(
        "a290e904-7015-4bba-90c8-60543313cdb4",
        "Managed HSM Administrator",
        false,
    ),
];

/// The GUID at the end of a role-definition ID (`/subscriptions/…/roleDefinitions/{guid}` or the bare GUID),
/// lower-case.
#[must_use]
pub fn role_guid(role_definition_id: &str) -> String {
    role_definition_id
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Looks a role up by definition ID (GUID match) or, failing that, by display name (case-insensitive).
#[must_use]
pub fn find_role(
    role_definition_id: Option<&str>,
    role_name: Option<&str>,
) -> Option<&'static Role> {
    if let Some(id) = role_definition_id {
        let guid = role_guid(id);
        if let Some(r) = ROLES.iter().find(|r| r.id == guid) {
            return Some(r);
        }
    }
    let name = role_name?;
    ROLES
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
}

/// Whether a set of data actions (with `*` wildcards) grants every required action, case-insensitively.
#[must_use]
pub fn actions_grant_key_access<S: AsRef<str>>(data_actions: &[S]) -> bool {
    REQUIRED_DATA_ACTIONS.iter().all(|needed| {
        data_actions
            .iter()
            .any(|pattern| wildcard_match(pattern.as_ref(), needed))
    })
}

/// Whether a custom role's data actions are exactly the required ones (no wildcard, nothing more).
#[must_use]
pub fn actions_are_least_privilege<S: AsRef<str>>(data_actions: &[S]) -> bool {
    data_actions.iter().all(|a| {
        REQUIRED_DATA_ACTIONS
            .iter()
            .any(|r| r.eq_ignore_ascii_case(a.as_ref()))
    })
}

/// `*` matches any run of characters (including `/`), as in Azure RBAC action patterns.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    if !pattern.contains('*') {
        return pattern.eq_ignore_ascii_case(text);
    }
    let pattern = pattern.to_ascii_lowercase();
    let text = text.to_ascii_lowercase();
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = parts.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(i) => rest = rest.get(i + piece.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match(
            "Microsoft.KeyVault/vaults/*",
            "microsoft.keyvault/vaults/keys/read"
        ));
        assert!(wildcard_match(
            "Microsoft.KeyVault/vaults/*/read",
            "Microsoft.KeyVault/vaults/keys/read"
        ));
        assert!(!wildcard_match(
            "Microsoft.KeyVault/vaults/*/read",
            "Microsoft.KeyVault/vaults/keys/wrap/action"
        ));
        assert!(wildcard_match("*", "anything"));
        assert!(!wildcard_match(
            "Microsoft.KeyVault/vaults/secrets/*",
            "Microsoft.KeyVault/vaults/keys/read"
        ));
    }

    #[test]
    fn roles_that_grant() {
        let grants = |id: &str| {
            let r = find_role(Some(id), None).expect("known role");
            actions_grant_key_access(r.data_actions)
        };
        assert!(grants(VAULT_LEAST_PRIVILEGE));
        assert!(grants("12338af0-0e69-4776-bea7-57ae8d297424"));
        assert!(grants("14b46e9e-c2b7-41b4-b07b-48a6ebf60603"));
        assert!(grants("/providers/Microsoft.Authorization/roleDefinitions/00482A5A-887F-4FB3-B363-3B7FE8E74483"));
        assert!(!grants("21090545-7ca7-4776-b22c-e363652d74d2"));
        assert!(!grants("db79e9a7-68ee-4b58-9aeb-b90e7c24fcba"));
    }
}
