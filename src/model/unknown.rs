//! Fields a record carries that this version of the crate does not know:
//! kept in file order and written back exactly, numbers included.
//!
//! Why `RawValue` to write and not `serde_json`'s `arbitrary_precision`: the
//! crate reads files with its own parser, which hands over a number's text
//! as written, so only writing needs help, and `RawValue` writes that text
//! untouched. `arbitrary_precision` is a crate-wide feature flag: it would
//! change how every `serde_json::Value` in the user's program holds
//! numbers (feature unification), which a library should not impose.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JSON value the crate does not interpret, kept exactly: a number keeps
/// the text it was written with, so `123456789012345678901234567890` is
/// written back as it was read, not as a floating-point approximation.
///
/// Not `#[non_exhaustive]`: its variants are JSON's six kinds of value,
/// which will not grow.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unknown {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Box<str>),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Unknown>),
    /// An object, in file order.
    Object(Vec<(String, Unknown)>),
}

/// Whether `text` is a JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    let mut b = text.as_bytes();
    let take_digits = |b: &mut &[u8]| {
        let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
        *b = b.get(n..).unwrap_or_default();
        n
    };
    if let Some(rest) = b.strip_prefix(b"-") {
        b = rest;
    }
    match b.first() {
        Some(b'0') => b = b.get(1..).unwrap_or_default(),
        Some(b'1'..=b'9') => {
            take_digits(&mut b);
        }
        _ => return false,
    }
    if let Some(rest) = b.strip_prefix(b".") {
        b = rest;
        if take_digits(&mut b) == 0 {
            return false;
        }
    }
    if let Some(rest) = b.strip_prefix(b"e").or_else(|| b.strip_prefix(b"E")) {
        b = rest;
        if let Some(rest) = b.strip_prefix(b"+").or_else(|| b.strip_prefix(b"-")) {
            b = rest;
        }
        if take_digits(&mut b) == 0 {
            return false;
        }
    }
    b.is_empty()
}

impl Unknown {
    /// A number from its JSON text, or `None` when the text is not a JSON number.
    ///
    /// ```
    /// use collab_registry::model::Unknown;
    /// let big = Unknown::number("123456789012345678901234567890").unwrap();
    /// assert_eq!(big.to_string(), "123456789012345678901234567890");
    /// assert!(Unknown::number("1e").is_none() && Unknown::number("NaN").is_none());
    /// ```
    #[must_use]
    pub fn number(text: &str) -> Option<Unknown> {
        is_json_number(text).then(|| Unknown::Number(text.into()))
    }
}

impl From<serde_json::Value> for Unknown {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Unknown::Null,
            serde_json::Value::Bool(b) => Unknown::Bool(b),
            serde_json::Value::Number(n) => Unknown::Number(n.to_string().into()),
            serde_json::Value::String(s) => Unknown::String(s),
            serde_json::Value::Array(items) => {
                Unknown::Array(items.into_iter().map(Unknown::from).collect())
            }
            serde_json::Value::Object(fields) => Unknown::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k, Unknown::from(v)))
                    .collect(),
            ),
        }
    }
}

impl Serialize for Unknown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Unknown::Null => serializer.serialize_unit(),
            Unknown::Bool(b) => serializer.serialize_bool(*b),
            // A raw value writes the number's own text: exact, however long.
            Unknown::Number(text) => serde_json::value::RawValue::from_string(text.to_string())
                .map_err(S::Error::custom)?
                .serialize(serializer),
            Unknown::String(s) => serializer.serialize_str(s),
            Unknown::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Unknown::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// The deepest nesting of arrays and objects deserialised, as in a file:
/// it bounds the stack a hostile input can use, whatever the deserialiser.
const MAX_DEPTH: usize = 128;

/// Objects with up to this many keys look for a repeat one by one; bigger
/// ones use a hash set, so a hostile object costs linear time.
const LINEAR_KEYS: usize = 16;

/// Any value of the serde data model, kept as an `Unknown` tree: object keys
/// in the order given, integers as their digits, other numbers as
/// [`serde_json::Number`] writes them.
///
/// # Errors
///
/// A key given twice in one object (the error names it), a float that is
/// not finite, bytes, or nesting deeper than 128 levels.
///
/// ```
/// use collab_registry::model::Unknown;
/// let value: Unknown = serde_json::from_str(r#"{"b": [1, -2, 2.5], "a": null}"#)?;
/// assert_eq!(value.to_string(), r#"{"b":[1,-2,2.5],"a":null}"#);
/// let twice = serde_json::from_str::<Unknown>(r#"{"a": 1, "a": 2}"#).unwrap_err();
/// assert!(twice.to_string().contains(r#"duplicate key "a""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<'de> Deserialize<'de> for Unknown {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Level(0).deserialize(deserializer)
    }
}

/// Reads one value nested this many arrays and objects deep.
#[derive(Clone, Copy)]
struct Level(usize);

impl Level {
    fn inner<E: de::Error>(self) -> Result<Level, E> {
        if self.0 >= MAX_DEPTH {
            Err(E::custom(format!(
                "nested more than {MAX_DEPTH} levels deep"
            )))
        } else {
            Ok(Level(self.0.saturating_add(1)))
        }
    }
}

impl<'de> DeserializeSeed<'de> for Level {
    type Value = Unknown;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Unknown, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Level {
    type Value = Unknown;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Unknown, E> {
        Ok(Unknown::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Unknown, E> {
        Ok(Unknown::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Unknown, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Unknown, E> {
        Ok(Unknown::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Unknown, E> {
        Ok(Unknown::Number(n.to_string().into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Unknown, E> {
        Ok(Unknown::Number(n.to_string().into()))
    }

    fn visit_i128<E: de::Error>(self, n: i128) -> Result<Unknown, E> {
        Ok(Unknown::Number(n.to_string().into()))
    }

    fn visit_u128<E: de::Error>(self, n: u128) -> Result<Unknown, E> {
        Ok(Unknown::Number(n.to_string().into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Unknown, E> {
        serde_json::Number::from_f64(n)
            .map(|n| Unknown::Number(n.to_string().into()))
            .ok_or_else(|| E::custom(format!("{n} is not a JSON number")))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Unknown, E> {
        Ok(Unknown::String(s.to_string()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Unknown, E> {
        Ok(Unknown::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unknown, A::Error> {
        let inner = self.inner()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Unknown::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unknown, A::Error> {
        let inner = self.inner()?;
        let mut fields: Vec<(String, Unknown)> =
            Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        let mut seen: Option<HashSet<String>> = None;
        while let Some(key) = map.next_key::<String>()? {
            let repeated = match &mut seen {
                Some(set) => !set.insert(key.clone()),
                None => fields.iter().any(|(k, _)| *k == key),
            };
            if repeated {
                let shown: String = key.chars().take(100).collect();
                return Err(de::Error::custom(format!("duplicate key {shown:?}")));
            }
            let value = map.next_value_seed(inner)?;
            fields.push((key, value));
            if seen.is_none() && fields.len() > LINEAR_KEYS {
                seen = Some(fields.iter().map(|(k, _)| k.clone()).collect());
            }
        }
        Ok(Unknown::Object(fields))
    }
}

/// Compact JSON text, numbers as written.
impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

/// The fields of one record that the crate does not know, in file order.
///
/// They are kept on load and written back on save, so a round trip loses
/// nothing. An empty set costs one pointer. A key that is also the name of a
/// field the crate knows is refused when the record is added or loaded, so a
/// file never holds one key twice.
///
/// ```
/// use collab_registry::model::{Extra, Unknown};
/// let mut extra = Extra::new();
/// extra.insert("local_reference", Unknown::String("EMSOU-7".into()));
/// assert_eq!(extra.get("local_reference"), Some(&Unknown::String("EMSOU-7".into())));
/// assert_eq!(extra.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
// One pointer when empty, as most records are: a `Vec` would cost three.
#[allow(clippy::box_collection)]
pub struct Extra(Option<Box<Vec<(String, Unknown)>>>);

impl Extra {
    /// No unknown fields.
    #[must_use]
    pub const fn new() -> Self {
        Extra(None)
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|v| v.is_empty())
    }

    /// How many there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |v| v.len())
    }

    /// The value of `key`, if present. **O(n)** in the unknown fields.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Unknown> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Sets `key` to `value`, in place if it is present, else at the end.
    pub fn insert(&mut self, key: impl Into<String>, value: Unknown) {
        let key = key.into();
        let fields = self.0.get_or_insert_with(Box::default);
        match fields.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => fields.push((key, value)),
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Unknown> {
        let fields = self.0.as_mut()?;
        let at = fields.iter().position(|(k, _)| k == key)?;
        let (_, value) = fields.remove(at);
        if fields.is_empty() {
            self.0 = None;
        }
        Some(value)
    }

    /// The fields in file order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Unknown)> + '_ {
        self.0
            .as_deref()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|(k, v)| (k.as_str(), v))
    }

    /// The first key that is also one of `known`, if any.
    pub(crate) fn shadowing<'k>(&self, known: &[&'k str]) -> Option<&'k str> {
        self.iter()
            .find_map(|(k, _)| known.iter().copied().find(|name| *name == k))
    }

    pub(crate) fn from_fields(fields: Vec<(String, Unknown)>) -> Self {
        if fields.is_empty() {
            Extra(None)
        } else {
            Extra(Some(Box::new(fields)))
        }
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_and_kept_as_written() {
        for good in [
            "0",
            "-0",
            "12",
            "1.5",
            "1e10",
            "1E+2",
            "-3.25e-7",
            "123456789012345678901234567890",
        ] {
            assert_eq!(
                Unknown::number(good).map(|n| n.to_string()).as_deref(),
                Some(good)
            );
        }
        for bad in ["", "-", "01", "1.", ".5", "1e", "+1", "1 ", "NaN", "0x1"] {
            assert!(Unknown::number(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn deserialising_keeps_order_and_numbers_and_refuses_repeats() {
        let text = r#"{"z": 18446744073709551615, "a": [-9223372036854775808, 0.1, 1e300], "m": {"k": true}}"#;
        let value: Unknown = serde_json::from_str(text).unwrap();
        assert_eq!(
            value.to_string(),
            r#"{"z":18446744073709551615,"a":[-9223372036854775808,0.1,1e+300],"m":{"k":true}}"#
        );
        let many = (0..40).fold(String::new(), |mut s, i| {
            use std::fmt::Write;
            let _ = write!(s, r#""k{i}": {i}, "#);
            s
        });
        let err = serde_json::from_str::<Unknown>(&format!("{{{many}\"k33\": 0}}")).unwrap_err();
        assert!(err.to_string().contains(r#"duplicate key "k33""#), "{err}");
        // serde_json's own parser stops at 128 levels; a built value does not.
        let mut deep = serde_json::Value::Null;
        for _ in 0..129 {
            deep = serde_json::Value::Array(vec![deep]);
        }
        let err = Unknown::deserialize(deep).unwrap_err();
        assert!(err.to_string().contains("nested more than 128"), "{err}");
        assert!(Level(0).visit_f64::<serde_json::Error>(f64::NAN).is_err());
    }

    #[test]
    fn extra_keeps_order_and_replaces_in_place() {
        let mut extra = Extra::new();
        assert!(extra.is_empty());
        extra.insert("b", Unknown::Bool(true));
        extra.insert("a", Unknown::Null);
        extra.insert("b", Unknown::Bool(false));
        let keys: Vec<&str> = extra.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(extra.shadowing(&["a", "title"]), Some("a"));
        assert_eq!(extra.remove("b"), Some(Unknown::Bool(false)));
        assert_eq!(extra.remove("a"), Some(Unknown::Null));
        assert!(extra.is_empty() && extra == Extra::new());
    }
}
