//! Notice to withdraw, both ways round: the day a member serving notice on
//! a given day is out, and the last day it can serve notice to be out by a
//! given day, which is the deadline officers must not miss.

use chrono::NaiveDate;
use serde::Serialize;

use crate::agreement::{Agreement, Status};
use crate::changes::withdrawal_date;
use crate::dates::{FinancialYear, add_months};
use crate::error::Error;
use crate::id::{AgreementId, PartyId};
use crate::membership::Membership;
use crate::query::AsOf;

impl Agreement {
    /// The day a member serving notice on `served` would be out: the first
    /// day it is no longer a member. `None` when the day falls outside the
    /// calendar.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Six months' notice, out only at a financial year end.
    /// let ops = registry.agreement("em-operational-support")?;
    /// assert_eq!(ops.withdrawal_if_served_on(day(2026, 10, 1)), Some(day(2027, 4, 1)));
    /// assert_eq!(ops.withdrawal_if_served_on(day(2026, 10, 2)), Some(day(2028, 4, 1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn withdrawal_if_served_on(&self, served: NaiveDate) -> Option<NaiveDate> {
        withdrawal_date(self, served)
    }

    /// The last day a member can serve notice and be out by `out_by` (no
    /// longer a member that day). `None` when the agreement sets no notice
    /// period, or the day falls outside the calendar.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let ops = registry.agreement("em-operational-support")?;
    /// assert_eq!(ops.last_day_to_serve_notice(day(2027, 4, 1)), Some(day(2026, 10, 1)));
    /// // Twelve months, not aligned: clamping lets 29 February 2024 reach 28 February 2025.
    /// let alliance = registry.agreement("northants-leics-notts-alliance")?;
    /// assert_eq!(alliance.last_day_to_serve_notice(day(2025, 2, 28)), Some(day(2024, 2, 29)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn last_day_to_serve_notice(&self, out_by: NaiveDate) -> Option<NaiveDate> {
        let months = i32::try_from(self.leaving.notice_months.filter(|m| *m > 0)?).ok()?;
        // Aligned withdrawals take effect on a 1 April, so aim for the last one by then.
        let target = if self.leaving.align_to_financial_year_end {
            FinancialYear::containing(out_by).first_day()
        } else {
            out_by
        };
        let mut serve = add_months(target, months.checked_neg()?)?;
        // Clamping to month end lets up to three later days reach the same day.
        for _ in 0..3 {
            match serve.succ_opt() {
                Some(next) if withdrawal_date(self, next).is_some_and(|d| d <= out_by) => {
                    serve = next;
                }
                _ => break,
            }
        }
        withdrawal_date(self, serve)
            .is_some_and(|d| d <= out_by)
            .then_some(serve)
    }
}

/// What a member wants to be out by.
///
/// A member serving notice is out after the agreement's notice period in
/// calendar months (clamped to the month's end), moved on to the next
/// 1 April when the agreement aligns withdrawals to the end of a financial
/// year ([`LeavingRules`](crate::LeavingRules)). "Out by" a day means no
/// longer a member on that day: out by the end of the 2026/27 financial year
/// is out by 1 April 2027. An agreement without a notice period has no
/// deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "by", content = "day")]
pub enum OutBy {
    /// The end of the financial year the day asked falls in: out by the
    /// next 1 April.
    FinancialYearEnd,
    /// The agreement's fixed end: out before it expires.
    Expiry,
    /// A given day: no longer a member on it.
    Day(NaiveDate),
}

/// The last day to serve notice to be out by a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeDeadline<'r> {
    /// The agreement.
    pub agreement: &'r AgreementId,
    /// Its title.
    pub title: &'r str,
    /// What the deadline is for.
    pub target: OutBy,
    /// The last day to serve notice.
    pub serve_by: NaiveDate,
    /// The first day the member is then no longer a member.
    pub out_by: NaiveDate,
    /// Days from the day asked to the deadline.
    pub days_left: i64,
    /// The notice period, in months.
    pub notice_months: u32,
    /// Whether withdrawals take effect only at a financial year end.
    pub aligned_to_financial_year_end: bool,
    /// The members on the day asked that have not served notice, by id:
    /// those the deadline concerns.
    pub members: Vec<&'r PartyId>,
}

impl<'r> AsOf<'r> {
    fn deadline(
        &self,
        a: &'r Agreement,
        target: OutBy,
        out_by: NaiveDate,
        members: Vec<&'r PartyId>,
    ) -> Option<NoticeDeadline<'r>> {
        let serve_by = a.last_day_to_serve_notice(out_by)?;
        Some(NoticeDeadline {
            agreement: &a.id,
            title: &a.title,
            target,
            serve_by,
            out_by: a.withdrawal_if_served_on(serve_by)?,
            days_left: (serve_by - self.date()).num_days(),
            notice_months: a.leaving.notice_months.unwrap_or(0),
            aligned_to_financial_year_end: a.leaving.align_to_financial_year_end,
            members,
        })
    }

    /// Members of `a` on the day that have not served notice and are not
    /// due to leave, as known that day, by id.
    fn free_to_leave(&self, a: &'r Agreement) -> Vec<&'r PartyId> {
        let mut members: Vec<&'r PartyId> = self
            .members_on(a)
            .filter(|m| self.notice_known(m).is_none() && self.due_to_leave(m).is_none())
            .map(|m| &m.party)
            .collect();
        members.sort_unstable();
        members.dedup();
        members
    }

    /// The day `m` is due to leave, as known on the day: a leaving day
    /// entered by then, unless it follows from a notice not yet served or
    /// not yet entered.
    fn due_to_leave(&self, m: &Membership) -> Option<NaiveDate> {
        let left = self.leaves_known(m)?;
        if m.notice_served.is_some() && self.notice_known(m).is_none() {
            return None;
        }
        Some(left)
    }

    /// The last day `party` can serve notice on `agreement` to be out by
    /// `target`, as of the day.
    ///
    /// **O(m)** for m memberships of the agreement.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Refused`] when
    /// the party is not a member on the day, has already served notice or is
    /// due to leave, the agreement sets no notice period or (for
    /// [`OutBy::Expiry`]) no end, or the deadline has passed (the reason
    /// gives the deadline and the earliest day the party can now be out).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::OutBy;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let spring = registry.as_of(day(2026, 5, 1));
    /// let deadline = spring.notice_deadline("em-operational-support", "lincolnshire-police", OutBy::FinancialYearEnd)?;
    /// assert_eq!((deadline.serve_by, deadline.out_by), (day(2026, 10, 1), day(2027, 4, 1)));
    /// // In November it is too late for 2026/27.
    /// let late = registry.as_of(day(2026, 11, 23)).notice_deadline("em-operational-support", "lincolnshire-police", OutBy::FinancialYearEnd);
    /// assert!(late.unwrap_err().to_string().contains("the last day was 2026-10-01"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn notice_deadline(
        &self,
        agreement: &str,
        party: &str,
        target: OutBy,
    ) -> Result<NoticeDeadline<'r>, Error> {
        let a = self.registry().agreement(agreement)?;
        let refuse = |reason: String| Error::Refused {
            action: "find the notice deadline",
            target: format!("{party} in {agreement}"),
            date: self.date(),
            reason,
        };
        let m = self
            .members_on(a)
            .find(|m| m.party == party)
            .ok_or_else(|| refuse(format!("{party} is not a member of {agreement} that day")))?;
        if let Some(served) = self.notice_known(m) {
            return Err(refuse(format!("{party} already served notice on {served}")));
        }
        if let Some(left) = self.due_to_leave(m) {
            return Err(refuse(format!("{party} is already due to leave on {left}")));
        }
        if a.leaving.notice_months.is_none_or(|n| n == 0) {
            return Err(refuse(format!("{agreement} sets no notice period")));
        }
        let out_by = match target {
            OutBy::FinancialYearEnd => FinancialYear::containing(self.date()).next().first_day(),
            OutBy::Expiry => self
                .end_of(a)
                .ok_or_else(|| refuse(format!("{agreement} has no fixed end")))?,
            OutBy::Day(day) => day,
        };
        let deadline = self
            .deadline(a, target, out_by, vec![&m.party])
            .ok_or_else(|| {
                refuse(format!(
                    "no day to serve notice falls in the calendar before {out_by}"
                ))
            })?;
        if deadline.serve_by < self.date() {
            let earliest = a
                .withdrawal_if_served_on(self.date())
                .map_or(String::new(), |d| {
                    format!("; served today, it is out on {d}")
                });
            return Err(refuse(format!(
                "to be out by {out_by}, the last day was {}{earliest}",
                deadline.serve_by
            )));
        }
        Ok(deadline)
    }

    /// The next notice deadlines of each agreement that sets a notice period
    /// and counts on the day: the last day to serve notice to be out by the
    /// first financial year end still reachable, and, for an agreement with
    /// a fixed end still ahead, the last day to be out before it expires.
    /// Soonest first, then by agreement.
    ///
    /// Read from the index of agreements with a notice period: **O(k log k)**
    /// for k such agreements.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let deadlines = registry.as_of(day(2026, 11, 23)).notice_deadlines();
    /// let ops = deadlines.iter().find(|d| d.agreement.as_str() == "em-operational-support").unwrap();
    /// // Too late for 1 April 2027; the next is to be out by 1 April 2028.
    /// assert_eq!((ops.serve_by, ops.out_by), (day(2027, 10, 1), day(2028, 4, 1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn notice_deadlines(&self) -> Vec<NoticeDeadline<'r>> {
        let registry = self.registry();
        let mut rows = Vec::new();
        for key in &registry.indexes.with_notice {
            let a = registry.agreement_at(*key);
            if !self.counts(a) || self.status_of(a) == Some(Status::Terminated) {
                continue;
            }
            // A notice period of n months reaches at most n / 12 + 2 years ahead.
            let mut year = FinancialYear::containing(self.date());
            let years = a.leaving.notice_months.unwrap_or(0) / 12 + 2;
            for _ in 0..years {
                let out_by = year.next().first_day();
                if let Some(d) =
                    self.deadline(a, OutBy::FinancialYearEnd, out_by, self.free_to_leave(a))
                {
                    if d.serve_by >= self.date() {
                        rows.push(d);
                        break;
                    }
                }
                year = year.next();
            }
            if let Some(end) = self.end_of(a).filter(|end| *end > self.date()) {
                rows.extend(
                    self.deadline(a, OutBy::Expiry, end, self.free_to_leave(a))
                        .filter(|d| d.serve_by >= self.date()),
                );
            }
        }
        rows.sort_by(|x, y| (x.serve_by, x.agreement).cmp(&(y.serve_by, y.agreement)));
        rows
    }
}
