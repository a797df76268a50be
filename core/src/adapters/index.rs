//! The bundle's components by what the join looks them up by, built once per bundle: joining a cache is a few
//! hash lookups, so checking N caches is linear in the resources (a tenant's Resource Graph output holds tens
//! of thousands).
//!
//! Role assignments are found by principal, and, where the principal is not known, by scope: the vault's
//! resource ID and each of its ancestors (resource group, subscription, `/`), and any scope below a vault of
//! that name (`.../vaults/kv/keys/k`), one lookup each. A scope in a subscription the document does not name
//! (an ARM template's `subscription()`, a stand-in) is at any subscription: it matches the vault's ID when the
//! rest of the scope does (`/subscriptions/<deploying>/resourceGroups/rg-shared` is an ancestor of the vault
//! `az keyvault show` gives in `rg-shared`).

use std::collections::HashMap;

use super::bundle::{Bundle, Component, Kind};
use crate::identity::resource_id_key;

/// The lookups of one bundle. Every list keeps the join's order: resources created by the document first,
/// then resources as they exist (`az` or Resource Graph output, maybe another file), then references (an ARM
/// `existing` resource or a Terraform data source says less about the same vault), each in document order.
pub(crate) struct Index<'b> {
    identities: HashMap<String, &'b Component>,
    vaults: HashMap<String, &'b Component>,
    keys: HashMap<(String, String), &'b Component>,
    policies: HashMap<String, Vec<&'b Component>>,
    roles: Vec<&'b Component>,
    by_principal: HashMap<String, Vec<usize>>,
    no_principal: Vec<usize>,
    by_scope: HashMap<String, Vec<usize>>,
    by_vault: HashMap<String, Vec<usize>>,
    /// No scope, `/`, or a Managed HSM local scope (`/keys`, `/keys/k`): related to every vault.
    everywhere: Vec<usize>,
    /// Whether some scope is in a stand-in subscription (then `by_scope` also holds it under
    /// [`any_subscription`], and the vault's ancestors are looked up that way too).
    stand_in_scopes: bool,
}

/// `/subscriptions/*/rest` for a lower-case scope key in a stand-in subscription, or for any scope when
/// `always` (a vault's ancestor, to find such scopes); `None` when it is not in a subscription.
fn any_subscription(key: &str, always: bool) -> Option<String> {
    let rest = key.strip_prefix("/subscriptions/")?;
    let (sub, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if !always && !super::symbols::is_guid_stand_in(sub) {
        return None;
    }
    Some(if tail.is_empty() {
        "/subscriptions/*".to_owned()
    } else {
        format!("/subscriptions/*/{tail}")
    })
}

/// The vault or Managed HSM name a scope is at or below (lower case): the segment after `vaults` or
/// `managedHSMs`.
fn scope_vault(scope: &str) -> Option<String> {
    let mut segs = scope.split('/');
    while let Some(s) = segs.next() {
        if s.eq_ignore_ascii_case("vaults") || s.eq_ignore_ascii_case("managedhsms") {
            return segs
                .next()
                .filter(|n| !n.is_empty())
                .map(str::to_ascii_lowercase);
        }
    }
    None
}

/// A role scope in a stand-in subscription, put in the subscription of the vault `vault_id` when the rest of
/// the scope is the vault's ID or one of its ancestors: what the rules then compare (`None` when it is not such
/// a scope, or the rest differs).
pub(crate) fn scope_at_vault(scope: &str, vault_id: &str) -> Option<String> {
    // Most scopes name a real subscription: no copy for them.
    let mut segs = scope.split('/');
    let in_stand_in = segs.next() == Some("")
        && segs
            .next()
            .is_some_and(|s| s.eq_ignore_ascii_case("subscriptions"))
        && segs.next().is_some_and(super::symbols::is_guid_stand_in);
    if !in_stand_in {
        return None;
    }
    let any = any_subscription(&resource_id_key(scope), false)?;
    let vault = resource_id_key(vault_id);
    let vault_any = any_subscription(&vault, true)?;
    let covers = vault_any == any
        || vault_any
            .strip_prefix(any.as_str())
            .is_some_and(|rest| rest.starts_with('/'));
    if !covers {
        return None;
    }
    // The vault's subscription as it spells it, then the scope's rest as it is.
    let sub = vault_id.trim_start_matches('/').split('/').nth(1)?;
    let rest = scope
        .trim_end_matches('/')
        .trim_start_matches('/')
        .splitn(3, '/')
        .nth(2);
    Some(match rest {
        Some(rest) => format!("/subscriptions/{sub}/{rest}"),
        None => format!("/subscriptions/{sub}"),
    })
}

impl<'b> Index<'b> {
    /// Indexes the components of `bundle`.
    pub fn new(bundle: &'b Bundle) -> Self {
        let mut ordered: Vec<&Component> = bundle.components.iter().collect();
        // Created by the document, then as it exists (az, Resource Graph), then references (`existing`).
        ordered.sort_by_key(|c| (!c.managed, !c.observed));
        let mut ix = Index {
            identities: HashMap::new(),
            vaults: HashMap::new(),
            keys: HashMap::new(),
            policies: HashMap::new(),
            roles: Vec::new(),
            by_principal: HashMap::new(),
            no_principal: Vec::new(),
            by_scope: HashMap::new(),
            by_vault: HashMap::new(),
            everywhere: Vec::new(),
            stand_in_scopes: false,
        };
        for c in ordered {
            match c.kind {
                Kind::Cache => {}
                Kind::Identity => {
                    if let Some(id) = &c.id {
                        ix.identities.entry(resource_id_key(id)).or_insert(c);
                    }
                }
                Kind::Vault => {
                    ix.vaults.entry(c.name.to_ascii_lowercase()).or_insert(c);
                }
                Kind::Key => {
                    if let (Some(v), Some(k)) = (&c.vault_name, &c.key_name) {
                        ix.keys
                            .entry((v.to_ascii_lowercase(), k.to_ascii_lowercase()))
                            .or_insert(c);
                    }
                }
                Kind::Policy => {
                    if let Some(v) = &c.vault_name {
                        ix.policies
                            .entry(v.to_ascii_lowercase())
                            .or_default()
                            .push(c);
                    }
                }
                Kind::Role => {
                    let i = ix.roles.len();
                    ix.roles.push(c);
                    match &c.principal {
                        Some(p) => ix
                            .by_principal
                            .entry(p.to_ascii_lowercase())
                            .or_default()
                            .push(i),
                        None => ix.no_principal.push(i),
                    }
                    let Some(scope) = c.scope.as_deref() else {
                        ix.everywhere.push(i);
                        continue;
                    };
                    let s = scope.to_ascii_lowercase();
                    if s == "/" || s.starts_with("/keys") {
                        ix.everywhere.push(i);
                        continue;
                    }
                    if let Some(v) = scope_vault(&s) {
                        ix.by_vault.entry(v).or_default().push(i);
                    }
                    let key = resource_id_key(&s);
                    if let Some(any) = any_subscription(&key, false) {
                        ix.stand_in_scopes = true;
                        ix.by_scope.entry(any).or_default().push(i);
                    }
                    ix.by_scope.entry(key).or_default().push(i);
                }
            }
        }
        ix
    }

    /// The user-assigned identity with this resource ID.
    pub fn identity(&self, id: &str) -> Option<&'b Component> {
        self.identities.get(&resource_id_key(id)).copied()
    }

    /// The vault (or Managed HSM) with this name.
    pub fn vault(&self, name: &str) -> Option<&'b Component> {
        self.vaults.get(&name.to_ascii_lowercase()).copied()
    }

    /// The key `key` of vault `vault`.
    pub fn key(&self, vault: &str, key: &str) -> Option<&'b Component> {
        self.keys
            .get(&(vault.to_ascii_lowercase(), key.to_ascii_lowercase()))
            .copied()
    }

    /// The access policies given as their own resources for the vault `vault`.
    pub fn policies(&self, vault: &str) -> &[&'b Component] {
        self.policies
            .get(&vault.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// Whether role assignment `r` (one of this bundle's) is related to the vault: scoped at the vault, an
    /// ancestor of it or below it, everywhere (`/`), or given without a scope.
    pub fn related(
        &self,
        r: &Component,
        vault: Option<&Component>,
        vault_name: Option<&str>,
    ) -> bool {
        let Some(scope) = r.scope.as_deref() else {
            return true;
        };
        let s = scope.to_ascii_lowercase();
        if s == "/" || s.starts_with("/keys") {
            return true;
        }
        if vault_name.is_some_and(|n| scope_vault(&s).as_deref() == Some(&n.to_ascii_lowercase())) {
            return true;
        }
        let mut scope = resource_id_key(&s);
        let any = any_subscription(&scope, false);
        vault.and_then(|v| v.id.as_deref()).is_some_and(|id| {
            let mut id = resource_id_key(id);
            if let Some(any) = any.clone() {
                // A stand-in subscription: at any subscription.
                scope = any;
                id = any_subscription(&id, true).unwrap_or(id);
            }
            id == scope
                || id
                    .strip_prefix(scope.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// The role assignments the join looks at, in join order: those of `principal`, and either every one
    /// related to the vault (`near`: when the principal is unknown or known only symbolically) or those without
    /// a principal. The vault's relations are looked up by its ID and each of its ancestors, and by its name.
    pub fn role_candidates(
        &self,
        principal: Option<&str>,
        near: bool,
        vault: Option<&Component>,
        vault_name: Option<&str>,
    ) -> Vec<&'b Component> {
        let mut found: Vec<usize> = Vec::new();
        if let Some(p) = principal {
            found.extend(
                self.by_principal
                    .get(&p.to_ascii_lowercase())
                    .into_iter()
                    .flatten(),
            );
        }
        if !near {
            found.extend(&self.no_principal);
            return self.pick(found);
        }
        found.extend(&self.everywhere);
        if let Some(n) = vault_name {
            found.extend(
                self.by_vault
                    .get(&n.to_ascii_lowercase())
                    .into_iter()
                    .flatten(),
            );
        }
        if let Some(id) = vault.and_then(|v| v.id.as_deref()) {
            let id = resource_id_key(id);
            let mut at = id.as_str();
            loop {
                found.extend(self.by_scope.get(at).into_iter().flatten());
                if self.stand_in_scopes {
                    if let Some(any) = any_subscription(at, true) {
                        found.extend(self.by_scope.get(&any).into_iter().flatten());
                    }
                }
                match at.rfind('/') {
                    Some(cut) if cut > 0 => at = at.get(..cut).unwrap_or(""),
                    _ => break,
                }
            }
        }
        self.pick(found)
    }

    /// The roles at these indices, each once, in join order.
    fn pick(&self, mut found: Vec<usize>) -> Vec<&'b Component> {
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .filter_map(|i| self.roles.get(i).copied())
            .collect()
    }
}
