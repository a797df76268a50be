//! POSIX shell quoting for generated commands: every argument is data, never code.

/// Quotes one argument for a POSIX shell. Safe characters pass as they are; anything else is wrapped in single
/// quotes, with embedded single quotes written as `'\''`. The result is always exactly one shell word.
#[must_use]
pub fn quote(arg: &str) -> String {
    let safe = !arg.is_empty()
        && arg.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'_' | b'-' | b'.' | b'/' | b':' | b'=' | b'@' | b',')
        });
    if safe {
        return arg.to_owned();
    }
    let mut out = String::with_capacity(arg.len() + 2);
    out.push('\'');
    for c in arg.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// Joins arguments into one command line, each quoted.
#[must_use]
pub fn join(argv: &[String]) -> String {
    argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("orders-kv"), "orders-kv");
        assert_eq!(
            quote("/subscriptions/x/resourceGroups/rg"),
            "/subscriptions/x/resourceGroups/rg"
        );
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("x'; rm -rf / #"), "'x'\\''; rm -rf / #'");
        assert_eq!(quote("$(id)"), "'$(id)'");
        assert_eq!(quote("<vault-name>"), "'<vault-name>'");
    }
}
