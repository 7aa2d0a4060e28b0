//! Changes through the registry's methods: each checks first, keeps history,
//! and changes nothing when it fails.

use chrono::NaiveDate;
use collab_registry::{
    AgreementId, AmendmentKind, Error, Extra, Membership, Party, PartyId, PartyKind, Provenance,
    Recorded, Registry, Review, Role, Status, When,
};
use proptest::prelude::*;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn sample() -> Registry {
    collab_registry::sample().expect("the sample loads")
}

fn member(party: &str, joined: NaiveDate) -> Membership {
    Membership {
        party: PartyId::new(party).expect("a slug"),
        role: Role::Member,
        joined,
        left: None,
        notice_served: None,
        recorded: Recorded::default(),
        illustrative: false,
        extra: Extra::new(),
    }
}

/// Runs a change that must fail, and checks the registry is byte-for-byte unchanged.
fn refused(
    registry: &mut Registry,
    change: impl FnOnce(&mut Registry) -> std::result::Result<(), Error>,
) -> Error {
    let before = registry.to_json_string();
    let err = change(registry).expect_err("the change is refused");
    assert_eq!(
        registry.to_json_string(),
        before,
        "a refused change changed the registry: {err}"
    );
    err
}

#[test]
fn a_party_joins_and_the_graph_sees_it() -> Result {
    let mut registry = sample();
    registry.join(
        "em-public-order",
        member("leicestershire-police", day(2022, 4, 1)),
    )?;
    let leics = registry.party_key("leicestershire-police")?;
    let ours = registry.agreement_key("em-public-order")?;
    assert!(
        registry
            .memberships_of(leics)
            .any(|(a, m)| a == ours && m.joined == day(2022, 4, 1))
    );
    let a = registry.agreement("em-public-order")?;
    assert!(!a.is_member("leicestershire-police", day(2022, 3, 31)));
    assert!(a.is_member("leicestershire-police", day(2022, 4, 1)));
    Ok(())
}

#[test]
fn joining_twice_or_as_an_unknown_party_is_refused() {
    let mut registry = sample();
    let err = refused(&mut registry, |r| {
        r.join(
            "em-public-order",
            member("derbyshire-police", day(2020, 1, 1)),
        )
    });
    assert!(
        err.to_string()
            .contains("party \"derbyshire-police\" is listed twice with overlapping periods"),
        "{err}"
    );
    let err = refused(&mut registry, |r| {
        r.join("em-public-order", member("kent-police", day(2020, 1, 1)))
    });
    assert!(
        err.to_string().contains("unknown party \"kent-police\""),
        "{err}"
    );
    let err = refused(&mut registry, |r| {
        r.join("no-such-agreement", member("kent-police", day(2020, 1, 1)))
    });
    assert!(
        matches!(err, Error::Unknown { ref id, .. } if id == "no-such-agreement"),
        "{err}"
    );
}

#[test]
fn notice_sets_the_withdrawal_date_from_the_leaving_rules() -> Result {
    let mut registry = sample();
    // em-operational-support: six months' notice, aligned to the financial year end.
    let out = registry.serve_notice(
        "em-operational-support",
        "lincolnshire-police",
        day(2021, 9, 30),
    )?;
    assert_eq!(out, day(2022, 4, 1));
    let ops = registry.agreement("em-operational-support")?;
    assert!(ops.is_member("lincolnshire-police", day(2022, 3, 31)));
    assert!(!ops.is_member("lincolnshire-police", day(2022, 4, 1)));
    // One day later and the withdrawal slips a whole year.
    let out = registry.serve_notice(
        "em-operational-support",
        "leicestershire-police",
        day(2021, 10, 2),
    )?;
    assert_eq!(out, day(2023, 4, 1));
    // The alliance: twelve months, not aligned; month-end clamping.
    let out = registry.serve_notice(
        "northants-leics-notts-alliance",
        "nottinghamshire-police",
        day(2020, 2, 29),
    )?;
    assert_eq!(out, day(2021, 2, 28));
    Ok(())
}

#[test]
fn notice_twice_or_from_a_non_member_is_refused() -> Result {
    let mut registry = sample();
    registry.serve_notice("em-major-crime", "lincolnshire-police", day(2021, 5, 1))?;
    let err = refused(&mut registry, |r| {
        r.serve_notice("em-major-crime", "lincolnshire-police", day(2021, 6, 1))
            .map(|_| ())
    });
    assert!(
        err.to_string()
            .contains("lincolnshire-police already served notice on 2021-05-01"),
        "{err}"
    );
    let err = refused(&mut registry, |r| {
        r.serve_notice("em-public-order", "lincolnshire-police", day(2021, 6, 1))
            .map(|_| ())
    });
    assert!(
        err.to_string()
            .contains("lincolnshire-police is not a member of em-public-order that day"),
        "{err}"
    );
    Ok(())
}

#[test]
fn leaving_keeps_the_past() -> Result {
    let mut registry = sample();
    registry.leave(
        "em-major-crime",
        "derbyshire-police",
        When::on(day(2022, 4, 1)).entered(day(2022, 6, 10)),
    )?;
    let a = registry.agreement("em-major-crime")?;
    assert!(a.is_member("derbyshire-police", day(2022, 3, 31)));
    assert!(!a.is_member("derbyshire-police", day(2022, 4, 1)));
    let m = a
        .members
        .iter()
        .find(|m| m.party == "derbyshire-police")
        .ok_or("missing")?;
    // In May the register did not yet know of the withdrawal.
    assert!(m.is_member_on_as_recorded(day(2022, 5, 1), day(2022, 5, 20)));
    assert!(!m.is_member_on_as_recorded(day(2022, 5, 1), day(2022, 6, 10)));
    let err = refused(&mut registry, |r| {
        r.leave("em-major-crime", "derbyshire-police", day(2023, 4, 1))
    });
    assert!(err.to_string().contains("not a member"), "{err}");
    Ok(())
}

#[test]
fn leaving_below_two_members_is_refused_while_active() {
    let mut registry = sample();
    let err = refused(&mut registry, |r| {
        r.leave("em-public-order", "derbyshire-police", day(2022, 4, 1))
    });
    assert!(
        err.to_string().contains(
            "an agreement that is active needs at least two members, but on 2022-04-01 it has 1"
        ),
        "{err}"
    );
    // Terminating first makes the same departure possible.
    registry
        .terminate("em-public-order", day(2022, 4, 1), None)
        .expect("terminates");
    registry
        .leave("em-public-order", "derbyshire-police", day(2022, 4, 1))
        .expect("leaves");
}

#[test]
fn terminating_is_final() -> Result {
    let mut registry = sample();
    registry.terminate(
        "em-public-order",
        day(2023, 4, 1),
        Some("Replaced by a regional unit".into()),
    )?;
    let a = registry.agreement("em-public-order")?;
    assert_eq!(a.status_on(day(2023, 3, 31)), Some(Status::Active));
    assert_eq!(a.status_on(day(2023, 4, 1)), Some(Status::Terminated));
    let err = refused(&mut registry, |r| {
        r.set_status("em-public-order", Status::Active, day(2024, 1, 1), None)
    });
    assert!(err.to_string().contains("terminated"), "{err}");
    let err = refused(&mut registry, |r| {
        r.join(
            "em-public-order",
            member("leicestershire-police", day(2024, 1, 1)),
        )
    });
    assert!(err.to_string().contains("terminated"), "{err}");
    let err = refused(&mut registry, |r| {
        r.serve_notice("em-public-order", "derbyshire-police", day(2024, 1, 1))
            .map(|_| ())
    });
    assert!(
        err.to_string()
            .contains("em-public-order was terminated on 2023-04-01"),
        "{err}"
    );
    Ok(())
}

#[test]
fn a_member_that_served_notice_pays_until_it_is_out_and_nothing_after() -> Result {
    // Operational support asks six months' notice, out at a financial year
    // end: notice on 30 September 2020 takes Lincolnshire out on 1 April 2021.
    let mut registry = sample();
    let year = |text: &str| text.parse::<collab_registry::FinancialYear>();
    let before = registry.apportion("em-operational-support", year("2021/22")?)?;
    assert_eq!(before.shares.len(), 4);
    let out = registry.serve_notice(
        "em-operational-support",
        "lincolnshire-police",
        day(2020, 9, 30),
    )?;
    assert_eq!(out, day(2021, 4, 1));
    let ops = registry.agreement("em-operational-support")?;
    assert!(ops.is_member("lincolnshire-police", day(2021, 3, 31)));
    assert!(!ops.is_member("lincolnshire-police", day(2021, 4, 1)));
    // 2021/22's £21m is now shared among the three that remain, their 25%
    // each scaled up to a third.
    let after = registry.apportion("em-operational-support", year("2021/22")?)?;
    let payers: Vec<(&str, String)> = after
        .shares
        .iter()
        .map(|s| (s.party.as_str(), s.amount.to_string()))
        .collect();
    assert_eq!(
        payers,
        [
            ("leicestershire-police", "7000000.00".to_string()),
            ("northamptonshire-police", "7000000.00".to_string()),
            ("nottinghamshire-police", "7000000.00".to_string()),
        ]
    );
    Ok(())
}

#[test]
fn status_history_stays_in_date_order() -> Result {
    let mut registry = sample();
    let err = refused(&mut registry, |r| {
        r.set_status("em-major-crime", Status::Suspended, day(2011, 1, 1), None)
    });
    assert!(
        err.to_string().contains(
            "the first status recorded is active on 2012-04-01; only a proposal can come before it"
        ),
        "{err}"
    );
    // Under review from June; a suspension from April, entered in July,
    // takes its place between, and the register as it stood in June does
    // not know it.
    registry.set_status("em-major-crime", Status::UnderReview, day(2026, 6, 1), None)?;
    registry.set_status(
        "em-major-crime",
        Status::Suspended,
        When::on(day(2026, 4, 1)).entered(day(2026, 7, 1)),
        None,
    )?;
    let a = registry.agreement("em-major-crime")?;
    let statuses: Vec<(Status, NaiveDate)> = a.status.iter().map(|c| (c.status, c.from)).collect();
    assert_eq!(
        statuses,
        [
            (Status::Active, day(2012, 4, 1)),
            (Status::Suspended, day(2026, 4, 1)),
            (Status::UnderReview, day(2026, 6, 1)),
        ]
    );
    let may = registry.as_of(day(2026, 5, 1));
    assert_eq!(
        may.as_recorded_on(day(2026, 6, 15)).status_of(a),
        Some(Status::Active)
    );
    assert_eq!(
        may.as_recorded_on(day(2026, 7, 1)).status_of(a),
        Some(Status::Suspended)
    );
    // A late termination cannot slip in before a later change.
    let err = refused(&mut registry, |r| {
        r.set_status("em-major-crime", Status::Terminated, day(2026, 5, 1), None)
    });
    assert!(
        err.to_string().contains(
            "the next status change, to under_review on 2026-06-01, could not follow terminated"
        ),
        "{err}"
    );
    Ok(())
}

#[test]
fn reviews_are_recorded_in_date_order_and_checked() -> Result {
    let mut registry = sample();
    let review = |date, by: Option<&str>| Review {
        date,
        recorded: None,
        by: by.map(|b| b.parse().expect("a slug")),
        outcome: Some("Continue".into()),
        extra: Extra::new(),
    };
    registry.record_review(
        "em-public-order",
        review(day(2024, 4, 1), Some("em-operational-delivery-board")),
    )?;
    let policy = &registry.agreement("em-public-order")?.review;
    assert_eq!(
        policy.next_due_on(day(2014, 4, 1), day(2024, 4, 2)),
        Some(day(2026, 4, 1))
    );
    let err = refused(&mut registry, |r| {
        r.record_review("em-public-order", review(day(2013, 1, 1), None))
    });
    assert!(
        err.to_string()
            .contains("the agreement starts on 2014-04-01"),
        "{err}"
    );
    let err = refused(&mut registry, |r| {
        r.record_review(
            "em-public-order",
            review(day(2024, 5, 1), Some("ghost-board")),
        )
    });
    assert!(
        err.to_string()
            .contains("unknown governance body \"ghost-board\""),
        "{err}"
    );
    Ok(())
}

#[test]
fn an_amendment_records_what_changed_before_and_after() -> Result {
    let mut registry = sample();
    let amendment = registry.amend(
        "em-learning-development",
        day(2022, 4, 1),
        AmendmentKind::Variation,
        "Nottinghamshire becomes host; review date moved",
        |a| {
            for m in &mut a.members {
                if m.party == "nottinghamshire-police" {
                    m.role = Role::Host;
                }
            }
            a.review.next_due = Some(day(2027, 3, 1));
        },
    )?;
    let fields: Vec<(&str, Option<String>, Option<String>)> = amendment
        .changes
        .iter()
        .map(|c| {
            (
                c.field.as_str(),
                c.before.as_ref().map(|v| v.to_string()),
                c.after.as_ref().map(|v| v.to_string()),
            )
        })
        .collect();
    assert!(
        fields.contains(&(
            "members[nottinghamshire-police@2014-04-01].role",
            Some("\"member\"".into()),
            Some("\"host\"".into())
        )),
        "{fields:#?}"
    );
    assert!(
        fields.contains(&(
            "review.next_due",
            Some("\"2027-01-15\"".into()),
            Some("\"2027-03-01\"".into())
        )),
        "{fields:#?}"
    );
    assert_eq!(
        registry
            .agreement("em-learning-development")?
            .amendments
            .len(),
        1
    );
    // An amendment that breaks a rule is refused whole.
    let err = refused(&mut registry, |r| {
        r.amend(
            "em-learning-development",
            day(2022, 5, 1),
            AmendmentKind::Variation,
            "bad",
            |a| a.end = Some(day(2000, 1, 1)),
        )
        .map(|_| ())
    });
    assert!(
        err.to_string()
            .contains("end 2000-01-01 is not after start 2014-04-01"),
        "{err}"
    );
    // So is one that would make an umbrella part of its own child.
    let err = refused(&mut registry, |r| {
        r.amend(
            "em-collaboration-programme",
            day(2022, 5, 1),
            AmendmentKind::Variation,
            "loop",
            |a| a.part_of = Some(AgreementId::new("em-public-order").expect("a slug")),
        )
        .map(|_| ())
    });
    assert!(
        err.to_string().contains("part_of would make a cycle"),
        "{err}"
    );
    Ok(())
}

#[test]
fn adding_records_checks_ids_and_references() -> Result {
    let mut registry = sample();
    let party = |id: &str| Party {
        id: PartyId::new(id).expect("a slug"),
        name: "Kent Police".into(),
        kind: PartyKind::PoliceForce,
        region: Some("South East".into()),
        signs_as: None,
        identifiers: vec![],
        overseen_by: vec![],
        metrics: vec![],
        provenance: Provenance::default(),
        extra: Extra::new(),
    };
    registry.add_party(party("kent-police"))?;
    assert_eq!(registry.party("kent-police")?.name, "Kent Police");
    let err = refused(&mut registry, |r| {
        r.add_party(party("kent-police")).map(|_| ())
    });
    assert_eq!(err.to_string(), "party \"kent-police\" already exists");
    let mut agreement = registry.agreement("em-public-order")?.clone();
    agreement.id = AgreementId::new("kent-public-order")?;
    agreement.members[0].party = PartyId::new("essex-police")?;
    let err = refused(&mut registry, |r| r.add_agreement(agreement).map(|_| ()));
    assert!(
        err.to_string()
            .contains("agreement.members[0].party: unknown party \"essex-police\""),
        "{err}"
    );
    Ok(())
}

/// One change picked by the property test.
#[derive(Debug, Clone)]
enum Change {
    Join(usize, usize, i64),
    Leave(usize, usize, i64),
    Notice(usize, usize, i64),
    Status(usize, usize, i64),
}

const AGREEMENTS: [&str; 5] = [
    "em-major-crime",
    "em-operational-support",
    "em-public-order",
    "em-learning-development",
    "bch-operational-support",
];
const PARTIES: [&str; 6] = [
    "derbyshire-police",
    "leicestershire-police",
    "lincolnshire-police",
    "nottinghamshire-police",
    "bedfordshire-police",
    "kent-police",
];

fn change() -> impl Strategy<Value = Change> {
    let a = 0..AGREEMENTS.len();
    let p = 0..PARTIES.len();
    let d = 0i64..6000;
    prop_oneof![
        (a.clone(), p.clone(), d.clone()).prop_map(|(a, p, d)| Change::Join(a, p, d)),
        (a.clone(), p.clone(), d.clone()).prop_map(|(a, p, d)| Change::Leave(a, p, d)),
        (a.clone(), p.clone(), d.clone()).prop_map(|(a, p, d)| Change::Notice(a, p, d)),
        (a, 0..5usize, d).prop_map(|(a, s, d)| Change::Status(a, s, d)),
    ]
}

fn apply(registry: &mut Registry, change: &Change) -> std::result::Result<(), Error> {
    let base = day(2010, 1, 1);
    let on = |d: i64| base + chrono::Days::new(d.unsigned_abs());
    match *change {
        Change::Join(a, p, d) => registry.join(AGREEMENTS[a], member(PARTIES[p], on(d))),
        Change::Leave(a, p, d) => registry.leave(AGREEMENTS[a], PARTIES[p], on(d)),
        Change::Notice(a, p, d) => registry
            .serve_notice(AGREEMENTS[a], PARTIES[p], on(d))
            .map(|_| ()),
        Change::Status(a, s, d) => registry.set_status(AGREEMENTS[a], Status::ALL[s], on(d), None),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever sequence of changes is tried, each refused change leaves the
    /// registry byte-for-byte as it was, and what results always reloads to
    /// the same bytes (so it is valid and its round trip is lossless).
    #[test]
    fn failed_changes_change_nothing_and_results_round_trip(changes in proptest::collection::vec(change(), 1..25)) {
        let mut registry = sample();
        for c in &changes {
            let before = registry.to_json_string();
            if apply(&mut registry, c).is_err() {
                prop_assert_eq!(registry.to_json_string(), before, "refused {:?} changed the registry", c);
            }
        }
        let text = registry.to_json_string();
        let reloaded = Registry::from_json_str(&text);
        prop_assert!(reloaded.is_ok(), "changes produced an invalid registry: {:?}", reloaded.err().map(|e| e.to_string()));
        prop_assert_eq!(reloaded.map(|r| r.to_json_string()).unwrap_or_default(), text);
    }
}
