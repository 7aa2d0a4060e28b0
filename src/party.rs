//! Parties: the organisations that sign or take part in agreements.

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::{FinancialYear, Period};
use crate::id::PartyId;
use crate::money::Quantity;
use crate::provenance::{Extra, Provenance};

/// An organisation that can sign or take part in an agreement.
///
/// In law a police collaboration agreement is signed by corporations sole:
/// the chief constable of each force and its policing body sign separately.
/// A police force party stands for its chief constable, and its policing body
/// is a party of its own, linked by [`Party::overseen_by`]; see
/// [`Registry::signatories`](crate::Registry::signatories).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Party {
    /// The party's id.
    pub id: PartyId,
    /// Its name as published.
    pub name: String,
    /// What sort of organisation it is.
    pub kind: PartyKind,
    /// The region it belongs to, such as `East Midlands`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The corporation sole that signs for it, such as
    /// `Chief Constable of Northamptonshire Police`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signs_as: Option<String>,
    /// Identifiers in other registers (org-id.guide schemes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<ExternalId>,
    /// The policing bodies or authorities that oversee it, with dates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overseen_by: Vec<Oversight>,
    /// Yearly figures that cost formulas can use.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    /// Where the facts come from and which are illustrative.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Fields this version of the crate does not know, kept for the round trip.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Party {
    /// The value of `metric` for `year`, if recorded.
    pub fn metric(&self, metric: &str, year: FinancialYear) -> Option<Quantity> {
        self.metrics
            .iter()
            .find(|m| m.metric == metric && m.year == year)
            .map(|m| m.value)
    }

    /// The parties overseeing this one on `date`.
    pub fn overseers_on(&self, date: NaiveDate) -> impl Iterator<Item = &PartyId> + '_ {
        self.overseen_by
            .iter()
            .filter(move |o| o.period().contains(date))
            .map(|o| &o.by)
    }
}

/// The sort of organisation a party is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartyKind {
    /// A territorial police force (its chief constable).
    PoliceForce,
    /// A police and crime commissioner, a police, fire and crime commissioner
    /// or a mayor's office for policing.
    PolicingBody,
    /// A fire and rescue service or authority.
    FireAndRescue,
    /// An ambulance service trust.
    Ambulance,
    /// A county, district or unitary council.
    LocalAuthority,
    /// A health body.
    Health,
    /// An education body.
    Education,
    /// A national body: Home Office, College of Policing, NCA, national programmes.
    NationalBody,
    /// A criminal justice partner.
    CriminalJustice,
    /// A charity or voluntary organisation.
    ThirdSector,
    /// Anything else.
    Other,
}

impl PartyKind {
    /// Every kind, in file order.
    pub const ALL: [PartyKind; 11] = [
        PartyKind::PoliceForce,
        PartyKind::PolicingBody,
        PartyKind::FireAndRescue,
        PartyKind::Ambulance,
        PartyKind::LocalAuthority,
        PartyKind::Health,
        PartyKind::Education,
        PartyKind::NationalBody,
        PartyKind::CriminalJustice,
        PartyKind::ThirdSector,
        PartyKind::Other,
    ];

    /// The name used in files, such as `police_force`.
    pub fn as_str(&self) -> &'static str {
        match self {
            PartyKind::PoliceForce => "police_force",
            PartyKind::PolicingBody => "policing_body",
            PartyKind::FireAndRescue => "fire_and_rescue",
            PartyKind::Ambulance => "ambulance",
            PartyKind::LocalAuthority => "local_authority",
            PartyKind::Health => "health",
            PartyKind::Education => "education",
            PartyKind::NationalBody => "national_body",
            PartyKind::CriminalJustice => "criminal_justice",
            PartyKind::ThirdSector => "third_sector",
            PartyKind::Other => "other",
        }
    }

    /// The sector the kind belongs to, for cross-sector questions: policing
    /// bodies count as policing.
    pub fn sector(&self) -> &'static str {
        match self {
            PartyKind::PoliceForce | PartyKind::PolicingBody => "policing",
            other => other.as_str(),
        }
    }
}

/// An identifier of the party in another register, in the org-id.guide
/// convention: a scheme code (`GB-LAE`, `GB-GOR`, `GB-COH`) and an id in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ExternalId {
    /// The scheme code, such as `GB-LAE`.
    pub scheme: String,
    /// The id within the scheme.
    pub id: String,
}

/// A dated oversight link: `by` oversees the party from `from` until `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Oversight {
    /// The overseeing party (a policing body or an authority).
    pub by: PartyId,
    /// The first day of oversight; absent when it has always applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The first day it no longer applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

impl Oversight {
    /// The half-open period of oversight.
    pub fn period(&self) -> Period {
        Period {
            start: self.from.unwrap_or(NaiveDate::MIN),
            end: self.until,
        }
    }
}

/// One yearly figure of a party: `net_revenue_expenditure`, `population`,
/// `officers` or any named metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metric {
    /// The metric's name.
    pub metric: String,
    /// The financial year it is for.
    pub year: FinancialYear,
    /// The value.
    pub value: Quantity,
    /// Whether the value is illustrative rather than sourced.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
}
