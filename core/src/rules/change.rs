//! Change: switching an existing cache between Microsoft-managed and customer-managed keys.

use super::code::RuleCode;
use super::context::Ctx;
use super::out::Out;
use crate::model::KeySource;
use crate::report::params;

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    const CODE: RuleCode = RuleCode::ChangeKeySourceSwitch;
    let cache = ctx.cfg.cache.as_ref();
    match cache.and_then(|c| c.existing) {
        Some(false) => out.not_applicable(CODE),
        None => out.inconclusive(CODE, &["/cache/existing"]),
        Some(true) => {
            let requested = if ctx.cmk {
                KeySource::CustomerManaged
            } else {
                KeySource::MicrosoftManaged
            };
            match cache.and_then(|c| c.current_key_source) {
                None => out.inconclusive(CODE, &["/cache/currentKeySource"]),
                Some(current) if current == requested => out.pass(CODE),
                Some(current) => out.fail(
                    CODE,
                    "/cache/currentKeySource",
                    format!(
                        "Switching this existing cache from {} to {} keys triggers a long-running maintenance \
                         operation with a service disruption; Microsoft does not recommend it for production.",
                        if current == KeySource::CustomerManaged { "customer-managed" } else { "Microsoft-managed" },
                        if requested == KeySource::CustomerManaged { "customer-managed" } else { "Microsoft-managed" },
                    ),
                    "Plan a maintenance window, or create a new cache with the key settings you want and migrate to it."
                        .into(),
                    params([
                        ("from", current.as_str().into()),
                        ("to", requested.as_str().into()),
                    ]),
                ),
            }
        }
    }
}
