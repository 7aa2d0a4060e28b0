//! The history of an agreement: every dated fact the register keeps about
//! it, in date order, and the values amendments replaced.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::agreement::{Agreement, Status, StatusChange};
use crate::amendment::{AmendmentKind, FieldChange};
use crate::error::Error;
use crate::id::{BodyId, PartyId};
use crate::membership::Role;
use crate::query::AsOf;
use crate::registry::Registry;

/// One dated fact in an agreement's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry<'r> {
    /// The day it takes effect.
    pub date: NaiveDate,
    /// The day it was entered in the register, when not the same day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<NaiveDate>,
    /// What happened.
    #[serde(flatten)]
    pub event: Event<'r>,
}

impl HistoryEntry<'_> {
    /// The day it was entered in the register.
    pub fn entered(&self) -> NaiveDate {
        self.recorded.unwrap_or(self.date)
    }
}

/// What happened, in an agreement's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event<'r> {
    /// The agreement starts.
    Started,
    /// Its status changes.
    Status {
        /// The new status.
        status: Status,
        /// Why, if recorded.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'r str>,
    },
    /// A party joins.
    Joined {
        /// The party.
        party: &'r PartyId,
        /// Its role.
        role: Role,
    },
    /// A member serves notice to withdraw.
    NoticeServed {
        /// The member.
        party: &'r PartyId,
        /// The day it is out, if set.
        #[serde(skip_serializing_if = "Option::is_none")]
        withdrawal: Option<NaiveDate>,
    },
    /// A member leaves: this is the first day it is not a member.
    Left {
        /// The former member.
        party: &'r PartyId,
    },
    /// A review is held.
    Reviewed {
        /// The body that held it.
        #[serde(skip_serializing_if = "Option::is_none")]
        by: Option<&'r BodyId>,
        /// Its outcome.
        #[serde(skip_serializing_if = "Option::is_none")]
        outcome: Option<&'r str>,
    },
    /// The agreement is amended.
    Amended {
        /// Variation, extension or renewal.
        kind: AmendmentKind,
        /// What it does.
        summary: &'r str,
        /// Each change, with its value before and after.
        changes: &'r [FieldChange],
    },
    /// The agreement reaches its fixed end: the first day it is over.
    Ended,
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

/// Every dated fact about `a`, in date order (then start, status, joinings,
/// amendments, reviews, notices, departures, end; then in record order).
fn entries(a: &Agreement) -> Vec<HistoryEntry<'_>> {
    let entry = |date, recorded, event| HistoryEntry {
        date,
        recorded,
        event,
    };
    let mut out = Vec::with_capacity(
        2 + a.status.len() + 3 * a.members.len() + a.review.held.len() + a.amendments.len(),
    );
    out.push(entry(a.start, None, Event::Started));
    for StatusChange {
        status,
        from,
        recorded,
        note,
        ..
    } in &a.status
    {
        out.push(entry(
            *from,
            *recorded,
            Event::Status {
                status: *status,
                note: note.as_deref(),
            },
        ));
    }
    for m in &a.members {
        out.push(entry(
            m.joined,
            m.recorded.joined,
            Event::Joined {
                party: &m.party,
                role: m.role,
            },
        ));
        if let Some(served) = m.notice_served {
            out.push(entry(
                served,
                m.recorded.notice_served,
                Event::NoticeServed {
                    party: &m.party,
                    withdrawal: m.left,
                },
            ));
        }
        if let Some(left) = m.left {
            out.push(entry(
                left,
                m.recorded.left,
                Event::Left { party: &m.party },
            ));
        }
    }
    for r in &a.review.held {
        out.push(entry(
            r.date,
            r.recorded,
            Event::Reviewed {
                by: r.by.as_ref(),
                outcome: r.outcome.as_deref(),
            },
        ));
    }
    for am in &a.amendments {
        out.push(entry(
            am.date,
            am.recorded,
            Event::Amended {
                kind: am.kind,
                summary: &am.summary,
                changes: &am.changes,
            },
        ));
    }
    if let Some(end) = a.end {
        out.push(entry(end, None, Event::Ended));
    }
    // A stable sort keeps record order within a day and kind.
    out.sort_by_key(|e| (e.date, e.event.rank()));
    out
}

impl Registry {
    /// Everything the register keeps about `agreement`, in date order, past
    /// and future: its start, status changes, joinings, notices and
    /// departures, reviews, amendments (with what each changed) and end.
    ///
    /// **O(n log n)** for n facts about the agreement.
    ///
    /// # How history is stored
    ///
    /// Nothing is overwritten. Each kind of fact lives in the record it belongs
    /// to, with the day it takes effect and, when later (or earlier), the day it
    /// was entered in the register:
    ///
    /// - status changes in [`Agreement::status`] ([`StatusChange`]: `from`,
    ///   `recorded`), appended in date order;
    /// - joinings, notices and departures in each [`Membership`](crate::Membership)
    ///   (`joined`, `notice_served`, `left`, with [`Recorded`](crate::Recorded)
    ///   entry days); a party that rejoins has a second membership;
    /// - reviews held in [`ReviewPolicy::held`](crate::ReviewPolicy::held)
    ///   (`date`, `recorded`), in date order;
    /// - amendments in [`Agreement::amendments`], each with its date, entry day
    ///   and every [`FieldChange`] with the value before and after.
    ///
    /// [`Registry::history`] gathers them into one list of [`HistoryEntry`]s;
    /// [`AsOf::history`] keeps those in effect on the day and entered by the
    /// day the register is read as it stood. A value an amendment replaced (an
    /// end date, a review date set by hand) is read back from the amendment's
    /// "before", so questions about an earlier day see the value of that day.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming an unknown agreement.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::Event;
    /// let registry = collab_registry::sample()?;
    /// let history = registry.history("em-operational-support")?;
    /// let derbyshire: Vec<(NaiveDate, &str)> = history
    ///     .iter()
    ///     .filter_map(|e| match &e.event {
    ///         Event::NoticeServed { party, .. } if party.as_str() == "derbyshire-police" => Some((e.date, "notice")),
    ///         Event::Left { party } if party.as_str() == "derbyshire-police" => Some((e.date, "left")),
    ///         _ => None,
    ///     })
    ///     .collect();
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(derbyshire, [(day(2015, 9, 30), "notice"), (day(2016, 4, 1), "left")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn history(&self, agreement: &str) -> Result<Vec<HistoryEntry<'_>>, Error> {
        Ok(entries(self.agreement(agreement)?))
    }
}

impl<'r> AsOf<'r> {
    /// The history of `agreement` up to and including the day, as the
    /// register stood when [`AsOf::as_recorded_on`] is set: facts entered
    /// after that day are left out.
    ///
    /// **O(n log n)** for n facts about the agreement.
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
    /// let by_2015 = registry.as_of(day(2015, 12, 31)).history("em-operational-support")?;
    /// assert!(by_2015.iter().all(|e| e.date <= day(2015, 12, 31)));
    /// // Started, active, five joined and Derbyshire's notice; not yet its departure.
    /// assert_eq!(by_2015.len(), 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn history(&self, agreement: &str) -> Result<Vec<HistoryEntry<'r>>, Error> {
        let a = self.registry().agreement(agreement)?;
        let mut all = entries(a);
        all.retain(|e| {
            e.date <= self.date() && self.recorded_on().is_none_or(|t| e.entered() <= t)
        });
        Ok(all)
    }
}

/// The value of `field` (a path such as `end` or `review.next_due`) on
/// `date`, as the register stood on `register_date` if given, read back
/// through the amendments that changed it.
///
/// `None` when no amendment changed it after that day, so the record's
/// value stands; `Some(None)` when the field was absent then.
pub(crate) fn amended_value_on(
    a: &Agreement,
    field: &str,
    date: NaiveDate,
    register_date: Option<NaiveDate>,
) -> Option<Option<Value>> {
    let known = |d: NaiveDate, recorded: Option<NaiveDate>| {
        d <= date && register_date.is_none_or(|t| recorded.unwrap_or(d) <= t)
    };
    let mut touching: Vec<Touch> = Vec::new();
    for (i, am) in a.amendments.iter().enumerate() {
        for c in &am.changes {
            let value = |v: &Option<Value>| -> Option<Value> {
                if c.field == field {
                    v.clone()
                } else {
                    let rest = field.strip_prefix(c.field.as_str())?.strip_prefix('.')?;
                    rest.split('.')
                        .try_fold(v.as_ref()?, |v, key| v.get(key))
                        .cloned()
                }
            };
            if c.field == field || field.starts_with(&format!("{}.", c.field)) {
                touching.push(Touch {
                    date: am.date,
                    position: i,
                    in_effect: known(am.date, am.recorded),
                    before: value(&c.before),
                    after: value(&c.after),
                });
            }
        }
    }
    if touching.iter().all(|t| t.in_effect) {
        return None;
    }
    // The latest change in effect sets the value; with none, the value before
    // the first amendment made.
    let latest = touching
        .iter()
        .filter(|t| t.in_effect)
        .max_by_key(|t| (t.date, t.position))
        .map(|t| t.after.clone());
    let original = touching
        .iter()
        .min_by_key(|t| t.position)
        .map(|t| t.before.clone());
    latest.or(original)
}

/// One amendment's change to a field.
struct Touch {
    /// The day the amendment takes effect.
    date: NaiveDate,
    /// Its position in the amendment history.
    position: usize,
    /// Whether it is in effect on the day asked, as the register stood.
    in_effect: bool,
    /// The field's value before and after.
    before: Option<Value>,
    after: Option<Value>,
}

/// A date field read back through amendments, or the record's value.
pub(crate) fn amended_date_on(
    a: &Agreement,
    field: &str,
    current: Option<NaiveDate>,
    date: NaiveDate,
    register_date: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match amended_value_on(a, field, date, register_date) {
        None => current,
        Some(v) => v
            .as_ref()
            .and_then(Value::as_str)
            .and_then(|s| crate::dates::parse_date(s).ok()),
    }
}
