//! Loading, saving and querying a national-sized synthetic registry
//! ([`Shape::LARGE`]: 2,000 parties, 20,000 agreements of 2 to 12 members),
//! with each indexed query measured beside the plain scan of every
//! agreement a user would otherwise write, so the gain can be read as a
//! ratio. Betweenness, **O(V · E)**, is measured on [`Shape::MID`].
//!
//! ```text
//! cargo bench --bench queries
//! cargo bench --bench queries -- agreements_of   # one group
//! ```

// `criterion_group!` makes a public function it gives no doc comment.
#![allow(missing_docs)]

mod support;

use std::collections::BTreeMap;
use std::hint::black_box;

use collab_registry::{
    Agreement, AgreementId, AgreementSummary, AsOf, Function, Participation, Partner, PartyId,
    Registry,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use support::Shape;

// The scans below answer with the very structs the library returns, built
// the same way, so that a comparison measures finding the rows and not
// making them.

/// An agreement's row on the day, as the library makes it.
fn summary<'r>(q: &AsOf<'r>, a: &'r Agreement) -> AgreementSummary<'r> {
    let mut members: Vec<&'r PartyId> = a.members_on(q.date()).map(|m| &m.party).collect();
    members.sort_unstable();
    members.dedup();
    AgreementSummary {
        agreement: &a.id,
        title: &a.title,
        status: a.status_on(q.date()),
        legal_basis: a.legal_basis,
        part_of: a.part_of.as_ref(),
        functions: &a.functions,
        members,
    }
}

/// Rows for every agreement that counts on the day and passes `keep`, by id.
fn scan<'r>(q: &AsOf<'r>, keep: impl Fn(&Agreement) -> bool) -> Vec<AgreementSummary<'r>> {
    let mut rows: Vec<AgreementSummary<'r>> = q
        .registry()
        .agreements()
        .iter()
        .filter(|a| q.counts(a) && keep(a))
        .map(|a| summary(q, a))
        .collect();
    rows.sort_unstable_by(|x, y| x.agreement.cmp(y.agreement));
    rows
}

/// What `party` takes part in on the day, by scanning every agreement.
fn scan_agreements_of<'r>(q: &AsOf<'r>, party: &str) -> Vec<Participation<'r>> {
    let date = q.date();
    let mut rows: Vec<Participation<'r>> = q
        .registry()
        .agreements()
        .iter()
        .filter(|a| q.counts(a))
        .flat_map(|a| {
            a.members_on(date)
                .filter(|m| m.party == party)
                .map(move |m| Participation {
                    agreement: &a.id,
                    title: &a.title,
                    status: a.status_on(date),
                    part_of: a.part_of.as_ref(),
                    role: m.role,
                    joined: m.joined,
                    notice_served: m.notice_served.filter(|d| *d <= date),
                    leaves: m.left,
                })
        })
        .collect();
    rows.sort_unstable_by(|x, y| x.agreement.cmp(y.agreement));
    rows
}

/// Members of `agreement` on the day, finding it by scanning every agreement.
fn scan_members_of<'r>(q: &AsOf<'r>, agreement: &str) -> Vec<&'r PartyId> {
    let mut ids: Vec<&'r PartyId> = q
        .registry()
        .agreements()
        .iter()
        .find(|a| a.id == agreement)
        .into_iter()
        .flat_map(|a| a.members_on(q.date()).map(|m| &m.party))
        .collect();
    ids.sort_unstable();
    ids
}

/// Partners of `party`, how many agreements each shares and which, most
/// shared first, by scanning every agreement.
fn scan_partners_of<'r>(q: &AsOf<'r>, party: &str) -> Vec<Partner<'r>> {
    let registry = q.registry();
    let mut shared: BTreeMap<&'r PartyId, Vec<&'r AgreementId>> = BTreeMap::new();
    for a in registry.agreements() {
        if q.counts(a) && a.is_member(party, q.date()) {
            for m in a.members_on(q.date()).filter(|m| m.party != party) {
                shared.entry(&m.party).or_default().push(&a.id);
            }
        }
    }
    let mut rows: Vec<Partner<'r>> = shared
        .into_iter()
        .filter_map(|(id, mut agreements)| {
            agreements.sort_unstable();
            agreements.dedup();
            let p = registry.party(id.as_str()).ok()?;
            Some(Partner {
                party: &p.id,
                name: &p.name,
                kind: p.kind,
                shared: agreements.len(),
                agreements,
            })
        })
        .collect();
    rows.sort_unstable_by(|x, y| y.shared.cmp(&x.shared).then(x.party.cmp(y.party)));
    rows
}

/// Agreements covering `function` on the day, by scanning every agreement.
fn scan_by_function<'r>(q: &AsOf<'r>, function: Function) -> Vec<AgreementSummary<'r>> {
    scan(q, |a| a.functions.contains(&function))
}

/// Agreements in which all of `parties` are members on the day, by
/// scanning every agreement.
fn scan_shared_by<'r>(q: &AsOf<'r>, parties: &[&str]) -> Vec<AgreementSummary<'r>> {
    scan(q, |a| parties.iter().all(|p| a.is_member(p, q.date())))
}

/// The party the party questions are asked about: a police force in the
/// first region, as connected as most.
fn asked_party() -> String {
    support::party_id(42)
}

/// Two parties that share agreements on the day: the first two members of
/// the first in-force agreement with three or more.
fn asked_pair(q: &AsOf<'_>) -> Vec<String> {
    q.with_at_least(3)
        .first()
        .map(|s| s.members.iter().take(2).map(|p| p.to_string()).collect())
        .unwrap_or_default()
}

fn load_and_save(c: &mut Criterion) {
    let json = support::registry_json(&Shape::LARGE);
    let registry = support::registry(&Shape::LARGE);
    let memberships: usize = registry.agreements().iter().map(|a| a.members.len()).sum();
    println!(
        "large registry: {} parties, {} agreements, {} memberships, {} bodies, {} bytes of JSON",
        registry.parties().len(),
        registry.agreements().len(),
        memberships,
        registry.bodies().len(),
        json.len()
    );
    let mut group = c.benchmark_group("file");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(json.len() as u64));
    // What parsing alone costs, to read loading against.
    group.bench_function("parse_json_value/large", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)))
    });
    group.bench_function("load/large", |b| {
        b.iter(|| Registry::from_json_str(black_box(&json)))
    });
    group.bench_function("save/large", |b| {
        b.iter(|| black_box(&registry).to_json_string())
    });
    group.finish();
}

fn indexed_against_scans(c: &mut Criterion) {
    let registry = support::registry(&Shape::LARGE);
    let q = registry.as_of(support::as_of());
    let party = asked_party();
    let agreement = support::agreement_id(12_345);
    let function = Function::ArmedPolicing;
    let pair = asked_pair(&q);
    let pair: Vec<&str> = pair.iter().map(String::as_str).collect();

    // The two ways must give the same answer, or the comparison means nothing.
    let indexed = q.agreements_of(&party).ok();
    assert_eq!(indexed, Some(scan_agreements_of(&q, &party)));
    let members: Option<Vec<&PartyId>> = q.members_of(&agreement).ok().map(|m| {
        let mut ids: Vec<&PartyId> = m.members.iter().map(|m| m.party).collect();
        ids.sort_unstable();
        ids
    });
    assert_eq!(members, Some(scan_members_of(&q, &agreement)));
    let partners = q.partners_of(&party).ok();
    assert_eq!(partners, Some(scan_partners_of(&q, &party)));
    let covering = q.by_function(function);
    assert_eq!(covering, scan_by_function(&q, function));
    let shared = q.shared_by(&pair).ok();
    assert_eq!(shared, Some(scan_shared_by(&q, &pair)));
    println!(
        "asked as of {}: {party} takes part in {} agreements with {} partners; \
         {agreement} has {} members; {} agreements cover {}; {} share {} agreements",
        q.date(),
        indexed.map_or(0, |rows| rows.len()),
        partners.map_or(0, |rows| rows.len()),
        members.map_or(0, |ids| ids.len()),
        covering.len(),
        function.as_str(),
        pair.join(" and "),
        shared.map_or(0, |rows| rows.len()),
    );

    let mut group = c.benchmark_group("agreements_of");
    group.bench_function("indexed", |b| b.iter(|| q.agreements_of(black_box(&party))));
    group.bench_function("scan", |b| {
        b.iter(|| scan_agreements_of(&q, black_box(&party)))
    });
    group.finish();

    let mut group = c.benchmark_group("members_of");
    group.bench_function("indexed", |b| {
        b.iter(|| q.members_of(black_box(&agreement)))
    });
    group.bench_function("scan", |b| {
        b.iter(|| scan_members_of(&q, black_box(&agreement)))
    });
    group.finish();

    let mut group = c.benchmark_group("partners_of");
    group.bench_function("indexed", |b| b.iter(|| q.partners_of(black_box(&party))));
    group.bench_function("scan", |b| {
        b.iter(|| scan_partners_of(&q, black_box(&party)))
    });
    group.finish();

    let mut group = c.benchmark_group("by_function");
    group.bench_function("indexed", |b| b.iter(|| q.by_function(black_box(function))));
    group.bench_function("scan", |b| {
        b.iter(|| scan_by_function(&q, black_box(function)))
    });
    group.finish();

    let mut group = c.benchmark_group("shared_by");
    group.bench_function("indexed", |b| b.iter(|| q.shared_by(black_box(&pair))));
    group.bench_function("scan", |b| b.iter(|| scan_shared_by(&q, black_box(&pair))));
    group.finish();
}

fn network(c: &mut Criterion) {
    let large = support::registry(&Shape::LARGE);
    let q = large.as_of(support::as_of());
    let network = q.network();
    println!(
        "large network: {} parties, {} links, {} cut points",
        network.graph().node_count(),
        network.graph().edge_count(),
        network.articulation_points().len()
    );
    let mut group = c.benchmark_group("network");
    group.sample_size(10);
    group.bench_function("build/large", |b| b.iter(|| black_box(&q).network()));
    group.bench_function("articulation_points/large", |b| {
        b.iter(|| black_box(&network).articulation_points())
    });
    group.bench_function("build_and_articulation_points/large", |b| {
        b.iter(|| black_box(&q).network().articulation_points())
    });
    let mid = support::registry(&Shape::MID);
    let mid_network = mid.as_of(support::as_of()).network();
    println!(
        "mid network: {} parties, {} links",
        mid_network.graph().node_count(),
        mid_network.graph().edge_count()
    );
    group.bench_with_input(
        BenchmarkId::new("betweenness", "mid"),
        &mid_network,
        |b, n| b.iter(|| n.betweenness()),
    );
    group.finish();
}

criterion_group!(benches, load_and_save, indexed_against_scans, network);
criterion_main!(benches);
