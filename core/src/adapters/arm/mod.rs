//! ARM templates and Bicep compiled to JSON: `resources` as an array (also nested child `resources`) or, in
//! `languageVersion` 2.0 templates, an object keyed by symbolic name; inline nested deployments
//! (`Microsoft.Resources/deployments`, what Bicep modules compile to) are read with their parameters.
//!
//! Template expressions are evaluated where the template decides them (`parameters`, `variables`, `concat`,
//! `format`, `resourceId`, ...) and given symbolically where only the deployment decides them (the
//! subscription, `uniqueString(...)`, a new identity's principal, a new key's version), so the cache still joins
//! its identity, key, vault and role assignments. Anything else stays unknown: the field is left out and
//! reported. A resource that is absent from the template gets ARM's defaults for the properties it omits.
//!
//! The reader is in layers, a file each:
//! - this one, the template walk: the resources (child `resources`, nested deployments, symbolic names), the
//!   parameters (a parameters file, defaults, the values a nested deployment passes), variables, resource
//!   names and IDs, and `read`, the entry point;
//! - `eval.rs`, the evaluator: the `Arm` context, the values expressions evaluate to, evaluation with its
//!   depth, budget and size limits, parameters and variables, and the properties of `reference(...)`;
//! - `functions.rs`, the ARM template function library: the call, the lazy functions and those that need the
//!   template (`parameters`, `resourceId`, `reference`, `uniqueString`, ...); `scope_free.rs`, the functions
//!   that need only their arguments (`concat`, `format`, `equals`, `json`, `union`, ...);
//! - `look.rs`, looking a resource's properties up through expressions and putting them into a component;
//! - `mappers.rs`, the resource mappers: the cache, vaults and Managed HSMs, keys, user-assigned identities,
//!   role assignments and access policies onto the input model, with ARM's defaults.
//!
//! The expression parser stays in `adapters/expr.rs`: `fixpatch.rs` parses expressions too, without the
//! evaluator.

mod eval;
mod functions;
mod look;
mod mappers;
mod scope_free;

use serde_json::{Map, Value};

use super::bundle::Bundle;
use super::symbols::{Kind as Sym, Symbols};
use crate::error::InputError;
use crate::input::MAX_ITEMS;
use crate::pointer::child;
use eval::{Arm, V};

/// A template parameter's value.
enum Param<'a> {
    /// From a parameters file (or unknown: a Key Vault reference).
    Given(V),
    /// A nested deployment's parameter: evaluated in the calling template when used.
    Outer(&'a Value, usize),
    /// The declared default, evaluated in the template when used.
    Default(&'a Value),
    Missing,
}

/// A resource of the document (of any template in it).
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

/// The root template or a nested deployment's.
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

/// An object's member by case-insensitive name (ARM property names are case-insensitive), with its spelling.
pub(crate) fn member<'v>(m: &'v Map<String, Value>, name: &str) -> Option<(&'v String, &'v Value)> {
    m.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))
}

/// A template's declared parameters (lower-case names) with their values: `given(name, value)` reads one that
/// `passed` holds (a parameters file, or what a nested deployment passes); else the default, if any.
fn declare<'a>(
    defs: Option<&'a Map<String, Value>>,
    passed: Option<&'a Map<String, Value>>,
    given: impl Fn(&str, &'a Value) -> Param<'a>,
) -> Vec<(String, Param<'a>)> {
    let mut params = Vec::new();
    for (name, def) in defs.into_iter().flatten() {
        let p = match passed.and_then(|g| member(g, name)) {
            Some((_, v)) => given(name, v),
            None => def
                .get("defaultValue")
                .map_or(Param::Missing, Param::Default),
        };
        params.push((name.to_ascii_lowercase(), p));
    }
    params
}

/// A parameter's entry in a parameters file: `{"value": ...}`, a Key Vault `{"reference": ...}`, or (leniently)
/// the value itself.
fn from_file<'a>(name: &str, v: &'a Value) -> Param<'a> {
    match v.get("value") {
        Some(value) => Param::Given(V::literal(value)),
        None if v.get("reference").is_some() => Param::Given(V::Unres(format!(
            "parameter '{name}' is a Key Vault reference, read only at deployment"
        ))),
        None => Param::Given(V::literal(v)),
    }
}

/// The root template: its parameters (from the parameters file `given`, else their defaults), variables and
/// outputs, deployed to `sub` and `rg`.
fn root_template<'a>(
    root: &'a Map<String, Value>,
    given: Option<&'a Map<String, Value>>,
    sub: String,
    rg: String,
) -> Template<'a> {
    Template {
        params: declare(
            root.get("parameters").and_then(Value::as_object),
            given,
            from_file,
        ),
        vars: root.get("variables").and_then(Value::as_object),
        sub,
        rg,
        scope_of: 0,
        outputs: root.get("outputs").and_then(Value::as_object),
        deployment_id: None,
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
    let mut arm = Arm::new(symbols);
    arm.templates.push(root_template(root, given, sub, rg));
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
    arm.resources.extend(raws);
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
    let list_ptr = child(base, key);
    let items: Vec<(String, Option<String>, &'a Value)> = match resources {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{list_ptr}/{i}"), None, v))
            .collect(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| (child(&list_ptr, k), Some(k.clone()), v))
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
            let props_ptr = child(
                &p,
                member(raw, "properties").map_or("properties", |(k, _)| k.as_str()),
            );
            let inner_ptr = child(&props_ptr, tkey);
            let inner_scope = props
                .and_then(|m| member(m, "expressionEvaluationOptions"))
                .and_then(|(_, o)| o.get("scope"))
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
            // Parameters and the target resource group, evaluated in the calling template.
            let params = if inner_scope {
                let passed = props
                    .and_then(|m| member(m, "parameters"))
                    .and_then(|(_, v)| v.as_object());
                declare(
                    inner.get("parameters").and_then(Value::as_object),
                    passed,
                    |name, v| match v.get("value") {
                        Some(value) => Param::Outer(value, template),
                        None => Param::Given(V::Unres(format!(
                            "parameter '{name}' of a nested deployment is a Key Vault reference"
                        ))),
                    },
                )
            } else {
                Vec::new()
            };
            let (parent_sub, parent_rg) = arm.sub_and_rg(template);
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

impl Arm<'_, '_> {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::bundle::Kind;
    use serde_json::json;

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
