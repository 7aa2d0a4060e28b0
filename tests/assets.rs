//! Assets owned jointly: an agreement's assets with each owner and share as
//! of the day, and the shares a party owns across its agreements, as a
//! member or as the commissioner overseeing one.
//!
//! The National Police Collaboration Agreement of 2017 under s.22A
//! (<https://vdocuments.mx/national-police-collaboration-agreement-in-relation-s22a-agreementpdf-initial.html>)
//! has terms for a host force, assets and their consequences on
//! withdrawal; the assets below, their values and shares, and the days they
//! change are illustrative, put on the sample's real agreements.

use chrono::NaiveDate;
use collab_registry::model::{
    AmendmentKind, Asset, AssetShare, Currency, Money, PartyId, Percent, Status,
};
use collab_registry::time::When;
use collab_registry::{ErrorKind, Registry, Scope};
use serde_json::json;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn share(party: &str, percent: &str) -> AssetShare {
    AssetShare::new(
        PartyId::new(party).expect("an id"),
        percent.parse::<Percent>().expect("a percentage"),
    )
}

fn vehicles(owners: Vec<AssetShare>) -> Asset {
    let mut asset = Asset::new("Public order vehicles", owners);
    asset.value = Some(Money::from_minor(24_000_000, Currency::GBP));
    asset
}

/// The sample, with em-public-order's vehicles owned half each by its two
/// forces from 1 April 2026, and from 1 April 2027 Derbyshire's half held
/// by its commissioner instead (entered on 1 May 2027); em-major-crime's
/// building owned by three of its forces from 2026.
fn registry() -> std::result::Result<Registry, Box<dyn std::error::Error>> {
    let mut registry = collab_registry::sample()?;
    registry.amend(
        "em-public-order",
        day(2026, 4, 1),
        AmendmentKind::Variation,
        "Vehicles owned jointly",
        |t| {
            t.costs_mut().assets = vec![vehicles(vec![
                share("derbyshire-police", "50"),
                share("nottinghamshire-police", "50"),
            ])];
        },
    )?;
    registry.amend(
        "em-public-order",
        When::on(day(2027, 4, 1)).entered(day(2027, 5, 1)),
        AmendmentKind::Variation,
        "Derbyshire's half passes to its commissioner",
        |t| {
            t.costs_mut().assets = vec![vehicles(vec![
                share("derbyshire-pcc", "50"),
                share("nottinghamshire-police", "50"),
            ])];
        },
    )?;
    registry.amend(
        "em-major-crime",
        day(2026, 4, 1),
        AmendmentKind::Variation,
        "Building owned by three forces",
        |t| {
            t.costs_mut().assets = vec![Asset::new(
                "Major crime building",
                vec![
                    share("nottinghamshire-police", "40"),
                    share("leicestershire-police", "30"),
                    share("derbyshire-police", "30"),
                ],
            )];
        },
    )?;
    Ok(registry)
}

fn owners(registry: &Registry, on: NaiveDate, agreement: &str) -> Vec<(String, String)> {
    registry
        .as_of(on)
        .assets(agreement)
        .expect("a known agreement")
        .iter()
        .flat_map(|a| a.owners.iter())
        .map(|o| (o.party.id.to_string(), o.percent.to_string()))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_vehicles_are_owned_half_each_then_half_through_a_commissioner() -> Result {
    let registry = registry()?;
    assert!(
        registry
            .as_of(day(2026, 3, 31))
            .assets("em-public-order")?
            .is_empty()
    );
    assert_eq!(
        owners(&registry, day(2026, 6, 1), "em-public-order"),
        pairs(&[
            ("derbyshire-police", "50"),
            ("nottinghamshire-police", "50")
        ])
    );
    assert_eq!(
        owners(&registry, day(2027, 6, 1), "em-public-order"),
        pairs(&[("derbyshire-pcc", "50"), ("nottinghamshire-police", "50")])
    );
    // As the register stood on 30 April 2027 the change was not entered yet.
    let stood = registry
        .as_of(day(2027, 4, 15))
        .as_recorded_on(day(2027, 4, 30));
    let before: Vec<String> = stood.assets("em-public-order")?[0]
        .owners
        .iter()
        .map(|o| o.party.id.to_string())
        .collect();
    assert_eq!(before, ["derbyshire-police", "nottinghamshire-police"]);
    // Owners by id; the value exact, with its currency.
    assert_eq!(
        owners(&registry, day(2026, 6, 1), "em-major-crime"),
        pairs(&[
            ("derbyshire-police", "30"),
            ("leicestershire-police", "30"),
            ("nottinghamshire-police", "40")
        ])
    );
    let json = serde_json::to_value(registry.as_of(day(2026, 6, 1)).assets("em-public-order")?)?;
    assert_eq!(
        json,
        json!([{"name": "Public order vehicles", "value": {"amount": "240000.00", "currency": "GBP"},
                "owners": [
                    {"party": {"id": "derbyshire-police", "name": "Derbyshire Police"}, "percent": "50"},
                    {"party": {"id": "nottinghamshire-police", "name": "Nottinghamshire Police"}, "percent": "50"}]}])
    );
    Ok(())
}

fn held(registry: &Registry, on: NaiveDate, party: &str) -> Vec<String> {
    registry
        .as_of(on)
        .assets_of(party)
        .expect("a known party")
        .iter()
        .map(|h| {
            let through: Vec<&str> = h.overseeing.iter().map(|p| p.id.as_str()).collect();
            format!(
                "{} {} {}% member {} overseeing {through:?}",
                h.agreement.id, h.asset, h.percent, h.member
            )
        })
        .collect()
}

#[test]
fn the_shares_a_party_owns_as_member_or_as_commissioner() -> Result {
    let registry = registry()?;
    // 2026/27: Derbyshire Police owns half the vehicles and 30% of the building.
    assert_eq!(
        held(&registry, day(2026, 6, 1), "derbyshire-police"),
        [
            "em-major-crime Major crime building 30% member true overseeing []",
            "em-public-order Public order vehicles 50% member true overseeing []",
        ]
    );
    assert!(held(&registry, day(2026, 6, 1), "derbyshire-pcc").is_empty());
    // From April 2027 its commissioner holds the vehicles' half, as the
    // body overseeing a member; the force keeps its share of the building.
    assert_eq!(
        held(&registry, day(2027, 6, 1), "derbyshire-pcc"),
        [
            "em-public-order Public order vehicles 50% member false overseeing [\"derbyshire-police\"]"
        ]
    );
    assert_eq!(
        held(&registry, day(2027, 6, 1), "derbyshire-police"),
        ["em-major-crime Major crime building 30% member true overseeing []"]
    );
    // As the register stood before that was entered, the force held it still.
    let stood = registry
        .as_of(day(2027, 4, 15))
        .as_recorded_on(day(2027, 4, 30));
    assert!(stood.assets_of("derbyshire-pcc")?.is_empty());
    assert_eq!(stood.assets_of("derbyshire-police")?.len(), 2);
    let notts = registry
        .as_of(day(2027, 6, 1))
        .assets_of("nottinghamshire-police")?;
    let shares: Vec<String> = notts.iter().map(|h| h.percent.to_string()).collect();
    assert_eq!(shares, ["40", "50"]);
    Ok(())
}

#[test]
fn an_ended_agreements_assets_are_named_but_no_longer_held_in_force() -> Result {
    let mut registry = registry()?;
    registry.set_status("em-public-order", Status::Terminated, day(2028, 4, 1), None)?;
    let on = registry.as_of(day(2028, 6, 1));
    // Named, it answers whatever its status.
    assert_eq!(on.assets("em-public-order")?.len(), 1);
    assert!(on.assets_of("derbyshire-pcc")?.is_empty());
    let any = on.scope(Scope::AnyStatus).assets_of("derbyshire-pcc")?;
    assert_eq!(any.len(), 1);
    Ok(())
}

#[test]
fn shares_must_add_to_a_hundred_and_owners_be_known() -> Result {
    let mut registry = registry()?;
    let before = registry.to_json_string();
    let err = registry
        .amend(
            "em-public-order",
            day(2029, 4, 1),
            AmendmentKind::Variation,
            "Shares that do not add up",
            |t| {
                t.costs_mut().assets = vec![vehicles(vec![
                    share("derbyshire-police", "50"),
                    share("nottinghamshire-police", "40"),
                ])];
            },
        )
        .expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(registry.to_json_string(), before);
    let on = registry.as_of(day(2027, 6, 1));
    assert_eq!(
        on.assets_of("no-such-party").map_err(|e| e.kind()).err(),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        on.assets("no-such-agreement").map_err(|e| e.kind()).err(),
        Some(ErrorKind::UnknownId)
    );
    Ok(())
}
