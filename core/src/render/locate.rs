//! Finds where a JSON Pointer's value starts in JSON text (for SARIF regions), without building a tree.

use crate::pointer::tokens as pointer_tokens;

/// 1-based line and column (in Unicode code points) of the value at `pointer` in `text`, or of its deepest
/// existing ancestor. `None` when the text is not JSON.
#[must_use]
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    bytes.get(pos)?;
    for token in pointer_tokens(pointer) {
        match bytes.get(pos) {
            Some(b'{') => match find_member(bytes, pos, &token) {
                Some(p) => pos = p,
                None => break,
            },
            Some(b'[') => {
                let Ok(index) = token.parse::<usize>() else {
                    break;
                };
                match find_element(bytes, pos, index) {
                    Some(p) => pos = p,
                    None => break,
                }
            }
            _ => break,
        }
    }
    let before = text.get(..pos)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// End of the string starting at `i` (the opening quote), and its decoded text.
fn string_at(b: &[u8], i: usize) -> Option<(usize, String)> {
    let mut j = i + 1;
    let start = j;
    let mut escaped = false;
    loop {
        let c = *b.get(j)?;
        if escaped {
            escaped = false;
        } else if c == b'\\' {
            escaped = true;
        } else if c == b'"' {
            break;
        }
        j += 1;
    }
    let raw = std::str::from_utf8(b.get(start.saturating_sub(1)..=j)?).ok()?;
    let decoded: String = serde_json::from_str(raw).ok()?;
    Some((j + 1, decoded))
}

/// End of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_at(b, i).map(|(e, _)| e),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = string_at(b, j)?.0;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
            {
                j += 1;
            }
            Some(j)
        }
    }
}

fn find_member(b: &[u8], open: usize, token: &str) -> Option<usize> {
    let mut i = skip_ws(b, open + 1);
    loop {
        if b.get(i)? == &b'}' {
            return None;
        }
        let (after_key, key) = string_at(b, i)?;
        let colon = skip_ws(b, after_key);
        let value = skip_ws(b, colon + 1);
        if key == token {
            return Some(value);
        }
        i = after_item(b, skip_value(b, value)?);
    }
}

/// Where the next member or element starts after one that ends at `end` (past white space and a comma).
fn after_item(b: &[u8], end: usize) -> usize {
    let i = skip_ws(b, end);
    if b.get(i) == Some(&b',') {
        skip_ws(b, i + 1)
    } else {
        i
    }
}

fn find_element(b: &[u8], open: usize, index: usize) -> Option<usize> {
    let mut i = skip_ws(b, open + 1);
    let mut n = 0;
    loop {
        if b.get(i)? == &b']' {
            return None;
        }
        if n == index {
            return Some(i);
        }
        i = after_item(b, skip_value(b, i)?);
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values() {
        let text = "{\n  \"a\": [1, {\"b/c\": \"x\\\"y\"}],\n  \"é\": {\"d\": true}\n}";
        assert_eq!(locate(text, ""), Some((1, 1)));
        assert_eq!(locate(text, "/a"), Some((2, 8)));
        assert_eq!(locate(text, "/a/1/b~1c"), Some((2, 20)));
        assert_eq!(locate(text, "/é/d"), Some((3, 14)));
        // Missing: the deepest ancestor.
        assert_eq!(locate(text, "/a/7"), Some((2, 8)));
        assert_eq!(locate("", "/x"), None);
        assert_eq!(locate("{\"a\": [", "/a/0"), Some((1, 7)));
    }
}
