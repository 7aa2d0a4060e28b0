//! Amendments: variations, extensions and renewals, each with every change
//! it made, field by field, typed, with the value before and after.
//!
//! Each kind of record has its own typed changes beside it: an agreement's
//! [`AgreementChange`](super::AgreementChange), a party's
//! [`PartyChange`](super::PartyChange), a body's
//! [`BodyChange`](super::BodyChange).
//!
//! A record holds its terms as they now stand; its amendments hold what
//! they replaced. The terms as of any day, as the register stood on any
//! day, are read back from them: for each field, the value after the last
//! change in effect (taken in date order, then the order entered), or, with
//! none in effect, the value before the first. The loader checks that each
//! change's `before` is what the record held when it was entered and that
//! the record holds what the last change left.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::keyword::keywords;
use super::unknown::Extra;

keywords! {
    /// What kind of amendment.
    #[derive(Default)]
    pub enum AmendmentKind ("amendment kind") {
        /// A variation of terms.
        #[default]
        Variation => "variation",
        /// An extension of the end date.
        Extension => "extension",
        /// A renewal for a further term.
        Renewal => "renewal",
        /// A correction of a value entered wrongly.
        Correction => "correction",
    }
}

/// A field's value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Change<T> {
    /// The value before.
    pub before: T,
    /// The value after.
    pub after: T,
    /// Fields this version of the crate does not know, kept with the change.
    pub extra: Extra,
}

impl<T: PartialEq> Change<T> {
    /// A change from `before` to `after`.
    pub fn new(before: T, after: T) -> Self {
        Change {
            before,
            after,
            extra: Extra::new(),
        }
    }

    /// A change from `before` to `after`, or `None` when they are equal.
    pub fn between(before: T, after: T) -> Option<Self> {
        (before != after).then(|| Change::new(before, after))
    }
}

/// A recorded amendment of a record (an agreement's [`AgreementChange`](super::AgreementChange)s, a
/// party's [`PartyChange`](super::PartyChange)s, a body's [`BodyChange`](super::BodyChange)s): when it takes effect,
/// when it was entered, what kind it is, and each change it made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Amendment<C> {
    /// The day it takes effect.
    pub date: NaiveDate,
    /// The day it was entered in the register, if not the day it took effect.
    pub recorded: Option<NaiveDate>,
    /// What kind of amendment it is.
    pub kind: AmendmentKind,
    /// What it does, in a sentence.
    pub summary: String,
    /// Each change, field by field.
    pub changes: Vec<C>,
    /// Fields this version of the crate does not know.
    pub extra: Extra,
}

impl<C> Amendment<C> {
    /// An amendment taking effect on `date`.
    #[must_use]
    pub fn new(
        date: NaiveDate,
        kind: AmendmentKind,
        summary: impl Into<String>,
        changes: Vec<C>,
    ) -> Self {
        Amendment {
            date,
            recorded: None,
            kind,
            summary: summary.into(),
            changes,
            extra: Extra::new(),
        }
    }

    /// The day it was entered.
    #[must_use]
    pub fn entered_on(&self) -> NaiveDate {
        self.recorded.unwrap_or(self.date)
    }
}

impl<C: Serialize> Serialize for Amendment<C> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("date", &self.date)?;
        if let Some(recorded) = &self.recorded {
            map.serialize_entry("recorded", recorded)?;
        }
        map.serialize_entry("kind", &self.kind)?;
        map.serialize_entry("summary", &self.summary)?;
        map.serialize_entry("changes", &self.changes)?;
        for (k, v) in self.extra.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Writes one change as `{"field": ..., "before": ..., "after": ...}`,
/// then its unknown fields.
pub(crate) fn write_change<S: serde::Serializer, T: Serialize>(
    serializer: S,
    field: &dyn fmt::Display,
    change: &Change<T>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("field", &field.to_string())?;
    map.serialize_entry("before", &change.before)?;
    map.serialize_entry("after", &change.after)?;
    for (k, v) in change.extra.iter() {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// A field path that is not one an amendment can change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown field {path:?}: expected one of {expected}")]
pub struct FieldError {
    path: String,
    expected: &'static str,
}

impl FieldError {
    pub(crate) fn new(path: &str, expected: &'static str) -> Self {
        FieldError {
            path: path.chars().take(120).collect(),
            expected,
        }
    }
}

/// Splits `name[key]` into the key, when `path` is `prefix[...]` + `suffix`.
pub(crate) fn keyed<'p>(path: &'p str, prefix: &str, suffix: &str) -> Option<&'p str> {
    path.strip_prefix(prefix)?
        .strip_prefix('[')?
        .strip_suffix(suffix)?
        .strip_suffix(']')
}

/// Splits a `party@date`-style key.
pub(crate) fn at_key(key: &str) -> Option<(&str, &str)> {
    key.rsplit_once('@')
}

/// Walks two lists sorted by `key`, reporting each key whose entry differs.
pub(crate) fn merge_keyed<T: Clone + PartialEq, K: Ord>(
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> K,
    mut changed: impl FnMut(K, Change<Option<T>>),
) {
    let (mut i, mut j) = (0, 0);
    loop {
        match (before.get(i), after.get(j)) {
            (None, None) => break,
            (Some(x), None) => {
                changed(key(x), Change::new(Some(x.clone()), None));
                i = i.saturating_add(1);
            }
            (None, Some(y)) => {
                changed(key(y), Change::new(None, Some(y.clone())));
                j = j.saturating_add(1);
            }
            (Some(x), Some(y)) => match key(x).cmp(&key(y)) {
                std::cmp::Ordering::Less => {
                    changed(key(x), Change::new(Some(x.clone()), None));
                    i = i.saturating_add(1);
                }
                std::cmp::Ordering::Greater => {
                    changed(key(y), Change::new(None, Some(y.clone())));
                    j = j.saturating_add(1);
                }
                std::cmp::Ordering::Equal => {
                    if x != y {
                        changed(key(x), Change::new(Some(x.clone()), Some(y.clone())));
                    }
                    i = i.saturating_add(1);
                    j = j.saturating_add(1);
                }
            },
        }
    }
}
