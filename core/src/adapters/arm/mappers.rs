//! The resource mappers: each resource of interest (`Microsoft.Cache/redisEnterprise`, vaults and Managed HSMs,
//! their keys, user-assigned identities, role assignments, access policies) becomes a component with its model
//! fields and the pointers they come from. Properties are looked up through expressions; an unknown one is
//! recorded with its expression, and one the template omits gets ARM's default.

use serde_json::{Map, Value};

use super::eval::{Arm, V};
use super::{member, TRes};
use crate::adapters::bundle::{ptr, shorten, Bundle, Component, Kind, Unresolved};
use crate::adapters::expr;
use crate::adapters::symbols::Kind as Sym;

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

impl<'a> Arm<'a, '_> {
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
