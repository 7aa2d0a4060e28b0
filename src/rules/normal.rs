//! The canonical order of the lists a registry keeps sorted, so a lookup is
//! a binary search and a file always saves the same way: budgets by year,
//! formulas by the day they take effect, usage and units bought in advance
//! by year then party, fixed shares by party, reviews held by date, metrics by name then year. Sorts
//! are stable, so two entries for one key stay side by side for the rules
//! to report.

use crate::model::{Agreement, AgreementChange, CostArrangement, Formula, Party};

fn formula(f: &mut Formula) {
    match f {
        Formula::FixedPercentages { shares, .. } => shares.sort_by(|a, b| a.party.cmp(&b.party)),
        Formula::Blend { parts, .. } => {
            for part in parts {
                formula(&mut part.formula);
            }
        }
        _ => {}
    }
}

pub(crate) fn costs(c: &mut CostArrangement) {
    c.budgets.sort_by_key(|b| b.year);
    c.formulas.sort_by_key(|f| f.from);
    for f in &mut c.formulas {
        formula(&mut f.formula);
    }
    c.usage
        .sort_by(|a, b| (a.year, &a.party).cmp(&(b.year, &b.party)));
    purchases(&mut c.purchases);
}

fn purchases(list: &mut [crate::model::Purchase]) {
    list.sort_by(|a, b| (a.year, &a.party).cmp(&(b.year, &b.party)));
}

/// Puts an agreement's sorted lists in canonical order.
pub(crate) fn agreement(a: &mut Agreement) {
    // Most agreements record no costs: reading through does not allocate.
    if let Some(c) = a.terms.costs.get_mut() {
        costs(c);
    }
    a.terms.costs.shrink();
    a.reviews_held.sort_by_key(|r| r.date);
    for am in &mut a.amendments {
        for c in &mut am.changes {
            match c {
                AgreementChange::Formula(_, c) => {
                    for f in [&mut c.before, &mut c.after].into_iter().flatten() {
                        formula(f);
                    }
                }
                AgreementChange::Purchases(c) => {
                    purchases(&mut c.before);
                    purchases(&mut c.after);
                }
                _ => {}
            }
        }
    }
}

/// Puts a party's metrics in canonical order.
pub(crate) fn party(p: &mut Party) {
    p.terms
        .metrics
        .sort_by(|a, b| (&a.metric, a.year).cmp(&(&b.metric, b.year)));
}
