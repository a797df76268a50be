//! The template walk: every resource of the document (child `resources`, inline nested deployments, symbolic
//! names), with resource copy loops expanded into their instances (each instance a template of its own that
//! knows its `copyIndex()`) and `condition`s decided where the template decides them.

use serde_json::{Map, Value};

use super::eval::{Arm, V};
use super::{declare, member, Param, TRes, Template};
use crate::error::InputError;
use crate::input::MAX_ITEMS;
use crate::pointer::child;

/// ARM's limit on the count of one copy loop.
pub(super) const MAX_COPY: i64 = 800;

/// The count of a copy loop `copy` (a resource's, a property's or a variable's) evaluated in template `t`:
/// `Ok(n)`, or why it is not known or not allowed.
pub(super) fn copy_count(arm: &mut Arm<'_, '_>, copy: &Value, t: usize) -> Result<i64, String> {
    let name = copy.get("name").and_then(Value::as_str).unwrap_or("");
    let Some(count) = member_obj(copy, "count") else {
        return Err(format!("the copy loop '{name}' has no count"));
    };
    match arm.eval_value(count, t) {
        V::Int(n) if (0..=MAX_COPY).contains(&n) => Ok(n),
        V::Int(n) => Err(format!(
            "the copy loop '{name}' has count {n}, outside ARM's limit of 0 to {MAX_COPY}: the deployment fails"
        )),
        V::Unres(r) => Err(r),
        _ => Err(format!("the count of the copy loop '{name}' is not an integer")),
    }
}

fn member_obj<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    v.as_object().and_then(|m| member(m, name)).map(|(_, x)| x)
}

/// Collects resources (recursing into child `resources` and inline nested deployments).
pub(super) fn collect<'a>(
    holder: &'a Map<String, Value>,
    base: &str,
    template: usize,
    parent: Option<(&str, &str)>,
    out: &mut Vec<TRes<'a>>,
    arm: &mut Arm<'a, '_>,
    depth: usize,
) -> Result<(), InputError> {
    if depth > 8 {
        return Ok(());
    }
    let Some((key, resources)) = member(holder, "resources") else {
        return Ok(());
    };
    let list_ptr = child(base, key);
    let items: Vec<(String, Option<String>, &'a Value)> = match resources {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{list_ptr}/{i}"), None, v))
            .collect(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| (child(&list_ptr, k), Some(k.clone()), v))
            .collect(),
        _ => Vec::new(),
    };
    for (p, symbolic, v) in items {
        let Some(raw) = v.as_object() else { continue };
        // A copy loop: one instance per index, each evaluated in a template that knows its index.
        let mut issues = Vec::new();
        let instances: Vec<usize> = match member(raw, "copy") {
            Some((ck, copy)) => {
                let name = copy
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let indexes: Vec<Result<i64, String>> = match copy_count(arm, copy, template) {
                    Ok(n) => (0..n).map(Ok).collect(),
                    Err(reason) => {
                        let count_ptr = child(&child(&p, ck), "count");
                        let text =
                            member_obj(copy, "count").map_or_else(String::new, ToString::to_string);
                        issues.push((count_ptr, text, reason.clone()));
                        vec![Err(reason)]
                    }
                };
                let mut ts = Vec::new();
                for index in indexes {
                    if arm.templates.len() > MAX_ITEMS * 2 {
                        return Err(InputError::TooManyItems {
                            path: p,
                            len: arm.templates.len(),
                            max: MAX_ITEMS,
                        });
                    }
                    ts.push(arm.copy_instance(template, &name, index));
                }
                ts
            }
            None => vec![template],
        };
        for t in instances {
            collect_one(
                (raw, &p, symbolic.clone(), issues.clone()),
                t,
                parent,
                out,
                arm,
                depth,
            )?;
        }
    }
    Ok(())
}

/// What makes a whole resource uncertain: the pointer, the expression, the reason.
type Issue = (String, String, String);

/// A resource as written: its JSON, pointer, symbolic name and what makes it uncertain.
type Item<'a, 'p> = (&'a Map<String, Value>, &'p str, Option<String>, Vec<Issue>);

/// One resource (one instance of a copy loop) evaluated in template `template`.
fn collect_one<'a>(
    (raw, p, symbolic, mut issues): Item<'a, '_>,
    template: usize,
    parent: Option<(&str, &str)>,
    out: &mut Vec<TRes<'a>>,
    arm: &mut Arm<'a, '_>,
    depth: usize,
) -> Result<(), InputError> {
    if out.len() > MAX_ITEMS {
        return Err(InputError::TooManyItems {
            path: p.to_owned(),
            len: out.len(),
            max: MAX_ITEMS,
        });
    }
    let own_type = member(raw, "type")
        .and_then(|(_, t)| t.as_str())
        .unwrap_or("");
    let own_name = member(raw, "name")
        .and_then(|(_, t)| t.as_str())
        .unwrap_or("");
    let rtype = match parent {
        Some((ptype, _)) if !own_type.contains('/') => format!("{ptype}/{own_type}"),
        _ => own_type.to_owned(),
    };
    let existing = member(raw, "existing").is_some_and(|(_, v)| v == &Value::Bool(true));
    // A condition that is false: the resource is not deployed; one not known makes the resource uncertain.
    if let Some((ck, c)) = member(raw, "condition") {
        match arm.eval_value(c, template) {
            V::Bool(false) => return Ok(()),
            V::Bool(true) => {}
            V::Unres(r) => issues.push((child(p, ck), show(c), r)),
            _ => issues.push((
                child(p, ck),
                show(c),
                "the condition is not a boolean".into(),
            )),
        }
    }
    out.push(TRes {
        raw,
        ptr: p.to_owned(),
        template,
        symbolic,
        rtype: rtype.clone(),
        name: Err(String::new()),
        id: None,
        existing,
        issues,
    });
    // Child resources: type and name relative to this one (name evaluated later by prefixing).
    if member(raw, "resources").is_some()
        && !rtype.eq_ignore_ascii_case("Microsoft.Resources/deployments")
    {
        let mut children = Vec::new();
        collect(
            raw,
            p,
            template,
            Some((&rtype, own_name)),
            &mut children,
            arm,
            depth + 1,
        )?;
        for mut c in children {
            // Mark children by storing the parent's pointer in the name error; resolved in name_and_id.
            c.name = Err(format!("parent:{p}"));
            out.push(c);
        }
    }
    if rtype.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
        nested(raw, p, template, out, arm, depth)?;
    }
    Ok(())
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An inline nested deployment: its template with its parameters, evaluated in the calling template `template`
/// (or, with `expressionEvaluationOptions.scope` `inner`, in its own).
fn nested<'a>(
    raw: &'a Map<String, Value>,
    p: &str,
    template: usize,
    out: &mut Vec<TRes<'a>>,
    arm: &mut Arm<'a, '_>,
    depth: usize,
) -> Result<(), InputError> {
    let own_name = member(raw, "name")
        .and_then(|(_, t)| t.as_str())
        .unwrap_or("");
    let props = member(raw, "properties").and_then(|(_, v)| v.as_object());
    let Some((tkey, inner)) = props.and_then(|m| member(m, "template")) else {
        return Ok(());
    };
    let Some(inner) = inner.as_object() else {
        return Ok(());
    };
    let props_ptr = child(
        p,
        member(raw, "properties").map_or("properties", |(k, _)| k.as_str()),
    );
    let inner_ptr = child(&props_ptr, tkey);
    let inner_scope = props
        .and_then(|m| member(m, "expressionEvaluationOptions"))
        .and_then(|(_, o)| o.get("scope"))
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
    // Parameters and the target resource group, evaluated in the calling template.
    let params = if inner_scope {
        let passed = props
            .and_then(|m| member(m, "parameters"))
            .and_then(|(_, v)| v.as_object());
        declare(
            inner,
            inner.get("parameters").and_then(Value::as_object),
            passed,
            |name, v| match v.get("value") {
                Some(value) => Param::Outer(value, template),
                None => Param::Given(V::Unres(format!(
                    "parameter '{name}' of a nested deployment is a Key Vault reference"
                ))),
            },
        )
    } else {
        Vec::new()
    };
    let (parent_sub, parent_rg) = arm.sub_and_rg(template);
    let mut sub = parent_sub.clone();
    let mut rg = parent_rg.clone();
    if let Some((_, v)) = member(raw, "subscriptionId") {
        if let V::Str(s) = arm.eval_value(v, template) {
            sub = s;
        }
    }
    if let Some((_, v)) = member(raw, "resourceGroup") {
        if let V::Str(s) = arm.eval_value(v, template) {
            rg = s;
        }
    }
    let deployment_id = match arm.eval_value(&Value::String(own_name.to_owned()), template) {
        V::Str(n) => Some(format!(
            "/subscriptions/{parent_sub}/resourceGroups/{parent_rg}/providers/Microsoft.Resources/deployments/{n}"
        )),
        _ => None,
    };
    let index = arm.templates.len();
    arm.templates.push(Template {
        params,
        vars: if inner_scope {
            inner.get("variables").and_then(Value::as_object)
        } else {
            None
        },
        sub,
        rg,
        scope_of: if inner_scope {
            index
        } else {
            arm.template(template).map_or(template, |tp| tp.scope_of)
        },
        outputs: inner.get("outputs").and_then(Value::as_object),
        deployment_id,
        functions: if inner_scope {
            inner.get("functions")
        } else {
            None
        },
        copy: None,
    });
    collect(inner, &inner_ptr, index, None, out, arm, depth + 1)
}

impl<'a> Arm<'a, '_> {
    /// A template for one instance of a resource copy loop in template `t`: the same scope, its own index.
    fn copy_instance(&mut self, t: usize, name: &str, index: Result<i64, String>) -> usize {
        let (sub, rg) = self.sub_and_rg(t);
        let scope_of = self.template(t).map_or(t, |tp| tp.scope_of);
        self.templates.push(Template {
            params: Vec::new(),
            vars: None,
            sub,
            rg,
            scope_of,
            outputs: None,
            deployment_id: None,
            functions: None,
            copy: Some((name.to_owned(), index)),
        });
        self.templates.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use crate::adapters::bundle::Kind;
    use crate::adapters::symbols::Symbols;
    use serde_json::json;

    #[test]
    fn expands_copy_loops_and_decides_conditions() {
        let role = |count: serde_json::Value| {
            json!({"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
                   "copy": {"name": "ra", "count": count, "mode": "serial", "batchSize": 1},
                   "name": "[guid('ra', string(copyIndex()))]",
                   "properties": {"principalId": "[format('p{0}', copyIndex(1))]", "roleDefinitionId": "r"}})
        };
        let doc = |count: serde_json::Value, condition: serde_json::Value| {
            json!({"contentVersion": "1.0.0.0",
                   "parameters": {"unknown": {"type": "bool"}},
                   "resources": [
                role(count),
                {"type": "Microsoft.KeyVault/vaults", "name": "kv", "condition": condition, "properties": {}},
                {"type": "Microsoft.Cache/redisEnterprise", "name": "c", "location": "eastus", "properties": {}}]})
        };
        let read_doc = |d: &serde_json::Value| {
            let mut symbols = Symbols::default();
            read(d, None, &mut symbols).unwrap()
        };
        let roles = |b: &crate::adapters::bundle::Bundle| {
            b.components.iter().filter(|c| c.kind == Kind::Role).count()
        };
        let vaults = |b: &crate::adapters::bundle::Bundle| {
            b.components
                .iter()
                .filter(|c| c.kind == Kind::Vault)
                .count()
        };
        let b = read_doc(&doc(json!(0), json!(true)));
        assert_eq!((roles(&b), vaults(&b)), (0, 1));
        assert!(b.unresolved.is_empty());
        let b = read_doc(&doc(json!("[add(1, 2)]"), json!("[equals(1, 2)]")));
        assert_eq!((roles(&b), vaults(&b)), (3, 0));
        let r = b.components.iter().find(|c| c.kind == Kind::Role).unwrap();
        assert_eq!(r.get_str("/principalId"), Some("p1"));
        // Above ARM's limit, or not known: one resource, reported at the count; an unknown condition too.
        let b = read_doc(&doc(json!(1000), json!("[parameters('unknown')]")));
        assert_eq!((roles(&b), vaults(&b)), (1, 1));
        let at: Vec<&str> = b.unresolved.iter().map(|u| u.doc.as_str()).collect();
        assert!(at.contains(&"/resources/0/copy/count"), "{at:?}");
        assert!(at.contains(&"/resources/1/condition"), "{at:?}");
        assert!(b
            .unresolved
            .iter()
            .any(|u| u.reason.contains("limit of 0 to 800")));
    }
}
