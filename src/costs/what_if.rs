//! What-if: the shares of a year if a party withdrew from an agreement, or
//! joined it, beside the current shares, without changing the registry.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::model::{FinancialYear, Formula, Money, MoneyError, Percent, Quantity};
use crate::questions::answer::money;
use crate::questions::{AsOf, PartyRef};
use crate::store::Registry;

use super::shares::Apportionment;
use super::year::YearCosts;

/// The terms a party would join on, for [`AsOf::what_if_join`].
///
/// `JoinTerms::new()` joins on the first day of the agreement in the year
/// (1 April, unless it starts later) with nothing more; that is enough for
/// equal shares and metric formulas (the joiner's metric values are read
/// from its own record).
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::costs::JoinTerms;
/// let terms = JoinTerms::new()
///     .on(NaiveDate::from_ymd_opt(2021, 10, 1).unwrap())
///     .with_percent("20".parse()?);
/// assert_eq!(terms.percent.map(|p| p.to_string()).as_deref(), Some("20"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct JoinTerms {
    /// The day it would join; the agreement's first day in the year when
    /// absent. Must fall in the year and in the agreement's term.
    pub from: Option<NaiveDate>,
    /// Its percentage of a full year, required when a formula governing its
    /// days (or a part of a blend) is fixed percentages, and refused
    /// otherwise: a percentage is an agreed term, not something to invent.
    /// The other members' percentages are scaled to fill the rest in their
    /// existing proportions.
    pub percent: Option<Percent>,
    /// Its units used in the year, required when a formula governing its
    /// days (or a part of a blend) shares by usage and the party has none
    /// recorded, and refused when no formula governing its days reads usage.
    pub usage: Option<Quantity>,
    /// The units it would buy in advance for a full year, required when a
    /// formula governing its days shares by entitlement and the party bought
    /// none for the year, and refused when none reads units bought.
    pub bought: Option<Quantity>,
}

impl JoinTerms {
    /// Joining on the agreement's first day in the year, with nothing more.
    #[must_use]
    pub fn new() -> Self {
        JoinTerms::default()
    }

    /// The same terms, joining on `day`.
    #[must_use]
    pub fn on(self, day: NaiveDate) -> Self {
        JoinTerms {
            from: Some(day),
            ..self
        }
    }

    /// The same terms, with the joiner's percentage of a full year.
    #[must_use]
    pub fn with_percent(self, percent: Percent) -> Self {
        JoinTerms {
            percent: Some(percent),
            ..self
        }
    }

    /// The same terms, with the units the joiner would buy in advance for a
    /// full year (pro rata for its part of it, as the members' are).
    #[must_use]
    pub fn with_bought(self, units: Quantity) -> Self {
        JoinTerms {
            bought: Some(units),
            ..self
        }
    }

    /// The same terms, with the joiner's units for the year.
    #[must_use]
    pub fn with_usage(self, usage: Quantity) -> Self {
        JoinTerms {
            usage: Some(usage),
            ..self
        }
    }
}

/// The membership change a what-if supposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MembershipChange<'r> {
    /// The party takes no part in the year: it withdrew on or before its
    /// first day.
    Withdrawal {
        /// The party.
        party: PartyRef<'r>,
        /// The first day it would not be a member (the year's first day).
        from: NaiveDate,
    },
    /// The party joins on `from`.
    Join {
        /// The party.
        party: PartyRef<'r>,
        /// The day it would join.
        from: NaiveDate,
        /// Its percentage of a full year, for fixed percentages.
        percent: Option<Percent>,
        /// Its units for the year, for usage.
        usage: Option<Quantity>,
        /// The units it would buy in advance, for an entitlement formula.
        bought: Option<Quantity>,
    },
}

/// One party's share now and under the what-if.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WhatIfRow<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// What it pays now (zero for a joiner).
    #[serde(serialize_with = "money")]
    pub current: Money,
    /// What it would pay (zero for a party that withdrew).
    #[serde(serialize_with = "money")]
    pub what_if: Money,
    /// `what_if - current`.
    #[serde(serialize_with = "money")]
    pub difference: Money,
}

/// The shares of a year under a supposed membership change, beside the
/// current shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WhatIf<'r> {
    /// The change supposed.
    pub change: MembershipChange<'r>,
    /// Every party in either answer, by party id.
    pub rows: Vec<WhatIfRow<'r>>,
    /// The shares as the registry stands.
    pub current: Apportionment<'r>,
    /// The shares under the change.
    pub what_if: Apportionment<'r>,
}

impl<'r> WhatIf<'r> {
    fn new(
        change: MembershipChange<'r>,
        current: Apportionment<'r>,
        what_if: Apportionment<'r>,
    ) -> Result<Self, Error> {
        let mut parties: Vec<PartyRef<'r>> = current
            .shares
            .iter()
            .chain(&what_if.shares)
            .map(|s| s.party)
            .collect();
        parties.sort_unstable_by(|a, b| a.id.cmp(b.id));
        parties.dedup_by(|a, b| a.id == b.id);
        let rows = parties
            .into_iter()
            .map(|party| {
                let now = current.amount_of(party.id.as_str());
                let then = what_if.amount_of(party.id.as_str());
                Ok(WhatIfRow {
                    party,
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

    /// The row of `party`, if it appears. **O(log n)**.
    #[must_use]
    pub fn row(&self, party: &str) -> Option<&WhatIfRow<'r>> {
        self.rows
            .binary_search_by(|r| r.party.id.as_str().cmp(party))
            .ok()
            .and_then(|i| self.rows.get(i))
    }
}

/// A refusal of a what-if on `costs`, saying why.
fn refuse(
    costs: &YearCosts<'_>,
    kind: ErrorKind,
    party: &str,
    reason: impl std::fmt::Display,
) -> Error {
    let id = costs.view.id().as_str();
    Error::refused(
        kind,
        "what-if",
        &format!("{party} in {id} in {}", costs.year),
        costs.year.first_day(),
        reason,
    )
    .agreement(id)
    .party(party)
}

impl<'r> AsOf<'r> {
    /// The shares of `year` if `party` withdrew from `agreement` from the
    /// year's first day (so takes no part in the year), beside the current
    /// shares, with the difference for each member. The registry is only
    /// borrowed: nothing changes.
    ///
    /// The formulas in force are kept; under fixed percentages the
    /// remaining members' percentages are scaled up in proportion (four
    /// members at 20% each pay 25%); under a metric or usage the others keep
    /// their values. The year counts the facts of [`AsOf::apportion`].
    ///
    /// **O(m log m + m·s + a)** for an agreement of m memberships, s
    /// stretches and a amendments.
    ///
    /// # Errors
    ///
    /// As [`AsOf::apportion`]; [`ErrorKind::UnknownId`] for an unknown
    /// party; [`ErrorKind::NotAMember`] when the party takes no part in the
    /// year; [`ErrorKind::MissingCostInput`] when no member would be left to
    /// share the budget.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
    /// let what_if = on.what_if_withdrawal("em-major-crime", "derbyshire-police", "2021/22".parse()?)?;
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
    ) -> Result<WhatIf<'r>, Error> {
        let key = self.agreement_key(agreement)?;
        let leaver = self.party_key(party)?;
        let id = self
            .registry()
            .party_at(leaver)
            .ok_or_else(|| Error::unknown_party(party))?
            .id();
        let costs = YearCosts::new(self, key, year)?;
        let current = costs.apportion()?;
        let mut changed = costs.clone();
        let before = changed.claimants.len();
        changed.claimants.retain(|c| c.party != id);
        if changed.claimants.len() == before {
            return Err(refuse(
                &costs,
                ErrorKind::NotAMember,
                party,
                format!("{party:?} takes no part in {agreement} in {year}"),
            ));
        }
        if !changed
            .claimants
            .iter()
            .any(super::year::Claimant::is_present)
        {
            return Err(refuse(
                &costs,
                ErrorKind::MissingCostInput,
                party,
                format!("if {party:?} withdrew no member would be left to share the budget"),
            ));
        }
        let what_if = changed.apportion()?;
        WhatIf::new(
            MembershipChange::Withdrawal {
                party: self.party_ref(id),
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
    /// The joiner takes part from the join day to the year's end (or the
    /// agreement's), counted by the agreement's part-year rule. Under fixed
    /// percentages it takes the percentage in `terms` and the others share
    /// the rest in their existing proportions; under a metric its own
    /// recorded value for the year is used; under usage, `terms.usage` or
    /// its recorded usage.
    ///
    /// **O(m log m + m·s + a)** for an agreement of m memberships, s
    /// stretches and a amendments.
    ///
    /// # Errors
    ///
    /// As [`AsOf::apportion`]; [`ErrorKind::UnknownId`] for an unknown
    /// party; [`ErrorKind::InvalidValue`] when the party already takes part
    /// in the year, or `terms` gives a percentage or usage no formula
    /// governing its days reads; [`ErrorKind::OutOfPeriod`] when the join
    /// day is outside the year or the agreement's term;
    /// [`ErrorKind::MissingCostInput`] when a formula governing its days
    /// needs a percentage or usage that neither `terms` nor the register
    /// gives.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::costs::JoinTerms;
    /// let registry = collab_registry::sample()?;
    /// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
    /// let what_if = on.what_if_join(
    ///     "em-major-crime", "bedfordshire-police", "2021/22".parse()?, &JoinTerms::new())?;
    /// // Six equal members instead of five: each pays £5m, not £6m.
    /// assert_eq!(what_if.row("bedfordshire-police").unwrap().what_if.to_string(), "5000000.00");
    /// assert_eq!(what_if.row("lincolnshire-police").unwrap().difference.to_string(), "-1000000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[allow(
        clippy::too_many_lines,
        reason = "each term a joiner may give is checked against what the formulas of its days read, one after another"
    )]
    pub fn what_if_join(
        &self,
        agreement: &str,
        party: &str,
        year: FinancialYear,
        terms: &JoinTerms,
    ) -> Result<WhatIf<'r>, Error> {
        let key = self.agreement_key(agreement)?;
        let joiner = self.party_key(party)?;
        let id = self
            .registry()
            .party_at(joiner)
            .ok_or_else(|| Error::unknown_party(party))?
            .id();
        let costs = YearCosts::new(self, key, year)?;
        let Some(span) = costs.span else {
            return Err(refuse(
                &costs,
                ErrorKind::OutOfPeriod,
                party,
                format!("{agreement} does not run in {year}"),
            ));
        };
        let from = terms.from.unwrap_or(span.0);
        if !year.contains(from) {
            return Err(refuse(
                &costs,
                ErrorKind::OutOfPeriod,
                party,
                format!("the join day {from} is not in {year}"),
            ));
        }
        if from < span.0 || span.1 <= from {
            return Err(refuse(
                &costs,
                ErrorKind::OutOfPeriod,
                party,
                format!("the join day {from} is outside the agreement's term"),
            ));
        }
        if costs
            .claimants
            .iter()
            .any(|c| c.party == id && c.is_present())
        {
            return Err(refuse(
                &costs,
                ErrorKind::InvalidValue,
                party,
                format!("{party:?} already takes part in {agreement} in {year}"),
            ));
        }
        let current = costs.apportion()?;
        let mut changed = costs.clone();
        let at = changed.add_joiner(id, from, terms.percent, terms.usage, terms.bought);
        // What the formulas governing the joiner's units read.
        let (fixed, usage, entitlement) = {
            let plan = changed.plan(changed.year_window())?;
            let read = |test: fn(&Formula) -> bool| {
                plan.stretches
                    .iter()
                    .enumerate()
                    .any(|(k, s)| plan.units_of(at, k) > 0 && test(&s.formula.formula))
            };
            (
                read(Formula::has_fixed_percentages),
                read(Formula::reads_usage),
                read(Formula::reads_purchases),
            )
        };
        for (given, needed, what, field) in [
            (
                terms.percent.is_some(),
                fixed,
                "fixed percentages",
                "percent",
            ),
            (terms.usage.is_some(), usage, "usage", "usage"),
            (
                terms.bought.is_some(),
                entitlement,
                "units bought in advance",
                "bought",
            ),
        ] {
            if given && !needed {
                return Err(refuse(
                    &costs,
                    ErrorKind::InvalidValue,
                    party,
                    format!(
                        "JoinTerms::{field} was given, but no formula governing its days reads {what}"
                    ),
                ));
            }
        }
        if fixed && terms.percent.is_none() {
            return Err(refuse(
                &costs,
                ErrorKind::MissingCostInput,
                party,
                "a formula governing its days shares by fixed percentages: give the joiner's percentage in JoinTerms::percent",
            ));
        }
        let units = if usage {
            terms
                .usage
                .or_else(|| costs.view.usage_of(id.as_str(), year))
        } else {
            None
        };
        if usage && units.is_none() {
            return Err(refuse(
                &costs,
                ErrorKind::MissingCostInput,
                party,
                format!(
                    "a formula governing its days shares by usage and {party:?} has none recorded for {year}: give it in JoinTerms::usage"
                ),
            ));
        }
        let bought = if entitlement {
            terms.bought.or_else(|| {
                costs
                    .view
                    .purchases()
                    .iter()
                    .find(|p| p.year == year && p.party == *id)
                    .map(|p| p.units)
            })
        } else {
            None
        };
        if entitlement && bought.is_none() {
            return Err(refuse(
                &costs,
                ErrorKind::MissingCostInput,
                party,
                format!(
                    "a formula governing its days shares by units bought in advance and {party:?} bought none for {year}: give them in JoinTerms::bought"
                ),
            ));
        }
        if let Some(c) = changed.claimants.get_mut(at) {
            c.usage = units;
            c.bought = bought;
        }
        let what_if = changed.apportion()?;
        WhatIf::new(
            MembershipChange::Join {
                party: self.party_ref(id),
                from,
                percent: terms.percent,
                usage: units,
                bought,
            },
            current,
            what_if,
        )
    }
}

impl Registry {
    /// [`AsOf::what_if_withdrawal`] with everything the register now holds.
    /// **O(m log m + m·s)**.
    ///
    /// # Errors
    ///
    /// As [`AsOf::what_if_withdrawal`].
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let what_if = registry.what_if_withdrawal("em-major-crime", "derbyshire-police", "2021/22".parse()?)?;
    /// assert_eq!(what_if.row("derbyshire-police").unwrap().difference.to_string(), "-6000000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn what_if_withdrawal(
        &self,
        agreement: &str,
        party: &str,
        year: FinancialYear,
    ) -> Result<WhatIf<'_>, Error> {
        self.as_of(NaiveDate::MAX)
            .what_if_withdrawal(agreement, party, year)
    }

    /// [`AsOf::what_if_join`] with everything the register now holds.
    /// **O(m log m + m·s)**.
    ///
    /// # Errors
    ///
    /// As [`AsOf::what_if_join`].
    ///
    /// # Example
    ///
    /// ```
    /// use collab_registry::costs::JoinTerms;
    /// let registry = collab_registry::sample()?;
    /// // Derbyshire rejoining operational support at 20%: the four others go
    /// // from 25% to 20% each, £4.2m all round.
    /// let terms = JoinTerms::new().with_percent("20".parse()?);
    /// let what_if = registry.what_if_join("em-operational-support", "derbyshire-police", "2021/22".parse()?, &terms)?;
    /// assert!(what_if.rows.iter().all(|r| r.what_if.to_string() == "4200000.00"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn what_if_join(
        &self,
        agreement: &str,
        party: &str,
        year: FinancialYear,
        terms: &JoinTerms,
    ) -> Result<WhatIf<'_>, Error> {
        self.as_of(NaiveDate::MAX)
            .what_if_join(agreement, party, year, terms)
    }
}
