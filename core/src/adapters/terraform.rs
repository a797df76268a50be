//! Terraform plans and states from `terraform show -json`, with the azurerm resources `azurerm_managed_redis`,
//! `azurerm_key_vault`, `azurerm_key_vault_key`, `azurerm_user_assigned_identity`, `azurerm_role_assignment`
//! and `azurerm_key_vault_access_policy` (data sources from the prior state too).
//!
//! Values known only after apply (a new identity's ID and principal, a new key's versioned ID) are followed
//! through the configuration's references (`azurerm_key_vault_key.main.id`) and given symbolically, so the cache
//! still joins its identity, key and vault; a value that cannot be followed is left out and reported.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::bundle::{Bundle, Component, Kind};
use super::symbols::{Kind as Sym, Symbols};
use crate::error::InputError;
use crate::input::MAX_RESOURCES;
use crate::key_uri::{Cloud, VaultKind};
use crate::pointer::child;

/// One resource instance as the mapping reads it: what a plan's `resource_changes` entry (or a state's resource)
/// holds, and what the HCL reader (`hcl/`) produces from a configuration evaluated at plan time.
pub(crate) struct Res<'a> {
    /// Its address (`module.m.azurerm_key_vault.main["a"]`).
    pub address: String,
    /// Address without the instance key, relative to its module.
    pub config_address: String,
    /// The module's address (`module.m`, "" for the root module).
    pub module: String,
    /// Resource type (`azurerm_key_vault`).
    pub rtype: String,
    /// `managed` or `data`.
    pub mode: String,
    /// Attribute values (`change.after`).
    pub values: &'a Map<String, Value>,
    /// Which values are known only after apply (`change.after_unknown`).
    pub unknown: Option<&'a Value>,
    /// The values before the change (`change.before`).
    pub before: Option<&'a Value>,
    /// The change's actions (`create`, `update`, ...).
    pub actions: Vec<String>,
    /// JSON Pointer of its values in the document.
    pub ptr: String,
    /// A data source read from its configuration only: every attribute not configured is unknown (no provider
    /// defaults apply).
    pub opaque: bool,
}

/// Configuration expressions of one resource, as a plan's `configuration` holds them: (module address, resource
/// address in its module, `expressions`).
pub(crate) type ConfigExprs<'a> = Vec<(String, String, &'a Map<String, Value>)>;

impl Res<'_> {
    fn created(&self) -> bool {
        self.actions.iter().any(|a| a == "create")
    }
}

enum Got<'a> {
    Known(&'a Value, String),
    Unknown(String),
    Absent(String),
}

fn walk<'a>(v: Option<&'a Value>, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v?;
    for p in path {
        cur = match cur {
            Value::Object(m) => m.get(*p)?,
            Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

impl<'a> Res<'a> {
    fn attr(&self, path: &[&str]) -> Got<'a> {
        let p = path.iter().fold(self.ptr.clone(), |acc, t| child(&acc, t));
        let values = self.values;
        let v = match path.split_first() {
            Some((first, rest)) => walk(values.get(*first), rest),
            None => None,
        };
        match v {
            Some(Value::Null) | None => {
                if self.opaque || walk(self.unknown, path).is_some_and(|u| u == &Value::Bool(true))
                {
                    Got::Unknown(p)
                } else {
                    Got::Absent(p)
                }
            }
            Some(v) => Got::Known(v, p),
        }
    }

    fn str_attr(&self, name: &str) -> Option<&'a str> {
        self.values.get(name).and_then(Value::as_str)
    }
}

/// A string member of a plan object, or "" when it is absent or not a string.
fn text_of(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

/// The pointer of the first instance of a nested block (`identity { ... }` is `identity/0`), when it is set.
fn first_block(r: &Res, name: &str) -> Option<String> {
    r.values
        .get(name)
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .map(|_| format!("{}/0", child(&r.ptr, name)))
}

struct Ctx<'a> {
    res: Vec<Res<'a>>,
    config: ConfigExprs<'a>,
    cloud: Option<Cloud>,
    /// (module, address in it) → index in `config` (the first).
    config_at: HashMap<(String, String), usize>,
    /// Full address → index in `res`; (module, address without instance key) → the first instance.
    res_at: HashMap<String, usize>,
    res_first: HashMap<(String, String), usize>,
}

fn collect_module<'a>(
    module: &'a Value,
    base: &str,
    mode_filter: Option<&str>,
    out: &mut Vec<Res<'a>>,
) {
    if let Some(list) = module.get("resources").and_then(Value::as_array) {
        for (i, r) in list.iter().enumerate() {
            let mode = r.get("mode").and_then(Value::as_str).unwrap_or("managed");
            if mode_filter.is_some_and(|m| m != mode) {
                continue;
            }
            let Some(values) = r.get("values").and_then(Value::as_object) else {
                continue;
            };
            let address = text_of(r, "address");
            let module_address = text_of(module, "address");
            out.push(Res {
                config_address: config_address(&address, &module_address),
                module: module_address,
                address,
                rtype: text_of(r, "type"),
                mode: mode.to_owned(),
                values,
                unknown: None,
                before: None,
                actions: Vec::new(),
                ptr: format!("{base}/resources/{i}/values"),
                opaque: false,
            });
        }
    }
    if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
        for (i, c) in children.iter().enumerate() {
            collect_module(c, &format!("{base}/child_modules/{i}"), mode_filter, out);
        }
    }
}

/// `module.a.azurerm_x.main["k"]` in module `module.a` → `azurerm_x.main["k"]`.
pub(crate) fn relative_address<'s>(address: &'s str, module: &str) -> &'s str {
    if module.is_empty() {
        address
    } else {
        address
            .strip_prefix(module)
            .and_then(|r| r.strip_prefix('.'))
            .unwrap_or(address)
    }
}

/// `module.a.azurerm_x.main["k"]` in module `module.a` → `azurerm_x.main`.
fn config_address(address: &str, module: &str) -> String {
    let rel = relative_address(address, module);
    match rel.find('[') {
        Some(i) => rel.get(..i).unwrap_or(rel).to_owned(),
        None => rel.to_owned(),
    }
}

fn collect_config<'a>(
    module: &'a Value,
    prefix: &str,
    out: &mut Vec<(String, String, &'a Map<String, Value>)>,
) {
    if let Some(list) = module.get("resources").and_then(Value::as_array) {
        for r in list {
            if let (Some(a), Some(e)) = (
                r.get("address").and_then(Value::as_str),
                r.get("expressions").and_then(Value::as_object),
            ) {
                out.push((prefix.to_owned(), a.to_owned(), e));
            }
        }
    }
    if let Some(calls) = module.get("module_calls").and_then(Value::as_object) {
        for (name, call) in calls {
            if let Some(m) = call.get("module") {
                let p = if prefix.is_empty() {
                    format!("module.{name}")
                } else {
                    format!("{prefix}.module.{name}")
                };
                collect_config(m, &p, out);
            }
        }
    }
}

/// Reads a plan (`resource_changes`, else `planned_values`) or a state (`values`).
pub(crate) fn read(doc: &Value, symbols: &mut Symbols) -> Result<Bundle, InputError> {
    let mut res: Vec<Res> = Vec::new();
    let mut bundle = Bundle::default();
    if let Some(changes) = doc.get("resource_changes").and_then(Value::as_array) {
        bundle.container = "/resource_changes".into();
        for (i, r) in changes.iter().enumerate() {
            let change = r.get("change");
            let Some(after) = change
                .and_then(|c| c.get("after"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let address = text_of(r, "address");
            let module = text_of(r, "module_address");
            res.push(Res {
                config_address: config_address(&address, &module),
                module,
                address,
                rtype: text_of(r, "type"),
                mode: r
                    .get("mode")
                    .and_then(Value::as_str)
                    .unwrap_or("managed")
                    .to_owned(),
                values: after,
                unknown: change.and_then(|c| c.get("after_unknown")),
                before: change.and_then(|c| c.get("before")),
                actions: change
                    .and_then(|c| c.get("actions"))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
                ptr: format!("/resource_changes/{i}/change/after"),
                opaque: false,
            });
        }
        if let Some(prior) = doc.pointer("/prior_state/values/root_module") {
            collect_module(
                prior,
                "/prior_state/values/root_module",
                Some("data"),
                &mut res,
            );
        }
    } else if let Some(root) = doc.pointer("/planned_values/root_module") {
        bundle.container = "/planned_values/root_module/resources".into();
        collect_module(root, "/planned_values/root_module", None, &mut res);
    } else if let Some(root) = doc.pointer("/values/root_module") {
        bundle.container = "/values/root_module/resources".into();
        collect_module(root, "/values/root_module", None, &mut res);
    }
    if res.len() > MAX_RESOURCES {
        return Err(InputError::TooManyItems {
            path: bundle.container.clone(),
            len: res.len(),
            max: MAX_RESOURCES,
        });
    }
    let mut config = Vec::new();
    if let Some(root) = doc.pointer("/configuration/root_module") {
        collect_config(root, "", &mut config);
    }
    let env = doc
        .pointer("/configuration/provider_config/azurerm/expressions/environment/constant_value")
        .and_then(Value::as_str);
    map_resources(res, config, env, &mut bundle, symbols);
    Ok(bundle)
}

/// The cloud named by the provider's `environment` (`public`, `usgovernment`, `china`), else the cloud of the
/// first cache's region.
fn cloud_of(env: Option<&str>, res: &[Res]) -> Option<Cloud> {
    let cloud = env.and_then(|e| match e.to_ascii_lowercase().as_str() {
        "public" => Some(Cloud::Public),
        "usgovernment" => Some(Cloud::Usgov),
        "china" => Some(Cloud::China),
        _ => None,
    });
    cloud.or_else(|| {
        res.iter()
            .filter(|r| r.rtype == "azurerm_managed_redis")
            .find_map(|r| r.str_attr("location"))
            .map(crate::location::cloud_of_location)
    })
}

/// Maps resource instances (from a plan, a state or an evaluated configuration) onto components: the one
/// mapping of the azurerm resources, shared by the plan reader and the HCL reader. `env` is the provider's
/// `environment` when known.
pub(crate) fn map_resources(
    res: Vec<Res>,
    config: ConfigExprs,
    env: Option<&str>,
    bundle: &mut Bundle,
    symbols: &mut Symbols,
) {
    let cloud = cloud_of(env, &res);
    let mut config_at = HashMap::new();
    for (i, (m, a, _)) in config.iter().enumerate() {
        config_at.entry((m.clone(), a.clone())).or_insert(i);
    }
    let mut res_at = HashMap::new();
    let mut res_first = HashMap::new();
    for (i, r) in res.iter().enumerate() {
        res_at.entry(r.address.clone()).or_insert(i);
        res_first
            .entry((r.module.clone(), r.config_address.clone()))
            .or_insert(i);
    }
    let ctx = Ctx {
        res,
        config,
        cloud,
        config_at,
        res_at,
        res_first,
    };
    for r in &ctx.res {
        let c = match r.rtype.as_str() {
            "azurerm_managed_redis" if r.mode == "managed" => Some(cache(&ctx, r, symbols)),
            "azurerm_key_vault" | "azurerm_key_vault_managed_hardware_security_module" => {
                Some(vault(&ctx, r, symbols))
            }
            "azurerm_key_vault_key" => Some(key(&ctx, r, symbols)),
            "azurerm_user_assigned_identity" => Some(identity(&ctx, r, symbols)),
            "azurerm_role_assignment" if r.mode == "managed" => Some(role(&ctx, r, symbols)),
            "azurerm_key_vault_access_policy" if r.mode == "managed" => {
                Some(policy(&ctx, r, symbols))
            }
            other => {
                bundle.other_types.push(crate::input::truncate(other));
                None
            }
        };
        if let Some(c) = c {
            bundle.components.push(c);
        }
    }
}

const SUB_DISPLAY: &str = "{subscription_id}";

impl<'a> Ctx<'a> {
    /// The configuration expression of an attribute (`customer_managed_key.0.key_vault_key_id`).
    fn expression(&self, r: &Res, path: &[&str]) -> Option<&'a Value> {
        // This instance's expressions (a configuration's `for_each` instances differ), else the resource's.
        let relative = relative_address(&r.address, &r.module);
        let at = |a: &str| {
            self.config_at
                .get(&(r.module.clone(), a.to_owned()))
                .copied()
        };
        let i = at(relative).or_else(|| at(&r.config_address))?;
        let (_, _, exprs) = self.config.get(i)?;
        let (first, rest) = path.split_first()?;
        walk(exprs.get(*first), rest)
    }

    /// The one resource attribute an expression refers to (`azurerm_key_vault_key.main.id`), if it refers to
    /// exactly one.
    fn reference(&self, r: &Res, path: &[&str]) -> Option<String> {
        let refs = self.expression(r, path)?.get("references")?.as_array()?;
        let mut attrs: Vec<String> = refs
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| {
                let head = s.split('.').next().unwrap_or("");
                !matches!(
                    head,
                    "var" | "local" | "each" | "count" | "path" | "module" | "self" | "terraform"
                )
            })
            .filter(|s| {
                let n = s.split('.').count();
                if s.starts_with("data.") {
                    n == 4
                } else {
                    n == 3
                }
            })
            .map(str::to_owned)
            .collect();
        attrs.sort();
        attrs.dedup();
        match attrs.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    fn references_text(&self, r: &Res, path: &[&str]) -> String {
        self.expression(r, path)
            .and_then(|e| e.get("references"))
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(Value::as_str)
            .map_or_else(
                || format!("{}.{}", r.address, path.join(".")),
                str::to_owned,
            )
    }

    fn find(&self, from: &Res, address: &str) -> Option<&Res<'a>> {
        let full = if from.module.is_empty() {
            address.to_owned()
        } else {
            format!("{}.{address}", from.module)
        };
        let base = address.split('[').next().unwrap_or(address);
        let i = self.res_at.get(&full).copied().or_else(|| {
            self.res_first
                .get(&(from.module.clone(), base.to_owned()))
                .copied()
        })?;
        self.res.get(i)
    }

    fn suffix(&self) -> &'static str {
        self.cloud.unwrap_or(Cloud::Public).suffix(VaultKind::Vault)
    }

    /// The value of `attr` of the resource `target`: known, or derived symbolically.
    fn derive(
        &self,
        target: &Res,
        attr: &str,
        symbols: &mut Symbols,
        depth: usize,
    ) -> Option<String> {
        if depth > 8 {
            return None;
        }
        if let Some(v) = target.str_attr(attr) {
            return Some(v.to_owned());
        }
        let name = self.value(target, "name", symbols, depth + 1)?;
        let display = format!("{{{}.{attr}}}", target.address);
        match (target.rtype.as_str(), attr) {
            ("azurerm_user_assigned_identity", "principal_id" | "client_id" | "tenant_id") => {
                Some(symbols.get(
                    Sym::Guid,
                    &format!("{}.{attr}", target.address),
                    &display,
                    "<identity-principal-id>",
                ))
            }
            ("azurerm_resource_group", "id") => Some(format!(
                "/subscriptions/{}/resourceGroups/{name}",
                self.subscription(symbols)
            )),
            ("azurerm_user_assigned_identity", "id") => self.arm_id(
                target,
                "Microsoft.ManagedIdentity/userAssignedIdentities",
                &name,
                symbols,
                depth,
            ),
            ("azurerm_key_vault", "id") => {
                self.arm_id(target, "Microsoft.KeyVault/vaults", &name, symbols, depth)
            }
            ("azurerm_managed_redis", "id") => self.arm_id(
                target,
                "Microsoft.Cache/redisEnterprise",
                &name,
                symbols,
                depth,
            ),
            ("azurerm_key_vault", "vault_uri") => {
                Some(format!("https://{name}.{}/", self.suffix()))
            }
            (
                "azurerm_key_vault_key",
                "id" | "versionless_id" | "version" | "resource_id" | "resource_versionless_id",
            ) => {
                let version = symbols.get(
                    Sym::Version,
                    &format!("{}.version", target.address),
                    &format!("{{{}.version}}", target.address),
                    "<key-version>",
                );
                if attr == "version" {
                    return Some(version);
                }
                let vault_id = self.value(target, "key_vault_id", symbols, depth + 1)?;
                let vault_name = vault_name_of(&vault_id)?;
                let uri = format!("https://{vault_name}.{}/keys/{name}", self.suffix());
                Some(match attr {
                    "id" => format!("{uri}/{version}"),
                    "versionless_id" => uri,
                    "resource_id" => format!("{vault_id}/keys/{name}/versions/{version}"),
                    _ => format!("{vault_id}/keys/{name}"),
                })
            }
            _ => None,
        }
    }

    fn subscription(&self, symbols: &mut Symbols) -> String {
        symbols.get(
            Sym::Guid,
            "tf:subscription",
            SUB_DISPLAY,
            "<subscription-id>",
        )
    }

    fn arm_id(
        &self,
        r: &Res,
        provider: &str,
        name: &str,
        symbols: &mut Symbols,
        depth: usize,
    ) -> Option<String> {
        let rg = self.value(r, "resource_group_name", symbols, depth + 1)?;
        Some(format!(
            "/subscriptions/{}/resourceGroups/{rg}/providers/{provider}/{name}",
            self.subscription(symbols)
        ))
    }

    /// A top-level string attribute: known, or followed through its reference.
    fn value(&self, r: &Res, attr: &str, symbols: &mut Symbols, depth: usize) -> Option<String> {
        match r.attr(&[attr]) {
            Got::Known(v, _) => v.as_str().map(str::to_owned),
            Got::Unknown(_) | Got::Absent(_) => self.follow(r, &[attr], symbols, depth),
        }
    }

    fn follow(
        &self,
        r: &Res,
        path: &[&str],
        symbols: &mut Symbols,
        depth: usize,
    ) -> Option<String> {
        if depth > 8 {
            return None;
        }
        let reference = self.reference(r, path)?;
        let (addr, attr) = reference.rsplit_once('.')?;
        let target = self.find(r, addr)?;
        self.derive(target, attr, symbols, depth + 1)
    }

    /// Sets a string attribute into the model: known, followed, or unresolved.
    fn put(&self, c: &mut Component, r: &Res, path: &[&str], model: &str, symbols: &mut Symbols) {
        match r.attr(path) {
            Got::Known(v, p) => c.set(model, &p, v.clone()),
            Got::Unknown(p) => match self.follow(r, path, symbols, 0) {
                Some(s) => c.set(model, &p, Value::String(s)),
                None => {
                    let text = self.references_text(r, path);
                    let reason = if r.opaque || text.starts_with("data.") {
                        // A configuration read without a plan: data sources are not read.
                        "a data source reads it from Azure when Terraform plans, and this tool reads no Azure"
                    } else {
                        "Terraform knows it only after apply, and it is not a plain reference to a resource attribute this tool can follow"
                    };
                    c.unresolved(model, &p, &text, reason);
                }
            },
            Got::Absent(p) => c.map(model, &p),
        }
    }
}

fn vault_name_of(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let segs: Vec<&str> = lower.split('/').collect();
    let i = segs
        .iter()
        .position(|s| *s == "vaults" || *s == "managedhsms")?;
    segs.get(i + 1).map(|s| (*s).to_owned())
}

fn base(r: &Res, kind: Kind) -> Component {
    let mut c = Component::new(kind, &r.rtype, &r.ptr);
    c.address = Some(r.address.clone());
    c.name = r.str_attr("name").unwrap_or("").to_owned();
    c.managed = r.mode == "managed" && r.created();
    c
}

fn cache(ctx: &Ctx, r: &Res, symbols: &mut Symbols) -> Component {
    let mut c = base(r, Kind::Cache);
    c.id = ctx
        .value(r, "id", symbols, 0)
        .or_else(|| ctx.derive(r, "id", symbols, 0));
    ctx.put(&mut c, r, &["name"], "/cache/name", symbols);
    if let Some(id) = &c.id {
        c.set("/cache/id", &child(&r.ptr, "id"), Value::String(id.clone()));
    }
    ctx.put(&mut c, r, &["location"], "/cache/location", symbols);
    ctx.put(&mut c, r, &["sku_name"], "/cache/sku", symbols);
    if !r.actions.is_empty() {
        // Created (or replaced): a new cache; otherwise an update of the existing one.
        let existing = !r.created();
        c.set("/cache/existing", &r.ptr, Value::Bool(existing));
        if existing {
            let before_cmk = r
                .before
                .and_then(|b| b.get("customer_managed_key"))
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty());
            c.set(
                "/cache/currentKeySource",
                &r.ptr,
                Value::from(if before_cmk {
                    "customerManaged"
                } else {
                    "microsoftManaged"
                }),
            );
        }
    }
    // identity { type, identity_ids }
    let ident_ptr = child(&r.ptr, "identity");
    match first_block(r, "identity") {
        Some(block) => {
            c.map("/cache/identity", &block);
            ctx.put(
                &mut c,
                r,
                &["identity", "0", "type"],
                "/cache/identity/type",
                symbols,
            );
            let ids_ptr = format!("{ident_ptr}/0/identity_ids");
            let known: Vec<Value> = walk(r.values.get("identity"), &["0", "identity_ids"])
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let unknown_n = walk(r.unknown, &["identity", "0", "identity_ids"])
                .and_then(Value::as_array)
                .map_or(0, |a| a.iter().filter(|x| **x == Value::Bool(true)).count());
            let mut map = Map::new();
            for (i, id) in known.iter().enumerate() {
                if let Some(s) = id.as_str() {
                    map.insert(s.to_owned(), Value::Object(Map::new()));
                    c.map(
                        &child("/cache/identity/userAssignedIdentities", s),
                        &format!("{ids_ptr}/{i}"),
                    );
                }
            }
            if unknown_n > 0
                || (known.is_empty()
                    && walk(r.unknown, &["identity", "0", "identity_ids"]).is_some())
            {
                // Follow each identity reference, in order.
                let refs: Vec<String> = ctx
                    .expression(r, &["identity", "0", "identity_ids"])
                    .and_then(|e| e.get("references"))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .filter(|s| s.ends_with(".id") && s.split('.').count() == 3)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                let mut resolved_all = !refs.is_empty();
                for reference in &refs {
                    let got = reference
                        .rsplit_once('.')
                        .and_then(|(addr, attr)| ctx.find(r, addr).map(|t| (t, attr)))
                        .and_then(|(t, attr)| ctx.derive(t, attr, symbols, 0));
                    match got {
                        Some(id) => {
                            c.map(
                                &child("/cache/identity/userAssignedIdentities", &id),
                                &ids_ptr,
                            );
                            map.insert(id, Value::Object(Map::new()));
                        }
                        None => resolved_all = false,
                    }
                }
                if !resolved_all {
                    c.unresolved(
                        "/cache/identity/userAssignedIdentities",
                        &ids_ptr,
                        &ctx.references_text(r, &["identity", "0", "identity_ids"]),
                        "Terraform knows the identity IDs only after apply",
                    );
                }
            }
            if !map.is_empty() || c.unresolved.is_empty() {
                c.set(
                    "/cache/identity/userAssignedIdentities",
                    &ids_ptr,
                    Value::Object(map),
                );
            }
        }
        None => c.map("/cache/identity", &ident_ptr),
    }
    // customer_managed_key { key_vault_key_id, user_assigned_identity_id }
    const KEK: &str = "/encryption/customerManagedKeyEncryption";
    let cmk_ptr = child(&r.ptr, "customer_managed_key");
    let cmk_present = r
        .values
        .get("customer_managed_key")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
        || walk(r.unknown, &["customer_managed_key", "0"]).is_some();
    if cmk_present {
        c.set(
            "/encryption/keySource",
            &format!("{cmk_ptr}/0"),
            Value::from("customerManaged"),
        );
        c.map(KEK, &format!("{cmk_ptr}/0"));
        ctx.put(
            &mut c,
            r,
            &["customer_managed_key", "0", "key_vault_key_id"],
            &format!("{KEK}/keyEncryptionKeyUrl"),
            symbols,
        );
        // The provider always sends identityType userAssignedIdentity.
        c.set(
            &format!("{KEK}/keyEncryptionKeyIdentity/identityType"),
            &format!("{cmk_ptr}/0"),
            Value::from("userAssignedIdentity"),
        );
        ctx.put(
            &mut c,
            r,
            &["customer_managed_key", "0", "user_assigned_identity_id"],
            &format!("{KEK}/keyEncryptionKeyIdentity/userAssignedIdentityResourceId"),
            symbols,
        );
    } else {
        c.map("/encryption", &cmk_ptr);
    }
    c
}

fn vault(ctx: &Ctx, r: &Res, symbols: &mut Symbols) -> Component {
    let mut c = base(r, Kind::Vault);
    let hsm = r.rtype != "azurerm_key_vault";
    c.id = ctx
        .value(r, "id", symbols, 0)
        .or_else(|| ctx.derive(r, "id", symbols, 0));
    ctx.put(&mut c, r, &["name"], "/name", symbols);
    if let Some(id) = &c.id {
        c.set("/id", &child(&r.ptr, "id"), Value::String(id.clone()));
    }
    ctx.put(&mut c, r, &["location"], "/location", symbols);
    c.set(
        "/kind",
        &r.ptr,
        Value::from(if hsm { "managedHsm" } else { "vault" }),
    );
    // Soft delete cannot be turned off with azurerm 3.0 and later (`soft_delete_enabled` was removed).
    match r.attr(&["soft_delete_enabled"]) {
        Got::Known(v, p) => c.set("/enableSoftDelete", &p, v.clone()),
        // An existing vault read from its configuration only: not known.
        _ if r.opaque => c.map("/enableSoftDelete", &r.ptr),
        _ => c.set(
            "/enableSoftDelete",
            &child(&r.ptr, "soft_delete_retention_days"),
            Value::Bool(true),
        ),
    }
    ctx.put(
        &mut c,
        r,
        &["purge_protection_enabled"],
        "/enablePurgeProtection",
        symbols,
    );
    if hsm && c.get("/enablePurgeProtection").is_none() {
        c.set("/enablePurgeProtection", &r.ptr, Value::Bool(true));
    }
    let rbac = if r.values.contains_key("rbac_authorization_enabled") {
        "rbac_authorization_enabled"
    } else {
        "enable_rbac_authorization"
    };
    if !hsm {
        ctx.put(&mut c, r, &[rbac], "/enableRbacAuthorization", symbols);
    }
    match r.attr(&["public_network_access_enabled"]) {
        Got::Known(Value::Bool(b), p) => c.set(
            "/publicNetworkAccess",
            &p,
            Value::from(if *b { "Enabled" } else { "Disabled" }),
        ),
        Got::Known(_, p) | Got::Unknown(p) | Got::Absent(p) => c.map("/publicNetworkAccess", &p),
    }
    let acl_ptr = child(&r.ptr, "network_acls");
    match first_block(r, "network_acls") {
        Some(block) => {
            c.map("/networkAcls", &block);
            for (attr, model) in [
                ("bypass", "/networkAcls/bypass"),
                ("default_action", "/networkAcls/defaultAction"),
            ] {
                ctx.put(&mut c, r, &["network_acls", "0", attr], model, symbols);
            }
        }
        None if r.opaque => c.map("/networkAcls", &acl_ptr),
        None => c.set("/networkAcls/defaultAction", &acl_ptr, Value::from("Allow")),
    }
    if !hsm {
        let pol_ptr = child(&r.ptr, "access_policy");
        let list = r.values.get("access_policy").and_then(Value::as_array);
        if r.opaque && list.is_none() {
            c.map("/accessPolicies", &pol_ptr);
            return c;
        }
        let mut out = Vec::new();
        for i in 0..list.map_or(0, Vec::len) {
            let idx = i.to_string();
            let mut p = Component::new(Kind::Policy, &r.rtype, &format!("{pol_ptr}/{i}"));
            policy_fields(ctx, r, &["access_policy", &idx], &mut p, symbols);
            c.absorb(&format!("/accessPolicies/{i}"), &p);
            out.push(Value::Object(p.model));
        }
        c.set("/accessPolicies", &pol_ptr, Value::Array(out));
    }
    c
}

/// `object_id`, `tenant_id`, `application_id`, `key_permissions` of an access policy (block or resource) at `path`.
fn policy_fields(ctx: &Ctx, r: &Res, path: &[&str], p: &mut Component, symbols: &mut Symbols) {
    let with = |name: &'static str| -> Vec<&str> {
        let mut v: Vec<&str> = path.to_vec();
        v.push(name);
        v
    };
    ctx.put(p, r, &with("object_id"), "/objectId", symbols);
    ctx.put(p, r, &with("tenant_id"), "/tenantId", symbols);
    ctx.put(p, r, &with("application_id"), "/applicationId", symbols);
    match r.attr(&with("key_permissions")) {
        Got::Known(v, ptr) => p.set("/permissions/keys", &ptr, v.clone()),
        Got::Unknown(ptr) | Got::Absent(ptr) => {
            p.set("/permissions/keys", &ptr, Value::Array(Vec::new()))
        }
    }
    p.principal = p.get_str("/objectId").map(str::to_owned);
}

fn key(ctx: &Ctx, r: &Res, symbols: &mut Symbols) -> Component {
    let mut c = base(r, Kind::Key);
    ctx.put(&mut c, r, &["name"], "/name", symbols);
    c.key_name = c.get_str("/name").map(str::to_owned);
    c.vault_name = ctx
        .value(r, "key_vault_id", symbols, 0)
        .as_deref()
        .and_then(vault_name_of);
    c.key_version = r.str_attr("version").map(str::to_ascii_lowercase);
    ctx.put(&mut c, r, &["key_type"], "/kty", symbols);
    ctx.put(&mut c, r, &["key_size"], "/keySize", symbols);
    ctx.put(&mut c, r, &["key_opts"], "/keyOps", symbols);
    if r.created() {
        // A key Terraform creates is enabled (the resource has no `enabled` argument).
        c.set("/enabled", &r.ptr, Value::Bool(true));
    }
    for (attr, model) in [("expiration_date", "/exp"), ("not_before_date", "/nbf")] {
        match r.attr(&[attr]) {
            Got::Known(v, p) => c.set(model, &p, v.clone()),
            Got::Absent(p) if r.values.contains_key(attr) || r.created() => {
                c.set(model, &p, Value::Null)
            }
            Got::Absent(p) => c.map(model, &p),
            Got::Unknown(_) => ctx.put(&mut c, r, &[attr], model, symbols),
        }
    }
    c
}

fn identity(ctx: &Ctx, r: &Res, symbols: &mut Symbols) -> Component {
    let mut c = base(r, Kind::Identity);
    c.id = ctx
        .value(r, "id", symbols, 0)
        .or_else(|| ctx.derive(r, "id", symbols, 0));
    if let Some(id) = &c.id {
        c.set("/id", &child(&r.ptr, "id"), Value::String(id.clone()));
    }
    let principal = ctx.derive(r, "principal_id", symbols, 0);
    match (&principal, r.attr(&["principal_id"])) {
        (Some(p), Got::Known(_, at) | Got::Unknown(at) | Got::Absent(at)) => {
            c.set("/principalId", &at, Value::String(p.clone()));
        }
        (None, Got::Known(_, at) | Got::Unknown(at) | Got::Absent(at)) => {
            c.map("/principalId", &at)
        }
    }
    c.principal = principal;
    c
}

fn role(ctx: &Ctx, r: &Res, symbols: &mut Symbols) -> Component {
    let mut c = base(r, Kind::Role);
    ctx.put(&mut c, r, &["principal_id"], "/principalId", symbols);
    ctx.put(&mut c, r, &["scope"], "/scope", symbols);
    // One of the two is given; the provider computes the other, so an unknown one is no loss.
    let known = |attr: &str| matches!(r.attr(&[attr]), Got::Known(..));
    for (attr, model, other) in [
        (
            "role_definition_id",
            "/roleDefinitionId",
            "role_definition_name",
        ),
        (
            "role_definition_name",
            "/roleDefinitionName",
            "role_definition_id",
        ),
    ] {
        if known(attr) || !known(other) {
            ctx.put(&mut c, r, &[attr], model, symbols);
        } else {
            c.map(model, &child(&r.ptr, attr));
        }
    }
    c.principal = c.get_str("/principalId").map(str::to_owned);
    c.scope = c.get_str("/scope").map(str::to_owned);
    c
}

fn policy(ctx: &Ctx, r: &Res, symbols: &mut Symbols) -> Component {
    let mut c = base(r, Kind::Policy);
    policy_fields(ctx, r, &[], &mut c, symbols);
    c.vault_name = ctx
        .value(r, "key_vault_id", symbols, 0)
        .as_deref()
        .and_then(vault_name_of);
    c
}
