//! Contributions of a party for a year: what it pays across all its
//! agreements, by agreement and by function, with the money that passes
//! between it and other members, its grants and its realised savings.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::model::{
    Currency, FinancialYear, Function, Functions, Money, MoneyError, PartYear, PartyId,
};
use crate::questions::answer::{money, opt_money};
use crate::questions::{AgreementRef, AsOf, PartyRef};
use crate::store::{AgreementKey, Registry};
use crate::time::AgreementView;

use super::apportion::largest_remainder;
use super::year::{YearCosts, cost_at, known_period};

/// A party's contributions to collaborations for one financial year.
///
/// Beside its share of each budget, the money that passes between it and
/// the other members outside the shared budgets (rent for a shared
/// building, services bought from a host:
/// [`CostArrangement::charges`](crate::model::CostArrangement::charges)),
/// the grants it received itself (a grant recorded without a party is the
/// agreement's, so no member's), the savings it realised itself, and its
/// net cost: **net = share + charges paid − charges received − grants
/// received**. Savings realised are reported beside it, not in it: they are
/// measured against a baseline, not paid.
///
/// By function: an agreement covering several functions has its share split
/// equally among them (largest remainder, the odd minor units to the
/// functions first in [`Function::ALL`] order), so the function amounts add
/// up to the total exactly. That split is a reporting convention, not a
/// recorded fact; an agreement that lists no function counts as
/// `unattributed`. Only shares of budgets are split by function.
///
/// Every sum is exact, in checked integer arithmetic; one that does not fit
/// is refused with [`ErrorKind::Money`](crate::ErrorKind::Money).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Contributions<'r> {
    /// The party.
    pub party: PartyRef<'r>,
    /// The financial year.
    pub year: FinancialYear,
    /// Its shares of the budgets, across all its agreements.
    #[serde(serialize_with = "money")]
    pub total: Money,
    /// Charges it pays to other members, across all its agreements.
    #[serde(serialize_with = "money")]
    pub charges_paid: Money,
    /// Charges other members pay it, across all its agreements.
    #[serde(serialize_with = "money")]
    pub charges_received: Money,
    /// Grants it received itself, across all its agreements.
    #[serde(serialize_with = "money")]
    pub grants_received: Money,
    /// Savings it realised itself, as recorded, across all its agreements.
    #[serde(serialize_with = "money")]
    pub savings_realised: Money,
    /// `total + charges_paid - charges_received - grants_received`.
    #[serde(serialize_with = "money")]
    pub net: Money,
    /// Each of its agreements with a share for it, or money between it and
    /// other members, a grant to it or a saving of its own, in the year, by
    /// agreement id.
    pub by_agreement: Vec<AgreementContribution<'r>>,
    /// The shares by function, in [`Function::ALL`] order; functions none
    /// of its agreements covers are left out.
    pub by_function: Vec<FunctionContribution>,
    /// Shares of agreements that list no function.
    #[serde(serialize_with = "money")]
    pub unattributed: Money,
    /// Agreements it takes part in during the year that have no budget for
    /// it, by id: nothing to share, but worth knowing.
    pub unbudgeted: Vec<AgreementRef<'r>>,
}

/// A party's money in one agreement in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AgreementContribution<'r> {
    /// The agreement.
    pub agreement: AgreementRef<'r>,
    /// The agreement's budget for the year, if it has one.
    #[serde(serialize_with = "opt_money")]
    pub budget: Option<Money>,
    /// The unit of time members count.
    pub part_year: PartYear,
    /// The units of the year the party counts, over all stretches.
    pub units: u32,
    /// Its share of the budget: zero when there is none, or it counts no
    /// unit of the year.
    #[serde(serialize_with = "money")]
    pub amount: Money,
    /// Whether its share is approximate: a member's date in the year is
    /// known only to a month or a year
    /// ([`Apportionment::approximate`](crate::costs::Apportionment::approximate)).
    pub approximate: bool,
    /// The charges it pays other members, by payee id then what for.
    pub charges_paid: Vec<ChargeLine<'r>>,
    /// The charges other members pay it, by payer id then what for.
    pub charges_received: Vec<ChargeLine<'r>>,
    /// The grants it received itself, by who gave them (none first), then
    /// amount.
    pub grants: Vec<GrantLine<'r>>,
    /// The sum of `charges_paid`.
    #[serde(serialize_with = "money")]
    pub paid: Money,
    /// The sum of `charges_received`.
    #[serde(serialize_with = "money")]
    pub received: Money,
    /// The sum of `grants`.
    #[serde(serialize_with = "money")]
    pub grants_received: Money,
    /// The savings it realised itself in the year, as recorded with it.
    #[serde(serialize_with = "money")]
    pub savings_realised: Money,
    /// `amount + paid - received - grants_received`.
    #[serde(serialize_with = "money")]
    pub net: Money,
    /// The functions the agreement covers, in [`Function::ALL`] order.
    pub functions: Vec<Function>,
}

/// A charge between two members beside the shared budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ChargeLine<'r> {
    /// The other member: the payee of a charge paid, the payer of one
    /// received.
    pub other: PartyRef<'r>,
    /// What for.
    pub what: &'r str,
    /// The amount.
    #[serde(serialize_with = "money")]
    pub amount: Money,
}

/// A grant a member received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GrantLine<'r> {
    /// Who gave it, where recorded.
    pub from: Option<&'r str>,
    /// The amount.
    #[serde(serialize_with = "money")]
    pub amount: Money,
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
    /// The party's contribution to `agreement`, if it has one.
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

/// `amount + paid - received - grants`, exactly.
fn net(amount: Money, paid: Money, received: Money, grants: Money) -> Result<Money, Error> {
    Ok(amount
        .checked_add(paid)?
        .checked_sub(received)?
        .checked_sub(grants)?)
}

/// The money between `party` and the other members of the agreement of
/// `view` in `year`, its grants and its realised savings: the lines and
/// their sums. **O(c log c + g + s)** in the agreement's charges, grants
/// and realised savings.
struct MemberMoney<'r> {
    paid: Vec<ChargeLine<'r>>,
    received: Vec<ChargeLine<'r>>,
    grants: Vec<GrantLine<'r>>,
    paid_sum: Money,
    received_sum: Money,
    grants_sum: Money,
    saved: Money,
}

impl<'r> MemberMoney<'r> {
    fn of(
        asof: &AsOf<'r>,
        view: &AgreementView<'r>,
        party: &PartyId,
        year: FinancialYear,
        currency: Currency,
    ) -> Result<Self, Error> {
        let mut paid = Vec::new();
        let mut received = Vec::new();
        for c in view.charges().iter().filter(|c| c.year == year) {
            if c.payer == *party {
                paid.push(ChargeLine {
                    other: asof.party_ref(&c.payee),
                    what: c.what.as_str(),
                    amount: c.amount,
                });
            } else if c.payee == *party {
                received.push(ChargeLine {
                    other: asof.party_ref(&c.payer),
                    what: c.what.as_str(),
                    amount: c.amount,
                });
            }
        }
        let order = |a: &ChargeLine<'_>, b: &ChargeLine<'_>| {
            (a.other.id, a.what, a.amount.minor_units()).cmp(&(
                b.other.id,
                b.what,
                b.amount.minor_units(),
            ))
        };
        paid.sort_by(order);
        received.sort_by(order);
        let mut grants: Vec<GrantLine<'r>> = view
            .grants()
            .iter()
            .filter(|g| g.year == year && g.party.as_ref() == Some(party))
            .map(|g| GrantLine {
                from: g.from.as_deref(),
                amount: g.amount,
            })
            .collect();
        grants.sort_by_key(|g| (g.from, g.amount.minor_units()));
        let saved = Money::checked_sum(
            currency,
            view.savings()
                .realised
                .iter()
                .filter(|r| r.year == year && r.party.as_ref() == Some(party))
                .map(|r| r.amount),
        )?;
        Ok(MemberMoney {
            paid_sum: Money::checked_sum(currency, paid.iter().map(|l| l.amount))?,
            received_sum: Money::checked_sum(currency, received.iter().map(|l| l.amount))?,
            grants_sum: Money::checked_sum(currency, grants.iter().map(|g| g.amount))?,
            paid,
            received,
            grants,
            saved,
        })
    }

    fn is_empty(&self) -> bool {
        self.paid.is_empty()
            && self.received.is_empty()
            && self.grants.is_empty()
            && self.saved.is_zero()
    }
}

impl<'r> AsOf<'r> {
    /// What `party` pays towards collaborations in `year`: its share of every
    /// agreement it takes part in during the year (in any role but
    /// observer) that has a budget for the year, the charges it pays other
    /// members and receives from them, the grants and realised savings
    /// recorded with it, its net, the totals, and its shares by function
    /// (see [`Contributions`]). As for [`AsOf::apportion`], the year counts
    /// every fact the register knew on the register day, whatever the
    /// agreements' status on the day asked (the day only names things).
    /// Charges, grants and savings count in every agreement it is a member
    /// of at some time, so a charge recorded for a year after it left (exit
    /// costs, say) still counts.
    ///
    /// Its agreements are found through its own memberships (the index),
    /// never a scan of all agreements: **O(d + Σ (m log m + c log c))** for
    /// a party of degree d whose agreements have m memberships and c
    /// charges, grants and savings each.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for a party the register did not know; as
    /// [`AsOf::apportion`] for any of its agreements whose budget cannot be
    /// shared (the error names the agreement); [`ErrorKind::Money`](crate::ErrorKind::Money) when a
    /// sum overflows.
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
    /// assert_eq!(paid.net, paid.total); // no charges or grants recorded
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[allow(
        clippy::too_many_lines,
        reason = "one pass over the party's agreements builds each row and every total beside it"
    )]
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
        // Each agreement it is a member of, and whether a membership of it
        // is in the year.
        let mut keys: Vec<(&'r str, AgreementKey, bool)> = registry
            .memberships_of(key)
            .filter_map(|(k, m)| {
                let record = registry.agreement_at(k)?;
                let view = AgreementView::new(record, at);
                let period = known_period(&view, m)?;
                view.is_known()
                    .then_some((record.id().as_str(), k, period.overlaps(&span)))
            })
            .collect();
        keys.sort_unstable();
        keys.dedup_by(|b, a| {
            let same = a.1 == b.1;
            a.2 |= same && b.2;
            same
        });
        let currency = registry.info().currency;
        let mut by_agreement = Vec::with_capacity(keys.len());
        let mut unbudgeted = Vec::new();
        let mut by_function: Vec<Option<i64>> = vec![None; Function::ALL.len()];
        let mut unattributed = 0i64;
        let mut total = 0i64;
        let zero = Money::zero(currency);
        let (mut paid, mut received, mut grants, mut saved) = (zero, zero, zero, zero);
        for (_, k, in_year) in keys {
            let Some(record) = registry.agreement_at(k) else {
                continue;
            };
            let view = AgreementView::new(record, at);
            let money = MemberMoney::of(self, &view, id, year, currency)?;
            // Its share, when it takes part and the year has a budget.
            let costs = if in_year {
                Some(YearCosts::new(self, k, year)?)
            } else {
                None
            };
            let mut share = None;
            if let Some(costs) = costs
                .as_ref()
                .filter(|c| c.claimants.iter().any(|c| c.party == id && c.is_present()))
            {
                if costs.view.budget(year).is_none() {
                    unbudgeted.push(costs.agreement);
                } else {
                    // Counting whole months, it may count no unit of the year.
                    let shares = costs.apportion()?;
                    share = shares
                        .share_of(id.as_str())
                        .map(|s| (s.units(), s.amount, shares.approximate));
                }
            }
            if share.is_none() && money.is_empty() {
                continue;
            }
            let functions: Functions = view.functions();
            let amount = share.map_or(zero, |s| s.1);
            if share.is_some() {
                let minor = amount.minor_units();
                add(&mut total, minor)?;
                if functions.is_empty() {
                    add(&mut unattributed, minor)?;
                } else {
                    let split = largest_remainder(minor, &vec![1; functions.len()])
                        .map_err(|_| MoneyError::Overflow)?;
                    for (f, part) in functions.iter().zip(split) {
                        if let Some(slot) = by_function.get_mut(f as usize) {
                            let mut sum = slot.unwrap_or(0);
                            add(&mut sum, part.amount)?;
                            *slot = Some(sum);
                        }
                    }
                }
            }
            paid = paid.checked_add(money.paid_sum)?;
            received = received.checked_add(money.received_sum)?;
            grants = grants.checked_add(money.grants_sum)?;
            saved = saved.checked_add(money.saved)?;
            let agreement = match &costs {
                Some(costs) => costs.agreement,
                None => self
                    .view(k)
                    .map_or(AsOf::agreement_ref(&view), |v| AsOf::agreement_ref(&v)),
            };
            by_agreement.push(AgreementContribution {
                agreement,
                budget: view.budget(year).map(|b| b.amount),
                part_year: view.part_year(),
                units: share.map_or(0, |s| s.0),
                amount,
                approximate: share.is_some_and(|s| s.2),
                net: net(amount, money.paid_sum, money.received_sum, money.grants_sum)?,
                charges_paid: money.paid,
                charges_received: money.received,
                grants: money.grants,
                paid: money.paid_sum,
                received: money.received_sum,
                grants_received: money.grants_sum,
                savings_realised: money.saved,
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
        let total = Money::from_minor(total, currency);
        Ok(Contributions {
            party: self.party_ref(id),
            year,
            total,
            charges_paid: paid,
            charges_received: received,
            grants_received: grants,
            savings_realised: saved,
            net: net(total, paid, received, grants)?,
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
