//! The read side: who takes part in what, with whom, under which umbrella,
//! function, legal basis and status, all answered as of a date.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use petgraph::Direction;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::agreement::{Agreement, Function, LegalBasis, Status};
use crate::error::Error;
use crate::id::{AgreementId, PartyId};
use crate::membership::{Membership, Role};
use crate::party::PartyKind;
use crate::registry::{AgreementKey, Link, Node, PartyKey, Registry};

/// Which agreements count in an answer: in force on the day (the default),
/// or whatever their status; see [`AsOf::scope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Agreements active or under review on the day, within their period.
    #[default]
    InForce,
    /// Every agreement with a status recorded by the day, whatever it is.
    AnyStatus,
}

/// The registry as of one day, under one [`Scope`]: every query hangs off
/// this. It is a reference, a scope and two dates, cheap to copy.
///
/// Every question starts from [`Registry::as_of`], which fixes the day it is
/// asked about and the [`Scope`] of agreements that count:
///
/// - [`Scope::InForce`] (the default) counts an agreement on a day when its
///   status that day is active or under review and the day falls in its
///   `[start, end)` period;
/// - [`Scope::AnyStatus`] counts every agreement with a status recorded by
///   that day, whatever it is: proposed, active, under review, suspended or
///   terminated. Each answer carries the status of the day so it can be told
///   apart.
///
/// Memberships always count only when in force on the day
/// ([`Membership::is_member_on`]), so a question about a past date answers
/// with the members and statuses of that date. The scope filters the
/// agreements an answer *lists*; a question about one named agreement
/// ([`AsOf::members_of`]) answers whatever its status, and says what it is.
///
/// ## As the register stood
///
/// Each fact has the day it takes effect and the day it was entered in the
/// register. [`AsOf::as_recorded_on`] asks as of the day, as the register
/// stood on an earlier (or any) day: status changes, joinings, notices and
/// departures entered after it are not yet known, so a withdrawal entered in
/// June that took effect in April leaves the answer as the register stood in
/// May unchanged. Without it, every fact entered so far counts.
///
/// ## Cost
///
/// | question | answered from | cost |
/// | --- | --- | --- |
/// | [`AsOf::agreements_of`] | the party's graph edges | **O(d log d)**, d = the party's memberships |
/// | [`AsOf::members_of`] | the agreement record | **O(m log m)**, m = its memberships |
/// | [`AsOf::partners_of`] | the party's edges, then each agreement's edges | **O(Σ m + p log p)** over the party's agreements, p = partners |
/// | [`AsOf::shared_by`] | each party's edges, intersected | **O(Σ d log d)** over the parties named |
/// | [`AsOf::leads_and_hosts`] | the party's edges, or a pass over all agreements | **O(d)**, or **O(A + M)** |
/// | [`AsOf::by_function`] | the function index | **O(k log k)**, k = agreements covering it |
/// | [`AsOf::by_legal_basis`] | the legal-basis index | **O(k log k)** |
/// | [`AsOf::under`] | incoming "part of" edges | **O(descendants)** |
/// | [`AsOf::sizes_under`] | incoming "part of" edges | **O(descendants)** |
/// | [`AsOf::sizes_in_region`] | a pass over parties, then their edges | **O(P + Σ d)** over the region |
/// | [`AsOf::declined`] | the party's edges, or the index of agreements with declines | **O(d)**, or **O(k)** |
/// | [`AsOf::cross_sector`] | the rarest sector's parties' edges, then each candidate's members, or a pass over all agreements | **O(P + Σ d + Σ m)**, or **O(A + M)** |
/// | [`AsOf::by_status`] | a pass over all agreements | **O(A · h)**, h = status changes each |
/// | [`AsOf::with_exactly`], [`AsOf::with_at_least`] | a pass over all agreements | **O(A + M)** |
///
/// A is the number of agreements, M of memberships and P of parties. Status
/// and membership counts change with the date asked, so the last three scan
/// every agreement rather than keep an index that would be right on one day
/// only.
#[derive(Debug, Clone, Copy)]
pub struct AsOf<'r> {
    registry: &'r Registry,
    date: NaiveDate,
    scope: Scope,
    recorded_on: Option<NaiveDate>,
}

impl Registry {
    /// The registry as of `date`, counting agreements in force that day.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::Scope;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let in_force = registry.as_of(on).agreements_of("northamptonshire-police")?;
    /// let any = registry.as_of(on).scope(Scope::AnyStatus).agreements_of("northamptonshire-police")?;
    /// assert_eq!((in_force.len(), any.len()), (6, 7)); // plus the proposed contact management
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of(&self, date: NaiveDate) -> AsOf<'_> {
        AsOf {
            registry: self,
            date,
            scope: Scope::InForce,
            recorded_on: None,
        }
    }
}

/// An agreement a party takes part in on the day, with its place in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participation<'r> {
    /// The agreement.
    pub agreement: &'r AgreementId,
    /// Its title.
    pub title: &'r str,
    /// Its status on the day.
    pub status: Option<Status>,
    /// The umbrella it is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<&'r AgreementId>,
    /// The party's role.
    pub role: Role,
    /// When the party joined.
    pub joined: NaiveDate,
    /// When the party served notice to leave, if it has by the day asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_served: Option<NaiveDate>,
    /// The day the party is out, if a leaving date is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaves: Option<NaiveDate>,
}

/// A member of an agreement on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member<'r> {
    /// The member.
    pub party: &'r PartyId,
    /// Its name.
    pub name: &'r str,
    /// What sort of organisation it is.
    pub kind: PartyKind,
    /// Its role.
    pub role: Role,
    /// When it joined.
    pub joined: NaiveDate,
    /// When it served notice to leave, if it has by the day asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_served: Option<NaiveDate>,
    /// The day it is out, if a leaving date is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaves: Option<NaiveDate>,
}

/// The members of one agreement on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Members<'r> {
    /// The agreement.
    pub agreement: &'r AgreementId,
    /// Its title.
    pub title: &'r str,
    /// Its status on the day.
    pub status: Option<Status>,
    /// The members that day, leads and hosts first, then by id.
    pub members: Vec<Member<'r>>,
}

/// A party that leads or hosts an agreement on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lead<'r> {
    /// The party.
    pub party: &'r PartyId,
    /// Its name.
    pub name: &'r str,
    /// Lead or host.
    pub role: Role,
    /// The agreement it leads or hosts.
    pub agreement: &'r AgreementId,
    /// The agreement's title.
    pub title: &'r str,
}

/// A party that shares at least one agreement with the party asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partner<'r> {
    /// The partner.
    pub party: &'r PartyId,
    /// Its name.
    pub name: &'r str,
    /// What sort of organisation it is.
    pub kind: PartyKind,
    /// How many agreements the two share on the day.
    pub shared: usize,
    /// Which, by id.
    pub agreements: Vec<&'r AgreementId>,
}

/// An agreement as it stands on the day: the row most lists are made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementSummary<'r> {
    /// The agreement.
    pub agreement: &'r AgreementId,
    /// Its title.
    pub title: &'r str,
    /// Its status on the day.
    pub status: Option<Status>,
    /// The law it is made under.
    pub legal_basis: LegalBasis,
    /// The umbrella it is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<&'r AgreementId>,
    /// The functions it covers.
    pub functions: &'r [Function],
    /// Its members on the day, by id.
    pub members: Vec<&'r PartyId>,
}

/// An agreement found under an umbrella, with where it sits in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UmbrellaEntry<'r> {
    /// 1 for a direct part of the umbrella, 2 for a part of a part, ...
    pub depth: usize,
    /// The agreement it is directly part of.
    pub parent: &'r AgreementId,
    /// The agreement itself.
    #[serde(flatten)]
    pub summary: AgreementSummary<'r>,
}

/// How many agreements have each membership size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizeDistribution<'r> {
    /// What was counted: `region East Midlands` or `under em-collaboration-programme`.
    pub within: String,
    /// One row per size found, smallest first.
    pub sizes: Vec<SizeCount<'r>>,
}

/// The agreements of one membership size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizeCount<'r> {
    /// The number of members counted.
    pub size: usize,
    /// How many agreements have it.
    pub count: usize,
    /// Which, by id.
    pub agreements: Vec<&'r AgreementId>,
}

/// An agreement whose members on the day come from more than one sector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossSector<'r> {
    /// The sectors of its members ([`PartyKind::sector`]), sorted.
    pub sectors: Vec<&'static str>,
    /// The agreement.
    #[serde(flatten)]
    pub summary: AgreementSummary<'r>,
}

/// An invitation to join that a party declined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclinedInvitation<'r> {
    /// The agreement.
    pub agreement: &'r AgreementId,
    /// Its title.
    pub title: &'r str,
    /// The party that declined.
    pub party: &'r PartyId,
    /// Its name.
    pub name: &'r str,
    /// When it declined, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<NaiveDate>,
    /// The source's words, if recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'r str>,
}

/// Orders lead and host before other roles, then by the given key.
fn role_rank(role: Role) -> u8 {
    match role {
        Role::Lead => 0,
        Role::Host => 1,
        Role::Member => 2,
        Role::Associate => 3,
        Role::Observer => 4,
    }
}

impl<'r> AsOf<'r> {
    /// The same day under another [`Scope`].
    pub fn scope(self, scope: Scope) -> Self {
        AsOf { scope, ..self }
    }

    /// The day asked about.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The scope of agreements that count.
    pub fn current_scope(&self) -> Scope {
        self.scope
    }

    /// The same day, as the register stood on `register_date`: status
    /// changes, joinings, notices, departures, reviews and amendments entered
    /// after it are not known, so a late entry (a withdrawal entered in June
    /// that took effect in April) leaves what the register said in May
    /// unchanged. Without it, every fact entered so far counts.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::When;
    /// let mut registry = collab_registry::sample()?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Derbyshire's withdrawal from 1 April 2022 was entered on 10 June.
    /// registry.leave("em-major-crime", "derbyshire-police", When::on(day(2022, 4, 1)).entered(day(2022, 6, 10)))?;
    /// let may = registry.as_of(day(2022, 5, 1));
    /// assert_eq!(may.members_of("em-major-crime")?.members.len(), 4);
    /// assert_eq!(may.as_recorded_on(day(2022, 5, 31)).members_of("em-major-crime")?.members.len(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_recorded_on(self, register_date: NaiveDate) -> Self {
        AsOf {
            recorded_on: Some(register_date),
            ..self
        }
    }

    /// The day the register is read as it stood, if one was set with
    /// [`AsOf::as_recorded_on`].
    pub fn recorded_on(&self) -> Option<NaiveDate> {
        self.recorded_on
    }

    /// The status of `agreement` on the day, as the register stood.
    pub fn status_of(&self, agreement: &Agreement) -> Option<Status> {
        match self.recorded_on {
            Some(t) => agreement.status_on_as_recorded(self.date, t),
            None => agreement.status_on(self.date),
        }
    }

    /// Whether `membership` is in force on the day, as the register stood.
    pub fn is_member(&self, membership: &Membership) -> bool {
        match self.recorded_on {
            Some(t) => membership.is_member_on_as_recorded(self.date, t),
            None => membership.is_member_on(self.date),
        }
    }

    /// The day notice was served, if served by the day and known.
    pub(crate) fn notice_known(&self, m: &Membership) -> Option<NaiveDate> {
        m.notice_served.filter(|d| {
            *d <= self.date
                && self
                    .recorded_on
                    .is_none_or(|t| m.recorded.notice_served.unwrap_or(*d) <= t)
        })
    }

    /// The day the member is out, if known.
    pub(crate) fn leaves_known(&self, m: &Membership) -> Option<NaiveDate> {
        m.left.filter(|d| {
            self.recorded_on
                .is_none_or(|t| m.recorded.left.unwrap_or(*d) <= t)
        })
    }

    /// The registry asked.
    pub fn registry(&self) -> &'r Registry {
        self.registry
    }

    /// Whether `agreement` counts on the day under the scope.
    pub fn counts(&self, agreement: &Agreement) -> bool {
        let status = self.status_of(agreement);
        match self.scope {
            Scope::InForce => {
                status.is_some_and(|s| s.is_in_force())
                    && agreement.start <= self.date
                    && agreement.end.is_none_or(|end| self.date < end)
            }
            Scope::AnyStatus => status.is_some(),
        }
    }

    /// The memberships of `party` in force on the day, in agreements that
    /// count, read from the party's graph edges; unordered.
    pub(crate) fn memberships(
        &self,
        party: PartyKey,
    ) -> impl Iterator<Item = (AgreementKey, &'r Agreement, &'r Membership)> + 'r {
        let this = *self;
        self.registry
            .memberships_of(party)
            .filter(move |(_, m)| this.is_member(m))
            .map(move |(k, m)| (k, this.registry.agreement_at(k), m))
            .filter(move |(_, a, _)| this.counts(a))
    }

    /// The members of an agreement in force on the day, with their keys,
    /// read from the agreement's graph edges (no id lookups); unordered.
    pub(crate) fn members_with_keys(
        &self,
        agreement: AgreementKey,
    ) -> impl Iterator<Item = (PartyKey, &'r Membership)> + 'r {
        let registry = self.registry;
        let this = *self;
        let graph = registry.graph();
        let record = registry.agreement_at(agreement);
        graph
            .edges_directed(registry.agreement_node(agreement), Direction::Outgoing)
            .filter_map(move |e| match (e.weight(), graph[e.target()]) {
                (Link::Member(pos), Node::Party(p)) => {
                    record.members.get(*pos as usize).map(|m| (p, m))
                }
                _ => None,
            })
            .filter(move |(_, m)| this.is_member(m))
    }

    /// The memberships of `agreement` in force on the day, as the register stood.
    pub(crate) fn members_on(
        &self,
        agreement: &'r Agreement,
    ) -> impl Iterator<Item = &'r Membership> + 'r {
        let this = *self;
        agreement.members.iter().filter(move |m| this.is_member(m))
    }

    /// The row for an agreement on the day.
    pub(crate) fn summary(&self, agreement: &'r Agreement) -> AgreementSummary<'r> {
        let mut members: Vec<&'r PartyId> = self.members_on(agreement).map(|m| &m.party).collect();
        members.sort_unstable();
        members.dedup();
        AgreementSummary {
            agreement: &agreement.id,
            title: &agreement.title,
            status: self.status_of(agreement),
            legal_basis: agreement.legal_basis,
            part_of: agreement.part_of.as_ref(),
            functions: &agreement.functions,
            members,
        }
    }

    /// Rows for the agreements at `keys` that count on the day, by id.
    fn summaries(&self, keys: impl Iterator<Item = AgreementKey>) -> Vec<AgreementSummary<'r>> {
        let mut rows: Vec<AgreementSummary<'r>> = keys
            .map(|k| self.registry.agreement_at(k))
            .filter(|a| self.counts(a))
            .map(|a| self.summary(a))
            .collect();
        rows.sort_unstable_by(|x, y| x.agreement.cmp(y.agreement));
        rows
    }

    fn refused(&self, action: &'static str, target: String, reason: String) -> Error {
        Error::Refused {
            action,
            target,
            date: self.date,
            reason,
        }
    }

    /// The agreements `party` takes part in on the day, with its role, by
    /// agreement id.
    ///
    /// Read from the party's graph edges: **O(d log d)** for a party with d
    /// memberships, whatever the size of the registry.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming an unknown party.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::Role;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let rows = registry.as_of(on).agreements_of("northamptonshire-police")?;
    /// let hosted: Vec<&str> = rows.iter().filter(|r| r.role == Role::Host).map(|r| r.agreement.as_str()).collect();
    /// assert_eq!(hosted, ["em-operational-support", "northamptonshire-enabling-services"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn agreements_of(&self, party: &str) -> Result<Vec<Participation<'r>>, Error> {
        let key = self.registry.party_key(party)?;
        let mut rows: Vec<Participation<'r>> = self
            .memberships(key)
            .map(|(_, a, m)| Participation {
                agreement: &a.id,
                title: &a.title,
                status: self.status_of(a),
                part_of: a.part_of.as_ref(),
                role: m.role,
                joined: m.joined,
                notice_served: self.notice_known(m),
                leaves: self.leaves_known(m),
            })
            .collect();
        rows.sort_unstable_by(|x, y| x.agreement.cmp(y.agreement));
        Ok(rows)
    }

    /// The members of `agreement` on the day, leads and hosts first, then by
    /// id, with its status that day. The scope does not apply: the agreement
    /// is named, so it answers whatever its status.
    ///
    /// **O(m log m)** for an agreement with m memberships.
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
    /// let before = registry.as_of(day(2016, 3, 31)).members_of("em-operational-support")?;
    /// let after = registry.as_of(day(2016, 4, 1)).members_of("em-operational-support")?;
    /// assert_eq!((before.members.len(), after.members.len()), (5, 4)); // Derbyshire left
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn members_of(&self, agreement: &str) -> Result<Members<'r>, Error> {
        let key = self.registry.agreement_key(agreement)?;
        let a = self.registry.agreement_at(key);
        let mut members: Vec<Member<'r>> = self
            .members_with_keys(key)
            .map(|(p, m)| {
                let party = self.registry.party_at(p);
                Member {
                    party: &party.id,
                    name: &party.name,
                    kind: party.kind,
                    role: m.role,
                    joined: m.joined,
                    notice_served: self.notice_known(m),
                    leaves: self.leaves_known(m),
                }
            })
            .collect();
        members.sort_unstable_by(|x, y| {
            (role_rank(x.role), x.party).cmp(&(role_rank(y.role), y.party))
        });
        Ok(Members {
            agreement: &a.id,
            title: &a.title,
            status: self.status_of(a),
            members,
        })
    }

    /// The parties that lead or host agreements on the day, by party then
    /// agreement: for one party when `party` is given, read from its edges
    /// in **O(d log d)**, else for every agreement that counts, a pass over
    /// all of them in **O(A + M)**.
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
    /// let leads = registry.as_of(on).leads_and_hosts(Some("nottinghamshire-police"))?;
    /// let led: Vec<&str> = leads.iter().map(|l| l.agreement.as_str()).collect();
    /// assert_eq!(led, ["em-major-crime", "em-public-order"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn leads_and_hosts(&self, party: Option<&str>) -> Result<Vec<Lead<'r>>, Error> {
        let lead = |p: &'r PartyId, a: &'r Agreement, m: &'r Membership| -> Option<Lead<'r>> {
            m.leads_or_hosts().then(|| Lead {
                party: p,
                name: self
                    .registry
                    .party(p.as_str())
                    .map_or("", |x| x.name.as_str()),
                role: m.role,
                agreement: &a.id,
                title: &a.title,
            })
        };
        let mut rows: Vec<Lead<'r>> = match party {
            Some(id) => {
                let key = self.registry.party_key(id)?;
                let p = &self.registry.party_at(key).id;
                self.memberships(key)
                    .filter_map(|(_, a, m)| lead(p, a, m))
                    .collect()
            }
            None => self
                .registry
                .agreements()
                .iter()
                .filter(|a| self.counts(a))
                .flat_map(|a| self.members_on(a).map(move |m| (a, m)))
                .filter_map(|(a, m)| lead(&m.party, a, m))
                .collect(),
        };
        rows.sort_unstable_by(|x, y| (x.party, x.agreement).cmp(&(y.party, y.agreement)));
        Ok(rows)
    }

    /// Every party that shares an agreement with `party` on the day, with how
    /// many and which; most shared first, then by id.
    ///
    /// Read from the party's edges and then each of its agreements' edges:
    /// **O(Σ m + p log p)** over the party's agreements, for p partners,
    /// with no id lookups.
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
    /// let partners = registry.as_of(on).partners_of("northamptonshire-police")?;
    /// assert_eq!(partners[0].party.as_str(), "leicestershire-police");
    /// assert_eq!(partners[0].shared, 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn partners_of(&self, party: &str) -> Result<Vec<Partner<'r>>, Error> {
        let key = self.registry.party_key(party)?;
        let mut shared: HashMap<PartyKey, Vec<&'r AgreementId>> = HashMap::new();
        for (a_key, a, _) in self.memberships(key) {
            for (p, _) in self.members_with_keys(a_key) {
                if p != key {
                    shared.entry(p).or_default().push(&a.id);
                }
            }
        }
        let mut rows: Vec<Partner<'r>> = shared
            .into_iter()
            .map(|(p, mut agreements)| {
                agreements.sort_unstable();
                // Memberships of one party never overlap, but count each
                // agreement once whatever the data says.
                agreements.dedup();
                let party = self.registry.party_at(p);
                Partner {
                    party: &party.id,
                    name: &party.name,
                    kind: party.kind,
                    shared: agreements.len(),
                    agreements,
                }
            })
            .collect();
        rows.sort_unstable_by(|x, y| y.shared.cmp(&x.shared).then(x.party.cmp(y.party)));
        Ok(rows)
    }

    /// The agreements in which every one of `parties` is a member on the
    /// day, by id.
    ///
    /// Each party's agreements are read from its edges and intersected:
    /// **O(Σ d log d)** over the parties named.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming an unknown party; [`Error::Refused`] when
    /// no party is named.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let shared = registry.as_of(on).shared_by(&["northamptonshire-police", "northamptonshire-fire"])?;
    /// let ids: Vec<&str> = shared.iter().map(|s| s.agreement.as_str()).collect();
    /// assert_eq!(ids, ["northamptonshire-enabling-services", "northamptonshire-police-fire-response"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shared_by(&self, parties: &[&str]) -> Result<Vec<AgreementSummary<'r>>, Error> {
        let keys = parties
            .iter()
            .map(|p| self.registry.party_key(p))
            .collect::<Result<Vec<PartyKey>, Error>>()?;
        let mut common: Option<BTreeSet<AgreementKey>> = None;
        for key in keys {
            let mine: BTreeSet<AgreementKey> = self.memberships(key).map(|(k, _, _)| k).collect();
            common = Some(match common {
                None => mine,
                Some(before) => before.intersection(&mine).copied().collect(),
            });
        }
        let common = common.ok_or_else(|| {
            self.refused(
                "find shared agreements",
                "no parties".to_string(),
                "name at least one party".to_string(),
            )
        })?;
        Ok(self.summaries(common.into_iter()))
    }

    /// The agreements with exactly `n` members on the day, by id: a pass
    /// over all agreements, **O(A + M)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let fours = registry.as_of(on).with_exactly(4);
    /// assert_eq!(fours[0].agreement.as_str(), "em-operational-support");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_exactly(&self, n: usize) -> Vec<AgreementSummary<'r>> {
        self.with_members(|count| count == n)
    }

    /// The agreements with at least `n` members on the day, by id: a pass
    /// over all agreements, **O(A + M)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let all_five = registry.as_of(on).with_at_least(5);
    /// let ids: Vec<&str> = all_five.iter().map(|s| s.agreement.as_str()).collect();
    /// assert_eq!(ids, ["em-collaboration-programme", "em-major-crime"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_at_least(&self, n: usize) -> Vec<AgreementSummary<'r>> {
        self.with_members(|count| count >= n)
    }

    fn with_members(&self, keep: impl Fn(usize) -> bool) -> Vec<AgreementSummary<'r>> {
        let mut rows: Vec<AgreementSummary<'r>> = self
            .registry
            .agreements()
            .iter()
            .filter(|a| self.counts(a))
            .map(|a| self.summary(a))
            .filter(|s| keep(s.members.len()))
            .collect();
        rows.sort_unstable_by(|x, y| x.agreement.cmp(y.agreement));
        rows
    }

    /// How many of a region's parties (of one `kind`, or of any) take part in
    /// each agreement on the day, tallied by that number: with
    /// [`PartyKind::PoliceForce`], the East Midlands "mix of two, three, four
    /// or five forces". An agreement counts when at least one such party of
    /// the region is a member; its size is the number of members from the
    /// region, so a national agreement that all five forces belong to counts
    /// as five.
    ///
    /// A pass over the parties to find the region's, then their edges:
    /// **O(P + Σ d)** over the region's parties.
    ///
    /// # Errors
    ///
    /// [`Error::Refused`] when no party is in the region, listing the
    /// regions there are.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::PartyKind;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let mix = registry.as_of(on).sizes_in_region("East Midlands", Some(PartyKind::PoliceForce))?;
    /// let sizes: Vec<(usize, usize)> = mix.sizes.iter().map(|s| (s.size, s.count)).collect();
    /// // Two collaborations of one East Midlands force (with its fire
    /// // service), one of two forces, two of three, one of four, two of five.
    /// assert_eq!(sizes, [(1, 2), (2, 1), (3, 2), (4, 1), (5, 2)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sizes_in_region(
        &self,
        region: &str,
        kind: Option<PartyKind>,
    ) -> Result<SizeDistribution<'r>, Error> {
        let mut found = false;
        let mut counts: BTreeMap<AgreementKey, usize> = BTreeMap::new();
        for party in self.registry.parties() {
            if party.region.as_deref() != Some(region) {
                continue;
            }
            found = true;
            if kind.is_some_and(|kind| party.kind != kind) {
                continue;
            }
            let key = self.registry.party_key(party.id.as_str())?;
            for (a, _, _) in self.memberships(key) {
                *counts.entry(a).or_default() += 1;
            }
        }
        if !found {
            let regions: BTreeSet<&str> = self
                .registry
                .parties()
                .iter()
                .filter_map(|p| p.region.as_deref())
                .collect();
            return Err(self.refused(
                "count membership sizes",
                format!("region {region:?}"),
                format!(
                    "no party is in that region; the regions are: {}",
                    regions.into_iter().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let within = match kind {
            Some(kind) => format!("region {region}, {}", kind.as_str()),
            None => format!("region {region}"),
        };
        Ok(self.distribution(within, counts))
    }

    /// How many members each agreement under `umbrella` (to any depth, not
    /// the umbrella itself) has on the day, tallied by that number.
    ///
    /// Walks incoming "part of" edges: **O(descendants)**.
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
    /// let mix = registry.as_of(on).sizes_under("em-collaboration-programme")?;
    /// let sizes: Vec<(usize, usize)> = mix.sizes.iter().map(|s| (s.size, s.count)).collect();
    /// assert_eq!(sizes, [(2, 1), (3, 1), (4, 1), (5, 1)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sizes_under(&self, umbrella: &str) -> Result<SizeDistribution<'r>, Error> {
        let root = self.registry.agreement_key(umbrella)?;
        let counts: BTreeMap<AgreementKey, usize> = self
            .descendants(root)
            .into_iter()
            .filter(|(_, _, k)| self.counts(self.registry.agreement_at(*k)))
            .map(|(_, _, k)| (k, self.members_with_keys(k).count()))
            .collect();
        Ok(self.distribution(format!("under {umbrella}"), counts))
    }

    fn distribution(
        &self,
        within: String,
        counts: BTreeMap<AgreementKey, usize>,
    ) -> SizeDistribution<'r> {
        let mut by_size: BTreeMap<usize, Vec<&'r AgreementId>> = BTreeMap::new();
        for (key, size) in counts {
            by_size
                .entry(size)
                .or_default()
                .push(&self.registry.agreement_at(key).id);
        }
        SizeDistribution {
            within,
            sizes: by_size
                .into_iter()
                .map(|(size, mut agreements)| {
                    agreements.sort_unstable();
                    SizeCount {
                        size,
                        count: agreements.len(),
                        agreements,
                    }
                })
                .collect(),
        }
    }

    /// The agreements covering `function` on the day, by id.
    ///
    /// Read from the function index: **O(k log k)** for k agreements covering
    /// it, whatever the size of the registry.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::Function;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let armed = registry.as_of(on).by_function(Function::ArmedPolicing);
    /// let ids: Vec<&str> = armed.iter().map(|s| s.agreement.as_str()).collect();
    /// assert_eq!(ids, ["bch-operational-support", "bch-strategic-alliance", "em-collaboration-programme", "em-operational-support"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn by_function(&self, function: Function) -> Vec<AgreementSummary<'r>> {
        let keys = self.registry.indexes.by_function.get(&function);
        self.summaries(keys.into_iter().flatten().copied())
    }

    /// The agreements made under `basis` that count on the day, by id.
    ///
    /// Read from the legal-basis index: **O(k log k)** for k agreements made
    /// under it.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::LegalBasis;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let duty = registry.as_of(on).by_legal_basis(LegalBasis::PolicingAndCrimeAct2017);
    /// assert_eq!(duty.len(), 2); // Northamptonshire police and fire
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn by_legal_basis(&self, basis: LegalBasis) -> Vec<AgreementSummary<'r>> {
        let keys = self.registry.indexes.by_legal_basis.get(&basis);
        self.summaries(keys.into_iter().flatten().copied())
    }

    /// The agreements whose status on the day is `status`, by id. The scope
    /// does not apply: the status asked is the filter.
    ///
    /// Status changes with the day asked, so this is a pass over every
    /// agreement's status history: **O(A · h)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::Status;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let proposed = registry.as_of(on).by_status(Status::Proposed);
    /// let ids: Vec<&str> = proposed.iter().map(|s| s.agreement.as_str()).collect();
    /// assert_eq!(ids, ["bch-people-services", "bch-support-services", "nln-contact-management"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn by_status(&self, status: Status) -> Vec<AgreementSummary<'r>> {
        let mut rows: Vec<AgreementSummary<'r>> = self
            .registry
            .agreements()
            .iter()
            .filter(|a| self.status_of(a) == Some(status))
            .map(|a| self.summary(a))
            .collect();
        rows.sort_unstable_by(|x, y| x.agreement.cmp(y.agreement));
        rows
    }

    /// Every agreement under `umbrella`, to any depth, that counts on the
    /// day: depth first, each level by id, so it reads as a tree. Parts of
    /// parts that do not count are still walked through.
    ///
    /// Walks incoming "part of" edges: **O(descendants)**.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] naming an unknown agreement.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::Scope;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let parts = registry.as_of(on).scope(Scope::AnyStatus).under("bch-strategic-alliance")?;
    /// let ids: Vec<&str> = parts.iter().map(|p| p.summary.agreement.as_str()).collect();
    /// assert_eq!(ids, ["bch-operational-support", "bch-people-services", "bch-support-services"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn under(&self, umbrella: &str) -> Result<Vec<UmbrellaEntry<'r>>, Error> {
        let root = self.registry.agreement_key(umbrella)?;
        Ok(self
            .descendants(root)
            .into_iter()
            .map(|(depth, parent, k)| (depth, parent, self.registry.agreement_at(k)))
            .filter(|(_, _, a)| self.counts(a))
            .map(|(depth, parent, a)| UmbrellaEntry {
                depth,
                parent: &self.registry.agreement_at(parent).id,
                summary: self.summary(a),
            })
            .collect())
    }

    /// Every agreement under `root` with its depth and parent, in pre-order,
    /// children by id. "Part of" links are checked acyclic on every change;
    /// the seen set guards against a cycle anyway.
    fn descendants(&self, root: AgreementKey) -> Vec<(usize, AgreementKey, AgreementKey)> {
        let graph = self.registry.graph();
        let children = |parent: AgreementKey| -> Vec<AgreementKey> {
            let mut kids: Vec<AgreementKey> = graph
                .edges_directed(self.registry.agreement_node(parent), Direction::Incoming)
                .filter_map(|e| match (e.weight(), graph[e.source()]) {
                    (Link::PartOf, Node::Agreement(child)) => Some(child),
                    _ => None,
                })
                .collect();
            // Reverse id order, so popping the stack visits them by id.
            kids.sort_unstable_by(|x, y| {
                let id = |k: &AgreementKey| &self.registry.agreement_at(*k).id;
                id(y).cmp(id(x))
            });
            kids
        };
        let mut out = Vec::new();
        let mut seen: BTreeSet<AgreementKey> = BTreeSet::from([root]);
        let mut stack: Vec<(usize, AgreementKey, AgreementKey)> =
            children(root).into_iter().map(|c| (1, root, c)).collect();
        while let Some((depth, parent, key)) = stack.pop() {
            if !seen.insert(key) {
                continue;
            }
            out.push((depth, parent, key));
            stack.extend(children(key).into_iter().map(|c| (depth + 1, key, c)));
        }
        out
    }

    /// Agreements whose members on the day come from more than one sector
    /// ([`PartyKind::sector`]: police forces and policing bodies are both
    /// `policing`), by id. When `sectors` are named, only agreements with
    /// members from every one of them: `["policing", "fire_and_rescue"]` for
    /// police with fire.
    ///
    /// With sectors named, reads the edges of the rarest sector's parties:
    /// **O(P + Σ d + Σ m)** (the candidates' members are read to find their
    /// sectors); with none, a pass over all agreements, **O(A + M)**.
    ///
    /// # Errors
    ///
    /// [`Error::Refused`] naming a sector that does not exist, with the list.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let police_and_fire = registry.as_of(on).cross_sector(&["policing", "fire_and_rescue"])?;
    /// assert_eq!(police_and_fire.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cross_sector(&self, sectors: &[&str]) -> Result<Vec<CrossSector<'r>>, Error> {
        let known: BTreeSet<&'static str> = PartyKind::ALL.iter().map(|k| k.sector()).collect();
        let mut wanted: BTreeSet<&'static str> = BTreeSet::new();
        for sector in sectors {
            let s = known.iter().copied().find(|k| k == sector).ok_or_else(|| {
                self.refused(
                    "find cross-sector agreements",
                    format!("sector {sector:?}"),
                    format!(
                        "no such sector; the sectors are: {}",
                        known.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            wanted.insert(s);
        }
        let candidates: Vec<&'r Agreement> = match self.rarest_sector(&wanted) {
            Some(rare) => {
                let mut keys: BTreeSet<AgreementKey> = BTreeSet::new();
                for party in self.registry.parties() {
                    if party.kind.sector() == rare {
                        let key = self.registry.party_key(party.id.as_str())?;
                        keys.extend(self.memberships(key).map(|(k, _, _)| k));
                    }
                }
                keys.into_iter()
                    .map(|k| self.registry.agreement_at(k))
                    .collect()
            }
            None => self
                .registry
                .agreements()
                .iter()
                .filter(|a| self.counts(a))
                .collect(),
        };
        let mut rows: Vec<CrossSector<'r>> = Vec::new();
        for a in candidates {
            let mut found: BTreeSet<&'static str> = BTreeSet::new();
            for m in self.members_on(a) {
                if let Ok(p) = self.registry.party(m.party.as_str()) {
                    found.insert(p.kind.sector());
                }
            }
            if found.len() >= 2 && wanted.is_subset(&found) {
                rows.push(CrossSector {
                    sectors: found.into_iter().collect(),
                    summary: self.summary(a),
                });
            }
        }
        rows.sort_unstable_by(|x, y| x.summary.agreement.cmp(y.summary.agreement));
        Ok(rows)
    }

    /// Of the sectors wanted, the one with the fewest parties.
    fn rarest_sector(&self, wanted: &BTreeSet<&'static str>) -> Option<&'static str> {
        let mut sizes: BTreeMap<&'static str, usize> = wanted.iter().map(|s| (*s, 0)).collect();
        for party in self.registry.parties() {
            if let Some(n) = sizes.get_mut(party.kind.sector()) {
                *n += 1;
            }
        }
        sizes.into_iter().min_by_key(|(_, n)| *n).map(|(s, _)| s)
    }

    /// Invitations declined, by agreement then party: by one party when
    /// `party` is given (read from its edges, **O(d)**), else every one (read
    /// from the index of agreements recording a decline, **O(k)**).
    ///
    /// A decline shows from the day it was made, or from the agreement's
    /// start when that day is not known. The scope does not apply: an
    /// invitation to a proposed agreement can be declined too.
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
    /// let declined = registry.as_of(on).declined(None)?;
    /// let who: Vec<&str> = declined.iter().map(|d| d.party.as_str()).collect();
    /// assert_eq!(who, ["derbyshire-police", "lincolnshire-police"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn declined(&self, party: Option<&str>) -> Result<Vec<DeclinedInvitation<'r>>, Error> {
        let mut agreements: Vec<AgreementKey> = match party {
            Some(id) => {
                let key = self.registry.party_key(id)?;
                let graph = self.registry.graph();
                graph
                    .edges_directed(self.registry.party_node(key), Direction::Incoming)
                    .filter_map(|e| match (e.weight(), graph[e.source()]) {
                        (Link::Declined, Node::Agreement(a)) => Some(a),
                        _ => None,
                    })
                    .collect()
            }
            None => self.registry.indexes.with_declined.clone(),
        };
        // Two declines by one party give two edges to the same agreement.
        agreements.sort_unstable();
        agreements.dedup();
        let mut rows: Vec<DeclinedInvitation<'r>> = Vec::new();
        for key in agreements {
            let a = self.registry.agreement_at(key);
            for d in &a.declined {
                if party.is_some_and(|p| d.party != p) || d.on.unwrap_or(a.start) > self.date {
                    continue;
                }
                rows.push(DeclinedInvitation {
                    agreement: &a.id,
                    title: &a.title,
                    party: &d.party,
                    name: self
                        .registry
                        .party(d.party.as_str())
                        .map_or("", |p| p.name.as_str()),
                    on: d.on,
                    note: d.note.as_deref(),
                });
            }
        }
        rows.sort_by(|x, y| (x.agreement, x.party, x.on).cmp(&(y.agreement, y.party, y.on)));
        Ok(rows)
    }
}
