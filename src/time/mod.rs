//! The temporal layer: a register answers as of two days, the day a fact
//! takes effect and the day it was entered ([`At`]); every record is read
//! through a typed view as of both ([`AgreementView`], [`PartyView`],
//! [`BodyView`]), built from the record and its dated facts, so a fact
//! entered late or dated later cannot leak into an earlier answer. The
//! rules that turn terms into dates live here too: the next review
//! ([`next_review`]) and notice ([`withdrawal_day`], [`last_day_to_serve`]).

mod notice;
mod review;
mod view;

use chrono::NaiveDate;

pub use notice::{last_day_to_serve, withdrawal_day};
pub use review::next_review;
pub(crate) use view::spell_holds;
pub use view::{AgreementView, BodyView, MemberView, PartyView};
pub(crate) use view::{has_ended, in_force};

/// The two days a question is asked as of: the day the answer is about,
/// and, optionally, the day the register is read as it stood.
///
/// Without a register day every fact entered so far counts. With one, a
/// fact counts only if it was entered by then, so a withdrawal entered in
/// June that took effect in April leaves what the register said in May
/// unchanged.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::time::At;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let may = At::on(d(2022, 5, 1)).as_recorded_on(d(2022, 5, 31));
/// // Effective 1 April, entered 10 June: not yet known on 31 May.
/// assert!(!may.sees(d(2022, 4, 1), d(2022, 6, 10)));
/// assert!(At::on(d(2022, 5, 1)).sees(d(2022, 4, 1), d(2022, 6, 10)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct At {
    day: NaiveDate,
    register_day: Option<NaiveDate>,
}

impl At {
    /// As of `day`, with every fact entered so far.
    #[must_use]
    pub const fn on(day: NaiveDate) -> Self {
        At {
            day,
            register_day: None,
        }
    }

    /// The same day, as the register stood on `register_day`.
    #[must_use]
    pub const fn as_recorded_on(self, register_day: NaiveDate) -> Self {
        At {
            register_day: Some(register_day),
            ..self
        }
    }

    /// The same register day, about another day.
    #[must_use]
    pub const fn with_day(self, day: NaiveDate) -> Self {
        At { day, ..self }
    }

    /// The day the answer is about.
    #[must_use]
    pub const fn day(&self) -> NaiveDate {
        self.day
    }

    /// The day the register is read as it stood, if one is set.
    #[must_use]
    pub const fn register_day(&self) -> Option<NaiveDate> {
        self.register_day
    }

    /// Whether a fact entered on `entered` is known.
    #[must_use]
    pub fn knows(&self, entered: NaiveDate) -> bool {
        self.register_day.is_none_or(|t| entered <= t)
    }

    /// Whether a fact taking effect on `effective`, entered on `entered`,
    /// is in effect and known.
    #[must_use]
    pub fn sees(&self, effective: NaiveDate, entered: NaiveDate) -> bool {
        effective <= self.day && self.knows(entered)
    }

    /// The last day by which a record must have stopped changing for its
    /// current state to be its state as of these days: the earlier of the
    /// day and the register day.
    #[must_use]
    pub fn settled_by(&self) -> NaiveDate {
        self.register_day.map_or(self.day, |t| t.min(self.day))
    }
}

/// When a change takes effect, and when it was entered in the register.
///
/// Built from a date (`When::from(date)`, entered the same day) or with
/// [`When::entered`] for a late (or early) entry. The crate does not read
/// the clock, so a change entered on another day than the one it takes
/// effect must say so; otherwise the register is taken to have learnt of it
/// on the day it takes effect.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::time::When;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let late = When::on(d(2022, 4, 1)).entered(d(2022, 6, 10));
/// assert_eq!((late.effective(), late.entered_on()), (d(2022, 4, 1), d(2022, 6, 10)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct When {
    effective: NaiveDate,
    recorded: Option<NaiveDate>,
}

impl When {
    /// A change that takes effect on `effective`, entered that day.
    #[must_use]
    pub const fn on(effective: NaiveDate) -> Self {
        When {
            effective,
            recorded: None,
        }
    }

    /// The same change, entered in the register on `recorded`.
    #[must_use]
    pub const fn entered(self, recorded: NaiveDate) -> Self {
        When {
            recorded: Some(recorded),
            ..self
        }
    }

    /// The day it takes effect.
    #[must_use]
    pub const fn effective(&self) -> NaiveDate {
        self.effective
    }

    /// The day it was entered, when given.
    #[must_use]
    pub const fn recorded(&self) -> Option<NaiveDate> {
        self.recorded
    }

    /// The day it was entered: the day given, or the day it takes effect.
    #[must_use]
    pub fn entered_on(&self) -> NaiveDate {
        self.recorded.unwrap_or(self.effective)
    }

    /// The entry day to store beside a fact taking effect on `fact`: none
    /// when it was entered that very day.
    #[must_use]
    pub(crate) fn stamp_for(self, fact: NaiveDate) -> Option<NaiveDate> {
        let entered = self.entered_on();
        (entered != fact).then_some(entered)
    }
}

impl From<NaiveDate> for When {
    fn from(effective: NaiveDate) -> Self {
        When::on(effective)
    }
}
