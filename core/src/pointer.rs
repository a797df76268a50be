//! RFC 6901 JSON Pointers: the one home for building, escaping, splitting and comparing them.

use serde_json::Value;

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
#[must_use]
pub fn escape(token: &str) -> String {
    if !token.contains(['~', '/']) {
        return token.to_owned();
    }
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/token`, the token escaped.
#[must_use]
pub fn child(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + 1 + token.len());
    out.push_str(base);
    out.push('/');
    if token.contains(['~', '/']) {
        out.push_str(&escape(token));
    } else {
        out.push_str(token);
    }
    out
}

/// The unescaped reference tokens of a pointer (`/a~1b/c` → `["a/b", "c"]`).
#[must_use]
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| {
            if t.contains('~') {
                t.replace("~1", "/").replace("~0", "~")
            } else {
                t.to_owned()
            }
        })
        .collect()
}

/// Whether `path` is `prefix` or below it (on token boundaries; every path is below the root `""`).
#[must_use]
pub fn under(path: &str, prefix: &str) -> bool {
    path == prefix
        || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
        || prefix.is_empty()
}

/// The deepest pointer, `pointer` itself or one of its ancestors, that exists in `doc`.
#[must_use]
pub fn existing(doc: &Value, pointer: &str) -> String {
    match existing_len(doc, pointer) {
        Some(n) => pointer.get(..n).unwrap_or("").to_owned(),
        None => existing_rebuilt(doc, pointer),
    }
}

/// The length of the part of `pointer` that [`existing`] keeps, for a pointer spelled as [`child`] spells them
/// (empty or starting with `/`, `~` only in `~0` and `~1`: then that part is a prefix of it, token for token);
/// `None` otherwise.
#[must_use]
pub fn existing_len(doc: &Value, pointer: &str) -> Option<usize> {
    walk(doc, pointer).map(|(n, _)| n)
}

/// As [`existing_len`], with the value `pointer` leads to when all of it exists.
#[must_use]
pub fn walk<'v>(doc: &'v Value, pointer: &str) -> Option<(usize, Option<&'v Value>)> {
    if !(pointer.is_empty() || pointer.starts_with('/')) {
        return None;
    }
    let mut cur = doc;
    let mut end = 0;
    for t in pointer.split('/').skip(1) {
        match step(cur, t)? {
            Some(v) => {
                cur = v;
                end += 1 + t.len();
            }
            None => return Some((end, None)),
        }
    }
    Some((end, Some(cur)))
}

/// The value that the reference token `token` (as written in a pointer) names in `v`, if any; `None` when the
/// token's escapes are not those [`escape`] writes.
#[must_use]
pub fn step<'v>(v: &'v Value, token: &str) -> Option<Option<&'v Value>> {
    let unescaped;
    let key = if token.contains('~') {
        let canonical = token
            .split('~')
            .skip(1)
            .all(|rest| rest.starts_with(['0', '1']));
        if !canonical {
            return None;
        }
        unescaped = token.replace("~1", "/").replace("~0", "~");
        unescaped.as_str()
    } else {
        token
    };
    Some(match v {
        Value::Object(m) => m.get(key),
        Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

/// [`existing`] token by token, the pointer rebuilt from its unescaped tokens.
fn existing_rebuilt(doc: &Value, pointer: &str) -> String {
    let mut cur = doc;
    let mut out = String::new();
    for t in tokens(pointer) {
        let next = match cur {
            Value::Object(m) => m.get(&t),
            Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        match next {
            Some(v) => {
                cur = v;
                out = child(&out, &t);
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers() {
        assert_eq!(tokens("/a~1b/c~0d"), vec!["a/b", "c~d"]);
        assert_eq!(child("/x", "a/b"), "/x/a~1b");
        assert_eq!(escape("a~b/c"), "a~0b~1c");
        assert!(under("/a/b", "/a"));
        assert!(!under("/ab", "/a"));
        assert!(under("/a", ""));
        let doc = serde_json::json!({"resources": [{"properties": {}}]});
        assert_eq!(
            existing(&doc, "/resources/0/properties/enablePurgeProtection"),
            "/resources/0/properties"
        );
        assert_eq!(existing(&doc, "/resources/-"), "/resources");
        // Both ways agree, escapes and odd spellings included.
        let doc = serde_json::json!({"a/b": {"c~d": [1, {"": 2}]}, "x": {"01": 3}});
        for p in [
            "",
            "/",
            "/a~1b",
            "/a~1b/c~0d/1//",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/x/01",
            "/x/01/y",
            "/a~2b",
            "/a~",
            "x/01",
            "/missing/x",
            "/x//",
            "/a~1b/c~0d/1/",
            "/a~01b",
        ] {
            assert_eq!(existing(&doc, p), existing_rebuilt(&doc, p), "{p}");
        }
    }
}
