//! The fleet summary: what a tenant-wide check says first (caches checked, passing — of which inconclusive:
//! with checks to confirm —, failing;
//! findings per code; the subscriptions with most failing caches). Text, JSON and SARIF carry the same, when
//! the input held more than one cache.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value};

use super::{items, reports, s, RenderInput};

/// Subscriptions listed in the summary, worst first.
const WORST: usize = 5;

/// The summary of every cache of `inputs`, or `None` when there are fewer than two.
pub(crate) fn summary(inputs: &[RenderInput]) -> Option<Value> {
    let results: Vec<&Value> = inputs.iter().filter_map(|i| i.outcome.ok()).collect();
    let all: Vec<(&Value, &Value)> = results.iter().flat_map(|r| reports(r)).collect();
    if all.len() < 2 {
        return None;
    }
    let (mut passing, mut failing, mut inconclusive) = (0u64, 0u64, 0u64);
    let mut codes: BTreeMap<&str, u64> = BTreeMap::new();
    // Subscription → (caches, failing).
    let mut subs: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut keys_open = 0u64;
    for (resource, report) in &all {
        let valid = report
            .get("valid")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let open = report
            .pointer("/summary/inconclusive")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        // Passing: no error; of those, `inconclusive` still have checks to confirm.
        match (valid, open) {
            (false, _) => failing += 1,
            (true, 0) => passing += 1,
            (true, _) => {
                passing += 1;
                inconclusive += 1;
            }
        }
        for f in items(report, "findings") {
            *codes.entry(s(f, "code")).or_default() += 1;
        }
        if items(report, "checks")
            .any(|c| s(c, "outcome") == "inconclusive" && s(c, "code").starts_with("key."))
        {
            keys_open += 1;
        }
        if let Some(sub) = subscription(s(resource, "id")) {
            let e = subs.entry(sub).or_default();
            e.0 += 1;
            e.1 += u64::from(!valid);
        }
    }
    let mut per_code: Vec<(&str, u64)> = codes.into_iter().collect();
    per_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut worst: Vec<(String, (u64, u64))> = subs.into_iter().filter(|(_, v)| v.1 > 0).collect();
    worst.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(&b.0)));
    worst.truncate(WORST);
    let resource_graph = results.iter().any(|r| {
        s(r, "format") == "resourceGraph"
            || items(r, "files").any(|f| s(f, "format") == "resourceGraph")
    });
    let mut m = json!({
        "caches": all.len(),
        "passing": passing,
        "failing": failing,
        "inconclusive": inconclusive,
        "codes": per_code.iter().map(|(c, n)| json!({"code": c, "findings": n})).collect::<Vec<_>>(),
        "worstSubscriptions": worst
            .iter()
            .map(|(sub, (caches, failing))| json!({"subscription": sub, "caches": caches, "failing": failing}))
            .collect::<Vec<_>>(),
    });
    if resource_graph && keys_open > 0 {
        if let Value::Object(o) = &mut m {
            o.insert("keysNotInResourceGraph".into(), keys_open.into());
        }
    }
    Some(m)
}

/// The subscription of a resource ID (`/subscriptions/{id}/...`), lower case.
fn subscription(id: &str) -> Option<String> {
    let mut segs = id.split('/').skip(1);
    match (segs.next(), segs.next()) {
        // Not a value known only at deployment (`{subscription_id}`, `[subscription().id]`).
        (Some(k), Some(v))
            if k.eq_ignore_ascii_case("subscriptions")
                && !v.is_empty()
                && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            Some(v.to_ascii_lowercase())
        }
        _ => None,
    }
}

/// The summary as text, before the per-cache sections.
pub(crate) fn text(out: &mut String, m: &Value) {
    let n = |k: &str| m.get(k).and_then(Value::as_u64).unwrap_or(0);
    let _ = writeln!(
        out,
        "Summary: {} caches checked: {} passing ({} with checks to confirm), {} failing",
        n("caches"),
        n("passing"),
        n("inconclusive"),
        n("failing")
    );
    let codes: Vec<String> = items(m, "codes")
        .map(|c| {
            format!(
                "{} {}",
                s(c, "code"),
                c.get("findings").and_then(Value::as_u64).unwrap_or(0)
            )
        })
        .collect();
    if !codes.is_empty() {
        let _ = writeln!(out, "  Findings per code: {}", codes.join(", "));
    }
    let worst: Vec<String> = items(m, "worstSubscriptions")
        .map(|w| {
            let k = |f: &str| w.get(f).and_then(Value::as_u64).unwrap_or(0);
            format!(
                "{} ({} of {} failing)",
                s(w, "subscription"),
                k("failing"),
                k("caches")
            )
        })
        .collect();
    if !worst.is_empty() {
        let _ = writeln!(out, "  Worst subscriptions: {}", worst.join(", "));
    }
    if let Some(k) = m.get("keysNotInResourceGraph").and_then(Value::as_u64) {
        let _ = writeln!(
            out,
            "  Key Vault keys are not in Azure Resource Graph: the key checks of {k} cache{} stay inconclusive \
             until you add `az keyvault key show --vault-name VAULT --name KEY` output for their keys.",
            if k == 1 { "" } else { "s" }
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_of_ids() {
        assert_eq!(
            subscription("/subscriptions/ABC/resourceGroups/rg").as_deref(),
            Some("abc")
        );
        assert_eq!(subscription("/providers/x"), None);
        assert_eq!(subscription(""), None);
    }
}
