//! Tiers, SKUs and the encryption coverage matrix of Azure Managed Redis (seed page: "Scope of availability"
//! and "Encryption coverage").

use serde::Serialize;

use crate::error::SkuError;

/// An Azure Managed Redis tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Tier {
    /// Memory Optimized (`MemoryOptimized_M*`).
    MemoryOptimized,
    /// Balanced (`Balanced_B*`).
    Balanced,
    /// Compute Optimized (`ComputeOptimized_X*`).
    ComputeOptimized,
    /// Flash Optimized (`FlashOptimized_A*`): keys and values partly on a transient NVMe disk.
    FlashOptimized,
}

impl Tier {
    /// All tiers, in the page's order.
    pub const ALL: [Tier; 4] = [
        Tier::MemoryOptimized,
        Tier::Balanced,
        Tier::ComputeOptimized,
        Tier::FlashOptimized,
    ];

    /// `memoryOptimized`, `balanced`, `computeOptimized` or `flashOptimized`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MemoryOptimized => "memoryOptimized",
            Self::Balanced => "balanced",
            Self::ComputeOptimized => "computeOptimized",
            Self::FlashOptimized => "flashOptimized",
        }
    }

    /// The product name, e.g. `Memory Optimized`.
    #[must_use]
    pub fn display_name(self) -> &'static str {
        match self {
            Self::MemoryOptimized => "Memory Optimized",
            Self::Balanced => "Balanced",
            Self::ComputeOptimized => "Compute Optimized",
            Self::FlashOptimized => "Flash Optimized",
        }
    }

    /// The ARM SKU names of this tier.
    #[must_use]
    pub fn skus(self) -> &'static [&'static str] {
        match self {
            Self::MemoryOptimized => MEMORY_OPTIMIZED,
            Self::Balanced => BALANCED,
            Self::ComputeOptimized => COMPUTE_OPTIMIZED,
            Self::FlashOptimized => FLASH_OPTIMIZED,
        }
    }
}

const BALANCED: &[&str] = &[
    "Balanced_B0",
    "Balanced_B1",
    "Balanced_B3",
    "Balanced_B5",
    "Balanced_B10",
    "Balanced_B20",
    "Balanced_B50",
    "Balanced_B100",
    "Balanced_B150",
    "Balanced_B250",
    "Balanced_B350",
    "Balanced_B500",
    "Balanced_B700",
    "Balanced_B1000",
];
const MEMORY_OPTIMIZED: &[&str] = &[
    "MemoryOptimized_M10",
    "MemoryOptimized_M20",
    "MemoryOptimized_M50",
    "MemoryOptimized_M100",
    "MemoryOptimized_M150",
    "MemoryOptimized_M250",
    "MemoryOptimized_M350",
    "MemoryOptimized_M500",
    "MemoryOptimized_M700",
    "MemoryOptimized_M1000",
    "MemoryOptimized_M1500",
    "MemoryOptimized_M2000",
];
const COMPUTE_OPTIMIZED: &[&str] = &[
    "ComputeOptimized_X3",
    "ComputeOptimized_X5",
    "ComputeOptimized_X10",
    "ComputeOptimized_X20",
    "ComputeOptimized_X50",
    "ComputeOptimized_X100",
    "ComputeOptimized_X150",
    "ComputeOptimized_X250",
    "ComputeOptimized_X350",
    "ComputeOptimized_X500",
    "ComputeOptimized_X700",
];
const FLASH_OPTIMIZED: &[&str] = &[
    "FlashOptimized_A250",
    "FlashOptimized_A500",
    "FlashOptimized_A700",
    "FlashOptimized_A1000",
    "FlashOptimized_A1500",
    "FlashOptimized_A2000",
    "FlashOptimized_A4500",
];
/// Retired Azure Cache for Redis Enterprise SKUs, with their family.
const RETIRED: &[(&str, &str)] = &[
    ("Enterprise_E1", "Enterprise"),
    ("Enterprise_E5", "Enterprise"),
    ("Enterprise_E10", "Enterprise"),
    ("Enterprise_E20", "Enterprise"),
    ("Enterprise_E50", "Enterprise"),
    ("Enterprise_E100", "Enterprise"),
    ("Enterprise_E200", "Enterprise"),
    ("Enterprise_E400", "Enterprise"),
    ("EnterpriseFlash_F300", "EnterpriseFlash"),
    ("EnterpriseFlash_F700", "EnterpriseFlash"),
    ("EnterpriseFlash_F1500", "EnterpriseFlash"),
];

/// A SKU resolved to its tier. Serialises as `{"sku","tier","tierName"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuInfo {
    /// The SKU in its canonical ARM spelling.
    pub sku: &'static str,
    /// Its tier.
    pub tier: Tier,
    /// The tier's product name.
    pub tier_name: &'static str,
}

/// Resolves an ARM SKU name (case-insensitive) to its tier.
///
/// # Errors
/// `sku.retired` for `Enterprise_*` / `EnterpriseFlash_*`, `sku.unknown` otherwise.
pub fn tier_for_sku(sku: &str) -> Result<SkuInfo, SkuError> {
    for tier in Tier::ALL {
        if let Some(name) = tier.skus().iter().find(|s| s.eq_ignore_ascii_case(sku)) {
            return Ok(SkuInfo {
                sku: name,
                tier,
                tier_name: tier.display_name(),
            });
        }
    }
    if let Some((name, family)) = RETIRED.iter().find(|(s, _)| s.eq_ignore_ascii_case(sku)) {
        return Err(SkuError::Retired {
            name: (*name).to_owned(),
            family,
        });
    }
    // Any other Enterprise-family name is retired too, even if the table above lacks it.
    let lower = sku.to_ascii_lowercase();
    for (prefix, family) in [
        ("enterpriseflash_", "EnterpriseFlash"),
        ("enterprise_", "Enterprise"),
    ] {
        if lower.starts_with(prefix) && sku.len() <= 64 {
            return Err(SkuError::Retired {
                name: sku.to_owned(),
                family,
            });
        }
    }
    Err(SkuError::Unknown {
        name: crate::input::truncate(sku),
    })
}

/// Resolves a tier name (`Balanced`, `balanced`, `Memory Optimized`, `memoryOptimized`, `MemoryOptimized`, ...).
#[must_use]
pub fn tier_by_name(name: &str) -> Option<Tier> {
    let squashed: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .take(32)
        .collect();
    Tier::ALL
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(&squashed))
}

/// Which keys may encrypt a piece of data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyType {
    /// Microsoft-managed keys (always on).
    MicrosoftManaged,
    /// Customer-managed keys (wrapping the Microsoft-managed keys).
    CustomerManaged,
}

/// One row of the data / disk / allowed-keys table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskCoverage {
    /// Who controls the encryption: `cache` or `storageAccount`.
    pub controlled_by: &'static str,
    /// Stable id of the data: `persistenceFiles`, `exportTemporaryFiles`, `osDisk`, `flashKeysAndValues`, `exportedFile`.
    pub data: &'static str,
    /// What is stored, in words.
    pub description: &'static str,
    /// Where it is stored.
    pub disk: &'static str,
    /// Keys that may encrypt it (empty for the exported file: the storage account decides).
    pub keys: &'static [KeyType],
    /// `true` for the ephemeral NVMe disk.
    pub transient: bool,
}

const BOTH: &[KeyType] = &[KeyType::MicrosoftManaged, KeyType::CustomerManaged];
const MMK_ONLY: &[KeyType] = &[KeyType::MicrosoftManaged];

const COMMON_ROWS: [DiskCoverage; 3] = [
    DiskCoverage {
        data: "persistenceFiles",
        description: "Persistence files (RDB or AOF)",
        disk: "persistence disk",
        keys: BOTH,
        transient: false,
        controlled_by: "cache",
    },
    DiskCoverage {
        data: "exportTemporaryFiles",
        description: "RDB files waiting to be exported (temporary export data)",
        disk: "OS disk and persistence disk",
        keys: BOTH,
        transient: false,
        controlled_by: "cache",
    },
    DiskCoverage {
        data: "osDisk",
        description: "The OS disk itself",
        disk: "OS disk",
        keys: BOTH,
        transient: false,
        controlled_by: "cache",
    },
];
const FLASH_ROW: DiskCoverage = DiskCoverage {
    data: "flashKeysAndValues",
    description: "Keys and values (Flash Optimized only)",
    disk: "transient NVMe flash disk (ephemeral)",
    keys: MMK_ONLY,
    transient: true,
    controlled_by: "cache",
};
const EXPORT_ROW: DiskCoverage = DiskCoverage {
    data: "exportedFile",
    description: "The final exported file",
    disk: "the storage account",
    keys: &[],
    transient: false,
    controlled_by: "storageAccount",
};

/// Encryption coverage of one tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// Data, disk and allowed keys, in the page's order.
    pub disks: Vec<DiskCoverage>,
    /// Key types the tier supports (all tiers support both).
    pub key_types: &'static [KeyType],
    /// The tier.
    pub tier: Tier,
    /// Its product name.
    pub tier_name: &'static str,
}

/// Coverage of a tier.
#[must_use]
pub fn coverage_for_tier(tier: Tier) -> Coverage {
    let mut disks = COMMON_ROWS.to_vec();
    if tier == Tier::FlashOptimized {
        disks.push(FLASH_ROW);
    }
    disks.push(EXPORT_ROW);
    Coverage {
        tier,
        tier_name: tier.display_name(),
        key_types: BOTH,
        disks,
    }
}

/// Coverage by tier name or SKU name.
///
/// # Errors
/// `sku.unknown` or `sku.retired` (see [`tier_for_sku`]).
pub fn coverage(tier_or_sku: &str) -> Result<Coverage, SkuError> {
    if let Some(tier) = tier_by_name(tier_or_sku) {
        return Ok(coverage_for_tier(tier));
    }
    tier_for_sku(tier_or_sku).map(|info| coverage_for_tier(info.tier))
}

/// Coverage of every tier, in the page's order.
#[must_use]
pub fn coverage_matrix() -> Vec<Coverage> {
    Tier::ALL.into_iter().map(coverage_for_tier).collect()
}
