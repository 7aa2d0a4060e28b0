//! What the fuzz targets share: asking every question of a registry,
//! checking that a registry saves to a file that loads back to the same
//! bytes, mutating a JSON document by a structure the fuzzer chooses, and
//! applying a change chosen by the fuzzer.

use arbitrary::Arbitrary;
use collab_registry::Registry;
use collab_registry::model::{
    AmendmentKind, Ending, FinancialYear, Governs, Membership, Metric, Money, Oversight, PartyId,
    Quantity, ReportsTo, Review, Role, Seat, SeatRole, Spell, Status, Term, TermUnit,
};
use serde_json::Value;

#[path = "../../tests/support/ask.rs"]
mod ask;
pub use ask::{ask_everything, day};

/// Checks that `registry` saves to a file that loads back to the same bytes.
pub fn assert_round_trip(registry: &Registry) {
    let text = registry.to_json_string();
    match Registry::from_json_str(&text) {
        Ok(again) => assert_eq!(
            again.to_json_string(),
            text,
            "load → save is not a fixed point"
        ),
        Err(e) => panic!("a registry the library holds saved a file it refuses: {e}\n{text}"),
    }
}

/// A leaf value a mutation puts into a document: the kinds of value that
/// break readers, and text the fuzzer chooses.
#[derive(Debug, Arbitrary)]
pub enum Leaf {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Huge,
    Decimal(u32, u8),
    Text(String),
    Interesting(u8),
    EmptyArray,
    EmptyObject,
}

const INTERESTING: &[&str] = &[
    "",
    " ",
    "2021-04-01",
    "2021-02-30",
    "2021-13",
    "2015",
    "10000-01-01",
    "0000-01-01",
    "2021/22",
    "2021/23",
    "9999/00",
    "police_force",
    "policing_body",
    "member",
    "lead",
    "observer",
    "terminated",
    "active",
    "proposed",
    "fixed_percentages",
    "entitlement",
    "blend",
    "metric",
    "usage",
    "equal",
    "whole_year",
    "pro_rata_by_months_begun",
    "100",
    "99.99",
    "100.01",
    "-1.00",
    "0.00001",
    "1e400",
    "92233720368547758.07",
    "derbyshire-police",
    "Derbyshire-Police",
    "derbyshire\u{2010}police",
    "northants-leics-notts-alliance",
    "em-major-crime",
    "all_members",
    "not_stated",
    "section_22a_police_act_1996",
    "costs.budgets[2021/22]",
    "members[derbyshire-police@2012-04-01].role",
    "title",
    "\u{feff}",
    "\u{0}",
];

impl Leaf {
    fn value(&self) -> Value {
        match self {
            Leaf::Null => Value::Null,
            Leaf::Bool(b) => Value::Bool(*b),
            Leaf::Int(n) => Value::from(*n),
            Leaf::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Leaf::Huge => Value::from(u64::MAX),
            Leaf::Decimal(units, places) => {
                let places = usize::from(*places % 6);
                let digits = units.to_string();
                if places == 0 || digits.len() <= places {
                    Value::String(digits)
                } else {
                    let (whole, frac) = digits.split_at(digits.len() - places);
                    Value::String(format!("{whole}.{frac}"))
                }
            }
            Leaf::Text(s) => Value::String(s.clone()),
            Leaf::Interesting(i) => Value::String(
                INTERESTING
                    .get(usize::from(*i) % INTERESTING.len())
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
            ),
            Leaf::EmptyArray => Value::Array(Vec::new()),
            Leaf::EmptyObject => Value::Object(serde_json::Map::new()),
        }
    }
}

/// One edit of a document, at a node the fuzzer picks by number (in
/// depth-first order).
#[derive(Debug, Arbitrary)]
pub enum Mutation {
    /// Replaces the node with a leaf.
    Set(u16, Leaf),
    /// Removes the node from its parent.
    Remove(u16),
    /// Copies the node next to itself (a repeated record or member).
    Duplicate(u16),
    /// Adds a key, known or not, to an object.
    Insert(u16, u8, Leaf),
    /// Moves a node's value to another node.
    Copy(u16, u16),
}

const KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "party",
    "role",
    "joined",
    "left",
    "notice_served",
    "start",
    "end",
    "status",
    "from",
    "until",
    "members",
    "member_classes",
    "members_published",
    "term",
    "replaced_by",
    "ended_by",
    "costs",
    "budgets",
    "formulas",
    "formula",
    "shares",
    "percent",
    "purchases",
    "unit_price",
    "charges",
    "grants",
    "assets",
    "owners",
    "part_year",
    "review",
    "cadence_months",
    "anchor",
    "next_due",
    "leaving",
    "notice_months",
    "exit_costs",
    "amendments",
    "changes",
    "field",
    "before",
    "after",
    "illustrative",
    "x_unknown",
    "seats",
    "votes",
    "reports_to",
    "governs",
    "overseen_by",
    "metrics",
    "value",
    "year",
    "amount",
    "legal_basis",
];

/// The number of nodes under (and including) `v`.
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(fields) => fields.values().map(count).sum(),
        _ => 0,
    }
}

/// The node numbered `n` in depth-first order, with its parent's edit.
fn node_mut<'v>(v: &'v mut Value, n: &mut usize) -> Option<&'v mut Value> {
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    match v {
        Value::Array(items) => items.iter_mut().find_map(|item| node_mut(item, n)),
        Value::Object(fields) => fields.values_mut().find_map(|item| node_mut(item, n)),
        _ => None,
    }
}

/// Applies `edit` to the container holding node `n` and the node's place
/// in it.
fn parent_mut(v: &mut Value, n: usize, edit: &mut dyn FnMut(&mut Value, usize)) -> bool {
    let mut seen = 0usize;
    fn walk(
        v: &mut Value,
        n: usize,
        seen: &mut usize,
        edit: &mut dyn FnMut(&mut Value, usize),
    ) -> bool {
        *seen += 1;
        let children = match v {
            Value::Array(items) => items.len(),
            Value::Object(fields) => fields.len(),
            _ => 0,
        };
        for i in 0..children {
            if *seen == n {
                edit(v, i);
                return true;
            }
            let child = match v {
                Value::Array(items) => items.get_mut(i),
                Value::Object(fields) => fields.values_mut().nth(i),
                _ => None,
            };
            if let Some(child) = child {
                if walk(child, n, seen, edit) {
                    return true;
                }
            }
        }
        false
    }
    n > 0 && walk(v, n, &mut seen, edit)
}

impl Mutation {
    /// Applies the edit to `doc`.
    pub fn apply(&self, doc: &mut Value) {
        let total = count(doc).max(1);
        let pick = |n: u16| usize::from(n) % total;
        match self {
            Mutation::Set(n, leaf) => {
                let mut at = pick(*n);
                if let Some(node) = node_mut(doc, &mut at) {
                    *node = leaf.value();
                }
            }
            Mutation::Remove(n) => {
                parent_mut(doc, pick(*n), &mut |parent, i| match parent {
                    Value::Array(items) if i < items.len() => {
                        items.remove(i);
                    }
                    Value::Object(fields) => {
                        if let Some(key) = fields.keys().nth(i).cloned() {
                            fields.remove(&key);
                        }
                    }
                    _ => {}
                });
            }
            Mutation::Duplicate(n) => {
                parent_mut(doc, pick(*n), &mut |parent, i| {
                    if let Value::Array(items) = parent {
                        if let Some(item) = items.get(i).cloned() {
                            items.insert(i, item);
                        }
                    }
                });
            }
            Mutation::Insert(n, key, leaf) => {
                let mut at = pick(*n);
                if let Some(Value::Object(fields)) = node_mut(doc, &mut at) {
                    let key = KEYS
                        .get(usize::from(*key) % KEYS.len())
                        .copied()
                        .unwrap_or("x");
                    fields.insert(key.to_string(), leaf.value());
                }
            }
            Mutation::Copy(from, to) => {
                let mut at = pick(*from);
                let value = node_mut(doc, &mut at).map(|v| v.clone());
                let mut at = pick(*to);
                if let (Some(value), Some(node)) = (value, node_mut(doc, &mut at)) {
                    if count(&value) < 5000 {
                        *node = value;
                    }
                }
            }
        }
    }
}

/// A change the fuzzer picks, with arguments drawn from the registry's own
/// ids (by number) or made up, so many are refused.
#[derive(Debug, Arbitrary)]
pub enum Op {
    Join {
        agreement: u8,
        party: u8,
        role: u8,
        day: u16,
    },
    Leave {
        agreement: u8,
        party: u8,
        day: u16,
    },
    ServeNotice {
        agreement: u8,
        party: u8,
        day: u16,
    },
    SetStatus {
        agreement: u8,
        status: u8,
        day: u16,
    },
    Terminate {
        agreement: u8,
        day: u16,
    },
    TerminateBy {
        agreement: u8,
        party: u8,
        how: u8,
        day: u16,
    },
    Renew {
        agreement: u8,
        day: u16,
    },
    Extend {
        agreement: u8,
        day: u16,
        to: u16,
    },
    RecordReview {
        agreement: u8,
        day: u16,
    },
    ChangeRole {
        agreement: u8,
        party: u8,
        role: u8,
        day: u16,
    },
    AmendEnd {
        agreement: u8,
        day: u16,
        end: Option<u16>,
    },
    AmendTitle {
        agreement: u8,
        day: u16,
        title: String,
    },
    AmendTerm {
        agreement: u8,
        day: u16,
        length: u16,
        years: bool,
    },
    AmendNotice {
        agreement: u8,
        day: u16,
        months: Option<u32>,
    },
    AmendBudget {
        agreement: u8,
        day: u16,
        year: u16,
        pence: i64,
    },
    AmendSuccessor {
        agreement: u8,
        other: u8,
        day: u16,
    },
    AmendPartyName {
        party: u8,
        day: u16,
        name: String,
    },
    SetMetric {
        party: u8,
        day: u16,
        value: u64,
    },
    AddOversight {
        party: u8,
        by: u8,
        day: u16,
    },
    EndOversight {
        party: u8,
        by: u8,
        day: u16,
    },
    AddSeat {
        body: u8,
        party: u8,
        votes: u32,
        day: u16,
    },
    EndSeat {
        body: u8,
        party: u8,
        day: u16,
    },
    Govern {
        body: u8,
        agreement: u8,
        day: u16,
    },
    StopGoverning {
        body: u8,
        agreement: u8,
        day: u16,
    },
    ReportTo {
        body: u8,
        to: u8,
        day: u16,
    },
    StopReporting {
        body: u8,
        to: u8,
        day: u16,
    },
    LateEntry {
        agreement: u8,
        party: u8,
        day: u16,
        entered: u16,
    },
}

/// The `n`th of `ids`, or a made-up id now and then.
fn pick(ids: &[String], n: u8) -> String {
    match (n % 16, ids.len()) {
        (15, _) | (_, 0) => ["no-such-id", "Bad Id", ""]
            .get(usize::from(n) % 3)
            .copied()
            .unwrap_or("")
            .to_string(),
        (_, len) => ids.get(usize::from(n) % len).cloned().unwrap_or_default(),
    }
}

fn role(n: u8) -> Role {
    [
        Role::Lead,
        Role::Host,
        Role::Member,
        Role::Associate,
        Role::Observer,
    ]
    .get(usize::from(n) % 5)
    .copied()
    .unwrap_or(Role::Member)
}

impl Op {
    /// Applies the change to `registry`, saying whether it was accepted.
    pub fn apply(&self, r: &mut Registry) -> bool {
        let parties: Vec<String> = r.parties().iter().map(|p| p.id().to_string()).collect();
        let agreements: Vec<String> = r.agreements().iter().map(|a| a.id().to_string()).collect();
        let bodies: Vec<String> = r.bodies().iter().map(|b| b.id().to_string()).collect();
        let (p, a, b) = (
            |n| pick(&parties, n),
            |n| pick(&agreements, n),
            |n| pick(&bodies, n),
        );
        let party_id = |n| PartyId::new(&p(n));
        match self {
            Op::Join {
                agreement,
                party,
                role: rl,
                day: d,
            } => match party_id(*party) {
                Ok(id) => r
                    .join(&a(*agreement), Membership::new(id, role(*rl), day(*d)))
                    .is_ok(),
                Err(_) => false,
            },
            Op::Leave {
                agreement,
                party,
                day: d,
            } => r.leave(&a(*agreement), &p(*party), day(*d)).is_ok(),
            Op::ServeNotice {
                agreement,
                party,
                day: d,
            } => r.serve_notice(&a(*agreement), &p(*party), day(*d)).is_ok(),
            Op::SetStatus {
                agreement,
                status,
                day: d,
            } => {
                let s = [
                    Status::Proposed,
                    Status::Active,
                    Status::UnderReview,
                    Status::Suspended,
                    Status::Terminated,
                ]
                .get(usize::from(*status) % 5)
                .copied()
                .unwrap_or(Status::Active);
                r.set_status(&a(*agreement), s, day(*d), None).is_ok()
            }
            Op::Terminate { agreement, day: d } => {
                r.terminate(&a(*agreement), day(*d), None).is_ok()
            }
            Op::TerminateBy {
                agreement,
                party,
                how,
                day: d,
            } => {
                let ending = match how % 3 {
                    0 => match party_id(*party) {
                        Ok(id) => Ending::Notice(id),
                        Err(_) => return false,
                    },
                    1 => Ending::AllMembers,
                    _ => Ending::Expiry,
                };
                r.terminate_by(&a(*agreement), day(*d), ending, None)
                    .is_ok()
            }
            Op::Renew { agreement, day: d } => r.renew(&a(*agreement), day(*d)).is_ok(),
            Op::Extend {
                agreement,
                day: d,
                to,
            } => r.extend(&a(*agreement), day(*d), day(*to)).is_ok(),
            Op::RecordReview { agreement, day: d } => r
                .record_review(&a(*agreement), Review::new(day(*d)))
                .is_ok(),
            Op::ChangeRole {
                agreement,
                party,
                role: rl,
                day: d,
            } => r
                .change_role(&a(*agreement), &p(*party), role(*rl), day(*d))
                .is_ok(),
            Op::AmendEnd {
                agreement,
                day: d,
                end,
            } => r
                .amend(
                    &a(*agreement),
                    day(*d),
                    AmendmentKind::Variation,
                    "End",
                    |t| t.set_end(end.map(day)),
                )
                .is_ok(),
            Op::AmendTitle {
                agreement,
                day: d,
                title,
            } => r
                .amend(
                    &a(*agreement),
                    day(*d),
                    AmendmentKind::Correction,
                    "Title",
                    |t| t.set_title(title.clone()),
                )
                .is_ok(),
            Op::AmendTerm {
                agreement,
                day: d,
                length,
                years,
            } => {
                let unit = if *years {
                    TermUnit::Years
                } else {
                    TermUnit::Months
                };
                r.amend(
                    &a(*agreement),
                    day(*d),
                    AmendmentKind::Variation,
                    "Term",
                    |t| {
                        t.set_term(Some(Term::new(u32::from(*length), unit)));
                    },
                )
                .is_ok()
            }
            Op::AmendNotice {
                agreement,
                day: d,
                months,
            } => r
                .amend(
                    &a(*agreement),
                    day(*d),
                    AmendmentKind::Variation,
                    "Notice",
                    |t| {
                        t.leaving_mut().notice_months = *months;
                    },
                )
                .is_ok(),
            Op::AmendBudget {
                agreement,
                day: d,
                year,
                pence,
            } => {
                let Some(fy) = FinancialYear::containing(day(*year)) else {
                    return false;
                };
                let amount = Money::from_minor(*pence, r.info().currency);
                r.amend(
                    &a(*agreement),
                    day(*d),
                    AmendmentKind::Variation,
                    "Budget",
                    |t| {
                        t.costs_mut()
                            .set_budget(collab_registry::model::Budget::new(fy, amount));
                    },
                )
                .is_ok()
            }
            Op::AmendSuccessor {
                agreement,
                other,
                day: d,
            } => {
                let Ok(id) = collab_registry::model::AgreementId::new(&a(*other)) else {
                    return false;
                };
                r.amend(
                    &a(*agreement),
                    day(*d),
                    AmendmentKind::Variation,
                    "Successor",
                    |t| {
                        t.set_replaced_by(Some(id));
                    },
                )
                .is_ok()
            }
            Op::AmendPartyName {
                party,
                day: d,
                name,
            } => r
                .amend_party(
                    &p(*party),
                    day(*d),
                    AmendmentKind::Correction,
                    "Name",
                    |t| t.name = name.clone(),
                )
                .is_ok(),
            Op::SetMetric {
                party,
                day: d,
                value,
            } => {
                let Some(year) = FinancialYear::containing(day(*d)) else {
                    return false;
                };
                let metric =
                    Metric::new("population", year, Quantity::from_ten_thousandths(*value));
                r.set_metric(&p(*party), metric, day(*d)).is_ok()
            }
            Op::AddOversight { party, by, day: d } => match party_id(*by) {
                Ok(id) => r
                    .add_oversight(&p(*party), Oversight::new(id, Spell::from_day(day(*d))))
                    .is_ok(),
                Err(_) => false,
            },
            Op::EndOversight { party, by, day: d } => {
                r.end_oversight(&p(*party), &p(*by), day(*d)).is_ok()
            }
            Op::AddSeat {
                body,
                party,
                votes,
                day: d,
            } => match party_id(*party) {
                Ok(id) => r
                    .add_seat(
                        &b(*body),
                        Seat::new(id, SeatRole::Member, *votes, Spell::from_day(day(*d))),
                    )
                    .is_ok(),
                Err(_) => false,
            },
            Op::EndSeat {
                body,
                party,
                day: d,
            } => r.end_seat(&b(*body), &p(*party), day(*d)).is_ok(),
            Op::Govern {
                body,
                agreement,
                day: d,
            } => match collab_registry::model::AgreementId::new(&a(*agreement)) {
                Ok(id) => r
                    .govern(&b(*body), Governs::new(id, Spell::from_day(day(*d))))
                    .is_ok(),
                Err(_) => false,
            },
            Op::StopGoverning {
                body,
                agreement,
                day: d,
            } => r.stop_governing(&b(*body), &a(*agreement), day(*d)).is_ok(),
            Op::ReportTo { body, to, day: d } => match collab_registry::model::BodyId::new(&b(*to))
            {
                Ok(id) => r
                    .report_to(&b(*body), ReportsTo::new(id, Spell::from_day(day(*d))))
                    .is_ok(),
                Err(_) => false,
            },
            Op::StopReporting { body, to, day: d } => {
                r.stop_reporting(&b(*body), &b(*to), day(*d)).is_ok()
            }
            Op::LateEntry {
                agreement,
                party,
                day: d,
                entered,
            } => r
                .leave(
                    &a(*agreement),
                    &p(*party),
                    collab_registry::time::When::on(day(*d)).entered(day(*entered)),
                )
                .is_ok(),
        }
    }
}
