//! Parts of a record that most records leave empty, held out of line.
//!
//! Most agreements record no costs at all, yet the cost arrangement is
//! some 300 bytes of empty lists and absent values. Held inline in every
//! record, that is most of a registry's memory; held here it costs one
//! pointer until something is written to it.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::Serialize;

/// A value with an empty form, shared by every record that leaves it empty.
pub(crate) trait Empty: Default + PartialEq + 'static {
    /// The empty value.
    fn empty() -> &'static Self;
}

/// A part of a record that is usually empty: nothing allocated while it
/// is, read as the empty value, and allocated on the first write. Two are
/// equal when their values are, allocated or not.
#[derive(Clone, Default)]
pub(crate) struct OutOfLine<T>(Option<Box<T>>);

impl<T: Empty> OutOfLine<T> {
    /// Holds `value`, allocating only when it is not empty.
    pub(crate) fn new(value: T) -> Self {
        if value == *T::empty() {
            OutOfLine(None)
        } else {
            OutOfLine(Some(Box::new(value)))
        }
    }

    /// Frees the value when it is empty again, so a record that no longer
    /// states any costs holds none.
    pub(crate) fn shrink(&mut self) {
        if self.0.as_deref().is_some_and(|v| v == T::empty()) {
            self.0 = None;
        }
    }

    /// The value to change in place, when there is one: `None` while it
    /// is empty, so a pass over every record does not allocate.
    pub(crate) fn get_mut(&mut self) -> Option<&mut T> {
        self.0.as_deref_mut()
    }
}

impl<T: Empty> Deref for OutOfLine<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or_else(|| T::empty())
    }
}

impl<T: Empty> DerefMut for OutOfLine<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Empty> PartialEq for OutOfLine<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Empty + Eq> Eq for OutOfLine<T> {}

impl<T: Empty + fmt::Debug> fmt::Debug for OutOfLine<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Empty + Serialize> Serialize for OutOfLine<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::OutOfLine;
    use crate::model::{CostArrangement, Money};

    #[test]
    fn empty_allocates_nothing_and_reads_as_empty() {
        let mut rare: OutOfLine<CostArrangement> = OutOfLine::new(CostArrangement::default());
        assert!(rare.0.is_none());
        assert!(rare.get_mut().is_none());
        assert_eq!(*rare, CostArrangement::default());
        // Written, it is allocated, and equal to the same value held inline.
        rare.baseline = Some(Money::from_minor(100, crate::model::Currency::GBP));
        assert!(rare.0.is_some());
        let costs = CostArrangement {
            baseline: Some(Money::from_minor(100, crate::model::Currency::GBP)),
            ..CostArrangement::default()
        };
        assert_eq!(rare, OutOfLine::new(costs));
        // Emptied again, it equals the empty one that never allocated, and
        // shrinking frees it.
        rare.baseline = None;
        assert_eq!(rare, OutOfLine::default());
        assert!(rare.0.is_some());
        rare.shrink();
        assert!(rare.0.is_none());
    }
}
