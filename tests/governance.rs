//! Who governs what, who sits where and who reports to whom, on the day
//! asked: on the sample's East Midlands boards (seed 004: "a joint
//! management board and delivery boards involving PCCs and Chief
//! Constables") and as seats, governing and reporting lines begin and end.

use chrono::NaiveDate;
use collab_registry::model::{
    AgreementId, AmendmentKind, BodyKind, DecisionRule, Governs, PartyId, Seat, SeatRole, Spell,
};
use collab_registry::time::When;
use collab_registry::{ErrorKind, Registry};
use serde_json::json;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn sample() -> Registry {
    collab_registry::sample().expect("the sample loads")
}

fn today() -> NaiveDate {
    day(2021, 4, 1)
}

/// The bodies governing `agreement` on `on`, each with the umbrella it
/// governs through.
fn governing(registry: &Registry, agreement: &str, on: NaiveDate) -> Vec<(String, Option<String>)> {
    registry
        .as_of(on)
        .governing_bodies(agreement)
        .expect("a known agreement")
        .iter()
        .map(|b| (b.body.id.to_string(), b.through.map(|a| a.id.to_string())))
        .collect()
}

/// The bodies in the chain `body` reports up on `on`.
fn chain(registry: &Registry, body: &str, on: NaiveDate) -> Vec<String> {
    registry
        .as_of(on)
        .reporting_chain(body)
        .expect("a known body")
        .iter()
        .map(|c| c.body.id.to_string())
        .collect()
}

/// The bodies `party` holds a seat on, on `on`, as the register stood on
/// `register` if given.
fn seats(
    registry: &Registry,
    party: &str,
    on: NaiveDate,
    register: Option<NaiveDate>,
) -> Vec<String> {
    let mut at = registry.as_of(on);
    if let Some(t) = register {
        at = at.as_recorded_on(t);
    }
    at.seats_of(party)
        .expect("a known party")
        .iter()
        .map(|s| s.body.id.to_string())
        .collect()
}

#[test]
fn which_bodies_govern_major_crime() -> Result {
    let registry = sample();
    let bodies = registry.as_of(today()).governing_bodies("em-major-crime")?;
    let got: Vec<(&str, Option<&str>)> = bodies
        .iter()
        .map(|b| (b.body.id.as_str(), b.through.map(|a| a.id.as_str())))
        .collect();
    assert_eq!(
        got,
        [
            ("em-operational-delivery-board", None),
            (
                "em-joint-management-board",
                Some("em-collaboration-programme")
            ),
            ("em-regional-meeting", Some("em-collaboration-programme")),
        ]
    );
    assert_eq!(bodies[0].kind, BodyKind::DeliveryBoard);
    assert!(matches!(
        bodies[0].rule,
        DecisionRule::WeightedByCostShare { .. }
    ));
    assert_eq!(
        bodies[0].body.name,
        "East Midlands operational delivery board"
    );
    // The BCH alliance records no body.
    assert!(
        registry
            .as_of(today())
            .governing_bodies("bch-operational-support")?
            .is_empty()
    );
    // A governing body names its body and umbrella.
    let json = serde_json::to_value(&bodies[1])?;
    assert_eq!(json["body"]["id"], json!("em-joint-management-board"));
    assert_eq!(json["through"]["id"], json!("em-collaboration-programme"));
    assert_eq!(serde_json::to_value(&bodies[0])?["through"], json!(null));
    let err = registry
        .as_of(today())
        .governing_bodies("atlantis-pact")
        .expect_err("unknown agreement");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    Ok(())
}

#[test]
fn which_boards_does_the_northamptonshire_commissioner_sit_on() -> Result {
    // Seed 000: "I sit on the boards of the College of Policing, the National
    // Enabling Programme (NEP) and the Emergency Services Mobile
    // Communications Programme."
    let registry = sample();
    let seats = registry.as_of(today()).seats_of("northamptonshire-pfcc")?;
    let got: Vec<(&str, SeatRole)> = seats.iter().map(|s| (s.body.id.as_str(), s.role)).collect();
    assert_eq!(
        got,
        [
            ("college-of-policing-board", SeatRole::Member),
            ("em-joint-management-board", SeatRole::Member),
            ("em-regional-meeting", SeatRole::Member),
            ("esmcp-board", SeatRole::Member),
            ("nep-board", SeatRole::Member),
            ("northamptonshire-enabling-services-board", SeatRole::Chair),
            ("northamptonshire-lcjb-board", SeatRole::Chair),
        ]
    );
    assert!(
        seats
            .iter()
            .all(|s| s.votes == 1 && s.from.is_none() && s.until.is_none())
    );
    assert!(registry.as_of(today()).seats_of("home-office")?.is_empty());
    let err = registry
        .as_of(today())
        .seats_of("atlantis-police")
        .expect_err("unknown party");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    Ok(())
}

#[test]
fn delivery_boards_report_up_to_the_regional_meeting() -> Result {
    let registry = sample();
    let chain = registry
        .as_of(today())
        .reporting_chain("em-operational-delivery-board")?;
    let got: Vec<(usize, &str)> = chain
        .iter()
        .map(|c| (c.level, c.body.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (0, "em-operational-delivery-board"),
            (1, "em-joint-management-board"),
            (2, "em-regional-meeting"),
        ]
    );
    assert_eq!(chain[2].kind, BodyKind::StrategicBoard);
    let top = registry
        .as_of(today())
        .reporting_chain("em-regional-meeting")?;
    assert_eq!(top.len(), 1);
    let err = registry
        .as_of(today())
        .reporting_chain("atlantis-board")
        .expect_err("unknown body");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    assert_eq!(err.body_id(), Some("atlantis-board"));
    Ok(())
}

#[test]
fn a_seat_counts_from_its_first_day_and_as_the_register_stood_once_entered() -> Result {
    let mut registry = sample();
    let party = "leicestershire-pcc";
    let from = day(2024, 5, 9);
    // A seat on the NEP board from 9 May 2024, entered on 20 May.
    registry.add_seat(
        "nep-board",
        Seat::new(
            PartyId::new(party)?,
            SeatRole::Member,
            1,
            Spell::from_day(from).entered(day(2024, 5, 20)),
        ),
    )?;
    let nep = "nep-board".to_string();
    assert!(!seats(&registry, party, day(2024, 5, 8), None).contains(&nep));
    assert!(seats(&registry, party, from, None).contains(&nep));
    // As the register stood before it was entered, no seat; from then, the seat.
    assert!(!seats(&registry, party, day(2024, 5, 15), Some(day(2024, 5, 19))).contains(&nep));
    assert!(seats(&registry, party, day(2024, 5, 15), Some(day(2024, 5, 20))).contains(&nep));
    let held = registry.as_of(from).seats_of(party)?;
    let seat = held
        .iter()
        .find(|s| s.body.id.as_str() == "nep-board")
        .ok_or("held")?;
    assert_eq!((seat.from, seat.until), (Some(from), None));
    // A seat entered the day it begins is not known the day before, about that day.
    registry.add_seat(
        "esmcp-board",
        Seat::new(
            PartyId::new(party)?,
            SeatRole::Member,
            1,
            Spell::from_day(from),
        ),
    )?;
    let esmcp = "esmcp-board".to_string();
    assert!(seats(&registry, party, from, None).contains(&esmcp));
    assert!(!seats(&registry, party, from, Some(day(2024, 5, 8))).contains(&esmcp));
    // Ended from 1 April 2026: held until then, and known to end from then.
    registry.end_seat("nep-board", party, day(2026, 4, 1))?;
    assert!(seats(&registry, party, day(2026, 3, 31), None).contains(&nep));
    assert!(!seats(&registry, party, day(2026, 4, 1), None).contains(&nep));
    let held = registry.as_of(day(2026, 3, 31)).seats_of(party)?;
    let seat = held
        .iter()
        .find(|s| s.body.id.as_str() == "nep-board")
        .ok_or("held")?;
    assert_eq!(seat.until, Some(day(2026, 4, 1)));
    Ok(())
}

#[test]
fn a_body_that_stops_reporting_leaves_the_chain_from_that_day() -> Result {
    let mut registry = sample();
    let full = [
        "em-operational-delivery-board",
        "em-joint-management-board",
        "em-regional-meeting",
    ];
    let stop = day(2025, 4, 1);
    registry.stop_reporting(
        "em-operational-delivery-board",
        "em-joint-management-board",
        When::on(stop).entered(day(2025, 5, 1)),
    )?;
    assert_eq!(
        chain(&registry, "em-operational-delivery-board", day(2025, 3, 31)),
        full
    );
    assert_eq!(
        chain(&registry, "em-operational-delivery-board", stop),
        ["em-operational-delivery-board"]
    );
    // As the register stood before the end was entered, the line still held.
    let stood = registry
        .as_of(day(2025, 4, 15))
        .as_recorded_on(day(2025, 4, 30))
        .reporting_chain("em-operational-delivery-board")?;
    assert_eq!(stood.len(), 3);
    // The other delivery board still reports up.
    assert_eq!(chain(&registry, "em-support-delivery-board", stop).len(), 3);
    // Stopping a line the body does not have is refused.
    let err = registry
        .stop_reporting(
            "em-regional-meeting",
            "em-joint-management-board",
            day(2025, 6, 1),
        )
        .expect_err("no such line");
    assert_eq!(err.kind(), ErrorKind::NotAMember);
    Ok(())
}

#[test]
fn a_body_governs_only_while_its_spell_holds() -> Result {
    let mut registry = sample();
    let board = "em-operational-delivery-board".to_string();
    let programme = Some("em-collaboration-programme".to_string());
    let stop = day(2026, 4, 1);
    registry.stop_governing("em-operational-delivery-board", "em-major-crime", stop)?;
    assert_eq!(
        governing(&registry, "em-major-crime", day(2026, 3, 31))[0],
        (board.clone(), None)
    );
    assert_eq!(
        governing(&registry, "em-major-crime", stop),
        [
            ("em-joint-management-board".to_string(), programme.clone()),
            ("em-regional-meeting".to_string(), programme.clone()),
        ]
    );
    // The reviews go to the nearest bodies of the day.
    let groups = registry
        .as_of(day(2026, 11, 23))
        .reviews_by_body(day(2026, 12, 1), day(2026, 12, 1));
    let shape: Vec<(Option<&str>, usize)> = groups
        .iter()
        .map(|g| (g.body.map(|b| b.id.as_str()), g.reviews.len()))
        .collect();
    assert_eq!(
        shape,
        [
            (Some("em-joint-management-board"), 1),
            (Some("em-regional-meeting"), 1)
        ]
    );
    // A body that starts governing from a day governs from then.
    registry.govern(
        "em-support-delivery-board",
        Governs::new(
            AgreementId::new("em-major-crime")?,
            Spell::from_day(day(2026, 6, 1)),
        ),
    )?;
    assert_eq!(
        governing(&registry, "em-major-crime", day(2026, 5, 31)).len(),
        2
    );
    assert_eq!(
        governing(&registry, "em-major-crime", day(2026, 6, 1))[0],
        ("em-support-delivery-board".to_string(), None)
    );
    Ok(())
}

#[test]
fn the_umbrella_chain_is_the_one_of_the_day() -> Result {
    let mut registry = sample();
    // From 2027 major crime stands alone, outside the collaboration programme.
    registry.amend(
        "em-major-crime",
        day(2027, 1, 1),
        AmendmentKind::Variation,
        "Outside the programme",
        |t| {
            t.set_part_of(None);
        },
    )?;
    assert_eq!(
        governing(&registry, "em-major-crime", day(2026, 12, 31)).len(),
        3
    );
    assert_eq!(
        governing(&registry, "em-major-crime", day(2027, 1, 1)),
        [("em-operational-delivery-board".to_string(), None)]
    );
    Ok(())
}
