//! The key's properties: an enabled RSA key that permits wrapKey and unwrapKey, within its validity dates.

use super::code::RuleCode;
use super::context::Ctx;
use super::out::{missing, Out};
use crate::fix::{args, Facts};
use crate::report::Command;
use crate::report::{params, Params};

pub(super) fn wrap_ops(facts: &Facts) -> (String, Vec<Command>) {
    let set = facts.key_set_attributes(&["--ops", "wrapKey", "unwrapKey"]);
    ("Permit wrapKey and unwrapKey on the key".into(), vec![set])
}

pub(super) fn enable_key(facts: &Facts) -> (String, Vec<Command>) {
    let set = facts.key_set_attributes(&["--enabled", "true"]);
    ("Enable the key version".into(), vec![set])
}

pub(super) fn activate_now(facts: &Facts) -> (String, Vec<Command>) {
    let set = facts.key_set_attributes(&["--not-before", "<now-utc>"]);
    ("Move the key's activation date to now".into(), vec![set])
}

pub(super) fn rsa_key(facts: &Facts) -> (String, Vec<Command>) {
    let (flag, vault) = facts.vault_flag();
    let mut argv = args(&["az", "keyvault", "key", "create"]);
    argv.extend([
        flag,
        vault,
        "--name".into(),
        format!("{}-rsa", facts.key_name()),
    ]);
    argv.extend(args(&[
        "--kty",
        if facts.hsm() { "RSA-HSM" } else { "RSA" },
    ]));
    argv.extend(args(&["--size", "3072", "--ops", "wrapKey", "unwrapKey"]));
    (
        "Create an RSA key with wrapKey and unwrapKey, then set the cache's key URL to its version"
            .into(),
        vec![Command::new(argv), facts.set_key_url("<versioned-key-url>")],
    )
}

pub(super) fn new_key_version(facts: &Facts) -> (String, Vec<Command>) {
    let (flag, vault) = facts.vault_flag();
    let mut argv = args(&["az", "keyvault", "key", "rotate"]);
    argv.extend([flag, vault, "--name".into(), facts.key_name()]);
    (
        "Create a new key version, then set the cache's key URL to it".into(),
        vec![
            Command::new(argv),
            facts.show_kid(),
            facts.set_key_url(&facts.versioned_url_placeholder()),
        ],
    )
}

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    let family = RuleCode::span(RuleCode::KeyNotRsa, RuleCode::KeyNotYetValid);
    let Some(key) = out.family_input(ctx.cmk, family, ctx.cfg.key.as_ref(), "/key") else {
        return;
    };
    let label = ctx.key_name().unwrap_or_else(|| "the key".into());
    let vault_name = ctx.vault_name().unwrap_or_else(|| "<vault-name>".into());
    let key_name = ctx.key_name().unwrap_or_else(|| "<key-name>".into());

    match key.kty.as_deref() {
        None => out.inconclusive(RuleCode::KeyNotRsa, &["/key/kty"]),
        Some(kty) if kty.eq_ignore_ascii_case("RSA") || kty.eq_ignore_ascii_case("RSA-HSM") => {
            out.pass(RuleCode::KeyNotRsa);
        }
        Some(kty) => out.fail(
            RuleCode::KeyNotRsa,
            "/key/kty",
            format!("The key '{label}' is of type '{kty}': Azure Managed Redis supports only RSA keys."),
            format!(
                "Create an RSA key (RSA or RSA-HSM, 2048, 3072 or 4096 bits) with wrapKey and unwrapKey operations, \
                 e.g. `az keyvault key create --vault-name {vault_name} --name {key_name}-rsa --kty RSA --size 3072 \
                 --ops wrapKey unwrapKey`, and use its versioned URL."
            ),
            params([("kty", kty.into())]),
        ),
    }

    match &key.key_ops {
        // Key Vault permits every operation on a key created with none listed.
        None if key.existing == Some(false) => out.pass(RuleCode::KeyOperationsMissing),
        None => out.inconclusive(RuleCode::KeyOperationsMissing, &["/key/keyOps"]),
        Some(ops) => {
            let has = |op: &str| ops.iter().any(|o| o.eq_ignore_ascii_case(op));
            let missing = missing(&["wrapKey", "unwrapKey"], has);
            out.fail_unless(RuleCode::KeyOperationsMissing, missing.is_empty(), "/key/keyOps", || {
                (
                    format!(
                        "The key '{label}' does not permit {}: Azure Managed Redis wraps and unwraps its \
                         Microsoft-managed keys with it.",
                        missing.join(" and ")
                    ),
                    format!(
                        "Allow the operations on the key: `az keyvault key set-attributes --vault-name {vault_name} \
                         --name {key_name} --ops wrapKey unwrapKey` (keep any others you need)."
                    ),
                    params([(
                        "missing",
                        missing.into(),
                    )]),
                )
            });
        }
    }

    match key.enabled {
        None => out.inconclusive(RuleCode::KeyDisabled, &["/key/enabled"]),
        Some(true) => out.pass(RuleCode::KeyDisabled),
        Some(false) => out.fail(
            RuleCode::KeyDisabled,
            "/key/enabled",
            format!("The key '{label}' is disabled, so the cache cannot unwrap its keys."),
            format!("Enable it: `az keyvault key set-attributes --vault-name {vault_name} --name {key_name} --enabled true`."),
            Params::new(),
        ),
    }

    let now = ctx.cfg.now;
    match (key.exp, now) {
        (None, _) => out.inconclusive(RuleCode::KeyExpired, &["/key/exp"]),
        (Some(None), _) => out.pass(RuleCode::KeyExpired),
        (Some(Some(_)), None) => out.inconclusive(RuleCode::KeyExpired, &["/now"]),
        (Some(Some(exp)), Some(now)) if exp <= now => out.fail(
            RuleCode::KeyExpired,
            "/key/exp",
            format!(
                "The key '{label}' expired at {}: an expired key cannot wrap or unwrap.",
                crate::time::format_rfc3339(exp)
            ),
            "Create a new key version (or extend the expiry with `az keyvault key set-attributes --expires`), then \
             update the cache's key URL to it."
                .into(),
            params([
                ("exp", crate::time::format_rfc3339(exp).into()),
                ("now", crate::time::format_rfc3339(now).into()),
            ]),
        ),
        (Some(Some(_)), Some(_)) => out.pass(RuleCode::KeyExpired),
    }

    match (key.nbf, now) {
        (None, _) => out.inconclusive(RuleCode::KeyNotYetValid, &["/key/nbf"]),
        (Some(None), _) => out.pass(RuleCode::KeyNotYetValid),
        (Some(Some(_)), None) => out.inconclusive(RuleCode::KeyNotYetValid, &["/now"]),
        (Some(Some(nbf)), Some(now)) if nbf > now => out.fail(
            RuleCode::KeyNotYetValid,
            "/key/nbf",
            format!(
                "The key '{label}' is not valid before {}.",
                crate::time::format_rfc3339(nbf)
            ),
            "Wait until the activation date, or clear it with `az keyvault key set-attributes --not-before`.".into(),
            params([
                ("nbf", crate::time::format_rfc3339(nbf).into()),
                ("now", crate::time::format_rfc3339(now).into()),
            ]),
        ),
        (Some(Some(_)), Some(_)) => out.pass(RuleCode::KeyNotYetValid),
    }
}
