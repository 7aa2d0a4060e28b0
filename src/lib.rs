//! placeholder
#![warn(missing_docs)]
mod agreement;
mod amendment;
mod changes;
mod costs;
mod dates;
mod error;
mod file;
mod governance;
mod id;
mod index;
mod membership;
mod money;
mod party;
mod provenance;
mod registry;
mod review;
mod sample;
mod validate;

pub use agreement::*;
pub use amendment::*;
pub use costs::*;
pub use dates::*;
pub use error::*;
pub use file::{Document, RegistryInfo, SCHEMA_VERSION};
pub use governance::*;
pub use id::*;
pub use membership::*;
pub use money::*;
pub use party::*;
pub use provenance::*;
pub use registry::*;
pub use review::*;
pub use sample::*;
