//! Indexes kept beside the graph so that hot queries never scan every
//! agreement. Each is updated whenever an agreement is added or changed.

use std::collections::HashMap;

use crate::agreement::{Agreement, Function, LegalBasis};
use crate::registry::AgreementKey;

/// The registry's secondary indexes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Indexes {
    /// Agreements covering each function, in key order.
    pub(crate) by_function: HashMap<Function, Vec<AgreementKey>>,
    /// Agreements made under each legal basis, in key order.
    pub(crate) by_legal_basis: HashMap<LegalBasis, Vec<AgreementKey>>,
    /// Agreements that record a declined invitation, in key order.
    pub(crate) with_declined: Vec<AgreementKey>,
}

/// Adds `key` to a list kept in key order, once.
fn add_sorted(list: &mut Vec<AgreementKey>, key: AgreementKey) {
    if let Err(at) = list.binary_search(&key) {
        list.insert(at, key);
    }
}

/// Removes `key` from a list kept in key order.
fn remove_sorted(list: &mut Vec<AgreementKey>, key: AgreementKey) {
    if let Ok(at) = list.binary_search(&key) {
        list.remove(at);
    }
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
        add_sorted(
            self.by_legal_basis
                .entry(agreement.legal_basis)
                .or_default(),
            key,
        );
        if !agreement.declined.is_empty() {
            add_sorted(&mut self.with_declined, key);
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
        if let Some(list) = self.by_legal_basis.get_mut(&agreement.legal_basis) {
            remove_sorted(list, key);
        }
        remove_sorted(&mut self.with_declined, key);
    }
}
