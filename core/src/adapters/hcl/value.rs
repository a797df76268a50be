//! Values of an evaluated configuration: JSON-like, plus values known only after apply (with the resource
//! attributes they come from) and resource instances (whose attributes not configured are unknown).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// A value at plan time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<V>),
    Obj(BTreeMap<String, V>),
    /// Known only after apply. `refs` are the resource attributes it is exactly (`azurerm_key_vault_key.k.id`,
    /// then `azurerm_key_vault_key.k`), empty when it is computed from them (a template, a function).
    Unknown(Vec<String>),
    /// A resource instance: its address (relative to its module) and the attributes known at plan time.
    Res(Box<(String, BTreeMap<String, V>)>),
}

impl V {
    /// An unknown computed from `parts` (no longer one plain reference).
    pub fn derived() -> V {
        V::Unknown(Vec::new())
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, V::Unknown(_))
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            V::Null => "null",
            V::Bool(_) => "bool",
            V::Num(_) => "number",
            V::Str(_) => "string",
            V::List(_) => "list",
            V::Obj(_) | V::Res(_) => "object",
            V::Unknown(_) => "unknown",
        }
    }

    /// The value as a string, as Terraform converts primitives.
    pub fn as_string(&self) -> Option<String> {
        match self {
            V::Str(s) => Some(s.clone()),
            V::Bool(b) => Some(b.to_string()),
            V::Num(n) => Some(num_text(*n)),
            _ => None,
        }
    }

    pub fn truthy(&self) -> Option<bool> {
        match self {
            V::Bool(b) => Some(*b),
            V::Str(s) if s == "true" => Some(true),
            V::Str(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_num(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            V::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The elements of a list, set or tuple; an object's values in key order.
    pub fn elements(&self) -> Option<Vec<V>> {
        match self {
            V::List(l) => Some(l.clone()),
            V::Obj(m) => Some(m.values().cloned().collect()),
            _ => None,
        }
    }

    /// From JSON (tfvars, `--var`, `.tf.json` literals).
    pub fn from_json(v: &Value) -> V {
        match v {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => V::Num(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => V::Str(s.clone()),
            Value::Array(a) => V::List(a.iter().map(V::from_json).collect()),
            Value::Object(m) => V::Obj(
                m.iter()
                    .map(|(k, v)| (k.clone(), V::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The plan's two views of a value: `after` (unknowns as null) and `after_unknown` (`true` where unknown,
    /// `None` where nothing is).
    pub fn split(&self) -> (Value, Option<Value>) {
        match self {
            V::Null => (Value::Null, None),
            V::Bool(b) => (Value::Bool(*b), None),
            V::Num(n) => (num_json(*n), None),
            V::Str(s) => (Value::String(s.clone()), None),
            V::Unknown(_) => (Value::Null, Some(Value::Bool(true))),
            V::List(l) => {
                let mut after = Vec::new();
                let mut unknown = Vec::new();
                let mut any = false;
                for x in l {
                    let (a, u) = x.split();
                    after.push(a);
                    any |= u.is_some();
                    unknown.push(u.unwrap_or(Value::Bool(false)));
                }
                (Value::Array(after), any.then_some(Value::Array(unknown)))
            }
            V::Obj(m) => split_map(m),
            V::Res(r) => split_map(&r.1),
        }
    }

    /// The resource attributes this value is exactly, or comes from (in order, without repeats).
    pub fn refs(&self, out: &mut Vec<String>) {
        match self {
            V::Unknown(r) => {
                for s in r {
                    if !out.contains(s) {
                        out.push(s.clone());
                    }
                }
            }
            V::List(l) => l.iter().for_each(|x| x.refs(out)),
            V::Obj(m) => m.values().for_each(|x| x.refs(out)),
            _ => {}
        }
    }
}

fn split_map(m: &BTreeMap<String, V>) -> (Value, Option<Value>) {
    let mut after = Map::new();
    let mut unknown = Map::new();
    for (k, x) in m {
        let (a, u) = x.split();
        after.insert(k.clone(), a);
        if let Some(u) = u {
            unknown.insert(k.clone(), u);
        }
    }
    let u = (!unknown.is_empty()).then_some(Value::Object(unknown));
    (Value::Object(after), u)
}

/// A number as JSON: an integer when it is one.
pub(crate) fn num_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// A number as Terraform prints it in a string (`3`, `1.5`).
pub(crate) fn num_text(n: f64) -> String {
    match num_json(n) {
        Value::Number(x) => x.to_string(),
        _ => String::new(),
    }
}
