//! The rules' output: checks with their outcomes and findings, accumulated while the rules run, then put in
//! catalogue order, placed in the caller's document and counted.

use super::catalogue::spec;
use super::code::RuleCode;
use crate::report::{Check, Finding, Outcome, Params, Severity, Summary};

/// Checks and findings as the rules report them.
pub(crate) struct Out {
    pub findings: Vec<Finding>,
    pub checks: Vec<Check>,
}

impl Out {
    /// Room for a check of every rule (`validate` sets each rule's check once), none for findings yet.
    pub fn new() -> Self {
        Self {
            findings: Vec::new(),
            checks: Vec::with_capacity(RuleCode::ALL.len()),
        }
    }

    pub fn set(&mut self, code: RuleCode, outcome: Outcome, needs: Vec<String>) {
        self.checks.push(Check::new(code, outcome, needs));
    }

    pub fn pass(&mut self, code: RuleCode) {
        self.set(code, Outcome::Pass, Vec::new());
    }

    pub fn not_applicable(&mut self, code: RuleCode) {
        self.set(code, Outcome::NotApplicable, Vec::new());
    }

    /// When `applies` is false, every check of `codes` does not apply; returns `true` then (the caller stops).
    pub fn not_applicable_unless(&mut self, applies: bool, codes: &[RuleCode]) -> bool {
        if !applies {
            self.not_applicable_all(codes);
        }
        !applies
    }

    /// The input a family of checks needs, when they apply: without CMK every check of `codes` does not apply,
    /// and without the input (`None`) every one is inconclusive for want of `needs`; `None` then (the caller
    /// stops).
    pub fn family_input<T>(
        &mut self,
        cmk: bool,
        codes: &[RuleCode],
        input: Option<T>,
        needs: &str,
    ) -> Option<T> {
        if self.not_applicable_unless(cmk, codes) {
            return None;
        }
        if input.is_none() {
            self.inconclusive_all(codes, &[needs]);
        }
        input
    }

    /// Every check of `codes` does not apply.
    pub fn not_applicable_all(&mut self, codes: &[RuleCode]) {
        for code in codes {
            self.not_applicable(*code);
        }
    }

    pub fn inconclusive(&mut self, code: RuleCode, needs: &[&str]) {
        self.set(
            code,
            Outcome::Inconclusive,
            needs.iter().map(|s| (*s).to_owned()).collect(),
        );
    }

    /// Every check of `codes` is inconclusive for want of the same inputs.
    pub fn inconclusive_all(&mut self, codes: &[RuleCode], needs: &[&str]) {
        for code in codes {
            self.inconclusive(*code, needs);
        }
    }

    /// The check fails with one finding of its own code.
    pub fn fail(
        &mut self,
        code: RuleCode,
        path: &str,
        message: String,
        remediation: String,
        params: Params,
    ) {
        self.set(code, Outcome::Fail, Vec::new());
        self.finding(code, code.as_str(), path, message, remediation, params);
    }

    /// The check passes when `holds`, else fails at `path` with the finding `failure` describes (message,
    /// remediation, params), built only then.
    pub fn fail_unless(
        &mut self,
        code: RuleCode,
        holds: bool,
        path: &str,
        failure: impl FnOnce() -> (String, String, Params),
    ) {
        if holds {
            self.pass(code);
        } else {
            let (message, remediation, params) = failure();
            self.fail(code, path, message, remediation, params);
        }
    }

    /// Adds a finding with `code` under the check `check` (which gives severity and doc link).
    pub fn finding(
        &mut self,
        check: RuleCode,
        code: &'static str,
        path: &str,
        message: String,
        remediation: String,
        params: Params,
    ) {
        let s = spec(check);
        self.findings.push(Finding {
            code,
            check,
            severity: s.severity,
            path: path.to_owned(),
            message,
            remediation,
            doc_url: s.doc_url,
            params,
            fix: None,
            address: None,
            file: None,
            line: None,
            column: None,
        });
    }

    /// Checks and findings in catalogue order, whatever order the checks ran in (stable within a check).
    /// The checks arrive in catalogue order but for the few a family decides late: an insertion sort (stable,
    /// linear when nothing is out of place) puts them in place without the standard sort's scratch buffer.
    pub fn sort(&mut self) {
        for i in 1..self.checks.len() {
            let Some([before, check]) = self.checks.get(i - 1..=i) else {
                continue;
            };
            if before.code <= check.code {
                continue;
            }
            let code = check.code;
            let place = self
                .checks
                .get(..i)
                .map_or(i, |done| done.partition_point(|c| c.code <= code));
            if let Some(moved) = self.checks.get_mut(place..=i) {
                moved.rotate_right(1);
            }
        }
        if !self.findings.is_sorted_by_key(|f| f.check) {
            self.findings.sort_by_key(|f| f.check);
        }
    }
}

/// Counts findings by severity, and inconclusive checks.
pub(crate) fn summarize(findings: &[Finding], checks: &[Check]) -> Summary {
    let mut summary = Summary::default();
    for f in findings {
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
    summary
}

/// The names in `wanted` that `has` does not grant, in order.
pub(crate) fn missing<'a>(wanted: &[&'a str], has: impl Fn(&str) -> bool) -> Vec<&'a str> {
    wanted.iter().copied().filter(|w| !has(w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_puts_checks_in_catalogue_order_keeping_pushed_order_within_a_code() {
        let all = RuleCode::ALL;
        let mut out = Out::new();
        for (k, i) in [5, 3, 9, 3, 0, 12, 1, 9].into_iter().enumerate() {
            out.set(all[i], Outcome::Pass, vec![k.to_string()]);
        }
        out.sort();
        let got: Vec<(RuleCode, &str)> = out
            .checks
            .iter()
            .map(|c| (c.code, c.needs[0].as_str()))
            .collect();
        let want: Vec<(RuleCode, &str)> = [
            (0, "4"),
            (1, "6"),
            (3, "1"),
            (3, "3"),
            (5, "0"),
            (9, "2"),
            (9, "7"),
            (12, "5"),
        ]
        .into_iter()
        .map(|(i, k)| (all[i], k))
        .collect();
        assert_eq!(got, want);
    }
}
