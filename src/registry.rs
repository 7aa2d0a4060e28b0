//! The [`Registry`]: every party, agreement and governance body, held as a
//! `petgraph` graph with indexes beside it, changed only through methods that
//! validate first.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::agreement::Agreement;
use crate::error::{Entity, Error, LoadError, Problem, Problems};
use crate::file::{self, Document, RegistryInfo};
use crate::governance::GovernanceBody;
use crate::id::{AgreementId, BodyId, PartyId};
use crate::index::Indexes;
use crate::membership::Membership;
use crate::party::Party;
use crate::validate::{self, Resolve};

macro_rules! dense_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub struct $name(u32);

        impl $name {
            /// The position, from 0, in the order records were added.
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

dense_key!(
    /// The dense index of a party in a registry: records are never removed, so
    /// a key stays valid for the life of the registry it came from.
    ///
    /// Keys are made only by a registry. Passing one to another registry
    /// with fewer records panics in the accessors that take a key
    /// ([`Registry::party_at`] and its kin), as indexing a slice out of
    /// range does: it is a bug in the caller, not bad input. Look up by id
    /// when the key is not in hand.
    PartyKey
);
dense_key!(
    /// The dense index of an agreement in a registry; see [`PartyKey`].
    AgreementKey
);
dense_key!(
    /// The dense index of a governance body in a registry; see [`PartyKey`].
    BodyKey
);

/// A node of the registry graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    /// A party.
    Party(PartyKey),
    /// An agreement.
    Agreement(AgreementKey),
    /// A governance body.
    Body(BodyKey),
}

/// An edge of the registry graph, directed as its name reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Link {
    /// Agreement to party: the party's membership at this position of
    /// [`Agreement::members`].
    Member(u32),
    /// Agreement to party: the party declined an invitation.
    Declined,
    /// Agreement to its umbrella agreement.
    PartOf,
    /// Body to the agreement it governs.
    Governs,
    /// Body to a party holding the seat at this position of [`GovernanceBody::seats`].
    Seat(u32),
    /// Body to the body it reports to.
    ReportsTo,
    /// Overseeing party (a policing body) to the party it oversees.
    Oversees,
}

/// When a change takes effect, and when it was entered in the register.
///
/// Built from a date (`When::from(date)`: entered the same day) or with
/// [`When::entered`] for a late entry. The crate does not read the clock, so
/// a change entered after the day it takes effect must say so with
/// [`When::entered`]; otherwise the register is taken to have known it from
/// that day, and asking as the register stood in between
/// ([`AsOf::as_recorded_on`](crate::AsOf::as_recorded_on)) will already see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The day the change takes effect.
    pub effective: NaiveDate,
    /// The day it was entered in the register, if not the same day.
    pub recorded: Option<NaiveDate>,
}

impl When {
    /// A change that takes effect on `effective`.
    pub const fn on(effective: NaiveDate) -> Self {
        When {
            effective,
            recorded: None,
        }
    }

    /// The same change, entered in the register on `recorded`.
    pub const fn entered(self, recorded: NaiveDate) -> Self {
        When {
            recorded: Some(recorded),
            ..self
        }
    }
}

impl From<NaiveDate> for When {
    fn from(effective: NaiveDate) -> Self {
        When::on(effective)
    }
}

/// A register of collaboration agreements.
///
/// Parties, agreements and governance bodies are nodes of a directed
/// `petgraph` graph; memberships, seats, oversight, "part of", "governs" and
/// "reports to" are its edges. An agreement of any size is one node with one
/// edge per membership, so there is no limit on membership size.
///
/// Records are never removed: agreements end and members leave, with dates.
/// That keeps every [`PartyKey`], [`AgreementKey`] and graph index stable.
///
/// Lookups by id cost **O(1)** (a hash of the id); walks from a record cost
/// **O(its degree)**.
#[derive(Debug, Clone)]
pub struct Registry {
    info: RegistryInfo,
    parties: Vec<Party>,
    agreements: Vec<Agreement>,
    bodies: Vec<GovernanceBody>,
    graph: DiGraph<Node, Link, u32>,
    party_nodes: Vec<NodeIndex<u32>>,
    agreement_nodes: Vec<NodeIndex<u32>>,
    body_nodes: Vec<NodeIndex<u32>>,
    party_keys: HashMap<PartyId, PartyKey>,
    agreement_keys: HashMap<AgreementId, AgreementKey>,
    body_keys: HashMap<BodyId, BodyKey>,
    pub(crate) indexes: Indexes,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new(RegistryInfo::default())
    }
}

impl Resolve for Registry {
    fn party(&self, id: &str) -> Option<&Party> {
        self.party_keys.get(id).map(|k| &self.parties[k.index()])
    }
    fn has_agreement(&self, id: &str) -> bool {
        self.agreement_keys.contains_key(id)
    }
    fn has_body(&self, id: &str) -> bool {
        self.body_keys.contains_key(id)
    }
}

fn key_u32(len: usize, entity: Entity) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| Error::Invalid {
        target: entity.to_string(),
        problems: Problems(vec![Problem {
            path: String::new(),
            message: format!(
                "a registry holds at most {} of each kind of record",
                u32::MAX
            ),
        }]),
    })
}

impl Registry {
    /// An empty registry.
    pub fn new(info: RegistryInfo) -> Self {
        Registry {
            info,
            parties: Vec::new(),
            agreements: Vec::new(),
            bodies: Vec::new(),
            graph: DiGraph::default(),
            party_nodes: Vec::new(),
            agreement_nodes: Vec::new(),
            body_nodes: Vec::new(),
            party_keys: HashMap::new(),
            agreement_keys: HashMap::new(),
            body_keys: HashMap::new(),
            indexes: Indexes::default(),
        }
    }

    /// Reads a registry from JSON text, validating the whole document.
    ///
    /// # Errors
    ///
    /// [`LoadError::Json`] with line and column when the text is not JSON;
    /// [`LoadError::Invalid`] listing **every** problem found, each with its
    /// path, when the document breaks the format or the rules.
    ///
    /// # Example
    ///
    /// ```
    /// use collab_registry::Registry;
    /// let json = r#"{"schema_version": 1, "parties": [{"id": "x", "name": "X", "kind": "nonsense"}]}"#;
    /// let err = Registry::from_json_str(json).unwrap_err();
    /// assert_eq!(err.problems()[0].path, "parties[0].kind");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_str(text: &str) -> Result<Registry, LoadError> {
        let (doc, mut problems) = file::read_document(text)?;
        problems.extend(validate::check_document(&doc));
        file::problems_to_result(problems)?;
        Registry::from_document(doc)
    }

    /// Reads a registry from a reader; the whole input is read into memory
    /// first, which is much faster than parsing from an unbuffered stream.
    ///
    /// # Errors
    ///
    /// As [`Registry::from_json_str`], and [`LoadError::Io`] when reading fails.
    pub fn from_reader<R: Read>(mut reader: R) -> Result<Registry, LoadError> {
        let mut text = String::new();
        reader
            .read_to_string(&mut text)
            .map_err(|source| LoadError::Io {
                path: "<reader>".into(),
                source,
            })?;
        Registry::from_json_str(&text)
    }

    /// Reads a registry file.
    ///
    /// # Errors
    ///
    /// As [`Registry::from_json_str`], and [`LoadError::Io`] naming the path
    /// when the file cannot be read.
    pub fn load(path: impl AsRef<Path>) -> Result<Registry, LoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Registry::from_json_str(&text)
    }

    /// The registry as JSON text, in a stable order: the same registry always
    /// gives the same bytes, and fields the crate does not know are kept.
    pub fn to_json_string(&self) -> String {
        file::write_document(&self.info, &self.parties, &self.agreements, &self.bodies)
    }

    /// Writes the registry to `path` atomically: to a temporary file beside it,
    /// then renamed over it, so a crash never leaves half a file.
    ///
    /// # Errors
    ///
    /// [`LoadError::Io`] naming the path when writing or renaming fails.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), LoadError> {
        let path = path.as_ref();
        let mut temp = path.as_os_str().to_owned();
        temp.push(".tmp");
        let temp = std::path::PathBuf::from(temp);
        let io = |source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        };
        std::fs::write(&temp, self.to_json_string()).map_err(io)?;
        std::fs::rename(&temp, path).map_err(io)
    }

    /// Builds the graph and indexes of a document already validated.
    fn from_document(doc: Document) -> Result<Registry, LoadError> {
        let mut registry = Registry::new(doc.info);
        let too_big = |e: Error| {
            LoadError::Invalid(Problems(vec![Problem {
                path: String::new(),
                message: e.to_string(),
            }]))
        };
        registry.parties.reserve(doc.parties.len());
        for party in doc.parties {
            registry.insert_party_node(party).map_err(too_big)?;
        }
        for agreement in doc.agreements {
            registry.insert_agreement_node(agreement).map_err(too_big)?;
        }
        for body in doc.bodies {
            registry.insert_body_node(body).map_err(too_big)?;
        }
        for key in 0..registry.parties.len() {
            registry.link_party(key);
        }
        for key in 0..registry.agreements.len() {
            registry.link_agreement(key);
        }
        for key in 0..registry.bodies.len() {
            registry.link_body(key);
        }
        Ok(registry)
    }

    fn add_node(&mut self, node: Node) -> Result<NodeIndex<u32>, Error> {
        self.graph.try_add_node(node).map_err(|e| Error::Invalid {
            target: "registry".to_string(),
            problems: Problems(vec![Problem {
                path: String::new(),
                message: e.to_string(),
            }]),
        })
    }

    fn add_edge(&mut self, from: NodeIndex<u32>, to: NodeIndex<u32>, link: Link) {
        // The node count is checked when nodes are added; edges beyond u32 are
        // dropped rather than panicking, which would need four billion links.
        let _ = self.graph.try_add_edge(from, to, link);
    }

    fn insert_party_node(&mut self, party: Party) -> Result<PartyKey, Error> {
        let key = PartyKey(key_u32(self.parties.len(), Entity::Party)?);
        let node = self.add_node(Node::Party(key))?;
        self.party_nodes.push(node);
        self.party_keys.insert(party.id.clone(), key);
        self.parties.push(party);
        Ok(key)
    }

    fn insert_agreement_node(&mut self, agreement: Agreement) -> Result<AgreementKey, Error> {
        let key = AgreementKey(key_u32(self.agreements.len(), Entity::Agreement)?);
        let node = self.add_node(Node::Agreement(key))?;
        self.agreement_nodes.push(node);
        self.agreement_keys.insert(agreement.id.clone(), key);
        self.indexes.insert(key, &agreement);
        self.agreements.push(agreement);
        Ok(key)
    }

    fn insert_body_node(&mut self, body: GovernanceBody) -> Result<BodyKey, Error> {
        let key = BodyKey(key_u32(self.bodies.len(), Entity::Body)?);
        let node = self.add_node(Node::Body(key))?;
        self.body_nodes.push(node);
        self.body_keys.insert(body.id.clone(), key);
        self.bodies.push(body);
        Ok(key)
    }

    /// Adds the edges a party's own record implies: who oversees it.
    fn link_party(&mut self, index: usize) {
        let to = self.party_nodes[index];
        let overseers: Vec<NodeIndex<u32>> = self.parties[index]
            .overseen_by
            .iter()
            .filter_map(|o| self.party_keys.get(o.by.as_str()))
            .map(|k| self.party_nodes[k.index()])
            .collect();
        for from in overseers {
            self.add_edge(from, to, Link::Oversees);
        }
    }

    /// Adds the edges an agreement's record implies: members, declined, part of.
    fn link_agreement(&mut self, index: usize) {
        let from = self.agreement_nodes[index];
        let a = &self.agreements[index];
        let mut edges: Vec<(NodeIndex<u32>, Link)> = Vec::with_capacity(a.members.len() + 1);
        for (i, m) in a.members.iter().enumerate() {
            if let (Some(k), Ok(pos)) = (self.party_keys.get(m.party.as_str()), u32::try_from(i)) {
                edges.push((self.party_nodes[k.index()], Link::Member(pos)));
            }
        }
        for d in &a.declined {
            if let Some(k) = self.party_keys.get(d.party.as_str()) {
                edges.push((self.party_nodes[k.index()], Link::Declined));
            }
        }
        if let Some(k) = a
            .part_of
            .as_ref()
            .and_then(|p| self.agreement_keys.get(p.as_str()))
        {
            edges.push((self.agreement_nodes[k.index()], Link::PartOf));
        }
        for (to, link) in edges {
            self.add_edge(from, to, link);
        }
    }

    /// Adds the edges a body's record implies: governs, seats, reports to.
    fn link_body(&mut self, index: usize) {
        let from = self.body_nodes[index];
        let b = &self.bodies[index];
        let mut edges: Vec<(NodeIndex<u32>, Link)> = Vec::new();
        for g in &b.governs {
            if let Some(k) = self.agreement_keys.get(g.as_str()) {
                edges.push((self.agreement_nodes[k.index()], Link::Governs));
            }
        }
        for (i, s) in b.seats.iter().enumerate() {
            if let (Some(k), Ok(pos)) = (self.party_keys.get(s.party.as_str()), u32::try_from(i)) {
                edges.push((self.party_nodes[k.index()], Link::Seat(pos)));
            }
        }
        if let Some(k) = b
            .reports_to
            .as_ref()
            .and_then(|p| self.body_keys.get(p.as_str()))
        {
            edges.push((self.body_nodes[k.index()], Link::ReportsTo));
        }
        for (to, link) in edges {
            self.add_edge(from, to, link);
        }
    }

    /// Drops the edges an agreement's record implies, before relinking it.
    fn unlink_agreement(&mut self, index: usize) {
        let node = self.agreement_nodes[index];
        let outgoing: Vec<EdgeIndex<u32>> = self
            .graph
            .edges_directed(node, Direction::Outgoing)
            .map(|e| e.id())
            .collect();
        // Removing in descending order keeps the remaining ids valid, since
        // petgraph moves the last edge into each hole.
        let mut outgoing = outgoing;
        outgoing.sort_unstable_by(|a, b| b.cmp(a));
        for edge in outgoing {
            self.graph.remove_edge(edge);
        }
    }

    // ---- reading ----

    /// The register's name, currency and unknown top-level fields.
    pub fn info(&self) -> &RegistryInfo {
        &self.info
    }

    /// The party with this id.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming the id.
    pub fn party(&self, id: &str) -> Result<&Party, Error> {
        self.party_key(id).map(|k| &self.parties[k.index()])
    }

    /// The agreement with this id.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming the id.
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let alliance = registry.agreement("bch-strategic-alliance")?;
    /// assert_eq!(alliance.members.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn agreement(&self, id: &str) -> Result<&Agreement, Error> {
        self.agreement_key(id).map(|k| &self.agreements[k.index()])
    }

    /// The governance body with this id.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming the id.
    pub fn body(&self, id: &str) -> Result<&GovernanceBody, Error> {
        self.body_key(id).map(|k| &self.bodies[k.index()])
    }

    /// The dense key of a party, for repeated queries without hashing the id.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming the id.
    pub fn party_key(&self, id: &str) -> Result<PartyKey, Error> {
        self.party_keys
            .get(id)
            .copied()
            .ok_or_else(|| Error::Unknown {
                entity: Entity::Party,
                id: id.to_string(),
            })
    }

    /// The dense key of an agreement.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming the id.
    pub fn agreement_key(&self, id: &str) -> Result<AgreementKey, Error> {
        self.agreement_keys
            .get(id)
            .copied()
            .ok_or_else(|| Error::Unknown {
                entity: Entity::Agreement,
                id: id.to_string(),
            })
    }

    /// The dense key of a governance body.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming the id.
    pub fn body_key(&self, id: &str) -> Result<BodyKey, Error> {
        self.body_keys
            .get(id)
            .copied()
            .ok_or_else(|| Error::Unknown {
                entity: Entity::Body,
                id: id.to_string(),
            })
    }

    /// The party stored at `key`.
    ///
    /// # Panics
    ///
    /// When `key` comes from another registry with fewer records; see
    /// [`PartyKey`].
    pub fn party_at(&self, key: PartyKey) -> &Party {
        &self.parties[key.index()]
    }

    /// The agreement stored at `key`.
    ///
    /// # Panics
    ///
    /// When `key` comes from another registry with fewer records; see
    /// [`PartyKey`].
    pub fn agreement_at(&self, key: AgreementKey) -> &Agreement {
        &self.agreements[key.index()]
    }

    /// The body stored at `key`.
    ///
    /// # Panics
    ///
    /// When `key` comes from another registry with fewer records; see
    /// [`PartyKey`].
    pub fn body_at(&self, key: BodyKey) -> &GovernanceBody {
        &self.bodies[key.index()]
    }

    /// Every party, in the order added.
    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// Every agreement, in the order added.
    pub fn agreements(&self) -> &[Agreement] {
        &self.agreements
    }

    /// Every governance body, in the order added.
    pub fn bodies(&self) -> &[GovernanceBody] {
        &self.bodies
    }

    /// The graph itself, for `petgraph` algorithms. Node weights name the
    /// record ([`Node`]); edge weights name the link ([`Link`]).
    pub fn graph(&self) -> &DiGraph<Node, Link, u32> {
        &self.graph
    }

    /// The graph node of a party.
    ///
    /// # Panics
    ///
    /// When `key` comes from another registry with fewer records; see
    /// [`PartyKey`].
    pub fn party_node(&self, key: PartyKey) -> NodeIndex<u32> {
        self.party_nodes[key.index()]
    }

    /// The graph node of an agreement.
    ///
    /// # Panics
    ///
    /// When `key` comes from another registry with fewer records; see
    /// [`PartyKey`].
    pub fn agreement_node(&self, key: AgreementKey) -> NodeIndex<u32> {
        self.agreement_nodes[key.index()]
    }

    /// The graph node of a body.
    ///
    /// # Panics
    ///
    /// When `key` comes from another registry with fewer records; see
    /// [`PartyKey`].
    pub fn body_node(&self, key: BodyKey) -> NodeIndex<u32> {
        self.body_nodes[key.index()]
    }

    /// Every membership a party has ever held, with its agreement, read from
    /// the graph's adjacency in **O(degree of the party)**; unordered.
    pub fn memberships_of(
        &self,
        party: PartyKey,
    ) -> impl Iterator<Item = (AgreementKey, &Membership)> + '_ {
        self.graph
            .edges_directed(self.party_nodes[party.index()], Direction::Incoming)
            .filter_map(move |e| match (e.weight(), self.graph[e.source()]) {
                (Link::Member(pos), Node::Agreement(a)) => self.agreements[a.index()]
                    .members
                    .get(*pos as usize)
                    .map(|m| (a, m)),
                _ => None,
            })
    }

    /// The signatories of an agreement on `date`: in law each member force's
    /// chief constable and its policing body sign separately, so these are
    /// the members in force and the parties overseeing them that day, each
    /// once, members first, in membership order.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2016, 4, 1).unwrap();
    /// let signatories = registry.signatories("bch-strategic-alliance", on)?;
    /// assert_eq!(signatories.len(), 6); // three chief constables, three commissioners
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signatories(&self, agreement: &str, date: NaiveDate) -> Result<Vec<&Party>, Error> {
        let a = self.agreement(agreement)?;
        let mut out: Vec<&Party> = Vec::new();
        let members: Vec<&Party> = a
            .members_on(date)
            .filter_map(|m| Resolve::party(self, m.party.as_str()))
            .collect();
        for p in &members {
            if !out.iter().any(|q| q.id == p.id) {
                out.push(p);
            }
        }
        for p in members {
            for by in p.overseers_on(date) {
                if let Some(o) = Resolve::party(self, by.as_str()) {
                    if !out.iter().any(|q| q.id == o.id) {
                        out.push(o);
                    }
                }
            }
        }
        Ok(out)
    }

    // ---- changes ----

    /// Adds a party.
    ///
    /// # Errors
    ///
    /// [`Error::Duplicate`] when the id is taken; [`Error::Invalid`] when the
    /// record breaks a rule (an unknown overseer, say). Nothing changes then.
    pub fn add_party(&mut self, party: Party) -> Result<PartyKey, Error> {
        if self.party_keys.contains_key(party.id.as_str()) {
            return Err(Error::Duplicate {
                entity: Entity::Party,
                id: party.id.to_string(),
            });
        }
        let target = format!("party {}", party.id);
        refuse_problems(target, validate::check_party(&party, "party", self))?;
        let key = self.insert_party_node(party)?;
        self.link_party(key.index());
        Ok(key)
    }

    /// Adds an agreement.
    ///
    /// # Errors
    ///
    /// [`Error::Duplicate`] when the id is taken; [`Error::Invalid`] listing
    /// every rule the record breaks. Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::*;
    /// let mut registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// let member = |party: &str| -> Result<Membership, Error> { Ok(Membership {
    ///     party: PartyId::new(party)?, role: Role::Member, joined: on, left: None,
    ///     notice_served: None, recorded: Recorded::default(), illustrative: false,
    ///     extra: Extra::new(),
    /// }) };
    /// let dogs = Agreement {
    ///     id: AgreementId::new("example-dogs")?,
    ///     title: "Shared dog unit".into(),
    ///     purpose: None,
    ///     legal_basis: LegalBasis::Section22aPoliceAct1996,
    ///     functions: vec![Function::Dogs],
    ///     part_of: None,
    ///     start: on,
    ///     end: None,
    ///     status: vec![StatusChange { status: Status::Active, from: on, recorded: None, note: None, extra: Extra::new() }],
    ///     members: vec![member("derbyshire-police")?, member("lincolnshire-police")?],
    ///     declined: vec![], responsibilities: Default::default(), review: Default::default(),
    ///     leaving: Default::default(), publication: Default::default(), costs: Default::default(),
    ///     amendments: vec![], provenance: Default::default(), extra: Extra::new(),
    /// };
    /// registry.add_agreement(dogs)?;
    /// assert!(registry.agreement("example-dogs")?.is_member("lincolnshire-police", on));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_agreement(&mut self, agreement: Agreement) -> Result<AgreementKey, Error> {
        if self.agreement_keys.contains_key(agreement.id.as_str()) {
            return Err(Error::Duplicate {
                entity: Entity::Agreement,
                id: agreement.id.to_string(),
            });
        }
        let target = format!("agreement {}", agreement.id);
        refuse_problems(
            target,
            validate::check_agreement(&agreement, "agreement", self),
        )?;
        // A new agreement can only point up to an existing one, so it cannot
        // close a part_of cycle.
        let key = self.insert_agreement_node(agreement)?;
        self.link_agreement(key.index());
        Ok(key)
    }

    /// Adds a governance body.
    ///
    /// # Errors
    ///
    /// [`Error::Duplicate`] when the id is taken; [`Error::Invalid`] listing
    /// every rule the record breaks. Nothing changes then.
    pub fn add_body(&mut self, body: GovernanceBody) -> Result<BodyKey, Error> {
        if self.body_keys.contains_key(body.id.as_str()) {
            return Err(Error::Duplicate {
                entity: Entity::Body,
                id: body.id.to_string(),
            });
        }
        let target = format!("governance body {}", body.id);
        refuse_problems(target, validate::check_body(&body, "body", self))?;
        let key = self.insert_body_node(body)?;
        self.link_body(key.index());
        Ok(key)
    }

    /// Changes one agreement through a draft: `edit` works on a copy, the
    /// copy is checked against every rule, and only then replaces the
    /// original and its graph edges and index entries. On any error nothing
    /// has changed.
    pub(crate) fn change_agreement<T>(
        &mut self,
        id: &str,
        edit: impl FnOnce(&mut Agreement, &Registry) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let key = self.agreement_key(id)?;
        let mut draft = self.agreements[key.index()].clone();
        let answer = edit(&mut draft, self)?;
        if draft.id.as_str() != id {
            return Err(Error::Refused {
                action: "change",
                target: id.to_string(),
                date: draft.start,
                reason: "an agreement's id cannot change".to_string(),
            });
        }
        refuse_problems(
            format!("agreement {id}"),
            validate::check_agreement(&draft, "agreement", self),
        )?;
        if let Some(parent) = &draft.part_of {
            self.refuse_part_of_cycle(id, parent.as_str(), draft.start)?;
        }
        let old = std::mem::replace(&mut self.agreements[key.index()], draft);
        self.indexes.remove(key, &old);
        self.indexes.insert(key, &self.agreements[key.index()]);
        self.unlink_agreement(key.index());
        self.link_agreement(key.index());
        Ok(answer)
    }

    fn refuse_part_of_cycle(&self, id: &str, parent: &str, date: NaiveDate) -> Result<(), Error> {
        let mut chain = vec![id.to_string()];
        let mut next = Some(parent);
        while let Some(p) = next {
            chain.push(p.to_string());
            if p == id {
                return Err(Error::Refused {
                    action: "change",
                    target: id.to_string(),
                    date,
                    reason: format!("part_of would make a cycle: {}", chain.join(" -> ")),
                });
            }
            if chain.len() > self.agreements.len() + 1 {
                break;
            }
            next = self
                .agreement_keys
                .get(p)
                .and_then(|k| self.agreements[k.index()].part_of.as_ref())
                .map(|x| x.as_str());
        }
        Ok(())
    }
}

pub(crate) fn refuse_problems(target: String, problems: Vec<Problem>) -> Result<(), Error> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid {
            target,
            problems: Problems(problems),
        })
    }
}
