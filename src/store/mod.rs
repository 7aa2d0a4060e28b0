//! The [`Registry`]: every party, agreement and governance body, held in
//! order of addition under dense keys, with indexes beside them, changed
//! only through methods that check first ([`changes`]).

mod changes;
mod graph;
mod hash;
pub(crate) mod index;
mod keys;
#[cfg(feature = "sample")]
mod sample;
mod save;

use std::io::Read;
use std::path::Path as FsPath;

use crate::error::Error;
use crate::format::{self, Document, RegistryInfo};
use crate::model::{
    Agreement, AgreementChange, AgreementId, BodyId, Currency, GovernanceBody, Membership, Party,
    PartyChange, PartyId,
};
use crate::problem::{Path, Problems};
use crate::rules::{self, Context};

pub use changes::Change;
pub use graph::{Link, Node};
pub use keys::{AgreementKey, BodyKey, PartyKey};
#[cfg(feature = "sample")]
pub use sample::{SAMPLE_JSON, sample};

use hash::{FxMap, FxSet};
use index::{Filed, Index, MemberRef};

/// A register of collaboration agreements.
///
/// Parties, agreements and governance bodies are held in the order they
/// were added, each under a dense key ([`PartyKey`], [`AgreementKey`],
/// [`BodyKey`]). Records are never removed: agreements end and members
/// leave, with dates, and amendments keep what they replaced. So a key
/// stays valid for the life of the registry, and every question can be
/// asked as of any day ([`Registry::as_of`]).
///
/// Lookups by id cost **O(1)** (a hash of the id); a record's links
/// (a party's memberships, an agreement's parts) cost **O(its degree)**.
/// The collaboration graph, parties and agreements as nodes and
/// memberships as edges, is a view derived on demand ([`Registry::graph`]).
///
/// Beside the records it keeps indexes, so that a question costs in
/// proportion to its answer: each party's memberships, agreements and
/// parties in id order (so answers come out by id without comparing ids),
/// the review calendar, and what each agreement is filed under. A change
/// keeps them up to date: a batch adding n parties or agreements merges
/// them into id order, **O(A + n log n)** for A records of the kind; a
/// change that moves an agreement's next review moves its calendar entry,
/// **O(A)** at worst (the entries after it shift, a copy of a few bytes
/// each), so a batch moving T reviews costs **O(T · A)**; one that leaves
/// the day where it was updates the entry in place. A batch adding many
/// agreements (more than an eighth as many as it holds) builds the
/// calendar once instead, **O(A log A)**, as a load does.
///
/// A `Registry` is `Send` and `Sync`: one loaded registry can be asked from
/// many threads at once.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub(crate) info: RegistryInfo,
    pub(crate) parties: Vec<Party>,
    pub(crate) agreements: Vec<Agreement>,
    pub(crate) bodies: Vec<GovernanceBody>,
    party_ids: FxMap<PartyId, PartyKey>,
    agreement_ids: FxMap<AgreementId, AgreementKey>,
    body_ids: FxMap<BodyId, BodyKey>,
    pub(crate) index: Index,
}

const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<Registry>();
};

impl Context for Registry {
    fn currency(&self) -> Currency {
        self.info.currency
    }
    fn party(&self, id: &str) -> Option<&Party> {
        self.party_ids
            .get(id)
            .and_then(|k| self.parties.get(k.index()))
    }
    fn has_agreement(&self, id: &str) -> bool {
        self.agreement_ids.contains_key(id)
    }
    fn has_body(&self, id: &str) -> bool {
        self.body_ids.contains_key(id)
    }
}

/// What the rules look up while a document loads: its records by id, and
/// the ids of records that could not be read.
struct Loading<'d> {
    currency: Currency,
    parties: FxMap<&'d str, &'d Party>,
    agreements: FxSet<&'d str>,
    bodies: FxSet<&'d str>,
}

impl Context for Loading<'_> {
    fn currency(&self) -> Currency {
        self.currency
    }
    fn party(&self, id: &str) -> Option<&Party> {
        self.parties.get(id).copied()
    }
    fn has_agreement(&self, id: &str) -> bool {
        self.agreements.contains(id)
    }
    fn has_body(&self, id: &str) -> bool {
        self.bodies.contains(id)
    }
}

/// Checks a whole document against every rule: each record on its own, its
/// links, duplicate ids and cycles.
#[allow(
    clippy::too_many_lines,
    reason = "every rule the loader runs, in the order it runs them"
)]
fn check_document(doc: &Document) -> Problems {
    let mut out = Problems::default();
    let root = Path::Root;
    rules::record::duplicate_ids(
        doc.party_places
            .iter()
            .zip(&doc.parties)
            .map(|(place, p)| (place.position, p.id().as_str())),
        "parties",
        "party",
        &mut out,
    );
    rules::record::duplicate_ids(
        doc.agreement_places
            .iter()
            .zip(&doc.agreements)
            .map(|(place, a)| (place.position, a.id().as_str())),
        "agreements",
        "agreement",
        &mut out,
    );
    rules::record::duplicate_ids(
        doc.body_places
            .iter()
            .zip(&doc.bodies)
            .map(|(place, b)| (place.position, b.id().as_str())),
        "bodies",
        "body",
        &mut out,
    );
    let mut parties: FxMap<&str, &Party> = FxMap::default();
    parties.reserve(doc.parties.len());
    for p in &doc.parties {
        parties.entry(p.id().as_str()).or_insert(p);
    }
    let mut agreements: FxSet<&str> = FxSet::default();
    agreements.reserve(
        doc.agreements
            .len()
            .saturating_add(doc.unread_agreements.len()),
    );
    for id in doc
        .agreements
        .iter()
        .map(|a| a.id().as_str())
        .chain(doc.unread_agreements.iter().map(String::as_str))
    {
        agreements.insert(id);
    }
    let mut bodies: FxSet<&str> = FxSet::default();
    for id in doc
        .bodies
        .iter()
        .map(|b| b.id().as_str())
        .chain(doc.unread_bodies.iter().map(String::as_str))
    {
        bodies.insert(id);
    }
    let unread_parties: std::collections::HashSet<&str> =
        doc.unread_parties.iter().map(String::as_str).collect();
    let ctx = LoadingWithUnread {
        inner: Loading {
            currency: doc.info.currency,
            parties,
            agreements,
            bodies,
        },
        unread_parties,
    };
    let list = root.key("parties");
    for (p, place) in doc.parties.iter().zip(&doc.party_places) {
        if place.clean {
            let at = list.index(place.position);
            rules::record::party(p, &at, &mut out);
            rules::links::party(p, &at, &ctx, &mut out);
        }
    }
    let list = root.key("agreements");
    for (a, place) in doc.agreements.iter().zip(&doc.agreement_places) {
        if place.clean {
            let at = list.index(place.position);
            rules::record::agreement(a, &at, &mut out);
            rules::links::agreement(a, &at, &ctx, &mut out);
        }
    }
    let list = root.key("bodies");
    for (b, place) in doc.bodies.iter().zip(&doc.body_places) {
        if place.clean {
            let at = list.index(place.position);
            rules::record::body(b, &at, &mut out);
            rules::links::body(b, &at, &ctx, &mut out);
        }
    }
    let ids: Vec<&str> = doc.agreements.iter().map(|a| a.id().as_str()).collect();
    for (field, link) in rules::links::AGREEMENT_LINKS {
        let parents: Vec<Vec<&str>> = doc
            .agreements
            .iter()
            .map(|a| link(a).map(AgreementId::as_str).into_iter().collect())
            .collect();
        for (i, cycle) in rules::links::cycles(&ids, &parents) {
            let position = doc.agreement_places.get(i).map_or(i, |p| p.position);
            out.add(
                format!("agreements[{position}].{field}"),
                crate::problem::ProblemCode::Cycle,
                format!("{field} makes a cycle: {}", cycle.join(" -> ")),
            );
        }
    }
    let ids: Vec<&str> = doc.bodies.iter().map(|b| b.id().as_str()).collect();
    let parents: Vec<Vec<&str>> = doc
        .bodies
        .iter()
        .map(|b| b.reports_to().iter().map(|r| r.body.as_str()).collect())
        .collect();
    for (i, cycle) in rules::links::cycles(&ids, &parents) {
        let position = doc.body_places.get(i).map_or(i, |p| p.position);
        out.add(
            format!("bodies[{position}].reports_to"),
            crate::problem::ProblemCode::Cycle,
            format!("reports_to makes a cycle: {}", cycle.join(" -> ")),
        );
    }
    out
}

/// [`Loading`], counting ids of parties that could not be read as known.
struct LoadingWithUnread<'d> {
    inner: Loading<'d>,
    unread_parties: std::collections::HashSet<&'d str>,
}

impl Context for LoadingWithUnread<'_> {
    fn currency(&self) -> Currency {
        self.inner.currency
    }
    fn party(&self, id: &str) -> Option<&Party> {
        self.inner.party(id)
    }
    fn has_party(&self, id: &str) -> bool {
        self.inner.parties.contains_key(id) || self.unread_parties.contains(id)
    }
    fn has_agreement(&self, id: &str) -> bool {
        self.inner.has_agreement(id)
    }
    fn has_body(&self, id: &str) -> bool {
        self.inner.has_body(id)
    }
}

impl Registry {
    /// An empty registry.
    #[must_use]
    pub fn new(info: RegistryInfo) -> Self {
        Registry {
            info,
            ..Registry::default()
        }
    }

    /// Reads a registry from JSON text, checking the whole document against
    /// every rule.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Syntax`](crate::ErrorKind::Syntax) when the text is not
    /// JSON, with one problem giving the path, line and column;
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing **every**
    /// problem found, each with its path and code.
    ///
    /// # Example
    ///
    /// ```
    /// use collab_registry::{ErrorKind, Registry};
    /// let json = r#"{"schema_version": 2, "parties": [{"id": "x", "name": "X", "kind": "nonsense"}]}"#;
    /// let err = Registry::from_json_str(json).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Invalid);
    /// assert_eq!(err.problems()[0].path(), "parties[0].kind");
    /// ```
    pub fn from_json_str(text: &str) -> Result<Registry, Error> {
        Registry::from_slice(text.as_bytes())
    }

    /// Reads a registry from bytes of JSON; see [`Registry::from_json_str`].
    /// Bytes that are not UTF-8 are refused with the offset of the first bad
    /// byte, and a byte order mark with a message of its own.
    ///
    /// # Errors
    ///
    /// As [`Registry::from_json_str`].
    pub fn from_slice(bytes: &[u8]) -> Result<Registry, Error> {
        let mut doc =
            format::read_document(bytes).map_err(|e| Error::syntax(format::syntax_problem(&e)))?;
        for p in &mut doc.parties {
            rules::normal::party(p);
        }
        for a in &mut doc.agreements {
            rules::normal::agreement(a);
        }
        let mut problems = std::mem::take(&mut doc.problems);
        problems.0.extend(check_document(&doc).0);
        if !problems.is_empty() {
            problems.0.sort_by_key(|p| natural(p.path()));
            problems.0.dedup();
            return Err(Error::invalid("the registry document", problems.0));
        }
        Ok(Registry::from_document(doc))
    }

    /// Reads a registry from a reader; the whole input is read into memory
    /// first, which is much faster than parsing from an unbuffered stream.
    ///
    /// # Errors
    ///
    /// As [`Registry::from_json_str`], and [`ErrorKind::Io`](crate::ErrorKind::Io)
    /// when reading fails.
    pub fn from_reader<R: Read>(mut reader: R) -> Result<Registry, Error> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(FsPath::new("<reader>"), e))?;
        Registry::from_slice(&bytes)
    }

    /// Reads a registry file.
    ///
    /// # Errors
    ///
    /// As [`Registry::from_json_str`], and [`ErrorKind::Io`](crate::ErrorKind::Io)
    /// naming the path when the file cannot be read.
    pub fn load(path: impl AsRef<FsPath>) -> Result<Registry, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Registry::from_slice(&bytes).map_err(|e| e.at_path(path))
    }

    /// The registry as JSON text, in a stable order: the same registry
    /// always gives the same bytes, and fields the crate does not know are
    /// kept, numbers to the digit.
    #[must_use]
    pub fn to_json_string(&self) -> String {
        String::from_utf8(self.to_json_bytes()).unwrap_or_default()
    }

    /// The registry as JSON bytes; see [`Registry::to_json_string`].
    #[must_use]
    pub fn to_json_bytes(&self) -> Vec<u8> {
        format::write_document(&self.info, &self.parties, &self.agreements, &self.bodies)
    }

    /// Writes the registry to `path` so that the file cannot be lost: to a
    /// new temporary file beside it (a unique name), flushed to disk, given
    /// the old file's permissions and owner, then renamed over it, and the
    /// folder flushed. On any failure the temporary file is removed and the
    /// old file is untouched. A symbolic link is written through; a folder
    /// is refused.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) naming the path.
    pub fn save(&self, path: impl AsRef<FsPath>) -> Result<(), Error> {
        save::save(path.as_ref(), &self.to_json_bytes())
    }

    /// Builds the keys and indexes of a document already checked.
    fn from_document(doc: Document) -> Registry {
        let mut r = Registry::new(doc.info);
        r.parties = doc.parties;
        r.agreements = doc.agreements;
        r.bodies = doc.bodies;
        r.party_ids.reserve(r.parties.len());
        r.agreement_ids.reserve(r.agreements.len());
        for (i, p) in r.parties.iter().enumerate() {
            r.party_ids.insert(p.id().clone(), PartyKey(key(i)));
            r.index.add_party();
        }
        let parties = &r.parties;
        r.index
            .rank_parties(0, |k| parties.get(k.index()).map(|p| p.id().as_str()));
        for (i, a) in r.agreements.iter().enumerate() {
            r.agreement_ids.insert(a.id().clone(), AgreementKey(key(i)));
            r.index.add_agreement();
        }
        let agreements = &r.agreements;
        r.index
            .rank_agreements(0, |k| agreements.get(k.index()).map(|a| a.id().as_str()));
        for (i, b) in r.bodies.iter().enumerate() {
            r.body_ids.insert(b.id().clone(), BodyKey(key(i)));
            r.index.add_body();
        }
        r.share_ids();
        for i in 0..r.parties.len() {
            r.link_party(PartyKey(key(i)));
        }
        for i in 0..r.agreements.len() {
            r.link_agreement(AgreementKey(key(i)), 0);
        }
        r.index.build_calendar();
        for i in 0..r.bodies.len() {
            r.link_body(BodyKey(key(i)));
        }
        r
    }

    /// Makes every reference to a party share the id held by the party's
    /// record, so a document's thousands of copies of one id are one
    /// allocation.
    fn share_ids(&mut self) {
        let ids = &self.party_ids;
        let shared = |id: &PartyId| ids.get_key_value(id).map(|(k, _)| k.clone());
        for a in &mut self.agreements {
            for m in &mut a.members {
                if let Some(id) = shared(m.party()) {
                    m.share_party(id);
                }
            }
        }
    }

    /// Files a party's links: who it oversees, and the kinds it has held.
    fn link_party(&mut self, key: PartyKey) {
        let Some(p) = self.parties.get(key.index()) else {
            return;
        };
        let kinds = std::iter::once(p.terms.kind).chain(
            p.amendments()
                .iter()
                .flat_map(|am| &am.changes)
                .filter_map(|c| match c {
                    PartyChange::Kind(c) => Some([c.before, c.after]),
                    _ => None,
                })
                .flatten(),
        );
        self.index.file_kinds(key, kinds);
        let overseers: Vec<PartyKey> = p
            .overseen_by()
            .iter()
            .filter_map(|o| self.party_ids.get(o.by.as_str()).copied())
            .collect();
        for by in overseers {
            if let Some(list) = self.index.oversees.get_mut(by.index()) {
                index::add_sorted(list, key);
            }
        }
    }

    /// Files an agreement's links from membership `from` on, and refiles it.
    fn link_agreement(&mut self, key: AgreementKey, from: usize) {
        let Some(a) = self.agreements.get(key.index()) else {
            return;
        };
        if let Some(keys) = self.index.member_keys.get_mut(key.index()) {
            keys.truncate(from);
        }
        for (position, m) in a.members().iter().enumerate().skip(from) {
            let party = self.party_ids.get(m.party().as_str()).copied();
            if let Some(keys) = self.index.member_keys.get_mut(key.index()) {
                keys.push(party);
            }
            if let (Some(p), Ok(position)) = (party, u32::try_from(position)) {
                if let Some(list) = self.index.memberships.get_mut(p.index()) {
                    list.push(MemberRef {
                        agreement: key,
                        position,
                    });
                }
            }
        }
        if from == 0 {
            // Classes are set when the agreement is added and never amended.
            self.index
                .file_classes(key, a.classes().iter().map(|c| c.kind));
            for d in a.declined() {
                if let Some(list) = self
                    .party_ids
                    .get(d.party.as_str())
                    .and_then(|p| self.index.declined.get_mut(p.index()))
                {
                    index::add_sorted(list, key);
                }
            }
        }
        self.refile(key);
    }

    /// Refiles an agreement in the ordered indexes.
    fn refile(&mut self, key: AgreementKey) {
        let Some(a) = self.agreements.get(key.index()) else {
            return;
        };
        let part_of = a
            .terms()
            .part_of()
            .and_then(|p| self.agreement_ids.get(p.as_str()).copied());
        let filed = Filed::of(a, part_of);
        let named = a.terms().replaced_by().into_iter().chain(
            a.amendments()
                .iter()
                .flat_map(|am| &am.changes)
                .filter_map(|c| match c {
                    AgreementChange::ReplacedBy(c) => Some([c.before.as_ref(), c.after.as_ref()]),
                    _ => None,
                })
                .flatten()
                .flatten(),
        );
        let successors: Vec<AgreementKey> = named
            .filter_map(|id| self.agreement_ids.get(id.as_str()).copied())
            .collect();
        self.index.refile(key, filed);
        self.index.set_title(key, a.title());
        self.index.file_successors(key, successors);
    }

    /// Files a body's links: its seats, what it governs, who it reports to.
    fn link_body(&mut self, key: BodyKey) {
        let Some(b) = self.bodies.get(key.index()) else {
            return;
        };
        let mut seats = Vec::new();
        for (position, s) in b.seats().iter().enumerate() {
            if let (Some(p), Ok(position)) = (
                self.party_ids.get(s.party.as_str()),
                u32::try_from(position),
            ) {
                seats.push((*p, position));
            }
        }
        let governs: Vec<AgreementKey> = b
            .governs()
            .iter()
            .filter_map(|g| self.agreement_ids.get(g.agreement.as_str()).copied())
            .collect();
        let reports: Vec<BodyKey> = b
            .reports_to()
            .iter()
            .filter_map(|r| self.body_ids.get(r.body.as_str()).copied())
            .collect();
        for (p, position) in seats {
            if let Some(list) = self.index.seats.get_mut(p.index()) {
                if !list.contains(&(key, position)) {
                    list.push((key, position));
                }
            }
        }
        for a in governs {
            if let Some(list) = self.index.governed_by.get_mut(a.index()) {
                index::add_sorted(list, key);
            }
        }
        for up in reports {
            if let Some(list) = self.index.reporting.get_mut(up.index()) {
                index::add_sorted(list, key);
            }
        }
    }

    // ---- reading ----

    /// The register's name, currency and unknown top-level fields.
    #[must_use]
    pub fn info(&self) -> &RegistryInfo {
        &self.info
    }

    /// The party with this id.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) naming the id.
    pub fn party(&self, id: &str) -> Result<&Party, Error> {
        self.party_key(id)
            .and_then(|k| self.party_at(k).ok_or_else(|| Error::unknown_party(id)))
    }

    /// The agreement with this id.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) naming the id.
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let alliance = registry.agreement("bch-strategic-alliance")?;
    /// assert_eq!(alliance.members().len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn agreement(&self, id: &str) -> Result<&Agreement, Error> {
        self.agreement_key(id).and_then(|k| {
            self.agreement_at(k)
                .ok_or_else(|| Error::unknown_agreement(id))
        })
    }

    /// The governance body with this id.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) naming the id.
    pub fn body(&self, id: &str) -> Result<&GovernanceBody, Error> {
        self.body_key(id)
            .and_then(|k| self.body_at(k).ok_or_else(|| Error::unknown_body(id)))
    }

    /// The dense key of a party, for repeated questions without hashing the id.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) naming the id.
    pub fn party_key(&self, id: &str) -> Result<PartyKey, Error> {
        self.party_ids
            .get(id)
            .copied()
            .ok_or_else(|| Error::unknown_party(id))
    }

    /// The dense key of an agreement.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) naming the id.
    pub fn agreement_key(&self, id: &str) -> Result<AgreementKey, Error> {
        self.agreement_ids
            .get(id)
            .copied()
            .ok_or_else(|| Error::unknown_agreement(id))
    }

    /// The dense key of a governance body.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) naming the id.
    pub fn body_key(&self, id: &str) -> Result<BodyKey, Error> {
        self.body_ids
            .get(id)
            .copied()
            .ok_or_else(|| Error::unknown_body(id))
    }

    /// The party stored at `key`, or `None` for a key this registry never
    /// gave out. **O(1)**.
    #[must_use]
    pub fn party_at(&self, key: PartyKey) -> Option<&Party> {
        self.parties.get(key.index())
    }

    /// The agreement stored at `key`, or `None` for a key this registry
    /// never gave out. **O(1)**.
    #[must_use]
    pub fn agreement_at(&self, key: AgreementKey) -> Option<&Agreement> {
        self.agreements.get(key.index())
    }

    /// The body stored at `key`, or `None` for a key this registry never
    /// gave out. **O(1)**.
    #[must_use]
    pub fn body_at(&self, key: BodyKey) -> Option<&GovernanceBody> {
        self.bodies.get(key.index())
    }

    /// Every party, in the order added.
    #[must_use]
    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// Every agreement, in the order added.
    #[must_use]
    pub fn agreements(&self) -> &[Agreement] {
        &self.agreements
    }

    /// Every governance body, in the order added.
    #[must_use]
    pub fn bodies(&self) -> &[GovernanceBody] {
        &self.bodies
    }

    /// Every membership a party has ever held, with its agreement's key, in
    /// the order they were added: **O(1)** to start, **O(1)** a step. Empty
    /// for a key this registry never gave out.
    pub fn memberships_of(
        &self,
        party: PartyKey,
    ) -> impl Iterator<Item = (AgreementKey, &Membership)> + '_ {
        self.index
            .memberships
            .get(party.index())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(move |r| {
                let m = self
                    .agreements
                    .get(r.agreement.index())?
                    .members()
                    .get(r.position as usize)?;
                Some((r.agreement, m))
            })
    }
}

/// The dense key for position `i`: a registry holds fewer than 2³²
/// records of a kind, as the input bound guarantees.
pub(crate) fn key(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A sort key for problem paths that orders `[10]` after `[9]`.
fn natural(path: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut number: Option<u64> = None;
    for c in path.chars() {
        match (c.to_digit(10), number) {
            (Some(d), Some(n)) => number = Some(n.saturating_mul(10).saturating_add(u64::from(d))),
            (Some(d), None) => number = Some(u64::from(d)),
            (None, Some(n)) => {
                out.push((std::mem::take(&mut text), n));
                number = None;
                text.push(c);
            }
            (None, None) => text.push(c),
        }
    }
    out.push((text, number.unwrap_or(0)));
    out
}
