//! Key source: whether a customer-managed key is configured, and whether the setup names a key.

use super::code::RuleCode;
use super::context::Ctx;
use super::inputs::P_CMK;
use super::out::Out;
use crate::report::{params, Params};

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
