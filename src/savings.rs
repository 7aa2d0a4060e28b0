//! Savings against an agreement's pre-collaboration baseline, for one
//! agreement or an umbrella and everything under it.
//!
//! The saving of a year is `baseline - budget`: the yearly cost of the
//! functions before collaboration less the agreement's budget for that year.
//! Percentages are of the baseline, exact to four decimal places
//! ([`Percent`]), rounded half up; amounts worked out from a percentage are
//! rounded half up to the minor unit.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use petgraph::Direction;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::agreement::Agreement;
use crate::apportion::round_half_up;
use crate::dates::FinancialYear;
use crate::error::{Error, MoneyError};
use crate::id::AgreementId;
use crate::money::{Currency, Money, Percent};
use crate::registry::{AgreementKey, Link, Node, Registry};
use crate::tables::{grouped, signed};

/// Savings of an agreement and, when it is an umbrella, of every agreement
/// under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavingsReport {
    /// The agreement asked about.
    pub agreement: AgreementId,
    /// The currency of every amount.
    pub currency: Currency,
    /// The agreement itself first, then every agreement under it (through
    /// `part_of`, at any depth) by id.
    pub agreements: Vec<AgreementSavings>,
    /// For each year, the sums over the agreements above that have both a
    /// baseline and a budget for that year.
    pub combined: Vec<YearSaving>,
}

/// The savings recorded and computed for one agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementSavings {
    /// The agreement.
    pub agreement: AgreementId,
    /// The umbrella it is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<AgreementId>,
    /// The yearly cost of its functions before collaboration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Money>,
    /// The saving of each year with a budget, when there is a baseline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_year: Vec<YearSaving>,
    /// The savings target in money, as recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Money>,
    /// The savings target as a percentage of the baseline, as recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_percent: Option<Percent>,
    /// The year by which the target is to be met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_by: Option<FinancialYear>,
    /// The target in money worked out from `target_percent` and the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_from_percent: Option<Money>,
    /// The target as a percentage of the baseline, worked out from `target`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_as_percent: Option<Percent>,
    /// Savings recorded as realised, by year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub realised: Vec<RealisedRow>,
    /// A realised saving recorded only as a percentage of the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realised_percent: Option<Percent>,
    /// That percentage in money, when there is a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realised_from_percent: Option<Money>,
}

/// A saving realised in one year, with its percentage of the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RealisedRow {
    /// The year.
    pub year: FinancialYear,
    /// The amount recorded.
    pub amount: Money,
    /// Its percentage of the baseline, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<Percent>,
}

/// The saving of one year against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearSaving {
    /// The year.
    pub year: FinancialYear,
    /// The pre-collaboration cost.
    pub baseline: Money,
    /// The budget for the year.
    pub budget: Money,
    /// `baseline - budget`; negative when the budget exceeds the baseline.
    pub saving: Money,
    /// The saving as a percentage of the baseline; absent when the saving is
    /// negative or the baseline is zero.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<Percent>,
}

/// `part / whole` as a percentage, half up to four places; `None` for a
/// negative part, a zero whole or a percentage too large to hold.
fn percent_of(part: Money, whole: Money) -> Option<Percent> {
    let part = u128::try_from(part.minor_units()).ok()?;
    let whole = u128::try_from(whole.minor_units()).ok()?;
    let hundred = u128::from(Percent::HUNDRED.ten_thousandths());
    let units = round_half_up(part.checked_mul(hundred)?, whole)?;
    u32::try_from(units).ok().map(Percent::from_ten_thousandths)
}

/// `percent` of `whole`, half up to the minor unit.
fn apply_percent(percent: Percent, whole: Money) -> Result<Option<Money>, Error> {
    let Ok(minor) = u128::try_from(whole.minor_units()) else {
        return Ok(None);
    };
    let hundred = u128::from(Percent::HUNDRED.ten_thousandths());
    let units = minor
        .checked_mul(u128::from(percent.ten_thousandths()))
        .and_then(|x| round_half_up(x, hundred))
        .and_then(|x| i64::try_from(x).ok())
        .ok_or(Error::Money(MoneyError::Overflow))?;
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

fn agreement_savings(a: &Agreement) -> Result<AgreementSavings, Error> {
    let costs = &a.costs;
    let s = &costs.savings;
    let baseline = costs.baseline;
    let mut by_year = Vec::new();
    if let Some(baseline) = baseline {
        for b in &costs.budgets {
            by_year.push(year_saving(b.year, baseline, b.amount)?);
        }
        by_year.sort_by_key(|y| y.year);
    }
    let mut realised: Vec<RealisedRow> = s
        .realised
        .iter()
        .map(|r| RealisedRow {
            year: r.year,
            amount: r.amount,
            percent: baseline.and_then(|b| percent_of(r.amount, b)),
        })
        .collect();
    realised.sort_by_key(|r| r.year);
    let from_percent = |p: Option<Percent>| match (p, baseline) {
        (Some(p), Some(b)) => apply_percent(p, b),
        _ => Ok(None),
    };
    Ok(AgreementSavings {
        agreement: a.id.clone(),
        part_of: a.part_of.clone(),
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

impl Registry {
    /// The agreements under `agreement` through `part_of`, at any depth,
    /// found by walking incoming "part of" edges: **O(size of the subtree)**.
    /// Unordered; the agreement itself is not included.
    pub(crate) fn descendants(&self, agreement: AgreementKey) -> Vec<AgreementKey> {
        let graph = self.graph();
        let mut seen: HashSet<AgreementKey> = HashSet::from([agreement]);
        let mut stack = vec![agreement];
        let mut out = Vec::new();
        while let Some(key) = stack.pop() {
            let node = self.agreement_node(key);
            for edge in graph.edges_directed(node, Direction::Incoming) {
                if let (Link::PartOf, Node::Agreement(child)) =
                    (edge.weight(), graph[edge.source()])
                {
                    if seen.insert(child) {
                        out.push(child);
                        stack.push(child);
                    }
                }
            }
        }
        out
    }

    /// The savings of `agreement` against its pre-collaboration baseline, and
    /// of every agreement under it when it is an umbrella: for each year with
    /// a budget, the saving in money and as a percentage of the baseline; the
    /// recorded targets and realised savings beside them, each also worked
    /// out the other way (money from a percentage, a percentage from money)
    /// where there is a baseline; and the sums over the umbrella by year.
    ///
    /// Computes in **O(size of the subtree)**, found by walking the graph's
    /// incoming "part of" edges.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown agreement; [`Error::Money`] when a
    /// sum overflows.
    ///
    /// # Example
    ///
    /// ```
    /// let registry = collab_registry::sample()?;
    /// let bch = registry.savings("bch-strategic-alliance")?;
    /// let alliance = &bch.agreements[0];
    /// assert_eq!(alliance.target.unwrap().to_string(), "61100000.00");
    /// assert_eq!(alliance.target_by.unwrap().to_string(), "2019/20");
    /// assert_eq!(bch.agreements.len(), 4); // the alliance and its three parts
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn savings(&self, agreement: &str) -> Result<SavingsReport, Error> {
        let key = self.agreement_key(agreement)?;
        let mut under = self.descendants(key);
        under.sort_unstable_by(|a, b| self.agreement_at(*a).id.cmp(&self.agreement_at(*b).id));
        let mut agreements = Vec::with_capacity(under.len() + 1);
        let mut sums: BTreeMap<FinancialYear, (Money, Money)> = BTreeMap::new();
        for k in std::iter::once(key).chain(under) {
            let savings = agreement_savings(self.agreement_at(k))?;
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
        Ok(SavingsReport {
            agreement: self.agreement_at(key).id.clone(),
            currency: self.info().currency,
            agreements,
            combined,
        })
    }
}

fn percent_text(p: Option<Percent>) -> String {
    p.map_or_else(|| "-".to_string(), |p| format!("{p}%"))
}

impl fmt::Display for SavingsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Savings of {} ({})", self.agreement, self.currency)?;
        for a in &self.agreements {
            write!(f, "\n  {}", a.agreement)?;
            if let Some(up) = &a.part_of {
                write!(f, " (part of {up})")?;
            }
            if let Some(b) = a.baseline {
                write!(f, "\n    baseline {} a year", grouped(b))?;
            }
            for y in &a.by_year {
                write!(
                    f,
                    "\n    {}: budget {}, saving {} ({})",
                    y.year,
                    grouped(y.budget),
                    signed(y.saving),
                    percent_text(y.percent)
                )?;
            }
            if a.target.is_some() || a.target_percent.is_some() {
                write!(f, "\n    target")?;
                if let Some(t) = a.target.or(a.target_from_percent) {
                    write!(f, " {}", grouped(t))?;
                }
                if let Some(p) = a.target_percent.or(a.target_as_percent) {
                    write!(f, " ({p}% of baseline)")?;
                }
                if let Some(by) = a.target_by {
                    write!(f, " by {by}")?;
                }
            }
            for r in &a.realised {
                write!(
                    f,
                    "\n    realised {}: {} ({})",
                    r.year,
                    grouped(r.amount),
                    percent_text(r.percent)
                )?;
            }
            if let Some(p) = a.realised_percent {
                write!(f, "\n    realised {p}% of baseline")?;
                if let Some(m) = a.realised_from_percent {
                    write!(f, " ({})", grouped(m))?;
                }
            }
        }
        for y in &self.combined {
            write!(
                f,
                "\n  combined {}: baseline {}, budget {}, saving {} ({})",
                y.year,
                grouped(y.baseline),
                grouped(y.budget),
                signed(y.saving),
                percent_text(y.percent)
            )?;
        }
        Ok(())
    }
}
