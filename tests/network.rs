//! The collaboration network: measures checked on small hand-made
//! registries whose answers are known, then on the sample.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use collab_registry::{Registry, Scope};
use proptest::prelude::*;
use serde_json::{Value, json};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// A day after every hand-made agreement has started.
fn asked() -> NaiveDate {
    day(2021, 1, 1)
}

/// An agreement active from 1 April 2020 whose members all join that day.
fn pact(id: &str, members: &[&str]) -> Value {
    let members: Vec<Value> = members
        .iter()
        .map(|m| json!({"party": m, "role": "member", "joined": "2020-04-01"}))
        .collect();
    json!({
        "id": id, "title": id, "legal_basis": "section_22a_police_act_1996",
        "start": "2020-04-01",
        "status": [{"status": "active", "from": "2020-04-01"}],
        "members": members,
    })
}

/// A hand-made registry whose members are all police forces.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the callers build the agreements in place with json!, and each call stays one expression"
)]
fn handmade(agreements: Vec<Value>) -> Registry {
    let mut parties: Vec<Value> = Vec::new();
    for a in &agreements {
        for m in a["members"].as_array().into_iter().flatten() {
            if !parties.iter().any(|p| p["id"] == m["party"]) {
                parties.push(json!({"id": m["party"], "name": m["party"], "kind": "police_force"}));
            }
        }
    }
    let doc = json!({"schema_version": 2, "currency": "GBP", "parties": parties, "agreements": agreements});
    Registry::from_json_str(&doc.to_string()).expect("the hand-made registry loads")
}

/// Bilateral agreements, one per pair.
fn pairs(links: &[(&str, &str)]) -> Registry {
    handmade(
        links
            .iter()
            .enumerate()
            .map(|(i, (a, b))| pact(&format!("deal-{i}"), &[a, b]))
            .collect(),
    )
}

#[test]
fn a_paths_middle_is_its_articulation_point_and_its_hub() {
    let registry = pairs(&[("a", "b"), ("b", "c")]);
    let network = registry.as_of(asked()).network();
    let cuts = network.articulation_points();
    assert_eq!(cuts.len(), 1);
    assert_eq!(cuts[0].party.id.as_str(), "b");
    assert_eq!(cuts[0].groups_after, 2);
    let between = network.betweenness();
    let got: Vec<(&str, f64, f64)> = between
        .iter()
        .map(|b| (b.party.id.as_str(), b.score, b.normalised))
        .collect();
    assert_eq!(got, [("b", 1.0, 1.0), ("a", 0.0, 0.0), ("c", 0.0, 0.0)]);
}

#[test]
fn a_stars_centre_has_the_top_betweenness_and_degree() {
    let registry = pairs(&[("hub", "w"), ("hub", "x"), ("hub", "y"), ("hub", "z")]);
    let network = registry.as_of(asked()).network();
    let between = network.betweenness();
    assert_eq!(between[0].party.id.as_str(), "hub");
    // Every one of the C(4, 2) = 6 pairs of leaves passes through the centre.
    assert_eq!((between[0].score, between[0].normalised), (6.0, 1.0));
    assert!(between[1..].iter().all(|b| b.score == 0.0));
    let degrees = network.degrees();
    assert_eq!(degrees[0].party.id.as_str(), "hub");
    assert_eq!(degrees[0].partners, 4);
    assert_eq!(
        degrees[1..]
            .iter()
            .map(|d| d.party.id.as_str())
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
    assert!(
        between.iter().all(|b| (b.score - 0.5).abs() < 1e-12),
        "{between:?}"
    );
    assert_eq!(
        between
            .iter()
            .map(|b| b.party.id.as_str())
            .collect::<Vec<_>>(),
        ["a", "b", "c", "d"]
    );
    assert!(network.articulation_points().is_empty());
}

#[test]
fn two_groups_that_never_meet() {
    let registry = handmade(vec![
        pact("triangle", &["a", "b", "c"]),
        pact("pair", &["d", "e"]),
    ]);
    let network = registry.as_of(asked()).network();
    let groups = network.groups();
    let got: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.parties.iter().map(|p| p.id.as_str()).collect())
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
    let registry = handmade(vec![
        pact("one", &["a", "b"]),
        pact("two", &["a", "b", "c"]),
        pact("three", &["b", "a"]),
    ]);
    let links = registry.as_of(asked()).network().links();
    let got: Vec<(&str, &str, u32)> = links
        .iter()
        .map(|l| (l.a.id.as_str(), l.b.id.as_str(), l.shared))
        .collect();
    assert_eq!(got, [("a", "b", 3), ("a", "c", 1), ("b", "c", 1)]);
    let degrees = registry.as_of(asked()).network().degrees();
    let got: Vec<(&str, usize, u64)> = degrees
        .iter()
        .map(|d| (d.party.id.as_str(), d.partners, d.shared))
        .collect();
    assert_eq!(got, [("a", 2, 4), ("b", 2, 4), ("c", 2, 2)]);
}

#[test]
fn the_network_follows_the_day_asked() {
    // The bridge between two pairs ends; the network splits.
    let mut bridge = pact("bridge", &["b", "c"]);
    bridge["legal_basis"] = json!("contract");
    bridge["end"] = json!("2022-04-01");
    for m in bridge["members"].as_array_mut().into_iter().flatten() {
        m["left"] = json!("2022-04-01");
    }
    let registry = handmade(vec![
        pact("left", &["a", "b"]),
        pact("right", &["c", "d"]),
        bridge,
    ]);
    let before = registry.as_of(day(2022, 3, 31)).network();
    assert_eq!(before.groups().len(), 1);
    let cuts: Vec<String> = before
        .articulation_points()
        .iter()
        .map(|c| c.party.id.to_string())
        .collect();
    assert_eq!(cuts, ["b", "c"]);
    let after = registry.as_of(day(2022, 4, 1)).network();
    assert_eq!(after.groups().len(), 2);
    assert!(after.articulation_points().is_empty());
    assert_eq!(after.date(), day(2022, 4, 1));
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
fn a_terminated_agreement_links_nobody_from_its_end() -> Result {
    let mut registry = pairs(&[("a", "b"), ("b", "c")]);
    registry.terminate("deal-1", day(2022, 4, 1), None)?;
    for scope in [Scope::InForce, Scope::AnyStatus] {
        let network = registry.as_of(day(2022, 4, 1)).scope(scope).network();
        assert_eq!(network.links().len(), 1);
        assert!(network.articulation_points().is_empty());
    }
    assert_eq!(registry.as_of(day(2022, 3, 31)).network().links().len(), 2);
    Ok(())
}

#[test]
fn parties_are_named_as_of_the_day() -> Result {
    let mut registry = collab_registry::sample()?;
    registry.amend_party(
        "northamptonshire-fire",
        day(2024, 4, 1),
        collab_registry::model::AmendmentKind::Variation,
        "Renamed",
        |t| t.name = "Northamptonshire Fire".to_string(),
    )?;
    let name_on = |d| {
        registry
            .as_of(d)
            .network()
            .parties()
            .iter()
            .find(|p| p.id.as_str() == "northamptonshire-fire")
            .map(|p| p.name.to_string())
    };
    assert_eq!(
        name_on(day(2024, 3, 31)).as_deref(),
        Some("Northamptonshire Fire and Rescue Service")
    );
    assert_eq!(
        name_on(day(2024, 4, 1)).as_deref(),
        Some("Northamptonshire Fire")
    );
    Ok(())
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
            .map(|p| p.id.as_str())
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
    assert_eq!(cuts[0].party.id.as_str(), "northamptonshire-police");
    assert_eq!(cuts[0].party.name, "Northamptonshire Police");
    let degrees = network.degrees();
    assert_eq!(degrees[0].party.id.as_str(), "northamptonshire-police");
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
        .find(|l| l.a.id.as_str() == "bedfordshire-police")
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
        json!([{"party": {"id": "b", "name": "b"}, "groups_after": 2}])
    );
    assert_eq!(
        serde_json::to_value(network.links())?,
        json!([
            {"a": {"id": "a", "name": "a"}, "b": {"id": "b", "name": "b"}, "shared": 1},
            {"a": {"id": "b", "name": "b"}, "b": {"id": "c", "name": "c"}, "shared": 1},
        ])
    );
    assert_eq!(
        serde_json::to_value(network.groups())?,
        json!([{"size": 3, "parties": [
            {"id": "a", "name": "a"}, {"id": "b", "name": "b"}, {"id": "c", "name": "c"}]}])
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
            .map(|c| (c.party.id.to_string(), c.groups_after))
            .collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(network.groups().len(), whole);
    }
}
