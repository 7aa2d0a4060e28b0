//! Agreements: collaborations of two or more parties, of any size.

use chrono::NaiveDate;
use serde::Serialize;

use crate::amendment::Amendment;
use crate::costs::CostArrangement;
use crate::id::{AgreementId, PartyId};
use crate::membership::{Declined, Membership};
use crate::provenance::{Extra, Provenance};
use crate::review::ReviewPolicy;

/// A collaboration agreement between parties.
///
/// An agreement of any size is one record with one [`Membership`] per member
/// and period. Its status, reviews and amendments are kept as dated history,
/// never overwritten, so questions about the past keep their answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// The agreement's id.
    pub id: AgreementId,
    /// Its title; the register holds it even when the agreement is withheld.
    pub title: String,
    /// Its purpose or objective.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The law or instrument it is made under.
    pub legal_basis: LegalBasis,
    /// The functions it covers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// The umbrella (a regional programme or strategic alliance) it is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<AgreementId>,
    /// The day it starts.
    pub start: NaiveDate,
    /// The first day after it ends, if it has a fixed end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// Its status history, oldest first; the status on a day is the last
    /// change on or before it.
    pub status: Vec<StatusChange>,
    /// Members, one entry per party and period.
    pub members: Vec<Membership>,
    /// Invitations declined.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declined: Vec<Declined>,
    /// Who owns its assets and who employs its staff, where that is stated
    /// and differs from the lead or host.
    #[serde(skip_serializing_if = "Responsibilities::is_empty")]
    pub responsibilities: Responsibilities,
    /// How and when it is reviewed, and the reviews held.
    #[serde(skip_serializing_if = "ReviewPolicy::is_empty")]
    pub review: ReviewPolicy,
    /// The rules for a member that leaves.
    #[serde(skip_serializing_if = "LeavingRules::is_empty")]
    pub leaving: LeavingRules,
    /// Whether and how it is published.
    #[serde(skip_serializing_if = "Publication::is_unstated")]
    pub publication: Publication,
    /// Budgets, the sharing formula, the baseline and savings.
    #[serde(skip_serializing_if = "CostArrangement::is_empty")]
    pub costs: CostArrangement,
    /// Recorded variations, extensions and renewals.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<Amendment>,
    /// Where the facts come from and which are illustrative.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Agreement {
    /// The status on `date`, or `None` before the first recorded status.
    pub fn status_on(&self, date: NaiveDate) -> Option<Status> {
        self.status
            .iter()
            .take_while(|change| change.from <= date)
            .last()
            .map(|change| change.status)
    }

    /// The status on `date` as the register stood on `register_date`.
    pub fn status_on_as_recorded(
        &self,
        date: NaiveDate,
        register_date: NaiveDate,
    ) -> Option<Status> {
        self.status
            .iter()
            .filter(|change| change.recorded.unwrap_or(change.from) <= register_date)
            .take_while(|change| change.from <= date)
            .last()
            .map(|change| change.status)
    }

    /// The memberships in force on `date`.
    pub fn members_on(&self, date: NaiveDate) -> impl Iterator<Item = &Membership> + '_ {
        self.members.iter().filter(move |m| m.is_member_on(date))
    }

    /// Whether `party` is a member on `date`.
    pub fn is_member(&self, party: &str, date: NaiveDate) -> bool {
        self.members_on(date).any(|m| m.party == party)
    }

    /// Whether the agreement covers `function`.
    pub fn covers(&self, function: Function) -> bool {
        self.functions.contains(&function)
    }
}

/// The law or instrument an agreement is made under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LegalBasis {
    /// Section 22A of the Police Act 1996: police collaboration agreements.
    Section22aPoliceAct1996,
    /// Section 23A of the Police Act 1996: joint support services between policing bodies.
    Section23aPoliceAct1996,
    /// The emergency-services collaboration duty of the Policing and Crime Act 2017.
    PolicingAndCrimeAct2017,
    /// A contract.
    Contract,
    /// A memorandum of understanding.
    MemorandumOfUnderstanding,
    /// Anything else, or not stated by the source.
    Other,
}

impl LegalBasis {
    /// Every legal basis, in file order.
    pub const ALL: [LegalBasis; 6] = [
        LegalBasis::Section22aPoliceAct1996,
        LegalBasis::Section23aPoliceAct1996,
        LegalBasis::PolicingAndCrimeAct2017,
        LegalBasis::Contract,
        LegalBasis::MemorandumOfUnderstanding,
        LegalBasis::Other,
    ];

    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            LegalBasis::Section22aPoliceAct1996 => "section_22a_police_act_1996",
            LegalBasis::Section23aPoliceAct1996 => "section_23a_police_act_1996",
            LegalBasis::PolicingAndCrimeAct2017 => "policing_and_crime_act_2017",
            LegalBasis::Contract => "contract",
            LegalBasis::MemorandumOfUnderstanding => "memorandum_of_understanding",
            LegalBasis::Other => "other",
        }
    }
}

macro_rules! functions {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// A function an agreement covers: a closed list of common policing
        /// and support functions, and `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Function {
            $(#[doc = $doc] $variant,)*
        }

        impl Function {
            /// Every function, in file order.
            pub const ALL: &'static [Function] = &[$(Function::$variant,)*];

            /// The name used in files, such as `roads_policing`.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Function::$variant => $name,)*
                }
            }
        }
    };
}

functions! {
    ArmedPolicing => "armed_policing", "Armed policing and firearms operations.";
    MajorCrime => "major_crime", "Major crime investigation.";
    SeriousOrganisedCrime => "serious_organised_crime", "Serious and organised crime.";
    CounterTerrorism => "counter_terrorism", "Counter terrorism.";
    CivilContingencies => "civil_contingencies", "Civil contingencies.";
    PublicOrder => "public_order", "Public order.";
    RoadsPolicing => "roads_policing", "Roads policing.";
    Dogs => "dogs", "Dog units.";
    EconomicCrime => "economic_crime", "Economic crime.";
    CyberCrime => "cyber_crime", "Cyber crime.";
    Forensics => "forensics", "Forensic services.";
    Intelligence => "intelligence", "Intelligence.";
    ProfessionalStandards => "professional_standards", "Professional standards.";
    ControlRoom => "control_room", "Control rooms.";
    PublicContact => "public_contact", "Public contact and contact management.";
    Custody => "custody", "Custody.";
    CrimeRecording => "crime_recording", "Crime recording.";
    FirearmsLicensing => "firearms_licensing", "Firearms and explosives licensing.";
    MissingPersons => "missing_persons", "Searching for missing people.";
    RoadTrafficCollisions => "road_traffic_collisions", "Responding to road traffic collisions.";
    Prevention => "prevention", "Prevention and community safety.";
    HumanResources => "human_resources", "Human resources.";
    LearningAndDevelopment => "learning_and_development", "Learning, development and training.";
    Ict => "ict", "Information and communications technology.";
    Finance => "finance", "Finance.";
    Procurement => "procurement", "Procurement.";
    Fleet => "fleet", "Fleet and vehicles.";
    Estates => "estates", "Estates, facilities and shared buildings.";
    Legal => "legal", "Legal services.";
    Other => "other", "Any other function.";
}

/// The lifecycle state of an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Proposed, not yet in force.
    Proposed,
    /// In force.
    Active,
    /// In force and under review.
    UnderReview,
    /// Suspended.
    Suspended,
    /// Ended for good.
    Terminated,
}

impl Status {
    /// Every status, in file order.
    pub const ALL: [Status; 5] = [
        Status::Proposed,
        Status::Active,
        Status::UnderReview,
        Status::Suspended,
        Status::Terminated,
    ];

    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Active => "active",
            Status::UnderReview => "under_review",
            Status::Suspended => "suspended",
            Status::Terminated => "terminated",
        }
    }

    /// Whether the agreement is in force: active or under review.
    pub fn is_in_force(&self) -> bool {
        matches!(self, Status::Active | Status::UnderReview)
    }
}

/// A dated change of status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusChange {
    /// The new status.
    pub status: Status,
    /// The day it takes effect.
    pub from: NaiveDate,
    /// The day it was entered in the register, if later than `from`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<NaiveDate>,
    /// Why, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Who owns an agreement's assets and who employs its staff: with the lead
/// and host roles these are four different answers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Responsibilities {
    /// The party that owns the assets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_owner: Option<PartyId>,
    /// The party that employs the staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<PartyId>,
}

impl Responsibilities {
    /// Whether neither is stated.
    pub fn is_empty(&self) -> bool {
        self.asset_owner.is_none() && self.employer.is_none()
    }
}

/// The rules for a member that leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LeavingRules {
    /// Months of notice a member must give before it can withdraw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_months: Option<u32>,
    /// Whether withdrawal takes effect only at the end of a financial year.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub align_to_financial_year_end: bool,
    /// Whether a leaver pays the others' reasonable exit costs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub leaver_pays_exit_costs: bool,
    /// How a member's share is worked out for a year it joins or leaves in.
    #[serde(skip_serializing_if = "PartYear::is_default")]
    pub part_year: PartYear,
}

impl LeavingRules {
    /// Whether nothing is stated.
    pub fn is_empty(&self) -> bool {
        *self == LeavingRules::default()
    }
}

/// How a member that joins or leaves part-way through a financial year shares
/// that year's costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PartYear {
    /// In proportion to the days it was a member.
    #[default]
    ProRataByDays,
    /// A full share for any year it was a member in at all.
    WholeYear,
}

impl PartYear {
    fn is_default(&self) -> bool {
        *self == PartYear::default()
    }

    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            PartYear::ProRataByDays => "pro_rata_by_days",
            PartYear::WholeYear => "whole_year",
        }
    }
}

/// Whether and how an agreement is published.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Publication {
    /// How much of it is published.
    pub level: PublicationLevel,
    /// Why it is withheld or only summarised (an exemption).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Publication {
    /// Whether nothing is recorded about publication.
    pub fn is_unstated(&self) -> bool {
        self.level == PublicationLevel::NotRecorded && self.reason.is_none()
    }
}

/// How much of an agreement is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PublicationLevel {
    /// The register does not say.
    #[default]
    NotRecorded,
    /// Published in full.
    Full,
    /// Published in summary.
    Summary,
    /// Only the title and objective are published.
    TitleAndObjective,
    /// Withheld, for the stated reason.
    Withheld,
}

impl PublicationLevel {
    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            PublicationLevel::NotRecorded => "not_recorded",
            PublicationLevel::Full => "full",
            PublicationLevel::Summary => "summary",
            PublicationLevel::TitleAndObjective => "title_and_objective",
            PublicationLevel::Withheld => "withheld",
        }
    }
}
