//! Contributions of a party for a year: what it pays across all its
//! agreements, by agreement and by function.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::agreement::Function;
use crate::apportion::largest_remainder;
use crate::dates::FinancialYear;
use crate::error::{Error, MoneyError};
use crate::id::{AgreementId, PartyId};
use crate::membership::Role;
use crate::money::{Currency, Money};
use crate::registry::{AgreementKey, Registry};
use crate::tables::grouped;

/// A party's contributions to collaborations for one financial year.
///
/// By function: an agreement covering several functions has its share split
/// equally among them (largest remainder, the odd minor units to the
/// functions first in [`Function::ALL`] order), so the function amounts add
/// up to the total exactly. That split is a reporting convention, not a
/// recorded fact; an agreement that lists no function counts as
/// `unattributed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contributions {
    /// The party.
    pub party: PartyId,
    /// The financial year.
    pub year: FinancialYear,
    /// The currency of every amount.
    pub currency: Currency,
    /// The total across all its agreements.
    pub total: Money,
    /// Its share of each agreement with a budget for the year, by agreement id.
    pub by_agreement: Vec<AgreementContribution>,
    /// The total by function, in [`Function::ALL`] order, functions with
    /// nothing left out.
    pub by_function: Vec<FunctionContribution>,
    /// Shares of agreements that list no function.
    pub unattributed: Money,
    /// Agreements it takes part in during the year that have no budget for
    /// it, by id: nothing to share, but worth knowing.
    pub unbudgeted: Vec<AgreementId>,
}

/// A party's share of one agreement in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementContribution {
    /// The agreement.
    pub agreement: AgreementId,
    /// The agreement's budget for the year.
    pub budget: Money,
    /// The days of the year the party counts for.
    pub days: u32,
    /// What the party pays.
    pub amount: Money,
    /// The functions the agreement covers.
    pub functions: Vec<Function>,
}

/// A party's contributions to one function in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FunctionContribution {
    /// The function.
    pub function: Function,
    /// The amount attributed to it.
    pub amount: Money,
}

impl Registry {
    /// What `party` pays towards collaborations in `year`: its share of every
    /// agreement it takes part in (as a sharing member, not an observer) that
    /// has a budget for the year, with the total, and by function.
    ///
    /// Its agreements are found through its own memberships (the graph's
    /// adjacency), never a scan of all agreements: **O(d + Σ m log m)** for a
    /// party of degree `d` whose agreements have `m` memberships each.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown party; as [`Registry::apportion`]
    /// for any of its agreements whose budget cannot be shared (the error
    /// names the agreement); [`Error::Money`] when a total overflows.
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let paid = registry.contributions("northamptonshire-fire", "2021/22".parse()?)?;
    /// // Its share of the enabling services shared with Northamptonshire Police
    /// // in proportion to the two revenue budgets (£25.3m of £178.8m).
    /// assert_eq!(paid.by_agreement.len(), 1);
    /// assert_eq!(paid.total.to_string(), "1414988.81");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contributions(&self, party: &str, year: FinancialYear) -> Result<Contributions, Error> {
        let key = self.party_key(party)?;
        let id = &self.party_at(key).id;
        let period = year.period();
        let mut keys: Vec<AgreementKey> = self
            .memberships_of(key)
            .filter(|(_, m)| m.role != Role::Observer && m.period().overlaps(&period))
            .map(|(a, _)| a)
            .collect();
        keys.sort_unstable_by(|a, b| self.agreement_at(*a).id.cmp(&self.agreement_at(*b).id));
        keys.dedup();
        let currency = self.info().currency;
        let mut by_agreement = Vec::with_capacity(keys.len());
        let mut unbudgeted = Vec::new();
        let mut by_function: BTreeMap<Function, i64> = BTreeMap::new();
        let mut unattributed = 0i64;
        let mut total = 0i64;
        let add = |sum: &mut i64, x: i64| -> Result<(), Error> {
            *sum = sum
                .checked_add(x)
                .ok_or(Error::Money(MoneyError::Overflow))?;
            Ok(())
        };
        for key in keys {
            let agreement = self.agreement_at(key);
            if agreement.costs.budget(year).is_none() {
                unbudgeted.push(agreement.id.clone());
                continue;
            }
            let shares = self.year_costs(agreement, year)?.apportion(currency)?;
            // Clipped to the agreement's span, the party may not take part.
            let Some(share) = shares.share_of(id.as_str()) else {
                continue;
            };
            let amount = share.amount.minor_units();
            add(&mut total, amount)?;
            let mut functions = agreement.functions.clone();
            functions.sort_unstable();
            functions.dedup();
            if functions.is_empty() {
                add(&mut unattributed, amount)?;
            } else {
                let split = largest_remainder(amount, &vec![1; functions.len()])
                    .map_err(|_| Error::Money(MoneyError::Overflow))?;
                for (f, part) in functions.iter().zip(split) {
                    add(by_function.entry(*f).or_insert(0), part.amount)?;
                }
            }
            by_agreement.push(AgreementContribution {
                agreement: agreement.id.clone(),
                budget: shares.budget,
                days: share.days,
                amount: share.amount,
                functions,
            });
        }
        Ok(Contributions {
            party: id.clone(),
            year,
            currency,
            total: Money::from_minor(total, currency),
            by_agreement,
            by_function: by_function
                .into_iter()
                .map(|(function, amount)| FunctionContribution {
                    function,
                    amount: Money::from_minor(amount, currency),
                })
                .collect(),
            unattributed: Money::from_minor(unattributed, currency),
            unbudgeted,
        })
    }
}

impl fmt::Display for Contributions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} in {}: {} {} across {} agreement(s)",
            self.party,
            self.year,
            grouped(self.total),
            self.currency,
            self.by_agreement.len()
        )?;
        let name_w = self
            .by_agreement
            .iter()
            .map(|a| a.agreement.as_str().len())
            .chain(self.by_function.iter().map(|x| x.function.as_str().len()))
            .chain(["unattributed".len()])
            .max()
            .unwrap_or(12);
        let amount_w = grouped(self.total).len().max(6);
        let budget_w = self
            .by_agreement
            .iter()
            .map(|a| grouped(a.budget).len())
            .max()
            .unwrap_or(6)
            .max(6);
        writeln!(
            f,
            "  {:<name_w$}  {:>budget_w$}  {:>7}  {:>amount_w$}",
            "agreement", "budget", "days", "share"
        )?;
        for a in &self.by_agreement {
            writeln!(
                f,
                "  {:<name_w$}  {:>budget_w$}  {:>7}  {:>amount_w$}",
                a.agreement.as_str(),
                grouped(a.budget),
                a.days,
                grouped(a.amount)
            )?;
        }
        writeln!(f, "  {:<name_w$}  {:>amount_w$}", "function", "amount")?;
        for x in &self.by_function {
            writeln!(
                f,
                "  {:<name_w$}  {:>amount_w$}",
                x.function.as_str(),
                grouped(x.amount)
            )?;
        }
        if self.unattributed.minor_units() != 0 {
            writeln!(
                f,
                "  {:<name_w$}  {:>amount_w$}",
                "unattributed",
                grouped(self.unattributed)
            )?;
        }
        write!(
            f,
            "  {:<name_w$}  {:>amount_w$}",
            "total",
            grouped(self.total)
        )?;
        if !self.unbudgeted.is_empty() {
            let names: Vec<&str> = self.unbudgeted.iter().map(|a| a.as_str()).collect();
            write!(f, "\n  no budget for {}: {}", self.year, names.join(", "))?;
        }
        Ok(())
    }
}
