//! Values not known before deployment. An adapter that reads a template or a plan tells the rules which values
//! it could not know (an unresolvable ARM expression, a Terraform value known only after apply) and which checks
//! it knows they cannot decide; the rules then make those checks inconclusive, drop their findings, and report
//! each unknown value as a `template.expression_unresolved` finding naming the checks it affects.

// Read only by the document readers (the `templates` feature).
#![cfg_attr(not(feature = "templates"), allow(dead_code))]

use super::catalogue::{spec, specs};
use super::code::RuleCode;
use super::inputs::{words, Input};
use super::out::Out;
use super::{lower_first, undecided};
use crate::pointer::tokens;
use crate::report::{params, Check, Finding, Outcome, Params};

/// A value the adapter could not know: the field stays absent from the model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unresolved {
    /// Model path (relative to the component until joined).
    pub model: String,
    /// Where the expression is in the document.
    pub doc: String,
    /// The expression as written (or the Terraform reference).
    pub expression: String,
    /// Why it is not known.
    pub reason: String,
    /// Terraform address.
    pub address: Option<String>,
}

/// The `expression` of an [`Unresolved`] value that no expression decides: a property of a resource the template
/// only refers to (`"existing": true`), which lives in Azure. Its checks are inconclusive and say so; it is not a
/// `template.expression_unresolved` finding.
pub(crate) const EXISTING_RESOURCE: &str = "\"existing\": true";

/// A check the adapter knows the rules cannot decide from the values given.
#[derive(Debug, Clone)]
pub(crate) struct Override {
    pub check: RuleCode,
    /// Only when the check fails (a pass is still reliable).
    pub fail_only: bool,
    /// Model paths of the inputs that would settle it.
    pub needs: Vec<String>,
}

/// A value of the document the model cannot take (a number where a string belongs, a value outside the API's
/// set, `null` for an object): left out, so the checks that read it are inconclusive, and reported at its pointer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invalid {
    /// Model path.
    pub model: String,
    /// Where the value is in the document.
    pub doc: String,
    /// Terraform address.
    pub address: Option<String>,
    /// What the value should be.
    pub expected: String,
    /// The value given, as JSON (when the value, not its type, is wrong).
    pub value: Option<String>,
}

/// What kind of document the model was read from (its findings say it in its own words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// An ARM template or compiled Bicep.
    Arm,
    /// A Terraform plan.
    Terraform,
    /// `az` CLI output or an Azure SDK dict: no expressions, so no template check.
    Output,
}

/// Maps a model path to the document pointer (and Terraform address) where its value is or would be.
pub(crate) type Locate<'a> = &'a dyn Fn(&str) -> (String, Option<String>);

/// Everything the rules learn from a document besides the model: where each model path is in it, what could
/// not be known, and (for templates and plans) the kind of document, which turns on the template check.
pub(crate) struct Document<'a> {
    pub locate: Locate<'a>,
    pub overrides: &'a [Override],
    pub unresolved: &'a [Unresolved],
    pub invalid: &'a [Invalid],
    pub source: Source,
}

/// The checks an unknown value at the model path `model` may change, in input order.
pub(crate) fn affected(model: &str) -> Vec<RuleCode> {
    let mut out: Vec<RuleCode> = Vec::new();
    for input in Input::ALL {
        if !input.affected_by(model) {
            continue;
        }
        for s in specs() {
            if s.reads.contains(&input) && !out.contains(&s.code) {
                out.push(s.code);
            }
        }
    }
    out
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Places the rules' output in the document, then applies what the document could not tell.
pub(super) fn apply(out: &mut Out, doc: &Document) {
    let locate = doc.locate;
    for f in &mut out.findings {
        let (path, address) = locate(&f.path);
        f.path = path;
        f.address = address;
    }
    for c in &mut out.checks {
        let mut needs = Vec::new();
        for n in &c.needs {
            push_unique(&mut needs, locate(n).0);
        }
        c.needs = needs;
    }

    // Checks the rules could not decide from what was given.
    let mut overrides: Vec<(RuleCode, bool, Vec<String>, String)> = Vec::new();
    for o in doc.overrides {
        let needs = o.needs.iter().map(|n| locate(n).0).collect();
        let words: Vec<&str> = o.needs.iter().map(|n| words(n)).collect();
        overrides.push((o.check, o.fail_only, needs, undecided(o.check, &words)));
    }
    // Every check an unknown or unusable value reads becomes inconclusive, saying why in its message.
    let affected_by: Vec<Vec<RuleCode>> =
        doc.unresolved.iter().map(|u| affected(&u.model)).collect();
    let invalid_affects: Vec<Vec<RuleCode>> =
        doc.invalid.iter().map(|v| affected(&v.model)).collect();
    let mut unknown = |checks: &[RuleCode], at: &str, why: &dyn Fn(String) -> String| {
        for c in checks {
            let rule = lower_first(spec(*c).title);
            overrides.push((*c, false, vec![at.to_owned()], why(rule)));
        }
    };
    for (u, checks) in doc.unresolved.iter().zip(&affected_by) {
        let value = if u.expression.is_empty() {
            &u.doc
        } else {
            &u.expression
        };
        if u.expression == EXISTING_RESOURCE {
            unknown(checks, &u.doc, &|rule| {
                format!(
                    "Not decided from the template: {rule}. It reads {} of a resource the template only refers to \
                     (\"existing\": true), so its settings are in Azure, not in the template; confirm them there.",
                    words(&u.model)
                )
            });
            continue;
        }
        unknown(checks, &u.doc, &|rule| {
            format!(
                "Not decided before deployment: {rule}. It reads {}, which is known only at deployment ({value}); \
                 give it literally or confirm by hand.",
                words(&u.model)
            )
        });
    }
    for (v, checks) in doc.invalid.iter().zip(&invalid_affects) {
        unknown(checks, &v.doc, &|rule| {
            format!(
                "Not decided from the document: {rule}. It reads {}, whose value in the document is not usable.",
                words(&v.model)
            )
        });
    }
    let mut dropped: Vec<RuleCode> = Vec::new();
    for (code, fail_only, needs, why) in &overrides {
        for c in out.checks.iter_mut().filter(|c| c.code == *code) {
            if *fail_only && c.outcome != Outcome::Fail {
                continue;
            }
            if c.outcome != Outcome::Inconclusive {
                c.needs.clear();
            }
            c.outcome = Outcome::Inconclusive;
            c.message = Some(why.clone());
            for n in needs {
                push_unique(&mut c.needs, n.clone());
            }
            dropped.push(c.code);
        }
    }
    out.findings.retain(|f| !dropped.contains(&f.check));

    if doc.source != Source::Output {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (u, checks) in doc.unresolved.iter().zip(&affected_by) {
            if u.expression == EXISTING_RESOURCE
                || seen.contains(&(u.doc.as_str(), u.expression.as_str()))
            {
                continue;
            }
            seen.push((&u.doc, &u.expression));
            out.findings.push(unresolved_finding(u, checks, doc.source));
        }
        out.checks.push(Check::new(
            RuleCode::TemplateExpressionUnresolved,
            if seen.is_empty() {
                Outcome::Pass
            } else {
                Outcome::Fail
            },
            Vec::new(),
        ));
    }
    for (v, checks) in doc.invalid.iter().zip(&invalid_affects) {
        out.findings.push(invalid_finding(v, checks));
    }
    out.checks.push(Check::new(
        RuleCode::DocumentValueInvalid,
        if doc.invalid.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail
        },
        Vec::new(),
    ));
}

fn invalid_finding(v: &Invalid, checks: &[RuleCode]) -> Finding {
    let names: Vec<&str> = checks.iter().map(|c| c.as_str()).collect();
    let field = tokens(&v.model)
        .last()
        .cloned()
        .unwrap_or_else(|| "value".into());
    let what = match &v.value {
        Some(value) => format!("is {value}; the API accepts {}", v.expected),
        None => format!("must be {}", v.expected),
    };
    let mut params = params([
        ("field", v.model.clone().into()),
        ("expected", v.expected.clone().into()),
        ("checks", names.clone().into()),
    ]);
    if let Some(value) = &v.value {
        params.insert("value", value.clone().into());
    }
    document_finding(
        RuleCode::DocumentValueInvalid,
        (&v.doc, &v.address),
        format!(
            "The value of {field} {what}: Azure would refuse it. It is left out, so the checks that read it are \
             inconclusive; the rest of the document is checked."
        ),
        format!(
            "Give {field} a value the API accepts ({}). Checks affected: {}.",
            v.expected,
            if names.is_empty() { "none".to_owned() } else { names.join(", ") }
        ),
        params,
    )
}

/// A finding of one of the checks about the document itself, at the value it is about.
fn document_finding(
    code: RuleCode,
    (doc, address): (&str, &Option<String>),
    message: String,
    remediation: String,
    params: Params,
) -> Finding {
    let s = spec(code);
    Finding {
        code: s.code.as_str(),
        check: s.code,
        severity: s.severity,
        path: doc.to_owned(),
        message,
        remediation,
        doc_url: s.doc_url,
        params,
        fix: None,
        address: address.clone(),
        file: None,
        line: None,
        column: None,
    }
}

fn unresolved_finding(u: &Unresolved, checks: &[RuleCode], source: Source) -> Finding {
    let expression = if u.expression.is_empty() {
        format!(
            "the value at {}",
            if u.doc.is_empty() { "/" } else { &u.doc }
        )
    } else {
        u.expression.clone()
    };
    let field = tokens(&u.model)
        .last()
        .cloned()
        .unwrap_or_else(|| "value".into());
    let names: Vec<&str> = checks.iter().map(|c| c.as_str()).collect();
    let (message, remediation) = match source {
        // Not a value: a part of the configuration that is not read (a Terraform module).
        Source::Terraform if u.expression.starts_with("module.") && u.reason.starts_with("it ") => (
            format!(
                "{expression} is not read: {}. What it would add (role assignments, values its outputs give) is \
                 unknown, and the checks that need it are inconclusive.",
                u.reason
            ),
            format!(
                "Check the module's files too (a local copy, `source = \"./...\"`), or a plan (terraform show \
                 -json). Checks affected: {}.",
                names.join(", ")
            ),
        ),
        Source::Terraform => (
            format!(
                "The value of {field} ({expression}) is known only after apply: {}. The checks that need it are \
                 inconclusive.",
                u.reason
            ),
            format!(
                "Confirm by hand, or check again with the values known (a plan of a later apply, or az output after \
                 deployment). Checks affected: {}.",
                names.join(", ")
            ),
        ),
        Source::Arm | Source::Output => (
            format!(
                "The expression {expression} (for {field}) cannot be evaluated before deployment: {}. The checks \
                 that need it are inconclusive.",
                u.reason
            ),
            format!(
                "Give the value literally, as a parameter default, or in a parameters file (--parameters), or \
                 confirm by hand. Checks affected: {}.",
                names.join(", ")
            ),
        ),
    };
    let params = params([
        ("expression", u.expression.clone().into()),
        ("reason", u.reason.clone().into()),
        ("field", u.model.clone().into()),
        ("checks", names.into()),
    ]);
    document_finding(
        RuleCode::TemplateExpressionUnresolved,
        (&u.doc, &u.address),
        message,
        remediation,
        params,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affected_checks_follow_paths() {
        let has = |model: &str, code| affected(model).contains(&code);
        assert!(has(
            "/vault/enablePurgeProtection",
            RuleCode::VaultPurgeProtectionDisabled
        ));
        assert!(!has(
            "/vault/enablePurgeProtection",
            RuleCode::VaultSoftDeleteDisabled
        ));
        assert!(has("/vault", RuleCode::VaultSoftDeleteDisabled));
        assert!(has("/encryption", RuleCode::IdentityMissing));
        assert!(!has("/encryption", RuleCode::SkuUnknown));
        assert!(has(
            "/roleAssignments/0/principalId",
            RuleCode::AccessRoleMissing
        ));
        // The key URL alone does not leave open whether CMK is used.
        assert!(!has(
            super::super::inputs::P_URL,
            RuleCode::EncryptionMicrosoftManaged
        ));
        // The whole document unknown: every check but the two about the document itself.
        assert_eq!(affected("").len(), RuleCode::ALL.len() - 2);
    }
}
