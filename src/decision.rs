//! Whether a proposal passes under a governance body's [`DecisionRule`],
//! given the votes cast.
//!
//! ## What counts as passing
//!
//! Every rule is measured against the **whole voting strength of the body**,
//! not only the votes cast: the register records no quorum or attendance
//! rule, and counting only the votes cast would let a single vote carry a
//! board of ten. So an abstention and an absence both count as "not in
//! favour".
//!
//! - A seat casts its [`Seat::votes`](crate::Seat::votes); a party holding
//!   several seats casts them all the same way. Seats with no votes
//!   (advisers, observers) are not part of the strength; their ballots are
//!   accepted and listed as [`Decision::without_vote`].
//! - [`DecisionRule::Unanimity`]: every vote of the body is in favour; one
//!   abstention or absence blocks.
//! - [`DecisionRule::SimpleMajority`]: more than half of the body's votes are
//!   in favour; a tie fails.
//! - [`DecisionRule::QualifiedMajority`]: at least the fraction of the body's
//!   votes, so exactly 2/3 passes a 2/3 rule.
//! - [`DecisionRule::WeightedByCostShare`]: each party holding a seat with
//!   votes weighs its cost share (once, however many seats), and at least
//!   the fraction of the total weight is in favour. Shares of parties with
//!   no voting seat are ignored (they pay but do not vote); voting parties
//!   with no share given weigh nothing and are listed as
//!   [`Decision::unweighted`]. For the other rules shares are ignored.
//!
//! Comparisons are exact: `in_favour × denominator ≥ total × numerator` in
//! 128-bit integers, never floating point.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::{Error, MoneyError};
use crate::governance::{DecisionRule, Fraction};
use crate::id::{BodyId, PartyId};
use crate::money::{Currency, Money};
use crate::query::AsOf;

/// How a seat-holder votes on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
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
    pub fn as_str(&self) -> &'static str {
        match self {
            Vote::For => "for",
            Vote::Against => "against",
            Vote::Abstain => "abstain",
        }
    }
}

/// What the tally counts: votes, or cost share in minor units of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "currency")]
pub enum Weighing {
    /// Each seat's votes.
    Votes,
    /// Each voting party's cost share, in minor units of the currency.
    CostShare(Currency),
}

/// The outcome of a proposal before a body, with the tally behind it; see
/// [`AsOf::decide`](crate::AsOf::decide) for what counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision<'r> {
    /// The body.
    pub body: &'r BodyId,
    /// Its rule.
    pub rule: &'r DecisionRule,
    /// Whether the proposal passes.
    pub passes: bool,
    /// What the numbers count.
    pub weighing: Weighing,
    /// Weight in favour.
    pub in_favour: u64,
    /// Weight against.
    pub against: u64,
    /// Weight that abstained.
    pub abstained: u64,
    /// Weight that cast no ballot.
    pub absent: u64,
    /// The body's whole voting weight.
    pub total: u64,
    /// The least weight in favour that passes.
    pub needed: u64,
    /// Parties whose ballots carry no weight: they hold only seats without votes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub without_vote: Vec<&'r PartyId>,
    /// Voting parties with no cost share given, so no weight (weighted rule only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unweighted: Vec<&'r PartyId>,
}

impl<'r> AsOf<'r> {
    /// Whether a proposal passes before `body` with these `votes`, and the
    /// tally. `shares` are the members' cost shares, used only when the
    /// body's rule is weighted by cost share. Seats are not dated in the
    /// register, so the day only dates any error.
    ///
    /// **O(s + v + c)** for s seats, v votes and c shares.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown body or voter; [`Error::Refused`]
    /// when a voter holds no seat or votes twice, when the body has no votes
    /// or weight at all, when its rule's fraction is not above 0 and at most
    /// 1, or, for the weighted rule, when no shares are given, a share is
    /// negative or given twice; [`Error::Money`] when shares mix currencies
    /// or their total overflows.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::Vote;
    /// let registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
    /// // The joint management board decides by two thirds of its ten seats.
    /// let mut votes: Vec<(&str, Vote)> = registry.body("em-joint-management-board")?
    ///     .seats.iter().map(|s| (s.party.as_str(), Vote::For)).collect();
    /// votes[0].1 = Vote::Against;
    /// votes[1].1 = Vote::Against;
    /// votes[2].1 = Vote::Abstain;
    /// let decision = registry.as_of(on).decide("em-joint-management-board", &votes, &[])?;
    /// assert_eq!((decision.in_favour, decision.needed, decision.passes), (7, 7, true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(
        &self,
        body: &str,
        votes: &[(&str, Vote)],
        shares: &[(&str, Money)],
    ) -> Result<Decision<'r>, Error> {
        let registry = self.registry();
        let b = registry.body(body)?;
        let refuse = |target: String, reason: String| Error::Refused {
            action: "decide",
            target,
            date: self.date(),
            reason,
        };

        // Each seated party's votes, summed over its seats.
        let mut seats: BTreeMap<&'r PartyId, u64> = BTreeMap::new();
        for seat in &b.seats {
            *seats.entry(&seat.party).or_default() += u64::from(seat.votes);
        }
        let mut ballots: BTreeMap<&'r PartyId, Vote> = BTreeMap::new();
        for (voter, vote) in votes {
            let key = registry.party_key(voter)?;
            let party = &registry.party_at(key).id;
            if !seats.contains_key(party) {
                return Err(refuse(
                    format!("{voter} on {body}"),
                    format!("{voter} holds no seat on {body}"),
                ));
            }
            if ballots.insert(party, *vote).is_some() {
                return Err(refuse(
                    format!("{voter} on {body}"),
                    format!("{voter} voted more than once"),
                ));
            }
        }

        let fraction = match &b.decision_rule {
            DecisionRule::Unanimity | DecisionRule::SimpleMajority => None,
            DecisionRule::QualifiedMajority { at_least }
            | DecisionRule::WeightedByCostShare { at_least } => Some(*at_least),
        };
        if let Some(f) = fraction {
            if f.numerator == 0 || f.denominator == 0 || f.numerator > f.denominator {
                return Err(refuse(
                    body.to_string(),
                    format!("its rule needs a fraction above 0 and at most 1, not {f}"),
                ));
            }
        }
        let (weighing, weights, unweighted) = match &b.decision_rule {
            DecisionRule::WeightedByCostShare { .. } => {
                let (currency, weights, unweighted) =
                    cost_weights(&seats, shares).map_err(|e| match e {
                        Weights::Refused(reason) => refuse(format!("shares for {body}"), reason),
                        Weights::Money(m) => Error::Money(m),
                    })?;
                (Weighing::CostShare(currency), weights, unweighted)
            }
            _ => (Weighing::Votes, seats.clone(), Vec::new()),
        };

        let mut tally = [0u64; 4];
        let mut without_vote = Vec::new();
        for (party, weight) in &weights {
            let slot = match ballots.get(party) {
                Some(Vote::For) => 0,
                Some(Vote::Against) => 1,
                Some(Vote::Abstain) => 2,
                None => 3,
            };
            tally[slot] = tally[slot]
                .checked_add(*weight)
                .ok_or(MoneyError::Overflow)?;
        }
        for party in ballots.keys() {
            if seats.get(party) == Some(&0) {
                without_vote.push(*party);
            }
        }
        let [in_favour, against, abstained, absent] = tally;
        let total = tally
            .iter()
            .try_fold(0u64, |sum, w| sum.checked_add(*w))
            .ok_or(MoneyError::Overflow)?;
        if total == 0 {
            return Err(refuse(
                body.to_string(),
                match weighing {
                    Weighing::Votes => format!("{body} has no seat with a vote"),
                    Weighing::CostShare(_) => {
                        format!("no party with a vote on {body} has a cost share above zero")
                    }
                },
            ));
        }
        let (passes, needed) = match fraction {
            None if b.decision_rule == DecisionRule::Unanimity => (in_favour == total, total),
            None => (u128::from(in_favour) * 2 > u128::from(total), total / 2 + 1),
            Some(f) => (
                reaches(in_favour, total, f),
                least_reaching(total, f).unwrap_or(total),
            ),
        };
        Ok(Decision {
            body: &b.id,
            rule: &b.decision_rule,
            passes,
            weighing,
            in_favour,
            against,
            abstained,
            absent,
            total,
            needed,
            without_vote,
            unweighted,
        })
    }
}

/// Whether `part / total ≥ f`, exactly.
fn reaches(part: u64, total: u64, f: Fraction) -> bool {
    u128::from(part) * u128::from(f.denominator) >= u128::from(total) * u128::from(f.numerator)
}

/// The least `part` with `part / total ≥ f`: `⌈total × n / d⌉`, at most
/// `total` for a fraction at most 1.
fn least_reaching(total: u64, f: Fraction) -> Option<u64> {
    let d = u128::from(f.denominator);
    let product = u128::from(total) * u128::from(f.numerator);
    u64::try_from(product.div_ceil(d)).ok()
}

enum Weights {
    Refused(String),
    Money(MoneyError),
}

type CostWeights<'r> = (Currency, BTreeMap<&'r PartyId, u64>, Vec<&'r PartyId>);

/// Each voting party's cost share in minor units, the currency, and the
/// voting parties given no share.
fn cost_weights<'r>(
    seats: &BTreeMap<&'r PartyId, u64>,
    shares: &[(&str, Money)],
) -> Result<CostWeights<'r>, Weights> {
    let first = shares.first().ok_or_else(|| {
        Weights::Refused(
            "the rule weighs votes by cost share, but no cost shares were given".to_string(),
        )
    })?;
    let currency = first.1.currency();
    let mut given: BTreeMap<&str, Money> = BTreeMap::new();
    let mut total = Money::zero(currency);
    for (party, share) in shares {
        if share.is_negative() {
            return Err(Weights::Refused(format!(
                "the cost share of {party} is negative: {share}"
            )));
        }
        total = total.checked_add(*share).map_err(Weights::Money)?;
        if given.insert(party, *share).is_some() {
            return Err(Weights::Refused(format!(
                "{party} has more than one cost share"
            )));
        }
    }
    let mut weights = BTreeMap::new();
    let mut unweighted = BTreeSet::new();
    for (party, votes) in seats {
        if *votes == 0 {
            continue;
        }
        match given.get(party.as_str()) {
            Some(share) => {
                // Non-negative, checked above.
                weights.insert(*party, share.minor_units().unsigned_abs());
            }
            None => {
                unweighted.insert(*party);
                weights.insert(*party, 0);
            }
        }
    }
    Ok((currency, weights, unweighted.into_iter().collect()))
}
