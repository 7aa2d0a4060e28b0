//! One problem found in a registry document or a change: where it is, a
//! stable code a program can branch on, and what is wrong in words.

use std::fmt;

use serde::Serialize;

macro_rules! codes {
    ($($variant:ident => $code:literal, $doc:literal;)*) => {
        /// What kind of problem it is. Each has a stable code, written in
        /// kebab case (`unknown-reference`), that a program can match on
        /// instead of the message.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ProblemCode {
            $(#[doc = $doc] $variant,)*
        }

        impl ProblemCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)*];

            /// The stable code, such as `"unknown-reference"`.
            #[must_use]
            pub const fn as_str(&self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $code,)*
                }
            }
        }
    };
}

codes! {
    Syntax => "syntax", "The text is not JSON (or is not UTF-8, or starts with a byte order mark).";
    TooLarge => "too-large", "The input, or a count in it, is beyond the bounds the crate accepts.";
    SchemaVersion => "schema-version", "The schema version is missing or not one this crate reads.";
    Required => "required", "A required field is missing.";
    WrongType => "wrong-type", "A value has the wrong JSON type.";
    Empty => "empty", "A text that may not be empty is empty.";
    DuplicateKey => "duplicate-key", "One JSON object holds a key twice.";
    ShadowedKey => "shadowed-key", "An unknown field reuses the name of a known one.";
    InvalidId => "invalid-id", "An id is not a valid slug.";
    InvalidDate => "invalid-date", "A date cannot be read, or falls outside years 0000 to 9999.";
    InvalidFinancialYear => "invalid-financial-year", "A financial year cannot be read.";
    InvalidAmount => "invalid-amount", "An amount, percentage or quantity cannot be read.";
    InvalidCurrency => "invalid-currency", "A currency is not a three-letter code, or not the registry's.";
    UnknownKeyword => "unknown-keyword", "A kind, status, role, function or rule name is not one the crate knows.";
    InvalidPath => "invalid-path", "An amendment, or an illustrative list, names a field that does not exist.";
    DuplicateId => "duplicate-id", "Two records share an id.";
    Duplicate => "duplicate", "A fact is given twice (a budget for one year, a metric, a share).";
    UnknownReference => "unknown-reference", "A reference names a party, agreement or body that does not exist.";
    Cycle => "cycle", "Links go round in a circle (part of, reports to).";
    DateOrder => "date-order", "Dates are in an impossible order (an end before its start).";
    OverlappingMembership => "overlapping-membership", "A party holds two memberships of one agreement at once.";
    TooFewMembers => "too-few-members", "An agreement in force has fewer than two members.";
    Lifecycle => "lifecycle", "A status change the lifecycle does not allow.";
    SharesTotal => "shares-total", "Percentages or weights do not add up to exactly 100.";
    MissingShare => "missing-share", "A member sharing costs has no fixed share.";
    MissingMetric => "missing-metric", "A member sharing costs lacks the metric its formula needs.";
    NotAMember => "not-a-member", "A share, usage or responsibility names a party that is not a member.";
    Negative => "negative", "An amount that may not be negative is.";
    OutOfRange => "out-of-range", "A number is outside what the field allows.";
    AmendmentMismatch => "amendment-mismatch", "An amendment's before or after does not match the record.";
    Publication => "publication", "A withheld agreement gives no reason.";
    Currency => "currency", "Money is in a currency other than the registry's.";
    SelfReference => "self-reference", "A record names itself where it must name another: a member charging itself.";
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem found in a registry document or a change, with where it is.
///
/// The path names the place in the document, as a file would be read:
/// `agreements[3].members[1].party`, or `$` for the document itself. For a
/// refused change it names the place the change would have written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Problem {
    path: String,
    code: ProblemCode,
    message: String,
}

impl Problem {
    /// A problem at `path`.
    #[must_use]
    pub fn new(path: impl Into<String>, code: ProblemCode, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            code,
            message: message.into(),
        }
    }

    /// Where in the document: `agreements[3].members[1].party`.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What kind of problem it is.
    #[must_use]
    pub fn code(&self) -> ProblemCode {
        self.code
    }

    /// What is wrong there, in words.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Problems found while checking, with the path of each written out only
/// when a problem is found, so a clean check builds no strings.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub(crate) Vec<Problem>);

impl Problems {
    pub(crate) fn add(
        &mut self,
        path: impl Into<String>,
        code: ProblemCode,
        message: impl Into<String>,
    ) {
        self.0.push(Problem::new(path, code, message));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ProblemCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{text}"
            );
        }
    }
}

/// Where a value sits in a document: a chain of borrowed steps, written out
/// only when a problem is reported, so a clean check builds no paths.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'p> {
    /// The document itself, written `$`.
    Root,
    /// A path given as text, such as `agreement` for a record being built.
    Named(&'p str),
    /// A field of an object.
    Key(&'p Path<'p>, &'p str),
    /// An element of an array.
    Index(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    /// The field `key` of this.
    pub(crate) fn key(&'p self, key: &'p str) -> Path<'p> {
        Path::Key(self, key)
    }

    /// The element `index` of this.
    pub(crate) fn index(&'p self, index: usize) -> Path<'p> {
        Path::Index(self, index)
    }

    fn write_to(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Named(text) => out.push_str(text),
            Path::Key(parent, key) => {
                parent.write_to(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write_to(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }

    /// The path as problems name it (`agreements[3].members[1].party`), with
    /// `$` for the document itself.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        if out.is_empty() {
            out.push('$');
        }
        out
    }
}

impl Problems {
    /// Adds a problem at `path`.
    pub(crate) fn at(&mut self, path: &Path<'_>, code: ProblemCode, message: impl Into<String>) {
        self.add(path.render(), code, message);
    }
}
