//! The rule for the next review: one function, used by the review index,
//! every review question and the calendar feed alike.

use chrono::{Datelike, NaiveDate};

use crate::model::{MAX_MONTHS, ReviewAnchor, ReviewTerms, add_months};

/// The next review due under `terms`, for an agreement that started on
/// `start` whose last review held (as known) was `last_review`:
///
/// - a date set by hand wins while it is after the last review held (or
///   while none has been held);
/// - else the cadence, in calendar months clamped to the month's end
///   (29 February plus twelve months is 28 February): counted from the
///   last review held, or from the start when none has been
///   ([`ReviewAnchor::LastReview`]); or on the start's anniversaries, the
///   first after the last review held ([`ReviewAnchor::Start`]);
/// - `None` with neither a date nor a cadence.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::{ReviewAnchor, ReviewTerms};
/// use collab_registry::time::next_review;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut yearly = ReviewTerms::every(12);
/// // Held late, in June: the next is counted from June...
/// assert_eq!(next_review(d(2020, 4, 1), &yearly, Some(d(2021, 6, 10))), Some(d(2022, 6, 10)));
/// // ...unless the cadence is anchored on the start's anniversaries.
/// yearly.anchor = ReviewAnchor::Start;
/// assert_eq!(next_review(d(2020, 4, 1), &yearly, Some(d(2021, 6, 10))), Some(d(2022, 4, 1)));
/// assert_eq!(next_review(d(2020, 4, 1), &yearly, None), Some(d(2021, 4, 1)));
/// ```
#[must_use]
pub fn next_review(
    start: NaiveDate,
    terms: &ReviewTerms,
    last_review: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if let Some(next) = terms
        .next_due
        .filter(|next| last_review.is_none_or(|last| *next > last))
    {
        return Some(next);
    }
    let cadence = i32::try_from(terms.cadence_months?.clamp(1, MAX_MONTHS)).ok()?;
    match (terms.anchor, last_review) {
        (ReviewAnchor::Start, Some(last)) if last >= start => {
            // The first anniversary strictly after the last review: count
            // the whole months between, then step at most twice.
            let months = i64::from(last.year())
                .checked_sub(i64::from(start.year()))?
                .checked_mul(12)?
                .checked_add(i64::from(last.month()))?
                .checked_sub(i64::from(start.month()))?;
            let mut k = i32::try_from(months.checked_div(i64::from(cadence))?)
                .ok()?
                .max(1);
            loop {
                let due = add_months(start, k.checked_mul(cadence)?)?;
                if due > last {
                    return Some(due);
                }
                k = k.checked_add(1)?;
            }
        }
        (_, last) => add_months(last.unwrap_or(start), cadence),
    }
}
