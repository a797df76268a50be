//! The fast path of key-URI parsing: identifiers written as Azure writes them, in one pass over a byte-class
//! table that the full parser shares.

use super::{build_key_id, KeyId, HOST_SUFFIXES, KEYS, SCHEME};

/// The fast path: one pass over identifiers written as Azure writes them, `https://` +
/// `{name}.{suffix}` (any letter case in both) + `/keys/{key}` [+ `/{32 hex}`]. In this subset every
/// byte is a letter, digit, `-`, `.` or `/`, so the WHATWG URL grammar sees the same host and path we
/// do and the `url` cross-check cannot fail. `None` sends anything else (every error included) to
/// [`parse_key_uri_full`], whose answer is the same for what both accept (checked in debug builds and
/// by the property test in this module).
pub(super) fn parse_canonical(input: &str) -> Option<KeyId> {
    const NAME_START: usize = SCHEME.len();
    let b = input.as_bytes();
    let scheme = b.get(..NAME_START)?;
    // Bits of `CLASS` seen in the host and version: `UPPER` set means the canonical URI differs from the input.
    let mut seen = if scheme == SCHEME.as_bytes() {
        0
    } else if scheme.eq_ignore_ascii_case(SCHEME.as_bytes()) {
        UPPER
    } else {
        return None;
    };
    // Vault name, by the rules of `check_vault_name`: a letter, then letters, digits and single hyphens, not
    // ending with a hyphen, 3 to 24 bytes, up to the first dot.
    let mut prev = *b.get(NAME_START)?;
    if class(prev) & LETTER == 0 {
        return None;
    }
    seen |= class(prev);
    let mut i = NAME_START + 1;
    loop {
        let c = *b.get(i)?;
        if c == b'.' {
            break;
        }
        let k = class(c);
        if k & NAME == 0 || (c == b'-' && prev == b'-') {
            return None;
        }
        seen |= k;
        prev = c;
        i += 1;
    }
    let name_end = i;
    if !(3..=24).contains(&(name_end - NAME_START)) || prev == b'-' {
        return None;
    }
    // Host suffix and `/keys/`: exactly one of the known suffixes (any letter case).
    let rest = b.get(name_end + 1..)?;
    let (cloud, vault_kind, key_start) = HOST_SUFFIXES.iter().find_map(|(suffix, c, k)| {
        let end = suffix.len();
        let host = rest.get(..end)?;
        let exact = host == suffix.as_bytes();
        if !exact && !host.eq_ignore_ascii_case(suffix.as_bytes()) {
            return None;
        }
        if !exact {
            seen |= UPPER;
        }
        rest.get(end..)?.starts_with(KEYS.as_bytes()).then_some((
            *c,
            *k,
            name_end + 1 + end + KEYS.len(),
        ))
    })?;
    let host_end = key_start - KEYS.len();
    // Key name: letters, digits and hyphens, 1 to 127 bytes; then the end or `/{32 hex}` and the end.
    let mut key_end = key_start;
    while let Some(&c) = b.get(key_end) {
        if c == b'/' {
            break;
        }
        if class(c) & NAME == 0 {
            return None;
        }
        key_end += 1;
    }
    if !(1..=127).contains(&(key_end - key_start)) {
        return None;
    }
    let version = match b.get(key_end..)? {
        [] => None,
        [b'/', v @ ..] if v.len() == 32 => {
            for &c in v {
                let k = class(c);
                if k & HEX == 0 {
                    return None;
                }
                seen |= k;
            }
            Some(input.get(key_end + 1..)?)
        }
        _ => return None,
    };
    if seen & UPPER == 0 {
        // Already canonical (the common case): one copy, no re-assembly.
        return Some(KeyId {
            uri: input.to_owned(),
            cloud,
            vault_kind,
            name_end,
            host_end,
            key_end,
        });
    }
    let name = input.get(NAME_START..name_end)?;
    let key = input.get(key_start..key_end)?;
    Some(build_key_id(cloud, vault_kind, name, key, version))
}

/// `CLASS` bit: a letter, digit or hyphen (vault and key names).
pub(super) const NAME: u8 = 1;
/// `CLASS` bit: a letter.
pub(super) const LETTER: u8 = 2;
/// `CLASS` bit: a hexadecimal digit.
pub(super) const HEX: u8 = 4;
/// `CLASS` bit: an upper-case letter.
pub(super) const UPPER: u8 = 8;
/// `CLASS` bit: not printable ASCII (whitespace, control, non-ASCII).
pub(super) const BAD: u8 = 16;
/// `CLASS` bit: `%`.
pub(super) const PERCENT: u8 = 32;
/// `CLASS` bit: `?` or `#`.
pub(super) const QUERY_OR_FRAGMENT: u8 = 64;

/// The character classes of every byte value (one load per byte in the fast path).
#[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)] // const evaluation: `c < 256`
pub(super) static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0usize;
    while c < 256 {
        let b = c as u8;
        let mut k = 0;
        if b.is_ascii_alphanumeric() || b == b'-' {
            k |= NAME;
        }
        if b.is_ascii_alphabetic() {
            k |= LETTER;
        }
        if b.is_ascii_hexdigit() {
            k |= HEX;
        }
        if b.is_ascii_uppercase() {
            k |= UPPER;
        }
        if !b.is_ascii_graphic() {
            k |= BAD;
        }
        if b == b'%' {
            k |= PERCENT;
        }
        if b == b'?' || b == b'#' {
            k |= QUERY_OR_FRAGMENT;
        }
        t[c] = k;
        c += 1;
    }
    t
};

pub(super) fn class(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// Byte offset of the first `b` in `s` (a byte loop: faster than `str::find(char)` on these short strings).
pub(super) fn find_byte(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|c| c == b)
}

/// Whether `s` contains the byte `b` (`<[u8]>::contains` searches a word at a time).
pub(super) fn has_byte(s: &str, b: u8) -> bool {
    s.as_bytes().contains(&b)
}
