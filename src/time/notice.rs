//! Notice to withdraw, both ways round: the day a member serving notice on
//! a given day is out, and the last day it can serve notice to be out by a
//! given day. One rule for both, so they always agree.

use chrono::NaiveDate;

use crate::model::{FinancialYear, LeavingRules, MAX_MONTHS, add_months};

fn notice_months(rules: &LeavingRules) -> Option<i32> {
    i32::try_from(rules.notice_months.unwrap_or(0).min(MAX_MONTHS)).ok()
}

/// The day a member serving notice on `served` is out (the first day it is
/// no longer a member): the notice period in calendar months on (clamped to
/// the month's end), and at least the next day, since notice comes before
/// leaving; then, when the agreement aligns withdrawals to the end of a
/// financial year, the next 1 April on or after that. `None` when that
/// falls outside the calendar.
///
/// With no notice period stated, notice takes effect the day after it is
/// served.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::LeavingRules;
/// use collab_registry::time::withdrawal_day;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut six = LeavingRules::notice(6);
/// assert_eq!(withdrawal_day(&six, d(2026, 3, 31)), Some(d(2026, 9, 30)));
/// six.align_to_financial_year_end = true;
/// assert_eq!(withdrawal_day(&six, d(2026, 10, 1)), Some(d(2027, 4, 1)));
/// assert_eq!(withdrawal_day(&six, d(2026, 10, 2)), Some(d(2028, 4, 1)));
/// assert_eq!(withdrawal_day(&LeavingRules::default(), d(2026, 5, 1)), Some(d(2026, 5, 2)));
/// ```
#[must_use]
pub fn withdrawal_day(rules: &LeavingRules, served: NaiveDate) -> Option<NaiveDate> {
    let out = add_months(served, notice_months(rules)?)?.max(served.succ_opt()?);
    if rules.align_to_financial_year_end {
        let year = FinancialYear::containing(out)?;
        if out == year.first_day() {
            Some(out)
        } else {
            FinancialYear::starting(year.start_year().checked_add(1)?)
                .ok()
                .map(|next| next.first_day())
        }
    } else {
        Some(out)
    }
}

/// The last day a member can serve notice and be out by `out_by` (no
/// longer a member that day), under the same rule as [`withdrawal_day`].
/// `None` when no such day falls in the calendar.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::LeavingRules;
/// use collab_registry::time::{last_day_to_serve, withdrawal_day};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut six = LeavingRules::notice(6);
/// six.align_to_financial_year_end = true;
/// assert_eq!(last_day_to_serve(&six, d(2027, 4, 1)), Some(d(2026, 10, 1)));
/// // Twelve months, not aligned: clamping lets 29 February 2024 reach 28 February 2025.
/// let twelve = LeavingRules::notice(12);
/// assert_eq!(last_day_to_serve(&twelve, d(2025, 2, 28)), Some(d(2024, 2, 29)));
/// assert_eq!(withdrawal_day(&twelve, d(2024, 2, 29)), Some(d(2025, 2, 28)));
/// ```
#[must_use]
pub fn last_day_to_serve(rules: &LeavingRules, out_by: NaiveDate) -> Option<NaiveDate> {
    let months = notice_months(rules)?;
    // Aligned withdrawals take effect on a 1 April, so aim for the last one by then.
    let target = if rules.align_to_financial_year_end {
        FinancialYear::containing(out_by)?.first_day()
    } else {
        out_by
    };
    let fits = |day: NaiveDate| withdrawal_day(rules, day).is_some_and(|out| out <= out_by);
    let mut serve = if months == 0 {
        target.pred_opt()?
    } else {
        add_months(target, months.checked_neg()?)?
    };
    // Clamping to a month's end lets up to three later days reach the same
    // day, and can push the first guess a little late; the walks are short.
    for _ in 0..4 {
        match serve.succ_opt() {
            Some(next) if fits(next) => serve = next,
            _ => break,
        }
    }
    for _ in 0..4 {
        if fits(serve) {
            return Some(serve);
        }
        serve = serve.pred_opt()?;
    }
    fits(serve).then_some(serve)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn the_deadline_is_the_last_day_that_gets_a_member_out_in_time() {
        for months in [0, 1, 6, 12, 13, 24] {
            for aligned in [false, true] {
                let mut rules = LeavingRules::notice(months);
                rules.align_to_financial_year_end = aligned;
                let mut out_by = d(2023, 1, 1);
                while out_by < d(2026, 1, 1) {
                    let serve = last_day_to_serve(&rules, out_by);
                    let Some(serve) = serve else {
                        panic!(
                            "no deadline for {months} months, aligned {aligned}, out by {out_by}"
                        )
                    };
                    let out = withdrawal_day(&rules, serve).unwrap_or(NaiveDate::MAX);
                    assert!(
                        out <= out_by,
                        "{months} {aligned} {out_by}: {serve} gives {out}"
                    );
                    let later = serve.succ_opt().and_then(|s| withdrawal_day(&rules, s));
                    assert!(
                        later.is_none_or(|l| l > out_by),
                        "{months} {aligned} {out_by}"
                    );
                    out_by = out_by.succ_opt().unwrap_or(NaiveDate::MAX);
                }
            }
        }
    }

    #[test]
    fn a_huge_notice_period_is_bounded() {
        let rules = LeavingRules::notice(u32::MAX);
        assert_eq!(withdrawal_day(&rules, d(2026, 1, 1)), Some(d(2126, 1, 1)));
    }
}
