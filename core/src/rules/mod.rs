//! The rules: every check of the catalogue, evaluated against a [`Config`].
//!
//! A rule is one unit: its [`RuleCode`] (spelled once, in `code.rs`), its one catalogue entry in
//! [`catalogue`] (severity, title, documentation link, the inputs it reads (`inputs.rs`), its plan step, its `az`
//! fix and its template fix), and its logic and fix commands in its family's file. Families, in catalogue order:
//! `sku`, `coverage`, `encryption`, `key_uri`, `identity`, `vault`, `key`, `access`, `change`, `template`.
//! Adding a rule: a variant in `code.rs`, an entry in `catalogue.rs`, its check in the family's `check`; the
//! compiler then points at every `match` that must say what the rule does (template fixes, steps).

mod access;
pub mod catalogue;
mod change;
mod code;
mod context;
mod coverage;
mod encryption;
mod identity;
pub(crate) mod inputs;
mod key;
mod key_uri;
pub(crate) mod out;
mod sku;
pub(crate) mod template;
mod vault;

pub use code::RuleCode;

use crate::fix::Facts;
use crate::model::Config;
use crate::report::Fix;
use crate::report::{Outcome, Report};

use catalogue::spec;
use context::Ctx;
use out::{summarize, Out};
#[cfg(feature = "templates")]
use template::Document;

/// Validates a configuration: every check of the catalogue, in order.
#[must_use]
pub fn validate(cfg: &Config) -> Report {
    let (out, ctx, facts) = run(cfg);
    finish(out, ctx, &facts)
}

/// Validates the model read from a document: the report's paths point into the document, and what the
/// document could not tell (values unknown before deployment) makes the checks that need it inconclusive.
#[cfg(feature = "templates")]
pub(crate) fn validate_document(cfg: &Config, doc: &Document) -> Report {
    let (mut out, ctx, facts) = run(cfg);
    template::apply(&mut out, doc);
    finish(out, ctx, &facts)
}

/// Runs every check; returns what they reported, what they read, and what the fixes may fill in.
fn run(cfg: &Config) -> (Out, Ctx<'_>, Facts) {
    let ctx = Ctx::new(cfg);
    let mut out = Out::new();
    sku::check(&ctx, &mut out);
    coverage::check(&ctx, &mut out);
    encryption::check(&ctx, &mut out);
    key_uri::check(&ctx, &mut out);
    identity::check(&ctx, &mut out);
    vault::check(&ctx, &mut out);
    key::check(&ctx, &mut out);
    access::check(&ctx, &mut out);
    change::check(&ctx, &mut out);
    out.sort();
    let facts = ctx.facts();
    for finding in &mut out.findings {
        finding.fix = spec(finding.check)
            .fix
            .and_then(|fix| Fix::from_commands(fix(&facts)));
    }
    for check in &mut out.checks {
        if check.outcome == Outcome::Inconclusive {
            let needs: Vec<&str> = check.needs.iter().map(|n| inputs::words(n)).collect();
            check.message = Some(undecided(check.code, &needs));
        }
    }
    (out, ctx, facts)
}

/// Why an inconclusive check is not decided: its rule and, in words, the inputs that would settle it.
pub(crate) fn undecided(code: RuleCode, needs: &[&str]) -> String {
    let mut words: Vec<&str> = Vec::new();
    for n in needs {
        if !words.contains(n) {
            words.push(n);
        }
    }
    let rule = lower_first(spec(code).title);
    format!(
        "Not decided from the input: {rule}. It needs {}; give {} or confirm by hand.",
        words.join(", "),
        if words.len() == 1 { "it" } else { "them" }
    )
}

fn finish(mut out: Out, ctx: Ctx, facts: &Facts) -> Report {
    // How to settle what is still open: read-only commands that show the missing facts, and the fix to apply
    // if they show the problem.
    for check in out
        .checks
        .iter_mut()
        .filter(|c| c.outcome == Outcome::Inconclusive)
    {
        let s = spec(check.code);
        check.confirm = s.confirm.map(|confirm| confirm(facts)).unwrap_or_default();
        check.fix = s.fix.and_then(|fix| Fix::from_commands(fix(facts)));
    }
    let summary = summarize(&out.findings, &out.checks);
    Report {
        valid: summary.errors == 0,
        summary,
        findings: out.findings,
        checks: out.checks,
        key: ctx.key().cloned(),
        sku: ctx.sku.and_then(Result::ok),
    }
}

/// `title` with its first letter in lower case (a rule's title inside a sentence; titles are ASCII, which
/// `catalogue`'s tests check).
pub(crate) fn lower_first(title: &str) -> String {
    let mut out = title.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    out
}
