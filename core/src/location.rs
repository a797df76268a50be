//! Azure regions: canonical names and the cloud each belongs to.

use crate::key_uri::Cloud;

/// Canonical form of a location: lower-case, spaces removed, a leading `(Geography) ` label dropped
/// (`"(US) East US"` and `"East US"` both give `eastus`). Azure region names are ASCII: letters are lowered as
/// ASCII (other letters stay as given), whitespace is any Unicode whitespace.
#[must_use]
pub fn normalize_location(location: &str) -> String {
    let trimmed = location.trim();
    let without_label = match (trimmed.starts_with('('), trimmed.find(')')) {
        (true, Some(end)) => trimmed.get(end + 1..).unwrap_or(""),
        _ => trimmed,
    };
    // The usual spelling (`westeurope`) is already canonical.
    if without_label
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return without_label.to_owned();
    }
    let mut out: String = without_label
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    out.make_ascii_lowercase();
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_lower_ascii_and_drop_whitespace_and_label() {
        assert_eq!(normalize_location("(US) East US 2"), "eastus2");
        assert_eq!(normalize_location(" West\tEurope "), "westeurope");
        // Letters outside ASCII stay as given; any Unicode whitespace goes.
        assert_eq!(normalize_location("ÉAST\u{a0}US\u{2003}"), "Éastus");
        assert_eq!(normalize_location("éast us"), "éastus");
        assert_eq!(normalize_location(""), "");
    }
}
