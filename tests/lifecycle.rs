//! The lifecycle of an agreement: proposed, active, under review, suspended,
//! terminated. Only sensible changes are allowed; each is dated and kept,
//! and a refused one changes nothing.

mod handmade;

use chrono::NaiveDate;
use collab_registry::{Error, Registry, Status, When};
use handmade::Handmade;
use serde_json::json;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// A two-force agreement proposed on 1 January 2020, starting 1 April 2020,
/// and a one-force proposal beside it.
fn proposals() -> Registry {
    let member = |p: &str| json!({"party": p, "role": "member", "joined": "2020-04-01"});
    Handmade::new()
        .agreement_json(json!({
            "id": "shared-dogs",
            "title": "Shared dog unit",
            "legal_basis": "section_22a_police_act_1996",
            "start": "2020-04-01",
            "status": [{"status": "proposed", "from": "2020-01-01"}],
            "members": [member("north-police"), member("south-police")],
        }))
        .agreement_json(json!({
            "id": "lonely-drones",
            "title": "Drone unit",
            "legal_basis": "section_22a_police_act_1996",
            "start": "2020-04-01",
            "status": [{"status": "proposed", "from": "2020-01-01"}],
            "members": [member("north-police")],
        }))
        .build()
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
    }
}

/// The registry with `shared-dogs` brought to `status`, one month per step
/// from 1 April 2020.
fn at(status: Status) -> Registry {
    let mut registry = proposals();
    for (i, step) in path_to(status).iter().enumerate() {
        let month = u32::try_from(i).expect("small") + 4;
        registry
            .set_status("shared-dogs", *step, day(2020, month, 1), None)
            .expect("an allowed step");
    }
    registry
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
    for from in Status::ALL {
        for to in Status::ALL {
            let mut registry = at(from);
            assert_eq!(
                registry
                    .agreement("shared-dogs")
                    .ok()
                    .and_then(|a| a.status_on(on)),
                Some(from)
            );
            if allowed.contains(&(from, to)) {
                assert!(from.can_change_to(to));
                registry
                    .set_status("shared-dogs", to, on, None)
                    .unwrap_or_else(|e| panic!("{from:?} -> {to:?} is allowed: {e}"));
                let a = registry.agreement("shared-dogs").expect("exists");
                assert_eq!(a.status_on(on), Some(to));
                assert_eq!(a.status_on(on.pred_opt().expect("a day")), Some(from));
                continue;
            }
            assert!(!from.can_change_to(to));
            let err = refused(&mut registry, |r| r.set_status("shared-dogs", to, on, None));
            let text = err.to_string();
            let expected = if from == to {
                format!("the agreement is already {}", to.as_str())
            } else if from == Status::Terminated {
                "a terminated agreement cannot change status".to_string()
            } else {
                format!(
                    "an agreement that is {} cannot become {}",
                    from.as_str(),
                    to.as_str()
                )
            };
            assert!(
                matches!(
                    err,
                    Error::Refused {
                        action: "change status",
                        ..
                    }
                ),
                "{text}"
            );
            assert!(text.contains(&expected), "{from:?} -> {to:?}: {text}");
            assert!(text.contains("shared-dogs on 2021-01-01"), "{text}");
        }
    }
}

#[test]
fn a_refusal_says_where_the_agreement_can_go_instead() {
    let mut registry = at(Status::Active);
    let err = refused(&mut registry, |r| {
        r.set_status("shared-dogs", Status::Proposed, day(2021, 1, 1), None)
    });
    assert!(
        err.to_string().contains(
            "an agreement that is active cannot become proposed; it can become under_review or suspended or terminated"
        ),
        "{err}"
    );
}

#[test]
fn an_agreement_cannot_go_active_with_fewer_than_two_members() -> Result {
    let mut registry = proposals();
    let err = refused(&mut registry, |r| {
        r.set_status("lonely-drones", Status::Active, day(2020, 4, 1), None)
    });
    assert!(
        matches!(err, Error::Invalid { .. }),
        "a rule of the record: {err}"
    );
    assert!(
        err.to_string().contains(
            "an agreement that is active needs at least two members, but on 2020-04-01 it has 1"
        ),
        "{err}"
    );
    // Dropping the proposal is fine.
    registry.terminate("lonely-drones", day(2020, 5, 1), Some("No partner".into()))?;
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
        assert!(
            err.to_string()
                .contains("a terminated agreement cannot change status"),
            "{err}"
        );
    }
    let err = refused(&mut registry, |r| {
        r.terminate("shared-dogs", day(2023, 1, 1), None)
    });
    assert!(
        err.to_string()
            .contains("the agreement is already terminated"),
        "{err}"
    );
}

#[test]
fn a_late_change_must_fit_between_the_changes_around_it() -> Result {
    // Proposed, active from 1 April 2020, suspended from 1 May.
    let mut registry = at(Status::Suspended);
    let err = refused(&mut registry, |r| {
        r.set_status("shared-dogs", Status::Active, day(2020, 4, 15), None)
    });
    assert!(
        err.to_string().contains("the agreement is already active"),
        "{err}"
    );
    let err = refused(&mut registry, |r| {
        r.set_status("shared-dogs", Status::Terminated, day(2020, 4, 15), None)
    });
    assert!(
        err.to_string().contains(
            "the next status change, to suspended on 2020-05-01, could not follow terminated"
        ),
        "{err}"
    );
    registry.set_status("shared-dogs", Status::UnderReview, day(2020, 4, 15), None)?;
    let statuses: Vec<Status> = registry
        .agreement("shared-dogs")?
        .status
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
        .status
        .iter()
        .map(|c| (c.status, c.from, c.recorded))
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
    assert_eq!(a.status[2].note.as_deref(), Some("Funding paused"));
    // On 10 March the register still said active; it knew of the suspension from the 20th.
    assert_eq!(
        a.status_on_as_recorded(day(2021, 3, 10), day(2021, 3, 10)),
        Some(Status::Active)
    );
    assert_eq!(
        a.status_on_as_recorded(day(2021, 3, 10), day(2021, 3, 20)),
        Some(Status::Suspended)
    );
    // The history survives a file round trip.
    let again = Registry::from_json_str(&registry.to_json_string())?;
    assert_eq!(again.agreement("shared-dogs")?.status, a.status);
    Ok(())
}
