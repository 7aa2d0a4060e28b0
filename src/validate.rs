//! The rules a registry must keep, checked on load and on every change.
//!
//! One set of rules serves both: loading checks every record, and a change
//! checks the record it would produce before the registry is touched.

use std::collections::{HashMap, HashSet};

use crate::agreement::Agreement;
use crate::costs::Formula;
use crate::dates::FinancialYear;
use crate::error::Problem;
use crate::file::Document;
use crate::governance::GovernanceBody;
use crate::membership::Role;
use crate::money::Percent;
use crate::party::Party;

/// What the rules need to look up about the rest of the registry.
pub(crate) trait Resolve {
    fn party(&self, id: &str) -> Option<&Party>;
    /// Whether a party with this id exists, even one whose record could not be read.
    fn has_party(&self, id: &str) -> bool {
        self.party(id).is_some()
    }
    fn has_agreement(&self, id: &str) -> bool;
    fn has_body(&self, id: &str) -> bool;
}

struct Known<'a> {
    parties: HashMap<&'a str, &'a Party>,
    declared_parties: HashSet<&'a str>,
    agreements: HashSet<&'a str>,
    bodies: HashSet<&'a str>,
}

impl Resolve for Known<'_> {
    fn party(&self, id: &str) -> Option<&Party> {
        self.parties.get(id).copied()
    }
    fn has_party(&self, id: &str) -> bool {
        self.declared_parties.contains(id)
    }
    fn has_agreement(&self, id: &str) -> bool {
        self.agreements.contains(id)
    }
    fn has_body(&self, id: &str) -> bool {
        self.bodies.contains(id)
    }
}

struct Out {
    problems: Vec<Problem>,
}

impl Out {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }
}

/// Checks the references and rules of a whole document.
pub(crate) fn check_document(doc: &Document) -> Vec<Problem> {
    let mut out = Out {
        problems: Vec::new(),
    };
    let origin = &doc.origin;
    let known = Known {
        parties: doc.parties.iter().map(|p| (p.id.as_str(), p)).collect(),
        declared_parties: origin.declared_parties.iter().map(String::as_str).collect(),
        agreements: origin
            .declared_agreements
            .iter()
            .map(String::as_str)
            .collect(),
        bodies: origin.declared_bodies.iter().map(String::as_str).collect(),
    };
    for (list, what, ids) in [
        ("parties", "party", &origin.declared_parties),
        ("agreements", "agreement", &origin.declared_agreements),
        ("bodies", "body", &origin.declared_bodies),
    ] {
        let mut first_at: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let first = *first_at.entry(id.as_str()).or_insert(i);
            if first != i {
                out.add(
                    format!("{list}[{i}].id"),
                    format!("duplicate {what} id {id:?} (first at {list}[{first}])"),
                );
            }
        }
    }
    // A record that did not read cleanly has its own problems reported; its
    // rules are checked once it reads.
    for (p, place) in doc.parties.iter().zip(&origin.parties) {
        if place.clean {
            let path = format!("parties[{}]", place.position);
            out.problems.extend(check_party(p, &path, &known));
        }
    }
    for (a, place) in doc.agreements.iter().zip(&origin.agreements) {
        if place.clean {
            let path = format!("agreements[{}]", place.position);
            out.problems.extend(check_agreement(a, &path, &known));
        }
    }
    for (b, place) in doc.bodies.iter().zip(&origin.bodies) {
        if place.clean {
            let path = format!("bodies[{}]", place.position);
            out.problems.extend(check_body(b, &path, &known));
        }
    }
    let part_of: Vec<Option<&str>> = doc
        .agreements
        .iter()
        .map(|a| a.part_of.as_ref().map(|p| p.as_str()))
        .collect();
    let ids: Vec<&str> = doc.agreements.iter().map(|a| a.id.as_str()).collect();
    for (i, cycle) in find_cycles(&ids, &part_of) {
        let position = origin.agreements.get(i).map_or(i, |p| p.position);
        out.add(
            format!("agreements[{position}].part_of"),
            format!("part_of makes a cycle: {}", cycle.join(" -> ")),
        );
    }
    let reports_to: Vec<Option<&str>> = doc
        .bodies
        .iter()
        .map(|b| b.reports_to.as_ref().map(|p| p.as_str()))
        .collect();
    let ids: Vec<&str> = doc.bodies.iter().map(|b| b.id.as_str()).collect();
    for (i, cycle) in find_cycles(&ids, &reports_to) {
        let position = origin.bodies.get(i).map_or(i, |p| p.position);
        out.add(
            format!("bodies[{position}].reports_to"),
            format!("reports_to makes a cycle: {}", cycle.join(" -> ")),
        );
    }
    out.problems
}

/// Finds each cycle in a forest given as "parent of each node", reported once
/// at the cycle's first node in document order, with the ids around it.
pub(crate) fn find_cycles<'a>(
    ids: &[&'a str],
    parent: &[Option<&'a str>],
) -> Vec<(usize, Vec<&'a str>)> {
    let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // 0 = unseen, 1 = on the current walk, 2 = done.
    let mut state = vec![0u8; ids.len()];
    let mut cycles = Vec::new();
    for startnode in 0..ids.len() {
        let mut walk = Vec::new();
        let mut node = Some(startnode);
        while let Some(n) = node {
            match state[n] {
                2 => break,
                1 => {
                    if let Some(at) = walk.iter().position(|&w| w == n) {
                        let members = &walk[at..];
                        let first = members.iter().copied().min().unwrap_or(n);
                        let rotate = members.iter().position(|&m| m == first).unwrap_or(0);
                        let mut names: Vec<&str> = members[rotate..]
                            .iter()
                            .chain(&members[..rotate])
                            .map(|&m| ids[m])
                            .collect();
                        names.push(ids[first]);
                        cycles.push((first, names));
                    }
                    break;
                }
                _ => {
                    state[n] = 1;
                    walk.push(n);
                    node = parent[n].and_then(|p| position.get(p).copied());
                }
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    cycles.sort();
    cycles
}

pub(crate) fn check_party(p: &Party, path: &str, known: &dyn Resolve) -> Vec<Problem> {
    let mut out = Out {
        problems: Vec::new(),
    };
    for (j, o) in p.overseen_by.iter().enumerate() {
        // Paths are written out only for a problem found.
        let at = |field: &str| format!("{path}.overseen_by[{j}].{field}");
        if !known.has_party(o.by.as_str()) {
            out.add(at("by"), format!("unknown party {:?}", o.by.as_str()));
        } else if o.by == p.id {
            out.add(at("by"), "a party cannot oversee itself");
        }
        if let (Some(from), Some(until)) = (o.from, o.until) {
            if until <= from {
                out.add(
                    at("until"),
                    format!("until {until} is not after from {from}"),
                );
            }
        }
    }
    let mut seen = HashSet::new();
    for (j, m) in p.metrics.iter().enumerate() {
        if !seen.insert((m.metric.as_str(), m.year)) {
            out.add(
                format!("{path}.metrics[{j}]"),
                format!("metric {:?} is given twice for {}", m.metric, m.year),
            );
        }
    }
    out.problems
}

pub(crate) fn check_agreement(a: &Agreement, path: &str, known: &dyn Resolve) -> Vec<Problem> {
    let mut out = Out {
        problems: Vec::new(),
    };
    if let Some(end) = a.end {
        if end <= a.start {
            out.add(
                format!("{path}.end"),
                format!("end {end} is not after start {}", a.start),
            );
        }
    }
    if let Some(parent) = &a.part_of {
        if parent == &a.id {
            out.add(
                format!("{path}.part_of"),
                "an agreement cannot be part of itself",
            );
        } else if !known.has_agreement(parent.as_str()) {
            out.add(
                format!("{path}.part_of"),
                format!("unknown agreement {:?}", parent.as_str()),
            );
        }
    }
    if a.status.is_empty() {
        out.add(format!("{path}.status"), "needs at least one dated status");
    }
    for (j, pair) in a.status.windows(2).enumerate() {
        if pair[1].from < pair[0].from {
            out.add(
                format!("{path}.status[{}].from", j + 1),
                format!(
                    "status changes must be in date order: {} comes after {}",
                    pair[1].from, pair[0].from
                ),
            );
        } else if !pair[0].status.can_change_to(pair[1].status) {
            let allowed: Vec<&str> = pair[0]
                .status
                .next_statuses()
                .iter()
                .map(|s| s.as_str())
                .collect();
            out.add(
                format!("{path}.status[{}].status", j + 1),
                format!(
                    "an agreement cannot go from {} to {} (from {} it may go to: {})",
                    pair[0].status.as_str(),
                    pair[1].status.as_str(),
                    pair[0].status.as_str(),
                    if allowed.is_empty() {
                        "nothing, it is final".to_string()
                    } else {
                        allowed.join(", ")
                    }
                ),
            );
        }
    }
    // A member with an impossible period is reported on its own; counting
    // it here too would report one fault twice.
    let periods_valid = a
        .members
        .iter()
        .all(|m| m.left.is_none_or(|left| left > m.joined));
    if periods_valid {
        check_two_members_while_in_force(a, path, &mut out);
    }
    for (j, m) in a.members.iter().enumerate() {
        // Paths are written out only for a problem found.
        let at = |field: &str| format!("{path}.members[{j}].{field}");
        if !known.has_party(m.party.as_str()) {
            out.add(at("party"), format!("unknown party {:?}", m.party.as_str()));
        }
        if m.joined < a.start {
            out.add(
                at("joined"),
                format!(
                    "joined {} is before the agreement starts on {}",
                    m.joined, a.start
                ),
            );
        }
        if let Some(left) = m.left {
            if left <= m.joined {
                out.add(
                    at("left"),
                    format!("left {left} is not after joined {}", m.joined),
                );
            }
        }
        if let Some(notice) = m.notice_served {
            if notice < m.joined {
                out.add(
                    at("notice_served"),
                    format!("notice served {notice} is before joined {}", m.joined),
                );
            }
            if m.left.is_some_and(|left| notice >= left) {
                out.add(
                    at("notice_served"),
                    format!(
                        "notice served {notice} is not before left {}",
                        m.left.unwrap_or(notice)
                    ),
                );
            }
        }
    }
    check_overlapping_memberships(a, path, &mut out);
    for (j, d) in a.declined.iter().enumerate() {
        if !known.has_party(d.party.as_str()) {
            out.add(
                format!("{path}.declined[{j}].party"),
                format!("unknown party {:?}", d.party.as_str()),
            );
        }
    }
    let member_or_overseer = |id: &str| {
        a.members.iter().any(|m| {
            m.party == id
                || known
                    .party(m.party.as_str())
                    .is_some_and(|p| p.overseen_by.iter().any(|o| o.by == id))
        })
    };
    for (field, who) in [
        ("asset_owner", &a.responsibilities.asset_owner),
        ("employer", &a.responsibilities.employer),
    ] {
        if let Some(who) = who {
            if !known.has_party(who.as_str()) {
                out.add(
                    format!("{path}.responsibilities.{field}"),
                    format!("unknown party {:?}", who.as_str()),
                );
            } else if !member_or_overseer(who.as_str()) {
                out.add(
                    format!("{path}.responsibilities.{field}"),
                    format!(
                        "{:?} is neither a member nor the policing body of a member",
                        who.as_str()
                    ),
                );
            }
        }
    }
    if a.review.cadence_months == Some(0) {
        out.add(
            format!("{path}.review.cadence_months"),
            "must be at least 1",
        );
    }
    for (j, r) in a.review.held.iter().enumerate() {
        if let Some(by) = &r.by {
            if !known.has_body(by.as_str()) {
                out.add(
                    format!("{path}.review.held[{j}].by"),
                    format!("unknown governance body {:?}", by.as_str()),
                );
            }
        }
    }
    if a.publication.level == crate::agreement::PublicationLevel::Withheld
        && a.publication
            .reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        out.add(
            format!("{path}.publication.reason"),
            "a withheld agreement needs a stated reason",
        );
    }
    check_costs(a, path, known, &mut out);
    out.problems
}

/// A party may hold several memberships of one agreement, but not at once.
/// Sorting by party and joining day makes this **O(m log m)** in the
/// members: only neighbours in that order can overlap first.
fn check_overlapping_memberships(a: &Agreement, path: &str, out: &mut Out) {
    let mut order: Vec<usize> = (0..a.members.len()).collect();
    order.sort_by(|&x, &y| {
        let (mx, my) = (&a.members[x], &a.members[y]);
        (mx.party.as_str(), mx.joined, x).cmp(&(my.party.as_str(), my.joined, y))
    });
    let mut found: Vec<(usize, usize)> = Vec::new();
    for pair in order.windows(2) {
        let (first, second) = (&a.members[pair[0]], &a.members[pair[1]]);
        if first.party == second.party && first.period().overlaps(&second.period()) {
            // Report at the later entry in the file, pointing back at the earlier.
            found.push((pair[0].max(pair[1]), pair[0].min(pair[1])));
        }
    }
    found.sort_unstable();
    for (later, earlier) in found {
        out.add(
            format!("{path}.members[{later}].party"),
            format!(
                "party {:?} is listed twice with overlapping periods (see {path}.members[{earlier}])",
                a.members[later].party.as_str()
            ),
        );
    }
}

/// An agreement in force needs two members on every day it is in force.
/// Membership only changes on status, joining and leaving days, so those
/// are the days to check; the first shortfall is reported.
fn check_two_members_while_in_force(a: &Agreement, path: &str, out: &mut Out) {
    // A sweep over the days membership or status changes: **O(m log m)**.
    // Overlapping memberships of one party are reported on their own, so
    // counting memberships counts parties here.
    let mut changes: Vec<(chrono::NaiveDate, i64)> = Vec::with_capacity(a.members.len() * 2);
    for m in a.members.iter().filter(|m| m.role != Role::Observer) {
        changes.push((m.joined, 1));
        if let Some(left) = m.left {
            changes.push((left, -1));
        }
    }
    for c in &a.status {
        changes.push((c.from.max(a.start), 0));
    }
    changes.sort_unstable();
    let mut members: i64 = 0;
    let mut at = 0;
    while at < changes.len() {
        let on = changes[at].0;
        while at < changes.len() && changes[at].0 == on {
            members += changes[at].1;
            at += 1;
        }
        if on < a.start || a.end.is_some_and(|end| on >= end) {
            continue;
        }
        let Some(j) = a.status.iter().rposition(|c| c.from <= on) else {
            continue;
        };
        let status = a.status[j].status;
        if status.is_in_force() && members < 2 {
            out.add(
                format!("{path}.status[{j}]"),
                format!(
                    "an agreement that is {} needs at least two members, but on {on} it has {members}",
                    status.as_str()
                ),
            );
            return;
        }
    }
}

fn check_costs(a: &Agreement, path: &str, known: &dyn Resolve, out: &mut Out) {
    let costs = &a.costs;
    let mut years = HashSet::new();
    for (j, b) in costs.budgets.iter().enumerate() {
        if b.amount.is_negative() {
            out.add(
                format!("{path}.costs.budgets[{j}].amount"),
                format!("budget {} is negative", b.amount),
            );
        }
        if !years.insert(b.year) {
            out.add(
                format!("{path}.costs.budgets[{j}].year"),
                format!("a budget for {} is given twice", b.year),
            );
        }
    }
    if let Some(baseline) = costs.baseline {
        if baseline.is_negative() {
            out.add(
                format!("{path}.costs.baseline"),
                format!("baseline {baseline} is negative"),
            );
        }
    }
    if costs.savings.target.is_some_and(|t| t.is_negative()) {
        out.add(
            format!("{path}.costs.savings.target"),
            "a savings target may not be negative",
        );
    }
    for (j, pair) in costs.formulas.windows(2).enumerate() {
        if pair[1].from <= pair[0].from {
            out.add(
                format!("{path}.costs.formulas[{}].from", j + 1),
                format!(
                    "formulas must be in date order, each from a later day: {} follows {}",
                    pair[1].from, pair[0].from
                ),
            );
        }
    }
    for (j, u) in costs.usage.iter().enumerate() {
        if !a.members.iter().any(|m| m.party == u.party) {
            out.add(
                format!("{path}.costs.usage[{j}].party"),
                format!("{:?} is not a member of {}", u.party.as_str(), a.id),
            );
        }
    }
    for (j, dated) in costs.formulas.iter().enumerate() {
        check_formula_shape(
            a,
            &dated.formula,
            &format!("{path}.costs.formulas[{j}].formula"),
            out,
        );
    }
    // Each budgeted year is shared by the formula in force on its first day
    // (or on the start, for the agreement's first year).
    for budget in &costs.budgets {
        let on = budget.year.first_day().max(a.start);
        let Some(j) = costs.formulas.iter().rposition(|f| f.from <= on) else {
            continue;
        };
        let at = format!("{path}.costs.formulas[{j}].formula");
        check_formula_year(a, &costs.formulas[j].formula, budget.year, &at, known, out);
    }
}

fn check_formula_shape(a: &Agreement, formula: &Formula, at: &str, out: &mut Out) {
    match formula {
        Formula::FixedPercentages { shares } => {
            let total: u64 = shares
                .iter()
                .map(|s| u64::from(s.percent.ten_thousandths()))
                .sum();
            if total != u64::from(Percent::HUNDRED.ten_thousandths()) {
                out.add(
                    format!("{at}.shares"),
                    format!(
                        "fixed percentages add up to {}, not exactly 100",
                        crate::money::format_scaled(i128::from(total), Percent::PLACES, true)
                    ),
                );
            }
            for (k, s) in shares.iter().enumerate() {
                if !a.members.iter().any(|m| m.party == s.party) {
                    out.add(
                        format!("{at}.shares[{k}].party"),
                        format!(
                            "{:?} has a share but is not a member of {}",
                            s.party.as_str(),
                            a.id
                        ),
                    );
                }
                if shares[..k].iter().any(|e| e.party == s.party) {
                    out.add(
                        format!("{at}.shares[{k}].party"),
                        format!("{:?} has two shares", s.party.as_str()),
                    );
                }
            }
        }
        Formula::Blend { parts } => {
            let total: u64 = parts
                .iter()
                .map(|p| u64::from(p.weight.ten_thousandths()))
                .sum();
            if total != u64::from(Percent::HUNDRED.ten_thousandths()) {
                out.add(
                    format!("{at}.parts"),
                    format!(
                        "blend weights add up to {}, not exactly 100",
                        crate::money::format_scaled(i128::from(total), Percent::PLACES, true)
                    ),
                );
            }
            for (k, p) in parts.iter().enumerate() {
                check_formula_shape(a, &p.formula, &format!("{at}.parts[{k}].formula"), out);
            }
        }
        Formula::Metric { metric } if metric.trim().is_empty() => {
            out.add(format!("{at}.metric"), "may not be empty");
        }
        _ => {}
    }
}

/// Checks that every member sharing costs in `year` has what the formula needs.
fn check_formula_year(
    a: &Agreement,
    formula: &Formula,
    year: FinancialYear,
    at: &str,
    known: &dyn Resolve,
    out: &mut Out,
) {
    let period = year.period();
    for m in a
        .members
        .iter()
        .filter(|m| m.role != Role::Observer && m.period().overlaps(&period))
    {
        let mid = m.party.as_str();
        if let Formula::FixedPercentages { shares } = formula {
            if !shares.iter().any(|s| s.party == m.party) {
                out.add(
                    format!("{at}.shares"),
                    format!("member {mid:?} takes part in {year} but has no fixed share"),
                );
            }
        }
        for metric in formula.metrics() {
            let has = known
                .party(mid)
                .is_some_and(|p| p.metric(metric, year).is_some());
            if !has && known.party(mid).is_some() {
                out.add(
                    format!("{at}.metric"),
                    format!("the formula needs metric {metric:?} for {year}, but member {mid:?} has none"),
                );
            }
        }
    }
}

pub(crate) fn check_body(b: &GovernanceBody, path: &str, known: &dyn Resolve) -> Vec<Problem> {
    let mut out = Out {
        problems: Vec::new(),
    };
    for (j, g) in b.governs.iter().enumerate() {
        if !known.has_agreement(g.as_str()) {
            out.add(
                format!("{path}.governs[{j}]"),
                format!("unknown agreement {:?}", g.as_str()),
            );
        }
    }
    for (j, s) in b.seats.iter().enumerate() {
        if !known.has_party(s.party.as_str()) {
            out.add(
                format!("{path}.seats[{j}].party"),
                format!("unknown party {:?}", s.party.as_str()),
            );
        }
    }
    if let Some(up) = &b.reports_to {
        if up == &b.id {
            out.add(
                format!("{path}.reports_to"),
                "a body cannot report to itself",
            );
        } else if !known.has_body(up.as_str()) {
            out.add(
                format!("{path}.reports_to"),
                format!("unknown governance body {:?}", up.as_str()),
            );
        }
    }
    for (j, l) in b.delegated_limits.iter().enumerate() {
        if l.limit.is_negative() {
            out.add(
                format!("{path}.delegated_limits[{j}].limit"),
                format!("limit {} is negative", l.limit),
            );
        }
    }
    out.problems
}
