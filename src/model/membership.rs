//! Memberships: a party's place in an agreement, with a role and dates.

use chrono::NaiveDate;
use serde::Serialize;

use super::dates::{PartialDate, Period};
use super::id::PartyId;
use super::keyword::keywords;
use super::unknown::Extra;

keywords! {
    /// A member's role in an agreement. Lead and host are roles of members,
    /// so a lead that is not a member cannot be written.
    pub enum Role ("role") {
        /// The lead force or body.
        Lead => "lead",
        /// The host, which houses the service or employs its staff.
        Host => "host",
        /// A full member.
        Member => "member",
        /// An associate member, taking part in some of it.
        Associate => "associate",
        /// An observer, without a share of costs or a vote.
        Observer => "observer",
    }
}

impl Role {
    /// Whether the role leads or hosts the agreement.
    #[must_use]
    pub const fn leads_or_hosts(&self) -> bool {
        matches!(self, Role::Lead | Role::Host)
    }

    /// Whether the role shares costs and counts towards the two members an
    /// agreement in force needs: every role but observer.
    #[must_use]
    pub const fn takes_part(&self) -> bool {
        !matches!(self, Role::Observer)
    }

    /// Lead and host first, then the rest in file order: the order members
    /// are listed in.
    #[must_use]
    pub const fn rank(&self) -> u8 {
        match self {
            Role::Lead => 0,
            Role::Host => 1,
            Role::Member => 2,
            Role::Associate => 3,
            Role::Observer => 4,
        }
    }
}

/// The days on which membership facts were entered in the register; an
/// absent day means the fact was entered on the day it took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[non_exhaustive]
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
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.joined.is_none() && self.notice_served.is_none() && self.left.is_none()
    }
}

/// What few memberships carry, kept out of line so a membership stays small.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Rare {
    notice_served: Option<NaiveDate>,
    recorded: Recorded,
    /// Unknown fields of the `recorded` object.
    recorded_extra: Extra,
    extra: Extra,
}

/// A party's place in an agreement for one period, `[joined, left)`.
///
/// A party that leaves and later rejoins has two memberships. Each date has
/// two kinds of time: the day it takes effect and the day it was entered in
/// the register ([`Membership::recorded`]), so an audit can ask what the
/// register said on a given day. Dates known only to a month or a year count
/// from their first day.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::{Membership, PartyId, Role};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let m = Membership::new(PartyId::new("derbyshire-police")?, Role::Member, d(2012, 4, 1))
///     .with_notice(d(2015, 9, 30))
///     .with_left(d(2016, 4, 1));
/// assert!(m.is_member_on(d(2016, 3, 31)) && !m.is_member_on(d(2016, 4, 1)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    party: PartyId,
    joined: PartialDate,
    left: Option<PartialDate>,
    role: Role,
    illustrative: bool,
    rare: Option<Box<Rare>>,
}

impl Membership {
    /// `party` joins in `role` on `joined`.
    #[must_use]
    pub fn new(party: PartyId, role: Role, joined: impl Into<PartialDate>) -> Self {
        Membership {
            party,
            joined: joined.into(),
            left: None,
            role,
            illustrative: false,
            rare: None,
        }
    }

    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Drops the out-of-line part when it holds nothing.
    fn tidy(&mut self) {
        if self.rare.as_deref().is_some_and(|r| *r == Rare::default()) {
            self.rare = None;
        }
    }

    /// The same membership, ending on `left` (the first day it is no longer
    /// a member).
    #[must_use]
    pub fn with_left(mut self, left: impl Into<PartialDate>) -> Self {
        self.left = Some(left.into());
        self
    }

    /// The same membership, with notice served on `day`.
    #[must_use]
    pub fn with_notice(mut self, day: NaiveDate) -> Self {
        self.rare_mut().notice_served = Some(day);
        self
    }

    /// The same membership, with the days its facts were entered.
    #[must_use]
    pub fn with_recorded(mut self, recorded: Recorded) -> Self {
        self.rare_mut().recorded = recorded;
        self.tidy();
        self
    }

    /// The same membership, its joining entered on `day`.
    #[must_use]
    pub fn entered(mut self, day: NaiveDate) -> Self {
        self.rare_mut().recorded.joined = Some(day);
        self
    }

    /// The same membership, marked illustrative: its dates are not from a source.
    #[must_use]
    pub fn illustrative(mut self) -> Self {
        self.illustrative = true;
        self
    }

    /// The same membership, with fields this version of the crate does not know.
    #[must_use]
    pub fn with_extra(mut self, extra: Extra) -> Self {
        self.rare_mut().extra = extra;
        self.tidy();
        self
    }

    /// The member.
    #[must_use]
    pub fn party(&self) -> &PartyId {
        &self.party
    }

    /// Its role as it now stands (an amendment can change a role; the role
    /// on a day is read through [`AsOf`](crate::AsOf)).
    #[must_use]
    pub fn role(&self) -> Role {
        self.role
    }

    /// The first day of membership, as stated.
    #[must_use]
    pub fn joined(&self) -> PartialDate {
        self.joined
    }

    /// The first day it is no longer a member, if it leaves.
    #[must_use]
    pub fn left(&self) -> Option<PartialDate> {
        self.left
    }

    /// The day it served notice to withdraw.
    #[must_use]
    pub fn notice_served(&self) -> Option<NaiveDate> {
        self.rare.as_ref().and_then(|r| r.notice_served)
    }

    /// When each date was entered, where that differs from the day it took effect.
    #[must_use]
    pub fn recorded(&self) -> Recorded {
        self.rare.as_ref().map(|r| r.recorded).unwrap_or_default()
    }

    /// Whether the dates are illustrative rather than sourced.
    #[must_use]
    pub fn is_illustrative(&self) -> bool {
        self.illustrative
    }

    /// Fields this version of the crate does not know.
    #[must_use]
    pub fn extra(&self) -> &Extra {
        static NONE: Extra = Extra::new();
        self.rare.as_ref().map_or(&NONE, |r| &r.extra)
    }

    /// Fields this version of the crate does not know inside `recorded`.
    #[must_use]
    pub fn recorded_extra(&self) -> &Extra {
        static NONE: Extra = Extra::new();
        self.rare.as_ref().map_or(&NONE, |r| &r.recorded_extra)
    }

    /// The same membership, with unknown fields inside its `recorded` object.
    #[must_use]
    pub fn with_recorded_extra(mut self, extra: Extra) -> Self {
        self.rare_mut().recorded_extra = extra;
        self.tidy();
        self
    }

    /// The half-open period of membership, `[joined, left)`, counting each
    /// date from its first day; `None` when the dates as stated leave no
    /// day (joined and left in the same year, say).
    #[must_use]
    pub fn period(&self) -> Option<Period> {
        Period::new(self.joined.first_day(), self.left.map(|l| l.first_day())).ok()
    }

    /// Whether the party is a member on `date`, whatever the register knew when.
    #[must_use]
    pub fn is_member_on(&self, date: NaiveDate) -> bool {
        self.joined.first_day() <= date && self.left.is_none_or(|l| date < l.first_day())
    }

    /// Whether either date is known only to a month or a year.
    #[must_use]
    pub fn is_approximate(&self) -> bool {
        !self.joined.is_exact() || self.left.is_some_and(|l| !l.is_exact())
    }

    /// The day the joining was entered.
    #[must_use]
    pub fn joined_entered(&self) -> NaiveDate {
        self.recorded().joined.unwrap_or(self.joined.first_day())
    }

    pub(crate) fn set_left(&mut self, left: Option<PartialDate>, recorded: Option<NaiveDate>) {
        self.left = left;
        self.rare_mut().recorded.left = recorded;
        self.tidy();
    }

    pub(crate) fn set_notice(&mut self, served: Option<NaiveDate>, recorded: Option<NaiveDate>) {
        let rare = self.rare_mut();
        rare.notice_served = served;
        rare.recorded.notice_served = recorded;
        self.tidy();
    }

    /// Points the membership at `id`, the same id sharing one allocation.
    pub(crate) fn share_party(&mut self, id: PartyId) {
        if self.party == id {
            self.party = id;
        }
    }

    pub(crate) fn set_role(&mut self, role: Role) {
        self.role = role;
    }
}

impl Serialize for Membership {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let recorded = self.recorded();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("party", &self.party)?;
        map.serialize_entry("role", &self.role)?;
        map.serialize_entry("joined", &self.joined)?;
        if let Some(left) = &self.left {
            map.serialize_entry("left", left)?;
        }
        if let Some(served) = self.notice_served() {
            map.serialize_entry("notice_served", &served)?;
        }
        if !recorded.is_empty() || !self.recorded_extra().is_empty() {
            map.serialize_entry(
                "recorded",
                &RecordedOut {
                    recorded,
                    extra: self.recorded_extra(),
                },
            )?;
        }
        if self.illustrative {
            map.serialize_entry("illustrative", &true)?;
        }
        for (k, v) in self.extra().iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct RecordedOut<'a> {
    #[serde(flatten)]
    recorded: Recorded,
    #[serde(flatten)]
    extra: &'a Extra,
}

/// An invitation to join that a party declined: a fact worth keeping
/// (Derbyshire and Lincolnshire declined the 2015 alliance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Declined {
    /// The party that declined.
    pub party: PartyId,
    /// When it declined, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<PartialDate>,
    /// The day it was entered in the register, if later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<NaiveDate>,
    /// Any note, such as the source's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Declined {
    /// `party` declined, on a day if known.
    #[must_use]
    pub fn new(party: PartyId, on: Option<PartialDate>) -> Self {
        Declined {
            party,
            on,
            recorded: None,
            note: None,
            extra: Extra::new(),
        }
    }
}
