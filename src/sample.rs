//! The embedded sample registry, built from the public documents the crate
//! was conceived from (see `data/README.md`).

use crate::error::LoadError;
use crate::registry::Registry;

/// The sample registry as JSON text, exactly as shipped in
/// `data/sample-registry.json`.
pub const SAMPLE_JSON: &str = include_str!("../data/sample-registry.json");

/// The sample registry: the five East Midlands forces and their
/// commissioners, the regional collaboration programme, the 2015
/// Northamptonshire, Leicestershire and Nottinghamshire alliance, the
/// Bedfordshire, Cambridgeshire and Hertfordshire alliance, Northamptonshire
/// police and fire enabling services, the national bodies named, and the
/// governance bodies of the 2013 East Midlands paper. Values the sources do
/// not give are marked illustrative in the data.
///
/// # Errors
///
/// None in practice: the crate's tests load it. The `Result` keeps the
/// library free of panics.
///
/// # Example
///
/// ```
/// let registry = collab_registry::sample()?;
/// assert!(registry.party("northamptonshire-police").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sample() -> Result<Registry, LoadError> {
    Registry::from_json_str(SAMPLE_JSON)
}
