//! The key-encryption identity: set, user-assigned, a valid identity resource ID, and attached to the cache.

use super::code::RuleCode;
use super::context::Ctx;
use super::inputs::{P_CACHE_IDENTITY, P_ID_TYPE, P_KEK_ID, P_UAI, P_UAIS};
use super::out::Out;
use crate::fix::{args, Facts};
use crate::identity::{parse_identity_id, same_resource_id};

use crate::model::IdentityType;
use crate::report::Command;
use crate::report::{params, Params};

/// Confirm: the cache's identities and key-encryption identity, and the identity itself.
pub(super) fn show_identities(facts: &Facts) -> Vec<Command> {
    vec![
        facts.show_cache(
            "{identity: identity, keyEncryptionKeyIdentity: properties.encryption.customerManagedKeyEncryption.keyEncryptionKeyIdentity}",
        ),
        facts.show_identity(),
    ]
}

pub(super) fn use_user_identity(facts: &Facts) -> (String, Vec<Command>) {
    (
        "Use a user-assigned identity for the key, and attach it to the cache".into(),
        vec![facts.attach_identity(), facts.set_identity()],
    )
}

pub(super) fn look_up_identity(facts: &Facts) -> (String, Vec<Command>) {
    (
        "Look up the identity's resource ID and set it as the key-encryption identity".into(),
        vec![
            Command::new(args(&[
                "az",
                "identity",
                "show",
                "--name",
                "<identity-name>",
                "--resource-group",
                "<resource-group>",
                "--query",
                "id",
                "--output",
                "tsv",
            ])),
            facts.set_identity(),
        ],
    )
}

pub(super) fn attach_identity(facts: &Facts) -> (String, Vec<Command>) {
    (
        "Attach the user-assigned identity to the cache".into(),
        vec![facts.attach_identity()],
    )
}

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    let family = RuleCode::span(RuleCode::IdentityMissing, RuleCode::IdentityNotAttached);
    if out.not_applicable_unless(ctx.cmk, family) {
        return;
    }
    let identity_type = ctx
        .cfg
        .encryption
        .as_ref()
        .and_then(|e| e.customer_managed_key_encryption.as_ref())
        .and_then(|c| c.key_encryption_key_identity.as_ref())
        .and_then(|k| k.identity_type.as_ref());
    let system = identity_type == Some(&IdentityType::SystemAssigned);
    if system {
        out.fail(
            RuleCode::IdentitySystemAssigned,
            P_ID_TYPE,
            "The key-encryption identity is system-assigned: Azure Managed Redis supports only a user-assigned \
             managed identity for reaching the key."
                .into(),
            "Create a user-assigned managed identity, attach it to the cache, set identityType to \
             \"userAssignedIdentity\" and userAssignedIdentityResourceId to its resource ID."
                .into(),
            params([("identityType", "systemAssignedIdentity".into())]),
        );
    } else {
        out.pass(RuleCode::IdentitySystemAssigned);
    }
    match identity_type {
        Some(IdentityType::Unknown(given)) => {
            let closest = closest(given, &IdentityType::VALUES);
            out.fail(
                RuleCode::IdentityTypeInvalid,
                P_ID_TYPE,
                format!(
                    "The key-encryption identity type '{given}' is not one of the two values the API accepts, \
                     \"userAssignedIdentity\" and \"systemAssignedIdentity\" (did you mean \"{closest}\"?); \
                     it is camelCase, unlike the cache's identity.type (\"UserAssigned\")."
                ),
                "Set identityType to \"userAssignedIdentity\": Azure Managed Redis reaches the key only with a \
                 user-assigned managed identity."
                    .into(),
                params([
                    ("identityType", given.as_str().into()),
                    ("expected", IdentityType::VALUES.to_vec().into()),
                    ("closest", closest.into()),
                ]),
            );
        }
        _ => out.pass(RuleCode::IdentityTypeInvalid),
    }

    let Some(uai) = ctx.uai_id else {
        if system {
            out.not_applicable(RuleCode::IdentityMissing);
        } else {
            out.fail(
                RuleCode::IdentityMissing,
                P_KEK_ID,
                "Customer-managed key encryption needs a user-assigned managed identity to reach the key, and none \
                 is set."
                    .into(),
                "Set keyEncryptionKeyIdentity to {\"identityType\": \"userAssignedIdentity\", \
                 \"userAssignedIdentityResourceId\": \"/subscriptions/…/providers/Microsoft.ManagedIdentity/\
                 userAssignedIdentities/{name}\"}."
                    .into(),
                Params::new(),
            );
        }
        out.not_applicable(RuleCode::IdentityResourceIdInvalid);
        out.not_applicable(RuleCode::IdentityNotAttached);
        return;
    };
    out.pass(RuleCode::IdentityMissing);

    let reparsed;
    let result = match &ctx.uai {
        Some(result) => result,
        None => {
            reparsed = parse_identity_id(uai);
            &reparsed
        }
    };
    let parsed = match result {
        Ok(id) => {
            out.pass(RuleCode::IdentityResourceIdInvalid);
            id
        }
        Err(e) => {
            let mut p = e.params();
            p.insert("reason", e.code().into());
            out.fail(
                RuleCode::IdentityResourceIdInvalid,
                P_UAI,
                e.to_string(),
                "Use the identity's resource ID as `az identity show --query id` prints it: \
                 /subscriptions/{subscription GUID}/resourceGroups/{group}/providers/\
                 Microsoft.ManagedIdentity/userAssignedIdentities/{name}."
                    .into(),
                p,
            );
            out.inconclusive(RuleCode::IdentityNotAttached, &[P_UAI]);
            return;
        }
    };

    let Some(block) = ctx.cfg.cache.as_ref().and_then(|c| c.identity.as_ref()) else {
        out.inconclusive(RuleCode::IdentityNotAttached, &[P_CACHE_IDENTITY]);
        return;
    };
    let type_has_user = block.kind.as_deref().map(|t| {
        t.split(',')
            .any(|part| part.trim().eq_ignore_ascii_case("UserAssigned"))
    });
    let listed = block.user_assigned_identities.as_ref().map(|m| {
        m.iter()
            .any(|(k, _)| same_resource_id(k, &parsed.id) || same_resource_id(k, uai))
    });
    match (type_has_user, listed) {
        (Some(false), _) => out.fail(
            RuleCode::IdentityNotAttached,
            &format!("{P_CACHE_IDENTITY}/type"),
            format!(
                "The cache's identity type is '{}', so the user-assigned identity '{}' is not attached to it.",
                block.kind.as_deref().unwrap_or(""),
                parsed.name
            ),
            format!(
                "Set the cache's identity.type to \"UserAssigned\" (or \"SystemAssigned, UserAssigned\") and add \
                 \"{}\" to identity.userAssignedIdentities.",
                parsed.id
            ),
            params([
                ("identityType", block.kind.clone().unwrap_or_default().into()),
                ("identityId", parsed.id.clone().into()),
            ]),
        ),
        (_, Some(false)) => out.fail(
            RuleCode::IdentityNotAttached,
            P_UAIS,
            format!(
                "The key-encryption identity '{}' is not in the cache's identity.userAssignedIdentities, so the cache \
                 cannot use it to reach the key.",
                parsed.name
            ),
            format!(
                "Add \"{}\" to the cache's identity.userAssignedIdentities (and include UserAssigned in \
                 identity.type).",
                parsed.id
            ),
            params([("identityId", parsed.id.clone().into())]),
        ),
        (_, Some(true)) => out.pass(RuleCode::IdentityNotAttached),
        (_, None) => out.inconclusive(RuleCode::IdentityNotAttached, &[P_UAIS]),
    }
}

/// The value of `choices` nearest to `given` (edit distance, ignoring case).
fn closest<'a>(given: &str, choices: &[&'a str]) -> &'a str {
    let given = given.to_ascii_lowercase();
    choices
        .iter()
        .copied()
        .min_by_key(|c| edit_distance(&given, &c.to_ascii_lowercase()))
        .unwrap_or_default()
}

/// Levenshtein distance over bytes (the values compared are short and ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let cost = diagonal + usize::from(ca != *cb);
            let value = cost.min(up.saturating_add(1)).min(left + 1);
            diagonal = up;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = value;
            }
            left = value;
        }
        if let Some(first) = row.get_mut(0) {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_identity_type() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            closest("UserAssigned", &IdentityType::VALUES),
            "userAssignedIdentity"
        );
        assert_eq!(
            closest("SystemAssigned", &IdentityType::VALUES),
            "systemAssignedIdentity"
        );
        assert_eq!(
            closest("None", &IdentityType::VALUES),
            "userAssignedIdentity"
        );
    }
}
