//! Limits on input documents, checked before any parsing work, and the one way JSON text becomes a document.

use crate::error::InputError;

/// Largest accepted input document, in bytes (1 MiB).
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Deepest accepted nesting of arrays and objects.
pub const MAX_DEPTH: usize = 64;
/// Most items accepted in one list (role assignments, access policies, resources in a bundle).
pub const MAX_ITEMS: usize = 1024;

/// Checks size and nesting depth of JSON text in one pass, without parsing it.
///
/// # Errors
/// `input.too_large` or `input.too_deep`.
pub fn check_document(text: &str) -> Result<(), InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge {
            len: text.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(InputError::TooDeep { max: MAX_DEPTH });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses JSON text into a document after checking its limits: the one way every entry point reads JSON text.
///
/// # Errors
/// `input.too_large`, `input.too_deep` or `input.invalid_json`.
pub fn parse_document(text: &str) -> Result<serde_json::Value, InputError> {
    check_document(text)?;
    serde_json::from_str(text).map_err(|e| InputError::InvalidJson {
        detail: e.to_string(),
    })
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
