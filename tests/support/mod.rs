//! Helpers shared by the property tests.

pub mod history;
