//! Reviews: how often an agreement is reviewed, and the reviews held.

use chrono::NaiveDate;
use serde::Serialize;

use super::id::BodyId;
use super::keyword::keywords;
use super::unknown::Extra;

keywords! {
    /// What a review cadence is counted from.
    #[derive(Default)]
    pub enum ReviewAnchor ("review anchor") {
        /// From the last review held, or from the start when none has been:
        /// a review held late moves every later one.
        #[default]
        LastReview => "last_review",
        /// From the start, on its anniversaries: a review held late does not
        /// move the next one.
        Start => "start",
    }
}

/// How and when an agreement is reviewed: the terms an amendment can change.
/// The reviews held are dated history, kept apart
/// ([`Agreement::reviews_held`](crate::model::Agreement::reviews_held)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct ReviewTerms {
    /// Months between reviews, 1 to [`MAX_MONTHS`](crate::model::MAX_MONTHS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cadence_months: Option<u32>,
    /// What the cadence counts from.
    #[serde(skip_serializing_if = "is_default_anchor")]
    pub anchor: ReviewAnchor,
    /// A next review date set by hand; it wins over the cadence while it is
    /// after the last review held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_due: Option<NaiveDate>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_default_anchor(anchor: &ReviewAnchor) -> bool {
    *anchor == ReviewAnchor::default()
}

impl ReviewTerms {
    /// Reviewed every `months` months, counted from the last review held.
    #[must_use]
    pub fn every(months: u32) -> Self {
        ReviewTerms {
            cadence_months: Some(months),
            ..ReviewTerms::default()
        }
    }

    /// Whether nothing is stated.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == ReviewTerms::default()
    }
}

/// A review held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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

impl Review {
    /// A review held on `date`.
    #[must_use]
    pub fn new(date: NaiveDate) -> Self {
        Review {
            date,
            recorded: None,
            by: None,
            outcome: None,
            extra: Extra::new(),
        }
    }

    /// The same review, held by `body`.
    #[must_use]
    pub fn by(mut self, body: BodyId) -> Self {
        self.by = Some(body);
        self
    }

    /// The same review, with its outcome.
    #[must_use]
    pub fn outcome(mut self, outcome: impl Into<String>) -> Self {
        self.outcome = Some(outcome.into());
        self
    }

    /// The same review, entered in the register on `day`.
    #[must_use]
    pub fn entered(mut self, day: NaiveDate) -> Self {
        self.recorded = Some(day);
        self
    }

    /// The day it was entered.
    #[must_use]
    pub fn entered_on(&self) -> NaiveDate {
        self.recorded.unwrap_or(self.date)
    }
}
