//! Fixes as changes to the user's document: an RFC 6902 JSON Patch against an ARM template or compiled Bicep,
//! and the attributes to change in a Terraform configuration. Built by `check` (see `adapters::template_fix`);
//! [`apply`] applies a patch (what `amr-cmk check --patch` does).

use serde_json::Value;

use crate::error::{Error, InputError};

fn bad(path: &str, why: &str) -> Error {
    InputError::InvalidValue {
        path: path.to_owned(),
        value: String::new(),
        expected: why.to_owned(),
    }
    .into()
}

/// Applies RFC 6902 operations (`add`, `replace`, `remove`; `test`, `move` and `copy` too) to `doc`, in order.
///
/// # Errors
/// `input.invalid_value` naming the operation's path when a pointer does not resolve as RFC 6902 requires.
pub fn apply(doc: &mut Value, ops: &[Value]) -> Result<(), Error> {
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let value = op.get("value").cloned();
        match kind {
            "add" => add(doc, path, value.ok_or_else(|| bad(path, "a value to add"))?)?,
            "replace" => {
                let slot = doc
                    .pointer_mut(path)
                    .ok_or_else(|| bad(path, "an existing value to replace"))?;
                *slot = value.ok_or_else(|| bad(path, "a value to replace with"))?;
            }
            "remove" => {
                remove(doc, path)?;
            }
            "test" => {
                if doc.pointer(path) != value.as_ref() {
                    return Err(bad(path, "the value the test names"));
                }
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let v = if kind == "move" {
                    remove(doc, from)?
                } else {
                    doc.pointer(from)
                        .cloned()
                        .ok_or_else(|| bad(from, "an existing value to copy"))?
                };
                add(doc, path, v)?;
            }
            _ => return Err(bad(path, "op add, remove, replace, move, copy or test")),
        }
    }
    Ok(())
}

fn split(path: &str) -> Option<(&str, String)> {
    let at = path.rfind('/')?;
    let parent = path.get(..at)?;
    let last = path.get(at + 1..)?.replace("~1", "/").replace("~0", "~");
    Some((parent, last))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), Error> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, last) = split(path).ok_or_else(|| bad(path, "a JSON Pointer"))?;
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(last, value);
            Ok(())
        }
        Some(Value::Array(a)) => {
            let index = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>()
                    .ok()
                    .filter(|i| *i <= a.len())
                    .ok_or_else(|| bad(path, "an array index in range"))?
            };
            a.insert(index, value);
            Ok(())
        }
        _ => Err(bad(path, "an existing object or array to add to")),
    }
}

/// Removes the value at `path` (RFC 6902 `remove`).
pub(crate) fn remove(doc: &mut Value, path: &str) -> Result<Value, Error> {
    let (parent, last) = split(path).ok_or_else(|| bad(path, "a JSON Pointer"))?;
    let removed = match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => m.remove(&last),
        Some(Value::Array(a)) => match last.parse::<usize>() {
            Ok(i) if i < a.len() => Some(a.remove(i)),
            _ => None,
        },
        _ => None,
    };
    removed.ok_or_else(|| bad(path, "an existing value to remove"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn applies_rfc6902() {
        let mut doc = json!({"a": {"b": 1}, "l": [1, 2]});
        let ops = json!([
            {"op": "replace", "path": "/a/b", "value": 2},
            {"op": "add", "path": "/a/c~1d", "value": true},
            {"op": "add", "path": "/l/-", "value": 3},
            {"op": "add", "path": "/l/0", "value": 0},
            {"op": "remove", "path": "/l/1"},
            {"op": "test", "path": "/a/b", "value": 2},
            {"op": "copy", "from": "/a/b", "path": "/x"},
            {"op": "move", "from": "/x", "path": "/y"}
        ]);
        let ops = ops.as_array().cloned().unwrap_or_default();
        assert!(apply(&mut doc, &ops).is_ok());
        assert_eq!(
            doc,
            json!({"a": {"b": 2, "c/d": true}, "l": [0, 2, 3], "y": 2})
        );
        assert!(apply(
            &mut doc,
            &[json!({"op": "replace", "path": "/nope", "value": 1})]
        )
        .is_err());
        assert!(apply(&mut doc, &[json!({"op": "remove", "path": "/l/9"})]).is_err());
        assert!(apply(
            &mut doc,
            &[json!({"op": "add", "path": "/q/r", "value": 1})]
        )
        .is_err());
    }
}
