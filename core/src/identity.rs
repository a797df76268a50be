//! User-assigned managed identity ARM resource IDs.

use serde::Serialize;

use crate::error::IdentityIdError;

/// Longest accepted identity resource ID, in bytes (the parts' own limits add up to about 330).
pub const MAX_IDENTITY_ID_LEN: usize = 512;

/// A parsed user-assigned identity resource ID.
/// Serialises as `{"id","subscriptionId","resourceGroup","name"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityId {
    /// Canonical ID: `/subscriptions/{lower-case GUID}/resourceGroups/{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`.
    pub id: String,
    /// Identity name as given.
    pub name: String,
    /// Resource group name as given.
    pub resource_group: String,
    /// Subscription GUID, lower-case.
    pub subscription_id: String,
}

impl IdentityId {
    /// The key to compare IDs by: Azure resource IDs are case-insensitive.
    #[must_use]
    pub fn comparison_key(&self) -> String {
        self.id.to_ascii_lowercase()
    }
}

/// Parses `/subscriptions/{guid}/resourceGroups/{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`.
/// Segment names compare case-insensitively (Azure returns `resourcegroups` too).
///
/// # Errors
/// An [`IdentityIdError`] with an `identity_id.*` code.
pub fn parse_identity_id(input: &str) -> Result<IdentityId, IdentityIdError> {
    if input.is_empty() {
        return Err(IdentityIdError::Empty);
    }
    if input.len() > MAX_IDENTITY_ID_LEN {
        return Err(IdentityIdError::TooLong {
            len: input.len(),
            max: MAX_IDENTITY_ID_LEN,
        });
    }
    // One branch-free pass first: printable ASCII has neither whitespace nor control characters.
    let printable_ascii = input
        .bytes()
        .fold(true, |ok, b| ok & (b > b' ' && b < 0x7f));
    if !printable_ascii && input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(IdentityIdError::Whitespace);
    }
    let Some(rest) = input.strip_prefix('/') else {
        return Err(IdentityIdError::Malformed {
            reason: "must start with /subscriptions/",
        });
    };
    let eight_segments = || IdentityIdError::Malformed {
        reason: "expected 8 path segments",
    };
    // `rest.split('/')` into exactly 8 parts, by bytes (the segments are short).
    let mut segs = [""; 8];
    let mut tail = rest;
    for (k, seg) in segs.iter_mut().enumerate() {
        match tail.bytes().position(|b| b == b'/') {
            Some(i) if k < 7 => {
                *seg = tail.get(..i).unwrap_or("");
                tail = tail.get(i + 1..).unwrap_or("");
            }
            None if k == 7 => *seg = tail,
            _ => return Err(eight_segments()),
        }
    }
    let [sub_kw, sub, rg_kw, rg, prov_kw, ns, ty, name] = segs;
    if !sub_kw.eq_ignore_ascii_case("subscriptions")
        || !rg_kw.eq_ignore_ascii_case("resourceGroups")
        || !prov_kw.eq_ignore_ascii_case("providers")
    {
        return Err(IdentityIdError::Malformed {
            reason: "expected /subscriptions/…/resourceGroups/…/providers/…",
        });
    }
    if !is_guid(sub) {
        return Err(IdentityIdError::SubscriptionInvalid {
            subscription: (*sub).to_owned(),
        });
    }
    check_resource_group(rg)?;
    if !ns.eq_ignore_ascii_case("Microsoft.ManagedIdentity")
        || !ty.eq_ignore_ascii_case("userAssignedIdentities")
    {
        return Err(IdentityIdError::NotUserAssignedIdentity {
            resource_type: format!("{ns}/{ty}"),
        });
    }
    check_identity_name(name)?;
    let subscription_id = sub.to_ascii_lowercase();
    let mut id = String::with_capacity(128 + rg.len() + name.len());
    for part in [
        "/subscriptions/",
        &subscription_id,
        "/resourceGroups/",
        rg,
        "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/",
        name,
    ] {
        id.push_str(part);
    }
    Ok(IdentityId {
        id,
        subscription_id,
        resource_group: rg.to_owned(),
        name: name.to_owned(),
    })
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal, any case.
#[must_use]
pub fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Resource groups: 1-90 characters: letters, digits, `_`, `-`, `.`, `(`, `)` (Unicode letters and digits too),
/// not ending with a period.
fn check_resource_group(name: &str) -> Result<(), IdentityIdError> {
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '(' | ')');
    // ASCII names (nearly all) by bytes: one byte per character, `is_alphanumeric` is the ASCII one.
    let (count, all_allowed) = if name.is_ascii() {
        let ok = name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'(' | b')'));
        (name.len(), ok)
    } else {
        (name.chars().count(), name.chars().all(allowed))
    };
    let reason = if name.is_empty() || count > 90 {
        Some("must be 1 to 90 characters long")
    } else if !all_allowed {
        Some("may hold only letters, digits, '_', '-', '.', '(' and ')'")
    } else if name.ends_with('.') {
        Some("must not end with a period")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(IdentityIdError::ResourceGroupInvalid {
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// User-assigned identity names: 3-128 characters: letters, digits, `-`, `_`, starting with a letter or digit.
fn check_identity_name(name: &str) -> Result<(), IdentityIdError> {
    let reason = if name.len() < 3 || name.len() > 128 {
        Some("must be 3 to 128 characters long")
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Some("may hold only letters, digits, '-' and '_'")
    } else if !name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
    {
        Some("must start with a letter or digit")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(IdentityIdError::NameInvalid {
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// ARM resource IDs compare case-insensitively, ignoring a trailing slash.
#[must_use]
pub(crate) fn same_resource_id(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// The form of a resource ID that [`same_resource_id`] compares: two IDs are the same resource exactly when
/// their keys are equal (for hash lookups).
#[cfg(feature = "templates")]
#[must_use]
pub(crate) fn resource_id_key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}
