//! The collaboration network: who collaborates with whom, how strongly,
//! which groups are connected, which parties are hubs and which hold the
//! network together.
//!
//! The registry stores agreements as nodes with one edge per member (a
//! hypergraph's incidence graph). The party-to-party network is a
//! projection of it, computed for one day and scope ([`AsOf::network`]) and
//! never stored: two parties are linked when they are members of at least
//! one agreement that counts on the day, and the link's weight is how many
//! they share. Only parties with at least one such membership are in it.
//!
//! Building it is a pass over every agreement plus one link per pair of
//! members: **O(A + Σ m²)**. The measures then work on the projection, a
//! `petgraph` undirected graph ([`Network::graph`]).

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::NaiveDate;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::id::PartyId;
use crate::query::AsOf;
use crate::registry::{Node, PartyKey, Registry};

/// The party-to-party collaboration network on one day; see
/// [`AsOf::network`](crate::AsOf::network).
#[derive(Debug, Clone)]
pub struct Network<'r> {
    registry: &'r Registry,
    date: NaiveDate,
    graph: UnGraph<PartyKey, u32, u32>,
}

/// Two parties that share agreements, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkLink<'r> {
    /// One party, the lesser id.
    pub a: &'r PartyId,
    /// The other party.
    pub b: &'r PartyId,
    /// How many agreements they share on the day.
    pub shared: u32,
}

/// A connected group: parties linked to each other through shared agreements,
/// directly or through others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group<'r> {
    /// How many parties.
    pub size: usize,
    /// Which, by id.
    pub parties: Vec<&'r PartyId>,
}

/// How connected a party is, counted directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Degree<'r> {
    /// The party.
    pub party: &'r PartyId,
    /// Its name.
    pub name: &'r str,
    /// How many parties it shares an agreement with (its degree).
    pub partners: usize,
    /// The sum over its partners of agreements shared (its weighted degree).
    pub shared: u64,
}

/// How much a party lies on the shortest routes between other parties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Betweenness<'r> {
    /// The party.
    pub party: &'r PartyId,
    /// Its name.
    pub name: &'r str,
    /// Its betweenness centrality: summed over every pair of other parties,
    /// the share of the shortest paths between them that pass through it.
    pub score: f64,
    /// The score divided by the number of pairs of other parties,
    /// `(n - 1)(n - 2) / 2`, so 1 is the centre of a star; 0 when n < 3.
    pub normalised: f64,
}

/// A party whose loss would split the network (an articulation point).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CutParty<'r> {
    /// The party.
    pub party: &'r PartyId,
    /// Its name.
    pub name: &'r str,
    /// How many groups its own group falls into without it.
    pub groups_after: usize,
}

impl<'r> AsOf<'r> {
    /// The collaboration network on the day, under the scope.
    ///
    /// **O(A + Σ m²)**: a pass over every agreement and a link for each pair
    /// of its members.
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
    pub fn network(&self) -> Network<'r> {
        let registry = self.registry();
        let mut pairs: HashMap<(PartyKey, PartyKey), u32> = HashMap::new();
        let mut present: Vec<PartyKey> = Vec::new();
        let mut members: Vec<PartyKey> = Vec::new();
        for node in registry.graph().node_weights() {
            let Node::Agreement(key) = *node else {
                continue;
            };
            if !self.counts(registry.agreement_at(key)) {
                continue;
            }
            members.clear();
            members.extend(self.members_with_keys(key).map(|(p, _)| p));
            members.sort_unstable();
            members.dedup();
            present.extend_from_slice(&members);
            for (i, a) in members.iter().enumerate() {
                for b in members.iter().skip(i + 1) {
                    *pairs.entry((*a, *b)).or_default() += 1;
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
        Network {
            registry,
            date: self.date(),
            graph,
        }
    }
}

impl<'r> Network<'r> {
    /// The day the network is for.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The projection itself, for other `petgraph` algorithms: node weights
    /// are parties ([`Registry::party_at`]), edge weights the number of
    /// agreements shared.
    pub fn graph(&self) -> &UnGraph<PartyKey, u32, u32> {
        &self.graph
    }

    fn party(&self, node: NodeIndex<u32>) -> &'r PartyId {
        &self.registry.party_at(self.graph[node]).id
    }

    fn name(&self, node: NodeIndex<u32>) -> &'r str {
        &self.registry.party_at(self.graph[node]).name
    }

    /// The parties in the network, by id.
    pub fn parties(&self) -> Vec<&'r PartyId> {
        let mut ids: Vec<&'r PartyId> = self.graph.node_indices().map(|n| self.party(n)).collect();
        ids.sort_unstable();
        ids
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
    ///     .find(|l| l.a.as_str() == "northamptonshire-fire")
    ///     .ok_or("no link")?;
    /// assert_eq!((link.b.as_str(), link.shared), ("northamptonshire-police", 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn links(&self) -> Vec<NetworkLink<'r>> {
        let mut links: Vec<NetworkLink<'r>> = self
            .graph
            .edge_references()
            .map(|e| {
                let (x, y) = (self.party(e.source()), self.party(e.target()));
                let (a, b) = if x <= y { (x, y) } else { (y, x) };
                NetworkLink {
                    a,
                    b,
                    shared: *e.weight(),
                }
            })
            .collect();
        links.sort_unstable_by(|x, y| (x.a, x.b).cmp(&(y.a, y.b)));
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
    /// let bch: Vec<&str> = groups[1].parties.iter().map(|p| p.as_str()).collect();
    /// assert_eq!(bch, ["bedfordshire-police", "cambridgeshire-constabulary", "hertfordshire-constabulary"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn groups(&self) -> Vec<Group<'r>> {
        let mut sets: UnionFind<usize> = UnionFind::new(self.graph.node_count());
        for e in self.graph.edge_references() {
            sets.union(e.source().index(), e.target().index());
        }
        let mut groups: BTreeMap<usize, Vec<&'r PartyId>> = BTreeMap::new();
        for node in self.graph.node_indices() {
            groups
                .entry(sets.find_mut(node.index()))
                .or_default()
                .push(self.party(node));
        }
        let mut groups: Vec<Group<'r>> = groups
            .into_values()
            .map(|mut parties| {
                parties.sort_unstable();
                Group {
                    size: parties.len(),
                    parties,
                }
            })
            .collect();
        groups.sort_unstable_by(|x, y| {
            y.size
                .cmp(&x.size)
                .then_with(|| x.parties.first().cmp(&y.parties.first()))
        });
        groups
    }

    /// Each party's degree (partners) and weighted degree (agreements shared,
    /// summed over partners); most partners first, then most shared, then
    /// by id. **O(V log V + E)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let degrees = registry.as_of(on).network().degrees();
    /// assert_eq!(degrees[0].party.as_str(), "northamptonshire-police");
    /// assert_eq!(degrees[0].partners, 5); // four forces and the fire service
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn degrees(&self) -> Vec<Degree<'r>> {
        let mut rows: Vec<Degree<'r>> = self
            .graph
            .node_indices()
            .map(|n| {
                let (partners, shared) =
                    self.graph.edges(n).fold((0usize, 0u64), |(count, sum), e| {
                        (count + 1, sum + u64::from(*e.weight()))
                    });
                Degree {
                    party: self.party(n),
                    name: self.name(n),
                    partners,
                    shared,
                }
            })
            .collect();
        rows.sort_unstable_by(|x, y| {
            y.partners
                .cmp(&x.partners)
                .then(y.shared.cmp(&x.shared))
                .then(x.party.cmp(y.party))
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
    /// assert_eq!(hubs[0].party.as_str(), "northamptonshire-police");
    /// assert_eq!(hubs[0].score, 4.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn betweenness(&self) -> Vec<Betweenness<'r>> {
        let n = self.graph.node_count();
        let scores = brandes(&self.graph);
        let pairs = if n > 2 {
            ((n - 1) * (n - 2)) as f64 / 2.0
        } else {
            0.0
        };
        let round = |x: f64| (x * 1e9).round() / 1e9;
        let mut rows: Vec<Betweenness<'r>> = self
            .graph
            .node_indices()
            .zip(scores)
            .map(|(node, score)| Betweenness {
                party: self.party(node),
                name: self.name(node),
                score: round(score),
                normalised: if pairs > 0.0 {
                    round(score / pairs)
                } else {
                    0.0
                },
            })
            .collect();
        rows.sort_unstable_by(|x, y| y.score.total_cmp(&x.score).then(x.party.cmp(y.party)));
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
    /// let ids: Vec<&str> = cuts.iter().map(|c| c.party.as_str()).collect();
    /// assert_eq!(ids, ["northamptonshire-police"]);
    /// assert_eq!(cuts[0].groups_after, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn articulation_points(&self) -> Vec<CutParty<'r>> {
        let mut rows: Vec<CutParty<'r>> =
            petgraph::algo::articulation_points::articulation_points(&self.graph)
                .into_iter()
                .map(|node| CutParty {
                    party: self.party(node),
                    name: self.name(node),
                    groups_after: self.pieces_without(node),
                })
                .collect();
        rows.sort_unstable_by(|x, y| x.party.cmp(y.party));
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
        let mut pieces = 0;
        let mut queue: VecDeque<NodeIndex<u32>> = VecDeque::new();
        for start in self.graph.neighbors(cut) {
            if !mark(start) {
                continue;
            }
            pieces += 1;
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
        for p in &mut preds {
            p.clear();
        }
        paths.fill(0.0);
        dist.fill(None);
        delta.fill(0.0);
        paths[source] = 1.0;
        dist[source] = Some(0);
        queue.push_back(source);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            let dv = dist[v].unwrap_or(0);
            for w in graph.neighbors(NodeIndex::new(v)).map(|w| w.index()) {
                if dist[w].is_none() {
                    dist[w] = Some(dv + 1);
                    queue.push_back(w);
                }
                if dist[w] == Some(dv + 1) {
                    paths[w] += paths[v];
                    preds[w].push(v);
                }
            }
        }
        while let Some(w) = order.pop() {
            for &v in &preds[w] {
                delta[v] += paths[v] / paths[w] * (1.0 + delta[w]);
            }
            if w != source {
                score[w] += delta[w];
            }
        }
    }
    // Each unordered pair was counted from both ends.
    score.iter_mut().for_each(|s| *s /= 2.0);
    score
}
