//! Which files of a directory the CLI reads for a Terraform configuration: the root module's files and the
//! directories of the local modules it calls (asked for as they are found).

use super::{module::join_dir, module_files, parse, root_module_files};

/// The directories of the local modules (`source = "./..."`) that a `.tf` file calls.
fn local_module_dirs(name: &str, text: &str) -> Vec<String> {
    let Ok(f) = parse::parse(name, text) else {
        return Vec::new();
    };
    f.body
        .blocks()
        .filter(|b| b.ident.as_str() == "module")
        .filter_map(|b| {
            b.body
                .get_attribute("source")?
                .value
                .as_str()
                .map(str::to_owned)
        })
        .filter(|s| s.starts_with("./") || s.starts_with("../"))
        .filter_map(|s| join_dir(&f.dir, &s))
        .collect()
}

fn under(dir: &str, entry: &str) -> String {
    if dir.is_empty() {
        entry.to_owned()
    } else if dir.ends_with('/') {
        format!("{dir}{entry}")
    } else {
        format!("{dir}/{entry}")
    }
}

/// For `check DIR` on a Terraform root module: the files to check (the root's `.tf`, `.tf.json`,
/// `terraform.tfvars(.json)`, `*.auto.tfvars(.json)`, and every called local module's `.tf` files) and the
/// paths still to read (files not given yet, module directories whose entries are not known). `text` and
/// `entries` look up what the binding already read. Empty files when the directory has no Terraform files.
pub(crate) fn directory_reads<'a>(
    dir: &str,
    entries: &[String],
    text: &dyn Fn(&str) -> Option<&'a str>,
    entries_of: &dyn Fn(&str) -> Option<&'a [String]>,
) -> (Vec<String>, Vec<String>) {
    let root = dir.trim_end_matches('/');
    let mut files: Vec<String> = root_module_files(entries)
        .iter()
        .map(|e| under(root, e))
        .collect();
    if !files.iter().any(|f| {
        let l = f.to_ascii_lowercase();
        l.ends_with(".tf") || l.ends_with(".tf.json")
    }) {
        return (Vec::new(), Vec::new());
    }
    let mut wanted: Vec<String> = Vec::new();
    let mut seen_dirs: Vec<String> = vec![root.to_owned()];
    let mut scanned = 0;
    // Each module directory is asked for once; depth is bounded by the number of directories.
    while scanned < files.len() && seen_dirs.len() <= 64 {
        let Some(f) = files.get(scanned).cloned() else {
            break;
        };
        scanned += 1;
        if !f.to_ascii_lowercase().ends_with(".tf") {
            continue;
        }
        let Some(t) = text(&f) else { continue };
        for d in local_module_dirs(&f, t) {
            if seen_dirs.contains(&d) {
                continue;
            }
            seen_dirs.push(d.clone());
            match entries_of(&d) {
                Some(e) => files.extend(module_files(e).iter().map(|x| under(&d, x))),
                None => wanted.push(d),
            }
        }
    }
    files.sort();
    files.dedup();
    for f in &files {
        if text(f).is_none() && !wanted.contains(f) {
            wanted.push(f.clone());
        }
    }
    (files, wanted)
}
