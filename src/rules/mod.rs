//! The rulebook: every rule a registry keeps, written once. The loader runs
//! all of them over a document; every change runs the ones that what it
//! touches could break, on the records it would produce, before anything
//! changes. So whatever a change accepts saves to a file that loads back to
//! the same bytes, and whatever the loader refuses no change can produce.
//!
//! - [`record`]: what a record must hold on its own: non-empty names,
//!   four-digit years, dates in order, bounded counts, a lifecycle that the
//!   status table allows, memberships that do not overlap, shares that add
//!   up to 100, formulas for every day a budget is shared, unknown fields
//!   that do not shadow known ones;
//! - [`quorum`]: an agreement in force has two members on every day;
//! - [`chains`]: each amendment's `before` is what the record held when it
//!   was entered, and the record holds what the last change left;
//! - [`links`]: what records say of each other: references that exist, no
//!   cycles, asset owners and employers that are members or their
//!   commissioners, metrics that formulas need, one currency;
//! - [`normal`]: the canonical order of lists kept sorted (budgets by year,
//!   shares by party), applied before the rules are checked.

pub(crate) mod chains;
pub(crate) mod links;
pub(crate) mod normal;
pub(crate) mod quorum;
pub(crate) mod record;

use crate::model::{Currency, Party};

/// What the rules need to know of the rest of the registry.
pub(crate) trait Context {
    /// The registry's currency.
    fn currency(&self) -> Currency;
    /// The party with this id, if its record is known.
    fn party(&self, id: &str) -> Option<&Party>;
    /// Whether a party with this id exists, even one whose record could not
    /// be read (so one bad record does not make every reference to it a
    /// second problem).
    fn has_party(&self, id: &str) -> bool {
        self.party(id).is_some()
    }
    /// Whether an agreement with this id exists.
    fn has_agreement(&self, id: &str) -> bool;
    /// Whether a governance body with this id exists.
    fn has_body(&self, id: &str) -> bool;
}
