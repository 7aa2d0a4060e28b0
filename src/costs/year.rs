//! A year's costs: who takes part in an agreement's financial year and for
//! how many units of it, which formula governs each stretch of it, and the
//! exact weights that share an amount among them. The rules are set out on
//! [`Apportionment`](super::Apportionment); this module is their one
//! implementation, used by every cost question.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;

use crate::error::{Error, ErrorKind};
use crate::model::{
    AgreementChange, DatedFormula, FinancialYear, Formula, Membership, Money, PartYear,
    PartialDate, PartyId, Percent, Period, Quantity, Status, formula_segments,
};
use crate::questions::{AgreementRef, AsOf};
use crate::store::AgreementKey;
use crate::time::{AgreementView, At, PartyView};

use super::apportion::{ApportionError, Exact, blend, split};
use super::big::Big;
use super::parts::{Share, ShareInput, ShareStretch, Stretch};

/// Half-open days, `[start, end)`, always bounded here.
pub(crate) type Days = (NaiveDate, NaiveDate);

/// The days a cost question reads the register as of: every fact in effect,
/// as the register stood on the question's register day (every fact, when
/// none is set). A year is the question's own period, so the day asked
/// about does not limit what counts.
pub(crate) fn cost_at(asof: &AsOf<'_>) -> At {
    asof.at().with_day(NaiveDate::MAX)
}

/// The days `m` is a member as the register of `view` knew them (`view` is
/// as of [`cost_at`]): nothing when its joining was not yet entered; its
/// whole period otherwise, ending only when its leaving (and any notice it
/// follows from) was entered by the register day.
pub(crate) fn known_period(view: &AgreementView<'_>, m: &Membership) -> Option<Period> {
    if !view.at().knows(m.joined_entered()) {
        return None;
    }
    let left = view.member_view(m).leaves().map(|l| l.first_day());
    Period::new(m.joined().first_day(), left).ok()
}

/// The days both spans share, if any.
fn clip(a: Days, b: Days) -> Option<Days> {
    let start = a.0.max(b.0);
    let end = a.1.min(b.1);
    (start < end).then_some((start, end))
}

/// Days in `d`.
fn days_in(d: Days) -> u32 {
    u32::try_from(d.1.signed_duration_since(d.0).num_days()).unwrap_or(0)
}

/// Spans sorted by start and merged where they overlap or touch.
fn merge(mut spans: Vec<Days>) -> Vec<Days> {
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

/// Bit `i` of a month mask.
fn bit(i: usize) -> u16 {
    u32::try_from(i)
        .ok()
        .and_then(|i| 1u16.checked_shl(i))
        .unwrap_or(0)
}

/// The months (a mask over `months`) a member taking part on `periods`
/// counts under `rule`: none unless its unit is a month.
fn months_counted(rule: PartYear, periods: &[Days], months: &[Days]) -> u16 {
    months
        .iter()
        .enumerate()
        .filter(|(_, m)| rule.counts_month(**m, periods))
        .fold(0, |mask, (i, _)| mask | bit(i))
}

/// Role changes: the membership (party and joining day) and the day.
type RoleChanges<'r> = Vec<(&'r PartyId, PartialDate, NaiveDate)>;

/// Every role change known to `view`, in order of membership then day.
fn role_changes<'r>(view: &AgreementView<'r>) -> RoleChanges<'r> {
    let mut out: RoleChanges<'r> = view
        .amendments()
        .flat_map(|a| {
            a.changes.iter().filter_map(move |c| match c {
                AgreementChange::Role(p, joined, _) => Some((p, *joined, a.date)),
                _ => None,
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The days of `period` on which `m` takes part (any role but observer), its
/// role on each day read through the role changes known to `view`'s
/// register day (the rules on load read the record the same way).
fn taking_part(
    view: &AgreementView<'_>,
    changes: &RoleChanges<'_>,
    m: &Membership,
    period: Days,
) -> Vec<Days> {
    let key = (m.party(), m.joined());
    let from = changes.partition_point(|c| (c.0, c.1) < key);
    let days: Vec<NaiveDate> = changes
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| (c.0, c.1) == key)
        .map(|c| c.2)
        .filter(|d| period.0 < *d && *d < period.1)
        .collect();
    let mut out = Vec::new();
    let mut from = period.0;
    for until in days.into_iter().chain([period.1]) {
        let on = AgreementView::new(view.record(), view.at().with_day(from));
        if on.member_view(m).role().takes_part() {
            out.push((from, until));
        }
        from = until;
    }
    merge(out)
}

/// The days of `year` the agreement runs, as `view` knows them: from its
/// start to its fixed end or its termination, whichever comes first.
fn span(view: &AgreementView<'_>, year: FinancialYear) -> Option<Days> {
    let terminated = view
        .status_change()
        .filter(|c| c.status == Status::Terminated)
        .map(|c| c.from.first_day());
    let end = match (view.end(), terminated) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let start = view.start().first_day().max(year.first_day());
    let end = end.map_or(year.end(), |e| e.min(year.end()));
    (start < end).then_some((start, end))
}

/// A party taking part in the year, with what its share is worked out from.
#[derive(Debug, Clone)]
pub(crate) struct Claimant<'r> {
    pub(crate) party: &'r PartyId,
    /// The party as of the cost view, for its metrics.
    metrics: Option<PartyView<'r>>,
    /// The days it takes part, within the agreement's days of the year,
    /// merged and in order.
    periods: Vec<Days>,
    /// The months it counts, under a month rule.
    months: u16,
    /// Whether a membership it takes part through has a date known only to
    /// a month or a year.
    pub(crate) approximate: bool,
    /// Only for a party joining in a what-if: its percentage of a full year.
    pub(crate) percent: Option<Percent>,
    /// Only for a party joining in a what-if: its units for the year.
    pub(crate) usage: Option<Quantity>,
    /// Only for a party joining in a what-if: its units bought in advance.
    pub(crate) bought: Option<Quantity>,
}

impl Claimant<'_> {
    /// Whether it takes part on any day of the year.
    pub(crate) fn is_present(&self) -> bool {
        !self.periods.is_empty()
    }

    /// Its units of time in `year` under `rule`, of
    /// [`YearCosts::units_in_year`]: the days it takes part, the months it
    /// counts, or every day of the year under the whole-year rule once it
    /// takes part at all.
    pub(crate) fn year_units(&self, rule: PartYear, year: FinancialYear) -> u32 {
        match rule {
            PartYear::ProRataByMonths | PartYear::ProRataByMonthsBegun => self.months.count_ones(),
            PartYear::WholeYear if self.is_present() => year.days(),
            PartYear::WholeYear => 0,
            PartYear::ProRataByDays => self.periods.iter().copied().map(days_in).sum(),
        }
    }
}

/// One stretch of a window: consecutive paying units under one formula.
#[derive(Debug, Clone)]
pub(crate) struct StretchPlan<'a> {
    from: NaiveDate,
    until: NaiveDate,
    pub(crate) formula: &'a DatedFormula,
    units: u32,
    /// The paying months, under a month rule.
    mask: u16,
}

/// How a window of a year divides: its stretches, every claimant's units in
/// each, and all its paying units.
#[derive(Debug, Clone)]
pub(crate) struct Plan<'a> {
    pub(crate) stretches: Vec<StretchPlan<'a>>,
    /// `units[claimant][stretch]`.
    pub(crate) units: Vec<Vec<u32>>,
    pub(crate) total: u32,
}

impl Plan<'_> {
    /// Claimant `i`'s units in stretch `k`.
    pub(crate) fn units_of(&self, i: usize, k: usize) -> u32 {
        self.units
            .get(i)
            .and_then(|u| u.get(k))
            .copied()
            .unwrap_or(0)
    }
}

/// Everything needed to share one agreement's costs in one financial year.
#[derive(Debug, Clone)]
pub(crate) struct YearCosts<'r> {
    pub(crate) asof: AsOf<'r>,
    /// The agreement as answers name it, on the question's day.
    pub(crate) agreement: AgreementRef<'r>,
    /// The agreement as of [`cost_at`].
    pub(crate) view: AgreementView<'r>,
    pub(crate) year: FinancialYear,
    /// The agreement's days of the year.
    pub(crate) span: Option<Days>,
    pub(crate) rule: PartYear,
    formulas: Cow<'r, [DatedFormula]>,
    months: Vec<Days>,
    /// One per party, by party id.
    pub(crate) claimants: Vec<Claimant<'r>>,
}

/// Whether a joining or leaving of `m` known only to a month or a year
/// could fall on a day of `span`, so that the days it counts there, and the
/// shares, are approximate. A date known roughly outside the span changes
/// nothing in it.
fn uncertain_within(m: &Membership, span: Days) -> bool {
    [Some(m.joined()), m.left()]
        .into_iter()
        .flatten()
        .any(|d| !d.is_exact() && d.first_day() < span.1 && span.0 <= d.last_day())
}

impl<'r> YearCosts<'r> {
    /// Gathers the terms and claimants of agreement `key` for `year`.
    /// **O(m log m + a)** for m memberships and a amendments.
    pub(crate) fn new(
        asof: &AsOf<'r>,
        key: AgreementKey,
        year: FinancialYear,
    ) -> Result<Self, Error> {
        let registry = asof.registry();
        let at = cost_at(asof);
        let record = registry
            .agreement_at(key)
            .ok_or_else(|| Error::unknown_agreement(&format!("#{}", key.index())))?;
        let view = AgreementView::new(record, at);
        let named = asof.view(key).unwrap_or(view);
        let span = span(&view, year);
        let rule = view.part_year();
        let months = PartYear::months(year);
        // Each run of days a party takes part, and whether the membership
        // it comes from has a date known only to a month or a year.
        let mut spells: Vec<(&'r PartyId, Days, bool)> = Vec::new();
        if let Some(span) = span {
            let changes = role_changes(&view);
            for m in view.record().members() {
                let Some(p) = known_period(&view, m) else {
                    continue;
                };
                let end = p.end().unwrap_or(span.1);
                let Some(days) = clip((p.start(), end), span) else {
                    continue;
                };
                let approximate = uncertain_within(m, span);
                for d in taking_part(&view, &changes, m, days) {
                    spells.push((m.party(), d, approximate));
                }
            }
        }
        spells.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
        let mut claimants: Vec<Claimant<'r>> = Vec::new();
        let mut i = 0;
        while let Some(&(party, _, _)) = spells.get(i) {
            let n = spells
                .get(i..)
                .map_or(0, |rest| rest.iter().take_while(|s| s.0 == party).count());
            let own = spells.get(i..i.saturating_add(n)).unwrap_or_default();
            let periods = merge(own.iter().map(|s| s.1).collect());
            claimants.push(Claimant {
                party,
                metrics: party_view(asof, party, at),
                months: months_counted(rule, &periods, &months),
                approximate: own.iter().any(|s| s.2),
                periods,
                percent: None,
                usage: None,
                bought: None,
            });
            i = i.saturating_add(n.max(1));
        }
        Ok(YearCosts {
            asof: *asof,
            agreement: AsOf::agreement_ref(&named),
            view,
            year,
            span,
            rule,
            formulas: view.formulas(),
            months,
            claimants,
        })
    }

    /// A refusal to share the agreement's costs of the year, saying why.
    pub(crate) fn refuse(&self, kind: ErrorKind, reason: impl fmt::Display) -> Error {
        self.refuse_to("apportion", kind, reason)
    }

    /// A refusal of `action` on the agreement's costs of the year.
    pub(crate) fn refuse_to(
        &self,
        action: &str,
        kind: ErrorKind,
        reason: impl fmt::Display,
    ) -> Error {
        let id = self.view.id().as_str();
        Error::refused(
            kind,
            action,
            &format!("{id} in {}", self.year),
            self.year.first_day(),
            reason,
        )
        .agreement(id)
    }

    /// The units of time of the year an entitlement is a part of: its
    /// days, or its twelve months under a month rule.
    pub(crate) fn units_in_year(&self) -> u32 {
        if self.rule.counts_months() {
            12
        } else {
            self.year.days()
        }
    }

    /// The claimant `party`, if it takes part on some day of the year.
    /// **O(log c)**: claimants are kept by party id.
    pub(crate) fn claimant(&self, party: &str) -> Option<&Claimant<'r>> {
        self.claimants
            .binary_search_by(|c| c.party.as_str().cmp(party))
            .ok()
            .and_then(|i| self.claimants.get(i))
    }

    /// The refusal of an overflow.
    pub(crate) fn overflow(&self) -> Error {
        self.refuse(
            ErrorKind::Money,
            "an exact figure of the shares is too large to work with",
        )
    }

    /// A refusal naming the member whose input is missing.
    fn missing(&self, party: &PartyId, reason: impl fmt::Display) -> Error {
        self.refuse(ErrorKind::MissingCostInput, reason)
            .party(party.as_str())
    }

    /// The whole year as a window.
    pub(crate) fn year_window(&self) -> Days {
        (self.year.first_day(), self.year.end())
    }

    /// Adds a party joining on `from` for the rest of the year, as a
    /// what-if supposes, and returns its place among the claimants.
    pub(crate) fn add_joiner(
        &mut self,
        party: &'r PartyId,
        from: NaiveDate,
        percent: Option<Percent>,
        usage: Option<Quantity>,
        bought: Option<Quantity>,
    ) -> usize {
        let periods: Vec<Days> = self
            .span
            .and_then(|span| clip((from, span.1), span))
            .into_iter()
            .collect();
        let at = self.claimants.partition_point(|c| c.party < party);
        let claimant = Claimant {
            party,
            metrics: party_view(&self.asof, party, self.view.at()),
            months: months_counted(self.rule, &periods, &self.months),
            approximate: false,
            periods,
            percent,
            usage,
            bought,
        };
        self.claimants.insert(at, claimant);
        at
    }

    /// How `window` (within the year) divides into stretches, with every
    /// claimant's units in each. **O(c·s·p)** for c claimants of p periods
    /// each and s stretches.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MissingCostInput`] when no formula is in force on the
    /// first paying day.
    pub(crate) fn plan(&self, window: Days) -> Result<Plan<'_>, Error> {
        let none = Plan {
            stretches: Vec::new(),
            units: vec![Vec::new(); self.claimants.len()],
            total: 0,
        };
        let Some(window) = self.span.and_then(|s| clip(s, window)) else {
            return Ok(none);
        };
        let stretches = match self.rule {
            PartYear::ProRataByMonths | PartYear::ProRataByMonthsBegun => {
                self.month_stretches(window)?
            }
            // Every member there at all counts the whole year, so every day
            // of the agreement's year pays.
            PartYear::WholeYear if self.claimants.iter().any(Claimant::is_present) => {
                self.day_stretches(&[window])?
            }
            PartYear::WholeYear => Vec::new(),
            PartYear::ProRataByDays => self.day_stretches(&merge(
                self.claimants
                    .iter()
                    .flat_map(|c| c.periods.iter().filter_map(|p| clip(*p, window)))
                    .collect(),
            ))?,
        };
        let units = self
            .claimants
            .iter()
            .map(|c| {
                stretches
                    .iter()
                    .map(|s| match self.rule {
                        PartYear::ProRataByMonths | PartYear::ProRataByMonthsBegun => {
                            (c.months & s.mask).count_ones()
                        }
                        PartYear::WholeYear if c.is_present() => s.units,
                        PartYear::WholeYear => 0,
                        PartYear::ProRataByDays => c
                            .periods
                            .iter()
                            .filter_map(|p| clip(*p, (s.from, s.until)))
                            .map(days_in)
                            .sum(),
                    })
                    .collect()
            })
            .collect();
        let total = stretches.iter().map(|s| s.units).sum();
        Ok(Plan {
            stretches,
            units,
            total,
        })
    }

    /// The formulas governing `days`, or the refusal naming the first day
    /// none does.
    fn segments(&self, days: Days) -> Result<Vec<(Period, &DatedFormula)>, Error> {
        let span = Period::new(days.0, Some(days.1))
            .map_err(|_| self.refuse(ErrorKind::MissingCostInput, "no day to share"))?;
        formula_segments(&self.formulas, span).map_err(|day| {
            self.refuse(
                ErrorKind::MissingCostInput,
                format!(
                    "a member takes part on {day}, but no sharing formula is in force that day"
                ),
            )
        })
    }

    /// Stretches of the paying days `paying` (sorted and merged), by the
    /// formula governing each day.
    fn day_stretches(&self, paying: &[Days]) -> Result<Vec<StretchPlan<'_>>, Error> {
        let (Some(first), Some(last)) = (paying.first(), paying.last()) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<StretchPlan<'_>> = Vec::new();
        for (period, formula) in self.segments((first.0, last.1))? {
            let seg = (period.start(), period.end().unwrap_or(last.1));
            let inside: Vec<Days> = paying.iter().filter_map(|p| clip(*p, seg)).collect();
            let (Some(from), Some(until)) = (inside.first(), inside.last()) else {
                continue;
            };
            extend(
                &mut out,
                StretchPlan {
                    from: from.0,
                    until: until.1,
                    formula,
                    units: inside.iter().copied().map(days_in).sum(),
                    mask: 0,
                },
            );
        }
        Ok(out)
    }

    /// Stretches of paying months: the months a claimant counts whose first
    /// day in the agreement's span falls in `window` (within the span),
    /// each under the formula in force on that day.
    fn month_stretches(&self, window: Days) -> Result<Vec<StretchPlan<'_>>, Error> {
        let Some(span) = self.span else {
            return Ok(Vec::new());
        };
        let counted = self.claimants.iter().fold(0u16, |m, c| m | c.months);
        let paying: Vec<(usize, Days)> = self
            .months
            .iter()
            .enumerate()
            .filter(|(i, _)| counted & bit(*i) != 0)
            .map(|(i, m)| (i, (PartYear::month_anchor(*m, span), m.1.min(span.1))))
            .filter(|(_, m)| window.0 <= m.0 && m.0 < window.1)
            .collect();
        let (Some(first), Some(last)) = (paying.first(), paying.last()) else {
            return Ok(Vec::new());
        };
        let segments = self.segments((first.1.0, last.1.1))?;
        let mut out: Vec<StretchPlan<'_>> = Vec::new();
        for (i, month) in paying {
            let Some(&(_, formula)) = segments.iter().find(|(p, _)| p.contains(month.0)) else {
                continue;
            };
            extend(
                &mut out,
                StretchPlan {
                    from: month.0,
                    until: month.1,
                    formula,
                    units: 1,
                    mask: bit(i),
                },
            );
        }
        Ok(out)
    }

    /// Shares `total` minor units of `currency` over the stretches of
    /// `plan`, rounded once by largest remainder; ties go to the party id
    /// that sorts first, since claimants are in that order.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MissingCostInput`] when something is to be shared but
    /// no member takes part, a member lacks the share, metric or usage its
    /// formula needs, or the weights of a stretch add up to zero. The
    /// weights are worked in 128 bits, and again in integers of any length
    /// when they outgrow them, so nothing overflows.
    pub(crate) fn share(
        &self,
        total: Money,
        plan: &Plan<'_>,
    ) -> Result<(Vec<Stretch>, Vec<Share<'r>>), Error> {
        match self.share_in::<u128>(total, plan) {
            Err(e) if e.kind() == ErrorKind::Money => self.share_in::<Big>(total, plan),
            other => other,
        }
    }

    /// [`YearCosts::share`] in the width `N`: [`ErrorKind::Money`] when a
    /// value outgrows it.
    fn share_in<N: Exact>(
        &self,
        total: Money,
        plan: &Plan<'_>,
    ) -> Result<(Vec<Stretch>, Vec<Share<'r>>), Error> {
        let stretches: Vec<Stretch> = plan
            .stretches
            .iter()
            .map(|s| Stretch {
                from: s.from,
                to: s.until.pred_opt().unwrap_or(s.from),
                formula: s.formula.formula.clone(),
                formula_from: s.formula.from,
                units: s.units,
            })
            .collect();
        let takers: Vec<usize> = (0..self.claimants.len())
            .filter(|&i| (0..plan.stretches.len()).any(|k| plan.units_of(i, k) > 0))
            .collect();
        if takers.is_empty() {
            return if total.is_zero() {
                Ok((stretches, Vec::new()))
            } else {
                Err(self.refuse(
                    ErrorKind::MissingCostInput,
                    format!("no member takes part in {} to share {total}", self.year),
                ))
            };
        }
        let mut inputs: Vec<Vec<ShareStretch>> = vec![Vec::new(); takers.len()];
        let mut parts = Vec::with_capacity(plan.stretches.len());
        for (k, s) in plan.stretches.iter().enumerate() {
            let units: Vec<u32> = takers.iter().map(|&i| plan.units_of(i, k)).collect();
            let mut read = vec![Vec::new(); takers.len()];
            let weights = self.weights::<N>(&s.formula.formula, s, &takers, &units, &mut read)?;
            for ((slot, units), read) in inputs.iter_mut().zip(&units).zip(read) {
                slot.push(ShareStretch {
                    units: *units,
                    inputs: read,
                });
            }
            if weights.iter().all(N::is_zero) {
                if total.is_zero() {
                    continue;
                }
                return Err(self.refuse(
                    ErrorKind::MissingCostInput,
                    format!(
                        "the formula in force from {} gives every member taking part from {} to {} a weight of zero",
                        s.formula.from,
                        s.from,
                        s.until.pred_opt().unwrap_or(s.from)
                    ),
                ));
            }
            parts.push((N::of(u128::from(s.units)), weights));
        }
        let combined = blend(&parts, takers.len()).map_err(|e| self.apportion_error(&e))?;
        let allocations =
            split(total.minor_units(), &combined).map_err(|e| self.apportion_error(&e))?;
        let shares = takers
            .iter()
            .zip(inputs)
            .zip(allocations)
            .filter_map(|((&i, stretches), a)| {
                let c = self.claimants.get(i)?;
                Some(Share {
                    party: self.asof.party_ref(c.party),
                    stretches,
                    quota: a.quota,
                    amount: Money::from_minor(a.amount, total.currency()),
                    approximate: c.approximate,
                })
            })
            .collect();
        Ok((stretches, shares))
    }

    fn apportion_error(&self, e: &ApportionError) -> Error {
        match e {
            ApportionError::Overflow => self.overflow(),
            ApportionError::NegativeTotal(_) => self.refuse(
                ErrorKind::InvalidValue,
                "an amount below zero cannot be shared",
            ),
            _ => self.refuse(
                ErrorKind::MissingCostInput,
                "the members' weights add up to zero",
            ),
        }
    }

    /// The weights of the claimants `takers` (with `units` each in stretch
    /// `s`) under `formula`, recording what it read for each.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per kind of formula, each reading its own input"
    )]
    fn weights<N: Exact>(
        &self,
        formula: &Formula,
        s: &StretchPlan<'_>,
        takers: &[usize],
        units: &[u32],
        read: &mut [Vec<ShareInput>],
    ) -> Result<Vec<N>, Error> {
        let by_units = |w: u128, u: u32| {
            N::of(w)
                .times(&N::of(u128::from(u)))
                .ok_or_else(|| self.overflow())
        };
        let members = takers
            .iter()
            .zip(units)
            .filter_map(|(&i, &u)| Some((self.claimants.get(i)?, u)));
        let mut weights = Vec::with_capacity(takers.len());
        match formula {
            Formula::FixedPercentages { .. } => {
                let mut percents = Vec::with_capacity(takers.len());
                for ((c, u), read) in members.clone().zip(read.iter_mut()) {
                    if u == 0 {
                        percents.push(None);
                        continue;
                    }
                    let p = c
                        .percent
                        .or_else(|| formula.share_of(c.party.as_str()))
                        .ok_or_else(|| {
                            self.missing(
                                c.party,
                                format!(
                                    "member {:?} takes part from {} but has no share in the fixed percentages in force from {}",
                                    c.party.as_str(),
                                    s.from,
                                    s.formula.from
                                ),
                            )
                        })?;
                    read.push(ShareInput::Percent { percent: p });
                    percents.push(Some(u128::from(p.ten_thousandths())));
                }
                // A joiner's percentage is of a full year; the others fill
                // the rest in their existing proportions.
                let joiner = members
                    .clone()
                    .find_map(|(c, u)| if u > 0 { c.percent } else { None })
                    .map(|p| u128::from(p.ten_thousandths()));
                let others: u128 = members
                    .clone()
                    .zip(&percents)
                    .filter(|((c, _), _)| c.percent.is_none())
                    .filter_map(|(_, p)| *p)
                    .sum();
                let hundred = u128::from(Percent::HUNDRED.ten_thousandths());
                for ((c, u), p) in members.zip(&percents) {
                    let p = p.unwrap_or(0);
                    let w = match joiner {
                        Some(_) if c.percent.is_some() && others > 0 => p.checked_mul(others),
                        Some(j) if c.percent.is_none() => p.checked_mul(hundred.saturating_sub(j)),
                        _ => Some(p),
                    };
                    weights.push(by_units(w.ok_or_else(|| self.overflow())?, u)?);
                }
            }
            Formula::Metric { metric, .. } => {
                for ((c, u), read) in members.zip(read.iter_mut()) {
                    if u == 0 {
                        weights.push(N::of(0));
                        continue;
                    }
                    let value = c
                        .metrics
                        .and_then(|v| v.metric(metric, self.year))
                        .ok_or_else(|| {
                            self.missing(
                                c.party,
                                format!(
                                    "the formula in force from {} needs metric {metric:?} for {}, but member {:?} has none",
                                    s.formula.from,
                                    self.year,
                                    c.party.as_str()
                                ),
                            )
                        })?;
                    read.push(ShareInput::Metric {
                        metric: metric.clone(),
                        value,
                    });
                    weights.push(by_units(u128::from(value.ten_thousandths()), u)?);
                }
            }
            Formula::Usage { .. } => {
                for ((c, u), read) in members.zip(read.iter_mut()) {
                    if u == 0 {
                        weights.push(N::of(0));
                        continue;
                    }
                    let id = c.party.as_str();
                    let recorded = c.usage.or_else(|| self.view.usage_of(id, self.year));
                    let usage = recorded.ok_or_else(|| {
                        self.missing(
                            c.party,
                            format!(
                                "the formula in force from {} shares by usage, but member {id:?} has no usage recorded for {}",
                                s.formula.from, self.year
                            ),
                        )
                    })?;
                    read.push(ShareInput::Usage { units: usage });
                    // Units used in a part year already reflect it.
                    weights.push(N::of(u128::from(usage.ten_thousandths())));
                }
            }
            Formula::Entitlement { .. } => {
                let purchases = self.view.purchases();
                for ((c, u), read) in members.zip(read.iter_mut()) {
                    if u == 0 {
                        weights.push(N::of(0));
                        continue;
                    }
                    let id = c.party.as_str();
                    let bought = c.bought.or_else(|| {
                        purchases
                            .binary_search_by(|p| (p.year, p.party.as_str()).cmp(&(self.year, id)))
                            .ok()
                            .and_then(|i| purchases.get(i))
                            .map(|p| p.units)
                    })
                        .ok_or_else(|| {
                            self.missing(
                                c.party,
                                format!(
                                    "the formula in force from {} shares by units bought in advance, but member {id:?} bought none for {}",
                                    s.formula.from, self.year
                                ),
                            )
                        })?;
                    read.push(ShareInput::Purchase { units: bought });
                    // Units bought are for a full year: the entitlement is
                    // their part for the time it is a member.
                    weights.push(by_units(u128::from(bought.ten_thousandths()), u)?);
                }
            }
            Formula::Blend { parts, .. } => {
                let mut mixed = Vec::with_capacity(parts.len());
                for part in parts {
                    let ws = self.weights::<N>(&part.formula, s, takers, units, read)?;
                    mixed.push((N::of(u128::from(part.weight.ten_thousandths())), ws));
                }
                weights = blend(&mixed, takers.len()).map_err(|e| match e {
                    ApportionError::Overflow => self.overflow(),
                    _ => self.refuse(
                        ErrorKind::MissingCostInput,
                        format!(
                            "a part of the blend in force from {} gives every member taking part from {} a weight of zero",
                            s.formula.from, s.from
                        ),
                    ),
                })?;
            }
            Formula::Equal { .. } => {
                for ((_, u), read) in members.zip(read.iter_mut()) {
                    if u > 0 {
                        read.push(ShareInput::Equal);
                    }
                    weights.push(N::of(u128::from(u)));
                }
            }
        }
        Ok(weights)
    }
}

/// Adds a stretch, or extends the last one when it has the same formula:
/// consecutive paying units under one formula are one stretch.
fn extend<'a>(out: &mut Vec<StretchPlan<'a>>, next: StretchPlan<'a>) {
    if let Some(last) = out.last_mut() {
        if last.formula.formula == next.formula.formula {
            last.until = next.until;
            last.units = last.units.saturating_add(next.units);
            last.mask |= next.mask;
            return;
        }
    }
    out.push(next);
}

/// The party `id` as the cost view reads it, for its metrics.
fn party_view<'r>(asof: &AsOf<'r>, id: &PartyId, at: At) -> Option<PartyView<'r>> {
    let registry = asof.registry();
    let key = registry.party_key(id.as_str()).ok()?;
    registry.party_at(key).map(|p| PartyView::new(p, at))
}
