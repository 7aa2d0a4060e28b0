//! Changes to agreements over their life: joining, notice, leaving, status,
//! reviews and amendments. Each goes through
//! [`Registry::change_agreement`], so it is checked in full before anything
//! changes, and each keeps history rather than overwriting it.

use chrono::NaiveDate;
use serde_json::Value;

use crate::agreement::{Agreement, Status, StatusChange};
use crate::amendment::{Amendment, AmendmentKind};
use crate::dates::{FinancialYear, add_months};
use crate::error::Error;
use crate::membership::Membership;
use crate::registry::{Registry, When};
use crate::review::Review;

impl Registry {
    /// A party joins an agreement with the membership given (its `joined`
    /// day is when it takes effect).
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Refused`] when
    /// the agreement has ended by then; [`Error::Invalid`] when the
    /// membership breaks a rule (unknown party, overlapping membership,
    /// joining before the start). Nothing changes then.
    pub fn join(&mut self, agreement: &str, membership: Membership) -> Result<(), Error> {
        self.change_agreement(agreement, |a, _| {
            if a.status_on(membership.joined) == Some(Status::Terminated) {
                return Err(Error::Refused {
                    action: "join",
                    target: format!("{} in {}", membership.party, a.id),
                    date: membership.joined,
                    reason: "the agreement is terminated by then".to_string(),
                });
            }
            a.members.push(membership);
            Ok(())
        })
    }

    /// A member leaves an agreement on `when.effective` (the first day it is
    /// no longer a member).
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Refused`] when
    /// the party is not a member the day before, or is already due to leave.
    /// Nothing changes then.
    pub fn leave(
        &mut self,
        agreement: &str,
        party: &str,
        when: impl Into<When>,
    ) -> Result<(), Error> {
        let when = when.into();
        self.change_agreement(agreement, |a, _| {
            let refuse = |reason: String| Error::Refused {
                action: "leave",
                target: format!("{party} in {agreement}"),
                date: when.effective,
                reason,
            };
            let m = open_membership(a, party, when.effective).ok_or_else(|| {
                refuse(format!(
                    "{party} is not a member of {agreement} before that day"
                ))
            })?;
            if let Some(left) = m.left {
                return Err(refuse(format!("{party} is already due to leave on {left}")));
            }
            m.left = Some(when.effective);
            m.recorded.left = when.recorded;
            Ok(())
        })
    }

    /// Records a change of status, kept in the agreement's history.
    ///
    /// A change entered late, dated before changes already recorded, takes
    /// its place in date order, and must fit both the change before it and
    /// the change after it.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Refused`] when the
    /// status is already in force that day, or the
    /// [lifecycle](crate::Status::next_statuses) does not allow it from the
    /// status before or towards the status change after;
    /// [`Error::Invalid`] when the result breaks a rule (an agreement going
    /// active with fewer than two members). Nothing changes then.
    pub fn set_status(
        &mut self,
        agreement: &str,
        status: Status,
        when: impl Into<When>,
        note: Option<String>,
    ) -> Result<(), Error> {
        let when = when.into();
        self.change_agreement(agreement, |a, _| {
            let refuse = |reason: String| Error::Refused {
                action: "change status",
                target: agreement.to_string(),
                date: when.effective,
                reason,
            };
            // A late entry takes its place in date order, between the
            // changes before and after it, and must fit both.
            let at = a.status.partition_point(|c| c.from <= when.effective);
            if let (0, Some(first)) = (at, a.status.first()) {
                if status != Status::Proposed {
                    return Err(refuse(format!(
                        "the first status recorded is {} on {}; only a proposal can come before it",
                        first.status.as_str(),
                        first.from
                    )));
                }
            }
            if let Some(next) = a.status.get(at) {
                if next.status == status || !status.can_change_to(next.status) {
                    return Err(refuse(format!(
                        "the next status change, to {} on {}, could not follow {}",
                        next.status.as_str(),
                        next.from,
                        status.as_str()
                    )));
                }
            }
            let current = a.status_on(when.effective);
            if current == Some(status) {
                return Err(refuse(format!(
                    "the agreement is already {}",
                    status.as_str()
                )));
            }
            if current == Some(Status::Terminated) {
                return Err(refuse(
                    "a terminated agreement cannot change status".to_string(),
                ));
            }
            if let Some(from) = current.filter(|from| !from.can_change_to(status)) {
                let allowed: Vec<&str> = from.next_statuses().iter().map(|s| s.as_str()).collect();
                return Err(refuse(format!(
                    "an agreement that is {} cannot become {}; it can become {}",
                    from.as_str(),
                    status.as_str(),
                    allowed.join(" or ")
                )));
            }
            a.status.insert(
                at,
                StatusChange {
                    status,
                    from: when.effective,
                    recorded: when.recorded,
                    note,
                    extra: Default::default(),
                },
            );
            Ok(())
        })
    }

    /// Terminates an agreement from `when.effective`.
    ///
    /// # Errors
    ///
    /// As [`Registry::set_status`].
    pub fn terminate(
        &mut self,
        agreement: &str,
        when: impl Into<When>,
        note: Option<String>,
    ) -> Result<(), Error> {
        self.set_status(agreement, Status::Terminated, when, note)
    }

    /// A member serves notice to withdraw on `when.effective`. Its withdrawal
    /// takes effect after the agreement's notice period (in months, clamped
    /// to month end), moved on to the next 1 April when the agreement aligns
    /// withdrawals to the end of a financial year. The member stays a member
    /// until then; the day it is out is returned and recorded as its `left`.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Refused`] when
    /// the party is not a member that day, has already served notice, or is
    /// already due to leave, or when the agreement was terminated by that
    /// day. Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let mut registry = collab_registry::sample()?;
    /// let served = NaiveDate::from_ymd_opt(2021, 9, 30).unwrap();
    /// let out = registry.serve_notice("northants-leics-notts-alliance", "leicestershire-police", served)?;
    /// assert!(out > served);
    /// assert!(registry.agreement("northants-leics-notts-alliance")?.is_member("leicestershire-police", served));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serve_notice(
        &mut self,
        agreement: &str,
        party: &str,
        when: impl Into<When>,
    ) -> Result<NaiveDate, Error> {
        let when = when.into();
        self.change_agreement(agreement, |a, _| {
            let refuse = |reason: String| Error::Refused {
                action: "serve notice",
                target: format!("{party} in {agreement}"),
                date: when.effective,
                reason,
            };
            if let Some(ended) = a.terminated_by(when.effective) {
                return Err(refuse(format!(
                    "{agreement} was terminated on {}",
                    ended.from
                )));
            }
            let out = withdrawal_date(a, when.effective).ok_or_else(|| {
                refuse("the withdrawal date falls outside the calendar".to_string())
            })?;
            let m = a
                .members
                .iter_mut()
                .find(|m| m.party == party && m.is_member_on(when.effective))
                .ok_or_else(|| {
                    refuse(format!("{party} is not a member of {agreement} that day"))
                })?;
            if let Some(served) = m.notice_served {
                return Err(refuse(format!("{party} already served notice on {served}")));
            }
            if let Some(left) = m.left {
                return Err(refuse(format!("{party} is already due to leave on {left}")));
            }
            m.notice_served = Some(when.effective);
            m.left = Some(out);
            m.recorded.notice_served = when.recorded;
            m.recorded.left = when.recorded;
            Ok(out)
        })
    }

    /// Records a review held, which moves the next review due.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Refused`] for a
    /// review dated before the agreement starts or after it is terminated;
    /// [`Error::Invalid`] when the reviewing body is unknown. Nothing changes
    /// then.
    pub fn record_review(&mut self, agreement: &str, review: Review) -> Result<(), Error> {
        self.change_agreement(agreement, |a, _| {
            let refuse = |reason: String| Error::Refused {
                action: "record review",
                target: agreement.to_string(),
                date: review.date,
                reason,
            };
            if review.date < a.start {
                return Err(refuse(format!("the agreement starts on {}", a.start)));
            }
            if let Some(ended) = a.terminated_by(review.date) {
                return Err(refuse(format!(
                    "the agreement was terminated on {}",
                    ended.from
                )));
            }
            let at = a.review.held.partition_point(|r| r.date <= review.date);
            a.review.held.insert(at, review);
            Ok(())
        })
    }

    /// Amends an agreement: `edit` changes a draft, and the amendment is
    /// recorded with every change it made, field by field and member by
    /// member, each with its value before and after.
    ///
    /// An amendment adds to what the register states and never rewrites a
    /// dated fact: a membership it adds, or a leaving or notice day it sets,
    /// is stamped with the day the amendment was entered, so the register as
    /// it stood before that day ([`AsOf::as_recorded_on`](crate::AsOf::as_recorded_on))
    /// still gives the earlier answer.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Refused`] when
    /// `edit` changes the id, the amendment history, the status history
    /// (use [`Registry::set_status`]), the reviews held (use
    /// [`Registry::record_review`]), removes a membership, or changes a
    /// membership's party or joining day or a leaving or notice day already
    /// recorded; [`Error::Invalid`] when the amended agreement breaks a rule.
    /// Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::AmendmentKind;
    /// let mut registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// let amendment = registry.amend("northants-leics-notts-alliance", on, AmendmentKind::Extension,
    ///     "Extended by two years", |a| a.end = NaiveDate::from_ymd_opt(2030, 4, 1))?;
    /// assert_eq!(amendment.changes[0].field, "end");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn amend(
        &mut self,
        agreement: &str,
        when: impl Into<When>,
        kind: AmendmentKind,
        summary: &str,
        edit: impl FnOnce(&mut Agreement),
    ) -> Result<Amendment, Error> {
        let when = when.into();
        self.change_agreement(agreement, |a, _| {
            let before = serde_json::to_value(&*a).unwrap_or(Value::Null);
            let original = a.clone();
            edit(a);
            keep_dated_facts(&original, a, when).map_err(|reason| Error::Refused {
                action: "amend",
                target: agreement.to_string(),
                date: when.effective,
                reason,
            })?;
            let after = serde_json::to_value(&*a).unwrap_or(Value::Null);
            let amendment = Amendment {
                date: when.effective,
                recorded: when.recorded,
                kind,
                summary: summary.to_string(),
                changes: crate::diff::diff_agreement(&before, &after),
                extra: Default::default(),
            };
            a.amendments.push(amendment.clone());
            Ok(amendment)
        })
    }
}

/// Checks that an amendment adds dated facts without rewriting any, and
/// stamps the memberships it adds or completes with the day it was entered,
/// so that the register as it stood before that day answers as it did.
///
/// Status changes, reviews held and the amendment history have methods of
/// their own that check them; a membership's party and joining day, and a
/// leaving or notice day once recorded, are facts the register already
/// stated, so an amendment may add to them but not change them.
fn keep_dated_facts(
    original: &Agreement,
    amended: &mut Agreement,
    when: When,
) -> Result<(), String> {
    if amended.amendments != original.amendments {
        return Err("an amendment cannot edit the amendment history".to_string());
    }
    if amended.status != original.status {
        return Err(
            "a change of status goes through set_status or terminate, which check the lifecycle"
                .to_string(),
        );
    }
    if amended.review.held != original.review.held {
        return Err("a review held is recorded with record_review".to_string());
    }
    if amended.members.len() < original.members.len() {
        return Err(
            "an amendment cannot remove a membership; a member leaves with leave or serve_notice"
                .to_string(),
        );
    }
    let entered = when.recorded.unwrap_or(when.effective);
    // A fact entered on the day it takes effect needs no entry day.
    let stamp = |fact: NaiveDate| (fact != entered).then_some(entered);
    for (i, m) in amended.members.iter_mut().enumerate() {
        let Some(was) = original.members.get(i) else {
            m.recorded.joined = stamp(m.joined);
            m.recorded.notice_served = m.notice_served.and_then(stamp);
            m.recorded.left = m.left.and_then(stamp);
            continue;
        };
        if m.party != was.party
            || m.joined != was.joined
            || m.recorded.joined != was.recorded.joined
        {
            return Err(format!(
                "an amendment cannot change the membership of {} that began on {}: it is on the record, and an amendment may add to it but not change it",
                was.party, was.joined
            ));
        }
        for (what, now, then, entry, recorded) in [
            (
                "leaving",
                m.left,
                was.left,
                &mut m.recorded.left,
                was.recorded.left,
            ),
            (
                "notice",
                m.notice_served,
                was.notice_served,
                &mut m.recorded.notice_served,
                was.recorded.notice_served,
            ),
        ] {
            match (then, now) {
                (Some(then), now) if now != Some(then) => {
                    return Err(format!(
                        "the {what} of {} on {then} is already recorded; an amendment cannot rewrite it",
                        was.party
                    ));
                }
                (None, Some(now)) => *entry = stamp(now),
                _ => *entry = recorded,
            }
        }
    }
    Ok(())
}

/// The day a member serving notice on `served` is out: the notice period on,
/// then to the next 1 April when withdrawals align to the financial year.
pub(crate) fn withdrawal_date(a: &Agreement, served: NaiveDate) -> Option<NaiveDate> {
    let months = i32::try_from(a.leaving.notice_months.unwrap_or(0)).ok()?;
    let out = add_months(served, months)?;
    if a.leaving.align_to_financial_year_end {
        let year = FinancialYear::containing(out);
        if out == year.first_day() {
            Some(out)
        } else {
            year.last_day().succ_opt()
        }
    } else {
        Some(out)
    }
}

/// The membership of `party` that a leave on `date` would end: one that
/// began before `date` and is in force on it or on the day before.
fn open_membership<'a>(
    a: &'a mut Agreement,
    party: &str,
    date: NaiveDate,
) -> Option<&'a mut Membership> {
    let before = date.pred_opt().unwrap_or(date);
    a.members.iter_mut().find(|m| {
        m.party == party && m.joined < date && (m.is_member_on(before) || m.is_member_on(date))
    })
}
