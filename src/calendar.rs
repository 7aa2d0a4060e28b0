//! The review calendar: when each agreement is next reviewed, which reviews
//! are due between two days or overdue, which agreements expire, and the
//! reviews each governance body has coming.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::agreement::{Agreement, Status};
use crate::error::Error;
use crate::history::{amended_date_on, amended_value_on};
use crate::id::{AgreementId, BodyId};
use crate::query::AsOf;
use crate::registry::AgreementKey;
use crate::review::next_due;

/// The fields whose amendment changes an agreement's calendar entry.
const CALENDAR_FIELDS: [&str; 2] = ["review", "end"];

/// Where an agreement sits in the calendar indexes.
pub(crate) struct CalendarKeys {
    /// Its next review as the schedule stands now, if it has one.
    pub(crate) due: Option<NaiveDate>,
    /// Its fixed end, if it has one.
    pub(crate) end: Option<NaiveDate>,
    /// The last day anything changed its calendar entry.
    pub(crate) settled: Option<NaiveDate>,
    /// Whether its leaving rules set a notice period.
    pub(crate) notice: bool,
}

impl CalendarKeys {
    pub(crate) fn of(a: &Agreement) -> Self {
        let terminated = a.terminated_by(NaiveDate::MAX);
        let later = |d: NaiveDate, recorded: Option<NaiveDate>| recorded.map_or(d, |r| r.max(d));
        let reviews = a.review.held.iter().map(|r| later(r.date, r.recorded));
        let amendments = a
            .amendments
            .iter()
            .filter(|am| {
                am.changes.iter().any(|c| {
                    CALENDAR_FIELDS.iter().any(|f| {
                        c.field == *f || c.field.strip_prefix(f).is_some_and(|r| r.starts_with('.'))
                    })
                })
            })
            .map(|am| later(am.date, am.recorded));
        let ended = terminated.map(|c| later(c.from, c.recorded));
        let last_review = a.review.held.iter().map(|r| r.date).max();
        CalendarKeys {
            due: terminated
                .is_none()
                .then(|| {
                    next_due(
                        a.start,
                        a.review.next_due,
                        a.review.cadence_months,
                        last_review,
                    )
                })
                .flatten(),
            end: a.end.filter(|_| terminated.is_none()),
            settled: reviews.chain(amendments).chain(ended).max(),
            notice: a.leaving.notice_months.is_some_and(|m| m > 0),
        }
    }
}

/// A review due, as the calendar lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewDue<'r> {
    /// The agreement.
    pub agreement: &'r AgreementId,
    /// Its title.
    pub title: &'r str,
    /// Its status on the day asked.
    pub status: Option<Status>,
    /// The day the review is due.
    pub due: NaiveDate,
    /// The last review held by the day asked, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_review: Option<NaiveDate>,
    /// Days since it fell due, when it is overdue on the day asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_overdue: Option<i64>,
}

/// The reviews coming to one governance body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyReviews<'r> {
    /// The body, or none for agreements no body governs.
    pub body: Option<&'r BodyId>,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'r str>,
    /// Its reviews, in date order.
    pub reviews: Vec<ReviewDue<'r>>,
}

/// An agreement reaching its fixed end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiry<'r> {
    /// The agreement.
    pub agreement: &'r AgreementId,
    /// Its title.
    pub title: &'r str,
    /// Its status on the day asked.
    pub status: Option<Status>,
    /// Its last day in force.
    pub last_day: NaiveDate,
    /// The first day after it ends (its `end`).
    pub ends: NaiveDate,
    /// Days from the day asked to its last day.
    pub days_left: i64,
}

impl<'r> AsOf<'r> {
    /// The day past which an agreement's calendar entry must be worked out
    /// from its history rather than read from the index.
    fn settled_by(&self) -> NaiveDate {
        self.recorded_on()
            .map_or(self.date(), |t| t.min(self.date()))
    }

    /// Agreements whose calendar changed after [`Self::settled_by`].
    fn unsettled(&self) -> BTreeSet<AgreementKey> {
        let index = &self.registry().indexes.calendar_settled;
        match self.settled_by().succ_opt() {
            Some(after) => index
                .range(after..)
                .flat_map(|(_, keys)| keys)
                .copied()
                .collect(),
            None => BTreeSet::new(),
        }
    }

    /// The fixed end of `a` on the day, read back through amendments.
    pub(crate) fn end_of(&self, a: &Agreement) -> Option<NaiveDate> {
        amended_date_on(a, "end", a.end, self.date(), self.recorded_on())
    }

    /// The last review held by the day, as the register stood.
    fn last_review_of(&self, a: &'r Agreement) -> Option<NaiveDate> {
        a.review
            .held
            .iter()
            .filter(|r| {
                r.date <= self.date()
                    && self
                        .recorded_on()
                        .is_none_or(|t| r.recorded.unwrap_or(r.date) <= t)
            })
            .map(|r| r.date)
            .max()
    }

    /// The next review of `a` as known on the day, whatever the scope.
    fn due_of(&self, a: &'r Agreement) -> Option<NaiveDate> {
        if self.status_of(a) == Some(Status::Terminated) {
            return None;
        }
        let (date, register) = (self.date(), self.recorded_on());
        let by_hand = amended_date_on(a, "review.next_due", a.review.next_due, date, register);
        let cadence = match amended_value_on(a, "review.cadence_months", date, register) {
            None => a.review.cadence_months,
            Some(v) => v
                .as_ref()
                .and_then(Value::as_u64)
                .and_then(|m| u32::try_from(m).ok()),
        };
        next_due(a.start, by_hand, cadence, self.last_review_of(a))
    }

    /// The next review of `agreement` as known on the day (as the register
    /// stood, when set): `None` when it has no review date or cadence, or is
    /// terminated by then.
    ///
    /// An agreement's next review is the date set by hand in its
    /// [`ReviewPolicy`](crate::ReviewPolicy), while that is after the last
    /// review held; otherwise its cadence in months counted from the last review
    /// held, or from its start when none has been. Months are calendar months
    /// clamped to the month's end ([`add_months`](crate::add_months)): a 12-month cadence from
    /// 29 February 2024 gives 28 February 2025, and one month from 31 January
    /// gives the last day of February. As of a day, only the reviews held by
    /// then count, and a date or cadence an amendment changed later is read back
    /// from the amendment (see [`history`](crate::HistoryEntry)).
    ///
    ///
    /// **O(r + n)** for r reviews held and n amendment changes.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming an unknown agreement.
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
        Ok(self.due_of(self.registry().agreement(agreement)?))
    }

    /// The row for a review of `a` due on `due`, if `a` counts on the day.
    fn review_row(&self, a: &'r Agreement, due: NaiveDate) -> Option<ReviewDue<'r>> {
        if !self.counts(a) || self.end_of(a).is_some_and(|end| due >= end) {
            return None;
        }
        Some(ReviewDue {
            agreement: &a.id,
            title: &a.title,
            status: self.status_of(a),
            due,
            last_review: self.last_review_of(a),
            days_overdue: (due < self.date()).then(|| (self.date() - due).num_days()),
        })
    }

    /// Reviews due from `from` to `to` (both included) as known on the day,
    /// in date order then by id, for agreements that count on the day.
    ///
    /// Read from the review index: **O(log A + k)** for k agreements due in
    /// the range, plus those whose calendar changed after the day.
    ///
    /// # The index
    ///
    /// The registry keeps an ordered map (a `BTreeMap`) from each day to the
    /// agreements whose next review falls on it, **as the schedule stands
    /// now**: every review held and every
    /// amendment counted, terminated agreements left out. The schedule as of a
    /// day differs from that only for an agreement whose calendar changed after
    /// the day (a review held, its review policy or end amended, or it was
    /// terminated, each counted on the later of the day it took effect and the
    /// day it was entered). A second ordered map keeps agreements by that last
    /// change, so a question as of day D (as the register stood on day T) reads
    /// the first index for every agreement settled by min(D, T), and works out
    /// from its history only the few changed since. Asked about today, that is
    /// none at all, and a question costs **O(log A + k)** for k agreements in
    /// the range asked; about a past day, **O(log A + k + c)** for c agreements
    /// changed since. Fixed ends are indexed the same way.
    ///
    /// An agreement counts under the view's [`Scope`](crate::Scope) (by default,
    /// in force on the day); a terminated agreement has no review due, and a
    /// review falling on or after an agreement's end is not listed, since the
    /// agreement ends first.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{Days, NaiveDate};
    /// let registry = collab_registry::sample()?;
    /// let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let soon = registry.as_of(today).reviews_due(today, today + Days::new(90));
    /// let ids: Vec<&str> = soon.iter().map(|r| r.agreement.as_str()).collect();
    /// assert_eq!(ids, ["em-major-crime", "em-learning-development"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reviews_due(&self, from: NaiveDate, to: NaiveDate) -> Vec<ReviewDue<'r>> {
        if to < from {
            return Vec::new();
        }
        let registry = self.registry();
        let unsettled = self.unsettled();
        let mut rows: Vec<ReviewDue<'r>> = registry
            .indexes
            .reviews_due
            .range(from..=to)
            .flat_map(|(due, keys)| keys.iter().map(move |k| (*due, *k)))
            .filter(|(_, k)| !unsettled.contains(k))
            .filter_map(|(due, k)| self.review_row(registry.agreement_at(k), due))
            .collect();
        for k in unsettled {
            let a = registry.agreement_at(k);
            if let Some(due) = self.due_of(a).filter(|d| from <= *d && *d <= to) {
                rows.extend(self.review_row(a, due));
            }
        }
        rows.sort_unstable_by(|x, y| (x.due, x.agreement).cmp(&(y.due, y.agreement)));
        rows
    }

    /// Reviews overdue on the day (due before it), oldest first, each with
    /// the days it is overdue.
    ///
    /// Read from the review index, as [`AsOf::reviews_due`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let late = registry.as_of(today).overdue_reviews();
    /// let enabling = late.iter().find(|r| r.agreement.as_str() == "northamptonshire-enabling-services").unwrap();
    /// assert_eq!(enabling.days_overdue, Some(3)); // due 20 November 2026
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overdue_reviews(&self) -> Vec<ReviewDue<'r>> {
        match self.date().pred_opt() {
            Some(before) => self.reviews_due(NaiveDate::MIN, before),
            None => Vec::new(),
        }
    }

    /// Reviews due from `from` to `to` (both included), grouped by the
    /// governance body that governs each agreement: the bodies governing it
    /// directly, or failing those the nearest umbrella's. Bodies by id, then
    /// a group with no body for agreements none governs; an agreement two
    /// bodies govern appears under each.
    ///
    /// **O(log A + k · g)** for k reviews in the range and g the governance
    /// edges walked for each.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let groups = registry.as_of(day(2026, 11, 23)).reviews_by_body(day(2026, 1, 1), day(2027, 3, 31));
    /// let delivery = groups.iter().find(|g| g.body.map(|b| b.as_str()) == Some("em-operational-delivery-board")).unwrap();
    /// let ids: Vec<&str> = delivery.reviews.iter().map(|r| r.agreement.as_str()).collect();
    /// assert_eq!(ids, ["em-operational-support", "em-major-crime"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reviews_by_body(&self, from: NaiveDate, to: NaiveDate) -> Vec<BodyReviews<'r>> {
        let mut groups: BTreeMap<Option<&'r BodyId>, BodyReviews<'r>> = BTreeMap::new();
        for review in self.reviews_due(from, to) {
            let bodies = self
                .governing_bodies(review.agreement.as_str())
                .unwrap_or_default();
            let nearest = bodies.first().map(|b| b.through);
            let mut owners: Vec<(Option<&'r BodyId>, Option<&'r str>)> = bodies
                .iter()
                .filter(|b| Some(b.through) == nearest)
                .map(|b| (Some(b.body), Some(b.name)))
                .collect();
            if owners.is_empty() {
                owners.push((None, None));
            }
            for (body, name) in owners {
                groups
                    .entry(body)
                    .or_insert_with(|| BodyReviews {
                        body,
                        name,
                        reviews: Vec::new(),
                    })
                    .reviews
                    .push(review.clone());
            }
        }
        // Bodies by id, then the agreements no body governs.
        let (mut named, none): (Vec<_>, Vec<_>) =
            groups.into_values().partition(|g| g.body.is_some());
        named.extend(none);
        named
    }

    /// Agreements whose last day in force falls from `from` to `to` (both
    /// included), soonest first, for agreements that count on the day.
    ///
    /// Read from the index of fixed ends: **O(log A + k)**, plus agreements
    /// whose end was amended after the day.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::AmendmentKind;
    /// let mut registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// registry.amend("bch-strategic-alliance", day(2026, 6, 1), AmendmentKind::Variation,
    ///     "A fixed term to 31 March 2027", |a| a.end = Some(day(2027, 4, 1)))?;
    /// let ending = registry.as_of(day(2026, 11, 23)).expiring(day(2026, 11, 23), day(2027, 3, 31));
    /// assert_eq!(ending[0].last_day, day(2027, 3, 31));
    /// // Before the amendment, it had no end.
    /// assert!(registry.as_of(day(2026, 5, 1)).expiring(day(2026, 5, 1), day(2027, 3, 31)).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expiring(&self, from: NaiveDate, to: NaiveDate) -> Vec<Expiry<'r>> {
        let Some(first_end) = from.succ_opt() else {
            return Vec::new();
        };
        // Nothing ends after the last day of the calendar.
        let last_end = to.succ_opt().unwrap_or(to);
        if to < from {
            return Vec::new();
        }
        let registry = self.registry();
        let unsettled = self.unsettled();
        let row = |a: &'r Agreement, ends: NaiveDate| -> Option<Expiry<'r>> {
            let last_day = ends.pred_opt()?;
            (self.counts(a) && self.status_of(a) != Some(Status::Terminated)).then(|| Expiry {
                agreement: &a.id,
                title: &a.title,
                status: self.status_of(a),
                last_day,
                ends,
                days_left: (last_day - self.date()).num_days(),
            })
        };
        let mut rows: Vec<Expiry<'r>> = registry
            .indexes
            .ends
            .range(first_end..=last_end)
            .flat_map(|(end, keys)| keys.iter().map(move |k| (*end, *k)))
            .filter(|(_, k)| !unsettled.contains(k))
            .filter_map(|(end, k)| row(registry.agreement_at(k), end))
            .collect();
        for k in unsettled {
            let a = registry.agreement_at(k);
            if let Some(end) = self.end_of(a).filter(|e| first_end <= *e && *e <= last_end) {
                rows.extend(row(a, end));
            }
        }
        rows.sort_unstable_by(|x, y| (x.ends, x.agreement).cmp(&(y.ends, y.agreement)));
        rows
    }
}
