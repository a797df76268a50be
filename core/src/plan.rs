//! The migration plan: the ordered steps to move a cache to a customer-managed key (or to another key, or back
//! to Microsoft-managed keys), each with its status and its fixes, the disruptive switch last.

use serde::Serialize;

use crate::fix::{patch_cache_command, CacheBody, CustomerManagedKey, KeyIdentityBody};
use crate::model::{Config, KeySource};
use crate::report::Fix;
use crate::report::{Check, Outcome, Report, Severity};
use crate::rules::catalogue::spec;
use crate::rules::RuleCode;

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

/// Which step a check belongs to (each rule declares its own, see `rules/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepId {
    /// A user-assigned identity, attached to the cache.
    Identity,
    /// An enabled RSA key with wrapKey and unwrapKey, named by its versioned URL.
    Key,
    /// The vault's region, soft delete, purge protection and firewall.
    Vault,
    /// The identity's access to the key.
    Permissions,
    /// The switch (or the creation of the cache), last.
    Switch,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The checks that decide it, with their outcomes.
    pub checks: Vec<Check>,
    /// Causes a service disruption.
    pub disruptive: bool,
    /// Fixes of its failing checks, in catalogue order.
    pub fixes: Vec<Fix>,
    /// `identity`, `key`, `vault`, `permissions` or `switch`.
    pub id: StepId,
    /// A long-running maintenance operation.
    pub long_running: bool,
    /// What to know before running it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
    /// Its state.
    pub status: StepStatus,
    /// What the step achieves.
    pub title: &'static str,
}

/// The migration plan for a configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// `true` for an existing cache, `false` for a new one, `null` when unknown.
    pub existing: Option<bool>,
    /// Key source today (existing caches).
    pub from: Option<&'static str>,
    /// `true` when every step before the last is done (or does not apply): the last step, the switch or the
    /// creation of the cache, can run.
    pub ready: bool,
    /// The steps, in the order to run them.
    pub steps: Vec<Step>,
    /// Key source requested.
    pub to: &'static str,
}

/// The steps before the switch, in the order to run them; their checks are the rules that name the step.
const STEPS: [(StepId, &str); 4] = [
    (StepId::Identity, "Create a user-assigned identity and attach it to the cache"),
    (StepId::Key, "Have an enabled RSA key with wrapKey and unwrapKey, named by its versioned URL"),
    (
        StepId::Vault,
        "Vault in the cache's region with soft delete, purge protection and trusted services allowed",
    ),
    (StepId::Permissions, "Give the identity get, wrapKey and unwrapKey on the key"),
];

/// Whether a check belongs to a step.
fn in_step(code: RuleCode, id: StepId) -> bool {
    spec(code).step == Some(id)
}

const SWITCH_NOTE: &str = "Changing between Microsoft-managed and customer-managed keys on an existing cache triggers a \
    long-running maintenance operation with a service disruption; Microsoft does not recommend it for production. \
    Run it in a maintenance window, or create a new cache with these settings and migrate.";

/// Builds the plan from a configuration and its report (from [`crate::validate`]).
#[must_use]
pub fn plan(cfg: &Config, report: &Report) -> Plan {
    let cache = cfg.cache.as_ref();
    let to = if report.outcome(RuleCode::EncryptionMicrosoftManaged) == Some(Outcome::Fail) {
        KeySource::MicrosoftManaged
    } else {
        KeySource::CustomerManaged
    };
    let from = cache.and_then(|c| c.current_key_source);
    let existing = cache.and_then(|c| c.existing);
    let mut steps: Vec<Step> = STEPS
        .iter()
        .map(|&(id, title)| {
            let checks = checks_of(report, id);
            let fixes: Vec<Fix> = report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error && in_step(f.check, id))
                .filter_map(|f| f.fix.clone())
                .collect();
            let status = step_status(&checks, report, id);
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
    let switch_check = checks_of(report, StepId::Switch);
    let status = match (existing, from) {
        (Some(true), Some(f)) if f == to => StepStatus::Done,
        (Some(true), Some(_)) | (Some(false), _) => StepStatus::Todo,
        _ => StepStatus::Confirm,
    };
    let url = report
        .key
        .as_ref()
        .map_or("<versioned-key-url>", |k| k.uri());
    let identity = cfg
        .encryption
        .as_ref()
        .and_then(|e| e.customer_managed_key_encryption.as_ref())
        .filter(|_| to == KeySource::CustomerManaged)
        .map(|c| {
            c.key_encryption_key_identity
                .as_ref()
                .and_then(|k| k.user_assigned_identity_resource_id.as_deref())
                .unwrap_or("<identity-resource-id>")
        });
    // Microsoft-managed keys: `customerManagedKeyEncryption` is `{}`.
    let body = CacheBody::key(match identity {
        Some(id) => CustomerManagedKey {
            key_encryption_key_identity: Some(KeyIdentityBody::user_assigned(id)),
            key_encryption_key_url: Some(url),
        },
        None => CustomerManagedKey::default(),
    });
    let command = patch_cache_command(
        cache.and_then(|c| c.id.as_ref()),
        cache.and_then(|c| c.name.as_ref()),
        &body,
    );
    steps.push(Step {
        id: StepId::Switch,
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
        fixes: Fix::from_commands((
            "Apply the encryption settings to the cache".into(),
            vec![command],
        ))
        .map(|fix| Fix {
            disruptive: switch_needed,
            ..fix
        })
        .into_iter()
        .collect(),
        long_running: switch_needed,
        disruptive: switch_needed,
        note: switch_needed.then_some(SWITCH_NOTE),
    });
    if to == KeySource::MicrosoftManaged {
        for s in steps.iter_mut().filter(|s| s.id != StepId::Switch) {
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

/// The checks of a step, in report order.
fn checks_of(report: &Report, id: StepId) -> Vec<Check> {
    report
        .checks
        .iter()
        .filter(|c| in_step(c.code, id))
        .cloned()
        .collect()
}

fn step_status(checks: &[Check], report: &Report, id: StepId) -> StepStatus {
    let failing_error = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error && in_step(f.check, id));
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
