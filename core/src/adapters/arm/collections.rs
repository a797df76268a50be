//! The scope-free ARM functions on arrays, objects and numbers, and the encodings: `range`, `take`, `skip`,
//! `indexOf`, `lastIndexOf`, `intersection`, `union` (objects merged recursively, arrays without duplicates),
//! `shallowMerge`, `items`, `objectKeys`, `flatten`, `min`, `max`, arithmetic and ordering, `base64`,
//! `dataUri`, `uriComponent`, `padLeft`, `array`. Every result stays within the item and size limits.

use super::eval::{MAX_VALUE_LEN, V};
use super::scope_free::Out;
use crate::input::MAX_ITEMS;

/// The function's value, or `None` when `lname` is not one of these.
pub(super) fn collections(name: &str, lname: &str, vals: &[V]) -> Option<Out> {
    let arg = |i: usize| vals.get(i).cloned().unwrap_or(V::Null);
    let int = |i: usize| match vals.get(i) {
        Some(V::Int(n)) => Ok(*n),
        _ => Err(format!("{name}() needs an integer")),
    };
    Some(match lname {
        "range" => (|| {
            let (start, count) = (int(0)?, int(1)?);
            if !(0..=i64::try_from(MAX_ITEMS).unwrap_or(0)).contains(&count) {
                return Err(format!(
                    "range() with count {count}: more than {MAX_ITEMS} items are not evaluated"
                ));
            }
            Ok(V::Arr(
                (0..count)
                    .map(|i| V::Int(start.saturating_add(i)))
                    .collect(),
            ))
        })(),
        "take" | "skip" => (|| {
            let n = usize::try_from(int(1)?.max(0)).unwrap_or(0);
            let pick = |len: usize| {
                if lname == "take" {
                    0..n.min(len)
                } else {
                    n.min(len)..len
                }
            };
            match arg(0) {
                V::Arr(a) => Ok(V::Arr(a.get(pick(a.len())).unwrap_or(&[]).to_vec())),
                V::Str(s) => {
                    let chars: Vec<char> = s.chars().collect();
                    Ok(V::Str(
                        chars.get(pick(chars.len())).unwrap_or(&[]).iter().collect(),
                    ))
                }
                _ => Err(format!("{name}() needs an array or a string")),
            }
        })(),
        "indexof" | "lastindexof" => Ok(match (arg(0), arg(1)) {
            (V::Str(s), V::Str(x)) => {
                // Case-insensitive, in characters; -1 when not found.
                let (s, x) = (s.to_lowercase(), x.to_lowercase());
                let at = if lname == "indexof" {
                    s.find(&x)
                } else {
                    s.rfind(&x)
                };
                V::Int(at.map_or(-1, |b| {
                    i64::try_from(s.get(..b).map_or(0, |p| p.chars().count())).unwrap_or(-1)
                }))
            }
            (V::Arr(a), x) => {
                let at = if lname == "indexof" {
                    a.iter().position(|y| *y == x)
                } else {
                    a.iter().rposition(|y| *y == x)
                };
                V::Int(at.map_or(-1, |i| i64::try_from(i).unwrap_or(-1)))
            }
            _ => return Some(Err(format!("{name}() needs a string or an array"))),
        }),
        "union" => union(vals),
        "intersection" => match vals.first() {
            Some(V::Arr(first)) => {
                let mut out: Vec<V> = Vec::new();
                for x in first {
                    let everywhere = vals
                        .iter()
                        .skip(1)
                        .all(|v| matches!(v, V::Arr(o) if o.contains(x)));
                    if everywhere && !out.contains(x) {
                        out.push(x.clone());
                    }
                }
                Ok(V::Arr(out))
            }
            Some(V::Obj(first)) => Ok(V::Obj(
                first
                    .iter()
                    .filter(|(k, x)| vals.iter().skip(1).all(|v| v.member(k) == Some(x)))
                    .cloned()
                    .collect(),
            )),
            _ => Err("intersection() needs arrays or objects".into()),
        },
        "shallowmerge" => match arg(0) {
            V::Arr(objs) => {
                let mut m: Vec<(String, V)> = Vec::new();
                for o in objs {
                    let V::Obj(o) = o else {
                        return Some(Err("shallowMerge() needs an array of objects".into()));
                    };
                    for (k, x) in o {
                        m.retain(|(ek, _)| !ek.eq_ignore_ascii_case(&k));
                        m.push((k, x));
                    }
                }
                Ok(V::Obj(m))
            }
            _ => Err("shallowMerge() needs an array of objects".into()),
        },
        "items" => match arg(0) {
            V::Obj(mut m) => {
                // Sorted by key, as ARM gives them.
                m.sort_by_key(|(k, _)| k.to_lowercase());
                Ok(V::Arr(
                    m.into_iter()
                        .map(|(k, v)| V::Obj(vec![("key".into(), V::Str(k)), ("value".into(), v)]))
                        .collect(),
                ))
            }
            _ => Err("items() needs an object".into()),
        },
        "objectkeys" => match arg(0) {
            V::Obj(m) => Ok(V::Arr(m.into_iter().map(|(k, _)| V::Str(k)).collect())),
            _ => Err("objectKeys() needs an object".into()),
        },
        "flatten" => match arg(0) {
            V::Arr(a) => {
                let mut out = Vec::new();
                for x in a {
                    match x {
                        V::Arr(inner) => out.extend(inner),
                        _ => return Some(Err("flatten() needs an array of arrays".into())),
                    }
                }
                if out.len() > MAX_ITEMS {
                    return Some(Err("an array grows beyond 1024 items".into()));
                }
                Ok(V::Arr(out))
            }
            _ => Err("flatten() needs an array of arrays".into()),
        },
        "array" => Ok(match arg(0) {
            V::Arr(a) => V::Arr(a),
            other => V::Arr(vec![other]),
        }),
        "min" | "max" => {
            let nums: Result<Vec<i64>, String> = match vals {
                [V::Arr(a)] => a.iter().map(as_int).collect(),
                _ => vals.iter().map(as_int).collect(),
            };
            nums.and_then(|n| {
                let pick = if lname == "min" {
                    n.iter().min()
                } else {
                    n.iter().max()
                };
                pick.map(|x| V::Int(*x))
                    .ok_or_else(|| format!("{name}() of nothing"))
            })
        }
        "add" | "sub" | "mul" | "div" | "mod" => (|| {
            let (a, b) = (int(0)?, int(1)?);
            let v = match lname {
                "add" => a.checked_add(b),
                "sub" => a.checked_sub(b),
                "mul" => a.checked_mul(b),
                "div" => a.checked_div(b),
                _ => a.checked_rem(b),
            };
            v.map(V::Int)
                .ok_or_else(|| format!("{name}() overflows or divides by zero"))
        })(),
        "less" | "lessorequals" | "greater" | "greaterorequals" => {
            let ord = match (arg(0), arg(1)) {
                (V::Int(a), V::Int(b)) => a.cmp(&b),
                // Strings compare ordinally.
                (V::Str(a), V::Str(b)) => a.cmp(&b),
                _ => return Some(Err(format!("{name}() needs two integers or two strings"))),
            };
            Ok(V::Bool(match lname {
                "less" => ord.is_lt(),
                "lessorequals" => ord.is_le(),
                "greater" => ord.is_gt(),
                _ => ord.is_ge(),
            }))
        }
        "base64" => text(vals, name).map(|s| V::Str(base64(s.as_bytes()))),
        "base64tostring" => text(vals, name).and_then(|s| {
            unbase64(&s)
                .and_then(|b| String::from_utf8(b).ok())
                .map(V::Str)
                .ok_or_else(|| "base64ToString() of invalid base64".into())
        }),
        "datauri" => text(vals, name).map(|s| {
            V::Str(format!(
                "data:text/plain;charset=utf8;base64,{}",
                base64(s.as_bytes())
            ))
        }),
        "datauritostring" => text(vals, name).and_then(|s| {
            s.split_once(";base64,")
                .and_then(|(_, b)| unbase64(b))
                .and_then(|b| String::from_utf8(b).ok())
                .map(V::Str)
                .ok_or_else(|| "dataUriToString() of an invalid data URI".into())
        }),
        "uricomponent" => text(vals, name).map(|s| {
            let mut out = String::new();
            for b in s.bytes() {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    out.push(char::from(b));
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            V::Str(out)
        }),
        "padleft" => (|| {
            let s = match arg(0) {
                V::Str(s) => s,
                V::Int(i) => i.to_string(),
                _ => return Err("padLeft() needs a string".into()),
            };
            let width = usize::try_from(int(1)?.max(0)).unwrap_or(0);
            if width > MAX_VALUE_LEN {
                return Err("a value grows beyond 64 KiB".into());
            }
            let pad = match arg(2) {
                V::Str(p) => p.chars().next().unwrap_or(' '),
                _ => ' ',
            };
            let len = s.chars().count();
            Ok(V::Str(
                std::iter::repeat_n(pad, width.saturating_sub(len))
                    .chain(s.chars())
                    .collect(),
            ))
        })(),
        _ => return None,
    })
}

fn as_int(v: &V) -> Result<i64, String> {
    match v {
        V::Int(i) => Ok(*i),
        _ => Err("an argument is not an integer".into()),
    }
}

fn text(vals: &[V], name: &str) -> Result<String, String> {
    match vals.first() {
        Some(V::Str(s)) => Ok(s.clone()),
        _ => Err(format!("{name}() needs a string")),
    }
}

/// `union(...)`: objects merged (nested objects recursively, later values winning), or arrays joined without
/// duplicates.
fn union(vals: &[V]) -> Out {
    if vals.iter().all(|v| matches!(v, V::Obj(_))) {
        let mut m: Vec<(String, V)> = Vec::new();
        for v in vals {
            if let V::Obj(o) = v {
                merge(&mut m, o);
            }
        }
        return Ok(V::Obj(m));
    }
    if vals.iter().all(|v| matches!(v, V::Arr(_))) {
        let mut out: Vec<V> = Vec::new();
        for v in vals {
            if let V::Arr(a) = v {
                for x in a {
                    if !out.contains(x) {
                        out.push(x.clone());
                    }
                }
            }
        }
        return Ok(V::Arr(out));
    }
    if let Some(V::Unres(r)) = vals.iter().find(|v| matches!(v, V::Unres(_))) {
        return Err(r.clone());
    }
    Err("union() needs all objects or all arrays".into())
}

fn merge(into: &mut Vec<(String, V)>, from: &[(String, V)]) {
    for (k, x) in from {
        match (
            into.iter_mut().find(|(ek, _)| ek.eq_ignore_ascii_case(k)),
            x,
        ) {
            (Some((_, V::Obj(old))), V::Obj(new)) => merge(old, new),
            (Some(slot), _) => slot.1 = x.clone(),
            (None, _) => into.push((k.clone(), x.clone())),
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for i in 0..4 {
            if i <= chunk.len() {
                let six = usize::try_from((n >> (18 - 6 * i)) & 63).unwrap_or(0);
                out.push(char::from(B64.get(six).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(s: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.trim_end_matches('=').bytes() {
        let v = u32::try_from(B64.iter().position(|x| *x == c)?).ok()?;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push(u8::try_from((bits >> n) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> V {
        V::Str(x.into())
    }

    #[test]
    fn encodes_and_decodes_base64() {
        assert_eq!(base64(b"one, two, three"), "b25lLCB0d28sIHRocmVl");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(unbase64("YWI=").unwrap(), b"ab");
        assert_eq!(
            collections("dataUri", "datauri", &[s("Hello")])
                .unwrap()
                .unwrap(),
            s("data:text/plain;charset=utf8;base64,SGVsbG8=")
        );
    }

    #[test]
    fn arrays_and_objects() {
        let arr = |v: Vec<i64>| V::Arr(v.into_iter().map(V::Int).collect());
        let c = |n: &str, v: &[V]| collections(n, &n.to_ascii_lowercase(), v).unwrap();
        assert_eq!(
            c("range", &[V::Int(5), V::Int(3)]).unwrap(),
            arr(vec![5, 6, 7])
        );
        assert!(c("range", &[V::Int(0), V::Int(100_000_000)]).is_err());
        assert_eq!(
            c("take", &[arr(vec![1, 2, 3]), V::Int(2)]).unwrap(),
            arr(vec![1, 2])
        );
        assert_eq!(c("skip", &[s("abc"), V::Int(1)]).unwrap(), s("bc"));
        assert_eq!(c("indexOf", &[s("abcdef"), s("CD")]).unwrap(), V::Int(2));
        assert_eq!(
            c("lastIndexOf", &[s("abcabc"), s("x")]).unwrap(),
            V::Int(-1)
        );
        assert_eq!(
            c("intersection", &[arr(vec![1, 2, 3]), arr(vec![3, 2])]).unwrap(),
            arr(vec![2, 3])
        );
        let o = |m: Vec<(&str, V)>| V::Obj(m.into_iter().map(|(k, v)| (k.into(), v)).collect());
        assert_eq!(
            c(
                "union",
                &[
                    o(vec![("a", o(vec![("x", V::Int(1))])), ("b", V::Int(1))]),
                    o(vec![("a", o(vec![("y", V::Int(2))])), ("b", V::Int(2))])
                ]
            )
            .unwrap(),
            o(vec![
                ("a", o(vec![("x", V::Int(1)), ("y", V::Int(2))])),
                ("b", V::Int(2))
            ])
        );
        assert_eq!(
            c(
                "shallowMerge",
                &[V::Arr(vec![
                    o(vec![("a", o(vec![("x", V::Int(1))]))]),
                    o(vec![("a", V::Int(2))])
                ])]
            )
            .unwrap(),
            o(vec![("a", V::Int(2))])
        );
        assert_eq!(
            c("items", &[o(vec![("b", V::Int(2)), ("a", V::Int(1))])]).unwrap(),
            V::Arr(vec![
                o(vec![("key", s("a")), ("value", V::Int(1))]),
                o(vec![("key", s("b")), ("value", V::Int(2))])
            ])
        );
        assert_eq!(
            c("flatten", &[V::Arr(vec![arr(vec![1]), arr(vec![2, 3])])]).unwrap(),
            arr(vec![1, 2, 3])
        );
        assert_eq!(c("max", &[arr(vec![1, 9, 3])]).unwrap(), V::Int(9));
        assert!(c("div", &[V::Int(1), V::Int(0)]).is_err());
        assert_eq!(c("less", &[s("a"), s("b")]).unwrap(), V::Bool(true));
        assert_eq!(
            c("padLeft", &[V::Int(7), V::Int(3), s("0")]).unwrap(),
            s("007")
        );
        assert!(collections("x", "nothing", &[]).is_none());
    }
}
