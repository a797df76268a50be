//! Fixes as changes to the checked document: an RFC 6902 JSON Patch for an ARM template or compiled Bicep, the
//! attributes to change for a Terraform plan. Pointers come from the adapter's source map (model path →
//! document pointer); values from the catalogue's fixed values or from the document's own expressions, never
//! from text pasted together: ARM string literals are quoted with [`arm_str`], pointer tokens escaped.

use serde_json::{json, Map, Value};

use super::bundle::Unit;
use super::expr::{self, Expr};
use crate::pointer::{child, existing as existing_pointer, tokens, under};
use crate::report::{PatchOp, TerraformChange};
use crate::roles::VAULT_LEAST_PRIVILEGE;
use crate::rules::catalogue::TemplateFix;

const UAI: &str =
    "/encryption/customerManagedKeyEncryption/keyEncryptionKeyIdentity/userAssignedIdentityResourceId";
const IDENTITY_TYPE: &str =
    "/encryption/customerManagedKeyEncryption/keyEncryptionKeyIdentity/identityType";
const KEY_URL: &str = "/encryption/customerManagedKeyEncryption/keyEncryptionKeyUrl";
/// API versions for resources the patch adds or references when the document has none.
const IDENTITY_API: &str = "2023-01-31";
const ROLE_API: &str = "2022-04-01";
const VAULT_API: &str = "2023-07-01";

/// What the patch builders read.
pub(crate) struct Ctx<'a> {
    pub doc: &'a Value,
    pub unit: &'a Unit<'a>,
    /// The ARM parameters file given with the template, if any.
    pub parameters: Option<&'a Value>,
}

/// An ARM expression string literal: `'it''s'`.
pub(crate) fn arm_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn member<'v>(v: &'v Value, name: &str) -> Option<(&'v String, &'v Value)> {
    super::arm::member(v.as_object()?, name)
}

fn parent(pointer: &str) -> &str {
    pointer
        .rfind('/')
        .and_then(|i| pointer.get(..i))
        .unwrap_or("")
}

fn last_token(pointer: &str) -> String {
    tokens(pointer).pop().unwrap_or_default()
}

/// The inner text of a whole-string expression (`[variables('x')]` → `variables('x')`).
fn expression_inner(s: &str) -> Option<&str> {
    if expr::is_expression(s) {
        s.get(1..s.len().saturating_sub(1)).map(str::trim)
    } else {
        None
    }
}

/// A string of the document as an ARM expression fragment: its expression, or the literal quoted.
fn as_expression(s: &str) -> String {
    expression_inner(s).map_or_else(|| arm_str(&expr::unescape_literal(s)), str::to_owned)
}

impl Ctx<'_> {
    fn has(&self, model_root: &str) -> bool {
        self.unit
            .config
            .get(model_root.trim_start_matches('/'))
            .is_some()
    }

    /// The document pointer of a model path, when the component holding it is in the document (and the path is
    /// a property of it, not the component itself standing in for a property it cannot hold).
    fn pointer(&self, model: &str, root: &str) -> Option<String> {
        if !root.is_empty() && !self.has(root) {
            return None;
        }
        let component = if root.is_empty() {
            self.unit.cache.pointer.clone()
        } else {
            self.unit.locate(root).0
        };
        let (p, _) = self.unit.locate(model);
        (p != component && under(&p, &component)).then_some(p)
    }

    fn model_value(&self, model: &str) -> Option<&Value> {
        let mut cur: Option<&Value> = None;
        for (i, t) in tokens(model).iter().enumerate() {
            cur = if i == 0 {
                self.unit.config.get(t.as_str())
            } else {
                cur.and_then(|v| v.get(t.as_str()))
            };
        }
        cur
    }

    /// The template holding the resource at `pointer`: the innermost nested deployment with inner scope.
    fn template_root(&self, pointer: &str) -> String {
        let toks = tokens(pointer);
        let mut roots = vec![String::new()];
        let mut at = String::new();
        for (i, t) in toks.iter().enumerate() {
            at = child(&at, t);
            let prev = i.checked_sub(1).and_then(|j| toks.get(j));
            if t.eq_ignore_ascii_case("template")
                && prev.is_some_and(|p| p.eq_ignore_ascii_case("properties"))
            {
                let inner = self
                    .doc
                    .pointer(parent(&at))
                    .and_then(|props| member(props, "expressionEvaluationOptions"))
                    .and_then(|(_, o)| member(o, "scope"))
                    .and_then(|(_, s)| s.as_str())
                    .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
                if inner {
                    roots.push(at.clone());
                }
            }
        }
        roots.pop().unwrap_or_default()
    }

    /// Where a value written at `target` comes from: the variable or parameter default it names directly
    /// (`[variables('x')]`, `[parameters('x')]`), followed; else `target` itself.
    fn source(&self, target: &str) -> String {
        let mut at = target.to_owned();
        for _ in 0..8 {
            let Some(inner) = self
                .doc
                .pointer(&at)
                .and_then(Value::as_str)
                .and_then(expression_inner)
            else {
                break;
            };
            let Ok(Expr::Call(f, args)) = expr::parse(inner) else {
                break;
            };
            let [Expr::Str(name)] = args.as_slice() else {
                break;
            };
            let root = self.template_root(&at);
            let Some(template) = self.doc.pointer(&root) else {
                break;
            };
            let next = if f.eq_ignore_ascii_case("variables") {
                member(template, "variables").and_then(|(vk, vars)| {
                    member(vars, name).map(|(k, _)| child(&child(&root, vk), k))
                })
            } else if f.eq_ignore_ascii_case("parameters") && root.is_empty() {
                let given = self
                    .parameters
                    .and_then(|p| member(p, "parameters").map(|(_, v)| v).or(Some(p)))
                    .and_then(|p| member(p, name))
                    .is_some();
                member(template, "parameters")
                    .and_then(|(pk, params)| member(params, name).map(|(k, d)| (pk, k, d)))
                    .filter(|(_, _, d)| !given && member(d, "defaultValue").is_some())
                    .and_then(|(pk, k, d)| {
                        member(d, "defaultValue")
                            .map(|(dk, _)| child(&child(&child(&root, pk), k), dk))
                    })
            } else {
                None
            };
            match next {
                Some(n) => at = n,
                None => break,
            }
        }
        at
    }

    /// Sets the value at `target` (following variables and parameter defaults), adding missing objects on the
    /// way. Nothing when a parent on the way is not an object (e.g. an expression).
    fn set(&self, target: &str, value: Value) -> Vec<PatchOp> {
        let at = self.source(target);
        if self.doc.pointer(&at).is_some() {
            return vec![PatchOp::new("replace", at, Some(value))];
        }
        let existing = existing_pointer(self.doc, &at);
        if !self.doc.pointer(&existing).is_some_and(Value::is_object) {
            return Vec::new();
        }
        let rest: Vec<String> = tokens(&at)
            .into_iter()
            .skip(tokens(&existing).len())
            .collect();
        let Some((first, inner)) = rest.split_first() else {
            return Vec::new();
        };
        let mut v = value;
        for t in inner.iter().rev() {
            let mut m = Map::new();
            m.insert(t.clone(), v);
            v = Value::Object(m);
        }
        vec![PatchOp::new("add", child(&existing, first), Some(v))]
    }

    fn set_model(&self, model: &str, root: &str, value: Value) -> Vec<PatchOp> {
        self.pointer(model, root)
            .map(|p| self.set(&p, value))
            .unwrap_or_default()
    }

    /// Arguments of `resourceId(type, ...)` for the resource at `pointer`: its `name` as written (child
    /// resources prefixed with their parent's).
    fn name_args(&self, pointer: &str, depth: usize) -> Option<Vec<String>> {
        let raw = self.doc.pointer(pointer)?;
        let name = member(raw, "name")?.1.as_str()?;
        let own_type = member(raw, "type")
            .and_then(|(_, t)| t.as_str())
            .unwrap_or("");
        let mut args = Vec::new();
        let list = parent(pointer);
        let holder = parent(list);
        let is_child = last_token(list).eq_ignore_ascii_case("resources")
            && !holder.is_empty()
            && !last_token(holder).eq_ignore_ascii_case("template")
            && !own_type.contains('/');
        if is_child && depth < 4 {
            args = self.name_args(holder, depth + 1)?;
        }
        match expression_inner(name) {
            Some(e) => args.push(e.to_owned()),
            None => args.extend(expr::unescape_literal(name).split('/').map(arm_str)),
        }
        Some(args)
    }

    fn resource_id_expr(&self, pointer: &str, rtype: &str) -> Option<String> {
        let args = self.name_args(pointer, 0)?;
        Some(format!(
            "resourceId({}, {})",
            arm_str(rtype),
            args.join(", ")
        ))
    }

    fn api_version(&self, pointer: &str, default: &str) -> String {
        self.doc
            .pointer(pointer)
            .and_then(|r| member(r, "apiVersion"))
            .and_then(|(_, v)| v.as_str())
            .unwrap_or(default)
            .to_owned()
    }

    /// The user-assigned identity's resource ID as an expression: as the cache's settings write it.
    fn identity_expr(&self) -> Option<String> {
        let p = self.pointer(UAI, "")?;
        self.doc
            .pointer(&p)
            .and_then(Value::as_str)
            .map(as_expression)
    }

    fn key_url_value(&self, hsm: bool) -> Value {
        if self.has("/key") {
            let kp = self.unit.locate("/key").0;
            let rtype = if hsm {
                "Microsoft.KeyVault/managedHSMs/keys"
            } else {
                "Microsoft.KeyVault/vaults/keys"
            };
            if let Some(id) = self.resource_id_expr(&kp, rtype) {
                let api = self.api_version(&kp, VAULT_API);
                return Value::String(format!(
                    "[reference({id}, {}).keyUriWithVersion]",
                    arm_str(&api)
                ));
            }
        }
        // The key is not in the template: its version cannot be known here (a marked placeholder).
        let url = self
            .model_value(KEY_URL)
            .and_then(Value::as_str)
            .filter(|s| crate::parse_key_uri(s).is_ok_and(|k| k.version().is_none()));
        Value::String(url.map_or_else(
            || "<versioned-key-url>".to_owned(),
            |u| format!("{}/<key-version>", u.trim_end_matches('/')),
        ))
    }

    fn role_resource(&self, hsm: bool) -> Vec<PatchOp> {
        if hsm || !self.has("/vault") {
            return Vec::new();
        }
        let vp = self.unit.locate("/vault").0;
        let Some(uai) = self.identity_expr() else {
            return Vec::new();
        };
        let Some(vault_args) = self.name_args(&vp, 0) else {
            return Vec::new();
        };
        let [vault_name] = vault_args.as_slice() else {
            return Vec::new();
        };
        let vault_id = format!("resourceId('Microsoft.KeyVault/vaults', {vault_name})");
        let identity_api = if self.has("/identity") {
            self.api_version(&self.unit.locate("/identity").0, IDENTITY_API)
        } else {
            IDENTITY_API.to_owned()
        };
        let role = arm_str(VAULT_LEAST_PRIVILEGE);
        let list = parent(&vp).to_owned();
        let container = self.doc.pointer(&list);
        let mut resource = json!({
            "type": "Microsoft.Authorization/roleAssignments",
            "apiVersion": ROLE_API,
            "scope": format!("[format('Microsoft.KeyVault/vaults/{{0}}', {vault_name})]"),
            "name": format!("[guid({vault_id}, {uai}, {role})]"),
            "properties": {
                "roleDefinitionId": format!(
                    "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {role})]"
                ),
                "principalId": format!("[reference({uai}, {}).principalId]", arm_str(&identity_api)),
                "principalType": "ServicePrincipal"
            }
        });
        match container {
            Some(Value::Array(_)) => {
                if let Value::Object(m) = &mut resource {
                    let mut depends = vec![Value::String(format!("[{vault_id}]"))];
                    if self.has("/identity") {
                        depends.push(Value::String(format!("[{uai}]")));
                    }
                    m.insert("dependsOn".into(), Value::Array(depends));
                }
                vec![PatchOp::new("add", child(&list, "-"), Some(resource))]
            }
            Some(Value::Object(existing)) => {
                // languageVersion 2.0: resources by symbolic name; depend on symbolic names.
                if let Value::Object(m) = &mut resource {
                    let mut depends = vec![Value::String(last_token(&vp))];
                    let ip = self.unit.locate("/identity").0;
                    if self.has("/identity") && parent(&ip) == list {
                        depends.push(Value::String(last_token(&ip)));
                    }
                    m.insert("dependsOn".into(), Value::Array(depends));
                }
                let mut name = "cmkCryptoServiceEncryptionUser".to_owned();
                let mut n = 2;
                while existing.contains_key(&name) {
                    name = format!("cmkCryptoServiceEncryptionUser{n}");
                    n += 1;
                }
                vec![PatchOp::new("add", child(&list, &name), Some(resource))]
            }
            _ => Vec::new(),
        }
    }

    fn access_policy(&self) -> Vec<PatchOp> {
        let Some(uai) = self.identity_expr() else {
            return Vec::new();
        };
        let Some(p) = self.pointer("/vault/accessPolicies", "/vault") else {
            return Vec::new();
        };
        let entry = json!({
            "tenantId": "[subscription().tenantId]",
            "objectId": format!("[reference({uai}, {}).principalId]", arm_str(IDENTITY_API)),
            "permissions": {"keys": ["get", "wrapKey", "unwrapKey"]}
        });
        match self.doc.pointer(&p) {
            Some(Value::Array(_)) => vec![PatchOp::new("add", child(&p, "-"), Some(entry))],
            Some(_) => Vec::new(),
            None => {
                let vp = self.unit.locate("/vault").0;
                self.set(
                    &child(&child(&vp, "properties"), "accessPolicies"),
                    json!([entry]),
                )
            }
        }
    }

    fn attach_identity(&self) -> Vec<PatchOp> {
        let Some(uai) = self
            .pointer(UAI, "")
            .and_then(|p| self.doc.pointer(&p))
            .and_then(Value::as_str)
        else {
            return Vec::new();
        };
        let current = self
            .model_value("/cache/identity/type")
            .and_then(Value::as_str)
            .unwrap_or("");
        let system = current
            .split(',')
            .any(|p| p.trim().eq_ignore_ascii_case("SystemAssigned"));
        let user = current
            .split(',')
            .any(|p| p.trim().eq_ignore_ascii_case("UserAssigned"));
        let cache = self.unit.cache.pointer.clone();
        let identity = member(self.doc.pointer(&cache).unwrap_or(&Value::Null), "identity");
        let Some((ik, iv)) = identity else {
            let mut uais = Map::new();
            uais.insert(uai.to_owned(), json!({}));
            return vec![PatchOp::new(
                "add",
                child(&cache, "identity"),
                Some(json!({"type": "UserAssigned", "userAssignedIdentities": uais})),
            )];
        };
        let ip = child(&cache, ik);
        if !iv.is_object() {
            return Vec::new();
        }
        let mut ops = Vec::new();
        if !user {
            let kind = if system {
                "SystemAssigned, UserAssigned"
            } else {
                "UserAssigned"
            };
            ops.extend(self.set(&child(&ip, "type"), Value::from(kind)));
        }
        match member(iv, "userAssignedIdentities") {
            Some((uk, Value::Object(_))) => {
                ops.push(PatchOp::new(
                    "add",
                    child(&child(&ip, uk), uai),
                    Some(json!({})),
                ));
            }
            Some(_) => {}
            None => {
                let mut uais = Map::new();
                uais.insert(uai.to_owned(), json!({}));
                ops.push(PatchOp::new(
                    "add",
                    child(&ip, "userAssignedIdentities"),
                    Some(Value::Object(uais)),
                ));
            }
        }
        ops
    }

    fn remove_model(&self, model: &str, root: &str) -> Vec<PatchOp> {
        self.pointer(model, root)
            .filter(|p| self.doc.pointer(p).is_some())
            .map(|p| vec![PatchOp::new("remove", p, None)])
            .unwrap_or_default()
    }
}

fn wanted_ops(current: Option<&Value>) -> Value {
    let mut ops: Vec<Value> = current
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for op in ["wrapKey", "unwrapKey"] {
        if !ops
            .iter()
            .any(|o| o.as_str().is_some_and(|s| s.eq_ignore_ascii_case(op)))
        {
            ops.push(Value::from(op));
        }
    }
    Value::Array(ops)
}

fn is_hsm(ctx: &Ctx) -> bool {
    ctx.model_value("/vault/kind").and_then(Value::as_str) == Some("managedHsm")
        || ctx
            .model_value(KEY_URL)
            .and_then(Value::as_str)
            .and_then(|u| crate::parse_key_uri(u).ok())
            .is_some_and(|k| k.vault_kind() == crate::VaultKind::ManagedHsm)
}

/// The JSON Patch against an ARM template that fixes a finding (empty when the template cannot say it).
pub(crate) fn arm_patch(change: TemplateFix, ctx: &Ctx) -> Vec<PatchOp> {
    let hsm = is_hsm(ctx);
    match change {
        TemplateFix::PurgeProtection => {
            ctx.set_model("/vault/enablePurgeProtection", "/vault", Value::Bool(true))
        }
        TemplateFix::SoftDelete => {
            ctx.set_model("/vault/enableSoftDelete", "/vault", Value::Bool(true))
        }
        TemplateFix::TrustedServices => ctx.set_model(
            "/vault/networkAcls/bypass",
            "/vault",
            Value::from("AzureServices"),
        ),
        TemplateFix::VaultRegion => ctx
            .pointer("/cache/location", "")
            .and_then(|p| ctx.doc.pointer(&p).cloned())
            .map(|loc| ctx.set_model("/vault/location", "/vault", loc))
            .unwrap_or_default(),
        TemplateFix::RsaKey => {
            let mut ops = ctx.set_model(
                "/key/kty",
                "/key",
                Value::from(if hsm { "RSA-HSM" } else { "RSA" }),
            );
            if ctx.has("/key") {
                let props = child(&ctx.unit.locate("/key").0, "properties");
                if let Some((k, _)) = ctx.doc.pointer(&props).and_then(|p| member(p, "curveName")) {
                    ops.push(PatchOp::new("remove", child(&props, k), None));
                }
                if ctx
                    .doc
                    .pointer(&props)
                    .is_some_and(|p| member(p, "keySize").is_none())
                {
                    ops.push(PatchOp::new(
                        "add",
                        child(&props, "keySize"),
                        Some(Value::from(3072)),
                    ));
                }
            }
            ops
        }
        TemplateFix::KeyOps => ctx.set_model(
            "/key/keyOps",
            "/key",
            wanted_ops(ctx.model_value("/key/keyOps")),
        ),
        TemplateFix::EnableKey => ctx.set_model("/key/enabled", "/key", Value::Bool(true)),
        TemplateFix::RemoveExpiry => ctx.remove_model("/key/exp", "/key"),
        TemplateFix::RemoveNotBefore => ctx.remove_model("/key/nbf", "/key"),
        TemplateFix::KeyUrl => ctx.set_model(KEY_URL, "", ctx.key_url_value(hsm)),
        TemplateFix::UserAssignedIdentity => {
            let mut ops = ctx.set_model(IDENTITY_TYPE, "", Value::from("userAssignedIdentity"));
            if ctx.model_value(UAI).is_none() {
                ops.extend(ctx.set_model(UAI, "", Value::from("<identity-resource-id>")));
            }
            ops
        }
        TemplateFix::IdentityResourceId => {
            ctx.set_model(UAI, "", Value::from("<identity-resource-id>"))
        }
        TemplateFix::AttachIdentity => ctx.attach_identity(),
        TemplateFix::LeastPrivilegeRole => ctx.role_resource(hsm),
        TemplateFix::AccessPolicy => ctx.access_policy(),
        TemplateFix::None => Vec::new(),
    }
}

/// `(address, attribute)` of a model path in a Terraform plan: the tokens after `values` / `after`.
fn tf_attr(ctx: &Ctx, model: &str, root: &str) -> Option<(String, String)> {
    if !root.is_empty() && !ctx.has(root) {
        return None;
    }
    let (p, address) = ctx.unit.locate(model);
    let address = address?;
    let toks = tokens(&p);
    // A plan: the tokens after `values` / `after`; a configuration: after `/modules/N/resource/TYPE/NAME`.
    let skip = match toks.iter().rposition(|t| t == "values" || t == "after") {
        Some(at) => at + 1,
        None if toks.first().is_some_and(|t| t == "modules")
            && toks.get(2).is_some_and(|t| t == "resource") =>
        {
            5
        }
        None => return None,
    };
    let attr: Vec<String> = toks.into_iter().skip(skip).collect();
    (!attr.is_empty()).then(|| (address, attr.join(".")))
}

fn tf_set(ctx: &Ctx, model: &str, root: &str, value: Value) -> Vec<TerraformChange> {
    tf_attr(ctx, model, root)
        .map(|(address, attribute)| {
            vec![TerraformChange {
                address,
                attribute: Some(attribute),
                value: Some(value),
                expression: None,
                create: false,
            }]
        })
        .unwrap_or_default()
}

fn tf_address(ctx: &Ctx, root: &str) -> Option<String> {
    if ctx.has(root) {
        ctx.unit.locate(root).1
    } else {
        None
    }
}

/// The Terraform changes that fix a finding (empty when the plan cannot say them).
pub(crate) fn terraform_changes(change: TemplateFix, ctx: &Ctx) -> Vec<TerraformChange> {
    let hsm = is_hsm(ctx);
    match change {
        TemplateFix::PurgeProtection => tf_set(
            ctx,
            "/vault/enablePurgeProtection",
            "/vault",
            Value::Bool(true),
        ),
        TemplateFix::TrustedServices => tf_set(
            ctx,
            "/vault/networkAcls/bypass",
            "/vault",
            Value::from("AzureServices"),
        ),
        TemplateFix::RsaKey => {
            let mut out = tf_set(
                ctx,
                "/key/kty",
                "/key",
                Value::from(if hsm { "RSA-HSM" } else { "RSA" }),
            );
            if let Some(address) = tf_address(ctx, "/key") {
                out.push(TerraformChange {
                    address,
                    attribute: Some("key_size".into()),
                    value: Some(Value::from(3072)),
                    expression: None,
                    create: false,
                });
            }
            out
        }
        TemplateFix::KeyOps => tf_set(
            ctx,
            "/key/keyOps",
            "/key",
            wanted_ops(ctx.model_value("/key/keyOps")),
        ),
        TemplateFix::KeyUrl => {
            let Some((address, attribute)) = tf_attr(ctx, KEY_URL, "") else {
                return Vec::new();
            };
            match tf_address(ctx, "/key") {
                // A key resource's `id` is its versioned identifier.
                Some(key) => vec![TerraformChange {
                    address,
                    attribute: Some(attribute),
                    value: None,
                    expression: Some(format!("{key}.id")),
                    create: false,
                }],
                None => Vec::new(),
            }
        }
        TemplateFix::LeastPrivilegeRole if !hsm => {
            let (Some(vault), Some(identity)) =
                (tf_address(ctx, "/vault"), tf_address(ctx, "/identity"))
            else {
                return Vec::new();
            };
            vec![TerraformChange {
                address: "azurerm_role_assignment.cmk_crypto_service_encryption_user".into(),
                attribute: None,
                value: Some(json!({
                    "scope": format!("${{{vault}.id}}"),
                    "role_definition_name": "Key Vault Crypto Service Encryption User",
                    "principal_id": format!("${{{identity}.principal_id}}"),
                    "principal_type": "ServicePrincipal"
                })),
                expression: None,
                create: true,
            }]
        }
        // The key's identity in the cache's `identity_ids` (and `UserAssigned` in its type).
        TemplateFix::AttachIdentity => {
            let (Some(cache), Some(identity)) =
                (ctx.unit.cache.address.clone(), tf_address(ctx, "/identity"))
            else {
                return Vec::new();
            };
            vec![
                TerraformChange {
                    address: cache.clone(),
                    attribute: Some("identity.0.type".into()),
                    value: Some(Value::from("UserAssigned")),
                    expression: None,
                    create: false,
                },
                TerraformChange {
                    address: cache,
                    attribute: Some("identity.0.identity_ids".into()),
                    value: None,
                    expression: Some(format!("[{identity}.id]")),
                    create: false,
                },
            ]
        }
        // Not expressible as a change of the plan's attributes (soft delete cannot be turned off in azurerm, the
        // others need a new resource or a value the plan does not hold).
        TemplateFix::LeastPrivilegeRole
        | TemplateFix::None
        | TemplateFix::SoftDelete
        | TemplateFix::VaultRegion
        | TemplateFix::EnableKey
        | TemplateFix::RemoveExpiry
        | TemplateFix::RemoveNotBefore
        | TemplateFix::UserAssignedIdentity
        | TemplateFix::IdentityResourceId
        | TemplateFix::AccessPolicy => Vec::new(),
    }
}
