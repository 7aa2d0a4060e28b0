//! Indexes kept beside the graph so that hot queries never scan every
//! agreement. Each is updated whenever an agreement is added or changed.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::agreement::{Agreement, Function, LegalBasis};
use crate::calendar::CalendarKeys;
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
    /// The review calendar: agreements by their next review due as the
    /// schedule stands now (every review held and amendment counted), not
    /// terminated ones. See [`CalendarKeys`] for days before the last change.
    pub(crate) reviews_due: BTreeMap<NaiveDate, Vec<AgreementKey>>,
    /// Agreements by their fixed end (the first day after), not terminated ones.
    pub(crate) ends: BTreeMap<NaiveDate, Vec<AgreementKey>>,
    /// Agreements by the last day anything changed their calendar entry;
    /// questions about an earlier day work those out from their history.
    pub(crate) calendar_settled: BTreeMap<NaiveDate, Vec<AgreementKey>>,
    /// Agreements whose leaving rules set a notice period, in key order.
    pub(crate) with_notice: Vec<AgreementKey>,
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
            add_sorted(self.by_function.entry(*function).or_default(), key);
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
        let calendar = CalendarKeys::of(agreement);
        for (index, date) in [
            (&mut self.reviews_due, calendar.due),
            (&mut self.ends, calendar.end),
            (&mut self.calendar_settled, calendar.settled),
        ] {
            if let Some(date) = date {
                add_sorted(index.entry(date).or_default(), key);
            }
        }
        if calendar.notice {
            add_sorted(&mut self.with_notice, key);
        }
    }

    /// Removes `agreement`, stored at `key`, from every index.
    pub(crate) fn remove(&mut self, key: AgreementKey, agreement: &Agreement) {
        for function in &agreement.functions {
            if let Some(list) = self.by_function.get_mut(function) {
                remove_sorted(list, key);
            }
        }
        if let Some(list) = self.by_legal_basis.get_mut(&agreement.legal_basis) {
            remove_sorted(list, key);
        }
        remove_sorted(&mut self.with_declined, key);
        let calendar = CalendarKeys::of(agreement);
        for (index, date) in [
            (&mut self.reviews_due, calendar.due),
            (&mut self.ends, calendar.end),
            (&mut self.calendar_settled, calendar.settled),
        ] {
            let Some(date) = date else { continue };
            if let Some(list) = index.get_mut(&date) {
                remove_sorted(list, key);
                if list.is_empty() {
                    index.remove(&date);
                }
            }
        }
        remove_sorted(&mut self.with_notice, key);
    }
}
