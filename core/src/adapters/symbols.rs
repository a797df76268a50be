//! Symbolic values: stand-ins for values that exist at deployment but are not in the document (the deploying
//! subscription, a new identity's principal ID, a new key's version, `uniqueString(...)`).
//!
//! Each stand-in is a string of the right shape (a GUID, a 32-hex version, a valid name) so the rules treat it
//! like the real value, which always has that shape; two uses of the same thing get the same stand-in, so joins
//! and comparisons still work. Before the report is returned every stand-in is replaced by its display text
//! (`{subscription().subscriptionId}`) in messages, and by a placeholder (`<subscription-id>`) in fix commands.

use std::collections::BTreeMap;

/// What a stand-in stands for (decides its shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A GUID: subscription, tenant, principal, client ID, `guid(...)`.
    Guid,
    /// A resource group name.
    ResourceGroup,
    /// A region.
    Location,
    /// A key version (32 hexadecimal characters).
    Version,
    /// A name fragment such as `uniqueString(...)` (13 lower-case letters and digits).
    Name,
}

/// One stand-in.
#[derive(Debug, Clone)]
pub(crate) struct Symbol {
    pub raw: String,
    pub kind: Kind,
    /// Shown in messages, e.g. `{subscription().subscriptionId}`.
    pub display: String,
    /// Used in fix commands, e.g. `<subscription-id>`.
    pub placeholder: String,
}

/// The stand-ins of one `check` call.
#[derive(Debug, Default)]
pub(crate) struct Symbols {
    items: Vec<Symbol>,
    memo: BTreeMap<String, usize>,
    /// Raw stand-in (lower-case) → index.
    index: BTreeMap<String, usize>,
    /// The distinct lengths of the stand-ins, longest first.
    lengths: Vec<usize>,
}

const TAG: &str = "5e171e1d";

/// Whether `s` is a GUID stand-in (a subscription, tenant or principal ID not in the document), any case.
pub(crate) fn is_guid_stand_in(s: &str) -> bool {
    s.len() == 36
        && s.get(..TAG.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(TAG))
        && s.get(TAG.len()..TAG.len() + 16) == Some("-0000-4000-8000-")
}

impl Symbols {
    /// The stand-in for `key` (same key, same stand-in).
    pub fn get(&mut self, kind: Kind, key: &str, display: &str, placeholder: &str) -> String {
        let memo_key = format!("{kind:?}\u{0}{}", key.to_ascii_lowercase());
        if let Some(i) = self.memo.get(&memo_key) {
            if let Some(s) = self.items.get(*i) {
                return s.raw.clone();
            }
        }
        let n = self.items.len() + 1;
        let raw = match kind {
            Kind::Guid => format!("{TAG}-0000-4000-8000-{n:012x}"),
            Kind::ResourceGroup => format!("rg-{TAG}-{n}"),
            Kind::Location => format!("{TAG}loc{n}"),
            Kind::Version => format!("{TAG}{n:024x}"),
            Kind::Name => format!("u{TAG}{:04}", n % 10_000),
        };
        self.items.push(Symbol {
            raw: raw.clone(),
            kind,
            display: display.to_owned(),
            placeholder: placeholder.to_owned(),
        });
        self.memo.insert(memo_key, self.items.len() - 1);
        self.index
            .insert(raw.to_ascii_lowercase(), self.items.len() - 1);
        if !self.lengths.contains(&raw.len()) {
            self.lengths.push(raw.len());
            self.lengths.sort_unstable_by(|a, b| b.cmp(a));
        }
        raw
    }

    /// The stand-ins in `s`: (start, end, index), left to right, longest first where they overlap.
    fn find(&self, s: &str) -> Vec<(usize, usize, usize)> {
        // No stand-ins (most documents): nothing to find, and no lower-cased copy of `s`.
        if self.items.is_empty() {
            return Vec::new();
        }
        let lower = s.to_ascii_lowercase();
        let mut out: Vec<(usize, usize, usize)> = Vec::new();
        for (at, _) in lower.match_indices(TAG) {
            // Every shape puts the tag 0, 1 ("u") or 3 ("rg-") bytes after its start.
            'offsets: for back in [3usize, 1, 0] {
                let Some(start) = at.checked_sub(back) else {
                    continue;
                };
                if out.last().is_some_and(|(_, e, _)| start < *e) {
                    continue;
                }
                for len in &self.lengths {
                    let Some(candidate) = lower.get(start..start + len) else {
                        continue;
                    };
                    if let Some(i) = self.index.get(candidate) {
                        out.push((start, start + len, *i));
                        break 'offsets;
                    }
                }
            }
        }
        out
    }

    /// Whether `s` contains any stand-in.
    pub fn contains_any(&self, s: &str) -> bool {
        !self.items.is_empty() && s.to_ascii_lowercase().contains(TAG) && !self.find(s).is_empty()
    }

    /// Whether `s` contains a stand-in of `kind`.
    pub fn contains_kind(&self, s: &str, kind: Kind) -> bool {
        self.find(s)
            .iter()
            .any(|(_, _, i)| self.items.get(*i).is_some_and(|x| x.kind == kind))
    }

    /// `s` with every stand-in replaced by its display text.
    pub fn display(&self, s: &str) -> String {
        self.replace(s, |i| &i.display)
    }

    /// `s` with every stand-in replaced by its placeholder.
    pub fn placeholder(&self, s: &str) -> String {
        self.replace(s, |i| &i.placeholder)
    }

    fn replace<'a>(&'a self, s: &str, with: impl Fn(&'a Symbol) -> &'a str) -> String {
        if self.items.is_empty() || !s.to_ascii_lowercase().contains(TAG) {
            return s.to_owned();
        }
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        for (start, end, i) in self.find(s) {
            let Some(item) = self.items.get(i) else {
                continue;
            };
            // ASCII lower-casing keeps byte offsets, so they are valid in `s` too.
            out.push_str(s.get(last..start).unwrap_or(""));
            out.push_str(with(item));
            last = end;
        }
        out.push_str(s.get(last..).unwrap_or(""));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_have_the_right_shape_and_are_replaced() {
        let mut s = Symbols::default();
        let sub = s.get(
            Kind::Guid,
            "subscription",
            "{subscription().subscriptionId}",
            "<subscription-id>",
        );
        assert!(crate::identity::is_guid(&sub));
        assert_eq!(s.get(Kind::Guid, "SUBSCRIPTION", "x", "y"), sub);
        let v = s.get(Kind::Version, "k", "{version}", "<key-version>");
        assert_eq!(v.len(), 32);
        assert!(v.bytes().all(|b| b.is_ascii_hexdigit()));
        let n = s.get(Kind::Name, "u", "{uniqueString()}", "<unique>");
        assert_eq!(n.len(), 13);
        let text = format!("/subscriptions/{}/x/{v}", sub.to_ascii_uppercase());
        assert_eq!(
            s.display(&text),
            "/subscriptions/{subscription().subscriptionId}/x/{version}"
        );
        assert!(s.contains_any(&text));
        assert!(!s.contains_any("plain"));
    }
}
