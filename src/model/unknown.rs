//! Fields a record carries that this version of the crate does not know:
//! kept in file order and written back exactly, numbers included.

use std::fmt;

use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A JSON value the crate does not interpret, kept exactly: a number keeps
/// the text it was written with, so `123456789012345678901234567890` is
/// written back as it was read, not as a floating-point approximation.
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
