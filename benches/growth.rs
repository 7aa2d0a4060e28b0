//! How the cost of loading and of changing one big agreement grows: loading
//! one agreement of 4,000 and of 8,000 members, and 500 and 1,000 changes
//! (joins, notices, departures and reviews) to one agreement of 2,000
//! members, and 1,000 to one of 4,000. Loading should grow linearly with
//! the members; changes linearly with their number and not at all with the
//! agreement's size.
//!
//! ```text
//! cargo bench --bench growth
//! ```

// `criterion_group!` makes a public function it gives no doc comment.
#![allow(missing_docs)]

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use collab_registry::Registry;
use collab_registry::model::{Membership, PartyId, Review, Role};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 4, 1).unwrap_or_default()
}

fn party(i: usize) -> String {
    format!("party-{i:05}")
}

/// A registry of `parties` parties and one agreement of `members` of them
/// (the rest free to join), as JSON.
fn registry_json(parties: usize, members: usize) -> String {
    let parties: Vec<Value> = (0..parties)
        .map(|i| json!({"id": party(i), "name": format!("Party {i}"), "kind": "police_force"}))
        .collect();
    let members: Vec<Value> = (0..members)
        .map(|i| json!({"party": party(i), "role": if i == 0 { "lead" } else { "member" }, "joined": "2015-04-01"}))
        .collect();
    json!({
        "schema_version": 2,
        "currency": "GBP",
        "parties": parties,
        "agreements": [{
            "id": "national", "title": "A national agreement", "legal_basis": "section_22a_police_act_1996",
            "start": "2015-04-01", "status": [{"status": "active", "from": "2015-04-01"}],
            "members": members,
            "review": {"cadence_months": 12},
            "leaving": {"notice_months": 6},
            "costs": {"budgets": [{"year": "2021/22", "amount": "1000000.00"}],
                      "formulas": [{"from": "2015-04-01", "formula": {"kind": "equal"}}]}
        }]
    })
    .to_string()
}

/// `n` changes to the agreement: a quarter each joins (of parties not yet
/// members), notices, departures and reviews, on days moving forward.
fn changes(registry: &mut Registry, members: usize, n: usize) {
    let day = |k: usize| start() + Days::new(400 + k as u64);
    for k in 0..n {
        let result = match k % 4 {
            0 => PartyId::new(&party(members + k / 4))
                .map_err(collab_registry::Error::from)
                .and_then(|p| registry.join("national", Membership::new(p, Role::Member, day(k)))),
            1 => registry
                .serve_notice("national", &party(1 + k / 4), day(k))
                .map(|_| ()),
            2 => registry.leave("national", &party(members / 2 + k / 4), day(k)),
            _ => registry.record_review("national", Review::new(day(k))),
        };
        if let Err(e) = result {
            panic!("change {k} refused: {e}");
        }
    }
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load one agreement");
    for members in [4_000, 8_000] {
        let text = registry_json(members, members);
        group.throughput(Throughput::Elements(members as u64));
        group.bench_function(format!("{members} members"), |b| {
            b.iter(|| Registry::from_json_str(black_box(&text)).map(|r| r.agreements().len()));
        });
    }
    group.finish();
}

fn change(c: &mut Criterion) {
    let mut group = c.benchmark_group("changes to one agreement");
    for (members, n) in [(2_000, 500), (2_000, 1_000), (4_000, 1_000)] {
        let text = registry_json(members + 1_000, members);
        let base = match Registry::from_json_str(&text) {
            Ok(r) => r,
            Err(e) => panic!("the generated registry does not load: {e}"),
        };
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("{n} changes, {members} members"), |b| {
            b.iter_batched(
                || base.clone(),
                |mut r| changes(&mut r, members, n),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, load, change);
criterion_main!(benches);
