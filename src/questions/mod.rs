//! The questions: every one asked as of a day ([`Registry::as_of`]), and,
//! when asked, as the register stood on a register day
//! ([`AsOf::as_recorded_on`]). Each reads the records through the temporal
//! views of [`time`](crate::time), never their current fields, and each
//! answer is a small serialisable struct that names parties, agreements and
//! bodies the same way ([`PartyRef`], [`AgreementRef`], [`BodyRef`]).

pub mod answer;
mod assets;
mod calendar;
mod decision;
mod governance;
mod history;
mod membership;
mod network;
mod notice;
mod succession;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::model::{ClassMembership, PartialDate, PartyId, Role};
use crate::store::index::Filed;
use crate::store::{AgreementKey, BodyKey, PartyKey, Registry};
use crate::time::{AgreementView, At, BodyView, MemberView, PartyView, spell_holds};

pub use answer::{AgreementRef, BodyRef, PartyRef};
pub use assets::{AssetHeld, AssetHolding, AssetOwner};
pub use calendar::{Expiry, ReviewDue};
pub use decision::{Ballot, Decision, TallyUnit, Vote, Weighing};
pub use governance::{BodyReviews, ChainLink, GoverningBody, SeatHeld};
pub use history::{EndedBy, Event, HistoryEntry};
pub use membership::{
    AgreementSummary, CrossSector, DeclinedInvitation, Lead, Member, Members, Participation,
    Partner, PartySector, SectorOrKind, Signatory, SizeCount, SizeDistribution, UmbrellaEntry,
};
pub use network::{Betweenness, CutParty, Degree, Group, Network, NetworkLink};
pub use notice::{ExitTerms, NoticeDeadline, OutBy};

/// A member of an agreement on a day: a listed membership in force, or a
/// party of one of its classes of members ([`ClassMembership`]) found on the
/// day. Every question that lists members reads them through
/// [`AsOf::members_on`] or [`AsOf::memberships_on`], so class members count
/// wherever listed ones do.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DayMember<'r> {
    /// A listed membership in force on the day.
    Listed(MemberView<'r>),
    /// A party of a class, its kind and region on the day the class's.
    Class {
        key: PartyKey,
        party: PartyView<'r>,
        class: &'r ClassMembership,
        /// When the class became a member: its spell's start, or the
        /// agreement's start when the spell gives none.
        joined: PartialDate,
    },
}

impl<'r> DayMember<'r> {
    /// The member.
    pub(crate) fn party(&self) -> &'r PartyId {
        match self {
            DayMember::Listed(m) => m.party(),
            DayMember::Class { party, .. } => party.id(),
        }
    }

    /// Its role on the day.
    pub(crate) fn role(&self) -> Role {
        match self {
            DayMember::Listed(m) => m.role(),
            DayMember::Class { class, .. } => class.role,
        }
    }

    /// Whether it is a member by class.
    pub(crate) fn by_class(&self) -> bool {
        matches!(self, DayMember::Class { .. })
    }

    /// When it joined (for a class member, when its class did).
    pub(crate) fn joined(&self) -> PartialDate {
        match self {
            DayMember::Listed(m) => m.joined(),
            DayMember::Class { joined, .. } => *joined,
        }
    }

    /// When it served notice, as known; a class member serves none.
    pub(crate) fn notice_served(&self) -> Option<chrono::NaiveDate> {
        match self {
            DayMember::Listed(m) => m.notice_served(),
            DayMember::Class { .. } => None,
        }
    }

    /// The day it is out, as known (for a class member, its class's end).
    pub(crate) fn leaves(&self) -> Option<PartialDate> {
        match self {
            DayMember::Listed(m) => m.leaves(),
            DayMember::Class { party, class, .. } => class
                .spell
                .until
                .filter(|_| {
                    class
                        .spell
                        .end_entered()
                        .is_none_or(|e| party.at().knows(e))
                })
                .map(PartialDate::day),
        }
    }

    /// Whether a date it depends on is known only to a month or a year.
    pub(crate) fn is_approximate(&self) -> bool {
        match self {
            DayMember::Listed(m) => m.is_approximate(),
            DayMember::Class { joined, .. } => !joined.is_exact(),
        }
    }
}

/// Which agreements count in an answer: in force on the day (the default),
/// or whatever their status; see [`AsOf`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Scope {
    /// Agreements active or under review on the day, within their period.
    #[default]
    InForce,
    /// Every agreement with a status recorded by the day, whatever it is.
    AnyStatus,
}

/// The registry as of one day, under one [`Scope`], optionally as the
/// register stood on a register day: every question hangs off this. It is a
/// reference, a scope and two dates, cheap to copy.
///
/// - [`Scope::InForce`] (the default) counts an agreement on a day when the
///   register knew of it, its status that day is active or under review, and
///   the day falls in its `[start, end)` period;
/// - [`Scope::AnyStatus`] counts every agreement with a status by the day,
///   whatever it is, and each answer carries the status of the day.
///
/// Memberships count only when in force on the day, so a question about a
/// past date answers with the members, terms and statuses of that date.
/// Members by class count too: every party of the class's kind (and region)
/// that day, so a national agreement of every force is answered without
/// listing each; and an agreement ends with no members at all. The
/// scope filters the agreements an answer *lists*; a question about one
/// named agreement answers whatever its status, and says what it is.
///
/// ## As the register stood
///
/// Each fact has the day it takes effect and the day it was entered.
/// [`AsOf::as_recorded_on`] asks as the register stood on a register day:
/// facts entered after it are not known, records entered after it do not
/// exist, and amendments entered after it are read back. The answer then
/// equals the answer of a registry rebuilt from only the facts entered by
/// that day (a property test replays random histories to check it).
#[derive(Debug, Clone, Copy)]
pub struct AsOf<'r> {
    registry: &'r Registry,
    at: At,
    scope: Scope,
}

impl Registry {
    /// The registry as of `day`, counting agreements in force that day.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
    /// let ops = on.agreement("em-operational-support")?;
    /// assert_eq!(ops.members().count(), 4); // Derbyshire left in 2016
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn as_of(&self, day: NaiveDate) -> AsOf<'_> {
        AsOf {
            registry: self,
            at: At::on(day),
            scope: Scope::InForce,
        }
    }

    /// The registry as of `at`: a day and, optionally, a register day.
    #[must_use]
    pub fn at(&self, at: At) -> AsOf<'_> {
        AsOf {
            registry: self,
            at,
            scope: Scope::InForce,
        }
    }
}

impl<'r> AsOf<'r> {
    /// The same day under another [`Scope`].
    #[must_use]
    pub fn scope(self, scope: Scope) -> Self {
        AsOf { scope, ..self }
    }

    /// The same day, as the register stood on `register_day`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::time::When;
    /// let mut registry = collab_registry::sample()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Derbyshire's withdrawal from 1 April 2022 was entered on 10 June.
    /// registry.leave("em-major-crime", "derbyshire-police", When::on(d(2022, 4, 1)).entered(d(2022, 6, 10)))?;
    /// let may = registry.as_of(d(2022, 5, 1));
    /// assert_eq!(may.agreement("em-major-crime")?.members().count(), 4);
    /// assert_eq!(may.as_recorded_on(d(2022, 5, 31)).agreement("em-major-crime")?.members().count(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn as_recorded_on(self, register_day: NaiveDate) -> Self {
        AsOf {
            at: self.at.as_recorded_on(register_day),
            ..self
        }
    }

    /// The day asked about.
    #[must_use]
    pub fn date(&self) -> NaiveDate {
        self.at.day()
    }

    /// The day and register day asked as of.
    #[must_use]
    pub fn at(&self) -> At {
        self.at
    }

    /// The scope of agreements that count.
    #[must_use]
    pub fn current_scope(&self) -> Scope {
        self.scope
    }

    /// The registry asked.
    #[must_use]
    pub fn registry(&self) -> &'r Registry {
        self.registry
    }

    /// The agreement as of the day.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an id no
    /// agreement has, or had on the register day.
    pub fn agreement(&self, id: &str) -> Result<AgreementView<'r>, Error> {
        let key = self.agreement_key(id)?;
        self.view(key).ok_or_else(|| Error::unknown_agreement(id))
    }

    /// The party as of the day.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an id no
    /// party has, or had on the register day.
    pub fn party(&self, id: &str) -> Result<PartyView<'r>, Error> {
        let key = self.party_key(id)?;
        self.party_view(key).ok_or_else(|| Error::unknown_party(id))
    }

    /// The governance body as of the day.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an id no
    /// body has, or had on the register day.
    pub fn body(&self, id: &str) -> Result<BodyView<'r>, Error> {
        let key = self.body_key(id)?;
        self.body_view(key).ok_or_else(|| Error::unknown_body(id))
    }

    /// The key of an agreement the register knew of.
    pub(crate) fn agreement_key(&self, id: &str) -> Result<AgreementKey, Error> {
        let key = self.registry.agreement_key(id)?;
        match self.view(key) {
            Some(v) if v.is_known() => Ok(key),
            _ => Err(Error::unknown_agreement(id)),
        }
    }

    /// The key of a party the register knew of.
    pub(crate) fn party_key(&self, id: &str) -> Result<PartyKey, Error> {
        let key = self.registry.party_key(id)?;
        match self.party_view(key) {
            Some(v) if v.is_known() => Ok(key),
            _ => Err(Error::unknown_party(id)),
        }
    }

    /// The key of a body the register knew of.
    pub(crate) fn body_key(&self, id: &str) -> Result<BodyKey, Error> {
        let key = self.registry.body_key(id)?;
        match self.body_view(key) {
            Some(v) if v.is_known() => Ok(key),
            _ => Err(Error::unknown_body(id)),
        }
    }

    /// The agreement at `key`, as of the day: read from its current values
    /// at no cost when it has settled by then (the index says so), else
    /// through its history.
    pub(crate) fn view(&self, key: AgreementKey) -> Option<AgreementView<'r>> {
        let record = self.registry.agreement_at(key)?;
        Some(match self.registry.index.settled(key, self.at) {
            Some(filed) => AgreementView::settled(record, self.at, filed.status),
            None => AgreementView::new(record, self.at),
        })
    }

    /// The party at `key`, as of the day.
    pub(crate) fn party_view(&self, key: PartyKey) -> Option<PartyView<'r>> {
        self.registry
            .party_at(key)
            .map(|p| PartyView::new(p, self.at))
    }

    /// The body at `key`, as of the day.
    pub(crate) fn body_view(&self, key: BodyKey) -> Option<BodyView<'r>> {
        self.registry
            .body_at(key)
            .map(|b| BodyView::new(b, self.at))
    }

    /// The party with this id as answers name it, as of the day (the id
    /// alone, as its name, should the register not hold it).
    pub(crate) fn party_ref(&self, id: &'r crate::model::PartyId) -> PartyRef<'r> {
        let name = self
            .registry
            .party_key(id.as_str())
            .ok()
            .and_then(|k| self.party_view(k))
            .map_or(id.as_str(), |p| p.name());
        PartyRef::new(id, name)
    }

    /// The agreement as answers name it, as of the day.
    pub(crate) fn agreement_ref(view: &AgreementView<'r>) -> AgreementRef<'r> {
        AgreementRef::new(view.id(), view.title())
    }

    /// [`AsOf::agreement_ref`] for the agreement at `key`: with every
    /// amendment in effect, its title is the one the index keeps, so its
    /// record is not read for it.
    pub(crate) fn agreement_ref_at(
        &self,
        key: AgreementKey,
        view: &AgreementView<'r>,
    ) -> AgreementRef<'r> {
        if view.is_current() {
            AgreementRef::new(view.id(), self.registry.index.title(key))
        } else {
            Self::agreement_ref(view)
        }
    }

    /// Whether `agreement` counts on the day under the scope.
    #[must_use]
    pub fn counts(&self, agreement: &AgreementView<'_>) -> bool {
        match self.scope {
            Scope::InForce => agreement.in_force(),
            Scope::AnyStatus => agreement.is_known() && agreement.status().is_some(),
        }
    }

    /// [`AsOf::counts`] for an agreement settled by the day, read from
    /// what the index files beside it rather than from its record.
    pub(crate) fn counts_settled(&self, filed: &Filed) -> bool {
        match self.scope {
            Scope::InForce => filed.in_force(self.at),
            Scope::AnyStatus => self.at.knows(filed.entered) && filed.status.is_some(),
        }
    }

    /// The memberships of `party` in force on the day, in agreements that
    /// count, read from the party's index entries; in the order added.
    pub(crate) fn memberships(
        &self,
        party: PartyKey,
    ) -> impl Iterator<Item = (AgreementKey, AgreementView<'r>, MemberView<'r>)> + 'r {
        let this = *self;
        let index = &self.registry.index;
        self.registry
            .memberships_of(party)
            .filter_map(move |(k, m)| {
                // Settled by the day, whether it counts is read from the
                // index, so an agreement that does not is never opened.
                let view = this.view(k)?;
                let counts = match index.settled(k, this.at) {
                    Some(f) => this.counts_settled(f) && !f.has_ended(this.at),
                    None => this.counts(&view) && !view.has_ended(),
                };
                (counts && view.counts_member(m)).then(|| (k, view, view.member_view(m)))
            })
    }

    /// Whether `class` of `view`'s agreement is a member on the day: its
    /// spell holds, as known, and the agreement has started and not ended.
    fn class_holds(view: &AgreementView<'r>, class: &ClassMembership) -> bool {
        let at = view.at();
        spell_holds(&class.spell, at) && view.start().first_day() <= at.day() && !view.has_ended()
    }

    /// The class member `party` is of `view`'s agreement on the day, if any:
    /// the first class, in record order, that holds and includes the party's
    /// kind and region that day. Listed memberships are not looked at.
    fn class_member(
        view: &AgreementView<'r>,
        key: PartyKey,
        party: PartyView<'r>,
    ) -> Option<DayMember<'r>> {
        if !party.is_known() {
            return None;
        }
        let (kind, region) = (party.kind(), party.region());
        let class = view
            .record()
            .classes()
            .iter()
            .find(|c| c.includes(kind, region) && Self::class_holds(view, c))?;
        let start = view.start();
        let joined = class
            .spell
            .from
            .filter(|from| *from >= start.first_day())
            .map_or(start, PartialDate::day);
        Some(DayMember::Class {
            key,
            party,
            class,
            joined,
        })
    }

    /// Every member of `view`'s agreement on the day: its listed
    /// memberships in force (as [`AgreementView::members`], in the order
    /// entered), then each party of one of its classes that day not listed
    /// in force, in key order, once. A party listed and of a class is listed:
    /// the listed membership wins. None after the agreement has ended.
    ///
    /// **O(m log m + Σ k)** for m memberships and k parties that have ever
    /// held the kind of each class in force (read from the kind index,
    /// never a pass over all parties).
    pub(crate) fn members_on(&self, view: &AgreementView<'r>) -> Vec<DayMember<'r>> {
        let mut out: Vec<DayMember<'r>> = view.members().map(DayMember::Listed).collect();
        let classes = view.record().classes();
        if classes.is_empty() || !classes.iter().any(|c| Self::class_holds(view, c)) {
            return out;
        }
        let mut listed: Vec<&'r PartyId> = out.iter().map(DayMember::party).collect();
        listed.sort_unstable();
        let mut found: Vec<(PartyKey, DayMember<'r>)> = Vec::new();
        for class in classes.iter().filter(|c| Self::class_holds(view, c)) {
            for &key in self.registry.index.parties_of_kind(class.kind) {
                let Some(party) = self.party_view(key) else {
                    continue;
                };
                if listed.binary_search(&party.id()).is_ok() {
                    continue;
                }
                found.extend(Self::class_member(view, key, party).map(|m| (key, m)));
            }
        }
        // A stable sort keeps the first class's entry for a party in two.
        found.sort_by_key(|(k, _)| *k);
        found.dedup_by_key(|(k, _)| *k);
        out.extend(found.into_iter().map(|(_, m)| m));
        out
    }

    /// The dense key of each of `members`, the members of agreement `key`
    /// on the day as [`AsOf::members_on`] gives them: a listed member's
    /// from the index, walking the agreement's memberships beside the
    /// listed ones (both in record order), so no id is hashed. **O(m)**.
    pub(crate) fn member_keys(
        &self,
        key: AgreementKey,
        members: &[DayMember<'r>],
    ) -> Vec<Option<PartyKey>> {
        let records = self
            .registry
            .agreement_at(key)
            .map_or(&[][..], |a| a.members());
        let mut listed = records
            .iter()
            .zip(self.registry.index.member_keys(key).iter().copied());
        members
            .iter()
            .map(|m| match m {
                DayMember::Class { key, .. } => Some(*key),
                DayMember::Listed(view) => listed
                    .find(|(record, _)| std::ptr::eq(*record, view.membership()))
                    .map_or_else(
                        || self.registry.party_key(m.party().as_str()).ok(),
                        |(_, k)| k,
                    ),
            })
            .collect()
    }

    /// The memberships of `party` on the day in agreements that count:
    /// its listed memberships in force ([`AsOf::memberships`]), then the
    /// agreements it is a member of by class that day, where it is not
    /// listed in force, in key order.
    ///
    /// **O(d + k · (c + log d))** for d listed memberships and k agreements
    /// with a class of the party's kind on the day, of c classes each.
    pub(crate) fn memberships_on(
        &self,
        party: PartyKey,
    ) -> Vec<(AgreementKey, AgreementView<'r>, DayMember<'r>)> {
        let mut out: Vec<(AgreementKey, AgreementView<'r>, DayMember<'r>)> = self
            .memberships(party)
            .map(|(k, v, m)| (k, v, DayMember::Listed(m)))
            .collect();
        let Some(me) = self.party_view(party) else {
            return out;
        };
        let mut listed: Vec<AgreementKey> = out.iter().map(|(k, _, _)| *k).collect();
        listed.sort_unstable();
        for &k in self.registry.index.classes_of_kind(me.kind()) {
            if listed.binary_search(&k).is_ok() {
                continue;
            }
            let Some(view) = self.view(k).filter(|v| self.counts(v)) else {
                continue;
            };
            out.extend(Self::class_member(&view, party, me).map(|m| (k, view, m)));
        }
        out
    }

    /// The agreements an index lists as the registry now stands, for the
    /// day asked: those changed since that day (or since the register day)
    /// are checked through their history with `still`, the rest read as
    /// listed. **O(k + c)** for k listed and c changed since.
    pub(crate) fn indexed(
        &self,
        listed: &[AgreementKey],
        still: impl Fn(&AgreementView<'r>) -> bool,
    ) -> Vec<AgreementKey> {
        let index = &self.registry.index;
        let unsettled = index.unsettled(self.at);
        let mut out: Vec<AgreementKey> = listed
            .iter()
            .copied()
            .filter(|k| unsettled.binary_search(k).is_err())
            .collect();
        for k in unsettled {
            if self.view(k).is_some_and(|v| still(&v)) {
                out.push(k);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
