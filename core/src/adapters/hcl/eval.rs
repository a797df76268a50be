//! Evaluates HCL expressions as Terraform does at plan time: values known before apply are computed, the others
//! stay [`V::Unknown`] with the resource attributes they are. Bounded: nesting depth, steps, sizes.

use std::collections::BTreeMap;

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Template};

use super::funcs;
use super::value::{num_text, V};

/// Deepest expression nesting evaluated.
const MAX_DEPTH: usize = 64;
/// Evaluation steps for one configuration (expressions, loop iterations, function calls).
pub(crate) const MAX_STEPS: usize = 2_000_000;
/// Longest string or collection built.
pub(crate) const MAX_LEN: usize = 1 << 20;

pub(crate) type R = Result<V, String>;

/// What names refer to in one module instance.
pub(crate) struct Names<'s> {
    pub vars: &'s BTreeMap<String, V>,
    pub locals: &'s BTreeMap<String, V>,
    /// `type` → `{name: instance or instances}`, and `data` → `{type: {name: ...}}`.
    pub resources: &'s BTreeMap<String, V>,
    /// `name` → outputs (or instances of them).
    pub modules: &'s BTreeMap<String, V>,
    pub path_module: &'s str,
}

/// An evaluation: the names, the bound iteration variables (`count`, `each`, `for` variables) and the budget.
pub(crate) struct Ev<'s> {
    pub names: Names<'s>,
    pub bind: Vec<(String, V)>,
    pub steps: &'s mut usize,
}

impl Ev<'_> {
    fn step(&mut self) -> Result<(), String> {
        *self.steps += 1;
        if *self.steps > MAX_STEPS {
            return Err(format!(
                "evaluation stopped after {MAX_STEPS} steps (a loop too large?)"
            ));
        }
        Ok(())
    }

    fn bound(&self, name: &str) -> Option<&V> {
        self.bind
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Evaluates an expression.
    pub fn expr(&mut self, e: &Expression, depth: usize) -> R {
        self.step()?;
        if depth > MAX_DEPTH {
            return Err(format!("expression nested deeper than {MAX_DEPTH}"));
        }
        let d = depth + 1;
        match e {
            Expression::Null(_) => Ok(V::Null),
            Expression::Bool(b) => Ok(V::Bool(*b.value())),
            Expression::Number(n) => Ok(V::Num(n.value().as_f64().unwrap_or(0.0))),
            Expression::String(s) => Ok(V::Str(s.value().clone())),
            Expression::Array(a) => {
                let mut out = Vec::new();
                for x in a.iter() {
                    out.push(self.expr(x, d)?);
                }
                Ok(V::List(out))
            }
            Expression::Object(o) => {
                let mut out = BTreeMap::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_owned(),
                        ObjectKey::Expression(Expression::Variable(i)) => i.as_str().to_owned(),
                        ObjectKey::Expression(x) => match self.expr(x, d)? {
                            V::Unknown(_) => return Ok(V::derived()),
                            k => k
                                .as_string()
                                .ok_or_else(|| "an object key must be a string".to_owned())?,
                        },
                    };
                    let value = self.expr(v.expr(), d)?;
                    out.insert(key, value);
                }
                Ok(V::Obj(out))
            }
            Expression::StringTemplate(t) => self.template(t, d),
            Expression::HeredocTemplate(h) => {
                let text = self.template(&h.template, d)?;
                Ok(match (text, h.indent()) {
                    (V::Str(s), Some(_)) => V::Str(dedent(&s)),
                    (v, _) => v,
                })
            }
            Expression::Parenthesis(p) => self.expr(p.inner(), d),
            Expression::Variable(v) => self.variable(v.as_str()),
            Expression::Conditional(c) => {
                let cond = self.expr(&c.cond_expr, d)?;
                if cond.is_unknown() {
                    return Ok(V::derived());
                }
                match cond.truthy() {
                    Some(true) => self.expr(&c.true_expr, d),
                    Some(false) => self.expr(&c.false_expr, d),
                    None => Err(format!(
                        "a condition must be a bool, not {}",
                        cond.type_name()
                    )),
                }
            }
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str();
                let args: Vec<&Expression> = f.args.iter().collect();
                match name {
                    "try" => {
                        for a in &args {
                            if let Ok(v) = self.expr(a, d) {
                                return Ok(v);
                            }
                        }
                        Err("no argument of try() could be evaluated".into())
                    }
                    "can" => Ok(V::Bool(match args.first() {
                        Some(a) => self.expr(a, d).is_ok(),
                        None => false,
                    })),
                    _ => {
                        let mut vals = Vec::new();
                        for a in &args {
                            vals.push(self.expr(a, d)?);
                        }
                        if f.args.expand_final() {
                            if let Some(last) = vals.pop() {
                                match last.elements() {
                                    Some(items) => vals.extend(items),
                                    None if last.is_unknown() => return Ok(V::derived()),
                                    None => return Err("`...` needs a list".into()),
                                }
                            }
                        }
                        funcs::call(name, vals, self.steps)
                    }
                }
            }
            Expression::Traversal(t) => {
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
                // `var.x`, `local.x`, `type.name.attr`: walked in place, only the value reached is copied.
                if let Expression::Variable(root) = &t.expr {
                    if let Some((v, used)) = self.lookup(root.as_str(), &ops) {
                        let v = v.clone();
                        return self.traverse(v, ops.get(used..).unwrap_or(&[]), d);
                    }
                }
                let base = self.expr(&t.expr, d)?;
                self.traverse(base, &ops, d)
            }
            Expression::UnaryOp(u) => {
                let v = self.expr(&u.expr, d)?;
                if v.is_unknown() {
                    return Ok(V::derived());
                }
                match u.operator.value() {
                    UnaryOperator::Neg => v
                        .as_num()
                        .map(|n| V::Num(-n))
                        .ok_or_else(|| "`-` needs a number".into()),
                    UnaryOperator::Not => v
                        .truthy()
                        .map(|b| V::Bool(!b))
                        .ok_or_else(|| "`!` needs a bool".into()),
                }
            }
            Expression::BinaryOp(b) => {
                let op = *b.operator.value();
                let l = self.expr(&b.lhs_expr, d)?;
                // `false && x`, `true || x`: Terraform evaluates both sides, but an unknown right side does not
                // change a result the left side decides.
                match (op, l.truthy()) {
                    (BinaryOperator::And, Some(false)) => return Ok(V::Bool(false)),
                    (BinaryOperator::Or, Some(true)) => return Ok(V::Bool(true)),
                    _ => {}
                }
                let r = self.expr(&b.rhs_expr, d)?;
                binary(op, &l, &r)
            }
            Expression::ForExpr(f) => self.for_expr(f, d),
        }
    }

    fn variable(&self, name: &str) -> R {
        if let Some(v) = self.bound(name) {
            return Ok(v.clone());
        }
        let n = &self.names;
        let obj = |m: &BTreeMap<String, V>| V::Obj(m.clone());
        Ok(match name {
            "var" => obj(n.vars),
            "local" => obj(n.locals),
            "module" => obj(n.modules),
            "path" => V::Obj(
                ["module", "root", "cwd"]
                    .iter()
                    .map(|k| ((*k).to_owned(), V::Str(n.path_module.to_owned())))
                    .collect(),
            ),
            "terraform" => V::Obj(
                [("workspace".to_owned(), V::Str("default".into()))]
                    .into_iter()
                    .collect(),
            ),
            other => match n.resources.get(other) {
                Some(v) => v.clone(),
                // A resource type the configuration does not declare: Terraform would refuse it.
                None => return Err(format!("`{other}` is not declared")),
            },
        })
    }

    /// The value a name and its leading attribute steps reach, without copying what is around it, and how many
    /// steps it took (`None`: evaluate the usual way).
    fn lookup<'v>(&'v self, root: &str, ops: &[&TraversalOperator]) -> Option<(&'v V, usize)> {
        if self.bound(root).is_some() {
            return None;
        }
        let n = &self.names;
        let first = match ops.first() {
            Some(TraversalOperator::GetAttr(a)) => a.as_str(),
            _ => return None,
        };
        let mut cur = match root {
            "var" => n.vars.get(first)?,
            "local" => n.locals.get(first)?,
            "module" => n.modules.get(first)?,
            "path" | "terraform" | "count" | "each" | "self" => return None,
            other => match n.resources.get(other)? {
                V::Obj(m) => m.get(first)?,
                _ => return None,
            },
        };
        let mut used = 1;
        for op in ops.iter().skip(1) {
            let next = match (op, cur) {
                (TraversalOperator::GetAttr(a), V::Obj(m)) => m.get(a.as_str()),
                (TraversalOperator::GetAttr(a), V::Res(r)) => r.1.get(a.as_str()),
                _ => None,
            };
            match next {
                Some(v) => {
                    cur = v;
                    used += 1;
                }
                None => break,
            }
        }
        Some((cur, used))
    }

    fn traverse(&mut self, mut cur: V, ops: &[&TraversalOperator], d: usize) -> R {
        for (i, op) in ops.iter().enumerate() {
            self.step()?;
            cur = match op {
                TraversalOperator::GetAttr(name) => get_attr(&cur, name.as_str())?,
                TraversalOperator::Index(e) => {
                    let key = self.expr(e, d)?;
                    index(&cur, &key)?
                }
                TraversalOperator::LegacyIndex(n) => index(&cur, &V::Num(*n.value() as f64))?,
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = ops.get(i + 1..).unwrap_or(&[]);
                    let items = match cur {
                        V::Null => Vec::new(),
                        V::List(l) => l,
                        V::Unknown(_) => return Ok(V::derived()),
                        other => vec![other],
                    };
                    let mut out = Vec::new();
                    for x in items {
                        out.push(self.traverse(x, rest, d)?);
                    }
                    return Ok(V::List(out));
                }
            };
        }
        Ok(cur)
    }

    fn template(&mut self, t: &Template, d: usize) -> R {
        // A template that is one interpolation is that value, not its string form.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.expr(&i.expr, d);
        }
        let mut out = String::new();
        let mut unknown = false;
        self.template_into(t, d, &mut out, &mut unknown)?;
        Ok(if unknown { V::derived() } else { V::Str(out) })
    }

    fn template_into(
        &mut self,
        t: &Template,
        d: usize,
        out: &mut String,
        unknown: &mut bool,
    ) -> Result<(), String> {
        if d > MAX_DEPTH {
            return Err(format!("template nested deeper than {MAX_DEPTH}"));
        }
        for el in t.iter() {
            self.step()?;
            match el {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    match self.expr(&i.expr, d + 1)? {
                        V::Unknown(_) => *unknown = true,
                        v => out.push_str(&v.as_string().ok_or_else(|| {
                            format!("a {} cannot be put in a string", v.type_name())
                        })?),
                    }
                }
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(i) => {
                        let c = self.expr(&i.if_expr.cond_expr, d + 1)?;
                        match c.truthy() {
                            _ if c.is_unknown() => *unknown = true,
                            Some(true) => {
                                self.template_into(&i.if_expr.template, d + 1, out, unknown)?
                            }
                            Some(false) => {
                                if let Some(e) = &i.else_expr {
                                    self.template_into(&e.template, d + 1, out, unknown)?;
                                }
                            }
                            None => return Err("a template condition must be a bool".into()),
                        }
                    }
                    Directive::For(f) => {
                        let fe = &f.for_expr;
                        let coll = self.expr(&fe.collection_expr, d + 1)?;
                        let pairs = match pairs_of(&coll) {
                            Some(p) => p,
                            None if coll.is_unknown() => {
                                *unknown = true;
                                continue;
                            }
                            None => return Err("a template `for` needs a collection".into()),
                        };
                        for (k, v) in pairs {
                            let mark = self.bind.len();
                            if let Some(kv) = &fe.key_var {
                                self.bind.push((kv.as_str().to_owned(), k));
                            }
                            self.bind.push((fe.value_var.as_str().to_owned(), v));
                            let r = self.template_into(&fe.template, d + 1, out, unknown);
                            self.bind.truncate(mark);
                            r?;
                        }
                    }
                },
            }
            if out.len() > MAX_LEN {
                return Err("a string longer than 1 MiB".into());
            }
        }
        Ok(())
    }

    fn for_expr(&mut self, f: &hcl_edit::expr::ForExpr, d: usize) -> R {
        let coll = self.expr(&f.intro.collection_expr, d)?;
        let Some(pairs) = pairs_of(&coll) else {
            if coll.is_unknown() {
                return Ok(V::derived());
            }
            return Err(format!("`for` over a {}", coll.type_name()));
        };
        let mut list = Vec::new();
        let mut obj: BTreeMap<String, V> = BTreeMap::new();
        for (k, v) in pairs {
            self.step()?;
            let mark = self.bind.len();
            if let Some(kv) = &f.intro.key_var {
                self.bind.push((kv.as_str().to_owned(), k));
            }
            self.bind.push((f.intro.value_var.as_str().to_owned(), v));
            let r = self.for_item(f, d, &mut list, &mut obj);
            self.bind.truncate(mark);
            if r? {
                return Ok(V::derived());
            }
            if list.len() + obj.len() > MAX_LEN {
                return Err("a collection too large".into());
            }
        }
        Ok(if f.key_expr.is_some() {
            V::Obj(obj)
        } else {
            V::List(list)
        })
    }

    /// One iteration of a `for`; `true` when the result is unknown.
    fn for_item(
        &mut self,
        f: &hcl_edit::expr::ForExpr,
        d: usize,
        list: &mut Vec<V>,
        obj: &mut BTreeMap<String, V>,
    ) -> Result<bool, String> {
        if let Some(c) = &f.cond {
            let keep = self.expr(&c.expr, d)?;
            if keep.is_unknown() {
                return Ok(true);
            }
            if keep.truthy() != Some(true) {
                return Ok(false);
            }
        }
        let value = self.expr(&f.value_expr, d)?;
        match &f.key_expr {
            None => list.push(value),
            Some(ke) => {
                let key = self.expr(ke, d)?;
                if key.is_unknown() {
                    return Ok(true);
                }
                let key = key
                    .as_string()
                    .ok_or_else(|| "a `for` key must be a string".to_owned())?;
                if f.grouping {
                    match obj.entry(key).or_insert_with(|| V::List(Vec::new())) {
                        V::List(l) => l.push(value),
                        _ => return Err("grouping".into()),
                    }
                } else {
                    obj.insert(key, value);
                }
            }
        }
        Ok(false)
    }
}

/// `(key, value)` pairs of a collection: list index or object key.
pub(crate) fn pairs_of(v: &V) -> Option<Vec<(V, V)>> {
    match v {
        V::List(l) => Some(
            l.iter()
                .enumerate()
                .map(|(i, x)| (V::Num(i as f64), x.clone()))
                .collect(),
        ),
        V::Obj(m) => Some(
            m.iter()
                .map(|(k, x)| (V::Str(k.clone()), x.clone()))
                .collect(),
        ),
        V::Null => Some(Vec::new()),
        _ => None,
    }
}

fn get_attr(cur: &V, name: &str) -> R {
    match cur {
        V::Obj(m) => m
            .get(name)
            .cloned()
            .ok_or_else(|| format!("the object has no attribute `{name}`")),
        V::Res(r) => Ok(match r.1.get(name) {
            Some(v) => v.clone(),
            None => V::Unknown(vec![format!("{}.{name}", r.0), r.0.clone()]),
        }),
        V::Unknown(_) => Ok(V::derived()),
        V::Null => Err(format!("attribute `{name}` of null")),
        other => Err(format!("a {} has no attributes", other.type_name())),
    }
}

fn index(cur: &V, key: &V) -> R {
    if key.is_unknown() || cur.is_unknown() {
        return Ok(V::derived());
    }
    match cur {
        V::List(l) => {
            let i = key
                .as_num()
                .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                .ok_or_else(|| "a list index must be a whole number".to_owned())?;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            l.get(i as usize)
                .cloned()
                .ok_or_else(|| format!("index {} out of range", num_text(i)))
        }
        V::Obj(_) | V::Res(_) => {
            let k = key
                .as_string()
                .ok_or_else(|| "an object key must be a string".to_owned())?;
            get_attr(cur, &k)
        }
        other => Err(format!("a {} cannot be indexed", other.type_name())),
    }
}

fn binary(op: BinaryOperator, l: &V, r: &V) -> R {
    use BinaryOperator as B;
    if l.is_unknown() || r.is_unknown() {
        return Ok(V::derived());
    }
    let num = |v: &V| {
        v.as_num()
            .ok_or_else(|| format!("a number, not {}", v.type_name()))
    };
    let boolean = |v: &V| {
        v.truthy()
            .ok_or_else(|| format!("a bool, not {}", v.type_name()))
    };
    Ok(match op {
        B::Eq => V::Bool(loose_eq(l, r)),
        B::NotEq => V::Bool(!loose_eq(l, r)),
        B::Less => V::Bool(num(l)? < num(r)?),
        B::LessEq => V::Bool(num(l)? <= num(r)?),
        B::Greater => V::Bool(num(l)? > num(r)?),
        B::GreaterEq => V::Bool(num(l)? >= num(r)?),
        B::Plus => V::Num(num(l)? + num(r)?),
        B::Minus => V::Num(num(l)? - num(r)?),
        B::Mul => V::Num(num(l)? * num(r)?),
        B::Div => {
            let d = num(r)?;
            if d == 0.0 {
                return Err("division by zero".into());
            }
            V::Num(num(l)? / d)
        }
        B::Mod => {
            let d = num(r)?;
            if d == 0.0 {
                return Err("modulo by zero".into());
            }
            V::Num(num(l)? % d)
        }
        B::And => V::Bool(boolean(l)? && boolean(r)?),
        B::Or => V::Bool(boolean(l)? || boolean(r)?),
    })
}

fn loose_eq(l: &V, r: &V) -> bool {
    match (l, r) {
        (V::Num(a), V::Num(b)) => a == b,
        _ => l == r,
    }
}

/// `<<-EOT`: the lines less their common leading spaces.
fn dedent(s: &str) -> String {
    let n = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = Vec::new();
    for l in s.split('\n') {
        out.push(
            l.get(n.min(l.len() - l.trim_start_matches(' ').len())..)
                .unwrap_or(l),
        );
    }
    out.join("\n")
}
