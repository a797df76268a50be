//! Terraform configurations read directly (`.tf` files, no plan): parsed with `hcl-edit`
//! ([`parse`]), evaluated as Terraform would at plan time ([`eval`], [`funcs`], [`module`]), with the
//! provider's defaults ([`defaults`]), into the resource instances the plan reader's mapping takes
//! (`terraform::map_resources`): one mapping for plans and configurations.
//!
//! Pointers are into the `.tf.json` form of each module (`/resource/azurerm_key_vault/main/purge_protection_enabled`);
//! internally they are prefixed with `/modules/N` (N: the module directory) until the report is mapped back to
//! files, lines and columns.

mod check;
mod defaults;
mod eval;
mod funcs;
mod module;
mod parse;
mod reads;
mod value;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::bundle::Bundle;
use super::symbols::Symbols;
use super::terraform::{map_resources, ConfigExprs, Res};
use crate::rules::template::Unresolved;
use parse::{File, SourceMap};
use value::V;

pub(crate) use check::check;
pub(crate) use parse::SyntaxError;
pub(crate) use reads::directory_reads;

fn is_tfvars(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".tfvars") || n.ends_with(".tfvars.json")
}

/// Of a directory's entry names, those Terraform reads for a root module: its `.tf` / `.tf.json` files,
/// `terraform.tfvars(.json)` and `*.auto.tfvars(.json)` (other `.tfvars` only with `--var-file`).
#[must_use]
pub(crate) fn root_module_files(entries: &[String]) -> Vec<String> {
    entries
        .iter()
        .filter(|e| !e.ends_with('/'))
        .filter(|e| {
            let n = e.to_ascii_lowercase();
            n.ends_with(".tf")
                || n.ends_with(".tf.json")
                || n == "terraform.tfvars"
                || n == "terraform.tfvars.json"
                || n.ends_with(".auto.tfvars")
                || n.ends_with(".auto.tfvars.json")
        })
        .cloned()
        .collect()
}

/// Of a module directory's entry names, its `.tf` / `.tf.json` files (a called module reads no tfvars).
#[must_use]
pub(crate) fn module_files(entries: &[String]) -> Vec<String> {
    entries
        .iter()
        .filter(|e| {
            let n = e.to_ascii_lowercase();
            !e.ends_with('/') && (n.ends_with(".tf") || n.ends_with(".tf.json"))
        })
        .cloned()
        .collect()
}

/// The order Terraform applies variable files in: `terraform.tfvars`, `terraform.tfvars.json`,
/// `*.auto.tfvars(.json)` by name, then the others (given as `--var-file`) in the order given.
fn tfvars_rank(name: &str) -> u8 {
    let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    match base.as_str() {
        "terraform.tfvars" => 0,
        "terraform.tfvars.json" => 1,
        b if b.ends_with(".auto.tfvars") || b.ends_with(".auto.tfvars.json") => 2,
        _ => 3,
    }
}

/// What reading a configuration gave.
pub(crate) struct Read {
    pub bundle: Bundle,
    /// `{"modules": [<.tf.json skeleton of each module directory>]}`: what pointers may stop at.
    pub doc: Value,
    map: SourceMap,
    /// `.tf` file names by index (the source map's file numbers).
    names: Vec<String>,
    texts: Vec<String>,
    /// The first file of each module directory.
    first_file: Vec<usize>,
    /// Files that could not be read: name, error.
    pub errors: Vec<(String, SyntaxError)>,
}

/// Where a pointer (`/modules/N/...`) is: the file, the pointer in that file, 1-based line and column.
pub(crate) struct Place {
    pub file: String,
    pub pointer: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Read {
    /// The file, pointer and position of an internal pointer.
    pub fn place(&self, pointer: &str) -> Place {
        let stripped = strip_module(pointer);
        let mut p = pointer.to_owned();
        loop {
            if let Some((fi, off)) = self.map.get(&p) {
                // A `.tf.json` file was parsed from generated text: no positions in it.
                let at = self
                    .texts
                    .get(*fi)
                    .filter(|t| !t.is_empty())
                    .map(|t| parse::line_col(t, *off));
                return Place {
                    file: self.names.get(*fi).cloned().unwrap_or_default(),
                    pointer: stripped,
                    line: at.map(|(l, _)| l),
                    column: at.map(|(_, c)| c),
                };
            }
            match p.rsplit_once('/') {
                Some((parent, _)) if !parent.is_empty() => p = parent.to_owned(),
                _ => break,
            }
        }
        // Nothing in a file (the module itself): its first file.
        let dir_index = pointer
            .strip_prefix("/modules/")
            .and_then(|r| r.split('/').next())
            .and_then(|n| n.parse::<usize>().ok());
        let file = dir_index
            .and_then(|d| self.first_file.get(d))
            .and_then(|f| self.names.get(*f))
            .cloned()
            .unwrap_or_default();
        Place {
            file,
            pointer: stripped,
            line: None,
            column: None,
        }
    }
}

/// `/modules/3/resource/x` → `/resource/x`.
pub(crate) fn strip_module(pointer: &str) -> String {
    match pointer.strip_prefix("/modules/") {
        Some(rest) => match rest.find('/') {
            Some(i) => rest.get(i..).unwrap_or("").to_owned(),
            None => String::new(),
        },
        None => pointer.to_owned(),
    }
}

/// Reads the Terraform files among `files` (name → text), with `vars` (`--var`) last, into components.
pub(crate) fn read(
    files: &[(&str, &str)],
    vars: &Map<String, Value>,
    symbols: &mut Symbols,
) -> Read {
    let mut parsed: Vec<File> = Vec::new();
    let mut errors = Vec::new();
    let mut tfvars: Vec<(&str, &str)> = Vec::new();
    for (name, text) in files {
        let lower = name.to_ascii_lowercase();
        if is_tfvars(name) {
            tfvars.push((name, text));
        } else if lower.ends_with(".tf.json") {
            match json_file(name, text) {
                Ok(f) => parsed.push(f),
                Err(e) => errors.push(((*name).to_owned(), e)),
            }
        } else if lower.ends_with(".tf") {
            match parse::parse(name, text) {
                Ok(f) => parsed.push(f),
                Err(e) => errors.push(((*name).to_owned(), e)),
            }
        }
    }
    let mut map = SourceMap::new();
    let (defs, doc) = parse::modules(&parsed, &mut map);
    // Roots: directories no module of another directory calls.
    let called: Vec<String> = defs
        .iter()
        .flat_map(|d| {
            d.calls.iter().filter_map(move |c| {
                let s = c.block.body.get_attribute("source")?.value.as_str()?;
                module::join_dir(&d.dir, s).filter(|x| *x != d.dir)
            })
        })
        .collect();
    let roots: Vec<usize> = (0..defs.len())
        .filter(|i| defs.get(*i).is_some_and(|d| !called.contains(&d.dir)))
        .collect();
    let mut out = module::Out::default();
    for ri in &roots {
        let Some(root) = defs.get(*ri) else { continue };
        // Variable values: tfvars of the root directory in Terraform's order, then `vars`.
        let mut inputs: BTreeMap<String, V> = BTreeMap::new();
        // The automatic ones of the root's directory; the others (`--var-file`) wherever they are.
        let mut mine: Vec<&(&str, &str)> = tfvars
            .iter()
            .filter(|(n, _)| tfvars_rank(n) == 3 || parse::dir_of(n) == root.dir)
            .collect();
        mine.sort_by_key(|(n, _)| tfvars_rank(n));
        for (name, text) in mine {
            match tfvars_values(name, text, &mut out.steps) {
                Ok(v) => inputs.extend(v),
                Err(e) => errors.push(((*name).to_owned(), e)),
            }
        }
        for (k, v) in vars {
            inputs.insert(k.clone(), V::from_json(v));
        }
        module::eval_module(&defs, *ri, &inputs, "", 0, &mut out);
    }
    let env = defs
        .iter()
        .find_map(|d| d.environment)
        .map(|e| module::simple(e, &mut out.steps))
        .and_then(|v| v.as_string());
    let mut bundle = Bundle {
        container: roots
            .first()
            .map_or(String::new(), |r| format!("/modules/{r}/resource")),
        ..Bundle::default()
    };
    {
        let res: Vec<Res> = out
            .resources
            .iter()
            .map(|r| Res {
                address: r.address.clone(),
                config_address: r.config_address.clone(),
                module: r.module.clone(),
                rtype: r.rtype.clone(),
                mode: r.mode.clone(),
                values: &r.after,
                unknown: Some(&r.unknown),
                before: None,
                actions: if r.mode == "managed" {
                    vec!["create".into()]
                } else {
                    Vec::new()
                },
                ptr: r.ptr.clone(),
                opaque: r.mode == "data",
            })
            .collect();
        let config: ConfigExprs = out
            .resources
            .iter()
            .map(|r| {
                let relative = super::terraform::relative_address(&r.address, &r.module);
                (r.module.clone(), relative.to_owned(), &r.expressions)
            })
            .collect();
        map_resources(res, config, env.as_deref(), &mut bundle, symbols);
    }
    for n in &out.notes {
        // A module not read may hold role assignments for the cache's identity; the values its outputs give are
        // unknown where they are used (their own findings).
        bundle.unresolved.push(Unresolved {
            model: "/roleAssignments".into(),
            doc: n.ptr.clone(),
            expression: n.expression.clone(),
            reason: n.reason.clone(),
            address: None,
        });
    }
    let first_file = (0..defs.len())
        .map(|d| {
            parsed
                .iter()
                .position(|f| defs.get(d).is_some_and(|m| m.dir == f.dir))
                .unwrap_or(0)
        })
        .collect();
    let names = parsed.iter().map(|f| f.name.clone()).collect();
    let texts = parsed.iter().map(|f| f.text.clone()).collect();
    drop(defs);
    Read {
        bundle,
        doc,
        map,
        names,
        texts,
        first_file,
        errors,
    }
}

/// The variable values of a `.tfvars` (HCL attributes) or `.tfvars.json` file.
fn tfvars_values(
    name: &str,
    text: &str,
    steps: &mut usize,
) -> Result<BTreeMap<String, V>, SyntaxError> {
    if name.to_ascii_lowercase().ends_with(".json") {
        let doc = crate::input::parse_document(text).map_err(|e| json_error(&e))?;
        return match doc {
            Value::Object(m) => Ok(m
                .iter()
                .map(|(k, v)| (k.clone(), V::from_json(v)))
                .collect()),
            _ => Err(SyntaxError {
                message: "a .tfvars.json file must be a JSON object".into(),
                line: 1,
                column: 1,
            }),
        };
    }
    let f = parse::parse(name, text)?;
    Ok(f.body
        .attributes()
        .map(|a| (a.key.as_str().to_owned(), module::simple(&a.value, steps)))
        .collect())
}

fn json_error(e: &crate::error::InputError) -> SyntaxError {
    SyntaxError {
        message: e.to_string(),
        line: 1,
        column: 1,
    }
}

/// A `.tf.json` file: its JSON turned into HCL text and parsed as such (strings are templates there too).
fn json_file(name: &str, text: &str) -> Result<File, SyntaxError> {
    let doc = crate::input::parse_document(text).map_err(|e| json_error(&e))?;
    let mut hcl = String::new();
    json_body(&doc, &mut hcl, 0);
    let mut f = parse::parse(name, &hcl)?;
    // Positions are in the generated text: keep the JSON text for none of them.
    f.text = String::new();
    Ok(f)
}

/// Block nesting of the `.tf.json` syntax: `resource` → type → name → body; `module`/`variable`/`output`/
/// `data`/`provider` likewise.
fn json_body(doc: &Value, out: &mut String, _depth: usize) {
    let Value::Object(top) = doc else { return };
    for (kind, v) in top {
        let labels = match kind.as_str() {
            "resource" | "data" => 2,
            "module" | "variable" | "output" | "provider" => 1,
            "locals" | "terraform" => 0,
            _ => continue,
        };
        json_blocks(kind, v, labels, &mut Vec::new(), out);
    }
}

fn json_blocks(kind: &str, v: &Value, labels: usize, have: &mut Vec<String>, out: &mut String) {
    if have.len() == labels {
        for item in as_items(v) {
            out.push_str(kind);
            for l in have.iter() {
                out.push(' ');
                out.push_str(&Value::String(l.clone()).to_string());
            }
            out.push_str(" {\n");
            json_attrs(item, out, 0);
            out.push_str("}\n");
        }
        return;
    }
    if let Value::Object(m) = v {
        for (k, inner) in m {
            have.push(k.clone());
            json_blocks(kind, inner, labels, have, out);
            have.pop();
        }
    }
}

fn as_items(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    }
}

/// Nested block names of the resources this tool reads (everything else in `.tf.json` is an attribute).
const JSON_BLOCKS: &[&str] = &[
    "identity",
    "customer_managed_key",
    "network_acls",
    "access_policy",
    "default_database",
    "lifecycle",
    "content",
    "dynamic",
];

fn json_attrs(v: &Value, out: &mut String, depth: usize) {
    let Value::Object(m) = v else { return };
    if depth > 8 {
        return;
    }
    for (k, x) in m {
        if JSON_BLOCKS.contains(&k.as_str()) && (x.is_object() || x.is_array()) {
            for item in as_items(x) {
                out.push_str(&format!("{k} {{\n"));
                json_attrs(item, out, depth + 1);
                out.push_str("}\n");
            }
            continue;
        }
        if k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            out.push_str(k);
            out.push_str(" = ");
            json_expr(x, out);
            out.push('\n');
        }
    }
}

fn json_expr(v: &Value, out: &mut String) {
    match v {
        // A JSON string is a template: `"${var.x}"` as written, other text quoted.
        Value::String(s) => {
            let quoted = Value::String(s.clone()).to_string();
            // JSON escapes are HCL escapes, and `${` stays an interpolation.
            out.push_str(&quoted);
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json_expr(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(" = ");
                json_expr(x, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}
