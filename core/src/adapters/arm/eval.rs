//! The ARM expression evaluator: the `Arm` context (the templates, their resources, the stand-ins), the values
//! expressions evaluate to, and evaluation itself: template values and expressions, parameters and variables,
//! properties and indexes, and what `reference(...)` of a resource gives before deployment. Evaluation stops at
//! a nesting depth, a step budget and a size cap, so a hostile template cannot run for ever or fill the memory.

use serde_json::Value;

use super::{member, parse_id, Param, TRes, Template};
use crate::adapters::expr::{self, Expr};
use crate::adapters::symbols::{Kind as Sym, Symbols};
use crate::identity::same_resource_id as same_id;
use crate::key_uri::{Cloud, VaultKind};

const MAX_DEPTH: usize = 32;
/// Longest string an expression may build.
pub(super) const MAX_VALUE_LEN: usize = 64 * 1024;

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Arr(Vec<V>),
    /// Object members in order; names compare case-insensitively (as in ARM).
    Obj(Vec<(String, V)>),
    /// The result of `reference(...)` (properties looked up lazily).
    Res {
        id: String,
        full: bool,
    },
    /// Not known before deployment, with the reason.
    Unres(String),
}

impl V {
    pub fn member(&self, name: &str) -> Option<&V> {
        match self {
            V::Obj(m) => m
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            V::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Converts to JSON; `Err(reason)` when anything inside is not known.
    pub fn to_json(&self) -> Result<Value, String> {
        Ok(match self {
            V::Null => Value::Null,
            V::Bool(b) => Value::Bool(*b),
            V::Int(i) => Value::from(*i),
            V::Str(s) => Value::String(s.clone()),
            V::Arr(a) => Value::Array(a.iter().map(V::to_json).collect::<Result<_, _>>()?),
            V::Obj(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| v.to_json().map(|v| (k.clone(), v)))
                    .collect::<Result<_, _>>()?,
            ),
            V::Res { .. } => {
                return Err("a whole reference() result is not known before deployment".into())
            }
            V::Unres(r) => return Err(r.clone()),
        })
    }

    /// A plain JSON value as a literal (strings are not evaluated).
    pub fn literal(v: &Value) -> V {
        match v {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => n.as_i64().map_or_else(|| V::Str(n.to_string()), V::Int),
            Value::String(s) => V::Str(s.clone()),
            Value::Array(a) => V::Arr(a.iter().map(V::literal).collect()),
            Value::Object(m) => V::Obj(m.iter().map(|(k, v)| (k.clone(), V::literal(v))).collect()),
        }
    }
}

/// The evaluation context: every template of the document (the root, then each nested deployment), their
/// resources, and the stand-ins for what only the deployment knows.
pub(super) struct Arm<'a, 's> {
    pub(super) templates: Vec<Template<'a>>,
    pub(super) resources: Vec<TRes<'a>>,
    pub(super) symbols: &'s mut Symbols,
    pub(super) cloud: Option<Cloud>,
    depth: usize,
    /// Evaluation steps left: a template whose expressions multiply (`a = concat(b, b)`, `b = concat(c, c)`...)
    /// stops here instead of running for ever.
    budget: usize,
    /// Values of variables and parameters already evaluated, by template and lower-case name.
    pub(super) memo: std::collections::BTreeMap<(usize, bool, String), V>,
    /// What the expression being evaluated has in scope besides the template: lambda variables, the index of a
    /// property or variable copy loop, a user-defined function's parameters (innermost last).
    pub(super) bound: Vec<Bound>,
}

/// A name bound while an expression is evaluated.
#[derive(Debug, Clone)]
pub(super) enum Bound {
    /// `lambdaVariables('name')`.
    Lambda(String, V),
    /// `copyIndex('name')` of a property or variable copy loop.
    Loop(String, Result<i64, String>),
    /// The parameters of the user-defined function being evaluated (`parameters('name')` reads these).
    Params(Vec<(String, V)>),
}

/// Evaluation steps allowed for one template (a large real template needs a few thousand).
pub(super) const BUDGET: usize = 2_000_000;

pub(super) fn unres(reason: impl Into<String>) -> V {
    V::Unres(reason.into())
}

impl<'a, 's> Arm<'a, 's> {
    /// A context with no template yet.
    pub(super) fn new(symbols: &'s mut Symbols) -> Self {
        Self {
            templates: Vec::new(),
            resources: Vec::new(),
            symbols,
            cloud: None,
            depth: 0,
            budget: BUDGET,
            memo: std::collections::BTreeMap::new(),
            bound: Vec::new(),
        }
    }

    pub(super) fn template(&self, t: usize) -> Option<&Template<'a>> {
        self.templates.get(t)
    }

    /// The subscription and resource group template `t` deploys to (stand-ins unless a nested deployment
    /// names them).
    pub(super) fn sub_and_rg(&self, t: usize) -> (String, String) {
        self.template(t)
            .map(|tp| (tp.sub.clone(), tp.rg.clone()))
            .unwrap_or_default()
    }

    /// The stand-in for the tenant ID.
    pub(super) fn tenant_id(&mut self) -> String {
        self.symbols
            .get(Sym::Guid, "tenant", "{tenant().tenantId}", "<tenant-id>")
    }

    /// The stand-in for a user-assigned identity's `principalId`, `clientId` or `tenantId` (`property` in lower
    /// case).
    pub(super) fn identity_guid(&mut self, id: &str, property: &str) -> String {
        let (key, shown_as, placeholder) = match property {
            "principalid" => ("principal", "principalId", "<identity-principal-id>"),
            "clientid" => ("client", "clientId", "<identity-client-id>"),
            _ => ("tenant", "tenantId", "<tenant-id>"),
        };
        let shown = self.display_ref(id);
        self.symbols.get(
            Sym::Guid,
            &format!("{key}:{id}"),
            &format!("{{reference('{shown}').{shown_as}}}"),
            placeholder,
        )
    }

    /// One step deeper into the evaluation, or (`Err`) what to give instead when the nesting depth or the
    /// budget is used up. The caller steps back out (`self.depth -= 1`) when it is done.
    fn enter(&mut self) -> Result<(), V> {
        if self.depth > MAX_DEPTH {
            return Err(unres("the expressions are nested too deeply"));
        }
        if self.budget == 0 {
            return Err(unres(
                "the template's expressions take too long to evaluate",
            ));
        }
        self.budget -= 1;
        self.depth += 1;
        Ok(())
    }

    pub(super) fn param(&mut self, name: &str, t: usize) -> V {
        // Inside a user-defined function, `parameters()` are the function's.
        if let Some(Bound::Params(ps)) = self
            .bound
            .iter()
            .rev()
            .find(|b| matches!(b, Bound::Params(_)))
        {
            return ps
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map_or_else(
                    || unres(format!("the function has no parameter '{name}'")),
                    |(_, v)| v.clone(),
                );
        }
        let scope = self.template(t).map_or(t, |tp| tp.scope_of);
        let lower = name.to_ascii_lowercase();
        let found = self
            .template(scope)
            .and_then(|tp| tp.params.iter().find(|(n, _)| *n == lower))
            .map(|(_, p)| match p {
                Param::Given(v) => Ok(Ok(v.clone())),
                Param::Outer(v, outer) => Ok(Err((*v, *outer))),
                Param::Default(d) => Err(Some(*d)),
                Param::Missing => Err(None),
            });
        let saved = std::mem::take(&mut self.bound);
        let v = match found {
            Some(Ok(Ok(v))) => v,
            Some(Ok(Err((v, outer)))) => self.eval_value(v, outer),
            Some(Err(Some(d))) => self.eval_value(d, scope),
            Some(Err(None)) => unres(format!(
                "parameter '{name}' has no value: give it in a parameters file (--parameters) or as a default"
            )),
            None => unres(format!("parameter '{name}' is not declared")),
        };
        self.bound = saved;
        v
    }

    pub(super) fn variable(&mut self, name: &str, t: usize) -> V {
        let scope = self.template(t).map_or(t, |tp| tp.scope_of);
        let key = (scope, false, name.to_ascii_lowercase());
        if let Some(v) = self.memo.get(&key) {
            return v.clone();
        }
        // A variable sees no lambda variables or loop indexes of the expression that reads it.
        let saved = std::mem::take(&mut self.bound);
        let v = self.variable_uncached(name, scope);
        self.bound = saved;
        // Only settled values: a value cut short by the nesting limit may differ from another path.
        if !matches!(&v, V::Unres(r) if r.contains("nested too deeply")) {
            self.memo.insert(key, v.clone());
        }
        v
    }

    fn variable_uncached(&mut self, name: &str, scope: usize) -> V {
        let raw = self
            .template(scope)
            .and_then(|tp| tp.vars)
            .and_then(|m| member(m, name))
            .map(|(_, v)| v);
        match raw {
            Some(v) => self.eval_value(v, scope),
            None => {
                // A variable copy loop: `"copy": [{"name", "count", "input"}]`.
                let looped = self
                    .template(scope)
                    .and_then(|tp| tp.vars)
                    .and_then(|m| member(m, "copy"))
                    .and_then(|(_, c)| c.as_array())
                    .and_then(|loops| {
                        loops.iter().find(|l| {
                            l.get("name")
                                .and_then(Value::as_str)
                                .is_some_and(|n| n.eq_ignore_ascii_case(name))
                        })
                    });
                match looped {
                    Some(l) => self.copy_loop(l, scope),
                    None => unres(format!("variable '{name}' is not declared")),
                }
            }
        }
    }

    /// Evaluates a JSON value of the template: strings may be expressions; objects and arrays deeply.
    pub(super) fn eval_value(&mut self, v: &Value, t: usize) -> V {
        if let Err(stop) = self.enter() {
            return stop;
        }
        let out = match v {
            Value::String(s) => self.eval_str(s, t),
            Value::Array(a) => V::Arr(a.iter().map(|x| self.eval_value(x, t)).collect()),
            Value::Object(m) => {
                let mut out = Vec::new();
                for (k, x) in m {
                    // A property copy loop: each loop gives the property of its name.
                    if let (true, Some(loops)) = (k == "copy", x.as_array()) {
                        for l in loops {
                            let name = l.get("name").and_then(Value::as_str).unwrap_or("");
                            let v = self.copy_loop(l, t);
                            out.push((name.to_owned(), v));
                        }
                        continue;
                    }
                    let key = match self.eval_str(k, t) {
                        V::Str(s) => s,
                        _ => k.clone(),
                    };
                    out.push((key, self.eval_value(x, t)));
                }
                V::Obj(out)
            }
            other => V::literal(other),
        };
        self.depth -= 1;
        out
    }

    pub(super) fn eval_str(&mut self, s: &str, t: usize) -> V {
        if !expr::is_expression(s) {
            return V::Str(expr::unescape_literal(s));
        }
        let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
        match expr::parse(inner) {
            Ok(e) => self.eval(&e, t),
            Err(why) => unres(format!("the expression does not parse: {why}")),
        }
    }

    pub(super) fn eval(&mut self, e: &Expr, t: usize) -> V {
        if let Err(stop) = self.enter() {
            return stop;
        }
        let out = match e {
            Expr::Str(s) => V::Str(s.clone()),
            Expr::Int(i) => V::Int(*i),
            Expr::Prop(base, name) => {
                let b = self.eval(base, t);
                self.property(b, name, base)
            }
            Expr::Index(base, index) => {
                let b = self.eval(base, t);
                let i = self.eval(index, t);
                match (b, i) {
                    (V::Unres(r), _) | (_, V::Unres(r)) => V::Unres(r),
                    (V::Arr(a), V::Int(n)) => usize::try_from(n)
                        .ok()
                        .and_then(|n| a.get(n).cloned())
                        .unwrap_or_else(|| unres("array index out of range")),
                    (b @ V::Obj(_), V::Str(k)) => b
                        .member(&k)
                        .cloned()
                        .unwrap_or_else(|| unres(format!("no property '{k}'"))),
                    (b @ V::Res { .. }, V::Str(k)) => self.property(b, &k, base),
                    _ => unres("cannot index this value"),
                }
            }
            Expr::Call(name, args) => self.call(name, args, t),
        };
        self.depth -= 1;
        // Values that double at every step must not eat the memory: big values use up the budget.
        match &out {
            V::Str(s) if s.len() > MAX_VALUE_LEN => unres("a value grows beyond 64 KiB"),
            V::Arr(a) if a.len() > crate::input::MAX_ITEMS => {
                unres("an array grows beyond 1024 items")
            }
            V::Str(s) => {
                self.budget = self.budget.saturating_sub(s.len() / 16);
                out
            }
            V::Arr(a) => {
                self.budget = self.budget.saturating_sub(a.len());
                out
            }
            _ => out,
        }
    }

    /// A property or variable copy loop `{"name", "count", "input"}`: the array of its inputs, each evaluated
    /// with its `copyIndex('name')`.
    pub(super) fn copy_loop(&mut self, l: &Value, t: usize) -> V {
        let name = l
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let n = match super::walk::copy_count(self, l, t) {
            Ok(n) => n,
            Err(r) => return V::Unres(r),
        };
        let Some(input) = l.get("input") else {
            return unres(format!("the copy loop '{name}' has no input"));
        };
        let mut out = Vec::new();
        for i in 0..n {
            self.bound.push(Bound::Loop(name.clone(), Ok(i)));
            let v = self.eval_value(input, t);
            self.bound.pop();
            if let V::Unres(r) = v {
                return V::Unres(r);
            }
            out.push(v);
        }
        V::Arr(out)
    }

    /// `copyIndex([loop name], [offset])`: the innermost loop's index, or the named loop's.
    pub(super) fn copy_index(&self, vals: &[V], t: usize) -> Result<V, String> {
        let (name, offset) = match vals {
            [] => (None, 0),
            [V::Int(o)] => (None, *o),
            [V::Str(n)] => (Some(n.as_str()), 0),
            [V::Str(n), V::Int(o)] => (Some(n.as_str()), *o),
            _ => return Err("copyIndex() takes a loop name and an offset".into()),
        };
        let named = |n: &str| name.is_none_or(|w| w.eq_ignore_ascii_case(n));
        let from_template = self
            .template(t)
            .and_then(|tp| tp.copy.as_ref())
            .filter(|(n, _)| named(n))
            .map(|(_, i)| i.clone());
        let dynamic = self.bound.iter().rev().find_map(|b| match b {
            Bound::Loop(n, i) if named(n) => Some(i.clone()),
            _ => None,
        });
        // Without a name: the resource's loop first (a property loop names its index).
        let index = if name.is_none() {
            from_template.or(dynamic)
        } else {
            dynamic.or(from_template)
        };
        match index {
            Some(Ok(i)) => Ok(V::Int(i.saturating_add(offset))),
            Some(Err(r)) => Err(r),
            None => Err(match name {
                Some(n) => format!("copyIndex('{n}') is outside the copy loop '{n}'"),
                None => "copyIndex() is outside a copy loop".into(),
            }),
        }
    }

    pub(super) fn display_ref(&self, id: &str) -> String {
        let name = parse_id(id)
            .and_then(|(_, n)| n.last().cloned())
            .unwrap_or_else(|| id.to_owned());
        self.symbols.display(&name)
    }

    /// The resource of a `languageVersion` 2.0 template with symbolic name `name`.
    pub(super) fn by_symbol(&self, name: &str) -> Option<&TRes<'a>> {
        self.resources
            .iter()
            .find(|r| r.symbolic.as_deref() == Some(name))
    }

    fn resource_by_id(&self, id: &str) -> Option<&TRes<'a>> {
        self.resources
            .iter()
            .find(|r| r.id.as_deref().is_some_and(|rid| same_id(rid, id)))
    }

    fn suffix(&self) -> &'static str {
        self.cloud.unwrap_or(Cloud::Public).suffix(VaultKind::Vault)
    }

    fn property(&mut self, base: V, name: &str, base_expr: &Expr) -> V {
        match base {
            V::Unres(r) => V::Unres(r),
            V::Obj(_) => base.member(name).cloned().unwrap_or_else(|| {
                unres(format!("no property '{name}' in {}", expr::show(base_expr)))
            }),
            V::Res { id, full } => self.runtime_property(&id, full, name),
            _ => unres(format!("'{name}' of a value that is not an object")),
        }
    }

    /// `reference(id).name`: known properties of a resource at deployment, given symbolically.
    fn runtime_property(&mut self, id: &str, full: bool, name: &str) -> V {
        let (rtype, names) = parse_id(id).unwrap_or_default();
        let lt = rtype.to_ascii_lowercase();
        let lname = name.to_ascii_lowercase();
        let shown = self.display_ref(id);
        if full {
            return match lname.as_str() {
                "properties" => V::Res {
                    id: id.to_owned(),
                    full: false,
                },
                "id" | "resourceid" => V::Str(id.to_owned()),
                "identity" if lt == "microsoft.managedidentity/userassignedidentities" => unres(format!(
                    "a user-assigned identity has no 'identity' property (its principal is reference('{shown}').principalId)"
                )),
                "identity" => V::Obj(vec![
                    (
                        "principalId".into(),
                        V::Str(self.symbols.get(
                            Sym::Guid,
                            &format!("system:{id}"),
                            &format!("{{reference('{shown}', ..., 'Full').identity.principalId}}"),
                            "<principal-id>",
                        )),
                    ),
                    ("tenantId".into(), V::Str(self.tenant_id())),
                ]),
                "location" => self
                    .resource_by_id(id)
                    .and_then(|r| member(r.raw, "location").map(|(_, v)| (v, r.template)))
                    .map_or_else(
                        || unres("the resource's location is not in the template"),
                        |(v, t)| self.eval_value(v, t),
                    ),
                _ => unres(format!(
                    "reference(..., 'Full').{name} is known only after deployment"
                )),
            };
        }
        let vault_name = names
            .first()
            .cloned()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match (lt.as_str(), lname.as_str()) {
            (
                "microsoft.managedidentity/userassignedidentities",
                "principalid" | "clientid" | "tenantid",
            ) => V::Str(self.identity_guid(id, &lname)),
            ("microsoft.keyvault/vaults", "vaulturi") => {
                V::Str(format!("https://{vault_name}.{}/", self.suffix()))
            }
            ("microsoft.keyvault/vaults/keys", "keyuri" | "keyuriwithversion") => {
                let key = names.get(1).cloned().unwrap_or_default();
                let uri = format!("https://{vault_name}.{}/keys/{key}", self.suffix());
                if lname == "keyuri" {
                    V::Str(uri)
                } else {
                    let version = self.symbols.get(
                        Sym::Version,
                        &format!("version:{id}"),
                        &format!("{{version of key '{}'}}", self.symbols.display(&key)),
                        "<key-version>",
                    );
                    V::Str(format!("{uri}/{version}"))
                }
            }
            ("microsoft.resources/deployments", "outputs") => self.outputs_of(id),
            _ => {
                // A property the template itself sets.
                let declared = self.resource_by_id(id).and_then(|r| {
                    let props = member(r.raw, "properties")?.1.as_object()?;
                    member(props, name).map(|(_, v)| (v, r.template))
                });
                match declared {
                    Some((v, rt)) => self.eval_value(v, rt),
                    None => unres(format!(
                        "reference('{shown}').{name} is known only after deployment"
                    )),
                }
            }
        }
    }

    fn outputs_of(&mut self, id: &str) -> V {
        let found = self
            .templates
            .iter()
            .enumerate()
            .find(|(_, tp)| tp.deployment_id.as_deref().is_some_and(|d| same_id(d, id)));
        let Some((index, tp)) = found else {
            return unres("the outputs of a deployment outside this template are not known");
        };
        let Some(outputs) = tp.outputs else {
            return V::Obj(Vec::new());
        };
        let mut out = Vec::new();
        for (k, o) in outputs {
            // An output copy loop (`"copy": {"count", "input"}`) gives the array of its inputs.
            let value = match (o.get("copy"), o.get("value")) {
                (Some(copy), _) => self.copy_loop(copy, index),
                (None, Some(v)) => self.eval_value(v, index),
                (None, None) => unres("the output has no value"),
            };
            out.push((k.clone(), V::Obj(vec![("value".into(), value)])));
        }
        V::Obj(out)
    }
}
