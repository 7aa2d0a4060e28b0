//! The terms of an agreement, everything an amendment can change, and the
//! typed changes an amendment makes to them: the legal bases, the functions,
//! the leaving rules, publication, responsibilities, and [`Terms`] itself,
//! with [`AgreementChange`] and the [`AgreementField`] each one names.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

use super::amendment::{Change, FieldError, at_key, keyed, merge_keyed, write_change};
use super::costs::{
    Asset, Budget, CostArrangement, Formula, Grant, MemberCharge, PartYear, Purchase, Savings,
};
use super::dates::{FinancialYear, PartialDate, parse_date};
use super::id::{AgreementId, PartyId};
use super::keyword::keywords;
use super::membership::Role;
use super::money::{Money, Quantity};
use super::out_of_line::OutOfLine;
use super::review::ReviewTerms;
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
    /// The terms of those exit costs, where the agreement states them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_costs: Option<ExitCosts>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The exit costs a leaving member bears, as the agreement states them:
/// how they are worked out, and any cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ExitCosts {
    /// How they are worked out, in the agreement's words: "the reasonable
    /// costs the other members incur as a result of the withdrawal", say.
    pub terms: String,
    /// The most a leaver pays, where a cap is stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<Money>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ExitCosts {
    /// Exit costs worked out as `terms` say.
    #[must_use]
    pub fn new(terms: impl Into<String>) -> Self {
        ExitCosts {
            terms: terms.into(),
            cap: None,
            extra: Extra::new(),
        }
    }
}

keywords! {
    /// The unit of a fixed term.
    pub enum TermUnit ("term unit") {
        /// Calendar months.
        Months => "months",
        /// Years.
        Years => "years",
    }
}

/// A fixed term: an agreement of five years, say, renewed for another term
/// on a day ([`Registry::renew`](crate::Registry::renew) works out the next end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Term {
    /// How many units.
    pub length: u32,
    /// Months or years.
    pub unit: TermUnit,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Term {
    /// A term of `length` `unit`s.
    #[must_use]
    pub fn new(length: u32, unit: TermUnit) -> Self {
        Term {
            length,
            unit,
            extra: Extra::new(),
        }
    }

    /// The term in months, or `None` when that overflows.
    #[must_use]
    pub fn months(&self) -> Option<u32> {
        match self.unit {
            TermUnit::Months => Some(self.length),
            TermUnit::Years => self.length.checked_mul(12),
        }
    }

    /// The day a term beginning on `from` ends (the first day after it).
    #[must_use]
    pub fn end_from(&self, from: NaiveDate) -> Option<NaiveDate> {
        super::dates::add_months(from, i32::try_from(self.months()?).ok()?)
    }
}

impl fmt::Display for Term {
    /// `5 years`, `1 year`, `18 months`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match (self.unit, self.length) {
            (TermUnit::Years, 1) => "year",
            (TermUnit::Months, 1) => "month",
            (unit, _) => unit.as_str(),
        };
        write!(f, "{} {unit}", self.length)
    }
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
    #[derive(Default)]
    pub enum PublicationLevel ("publication level") {
        /// The register does not say.
        #[default]
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
    pub(crate) costs: OutOfLine<CostArrangement>,
    pub(crate) term: Option<Term>,
    pub(crate) replaced_by: Option<AgreementId>,
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
            costs: OutOfLine::default(),
            term: None,
            replaced_by: None,
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

    /// Its fixed term, if it has one.
    #[must_use]
    pub fn term(&self) -> Option<&Term> {
        self.term.as_ref()
    }

    /// The agreement that replaced it, if one did.
    #[must_use]
    pub fn replaced_by(&self) -> Option<&AgreementId> {
        self.replaced_by.as_ref()
    }

    /// Sets the fixed term.
    pub fn set_term(&mut self, term: Option<Term>) {
        self.term = term;
    }

    /// Sets the agreement that replaced it.
    pub fn set_replaced_by(&mut self, successor: Option<AgreementId>) {
        self.replaced_by = successor;
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

/// The field of an agreement an [`AgreementChange`] changes, written as a
/// path: `title`, `end`, `review`, `costs.budgets[2021/22]`,
/// `costs.formulas[2016-04-01]`, `costs.usage[leicestershire-police@2021/22]`,
/// `members[derbyshire-police@2012-04-01].role`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AgreementField {
    /// `title`
    Title,
    /// `purpose`
    Purpose,
    /// `legal_basis`
    LegalBasis,
    /// `functions`
    Functions,
    /// `part_of`
    PartOf,
    /// `end`
    End,
    /// `review`
    Review,
    /// `leaving`
    Leaving,
    /// `publication`
    Publication,
    /// `responsibilities`
    Responsibilities,
    /// `term`
    Term,
    /// `replaced_by`
    ReplacedBy,
    /// `costs.part_year`
    PartYear,
    /// `costs.unit_price`
    UnitPrice,
    /// `costs.purchases`
    Purchases,
    /// `costs.charges`
    Charges,
    /// `costs.grants`
    Grants,
    /// `costs.assets`
    Assets,
    /// `costs.baseline`
    Baseline,
    /// `costs.savings`
    Savings,
    /// `costs.budgets[YEAR]`
    Budget(FinancialYear),
    /// `costs.formulas[DAY]`
    Formula(NaiveDate),
    /// `costs.usage[PARTY@YEAR]`
    Usage(PartyId, FinancialYear),
    /// `members[PARTY@JOINED].role`
    Role(PartyId, PartialDate),
}

const AGREEMENT_FIELDS: &str = "title, purpose, legal_basis, functions, part_of, end, term, replaced_by, review, leaving, publication, responsibilities, costs.part_year, costs.unit_price, costs.purchases, costs.charges, costs.grants, costs.assets, costs.baseline, costs.savings, costs.budgets[YEAR], costs.formulas[DAY], costs.usage[PARTY@YEAR], members[PARTY@JOINED].role";

impl fmt::Display for AgreementField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgreementField::Title => f.write_str("title"),
            AgreementField::Purpose => f.write_str("purpose"),
            AgreementField::LegalBasis => f.write_str("legal_basis"),
            AgreementField::Functions => f.write_str("functions"),
            AgreementField::PartOf => f.write_str("part_of"),
            AgreementField::End => f.write_str("end"),
            AgreementField::Review => f.write_str("review"),
            AgreementField::Leaving => f.write_str("leaving"),
            AgreementField::Publication => f.write_str("publication"),
            AgreementField::Responsibilities => f.write_str("responsibilities"),
            AgreementField::Term => f.write_str("term"),
            AgreementField::ReplacedBy => f.write_str("replaced_by"),
            AgreementField::PartYear => f.write_str("costs.part_year"),
            AgreementField::UnitPrice => f.write_str("costs.unit_price"),
            AgreementField::Purchases => f.write_str("costs.purchases"),
            AgreementField::Charges => f.write_str("costs.charges"),
            AgreementField::Grants => f.write_str("costs.grants"),
            AgreementField::Assets => f.write_str("costs.assets"),
            AgreementField::Baseline => f.write_str("costs.baseline"),
            AgreementField::Savings => f.write_str("costs.savings"),
            AgreementField::Budget(year) => write!(f, "costs.budgets[{year}]"),
            AgreementField::Formula(from) => write!(f, "costs.formulas[{from}]"),
            AgreementField::Usage(party, year) => write!(f, "costs.usage[{party}@{year}]"),
            AgreementField::Role(party, joined) => write!(f, "members[{party}@{joined}].role"),
        }
    }
}

impl FromStr for AgreementField {
    type Err = FieldError;
    fn from_str(path: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(path, AGREEMENT_FIELDS);
        Ok(match path {
            "title" => AgreementField::Title,
            "purpose" => AgreementField::Purpose,
            "legal_basis" => AgreementField::LegalBasis,
            "functions" => AgreementField::Functions,
            "part_of" => AgreementField::PartOf,
            "end" => AgreementField::End,
            "review" => AgreementField::Review,
            "leaving" => AgreementField::Leaving,
            "publication" => AgreementField::Publication,
            "responsibilities" => AgreementField::Responsibilities,
            "term" => AgreementField::Term,
            "replaced_by" => AgreementField::ReplacedBy,
            "costs.part_year" => AgreementField::PartYear,
            "costs.unit_price" => AgreementField::UnitPrice,
            "costs.purchases" => AgreementField::Purchases,
            "costs.charges" => AgreementField::Charges,
            "costs.grants" => AgreementField::Grants,
            "costs.assets" => AgreementField::Assets,
            "costs.baseline" => AgreementField::Baseline,
            "costs.savings" => AgreementField::Savings,
            _ => {
                if let Some(key) = keyed(path, "costs.budgets", "") {
                    AgreementField::Budget(key.parse().map_err(|_| bad())?)
                } else if let Some(key) = keyed(path, "costs.formulas", "") {
                    AgreementField::Formula(parse_date(key).map_err(|_| bad())?)
                } else if let Some(key) = keyed(path, "costs.usage", "") {
                    let (party, year) = at_key(key).ok_or_else(bad)?;
                    AgreementField::Usage(
                        PartyId::new(party).map_err(|_| bad())?,
                        year.parse().map_err(|_| bad())?,
                    )
                } else if let Some(key) = keyed(path, "members", ".role") {
                    let (party, joined) = at_key(key).ok_or_else(bad)?;
                    AgreementField::Role(
                        PartyId::new(party).map_err(|_| bad())?,
                        joined.parse().map_err(|_| bad())?,
                    )
                } else {
                    return Err(bad());
                }
            }
        })
    }
}

/// One change an amendment made to an agreement, typed by the field it
/// changed, with the value before and after. `None` before is something
/// added; `None` after is something removed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AgreementChange {
    /// `title`
    Title(Change<String>),
    /// `purpose`
    Purpose(Change<Option<String>>),
    /// `legal_basis`
    LegalBasis(Change<LegalBases>),
    /// `functions`
    Functions(Change<Functions>),
    /// `part_of`
    PartOf(Change<Option<AgreementId>>),
    /// `end`
    End(Change<Option<NaiveDate>>),
    /// `review`
    Review(Change<ReviewTerms>),
    /// `leaving`
    Leaving(Change<LeavingRules>),
    /// `publication`
    Publication(Change<Publication>),
    /// `responsibilities`
    Responsibilities(Change<Responsibilities>),
    /// `term`
    Term(Change<Option<Term>>),
    /// `replaced_by`
    ReplacedBy(Change<Option<AgreementId>>),
    /// `costs.part_year`
    PartYear(Change<PartYear>),
    /// `costs.unit_price`
    UnitPrice(Change<Option<Money>>),
    /// `costs.purchases`
    Purchases(Change<Vec<Purchase>>),
    /// `costs.charges`
    Charges(Change<Vec<MemberCharge>>),
    /// `costs.grants`
    Grants(Change<Vec<Grant>>),
    /// `costs.assets`
    Assets(Change<Vec<Asset>>),
    /// `costs.baseline`
    Baseline(Change<Option<Money>>),
    /// `costs.savings`
    Savings(Change<Savings>),
    /// `costs.budgets[YEAR]`
    Budget(FinancialYear, Change<Option<Budget>>),
    /// `costs.formulas[DAY]`
    Formula(NaiveDate, Change<Option<Formula>>),
    /// `costs.usage[PARTY@YEAR]`
    Usage(PartyId, FinancialYear, Change<Option<Quantity>>),
    /// `members[PARTY@JOINED].role`
    Role(PartyId, PartialDate, Change<Role>),
}

impl AgreementChange {
    /// The field it changes.
    #[must_use]
    pub fn field(&self) -> AgreementField {
        match self {
            AgreementChange::Title(_) => AgreementField::Title,
            AgreementChange::Purpose(_) => AgreementField::Purpose,
            AgreementChange::LegalBasis(_) => AgreementField::LegalBasis,
            AgreementChange::Functions(_) => AgreementField::Functions,
            AgreementChange::PartOf(_) => AgreementField::PartOf,
            AgreementChange::End(_) => AgreementField::End,
            AgreementChange::Review(_) => AgreementField::Review,
            AgreementChange::Leaving(_) => AgreementField::Leaving,
            AgreementChange::Publication(_) => AgreementField::Publication,
            AgreementChange::Responsibilities(_) => AgreementField::Responsibilities,
            AgreementChange::Term(_) => AgreementField::Term,
            AgreementChange::ReplacedBy(_) => AgreementField::ReplacedBy,
            AgreementChange::PartYear(_) => AgreementField::PartYear,
            AgreementChange::UnitPrice(_) => AgreementField::UnitPrice,
            AgreementChange::Purchases(_) => AgreementField::Purchases,
            AgreementChange::Charges(_) => AgreementField::Charges,
            AgreementChange::Grants(_) => AgreementField::Grants,
            AgreementChange::Assets(_) => AgreementField::Assets,
            AgreementChange::Baseline(_) => AgreementField::Baseline,
            AgreementChange::Savings(_) => AgreementField::Savings,
            AgreementChange::Budget(year, _) => AgreementField::Budget(*year),
            AgreementChange::Formula(from, _) => AgreementField::Formula(*from),
            AgreementChange::Usage(party, year, _) => AgreementField::Usage(party.clone(), *year),
            AgreementChange::Role(party, joined, _) => AgreementField::Role(party.clone(), *joined),
        }
    }

    /// Every change between two versions of an agreement's terms, field by
    /// field, budgets, formulas and usage entry by entry, in field order.
    #[must_use]
    pub fn diff(before: &Terms, after: &Terms) -> Vec<AgreementChange> {
        let mut out = Vec::new();
        let (b, a) = (before, after);
        macro_rules! field {
            ($variant:ident, $get:expr) => {
                if let Some(c) = Change::between($get(b), $get(a)) {
                    out.push(AgreementChange::$variant(c));
                }
            };
        }
        field!(Title, |t: &Terms| t.title.clone());
        field!(Purpose, |t: &Terms| t.purpose.clone());
        field!(LegalBasis, |t: &Terms| t.legal_basis);
        field!(Functions, |t: &Terms| t.functions);
        field!(PartOf, |t: &Terms| t.part_of.clone());
        field!(End, |t: &Terms| t.end);
        field!(Review, |t: &Terms| t.review.clone());
        field!(Leaving, |t: &Terms| t.leaving.clone());
        field!(Publication, |t: &Terms| t.publication.clone());
        field!(Responsibilities, |t: &Terms| t.responsibilities.clone());
        field!(Term, |t: &Terms| t.term.clone());
        field!(ReplacedBy, |t: &Terms| t.replaced_by.clone());
        field!(PartYear, |t: &Terms| t.costs.part_year);
        field!(UnitPrice, |t: &Terms| t.costs.unit_price);
        field!(Purchases, |t: &Terms| t.costs.purchases.clone());
        field!(Charges, |t: &Terms| t.costs.charges.clone());
        field!(Grants, |t: &Terms| t.costs.grants.clone());
        field!(Assets, |t: &Terms| t.costs.assets.clone());
        field!(Baseline, |t: &Terms| t.costs.baseline);
        field!(Savings, |t: &Terms| t.costs.savings.clone());
        merge_keyed(
            &b.costs.budgets,
            &a.costs.budgets,
            |x| x.year,
            |year, c| out.push(AgreementChange::Budget(year, c)),
        );
        merge_keyed(
            &b.costs.formulas,
            &a.costs.formulas,
            |x| x.from,
            |from, c: Change<Option<super::costs::DatedFormula>>| {
                out.push(AgreementChange::Formula(
                    from,
                    Change::new(c.before.map(|d| d.formula), c.after.map(|d| d.formula)),
                ));
            },
        );
        merge_keyed(
            &b.costs.usage,
            &a.costs.usage,
            |x| (x.year, x.party.clone()),
            |(year, party), c: Change<Option<super::costs::Usage>>| {
                out.push(AgreementChange::Usage(
                    party,
                    year,
                    Change::new(c.before.map(|u| u.units), c.after.map(|u| u.units)),
                ));
            },
        );
        out
    }
}

impl Serialize for AgreementChange {
    #[allow(
        clippy::match_same_arms,
        reason = "each arm's change is of a different type"
    )]
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        match self {
            AgreementChange::Title(c) => write_change(s, &field, c),
            AgreementChange::Purpose(c) => write_change(s, &field, c),
            AgreementChange::LegalBasis(c) => write_change(s, &field, c),
            AgreementChange::Functions(c) => write_change(s, &field, c),
            AgreementChange::PartOf(c) => write_change(s, &field, c),
            AgreementChange::End(c) => write_change(s, &field, c),
            AgreementChange::Review(c) => write_change(s, &field, c),
            AgreementChange::Leaving(c) => write_change(s, &field, c),
            AgreementChange::Publication(c) => write_change(s, &field, c),
            AgreementChange::Responsibilities(c) => write_change(s, &field, c),
            AgreementChange::Term(c) => write_change(s, &field, c),
            AgreementChange::ReplacedBy(c) => write_change(s, &field, c),
            AgreementChange::PartYear(c) => write_change(s, &field, c),
            AgreementChange::UnitPrice(c) => write_change(s, &field, c),
            AgreementChange::Purchases(c) => write_change(s, &field, c),
            AgreementChange::Charges(c) => write_change(s, &field, c),
            AgreementChange::Grants(c) => write_change(s, &field, c),
            AgreementChange::Assets(c) => write_change(s, &field, c),
            AgreementChange::Baseline(c) => write_change(s, &field, c),
            AgreementChange::Savings(c) => write_change(s, &field, c),
            AgreementChange::Budget(_, c) => write_change(s, &field, c),
            AgreementChange::Formula(_, c) => write_change(s, &field, c),
            AgreementChange::Usage(_, _, c) => write_change(s, &field, c),
            AgreementChange::Role(_, _, c) => write_change(s, &field, c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PartyField;

    #[test]
    fn field_paths_read_back_from_what_they_write() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        let party = PartyId::new("derbyshire-police").ok();
        let year: Option<FinancialYear> = "2021/22".parse().ok();
        let (Some(party), Some(year)) = (party, year) else {
            panic!("test values")
        };
        let fields = [
            AgreementField::Title,
            AgreementField::End,
            AgreementField::Review,
            AgreementField::PartYear,
            AgreementField::Budget(year),
            AgreementField::Formula(d(2016, 4, 1)),
            AgreementField::Usage(party.clone(), year),
            AgreementField::Role(party, PartialDate::day(d(2012, 4, 1))),
        ];
        for field in fields {
            assert_eq!(
                field.to_string().parse::<AgreementField>().ok(),
                Some(field.clone())
            );
        }
        for bad in [
            "titel",
            "costs.budgets[2021]",
            "members[x].role",
            "members[a@2012-04-01]",
        ] {
            assert!(bad.parse::<AgreementField>().is_err(), "{bad}");
        }
        let metric = PartyField::Metric("officers".into(), year);
        assert_eq!(metric.to_string(), "metrics[officers@2021/22]");
        assert_eq!(metric.to_string().parse::<PartyField>().ok(), Some(metric));
    }
}
