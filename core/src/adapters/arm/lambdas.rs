//! The functions that take a lambda (`map`, `filter`, `reduce`, `sort`, `toObject`, `mapValues`, `groupBy`),
//! `lambdaVariables`, and user-defined functions (`functions`: namespaces and their members, and
//! `languageVersion` 2.0's). A lambda is evaluated where it is written, with its variables bound; arrays stay
//! within the item limit and every application uses the evaluation budget, so a hostile template stops.

use serde_json::Value;

use super::eval::{unres, Arm, Bound, V};
use super::member;
use crate::adapters::expr::Expr;
use crate::input::MAX_ITEMS;

/// The lambda functions, lower-case.
const LAMBDA_FUNCTIONS: [&str; 7] = [
    "map",
    "filter",
    "reduce",
    "sort",
    "toobject",
    "mapvalues",
    "groupby",
];

impl Arm<'_, '_> {
    /// A lambda function's value, or `None` when `lname` is not one.
    pub(super) fn lambda_call(&mut self, lname: &str, args: &[Expr], t: usize) -> Option<V> {
        if !LAMBDA_FUNCTIONS.contains(&lname) {
            return None;
        }
        let Some(first) = args.first() else {
            return Some(unres(format!("{lname}() needs arguments")));
        };
        let input = self.eval(first, t);
        Some(
            self.apply_lambdas(lname, input, args, t)
                .unwrap_or_else(V::Unres),
        )
    }

    fn apply_lambdas(
        &mut self,
        lname: &str,
        input: V,
        args: &[Expr],
        t: usize,
    ) -> Result<V, String> {
        let lam = |i: usize| args.get(i).ok_or(format!("{lname}() needs a lambda"));
        if let V::Unres(r) = input {
            return Err(r);
        }
        if lname == "mapvalues" {
            let V::Obj(m) = input else {
                return Err("mapValues() needs an object".into());
            };
            let f = lam(1)?;
            let mut out = Vec::new();
            for (k, v) in m {
                out.push((k, self.apply(f, vec![v], t)?));
            }
            return Ok(V::Obj(out));
        }
        let items = match input {
            V::Arr(a) => a,
            V::Null if lname == "reduce" => Vec::new(),
            _ => return Err(format!("{lname}() needs an array")),
        };
        Ok(match lname {
            "map" => {
                let f = lam(1)?;
                let mut out = Vec::new();
                for (i, x) in items.into_iter().enumerate() {
                    out.push(self.apply(f, vec![x, index(i)], t)?);
                }
                V::Arr(out)
            }
            "filter" => {
                let f = lam(1)?;
                let mut out = Vec::new();
                for (i, x) in items.into_iter().enumerate() {
                    match self.apply(f, vec![x.clone(), index(i)], t)? {
                        V::Bool(true) => out.push(x),
                        V::Bool(false) => {}
                        _ => return Err("the lambda of filter() does not give a boolean".into()),
                    }
                }
                V::Arr(out)
            }
            "reduce" => {
                let mut acc = match args.get(1) {
                    Some(a) => self.eval(a, t),
                    None => return Err("reduce() needs an initial value".into()),
                };
                let f = lam(2)?;
                for (i, x) in items.into_iter().enumerate() {
                    acc = self.apply(f, vec![acc, x, index(i)], t)?;
                }
                acc
            }
            "sort" => V::Arr(self.sort(items, lam(1)?, t)?),
            "toobject" => {
                let key_f = lam(1)?;
                let mut out: Vec<(String, V)> = Vec::new();
                for x in items {
                    let key = match self.apply(key_f, vec![x.clone()], t)? {
                        V::Str(k) => k,
                        _ => {
                            return Err("the key lambda of toObject() does not give a string".into())
                        }
                    };
                    let value = match args.get(2) {
                        Some(vf) => self.apply(vf, vec![x], t)?,
                        None => x,
                    };
                    out.retain(|(k, _)| !k.eq_ignore_ascii_case(&key));
                    out.push((key, value));
                }
                V::Obj(out)
            }
            _ => {
                // groupBy
                let f = lam(1)?;
                let mut out: Vec<(String, V)> = Vec::new();
                for x in items {
                    let key = match self.apply(f, vec![x.clone()], t)? {
                        V::Str(k) => k,
                        _ => return Err("the lambda of groupBy() does not give a string".into()),
                    };
                    match out.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&key)) {
                        Some((_, V::Arr(group))) => group.push(x),
                        _ => out.push((key, V::Arr(vec![x]))),
                    }
                }
                V::Obj(out)
            }
        })
    }

    /// Applies `lambda('a', 'b', body)` to `vals` (extra values, such as the index `map` passes, are dropped
    /// when the lambda does not name them).
    fn apply(&mut self, lam: &Expr, vals: Vec<V>, t: usize) -> Result<V, String> {
        let Expr::Call(name, parts) = lam else {
            return Err("a lambda is expected here".into());
        };
        if !name.eq_ignore_ascii_case("lambda") {
            return Err(format!("{name}() is not a lambda"));
        }
        let Some((body, names)) = parts.split_last() else {
            return Err("lambda() needs a body".into());
        };
        let before = self.bound.len();
        for (n, v) in names.iter().zip(vals) {
            let Expr::Str(n) = n else {
                self.bound.truncate(before);
                return Err("a lambda's variable names must be strings".into());
            };
            self.bound.push(Bound::Lambda(n.clone(), v));
        }
        let out = self.eval(body, t);
        self.bound.truncate(before);
        match out {
            V::Unres(r) => Err(r),
            v => Ok(v),
        }
    }

    /// `sort(array, lambda('a', 'b', ...))`: a stable merge sort; the lambda says whether `a` comes first.
    fn sort(&mut self, items: Vec<V>, f: &Expr, t: usize) -> Result<Vec<V>, String> {
        if items.len() <= 1 {
            return Ok(items);
        }
        let mut left = items;
        let right = left.split_off(left.len() / 2);
        let (left, right) = (self.sort(left, f, t)?, self.sort(right, f, t)?);
        let mut out = Vec::with_capacity(left.len() + right.len());
        let mut l = left.into_iter().peekable();
        let mut r = right.into_iter().peekable();
        while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
            // `b` first only when it must come before `a` (stable).
            let b_first = match self.apply(f, vec![b.clone(), a.clone()], t)? {
                V::Bool(x) => x,
                _ => return Err("the lambda of sort() does not give a boolean".into()),
            };
            let next = if b_first { r.next() } else { l.next() };
            out.extend(next);
        }
        out.extend(l);
        out.extend(r);
        Ok(out)
    }

    /// `lambdaVariables('name')`.
    pub(super) fn lambda_variable(&self, name: &str) -> Result<V, String> {
        self.bound
            .iter()
            .rev()
            .find_map(|b| match b {
                Bound::Lambda(n, v) if n.eq_ignore_ascii_case(name) => Some(v.clone()),
                _ => None,
            })
            .ok_or_else(|| format!("lambdaVariables('{name}') is outside a lambda that names it"))
    }

    /// A user-defined function `namespace.member(args)` of template `t`'s scope, or `None` when there is none.
    pub(super) fn user_function(&mut self, name: &str, vals: &[V], t: usize) -> Option<V> {
        let (ns, fname) = name.split_once('.')?;
        let scope = self.template(t).map_or(t, |tp| tp.scope_of);
        let functions = self.template(scope)?.functions?;
        let def = functions.as_array()?.iter().find_map(|n| {
            let m = n.as_object()?;
            let (_, space) = member(m, "namespace")?;
            if !space.as_str()?.eq_ignore_ascii_case(ns) {
                return None;
            }
            member(member(m, "members")?.1.as_object()?, fname).map(|(_, d)| d)
        })?;
        let names: Vec<String> = def
            .get("parameters")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let Some(body) = def.get("output").and_then(|o| o.get("value")) else {
            return Some(unres(format!("the function {name}() has no output value")));
        };
        let params = names.into_iter().zip(vals.iter().cloned()).collect();
        // A function sees only its parameters (recursion stops at the evaluator's nesting depth).
        let saved = std::mem::take(&mut self.bound);
        self.bound.push(Bound::Params(params));
        let out = self.eval_value(body, scope);
        self.bound = saved;
        Some(out)
    }
}

fn index(i: usize) -> V {
    V::Int(i64::try_from(i.min(MAX_ITEMS)).unwrap_or(0))
}
