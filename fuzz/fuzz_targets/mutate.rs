//! Structure-aware mutation of a valid registry: the sample, edited at
//! nodes the fuzzer picks (values replaced with the kinds that break
//! readers, records removed, repeated, copied, keys added), then loaded.
//! What loads must save to a file that loads back to the same bytes, and
//! answer every question.
#![no_main]

use collab_registry_fuzz::{Mutation, ask_everything, assert_round_trip, day};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Vec<Mutation>, u16)| {
    let (mutations, on) = input;
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(collab_registry::SAMPLE_JSON)
    else {
        return;
    };
    for m in mutations.iter().take(16) {
        m.apply(&mut doc);
    }
    let text = doc.to_string();
    if let Ok(registry) = collab_registry::Registry::from_json_str(&text) {
        assert_round_trip(&registry);
        ask_everything(&registry, &[day(on)], 6);
    }
});
