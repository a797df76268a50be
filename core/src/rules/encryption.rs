//! Key source: whether a customer-managed key is configured, and whether the setup names a key.

use super::catalogue::{Spec, TemplateFix, DOC, DOC_HOWTO};
use super::code::RuleCode;
use super::context::Ctx;
use super::inputs::{Input, P_CMK};
use super::key_uri::{name_key_once, KEY_READS};
use super::out::Out;
use crate::plan::StepId;
use crate::report::Severity::{Error as E, Info as I};
use crate::report::{params, Params};

pub(super) const RULES: &[Spec] = &[
    Spec::new(
        RuleCode::EncryptionMicrosoftManaged,
        I,
        "Without a customer-managed key, Microsoft-managed keys encrypt the disks",
        DOC,
    )
    .reads(&[Input::Cmk]),
    Spec::new(
        RuleCode::EncryptionCmkIncomplete,
        E,
        "A customer-managed key setup names a key",
        DOC_HOWTO,
    )
    .reads(KEY_READS)
    .step(StepId::Key)
    .fix(name_key_once, TemplateFix::KeyUrl),
];

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    if !ctx.cmk {
        out.fail(
            RuleCode::EncryptionMicrosoftManaged,
            "/encryption",
            "No customer-managed key is configured: the disks are encrypted with Microsoft-managed keys only."
                .into(),
            "To use your own key, set encryption.customerManagedKeyEncryption with a versioned key URL and a \
             user-assigned identity."
                .into(),
            Params::new(),
        );
        out.not_applicable(RuleCode::EncryptionCmkIncomplete);
        return;
    }
    out.pass(RuleCode::EncryptionMicrosoftManaged);
    if ctx.key_given() {
        out.pass(RuleCode::EncryptionCmkIncomplete);
    } else {
        out.fail(
            RuleCode::EncryptionCmkIncomplete,
            P_CMK,
            "A customer-managed key is requested but no key is named.".into(),
            "Set keyEncryptionKeyUrl to the versioned key identifier \
             (https://{vault}.vault.azure.net/keys/{name}/{version}), or select the vault, key and version."
                .into(),
            params([("missing", "key".into())]),
        );
    }
}
