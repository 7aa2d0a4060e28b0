//! Governance questions: which bodies govern an agreement, which bodies a
//! party sits on, and the chain a body reports up.
//!
//! Seats, "governs" and "reports to" are not dated in the register, so these
//! answers are the same on every day; they hang off [`AsOf`] like every other
//! question so that dated governance can come without changing the calls.
//! Whether a proposal passes is in [`AsOf::decide`].

use std::collections::BTreeSet;

use petgraph::Direction;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::agreement::Agreement;
use crate::error::Error;
use crate::governance::{BodyKind, DecisionRule, GovernanceBody, SeatRole};
use crate::id::{AgreementId, BodyId};
use crate::query::AsOf;
use crate::registry::{AgreementKey, BodyKey, Link, Node};

/// A body that governs an agreement, directly or through an umbrella.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoverningBody<'r> {
    /// The body.
    pub body: &'r BodyId,
    /// Its name.
    pub name: &'r str,
    /// What sort of body it is.
    pub kind: BodyKind,
    /// How it decides.
    pub rule: &'r DecisionRule,
    /// The umbrella through which it governs, or none when it governs the
    /// agreement directly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through: Option<&'r AgreementId>,
}

/// A seat a party holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatHeld<'r> {
    /// The body.
    pub body: &'r BodyId,
    /// Its name.
    pub name: &'r str,
    /// What sort of body it is.
    pub kind: BodyKind,
    /// The seat's role.
    pub role: SeatRole,
    /// The votes the seat casts.
    pub votes: u32,
    /// How the body decides.
    pub rule: &'r DecisionRule,
}

/// One step of a reporting chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainLink<'r> {
    /// 0 for the body asked about, 1 for the body it reports to, ...
    pub level: usize,
    /// The body.
    pub body: &'r BodyId,
    /// Its name.
    pub name: &'r str,
    /// What sort of body it is.
    pub kind: BodyKind,
    /// How it decides.
    pub rule: &'r DecisionRule,
}

impl<'r> AsOf<'r> {
    /// The bodies governing `agreement`: those governing it directly, then
    /// those governing each umbrella above it, nearest first, each level by
    /// body id; a body appears once, at its nearest level.
    ///
    /// Walks outgoing "part of" edges up and incoming "governs" edges at each
    /// level: **O(Σ degree)** over the agreement and its umbrellas.
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
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let bodies = registry.as_of(on).governing_bodies("em-major-crime")?;
    /// let ids: Vec<&str> = bodies.iter().map(|b| b.body.as_str()).collect();
    /// assert_eq!(ids, ["em-operational-delivery-board", "em-joint-management-board", "em-regional-meeting"]);
    /// assert_eq!(bodies[1].through.map(|a| a.as_str()), Some("em-collaboration-programme"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn governing_bodies(&self, agreement: &str) -> Result<Vec<GoverningBody<'r>>, Error> {
        let registry = self.registry();
        let graph = registry.graph();
        let mut level = Some(registry.agreement_key(agreement)?);
        let mut visited: BTreeSet<AgreementKey> = BTreeSet::new();
        let mut listed: BTreeSet<BodyKey> = BTreeSet::new();
        let mut rows = Vec::new();
        let mut direct = true;
        while let Some(key) = level.filter(|k| visited.insert(*k)) {
            let node = registry.agreement_node(key);
            let a: &'r Agreement = registry.agreement_at(key);
            let mut here: Vec<&'r GovernanceBody> = graph
                .edges_directed(node, Direction::Incoming)
                .filter_map(|e| match (e.weight(), graph[e.source()]) {
                    (Link::Governs, Node::Body(b)) if listed.insert(b) => Some(registry.body_at(b)),
                    _ => None,
                })
                .collect();
            here.sort_unstable_by(|x, y| x.id.cmp(&y.id));
            rows.extend(here.into_iter().map(|b| GoverningBody {
                body: &b.id,
                name: &b.name,
                kind: b.kind,
                rule: &b.decision_rule,
                through: (!direct).then_some(&a.id),
            }));
            direct = false;
            level = graph
                .edges_directed(node, Direction::Outgoing)
                .find_map(|e| match (e.weight(), graph[e.target()]) {
                    (Link::PartOf, Node::Agreement(up)) => Some(up),
                    _ => None,
                });
        }
        Ok(rows)
    }

    /// The seats `party` holds, by body id then role.
    ///
    /// Read from the party's incoming seat edges: **O(d log d)**.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming an unknown party.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// // The commissioner sits on the College of Policing, NEP and ESMCP boards.
    /// let seats = registry.as_of(on).seats_of("northamptonshire-pfcc")?;
    /// assert_eq!(seats.len(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn seats_of(&self, party: &str) -> Result<Vec<SeatHeld<'r>>, Error> {
        let registry = self.registry();
        let graph = registry.graph();
        let key = registry.party_key(party)?;
        let mut rows: Vec<SeatHeld<'r>> = graph
            .edges_directed(registry.party_node(key), Direction::Incoming)
            .filter_map(|e| match (e.weight(), graph[e.source()]) {
                (Link::Seat(pos), Node::Body(b)) => {
                    let body = registry.body_at(b);
                    body.seats.get(*pos as usize).map(|seat| SeatHeld {
                        body: &body.id,
                        name: &body.name,
                        kind: body.kind,
                        role: seat.role,
                        votes: seat.votes,
                        rule: &body.decision_rule,
                    })
                }
                _ => None,
            })
            .collect();
        rows.sort_unstable_by(|x, y| (x.body, x.role).cmp(&(y.body, y.role)));
        Ok(rows)
    }

    /// The chain `body` reports up: the body itself, then the body it
    /// reports to, and so on to the top. A cycle in the data ends the chain
    /// before the first body repeated.
    ///
    /// **O(length of the chain)**.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming an unknown body.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let chain = registry.as_of(on).reporting_chain("em-support-delivery-board")?;
    /// let ids: Vec<&str> = chain.iter().map(|c| c.body.as_str()).collect();
    /// assert_eq!(ids, ["em-support-delivery-board", "em-joint-management-board", "em-regional-meeting"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reporting_chain(&self, body: &str) -> Result<Vec<ChainLink<'r>>, Error> {
        let registry = self.registry();
        let graph = registry.graph();
        let mut next = Some(registry.body_key(body)?);
        let mut visited: BTreeSet<BodyKey> = BTreeSet::new();
        let mut rows = Vec::new();
        while let Some(key) = next.filter(|k| visited.insert(*k)) {
            let b = registry.body_at(key);
            rows.push(ChainLink {
                level: rows.len(),
                body: &b.id,
                name: &b.name,
                kind: b.kind,
                rule: &b.decision_rule,
            });
            next = graph
                .edges_directed(registry.body_node(key), Direction::Outgoing)
                .find_map(|e| match (e.weight(), graph[e.target()]) {
                    (Link::ReportsTo, Node::Body(up)) => Some(up),
                    _ => None,
                });
        }
        Ok(rows)
    }
}
