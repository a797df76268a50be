//! Azure regions: canonical names and the cloud each belongs to.

use crate::key_uri::Cloud;

/// Canonical form of a location: lower-case, spaces removed, a leading `(Geography) ` label dropped
/// (`"(US) East US"` and `"East US"` both give `eastus`).
#[must_use]
pub fn normalize_location(location: &str) -> String {
    let trimmed = location.trim();
    let without_label = match (trimmed.starts_with('('), trimmed.find(')')) {
        (true, Some(end)) => trimmed.get(end + 1..).unwrap_or(""),
        _ => trimmed,
    };
    if without_label.is_ascii() {
        // The same for ASCII, without the per-character iterators: `char::is_whitespace` is
        // tab..=carriage return and space there.
        return without_label
            .bytes()
            .filter(|b| !matches!(b, b'\t'..=b'\r' | b' '))
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    without_label
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The cloud of a region: `usgov*` and `usdod*` are US Government, `china*` China, the rest public.
#[must_use]
pub fn cloud_of_location(location: &str) -> Cloud {
    let canonical = normalize_location(location);
    if canonical.starts_with("usgov") || canonical.starts_with("usdod") {
        Cloud::Usgov
    } else if canonical.starts_with("china") {
        Cloud::China
    } else {
        Cloud::Public
    }
}
