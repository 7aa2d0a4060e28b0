//! Governance bodies: boards and committees with seats and decision rules.

use serde::{Serialize, Serializer};
use std::fmt;

use crate::id::{AgreementId, BodyId, PartyId};
use crate::money::Money;
use crate::provenance::{Extra, Provenance};

/// A board or committee that governs one or more agreements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GovernanceBody {
    /// The body's id.
    pub id: BodyId,
    /// Its name.
    pub name: String,
    /// What sort of body it is.
    pub kind: BodyKind,
    /// The agreements it governs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub governs: Vec<AgreementId>,
    /// Its seats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub seats: Vec<Seat>,
    /// How it decides.
    pub decision_rule: DecisionRule,
    /// The body it reports to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports_to: Option<BodyId>,
    /// What it may decide alone: its scheme of delegation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub delegated_limits: Vec<DelegatedLimit>,
    /// Where the facts come from and which are illustrative.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The sort of governance body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BodyKind {
    /// A joint committee.
    JointCommittee,
    /// A strategic board.
    StrategicBoard,
    /// A joint management board.
    JointManagementBoard,
    /// A delivery board.
    DeliveryBoard,
    /// Anything else.
    Other,
}

impl BodyKind {
    /// Every kind, in file order.
    pub const ALL: [BodyKind; 5] = [
        BodyKind::JointCommittee,
        BodyKind::StrategicBoard,
        BodyKind::JointManagementBoard,
        BodyKind::DeliveryBoard,
        BodyKind::Other,
    ];

    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            BodyKind::JointCommittee => "joint_committee",
            BodyKind::StrategicBoard => "strategic_board",
            BodyKind::JointManagementBoard => "joint_management_board",
            BodyKind::DeliveryBoard => "delivery_board",
            BodyKind::Other => "other",
        }
    }
}

/// A seat on a body, held by a party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seat {
    /// The party holding the seat.
    pub party: PartyId,
    /// The seat's role.
    pub role: SeatRole,
    /// Votes the seat casts (observers and advisers usually have none).
    pub votes: u32,
}

/// The role of a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SeatRole {
    /// The chair.
    Chair,
    /// The vice chair.
    ViceChair,
    /// A member.
    Member,
    /// An adviser.
    Adviser,
    /// An observer.
    Observer,
}

impl SeatRole {
    /// Every role, in file order.
    pub const ALL: [SeatRole; 5] = [
        SeatRole::Chair,
        SeatRole::ViceChair,
        SeatRole::Member,
        SeatRole::Adviser,
        SeatRole::Observer,
    ];

    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            SeatRole::Chair => "chair",
            SeatRole::ViceChair => "vice_chair",
            SeatRole::Member => "member",
            SeatRole::Adviser => "adviser",
            SeatRole::Observer => "observer",
        }
    }
}

/// A fraction such as `2/3`, written that way in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    /// The numerator.
    pub numerator: u32,
    /// The denominator, never zero.
    pub denominator: u32,
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

impl Serialize for Fraction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How a body decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DecisionRule {
    /// Every vote cast in favour.
    Unanimity,
    /// More than half of the votes.
    SimpleMajority,
    /// At least the stated fraction of the votes, such as 2/3.
    QualifiedMajority {
        /// The fraction of votes needed.
        at_least: Fraction,
    },
    /// Votes weighted by each seat-holder's cost share in the governed
    /// agreement; passes with at least the stated fraction of the weight.
    WeightedByCostShare {
        /// The fraction of weight needed.
        at_least: Fraction,
    },
}

impl fmt::Display for DecisionRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecisionRule::Unanimity => f.write_str("unanimity"),
            DecisionRule::SimpleMajority => f.write_str("simple majority"),
            DecisionRule::QualifiedMajority { at_least } => {
                write!(f, "qualified majority of at least {at_least} of the votes")
            }
            DecisionRule::WeightedByCostShare { at_least } => {
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
pub struct DelegatedLimit {
    /// What it may decide, such as `spending` or `virement`.
    pub matter: String,
    /// The most it may commit without referring upwards.
    pub limit: Money,
}
