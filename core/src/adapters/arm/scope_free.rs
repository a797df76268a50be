//! The scope-free ARM functions, which need nothing but their arguments: comparison and logic, strings
//! (`concat`, `format`, `replace`, ...), conversions (`string`, `int`, `bool`, `json`), arrays and objects, and
//! those only the deployment decides (`utcNow`, `newGuid`, `list*`, `deployment`). Also the argument checks
//! every function uses.

use serde_json::Value;

use super::eval::{unres, MAX_VALUE_LEN, V};
use crate::adapters::symbols::Symbols;

/// What a function gives: its value, or why it is not known before deployment.
pub(super) type Out = Result<V, String>;

/// The functions that need nothing but their arguments (`name` as written, `lname` lower-case); a comparison
/// with a stand-in is unknown unless both sides are the same.
pub(super) fn scope_free(name: &str, lname: &str, vals: Vec<V>, symbols: &Symbols) -> Out {
    let arg = |i: usize| vals.get(i).cloned().unwrap_or(V::Null);
    Ok(match lname {
        // Literals, comparison and logic.
        "true" => V::Bool(true),
        "false" => V::Bool(false),
        "null" => V::Null,
        "equals" => {
            let (a, b) = (arg(0), arg(1));
            if let (V::Str(x), V::Str(y)) = (&a, &b) {
                let symbolic = symbols.contains_any(x) || symbols.contains_any(y);
                if symbolic && x != y {
                    return Err("a comparison with a value known only at deployment".into());
                }
                V::Bool(x.eq_ignore_ascii_case(y))
            } else {
                V::Bool(a == b)
            }
        }
        "not" => match arg(0) {
            V::Bool(b) => V::Bool(!b),
            _ => return Err("not() of a non-boolean".into()),
        },
        "and" | "or" => {
            let bools: Option<Vec<bool>> = vals
                .iter()
                .map(|v| if let V::Bool(b) = v { Some(*b) } else { None })
                .collect();
            match bools {
                Some(b) if lname == "and" => V::Bool(b.iter().all(|x| *x)),
                Some(b) => V::Bool(b.iter().any(|x| *x)),
                None => return Err(format!("{name}() of non-booleans")),
            }
        }

        // Strings.
        "concat" => {
            if vals.iter().all(|v| matches!(v, V::Arr(_))) && !vals.is_empty() {
                V::Arr(
                    vals.into_iter()
                        .flat_map(|v| match v {
                            V::Arr(a) => a,
                            _ => Vec::new(),
                        })
                        .collect(),
                )
            } else {
                V::Str(strings(&vals)?.concat())
            }
        }
        "format" => V::Str(format(
            &first_str(name, &vals)?,
            vals.get(1..).unwrap_or(&[]),
        )?),
        "tolower" => V::Str(first_str(name, &vals)?.to_ascii_lowercase()),
        "toupper" => V::Str(first_str(name, &vals)?.to_ascii_uppercase()),
        "trim" => V::Str(first_str(name, &vals)?.trim().to_owned()),
        "replace" => match strings(&vals)?.as_slice() {
            [s, old, new] if !old.is_empty() => {
                let grows = s.matches(old.as_str()).count().saturating_mul(new.len());
                if grows > MAX_VALUE_LEN {
                    return Err("a value grows beyond 64 KiB".into());
                }
                V::Str(s.replace(old.as_str(), new))
            }
            _ => return Err("replace() needs three strings".into()),
        },
        "split" => match (arg(0), arg(1)) {
            (V::Str(s), V::Str(d)) if !d.is_empty() => {
                V::Arr(s.split(d.as_str()).map(|x| V::Str(x.to_owned())).collect())
            }
            _ => return Err("split() needs a string and a delimiter".into()),
        },
        "join" => match (arg(0), arg(1)) {
            (V::Arr(a), V::Str(d)) => V::Str(strings(&a)?.join(&d)),
            _ => return Err("join() needs an array and a delimiter".into()),
        },
        "substring" => match (arg(0), arg(1), vals.get(2)) {
            (V::Str(s), V::Int(start), len) => {
                let chars: Vec<char> = s.chars().collect();
                let start = usize::try_from(start).unwrap_or(0).min(chars.len());
                let end = match len {
                    Some(V::Int(l)) => start
                        .saturating_add(usize::try_from(*l).unwrap_or(0))
                        .min(chars.len()),
                    _ => chars.len(),
                };
                V::Str(
                    chars
                        .get(start..end)
                        .map(|c| c.iter().collect())
                        .unwrap_or_default(),
                )
            }
            _ => return Err("substring() needs a string and a start".into()),
        },
        "startswith" | "endswith" => match (arg(0), arg(1)) {
            (V::Str(s), V::Str(x)) => {
                let (s, x) = (s.to_ascii_lowercase(), x.to_ascii_lowercase());
                V::Bool(if lname == "startswith" {
                    s.starts_with(&x)
                } else {
                    s.ends_with(&x)
                })
            }
            _ => return Err(format!("{name}() needs strings")),
        },

        // Conversions.
        "string" => match arg(0) {
            V::Str(s) => V::Str(s),
            v => match v.to_json()? {
                Value::String(s) => V::Str(s),
                j => V::Str(j.to_string()),
            },
        },
        "int" => match arg(0) {
            V::Int(i) => V::Int(i),
            V::Str(s) => s
                .trim()
                .parse()
                .map(V::Int)
                .map_err(|_| "int() of a non-number".to_owned())?,
            _ => return Err("int() of a non-number".into()),
        },
        "bool" => match arg(0) {
            V::Bool(b) => V::Bool(b),
            V::Str(s) if s.eq_ignore_ascii_case("true") => V::Bool(true),
            V::Str(s) if s.eq_ignore_ascii_case("false") => V::Bool(false),
            V::Int(i) => V::Bool(i != 0),
            _ => return Err("bool() of a non-boolean".into()),
        },
        "json" => serde_json::from_str::<Value>(&first_str(name, &vals)?)
            .map(|v| V::literal(&v))
            .map_err(|_| "json() of invalid JSON".to_owned())?,

        // Arrays and objects (`first`, `last`, `length`, `empty` and `contains` take strings too).
        "first" | "last" => {
            let pick = |n: usize| {
                if lname == "first" {
                    0
                } else {
                    n.saturating_sub(1)
                }
            };
            match arg(0) {
                V::Arr(a) => a.get(pick(a.len())).cloned().unwrap_or(V::Null),
                V::Str(s) => {
                    let chars: Vec<char> = s.chars().collect();
                    chars
                        .get(pick(chars.len()))
                        .map_or(V::Str(String::new()), |c| V::Str(c.to_string()))
                }
                _ => return Err(format!("{name}() of a non-array")),
            }
        }
        "length" => match arg(0) {
            V::Str(s) => V::Int(i64::try_from(s.chars().count()).unwrap_or(0)),
            V::Arr(a) => V::Int(i64::try_from(a.len()).unwrap_or(0)),
            V::Obj(m) => V::Int(i64::try_from(m.len()).unwrap_or(0)),
            _ => return Err("length() of this value".into()),
        },
        "empty" => match arg(0) {
            V::Null => V::Bool(true),
            V::Str(s) => V::Bool(s.is_empty()),
            V::Arr(a) => V::Bool(a.is_empty()),
            V::Obj(m) => V::Bool(m.is_empty()),
            _ => return Err("empty() of this value".into()),
        },
        "contains" => match (arg(0), arg(1)) {
            (V::Str(s), V::Str(x)) => V::Bool(s.contains(x.as_str())),
            (V::Arr(a), x) => V::Bool(a.contains(&x)),
            (o @ V::Obj(_), V::Str(k)) => V::Bool(o.member(&k).is_some()),
            _ => return Err("contains() of this value".into()),
        },
        "createarray" => V::Arr(vals),
        "createobject" => {
            let mut m = Vec::new();
            for pair in vals.chunks(2) {
                if let [V::Str(k), v] = pair {
                    m.push((k.clone(), v.clone()));
                }
            }
            V::Obj(m)
        }
        "tryget" => {
            let mut cur = arg(0);
            for k in vals.iter().skip(1) {
                cur = match (&cur, k) {
                    (V::Obj(_), V::Str(key)) => cur.member(key).cloned().unwrap_or(V::Null),
                    (V::Arr(a), V::Int(i)) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| a.get(i).cloned())
                        .unwrap_or(V::Null),
                    _ => V::Null,
                };
            }
            cur
        }

        // Known only at deployment.
        "deployment" => V::Obj(vec![(
            "name".into(),
            unres("the deployment name is chosen at deployment"),
        )]),
        "utcnow" | "newguid" => return Err(format!("{name}() differs at every deployment")),
        n if n.starts_with("list") => {
            return Err(format!("{name}() returns values only at deployment"))
        }
        _ => {
            return Err(format!(
                "the function {name}() is not evaluated by this tool"
            ))
        }
    })
}

/// The first argument as a string: what `toLower`, `parameters`, `reference`, ... check first.
pub(super) fn first_str(name: &str, vals: &[V]) -> Result<String, String> {
    match vals.first() {
        Some(V::Str(s)) => Ok(s.clone()),
        Some(V::Unres(r)) => Err(r.clone()),
        _ => Err(format!("{name}() needs a string")),
    }
}

/// Every argument as text (`concat`, `join`, `resourceId`, `uniqueString`, ...).
pub(super) fn strings(args: &[V]) -> Result<Vec<String>, String> {
    args.iter()
        .map(|a| match a {
            V::Unres(r) => Err(r.clone()),
            other => text_of(other).ok_or_else(|| "an argument is not a string".to_owned()),
        })
        .collect()
}

/// Text of a value for string building (`concat`, `format`); `None` for arrays, objects, references.
fn text_of(v: &V) -> Option<String> {
    match v {
        V::Str(s) => Some(s.clone()),
        V::Int(i) => Some(i.to_string()),
        V::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
        V::Null => Some(String::new()),
        _ => None,
    }
}

/// `format('{0}-{1}', a, b)`: .NET composite formatting without format specifiers.
fn format(fmt: &str, args: &[V]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut spec = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    spec.push(c);
                }
                let index: usize = spec
                    .trim()
                    .parse()
                    .map_err(|_| format!("format specifier '{{{spec}}}' is not evaluated"))?;
                let arg = args
                    .get(index)
                    .ok_or_else(|| format!("format() has no argument {index}"))?;
                if let V::Unres(r) = arg {
                    return Err(r.clone());
                }
                out.push_str(
                    &text_of(arg).ok_or("format() of an array or object is not evaluated")?,
                );
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            format("{0}-{1}{{x}}", &[V::Str("a".into()), V::Int(2)]).unwrap(),
            "a-2{x}"
        );
        assert!(format("{0:D}", &[V::Int(1)]).is_err());
        assert!(format("{3}", &[]).is_err());
    }
}
