//! Notice deadlines: the last day a member can serve notice to be out by a
//! given day, which is the deadline officers must not miss, worked out under
//! the leaving rules in force on the day notice would be served (as the
//! register knows them on the day asked), since those are the rules a
//! notice served that day is held to.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::model::{AgreementChange, ExitCosts, FinancialYear, LeavingRules, MAX_MONTHS, Money};
use crate::time::{AgreementView, last_day_to_serve, withdrawal_day};

use super::answer::opt_money;
use super::{AgreementRef, AsOf, PartyRef};

/// What a member wants to be out by.
///
/// A member serving notice is out after the agreement's notice period in
/// calendar months (clamped to the month's end; the next day when no period
/// is set), moved on to the next 1 April when the agreement aligns
/// withdrawals to the end of a financial year
/// ([`withdrawal_day`](crate::time::withdrawal_day)). "Out by" a day means no
/// longer a member on that day: out by the end of the 2026/27 financial year
/// is out by 1 April 2027.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "by", content = "day")]
#[non_exhaustive]
pub enum OutBy {
    /// The end of the financial year the day asked falls in: out by the
    /// next 1 April.
    FinancialYearEnd,
    /// The agreement's fixed end, as known on the day asked: out before it
    /// expires.
    Expiry,
    /// A given day: no longer a member on it.
    Day(NaiveDate),
}

/// The last day to serve notice to be out by a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NoticeDeadline<'r> {
    /// The agreement, titled as on the day asked.
    pub agreement: AgreementRef<'r>,
    /// What the deadline is for.
    pub target: OutBy,
    /// The last day to serve notice.
    pub serve_by: NaiveDate,
    /// The first day the member is then no longer a member.
    pub out_by: NaiveDate,
    /// Days from the day asked to the deadline.
    pub days_left: i64,
    /// The notice period in months under the rules of the day asked, or
    /// `null` when none is set (notice then takes effect the next day).
    pub notice_months: Option<u32>,
    /// Whether withdrawals take effect only at a financial year end.
    pub aligned_to_financial_year_end: bool,
    /// Whether a leaver pays the other members' exit costs, under the rules
    /// notice is served under.
    pub leaver_pays_exit_costs: bool,
    /// The exit costs a leaver bears, as those rules state them, if they do.
    pub exit_costs: Option<ExitTerms<'r>>,
    /// The members the deadline concerns, by id: the listed members on the
    /// day asked that have not served notice and are not due to leave, as
    /// known (a member by class has no membership of its own to give notice
    /// of).
    pub members: Vec<PartyRef<'r>>,
}

/// The exit costs a leaving member bears, in the agreement's words
/// ([`ExitCosts`]), with the most it pays where a cap is stated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ExitTerms<'r> {
    /// How they are worked out, as the agreement says.
    pub terms: &'r str,
    /// The most a leaver pays, where stated.
    #[serde(serialize_with = "opt_money")]
    pub cap: Option<Money>,
}

impl<'r> ExitTerms<'r> {
    fn of(costs: &'r ExitCosts) -> Self {
        ExitTerms {
            terms: &costs.terms,
            cap: costs.cap,
        }
    }
}

impl<'r> AsOf<'r> {
    /// The last day to serve notice and be out by `out_by`, with the rules
    /// it is served under: those in force on that day, as the register
    /// knows them. The rules change only on the days amendments of them take
    /// effect, so each stretch between those days is tried under its own
    /// rules and the latest day that works wins. **O(n)** in the amendments.
    fn serve_by(
        &self,
        view: &AgreementView<'r>,
        out_by: NaiveDate,
    ) -> Option<(NaiveDate, &'r LeavingRules)> {
        let at = self.at();
        let mut days: Vec<NaiveDate> = view
            .record()
            .amendments()
            .iter()
            .filter(|am| at.knows(am.entered_on()))
            .filter(|am| {
                am.changes
                    .iter()
                    .any(|c| matches!(c, AgreementChange::Leaving(_)))
            })
            .map(|am| am.date)
            .collect();
        days.sort_unstable();
        days.dedup();
        let mut best: Option<(NaiveDate, &'r LeavingRules)> = None;
        let mut from: Option<NaiveDate> = None;
        for to in days.iter().copied().map(Some).chain([None]) {
            let sample = from
                .or_else(|| to.and_then(|t| t.pred_opt()))
                .unwrap_or(out_by);
            let rules = AgreementView::new(view.record(), at.with_day(sample)).leaving();
            let last = to.and_then(|t| t.pred_opt());
            let serve = last_day_to_serve(rules, out_by).map(|s| last.map_or(s, |l| s.min(l)));
            if let Some(serve) = serve.filter(|s| from.is_none_or(|f| *s >= f)) {
                if withdrawal_day(rules, serve).is_some_and(|out| out <= out_by)
                    && best.is_none_or(|(b, _)| serve > b)
                {
                    best = Some((serve, rules));
                }
            }
            from = to;
        }
        best
    }

    /// The deadline to be out by `out_by`, if a day to serve notice falls in
    /// the calendar.
    fn deadline(
        &self,
        view: &AgreementView<'r>,
        target: OutBy,
        out_by: NaiveDate,
        members: Vec<PartyRef<'r>>,
    ) -> Option<NoticeDeadline<'r>> {
        let (serve_by, rules) = self.serve_by(view, out_by)?;
        Some(NoticeDeadline {
            agreement: AsOf::agreement_ref(view),
            target,
            serve_by,
            out_by: withdrawal_day(rules, serve_by)?,
            days_left: serve_by.signed_duration_since(self.date()).num_days(),
            notice_months: rules.notice_months,
            aligned_to_financial_year_end: rules.align_to_financial_year_end,
            leaver_pays_exit_costs: rules.leaver_pays_exit_costs,
            exit_costs: rules.exit_costs.as_ref().map(ExitTerms::of),
            members,
        })
    }

    /// The members of `view` on the day free to serve notice: not served,
    /// not due to leave, as known; by id.
    fn free_to_leave(&self, view: &AgreementView<'r>) -> Vec<PartyRef<'r>> {
        let mut members: Vec<PartyRef<'r>> = view
            .members()
            .filter(|m| m.notice_served().is_none() && m.leaves().is_none())
            .map(|m| self.party_ref(m.party()))
            .collect();
        members.sort_unstable_by_key(|p| p.id);
        members.dedup_by_key(|p| p.id);
        members
    }

    /// The last day `party` can serve notice on `agreement` to be out by
    /// `target`, under the leaving rules in force on the day it would serve
    /// notice, as the register knows them on the day asked (or on the
    /// register day, when one is set). A change of the rules taking effect
    /// later moves a deadline that falls after it, and only that one. The
    /// answer gives the exit costs a leaver bears under those rules.
    ///
    /// **O(m + n)** for m memberships of the agreement and n amendment
    /// changes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an unknown
    /// agreement or party; [`ErrorKind::Ended`]
    /// when the agreement has ended by the day;
    /// [`ErrorKind::NotAMember`] when the
    /// party is not a listed member that day (a member by class only is
    /// told so);
    /// [`ErrorKind::NoticeAlreadyServed`]
    /// or [`ErrorKind::AlreadyLeaving`] as
    /// known that day; [`ErrorKind::OutOfPeriod`]
    /// for [`OutBy::Expiry`] when the agreement has no fixed end, or when no
    /// day to serve notice falls in the calendar;
    /// [`ErrorKind::DeadlinePassed`] when
    /// the last day is before the day asked (the message gives it, and the
    /// earliest day the member can now be out).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::ErrorKind;
    /// use collab_registry::questions::OutBy;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let spring = registry.as_of(day(2026, 5, 1));
    /// let deadline = spring.notice_deadline("em-operational-support", "lincolnshire-police", OutBy::FinancialYearEnd)?;
    /// assert_eq!((deadline.serve_by, deadline.out_by), (day(2026, 10, 1), day(2027, 4, 1)));
    /// // In November it is too late for 2026/27.
    /// let late = registry.as_of(day(2026, 11, 23)).notice_deadline("em-operational-support", "lincolnshire-police", OutBy::FinancialYearEnd);
    /// assert_eq!(late.unwrap_err().kind(), ErrorKind::DeadlinePassed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn notice_deadline(
        &self,
        agreement: &str,
        party: &str,
        target: OutBy,
    ) -> Result<NoticeDeadline<'r>, Error> {
        let view = self.agreement(agreement)?;
        self.party_key(party)?;
        let day = self.date();
        let who = format!("{party} in {agreement}");
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "find the notice deadline", &who, day, reason)
                .party(party)
                .agreement(agreement)
        };
        if view.has_ended() {
            return Err(refuse(
                ErrorKind::Ended,
                format!("{agreement} has ended by then"),
            ));
        }
        let m = view.members().find(|m| m.party() == party).ok_or_else(|| {
            let by_class = self.members_on(&view).iter().any(|m| m.party() == party);
            refuse(
                ErrorKind::NotAMember,
                if by_class {
                    format!(
                        "{party} is a member of {agreement} that day by class only, with no membership of its own to give notice of"
                    )
                } else {
                    format!("{party} is not a member of {agreement} that day")
                },
            )
        })?;
        if let Some(served) = m.notice_served() {
            return Err(refuse(
                ErrorKind::NoticeAlreadyServed,
                format!("{party} already served notice on {served}"),
            ));
        }
        if let Some(left) = m.leaves() {
            return Err(refuse(
                ErrorKind::AlreadyLeaving,
                format!("{party} is already due to leave on {left}"),
            ));
        }
        let rules = view.leaving();
        let out_by = match target {
            OutBy::FinancialYearEnd => FinancialYear::containing(day).map(|y| y.end()),
            OutBy::Expiry => view.end(),
            OutBy::Day(d) => Some(d),
        }
        .ok_or_else(|| match target {
            OutBy::Expiry => refuse(
                ErrorKind::OutOfPeriod,
                format!("{agreement} has no fixed end"),
            ),
            _ => refuse(
                ErrorKind::OutOfPeriod,
                "the day falls outside the calendar".to_string(),
            ),
        })?;
        let deadline = self
            .deadline(&view, target, out_by, vec![self.party_ref(m.party())])
            .ok_or_else(|| {
                refuse(
                    ErrorKind::OutOfPeriod,
                    format!("no day to serve notice falls in the calendar before {out_by}"),
                )
            })?;
        if deadline.serve_by < day {
            let earliest = withdrawal_day(rules, day).map_or(String::new(), |d| {
                format!("; served today, it is out on {d}")
            });
            return Err(refuse(
                ErrorKind::DeadlinePassed,
                format!(
                    "to be out by {out_by}, the last day was {}{earliest}",
                    deadline.serve_by
                ),
            ));
        }
        Ok(deadline)
    }

    /// The next notice deadlines of each agreement that sets a notice
    /// period and counts on the day: the last day to serve notice to be out
    /// by the first financial year end still reachable, and, for an
    /// agreement with a fixed end still ahead, the last day to be out before
    /// it expires; each under the leaving rules in force on the day notice
    /// would be served.
    /// Soonest first, then by agreement id, then by the day out.
    ///
    /// Read from the index of agreements with a notice period (corrected
    /// for those changed after the day): **O(k · (m + y) + c)** for k such
    /// agreements, m members of each, y financial years tried (at most
    /// [`MAX_MONTHS`] / 12 + 2) and c agreements
    /// changed since.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let deadlines = registry.as_of(day(2026, 11, 23)).notice_deadlines();
    /// let ops = deadlines.iter().find(|d| d.agreement.id.as_str() == "em-operational-support").unwrap();
    /// // Too late for 1 April 2027; the next is to be out by 1 April 2028.
    /// assert_eq!((ops.serve_by, ops.out_by), (day(2027, 10, 1), day(2028, 4, 1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn notice_deadlines(&self) -> Vec<NoticeDeadline<'r>> {
        let day = self.date();
        let listed = self.indexed(&self.registry().index.with_notice, |v| {
            v.leaving().notice_months.is_some()
        });
        let mut rows = Vec::new();
        for key in listed {
            let Some(view) = self.view(key) else { continue };
            if !self.counts(&view) || view.has_ended() {
                continue;
            }
            let rules = view.leaving();
            let members = self.free_to_leave(&view);
            // A notice period of n months reaches at most n / 12 + 2 years ahead.
            let years = (rules.notice_months.unwrap_or(0).min(MAX_MONTHS) / 12).saturating_add(2);
            let mut year = FinancialYear::containing(day);
            for _ in 0..years {
                let Some(this) = year else { break };
                let reachable = self
                    .deadline(&view, OutBy::FinancialYearEnd, this.end(), members.clone())
                    .filter(|d| d.serve_by >= day);
                if let Some(d) = reachable {
                    rows.push(d);
                    break;
                }
                year = this.next();
            }
            if let Some(end) = view.end().filter(|end| *end > day) {
                rows.extend(
                    self.deadline(&view, OutBy::Expiry, end, members)
                        .filter(|d| d.serve_by >= day),
                );
            }
        }
        rows.sort_by(|x, y| {
            (x.serve_by, x.agreement.id, x.out_by).cmp(&(y.serve_by, y.agreement.id, y.out_by))
        });
        rows
    }
}
