//! Parsing `.tf` files with `hcl-edit` (which keeps byte spans), grouping their blocks into modules (one per
//! directory), and the source map: JSON Pointer of the `.tf.json` form → file, line and column.

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;
use serde_json::{Map, Value};

use crate::pointer::child;

/// Deepest bracket nesting accepted before parsing (the parser recurses).
const MAX_NESTING: usize = 128;

/// A parsed `.tf` file.
pub(crate) struct File {
    /// Its name as given (`modules/net/main.tf`).
    pub name: String,
    /// Its directory (`modules/net`, "" at the top).
    pub dir: String,
    pub text: String,
    pub body: Body,
}

/// Why a file could not be read: message, 1-based line and column.
#[derive(Debug, Clone)]
pub(crate) struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// The directory part of a file name.
pub(crate) fn dir_of(name: &str) -> String {
    name.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_owned())
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = text.get(..at).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Rejects text nested deeper than the parser should recurse (counted over every bracket, strings included,
/// which only over-counts).
fn nesting_ok(text: &str) -> Result<(), SyntaxError> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = line_col(text, i);
                    return Err(SyntaxError {
                        message: format!("nested deeper than {MAX_NESTING} brackets"),
                        line,
                        column,
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses one `.tf` (or `.tfvars`) file.
pub(crate) fn parse(name: &str, text: &str) -> Result<File, SyntaxError> {
    nesting_ok(text)?;
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        // The parser's message spans several lines (the line, a caret, what was expected): keep the last.
        let message = e
            .message()
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .unwrap_or("invalid HCL")
            .to_owned();
        SyntaxError {
            message,
            line: loc.line(),
            column: loc.column(),
        }
    })?;
    Ok(File {
        name: name.to_owned(),
        dir: dir_of(name),
        text: text.to_owned(),
        body,
    })
}

/// A `resource` or `data` block.
pub(crate) struct ResDef<'a> {
    /// `managed` or `data`.
    pub mode: &'static str,
    pub rtype: String,
    pub name: String,
    pub block: &'a Block,
    /// Pointer of the block in the module's `.tf.json` form.
    pub ptr: String,
}

/// A `module` block.
pub(crate) struct CallDef<'a> {
    pub name: String,
    pub block: &'a Block,
    pub ptr: String,
}

/// The blocks of one module (all `.tf` files of one directory).
#[derive(Default)]
pub(crate) struct ModuleDef<'a> {
    pub dir: String,
    pub variables: Vec<(String, Option<&'a Expression>)>,
    pub locals: Vec<(String, &'a Expression)>,
    pub resources: Vec<ResDef<'a>>,
    pub calls: Vec<CallDef<'a>>,
    pub outputs: Vec<(String, &'a Expression)>,
    /// The `azurerm` provider's `environment`.
    pub environment: Option<&'a Expression>,
}

/// Pointer (prefixed by the module's `/modules/N`) → (file index, byte offset).
pub(crate) type SourceMap = BTreeMap<String, (usize, usize)>;

/// Groups the files of each directory into a module, records where every block and attribute is, and builds
/// the `.tf.json`-shaped skeleton of each module (what exists, for pointers to stop at).
pub(crate) fn modules<'a>(files: &'a [File], map: &mut SourceMap) -> (Vec<ModuleDef<'a>>, Value) {
    let mut dirs: Vec<String> = files.iter().map(|f| f.dir.clone()).collect();
    dirs.sort();
    dirs.dedup();
    let mut out = Vec::new();
    let mut skeletons = Vec::new();
    for (di, dir) in dirs.iter().enumerate() {
        let mut m = ModuleDef {
            dir: dir.clone(),
            ..ModuleDef::default()
        };
        let mut skel = Map::new();
        let base = format!("/modules/{di}");
        for (fi, f) in files.iter().enumerate().filter(|(_, f)| &f.dir == dir) {
            for b in f.body.blocks() {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                let at = |map: &mut SourceMap, p: &str, span: Option<std::ops::Range<usize>>| {
                    if let Some(s) = span {
                        map.entry(p.to_owned()).or_insert((fi, s.start));
                    }
                };
                match (b.ident.as_str(), labels.as_slice()) {
                    (kind @ ("resource" | "data"), [t, n]) => {
                        let top = if kind == "resource" {
                            "resource"
                        } else {
                            "data"
                        };
                        let ptr = child(&child(&child(&base, top), t), n);
                        at(map, &ptr, b.span());
                        let s = body_skeleton(&b.body, &ptr, fi, map);
                        insert_at(&mut skel, &[top, t, n], s);
                        m.resources.push(ResDef {
                            mode: if kind == "resource" {
                                "managed"
                            } else {
                                "data"
                            },
                            rtype: (*t).to_owned(),
                            name: (*n).to_owned(),
                            block: b,
                            ptr,
                        });
                    }
                    ("module", [n]) => {
                        let ptr = child(&child(&base, "module"), n);
                        at(map, &ptr, b.span());
                        let s = body_skeleton(&b.body, &ptr, fi, map);
                        insert_at(&mut skel, &["module", n], s);
                        m.calls.push(CallDef {
                            name: (*n).to_owned(),
                            block: b,
                            ptr,
                        });
                    }
                    ("variable", [n]) => m.variables.push((
                        (*n).to_owned(),
                        b.body.get_attribute("default").map(|a| &a.value),
                    )),
                    ("output", [n]) => {
                        if let Some(a) = b.body.get_attribute("value") {
                            m.outputs.push(((*n).to_owned(), &a.value));
                        }
                    }
                    ("locals", []) => {
                        for a in b.body.attributes() {
                            let ptr = child(&child(&base, "locals"), a.key.as_str());
                            at(map, &ptr, a.span());
                            m.locals.push((a.key.as_str().to_owned(), &a.value));
                        }
                    }
                    ("provider", ["azurerm"]) => {
                        if let Some(a) = b.body.get_attribute("environment") {
                            m.environment = Some(&a.value);
                        }
                    }
                    _ => {}
                }
            }
        }
        out.push(m);
        skeletons.push(Value::Object(skel));
    }
    (out, serde_json::json!({ "modules": skeletons }))
}

fn insert_at(m: &mut Map<String, Value>, path: &[&str], v: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = m;
    for p in parents {
        let e = cur
            .entry((*p).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !e.is_object() {
            *e = Value::Object(Map::new());
        }
        let Value::Object(next) = e else { return };
        cur = next;
    }
    cur.insert((*last).to_owned(), v);
}

/// The `.tf.json` shape of a block body (attributes as `true`, nested blocks as lists), recording spans.
fn body_skeleton(body: &Body, ptr: &str, fi: usize, map: &mut SourceMap) -> Value {
    let mut out = Map::new();
    for a in body.attributes() {
        let p = child(ptr, a.key.as_str());
        if let Some(s) = a.span() {
            map.entry(p).or_insert((fi, s.start));
        }
        out.insert(a.key.as_str().to_owned(), Value::Bool(true));
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for b in body.blocks() {
        // `dynamic "identity" { content { ... } }` stands where its blocks will be.
        let (name, inner) = match (b.ident.as_str(), b.labels.first()) {
            ("dynamic", Some(l)) => (
                l.as_str().to_owned(),
                b.body
                    .get_blocks("content")
                    .next()
                    .map_or(&b.body, |c| &c.body),
            ),
            (n, _) => (n.to_owned(), &b.body),
        };
        let i = counts.entry(name.clone()).or_insert(0);
        let p = format!("{}/{}", child(ptr, &name), i);
        *i += 1;
        if let Some(s) = b.span() {
            map.entry(p.clone()).or_insert((fi, s.start));
            map.entry(child(ptr, &name)).or_insert((fi, s.start));
        }
        let v = body_skeleton(inner, &p, fi, map);
        match out.entry(name).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(a) => a.push(v),
            other => *other = Value::Array(vec![v]),
        }
    }
    Value::Object(out)
}
