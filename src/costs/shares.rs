//! An agreement's budget for a financial year shared among the members
//! taking part ([`AsOf::apportion`], answered by [`Apportionment`], whose
//! docs give the rules in full), and a member's charge for any period
//! ([`AsOf::charges`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::model::{FinancialYear, Money, PartYear, Period};
use crate::questions::answer::money;
use crate::questions::{AgreementRef, AsOf, PartyRef};
use crate::store::Registry;

use super::apportion::round_half_up;
use super::parts::{Share, Stretch};
use super::year::{Days, YearCosts};

/// What each member pays towards an agreement's budget for one year.
///
/// Shares are sorted by party id and add up to the budget exactly.
///
/// # What counts: the register day, not the day asked
///
/// A year is the question's own period, so a year's shares count every
/// fact the register knew on the question's register day
/// ([`AsOf::as_recorded_on`]; every fact, when none is set), whatever day
/// the question is asked as of: memberships with their whole periods (a
/// joining counts once entered; a leaving ends the membership once
/// entered), roles on each day, the budget, the formulas each with the day
/// it takes effect, the part-year rule, usage and the members' metrics. The
/// day asked only names things (titles and names as of that day). So the
/// 2021/22 shares asked as of 1 May 2021 already count a member that leaves
/// in September, if the register knew of its leaving.
///
/// # How a year's budget is shared
///
/// - **Who shares**: every member taking part on some day of the year within
///   the agreement's span (its start to its fixed end or termination), in
///   any role but observer. A party with two memberships in a year (it left
///   and rejoined) is one claimant whose time is added up.
/// - **Units** ([`PartYear`], four rules):
///   - [`PartYear::ProRataByDays`] (the default): the unit is a day, and a
///     member counts the days it takes part;
///   - [`PartYear::ProRataByMonths`]: the unit is a calendar month, and a
///     member counts a month only if it takes part on every day of it
///     (joining on 2 October, it counts November to March, 5 months);
///   - [`PartYear::ProRataByMonthsBegun`]: the unit is a calendar month, and
///     a member counts every month it takes part in on at least one day
///     (joining on 2 October, October counts whole: 6 months);
///   - [`PartYear::WholeYear`]: the unit is a day, and a member taking part
///     on any day of the year counts every day of the agreement's year.
///
///   The year's **paying units** are the units of the year within the
///   agreement's span on which at least one member takes part: the days on
///   which one does, or, under the month rules, the months one counts;
///   under the whole-year rule every day of the span, once any member takes
///   part at all (everyone there is treated as there all year, so the
///   year is paid whole).
/// - **Rates revised part-way through a year apply from the day they take
///   effect.** Each day is governed by the formula that took effect last on
///   or before it ([`formula_segments`](crate::model::formula_segments));
///   under the month rules a month belongs to the formula in force on its
///   first day in the agreement's span (its first day, unless the agreement
///   starts part-way through it), so a member joining on 2 October under
///   months begun is weighed for October by the formula of 1 October.
///   Consecutive paying units under one formula form a **stretch**, and
///   stretch *k* receives `budget × (its paying units / all paying units)`.
/// - **Loading checks what sharing reads.** The rules on load ask, for
///   every member and budgeted year, exactly the days and months this
///   planner reads for it (under the same part-year rule, span and role on
///   each day): a formula in force on each, a fixed share in every fixed
///   percentages among them, the metrics they name. So a year of a
///   registry that loads can be shared, unless it needs usage or units
///   bought in advance that are not recorded (the rules do not require
///   them: they are often recorded after the year).
/// - **Weights**: within a stretch each member's weight is its formula
///   weight times its units in the stretch, and the stretch's part is split
///   in proportion to the weights:
///   - equal shares: 1;
///   - fixed percentages: the member's percentage (percentages that no
///     longer add up to 100, because a member is absent, are scaled up in
///     proportion);
///   - a metric: the member's value of that metric for the year;
///   - usage: the units recorded for the year, *not* multiplied by time,
///     since usage recorded for a part year already reflects it (a member
///     with no units in the stretch has no weight in it);
///   - entitlement: the units bought in advance for the full year
///     ([`CostArrangement::purchases`](crate::model::CostArrangement::purchases)),
///     multiplied by time like the others, so that over the year each
///     member's weight is its entitlement: bought × its units of the year ÷
///     the year's units (see [`AsOf::entitlements`]);
///   - a blend: each part is the split of its own formula, mixed by the
///     parts' weights exactly.
///
///   With one formula all year and days as the unit, this is weight × days
///   of membership: a member that left on 30 September 2021 took part from
///   1 April to 29 September, 182 of the 365 days of 2021/22, so among three
///   equal members its weight is 182 against 365 and 365.
/// - **Rounding, once**: each member's exact quota is the sum over the
///   stretches (and blend parts) of its exact part, combined over a common
///   denominator, and the year is rounded once by the largest-remainder
///   method ([`largest_remainder`](super::largest_remainder)): shares add up
///   to the budget to the minor unit, each within one minor unit of its exact
///   quota. **Tie-break**: between equal remainders the party whose id sorts
///   first (byte order) gets the extra minor unit, so £100.00 among three
///   equal members gives 33.34 to the first id and 33.33 to the others,
///   whatever order they were recorded in.
/// - **Exactness**: integers throughout, checked: `u128` first, and when a
///   common denominator outgrows it (blends revised part-way through a
///   year, with members there for different days, multiply totals
///   together) the year is worked again in integers of any length, so no
///   budget money can hold is refused for its size and nothing ever wraps.
///   Nothing passes through floating point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Apportionment<'r> {
    /// The agreement.
    pub agreement: AgreementRef<'r>,
    /// The financial year.
    pub year: FinancialYear,
    /// The budget shared.
    #[serde(serialize_with = "money")]
    pub budget: Money,
    /// Whether the budget is illustrative rather than sourced.
    pub illustrative: bool,
    /// The unit of time members count.
    pub part_year: PartYear,
    /// The year's paying units: days, or months under
    /// [`PartYear::ProRataByMonths`] and [`PartYear::ProRataByMonthsBegun`].
    pub units: u32,
    /// The stretches of the year, in date order.
    pub stretches: Vec<Stretch>,
    /// Each member's share, by party id.
    pub shares: Vec<Share<'r>>,
    /// Whether any share rests on a date known only to a month or a year
    /// ([`Share::approximate`]): every share then is approximate, since
    /// each member's part depends on the days the others count.
    pub approximate: bool,
}

/// The share of `party` among `shares` (sorted by party id).
fn find<'a, 'r>(shares: &'a [Share<'r>], party: &str) -> Option<&'a Share<'r>> {
    shares
        .binary_search_by(|s| s.party.id.as_str().cmp(party))
        .ok()
        .and_then(|i| shares.get(i))
}

impl<'r> Apportionment<'r> {
    /// The share of `party`, if it takes part. **O(log n)**.
    #[must_use]
    pub fn share_of(&self, party: &str) -> Option<&Share<'r>> {
        find(&self.shares, party)
    }

    /// What `party` pays: its share, or zero when it does not take part.
    #[must_use]
    pub fn amount_of(&self, party: &str) -> Money {
        self.share_of(party)
            .map_or(Money::zero(self.budget.currency()), |s| s.amount)
    }
}

impl<'r> YearCosts<'r> {
    /// Shares the year's budget among the claimants.
    pub(crate) fn apportion(&self) -> Result<Apportionment<'r>, Error> {
        let budget = self.view.budget(self.year).ok_or_else(|| {
            self.refuse(
                ErrorKind::MissingCostInput,
                format!("no budget is recorded for {}", self.year),
            )
        })?;
        let plan = self.plan(self.year_window())?;
        let (stretches, shares) = self.share(budget.amount, &plan)?;
        Ok(Apportionment {
            agreement: self.agreement,
            year: self.year,
            budget: budget.amount,
            illustrative: budget.illustrative,
            part_year: self.rule,
            units: plan.total,
            stretches,
            approximate: shares.iter().any(|s| s.approximate),
            shares,
        })
    }
}

/// What each member is charged towards an agreement for a period
/// ([`AsOf::charges`]).
///
/// The period is split at financial-year boundaries. For each year, its part
/// of the budget is `budget × (the period's paying units in the year / the
/// year's paying units)`, **rounded half up to the minor unit**, and that
/// part is shared among the members by the rules of [`Apportionment`]
/// applied to the period's units of the year only (its stretches, each
/// member's units in them, one largest-remainder rounding), so each year's
/// shares add up to its rounded part exactly. Under the month rules a month
/// belongs to the period that holds its first day in the agreement's span.
/// Years in which the period has no paying unit are left out.
/// A period covering a whole year is charged exactly that year's
/// apportionment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Charges<'r> {
    /// The agreement.
    pub agreement: AgreementRef<'r>,
    /// The period charged.
    pub period: Period,
    /// The sum of the years' parts.
    #[serde(serialize_with = "money")]
    pub total: Money,
    /// Each year the period has paying units in, in order.
    pub years: Vec<YearCharge<'r>>,
    /// What each member is charged over the whole period, by party id.
    pub members: Vec<MemberCharge<'r>>,
}

/// The part of one year's budget a period is charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct YearCharge<'r> {
    /// The year.
    pub year: FinancialYear,
    /// Its whole budget.
    #[serde(serialize_with = "money")]
    pub budget: Money,
    /// The year's paying units.
    pub units_in_year: u32,
    /// The period's paying units in the year.
    pub units: u32,
    /// The part of the budget for those units, rounded half up.
    #[serde(serialize_with = "money")]
    pub amount: Money,
    /// The stretches of the period's part of the year.
    pub stretches: Vec<Stretch>,
    /// Each member's share of `amount`, by party id.
    pub shares: Vec<Share<'r>>,
}

/// What one member is charged over a whole period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MemberCharge<'r> {
    /// The member.
    pub party: PartyRef<'r>,
    /// The sum of its shares of each year's part.
    #[serde(serialize_with = "money")]
    pub amount: Money,
    /// Whether the share of any year's part is approximate: some member's
    /// date in it is known only to a month or a year ([`Share::approximate`]).
    pub approximate: bool,
}

impl Charges<'_> {
    /// What `party` is charged over the period: zero when it takes no part.
    #[must_use]
    pub fn amount_of(&self, party: &str) -> Money {
        self.members
            .binary_search_by(|m| m.party.id.as_str().cmp(party))
            .ok()
            .and_then(|i| self.members.get(i))
            .map_or(Money::zero(self.total.currency()), |m| m.amount)
    }
}

impl<'r> YearCharge<'r> {
    /// The share of `party` of this year's part, if it takes part.
    #[must_use]
    pub fn share_of(&self, party: &str) -> Option<&Share<'r>> {
        find(&self.shares, party)
    }
}

impl<'r> AsOf<'r> {
    /// What each member pays towards `agreement`'s budget for `year`, by the
    /// formulas and part-year rule of the year (see the rules on
    /// [`Apportionment`]: rates revised part-way through the year apply
    /// from the day they take effect; each member's weight is its formula
    /// weight × its units in each stretch; rounded once by largest
    /// remainder, ties to the first party id). The year's facts are those
    /// the register knew on the register day, whatever the day asked.
    ///
    /// **O(m log m + m·s + a)** for an agreement of m memberships, s
    /// stretches and a amendments.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an agreement the register did not know;
    /// [`ErrorKind::MissingCostInput`] naming the agreement and year when no
    /// budget is recorded for the year, no formula is in force on a paying
    /// day, no member takes part, a member has no fixed share, metric value,
    /// usage or units bought its formula needs (the error names it), or the
    /// weights of a stretch add up to zero.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
    /// let shares = on.apportion("em-major-crime", "2021/22".parse()?)?;
    /// // £30m shared equally among the five East Midlands forces.
    /// assert_eq!(shares.shares.len(), 5);
    /// assert_eq!(shares.amount_of("derbyshire-police").to_string(), "6000000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apportion(
        &self,
        agreement: &str,
        year: FinancialYear,
    ) -> Result<Apportionment<'r>, Error> {
        let key = self.agreement_key(agreement)?;
        YearCosts::new(self, key, year)?.apportion()
    }

    /// What each member is charged towards `agreement` for `period`, which
    /// may be any run of days, split at financial-year boundaries: each
    /// year's part of its budget for the period's paying units, rounded
    /// half up to the minor unit and shared by the rules of
    /// [`Apportionment`] over those units (see [`Charges`]).
    ///
    /// **O(y·(m log m + m·s))** for y years of an agreement of m memberships
    /// and s stretches a year.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDate`] for a period without an end;
    /// [`ErrorKind::UnknownId`] for an agreement the register did not know;
    /// as [`AsOf::apportion`] for a year the period has paying units in.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::Period;
    /// let registry = collab_registry::sample()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let on = registry.as_of(d(2021, 4, 1));
    /// // April to June 2021 of major crime: 91 of 365 days of £30m is
    /// // £7,479,452.05 (rounded half up), £1,495,890.41 a force.
    /// let q1 = on.charges("em-major-crime", Period::new(d(2021, 4, 1), Some(d(2021, 7, 1)))?)?;
    /// assert_eq!(q1.total.to_string(), "7479452.05");
    /// assert_eq!(q1.amount_of("derbyshire-police").to_string(), "1495890.41");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn charges(&self, agreement: &str, period: Period) -> Result<Charges<'r>, Error> {
        let key = self.agreement_key(agreement)?;
        let Some(end) = period.end() else {
            return Err(Error::refused(
                ErrorKind::InvalidDate,
                "charge",
                agreement,
                period.start(),
                "a period without an end cannot be charged",
            )
            .agreement(agreement));
        };
        let window: Days = (period.start(), end);
        let currency = self.registry().info().currency;
        let mut years = Vec::new();
        let mut year = FinancialYear::containing(period.start());
        while let Some(y) = year.filter(|y| y.first_day() < end) {
            let costs = YearCosts::new(self, key, y)?;
            let part = costs.plan(window)?;
            if part.total > 0 {
                years.push(charge_year(&costs, &part)?);
            }
            year = y.next();
        }
        let mut members: Vec<MemberCharge<'r>> = Vec::new();
        let mut total = Money::zero(currency);
        for y in &years {
            total = total.checked_add(y.amount)?;
            let approximate = y.shares.iter().any(|s| s.approximate);
            for s in &y.shares {
                match members.binary_search_by(|m| m.party.id.cmp(s.party.id)) {
                    Ok(i) => {
                        if let Some(m) = members.get_mut(i) {
                            m.amount = m.amount.checked_add(s.amount)?;
                            m.approximate |= approximate;
                        }
                    }
                    Err(i) => members.insert(
                        i,
                        MemberCharge {
                            party: s.party,
                            amount: s.amount,
                            approximate,
                        },
                    ),
                }
            }
        }
        let named = self
            .view(key)
            .ok_or_else(|| Error::unknown_agreement(agreement))?;
        Ok(Charges {
            agreement: AsOf::agreement_ref(&named),
            period,
            total,
            years,
            members,
        })
    }
}

/// The charge of the period's units `part` of one year.
fn charge_year<'r>(
    costs: &YearCosts<'r>,
    part: &super::year::Plan<'_>,
) -> Result<YearCharge<'r>, Error> {
    let budget = costs.view.budget(costs.year).ok_or_else(|| {
        costs.refuse(
            ErrorKind::MissingCostInput,
            format!("no budget is recorded for {}", costs.year),
        )
    })?;
    let whole = costs.plan(costs.year_window())?;
    let minor = u128::try_from(budget.amount.minor_units()).map_err(|_| {
        costs.refuse(
            ErrorKind::InvalidValue,
            "an amount below zero cannot be shared",
        )
    })?;
    let amount = minor
        .checked_mul(u128::from(part.total))
        .and_then(|x| round_half_up(x, u128::from(whole.total)))
        .and_then(|x| i64::try_from(x).ok())
        .ok_or_else(|| costs.overflow())?;
    let amount = Money::from_minor(amount, budget.amount.currency());
    let (stretches, shares) = costs.share(amount, part)?;
    Ok(YearCharge {
        year: costs.year,
        budget: budget.amount,
        units_in_year: whole.total,
        units: part.total,
        amount,
        stretches,
        shares,
    })
}

impl Registry {
    /// [`AsOf::apportion`] with everything the register now holds (names
    /// as they now stand). **O(m log m + m·s)**.
    ///
    /// # Errors
    ///
    /// As [`AsOf::apportion`].
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let shares = registry.apportion("northamptonshire-enabling-services", "2021/22".parse()?)?;
    /// // £10m in proportion to the police and fire revenue budgets, £153.5m and £25.3m.
    /// assert_eq!(shares.amount_of("northamptonshire-police").to_string(), "8585011.19");
    /// assert_eq!(shares.amount_of("northamptonshire-fire").to_string(), "1414988.81");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apportion(
        &self,
        agreement: &str,
        year: FinancialYear,
    ) -> Result<Apportionment<'_>, Error> {
        self.as_of(NaiveDate::MAX).apportion(agreement, year)
    }

    /// [`AsOf::charges`] with everything the register now holds.
    /// **O(y·(m log m + m·s))**.
    ///
    /// # Errors
    ///
    /// As [`AsOf::charges`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::Period;
    /// let registry = collab_registry::sample()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let year = registry.charges("em-major-crime", Period::new(d(2021, 4, 1), Some(d(2022, 4, 1)))?)?;
    /// assert_eq!(year.total.to_string(), "30000000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn charges(&self, agreement: &str, period: Period) -> Result<Charges<'_>, Error> {
        self.as_of(NaiveDate::MAX).charges(agreement, period)
    }
}
