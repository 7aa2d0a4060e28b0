//! The collaboration network: measures checked on small hand-made registries
//! whose answers are known, then on the sample.

mod handmade;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use collab_registry::{Registry, Scope};
use handmade::Handmade;
use proptest::prelude::*;
use serde_json::json;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// A day after every hand-made agreement has started.
fn asked() -> NaiveDate {
    day(2021, 1, 1)
}

/// Bilateral agreements, one per pair.
fn pairs(links: &[(&str, &str)]) -> Registry {
    links
        .iter()
        .enumerate()
        .fold(Handmade::new(), |h, (i, (a, b))| {
            h.agreement(&format!("deal-{i}"), &[a, b])
        })
        .build()
}

#[test]
fn a_paths_middle_is_its_articulation_point_and_its_hub() {
    let registry = pairs(&[("a", "b"), ("b", "c")]);
    let network = registry.as_of(asked()).network();
    let cuts = network.articulation_points();
    assert_eq!(cuts.len(), 1);
    assert_eq!(cuts[0].party.as_str(), "b");
    assert_eq!(cuts[0].groups_after, 2);
    let between = network.betweenness();
    let got: Vec<(&str, f64, f64)> = between
        .iter()
        .map(|b| (b.party.as_str(), b.score, b.normalised))
        .collect();
    assert_eq!(got, [("b", 1.0, 1.0), ("a", 0.0, 0.0), ("c", 0.0, 0.0)]);
}

#[test]
fn a_stars_centre_has_the_top_betweenness_and_degree() {
    let registry = pairs(&[("hub", "w"), ("hub", "x"), ("hub", "y"), ("hub", "z")]);
    let network = registry.as_of(asked()).network();
    let between = network.betweenness();
    assert_eq!(between[0].party.as_str(), "hub");
    // Every one of the C(4, 2) = 6 pairs of leaves passes through the centre.
    assert_eq!((between[0].score, between[0].normalised), (6.0, 1.0));
    assert!(between[1..].iter().all(|b| b.score == 0.0));
    let degrees = network.degrees();
    assert_eq!(degrees[0].party.as_str(), "hub");
    assert_eq!(degrees[0].partners, 4);
    assert_eq!(
        degrees[1..]
            .iter()
            .map(|d| d.party.as_str())
            .collect::<Vec<_>>(),
        ["w", "x", "y", "z"]
    );
    let cuts = network.articulation_points();
    assert_eq!(cuts.len(), 1);
    assert_eq!(cuts[0].groups_after, 4);
}

#[test]
fn a_cycle_shares_its_routes_evenly() {
    // In a square each opposite pair has two shortest routes, one through
    // each of the other corners: half a route each.
    let registry = pairs(&[("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]);
    let network = registry.as_of(asked()).network();
    let between = network.betweenness();
    assert!(between.iter().all(|b| b.score == 0.5), "{between:?}");
    assert_eq!(
        between.iter().map(|b| b.party.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c", "d"]
    );
    assert!(network.articulation_points().is_empty());
}

#[test]
fn two_groups_that_never_meet() {
    let registry = Handmade::new()
        .agreement("triangle", &["a", "b", "c"])
        .agreement("pair", &["d", "e"])
        .build();
    let network = registry.as_of(asked()).network();
    let groups = network.groups();
    let got: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.parties.iter().map(|p| p.as_str()).collect())
        .collect();
    assert_eq!(got, [vec!["a", "b", "c"], vec!["d", "e"]]);
    assert_eq!(groups[0].size, 3);
    // A three-member agreement links every pair of its members.
    assert_eq!(network.links().len(), 4);
    assert!(network.articulation_points().is_empty());
    assert!(network.betweenness().iter().all(|b| b.score == 0.0));
}

#[test]
fn a_links_weight_is_the_agreements_shared() {
    let registry = Handmade::new()
        .agreement("one", &["a", "b"])
        .agreement("two", &["a", "b", "c"])
        .agreement("three", &["b", "a"])
        .build();
    let links = registry.as_of(asked()).network().links();
    let got: Vec<(&str, &str, u32)> = links
        .iter()
        .map(|l| (l.a.as_str(), l.b.as_str(), l.shared))
        .collect();
    assert_eq!(got, [("a", "b", 3), ("a", "c", 1), ("b", "c", 1)]);
    let degrees = registry.as_of(asked()).network().degrees();
    let got: Vec<(&str, usize, u64)> = degrees
        .iter()
        .map(|d| (d.party.as_str(), d.partners, d.shared))
        .collect();
    assert_eq!(got, [("a", 2, 4), ("b", 2, 4), ("c", 2, 2)]);
}

#[test]
fn the_network_follows_the_day_asked() {
    // The bridge between two pairs ends; the network splits.
    let registry = Handmade::new()
        .agreement("left", &["a", "b"])
        .agreement("right", &["c", "d"])
        .agreement_json(json!({
            "id": "bridge", "title": "bridge", "legal_basis": "contract",
            "start": "2020-04-01", "end": "2022-04-01",
            "status": [{"status": "active", "from": "2020-04-01"}],
            "members": [
                {"party": "b", "role": "member", "joined": "2020-04-01", "left": "2022-04-01"},
                {"party": "c", "role": "member", "joined": "2020-04-01", "left": "2022-04-01"},
            ],
        }))
        .build();
    let before = registry.as_of(day(2022, 3, 31)).network();
    assert_eq!(before.groups().len(), 1);
    let cuts: Vec<String> = before
        .articulation_points()
        .iter()
        .map(|c| c.party.to_string())
        .collect();
    assert_eq!(cuts, ["b", "c"]);
    let after = registry.as_of(day(2022, 4, 1)).network();
    assert_eq!(after.groups().len(), 2);
    assert!(after.articulation_points().is_empty());
    // Before anything started there is no one in it.
    assert!(
        registry
            .as_of(day(2020, 3, 31))
            .network()
            .parties()
            .is_empty()
    );
}

#[test]
fn the_sample_network_has_two_groups_held_together_by_northamptonshire() -> Result {
    let registry = collab_registry::sample()?;
    let network = registry.as_of(day(2021, 4, 1)).network();
    let groups = network.groups();
    assert_eq!(
        groups[0]
            .parties
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>(),
        [
            "derbyshire-police",
            "leicestershire-police",
            "lincolnshire-police",
            "northamptonshire-fire",
            "northamptonshire-police",
            "nottinghamshire-police"
        ]
    );
    assert_eq!(groups[1].size, 3);
    // Northamptonshire Police is the fire service's only link to the region.
    let cuts = network.articulation_points();
    assert_eq!(cuts.len(), 1);
    assert_eq!(cuts[0].party.as_str(), "northamptonshire-police");
    let degrees = network.degrees();
    assert_eq!(degrees[0].party.as_str(), "northamptonshire-police");
    assert_eq!((degrees[0].partners, degrees[0].shared), (5, 15));
    // Before 2019 there was no police-fire collaboration: no articulation point.
    let earlier = registry.as_of(day(2019, 3, 31)).network();
    assert!(earlier.articulation_points().is_empty());
    // The proposed BCH parts add weight only under any status.
    let any = registry
        .as_of(day(2021, 4, 1))
        .scope(Scope::AnyStatus)
        .network();
    let bch = any
        .links()
        .into_iter()
        .find(|l| l.a.as_str() == "bedfordshire-police")
        .ok_or("a BCH link")?;
    assert_eq!(bch.shared, 4);
    Ok(())
}

#[test]
fn network_answers_serialise() -> Result {
    let registry = pairs(&[("a", "b"), ("b", "c")]);
    let network = registry.as_of(asked()).network();
    assert_eq!(
        serde_json::to_value(network.articulation_points())?,
        json!([{"party": "b", "name": "b", "groups_after": 2}])
    );
    assert_eq!(
        serde_json::to_value(network.links())?,
        json!([{"a": "a", "b": "b", "shared": 1}, {"a": "b", "b": "c", "shared": 1}])
    );
    Ok(())
}

/// Connected groups of `edges` over `nodes`, leaving out `without`.
fn components(nodes: &BTreeSet<usize>, edges: &[(usize, usize)], without: Option<usize>) -> usize {
    let mut label: BTreeMap<usize, usize> = nodes
        .iter()
        .filter(|n| Some(**n) != without)
        .map(|n| (*n, *n))
        .collect();
    let find = |label: &BTreeMap<usize, usize>, mut x: usize| {
        while label[&x] != x {
            x = label[&x];
        }
        x
    };
    for (a, b) in edges {
        if Some(*a) == without || Some(*b) == without {
            continue;
        }
        let (ra, rb) = (find(&label, *a), find(&label, *b));
        label.insert(ra, rb);
    }
    let roots: BTreeSet<usize> = label.keys().map(|n| find(&label, *n)).collect();
    roots.len()
}

proptest! {
    /// On random bilateral networks, the articulation points are exactly
    /// the parties whose removal adds groups, and each splits its group
    /// into the number of pieces it says.
    #[test]
    fn articulation_points_match_removing_each_party(
        edges in proptest::collection::vec((0usize..9, 0usize..9), 1..16)
    ) {
        let edges: Vec<(usize, usize)> = edges.into_iter().filter(|(a, b)| a != b).collect();
        prop_assume!(!edges.is_empty());
        let name = |n: usize| format!("p{n}");
        let names: Vec<(String, String)> = edges.iter().map(|(a, b)| (name(*a), name(*b))).collect();
        let links: Vec<(&str, &str)> = names.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let registry = pairs(&links);
        let network = registry.as_of(asked()).network();

        let nodes: BTreeSet<usize> = edges.iter().flat_map(|(a, b)| [*a, *b]).collect();
        let whole = components(&nodes, &edges, None);
        let mut expected: Vec<(String, usize)> = Vec::new();
        for n in &nodes {
            let without = components(&nodes, &edges, Some(*n));
            if without > whole {
                // Its own group is replaced by the pieces it leaves.
                expected.push((name(*n), without - whole + 1));
            }
        }
        expected.sort();
        let got: Vec<(String, usize)> = network
            .articulation_points()
            .iter()
            .map(|c| (c.party.to_string(), c.groups_after))
            .collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(network.groups().len(), whole);
    }
}
