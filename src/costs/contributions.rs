//! Contributions of a party for a year: what it pays across all its
//! agreements, by agreement and by function.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::model::{FinancialYear, Function, Functions, Money, MoneyError, PartYear};
use crate::questions::answer::money;
use crate::questions::{AgreementRef, AsOf, PartyRef};
use crate::store::{AgreementKey, Registry};
use crate::time::AgreementView;

use super::apportion::largest_remainder;
use super::year::{YearCosts, cost_at, known_period};

/// A party's contributions to collaborations for one financial year.
///
/// By function: an agreement covering several functions has its share split
/// equally among them (largest remainder, the odd minor units to the
/// functions first in [`Function::ALL`] order), so the function amounts add
/// up to the total exactly. That split is a reporting convention, not a
/// recorded fact; an agreement that lists no function counts as
/// `unattributed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Contributions<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// The financial year.
    pub year: FinancialYear,
    /// The total across all its agreements.
    #[serde(serialize_with = "money")]
    pub total: Money,
    /// Its share of each agreement with a budget for the year, by agreement id.
    pub by_agreement: Vec<AgreementContribution<'r>>,
    /// The total by function, in [`Function::ALL`] order; functions none of
    /// its agreements covers are left out.
    pub by_function: Vec<FunctionContribution>,
    /// Shares of agreements that list no function.
    #[serde(serialize_with = "money")]
    pub unattributed: Money,
    /// Agreements it takes part in during the year that have no budget for
    /// it, by id: nothing to share, but worth knowing.
    pub unbudgeted: Vec<AgreementRef<'r>>,
}

/// A party's share of one agreement in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AgreementContribution<'r> {
    /// The agreement.
    pub agreement: AgreementRef<'r>,
    /// The agreement's budget for the year.
    #[serde(serialize_with = "money")]
    pub budget: Money,
    /// The unit of time members count.
    pub part_year: PartYear,
    /// The units of the year the party counts, over all stretches.
    pub units: u32,
    /// What the party pays.
    #[serde(serialize_with = "money")]
    pub amount: Money,
    /// The functions the agreement covers, in [`Function::ALL`] order.
    pub functions: Vec<Function>,
}

/// A party's contributions to one function in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FunctionContribution {
    /// The function.
    pub function: Function,
    /// The amount attributed to it.
    #[serde(serialize_with = "money")]
    pub amount: Money,
}

impl<'r> Contributions<'r> {
    /// The party's contribution to `agreement`, if it pays towards it.
    #[must_use]
    pub fn to_agreement(&self, agreement: &str) -> Option<&AgreementContribution<'r>> {
        self.by_agreement
            .binary_search_by(|a| a.agreement.id.as_str().cmp(agreement))
            .ok()
            .and_then(|i| self.by_agreement.get(i))
    }

    /// The amount attributed to `function`: zero when none is.
    #[must_use]
    pub fn to_function(&self, function: Function) -> Money {
        self.by_function
            .iter()
            .find(|f| f.function == function)
            .map_or(Money::zero(self.total.currency()), |f| f.amount)
    }
}

fn add(sum: &mut i64, x: i64) -> Result<(), Error> {
    *sum = sum.checked_add(x).ok_or(MoneyError::Overflow)?;
    Ok(())
}

impl<'r> AsOf<'r> {
    /// What `party` pays towards collaborations in `year`: its share of every
    /// agreement it takes part in during the year (in any role but
    /// observer) that has a budget for the year, with the total, and by
    /// function. As for [`AsOf::apportion`], the year counts every fact the
    /// register knew on the register day, whatever the agreements' status
    /// on the day asked (the day only names things).
    ///
    /// Its agreements are found through its own memberships (the index),
    /// never a scan of all agreements: **O(d + Σ m log m)** for a party of
    /// degree d whose agreements have m memberships each.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for a party the register did not know; as
    /// [`AsOf::apportion`] for any of its agreements whose budget cannot be
    /// shared (the error names the agreement); [`ErrorKind::Money`](crate::ErrorKind::Money) when a
    /// total overflows.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
    /// let paid = on.contributions("northamptonshire-fire", "2021/22".parse()?)?;
    /// // Its share of the enabling services shared with Northamptonshire Police
    /// // in proportion to the two revenue budgets (£25.3m of £178.8m).
    /// assert_eq!(paid.by_agreement.len(), 1);
    /// assert_eq!(paid.total.to_string(), "1414988.81");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contributions(
        &self,
        party: &str,
        year: FinancialYear,
    ) -> Result<Contributions<'r>, Error> {
        let registry = self.registry();
        let key = self.party_key(party)?;
        let id = registry
            .party_at(key)
            .ok_or_else(|| Error::unknown_party(party))?
            .id();
        let at = cost_at(self);
        let span = year.period();
        let mut keys: Vec<(&'r str, AgreementKey)> = registry
            .memberships_of(key)
            .filter_map(|(k, m)| {
                let record = registry.agreement_at(k)?;
                let view = AgreementView::new(record, at);
                let known = view.is_known() && known_period(&view, m)?.overlaps(&span);
                known.then_some((record.id().as_str(), k))
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let currency = registry.info().currency;
        let mut by_agreement = Vec::with_capacity(keys.len());
        let mut unbudgeted = Vec::new();
        let mut by_function: Vec<Option<i64>> = vec![None; Function::ALL.len()];
        let mut unattributed = 0i64;
        let mut total = 0i64;
        for (_, k) in keys {
            let costs = YearCosts::new(self, k, year)?;
            if !costs
                .claimants
                .iter()
                .any(|c| c.party == id && c.is_present())
            {
                continue;
            }
            let Some(budget) = costs.view.budget(year) else {
                unbudgeted.push(costs.agreement);
                continue;
            };
            let shares = costs.apportion()?;
            // Counting whole months, it may count no unit of the year.
            let Some(share) = shares.share_of(id.as_str()) else {
                continue;
            };
            let amount = share.amount.minor_units();
            add(&mut total, amount)?;
            let functions: Functions = costs.view.functions();
            if functions.is_empty() {
                add(&mut unattributed, amount)?;
            } else {
                let split = largest_remainder(amount, &vec![1; functions.len()])
                    .map_err(|_| costs.overflow())?;
                for (f, part) in functions.iter().zip(split) {
                    if let Some(slot) = by_function.get_mut(f as usize) {
                        let mut sum = slot.unwrap_or(0);
                        add(&mut sum, part.amount)?;
                        *slot = Some(sum);
                    }
                }
            }
            by_agreement.push(AgreementContribution {
                agreement: costs.agreement,
                budget: budget.amount,
                part_year: costs.rule,
                units: share.units(),
                amount: share.amount,
                functions: functions.iter().collect(),
            });
        }
        let by_function = Function::ALL
            .iter()
            .zip(by_function)
            .filter_map(|(f, amount)| {
                Some(FunctionContribution {
                    function: *f,
                    amount: Money::from_minor(amount?, currency),
                })
            })
            .collect();
        Ok(Contributions {
            party: self.party_ref(id),
            year,
            total: Money::from_minor(total, currency),
            by_agreement,
            by_function,
            unattributed: Money::from_minor(unattributed, currency),
            unbudgeted,
        })
    }
}

impl Registry {
    /// [`AsOf::contributions`] with everything the register now holds.
    /// **O(d + Σ m log m)**.
    ///
    /// # Errors
    ///
    /// As [`AsOf::contributions`].
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let paid = registry.contributions("northamptonshire-police", "2021/22".parse()?)?;
    /// assert_eq!(paid.total.to_string(), "19835011.19");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contributions(
        &self,
        party: &str,
        year: FinancialYear,
    ) -> Result<Contributions<'_>, Error> {
        self.as_of(NaiveDate::MAX).contributions(party, year)
    }
}
