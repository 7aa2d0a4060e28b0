//! Which days of a financial year a membership's share reads: the one rule
//! the rules on load (a fixed share or a metric must exist for every
//! formula a member's days read) and the planner of a year's costs apply.

use chrono::{Datelike, NaiveDate};

use super::agreement::Agreement;
use super::costs::{DatedFormula, Days, PartYear, formula_segments, merge};
use super::dates::{FinancialYear, Period};
use super::membership::Membership;
use super::terms::AgreementChange;

/// The days of `span` on which membership `m` of `a` takes part (any role
/// but observer), merged and in order, its role on each day read through
/// the agreement's role changes as a view reads them with every amendment
/// known: the rule the rules on load apply to the record as it stands, as
/// the planner applies it through the view of a register day.
/// **O(c log c)** for c amendment changes.
fn taking_part(a: &Agreement, m: &Membership, span: Days) -> Vec<Days> {
    let Some(period) = m.period() else {
        return Vec::new();
    };
    let days = (
        period.start().max(span.0),
        period.end().map_or(span.1, |e| e.min(span.1)),
    );
    if days.0 >= days.1 {
        return Vec::new();
    }
    // Each change of its role, by day then in the order entered.
    let mut changes = Vec::new();
    for (i, am) in a.amendments.iter().enumerate() {
        for (j, c) in am.changes.iter().enumerate() {
            if let AgreementChange::Role(party, joined, c) = c {
                if party == m.party() && *joined == m.joined() {
                    changes.push(((am.date, i, j), c.before, c.after));
                }
            }
        }
    }
    changes.sort_unstable_by_key(|c| c.0);
    let role_on = |day: NaiveDate| {
        let before = changes.partition_point(|c| c.0.0 <= day);
        match before.checked_sub(1).and_then(|i| changes.get(i)) {
            Some(c) => c.2,
            None => changes.first().map_or(m.role(), |c| c.1),
        }
    };
    let mut cuts: Vec<NaiveDate> = changes
        .iter()
        .map(|c| c.0.0)
        .filter(|d| days.0 < *d && *d < days.1)
        .collect();
    cuts.dedup();
    let mut out = Vec::new();
    let mut from = days.0;
    for until in cuts.into_iter().chain([days.1]) {
        if role_on(from).takes_part() {
            out.push((from, until));
        }
        from = until;
    }
    merge(out)
}

/// The days whose formula the share of membership `m` of `a` in `year`
/// reads, as the planner of a year's costs reads them (`span` is the
/// agreement's days of the year): under [`PartYear::ProRataByDays`] the days
/// it takes part; under [`PartYear::WholeYear`] every day of the span, once
/// it takes part on any; under the month rules the first day in the span of
/// each month the party counts, for the membership that holds the party's
/// first day of that month (so a month two touching memberships complete
/// is read once). Months need the party's other memberships only when
/// they could change the count: a membership ending part-way through a
/// month under whole months, or starting part-way through one under months
/// begun. **O(c log c)**, or **O(m·c log c)** then, for m memberships and c
/// amendment changes.
fn days_read(a: &Agreement, m: &Membership, year: FinancialYear, span: Days) -> Vec<Days> {
    let own = taking_part(a, m, span);
    let rule = a.terms.costs.part_year;
    match rule {
        _ if own.is_empty() => Vec::new(),
        PartYear::ProRataByDays => own,
        PartYear::WholeYear => vec![span],
        PartYear::ProRataByMonths | PartYear::ProRataByMonthsBegun => {
            let ragged = own.iter().any(|d| match rule {
                PartYear::ProRataByMonths => d.1 != span.1 && d.1.day() != 1,
                _ => d.0 != span.0 && d.0.day() != 1,
            });
            let party = if ragged {
                merge(
                    a.members
                        .iter()
                        .filter(|o| o.party() == m.party())
                        .flat_map(|o| taking_part(a, o, span))
                        .collect(),
                )
            } else {
                own.clone()
            };
            PartYear::months(year)
                .into_iter()
                .filter(|month| rule.counts_month(*month, &party))
                .filter_map(|month| {
                    let first = party
                        .iter()
                        .find(|d| month.0 < d.1 && d.0 < month.1)?
                        .0
                        .max(month.0);
                    own.iter()
                        .any(|d| d.0 <= first && first < d.1)
                        .then_some(())?;
                    let anchor = PartYear::month_anchor(month, span);
                    Some((anchor, anchor.succ_opt()?))
                })
                .collect()
        }
    }
}

impl Agreement {
    /// The formulas the share of membership `m` in `year` reads, in date
    /// order, each once (`span` is the agreement's days of the year; see
    /// [`days_read`] for the days): what the rules on load check a fixed
    /// share and the metrics of, so that a year that loads can be shared.
    ///
    /// # Errors
    ///
    /// The first day read on which no formula is in force.
    pub(crate) fn formulas_read(
        &self,
        m: &Membership,
        year: FinancialYear,
        span: Period,
    ) -> Result<Vec<&DatedFormula>, NaiveDate> {
        let span = (
            span.start(),
            span.end().unwrap_or(year.end()).min(year.end()),
        );
        let mut out: Vec<&DatedFormula> = Vec::new();
        for days in days_read(self, m, year, span) {
            let Ok(period) = Period::new(days.0, Some(days.1)) else {
                continue;
            };
            out.extend(
                formula_segments(&self.terms.costs.formulas, period)?
                    .into_iter()
                    .map(|(_, f)| f),
            );
        }
        out.sort_by_key(|f| f.from);
        out.dedup_by_key(|f| f.from);
        Ok(out)
    }
}
