//! What-if: the shares of a year if a party withdrew from an agreement, or
//! joined it, beside the current shares, without changing the registry.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::agreement::PartYear;
use crate::costs::Formula;
use crate::dates::{FinancialYear, Period};
use crate::error::{Error, MoneyError};
use crate::id::PartyId;
use crate::money::{Money, Percent, Quantity};
use crate::registry::Registry;
use crate::shares::{Apportionment, Claimant, days_taking_part, refuse};
use crate::tables::{grouped, signed};

/// The terms a party would join on, for [`Registry::what_if_join`].
///
/// `JoinTerms::default()` joins on the year's first day with nothing more;
/// that is enough for equal shares and metric formulas (the joiner's metric
/// values are read from its own record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JoinTerms {
    /// The day it would join; the year's first day when absent. Must fall in
    /// the year and not before the agreement starts.
    pub from: Option<NaiveDate>,
    /// Its percentage of a full year, required when the formula (or a part of
    /// a blend) is fixed percentages, and refused otherwise: a percentage is
    /// an agreed term, not something to invent. The other members'
    /// percentages are scaled to fill the rest in their existing proportions.
    pub percent: Option<Percent>,
    /// Its units used or bought in the year, required when the formula (or a
    /// part of a blend) shares by usage and the party has none recorded, and
    /// refused when the formula does not read usage.
    pub usage: Option<Quantity>,
}

/// The membership change a what-if supposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MembershipChange {
    /// The party takes no part in the year: it withdrew on or before its first day.
    Withdrawal {
        /// The party.
        party: PartyId,
        /// The first day it would not be a member (the year's first day).
        from: NaiveDate,
    },
    /// The party joins on `from`.
    Join {
        /// The party.
        party: PartyId,
        /// The day it would join.
        from: NaiveDate,
        /// Its percentage of a full year, for fixed percentages.
        #[serde(skip_serializing_if = "Option::is_none")]
        percent: Option<Percent>,
        /// Its units for the year, for usage.
        #[serde(skip_serializing_if = "Option::is_none")]
        usage: Option<Quantity>,
    },
}

/// One party's share now and under the what-if.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatIfRow {
    /// The party.
    pub party: PartyId,
    /// What it pays now (zero for a joiner).
    pub current: Money,
    /// What it would pay (zero for a party that withdrew).
    pub what_if: Money,
    /// `what_if - current`.
    pub difference: Money,
}

/// The shares of a year under a supposed membership change, beside the
/// current shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    /// The change supposed.
    pub change: MembershipChange,
    /// Every party in either answer, by party id.
    pub rows: Vec<WhatIfRow>,
    /// The shares as the registry stands.
    pub current: Apportionment,
    /// The shares under the change.
    pub what_if: Apportionment,
}

impl WhatIf {
    fn new(
        change: MembershipChange,
        current: Apportionment,
        what_if: Apportionment,
    ) -> Result<WhatIf, Error> {
        let mut parties: Vec<&PartyId> = current
            .shares
            .iter()
            .chain(&what_if.shares)
            .map(|s| &s.party)
            .collect();
        parties.sort_unstable();
        parties.dedup();
        let rows = parties
            .into_iter()
            .map(|party| {
                let now = current.amount_of(party.as_str());
                let then = what_if.amount_of(party.as_str());
                Ok(WhatIfRow {
                    party: party.clone(),
                    current: now,
                    what_if: then,
                    difference: then.checked_sub(now)?,
                })
            })
            .collect::<Result<Vec<_>, MoneyError>>()?;
        Ok(WhatIf {
            change,
            rows,
            current,
            what_if,
        })
    }

    /// The row of `party`, if it appears.
    pub fn row(&self, party: &str) -> Option<&WhatIfRow> {
        self.rows.iter().find(|r| r.party == party)
    }
}

impl fmt::Display for WhatIf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (agreement, year) = (&self.current.agreement, self.current.year);
        match &self.change {
            MembershipChange::Withdrawal { party, from } => writeln!(
                f,
                "What if {party} withdrew from {agreement} on {from} ({year})?"
            )?,
            MembershipChange::Join { party, from, .. } => {
                writeln!(f, "What if {party} joined {agreement} on {from} ({year})?")?
            }
        }
        let party_w = self
            .rows
            .iter()
            .map(|r| r.party.as_str().len())
            .chain([5])
            .max()
            .unwrap_or(5);
        let amount_w = grouped(self.current.budget).len().max(7) + 1;
        writeln!(
            f,
            "  {:<party_w$}  {:>amount_w$}  {:>amount_w$}  {:>amount_w$}",
            "party", "now", "what if", "difference"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "  {:<party_w$}  {:>amount_w$}  {:>amount_w$}  {:>amount_w$}",
                r.party.as_str(),
                grouped(r.current),
                grouped(r.what_if),
                signed(r.difference)
            )?;
        }
        write!(
            f,
            "  {:<party_w$}  {:>amount_w$}  {:>amount_w$}",
            "total",
            grouped(self.current.budget),
            grouped(self.what_if.budget)
        )
    }
}

/// Whether `formula` reads fixed percentages (`usage == false`) or usage
/// (`usage == true`), in itself or in a part of a blend.
fn reads(formula: &Formula, usage: bool) -> bool {
    match formula {
        Formula::FixedPercentages { .. } => !usage,
        Formula::Usage => usage,
        Formula::Blend { parts } => parts.iter().any(|p| reads(&p.formula, usage)),
        Formula::Equal | Formula::Metric { .. } => false,
    }
}

impl Registry {
    /// The shares of `year` if `party` withdrew from `agreement` from the
    /// year's first day (so takes no part in the year), beside the current
    /// shares, with the difference for each member. The registry is only
    /// borrowed: nothing changes.
    ///
    /// The formula in force is kept; under fixed percentages the remaining
    /// members' percentages are scaled up in proportion (four members at 20%
    /// each pay 25%); under a metric or usage the others keep their values.
    ///
    /// Computes in **O(m log m)** for an agreement of `m` memberships.
    ///
    /// # Errors
    ///
    /// As [`Registry::apportion`], and [`Error::Unknown`] for an unknown
    /// party; [`Error::Refused`] when the party takes no part in the year, or
    /// no member would be left to share the budget.
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let year = "2021/22".parse()?;
    /// let what_if = registry.what_if_withdrawal("em-major-crime", "derbyshire-police", year)?;
    /// let row = what_if.row("leicestershire-police").unwrap();
    /// assert_eq!(row.current.to_string(), "6000000.00");
    /// assert_eq!(row.what_if.to_string(), "7500000.00");
    /// assert_eq!(row.difference.to_string(), "1500000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn what_if_withdrawal(
        &self,
        agreement: &str,
        party: &str,
        year: FinancialYear,
    ) -> Result<WhatIf, Error> {
        let a = self.agreement(agreement)?;
        let leaver = self.party(party)?;
        let costs = self.year_costs(a, year)?;
        let current = costs.apportion(self.info().currency)?;
        let mut changed = costs;
        let before = changed.claimants.len();
        changed.claimants.retain(|c| c.party.id != leaver.id);
        if changed.claimants.len() == before {
            return Err(refuse(
                a,
                year,
                format!("{party:?} takes no part in {} in {year}", a.id),
            ));
        }
        if changed.claimants.is_empty() {
            return Err(refuse(
                a,
                year,
                format!("if {party:?} withdrew no member would be left to share the budget"),
            ));
        }
        let what_if = changed.apportion(self.info().currency)?;
        WhatIf::new(
            MembershipChange::Withdrawal {
                party: leaver.id.clone(),
                from: year.first_day(),
            },
            current,
            what_if,
        )
    }

    /// The shares of `year` if `party` joined `agreement` on the terms given,
    /// beside the current shares, with the difference for each member. The
    /// registry is only borrowed: nothing changes.
    ///
    /// The joiner counts its days from the join date to the year's end (or the
    /// whole year under [`PartYear::WholeYear`]). Under fixed percentages it
    /// takes the percentage in `terms` and the others share the rest in their
    /// existing proportions; under a metric its own recorded value for the
    /// year is used; under usage, `terms.usage` or its recorded usage.
    ///
    /// Computes in **O(m log m)** for an agreement of `m` memberships.
    ///
    /// # Errors
    ///
    /// As [`Registry::apportion`], and [`Error::Unknown`] for an unknown
    /// party; [`Error::Refused`] when the party already takes part in the
    /// year, the join date is outside the year or the agreement, the formula
    /// needs a percentage or usage that `terms` does not give, or `terms`
    /// gives one the formula does not read.
    ///
    /// # Example
    ///
    /// ```
    /// use collab_registry::JoinTerms;
    /// let registry = collab_registry::sample()?;
    /// let year = "2021/22".parse()?;
    /// let what_if = registry.what_if_join(
    ///     "em-major-crime", "bedfordshire-police", year, &JoinTerms::default())?;
    /// // Six equal members instead of five: each pays £5m, not £6m.
    /// assert_eq!(what_if.row("bedfordshire-police").unwrap().what_if.to_string(), "5000000.00");
    /// assert_eq!(what_if.row("lincolnshire-police").unwrap().difference.to_string(), "-1000000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn what_if_join(
        &self,
        agreement: &str,
        party: &str,
        year: FinancialYear,
        terms: &JoinTerms,
    ) -> Result<WhatIf, Error> {
        let a = self.agreement(agreement)?;
        let joiner = self.party(party)?;
        let costs = self.year_costs(a, year)?;
        let from = terms.from.unwrap_or(year.first_day());
        if !year.contains(from) {
            return Err(refuse(
                a,
                year,
                format!("the join date {from} is not in {year}"),
            ));
        }
        if from < a.start || a.end.is_some_and(|end| from >= end) {
            return Err(refuse(
                a,
                year,
                format!("the join date {from} is outside the agreement's term"),
            ));
        }
        if costs.claimants.iter().any(|c| c.party.id == joiner.id) {
            return Err(refuse(
                a,
                year,
                format!("{party:?} already takes part in {} in {year}", a.id),
            ));
        }
        let formula = &costs.formula.formula;
        for (needed, given, what, field) in [
            (
                reads(formula, false),
                terms.percent.is_some(),
                "fixed percentages",
                "percent",
            ),
            (
                reads(formula, true),
                terms.usage.is_some(),
                "usage",
                "usage",
            ),
        ] {
            if given && !needed {
                return Err(refuse(
                    a,
                    year,
                    format!(
                        "JoinTerms::{field} was given, but the formula ({formula}) does not read {what}"
                    ),
                ));
            }
        }
        if reads(formula, false) && terms.percent.is_none() {
            return Err(refuse(
                a,
                year,
                format!(
                    "the formula ({formula}) shares by fixed percentages: give the joiner's percentage in JoinTerms::percent"
                ),
            ));
        }
        let usage = if reads(formula, true) {
            terms.usage.or_else(|| a.costs.usage_of(party, year))
        } else {
            None
        };
        if reads(formula, true) && usage.is_none() {
            return Err(refuse(
                a,
                year,
                format!(
                    "the formula ({formula}) shares by usage and {party:?} has none recorded for {year}: give it in JoinTerms::usage"
                ),
            ));
        }
        let days = match a.leaving.part_year {
            PartYear::WholeYear => u32::try_from(year.days()).unwrap_or(366),
            PartYear::ProRataByDays => days_taking_part(
                a,
                Period {
                    start: from,
                    end: None,
                },
                year,
            ),
        };
        let current = costs.apportion(self.info().currency)?;
        let mut changed = costs;
        let at = changed
            .claimants
            .partition_point(|c| c.party.id < joiner.id);
        changed.claimants.insert(
            at,
            Claimant {
                party: joiner,
                days,
                percent: terms.percent,
                usage,
            },
        );
        let what_if = changed.apportion(self.info().currency)?;
        WhatIf::new(
            MembershipChange::Join {
                party: joiner.id.clone(),
                from,
                percent: terms.percent,
                usage,
            },
            current,
            what_if,
        )
    }
}
