//! Parties: the organisations that sign or take part in agreements.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

use super::amendment::{Amendment, Change, FieldError, at_key, keyed, merge_keyed, write_change};
use super::dates::FinancialYear;
use super::id::PartyId;
use super::keyword::keywords;
use super::money::Quantity;
use super::provenance::Provenance;
use super::spell::Spell;
use super::unknown::Extra;

keywords! {
    /// The sort of organisation a party is.
    pub enum PartyKind ("party kind") {
        /// A territorial police force (its chief constable).
        PoliceForce => "police_force",
        /// A police and crime commissioner, a police, fire and crime
        /// commissioner or a mayor's office for policing.
        PolicingBody => "policing_body",
        /// A fire and rescue service or authority.
        FireAndRescue => "fire_and_rescue",
        /// An ambulance service trust.
        Ambulance => "ambulance",
        /// A county, district or unitary council, or a combined authority.
        LocalAuthority => "local_authority",
        /// A health body.
        Health => "health",
        /// An education body.
        Education => "education",
        /// A national body: Home Office, College of Policing, NCA, national programmes.
        NationalBody => "national_body",
        /// A criminal justice partner.
        CriminalJustice => "criminal_justice",
        /// A charity or voluntary organisation.
        ThirdSector => "third_sector",
        /// Anything else.
        Other => "other",
    }
}

keywords! {
    /// The sector a party belongs to, for cross-sector questions. Police
    /// forces and policing bodies are different sectors: a force and its
    /// commissioner collaborating is not a collaboration with another sector
    /// of public service, but the register still tells them apart.
    pub enum Sector ("sector") {
        /// Territorial police forces.
        Police => "police",
        /// Commissioners and other policing bodies.
        PolicingBody => "policing_body",
        /// Fire and rescue.
        FireAndRescue => "fire_and_rescue",
        /// Ambulance services.
        Ambulance => "ambulance",
        /// Councils and combined authorities.
        LocalGovernment => "local_government",
        /// Health.
        Health => "health",
        /// Education.
        Education => "education",
        /// National bodies.
        National => "national",
        /// Criminal justice.
        CriminalJustice => "criminal_justice",
        /// Charities and voluntary organisations.
        ThirdSector => "third_sector",
        /// Anything else.
        Other => "other",
    }
}

impl PartyKind {
    /// The sector the kind belongs to.
    ///
    /// ```
    /// use collab_registry::model::{PartyKind, Sector};
    /// assert_eq!(PartyKind::PoliceForce.sector(), Sector::Police);
    /// assert_eq!(PartyKind::PolicingBody.sector(), Sector::PolicingBody);
    /// assert_eq!(PartyKind::LocalAuthority.sector(), Sector::LocalGovernment);
    /// ```
    #[must_use]
    pub const fn sector(&self) -> Sector {
        match self {
            PartyKind::PoliceForce => Sector::Police,
            PartyKind::PolicingBody => Sector::PolicingBody,
            PartyKind::FireAndRescue => Sector::FireAndRescue,
            PartyKind::Ambulance => Sector::Ambulance,
            PartyKind::LocalAuthority => Sector::LocalGovernment,
            PartyKind::Health => Sector::Health,
            PartyKind::Education => Sector::Education,
            PartyKind::NationalBody => Sector::National,
            PartyKind::CriminalJustice => Sector::CriminalJustice,
            PartyKind::ThirdSector => Sector::ThirdSector,
            PartyKind::Other => Sector::Other,
        }
    }
}

/// An identifier of the party in another register, in the org-id.guide
/// convention: a scheme code (`GB-LAE`, `GB-GOR`, `GB-COH`) and an id in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct ExternalId {
    /// The scheme code, such as `GB-LAE`.
    pub scheme: String,
    /// The id within the scheme.
    pub id: String,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ExternalId {
    /// An id in `scheme`.
    #[must_use]
    pub fn new(scheme: impl Into<String>, id: impl Into<String>) -> Self {
        ExternalId {
            scheme: scheme.into(),
            id: id.into(),
            extra: Extra::new(),
        }
    }
}

/// A dated oversight link: `by` oversees the party during `spell`.
///
/// Oversight is dated because it moves: governance of a fire and rescue
/// service can pass from a county council to a commissioner on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Oversight {
    /// The overseeing party (a policing body or an authority).
    pub by: PartyId,
    /// When it applies, and when that was entered.
    #[serde(flatten)]
    pub spell: Spell,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Oversight {
    /// `by` oversees the party during `spell`.
    #[must_use]
    pub fn new(by: PartyId, spell: Spell) -> Self {
        Oversight {
            by,
            spell,
            extra: Extra::new(),
        }
    }
}

/// One yearly figure of a party: `net_revenue_expenditure`, `population`,
/// `officers` or any named metric, that cost formulas can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Metric {
    /// `metric` is `value` in `year`.
    #[must_use]
    pub fn new(metric: impl Into<String>, year: FinancialYear, value: Quantity) -> Self {
        Metric {
            metric: metric.into(),
            year,
            value,
            illustrative: false,
            extra: Extra::new(),
        }
    }
}

/// What an amendment of a party can change: its name, kind, region, the
/// corporation sole that signs for it, and its yearly metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PartyTerms {
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
    /// Yearly figures that cost formulas can use, by metric then year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
}

impl PartyTerms {
    /// The value of `metric` for `year`, if recorded. **O(log n)** in the
    /// metrics, which are kept sorted by metric then year.
    #[must_use]
    pub fn metric(&self, metric: &str, year: FinancialYear) -> Option<&Metric> {
        self.metrics
            .binary_search_by(|m| (m.metric.as_str(), m.year).cmp(&(metric, year)))
            .ok()
            .and_then(|i| self.metrics.get(i))
    }

    /// Sets `metric` for `year`, keeping the list sorted.
    pub fn set_metric(&mut self, metric: Metric) {
        match self.metrics.binary_search_by(|m| {
            (m.metric.as_str(), m.year).cmp(&(metric.metric.as_str(), metric.year))
        }) {
            Ok(at) => {
                if let Some(slot) = self.metrics.get_mut(at) {
                    *slot = metric;
                }
            }
            Err(at) => self.metrics.insert(at, metric),
        }
    }
}

/// An organisation that can sign or take part in an agreement.
///
/// In law a police collaboration agreement is signed by corporations sole:
/// the chief constable of each force and its policing body sign separately.
/// A police force party stands for its chief constable, and its policing body
/// is a party of its own that [oversees](Party::overseen_by) it; see
/// [`AsOf::signatories`](crate::AsOf::signatories).
///
/// The record holds its current terms; amendments keep what they replaced,
/// so the party as of any day is [`AsOf::party`](crate::AsOf::party).
///
/// ```
/// use collab_registry::model::{Party, PartyId, PartyKind};
/// let pcc = Party::builder(PartyId::new("northamptonshire-pcc")?, "Northamptonshire Police and Crime Commissioner", PartyKind::PolicingBody)
///     .region("East Midlands")
///     .build()?;
/// assert_eq!(pcc.name(), "Northamptonshire Police and Crime Commissioner");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub(crate) id: PartyId,
    pub(crate) terms: PartyTerms,
    pub(crate) identifiers: Vec<ExternalId>,
    pub(crate) overseen_by: Vec<Oversight>,
    pub(crate) amendments: Vec<Amendment<PartyChange>>,
    pub(crate) entered: Option<NaiveDate>,
    pub(crate) provenance: Provenance,
    pub(crate) extra: Extra,
}

impl Party {
    /// Starts a party with the values every party has.
    pub fn builder(id: PartyId, name: impl Into<String>, kind: PartyKind) -> PartyBuilder {
        PartyBuilder {
            party: Party {
                id,
                terms: PartyTerms {
                    name: name.into(),
                    kind,
                    region: None,
                    signs_as: None,
                    metrics: Vec::new(),
                },
                identifiers: Vec::new(),
                overseen_by: Vec::new(),
                amendments: Vec::new(),
                entered: None,
                provenance: Provenance::default(),
                extra: Extra::new(),
            },
        }
    }

    /// The party's id.
    #[must_use]
    pub fn id(&self) -> &PartyId {
        &self.id
    }

    /// Its name as it now stands.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.terms.name
    }

    /// What sort of organisation it is, as it now stands.
    #[must_use]
    pub fn kind(&self) -> PartyKind {
        self.terms.kind
    }

    /// Its region, as it now stands.
    #[must_use]
    pub fn region(&self) -> Option<&str> {
        self.terms.region.as_deref()
    }

    /// The corporation sole that signs for it, as it now stands.
    #[must_use]
    pub fn signs_as(&self) -> Option<&str> {
        self.terms.signs_as.as_deref()
    }

    /// Its amendable terms as they now stand.
    #[must_use]
    pub fn terms(&self) -> &PartyTerms {
        &self.terms
    }

    /// The value of `metric` for `year`, as it now stands.
    #[must_use]
    pub fn metric(&self, metric: &str, year: FinancialYear) -> Option<Quantity> {
        self.terms.metric(metric, year).map(|m| m.value)
    }

    /// Identifiers in other registers (org-id.guide schemes).
    #[must_use]
    pub fn identifiers(&self) -> &[ExternalId] {
        &self.identifiers
    }

    /// The parties that oversee it, with dates.
    #[must_use]
    pub fn overseen_by(&self) -> &[Oversight] {
        &self.overseen_by
    }

    /// Its amendments, in the order entered.
    #[must_use]
    pub fn amendments(&self) -> &[Amendment<PartyChange>] {
        &self.amendments
    }

    /// The day the record was entered in the register, if stated; a party
    /// without one has always been known.
    #[must_use]
    pub fn entered(&self) -> Option<NaiveDate> {
        self.entered
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
}

/// Builds a [`Party`]; see [`Party::builder`]. Setters may come in any
/// order; [`PartyBuilder::build`] checks the whole record. (`build` is
/// written beside the rules it runs, in the crate's rulebook.)
#[derive(Debug, Clone)]
#[must_use]
pub struct PartyBuilder {
    pub(crate) party: Party,
}

impl PartyBuilder {
    /// Its region, such as `East Midlands`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.party.terms.region = Some(region.into());
        self
    }

    /// The corporation sole that signs for it.
    pub fn signs_as(mut self, signs_as: impl Into<String>) -> Self {
        self.party.terms.signs_as = Some(signs_as.into());
        self
    }

    /// An identifier in another register.
    pub fn identifier(mut self, id: ExternalId) -> Self {
        self.party.identifiers.push(id);
        self
    }

    /// A party overseeing it.
    pub fn overseen_by(mut self, oversight: Oversight) -> Self {
        self.party.overseen_by.push(oversight);
        self
    }

    /// A yearly metric.
    pub fn metric(mut self, metric: Metric) -> Self {
        self.party.terms.set_metric(metric);
        self
    }

    /// The day it was entered in the register.
    pub fn entered(mut self, day: NaiveDate) -> Self {
        self.party.entered = Some(day);
        self
    }

    /// Where its facts come from.
    pub fn provenance(mut self, provenance: Provenance) -> Self {
        self.party.provenance = provenance;
        self
    }

    /// Fields this version of the crate does not know.
    pub fn extra(mut self, extra: Extra) -> Self {
        self.party.extra = extra;
        self
    }
}

impl Serialize for Party {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let t = &self.terms;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("name", &t.name)?;
        map.serialize_entry("kind", &t.kind)?;
        if let Some(region) = &t.region {
            map.serialize_entry("region", region)?;
        }
        if let Some(signs_as) = &t.signs_as {
            map.serialize_entry("signs_as", signs_as)?;
        }
        if !self.identifiers.is_empty() {
            map.serialize_entry("identifiers", &self.identifiers)?;
        }
        if !self.overseen_by.is_empty() {
            map.serialize_entry("overseen_by", &self.overseen_by)?;
        }
        if !t.metrics.is_empty() {
            map.serialize_entry("metrics", &t.metrics)?;
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

/// The field of a party a [`PartyChange`] changes: `name`, `kind`,
/// `region`, `signs_as` or `metrics[METRIC@YEAR]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PartyField {
    /// `name`
    Name,
    /// `kind`
    Kind,
    /// `region`
    Region,
    /// `signs_as`
    SignsAs,
    /// `metrics[METRIC@YEAR]`
    Metric(String, FinancialYear),
}

impl fmt::Display for PartyField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartyField::Name => f.write_str("name"),
            PartyField::Kind => f.write_str("kind"),
            PartyField::Region => f.write_str("region"),
            PartyField::SignsAs => f.write_str("signs_as"),
            PartyField::Metric(metric, year) => write!(f, "metrics[{metric}@{year}]"),
        }
    }
}

impl FromStr for PartyField {
    type Err = FieldError;
    fn from_str(path: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(path, "name, kind, region, signs_as, metrics[METRIC@YEAR]");
        Ok(match path {
            "name" => PartyField::Name,
            "kind" => PartyField::Kind,
            "region" => PartyField::Region,
            "signs_as" => PartyField::SignsAs,
            _ => {
                let key = keyed(path, "metrics", "").ok_or_else(bad)?;
                let (metric, year) = at_key(key).ok_or_else(bad)?;
                if metric.trim().is_empty() {
                    return Err(bad());
                }
                PartyField::Metric(metric.to_string(), year.parse().map_err(|_| bad())?)
            }
        })
    }
}

/// One change an amendment made to a party, with the value before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartyChange {
    /// `name`: a police and crime commissioner that became a police, fire
    /// and crime commissioner, say.
    Name(Change<String>),
    /// `kind`
    Kind(Change<PartyKind>),
    /// `region`
    Region(Change<Option<String>>),
    /// `signs_as`
    SignsAs(Change<Option<String>>),
    /// `metrics[METRIC@YEAR]`
    Metric(String, FinancialYear, Change<Option<Quantity>>),
}

impl PartyChange {
    /// The field it changes.
    #[must_use]
    pub fn field(&self) -> PartyField {
        match self {
            PartyChange::Name(_) => PartyField::Name,
            PartyChange::Kind(_) => PartyField::Kind,
            PartyChange::Region(_) => PartyField::Region,
            PartyChange::SignsAs(_) => PartyField::SignsAs,
            PartyChange::Metric(metric, year, _) => PartyField::Metric(metric.clone(), *year),
        }
    }

    /// Every change between two versions of a party's terms.
    #[must_use]
    pub fn diff(before: &PartyTerms, after: &PartyTerms) -> Vec<PartyChange> {
        let mut out = Vec::new();
        if let Some(c) = Change::between(before.name.clone(), after.name.clone()) {
            out.push(PartyChange::Name(c));
        }
        if let Some(c) = Change::between(before.kind, after.kind) {
            out.push(PartyChange::Kind(c));
        }
        if let Some(c) = Change::between(before.region.clone(), after.region.clone()) {
            out.push(PartyChange::Region(c));
        }
        if let Some(c) = Change::between(before.signs_as.clone(), after.signs_as.clone()) {
            out.push(PartyChange::SignsAs(c));
        }
        merge_keyed(
            &before.metrics,
            &after.metrics,
            |m| (m.metric.clone(), m.year),
            |(metric, year), c: Change<Option<Metric>>| {
                let (b, a) = (c.before.map(|m| m.value), c.after.map(|m| m.value));
                if b != a {
                    out.push(PartyChange::Metric(metric, year, Change::new(b, a)));
                }
            },
        );
        out
    }
}

impl Serialize for PartyChange {
    #[allow(
        clippy::match_same_arms,
        reason = "each arm's change is of a different type"
    )]
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        match self {
            PartyChange::Name(c) => write_change(s, &field, c),
            PartyChange::Kind(c) => write_change(s, &field, c),
            PartyChange::Region(c) => write_change(s, &field, c),
            PartyChange::SignsAs(c) => write_change(s, &field, c),
            PartyChange::Metric(_, _, c) => write_change(s, &field, c),
        }
    }
}
