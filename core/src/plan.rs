//! The migration plan: the ordered steps to move a cache to a customer-managed key (or to another key, or back
//! to Microsoft-managed keys), each with its status and its fixes, the disruptive switch last.

use serde::Serialize;

use crate::fix::{patch_cache_command, placeholders_of, Fix};
use crate::model::{Config, KeySource};
use crate::report::{Outcome, Report, Severity};

/// A step's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    /// Every check of the step passes.
    Done,
    /// At least one check fails with an error: run the fixes.
    Todo,
    /// Nothing fails but some checks are inconclusive: confirm by hand.
    Confirm,
    /// The step does not apply (e.g. no key needed when moving back to Microsoft-managed keys).
    NotApplicable,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// `identity`, `key`, `vault`, `permissions` or `switch`.
    pub id: &'static str,
    /// What the step achieves.
    pub title: &'static str,
    /// Its state.
    pub status: StepStatus,
    /// The checks that decide it, with their outcomes.
    pub checks: Vec<crate::report::Check>,
    /// Fixes of its failing checks, in catalogue order.
    pub fixes: Vec<Fix>,
    /// A long-running maintenance operation.
    pub long_running: bool,
    /// Causes a service disruption.
    pub disruptive: bool,
    /// What to know before running it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

/// The migration plan for a configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// `true` for an existing cache, `false` for a new one, `null` when unknown.
    pub existing: Option<bool>,
    /// Key source today (existing caches).
    pub from: Option<&'static str>,
    /// Key source requested.
    pub to: &'static str,
    /// `true` when every step before the last is done (or does not apply): the last step, the switch or the
    /// creation of the cache, can run.
    pub ready: bool,
    /// The steps, in the order to run them.
    pub steps: Vec<Step>,
}

const STEPS: &[(&str, &str, &[&str])] = &[
    (
        "identity",
        "Create a user-assigned identity and attach it to the cache",
        &["identity.missing", "identity.system_assigned", "identity.resource_id_invalid", "identity.not_attached"],
    ),
    (
        "key",
        "Have an enabled RSA key with wrapKey and unwrapKey, named by its versioned URL",
        &[
            "encryption.cmk_incomplete",
            "key_input.incomplete",
            "key_input.conflict",
            "key_uri.syntax",
            "key_uri.version_missing",
            "key_uri.cloud_mismatch",
            "key.not_rsa",
            "key.operations_missing",
            "key.disabled",
            "key.expired",
            "key.not_yet_valid",
        ],
    ),
    (
        "vault",
        "Vault in the cache's region with soft delete, purge protection and trusted services allowed",
        &[
            "vault.name_mismatch",
            "vault.region_mismatch",
            "vault.soft_delete_disabled",
            "vault.purge_protection_disabled",
            "vault.trusted_services_blocked",
        ],
    ),
    (
        "permissions",
        "Give the identity get, wrapKey and unwrapKey on the key",
        &["access.permissions_missing", "access.role_missing", "access.policies_ignored"],
    ),
];

const SWITCH_NOTE: &str = "Changing between Microsoft-managed and customer-managed keys on an existing cache triggers a \
    long-running maintenance operation with a service disruption; Microsoft does not recommend it for production. \
    Run it in a maintenance window, or create a new cache with these settings and migrate.";

/// Builds the plan from a configuration and its report (from [`crate::validate`]).
#[must_use]
pub fn plan(cfg: &Config, report: &Report) -> Plan {
    let cache = cfg.cache.as_ref();
    let to = if report.outcome("encryption.microsoft_managed") == Some(Outcome::Fail) {
        KeySource::MicrosoftManaged
    } else {
        KeySource::CustomerManaged
    };
    let from = cache.and_then(|c| c.current_key_source);
    let existing = cache.and_then(|c| c.existing);
    let mut steps: Vec<Step> = STEPS
        .iter()
        .map(|(id, title, codes)| {
            let checks: Vec<crate::report::Check> = report
                .checks
                .iter()
                .filter(|c| codes.contains(&c.code))
                .cloned()
                .collect();
            let fixes: Vec<Fix> = report
                .findings
                .iter()
                .filter(|f| {
                    f.severity == Severity::Error && codes.contains(&crate::rules::check_of(f.code))
                })
                .filter_map(|f| f.fix.clone())
                .collect();
            let status = step_status(&checks, report, codes);
            Step {
                id,
                title,
                status,
                checks,
                fixes,
                long_running: false,
                disruptive: false,
                note: None,
            }
        })
        .collect();

    let switch_needed = existing == Some(true) && from.is_some_and(|f| f != to);
    let prior_done = steps
        .iter()
        .all(|s| matches!(s.status, StepStatus::Done | StepStatus::NotApplicable));
    let switch_check: Vec<crate::report::Check> = report
        .checks
        .iter()
        .filter(|c| c.code == "change.key_source_switch")
        .cloned()
        .collect();
    let status = match (existing, from) {
        (Some(true), Some(f)) if f == to => StepStatus::Done,
        (Some(true), Some(_)) | (Some(false), _) => StepStatus::Todo,
        _ => StepStatus::Confirm,
    };
    let body = cfg
        .encryption
        .as_ref()
        .and_then(|e| e.customer_managed_key_encryption.as_ref())
        .filter(|_| to == KeySource::CustomerManaged)
        .map_or_else(
            || serde_json::json!({"properties": {"encryption": {"customerManagedKeyEncryption": {}}}}),
            |c| {
                let url = report.key.as_ref().map_or_else(|| "<versioned-key-url>".to_owned(), |k| k.uri().to_owned());
                let identity = c
                    .key_encryption_key_identity
                    .as_ref()
                    .and_then(|k| k.user_assigned_identity_resource_id.clone())
                    .unwrap_or_else(|| "<identity-resource-id>".into());
                serde_json::json!({"properties": {"encryption": {"customerManagedKeyEncryption": {
                    "keyEncryptionKeyUrl": url,
                    "keyEncryptionKeyIdentity": {"identityType": "userAssignedIdentity", "userAssignedIdentityResourceId": identity}}}}})
            },
        );
    let command = patch_cache_command(
        cache.and_then(|c| c.id.as_ref()),
        cache.and_then(|c| c.name.as_ref()),
        &body,
    );
    let placeholders = placeholders_of(std::slice::from_ref(&command));
    steps.push(Step {
        id: "switch",
        title: match (existing, to) {
            (Some(false), _) => "Create the cache with these encryption settings (after every other step is done)",
            (_, KeySource::CustomerManaged) => {
                "Switch the cache to the customer-managed key (last, after every other step is done)"
            }
            (_, KeySource::MicrosoftManaged) => "Switch the cache back to Microsoft-managed keys",
        },
        status: if status == StepStatus::Todo && !prior_done {
            StepStatus::Todo
        } else {
            status
        },
        checks: switch_check,
        fixes: vec![Fix {
            summary: "Apply the encryption settings to the cache".into(),
            commands: vec![command],
            placeholders,
            disruptive: switch_needed,
            patch: Vec::new(),
            terraform: Vec::new(),
        }],
        long_running: switch_needed,
        disruptive: switch_needed,
        note: switch_needed.then_some(SWITCH_NOTE),
    });
    if to == KeySource::MicrosoftManaged {
        for s in steps.iter_mut().filter(|s| s.id != "switch") {
            s.status = StepStatus::NotApplicable;
            s.fixes.clear();
        }
    }
    let ready = steps
        .iter()
        .all(|s| matches!(s.status, StepStatus::Done | StepStatus::NotApplicable));
    Plan {
        existing,
        from: from.map(KeySource::as_str),
        to: to.as_str(),
        ready,
        steps,
    }
}

fn step_status(checks: &[crate::report::Check], report: &Report, codes: &[&str]) -> StepStatus {
    let failing_error = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error && codes.contains(&crate::rules::check_of(f.code)));
    if failing_error {
        StepStatus::Todo
    } else if checks.iter().any(|c| c.outcome == Outcome::Inconclusive) {
        StepStatus::Confirm
    } else if checks.iter().all(|c| c.outcome == Outcome::NotApplicable) {
        StepStatus::NotApplicable
    } else {
        StepStatus::Done
    }
}
