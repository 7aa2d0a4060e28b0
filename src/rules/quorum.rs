//! An agreement in force needs two members taking part (any role but
//! observer) on every day it is in force. One whose members are held by
//! class, or whose member list is not published, does not list them all,
//! so the count is not asked of it.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::{Agreement, AgreementChange, PartialDate, PartyId, Role, Status};
use crate::problem::{Path, ProblemCode as Code, Problems};

/// A membership, named by its party and joining day.
type MemberKey<'a> = (&'a PartyId, PartialDate);

/// A role change: the day, the role before and the role after.
type RoleChange = (NaiveDate, Role, Role);

/// Where a change sits, to sort by: its day, its amendment, its place there.
type Order = (NaiveDate, usize, usize);

/// The role changes amendments made to each membership, in (date, entry)
/// order, keyed by party and joining day.
fn role_changes(a: &Agreement) -> HashMap<MemberKey<'_>, Vec<RoleChange>> {
    let mut out: HashMap<MemberKey<'_>, Vec<(Order, RoleChange)>> = HashMap::new();
    for (i, am) in a.amendments.iter().enumerate() {
        for (j, c) in am.changes.iter().enumerate() {
            if let AgreementChange::Role(party, joined, c) = c {
                out.entry((party, *joined))
                    .or_default()
                    .push(((am.date, i, j), (am.date, c.before, c.after)));
            }
        }
    }
    out.into_iter()
        .map(|(k, mut v)| {
            v.sort_by_key(|(order, _)| *order);
            (k, v.into_iter().map(|(_, change)| change).collect())
        })
        .collect()
}

/// Whether the agreement's list of members is the whole of them.
fn lists_every_member(a: &Agreement) -> bool {
    a.members_published && a.classes.is_empty()
}

/// Checks the whole agreement: a sweep over the days membership, roles or
/// status change, **O(m log m)** for m memberships. The first shortfall is
/// reported, at the status change that puts it in force.
pub(crate) fn whole(a: &Agreement, path: &Path<'_>, out: &mut Problems) {
    if !lists_every_member(a) {
        return;
    }
    let roles = if a.amendments.is_empty() {
        HashMap::new()
    } else {
        role_changes(a)
    };
    let mut events: Vec<(NaiveDate, i64)> = Vec::with_capacity(
        a.members
            .len()
            .saturating_mul(2)
            .saturating_add(a.status.len())
            .saturating_add(1),
    );
    for m in &a.members {
        let Some(period) = m.period() else { continue };
        let changes = roles.get(&(m.party(), m.joined()));
        let mut role = changes
            .and_then(|c| c.first())
            .map_or(m.role(), |(_, before, _)| *before);
        let weight = |r: Role| i64::from(r.takes_part());
        events.push((period.start(), weight(role)));
        for (day, _, after) in changes.into_iter().flatten() {
            if period.contains(*day) && *day > period.start() {
                events.push((*day, weight(*after).saturating_sub(weight(role))));
                role = *after;
            } else if *day <= period.start() {
                // A change in effect from before it joined sets its role from the start.
                if let Some(first) = events.last_mut() {
                    first.1 = weight(*after);
                }
                role = *after;
            }
        }
        if let Some(end) = period.end() {
            events.push((end, weight(role).saturating_neg()));
        }
    }
    for c in &a.status {
        events.push((c.from.first_day().max(a.start.first_day()), 0));
    }
    events.push((a.start.first_day(), 0));
    events.sort_unstable_by_key(|e| e.0);
    let mut members: i64 = 0;
    let mut at = 0;
    while let Some(&(on, _)) = events.get(at) {
        while let Some(&(day, delta)) = events.get(at) {
            if day != on {
                break;
            }
            members = members.saturating_add(delta);
            at = at.saturating_add(1);
        }
        if on < a.start.first_day() || a.terms.end.is_some_and(|end| on >= end) {
            continue;
        }
        let j = a.status.partition_point(|c| c.from.first_day() <= on);
        let Some((j, change)) = j
            .checked_sub(1)
            .and_then(|j| a.status.get(j).map(|c| (j, c)))
        else {
            continue;
        };
        if change.status.is_in_force() && members < 2 {
            out.at(
                &path.key("status").index(j),
                Code::TooFewMembers,
                format!(
                    "an agreement that is {} needs at least two members taking part, but on {on} it has {members}",
                    change.status
                ),
            );
            return;
        }
    }
}

/// Checks the rule after a change that could lower the count from `from`
/// on: at once when two members take part without a break from `from` to
/// the end (the usual case, found in a few steps), else by the whole sweep.
pub(crate) fn from(a: &Agreement, from: NaiveDate, path: &Path<'_>, out: &mut Problems) {
    if !lists_every_member(a) {
        return;
    }
    let steady = a.amendments.iter().all(|am| {
        am.changes
            .iter()
            .all(|c| !matches!(c, AgreementChange::Role(..)))
    });
    if steady {
        let covering = a
            .members
            .iter()
            .filter(|m| {
                m.role().takes_part()
                    && m.joined().first_day() <= from
                    && m.left()
                        .is_none_or(|left| a.terms.end.is_some_and(|end| left.first_day() >= end))
            })
            .take(2)
            .count();
        let ended = a
            .status
            .last()
            .is_some_and(|c| c.status == Status::Terminated && c.from.first_day() <= from);
        if covering >= 2 || ended {
            return;
        }
    }
    whole(a, path, out);
}
