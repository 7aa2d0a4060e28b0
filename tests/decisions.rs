//! Whether a proposal passes: on the sample's East Midlands boards (seed
//! 004: "a joint management board and delivery boards involving PCCs and
//! Chief Constables") and on hand-made boards with hand-worked votes, each
//! counted with the seats held and the rule in force on the day asked.

use chrono::NaiveDate;
use collab_registry::model::{
    AmendmentKind, Currency, DecisionRule, Fraction, Money, PartyId, Seat, SeatRole, Spell,
};
use collab_registry::questions::{Decision, TallyUnit, Vote, Weighing};
use collab_registry::{ErrorKind, Registry};
use proptest::prelude::*;
use serde_json::{Value, json};

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

fn gbp(pounds: i64) -> Money {
    Money::from_minor(pounds * 100, Currency::GBP)
}

/// Every seat of a sample body held on `on` votes `vote`, except those listed.
fn ballots<'a>(
    registry: &'a Registry,
    on: NaiveDate,
    body: &str,
    vote: Vote,
    except: &[(&'a str, Vote)],
) -> Vec<(&'a str, Vote)> {
    let view = registry.as_of(on).body(body).expect("a sample body");
    view.seats()
        .map(|s| {
            let party = s.party.as_str();
            except
                .iter()
                .find(|(p, _)| *p == party)
                .copied()
                .unwrap_or((party, vote))
        })
        .collect()
}

/// A hand-made body: its id, its seats as `(party, votes)`, and its rule.
type Board<'a> = (&'a str, &'a [(&'a str, u32)], Value);

/// A hand-made registry of parties `a` to `e` and these bodies.
fn boards(bodies: &[Board<'_>]) -> Registry {
    let parties: Vec<Value> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|p| json!({"id": p, "name": p, "kind": "police_force"}))
        .collect();
    let bodies: Vec<Value> = bodies
        .iter()
        .map(|(id, seats, rule)| {
            let seats: Vec<Value> = seats
                .iter()
                .map(|(p, v)| json!({"party": p, "role": "member", "votes": v}))
                .collect();
            json!({"id": id, "name": id, "kind": "joint_committee", "seats": seats, "decision_rule": rule})
        })
        .collect();
    let doc = json!({"schema_version": 2, "currency": "GBP", "parties": parties, "bodies": bodies});
    Registry::from_json_str(&doc.to_string()).expect("the hand-made registry loads")
}

/// One board per rule; seats of one vote unless given otherwise.
fn rules() -> Registry {
    boards(&[
        (
            "simple",
            &[("a", 1), ("b", 1), ("c", 1), ("d", 1)],
            json!({"rule": "simple_majority"}),
        ),
        (
            "two-thirds",
            &[("a", 1), ("b", 1), ("c", 1)],
            json!({"rule": "qualified_majority", "at_least": "2/3"}),
        ),
        (
            "unanimous",
            &[("a", 1), ("b", 1), ("e", 0)],
            json!({"rule": "unanimity"}),
        ),
        (
            "weighted",
            &[("a", 1), ("b", 1), ("c", 1), ("e", 0)],
            json!({"rule": "weighted_by_cost_share", "at_least": "1/2"}),
        ),
        (
            "advisers-only",
            &[("a", 0), ("b", 0)],
            json!({"rule": "simple_majority"}),
        ),
        (
            "block-vote",
            &[("a", 3), ("b", 1), ("c", 1)],
            json!({"rule": "simple_majority"}),
        ),
    ])
}

fn decide<'a>(
    registry: &'a Registry,
    body: &str,
    votes: &[(&str, Vote)],
    weighing: Weighing<'_>,
) -> std::result::Result<Decision<'a>, collab_registry::Error> {
    registry
        .as_of(day(2021, 1, 1))
        .decide(body, votes, weighing)
}

#[test]
fn the_regional_meeting_decides_unanimously() -> Result {
    let registry = sample();
    let q = registry.as_of(today());
    let all = ballots(&registry, today(), "em-regional-meeting", Vote::For, &[]);
    let yes = q.decide("em-regional-meeting", &all, Weighing::Votes)?;
    assert!(yes.passes);
    assert_eq!((yes.in_favour, yes.total, yes.needed), (10, 10, 10));
    // One abstention blocks unanimity, and so does one absence.
    let abstain = ballots(
        &registry,
        today(),
        "em-regional-meeting",
        Vote::For,
        &[("lincolnshire-pcc", Vote::Abstain)],
    );
    let no = q.decide("em-regional-meeting", &abstain, Weighing::Votes)?;
    assert!(!no.passes);
    assert_eq!((no.in_favour, no.abstained), (9, 1));
    let absent: Vec<(&str, Vote)> = all[1..].to_vec();
    let no = q.decide("em-regional-meeting", &absent, Weighing::Votes)?;
    assert!(!no.passes);
    assert_eq!(no.absent, 1);
    let missing = no
        .ballots
        .iter()
        .find(|b| b.vote.is_none())
        .ok_or("one seat cast no ballot")?;
    assert_eq!(missing.party.id.as_str(), all[0].0);
    Ok(())
}

#[test]
fn the_joint_management_board_needs_two_thirds_of_ten() -> Result {
    let registry = sample();
    let q = registry.as_of(today());
    // 2/3 of 10 is 6.67, so 7 votes are needed.
    let seven = ballots(
        &registry,
        today(),
        "em-joint-management-board",
        Vote::For,
        &[
            ("derbyshire-pcc", Vote::Against),
            ("derbyshire-police", Vote::Against),
            ("lincolnshire-pcc", Vote::Against),
        ],
    );
    let d = q.decide("em-joint-management-board", &seven, Weighing::Votes)?;
    assert_eq!(
        (d.in_favour, d.against, d.needed, d.passes),
        (7, 3, 7, true)
    );
    assert_eq!(d.body.name, "East Midlands joint management board");
    let six = ballots(
        &registry,
        today(),
        "em-joint-management-board",
        Vote::For,
        &[
            ("derbyshire-pcc", Vote::Against),
            ("derbyshire-police", Vote::Against),
            ("lincolnshire-pcc", Vote::Against),
            ("lincolnshire-police", Vote::Abstain),
        ],
    );
    let d = q.decide("em-joint-management-board", &six, Weighing::Votes)?;
    assert_eq!((d.in_favour, d.abstained, d.passes), (6, 1, false));
    Ok(())
}

#[test]
fn the_operational_delivery_board_weighs_cost_shares() -> Result {
    let registry = sample();
    let q = registry.as_of(today());
    // Illustrative shares: Nottinghamshire as lead pays most.
    let shares = [
        ("nottinghamshire-police", gbp(4_000_000)),
        ("derbyshire-police", gbp(1_500_000)),
        ("leicestershire-police", gbp(1_500_000)),
        ("lincolnshire-police", gbp(1_500_000)),
        ("northamptonshire-police", gbp(1_500_000)),
    ];
    // 4.0m + 1.5m = 5.5m of 10m: more than half.
    let two = [
        ("nottinghamshire-police", Vote::For),
        ("derbyshire-police", Vote::For),
        ("leicestershire-police", Vote::Against),
        ("lincolnshire-police", Vote::Against),
        ("northamptonshire-police", Vote::Against),
    ];
    let d = q.decide(
        "em-operational-delivery-board",
        &two,
        Weighing::CostShare(&shares),
    )?;
    assert!(d.passes);
    assert_eq!(d.weighing, TallyUnit::CostShare(Currency::GBP));
    assert_eq!(d.in_favour, 550_000_000);
    assert_eq!(d.total, 1_000_000_000);
    assert_eq!(d.needed, 500_000_000);
    // Three of five seats, but only 4.5m of 10m: fails though a head count would pass.
    let three = [
        ("nottinghamshire-police", Vote::Against),
        ("derbyshire-police", Vote::For),
        ("leicestershire-police", Vote::For),
        ("lincolnshire-police", Vote::For),
    ];
    let d = q.decide(
        "em-operational-delivery-board",
        &three,
        Weighing::CostShare(&shares),
    )?;
    assert!(!d.passes);
    assert_eq!((d.in_favour, d.absent), (450_000_000, 150_000_000));
    // The rule weighs cost shares, so counting heads is refused.
    let err = q
        .decide("em-operational-delivery-board", &three, Weighing::Votes)
        .expect_err("no shares given");
    assert_eq!(err.kind(), ErrorKind::MissingCostInput);
    assert_eq!(err.body_id(), Some("em-operational-delivery-board"));
    Ok(())
}

#[test]
fn a_simple_majority_is_more_than_half_of_all_votes_and_a_tie_fails() -> Result {
    use Vote::*;
    let registry = rules();
    let tie = decide(
        &registry,
        "simple",
        &[("a", For), ("b", For), ("c", Against), ("d", Against)],
        Weighing::Votes,
    )?;
    assert_eq!((tie.in_favour, tie.needed, tie.passes), (2, 3, false));
    let three = decide(
        &registry,
        "simple",
        &[("a", For), ("b", For), ("c", For), ("d", Against)],
        Weighing::Votes,
    )?;
    assert!(three.passes);
    // Two for, none against, two absent: more for than against, but not
    // more than half of the board.
    let thin = decide(
        &registry,
        "simple",
        &[("a", For), ("b", For)],
        Weighing::Votes,
    )?;
    assert_eq!((thin.absent, thin.passes), (2, false));
    // A seat with three votes carries them all.
    let block = decide(&registry, "block-vote", &[("a", For)], Weighing::Votes)?;
    assert_eq!((block.in_favour, block.total, block.passes), (3, 5, true));
    // Shares given to a rule that counts votes are ignored.
    let shares = [("a", gbp(1)), ("b", gbp(99))];
    let same = decide(
        &registry,
        "block-vote",
        &[("a", For)],
        Weighing::CostShare(&shares),
    )?;
    assert_eq!(same, block);
    Ok(())
}

#[test]
fn exactly_two_thirds_passes_a_two_thirds_rule() -> Result {
    use Vote::*;
    let registry = rules();
    let exactly = decide(
        &registry,
        "two-thirds",
        &[("a", For), ("b", For), ("c", Against)],
        Weighing::Votes,
    )?;
    assert_eq!((exactly.in_favour, exactly.total), (2, 3));
    assert!(exactly.passes);
    let short = decide(
        &registry,
        "two-thirds",
        &[("a", For), ("b", Abstain), ("c", Against)],
        Weighing::Votes,
    )?;
    assert!(!short.passes);
    Ok(())
}

#[test]
fn a_seat_without_votes_neither_counts_nor_blocks() -> Result {
    use Vote::*;
    let registry = rules();
    let d = decide(
        &registry,
        "unanimous",
        &[("a", For), ("b", For), ("e", Against)],
        Weighing::Votes,
    )?;
    assert!(d.passes);
    assert_eq!((d.total, d.against), (2, 0));
    assert_eq!(d.without_vote.len(), 1);
    assert_eq!(d.without_vote[0].id.as_str(), "e");
    let err = decide(&registry, "advisers-only", &[("a", For)], Weighing::Votes)
        .expect_err("a body without votes cannot decide");
    assert_eq!(err.kind(), ErrorKind::NothingToAsk);
    Ok(())
}

#[test]
fn cost_shares_weigh_votes_exactly() -> Result {
    use Vote::*;
    let registry = rules();
    // a and b pay half between them: exactly 1/2 passes.
    let shares = [
        ("a", gbp(30)),
        ("b", gbp(20)),
        ("c", gbp(50)),
        ("e", gbp(999)),
    ];
    let half = decide(
        &registry,
        "weighted",
        &[("a", For), ("b", For), ("c", Against)],
        Weighing::CostShare(&shares),
    )?;
    assert!(half.passes);
    // e holds a seat without votes, so its share does not weigh.
    assert_eq!(
        (half.in_favour, half.total, half.needed),
        (5000, 10000, 5000)
    );
    let e = half
        .ballots
        .iter()
        .find(|b| b.party.id.as_str() == "e")
        .ok_or("e holds a seat")?;
    assert_eq!((e.votes, e.weight, e.share), (0, 0, None));
    // One penny short of half fails.
    let shares = [
        ("a", gbp(30)),
        ("b", Money::from_minor(1999, Currency::GBP)),
        ("c", Money::from_minor(5001, Currency::GBP)),
    ];
    let short = decide(
        &registry,
        "weighted",
        &[("a", For), ("b", For), ("c", Against)],
        Weighing::CostShare(&shares),
    )?;
    assert!(!short.passes);
    // A voting party given no share weighs nothing, and is named.
    let partial = decide(
        &registry,
        "weighted",
        &[("a", For)],
        Weighing::CostShare(&[("a", gbp(1)), ("b", gbp(1))]),
    )?;
    assert!(partial.passes);
    assert_eq!(partial.unweighted.len(), 1);
    assert_eq!(partial.unweighted[0].id.as_str(), "c");
    Ok(())
}

#[test]
fn bad_ballots_and_shares_are_refused_with_the_kind_of_fault() {
    use Vote::*;
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, Vote)>,
        Vec<(&'a str, Money)>,
        ErrorKind,
    );
    let registry = rules();
    let euros = Money::from_minor(100, Currency::new("EUR").expect("a currency"));
    let cases: [Case; 8] = [
        // e holds no seat on the simple board.
        ("simple", vec![("e", For)], vec![], ErrorKind::NotAMember),
        (
            "simple",
            vec![("a", For), ("a", Against)],
            vec![],
            ErrorKind::InvalidValue,
        ),
        ("simple", vec![("zz", For)], vec![], ErrorKind::UnknownId),
        (
            "weighted",
            vec![("a", For)],
            vec![],
            ErrorKind::MissingCostInput,
        ),
        (
            "weighted",
            vec![("a", For)],
            vec![("a", gbp(-1))],
            ErrorKind::InvalidValue,
        ),
        (
            "weighted",
            vec![("a", For)],
            vec![("a", gbp(1)), ("a", gbp(2))],
            ErrorKind::InvalidValue,
        ),
        (
            "weighted",
            vec![("a", For)],
            vec![("a", gbp(0)), ("b", gbp(0))],
            ErrorKind::MissingCostInput,
        ),
        (
            "weighted",
            vec![("a", For)],
            vec![("a", gbp(1)), ("b", euros)],
            ErrorKind::Money,
        ),
    ];
    for (body, votes, shares, expected) in cases {
        let err =
            decide(&registry, body, &votes, Weighing::CostShare(&shares)).expect_err("refused");
        assert_eq!(err.kind(), expected, "{err}");
    }
    let err = decide(&registry, "nobody", &[], Weighing::Votes).expect_err("unknown body");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    assert_eq!(err.body_id(), Some("nobody"));
}

#[test]
fn a_seat_added_from_a_day_counts_only_from_that_day() -> Result {
    let mut registry = sample();
    let from = day(2022, 4, 1);
    registry.add_seat(
        "em-support-delivery-board",
        Seat::new(
            PartyId::new("lincolnshire-police")?,
            SeatRole::Member,
            1,
            Spell::from_day(from),
        ),
    )?;
    let before = day(2022, 3, 31);
    let all = ballots(
        &registry,
        before,
        "em-support-delivery-board",
        Vote::For,
        &[],
    );
    let d = registry
        .as_of(before)
        .decide("em-support-delivery-board", &all, Weighing::Votes)?;
    assert_eq!((d.total, d.needed), (3, 2));
    // Before its day the new seat-holder cannot vote.
    let err = registry
        .as_of(before)
        .decide(
            "em-support-delivery-board",
            &[("lincolnshire-police", Vote::For)],
            Weighing::Votes,
        )
        .expect_err("no seat yet");
    assert_eq!(err.kind(), ErrorKind::NotAMember);
    assert_eq!(err.party_id(), Some("lincolnshire-police"));
    // From its day it is part of the strength, absent or not.
    let d = registry
        .as_of(from)
        .decide("em-support-delivery-board", &all, Weighing::Votes)?;
    assert_eq!((d.in_favour, d.absent, d.total, d.needed), (3, 1, 4, 3));
    assert!(d.passes);
    let split = ballots(
        &registry,
        from,
        "em-support-delivery-board",
        Vote::For,
        &[
            ("lincolnshire-police", Vote::Against),
            ("leicestershire-police", Vote::Against),
        ],
    );
    assert_eq!(split.len(), 4);
    let d = registry
        .as_of(from)
        .decide("em-support-delivery-board", &split, Weighing::Votes)?;
    assert!(!d.passes, "two of four is a tie, and a tie fails");
    Ok(())
}

#[test]
fn a_seat_that_ends_stops_counting() -> Result {
    let mut registry = sample();
    registry.end_seat(
        "em-support-delivery-board",
        "leicestershire-police",
        day(2023, 4, 1),
    )?;
    let all = |d| ballots(&registry, d, "em-support-delivery-board", Vote::For, &[]);
    let before = registry.as_of(day(2023, 3, 31)).decide(
        "em-support-delivery-board",
        &all(day(2023, 3, 31)),
        Weighing::Votes,
    )?;
    let after = registry.as_of(day(2023, 4, 1)).decide(
        "em-support-delivery-board",
        &all(day(2023, 4, 1)),
        Weighing::Votes,
    )?;
    assert_eq!((before.total, after.total), (3, 2));
    Ok(())
}

#[test]
fn the_rule_of_the_day_decides() -> Result {
    let mut registry = sample();
    // The support delivery board moves to unanimity from 1 April 2024.
    registry.amend_body(
        "em-support-delivery-board",
        day(2024, 4, 1),
        AmendmentKind::Variation,
        "Unanimity",
        |t| t.decision_rule = DecisionRule::unanimity(),
    )?;
    let votes = [
        ("derbyshire-police", Vote::For),
        ("nottinghamshire-police", Vote::For),
        ("leicestershire-police", Vote::Against),
    ];
    let before = registry.as_of(day(2024, 3, 31)).decide(
        "em-support-delivery-board",
        &votes,
        Weighing::Votes,
    )?;
    let after = registry.as_of(day(2024, 4, 1)).decide(
        "em-support-delivery-board",
        &votes,
        Weighing::Votes,
    )?;
    assert!(before.passes && !after.passes);
    assert_eq!(before.rule, &DecisionRule::simple_majority());
    assert_eq!(after.rule, &DecisionRule::unanimity());
    assert_eq!((before.needed, after.needed), (2, 3));
    // Two thirds of three is two: exactly enough.
    registry.amend_body(
        "em-support-delivery-board",
        day(2025, 4, 1),
        AmendmentKind::Variation,
        "Two thirds",
        |t| t.decision_rule = DecisionRule::qualified_majority(Fraction::new(2, 3).expect("2/3")),
    )?;
    let later = registry.as_of(day(2025, 4, 1)).decide(
        "em-support-delivery-board",
        &votes,
        Weighing::Votes,
    )?;
    assert!(later.passes);
    assert!(
        !registry
            .as_of(day(2024, 6, 1))
            .decide("em-support-delivery-board", &votes, Weighing::Votes)?
            .passes
    );
    Ok(())
}

#[test]
fn a_decision_serialises_with_its_rule_tally_and_ballots() -> Result {
    let registry = sample();
    let all = ballots(
        &registry,
        today(),
        "em-support-delivery-board",
        Vote::For,
        &[("leicestershire-police", Vote::Abstain)],
    );
    let d = registry
        .as_of(today())
        .decide("em-support-delivery-board", &all, Weighing::Votes)?;
    let value = serde_json::to_value(&d)?;
    assert_eq!(value["body"]["id"], "em-support-delivery-board");
    assert_eq!(value["rule"], json!({"rule": "simple_majority"}));
    assert_eq!(value["weighing"], json!({"unit": "votes"}));
    assert_eq!(value["passes"], true);
    assert_eq!(
        [
            &value["in_favour"],
            &value["against"],
            &value["abstained"],
            &value["absent"],
            &value["total"],
            &value["needed"]
        ],
        [
            &json!(2),
            &json!(0),
            &json!(1),
            &json!(0),
            &json!(3),
            &json!(2)
        ]
    );
    assert_eq!(value["without_vote"], json!([]));
    assert_eq!(value["unweighted"], json!([]));
    assert_eq!(
        value["ballots"][1],
        json!({
            "party": {"id": "leicestershire-police", "name": "Leicestershire Police"},
            "vote": "abstain", "votes": 1, "weight": 1, "share": null,
        })
    );
    // Under a rule weighted by cost share, the share is money with its currency.
    let shares = [
        ("nottinghamshire-police", gbp(4_000_000)),
        ("derbyshire-police", gbp(1_500_000)),
    ];
    let d = registry.as_of(today()).decide(
        "em-operational-delivery-board",
        &[("nottinghamshire-police", Vote::For)],
        Weighing::CostShare(&shares),
    )?;
    let value = serde_json::to_value(&d)?;
    assert_eq!(
        value["weighing"],
        json!({"unit": "cost_share", "currency": "GBP"})
    );
    let notts = value["ballots"]
        .as_array()
        .and_then(|b| {
            b.iter()
                .find(|b| b["party"]["id"] == "nottinghamshire-police")
        })
        .ok_or("a ballot for Nottinghamshire")?;
    assert_eq!(
        notts["share"],
        json!({"amount": "4000000.00", "currency": "GBP"})
    );
    assert_eq!(notts["weight"], 400_000_000);
    assert_eq!(value["unweighted"].as_array().map(Vec::len), Some(3));
    Ok(())
}

proptest! {
    /// Whatever the votes, a qualified majority passes exactly when the
    /// votes in favour reach the fraction, and `needed` is the threshold.
    #[test]
    fn a_qualified_majority_matches_exact_fractions(
        seats in proptest::collection::vec(0u32..4, 1..8),
        votes in proptest::collection::vec(0u8..4, 8),
        numerator in 1u32..12,
        extra in 0u32..12,
    ) {
        let denominator = numerator + extra;
        let ids: Vec<String> = (0..seats.len()).map(|i| format!("p{i}")).collect();
        let parties: Vec<Value> = ids.iter().map(|p| json!({"id": p, "name": p, "kind": "police_force"})).collect();
        let seat_list: Vec<Value> = ids.iter().zip(&seats)
            .map(|(p, v)| json!({"party": p, "role": "member", "votes": v}))
            .collect();
        let doc = json!({"schema_version": 2, "currency": "GBP", "parties": parties, "bodies": [{
            "id": "board", "name": "board", "kind": "joint_committee", "seats": seat_list,
            "decision_rule": {"rule": "qualified_majority", "at_least": format!("{numerator}/{denominator}")},
        }]});
        let registry = Registry::from_json_str(&doc.to_string()).expect("the board loads");
        let ballots: Vec<(&str, Vote)> = ids.iter().zip(&votes).filter_map(|(id, v)| match v {
            0 => Some((id.as_str(), Vote::For)),
            1 => Some((id.as_str(), Vote::Against)),
            2 => Some((id.as_str(), Vote::Abstain)),
            _ => None,
        }).collect();
        let total: u64 = seats.iter().map(|v| u64::from(*v)).sum();
        let in_favour: u64 = ids.iter().zip(&votes).zip(&seats)
            .filter(|((_, v), _)| **v == 0)
            .map(|(_, s)| u64::from(*s))
            .sum();
        match registry.as_of(day(2021, 1, 1)).decide("board", &ballots, Weighing::Votes) {
            Ok(d) => {
                prop_assert_eq!(d.total, total);
                prop_assert_eq!(d.in_favour, in_favour);
                prop_assert_eq!(d.in_favour + d.against + d.abstained + d.absent, d.total);
                let exact = u128::from(in_favour) * u128::from(denominator)
                    >= u128::from(total) * u128::from(numerator);
                prop_assert_eq!(d.passes, exact);
                prop_assert_eq!(d.passes, d.in_favour >= d.needed);
                prop_assert!(d.needed <= d.total);
            }
            Err(e) => {
                prop_assert_eq!(total, 0, "refused: {}", e);
                prop_assert_eq!(e.kind(), ErrorKind::NothingToAsk);
            }
        }
    }
}
