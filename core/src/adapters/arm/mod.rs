//! ARM templates and Bicep compiled to JSON: `resources` as an array (also nested child `resources`) or, in
//! `languageVersion` 2.0 templates, an object keyed by symbolic name; inline nested deployments
//! (`Microsoft.Resources/deployments`, what Bicep modules compile to) are read with their parameters.
//!
//! Template expressions are evaluated where the template decides them (`parameters`, `variables`, `concat`,
//! `format`, `resourceId`, ...) and given symbolically where only the deployment decides them (the
//! subscription, `uniqueString(...)`, a new identity's principal, a new key's version), so the cache still joins
//! its identity, key, vault and role assignments. Anything else stays unknown: the field is left out and
//! reported. A resource that is absent from the template gets ARM's defaults for the properties it omits.

use serde_json::{Map, Value};

use super::bundle::{ptr, Bundle, Component, Kind};
use super::expr::{self, text_of, Expr, V};
use super::symbols::{Kind as Sym, Symbols};
use crate::error::InputError;
use crate::input::MAX_ITEMS;
use crate::key_uri::{Cloud, VaultKind};

const MAX_DEPTH: usize = 32;
/// Longest string an expression may build.
const MAX_VALUE_LEN: usize = 64 * 1024;

enum Param<'a> {
    Given(V),
    /// A nested deployment's parameter: evaluated in the calling template when used.
    Outer(&'a Value, usize),
    Default(&'a Value),
    Missing,
}

struct TRes<'a> {
    raw: &'a Map<String, Value>,
    ptr: String,
    template: usize,
    symbolic: Option<String>,
    /// Full type, e.g. `Microsoft.KeyVault/vaults/keys`.
    rtype: String,
    /// Full name (`kv/cmk`), evaluated; `Err` with the reason when unknown.
    name: Result<String, String>,
    id: Option<String>,
    existing: bool,
}

struct Template<'a> {
    params: Vec<(String, Param<'a>)>,
    vars: Option<&'a Map<String, Value>>,
    sub: String,
    rg: String,
    /// The template whose parameters and variables the expressions use (`outer` scope of a nested deployment).
    scope_of: usize,
    outputs: Option<&'a Map<String, Value>>,
    deployment_id: Option<String>,
}

struct Arm<'a, 's> {
    templates: Vec<Template<'a>>,
    resources: Vec<TRes<'a>>,
    symbols: &'s mut Symbols,
    cloud: Option<Cloud>,
    depth: usize,
    /// Evaluation steps left: a template whose expressions multiply (`a = concat(b, b)`, `b = concat(c, c)`...)
    /// stops here instead of running for ever.
    budget: usize,
    /// Values of variables and parameters already evaluated, by template and lower-case name.
    memo: std::collections::BTreeMap<(usize, bool, String), V>,
}

/// Evaluation steps allowed for one template (a large real template needs a few thousand).
const BUDGET: usize = 2_000_000;

/// An object's member by case-insensitive name (ARM property names are case-insensitive), with its spelling.
pub(crate) fn member<'v>(m: &'v Map<String, Value>, name: &str) -> Option<(&'v String, &'v Value)> {
    m.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))
}

/// Sets `{prefix}/name` (mapped to the resource's `name` member) and `{prefix}/id` (mapped to the resource).
fn set_name_and_id(c: &mut Component, raw: &Map<String, Value>, base: &str, prefix: &str) {
    if !c.name.is_empty() {
        let p = member(raw, "name").map_or_else(|| ptr(base, "name"), |(k, _)| ptr(base, k));
        c.set(&format!("{prefix}/name"), &p, Value::String(c.name.clone()));
    }
    if let Some(id) = c.id.clone() {
        c.set(&format!("{prefix}/id"), base, Value::String(id));
    }
}

/// Reads an ARM template with an optional parameters file.
pub(crate) fn read(
    doc: &Value,
    parameters: Option<&Value>,
    symbols: &mut Symbols,
) -> Result<Bundle, InputError> {
    let Value::Object(root) = doc else {
        return Err(InputError::UnrecognizedFormat {
            expected: "an ARM template: an object with \"resources\"".into(),
        });
    };
    if member(root, "resources").is_none() {
        return Err(InputError::UnrecognizedFormat {
            expected: "an ARM template: an object with \"resources\"".into(),
        });
    }
    let given: Option<&Map<String, Value>> = parameters.and_then(|p| {
        p.get("parameters")
            .and_then(Value::as_object)
            .or_else(|| p.as_object())
    });
    let sub = symbols.get(
        Sym::Guid,
        "arm:subscription",
        "{subscription().subscriptionId}",
        "<subscription-id>",
    );
    let rg = symbols.get(
        Sym::ResourceGroup,
        "arm:resourceGroup",
        "{resourceGroup().name}",
        "<resource-group>",
    );
    let mut arm = Arm {
        templates: Vec::new(),
        resources: Vec::new(),
        symbols,
        cloud: None,
        depth: 0,
        budget: BUDGET,
        memo: std::collections::BTreeMap::new(),
    };
    let mut params = Vec::new();
    if let Some(defs) = root.get("parameters").and_then(Value::as_object) {
        for (name, def) in defs {
            let p = match given.and_then(|g| member(g, name)).map(|(_, v)| v) {
                Some(v) => match v.get("value") {
                    Some(value) => Param::Given(V::literal(value)),
                    None if v.get("reference").is_some() => Param::Given(V::Unres(format!(
                        "parameter '{name}' is a Key Vault reference, read only at deployment"
                    ))),
                    None => Param::Given(V::literal(v)),
                },
                None => def
                    .get("defaultValue")
                    .map_or(Param::Missing, Param::Default),
            };
            params.push((name.to_ascii_lowercase(), p));
        }
    }
    arm.templates.push(Template {
        params,
        vars: root.get("variables").and_then(Value::as_object),
        sub,
        rg,
        scope_of: 0,
        outputs: root.get("outputs").and_then(Value::as_object),
        deployment_id: None,
    });
    let mut raws = Vec::new();
    collect(root, "", 0, None, &mut raws, &mut arm, 0)?;
    if raws.len() > MAX_ITEMS {
        return Err(InputError::TooManyItems {
            path: "/resources".into(),
            len: raws.len(),
            max: MAX_ITEMS,
        });
    }
    // Names and IDs.
    for r in raws {
        arm.resources.push(r);
    }
    for i in 0..arm.resources.len() {
        let (name, id) = arm.name_and_id(i);
        if let Some(r) = arm.resources.get_mut(i) {
            r.name = name;
            r.id = id;
        }
    }
    // The deployment's cloud: from the caches' regions, when literal.
    arm.cloud = (0..arm.resources.len()).find_map(|i| {
        let r = arm.resources.get(i)?;
        if !r
            .rtype
            .eq_ignore_ascii_case("Microsoft.Cache/redisEnterprise")
        {
            return None;
        }
        let raw = member(r.raw, "location")?.1;
        let t = r.template;
        match arm.eval_value(raw, t) {
            V::Str(s) if !arm.symbols.contains_any(&s) => {
                Some(crate::location::cloud_of_location(&s))
            }
            _ => None,
        }
    });
    // Names, IDs and the cloud are settled now: values cached before may have used the unsettled ones.
    arm.memo.clear();
    let mut bundle = Bundle {
        container: "/resources".into(),
        ..Bundle::default()
    };
    if root.get("resources").is_some_and(Value::is_object) {
        bundle.container = "/resources".into();
    }
    for i in 0..arm.resources.len() {
        arm.component(i, &mut bundle);
    }
    Ok(bundle)
}

/// Collects resources (recursing into child `resources` and inline nested deployments).
fn collect<'a>(
    holder: &'a Map<String, Value>,
    base: &str,
    template: usize,
    parent: Option<(&str, &str)>,
    out: &mut Vec<TRes<'a>>,
    arm: &mut Arm<'a, '_>,
    depth: usize,
) -> Result<(), InputError> {
    if depth > 8 {
        return Ok(());
    }
    let Some((key, resources)) = member(holder, "resources") else {
        return Ok(());
    };
    let list_ptr = ptr(base, key);
    let items: Vec<(String, Option<String>, &'a Value)> = match resources {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{list_ptr}/{i}"), None, v))
            .collect(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| (ptr(&list_ptr, k), Some(k.clone()), v))
            .collect(),
        _ => Vec::new(),
    };
    for (p, symbolic, v) in items {
        let Some(raw) = v.as_object() else { continue };
        if out.len() > MAX_ITEMS {
            return Err(InputError::TooManyItems {
                path: list_ptr,
                len: out.len(),
                max: MAX_ITEMS,
            });
        }
        let own_type = member(raw, "type")
            .and_then(|(_, t)| t.as_str())
            .unwrap_or("");
        let own_name = member(raw, "name")
            .and_then(|(_, t)| t.as_str())
            .unwrap_or("");
        let rtype = match parent {
            Some((ptype, _)) if !own_type.contains('/') => format!("{ptype}/{own_type}"),
            _ => own_type.to_owned(),
        };
        let existing = member(raw, "existing").is_some_and(|(_, v)| v == &Value::Bool(true));
        // A condition that is literally false: the resource is not deployed.
        let skip = member(raw, "condition").is_some_and(|(_, c)| c == &Value::Bool(false));
        if skip {
            continue;
        }
        out.push(TRes {
            raw,
            ptr: p.clone(),
            template,
            symbolic,
            rtype: rtype.clone(),
            name: Err(String::new()),
            id: None,
            existing,
        });
        // Child resources: type and name relative to this one (name evaluated later by prefixing).
        if member(raw, "resources").is_some()
            && !rtype.eq_ignore_ascii_case("Microsoft.Resources/deployments")
        {
            let mut children = Vec::new();
            collect(
                raw,
                &p,
                template,
                Some((&rtype, own_name)),
                &mut children,
                arm,
                depth + 1,
            )?;
            for mut c in children {
                // Mark children by storing the parent's pointer in the name error; resolved in name_and_id.
                c.name = Err(format!("parent:{p}"));
                out.push(c);
            }
        }
        if rtype.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
            let props = member(raw, "properties").and_then(|(_, v)| v.as_object());
            let Some((tkey, inner)) = props.and_then(|m| member(m, "template")) else {
                continue;
            };
            let Some(inner) = inner.as_object() else {
                continue;
            };
            let props_ptr = ptr(
                &p,
                member(raw, "properties").map_or("properties", |(k, _)| k.as_str()),
            );
            let inner_ptr = ptr(&props_ptr, tkey);
            let inner_scope = props
                .and_then(|m| member(m, "expressionEvaluationOptions"))
                .and_then(|(_, o)| o.get("scope"))
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
            // Parameters and the target resource group, evaluated in the calling template.
            let mut params = Vec::new();
            if inner_scope {
                let passed = props
                    .and_then(|m| member(m, "parameters"))
                    .and_then(|(_, v)| v.as_object());
                if let Some(defs) = inner.get("parameters").and_then(Value::as_object) {
                    for (name, def) in defs {
                        let p = match passed.and_then(|g| member(g, name)).map(|(_, v)| v) {
                            Some(v) => match v.get("value") {
                                Some(value) => Param::Outer(value, template),
                                None => Param::Given(V::Unres(format!(
                                    "parameter '{name}' of a nested deployment is a Key Vault reference"
                                ))),
                            },
                            None => def.get("defaultValue").map_or(Param::Missing, Param::Default),
                        };
                        params.push((name.to_ascii_lowercase(), p));
                    }
                }
            }
            let (parent_sub, parent_rg) = arm
                .templates
                .get(template)
                .map(|t| (t.sub.clone(), t.rg.clone()))
                .unwrap_or_default();
            let mut sub = parent_sub.clone();
            let mut rg = parent_rg.clone();
            if let Some((_, v)) = member(raw, "subscriptionId") {
                if let V::Str(s) = arm.eval_value(v, template) {
                    sub = s;
                }
            }
            if let Some((_, v)) = member(raw, "resourceGroup") {
                if let V::Str(s) = arm.eval_value(v, template) {
                    rg = s;
                }
            }
            let deployment_id = match arm.eval_value(&Value::String(own_name.to_owned()), template) {
                V::Str(n) => Some(format!(
                    "/subscriptions/{parent_sub}/resourceGroups/{parent_rg}/providers/Microsoft.Resources/deployments/{n}"
                )),
                _ => None,
            };
            let index = arm.templates.len();
            arm.templates.push(Template {
                params,
                vars: if inner_scope {
                    inner.get("variables").and_then(Value::as_object)
                } else {
                    None
                },
                sub,
                rg,
                scope_of: if inner_scope { index } else { template },
                outputs: inner.get("outputs").and_then(Value::as_object),
                deployment_id,
            });
            collect(inner, &inner_ptr, index, None, out, arm, depth + 1)?;
        }
    }
    Ok(())
}

/// Splits an ARM resource ID into its full type and names.
fn parse_id(id: &str) -> Option<(String, Vec<String>)> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/")?;
    let rest = id.get(at + "/providers/".len()..)?;
    let segs: Vec<&str> = rest.split('/').collect();
    let ns = segs.first()?;
    let mut types = vec![(*ns).to_owned()];
    let mut names = Vec::new();
    for pair in segs.get(1..)?.chunks(2) {
        if let [t, n] = pair {
            types.push((*t).to_owned());
            names.push((*n).to_owned());
        }
    }
    Some((types.join("/"), names))
}

fn join_id(prefix: &str, rtype: &str, names: &[String]) -> Option<String> {
    let mut parts = rtype.split('/');
    let ns = parts.next()?;
    let types: Vec<&str> = parts.collect();
    let names: Vec<&str> = names.iter().flat_map(|n| n.split('/')).collect();
    if types.len() != names.len() || types.is_empty() {
        return None;
    }
    let mut out = format!("{prefix}/providers/{ns}");
    for (t, n) in types.iter().zip(names) {
        out.push('/');
        out.push_str(t);
        out.push('/');
        out.push_str(n);
    }
    Some(out)
}

fn unres(reason: impl Into<String>) -> V {
    V::Unres(reason.into())
}

fn strings(args: &[V]) -> Result<Vec<String>, V> {
    args.iter()
        .map(|a| match a {
            V::Unres(r) => Err(V::Unres(r.clone())),
            other => text_of(other).ok_or_else(|| unres("an argument is not a string")),
        })
        .collect()
}

impl<'a> Arm<'a, '_> {
    fn name_and_id(&mut self, i: usize) -> (Result<String, String>, Option<String>) {
        let Some(r) = self.resources.get(i) else {
            return (Err("no resource".into()), None);
        };
        let (t, raw, rtype) = (r.template, r.raw, r.rtype.clone());
        let parent_ptr = r
            .name
            .as_ref()
            .err()
            .and_then(|e| e.strip_prefix("parent:"))
            .map(str::to_owned);
        let own = match member(raw, "name") {
            Some((_, v)) => match self.eval_value(v, t) {
                V::Str(s) => Ok(s),
                V::Unres(reason) => Err(reason),
                _ => Err("the name is not a string".into()),
            },
            None => Err("the resource has no name".into()),
        };
        let name = match (parent_ptr, own) {
            (Some(pp), Ok(own)) if !own.contains('/') => {
                match self
                    .resources
                    .iter()
                    .find(|p| p.ptr == pp)
                    .map(|p| p.name.clone())
                {
                    Some(Ok(parent)) => Ok(format!("{parent}/{own}")),
                    Some(Err(e)) => Err(e),
                    None => Ok(own),
                }
            }
            (_, n) => n,
        };
        let id = match (&name, self.templates.get(t)) {
            (Ok(n), Some(tpl)) => {
                let prefix = format!("/subscriptions/{}/resourceGroups/{}", tpl.sub, tpl.rg);
                // Extension resources (`scope`) get their ID under the scope; not needed for joins.
                join_id(&prefix, &rtype, std::slice::from_ref(n))
            }
            _ => None,
        };
        (name, id)
    }

    fn template(&self, t: usize) -> Option<&Template<'a>> {
        self.templates.get(t)
    }

    fn param(&mut self, name: &str, t: usize) -> V {
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
        match found {
            Some(Ok(Ok(v))) => v,
            Some(Ok(Err((v, outer)))) => self.eval_value(v, outer),
            Some(Err(Some(d))) => self.eval_value(d, scope),
            Some(Err(None)) => unres(format!(
                "parameter '{name}' has no value: give it in a parameters file (--parameters) or as a default"
            )),
            None => unres(format!("parameter '{name}' is not declared")),
        }
    }

    fn variable(&mut self, name: &str, t: usize) -> V {
        let scope = self.template(t).map_or(t, |tp| tp.scope_of);
        let key = (scope, false, name.to_ascii_lowercase());
        if let Some(v) = self.memo.get(&key) {
            return v.clone();
        }
        let v = self.variable_uncached(name, scope);
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
            None => unres(format!("variable '{name}' is not declared")),
        }
    }

    /// Evaluates a JSON value of the template: strings may be expressions; objects and arrays deeply.
    fn eval_value(&mut self, v: &Value, t: usize) -> V {
        if self.depth > MAX_DEPTH {
            return unres("the expressions are nested too deeply");
        }
        if self.budget == 0 {
            return unres("the template's expressions take too long to evaluate");
        }
        self.budget -= 1;
        self.depth += 1;
        let out = match v {
            Value::String(s) => self.eval_str(s, t),
            Value::Array(a) => V::Arr(a.iter().map(|x| self.eval_value(x, t)).collect()),
            Value::Object(m) => {
                if m.contains_key("copy") {
                    unres("copy loops in variables are not evaluated")
                } else {
                    V::Obj(
                        m.iter()
                            .map(|(k, x)| {
                                let key = match self.eval_str(k, t) {
                                    V::Str(s) => s,
                                    _ => k.clone(),
                                };
                                (key, self.eval_value(x, t))
                            })
                            .collect(),
                    )
                }
            }
            other => V::literal(other),
        };
        self.depth -= 1;
        out
    }

    fn eval_str(&mut self, s: &str, t: usize) -> V {
        if !expr::is_expression(s) {
            return V::Str(expr::unescape_literal(s));
        }
        let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
        match expr::parse(inner) {
            Ok(e) => self.eval(&e, t),
            Err(why) => unres(format!("the expression does not parse: {why}")),
        }
    }

    fn eval(&mut self, e: &Expr, t: usize) -> V {
        if self.depth > MAX_DEPTH {
            return unres("the expressions are nested too deeply");
        }
        if self.budget == 0 {
            return unres("the template's expressions take too long to evaluate");
        }
        self.budget -= 1;
        self.depth += 1;
        let out = match e {
            Expr::Str(s) => V::Str(s.clone()),
            Expr::Int(i) => V::Int(*i),
            Expr::Prop(base, name) => {
                let b = self.eval(base, t);
                self.property(b, name, base, t)
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
                    (b @ V::Res { .. }, V::Str(k)) => self.property(b, &k, base, t),
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

    fn display_ref(&self, id: &str) -> String {
        let name = parse_id(id)
            .and_then(|(_, n)| n.last().cloned())
            .unwrap_or_else(|| id.to_owned());
        self.symbols.display(&name)
    }

    fn resource_by_id(&self, id: &str) -> Option<&TRes<'a>> {
        self.resources.iter().find(|r| {
            r.id.as_deref()
                .is_some_and(|rid| super::bundle::same_id(rid, id))
        })
    }

    fn suffix(&self) -> &'static str {
        self.cloud.unwrap_or(Cloud::Public).suffix(VaultKind::Vault)
    }

    fn property(&mut self, base: V, name: &str, base_expr: &Expr, t: usize) -> V {
        match base {
            V::Unres(r) => V::Unres(r),
            V::Obj(_) => base.member(name).cloned().unwrap_or_else(|| {
                unres(format!("no property '{name}' in {}", expr::show(base_expr)))
            }),
            V::Res { id, full } => self.runtime_property(&id, full, name, t),
            _ => unres(format!("'{name}' of a value that is not an object")),
        }
    }

    /// `reference(id).name`: known properties of a resource at deployment, given symbolically.
    fn runtime_property(&mut self, id: &str, full: bool, name: &str, t: usize) -> V {
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
                    (
                        "tenantId".into(),
                        V::Str(self.symbols.get(
                            Sym::Guid,
                            "tenant",
                            "{tenant().tenantId}",
                            "<tenant-id>",
                        )),
                    ),
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
            ) => {
                let (key, disp, ph) = match lname.as_str() {
                    "principalid" => ("principal", "principalId", "<identity-principal-id>"),
                    "clientid" => ("client", "clientId", "<identity-client-id>"),
                    _ => ("tenant", "tenantId", "<tenant-id>"),
                };
                V::Str(self.symbols.get(
                    Sym::Guid,
                    &format!("{key}:{id}"),
                    &format!("{{reference('{shown}').{disp}}}"),
                    ph,
                ))
            }
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
                    None => {
                        let _ = t;
                        unres(format!(
                            "reference('{shown}').{name} is known only after deployment"
                        ))
                    }
                }
            }
        }
    }

    fn outputs_of(&mut self, id: &str) -> V {
        let found = self.templates.iter().enumerate().find(|(_, tp)| {
            tp.deployment_id
                .as_deref()
                .is_some_and(|d| super::bundle::same_id(d, id))
        });
        let Some((index, tp)) = found else {
            return unres("the outputs of a deployment outside this template are not known");
        };
        let Some(outputs) = tp.outputs else {
            return V::Obj(Vec::new());
        };
        let mut out = Vec::new();
        for (k, o) in outputs {
            let value = o.get("value").map_or_else(
                || unres("the output has no value"),
                |v| self.eval_value(v, index),
            );
            out.push((k.clone(), V::Obj(vec![("value".into(), value)])));
        }
        V::Obj(out)
    }

    fn call(&mut self, name: &str, args: &[Expr], t: usize) -> V {
        let lname = name.to_ascii_lowercase();
        // Lazy functions first.
        match lname.as_str() {
            "if" => {
                let Some(cond) = args.first() else {
                    return unres("if() needs three arguments");
                };
                return match self.eval(cond, t) {
                    V::Bool(true) => args
                        .get(1)
                        .map_or_else(|| unres("if() needs three arguments"), |a| self.eval(a, t)),
                    V::Bool(false) => args
                        .get(2)
                        .map_or_else(|| unres("if() needs three arguments"), |a| self.eval(a, t)),
                    V::Unres(r) => V::Unres(r),
                    _ => unres("the condition of if() is not a boolean"),
                };
            }
            "coalesce" => {
                for a in args {
                    match self.eval(a, t) {
                        V::Null => continue,
                        v => return v,
                    }
                }
                return V::Null;
            }
            _ => {}
        }
        if args.len() > 256 {
            return unres(format!("{name}() has more than 256 arguments"));
        }
        let vals: Vec<V> = args.iter().map(|a| self.eval(a, t)).collect();
        let call_text = || expr::show(&Expr::Call(name.to_owned(), args.to_vec()));
        let arg = |i: usize| vals.get(i).cloned().unwrap_or(V::Null);
        let first_str = || match vals.first() {
            Some(V::Str(s)) => Ok(s.clone()),
            Some(V::Unres(r)) => Err(V::Unres(r.clone())),
            _ => Err(unres(format!("{name}() needs a string"))),
        };
        if let Some(r) = vals.iter().find_map(|v| match v {
            V::Unres(r) => Some(r.clone()),
            _ => None,
        }) {
            if !matches!(
                lname.as_str(),
                "createarray" | "createobject" | "json" | "union" | "trygetl"
            ) {
                return V::Unres(r);
            }
        }
        match lname.as_str() {
            "parameters" => match first_str() {
                Ok(n) => self.param(&n, t),
                Err(e) => e,
            },
            "variables" => match first_str() {
                Ok(n) => self.variable(&n, t),
                Err(e) => e,
            },
            "true" => V::Bool(true),
            "false" => V::Bool(false),
            "null" => V::Null,
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
                    match strings(&vals) {
                        Ok(parts) => V::Str(parts.concat()),
                        Err(e) => e,
                    }
                }
            }
            "format" => match first_str() {
                Ok(f) => {
                    expr::format(&f, vals.get(1..).unwrap_or(&[])).map_or_else(V::Unres, V::Str)
                }
                Err(e) => e,
            },
            "tolower" => first_str().map_or_else(|e| e, |s| V::Str(s.to_ascii_lowercase())),
            "toupper" => first_str().map_or_else(|e| e, |s| V::Str(s.to_ascii_uppercase())),
            "trim" => first_str().map_or_else(|e| e, |s| V::Str(s.trim().to_owned())),
            "string" => match arg(0) {
                V::Str(s) => V::Str(s),
                v => match v.to_json() {
                    Ok(serde_json::Value::String(s)) => V::Str(s),
                    Ok(j) => V::Str(j.to_string()),
                    Err(r) => V::Unres(r),
                },
            },
            "int" => match arg(0) {
                V::Int(i) => V::Int(i),
                V::Str(s) => s
                    .trim()
                    .parse()
                    .map_or_else(|_| unres("int() of a non-number"), V::Int),
                _ => unres("int() of a non-number"),
            },
            "bool" => match arg(0) {
                V::Bool(b) => V::Bool(b),
                V::Str(s) if s.eq_ignore_ascii_case("true") => V::Bool(true),
                V::Str(s) if s.eq_ignore_ascii_case("false") => V::Bool(false),
                V::Int(i) => V::Bool(i != 0),
                _ => unres("bool() of a non-boolean"),
            },
            "json" => match first_str() {
                Ok(s) => serde_json::from_str::<Value>(&s)
                    .map_or_else(|_| unres("json() of invalid JSON"), |v| V::literal(&v)),
                Err(e) => e,
            },
            "replace" => match strings(&vals) {
                Ok(p) => match p.as_slice() {
                    [s, old, new] if !old.is_empty() => {
                        let grows = s.matches(old.as_str()).count().saturating_mul(new.len());
                        if grows > MAX_VALUE_LEN {
                            unres("a value grows beyond 64 KiB")
                        } else {
                            V::Str(s.replace(old.as_str(), new))
                        }
                    }
                    _ => unres("replace() needs three strings"),
                },
                Err(e) => e,
            },
            "split" => match (arg(0), arg(1)) {
                (V::Str(s), V::Str(d)) if !d.is_empty() => {
                    V::Arr(s.split(d.as_str()).map(|x| V::Str(x.to_owned())).collect())
                }
                _ => unres("split() needs a string and a delimiter"),
            },
            "join" => match (arg(0), arg(1)) {
                (V::Arr(a), V::Str(d)) => strings(&a).map_or_else(|e| e, |p| V::Str(p.join(&d))),
                _ => unres("join() needs an array and a delimiter"),
            },
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
                    _ => unres(format!("{name}() of a non-array")),
                }
            }
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
                _ => unres("substring() needs a string and a start"),
            },
            "length" => match arg(0) {
                V::Str(s) => V::Int(i64::try_from(s.chars().count()).unwrap_or(0)),
                V::Arr(a) => V::Int(i64::try_from(a.len()).unwrap_or(0)),
                V::Obj(m) => V::Int(i64::try_from(m.len()).unwrap_or(0)),
                _ => unres("length() of this value"),
            },
            "empty" => match arg(0) {
                V::Null => V::Bool(true),
                V::Str(s) => V::Bool(s.is_empty()),
                V::Arr(a) => V::Bool(a.is_empty()),
                V::Obj(m) => V::Bool(m.is_empty()),
                _ => unres("empty() of this value"),
            },
            "equals" => {
                let (a, b) = (arg(0), arg(1));
                if let (V::Str(x), V::Str(y)) = (&a, &b) {
                    let symbolic = self.symbols.contains_any(x) || self.symbols.contains_any(y);
                    if symbolic && x != y {
                        return unres("a comparison with a value known only at deployment");
                    }
                    V::Bool(x.eq_ignore_ascii_case(y))
                } else {
                    V::Bool(a == b)
                }
            }
            "not" => match arg(0) {
                V::Bool(b) => V::Bool(!b),
                _ => unres("not() of a non-boolean"),
            },
            "and" | "or" => {
                let bools: Option<Vec<bool>> = vals
                    .iter()
                    .map(|v| if let V::Bool(b) = v { Some(*b) } else { None })
                    .collect();
                match bools {
                    Some(b) if lname == "and" => V::Bool(b.iter().all(|x| *x)),
                    Some(b) => V::Bool(b.iter().any(|x| *x)),
                    None => unres(format!("{name}() of non-booleans")),
                }
            }
            "contains" => match (arg(0), arg(1)) {
                (V::Str(s), V::Str(x)) => V::Bool(s.contains(x.as_str())),
                (V::Arr(a), x) => V::Bool(a.contains(&x)),
                (o @ V::Obj(_), V::Str(k)) => V::Bool(o.member(&k).is_some()),
                _ => unres("contains() of this value"),
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
                _ => unres(format!("{name}() needs strings")),
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
            "union" => {
                if vals.iter().all(|v| matches!(v, V::Obj(_))) {
                    let mut m: Vec<(String, V)> = Vec::new();
                    for v in vals {
                        if let V::Obj(o) = v {
                            for (k, x) in o {
                                m.retain(|(ek, _)| !ek.eq_ignore_ascii_case(&k));
                                m.push((k, x));
                            }
                        }
                    }
                    V::Obj(m)
                } else {
                    unres("union() of non-objects is not evaluated")
                }
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
            "resourceid"
            | "subscriptionresourceid"
            | "tenantresourceid"
            | "extensionresourceid" => self.resource_id(&lname, &vals, t),
            "resourceinfo" => match first_str() {
                Ok(sym) => match self
                    .resources
                    .iter()
                    .find(|r| r.symbolic.as_deref() == Some(sym.as_str()))
                {
                    Some(r) => V::Obj(vec![
                        (
                            "id".into(),
                            r.id.clone()
                                .map_or_else(|| unres("the resource's ID is not known"), V::Str),
                        ),
                        ("name".into(), r.name.clone().map_or_else(V::Unres, V::Str)),
                        ("type".into(), V::Str(r.rtype.clone())),
                    ]),
                    None => unres(format!("no resource '{sym}'")),
                },
                Err(e) => e,
            },
            "reference" => {
                let full = vals
                    .iter()
                    .skip(1)
                    .any(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("full")));
                match first_str() {
                    Ok(target) => {
                        let by_symbol = self
                            .resources
                            .iter()
                            .find(|r| r.symbolic.as_deref() == Some(target.as_str()));
                        let id = if let Some(r) = by_symbol {
                            r.id.clone()
                        } else if target.starts_with('/') {
                            Some(target.clone())
                        } else {
                            self.resources
                                .iter()
                                .find(|r| {
                                    r.name
                                        .as_ref()
                                        .is_ok_and(|n| n.eq_ignore_ascii_case(&target))
                                })
                                .and_then(|r| r.id.clone())
                        };
                        match id {
                            Some(id) => V::Res { id, full },
                            None => unres(format!(
                                "reference('{target}') names no resource of this template"
                            )),
                        }
                    }
                    Err(e) => e,
                }
            }
            "subscription" => {
                let sub = self
                    .template(t)
                    .map(|tp| tp.sub.clone())
                    .unwrap_or_default();
                let tenant =
                    self.symbols
                        .get(Sym::Guid, "tenant", "{tenant().tenantId}", "<tenant-id>");
                V::Obj(vec![
                    ("subscriptionId".into(), V::Str(sub.clone())),
                    ("id".into(), V::Str(format!("/subscriptions/{sub}"))),
                    ("tenantId".into(), V::Str(tenant)),
                    (
                        "displayName".into(),
                        unres("the subscription's display name is known only at deployment"),
                    ),
                ])
            }
            "resourcegroup" => {
                let (sub, rg) = self
                    .template(t)
                    .map(|tp| (tp.sub.clone(), tp.rg.clone()))
                    .unwrap_or_default();
                let location = self.symbols.get(
                    Sym::Location,
                    &format!("location:{rg}"),
                    "{resourceGroup().location}",
                    "<location>",
                );
                V::Obj(vec![
                    ("name".into(), V::Str(rg.clone())),
                    (
                        "id".into(),
                        V::Str(format!("/subscriptions/{sub}/resourceGroups/{rg}")),
                    ),
                    ("location".into(), V::Str(location)),
                ])
            }
            "tenant" => V::Obj(vec![(
                "tenantId".into(),
                V::Str(
                    self.symbols
                        .get(Sym::Guid, "tenant", "{tenant().tenantId}", "<tenant-id>"),
                ),
            )]),
            "environment" => {
                let cloud = self.cloud.unwrap_or(Cloud::Public);
                let (env, kv) = match cloud {
                    Cloud::Public => ("AzureCloud", ".vault.azure.net"),
                    Cloud::China => ("AzureChinaCloud", ".vault.azure.cn"),
                    Cloud::Usgov => ("AzureUSGovernment", ".vault.usgovcloudapi.net"),
                };
                let hsm = format!(".{}", cloud.suffix(VaultKind::ManagedHsm));
                V::Obj(vec![
                    ("name".into(), V::Str(env.into())),
                    (
                        "suffixes".into(),
                        V::Obj(vec![
                            ("keyvaultDns".into(), V::Str(kv.into())),
                            ("acrLoginServer".into(), unres("not needed")),
                            ("mhsmDns".into(), V::Str(hsm)),
                        ]),
                    ),
                ])
            }
            "uniquestring" => match strings(&vals) {
                Ok(parts) => V::Str(self.symbols.get(
                    Sym::Name,
                    &format!("unique:{}", parts.join("\u{0}")),
                    &format!("{{{}}}", call_text()),
                    "<unique-string>",
                )),
                Err(e) => e,
            },
            "guid" => match strings(&vals) {
                Ok(parts) => V::Str(self.symbols.get(
                    Sym::Guid,
                    &format!("guid:{}", parts.join("\u{0}")),
                    &format!("{{{}}}", call_text()),
                    "<guid>",
                )),
                Err(e) => e,
            },
            "deployment" => V::Obj(vec![(
                "name".into(),
                unres("the deployment name is chosen at deployment"),
            )]),
            "utcnow" | "newguid" => unres(format!("{name}() differs at every deployment")),
            n if n.starts_with("list") => {
                unres(format!("{name}() returns values only at deployment"))
            }
            _ => unres(format!(
                "the function {name}() is not evaluated by this tool"
            )),
        }
    }

    fn resource_id(&mut self, kind: &str, vals: &[V], t: usize) -> V {
        let parts = match strings(vals) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let (sub, rg) = self
            .template(t)
            .map(|tp| (tp.sub.clone(), tp.rg.clone()))
            .unwrap_or_default();
        if kind == "extensionresourceid" {
            let (Some(base), Some(rtype)) = (parts.first(), parts.get(1)) else {
                return unres("extensionResourceId() needs a resource ID, a type and names");
            };
            return join_id(
                base.trim_end_matches('/'),
                rtype,
                parts.get(2..).unwrap_or(&[]),
            )
            .map_or_else(
                || unres("extensionResourceId(): the names do not match the type"),
                V::Str,
            );
        }
        let Some(ti) = parts
            .iter()
            .position(|p| p.contains('/') && !p.starts_with('/'))
        else {
            return unres("resourceId() needs a resource type");
        };
        let (before, after) = parts.split_at(ti);
        let Some((rtype, names)) = after.split_first() else {
            return unres("resourceId() needs a resource type");
        };
        let prefix = match (kind, before) {
            ("tenantresourceid", _) => String::new(),
            ("subscriptionresourceid", []) => format!("/subscriptions/{sub}"),
            ("subscriptionresourceid", [s]) => format!("/subscriptions/{s}"),
            (_, []) => format!("/subscriptions/{sub}/resourceGroups/{rg}"),
            (_, [g]) => format!("/subscriptions/{sub}/resourceGroups/{g}"),
            (_, [s, g]) => format!("/subscriptions/{s}/resourceGroups/{g}"),
            _ => return unres("resourceId() has too many arguments before the type"),
        };
        join_id(&prefix, rtype, names).map_or_else(
            || unres("resourceId(): the names do not match the type"),
            V::Str,
        )
    }

    // -----------------------------------------------------------------------------------------------------
    // Reading resources into components.

    /// Looks up `path` in a resource, evaluating expressions on the way. With `deep == false` an object at the
    /// end is returned empty (only its presence matters), so an unknown leaf inside does not hide it.
    fn look_at(
        &mut self,
        raw: &'a Map<String, Value>,
        base: &str,
        path: &[&str],
        t: usize,
        deep: bool,
    ) -> Look {
        let mut at = base.to_owned();
        let mut expression: Option<String> = None;
        let mut cur: Option<&'a Value> = None;
        let mut ev: Option<V> = None;
        for (i, seg) in path.iter().enumerate() {
            if let Some(v) = ev.take() {
                match v {
                    V::Unres(r) => return Look::Unres(expression.unwrap_or_default(), r, at),
                    V::Obj(_) => match v.member(seg) {
                        Some(x) => {
                            ev = Some(x.clone());
                            continue;
                        }
                        None => return Look::Absent(at),
                    },
                    _ => return Look::Absent(at),
                }
            }
            let map: &'a Map<String, Value> = match cur {
                None => raw,
                Some(Value::Object(m)) => m,
                Some(Value::String(s)) if expr::is_expression(s) => {
                    expression = Some(s.clone());
                    let v = self.eval_str(s, t);
                    match v {
                        V::Unres(r) => return Look::Unres(s.clone(), r, at),
                        V::Obj(_) => match v.member(seg) {
                            Some(x) => {
                                ev = Some(x.clone());
                                continue;
                            }
                            None => return Look::Absent(at),
                        },
                        _ => return Look::Absent(at),
                    }
                }
                Some(_) => return Look::Absent(at),
            };
            match member(map, seg) {
                Some((k, v)) => {
                    at = ptr(&at, k);
                    cur = Some(v);
                }
                None => return Look::Absent(path.iter().skip(i).fold(at, |a, s| ptr(&a, s))),
            }
        }
        if let Some(v) = ev {
            return match v {
                V::Obj(_) if !deep => Look::Val(Value::Object(Map::new()), at),
                v => match v.to_json() {
                    Ok(Value::Null) => Look::Absent(at),
                    Ok(j) => Look::Val(j, at),
                    Err(r) => Look::Unres(expression.unwrap_or_default(), r, at),
                },
            };
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
        match v {
            V::Obj(_) if !deep => Look::Val(Value::Object(Map::new()), at),
            v => match v.to_json() {
                Ok(Value::Null) => Look::Absent(at),
                Ok(j) => Look::Val(j, at),
                Err(r) => Look::Unres(
                    text.or(expression).unwrap_or_else(|| first_expression(raw)),
                    r,
                    at,
                ),
            },
        }
    }

    fn look(&mut self, raw: &'a Map<String, Value>, base: &str, path: &[&str], t: usize) -> Look {
        self.look_at(raw, base, path, t, true)
    }

    fn put(&mut self, c: &mut Component, r: usize, path: &[&str], model: &str) -> bool {
        let Some((raw, base, t)) = self
            .resources
            .get(r)
            .map(|x| (x.raw, x.ptr.clone(), x.template))
        else {
            return false;
        };
        match self.look(raw, &base, path, t) {
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

    fn component(&mut self, i: usize, bundle: &mut Bundle) {
        let Some(r) = self.resources.get(i) else {
            return;
        };
        let lt = r.rtype.to_ascii_lowercase();
        let base = |kind: Kind, r: &TRes| {
            let mut c = Component::new(kind, &r.rtype, &r.ptr);
            c.name = r.name.clone().unwrap_or_default();
            c.id = r.id.clone();
            c.managed = !r.existing;
            c
        };
        let name_unresolved = r.name.as_ref().err().cloned().filter(|e| !e.is_empty());
        let name_raw = member(r.raw, "name")
            .map(|(k, v)| (ptr(&r.ptr, k), v.as_str().unwrap_or("").to_owned()));
        let existing = r.existing;
        let c = match lt.as_str() {
            "microsoft.cache/redisenterprise" if !existing => {
                Some(self.cache(i, base(Kind::Cache, r)))
            }
            "microsoft.keyvault/vaults" | "microsoft.keyvault/managedhsms" => {
                Some(self.vault(i, base(Kind::Vault, r), lt.ends_with("managedhsms")))
            }
            "microsoft.keyvault/vaults/keys" | "microsoft.keyvault/managedhsms/keys" => {
                Some(self.key(i, base(Kind::Key, r)))
            }
            "microsoft.managedidentity/userassignedidentities" => {
                Some(self.identity(base(Kind::Identity, r)))
            }
            "microsoft.authorization/roleassignments"
            | "microsoft.keyvault/vaults/providers/roleassignments"
            | "microsoft.keyvault/vaults/keys/providers/roleassignments" => {
                Some(self.role(i, base(Kind::Role, r)))
            }
            "microsoft.keyvault/vaults/accesspolicies" => {
                for p in self.policies(i) {
                    bundle.components.push(p);
                }
                None
            }
            "microsoft.resources/deployments" => None,
            _ => {
                bundle.other_types.push(crate::coverage::truncate(&r.rtype));
                None
            }
        };
        if let Some(mut c) = c {
            if let (Some(reason), Some((p, text))) = (name_unresolved, name_raw) {
                // Without its name the resource cannot be joined: say so on every cache.
                let mut u = super::bundle::Unresolved {
                    model: String::new(),
                    doc: p,
                    expression: super::bundle::shorten(&text),
                    reason,
                    address: None,
                };
                if c.kind == Kind::Cache {
                    c.unresolved("/cache/name", &u.doc, &u.expression, &u.reason);
                } else {
                    u.model = match c.kind {
                        Kind::Vault => "/vault".into(),
                        Kind::Key => "/key".into(),
                        Kind::Identity => "/identity".into(),
                        _ => "/roleAssignments".into(),
                    };
                    bundle.unresolved.push(u);
                }
            }
            bundle.components.push(c);
        }
    }

    fn cache(&mut self, i: usize, mut c: Component) -> Component {
        let Some((raw, base, t)) = self
            .resources
            .get(i)
            .map(|x| (x.raw, x.ptr.clone(), x.template))
        else {
            return c;
        };
        set_name_and_id(&mut c, raw, &base, "/cache");
        self.put(&mut c, i, &["location"], "/cache/location");
        self.put(&mut c, i, &["sku", "name"], "/cache/sku");
        // identity
        match member(raw, "identity") {
            Some((k, Value::Object(im))) => {
                let ip = ptr(&base, k);
                c.map("/cache/identity", &ip);
                self.put(&mut c, i, &["identity", "type"], "/cache/identity/type");
                match member(im, "userAssignedIdentities") {
                    Some((uk, Value::Object(um))) => {
                        let uais_ptr = ptr(&ip, uk);
                        let mut out = Map::new();
                        // Keys are resource IDs, often expressions: evaluated one by one.
                        for raw_key in um.keys() {
                            let key_ptr = ptr(&uais_ptr, raw_key);
                            match self.eval_str(raw_key, t) {
                                V::Str(id) => {
                                    c.map(
                                        &ptr("/cache/identity/userAssignedIdentities", &id),
                                        &key_ptr,
                                    );
                                    out.insert(id, Value::Object(Map::new()));
                                }
                                V::Unres(r) => c.unresolved(
                                    "/cache/identity/userAssignedIdentities",
                                    &key_ptr,
                                    raw_key,
                                    &r,
                                ),
                                _ => c.unresolved(
                                    "/cache/identity/userAssignedIdentities",
                                    &key_ptr,
                                    raw_key,
                                    "the key is not a string",
                                ),
                            }
                        }
                        c.set(
                            "/cache/identity/userAssignedIdentities",
                            &uais_ptr,
                            Value::Object(out),
                        );
                    }
                    Some((uk, other)) => {
                        let uais_ptr = ptr(&ip, uk);
                        match self.eval_value(other, t).to_json() {
                            Ok(Value::Object(m)) => {
                                let out: Map<String, Value> = m
                                    .keys()
                                    .map(|k| (k.clone(), Value::Object(Map::new())))
                                    .collect();
                                c.set(
                                    "/cache/identity/userAssignedIdentities",
                                    &uais_ptr,
                                    Value::Object(out),
                                );
                            }
                            Ok(_) => c.map("/cache/identity/userAssignedIdentities", &uais_ptr),
                            Err(r) => c.unresolved(
                                "/cache/identity/userAssignedIdentities",
                                &uais_ptr,
                                &first_expression(other),
                                &r,
                            ),
                        }
                    }
                    None => c.map(
                        "/cache/identity/userAssignedIdentities",
                        &ptr(&ip, "userAssignedIdentities"),
                    ),
                }
            }
            Some((k, other)) => {
                let ip = ptr(&base, k);
                match self.eval_value(other, t).to_json() {
                    Ok(Value::Object(m)) => {
                        c.map("/cache/identity", &ip);
                        if let Some(ty) = m.get("type") {
                            c.set("/cache/identity/type", &ip, ty.clone());
                        }
                        if let Some(Value::Object(u)) = m.get("userAssignedIdentities") {
                            let out: Map<String, Value> = u
                                .keys()
                                .map(|k| (k.clone(), Value::Object(Map::new())))
                                .collect();
                            c.set(
                                "/cache/identity/userAssignedIdentities",
                                &ip,
                                Value::Object(out),
                            );
                        }
                    }
                    Ok(_) => c.map("/cache/identity", &ip),
                    Err(r) => c.unresolved("/cache/identity", &ip, &first_expression(other), &r),
                }
            }
            None => c.map("/cache/identity", &ptr(&base, "identity")),
        }
        // encryption
        const KEK: &str = "/encryption/customerManagedKeyEncryption";
        let kek_path = ["properties", "encryption", "customerManagedKeyEncryption"];
        match self.look_at(raw, &base, &kek_path, t, false) {
            Look::Val(Value::Object(_), p) => {
                c.set(KEK, &p, Value::Object(Map::new()));
                let mut any = false;
                let url = [
                    "properties",
                    "encryption",
                    "customerManagedKeyEncryption",
                    "keyEncryptionKeyUrl",
                ];
                any |= self.put(&mut c, i, &url, &format!("{KEK}/keyEncryptionKeyUrl"));
                let idt = [
                    "properties",
                    "encryption",
                    "customerManagedKeyEncryption",
                    "keyEncryptionKeyIdentity",
                    "identityType",
                ];
                any |= self.put(
                    &mut c,
                    i,
                    &idt,
                    &format!("{KEK}/keyEncryptionKeyIdentity/identityType"),
                );
                let uai = [
                    "properties",
                    "encryption",
                    "customerManagedKeyEncryption",
                    "keyEncryptionKeyIdentity",
                    "userAssignedIdentityResourceId",
                ];
                any |= self.put(
                    &mut c,
                    i,
                    &uai,
                    &format!("{KEK}/keyEncryptionKeyIdentity/userAssignedIdentityResourceId"),
                );
                c.map(
                    &format!("{KEK}/keyEncryptionKeyIdentity"),
                    &ptr(&p, "keyEncryptionKeyIdentity"),
                );
                let unknown_leaf = c.unresolved.iter().any(|u| u.model.starts_with(KEK));
                if any || unknown_leaf {
                    c.set("/encryption/keySource", &p, Value::from("customerManaged"));
                }
            }
            Look::Val(_, p) | Look::Absent(p) => c.map("/encryption", &p),
            Look::Unres(e, r, p) => c.unresolved("/encryption", &p, &e, &r),
        }
        c
    }

    fn vault(&mut self, i: usize, mut c: Component, hsm: bool) -> Component {
        let Some((raw, base, existing)) = self
            .resources
            .get(i)
            .map(|x| (x.raw, x.ptr.clone(), x.existing))
        else {
            return c;
        };
        // Child names never apply here; a vault name is lower-cased by the key URL parser too.
        set_name_and_id(&mut c, raw, &base, "");
        c.set(
            "/kind",
            &base,
            Value::from(if hsm { "managedHsm" } else { "vault" }),
        );
        if existing {
            // An existing vault: its properties are not in the template.
            for m in [
                "/location",
                "/enableSoftDelete",
                "/enablePurgeProtection",
                "/enableRbacAuthorization",
                "/networkAcls",
                "/accessPolicies",
                "/publicNetworkAccess",
            ] {
                c.map(m, &base);
            }
            return c;
        }
        self.put(&mut c, i, &["location"], "/location");
        if !self.put(
            &mut c,
            i,
            &["properties", "enableSoftDelete"],
            "/enableSoftDelete",
        ) && c.get("/enableSoftDelete").is_none()
            && !c.unresolved.iter().any(|u| u.model == "/enableSoftDelete")
        {
            // ARM default: soft delete on.
            let p = c
                .map
                .iter()
                .find(|(m, _)| m == "/enableSoftDelete")
                .map(|(_, d)| d.clone())
                .unwrap_or_default();
            c.set("/enableSoftDelete", &p, Value::Bool(true));
        }
        if !self.put(
            &mut c,
            i,
            &["properties", "enablePurgeProtection"],
            "/enablePurgeProtection",
        ) && !c
            .unresolved
            .iter()
            .any(|u| u.model == "/enablePurgeProtection")
        {
            // Off by default for vaults; on by default for Managed HSM.
            let p = c
                .map
                .iter()
                .find(|(m, _)| m == "/enablePurgeProtection")
                .map(|(_, d)| d.clone())
                .unwrap_or_default();
            c.set("/enablePurgeProtection", &p, Value::Bool(hsm));
        }
        if !hsm {
            self.put(
                &mut c,
                i,
                &["properties", "enableRbacAuthorization"],
                "/enableRbacAuthorization",
            );
            if let Some(api) = member(raw, "apiVersion").and_then(|(_, v)| v.as_str()) {
                let p =
                    member(raw, "apiVersion").map_or_else(|| base.clone(), |(k, _)| ptr(&base, k));
                c.set("/apiVersion", &p, Value::from(api));
            }
        }
        self.put(
            &mut c,
            i,
            &["properties", "publicNetworkAccess"],
            "/publicNetworkAccess",
        );
        let has_acls = self.put(
            &mut c,
            i,
            &["properties", "networkAcls", "defaultAction"],
            "/networkAcls/defaultAction",
        );
        self.put(
            &mut c,
            i,
            &["properties", "networkAcls", "bypass"],
            "/networkAcls/bypass",
        );
        let acl_known = !c
            .unresolved
            .iter()
            .any(|u| u.model.starts_with("/networkAcls"));
        if !has_acls && acl_known {
            // No firewall rules: everything is allowed.
            let p = c
                .map
                .iter()
                .find(|(m, _)| m == "/networkAcls/defaultAction")
                .map(|(_, d)| d.clone())
                .unwrap_or_default();
            c.set("/networkAcls/defaultAction", &p, Value::from("Allow"));
        }
        if !hsm {
            let policies = self.policy_list(i, &["properties", "accessPolicies"]);
            match policies {
                Some((list, p)) => {
                    let mut out = Vec::new();
                    for (n, pc) in list.into_iter().enumerate() {
                        for (m, d) in &pc.map {
                            c.map(&format!("/accessPolicies/{n}{m}"), d);
                        }
                        for u in &pc.unresolved {
                            c.unresolved(
                                &format!("/accessPolicies/{n}{}", u.model),
                                &u.doc,
                                &u.expression,
                                &u.reason,
                            );
                        }
                        out.push(Value::Object(pc.model));
                    }
                    c.set("/accessPolicies", &p, Value::Array(out));
                }
                None => {
                    if !c.unresolved.iter().any(|u| u.model == "/accessPolicies") {
                        let p = c
                            .map
                            .iter()
                            .find(|(m, _)| m == "/accessPolicies")
                            .map_or_else(|| ptr(&base, "properties"), |(_, d)| d.clone());
                        c.set("/accessPolicies", &p, Value::Array(Vec::new()));
                    }
                }
            }
        }
        c
    }

    /// The access policies at `path` of resource `i`, one component each (relative model paths).
    fn policy_list(&mut self, i: usize, path: &[&str]) -> Option<(Vec<Component>, String)> {
        let (raw, base, t) = self
            .resources
            .get(i)
            .map(|x| (x.raw, x.ptr.clone(), x.template))?;
        // The raw list, when it is written out (entries are then evaluated one by one).
        let mut at = base.clone();
        let mut node: Option<&'a Value> = None;
        let mut map = Some(raw);
        for seg in path {
            match map.and_then(|m| member(m, seg)) {
                Some((k, v)) => {
                    at = ptr(&at, k);
                    node = Some(v);
                    map = v.as_object();
                }
                None => {
                    node = None;
                    break;
                }
            }
        }
        let entries: Vec<(String, V, Option<&'a Value>)> = match node {
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(n, e)| (format!("{at}/{n}"), self.eval_value(e, t), Some(e)))
                .collect(),
            _ => match self.look(raw, &base, path, t) {
                Look::Val(Value::Array(list), p) => list
                    .iter()
                    .map(|e| (p.clone(), V::literal(e), None))
                    .collect(),
                Look::Val(_, _) | Look::Absent(_) => return None,
                Look::Unres(e, r, p) => {
                    let mut pc = Component::new(Kind::Policy, "", &p);
                    pc.unresolved("", &p, &e, &r);
                    return Some((vec![pc], p));
                }
            },
        };
        let mut out = Vec::new();
        for (ep, v, raw_entry) in entries {
            let mut pc = Component::new(
                Kind::Policy,
                "Microsoft.KeyVault/vaults/accessPolicies",
                &ep,
            );
            for (name, model) in [("objectId", "/objectId"), ("tenantId", "/tenantId")] {
                let fp = ptr(&ep, name);
                let text = raw_entry
                    .and_then(|e| e.get(name))
                    .map(first_expression)
                    .unwrap_or_default();
                match v.member(name) {
                    Some(x) => match x.to_json() {
                        Ok(Value::Null) => pc.map(model, &fp),
                        Ok(j) => pc.set(model, &fp, j),
                        Err(reason) => pc.unresolved(model, &fp, &text, &reason),
                    },
                    None => pc.map(model, &fp),
                }
            }
            let kp = format!("{ep}/permissions/keys");
            if let Some(keys) = v.member("permissions").and_then(|p| p.member("keys")) {
                match keys.to_json() {
                    Ok(j) => pc.set("/permissions/keys", &kp, j),
                    Err(reason) => pc.unresolved("/permissions/keys", &kp, "", &reason),
                }
            }
            if let V::Unres(reason) = &v {
                let text = raw_entry.map(first_expression).unwrap_or_default();
                pc.unresolved("", &ep, &text, reason);
            }
            pc.principal = pc.get_str("/objectId").map(str::to_owned);
            out.push(pc);
        }
        Some((out, at))
    }

    fn policies(&mut self, i: usize) -> Vec<Component> {
        let vault = self
            .resources
            .get(i)
            .and_then(|r| r.name.as_ref().ok())
            .and_then(|n| n.split('/').next())
            .map(str::to_ascii_lowercase);
        let Some((list, _)) = self.policy_list(i, &["properties", "accessPolicies"]) else {
            return Vec::new();
        };
        list.into_iter()
            .map(|mut p| {
                p.vault_name.clone_from(&vault);
                p
            })
            .collect()
    }

    fn key(&mut self, i: usize, mut c: Component) -> Component {
        let Some((raw, base, existing)) = self
            .resources
            .get(i)
            .map(|x| (x.raw, x.ptr.clone(), x.existing))
        else {
            return c;
        };
        let mut parts = c.name.splitn(2, '/');
        c.vault_name = parts
            .next()
            .map(str::to_ascii_lowercase)
            .filter(|s| !s.is_empty());
        c.key_name = parts.next().map(str::to_owned);
        if let Some(k) = c.key_name.clone() {
            let p = member(raw, "name").map_or_else(|| base.clone(), |(k, _)| ptr(&base, k));
            c.set("/name", &p, Value::String(k));
        }
        if existing {
            for m in ["/kty", "/keyOps", "/enabled", "/exp", "/nbf"] {
                c.map(m, &base);
            }
            return c;
        }
        self.put(&mut c, i, &["properties", "kty"], "/kty");
        self.put(&mut c, i, &["properties", "keySize"], "/keySize");
        self.put(&mut c, i, &["properties", "keyOps"], "/keyOps");
        let unresolved = |c: &Component, m: &str| c.unresolved.iter().any(|u| u.model == m);
        if !self.put(
            &mut c,
            i,
            &["properties", "attributes", "enabled"],
            "/enabled",
        ) && !unresolved(&c, "/enabled")
        {
            let p = c
                .map
                .iter()
                .find(|(m, _)| m == "/enabled")
                .map(|(_, d)| d.clone())
                .unwrap_or_default();
            c.set("/enabled", &p, Value::Bool(true));
        }
        for (attr, model) in [("exp", "/exp"), ("nbf", "/nbf")] {
            if !self.put(&mut c, i, &["properties", "attributes", attr], model)
                && !unresolved(&c, model)
            {
                // Not set in the template: the key has none.
                let p = c
                    .map
                    .iter()
                    .find(|(m, _)| m == model)
                    .map(|(_, d)| d.clone())
                    .unwrap_or_default();
                c.set(model, &p, Value::Null);
            }
        }
        c
    }

    fn identity(&mut self, mut c: Component) -> Component {
        let base = c.pointer.clone();
        if let Some(id) = c.id.clone() {
            c.set("/id", &base, Value::String(id.clone()));
            let shown = self.display_ref(&id);
            let principal = self.symbols.get(
                Sym::Guid,
                &format!("principal:{id}"),
                &format!("{{reference('{shown}').principalId}}"),
                "<identity-principal-id>",
            );
            c.set("/principalId", &base, Value::String(principal.clone()));
            c.principal = Some(principal);
        }
        c
    }

    fn role(&mut self, i: usize, mut c: Component) -> Component {
        let Some((raw, base, t, rtype, name)) = self.resources.get(i).map(|x| {
            (
                x.raw,
                x.ptr.clone(),
                x.template,
                x.rtype.to_ascii_lowercase(),
                x.name.clone(),
            )
        }) else {
            return c;
        };
        self.put(&mut c, i, &["properties", "principalId"], "/principalId");
        self.put(
            &mut c,
            i,
            &["properties", "roleDefinitionId"],
            "/roleDefinitionId",
        );
        let (sub, rg) = self
            .template(t)
            .map(|tp| (tp.sub.clone(), tp.rg.clone()))
            .unwrap_or_default();
        let rg_scope = format!("/subscriptions/{sub}/resourceGroups/{rg}");
        if rtype.contains("/providers/") {
            // `vault/Microsoft.Authorization/{guid}` on `Microsoft.KeyVault/vaults/providers/roleAssignments`.
            if let Ok(n) = &name {
                let segs: Vec<&str> = n.split('/').collect();
                let scope = if rtype.starts_with("microsoft.keyvault/vaults/keys/") {
                    segs.get(..2).map(|s| {
                        format!(
                            "{rg_scope}/providers/Microsoft.KeyVault/vaults/{}/keys/{}",
                            s.first().unwrap_or(&""),
                            s.get(1).unwrap_or(&"")
                        )
                    })
                } else {
                    segs.first()
                        .map(|v| format!("{rg_scope}/providers/Microsoft.KeyVault/vaults/{v}"))
                };
                if let Some(s) = scope {
                    let p =
                        member(raw, "name").map_or_else(|| base.clone(), |(k, _)| ptr(&base, k));
                    c.set("/scope", &p, Value::String(s));
                }
            }
        } else {
            match self.look(raw, &base, &["scope"], t) {
                Look::Val(Value::String(s), p) => {
                    let full = if s.starts_with('/') {
                        s
                    } else {
                        // A relative resource (`Microsoft.KeyVault/vaults/kv`) in the deployment's resource group.
                        let segs: Vec<&str> = s.split('/').collect();
                        match segs.as_slice() {
                            [ns, rest @ ..] if !rest.is_empty() => {
                                format!("{rg_scope}/providers/{ns}/{}", rest.join("/"))
                            }
                            _ => s,
                        }
                    };
                    c.set("/scope", &p, Value::String(full));
                }
                Look::Val(other, p) => c.set("/scope", &p, other),
                Look::Absent(_) => c.set("/scope", &base, Value::String(rg_scope)),
                Look::Unres(e, r, p) => c.unresolved("/scope", &p, &e, &r),
            }
        }
        c.principal = c.get_str("/principalId").map(str::to_owned);
        c.scope = c.get_str("/scope").map(str::to_owned);
        c
    }
}

enum Look {
    Val(Value, String),
    Absent(String),
    Unres(String, String, String),
}

/// The first expression string inside a value (for messages).
fn first_expression(v: &Value) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval_in(template: &Value, params: Option<&Value>, expression: &str) -> (V, Symbols) {
        let mut symbols = Symbols::default();
        let v = {
            let root = template.as_object().unwrap();
            let mut arm = Arm {
                templates: Vec::new(),
                resources: Vec::new(),
                symbols: &mut symbols,
                cloud: None,
                depth: 0,
                budget: BUDGET,
                memo: std::collections::BTreeMap::new(),
            };
            let given = params
                .and_then(|p| p.get("parameters"))
                .and_then(Value::as_object);
            let mut ps = Vec::new();
            for (name, def) in root
                .get("parameters")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let p = match given.and_then(|g| g.get(name)).and_then(|v| v.get("value")) {
                    Some(v) => Param::Given(V::literal(v)),
                    None => def
                        .get("defaultValue")
                        .map_or(Param::Missing, Param::Default),
                };
                ps.push((name.to_ascii_lowercase(), p));
            }
            arm.templates.push(Template {
                params: ps,
                vars: root.get("variables").and_then(Value::as_object),
                sub: "SUB".into(),
                rg: "RG".into(),
                scope_of: 0,
                outputs: None,
                deployment_id: None,
            });
            arm.eval_str(expression, 0)
        };
        (v, symbols)
    }

    #[test]
    fn evaluates_template_functions() {
        let t = json!({
            "parameters": {"name": {"type": "string", "defaultValue": "kv"}, "n": {"type": "int"}},
            "variables": {"key": "[concat(parameters('name'), '-', 'cmk')]", "obj": {"a": ["x", "y"]}}
        });
        let s = |e: &str| eval_in(&t, None, e).0;
        assert_eq!(s("[variables('key')]"), V::Str("kv-cmk".into()));
        assert_eq!(s("[variables('obj').a[1]]"), V::Str("y".into()));
        assert_eq!(s("[format('{0}/{1}', 'a', 2)]"), V::Str("a/2".into()));
        assert_eq!(s("[toLower('AbC')]"), V::Str("abc".into()));
        assert_eq!(
            s("[[not an expression]"),
            V::Str("[not an expression]".into())
        );
        assert_eq!(s("['it''s']"), V::Str("it's".into()));
        assert_eq!(
            s("[resourceId('Microsoft.KeyVault/vaults/keys', 'kv', 'cmk')]"),
            V::Str("/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/kv/keys/cmk".into())
        );
        assert_eq!(
            s("[resourceId('other-rg', 'Microsoft.KeyVault/vaults', 'kv')]"),
            V::Str(
                "/subscriptions/SUB/resourceGroups/other-rg/providers/Microsoft.KeyVault/vaults/kv"
                    .into()
            )
        );
        assert_eq!(
            s("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'g')]"),
            V::Str("/subscriptions/SUB/providers/Microsoft.Authorization/roleDefinitions/g".into())
        );
        assert_eq!(s("[if(equals(1, 1), 'a', 'b')]"), V::Str("a".into()));
        assert_eq!(s("[last(split('a/b/c', '/'))]"), V::Str("c".into()));
        assert!(matches!(s("[parameters('n')]"), V::Unres(_)));
        assert!(matches!(s("[utcNow()]"), V::Unres(_)));
        assert!(matches!(s("[listKeys('x', '1').keys]"), V::Unres(_)));
        assert!(matches!(s("[concat('a']"), V::Unres(_)));
        assert_eq!(s("[concat('a'"), V::Str("[concat('a'".into()));
        let (v, symbols) = eval_in(&t, None, "[uniqueString(resourceGroup().id)]");
        let V::Str(raw) = v else { panic!() };
        assert_eq!(symbols.display(&raw), "{uniqueString(resourceGroup().id)}");
        // A parameters file wins over the default.
        let p = json!({"parameters": {"name": {"value": "other"}}});
        assert_eq!(
            eval_in(&t, Some(&p), "[parameters('name')]").0,
            V::Str("other".into())
        );
    }

    #[test]
    fn reads_module_outputs_and_child_resources() {
        let doc = json!({
            "contentVersion": "1.0.0.0",
            "resources": [
                {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv", "location": "eastus",
                 "properties": {}, "resources": [{"type": "keys", "name": "cmk", "properties": {"kty": "RSA"}}]},
                {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "mod",
                 "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental",
                   "parameters": {"kv": {"value": "kv"}},
                   "template": {"contentVersion": "1.0.0.0", "parameters": {"kv": {"type": "string"}},
                     "resources": [], "outputs": {"url": {"type": "string",
                       "value": "[reference(resourceId('Microsoft.KeyVault/vaults/keys', parameters('kv'), 'cmk'), '2023-07-01').keyUri]"}}}}},
                {"type": "Microsoft.Cache/redisEnterprise", "apiVersion": "2025-07-01", "name": "c", "location": "eastus",
                 "sku": {"name": "Balanced_B1"},
                 "properties": {"encryption": {"customerManagedKeyEncryption": {
                   "keyEncryptionKeyUrl": "[reference(resourceId('Microsoft.Resources/deployments', 'mod')).outputs.url.value]"}}}}
            ]
        });
        let mut symbols = Symbols::default();
        let b = read(&doc, None, &mut symbols).unwrap();
        let key = b.components.iter().find(|c| c.kind == Kind::Key).unwrap();
        assert_eq!(key.vault_name.as_deref(), Some("kv"));
        assert_eq!(key.key_name.as_deref(), Some("cmk"));
        assert_eq!(key.pointer, "/resources/0/resources/0");
        let cache = b.components.iter().find(|c| c.kind == Kind::Cache).unwrap();
        assert_eq!(
            cache.get_str("/encryption/customerManagedKeyEncryption/keyEncryptionKeyUrl"),
            Some("https://kv.vault.azure.net/keys/cmk")
        );
        let vault = b.components.iter().find(|c| c.kind == Kind::Vault).unwrap();
        assert_eq!(
            vault.get("/enablePurgeProtection"),
            Some(&Value::Bool(false))
        );
        assert_eq!(vault.get_str("/networkAcls/defaultAction"), Some("Allow"));
        assert_eq!(vault.get_str("/apiVersion"), Some("2023-07-01"));
    }
}
