//! What records say of each other: references that name records that
//! exist, no cycles of "part of" or "reports to", asset owners and employers
//! that are members or their commissioners, metrics that formulas need, and
//! one currency for every amount.

use std::collections::HashMap;

use crate::model::{
    Agreement, AgreementChange, AgreementId, Currency, FinancialYear, GovernanceBody, Membership,
    Money, Party, ReportsTo, Savings,
};
use crate::problem::{Path, ProblemCode as Code, Problems};

use super::Context;
use super::record::span_in_year;

fn unknown(path: &Path<'_>, what: &str, id: &str, out: &mut Problems) {
    out.at(
        path,
        Code::UnknownReference,
        format!("unknown {what} {id:?}"),
    );
}

fn currency(amount: Money, expected: Currency, path: &Path<'_>, out: &mut Problems) {
    if amount.currency() != expected {
        out.at(
            path,
            Code::Currency,
            format!(
                "{amount} is in {}, but the registry keeps {expected}",
                amount.currency()
            ),
        );
    }
}

fn savings_currency(s: &Savings, expected: Currency, path: &Path<'_>, out: &mut Problems) {
    if let Some(target) = s.target {
        currency(target, expected, &path.key("target"), out);
    }
    let list = path.key("realised");
    for (j, r) in s.realised.iter().enumerate() {
        currency(r.amount, expected, &list.index(j).key("amount"), out);
    }
}

/// A party's links: who oversees it.
pub(crate) fn party(p: &Party, path: &Path<'_>, ctx: &dyn Context, out: &mut Problems) {
    let list = path.key("overseen_by");
    for (j, o) in p.overseen_by.iter().enumerate() {
        if !ctx.has_party(o.by.as_str()) {
            unknown(&list.index(j).key("by"), "party", o.by.as_str(), out);
        }
    }
}

/// Whether `who` is a member of `a` or oversees one.
fn member_or_overseer(a: &Agreement, who: &str, ctx: &dyn Context) -> bool {
    in_class(a, who, ctx)
        || a.members.iter().any(|m| {
            m.party() == who
                || ctx
                    .party(m.party().as_str())
                    .is_some_and(|p| p.overseen_by.iter().any(|o| o.by == who))
        })
}

/// Whether `who` is of a kind (and region) that one of `a`'s classes of
/// members holds.
fn in_class(a: &Agreement, who: &str, ctx: &dyn Context) -> bool {
    !a.classes.is_empty()
        && ctx
            .party(who)
            .is_some_and(|p| a.classes.iter().any(|c| c.includes(p.kind(), p.region())))
}

/// For an agreement with members by class, the parties its costs name are
/// listed members or of a class (the record rules check the listed ones
/// alone).
fn class_cost_parties(a: &Agreement, path: &Path<'_>, ctx: &dyn Context, out: &mut Problems) {
    if a.classes.is_empty() {
        return;
    }
    let listed = |id: &str| a.members.iter().any(|m| m.party() == id);
    let costs = path.key("costs");
    let mut check = |who: &crate::model::PartyId, at: &Path<'_>| {
        if !ctx.has_party(who.as_str()) {
            unknown(at, "party", who.as_str(), out);
        } else if !listed(who.as_str()) && !in_class(a, who.as_str(), ctx) {
            out.at(
                at,
                Code::NotAMember,
                format!(
                    "{:?} is neither a listed member of {} nor of one of its classes",
                    who.as_str(),
                    a.id
                ),
            );
        }
    };
    let c = &a.terms.costs;
    let list = costs.key("formulas");
    for (j, f) in c.formulas.iter().enumerate() {
        let here = list.index(j);
        let at = here.key("formula");
        for share in f.formula.walk().flat_map(|f| match f {
            crate::model::Formula::FixedPercentages { shares, .. } => shares.as_slice(),
            _ => &[],
        }) {
            check(&share.party, &at);
        }
    }
    let list = costs.key("purchases");
    for (j, p) in c.purchases.iter().enumerate() {
        check(&p.party, &list.index(j).key("party"));
    }
    let list = costs.key("usage");
    for (j, u) in c.usage.iter().enumerate() {
        check(&u.party, &list.index(j).key("party"));
    }
    let list = costs.key("charges");
    for (j, ch) in c.charges.iter().enumerate() {
        check(&ch.payer, &list.index(j).key("payer"));
        check(&ch.payee, &list.index(j).key("payee"));
    }
    let list = costs.key("grants");
    for (j, g) in c.grants.iter().enumerate() {
        if let Some(party) = &g.party {
            check(party, &list.index(j).key("party"));
        }
    }
}

/// One membership's links: its party exists, and in each budgeted year it
/// shares, it has the metrics the formulas of its days need.
pub(crate) fn membership(
    a: &Agreement,
    m: &Membership,
    path: &Path<'_>,
    ctx: &dyn Context,
    out: &mut Problems,
) {
    let Some(party) = ctx.party(m.party().as_str()) else {
        if !ctx.has_party(m.party().as_str()) {
            unknown(&path.key("party"), "party", m.party().as_str(), out);
        }
        return;
    };
    // An observer today may have taken part in earlier years: the days it
    // shares are read per day, role by role, so no role is skipped here.
    for budget in &a.terms.costs.budgets {
        member_metrics(a, m, party, budget.year, path, out);
    }
}

/// The metrics `party` (the member of `m`) needs for `year`: those of every
/// formula its share reads, on the days the planner reads them (see
/// `Agreement::formulas_read`). A day without a formula is reported by the
/// record's own rules.
fn member_metrics(
    a: &Agreement,
    m: &Membership,
    party: &Party,
    year: FinancialYear,
    path: &Path<'_>,
    out: &mut Problems,
) {
    let Some(span) = span_in_year(a, year) else {
        return;
    };
    let Ok(formulas) = a.formulas_read(m, year, span) else {
        return;
    };
    for dated in formulas {
        for metric in dated.formula.metrics() {
            if party.metric(metric, year).is_none() {
                out.at(
                    &path.key("party"),
                    Code::MissingMetric,
                    format!(
                        "the formula in force from {} needs metric {metric:?} for {year}, but member {:?} has none",
                        dated.from,
                        m.party().as_str()
                    ),
                );
            }
        }
    }
}

/// An agreement's links.
pub(crate) fn agreement(a: &Agreement, path: &Path<'_>, ctx: &dyn Context, out: &mut Problems) {
    let t = &a.terms;
    if let Some(parent) = t.part_of.as_ref().filter(|p| **p != a.id) {
        if !ctx.has_agreement(parent.as_str()) {
            unknown(&path.key("part_of"), "agreement", parent.as_str(), out);
        }
    }
    if let Some(successor) = t.replaced_by.as_ref().filter(|s| **s != a.id) {
        if !ctx.has_agreement(successor.as_str()) {
            unknown(
                &path.key("replaced_by"),
                "agreement",
                successor.as_str(),
                out,
            );
        }
    }
    let list = path.key("members");
    for (j, m) in a.members.iter().enumerate() {
        membership(a, m, &list.index(j), ctx, out);
    }
    let list = path.key("declined");
    for (j, d) in a.declined.iter().enumerate() {
        if !ctx.has_party(d.party.as_str()) {
            unknown(&list.index(j).key("party"), "party", d.party.as_str(), out);
        }
    }
    let responsibilities = path.key("responsibilities");
    for (field, who) in [
        ("asset_owner", &t.responsibilities.asset_owner),
        ("employer", &t.responsibilities.employer),
    ] {
        let Some(who) = who else { continue };
        let at = responsibilities.key(field);
        if !ctx.has_party(who.as_str()) {
            unknown(&at, "party", who.as_str(), out);
        } else if !member_or_overseer(a, who.as_str(), ctx) {
            out.at(
                &at,
                Code::NotAMember,
                format!(
                    "{:?} is neither a member nor the policing body of a member",
                    who.as_str()
                ),
            );
        }
    }
    let costs = path.key("costs");
    let assets = costs.key("assets");
    for (j, asset) in t.costs.assets.iter().enumerate() {
        let here = assets.index(j);
        let owners = here.key("owners");
        for (k, o) in asset.owners.iter().enumerate() {
            let owner = owners.index(k);
            let at = owner.key("party");
            if !ctx.has_party(o.party.as_str()) {
                unknown(&at, "party", o.party.as_str(), out);
            } else if !member_or_overseer(a, o.party.as_str(), ctx) {
                out.at(
                    &at,
                    Code::NotAMember,
                    format!(
                        "{:?} owns a share of {:?} but is neither a member nor the policing body of a member",
                        o.party.as_str(),
                        asset.name
                    ),
                );
            }
        }
    }
    class_cost_parties(a, path, ctx, out);
    let review = path.key("review");
    let held = review.key("held");
    for (j, r) in a.reviews_held.iter().enumerate() {
        if let Some(by) = r.by.as_ref().filter(|by| !ctx.has_body(by.as_str())) {
            unknown(
                &held.index(j).key("by"),
                "governance body",
                by.as_str(),
                out,
            );
        }
    }
    agreement_currency(a, path, ctx.currency(), out);
}

/// Every amount an agreement holds is in the registry's currency.
#[allow(
    clippy::match_same_arms,
    reason = "each arm's change is of a different type"
)]
pub(crate) fn agreement_currency(
    a: &Agreement,
    path: &Path<'_>,
    expected: Currency,
    out: &mut Problems,
) {
    let c = &a.terms.costs;
    let costs = path.key("costs");
    let list = costs.key("budgets");
    for (j, b) in c.budgets.iter().enumerate() {
        currency(b.amount, expected, &list.index(j).key("amount"), out);
    }
    if let Some(baseline) = c.baseline {
        currency(baseline, expected, &costs.key("baseline"), out);
    }
    savings_currency(&c.savings, expected, &costs.key("savings"), out);
    if let Some(price) = c.unit_price {
        currency(price, expected, &costs.key("unit_price"), out);
    }
    money_lists(c, expected, &costs, out);
    if let Some(cap) = a.terms.leaving.exit_costs.as_ref().and_then(|e| e.cap) {
        currency(
            cap,
            expected,
            &path.key("leaving").key("exit_costs").key("cap"),
            out,
        );
    }
    let list = path.key("amendments");
    for (i, am) in a.amendments.iter().enumerate() {
        let changes = list.index(i);
        let changes = changes.key("changes");
        for (j, change) in am.changes.iter().enumerate() {
            let here = changes.index(j);
            match change {
                AgreementChange::Budget(_, c) => {
                    for (v, k) in [(&c.before, "before"), (&c.after, "after")] {
                        if let Some(b) = v {
                            currency(b.amount, expected, &here.key(k).key("amount"), out);
                        }
                    }
                }
                AgreementChange::Baseline(c) => {
                    for (v, k) in [(c.before, "before"), (c.after, "after")] {
                        if let Some(m) = v {
                            currency(m, expected, &here.key(k), out);
                        }
                    }
                }
                AgreementChange::Savings(c) => {
                    savings_currency(&c.before, expected, &here.key("before"), out);
                    savings_currency(&c.after, expected, &here.key("after"), out);
                }
                AgreementChange::UnitPrice(c) => {
                    for (v, k) in [(c.before, "before"), (c.after, "after")] {
                        if let Some(m) = v {
                            currency(m, expected, &here.key(k), out);
                        }
                    }
                }
                AgreementChange::Leaving(c) => {
                    for (v, k) in [(&c.before, "before"), (&c.after, "after")] {
                        if let Some(cap) = v.exit_costs.as_ref().and_then(|e| e.cap) {
                            currency(
                                cap,
                                expected,
                                &here.key(k).key("exit_costs").key("cap"),
                                out,
                            );
                        }
                    }
                }
                AgreementChange::Charges(c) => {
                    for (v, k) in [(&c.before, "before"), (&c.after, "after")] {
                        for (n, ch) in v.iter().enumerate() {
                            currency(
                                ch.amount,
                                expected,
                                &here.key(k).index(n).key("amount"),
                                out,
                            );
                        }
                    }
                }
                AgreementChange::Grants(c) => {
                    for (v, k) in [(&c.before, "before"), (&c.after, "after")] {
                        for (n, g) in v.iter().enumerate() {
                            currency(g.amount, expected, &here.key(k).index(n).key("amount"), out);
                        }
                    }
                }
                AgreementChange::Assets(c) => {
                    for (v, k) in [(&c.before, "before"), (&c.after, "after")] {
                        for (n, asset) in v.iter().enumerate() {
                            if let Some(value) = asset.value {
                                currency(value, expected, &here.key(k).index(n).key("value"), out);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The charges, grants and asset values of `c` are in `expected`.
fn money_lists(
    c: &crate::model::CostArrangement,
    expected: Currency,
    costs: &Path<'_>,
    out: &mut Problems,
) {
    let list = costs.key("charges");
    for (j, ch) in c.charges.iter().enumerate() {
        currency(ch.amount, expected, &list.index(j).key("amount"), out);
    }
    let list = costs.key("grants");
    for (j, g) in c.grants.iter().enumerate() {
        currency(g.amount, expected, &list.index(j).key("amount"), out);
    }
    let list = costs.key("assets");
    for (j, a) in c.assets.iter().enumerate() {
        if let Some(value) = a.value {
            currency(value, expected, &list.index(j).key("value"), out);
        }
    }
}

/// A body's links.
pub(crate) fn body(b: &GovernanceBody, path: &Path<'_>, ctx: &dyn Context, out: &mut Problems) {
    // An undated link is written as the id alone, so the path names the
    // entry itself, as the file holds it.
    let list = path.key("governs");
    for (j, g) in b.governs.iter().enumerate() {
        if !ctx.has_agreement(g.agreement.as_str()) {
            let entry = list.index(j);
            let at = if g.is_plain() {
                entry
            } else {
                entry.key("agreement")
            };
            unknown(&at, "agreement", g.agreement.as_str(), out);
        }
    }
    let list = path.key("seats");
    for (j, s) in b.seats.iter().enumerate() {
        if !ctx.has_party(s.party.as_str()) {
            unknown(&list.index(j).key("party"), "party", s.party.as_str(), out);
        }
    }
    let list = path.key("reports_to");
    for (j, r) in b.reports_to.iter().enumerate() {
        if r.body != b.id && !ctx.has_body(r.body.as_str()) {
            let line = list.index(j);
            let at = if ReportsTo::is_plain(&b.reports_to) {
                list
            } else {
                line.key("body")
            };
            unknown(&at, "governance body", r.body.as_str(), out);
        }
    }
    let expected = ctx.currency();
    let list = path.key("delegated_limits");
    for (j, l) in b.terms.delegated_limits.iter().enumerate() {
        currency(l.limit, expected, &list.index(j).key("limit"), out);
    }
    let list = path.key("amendments");
    for (i, am) in b.amendments.iter().enumerate() {
        for (j, change) in am.changes.iter().enumerate() {
            if let crate::model::BodyChange::DelegatedLimits(c) = change {
                for (v, k) in [(&c.before, "before"), (&c.after, "after")] {
                    for (n, l) in v.iter().enumerate() {
                        let at = list.index(i);
                        let at = at.key("changes");
                        let at = at.index(j);
                        let at = at.key(k);
                        currency(l.limit, expected, &at.index(n).key("limit"), out);
                    }
                }
            }
        }
    }
}

/// One agreement's link to another, read from its record.
pub(crate) type AgreementLink = fn(&Agreement) -> Option<&AgreementId>;

/// The links between agreements that may not go round in a circle, by
/// field: an umbrella and its parts, an agreement and its successor.
pub(crate) const AGREEMENT_LINKS: [(&str, AgreementLink); 2] = [
    ("part_of", |a| a.terms.part_of.as_ref()),
    ("replaced_by", |a| a.terms.replaced_by.as_ref()),
];

/// Each cycle of two or more nodes in a forest given as the parents of each
/// node, reported once at the cycle's first node in list order, with the
/// ids around it.
/// **O(n + e)** for n nodes and e parent links.
pub(crate) fn cycles<'a>(ids: &[&'a str], parents: &[Vec<&'a str>]) -> Vec<(usize, Vec<&'a str>)> {
    let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // 0 = unseen, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; ids.len()];
    let mut found = Vec::new();
    for root in 0..ids.len() {
        if state.get(root) != Some(&0) {
            continue;
        }
        // An explicit stack of (node, next parent to follow), so a long
        // chain cannot overflow the call stack.
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        if let Some(s) = state.get_mut(root) {
            *s = 1;
        }
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let parent = parents
                .get(node)
                .and_then(|p| p.get(*next))
                .and_then(|id| position.get(id).copied());
            let more = parents.get(node).is_some_and(|p| *next < p.len());
            if !more {
                if let Some(s) = state.get_mut(node) {
                    *s = 2;
                }
                stack.pop();
                continue;
            }
            *next = next.saturating_add(1);
            // A record naming itself is reported by its own rules, in words
            // of its own; as a cycle it would be reported twice.
            let Some(parent) = parent.filter(|p| *p != node) else {
                continue;
            };
            match state.get(parent) {
                Some(0) => {
                    if let Some(s) = state.get_mut(parent) {
                        *s = 1;
                    }
                    stack.push((parent, 0));
                }
                Some(1) => {
                    if let Some(at) = stack.iter().position(|(n, _)| *n == parent) {
                        let members: Vec<usize> = stack.iter().skip(at).map(|(n, _)| *n).collect();
                        let first = members.iter().copied().min().unwrap_or(parent);
                        let rotate = members.iter().position(|&m| m == first).unwrap_or(0);
                        let mut names: Vec<&str> = members
                            .iter()
                            .skip(rotate)
                            .chain(members.iter().take(rotate))
                            .filter_map(|&m| ids.get(m).copied())
                            .collect();
                        names.extend(ids.get(first).copied());
                        found.push((first, names));
                    }
                }
                _ => {}
            }
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found
}
