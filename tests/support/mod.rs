//! Helpers shared by the property tests.

pub(crate) mod history;
