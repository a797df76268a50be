//! Azure Resource Graph query output: the tenant-wide view of caches, vaults, identities and role assignments.
//!
//! Reads what `az graph query -q QUERY --first 1000` prints (`{"count", "data": [rows], "skip_token",
//! "total_records"}`), the REST API's answer (`{"totalRecords", "count", "$skipToken", "data", ...}`), and
//! several pages concatenated as a JSON array (other items of that array are read as `az` output, e.g. the
//! `az keyvault key show` outputs: Key Vault keys are not in Resource Graph). Rows carry the full resource
//! columns (`id`, `name`, `type` in lower case, `properties`, `identity`, `sku`, ...) of `resources` and
//! `authorizationresources`, so each row is read as the `az show` output of that resource.

use serde_json::{Map, Value};

use super::az;
use super::bundle::Bundle;
use super::symbols::Symbols;
use crate::error::InputError;

/// Members only a Resource Graph answer has next to `data`.
const PAGE_KEYS: &[&str] = &[
    "count",
    "total_records",
    "totalRecords",
    "skip_token",
    "$skipToken",
    "resultTruncated",
];

/// Whether `v` is one page of Resource Graph output (rows as objects).
pub(crate) fn is_page(v: &Value) -> bool {
    v.as_object().is_some_and(|m| {
        m.get("data").is_some_and(Value::is_array) && PAGE_KEYS.iter().any(|k| m.contains_key(*k))
    })
}

/// Whether the document is Resource Graph output: a page, or a JSON array with at least one page.
pub(crate) fn looks_like(doc: &Value) -> bool {
    match doc {
        Value::Array(items) => items.iter().any(is_page),
        other => is_page(other),
    }
}

/// The rows of the page at `pointer`.
fn rows<'d>(
    bundle: &mut Bundle,
    items: &mut Vec<(String, &'d Map<String, Value>)>,
    pointer: &str,
    page: &'d Value,
) -> Result<(), InputError> {
    let data = page
        .get("data")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for (i, row) in data.enumerate() {
        if let Value::Object(m) = row {
            let at = format!("{pointer}/data/{i}");
            // A page of the role-assignment query: the user listed them, so a cache with none has none.
            let rtype = m.get("type").and_then(Value::as_str).unwrap_or("");
            if rtype.eq_ignore_ascii_case("microsoft.authorization/roleassignments") {
                bundle.roles_listed = true;
                if bundle.roles_container.is_none() {
                    bundle.roles_container = Some(format!("{pointer}/data"));
                }
            }
            items.push((at, m));
        }
        az::too_many(items.len())?;
    }
    Ok(())
}

/// Reads Resource Graph output (one page or an array of pages and `az` outputs).
pub(crate) fn read(doc: &Value, _symbols: &mut Symbols) -> Result<Bundle, InputError> {
    let mut bundle = Bundle::default();
    let mut items: Vec<(String, &Map<String, Value>)> = Vec::new();
    match doc {
        Value::Array(list) => {
            bundle.container = String::new();
            for (i, v) in list.iter().enumerate() {
                let at = format!("/{i}");
                if is_page(v) {
                    rows(&mut bundle, &mut items, &at, v)?;
                } else {
                    az::list_item(&mut bundle, &mut items, &at, v);
                    az::too_many(items.len())?;
                }
            }
        }
        page => {
            bundle.container = "/data".into();
            rows(&mut bundle, &mut items, "", page)?;
        }
    }
    // Rows are camelCase (`subscriptionId`, `enablePurgeProtection`); a page of an SDK `.as_dict()` is not a
    // Resource Graph answer.
    az::read_items(&mut bundle, &items, false, true);
    Ok(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recognises_pages() {
        assert!(looks_like(
            &json!({"count": 0, "data": [], "skip_token": null, "total_records": 0})
        ));
        assert!(looks_like(
            &json!({"totalRecords": 1, "$skipToken": "x", "data": [{}]})
        ));
        assert!(looks_like(
            &json!([{"key": {}, "attributes": {}}, {"count": 1, "data": []}])
        ));
        assert!(!looks_like(&json!({"data": []})));
        assert!(!looks_like(
            &json!([{"type": "Microsoft.KeyVault/vaults", "id": "/x"}])
        ));
    }
}
