//! SKU rules: the SKU is an Azure Managed Redis SKU, and not a retired Enterprise one.

use super::code::RuleCode;
use super::context::Ctx;
use super::out::Out;
use crate::error::SkuError;

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    match &ctx.sku {
        None => {
            out.inconclusive(RuleCode::SkuUnknown, &["/cache/sku"]);
            out.inconclusive(RuleCode::SkuRetired, &["/cache/sku"]);
        }
        Some(Ok(_)) => {
            out.pass(RuleCode::SkuUnknown);
            out.pass(RuleCode::SkuRetired);
        }
        Some(Err(e @ SkuError::Unknown { name })) => {
            out.fail(
                RuleCode::SkuUnknown,
                "/cache/sku",
                e.to_string(),
                format!(
                    "Use an Azure Managed Redis SKU: Balanced_B0…B1000, MemoryOptimized_M10…M2000, \
                     ComputeOptimized_X3…X700 or FlashOptimized_A250…A4500 (got '{name}')."
                ),
                e.params(),
            );
            out.not_applicable(RuleCode::SkuRetired);
        }
        Some(Err(e @ SkuError::Retired { .. })) => {
            out.pass(RuleCode::SkuUnknown);
            out.fail(
                RuleCode::SkuRetired,
                "/cache/sku",
                e.to_string(),
                "Create an Azure Managed Redis cache instead (Balanced, Memory Optimized, Compute Optimized or \
                 Flash Optimized tier); Enterprise and Enterprise Flash caches retire on March 31, 2027."
                    .into(),
                e.params(),
            );
        }
    }
}
