//! The resource mappers: each resource of interest (`Microsoft.Cache/redisEnterprise`, vaults and Managed HSMs,
//! their keys, user-assigned identities, role assignments, access policies) becomes a component with its model
//! fields and the pointers they come from. Properties are looked up through expressions; an unknown one is
//! recorded with its expression, and one the template omits gets ARM's default.

use serde_json::{Map, Value};

use super::eval::{Arm, V};
use super::look::{first_expression, mapped, set_default, unknown, Look, Src};
use super::{member, TRes};
use crate::adapters::bundle::{shorten, Bundle, Component, Kind};
use crate::pointer::child;
use crate::rules::template::{Unresolved, EXISTING_RESOURCE};

/// A property of an `existing` resource: in Azure, not in the template (its checks say so).
fn existing_property(c: &mut Component, model: &str, at: &str) {
    c.unresolved(
        model,
        at,
        EXISTING_RESOURCE,
        "the resource is existing: its settings are in Azure",
    );
}

/// A cache whose template gives it no identity: deployed, it has none (`"type": "None"`).
fn no_identity(c: &mut Component, at: &str) {
    c.map("/cache/identity", at);
    c.set("/cache/identity/type", at, Value::from("None"));
}

/// Sets `{prefix}/name` (mapped to the resource's `name` member) and `{prefix}/id` (mapped to the resource).
fn set_name_and_id(c: &mut Component, raw: &Map<String, Value>, base: &str, prefix: &str) {
    if !c.name.is_empty() {
        let p = member(raw, "name").map_or_else(|| child(base, "name"), |(k, _)| child(base, k));
        c.set(&format!("{prefix}/name"), &p, Value::String(c.name.clone()));
    }
    if let Some(id) = c.id.clone() {
        c.set(&format!("{prefix}/id"), base, Value::String(id));
    }
}

impl<'a> Arm<'a, '_> {
    pub(super) fn component(&mut self, i: usize, bundle: &mut Bundle) {
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
        // What makes the whole resource unknown: its name, its condition, its copy count.
        let mut whole: Vec<(String, String, String)> = r.issues.clone();
        if let (Some(reason), Some((k, v))) = (
            r.name.as_ref().err().cloned().filter(|e| !e.is_empty()),
            member(r.raw, "name"),
        ) {
            whole.push((
                child(&r.ptr, k),
                v.as_str().unwrap_or("").to_owned(),
                reason,
            ));
        }
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
                bundle.other_types.push(crate::input::truncate(&r.rtype));
                None
            }
        };
        if let Some(mut c) = c {
            for (p, text, reason) in whole {
                // Without its name the resource cannot be joined, and one that may not exist cannot be relied
                // on: say so on every cache.
                let mut u = Unresolved {
                    model: String::new(),
                    doc: p,
                    expression: shorten(&text),
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
        let Some(src) = self.src(i) else {
            return c;
        };
        let (raw, base) = (src.raw, src.base.as_str());
        set_name_and_id(&mut c, raw, base, "/cache");
        self.put(&mut c, i, &["location"], "/cache/location");
        self.put(&mut c, i, &["sku", "name"], "/cache/sku");
        self.cache_identity(&mut c, i, &src);
        // encryption
        const KEK: &str = "/encryption/customerManagedKeyEncryption";
        let kek_path = ["properties", "encryption", "customerManagedKeyEncryption"];
        match self.look_at(&src, &kek_path, false) {
            Look::Val(Value::Object(_), p) => {
                c.set(KEK, &p, Value::Object(Map::new()));
                let mut any = false;
                for leaf in [
                    &["keyEncryptionKeyUrl"][..],
                    &["keyEncryptionKeyIdentity", "identityType"],
                    &["keyEncryptionKeyIdentity", "userAssignedIdentityResourceId"],
                ] {
                    let path: Vec<&str> = kek_path.iter().chain(leaf).copied().collect();
                    any |= self.put(&mut c, i, &path, &format!("{KEK}/{}", leaf.join("/")));
                }
                c.map(
                    &format!("{KEK}/keyEncryptionKeyIdentity"),
                    &child(&p, "keyEncryptionKeyIdentity"),
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

    /// The cache's `identity`: its type, and its user-assigned identities (keyed by resource ID, often written
    /// as expressions).
    fn cache_identity(&mut self, c: &mut Component, i: usize, src: &Src<'a>) {
        const UAIS: &str = "/cache/identity/userAssignedIdentities";
        let t = src.t;
        match member(src.raw, "identity") {
            Some((k, Value::Object(im))) => {
                let ip = child(&src.base, k);
                c.map("/cache/identity", &ip);
                self.put(c, i, &["identity", "type"], "/cache/identity/type");
                match member(im, "userAssignedIdentities") {
                    Some((uk, Value::Object(um))) => {
                        let uais_ptr = child(&ip, uk);
                        let mut out = Map::new();
                        // Keys are resource IDs, often expressions: evaluated one by one.
                        for raw_key in um.keys() {
                            let key_ptr = child(&uais_ptr, raw_key);
                            match self.eval_str(raw_key, t) {
                                V::Str(id) => {
                                    c.map(&child(UAIS, &id), &key_ptr);
                                    out.insert(id, Value::Object(Map::new()));
                                }
                                V::Unres(r) => c.unresolved(UAIS, &key_ptr, raw_key, &r),
                                _ => {
                                    c.unresolved(UAIS, &key_ptr, raw_key, "the key is not a string")
                                }
                            }
                        }
                        c.set(UAIS, &uais_ptr, Value::Object(out));
                    }
                    Some((uk, other)) => {
                        let uais_ptr = child(&ip, uk);
                        match self.eval_value(other, t).to_json() {
                            Ok(Value::Object(m)) => c.set(UAIS, &uais_ptr, ids_only(&m)),
                            Ok(_) => c.map(UAIS, &uais_ptr),
                            Err(r) => c.unresolved(UAIS, &uais_ptr, &first_expression(other), &r),
                        }
                    }
                    None => c.map(UAIS, &child(&ip, "userAssignedIdentities")),
                }
            }
            Some((k, other)) => {
                let ip = child(&src.base, k);
                match self.eval_value(other, t).to_json() {
                    Ok(Value::Object(m)) => {
                        c.map("/cache/identity", &ip);
                        if let Some(ty) = m.get("type") {
                            c.set("/cache/identity/type", &ip, ty.clone());
                        }
                        if let Some(Value::Object(u)) = m.get("userAssignedIdentities") {
                            c.set(UAIS, &ip, ids_only(u));
                        }
                    }
                    // No identity block: the cache deployed has no identity (ARM's default).
                    Ok(Value::Null) => no_identity(c, &ip),
                    Ok(_) => c.map("/cache/identity", &ip),
                    Err(r) => c.unresolved("/cache/identity", &ip, &first_expression(other), &r),
                }
            }
            None => no_identity(c, &child(&src.base, "identity")),
        }
    }

    fn vault(&mut self, i: usize, mut c: Component, hsm: bool) -> Component {
        let Some(src) = self.src(i) else {
            return c;
        };
        let (raw, base, existing) = (src.raw, src.base, src.existing);
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
                existing_property(&mut c, m, &base);
            }
            return c;
        }
        self.put(&mut c, i, &["location"], "/location");
        // ARM's defaults: soft delete on; purge protection off for vaults, on for Managed HSM.
        self.put_or(
            &mut c,
            i,
            &["properties", "enableSoftDelete"],
            "/enableSoftDelete",
            Value::Bool(true),
        );
        self.put_or(
            &mut c,
            i,
            &["properties", "enablePurgeProtection"],
            "/enablePurgeProtection",
            Value::Bool(hsm),
        );
        if !hsm {
            self.put(
                &mut c,
                i,
                &["properties", "enableRbacAuthorization"],
                "/enableRbacAuthorization",
            );
            if let Some(api) = member(raw, "apiVersion").and_then(|(_, v)| v.as_str()) {
                let p = member_ptr(raw, &base, "apiVersion");
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
            set_default(&mut c, "/networkAcls/defaultAction", Value::from("Allow"));
        }
        if !hsm {
            let policies = self.policy_list(i, &["properties", "accessPolicies"]);
            match policies {
                Some((list, p)) => {
                    let mut out = Vec::new();
                    for (n, pc) in list.into_iter().enumerate() {
                        c.absorb(&format!("/accessPolicies/{n}"), &pc);
                        out.push(Value::Object(pc.model));
                    }
                    c.set("/accessPolicies", &p, Value::Array(out));
                }
                None if !unknown(&c, "/accessPolicies") => {
                    let p =
                        mapped(&c, "/accessPolicies").unwrap_or_else(|| child(&base, "properties"));
                    c.set("/accessPolicies", &p, Value::Array(Vec::new()));
                }
                None => {}
            }
        }
        c
    }

    /// The access policies at `path` of resource `i`, one component each (relative model paths).
    fn policy_list(&mut self, i: usize, path: &[&str]) -> Option<(Vec<Component>, String)> {
        let src = self.src(i)?;
        let (raw, t) = (src.raw, src.t);
        // The raw list, when it is written out (entries are then evaluated one by one).
        let mut at = src.base.clone();
        let mut node: Option<&'a Value> = None;
        let mut map = Some(raw);
        for seg in path {
            match map.and_then(|m| member(m, seg)) {
                Some((k, v)) => {
                    at = child(&at, k);
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
            _ => match self.look(&src, path) {
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
            for (name, model) in [
                ("objectId", "/objectId"),
                ("tenantId", "/tenantId"),
                ("applicationId", "/applicationId"),
            ] {
                let fp = child(&ep, name);
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
        let Some(src) = self.src(i) else {
            return c;
        };
        let (raw, base, existing) = (src.raw, src.base, src.existing);
        let mut parts = c.name.splitn(2, '/');
        c.vault_name = parts
            .next()
            .map(str::to_ascii_lowercase)
            .filter(|s| !s.is_empty());
        c.key_name = parts.next().map(str::to_owned);
        if let Some(k) = c.key_name.clone() {
            c.set("/name", &member_ptr(raw, &base, "name"), Value::String(k));
        }
        if existing {
            for m in ["/kty", "/keyOps", "/enabled", "/exp", "/nbf"] {
                existing_property(&mut c, m, &base);
            }
            return c;
        }
        self.put(&mut c, i, &["properties", "kty"], "/kty");
        self.put(&mut c, i, &["properties", "keySize"], "/keySize");
        self.put(&mut c, i, &["properties", "keyOps"], "/keyOps");
        let enabled = ["properties", "attributes", "enabled"];
        self.put_or(&mut c, i, &enabled, "/enabled", Value::Bool(true));
        for (attr, model) in [("exp", "/exp"), ("nbf", "/nbf")] {
            // Not set in the template: the key has none.
            self.put_or(
                &mut c,
                i,
                &["properties", "attributes", attr],
                model,
                Value::Null,
            );
        }
        c
    }

    fn identity(&mut self, mut c: Component) -> Component {
        let base = c.pointer.clone();
        if let Some(id) = c.id.clone() {
            c.set("/id", &base, Value::String(id.clone()));
            let principal = self.identity_guid(&id, "principalid");
            c.set("/principalId", &base, Value::String(principal.clone()));
            c.principal = Some(principal);
        }
        c
    }

    fn role(&mut self, i: usize, mut c: Component) -> Component {
        let Some(src) = self.src(i) else {
            return c;
        };
        let (raw, base, t) = (src.raw, src.base.as_str(), src.t);
        let rtype = c.rtype.to_ascii_lowercase();
        let name = self.resources.get(i).and_then(|x| x.name.clone().ok());
        self.put(&mut c, i, &["properties", "principalId"], "/principalId");
        self.put(
            &mut c,
            i,
            &["properties", "roleDefinitionId"],
            "/roleDefinitionId",
        );
        let (sub, rg) = self.sub_and_rg(t);
        let rg_scope = format!("/subscriptions/{sub}/resourceGroups/{rg}");
        if rtype.contains("/providers/") {
            // `vault/Microsoft.Authorization/{guid}` on `Microsoft.KeyVault/vaults/providers/roleAssignments`.
            if let Some(n) = &name {
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
                    c.set("/scope", &member_ptr(raw, base, "name"), Value::String(s));
                }
            }
        } else {
            match self.look(&src, &["scope"]) {
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
                Look::Absent(_) => c.set("/scope", base, Value::String(rg_scope)),
                Look::Unres(e, r, p) => c.unresolved("/scope", &p, &e, &r),
            }
        }
        c.principal = c.get_str("/principalId").map(str::to_owned);
        c.scope = c.get_str("/scope").map(str::to_owned);
        c
    }
}

/// The pointer of member `name` of a resource (as spelt there), else the resource's.
fn member_ptr(raw: &Map<String, Value>, base: &str, name: &str) -> String {
    member(raw, name).map_or_else(|| base.to_owned(), |(k, _)| child(base, k))
}

/// User-assigned identities without their properties (only the IDs matter).
fn ids_only(m: &Map<String, Value>) -> Value {
    Value::Object(
        m.keys()
            .map(|k| (k.clone(), Value::Object(Map::new())))
            .collect(),
    )
}
