//! Whether a proposal passes before a governance body on a day, under the
//! body's decision rule of that day, counting the seats held that day.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::model::{Currency, DecisionRule, Fraction, Money, PartyId};

use super::AsOf;
use super::answer::{BodyRef, PartyRef, opt_money};

/// How a seat-holder votes on a proposal. A seat-holder that casts no
/// ballot is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Vote {
    /// In favour.
    For,
    /// Against.
    Against,
    /// Present, but neither for nor against.
    Abstain,
}

impl Vote {
    /// The name used on the command line and in JSON.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Vote::For => "for",
            Vote::Against => "against",
            Vote::Abstain => "abstain",
        }
    }
}

/// What the caller gives [`AsOf::decide`] to weigh the ballots with.
///
/// A body whose rule is [`DecisionRule::WeightedByCostShare`] needs
/// [`Weighing::CostShare`]: each party's cost share as money, by party id.
/// Every other rule counts votes, and ignores any shares given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Weighing<'a> {
    /// Each seat's votes.
    Votes,
    /// Each voting party's cost share, by party id, all in one currency and
    /// none negative. Shares of parties without a voting seat on the day
    /// are checked but weigh nothing (they pay but do not vote).
    CostShare(&'a [(&'a str, Money)]),
}

/// What a [`Decision`]'s numbers count: votes, or cost share in minor
/// units of a currency. Serialises as `{"unit": "votes"}` or
/// `{"unit": "cost_share", "currency": "GBP"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "currency")]
#[non_exhaustive]
pub enum TallyUnit {
    /// Each seat's votes.
    Votes,
    /// Each voting party's cost share, in minor units of the currency.
    CostShare(Currency),
}

/// One seat-holder's part in a [`Decision`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Ballot<'r> {
    /// The party holding one or more seats on the day.
    pub party: PartyRef<'r>,
    /// How it voted; `None` when it cast no ballot (absent).
    pub vote: Option<Vote>,
    /// The votes of its seats held on the day, summed.
    pub votes: u64,
    /// What it weighs in the tally: its votes, or its cost share in minor
    /// units (0 for a party with no voting seat, or no share given).
    pub weight: u64,
    /// Its cost share, under a rule weighted by cost share, when given.
    #[serde(serialize_with = "opt_money")]
    pub share: Option<Money>,
}

/// The outcome of a proposal before a body on a day, with the tally behind
/// it ([`AsOf::decide`]).
///
/// ## What counts as passing
///
/// Every rule is measured against the **whole voting strength of the body
/// on the day**, not only the ballots cast: the register records no quorum
/// or attendance rule, and counting only the ballots cast would let a
/// single vote carry a board of ten. So an abstention and an absence both
/// count as "not in favour".
///
/// - The seats are those held on the day ([`BodyView::seats`](crate::time::BodyView::seats));
///   a seat casts its [`Seat::votes`](crate::model::Seat::votes), and a party
///   holding several seats casts them all the same way. Seats with no votes
///   (advisers, observers) are not part of the strength; their ballots are
///   accepted and listed as [`Decision::without_vote`].
/// - The rule is the body's rule on the day
///   ([`BodyView::decision_rule`](crate::time::BodyView::decision_rule)).
/// - [`DecisionRule::Unanimity`]: every vote of the body is in favour; one
///   abstention or absence blocks.
/// - [`DecisionRule::SimpleMajority`]: more than half of the body's votes
///   are in favour; a tie fails.
/// - [`DecisionRule::QualifiedMajority`]: at least the fraction of the
///   body's votes, so exactly 2/3 passes a 2/3 rule.
/// - [`DecisionRule::WeightedByCostShare`]: each party holding a seat with
///   votes weighs its cost share (once, however many seats), given by the
///   caller as [`Weighing::CostShare`], and at least the fraction of the
///   total weight is in favour. Voting parties with no share given weigh
///   nothing and are listed as [`Decision::unweighted`].
///
/// Comparisons are exact: `in_favour × denominator ≥ total × numerator` in
/// 128-bit integers, never floating point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Decision<'r> {
    /// The body, with its name on the day.
    pub body: BodyRef<'r>,
    /// Its rule on the day.
    pub rule: &'r DecisionRule,
    /// Whether the proposal passes.
    pub passes: bool,
    /// What the numbers count.
    pub weighing: TallyUnit,
    /// Weight in favour.
    pub in_favour: u64,
    /// Weight against.
    pub against: u64,
    /// Weight that abstained.
    pub abstained: u64,
    /// Weight that cast no ballot.
    pub absent: u64,
    /// The body's whole voting weight on the day.
    pub total: u64,
    /// The least weight in favour that passes.
    pub needed: u64,
    /// Every party holding a seat on the day, by id.
    pub ballots: Vec<Ballot<'r>>,
    /// Parties whose ballots carry no weight: they hold only seats without
    /// votes. By id.
    pub without_vote: Vec<PartyRef<'r>>,
    /// Voting parties with no cost share given, so no weight (weighted rule
    /// only). By id.
    pub unweighted: Vec<PartyRef<'r>>,
}

/// Whether `part / total ≥ f`, exactly.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "a product of two u64 values always fits in a u128"
)]
fn reaches(part: u64, total: u64, f: Fraction) -> bool {
    u128::from(part) * u128::from(f.denominator()) >= u128::from(total) * u128::from(f.numerator())
}

/// The least `part` with `part / total ≥ f`: `⌈total × n / d⌉`, at most
/// `total` since a fraction is at most 1.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "a product of two u64 values always fits in a u128, and a fraction's denominator is non-zero"
)]
fn least_reaching(total: u64, f: Fraction) -> u64 {
    let product = u128::from(total) * u128::from(f.numerator());
    let least = product.div_ceil(u128::from(f.denominator()));
    u64::try_from(least).unwrap_or(total)
}

impl<'r> AsOf<'r> {
    /// Whether a proposal passes before `body` on the day with these
    /// `votes`, and the tally. `votes` are `(party id, vote)` pairs, one per
    /// voting party; a seat-holder not listed is absent. `weighing` gives
    /// the cost shares a rule weighted by cost share needs; every other rule
    /// counts votes and ignores shares. (The cost layer works the shares out
    /// from the agreements the body governs and calls this.)
    ///
    /// See [`Decision`] for what counts as passing under each rule.
    ///
    /// **O((s + v + c) log s)** for s seats, v votes and c shares.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::UnknownId`] for a body or voter the register did not know;
    /// - [`ErrorKind::NotAMember`] when a voter holds no seat on the day;
    /// - [`ErrorKind::InvalidValue`] when a party votes twice, or a share
    ///   is negative or given twice;
    /// - [`ErrorKind::MissingCostInput`] when the rule weighs by cost share
    ///   and no shares are given, or no voting party's share is above zero;
    /// - [`ErrorKind::NothingToAsk`] when no seat held on the day has a vote;
    /// - [`ErrorKind::Money`] when shares mix currencies or their sum overflows.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::questions::{Vote, Weighing};
    /// let registry = collab_registry::sample()?;
    /// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
    /// // The joint management board decides by two thirds of its ten seats.
    /// let mut votes: Vec<(&str, Vote)> = on.body("em-joint-management-board")?
    ///     .seats().map(|s| (s.party.as_str(), Vote::For)).collect();
    /// votes[0].1 = Vote::Against;
    /// votes[1].1 = Vote::Against;
    /// votes[2].1 = Vote::Abstain;
    /// let decision = on.decide("em-joint-management-board", &votes, Weighing::Votes)?;
    /// assert_eq!((decision.in_favour, decision.needed, decision.passes), (7, 7, true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[allow(
        clippy::too_many_lines,
        reason = "the tally under each decision rule and weighing, in one place so the rules read side by side"
    )]
    pub fn decide(
        &self,
        body: &str,
        votes: &[(&str, Vote)],
        weighing: Weighing<'_>,
    ) -> Result<Decision<'r>, Error> {
        let view = self.body(body)?;
        let date = self.date();
        let refuse = |kind: ErrorKind, target: &str, reason: String| {
            Error::refused(kind, "decide", target, date, reason).body(body)
        };

        // Each party seated on the day, its votes summed over its seats.
        let mut seats: BTreeMap<&'r PartyId, u64> = BTreeMap::new();
        for seat in view.seats() {
            let n = seats.entry(&seat.party).or_default();
            *n = n.saturating_add(u64::from(seat.votes));
        }
        let mut ballots: BTreeMap<&'r PartyId, Vote> = BTreeMap::new();
        for (voter, vote) in votes {
            let key = self.party_key(voter)?;
            let target = format!("{voter} on {body}");
            let Some((party, _)) = self
                .party_view(key)
                .and_then(|p| seats.get_key_value(p.id()))
            else {
                return Err(refuse(
                    ErrorKind::NotAMember,
                    &target,
                    format!("{voter} holds no seat on {body} that day"),
                )
                .party(voter));
            };
            if ballots.insert(party, *vote).is_some() {
                return Err(refuse(
                    ErrorKind::InvalidValue,
                    &target,
                    format!("{voter} voted more than once"),
                )
                .party(voter));
            }
        }

        let rule = view.decision_rule();
        let (unit, weights) = match (rule, weighing) {
            (DecisionRule::WeightedByCostShare { .. }, Weighing::CostShare(shares)) => {
                let (currency, weights) =
                    cost_weights(&seats, shares).map_err(|(kind, reason)| {
                        refuse(kind, &format!("shares for {body}"), reason)
                    })?;
                (TallyUnit::CostShare(currency), weights)
            }
            (DecisionRule::WeightedByCostShare { .. }, Weighing::Votes) => {
                return Err(refuse(
                    ErrorKind::MissingCostInput,
                    &format!("shares for {body}"),
                    format!("{body} weighs votes by cost share, but no cost shares were given"),
                ));
            }
            _ => (
                TallyUnit::Votes,
                seats.iter().map(|(p, v)| (*p, (*v, None))).collect(),
            ),
        };

        let overflow = || {
            refuse(
                ErrorKind::Money,
                body,
                "the weights add up to more than 64 bits hold".to_string(),
            )
        };
        let mut tally = [0u64; 4];
        let mut rows: Vec<Ballot<'r>> = Vec::with_capacity(seats.len());
        let mut without_vote = Vec::new();
        let mut unweighted = Vec::new();
        for (party, votes) in &seats {
            let ballot = ballots.get(party).copied();
            let (weight, share) = weights.get(party).copied().unwrap_or((0, None));
            let slot = match ballot {
                Some(Vote::For) => tally.get_mut(0),
                Some(Vote::Against) => tally.get_mut(1),
                Some(Vote::Abstain) => tally.get_mut(2),
                None => tally.get_mut(3),
            };
            if let Some(slot) = slot {
                *slot = slot.checked_add(weight).ok_or_else(overflow)?;
            }
            if *votes == 0 && ballot.is_some() {
                without_vote.push(self.party_ref(party));
            }
            if *votes > 0 && share.is_none() && matches!(unit, TallyUnit::CostShare(_)) {
                unweighted.push(self.party_ref(party));
            }
            rows.push(Ballot {
                party: self.party_ref(party),
                vote: ballot,
                votes: *votes,
                weight,
                share,
            });
        }
        let [in_favour, against, abstained, absent] = tally;
        let total = tally
            .iter()
            .try_fold(0u64, |sum, w| sum.checked_add(*w))
            .ok_or_else(overflow)?;
        if total == 0 {
            return Err(match unit {
                TallyUnit::Votes => refuse(
                    ErrorKind::NothingToAsk,
                    body,
                    format!("{body} holds no seat with a vote that day"),
                ),
                TallyUnit::CostShare(_) => refuse(
                    ErrorKind::MissingCostInput,
                    &format!("shares for {body}"),
                    format!("no party with a vote on {body} has a cost share above zero"),
                ),
            });
        }
        let (passes, needed) = match rule {
            DecisionRule::Unanimity { .. } => (in_favour == total, total),
            DecisionRule::SimpleMajority { .. } => (
                u128::from(in_favour) * 2 > u128::from(total),
                (total / 2).saturating_add(1),
            ),
            DecisionRule::QualifiedMajority { at_least, .. }
            | DecisionRule::WeightedByCostShare { at_least, .. } => (
                reaches(in_favour, total, *at_least),
                least_reaching(total, *at_least),
            ),
        };
        Ok(Decision {
            body: BodyRef::new(view.record().id(), view.name()),
            rule,
            passes,
            weighing: unit,
            in_favour,
            against,
            abstained,
            absent,
            total,
            needed,
            ballots: rows,
            without_vote,
            unweighted,
        })
    }
}

/// Each voting party's weight and share under a rule weighted by cost share.
type Weights<'r> = BTreeMap<&'r PartyId, (u64, Option<Money>)>;

/// The currency of the shares and each voting party's weight: its share in
/// minor units. Voting parties given no share are left out (they weigh
/// nothing); shares of parties without a voting seat are checked, then
/// ignored.
fn cost_weights<'r>(
    seats: &BTreeMap<&'r PartyId, u64>,
    shares: &[(&str, Money)],
) -> Result<(Currency, Weights<'r>), (ErrorKind, String)> {
    let Some((_, first)) = shares.first() else {
        return Err((
            ErrorKind::MissingCostInput,
            "the rule weighs votes by cost share, but no cost shares were given".to_string(),
        ));
    };
    let currency = first.currency();
    // Shares that cannot be added up (two currencies, say) cannot be weighed.
    Money::checked_sum(currency, shares.iter().map(|(_, m)| *m)).map_err(|e| {
        (
            ErrorKind::Money,
            format!("the cost shares cannot be added: {e}"),
        )
    })?;
    let mut given: BTreeMap<&str, Money> = BTreeMap::new();
    for (party, share) in shares {
        if share.is_negative() {
            return Err((
                ErrorKind::InvalidValue,
                format!("the cost share of {party} is negative: {share}"),
            ));
        }
        if given.insert(party, *share).is_some() {
            return Err((
                ErrorKind::InvalidValue,
                format!("{party} has more than one cost share"),
            ));
        }
    }
    let weights = seats
        .iter()
        .filter(|(_, votes)| **votes > 0)
        .filter_map(|(party, _)| {
            let share = given.get(party.as_str())?;
            Some((*party, (share.minor_units().unsigned_abs(), Some(*share))))
        })
        .collect();
    Ok((currency, weights))
}
