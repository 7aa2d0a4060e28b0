//! Cost arrangements: budgets by financial year, the sharing formula in
//! force from each date, recorded usage, the pre-collaboration baseline and
//! savings.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::FinancialYear;
use crate::id::PartyId;
use crate::money::{Money, Percent, Quantity};

/// How an agreement's costs are budgeted and shared.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CostArrangement {
    /// The budget of each financial year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<Budget>,
    /// The sharing formula, each from the day it took effect, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub formulas: Vec<DatedFormula>,
    /// Usage recorded for [`Formula::Usage`], by year and member.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<Usage>,
    /// The yearly cost of the functions before collaboration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Money>,
    /// Savings targeted and realised.
    #[serde(skip_serializing_if = "Savings::is_empty")]
    pub savings: Savings,
}

impl CostArrangement {
    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.budgets.is_empty()
            && self.formulas.is_empty()
            && self.usage.is_empty()
            && self.baseline.is_none()
            && self.savings.is_empty()
    }

    /// The budget for `year`, if set.
    pub fn budget(&self, year: FinancialYear) -> Option<&Budget> {
        self.budgets.iter().find(|b| b.year == year)
    }

    /// The formula in force on `date`: the latest that took effect on or before it.
    pub fn formula_on(&self, date: NaiveDate) -> Option<&Formula> {
        self.dated_formula_on(date).map(|f| &f.formula)
    }

    /// The latest formula that took effect on or before `date`, with its date.
    fn dated_formula_on(&self, date: NaiveDate) -> Option<&DatedFormula> {
        self.formulas.iter().take_while(|f| f.from <= date).last()
    }

    /// The formula that shares the budget of `year`: the one in force on the
    /// year's first day (1 April), or, when none is in force yet that day (the
    /// agreement began during the year), the first to take effect during the
    /// year. A formula that takes effect after 1 April first applies to the
    /// next year: the year is not split between formulas.
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let costs = &registry.agreement("em-operational-support")?.costs;
    /// let year: collab_registry::FinancialYear = "2016/17".parse()?;
    /// let dated = costs.formula_for_year(year).unwrap();
    /// assert_eq!(dated.from.to_string(), "2016-04-01"); // four forces at 25%
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn formula_for_year(&self, year: FinancialYear) -> Option<&DatedFormula> {
        self.dated_formula_on(year.first_day())
            .or_else(|| self.formulas.iter().find(|f| year.contains(f.from)))
    }

    /// The usage `party` recorded in `year`, if any.
    pub fn usage_of(&self, party: &str, year: FinancialYear) -> Option<Quantity> {
        self.usage
            .iter()
            .find(|u| u.year == year && u.party == party)
            .map(|u| u.units)
    }
}

/// An agreement's budget for one financial year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    /// The year.
    pub year: FinancialYear,
    /// The amount to be shared among the members.
    pub amount: Money,
    /// Whether the amount is illustrative rather than sourced.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
}

/// A sharing formula and the day it took effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatedFormula {
    /// The first day it applies.
    pub from: NaiveDate,
    /// The formula.
    pub formula: Formula,
}

/// How a budget is split among the members taking part in a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Formula {
    /// Equal shares.
    Equal,
    /// Fixed percentages, adding up to exactly 100 for the members of a year.
    FixedPercentages {
        /// Each member's percentage.
        shares: Vec<FixedShare>,
    },
    /// In proportion to a metric each member records for the year, such as
    /// `net_revenue_expenditure`, `population` or `officers`.
    Metric {
        /// The metric's name.
        metric: String,
    },
    /// In proportion to the usage each member recorded for the year.
    Usage,
    /// Weighted parts, each a formula of its own: 50% equal and 50% by net
    /// revenue expenditure, say. The weights add up to exactly 100.
    Blend {
        /// The parts.
        parts: Vec<BlendPart>,
    },
}

impl Formula {
    /// The name used in files for this kind of formula.
    pub fn kind(&self) -> &'static str {
        match self {
            Formula::Equal => "equal",
            Formula::FixedPercentages { .. } => "fixed_percentages",
            Formula::Metric { .. } => "metric",
            Formula::Usage => "usage",
            Formula::Blend { .. } => "blend",
        }
    }

    /// Every metric the formula reads, including those inside blends.
    pub fn metrics(&self) -> Vec<&str> {
        match self {
            Formula::Metric { metric } => vec![metric.as_str()],
            Formula::Blend { parts } => parts.iter().flat_map(|p| p.formula.metrics()).collect(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Formula::Equal => f.write_str("equal shares"),
            Formula::FixedPercentages { .. } => f.write_str("fixed percentages"),
            Formula::Metric { metric } => write!(f, "in proportion to {metric}"),
            Formula::Usage => f.write_str("in proportion to recorded usage"),
            Formula::Blend { parts } => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" + ")?;
                    }
                    match &part.formula {
                        Formula::Blend { .. } => write!(f, "{}% ({})", part.weight, part.formula)?,
                        other => write!(f, "{}% {other}", part.weight)?,
                    }
                }
                Ok(())
            }
        }
    }
}

/// A member's fixed percentage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixedShare {
    /// The member.
    pub party: PartyId,
    /// Its percentage.
    pub percent: Percent,
}

/// One weighted part of a [`Formula::Blend`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlendPart {
    /// The part's weight.
    pub weight: Percent,
    /// How the part is split.
    pub formula: Formula,
}

/// Units of a service a member used or bought in a year (flying hours, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// The year.
    pub year: FinancialYear,
    /// The member.
    pub party: PartyId,
    /// The units used or bought.
    pub units: Quantity,
}

/// Savings targeted and realised against the pre-collaboration baseline.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Savings {
    /// The savings target in money.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Money>,
    /// The savings target as a percentage of the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_percent: Option<Percent>,
    /// The year by which the target is to be met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_by: Option<FinancialYear>,
    /// Savings realised, by year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub realised: Vec<RealisedSaving>,
    /// A realised saving reported only as a percentage of the baseline (such
    /// as HMIC's 20% average for the East Midlands).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realised_percent: Option<Percent>,
}

impl Savings {
    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        *self == Savings::default()
    }
}

/// A saving realised in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RealisedSaving {
    /// The year.
    pub year: FinancialYear,
    /// The amount saved against the baseline.
    pub amount: Money,
}
