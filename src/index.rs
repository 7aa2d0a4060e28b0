//! Indexes kept beside the graph so that hot queries never scan every
//! agreement. Each is updated whenever an agreement is added or changed.

use std::collections::HashMap;

use crate::agreement::{Agreement, Function};
use crate::registry::AgreementKey;

/// The registry's secondary indexes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Indexes {
    /// Agreements covering each function, in key order.
    pub(crate) by_function: HashMap<Function, Vec<AgreementKey>>,
}

impl Indexes {
    /// Adds `agreement`, stored at `key`, to every index.
    pub(crate) fn insert(&mut self, key: AgreementKey, agreement: &Agreement) {
        for function in &agreement.functions {
            let list = self.by_function.entry(*function).or_default();
            if let Err(at) = list.binary_search(&key) {
                list.insert(at, key);
            }
        }
    }

    /// Removes `agreement`, stored at `key`, from every index.
    pub(crate) fn remove(&mut self, key: AgreementKey, agreement: &Agreement) {
        for function in &agreement.functions {
            if let Some(list) = self.by_function.get_mut(function) {
                if let Ok(at) = list.binary_search(&key) {
                    list.remove(at);
                }
            }
        }
    }
}
