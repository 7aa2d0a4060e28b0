//! An agreement's budget for a financial year, shared among the members
//! taking part in that year: [`Registry::apportion`] and its answer,
//! [`Apportionment`], whose docs give the rules in full. In short:
//!
//! - **Formulas**: equal shares; fixed percentages (exactly 100 in all,
//!   checked on load); in proportion to a named metric of each member for
//!   the year (net revenue expenditure, population, officers, a revenue
//!   budget, any name); in proportion to recorded usage; and a blend of
//!   weighted parts (weights exactly 100), each one of these, such as 50%
//!   equal and 50% by net revenue expenditure. The formula of a year is the
//!   one in force on 1 April; a change during a year applies from the next.
//! - **Part-year rules**: [`PartYear::ProRataByDays`] (the default): each
//!   member's formula weight is multiplied by its days of membership in the
//!   year, the days of two spells added up; [`PartYear::WholeYear`]: a
//!   member there for any of the year counts the whole year. Usage is not
//!   scaled by days (units recorded for a part year already reflect it).
//! - **Rounding**: exact quotas as integer fractions, rounded once by the
//!   largest-remainder (Hamilton) method: each member gets its quota rounded
//!   down and the minor units left over go one each to the largest
//!   remainders. **Tie-break**: between equal remainders, the party whose id
//!   sorts first (byte order). Shares add up to the budget exactly, each is
//!   within one minor unit of its quota, and the answer does not depend on
//!   the order members were recorded in. Blends are combined exactly before
//!   that single rounding. Arithmetic is checked `u128`: overflow is an
//!   error, never a wrap, and nothing passes through floating point.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::agreement::{Agreement, PartYear};
use crate::apportion::{self, ApportionError, Quota, largest_remainder};
use crate::costs::{Budget, DatedFormula, Formula};
use crate::dates::{FinancialYear, Period};
use crate::error::{Error, MoneyError};
use crate::id::{AgreementId, PartyId};
use crate::membership::Role;
use crate::money::{Currency, Money, Percent, Quantity};
use crate::party::Party;
use crate::registry::Registry;
use crate::tables::grouped;

/// What each member pays towards an agreement's budget for one year.
///
/// Shares are sorted by party id and add up to the budget exactly.
///
/// # How a year's budget is shared
///
/// - **Who shares**: every member whose membership overlaps the year (and the
///   agreement's own span), in any role but observer. A party with two
///   memberships in one year (it left and rejoined) is one claimant whose days
///   are added up.
/// - **Which formula**: the one in force on the year's first day, 1 April, or,
///   for an agreement that began during the year, the first to take effect in
///   it ([`CostArrangement::formula_for_year`](crate::CostArrangement::formula_for_year)).
///   A change of formula during a year applies from the next year; the year
///   is not split.
/// - **Weights**: each claimant's weight is its formula weight times its days
///   of membership in the year (1 April to 31 March, clipped to the
///   agreement's start and end), and the budget is split in proportion to the
///   weights:
///   - equal shares: weight = days;
///   - fixed percentages: weight = percentage × days (percentages that no
///     longer add up to 100, because a member is absent, are scaled up in
///     proportion);
///   - a metric: weight = the member's value of that metric for the year × days;
///   - usage: weight = the units recorded for the year, *not* multiplied by
///     days, since usage recorded or bought for a part year already reflects
///     the part year;
///   - a blend: each part is the share of its own formula (with days as
///     above), mixed by the parts' weights exactly; see below.
///
///   Under the part-year rule [`PartYear::WholeYear`] every claimant counts
///   the whole year's days, so a member present for any of the year pays a
///   full share; under [`PartYear::ProRataByDays`] (the default) it counts
///   the days it was a member. A member that left on 30 September 2021 was a
///   member from 1 April to 29 September: 182 of the 365 days of 2021/22, so
///   among three equal members its weight is 182 against 365 and 365.
/// - **Rounding**: exact quotas, rounded once by the largest-remainder method
///   ([`largest_remainder`]): shares add up to the budget to the minor unit,
///   each within one minor unit of its exact quota. **Tie-break**: between
///   equal remainders the party whose id sorts first (byte order) gets the
///   extra minor unit, so £100.00 among three equal members gives 33.34 to
///   the first id and 33.33 to the others, whatever order they were added in.
/// - **Blends** are combined before rounding: each member's exact quota is the
///   weighted sum of its exact quotas under each part, over a common
///   denominator, and that is rounded once, so the total share is within one
///   minor unit of its exact blended quota (rounding each part and adding
///   could miss it by up to one unit per part).
/// - **Exactness**: integers throughout (`u128`, checked); an overflow is
///   [`Error::Money`] with [`MoneyError::Overflow`], never a wrap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Apportionment {
    /// The agreement.
    pub agreement: AgreementId,
    /// The financial year.
    pub year: FinancialYear,
    /// The currency of every amount.
    pub currency: Currency,
    /// The budget shared.
    pub budget: Money,
    /// Whether the budget is illustrative rather than sourced.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
    /// The formula that shared it.
    pub formula: Formula,
    /// The day that formula took effect.
    pub formula_from: NaiveDate,
    /// How part-year members were counted.
    pub part_year: PartYear,
    /// Days in the year: 365, or 366 when it holds a 29 February.
    pub days_in_year: u32,
    /// Each member's share, by party id.
    pub shares: Vec<Share>,
}

/// One member's share of a year's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    /// The member.
    pub party: PartyId,
    /// The days of the year it counts for: the days it was a member, or the
    /// whole year under [`PartYear::WholeYear`].
    pub days: u32,
    /// What the formula read for it, one entry per formula (per part of a blend).
    pub inputs: Vec<ShareInput>,
    /// Its exact quota in minor units, which `amount` rounds.
    pub quota: Quota,
    /// What it pays.
    pub amount: Money,
}

/// What a formula read for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShareInput {
    /// An equal share.
    Equal,
    /// A fixed percentage.
    Percent {
        /// The percentage.
        percent: Percent,
    },
    /// A metric's value for the year.
    Metric {
        /// The metric's name.
        metric: String,
        /// Its value.
        value: Quantity,
    },
    /// Units used or bought in the year.
    Usage {
        /// The units.
        units: Quantity,
    },
}

impl fmt::Display for ShareInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareInput::Equal => f.write_str("equal"),
            ShareInput::Percent { percent } => write!(f, "{percent}%"),
            ShareInput::Metric { metric, value } => write!(f, "{metric} {value}"),
            ShareInput::Usage { units } => write!(f, "{units} units"),
        }
    }
}

impl Apportionment {
    /// The share of `party`, if it takes part. **O(log n)**.
    pub fn share_of(&self, party: &str) -> Option<&Share> {
        self.shares
            .binary_search_by(|s| s.party.as_str().cmp(party))
            .ok()
            .and_then(|i| self.shares.get(i))
    }

    /// What `party` pays: its share, or zero when it does not take part.
    pub fn amount_of(&self, party: &str) -> Money {
        self.share_of(party)
            .map_or(Money::zero(self.currency), |s| s.amount)
    }
}

impl fmt::Display for Apportionment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let note = if self.illustrative {
            " (illustrative)"
        } else {
            ""
        };
        writeln!(
            f,
            "{} {}: budget {} {}{note}",
            self.agreement,
            self.year,
            grouped(self.budget),
            self.currency
        )?;
        writeln!(
            f,
            "  formula: {}, in force from {}; part-year rule: {}",
            self.formula,
            self.formula_from,
            self.part_year.as_str()
        )?;
        let basis: Vec<String> = self
            .shares
            .iter()
            .map(|s| {
                s.inputs
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        let party_w = self
            .shares
            .iter()
            .map(|s| s.party.as_str().len())
            .chain([5])
            .max()
            .unwrap_or(5);
        let basis_w = basis.iter().map(String::len).chain([5]).max().unwrap_or(5);
        let amount_w = grouped(self.budget).len().max(5);
        let days_w = 3 + 1 + 3;
        writeln!(
            f,
            "  {:<party_w$}  {:>days_w$}  {:<basis_w$}  {:>amount_w$}",
            "party", "days", "basis", "share"
        )?;
        for (s, b) in self.shares.iter().zip(&basis) {
            let days = format!("{}/{}", s.days, self.days_in_year);
            writeln!(
                f,
                "  {:<party_w$}  {days:>days_w$}  {b:<basis_w$}  {:>amount_w$}",
                s.party.as_str(),
                grouped(s.amount)
            )?;
        }
        write!(
            f,
            "  {:<party_w$}  {:>days_w$}  {:<basis_w$}  {:>amount_w$}",
            "total",
            "",
            "",
            grouped(self.budget)
        )
    }
}

/// A party taking part in a year, with what its share is worked out from.
#[derive(Debug, Clone)]
pub(crate) struct Claimant<'r> {
    pub(crate) party: &'r Party,
    pub(crate) days: u32,
    /// Only for a party joining in a what-if: its percentage of a full year.
    pub(crate) percent: Option<Percent>,
    /// Only for a party joining in a what-if: its units for the year.
    pub(crate) usage: Option<Quantity>,
}

/// Everything needed to share one agreement's budget for one year.
#[derive(Debug, Clone)]
pub(crate) struct YearCosts<'r> {
    pub(crate) agreement: &'r Agreement,
    pub(crate) year: FinancialYear,
    pub(crate) budget: &'r Budget,
    pub(crate) formula: &'r DatedFormula,
    /// One per party, sorted by party id.
    pub(crate) claimants: Vec<Claimant<'r>>,
}

/// A refusal to share `agreement`'s budget for `year`, saying why.
pub(crate) fn refuse(agreement: &Agreement, year: FinancialYear, reason: String) -> Error {
    Error::Refused {
        action: "apportion",
        target: format!("{} in {year}", agreement.id),
        date: year.first_day(),
        reason,
    }
}

/// The days of `year` that `membership` (a period) falls in, clipped to the
/// agreement's own span; 0 when it does not take part that year.
pub(crate) fn days_taking_part(
    agreement: &Agreement,
    membership: Period,
    year: FinancialYear,
) -> u32 {
    let year_end = year.next().first_day();
    let span = Period {
        start: year.first_day().max(agreement.start),
        end: Some(agreement.end.map_or(year_end, |end| end.min(year_end))),
    };
    let days = membership.days_within(&span).unwrap_or(0);
    u32::try_from(days.max(0)).unwrap_or(0)
}

impl Registry {
    /// What each member pays towards `agreement`'s budget for `year`, by the
    /// formula and part-year rule in force (see the rules on
    /// [`Apportionment`]: weights are formula weight × days of membership,
    /// rounded once by largest remainder, ties to the first party id).
    ///
    /// Computes in **O(m log m)** for an agreement of `m` memberships.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Refused`] naming
    /// the agreement and year when no budget or formula is recorded for the
    /// year, no member takes part in it, a member has no fixed share, metric
    /// value or usage the formula needs, or the weights add up to zero;
    /// [`Error::Money`] with [`MoneyError::Overflow`] when the arithmetic
    /// does not fit in 128 bits.
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let shares = registry.apportion("em-major-crime", "2021/22".parse()?)?;
    /// // £30m shared equally among the five East Midlands forces.
    /// assert_eq!(shares.shares.len(), 5);
    /// assert_eq!(shares.amount_of("derbyshire-police").to_string(), "6000000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apportion(&self, agreement: &str, year: FinancialYear) -> Result<Apportionment, Error> {
        let agreement = self.agreement(agreement)?;
        self.year_costs(agreement, year)?
            .apportion(self.info().currency)
    }

    /// Gathers the budget, formula and claimants of `agreement` for `year`.
    pub(crate) fn year_costs<'r>(
        &'r self,
        agreement: &'r Agreement,
        year: FinancialYear,
    ) -> Result<YearCosts<'r>, Error> {
        let costs = &agreement.costs;
        let budget = costs
            .budget(year)
            .ok_or_else(|| refuse(agreement, year, format!("no budget is recorded for {year}")))?;
        let formula = costs.formula_for_year(year).ok_or_else(|| {
            refuse(
                agreement,
                year,
                format!("no sharing formula is in force in {year}"),
            )
        })?;
        let whole_year = agreement.leaving.part_year == PartYear::WholeYear;
        let year_days = u32::try_from(year.days()).unwrap_or(366);
        let mut claimants = Vec::with_capacity(agreement.members.len());
        for m in agreement
            .members
            .iter()
            .filter(|m| m.role != Role::Observer)
        {
            let days = days_taking_part(agreement, m.period(), year);
            if days == 0 {
                continue;
            }
            claimants.push(Claimant {
                party: self.party(m.party.as_str())?,
                days: if whole_year { year_days } else { days },
                percent: None,
                usage: None,
            });
        }
        claimants.sort_unstable_by(|a, b| a.party.id.cmp(&b.party.id));
        // A party with two memberships in the year is one claimant.
        claimants.dedup_by(|later, kept| {
            let same = later.party.id == kept.party.id;
            if same && !whole_year {
                kept.days = kept.days.saturating_add(later.days).min(year_days);
            }
            same
        });
        Ok(YearCosts {
            agreement,
            year,
            budget,
            formula,
            claimants,
        })
    }
}

impl YearCosts<'_> {
    /// Shares the budget among the claimants.
    pub(crate) fn apportion(&self, currency: Currency) -> Result<Apportionment, Error> {
        let budget = self.budget.amount;
        if self.claimants.is_empty() && budget.minor_units() != 0 {
            return Err(self.refuse(format!(
                "no member takes part in {} to share its budget",
                self.year
            )));
        }
        let mut inputs: Vec<Vec<ShareInput>> = vec![Vec::new(); self.claimants.len()];
        let weights = self.weights(&self.formula.formula, &mut inputs)?;
        let allocations = largest_remainder(budget.minor_units(), &weights)
            .map_err(|e| self.apportion_error(e))?;
        let shares = self
            .claimants
            .iter()
            .zip(inputs)
            .zip(allocations)
            .map(|((c, inputs), a)| Share {
                party: c.party.id.clone(),
                days: c.days,
                inputs,
                quota: a.quota,
                amount: Money::from_minor(a.amount, budget.currency()),
            })
            .collect();
        Ok(Apportionment {
            agreement: self.agreement.id.clone(),
            year: self.year,
            currency,
            budget,
            illustrative: self.budget.illustrative,
            formula: self.formula.formula.clone(),
            formula_from: self.formula.from,
            part_year: self.agreement.leaving.part_year,
            days_in_year: u32::try_from(self.year.days()).unwrap_or(366),
            shares,
        })
    }

    fn refuse(&self, reason: String) -> Error {
        refuse(self.agreement, self.year, reason)
    }

    fn apportion_error(&self, e: ApportionError) -> Error {
        match e {
            ApportionError::Overflow => Error::Money(MoneyError::Overflow),
            other => self.refuse(format!(
                "the formula in force from {} gives no weight to share {} by: {other}",
                self.formula.from, self.budget.amount
            )),
        }
    }

    /// The claimants' weights under `formula`, recording what it read.
    fn weights(
        &self,
        formula: &Formula,
        inputs: &mut [Vec<ShareInput>],
    ) -> Result<Vec<u128>, Error> {
        let by_days = |w: u128, c: &Claimant<'_>| {
            w.checked_mul(u128::from(c.days))
                .ok_or(Error::Money(MoneyError::Overflow))
        };
        let mut weights = Vec::with_capacity(self.claimants.len());
        match formula {
            Formula::Equal => {
                for (c, input) in self.claimants.iter().zip(inputs.iter_mut()) {
                    input.push(ShareInput::Equal);
                    weights.push(u128::from(c.days));
                }
            }
            Formula::FixedPercentages { shares } => {
                let mut table: Vec<(&str, Percent)> = shares
                    .iter()
                    .map(|s| (s.party.as_str(), s.percent))
                    .collect();
                table.sort_by(|a, b| a.0.cmp(b.0));
                let mut percents = Vec::with_capacity(self.claimants.len());
                for c in &self.claimants {
                    let listed = table
                        .binary_search_by(|e| e.0.cmp(c.party.id.as_str()))
                        .ok()
                        .and_then(|i| table.get(i))
                        .map(|e| e.1);
                    let percent = c.percent.or(listed).ok_or_else(|| {
                        self.refuse(format!(
                            "member {:?} takes part in {} but has no share in the fixed percentages in force from {}",
                            c.party.id.as_str(),
                            self.year,
                            self.formula.from
                        ))
                    })?;
                    percents.push(u128::from(percent.ten_thousandths()));
                }
                // A joiner's percentage is of a full year; the others fill the
                // rest in their existing proportions.
                let joiner = self.claimants.iter().find_map(|c| c.percent);
                let others: u128 = self
                    .claimants
                    .iter()
                    .zip(&percents)
                    .filter(|(c, _)| c.percent.is_none())
                    .map(|(_, p)| p)
                    .sum();
                let hundred = u128::from(Percent::HUNDRED.ten_thousandths());
                for ((c, p), input) in self.claimants.iter().zip(&percents).zip(inputs.iter_mut()) {
                    let w = match (joiner, c.percent) {
                        (Some(_), Some(own)) => u128::from(own.ten_thousandths()) * others,
                        (Some(j), None) => {
                            p * hundred.saturating_sub(u128::from(j.ten_thousandths()))
                        }
                        (None, _) => *p,
                    };
                    let percent = u32::try_from(*p).map(Percent::from_ten_thousandths);
                    if let Ok(percent) = percent {
                        input.push(ShareInput::Percent { percent });
                    }
                    weights.push(by_days(w, c)?);
                }
            }
            Formula::Metric { metric } => {
                for (c, input) in self.claimants.iter().zip(inputs.iter_mut()) {
                    let value = c.party.metric(metric, self.year).ok_or_else(|| {
                        self.refuse(format!(
                            "the formula needs metric {metric:?} for {}, but member {:?} has none",
                            self.year,
                            c.party.id.as_str()
                        ))
                    })?;
                    input.push(ShareInput::Metric {
                        metric: metric.clone(),
                        value,
                    });
                    weights.push(by_days(u128::from(value.ten_thousandths()), c)?);
                }
            }
            Formula::Usage => {
                let mut recorded: Vec<(&str, Quantity)> = self
                    .agreement
                    .costs
                    .usage
                    .iter()
                    .filter(|u| u.year == self.year)
                    .map(|u| (u.party.as_str(), u.units))
                    .collect();
                // Stable, so the first record of a party is found first.
                recorded.sort_by(|a, b| a.0.cmp(b.0));
                for (c, input) in self.claimants.iter().zip(inputs.iter_mut()) {
                    let id = c.party.id.as_str();
                    let at = recorded.partition_point(|e| e.0 < id);
                    let listed = recorded.get(at).filter(|e| e.0 == id).map(|e| e.1);
                    let units = c.usage.or(listed).ok_or_else(|| {
                        self.refuse(format!(
                            "the formula shares by usage, but member {id:?} has no usage recorded for {}",
                            self.year
                        ))
                    })?;
                    input.push(ShareInput::Usage { units });
                    weights.push(u128::from(units.ten_thousandths()));
                }
            }
            Formula::Blend { parts } => {
                let mut mixed = Vec::with_capacity(parts.len());
                for part in parts {
                    let ws = self.weights(&part.formula, inputs)?;
                    mixed.push((u128::from(part.weight.ten_thousandths()), ws));
                }
                weights = apportion::blend(&mixed, self.claimants.len()).map_err(|e| match e {
                    ApportionError::Overflow => Error::Money(MoneyError::Overflow),
                    _ => self.refuse(format!(
                        "a part of the blend in force from {} gives every member a weight of zero",
                        self.formula.from
                    )),
                })?;
            }
        }
        Ok(weights)
    }
}
