//! The JSON parser of the model reader ([`crate::reader`]): JSON text into a serde [`Visitor`], as
//! `serde_json::Deserializer::from_str` drives one, with serde_json's answers: the same values visited in the
//! same order (integers as `u64` / `i64`, other numbers as the `f64` serde_json computes, strings borrowed when
//! they hold no escape), the same syntax errors with the same text, line and column, the same recursion limit.
//! `tests` hold the two parsers to each other on every vector, on the fuzz corpus, on mutations of both and on
//! random texts.
//!
//! One parser, specialised for text in memory, instead of serde_json's generic one: the web page's build (no
//! `templates`) has no other JSON reading, so serde_json's deserializer leaves it. serde_json still parses
//! `Value` documents (templates, plans) in the full build.

use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};

/// serde_json's recursion limit: an array or object that opens 128 levels deep is refused.
const RECURSION_LIMIT: u8 = 128;

/// What went wrong, as serde_json's `ErrorCode` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    EofList,
    EofObject,
    EofString,
    EofValue,
    ExpectedColon,
    ExpectedListCommaOrEnd,
    ExpectedObjectCommaOrEnd,
    ExpectedIdent,
    ExpectedValue,
    InvalidEscape,
    InvalidNumber,
    NumberOutOfRange,
    InvalidUnicode,
    ControlCharacter,
    KeyMustBeAString,
    LoneLeadingSurrogate,
    TrailingComma,
    TrailingCharacters,
    UnexpectedEndOfHexEscape,
    RecursionLimit,
}

impl Code {
    fn text(self) -> &'static str {
        match self {
            Self::EofList => "EOF while parsing a list",
            Self::EofObject => "EOF while parsing an object",
            Self::EofString => "EOF while parsing a string",
            Self::EofValue => "EOF while parsing a value",
            Self::ExpectedColon => "expected `:`",
            Self::ExpectedListCommaOrEnd => "expected `,` or `]`",
            Self::ExpectedObjectCommaOrEnd => "expected `,` or `}`",
            Self::ExpectedIdent => "expected ident",
            Self::ExpectedValue => "expected value",
            Self::InvalidEscape => "invalid escape",
            Self::InvalidNumber => "invalid number",
            Self::NumberOutOfRange => "number out of range",
            Self::InvalidUnicode => "invalid unicode code point",
            Self::ControlCharacter => {
                "control character (\\u0000-\\u001F) found while parsing a string"
            }
            Self::KeyMustBeAString => "key must be a string",
            Self::LoneLeadingSurrogate => "lone leading surrogate in hex escape",
            Self::TrailingComma => "trailing comma",
            Self::TrailingCharacters => "trailing characters",
            Self::UnexpectedEndOfHexEscape => "unexpected end of hex escape",
            Self::RecursionLimit => "recursion limit exceeded",
        }
    }
}

/// A syntax error at a line and column (1-based line; the column counts bytes, as serde_json's does), or a
/// visitor's own error (line 0 until the parser places it).
#[derive(Debug)]
pub(crate) struct Error {
    what: What,
    line: usize,
    column: usize,
}

#[derive(Debug)]
enum What {
    Syntax(Code),
    Custom(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.what {
            What::Syntax(code) => code.text(),
            What::Custom(msg) => msg,
        };
        if self.line == 0 {
            f.write_str(what)
        } else {
            write!(f, "{what} at line {} column {}", self.line, self.column)
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self {
            what: What::Custom(msg.to_string()),
            line: 0,
            column: 0,
        }
    }
}

type Result<T> = std::result::Result<T, Error>;

/// A number as serde_json reads it: an integer that fits `u64` (or, negative, `i64`), else an `f64`.
enum Number {
    U64(u64),
    I64(i64),
    F64(f64),
}

/// A JSON text being read.
pub(crate) struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The next byte to read.
    at: usize,
    /// A string with escapes, decoded.
    scratch: Vec<u8>,
    /// Arrays and objects that may still open.
    depth_left: u8,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            at: 0,
            scratch: Vec::new(),
            depth_left: RECURSION_LIMIT,
        }
    }

    /// After the value: only whitespace may follow.
    pub(crate) fn end(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(_) => Err(self.peek_error(Code::TrailingCharacters)),
            None => Ok(()),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// The next byte, or 0 at the end.
    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn eat(&mut self) {
        self.at += 1;
    }

    /// The line and column of byte `i` (the column is the number of bytes before it on its line).
    fn position(&self, i: usize) -> (usize, usize) {
        let before = self.bytes.get(..i).unwrap_or(self.bytes);
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let lines = before
            .get(..start)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        (1 + lines, i - start)
    }

    fn error_at(&self, i: usize, code: Code) -> Error {
        let (line, column) = self.position(i);
        Error {
            what: What::Syntax(code),
            line,
            column,
        }
    }

    /// An error after the last byte read.
    fn error(&self, code: Code) -> Error {
        self.error_at(self.at, code)
    }

    /// An error at the next byte.
    fn peek_error(&self, code: Code) -> Error {
        self.error_at(self.bytes.len().min(self.at + 1), code)
    }

    /// Skips whitespace; the next byte.
    fn whitespace(&mut self) -> Option<u8> {
        while let Some(b) = self.peek() {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.eat();
        }
        None
    }

    /// One value into `visitor`.
    fn value<V: Visitor<'a>>(&mut self, visitor: V) -> Result<V::Value> {
        let Some(peek) = self.whitespace() else {
            return Err(self.peek_error(Code::EofValue));
        };
        let value = match peek {
            b'n' => {
                self.eat();
                self.ident(b"ull")?;
                visitor.visit_unit()
            }
            b't' => {
                self.eat();
                self.ident(b"rue")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.eat();
                self.ident(b"alse")?;
                visitor.visit_bool(false)
            }
            b'-' => {
                self.eat();
                self.number(false)?.visit(visitor)
            }
            b'0'..=b'9' => self.number(true)?.visit(visitor),
            b'"' => {
                self.eat();
                self.string(visitor)
            }
            b'[' => {
                self.open()?;
                let ret = visitor.visit_seq(Seq {
                    p: self,
                    first: true,
                });
                self.depth_left += 1;
                let end = self.end_seq();
                ret.and_then(|v| end.map(|()| v))
            }
            b'{' => {
                self.open()?;
                let ret = visitor.visit_map(Map {
                    p: self,
                    first: true,
                });
                self.depth_left += 1;
                let end = self.end_map();
                ret.and_then(|v| end.map(|()| v))
            }
            _ => Err(self.peek_error(Code::ExpectedValue)),
        };
        // A visitor's own error gets the position after the value.
        value.map_err(|e| match e.what {
            What::Custom(_) if e.line == 0 => {
                let (line, column) = self.position(self.at);
                Error { line, column, ..e }
            }
            _ => e,
        })
    }

    /// Before the `[` or `{` of an array or object: one level less is left.
    fn open(&mut self) -> Result<()> {
        self.depth_left -= 1;
        if self.depth_left == 0 {
            self.depth_left += 1;
            return Err(self.peek_error(Code::RecursionLimit));
        }
        self.eat();
        Ok(())
    }

    fn ident(&mut self, rest: &[u8]) -> Result<()> {
        for &want in rest {
            match self.next() {
                None => return Err(self.error(Code::EofValue)),
                Some(b) if b != want => return Err(self.error(Code::ExpectedIdent)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Before the next item of an array (`close` is `]`) or member of an object (`}`): whether there is one
    /// (after its comma, unless it is the `first`), and for an object that its name opens.
    fn has_next(&mut self, first: &mut bool, close: u8) -> Result<bool> {
        let object = close == b'}';
        let Some(mut peek) = self.whitespace() else {
            return Err(self.peek_error(if object {
                Code::EofObject
            } else {
                Code::EofList
            }));
        };
        if peek == close {
            return Ok(false);
        }
        if *first {
            *first = false;
        } else if peek == b',' {
            self.eat();
            match self.whitespace() {
                Some(b) if b == close => return Err(self.peek_error(Code::TrailingComma)),
                Some(b) => peek = b,
                None => return Err(self.peek_error(Code::EofValue)),
            }
        } else {
            return Err(self.peek_error(if object {
                Code::ExpectedObjectCommaOrEnd
            } else {
                Code::ExpectedListCommaOrEnd
            }));
        }
        if object && peek != b'"' {
            return Err(self.peek_error(Code::KeyMustBeAString));
        }
        Ok(true)
    }

    fn end_seq(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(b']') => {
                self.eat();
                Ok(())
            }
            Some(b',') => {
                self.eat();
                match self.whitespace() {
                    Some(b']') => Err(self.peek_error(Code::TrailingComma)),
                    _ => Err(self.peek_error(Code::TrailingCharacters)),
                }
            }
            Some(_) => Err(self.peek_error(Code::TrailingCharacters)),
            None => Err(self.peek_error(Code::EofList)),
        }
    }

    fn end_map(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(b'}') => {
                self.eat();
                Ok(())
            }
            Some(b',') => Err(self.peek_error(Code::TrailingComma)),
            Some(_) => Err(self.peek_error(Code::TrailingCharacters)),
            None => Err(self.peek_error(Code::EofObject)),
        }
    }

    /// A string after its opening quote, into `visitor`: borrowed from the text when it has no escape.
    fn string<V: Visitor<'a>>(&mut self, visitor: V) -> Result<V::Value> {
        match self.scan_string()? {
            Some(s) => visitor.visit_borrowed_str(s),
            None => match std::str::from_utf8(&self.scratch) {
                Ok(s) => visitor.visit_str(s),
                Err(_) => Err(self.error(Code::InvalidUnicode)),
            },
        }
    }

    /// Reads a string after its opening quote: the text's slice when it has no escape, else `None` with the
    /// decoded string in `scratch`.
    fn scan_string(&mut self) -> Result<Option<&'a str>> {
        self.scratch.clear();
        let mut start = self.at;
        loop {
            // Up to the next quote, backslash or control character (8 bytes at a time).
            match crate::json_text::next_escape(self.bytes, self.at) {
                Some(n) => self.at = n,
                None => {
                    self.at = self.bytes.len();
                    return Err(self.error(Code::EofString));
                }
            }
            match self.peek() {
                Some(b'"') => {
                    let end = self.at;
                    self.eat();
                    if self.scratch.is_empty() {
                        return Ok(Some(self.text.get(start..end).unwrap_or_default()));
                    }
                    self.scratch
                        .extend_from_slice(self.bytes.get(start..end).unwrap_or_default());
                    return Ok(None);
                }
                Some(b'\\') => {
                    self.scratch
                        .extend_from_slice(self.bytes.get(start..self.at).unwrap_or_default());
                    self.eat();
                    self.escape()?;
                    start = self.at;
                }
                _ => {
                    self.eat();
                    return Err(self.error(Code::ControlCharacter));
                }
            }
        }
    }

    /// One escape after its backslash, decoded into `scratch`.
    fn escape(&mut self) -> Result<()> {
        let Some(b) = self.next() else {
            return Err(self.error(Code::EofString));
        };
        let decoded = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(self.error(Code::InvalidEscape)),
        };
        self.scratch.push(decoded);
        Ok(())
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Result<u16> {
        let Some(digits) = self.bytes.get(self.at..self.at + 4) else {
            self.at = self.bytes.len();
            return Err(self.error(Code::EofString));
        };
        self.at += 4;
        let mut n = 0u16;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error(Code::InvalidEscape)),
            };
            n = (n << 4) | u16::from(v);
        }
        Ok(n)
    }

    /// `\uXXXX` after its `\u`, a surrogate pair as one character; a lone surrogate is an error.
    fn unicode_escape(&mut self) -> Result<()> {
        let n = self.hex4()?;
        let c = match n {
            0xDC00..=0xDFFF => return Err(self.error(Code::LoneLeadingSurrogate)),
            0xD800..=0xDBFF => {
                for want in [b'\\', b'u'] {
                    match self.peek() {
                        None => return Err(self.error(Code::EofString)),
                        Some(b) => {
                            self.eat();
                            if b != want {
                                return Err(self.error(Code::UnexpectedEndOfHexEscape));
                            }
                        }
                    }
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error(Code::LoneLeadingSurrogate));
                }
                0x1_0000 + ((u32::from(n) - 0xD800) << 10 | (u32::from(low) - 0xDC00))
            }
            _ => u32::from(n),
        };
        let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut buf = [0u8; 4];
        self.scratch
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    /// A number after its sign (`positive`: none).
    fn number(&mut self, positive: bool) -> Result<Number> {
        let first = match self.next() {
            None => return Err(self.error(Code::EofValue)),
            Some(b) => b,
        };
        let mut significand = match first {
            b'0' => {
                // Only one leading zero.
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(Code::InvalidNumber));
                }
                0
            }
            b'1'..=b'9' => u64::from(first - b'0'),
            _ => return Err(self.error(Code::InvalidNumber)),
        };
        if first != b'0' {
            while let c @ b'0'..=b'9' = self.peek_or_null() {
                match with_digit(significand, c) {
                    Some(s) => {
                        self.eat();
                        significand = s;
                    }
                    // Too long for u64: the further digits only count as a power of ten.
                    None => return self.long_integer(positive, significand).map(Number::F64),
                }
            }
        }
        Ok(match self.peek_or_null() {
            b'.' => Number::F64(self.decimal(positive, significand, 0)?),
            b'e' | b'E' => Number::F64(self.exponent(positive, significand, 0)?),
            _ if positive => Number::U64(significand),
            _ => {
                let neg = (significand as i64).wrapping_neg();
                // Below i64::MIN, or -0: a float.
                if neg >= 0 {
                    Number::F64(-(significand as f64))
                } else {
                    Number::I64(neg)
                }
            }
        })
    }

    fn long_integer(&mut self, positive: bool, significand: u64) -> Result<f64> {
        let mut exponent = 0i32;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.eat();
                    exponent = exponent.saturating_add(1);
                }
                b'.' => return self.decimal(positive, significand, exponent),
                b'e' | b'E' => return self.exponent(positive, significand, exponent),
                _ => return self.scaled(positive, significand, exponent),
            }
        }
    }

    /// The fraction after its `.`.
    fn decimal(&mut self, positive: bool, mut significand: u64, before: i32) -> Result<f64> {
        self.eat();
        let mut after = 0i32;
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            match with_digit(significand, c) {
                Some(s) => {
                    self.eat();
                    significand = s;
                    after -= 1;
                }
                None => {
                    // Further digits are dropped.
                    self.skip_digits();
                    return self.after_fraction(positive, significand, before + after);
                }
            }
        }
        if after == 0 {
            return Err(match self.peek() {
                Some(_) => self.peek_error(Code::InvalidNumber),
                None => self.peek_error(Code::EofValue),
            });
        }
        self.after_fraction(positive, significand, before + after)
    }

    /// After the digits of a fraction: an exponent, or the end of the number.
    fn after_fraction(&mut self, positive: bool, significand: u64, exponent: i32) -> Result<f64> {
        match self.peek_or_null() {
            b'e' | b'E' => self.exponent(positive, significand, exponent),
            _ => self.scaled(positive, significand, exponent),
        }
    }

    fn skip_digits(&mut self) {
        while self.peek_or_null().is_ascii_digit() {
            self.eat();
        }
    }

    /// The exponent after its `e`.
    fn exponent(&mut self, positive: bool, significand: u64, start: i32) -> Result<f64> {
        self.eat();
        let positive_exp = match self.peek_or_null() {
            b'+' => {
                self.eat();
                true
            }
            b'-' => {
                self.eat();
                false
            }
            _ => true,
        };
        let mut exp = match self.next() {
            None => return Err(self.error(Code::EofValue)),
            Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
            Some(_) => return Err(self.error(Code::InvalidNumber)),
        };
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            self.eat();
            match exp
                .checked_mul(10)
                .and_then(|e| e.checked_add(i32::from(c - b'0')))
            {
                Some(e) => exp = e,
                None => {
                    // Beyond i32: infinity is an error, zero is zero.
                    if significand != 0 && positive_exp {
                        return Err(self.error(Code::NumberOutOfRange));
                    }
                    self.skip_digits();
                    return Ok(if positive { 0.0 } else { -0.0 });
                }
            }
        }
        let exponent = if positive_exp {
            start.saturating_add(exp)
        } else {
            start.saturating_sub(exp)
        };
        self.scaled(positive, significand, exponent)
    }

    /// `significand * 10^exponent`, as serde_json computes it: one multiplication or division by a power of
    /// ten (`pow10`: the values of serde_json's table; `1e308` steps below that), infinity an error.
    fn scaled(&mut self, positive: bool, significand: u64, mut exponent: i32) -> Result<f64> {
        let mut f = significand as f64;
        loop {
            match exponent.unsigned_abs() {
                n @ 0..=308 => {
                    let pow = pow10(n);
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(Code::NumberOutOfRange));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                _ => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(Code::NumberOutOfRange));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }
}

/// `significand` with the decimal digit `c` appended, unless that overflows `u64`.
fn with_digit(significand: u64, c: u8) -> Option<u64> {
    significand
        .checked_mul(10)
        .and_then(|s| s.checked_add(u64::from(c - b'0')))
}

impl Number {
    fn visit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Self::U64(n) => visitor.visit_u64(n),
            Self::I64(n) => visitor.visit_i64(n),
            Self::F64(f) => visitor.visit_f64(f),
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Parser<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.value(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The items of an array.
struct Seq<'p, 'a> {
    p: &'p mut Parser<'a>,
    first: bool,
}

impl<'a> de::SeqAccess<'a> for Seq<'_, 'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.p.has_next(&mut self.first, b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.p).map(Some)
    }
}

/// The members of an object.
struct Map<'p, 'a> {
    p: &'p mut Parser<'a>,
    first: bool,
}

impl<'a> de::MapAccess<'a> for Map<'_, 'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.p.has_next(&mut self.first, b'}')? {
            return Ok(None);
        }
        seed.deserialize(Key(&mut *self.p)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value> {
        match self.p.whitespace() {
            Some(b':') => self.p.eat(),
            Some(_) => return Err(self.p.peek_error(Code::ExpectedColon)),
            None => return Err(self.p.peek_error(Code::EofObject)),
        }
        seed.deserialize(&mut *self.p)
    }
}

/// A member name (the parser is at its opening quote).
struct Key<'p, 'a>(&'p mut Parser<'a>);

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.0.eat();
        self.0.string(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// `10^n` for `n` up to 308, rounded to the nearest `f64` (ties to even): the value of the literal `1e{n}`, which
/// is what serde_json's table of powers of ten holds. Computed, not stored: the table would be 2,472 bytes of
/// data that does not compress, in the web page's wasm. `10^n = 5^n * 2^n`, with `5^n` in 64-bit limbs (at
/// most 716 bits; at most 12 multiplications by up to `5^27`, the largest power of 5 in a `u64`), rounded once
/// from its top 64 bits and whether any bit below them is set.
fn pow10(n: u32) -> f64 {
    let mut limbs = [0u64; 12];
    limbs[0] = 1;
    let mut left = n;
    while left > 0 {
        let step = left.min(27);
        left -= step;
        let factor = u128::from(5u64.pow(step));
        let mut carry = 0;
        for limb in &mut limbs {
            let product = u128::from(*limb) * factor + carry;
            *limb = product as u64;
            carry = product >> 64;
        }
    }
    // The top 64 bits of `5^n`, left-aligned, and whether the bits below them hold anything.
    let top_limb = limbs.iter().rposition(|&l| l != 0).unwrap_or(0);
    let (lower, upper) = limbs.split_at_checked(top_limb).unwrap_or_default();
    let first = upper.first().copied().unwrap_or(1);
    let (second, rest) = lower
        .split_last()
        .map_or((0, &[][..]), |(s, rest)| (*s, rest));
    let lead = first.leading_zeros();
    let bits = 64 * top_limb as u32 + 64 - lead;
    let top = (first << lead) | second.checked_shr(64 - lead).unwrap_or(0);
    let sticky = second << lead != 0 || rest.iter().any(|&l| l != 0);
    let mut mantissa = top >> 11;
    let rounding = top & 0x7ff;
    if rounding > 0x400 || (rounding == 0x400 && (sticky || mantissa & 1 == 1)) {
        mantissa += 1;
    }
    // `5^n = mantissa * 2^(bits - 53)`, with `mantissa` in [2^52, 2^53] (2^53 only after rounding up).
    let mut exponent = bits as i32 - 53 + n as i32;
    if mantissa == 1 << 53 {
        mantissa >>= 1;
        exponent += 1;
    }
    f64::from_bits((((exponent + 52 + 1023) as u64) << 52) | (mantissa & ((1 << 52) - 1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::Path;

    /// Everything a parser tells a visitor, as text: values (numbers with their type, floats by their bits),
    /// strings (borrowed or not), arrays and objects in order.
    struct Tree;

    impl<'de> Visitor<'de> for Tree {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_unit<E: de::Error>(self) -> std::result::Result<String, E> {
            Ok("null".into())
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> std::result::Result<String, E> {
            Ok(format!("bool:{b}"))
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<String, E> {
            Ok(format!("u64:{n}"))
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<String, E> {
            Ok(format!("i64:{n}"))
        }
        fn visit_f64<E: de::Error>(self, f: f64) -> std::result::Result<String, E> {
            Ok(format!("f64:{:#x}", f.to_bits()))
        }
        fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> std::result::Result<String, E> {
            Ok(format!("borrowed:{s:?}"))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<String, E> {
            Ok(format!("copied:{s:?}"))
        }
        fn visit_seq<A: de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<String, A::Error> {
            let mut out = String::from("[");
            while let Some(item) = seq.next_element_seed(Tree)? {
                out.push_str(&item);
                out.push(',');
            }
            Ok(out + "]")
        }
        fn visit_map<A: de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<String, A::Error> {
            let mut out = String::from("{");
            while let Some(key) = map.next_key_seed(KeyTree)? {
                let value = map.next_value_seed(Tree)?;
                out.push_str(&format!("{key}={value},"));
            }
            Ok(out + "}")
        }
    }

    impl<'de> DeserializeSeed<'de> for Tree {
        type Value = String;
        fn deserialize<D: de::Deserializer<'de>>(
            self,
            d: D,
        ) -> std::result::Result<String, D::Error> {
            d.deserialize_any(self)
        }
    }

    /// A member name, read with `deserialize_str` as the reader reads it.
    struct KeyTree;

    impl<'de> DeserializeSeed<'de> for KeyTree {
        type Value = String;
        fn deserialize<D: de::Deserializer<'de>>(
            self,
            d: D,
        ) -> std::result::Result<String, D::Error> {
            d.deserialize_str(Tree)
        }
    }

    fn ours(text: &str) -> std::result::Result<String, String> {
        let mut p = Parser::new(text);
        Tree.deserialize(&mut p)
            .and_then(|v| p.end().map(|()| v))
            .map_err(|e| e.to_string())
    }

    fn serde_json_s(text: &str) -> std::result::Result<String, String> {
        let mut de = serde_json::Deserializer::from_str(text);
        Tree.deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v))
            .map_err(|e| e.to_string())
    }

    fn same(text: &str) {
        assert_eq!(ours(text), serde_json_s(text), "{text:?}");
    }

    /// The conformance vectors (whole files, and each input compact and pretty) and the fuzz corpus.
    fn corpus() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(root.join("tests/conformance")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            for v in doc["vectors"].as_array().into_iter().flatten() {
                out.push(v["input"].to_string());
                out.push(serde_json::to_string_pretty(&v["input"]).unwrap());
                if let Some(s) = v["input"].as_str() {
                    out.push(s.to_owned());
                }
                for text in v["input"].as_object().into_iter().flat_map(|o| o.values()) {
                    if let Some(s) = text.as_str() {
                        out.push(s.to_owned());
                    }
                }
            }
            out.push(text);
        }
        for dir in ["json_api", "check"] {
            for entry in std::fs::read_dir(root.join("fuzz/corpus").join(dir)).unwrap() {
                if let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) {
                    out.push(text);
                }
            }
        }
        out
    }

    #[test]
    fn the_vectors_and_the_fuzz_corpus_as_serde_json_reads_them() {
        let corpus = corpus();
        assert!(corpus.len() > 500, "{}", corpus.len());
        for text in &corpus {
            same(text);
        }
    }

    /// Bytes and tokens a mutation inserts: JSON's punctuation, escapes, number parts, whitespace, a control
    /// character, non-ASCII.
    const TOKENS: &[&str] = &[
        "\"", "\\", ",", ":", "[", "]", "{", "}", "0", "1", "-", ".", "e", "E", "+", " ", "\n",
        "\t", "\u{1}", "u", "x", "n", "t", "f", "é", "\\u", "\\ud800", "\\udc00", "1e400", "\\n",
        "null", "[]", "{}", "\"a\"",
    ];

    #[test]
    fn mutations_of_the_corpus_as_serde_json_reads_them() {
        // A fixed linear congruential sequence: the same mutations on every run.
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n.max(1)
        };
        let mut checked = 0;
        for text in corpus() {
            let chars: Vec<char> = text.chars().take(4000).collect();
            for _ in 0..24 {
                let mut c = chars.clone();
                let at = next(c.len() + 1);
                match next(4) {
                    0 if at < c.len() => {
                        c.remove(at);
                    }
                    1 => c.truncate(at),
                    _ => {
                        let token = TOKENS[next(TOKENS.len())];
                        if at < c.len() && next(2) == 0 {
                            c.remove(at);
                        }
                        for (k, t) in token.chars().enumerate() {
                            c.insert(at + k, t);
                        }
                    }
                }
                same(&c.into_iter().collect::<String>());
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn powers_of_ten_are_the_literals() {
        for n in 0..=308 {
            let literal: f64 = format!("1e{n}").parse().unwrap();
            assert_eq!(pow10(n).to_bits(), literal.to_bits(), "10^{n}");
        }
    }

    #[test]
    fn numbers_escapes_and_limits_as_serde_json_reads_them() {
        let cases = [
            "",
            " ",
            "0",
            "-0",
            "-",
            "--1",
            "01",
            "-01",
            "1.",
            "1.e5",
            "1.5",
            ".5",
            "1e",
            "1e+",
            "1e-",
            "1e5",
            "1E-5",
            "1e400",
            "-1e400",
            "1e-400",
            "0e999999999999",
            "1e999999999999",
            "1e-999999999999",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "1234567890123456789012345.678e-3",
            "0.000000000000000000000001",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "2.2250738585072014e-308",
            "5e-324",
            "4.9e-325",
            "9007199254740993",
            "1x",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{\"a\":1,}",
            "{,}",
            "{\"a\" 1}",
            "{\"a\":}",
            "{1:2}",
            "{\"a\":1 \"b\":2}",
            "nul",
            "nulx",
            "tru",
            "fals",
            "truex",
            "[",
            "{",
            "[1",
            "{\"a\"",
            "{\"a\":1",
            "\"",
            "\"abc",
            "\"\\",
            "\"\\q\"",
            "\"\\u12\"",
            "\"\\u12zz\"",
            "\"\\uD800\"",
            "\"\\uD800\\uDC00\"",
            "\"\\uD800\\u0041\"",
            "\"\\uDC00\"",
            "\"\\uD800x\"",
            "\"\\uD800\\x\"",
            "\"\\uD800\\",
            "\"\\uD800\\u",
            "\"\\uD83D\\uDE00\"",
            "\"a\u{1}b\"",
            "\"\u{7f}\"",
            "\"é\\n\"",
            "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
            "{\"k\\u0041\":[true,false,null]}",
            "1 2",
            "[] x",
            "{}\n\n  x",
            "\n\n[\n1,\n]",
            "\r\n{\r\n\"a\" : -\r\n}",
        ];
        for text in cases {
            same(text);
        }
        for depth in [126, 127, 128, 129, 200] {
            same(&("[".repeat(depth) + &"]".repeat(depth)));
            same(&"{\"a\":".repeat(depth));
            same(&("[".repeat(depth) + "1" + &"]".repeat(depth)));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn random_texts_as_serde_json_reads_them(text in "[\\[\\]{}:,\"\\\\ \n0-9.eE+\\-ntrufalsx\u{1}é]{0,40}") {
            prop_assert_eq!(ours(&text), serde_json_s(&text), "{:?}", text);
        }
    }
}
