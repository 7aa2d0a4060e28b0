//! The small pieces every answer is made of, so that answers name things
//! the same way: a party as its id and its name on the day, an agreement as
//! its id and title, a body as its id and name, money as a decimal string
//! with its currency, and an absent value as `null`.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::model::{AgreementId, BodyId, Money, PartyId};

/// A party as answers name it: its id and its name on the day asked.
/// Serialises as `{"id": ..., "name": ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub struct PartyRef<'r> {
    /// The party's id.
    pub id: &'r PartyId,
    /// Its name on the day asked.
    pub name: &'r str,
}

impl<'r> PartyRef<'r> {
    /// A party named `name`.
    #[must_use]
    pub fn new(id: &'r PartyId, name: &'r str) -> Self {
        PartyRef { id, name }
    }
}

/// An agreement as answers name it: its id and its title on the day asked.
/// Serialises as `{"id": ..., "title": ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub struct AgreementRef<'r> {
    /// The agreement's id.
    pub id: &'r AgreementId,
    /// Its title on the day asked.
    pub title: &'r str,
}

impl<'r> AgreementRef<'r> {
    /// An agreement titled `title`.
    #[must_use]
    pub fn new(id: &'r AgreementId, title: &'r str) -> Self {
        AgreementRef { id, title }
    }
}

/// A governance body as answers name it: its id and its name on the day.
/// Serialises as `{"id": ..., "name": ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub struct BodyRef<'r> {
    /// The body's id.
    pub id: &'r BodyId,
    /// Its name on the day asked.
    pub name: &'r str,
}

impl<'r> BodyRef<'r> {
    /// A body named `name`.
    #[must_use]
    pub fn new(id: &'r BodyId, name: &'r str) -> Self {
        BodyRef { id, name }
    }
}

/// Writes money as `{"amount": "8585011.19", "currency": "GBP"}`: exact, and
/// never separated from its currency. Use with `#[serde(serialize_with)]`.
///
/// # Errors
///
/// What the serializer gives.
pub fn money<S: Serializer>(money: &Money, serializer: S) -> Result<S::Ok, S::Error> {
    let mut s = serializer.serialize_struct("Money", 2)?;
    s.serialize_field("amount", &money.to_string())?;
    s.serialize_field("currency", money.currency().code())?;
    s.end()
}

/// [`money`] for an amount that may be absent (written `null`).
///
/// # Errors
///
/// What the serializer gives.
pub fn opt_money<S: Serializer>(money: &Option<Money>, serializer: S) -> Result<S::Ok, S::Error> {
    match money {
        Some(m) => self::money(m, serializer),
        None => serializer.serialize_none(),
    }
}
