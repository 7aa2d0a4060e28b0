//! A deterministic generator of large synthetic registries for the
//! benchmarks: parties in regions, agreements of 2 to 12 members (mostly
//! within a region) with varied functions, legal bases, statuses and
//! umbrellas nested up to three deep, some members leaving or joining late,
//! some invitations declined, and governance bodies with seats and
//! reporting lines.
//!
//! The registry is written as a JSON document, so benchmarks can time
//! loading it and every registry goes through the same validation as a
//! file. The same [`Shape`] always gives the same bytes: a small inline
//! linear congruential generator stands in for a randomness crate.

#![allow(dead_code)] // each bench binary uses the part it needs

use collab_registry::{BodyKind, Function, LegalBasis, PartyKind, Registry};
use serde_json::{Value, json};

/// The day benchmarks ask their questions as of: after every generated
/// start, so most agreements are in force and some members have left.
pub(crate) const AS_OF: (i32, u32, u32) = (2021, 4, 1);

/// The day [`AS_OF`] names.
pub(crate) fn as_of() -> chrono::NaiveDate {
    let (y, m, d) = AS_OF;
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// How big a registry to make.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Parties, spread evenly over the regions.
    pub(crate) parties: usize,
    /// Agreements.
    pub(crate) agreements: usize,
    /// Governance bodies.
    pub(crate) bodies: usize,
    /// Regions the parties are spread over.
    pub(crate) regions: usize,
    /// Seed of the generator.
    pub(crate) seed: u64,
}

impl Shape {
    /// A national register: 2,000 parties in 10 regions, 20,000 agreements,
    /// 1,000 governance bodies.
    pub(crate) const LARGE: Shape = Shape {
        parties: 2_000,
        agreements: 20_000,
        bodies: 1_000,
        regions: 10,
        seed: 2015,
    };

    /// A regional register: 200 parties in 4 regions, 2,000 agreements, 100
    /// governance bodies.
    pub(crate) const MID: Shape = Shape {
        parties: 200,
        agreements: 2_000,
        bodies: 100,
        regions: 4,
        seed: 2013,
    };
}

/// A linear congruential generator (Knuth's MMIX constants), taking the
/// high bits, which are the well-mixed ones.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n`; `n` is at least 1.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// `k` distinct numbers from `lo..hi` (all of them when the range is
    /// smaller than `k`), in the order drawn.
    fn distinct(&mut self, lo: usize, hi: usize, k: usize) -> Vec<usize> {
        let k = k.min(hi.saturating_sub(lo));
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k {
            let n = lo + self.below(hi - lo);
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

/// The id of the `i`th generated party.
pub(crate) fn party_id(i: usize) -> String {
    format!("party-{i:05}")
}

/// The id of the `i`th generated agreement.
pub(crate) fn agreement_id(i: usize) -> String {
    format!("agreement-{i:06}")
}

/// The id of the `i`th generated governance body.
pub(crate) fn body_id(i: usize) -> String {
    format!("body-{i:05}")
}

/// The region of the `i`th party: the parties are split into contiguous runs.
pub(crate) fn region_of(shape: &Shape, i: usize) -> usize {
    i * shape.regions / shape.parties.max(1)
}

/// The name of region `r`.
pub(crate) fn region_name(r: usize) -> String {
    format!("Region {r:02}")
}

/// The parties of region `r`, as a range of party numbers.
fn region_range(shape: &Shape, r: usize) -> (usize, usize) {
    let lo = (0..shape.parties)
        .find(|i| region_of(shape, *i) == r)
        .unwrap_or(0);
    let hi = (lo..shape.parties)
        .find(|i| region_of(shape, *i) != r)
        .unwrap_or(shape.parties);
    (lo, hi)
}

/// Agreement `i` is an umbrella when it is a multiple of this...
const UMBRELLA_EVERY: usize = 100;
/// ...and a top-level programme when it is a multiple of this.
const PROGRAMME_EVERY: usize = 1_000;

/// The registry document for `shape`, as JSON text.
pub(crate) fn registry_json(shape: &Shape) -> String {
    let mut rng = Lcg(shape.seed);
    let regions: Vec<(usize, usize)> = (0..shape.regions).map(|r| region_range(shape, r)).collect();

    let parties: Vec<Value> = (0..shape.parties)
        .map(|i| {
            // Half police forces, then commissioners, fire, councils, and a
            // tail of every other kind.
            let kind = match i % 10 {
                0..=4 => PartyKind::PoliceForce,
                5 | 6 => PartyKind::PolicingBody,
                7 => PartyKind::FireAndRescue,
                8 => PartyKind::LocalAuthority,
                _ => PartyKind::ALL[rng.below(PartyKind::ALL.len())],
            };
            json!({
                "id": party_id(i),
                "name": format!("Party {i}"),
                "kind": kind.as_str(),
                "region": region_name(region_of(shape, i)),
            })
        })
        .collect();

    let agreements: Vec<Value> = (0..shape.agreements)
        .map(|i| agreement(shape, &regions, &mut rng, i))
        .collect();

    let rules = [
        json!({"rule": "unanimity"}),
        json!({"rule": "simple_majority"}),
        json!({"rule": "qualified_majority", "at_least": "2/3"}),
        json!({"rule": "weighted_by_cost_share", "at_least": "1/2"}),
    ];
    let bodies: Vec<Value> = (0..shape.bodies)
        .map(|j| {
            let how_many = 1 + rng.below(5);
            let governs: Vec<String> = rng
                .distinct(0, shape.agreements, how_many)
                .into_iter()
                .map(agreement_id)
                .collect();
            let (lo, hi) = regions[rng.below(regions.len())];
            let how_many = 3 + rng.below(6);
            let seats: Vec<Value> = rng
                .distinct(lo, hi, how_many)
                .into_iter()
                .enumerate()
                .map(|(s, p)| {
                    let role = if s == 0 { "chair" } else { "member" };
                    json!({"party": party_id(p), "role": role, "votes": 1})
                })
                .collect();
            let mut body = json!({
                "id": body_id(j),
                "name": format!("Body {j}"),
                "kind": BodyKind::ALL[rng.below(BodyKind::ALL.len())].as_str(),
                "governs": governs,
                "seats": seats,
                "decision_rule": rules[rng.below(rules.len())].clone(),
            });
            // Reporting only to an earlier body keeps the lines acyclic.
            if j > 0 && rng.one_in(2) {
                body["reports_to"] = body_id(rng.below(j)).into();
            }
            body
        })
        .collect();

    json!({
        "schema_version": collab_registry::SCHEMA_VERSION,
        "name": format!(
            "Synthetic register: {} parties, {} agreements, {} bodies",
            shape.parties, shape.agreements, shape.bodies
        ),
        "currency": "GBP",
        "parties": parties,
        "agreements": agreements,
        "bodies": bodies,
    })
    .to_string()
}

fn agreement(shape: &Shape, regions: &[(usize, usize)], rng: &mut Lcg, i: usize) -> Value {
    let year = 2010 + rng.below(10);
    let start = format!("{year}-{:02}-01", 1 + rng.below(12));
    // One agreement in ten draws its members from anywhere in the country.
    let (lo, hi) = if rng.one_in(10) {
        (0, shape.parties)
    } else {
        regions[rng.below(regions.len())]
    };
    let size = 2 + rng.below(11);
    let chosen = rng.distinct(lo, hi, size);
    let leaver = (chosen.len() >= 3 && rng.one_in(5)).then_some(1);
    let late = (chosen.len() >= 4 && rng.one_in(6)).then_some(chosen.len() - 1);
    let members: Vec<Value> = chosen
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let role = match (k, rng.below(4)) {
                (0, 0 | 1) => "lead",
                (0, 2) => "host",
                _ => "member",
            };
            let mut m = json!({"party": party_id(*p), "role": role, "joined": start});
            if late == Some(k) {
                m["joined"] = format!("{}-04-01", year + 1).into();
            }
            // Leaving keeps at least two members, as validation requires.
            if leaver == Some(k) {
                let out = year + 2 + rng.below(6);
                m["notice_served"] = format!("{}-10-01", out - 1).into();
                m["left"] = format!("{out}-04-01").into();
            }
            m
        })
        .collect();

    let umbrella = i % UMBRELLA_EVERY == 0;
    let functions: Vec<&str> = if umbrella {
        vec![Function::Other.as_str()]
    } else {
        let how_many = 1 + rng.below(4);
        rng.distinct(0, Function::ALL.len(), how_many)
            .into_iter()
            .map(|f| Function::ALL[f].as_str())
            .collect()
    };
    let basis = if rng.below(10) < 6 {
        LegalBasis::Section22aPoliceAct1996
    } else {
        LegalBasis::ALL[rng.below(LegalBasis::ALL.len())]
    };
    let status = match rng.below(20) {
        0 => json!([{"status": "proposed", "from": start}]),
        1 => json!([
            {"status": "active", "from": start},
            {"status": "terminated", "from": format!("{}-04-01", year + 3)},
        ]),
        2 => json!([
            {"status": "active", "from": start},
            {"status": "under_review", "from": format!("{}-04-01", year + 5)},
        ]),
        _ => json!([{"status": "active", "from": start}]),
    };
    let mut a = json!({
        "id": agreement_id(i),
        "title": format!("Agreement {i}"),
        "legal_basis": basis.as_str(),
        "functions": functions,
        "start": start,
        "status": status,
        "members": members,
    });
    // Umbrellas sit under the programme before them; a third of the other
    // agreements sit under the umbrella before them. Parents always come
    // earlier, so "part of" is acyclic, and nesting reaches three deep.
    let parent = if umbrella {
        (i % PROGRAMME_EVERY != 0).then_some(i / PROGRAMME_EVERY * PROGRAMME_EVERY)
    } else {
        rng.one_in(3).then_some(i / UMBRELLA_EVERY * UMBRELLA_EVERY)
    };
    if let Some(parent) = parent {
        a["part_of"] = agreement_id(parent).into();
    }
    if rng.one_in(25) {
        let outsider = lo + rng.below(hi - lo);
        if !chosen.contains(&outsider) {
            a["declined"] = json!([{"party": party_id(outsider)}]);
        }
    }
    a
}

/// The registry for `shape`, loaded from its document.
///
/// # Panics
///
/// When the generated document does not load, naming every problem: a bug
/// in the generator, not something to measure.
pub(crate) fn registry(shape: &Shape) -> Registry {
    match Registry::from_json_str(&registry_json(shape)) {
        Ok(registry) => registry,
        Err(e) => panic!("the generated registry does not load: {e}"),
    }
}
