//! The history of an agreement: every dated fact the register keeps about
//! it, in date order, each with the day it was entered.
//!
//! Nothing is overwritten. Each kind of fact lives in the record it belongs
//! to, with the day it takes effect and, when different, the day it was
//! entered: status changes, joinings, notices and departures (in each
//! membership; a party that rejoins has a second one), reviews held, and
//! amendments, each with its typed changes and the values they replaced.
//! A history gathers them into one list; asked as of a day, it keeps those
//! in effect by then and, with a register day, entered by then.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::model::{
    AgreementChange, AmendmentKind, BodyId, Ending, PartialDate, PartyId, Role, Status,
    StatusChange,
};
use crate::store::Registry;
use crate::time::{AgreementView, At};

use super::{AsOf, BodyRef, PartyRef};

/// One dated fact in an agreement's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct HistoryEntry<'r> {
    /// The day it takes effect (the first day of a month or year when the
    /// record knows it only to that).
    pub date: NaiveDate,
    /// The day it was entered in the register, when not the same day.
    pub recorded: Option<NaiveDate>,
    /// Whether `date` is known only to a month or a year.
    pub approximate: bool,
    /// What happened.
    #[serde(flatten)]
    pub event: Event<'r>,
}

impl HistoryEntry<'_> {
    /// The day it was entered in the register.
    #[must_use]
    pub fn entered(&self) -> NaiveDate {
        self.recorded.unwrap_or(self.date)
    }
}

/// What happened, in an agreement's history. Serialised with its name in
/// an `event` field beside its own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event<'r> {
    /// The agreement starts.
    Started,
    /// Its status changes.
    Status {
        /// The new status.
        status: Status,
        /// Why, if recorded.
        note: Option<&'r str>,
        /// For a termination, who ended it, where the register knows.
        ended_by: Option<EndedBy<'r>>,
    },
    /// A party joins.
    Joined {
        /// The party.
        party: PartyRef<'r>,
        /// Its role on the day it joined.
        role: Role,
    },
    /// A member serves notice to withdraw.
    NoticeServed {
        /// The member.
        party: PartyRef<'r>,
        /// The day it is out, as known.
        withdrawal: Option<NaiveDate>,
    },
    /// A member leaves: this is the first day it is not a member.
    Left {
        /// The former member.
        party: PartyRef<'r>,
    },
    /// A review is held.
    Reviewed {
        /// The body that held it.
        by: Option<BodyRef<'r>>,
        /// Its outcome.
        outcome: Option<&'r str>,
    },
    /// The agreement is amended.
    Amended {
        /// Variation, extension, renewal or correction.
        kind: AmendmentKind,
        /// What it does.
        summary: &'r str,
        /// Each change, with its value before and after.
        changes: &'r [AgreementChange],
    },
    /// The agreement reaches its fixed end (as known): the first day it is
    /// over.
    Ended,
}

/// Who ended an agreement, as answers name it: one member by the notice it
/// served (with the day it served it), all the members together, or its
/// fixed end. Serialised with its name in a `by` field:
/// `{"by": "notice", "party": {...}, "notice_served": "2026-09-30"}`,
/// `{"by": "all_members"}`, `{"by": "expiry"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EndedBy<'r> {
    /// The member whose notice ended it.
    Notice {
        /// The member, named as on the day asked.
        party: PartyRef<'r>,
        /// The day it served the notice that ended the agreement: its last
        /// notice served by the termination, as known on the day asked.
        notice_served: Option<NaiveDate>,
    },
    /// All the members, by agreement.
    AllMembers,
    /// Its fixed end.
    Expiry,
}

impl Event<'_> {
    /// Orders events of one day: the agreement starts before anything
    /// happens in it, and ends after.
    fn rank(&self) -> u8 {
        match self {
            Event::Started => 0,
            Event::Status { .. } => 1,
            Event::Joined { .. } => 2,
            Event::Amended { .. } => 3,
            Event::Reviewed { .. } => 4,
            Event::NoticeServed { .. } => 5,
            Event::Left { .. } => 6,
            Event::Ended => 7,
        }
    }
}

impl<'r> AsOf<'r> {
    /// Who ended `view`'s agreement by the status change `change`, as
    /// answers name it; for a notice, with the last notice the member served
    /// on or before the termination, as known. **O(m)** for m memberships.
    fn ending(&self, view: &AgreementView<'r>, change: &'r StatusChange) -> Option<EndedBy<'r>> {
        Some(match change.ended_by.as_ref()? {
            Ending::Notice(party) => {
                // A termination known only to a month may follow a notice
                // served in that month, as the rules allow.
                let by = change.from.last_day();
                let notice_served = view
                    .record()
                    .members()
                    .iter()
                    .filter(|m| m.party() == party)
                    .filter_map(|m| view.member_view(m).notice_served())
                    .filter(|served| *served <= by)
                    .max();
                EndedBy::Notice {
                    party: self.party_ref(party),
                    notice_served,
                }
            }
            Ending::AllMembers => EndedBy::AllMembers,
            Ending::Expiry => EndedBy::Expiry,
        })
    }

    /// Who ended `view`'s agreement, when it is terminated on the day and
    /// the register knows who: what [`AsOf::members_of`] reports beside its
    /// status.
    pub(super) fn ended_by(&self, view: &AgreementView<'r>) -> Option<EndedBy<'r>> {
        let change = view.status_change()?;
        (change.status == Status::Terminated)
            .then(|| self.ending(view, change))
            .flatten()
    }

    /// A body as answers name it, as of the day (the id alone, as its name,
    /// should the register not hold it).
    fn body_ref_of(&self, id: &'r BodyId) -> BodyRef<'r> {
        let name = self
            .registry()
            .body_key(id.as_str())
            .ok()
            .and_then(|k| self.body_view(k))
            .map_or(id.as_str(), |b| b.name());
        BodyRef::new(id, name)
    }

    /// Every fact about `view`'s agreement in effect by the day and known,
    /// in date order (then start, status, joinings, amendments, reviews,
    /// notices, departures, end; then in record order).
    #[allow(
        clippy::too_many_lines,
        reason = "one event per kind of dated fact, gathered in one pass"
    )]
    fn entries(&self, view: &AgreementView<'r>) -> Vec<HistoryEntry<'r>> {
        let a = view.record();
        let at = self.at();
        let mut out = Vec::with_capacity(
            a.status_history()
                .len()
                .saturating_add(a.members().len().saturating_mul(3))
                .saturating_add(a.reviews_held().len())
                .saturating_add(a.amendments().len())
                .saturating_add(2),
        );
        let mut push = |date: PartialDate, recorded: Option<NaiveDate>, event| {
            let day = date.first_day();
            if at.sees(day, recorded.unwrap_or(day)) {
                out.push(HistoryEntry {
                    date: day,
                    recorded: recorded.filter(|r| *r != day),
                    approximate: !date.is_exact(),
                    event,
                });
            }
        };
        push(a.start(), None, Event::Started);
        for c in a.status_history() {
            push(
                c.from,
                c.recorded,
                Event::Status {
                    status: c.status,
                    note: c.note.as_deref(),
                    ended_by: self.ending(view, c),
                },
            );
        }
        // The memberships whose role an amendment changed, found once.
        let mut role_changed: Vec<(&PartyId, PartialDate)> = a
            .amendments()
            .iter()
            .flat_map(|am| &am.changes)
            .filter_map(|c| match c {
                AgreementChange::Role(party, joined, _) => Some((party, *joined)),
                _ => None,
            })
            .collect();
        role_changed.sort_unstable();
        for m in a.members() {
            let member = view.member_view(m);
            let party = self.party_ref(m.party());
            let role = if role_changed.binary_search(&(m.party(), m.joined())).is_ok() {
                let on_joining = at.with_day(m.joined().first_day());
                AgreementView::new(a, on_joining).member_view(m).role()
            } else {
                m.role()
            };
            let recorded = m.recorded();
            push(
                m.joined(),
                Some(m.joined_entered()),
                Event::Joined { party, role },
            );
            if let Some(served) = m.notice_served() {
                push(
                    PartialDate::day(served),
                    recorded.notice_served,
                    Event::NoticeServed {
                        party,
                        withdrawal: member.leaves().map(|l| l.first_day()),
                    },
                );
            }
            // A departure that follows from a notice the register does not
            // yet know is not known either.
            if let Some(left) = m.left().filter(|_| member.leaves().is_some()) {
                push(left, recorded.left, Event::Left { party });
            }
        }
        for r in a.reviews_held() {
            push(
                PartialDate::day(r.date),
                r.recorded,
                Event::Reviewed {
                    by: r.by.as_ref().map(|b| self.body_ref_of(b)),
                    outcome: r.outcome.as_deref(),
                },
            );
        }
        for am in a.amendments() {
            push(
                PartialDate::day(am.date),
                am.recorded,
                Event::Amended {
                    kind: am.kind,
                    summary: &am.summary,
                    changes: &am.changes,
                },
            );
        }
        if let Some(end) = view.end() {
            // The end is known from the day it was entered: with the record,
            // or with the last amendment in effect that set it.
            let entered = view
                .amendments()
                .filter(|am| {
                    am.changes
                        .iter()
                        .any(|c| matches!(c, AgreementChange::End(_)))
                })
                .max_by_key(|am| am.date)
                .map_or(a.entered_on(), crate::model::Amendment::entered_on);
            push(PartialDate::day(end), Some(entered), Event::Ended);
        }
        // A stable sort keeps record order within a day and kind.
        out.sort_by_key(|e| (e.date, e.event.rank()));
        out
    }

    /// The history of `agreement` up to and including the day, as the
    /// register stood when [`AsOf::as_recorded_on`] is set: facts entered
    /// after the register day are left out, and the end is the one known on
    /// the day. Parties and bodies are named as on the day.
    ///
    /// **O(n log n)** for n facts about the agreement.
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
    /// let by_2015 = registry.as_of(day(2015, 12, 31)).history("em-operational-support")?;
    /// assert!(by_2015.iter().all(|e| e.date <= day(2015, 12, 31)));
    /// // Started, active, five joined and Derbyshire's notice; not yet its departure.
    /// assert_eq!(by_2015.len(), 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn history(&self, agreement: &str) -> Result<Vec<HistoryEntry<'r>>, Error> {
        let view = self.agreement(agreement)?;
        Ok(self.entries(&view))
    }
}

impl Registry {
    /// Everything the register keeps about `agreement`, in date order, past
    /// and future: its start, status changes, joinings, notices and
    /// departures, reviews, amendments (with what each changed) and end.
    /// [`AsOf::history`] asks the same as of a day.
    ///
    /// **O(n log n)** for n facts about the agreement.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) naming an
    /// unknown agreement.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::questions::Event;
    /// let registry = collab_registry::sample()?;
    /// let history = registry.history("em-operational-support")?;
    /// let derbyshire: Vec<(NaiveDate, &str)> = history
    ///     .iter()
    ///     .filter_map(|e| match &e.event {
    ///         Event::NoticeServed { party, .. } if party.id.as_str() == "derbyshire-police" => Some((e.date, "notice")),
    ///         Event::Left { party } if party.id.as_str() == "derbyshire-police" => Some((e.date, "left")),
    ///         _ => None,
    ///     })
    ///     .collect();
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(derbyshire, [(day(2015, 9, 30), "notice"), (day(2016, 4, 1), "left")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn history(&self, agreement: &str) -> Result<Vec<HistoryEntry<'_>>, Error> {
        self.at(At::on(NaiveDate::MAX)).history(agreement)
    }
}
