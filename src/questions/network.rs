//! The collaboration network on a day: who collaborates with whom, how
//! strongly, which groups are connected, which parties are hubs and which
//! hold the network together.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::NaiveDate;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::store::PartyKey;

use super::answer::PartyRef;
use super::{AsOf, DayMember};

/// The party-to-party collaboration network on one day ([`AsOf::network`]).
///
/// The registry holds agreements with one membership per member (a
/// hypergraph). The party-to-party network is a projection of it, worked
/// out for one day and scope and never stored: two parties are linked when
/// they are members, on the day, of at least one agreement that counts that
/// day, and the link's weight is how many they share. Members by class are
/// members: a national agreement of every force links every pair of its
/// forces. An agreement whose member list is not published links the
/// members it names. Only parties with at least one such membership are in
/// it. Parties are named as of the day.
///
/// The measures work on the projection, a `petgraph` undirected graph
/// ([`Network::graph`]).
#[derive(Debug, Clone)]
pub struct Network<'r> {
    asof: AsOf<'r>,
    graph: UnGraph<PartyKey, u32, u32>,
}

/// Two parties that share agreements on the day, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NetworkLink<'r> {
    /// One party, the lesser id.
    pub a: PartyRef<'r>,
    /// The other party.
    pub b: PartyRef<'r>,
    /// How many agreements they share on the day.
    pub shared: u32,
}

/// A connected group: parties linked to each other through shared
/// agreements, directly or through others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Group<'r> {
    /// How many parties.
    pub size: usize,
    /// Which, by id.
    pub parties: Vec<PartyRef<'r>>,
}

/// How connected a party is, counted directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Degree<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// How many parties it shares an agreement with (its degree).
    pub partners: usize,
    /// The sum over its partners of agreements shared (its weighted degree).
    pub shared: u64,
}

/// How much a party lies on the shortest routes between other parties.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Betweenness<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// Its betweenness centrality: summed over every pair of other parties,
    /// the share of the shortest paths between them that pass through it.
    pub score: f64,
    /// The score divided by the number of pairs of other parties,
    /// `(n - 1)(n - 2) / 2`, so 1 is the centre of a star; 0 when n < 3.
    pub normalised: f64,
}

/// A party whose loss would split the network (an articulation point).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CutParty<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// How many groups its own group falls into without it.
    pub groups_after: usize,
}

impl<'r> AsOf<'r> {
    /// The collaboration network on the day, under the scope.
    ///
    /// Which agreements are in force changes with the day asked, so this is
    /// a pass over every agreement and a link for each pair of its members
    /// on the day, listed and by class: **O(A + Σ m²)**, m counting the
    /// parties of each class, so a national agreement of n members costs
    /// n²/2 pairs (3,486 for 43 forces and 41 commissioners).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let network = registry.as_of(on).network();
    /// let groups = network.groups();
    /// assert_eq!(groups.len(), 2); // the East Midlands, and the BCH alliance
    /// assert_eq!(groups[0].size, 6); // five forces and Northamptonshire fire
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn network(&self) -> Network<'r> {
        let registry = self.registry;
        let mut pairs: HashMap<(PartyKey, PartyKey), u32> = HashMap::new();
        let mut present: Vec<PartyKey> = Vec::new();
        let mut members: Vec<PartyKey> = Vec::new();
        for agreement in registry.agreements() {
            let view = crate::time::AgreementView::new(agreement, self.at);
            if !self.counts(&view) {
                continue;
            }
            members.clear();
            members.extend(self.members_on(&view).iter().filter_map(|m| match m {
                DayMember::Class { key, .. } => Some(*key),
                DayMember::Listed(m) => registry.party_key(m.party().as_str()).ok(),
            }));
            members.sort_unstable();
            members.dedup();
            present.extend_from_slice(&members);
            for (i, a) in members.iter().enumerate() {
                for b in members.iter().skip(i.saturating_add(1)) {
                    let n = pairs.entry((*a, *b)).or_default();
                    *n = n.saturating_add(1);
                }
            }
        }
        present.sort_unstable();
        present.dedup();
        let mut graph: UnGraph<PartyKey, u32, u32> =
            UnGraph::with_capacity(present.len(), pairs.len());
        let mut nodes: HashMap<PartyKey, NodeIndex<u32>> = HashMap::with_capacity(present.len());
        for key in present {
            nodes.insert(key, graph.add_node(key));
        }
        let mut pairs: Vec<((PartyKey, PartyKey), u32)> = pairs.into_iter().collect();
        pairs.sort_unstable();
        for ((a, b), shared) in pairs {
            if let (Some(a), Some(b)) = (nodes.get(&a), nodes.get(&b)) {
                graph.add_edge(*a, *b, shared);
            }
        }
        Network { asof: *self, graph }
    }
}

impl<'r> Network<'r> {
    /// The day the network is for.
    #[must_use]
    pub fn date(&self) -> NaiveDate {
        self.asof.date()
    }

    /// The projection itself, for other `petgraph` algorithms: node weights
    /// are parties ([`Registry::party_at`](crate::Registry::party_at)), edge
    /// weights the number of agreements shared.
    ///
    /// The type is petgraph's (0.8) and may change with petgraph's major
    /// versions; the network's own questions are the stable way to ask.
    #[must_use]
    pub fn graph(&self) -> &UnGraph<PartyKey, u32, u32> {
        &self.graph
    }

    /// The party at `node`, named as of the day.
    fn party(&self, node: NodeIndex<u32>) -> Option<PartyRef<'r>> {
        let key = self.graph.node_weight(node)?;
        let party = self.asof.party_view(*key)?;
        Some(self.asof.party_ref(party.id()))
    }

    /// The parties in the network, by id: **O(V log V)**.
    #[must_use]
    pub fn parties(&self) -> Vec<PartyRef<'r>> {
        let mut parties: Vec<PartyRef<'r>> = self
            .graph
            .node_indices()
            .filter_map(|n| self.party(n))
            .collect();
        parties.sort_unstable_by(|x, y| x.id.cmp(y.id));
        parties
    }

    /// Every pair of parties that share an agreement, with how many, by id:
    /// **O(E log E)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let network = registry.as_of(on).network();
    /// let link = network.links().into_iter()
    ///     .find(|l| l.a.id.as_str() == "northamptonshire-fire")
    ///     .ok_or("no link")?;
    /// assert_eq!((link.b.id.as_str(), link.shared), ("northamptonshire-police", 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn links(&self) -> Vec<NetworkLink<'r>> {
        let mut links: Vec<NetworkLink<'r>> = self
            .graph
            .edge_references()
            .filter_map(|e| {
                let (x, y) = (self.party(e.source())?, self.party(e.target())?);
                let (a, b) = if x.id <= y.id { (x, y) } else { (y, x) };
                Some(NetworkLink {
                    a,
                    b,
                    shared: *e.weight(),
                })
            })
            .collect();
        links.sort_unstable_by(|x, y| (x.a.id, x.b.id).cmp(&(y.a.id, y.b.id)));
        links
    }

    /// The connected groups, largest first, then by their first id; each
    /// group's parties by id. Union-find over the links: **O(V + E α(V))**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let groups = registry.as_of(on).network().groups();
    /// let bch: Vec<&str> = groups[1].parties.iter().map(|p| p.id.as_str()).collect();
    /// assert_eq!(bch, ["bedfordshire-police", "cambridgeshire-constabulary", "hertfordshire-constabulary"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn groups(&self) -> Vec<Group<'r>> {
        let mut sets: UnionFind<usize> = UnionFind::new(self.graph.node_count());
        for e in self.graph.edge_references() {
            sets.union(e.source().index(), e.target().index());
        }
        let mut groups: BTreeMap<usize, Vec<PartyRef<'r>>> = BTreeMap::new();
        for node in self.graph.node_indices() {
            if let Some(party) = self.party(node) {
                groups
                    .entry(sets.find_mut(node.index()))
                    .or_default()
                    .push(party);
            }
        }
        let mut groups: Vec<Group<'r>> = groups
            .into_values()
            .map(|mut parties| {
                parties.sort_unstable_by(|x, y| x.id.cmp(y.id));
                Group {
                    size: parties.len(),
                    parties,
                }
            })
            .collect();
        groups.sort_unstable_by(|x, y| {
            y.size.cmp(&x.size).then_with(|| {
                let first = |g: &Group<'r>| g.parties.first().map(|p| p.id);
                first(x).cmp(&first(y))
            })
        });
        groups
    }

    /// Each party's degree (partners) and weighted degree (agreements
    /// shared, summed over partners); most partners first, then most
    /// shared, then by id. **O(V log V + E)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let degrees = registry.as_of(on).network().degrees();
    /// assert_eq!(degrees[0].party.id.as_str(), "northamptonshire-police");
    /// assert_eq!(degrees[0].partners, 5); // four forces and the fire service
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn degrees(&self) -> Vec<Degree<'r>> {
        let mut rows: Vec<Degree<'r>> = self
            .graph
            .node_indices()
            .filter_map(|n| {
                let (partners, shared) =
                    self.graph.edges(n).fold((0usize, 0u64), |(count, sum), e| {
                        (
                            count.saturating_add(1),
                            sum.saturating_add(u64::from(*e.weight())),
                        )
                    });
                Some(Degree {
                    party: self.party(n)?,
                    partners,
                    shared,
                })
            })
            .collect();
        rows.sort_unstable_by(|x, y| {
            y.partners
                .cmp(&x.partners)
                .then(y.shared.cmp(&x.shared))
                .then(x.party.id.cmp(y.party.id))
        });
        rows
    }

    /// Each party's betweenness centrality, highest first, then by id.
    ///
    /// Brandes' algorithm on the unweighted projection (a path's length is
    /// its number of links, whatever their weights): **O(V · E)** time,
    /// **O(V + E)** space. Scores are floating point, as path counts grow
    /// too fast for integers; they are rounded to nine decimal places so
    /// that parties in symmetric places tie exactly and are ordered by id.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let hubs = registry.as_of(on).network().betweenness();
    /// // Northamptonshire Police is the fire service's only route to the forces.
    /// assert_eq!(hubs[0].party.id.as_str(), "northamptonshire-police");
    /// assert_eq!(hubs[0].score, 4.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    #[allow(
        clippy::cast_precision_loss,
        reason = "centrality is a ratio of path counts; a network with more than 2^52 parties does not exist"
    )]
    pub fn betweenness(&self) -> Vec<Betweenness<'r>> {
        let n = self.graph.node_count();
        let scores = brandes(&self.graph);
        let pairs = if n > 2 {
            (n as f64 - 1.0) * (n as f64 - 2.0) / 2.0
        } else {
            0.0
        };
        let round = |x: f64| (x * 1e9).round() / 1e9;
        let mut rows: Vec<Betweenness<'r>> = self
            .graph
            .node_indices()
            .zip(scores)
            .filter_map(|(node, score)| {
                Some(Betweenness {
                    party: self.party(node)?,
                    score: round(score),
                    normalised: if pairs > 0.0 {
                        round(score / pairs)
                    } else {
                        0.0
                    },
                })
            })
            .collect();
        rows.sort_unstable_by(|x, y| y.score.total_cmp(&x.score).then(x.party.id.cmp(y.party.id)));
        rows
    }

    /// The parties whose loss would split their group, by id, with how many
    /// groups it would fall into.
    ///
    /// `petgraph`'s articulation points (Tarjan, **O(V + E)**), then one walk
    /// of the party's group without it to count the pieces: **O(V + E)** per
    /// party found.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let cuts = registry.as_of(on).network().articulation_points();
    /// let ids: Vec<&str> = cuts.iter().map(|c| c.party.id.as_str()).collect();
    /// assert_eq!(ids, ["northamptonshire-police"]);
    /// assert_eq!(cuts[0].groups_after, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn articulation_points(&self) -> Vec<CutParty<'r>> {
        let mut rows: Vec<CutParty<'r>> =
            petgraph::algo::articulation_points::articulation_points(&self.graph)
                .into_iter()
                .filter_map(|node| {
                    Some(CutParty {
                        party: self.party(node)?,
                        groups_after: self.pieces_without(node),
                    })
                })
                .collect();
        rows.sort_unstable_by(|x, y| x.party.id.cmp(y.party.id));
        rows
    }

    /// How many groups `cut`'s neighbours fall into when `cut` is removed.
    fn pieces_without(&self, cut: NodeIndex<u32>) -> usize {
        let mut seen = vec![false; self.graph.node_count()];
        let mut mark = |node: NodeIndex<u32>| -> bool {
            match seen.get_mut(node.index()) {
                Some(s) if !*s => {
                    *s = true;
                    true
                }
                _ => false,
            }
        };
        mark(cut);
        let mut pieces: usize = 0;
        let mut queue: VecDeque<NodeIndex<u32>> = VecDeque::new();
        for start in self.graph.neighbors(cut) {
            if !mark(start) {
                continue;
            }
            pieces = pieces.saturating_add(1);
            queue.push_back(start);
            while let Some(node) = queue.pop_front() {
                for next in self.graph.neighbors(node) {
                    if mark(next) {
                        queue.push_back(next);
                    }
                }
            }
        }
        pieces
    }
}

/// Brandes' betweenness centrality of every node of an undirected,
/// unweighted graph, in node index order.
fn brandes(graph: &UnGraph<PartyKey, u32, u32>) -> Vec<f64> {
    let n = graph.node_count();
    let mut score = vec![0.0f64; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut paths = vec![0.0f64; n];
    let mut dist: Vec<Option<usize>> = vec![None; n];
    let mut delta = vec![0.0f64; n];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for source in 0..n {
        order.clear();
        preds.iter_mut().for_each(Vec::clear);
        paths.fill(0.0);
        dist.fill(None);
        delta.fill(0.0);
        if let (Some(p), Some(d)) = (paths.get_mut(source), dist.get_mut(source)) {
            *p = 1.0;
            *d = Some(0);
        }
        queue.push_back(source);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            let dv = dist.get(v).copied().flatten().unwrap_or(0);
            let pv = paths.get(v).copied().unwrap_or(0.0);
            for w in graph.neighbors(NodeIndex::new(v)).map(NodeIndex::index) {
                let Some(dw) = dist.get_mut(w) else { continue };
                if dw.is_none() {
                    *dw = Some(dv.saturating_add(1));
                    queue.push_back(w);
                }
                if *dw == Some(dv.saturating_add(1)) {
                    if let Some(pw) = paths.get_mut(w) {
                        *pw += pv;
                    }
                    if let Some(pr) = preds.get_mut(w) {
                        pr.push(v);
                    }
                }
            }
        }
        while let Some(w) = order.pop() {
            let pw = paths.get(w).copied().unwrap_or(1.0);
            let dw = delta.get(w).copied().unwrap_or(0.0);
            for &v in preds.get(w).map_or(&[][..], Vec::as_slice) {
                let pv = paths.get(v).copied().unwrap_or(0.0);
                if let Some(d) = delta.get_mut(v) {
                    *d += pv / pw * (1.0 + dw);
                }
            }
            if w != source {
                if let Some(s) = score.get_mut(w) {
                    *s += dw;
                }
            }
        }
    }
    // Each unordered pair was counted from both ends.
    for s in &mut score {
        *s /= 2.0;
    }
    score
}
