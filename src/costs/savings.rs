//! Savings against an agreement's pre-collaboration baseline, for one
//! agreement or an umbrella and everything under it.
//!
//! The saving of a year is `baseline - budget`: the yearly cost of the
//! functions before collaboration less the agreement's budget for that year.
//! Percentages are of the baseline, exact to four decimal places
//! ([`Percent`]), rounded half up; amounts worked out from a percentage are
//! rounded half up to the minor unit.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::model::{FinancialYear, Money, MoneyError, Percent};
use crate::questions::answer::{money, opt_money};
use crate::questions::{AgreementRef, AsOf, PartyRef};
use crate::store::{AgreementKey, Registry};
use crate::time::AgreementView;

use super::apportion::round_half_up;
use super::year::cost_at;

/// Savings of an agreement and, when it is an umbrella, of every agreement
/// under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SavingsReport<'r> {
    /// The agreement asked about.
    pub agreement: AgreementRef<'r>,
    /// The agreement itself first, then every agreement under it (through
    /// `part_of`, at any depth) by id.
    pub agreements: Vec<AgreementSavings<'r>>,
    /// For each year, the sums over the agreements above that have both a
    /// baseline and a budget for that year.
    pub combined: Vec<YearSaving>,
    /// The savings realised per member: the realised savings recorded with
    /// a party, summed over the agreements above for each year, by party id
    /// then year. Savings recorded only for an agreement are no member's.
    pub by_member: Vec<MemberSaving<'r>>,
}

/// What one member realised in one year, over the agreements of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MemberSaving<'r> {
    /// The member.
    pub party: PartyRef<'r>,
    /// The year.
    pub year: FinancialYear,
    /// The sum of its realised savings recorded that year.
    #[serde(serialize_with = "money")]
    pub amount: Money,
}

impl<'r> SavingsReport<'r> {
    /// What `party` realised in `year` over the report's agreements, if
    /// any saving is recorded with it. **O(log n)**.
    #[must_use]
    pub fn realised_by(&self, party: &str, year: FinancialYear) -> Option<Money> {
        self.by_member
            .binary_search_by(|m| (m.party.id.as_str(), m.year).cmp(&(party, year)))
            .ok()
            .and_then(|i| self.by_member.get(i))
            .map(|m| m.amount)
    }

    /// The savings of `agreement`, if it is in the report.
    #[must_use]
    pub fn of(&self, agreement: &str) -> Option<&AgreementSavings<'r>> {
        self.agreements
            .iter()
            .find(|a| a.agreement.id.as_str() == agreement)
    }
}

/// The savings recorded and computed for one agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AgreementSavings<'r> {
    /// The agreement.
    pub agreement: AgreementRef<'r>,
    /// The umbrella it is part of.
    pub part_of: Option<AgreementRef<'r>>,
    /// The yearly cost of its functions before collaboration.
    #[serde(serialize_with = "opt_money")]
    pub baseline: Option<Money>,
    /// The saving of each year with a budget, when there is a baseline, by year.
    pub by_year: Vec<YearSaving>,
    /// The savings target in money, as recorded.
    #[serde(serialize_with = "opt_money")]
    pub target: Option<Money>,
    /// The savings target as a percentage of the baseline, as recorded.
    pub target_percent: Option<Percent>,
    /// The year by which the target is to be met.
    pub target_by: Option<FinancialYear>,
    /// The target in money worked out from `target_percent` and the baseline.
    #[serde(serialize_with = "opt_money")]
    pub target_from_percent: Option<Money>,
    /// The target as a percentage of the baseline, worked out from `target`.
    pub target_as_percent: Option<Percent>,
    /// Savings recorded as realised, by year, the agreement's own before
    /// each member's (by party id).
    pub realised: Vec<RealisedRow<'r>>,
    /// A realised saving recorded only as a percentage of the baseline.
    pub realised_percent: Option<Percent>,
    /// That percentage in money, when there is a baseline.
    #[serde(serialize_with = "opt_money")]
    pub realised_from_percent: Option<Money>,
}

/// A saving realised in one year, by the agreement or by one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RealisedRow<'r> {
    /// The year.
    pub year: FinancialYear,
    /// The member that realised it, when the source gives savings per member.
    pub party: Option<PartyRef<'r>>,
    /// The amount recorded.
    #[serde(serialize_with = "money")]
    pub amount: Money,
    /// Its percentage of the agreement's baseline, when there is one.
    pub percent: Option<Percent>,
}

/// The saving of one year against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct YearSaving {
    /// The year.
    pub year: FinancialYear,
    /// The pre-collaboration cost.
    #[serde(serialize_with = "money")]
    pub baseline: Money,
    /// The budget for the year.
    #[serde(serialize_with = "money")]
    pub budget: Money,
    /// `baseline - budget`; negative when the budget exceeds the baseline.
    #[serde(serialize_with = "money")]
    pub saving: Money,
    /// The saving as a percentage of the baseline; absent when the saving is
    /// negative or the baseline is zero.
    pub percent: Option<Percent>,
}

/// `part / whole` as a percentage, half up to four places; `None` for a
/// negative part, a zero whole or a percentage too large to hold.
fn percent_of(part: Money, whole: Money) -> Option<Percent> {
    let part = u128::try_from(part.minor_units()).ok()?;
    let whole = u128::try_from(whole.minor_units()).ok()?;
    let hundred = u128::from(Percent::HUNDRED.ten_thousandths());
    let units = round_half_up(part.checked_mul(hundred)?, whole)?;
    Percent::from_ten_thousandths(u32::try_from(units).ok()?).ok()
}

/// `percent` of `whole`, half up to the minor unit; `None` for a negative whole.
fn apply_percent(percent: Percent, whole: Money) -> Result<Option<Money>, Error> {
    let Ok(minor) = u128::try_from(whole.minor_units()) else {
        return Ok(None);
    };
    let hundred = u128::from(Percent::HUNDRED.ten_thousandths());
    let units = minor
        .checked_mul(u128::from(percent.ten_thousandths()))
        .and_then(|x| round_half_up(x, hundred))
        .and_then(|x| i64::try_from(x).ok())
        .ok_or(MoneyError::Overflow)?;
    Ok(Some(Money::from_minor(units, whole.currency())))
}

fn year_saving(year: FinancialYear, baseline: Money, budget: Money) -> Result<YearSaving, Error> {
    let saving = baseline.checked_sub(budget)?;
    Ok(YearSaving {
        year,
        baseline,
        budget,
        saving,
        percent: percent_of(saving, baseline),
    })
}

impl<'r> AsOf<'r> {
    /// The savings of one agreement, read through the cost view `view`.
    fn agreement_savings(&self, view: &AgreementView<'r>) -> Result<AgreementSavings<'r>, Error> {
        let registry = self.registry();
        let named = |id: &str| {
            let key = registry.agreement_key(id).ok()?;
            self.view(key).map(|v| AsOf::agreement_ref(&v))
        };
        let baseline = view.baseline();
        let mut by_year = Vec::new();
        if let Some(baseline) = baseline {
            for b in &view.terms().costs.budgets {
                by_year.push(year_saving(b.year, baseline, b.amount)?);
            }
            by_year.sort_by_key(|y| y.year);
        }
        let s = view.savings();
        let mut realised: Vec<RealisedRow<'r>> = s
            .realised
            .iter()
            .map(|r| RealisedRow {
                year: r.year,
                party: r.party.as_ref().map(|p| self.party_ref(p)),
                amount: r.amount,
                percent: baseline.and_then(|b| percent_of(r.amount, b)),
            })
            .collect();
        realised
            .sort_by(|a, b| (a.year, a.party.map(|p| p.id)).cmp(&(b.year, b.party.map(|p| p.id))));
        let from_percent = |p: Option<Percent>| match (p, baseline) {
            (Some(p), Some(b)) => apply_percent(p, b),
            _ => Ok(None),
        };
        let agreement =
            named(view.id().as_str()).unwrap_or_else(|| AgreementRef::new(view.id(), view.title()));
        Ok(AgreementSavings {
            agreement,
            part_of: view.part_of().and_then(|p| named(p.as_str())),
            baseline,
            by_year,
            target: s.target,
            target_percent: s.target_percent,
            target_by: s.target_by,
            target_from_percent: from_percent(s.target_percent)?,
            target_as_percent: s.target.zip(baseline).and_then(|(t, b)| percent_of(t, b)),
            realised,
            realised_percent: s.realised_percent,
            realised_from_percent: from_percent(s.realised_percent)?,
        })
    }

    /// The savings of `agreement` against its pre-collaboration baseline,
    /// and of every agreement under it when it is an umbrella: for each year
    /// with a budget, the saving in money and as a percentage of the
    /// baseline; the recorded targets and realised savings (by the
    /// agreement, and by each member where the source gives them) beside
    /// them, each also worked out the other way (money from a percentage, a
    /// percentage from money) where there is a baseline; and the sums over
    /// the umbrella by year; and what each member realised, where savings
    /// are recorded with a party, summed over them by year.
    ///
    /// Like every cost question, it reads the facts the register knew on the
    /// register day, whatever the day asked (see
    /// [`Apportionment`](super::Apportionment)), the umbrella's parts
    /// included; the day asked names things.
    ///
    /// **O(t + c)** for a subtree of t agreements, found through the index
    /// of parts, and c agreements changed since the register day.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an
    /// agreement the register did not know;
    /// [`ErrorKind::Money`](crate::ErrorKind::Money) when a sum overflows.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
    /// let bch = on.savings("bch-strategic-alliance")?;
    /// let alliance = &bch.agreements[0];
    /// assert_eq!(alliance.target.unwrap().to_string(), "61100000.00");
    /// assert_eq!(alliance.target_by.unwrap().to_string(), "2019/20");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn savings(&self, agreement: &str) -> Result<SavingsReport<'r>, Error> {
        let key = self.agreement_key(agreement)?;
        let registry = self.registry();
        let costs = registry.at(cost_at(self));
        let mut seen: BTreeSet<AgreementKey> = BTreeSet::from([key]);
        let mut stack = vec![key];
        let mut under: Vec<AgreementView<'r>> = Vec::new();
        while let Some(parent) = stack.pop() {
            let Some(id) = registry
                .agreement_at(parent)
                .map(crate::model::Agreement::id)
            else {
                continue;
            };
            let listed = registry
                .index
                .parts
                .get(parent.index())
                .map_or(&[][..], Vec::as_slice);
            for child in costs.indexed(listed, |v| v.part_of() == Some(id)) {
                let Some(view) = costs.view(child).filter(AgreementView::is_known) else {
                    continue;
                };
                if seen.insert(child) {
                    under.push(view);
                    stack.push(child);
                }
            }
        }
        under.sort_unstable_by(|a, b| a.id().cmp(b.id()));
        let top = costs
            .view(key)
            .ok_or_else(|| Error::unknown_agreement(agreement))?;
        let mut agreements = Vec::with_capacity(under.len().saturating_add(1));
        let mut sums: BTreeMap<FinancialYear, (Money, Money)> = BTreeMap::new();
        let mut members: BTreeMap<(&'r str, FinancialYear), MemberSaving<'r>> = BTreeMap::new();
        for view in std::iter::once(top).chain(under) {
            let savings = self.agreement_savings(&view)?;
            for r in &savings.realised {
                let Some(party) = r.party else {
                    continue;
                };
                match members.entry((party.id.as_str(), r.year)) {
                    Entry::Occupied(mut e) => {
                        let m = e.get_mut();
                        m.amount = m.amount.checked_add(r.amount)?;
                    }
                    Entry::Vacant(e) => {
                        e.insert(MemberSaving {
                            party,
                            year: r.year,
                            amount: r.amount,
                        });
                    }
                }
            }
            for y in &savings.by_year {
                let entry = sums.entry(y.year).or_insert((
                    Money::zero(y.baseline.currency()),
                    Money::zero(y.budget.currency()),
                ));
                entry.0 = entry.0.checked_add(y.baseline)?;
                entry.1 = entry.1.checked_add(y.budget)?;
            }
            agreements.push(savings);
        }
        let combined = sums
            .into_iter()
            .map(|(year, (baseline, budget))| year_saving(year, baseline, budget))
            .collect::<Result<Vec<_>, Error>>()?;
        let agreement = agreements
            .first()
            .map(|a| a.agreement)
            .ok_or_else(|| Error::unknown_agreement(agreement))?;
        Ok(SavingsReport {
            agreement,
            agreements,
            combined,
            by_member: members.into_values().collect(),
        })
    }
}

impl Registry {
    /// [`AsOf::savings`] with everything the register now holds.
    /// **O(t)** for a subtree of t agreements.
    ///
    /// # Errors
    ///
    /// As [`AsOf::savings`].
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let em = registry.savings("em-collaboration-programme")?;
    /// assert_eq!(em.agreements.len(), 5); // the programme and its four parts
    /// assert_eq!(em.agreements[0].realised_percent.unwrap().to_string(), "20");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn savings(&self, agreement: &str) -> Result<SavingsReport<'_>, Error> {
        self.as_of(NaiveDate::MAX).savings(agreement)
    }
}
