//! Reviews: how often an agreement is reviewed and the reviews held.

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::add_months;
use crate::id::BodyId;
use crate::provenance::Extra;

/// How and when an agreement is reviewed, with the reviews held so far.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ReviewPolicy {
    /// Months between reviews.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cadence_months: Option<u32>,
    /// A next review date set by hand; it wins over the cadence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_due: Option<NaiveDate>,
    /// Reviews held, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<Review>,
}

impl ReviewPolicy {
    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.cadence_months.is_none() && self.next_due.is_none() && self.held.is_empty()
    }

    /// The last review held on or before `date`.
    pub fn last_review_on(&self, date: NaiveDate) -> Option<&Review> {
        self.held
            .iter()
            .filter(|r| r.date <= date)
            .max_by_key(|r| r.date)
    }

    /// The next review due, as known on `date`: the date set by hand if it is
    /// still ahead of the last review, else the cadence counted from the last
    /// review held on or before `date`, or from `start` when none was held.
    ///
    /// `None` when there is neither a date set by hand nor a cadence.
    pub fn next_due_on(&self, start: NaiveDate, date: NaiveDate) -> Option<NaiveDate> {
        let last = self.last_review_on(date).map(|r| r.date);
        next_due(start, self.next_due, self.cadence_months, last)
    }
}

/// The rule for the next review: the date set by hand while it is after the
/// last review, else the cadence from the last review or from the start.
pub(crate) fn next_due(
    start: NaiveDate,
    by_hand: Option<NaiveDate>,
    cadence_months: Option<u32>,
    last_review: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if let Some(next) = by_hand.filter(|next| last_review.is_none_or(|last| *next > last)) {
        return Some(next);
    }
    let months = i32::try_from(cadence_months?).ok()?;
    add_months(last_review.unwrap_or(start), months)
}

/// A review held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The day it was held.
    pub date: NaiveDate,
    /// The day it was entered in the register, if later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<NaiveDate>,
    /// The body that held it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<BodyId>,
    /// Its outcome in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
