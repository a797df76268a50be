//! The rule catalogue: every check with its stable code, severity, title, documentation link, the inputs it
//! reads, its plan step and its fixes (`shared/spec/rules.md`). Each family of rules declares its entries in its
//! own file (`rules/*.rs`); this file puts them in catalogue order and answers look-ups.

use serde::Serialize;

use super::code::RuleCode;
use super::inputs::Input;
use crate::error::KeyUriError;
use crate::fix::Facts;
use crate::plan::StepId;
use crate::report::Command;
use crate::report::Severity;

pub(crate) const DOC: &str = "https://learn.microsoft.com/azure/redis/how-to-encryption";
pub(crate) const DOC_SCOPE: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#scope-of-availability-for-cmk-disk-encryption";
pub(crate) const DOC_COVERAGE: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#encryption-coverage";
pub(crate) const DOC_GENERAL: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#general-prerequisites-and-limitations";
pub(crate) const DOC_KV: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#azure-key-vault-prerequisites-and-limitations";
pub(crate) const DOC_HOWTO: &str =
    "https://learn.microsoft.com/azure/redis/how-to-encryption#how-to-configure-cmk-encryption-in-azure-managed-redis";
/// Key Vault object identifiers.
pub(crate) const DOC_KV_IDS: &str =
    "https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers";
pub(crate) const DOC_RBAC: &str = "https://learn.microsoft.com/azure/key-vault/general/rbac-guide";
pub(crate) const DOC_FIREWALL: &str =
    "https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints";
pub(crate) const DOC_ARM_EXPRESSIONS: &str =
    "https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions";
pub(crate) const DOC_HSM: &str = "https://learn.microsoft.com/azure/key-vault/managed-hsm/overview";

/// A fix as `az` commands: its summary and the commands, built from what the input tells.
pub(crate) type FixFn = fn(&Facts) -> (String, Vec<Command>);

/// The change to a checked template or plan that fixes a rule's finding (`check` on an ARM template or a
/// Terraform plan; `adapters::template_fix` turns it into a JSON Patch or Terraform attribute changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TemplateFix {
    /// No change the template can say.
    None,
    /// Turn purge protection on.
    PurgeProtection,
    /// Turn soft delete on.
    SoftDelete,
    /// Let trusted services bypass the firewall.
    TrustedServices,
    /// Move the vault to the cache's region.
    VaultRegion,
    /// Make the key an RSA key.
    RsaKey,
    /// Add wrapKey and unwrapKey to the key's operations.
    KeyOps,
    /// Enable the key.
    EnableKey,
    /// Remove the key's expiry.
    RemoveExpiry,
    /// Remove the key's activation date.
    RemoveNotBefore,
    /// Set the cache's key URL to the key's versioned identifier.
    KeyUrl,
    /// Use a user-assigned identity for the key.
    UserAssignedIdentity,
    /// Replace the identity resource ID.
    IdentityResourceId,
    /// Attach the identity to the cache.
    AttachIdentity,
    /// Add the least-privilege role assignment.
    LeastPrivilegeRole,
    /// Add an access policy with get, wrapKey and unwrapKey.
    AccessPolicy,
}

/// One check: everything about it that is not its logic.
#[derive(Clone, Copy)]
// `reads` and `template_fix` are read only by the document readers (the `templates` feature).
#[cfg_attr(not(feature = "templates"), allow(dead_code))]
pub(crate) struct Spec {
    pub code: RuleCode,
    pub severity: Severity,
    /// One line saying what the rule requires.
    pub title: &'static str,
    pub doc_url: &'static str,
    /// The model inputs whose value can change the outcome.
    pub reads: &'static [Input],
    /// The migration-plan step the check belongs to.
    pub step: Option<StepId>,
    /// The `az` fix of its findings.
    pub fix: Option<FixFn>,
    /// The template or plan change that fixes its findings.
    pub template_fix: TemplateFix,
}

impl Spec {
    /// An entry with no inputs, step or fix (see the builder methods).
    pub(crate) const fn new(
        code: RuleCode,
        severity: Severity,
        title: &'static str,
        doc_url: &'static str,
    ) -> Self {
        Spec {
            code,
            severity,
            title,
            doc_url,
            reads: &[],
            step: None,
            fix: None,
            template_fix: TemplateFix::None,
        }
    }

    /// The same entry, reading `reads`.
    pub(crate) const fn reads(mut self, reads: &'static [Input]) -> Self {
        self.reads = reads;
        self
    }

    /// The same entry, in the plan step `step`.
    pub(crate) const fn step(mut self, step: StepId) -> Self {
        self.step = Some(step);
        self
    }

    /// The same entry, fixed by the `az` commands of `fix` and, in a template or plan, by `template_fix`.
    pub(crate) const fn fix(mut self, fix: FixFn, template_fix: TemplateFix) -> Self {
        self.fix = Some(fix);
        self.template_fix = template_fix;
        self
    }
}

/// The families, in catalogue order.
const FAMILIES: [&[Spec]; 10] = [
    super::sku::RULES,
    super::coverage::RULES,
    super::encryption::RULES,
    super::key_uri::RULES,
    super::identity::RULES,
    super::vault::RULES,
    super::key::RULES,
    super::access::RULES,
    super::change::RULES,
    super::template::RULES,
];

const COUNT: usize = RuleCode::ALL.len();

/// The catalogue in one array indexed by [`RuleCode::position`]. Built at compile time: a family out of
/// catalogue order, a missing or a doubled entry stops the build.
#[allow(clippy::indexing_slicing)] // compile-time only: any failure is a build error
const fn flatten() -> [Spec; COUNT] {
    let mut out = [Spec::new(RuleCode::SkuUnknown, Severity::Error, "", ""); COUNT];
    let mut n = 0;
    let mut f = 0;
    while f < FAMILIES.len() {
        let family = FAMILIES[f];
        let mut i = 0;
        while i < family.len() {
            assert!(
                family[i].code as usize == n,
                "a rule is out of catalogue order"
            );
            out[n] = family[i];
            n += 1;
            i += 1;
        }
        f += 1;
    }
    assert!(n == COUNT, "a rule code has no catalogue entry");
    out
}

static SPECS: [Spec; COUNT] = flatten();

/// Every check, in catalogue order.
pub(crate) fn specs() -> &'static [Spec] {
    &SPECS
}

/// The catalogue entry of a check.
#[allow(clippy::indexing_slicing)] // one entry per code, by construction (`flatten`)
pub(crate) fn spec(code: RuleCode) -> &'static Spec {
    &SPECS[code.position()]
}

/// One rule of the catalogue, as `rules()` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Stable code, e.g. `vault.purge_protection_disabled`.
    pub code: &'static str,
    /// The check this code reports under (its own code, or `key_uri.syntax` for the key-URI grammar codes).
    pub check: RuleCode,
    /// Severity of its findings.
    pub severity: Severity,
    /// One line saying what the rule requires.
    pub title: &'static str,
    /// Documentation link.
    pub doc_url: &'static str,
}

/// The key-URI grammar codes: the `key_uri.*` codes of [`KeyUriError`] that report under `key_uri.syntax`.
fn grammar_codes() -> impl Iterator<Item = &'static str> {
    KeyUriError::CODES
        .iter()
        .copied()
        .filter(|c| *c != RuleCode::KeyUriVersionMissing.as_str())
}

/// Every rule: the checks, with the key-URI grammar check expanded into its codes.
#[must_use]
pub fn rules() -> Vec<Rule> {
    let mut out = Vec::with_capacity(COUNT + KeyUriError::CODES.len());
    for s in specs() {
        let rule = |code| Rule {
            code,
            check: s.code,
            severity: s.severity,
            title: s.title,
            doc_url: s.doc_url,
        };
        if s.code == RuleCode::KeyUriSyntax {
            out.extend(grammar_codes().map(rule));
        } else {
            out.push(rule(s.code.as_str()));
        }
    }
    out
}

/// Every code a finding can carry, in catalogue order.
#[must_use]
pub fn rule_codes() -> Vec<&'static str> {
    rules().into_iter().map(|r| r.code).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_per_code_in_order() {
        for (i, s) in specs().iter().enumerate() {
            assert_eq!(s.code.position(), i);
            assert_eq!(RuleCode::ALL.get(i), Some(&s.code));
            assert!(!s.title.is_empty(), "{} has no title", s.code);
        }
    }

    #[test]
    fn codes_parse_back() {
        for c in RuleCode::ALL {
            assert_eq!(RuleCode::parse(c.as_str()), Some(*c));
        }
        assert_eq!(RuleCode::parse("nope"), None);
    }
}
