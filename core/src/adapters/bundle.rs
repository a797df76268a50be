//! What every adapter produces: components (one per resource of interest) with their model fields and source
//! map, and the join that turns a cache plus its identity, vault, key and role assignments into one input model.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::index::Index;
use super::symbols::{Kind as SymKind, Symbols};
use crate::identity::same_resource_id as same_id;
use crate::pointer::tokens;
use crate::rules::template::Override;
use crate::rules::template::Unresolved;
use crate::rules::RuleCode;

/// The part of the model a component fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `cache` and `encryption`.
    Cache,
    /// `identity`.
    Identity,
    /// `vault`.
    Vault,
    /// `key`.
    Key,
    /// One entry of `roleAssignments`.
    Role,
    /// One entry of `vault.accessPolicies` given as its own resource.
    Policy,
}

/// One resource of the document.
#[derive(Debug, Clone)]
pub(crate) struct Component {
    pub kind: Kind,
    /// The document's resource type (`Microsoft.KeyVault/vaults`, `azurerm_key_vault`).
    pub rtype: String,
    /// Name as evaluated (may hold stand-ins).
    pub name: String,
    /// Resource ID as evaluated (may hold stand-ins).
    pub id: Option<String>,
    /// Terraform address.
    pub address: Option<String>,
    /// JSON Pointer of the resource in the document.
    pub pointer: String,
    /// Its model fields (for a cache: `{"cache": ..., "encryption": ...}`; else the object itself).
    pub model: Map<String, Value>,
    /// Model path (relative) → document pointer (where the value is or would be).
    pub map: Vec<(String, String)>,
    pub unresolved: Vec<Unresolved>,
    /// Created by this document (not a read of an existing resource, not `existing`).
    pub managed: bool,
    /// Key or policy: the vault it belongs to (lower-case name).
    pub vault_name: Option<String>,
    /// Key: its name and version.
    pub key_name: Option<String>,
    pub key_version: Option<String>,
    /// Identity: its principal; role or policy: the principal it names.
    pub principal: Option<String>,
    /// Role: its scope.
    pub scope: Option<String>,
    /// The file it was read from (its index among the documents of a several-file check; 0 for one document).
    pub file: usize,
    /// Read from `az` or Resource Graph output: the resource as it exists (says more than an ARM `existing`
    /// reference or a Terraform data source to the same resource in another file).
    pub observed: bool,
}

impl Component {
    pub fn new(kind: Kind, rtype: &str, pointer: &str) -> Self {
        let mut c = Self {
            kind,
            rtype: rtype.to_owned(),
            name: String::new(),
            id: None,
            address: None,
            pointer: pointer.to_owned(),
            model: Map::new(),
            map: Vec::new(),
            unresolved: Vec::new(),
            managed: false,
            vault_name: None,
            key_name: None,
            key_version: None,
            principal: None,
            scope: None,
            file: 0,
            observed: false,
        };
        c.map.push((String::new(), pointer.to_owned()));
        c
    }

    /// Sets the model value at `path` (`/a/b`, tokens escaped) and maps it to `doc`.
    pub fn set(&mut self, path: &str, doc: &str, value: Value) {
        insert_at(&mut self.model, path, value);
        self.map(path, doc);
    }

    /// [`Component::set`] with a pointer it keeps.
    pub fn set_owned(&mut self, path: &str, doc: String, value: Value) {
        insert_at(&mut self.model, path, value);
        self.map_owned(path, doc);
    }

    /// Maps a model path to a document pointer without setting a value.
    pub fn map(&mut self, path: &str, doc: &str) {
        if !self.map.iter().any(|(m, _)| m == path) {
            self.map.push((path.to_owned(), doc.to_owned()));
        }
    }

    /// [`Component::map`] with a pointer it keeps.
    pub fn map_owned(&mut self, path: &str, doc: String) {
        if !self.map.iter().any(|(m, _)| m == path) {
            self.map.push((path.to_owned(), doc));
        }
    }

    /// Records a value that cannot be known: the field stays absent.
    pub fn unresolved(&mut self, path: &str, doc: &str, expression: &str, reason: &str) {
        self.map(path, doc);
        if !self
            .unresolved
            .iter()
            .any(|u| u.model == path && u.doc == doc)
        {
            self.unresolved.push(Unresolved {
                model: path.to_owned(),
                doc: doc.to_owned(),
                expression: shorten(expression),
                reason: reason.to_owned(),
                address: self.address.clone(),
            });
        }
    }

    /// Takes the source map and the unknown values of `part` (an access policy of this vault) under `prefix`.
    pub fn absorb(&mut self, prefix: &str, part: &Component) {
        for (m, d) in &part.map {
            self.map(&format!("{prefix}{m}"), d);
        }
        for u in &part.unresolved {
            self.unresolved(
                &format!("{prefix}{}", u.model),
                &u.doc,
                &u.expression,
                &u.reason,
            );
        }
    }

    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut cur: Option<&Value> = None;
        for (i, token) in tokens(path).iter().enumerate() {
            cur = if i == 0 {
                self.model.get(token.as_str())
            } else {
                cur.and_then(|v| v.get(token.as_str()))
            };
        }
        cur
    }

    pub fn get_str(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(Value::as_str)
    }
}

/// Expressions in messages: whole up to 256 bytes, then cut with an ellipsis.
pub(crate) fn shorten(s: &str) -> String {
    crate::input::clip(s, 256)
}

fn insert_at(root: &mut Map<String, Value>, path: &str, value: Value) {
    let mut toks = path.split('/').skip(1).peekable();
    let mut cur = root;
    while let Some(t) = toks.next() {
        let key: Cow<'_, str> = if t.contains('~') {
            t.replace("~1", "/").replace("~0", "~").into()
        } else {
            t.into()
        };
        if toks.peek().is_none() {
            cur.insert(key.into_owned(), value);
            return;
        }
        if !cur.get(key.as_ref()).is_some_and(Value::is_object) {
            cur.insert(key.to_string(), Value::Object(Map::new()));
        }
        let Some(Value::Object(next)) = cur.get_mut(key.as_ref()) else {
            return;
        };
        cur = next;
    }
}

/// A model path mapped into the document: `prefix` then `path`, the model path in its component.
#[derive(Debug, Clone)]
pub(crate) struct MapEntry<'c> {
    pub prefix: Cow<'c, str>,
    pub path: &'c str,
    pub doc: &'c str,
    pub address: Option<&'c str>,
    /// The file `doc` points into.
    pub file: usize,
}

impl MapEntry<'_> {
    fn len(&self) -> usize {
        self.prefix.len() + self.path.len()
    }

    /// Whether `model` is this entry's model path or below it (as [`crate::pointer::under`]).
    fn holds(&self, model: &str) -> bool {
        self.len() == 0
            || model
                .strip_prefix(&*self.prefix)
                .and_then(|rest| rest.strip_prefix(self.path))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// One cache with everything joined to it.
#[derive(Debug, Clone)]
pub(crate) struct Unit<'c> {
    pub cache: &'c Component,
    pub config: Map<String, Value>,
    pub map: Vec<MapEntry<'c>>,
    pub unresolved: Vec<Unresolved>,
    pub overrides: Vec<Override>,
}

impl Unit<'_> {
    /// The document pointer and Terraform address of a model path (longest mapped prefix).
    pub fn locate(&self, model: &str) -> (String, Option<String>) {
        let (doc, address, _) = self.locate_in(model);
        (doc, address)
    }

    /// As [`Unit::locate`], with the file the pointer is in.
    pub fn locate_in(&self, model: &str) -> (String, Option<String>, usize) {
        self.map
            .iter()
            .filter(|e| e.holds(model))
            .max_by_key(|e| e.len())
            .map_or_else(
                || {
                    (
                        self.cache.pointer.clone(),
                        self.cache.address.clone(),
                        self.cache.file,
                    )
                },
                |e| (e.doc.to_owned(), e.address.map(str::to_owned), e.file),
            )
    }
}

/// Everything an adapter read from the document.
#[derive(Debug, Default)]
pub(crate) struct Bundle {
    pub components: Vec<Component>,
    /// The document lists role assignments explicitly (an `az role assignment list` output), so an empty list
    /// means there are none.
    pub roles_listed: bool,
    /// Where new resources would be added (`/resources`, ``, `/resource_changes`).
    pub container: String,
    /// Where a new role assignment would be added, when not `container` (the `az role assignment list` output).
    pub roles_container: Option<String>,
    /// Resource types seen but not used (for the "no cache" message).
    pub other_types: Vec<String>,
    /// Expressions that could not be evaluated outside any component (e.g. a resource name), reported on
    /// every cache.
    pub unresolved: Vec<Unresolved>,
    /// Several files joined ([`Bundle::merge`]): each file's `container`, by file index.
    pub containers: Vec<String>,
    /// The file `roles_container` points into.
    pub roles_file: usize,
}

impl Bundle {
    /// One bundle of the resources of several files (the bundle of file `i` at index `i`), so a cache in one
    /// file joins its vault, key, identity and role assignments in the others.
    pub fn merge(parts: Vec<Bundle>) -> Bundle {
        let mut out = Bundle::default();
        for (i, mut b) in parts.into_iter().enumerate() {
            for c in &mut b.components {
                c.file = i;
            }
            out.components.append(&mut b.components);
            out.roles_listed |= b.roles_listed;
            if out.roles_container.is_none() {
                if let Some(rc) = b.roles_container {
                    out.roles_container = Some(rc);
                    out.roles_file = i;
                }
            }
            out.other_types.append(&mut b.other_types);
            out.unresolved.append(&mut b.unresolved);
            out.containers.push(b.container);
        }
        out.container = out.containers.first().cloned().unwrap_or_default();
        out
    }

    /// Replaces every pointer the join and [`Unit::locate_in`] hand out (source maps, containers) by the
    /// deepest pointer of it that exists in `doc` (what a report shows: [`crate::pointer::existing`]), so the
    /// document is not needed any more to place findings. For one document only (file 0). The pointers of
    /// unknown values and of the components themselves are shown as they are, and stay.
    pub fn resolve(&mut self, doc: &Value) {
        self.resolve_components(doc, 0);
        self.resolve_containers(doc);
    }

    /// [`Bundle::resolve`] of the components from index `first` on.
    pub fn resolve_components(&mut self, doc: &Value, first: usize) {
        let mut r = Resolver {
            doc,
            parent: String::new(),
            at: None,
        };
        for c in self.components.iter_mut().skip(first) {
            for (_, d) in &mut c.map {
                r.resolve(d);
            }
            c.map.shrink_to_fit();
        }
    }

    /// [`Bundle::resolve`] of the containers.
    pub fn resolve_containers(&mut self, doc: &Value) {
        let mut r = Resolver {
            doc,
            parent: String::new(),
            at: None,
        };
        r.resolve(&mut self.container);
        for c in &mut self.containers {
            r.resolve(c);
        }
        if let Some(rc) = &mut self.roles_container {
            r.resolve(rc);
        }
    }

    /// Where a resource missing for a cache of file `file` would be added.
    fn container_of(&self, file: usize) -> &str {
        self.containers.get(file).unwrap_or(&self.container)
    }
}

/// Resolves pointers against one document, remembering the last parent looked up (the pointers of one
/// resource are mostly siblings).
struct Resolver<'v> {
    doc: &'v Value,
    parent: String,
    /// What `pointer::walk` said of `parent`.
    at: Option<Option<(usize, Option<&'v Value>)>>,
}

impl Resolver<'_> {
    fn resolve(&mut self, p: &mut String) {
        let Some(cut) = p.rfind('/') else {
            // The root, or not a pointer as `child` writes them.
            *p = crate::pointer::existing(self.doc, p);
            return;
        };
        let keep = {
            let parent = p.get(..cut).unwrap_or("");
            let last = p.get(cut + 1..).unwrap_or("");
            if self.at.is_none() || self.parent != parent {
                self.parent.clear();
                self.parent.push_str(parent);
                self.at = Some(crate::pointer::walk(self.doc, parent));
            }
            match self.at.flatten() {
                Some((_, Some(node))) => match crate::pointer::step(node, last) {
                    Some(Some(_)) => Some(p.len()),
                    Some(None) => Some(cut),
                    None => None,
                },
                Some((n, None)) => Some(n),
                None => None,
            }
        };
        match keep {
            Some(n) => p.truncate(n),
            None => *p = crate::pointer::existing(self.doc, p),
        }
    }
}

fn key_parts(url: &str) -> Option<crate::key_uri::KeyId> {
    crate::parse_key_uri(url).ok()
}

/// The source map and unknown values of a component, under `prefix` in the joined model.
fn place<'c>(
    map: &mut Vec<MapEntry<'c>>,
    unresolved: &mut Vec<Unresolved>,
    prefix: Cow<'c, str>,
    c: &'c Component,
) {
    for (m, d) in &c.map {
        map.push(MapEntry {
            prefix: prefix.clone(),
            path: m,
            doc: d,
            address: c.address.as_deref(),
            file: c.file,
        });
    }
    for u in &c.unresolved {
        let mut u = u.clone();
        u.model = format!("{prefix}{}", u.model);
        unresolved.push(u);
    }
}

/// A component's model and source map under `prefix` (not empty) of the joined model.
fn add<'c>(
    config: &mut Map<String, Value>,
    map: &mut Vec<MapEntry<'c>>,
    unresolved: &mut Vec<Unresolved>,
    prefix: &'static str,
    c: &'c Component,
) {
    insert_at(config, prefix, Value::Object(c.model.clone()));
    place(map, unresolved, Cow::Borrowed(prefix), c);
}

/// The value at `path` (`/a/b`) of a model.
fn get_in<'m>(model: &'m Map<String, Value>, path: &str) -> Option<&'m Value> {
    let mut cur: Option<&Value> = None;
    for (i, token) in tokens(path).iter().enumerate() {
        cur = if i == 0 {
            model.get(token.as_str())
        } else {
            cur.and_then(|v| v.get(token.as_str()))
        };
    }
    cur
}

/// Joins a cache to its identity (by the key-encryption identity's resource ID), its key's vault (by the
/// vault name in the key URL), the key (vault and key name) and the role assignments (by principal and scope).
/// `model`: the cache's model when the caller hands it over (taken out of the bundle), else it is copied.
pub(crate) fn join<'c>(
    cache: &'c Component,
    model: Option<Map<String, Value>>,
    bundle: &'c Bundle,
    index: &Index<'c>,
    symbols: &Symbols,
) -> Unit<'c> {
    // The cache's own model comes first: what the join reads of the cache is read from it before anything
    // else joins it.
    let mut config = model.unwrap_or_else(|| cache.model.clone());
    let mut map: Vec<MapEntry<'c>> = Vec::new();
    let mut unresolved = Vec::new();
    let mut overrides = Vec::new();
    place(&mut map, &mut unresolved, Cow::Borrowed(""), cache);
    let container = bundle.container_of(cache.file);
    let absent = |map: &mut Vec<MapEntry<'c>>, model: &'static str| {
        map.push(MapEntry {
            prefix: Cow::Borrowed(model),
            path: "",
            doc: container,
            address: None,
            file: cache.file,
        });
    };

    const KEK: &str = "/encryption/customerManagedKeyEncryption";
    let uai_id = get_in(
        &config,
        "/encryption/customerManagedKeyEncryption/keyEncryptionKeyIdentity/userAssignedIdentityResourceId",
    )
    .and_then(Value::as_str)
    .map(str::to_owned);
    let key = get_in(&config, &format!("{KEK}/keyEncryptionKeyUrl"))
        .and_then(Value::as_str)
        .and_then(key_parts);
    let cache_location_symbolic = symbols.contains_kind(
        get_in(&config, "/cache/location")
            .and_then(Value::as_str)
            .unwrap_or(""),
        SymKind::Location,
    );

    let identity = uai_id.as_deref().and_then(|uai| index.identity(uai));
    // The identity's principal: from the identity resource, else from the cache's identity block.
    let principal = identity.and_then(|i| i.principal.clone()).or_else(|| {
        let uai = uai_id.as_deref()?;
        let uais = get_in(&config, "/cache/identity/userAssignedIdentities")?.as_object()?;
        uais.iter()
            .find(|(k, _)| same_id(k, uai))
            .and_then(|(_, v)| v.get("principalId")?.as_str().map(str::to_owned))
    });
    match identity {
        Some(i) => add(&mut config, &mut map, &mut unresolved, "/identity", i),
        None => absent(&mut map, "/identity"),
    }

    let vault_name = key.as_ref().map(|k| k.vault_name().to_owned());
    let vault = vault_name.as_deref().and_then(|name| index.vault(name));
    match vault {
        Some(v) if index.policies(&v.name).is_empty() => {
            add(&mut config, &mut map, &mut unresolved, "/vault", v);
        }
        Some(v) => {
            // Access policies given as their own resources join their vault's list.
            let mut model = v.model.clone();
            place(&mut map, &mut unresolved, Cow::Borrowed("/vault"), v);
            let n = model
                .get("accessPolicies")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for (k, p) in index.policies(&v.name).iter().enumerate() {
                let n = n + k;
                let entry = Value::Object(p.model.clone());
                match model.get_mut("accessPolicies") {
                    Some(Value::Array(list)) => list.push(entry),
                    _ => {
                        model.insert("accessPolicies".into(), Value::Array(vec![entry]));
                    }
                }
                for (m, d) in &p.map {
                    map.push(MapEntry {
                        prefix: Cow::Owned(format!("/vault/accessPolicies/{n}")),
                        path: m,
                        doc: d,
                        address: v.address.as_deref(),
                        file: v.file,
                    });
                }
                for u in &p.unresolved {
                    let mut u = u.clone();
                    u.model = format!("/vault/accessPolicies/{n}{}", u.model);
                    unresolved.push(u);
                }
            }
            insert_at(&mut config, "/vault", Value::Object(model));
        }
        None => absent(&mut map, "/vault"),
    }
    let key_component = key
        .as_ref()
        .and_then(|k| index.key(k.vault_name(), k.key_name()));
    match key_component {
        Some(kc) => {
            add(&mut config, &mut map, &mut unresolved, "/key", kc);
            // A key this document creates takes Key Vault's defaults for what it leaves out.
            insert_at(&mut config, "/key/existing", Value::Bool(!kc.managed));
            // The key resource describes another version than the URL names: its attributes may differ.
            if let (Some(a), Some(b)) = (
                kc.key_version.as_deref(),
                key.as_ref().and_then(|k| k.version()),
            ) {
                if !a.eq_ignore_ascii_case(b) {
                    for check in [
                        RuleCode::KeyOperationsMissing,
                        RuleCode::KeyDisabled,
                        RuleCode::KeyExpired,
                        RuleCode::KeyNotYetValid,
                    ] {
                        overrides.push(Override {
                            check,
                            fail_only: false,
                            needs: vec!["/key".into()],
                        });
                    }
                }
            }
        }
        None => absent(&mut map, "/key"),
    }

    let symbolic_principal = principal
        .as_deref()
        .is_some_and(|p| symbols.contains_any(p));
    let mut roles = Vec::new();
    let mut literal_nearby = false;
    let near = principal.is_none() || symbolic_principal;
    for r in index.role_candidates(principal.as_deref(), near, vault, vault_name.as_deref()) {
        let related = index.related(r, vault, vault_name.as_deref());
        let take = match (&principal, &r.principal) {
            (Some(p), Some(rp)) => {
                let equal = p.eq_ignore_ascii_case(rp);
                if !equal && symbolic_principal && !symbols.contains_any(rp) && related {
                    literal_nearby = true;
                }
                equal
            }
            // A role whose principal is not known may be the identity's.
            (_, None) => related,
            (None, Some(_)) => related,
        };
        if take {
            roles.push(r);
        }
    }
    if literal_nearby {
        overrides.push(Override {
            check: RuleCode::AccessRoleMissing,
            fail_only: true,
            needs: vec!["/roleAssignments".into(), "/identity/principalId".into()],
        });
    }
    if symbolic_principal {
        let literal_policy = config
            .get("vault")
            .and_then(|v| v.get("accessPolicies"))
            .and_then(Value::as_array)
            .is_some_and(|list| {
                list.iter().any(|p| {
                    p.get("objectId")
                        .and_then(Value::as_str)
                        .is_some_and(|o| !symbols.contains_any(o))
                })
            });
        if literal_policy {
            overrides.push(Override {
                check: RuleCode::AccessPermissionsMissing,
                fail_only: true,
                needs: vec![
                    "/vault/accessPolicies".into(),
                    "/identity/principalId".into(),
                ],
            });
        }
    }
    let complete = bundle.roles_listed || identity.is_some_and(|i| i.managed);
    if roles.is_empty() && !complete {
        absent(&mut map, "/roleAssignments");
    } else {
        let mut list = Vec::new();
        let vault_id = vault.and_then(|v| v.id.as_deref());
        for (i, r) in roles.iter().enumerate() {
            let mut model = r.model.clone();
            // A scope in the deploying subscription (a stand-in) over the vault's real ID: the vault's.
            if let (Some(scope), Some(id)) = (r.scope.as_deref(), vault_id) {
                if let Some(at) = super::index::scope_at_vault(scope, id) {
                    model.insert("scope".into(), Value::String(at));
                }
            }
            list.push(Value::Object(model));
            place(
                &mut map,
                &mut unresolved,
                Cow::Owned(format!("/roleAssignments/{i}")),
                r,
            );
        }
        config.insert("roleAssignments".into(), Value::Array(list));
        let (doc, file) = match &bundle.roles_container {
            Some(rc) => (rc.as_str(), bundle.roles_file),
            None => (container, cache.file),
        };
        map.push(MapEntry {
            prefix: Cow::Borrowed("/roleAssignments"),
            path: "",
            doc,
            address: None,
            file,
        });
    }

    // Regions known only symbolically (`resourceGroup().location`): the cloud is unknown, and a difference
    // between two regions is not a proven mismatch.
    let vault_loc = config
        .get("vault")
        .and_then(|v| v.get("location"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if cache_location_symbolic {
        overrides.push(Override {
            check: RuleCode::KeyUriCloudMismatch,
            fail_only: false,
            needs: vec!["/cache/location".into()],
        });
    }
    if cache_location_symbolic || symbols.contains_kind(vault_loc, SymKind::Location) {
        overrides.push(Override {
            check: RuleCode::VaultRegionMismatch,
            fail_only: true,
            needs: vec!["/cache/location".into(), "/vault/location".into()],
        });
    }
    for u in &bundle.unresolved {
        unresolved.push(u.clone());
    }

    Unit {
        cache,
        config,
        map,
        unresolved,
        overrides,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_set_nested_values() {
        let mut c = Component::new(Kind::Vault, "t", "/resources/0");
        c.set(
            "/networkAcls/bypass",
            "/resources/0/properties/networkAcls/bypass",
            "None".into(),
        );
        assert_eq!(c.get_str("/networkAcls/bypass"), Some("None"));
    }
}
