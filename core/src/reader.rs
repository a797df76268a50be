//! The model reader: JSON text, or a `serde_json::Value`, into [`Config`], by one visitor ([`Node`]) that writes
//! each value into its field of the model. Each model struct's [`Fields`] impl is the one table of its member
//! names and where each goes.
//!
//! From text, [`crate::json_read`]'s parser drives the visitor: it visits what serde_json's parser visits and
//! fails as it fails (the same syntax errors, line and column, held to it by its tests), so the errors are
//! exactly those of reading the text into a `Value` first; from a `Value`
//! ([`Config::from_value`]) the value's own deserializer drives it. Both give the same answer: the whole text is
//! parsed (a syntax error anywhere wins), and for each object its first unknown field (in lexicographic order,
//! as a `Value` map iterates them) wins over the errors of its fields, which come in the order of the struct's
//! [`Fields::names`]; a repeated key counts once, the last value (as in a `Value` map). `tests` hold the two
//! routes to each other on every vector and on random documents.
//!
//! Paths are written out only for an error: on the way down a value knows its place as a chain of [`Path`]
//! segments on the stack.
//!
//! The limits come first, as in [`crate::input::parse_document`], but their pre-pass over the text runs only
//! when it can change the answer: the reader watches depth, items per array or object and string lengths on the
//! way ([`Watch`]), and the pre-pass decides when a value comes near a limit or the text is not JSON (a syntax
//! error may hide a broken limit further on). On valid JSON the pre-pass counts exactly what the reader sees
//! (brackets, commas, strings), so it can only fail when the reader flagged something.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::error::InputError;
use crate::input::{
    DEFAULT_MAX_BYTES, DEFAULT_MAX_ITEMS, DEFAULT_MAX_STRING, MAX_DEPTH, MAX_ITEMS,
};
use crate::key_uri::VaultKind;
use crate::model::{
    AccessPolicy, Cache, Config, CustomerManagedKeyEncryption, Encryption, Identity, IdentityType,
    Key, KeyEncryptionKeyIdentity, KeySelection, KeySource, ManagedIdentity, NetworkAcls,
    RoleAssignment, UserAssignedIdentityValue, Vault,
};

/// Where a value is: the root, a member of an object or an item of an array.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// The JSON Pointer.
    fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Self::Root => {}
            Self::Key(parent, key) => {
                parent.write(out);
                out.push('/');
                out.push_str(&crate::pointer::escape(key));
            }
            Self::Index(parent, i) => {
                parent.write(out);
                out.push('/');
                out.push_str(&i.to_string());
            }
        }
    }
}

/// A model object being read: its field names (the first error in this order wins) and where each field's
/// value goes.
trait Fields {
    fn names(&self) -> &'static [&'static str];
    fn slot(&mut self, index: usize) -> Slot<'_>;
}

/// An optional object field (`Option<T>` of a model struct): `null` clears it.
trait ObjectSlot {
    fn set(&mut self) -> &mut dyn Fields;
    fn clear(&mut self);
}

impl<T: Fields + Default> ObjectSlot for Option<T> {
    fn set(&mut self) -> &mut dyn Fields {
        self.insert(T::default())
    }
    fn clear(&mut self) {
        *self = None;
    }
}

/// An optional list of objects (`Option<Vec<T>>`).
trait ListSlot {
    fn start(&mut self);
    /// A new item at the end, for the next element (taken back with `pop` if there is none).
    fn push(&mut self) -> Option<&mut dyn Fields>;
    fn pop(&mut self);
    fn clear(&mut self);
}

impl<T: Fields + Default> ListSlot for Option<Vec<T>> {
    fn start(&mut self) {
        *self = Some(Vec::new());
    }
    fn push(&mut self) -> Option<&mut dyn Fields> {
        let v = self.get_or_insert_with(Vec::new);
        v.push(T::default());
        v.last_mut().map(|item| item as &mut dyn Fields)
    }
    fn pop(&mut self) {
        if let Some(v) = self {
            v.pop();
        }
    }
    fn clear(&mut self) {
        *self = None;
    }
}

/// Where one value goes, and what it must be. `null` means absent everywhere but in [`Slot::Item`] (a list item
/// or the document itself) and [`Slot::OptTime`] (`nbf`, `exp`: not set).
enum Slot<'s> {
    /// Any value, ignored (a known field the model does not use).
    Skip,
    Str(&'s mut Option<String>),
    Bool(&'s mut Option<bool>),
    Int(&'s mut Option<i64>),
    /// RFC 3339 or Unix seconds.
    Time(&'s mut Option<i64>),
    /// As [`Slot::Time`], `null` meaning "not set".
    OptTime(&'s mut Option<Option<i64>>),
    Strings(&'s mut Option<Vec<String>>),
    KeySource(&'s mut Option<KeySource>),
    VaultKind(&'s mut Option<VaultKind>),
    IdentityType(&'s mut Option<IdentityType>),
    Object(&'s mut dyn ObjectSlot),
    /// An object that must be there (a list item, the document).
    Item(&'s mut dyn Fields),
    List(&'s mut dyn ListSlot),
    /// `userAssignedIdentities`.
    Identities(&'s mut Option<Vec<(String, UserAssignedIdentityValue)>>),
    /// An access policy's `permissions`: its `keys`.
    Permissions(&'s mut Vec<String>),
}

impl Slot<'_> {
    /// What the value must be, as `input.invalid_type` says it.
    fn expected(&self) -> &'static str {
        match self {
            Self::Skip | Self::Str(_) | Self::KeySource(_) | Self::VaultKind(_) => "a string",
            Self::IdentityType(_) => "a string",
            Self::Bool(_) => "true or false",
            Self::Int(_) => "an integer",
            Self::Time(_) | Self::OptTime(_) => "an RFC 3339 date-time string or Unix seconds",
            Self::Strings(_) | Self::List(_) => "an array",
            Self::Object(_) | Self::Item(_) | Self::Permissions(_) => "an object",
            Self::Identities(_) => "an object keyed by identity resource IDs",
        }
    }
}

type Outcome = Result<(), InputError>;

/// How deep a value is (the arrays and objects around it), and the flag that asks for the limits pre-pass.
#[derive(Clone, Copy)]
struct Watch<'w> {
    depth: usize,
    near_limit: &'w Cell<bool>,
}

impl Watch<'_> {
    /// The watch of the items of an array or object at this one's place.
    fn inside(self) -> Self {
        // `check_document` refuses the array or object that opens at depth `MAX_DEPTH`.
        if self.depth >= MAX_DEPTH {
            self.near_limit.set(true);
        }
        Self {
            depth: self.depth + 1,
            ..self
        }
    }

    /// After an array or object of `len` items (`check_document` counts its commas).
    fn items(self, len: usize) {
        if len > DEFAULT_MAX_ITEMS {
            self.near_limit.set(true);
        }
    }

    /// A string of `len` bytes as read: the pre-pass measures it as written (escapes up to 6 bytes each).
    fn string(self, len: usize) {
        if len.saturating_mul(6).saturating_add(2) > DEFAULT_MAX_STRING {
            self.near_limit.set(true);
        }
    }
}

/// One value: where it goes and where it is.
struct Node<'s, 'p> {
    slot: Slot<'s>,
    path: &'p Path<'p>,
    watch: Watch<'p>,
}

impl<'s, 'p> Node<'s, 'p> {
    /// The document itself, going into `slot`.
    fn root(slot: Slot<'s>, near_limit: &'p Cell<bool>) -> Self {
        Self {
            slot,
            path: &Path::Root,
            watch: Watch {
                depth: 0,
                near_limit,
            },
        }
    }
}

/// `input.invalid_type` at `path`.
fn wrong(path: &Path<'_>, expected: &'static str) -> Outcome {
    Err(InputError::InvalidType {
        path: path.pointer(),
        expected: expected.to_owned(),
    })
}

impl Node<'_, '_> {
    fn number(self, n: Option<i64>) -> Outcome {
        let expected = self.slot.expected();
        match (self.slot, n) {
            (Slot::Skip, _) => Ok(()),
            (Slot::Int(out) | Slot::Time(out), Some(n)) => {
                *out = Some(n);
                Ok(())
            }
            (Slot::OptTime(out), Some(n)) => {
                *out = Some(Some(n));
                Ok(())
            }
            _ => wrong(self.path, expected),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = Outcome;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Outcome, D::Error> {
        d.deserialize_any(self)
    }
}

fn invalid_value(path: &Path<'_>, value: &str, expected: String) -> InputError {
    InputError::InvalidValue {
        path: path.pointer(),
        value: crate::json_text::to_string(value),
        expected,
    }
}

fn choose<T: Copy>(s: &str, choices: &[(&str, T)], path: &Path<'_>) -> Result<T, InputError> {
    choices
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(s))
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            invalid_value(
                path,
                &crate::input::truncate(s),
                choices
                    .iter()
                    .map(|(n, _)| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(" or "),
            )
        })
}

const KEY_SOURCES: &[(&str, KeySource)] = &[
    ("microsoftManaged", KeySource::MicrosoftManaged),
    ("customerManaged", KeySource::CustomerManaged),
];
const VAULT_KINDS: &[(&str, VaultKind)] = &[
    ("vault", VaultKind::Vault),
    ("managedHsm", VaultKind::ManagedHsm),
];

/// As [`crate::model`]'s integer reading: an integer, or a float with no fraction below 9e15.
fn float_integer(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = Outcome;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Outcome, E> {
        Ok(match self.slot {
            Slot::Skip => Ok(()),
            Slot::Item(_) => wrong(self.path, "an object"),
            Slot::Str(out) => {
                *out = None;
                Ok(())
            }
            Slot::Bool(out) => {
                *out = None;
                Ok(())
            }
            Slot::Int(out) | Slot::Time(out) => {
                *out = None;
                Ok(())
            }
            Slot::OptTime(out) => {
                *out = Some(None);
                Ok(())
            }
            Slot::Strings(out) => {
                *out = None;
                Ok(())
            }
            Slot::KeySource(out) => {
                *out = None;
                Ok(())
            }
            Slot::VaultKind(out) => {
                *out = None;
                Ok(())
            }
            Slot::IdentityType(out) => {
                *out = None;
                Ok(())
            }
            Slot::Object(out) => {
                out.clear();
                Ok(())
            }
            Slot::List(out) => {
                out.clear();
                Ok(())
            }
            Slot::Identities(out) => {
                *out = None;
                Ok(())
            }
            Slot::Permissions(out) => {
                out.clear();
                Ok(())
            }
        })
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Outcome, E> {
        let expected = self.slot.expected();
        Ok(match self.slot {
            Slot::Skip => Ok(()),
            Slot::Bool(out) => {
                *out = Some(b);
                Ok(())
            }
            _ => wrong(self.path, expected),
        })
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Outcome, E> {
        Ok(self.number(Some(n)))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Outcome, E> {
        // As `serde_json::Number::as_i64`, else as f64.
        let n = i64::try_from(n).ok().or_else(|| float_integer(n as f64));
        Ok(self.number(n))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Outcome, E> {
        Ok(self.number(float_integer(f)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Outcome, E> {
        let (path, expected) = (self.path, self.slot.expected());
        self.watch.string(s.len());
        Ok(match self.slot {
            Slot::Skip => Ok(()),
            Slot::Str(out) => {
                *out = Some(s.to_owned());
                Ok(())
            }
            Slot::Time(out) => time(s, path).map(|t| *out = Some(t)),
            Slot::OptTime(out) => time(s, path).map(|t| *out = Some(Some(t))),
            Slot::KeySource(out) => choose(s, KEY_SOURCES, path).map(|v| *out = Some(v)),
            Slot::VaultKind(out) => choose(s, VAULT_KINDS, path).map(|v| *out = Some(v)),
            Slot::IdentityType(out) => {
                *out = Some(
                    match IdentityType::VALUES
                        .iter()
                        .position(|v| v.eq_ignore_ascii_case(s))
                    {
                        Some(0) => IdentityType::UserAssigned,
                        Some(_) => IdentityType::SystemAssigned,
                        None => IdentityType::Unknown(crate::input::truncate(s)),
                    },
                );
                Ok(())
            }
            _ => wrong(path, expected),
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Outcome, A::Error> {
        let (path, expected) = (self.path, self.slot.expected());
        let watch = self.watch.inside();
        match self.slot {
            Slot::Strings(out) => {
                let mut items = Vec::new();
                let mut first: Option<InputError> = None;
                let mut len = 0usize;
                loop {
                    let at = Path::Index(path, len);
                    let mut item = None;
                    let slot = if first.is_none() && len < MAX_ITEMS {
                        Slot::Str(&mut item)
                    } else {
                        Slot::Skip
                    };
                    let Some(r) = seq.next_element_seed(Node {
                        slot,
                        path: &at,
                        watch,
                    })?
                    else {
                        break;
                    };
                    match (r, item) {
                        (Err(e), _) => first = first.or(Some(e)),
                        (Ok(()), Some(s)) => items.push(s),
                        (Ok(()), None) if first.is_none() && len < MAX_ITEMS => {
                            // `null` is not a string here.
                            first = Some(InputError::InvalidType {
                                path: at.pointer(),
                                expected: "a string".into(),
                            });
                        }
                        (Ok(()), None) => {}
                    }
                    len += 1;
                }
                watch.items(len);
                Ok(finish_list(len, path, first).map(|()| *out = Some(items)))
            }
            Slot::List(out) => {
                out.start();
                let mut first: Option<InputError> = None;
                let mut len = 0usize;
                loop {
                    let at = Path::Index(path, len);
                    let read = first.is_none() && len < MAX_ITEMS;
                    let slot = match if read { out.push() } else { None } {
                        Some(item) => Slot::Item(item),
                        None => Slot::Skip,
                    };
                    let Some(r) = seq.next_element_seed(Node {
                        slot,
                        path: &at,
                        watch,
                    })?
                    else {
                        if read {
                            out.pop();
                        }
                        break;
                    };
                    if let Err(e) = r {
                        first = first.or(Some(e));
                    }
                    len += 1;
                }
                watch.items(len);
                Ok(finish_list(len, path, first))
            }
            slot => {
                let mut len = 0;
                while seq
                    .next_element_seed(Node {
                        slot: Slot::Skip,
                        path,
                        watch,
                    })?
                    .is_some()
                {
                    len += 1;
                }
                watch.items(len);
                Ok(match slot {
                    Slot::Skip => Ok(()),
                    _ => wrong(path, expected),
                })
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outcome, A::Error> {
        let (path, expected) = (self.path, self.slot.expected());
        let watch = self.watch.inside();
        match self.slot {
            Slot::Object(out) => object(&mut map, out.set(), path, watch),
            Slot::Item(fields) => object(&mut map, fields, path, watch),
            Slot::Permissions(out) => {
                let mut p = Permissions::default();
                let r = object(&mut map, &mut p, path, watch)?;
                *out = p.keys.unwrap_or_default();
                Ok(r)
            }
            Slot::Identities(out) => identities(&mut map, out, path, watch),
            slot => {
                let mut len = 0;
                while map.next_key_seed(MemberName(&[], false, watch))?.is_some() {
                    skip_value(&mut map, watch)?;
                    len += 1;
                }
                watch.items(len);
                Ok(match slot {
                    Slot::Skip => Ok(()),
                    _ => wrong(path, expected),
                })
            }
        }
    }
}

fn time(s: &str, path: &Path<'_>) -> Result<i64, InputError> {
    crate::time::parse_rfc3339(s).ok_or_else(|| {
        invalid_value(
            path,
            s,
            "an RFC 3339 date-time such as 2026-11-27T00:00:00Z, or Unix seconds".into(),
        )
    })
}

/// Reads a member's value and drops it (it is still parsed: a syntax error in it is the answer).
fn skip_value<'de, A: MapAccess<'de>>(map: &mut A, watch: Watch<'_>) -> Result<(), A::Error> {
    map.next_value_seed(Node {
        slot: Slot::Skip,
        path: &Path::Root,
        watch,
    })
    .map(drop)
}

/// A list's outcome: too many items wins over an item's error.
fn finish_list(len: usize, path: &Path<'_>, first: Option<InputError>) -> Outcome {
    if len > MAX_ITEMS {
        return Err(InputError::TooManyItems {
            path: path.pointer(),
            len,
            max: MAX_ITEMS,
        });
    }
    first.map_or(Ok(()), Err)
}

/// A member name: the index of a known field, or (unknown) the name itself when asked for it.
enum Member {
    Known(usize),
    Unknown(String),
    Skipped,
}

/// Reads a member name against the field names; `.1`: keep an unknown name.
struct MemberName<'w>(&'static [&'static str], bool, Watch<'w>);

impl<'de> DeserializeSeed<'de> for MemberName<'_> {
    type Value = Member;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Member, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for MemberName<'_> {
    type Value = Member;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Member, E> {
        self.2.string(s.len());
        Ok(match self.0.iter().position(|n| *n == s) {
            Some(i) => Member::Known(i),
            None if self.1 => Member::Unknown(s.to_owned()),
            None => Member::Skipped,
        })
    }
}

/// The members of one model object.
fn object<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &mut dyn Fields,
    path: &Path<'_>,
    watch: Watch<'_>,
) -> Result<Outcome, A::Error> {
    let mut len = 0;
    let names = fields.names();
    let mut unknown: Option<String> = None;
    let mut errors: Vec<(usize, InputError)> = Vec::new();
    while let Some(member) = map.next_key_seed(MemberName(names, true, watch))? {
        len += 1;
        match member {
            Member::Skipped => {
                skip_value(map, watch)?;
            }
            Member::Unknown(name) => {
                if unknown.as_ref().is_none_or(|u| name < *u) {
                    unknown = Some(name);
                }
                skip_value(map, watch)?;
            }
            Member::Known(i) => {
                let name = names.get(i).copied().unwrap_or_default();
                let at = Path::Key(path, name);
                // A repeated member: the last one counts.
                errors.retain(|(j, _)| *j != i);
                if let Err(e) = map.next_value_seed(Node {
                    slot: fields.slot(i),
                    path: &at,
                    watch,
                })? {
                    errors.push((i, e));
                }
            }
        }
    }
    watch.items(len);
    if let Some(name) = unknown {
        return Ok(Err(InputError::UnknownField {
            path: path.pointer(),
            field: crate::input::truncate(&name),
        }));
    }
    Ok(errors
        .into_iter()
        .min_by_key(|(i, _)| *i)
        .map_or(Ok(()), |(_, e)| Err(e)))
}

/// `userAssignedIdentities`: identity resource IDs to `{principalId, clientId}` or `null`; as a `Value` map,
/// the last of a repeated ID counts and the errors come in the IDs' lexicographic order.
fn identities<'de, A: MapAccess<'de>>(
    map: &mut A,
    out: &mut Option<Vec<(String, UserAssignedIdentityValue)>>,
    path: &Path<'_>,
    watch: Watch<'_>,
) -> Result<Outcome, A::Error> {
    let mut len = 0;
    // The IDs' values, and the errors of those whose last value is wrong.
    // Every ID given, in order, with its value or error.
    let mut given: Vec<(String, usize, Result<UserAssignedIdentityValue, InputError>)> = Vec::new();
    while let Some(member) = map.next_key_seed(MemberName(&[], true, watch))? {
        len += 1;
        let Member::Unknown(id) = member else {
            skip_value(map, watch)?;
            continue;
        };
        let at = Path::Key(path, &id);
        let mut value: Option<UserAssignedIdentityValue> = None;
        let r = map.next_value_seed(Node {
            slot: Slot::Object(&mut value),
            path: &at,
            watch,
        })?;
        let seq = given.len();
        given.push((id, seq, r.map(|()| value.unwrap_or_default())));
    }
    watch.items(len);
    // In the IDs' order, the last of a repeated ID first, then only that one (as a `Value` map keeps it).
    given.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    given.dedup_by(|later, first| later.0 == first.0);
    if given.len() > MAX_ITEMS {
        return Ok(Err(InputError::TooManyItems {
            path: path.pointer(),
            len: given.len(),
            max: MAX_ITEMS,
        }));
    }
    // The error of the first ID in lexicographic order, as a `Value` map iterates them.
    let mut values = Vec::with_capacity(given.len());
    for (id, _, r) in given {
        match r {
            Ok(value) => values.push((id, value)),
            Err(e) => return Ok(Err(e)),
        }
    }
    *out = Some(values);
    Ok(Ok(()))
}

/// An access policy's `permissions` (only `keys` is read).
#[derive(Default)]
struct Permissions {
    keys: Option<Vec<String>>,
}

impl Fields for Permissions {
    fn names(&self) -> &'static [&'static str] {
        &["keys", "secrets", "certificates", "storage"]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Strings(&mut self.keys),
            _ => Slot::Skip,
        }
    }
}

impl Fields for Config {
    fn names(&self) -> &'static [&'static str] {
        crate::model::MODEL_KEYS
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Time(&mut self.now),
            1 => Slot::Object(&mut self.cache),
            2 => Slot::Object(&mut self.encryption),
            3 => Slot::Object(&mut self.identity),
            4 => Slot::Object(&mut self.vault),
            5 => Slot::Object(&mut self.key),
            6 => Slot::List(&mut self.role_assignments),
            _ => Slot::Skip,
        }
    }
}

impl Fields for Cache {
    fn names(&self) -> &'static [&'static str] {
        &[
            "id",
            "name",
            "location",
            "sku",
            "existing",
            "currentKeySource",
            "exportInUse",
            "identity",
        ]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.id),
            1 => Slot::Str(&mut self.name),
            2 => Slot::Str(&mut self.location),
            3 => Slot::Str(&mut self.sku),
            4 => Slot::Bool(&mut self.existing),
            5 => Slot::KeySource(&mut self.current_key_source),
            6 => Slot::Bool(&mut self.export_in_use),
            7 => Slot::Object(&mut self.identity),
            _ => Slot::Skip,
        }
    }
}

impl Fields for ManagedIdentity {
    fn names(&self) -> &'static [&'static str] {
        // The errors of `userAssignedIdentities` come before those of `type` (as since 0.1).
        &["userAssignedIdentities", "type", "principalId", "tenantId"]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Identities(&mut self.user_assigned_identities),
            1 => Slot::Str(&mut self.kind),
            _ => Slot::Skip,
        }
    }
}

impl Fields for UserAssignedIdentityValue {
    fn names(&self) -> &'static [&'static str] {
        &["principalId", "clientId"]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.principal_id),
            1 => Slot::Str(&mut self.client_id),
            _ => Slot::Skip,
        }
    }
}

impl Fields for Encryption {
    fn names(&self) -> &'static [&'static str] {
        &["keySource", "customerManagedKeyEncryption"]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::KeySource(&mut self.key_source),
            1 => Slot::Object(&mut self.customer_managed_key_encryption),
            _ => Slot::Skip,
        }
    }
}

impl Fields for CustomerManagedKeyEncryption {
    fn names(&self) -> &'static [&'static str] {
        &[
            "keyEncryptionKeyUrl",
            "keySelection",
            "keyEncryptionKeyIdentity",
        ]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.key_encryption_key_url),
            1 => Slot::Object(&mut self.key_selection),
            2 => Slot::Object(&mut self.key_encryption_key_identity),
            _ => Slot::Skip,
        }
    }
}

impl Fields for KeySelection {
    fn names(&self) -> &'static [&'static str] {
        &["vaultName", "keyName", "version", "vaultKind"]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.vault_name),
            1 => Slot::Str(&mut self.key_name),
            2 => Slot::Str(&mut self.version),
            3 => Slot::VaultKind(&mut self.vault_kind),
            _ => Slot::Skip,
        }
    }
}

impl Fields for KeyEncryptionKeyIdentity {
    fn names(&self) -> &'static [&'static str] {
        &["identityType", "userAssignedIdentityResourceId"]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::IdentityType(&mut self.identity_type),
            1 => Slot::Str(&mut self.user_assigned_identity_resource_id),
            _ => Slot::Skip,
        }
    }
}

impl Fields for Identity {
    fn names(&self) -> &'static [&'static str] {
        &[
            "id",
            "principalId",
            "clientId",
            "name",
            "location",
            "tenantId",
        ]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.id),
            1 => Slot::Str(&mut self.principal_id),
            2 => Slot::Str(&mut self.client_id),
            _ => Slot::Skip,
        }
    }
}

impl Fields for Vault {
    fn names(&self) -> &'static [&'static str] {
        &[
            "id",
            "name",
            "location",
            "kind",
            "enableSoftDelete",
            "enablePurgeProtection",
            "enableRbacAuthorization",
            "apiVersion",
            "publicNetworkAccess",
            "networkAcls",
            "accessPolicies",
            "softDeleteRetentionInDays",
        ]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.id),
            1 => Slot::Str(&mut self.name),
            2 => Slot::Str(&mut self.location),
            3 => Slot::VaultKind(&mut self.kind),
            4 => Slot::Bool(&mut self.enable_soft_delete),
            5 => Slot::Bool(&mut self.enable_purge_protection),
            6 => Slot::Bool(&mut self.enable_rbac_authorization),
            7 => Slot::Str(&mut self.api_version),
            8 => Slot::Str(&mut self.public_network_access),
            9 => Slot::Object(&mut self.network_acls),
            10 => Slot::List(&mut self.access_policies),
            _ => Slot::Skip,
        }
    }
}

impl Fields for NetworkAcls {
    fn names(&self) -> &'static [&'static str] {
        &["bypass", "defaultAction", "ipRules", "virtualNetworkRules"]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.bypass),
            1 => Slot::Str(&mut self.default_action),
            _ => Slot::Skip,
        }
    }
}

impl Fields for AccessPolicy {
    fn names(&self) -> &'static [&'static str] {
        // The errors of `permissions` come first (as since 0.1).
        &["permissions", "objectId", "tenantId", "applicationId"]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Permissions(&mut self.key_permissions),
            1 => Slot::Str(&mut self.object_id),
            2 => Slot::Str(&mut self.tenant_id),
            3 => Slot::Str(&mut self.application_id),
            _ => Slot::Skip,
        }
    }
}

impl Fields for Key {
    fn names(&self) -> &'static [&'static str] {
        &[
            "name", "existing", "kty", "keySize", "keyOps", "enabled", "nbf", "exp",
        ]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.name),
            1 => Slot::Bool(&mut self.existing),
            2 => Slot::Str(&mut self.kty),
            3 => Slot::Int(&mut self.key_size),
            4 => Slot::Strings(&mut self.key_ops),
            5 => Slot::Bool(&mut self.enabled),
            6 => Slot::OptTime(&mut self.nbf),
            7 => Slot::OptTime(&mut self.exp),
            _ => Slot::Skip,
        }
    }
}

impl Fields for RoleAssignment {
    fn names(&self) -> &'static [&'static str] {
        &[
            "principalId",
            "roleDefinitionId",
            "roleDefinitionName",
            "scope",
            "dataActions",
            "principalType",
            "id",
            "name",
        ]
    }
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Str(&mut self.principal_id),
            1 => Slot::Str(&mut self.role_definition_id),
            2 => Slot::Str(&mut self.role_definition_name),
            3 => Slot::Str(&mut self.scope),
            4 => Slot::Strings(&mut self.data_actions),
            _ => Slot::Skip,
        }
    }
}

/// Reads the model from JSON text with the default [`crate::input::Limits`]: the errors of
/// [`crate::input::parse_document`] then [`Config::from_value`], without building a `Value` (the limits'
/// pre-pass only when the text comes near one or is not JSON, see the module's documentation).
///
/// # Errors
/// The limit errors, `input.invalid_json`, or the model errors of [`Config::from_value`].
pub fn read_config(text: &str) -> Result<Config, InputError> {
    if text.len() > DEFAULT_MAX_BYTES {
        crate::input::check_document(text)?;
    }
    let near_limit = Cell::new(false);
    let mut config = Config::default();
    let mut de = crate::json_read::Parser::new(text);
    let parsed = Node::root(Slot::Item(&mut config), &near_limit)
        .deserialize(&mut de)
        .and_then(|outcome| de.end().map(|()| outcome));
    if parsed.is_err() || near_limit.get() {
        crate::input::check_document(text)?;
    }
    let outcome = parsed.map_err(|e| InputError::InvalidJson {
        detail: e.to_string(),
    })?;
    outcome.map(|()| config)
}

/// Reads the model from a parsed value (its limits were checked when it was parsed).
///
/// # Errors
/// The model errors, as [`read_config`] gives them for the value's text.
pub(crate) fn read_value(value: &serde_json::Value) -> Result<Config, InputError> {
    let near_limit = Cell::new(false);
    let mut config = Config::default();
    let outcome = Node::root(Slot::Item(&mut config), &near_limit)
        .deserialize(value)
        // The visitor takes every value: a `Value` gives no deserializer error.
        .map_err(|e| InputError::InvalidJson {
            detail: e.to_string(),
        })?;
    outcome.map(|()| config)
}

/// Reads a JSON string (the JSON API's string arguments) without a `Value`: the errors of
/// `serde_json::from_str::<Value>` then "must be a string" at the root.
///
/// # Errors
/// `input.invalid_json`, or `input.invalid_type` for any other JSON value.
pub(crate) fn read_string(text: &str) -> Result<String, InputError> {
    let mut out = None;
    // No limits here (as before): the watch is not read.
    let near_limit = Cell::new(false);
    let mut de = crate::json_read::Parser::new(text);
    let outcome = Node::root(Slot::Str(&mut out), &near_limit)
        .deserialize(&mut de)
        .and_then(|outcome| de.end().map(|()| outcome))
        .map_err(|e| InputError::InvalidJson {
            detail: e.to_string(),
        })?;
    outcome?;
    out.ok_or_else(|| InputError::InvalidType {
        path: String::new(),
        expected: "a string".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The `input` of every conformance vector (all functions: most are not configurations, which exercises
    /// the errors), as JSON text.
    fn vector_inputs() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".json") || name.ends_with(".schema.json") {
                continue;
            }
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for v in doc["vectors"].as_array().unwrap() {
                out.push(v["input"].to_string());
                if let Some(d) = v["input"].get("document") {
                    out.push(d.to_string());
                }
            }
        }
        out
    }

    /// The `Value` route: parsed with the limits, then read from the value.
    fn by_value(text: &str) -> Result<Config, InputError> {
        Config::from_value(&crate::input::parse_document(text)?)
    }

    fn assert_same(text: &str) {
        assert_eq!(read_config(text), by_value(text), "{text}");
    }

    #[test]
    fn text_and_value_agree_on_every_vector() {
        let inputs = vector_inputs();
        assert!(inputs.len() > 250);
        let mut ok = 0;
        for text in &inputs {
            assert_same(text);
            ok += usize::from(read_config(text).is_ok());
        }
        assert!(ok > 100, "{ok} configurations read");
    }

    /// A small deterministic generator (xorshift), so a failure reproduces.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Pieces that make a document wrong in every way the reader distinguishes: other types, `null`, numbers at
    /// the edges, bad times and enum values, unknown and repeated members, escapes, broken syntax.
    const PIECES: &[&str] = &[
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1.0",
        "1.5",
        "-3",
        "1e3",
        "9e15",
        "8999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551616",
        "-9223372036854775809",
        "1e400",
        "\"\"",
        "\"x\"",
        "\"2026-11-27T00:00:00Z\"",
        "\"2026-02-30T00:00:00Z\"",
        "\"CustomerManaged\"",
        "\"managedhsm\"",
        "\"systemAssignedIdentity\"",
        "\"\\u00e9\\n\"",
        "\"\\ud800\"",
        "[]",
        "[1]",
        "[\"a\",null]",
        "{}",
        "{\"x\":1}",
        "{\"principalId\":\"p\"}",
        "{\"keys\":[\"get\"]}",
        ",",
        ":",
        "]",
        "}",
        "[",
        "{",
        "\"",
        "\"a\":1,",
        "\"now\":",
        "\"cache\":",
        "\"zz\":0,",
        "\"Id\":1,",
        "\"id\":\"a\",",
        "\"/\":{},",
        "\"~\":null,",
    ];

    /// Random edits of the vector inputs: a piece inserted, a value replaced, a byte deleted, a member repeated.
    #[test]
    fn text_and_value_agree_on_random_edits() {
        let inputs: Vec<String> = vector_inputs()
            .into_iter()
            .filter(|t| t.starts_with('{') && t.len() < 20_000)
            .collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut checked = 0;
        for round in 0..30_000 {
            let base = &inputs[rng.below(inputs.len())];
            let mut text = base.clone();
            for _ in 0..=rng.below(3) {
                let bytes = text.as_bytes();
                let mut at = rng.below(bytes.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let piece = PIECES[rng.below(PIECES.len())];
                match round % 4 {
                    0 => text.insert_str(at, piece),
                    1 => {
                        // Replace the value after a colon.
                        if let Some(colon) = text[at..].find(':').map(|c| c + at + 1) {
                            let end = text[colon..]
                                .find([',', '}'])
                                .map_or(text.len(), |e| e + colon);
                            if text.is_char_boundary(end) {
                                text.replace_range(colon..end, piece);
                            }
                        }
                    }
                    2 => {
                        if at < text.len() {
                            let mut end = at + 1;
                            while !text.is_char_boundary(end) {
                                end += 1;
                            }
                            text.replace_range(at..end, "");
                        }
                    }
                    _ => {
                        // Repeat a member after the first brace.
                        if let Some(open) = text[at..].find('{').map(|o| o + at + 1) {
                            text.insert_str(open, &format!("\"{}\":{piece},", member(&mut rng)));
                        }
                    }
                }
            }
            assert_same(&text);
            checked += 1;
        }
        assert_eq!(checked, 30_000);
    }

    fn member(rng: &mut Rng) -> &'static str {
        const NAMES: &[&str] = &[
            "now",
            "cache",
            "key",
            "vault",
            "identity",
            "encryption",
            "roleAssignments",
            "sku",
            "existing",
            "exp",
            "nbf",
            "keyOps",
            "keySize",
            "kind",
            "accessPolicies",
            "permissions",
            "userAssignedIdentities",
            "type",
            "keySource",
            "currentKeySource",
            "x",
        ];
        NAMES[rng.below(NAMES.len())]
    }

    #[test]
    fn edge_cases() {
        for text in [
            "null",
            "",
            " ",
            "{} x",
            "{\"cache\":{\"sku\":1},\"aaa\":1}",
            "{\"key\":{\"kty\":5},\"cache\":{\"id\":5}}",
            "{\"key\":{\"kty\":5,\"kty\":\"RSA\"}}",
            "{\"key\":{\"kty\":\"RSA\",\"kty\":5}}",
            "{\"key\":{\"nbf\":null,\"exp\":1.5}}",
            "{\"key\":{\"nbf\":1,\"nbf\":null}}",
            "{\"cache\":{\"identity\":{\"type\":1,\"userAssignedIdentities\":[]}}}",
            "{\"cache\":{\"identity\":{\"userAssignedIdentities\":{\"b\":{\"x\":1},\"a\":{\"clientId\":1}}}}}",
            "{\"cache\":{\"identity\":{\"userAssignedIdentities\":{\"a\":{\"clientId\":1},\"a\":null}}}}",
            "{\"cache\":{\"identity\":{\"userAssignedIdentities\":{\"a\":null,\"a\":{\"clientId\":1}}}}}",
            "{\"cache\":{\"identity\":{\"userAssignedIdentities\":{\"b\":1,\"a\":{},\"a\":[],\"b\":{}}}}}",
            "{\"vault\":{\"accessPolicies\":[{\"objectId\":1,\"permissions\":{\"keys\":[1]}}]}}",
            "{\"vault\":{\"accessPolicies\":[null]}}",
            "{\"vault\":{\"accessPolicies\":[{\"permissions\":{\"keys\":[\"get\"]},\"permissions\":null}]}}",
            "{\"roleAssignments\":[{},{\"x\":1},{\"scope\":1}]}",
            "{\"key\":{\"keyOps\":[\"a\",null,1]}}",
            "{\"key\":{\"keySize\":18446744073709551615}}",
            "{\"key\":{\"keySize\":-9007199254740993}}",
            "{\"key\":{\"keySize\":1e400}}",
            "{\"key\":{\"name\":\"\\ud800\"}}",
            "{\"ke\\u0079\":{\"name\":\"a\"}}",
            "{\"a/b~c\":1}",
            "{\"cache\":{\"a/b~c\":1}}",
            "{\"cache\":{\"identity\":{\"userAssignedIdentities\":{\"/x~y\":{\"p\":1}}}}}",
            "\"text\"",
            "[{}]",
        ] {
            assert_same(text);
        }
        let many = format!(
            "{{\"roleAssignments\":[{}{{\"x\":1}}]}}",
            "{},".repeat(1100)
        );
        assert_same(&many);
        let many = format!("{{\"key\":{{\"keyOps\":[{}1]}}}}", "\"a\",".repeat(1100));
        assert_same(&many);
        for n in [1023, 1024, 1025] {
            let items = vec!["{}"; n].join(",");
            assert_same(&format!("{{\"roleAssignments\":[{items}]}}"));
            let items = vec!["\"a\""; n].join(",");
            assert_same(&format!("{{\"key\":{{\"keyOps\":[{items}]}}}}"));
        }
        // Depth around the limit (64), in read and in skipped values, and beyond serde_json's own (128).
        for depth in [62, 63, 64, 65, 66, 130] {
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            assert_same(&format!("{{\"cache\":{{\"x\":{deep}}}}}"));
            assert_same(&format!("{{\"key\":{{\"keyOps\":{deep}}}}}"));
            assert_same(&format!("{{\"x\":{deep}}}"));
            let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            assert_same(&format!("{{\"x\":{objects}}}"));
            assert_same(&format!("{{\"x\":{objects},\"now\":\"x\"}}"));
            // A syntax error after a broken limit: the limit wins.
            assert_same(&format!("{{\"x\":{deep},]"));
        }
        // 1,024 distinct IDs (the most), some repeated with a wrong value first or last.
        for extra in ["", ",\"5\":1", ",\"5\":1,\"5\":null", ",\"x\":1"] {
            let ids: Vec<String> = (0..1024).map(|i| format!("\"{i}\":null")).collect();
            let text = format!(
                "{{\"cache\":{{\"identity\":{{\"userAssignedIdentities\":{{{}{extra}}}}}}}}}",
                ids.join(",")
            );
            assert_same(&text);
        }
        let ids: Vec<String> = (0..1100).map(|i| format!("\"{i}\":null")).collect();
        let many = format!(
            "{{\"cache\":{{\"identity\":{{\"userAssignedIdentities\":{{{}}}}}}}}}",
            ids.join(",")
        );
        assert_same(&many);
    }

    /// `userAssignedIdentities` as a JSON object reads: each ID once, the last value of a repeated ID, in
    /// lexicographic order; the error of the lexicographically first ID whose last value is wrong; the
    /// distinct IDs counted for the limit.
    #[test]
    fn identities_as_a_json_object_reads() {
        let read = |ids: &str| {
            let text =
                format!("{{\"cache\":{{\"identity\":{{\"userAssignedIdentities\":{{{ids}}}}}}}}}");
            Config::from_json(&text).map(|c| {
                let map = c
                    .cache
                    .unwrap()
                    .identity
                    .unwrap()
                    .user_assigned_identities
                    .unwrap();
                map.into_iter()
                    .map(|(id, v)| format!("{id}={}", v.client_id.unwrap_or_default()))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            read(r#""b":{"clientId":"1"},"a":null,"b":{"clientId":"2"},"c":{}"#).unwrap(),
            ["a=", "b=2", "c="]
        );
        // A wrong value replaced by a right one counts as right; the other way round, as wrong.
        assert_eq!(read(r#""a":1,"a":{"clientId":"3"}"#).unwrap(), ["a=3"]);
        let err = read(r#""b":1,"a":{"clientId":"3"},"a":[],"c":2"#).unwrap_err();
        assert_eq!(
            err.params().get("path").and_then(|p| p.as_str()),
            Some("/cache/identity/userAssignedIdentities/a")
        );
        let ids: Vec<String> = (0..1025)
            .map(|i| format!("\"{i}\":null,\"{i}\":null"))
            .collect();
        match read(&ids.join(",")).unwrap_err() {
            InputError::TooManyItems { len, max, .. } => assert_eq!((len, max), (1025, 1024)),
            e => panic!("{e}"),
        }
    }

    /// The items and string-length limits (a million items, 16 MiB) at their edges: the reader runs the
    /// pre-pass exactly when it can fail.
    #[test]
    fn limits_at_their_edges() {
        let max = DEFAULT_MAX_ITEMS;
        for n in [max - 1, max, max + 1] {
            let items = "0,".repeat(n - 1) + "0";
            assert_same(&format!("{{\"x\":[{items}]}}"));
            assert_same(&format!("{{\"x\":[{items}],\"cache\":1}}"));
        }
        let max = DEFAULT_MAX_STRING;
        for n in [max - 2, max - 1, max, max + 1] {
            let long = "a".repeat(n);
            assert_same(&format!("{{\"cache\":{{\"name\":\"{long}\"}}}}"));
            assert_same(&format!("{{\"{long}\":1}}"));
            let escaped = "\\n".repeat(n / 2);
            assert_same(&format!("{{\"x\":\"{escaped}\"}}"));
        }
        let escaped = "\\u0041".repeat(max / 6 + 1);
        assert_same(&format!("{{\"x\":\"{escaped}\"}}"));
    }

    #[test]
    fn strings_as_the_value_route_reads_them() {
        for text in [
            "\"a\"",
            "\"\\u00e9\"",
            "null",
            "1",
            "[\"a\"]",
            "{\"a\":1}",
            "\"a",
            "\"a\" x",
            "",
        ] {
            let by_value = match serde_json::from_str::<Value>(text) {
                Ok(Value::String(s)) => Ok(s),
                Ok(_) => Err(InputError::InvalidType {
                    path: String::new(),
                    expected: "a string".into(),
                }),
                Err(e) => Err(InputError::InvalidJson {
                    detail: e.to_string(),
                }),
            };
            assert_eq!(read_string(text), by_value, "{text}");
        }
    }
}
