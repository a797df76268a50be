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
    }
}
