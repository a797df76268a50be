//! The rule engine: evaluates every check of the catalogue against a [`Config`].

use serde_json::{Map, Value};

use crate::catalogue::{check_rule, CHECKS, KEY_URI_SYNTAX};
use crate::coverage::{tier_for_sku, SkuInfo, Tier};
use crate::error::{IdentityIdError, KeyUriError, SkuError};
use crate::fix::Facts;
use crate::identity::{parse_identity_id, IdentityId};
use crate::key_uri::{key_from_parts, parse_key_uri, Cloud, KeyId, VaultKind};
use crate::location::{cloud_of_location, normalize_location};
use crate::model::{Config, IdentityType, KeySource, Vault};
use crate::report::{Check, Finding, Outcome, Report, Severity, Summary};
use crate::roles::{
    actions_are_least_privilege, actions_grant_key_access, find_role, HSM_LEAST_PRIVILEGE,
    VAULT_LEAST_PRIVILEGE,
};

const P_CMK: &str = "/encryption/customerManagedKeyEncryption";
const P_URL: &str = "/encryption/customerManagedKeyEncryption/keyEncryptionKeyUrl";
const P_SEL: &str = "/encryption/customerManagedKeyEncryption/keySelection";
const P_KEK_ID: &str = "/encryption/customerManagedKeyEncryption/keyEncryptionKeyIdentity";
const P_ID_TYPE: &str =
    "/encryption/customerManagedKeyEncryption/keyEncryptionKeyIdentity/identityType";
const P_UAI: &str =
    "/encryption/customerManagedKeyEncryption/keyEncryptionKeyIdentity/userAssignedIdentityResourceId";
const P_CACHE_IDENTITY: &str = "/cache/identity";
const P_UAIS: &str = "/cache/identity/userAssignedIdentities";
const P_PRINCIPAL: &str = "/identity/principalId";

/// Validates a configuration: every check of the catalogue, in order.
#[must_use]
pub fn validate(cfg: &Config) -> Report {
    let ctx = Ctx::new(cfg);
    let mut out = Out::default();
    check_sku(&ctx, &mut out);
    check_coverage(&ctx, &mut out);
    check_key_source(&ctx, &mut out);
    check_key(&ctx, &mut out);
    check_identity(&ctx, &mut out);
    check_vault(&ctx, &mut out);
    check_key_properties(&ctx, &mut out);
    check_access(&ctx, &mut out);
    check_change(&ctx, &mut out);
    let facts = ctx.facts();
    let mut report = out.finish(ctx.key().cloned(), ctx.sku.and_then(Result::ok));
    for finding in &mut report.findings {
        finding.fix = crate::fix::fix_for(finding, &facts);
    }
    report
}

// ---------------------------------------------------------------------------------------------------------
// Shared facts derived once from the input.

struct Ctx<'a> {
    cfg: &'a Config,
    cmk: bool,
    sku: Option<Result<SkuInfo, SkuError>>,
    url_key: Option<Result<KeyId, KeyUriError>>,
    sel_key: Option<Result<KeyId, KeyUriError>>,
    /// Missing parts of an incomplete selection (`vaultName`, `keyName`, `version`).
    sel_missing: Vec<&'static str>,
    cache_location: Option<&'a str>,
    uai_id: Option<&'a str>,
    /// `uai_id` parsed (once: the identity checks and the fixes both need it).
    uai: Option<Result<IdentityId, IdentityIdError>>,
    principal: Option<&'a str>,
}

fn nonempty(s: Option<&String>) -> Option<&str> {
    s.map(String::as_str).filter(|s| !s.is_empty())
}

impl<'a> Ctx<'a> {
    fn new(cfg: &'a Config) -> Ctx<'a> {
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

    fn key(&self) -> Option<&KeyId> {
        match (&self.url_key, &self.sel_key) {
            (Some(Ok(k)), _) | (None, Some(Ok(k))) => Some(k),
            _ => None,
        }
    }

    /// Whether a key was given in any form (valid or not).
    fn key_given(&self) -> bool {
        self.url_key.is_some() || self.sel_key.is_some() || !self.sel_missing.is_empty()
    }

    /// Where the key was given, for findings about the key itself.
    fn key_path(&self) -> &'static str {
        if self.url_key.is_some() {
            P_URL
        } else {
            P_SEL
        }
    }

    /// What the fix commands may fill in.
    fn facts(&self) -> Facts {
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

    fn vault(&self) -> Option<&'a Vault> {
        self.cfg.vault.as_ref()
    }

    fn vault_kind(&self) -> Option<VaultKind> {
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

/// ARM resource IDs compare case-insensitively, ignoring a trailing slash.
fn same_resource_id(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

// ---------------------------------------------------------------------------------------------------------
// Output accumulation.

#[derive(Default)]
struct Out {
    findings: Vec<Finding>,
    checks: Vec<Check>,
}

type Params = Map<String, Value>;

fn params<const N: usize>(pairs: [(&str, Value); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

impl Out {
    fn set(&mut self, code: &'static str, outcome: Outcome, needs: Vec<String>) {
        self.checks.push(Check {
            code,
            outcome,
            needs,
        });
    }

    fn pass(&mut self, code: &'static str) {
        self.set(code, Outcome::Pass, Vec::new());
    }

    fn not_applicable(&mut self, code: &'static str) {
        self.set(code, Outcome::NotApplicable, Vec::new());
    }

    fn inconclusive(&mut self, code: &'static str, needs: &[&str]) {
        self.set(
            code,
            Outcome::Inconclusive,
            needs.iter().map(|s| (*s).to_owned()).collect(),
        );
    }

    /// The check fails with one finding of its own code.
    fn fail(
        &mut self,
        code: &'static str,
        path: &str,
        message: String,
        remediation: String,
        params: Params,
    ) {
        self.set(code, Outcome::Fail, Vec::new());
        self.finding(code, code, path, message, remediation, params);
    }

    /// Adds a finding; `check` is the catalogue entry that gives severity and doc link.
    fn finding(
        &mut self,
        check: &'static str,
        code: &'static str,
        path: &str,
        message: String,
        remediation: String,
        params: Params,
    ) {
        let (severity, doc_url) =
            check_rule(check).map_or((Severity::Error, ""), |r| (r.severity, r.doc_url));
        let doc_url = if check == KEY_URI_SYNTAX {
            crate::catalogue::DOC_KV_IDS
        } else {
            doc_url
        };
        self.findings.push(Finding {
            code,
            severity,
            path: path.to_owned(),
            message,
            remediation,
            doc_url,
            params,
            fix: None,
            address: None,
        });
    }

    fn finish(self, key: Option<KeyId>, sku: Option<SkuInfo>) -> Report {
        // Report order is catalogue order, whatever order the checks ran in.
        let checks = in_catalogue_order(self.checks, |c| c.code);
        let findings = in_catalogue_order(self.findings, |f| check_of(f.code));
        let mut summary = Summary::default();
        for f in &findings {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary.inconclusive = checks
            .iter()
            .filter(|c| c.outcome == Outcome::Inconclusive)
            .count();
        Report {
            valid: summary.errors == 0,
            summary,
            findings,
            checks,
            key,
            sku,
        }
    }
}

/// Sorts `items` (stably) by the catalogue position of their code; unknown codes go last. Checks arrive
/// almost in catalogue order, so each code is first compared with the entry after the previous one's
/// (one comparison instead of a scan of the catalogue per comparison), and sorted input is kept as is.
fn in_catalogue_order<T>(items: Vec<T>, code: impl Fn(&T) -> &str) -> Vec<T> {
    let mut next = 0;
    let keys: Vec<usize> = items
        .iter()
        .map(|item| {
            let c = code(item);
            let found = match CHECKS.get(next) {
                Some(r) if r.code == c => Some(next),
                _ => CHECKS.iter().position(|r| r.code == c),
            };
            if let Some(i) = found {
                next = i + 1;
            }
            found.unwrap_or(usize::MAX)
        })
        .collect();
    if keys.is_sorted() {
        return items;
    }
    let mut keyed: Vec<(usize, T)> = keys.into_iter().zip(items).collect();
    keyed.sort_by_key(|(position, _)| *position);
    keyed.into_iter().map(|(_, item)| item).collect()
}

/// The check a finding code reports under.
pub(crate) fn check_of(code: &str) -> &str {
    if code.starts_with("key_uri.") && check_rule(code).is_none() {
        KEY_URI_SYNTAX
    } else {
        code
    }
}

// ---------------------------------------------------------------------------------------------------------
// The checks.

fn check_sku(ctx: &Ctx, out: &mut Out) {
    match &ctx.sku {
        None => {
            out.inconclusive("sku.unknown", &["/cache/sku"]);
            out.inconclusive("sku.retired", &["/cache/sku"]);
        }
        Some(Ok(_)) => {
            out.pass("sku.unknown");
            out.pass("sku.retired");
        }
        Some(Err(e @ SkuError::Unknown { name })) => {
            out.fail(
                "sku.unknown",
                "/cache/sku",
                e.to_string(),
                format!(
                    "Use an Azure Managed Redis SKU: Balanced_B0…B1000, MemoryOptimized_M10…M2000, \
                     ComputeOptimized_X3…X700 or FlashOptimized_A250…A4500 (got '{name}')."
                ),
                e.params(),
            );
            out.not_applicable("sku.retired");
        }
        Some(Err(e @ SkuError::Retired { .. })) => {
            out.pass("sku.unknown");
            out.fail(
                "sku.retired",
                "/cache/sku",
                e.to_string(),
                "Create an Azure Managed Redis cache instead (Balanced, Memory Optimized, Compute Optimized or \
                 Flash Optimized tier); Enterprise and Enterprise Flash caches retire on March 31, 2027."
                    .into(),
                e.params(),
            );
        }
    }
}

fn check_coverage(ctx: &Ctx, out: &mut Out) {
    let tier = ctx
        .sku
        .as_ref()
        .and_then(|s| s.as_ref().ok())
        .map(|s| s.tier);
    match (ctx.cmk, tier) {
        (false, _) | (true, Some(Tier::MemoryOptimized | Tier::Balanced | Tier::ComputeOptimized)) => {
            out.not_applicable("coverage.flash_nvme_mmk_only");
        }
        (true, Some(Tier::FlashOptimized)) => out.fail(
            "coverage.flash_nvme_mmk_only",
            "/cache/sku",
            "On the Flash Optimized tier, keys and values partly live on a transient NVMe flash disk, which is \
             always encrypted with Microsoft-managed keys; the customer-managed key covers the OS and persistence \
             disks."
                .into(),
            "Nothing to change: the NVMe data is ephemeral and not persisted after a stop, deallocation or reboot."
                .into(),
            params([("tier", Tier::FlashOptimized.as_str().into())]),
        ),
        (true, None) => out.inconclusive("coverage.flash_nvme_mmk_only", &["/cache/sku"]),
    }
    match ctx.cfg.cache.as_ref().and_then(|c| c.export_in_use) {
        Some(true) => out.fail(
            "coverage.export_storage_account",
            "/cache/exportInUse",
            "Data export is in use: the cache's keys encrypt the temporary export files, but the final exported \
             file's encryption is set by the storage account, not by the cache."
                .into(),
            "Configure encryption (and a customer-managed key if you need one) on the storage account that \
             receives the exports."
                .into(),
            Params::new(),
        ),
        Some(false) => out.not_applicable("coverage.export_storage_account"),
        None => out.inconclusive("coverage.export_storage_account", &["/cache/exportInUse"]),
    }
}

fn check_key_source(ctx: &Ctx, out: &mut Out) {
    if !ctx.cmk {
        out.fail(
            "encryption.microsoft_managed",
            "/encryption",
            "No customer-managed key is configured: the disks are encrypted with Microsoft-managed keys only."
                .into(),
            "To use your own key, set encryption.customerManagedKeyEncryption with a versioned key URL and a \
             user-assigned identity."
                .into(),
            Params::new(),
        );
        out.not_applicable("encryption.cmk_incomplete");
        return;
    }
    out.pass("encryption.microsoft_managed");
    if ctx.key_given() {
        out.pass("encryption.cmk_incomplete");
    } else {
        out.fail(
            "encryption.cmk_incomplete",
            P_CMK,
            "A customer-managed key is requested but no key is named.".into(),
            "Set keyEncryptionKeyUrl to the versioned key identifier \
             (https://{vault}.vault.azure.net/keys/{name}/{version}), or select the vault, key and version."
                .into(),
            params([("missing", "key".into())]),
        );
    }
}

fn key_uri_remediation(e: &KeyUriError) -> String {
    match e {
        KeyUriError::VersionInvalid { .. } => "Copy the key identifier of a specific version from the key's \
            Versions list in the portal, or from `az keyvault key show --query key.kid`; versions are 32 hexadecimal \
            characters."
            .into(),
        KeyUriError::HostNotKeyVault { .. } | KeyUriError::Userinfo => "Use the key identifier exactly as Key \
            Vault shows it: https://{vault}.vault.azure.net/keys/{name}/{version} (or .vault.azure.cn, \
            .vault.usgovcloudapi.net, .managedhsm.azure.net); anything else may point somewhere other than your vault."
            .into(),
        KeyUriError::CollectionNotKeys { .. } => "Use a key's identifier (…/keys/{name}/{version}), not a secret's \
            or a certificate's."
            .into(),
        _ => "Copy the key identifier from the key version's page in the portal or from \
            `az keyvault key show --query key.kid`: https://{vault}.vault.azure.net/keys/{name}/{version}."
            .into(),
    }
}

fn check_key(ctx: &Ctx, out: &mut Out) {
    const KEY_CHECKS: [&str; 6] = [
        "key_input.incomplete",
        "key_input.conflict",
        KEY_URI_SYNTAX,
        "key_uri.version_missing",
        "key_uri.managed_hsm",
        "key_uri.cloud_mismatch",
    ];
    if !ctx.cmk || !ctx.key_given() {
        for code in KEY_CHECKS {
            if ctx.cmk {
                out.inconclusive(code, &[P_URL]);
            } else {
                out.not_applicable(code);
            }
        }
        return;
    }

    // key_input.incomplete
    if ctx.sel_missing.is_empty() {
        if ctx.sel_key.is_some() || ctx.url_key.is_none() {
            out.pass("key_input.incomplete");
        } else {
            out.not_applicable("key_input.incomplete");
        }
    } else {
        let missing: Vec<Value> = ctx.sel_missing.iter().map(|m| (*m).into()).collect();
        let first = ctx.sel_missing.first().copied().unwrap_or("vaultName");
        out.fail(
            "key_input.incomplete",
            &format!("{P_SEL}/{first}"),
            format!(
                "The \"select vault and key\" input names no {}.",
                ctx.sel_missing.join(", no ")
            ),
            "Pick the Key Vault, the key (RSA) and the key version; Azure Managed Redis needs a specific version."
                .into(),
            params([("missing", Value::Array(missing))]),
        );
    }

    // key_input.conflict
    match (&ctx.url_key, &ctx.sel_key) {
        (Some(Ok(a)), Some(Ok(b))) => {
            if a.vault_url() == b.vault_url()
                && a.key_name().eq_ignore_ascii_case(b.key_name())
                && a.version() == b.version()
            {
                out.pass("key_input.conflict");
            } else {
                out.fail(
                    "key_input.conflict",
                    P_SEL,
                    format!(
                        "The key URI names {} but the vault/key selection names {}.",
                        a.uri(), b.uri()
                    ),
                    "Give the key one way only: either the key identifier URI or the vault, key and version.".into(),
                    params([("uri", a.uri().to_owned().into()), ("selection", b.uri().to_owned().into())]),
                );
            }
        }
        (Some(_), Some(_)) => out.inconclusive("key_input.conflict", &[P_URL, P_SEL]),
        _ => out.not_applicable("key_input.conflict"),
    }

    // key_uri.syntax: both forms, each error at its own path.
    let mut syntax_failed = false;
    if let Some(Err(e)) = &ctx.url_key {
        syntax_failed = true;
        out.finding(
            KEY_URI_SYNTAX,
            e.code(),
            P_URL,
            e.to_string(),
            key_uri_remediation(e),
            e.params(),
        );
    }
    if let Some(Err(e)) = &ctx.sel_key {
        syntax_failed = true;
        let part = match e {
            KeyUriError::VaultNameInvalid { .. } => "/vaultName",
            KeyUriError::KeyNameInvalid { .. } => "/keyName",
            KeyUriError::VersionInvalid { .. } => "/version",
            _ => "",
        };
        out.finding(
            KEY_URI_SYNTAX,
            e.code(),
            &format!("{P_SEL}{part}"),
            e.to_string(),
            key_uri_remediation(e),
            e.params(),
        );
    }
    let key = ctx.key();
    match (syntax_failed, key) {
        (true, _) => out.set(KEY_URI_SYNTAX, Outcome::Fail, Vec::new()),
        (false, Some(_)) => out.pass(KEY_URI_SYNTAX),
        (false, None) => out.inconclusive(KEY_URI_SYNTAX, &[P_URL]),
    }

    let Some(key) = key else {
        for code in [
            "key_uri.version_missing",
            "key_uri.managed_hsm",
            "key_uri.cloud_mismatch",
        ] {
            out.inconclusive(code, &[ctx.key_path()]);
        }
        return;
    };

    if key.version().is_some() {
        out.pass("key_uri.version_missing");
    } else {
        out.fail(
            "key_uri.version_missing",
            ctx.key_path(),
            format!(
                "The key URL {} has no version: Azure Managed Redis accepts versioned key URLs only, so a \
                 versionless URL (the usual way to follow automatic rotation) is refused.",
                key.uri()
            ),
            format!(
                "Use the full identifier with the version, {}/{{version}} (from `az keyvault key show --vault-name {} \
                 --name {} --query key.kid`). After each key rotation, update the cache to the new version's URL.",
                key.uri(), key.vault_name(), key.key_name()
            ),
            params([
                ("uri", key.uri().to_owned().into()),
                ("vaultName", key.vault_name().to_owned().into()),
                ("keyName", key.key_name().to_owned().into()),
            ]),
        );
    }

    if key.vault_kind() == VaultKind::ManagedHsm {
        out.fail(
            "key_uri.managed_hsm",
            ctx.key_path(),
            format!(
                "The key is in the Managed HSM '{}': Managed HSM keys are used with Azure Managed Redis in practice, \
                 but the Azure Managed Redis page names only Azure Key Vault.",
                key.vault_name()
            ),
            "Test the setup on a non-production cache first, and grant the identity the Managed HSM Crypto Service \
             Encryption User local role at the key or /keys scope."
                .into(),
            params([("vaultName", key.vault_name().to_owned().into())]),
        );
    } else {
        out.pass("key_uri.managed_hsm");
    }

    match ctx.cache_location {
        None => out.inconclusive("key_uri.cloud_mismatch", &["/cache/location"]),
        Some(location) => {
            let cache_cloud = cloud_of_location(location);
            if cache_cloud == key.cloud() {
                out.pass("key_uri.cloud_mismatch");
            } else {
                out.fail(
                    "key_uri.cloud_mismatch",
                    ctx.key_path(),
                    format!(
                        "The key is in the {} cloud ({}) but the cache's region '{}' is in the {} cloud.",
                        key.cloud().as_str(),
                        key.vault_url(),
                        location,
                        cache_cloud.as_str()
                    ),
                    format!(
                        "Use a key from a vault in the cache's cloud (host suffix .{}).",
                        cache_cloud.suffix(key.vault_kind())
                    ),
                    params([
                        ("keyCloud", key.cloud().as_str().into()),
                        ("cacheCloud", cache_cloud.as_str().into()),
                        ("location", location.into()),
                    ]),
                );
            }
        }
    }
}

fn check_identity(ctx: &Ctx, out: &mut Out) {
    const IDENTITY_CHECKS: [&str; 4] = [
        "identity.missing",
        "identity.system_assigned",
        "identity.resource_id_invalid",
        "identity.not_attached",
    ];
    if !ctx.cmk {
        for code in IDENTITY_CHECKS {
            out.not_applicable(code);
        }
        return;
    }
    let identity_type = ctx
        .cfg
        .encryption
        .as_ref()
        .and_then(|e| e.customer_managed_key_encryption.as_ref())
        .and_then(|c| c.key_encryption_key_identity.as_ref())
        .and_then(|k| k.identity_type);
    let system = identity_type == Some(IdentityType::SystemAssigned);
    if system {
        out.fail(
            "identity.system_assigned",
            P_ID_TYPE,
            "The key-encryption identity is system-assigned: Azure Managed Redis supports only a user-assigned \
             managed identity for reaching the key."
                .into(),
            "Create a user-assigned managed identity, attach it to the cache, set identityType to \
             \"userAssignedIdentity\" and userAssignedIdentityResourceId to its resource ID."
                .into(),
            params([("identityType", "systemAssignedIdentity".into())]),
        );
    } else {
        out.pass("identity.system_assigned");
    }

    let Some(uai) = ctx.uai_id else {
        if system {
            out.not_applicable("identity.missing");
        } else {
            out.fail(
                "identity.missing",
                P_KEK_ID,
                "Customer-managed key encryption needs a user-assigned managed identity to reach the key, and none \
                 is set."
                    .into(),
                "Set keyEncryptionKeyIdentity to {\"identityType\": \"userAssignedIdentity\", \
                 \"userAssignedIdentityResourceId\": \"/subscriptions/…/providers/Microsoft.ManagedIdentity/\
                 userAssignedIdentities/{name}\"}."
                    .into(),
                Params::new(),
            );
        }
        out.not_applicable("identity.resource_id_invalid");
        out.not_applicable("identity.not_attached");
        return;
    };
    out.pass("identity.missing");

    let reparsed;
    let result = match &ctx.uai {
        Some(result) => result,
        None => {
            reparsed = parse_identity_id(uai);
            &reparsed
        }
    };
    let parsed = match result {
        Ok(id) => {
            out.pass("identity.resource_id_invalid");
            id
        }
        Err(e) => {
            let mut p = e.params();
            p.insert("reason".into(), e.code().into());
            out.fail(
                "identity.resource_id_invalid",
                P_UAI,
                e.to_string(),
                "Use the identity's resource ID as `az identity show --query id` prints it: \
                 /subscriptions/{subscription GUID}/resourceGroups/{group}/providers/\
                 Microsoft.ManagedIdentity/userAssignedIdentities/{name}."
                    .into(),
                p,
            );
            out.inconclusive("identity.not_attached", &[P_UAI]);
            return;
        }
    };

    let Some(block) = ctx.cfg.cache.as_ref().and_then(|c| c.identity.as_ref()) else {
        out.inconclusive("identity.not_attached", &[P_CACHE_IDENTITY]);
        return;
    };
    let type_has_user = block.kind.as_deref().map(|t| {
        t.split(',')
            .any(|part| part.trim().eq_ignore_ascii_case("UserAssigned"))
    });
    let listed = block.user_assigned_identities.as_ref().map(|m| {
        m.keys()
            .any(|k| same_resource_id(k, &parsed.id) || same_resource_id(k, uai))
    });
    match (type_has_user, listed) {
        (Some(false), _) => out.fail(
            "identity.not_attached",
            &format!("{P_CACHE_IDENTITY}/type"),
            format!(
                "The cache's identity type is '{}', so the user-assigned identity '{}' is not attached to it.",
                block.kind.as_deref().unwrap_or(""),
                parsed.name
            ),
            format!(
                "Set the cache's identity.type to \"UserAssigned\" (or \"SystemAssigned, UserAssigned\") and add \
                 \"{}\" to identity.userAssignedIdentities.",
                parsed.id
            ),
            params([
                ("identityType", block.kind.clone().unwrap_or_default().into()),
                ("identityId", parsed.id.clone().into()),
            ]),
        ),
        (_, Some(false)) => out.fail(
            "identity.not_attached",
            P_UAIS,
            format!(
                "The key-encryption identity '{}' is not in the cache's identity.userAssignedIdentities, so the cache \
                 cannot use it to reach the key.",
                parsed.name
            ),
            format!(
                "Add \"{}\" to the cache's identity.userAssignedIdentities (and include UserAssigned in \
                 identity.type).",
                parsed.id
            ),
            params([("identityId", parsed.id.clone().into())]),
        ),
        (_, Some(true)) => out.pass("identity.not_attached"),
        (_, None) => out.inconclusive("identity.not_attached", &[P_UAIS]),
    }
}

fn check_vault(ctx: &Ctx, out: &mut Out) {
    const VAULT_CHECKS: [&str; 5] = [
        "vault.name_mismatch",
        "vault.region_mismatch",
        "vault.soft_delete_disabled",
        "vault.purge_protection_disabled",
        "vault.trusted_services_blocked",
    ];
    if !ctx.cmk {
        for code in VAULT_CHECKS {
            out.not_applicable(code);
        }
        return;
    }
    let Some(vault) = ctx.vault() else {
        for code in VAULT_CHECKS {
            out.inconclusive(code, &["/vault"]);
        }
        return;
    };
    let vault_label = vault
        .name
        .clone()
        .or_else(|| ctx.key().map(|k| k.vault_name().to_owned()))
        .unwrap_or_else(|| "the vault".into());

    match (vault.name.as_deref(), ctx.key()) {
        (Some(name), Some(key)) => {
            if name.eq_ignore_ascii_case(key.vault_name()) {
                out.pass("vault.name_mismatch");
            } else {
                out.fail(
                    "vault.name_mismatch",
                    "/vault/name",
                    format!(
                        "The vault described is '{name}', but the key is in the vault '{}': the vault checks would \
                         be about the wrong vault.",
                        key.vault_name()
                    ),
                    format!("Describe the vault '{}' that holds the key, or fix the key URL.", key.vault_name()),
                    params([("vaultName", name.into()), ("keyVaultName", key.vault_name().to_owned().into())]),
                );
            }
        }
        (None, _) => out.inconclusive("vault.name_mismatch", &["/vault/name"]),
        (Some(_), None) => out.inconclusive("vault.name_mismatch", &[P_URL]),
    }

    match (vault.location.as_deref(), ctx.cache_location) {
        (Some(v), Some(c)) => {
            if normalize_location(v) == normalize_location(c) {
                out.pass("vault.region_mismatch");
            } else {
                out.fail(
                    "vault.region_mismatch",
                    "/vault/location",
                    format!(
                        "The vault '{vault_label}' is in '{v}' but the cache is in '{c}': the Key Vault holding the \
                         customer-managed key must be in the same region as the cache."
                    ),
                    format!(
                        "Use a key from a vault in {c}: create one there (with soft delete and purge protection) or \
                         move the cache's region."
                    ),
                    params([
                        ("vaultLocation", normalize_location(v).into()),
                        ("cacheLocation", normalize_location(c).into()),
                    ]),
                );
            }
        }
        (None, _) => out.inconclusive("vault.region_mismatch", &["/vault/location"]),
        (Some(_), None) => out.inconclusive("vault.region_mismatch", &["/cache/location"]),
    }

    match vault.enable_soft_delete {
        Some(true) => out.pass("vault.soft_delete_disabled"),
        Some(false) => out.fail(
            "vault.soft_delete_disabled",
            "/vault/enableSoftDelete",
            format!("Soft delete is disabled on the vault '{vault_label}'; the CMK setup requires it."),
            format!(
                "Enable soft delete: `az keyvault update --name {vault_label} --enable-soft-delete true` (once on, \
                 it cannot be turned off)."
            ),
            params([("vaultName", vault_label.clone().into())]),
        ),
        None => out.inconclusive("vault.soft_delete_disabled", &["/vault/enableSoftDelete"]),
    }

    match vault.enable_purge_protection {
        Some(true) => out.pass("vault.purge_protection_disabled"),
        Some(false) => out.fail(
            "vault.purge_protection_disabled",
            "/vault/enablePurgeProtection",
            format!(
                "Purge protection is not enabled on the vault '{vault_label}' (it is off by default); Azure Managed \
                 Redis requires it, so a deleted key cannot be purged while the cache depends on it."
            ),
            format!(
                "Enable purge protection: `az keyvault update --name {vault_label} --enable-purge-protection true` \
                 (irreversible; it needs soft delete)."
            ),
            params([("vaultName", vault_label.clone().into())]),
        ),
        None => out.inconclusive("vault.purge_protection_disabled", &["/vault/enablePurgeProtection"]),
    }

    check_trusted_services(vault, &vault_label, out);
}

fn check_trusted_services(vault: &Vault, vault_label: &str, out: &mut Out) {
    const CODE: &str = "vault.trusted_services_blocked";
    let public = vault.public_network_access.as_deref();
    let acls = vault.network_acls.as_ref();
    let note = "Azure Managed Redis is not on Key Vault's published trusted-services list, although the Azure \
                Managed Redis page requires this setting; if access still fails, allow the cache's network path or \
                test without the firewall.";
    if public.is_some_and(|p| p.eq_ignore_ascii_case("SecuredByPerimeter")) {
        out.fail(
            CODE,
            "/vault/publicNetworkAccess",
            format!(
                "The vault '{vault_label}' is secured by a network security perimeter, which overrides the \
                 trusted-services bypass."
            ),
            format!("Add an access rule for the cache to the perimeter, or set publicNetworkAccess to Enabled with a firewall that lets trusted services through. {note}"),
            params([("publicNetworkAccess", public.unwrap_or_default().into())]),
        );
        return;
    }
    let deny = acls
        .and_then(|a| a.default_action.as_deref())
        .map(|d| d.eq_ignore_ascii_case("Deny"));
    let disabled = public.map(|p| p.eq_ignore_ascii_case("Disabled"));
    let firewall_on = match (deny, disabled) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), _) => Some(false),
        (None, Some(false)) => Some(false),
        (None, None) => None,
    };
    match firewall_on {
        None => out.inconclusive(
            CODE,
            &[
                "/vault/networkAcls/defaultAction",
                "/vault/publicNetworkAccess",
            ],
        ),
        Some(false) => out.pass(CODE),
        Some(true) => {
            // `bypass` defaults to AzureServices when absent.
            let bypass = acls
                .and_then(|a| a.bypass.as_deref())
                .unwrap_or("AzureServices");
            let allows = bypass
                .split(',')
                .any(|b| b.trim().eq_ignore_ascii_case("AzureServices"));
            if allows {
                out.pass(CODE);
            } else {
                let why = if disabled == Some(true) {
                    "public network access is disabled"
                } else {
                    "the firewall denies by default"
                };
                out.fail(
                    CODE,
                    "/vault/networkAcls/bypass",
                    format!(
                        "The vault '{vault_label}' blocks the cache: {why} and trusted Azure services may not bypass \
                         it (bypass is '{bypass}'). Azure then reports a key access failure that looks like a \
                         permission problem."
                    ),
                    format!(
                        "Allow trusted services: `az keyvault update --name {vault_label} --bypass AzureServices`. {note}"
                    ),
                    params([("bypass", bypass.into())]),
                );
            }
        }
    }
}

fn check_key_properties(ctx: &Ctx, out: &mut Out) {
    const KEY_CHECKS: [&str; 5] = [
        "key.not_rsa",
        "key.operations_missing",
        "key.disabled",
        "key.expired",
        "key.not_yet_valid",
    ];
    if !ctx.cmk {
        for code in KEY_CHECKS {
            out.not_applicable(code);
        }
        return;
    }
    let Some(key) = ctx.cfg.key.as_ref() else {
        for code in KEY_CHECKS {
            out.inconclusive(code, &["/key"]);
        }
        return;
    };
    let label = key
        .name
        .clone()
        .or_else(|| ctx.key().map(|k| k.key_name().to_owned()))
        .unwrap_or_else(|| "the key".into());
    let vault_name = ctx
        .key()
        .map(|k| k.vault_name().to_owned())
        .or_else(|| ctx.vault().and_then(|v| v.name.clone()))
        .unwrap_or_else(|| "<vault-name>".into());
    let key_name = key
        .name
        .clone()
        .or_else(|| ctx.key().map(|k| k.key_name().to_owned()))
        .unwrap_or_else(|| "<key-name>".into());

    match key.kty.as_deref() {
        None => out.inconclusive("key.not_rsa", &["/key/kty"]),
        Some(kty) if kty.eq_ignore_ascii_case("RSA") || kty.eq_ignore_ascii_case("RSA-HSM") => {
            out.pass("key.not_rsa");
        }
        Some(kty) => out.fail(
            "key.not_rsa",
            "/key/kty",
            format!("The key '{label}' is of type '{kty}': Azure Managed Redis supports only RSA keys."),
            format!(
                "Create an RSA key (RSA or RSA-HSM, 2048, 3072 or 4096 bits) with wrapKey and unwrapKey operations, \
                 e.g. `az keyvault key create --vault-name {vault_name} --name {key_name}-rsa --kty RSA --size 3072 \
                 --ops wrapKey unwrapKey`, and use its versioned URL."
            ),
            params([("kty", kty.into())]),
        ),
    }

    match &key.key_ops {
        None => out.inconclusive("key.operations_missing", &["/key/keyOps"]),
        Some(ops) => {
            let has = |op: &str| ops.iter().any(|o| o.eq_ignore_ascii_case(op));
            let missing: Vec<&str> = ["wrapKey", "unwrapKey"]
                .into_iter()
                .filter(|op| !has(op))
                .collect();
            if missing.is_empty() {
                out.pass("key.operations_missing");
            } else {
                out.fail(
                    "key.operations_missing",
                    "/key/keyOps",
                    format!(
                        "The key '{label}' does not permit {}: Azure Managed Redis wraps and unwraps its \
                         Microsoft-managed keys with it.",
                        missing.join(" and ")
                    ),
                    format!(
                        "Allow the operations on the key: `az keyvault key set-attributes --vault-name {vault_name} \
                         --name {key_name} --ops wrapKey unwrapKey` (keep any others you need)."
                    ),
                    params([(
                        "missing",
                        Value::Array(missing.into_iter().map(Value::from).collect()),
                    )]),
                );
            }
        }
    }

    match key.enabled {
        None => out.inconclusive("key.disabled", &["/key/enabled"]),
        Some(true) => out.pass("key.disabled"),
        Some(false) => out.fail(
            "key.disabled",
            "/key/enabled",
            format!("The key '{label}' is disabled, so the cache cannot unwrap its keys."),
            format!("Enable it: `az keyvault key set-attributes --vault-name {vault_name} --name {key_name} --enabled true`."),
            Params::new(),
        ),
    }

    let now = ctx.cfg.now;
    match (key.exp, now) {
        (None, _) => out.inconclusive("key.expired", &["/key/exp"]),
        (Some(None), _) => out.pass("key.expired"),
        (Some(Some(_)), None) => out.inconclusive("key.expired", &["/now"]),
        (Some(Some(exp)), Some(now)) if exp <= now => out.fail(
            "key.expired",
            "/key/exp",
            format!(
                "The key '{label}' expired at {}: an expired key cannot wrap or unwrap.",
                crate::time::format_rfc3339(exp)
            ),
            "Create a new key version (or extend the expiry with `az keyvault key set-attributes --expires`), then \
             update the cache's key URL to it."
                .into(),
            params([
                ("exp", crate::time::format_rfc3339(exp).into()),
                ("now", crate::time::format_rfc3339(now).into()),
            ]),
        ),
        (Some(Some(_)), Some(_)) => out.pass("key.expired"),
    }

    match (key.nbf, now) {
        (None, _) => out.inconclusive("key.not_yet_valid", &["/key/nbf"]),
        (Some(None), _) => out.pass("key.not_yet_valid"),
        (Some(Some(_)), None) => out.inconclusive("key.not_yet_valid", &["/now"]),
        (Some(Some(nbf)), Some(now)) if nbf > now => out.fail(
            "key.not_yet_valid",
            "/key/nbf",
            format!(
                "The key '{label}' is not valid before {}.",
                crate::time::format_rfc3339(nbf)
            ),
            "Wait until the activation date, or clear it with `az keyvault key set-attributes --not-before`.".into(),
            params([
                ("nbf", crate::time::format_rfc3339(nbf).into()),
                ("now", crate::time::format_rfc3339(now).into()),
            ]),
        ),
        (Some(Some(_)), Some(_)) => out.pass("key.not_yet_valid"),
    }
}

/// Key Vault's permission model: `Some(true)` Azure RBAC (or Managed HSM local RBAC), `Some(false)` access
/// policies, `None` unknown.
fn uses_rbac(ctx: &Ctx) -> Option<bool> {
    if ctx.vault_kind() == Some(VaultKind::ManagedHsm) {
        return Some(true);
    }
    let vault = ctx.vault()?;
    if let Some(rbac) = vault.enable_rbac_authorization {
        return Some(rbac);
    }
    // The default flipped from false to true with Key Vault API 2026-02-01.
    let api = vault.api_version.as_deref()?;
    let date = api.get(..10)?;
    let valid = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    valid.then(|| date >= "2026-02-01")
}

fn check_access(ctx: &Ctx, out: &mut Out) {
    const ACCESS_CHECKS: [&str; 4] = [
        "access.permissions_missing",
        "access.role_missing",
        "access.broader_than_needed",
        "access.policies_ignored",
    ];
    if !ctx.cmk {
        for code in ACCESS_CHECKS {
            out.not_applicable(code);
        }
        return;
    }
    let Some(rbac) = uses_rbac(ctx) else {
        for code in ACCESS_CHECKS {
            out.inconclusive(code, &["/vault/enableRbacAuthorization"]);
        }
        return;
    };
    let vault = ctx.vault();
    let policies = vault.and_then(|v| v.access_policies.as_ref());
    if rbac {
        out.not_applicable("access.permissions_missing");
        check_roles(ctx, out);
        match policies {
            Some(p) if !p.is_empty() => out.fail(
                "access.policies_ignored",
                "/vault/accessPolicies",
                format!(
                    "The vault uses Azure RBAC, so its {} access polic{} ha{} no effect.",
                    p.len(),
                    if p.len() == 1 { "y" } else { "ies" },
                    if p.len() == 1 { "s" } else { "ve" }
                ),
                "Grant access with a role assignment (Key Vault Crypto Service Encryption User) and remove the \
                 access policies, or switch the vault to the access-policy model."
                    .into(),
                params([("count", p.len().into())]),
            ),
            Some(_) => out.pass("access.policies_ignored"),
            None => out.inconclusive("access.policies_ignored", &["/vault/accessPolicies"]),
        }
        return;
    }
    out.not_applicable("access.role_missing");
    out.not_applicable("access.broader_than_needed");
    out.not_applicable("access.policies_ignored");
    let Some(principal) = ctx.principal else {
        out.inconclusive("access.permissions_missing", &[P_PRINCIPAL]);
        return;
    };
    let Some(policies) = policies else {
        out.inconclusive("access.permissions_missing", &["/vault/accessPolicies"]);
        return;
    };
    let granted: Vec<&str> = policies
        .iter()
        .filter(|p| {
            p.object_id
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case(principal))
        })
        .flat_map(|p| p.key_permissions.iter().map(String::as_str))
        .collect();
    let has = |perm: &str| {
        granted
            .iter()
            .any(|g| g.eq_ignore_ascii_case(perm) || g.eq_ignore_ascii_case("all"))
    };
    let missing: Vec<&str> = ["get", "wrapKey", "unwrapKey"]
        .into_iter()
        .filter(|p| !has(p))
        .collect();
    if missing.is_empty() {
        out.pass("access.permissions_missing");
    } else {
        let vault_name = vault
            .and_then(|v| v.name.as_deref())
            .unwrap_or("<vault-name>");
        out.fail(
            "access.permissions_missing",
            "/vault/accessPolicies",
            format!(
                "The vault's access policies do not give the identity (principal {principal}) the key permission{} {}.",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
            format!(
                "Grant them: `az keyvault set-policy --name {vault_name} --object-id {principal} --key-permissions get \
                 wrapKey unwrapKey`."
            ),
            params([
                ("principalId", principal.into()),
                ("missing", Value::Array(missing.into_iter().map(Value::from).collect())),
            ]),
        );
    }
}

/// How a role assignment's scope relates to the key.
#[derive(PartialEq, Eq)]
enum ScopeMatch {
    Covers,
    DoesNot,
    Unknown,
}

fn scope_covers(ctx: &Ctx, scope: Option<&str>) -> ScopeMatch {
    let Some(scope) = scope.map(|s| s.trim_end_matches('/').to_ascii_lowercase()) else {
        return ScopeMatch::Unknown;
    };
    let key = ctx.key();
    let key_name = key.map(|k| k.key_name().to_ascii_lowercase());
    if ctx.vault_kind() == Some(VaultKind::ManagedHsm) {
        // Managed HSM local RBAC scopes: "/", "/keys", "/keys/{name}".
        return match scope.as_str() {
            "" | "/keys" => ScopeMatch::Covers,
            s => match (s.strip_prefix("/keys/"), key_name.as_deref()) {
                (Some(k), Some(name)) if k == name => ScopeMatch::Covers,
                (Some(_), None) => ScopeMatch::Unknown,
                _ => ScopeMatch::DoesNot,
            },
        };
    }
    let vault_name = key.map(|k| k.vault_name().to_owned()).or_else(|| {
        ctx.vault()
            .and_then(|v| v.name.as_ref())
            .map(|n| n.to_ascii_lowercase())
    });
    let vault_id = ctx
        .vault()
        .and_then(|v| v.id.as_deref())
        .map(|i| i.trim_end_matches('/').to_ascii_lowercase());
    if let Some(vault_id) = &vault_id {
        if scope == *vault_id || vault_id.starts_with(&format!("{scope}/")) {
            return ScopeMatch::Covers;
        }
        if let Some(rest) = scope.strip_prefix(&format!("{vault_id}/keys/")) {
            return match key_name.as_deref() {
                Some(name) if rest == name => ScopeMatch::Covers,
                Some(_) => ScopeMatch::DoesNot,
                None => ScopeMatch::Unknown,
            };
        }
        return ScopeMatch::DoesNot;
    }
    let Some(vault_name) = vault_name else {
        return ScopeMatch::Unknown;
    };
    let marker = "/providers/microsoft.keyvault/vaults/";
    match scope
        .find(marker)
        .and_then(|i| scope.get(i + marker.len()..))
    {
        Some(rest) => {
            let mut parts = rest.split('/');
            let vault_ok = parts.next() == Some(vault_name.as_str());
            match (vault_ok, parts.next(), parts.next(), parts.next()) {
                (false, ..) => ScopeMatch::DoesNot,
                (true, None, ..) => ScopeMatch::Covers,
                (true, Some("keys"), Some(k), None) => match key_name.as_deref() {
                    Some(name) if k == name => ScopeMatch::Covers,
                    Some(_) => ScopeMatch::DoesNot,
                    None => ScopeMatch::Unknown,
                },
                _ => ScopeMatch::DoesNot,
            }
        }
        // A subscription or resource-group scope may contain the vault; without the vault's ID we cannot tell.
        None if scope.starts_with("/subscriptions/") && !scope.contains("/providers/") => {
            ScopeMatch::Unknown
        }
        None => ScopeMatch::DoesNot,
    }
}

fn check_roles(ctx: &Ctx, out: &mut Out) {
    let Some(principal) = ctx.principal else {
        out.inconclusive("access.role_missing", &[P_PRINCIPAL]);
        out.inconclusive("access.broader_than_needed", &[P_PRINCIPAL]);
        return;
    };
    let Some(assignments) = ctx.cfg.role_assignments.as_ref() else {
        out.inconclusive("access.role_missing", &["/roleAssignments"]);
        out.inconclusive("access.broader_than_needed", &["/roleAssignments"]);
        return;
    };
    let hsm = ctx.vault_kind() == Some(VaultKind::ManagedHsm);
    let least = if hsm {
        HSM_LEAST_PRIVILEGE
    } else {
        VAULT_LEAST_PRIVILEGE
    };
    let mut granting: Vec<(usize, String, bool)> = Vec::new(); // (index, role name, least privilege)
    let mut uncertain = false;
    for (i, a) in assignments.iter().enumerate() {
        if !a
            .principal_id
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(principal))
        {
            continue;
        }
        let role = find_role(
            a.role_definition_id.as_deref(),
            a.role_definition_name.as_deref(),
        );
        let grants = match (role, &a.data_actions) {
            (Some(r), _) if r.managed_hsm => Some(hsm && r.grants_hsm),
            (Some(r), _) => Some(!hsm && actions_grant_key_access(r.data_actions)),
            (None, Some(actions)) => Some(actions_grant_key_access(actions)),
            (None, None) => None,
        };
        let covers = scope_covers(ctx, a.scope.as_deref());
        match (grants, covers) {
            (Some(true), ScopeMatch::Covers) => granting.push((
                i,
                role.map_or_else(|| "a custom role".to_owned(), |r| r.name.to_owned()),
                match (role, &a.data_actions) {
                    (Some(r), _) => r.id == least,
                    (None, Some(actions)) => actions_are_least_privilege(actions),
                    (None, None) => false,
                },
            )),
            (Some(false), _) | (_, ScopeMatch::DoesNot) => {}
            _ => uncertain = true,
        }
    }
    if granting.is_empty() {
        if uncertain {
            out.inconclusive("access.role_missing", &["/roleAssignments"]);
            out.inconclusive("access.broader_than_needed", &["/roleAssignments"]);
            return;
        }
        let (role_name, scope_hint) = if hsm {
            (
                "Managed HSM Crypto Service Encryption User",
                "the key or /keys scope of the Managed HSM",
            )
        } else {
            (
                "Key Vault Crypto Service Encryption User",
                "the vault or the key",
            )
        };
        let vault_name = ctx
            .key()
            .map(|k| k.vault_name().to_owned())
            .or_else(|| ctx.vault().and_then(|v| v.name.clone()))
            .unwrap_or_else(|| "<vault-name>".into());
        let command = if hsm {
            format!(
                "az keyvault role assignment create --hsm-name {vault_name} --role \"{role_name}\" --assignee-object-id \
                 {principal} --assignee-principal-type ServicePrincipal --scope /keys"
            )
        } else {
            format!(
                "az role assignment create --role \"{role_name}\" --assignee-object-id {principal} \
                 --assignee-principal-type ServicePrincipal --scope $(az keyvault show --name {vault_name} --query id -o tsv)"
            )
        };
        out.fail(
            "access.role_missing",
            "/roleAssignments",
            format!(
                "No role assignment gives the identity (principal {principal}) key read, wrap and unwrap on {scope_hint}: \
                 the vault uses {} and access policies do not apply.",
                if hsm { "Managed HSM local RBAC" } else { "Azure RBAC" }
            ),
            format!("Assign {role_name} to the identity: `{command}`."),
            params([("principalId", principal.into()), ("role", role_name.into())]),
        );
        out.not_applicable("access.broader_than_needed");
        return;
    }
    out.pass("access.role_missing");
    if granting.iter().any(|(_, _, least)| *least) {
        out.pass("access.broader_than_needed");
    } else {
        let Some((index, name, _)) = granting.first() else {
            return;
        };
        let least_name = if hsm {
            "Managed HSM Crypto Service Encryption User"
        } else {
            "Key Vault Crypto Service Encryption User"
        };
        out.fail(
            "access.broader_than_needed",
            &format!("/roleAssignments/{index}"),
            format!("The identity reaches the key through '{name}', which grants more than Azure Managed Redis needs."),
            format!("Assign {least_name} (key read, wrap and unwrap only) instead, then remove the broader role."),
            params([("role", name.clone().into()), ("leastPrivilegeRole", least_name.into())]),
        );
    }
}

fn check_change(ctx: &Ctx, out: &mut Out) {
    const CODE: &str = "change.key_source_switch";
    let cache = ctx.cfg.cache.as_ref();
    match cache.and_then(|c| c.existing) {
        Some(false) => out.not_applicable(CODE),
        None => out.inconclusive(CODE, &["/cache/existing"]),
        Some(true) => {
            let requested = if ctx.cmk {
                KeySource::CustomerManaged
            } else {
                KeySource::MicrosoftManaged
            };
            match cache.and_then(|c| c.current_key_source) {
                None => out.inconclusive(CODE, &["/cache/currentKeySource"]),
                Some(current) if current == requested => out.pass(CODE),
                Some(current) => out.fail(
                    CODE,
                    "/cache/currentKeySource",
                    format!(
                        "Switching this existing cache from {} to {} keys triggers a long-running maintenance \
                         operation with a service disruption; Microsoft does not recommend it for production.",
                        if current == KeySource::CustomerManaged { "customer-managed" } else { "Microsoft-managed" },
                        if requested == KeySource::CustomerManaged { "customer-managed" } else { "Microsoft-managed" },
                    ),
                    "Plan a maintenance window, or create a new cache with the key settings you want and migrate to it."
                        .into(),
                    params([
                        ("from", current.as_str().into()),
                        ("to", requested.as_str().into()),
                    ]),
                ),
            }
        }
    }
}
