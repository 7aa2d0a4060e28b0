//! Units bought in advance ([`AsOf::entitlements`]): what each member
//! bought for a year, what it is entitled to under the part-year rule, what
//! it used, what it left unused, and what it is charged.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::model::{FinancialYear, Money, PartYear, Quantity};
use crate::questions::answer::{money, opt_money};
use crate::questions::{AgreementRef, AsOf, PartyRef};
use crate::store::Registry;

use super::apportion::{mul_div, round_half_up};
use super::year::YearCosts;

/// The units each member bought in advance for one financial year of an
/// agreement (flying hours, say), non-refundable, with what it is entitled
/// to, used and charged.
///
/// # The rule
///
/// - **Bought** is for a full year
///   ([`CostArrangement::purchases`](crate::model::CostArrangement::purchases)).
/// - **Entitled** is bought × `units / units_in_year`, its units of time in
///   the year under the part-year rule over the year's: under
///   [`PartYear::ProRataByDays`] the days it takes part over the days of the
///   year (joining on 2 October 2013, 181 of 365); under
///   [`PartYear::ProRataByMonths`] the whole months it takes part in over 12
///   (5 of 12); under [`PartYear::ProRataByMonthsBegun`] the months it takes
///   part in on any day over 12 (6 of 12, October counted whole); under
///   [`PartYear::WholeYear`] all of it once it takes part at all. Its days
///   are those within the agreement's span, in any role but observer, as for
///   [`Apportionment`](super::Apportionment).
/// - **Rounding**: `units` and `units_in_year` hold the exact fraction, and
///   the charge is worked from it. [`EntitlementRow::entitled`] is that
///   fraction **rounded half up to four decimal places** (a
///   [`Quantity`]), for display; `unused` and `over` are worked from the
///   rounded figure, which is the same as rounding the exact difference,
///   since usage is recorded to four places.
/// - **Charge**: with a unit price
///   ([`CostArrangement::unit_price`](crate::model::CostArrangement::unit_price)),
///   the exact entitlement × the price, **rounded once, half up, to the
///   minor unit** ([`ChargeBasis::UnitPrice`]); the charges then need not add
///   up to any budget. Without one, the member's share of the year's
///   budget by the formulas in force ([`ChargeBasis::BudgetShare`]), the
///   apportionment itself, so the shares of all members taking part add up
///   to the budget exactly (under [`Formula::Entitlement`](crate::model::Formula::Entitlement)
///   in proportion to the entitlements).
/// - **Not taking part**: a party that bought units for a year it takes no
///   part in (not a member on any day of the agreement's year, or an
///   observer throughout) has a row with `taking_part: false`, no
///   entitlement and no charge, so the slip shows rather than failing the
///   whole answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Entitlements<'r> {
    /// The agreement.
    pub agreement: AgreementRef<'r>,
    /// The financial year.
    pub year: FinancialYear,
    /// The part-year rule entitlements are scaled by.
    pub part_year: PartYear,
    /// The year's units of time an entitlement is a part of: its days (365
    /// or 366), or 12 under a month rule.
    pub units_in_year: u32,
    /// How the charges are worked out.
    pub charged_by: ChargeBasis,
    /// The price of a unit, when charged by it.
    #[serde(serialize_with = "opt_money")]
    pub unit_price: Option<Money>,
    /// The year's budget, when charged as shares of it.
    #[serde(serialize_with = "opt_money")]
    pub budget: Option<Money>,
    /// The sum of the rows' charges.
    #[serde(serialize_with = "money")]
    pub total: Money,
    /// One row per party that bought units for the year, by party id.
    pub rows: Vec<EntitlementRow<'r>>,
}

/// How the charges for units bought in advance are worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChargeBasis {
    /// The entitlement × the agreement's unit price, rounded half up.
    UnitPrice,
    /// The member's share of the year's budget, by the formulas in force.
    BudgetShare,
}

/// What one party bought in advance for a year, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EntitlementRow<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// Whether it takes part on some day of the agreement's year.
    pub taking_part: bool,
    /// The units bought, for a full year.
    pub bought: Quantity,
    /// Its units of time in the year, of [`Entitlements::units_in_year`].
    pub units: u32,
    /// bought × units / units in the year, rounded half up to four places.
    pub entitled: Quantity,
    /// The units it used in the year, if recorded.
    pub used: Option<Quantity>,
    /// `entitled - used`, never below zero (all of it when no use is
    /// recorded): paid for and not used, since nothing is refunded.
    pub unused: Quantity,
    /// `used - entitled` when it used more than its entitlement.
    pub over: Quantity,
    /// What it is charged ([`Entitlements::charged_by`]).
    #[serde(serialize_with = "money")]
    pub charge: Money,
    /// Whether a joining or leaving date it depends on is known only to a
    /// month or a year.
    pub approximate: bool,
}

impl<'r> Entitlements<'r> {
    /// The row of `party`, if it bought units for the year. **O(log n)**.
    #[must_use]
    pub fn row(&self, party: &str) -> Option<&EntitlementRow<'r>> {
        self.rows
            .binary_search_by(|r| r.party.id.as_str().cmp(party))
            .ok()
            .and_then(|i| self.rows.get(i))
    }
}

/// What the charges come from.
enum Basis<'r> {
    Price(Money),
    Shares(super::Apportionment<'r>),
}

/// Ten thousandths in a unit of [`Quantity`].
const PLACES: u128 = 10_000;

/// `price × bought × units / in_year` minor units (bought in ten
/// thousandths), rounded half up once; `None` when it does not fit.
fn priced(price: Money, bought: Quantity, units: u32, in_year: u32) -> Option<Money> {
    let minor = u128::try_from(price.minor_units()).ok()?;
    let scaled = u128::from(bought.ten_thousandths()).checked_mul(u128::from(units))?;
    let d = u128::from(in_year).checked_mul(PLACES)?;
    // The product may pass 128 bits; mul_div works it in 256.
    let (q, r) = mul_div(minor, scaled, d)?;
    let q = if r >= d.saturating_sub(r) {
        q.checked_add(1)?
    } else {
        q
    };
    Some(Money::from_minor(i64::try_from(q).ok()?, price.currency()))
}

impl<'r> AsOf<'r> {
    /// What each member bought in advance for `year` of `agreement`, what
    /// it is entitled to under the part-year rule, what it used and left
    /// unused, and what it is charged, by the rules on [`Entitlements`]:
    /// the entitlement is bought × its units of time over the year's; the
    /// charge the exact entitlement × the unit price rounded half up once,
    /// or, without a unit price, its share of the year's budget. Like every
    /// cost question it counts the facts the register knew on the register
    /// day, whatever the day asked (the day names things).
    ///
    /// **O(m log m + a + p)** for an agreement of m memberships, a
    /// amendments and p purchases, and the apportionment's cost when charged
    /// by budget share.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an agreement the register did not know;
    /// [`ErrorKind::MissingCostInput`] naming the year when no units were
    /// bought for it; without a unit price, as [`AsOf::apportion`] (no
    /// budget, say); [`ErrorKind::Money`] when a charge or the total does
    /// not fit in money.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::*;
    /// use collab_registry::Registry;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let mut registry = Registry::default();
    /// for id in ["force-a", "force-b", "force-c"] {
    ///     registry.add_party(Party::builder(PartyId::new(id)?, id, PartyKind::PoliceForce).build()?)?;
    /// }
    /// // Force b joins on 2 October; a month it is in on any day counts whole.
    /// let mut costs = CostArrangement::default();
    /// costs.part_year = PartYear::ProRataByMonthsBegun;
    /// costs.unit_price = Some(Money::parse("3000.00", Currency::GBP)?);
    /// let year: FinancialYear = "2013/14".parse()?;
    /// for id in ["force-a", "force-b"] {
    ///     costs.purchases.push(Purchase::new(year, PartyId::new(id)?, Quantity::from_whole(1400)));
    /// }
    /// registry.add_agreement(Agreement::builder(AgreementId::new("air")?, "Air support", d(2012, 10, 1))
    ///     .active_from(d(2012, 10, 1))
    ///     .member(Membership::new(PartyId::new("force-a")?, Role::Lead, d(2012, 10, 1)))
    ///     .member(Membership::new(PartyId::new("force-c")?, Role::Member, d(2012, 10, 1)))
    ///     .member(Membership::new(PartyId::new("force-b")?, Role::Member, d(2013, 10, 2)))
    ///     .costs(costs).build()?)?;
    /// let hours = registry.as_of(d(2014, 3, 31)).entitlements("air", year)?;
    /// let b = hours.row("force-b").unwrap();
    /// assert_eq!((b.units, hours.units_in_year), (6, 12));
    /// assert_eq!(b.entitled.to_string(), "700");
    /// assert_eq!(b.charge.to_string(), "2100000.00"); // 700 hours at £3,000
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entitlements(
        &self,
        agreement: &str,
        year: FinancialYear,
    ) -> Result<Entitlements<'r>, Error> {
        const ACTION: &str = "entitlements";
        let key = self.agreement_key(agreement)?;
        let costs = YearCosts::new(self, key, year)?;
        let purchases = costs.view.purchases();
        // Kept by year then party, as the rules require.
        let from = purchases.partition_point(|p| p.year < year);
        let bought: Vec<_> = purchases
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|p| p.year == year)
            .collect();
        if bought.is_empty() {
            return Err(costs.refuse_to(
                ACTION,
                ErrorKind::MissingCostInput,
                format!("no units were bought in advance for {year}"),
            ));
        }
        let price = costs.view.unit_price();
        let basis = match price {
            Some(price) => Basis::Price(price),
            None => Basis::Shares(costs.apportion()?),
        };
        let in_year = costs.units_in_year();
        let currency = match &basis {
            Basis::Price(price) => price.currency(),
            Basis::Shares(shares) => shares.budget.currency(),
        };
        let mut total = Money::zero(currency);
        let mut rows = Vec::with_capacity(bought.len());
        for p in bought {
            let id = p.party.as_str();
            let claimant = costs.claimant(id).filter(|c| c.is_present());
            let units = claimant.map_or(0, |c| c.year_units(costs.rule, year));
            let entitled = u128::from(p.units.ten_thousandths())
                .checked_mul(u128::from(units))
                .and_then(|x| round_half_up(x, u128::from(in_year)))
                .and_then(|x| u64::try_from(x).ok())
                .map(Quantity::from_ten_thousandths)
                .ok_or_else(|| costs.overflow())?;
            let used = costs.view.usage_of(id, year);
            let spent = used.unwrap_or(Quantity::ZERO);
            let charge = match &basis {
                Basis::Price(price) => priced(*price, p.units, units, in_year).ok_or_else(|| {
                    costs
                        .refuse_to(
                            ACTION,
                            ErrorKind::Money,
                            format!(
                                "{id:?}'s entitlement of {entitled} units at {price} a unit does not fit in money"
                            ),
                        )
                        .party(id)
                })?,
                Basis::Shares(shares) => shares.amount_of(id),
            };
            total = total.checked_add(charge)?;
            rows.push(EntitlementRow {
                party: self.party_ref(&p.party),
                taking_part: claimant.is_some(),
                bought: p.units,
                units,
                entitled,
                used,
                unused: entitled.checked_sub(spent).unwrap_or(Quantity::ZERO),
                over: spent.checked_sub(entitled).unwrap_or(Quantity::ZERO),
                charge,
                approximate: claimant.is_some_and(|c| c.approximate),
            });
        }
        Ok(Entitlements {
            agreement: costs.agreement,
            year,
            part_year: costs.rule,
            units_in_year: in_year,
            charged_by: match basis {
                Basis::Price(_) => ChargeBasis::UnitPrice,
                Basis::Shares(_) => ChargeBasis::BudgetShare,
            },
            unit_price: price,
            budget: match basis {
                Basis::Price(_) => None,
                Basis::Shares(shares) => Some(shares.budget),
            },
            total,
            rows,
        })
    }
}

impl Registry {
    /// [`AsOf::entitlements`] with everything the register now holds.
    /// **O(m log m + a + p)**.
    ///
    /// # Errors
    ///
    /// As [`AsOf::entitlements`].
    ///
    /// # Example
    ///
    /// ```
    /// use collab_registry::ErrorKind;
    /// let registry = collab_registry::sample()?;
    /// // The sample's agreements share budgets; none buys units in advance.
    /// let err = registry.entitlements("em-major-crime", "2021/22".parse()?).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::MissingCostInput);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entitlements(
        &self,
        agreement: &str,
        year: FinancialYear,
    ) -> Result<Entitlements<'_>, Error> {
        self.as_of(NaiveDate::MAX).entitlements(agreement, year)
    }
}
