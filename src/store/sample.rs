//! The sample registry, drawn from public documents on East Midlands and
//! Eastern region police collaboration; every value no source states is
//! marked illustrative in the data.

use super::Registry;
use crate::error::Error;

/// The sample registry file's text (`data/sample-registry.json`), in the
/// crate's canonical form.
pub const SAMPLE_JSON: &str = include_str!("../../data/sample-registry.json");

/// The sample registry, loaded.
///
/// # Errors
///
/// Never in practice: a test checks that the sample loads. The `Result` is
/// kept so the call reads like any other load.
///
/// ```
/// let registry = collab_registry::sample()?;
/// assert!(registry.agreement("em-major-crime").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sample() -> Result<Registry, Error> {
    Registry::from_json_str(SAMPLE_JSON)
}
