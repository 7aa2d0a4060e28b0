//! Amendments checked against the record: for every field an amendment
//! changed, each change's `before` is what the record held on its day as
//! the amendments entered before it left it, and the record holds what the
//! last change (in date order, then the order entered) left. A field path
//! must name something that exists.
//!
//! **O(n log n)** for n changes: each field's changes are walked once in
//! the order entered, with the values so far kept in date order.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{
    Agreement, AgreementChange, AgreementField, Amendment, BodyChange, BodyField, GovernanceBody,
    Party, PartyChange, PartyField,
};
use crate::problem::{Path, ProblemCode as Code, Problems};

/// One change to one field, where it sits and when it takes effect.
struct Entry<'a, T> {
    amendment: usize,
    change: usize,
    date: NaiveDate,
    before: &'a T,
    after: &'a T,
}

fn show<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Checks one field's chain of changes, in the order entered.
fn chain<T: PartialEq + Serialize + Debug>(
    entries: &[Entry<'_, T>],
    current: &T,
    field: &str,
    path: &Path<'_>,
    out: &mut Problems,
) {
    let mut so_far: BTreeMap<(NaiveDate, usize, usize), (&T, &T)> = BTreeMap::new();
    let amendments = path.key("amendments");
    for e in entries {
        let as_it_stood = so_far
            .range(..=(e.date, usize::MAX, usize::MAX))
            .next_back()
            .map(|(_, (_, after))| *after)
            .or_else(|| so_far.values().next().map(|(before, _)| *before));
        if let Some(stood) = as_it_stood.filter(|stood| *stood != e.before) {
            out.at(
                &amendments
                    .index(e.amendment)
                    .key("changes")
                    .index(e.change)
                    .key("before"),
                Code::AmendmentMismatch,
                format!(
                    "{field} was {} on {} as the register stood, not {}",
                    show(stood),
                    e.date,
                    show(e.before)
                ),
            );
        }
        so_far.insert((e.date, e.amendment, e.change), (e.before, e.after));
    }
    if let Some((_, (_, last))) = so_far.iter().next_back() {
        if *last != current {
            out.at(
                &path.key(field_root(field)),
                Code::AmendmentMismatch,
                format!(
                    "{field} holds {}, but the last amendment of it left {}",
                    show(current),
                    show(*last)
                ),
            );
        }
    }
}

/// The top-level key of a field path, for pointing at it.
fn field_root(field: &str) -> &str {
    field.split(['.', '[']).next().unwrap_or(field)
}

/// The changes of every amendment, grouped by field, each group in the
/// order entered.
fn by_field<C, F: std::hash::Hash + Eq + Ord>(
    amendments: &[Amendment<C>],
    field: impl Fn(&C) -> F,
) -> Vec<(F, Vec<(usize, usize)>)> {
    let mut groups: HashMap<F, Vec<(usize, usize)>> = HashMap::new();
    for (i, a) in amendments.iter().enumerate() {
        for (j, c) in a.changes.iter().enumerate() {
            groups.entry(field(c)).or_default().push((i, j));
        }
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

/// Gathers the typed entries of one group.
fn entries<'a, C, T>(
    amendments: &'a [Amendment<C>],
    at: &[(usize, usize)],
    pick: impl Fn(&'a C) -> Option<(&'a T, &'a T)>,
) -> Vec<Entry<'a, T>> {
    at.iter()
        .filter_map(|&(i, j)| {
            let a = amendments.get(i)?;
            let (before, after) = pick(a.changes.get(j)?)?;
            Some(Entry {
                amendment: i,
                change: j,
                date: a.date,
                before,
                after,
            })
        })
        .collect()
}

macro_rules! check {
    ($amendments:expr, $at:expr, $current:expr, $field:expr, $path:expr, $out:expr, $pattern:pat => $change:expr) => {{
        #[allow(unreachable_patterns)]
        let found = entries($amendments, $at, |c| match c {
            $pattern => Some((&$change.before, &$change.after)),
            _ => None,
        });
        chain(&found, $current, &$field.to_string(), $path, $out);
    }};
}

/// Checks an agreement's amendments against its record.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per field an amendment may change"
)]
pub(crate) fn agreement(a: &Agreement, path: &Path<'_>, out: &mut Problems) {
    if a.amendments.is_empty() {
        return;
    }
    let t = &a.terms;
    let am = &a.amendments;
    for (field, at) in by_field(am, AgreementChange::field) {
        match &field {
            AgreementField::Title => {
                check!(am, &at, &t.title, field, path, out, AgreementChange::Title(c) => c);
            }
            AgreementField::Purpose => {
                check!(am, &at, &t.purpose, field, path, out, AgreementChange::Purpose(c) => c);
            }
            AgreementField::LegalBasis => {
                check!(am, &at, &t.legal_basis, field, path, out, AgreementChange::LegalBasis(c) => c);
            }
            AgreementField::Functions => {
                check!(am, &at, &t.functions, field, path, out, AgreementChange::Functions(c) => c);
            }
            AgreementField::PartOf => {
                check!(am, &at, &t.part_of, field, path, out, AgreementChange::PartOf(c) => c);
            }
            AgreementField::End => {
                check!(am, &at, &t.end, field, path, out, AgreementChange::End(c) => c);
            }
            AgreementField::Review => {
                check!(am, &at, &t.review, field, path, out, AgreementChange::Review(c) => c);
            }
            AgreementField::Leaving => {
                check!(am, &at, &t.leaving, field, path, out, AgreementChange::Leaving(c) => c);
            }
            AgreementField::Publication => {
                check!(am, &at, &t.publication, field, path, out, AgreementChange::Publication(c) => c);
            }
            AgreementField::Responsibilities => {
                check!(am, &at, &t.responsibilities, field, path, out, AgreementChange::Responsibilities(c) => c);
            }
            AgreementField::Term => {
                check!(am, &at, &t.term, field, path, out, AgreementChange::Term(c) => c);
            }
            AgreementField::ReplacedBy => {
                check!(am, &at, &t.replaced_by, field, path, out, AgreementChange::ReplacedBy(c) => c);
            }
            AgreementField::UnitPrice => {
                check!(am, &at, &t.costs.unit_price, field, path, out, AgreementChange::UnitPrice(c) => c);
            }
            AgreementField::Purchases => {
                check!(am, &at, &t.costs.purchases, field, path, out, AgreementChange::Purchases(c) => c);
            }
            AgreementField::Charges => {
                check!(am, &at, &t.costs.charges, field, path, out, AgreementChange::Charges(c) => c);
            }
            AgreementField::Grants => {
                check!(am, &at, &t.costs.grants, field, path, out, AgreementChange::Grants(c) => c);
            }
            AgreementField::Assets => {
                check!(am, &at, &t.costs.assets, field, path, out, AgreementChange::Assets(c) => c);
            }
            AgreementField::PartYear => {
                check!(am, &at, &t.costs.part_year, field, path, out, AgreementChange::PartYear(c) => c);
            }
            AgreementField::Baseline => {
                check!(am, &at, &t.costs.baseline, field, path, out, AgreementChange::Baseline(c) => c);
            }
            AgreementField::Savings => {
                check!(am, &at, &t.costs.savings, field, path, out, AgreementChange::Savings(c) => c);
            }
            AgreementField::Budget(year) => {
                let current = t.costs.budget(*year).cloned();
                check!(am, &at, &current, field, path, out, AgreementChange::Budget(_, c) => c);
            }
            AgreementField::Formula(from) => {
                let current = t
                    .costs
                    .formulas
                    .iter()
                    .find(|f| f.from == *from)
                    .map(|f| f.formula.clone());
                check!(am, &at, &current, field, path, out, AgreementChange::Formula(_, c) => c);
            }
            AgreementField::Usage(party, year) => {
                let current = t.costs.usage_of(party.as_str(), *year);
                check!(am, &at, &current, field, path, out, AgreementChange::Usage(_, _, c) => c);
            }
            AgreementField::Role(party, joined) => {
                match a
                    .members
                    .iter()
                    .find(|m| m.party() == party && m.joined() == *joined)
                {
                    Some(m) => {
                        let current = m.role();
                        check!(am, &at, &current, field, path, out, AgreementChange::Role(_, _, c) => c);
                    }
                    None => {
                        for &(i, j) in &at {
                            out.at(
                                &path
                                    .key("amendments")
                                    .index(i)
                                    .key("changes")
                                    .index(j)
                                    .key("field"),
                                Code::InvalidPath,
                                format!(
                                    "{field} names no membership: {party} did not join on {joined}"
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Checks a party's amendments against its record.
pub(crate) fn party(p: &Party, path: &Path<'_>, out: &mut Problems) {
    if p.amendments.is_empty() {
        return;
    }
    let t = &p.terms;
    let am = &p.amendments;
    for (field, at) in by_field(am, PartyChange::field) {
        match &field {
            PartyField::Name => {
                check!(am, &at, &t.name, field, path, out, PartyChange::Name(c) => c);
            }
            PartyField::Kind => {
                check!(am, &at, &t.kind, field, path, out, PartyChange::Kind(c) => c);
            }
            PartyField::Region => {
                check!(am, &at, &t.region, field, path, out, PartyChange::Region(c) => c);
            }
            PartyField::SignsAs => {
                check!(am, &at, &t.signs_as, field, path, out, PartyChange::SignsAs(c) => c);
            }
            PartyField::Metric(metric, year) => {
                let current = t.metric(metric, *year).map(|m| m.value);
                check!(am, &at, &current, field, path, out, PartyChange::Metric(_, _, c) => c);
            }
        }
    }
}

/// Checks a body's amendments against its record.
pub(crate) fn body(b: &GovernanceBody, path: &Path<'_>, out: &mut Problems) {
    if b.amendments.is_empty() {
        return;
    }
    let t = &b.terms;
    let am = &b.amendments;
    for (field, at) in by_field(am, BodyChange::field) {
        match field {
            BodyField::Name => check!(am, &at, &t.name, field, path, out, BodyChange::Name(c) => c),
            BodyField::Kind => check!(am, &at, &t.kind, field, path, out, BodyChange::Kind(c) => c),
            BodyField::DecisionRule => {
                check!(am, &at, &t.decision_rule, field, path, out, BodyChange::DecisionRule(c) => c);
            }
            BodyField::DelegatedLimits => {
                check!(am, &at, &t.delegated_limits, field, path, out, BodyChange::DelegatedLimits(c) => c);
            }
        }
    }
}
