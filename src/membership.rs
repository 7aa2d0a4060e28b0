//! Memberships: a party's place in an agreement, with a role and dates.

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::Period;
use crate::id::PartyId;
use crate::provenance::Extra;

/// A party's place in an agreement for one period.
///
/// A party that leaves and later rejoins has two memberships. Each date has
/// two kinds of time: the day it takes effect (the field itself) and the day
/// it was entered in the register ([`Membership::recorded`]), so an audit can
/// ask what the register said on a given day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    /// The member.
    pub party: PartyId,
    /// Its role.
    pub role: Role,
    /// The first day of membership.
    pub joined: NaiveDate,
    /// The first day it is no longer a member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<NaiveDate>,
    /// The day it served notice to withdraw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_served: Option<NaiveDate>,
    /// When each date was entered in the register, where that differs from
    /// the day it took effect.
    #[serde(skip_serializing_if = "Recorded::is_empty")]
    pub recorded: Recorded,
    /// Whether the dates are illustrative rather than sourced.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Membership {
    /// The half-open period of membership, `[joined, left)`.
    pub fn period(&self) -> Period {
        Period {
            start: self.joined,
            end: self.left,
        }
    }

    /// Whether the party is a member on `date`.
    pub fn is_member_on(&self, date: NaiveDate) -> bool {
        self.period().contains(date)
    }

    /// Whether the party was a member on `date` as the register stood on
    /// `register_date`: facts entered after `register_date` are not yet known.
    pub fn is_member_on_as_recorded(&self, date: NaiveDate, register_date: NaiveDate) -> bool {
        if self.recorded.joined.unwrap_or(self.joined) > register_date {
            return false;
        }
        let left_known = self
            .left
            .filter(|left| self.recorded.left.unwrap_or(*left) <= register_date);
        self.joined <= date && left_known.is_none_or(|left| date < left)
    }

    /// Whether the role leads or hosts the agreement.
    pub fn leads_or_hosts(&self) -> bool {
        matches!(self.role, Role::Lead | Role::Host)
    }
}

/// The days on which membership facts were entered in the register; an
/// absent day means the fact was entered on the day it took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Recorded {
    /// When the joining was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joined: Option<NaiveDate>,
    /// When the notice was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_served: Option<NaiveDate>,
    /// When the leaving was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<NaiveDate>,
}

impl Recorded {
    /// Whether no entry day differs from its effect day.
    pub fn is_empty(&self) -> bool {
        self.joined.is_none() && self.notice_served.is_none() && self.left.is_none()
    }
}

/// A member's role in an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The lead force or body.
    Lead,
    /// The host, which houses the service or employs its staff.
    Host,
    /// A full member.
    Member,
    /// An associate member, taking part in some of it.
    Associate,
    /// An observer, without a share of costs or a vote.
    Observer,
}

impl Role {
    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Host => "host",
            Role::Member => "member",
            Role::Associate => "associate",
            Role::Observer => "observer",
        }
    }
}

/// An invitation to join that a party declined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Declined {
    /// The party that declined.
    pub party: PartyId,
    /// When it declined, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<NaiveDate>,
    /// Any note, such as the source's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
