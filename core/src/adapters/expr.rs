//! ARM template expressions: the parser (`[concat(parameters('a'), 'b')]` into calls, properties, indexes and
//! literals) and the printer for messages. The evaluator and the function library are in `arm/`.

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// `'text'`.
    Str(String),
    /// `42`.
    Int(i64),
    /// `name(args)`; also `true`, `false`, `null` written bare.
    Call(String, Vec<Expr>),
    /// `expr.name`.
    Prop(Box<Expr>, String),
    /// `expr[index]`.
    Index(Box<Expr>, Box<Expr>),
}

const MAX_NESTING: usize = 64;

/// Whether a JSON string is an expression (`[...]`, but not the `[[` escape).
pub(crate) fn is_expression(s: &str) -> bool {
    s.starts_with('[') && s.ends_with(']') && !s.starts_with("[[") && s.len() >= 2
}

/// The literal text of a string that is not an expression (`[[x]` is the literal `[x]`).
pub(crate) fn unescape_literal(s: &str) -> String {
    if s.starts_with("[[") {
        s.get(1..).unwrap_or("").to_owned()
    } else {
        s.to_owned()
    }
}

/// Parses the inside of `[...]`.
pub(crate) fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
    };
    let e = p.expr()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("unexpected text at character {}", p.i + 1));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$')
        {
            self.i += 1;
        }
        (self.i > start).then(|| self.text.get(start..self.i).unwrap_or("").to_owned())
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err("the expression is nested too deeply".into());
        }
        let mut e = self.primary()?;
        loop {
            if self.eat(b'.') {
                // `.?name` (safe dereference) reads like `.name` here.
                self.eat(b'?');
                let name = self.ident().ok_or("expected a property name after '.'")?;
                e = Expr::Prop(Box::new(e), name);
            } else if self.peek() == Some(b'?') && self.s.get(self.i + 1) == Some(&b'.') {
                self.i += 2;
                let name = self.ident().ok_or("expected a property name after '?.'")?;
                e = Expr::Prop(Box::new(e), name);
            } else if self.eat(b'[') {
                let index = self.expr()?;
                if !self.eat(b']') {
                    return Err("expected ']'".into());
                }
                e = Expr::Index(Box::new(e), Box::new(index));
            } else {
                break;
            }
        }
        self.depth -= 1;
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(b'\'') => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    let start = self.i;
                    while self.s.get(self.i).is_some_and(|b| *b != b'\'') {
                        self.i += 1;
                    }
                    out.push_str(self.text.get(start..self.i).unwrap_or(""));
                    if self.s.get(self.i).is_none() {
                        return Err("unterminated string literal".into());
                    }
                    // At a quote: `''` is an escaped quote.
                    if self.s.get(self.i + 1) == Some(&b'\'') {
                        out.push('\'');
                        self.i += 2;
                    } else {
                        self.i += 1;
                        return Ok(Expr::Str(out));
                    }
                }
            }
            Some(b) if b.is_ascii_digit() || b == b'-' => {
                let start = self.i;
                self.i += 1;
                while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                    self.i += 1;
                }
                let t = self.text.get(start..self.i).unwrap_or("");
                t.parse::<i64>()
                    .map(Expr::Int)
                    .map_err(|_| format!("'{t}' is not an integer"))
            }
            Some(_) => {
                let mut name = self
                    .ident()
                    .ok_or_else(|| format!("unexpected character at position {}", self.i + 1))?;
                // Namespaced user-defined functions: `ns.fn(...)`.
                let save = self.i;
                if self.eat(b'.') {
                    if let Some(second) = self.ident() {
                        if self.peek() == Some(b'(') {
                            name = format!("{name}.{second}");
                        } else {
                            self.i = save;
                        }
                    } else {
                        self.i = save;
                    }
                }
                if self.eat(b'(') {
                    let mut args = Vec::new();
                    if !self.eat(b')') {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(b')') {
                                break;
                            }
                            if !self.eat(b',') {
                                return Err(format!(
                                    "expected ',' or ')' in the arguments of {name}()"
                                ));
                            }
                        }
                    }
                    Ok(Expr::Call(name, args))
                } else {
                    match name.to_ascii_lowercase().as_str() {
                        "true" | "false" | "null" => Ok(Expr::Call(name, Vec::new())),
                        _ => Err(format!("'{name}' is not a function call")),
                    }
                }
            }
            None => Err("unexpected end of expression".into()),
        }
    }
}

/// The expression as ARM syntax (for messages).
pub(crate) fn show(e: &Expr) -> String {
    match e {
        Expr::Str(s) => format!("'{}'", s.replace('\'', "''")),
        Expr::Int(i) => i.to_string(),
        Expr::Call(name, args) => format!(
            "{name}({})",
            args.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Expr::Prop(e, p) => format!("{}.{p}", show(e)),
        Expr::Index(e, i) => format!("{}[{}]", show(e), show(i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls_properties_indexes_and_escapes() {
        let e = parse("concat(parameters('a'), 'it''s', reference(resourceId('T/x', 'n'), '2023-01-31', 'Full').identity.principalId)").unwrap();
        assert_eq!(
            show(&e),
            "concat(parameters('a'), 'it''s', reference(resourceId('T/x', 'n'), '2023-01-31', 'Full').identity.principalId)"
        );
        assert_eq!(
            parse(" variables( 'x' )[0].y ").unwrap(),
            Expr::Prop(
                Box::new(Expr::Index(
                    Box::new(Expr::Call("variables".into(), vec![Expr::Str("x".into())])),
                    Box::new(Expr::Int(0))
                )),
                "y".into()
            )
        );
        assert!(parse("concat('a'").is_err());
        assert!(parse("'open").is_err());
        assert!(parse("a b").is_err());
        assert!(parse(&"f(".repeat(100)).is_err());
        assert!(is_expression("[x()]"));
        assert!(!is_expression("[[x()]"));
        assert_eq!(unescape_literal("[[x]"), "[x]");
    }
}
