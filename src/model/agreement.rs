//! Agreements: collaborations of two or more parties, of any size, with the
//! terms an amendment can change ([`Terms`]) kept apart from the dated
//! history: status changes, memberships, reviews held and amendments.

use chrono::NaiveDate;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::amendment::Amendment;
use super::costs::CostArrangement;
use super::dates::PartialDate;
use super::id::{AgreementId, PartyId};
use super::keyword::keywords;
use super::membership::{Declined, Membership, Role};
use super::party::PartyKind;
use super::provenance::Provenance;
use super::review::{Review, ReviewTerms};
use super::spell::Spell;
use super::terms::{
    AgreementChange, Function, LeavingRules, LegalBasis, Publication, Responsibilities, Term, Terms,
};
use super::unknown::Extra;

keywords! {
    /// The lifecycle state of an agreement; see [`Status::next_statuses`].
    pub enum Status ("status") {
        /// Proposed, not yet in force.
        Proposed => "proposed",
        /// In force.
        Active => "active",
        /// In force and under review.
        UnderReview => "under_review",
        /// Suspended.
        Suspended => "suspended",
        /// Ended for good.
        Terminated => "terminated",
    }
}

impl Status {
    /// Whether the agreement is in force: active or under review.
    #[must_use]
    pub const fn is_in_force(&self) -> bool {
        matches!(self, Status::Active | Status::UnderReview)
    }

    /// The statuses this one may change to, in file order: the lifecycle of
    /// an agreement.
    ///
    /// | from \ to      | proposed | active | under review | suspended | terminated |
    /// | ---            | :---:    | :---:  | :---:        | :---:     | :---:      |
    /// | proposed       |          | yes    |              |           | yes        |
    /// | active         |          |        | yes          | yes       | yes        |
    /// | under review   |          | yes    |              | yes       | yes        |
    /// | suspended      |          | yes    | yes          |           | yes        |
    /// | terminated     |          |        |              |           |            |
    ///
    /// Nothing goes back to proposed; a proposal goes into force or is
    /// dropped; terminated is final; a status never "changes" to itself.
    /// The same table is applied on load and by every change.
    ///
    /// ```
    /// use collab_registry::model::Status;
    /// assert_eq!(Status::Proposed.next_statuses(), [Status::Active, Status::Terminated]);
    /// assert!(Status::Terminated.next_statuses().is_empty());
    /// ```
    #[must_use]
    pub const fn next_statuses(&self) -> &'static [Status] {
        match self {
            Status::Proposed => &[Status::Active, Status::Terminated],
            Status::Active => &[Status::UnderReview, Status::Suspended, Status::Terminated],
            Status::UnderReview => &[Status::Active, Status::Suspended, Status::Terminated],
            Status::Suspended => &[Status::Active, Status::UnderReview, Status::Terminated],
            Status::Terminated => &[],
        }
    }

    /// Whether an agreement in this status may change to `next`.
    #[must_use]
    pub fn can_change_to(&self, next: Status) -> bool {
        self.next_statuses().contains(&next)
    }
}

/// Who ended an agreement: one member, by the notice it served (the
/// ending links to that notice), all the members together, or its fixed
/// end. Written `{"notice": "party-id"}`, `"all_members"` or `"expiry"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ending {
    /// The member whose notice ended it.
    Notice(PartyId),
    /// All the members, by agreement.
    AllMembers,
    /// Its fixed end.
    Expiry,
}

impl Serialize for Ending {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Ending::Notice(party) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("notice", party)?;
                map.end()
            }
            Ending::AllMembers => serializer.serialize_str("all_members"),
            Ending::Expiry => serializer.serialize_str("expiry"),
        }
    }
}

/// A dated change of status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StatusChange {
    /// The new status.
    pub status: Status,
    /// The day it takes effect (known to the day, or only to a month or year).
    pub from: PartialDate,
    /// The day it was entered in the register, if not the day it took effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<NaiveDate>,
    /// Why, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For a termination, who ended it, where the register knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_by: Option<Ending>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl StatusChange {
    /// `status` from `from`.
    #[must_use]
    pub fn new(status: Status, from: impl Into<PartialDate>) -> Self {
        StatusChange {
            status,
            from: from.into(),
            recorded: None,
            note: None,
            ended_by: None,
            extra: Extra::new(),
        }
    }

    /// The day it was entered.
    #[must_use]
    pub fn entered_on(&self) -> NaiveDate {
        self.recorded.unwrap_or(self.from.first_day())
    }
}

/// Members by class: every party of a kind (in a region, where one is
/// named), each a member in `role` while the spell holds, found on the day
/// asked. A national agreement that every territorial police force signs is
/// held this way, without typing each force and without inventing members:
/// the members are the parties of that kind the register holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClassMembership {
    /// The kind of party.
    pub kind: PartyKind,
    /// The region its parties are in, or every region when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Their role.
    pub role: Role,
    /// When the class is a member, and when that was entered.
    #[serde(flatten)]
    pub spell: Spell,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ClassMembership {
    /// Every party of `kind` is a member in `role` during `spell`.
    #[must_use]
    pub fn new(kind: PartyKind, role: Role, spell: Spell) -> Self {
        ClassMembership {
            kind,
            region: None,
            role,
            spell,
            extra: Extra::new(),
        }
    }

    /// The same class, only the parties of `region`.
    #[must_use]
    pub fn in_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Whether a party of `kind` in `region` belongs to the class.
    #[must_use]
    pub fn includes(&self, kind: PartyKind, region: Option<&str>) -> bool {
        self.kind == kind && self.region.as_deref().is_none_or(|r| region == Some(r))
    }
}

/// A collaboration agreement between parties.
///
/// An agreement of any size is one record with one [`Membership`] per member
/// and period. Its [`Terms`] are what it now says; its status changes,
/// memberships, reviews held and amendments are dated history, never
/// overwritten, so questions about the past keep their answers. Ask
/// [`Registry::as_of`](crate::Registry::as_of) for the agreement as it
/// stood on a day.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::*;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let dogs = Agreement::builder(AgreementId::new("shared-dogs")?, "Shared dog unit", d(2024, 4, 1))
///     .legal_basis(LegalBasis::Section22aPoliceAct1996)
///     .function(Function::Dogs)
///     .active_from(d(2024, 4, 1))
///     .member(Membership::new(PartyId::new("derbyshire-police")?, Role::Lead, d(2024, 4, 1)))
///     .member(Membership::new(PartyId::new("lincolnshire-police")?, Role::Member, d(2024, 4, 1)))
///     .build()?;
/// assert_eq!(dogs.members().len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub(crate) id: AgreementId,
    pub(crate) start: PartialDate,
    pub(crate) terms: Terms,
    pub(crate) status: Vec<StatusChange>,
    pub(crate) members: Vec<Membership>,
    pub(crate) classes: Vec<ClassMembership>,
    pub(crate) members_published: bool,
    pub(crate) declined: Vec<Declined>,
    pub(crate) reviews_held: Vec<Review>,
    pub(crate) amendments: Vec<Amendment<AgreementChange>>,
    pub(crate) entered: Option<NaiveDate>,
    pub(crate) provenance: Provenance,
    pub(crate) extra: Extra,
}

impl Agreement {
    /// Starts an agreement with the values every agreement has.
    pub fn builder(
        id: AgreementId,
        title: impl Into<String>,
        start: impl Into<PartialDate>,
    ) -> AgreementBuilder {
        AgreementBuilder {
            agreement: Agreement {
                id,
                start: start.into(),
                terms: Terms::new(title.into()),
                status: Vec::new(),
                members: Vec::new(),
                classes: Vec::new(),
                members_published: true,
                declined: Vec::new(),
                reviews_held: Vec::new(),
                amendments: Vec::new(),
                entered: None,
                provenance: Provenance::default(),
                extra: Extra::new(),
            },
        }
    }

    /// The agreement's id.
    #[must_use]
    pub fn id(&self) -> &AgreementId {
        &self.id
    }

    /// The day it starts (known to the day, or only to a month or year).
    #[must_use]
    pub fn start(&self) -> PartialDate {
        self.start
    }

    /// Its terms as they now stand, after every amendment recorded.
    #[must_use]
    pub fn terms(&self) -> &Terms {
        &self.terms
    }

    /// Its title as it now stands.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.terms.title
    }

    /// Its status history, in date order; the status on a day is the last
    /// change on or before it.
    #[must_use]
    pub fn status_history(&self) -> &[StatusChange] {
        &self.status
    }

    /// Its memberships, in the order entered; one per party and period.
    #[must_use]
    pub fn members(&self) -> &[Membership] {
        &self.members
    }

    /// Its members by class: every party of a kind, found on the day asked.
    #[must_use]
    pub fn classes(&self) -> &[ClassMembership] {
        &self.classes
    }

    /// Whether its member list is published. An agreement whose members
    /// are not published is still held (title, purpose, legal basis,
    /// publication and its reason), counted where it can be, and not
    /// refused for listing fewer than two members.
    #[must_use]
    pub fn members_published(&self) -> bool {
        self.members_published
    }

    /// Invitations declined.
    #[must_use]
    pub fn declined(&self) -> &[Declined] {
        &self.declined
    }

    /// Reviews held, in date order.
    #[must_use]
    pub fn reviews_held(&self) -> &[Review] {
        &self.reviews_held
    }

    /// Its amendments, in the order entered.
    #[must_use]
    pub fn amendments(&self) -> &[Amendment<AgreementChange>] {
        &self.amendments
    }

    /// The day the record was entered in the register, if stated; without
    /// one it counts as entered on its start.
    #[must_use]
    pub fn entered(&self) -> Option<NaiveDate> {
        self.entered
    }

    /// The day the record was entered, or its start when none is stated.
    #[must_use]
    pub fn entered_on(&self) -> NaiveDate {
        self.entered.unwrap_or(self.start.first_day())
    }

    /// Where its facts come from.
    #[must_use]
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// Fields this version of the crate does not know.
    #[must_use]
    pub fn extra(&self) -> &Extra {
        &self.extra
    }

    /// The status on `date`, whatever the register knew when, or `None`
    /// before the first status.
    #[must_use]
    pub fn status_on(&self, date: NaiveDate) -> Option<Status> {
        let at = self.status.partition_point(|c| c.from.first_day() <= date);
        at.checked_sub(1)
            .and_then(|i| self.status.get(i))
            .map(|c| c.status)
    }

    /// The termination, if it was terminated on or before `date`.
    #[must_use]
    pub fn terminated_by(&self, date: NaiveDate) -> Option<&StatusChange> {
        self.status
            .last()
            .filter(|c| c.status == Status::Terminated && c.from.first_day() <= date)
    }
}

impl Serialize for Agreement {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let t = &self.terms;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("title", &t.title)?;
        if let Some(purpose) = &t.purpose {
            map.serialize_entry("purpose", purpose)?;
        }
        map.serialize_entry("legal_basis", &t.legal_basis)?;
        if !t.functions.is_empty() {
            map.serialize_entry("functions", &t.functions)?;
        }
        if let Some(part_of) = &t.part_of {
            map.serialize_entry("part_of", part_of)?;
        }
        map.serialize_entry("start", &self.start)?;
        if let Some(end) = &t.end {
            map.serialize_entry("end", end)?;
        }
        if let Some(term) = &t.term {
            map.serialize_entry("term", term)?;
        }
        if let Some(successor) = &t.replaced_by {
            map.serialize_entry("replaced_by", successor)?;
        }
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("members", &self.members)?;
        if !self.classes.is_empty() {
            map.serialize_entry("member_classes", &self.classes)?;
        }
        if !self.members_published {
            map.serialize_entry("members_published", &false)?;
        }
        if !self.declined.is_empty() {
            map.serialize_entry("declined", &self.declined)?;
        }
        if !t.responsibilities.is_empty() {
            map.serialize_entry("responsibilities", &t.responsibilities)?;
        }
        if !t.review.is_empty() || !self.reviews_held.is_empty() {
            map.serialize_entry(
                "review",
                &ReviewOut {
                    terms: &t.review,
                    held: &self.reviews_held,
                },
            )?;
        }
        if !t.leaving.is_empty() {
            map.serialize_entry("leaving", &t.leaving)?;
        }
        if !t.publication.is_unstated() {
            map.serialize_entry("publication", &t.publication)?;
        }
        if !t.costs.is_empty() {
            map.serialize_entry("costs", &t.costs)?;
        }
        if !self.amendments.is_empty() {
            map.serialize_entry("amendments", &self.amendments)?;
        }
        if let Some(entered) = &self.entered {
            map.serialize_entry("entered", entered)?;
        }
        if let Some(source) = &self.provenance.source {
            map.serialize_entry("source", source)?;
        }
        if !self.provenance.illustrative.is_empty() {
            map.serialize_entry("illustrative", &self.provenance.illustrative)?;
        }
        for (k, v) in self.extra.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The `review` object of a file: the terms, then the reviews held.
#[derive(Serialize)]
struct ReviewOut<'a> {
    #[serde(flatten)]
    terms: &'a ReviewTerms,
    #[serde(skip_serializing_if = "<[Review]>::is_empty")]
    held: &'a [Review],
}

/// Builds an [`Agreement`]; see [`Agreement::builder`]. Setters may come in
/// any order; [`AgreementBuilder::build`] checks the whole record. (`build`
/// is written beside the rules it runs, in the crate's rulebook.)
#[derive(Debug, Clone)]
#[must_use]
pub struct AgreementBuilder {
    pub(crate) agreement: Agreement,
}

impl AgreementBuilder {
    /// Its purpose or objective.
    pub fn purpose(mut self, purpose: impl Into<String>) -> Self {
        self.agreement.terms.purpose = Some(purpose.into());
        self
    }

    /// A legal basis (call again for another one).
    pub fn legal_basis(mut self, basis: LegalBasis) -> Self {
        self.agreement.terms.legal_basis.insert(basis);
        self
    }

    /// A function it covers (call again for another one).
    pub fn function(mut self, function: Function) -> Self {
        self.agreement.terms.functions.insert(function);
        self
    }

    /// The functions it covers.
    pub fn functions(mut self, functions: impl IntoIterator<Item = Function>) -> Self {
        self.agreement.terms.functions = functions.into_iter().collect();
        self
    }

    /// The umbrella it is part of.
    pub fn part_of(mut self, umbrella: AgreementId) -> Self {
        self.agreement.terms.part_of = Some(umbrella);
        self
    }

    /// Its fixed end (the first day after it ends).
    pub fn end(mut self, end: NaiveDate) -> Self {
        self.agreement.terms.end = Some(end);
        self
    }

    /// A change of status (status changes are put in date order).
    pub fn status(mut self, change: StatusChange) -> Self {
        let at = self
            .agreement
            .status
            .partition_point(|c| c.from <= change.from);
        self.agreement.status.insert(at, change);
        self
    }

    /// Active from `day`.
    pub fn active_from(self, day: impl Into<PartialDate>) -> Self {
        self.status(StatusChange::new(Status::Active, day))
    }

    /// Proposed from `day`.
    pub fn proposed_from(self, day: impl Into<PartialDate>) -> Self {
        self.status(StatusChange::new(Status::Proposed, day))
    }

    /// A membership.
    pub fn member(mut self, membership: Membership) -> Self {
        self.agreement.members.push(membership);
        self
    }

    /// Members by class.
    pub fn member_class(mut self, class: ClassMembership) -> Self {
        self.agreement.classes.push(class);
        self
    }

    /// Whether its member list is published (it is, unless said otherwise).
    pub fn members_published(mut self, published: bool) -> Self {
        self.agreement.members_published = published;
        self
    }

    /// Its fixed term.
    pub fn term(mut self, term: Term) -> Self {
        self.agreement.terms.term = Some(term);
        self
    }

    /// The agreement that replaced it.
    pub fn replaced_by(mut self, successor: AgreementId) -> Self {
        self.agreement.terms.replaced_by = Some(successor);
        self
    }

    /// An invitation declined.
    pub fn declined(mut self, declined: Declined) -> Self {
        self.agreement.declined.push(declined);
        self
    }

    /// Who owns its assets and employs its staff.
    pub fn responsibilities(mut self, responsibilities: Responsibilities) -> Self {
        self.agreement.terms.responsibilities = responsibilities;
        self
    }

    /// How it is reviewed.
    pub fn review(mut self, review: ReviewTerms) -> Self {
        self.agreement.terms.review = review;
        self
    }

    /// A review held (reviews are put in date order).
    pub fn review_held(mut self, review: Review) -> Self {
        let at = self
            .agreement
            .reviews_held
            .partition_point(|r| r.date <= review.date);
        self.agreement.reviews_held.insert(at, review);
        self
    }

    /// The rules for a member that leaves.
    pub fn leaving(mut self, leaving: LeavingRules) -> Self {
        self.agreement.terms.leaving = leaving;
        self
    }

    /// Whether and how it is published.
    pub fn publication(mut self, publication: Publication) -> Self {
        self.agreement.terms.publication = publication;
        self
    }

    /// Its cost arrangement.
    pub fn costs(mut self, costs: CostArrangement) -> Self {
        self.agreement.terms.costs = super::OutOfLine::new(costs);
        self
    }

    /// The day it was entered in the register.
    pub fn entered(mut self, day: NaiveDate) -> Self {
        self.agreement.entered = Some(day);
        self
    }

    /// Where its facts come from.
    pub fn provenance(mut self, provenance: Provenance) -> Self {
        self.agreement.provenance = provenance;
        self
    }

    /// Fields this version of the crate does not know.
    pub fn extra(mut self, extra: Extra) -> Self {
        self.agreement.extra = extra;
        self
    }
}
