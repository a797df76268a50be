//! Coverage facts: what the customer-managed key does not cover (Flash Optimized NVMe data, exported files).

use super::code::RuleCode;
use super::context::Ctx;
use super::out::Out;
use crate::coverage::Tier;
use crate::report::{params, Params};

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    let tier = ctx
        .sku
        .as_ref()
        .and_then(|s| s.as_ref().ok())
        .map(|s| s.tier);
    match (ctx.cmk, tier) {
        (false, _) | (true, Some(Tier::MemoryOptimized | Tier::Balanced | Tier::ComputeOptimized)) => {
            out.not_applicable(RuleCode::CoverageFlashNvmeMmkOnly);
        }
        (true, Some(Tier::FlashOptimized)) => out.fail(
            RuleCode::CoverageFlashNvmeMmkOnly,
            "/cache/sku",
            "On the Flash Optimized tier, keys and values partly live on a transient NVMe flash disk, which is \
             always encrypted with Microsoft-managed keys; the customer-managed key covers the OS and persistence \
             disks."
                .into(),
            "Nothing to change: the NVMe data is ephemeral and not persisted after a stop, deallocation or reboot."
                .into(),
            params([("tier", Tier::FlashOptimized.as_str().into())]),
        ),
        (true, None) => out.inconclusive(RuleCode::CoverageFlashNvmeMmkOnly, &["/cache/sku"]),
    }
    match ctx.cfg.cache.as_ref().and_then(|c| c.export_in_use) {
        Some(true) => out.fail(
            RuleCode::CoverageExportStorageAccount,
            "/cache/exportInUse",
            "Data export is in use: the cache's keys encrypt the temporary export files, but the final exported \
             file's encryption is set by the storage account, not by the cache."
                .into(),
            "Configure encryption (and a customer-managed key if you need one) on the storage account that \
             receives the exports."
                .into(),
            Params::new(),
        ),
        Some(false) => out.not_applicable(RuleCode::CoverageExportStorageAccount),
        None => out.inconclusive(RuleCode::CoverageExportStorageAccount, &["/cache/exportInUse"]),
    }
}
