//! Properties of the cost rules over random registries: random members
//! (joining, leaving and rejoining part-way, observers, observers that
//! become members), random formulas (equal, fixed percentages, a metric,
//! usage, entitlements, blends of them nested), each of the four part-year
//! rules, random mid-year rate changes, units bought in advance, agreements
//! starting part-way through a month and ending or terminated part-way
//! through a year.
//!
//! - Shares add up to the budget to the minor unit, each is within one
//!   minor unit of its exact quota, worked out here independently, day by
//!   day or month by month from the rules as written, in exact big-integer
//!   fractions (no rounding, no case left out), and the order members and
//!   records are written in changes nothing.
//! - Loading and sharing agree: a registry that loads can be shared in
//!   every budgeted year unless it lacks usage or units bought (which the
//!   rules do not require) or no member takes part; and taking away a fixed
//!   share, a metric or the days of the first formula makes loading fail
//!   exactly when sharing reads it.
//!
//! Cases: 256 each by default; set `PROPTEST_CASES` for more (say 5000 in
//! release). Run with `--nocapture` to see how many loaded.

use std::cmp::Ordering;
use std::sync::atomic::{AtomicUsize, Ordering as Atomic};

use chrono::{Datelike, Duration, NaiveDate};
use collab_registry::costs::{Apportionment, ShareInput};
use collab_registry::model::{FinancialYear, PartYear};
use collab_registry::{ErrorKind, ProblemCode, Registry};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a day"))
}

/// Offsets count days from 1 April 2021.
fn at(offset: i64) -> NaiveDate {
    day(2021, 4, 1) + Duration::days(offset)
}

const YEARS: [&str; 2] = ["2021/22", "2022/23"];

fn year(i: usize) -> FinancialYear {
    YEARS[i]
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", YEARS[i]))
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

fn config() -> Config {
    Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    }
}

// ---- the generated cases ----

/// How a party's first membership holds its role.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RoleGen {
    Member,
    /// An observer throughout: it never shares.
    Observer,
    /// An observer until this many days after joining, then a member (a
    /// role change recorded as an amendment).
    ObserverFor(i64),
    /// A member until this many days after joining, then an observer: it
    /// shares its earlier days, and loading checks the metrics of those.
    MemberFor(i64),
}

/// One party and its memberships of the agreement.
#[derive(Debug, Clone)]
struct Member {
    /// Days from 1 April 2021 it joins (`None`: on the agreement's start),
    /// and leaves.
    spells: Vec<(Option<i64>, Option<i64>)>,
    role: RoleGen,
    /// Per year: its metric `nre`, its usage, its units bought.
    metric: [Option<u64>; 2],
    usage: [Option<u64>; 2],
    bought: [Option<u64>; 2],
}

/// A formula: fixed shares are (party, ten-thousandths), blend parts
/// (weight in ten-thousandths, formula).
#[derive(Debug, Clone, PartialEq)]
enum F {
    Equal,
    Fixed(Vec<(usize, u64)>),
    Metric,
    Usage,
    Entitlement,
    Blend(Vec<(u64, F)>),
}

#[derive(Debug, Clone)]
struct Case {
    members: Vec<Member>,
    /// The agreement's start, fixed end and termination, in days.
    start: i64,
    end: Option<i64>,
    terminated: Option<i64>,
    rule: usize,
    /// Each formula and the day it takes effect, in order.
    formulas: Vec<(i64, F)>,
    /// Each budgeted year (index into `YEARS`) and its amount in pence.
    budgets: Vec<(usize, i64)>,
}

const RULES: [PartYear; 4] = [
    PartYear::ProRataByDays,
    PartYear::ProRataByMonths,
    PartYear::ProRataByMonthsBegun,
    PartYear::WholeYear,
];

/// Raw weights as ten-thousandths adding up to exactly 100%.
fn hundred(raw: &[u64]) -> Vec<u64> {
    let total: u64 = raw.iter().sum::<u64>().max(1);
    let mut p: Vec<u64> = raw.iter().map(|r| r * 1_000_000 / total).collect();
    let short = 1_000_000 - p.iter().sum::<u64>();
    if let Some(first) = p.first_mut() {
        *first += short;
    }
    p
}

/// A formula over `n` parties; with `complete`, fixed shares name every
/// party, else each is left out now and then.
fn formula(n: usize, complete: bool) -> impl Strategy<Value = F> {
    let fixed = proptest::collection::vec((1u64..1000, 0u8..8), n).prop_map(move |raw| {
        let kept: Vec<(usize, u64)> = raw
            .iter()
            .enumerate()
            .filter(|(i, (_, keep))| complete || *keep > 0 || *i == 0)
            .map(|(i, (r, _))| (i, *r))
            .collect();
        let weights: Vec<u64> = kept.iter().map(|(_, r)| *r).collect();
        F::Fixed(
            kept.iter()
                .zip(hundred(&weights))
                .map(|((i, _), p)| (*i, p))
                .collect(),
        )
    });
    let leaf = prop_oneof![
        Just(F::Equal),
        fixed,
        Just(F::Metric),
        Just(F::Usage),
        Just(F::Entitlement),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        proptest::collection::vec((1u64..100, inner), 2..4).prop_map(|parts| {
            let raw: Vec<u64> = parts.iter().map(|(w, _)| *w).collect();
            F::Blend(
                hundred(&raw)
                    .into_iter()
                    .zip(parts.into_iter().map(|(_, f)| f))
                    .collect(),
            )
        })
    })
}

/// A value that is there, or, unless `complete`, now and then missing.
fn maybe(range: std::ops::Range<u64>, complete: bool) -> impl Strategy<Value = Option<u64>> {
    prop_oneof![9 => range.prop_map(Some), 1 => Just(None)]
        .prop_map(move |v| if complete { v.or(Some(1)) } else { v })
}

fn member(complete: bool) -> impl Strategy<Value = Member> {
    let spell = (
        prop_oneof![2 => Just(None), 1 => (0i64..500).prop_map(Some)],
        prop_oneof![2 => Just(None), 1 => (1i64..400).prop_map(Some)],
        prop_oneof![3 => Just(None), 1 => (0i64..40, prop_oneof![Just(None), (1i64..300).prop_map(Some)]).prop_map(Some)],
    );
    let role = prop_oneof![6 => Just(RoleGen::Member), 1 => Just(RoleGen::Observer), 1 => (1i64..300).prop_map(RoleGen::ObserverFor), 1 => (1i64..300).prop_map(RoleGen::MemberFor)];
    let data = (
        [maybe(1..5_000_000, complete), maybe(1..5_000_000, complete)],
        [maybe(1..100_000, complete), maybe(1..100_000, complete)],
        [maybe(1..10_000, complete), maybe(1..10_000, complete)],
    );
    (spell, role, data).prop_map(|((joined, length, again), role, (metric, usage, bought))| {
        let left = length.map(|l| joined.unwrap_or(0) + l);
        let mut spells = vec![(joined, left)];
        if let (Some(left), Some((gap, length))) = (left, again) {
            let back = left + gap;
            spells.push((Some(back), length.map(|l| back + l)));
        }
        Member {
            spells,
            role,
            metric,
            usage,
            bought,
        }
    })
}

fn case(complete: bool) -> impl Strategy<Value = Case> {
    (2usize..=6).prop_flat_map(move |n| {
        let start = prop_oneof![3 => Just(-365i64), 1 => 0i64..120];
        let changes = proptest::collection::vec((1i64..700, formula(n, complete)), 0..3);
        (
            proptest::collection::vec(member(complete), n),
            start,
            prop_oneof![4 => Just(None), 1 => (200i64..700).prop_map(Some)],
            prop_oneof![5 => Just(None), 1 => (150i64..700).prop_map(Some)],
            0usize..4,
            (
                formula(n, complete),
                prop_oneof![5 => Just(0i64), 1 => 1i64..60]
                    .prop_map(move |late| if complete { 0 } else { late }),
            ),
            changes,
            0i64..1_000_000_000_000,
            prop_oneof![Just(None), (0i64..1_000_000_000).prop_map(Some)],
        )
            .prop_map(
                |(members, start, end, terminated, rule, (first, late), changes, budget, next)| {
                    let mut formulas = vec![(start + late, first)];
                    let mut changes: Vec<(i64, F)> = changes
                        .into_iter()
                        .map(|(d, f)| (start + late + d, f))
                        .collect();
                    changes.sort_by_key(|c| c.0);
                    changes.dedup_by_key(|c| c.0);
                    formulas.extend(changes);
                    let mut budgets = vec![(0, budget)];
                    budgets.extend(next.map(|b| (1, b)));
                    let mut case = Case {
                        members,
                        start,
                        end,
                        terminated,
                        rule,
                        formulas,
                        budgets,
                    };
                    tidy(&mut case);
                    case
                },
            )
    })
}

/// Keeps a case within the rules that have nothing to do with costs:
/// members join on or after the start and before a fixed end or a
/// termination, and a role changes while the membership lasts.
fn tidy(case: &mut Case) {
    let last = [case.end, case.terminated]
        .into_iter()
        .flatten()
        .min()
        .map(|e| e - 1);
    for m in &mut case.members {
        for spell in &mut m.spells {
            if let Some(j) = spell.0 {
                let j = j.max(case.start);
                spell.0 = Some(last.map_or(j, |l| j.min(l)));
            }
            let joined = spell.0.unwrap_or(case.start);
            if let Some(l) = spell.1 {
                spell.1 = Some(l.max(joined + 1));
            }
        }
        // A second spell starts on or after the first ends, and before the end.
        if let [(_, Some(left)), second] = m.spells.as_mut_slice() {
            let back = second.0.unwrap_or(*left).max(*left);
            if last.is_some_and(|l| back > l) {
                m.spells.truncate(1);
            } else {
                second.0 = Some(back);
                if let Some(l) = second.1 {
                    second.1 = Some(l.max(back + 1));
                }
            }
        }
        if let RoleGen::ObserverFor(k) | RoleGen::MemberFor(k) = m.role {
            let (joined, left) = m.spells[0];
            let joined = joined.unwrap_or(case.start);
            if left.is_some_and(|l| joined + k >= l) {
                m.role = RoleGen::Member;
            }
        }
    }
}

// ---- the registry document ----

fn id(n: usize) -> String {
    // Ids whose byte order differs from generation order.
    format!("force-{}", (n * 7) % 10)
}

fn percent(tt: u64) -> String {
    format!("{}.{:04}", tt / 10_000, tt % 10_000)
}

fn formula_json(f: &F, order: &[usize]) -> Value {
    match f {
        F::Equal => json!({"kind": "equal"}),
        F::Metric => json!({"kind": "metric", "metric": "nre"}),
        F::Usage => json!({"kind": "usage"}),
        F::Entitlement => json!({"kind": "entitlement"}),
        F::Fixed(shares) => {
            let mut listed: Vec<&(usize, u64)> = shares.iter().collect();
            listed.sort_by_key(|(p, _)| order.iter().position(|o| o == p));
            let shares: Vec<Value> = listed
                .into_iter()
                .map(|(p, tt)| json!({"party": id(*p), "percent": percent(*tt)}))
                .collect();
            json!({"kind": "fixed_percentages", "shares": shares})
        }
        F::Blend(parts) => {
            let parts: Vec<Value> = parts
                .iter()
                .map(|(w, f)| json!({"weight": percent(*w), "formula": formula_json(f, order)}))
                .collect();
            json!({"kind": "blend", "parts": parts})
        }
    }
}

fn amount(pence: i64) -> String {
    format!("{}.{:02}", pence / 100, pence % 100)
}

/// The document of `case`, its parties, members and lists written in
/// `order` (a permutation of the parties).
fn document(case: &Case, order: &[usize]) -> Value {
    let start = at(case.start);
    let mut parties = Vec::new();
    let mut members = Vec::new();
    let mut amendments = Vec::new();
    let mut usage = Vec::new();
    let mut purchases = Vec::new();
    for &i in order {
        let m = &case.members[i];
        let metrics: Vec<Value> = (0..2)
            .rev()
            .filter_map(|y| {
                let v = m.metric[y]?;
                Some(json!({"metric": "nre", "year": YEARS[y], "value": v.to_string()}))
            })
            .collect();
        parties
            .push(json!({"id": id(i), "name": id(i), "kind": "police_force", "metrics": metrics}));
        for (k, (joined, left)) in m.spells.iter().enumerate().rev() {
            let joined = joined.map_or(start, at);
            // The record holds the role the last amendment left.
            let role = if k == 0 && matches!(m.role, RoleGen::Observer | RoleGen::MemberFor(_)) {
                "observer"
            } else {
                "member"
            };
            let mut entry = json!({"party": id(i), "role": role, "joined": joined.to_string()});
            if let Some(l) = left {
                entry["left"] = json!(at(*l).to_string());
            }
            members.push(entry);
            if let (0, RoleGen::ObserverFor(days)) = (k, m.role) {
                amendments.push(json!({
                    "date": (joined + Duration::days(days)).to_string(),
                    "kind": "variation",
                    "summary": "becomes a member",
                    "changes": [{"field": format!("members[{}@{joined}].role", id(i)), "before": "observer", "after": "member"}],
                }));
            }
            if let (0, RoleGen::MemberFor(days)) = (k, m.role) {
                amendments.push(json!({
                    "date": (joined + Duration::days(days)).to_string(),
                    "kind": "variation",
                    "summary": "becomes an observer",
                    "changes": [{"field": format!("members[{}@{joined}].role", id(i)), "before": "member", "after": "observer"}],
                }));
            }
        }
        for y in (0..2).rev() {
            if let Some(u) = m.usage[y] {
                usage.push(json!({"year": YEARS[y], "party": id(i), "units": u.to_string()}));
            }
        }
    }
    // Purchases must be in order of year then party (the rules refuse
    // others; see the report): written sorted whatever the order.
    let mut bought: Vec<(usize, String, u64)> = Vec::new();
    for (i, m) in case.members.iter().enumerate() {
        for y in 0..2 {
            if let Some(b) = m.bought[y] {
                bought.push((y, id(i), b));
            }
        }
    }
    bought.sort();
    for (y, p, b) in bought {
        purchases.push(json!({"year": YEARS[y], "party": p, "units": b.to_string()}));
    }
    amendments.sort_by_key(|a| a["date"].as_str().map(str::to_string));
    let formulas: Vec<Value> = case
        .formulas
        .iter()
        .map(|(from, f)| json!({"from": at(*from).to_string(), "formula": formula_json(f, order)}))
        .collect();
    let budgets: Vec<Value> = case
        .budgets
        .iter()
        .map(|(y, b)| json!({"year": YEARS[*y], "amount": amount(*b)}))
        .collect();
    let mut status = vec![json!({"status": "proposed", "from": start.to_string()})];
    if let Some(t) = case.terminated {
        status.push(json!({"status": "terminated", "from": at(t).to_string()}));
    }
    let mut agreement = json!({
        "id": "shared",
        "title": "Generated",
        "legal_basis": "contract",
        "start": start.to_string(),
        "status": status,
        "members": members,
        "costs": {
            "budgets": budgets,
            "formulas": formulas,
            "part_year": RULES[case.rule].as_str(),
            "usage": usage,
            "purchases": purchases,
        },
        "amendments": amendments,
    });
    if let Some(e) = case.end {
        agreement["end"] = json!(at(e).to_string());
    }
    json!({"schema_version": 2, "currency": "GBP", "parties": parties, "agreements": [agreement]})
}

fn load(doc: &Value) -> Result<Registry, collab_registry::Error> {
    Registry::from_json_str(&doc.to_string())
}

fn identity(case: &Case) -> Vec<usize> {
    (0..case.members.len()).collect()
}

/// A permutation of the parties from `seed` (Fisher-Yates, small LCG).
fn shuffled(case: &Case, seed: u64) -> Vec<usize> {
    let mut order = identity(case);
    let mut state = seed;
    for i in (1..order.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((state >> 33) % (i as u64 + 1)).unwrap_or(0);
        order.swap(i, j);
    }
    order
}

// ---- exact arithmetic: unsigned big integers and fractions ----

/// An unsigned integer of any size, 32-bit digits, least significant first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "the oracle's big integers keep 32-bit digits, each shifted down first"
    )]
    fn from(mut x: u128) -> Big {
        let mut d = Vec::new();
        while x > 0 {
            d.push(x as u32);
            x >>= 32;
        }
        Big(d)
    }

    fn trim(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    #[allow(
        clippy::cast_possible_truncation,
        reason = "the oracle's big integers keep 32-bit digits, each shifted down first"
    )]
    fn add(&self, o: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len().max(o.0.len()) + 1);
        let mut carry = 0u64;
        for i in 0..self.0.len().max(o.0.len()) {
            let t = u64::from(*self.0.get(i).unwrap_or(&0))
                + u64::from(*o.0.get(i).unwrap_or(&0))
                + carry;
            out.push(t as u32);
            carry = t >> 32;
        }
        out.push(carry as u32);
        Big(out).trim()
    }

    /// `self - o`, for `self >= o`.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "the oracle's big integers keep 32-bit digits; a borrow leaves the digit in range"
    )]
    fn sub(&self, o: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let mut t = i64::from(self.0[i]) - i64::from(*o.0.get(i).unwrap_or(&0)) - borrow;
            borrow = 0;
            if t < 0 {
                t += 1 << 32;
                borrow = 1;
            }
            out.push(t as u32);
        }
        Big(out).trim()
    }

    #[allow(
        clippy::cast_possible_truncation,
        reason = "the oracle's big integers keep 32-bit digits, each below 2^32"
    )]
    fn mul(&self, o: &Big) -> Big {
        let mut out = vec![0u64; self.0.len() + o.0.len() + 1];
        for (i, a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, b) in o.0.iter().enumerate() {
                let t = out[i + j] + u64::from(*a) * u64::from(*b) + carry;
                out[i + j] = t & 0xffff_ffff;
                carry = t >> 32;
            }
            let mut k = i + o.0.len();
            while carry > 0 {
                let t = out[k] + carry;
                out[k] = t & 0xffff_ffff;
                carry = t >> 32;
                k += 1;
            }
        }
        Big(out.into_iter().map(|d| d as u32).collect()).trim()
    }

    fn cmp(&self, o: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }
}

/// A fraction `n / d`, never reduced (nothing can overflow).
#[derive(Debug, Clone)]
struct Frac(Big, Big);

impl Frac {
    fn new(n: u128, d: u128) -> Frac {
        Frac(Big::from(n), Big::from(d))
    }

    fn zero() -> Frac {
        Frac::new(0, 1)
    }

    fn add(&self, o: &Frac) -> Frac {
        Frac(self.0.mul(&o.1).add(&o.0.mul(&self.1)), self.1.mul(&o.1))
    }

    fn mul(&self, o: &Frac) -> Frac {
        Frac(self.0.mul(&o.0), self.1.mul(&o.1))
    }

    /// Whether `amount` lies strictly within one of `budget × self`:
    /// `|amount × d − budget × n| < d`.
    fn within_one(&self, budget: i64, amount: i64) -> bool {
        let a = Big::from(u128::try_from(amount).unwrap_or(0)).mul(&self.1);
        let b = Big::from(u128::try_from(budget).unwrap_or(0)).mul(&self.0);
        let gap = if a.cmp(&b) == Ordering::Less {
            b.sub(&a)
        } else {
            a.sub(&b)
        };
        gap.cmp(&self.1) == Ordering::Less
    }
}

// ---- the oracle: the rules as written, unit by unit ----

/// The agreement's days of year `y`, if any.
fn span(case: &Case, y: usize) -> Option<(NaiveDate, NaiveDate)> {
    let fy = year(y);
    let start = at(case.start).max(fy.first_day());
    let end = [case.end, case.terminated]
        .into_iter()
        .flatten()
        .map(at)
        .chain([fy.end()])
        .min()
        .unwrap_or(fy.end());
    (start < end).then_some((start, end))
}

/// Whether member `m` takes part on day `d`.
fn takes_part(case: &Case, m: &Member, d: NaiveDate) -> bool {
    m.spells.iter().enumerate().any(|(k, (joined, left))| {
        let joined = joined.map_or(at(case.start), at);
        let inside = joined <= d && left.is_none_or(|l| d < at(l));
        let role = match (k, m.role) {
            (0, RoleGen::Observer) => false,
            (0, RoleGen::ObserverFor(days)) => d >= joined + Duration::days(days),
            (0, RoleGen::MemberFor(days)) => d < joined + Duration::days(days),
            _ => true,
        };
        inside && role
    })
}

fn days(from: NaiveDate, until: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    (0..(until - from).num_days()).map(move |i| from + Duration::days(i))
}

/// A unit of the year: the day its formula is read on, and its days.
struct Unit {
    read: NaiveDate,
    from: NaiveDate,
    until: NaiveDate,
    /// Whether it is a whole calendar month within the span.
    whole: bool,
}

fn units(case: &Case, y: usize, span: (NaiveDate, NaiveDate)) -> Vec<Unit> {
    if RULES[case.rule].counts_months() {
        let first = year(y).first_day();
        (0..12)
            .filter_map(|i| {
                let m0 = first + chrono::Months::new(i);
                let m1 = first + chrono::Months::new(i + 1);
                let from = m0.max(span.0);
                let until = m1.min(span.1);
                (from < until).then_some(Unit {
                    read: from,
                    from,
                    until,
                    whole: from == m0 && until == m1,
                })
            })
            .collect()
    } else {
        days(span.0, span.1)
            .map(|d| Unit {
                read: d,
                from: d,
                until: d + Duration::days(1),
                whole: true,
            })
            .collect()
    }
}

/// Whether member `m` counts unit `u` under the case's rule.
fn counts(case: &Case, m: &Member, u: &Unit, span: (NaiveDate, NaiveDate)) -> bool {
    match RULES[case.rule] {
        PartYear::ProRataByMonths => {
            u.whole && days(u.from, u.until).all(|d| takes_part(case, m, d))
        }
        PartYear::WholeYear => days(span.0, span.1).any(|d| takes_part(case, m, d)),
        _ => days(u.from, u.until).any(|d| takes_part(case, m, d)),
    }
}

/// The formula in force on `d`.
fn formula_on(case: &Case, d: NaiveDate) -> Option<&F> {
    case.formulas
        .iter()
        .rev()
        .find(|(from, _)| at(*from) <= d)
        .map(|(_, f)| f)
}

/// Each member's fraction of a stretch under `f`, given its units `u` in
/// it; `None` when the weights add up to zero.
fn fractions(case: &Case, y: usize, f: &F, u: &[u128]) -> Option<Vec<Frac>> {
    let ms = &case.members;
    let weights: Vec<u128> = match f {
        F::Blend(parts) => {
            let mut out = vec![Frac::zero(); ms.len()];
            for (w, part) in parts {
                let share = Frac::new(u128::from(*w), 1_000_000);
                for (o, x) in out.iter_mut().zip(fractions(case, y, part, u)?) {
                    *o = o.add(&share.mul(&x));
                }
            }
            return Some(out);
        }
        F::Equal => u.to_vec(),
        F::Fixed(shares) => (0..ms.len())
            .map(|i| {
                let p = shares.iter().find(|s| s.0 == i).map_or(0, |s| s.1);
                u128::from(p) * u[i]
            })
            .collect(),
        F::Metric => ms
            .iter()
            .zip(u)
            .map(|(m, u)| u128::from(m.metric[y].unwrap_or(0)) * u)
            .collect(),
        F::Usage => ms
            .iter()
            .zip(u)
            .map(|(m, u)| {
                if *u > 0 {
                    u128::from(m.usage[y].unwrap_or(0))
                } else {
                    0
                }
            })
            .collect(),
        F::Entitlement => ms
            .iter()
            .zip(u)
            .map(|(m, u)| u128::from(m.bought[y].unwrap_or(0)) * u)
            .collect(),
    };
    let total: u128 = weights.iter().sum();
    (total > 0).then(|| weights.into_iter().map(|w| Frac::new(w, total)).collect())
}

/// Each member's exact fraction of year `y`'s budget; `Some(None)` when no
/// unit of the year is paying.
#[allow(
    clippy::option_option,
    reason = "None: the year is not shared; Some(None): the oracle expects a refusal"
)]
fn exact(case: &Case, y: usize) -> Option<Option<Vec<Frac>>> {
    let Some(span) = span(case, y) else {
        return Some(None);
    };
    let ms = &case.members;
    // Consecutive paying units under one formula are a stretch.
    let mut stretches: Vec<(&F, Vec<u128>, u128)> = Vec::new();
    for u in units(case, y, span) {
        let counted: Vec<u128> = ms
            .iter()
            .map(|m| u128::from(counts(case, m, &u, span)))
            .collect();
        if counted.iter().all(|c| *c == 0) {
            continue;
        }
        let f = formula_on(case, u.read)?;
        match stretches.last_mut() {
            Some((g, units, n)) if *g == f => {
                for (a, b) in units.iter_mut().zip(&counted) {
                    *a += b;
                }
                *n += 1;
            }
            _ => stretches.push((f, counted, 1)),
        }
    }
    let total: u128 = stretches.iter().map(|s| s.2).sum();
    if total == 0 {
        return Some(None);
    }
    let mut out = vec![Frac::zero(); ms.len()];
    for (f, units, n) in &stretches {
        let part = Frac::new(*n, total);
        for (o, x) in out.iter_mut().zip(fractions(case, y, f, units)?) {
            *o = o.add(&part.mul(&x));
        }
    }
    Some(Some(out))
}

/// Each member's pennies, quotas and the stretches, to compare answers.
fn summary(a: &Apportionment<'_>) -> Vec<String> {
    let mut out: Vec<String> = a
        .shares
        .iter()
        .map(|s| format!("{} {} {}", s.party.id, s.amount, s.quota))
        .collect();
    out.extend(
        a.stretches
            .iter()
            .map(|s| format!("{}..{} {} {}", s.from, s.to, s.formula_from, s.units)),
    );
    out
}

// ---- the properties ----

#[test]
#[allow(
    clippy::similar_names,
    reason = "share and shares: one member's and all of them"
)]
fn shares_are_exact_to_the_penny_within_a_penny_of_the_quota_and_order_free() {
    let shared = AtomicUsize::new(0);
    let nothing = AtomicUsize::new(0);
    let long = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config());
    let result = runner.run(&(case(true), any::<u64>()), |(case, seed)| {
        let registry = load(&document(&case, &identity(&case)))
            .map_err(|e| TestCaseError::fail(format!("a complete case loads: {e}")))?;
        let other = load(&document(&case, &shuffled(&case, seed)))
            .map_err(|e| TestCaseError::fail(format!("in any order: {e}")))?;
        for &(y, budget) in &case.budgets {
            let answer = registry.apportion("shared", year(y));
            let again = other.apportion("shared", year(y));
            prop_assert_eq!(
                answer
                    .as_ref()
                    .map(summary)
                    .map_err(std::string::ToString::to_string),
                again
                    .as_ref()
                    .map(summary)
                    .map_err(std::string::ToString::to_string),
                "the order written changes the answer"
            );
            let Some(fractions) =
                exact(&case, y).ok_or_else(|| TestCaseError::fail("a formula is in force"))?
            else {
                nothing.fetch_add(1, Atomic::Relaxed);
                if budget > 0 {
                    prop_assert_eq!(
                        answer.err().map(|e| e.kind()),
                        Some(ErrorKind::MissingCostInput)
                    );
                }
                continue;
            };
            let shares = answer.map_err(|e| TestCaseError::fail(e.to_string()))?;
            shared.fetch_add(1, Atomic::Relaxed);
            let total: i64 = shares.shares.iter().map(|s| s.amount.minor_units()).sum();
            prop_assert_eq!(total, budget);
            for (i, frac) in fractions.iter().enumerate() {
                let pence = shares.amount_of(&id(i)).minor_units();
                prop_assert!(
                    frac.within_one(budget, pence),
                    "{} got {} of {} in {}",
                    id(i),
                    pence,
                    budget,
                    YEARS[y]
                );
            }
            for s in &shares.shares {
                prop_assert!(s.quota.is_within_one_unit(s.amount.minor_units()));
            }
            // Quotas whose terms outgrew 128 bits, worked in long integers.
            if shares.shares.iter().any(|s| s.quota.reduced().is_none()) {
                long.fetch_add(1, Atomic::Relaxed);
            }
        }
        Ok(())
    });
    eprintln!(
        "exactness: {} cases, {} years shared ({} with quotas beyond 128 bits), {} years with no paying unit",
        cases(),
        shared.load(Atomic::Relaxed),
        long.load(Atomic::Relaxed),
        nothing.load(Atomic::Relaxed)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Whether a refusal to share is one the rules on load leave open: usage
/// or units bought not recorded, or no member taking part in the year.
fn is_open_to_load(e: &collab_registry::Error) -> bool {
    let text = e.to_string();
    e.kind() == ErrorKind::MissingCostInput
        && [
            "has no usage recorded",
            "bought none",
            "no member takes part",
        ]
        .iter()
        .any(|why| text.contains(why))
}

#[test]
fn a_registry_that_loads_can_be_shared_in_every_budgeted_year() {
    let loaded = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let open = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config());
    let result = runner.run(&case(false), |case| {
        let Ok(registry) = load(&document(&case, &identity(&case))) else {
            refused.fetch_add(1, Atomic::Relaxed);
            return Ok(());
        };
        loaded.fetch_add(1, Atomic::Relaxed);
        for &(y, _) in &case.budgets {
            if let Err(e) = registry.apportion("shared", year(y)) {
                prop_assert!(
                    is_open_to_load(&e),
                    "{} loads but {} cannot be shared: {}",
                    "shared",
                    YEARS[y],
                    e
                );
                open.fetch_add(1, Atomic::Relaxed);
            }
        }
        Ok(())
    });
    let (l, r, o) = (
        loaded.load(Atomic::Relaxed),
        refused.load(Atomic::Relaxed),
        open.load(Atomic::Relaxed),
    );
    eprintln!(
        "loading: {l} loaded, {r} refused, {o} years refused for usage, units bought or no member"
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        l * 5 >= l + r,
        "too few cases load to matter: {l} of {}",
        l + r
    );
}

/// What sharing a complete case read: (party index, formula day) for each
/// fixed share, (party index, year) for each metric, and the first day read.
#[derive(Debug, Default)]
struct Reads {
    shares: Vec<(usize, NaiveDate)>,
    metrics: Vec<(usize, usize)>,
    first: Option<NaiveDate>,
}

fn reads(case: &Case, registry: &Registry) -> Result<Reads, TestCaseError> {
    let mut out = Reads::default();
    for &(y, _) in &case.budgets {
        let shares = match registry.apportion("shared", year(y)) {
            Ok(s) => s,
            Err(e) if is_open_to_load(&e) => continue,
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        if let Some(s) = shares.stretches.first() {
            out.first = Some(out.first.map_or(s.from, |f: NaiveDate| f.min(s.from)));
        }
        for s in &shares.shares {
            let i = (0..case.members.len())
                .find(|i| id(*i) == s.party.id.as_str())
                .ok_or_else(|| TestCaseError::fail("a generated party"))?;
            for (k, part) in s.stretches.iter().enumerate() {
                let from = shares.stretches[k].formula_from;
                for input in &part.inputs {
                    match input {
                        ShareInput::Percent { .. } => out.shares.push((i, from)),
                        ShareInput::Metric { .. } => out.metrics.push((i, y)),
                        _ => {}
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The fixed-percentages nodes of `f`, as paths of part indexes.
fn fixed_nodes(f: &F, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    match f {
        F::Fixed(_) => out.push(path.clone()),
        F::Blend(parts) => {
            for (k, (_, p)) in parts.iter().enumerate() {
                path.push(k);
                fixed_nodes(p, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn node<'f>(f: &'f mut F, path: &[usize]) -> Option<&'f mut Vec<(usize, u64)>> {
    match (f, path.split_first()) {
        (F::Fixed(shares), None) => Some(shares),
        (F::Blend(parts), Some((k, rest))) => node(&mut parts.get_mut(*k)?.1, rest),
        _ => None,
    }
}

/// Whether loading refuses `case` with a problem of `code`; a case that
/// loads must also be shared.
fn refused_with(case: &Case, code: ProblemCode) -> Result<bool, TestCaseError> {
    match load(&document(case, &identity(case))) {
        Ok(registry) => {
            for &(y, _) in &case.budgets {
                if let Err(e) = registry.apportion("shared", year(y)) {
                    prop_assert!(is_open_to_load(&e), "loads but cannot be shared: {}", e);
                }
            }
            Ok(false)
        }
        Err(e) => {
            prop_assert!(
                e.problems().iter().all(|p| p.code() == code),
                "refused for something else: {}",
                e
            );
            Ok(true)
        }
    }
}

#[test]
#[allow(
    clippy::many_single_char_names,
    reason = "the oracle's algebra: n members, weights w, units u, totals t, quota q"
)]
fn loading_requires_exactly_the_shares_metrics_and_days_sharing_reads() {
    let tried = [
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    ];
    let needed = [
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    ];
    let mut runner = TestRunner::new(config());
    let strategy = (case(true), any::<u64>(), any::<u64>(), 1i64..800);
    let result = runner.run(&strategy, |(case, pick, other, later)| {
        let registry = load(&document(&case, &identity(&case)))
            .map_err(|e| TestCaseError::fail(format!("a complete case loads: {e}")))?;
        let read = reads(&case, &registry)?;
        let n = case.members.len();
        let pick = usize::try_from(pick % 1_000_000).unwrap_or(0);

        // A fixed share moved from one party to another.
        let mut nodes = Vec::new();
        for (k, (_, f)) in case.formulas.iter().enumerate() {
            let mut found = Vec::new();
            fixed_nodes(f, &mut Vec::new(), &mut found);
            nodes.extend(found.into_iter().map(|p| (k, p)));
        }
        if let Some((k, path)) = nodes.get(pick % nodes.len().max(1)).cloned() {
            let mut changed = case.clone();
            let from = at(changed.formulas[k].0);
            let unique = case
                .formulas
                .iter()
                .filter(|(_, f)| *f == case.formulas[k].1)
                .count()
                == 1;
            let shares = node(&mut changed.formulas[k].1, &path)
                .ok_or_else(|| TestCaseError::fail("a node"))?;
            let x = shares[pick % shares.len()].0;
            let y = (x + 1 + usize::try_from(other % 1000).unwrap_or(0) % (n - 1)) % n;
            let p = shares.iter().find(|s| s.0 == x).map_or(0, |s| s.1);
            shares.retain(|s| s.0 != x);
            match shares.iter_mut().find(|s| s.0 == y) {
                Some(s) => s.1 += p,
                None => shares.push((y, p)),
            }
            // Equal formulas share stretches; moving a share in one of two
            // would change which days it reads, so only unique ones.
            if unique {
                tried[0].fetch_add(1, Atomic::Relaxed);
                let expected = read.shares.contains(&(x, from));
                needed[0].fetch_add(usize::from(expected), Atomic::Relaxed);
                prop_assert_eq!(
                    refused_with(&changed, ProblemCode::MissingShare)?,
                    expected,
                    "share of {} in the formula from {}",
                    id(x),
                    from
                );
            }
        }

        // A metric taken away.
        let (x, y) = (pick % n, pick / n % 2);
        let mut changed = case.clone();
        changed.members[x].metric[y] = None;
        tried[1].fetch_add(1, Atomic::Relaxed);
        let expected = read.metrics.contains(&(x, y)) && case.budgets.iter().any(|b| b.0 == y);
        needed[1].fetch_add(usize::from(expected), Atomic::Relaxed);
        prop_assert_eq!(
            refused_with(&changed, ProblemCode::MissingMetric)?,
            expected,
            "metric of {} for {}",
            id(x),
            YEARS[y]
        );

        // The first formula taking effect later, before the next.
        let mut changed = case.clone();
        let first = changed.formulas[0].0;
        let limit = changed.formulas.get(1).map_or(first + 800, |f| f.0);
        let moved = (first + later).min(limit - 1);
        if moved > first {
            changed.formulas[0].0 = moved;
            tried[2].fetch_add(1, Atomic::Relaxed);
            let expected = read.first.is_some_and(|d| d < at(moved));
            needed[2].fetch_add(usize::from(expected), Atomic::Relaxed);
            prop_assert_eq!(
                refused_with(&changed, ProblemCode::MissingShare)?,
                expected,
                "first formula from {}",
                at(moved)
            );
        }
        Ok(())
    });
    let count = |a: &[AtomicUsize; 3]| {
        a.iter()
            .map(|x| x.load(Atomic::Relaxed))
            .collect::<Vec<_>>()
    };
    eprintln!(
        "load against sharing: tried (share, metric, first day) {:?}, of which read {:?}",
        count(&tried),
        count(&needed)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn the_oracle_knows_the_calendar() {
    // 2021/22 has 365 days and twelve months, April first.
    let case = Case {
        members: Vec::new(),
        start: -365,
        end: None,
        terminated: None,
        rule: 2,
        formulas: Vec::new(),
        budgets: Vec::new(),
    };
    let span = span(&case, 0).unwrap_or_else(|| panic!("2021/22 runs"));
    let months = units(&case, 0, span);
    assert_eq!(months.len(), 12);
    assert_eq!(months[6].read, day(2021, 10, 1));
    assert_eq!(months[11].until.month(), 4);
    assert!(Frac::new(1, 3).within_one(100, 33) && !Frac::new(1, 3).within_one(100, 35));
}
