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

mod collections;
mod eval;
mod functions;
mod lambdas;
mod look;
mod mappers;
mod scope_free;
mod walk;

use serde_json::{Map, Value};

use super::bundle::Bundle;
use super::symbols::{Kind as Sym, Symbols};
use crate::error::InputError;
use crate::input::MAX_ITEMS;
use eval::{Arm, V};
use walk::collect;

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
    /// What makes the whole resource uncertain (its `condition` or its copy `count` not known, a count above
    /// ARM's limit): the pointer, the expression and the reason.
    issues: Vec<(String, String, String)>,
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
    /// The user-defined functions (`functions`: namespaces with members).
    functions: Option<&'a Value>,
    /// One instance of a resource copy loop: the loop's name and this instance's index (or why it is unknown).
    copy: Option<(String, Result<i64, String>)>,
}

/// An object's member by case-insensitive name (ARM property names are case-insensitive), with its spelling.
pub(crate) fn member<'v>(m: &'v Map<String, Value>, name: &str) -> Option<(&'v String, &'v Value)> {
    m.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))
}

/// A template's declared parameters (lower-case names) with their values: `given(name, value)` reads one that
/// `passed` holds (a parameters file, or what a nested deployment passes); else the default, if any.
fn declare<'a>(
    template: &'a Map<String, Value>,
    defs: Option<&'a Map<String, Value>>,
    passed: Option<&'a Map<String, Value>>,
    given: impl Fn(&str, &'a Value) -> Param<'a>,
) -> Vec<(String, Param<'a>)> {
    let mut params = Vec::new();
    for (name, def) in defs.into_iter().flatten() {
        let p = match passed.and_then(|g| member(g, name)) {
            Some((_, v)) => given(name, v),
            None => match def.get("defaultValue") {
                Some(d) => Param::Default(d),
                // A nullable parameter left out is null (user-defined types, `param x string?` in Bicep).
                None if nullable(def, template) => Param::Given(V::Null),
                None => Param::Missing,
            },
        };
        params.push((name.to_ascii_lowercase(), p));
    }
    params
}

/// Whether a parameter (or the user-defined type its `$ref` names in the template's `definitions`, followed a few
/// steps) is `nullable`.
fn nullable(def: &Value, template: &Map<String, Value>) -> bool {
    let mut cur = def;
    for _ in 0..8 {
        if cur.get("nullable") == Some(&Value::Bool(true)) {
            return true;
        }
        let Some(name) = cur
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"))
        else {
            return false;
        };
        match template.get("definitions").and_then(|d| d.get(name)) {
            Some(next) => cur = next,
            None => return false,
        }
    }
    false
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
            root,
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
        functions: root.get("functions"),
        copy: None,
    }
}

/// An expression ARM leaves unevaluated in what it prints before deployment (what-if's `after`:
/// `[reference('/subscriptions/.../userAssignedIdentities/id', '2023-01-31').principalId]`), given as in a
/// template: a stand-in for what the deployment decides, or `Err(reason)` when it stays unknown.
pub(crate) fn runtime_value(text: &str, symbols: &mut Symbols) -> Result<Value, String> {
    let empty = Map::new();
    let (sub, rg) = (
        symbols.get(
            Sym::Guid,
            "arm:subscription",
            "{subscription().subscriptionId}",
            "<subscription-id>",
        ),
        symbols.get(
            Sym::ResourceGroup,
            "arm:resourceGroup",
            "{resourceGroup().name}",
            "<resource-group>",
        ),
    );
    let mut arm = Arm::new(symbols);
    arm.templates.push(root_template(&empty, None, sub, rg));
    arm.eval_str(text, 0).to_json()
}

/// The stand-in for the principal of the user-assigned identity `id` (the same one `reference(id).principalId`
/// gives), for an identity whose principal exists only once it is created.
pub(crate) fn principal_stand_in(id: &str, symbols: &mut Symbols) -> String {
    Arm::new(symbols).identity_guid(id, "principalid")
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

/// Splits an ARM resource ID into its full type and names.
pub(crate) fn parse_id(id: &str) -> Option<(String, Vec<String>)> {
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
        // A resource in another subscription or resource group (an `existing` one, mostly).
        let (mut sub, mut rg) = self.sub_and_rg(t);
        if !rtype.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
            for (field, slot) in [("subscriptionId", &mut sub), ("resourceGroup", &mut rg)] {
                if let Some((_, v)) = member(raw, field) {
                    if let V::Str(s) = self.eval_value(v, t) {
                        *slot = s;
                    }
                }
            }
        }
        let id = match (&name, self.templates.get(t)) {
            (Ok(n), Some(_)) => {
                let prefix = format!("/subscriptions/{sub}/resourceGroups/{rg}");
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
                       "value": "[reference(resourceId('Microsoft.KeyVault/vaults/keys', parameters('kv'), 'cmk'), '2023-07-01').keyUri]"},
                       "urls": {"type": "array", "copy": {"count": 2,
                         "input": "[format('{0}-{1}', parameters('kv'), copyIndex())]"}}}}}},
                {"type": "Microsoft.Cache/redisEnterprise", "apiVersion": "2025-07-01", "name": "c", "location": "eastus",
                 "sku": {"name": "Balanced_B1"},
                 "properties": {"encryption": {"customerManagedKeyEncryption": {
                   "keyEncryptionKeyUrl": "[reference(resourceId('Microsoft.Resources/deployments', 'mod')).outputs.url.value]"}}}}
            ]
        });
        let mut symbols = Symbols::default();
        let b = read(&doc, None, &mut symbols).unwrap();
        let mut symbols2 = Symbols::default();
        let mut arm = Arm::new(&mut symbols2);
        let root = doc.as_object().unwrap();
        arm.templates
            .push(root_template(root, None, "S".into(), "R".into()));
        let mut raws = Vec::new();
        collect(root, "", 0, None, &mut raws, &mut arm, 0).unwrap();
        arm.resources.extend(raws);
        for i in 0..arm.resources.len() {
            let (name, id) = arm.name_and_id(i);
            arm.resources[i].name = name;
            arm.resources[i].id = id;
        }
        assert_eq!(
            arm.eval_str("[reference(resourceId('Microsoft.Resources/deployments', 'mod')).outputs.urls.value]", 0),
            V::Arr(vec![V::Str("kv-0".into()), V::Str("kv-1".into())])
        );
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
