//! Every question asked of every registry that loads from the fuzzer's
//! bytes, or of the sample after the fuzzer's changes, on days the fuzzer
//! picks. Run with `-timeout=1` so a question that runs long is a failure.
#![no_main]

use collab_registry_fuzz::{Op, ask_everything, day};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Vec<Op>, Vec<u16>, Vec<u8>)| {
    let (ops, days, bytes) = input;
    let days: Vec<_> = days.iter().take(3).map(|d| day(*d)).collect();
    if let Ok(registry) = collab_registry::Registry::from_slice(&bytes) {
        ask_everything(&registry, &days, 8);
    }
    let Ok(mut registry) = collab_registry::sample() else {
        return;
    };
    for op in ops.iter().take(8) {
        op.apply(&mut registry);
    }
    ask_everything(&registry, &days, 30);
});
