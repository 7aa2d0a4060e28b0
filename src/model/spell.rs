//! Spells: when a link holds (an oversight, a seat, a body governing an
//! agreement or reporting to another) and when each end of it was entered.

use chrono::NaiveDate;
use serde::Serialize;

use super::dates::Period;
use super::unknown::Extra;

/// The days on which the two ends of a spell were entered in the register;
/// an absent day means the end was entered on the day it takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
#[non_exhaustive]
pub struct SpellRecorded {
    /// When the start was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// When the end was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SpellRecorded {
    /// Whether nothing is recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.until.is_none() && self.extra.is_empty()
    }
}

/// When a link holds: from `from` (or always, when absent) up to but not
/// including `until` (or for ever), with the days each end was entered.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::Spell;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let seat = Spell::from_day(d(2019, 1, 1)).until(d(2024, 5, 9));
/// assert!(seat.holds_on(d(2020, 6, 1)) && !seat.holds_on(d(2024, 5, 9)));
/// assert!(Spell::always().holds_on(d(1900, 1, 1)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
#[non_exhaustive]
pub struct Spell {
    /// The first day it holds; absent when it has always held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The first day it no longer holds; absent while it goes on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// When each end was entered, where that differs from the day it took effect.
    #[serde(skip_serializing_if = "SpellRecorded::is_empty")]
    pub recorded: SpellRecorded,
}

impl Spell {
    /// A spell that has always held and goes on.
    #[must_use]
    pub fn always() -> Self {
        Spell::default()
    }

    /// A spell from `day` on.
    #[must_use]
    pub fn from_day(day: NaiveDate) -> Self {
        Spell {
            from: Some(day),
            ..Spell::default()
        }
    }

    /// The same spell ending on `day` (the first day it no longer holds).
    #[must_use]
    pub fn until(mut self, day: NaiveDate) -> Self {
        self.until = Some(day);
        self
    }

    /// The same spell, its start entered on `day`.
    #[must_use]
    pub fn entered(mut self, day: NaiveDate) -> Self {
        self.recorded.from = Some(day);
        self
    }

    /// The half-open period it holds.
    #[must_use]
    pub fn period(&self) -> Period {
        let start = self.from.unwrap_or(NaiveDate::MIN);
        Period::new(start, self.until).unwrap_or(Period::from(start))
    }

    /// Whether it holds on `day`, whatever the register knew when.
    #[must_use]
    pub fn holds_on(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= day) && self.until.is_none_or(|until| day < until)
    }

    /// The day its start was entered (`None`: always known).
    #[must_use]
    pub fn start_entered(&self) -> Option<NaiveDate> {
        self.recorded.from.or(self.from)
    }

    /// The day its end was entered, if it has an end.
    #[must_use]
    pub fn end_entered(&self) -> Option<NaiveDate> {
        self.until.map(|until| self.recorded.until.unwrap_or(until))
    }
}
