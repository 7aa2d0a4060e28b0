//! History and the two kinds of time: what an agreement looked like on any
//! day, what the register said about it on any day, and its history in
//! date order.

mod handmade;

use chrono::NaiveDate;
use collab_registry::{
    AmendmentKind, Event, Extra, Membership, PartyId, Recorded, Registry, Role, Status, When,
};
use handmade::Handmade;
use serde_json::{Value, json};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn member(party: &str, joined: NaiveDate, recorded: Option<NaiveDate>) -> Membership {
    Membership {
        party: PartyId::new(party).expect("a slug"),
        role: Role::Member,
        joined,
        left: None,
        notice_served: None,
        recorded: Recorded {
            joined: recorded,
            ..Recorded::default()
        },
        illustrative: false,
        extra: Extra::new(),
    }
}

/// A shared training unit of north and south from 1 April 2020, six months'
/// notice, then: east joins in April 2021; south serves notice on 30 June
/// 2021 (out on 30 December); suspended from 1 January 2022 (entered on
/// 20 January), active again from 1 June 2022; west joins on 1 April 2023;
/// and east's departure on 1 April 2023 is entered late, on 15 June.
fn training() -> std::result::Result<Registry, Box<dyn std::error::Error>> {
    let mut registry = Handmade::new()
        .party("east-police", "police_force")
        .party("west-police", "police_force")
        .agreement_json(json!({
            "id": "shared-training",
            "title": "Shared training",
            "legal_basis": "section_22a_police_act_1996",
            "start": "2020-04-01",
            "status": [{"status": "active", "from": "2020-04-01"}],
            "members": [
                {"party": "north-police", "role": "lead", "joined": "2020-04-01"},
                {"party": "south-police", "role": "member", "joined": "2020-04-01"},
            ],
            "leaving": {"notice_months": 6},
        }))
        .build();
    registry.join(
        "shared-training",
        member("east-police", day(2021, 4, 1), None),
    )?;
    let out = registry.serve_notice("shared-training", "south-police", day(2021, 6, 30))?;
    assert_eq!(out, day(2021, 12, 30));
    registry.set_status(
        "shared-training",
        Status::Suspended,
        When::on(day(2022, 1, 1)).entered(day(2022, 1, 20)),
        Some("Trainers redeployed".into()),
    )?;
    registry.set_status("shared-training", Status::Active, day(2022, 6, 1), None)?;
    registry.join(
        "shared-training",
        member("west-police", day(2023, 4, 1), Some(day(2023, 3, 1))),
    )?;
    registry.leave(
        "shared-training",
        "east-police",
        When::on(day(2023, 4, 1)).entered(day(2023, 6, 15)),
    )?;
    Ok(registry)
}

/// Members and status of the training unit as of `date`, as the register
/// stood on `register` if given.
fn standing(
    registry: &Registry,
    date: NaiveDate,
    register: Option<NaiveDate>,
) -> (Vec<String>, Option<Status>) {
    let mut view = registry.as_of(date);
    if let Some(t) = register {
        view = view.as_recorded_on(t);
    }
    let members = view.members_of("shared-training").expect("known");
    let ids = members
        .members
        .iter()
        .map(|m| m.party.to_string())
        .collect();
    (ids, members.status)
}

#[test]
fn one_agreement_read_on_several_days() -> Result {
    let registry = training()?;
    let read = |y, m, d| standing(&registry, day(y, m, d), None);
    assert_eq!(read(2020, 3, 31), (vec![], None));
    assert_eq!(
        read(2020, 4, 1),
        (
            vec!["north-police".into(), "south-police".into()],
            Some(Status::Active)
        )
    );
    assert_eq!(
        read(2021, 4, 1),
        (
            vec![
                "north-police".into(),
                "east-police".into(),
                "south-police".into()
            ],
            Some(Status::Active)
        )
    );
    // Notice served: still a member until the day it is out.
    assert_eq!(read(2021, 12, 29).0.len(), 3);
    assert_eq!(
        read(2021, 12, 30),
        (
            vec!["north-police".into(), "east-police".into()],
            Some(Status::Active)
        )
    );
    assert_eq!(read(2022, 1, 1).1, Some(Status::Suspended));
    assert_eq!(read(2022, 6, 1).1, Some(Status::Active));
    assert_eq!(
        read(2023, 4, 1),
        (
            vec!["north-police".into(), "west-police".into()],
            Some(Status::Active)
        )
    );
    // What south's membership said on the days around its notice.
    let south = |d| {
        registry.as_of(d).agreements_of("south-police").map(|rows| {
            rows.into_iter()
                .map(|r| (r.notice_served, r.leaves))
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(south(day(2021, 6, 29))?, [(None, Some(day(2021, 12, 30)))]);
    assert_eq!(
        south(day(2021, 6, 30))?,
        [(Some(day(2021, 6, 30)), Some(day(2021, 12, 30)))]
    );
    assert_eq!(south(day(2021, 12, 30))?, []);
    Ok(())
}

#[test]
fn a_late_entry_does_not_rewrite_what_the_register_said_before_it() -> Result {
    let registry = training()?;
    let may = day(2023, 5, 1);
    // Today's register knows east left on 1 April.
    assert_eq!(
        standing(&registry, may, None).0,
        ["north-police", "west-police"]
    );
    // As the register stood at the end of May, east was still a member.
    assert_eq!(
        standing(&registry, may, Some(day(2023, 5, 31))).0,
        ["north-police", "east-police", "west-police"]
    );
    // From the day the departure was entered, the register says so.
    assert_eq!(
        standing(&registry, may, Some(day(2023, 6, 15))).0,
        ["north-police", "west-police"]
    );
    // West's joining was entered a month ahead: known in March, not in February.
    assert!(
        standing(&registry, day(2023, 4, 1), Some(day(2023, 3, 1)))
            .0
            .contains(&"west-police".to_string())
    );
    assert!(
        !standing(&registry, day(2023, 4, 1), Some(day(2023, 2, 28)))
            .0
            .contains(&"west-police".to_string())
    );
    // The suspension entered on 20 January: on the 10th the register said active.
    assert_eq!(
        standing(&registry, day(2022, 1, 10), Some(day(2022, 1, 10))).1,
        Some(Status::Active)
    );
    assert_eq!(
        standing(&registry, day(2022, 1, 10), Some(day(2022, 1, 20))).1,
        Some(Status::Suspended)
    );
    // Lists answer the same way: in May the register counted east among the
    // agreement's partners of north.
    let partners = |t: Option<NaiveDate>| -> Vec<String> {
        let mut view = registry.as_of(may);
        if let Some(t) = t {
            view = view.as_recorded_on(t);
        }
        view.partners_of("north-police")
            .map(|p| p.iter().map(|p| p.party.to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        partners(Some(day(2023, 5, 31))),
        ["east-police", "west-police"]
    );
    assert_eq!(partners(None), ["west-police"]);
    Ok(())
}

#[test]
fn the_history_of_one_agreement_in_date_order() -> Result {
    let registry = training()?;
    let history = registry.history("shared-training")?;
    let lines: Vec<String> = history
        .iter()
        .map(|e| {
            let what = match &e.event {
                Event::Started => "started".to_string(),
                Event::Status { status, .. } => format!("status {}", status.as_str()),
                Event::Joined { party, .. } => format!("{party} joined"),
                Event::NoticeServed { party, withdrawal } => {
                    format!("{party} served notice, out {withdrawal:?}")
                }
                Event::Left { party } => format!("{party} left"),
                Event::Reviewed { .. } => "reviewed".to_string(),
                Event::Amended { summary, .. } => format!("amended: {summary}"),
                Event::Ended => "ended".to_string(),
            };
            format!("{} {what} (entered {})", e.date, e.entered())
        })
        .collect();
    assert_eq!(
        lines,
        [
            "2020-04-01 started (entered 2020-04-01)",
            "2020-04-01 status active (entered 2020-04-01)",
            "2020-04-01 north-police joined (entered 2020-04-01)",
            "2020-04-01 south-police joined (entered 2020-04-01)",
            "2021-04-01 east-police joined (entered 2021-04-01)",
            "2021-06-30 south-police served notice, out Some(2021-12-30) (entered 2021-06-30)",
            "2021-12-30 south-police left (entered 2021-12-30)",
            "2022-01-01 status suspended (entered 2022-01-20)",
            "2022-06-01 status active (entered 2022-06-01)",
            "2023-04-01 west-police joined (entered 2023-03-01)",
            "2023-04-01 east-police left (entered 2023-06-15)",
        ]
    );
    // As the register stood in May 2023, the last line was not there.
    let may = registry
        .as_of(day(2023, 5, 1))
        .as_recorded_on(day(2023, 5, 31))
        .history("shared-training")?;
    assert_eq!(may.len(), history.len() - 1);
    assert!(
        may.iter()
            .all(|e| !matches!(e.event, Event::Left { party } if party.as_str() == "east-police"))
    );
    // Entries serialise as flat records with the event named.
    let json = serde_json::to_value(&history[7])?;
    assert_eq!(
        json,
        json!({"date": "2022-01-01", "recorded": "2022-01-20", "event": "status",
               "status": "suspended", "note": "Trainers redeployed"})
    );
    Ok(())
}

#[test]
fn an_amendment_records_each_share_date_and_member_it_changed() -> Result {
    let mut registry = collab_registry::sample()?;
    let amendment = registry.amend(
        "em-operational-support",
        day(2026, 4, 1),
        AmendmentKind::Variation,
        "Leicestershire takes a larger share; a fixed end; Derbyshire rejoins",
        |a| {
            if let Some(last) = a.costs.formulas.last_mut() {
                if let collab_registry::Formula::FixedPercentages { shares } = &mut last.formula {
                    for s in shares.iter_mut() {
                        match s.party.as_str() {
                            "leicestershire-police" => s.percent = "30".parse().expect("a percent"),
                            "lincolnshire-police" => s.percent = "20".parse().expect("a percent"),
                            _ => {}
                        }
                    }
                }
            }
            a.end = Some(day(2031, 4, 1));
            a.members
                .push(member("derbyshire-police", day(2026, 4, 1), None));
        },
    )?;
    let changes: Vec<(&str, Option<&Value>, Option<&Value>)> = amendment
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_ref(), c.after.as_ref()))
        .collect();
    let added = json!({"party": "derbyshire-police", "role": "member", "joined": "2026-04-01"});
    assert_eq!(
        changes,
        [
            (
                "costs.formulas[2016-04-01].formula.shares[leicestershire-police].percent",
                Some(&json!("25")),
                Some(&json!("30"))
            ),
            (
                "costs.formulas[2016-04-01].formula.shares[lincolnshire-police].percent",
                Some(&json!("25")),
                Some(&json!("20"))
            ),
            ("end", None, Some(&json!("2031-04-01"))),
            ("members[derbyshire-police@2026-04-01]", None, Some(&added)),
        ]
    );
    // The amendment is in the history, with its changes.
    let history = registry.history("em-operational-support")?;
    let amended = history
        .iter()
        .find_map(|e| match &e.event {
            Event::Amended { changes, .. } => Some((e.date, changes.len())),
            _ => None,
        })
        .ok_or("the amendment is in the history")?;
    assert_eq!(amended, (day(2026, 4, 1), 4));
    // The end it set is read back on days before it took effect.
    assert!(
        registry
            .as_of(day(2026, 3, 1))
            .expiring(day(2026, 3, 1), day(2040, 1, 1))
            .is_empty()
    );
    assert_eq!(
        registry
            .as_of(day(2026, 4, 1))
            .expiring(day(2026, 4, 1), day(2040, 1, 1))
            .len(),
        1
    );
    Ok(())
}

#[test]
fn a_late_amendment_of_the_members_does_not_rewrite_what_the_register_said() -> Result {
    let mut registry = collab_registry::sample()?;
    let members = |r: &Registry, t: NaiveDate| -> Vec<String> {
        r.as_of(day(2022, 5, 1))
            .as_recorded_on(t)
            .members_of("em-major-crime")
            .map(|m| m.members.iter().map(|m| m.party.to_string()).collect())
            .unwrap_or_default()
    };
    let five = members(&registry, day(2022, 5, 31));
    assert_eq!(five.len(), 5);
    // Entered on 10 June: Derbyshire left on 1 April and Bedfordshire
    // joined that day.
    registry.amend(
        "em-major-crime",
        When::on(day(2022, 4, 1)).entered(day(2022, 6, 10)),
        AmendmentKind::Variation,
        "Derbyshire out, Bedfordshire in",
        |a| {
            if let Some(m) = a
                .members
                .iter_mut()
                .find(|m| m.party.as_str() == "derbyshire-police")
            {
                m.left = Some(day(2022, 4, 1));
            }
            a.members
                .push(member("bedfordshire-police", day(2022, 4, 1), None));
        },
    )?;
    // At the end of May the register still said the five forces.
    assert_eq!(members(&registry, day(2022, 5, 31)), five);
    // From 10 June it says Bedfordshire in, Derbyshire out.
    let june = members(&registry, day(2022, 6, 10));
    assert!(
        june.contains(&"bedfordshire-police".to_string()),
        "{june:?}"
    );
    assert!(!june.contains(&"derbyshire-police".to_string()), "{june:?}");
    assert_eq!(june.len(), 5);
    Ok(())
}

#[test]
fn an_amendment_cannot_rewrite_a_dated_fact() -> Result {
    let mut registry = collab_registry::sample()?;
    let before = registry.to_json_string();
    let refused = |r: &mut Registry, edit: Edit| {
        r.amend(
            "em-operational-support",
            day(2026, 4, 1),
            AmendmentKind::Variation,
            "a rewrite",
            edit,
        )
        .expect_err("refused")
        .to_string()
    };
    type Edit = fn(&mut collab_registry::Agreement);
    let cases: [(Edit, &str); 5] = [
        (
            |a| {
                a.status.push(collab_registry::StatusChange {
                    status: Status::Terminated,
                    from: day(2026, 4, 1),
                    recorded: None,
                    note: None,
                    extra: Extra::new(),
                })
            },
            "goes through set_status or terminate",
        ),
        (|a| a.review.held.clear(), "recorded with record_review"),
        (
            |a| {
                a.members.pop();
            },
            "cannot remove a membership",
        ),
        (
            |a| a.members[0].joined = day(2012, 5, 1),
            "it is on the record, and an amendment may add to it but not change it",
        ),
        (
            // Derbyshire's departure on 1 April 2016 is on the record.
            |a| {
                for m in &mut a.members {
                    if m.party.as_str() == "derbyshire-police" {
                        m.left = Some(day(2017, 4, 1));
                    }
                }
            },
            "the leaving of derbyshire-police on 2016-04-01 is already recorded",
        ),
    ];
    for (edit, message) in cases {
        let err = refused(&mut registry, edit);
        assert!(err.contains(message), "{err:?} should say {message:?}");
        assert_eq!(registry.to_json_string(), before);
    }
    Ok(())
}
