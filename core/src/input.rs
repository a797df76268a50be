//! Limits on input documents, checked in one pass over the text before any parsing work, and the one way JSON
//! text becomes a document.
//!
//! The limits bound what parsing can cost (nesting depth, string length, items per array or object, and the
//! whole text as a last resort); they are generous by default (sized for a 256 MiB Terraform plan or a tenant's
//! Resource Graph output) and configurable per call through [`Limits`].

use crate::error::InputError;

/// Default largest accepted input document, in bytes (256 MiB).
pub const DEFAULT_MAX_BYTES: usize = 256 << 20;
/// Deepest accepted nesting of arrays and objects (the default of [`Limits::max_depth`]).
pub const MAX_DEPTH: usize = 64;
/// Default longest accepted string, in bytes (16 MiB).
pub const DEFAULT_MAX_STRING: usize = 16 << 20;
/// Default most items in one array or object of a document (about a million).
pub const DEFAULT_MAX_ITEMS: usize = 1 << 20;
/// Most resources read from one document or one set of files (caches, vaults, keys, identities, role
/// assignments together).
pub const MAX_RESOURCES: usize = 1 << 20;
/// Most items accepted in one list of one cache's input model (role assignments, access policies).
pub const MAX_ITEMS: usize = 1024;

/// The limits a document is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest document, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of arrays and objects.
    pub max_depth: usize,
    /// Longest string (raw, in bytes, escapes counted as written).
    pub max_string: usize,
    /// Most items in one array or object.
    pub max_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: MAX_DEPTH,
            max_string: DEFAULT_MAX_STRING,
            max_items: DEFAULT_MAX_ITEMS,
        }
    }
}

impl Limits {
    /// The limits of an envelope that carries whole documents as strings (the JSON API's `cliRun` and `check`
    /// arguments): a string may be as long as a document; each document is then read with its own limits.
    #[must_use]
    pub fn envelope(self) -> Self {
        Self {
            max_string: self.max_bytes,
            ..self
        }
    }
}

/// Limits a caller sets (the CLI's `--max-bytes`, `--max-depth`, `--max-string-length`, `--max-items`; the JSON
/// API's `check` argument `limits`): each one left out keeps its default ([`Limits::default`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitOptions {
    /// Largest document, in bytes (1 to 256 MiB, the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<usize>,
    /// Deepest nesting of arrays and objects (1 to 64, the default: the readers are built for no deeper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_depth: Option<usize>,
    /// Longest string, in bytes (1 to 256 MiB; default 16 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_string_length: Option<usize>,
    /// Most items in one array or object (1 to 256 Mi; default 1 Mi).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
}

/// The limits a caller can set: the name (as the JSON API spells it) and the largest value allowed (one call
/// of the JSON API reads at most [`DEFAULT_MAX_BYTES`] in all, so no limit goes past it).
pub const LIMIT_NAMES: [(&str, usize); 4] = [
    ("maxBytes", DEFAULT_MAX_BYTES),
    ("maxDepth", MAX_DEPTH),
    ("maxStringLength", DEFAULT_MAX_BYTES),
    ("maxItems", DEFAULT_MAX_BYTES),
];

impl LimitOptions {
    /// Whether no limit is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Sets the limit `name` (one of [`LIMIT_NAMES`]) to `value`.
    ///
    /// # Errors
    /// What the value must be (`an integer from 1 to 64`) when it is out of range, or `None` for an unknown
    /// name.
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), Option<String>> {
        let (_, max) = LIMIT_NAMES.iter().find(|(n, _)| *n == name).ok_or(None)?;
        let v = usize::try_from(value)
            .ok()
            .filter(|v| (1..=*max).contains(v))
            .ok_or_else(|| Some(format!("an integer from 1 to {max}")))?;
        let slot = match name {
            "maxBytes" => &mut self.max_bytes,
            "maxDepth" => &mut self.max_depth,
            "maxStringLength" => &mut self.max_string_length,
            _ => &mut self.max_items,
        };
        *slot = Some(v);
        Ok(())
    }

    /// The limits: the defaults with the ones set (each kept in its range).
    #[must_use]
    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        let pick =
            |v: Option<usize>, default: usize, max: usize| v.map_or(default, |v| v.clamp(1, max));
        Limits {
            max_bytes: pick(self.max_bytes, d.max_bytes, DEFAULT_MAX_BYTES),
            max_depth: pick(self.max_depth, d.max_depth, MAX_DEPTH),
            max_string: pick(self.max_string_length, d.max_string, DEFAULT_MAX_BYTES),
            max_items: pick(self.max_items, d.max_items, DEFAULT_MAX_BYTES),
        }
    }
}

/// 1-based line and column (in bytes) of byte offset `pos` of `text`.
fn line_column(text: &str, pos: usize) -> (usize, usize) {
    let before = text.as_bytes().get(..pos).unwrap_or(text.as_bytes());
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

/// Checks size, nesting depth, string lengths and items per array or object of JSON text with the default
/// [`Limits`], in one pass, without parsing it.
///
/// # Errors
/// As [`check_document_with`].
pub fn check_document(text: &str) -> Result<(), InputError> {
    check_document_with(text, &Limits::default())
}

/// Checks JSON text against `limits` in one pass, without parsing it (the parser then never goes deeper, builds
/// a longer string or a longer list than the limits allow).
///
/// # Errors
/// `input.too_large`, `input.too_deep`, `input.string_too_long` or `input.list_too_long`.
pub fn check_document_with(text: &str, limits: &Limits) -> Result<(), InputError> {
    if text.len() > limits.max_bytes {
        return Err(InputError::TooLarge {
            len: text.len(),
            max: limits.max_bytes,
        });
    }
    // Per open array or object: where it starts and how many commas it holds so far.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let end = string_end(bytes, i + 1);
                // The last byte counted: the closing quote, or the end of an unterminated string. Escapes count
                // as written: a string of nothing but escapes is bounded too.
                let last = end.min(bytes.len().saturating_sub(1));
                if last - i > limits.max_string {
                    let (line, column) = line_column(text, i);
                    return Err(InputError::StringTooLong {
                        max: limits.max_string,
                        line,
                        column,
                    });
                }
                i = end;
            }
            b'[' | b'{' => {
                if open.len() >= limits.max_depth {
                    return Err(InputError::TooDeep {
                        max: limits.max_depth,
                    });
                }
                open.push((i, 0));
            }
            b']' | b'}' => {
                open.pop();
            }
            b',' => {
                if let Some((start, commas)) = open.last_mut() {
                    *commas += 1;
                    if *commas >= limits.max_items {
                        let (line, column) = line_column(text, *start);
                        return Err(InputError::ListTooLong {
                            max: limits.max_items,
                            line,
                            column,
                        });
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The index of the quote that closes the string whose content starts at `i` (escaped quotes skipped), or the
/// length of `bytes` when it is not closed. Eight bytes at a time while none is a quote or a backslash.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    loop {
        while let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_le_bytes)
        {
            // A byte of `word ^ QUOTES` is zero where `word` holds a quote (the classic has-zero-byte test).
            let (q, s) = (word ^ QUOTES, word ^ BACKSLASHES);
            let found = ((q.wrapping_sub(ONES) & !q) | (s.wrapping_sub(ONES) & !s)) & HIGH;
            if found != 0 {
                // The lowest flagged byte is a quote or a backslash (the test flags no byte before the first).
                i += (found.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        match bytes.get(i) {
            None => return bytes.len(),
            Some(b'"') => return i,
            Some(b'\\') => i += 2,
            Some(_) => i += 1,
        }
    }
}

/// Parses JSON text into a document after checking the default [`Limits`]: the one way every entry point reads
/// JSON text.
///
/// # Errors
/// As [`parse_document_with`].
pub fn parse_document(text: &str) -> Result<serde_json::Value, InputError> {
    parse_document_with(text, &Limits::default())
}

/// Parses JSON text into a document after checking `limits`.
///
/// # Errors
/// The limit errors of [`check_document_with`], or `input.invalid_json` (its message names the line and
/// column).
pub fn parse_document_with(text: &str, limits: &Limits) -> Result<serde_json::Value, InputError> {
    check_document_with(text, limits)?;
    serde_json::from_str(text).map_err(|e| InputError::InvalidJson {
        detail: e.to_string(),
    })
}

/// Reads JSON text that is an array one item at a time, after checking `limits`: `f` gets each item with its
/// index, so the whole document is never in memory at once. `Ok(true)` when every item went to `f`;
/// `Ok(false)` when the text is not an array, is not valid JSON, or `f` returned `false`: then the text is to be
/// read with [`parse_document_with`], whose errors are the ones to report (items may have gone to `f`).
///
/// # Errors
/// The limit errors of [`check_document_with`].
#[cfg(feature = "templates")]
pub(crate) fn parse_items_with(
    text: &str,
    limits: &Limits,
    f: impl FnMut(usize, serde_json::Value) -> bool,
) -> Result<bool, InputError> {
    use serde::de::{Deserializer as _, SeqAccess, Visitor};

    struct Items<F>(F);
    impl<'de, F: FnMut(usize, serde_json::Value) -> bool> Visitor<'de> for Items<F> {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<bool, A::Error> {
            let mut i = 0;
            while let Some(item) = seq.next_element::<serde_json::Value>()? {
                if !(self.0)(i, item) {
                    return Ok(false);
                }
                i += 1;
            }
            Ok(true)
        }
    }

    check_document_with(text, limits)?;
    if !text.trim_start().starts_with('[') {
        return Ok(false);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let all = match (&mut de).deserialize_seq(Items(f)) {
        Ok(all) => all,
        Err(_) => return Ok(false),
    };
    Ok(all && de.end().is_ok())
}

/// Keeps error params small when the input is huge: at most 64 bytes, then an ellipsis.
pub(crate) fn truncate(s: &str) -> String {
    clip(s, 64)
}

/// `s` whole up to `max` bytes, else cut at a character boundary with an ellipsis.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", s.get(..end).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The byte-at-a-time scan the fast one replaced: the oracle.
    fn reference(text: &str, limits: &Limits) -> Result<(), InputError> {
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut string_start: Option<usize> = None;
        let mut escaped = false;
        for (i, b) in text.bytes().enumerate() {
            if let Some(start) = string_start {
                if i - start > limits.max_string {
                    let (line, column) = line_column(text, start);
                    return Err(InputError::StringTooLong {
                        max: limits.max_string,
                        line,
                        column,
                    });
                }
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    string_start = None;
                }
                continue;
            }
            match b {
                b'"' => string_start = Some(i),
                b'[' | b'{' => {
                    if open.len() >= limits.max_depth {
                        return Err(InputError::TooDeep {
                            max: limits.max_depth,
                        });
                    }
                    open.push((i, 0));
                }
                b']' | b'}' => {
                    open.pop();
                }
                b',' => {
                    if let Some((start, commas)) = open.last_mut() {
                        *commas += 1;
                        if *commas >= limits.max_items {
                            let (line, column) = line_column(text, *start);
                            return Err(InputError::ListTooLong {
                                max: limits.max_items,
                                line,
                                column,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn small(max: usize) -> Limits {
        Limits {
            max_bytes: 1 << 20,
            max_depth: max,
            max_string: max * 3,
            max_items: max,
        }
    }

    #[test]
    fn strings_at_word_boundaries() {
        for text in [
            "\"\"",
            "\"",
            "\"abc",
            "\"abc\\",
            "\"abcdefg\\\"hijklmnop\"",
            "[\"abcdefgh\\\\\",\"x\"]",
            "\"0123456789abcdef0123\\\"x\",[1,2,3]",
            "{\"a\":\"ééééééé\\\"ééé\",\"b\":[[[[1]]]]}",
        ] {
            for max in 1..12 {
                let limits = small(max);
                assert_eq!(
                    check_document_with(text, &limits),
                    reference(text, &limits),
                    "{text} {max}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn same_as_the_byte_scan(
            text in "[\"\\\\a,\\[\\]{} é]{0,80}",
            max in 1usize..10,
        ) {
            let limits = small(max);
            prop_assert_eq!(check_document_with(&text, &limits), reference(&text, &limits));
        }
    }
}
