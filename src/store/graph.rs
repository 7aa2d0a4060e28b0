//! The collaboration graph as a `petgraph` graph: a view derived from the
//! records on demand, not the registry's storage.

use petgraph::graph::{DiGraph, NodeIndex};

use super::Registry;
use super::keys::{AgreementKey, BodyKey, PartyKey};

/// A node of the registry graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Node {
    /// A party.
    Party(PartyKey),
    /// An agreement.
    Agreement(AgreementKey),
    /// A governance body.
    Body(BodyKey),
}

/// An edge of the registry graph, directed as its name reads. The dates of
/// each link are on the record it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Link {
    /// Agreement to party: the membership at this position of the
    /// agreement's [members](crate::model::Agreement::members).
    Member(u32),
    /// Agreement to party: the party declined an invitation.
    Declined,
    /// Agreement to its umbrella, as the terms now stand.
    PartOf,
    /// Body to an agreement it governs at some time.
    Governs,
    /// Body to the party holding the seat at this position of its
    /// [seats](crate::model::GovernanceBody::seats).
    Seat(u32),
    /// Body to a body it reports to at some time.
    ReportsTo,
    /// Overseeing party to the party it oversees at some time.
    Oversees,
}

impl Registry {
    /// The registry as a directed `petgraph` graph: every party, agreement
    /// and body a node (parties first, then agreements, then bodies, each in
    /// key order, so node `i` of each kind is key `i`), every link ever
    /// recorded an edge. Built on demand in **O(V + E)**; the registry does
    /// not store it, so nothing it returns can go stale.
    ///
    /// The graph's types are petgraph's (0.8) and may change with petgraph's
    /// major versions; the registry's own questions ([`Registry::as_of`])
    /// are the stable way to ask.
    ///
    /// ```
    /// use collab_registry::{Link, Node};
    /// let registry = collab_registry::sample()?;
    /// let graph = registry.graph();
    /// assert_eq!(graph.node_count(), registry.parties().len() + registry.agreements().len() + registry.bodies().len());
    /// let members = graph.edge_weights().filter(|l| matches!(l, Link::Member(_))).count();
    /// assert_eq!(members, registry.agreements().iter().map(|a| a.members().len()).sum::<usize>());
    /// # let _ = Node::Party;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn graph(&self) -> DiGraph<Node, Link, u32> {
        let edges = self.index.memberships.iter().map(Vec::len).sum::<usize>();
        let mut g = DiGraph::with_capacity(
            self.parties
                .len()
                .saturating_add(self.agreements.len())
                .saturating_add(self.bodies.len()),
            edges,
        );
        let party: Vec<NodeIndex<u32>> = (0..self.parties.len())
            .map(|i| g.add_node(Node::Party(PartyKey(super::key(i)))))
            .collect();
        let agreement: Vec<NodeIndex<u32>> = (0..self.agreements.len())
            .map(|i| g.add_node(Node::Agreement(AgreementKey(super::key(i)))))
            .collect();
        let body: Vec<NodeIndex<u32>> = (0..self.bodies.len())
            .map(|i| g.add_node(Node::Body(BodyKey(super::key(i)))))
            .collect();
        let node = |nodes: &[NodeIndex<u32>], i: usize| nodes.get(i).copied();
        for (p, refs) in self.index.memberships.iter().enumerate() {
            for r in refs {
                if let (Some(from), Some(to)) =
                    (node(&agreement, r.agreement.index()), node(&party, p))
                {
                    g.add_edge(from, to, Link::Member(r.position));
                }
            }
        }
        for (p, declined) in self.index.declined.iter().enumerate() {
            for a in declined {
                if let (Some(from), Some(to)) = (node(&agreement, a.index()), node(&party, p)) {
                    g.add_edge(from, to, Link::Declined);
                }
            }
        }
        for (parent, parts) in self.index.parts.iter().enumerate() {
            for child in parts {
                if let (Some(from), Some(to)) =
                    (node(&agreement, child.index()), node(&agreement, parent))
                {
                    g.add_edge(from, to, Link::PartOf);
                }
            }
        }
        for (a, bodies) in self.index.governed_by.iter().enumerate() {
            for b in bodies {
                if let (Some(from), Some(to)) = (node(&body, b.index()), node(&agreement, a)) {
                    g.add_edge(from, to, Link::Governs);
                }
            }
        }
        for (p, seats) in self.index.seats.iter().enumerate() {
            for (b, position) in seats {
                if let (Some(from), Some(to)) = (node(&body, b.index()), node(&party, p)) {
                    g.add_edge(from, to, Link::Seat(*position));
                }
            }
        }
        for (up, reporting) in self.index.reporting.iter().enumerate() {
            for b in reporting {
                if let (Some(from), Some(to)) = (node(&body, b.index()), node(&body, up)) {
                    g.add_edge(from, to, Link::ReportsTo);
                }
            }
        }
        for (by, overseen) in self.index.oversees.iter().enumerate() {
            for p in overseen {
                if let (Some(from), Some(to)) = (node(&party, by), node(&party, p.index())) {
                    g.add_edge(from, to, Link::Oversees);
                }
            }
        }
        g
    }
}
