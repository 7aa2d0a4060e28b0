//! Provenance and unknown fields: what every record carries besides its facts.

use serde::Serialize;

/// Fields of a record that this version of the crate does not know. They are
/// kept on load and written back on save, so a round trip loses nothing.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Where a record's facts come from, and which of its values are illustrative
/// (needed by the model but not stated by any source).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Provenance {
    /// The source of the facts, such as a document and its date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The fields whose values are illustrative, such as `start` or `costs.budgets`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub illustrative: Vec<String>,
}

impl Provenance {
    /// Whether `field` is marked illustrative.
    pub fn is_illustrative(&self, field: &str) -> bool {
        self.illustrative.iter().any(|f| f == field)
    }
}
