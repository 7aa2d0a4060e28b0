//! Provenance: where a record's facts come from, and which are illustrative.

use serde::Serialize;

/// Where a record's facts come from, and which of its values are illustrative
/// (needed by the model but not stated by any source).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct Provenance {
    /// The source of the facts, such as a document and its date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The fields whose values are illustrative, such as `start` or `costs`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub illustrative: Vec<String>,
}

impl Provenance {
    /// Facts from `source`.
    #[must_use]
    pub fn from_source(source: impl Into<String>) -> Self {
        Provenance {
            source: Some(source.into()),
            illustrative: Vec::new(),
        }
    }

    /// The same, with `field` marked illustrative.
    #[must_use]
    pub fn illustrative(mut self, field: impl Into<String>) -> Self {
        self.illustrative.push(field.into());
        self
    }

    /// Whether `field` is marked illustrative.
    #[must_use]
    pub fn is_illustrative(&self, field: &str) -> bool {
        self.illustrative.iter().any(|f| f == field)
    }

    /// Whether nothing is recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.source.is_none() && self.illustrative.is_empty()
    }
}
