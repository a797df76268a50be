//! Evaluates module instances: variables, locals, resources with `count` / `for_each` (and `dynamic` blocks),
//! local module calls with their inputs and outputs, to a fixed point (references between resources make
//! attributes known in a later pass).

use std::collections::BTreeMap;

use hcl_edit::structure::Body;
use serde_json::{Map, Value};

use super::defaults;
use super::eval::{pairs_of, Ev, Names};
use super::parse::ModuleDef;
use super::value::V;

/// Passes over a module before its values are taken as final.
const MAX_PASSES: usize = 8;
/// Deepest module nesting followed.
const MAX_MODULE_DEPTH: usize = 8;
/// Instances of one resource or module (`count`, `for_each`).
const MAX_INSTANCES: usize = 256;
/// Evaluation steps a module instance costs before its expressions.
const MODULE_COST: usize = 1000;
/// Resource instances in the whole configuration.
pub(crate) const MAX_RESOURCES: usize = 4096;

/// One resource instance evaluated: what a plan's `resource_changes` entry holds.
pub(crate) struct ResInst {
    pub address: String,
    pub config_address: String,
    pub module: String,
    pub rtype: String,
    pub mode: String,
    pub after: Map<String, Value>,
    pub unknown: Value,
    /// The plan's `expressions` of the resource (`{"attr": {"references": [...]}}`, blocks as lists).
    pub expressions: Map<String, Value>,
    pub ptr: String,
}

/// What the configuration could not be read for (a remote module, a module directory not given).
pub(crate) struct Note {
    pub ptr: String,
    pub expression: String,
    pub reason: String,
}

/// The evaluation of a whole configuration.
#[derive(Default)]
pub(crate) struct Out {
    pub resources: Vec<ResInst>,
    pub notes: Vec<Note>,
    pub steps: usize,
}

/// Evaluates module `defs[index]` as the instance `address` with `inputs` for its variables; appends its
/// resources (and its children's) when `collect`.
pub(crate) fn eval_module(
    defs: &[ModuleDef],
    index: usize,
    inputs: &BTreeMap<String, V>,
    address: &str,
    depth: usize,
    out: &mut Out,
) -> V {
    let Some(def) = defs.get(index) else {
        return V::Obj(BTreeMap::new());
    };
    // Every module instance costs from the one budget (a module calling itself, many instances).
    out.steps += MODULE_COST;
    if out.steps > super::eval::MAX_STEPS {
        return V::derived();
    }
    let mut vars = BTreeMap::new();
    for (name, default) in &def.variables {
        let v = match inputs.get(name) {
            Some(v) => v.clone(),
            None => match default {
                Some(e) => simple(e, &mut out.steps),
                // No value given: Terraform would ask for one.
                None => V::derived(),
            },
        };
        vars.insert(name.clone(), v);
    }
    let mut locals: BTreeMap<String, V> = BTreeMap::new();
    let mut resources: BTreeMap<String, V> = BTreeMap::new();
    let mut modules: BTreeMap<String, V> = BTreeMap::new();
    // Module calls: (inputs, outputs) from the last pass, so a child is evaluated again only when its inputs
    // changed.
    let mut calls: BTreeMap<String, (BTreeMap<String, V>, Keys, V)> = BTreeMap::new();
    for _pass in 0..MAX_PASSES {
        let mut changed_any = false;
        let path = def.dir.clone();
        // Locals refer to each other in any order: a few rounds.
        for _ in 0..4 {
            let mut changed = false;
            for (name, e) in &def.locals {
                let mut ev = ev(&vars, &locals, &resources, &modules, &path, &mut out.steps);
                let v = ev.expr(e, 0).unwrap_or_else(|_| V::derived());
                if locals.get(name) != Some(&v) {
                    locals.insert(name.clone(), v);
                    changed = true;
                }
            }
            changed_any |= changed;
            if !changed {
                break;
            }
        }
        let mut new_resources: BTreeMap<String, V> = BTreeMap::new();
        for r in &def.resources {
            let keys = {
                let mut e = ev(&vars, &locals, &resources, &modules, &path, &mut out.steps);
                expansion(&r.block.body, &mut e)
            };
            let rel = if r.mode == "data" {
                format!("data.{}.{}", r.rtype, r.name)
            } else {
                format!("{}.{}", r.rtype, r.name)
            };
            let mut list = Vec::new();
            let mut obj = BTreeMap::new();
            for key in keys.items() {
                let addr = format!("{rel}{}", key.suffix());
                let mut e = ev(&vars, &locals, &resources, &modules, &path, &mut out.steps);
                key.bind(&mut e.bind);
                let mut attrs = body(&r.block.body, &mut e, 0);
                if r.mode == "managed" {
                    defaults::apply(&r.rtype, &mut attrs);
                }
                let inst = V::Res(Box::new((addr, attrs)));
                match &key {
                    Key::Index(_) => list.push(inst),
                    Key::Each(k, _) => {
                        obj.insert(k.clone(), inst);
                    }
                    Key::One => {
                        obj.insert(String::new(), inst);
                    }
                }
            }
            let value = match keys {
                Keys::One => obj.remove("").unwrap_or(V::Null),
                Keys::Count(_) => V::List(list),
                Keys::Each(_) => V::Obj(obj),
            };
            let (group, rest) = if r.mode == "data" {
                ("data".to_owned(), Some(r.rtype.clone()))
            } else {
                (r.rtype.clone(), None)
            };
            let entry = new_resources
                .entry(group)
                .or_insert_with(|| V::Obj(BTreeMap::new()));
            if let V::Obj(m) = entry {
                match rest {
                    Some(t) => {
                        if let V::Obj(inner) = m.entry(t).or_insert_with(|| V::Obj(BTreeMap::new()))
                        {
                            inner.insert(r.name.clone(), value);
                        }
                    }
                    None => {
                        m.insert(r.name.clone(), value);
                    }
                }
            }
        }
        changed_any |= new_resources != resources;
        resources = new_resources;
        for c in &def.calls {
            let mut e = ev(&vars, &locals, &resources, &modules, &path, &mut out.steps);
            let mut args = BTreeMap::new();
            for a in c.block.body.attributes() {
                let k = a.key.as_str();
                if matches!(
                    k,
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                ) {
                    continue;
                }
                args.insert(
                    k.to_owned(),
                    e.expr(&a.value, 0).unwrap_or_else(|_| V::derived()),
                );
            }
            let keys = expansion(&c.block.body, &mut e);
            let value = match calls.get(&c.name) {
                Some((old, k, v)) if *old == args && *k == keys => v.clone(),
                _ => {
                    let mut scratch = Out {
                        steps: out.steps,
                        ..Out::default()
                    };
                    let v = call_outputs(defs, def, c, &args, &keys, address, depth, &mut scratch);
                    out.steps = scratch.steps;
                    calls.insert(c.name.clone(), (args, keys, v.clone()));
                    v
                }
            };
            if modules.get(&c.name) != Some(&value) {
                modules.insert(c.name.clone(), value);
                changed_any = true;
            }
        }
        if !changed_any {
            break;
        }
    }
    // The final values: the instances, the children's resources, the outputs.
    let module_addr = address.to_owned();
    let mut instances: Vec<(usize, String, V)> = Vec::new();
    for (ri, r) in def.resources.iter().enumerate() {
        let value = if r.mode == "data" {
            resources
                .get("data")
                .and_then(|d| lookup_attr(d, &r.rtype))
                .and_then(|t| lookup_attr(t, &r.name))
        } else {
            resources
                .get(&r.rtype)
                .and_then(|t| lookup_attr(t, &r.name))
        };
        let list = match value {
            Some(V::List(l)) => l.iter().collect(),
            Some(V::Obj(m)) => m.values().collect(),
            Some(one @ V::Res(_)) => vec![one],
            _ => Vec::new(),
        };
        for v in list {
            if let V::Res(b) = v {
                instances.push((ri, b.0.clone(), V::Obj(b.1.clone())));
            }
        }
    }
    for (ri, addr, v) in instances {
        let Some(r) = def.resources.get(ri) else {
            continue;
        };
        if out.resources.len() >= MAX_RESOURCES {
            break;
        }
        let (after, unknown) = v.split();
        let expressions = expressions_of(&v);
        out.resources.push(ResInst {
            address: if module_addr.is_empty() {
                addr
            } else {
                format!("{module_addr}.{addr}")
            },
            config_address: if r.mode == "data" {
                format!("data.{}.{}", r.rtype, r.name)
            } else {
                format!("{}.{}", r.rtype, r.name)
            },
            module: module_addr.clone(),
            rtype: r.rtype.clone(),
            mode: r.mode.to_owned(),
            after: match after {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            unknown: unknown.unwrap_or(Value::Object(Map::new())),
            expressions: match expressions {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            ptr: r.ptr.clone(),
        });
    }
    for c in &def.calls {
        if let Some((args, keys, _)) = calls.get(&c.name) {
            call_outputs(defs, def, c, args, keys, address, depth, out);
        }
    }
    let mut outputs = BTreeMap::new();
    for (name, e) in &def.outputs {
        let mut e2 = ev(
            &vars,
            &locals,
            &resources,
            &modules,
            &def.dir,
            &mut out.steps,
        );
        outputs.insert(name.clone(), e2.expr(e, 0).unwrap_or_else(|_| V::derived()));
    }
    V::Obj(outputs)
}

/// Evaluates a module call (each of its instances); its resources go to `out`.
#[allow(clippy::too_many_arguments)]
fn call_outputs(
    defs: &[ModuleDef],
    def: &ModuleDef,
    c: &super::parse::CallDef,
    args: &BTreeMap<String, V>,
    keys: &Keys,
    address: &str,
    depth: usize,
    out: &mut Out,
) -> V {
    let source = c
        .block
        .body
        .get_attribute("source")
        .and_then(|a| a.value.as_str())
        .unwrap_or("")
        .to_owned();
    let here = if address.is_empty() {
        format!("module.{}", c.name)
    } else {
        format!("{address}.module.{}", c.name)
    };
    let local = source.starts_with("./") || source.starts_with("../");
    let dir = local.then(|| join_dir(&def.dir, &source)).flatten();
    let index = dir
        .as_ref()
        .and_then(|d| defs.iter().position(|m| &m.dir == d));
    let Some(index) = index.filter(|_| depth < MAX_MODULE_DEPTH) else {
        let reason = if !local {
            "it comes from a registry or repository, and its resources are not checked".to_owned()
        } else if depth >= MAX_MODULE_DEPTH {
            format!("it is nested deeper than {MAX_MODULE_DEPTH} modules")
        } else {
            "its directory is not among the files given, and its resources are not checked"
                .to_owned()
        };
        out.notes.push(Note {
            ptr: c.ptr.clone(),
            expression: format!("{here} (source = \"{}\")", crate::input::truncate(&source)),
            reason,
        });
        return V::derived();
    };
    let mut list = Vec::new();
    let mut obj = BTreeMap::new();
    for key in keys.items() {
        let inst = format!("{here}{}", key.suffix());
        let v = eval_module(defs, index, args, &inst, depth + 1, out);
        match key {
            Key::Index(_) => list.push(v),
            Key::Each(k, _) => {
                obj.insert(k, v);
            }
            Key::One => return v,
        }
    }
    match keys {
        Keys::Count(_) => V::List(list),
        _ => V::Obj(obj),
    }
}

fn lookup_attr<'v>(v: &'v V, name: &str) -> Option<&'v V> {
    match v {
        V::Obj(m) => m.get(name),
        _ => None,
    }
}

/// `dir` joined with a relative `source` (`./modules/net` from `envs/prod` is `envs/prod/modules/net`).
pub(crate) fn join_dir(dir: &str, source: &str) -> Option<String> {
    let absolute = dir.starts_with('/');
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in source.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    Some(if absolute {
        format!("/{joined}")
    } else {
        joined
    })
}

fn ev<'s>(
    vars: &'s BTreeMap<String, V>,
    locals: &'s BTreeMap<String, V>,
    resources: &'s BTreeMap<String, V>,
    modules: &'s BTreeMap<String, V>,
    path: &'s str,
    steps: &'s mut usize,
) -> Ev<'s> {
    Ev {
        names: Names {
            vars,
            locals,
            resources,
            modules,
            path_module: path,
        },
        bind: Vec::new(),
        steps,
    }
}

/// A value evaluated without names (a variable's default, a tfvars value).
pub(crate) fn simple(e: &hcl_edit::expr::Expression, steps: &mut usize) -> V {
    let empty = BTreeMap::new();
    let mut ev = ev(&empty, &empty, &empty, &empty, "", steps);
    ev.expr(e, 0).unwrap_or_else(|_| V::derived())
}

#[derive(Clone, PartialEq)]
enum Keys {
    One,
    Count(usize),
    Each(Vec<(String, V)>),
}

enum Key {
    One,
    Index(usize),
    Each(String, V),
}

impl Keys {
    fn items(&self) -> Vec<Key> {
        match self {
            Keys::One => vec![Key::One],
            Keys::Count(n) => (0..*n).map(Key::Index).collect(),
            Keys::Each(l) => l
                .iter()
                .map(|(k, v)| Key::Each(k.clone(), v.clone()))
                .collect(),
        }
    }
}

impl Key {
    fn suffix(&self) -> String {
        match self {
            Key::One => String::new(),
            Key::Index(i) => format!("[{i}]"),
            Key::Each(k, _) => format!("[{}]", Value::String(k.clone())),
        }
    }

    fn bind(&self, bind: &mut Vec<(String, V)>) {
        match self {
            Key::One => {}
            Key::Index(i) => bind.push((
                "count".into(),
                V::Obj(
                    [("index".to_owned(), V::Num(*i as f64))]
                        .into_iter()
                        .collect(),
                ),
            )),
            Key::Each(k, v) => bind.push((
                "each".into(),
                V::Obj(
                    [
                        ("key".to_owned(), V::Str(k.clone())),
                        ("value".to_owned(), v.clone()),
                    ]
                    .into_iter()
                    .collect(),
                ),
            )),
        }
    }
}

/// The instances `count` or `for_each` make. An unknown count or collection is read as one instance (Terraform
/// could not plan it).
fn expansion(body: &Body, e: &mut Ev) -> Keys {
    if let Some(c) = body.get_attribute("count") {
        return match e.expr(&c.value, 0).ok().and_then(|v| v.as_num()) {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(n) if n >= 0.0 => Keys::Count((n as usize).min(MAX_INSTANCES)),
            _ => Keys::One,
        };
    }
    if let Some(f) = body.get_attribute("for_each") {
        return match e.expr(&f.value, 0) {
            Ok(V::Obj(m)) => Keys::Each(m.into_iter().take(MAX_INSTANCES).collect()),
            Ok(V::List(l)) => Keys::Each(
                l.into_iter()
                    .filter_map(|x| x.as_string().map(|s| (s, x)))
                    .take(MAX_INSTANCES)
                    .collect(),
            ),
            _ => Keys::One,
        };
    }
    Keys::One
}

const META: &[&str] = &["count", "for_each", "depends_on", "provider", "lifecycle"];

/// The attributes of a block body, nested blocks as lists of objects (`dynamic` blocks expanded).
fn body(b: &Body, e: &mut Ev, depth: usize) -> BTreeMap<String, V> {
    let mut out = BTreeMap::new();
    if depth > 16 {
        return out;
    }
    for a in b.attributes() {
        let k = a.key.as_str();
        if depth == 0 && META.contains(&k) {
            continue;
        }
        out.insert(
            k.to_owned(),
            e.expr(&a.value, 0).unwrap_or_else(|_| V::derived()),
        );
    }
    for blk in b.blocks() {
        let ident = blk.ident.as_str();
        if depth == 0 && matches!(ident, "lifecycle" | "provisioner" | "connection") {
            continue;
        }
        if ident == "dynamic" {
            let Some(label) = blk.labels.first().map(|l| l.as_str().to_owned()) else {
                continue;
            };
            let iterator = blk
                .body
                .get_attribute("iterator")
                .and_then(|a| a.value.as_variable().map(|v| v.as_str().to_owned()))
                .unwrap_or_else(|| label.clone());
            let coll = blk
                .body
                .get_attribute("for_each")
                .map_or(Ok(V::Null), |a| e.expr(&a.value, 0));
            let content = blk.body.get_blocks("content").next();
            let entry = out.entry(label).or_insert_with(|| V::List(Vec::new()));
            match (coll.ok().as_ref().and_then(pairs_of), content) {
                (Some(pairs), Some(content)) => {
                    for (k, v) in pairs.into_iter().take(MAX_INSTANCES) {
                        let it = V::Obj(
                            [("key".to_owned(), k), ("value".to_owned(), v)]
                                .into_iter()
                                .collect(),
                        );
                        e.bind.push((iterator.clone(), it));
                        let inner = body(&content.body, e, depth + 1);
                        e.bind.pop();
                        if let V::List(l) = entry {
                            l.push(V::Obj(inner));
                        }
                    }
                }
                _ => *entry = V::derived(),
            }
            continue;
        }
        let inner = body(&blk.body, e, depth + 1);
        let entry = out
            .entry(ident.to_owned())
            .or_insert_with(|| V::List(Vec::new()));
        if let V::List(l) = entry {
            l.push(V::Obj(inner));
        }
    }
    out
}

/// The plan's `expressions` shape of evaluated attributes: the references of each unknown value.
fn expressions_of(v: &V) -> Value {
    match v {
        V::Obj(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                match x {
                    V::List(l) if l.iter().all(|i| matches!(i, V::Obj(_))) && !l.is_empty() => {
                        out.insert(
                            k.clone(),
                            Value::Array(l.iter().map(expressions_of).collect()),
                        );
                    }
                    _ => {
                        let mut refs = Vec::new();
                        x.refs(&mut refs);
                        if !refs.is_empty() {
                            out.insert(k.clone(), serde_json::json!({ "references": refs }));
                        }
                    }
                }
            }
            Value::Object(out)
        }
        _ => Value::Object(Map::new()),
    }
}
