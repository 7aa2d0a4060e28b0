//! Who takes part in what, with whom, under which umbrella, function, legal
//! basis and status, who signs, and which agreements cross sectors: every
//! answer as of the day asked, read through the temporal views.
//!
//! ## Members by class, and member lists not published
//!
//! An agreement's members on a day are its listed memberships in force and
//! the parties of each of its classes that day (every party of a kind, or
//! of a kind in a region, its kind and region read as of the day); a party
//! listed and of a class counts once, as listed. Every question here counts
//! them alike. An agreement whose member list is not published counts where
//! it can: it is listed by function, legal basis, status and umbrella, and
//! its named members take part in it, but it has no known size, so the size
//! questions leave it out (naming it under `unpublished` where they tally).
//! After an agreement ends it has no members at all.
//!
//! ## Cost
//!
//! | question | answered from | cost |
//! | --- | --- | --- |
//! | [`AsOf::agreements_of`] | the party's memberships, and the agreements with a class of its kind | **O(d log d + k · c)**, d = the party's memberships, k = those agreements |
//! | [`AsOf::members_of`] | the agreement's memberships, and the parties of its classes' kinds | **O(m log m + q log q)**, m = its memberships, q = those parties |
//! | [`AsOf::signatories`] | its members and their overseers | **O(m · o log m)**, o = overseers each |
//! | [`AsOf::partners_of`] | the party's memberships, then each agreement's members | **O(d log d + Σ m + p log p)**, p = partners |
//! | [`AsOf::shared_by`] | each party's memberships, intersected | **O(Σ (d + k) log d)** |
//! | [`AsOf::leads_and_hosts`] | the party's memberships, or a pass over all agreements | **O(d log d + k · c)**, or **O(A + M)** |
//! | [`AsOf::by_function`], [`AsOf::by_legal_basis`] | the function and legal-basis indexes | **O(k log k + c + Σ m)**, k listed |
//! | [`AsOf::under`], [`AsOf::sizes_under`] | the parts index | **O(n log n + c + Σ m)**, n = descendants |
//! | [`AsOf::declined`] | the party's declines, or the agreements recording one | **O(d)**, or **O(k)** |
//! | [`AsOf::sizes_in_region`] | a pass over parties, then their memberships | **O(P + Σ (d + k))** |
//! | [`AsOf::cross_sector`] | the kind index, then the rarest selector's memberships; or a pass over all agreements | **O(Σ q + Σ d + Σ m)**, or **O(A + M)** |
//! | [`AsOf::by_status`] | a pass over all agreements | **O(A · h + M)**, h = status changes each |
//! | [`AsOf::with_exactly`], [`AsOf::with_at_least`] | a pass over all agreements | **O(A + M)** |
//!
//! A is the number of agreements, M of members (listed, and by class: a
//! class counts the parties of its kind), P of parties, and c of
//! agreements changed after the day asked (their indexed values may differ
//! on the day, so they are worked out through their views). Rows listing
//! agreements name their members, so each costs its m. Status, membership
//! counts, roles, regions and party kinds change with the day asked, and no
//! index keeps them by day, so the questions that filter on them pass over
//! every record; the kind index holds every party that ever held a kind, so
//! a class is expanded from the parties of its kind alone.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::model::{
    AgreementId, Function, Functions, LegalBases, LegalBasis, PartialDate, PartyId, PartyKind,
    Role, Sector, Status,
};
use crate::store::{AgreementKey, PartyKey};
use crate::time::{AgreementView, PartyView};

use super::answer::{AgreementRef, PartyRef};
use super::{AsOf, DayMember, EndedBy};

/// An agreement a party takes part in on the day, with its place in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Participation<'r> {
    /// The agreement, with its title on the day.
    pub agreement: AgreementRef<'r>,
    /// Its status on the day.
    pub status: Option<Status>,
    /// The umbrella it was part of on the day.
    pub part_of: Option<AgreementRef<'r>>,
    /// The party's role on the day.
    pub role: Role,
    /// Whether it is a member by class (every party of its kind, or of its
    /// kind in its region), not listed by name.
    pub by_class: bool,
    /// When the party joined (for a member by class, when the class did).
    pub joined: PartialDate,
    /// When the party served notice to leave, if it had by the day and the
    /// register knew.
    pub notice_served: Option<NaiveDate>,
    /// The day the party is out, if a leaving day is known.
    pub leaves: Option<PartialDate>,
    /// Whether the joining or leaving day is known only to a month or year.
    pub approximate: bool,
}

/// A member of an agreement on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Member<'r> {
    /// The member, with its name on the day.
    pub party: PartyRef<'r>,
    /// What sort of organisation it was on the day.
    pub kind: Option<PartyKind>,
    /// Its role on the day.
    pub role: Role,
    /// Whether it is a member by class (every party of its kind, or of its
    /// kind in its region), not listed by name.
    pub by_class: bool,
    /// When it joined (for a member by class, when the class did).
    pub joined: PartialDate,
    /// When it served notice to leave, if it had by the day and the register knew.
    pub notice_served: Option<NaiveDate>,
    /// The day it is out, if a leaving day is known.
    pub leaves: Option<PartialDate>,
    /// Whether the joining or leaving day is known only to a month or year.
    pub approximate: bool,
}

/// The members of one agreement on the day ([`AsOf::members_of`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Members<'r> {
    /// The agreement, with its title on the day.
    pub agreement: AgreementRef<'r>,
    /// Its status on the day (`None` before its first).
    pub status: Option<Status>,
    /// Whether it was in force on the day.
    pub in_force: bool,
    /// Whether it had ended by the day (terminated, or past its fixed
    /// end): it then has no members.
    pub ended: bool,
    /// Who ended it, for a termination in force on the day where the
    /// register knows.
    pub ended_by: Option<EndedBy<'r>>,
    /// Whether its member list is published. When it is not, `members`
    /// holds only the members the register names, and the agreement has no
    /// known size.
    pub members_published: bool,
    /// The members that day, leads and hosts first, then by id: listed ones
    /// and the parties of its classes that day.
    pub members: Vec<Member<'r>>,
}

/// A party that leads or hosts an agreement on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Lead<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// Lead or host.
    pub role: Role,
    /// The agreement it leads or hosts.
    pub agreement: AgreementRef<'r>,
}

/// A party that shares at least one agreement with the party asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Partner<'r> {
    /// The partner.
    pub party: PartyRef<'r>,
    /// What sort of organisation it was on the day.
    pub kind: Option<PartyKind>,
    /// How many agreements the two share on the day.
    pub shared: usize,
    /// Which, by id.
    pub agreements: Vec<AgreementRef<'r>>,
}

/// An agreement as it stood on the day: the row most lists are made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AgreementSummary<'r> {
    /// The agreement, with its title on the day.
    pub agreement: AgreementRef<'r>,
    /// Its status on the day.
    pub status: Option<Status>,
    /// The law it was made under, on the day.
    pub legal_basis: LegalBases,
    /// The umbrella it was part of on the day.
    pub part_of: Option<AgreementRef<'r>>,
    /// The functions it covered on the day.
    pub functions: Functions,
    /// Whether its member list is published.
    pub members_published: bool,
    /// How many members it had on the day (listed and by class), when
    /// known: `null` when its member list is not published.
    pub member_count: Option<usize>,
    /// Its members on the day that the register knows, listed and by
    /// class, by id.
    pub members: Vec<PartyRef<'r>>,
}

/// An agreement found under an umbrella, with where it sits in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UmbrellaEntry<'r> {
    /// 1 for a direct part of the umbrella, 2 for a part of a part, ...
    pub depth: usize,
    /// The agreement it was directly part of on the day.
    pub parent: AgreementRef<'r>,
    /// The agreement itself.
    #[serde(flatten)]
    pub summary: AgreementSummary<'r>,
}

/// How many agreements have each membership size ([`AsOf::sizes_in_region`],
/// [`AsOf::sizes_under`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SizeDistribution<'r> {
    /// What was counted: `region East Midlands` or `under em-collaboration-programme`.
    pub within: String,
    /// One row per size found, smallest first.
    pub sizes: Vec<SizeCount<'r>>,
    /// The agreements that would have been counted but whose member list
    /// is not published, so whose size is not known, by id.
    pub unpublished: Vec<AgreementRef<'r>>,
}

/// The agreements of one membership size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SizeCount<'r> {
    /// The number of members counted.
    pub size: usize,
    /// How many agreements have it.
    pub count: usize,
    /// Which, by id.
    pub agreements: Vec<AgreementRef<'r>>,
}

/// An agreement whose members on the day came from more than one sector
/// ([`AsOf::cross_sector`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CrossSector<'r> {
    /// The sectors of its members on the day, in file order
    /// ([`Sector::ALL`]).
    pub sectors: Vec<Sector>,
    /// The kinds of its members on the day, in file order
    /// ([`PartyKind::ALL`]).
    pub kinds: Vec<PartyKind>,
    /// Each member on the day with its kind and sector, by id.
    pub parties: Vec<PartySector<'r>>,
    /// The agreement.
    #[serde(flatten)]
    pub summary: AgreementSummary<'r>,
}

/// A member of a cross-sector agreement, with its kind and sector on the
/// day ([`CrossSector::parties`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PartySector<'r> {
    /// The member.
    pub party: PartyRef<'r>,
    /// What sort of organisation it was on the day.
    pub kind: PartyKind,
    /// The sector of that kind.
    pub sector: Sector,
}

/// An invitation to join that a party declined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeclinedInvitation<'r> {
    /// The agreement, with its title on the day.
    pub agreement: AgreementRef<'r>,
    /// The party that declined.
    pub party: PartyRef<'r>,
    /// When it declined, if known.
    pub on: Option<PartialDate>,
    /// The source's words, if recorded.
    pub note: Option<&'r str>,
    /// Whether the day it declined is known only to a month or year.
    pub approximate: bool,
}

/// A party that signs an agreement on the day ([`AsOf::signatories`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Signatory<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// What sort of organisation it was on the day.
    pub kind: Option<PartyKind>,
    /// The corporation sole that signs for it, on the day, if recorded.
    pub signs_as: Option<&'r str>,
    /// Whether it signs as a member of the agreement.
    pub member: bool,
    /// The members it oversaw on the day, and so signs for, in membership order.
    pub overseeing: Vec<PartyRef<'r>>,
}

/// What [`AsOf::cross_sector`] asks for: members from a sector, or of a
/// party kind.
///
/// Read from either file name; where a name is both a sector and a kind
/// (`"other"`, `"fire_and_rescue"`) it is read as the sector, which then
/// holds that kind alone.
///
/// ```
/// use collab_registry::ErrorKind;
/// use collab_registry::model::{PartyKind, Sector};
/// use collab_registry::questions::SectorOrKind;
/// assert_eq!("police".parse::<SectorOrKind>()?, SectorOrKind::Sector(Sector::Police));
/// assert_eq!("police_force".parse::<SectorOrKind>()?, SectorOrKind::Kind(PartyKind::PoliceForce));
/// assert_eq!("other".parse::<SectorOrKind>()?, SectorOrKind::Sector(Sector::Other));
/// let err = "policing".parse::<SectorOrKind>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidValue);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Not `#[non_exhaustive]`: a party is picked by its sector or its kind, and
/// both of those enums grow instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(untagged)]
pub enum SectorOrKind {
    /// Members from this sector ([`PartyKind::sector`]).
    Sector(Sector),
    /// Members of this kind.
    Kind(PartyKind),
}

impl SectorOrKind {
    /// Whether a party of `kind` is what it asks for.
    #[must_use]
    pub fn matches(&self, kind: PartyKind) -> bool {
        match self {
            SectorOrKind::Sector(s) => kind.sector() == *s,
            SectorOrKind::Kind(k) => kind == *k,
        }
    }
}

impl FromStr for SectorOrKind {
    type Err = Error;

    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] for a name that is neither a sector nor
    /// a party kind, listing both.
    fn from_str(text: &str) -> Result<Self, Error> {
        if let Ok(sector) = text.parse::<Sector>() {
            return Ok(SectorOrKind::Sector(sector));
        }
        if let Ok(kind) = text.parse::<PartyKind>() {
            return Ok(SectorOrKind::Kind(kind));
        }
        let sectors: Vec<&str> = Sector::ALL.iter().map(Sector::as_str).collect();
        let kinds: Vec<&str> = PartyKind::ALL.iter().map(PartyKind::as_str).collect();
        let shown: String = text.chars().take(60).collect();
        Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "unknown sector or party kind {shown:?}; the sectors are: {}; the party kinds are: {}",
                sectors.join(", "),
                kinds.join(", "),
            ),
        ))
    }
}

impl fmt::Display for SectorOrKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SectorOrKind::Sector(s) => f.write_str(s.as_str()),
            SectorOrKind::Kind(k) => f.write_str(k.as_str()),
        }
    }
}

impl From<Sector> for SectorOrKind {
    fn from(sector: Sector) -> Self {
        SectorOrKind::Sector(sector)
    }
}

impl From<PartyKind> for SectorOrKind {
    fn from(kind: PartyKind) -> Self {
        SectorOrKind::Kind(kind)
    }
}

/// Sorts agreement rows by id.
fn by_id<T>(rows: &mut [T], id: impl Fn(&T) -> &AgreementId) {
    rows.sort_unstable_by(|x, y| id(x).cmp(id(y)));
}

impl<'r> AsOf<'r> {
    /// The agreement with this id as answers name it, as of the day (the
    /// id alone, as its title, should the register not hold it).
    pub(crate) fn agreement_ref_of(&self, id: &'r AgreementId) -> AgreementRef<'r> {
        self.registry
            .agreement_key(id.as_str())
            .ok()
            .and_then(|k| self.view(k))
            .map_or(AgreementRef::new(id, id.as_str()), |v| {
                Self::agreement_ref(&v)
            })
    }

    /// The party with this id as of the day, if the register holds it.
    fn party_by_id(&self, id: &PartyId) -> Option<PartyView<'r>> {
        self.registry
            .party_key(id.as_str())
            .ok()
            .and_then(|k| self.party_view(k))
    }

    /// Every party the register knew of on the register day, with its key.
    fn known_parties(&self) -> impl Iterator<Item = (PartyKey, PartyView<'r>)> + 'r {
        let this = *self;
        (0..self.registry.parties().len())
            .map(|i| PartyKey(crate::store::key(i)))
            .filter_map(move |k| this.party_view(k).map(|v| (k, v)))
            .filter(|(_, v)| v.is_known())
    }

    /// Every agreement the register knew of on the register day, as of the day.
    fn known_agreements(&self) -> impl Iterator<Item = AgreementView<'r>> + 'r {
        let at = self.at;
        self.registry
            .agreements()
            .iter()
            .map(move |a| AgreementView::new(a, at))
            .filter(AgreementView::is_known)
    }

    /// The members of `view`'s agreement on the day as answers name them,
    /// by id, each once (one party with two memberships in force is one
    /// member).
    fn member_refs(&self, view: &AgreementView<'r>) -> Vec<PartyRef<'r>> {
        let mut members: Vec<PartyRef<'r>> = self
            .members_on(view)
            .iter()
            .map(|m| self.party_ref(m.party()))
            .collect();
        members.sort_unstable_by(|x, y| x.id.cmp(y.id));
        members.dedup_by(|x, y| x.id == y.id);
        members
    }

    /// The row for an agreement on the day.
    pub(crate) fn summary(&self, view: &AgreementView<'r>) -> AgreementSummary<'r> {
        let members = self.member_refs(view);
        let published = view.record().members_published();
        AgreementSummary {
            agreement: Self::agreement_ref(view),
            status: view.status(),
            legal_basis: view.legal_basis(),
            part_of: view.part_of().map(|p| self.agreement_ref_of(p)),
            functions: view.functions(),
            members_published: published,
            member_count: published.then_some(members.len()),
            members,
        }
    }

    /// Rows for the agreements at `keys` that count on the day, by id.
    fn summaries(&self, keys: impl IntoIterator<Item = AgreementKey>) -> Vec<AgreementSummary<'r>> {
        let mut rows: Vec<AgreementSummary<'r>> = keys
            .into_iter()
            .filter_map(|k| self.view(k))
            .filter(|v| self.counts(v))
            .map(|v| self.summary(&v))
            .collect();
        by_id(&mut rows, |r| r.agreement.id);
        rows
    }

    /// The row for member `m`, of dense key `key`.
    fn member_row(&self, m: &DayMember<'r>, key: Option<PartyKey>) -> Member<'r> {
        let party = match m {
            DayMember::Class { party, .. } => Some(*party),
            DayMember::Listed(_) => key.and_then(|k| self.party_view(k)),
        };
        Member {
            // One lookup of the party serves its name and its kind.
            party: party.map_or(PartyRef::new(m.party(), m.party().as_str()), |p| {
                PartyRef::new(m.party(), p.name())
            }),
            kind: party.map(|p| p.kind()),
            role: m.role(),
            by_class: m.by_class(),
            joined: m.joined(),
            notice_served: m.notice_served(),
            leaves: m.leaves(),
            approximate: m.is_approximate(),
        }
    }

    /// The agreements `party` takes part in on the day, with its role, by
    /// agreement id: those it is listed in, and those it is a member of by
    /// class, its kind and region read as of the day (a listed membership
    /// in force wins over a class). Ended agreements have no members, so
    /// they are not listed after their end.
    ///
    /// Read from the party's memberships and the agreements with a class of
    /// its kind: **O(d log d + k · c)** for a party with d memberships and k
    /// agreements with a class of its kind (of c classes each), whatever the
    /// size of the registry.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a party the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::Role;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let rows = registry.as_of(on).agreements_of("northamptonshire-police")?;
    /// let hosted: Vec<&str> = rows.iter().filter(|r| r.role == Role::Host).map(|r| r.agreement.id.as_str()).collect();
    /// assert_eq!(hosted, ["em-operational-support", "northamptonshire-enabling-services"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn agreements_of(&self, party: &str) -> Result<Vec<Participation<'r>>, Error> {
        let key = self.party_key(party)?;
        let mut mine = self.memberships_on(key);
        // By the id order the index keeps, without comparing ids; a party
        // with two memberships in one agreement has both rows, in the
        // order entered.
        let index = &self.registry.index;
        mine.sort_by_key(|(k, _, _)| index.id_rank(*k));
        let rows: Vec<Participation<'r>> = mine
            .into_iter()
            .map(|(k, view, m)| Participation {
                agreement: self.agreement_ref_at(k, &view),
                status: view.status(),
                part_of: view.part_of().map(|p| self.agreement_ref_of(p)),
                role: m.role(),
                by_class: m.by_class(),
                joined: m.joined(),
                notice_served: m.notice_served(),
                leaves: m.leaves(),
                approximate: m.is_approximate(),
            })
            .collect();
        Ok(rows)
    }

    /// The members of `agreement` on the day, leads and hosts first, then by
    /// id, with its status that day. The scope does not apply: the agreement
    /// is named, so it answers whatever its status, and says what it is. An
    /// agreement that has ended (terminated, or past its fixed end) has no
    /// members, and the answer says who ended it where the register knows.
    ///
    /// Members by class are the parties of the class's kind (and region)
    /// on the day, each marked `by_class`; a party listed and of a class is
    /// listed once, as listed. For an agreement whose member list is not
    /// published, the answer says so and holds the members it names, if
    /// any.
    ///
    /// **O(m log m + k log k)** for an agreement with m memberships and k
    /// parties of the kinds of its classes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an agreement the register did not know.
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
    ///
    /// Every East Midlands force by class, found on the day asked:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::{Agreement, AgreementId, ClassMembership, LegalBasis, PartyKind, Role, Spell};
    /// let mut registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// let forces = ClassMembership::new(PartyKind::PoliceForce, Role::Member, Spell::from_day(on))
    ///     .in_region("East Midlands");
    /// registry.add_agreement(
    ///     Agreement::builder(AgreementId::new("em-every-force")?, "Every East Midlands force", on)
    ///         .legal_basis(LegalBasis::Section22aPoliceAct1996)
    ///         .active_from(on)
    ///         .member_class(forces)
    ///         .build()?,
    /// )?;
    /// let members = registry.as_of(on).members_of("em-every-force")?;
    /// assert_eq!(members.members.len(), 5);
    /// assert!(members.members.iter().all(|m| m.by_class));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn members_of(&self, agreement: &str) -> Result<Members<'r>, Error> {
        let key = self.agreement_key(agreement)?;
        let view = self
            .view(key)
            .ok_or_else(|| Error::unknown_agreement(agreement))?;
        let on = self.members_on(&view);
        let index = &self.registry.index;
        let mut members: Vec<(Option<u32>, Member<'r>)> = on
            .iter()
            .zip(self.member_keys(key, &on))
            .map(|(m, k)| (k.map(|k| index.party_rank(k)), self.member_row(m, k)))
            .collect();
        // By role, then by party id, read from the id order the index keeps
        // (the same order as the ids'), comparing ids only for a party it
        // does not hold.
        members.sort_unstable_by(|(rx, x), (ry, y)| {
            let by_id = match (rx, ry) {
                (Some(a), Some(b)) => a.cmp(b),
                _ => x.party.id.cmp(y.party.id),
            };
            x.role
                .rank()
                .cmp(&y.role.rank())
                .then(by_id)
                .then(x.joined.cmp(&y.joined))
        });
        let members = members.into_iter().map(|(_, m)| m).collect();
        Ok(Members {
            agreement: Self::agreement_ref(&view),
            status: view.status(),
            in_force: view.in_force(),
            ended: view.has_ended(),
            ended_by: self.ended_by(&view),
            members_published: view.record().members_published(),
            members,
        })
    }

    /// Who signs `agreement` on the day: in law each member force's chief
    /// constable and its policing body sign separately, so these are the
    /// members in force and the parties overseeing them that day, each
    /// once, members first, in membership order, then the overseers in the
    /// order of the members they oversee. The scope does not apply. Members
    /// by class sign too, after the listed ones, in key order.
    ///
    /// **O(m · o log m)** for m members (listed and by class) of o
    /// overseers each.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an agreement the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2016, 4, 1).unwrap();
    /// let signatories = registry.as_of(on).signatories("bch-strategic-alliance")?;
    /// assert_eq!(signatories.len(), 6); // three chief constables, three commissioners
    /// assert_eq!(signatories[3].party.id.as_str(), "bedfordshire-pcc");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signatories(&self, agreement: &str) -> Result<Vec<Signatory<'r>>, Error> {
        let view = self.agreement(agreement)?;
        let mut rows: Vec<Signatory<'r>> = Vec::new();
        let mut place: BTreeMap<&'r PartyId, usize> = BTreeMap::new();
        let mut members: Vec<(&'r PartyId, Option<PartyView<'r>>)> = Vec::new();
        for m in self.members_on(&view) {
            let id = m.party();
            if place.contains_key(id) {
                continue;
            }
            let party = match m {
                DayMember::Class { party, .. } => Some(party),
                DayMember::Listed(_) => self.party_by_id(id),
            };
            place.insert(id, rows.len());
            members.push((id, party));
            rows.push(Signatory {
                party: self.party_ref(id),
                kind: party.map(|p| p.kind()),
                signs_as: party.and_then(|p| p.signs_as()),
                member: true,
                overseeing: Vec::new(),
            });
        }
        for (member, party) in members {
            let Some(party) = party else { continue };
            for by in party.overseers() {
                let at = if let Some(at) = place.get(by) {
                    *at
                } else {
                    let overseer = self.party_by_id(by);
                    place.insert(by, rows.len());
                    rows.push(Signatory {
                        party: self.party_ref(by),
                        kind: overseer.map(|p| p.kind()),
                        signs_as: overseer.and_then(|p| p.signs_as()),
                        member: false,
                        overseeing: Vec::new(),
                    });
                    rows.len().saturating_sub(1)
                };
                if let Some(row) = rows.get_mut(at) {
                    if row.overseeing.iter().all(|p| p.id != member) {
                        row.overseeing.push(self.party_ref(member));
                    }
                }
            }
        }
        Ok(rows)
    }

    /// The parties that lead or host agreements on the day, by party then
    /// agreement (a class of members may lead too): for one party when
    /// `party` is given, read from its memberships and the agreements with a
    /// class of its kind in **O(d log d + k · c)**; else for every agreement
    /// that counts. Roles change with the day asked and no index keeps them,
    /// so that is a pass over all agreements and their members, by class
    /// too: **O(A + M)**.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a party the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let leads = registry.as_of(on).leads_and_hosts(Some("nottinghamshire-police"))?;
    /// let led: Vec<&str> = leads.iter().map(|l| l.agreement.id.as_str()).collect();
    /// assert_eq!(led, ["em-major-crime", "em-public-order"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn leads_and_hosts(&self, party: Option<&str>) -> Result<Vec<Lead<'r>>, Error> {
        let lead = |view: &AgreementView<'r>, m: &DayMember<'r>| -> Option<Lead<'r>> {
            m.role().leads_or_hosts().then(|| Lead {
                party: self.party_ref(m.party()),
                role: m.role(),
                agreement: Self::agreement_ref(view),
            })
        };
        let mut rows: Vec<Lead<'r>> = if let Some(id) = party {
            let key = self.party_key(id)?;
            self.memberships_on(key)
                .into_iter()
                .filter_map(|(_, view, m)| lead(&view, &m))
                .collect()
        } else {
            let mut rows = Vec::new();
            for view in self.known_agreements().filter(|v| self.counts(v)) {
                rows.extend(self.members_on(&view).iter().filter_map(|m| lead(&view, m)));
            }
            rows
        };
        rows.sort_unstable_by(|x, y| {
            (x.party.id, x.agreement.id).cmp(&(y.party.id, y.agreement.id))
        });
        rows.dedup_by(|x, y| (x.party.id, x.agreement.id) == (y.party.id, y.agreement.id));
        Ok(rows)
    }

    /// Every party that shares an agreement with `party` on the day, with
    /// how many and which; most shared first, then by id. Members by class
    /// are partners, and a party that is a member by class has the members
    /// of those agreements as partners; ended agreements have none.
    ///
    /// Read from the party's memberships (listed and by class) and then each
    /// of its agreements' members: **O(d log d + Σ m + p log p)** over the
    /// party's agreements, for p partners.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a party the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let partners = registry.as_of(on).partners_of("northamptonshire-police")?;
    /// assert_eq!(partners[0].party.id.as_str(), "leicestershire-police");
    /// assert_eq!(partners[0].shared, 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn partners_of(&self, party: &str) -> Result<Vec<Partner<'r>>, Error> {
        let key = self.party_key(party)?;
        let mut mine = self.memberships_on(key);
        // Two memberships of the party in one agreement read it once.
        mine.sort_by_key(|(k, _, _)| *k);
        mine.dedup_by_key(|(k, _, _)| *k);
        // By agreement id, so each partner's agreements come out in id order.
        let index = &self.registry.index;
        mine.sort_unstable_by_key(|(k, _, _)| index.id_rank(*k));
        // Each partner found, by dense key, with the place in `mine` of the
        // agreement it shares: one flat list sorted once, not a map of lists.
        let mut pairs: Vec<(PartyKey, usize)> = Vec::new();
        for (place, (k, view, _)) in mine.iter().enumerate() {
            let mut add = |partner: PartyKey| {
                if partner != key {
                    pairs.push((partner, place));
                }
            };
            if view.record().classes().is_empty() {
                // Listed members only: their keys read beside them, with
                // nothing allocated per agreement.
                let keys = index.member_keys(*k);
                for (at, _) in view.members_placed() {
                    keys.get(at)
                        .copied()
                        .flatten()
                        .into_iter()
                        .for_each(&mut add);
                }
            } else {
                let members = self.members_on(view);
                self.member_keys(*k, &members)
                    .into_iter()
                    .flatten()
                    .for_each(&mut add);
            }
        }
        pairs.sort_unstable();
        // Two memberships of one party in one agreement count it once.
        pairs.dedup();
        let mut rows: Vec<(u32, Partner<'r>)> = Vec::new();
        for group in pairs.chunk_by(|x, y| x.0 == y.0) {
            let Some(&(partner, _)) = group.first() else {
                continue;
            };
            let Some(view) = self.party_view(partner) else {
                continue;
            };
            let agreements: Vec<AgreementRef<'r>> = group
                .iter()
                .filter_map(|(_, place)| mine.get(*place))
                .map(|(k, v, _)| self.agreement_ref_at(*k, v))
                .collect();
            rows.push((
                index.party_rank(partner),
                Partner {
                    party: PartyRef::new(view.id(), view.name()),
                    kind: Some(view.kind()),
                    shared: agreements.len(),
                    agreements,
                },
            ));
        }
        // Most shared first, then by party id, by the id order the index keeps.
        rows.sort_unstable_by_key(|(rank, p)| (std::cmp::Reverse(p.shared), *rank));
        Ok(rows.into_iter().map(|(_, p)| p).collect())
    }

    /// The agreements in which every one of `parties` is a member on the
    /// day, by id.
    ///
    /// Each party's agreements, listed and by class, are read from its
    /// memberships and the agreements with a class of its kind, and
    /// intersected: **O(Σ (d + k) log d)** over the parties named.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a party the register did not know;
    /// [`ErrorKind::NothingToAsk`] when no party is named.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let shared = registry.as_of(on).shared_by(&["northamptonshire-police", "northamptonshire-fire"])?;
    /// let ids: Vec<&str> = shared.iter().map(|s| s.agreement.id.as_str()).collect();
    /// assert_eq!(ids, ["northamptonshire-enabling-services", "northamptonshire-police-fire-response"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shared_by(&self, parties: &[&str]) -> Result<Vec<AgreementSummary<'r>>, Error> {
        let keys = parties
            .iter()
            .map(|p| self.party_key(p))
            .collect::<Result<Vec<PartyKey>, Error>>()?;
        let mut common: Option<BTreeSet<AgreementKey>> = None;
        for key in keys {
            let mine: BTreeSet<AgreementKey> = self
                .memberships_on(key)
                .into_iter()
                .map(|(k, _, _)| k)
                .collect();
            common = Some(match common {
                None => mine,
                Some(before) => before.intersection(&mine).copied().collect(),
            });
        }
        let common = common.ok_or_else(|| {
            Error::refused(
                ErrorKind::NothingToAsk,
                "find shared agreements",
                "no parties",
                self.date(),
                "name at least one party",
            )
        })?;
        Ok(self.summaries(common))
    }

    /// The agreements that count on the day with exactly `n` members that
    /// day (listed and by class), by id. An agreement whose member list is
    /// not published has no known size and is never listed. Membership
    /// counts change with the day asked, so this is a pass over all
    /// agreements: **O(A + M)**, M counting members by class.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let fours = registry.as_of(on).with_exactly(4);
    /// assert_eq!(fours[0].agreement.id.as_str(), "em-operational-support");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_exactly(&self, n: usize) -> Vec<AgreementSummary<'r>> {
        self.with_members(|count| count == n)
    }

    /// The agreements that count on the day with at least `n` members that
    /// day (listed and by class), by id; those whose member list is not
    /// published are never listed. A pass over all agreements,
    /// **O(A + M)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let all_five = registry.as_of(on).with_at_least(5);
    /// let ids: Vec<&str> = all_five.iter().map(|s| s.agreement.id.as_str()).collect();
    /// assert_eq!(ids, ["em-collaboration-programme", "em-major-crime"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_at_least(&self, n: usize) -> Vec<AgreementSummary<'r>> {
        self.with_members(|count| count >= n)
    }

    fn with_members(&self, keep: impl Fn(usize) -> bool) -> Vec<AgreementSummary<'r>> {
        let mut rows: Vec<AgreementSummary<'r>> = self
            .known_agreements()
            .filter(|v| self.counts(v))
            .map(|v| self.summary(&v))
            .filter(|s| s.member_count.is_some_and(&keep))
            .collect();
        by_id(&mut rows, |r| r.agreement.id);
        rows
    }

    /// How many of a region's parties (of one `kind`, or of any) take part
    /// in each agreement on the day, tallied by that number: with
    /// [`PartyKind::PoliceForce`], the East Midlands "mix of two, three,
    /// four or five forces". An agreement counts when at least one such
    /// party of the region is a member; its size is the number of members
    /// from the region, so a national agreement that all five forces belong
    /// to (listed, or by class) counts as five. Regions and kinds are read
    /// as of the day. An agreement whose member list is not published has
    /// no known size: it is named under `unpublished`, not counted.
    ///
    /// No index keeps parties by region (a region can be amended), so this
    /// is a pass over the parties, then their memberships, listed and by
    /// class: **O(P + Σ (d + k))** over the region's parties.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NothingToAsk`] when no party was in the region on the
    /// day, listing the regions there were.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::PartyKind;
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
        for (key, party) in self.known_parties() {
            if party.region() != Some(region) {
                continue;
            }
            found = true;
            if kind.is_some_and(|kind| party.kind() != kind) {
                continue;
            }
            let mut mine: Vec<AgreementKey> = self
                .memberships_on(key)
                .into_iter()
                .map(|(k, _, _)| k)
                .collect();
            // Two memberships of one party in one agreement count it once.
            mine.sort_unstable();
            mine.dedup();
            for a in mine {
                let n = counts.entry(a).or_default();
                *n = n.saturating_add(1);
            }
        }
        if !found {
            let regions: BTreeSet<&str> = self
                .known_parties()
                .filter_map(|(_, p)| p.region())
                .collect();
            return Err(Error::refused(
                ErrorKind::NothingToAsk,
                "count membership sizes",
                &format!("region {region:?}"),
                self.date(),
                format!(
                    "no party is in that region; the regions are: {}",
                    regions.into_iter().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let within = match kind {
            Some(kind) => format!("region {region}, {kind}"),
            None => format!("region {region}"),
        };
        Ok(self.distribution(within, counts))
    }

    /// How many members each agreement under `umbrella` (to any depth, not
    /// the umbrella itself) that counts on the day has that day (listed and
    /// by class, each party once), tallied by that number. Those whose
    /// member list is not published are named under `unpublished`, not
    /// counted.
    ///
    /// Walks the parts index: **O(n log n + c + Σ m)** for n descendants, c
    /// agreements changed after the day and m members of each.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an agreement the register did not know.
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
        let root = self.agreement_key(umbrella)?;
        let counts: BTreeMap<AgreementKey, usize> = self
            .descendants(root)
            .into_iter()
            .filter(|(_, _, _, v)| self.counts(v))
            .map(|(_, _, k, v)| (k, self.member_refs(&v).len()))
            .collect();
        Ok(self.distribution(format!("under {umbrella}"), counts))
    }

    fn distribution(
        &self,
        within: String,
        counts: BTreeMap<AgreementKey, usize>,
    ) -> SizeDistribution<'r> {
        let mut by_size: BTreeMap<usize, Vec<AgreementRef<'r>>> = BTreeMap::new();
        let mut unpublished: Vec<AgreementRef<'r>> = Vec::new();
        for (key, size) in counts {
            let Some(view) = self.view(key) else { continue };
            if view.record().members_published() {
                by_size
                    .entry(size)
                    .or_default()
                    .push(Self::agreement_ref(&view));
            } else {
                unpublished.push(Self::agreement_ref(&view));
            }
        }
        by_id(&mut unpublished, |a| a.id);
        SizeDistribution {
            within,
            unpublished,
            sizes: by_size
                .into_iter()
                .map(|(size, mut agreements)| {
                    by_id(&mut agreements, |a| a.id);
                    SizeCount {
                        size,
                        count: agreements.len(),
                        agreements,
                    }
                })
                .collect(),
        }
    }

    /// The agreements that count on the day and covered `function` that
    /// day, by id.
    ///
    /// Read from the function index, with the agreements changed after the
    /// day read through their views (so an amendment after the day asked is
    /// read back): **O(k log k + c)** for k agreements listed and c changed
    /// since.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::Function;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let armed = registry.as_of(on).by_function(Function::ArmedPolicing);
    /// let ids: Vec<&str> = armed.iter().map(|s| s.agreement.id.as_str()).collect();
    /// assert_eq!(ids, ["bch-operational-support", "bch-strategic-alliance", "em-collaboration-programme", "em-operational-support"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn by_function(&self, function: Function) -> Vec<AgreementSummary<'r>> {
        let listed = self
            .registry
            .index
            .by_function
            .get(function as usize)
            .map_or(&[][..], Vec::as_slice);
        self.summaries(self.indexed(listed, |v| v.functions().contains(function)))
    }

    /// The agreements that count on the day and were made under `basis`
    /// that day, by id.
    ///
    /// Read from the legal-basis index, as [`AsOf::by_function`]:
    /// **O(k log k + c)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::LegalBasis;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let duty = registry.as_of(on).by_legal_basis(LegalBasis::PolicingAndCrimeAct2017);
    /// assert_eq!(duty.len(), 2); // Northamptonshire police and fire
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn by_legal_basis(&self, basis: LegalBasis) -> Vec<AgreementSummary<'r>> {
        let listed = self
            .registry
            .index
            .by_basis
            .get(basis as usize)
            .map_or(&[][..], Vec::as_slice);
        self.summaries(self.indexed(listed, |v| v.legal_basis().contains(basis)))
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
    /// use collab_registry::model::Status;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let proposed = registry.as_of(on).by_status(Status::Proposed);
    /// let ids: Vec<&str> = proposed.iter().map(|s| s.agreement.id.as_str()).collect();
    /// assert_eq!(ids, ["bch-people-services", "bch-support-services", "nln-contact-management"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn by_status(&self, status: Status) -> Vec<AgreementSummary<'r>> {
        let mut rows: Vec<AgreementSummary<'r>> = self
            .known_agreements()
            .filter(|v| v.status() == Some(status))
            .map(|v| self.summary(&v))
            .collect();
        by_id(&mut rows, |r| r.agreement.id);
        rows
    }

    /// Every agreement under `umbrella`, to any depth, that counts on the
    /// day: depth first, each level by id, so it reads as a tree. Each sits
    /// under the umbrella it had on the day, whatever an amendment since
    /// says. Parts of parts that do not count are still walked through.
    ///
    /// Walks the parts index, reading the agreements changed after the day
    /// through their views: **O(n log n + c)** for n descendants and c
    /// agreements changed since.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an agreement the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::Scope;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let parts = registry.as_of(on).scope(Scope::AnyStatus).under("bch-strategic-alliance")?;
    /// let ids: Vec<&str> = parts.iter().map(|p| p.summary.agreement.id.as_str()).collect();
    /// assert_eq!(ids, ["bch-operational-support", "bch-people-services", "bch-support-services"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn under(&self, umbrella: &str) -> Result<Vec<UmbrellaEntry<'r>>, Error> {
        let root = self.agreement_key(umbrella)?;
        Ok(self
            .descendants(root)
            .into_iter()
            .filter(|(_, _, _, v)| self.counts(v))
            .map(|(depth, parent, _, v)| UmbrellaEntry {
                depth,
                parent,
                summary: self.summary(&v),
            })
            .collect())
    }

    /// Every agreement under `root` on the day with its depth and parent,
    /// in pre-order, children by id. The parts index holds the umbrellas
    /// as they now stand, so an agreement changed after the day is filed
    /// under the umbrella its view gives for the day instead. "Part of"
    /// links are checked acyclic on every change; the seen set guards
    /// against a cycle anyway.
    fn descendants(
        &self,
        root: AgreementKey,
    ) -> Vec<(usize, AgreementRef<'r>, AgreementKey, AgreementView<'r>)> {
        let index = &self.registry.index;
        let mut moved: HashMap<AgreementKey, Vec<AgreementKey>> = HashMap::new();
        for k in index.unsettled(self.at) {
            let parent = self
                .view(k)
                .and_then(|v| v.part_of())
                .and_then(|p| self.registry.agreement_key(p.as_str()).ok());
            if let Some(parent) = parent {
                moved.entry(parent).or_default().push(k);
            }
        }
        let children = |parent: AgreementKey| -> Vec<(AgreementKey, AgreementView<'r>)> {
            let listed = index
                .parts
                .get(parent.index())
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .copied()
                .filter(|k| index.settled(*k, self.at).is_some());
            let mut kids: Vec<(AgreementKey, AgreementView<'r>)> = listed
                .chain(moved.get(&parent).into_iter().flatten().copied())
                .filter_map(|k| self.view(k).filter(AgreementView::is_known).map(|v| (k, v)))
                .collect();
            // Reverse id order, so popping the stack visits them by id.
            kids.sort_unstable_by(|x, y| y.1.id().cmp(x.1.id()));
            kids
        };
        let mut out = Vec::new();
        let mut seen: BTreeSet<AgreementKey> = BTreeSet::from([root]);
        let mut stack: Vec<(usize, AgreementKey, AgreementKey, AgreementView<'r>)> = children(root)
            .into_iter()
            .map(|(k, v)| (1, root, k, v))
            .collect();
        while let Some((depth, parent, key, view)) = stack.pop() {
            let Some(parent_view) = self.view(parent) else {
                continue;
            };
            if !seen.insert(key) {
                continue;
            }
            let parent_ref = Self::agreement_ref(&parent_view);
            stack.extend(
                children(key)
                    .into_iter()
                    .map(|(k, v)| (depth.saturating_add(1), key, k, v)),
            );
            out.push((depth, parent_ref, key, view));
        }
        out
    }

    /// Agreements that count on the day whose members that day come from
    /// more than one sector ([`PartyKind::sector`]), by id, each naming the
    /// kind and sector of every member. When selectors are named, only those
    /// with members covering every one of them: a sector (`[Sector::Police,
    /// Sector::FireAndRescue]` for police with fire) or a party kind. Police
    /// forces and policing bodies are different sectors, so a force working
    /// with a commissioner is cross sector. Members by class count as listed
    /// ones do, so a national agreement of every force and every
    /// commissioner is cross sector. Kinds are read as of the day; a
    /// selector no party is in finds nothing.
    ///
    /// With selectors named, the parties of each selector's kinds are read
    /// from the kind index and counted on the day, and the rarest
    /// selector's memberships (listed and by class) give the candidates,
    /// whose members are then read: **O(Σ k + Σ d + Σ m)** for k parties
    /// that have held the kinds named; with none, a pass over all
    /// agreements, **O(A + M)**.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::Sector;
    /// use collab_registry::questions::SectorOrKind;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let wanted: Vec<SectorOrKind> = vec!["police".parse()?, "fire_and_rescue".parse()?];
    /// let police_and_fire = registry.as_of(on).cross_sector(&wanted);
    /// assert_eq!(police_and_fire.len(), 2);
    /// assert_eq!(police_and_fire[0].sectors, [Sector::Police, Sector::FireAndRescue]);
    /// assert_eq!(police_and_fire[0].parties[0].sector, Sector::FireAndRescue); // Northamptonshire fire
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn cross_sector(&self, wanted: &[SectorOrKind]) -> Vec<CrossSector<'r>> {
        let candidates: Vec<AgreementView<'r>> = if wanted.is_empty() {
            self.known_agreements().filter(|v| self.counts(v)).collect()
        } else {
            let index = &self.registry.index;
            // The parties each selector finds on the day, from the kind index.
            let of = |w: &SectorOrKind| -> Vec<PartyKey> {
                let mut keys: Vec<PartyKey> = PartyKind::ALL
                    .iter()
                    .filter(|k| w.matches(**k))
                    .flat_map(|k| index.parties_of_kind(*k).iter().copied())
                    .filter(|key| {
                        self.party_view(*key)
                            .is_some_and(|p| p.is_known() && w.matches(p.kind()))
                    })
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                keys
            };
            let Some(rarest) = wanted.iter().map(of).min_by_key(Vec::len) else {
                return Vec::new();
            };
            let mut keys: BTreeSet<AgreementKey> = BTreeSet::new();
            for key in rarest {
                keys.extend(self.memberships_on(key).into_iter().map(|(k, _, _)| k));
            }
            keys.into_iter().filter_map(|k| self.view(k)).collect()
        };
        let mut rows: Vec<CrossSector<'r>> = Vec::new();
        for view in candidates {
            let mut parties: Vec<PartySector<'r>> = self
                .members_on(&view)
                .iter()
                .filter_map(|m| {
                    let party = match m {
                        DayMember::Class { party, .. } => Some(*party),
                        DayMember::Listed(_) => self.party_by_id(m.party()),
                    }?;
                    Some(PartySector {
                        party: self.party_ref(m.party()),
                        kind: party.kind(),
                        sector: party.kind().sector(),
                    })
                })
                .collect();
            parties.sort_unstable_by(|x, y| x.party.id.cmp(y.party.id));
            parties.dedup_by(|x, y| x.party.id == y.party.id);
            let kinds: BTreeSet<PartyKind> = parties.iter().map(|p| p.kind).collect();
            let sectors: BTreeSet<Sector> = kinds.iter().map(PartyKind::sector).collect();
            let covers = wanted.iter().all(|w| kinds.iter().any(|k| w.matches(*k)));
            if sectors.len() >= 2 && covers {
                rows.push(CrossSector {
                    sectors: sectors.into_iter().collect(),
                    kinds: kinds.into_iter().collect(),
                    parties,
                    summary: self.summary(&view),
                });
            }
        }
        by_id(&mut rows, |r| r.summary.agreement.id);
        rows
    }

    /// Invitations declined by the day, by agreement then party: by one
    /// party when `party` is given (read from its declines, **O(d)**), else
    /// every one (read from the index of agreements recording a decline,
    /// **O(k)**).
    ///
    /// A decline shows from the day it was made, or from the agreement's
    /// start when that day is not known. The scope does not apply: an
    /// invitation to a proposed agreement can be declined too.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a party the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// let declined = registry.as_of(on).declined(None)?;
    /// let who: Vec<&str> = declined.iter().map(|d| d.party.id.as_str()).collect();
    /// assert_eq!(who, ["derbyshire-police", "lincolnshire-police"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn declined(&self, party: Option<&str>) -> Result<Vec<DeclinedInvitation<'r>>, Error> {
        let index = &self.registry.index;
        let (agreements, only): (&[AgreementKey], Option<&'r PartyId>) = match party {
            Some(id) => {
                let key = self.party_key(id)?;
                (
                    index
                        .declined
                        .get(key.index())
                        .map_or(&[][..], Vec::as_slice),
                    self.party_view(key).map(|p| p.id()),
                )
            }
            None => (index.with_declined.as_slice(), None),
        };
        let mut rows: Vec<DeclinedInvitation<'r>> = Vec::new();
        for view in agreements.iter().filter_map(|k| self.view(*k)) {
            if !view.is_known() {
                continue;
            }
            for d in view.declined() {
                if only.is_some_and(|p| d.party != *p) {
                    continue;
                }
                rows.push(DeclinedInvitation {
                    agreement: Self::agreement_ref(&view),
                    party: self.party_ref(&d.party),
                    on: d.on,
                    note: d.note.as_deref(),
                    approximate: d.on.is_some_and(|on| !on.is_exact()),
                });
            }
        }
        rows.sort_by(|x, y| {
            (x.agreement.id, x.party.id, x.on).cmp(&(y.agreement.id, y.party.id, y.on))
        });
        Ok(rows)
    }
}
