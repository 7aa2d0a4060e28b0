//! One error type, [`Error`], for everything the crate can refuse: a file
//! that is not JSON or breaks the format's rules, an unknown id, a change
//! that does not make sense, a cost question that lacks an input, a save
//! that fails. It is one boxed pointer, so `Result<T, Error>` stays small;
//! [`Error::kind`] says which cause it is, without reading the message.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::model::{
    AmountError, DateError, FieldError, FractionError, IdError, KeywordError, MoneyError,
};
use crate::problem::{Problem, Problems};

/// Why a call was refused, for a program to branch on. New causes may be
/// added, so a `match` needs a catch-all arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read or written; [`Error::path`] names it.
    Io,
    /// The text is not JSON (or not UTF-8, or too deeply nested);
    /// [`Error::problems`] holds one problem with its path, line and column.
    Syntax,
    /// A document, a record or a change breaks the rules;
    /// [`Error::problems`] lists every problem, each with its path and code.
    Invalid,
    /// No party, agreement or body has this id (or none did on the register
    /// day asked).
    UnknownId,
    /// A party, agreement or body with this id already exists.
    DuplicateId,
    /// An id is not a valid slug.
    InvalidId,
    /// A date, month, year or financial year cannot be read or held.
    InvalidDate,
    /// An amount, percentage, quantity, fraction or name cannot be read.
    InvalidValue,
    /// A sum of money overflows, or mixes currencies.
    Money,
    /// The party is not a member of the agreement on the day.
    NotAMember,
    /// The member has already served notice.
    NoticeAlreadyServed,
    /// The member is already due to leave.
    AlreadyLeaving,
    /// The last day to serve notice has passed; the message gives it and
    /// the earliest day the member can now be out.
    DeadlinePassed,
    /// The change of status is not one the lifecycle allows from the status
    /// of the day ([`Status::next_statuses`](crate::model::Status::next_statuses)).
    Lifecycle,
    /// The agreement is terminated, or has reached its fixed end, by then.
    Ended,
    /// The day is outside what the record allows: before the agreement
    /// starts, say.
    OutOfPeriod,
    /// A cost question lacks an input: no budget for the year, no formula in
    /// force, no member taking part, a member without the share, metric or
    /// usage the formula needs, or weights that add up to zero.
    MissingCostInput,
    /// A question's argument names nothing there is: a region or sector no
    /// party is in, no parties at all.
    NothingToAsk,
}

impl ErrorKind {
    /// Every kind, in the order declared.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Io,
        ErrorKind::Syntax,
        ErrorKind::Invalid,
        ErrorKind::UnknownId,
        ErrorKind::DuplicateId,
        ErrorKind::InvalidId,
        ErrorKind::InvalidDate,
        ErrorKind::InvalidValue,
        ErrorKind::Money,
        ErrorKind::NotAMember,
        ErrorKind::NoticeAlreadyServed,
        ErrorKind::AlreadyLeaving,
        ErrorKind::DeadlinePassed,
        ErrorKind::Lifecycle,
        ErrorKind::Ended,
        ErrorKind::OutOfPeriod,
        ErrorKind::MissingCostInput,
        ErrorKind::NothingToAsk,
    ];

    /// A stable code for the kind, in kebab case (`unknown-id`), for
    /// programs that read errors as text or JSON.
    ///
    /// ```
    /// assert_eq!(collab_registry::ErrorKind::DeadlinePassed.code(), "deadline-passed");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Syntax => "syntax",
            ErrorKind::Invalid => "invalid",
            ErrorKind::UnknownId => "unknown-id",
            ErrorKind::DuplicateId => "duplicate-id",
            ErrorKind::InvalidId => "invalid-id",
            ErrorKind::InvalidDate => "invalid-date",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::Money => "money",
            ErrorKind::NotAMember => "not-a-member",
            ErrorKind::NoticeAlreadyServed => "notice-already-served",
            ErrorKind::AlreadyLeaving => "already-leaving",
            ErrorKind::DeadlinePassed => "deadline-passed",
            ErrorKind::Lifecycle => "lifecycle",
            ErrorKind::Ended => "ended",
            ErrorKind::OutOfPeriod => "out-of-period",
            ErrorKind::MissingCostInput => "missing-cost-input",
            ErrorKind::NothingToAsk => "nothing-to-ask",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// The ids a refusal concerns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Ids {
    party: Option<Box<str>>,
    agreement: Option<Box<str>>,
    body: Option<Box<str>>,
}

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    message: String,
    ids: Ids,
    date: Option<NaiveDate>,
    problems: Vec<Problem>,
    path: Option<PathBuf>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// Why a call was refused. A refused change leaves the registry exactly as
/// it was.
///
/// The message says what was asked and what was found, naming the ids and
/// dates involved; [`Error::kind`] says which cause it is; the ids, the date
/// and, for a document or a change that breaks the rules, every
/// [`Problem`] with its path and [code](crate::ProblemCode) are there to read.
///
/// ```
/// use collab_registry::{ErrorKind, ProblemCode, Registry};
/// let err = Registry::from_json_str(r#"{"schema_version": 2, "parties": [{"id": "x", "name": "X", "kind": "nonsense"}]}"#).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Invalid);
/// assert_eq!(err.problems()[0].path(), "parties[0].kind");
/// assert_eq!(err.problems()[0].code(), ProblemCode::UnknownKeyword);
/// assert_eq!(std::mem::size_of::<collab_registry::Error>(), std::mem::size_of::<usize>());
/// ```
pub struct Error(Box<Inner>);

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            ids: Ids::default(),
            date: None,
            problems: Vec::new(),
            path: None,
            source: None,
        }))
    }

    /// A refusal of `action` on `date`, for `reason`.
    pub(crate) fn refused(
        kind: ErrorKind,
        action: &str,
        target: &str,
        date: NaiveDate,
        reason: impl fmt::Display,
    ) -> Self {
        Error::new(
            kind,
            format!("{action} refused for {target} on {date}: {reason}"),
        )
        .on(date)
    }

    pub(crate) fn unknown(what: &str, id: &str) -> Self {
        let shown: String = id.chars().take(120).collect();
        Error::new(ErrorKind::UnknownId, format!("unknown {what} {shown:?}"))
    }

    pub(crate) fn unknown_party(id: &str) -> Self {
        Error::unknown("party", id).party(id)
    }

    pub(crate) fn unknown_agreement(id: &str) -> Self {
        Error::unknown("agreement", id).agreement(id)
    }

    pub(crate) fn unknown_body(id: &str) -> Self {
        Error::unknown("governance body", id).body(id)
    }

    pub(crate) fn duplicate(what: &str, id: &str) -> Self {
        Error::new(
            ErrorKind::DuplicateId,
            format!("{what} {id:?} already exists"),
        )
    }

    /// A change or document that breaks the rules, with every problem.
    pub(crate) fn invalid(target: &str, problems: Vec<Problem>) -> Self {
        let mut message = format!("{target} breaks {} rule(s):", problems.len());
        for p in &problems {
            message.push_str("\n  ");
            message.push_str(&p.to_string());
        }
        let mut e = Error::new(ErrorKind::Invalid, message);
        e.0.problems = problems;
        e
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        let mut e = Error::new(
            ErrorKind::Io,
            format!("cannot access {}: {source}", path.display()),
        );
        e.0.path = Some(path.to_path_buf());
        e.0.source = Some(Box::new(source));
        e
    }

    pub(crate) fn syntax(problem: Problem) -> Self {
        let mut e = Error::new(ErrorKind::Syntax, format!("not a registry file: {problem}"));
        e.0.problems = vec![problem];
        e
    }

    pub(crate) fn party(mut self, id: impl AsRef<str>) -> Self {
        self.0.ids.party = Some(id.as_ref().into());
        self
    }

    pub(crate) fn agreement(mut self, id: impl AsRef<str>) -> Self {
        self.0.ids.agreement = Some(id.as_ref().into());
        self
    }

    pub(crate) fn body(mut self, id: impl AsRef<str>) -> Self {
        self.0.ids.body = Some(id.as_ref().into());
        self
    }

    pub(crate) fn on(mut self, date: NaiveDate) -> Self {
        self.0.date = Some(date);
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    pub(crate) fn at_path(mut self, path: &Path) -> Self {
        self.0.path = Some(path.to_path_buf());
        self
    }

    /// Which cause it is.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The party it concerns, if one.
    #[must_use]
    pub fn party_id(&self) -> Option<&str> {
        self.0.ids.party.as_deref()
    }

    /// The agreement it concerns, if one.
    #[must_use]
    pub fn agreement_id(&self) -> Option<&str> {
        self.0.ids.agreement.as_deref()
    }

    /// The governance body it concerns, if one.
    #[must_use]
    pub fn body_id(&self) -> Option<&str> {
        self.0.ids.body.as_deref()
    }

    /// The day the refused change was to take effect, or the day asked.
    #[must_use]
    pub fn date(&self) -> Option<NaiveDate> {
        self.0.date
    }

    /// The problems found, each with its path and code: every one for a
    /// document or change that breaks the rules ([`ErrorKind::Invalid`]),
    /// one for text that is not JSON ([`ErrorKind::Syntax`]), else none.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.0.problems
    }

    /// The file, for an error reading or writing one.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.0.path.as_deref()
    }

    /// Whether a file could not be read or written.
    #[must_use]
    pub fn is_io(&self) -> bool {
        self.0.kind == ErrorKind::Io
    }

    /// Whether the text was not JSON.
    #[must_use]
    pub fn is_syntax(&self) -> bool {
        self.0.kind == ErrorKind::Syntax
    }

    /// Whether a document or change broke the rules.
    #[must_use]
    pub fn is_invalid(&self) -> bool {
        self.0.kind == ErrorKind::Invalid
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

macro_rules! from_value_error {
    ($ty:ty, $kind:expr) => {
        impl From<$ty> for Error {
            fn from(e: $ty) -> Self {
                Error::new($kind, e.to_string()).with_source(e)
            }
        }
    };
}

from_value_error!(IdError, ErrorKind::InvalidId);
from_value_error!(DateError, ErrorKind::InvalidDate);
from_value_error!(AmountError, ErrorKind::InvalidValue);
from_value_error!(KeywordError, ErrorKind::InvalidValue);
from_value_error!(FractionError, ErrorKind::InvalidValue);
from_value_error!(FieldError, ErrorKind::InvalidValue);

impl From<MoneyError> for Error {
    fn from(e: MoneyError) -> Self {
        let kind = match e {
            MoneyError::Amount(_) | MoneyError::BadCurrency(_) => ErrorKind::InvalidValue,
            _ => ErrorKind::Money,
        };
        Error::new(kind, e.to_string()).with_source(e)
    }
}

impl Problems {
    /// Nothing when no problem was found, else the refusal of `target`
    /// with every problem.
    pub(crate) fn into_result(self, target: impl AsRef<str>) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(target.as_ref(), self.0))
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_one_pointer() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert_eq!(
            std::mem::size_of::<std::result::Result<(), Error>>(),
            std::mem::size_of::<usize>()
        );
    }
}
