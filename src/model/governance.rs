//! Governance bodies: boards and committees with dated seats, the agreements
//! they govern, the bodies they report to, and how they decide.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

use super::amendment::{Amendment, Change, FieldError, write_change};
use super::id::{AgreementId, BodyId, PartyId};
use super::keyword::keywords;
use super::money::Money;
use super::provenance::Provenance;
use super::spell::Spell;
use super::unknown::Extra;

keywords! {
    /// The sort of governance body.
    pub enum BodyKind ("body kind") {
        /// A joint committee.
        JointCommittee => "joint_committee",
        /// A strategic board.
        StrategicBoard => "strategic_board",
        /// A joint management board.
        JointManagementBoard => "joint_management_board",
        /// A delivery board.
        DeliveryBoard => "delivery_board",
        /// Anything else.
        Other => "other",
    }
}

keywords! {
    /// The role of a seat.
    pub enum SeatRole ("seat role") {
        /// The chair.
        Chair => "chair",
        /// The vice chair.
        ViceChair => "vice_chair",
        /// A member.
        Member => "member",
        /// An adviser.
        Adviser => "adviser",
        /// An observer.
        Observer => "observer",
    }
}

/// A seat on a body, held by a party for a spell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Seat {
    /// The party holding the seat.
    pub party: PartyId,
    /// The seat's role.
    pub role: SeatRole,
    /// Votes the seat casts (observers and advisers usually have none).
    pub votes: u32,
    /// When it is held.
    #[serde(flatten)]
    pub spell: Spell,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Seat {
    /// A seat held by `party` in `role` with `votes`, for `spell`.
    #[must_use]
    pub fn new(party: PartyId, role: SeatRole, votes: u32, spell: Spell) -> Self {
        Seat {
            party,
            role,
            votes,
            spell,
            extra: Extra::new(),
        }
    }
}

/// A body governing an agreement for a spell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Governs {
    /// The agreement governed.
    pub agreement: AgreementId,
    /// When.
    #[serde(flatten)]
    pub spell: Spell,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Governs {
    /// Governs `agreement` during `spell`.
    #[must_use]
    pub fn new(agreement: AgreementId, spell: Spell) -> Self {
        Governs {
            agreement,
            spell,
            extra: Extra::new(),
        }
    }

    /// Whether a file writes it as the agreement's id alone: undated, with
    /// no unknown fields.
    pub(crate) fn is_plain(&self) -> bool {
        self.spell == Spell::always() && self.extra.is_empty()
    }
}

/// A body reporting to another for a spell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ReportsTo {
    /// The body reported to.
    pub body: BodyId,
    /// When.
    #[serde(flatten)]
    pub spell: Spell,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ReportsTo {
    /// Reports to `body` during `spell`.
    #[must_use]
    pub fn new(body: BodyId, spell: Spell) -> Self {
        ReportsTo {
            body,
            spell,
            extra: Extra::new(),
        }
    }

    /// Whether a file writes `lines` as the one body's id alone: a single
    /// line, undated, with no unknown fields.
    pub(crate) fn is_plain(lines: &[ReportsTo]) -> bool {
        matches!(lines, [one] if one.spell == Spell::always() && one.extra.is_empty())
    }
}

/// A fraction such as `2/3`, written that way in files: greater than zero
/// and at most one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    numerator: u32,
    denominator: u32,
}

impl Fraction {
    /// `numerator / denominator`.
    ///
    /// # Errors
    ///
    /// A message when the fraction is zero, above one, or has a zero
    /// denominator.
    pub fn new(numerator: u32, denominator: u32) -> Result<Self, FractionError> {
        if denominator == 0 || numerator == 0 || numerator > denominator {
            Err(FractionError(format!("{numerator}/{denominator}")))
        } else {
            Ok(Fraction {
                numerator,
                denominator,
            })
        }
    }

    /// The numerator.
    #[must_use]
    pub const fn numerator(&self) -> u32 {
        self.numerator
    }

    /// The denominator, never zero.
    #[must_use]
    pub const fn denominator(&self) -> u32 {
        self.denominator
    }
}

/// A fraction that could not be read or made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid fraction {0:?}: expected a fraction such as \"2/3\", greater than 0 and at most 1"
)]
pub struct FractionError(String);

impl std::str::FromStr for Fraction {
    type Err = FractionError;
    fn from_str(text: &str) -> Result<Self, FractionError> {
        let bad = || FractionError(text.chars().take(40).collect());
        let (n, d) = text.split_once('/').ok_or_else(bad)?;
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(n) || !digits(d) {
            return Err(bad());
        }
        let numerator: u32 = n.parse().map_err(|_| bad())?;
        let denominator: u32 = d.parse().map_err(|_| bad())?;
        Fraction::new(numerator, denominator).map_err(|_| bad())
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

impl Serialize for Fraction {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Fraction {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How a body decides. Every rule measures against the body's whole voting
/// strength on the day: an abstention or an absence is not a vote in favour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DecisionRule {
    /// Every vote cast in favour.
    #[non_exhaustive]
    Unanimity {
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
    /// More than half of the votes.
    #[non_exhaustive]
    SimpleMajority {
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
    /// At least the stated fraction of the votes, such as 2/3.
    #[non_exhaustive]
    QualifiedMajority {
        /// The fraction of votes needed.
        at_least: Fraction,
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
    /// Votes weighted by each seat-holder's cost share of the agreements the
    /// body governs (a commissioner's by the shares of the parties it
    /// oversees); passes with at least the stated fraction of the weight.
    #[non_exhaustive]
    WeightedByCostShare {
        /// The fraction of weight needed.
        at_least: Fraction,
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
}

impl DecisionRule {
    /// Every vote cast in favour.
    #[must_use]
    pub fn unanimity() -> Self {
        DecisionRule::Unanimity {
            extra: Extra::new(),
        }
    }

    /// More than half of the votes.
    #[must_use]
    pub fn simple_majority() -> Self {
        DecisionRule::SimpleMajority {
            extra: Extra::new(),
        }
    }

    /// At least `at_least` of the votes.
    #[must_use]
    pub fn qualified_majority(at_least: Fraction) -> Self {
        DecisionRule::QualifiedMajority {
            at_least,
            extra: Extra::new(),
        }
    }

    /// At least `at_least` of the weight, weighted by cost share.
    #[must_use]
    pub fn weighted_by_cost_share(at_least: Fraction) -> Self {
        DecisionRule::WeightedByCostShare {
            at_least,
            extra: Extra::new(),
        }
    }

    /// The name used in files.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            DecisionRule::Unanimity { .. } => "unanimity",
            DecisionRule::SimpleMajority { .. } => "simple_majority",
            DecisionRule::QualifiedMajority { .. } => "qualified_majority",
            DecisionRule::WeightedByCostShare { .. } => "weighted_by_cost_share",
        }
    }
}

impl fmt::Display for DecisionRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecisionRule::Unanimity { .. } => f.write_str("unanimity"),
            DecisionRule::SimpleMajority { .. } => f.write_str("simple majority"),
            DecisionRule::QualifiedMajority { at_least, .. } => {
                write!(f, "qualified majority of at least {at_least} of the votes")
            }
            DecisionRule::WeightedByCostShare { at_least, .. } => {
                write!(
                    f,
                    "votes weighted by cost share, at least {at_least} of the weight"
                )
            }
        }
    }
}

/// A decision a body may take alone, up to a limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DelegatedLimit {
    /// What it may decide, such as `spending` or `virement`.
    pub matter: String,
    /// The most it may commit without referring upwards.
    pub limit: Money,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DelegatedLimit {
    /// It may decide `matter` up to `limit`.
    #[must_use]
    pub fn new(matter: impl Into<String>, limit: Money) -> Self {
        DelegatedLimit {
            matter: matter.into(),
            limit,
            extra: Extra::new(),
        }
    }
}

/// What an amendment of a body can change: its name, kind, decision rule
/// and scheme of delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BodyTerms {
    /// Its name.
    pub name: String,
    /// What sort of body it is.
    pub kind: BodyKind,
    /// How it decides.
    pub decision_rule: DecisionRule,
    /// What it may decide alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub delegated_limits: Vec<DelegatedLimit>,
}

/// A board or committee that governs one or more agreements.
///
/// Its seats, the agreements it governs and the bodies it reports to are
/// dated spells, so a board is counted with the seats of the day asked.
#[derive(Debug, Clone, PartialEq)]
pub struct GovernanceBody {
    pub(crate) id: BodyId,
    pub(crate) terms: BodyTerms,
    pub(crate) governs: Vec<Governs>,
    pub(crate) seats: Vec<Seat>,
    pub(crate) reports_to: Vec<ReportsTo>,
    pub(crate) amendments: Vec<Amendment<BodyChange>>,
    pub(crate) entered: Option<NaiveDate>,
    pub(crate) provenance: Provenance,
    pub(crate) extra: Extra,
}

impl GovernanceBody {
    /// Starts a body with the values every body has.
    ///
    /// ```
    /// use collab_registry::model::{BodyId, BodyKind, DecisionRule, GovernanceBody, Seat, SeatRole, Spell, PartyId};
    /// let board = GovernanceBody::builder(BodyId::new("em-regional-meeting")?, "Regional meeting", BodyKind::StrategicBoard, DecisionRule::unanimity())
    ///     .seat(Seat::new(PartyId::new("derbyshire-pcc")?, SeatRole::Member, 1, Spell::always()))
    ///     .build()?;
    /// assert_eq!(board.seats().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(
        id: BodyId,
        name: impl Into<String>,
        kind: BodyKind,
        decision_rule: DecisionRule,
    ) -> BodyBuilder {
        BodyBuilder {
            body: GovernanceBody {
                id,
                terms: BodyTerms {
                    name: name.into(),
                    kind,
                    decision_rule,
                    delegated_limits: Vec::new(),
                },
                governs: Vec::new(),
                seats: Vec::new(),
                reports_to: Vec::new(),
                amendments: Vec::new(),
                entered: None,
                provenance: Provenance::default(),
                extra: Extra::new(),
            },
        }
    }

    /// The body's id.
    #[must_use]
    pub fn id(&self) -> &BodyId {
        &self.id
    }

    /// Its name as it now stands.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.terms.name
    }

    /// Its kind as it now stands.
    #[must_use]
    pub fn kind(&self) -> BodyKind {
        self.terms.kind
    }

    /// Its decision rule as it now stands.
    #[must_use]
    pub fn decision_rule(&self) -> &DecisionRule {
        &self.terms.decision_rule
    }

    /// Its amendable terms as they now stand.
    #[must_use]
    pub fn terms(&self) -> &BodyTerms {
        &self.terms
    }

    /// The agreements it governs, with dates.
    #[must_use]
    pub fn governs(&self) -> &[Governs] {
        &self.governs
    }

    /// Its seats, with dates.
    #[must_use]
    pub fn seats(&self) -> &[Seat] {
        &self.seats
    }

    /// The bodies it reports to, with dates.
    #[must_use]
    pub fn reports_to(&self) -> &[ReportsTo] {
        &self.reports_to
    }

    /// Its amendments, in the order entered.
    #[must_use]
    pub fn amendments(&self) -> &[Amendment<BodyChange>] {
        &self.amendments
    }

    /// The day the record was entered, if stated; a body without one has
    /// always been known.
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

/// Builds a [`GovernanceBody`]; see [`GovernanceBody::builder`]. Setters
/// may come in any order; [`BodyBuilder::build`] checks the whole record.
#[derive(Debug, Clone)]
#[must_use]
pub struct BodyBuilder {
    pub(crate) body: GovernanceBody,
}

impl BodyBuilder {
    /// An agreement it governs.
    pub fn governs(mut self, governs: Governs) -> Self {
        self.body.governs.push(governs);
        self
    }

    /// A seat.
    pub fn seat(mut self, seat: Seat) -> Self {
        self.body.seats.push(seat);
        self
    }

    /// A body it reports to.
    pub fn reports_to(mut self, reports_to: ReportsTo) -> Self {
        self.body.reports_to.push(reports_to);
        self
    }

    /// A decision it may take alone.
    pub fn delegated_limit(mut self, limit: DelegatedLimit) -> Self {
        self.body.terms.delegated_limits.push(limit);
        self
    }

    /// The day it was entered in the register.
    pub fn entered(mut self, day: NaiveDate) -> Self {
        self.body.entered = Some(day);
        self
    }

    /// Where its facts come from.
    pub fn provenance(mut self, provenance: Provenance) -> Self {
        self.body.provenance = provenance;
        self
    }

    /// Fields this version of the crate does not know.
    pub fn extra(mut self, extra: Extra) -> Self {
        self.body.extra = extra;
        self
    }
}

/// An undated link is written as the id alone, as a hand-written file would
/// have it; a dated one as an object.
struct GovernsOut<'a>(&'a [Governs]);

impl Serialize for GovernsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for g in self.0 {
            if g.is_plain() {
                seq.serialize_element(&g.agreement)?;
            } else {
                seq.serialize_element(g)?;
            }
        }
        seq.end()
    }
}

impl Serialize for GovernanceBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let t = &self.terms;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("name", &t.name)?;
        map.serialize_entry("kind", &t.kind)?;
        if !self.governs.is_empty() {
            map.serialize_entry("governs", &GovernsOut(&self.governs))?;
        }
        if !self.seats.is_empty() {
            map.serialize_entry("seats", &self.seats)?;
        }
        map.serialize_entry("decision_rule", &t.decision_rule)?;
        match self.reports_to.as_slice() {
            [] => {}
            [one] if ReportsTo::is_plain(&self.reports_to) => {
                map.serialize_entry("reports_to", &one.body)?;
            }
            all => map.serialize_entry("reports_to", all)?,
        }
        if !t.delegated_limits.is_empty() {
            map.serialize_entry("delegated_limits", &t.delegated_limits)?;
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

/// The field of a body a [`BodyChange`] changes: `name`, `kind`,
/// `decision_rule` or `delegated_limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum BodyField {
    /// `name`
    Name,
    /// `kind`
    Kind,
    /// `decision_rule`
    DecisionRule,
    /// `delegated_limits`
    DelegatedLimits,
}

impl fmt::Display for BodyField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BodyField::Name => "name",
            BodyField::Kind => "kind",
            BodyField::DecisionRule => "decision_rule",
            BodyField::DelegatedLimits => "delegated_limits",
        })
    }
}

impl FromStr for BodyField {
    type Err = FieldError;
    fn from_str(path: &str) -> Result<Self, FieldError> {
        Ok(match path {
            "name" => BodyField::Name,
            "kind" => BodyField::Kind,
            "decision_rule" => BodyField::DecisionRule,
            "delegated_limits" => BodyField::DelegatedLimits,
            _ => {
                return Err(FieldError::new(
                    path,
                    "name, kind, decision_rule, delegated_limits",
                ));
            }
        })
    }
}

/// One change an amendment made to a governance body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyChange {
    /// `name`
    Name(Change<String>),
    /// `kind`
    Kind(Change<BodyKind>),
    /// `decision_rule`
    DecisionRule(Change<DecisionRule>),
    /// `delegated_limits`
    DelegatedLimits(Change<Vec<DelegatedLimit>>),
}

impl BodyChange {
    /// The field it changes.
    #[must_use]
    pub fn field(&self) -> BodyField {
        match self {
            BodyChange::Name(_) => BodyField::Name,
            BodyChange::Kind(_) => BodyField::Kind,
            BodyChange::DecisionRule(_) => BodyField::DecisionRule,
            BodyChange::DelegatedLimits(_) => BodyField::DelegatedLimits,
        }
    }

    /// Every change between two versions of a body's terms.
    #[must_use]
    pub fn diff(before: &BodyTerms, after: &BodyTerms) -> Vec<BodyChange> {
        let mut out = Vec::new();
        if let Some(c) = Change::between(before.name.clone(), after.name.clone()) {
            out.push(BodyChange::Name(c));
        }
        if let Some(c) = Change::between(before.kind, after.kind) {
            out.push(BodyChange::Kind(c));
        }
        if let Some(c) = Change::between(before.decision_rule.clone(), after.decision_rule.clone())
        {
            out.push(BodyChange::DecisionRule(c));
        }
        if let Some(c) = Change::between(
            before.delegated_limits.clone(),
            after.delegated_limits.clone(),
        ) {
            out.push(BodyChange::DelegatedLimits(c));
        }
        out
    }
}

impl Serialize for BodyChange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        match self {
            BodyChange::Name(c) => write_change(s, &field, c),
            BodyChange::Kind(c) => write_change(s, &field, c),
            BodyChange::DecisionRule(c) => write_change(s, &field, c),
            BodyChange::DelegatedLimits(c) => write_change(s, &field, c),
        }
    }
}
