//! Plain-text rendering: per file, per cache, each finding with severity, path (and Terraform address),
//! message, remediation and fix commands; then the inconclusive checks and the tier's encryption coverage.

use std::fmt::Write as _;

use serde_json::Value;

use super::{items, reports, s, RenderInput};

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    fn severity(&self, sev: &str) -> String {
        let label = format!("{:<7}", sev.to_ascii_uppercase());
        match sev {
            "error" => self.paint("1;31", &label),
            "warning" => self.paint("1;33", &label),
            _ => self.paint("1;36", &label),
        }
    }
}

pub(super) fn render(inputs: &[RenderInput], color: bool) -> String {
    let st = Style { on: color };
    let mut out = String::new();
    if let Some(summary) = super::summary::summary(inputs) {
        super::summary::text(&mut out, &summary);
    }
    let many = inputs.len() > 1;
    for input in inputs {
        if many {
            let _ = writeln!(out, "{}", st.bold(&format!("== {} ==", input.file_name)));
        }
        match input.outcome {
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{} {}: {} [{}]",
                    st.severity("error"),
                    input.file_name,
                    e,
                    e.code()
                );
            }
            Ok(result) => render_result(&mut out, result, &st),
        }
        if many {
            out.push('\n');
        }
    }
    out
}

fn render_result(out: &mut String, result: &Value, st: &Style) {
    let format = s(result, "format");
    for (resource, report) in reports(result) {
        let name = s(resource, "name");
        let mut head = format!(
            "{} '{}'",
            s(resource, "type"),
            if name.is_empty() { "(unnamed)" } else { name }
        );
        if let Some(a) = resource.get("address").and_then(Value::as_str) {
            let _ = write!(head, " [{a}]");
        }
        let _ = writeln!(
            out,
            "{} {}",
            st.bold(&head),
            st.dim(&format!(
                "at {}{} ({format})",
                file_prefix(resource.get("file")),
                pointer_text(s(resource, "pointer"))
            ))
        );
        let findings = report.get("findings").and_then(Value::as_array);
        for f in findings.into_iter().flatten() {
            let mut at = match f.get("line").and_then(Value::as_u64) {
                // A Terraform configuration: `file:line:column` first (the cache's file unless named).
                Some(line) => {
                    let file = f
                        .get("file")
                        .or_else(|| resource.get("file"))
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let column = f.get("column").and_then(Value::as_u64).unwrap_or(1);
                    format!("{file}:{line}:{column} {}", pointer_text(s(f, "path")))
                }
                None => format!(
                    "{}{}",
                    file_prefix(f.get("file")),
                    pointer_text(s(f, "path"))
                ),
            };
            if let Some(a) = f.get("address").and_then(Value::as_str) {
                at = format!("{at} [{a}]");
            }
            let _ = writeln!(
                out,
                "  {} {}  {}",
                st.severity(s(f, "severity")),
                st.bold(s(f, "code")),
                st.dim(&format!("at {at}"))
            );
            let _ = writeln!(out, "          {}", s(f, "message"));
            let _ = writeln!(out, "          Fix: {}", s(f, "remediation"));
            let commands = f
                .get("fix")
                .and_then(|x| x.get("commands"))
                .and_then(Value::as_array);
            for c in commands.into_iter().flatten() {
                let _ = writeln!(out, "            $ {}", s(c, "shell"));
            }
        }
        let inconclusive: Vec<&Value> = items(report, "checks")
            .filter(|c| s(c, "outcome") == "inconclusive")
            .collect();
        if !inconclusive.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                st.bold("Inconclusive (supply these or confirm by hand):")
            );
            for c in inconclusive {
                let needs: Vec<String> = items(c, "needs")
                    .filter_map(Value::as_str)
                    .map(pointer_text)
                    .collect();
                let _ = writeln!(out, "    - {} (needs {})", s(c, "code"), needs.join(", "));
                if let Some(message) = c.get("message").and_then(Value::as_str) {
                    let _ = writeln!(out, "        {message}");
                }
                for cmd in items(c, "confirm") {
                    let _ = writeln!(out, "        Confirm: $ {}", s(cmd, "shell"));
                }
            }
        }
        coverage(out, report, st);
        let summary = report.get("summary").unwrap_or(&Value::Null);
        let n = |k: &str| summary.get(k).and_then(Value::as_u64).unwrap_or(0);
        let valid = report
            .get("valid")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let open = n("inconclusive");
        let verdict = if !valid {
            st.paint("1;31", "FAIL")
        } else if open == 0 {
            st.paint("1;32", "PASS")
        } else {
            st.paint(
                "1;33",
                &format!("PASS with {open} check{} to confirm", plural(open)),
            )
        };
        let _ = writeln!(
            out,
            "  Result: {verdict}: {} error{}, {} warning{}, {} info, {} inconclusive check{}",
            n("errors"),
            plural(n("errors")),
            n("warnings"),
            plural(n("warnings")),
            n("infos"),
            n("inconclusive"),
            plural(n("inconclusive")),
        );
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `file#` before a pointer into a file of a several-file check.
fn file_prefix(file: Option<&Value>) -> String {
    file.and_then(Value::as_str)
        .map_or_else(String::new, |f| format!("{f}#"))
}

fn pointer_text(p: &str) -> String {
    if p.is_empty() {
        "the document root".into()
    } else {
        p.to_owned()
    }
}

fn coverage(out: &mut String, report: &Value, st: &Style) {
    let Some(tier) = report
        .get("sku")
        .and_then(|s| s.get("tier"))
        .and_then(Value::as_str)
    else {
        return;
    };
    let Ok(cov) = crate::coverage::coverage(tier) else {
        return;
    };
    let cmk = items(report, "checks").any(|c| {
        s(c, "code") == crate::RuleCode::EncryptionMicrosoftManaged.as_str()
            && s(c, "outcome") == "pass"
    });
    let _ = writeln!(
        out,
        "  {}",
        st.bold(&format!(
            "Encryption coverage ({} tier, {}):",
            cov.tier_name,
            if cmk {
                "customer-managed key requested"
            } else {
                "Microsoft-managed keys"
            }
        ))
    );
    for row in &cov.disks {
        let keys = match row.keys {
            [] => "set by the storage account, not the cache",
            [crate::coverage::KeyType::MicrosoftManaged] => "Microsoft-managed keys only",
            _ if cmk => "your customer-managed key (wrapping Microsoft-managed keys)",
            _ => "Microsoft-managed keys (a customer-managed key is possible)",
        };
        let _ = writeln!(out, "    - {} ({}): {keys}", row.description, row.disk);
    }
}
