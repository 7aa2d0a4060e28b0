//! Cost-sharing benchmarks on generated registries: apportioning one
//! agreement's budget among 2, 5, 50 and 1,000 members, and a party's
//! contributions across its agreements.
//!
//! The registries are built by a seeded generator, so every run measures the
//! same data.

// criterion's macros generate undocumented public functions, and a bench
// whose generated data is refused has nothing to measure: it stops.
#![allow(missing_docs, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use collab_registry::{FinancialYear, Registry};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

/// A small linear congruential generator: deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

fn party(i: usize, rng: &mut Lcg) -> Value {
    json!({
        "id": format!("force-{i:05}"),
        "name": format!("Force {i}"),
        "kind": "police_force",
        "metrics": [{"metric": "nre", "year": "2021/22", "value": (50_000_000 + rng.next(400_000_000)).to_string()}],
    })
}

/// An agreement of the given members sharing a budget 50% equally and 50% by
/// net revenue expenditure, some members joining or leaving during 2021/22.
fn agreement(id: &str, members: &[usize], rng: &mut Lcg) -> Value {
    let entries: Vec<Value> = members
        .iter()
        .map(|&m| {
            let mut e =
                json!({"party": format!("force-{m:05}"), "role": "member", "joined": "2020-04-01"});
            if rng.next(10) == 0 {
                e["left"] = json!("2021-09-30");
            }
            e
        })
        .collect();
    json!({
        "id": id,
        "title": id,
        "legal_basis": "section_22a_police_act_1996",
        "functions": ["major_crime", "ict"],
        "start": "2020-04-01",
        "status": [{"status": "proposed", "from": "2020-04-01"}],
        "members": entries,
        "costs": {
            "budgets": [{"year": "2021/22", "amount": format!("{}.{:02}", 1_000_000 + rng.next(90_000_000), rng.next(100))}],
            "formulas": [{"from": "2020-04-01", "formula": {"kind": "blend", "parts": [
                {"weight": "50", "formula": {"kind": "equal"}},
                {"weight": "50", "formula": {"kind": "metric", "metric": "nre"}},
            ]}}],
        },
    })
}

fn registry(parties: usize, agreements: Vec<Value>, rng: &mut Lcg) -> Registry {
    let doc = json!({
        "schema_version": 1,
        "currency": "GBP",
        "parties": (0..parties).map(|i| party(i, rng)).collect::<Vec<_>>(),
        "agreements": agreements,
    });
    match Registry::from_json_str(&doc.to_string()) {
        Ok(r) => r,
        Err(e) => panic!("generated registry is invalid: {e}"),
    }
}

fn year() -> FinancialYear {
    match "2021/22".parse() {
        Ok(y) => y,
        Err(e) => panic!("{e}"),
    }
}

fn apportion(c: &mut Criterion) {
    let mut group = c.benchmark_group("apportion");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    for size in [2usize, 5, 50, 1_000] {
        let mut rng = Lcg(size as u64);
        let members: Vec<usize> = (0..size).collect();
        let a = agreement("shared", &members, &mut rng);
        let registry = registry(size, vec![a], &mut rng);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &registry, |b, r| {
            b.iter(|| r.apportion(black_box("shared"), year()))
        });
    }
    group.finish();
}

fn contributions(c: &mut Criterion) {
    // 200 parties and 400 agreements of 2 to 50 members; force-00000 is in
    // every tenth agreement (40) besides those it is drawn into.
    let mut rng = Lcg(42);
    let parties = 200;
    let agreements: Vec<Value> = (0..400)
        .map(|i| {
            let size = 2 + rng.next(49) as usize;
            let mut members: Vec<usize> = Vec::with_capacity(size);
            if i % 10 == 0 {
                members.push(0);
            }
            while members.len() < size {
                let m = 1 + rng.next(parties as u64 - 1) as usize;
                if !members.contains(&m) {
                    members.push(m);
                }
            }
            agreement(&format!("agreement-{i:04}"), &members, &mut rng)
        })
        .collect();
    let registry = registry(parties, agreements, &mut rng);
    let mut group = c.benchmark_group("contributions");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    let count = registry
        .contributions("force-00000", year())
        .map(|c| c.by_agreement.len())
        .unwrap_or(0);
    group.throughput(Throughput::Elements(count as u64));
    group.bench_function(BenchmarkId::new("party_in_agreements", count), |b| {
        b.iter(|| registry.contributions(black_box("force-00000"), year()))
    });
    group.finish();
}

criterion_group!(benches, apportion, contributions);
criterion_main!(benches);
