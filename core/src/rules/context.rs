//! What every rule reads, derived once from the input: whether CMK is used, the key (from its URL or the
//! vault/key selection), the SKU, the identity and its principal, and the facts the fixes may fill in.

use crate::coverage::{tier_for_sku, SkuInfo};
use crate::error::{IdentityIdError, KeyUriError, SkuError};
use crate::fix::Facts;
use crate::identity::{parse_identity_id, same_resource_id, IdentityId};
use crate::key_uri::{key_from_parts, parse_key_uri, Cloud, KeyId, VaultKind};
use crate::location::{cloud_of_location, normalize_location};
use crate::model::{Config, KeySource, Vault};

use super::inputs::{P_SEL, P_URL};

pub(super) struct Ctx<'a> {
    pub cfg: &'a Config,
    pub cmk: bool,
    pub sku: Option<Result<SkuInfo, SkuError>>,
    pub url_key: Option<Result<KeyId, KeyUriError>>,
    pub sel_key: Option<Result<KeyId, KeyUriError>>,
    /// Missing parts of an incomplete selection (`vaultName`, `keyName`, `version`).
    pub sel_missing: Vec<&'static str>,
    pub cache_location: Option<&'a str>,
    pub uai_id: Option<&'a str>,
    /// `uai_id` parsed (once: the identity checks and the fixes both need it).
    pub uai: Option<Result<IdentityId, IdentityIdError>>,
    pub principal: Option<&'a str>,
}

pub(super) fn nonempty(s: Option<&String>) -> Option<&str> {
    s.map(String::as_str).filter(|s| !s.is_empty())
}

impl<'a> Ctx<'a> {
    pub fn new(cfg: &'a Config) -> Ctx<'a> {
        let cache = cfg.cache.as_ref();
        let enc = cfg.encryption.as_ref();
        let cmk_block = enc.and_then(|e| e.customer_managed_key_encryption.as_ref());
        let cmk = match enc.and_then(|e| e.key_source) {
            Some(source) => source == KeySource::CustomerManaged,
            None => cmk_block.is_some_and(|c| {
                c.key_encryption_key_url.is_some()
                    || c.key_selection.is_some()
                    || c.key_encryption_key_identity.is_some()
            }),
        };
        let cache_location = cache.and_then(|c| nonempty(c.location.as_ref()));
        let sku = cache.and_then(|c| c.sku.as_deref()).map(tier_for_sku);

        let url = cmk_block.and_then(|c| c.key_encryption_key_url.as_deref());
        let url_key = if cmk { url.map(parse_key_uri) } else { None };

        let mut sel_missing = Vec::new();
        let mut sel_key = None;
        if let Some(sel) = cmk_block
            .and_then(|c| c.key_selection.as_ref())
            .filter(|_| cmk)
        {
            let vault = nonempty(sel.vault_name.as_ref());
            let name = nonempty(sel.key_name.as_ref());
            let version = nonempty(sel.version.as_ref());
            for (part, label) in [
                (vault, "vaultName"),
                (name, "keyName"),
                (version, "version"),
            ] {
                if part.is_none() {
                    sel_missing.push(label);
                }
            }
            if let (Some(vault), Some(name), Some(version)) = (vault, name, version) {
                let cloud = cache_location.map_or(Cloud::Public, cloud_of_location);
                let kind = sel
                    .vault_kind
                    .or_else(|| cfg.vault.as_ref().and_then(|v| v.kind))
                    .unwrap_or(VaultKind::Vault);
                sel_key = Some(key_from_parts(vault, name, Some(version), cloud, kind));
            }
        }

        let kek_identity = cmk_block.and_then(|c| c.key_encryption_key_identity.as_ref());
        let uai_id =
            kek_identity.and_then(|k| nonempty(k.user_assigned_identity_resource_id.as_ref()));
        let principal = resolve_principal(cfg, uai_id);

        Ctx {
            cfg,
            cmk,
            sku,
            url_key,
            sel_key,
            sel_missing,
            cache_location,
            uai_id,
            uai: uai_id.map(parse_identity_id),
            principal,
        }
    }

    pub fn key(&self) -> Option<&KeyId> {
        match (&self.url_key, &self.sel_key) {
            (Some(Ok(k)), _) | (None, Some(Ok(k))) => Some(k),
            _ => None,
        }
    }

    /// Whether a key was given in any form (valid or not).
    pub fn key_given(&self) -> bool {
        self.url_key.is_some() || self.sel_key.is_some() || !self.sel_missing.is_empty()
    }

    /// Where the key was given, for findings about the key itself.
    pub fn key_path(&self) -> &'static str {
        if self.url_key.is_some() {
            P_URL
        } else {
            P_SEL
        }
    }

    /// What the fix commands may fill in.
    pub fn facts(&self) -> Facts {
        let cache = self.cfg.cache.as_ref();
        let vault = self.vault();
        Facts {
            cache_id: cache.and_then(|c| c.id.clone()),
            cache_name: cache.and_then(|c| c.name.clone()),
            cache_location: self.cache_location.map(normalize_location),
            key: self.key().cloned(),
            vault_name: vault.and_then(|v| v.name.clone()),
            vault_id: vault.and_then(|v| v.id.clone()),
            vault_kind: self.vault_kind(),
            key_name: self.cfg.key.as_ref().and_then(|k| k.name.clone()),
            identity_id: self.uai_id.map(|id| match &self.uai {
                Some(Ok(p)) => p.id.clone(),
                _ => id.to_owned(),
            }),
            principal_id: self.principal.map(str::to_owned),
            policy_object_ids: vault
                .and_then(|v| v.access_policies.as_ref())
                .map(|p| p.iter().filter_map(|p| p.object_id.clone()).collect())
                .unwrap_or_default(),
            cache_identity_type: cache
                .and_then(|c| c.identity.as_ref())
                .and_then(|i| i.kind.clone()),
        }
    }

    /// The key's name: as described, else from the key URI.
    pub fn key_name(&self) -> Option<String> {
        let described = self.cfg.key.as_ref().and_then(|k| k.name.clone());
        described.or_else(|| self.key().map(|k| k.key_name().to_owned()))
    }

    /// The vault's name: from the key URI, else as described.
    pub fn vault_name(&self) -> Option<String> {
        let from_key = self.key().map(|k| k.vault_name().to_owned());
        from_key.or_else(|| self.vault().and_then(|v| v.name.clone()))
    }

    pub fn vault(&self) -> Option<&'a Vault> {
        self.cfg.vault.as_ref()
    }

    pub fn vault_kind(&self) -> Option<VaultKind> {
        self.key()
            .map(|k| k.vault_kind())
            .or_else(|| self.vault().and_then(|v| v.kind))
    }
}

/// The identity's principal ID: from the identity resource if it is the same identity (or has no ID), else from
/// the cache's `userAssignedIdentities` entry for it.
fn resolve_principal<'a>(cfg: &'a Config, uai_id: Option<&str>) -> Option<&'a str> {
    if let Some(identity) = &cfg.identity {
        let same = match (identity.id.as_deref(), uai_id) {
            (Some(a), Some(b)) => same_resource_id(a, b),
            _ => true,
        };
        if same {
            if let Some(p) = nonempty(identity.principal_id.as_ref()) {
                return Some(p);
            }
        }
    }
    let uai_id = uai_id?;
    let map = cfg
        .cache
        .as_ref()?
        .identity
        .as_ref()?
        .user_assigned_identities
        .as_ref()?;
    map.iter()
        .find(|(id, _)| same_resource_id(id, uai_id))
        .and_then(|(_, v)| nonempty(v.principal_id.as_ref()))
}
