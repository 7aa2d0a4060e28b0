//! Governance questions: which bodies govern an agreement, which seats a
//! party holds, the chain a body reports up, and the reviews coming to each
//! body.
//!
//! Seats, "governs" and "reports to" are dated spells, so every answer is
//! the governance of the day asked (as the register stood on the register
//! day, when one is set): a board is counted with the seats of that day.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::model::{BodyId, BodyKind, DecisionRule, SeatRole, Spell};
use crate::store::{AgreementKey, BodyKey};
use crate::time::{At, BodyView, spell_holds};

use super::calendar::ReviewDue;
use super::{AgreementRef, AsOf, BodyRef};

/// A body that governs an agreement on the day, directly or through an
/// umbrella.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GoverningBody<'r> {
    /// The body, named as on the day.
    pub body: BodyRef<'r>,
    /// What sort of body it is, on the day.
    pub kind: BodyKind,
    /// How it decides, on the day.
    pub rule: &'r DecisionRule,
    /// The umbrella through which it governs, or `null` when it governs the
    /// agreement directly.
    pub through: Option<AgreementRef<'r>>,
}

/// A seat a party holds on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SeatHeld<'r> {
    /// The body, named as on the day.
    pub body: BodyRef<'r>,
    /// What sort of body it is, on the day.
    pub kind: BodyKind,
    /// The seat's role.
    pub role: SeatRole,
    /// The votes the seat casts.
    pub votes: u32,
    /// How the body decides, on the day.
    pub rule: &'r DecisionRule,
    /// The first day the seat is held, or `null` when it always has been.
    pub from: Option<NaiveDate>,
    /// The first day it is no longer held, as known, or `null`.
    pub until: Option<NaiveDate>,
}

/// One step of a reporting chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ChainLink<'r> {
    /// 0 for the body asked about, 1 for the body it reports to, ...
    pub level: usize,
    /// The body, named as on the day.
    pub body: BodyRef<'r>,
    /// What sort of body it is, on the day.
    pub kind: BodyKind,
    /// How it decides, on the day.
    pub rule: &'r DecisionRule,
}

/// The reviews coming to one governance body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BodyReviews<'r> {
    /// The body, or `null` for the agreements no body governs.
    pub body: Option<BodyRef<'r>>,
    /// Its reviews, in date order then by agreement id.
    pub reviews: Vec<ReviewDue<'r>>,
}

/// The body as answers name it, as of the view's day.
fn body_ref<'r>(view: &BodyView<'r>) -> BodyRef<'r> {
    BodyRef::new(view.record().id(), view.name())
}

/// The end of a spell, if the register knew of it.
fn known_until(spell: &Spell, at: At) -> Option<NaiveDate> {
    spell
        .until
        .filter(|_| spell.end_entered().is_none_or(|e| at.knows(e)))
}

impl<'r> AsOf<'r> {
    /// The bodies governing the agreement at `key` on the day, nearest
    /// level first, each level by body id; a body appears once, at its
    /// nearest level.
    fn governing(&self, key: AgreementKey) -> Vec<GoverningBody<'r>> {
        let index = &self.registry().index;
        let mut level = Some(key);
        let mut visited: BTreeSet<AgreementKey> = BTreeSet::new();
        let mut listed: BTreeSet<BodyKey> = BTreeSet::new();
        let mut rows = Vec::new();
        let mut direct = true;
        // A cycle of umbrellas on the day ends the walk at the first repeat.
        while let Some(key) = level.filter(|k| visited.insert(*k)) {
            let Some(view) = self.view(key) else { break };
            let mut here: Vec<BodyView<'r>> = Vec::new();
            for &b in index
                .governed_by
                .get(key.index())
                .map_or(&[][..], Vec::as_slice)
            {
                let Some(body) = self.body_view(b) else {
                    continue;
                };
                if !listed.contains(&b) && body.is_known() && body.governs().any(|a| a == view.id())
                {
                    listed.insert(b);
                    here.push(body);
                }
            }
            here.sort_unstable_by(|x, y| x.record().id().cmp(y.record().id()));
            let through = (!direct).then(|| AsOf::agreement_ref(&view));
            rows.extend(here.into_iter().map(|b| GoverningBody {
                body: body_ref(&b),
                kind: b.kind(),
                rule: b.decision_rule(),
                through,
            }));
            direct = false;
            level = view
                .part_of()
                .and_then(|up| self.agreement_key(up.as_str()).ok());
        }
        rows
    }

    /// The bodies governing `agreement` on the day: those governing it
    /// directly, then those governing each umbrella above it (the umbrella
    /// of the day, as the register stood), nearest first, each level by body
    /// id; a body appears once, at its nearest level.
    ///
    /// **O(Σ b · g)** over the agreement and its umbrellas: b bodies the
    /// index lists as governing each at some time, each checked against the
    /// g agreements it governs.
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
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let bodies = registry.as_of(on).governing_bodies("em-major-crime")?;
    /// let ids: Vec<&str> = bodies.iter().map(|b| b.body.id.as_str()).collect();
    /// assert_eq!(ids, ["em-operational-delivery-board", "em-joint-management-board", "em-regional-meeting"]);
    /// assert_eq!(bodies[1].through.map(|a| a.id.as_str()), Some("em-collaboration-programme"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn governing_bodies(&self, agreement: &str) -> Result<Vec<GoverningBody<'r>>, Error> {
        Ok(self.governing(self.agreement_key(agreement)?))
    }

    /// The seats `party` holds on the day, as the register stood, by body
    /// id, then role, then the day the seat began.
    ///
    /// Read from the party's seat index, each seat's spell checked on the
    /// day: **O(s log s)** for s seats the party holds at some time.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for a party
    /// the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// // The commissioner sits on the College of Policing, NEP and ESMCP boards, among others.
    /// let seats = registry.as_of(on).seats_of("northamptonshire-pfcc")?;
    /// assert_eq!(seats.len(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn seats_of(&self, party: &str) -> Result<Vec<SeatHeld<'r>>, Error> {
        let key = self.party_key(party)?;
        let at = self.at();
        let mut rows: Vec<SeatHeld<'r>> = self
            .registry()
            .index
            .seats
            .get(key.index())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&(b, position)| {
                let body = self.body_view(b).filter(BodyView::is_known)?;
                let seat = body.record().seats().get(position as usize)?;
                spell_holds(&seat.spell, at).then(|| SeatHeld {
                    body: body_ref(&body),
                    kind: body.kind(),
                    role: seat.role,
                    votes: seat.votes,
                    rule: body.decision_rule(),
                    from: seat.spell.from,
                    until: known_until(&seat.spell, at),
                })
            })
            .collect();
        rows.sort_unstable_by(|x, y| (x.body.id, x.role, x.from).cmp(&(y.body.id, y.role, y.from)));
        Ok(rows)
    }

    /// The chain `body` reports up on the day: the body itself, then the
    /// body it reports to that day, and so on to the top. Should a body
    /// report to two on one day, the line entered first is followed; a cycle
    /// ends the chain before the first body repeated.
    ///
    /// **O(Σ r)** for r reports-to lines of each body in the chain.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for a body the
    /// register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let chain = registry.as_of(on).reporting_chain("em-support-delivery-board")?;
    /// let ids: Vec<&str> = chain.iter().map(|c| c.body.id.as_str()).collect();
    /// assert_eq!(ids, ["em-support-delivery-board", "em-joint-management-board", "em-regional-meeting"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reporting_chain(&self, body: &str) -> Result<Vec<ChainLink<'r>>, Error> {
        let mut next = Some(self.body_key(body)?);
        let mut visited: BTreeSet<BodyKey> = BTreeSet::new();
        let mut rows = Vec::new();
        while let Some(key) = next.filter(|k| visited.insert(*k)) {
            let Some(b) = self.body_view(key) else { break };
            rows.push(ChainLink {
                level: rows.len(),
                body: body_ref(&b),
                kind: b.kind(),
                rule: b.decision_rule(),
            });
            next = b
                .reports_to()
                .find_map(|up| self.body_key(up.as_str()).ok());
        }
        Ok(rows)
    }

    /// Reviews due from `from` to `to` (both included), as
    /// [`AsOf::reviews_due`] lists them, grouped by the bodies governing
    /// each agreement on the day: those governing it directly, or failing
    /// those the nearest umbrella's. Bodies by id, then a group with no body
    /// for agreements none governs; an agreement two bodies govern appears
    /// under each.
    ///
    /// **O(log A + k · w + c)** for k reviews in the range, w the cost of
    /// [`AsOf::governing_bodies`] for each, and c agreements changed after
    /// the day.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let groups = registry.as_of(day(2026, 11, 23)).reviews_by_body(day(2026, 1, 1), day(2027, 3, 31));
    /// let delivery = groups.iter().find(|g| g.body.is_some_and(|b| b.id.as_str() == "em-operational-delivery-board")).unwrap();
    /// let ids: Vec<&str> = delivery.reviews.iter().map(|r| r.agreement.id.as_str()).collect();
    /// assert_eq!(ids, ["em-operational-support", "em-major-crime"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn reviews_by_body(&self, from: NaiveDate, to: NaiveDate) -> Vec<BodyReviews<'r>> {
        let mut groups: BTreeMap<Option<&'r BodyId>, BodyReviews<'r>> = BTreeMap::new();
        for (key, review) in self.reviews_due_keyed(from, to) {
            let bodies = self.governing(key);
            let nearest = bodies.first().map(|b| b.through.map(|a| a.id));
            let mut owners: Vec<Option<BodyRef<'r>>> = bodies
                .iter()
                .filter(|b| Some(b.through.map(|a| a.id)) == nearest)
                .map(|b| Some(b.body))
                .collect();
            if owners.is_empty() {
                owners.push(None);
            }
            for body in owners {
                groups
                    .entry(body.map(|b| b.id))
                    .or_insert_with(|| BodyReviews {
                        body,
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
}
