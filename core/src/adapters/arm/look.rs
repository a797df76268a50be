//! Looking properties up in a template resource, through the expressions on the way (`"identity":
//! "[variables('id')]"`, then `.type`), and putting them into a component: the value with its pointer, the
//! pointer where it would be added when it is absent, or the unknown expression with the reason.

use serde_json::{Map, Value};

use super::eval::{Arm, V};
use super::member;
use crate::adapters::bundle::Component;
use crate::adapters::expr;
use crate::pointer::child;

impl<'a> Arm<'a, '_> {
    /// Looks up `path` in a resource, evaluating expressions on the way. With `deep == false` an object at the
    /// end is returned empty (only its presence matters), so an unknown leaf inside does not hide it.
    pub(super) fn look_at(&mut self, src: &Src<'a>, path: &[&str], deep: bool) -> Look {
        let (raw, t) = (src.raw, src.t);
        let mut at = src.base.clone();
        let mut expression: Option<String> = None;
        let mut cur: Option<&'a Value> = None;
        let mut ev: Option<V> = None;
        for (i, seg) in path.iter().enumerate() {
            // Below an expression: the members of its value.
            let evaluated = match (ev.take(), cur) {
                (Some(v), _) => Some(v),
                (None, Some(Value::String(s))) if expr::is_expression(s) => {
                    expression = Some(s.clone());
                    Some(self.eval_str(s, t))
                }
                _ => None,
            };
            if let Some(v) = evaluated {
                match member_of(v, seg, expression.as_deref().unwrap_or(""), &at) {
                    Ok(x) => {
                        ev = Some(x);
                        continue;
                    }
                    Err(look) => return look,
                }
            }
            let map: &'a Map<String, Value> = match cur {
                None => raw,
                Some(Value::Object(m)) => m,
                Some(_) => return Look::Absent(at),
            };
            match member(map, seg) {
                Some((k, v)) => {
                    at = child(&at, k);
                    cur = Some(v);
                }
                None => return Look::Absent(path.iter().skip(i).fold(at, |a, s| child(&a, s))),
            }
        }
        if let Some(v) = ev {
            return settle(v, deep, at, || expression.unwrap_or_default());
        }
        let Some(raw) = cur else {
            return Look::Val(Value::Object(Map::new()), at);
        };
        if !deep && raw.is_object() {
            return Look::Val(Value::Object(Map::new()), at);
        }
        let text = match raw {
            Value::String(s) if expr::is_expression(s) => Some(s.clone()),
            _ => None,
        };
        let v = self.eval_value(raw, t);
        settle(v, deep, at, || {
            text.or(expression).unwrap_or_else(|| first_expression(raw))
        })
    }

    /// `look_at` to the end of `path`.
    pub(super) fn look(&mut self, src: &Src<'a>, path: &[&str]) -> Look {
        self.look_at(src, path, true)
    }

    /// Sets `model` from `path` of resource `r`: `true` when the value is there (and known).
    pub(super) fn put(&mut self, c: &mut Component, r: usize, path: &[&str], model: &str) -> bool {
        let Some(src) = self.src(r) else {
            return false;
        };
        match self.look(&src, path) {
            Look::Val(v, p) => {
                c.set(model, &p, v);
                true
            }
            Look::Absent(p) => {
                c.map(model, &p);
                false
            }
            Look::Unres(e, reason, p) => {
                c.unresolved(model, &p, &e, &reason);
                false
            }
        }
    }

    /// `put`, and ARM's `default` when the template leaves the property out.
    pub(super) fn put_or(
        &mut self,
        c: &mut Component,
        r: usize,
        path: &[&str],
        model: &str,
        default: Value,
    ) {
        if !self.put(c, r, path, model) && !unknown(c, model) {
            set_default(c, model, default);
        }
    }

    pub(super) fn src(&self, i: usize) -> Option<Src<'a>> {
        self.resources.get(i).map(|x| Src {
            raw: x.raw,
            base: x.ptr.clone(),
            t: x.template,
            existing: x.existing,
        })
    }
}

/// What the mappers read of a resource: its JSON, pointer and template, and whether it is `existing`.
pub(super) struct Src<'a> {
    pub(super) raw: &'a Map<String, Value>,
    pub(super) base: String,
    pub(super) t: usize,
    pub(super) existing: bool,
}

/// Whether the value at `model` is unknown (an expression recorded as unresolved).
pub(super) fn unknown(c: &Component, model: &str) -> bool {
    c.unresolved.iter().any(|u| u.model == model)
}

/// The pointer `model` is mapped to.
pub(super) fn mapped(c: &Component, model: &str) -> Option<String> {
    c.map
        .iter()
        .find(|(m, _)| m == model)
        .map(|(_, d)| d.clone())
}

/// Sets a default the template leaves out, mapped where the value would be.
pub(super) fn set_default(c: &mut Component, model: &str, default: Value) {
    let p = mapped(c, model).unwrap_or_default();
    c.set(model, &p, default);
}

/// A property looked up in a resource, with the pointer where it is (or would be added).
pub(super) enum Look {
    Val(Value, String),
    Absent(String),
    /// The expression, why it is not known, the pointer.
    Unres(String, String, String),
}

/// Member `seg` of a value evaluated on the way, or the answer when it has none (`expression` names the value).
fn member_of(v: V, seg: &str, expression: &str, at: &str) -> Result<V, Look> {
    match v {
        V::Unres(r) => Err(Look::Unres(expression.to_owned(), r, at.to_owned())),
        V::Obj(_) => v
            .member(seg)
            .cloned()
            .ok_or_else(|| Look::Absent(at.to_owned())),
        _ => Err(Look::Absent(at.to_owned())),
    }
}

/// The value found at `at`: absent when null, an empty object when only its presence matters (`deep == false`),
/// unknown (named by `expression()`) when anything inside is.
fn settle(v: V, deep: bool, at: String, expression: impl FnOnce() -> String) -> Look {
    match v {
        V::Obj(_) if !deep => Look::Val(Value::Object(Map::new()), at),
        v => match v.to_json() {
            Ok(Value::Null) => Look::Absent(at),
            Ok(j) => Look::Val(j, at),
            Err(r) => Look::Unres(expression(), r, at),
        },
    }
}

/// The first expression string inside a value (for messages).
pub(super) fn first_expression(v: &Value) -> String {
    match v {
        Value::String(s) if expr::is_expression(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .map(first_expression)
            .find(|s| !s.is_empty())
            .unwrap_or_default(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| {
                if expr::is_expression(k) {
                    k.clone()
                } else {
                    first_expression(v)
                }
            })
            .find(|s| !s.is_empty())
            .unwrap_or_default(),
        _ => String::new(),
    }
}
