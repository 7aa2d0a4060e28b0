//! A small, fast hasher for the registry's id maps: ids are short slugs
//! that the registry itself validated, so the denial-of-service resistance
//! of the standard library's `SipHash` buys nothing here, and its cost shows
//! in every lookup. This is the multiply-rotate hash of the Firefox and rustc
//! `FxHash` family, written here rather than added as a dependency.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Folds each word of the input into the state with a rotate and a multiply.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            if let Some(head) = word.get_mut(..rest.len()) {
                head.copy_from_slice(rest);
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A set hashed with [`FxHasher`].
pub(crate) type FxSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash(text: &str) -> u64 {
        let mut h = FxHasher::default();
        text.hash(&mut h);
        h.finish()
    }

    #[test]
    fn different_ids_hash_apart_and_maps_work() {
        assert_ne!(hash("party-00001"), hash("party-00002"));
        assert_ne!(hash("a"), hash("b"));
        let mut map: FxMap<String, u32> = FxMap::default();
        for i in 0..1000 {
            map.insert(format!("party-{i:05}"), i);
        }
        assert_eq!(map.get("party-00417"), Some(&417));
        assert_eq!(map.len(), 1000);
    }
}
