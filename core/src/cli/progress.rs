//! The progress line: what a CLI shows on a terminal while it reads files and the core checks them.
//!
//! The core has no clock and runs each `cliRun` in one call, so it says what each stage is and the binding
//! shows it: the plan's `progress` (from `cliPlan`) for reading `files` and the first `cliRun`, then each
//! answer's `progress` that comes with `read` for reading those paths and the next `cliRun`. The binding shows
//! a stage's line only on a terminal (standard error), only once [`PROGRESS_AFTER_MS`] have passed since it
//! started, replaces it as the stages change (`\r`, the line, erase to the end of the line) and erases it
//! before it prints the output. Nothing is shown for `--format json` or `sarif`, or for other commands than
//! `check` and `plan`.

use serde::{Deserialize, Serialize};

use super::{CliAction, Invocation};

/// How long a binding waits before it shows the progress line (an input that takes less shows none).
pub const PROGRESS_AFTER_MS: u64 = 1000;

/// The longest file name a progress line shows in full (a line fits in 80 columns).
const NAME_WIDTH: usize = 48;

/// The progress lines of one round of the read loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Progress {
    /// While the binding reads the paths of this round (the plan's `files`, or an answer's `read`).
    pub reading: String,
    /// While the core runs the next `cliRun`.
    pub checking: String,
    /// How long the binding waits before it shows a line, in milliseconds ([`PROGRESS_AFTER_MS`]).
    pub after_ms: u64,
}

/// Whether the invocation shows progress at all.
fn wanted(inv: &Invocation) -> bool {
    matches!(inv.action, CliAction::Check | CliAction::MigrationPlan) && inv.format == "text"
}

/// `check` or `plan`, as a verb.
fn verb(inv: &Invocation) -> &'static str {
    if inv.action == CliAction::MigrationPlan {
        "planning"
    } else {
        "checking"
    }
}

/// `big.json` (clipped) for one path, else `3 files`.
fn what(paths: &[String]) -> String {
    match paths {
        [one] => crate::input::clip(one, NAME_WIDTH),
        _ => format!("{} files", paths.len()),
    }
}

/// The lines of the first round: reading the plan's `files`, then the first `cliRun`.
pub(super) fn first(inv: &Invocation) -> Option<Progress> {
    wanted(inv).then(|| Progress {
        reading: format!("amr-cmk: reading {}…", what(&inv.files)),
        checking: format!("amr-cmk: {} {}…", verb(inv), what(&inv.documents)),
        after_ms: PROGRESS_AFTER_MS,
    })
}

/// The lines of a later round: reading `read` (the files of the directories the user gave), then checking
/// `documents` files in all.
pub(super) fn more(inv: &Invocation, read: &[String], documents: usize) -> Option<Progress> {
    wanted(inv).then(|| Progress {
        reading: format!("amr-cmk: reading {}…", what(read)),
        checking: format!(
            "amr-cmk: {} {} file{}…",
            verb(inv),
            documents,
            if documents == 1 { "" } else { "s" }
        ),
        after_ms: PROGRESS_AFTER_MS,
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse_args;
    use super::*;

    fn plan(args: &str) -> Invocation {
        parse_args(
            &args
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn text_output_of_check_and_plan_only() {
        let p = plan("check fleet.json").progress.unwrap();
        assert_eq!(p.reading, "amr-cmk: reading fleet.json…");
        assert_eq!(p.checking, "amr-cmk: checking fleet.json…");
        assert_eq!(p.after_ms, 1000);
        let p = plan("plan -p params.json a.json b.json").progress.unwrap();
        assert_eq!(p.reading, "amr-cmk: reading 3 files…");
        assert_eq!(p.checking, "amr-cmk: planning 2 files…");
        for none in [
            "check --format json a.json",
            "check -f sarif a.json",
            "plan --format=json a.json",
            "rules",
            "--help",
            "version",
            "check",
        ] {
            assert_eq!(plan(none).progress, None, "{none}");
        }
    }

    #[test]
    fn later_rounds_count_the_files() {
        let inv = plan("check fleet/");
        let read: Vec<String> = (0..120).map(|i| format!("fleet/{i}.json")).collect();
        let p = more(&inv, &read, 121).unwrap();
        assert_eq!(p.reading, "amr-cmk: reading 120 files…");
        assert_eq!(p.checking, "amr-cmk: checking 121 files…");
        assert_eq!(
            more(&inv, &read[..1], 1).unwrap().checking,
            "amr-cmk: checking 1 file…"
        );
        let long = format!("{}.json", "x".repeat(100));
        assert!(
            plan(&format!("check {long}"))
                .progress
                .unwrap()
                .reading
                .chars()
                .count()
                < 80
        );
        assert_eq!(more(&plan("check -f json d"), &read, 1), None);
    }
}
