//! Votes weighted by cost share: a delivery board whose rule weighs each
//! force by what it pays (seed 004: "costs shared among the forces in each
//! collaboration"), worked out from the agreements the board governs on the
//! day, and a commissioner's seat weighed through the parties it oversees
//! that day.

use chrono::NaiveDate;
use collab_registry::model::{
    AgreementId, BodyId, BodyKind, Currency, DecisionRule, Fraction, GovernanceBody, Governs,
    Money, PartyId, Seat, SeatRole, Spell,
};
use collab_registry::questions::{TallyUnit, Vote, Weighing};
use collab_registry::{ErrorKind, Registry};
use serde_json::json;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a day"))
}

fn sample() -> Registry {
    collab_registry::sample().unwrap_or_else(|e| panic!("the sample loads: {e}"))
}

fn year(text: &str) -> collab_registry::model::FinancialYear {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} is not a year: {e}"))
}

fn id<T>(
    make: fn(&str) -> std::result::Result<T, collab_registry::model::IdError>,
    text: &str,
) -> T {
    make(text).unwrap_or_else(|e| panic!("{e}"))
}

/// A body weighted by cost share (at least half), governing `agreements`
/// always, with a one-vote seat for each of `seats`.
fn weighted_body(name: &str, agreements: &[&str], seats: &[&str]) -> GovernanceBody {
    let half = Fraction::new(1, 2).unwrap_or_else(|e| panic!("{e}"));
    let mut b = GovernanceBody::builder(
        id(BodyId::new, name),
        name,
        BodyKind::DeliveryBoard,
        DecisionRule::weighted_by_cost_share(half),
    );
    for a in agreements {
        b = b.governs(Governs::new(id(AgreementId::new, a), Spell::always()));
    }
    for s in seats {
        b = b.seat(Seat::new(
            id(PartyId::new, s),
            SeatRole::Member,
            1,
            Spell::always(),
        ));
    }
    b.build().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_operational_delivery_board_weighs_votes_by_each_forces_cost_share() -> Result {
    let registry = sample();
    let on = registry.as_of(day(2021, 4, 1));
    let board = "em-operational-delivery-board";
    // 2021/22, the three agreements the board governs (£30m + £21m + £5m):
    //   derbyshire       6,000,000.00 + 2,403,846.15              =  8,403,846.15
    //   leicestershire   6,000,000.00 + 5,250,000.00              = 11,250,000.00
    //   lincolnshire     6,000,000.00 + 5,250,000.00              = 11,250,000.00
    //   northamptonshire 6,000,000.00 + 5,250,000.00              = 11,250,000.00
    //   nottinghamshire  6,000,000.00 + 5,250,000.00 + 2,596,153.85 = 13,846,153.85
    // of £56m; the rule is at least 1/2, so £28m in favour.
    let votes = [
        ("derbyshire-police", Vote::For),
        ("leicestershire-police", Vote::For),
        ("lincolnshire-police", Vote::For),
        ("northamptonshire-police", Vote::Against),
        ("nottinghamshire-police", Vote::Against),
    ];
    let decision = on.decide_by_cost_share(board, &votes, year("2021/22"))?;
    assert_eq!(decision.weighing, TallyUnit::CostShare(Currency::GBP));
    assert_eq!(
        (decision.in_favour, decision.against, decision.total),
        (3_090_384_615, 2_509_615_385, 5_600_000_000)
    );
    assert_eq!(decision.needed, 2_800_000_000);
    assert!(decision.passes);
    assert!(decision.unweighted.is_empty());
    // The same figures handed to `decide` give the same answer.
    let shares: Vec<(&str, Money)> = [
        ("derbyshire-police", "8403846.15"),
        ("leicestershire-police", "11250000.00"),
        ("lincolnshire-police", "11250000.00"),
        ("northamptonshire-police", "11250000.00"),
        ("nottinghamshire-police", "13846153.85"),
    ]
    .iter()
    .map(|(p, m)| Ok((*p, Money::parse(m, Currency::GBP)?)))
    .collect::<Result<_>>()?;
    assert_eq!(
        on.decide(board, &votes, Weighing::CostShare(&shares))?,
        decision
    );

    // Three forces against the two largest payers: Nottinghamshire and
    // Leicestershire for is 25,096,153.85, short of half.
    let votes = [
        ("nottinghamshire-police", Vote::For),
        ("leicestershire-police", Vote::For),
        ("derbyshire-police", Vote::Abstain),
    ];
    let decision = on.decide_by_cost_share(board, &votes, year("2021/22"))?;
    assert_eq!(
        (decision.in_favour, decision.abstained, decision.absent),
        (2_509_615_385, 840_384_615, 2_250_000_000)
    );
    assert!(!decision.passes);

    // 2016/17: only operational support has a budget (£19m), shared by four
    // forces at £4.75m; Derbyshire had left, so its seat weighs nothing.
    // Leicestershire and Lincolnshire for is exactly half, which passes.
    let votes = [
        ("leicestershire-police", Vote::For),
        ("lincolnshire-police", Vote::For),
        ("derbyshire-police", Vote::For),
    ];
    let decision = on.decide_by_cost_share(board, &votes, year("2016/17"))?;
    assert_eq!(
        (decision.in_favour, decision.total, decision.needed),
        (950_000_000, 1_900_000_000, 950_000_000)
    );
    assert!(decision.passes);
    let unweighted: Vec<&str> = decision.unweighted.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(unweighted, ["derbyshire-police"]);

    // No agreement the board governs has a budget for 2019/20.
    let err = on
        .decide_by_cost_share(board, &votes, year("2019/20"))
        .err();
    assert_eq!(
        err.as_ref().map(collab_registry::Error::kind),
        Some(ErrorKind::MissingCostInput)
    );
    assert_eq!(err.as_ref().and_then(|e| e.body_id()), Some(board));
    Ok(())
}

#[test]
fn a_board_that_decides_by_simple_majority_counts_votes_not_money() -> Result {
    let registry = sample();
    let votes = [
        ("derbyshire-police", Vote::For),
        ("nottinghamshire-police", Vote::For),
    ];
    let decision = registry.as_of(day(2021, 4, 1)).decide_by_cost_share(
        "em-support-delivery-board",
        &votes,
        year("2021/22"),
    )?;
    assert_eq!(decision.weighing, TallyUnit::Votes);
    assert_eq!((decision.in_favour, decision.total), (2, 3));
    assert!(decision.passes);
    Ok(())
}

#[test]
fn a_commissioner_sitting_for_its_force_weighs_what_the_force_pays() -> Result {
    // Derbyshire's commissioner takes a seat on the operational delivery
    // board beside the five forces. It oversees Derbyshire Police, so it
    // weighs the force's 8,403,846.15, which then counts twice: the total is
    // 56,000,000.00 + 8,403,846.15 = 64,403,846.15, and half is needed.
    let mut registry = sample();
    let board = "em-operational-delivery-board";
    registry.add_seat(
        board,
        Seat::new(
            id(PartyId::new, "derbyshire-pcc"),
            SeatRole::Member,
            1,
            Spell::from_day(day(2021, 1, 1)),
        ),
    )?;
    let on = registry.as_of(day(2021, 4, 1));
    let votes = [
        ("derbyshire-pcc", Vote::For),
        ("derbyshire-police", Vote::For),
        ("nottinghamshire-police", Vote::For),
    ];
    let decision = on.decide_by_cost_share(board, &votes, year("2021/22"))?;
    assert_eq!(decision.total, 6_440_384_615);
    // 8,403,846.15 × 2 + 13,846,153.85 = 30,653,846.15 of 64,403,846.15: short.
    assert_eq!(decision.in_favour, 3_065_384_615);
    assert_eq!(decision.needed, 3_220_192_308);
    assert!(!decision.passes);
    let pcc = decision
        .ballots
        .iter()
        .find(|b| b.party.id.as_str() == "derbyshire-pcc")
        .ok_or("the commissioner's ballot")?;
    assert_eq!(pcc.weight, 840_384_615);
    // Before it took its seat it could not vote.
    let err = registry
        .as_of(day(2020, 12, 31))
        .decide_by_cost_share(board, &votes, year("2021/22"))
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::NotAMember));
    Ok(())
}

#[test]
fn a_commissioner_weighs_only_the_parties_it_oversees_on_the_day() -> Result {
    // Northamptonshire's fire service passed from the county council to the
    // commissioner on 1 January 2019 (seed 001). A board over the enabling
    // services seats both; the 2021/22 shares are police 8,585,011.19 and
    // fire 1,414,988.81.
    let mut registry = sample();
    registry.add_body(weighted_body(
        "northamptonshire-enabling-oversight",
        &["northamptonshire-enabling-services"],
        &["northamptonshire-pfcc", "northamptonshire-county-council"],
    ))?;
    let body = "northamptonshire-enabling-oversight";
    let y = year("2021/22");
    let weights = |on: NaiveDate| -> Result<Vec<(String, u64)>> {
        let decision = registry.as_of(on).decide_by_cost_share(
            body,
            &[("northamptonshire-pfcc", Vote::For)],
            y,
        )?;
        Ok(decision
            .ballots
            .iter()
            .map(|b| (b.party.id.to_string(), b.weight))
            .collect())
    };
    // In 2021 the commissioner oversees both: it weighs the whole £10m, and
    // the council, overseeing neither, weighs nothing.
    assert_eq!(
        weights(day(2021, 4, 1))?,
        [
            ("northamptonshire-county-council".to_string(), 0),
            ("northamptonshire-pfcc".to_string(), 1_000_000_000),
        ]
    );
    let decision = registry.as_of(day(2021, 4, 1)).decide_by_cost_share(
        body,
        &[("northamptonshire-pfcc", Vote::For)],
        y,
    )?;
    assert!(decision.passes);
    let unweighted: Vec<&str> = decision.unweighted.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(unweighted, ["northamptonshire-county-council"]);
    // In 2018 the council still oversaw the fire service: it weighs the
    // fire share, the commissioner the police share.
    assert_eq!(
        weights(day(2018, 6, 1))?,
        [
            ("northamptonshire-county-council".to_string(), 141_498_881),
            ("northamptonshire-pfcc".to_string(), 858_501_119),
        ]
    );
    let council = registry.as_of(day(2018, 6, 1)).decide_by_cost_share(
        body,
        &[("northamptonshire-county-council", Vote::For)],
        y,
    )?;
    assert!(!council.passes);
    Ok(())
}

#[test]
fn only_the_agreements_governed_on_the_day_weigh() -> Result {
    // A board governs major crime always and public order only until
    // 1 October 2021. Derbyshire and Nottinghamshire sit on it.
    //   before: 6,000,000.00 + 2,403,846.15 = 8,403,846.15 against
    //           6,000,000.00 + 2,596,153.85 = 8,596,153.85
    //   after:  6,000,000.00 each: a tie at exactly half, which passes.
    let mut registry = sample();
    let half = Fraction::new(1, 2)?;
    let body = GovernanceBody::builder(
        id(BodyId::new, "crime-and-order-board"),
        "Crime and order board",
        BodyKind::DeliveryBoard,
        DecisionRule::weighted_by_cost_share(half),
    )
    .governs(Governs::new(
        id(AgreementId::new, "em-major-crime"),
        Spell::always(),
    ))
    .governs(Governs::new(
        id(AgreementId::new, "em-public-order"),
        Spell::always().until(day(2021, 10, 1)),
    ))
    .seat(Seat::new(
        id(PartyId::new, "derbyshire-police"),
        SeatRole::Member,
        1,
        Spell::always(),
    ))
    .seat(Seat::new(
        id(PartyId::new, "nottinghamshire-police"),
        SeatRole::Chair,
        1,
        Spell::always(),
    ))
    .build()?;
    registry.add_body(body)?;
    let votes = [("derbyshire-police", Vote::For)];
    let before = registry.as_of(day(2021, 6, 1)).decide_by_cost_share(
        "crime-and-order-board",
        &votes,
        year("2021/22"),
    )?;
    assert_eq!(
        (before.in_favour, before.total, before.passes),
        (840_384_615, 1_700_000_000, false)
    );
    let after = registry.as_of(day(2021, 11, 1)).decide_by_cost_share(
        "crime-and-order-board",
        &votes,
        year("2021/22"),
    )?;
    assert_eq!(
        (after.in_favour, after.total, after.passes),
        (600_000_000, 1_200_000_000, true)
    );
    Ok(())
}

#[test]
fn bad_questions_are_refused_by_kind() {
    let registry = sample();
    let on = registry.as_of(day(2021, 4, 1));
    let kind = |r: std::result::Result<_, collab_registry::Error>| r.err().map(|e| e.kind());
    let y = year("2021/22");
    assert_eq!(
        kind(on.decide_by_cost_share("no-such-board", &[], y)),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        kind(on.decide_by_cost_share(
            "em-operational-delivery-board",
            &[("bedfordshire-police", Vote::For)],
            y
        )),
        Some(ErrorKind::NotAMember)
    );
    assert_eq!(
        kind(on.decide_by_cost_share(
            "em-operational-delivery-board",
            &[
                ("derbyshire-police", Vote::For),
                ("derbyshire-police", Vote::Against)
            ],
            y
        )),
        Some(ErrorKind::InvalidValue)
    );
}

#[test]
fn a_cost_weighted_decision_serialises_with_each_ballot_and_share() -> Result {
    let registry = sample();
    let decision = registry.as_of(day(2021, 4, 1)).decide_by_cost_share(
        "em-operational-delivery-board",
        &[("derbyshire-police", Vote::For)],
        year("2021/22"),
    )?;
    let value = serde_json::to_value(&decision)?;
    assert_eq!(
        value["weighing"],
        json!({"unit": "cost_share", "currency": "GBP"})
    );
    let ballot = value["ballots"]
        .as_array()
        .and_then(|b| {
            b.iter()
                .find(|b| b["party"]["id"] == json!("derbyshire-police"))
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        ballot["share"],
        json!({"amount": "8403846.15", "currency": "GBP"})
    );
    assert_eq!(ballot["vote"], json!("for"));
    Ok(())
}
