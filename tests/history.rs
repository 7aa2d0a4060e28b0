//! History and the two kinds of time: what an agreement looked like on any
//! day, what the register said about it on any day, and its history in
//! date order.

use chrono::NaiveDate;
use collab_registry::model::{
    AgreementChange, AgreementId, AmendmentKind, Ending, Formula, Membership, PartyId, Role, Status,
};
use collab_registry::questions::{EndedBy, Event, HistoryEntry, PartyRef};
use collab_registry::time::When;
use collab_registry::{Change, ErrorKind, Registry};
use serde_json::json;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn member(party: &str, joined: NaiveDate) -> Membership {
    Membership::new(PartyId::new(party).expect("a slug"), Role::Member, joined)
}

/// A shared training unit of north and south from 1 April 2020, six months'
/// notice, then: east joins in April 2021; south serves notice on 30 June
/// 2021 (out on 30 December); suspended from 1 January 2022 (entered on
/// 20 January), active again from 1 June 2022; west joins on 1 April 2023
/// (entered a month ahead); and east's departure on 1 April 2023 is entered
/// late, on 15 June.
fn training() -> std::result::Result<Registry, Box<dyn std::error::Error>> {
    let party = |id: &str, name: &str| json!({"id": id, "name": name, "kind": "police_force"});
    let doc = json!({
        "schema_version": 2,
        "parties": [
            party("north-police", "North Police"),
            party("south-police", "South Police"),
            party("east-police", "East Police"),
            party("west-police", "West Police"),
        ],
        "agreements": [{
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
        }],
    });
    let mut registry = Registry::from_json_str(&doc.to_string())?;
    registry.join("shared-training", member("east-police", day(2021, 4, 1)))?;
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
        member("west-police", day(2023, 4, 1)).entered(day(2023, 3, 1)),
    )?;
    registry.leave(
        "shared-training",
        "east-police",
        When::on(day(2023, 4, 1)).entered(day(2023, 6, 15)),
    )?;
    Ok(registry)
}

/// Members (in the order they joined) and status of the training unit as
/// of `date`, as the register stood on `register` if given.
fn standing(
    registry: &Registry,
    date: NaiveDate,
    register: Option<NaiveDate>,
) -> (Vec<String>, Option<Status>) {
    let mut view = registry.as_of(date);
    if let Some(t) = register {
        view = view.as_recorded_on(t);
    }
    let a = view.agreement("shared-training").expect("known");
    (
        a.members().map(|m| m.party().to_string()).collect(),
        a.status(),
    )
}

/// A history as lines: the day, what happened and the day it was entered.
fn lines(history: &[HistoryEntry<'_>]) -> Vec<String> {
    history
        .iter()
        .map(|e| {
            let what = match &e.event {
                Event::Started => "started".to_string(),
                Event::Status { status, .. } => format!("status {status}"),
                Event::Joined { party, role } => format!("{} joined as {role}", party.id),
                Event::NoticeServed { party, withdrawal } => {
                    format!("{} served notice, out {withdrawal:?}", party.id)
                }
                Event::Left { party } => format!("{} left", party.id),
                Event::Reviewed { .. } => "reviewed".to_string(),
                Event::Amended { summary, .. } => format!("amended: {summary}"),
                Event::Ended => "ended".to_string(),
                _ => "something else".to_string(),
            };
            format!("{} {what} (entered {})", e.date, e.entered())
        })
        .collect()
}

#[test]
fn one_agreement_read_on_several_days() -> Result {
    let registry = training()?;
    let read = |y, m, d| standing(&registry, day(y, m, d), None);
    let names = |ids: &[&str]| {
        ids.iter()
            .map(std::string::ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(read(2020, 3, 31), (vec![], None));
    assert_eq!(
        read(2020, 4, 1),
        (
            names(&["north-police", "south-police"]),
            Some(Status::Active)
        )
    );
    assert_eq!(
        read(2021, 4, 1),
        (
            names(&["north-police", "south-police", "east-police"]),
            Some(Status::Active)
        )
    );
    // Notice served: still a member until the day it is out.
    assert_eq!(read(2021, 12, 29).0.len(), 3);
    assert_eq!(
        read(2021, 12, 30),
        (
            names(&["north-police", "east-police"]),
            Some(Status::Active)
        )
    );
    assert_eq!(read(2022, 1, 1).1, Some(Status::Suspended));
    assert_eq!(read(2022, 6, 1).1, Some(Status::Active));
    assert_eq!(
        read(2023, 4, 1),
        (
            names(&["north-police", "west-police"]),
            Some(Status::Active)
        )
    );
    // What south's membership said on the days around its notice: before
    // it was served, south was not yet due to leave.
    let south = |d| -> std::result::Result<Vec<_>, Box<dyn std::error::Error>> {
        Ok(registry
            .as_of(d)
            .agreement("shared-training")?
            .members()
            .filter(|m| m.party().as_str() == "south-police")
            .map(|m| (m.notice_served(), m.leaves().map(|l| l.first_day())))
            .collect())
    };
    assert_eq!(south(day(2021, 6, 29))?, [(None, None)]);
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
    let west = "west-police".to_string();
    assert!(
        standing(&registry, day(2023, 4, 1), Some(day(2023, 3, 1)))
            .0
            .contains(&west)
    );
    assert!(
        !standing(&registry, day(2023, 4, 1), Some(day(2023, 2, 28)))
            .0
            .contains(&west)
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
    Ok(())
}

#[test]
fn the_history_of_one_agreement_in_date_order() -> Result {
    let registry = training()?;
    let history = registry.history("shared-training")?;
    assert_eq!(
        lines(&history),
        [
            "2020-04-01 started (entered 2020-04-01)",
            "2020-04-01 status active (entered 2020-04-01)",
            "2020-04-01 north-police joined as lead (entered 2020-04-01)",
            "2020-04-01 south-police joined as member (entered 2020-04-01)",
            "2021-04-01 east-police joined as member (entered 2021-04-01)",
            "2021-06-30 south-police served notice, out Some(2021-12-30) (entered 2021-06-30)",
            // The departure followed from the notice, so it was known from then.
            "2021-12-30 south-police left (entered 2021-06-30)",
            "2022-01-01 status suspended (entered 2022-01-20)",
            "2022-06-01 status active (entered 2022-06-01)",
            "2023-04-01 west-police joined as member (entered 2023-03-01)",
            "2023-04-01 east-police left (entered 2023-06-15)",
        ]
    );
    // Entries serialise as flat records with the event named, and the
    // party named as on the day.
    let json = serde_json::to_value(&history[7])?;
    assert_eq!(
        json,
        json!({"date": "2022-01-01", "recorded": "2022-01-20", "approximate": false,
               "event": "status", "status": "suspended", "note": "Trainers redeployed", "ended_by": null})
    );
    assert_eq!(
        serde_json::to_value(&history[10])?,
        json!({"date": "2023-04-01", "recorded": "2023-06-15", "approximate": false,
               "event": "left", "party": {"id": "east-police", "name": "East Police"}})
    );
    Ok(())
}

#[test]
fn the_history_as_the_register_stood() -> Result {
    let registry = training()?;
    let history = registry.history("shared-training")?;
    // As the register stood in May 2023, the last line was not there.
    let may = registry
        .as_of(day(2023, 5, 1))
        .as_recorded_on(day(2023, 5, 31))
        .history("shared-training")?;
    assert_eq!(lines(&may), lines(&history[..history.len() - 1]));
    // As it stood on 10 January 2022, about that day: the suspension was
    // not yet entered.
    let january = registry
        .as_of(day(2022, 1, 10))
        .as_recorded_on(day(2022, 1, 10))
        .history("shared-training")?;
    assert_eq!(lines(&january), lines(&history[..7]));
    // As of a day with every fact known, the facts in effect by then.
    let by_2021 = registry
        .as_of(day(2021, 12, 31))
        .history("shared-training")?;
    assert_eq!(lines(&by_2021), lines(&history[..7]));
    // Before the register knew of a party's joining, the joining is not there.
    let february = registry
        .as_of(day(2023, 4, 1))
        .as_recorded_on(day(2023, 2, 28))
        .history("shared-training")?;
    assert!(!lines(&february).iter().any(|l| l.contains("west-police")));
    Ok(())
}

#[test]
fn an_amendment_records_each_change_it_made_and_its_end_is_read_back() -> Result {
    let mut registry = collab_registry::sample()?;
    let amendment = registry.amend(
        "em-operational-support",
        day(2026, 4, 1),
        AmendmentKind::Variation,
        "Leicestershire takes a larger share; a fixed end",
        |t| {
            if let Some(last) = t.costs_mut().formulas.last_mut() {
                if let Formula::FixedPercentages { shares, .. } = &mut last.formula {
                    for s in shares.iter_mut() {
                        match s.party.as_str() {
                            "leicestershire-police" => s.percent = "30".parse().expect("a percent"),
                            "lincolnshire-police" => s.percent = "20".parse().expect("a percent"),
                            _ => {}
                        }
                    }
                }
            }
            t.set_end(Some(day(2031, 4, 1)));
        },
    )?;
    let fields: Vec<String> = amendment
        .changes
        .iter()
        .map(|c| c.field().to_string())
        .collect();
    assert_eq!(fields, ["end", "costs.formulas[2016-04-01]"]);
    assert!(matches!(
        &amendment.changes[0],
        AgreementChange::End(c) if c.before.is_none() && c.after == Some(day(2031, 4, 1))
    ));
    let percent = |f: &Option<Formula>, party: &str| match f {
        Some(Formula::FixedPercentages { shares, .. }) => shares
            .iter()
            .find(|s| s.party.as_str() == party)
            .map(|s| s.percent.to_string()),
        _ => None,
    };
    let AgreementChange::Formula(from, c) = &amendment.changes[1] else {
        panic!("a formula change, not {:?}", amendment.changes[1]);
    };
    assert_eq!(*from, day(2016, 4, 1));
    assert_eq!(
        percent(&c.before, "leicestershire-police").as_deref(),
        Some("25")
    );
    assert_eq!(
        percent(&c.after, "leicestershire-police").as_deref(),
        Some("30")
    );
    assert_eq!(
        percent(&c.after, "lincolnshire-police").as_deref(),
        Some("20")
    );
    // The amendment is in the history, with its changes, and so is the end.
    let history = registry.history("em-operational-support")?;
    let amended = history
        .iter()
        .find_map(|e| match &e.event {
            Event::Amended { kind, changes, .. } => Some((e.date, *kind, changes.len())),
            _ => None,
        })
        .ok_or("the amendment is in the history")?;
    assert_eq!(amended, (day(2026, 4, 1), AmendmentKind::Variation, 2));
    assert_eq!(
        history.last().map(|e| (e.date, &e.event)),
        Some((day(2031, 4, 1), &Event::Ended))
    );
    let json = serde_json::to_value(
        history
            .iter()
            .find(|e| matches!(e.event, Event::Amended { .. })),
    )?;
    assert_eq!(
        json["changes"][0],
        json!({"field": "end", "before": null, "after": "2031-04-01"})
    );
    // As of a day before it took effect, neither the amendment nor the end.
    let march = registry
        .as_of(day(2026, 3, 1))
        .history("em-operational-support")?;
    assert!(
        march
            .iter()
            .all(|e| !matches!(e.event, Event::Amended { .. } | Event::Ended))
    );
    // The end it set is not read on days before it took effect.
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
fn a_change_of_role_is_an_amendment_and_the_joining_keeps_the_role_joined_with() -> Result {
    let mut registry = training()?;
    registry.change_role(
        "shared-training",
        "west-police",
        Role::Lead,
        day(2024, 4, 1),
    )?;
    let history = registry.history("shared-training")?;
    let west: Vec<String> = lines(&history)
        .into_iter()
        .filter(|l| l.contains("west-police"))
        .collect();
    assert_eq!(
        west,
        [
            "2023-04-01 west-police joined as member (entered 2023-03-01)",
            "2024-04-01 amended: west-police becomes lead (entered 2024-04-01)",
        ]
    );
    let role_changed = history.iter().any(|e| {
        e.date == day(2024, 4, 1)
            && matches!(&e.event, Event::Amended { changes, .. }
                if matches!(changes, [AgreementChange::Role(p, _, c)] if p.as_str() == "west-police" && c.after == Role::Lead))
    });
    assert!(role_changed);
    // On the day, the role of the day.
    let role_on = |d| -> std::result::Result<Option<Role>, Box<dyn std::error::Error>> {
        Ok(registry
            .as_of(d)
            .agreement("shared-training")?
            .members()
            .find(|m| m.party().as_str() == "west-police")
            .map(|m| m.role()))
    };
    assert_eq!(role_on(day(2024, 3, 31))?, Some(Role::Member));
    assert_eq!(role_on(day(2024, 4, 1))?, Some(Role::Lead));
    Ok(())
}

#[test]
fn a_late_departure_and_joining_do_not_rewrite_what_the_register_said() -> Result {
    let mut registry = collab_registry::sample()?;
    let members = |r: &Registry, t: NaiveDate| -> Vec<String> {
        r.as_of(day(2022, 5, 1))
            .as_recorded_on(t)
            .agreement("em-major-crime")
            .map(|a| a.members().map(|m| m.party().to_string()).collect())
            .unwrap_or_default()
    };
    let five = members(&registry, day(2022, 5, 31));
    assert_eq!(five.len(), 5);
    // Entered on 10 June: Derbyshire left on 1 April and Bedfordshire
    // joined that day.
    let june = day(2022, 6, 10);
    registry.leave(
        "em-major-crime",
        "derbyshire-police",
        When::on(day(2022, 4, 1)).entered(june),
    )?;
    registry.join(
        "em-major-crime",
        member("bedfordshire-police", day(2022, 4, 1)).entered(june),
    )?;
    // At the end of May the register still said the five forces.
    assert_eq!(members(&registry, day(2022, 5, 31)), five);
    // From 10 June it says Bedfordshire in, Derbyshire out.
    let now = members(&registry, june);
    assert!(now.contains(&"bedfordshire-police".to_string()), "{now:?}");
    assert!(!now.contains(&"derbyshire-police".to_string()), "{now:?}");
    assert_eq!(now.len(), 5);
    // The history reads the same way.
    let history_on =
        |t: NaiveDate| -> std::result::Result<Vec<String>, Box<dyn std::error::Error>> {
            Ok(lines(
                &registry
                    .as_of(day(2022, 5, 1))
                    .as_recorded_on(t)
                    .history("em-major-crime")?,
            ))
        };
    assert!(
        !history_on(day(2022, 5, 31))?
            .iter()
            .any(|l| l.starts_with("2022-04-01"))
    );
    assert_eq!(
        history_on(june)?
            .iter()
            .filter(|l| l.starts_with("2022-04-01"))
            .cloned()
            .collect::<Vec<_>>(),
        [
            "2022-04-01 bedfordshire-police joined as member (entered 2022-06-10)",
            "2022-04-01 derbyshire-police left (entered 2022-06-10)",
        ]
    );
    Ok(())
}

#[test]
fn a_refused_amendment_changes_nothing() -> Result {
    let mut registry = collab_registry::sample()?;
    let before = registry.to_json_string();
    // An end before the members joined breaks a rule of the record.
    let err = registry
        .amend(
            "em-operational-support",
            day(2026, 4, 1),
            AmendmentKind::Variation,
            "a rewrite",
            |t| {
                t.set_end(Some(day(2011, 1, 1)));
            },
        )
        .expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    assert_eq!(registry.to_json_string(), before);
    assert!(
        !registry
            .history("em-operational-support")?
            .iter()
            .any(|e| matches!(e.event, Event::Amended { .. }))
    );
    Ok(())
}

#[test]
fn the_history_of_an_agreement_the_register_did_not_know_is_refused() -> Result {
    let registry = collab_registry::sample()?;
    let err = registry.history("atlantis-pact").expect_err("unknown");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    let err = registry
        .as_of(day(2026, 1, 1))
        .history("atlantis-pact")
        .expect_err("unknown");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    Ok(())
}

#[test]
fn an_agreement_ended_by_one_members_notice_names_the_member_and_its_notice() -> Result {
    let mut registry = training()?;
    // North serves six months' notice on 2 October 2023 (entered on the
    // 5th), out on 2 April 2024; with only West left the unit ends that
    // day, ended by North's notice. One batch, since North's departure
    // alone would leave one member in force.
    registry.apply([
        Change::ServeNotice {
            agreement: AgreementId::new("shared-training")?,
            party: PartyId::new("north-police")?,
            when: When::on(day(2023, 10, 2)).entered(day(2023, 10, 5)),
        },
        Change::SetStatus {
            agreement: AgreementId::new("shared-training")?,
            status: Status::Terminated,
            when: When::on(day(2024, 4, 2)),
            note: Some("North's withdrawal ends the unit".into()),
            ended_by: Some(Ending::Notice(PartyId::new("north-police")?)),
        },
    ])?;
    let on = registry.as_of(day(2024, 6, 1));
    let history = on.history("shared-training")?;
    let ending = history
        .iter()
        .find(|e| {
            matches!(
                e.event,
                Event::Status {
                    status: Status::Terminated,
                    ..
                }
            )
        })
        .ok_or("the termination is in the history")?;
    assert_eq!(
        serde_json::to_value(ending)?,
        json!({"date": "2024-04-02", "recorded": null, "approximate": false,
               "event": "status", "status": "terminated", "note": "North's withdrawal ends the unit",
               "ended_by": {"by": "notice", "party": {"id": "north-police", "name": "North Police"},
                            "notice_served": "2023-10-02"}})
    );
    // The notice it links to is in the history too, on its day.
    assert!(
        lines(&history).contains(
            &"2023-10-02 north-police served notice, out Some(2024-04-02) (entered 2023-10-05)"
                .to_string()
        )
    );
    let members = on.members_of("shared-training")?;
    assert!(members.ended && members.members.is_empty());
    assert_eq!(
        members.ended_by,
        Some(EndedBy::Notice {
            party: PartyRef::new(&PartyId::new("north-police")?, "North Police"),
            notice_served: Some(day(2023, 10, 2)),
        })
    );
    // The day before, it had not ended.
    assert_eq!(
        registry
            .as_of(day(2024, 4, 1))
            .members_of("shared-training")?
            .ended_by,
        None
    );
    Ok(())
}
