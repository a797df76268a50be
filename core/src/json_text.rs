//! Compact JSON text written from serde's data model: the bytes `serde_json::to_string` writes, with less code
//! and fewer calls (one `push_str` per unescaped run, field names written without an escape scan: they are
//! the crate's own ASCII identifiers). Every compact answer, error and request body of the crate is written
//! here (the CLI's indented output stays serde_json's pretty printer); `tests` and
//! `json_api::tests::call_writes_the_bytes_of_the_value_route` hold it to `serde_json` byte for byte on every
//! conformance vector's answer and on hostile strings.
//!
//! Floating-point numbers (only in `Value` documents: the typed answers have none) are written by `serde_json`
//! itself, so their text is its text.

use std::fmt::{self, Write as _};

use serde::ser::{self, Impossible, Serialize};

/// The JSON text of `value`, as `serde_json::to_string` writes it. A value serde cannot write as JSON (a map
/// with a non-string key, an enum variant with data: none of the crate's types) gives `null`.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    push(&mut out, value);
    out
}

/// Appends the JSON text of `value` to `out` (`null` as [`to_string`] says).
pub(crate) fn push<T: Serialize + ?Sized>(out: &mut String, value: &T) {
    let start = out.len();
    if value.serialize(&mut Writer { out }).is_err() {
        out.truncate(start);
        out.push_str("null");
    }
}

/// Why a value has no JSON text (see [`to_string`]).
#[derive(Debug)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not representable as JSON")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Self
    }
}

struct Writer<'a> {
    out: &'a mut String,
}

/// Whether JSON needs `b` escaped: `"`, `\` and the control characters (serde_json leaves DEL and non-ASCII).
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The bytes of `x` that need an escape, 8 at a time, as the high bit of each such byte (the classic "has a
/// byte less than n" test: no false negatives, and a false positive only above a true one, so the lowest bit
/// set is the first byte that needs one).
fn escapes_in(x: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGH;
    below(x, 0x20)
        | below(x ^ (ONES * u64::from(b'"')), 1)
        | below(x ^ (ONES * u64::from(b'\\')), 1)
}

/// The index of the first byte at or after `from` that needs an escape: also where a string's plain run ends
/// when reading JSON (`json_read`: a quote, a backslash or a control character).
pub(crate) fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut at = from;
    for chunk in rest.chunks_exact(8) {
        let word: [u8; 8] = chunk.try_into().unwrap_or_default();
        let found = escapes_in(u64::from_le_bytes(word));
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = bytes.get(at..)?;
    tail.iter().position(|&b| needs_escape(b)).map(|i| at + i)
}

/// `s` as a JSON string: `"`, `\` and the control characters escaped as `serde_json` escapes them.
fn push_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(i) = next_escape(bytes, start) {
        out.push_str(s.get(start..i).unwrap_or_default());
        start = i + 1;
        match bytes.get(i).copied().unwrap_or_default() {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b => {
                out.push_str("\\u00");
                for nibble in [b >> 4, b & 0xf] {
                    out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
                }
            }
        }
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

impl<'a, 'b> ser::Serializer for &'a mut Writer<'b> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        write!(self.out, "{v}").map_err(|_| Unsupported)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        write!(self.out, "{v}").map_err(|_| Unsupported)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        // serde_json's own text for a float (and `null` for NaN and the infinities).
        self.out
            .push_str(&serde_json::to_string(&v).map_err(|_| Unsupported)?);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        push_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        push_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'b>, Unsupported> {
        Ok(Compound::open(self, '['))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'b>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'b>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'b>, Unsupported> {
        Ok(Compound::open(self, '{'))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>, Unsupported> {
        Ok(Compound::open(self, '{'))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

/// An array or object being written: whether the next item needs a comma.
pub(crate) struct Compound<'a, 'b> {
    w: &'a mut Writer<'b>,
    first: bool,
}

impl<'a, 'b> Compound<'a, 'b> {
    fn open(w: &'a mut Writer<'b>, open: char) -> Self {
        w.out.push(open);
        Self { w, first: true }
    }

    fn comma(&mut self) {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
    }

    fn close(self, close: char) {
        self.w.out.push(close);
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.comma();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close(']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.comma();
        let start = self.w.out.len();
        key.serialize(&mut *self.w)?;
        // JSON keys are strings: a key written as anything else (a number, a list) has no JSON text here.
        if !self.w.out.get(start..).is_some_and(|k| k.starts_with('"')) {
            return Err(Unsupported);
        }
        self.w.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.comma();
        // The crate's field names are plain ASCII identifiers: no escape scan (`json_api::tests::
        // call_writes_the_bytes_of_the_value_route` holds every answer to serde_json's bytes).
        self.w.out.push('"');
        self.w.out.push_str(key);
        self.w.out.push_str("\":");
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close('}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn same(v: &Value) {
        assert_eq!(to_string(v), serde_json::to_string(v).unwrap(), "{v}");
    }

    #[test]
    fn strings_numbers_and_nesting_as_serde_json_writes_them() {
        let every_byte: String = (0u8..=0x7f).map(char::from).collect();
        for s in [
            "",
            "plain",
            "\"quoted\" \\ back",
            every_byte.as_str(),
            "é € 𝄞 \u{7f} \u{2028}",
            "\u{1}x\u{1f}",
        ] {
            same(&Value::from(s));
            same(&json!({ s: s }));
        }
        for n in [
            json!(0),
            json!(-1),
            json!(i64::MIN),
            json!(i64::MAX),
            json!(u64::MAX),
            json!(1.5),
            json!(-0.0),
            json!(1e300),
            json!(5e-324),
        ] {
            same(&n);
        }
        same(&json!({"a": [1, {"b": null, "c": [true, false, []]}], "": {}, "z": "x"}));
    }

    /// Every byte that needs an escape (and neighbours that do not), at every place in and across the 8-byte
    /// words of the scan, among ASCII and multi-byte characters.
    #[test]
    fn escapes_at_every_offset() {
        for special in [
            '"', '\\', '\n', '\u{0}', '\u{1f}', ' ', '\u{7f}', 'é', '€', '𝄞',
        ] {
            for filler in ["a", "é"] {
                for len in 0..24 {
                    for at in 0..=len {
                        let mut t = filler.repeat(len);
                        let byte = t.char_indices().nth(at).map_or(t.len(), |(i, _)| i);
                        t.insert(byte, special);
                        same(&Value::from(t));
                    }
                }
            }
        }
    }

    #[test]
    fn what_json_cannot_say_is_null() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(1, 2);
        assert_eq!(to_string(&m), "null");
        let mut out = String::from("[");
        push(&mut out, &m);
        assert_eq!(out, "[null");
    }
}
