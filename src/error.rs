//! Errors: one enum, [`Error`], for everything a registry call can refuse,
//! [`LoadError`] for files, and small value errors they are built from.
//!
//! Every error names what was asked and what was found: the id, the date,
//! the text, and for files the path inside the document.

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;
use thiserror::Error;

use crate::money::Currency;

/// A slug that is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid id {id:?}: it {reason}")]
pub struct IdError {
    /// The text given.
    pub id: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// A decimal string (an amount, a percentage, a quantity) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid amount {text:?}: it {reason}")]
pub struct AmountError {
    /// The text given.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// A date or financial year that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid date {text:?}: expected {expected}")]
pub struct DateError {
    /// The text given.
    pub text: String,
    /// What was expected.
    pub expected: &'static str,
}

/// Money that could not be read or added up.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The amount text is not a valid decimal for the currency.
    #[error(transparent)]
    Amount(#[from] AmountError),
    /// The currency code is not three capital letters.
    #[error("invalid currency {0:?}: expected a three-letter ISO 4217 code such as \"GBP\"")]
    BadCurrency(String),
    /// Two amounts of different currencies were combined.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: Currency,
        /// The currency of the right operand.
        right: Currency,
    },
    /// A sum or product does not fit in 64-bit minor units.
    #[error("amount overflows 64-bit minor units")]
    Overflow,
}

/// One problem found in a registry document, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    /// Where in the document: `agreements[3].members[1].party`.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A list of problems, shown one a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {problem}")?;
        }
        Ok(())
    }
}

/// Why a registry file could not be loaded or saved.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The text is not JSON.
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Json {
        /// Line of the fault, from 1.
        line: usize,
        /// Column of the fault, from 1.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The JSON is a registry document with problems; every one found is listed.
    #[error("the registry document has {} problem(s):\n{}", .0.0.len(), .0)]
    Invalid(Problems),
}

impl LoadError {
    /// The problems found, empty unless this is [`LoadError::Invalid`].
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Invalid(problems) => &problems.0,
            _ => &[],
        }
    }
}

/// What kind of thing an id names, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// A party.
    Party,
    /// An agreement.
    Agreement,
    /// A governance body.
    Body,
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Entity::Party => "party",
            Entity::Agreement => "agreement",
            Entity::Body => "governance body",
        })
    }
}

/// Why a registry call was refused. A refused change leaves the registry
/// exactly as it was.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// No party, agreement or body has this id.
    #[error("unknown {entity} {id:?}")]
    Unknown {
        /// What kind of thing was looked up.
        entity: Entity,
        /// The id asked for.
        id: String,
    },
    /// A party, agreement or body with this id already exists.
    #[error("{entity} {id:?} already exists")]
    Duplicate {
        /// What kind of thing was added.
        entity: Entity,
        /// The id that is taken.
        id: String,
    },
    /// An id was not a valid slug.
    #[error(transparent)]
    Id(#[from] IdError),
    /// A date or financial year could not be read.
    #[error(transparent)]
    Date(#[from] DateError),
    /// Money could not be read or added up.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A change would leave the registry invalid; the problems say why.
    #[error("change to {target} refused:\n{problems}")]
    Invalid {
        /// The agreement, party or body the change was aimed at.
        target: String,
        /// Every rule the change would break.
        problems: Problems,
    },
    /// A change that does not make sense in the current state.
    #[error("{action} refused for {target} on {date}: {reason}")]
    Refused {
        /// What was asked: `serve notice`, `leave`, `terminate`, ...
        action: &'static str,
        /// The ids involved, such as `derbyshire-police in emscu`.
        target: String,
        /// The date the change was to take effect.
        date: NaiveDate,
        /// Why it cannot be done.
        reason: String,
    },
    /// A registry file could not be loaded or saved.
    #[error(transparent)]
    Load(#[from] LoadError),
}
