//! The lifecycle of an agreement: proposed, active, under review, suspended,
//! terminated. Only sensible changes are allowed; each is dated and kept,
//! and a refused one changes nothing.

use chrono::NaiveDate;
use collab_registry::model::{AgreementId, Ending, PartyId, Status};
use collab_registry::time::When;
use collab_registry::{Change, Error, ErrorKind, ProblemCode, Registry, Scope};
use serde_json::json;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// A two-force agreement proposed on 1 January 2020, starting 1 April 2020,
/// and a one-force proposal beside it.
fn proposals() -> Registry {
    let member = |p: &str| json!({"party": p, "role": "member", "joined": "2020-04-01"});
    let proposal = |id: &str, title: &str, members: Vec<serde_json::Value>| {
        json!({
            "id": id,
            "title": title,
            "legal_basis": "section_22a_police_act_1996",
            "start": "2020-04-01",
            "status": [{"status": "proposed", "from": "2020-01-01"}],
            "members": members,
        })
    };
    let doc = json!({
        "schema_version": 2,
        "parties": [
            {"id": "north-police", "name": "North Police", "kind": "police_force"},
            {"id": "south-police", "name": "South Police", "kind": "police_force"},
        ],
        "agreements": [
            proposal("shared-dogs", "Shared dog unit", vec![member("north-police"), member("south-police")]),
            proposal("lonely-drones", "Drone unit", vec![member("north-police")]),
        ],
    });
    Registry::from_json_str(&doc.to_string()).expect("a valid registry")
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

/// The allowed path from proposed to each status.
fn path_to(status: Status) -> &'static [Status] {
    match status {
        Status::Proposed => &[],
        Status::Active => &[Status::Active],
        Status::UnderReview => &[Status::Active, Status::UnderReview],
        Status::Suspended => &[Status::Active, Status::Suspended],
        Status::Terminated => &[Status::Terminated],
        _ => unreachable!("every status has a path"),
    }
}

/// The registry with `shared-dogs` brought to `status`, one month per step
/// from 1 April 2020.
fn at(status: Status) -> Registry {
    let mut registry = proposals();
    for (month, step) in (4..).zip(path_to(status)) {
        registry
            .set_status("shared-dogs", *step, day(2020, month, 1), None)
            .expect("an allowed step");
    }
    registry
}

fn status_on(registry: &Registry, on: NaiveDate) -> Option<Status> {
    registry
        .as_of(on)
        .agreement("shared-dogs")
        .ok()
        .and_then(|a| a.status())
}

#[test]
fn every_change_of_status_is_allowed_or_refused_as_the_table_says() {
    let allowed = [
        (Status::Proposed, Status::Active),
        (Status::Proposed, Status::Terminated),
        (Status::Active, Status::UnderReview),
        (Status::Active, Status::Suspended),
        (Status::Active, Status::Terminated),
        (Status::UnderReview, Status::Active),
        (Status::UnderReview, Status::Suspended),
        (Status::UnderReview, Status::Terminated),
        (Status::Suspended, Status::Active),
        (Status::Suspended, Status::UnderReview),
        (Status::Suspended, Status::Terminated),
    ];
    let on = day(2021, 1, 1);
    let the_day_before = day(2020, 12, 31);
    for &from in Status::ALL {
        for &to in Status::ALL {
            let mut registry = at(from);
            assert_eq!(status_on(&registry, on), Some(from));
            if allowed.contains(&(from, to)) {
                assert!(from.can_change_to(to));
                registry
                    .set_status("shared-dogs", to, on, None)
                    .unwrap_or_else(|e| panic!("{from:?} -> {to:?} is allowed: {e}"));
                assert_eq!(status_on(&registry, on), Some(to));
                assert_eq!(status_on(&registry, the_day_before), Some(from));
                continue;
            }
            assert!(!from.can_change_to(to));
            let err = refused(&mut registry, |r| r.set_status("shared-dogs", to, on, None));
            // Already in that status is a lifecycle refusal; anything else
            // once terminated is refused because the agreement has ended.
            let expected = if from != to && from == Status::Terminated {
                ErrorKind::Ended
            } else {
                ErrorKind::Lifecycle
            };
            assert_eq!(err.kind(), expected, "{from:?} -> {to:?}: {err}");
            assert_eq!(err.agreement_id(), Some("shared-dogs"), "{err}");
            assert_eq!(err.date(), Some(on), "{err}");
        }
    }
}

#[test]
fn a_refusal_says_where_the_agreement_can_go_instead() {
    let mut registry = at(Status::Active);
    let err = refused(&mut registry, |r| {
        r.set_status("shared-dogs", Status::Proposed, day(2021, 1, 1), None)
    });
    assert_eq!(err.kind(), ErrorKind::Lifecycle);
    let text = err.to_string();
    for next in Status::Active.next_statuses() {
        assert!(text.contains(next.as_str()), "{text} should offer {next}");
    }
}

#[test]
fn an_agreement_cannot_go_active_with_fewer_than_two_members() -> Result {
    let mut registry = proposals();
    let err = refused(&mut registry, |r| {
        r.set_status("lonely-drones", Status::Active, day(2020, 4, 1), None)
    });
    assert_eq!(
        err.kind(),
        ErrorKind::Invalid,
        "a rule of the record: {err}"
    );
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(
        err.problems()[0].code(),
        ProblemCode::TooFewMembers,
        "{err}"
    );
    // Dropping the proposal is fine.
    registry.terminate("lonely-drones", day(2020, 5, 1), Some("No partner".into()))?;
    assert_eq!(
        registry
            .as_of(day(2020, 5, 1))
            .agreement("lonely-drones")?
            .status(),
        Some(Status::Terminated)
    );
    Ok(())
}

#[test]
fn a_terminated_agreement_cannot_be_reactivated_or_suspended() {
    let mut registry = at(Status::Active);
    registry
        .terminate("shared-dogs", day(2022, 4, 1), None)
        .expect("terminates");
    for to in [
        Status::Active,
        Status::Suspended,
        Status::UnderReview,
        Status::Proposed,
    ] {
        let err = refused(&mut registry, |r| {
            r.set_status("shared-dogs", to, day(2023, 1, 1), None)
        });
        assert_eq!(err.kind(), ErrorKind::Ended, "{to:?}: {err}");
    }
    // Terminating it again: it already is.
    let err = refused(&mut registry, |r| {
        r.terminate("shared-dogs", day(2023, 1, 1), None)
    });
    assert_eq!(err.kind(), ErrorKind::Lifecycle, "{err}");
    // Ended, it has no members and is not in force, but is still on the record.
    let after = registry.as_of(day(2023, 1, 1));
    let view = after.agreement("shared-dogs").expect("still known");
    assert!(!view.in_force() && view.has_ended());
    assert_eq!(view.members().count(), 0);
    assert!(after.scope(Scope::AnyStatus).counts(&view));
}

#[test]
fn a_late_change_must_fit_between_the_changes_around_it() -> Result {
    // Proposed, active from 1 April 2020, suspended from 1 May.
    let mut registry = at(Status::Suspended);
    let err = refused(&mut registry, |r| {
        r.set_status("shared-dogs", Status::Active, day(2020, 4, 15), None)
    });
    assert_eq!(err.kind(), ErrorKind::Lifecycle, "already active: {err}");
    // Terminated on 15 April, it could not then be suspended on 1 May.
    let err = refused(&mut registry, |r| {
        r.set_status("shared-dogs", Status::Terminated, day(2020, 4, 15), None)
    });
    assert_eq!(err.kind(), ErrorKind::Lifecycle, "{err}");
    assert!(
        err.to_string().contains("2020-05-01"),
        "names the change it clashes with: {err}"
    );
    registry.set_status("shared-dogs", Status::UnderReview, day(2020, 4, 15), None)?;
    let statuses: Vec<Status> = registry
        .agreement("shared-dogs")?
        .status_history()
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(
        statuses,
        [
            Status::Proposed,
            Status::Active,
            Status::UnderReview,
            Status::Suspended
        ]
    );
    Ok(())
}

#[test]
fn each_change_is_dated_and_kept_with_the_day_it_was_entered() -> Result {
    let mut registry = proposals();
    registry.set_status("shared-dogs", Status::Active, day(2020, 4, 1), None)?;
    registry.set_status(
        "shared-dogs",
        Status::Suspended,
        When::on(day(2021, 3, 1)).entered(day(2021, 3, 20)),
        Some("Funding paused".into()),
    )?;
    registry.set_status("shared-dogs", Status::Active, day(2021, 9, 1), None)?;
    let a = registry.agreement("shared-dogs")?;
    let kept: Vec<(Status, NaiveDate, Option<NaiveDate>)> = a
        .status_history()
        .iter()
        .map(|c| (c.status, c.from.first_day(), c.recorded))
        .collect();
    assert_eq!(
        kept,
        [
            (Status::Proposed, day(2020, 1, 1), None),
            (Status::Active, day(2020, 4, 1), None),
            (Status::Suspended, day(2021, 3, 1), Some(day(2021, 3, 20))),
            (Status::Active, day(2021, 9, 1), None),
        ]
    );
    assert_eq!(
        a.status_history()[2].note.as_deref(),
        Some("Funding paused")
    );
    // On 10 March the register still said active; it knew of the suspension from the 20th.
    let march = registry.as_of(day(2021, 3, 10));
    assert_eq!(
        march
            .as_recorded_on(day(2021, 3, 10))
            .agreement("shared-dogs")?
            .status(),
        Some(Status::Active)
    );
    assert_eq!(
        march
            .as_recorded_on(day(2021, 3, 20))
            .agreement("shared-dogs")?
            .status(),
        Some(Status::Suspended)
    );
    // Suspended, it is not in force; the status of the day says why.
    let suspended = march.agreement("shared-dogs")?;
    assert!(!suspended.in_force());
    assert_eq!(
        suspended.status_change().and_then(|c| c.note.as_deref()),
        Some("Funding paused")
    );
    // The history survives a file round trip.
    let again = Registry::from_json_str(&registry.to_json_string())?;
    assert_eq!(
        again.agreement("shared-dogs")?.status_history(),
        a.status_history()
    );
    Ok(())
}

#[test]
fn a_status_change_for_an_unknown_agreement_is_refused() {
    let mut registry = proposals();
    let err = refused(&mut registry, |r| {
        r.set_status("no-such-pact", Status::Active, day(2020, 4, 1), None)
    });
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    assert_eq!(err.agreement_id(), Some("no-such-pact"));
}

#[test]
fn a_termination_says_who_ended_it_only_when_that_can_be_so() -> Result {
    let mut registry = at(Status::Active);
    let north = PartyId::new("north-police")?;
    // North served no notice: it cannot have ended it by one.
    let err = refused(&mut registry, |r| {
        r.terminate_by(
            "shared-dogs",
            day(2021, 4, 1),
            Ending::Notice(north.clone()),
            None,
        )
    });
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.problems()[0].code(), ProblemCode::Required);
    assert_eq!(
        err.problems()[0].path(),
        "agreements[0].status[2].ended_by.notice"
    );
    assert_eq!(
        err.problems()[0].message(),
        "north-police ended it by notice, but no notice of north-police's is recorded by 2021-04-01"
    );
    // Nor can a party that is not a member.
    let err = refused(&mut registry, |r| {
        r.terminate_by(
            "shared-dogs",
            day(2021, 4, 1),
            Ending::Notice(PartyId::new("east-police")?),
            None,
        )
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::NotAMember);
    // An agreement with no end does not expire.
    let err = refused(&mut registry, |r| {
        r.terminate_by("shared-dogs", day(2021, 4, 1), Ending::Expiry, None)
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::Required);
    // Only a termination says who ended it.
    let err = refused(&mut registry, |r| {
        r.apply([Change::SetStatus {
            agreement: AgreementId::new("shared-dogs")?,
            status: Status::Suspended,
            when: When::on(day(2021, 4, 1)),
            note: None,
            ended_by: Some(Ending::AllMembers),
        }])
    });
    assert_eq!(err.problems()[0].code(), ProblemCode::Lifecycle);
    // With no notice period North is out the day after serving it, which
    // leaves one member: its notice and the ending by it go in one batch.
    let dogs = AgreementId::new("shared-dogs")?;
    registry.apply([
        Change::ServeNotice {
            agreement: dogs.clone(),
            party: north.clone(),
            when: When::on(day(2021, 3, 31)),
        },
        Change::SetStatus {
            agreement: dogs,
            status: Status::Terminated,
            when: When::on(day(2021, 4, 1)),
            note: None,
            ended_by: Some(Ending::Notice(north)),
        },
    ])?;
    let members = registry.as_of(day(2021, 4, 1)).members_of("shared-dogs")?;
    assert_eq!(
        serde_json::to_value(&members.ended_by)?,
        json!({"by": "notice", "party": {"id": "north-police", "name": "North Police"}, "notice_served": "2021-03-31"})
    );
    Ok(())
}
