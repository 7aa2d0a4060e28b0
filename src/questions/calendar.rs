//! The review calendar: when each agreement is next reviewed, which reviews
//! are due between two days or overdue, and which agreements expire.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::model::{Status, Term, is_storable};
use crate::store::AgreementKey;
use crate::store::index::Due;
use crate::time::AgreementView;

use super::{AgreementRef, AsOf};

/// A review due, as the calendar lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ReviewDue<'r> {
    /// The agreement, titled as on the day asked.
    pub agreement: AgreementRef<'r>,
    /// Its status on the day asked.
    pub status: Option<Status>,
    /// The day the review is due.
    pub due: NaiveDate,
    /// The last review held by the day asked, as known, if any.
    pub last_review: Option<NaiveDate>,
    /// Days since it fell due, when it is overdue on the day asked.
    pub days_overdue: Option<i64>,
    /// Whether the day is counted from a start known only to a month or a
    /// year (from its first day).
    pub approximate: bool,
}

/// An agreement reaching its fixed end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Expiry<'r> {
    /// The agreement, titled as on the day asked.
    pub agreement: AgreementRef<'r>,
    /// Its status on the day asked.
    pub status: Option<Status>,
    /// Its last day in force.
    pub last_day: NaiveDate,
    /// The first day after it ends (its `end`, as known on the day asked).
    pub ends: NaiveDate,
    /// Days from the day asked to its last day.
    pub days_left: i64,
    /// Its fixed term as known on the day asked, if it has one: the term it
    /// can be renewed for.
    pub term: Option<&'r Term>,
    /// The end a renewal on its last day would give
    /// ([`Registry::renew`](crate::Registry::renew): the end plus the
    /// term), with the term as known on the day asked; `null` without a
    /// term.
    pub renewal_end: Option<NaiveDate>,
}

impl<'r> AsOf<'r> {
    /// The next review of `agreement` as known on the day (as the register
    /// stood, when a register day is set), whatever its status: `None` when
    /// it has no review date or cadence, or is terminated by then.
    ///
    /// One rule ([`time::next_review`](crate::time::next_review)): a date
    /// set by hand wins while it is after the last review held; otherwise
    /// the cadence in calendar months (clamped to the month's end), counted
    /// from the last review held (or the start when none has been), or on
    /// the start's anniversaries when the terms anchor it there. Only the
    /// reviews held by the day count, and the review terms are those of the
    /// day, read through the amendments.
    ///
    /// **O(r + n)** for r reviews held and n amendment changes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an
    /// agreement the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Reviewed every 12 months; last reviewed on 1 December 2025.
    /// assert_eq!(registry.as_of(day(2026, 11, 23)).next_review("em-major-crime")?, Some(day(2026, 12, 1)));
    /// // Before that review, the next was counted from the start in 2012.
    /// assert_eq!(registry.as_of(day(2025, 1, 1)).next_review("em-major-crime")?, Some(day(2013, 4, 1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_review(&self, agreement: &str) -> Result<Option<NaiveDate>, Error> {
        Ok(self.agreement(agreement)?.next_review())
    }

    /// The row for a review of `view` due on `due`, if it counts on the day
    /// and does not fall on or after its end.
    fn review_row(&self, view: &AgreementView<'r>, due: NaiveDate) -> Option<ReviewDue<'r>> {
        if !self.counts(view) || view.end().is_some_and(|end| due >= end) {
            return None;
        }
        Some(ReviewDue {
            agreement: AsOf::agreement_ref(view),
            status: view.status(),
            due,
            last_review: view.last_review(),
            days_overdue: self.days_overdue(due),
            approximate: !view.start().is_exact() && view.review_counted_from_start(),
        })
    }

    /// Whether the review of calendar entry `e`, for an agreement settled
    /// by the day, is a row: what [`AsOf::review_row`] checks, read from
    /// what the index files beside it. Settled, its status is the last in
    /// its history and its end the one filed (none once terminated, and a
    /// terminated agreement has no review due).
    fn settled_due_counts(&self, e: &Due) -> bool {
        let f = &e.filed;
        f.status != Some(Status::Terminated)
            && f.end.is_none_or(|end| e.day < end)
            && self.counts_settled(f)
    }

    /// The row for calendar entry `e` of an agreement settled by the day
    /// whose review counts ([`AsOf::settled_due_counts`]): its record is
    /// not read, only borrowed for its id, and its title is the one the
    /// index keeps.
    fn settled_review_row(&self, e: &Due) -> Option<ReviewDue<'r>> {
        let registry = self.registry();
        let record = registry.agreement_at(e.key)?;
        Some(ReviewDue {
            agreement: AgreementRef::new(record.id(), registry.index.title(e.key)),
            status: e.filed.status,
            due: e.day,
            last_review: e.filed.last_review,
            days_overdue: self.days_overdue(e.day),
            approximate: e.filed.due_approximate,
        })
    }

    /// Days since `due`, when it is before the day asked.
    fn days_overdue(&self, due: NaiveDate) -> Option<i64> {
        let day = self.date();
        (due < day).then(|| day.signed_duration_since(due).num_days())
    }

    /// [`AsOf::reviews_due`], each row with its agreement's key.
    pub(super) fn reviews_due_keyed(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<(AgreementKey, ReviewDue<'r>)> {
        if to < from {
            return Vec::new();
        }
        let index = &self.registry().index;
        let at = self.at();
        // The index holds each schedule as it now stands, whatever the
        // status; a termination is read on the day asked, from what is
        // filed beside an agreement settled by then, else from its view.
        // First the entries that may be rows, in one pass over the
        // calendar, then their rows: the second loop reads each title the
        // index keeps and does little else, so those reads overlap.
        let picked: Vec<&Due> = index
            .due_between(from, to)
            .iter()
            .filter(|e| e.filed.is_review_settled(at))
            .filter(|e| !e.filed.is_settled(at) || self.settled_due_counts(e))
            .collect();
        let mut rows: Vec<(AgreementKey, ReviewDue<'r>)> = Vec::with_capacity(picked.len());
        rows.extend(picked.into_iter().filter_map(|e| {
            if e.filed.is_settled(at) {
                return Some((e.key, self.settled_review_row(e)?));
            }
            let view = self.view(e.key)?;
            if view.status() == Some(Status::Terminated) {
                return None;
            }
            Some((e.key, self.review_row(&view, e.day)?))
        }));
        // Reviews held or terms amended since the day: the schedule of the
        // day, from the view.
        let listed = rows.len();
        for k in index.reviews_unsettled(at) {
            let Some(view) = self.view(k) else { continue };
            if let Some(due) = view.next_review().filter(|d| from <= *d && *d <= to) {
                rows.extend(self.review_row(&view, due).map(|r| (k, r)));
            }
        }
        // The index lists each day's agreements in id order, so only rows
        // worked out from the history need placing.
        if rows.len() > listed {
            rows.sort_unstable_by_key(|(k, r)| (r.due, index.id_rank(*k)));
        }
        rows
    }

    /// Reviews due from `from` to `to` (both included) as known on the day,
    /// in date order then by agreement id, for agreements that count on the
    /// day under the [`Scope`](crate::Scope). A terminated agreement has no
    /// review due, and a review falling on or after an agreement's end is
    /// not listed, since the agreement ends first.
    ///
    /// Read from the review calendar: **O(log A + k + c)** for k agreements
    /// due in the range (as the schedule now stands) and c changed after
    /// the day.
    ///
    /// # The indexes
    ///
    /// The registry keeps a calendar: every agreement with a next review
    /// **as the schedule now stands** (every review held and every
    /// amendment of the review terms counted), whatever its status, sorted
    /// by that day and then by id, each entry with a copy of what the
    /// agreement is filed under (its status, start, end, last review, the
    /// days it settled). A question reads its range in one pass, skips the
    /// entries that cannot be rows (terminated, ending first, not in force)
    /// without opening their records, and names each row from the titles
    /// the index keeps, so its rows need no sorting. It keeps another map
    /// of fixed ends. The schedule as of
    /// a day differs from that only for an agreement whose review facts
    /// changed after the day: a review held or its review terms amended,
    /// each counted on the later of the day it took effect and the day it
    /// was entered. A termination does not move the schedule, so it is read
    /// from each row's view on the day asked, and an agreement ending later
    /// keeps its place. A third map files agreements by that last review
    /// fact, so a question as of day D (as the register stood on day T)
    /// reads the index for every agreement settled by min(D, T), and works
    /// out through its view only the few changed since. Asked about today
    /// that is none at all, and a question costs **O(log A + k)** for k
    /// agreements in the range asked; about a past day, **O(log A + k + c)**
    /// for c agreements whose review facts changed since.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{Days, NaiveDate};
    /// let registry = collab_registry::sample()?;
    /// let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let soon = registry.as_of(today).reviews_due(today, today + Days::new(90));
    /// let ids: Vec<&str> = soon.iter().map(|r| r.agreement.id.as_str()).collect();
    /// assert_eq!(ids, ["em-major-crime", "em-learning-development"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn reviews_due(&self, from: NaiveDate, to: NaiveDate) -> Vec<ReviewDue<'r>> {
        self.reviews_due_keyed(from, to)
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    /// Reviews overdue on the day (due before it), oldest first, each with
    /// the days it is overdue; a review due on the day is due, not overdue.
    ///
    /// Read from the review index, as [`AsOf::reviews_due`]:
    /// **O(log A + k + c)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let late = registry.as_of(today).overdue_reviews();
    /// let enabling = late.iter().find(|r| r.agreement.id.as_str() == "northamptonshire-enabling-services").unwrap();
    /// assert_eq!(enabling.days_overdue, Some(3)); // due 20 November 2026
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn overdue_reviews(&self) -> Vec<ReviewDue<'r>> {
        match self.date().pred_opt() {
            Some(before) => self.reviews_due(NaiveDate::MIN, before),
            None => Vec::new(),
        }
    }

    /// The row for `view` ending on `ends`, if it counts on the day.
    fn expiry_row(&self, view: &AgreementView<'r>, ends: NaiveDate) -> Option<Expiry<'r>> {
        let last_day = ends.pred_opt()?;
        let status = view.status();
        let term = view.term();
        (self.counts(view) && status != Some(Status::Terminated)).then(|| Expiry {
            agreement: AsOf::agreement_ref(view),
            status,
            last_day,
            ends,
            days_left: last_day.signed_duration_since(self.date()).num_days(),
            term,
            renewal_end: term
                .and_then(|t| t.end_from(ends))
                .filter(|next| is_storable(*next)),
        })
    }

    /// Agreements whose last day in force falls from `from` to `to` (both
    /// included), soonest first then by agreement id, for agreements that
    /// count on the day. The end is the one known on the day asked, read
    /// through the amendments, the same end that decides whether the
    /// agreement is in force. Each row says whether the agreement has a
    /// fixed term it can be renewed for, and the end a renewal would give.
    ///
    /// Read from the index of fixed ends, as [`AsOf::reviews_due`] reads
    /// the review index: **O(log A + k + c)** for k agreements ending in the
    /// range and c changed after the day.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::AmendmentKind;
    /// let mut registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// registry.amend("bch-strategic-alliance", day(2026, 6, 1), AmendmentKind::Variation,
    ///     "A fixed term to 31 March 2027", |t| t.set_end(Some(day(2027, 4, 1))))?;
    /// let ending = registry.as_of(day(2026, 11, 23)).expiring(day(2026, 11, 23), day(2027, 3, 31));
    /// assert_eq!(ending[0].last_day, day(2027, 3, 31));
    /// assert_eq!(ending[0].renewal_end, None); // no fixed term to renew for
    /// // Before the amendment took effect, it had no end.
    /// assert!(registry.as_of(day(2026, 5, 1)).expiring(day(2026, 5, 1), day(2027, 3, 31)).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn expiring(&self, from: NaiveDate, to: NaiveDate) -> Vec<Expiry<'r>> {
        if to < from {
            return Vec::new();
        }
        let Some(first_end) = from.succ_opt() else {
            return Vec::new();
        };
        // Nothing ends after the last day of the calendar.
        let last_end = to.succ_opt().unwrap_or(to);
        let index = &self.registry().index;
        let unsettled = index.unsettled(self.at());
        let mut rows: Vec<Expiry<'r>> = index
            .ends
            .range(first_end..=last_end)
            .flat_map(|(end, keys)| keys.iter().map(move |k| (*end, *k)))
            .filter(|(_, k)| unsettled.binary_search(k).is_err())
            .filter_map(|(end, k)| self.expiry_row(&self.view(k)?, end))
            .collect();
        for k in unsettled {
            let Some(view) = self.view(k) else { continue };
            if let Some(end) = view.end().filter(|e| first_end <= *e && *e <= last_end) {
                rows.extend(self.expiry_row(&view, end));
            }
        }
        rows.sort_unstable_by(|x, y| (x.ends, x.agreement.id).cmp(&(y.ends, y.agreement.id)));
        rows
    }
}

#[cfg(all(test, feature = "sample"))]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "test days are small offsets, far from overflow"
)]
mod tests {
    use chrono::{Days, NaiveDate};
    use proptest::prelude::*;

    use crate::model::{AmendmentKind, Review, Status};
    use crate::time::{At, When};
    use crate::{AsOf, Registry, Scope};

    fn day(offset: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2012, 1, 1)
            .and_then(|d| d.checked_add_days(Days::new(u64::from(offset))))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The answer without the index: every agreement's schedule worked out
    /// from its history, in the order the calendar gives.
    fn scanned(on: &AsOf<'_>, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, String)> {
        let mut rows: Vec<(NaiveDate, String)> = on
            .registry()
            .agreements()
            .iter()
            .map(|a| crate::time::AgreementView::new(a, on.at()))
            .filter_map(|v| {
                let due = v.next_review().filter(|d| from <= *d && *d <= to)?;
                on.review_row(&v, due)
                    .map(|r| (r.due, r.agreement.id.as_str().to_owned()))
            })
            .collect();
        rows.sort();
        rows
    }

    /// One change to the review schedule: a review held, the cadence
    /// amended, or a status change, each dated and entered on random days.
    fn change(registry: &mut Registry, what: u8, at: usize, on: u32, late: u32) {
        let ids: Vec<String> = registry
            .agreements()
            .iter()
            .map(|a| a.id().as_str().to_owned())
            .collect();
        let Some(id) = ids.get(at % ids.len().max(1)) else {
            return;
        };
        let when = When::on(day(on)).entered(day(on + late));
        // A change the rules refuse leaves the registry as it was.
        let _ = match what % 4 {
            0 => {
                let mut review = Review::new(day(on));
                review.recorded = Some(day(on + late));
                registry.record_review(id, review)
            }
            1 => registry
                .amend(id, when, AmendmentKind::Variation, "Cadence", |t| {
                    t.review_mut().cadence_months = Some(6 + u32::from(what % 5) * 6);
                })
                .map(|_| ()),
            2 => registry
                .amend(id, when, AmendmentKind::Variation, "Date by hand", |t| {
                    t.review_mut().next_due = Some(day(on + 200));
                })
                .map(|_| ()),
            _ => registry.set_status(id, Status::Terminated, when, None),
        };
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The indexed reviews due, and overdue, equal a pass over every
        /// agreement's view, on any day and as the register stood on any day.
        #[test]
        fn indexed_reviews_equal_a_scan(
            changes in prop::collection::vec((any::<u8>(), any::<usize>(), 0u32..6000, 0u32..400), 0..24),
            asks in prop::collection::vec((0u32..6500, prop::option::of(0u32..6500), 0u32..6000, 0u32..900, any::<bool>()), 1..8),
        ) {
            let mut registry = crate::sample().map_err(|e| TestCaseError::fail(e.to_string()))?;
            for (what, at, on, late) in changes {
                change(&mut registry, what, at, on, late);
            }
            for (asked, recorded, from, length, any_status) in asks {
                let mut at = At::on(day(asked));
                if let Some(r) = recorded {
                    at = at.as_recorded_on(day(r));
                }
                let scope = if any_status { Scope::AnyStatus } else { Scope::InForce };
                let on = registry.at(at).scope(scope);
                let (from, to) = (day(from), day(from + length));
                let indexed: Vec<(NaiveDate, String)> = on
                    .reviews_due(from, to)
                    .iter()
                    .map(|r| (r.due, r.agreement.id.as_str().to_owned()))
                    .collect();
                prop_assert_eq!(indexed, scanned(&on, from, to));
                let late: Vec<(NaiveDate, String)> = on
                    .overdue_reviews()
                    .iter()
                    .map(|r| (r.due, r.agreement.id.as_str().to_owned()))
                    .collect();
                let before = on.date().pred_opt().unwrap_or(NaiveDate::MIN);
                prop_assert_eq!(late, scanned(&on, NaiveDate::MIN, before));
            }
        }
    }
}
