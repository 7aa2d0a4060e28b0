//! Changes to a registry over its life: each checked before it takes
//! effect, each refused change leaving the registry byte for byte as it
//! was, each accepted one saving to a file that loads back to the same
//! bytes, and history kept rather than overwritten.

use chrono::NaiveDate;
use collab_registry::model::{
    Agreement, AgreementChange, AgreementId, AmendmentKind, Budget, Currency, DatedFormula, Ending,
    Extra, FinancialYear, Formula, Governs, LeavingRules, Membership, Metric, Money, Oversight,
    Party, PartyId, PartyKind, Quantity, ReportsTo, Review, Role, Seat, SeatRole, Spell, Status,
    Term, TermUnit, Unknown,
};
use collab_registry::time::When;
use collab_registry::{Change, Error, ErrorKind, ProblemCode, Registry};
use proptest::prelude::*;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a day"))
}

fn sample() -> Registry {
    collab_registry::sample().unwrap_or_else(|e| panic!("the sample loads: {e}"))
}

fn party(id: &str) -> PartyId {
    PartyId::new(id).unwrap_or_else(|e| panic!("{e}"))
}

fn member(id: &str, role: Role, joined: NaiveDate) -> Membership {
    Membership::new(party(id), role, joined)
}

/// Runs a change that must be refused; checks it changed nothing and gives
/// back the error.
fn refused(
    registry: &mut Registry,
    change: impl FnOnce(&mut Registry) -> std::result::Result<(), Error>,
) -> Error {
    let before = registry.to_json_string();
    let err = match change(registry) {
        Ok(()) => panic!("the change should have been refused"),
        Err(e) => e,
    };
    assert_eq!(
        registry.to_json_string(),
        before,
        "a refused change changed the registry: {err}"
    );
    err
}

/// Checks that the registry saves to a file that loads back to the same bytes.
fn round_trips(registry: &Registry) {
    let text = registry.to_json_string();
    let again = Registry::from_json_str(&text)
        .unwrap_or_else(|e| panic!("the saved registry does not load: {e}"));
    assert_eq!(again.to_json_string(), text);
}

fn members_on(registry: &Registry, agreement: &str, on: NaiveDate) -> Vec<String> {
    let view = registry
        .as_of(on)
        .agreement(agreement)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ids: Vec<String> = view.members().map(|m| m.party().to_string()).collect();
    ids.sort();
    ids
}

#[test]
fn a_party_joins_and_is_a_member_from_that_day() -> Result {
    let mut registry = sample();
    registry.join(
        "em-public-order",
        member("leicestershire-police", Role::Member, day(2024, 4, 1)),
    )?;
    assert!(
        !members_on(&registry, "em-public-order", day(2024, 3, 31))
            .contains(&"leicestershire-police".to_string())
    );
    assert!(
        members_on(&registry, "em-public-order", day(2024, 4, 1))
            .contains(&"leicestershire-police".to_string())
    );
    round_trips(&registry);
    Ok(())
}

#[test]
fn joining_twice_or_as_an_unknown_party_is_refused_at_the_document_path() -> Result {
    let mut registry = sample();
    let key = registry.agreement_key("em-major-crime")?.index();
    let position = registry.agreement("em-major-crime")?.members().len();
    let err = refused(&mut registry, |r| {
        r.join(
            "em-major-crime",
            member("derbyshire-police", Role::Member, day(2020, 1, 1)),
        )
    });
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.problems()[0].code(), ProblemCode::OverlappingMembership);
    assert_eq!(
        err.problems()[0].path(),
        format!("agreements[{key}].members[{position}].party")
    );
    let err = refused(&mut registry, |r| {
        r.join(
            "em-major-crime",
            member("kent-police", Role::Member, day(2020, 1, 1)),
        )
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::UnknownReference);
    assert_eq!(
        err.problems()[0].path(),
        format!("agreements[{key}].members[{position}].party")
    );
    let err = refused(&mut registry, |r| {
        r.join(
            "no-such-agreement",
            member("derbyshire-police", Role::Member, day(2020, 1, 1)),
        )
    });
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    assert_eq!(err.agreement_id(), Some("no-such-agreement"));
    Ok(())
}

#[test]
fn joining_after_the_fixed_end_or_a_termination_is_refused() -> Result {
    let mut registry = sample();
    registry.amend(
        "em-public-order",
        day(2026, 1, 1),
        AmendmentKind::Variation,
        "A fixed end",
        |t| {
            t.set_end(Some(day(2027, 4, 1)));
        },
    )?;
    let err = refused(&mut registry, |r| {
        r.join(
            "em-public-order",
            member("leicestershire-police", Role::Member, day(2027, 4, 1)),
        )
    });
    assert_eq!(err.kind(), ErrorKind::Ended);
    assert!(err.to_string().contains("ends on 2027-04-01"), "{err}");
    registry.terminate("em-public-order", day(2026, 6, 1), None)?;
    let err = refused(&mut registry, |r| {
        r.join(
            "em-public-order",
            member("leicestershire-police", Role::Member, day(2026, 7, 1)),
        )
    });
    assert_eq!(err.kind(), ErrorKind::Ended);
    Ok(())
}

#[test]
fn notice_takes_effect_under_the_rules_of_the_day_it_is_served() -> Result {
    let mut registry = sample();
    // Six months' notice, out at a financial year end (illustrative rules).
    let out = registry.serve_notice(
        "em-operational-support",
        "lincolnshire-police",
        day(2026, 10, 1),
    )?;
    assert_eq!(out, day(2027, 4, 1));
    assert!(
        members_on(&registry, "em-operational-support", day(2027, 3, 31))
            .contains(&"lincolnshire-police".to_string())
    );
    assert!(
        !members_on(&registry, "em-operational-support", day(2027, 4, 1))
            .contains(&"lincolnshire-police".to_string())
    );
    // Rules changed later do not reach back to a notice served before them.
    let mut registry = sample();
    registry.amend(
        "em-operational-support",
        When::on(day(2027, 1, 1)).entered(day(2026, 5, 1)),
        AmendmentKind::Variation,
        "Twelve months' notice from 2027",
        |t| t.leaving_mut().notice_months = Some(12),
    )?;
    assert_eq!(
        registry.serve_notice(
            "em-operational-support",
            "lincolnshire-police",
            day(2026, 10, 1)
        )?,
        day(2027, 4, 1)
    );
    assert_eq!(
        registry.serve_notice(
            "em-operational-support",
            "nottinghamshire-police",
            day(2027, 1, 2)
        )?,
        day(2028, 4, 1)
    );
    round_trips(&registry);
    Ok(())
}

#[test]
fn notice_without_a_notice_period_takes_effect_the_next_day() -> Result {
    let mut registry = sample();
    let leaving = registry
        .agreement("bch-strategic-alliance")?
        .terms()
        .leaving()
        .clone();
    assert_eq!(leaving, LeavingRules::default());
    assert_eq!(
        registry.serve_notice(
            "bch-strategic-alliance",
            "bedfordshire-police",
            day(2024, 5, 1)
        )?,
        day(2024, 5, 2)
    );
    round_trips(&registry);
    Ok(())
}

#[test]
fn notice_twice_from_a_non_member_or_after_termination_is_refused() -> Result {
    let mut registry = sample();
    registry.serve_notice(
        "northants-leics-notts-alliance",
        "leicestershire-police",
        day(2021, 9, 30),
    )?;
    let err = refused(&mut registry, |r| {
        r.serve_notice(
            "northants-leics-notts-alliance",
            "leicestershire-police",
            day(2021, 10, 30),
        )
        .map(|_| ())
    });
    assert_eq!(err.kind(), ErrorKind::NoticeAlreadyServed);
    let err = refused(&mut registry, |r| {
        r.serve_notice(
            "northants-leics-notts-alliance",
            "derbyshire-police",
            day(2021, 10, 30),
        )
        .map(|_| ())
    });
    assert_eq!(err.kind(), ErrorKind::NotAMember);
    assert_eq!(err.party_id(), Some("derbyshire-police"));
    registry.terminate("em-public-order", day(2025, 1, 1), None)?;
    let err = refused(&mut registry, |r| {
        r.serve_notice("em-public-order", "derbyshire-police", day(2025, 6, 1))
            .map(|_| ())
    });
    assert_eq!(err.kind(), ErrorKind::Ended);
    Ok(())
}

#[test]
fn leaving_keeps_the_past_and_may_not_leave_fewer_than_two() -> Result {
    let mut registry = sample();
    registry.leave("em-major-crime", "lincolnshire-police", day(2024, 4, 1))?;
    assert_eq!(
        members_on(&registry, "em-major-crime", day(2024, 3, 31)).len(),
        5
    );
    assert_eq!(
        members_on(&registry, "em-major-crime", day(2024, 4, 1)).len(),
        4
    );
    let err = refused(&mut registry, |r| {
        r.leave("em-major-crime", "lincolnshire-police", day(2025, 4, 1))
    });
    assert_eq!(err.kind(), ErrorKind::NotAMember);
    // Two-force collaborations cannot lose a member while in force.
    let err = refused(&mut registry, |r| {
        r.leave("em-public-order", "derbyshire-police", day(2025, 4, 1))
    });
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.problems()[0].code(), ProblemCode::TooFewMembers);
    round_trips(&registry);
    Ok(())
}

#[test]
fn terminating_is_final_and_the_lifecycle_is_kept() -> Result {
    let mut registry = sample();
    registry.terminate(
        "em-public-order",
        day(2025, 1, 1),
        Some("Replaced by a national arrangement".into()),
    )?;
    let err = refused(&mut registry, |r| {
        r.set_status("em-public-order", Status::Active, day(2025, 6, 1), None)
    });
    assert_eq!(err.kind(), ErrorKind::Ended);
    let err = refused(&mut registry, |r| {
        r.set_status("em-major-crime", Status::Active, day(2025, 6, 1), None)
    });
    assert_eq!(err.kind(), ErrorKind::Lifecycle);
    let err = refused(&mut registry, |r| {
        r.set_status("em-major-crime", Status::Proposed, day(2025, 6, 1), None)
    });
    assert_eq!(err.kind(), ErrorKind::Lifecycle);
    registry.set_status("em-major-crime", Status::UnderReview, day(2025, 6, 1), None)?;
    registry.set_status("em-major-crime", Status::Active, day(2025, 9, 1), None)?;
    let view = registry
        .as_of(day(2025, 7, 1))
        .agreement("em-major-crime")?;
    assert_eq!(view.status(), Some(Status::UnderReview));
    round_trips(&registry);
    Ok(())
}

#[test]
fn reviews_are_kept_in_date_order_and_checked() -> Result {
    let mut registry = sample();
    let err = refused(&mut registry, |r| {
        r.record_review("em-major-crime", Review::new(day(2000, 1, 1)))
    });
    assert_eq!(err.kind(), ErrorKind::OutOfPeriod);
    let err = refused(&mut registry, |r| {
        r.record_review(
            "em-major-crime",
            Review::new(day(2024, 1, 1)).by(collab_registry::model::BodyId::new("no-such-board")?),
        )
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::UnknownReference);
    registry.record_review(
        "em-major-crime",
        Review::new(day(2023, 12, 1)).outcome("Continue"),
    )?;
    let held: Vec<NaiveDate> = registry
        .agreement("em-major-crime")?
        .reviews_held()
        .iter()
        .map(|r| r.date)
        .collect();
    let mut sorted = held.clone();
    sorted.sort();
    assert_eq!(held, sorted);
    round_trips(&registry);
    Ok(())
}

#[test]
fn an_amendment_records_each_change_typed_before_and_after() -> Result {
    let mut registry = sample();
    let year: FinancialYear = "2022/23".parse()?;
    let amendment = registry.amend(
        "em-learning-development",
        day(2022, 5, 1),
        AmendmentKind::Variation,
        "New year's budget and review date",
        |t| {
            t.costs_mut().set_budget(Budget::new(
                year,
                Money::from_minor(150_000_000, Currency::GBP),
            ));
            t.review_mut().next_due = Some(day(2027, 3, 1));
        },
    )?;
    assert!(amendment.changes.iter().any(|c| matches!(c, AgreementChange::Budget(y, c) if *y == year && c.before.is_none() && c.after.as_ref().is_some_and(|b| b.amount.minor_units() == 150_000_000))));
    assert!(amendment.changes.iter().any(
        |c| matches!(c, AgreementChange::Review(c) if c.after.next_due == Some(day(2027, 3, 1)))
    ));
    // Before the day it takes effect, the old review date stands.
    let before = registry
        .as_of(day(2022, 4, 30))
        .agreement("em-learning-development")?;
    assert_ne!(before.review().next_due, Some(day(2027, 3, 1)));
    round_trips(&registry);
    // An amendment that breaks a rule is refused whole: an end before the start,
    let err = refused(&mut registry, |r| {
        r.amend(
            "em-learning-development",
            day(2022, 5, 1),
            AmendmentKind::Variation,
            "bad",
            |t| t.set_end(Some(day(2000, 1, 1))),
        )
        .map(|_| ())
    });
    assert!(err.to_string().contains("is not after start"), "{err}");
    // or an umbrella that is its own child's child.
    let err = refused(&mut registry, |r| {
        r.amend(
            "em-collaboration-programme",
            day(2022, 5, 1),
            AmendmentKind::Variation,
            "loop",
            |t| {
                t.set_part_of(Some(
                    AgreementId::new("em-public-order").unwrap_or_else(|e| panic!("{e}")),
                ));
            },
        )
        .map(|_| ())
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::Cycle);
    Ok(())
}

#[test]
fn a_late_amendment_dated_before_a_later_one_does_not_undo_it() -> Result {
    let mut registry = sample();
    let id = "northants-leics-notts-alliance";
    registry.amend(
        id,
        day(2026, 4, 1),
        AmendmentKind::Extension,
        "To 2030",
        |t| t.set_end(Some(day(2030, 4, 1))),
    )?;
    // Entered later, taking effect earlier: an end of 2028 from 2025.
    registry.amend(
        id,
        When::on(day(2025, 1, 1)).entered(day(2026, 6, 1)),
        AmendmentKind::Variation,
        "To 2028",
        |t| t.set_end(Some(day(2028, 4, 1))),
    )?;
    assert_eq!(registry.agreement(id)?.terms().end(), Some(day(2030, 4, 1)));
    assert_eq!(
        registry.as_of(day(2025, 6, 1)).agreement(id)?.end(),
        Some(day(2028, 4, 1))
    );
    assert_eq!(registry.as_of(day(2024, 6, 1)).agreement(id)?.end(), None);
    // As the register stood before the late entry, 2025 had no end.
    assert_eq!(
        registry
            .as_of(day(2025, 6, 1))
            .as_recorded_on(day(2026, 5, 31))
            .agreement(id)?
            .end(),
        None
    );
    round_trips(&registry);
    Ok(())
}

#[test]
fn a_role_change_is_dated_and_may_not_leave_fewer_than_two_taking_part() -> Result {
    let mut registry = sample();
    registry.change_role(
        "em-major-crime",
        "lincolnshire-police",
        Role::Observer,
        day(2024, 4, 1),
    )?;
    let roles = |on: NaiveDate| -> Vec<(String, Role)> {
        let view = registry
            .as_of(on)
            .agreement("em-major-crime")
            .unwrap_or_else(|e| panic!("{e}"));
        view.members()
            .filter(|m| m.party() == "lincolnshire-police")
            .map(|m| (m.party().to_string(), m.role()))
            .collect()
    };
    assert_eq!(
        roles(day(2024, 3, 31)),
        [("lincolnshire-police".to_string(), Role::Member)]
    );
    assert_eq!(
        roles(day(2024, 4, 1)),
        [("lincolnshire-police".to_string(), Role::Observer)]
    );
    round_trips(&registry);
    let err = refused(&mut registry, |r| {
        r.change_role(
            "em-public-order",
            "derbyshire-police",
            Role::Observer,
            day(2024, 4, 1),
        )
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::TooFewMembers);
    Ok(())
}

#[test]
fn parties_are_renamed_given_metrics_and_overseers_through_recorded_changes() -> Result {
    let mut registry = sample();
    registry.amend_party(
        "derbyshire-pcc",
        When::on(day(2026, 5, 9)).entered(day(2026, 5, 20)),
        AmendmentKind::Variation,
        "Became a police, fire and crime commissioner",
        |t| {
            t.name = "Derbyshire Police, Fire and Crime Commissioner".into();
        },
    )?;
    let name = |on: NaiveDate| {
        registry
            .as_of(on)
            .party("derbyshire-pcc")
            .map(|p| p.name().to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        name(day(2026, 5, 8)),
        "Derbyshire Police and Crime Commissioner"
    );
    assert_eq!(
        name(day(2026, 5, 9)),
        "Derbyshire Police, Fire and Crime Commissioner"
    );
    assert_eq!(
        registry
            .as_of(day(2026, 5, 10))
            .as_recorded_on(day(2026, 5, 19))
            .party("derbyshire-pcc")?
            .name(),
        "Derbyshire Police and Crime Commissioner"
    );
    let year: FinancialYear = "2022/23".parse()?;
    registry.set_metric(
        "derbyshire-police",
        Metric::new("officers", year, Quantity::from_whole(1850)),
        day(2022, 4, 1),
    )?;
    assert_eq!(
        registry
            .as_of(day(2022, 4, 1))
            .party("derbyshire-police")?
            .metric("officers", year),
        Some(Quantity::from_whole(1850))
    );
    registry.add_oversight(
        "derbyshire-police",
        Oversight::new(party("derbyshire-pcc"), Spell::from_day(day(2026, 5, 9))),
    )?;
    let err = refused(&mut registry, |r| {
        r.add_oversight(
            "derbyshire-police",
            Oversight::new(party("no-such-party"), Spell::always()),
        )
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::UnknownReference);
    let err = refused(&mut registry, |r| {
        r.amend_party(
            "derbyshire-pcc",
            day(2026, 6, 1),
            AmendmentKind::Variation,
            "Nameless",
            |t| t.name = " ".into(),
        )
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::Empty);
    round_trips(&registry);
    Ok(())
}

#[test]
fn seats_governing_and_reporting_lines_are_dated_changes() -> Result {
    let mut registry = sample();
    registry.add_seat(
        "em-regional-meeting",
        Seat::new(
            party("northamptonshire-fire"),
            SeatRole::Observer,
            0,
            Spell::from_day(day(2026, 1, 1)),
        ),
    )?;
    registry.end_seat(
        "em-regional-meeting",
        "northamptonshire-fire",
        day(2026, 6, 1),
    )?;
    let err = refused(&mut registry, |r| {
        r.end_seat(
            "em-regional-meeting",
            "northamptonshire-fire",
            day(2026, 7, 1),
        )
    });
    assert_eq!(err.kind(), ErrorKind::NotAMember);
    registry.govern(
        "em-regional-meeting",
        Governs::new(
            AgreementId::new("em-public-order")?,
            Spell::from_day(day(2026, 1, 1)),
        ),
    )?;
    registry.stop_governing("em-regional-meeting", "em-public-order", day(2026, 6, 1))?;
    // The regional meeting is at the top: reporting to a body below it is a cycle.
    let err = refused(&mut registry, |r| {
        r.report_to(
            "em-regional-meeting",
            ReportsTo::new(
                collab_registry::model::BodyId::new("em-joint-management-board")?,
                Spell::always(),
            ),
        )
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::Cycle);
    round_trips(&registry);
    Ok(())
}

#[test]
fn adding_records_checks_ids_references_currency_and_dates() -> Result {
    let mut registry = sample();
    let kent = Party::builder(party("kent-police"), "Kent Police", PartyKind::PoliceForce)
        .region("South East")
        .build()?;
    registry.add_party(kent.clone())?;
    let err = refused(&mut registry, |r| r.add_party(kent).map(|_| ()));
    assert_eq!(err.kind(), ErrorKind::DuplicateId);
    let on = day(2026, 4, 1);
    let agreement = |members: Vec<Membership>, budget: Option<Money>| {
        let mut b = Agreement::builder(
            AgreementId::new("kent-dogs").unwrap_or_else(|e| panic!("{e}")),
            "Kent dogs",
            on,
        )
        .active_from(on);
        for m in members {
            b = b.member(m);
        }
        if let Some(amount) = budget {
            let mut costs = collab_registry::model::CostArrangement::default();
            costs.budgets.push(Budget::new(
                "2026/27".parse().unwrap_or_else(|e| panic!("{e}")),
                amount,
            ));
            costs.formulas.push(DatedFormula::new(on, Formula::equal()));
            b = b.costs(costs);
        }
        b.build()
    };
    let two = || {
        vec![
            member("kent-police", Role::Lead, on),
            member("essex-police", Role::Member, on),
        ]
    };
    let err = refused(&mut registry, |r| {
        r.add_agreement(agreement(two(), None)?).map(|_| ())
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::UnknownReference);
    assert!(
        err.problems()[0].path().ends_with(".members[1].party"),
        "{}",
        err.problems()[0].path()
    );
    let euros = Money::from_minor(100, Currency::new("EUR")?);
    let pair = || {
        vec![
            member("kent-police", Role::Lead, on),
            member("derbyshire-police", Role::Member, on),
        ]
    };
    let err = refused(&mut registry, |r| {
        r.add_agreement(agreement(pair(), Some(euros))?).map(|_| ())
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::Currency);
    // A date a file cannot hold is refused when the record is built.
    let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap_or(on);
    let Err(err) = Agreement::builder(AgreementId::new("far")?, "Far", on)
        .active_from(on)
        .end(far)
        .member(member("kent-police", Role::Lead, on))
        .member(member("derbyshire-police", Role::Member, on))
        .build()
    else {
        panic!("a five-digit year should be refused")
    };
    assert_eq!(err.problems()[0].code(), ProblemCode::InvalidDate);
    // An unknown field that shadows a known one is refused.
    let mut extra = Extra::new();
    extra.insert("name", Unknown::String("Shadow".into()));
    let shadow = Party::builder(party("shadow-police"), "Shadow", PartyKind::PoliceForce)
        .extra(extra)
        .build();
    assert_eq!(
        shadow.err().map(|e| e.problems()[0].code()),
        Some(ProblemCode::ShadowedKey)
    );
    round_trips(&registry);
    Ok(())
}

#[test]
fn a_batch_is_all_or_nothing_and_agrees_with_one_by_one() -> Result {
    let ops = AgreementId::new("em-operational-support")?;
    let changes = vec![
        Change::Join {
            agreement: ops.clone(),
            membership: member("derbyshire-police", Role::Member, day(2026, 4, 1)),
        },
        Change::ServeNotice {
            agreement: ops.clone(),
            party: party("derbyshire-police"),
            when: When::on(day(2026, 9, 1)),
        },
        Change::SetStatus {
            agreement: ops.clone(),
            status: Status::UnderReview,
            when: When::on(day(2026, 5, 1)),
            note: None,
            ended_by: None,
        },
    ];
    let mut batch = sample();
    batch.apply(changes.clone())?;
    let mut single = sample();
    single.join(
        "em-operational-support",
        member("derbyshire-police", Role::Member, day(2026, 4, 1)),
    )?;
    single.serve_notice(
        "em-operational-support",
        "derbyshire-police",
        day(2026, 9, 1),
    )?;
    single.set_status(
        "em-operational-support",
        Status::UnderReview,
        day(2026, 5, 1),
        None,
    )?;
    assert_eq!(batch.to_json_string(), single.to_json_string());
    // The last change of this batch breaks a rule: none of them happens.
    let mut registry = sample();
    let before = registry.to_json_string();
    let mut bad = changes;
    bad.push(Change::Leave {
        agreement: AgreementId::new("em-public-order")?,
        party: party("derbyshire-police"),
        when: When::on(day(2026, 1, 1)),
    });
    let err = registry.apply(bad).err().map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::Invalid));
    assert_eq!(registry.to_json_string(), before);
    // Keys handed out before a batch still name the same records after it.
    let key = registry.agreement_key("em-public-order")?;
    registry.apply([Change::Join {
        agreement: ops,
        membership: member("derbyshire-police", Role::Member, day(2026, 4, 1)),
    }])?;
    assert_eq!(
        registry.agreement_at(key).map(|a| a.id().as_str()),
        Some("em-public-order")
    );
    Ok(())
}

#[test]
fn keys_from_another_registry_find_nothing() -> Result {
    let small = Registry::default();
    let big = sample();
    let key = big.agreement_key("em-public-order")?;
    assert!(small.agreement_at(key).is_none());
    let party_key = big.party_key("derbyshire-police")?;
    assert!(small.party_at(party_key).is_none());
    assert_eq!(small.memberships_of(party_key).count(), 0);
    Ok(())
}

// ---- the property test: random histories of changes ----

mod support;

use support::history::{attempt, try_change};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(debug_assertions) { 64 } else { 1000 }))]

    /// Whatever sequence of changes is tried, a refused change leaves the
    /// saved bytes identical, and after every accepted change save, load,
    /// save is a fixed point: nothing a change accepts is something the
    /// loader refuses, and nothing is lost or reordered on the way.
    #[test]
    fn accepted_changes_save_files_that_load_and_refused_ones_change_nothing(changes in proptest::collection::vec(try_change(), 1..30)) {
        let mut registry = sample();
        for c in &changes {
            let before = registry.to_json_string();
            if attempt(&mut registry, c).is_err() { prop_assert_eq!(registry.to_json_string(), before, "refused {:?} changed the registry", c) } else {
                let text = registry.to_json_string();
                let reloaded = Registry::from_json_str(&text);
                prop_assert!(reloaded.is_ok(), "{:?} was accepted but the saved file does not load: {}", c, reloaded.err().map(|e| e.to_string()).unwrap_or_default());
                prop_assert_eq!(reloaded.map(|r| r.to_json_string()).unwrap_or_default(), text, "{:?}: load then save changed the bytes", c);
            }
        }
    }
}

/// The alliance given a five-year term ending on 1 June 2020, from the
/// day it started: the term and the end are illustrative, for the test.
fn alliance_with_term() -> Result<Registry> {
    let mut registry = sample();
    registry.amend(
        "northants-leics-notts-alliance",
        day(2015, 6, 1),
        AmendmentKind::Variation,
        "A five-year term",
        |t| {
            t.set_term(Some(Term::new(5, TermUnit::Years)));
            t.set_end(Some(day(2020, 6, 1)));
        },
    )?;
    Ok(registry)
}

#[test]
fn renewing_a_fixed_term_works_out_the_next_end_from_the_end_it_had() -> Result {
    let mut registry = alliance_with_term()?;
    // Renewed on 1 March 2020, before its end: the next end is its end plus
    // the term, 1 June 2020 + 5 years = 1 June 2025, not 1 March 2025.
    let renewal = registry.renew("northants-leics-notts-alliance", day(2020, 3, 1))?;
    assert_eq!(renewal.kind, AmendmentKind::Renewal);
    assert_eq!(renewal.summary, "Renewed for 5 years, to 2025-06-01");
    assert!(matches!(
        renewal.changes.as_slice(),
        [AgreementChange::End(c)] if c.before == Some(day(2020, 6, 1)) && c.after == Some(day(2025, 6, 1))
    ));
    let alliance = "northants-leics-notts-alliance";
    assert_eq!(
        registry.as_of(day(2020, 2, 1)).agreement(alliance)?.end(),
        Some(day(2020, 6, 1)),
        "before the renewal the old end stands"
    );
    assert_eq!(
        registry.as_of(day(2020, 3, 1)).agreement(alliance)?.end(),
        Some(day(2025, 6, 1))
    );
    round_trips(&registry);
    // Renewed again on its end day: 1 June 2030.
    registry.renew(alliance, day(2025, 6, 1))?;
    assert_eq!(
        registry.agreement(alliance)?.terms().end(),
        Some(day(2030, 6, 1))
    );
    Ok(())
}

#[test]
fn renewing_without_a_term_or_after_the_end_is_refused() -> Result {
    let mut registry = sample();
    let err = registry
        .renew("northants-leics-notts-alliance", day(2020, 3, 1))
        .expect_err("no term");
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(
        err.to_string()
            .contains("it has no fixed term to renew for"),
        "{err}"
    );
    let mut registry = alliance_with_term()?;
    let before = registry.to_json_string();
    let err = registry
        .renew("northants-leics-notts-alliance", day(2020, 6, 2))
        .expect_err("after its end");
    assert_eq!(err.kind(), ErrorKind::Ended);
    assert!(
        err.to_string()
            .contains("it ended on 2020-06-01; renew it on or before its end"),
        "{err}"
    );
    assert_eq!(registry.to_json_string(), before, "nothing changed");
    let err = registry
        .renew("no-such-agreement", day(2020, 3, 1))
        .expect_err("unknown");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    Ok(())
}

#[test]
fn extending_moves_the_end_later_and_only_later() -> Result {
    let mut registry = alliance_with_term()?;
    let alliance = "northants-leics-notts-alliance";
    let extension = registry.extend(alliance, day(2020, 1, 1), day(2021, 3, 31))?;
    assert_eq!(extension.kind, AmendmentKind::Extension);
    assert_eq!(
        registry.agreement(alliance)?.terms().end(),
        Some(day(2021, 3, 31))
    );
    let before = registry.to_json_string();
    let err = registry
        .extend(alliance, day(2020, 2, 1), day(2021, 1, 1))
        .expect_err("earlier");
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(
        err.to_string()
            .contains("the new end 2021-01-01 is not after its end 2021-03-31"),
        "{err}"
    );
    assert_eq!(registry.to_json_string(), before);
    let mut open_ended = sample();
    let err = open_ended
        .extend(alliance, day(2020, 2, 1), day(2021, 1, 1))
        .expect_err("no end");
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(err.to_string().contains("it has no end"), "{err}");
    Ok(())
}

#[test]
fn an_ending_by_notice_names_a_member_that_served_it() -> Result {
    let alliance = "northants-leics-notts-alliance";
    let mut registry = sample();
    // Leicestershire has served no notice: the ending cannot name it.
    let err = refused(&mut registry, |r| {
        r.terminate_by(
            alliance,
            day(2024, 4, 1),
            Ending::Notice(party("leicestershire-police")),
            None,
        )
    });
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        err.problems()
            .iter()
            .any(|p| p.code() == ProblemCode::Required
                && p.message()
                    .contains("no notice of leicestershire-police's is recorded by 2024-04-01")),
        "{err}"
    );
    registry.serve_notice(alliance, "leicestershire-police", day(2023, 3, 1))?;
    registry.terminate_by(
        alliance,
        day(2024, 4, 1),
        Ending::Notice(party("leicestershire-police")),
        Some("Leicestershire's notice ended the alliance".to_string()),
    )?;
    let last = registry
        .agreement(alliance)?
        .status_history()
        .last()
        .cloned()
        .expect("a status");
    assert_eq!(last.status, Status::Terminated);
    assert_eq!(
        last.ended_by,
        Some(Ending::Notice(party("leicestershire-police")))
    );
    round_trips(&registry);
    // The ending is said of a termination only.
    let mut registry = sample();
    let err = refused(&mut registry, |r| {
        r.apply([Change::SetStatus {
            agreement: AgreementId::new(alliance).unwrap_or_else(|e| panic!("{e}")),
            status: Status::UnderReview,
            when: When::on(day(2024, 4, 1)),
            note: None,
            ended_by: Some(Ending::AllMembers),
        }])
    });
    assert!(
        err.to_string()
            .contains("only a termination says who ended the agreement"),
        "{err}"
    );
    Ok(())
}
