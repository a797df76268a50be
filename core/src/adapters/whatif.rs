//! `what-if` output: `az deployment group|sub|mg what-if --no-pretty-print` and the REST
//! `WhatIfOperationResult` (`status`, `error`, `changes[]` with `resourceId`, `changeType`, `before`, `after`,
//! `delta`).
//!
//! ARM has evaluated the template already, so each change's `after` (its `before` when it has none) is read as
//! `az show` prints that resource, by the `az` reader; a `Delete` removes the resource. Expressions ARM leaves
//! unevaluated (`[reference('...').principalId]`) are given as in a template: a stand-in for what the
//! deployment decides, or a `template.expression_unresolved` finding at their pointer. A change to a cache
//! that exists (`Modify`, `NoChange`, `Deploy`, ...) compares its `before` key source with the requested one.

use serde_json::{Map, Value};

use super::arm::{parse_id, principal_stand_in, runtime_value};
use super::az;
use super::bundle::{Bundle, Component, Kind};
use super::expr::is_expression;
use super::symbols::Symbols;
use crate::error::InputError;
use crate::input::MAX_ITEMS;
use crate::pointer::{child, tokens};

/// An expression that stays unknown: its pointer, its text, the reason.
type Unknown = (String, String, String);

/// Whether an object is what-if output: `changes`, a list of objects with `changeType`.
pub(crate) fn looks_like_what_if(m: &Map<String, Value>) -> bool {
    match m.get("changes") {
        Some(Value::Array(changes)) => {
            changes.iter().all(|c| c.get("changeType").is_some())
                && (!changes.is_empty() || m.contains_key("status"))
        }
        _ => false,
    }
}

/// Reads what-if output.
pub(crate) fn read(doc: &Value, symbols: &mut Symbols) -> Result<Bundle, InputError> {
    let Some(changes) = doc.get("changes").and_then(Value::as_array) else {
        return Err(InputError::UnrecognizedFormat {
            expected: "what-if output: an object with \"changes\"".into(),
        });
    };
    if changes.len() > MAX_ITEMS {
        return Err(InputError::TooManyItems {
            path: "/changes".into(),
            len: changes.len(),
            max: MAX_ITEMS,
        });
    }
    let mut bundle = Bundle {
        container: "/changes".into(),
        ..Bundle::default()
    };
    for (i, change) in changes.iter().enumerate() {
        let at = format!("/changes/{i}");
        let kind = change
            .get("changeType")
            .and_then(Value::as_str)
            .unwrap_or("");
        if kind.eq_ignore_ascii_case("Delete") {
            continue;
        }
        let side = |name: &str| change.get(name).and_then(Value::as_object);
        let Some((name, state)) = side("after")
            .map(|m| ("after", m))
            .or_else(|| side("before").map(|m| ("before", m)))
        else {
            continue;
        };
        let ptr = child(&at, name);
        let resource_id = change.get("resourceId").and_then(Value::as_str);
        let (state, unknown) = settle(state, resource_id, &ptr, symbols);
        let Some(mut c) = az::resource(&state, &ptr, false, false, &mut bundle.other_types) else {
            continue;
        };
        for (p, text, reason) in unknown {
            unresolve(&mut c, &p, &text, &reason);
        }
        match c.kind {
            Kind::Cache => existing_cache(&mut c, change, &at, kind, name),
            Kind::Identity if c.principal.is_none() => {
                // A new identity's principal exists once it is created: the stand-in `reference()` gives.
                if let Some(id) = c.id.clone() {
                    let principal = principal_stand_in(&id, symbols);
                    c.set("/principalId", &ptr, Value::String(principal.clone()));
                    c.principal = Some(principal);
                }
            }
            _ => {}
        }
        bundle.components.push(c);
    }
    Ok(bundle)
}

/// A change's resource with the expressions ARM left in it evaluated (stand-ins), its `type`, `id` and `name`
/// from `resourceId` when it leaves them out, and the expressions that stay unknown: pointer, text, reason.
fn settle(
    state: &Map<String, Value>,
    resource_id: Option<&str>,
    ptr: &str,
    symbols: &mut Symbols,
) -> (Map<String, Value>, Vec<Unknown>) {
    let mut unknown = Vec::new();
    let mut out = Map::new();
    for (k, v) in state {
        out.insert(
            k.clone(),
            evaluate(v, &child(ptr, k), symbols, &mut unknown, 0),
        );
    }
    if let Some(id) = resource_id {
        if let Some((rtype, names)) = parse_id(id) {
            out.entry("type").or_insert_with(|| Value::from(rtype));
            out.entry("name")
                .or_insert_with(|| Value::from(names.join("/")));
        }
        out.entry("id").or_insert_with(|| Value::from(id));
    }
    (out, unknown)
}

fn evaluate(
    v: &Value,
    ptr: &str,
    symbols: &mut Symbols,
    unknown: &mut Vec<Unknown>,
    depth: usize,
) -> Value {
    if depth > crate::input::MAX_DEPTH {
        return v.clone();
    }
    match v {
        Value::String(s) if is_expression(s) => match runtime_value(s, symbols) {
            Ok(x) => x,
            Err(reason) => {
                unknown.push((ptr.to_owned(), s.clone(), reason));
                v.clone()
            }
        },
        Value::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| evaluate(x, &format!("{ptr}/{i}"), symbols, unknown, depth + 1))
                .collect(),
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    (
                        k.clone(),
                        evaluate(x, &child(ptr, k), symbols, unknown, depth + 1),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The model values read from the unknown expression at `doc` leave the model and are reported instead.
fn unresolve(c: &mut Component, doc: &str, text: &str, reason: &str) {
    let models: Vec<String> = c
        .map
        .iter()
        .filter(|(m, d)| d == doc && !m.is_empty())
        .map(|(m, _)| m.clone())
        .collect();
    for m in models {
        remove(&mut c.model, &m);
        c.unresolved(&m, doc, text, reason);
    }
}

fn remove(model: &mut Map<String, Value>, path: &str) {
    let toks = tokens(path);
    let Some((last, parents)) = toks.split_last() else {
        return;
    };
    let mut cur = model;
    for t in parents {
        match cur.get_mut(t.as_str()) {
            Some(Value::Object(m)) => cur = m,
            _ => return,
        }
    }
    cur.remove(last.as_str());
}

/// Whether the cache exists (every change but `Create`) and, when it does, the key source it uses today: from
/// its `before`.
fn existing_cache(c: &mut Component, change: &Value, at: &str, kind: &str, read_from: &str) {
    let kind_ptr = child(at, "changeType");
    if kind.eq_ignore_ascii_case("Create") {
        reset(c, "/cache/existing", &kind_ptr, Value::Bool(false));
        remove(&mut c.model, "/cache/currentKeySource");
        return;
    }
    reset(c, "/cache/existing", &kind_ptr, Value::Bool(true));
    if read_from == "before" {
        // Read from `before`: the az reader took the key source it uses today.
        return;
    }
    let before = change.get("before").and_then(Value::as_object);
    let current = before.and_then(|b| {
        let ptr = child(at, "before");
        az::resource(b, &ptr, false, false, &mut Vec::new()).map(|bc| (bc, ptr))
    });
    match current {
        Some((bc, ptr)) => match bc.get("/cache/currentKeySource").cloned() {
            Some(v) => reset(c, "/cache/currentKeySource", &ptr, v),
            None => remove(&mut c.model, "/cache/currentKeySource"),
        },
        None => remove(&mut c.model, "/cache/currentKeySource"),
    }
}

/// Sets `path` to `value` at `doc`, replacing what the `az` reader mapped it to.
fn reset(c: &mut Component, path: &str, doc: &str, value: Value) {
    c.map.retain(|(m, _)| m != path);
    c.set(path, doc, value);
}
