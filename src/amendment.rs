//! Amendments: variations, extensions and renewals, with what they changed.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::provenance::Extra;

/// A recorded variation of an agreement: when, what, and each change with
/// its value before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amendment {
    /// The day it takes effect.
    pub date: NaiveDate,
    /// The day it was entered in the register, if later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<NaiveDate>,
    /// What kind of amendment it is.
    pub kind: AmendmentKind,
    /// What it does, in a sentence.
    pub summary: String,
    /// Each change, field by field and member by member.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What kind of amendment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmendmentKind {
    /// A variation of terms.
    #[default]
    Variation,
    /// An extension of the end date.
    Extension,
    /// A renewal for a further term.
    Renewal,
}

impl AmendmentKind {
    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            AmendmentKind::Variation => "variation",
            AmendmentKind::Extension => "extension",
            AmendmentKind::Renewal => "renewal",
        }
    }
}

/// One change an amendment made: the field (a path such as `end`,
/// `review.next_due`, `members[northamptonshire-police@2014-04-01].role` or
/// `costs.formulas[2016-04-01].formula.shares[leicestershire-police].percent`)
/// and its value before and after; `None` before for something added,
/// `None` after for something removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// What changed.
    pub field: String,
    /// The value before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}
