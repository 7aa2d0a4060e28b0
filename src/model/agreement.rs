//! Agreements: collaborations of two or more parties, of any size, with the
//! terms an amendment can change kept apart from the dated history.

use chrono::NaiveDate;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::amendment::{AgreementChange, Amendment};
use super::costs::CostArrangement;
use super::dates::PartialDate;
use super::id::{AgreementId, PartyId};
use super::keyword::keywords;
use super::membership::{Declined, Membership};
use super::provenance::Provenance;
use super::review::{Review, ReviewTerms};
use super::unknown::Extra;

keywords! {
    /// The law or instrument an agreement is made under.
    pub enum LegalBasis ("legal basis") {
        /// Section 22A of the Police Act 1996: police collaboration agreements.
        Section22aPoliceAct1996 => "section_22a_police_act_1996",
        /// Section 23 of the Police Act 1996.
        Section23PoliceAct1996 => "section_23_police_act_1996",
        /// Section 23A of the Police Act 1996.
        Section23aPoliceAct1996 => "section_23a_police_act_1996",
        /// The emergency-services collaboration duty of the Policing and Crime Act 2017.
        PolicingAndCrimeAct2017 => "policing_and_crime_act_2017",
        /// A contract.
        Contract => "contract",
        /// A memorandum of understanding.
        MemorandumOfUnderstanding => "memorandum_of_understanding",
        /// A basis the source names that is none of the above.
        Other => "other",
        /// The source does not state the basis: a value of its own, not "other".
        NotStated => "not_stated",
    }
}

keywords! {
    /// A function an agreement covers: a closed list of common policing and
    /// support functions, and `Other`.
    pub enum Function ("function") {
        /// Armed policing and firearms operations.
        ArmedPolicing => "armed_policing",
        /// Major crime investigation.
        MajorCrime => "major_crime",
        /// Serious and organised crime.
        SeriousOrganisedCrime => "serious_organised_crime",
        /// Counter terrorism.
        CounterTerrorism => "counter_terrorism",
        /// Civil contingencies.
        CivilContingencies => "civil_contingencies",
        /// Public order.
        PublicOrder => "public_order",
        /// Roads policing.
        RoadsPolicing => "roads_policing",
        /// Dog units.
        Dogs => "dogs",
        /// Economic crime.
        EconomicCrime => "economic_crime",
        /// Cyber crime.
        CyberCrime => "cyber_crime",
        /// Forensic services.
        Forensics => "forensics",
        /// Intelligence.
        Intelligence => "intelligence",
        /// Professional standards.
        ProfessionalStandards => "professional_standards",
        /// Control rooms.
        ControlRoom => "control_room",
        /// Public contact and contact management.
        PublicContact => "public_contact",
        /// Custody.
        Custody => "custody",
        /// Crime recording.
        CrimeRecording => "crime_recording",
        /// Firearms and explosives licensing.
        FirearmsLicensing => "firearms_licensing",
        /// Searching for missing people.
        MissingPersons => "missing_persons",
        /// Responding to road traffic collisions.
        RoadTrafficCollisions => "road_traffic_collisions",
        /// Prevention and community safety.
        Prevention => "prevention",
        /// Air support.
        AirSupport => "air_support",
        /// Human resources.
        HumanResources => "human_resources",
        /// Learning, development and training.
        LearningAndDevelopment => "learning_and_development",
        /// Information and communications technology.
        Ict => "ict",
        /// Finance.
        Finance => "finance",
        /// Procurement.
        Procurement => "procurement",
        /// Fleet and vehicles.
        Fleet => "fleet",
        /// Estates, facilities and shared buildings.
        Estates => "estates",
        /// Legal services.
        Legal => "legal",
        /// Any other function.
        Other => "other",
    }
}

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

/// Defines a set of keyword values held as a bitset, iterated and written
/// in file order.
macro_rules! keyword_set {
    ($(#[$meta:meta])* $set:ident of $item:ident, $bits:ty) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $set($bits);

        impl $set {
            /// The empty set.
            #[must_use]
            pub const fn new() -> Self {
                $set(0)
            }

            const fn bit(item: $item) -> $bits {
                1 << (item as u32)
            }

            /// Whether `item` is in the set.
            #[must_use]
            pub const fn contains(&self, item: $item) -> bool {
                self.0 & Self::bit(item) != 0
            }

            /// Adds `item`.
            pub fn insert(&mut self, item: $item) {
                self.0 |= Self::bit(item);
            }

            /// Removes `item`.
            pub fn remove(&mut self, item: $item) {
                self.0 &= !Self::bit(item);
            }

            /// How many there are.
            #[must_use]
            pub const fn len(&self) -> usize {
                self.0.count_ones() as usize
            }

            /// Whether there are none.
            #[must_use]
            pub const fn is_empty(&self) -> bool {
                self.0 == 0
            }

            /// The members, in file order.
            pub fn iter(&self) -> impl Iterator<Item = $item> + '_ {
                let bits = self.0;
                $item::ALL.iter().copied().filter(move |i| bits & Self::bit(*i) != 0)
            }
        }

        impl FromIterator<$item> for $set {
            fn from_iter<I: IntoIterator<Item = $item>>(items: I) -> Self {
                let mut set = $set::new();
                for item in items {
                    set.insert(item);
                }
                set
            }
        }

        impl std::fmt::Debug for $set {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_set().entries(self.iter()).finish()
            }
        }
    };
}

keyword_set!(
    /// The functions an agreement covers, written in file order.
    Functions of Function, u64
);

keyword_set!(
    /// The legal bases of an agreement: one, or several together (sections
    /// 22A and 23 of the Police Act 1996, say). Written as one name, or a
    /// list of names in file order when there are several.
    LegalBases of LegalBasis, u16
);

impl Serialize for Functions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl Serialize for LegalBases {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut bases = self.iter();
        match (bases.next(), bases.next()) {
            (Some(one), None) => one.serialize(serializer),
            _ => serializer.collect_seq(self.iter()),
        }
    }
}

impl From<LegalBasis> for LegalBases {
    fn from(basis: LegalBasis) -> Self {
        std::iter::once(basis).collect()
    }
}

impl LegalBases {
    /// The basis, when there is exactly one.
    #[must_use]
    pub fn single(&self) -> Option<LegalBasis> {
        let mut bases = self.iter();
        match (bases.next(), bases.next()) {
            (Some(one), None) => Some(one),
            _ => None,
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
            extra: Extra::new(),
        }
    }

    /// The day it was entered.
    #[must_use]
    pub fn entered_on(&self) -> NaiveDate {
        self.recorded.unwrap_or(self.from.first_day())
    }
}

/// Who owns an agreement's assets and who employs its staff: with the lead
/// and host roles these are four different answers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct Responsibilities {
    /// The party that owns the assets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_owner: Option<PartyId>,
    /// The party that employs the staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<PartyId>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Responsibilities {
    /// Whether nothing is stated.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Responsibilities::default()
    }
}

/// The rules for a member that leaves.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct LeavingRules {
    /// Months of notice a member must give before it can withdraw, 0 to
    /// [`MAX_MONTHS`](crate::model::MAX_MONTHS). With none stated, notice
    /// takes effect the day after it is served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_months: Option<u32>,
    /// Whether withdrawal takes effect only at the end of a financial year.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub align_to_financial_year_end: bool,
    /// Whether a leaver pays the others' reasonable exit costs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub leaver_pays_exit_costs: bool,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl LeavingRules {
    /// Whether nothing is stated.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == LeavingRules::default()
    }

    /// `months` of notice.
    #[must_use]
    pub fn notice(months: u32) -> Self {
        LeavingRules {
            notice_months: Some(months),
            ..LeavingRules::default()
        }
    }
}

keywords! {
    /// How much of an agreement is published.
    pub enum PublicationLevel ("publication level") {
        /// The register does not say.
        NotRecorded => "not_recorded",
        /// Published in full.
        Full => "full",
        /// Published in summary.
        Summary => "summary",
        /// Only the title and objective are published.
        TitleAndObjective => "title_and_objective",
        /// Withheld, for the stated reason.
        Withheld => "withheld",
    }
}

impl Default for PublicationLevel {
    fn default() -> Self {
        PublicationLevel::NotRecorded
    }
}

/// Whether and how an agreement is published. The register holds the title
/// and purpose in every case.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct Publication {
    /// How much of it is published.
    pub level: PublicationLevel,
    /// Why it is withheld or only summarised (an exemption).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Publication {
    /// Published at `level`.
    #[must_use]
    pub fn new(level: PublicationLevel) -> Self {
        Publication {
            level,
            reason: None,
            extra: Extra::new(),
        }
    }

    /// Whether nothing is recorded about publication.
    #[must_use]
    pub fn is_unstated(&self) -> bool {
        *self == Publication::default()
    }
}

/// The terms of an agreement: everything an amendment can change. Each
/// change an amendment makes is kept with its value before and after
/// ([`AgreementChange`]), so the terms as of any day can be read back.
///
/// Edit a draft through the setters inside
/// [`Registry::amend`](crate::Registry::amend); the registry then checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub(crate) title: String,
    pub(crate) purpose: Option<String>,
    pub(crate) legal_basis: LegalBases,
    pub(crate) functions: Functions,
    pub(crate) part_of: Option<AgreementId>,
    pub(crate) end: Option<NaiveDate>,
    pub(crate) review: ReviewTerms,
    pub(crate) leaving: LeavingRules,
    pub(crate) publication: Publication,
    pub(crate) responsibilities: Responsibilities,
    pub(crate) costs: CostArrangement,
}

impl Terms {
    pub(crate) fn new(title: String) -> Self {
        Terms {
            title,
            purpose: None,
            legal_basis: LegalBases::new(),
            functions: Functions::new(),
            part_of: None,
            end: None,
            review: ReviewTerms::default(),
            leaving: LeavingRules::default(),
            publication: Publication::default(),
            responsibilities: Responsibilities::default(),
            costs: CostArrangement::default(),
        }
    }

    /// Its title; the register holds it even when the agreement is withheld.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Its purpose or objective.
    #[must_use]
    pub fn purpose(&self) -> Option<&str> {
        self.purpose.as_deref()
    }

    /// The law or instruments it is made under.
    #[must_use]
    pub fn legal_basis(&self) -> LegalBases {
        self.legal_basis
    }

    /// The functions it covers.
    #[must_use]
    pub fn functions(&self) -> Functions {
        self.functions
    }

    /// The umbrella (a regional programme or strategic alliance) it is part of.
    #[must_use]
    pub fn part_of(&self) -> Option<&AgreementId> {
        self.part_of.as_ref()
    }

    /// The first day after it ends, if it has a fixed end.
    #[must_use]
    pub fn end(&self) -> Option<NaiveDate> {
        self.end
    }

    /// How and when it is reviewed.
    #[must_use]
    pub fn review(&self) -> &ReviewTerms {
        &self.review
    }

    /// The rules for a member that leaves.
    #[must_use]
    pub fn leaving(&self) -> &LeavingRules {
        &self.leaving
    }

    /// Whether and how it is published.
    #[must_use]
    pub fn publication(&self) -> &Publication {
        &self.publication
    }

    /// Who owns its assets and employs its staff, where stated.
    #[must_use]
    pub fn responsibilities(&self) -> &Responsibilities {
        &self.responsibilities
    }

    /// Budgets, formulas, usage, the baseline and savings.
    #[must_use]
    pub fn costs(&self) -> &CostArrangement {
        &self.costs
    }

    /// Sets the title.
    pub fn set_title(&mut self, title: impl Into<String>) {
        self.title = title.into();
    }

    /// Sets the purpose.
    pub fn set_purpose(&mut self, purpose: Option<String>) {
        self.purpose = purpose;
    }

    /// Sets the legal bases.
    pub fn set_legal_basis(&mut self, bases: impl Into<LegalBases>) {
        self.legal_basis = bases.into();
    }

    /// Sets the functions.
    pub fn set_functions(&mut self, functions: Functions) {
        self.functions = functions;
    }

    /// Sets the umbrella.
    pub fn set_part_of(&mut self, part_of: Option<AgreementId>) {
        self.part_of = part_of;
    }

    /// Sets the fixed end (the first day after it ends).
    pub fn set_end(&mut self, end: Option<NaiveDate>) {
        self.end = end;
    }

    /// The review terms, to change.
    pub fn review_mut(&mut self) -> &mut ReviewTerms {
        &mut self.review
    }

    /// The leaving rules, to change.
    pub fn leaving_mut(&mut self) -> &mut LeavingRules {
        &mut self.leaving
    }

    /// The publication, to change.
    pub fn publication_mut(&mut self) -> &mut Publication {
        &mut self.publication
    }

    /// The responsibilities, to change.
    pub fn responsibilities_mut(&mut self) -> &mut Responsibilities {
        &mut self.responsibilities
    }

    /// The cost arrangement, to change.
    pub fn costs_mut(&mut self) -> &mut CostArrangement {
        &mut self.costs
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
    pub(crate) declined: Vec<Declined>,
    pub(crate) reviews_held: Vec<Review>,
    pub(crate) amendments: Vec<Amendment<AgreementChange>>,
    pub(crate) entered: Option<NaiveDate>,
    pub(crate) provenance: Provenance,
    pub(crate) extra: Extra,
}

impl Agreement {
    /// Starts an agreement with the values every agreement has.
    #[must_use]
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
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("members", &self.members)?;
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
        self.agreement.terms.costs = costs;
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
