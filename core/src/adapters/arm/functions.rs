//! The ARM template functions: the call itself (arguments evaluated, an unknown one making the value unknown),
//! the lazy functions (`if`, `coalesce`) and those that need the template (`parameters`, `variables`,
//! `resourceId` and its kin, `reference`, `resourceInfo`, `subscription`, `resourceGroup`, `tenant`,
//! `environment`, `copyIndex`, `lambdaVariables`, user-defined functions, and `uniqueString` and `guid`, which
//! give stand-ins). The lambda functions are in `lambdas.rs`, the scope-free ones in `scope_free.rs` and
//! `collections.rs`.

use super::collections::collections;
use super::eval::{unres, Arm, V};
use super::join_id;
use super::scope_free::{first_str, scope_free, strings, Out};
use crate::adapters::expr::{self, Expr};
use crate::adapters::symbols::Kind as Sym;
use crate::key_uri::{Cloud, VaultKind};

impl Arm<'_, '_> {
    pub(super) fn call(&mut self, name: &str, args: &[Expr], t: usize) -> V {
        let lname = name.to_ascii_lowercase();
        // Lazy functions first: they evaluate only the arguments they use.
        match lname.as_str() {
            "if" => return self.if_then_else(args, t),
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
        if let Some(v) = self.lambda_call(&lname, args, t) {
            return v;
        }
        if args.len() > 256 {
            return unres(format!("{name}() has more than 256 arguments"));
        }
        let vals: Vec<V> = args.iter().map(|a| self.eval(a, t)).collect();
        // An unknown argument makes the value unknown, but for the functions that keep unknown members.
        if !matches!(lname.as_str(), "createarray" | "createobject") {
            if let Some(r) = vals.iter().find_map(|v| match v {
                V::Unres(r) => Some(r.clone()),
                _ => None,
            }) {
                return V::Unres(r);
            }
        }
        let out = match lname.as_str() {
            "parameters" => first_str(name, &vals).map(|n| self.param(&n, t)),
            "variables" => first_str(name, &vals).map(|n| self.variable(&n, t)),
            "resourceid"
            | "subscriptionresourceid"
            | "tenantresourceid"
            | "extensionresourceid" => self.resource_id(&lname, &vals, t),
            "resourceinfo" => self.resource_info(name, &vals),
            "reference" => self.reference(name, &vals),
            "subscription" => Ok(self.subscription(t)),
            "resourcegroup" => Ok(self.resource_group(t)),
            "tenant" => Ok(V::Obj(vec![("tenantId".into(), V::Str(self.tenant_id()))])),
            "environment" => Ok(self.environment()),
            "uniquestring" => {
                self.stand_in(Sym::Name, "unique", "<unique-string>", (name, args), &vals)
            }
            "guid" => self.stand_in(Sym::Guid, "guid", "<guid>", (name, args), &vals),
            "copyindex" => self.copy_index(&vals, t),
            "lambdavariables" => first_str(name, &vals).and_then(|n| self.lambda_variable(&n)),
            "fail" => Err(format!(
                "the template calls fail() here: {}",
                vals.first().and_then(V::as_str).unwrap_or("")
            )),
            "managementgroup" | "managementgroupresourceid" => Err(format!(
                "{name}() needs the management group, known only at deployment"
            )),
            "pickzones" => Err("pickZones() depends on the region's zones at deployment".into()),
            _ if name.contains('.') => self
                .user_function(name, &vals, t)
                .ok_or_else(|| format!("the function {name}() is not defined in the template")),
            _ => match collections(name, &lname, &vals) {
                Some(out) => out,
                None => scope_free(name, &lname, vals, self.symbols),
            },
        };
        out.unwrap_or_else(V::Unres)
    }

    /// `if(condition, then, else)`: only the branch taken is evaluated.
    fn if_then_else(&mut self, args: &[Expr], t: usize) -> V {
        let Some(cond) = args.first() else {
            return unres("if() needs three arguments");
        };
        let branch = match self.eval(cond, t) {
            V::Bool(true) => args.get(1),
            V::Bool(false) => args.get(2),
            V::Unres(r) => return V::Unres(r),
            _ => return unres("the condition of if() is not a boolean"),
        };
        branch.map_or_else(|| unres("if() needs three arguments"), |a| self.eval(a, t))
    }

    /// `resourceId`, `subscriptionResourceId`, `tenantResourceId`, `extensionResourceId` (lower-case `kind`).
    fn resource_id(&mut self, kind: &str, vals: &[V], t: usize) -> Out {
        let parts = strings(vals)?;
        let (sub, rg) = self.sub_and_rg(t);
        if kind == "extensionresourceid" {
            let (Some(base), Some(rtype)) = (parts.first(), parts.get(1)) else {
                return Err("extensionResourceId() needs a resource ID, a type and names".into());
            };
            return join_id(
                base.trim_end_matches('/'),
                rtype,
                parts.get(2..).unwrap_or(&[]),
            )
            .map(V::Str)
            .ok_or_else(|| "extensionResourceId(): the names do not match the type".into());
        }
        let Some(ti) = parts
            .iter()
            .position(|p| p.contains('/') && !p.starts_with('/'))
        else {
            return Err("resourceId() needs a resource type".into());
        };
        let (before, after) = parts.split_at(ti);
        let Some((rtype, names)) = after.split_first() else {
            return Err("resourceId() needs a resource type".into());
        };
        let prefix = match (kind, before) {
            ("tenantresourceid", _) => String::new(),
            ("subscriptionresourceid", []) => format!("/subscriptions/{sub}"),
            ("subscriptionresourceid", [s]) => format!("/subscriptions/{s}"),
            (_, []) => format!("/subscriptions/{sub}/resourceGroups/{rg}"),
            (_, [g]) => format!("/subscriptions/{sub}/resourceGroups/{g}"),
            (_, [s, g]) => format!("/subscriptions/{s}/resourceGroups/{g}"),
            _ => return Err("resourceId() has too many arguments before the type".into()),
        };
        join_id(&prefix, rtype, names)
            .map(V::Str)
            .ok_or_else(|| "resourceId(): the names do not match the type".into())
    }

    /// `resourceInfo('symbolic')`: the ID, name and type of a resource of a `languageVersion` 2.0 template.
    fn resource_info(&self, name: &str, vals: &[V]) -> Out {
        let sym = first_str(name, vals)?;
        let r = self
            .by_symbol(&sym)
            .ok_or_else(|| format!("no resource '{sym}'"))?;
        Ok(V::Obj(vec![
            (
                "id".into(),
                r.id.clone()
                    .map_or_else(|| unres("the resource's ID is not known"), V::Str),
            ),
            ("name".into(), r.name.clone().map_or_else(V::Unres, V::Str)),
            ("type".into(), V::Str(r.rtype.clone())),
        ]))
    }

    /// `reference(symbolic name, resource ID or name, [api version], ['Full'])`: looked up lazily (see `property`).
    fn reference(&self, name: &str, vals: &[V]) -> Out {
        let full = vals
            .iter()
            .skip(1)
            .any(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("full")));
        let target = first_str(name, vals)?;
        let id = if let Some(r) = self.by_symbol(&target) {
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
            Some(id) => Ok(V::Res { id, full }),
            None => Err(format!(
                "reference('{target}') names no resource of this template"
            )),
        }
    }

    fn subscription(&mut self, t: usize) -> V {
        let (sub, _) = self.sub_and_rg(t);
        let tenant = self.tenant_id();
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

    fn resource_group(&mut self, t: usize) -> V {
        let (sub, rg) = self.sub_and_rg(t);
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

    /// `environment()` of the deployment's cloud (the caches' regions), public Azure when not known.
    fn environment(&self) -> V {
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

    /// `uniqueString(...)` and `guid(...)`: the same stand-in for the same arguments, shown as the call.
    fn stand_in(
        &mut self,
        kind: Sym,
        key: &str,
        placeholder: &str,
        (name, args): (&str, &[Expr]),
        vals: &[V],
    ) -> Out {
        let parts = strings(vals)?;
        Ok(V::Str(self.symbols.get(
            kind,
            &format!("{key}:{}", parts.join("\u{0}")),
            &format!(
                "{{{}}}",
                expr::show(&Expr::Call(name.to_owned(), args.to_vec()))
            ),
            placeholder,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::super::root_template;
    use super::*;
    use crate::adapters::symbols::Symbols;
    use serde_json::{json, Value};

    fn eval_in(template: &Value, params: Option<&Value>, expression: &str) -> (V, Symbols) {
        let mut symbols = Symbols::default();
        let v = {
            let root = template.as_object().unwrap();
            let mut arm = Arm::new(&mut symbols);
            let given = params
                .and_then(|p| p.get("parameters"))
                .and_then(Value::as_object);
            arm.templates
                .push(root_template(root, given, "SUB".into(), "RG".into()));
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
    fn evaluates_lambdas_copy_loops_and_user_functions() {
        let t = json!({
            "parameters": {
                "ids": {"type": "array", "defaultValue": ["/a", "/b"]},
                "opt": {"type": "object", "nullable": true},
                "typed": {"$ref": "#/definitions/maybe"}
            },
            "definitions": {"maybe": {"type": "string", "nullable": true}},
            "functions": [{"namespace": "ns", "members": {"twice": {
                "parameters": [{"name": "x", "type": "int"}],
                "output": {"type": "int", "value": "[mul(parameters('x'), 2)]"}}}}],
            "variables": {
                "copy": [{"name": "doubled", "count": "[length(parameters('ids'))]",
                          "input": "[concat(parameters('ids')[copyIndex('doubled')], '!')]"},
                         {"name": "tooMany", "count": 801, "input": "x"}],
                "uais": "[reduce(map(parameters('ids'), lambda('id', createObject(lambdaVariables('id'), createObject()))), createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]",
                "props": {"copy": [{"name": "rules", "count": 2, "input": {"n": "[copyIndex('rules', 1)]"}}]}
            }
        });
        let s = |e: &str| eval_in(&t, None, e).0;
        let strs = |v: &[&str]| V::Arr(v.iter().map(|x| V::Str((*x).into())).collect());
        assert_eq!(s("[variables('doubled')]"), strs(&["/a!", "/b!"]));
        assert!(
            matches!(s("[variables('tooMany')]"), V::Unres(r) if r.contains("limit of 0 to 800"))
        );
        assert_eq!(
            s("[variables('uais')]"),
            V::Obj(vec![
                ("/a".into(), V::Obj(vec![])),
                ("/b".into(), V::Obj(vec![]))
            ])
        );
        assert_eq!(s("[variables('props').rules[1].n]"), V::Int(2));
        assert_eq!(s("[ns.twice(21)]"), V::Int(42));
        assert!(matches!(s("[ns.nothing(1)]"), V::Unres(_)));
        assert_eq!(s("[parameters('opt')]"), V::Null);
        assert_eq!(s("[parameters('typed')]"), V::Null);
        assert_eq!(
            s("[filter(range(0, 6), lambda('i', equals(mod(lambdaVariables('i'), 2), 0)))]"),
            V::Arr(vec![V::Int(0), V::Int(2), V::Int(4)])
        );
        assert_eq!(
            s("[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]"),
            V::Arr(vec![V::Int(1), V::Int(2), V::Int(3)])
        );
        assert_eq!(
            s("[toObject(parameters('ids'), lambda('x', substring(lambdaVariables('x'), 1)))]"),
            V::Obj(vec![
                ("a".into(), V::Str("/a".into())),
                ("b".into(), V::Str("/b".into()))
            ])
        );
        assert_eq!(
            s("[mapValues(createObject('k', 1), lambda('v', add(lambdaVariables('v'), 1)))]"),
            V::Obj(vec![("k".into(), V::Int(2))])
        );
        assert_eq!(
            s("[groupBy(createArray('ab', 'ac', 'b'), lambda('x', first(lambdaVariables('x'))))]"),
            V::Obj(vec![
                ("a".into(), strs(&["ab", "ac"])),
                ("b".into(), strs(&["b"]))
            ])
        );
        assert_eq!(
            s("[map(createArray('x', 'y'), lambda('v', 'i', lambdaVariables('i')))]"),
            V::Arr(vec![V::Int(0), V::Int(1)])
        );
        assert_eq!(s("[tryGet(parameters('opt'), 'a')]"), V::Null);
        assert!(matches!(
            s("[tryGet(parameters('missing'), 'a')]"),
            V::Unres(_)
        ));
        // A lambda variable is not visible outside its lambda; copyIndex outside a loop is unknown.
        assert!(matches!(s("[lambdaVariables('id')]"), V::Unres(_)));
        assert!(matches!(s("[copyIndex()]"), V::Unres(_)));
        // `if` is lazy: the branch not taken may fail.
        assert_eq!(s("[if(true(), 'ok', fail('no'))]"), V::Str("ok".into()));
        assert!(matches!(s("[fail('stop')]"), V::Unres(r) if r.contains("stop")));
        // Hostile: a huge range, deep lambdas.
        assert!(matches!(s("[range(0, 100000000)]"), V::Unres(_)));
        let deep = (0..40).fold("1".to_owned(), |acc, _| {
            format!("reduce(range(0, 3), {acc}, lambda('a', 'b', add(lambdaVariables('a'), lambdaVariables('b'))))")
        });
        assert!(matches!(s(&format!("[{deep}]")), V::Unres(_)));
        let wide = (0..12).fold("range(0, 1000)".to_owned(), |acc, _| {
            format!("map({acc}, lambda('x', range(0, 1000)))")
        });
        assert!(matches!(s(&format!("[{wide}]")), V::Unres(_)));
    }
}
