//! # collab-registry
//!
//! (crate map written below once the layers settle)
#![warn(missing_docs)]

pub mod costs;
pub mod error;
pub mod format;
pub mod model;
mod problem;
pub mod questions;
pub mod report;
mod rules;
mod store;
pub mod time;

pub use error::{Error, ErrorKind, Result};
pub use format::{RegistryInfo, SCHEMA_VERSION};
pub use problem::{Problem, ProblemCode};
pub use questions::{AsOf, Scope};
pub use store::{AgreementKey, BodyKey, Change, Link, Node, PartyKey, Registry};
#[cfg(feature = "sample")]
pub use store::{SAMPLE_JSON, sample};
