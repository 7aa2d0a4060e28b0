//! The parts of a share of a year's costs: the stretches of the year under
//! one formula each, and each member's share with its units and what its
//! formula read in every stretch. The planner (`year`) builds them; the
//! answers (`shares`, `what_if`) hold them.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Formula, Money, Percent, Quantity};
use crate::questions::PartyRef;
use crate::questions::answer::money;

use super::apportion::Quota;

/// Consecutive paying units of a year under one formula.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Stretch {
    /// The first day of its first paying unit.
    pub from: NaiveDate,
    /// The last day of its last paying unit.
    pub to: NaiveDate,
    /// The formula that governs it.
    pub formula: Formula,
    /// The day that formula took effect.
    pub formula_from: NaiveDate,
    /// Its paying units.
    pub units: u32,
}

/// One member's share of an amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Share<'r> {
    /// The member.
    pub party: PartyRef<'r>,
    /// Its units and what its formula read for it, in each stretch (in the
    /// order of the answer's stretches).
    pub stretches: Vec<ShareStretch>,
    /// Its exact quota in minor units, which `amount` rounds.
    pub quota: Quota,
    /// What it pays.
    #[serde(serialize_with = "money")]
    pub amount: Money,
    /// Whether the share rests on a date known only to a month or a year
    /// (a joining or leaving of a membership it takes part through): the
    /// days it counts, and so the amount, are then approximate.
    pub approximate: bool,
}

impl Share<'_> {
    /// Its units in all stretches.
    #[must_use]
    pub fn units(&self) -> u32 {
        self.stretches.iter().map(|s| s.units).sum()
    }
}

/// A member's part in one stretch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ShareStretch {
    /// The units it counts in the stretch.
    pub units: u32,
    /// What the formula read for it, one entry per formula (per part of a
    /// blend); none when it counts no unit there.
    pub inputs: Vec<ShareInput>,
}

/// What a formula read for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ShareInput {
    /// An equal share.
    Equal,
    /// A fixed percentage.
    Percent {
        /// The percentage.
        percent: Percent,
    },
    /// A metric's value for the year.
    Metric {
        /// The metric's name.
        metric: String,
        /// Its value.
        value: Quantity,
    },
    /// Units used in the year.
    Usage {
        /// The units.
        units: Quantity,
    },
    /// Units bought in advance for a full year, before the part-year rule.
    Purchase {
        /// The units.
        units: Quantity,
    },
}

impl fmt::Display for ShareInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareInput::Equal => f.write_str("equal"),
            ShareInput::Percent { percent } => write!(f, "{percent}%"),
            ShareInput::Metric { metric, value } => write!(f, "{metric} {value}"),
            ShareInput::Usage { units } => write!(f, "{units} units"),
            ShareInput::Purchase { units } => write!(f, "{units} units bought"),
        }
    }
}
