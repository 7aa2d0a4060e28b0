//! The two graphs the DOT and `GraphML` exports draw, worked out once so that
//! both formats hold the same nodes and edges: the collaboration network,
//! and the governance tree.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{BodyId, BodyKind, PartyKind, SeatRole, Status};
use crate::questions::AsOf;
use crate::time::{AgreementView, BodyView};

/// What a node stands for, with what colours or shapes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// A party, of its kind on the day (`None` should the register not hold
    /// it, which a party in the network never is).
    Party(Option<PartyKind>),
    /// A governance body, of its kind on the day.
    Body(BodyKind),
    /// An agreement, with its status on the day.
    Agreement(Option<Status>),
}

/// One node: a stable id, the name a reader sees, and what it is.
#[derive(Debug, Clone)]
pub(super) struct Node<'r> {
    pub(super) id: String,
    pub(super) name: &'r str,
    pub(super) class: Class,
}

/// What an edge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Relation {
    /// Two parties share `count` agreements on the day.
    Shares(u32),
    /// A party holds a seat on a body, in a role, with its votes.
    Seat(SeatRole, u32),
    /// A body reports to another.
    ReportsTo,
    /// A body governs an agreement.
    Governs,
}

/// One edge, between the ids of two nodes of the graph.
#[derive(Debug, Clone)]
pub(super) struct Edge {
    pub(super) from: String,
    pub(super) to: String,
    pub(super) relation: Relation,
}

/// A graph to draw: nodes in a fixed order, edges between them.
#[derive(Debug, Clone)]
pub(super) struct Graph<'r> {
    pub(super) nodes: Vec<Node<'r>>,
    pub(super) edges: Vec<Edge>,
}

impl Graph<'_> {
    /// The party kinds of its party nodes, in file order, for a legend.
    pub(super) fn kinds(&self) -> Vec<PartyKind> {
        let present: BTreeSet<PartyKind> = self
            .nodes
            .iter()
            .filter_map(|n| match n.class {
                Class::Party(kind) => kind,
                _ => None,
            })
            .collect();
        PartyKind::ALL
            .iter()
            .copied()
            .filter(|k| present.contains(k))
            .collect()
    }
}

/// The collaboration network of [`AsOf::network`]: a node per party, by id,
/// named and of its kind as of the day; an edge per pair sharing agreements
/// with how many, as [`Network::links`](crate::questions::Network::links)
/// gives them. **O(A + Σ m² + V log V + E log E)**, as the network.
pub(super) fn network<'r>(asof: &AsOf<'r>) -> Graph<'r> {
    let network = asof.network();
    let nodes = network
        .parties()
        .into_iter()
        .map(|p| Node {
            id: p.id.to_string(),
            name: p.name,
            class: Class::Party(asof.party(p.id.as_str()).ok().map(|v| v.kind())),
        })
        .collect();
    let edges = network
        .links()
        .into_iter()
        .map(|l| Edge {
            from: l.a.id.to_string(),
            to: l.b.id.to_string(),
            relation: Relation::Shares(l.shared),
        })
        .collect();
    Graph { nodes, edges }
}

/// The governance tree on the day: every body the register knew, the
/// agreements each governs that count on the day, the bodies each reports
/// to, and the parties holding seats, each seat an edge from the party to
/// the body. Nodes are bodies, then agreements, then parties, each by id;
/// ids are prefixed (`body:`, `agreement:`, `party:`) since a body and an
/// agreement may share a slug. A pass over the bodies and their links:
/// **O(B log B + Σ (g + r + s))** for g agreements governed, r lines and s
/// seats of each body.
pub(super) fn governance<'r>(asof: &AsOf<'r>) -> Graph<'r> {
    let at = asof.at();
    let mut bodies: Vec<BodyView<'r>> = asof
        .registry()
        .bodies()
        .iter()
        .map(|b| BodyView::new(b, at))
        .filter(BodyView::is_known)
        .collect();
    bodies.sort_unstable_by(|x, y| x.record().id().cmp(y.record().id()));
    let known: BTreeSet<&BodyId> = bodies.iter().map(|b| b.record().id()).collect();
    let mut agreements: BTreeMap<String, AgreementView<'r>> = BTreeMap::new();
    let mut parties: BTreeMap<String, Node<'r>> = BTreeMap::new();
    let mut edges: Vec<Edge> = Vec::new();
    let mut nodes: Vec<Node<'r>> = Vec::new();
    for body in &bodies {
        let id = format!("body:{}", body.record().id());
        nodes.push(Node {
            id: id.clone(),
            name: body.name(),
            class: Class::Body(body.kind()),
        });
        for agreement in body.governs() {
            let Ok(view) = asof.agreement(agreement.as_str()) else {
                continue;
            };
            if !asof.counts(&view) {
                continue;
            }
            let to = format!("agreement:{agreement}");
            agreements.entry(to.clone()).or_insert(view);
            edges.push(Edge {
                from: id.clone(),
                to,
                relation: Relation::Governs,
            });
        }
        for up in body.reports_to().filter(|up| known.contains(up)) {
            edges.push(Edge {
                from: id.clone(),
                to: format!("body:{up}"),
                relation: Relation::ReportsTo,
            });
        }
        for seat in body.seats() {
            let Ok(party) = asof.party(seat.party.as_str()) else {
                continue;
            };
            let from = format!("party:{}", seat.party);
            parties.entry(from.clone()).or_insert_with(|| Node {
                id: from.clone(),
                name: party.name(),
                class: Class::Party(Some(party.kind())),
            });
            edges.push(Edge {
                from,
                to: id.clone(),
                relation: Relation::Seat(seat.role, seat.votes),
            });
        }
    }
    nodes.extend(agreements.into_iter().map(|(id, view)| Node {
        id,
        name: view.title(),
        class: Class::Agreement(view.status()),
    }));
    nodes.extend(parties.into_values());
    edges.sort_by(|x, y| (&x.from, &x.to, x.relation).cmp(&(&y.from, &y.to, y.relation)));
    Graph { nodes, edges }
}
