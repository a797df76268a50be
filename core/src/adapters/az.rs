//! `az` CLI output and Azure SDK `.as_dict()` dicts: resources as the REST API returns them, with properties
//! under `properties` or flattened to the top level, keys in camelCase (`az`) or snake_case (SDK).
//!
//! Reads `az redisenterprise show`, `az keyvault show` (and Managed HSM), `az keyvault key show` (data plane) or a
//! `Microsoft.KeyVault/vaults/keys` resource, `az identity show`, `az role assignment list`, one object or a
//! JSON array of them. These describe resources that exist: a vault property that is `null` is off
//! (`enablePurgeProtection`, `enableSoftDelete`), `networkAcls: null` means no firewall.

use serde_json::{Map, Value};

use super::bundle::{Bundle, Component, Kind};
use super::symbols::Symbols;
use super::Format;
use crate::error::InputError;
use crate::input::MAX_RESOURCES;
use crate::pointer::child;

/// Whether an object looks like one resource of `az` / SDK output.
pub(crate) fn looks_like_resource(m: &Map<String, Value>) -> bool {
    let has = |k: &str| m.contains_key(k);
    (has("type") && (has("id") || has("name") || has("properties")))
        || (has("key") && has("attributes"))
        || (has("principalId") && has("roleDefinitionId"))
        || (has("principal_id") && has("role_definition_id"))
}

/// Whether the document uses snake_case keys (an SDK `.as_dict()`).
pub(crate) fn snake_case(doc: &Value) -> bool {
    let (mut snake, mut camel) = (0, 0);
    score(doc, 0, &mut snake, &mut camel);
    snake > camel
}

/// Counts the snake_case and camelCase keys of `v` (at `depth` in its document) for [`snake_case`].
fn score(v: &Value, depth: usize, snake: &mut usize, camel: &mut usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k.starts_with('/') {
                    continue;
                }
                if k.contains('_')
                    && k.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
                {
                    *snake += 1;
                } else if k.bytes().skip(1).any(|b| b.is_ascii_uppercase()) {
                    *camel += 1;
                }
                score(v, depth + 1, snake, camel);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| score(x, depth + 1, snake, camel)),
        _ => {}
    }
}

fn to_snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// An object of the document with its pointer.
#[derive(Clone, Copy)]
struct Obj<'a> {
    map: &'a Map<String, Value>,
    ptr: &'a str,
    snake: bool,
    /// Name where a missing field would be the object itself (the deepest pointer that exists, what a report
    /// shows), not the field's own pointer: for a check that places findings without the document
    /// ([`read_owned`]).
    exact: bool,
}

struct Field<'a> {
    ptr: String,
    value: &'a Value,
}

impl<'a> Obj<'a> {
    fn key(&self, name: &str) -> Option<&'a String> {
        if let Some((k, _)) = self.map.get_key_value(name) {
            return Some(k);
        }
        // A name without capitals is its own snake_case form, just looked up.
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            if let Some((k, _)) = self.map.get_key_value(&to_snake(name)) {
                return Some(k);
            }
        }
        self.map.keys().find(|k| k.eq_ignore_ascii_case(name))
    }

    /// The value of `name`, without its pointer.
    fn value(&self, name: &str) -> Option<&'a Value> {
        self.map.get(self.key(name)?)
    }

    fn get(&self, name: &str) -> Option<Field<'a>> {
        let key = self.key(name)?;
        let value = self.map.get(key)?;
        Some(Field {
            ptr: child(self.ptr, key),
            value,
        })
    }

    /// Where `name` is, or would be added (with `exact`: the object itself).
    fn at(&self, name: &str) -> String {
        match self.key(name) {
            Some(k) => child(self.ptr, k),
            None if self.exact => self.ptr.to_owned(),
            None if self.snake => child(self.ptr, &to_snake(name)),
            None => child(self.ptr, name),
        }
    }
}

/// The object of field `f` (of `o`, whose key case and pointer style it keeps).
fn with_obj<'a, T>(f: &'a Field<'a>, o: &Obj, then: impl FnOnce(Obj<'_>) -> T) -> Option<T> {
    f.value.as_object().map(|map| {
        then(Obj {
            map,
            ptr: &f.ptr,
            snake: o.snake,
            exact: o.exact,
        })
    })
}

fn str_of<'a>(o: &Obj<'a>, name: &str) -> Option<&'a str> {
    o.value(name).and_then(Value::as_str)
}

/// Copies a field into the model: absent stays absent (mapped), `null` stays absent unless `null_means` is given.
fn copy(c: &mut Component, o: &Obj, name: &str, model: &str, null_means: Option<Value>) {
    match o.get(name) {
        Some(f) if !f.value.is_null() => c.set_owned(model, f.ptr, f.value.clone()),
        Some(f) => match null_means {
            Some(v) => c.set_owned(model, f.ptr, v),
            None => c.map_owned(model, f.ptr),
        },
        None => c.map_owned(model, o.at(name)),
    }
}

/// Reads `az` or SDK output; `snake`: whether its keys are snake_case, when already known (from [`snake_case`],
/// as format detection found it).
pub(crate) fn read(
    doc: &Value,
    snake: Option<bool>,
    _symbols: &mut Symbols,
) -> Result<Bundle, InputError> {
    let snake = snake.unwrap_or_else(|| snake_case(doc));
    let mut bundle = Bundle::default();
    let mut items: Vec<(String, &Map<String, Value>)> = Vec::new();
    match doc {
        Value::Object(m) => items.push((String::new(), m)),
        Value::Array(a) => {
            bundle.container = String::new();
            for (i, v) in a.iter().enumerate() {
                list_item(&mut bundle, &mut items, &format!("/{i}"), v);
                too_many(items.len())?;
            }
        }
        _ => {}
    }
    read_items(&mut bundle, &items, snake, false);
    Ok(bundle)
}

/// [`read`] of a document the caller gives up, for a check that places its findings without it: each item is
/// read with the pointers a report shows (`Bundle::resolve`: the deepest that exists) and then freed, so the
/// document and the bundle read from it are never both whole in memory.
pub(crate) fn read_owned(mut doc: Value, snake: Option<bool>) -> Result<Bundle, InputError> {
    let snake = snake.unwrap_or_else(|| snake_case(&doc));
    let Value::Array(list) = &doc else {
        let mut bundle = read(&doc, Some(snake), &mut Symbols::default())?;
        bundle.resolve(&doc);
        return Ok(bundle);
    };
    // The same limit as `read`, refused before any item is read.
    let mut count = 0;
    for v in list {
        count += match v {
            Value::Object(_) => 1,
            Value::Array(inner) => inner.iter().filter(|v| v.is_object()).count(),
            _ => 0,
        };
        too_many(count)?;
    }
    let mut bundle = Bundle::default();
    for i in 0..list.len() {
        if let Some(v) = doc.get(i) {
            let mut items = Vec::new();
            list_item(&mut bundle, &mut items, &format!("/{i}"), v);
            // Every pointer mapped is then one that exists (a field's, or the object a missing field would
            // be added to): nothing is left to resolve in the document.
            read_items_in(&mut bundle, &items, snake, false, true);
        }
        if let Some(v) = doc.get_mut(i) {
            // Read and placed: a `null` keeps the pointers of the items after it (and of the role list).
            *v = Value::Null;
        }
    }
    bundle.resolve_containers(&doc);
    Ok(bundle)
}

/// [`read_owned`] of JSON text that is an array of `az` or SDK outputs, each item read as it is parsed
/// (`input::parse_items_with`), so the document is never whole in memory; with its format (`forced`, else
/// detected as `detect` does). `None` when the text is to be read whole instead, which then says what it is
/// or why it is refused: not such an array, not valid JSON, Resource Graph pages, too many resources, or
/// nothing `detect` would take.
///
/// # Errors
/// The limit errors of `input::check_document_with`.
pub(crate) fn read_text(
    text: &str,
    limits: &crate::input::Limits,
    forced: Option<Format>,
) -> Result<Option<(Format, Bundle)>, InputError> {
    let mut bundle = Bundle::default();
    let (mut snake, mut camel) = (0, 0);
    let mut any_resource = false;
    let mut count = 0;
    let all = crate::input::parse_items_with(text, limits, |i, v| {
        if forced.is_none() {
            if super::resource_graph::is_page(&v) {
                return false;
            }
            any_resource |= match &v {
                Value::Object(m) => looks_like_resource(m),
                Value::Array(inner) => inner.iter().all(Value::is_object),
                _ => false,
            };
            score(&v, 1, &mut snake, &mut camel);
        }
        count += match &v {
            Value::Object(_) => 1,
            Value::Array(inner) => inner.iter().filter(|v| v.is_object()).count(),
            _ => 0,
        };
        if count > MAX_RESOURCES {
            return false;
        }
        let mut items = Vec::new();
        list_item(&mut bundle, &mut items, &format!("/{i}"), &v);
        // Every pointer mapped exists (see `read_owned`); the key case does not change what is read then.
        read_items_in(&mut bundle, &items, false, false, true);
        true
    })?;
    if !all {
        return Ok(None);
    }
    let format = match forced {
        Some(f) => f,
        None if !any_resource => return Ok(None),
        None if snake > camel => Format::Sdk,
        None => Format::Az,
    };
    Ok(Some((format, bundle)))
}

/// One item of a JSON array of `az` outputs at `pointer`: a resource, or a nested list (`az role assignment
/// list`), whose resources are taken one by one.
pub(crate) fn list_item<'d>(
    bundle: &mut Bundle,
    items: &mut Vec<(String, &'d Map<String, Value>)>,
    pointer: &str,
    v: &'d Value,
) {
    match v {
        Value::Object(m) => items.push((pointer.to_owned(), m)),
        Value::Array(inner) => {
            bundle.roles_listed = true;
            if bundle.roles_container.is_none() {
                bundle.roles_container = Some(pointer.to_owned());
            }
            for (j, v) in inner.iter().enumerate() {
                if let Value::Object(m) = v {
                    items.push((format!("{pointer}/{j}"), m));
                }
            }
        }
        _ => {}
    }
}

/// `input.too_many_items` past [`MAX_RESOURCES`].
pub(crate) fn too_many(len: usize) -> Result<(), InputError> {
    if len > MAX_RESOURCES {
        return Err(InputError::TooManyItems {
            path: String::new(),
            len,
            max: MAX_RESOURCES,
        });
    }
    Ok(())
}

/// The ARM spelling of the resource types read here (Resource Graph prints them in lower case).
fn canonical_type(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "microsoft.cache/redisenterprise" => "Microsoft.Cache/redisEnterprise",
        "microsoft.keyvault/vaults" => "Microsoft.KeyVault/vaults",
        "microsoft.keyvault/managedhsms" => "Microsoft.KeyVault/managedHSMs",
        "microsoft.keyvault/vaults/keys" => "Microsoft.KeyVault/vaults/keys",
        "microsoft.keyvault/managedhsms/keys" => "Microsoft.KeyVault/managedHSMs/keys",
        "microsoft.managedidentity/userassignedidentities" => {
            "Microsoft.ManagedIdentity/userAssignedIdentities"
        }
        "microsoft.authorization/roleassignments" => "Microsoft.Authorization/roleAssignments",
        _ => return None,
    })
}

/// Maps resources as `az ... show` prints them (or as Resource Graph rows with their full columns: `rows`) to
/// components.
pub(crate) fn read_items(
    bundle: &mut Bundle,
    items: &[(String, &Map<String, Value>)],
    snake: bool,
    rows: bool,
) {
    read_items_in(bundle, items, snake, rows, false);
}

/// [`read_items`]; `exact`: each missing field is mapped to the deepest pointer that exists (see `Obj::exact`).
fn read_items_in(
    bundle: &mut Bundle,
    items: &[(String, &Map<String, Value>)],
    snake: bool,
    rows: bool,
    exact: bool,
) {
    for (pointer, map) in items {
        let o = Obj {
            map,
            ptr: pointer,
            snake,
            exact,
        };
        if let Some(mut c) = resource_of(&o, rows, &mut bundle.other_types) {
            c.observed = true;
            bundle.components.push(c);
        }
    }
}

/// One resource as `show` prints it (at `pointer`, snake_case keys when `snake`): its component, or `None` for a
/// type the rules do not read (its type is added to `other_types`).
pub(crate) fn resource(
    map: &Map<String, Value>,
    pointer: &str,
    snake: bool,
    rows: bool,
    other_types: &mut Vec<String>,
) -> Option<Component> {
    let o = Obj {
        map,
        ptr: pointer,
        snake,
        exact: false,
    };
    resource_of(&o, rows, other_types)
}

fn resource_of(o: &Obj, rows: bool, other_types: &mut Vec<String>) -> Option<Component> {
    let o = *o;
    let given = str_of(&o, "type").unwrap_or("");
    let lower = given.to_ascii_lowercase();
    let rtype = canonical_type(&lower).unwrap_or(given);
    match lower.as_str() {
        "microsoft.cache/redisenterprise" => Some(cache(&o, rtype)),
        "microsoft.keyvault/vaults" | "microsoft.keyvault/managedhsms" => {
            Some(vault(&o, rtype, rows))
        }
        "microsoft.keyvault/vaults/keys" | "microsoft.keyvault/managedhsms/keys" => {
            mgmt_key(&o, rtype)
        }
        "microsoft.managedidentity/userassignedidentities" => Some(identity(&o, rtype)),
        "microsoft.authorization/roleassignments" => Some(role(&o, rtype)),
        "" if o.value("key").is_some() && o.value("attributes").is_some() => data_plane_key(&o),
        "" if o.value("roleDefinitionId").is_some() => {
            Some(role(&o, "Microsoft.Authorization/roleAssignments"))
        }
        _ => {
            if !rtype.is_empty() {
                other_types.push(crate::input::truncate(rtype));
            }
            None
        }
    }
}

/// A component of `kind` for the resource `o`, with its name and resource ID.
fn named(kind: Kind, rtype: &str, o: &Obj) -> Component {
    let mut c = Component::new(kind, rtype, o.ptr);
    c.name = str_of(o, "name").unwrap_or("").to_owned();
    c.id = str_of(o, "id").map(str::to_owned);
    c
}

fn props<'a>(o: &Obj<'a>) -> Option<Field<'a>> {
    o.get("properties").filter(|f| f.value.is_object())
}

/// The resource's `properties` (from [`props`]) as an object, or the resource itself when it has none (SDK
/// dicts and some `az` outputs are flat).
fn props_or_self<'a>(o: &Obj<'a>, p: &'a Option<Field<'a>>) -> Obj<'a> {
    match p {
        Some(f) => Obj {
            map: f.value.as_object().unwrap_or(o.map),
            ptr: &f.ptr,
            snake: o.snake,
            exact: o.exact,
        },
        None => *o,
    }
}

fn cache(o: &Obj, rtype: &str) -> Component {
    let mut c = named(Kind::Cache, rtype, o);
    copy(&mut c, o, "name", "/cache/name", None);
    copy(&mut c, o, "id", "/cache/id", None);
    copy(&mut c, o, "location", "/cache/location", None);
    match o.get("sku") {
        Some(f) => {
            let p = f.ptr.clone();
            let done = with_obj(&f, o, |s| copy(&mut c, &s, "name", "/cache/sku", None));
            if done.is_none() {
                c.map("/cache/sku", &p);
            }
        }
        None => c.map("/cache/sku", &o.at("sku")),
    }
    c.set("/cache/existing", o.ptr, Value::Bool(true));
    match o.get("identity") {
        Some(f) if f.value.is_object() => {
            c.map("/cache/identity", &f.ptr);
            with_obj(&f, o, |ident| {
                copy(&mut c, &ident, "type", "/cache/identity/type", None);
                match ident.get("userAssignedIdentities") {
                    Some(u) => {
                        c.map("/cache/identity/userAssignedIdentities", &u.ptr);
                        let mut out = Map::new();
                        if let Some(m) = u.value.as_object() {
                            for (id, v) in m {
                                let mut entry = Map::new();
                                if let Some(vm) = v.as_object() {
                                    let vo = Obj {
                                        map: vm,
                                        ptr: &u.ptr,
                                        snake: o.snake,
                                        exact: o.exact,
                                    };
                                    for name in ["principalId", "clientId"] {
                                        if let Some(s) = str_of(&vo, name) {
                                            entry.insert(name.into(), s.into());
                                        }
                                    }
                                }
                                c.map(
                                    &child("/cache/identity/userAssignedIdentities", id),
                                    &child(&u.ptr, id),
                                );
                                out.insert(id.clone(), Value::Object(entry));
                            }
                            c.set(
                                "/cache/identity/userAssignedIdentities",
                                &u.ptr,
                                Value::Object(out),
                            );
                        } else if !u.value.is_null() {
                            c.set(
                                "/cache/identity/userAssignedIdentities",
                                &u.ptr,
                                u.value.clone(),
                            );
                        }
                    }
                    None => c.map(
                        "/cache/identity/userAssignedIdentities",
                        &ident.at("userAssignedIdentities"),
                    ),
                }
            });
        }
        _ => c.map("/cache/identity", &o.at("identity")),
    }
    let p = props(o);
    let po = props_or_self(o, &p);
    const KEK: &str = "/encryption/customerManagedKeyEncryption";
    let mut cmk_used = false;
    match po.get("encryption") {
        Some(f) if f.value.is_object() => {
            c.map("/encryption", &f.ptr);
            with_obj(&f, o, |enc| match enc.get("customerManagedKeyEncryption") {
                Some(k) if k.value.is_object() => {
                    c.set(KEK, &k.ptr, Value::Object(Map::new()));
                    with_obj(&k, o, |kek| {
                        copy(
                            &mut c,
                            &kek,
                            "keyEncryptionKeyUrl",
                            &format!("{KEK}/keyEncryptionKeyUrl"),
                            None,
                        );
                        match kek.get("keyEncryptionKeyIdentity") {
                            Some(i) if i.value.is_object() => {
                                c.map(&format!("{KEK}/keyEncryptionKeyIdentity"), &i.ptr);
                                with_obj(&i, o, |io| {
                                    copy(
                                        &mut c,
                                        &io,
                                        "identityType",
                                        &format!("{KEK}/keyEncryptionKeyIdentity/identityType"),
                                        None,
                                    );
                                    copy(
                                        &mut c,
                                        &io,
                                        "userAssignedIdentityResourceId",
                                        &format!("{KEK}/keyEncryptionKeyIdentity/userAssignedIdentityResourceId"),
                                        None,
                                    );
                                });
                            }
                            _ => c.map(
                                &format!("{KEK}/keyEncryptionKeyIdentity"),
                                &kek.at("keyEncryptionKeyIdentity"),
                            ),
                        }
                    });
                }
                _ => c.map(KEK, &enc.at("customerManagedKeyEncryption")),
            });
        }
        _ => c.map("/encryption", &po.at("encryption")),
    }
    if c.get_str(&format!("{KEK}/keyEncryptionKeyUrl")).is_some() {
        cmk_used = true;
    }
    // What `show` prints is what the cache uses today.
    c.set(
        "/cache/currentKeySource",
        o.ptr,
        Value::from(if cmk_used {
            "customerManaged"
        } else {
            "microsoftManaged"
        }),
    );
    c
}

/// A vault; `row`: a Resource Graph row, where a setting never enabled is left out rather than `null`
/// (`enablePurgeProtection`).
fn vault(o: &Obj, rtype: &str, row: bool) -> Component {
    let mut c = named(Kind::Vault, rtype, o);
    let hsm = rtype.eq_ignore_ascii_case("Microsoft.KeyVault/managedHSMs");
    copy(&mut c, o, "name", "/name", None);
    copy(&mut c, o, "id", "/id", None);
    copy(&mut c, o, "location", "/location", None);
    c.set(
        "/kind",
        o.ptr,
        Value::from(if hsm { "managedHsm" } else { "vault" }),
    );
    let p = props(o);
    let po = props_or_self(o, &p);
    copy(
        &mut c,
        &po,
        "enableSoftDelete",
        "/enableSoftDelete",
        Some(Value::Bool(false)),
    );
    copy(
        &mut c,
        &po,
        "enablePurgeProtection",
        "/enablePurgeProtection",
        Some(Value::Bool(false)),
    );
    if row && p.is_some() && po.get("enablePurgeProtection").is_none() {
        c.set(
            "/enablePurgeProtection",
            &po.at("enablePurgeProtection"),
            Value::Bool(false),
        );
    }
    copy(
        &mut c,
        &po,
        "enableRbacAuthorization",
        "/enableRbacAuthorization",
        None,
    );
    copy(
        &mut c,
        &po,
        "publicNetworkAccess",
        "/publicNetworkAccess",
        None,
    );
    match po.get("networkAcls") {
        Some(f) if f.value.is_object() => {
            c.map("/networkAcls", &f.ptr);
            with_obj(&f, o, |n| {
                copy(&mut c, &n, "bypass", "/networkAcls/bypass", None);
                copy(
                    &mut c,
                    &n,
                    "defaultAction",
                    "/networkAcls/defaultAction",
                    None,
                );
            });
        }
        Some(f) if f.value.is_null() => {
            c.set("/networkAcls/defaultAction", &f.ptr, Value::from("Allow"));
            c.map("/networkAcls", &f.ptr);
        }
        Some(f) => c.set("/networkAcls", &f.ptr, f.value.clone()),
        None => c.map("/networkAcls", &po.at("networkAcls")),
    }
    match po.get("accessPolicies") {
        Some(f) => match f.value {
            Value::Array(list) => {
                let mut out = Vec::new();
                for (i, p) in list.iter().enumerate() {
                    let pp = format!("{}/{i}", f.ptr);
                    let mut entry = Map::new();
                    if let Some(pm) = p.as_object() {
                        let po = Obj {
                            map: pm,
                            ptr: &pp,
                            snake: o.snake,
                            exact: o.exact,
                        };
                        policy_fields(&mut c, &po, &format!("/accessPolicies/{i}"), &mut entry);
                    }
                    c.map(&format!("/accessPolicies/{i}"), &pp);
                    out.push(Value::Object(entry));
                }
                c.set("/accessPolicies", &f.ptr, Value::Array(out));
            }
            Value::Null => c.set("/accessPolicies", &f.ptr, Value::Array(Vec::new())),
            other => c.set("/accessPolicies", &f.ptr, other.clone()),
        },
        None => c.map("/accessPolicies", &po.at("accessPolicies")),
    }
    c
}

fn policy_fields(c: &mut Component, po: &Obj, model: &str, entry: &mut Map<String, Value>) {
    for name in ["objectId", "tenantId", "applicationId"] {
        match po.get(name) {
            Some(f) if !f.value.is_null() => {
                entry.insert(name.into(), f.value.clone());
                c.map(&format!("{model}/{name}"), &f.ptr);
            }
            _ => c.map(&format!("{model}/{name}"), &po.at(name)),
        }
    }
    if let Some(perm) = po.get("permissions") {
        if let Some(pm) = perm.value.as_object() {
            let permo = Obj {
                map: pm,
                ptr: &perm.ptr,
                snake: po.snake,
                exact: po.exact,
            };
            if let Some(k) = permo.get("keys") {
                let mut p = Map::new();
                p.insert("keys".into(), k.value.clone());
                entry.insert("permissions".into(), Value::Object(p));
                c.map(&format!("{model}/permissions/keys"), &k.ptr);
            }
        }
    }
}

/// The key URI without the default port: the management plane's `keyUri` / `keyUriWithVersion` carry `:443`
/// (`https://kv.vault.azure.net:443/keys/k/v`), the cache's key URL does not, and they name the same key. (A
/// port in the cache's own key URL is still refused: this is only for the key resource's URIs.)
fn without_default_port(uri: &str) -> std::borrow::Cow<'_, str> {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return uri.into();
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match host.strip_suffix(":443") {
        Some(h) => format!("{scheme}://{h}{path}").into(),
        None => uri.into(),
    }
}

fn key_from_uri(c: &mut Component, uri: &str) {
    if let Ok(k) = crate::parse_key_uri(&without_default_port(uri)) {
        c.vault_name = Some(k.vault_name().to_owned());
        c.key_name = Some(k.key_name().to_owned());
        c.key_version = k.version().map(str::to_owned);
    }
}

fn attributes(c: &mut Component, o: &Obj) {
    match o.get("attributes") {
        Some(f) if f.value.is_object() => {
            with_obj(&f, o, |a| {
                copy(c, &a, "enabled", "/enabled", None);
                for (model, names) in [("/exp", ["exp", "expires"]), ("/nbf", ["nbf", "notBefore"])]
                {
                    let found = names.iter().find_map(|n| a.get(n));
                    match found {
                        // `null` means not set: keep it (the model reads it so).
                        Some(f) => c.set(model, &f.ptr, f.value.clone()),
                        None => c.map(model, &a.at(names.first().copied().unwrap_or("exp"))),
                    }
                }
            });
        }
        _ => {
            let p = o.at("attributes");
            for m in ["/enabled", "/exp", "/nbf"] {
                c.map(m, &p);
            }
        }
    }
}

fn data_plane_key(o: &Obj) -> Option<Component> {
    let kf = o.get("key")?;
    let km = kf.value.as_object()?;
    let ko = Obj {
        map: km,
        ptr: &kf.ptr,
        snake: o.snake,
        exact: o.exact,
    };
    let kid = str_of(&ko, "kid")?;
    let mut c = Component::new(Kind::Key, "Microsoft.KeyVault/vaults/keys", o.ptr);
    key_from_uri(&mut c, kid);
    c.name = c.key_name.clone().unwrap_or_default();
    if let Some(name) = &c.key_name {
        c.set("/name", &ko.at("kid"), Value::from(name.clone()));
    }
    copy(&mut c, &ko, "kty", "/kty", None);
    copy(&mut c, &ko, "keyOps", "/keyOps", None);
    attributes(&mut c, o);
    Some(c)
}

fn mgmt_key(o: &Obj, rtype: &str) -> Option<Component> {
    let mut c = Component::new(Kind::Key, rtype, o.ptr);
    let p = props(o);
    let po = props_or_self(o, &p);
    if let Some(uri) = str_of(&po, "keyUriWithVersion").or_else(|| str_of(&po, "keyUri")) {
        key_from_uri(&mut c, uri);
    }
    if let Some(id) = str_of(o, "id") {
        let lower = id.to_ascii_lowercase();
        let segs: Vec<&str> = id.split('/').collect();
        let lsegs: Vec<&str> = lower.split('/').collect();
        if let Some(i) = lsegs
            .iter()
            .position(|s| *s == "vaults" || *s == "managedhsms")
        {
            if c.vault_name.is_none() {
                c.vault_name = segs.get(i + 1).map(|s| s.to_ascii_lowercase());
            }
            if c.key_name.is_none() && lsegs.get(i + 2) == Some(&"keys") {
                c.key_name = segs.get(i + 3).map(|s| (*s).to_owned());
            }
        }
    }
    if c.key_name.is_none() {
        c.key_name = str_of(o, "name").map(|n| n.rsplit('/').next().unwrap_or(n).to_owned());
    }
    c.name = c.key_name.clone().unwrap_or_default();
    if let Some(name) = c.key_name.clone() {
        c.set("/name", &o.at("name"), Value::from(name));
    }
    copy(&mut c, &po, "kty", "/kty", None);
    copy(&mut c, &po, "keySize", "/keySize", None);
    copy(&mut c, &po, "keyOps", "/keyOps", None);
    attributes(&mut c, &po);
    Some(c)
}

fn identity(o: &Obj, rtype: &str) -> Component {
    let mut c = named(Kind::Identity, rtype, o);
    let p = props(o);
    let po = props_or_self(o, &p);
    copy(&mut c, o, "id", "/id", None);
    copy(&mut c, &po, "principalId", "/principalId", None);
    copy(&mut c, &po, "clientId", "/clientId", None);
    c.principal = c.get_str("/principalId").map(str::to_owned);
    c
}

fn role(o: &Obj, rtype: &str) -> Component {
    let mut c = named(Kind::Role, rtype, o);
    let p = props(o);
    let po = props_or_self(o, &p);
    for (name, model) in [
        ("principalId", "/principalId"),
        ("roleDefinitionId", "/roleDefinitionId"),
        ("roleDefinitionName", "/roleDefinitionName"),
        ("scope", "/scope"),
    ] {
        let src = if po.value(name).is_some() { po } else { *o };
        copy(&mut c, &src, name, model, None);
    }
    c.principal = c.get_str("/principalId").map(str::to_owned);
    c.scope = c.get_str("/scope").map(str::to_owned);
    c
}
