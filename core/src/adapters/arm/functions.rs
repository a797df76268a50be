//! The ARM template functions: the lazy ones (`if`, `coalesce`), those that need the template (`parameters`,
//! `variables`, `resourceId` and its kin, `reference`, `resourceInfo`, `subscription`, `resourceGroup`,
//! `tenant`, `environment`) and the scope-free ones (strings, conversions, comparisons, arrays and objects).
//! Functions whose value only the deployment decides give a stand-in (`uniqueString`, `guid`) or stay unknown
//! (`utcNow`, `newGuid`, `list*`).

use serde_json::Value;

use super::eval::{unres, Arm, MAX_VALUE_LEN, V};
use super::join_id;
use crate::adapters::expr::{self, Expr};
use crate::adapters::symbols::Kind as Sym;
use crate::key_uri::{Cloud, VaultKind};

fn strings(args: &[V]) -> Result<Vec<String>, V> {
    args.iter()
        .map(|a| match a {
            V::Unres(r) => Err(V::Unres(r.clone())),
            other => text_of(other).ok_or_else(|| unres("an argument is not a string")),
        })
        .collect()
}

impl Arm<'_, '_> {
    pub(super) fn call(&mut self, name: &str, args: &[Expr], t: usize) -> V {
        let lname = name.to_ascii_lowercase();
        // Lazy functions first.
        match lname.as_str() {
            "if" => {
                let Some(cond) = args.first() else {
                    return unres("if() needs three arguments");
                };
                return match self.eval(cond, t) {
                    V::Bool(true) => args
                        .get(1)
                        .map_or_else(|| unres("if() needs three arguments"), |a| self.eval(a, t)),
                    V::Bool(false) => args
                        .get(2)
                        .map_or_else(|| unres("if() needs three arguments"), |a| self.eval(a, t)),
                    V::Unres(r) => V::Unres(r),
                    _ => unres("the condition of if() is not a boolean"),
                };
            }
            "coalesce" => {
                for a in args {
                    match self.eval(a, t) {
                        V::Null => continue,
                        v => return v,
                    }
                }
                return V::Null;
            }
            _ => {}
        }
        if args.len() > 256 {
            return unres(format!("{name}() has more than 256 arguments"));
        }
        let vals: Vec<V> = args.iter().map(|a| self.eval(a, t)).collect();
        let call_text = || expr::show(&Expr::Call(name.to_owned(), args.to_vec()));
        let arg = |i: usize| vals.get(i).cloned().unwrap_or(V::Null);
        let first_str = || match vals.first() {
            Some(V::Str(s)) => Ok(s.clone()),
            Some(V::Unres(r)) => Err(V::Unres(r.clone())),
            _ => Err(unres(format!("{name}() needs a string"))),
        };
        if let Some(r) = vals.iter().find_map(|v| match v {
            V::Unres(r) => Some(r.clone()),
            _ => None,
        }) {
            if !matches!(
                lname.as_str(),
                "createarray" | "createobject" | "json" | "union" | "trygetl"
            ) {
                return V::Unres(r);
            }
        }
        match lname.as_str() {
            "parameters" => match first_str() {
                Ok(n) => self.param(&n, t),
                Err(e) => e,
            },
            "variables" => match first_str() {
                Ok(n) => self.variable(&n, t),
                Err(e) => e,
            },
            "true" => V::Bool(true),
            "false" => V::Bool(false),
            "null" => V::Null,
            "concat" => {
                if vals.iter().all(|v| matches!(v, V::Arr(_))) && !vals.is_empty() {
                    V::Arr(
                        vals.into_iter()
                            .flat_map(|v| match v {
                                V::Arr(a) => a,
                                _ => Vec::new(),
                            })
                            .collect(),
                    )
                } else {
                    match strings(&vals) {
                        Ok(parts) => V::Str(parts.concat()),
                        Err(e) => e,
                    }
                }
            }
            "format" => match first_str() {
                Ok(f) => format(&f, vals.get(1..).unwrap_or(&[])).map_or_else(V::Unres, V::Str),
                Err(e) => e,
            },
            "tolower" => first_str().map_or_else(|e| e, |s| V::Str(s.to_ascii_lowercase())),
            "toupper" => first_str().map_or_else(|e| e, |s| V::Str(s.to_ascii_uppercase())),
            "trim" => first_str().map_or_else(|e| e, |s| V::Str(s.trim().to_owned())),
            "string" => match arg(0) {
                V::Str(s) => V::Str(s),
                v => match v.to_json() {
                    Ok(serde_json::Value::String(s)) => V::Str(s),
                    Ok(j) => V::Str(j.to_string()),
                    Err(r) => V::Unres(r),
                },
            },
            "int" => match arg(0) {
                V::Int(i) => V::Int(i),
                V::Str(s) => s
                    .trim()
                    .parse()
                    .map_or_else(|_| unres("int() of a non-number"), V::Int),
                _ => unres("int() of a non-number"),
            },
            "bool" => match arg(0) {
                V::Bool(b) => V::Bool(b),
                V::Str(s) if s.eq_ignore_ascii_case("true") => V::Bool(true),
                V::Str(s) if s.eq_ignore_ascii_case("false") => V::Bool(false),
                V::Int(i) => V::Bool(i != 0),
                _ => unres("bool() of a non-boolean"),
            },
            "json" => match first_str() {
                Ok(s) => serde_json::from_str::<Value>(&s)
                    .map_or_else(|_| unres("json() of invalid JSON"), |v| V::literal(&v)),
                Err(e) => e,
            },
            "replace" => match strings(&vals) {
                Ok(p) => match p.as_slice() {
                    [s, old, new] if !old.is_empty() => {
                        let grows = s.matches(old.as_str()).count().saturating_mul(new.len());
                        if grows > MAX_VALUE_LEN {
                            unres("a value grows beyond 64 KiB")
                        } else {
                            V::Str(s.replace(old.as_str(), new))
                        }
                    }
                    _ => unres("replace() needs three strings"),
                },
                Err(e) => e,
            },
            "split" => match (arg(0), arg(1)) {
                (V::Str(s), V::Str(d)) if !d.is_empty() => {
                    V::Arr(s.split(d.as_str()).map(|x| V::Str(x.to_owned())).collect())
                }
                _ => unres("split() needs a string and a delimiter"),
            },
            "join" => match (arg(0), arg(1)) {
                (V::Arr(a), V::Str(d)) => strings(&a).map_or_else(|e| e, |p| V::Str(p.join(&d))),
                _ => unres("join() needs an array and a delimiter"),
            },
            "first" | "last" => {
                let pick = |n: usize| {
                    if lname == "first" {
                        0
                    } else {
                        n.saturating_sub(1)
                    }
                };
                match arg(0) {
                    V::Arr(a) => a.get(pick(a.len())).cloned().unwrap_or(V::Null),
                    V::Str(s) => {
                        let chars: Vec<char> = s.chars().collect();
                        chars
                            .get(pick(chars.len()))
                            .map_or(V::Str(String::new()), |c| V::Str(c.to_string()))
                    }
                    _ => unres(format!("{name}() of a non-array")),
                }
            }
            "substring" => match (arg(0), arg(1), vals.get(2)) {
                (V::Str(s), V::Int(start), len) => {
                    let chars: Vec<char> = s.chars().collect();
                    let start = usize::try_from(start).unwrap_or(0).min(chars.len());
                    let end = match len {
                        Some(V::Int(l)) => start
                            .saturating_add(usize::try_from(*l).unwrap_or(0))
                            .min(chars.len()),
                        _ => chars.len(),
                    };
                    V::Str(
                        chars
                            .get(start..end)
                            .map(|c| c.iter().collect())
                            .unwrap_or_default(),
                    )
                }
                _ => unres("substring() needs a string and a start"),
            },
            "length" => match arg(0) {
                V::Str(s) => V::Int(i64::try_from(s.chars().count()).unwrap_or(0)),
                V::Arr(a) => V::Int(i64::try_from(a.len()).unwrap_or(0)),
                V::Obj(m) => V::Int(i64::try_from(m.len()).unwrap_or(0)),
                _ => unres("length() of this value"),
            },
            "empty" => match arg(0) {
                V::Null => V::Bool(true),
                V::Str(s) => V::Bool(s.is_empty()),
                V::Arr(a) => V::Bool(a.is_empty()),
                V::Obj(m) => V::Bool(m.is_empty()),
                _ => unres("empty() of this value"),
            },
            "equals" => {
                let (a, b) = (arg(0), arg(1));
                if let (V::Str(x), V::Str(y)) = (&a, &b) {
                    let symbolic = self.symbols.contains_any(x) || self.symbols.contains_any(y);
                    if symbolic && x != y {
                        return unres("a comparison with a value known only at deployment");
                    }
                    V::Bool(x.eq_ignore_ascii_case(y))
                } else {
                    V::Bool(a == b)
                }
            }
            "not" => match arg(0) {
                V::Bool(b) => V::Bool(!b),
                _ => unres("not() of a non-boolean"),
            },
            "and" | "or" => {
                let bools: Option<Vec<bool>> = vals
                    .iter()
                    .map(|v| if let V::Bool(b) = v { Some(*b) } else { None })
                    .collect();
                match bools {
                    Some(b) if lname == "and" => V::Bool(b.iter().all(|x| *x)),
                    Some(b) => V::Bool(b.iter().any(|x| *x)),
                    None => unres(format!("{name}() of non-booleans")),
                }
            }
            "contains" => match (arg(0), arg(1)) {
                (V::Str(s), V::Str(x)) => V::Bool(s.contains(x.as_str())),
                (V::Arr(a), x) => V::Bool(a.contains(&x)),
                (o @ V::Obj(_), V::Str(k)) => V::Bool(o.member(&k).is_some()),
                _ => unres("contains() of this value"),
            },
            "startswith" | "endswith" => match (arg(0), arg(1)) {
                (V::Str(s), V::Str(x)) => {
                    let (s, x) = (s.to_ascii_lowercase(), x.to_ascii_lowercase());
                    V::Bool(if lname == "startswith" {
                        s.starts_with(&x)
                    } else {
                        s.ends_with(&x)
                    })
                }
                _ => unres(format!("{name}() needs strings")),
            },
            "createarray" => V::Arr(vals),
            "createobject" => {
                let mut m = Vec::new();
                for pair in vals.chunks(2) {
                    if let [V::Str(k), v] = pair {
                        m.push((k.clone(), v.clone()));
                    }
                }
                V::Obj(m)
            }
            "union" => {
                if vals.iter().all(|v| matches!(v, V::Obj(_))) {
                    let mut m: Vec<(String, V)> = Vec::new();
                    for v in vals {
                        if let V::Obj(o) = v {
                            for (k, x) in o {
                                m.retain(|(ek, _)| !ek.eq_ignore_ascii_case(&k));
                                m.push((k, x));
                            }
                        }
                    }
                    V::Obj(m)
                } else {
                    unres("union() of non-objects is not evaluated")
                }
            }
            "tryget" => {
                let mut cur = arg(0);
                for k in vals.iter().skip(1) {
                    cur = match (&cur, k) {
                        (V::Obj(_), V::Str(key)) => cur.member(key).cloned().unwrap_or(V::Null),
                        (V::Arr(a), V::Int(i)) => usize::try_from(*i)
                            .ok()
                            .and_then(|i| a.get(i).cloned())
                            .unwrap_or(V::Null),
                        _ => V::Null,
                    };
                }
                cur
            }
            "resourceid"
            | "subscriptionresourceid"
            | "tenantresourceid"
            | "extensionresourceid" => self.resource_id(&lname, &vals, t),
            "resourceinfo" => match first_str() {
                Ok(sym) => match self
                    .resources
                    .iter()
                    .find(|r| r.symbolic.as_deref() == Some(sym.as_str()))
                {
                    Some(r) => V::Obj(vec![
                        (
                            "id".into(),
                            r.id.clone()
                                .map_or_else(|| unres("the resource's ID is not known"), V::Str),
                        ),
                        ("name".into(), r.name.clone().map_or_else(V::Unres, V::Str)),
                        ("type".into(), V::Str(r.rtype.clone())),
                    ]),
                    None => unres(format!("no resource '{sym}'")),
                },
                Err(e) => e,
            },
            "reference" => {
                let full = vals
                    .iter()
                    .skip(1)
                    .any(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("full")));
                match first_str() {
                    Ok(target) => {
                        let by_symbol = self
                            .resources
                            .iter()
                            .find(|r| r.symbolic.as_deref() == Some(target.as_str()));
                        let id = if let Some(r) = by_symbol {
                            r.id.clone()
                        } else if target.starts_with('/') {
                            Some(target.clone())
                        } else {
                            self.resources
                                .iter()
                                .find(|r| {
                                    r.name
                                        .as_ref()
                                        .is_ok_and(|n| n.eq_ignore_ascii_case(&target))
                                })
                                .and_then(|r| r.id.clone())
                        };
                        match id {
                            Some(id) => V::Res { id, full },
                            None => unres(format!(
                                "reference('{target}') names no resource of this template"
                            )),
                        }
                    }
                    Err(e) => e,
                }
            }
            "subscription" => {
                let sub = self
                    .template(t)
                    .map(|tp| tp.sub.clone())
                    .unwrap_or_default();
                let tenant =
                    self.symbols
                        .get(Sym::Guid, "tenant", "{tenant().tenantId}", "<tenant-id>");
                V::Obj(vec![
                    ("subscriptionId".into(), V::Str(sub.clone())),
                    ("id".into(), V::Str(format!("/subscriptions/{sub}"))),
                    ("tenantId".into(), V::Str(tenant)),
                    (
                        "displayName".into(),
                        unres("the subscription's display name is known only at deployment"),
                    ),
                ])
            }
            "resourcegroup" => {
                let (sub, rg) = self
                    .template(t)
                    .map(|tp| (tp.sub.clone(), tp.rg.clone()))
                    .unwrap_or_default();
                let location = self.symbols.get(
                    Sym::Location,
                    &format!("location:{rg}"),
                    "{resourceGroup().location}",
                    "<location>",
                );
                V::Obj(vec![
                    ("name".into(), V::Str(rg.clone())),
                    (
                        "id".into(),
                        V::Str(format!("/subscriptions/{sub}/resourceGroups/{rg}")),
                    ),
                    ("location".into(), V::Str(location)),
                ])
            }
            "tenant" => V::Obj(vec![(
                "tenantId".into(),
                V::Str(
                    self.symbols
                        .get(Sym::Guid, "tenant", "{tenant().tenantId}", "<tenant-id>"),
                ),
            )]),
            "environment" => {
                let cloud = self.cloud.unwrap_or(Cloud::Public);
                let (env, kv) = match cloud {
                    Cloud::Public => ("AzureCloud", ".vault.azure.net"),
                    Cloud::China => ("AzureChinaCloud", ".vault.azure.cn"),
                    Cloud::Usgov => ("AzureUSGovernment", ".vault.usgovcloudapi.net"),
                };
                let hsm = format!(".{}", cloud.suffix(VaultKind::ManagedHsm));
                V::Obj(vec![
                    ("name".into(), V::Str(env.into())),
                    (
                        "suffixes".into(),
                        V::Obj(vec![
                            ("keyvaultDns".into(), V::Str(kv.into())),
                            ("acrLoginServer".into(), unres("not needed")),
                            ("mhsmDns".into(), V::Str(hsm)),
                        ]),
                    ),
                ])
            }
            "uniquestring" => match strings(&vals) {
                Ok(parts) => V::Str(self.symbols.get(
                    Sym::Name,
                    &format!("unique:{}", parts.join("\u{0}")),
                    &format!("{{{}}}", call_text()),
                    "<unique-string>",
                )),
                Err(e) => e,
            },
            "guid" => match strings(&vals) {
                Ok(parts) => V::Str(self.symbols.get(
                    Sym::Guid,
                    &format!("guid:{}", parts.join("\u{0}")),
                    &format!("{{{}}}", call_text()),
                    "<guid>",
                )),
                Err(e) => e,
            },
            "deployment" => V::Obj(vec![(
                "name".into(),
                unres("the deployment name is chosen at deployment"),
            )]),
            "utcnow" | "newguid" => unres(format!("{name}() differs at every deployment")),
            n if n.starts_with("list") => {
                unres(format!("{name}() returns values only at deployment"))
            }
            _ => unres(format!(
                "the function {name}() is not evaluated by this tool"
            )),
        }
    }

    fn resource_id(&mut self, kind: &str, vals: &[V], t: usize) -> V {
        let parts = match strings(vals) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let (sub, rg) = self
            .template(t)
            .map(|tp| (tp.sub.clone(), tp.rg.clone()))
            .unwrap_or_default();
        if kind == "extensionresourceid" {
            let (Some(base), Some(rtype)) = (parts.first(), parts.get(1)) else {
                return unres("extensionResourceId() needs a resource ID, a type and names");
            };
            return join_id(
                base.trim_end_matches('/'),
                rtype,
                parts.get(2..).unwrap_or(&[]),
            )
            .map_or_else(
                || unres("extensionResourceId(): the names do not match the type"),
                V::Str,
            );
        }
        let Some(ti) = parts
            .iter()
            .position(|p| p.contains('/') && !p.starts_with('/'))
        else {
            return unres("resourceId() needs a resource type");
        };
        let (before, after) = parts.split_at(ti);
        let Some((rtype, names)) = after.split_first() else {
            return unres("resourceId() needs a resource type");
        };
        let prefix = match (kind, before) {
            ("tenantresourceid", _) => String::new(),
            ("subscriptionresourceid", []) => format!("/subscriptions/{sub}"),
            ("subscriptionresourceid", [s]) => format!("/subscriptions/{s}"),
            (_, []) => format!("/subscriptions/{sub}/resourceGroups/{rg}"),
            (_, [g]) => format!("/subscriptions/{sub}/resourceGroups/{g}"),
            (_, [s, g]) => format!("/subscriptions/{s}/resourceGroups/{g}"),
            _ => return unres("resourceId() has too many arguments before the type"),
        };
        join_id(&prefix, rtype, names).map_or_else(
            || unres("resourceId(): the names do not match the type"),
            V::Str,
        )
    }
}

/// Text of a value for string building (`concat`, `format`); `None` for arrays, objects, references.
pub(crate) fn text_of(v: &V) -> Option<String> {
    match v {
        V::Str(s) => Some(s.clone()),
        V::Int(i) => Some(i.to_string()),
        V::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
        V::Null => Some(String::new()),
        _ => None,
    }
}

/// `format('{0}-{1}', a, b)`: .NET composite formatting without format specifiers.
pub(crate) fn format(fmt: &str, args: &[V]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut spec = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    spec.push(c);
                }
                let index: usize = spec
                    .trim()
                    .parse()
                    .map_err(|_| format!("format specifier '{{{spec}}}' is not evaluated"))?;
                let arg = args
                    .get(index)
                    .ok_or_else(|| format!("format() has no argument {index}"))?;
                if let V::Unres(r) = arg {
                    return Err(r.clone());
                }
                out.push_str(
                    &text_of(arg).ok_or("format() of an array or object is not evaluated")?,
                );
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::eval::BUDGET;
    use super::super::{Param, Template};
    use super::*;
    use crate::adapters::symbols::Symbols;
    use serde_json::json;

    fn eval_in(template: &Value, params: Option<&Value>, expression: &str) -> (V, Symbols) {
        let mut symbols = Symbols::default();
        let v = {
            let root = template.as_object().unwrap();
            let mut arm = Arm {
                templates: Vec::new(),
                resources: Vec::new(),
                symbols: &mut symbols,
                cloud: None,
                depth: 0,
                budget: BUDGET,
                memo: std::collections::BTreeMap::new(),
            };
            let given = params
                .and_then(|p| p.get("parameters"))
                .and_then(Value::as_object);
            let mut ps = Vec::new();
            for (name, def) in root
                .get("parameters")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let p = match given.and_then(|g| g.get(name)).and_then(|v| v.get("value")) {
                    Some(v) => Param::Given(V::literal(v)),
                    None => def
                        .get("defaultValue")
                        .map_or(Param::Missing, Param::Default),
                };
                ps.push((name.to_ascii_lowercase(), p));
            }
            arm.templates.push(Template {
                params: ps,
                vars: root.get("variables").and_then(Value::as_object),
                sub: "SUB".into(),
                rg: "RG".into(),
                scope_of: 0,
                outputs: None,
                deployment_id: None,
            });
            arm.eval_str(expression, 0)
        };
        (v, symbols)
    }

    #[test]
    fn evaluates_template_functions() {
        let t = json!({
            "parameters": {"name": {"type": "string", "defaultValue": "kv"}, "n": {"type": "int"}},
            "variables": {"key": "[concat(parameters('name'), '-', 'cmk')]", "obj": {"a": ["x", "y"]}}
        });
        let s = |e: &str| eval_in(&t, None, e).0;
        assert_eq!(s("[variables('key')]"), V::Str("kv-cmk".into()));
        assert_eq!(s("[variables('obj').a[1]]"), V::Str("y".into()));
        assert_eq!(s("[format('{0}/{1}', 'a', 2)]"), V::Str("a/2".into()));
        assert_eq!(s("[toLower('AbC')]"), V::Str("abc".into()));
        assert_eq!(
            s("[[not an expression]"),
            V::Str("[not an expression]".into())
        );
        assert_eq!(s("['it''s']"), V::Str("it's".into()));
        assert_eq!(
            s("[resourceId('Microsoft.KeyVault/vaults/keys', 'kv', 'cmk')]"),
            V::Str("/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/kv/keys/cmk".into())
        );
        assert_eq!(
            s("[resourceId('other-rg', 'Microsoft.KeyVault/vaults', 'kv')]"),
            V::Str(
                "/subscriptions/SUB/resourceGroups/other-rg/providers/Microsoft.KeyVault/vaults/kv"
                    .into()
            )
        );
        assert_eq!(
            s("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'g')]"),
            V::Str("/subscriptions/SUB/providers/Microsoft.Authorization/roleDefinitions/g".into())
        );
        assert_eq!(s("[if(equals(1, 1), 'a', 'b')]"), V::Str("a".into()));
        assert_eq!(s("[last(split('a/b/c', '/'))]"), V::Str("c".into()));
        assert!(matches!(s("[parameters('n')]"), V::Unres(_)));
        assert!(matches!(s("[utcNow()]"), V::Unres(_)));
        assert!(matches!(s("[listKeys('x', '1').keys]"), V::Unres(_)));
        assert!(matches!(s("[concat('a']"), V::Unres(_)));
        assert_eq!(s("[concat('a'"), V::Str("[concat('a'".into()));
        let (v, symbols) = eval_in(&t, None, "[uniqueString(resourceGroup().id)]");
        let V::Str(raw) = v else { panic!() };
        assert_eq!(symbols.display(&raw), "{uniqueString(resourceGroup().id)}");
        // A parameters file wins over the default.
        let p = json!({"parameters": {"name": {"value": "other"}}});
        assert_eq!(
            eval_in(&t, Some(&p), "[parameters('name')]").0,
            V::Str("other".into())
        );
    }

    #[test]
    fn formats() {
        assert_eq!(
            format("{0}-{1}{{x}}", &[V::Str("a".into()), V::Int(2)]).unwrap(),
            "a-2{x}"
        );
        assert!(format("{0:D}", &[V::Int(1)]).is_err());
        assert!(format("{3}", &[]).is_err());
    }
}
