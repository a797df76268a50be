//! The Terraform functions configurations commonly use. An unknown argument makes the result unknown (an
//! unknown inside a list stays in place where the function only moves items).

use std::collections::BTreeMap;

use super::eval::{MAX_LEN, MAX_STEPS, R};
use super::value::{num_json, num_text, V};

fn s(v: &V, f: &str) -> Result<String, String> {
    v.as_string()
        .ok_or_else(|| format!("{f}() needs a string, not {}", v.type_name()))
}

fn n(v: &V, f: &str) -> Result<f64, String> {
    v.as_num()
        .ok_or_else(|| format!("{f}() needs a number, not {}", v.type_name()))
}

fn list(v: &V, f: &str) -> Result<Vec<V>, String> {
    match v {
        V::List(l) => Ok(l.clone()),
        _ => Err(format!("{f}() needs a list, not {}", v.type_name())),
    }
}

fn arg<'a>(args: &'a [V], i: usize, f: &str) -> Result<&'a V, String> {
    args.get(i)
        .ok_or_else(|| format!("{f}() needs at least {} arguments", i + 1))
}

fn short(text: String) -> R {
    if text.len() > MAX_LEN {
        return Err("a string longer than 1 MiB".into());
    }
    Ok(V::Str(text))
}

fn set_of(items: Vec<V>) -> V {
    let mut out: Vec<V> = Vec::new();
    for x in items {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    if out.iter().all(|x| matches!(x, V::Str(_))) {
        out.sort_by_key(V::as_string);
    }
    V::List(out)
}

/// Calls function `name`.
pub(crate) fn call(name: &str, args: Vec<V>, steps: &mut usize) -> R {
    // Functions that only move items keep unknown items; the others need every argument known.
    let moves = matches!(
        name,
        "concat"
            | "merge"
            | "tolist"
            | "tomap"
            | "lookup"
            | "element"
            | "coalesce"
            | "coalescelist"
            | "length"
            | "one"
            | "values"
            | "flatten"
            | "compact"
            | "toset"
            | "distinct"
            | "keys"
            | "reverse"
            | "slice"
            | "zipmap"
    );
    if args.iter().any(V::is_unknown) {
        return Ok(V::derived());
    }
    if !moves && args.iter().any(contains_unknown) {
        return Ok(V::derived());
    }
    let work: usize = args.iter().map(size).sum();
    *steps += work;
    if *steps > MAX_STEPS {
        return Err("evaluation stopped: too much work".into());
    }
    let a0 = || arg(&args, 0, name);
    let a1 = || arg(&args, 1, name);
    let a2 = || arg(&args, 2, name);
    match name {
        "lower" => Ok(V::Str(s(a0()?, name)?.to_lowercase())),
        "upper" => Ok(V::Str(s(a0()?, name)?.to_uppercase())),
        "title" => Ok(V::Str(
            s(a0()?, name)?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map_or(String::new(), |f| {
                        f.to_uppercase().collect::<String>() + c.as_str()
                    })
                })
                .collect::<Vec<_>>()
                .join(" "),
        )),
        "trimspace" => Ok(V::Str(s(a0()?, name)?.trim().to_owned())),
        "trimprefix" => {
            let t = s(a0()?, name)?;
            let p = s(a1()?, name)?;
            Ok(V::Str(t.strip_prefix(&p).unwrap_or(&t).to_owned()))
        }
        "trimsuffix" => {
            let t = s(a0()?, name)?;
            let p = s(a1()?, name)?;
            Ok(V::Str(t.strip_suffix(&p).unwrap_or(&t).to_owned()))
        }
        "trim" => {
            let t = s(a0()?, name)?;
            let cut: Vec<char> = s(a1()?, name)?.chars().collect();
            Ok(V::Str(t.trim_matches(|c| cut.contains(&c)).to_owned()))
        }
        "startswith" => Ok(V::Bool(s(a0()?, name)?.starts_with(&s(a1()?, name)?))),
        "endswith" => Ok(V::Bool(s(a0()?, name)?.ends_with(&s(a1()?, name)?))),
        "strlen" => Ok(V::Num(s(a0()?, name)?.chars().count() as f64)),
        "substr" => {
            let t: Vec<char> = s(a0()?, name)?.chars().collect();
            let off = n(a1()?, name)?;
            let len = n(a2()?, name)?;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let start = if off < 0.0 {
                t.len().saturating_sub((-off) as usize)
            } else {
                (off as usize).min(t.len())
            };
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let end = if len < 0.0 {
                t.len()
            } else {
                start.saturating_add(len as usize).min(t.len())
            };
            Ok(V::Str(t.get(start..end).unwrap_or(&[]).iter().collect()))
        }
        "replace" => {
            let t = s(a0()?, name)?;
            let from = s(a1()?, name)?;
            let to = s(a2()?, name)?;
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return Err("replace() with a regular expression is not evaluated".into());
            }
            if from.is_empty() {
                return Ok(V::Str(t));
            }
            if t.matches(from.as_str()).count().saturating_mul(to.len()) > MAX_LEN {
                return Err("a string longer than 1 MiB".into());
            }
            short(t.replace(&from, &to))
        }
        "split" => {
            let sep = s(a0()?, name)?;
            let t = s(a1()?, name)?;
            if sep.is_empty() {
                return Ok(V::List(t.chars().map(|c| V::Str(c.to_string())).collect()));
            }
            Ok(V::List(
                t.split(sep.as_str())
                    .map(|p| V::Str(p.to_owned()))
                    .collect(),
            ))
        }
        "join" => {
            let sep = s(a0()?, name)?;
            let mut parts = Vec::new();
            for l in args.get(1..).unwrap_or(&[]) {
                for x in list(l, name)? {
                    parts.push(s(&x, name)?);
                }
            }
            short(parts.join(&sep))
        }
        "format" => format(&args),
        "formatlist" => Err("formatlist() is not evaluated".into()),
        "tostring" => match a0()? {
            V::Null => Ok(V::Null),
            v => Ok(V::Str(s(v, name)?)),
        },
        "tonumber" => match a0()? {
            V::Null => Ok(V::Null),
            v => Ok(V::Num(n(v, name)?)),
        },
        "tobool" => match a0()? {
            V::Null => Ok(V::Null),
            v => v
                .truthy()
                .map(V::Bool)
                .ok_or_else(|| "tobool() needs a bool".into()),
        },
        "length" => match a0()? {
            V::List(l) => Ok(V::Num(l.len() as f64)),
            V::Obj(m) => Ok(V::Num(m.len() as f64)),
            V::Str(t) => Ok(V::Num(t.chars().count() as f64)),
            v => Err(format!("length() of a {}", v.type_name())),
        },
        "concat" => {
            let mut out = Vec::new();
            for l in &args {
                out.extend(list(l, name)?);
            }
            Ok(V::List(out))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for m in &args {
                match m {
                    V::Obj(m) => out.extend(m.clone()),
                    V::Null => {}
                    v => return Err(format!("merge() of a {}", v.type_name())),
                }
            }
            Ok(V::Obj(out))
        }
        "lookup" => {
            let key = s(a1()?, name)?;
            match a0()? {
                V::Obj(m) => match (m.get(&key), args.get(2)) {
                    (Some(v), _) | (None, Some(v)) => Ok(v.clone()),
                    (None, None) => Err(format!("lookup(): no key `{key}`")),
                },
                v => Err(format!("lookup() in a {}", v.type_name())),
            }
        }
        "element" => {
            let l = list(a0()?, name)?;
            if l.is_empty() {
                return Err("element() of an empty list".into());
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let i = n(a1()?, name)?.max(0.0) as usize % l.len();
            l.get(i).cloned().ok_or_else(|| "element()".into())
        }
        "index" => {
            let l = list(a0()?, name)?;
            let x = a1()?;
            l.iter()
                .position(|y| y == x)
                .map(|i| V::Num(i as f64))
                .ok_or_else(|| "index(): not in the list".into())
        }
        "contains" => {
            let l = list(a0()?, name)?;
            Ok(V::Bool(l.contains(a1()?)))
        }
        "coalesce" => args
            .iter()
            .find(|v| !matches!(v, V::Null) && **v != V::Str(String::new()))
            .cloned()
            .ok_or_else(|| "coalesce(): every argument is null or empty".into()),
        "coalescelist" => args
            .iter()
            .find(|v| matches!(v, V::List(l) if !l.is_empty()))
            .cloned()
            .ok_or_else(|| "coalescelist(): every list is empty".into()),
        "toset" | "distinct" => Ok(set_of(list(a0()?, name)?)),
        "tolist" => Ok(V::List(
            a0()?.elements().ok_or("tolist() needs a collection")?,
        )),
        "tomap" => match a0()? {
            V::Obj(m) => Ok(V::Obj(m.clone())),
            v => Err(format!("tomap() of a {}", v.type_name())),
        },
        "keys" => match a0()? {
            V::Obj(m) => Ok(V::List(m.keys().map(|k| V::Str(k.clone())).collect())),
            v => Err(format!("keys() of a {}", v.type_name())),
        },
        "values" => match a0()? {
            V::Obj(m) => Ok(V::List(m.values().cloned().collect())),
            v => Err(format!("values() of a {}", v.type_name())),
        },
        "reverse" => {
            let mut l = list(a0()?, name)?;
            l.reverse();
            Ok(V::List(l))
        }
        "slice" => {
            let l = list(a0()?, name)?;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let (a, b) = (n(a1()?, name)? as usize, n(a2()?, name)? as usize);
            l.get(a..b)
                .map(|x| V::List(x.to_vec()))
                .ok_or_else(|| "slice(): out of range".into())
        }
        "zipmap" => {
            let k = list(a0()?, name)?;
            let v = list(a1()?, name)?;
            let mut out = BTreeMap::new();
            for (k, v) in k.iter().zip(v) {
                out.insert(s(k, name)?, v);
            }
            Ok(V::Obj(out))
        }
        "flatten" => {
            let mut out = Vec::new();
            flatten(a0()?, &mut out, 0)?;
            Ok(V::List(out))
        }
        "compact" => Ok(V::List(
            list(a0()?, name)?
                .into_iter()
                .filter(|v| !matches!(v, V::Null) && *v != V::Str(String::new()))
                .collect(),
        )),
        "one" => {
            let l = list(a0()?, name)?;
            match l.as_slice() {
                [] => Ok(V::Null),
                [x] => Ok(x.clone()),
                _ => Err("one() of a list of more than one".into()),
            }
        }
        "abs" => Ok(V::Num(n(a0()?, name)?.abs())),
        "ceil" => Ok(V::Num(n(a0()?, name)?.ceil())),
        "floor" => Ok(V::Num(n(a0()?, name)?.floor())),
        "min" | "max" => {
            let mut nums = Vec::new();
            for a in &args {
                nums.push(n(a, name)?);
            }
            let pick = if name == "min" { f64::min } else { f64::max };
            nums.into_iter()
                .reduce(pick)
                .map(V::Num)
                .ok_or_else(|| format!("{name}() needs arguments"))
        }
        "range" => {
            let (start, end) = match args.as_slice() {
                [e] => (0.0, n(e, name)?),
                [a, b, ..] => (n(a, name)?, n(b, name)?),
                [] => return Err("range() needs arguments".into()),
            };
            if (end - start).abs() > 10_000.0 {
                return Err("range() longer than 10000".into());
            }
            let mut out = Vec::new();
            let mut i = start;
            while i < end {
                out.push(V::Num(i));
                i += 1.0;
            }
            Ok(V::List(out))
        }
        "jsonencode" => Ok(V::Str(a0()?.split().0.to_string())),
        "jsondecode" => serde_json::from_str::<serde_json::Value>(&s(a0()?, name)?)
            .map(|v| V::from_json(&v))
            .map_err(|e| format!("jsondecode(): {e}")),
        // Values only known to Terraform when it runs.
        "uuid" | "timestamp" | "file" | "filebase64" | "templatefile" | "fileexists" => {
            Ok(V::derived())
        }
        other => Err(format!("function {other}() is not evaluated")),
    }
}

fn contains_unknown(v: &V) -> bool {
    match v {
        V::Unknown(_) => true,
        V::List(l) => l.iter().any(contains_unknown),
        V::Obj(m) => m.values().any(contains_unknown),
        _ => false,
    }
}

fn size(v: &V) -> usize {
    match v {
        V::Str(t) => t.len() / 64 + 1,
        V::List(l) => l.iter().map(size).sum::<usize>() + 1,
        V::Obj(m) => m.values().map(size).sum::<usize>() + 1,
        _ => 1,
    }
}

fn flatten(v: &V, out: &mut Vec<V>, depth: usize) -> Result<(), String> {
    if depth > 32 {
        return Err("flatten(): nested too deep".into());
    }
    match v {
        V::List(l) => {
            for x in l {
                flatten(x, out, depth + 1)?;
            }
        }
        other => out.push(other.clone()),
    }
    Ok(())
}

fn format(args: &[V]) -> R {
    let f = s(arg(args, 0, "format")?, "format")?;
    let mut out = String::new();
    let mut rest = args.iter().skip(1);
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Flags and width are skipped: `%-10s` prints as `%s`.
        let mut verb = None;
        for d in chars.by_ref() {
            if d.is_ascii_alphabetic() || d == '%' {
                verb = Some(d);
                break;
            }
        }
        match verb {
            Some('%') => out.push('%'),
            Some(v) => {
                let x = rest
                    .next()
                    .ok_or_else(|| "format(): too few arguments".to_owned())?;
                match v {
                    'd' => out.push_str(&num_text(n(x, "format")?.trunc())),
                    'q' => out.push_str(&serde_json::Value::String(s(x, "format")?).to_string()),
                    'v' | 's' => match x.as_string() {
                        Some(t) => out.push_str(&t),
                        None => out.push_str(&x.split().0.to_string()),
                    },
                    'f' | 'g' | 'e' => out.push_str(&num_json(n(x, "format")?).to_string()),
                    't' => out.push_str(&x.truthy().unwrap_or(false).to_string()),
                    other => return Err(format!("format(): verb %{other} is not evaluated")),
                }
            }
            None => return Err("format(): a `%` at the end".into()),
        }
        if out.len() > MAX_LEN {
            return Err("a string longer than 1 MiB".into());
        }
    }
    Ok(V::Str(out))
}
