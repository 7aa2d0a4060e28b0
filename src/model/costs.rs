//! Cost arrangements, as data: budgets by financial year, the sharing
//! formula in force from each date, the part-year rule, recorded usage, the
//! pre-collaboration baseline and savings. The arithmetic is the crate's
//! `costs` module's.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::dates::{FinancialYear, Period, add_months};
use super::id::PartyId;
use super::keyword::keywords;
use super::money::{Money, Percent, Quantity};
use super::unknown::Extra;

/// The deepest a blend may nest blends: deep enough for any real formula,
/// and a bound on the work of reading and checking one.
pub const MAX_FORMULA_DEPTH: usize = 8;

keywords! {
    #[derive(Default)]
    /// How a member that joins or leaves part-way through a financial year
    /// shares that year's costs.
    pub enum PartYear ("part-year rule") {
        /// In proportion to the days it was a member.
        #[default]
        ProRataByDays => "pro_rata_by_days",
        /// In proportion to the whole calendar months it was a member: a
        /// month counts only if it is a member on every day of it.
        ProRataByMonths => "pro_rata_by_months",
        /// In proportion to the calendar months it was a member in: a month
        /// it is a member on any day of counts whole (joined on 2 October,
        /// October counts), as the National Police Air Service pro-rated the
        /// flying hours of a force that joined on 2 October 2013.
        ProRataByMonthsBegun => "pro_rata_by_months_begun",
        /// A full share for any year it was a member in at all.
        WholeYear => "whole_year",
    }
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_default_part_year(rule: &PartYear) -> bool {
    *rule == PartYear::default()
}

impl PartYear {
    /// Whether the unit of time is a calendar month
    /// ([`PartYear::ProRataByMonths`] or [`PartYear::ProRataByMonthsBegun`]).
    #[must_use]
    pub const fn counts_months(self) -> bool {
        matches!(
            self,
            PartYear::ProRataByMonths | PartYear::ProRataByMonthsBegun
        )
    }

    /// Whether a member taking part on `days` (sorted, merged, within the
    /// agreement's span) counts the calendar month `month`: under whole
    /// months when it takes part on every day of it, under months begun when
    /// it takes part on any day of it; never under the rules whose unit is a
    /// day.
    pub(crate) fn counts_month(self, month: Days, days: &[Days]) -> bool {
        match self {
            PartYear::ProRataByMonths => days.iter().any(|d| d.0 <= month.0 && month.1 <= d.1),
            PartYear::ProRataByMonthsBegun => days.iter().any(|d| d.0 < month.1 && month.0 < d.1),
            PartYear::ProRataByDays | PartYear::WholeYear => false,
        }
    }

    /// The twelve calendar months of `year`, April first, that the month
    /// rules count.
    pub(crate) fn months(year: FinancialYear) -> Vec<Days> {
        let first = year.first_day();
        (0..12)
            .filter_map(|i| {
                Some((
                    add_months(first, i)?,
                    add_months(first, i32::checked_add(i, 1)?)?,
                ))
            })
            .collect()
    }

    /// The day the formula of a counted month is read on: its first day in
    /// the agreement's span `span` (the month's first day, unless the
    /// agreement starts part-way through it).
    pub(crate) fn month_anchor(month: Days, span: Days) -> NaiveDate {
        month.0.max(span.0)
    }
}

/// How an agreement's costs are budgeted and shared.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct CostArrangement {
    /// The budget of each financial year, by year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<Budget>,
    /// The sharing formula, each from the day it takes effect, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub formulas: Vec<DatedFormula>,
    /// How members there for part of a year share it.
    #[serde(skip_serializing_if = "is_default_part_year")]
    pub part_year: PartYear,
    /// Usage recorded for [`Formula::Usage`] and beside units bought in
    /// advance, by year then member.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<Usage>,
    /// Units each member buys in advance for a full year (flying hours,
    /// say), non-refundable, by year then member: a member there for part of
    /// the year is entitled to its part of them under the part-year rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub purchases: Vec<Purchase>,
    /// The price of one unit bought in advance, when units are priced that
    /// way rather than as a share of the budget
    /// ([`Formula::Entitlement`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Money>,
    /// Charges from one member to another beside the shared budget: rent
    /// for a shared building, services bought from a host.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<MemberCharge>,
    /// Grants received, by the agreement or by one member.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// Assets, with the members that own them and their shares.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
    /// The yearly cost of the functions before collaboration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Money>,
    /// Savings targeted and realised.
    #[serde(skip_serializing_if = "Savings::is_empty")]
    pub savings: Savings,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl crate::model::out_of_line::Empty for CostArrangement {
    fn empty() -> &'static Self {
        static EMPTY: CostArrangement = CostArrangement {
            budgets: Vec::new(),
            formulas: Vec::new(),
            part_year: PartYear::ProRataByDays,
            usage: Vec::new(),
            purchases: Vec::new(),
            unit_price: None,
            charges: Vec::new(),
            grants: Vec::new(),
            assets: Vec::new(),
            baseline: None,
            savings: Savings {
                target: None,
                target_percent: None,
                target_by: None,
                realised: Vec::new(),
                realised_percent: None,
                extra: Extra::new(),
            },
            extra: Extra::new(),
        };
        &EMPTY
    }
}

impl CostArrangement {
    /// Whether nothing is recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == CostArrangement::default()
    }

    /// The budget for `year`, if set. **O(log n)**: budgets are kept by year.
    #[must_use]
    pub fn budget(&self, year: FinancialYear) -> Option<&Budget> {
        self.budgets
            .binary_search_by(|b| b.year.cmp(&year))
            .ok()
            .and_then(|i| self.budgets.get(i))
    }

    /// Sets the budget of its year, keeping budgets sorted by year.
    pub fn set_budget(&mut self, budget: Budget) {
        match self.budgets.binary_search_by(|b| b.year.cmp(&budget.year)) {
            Ok(at) => {
                if let Some(slot) = self.budgets.get_mut(at) {
                    *slot = budget;
                }
            }
            Err(at) => self.budgets.insert(at, budget),
        }
    }

    /// The formula that took effect last on or before `date`.
    #[must_use]
    pub fn formula_on(&self, date: NaiveDate) -> Option<&DatedFormula> {
        let at = self.formulas.partition_point(|f| f.from <= date);
        at.checked_sub(1).and_then(|i| self.formulas.get(i))
    }

    /// Sets the formula that takes effect on its day, keeping formulas in
    /// date order.
    pub fn set_formula(&mut self, formula: DatedFormula) {
        match self
            .formulas
            .binary_search_by(|f| f.from.cmp(&formula.from))
        {
            Ok(at) => {
                if let Some(slot) = self.formulas.get_mut(at) {
                    *slot = formula;
                }
            }
            Err(at) => self.formulas.insert(at, formula),
        }
    }

    /// The usage `party` recorded in `year`, if any. **O(log n)**: usage is
    /// kept by year then party.
    #[must_use]
    pub fn usage_of(&self, party: &str, year: FinancialYear) -> Option<Quantity> {
        self.usage
            .binary_search_by(|u| (u.year, u.party.as_str()).cmp(&(year, party)))
            .ok()
            .and_then(|i| self.usage.get(i))
            .map(|u| u.units)
    }

    /// The units `party` bought in advance for `year`, if any. **O(log n)**.
    #[must_use]
    pub fn purchase_of(&self, party: &str, year: FinancialYear) -> Option<Quantity> {
        self.purchases
            .binary_search_by(|p| (p.year, p.party.as_str()).cmp(&(year, party)))
            .ok()
            .and_then(|i| self.purchases.get(i))
            .map(|p| p.units)
    }

    /// Sets the usage of its party and year, keeping usage sorted.
    pub fn set_usage(&mut self, usage: Usage) {
        match self.usage.binary_search_by(|u| {
            (u.year, u.party.as_str()).cmp(&(usage.year, usage.party.as_str()))
        }) {
            Ok(at) => {
                if let Some(slot) = self.usage.get_mut(at) {
                    *slot = usage;
                }
            }
            Err(at) => self.usage.insert(at, usage),
        }
    }
}

/// An agreement's budget for one financial year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Budget {
    /// The year.
    pub year: FinancialYear,
    /// The amount to be shared among the members.
    pub amount: Money,
    /// Whether the amount is illustrative rather than sourced.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Budget {
    /// `amount` for `year`.
    #[must_use]
    pub fn new(year: FinancialYear, amount: Money) -> Self {
        Budget {
            year,
            amount,
            illustrative: false,
            extra: Extra::new(),
        }
    }
}

/// A sharing formula and the day it takes effect. A formula that takes
/// effect part-way through a year shares the days from then on; the days
/// before are shared by the formula it replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DatedFormula {
    /// The first day it applies.
    pub from: NaiveDate,
    /// The formula.
    pub formula: Formula,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DatedFormula {
    /// `formula` from `from`.
    #[must_use]
    pub fn new(from: NaiveDate, formula: Formula) -> Self {
        DatedFormula {
            from,
            formula,
            extra: Extra::new(),
        }
    }
}

/// How a budget is split among the members taking part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Formula {
    /// Equal shares.
    #[non_exhaustive]
    Equal {
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
    /// Fixed percentages, adding up to exactly 100.
    #[non_exhaustive]
    FixedPercentages {
        /// Each member's percentage, by party.
        shares: Vec<FixedShare>,
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
    /// In proportion to a metric each member records for the year, such as
    /// `net_revenue_expenditure`, `population` or `officers`.
    #[non_exhaustive]
    Metric {
        /// The metric's name.
        metric: String,
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
    /// In proportion to the usage each member recorded for the year.
    #[non_exhaustive]
    Usage {
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
    /// In proportion to the units each member bought in advance for the
    /// year ([`CostArrangement::purchases`]), each scaled to its part of the
    /// year by the part-year rule: its entitlement.
    #[non_exhaustive]
    Entitlement {
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
    /// Weighted parts, each a formula of its own: 50% equal and 50% by net
    /// revenue expenditure, say. The weights add up to exactly 100.
    #[non_exhaustive]
    Blend {
        /// The parts.
        parts: Vec<BlendPart>,
        /// Fields this version of the crate does not know.
        #[serde(flatten)]
        extra: Extra,
    },
}

impl Formula {
    /// Equal shares.
    #[must_use]
    pub fn equal() -> Self {
        Formula::Equal {
            extra: Extra::new(),
        }
    }

    /// Fixed percentages, kept sorted by party so a member's share is found
    /// in **O(log n)**.
    #[must_use]
    pub fn fixed_percentages(mut shares: Vec<FixedShare>) -> Self {
        shares.sort_by(|a, b| a.party.cmp(&b.party));
        Formula::FixedPercentages {
            shares,
            extra: Extra::new(),
        }
    }

    /// In proportion to `metric`.
    #[must_use]
    pub fn metric(metric: impl Into<String>) -> Self {
        Formula::Metric {
            metric: metric.into(),
            extra: Extra::new(),
        }
    }

    /// In proportion to recorded usage.
    #[must_use]
    pub fn usage() -> Self {
        Formula::Usage {
            extra: Extra::new(),
        }
    }

    /// In proportion to entitlements: units bought in advance, pro rata.
    #[must_use]
    pub fn entitlement() -> Self {
        Formula::Entitlement {
            extra: Extra::new(),
        }
    }

    /// A blend of weighted parts.
    #[must_use]
    pub fn blend(parts: Vec<BlendPart>) -> Self {
        Formula::Blend {
            parts,
            extra: Extra::new(),
        }
    }

    /// The name used in files for this kind of formula.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Formula::Equal { .. } => "equal",
            Formula::FixedPercentages { .. } => "fixed_percentages",
            Formula::Metric { .. } => "metric",
            Formula::Usage { .. } => "usage",
            Formula::Entitlement { .. } => "entitlement",
            Formula::Blend { .. } => "blend",
        }
    }

    /// The fixed share of `party`, if this is (or a blend holds) fixed
    /// percentages naming it.
    #[must_use]
    pub fn share_of(&self, party: &str) -> Option<Percent> {
        match self {
            Formula::FixedPercentages { shares, .. } => shares
                .binary_search_by(|s| s.party.as_str().cmp(party))
                .ok()
                .and_then(|i| shares.get(i))
                .map(|s| s.percent),
            Formula::Blend { parts, .. } => parts.iter().find_map(|p| p.formula.share_of(party)),
            _ => None,
        }
    }

    /// Every formula inside this one, itself first, depth first.
    pub fn walk(&self) -> impl Iterator<Item = &Formula> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            if let Formula::Blend { parts, .. } = next {
                stack.extend(parts.iter().rev().map(|p| &p.formula));
            }
            Some(next)
        })
    }

    /// Every metric the formula reads, including those inside blends.
    pub fn metrics(&self) -> impl Iterator<Item = &str> {
        self.walk().filter_map(|f| match f {
            Formula::Metric { metric, .. } => Some(metric.as_str()),
            _ => None,
        })
    }

    /// Whether the formula (or a part of a blend) is fixed percentages.
    #[must_use]
    pub fn has_fixed_percentages(&self) -> bool {
        self.walk()
            .any(|f| matches!(f, Formula::FixedPercentages { .. }))
    }

    /// Whether the formula (or a part of a blend) reads usage.
    #[must_use]
    pub fn reads_usage(&self) -> bool {
        self.walk().any(|f| matches!(f, Formula::Usage { .. }))
    }

    /// Whether the formula (or a part of a blend) reads units bought in advance.
    #[must_use]
    pub fn reads_purchases(&self) -> bool {
        self.walk()
            .any(|f| matches!(f, Formula::Entitlement { .. }))
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Formula::Equal { .. } => f.write_str("equal shares"),
            Formula::FixedPercentages { .. } => f.write_str("fixed percentages"),
            Formula::Metric { metric, .. } => write!(f, "in proportion to {metric}"),
            Formula::Usage { .. } => f.write_str("in proportion to recorded usage"),
            Formula::Entitlement { .. } => f.write_str("in proportion to units bought in advance"),
            Formula::Blend { parts, .. } => {
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
#[non_exhaustive]
pub struct FixedShare {
    /// The member.
    pub party: PartyId,
    /// Its percentage.
    pub percent: Percent,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl FixedShare {
    /// `party` pays `percent`.
    #[must_use]
    pub fn new(party: PartyId, percent: Percent) -> Self {
        FixedShare {
            party,
            percent,
            extra: Extra::new(),
        }
    }
}

/// One weighted part of a [`Formula::Blend`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BlendPart {
    /// The part's weight.
    pub weight: Percent,
    /// How the part is split.
    pub formula: Formula,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl BlendPart {
    /// `weight` of the budget split by `formula`.
    #[must_use]
    pub fn new(weight: Percent, formula: Formula) -> Self {
        BlendPart {
            weight,
            formula,
            extra: Extra::new(),
        }
    }
}

/// Units of a service a member used in a year (flying hours, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Usage {
    /// The year.
    pub year: FinancialYear,
    /// The member.
    pub party: PartyId,
    /// The units used.
    pub units: Quantity,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Usage {
    /// `party` used `units` in `year`.
    #[must_use]
    pub fn new(year: FinancialYear, party: PartyId, units: Quantity) -> Self {
        Usage {
            year,
            party,
            units,
            extra: Extra::new(),
        }
    }
}

/// Units of a service a member bought in advance for a full year, paid for
/// whether or not they are used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Purchase {
    /// The year.
    pub year: FinancialYear,
    /// The member.
    pub party: PartyId,
    /// The units bought for a full year.
    pub units: Quantity,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Purchase {
    /// `party` bought `units` for `year`.
    #[must_use]
    pub fn new(year: FinancialYear, party: PartyId, units: Quantity) -> Self {
        Purchase {
            year,
            party,
            units,
            extra: Extra::new(),
        }
    }
}

/// A charge from one member to another beside the shared budget: rent for a
/// shared building, services bought from the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MemberCharge {
    /// The year.
    pub year: FinancialYear,
    /// The member that pays.
    pub payer: PartyId,
    /// The member paid.
    pub payee: PartyId,
    /// What for, in a few words.
    pub what: String,
    /// The amount.
    pub amount: Money,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl MemberCharge {
    /// `payer` pays `payee` `amount` in `year` for `what`.
    #[must_use]
    #[allow(
        clippy::similar_names,
        reason = "payer and payee are the domain's words"
    )]
    pub fn new(
        year: FinancialYear,
        payer: PartyId,
        payee: PartyId,
        what: impl Into<String>,
        amount: Money,
    ) -> Self {
        MemberCharge {
            year,
            payer,
            payee,
            what: what.into(),
            amount,
            extra: Extra::new(),
        }
    }
}

/// A grant received in a year, by the agreement as a whole or by one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Grant {
    /// The year.
    pub year: FinancialYear,
    /// The member that received it; absent for a grant to the agreement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<PartyId>,
    /// Who gave it, such as `Home Office`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The amount.
    pub amount: Money,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Grant {
    /// `amount` received in `year`.
    #[must_use]
    pub fn new(year: FinancialYear, amount: Money) -> Self {
        Grant {
            year,
            party: None,
            from: None,
            amount,
            extra: Extra::new(),
        }
    }
}

/// An asset of the agreement, with who owns it: one member, or several
/// jointly with their shares (an aircraft owned through one commissioner,
/// a building owned by two members half and half).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Asset {
    /// What it is.
    pub name: String,
    /// What it is worth, where stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
    /// Its owners and their shares, adding up to exactly 100.
    pub owners: Vec<AssetShare>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Asset {
    /// `name`, owned by `owners`.
    #[must_use]
    pub fn new(name: impl Into<String>, owners: Vec<AssetShare>) -> Self {
        Asset {
            name: name.into(),
            value: None,
            owners,
            extra: Extra::new(),
        }
    }
}

/// An owner's share of an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AssetShare {
    /// The owner: a member, or the policing body of one.
    pub party: PartyId,
    /// Its share.
    pub percent: Percent,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AssetShare {
    /// `party` owns `percent`.
    #[must_use]
    pub fn new(party: PartyId, percent: Percent) -> Self {
        AssetShare {
            party,
            percent,
            extra: Extra::new(),
        }
    }
}

/// Savings targeted and realised against the pre-collaboration baseline.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
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
    /// Savings realised, by year (and by member where stated).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub realised: Vec<RealisedSaving>,
    /// A realised saving reported only as a percentage of the baseline (such
    /// as HMIC's 20% average for the East Midlands).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realised_percent: Option<Percent>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Savings {
    /// Whether nothing is recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Savings::default()
    }
}

/// A saving realised in one year, by the agreement or by one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RealisedSaving {
    /// The year.
    pub year: FinancialYear,
    /// The amount saved against the baseline.
    pub amount: Money,
    /// The member that realised it, when the source gives savings per member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<PartyId>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RealisedSaving {
    /// `amount` saved in `year`.
    #[must_use]
    pub fn new(year: FinancialYear, amount: Money) -> Self {
        RealisedSaving {
            year,
            amount,
            party: None,
            extra: Extra::new(),
        }
    }
}

/// The formulas governing the days of `span`, in date order, each with the
/// days it governs: on each day the formula that took effect last on or
/// before it, so rates revised part-way through a year apply from the day
/// they take effect. Consecutive formulas that are equal merge into one
/// stretch. This one function decides which formulas share a year, for the
/// rules on load and for apportionment alike.
///
/// # Errors
///
/// The first day of `span` on which no formula is yet in force.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::{formula_segments, DatedFormula, FinancialYear, Formula};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let formulas = [DatedFormula::new(d(2020, 4, 1), Formula::equal()), DatedFormula::new(d(2021, 10, 1), Formula::usage())];
/// let year: FinancialYear = "2021/22".parse()?;
/// let stretches = formula_segments(&formulas, year.period()).unwrap();
/// assert_eq!(stretches.len(), 2);
/// assert_eq!(stretches[1].0.start(), d(2021, 10, 1));
/// assert_eq!(formula_segments(&formulas[1..], year.period()).unwrap_err(), d(2021, 4, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn formula_segments(
    formulas: &[DatedFormula],
    span: Period,
) -> Result<Vec<(Period, &DatedFormula)>, NaiveDate> {
    let start = span.start();
    let first = formulas.partition_point(|f| f.from <= start);
    let Some(governing) = first.checked_sub(1).and_then(|i| formulas.get(i)) else {
        return Err(start);
    };
    let mut out: Vec<(Period, &DatedFormula)> = Vec::new();
    let mut from = start;
    let mut current = governing;
    for next in formulas.get(first..).unwrap_or_default() {
        if span.end().is_some_and(|end| next.from >= end) {
            break;
        }
        if next.formula != current.formula {
            if let Ok(stretch) = Period::new(from, Some(next.from)) {
                out.push((stretch, current));
            }
            from = next.from;
            current = next;
        }
    }
    out.push((
        Period::new(from, span.end()).unwrap_or(Period::from(from)),
        current,
    ));
    Ok(out)
}

/// Half-open days `[start, end)`, always bounded: the spans the cost rules on
/// load and the planner of a year's costs pass to the helpers here.
pub(super) type Days = (NaiveDate, NaiveDate);

/// Spans sorted by start and merged where they overlap or touch.
pub(super) fn merge(mut spans: Vec<Days>) -> Vec<Days> {
    spans.sort_unstable();
    let mut out: Vec<Days> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.0 <= last.1 => last.1 = last.1.max(s.1),
            _ => out.push(s),
        }
    }
    out
}
