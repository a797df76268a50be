//! Azure Key Vault / Managed HSM key identifiers: strict parsing and the "select vault and key" input method.

use std::ops::Range;

use serde::Serialize;

use crate::error::KeyUriError;

/// Longest accepted key identifier, in bytes. The longest valid one is about 227 characters
/// (`https://` + 24-character HSM name + `.managedhsm.usgovcloudapi.net` + `/keys/` + 127 + `/` + 32).
pub const MAX_KEY_URI_LEN: usize = 256;

/// The Azure cloud a Key Vault host (or a region) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Cloud {
    /// Azure public cloud.
    Public,
    /// Azure China (21Vianet).
    China,
    /// Azure US Government.
    Usgov,
}

impl Cloud {
    /// Every cloud, in declaration order.
    pub const ALL: [Cloud; 3] = [Self::Public, Self::China, Self::Usgov];

    /// `public`, `china` or `usgov`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::China => "china",
            Self::Usgov => "usgov",
        }
    }

    /// The Key Vault DNS suffix of this cloud for the given vault kind.
    #[must_use]
    pub fn suffix(self, kind: VaultKind) -> &'static str {
        HOST_SUFFIXES
            .iter()
            .find(|(_, c, k)| *c == self && *k == kind)
            .map_or("", |(s, _, _)| s)
    }
}

/// Whether a key lives in a Key Vault or a Managed HSM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum VaultKind {
    /// An Azure Key Vault (`*.vault.azure.net` and sovereign equivalents).
    Vault,
    /// An Azure Key Vault Managed HSM (`*.managedhsm.azure.net` and sovereign equivalents).
    ManagedHsm,
}

impl VaultKind {
    /// Every vault kind, in declaration order.
    pub const ALL: [VaultKind; 2] = [Self::Vault, Self::ManagedHsm];

    /// `vault` or `managedHsm`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vault => "vault",
            Self::ManagedHsm => "managedHsm",
        }
    }
}

/// Host suffixes (without the leading dot) with their cloud and vault kind.
pub const HOST_SUFFIXES: &[(&str, Cloud, VaultKind)] = &[
    ("vault.azure.net", Cloud::Public, VaultKind::Vault),
    ("managedhsm.azure.net", Cloud::Public, VaultKind::ManagedHsm),
    ("vault.azure.cn", Cloud::China, VaultKind::Vault),
    ("managedhsm.azure.cn", Cloud::China, VaultKind::ManagedHsm),
    ("vault.usgovcloudapi.net", Cloud::Usgov, VaultKind::Vault),
    (
        "managedhsm.usgovcloudapi.net",
        Cloud::Usgov,
        VaultKind::ManagedHsm,
    ),
];

/// A parsed, validated key identifier: the canonical URI in one string, with its parts as slices of it.
/// Serialises as `{"cloud","keyName","uri","vaultKind","vaultName","vaultUrl","version"}` (keys in lexicographic
/// order, as every object of the core).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyId {
    /// Canonical URI: `https://` + lower-case host + `/keys/{keyName}` [+ `/{version}` lower-case].
    uri: String,
    cloud: Cloud,
    vault_kind: VaultKind,
    /// End of the vault name in `uri` (it starts after `https://`).
    name_end: usize,
    /// End of the host in `uri` (the vault URL is `uri[..host_end]`).
    host_end: usize,
    /// End of the key name in `uri` (it starts after `{host}/keys/`).
    key_end: usize,
}

const SCHEME: &str = "https://";
const KEYS: &str = "/keys/";

mod fast;
use fast::{class, find_byte, has_byte, parse_canonical, BAD, PERCENT, QUERY_OR_FRAGMENT};

impl KeyId {
    /// Canonical URI: `https://` + lower-case host + `/keys/{keyName}` [+ `/{version}` lower-case].
    #[must_use]
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The canonical URI, taking ownership.
    #[must_use]
    pub fn into_uri(self) -> String {
        self.uri
    }

    /// The cloud of the host.
    #[must_use]
    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    /// Key Vault or Managed HSM.
    #[must_use]
    pub fn vault_kind(&self) -> VaultKind {
        self.vault_kind
    }

    /// The vault (or HSM) name, lower-case.
    #[must_use]
    pub fn vault_name(&self) -> &str {
        self.part(self.vault_name_span())
    }

    /// `https://` + lower-case host, no port, no trailing slash.
    #[must_use]
    pub fn vault_url(&self) -> &str {
        self.part(self.vault_url_span())
    }

    /// The key name as given (Key Vault compares it case-insensitively).
    #[must_use]
    pub fn key_name(&self) -> &str {
        self.part(self.key_name_span())
    }

    /// The 32-hex-character version, lower-case; `None` for a versionless identifier.
    #[must_use]
    pub fn version(&self) -> Option<&str> {
        self.version_span().map(|span| self.part(span))
    }

    /// Where each part is in [`uri`](Self::uri), as byte ranges: `&key.uri()[spans.key_name]` is
    /// [`key_name`](Self::key_name), and so on for every part. For a binding that builds its native object from
    /// slices of the URI string it already holds (the JS `parseKeyUri` fast path) without knowing the URI's
    /// grammar. The canonical URI is ASCII, so the byte ranges are also UTF-16 and character ranges.
    #[must_use]
    pub fn spans(&self) -> KeySpans {
        KeySpans {
            vault_url: self.vault_url_span(),
            vault_name: self.vault_name_span(),
            key_name: self.key_name_span(),
            version: self.version_span(),
        }
    }

    fn part(&self, span: Range<usize>) -> &str {
        self.uri.get(span).unwrap_or("")
    }

    fn vault_url_span(&self) -> Range<usize> {
        0..self.host_end
    }

    fn vault_name_span(&self) -> Range<usize> {
        SCHEME.len()..self.name_end
    }

    fn key_name_span(&self) -> Range<usize> {
        self.host_end + KEYS.len()..self.key_end
    }

    /// After the key name and its `/`, to the end; `None` when there is nothing after the key name.
    fn version_span(&self) -> Option<Range<usize>> {
        let start = self.key_end + 1;
        (start < self.uri.len()).then_some(start..self.uri.len())
    }

    /// Rebuilds the identifier with `f` applied to the vault name, key name and version (the host suffix and
    /// separators are kept). Used to show template symbols in place of their stand-ins.
    #[cfg(feature = "templates")]
    pub(crate) fn map_parts(&self, f: impl Fn(&str) -> String) -> KeyId {
        let version = self.version().map(&f);
        assemble(
            self.cloud,
            self.vault_kind,
            &f(self.vault_name()),
            &f(self.key_name()),
            version.as_deref(),
            false,
        )
    }
}

/// The byte ranges of a [`KeyId`]'s parts in its canonical URI ([`KeyId::spans`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeySpans {
    /// [`KeyId::vault_url`].
    pub vault_url: Range<usize>,
    /// [`KeyId::vault_name`].
    pub vault_name: Range<usize>,
    /// [`KeyId::key_name`].
    pub key_name: Range<usize>,
    /// [`KeyId::version`]: `None` for a versionless identifier.
    pub version: Option<Range<usize>>,
}

impl std::fmt::Display for KeyId {
    /// The canonical URI.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.uri)
    }
}

impl Serialize for KeyId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("KeyId", 7)?;
        // Keys in lexicographic order: the canonical JSON, written straight (`json_api`).
        s.serialize_field("cloud", &self.cloud)?;
        s.serialize_field("keyName", self.key_name())?;
        s.serialize_field("uri", &self.uri)?;
        s.serialize_field("vaultKind", &self.vault_kind)?;
        s.serialize_field("vaultName", self.vault_name())?;
        s.serialize_field("vaultUrl", self.vault_url())?;
        s.serialize_field("version", &self.version())?;
        s.end()
    }
}

/// Parses a Key Vault or Managed HSM key identifier such as
/// `https://contoso.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef`.
///
/// Versionless identifiers parse with `version: None` ([`crate::validate`] reports them for Azure Managed Redis).
///
/// # Errors
/// A [`KeyUriError`] naming the first problem found, checked in a fixed order.
pub fn parse_key_uri(input: &str) -> Result<KeyId, KeyUriError> {
    if let Some(key) = parse_canonical(input) {
        // Every test build (conformance vectors, property tests, fuzzing) checks the fast path against the
        // full parser, `url` cross-check included.
        debug_assert_eq!(parse_key_uri_full(input).as_ref(), Ok(&key));
        return Ok(key);
    }
    parse_key_uri_full(input)
}

/// The full parser: every check in a fixed order, with the `url` crate's cross-check on what it accepts
/// (defence in depth, builds with the `url-check` feature: all but the lite wasm).
fn parse_key_uri_full(input: &str) -> Result<KeyId, KeyUriError> {
    let key = parse_key_uri_hand(input)?;
    #[cfg(feature = "url-check")]
    cross_check_with_url_crate(input)?;
    Ok(key)
}

/// The hand-written checks, in their fixed order: what decides every answer.
fn parse_key_uri_hand(input: &str) -> Result<KeyId, KeyUriError> {
    if input.is_empty() {
        return Err(KeyUriError::Empty);
    }
    if input.len() > MAX_KEY_URI_LEN {
        return Err(KeyUriError::TooLong {
            len: input.len(),
            max: MAX_KEY_URI_LEN,
        });
    }
    let seen = scan(input);
    if seen.bad {
        check_characters(input)?;
    }
    let rest = strip_scheme(input)?;
    // Query and fragment: whichever comes first owns the rest of the string.
    if let Some(pos) = seen
        .query_or_fragment
        .then(|| rest.bytes().position(|b| b == b'?' || b == b'#'))
        .flatten()
    {
        let is_query = rest.as_bytes().get(pos) == Some(&b'?');
        let authority_end = find_byte(rest, b'/').unwrap_or(rest.len()).min(pos);
        if rest.get(..authority_end).is_some_and(|a| has_byte(a, b'@')) {
            return Err(KeyUriError::Userinfo);
        }
        return Err(if is_query {
            KeyUriError::Query
        } else {
            KeyUriError::Fragment
        });
    }
    let (authority, path) = match find_byte(rest, b'/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if has_byte(authority, b'@') {
        return Err(KeyUriError::Userinfo);
    }
    if authority.starts_with('[') {
        return Err(KeyUriError::Malformed {
            reason: "IP address instead of a host name",
        });
    }
    if has_byte(authority, b':') {
        return Err(KeyUriError::Port);
    }
    if seen.percent {
        return Err(KeyUriError::PercentEncoded);
    }
    let (cloud, vault_kind, vault_name) = parse_host(authority)?;
    let (key_name, version) = parse_path(path)?;
    Ok(build_key_id(
        cloud, vault_kind, vault_name, key_name, version,
    ))
}

/// Builds a key identifier from the "select vault and key" input method: vault name, key name, optional
/// version, and the cloud and vault kind (from the cache's region, and `vault` unless a Managed HSM is chosen).
///
/// # Errors
/// The same codes as [`parse_key_uri`] for the parts (`key_uri.vault_name_invalid`,
/// `key_uri.key_name_invalid`, `key_uri.version_invalid`, ...).
pub fn key_from_parts(
    vault_name: &str,
    key_name: &str,
    version: Option<&str>,
    cloud: Cloud,
    vault_kind: VaultKind,
) -> Result<KeyId, KeyUriError> {
    for part in [vault_name, key_name, version.unwrap_or("")] {
        if part.len() > MAX_KEY_URI_LEN {
            return Err(KeyUriError::TooLong {
                len: part.len(),
                max: MAX_KEY_URI_LEN,
            });
        }
        check_characters(part)?;
    }
    check_vault_name(vault_name)?;
    check_key_name(key_name)?;
    let version = match version {
        None | Some("") => None,
        Some(v) => {
            check_version(v)?;
            Some(v)
        }
    };
    Ok(build_key_id(
        cloud, vault_kind, vault_name, key_name, version,
    ))
}

/// Assembles the canonical URI in one allocation, with the vault name and version lower-cased.
fn build_key_id(
    cloud: Cloud,
    vault_kind: VaultKind,
    vault_name: &str,
    key_name: &str,
    version: Option<&str>,
) -> KeyId {
    assemble(cloud, vault_kind, vault_name, key_name, version, true)
}

/// `https://{vault_name}.{suffix}/keys/{key_name}[/{version}]`, lower-casing the vault name and version if
/// `lower`.
fn assemble(
    cloud: Cloud,
    vault_kind: VaultKind,
    vault_name: &str,
    key_name: &str,
    version: Option<&str>,
    lower: bool,
) -> KeyId {
    let suffix = cloud.suffix(vault_kind);
    let version_len = version.map_or(0, |v| v.len() + 1);
    let mut uri = String::with_capacity(
        SCHEME.len()
            + vault_name.len()
            + 1
            + suffix.len()
            + KEYS.len()
            + key_name.len()
            + version_len,
    );
    uri.push_str(SCHEME);
    uri.push_str(vault_name);
    let name_end = uri.len();
    if lower {
        if let Some(name) = uri.get_mut(SCHEME.len()..name_end) {
            name.make_ascii_lowercase();
        }
    }
    uri.push('.');
    uri.push_str(suffix);
    let host_end = uri.len();
    uri.push_str(KEYS);
    uri.push_str(key_name);
    let key_end = uri.len();
    if let Some(v) = version {
        uri.push('/');
        let start = uri.len();
        uri.push_str(v);
        if lower {
            if let Some(v) = uri.get_mut(start..) {
                v.make_ascii_lowercase();
            }
        }
    }
    KeyId {
        uri,
        cloud,
        vault_kind,
        name_end,
        host_end,
        key_end,
    }
}

/// What one pass over an identifier found (so later checks scan only when there is something to find).
struct Seen {
    /// A byte that is not printable ASCII (whitespace, control, non-ASCII).
    bad: bool,
    /// A `%`.
    percent: bool,
    /// A `?` or `#`.
    query_or_fragment: bool,
}

/// One branch-free pass over `s`: the union of its bytes' classes.
fn scan(s: &str) -> Seen {
    let seen = s.bytes().fold(0, |m, b| m | class(b));
    Seen {
        bad: seen & BAD != 0,
        percent: seen & PERCENT != 0,
        query_or_fragment: seen & QUERY_OR_FRAGMENT != 0,
    }
}

/// Whitespace, non-ASCII and control characters, each with its own code.
fn check_characters(s: &str) -> Result<(), KeyUriError> {
    // Branch-free over the whole string (it vectorises; `all` stops early but goes byte by byte).
    if s.bytes().fold(true, |ok, b| ok & b.is_ascii_graphic()) {
        return Ok(());
    }
    for (index, c) in s.chars().enumerate() {
        if c.is_whitespace() {
            return Err(KeyUriError::Whitespace { index });
        }
        if !c.is_ascii() {
            return Err(KeyUriError::NonAscii { index });
        }
        if c.is_ascii_control() {
            return Err(KeyUriError::Malformed {
                reason: "control character",
            });
        }
    }
    Ok(())
}

/// Returns what follows `https://`.
fn strip_scheme(input: &str) -> Result<&str, KeyUriError> {
    let Some(colon) = find_byte(input, b':') else {
        return Err(KeyUriError::Malformed {
            reason: "no https:// scheme",
        });
    };
    let (scheme, after) = input.split_at(colon);
    let after = after.get(1..).unwrap_or("");
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(KeyUriError::Malformed {
            reason: "no https:// scheme",
        });
    }
    if !scheme.eq_ignore_ascii_case("https") {
        return Err(KeyUriError::NotHttps {
            scheme: scheme.to_ascii_lowercase(),
        });
    }
    match after.strip_prefix("//") {
        Some(rest) if !rest.starts_with('/') && !rest.starts_with('\\') => Ok(rest),
        _ => Err(KeyUriError::Malformed {
            reason: "https: must be followed by // and a host",
        }),
    }
}

/// Splits `{name}.{suffix}` with an exact suffix match (any letter case); returns the vault name as written.
fn parse_host(host: &str) -> Result<(Cloud, VaultKind, &str), KeyUriError> {
    if host.is_empty() {
        return Err(KeyUriError::Malformed { reason: "no host" });
    }
    if has_byte(host, b'\\') {
        return Err(KeyUriError::Malformed {
            reason: "backslash in host",
        });
    }
    for (suffix, cloud, kind) in HOST_SUFFIXES {
        let Some(split) = host.len().checked_sub(suffix.len()) else {
            continue;
        };
        // The dot before the suffix first: one byte rules out most suffixes.
        if split == 0
            || host.as_bytes().get(split - 1) != Some(&b'.')
            || !host
                .get(split..)
                .is_some_and(|s| s.eq_ignore_ascii_case(suffix))
        {
            continue;
        }
        let Some(name) = host.get(..split).and_then(|n| n.strip_suffix('.')) else {
            continue;
        };
        if name.is_empty() || has_byte(name, b'.') {
            // `vault.azure.net` alone, or a sub-domain such as `a.b.vault.azure.net`.
            break;
        }
        check_vault_name(name)?;
        return Ok((*cloud, *kind, name));
    }
    Err(KeyUriError::HostNotKeyVault {
        host: host.to_ascii_lowercase(),
    })
}

/// Checks `/keys/{name}[/{version}]` and returns the name and version.
fn parse_path(path: &str) -> Result<(&str, Option<&str>), KeyUriError> {
    let Some(path) = path.strip_prefix('/') else {
        return Err(KeyUriError::CollectionNotKeys {
            collection: String::new(),
        });
    };
    if path.is_empty() {
        return Err(KeyUriError::CollectionNotKeys {
            collection: String::new(),
        });
    }
    if has_byte(path, b'\\') {
        return Err(KeyUriError::Malformed {
            reason: "backslash in path",
        });
    }
    let mut parts: [&str; 3] = [""; 3];
    let mut count = 0usize;
    for seg in path.split('/') {
        if seg == "." || seg == ".." {
            return Err(KeyUriError::DotSegment);
        }
        if seg.is_empty() {
            return Err(KeyUriError::EmptySegment);
        }
        if count == parts.len() {
            if parts[0].eq_ignore_ascii_case("keys") {
                return Err(KeyUriError::ExtraSegments);
            }
            break;
        }
        if let Some(slot) = parts.get_mut(count) {
            *slot = seg;
        }
        count += 1;
    }
    let [collection, name, version] = parts;
    if !collection.eq_ignore_ascii_case("keys") {
        return Err(KeyUriError::CollectionNotKeys {
            collection: collection.to_owned(),
        });
    }
    if count < 2 {
        return Err(KeyUriError::KeyNameMissing);
    }
    check_key_name(name)?;
    if count == 2 {
        return Ok((name, None));
    }
    check_version(version)?;
    Ok((name, Some(version)))
}

/// Vault and Managed HSM names: 3-24 characters, letters, digits and hyphens, starting with a letter,
/// ending with a letter or digit, no `--`.
/// The error names the vault in lower case, as the canonical URI does.
fn check_vault_name(name: &str) -> Result<(), KeyUriError> {
    let reason = if name.len() < 3 || name.len() > 24 {
        Some("must be 3 to 24 characters long")
    } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Some("may hold only letters, digits and hyphens")
    } else if !name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) {
        Some("must start with a letter")
    } else if name.ends_with('-') {
        Some("must end with a letter or digit")
    } else if name.as_bytes().windows(2).any(|w| w == b"--") {
        Some("must not contain consecutive hyphens")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(KeyUriError::VaultNameInvalid {
            name: name.to_ascii_lowercase(),
            reason,
        }),
        None => Ok(()),
    }
}

/// Key names: 1-127 characters, letters, digits and hyphens.
fn check_key_name(name: &str) -> Result<(), KeyUriError> {
    let reason = if name.is_empty() || name.len() > 127 {
        Some("must be 1 to 127 characters long")
    } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Some("may hold only letters, digits and hyphens")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(KeyUriError::KeyNameInvalid {
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// Versions: exactly 32 hexadecimal characters.
fn check_version(version: &str) -> Result<(), KeyUriError> {
    if version.len() == 32 && version.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(KeyUriError::VersionInvalid {
            version: version.to_owned(),
        })
    }
}

/// The `url` crate parses the same string; if its host or path disagree with ours, refuse.
/// With the character and grammar checks above this cannot trigger; it guards future edits (and
/// `key_uri::tests::the_url_cross_check_never_decides` shows it on every input the tests have).
#[cfg(feature = "url-check")]
fn cross_check_with_url_crate(input: &str) -> Result<(), KeyUriError> {
    let malformed = KeyUriError::Malformed {
        reason: "not a valid URL",
    };
    // The host and path as the hand-written parser split them (it accepted `input`).
    let rest = strip_scheme(input)?;
    let (host, path) = match find_byte(rest, b'/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let url = url::Url::parse(input).map_err(|_| malformed.clone())?;
    let same_host = url.host_str().is_some_and(|h| h.eq_ignore_ascii_case(host));
    if url.scheme() != "https"
        || !same_host
        || url.port().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
        || url.path() != path
    {
        return Err(malformed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Identifiers near the fast path's subset: valid ones in any case, plus one byte replaced, inserted or
    /// removed (so also many that the fast path must hand to the full parser).
    fn near_canonical() -> impl Strategy<Value = String> {
        let suffix =
            prop::sample::select(HOST_SUFFIXES.iter().map(|(s, _, _)| *s).collect::<Vec<_>>());
        let valid = (
            "[a-zA-Z][a-zA-Z0-9-]{0,25}",
            suffix,
            "[a-zA-Z0-9-]{0,130}",
            prop::option::of("[0-9a-fA-F]{30,34}"),
        )
            .prop_map(|(v, s, k, ver)| match ver {
                Some(ver) => format!("https://{v}.{s}/keys/{k}/{ver}"),
                None => format!("https://{v}.{s}/keys/{k}"),
            });
        let byte = prop::sample::select(b"aZ09-./:?#@%\\_ \x01".to_vec());
        (valid, any::<usize>(), byte, 0..4u8).prop_map(|(s, at, b, op)| {
            let mut bytes = s.into_bytes();
            let i = at % (bytes.len() + 1);
            match op {
                0 => {}
                1 if i < bytes.len() => bytes[i] = b,
                2 => bytes.insert(i, b),
                _ if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => {}
            }
            String::from_utf8(bytes).unwrap()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// The fast path answers exactly as the full parser (with its `url` cross-check) wherever it answers.
        #[test]
        fn fast_path_equals_full_parser(s in near_canonical()) {
            if let Some(fast) = parse_canonical(&s) {
                prop_assert_eq!(parse_key_uri_full(&s), Ok(fast));
            }
        }
    }

    #[test]
    fn spans_are_the_parts_of_the_canonical_uri() {
        let mut keys = Vec::new();
        for (suffix, cloud, kind) in HOST_SUFFIXES {
            for tail in ["", "/0123456789ABCDEF0123456789abcdef"] {
                keys.push(
                    parse_key_uri(&format!("https://KV-1.{suffix}/keys/My-Key{tail}")).unwrap(),
                );
            }
            keys.push(key_from_parts("kv-2", "k", None, *cloud, *kind).unwrap());
        }
        for key in keys {
            let s = key.spans();
            let uri = key.uri();
            assert_eq!(&uri[s.vault_url.clone()], key.vault_url(), "{uri}");
            assert_eq!(&uri[s.vault_name.clone()], key.vault_name(), "{uri}");
            assert_eq!(&uri[s.key_name.clone()], key.key_name(), "{uri}");
            assert_eq!(s.version.clone().map(|v| &uri[v]), key.version(), "{uri}");
            assert!(s.vault_name.start >= s.vault_url.start && s.vault_name.end <= s.vault_url.end);
        }
    }

    /// Every key identifier the tests know: the conformance vectors' (parse and validate inputs), the
    /// benchmark mix and the fuzz corpus.
    #[cfg(feature = "url-check")]
    fn known_identifiers() -> Vec<String> {
        fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
                serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
                _ => {}
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = Vec::new();
        for dir in ["tests/conformance", "bench"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    strings(&serde_json::from_str(&text).unwrap(), &mut out);
                }
            }
        }
        for entry in std::fs::read_dir(root.join("fuzz/corpus/key_uri")).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            out.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        out
    }

    /// The `url` cross-check never changes an answer: with and without it, the parser answers the same on
    /// every identifier the tests know (including every string of every conformance vector) and on random
    /// near-canonical and arbitrary ones. This is why the lite wasm can leave the `url` crate out.
    #[cfg(feature = "url-check")]
    #[test]
    fn the_url_cross_check_never_decides() {
        let known = known_identifiers();
        assert!(known.len() > 2_000, "{} identifiers", known.len());
        let mut accepted = 0;
        for s in &known {
            let hand = parse_key_uri_hand(s);
            accepted += usize::from(hand.is_ok());
            assert_eq!(parse_key_uri_full(s), hand, "{s:?}");
        }
        assert!(accepted > 800, "{accepted} accepted");
    }

    #[cfg(feature = "url-check")]
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// The same on random identifiers near the canonical forms and on arbitrary text after `https://`.
        #[test]
        fn the_url_cross_check_never_decides_random(s in near_canonical(), t in "https://\\PC{0,80}") {
            prop_assert_eq!(parse_key_uri_full(&s), parse_key_uri_hand(&s));
            prop_assert_eq!(parse_key_uri_full(&t), parse_key_uri_hand(&t));
        }
    }

    #[test]
    fn fast_path_takes_the_common_forms() {
        for s in [
            "https://contoso.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef",
            "https://Contoso-KV.VAULT.azure.NET/keys/cmk",
            "https://hsm1.managedhsm.usgovcloudapi.net/keys/k-1/0123456789ABCDEF0123456789abcdef",
        ] {
            assert_eq!(
                parse_canonical(s).map(Ok),
                Some(parse_key_uri_full(s)),
                "{s}"
            );
        }
    }
}
