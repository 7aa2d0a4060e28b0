//! Sequences of changes to the sample, every change the library offers
//! with arguments partly invalid: after every step a refused change has
//! left the saved bytes identical, and an accepted one saves a file that
//! loads back to the same bytes.
#![no_main]

use collab_registry_fuzz::{Op, assert_round_trip};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|ops: Vec<Op>| {
    let Ok(mut registry) = collab_registry::sample() else {
        return;
    };
    for op in ops.iter().take(24) {
        let before = registry.to_json_string();
        if op.apply(&mut registry) {
            assert_round_trip(&registry);
        } else {
            assert_eq!(
                registry.to_json_string(),
                before,
                "a refused change changed the registry: {op:?}"
            );
        }
    }
});
