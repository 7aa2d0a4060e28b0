//! Arbitrary bytes loaded as a registry: a clear error or a registry that
//! saves to a file that loads back to the same bytes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(registry) = collab_registry::Registry::from_slice(data) {
        collab_registry_fuzz::assert_round_trip(&registry);
    }
});
