//! Who governs what, who sits where, who reports to whom, and whether a
//! proposal passes: on the sample's East Midlands boards (seed 004: "a joint
//! management board and delivery boards involving PCCs and Chief
//! Constables") and on hand-made boards with hand-worked votes.

mod handmade;

use chrono::NaiveDate;
use collab_registry::{
    BodyKind, Currency, Decision, DecisionRule, Error, Money, Registry, SeatRole, Vote, Weighing,
};
use handmade::Handmade;
use proptest::prelude::*;
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

fn gbp(pounds: i64) -> Money {
    Money::from_minor(pounds * 100, Currency::GBP)
}

/// Every seat of a sample body votes `vote`, except those listed.
fn ballots<'a>(
    registry: &'a Registry,
    body: &str,
    vote: Vote,
    except: &[(&'a str, Vote)],
) -> Vec<(&'a str, Vote)> {
    let seats = &registry.body(body).expect("a sample body").seats;
    seats
        .iter()
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

#[test]
fn which_bodies_govern_major_crime() -> Result {
    let registry = sample();
    let bodies = registry.as_of(today()).governing_bodies("em-major-crime")?;
    let got: Vec<(&str, Option<&str>)> = bodies
        .iter()
        .map(|b| (b.body.as_str(), b.through.map(|a| a.as_str())))
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
    // The BCH alliance records no body.
    assert!(
        registry
            .as_of(today())
            .governing_bodies("bch-operational-support")?
            .is_empty()
    );
    Ok(())
}

#[test]
fn which_boards_does_the_northamptonshire_commissioner_sit_on() -> Result {
    // Seed 000: "I sit on the boards of the College of Policing, the National
    // Enabling Programme (NEP) and the Emergency Services Mobile
    // Communications Programme."
    let registry = sample();
    let seats = registry.as_of(today()).seats_of("northamptonshire-pfcc")?;
    let got: Vec<(&str, SeatRole)> = seats.iter().map(|s| (s.body.as_str(), s.role)).collect();
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
    assert!(seats.iter().all(|s| s.votes == 1));
    assert!(registry.as_of(today()).seats_of("home-office")?.is_empty());
    Ok(())
}

#[test]
fn delivery_boards_report_up_to_the_regional_meeting() -> Result {
    let registry = sample();
    let chain = registry
        .as_of(today())
        .reporting_chain("em-operational-delivery-board")?;
    let got: Vec<(usize, &str)> = chain.iter().map(|c| (c.level, c.body.as_str())).collect();
    assert_eq!(
        got,
        [
            (0, "em-operational-delivery-board"),
            (1, "em-joint-management-board"),
            (2, "em-regional-meeting"),
        ]
    );
    let top = registry
        .as_of(today())
        .reporting_chain("em-regional-meeting")?;
    assert_eq!(top.len(), 1);
    let err = registry
        .as_of(today())
        .reporting_chain("atlantis-board")
        .expect_err("unknown body");
    assert_eq!(
        err.to_string(),
        "unknown governance body \"atlantis-board\""
    );
    Ok(())
}

#[test]
fn the_regional_meeting_decides_unanimously() -> Result {
    let registry = sample();
    let q = registry.as_of(today());
    let all = ballots(&registry, "em-regional-meeting", Vote::For, &[]);
    let yes = q.decide("em-regional-meeting", &all, &[])?;
    assert!(yes.passes);
    assert_eq!((yes.in_favour, yes.total, yes.needed), (10, 10, 10));
    // One abstention blocks unanimity, and so does one absence.
    let abstain = ballots(
        &registry,
        "em-regional-meeting",
        Vote::For,
        &[("lincolnshire-pcc", Vote::Abstain)],
    );
    let no = q.decide("em-regional-meeting", &abstain, &[])?;
    assert!(!no.passes);
    assert_eq!((no.in_favour, no.abstained), (9, 1));
    let absent: Vec<(&str, Vote)> = all[1..].to_vec();
    let no = q.decide("em-regional-meeting", &absent, &[])?;
    assert!(!no.passes);
    assert_eq!(no.absent, 1);
    Ok(())
}

#[test]
fn the_joint_management_board_needs_two_thirds_of_ten() -> Result {
    let registry = sample();
    let q = registry.as_of(today());
    // 2/3 of 10 is 6.67, so 7 votes are needed.
    let seven = ballots(
        &registry,
        "em-joint-management-board",
        Vote::For,
        &[
            ("derbyshire-pcc", Vote::Against),
            ("derbyshire-police", Vote::Against),
            ("lincolnshire-pcc", Vote::Against),
        ],
    );
    let d = q.decide("em-joint-management-board", &seven, &[])?;
    assert_eq!(
        (d.in_favour, d.against, d.needed, d.passes),
        (7, 3, 7, true)
    );
    let six = ballots(
        &registry,
        "em-joint-management-board",
        Vote::For,
        &[
            ("derbyshire-pcc", Vote::Against),
            ("derbyshire-police", Vote::Against),
            ("lincolnshire-pcc", Vote::Against),
            ("lincolnshire-police", Vote::Abstain),
        ],
    );
    let d = q.decide("em-joint-management-board", &six, &[])?;
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
    let d = q.decide("em-operational-delivery-board", &two, &shares)?;
    assert!(d.passes);
    assert_eq!(d.weighing, Weighing::CostShare(Currency::GBP));
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
    let d = q.decide("em-operational-delivery-board", &three, &shares)?;
    assert!(!d.passes);
    assert_eq!((d.in_favour, d.absent), (450_000_000, 150_000_000));
    Ok(())
}

/// A hand-made registry with one board per rule; seats of one vote unless
/// given otherwise.
fn boards() -> Registry {
    let five = ["a", "b", "c", "d", "e"];
    let mut h = Handmade::new().agreement("pact", &five);
    h = h
        .body(
            "simple",
            &[("a", 1), ("b", 1), ("c", 1), ("d", 1)],
            json!({"rule": "simple_majority"}),
        )
        .body(
            "two-thirds",
            &[("a", 1), ("b", 1), ("c", 1)],
            json!({"rule": "qualified_majority", "at_least": "2/3"}),
        )
        .body(
            "unanimous",
            &[("a", 1), ("b", 1), ("e", 0)],
            json!({"rule": "unanimity"}),
        )
        .body(
            "weighted",
            &[("a", 1), ("b", 1), ("c", 1), ("e", 0)],
            json!({"rule": "weighted_by_cost_share", "at_least": "1/2"}),
        )
        .body(
            "advisers-only",
            &[("a", 0), ("b", 0)],
            json!({"rule": "simple_majority"}),
        )
        .body(
            "block-vote",
            &[("a", 3), ("b", 1), ("c", 1)],
            json!({"rule": "simple_majority"}),
        );
    h.build()
}

fn decide<'a>(
    registry: &'a Registry,
    body: &str,
    votes: &[(&str, Vote)],
    shares: &[(&str, Money)],
) -> std::result::Result<Decision<'a>, String> {
    registry
        .as_of(day(2021, 1, 1))
        .decide(body, votes, shares)
        .map_err(|e| e.to_string())
}

#[test]
fn a_simple_majority_is_more_than_half_of_all_votes_and_a_tie_fails() -> Result {
    let registry = boards();
    use Vote::*;
    let tie = decide(
        &registry,
        "simple",
        &[("a", For), ("b", For), ("c", Against), ("d", Against)],
        &[],
    )?;
    assert_eq!((tie.in_favour, tie.needed, tie.passes), (2, 3, false));
    let three = decide(
        &registry,
        "simple",
        &[("a", For), ("b", For), ("c", For), ("d", Against)],
        &[],
    )?;
    assert!(three.passes);
    // Two for, none against, two absent: more for than against, but not
    // more than half of the board.
    let thin = decide(&registry, "simple", &[("a", For), ("b", For)], &[])?;
    assert_eq!((thin.absent, thin.passes), (2, false));
    // A seat with three votes carries them all.
    let block = decide(&registry, "block-vote", &[("a", For)], &[])?;
    assert_eq!((block.in_favour, block.total, block.passes), (3, 5, true));
    Ok(())
}

#[test]
fn exactly_two_thirds_passes_a_two_thirds_rule() -> Result {
    let registry = boards();
    use Vote::*;
    let exactly = decide(
        &registry,
        "two-thirds",
        &[("a", For), ("b", For), ("c", Against)],
        &[],
    )?;
    assert_eq!((exactly.in_favour, exactly.total), (2, 3));
    assert!(exactly.passes);
    let short = decide(
        &registry,
        "two-thirds",
        &[("a", For), ("b", Abstain), ("c", Against)],
        &[],
    )?;
    assert!(!short.passes);
    Ok(())
}

#[test]
fn a_seat_without_votes_neither_counts_nor_blocks() -> Result {
    let registry = boards();
    use Vote::*;
    let d = decide(
        &registry,
        "unanimous",
        &[("a", For), ("b", For), ("e", Against)],
        &[],
    )?;
    assert!(d.passes);
    assert_eq!((d.total, d.against), (2, 0));
    assert_eq!(d.without_vote.len(), 1);
    assert_eq!(d.without_vote[0].as_str(), "e");
    let err = decide(&registry, "advisers-only", &[("a", For)], &[])
        .expect_err("a body without votes cannot decide");
    assert!(
        err.contains("advisers-only has no seat with a vote"),
        "{err}"
    );
    Ok(())
}

#[test]
fn cost_shares_weigh_votes_exactly() -> Result {
    let registry = boards();
    use Vote::*;
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
        &shares,
    )?;
    assert!(half.passes);
    // e holds a seat without votes, so its share does not weigh.
    assert_eq!(
        (half.in_favour, half.total, half.needed),
        (5000, 10000, 5000)
    );
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
        &shares,
    )?;
    assert!(!short.passes);
    // A voting party given no share weighs nothing, and is named.
    let partial = decide(
        &registry,
        "weighted",
        &[("a", For)],
        &[("a", gbp(1)), ("b", gbp(1))],
    )?;
    assert!(partial.passes);
    assert_eq!(partial.unweighted.len(), 1);
    assert_eq!(partial.unweighted[0].as_str(), "c");
    Ok(())
}

#[test]
fn bad_ballots_and_shares_are_refused_with_the_reason() {
    let registry = boards();
    use Vote::*;
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, Vote)>,
        Vec<(&'a str, Money)>,
        &'a str,
    );
    let cases: [Case; 7] = [
        (
            "simple",
            vec![("e", For)],
            vec![],
            "e holds no seat on simple",
        ),
        (
            "simple",
            vec![("a", For), ("a", Against)],
            vec![],
            "a voted more than once",
        ),
        ("simple", vec![("zz", For)], vec![], "unknown party \"zz\""),
        (
            "weighted",
            vec![("a", For)],
            vec![],
            "no cost shares were given",
        ),
        (
            "weighted",
            vec![("a", For)],
            vec![("a", gbp(-1))],
            "the cost share of a is negative: -1.00",
        ),
        (
            "weighted",
            vec![("a", For)],
            vec![("a", gbp(1)), ("a", gbp(2))],
            "a has more than one cost share",
        ),
        (
            "weighted",
            vec![("a", For)],
            vec![("a", gbp(0)), ("b", gbp(0))],
            "no party with a vote on weighted has a cost share above zero",
        ),
    ];
    for (body, votes, shares, expected) in cases {
        let err = decide(&registry, body, &votes, &shares).expect_err(expected);
        assert!(err.contains(expected), "{err} should say {expected}");
    }
    let euros = Money::from_minor(100, Currency::new("EUR").expect("a currency"));
    let err = registry
        .as_of(day(2021, 1, 1))
        .decide("weighted", &[("a", For)], &[("a", gbp(1)), ("b", euros)])
        .expect_err("two currencies");
    assert!(matches!(err, Error::Money(_)), "{err}");
    let err = decide(&registry, "nobody", &[], &[]).expect_err("unknown body");
    assert_eq!(err, "unknown governance body \"nobody\"");
}

#[test]
fn a_decision_serialises_with_its_rule_and_tally() -> Result {
    let registry = sample();
    let all = ballots(&registry, "em-support-delivery-board", Vote::For, &[]);
    let d = registry
        .as_of(today())
        .decide("em-support-delivery-board", &all, &[])?;
    assert_eq!(
        serde_json::to_value(&d)?,
        json!({
            "body": "em-support-delivery-board",
            "rule": {"rule": "simple_majority"},
            "passes": true,
            "weighing": {"unit": "votes"},
            "in_favour": 3, "against": 0, "abstained": 0, "absent": 0,
            "total": 3, "needed": 2,
        })
    );
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
        let seat_list: Vec<(&str, u32)> = ids.iter().map(|s| s.as_str()).zip(seats.iter().copied()).collect();
        let members: Vec<&str> = ids.iter().map(|s| s.as_str()).chain(["q-one", "q-two"]).collect();
        let registry = Handmade::new()
            .agreement("pact", &members)
            .body("board", &seat_list, json!({"rule": "qualified_majority", "at_least": format!("{numerator}/{denominator}")}))
            .build();
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
        match registry.as_of(day(2021, 1, 1)).decide("board", &ballots, &[]) {
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
            }
        }
    }
}
