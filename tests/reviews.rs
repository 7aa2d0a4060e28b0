//! Reviews and notice: when is each agreement next reviewed, what is due or
//! overdue, what expires, and when must a member serve notice to be out in
//! time?

use chrono::{Days, NaiveDate};
use collab_registry::model::{
    AmendmentKind, Currency, ExitCosts, LeavingRules, MAX_MONTHS, Money, Review, ReviewAnchor,
    Status, Term, TermUnit, add_months,
};
use collab_registry::questions::{OutBy, ReviewDue};
use collab_registry::time::{When, next_review, withdrawal_day};
use collab_registry::{ErrorKind, Registry, Scope};
use proptest::prelude::*;
use serde_json::{Value, json};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn sample() -> Registry {
    collab_registry::sample().expect("the sample loads")
}

fn ids<'a>(rows: impl IntoIterator<Item = &'a ReviewDue<'a>>) -> Vec<&'a str> {
    rows.into_iter().map(|r| r.agreement.id.as_str()).collect()
}

/// A registry of three forces and the given agreements between them.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the callers build the agreements in place with json!, and each call stays one expression"
)]
fn registry(agreements: Vec<Value>) -> Registry {
    let doc = json!({
        "schema_version": 2,
        "parties": [
            {"id": "north-police", "name": "North Police", "kind": "police_force"},
            {"id": "south-police", "name": "South Police", "kind": "police_force"},
            {"id": "east-police", "name": "East Police", "kind": "police_force"},
        ],
        "agreements": agreements,
    });
    Registry::from_json_str(&doc.to_string()).expect("a valid registry")
}

/// An agreement of the three forces starting on `start`, active from then,
/// with the fields of `extra`.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the callers build the terms in place with json!, and each call stays one expression"
)]
fn agreement(id: &str, start: &str, extra: Value) -> Value {
    let member = |p: &str| json!({"party": p, "role": "member", "joined": start});
    let mut a = json!({
        "id": id,
        "title": id,
        "legal_basis": "contract",
        "start": start,
        "status": [{"status": "active", "from": start}],
        "members": [member("north-police"), member("south-police"), member("east-police")],
    });
    if let (Some(a), Some(extra)) = (a.as_object_mut(), extra.as_object()) {
        a.extend(extra.clone());
    }
    a
}

/// Agreements of the three forces with a review policy each.
fn with_policies(policies: &[(&str, &str, Value)]) -> Registry {
    registry(
        policies
            .iter()
            .map(|(id, start, review)| agreement(id, start, json!({"review": review})))
            .collect(),
    )
}

fn members_on(registry: &Registry, agreement: &str, on: NaiveDate) -> Vec<String> {
    registry
        .as_of(on)
        .agreement(agreement)
        .map(|a| a.members().map(|m| m.party().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn month_arithmetic_clamps_to_the_end_of_the_month() {
    assert_eq!(add_months(day(2024, 2, 29), 12), Some(day(2025, 2, 28)));
    assert_eq!(add_months(day(2024, 2, 29), 48), Some(day(2028, 2, 29)));
    assert_eq!(add_months(day(2023, 1, 31), 1), Some(day(2023, 2, 28)));
    assert_eq!(add_months(day(2024, 1, 31), 1), Some(day(2024, 2, 29)));
    assert_eq!(add_months(day(2100, 1, 31), 1), Some(day(2100, 2, 28))); // not a leap year
    assert_eq!(add_months(day(2000, 1, 31), 1), Some(day(2000, 2, 29))); // a leap year
    assert_eq!(add_months(day(2021, 8, 31), 6), Some(day(2022, 2, 28)));
    assert_eq!(add_months(day(2021, 12, 31), 3), Some(day(2022, 3, 31)));
}

#[test]
fn the_next_review_follows_the_cadence_from_the_start_or_the_last_review() -> Result {
    let registry = with_policies(&[
        ("leap", "2024-02-29", json!({"cadence_months": 12})),
        ("january", "2024-01-31", json!({"cadence_months": 1})),
        ("plain-january", "2023-01-31", json!({"cadence_months": 1})),
        (
            "by-hand",
            "2020-04-01",
            json!({"cadence_months": 12, "next_due": "2021-01-15"}),
        ),
    ]);
    let on = registry.as_of(day(2024, 3, 1));
    assert_eq!(on.next_review("leap")?, Some(day(2025, 2, 28)));
    assert_eq!(on.next_review("january")?, Some(day(2024, 2, 29)));
    assert_eq!(on.next_review("plain-january")?, Some(day(2023, 2, 28)));
    // A date set by hand wins over the cadence while it is after the last review.
    assert_eq!(on.next_review("by-hand")?, Some(day(2021, 1, 15)));
    let err = on.next_review("no-such").expect_err("unknown");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    assert_eq!(err.agreement_id(), Some("no-such"));
    Ok(())
}

#[test]
fn recording_a_review_moves_the_next_due_date_and_is_kept() -> Result {
    let mut registry = with_policies(&[(
        "by-hand",
        "2020-04-01",
        json!({"cadence_months": 12, "next_due": "2021-01-15"}),
    )]);
    registry.record_review("by-hand", Review::new(day(2021, 1, 20)).outcome("Continue"))?;
    // The hand-set date is no longer after the last review: the cadence takes over.
    let february = registry.as_of(day(2021, 2, 1));
    assert_eq!(february.next_review("by-hand")?, Some(day(2022, 1, 20)));
    // Before the review, the hand-set date stood.
    assert_eq!(
        registry.as_of(day(2021, 1, 19)).next_review("by-hand")?,
        Some(day(2021, 1, 15))
    );
    let view = february.agreement("by-hand")?;
    assert_eq!(view.reviews_held().count(), 1);
    assert_eq!(
        next_review(day(2020, 4, 1), view.review(), view.last_review()),
        february.next_review("by-hand")?
    );
    // A review before the start is refused.
    let err = registry
        .record_review("by-hand", Review::new(day(2020, 1, 1)))
        .expect_err("before the start");
    assert_eq!(err.kind(), ErrorKind::OutOfPeriod);
    Ok(())
}

#[test]
fn a_cadence_anchored_on_the_start_keeps_its_anniversaries() -> Result {
    // Both reviewed every 12 months from 1 April 2020, both reviewed late,
    // on 10 June 2021.
    let held = json!([{"date": "2021-06-10"}]);
    let mut registry = with_policies(&[
        (
            "anchored",
            "2020-04-01",
            json!({"cadence_months": 12, "anchor": "start", "held": held}),
        ),
        (
            "counted",
            "2020-04-01",
            json!({"cadence_months": 12, "held": held}),
        ),
    ]);
    let july = registry.as_of(day(2021, 7, 1));
    assert_eq!(july.next_review("anchored")?, Some(day(2022, 4, 1)));
    assert_eq!(july.next_review("counted")?, Some(day(2022, 6, 10)));
    // Before the late review, both were due on the first anniversary.
    assert_eq!(
        registry.as_of(day(2021, 5, 1)).next_review("anchored")?,
        Some(day(2021, 4, 1))
    );
    assert_eq!(
        registry.as_of(day(2021, 5, 1)).next_review("counted")?,
        Some(day(2021, 4, 1))
    );
    let due: Vec<(&str, NaiveDate)> = july
        .reviews_due(day(2022, 1, 1), day(2022, 12, 31))
        .iter()
        .map(|r| (r.agreement.id.as_str(), r.due))
        .collect();
    assert_eq!(
        due,
        [("anchored", day(2022, 4, 1)), ("counted", day(2022, 6, 10))]
    );
    // Anchoring the other one from 1 September moves its review from then on.
    registry.amend(
        "counted",
        day(2021, 9, 1),
        AmendmentKind::Variation,
        "Reviews on the anniversary",
        |t| {
            t.review_mut().anchor = ReviewAnchor::Start;
        },
    )?;
    assert_eq!(
        registry.as_of(day(2021, 8, 31)).next_review("counted")?,
        Some(day(2022, 6, 10))
    );
    assert_eq!(
        registry.as_of(day(2021, 9, 1)).next_review("counted")?,
        Some(day(2022, 4, 1))
    );
    let august = registry.as_of(day(2021, 8, 31));
    assert_eq!(
        ids(&august.reviews_due(day(2022, 6, 10), day(2022, 6, 10))),
        ["counted"]
    );
    assert_eq!(
        ids(&registry
            .as_of(day(2021, 9, 1))
            .reviews_due(day(2022, 4, 1), day(2022, 4, 1))),
        ["anchored", "counted"]
    );
    Ok(())
}

#[test]
fn what_is_due_in_the_next_90_days_and_what_is_overdue_on_23_november_2026() {
    let registry = sample();
    let today = day(2026, 11, 23);
    let view = registry.as_of(today);
    let soon = view.reviews_due(today, today + Days::new(90));
    let rows: Vec<(&str, NaiveDate, Option<NaiveDate>)> = soon
        .iter()
        .map(|r| (r.agreement.id.as_str(), r.due, r.last_review))
        .collect();
    assert_eq!(
        rows,
        [
            ("em-major-crime", day(2026, 12, 1), Some(day(2025, 12, 1))),
            ("em-learning-development", day(2027, 1, 15), None),
        ]
    );
    assert!(
        soon.iter()
            .all(|r| r.days_overdue.is_none() && !r.approximate)
    );
    assert!(soon.iter().all(|r| r.status == Some(Status::Active)));
    let late = view.overdue_reviews();
    let rows: Vec<(&str, NaiveDate, Option<i64>)> = late
        .iter()
        .map(|r| (r.agreement.id.as_str(), r.due, r.days_overdue))
        .collect();
    assert_eq!(
        rows,
        [
            ("em-collaboration-programme", day(2014, 12, 18), Some(4358)),
            ("em-public-order", day(2016, 4, 1), Some(3888)),
            ("em-operational-support", day(2026, 6, 30), Some(146)),
            (
                "northamptonshire-enabling-services",
                day(2026, 11, 20),
                Some(3)
            ),
        ]
    );
    // Due today is due, not overdue.
    let on_the_day = registry.as_of(day(2026, 12, 1));
    assert!(!ids(&on_the_day.overdue_reviews()).contains(&"em-major-crime"));
    assert_eq!(
        ids(&on_the_day.reviews_due(day(2026, 12, 1), day(2026, 12, 1))),
        ["em-major-crime"]
    );
    // A range the wrong way round holds nothing.
    assert!(
        view.reviews_due(day(2027, 1, 1), day(2026, 1, 1))
            .is_empty()
    );
}

#[test]
fn a_review_row_serialises_with_its_agreement_named() -> Result {
    let registry = sample();
    let today = day(2026, 11, 23);
    let soon = registry
        .as_of(today)
        .reviews_due(today, today + Days::new(10));
    let row = soon.first().ok_or("a review")?;
    assert_eq!(
        serde_json::to_value(row)?,
        json!({
            "agreement": {"id": "em-major-crime", "title": row.agreement.title},
            "status": "active",
            "due": "2026-12-01",
            "last_review": "2025-12-01",
            "days_overdue": null,
            "approximate": false,
        })
    );
    Ok(())
}

#[test]
fn reviews_are_grouped_by_the_body_that_governs_the_agreement() {
    let registry = sample();
    let groups = registry
        .as_of(day(2026, 11, 23))
        .reviews_by_body(day(2014, 1, 1), day(2027, 3, 31));
    let shape: Vec<(Option<&str>, Vec<&str>)> = groups
        .iter()
        .map(|g| (g.body.map(|b| b.id.as_str()), ids(&g.reviews)))
        .collect();
    assert_eq!(
        shape,
        [
            (
                Some("em-joint-management-board"),
                vec!["em-collaboration-programme"]
            ),
            (
                Some("em-operational-delivery-board"),
                vec![
                    "em-public-order",
                    "em-operational-support",
                    "em-major-crime"
                ]
            ),
            (
                Some("em-regional-meeting"),
                vec!["em-collaboration-programme"]
            ),
            (
                Some("em-support-delivery-board"),
                vec!["em-learning-development"]
            ),
            (
                Some("northamptonshire-enabling-services-board"),
                vec!["northamptonshire-enabling-services"]
            ),
        ]
    );
}

#[test]
fn an_agreement_no_body_governs_is_grouped_on_its_own() {
    let registry = with_policies(&[("alone", "2020-04-01", json!({"cadence_months": 12}))]);
    let groups = registry
        .as_of(day(2021, 1, 1))
        .reviews_by_body(day(2021, 1, 1), day(2021, 12, 31));
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].body, None);
    assert_eq!(ids(&groups[0].reviews), ["alone"]);
}

#[test]
fn the_calendar_as_of_a_past_day_counts_only_the_reviews_held_by_then() -> Result {
    let mut registry = sample();
    // em-major-crime was reviewed on 1 December 2025 (cadence 12 months, from 2012).
    let before = registry.as_of(day(2025, 11, 1));
    assert_eq!(before.next_review("em-major-crime")?, Some(day(2013, 4, 1)));
    assert!(ids(&before.overdue_reviews()).contains(&"em-major-crime"));
    assert!(
        !ids(&before.reviews_due(day(2026, 12, 1), day(2026, 12, 1))).contains(&"em-major-crime")
    );
    // A review entered late: held on 1 June 2026, entered on 1 August.
    registry.record_review(
        "em-operational-support",
        Review::new(day(2026, 6, 1))
            .entered(day(2026, 8, 1))
            .outcome("Continue"),
    )?;
    let july = registry.as_of(day(2026, 7, 15));
    assert_eq!(
        july.next_review("em-operational-support")?,
        Some(day(2027, 6, 1))
    );
    assert!(!ids(&july.overdue_reviews()).contains(&"em-operational-support"));
    // As the register stood in July, the June review was not yet known.
    let as_it_stood = july.as_recorded_on(day(2026, 7, 15));
    assert_eq!(
        as_it_stood.next_review("em-operational-support")?,
        Some(day(2026, 6, 30))
    );
    let late: Vec<(&str, Option<i64>)> = as_it_stood
        .overdue_reviews()
        .iter()
        .map(|r| (r.agreement.id.as_str(), r.days_overdue))
        .collect();
    assert!(
        late.contains(&("em-operational-support", Some(15))),
        "{late:?}"
    );
    Ok(())
}

#[test]
fn terminated_and_proposed_agreements_are_not_listed_and_an_amended_date_is_read_back() -> Result {
    let mut registry = sample();
    registry.terminate("em-public-order", day(2026, 4, 1), None)?;
    let now = registry.as_of(day(2026, 11, 23));
    assert!(!ids(&now.overdue_reviews()).contains(&"em-public-order"));
    assert_eq!(now.next_review("em-public-order")?, None);
    // Before the termination it was overdue, as it had been since 2016.
    let before = registry.as_of(day(2026, 3, 1));
    assert!(ids(&before.overdue_reviews()).contains(&"em-public-order"));
    // A review date moved by an amendment: the old date holds before it.
    registry.amend(
        "em-learning-development",
        day(2026, 12, 1),
        AmendmentKind::Variation,
        "Review moved to March",
        |t| t.review_mut().next_due = Some(day(2027, 3, 15)),
    )?;
    let now = registry.as_of(day(2026, 11, 23));
    assert_eq!(
        now.next_review("em-learning-development")?,
        Some(day(2027, 1, 15))
    );
    assert_eq!(
        ids(&now.reviews_due(day(2027, 1, 15), day(2027, 1, 15))),
        ["em-learning-development"]
    );
    let later = registry.as_of(day(2026, 12, 2));
    assert_eq!(
        later.next_review("em-learning-development")?,
        Some(day(2027, 3, 15))
    );
    assert!(
        later
            .reviews_due(day(2027, 1, 15), day(2027, 1, 15))
            .is_empty()
    );
    // Only agreements that count under the scope are listed.
    let mut suspended = with_policies(&[("plan", "2020-04-01", json!({"cadence_months": 6}))]);
    suspended.set_status("plan", Status::Suspended, day(2020, 5, 1), None)?;
    let view = suspended.as_of(day(2021, 1, 1));
    assert!(view.overdue_reviews().is_empty());
    assert_eq!(
        ids(&view.scope(Scope::AnyStatus).overdue_reviews()),
        ["plan"]
    );
    assert_eq!(
        view.scope(Scope::AnyStatus).overdue_reviews()[0].status,
        Some(Status::Suspended)
    );
    Ok(())
}

#[test]
fn expiring_agreements_are_listed_by_their_last_day() -> Result {
    let mut registry = sample();
    registry.amend(
        "bch-strategic-alliance",
        When::on(day(2026, 6, 1)).entered(day(2026, 6, 3)),
        AmendmentKind::Variation,
        "A fixed term to 31 March 2027",
        |t| t.set_end(Some(day(2027, 4, 1))),
    )?;
    registry.amend(
        "bch-operational-support",
        day(2026, 6, 1),
        AmendmentKind::Variation,
        "A fixed term to 31 December 2026",
        |t| t.set_end(Some(day(2027, 1, 1))),
    )?;
    let view = registry.as_of(day(2026, 11, 23));
    let rows: Vec<(&str, NaiveDate, i64)> = view
        .expiring(day(2026, 11, 23), day(2027, 3, 31))
        .iter()
        .map(|e| (e.agreement.id.as_str(), e.last_day, e.days_left))
        .collect();
    assert_eq!(
        rows,
        [
            ("bch-operational-support", day(2026, 12, 31), 38),
            ("bch-strategic-alliance", day(2027, 3, 31), 128),
        ]
    );
    assert_eq!(view.expiring(day(2026, 11, 23), day(2027, 3, 30)).len(), 1);
    // As the register stood on 2 June, the alliance had no end yet.
    let stood = registry
        .as_of(day(2026, 6, 2))
        .as_recorded_on(day(2026, 6, 2));
    let rows: Vec<&str> = stood
        .expiring(day(2026, 6, 2), day(2027, 12, 31))
        .iter()
        .map(|e| e.agreement.id.as_str())
        .collect();
    assert_eq!(rows, ["bch-operational-support"]);
    // Before the amendments took effect, neither had an end.
    assert!(
        registry
            .as_of(day(2026, 5, 31))
            .expiring(day(2026, 5, 31), day(2030, 1, 1))
            .is_empty()
    );
    // Once ended, it is no longer listed.
    assert!(
        registry
            .as_of(day(2027, 4, 1))
            .expiring(day(2027, 1, 1), day(2027, 12, 31))
            .is_empty()
    );
    Ok(())
}

#[test]
fn an_end_entered_late_is_read_the_same_way_by_in_force_and_expiring() -> Result {
    let mut registry = sample();
    let id = "northamptonshire-police-fire-response";
    // Ended on 1 September 2026 by an amendment made from 1 June, but only
    // entered on 1 October.
    registry.amend(
        id,
        When::on(day(2026, 6, 1)).entered(day(2026, 10, 1)),
        AmendmentKind::Variation,
        "Ends on 1 September 2026",
        |t| t.set_end(Some(day(2026, 9, 1))),
    )?;
    let ask = |on: NaiveDate,
               register: NaiveDate|
     -> std::result::Result<(bool, Vec<NaiveDate>), Box<dyn std::error::Error>> {
        let at = registry.as_of(on).as_recorded_on(register);
        let in_force = at.agreement(id)?.in_force();
        let ending = at
            .expiring(on, day(2027, 12, 31))
            .iter()
            .filter(|e| e.agreement.id.as_str() == id)
            .map(|e| e.last_day)
            .collect();
        Ok((in_force, ending))
    };
    // In August, as the register stood in September: no end known, in force.
    assert_eq!(ask(day(2026, 8, 1), day(2026, 9, 20))?, (true, vec![]));
    // The same day as the register stood once it was entered: in force, ending on 31 August.
    assert_eq!(
        ask(day(2026, 8, 1), day(2026, 10, 1))?,
        (true, vec![day(2026, 8, 31)])
    );
    // Mid-September: in force until the register learnt of the end, then not.
    assert_eq!(ask(day(2026, 9, 15), day(2026, 9, 20))?, (true, vec![]));
    assert_eq!(ask(day(2026, 9, 15), day(2026, 10, 1))?, (false, vec![]));
    // Before the amendment took effect, whatever the register knew, no end.
    assert_eq!(ask(day(2026, 5, 1), day(2026, 10, 1))?, (true, vec![]));
    Ok(())
}

#[test]
fn notice_served_takes_effect_after_the_period_and_the_member_stays_until_then() -> Result {
    let mut registry = sample();
    // em-major-crime: twelve months, aligned to the financial year end.
    let out = registry.serve_notice("em-major-crime", "lincolnshire-police", day(2026, 3, 31))?;
    assert_eq!(out, day(2027, 4, 1));
    let lincs = "lincolnshire-police".to_string();
    assert!(members_on(&registry, "em-major-crime", day(2027, 3, 31)).contains(&lincs));
    let next_year = members_on(&registry, "em-major-crime", day(2027, 4, 1));
    assert_eq!(next_year.len(), 4);
    assert!(!next_year.contains(&lincs));
    Ok(())
}

#[test]
fn notice_served_on_the_last_day_of_a_month() -> Result {
    let mut registry = sample();
    let rules =
        |r: &Registry, id: &str| -> std::result::Result<LeavingRules, Box<dyn std::error::Error>> {
            Ok(r.as_of(day(2026, 5, 1)).agreement(id)?.leaving().clone())
        };
    let ops = rules(&registry, "em-operational-support")?;
    // Six months from 31 August is 28 February; aligned, so out on 1 April.
    assert_eq!(
        withdrawal_day(&ops, day(2026, 8, 31)),
        Some(day(2027, 4, 1))
    );
    // Six months from 30 September is 31 March: still out on 1 April 2027.
    assert_eq!(
        withdrawal_day(&ops, day(2026, 9, 30)),
        Some(day(2027, 4, 1))
    );
    // From 31 October, 30 April: a whole year later.
    assert_eq!(
        withdrawal_day(&ops, day(2026, 10, 31)),
        Some(day(2028, 4, 1))
    );
    // Twelve months, not aligned: 31 January 2024 gives 31 January 2025;
    // 29 February 2024 gives 28 February 2025.
    let alliance = rules(&registry, "northants-leics-notts-alliance")?;
    assert_eq!(
        withdrawal_day(&alliance, day(2024, 1, 31)),
        Some(day(2025, 1, 31))
    );
    let out = registry.serve_notice(
        "northants-leics-notts-alliance",
        "leicestershire-police",
        day(2024, 2, 29),
    )?;
    assert_eq!(out, day(2025, 2, 28));
    Ok(())
}

#[test]
fn notice_twice_or_outside_the_agreement_is_refused_and_changes_nothing() -> Result {
    let mut registry = sample();
    registry.serve_notice("em-major-crime", "derbyshire-police", day(2026, 1, 10))?;
    for (agreement, party, expected) in [
        (
            "em-major-crime",
            "derbyshire-police",
            ErrorKind::NoticeAlreadyServed,
        ),
        (
            "em-public-order",
            "leicestershire-police",
            ErrorKind::NotAMember,
        ),
        // Derbyshire left operational support in 2016.
        (
            "em-operational-support",
            "derbyshire-police",
            ErrorKind::NotAMember,
        ),
    ] {
        let before = registry.to_json_string();
        let err = registry
            .serve_notice(agreement, party, day(2026, 2, 1))
            .expect_err("refused");
        assert_eq!(err.kind(), expected, "{err}");
        assert_eq!(registry.to_json_string(), before);
    }
    Ok(())
}

#[test]
fn the_last_day_to_serve_notice_to_be_out_by_the_financial_year_end() -> Result {
    let registry = sample();
    let may = registry.as_of(day(2026, 5, 1));
    // Six months, aligned: serve by 1 October 2026 to be out by 1 April 2027.
    let d = may.notice_deadline(
        "em-operational-support",
        "leicestershire-police",
        OutBy::FinancialYearEnd,
    )?;
    assert_eq!(
        (d.serve_by, d.out_by, d.days_left),
        (day(2026, 10, 1), day(2027, 4, 1), 153)
    );
    assert_eq!(
        (d.notice_months, d.aligned_to_financial_year_end),
        (Some(6), true)
    );
    let concerned: Vec<&str> = d.members.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(concerned, ["leicestershire-police"]);
    // Twelve months, aligned: too late for 2026/27 by May. The refusal gives
    // the day out wanted, the deadline missed and the day out if served now.
    let err = may
        .notice_deadline(
            "em-major-crime",
            "leicestershire-police",
            OutBy::FinancialYearEnd,
        )
        .expect_err("too late");
    assert_eq!(err.kind(), ErrorKind::DeadlinePassed);
    let text = err.to_string();
    for date in ["2027-04-01", "2026-04-01", "2028-04-01"] {
        assert!(text.contains(date), "{text} should name {date}");
    }
    // Financial year boundaries: on 31 March the year ending that day is meant;
    // on 1 April the next one.
    let err = registry
        .as_of(day(2026, 3, 31))
        .notice_deadline(
            "em-major-crime",
            "leicestershire-police",
            OutBy::FinancialYearEnd,
        )
        .expect_err("too late");
    assert_eq!(err.kind(), ErrorKind::DeadlinePassed);
    assert!(err.to_string().contains("2026-04-01"), "{err}");
    let d = registry.as_of(day(2026, 4, 1)).notice_deadline(
        "em-major-crime",
        "leicestershire-police",
        OutBy::FinancialYearEnd,
    )?;
    assert_eq!((d.serve_by, d.out_by), (day(2026, 4, 1), day(2027, 4, 1)));
    // A given day, and the agreement's expiry.
    let d = may.notice_deadline(
        "northants-leics-notts-alliance",
        "leicestershire-police",
        OutBy::Day(day(2027, 6, 30)),
    )?;
    assert_eq!((d.serve_by, d.out_by), (day(2026, 6, 30), day(2027, 6, 30)));
    let err = may
        .notice_deadline(
            "northants-leics-notts-alliance",
            "leicestershire-police",
            OutBy::Expiry,
        )
        .expect_err("no end");
    assert_eq!(err.kind(), ErrorKind::OutOfPeriod);
    // Only a member has a deadline, and only a known party or agreement.
    for (agreement, party, kind) in [
        (
            "em-public-order",
            "leicestershire-police",
            ErrorKind::NotAMember,
        ),
        ("em-public-order", "atlantis-police", ErrorKind::UnknownId),
        (
            "atlantis-pact",
            "leicestershire-police",
            ErrorKind::UnknownId,
        ),
    ] {
        let err = may
            .notice_deadline(agreement, party, OutBy::FinancialYearEnd)
            .expect_err("refused");
        assert_eq!(err.kind(), kind, "{err}");
    }
    // With no notice period, notice takes effect the next day: the deadline
    // is the day before.
    let d = may.notice_deadline(
        "em-learning-development",
        "derbyshire-police",
        OutBy::FinancialYearEnd,
    )?;
    assert_eq!(
        (d.serve_by, d.out_by, d.notice_months),
        (day(2027, 3, 31), day(2027, 4, 1), None)
    );
    Ok(())
}

#[test]
fn the_deadline_follows_the_leaving_rules_of_the_day_asked() -> Result {
    let mut registry = sample();
    let ask = |r: &Registry, on: NaiveDate, out_by: OutBy| {
        r.as_of(on)
            .notice_deadline("em-operational-support", "lincolnshire-police", out_by)
            .map(|d| (d.serve_by, d.out_by, d.notice_months))
            .map_err(|e| e.kind())
    };
    let may = day(2026, 5, 1);
    assert_eq!(
        ask(&registry, may, OutBy::FinancialYearEnd),
        Ok((day(2026, 10, 1), day(2027, 4, 1), Some(6)))
    );
    // Twelve months' notice from 1 January 2027, agreed and entered on 1 May 2026.
    registry.amend(
        "em-operational-support",
        When::on(day(2027, 1, 1)).entered(may),
        AmendmentKind::Variation,
        "Twelve months' notice from 2027",
        |t| t.leaving_mut().notice_months = Some(12),
    )?;
    // Asked about 1 May 2026, the six-month rule of that day still applies.
    assert_eq!(
        ask(&registry, may, OutBy::FinancialYearEnd),
        Ok((day(2026, 10, 1), day(2027, 4, 1), Some(6)))
    );
    // From 2 January 2027 the twelve-month rule applies: too late for 2026/27...
    assert_eq!(
        ask(&registry, day(2027, 1, 2), OutBy::FinancialYearEnd),
        Err(ErrorKind::DeadlinePassed)
    );
    // ...and out by 1 April 2029 means serving by 1 April 2028.
    assert_eq!(
        ask(&registry, day(2027, 1, 2), OutBy::Day(day(2029, 4, 1))),
        Ok((day(2028, 4, 1), day(2029, 4, 1), Some(12)))
    );
    let listed = registry.as_of(day(2027, 1, 2)).notice_deadlines();
    let ops = listed
        .iter()
        .find(|d| d.agreement.id.as_str() == "em-operational-support")
        .ok_or("listed")?;
    assert_eq!(
        (ops.serve_by, ops.out_by),
        (day(2027, 4, 1), day(2028, 4, 1))
    );
    Ok(())
}

#[test]
fn the_deadline_before_an_expiry() -> Result {
    let mut registry = sample();
    registry.amend(
        "em-operational-support",
        day(2026, 1, 1),
        AmendmentKind::Extension,
        "Fixed term to 30 September 2028",
        |t| t.set_end(Some(day(2028, 10, 1))),
    )?;
    let d = registry.as_of(day(2026, 11, 23)).notice_deadline(
        "em-operational-support",
        "lincolnshire-police",
        OutBy::Expiry,
    )?;
    // Six months aligned: the last 1 April before the end is 2028; serve by 1 October 2027.
    assert_eq!(
        (d.serve_by, d.out_by, d.target),
        (day(2027, 10, 1), day(2028, 4, 1), OutBy::Expiry)
    );
    Ok(())
}

#[test]
fn each_agreement_lists_its_next_notice_deadlines() -> Result {
    let mut registry = sample();
    registry.serve_notice("em-major-crime", "derbyshire-police", day(2026, 1, 10))?;
    let view = registry.as_of(day(2026, 11, 23));
    let rows: Vec<(&str, NaiveDate, NaiveDate, usize)> = view
        .notice_deadlines()
        .iter()
        .map(|d| {
            (
                d.agreement.id.as_str(),
                d.serve_by,
                d.out_by,
                d.members.len(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            // Derbyshire has served notice, so four members are concerned.
            ("em-major-crime", day(2027, 4, 1), day(2028, 4, 1), 4),
            (
                "northants-leics-notts-alliance",
                day(2027, 4, 1),
                day(2028, 4, 1),
                3
            ),
            (
                "em-operational-support",
                day(2027, 10, 1),
                day(2028, 4, 1),
                4
            ),
        ]
    );
    // In May, 2026/27 is still within reach for operational support.
    let may = registry.as_of(day(2026, 5, 1)).notice_deadlines();
    let ops = may
        .iter()
        .find(|d| d.agreement.id.as_str() == "em-operational-support")
        .ok_or("listed")?;
    assert_eq!(ops.serve_by, day(2026, 10, 1));
    // A deadline serialises with its target and members named.
    let json = serde_json::to_value(ops)?;
    assert_eq!(json["target"], json!({"by": "financial_year_end"}));
    assert_eq!(json["members"][0]["id"], json!("leicestershire-police"));
    assert_eq!(json["notice_months"], json!(6));
    Ok(())
}

#[test]
fn a_notice_period_as_long_as_allowed_still_gives_a_deadline() {
    let rules =
        json!({"leaving": {"notice_months": MAX_MONTHS, "align_to_financial_year_end": true}});
    let registry = registry(vec![agreement("long", "2000-04-01", rules)]);
    let deadlines = registry.as_of(day(2021, 1, 1)).notice_deadlines();
    let rows: Vec<(NaiveDate, NaiveDate)> =
        deadlines.iter().map(|d| (d.serve_by, d.out_by)).collect();
    // A hundred years' notice: serve by 1 April 2021 to be out by 1 April 2121.
    assert_eq!(rows, [(day(2021, 4, 1), day(2121, 4, 1))]);
}

#[test]
fn a_member_due_to_leave_has_no_notice_deadline_once_the_register_knows_it() -> Result {
    let mut registry = sample();
    // Derbyshire's leaving on 1 April 2027, entered on 1 January 2026.
    registry.leave(
        "em-major-crime",
        "derbyshire-police",
        When::on(day(2027, 4, 1)).entered(day(2026, 1, 1)),
    )?;
    let out_by = OutBy::Day(day(2030, 4, 1));
    let ask = |t: Option<NaiveDate>| {
        let mut view = registry.as_of(day(2026, 3, 1));
        if let Some(t) = t {
            view = view.as_recorded_on(t);
        }
        view.notice_deadline("em-major-crime", "derbyshire-police", out_by)
            .map(|deadline| deadline.serve_by)
            .map_err(|e| e.kind())
    };
    for known in [None, Some(day(2026, 2, 1))] {
        assert_eq!(ask(known), Err(ErrorKind::AlreadyLeaving));
    }
    // Before the leaving was entered, the deadline was 12 months ahead of
    // 1 April 2030.
    assert_eq!(ask(Some(day(2025, 12, 31))), Ok(day(2029, 4, 1)));
    // Nor is it among the members the agreement's deadlines concern.
    let listed = registry.as_of(day(2026, 3, 1)).notice_deadlines();
    let major = listed
        .iter()
        .find(|d| d.agreement.id.as_str() == "em-major-crime")
        .ok_or("listed")?;
    assert!(
        major
            .members
            .iter()
            .all(|p| p.id.as_str() != "derbyshire-police")
    );
    Ok(())
}

proptest! {
    /// The deadline and the withdrawal agree: asked on any day, the deadline
    /// to be out by any day is the last day that gets the member out in
    /// time, serving on it does, serving the day after does not, and when
    /// the deadline has passed serving today is too late.
    #[test]
    fn the_deadline_is_the_last_day_that_gets_a_member_out_in_time(
        months in 0u32..30,
        aligned in any::<bool>(),
        asked in 0u64..4000,
        target in 0u64..6000,
    ) {
        let rules = json!({"leaving": {"notice_months": months, "align_to_financial_year_end": aligned}});
        let registry = registry(vec![agreement("rules", "2000-04-01", rules)]);
        let base = day(2001, 1, 1);
        let asked = base + Days::new(asked);
        let out_by = base + Days::new(target);
        let leaving = registry.as_of(asked).agreement("rules").map_err(|e| TestCaseError::fail(e.to_string()))?.leaving().clone();
        let out_if_served = |d: NaiveDate| withdrawal_day(&leaving, d);
        match registry.as_of(asked).notice_deadline("rules", "north-police", OutBy::Day(out_by)) {
            Ok(d) => {
                prop_assert!(d.serve_by >= asked);
                prop_assert_eq!(out_if_served(d.serve_by), Some(d.out_by));
                prop_assert!(d.out_by <= out_by);
                let later = d.serve_by.succ_opt().and_then(out_if_served);
                prop_assert!(later.is_some_and(|l| l > out_by), "serving after {} still gets out by {}", d.serve_by, out_by);
                // Serving notice that day does what the deadline said.
                let mut served = registry.clone();
                let out = served.serve_notice("rules", "north-police", d.serve_by).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(out, d.out_by);
            }
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::DeadlinePassed, "{}", e);
                prop_assert!(out_if_served(asked).is_some_and(|o| o > out_by));
            }
        }
    }
}

/// One change to the review calendar picked by the property test: which
/// agreement, the day it takes effect and how many days later it was entered.
#[derive(Debug, Clone)]
enum CalendarChange {
    Review(usize, i64, i64),
    MoveByHand(usize, i64, i64, i64),
    AnchorOnStart(usize, i64, i64),
    Terminate(usize, i64, i64),
    SetEnd(usize, i64, i64, i64),
}

const REVIEWED: [&str; 6] = [
    "em-major-crime",
    "em-operational-support",
    "em-learning-development",
    "em-public-order",
    "northamptonshire-enabling-services",
    "northamptonshire-police-fire-response",
];

fn calendar_change() -> impl Strategy<Value = CalendarChange> {
    let a = 0..REVIEWED.len();
    prop_oneof![
        (a.clone(), 0i64..6000, 0i64..400)
            .prop_map(|(a, d, late)| CalendarChange::Review(a, d, late)),
        (a.clone(), 0i64..6000, 0i64..6000, 0i64..400)
            .prop_map(|(a, d, to, late)| CalendarChange::MoveByHand(a, d, to, late)),
        (a.clone(), 0i64..6000, 0i64..400)
            .prop_map(|(a, d, late)| CalendarChange::AnchorOnStart(a, d, late)),
        (a.clone(), 0i64..6000, 0i64..400)
            .prop_map(|(a, d, late)| CalendarChange::Terminate(a, d, late)),
        (a, 0i64..6000, 0i64..6000, 0i64..400)
            .prop_map(|(a, d, end, late)| CalendarChange::SetEnd(a, d, end, late)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Whatever reviews are recorded, review terms or ends amended, or
    /// agreements terminated (many entered late), the calendar read from the
    /// indexes on any day, as the register stood on any day, is the one
    /// worked out agreement by agreement through its view. The changes fall
    /// on both sides of the days asked, so an index read without working out
    /// the agreements changed since would differ.
    #[test]
    fn the_indexed_calendar_matches_a_scan_on_every_day(
        changes in proptest::collection::vec(calendar_change(), 1..12),
        asked in 0i64..6000,
        register in proptest::option::of(0i64..6000),
        any_status in any::<bool>(),
    ) {
        let mut registry = sample();
        let base = day(2012, 4, 1);
        let on = |d: i64| base + Days::new(d.unsigned_abs());
        let when = |d: i64, late: i64| When::on(on(d)).entered(on(d + late));
        for c in &changes {
            // A change the rules refuse changes nothing, and is skipped.
            let _ = match *c {
                CalendarChange::Review(a, d, late) => {
                    registry.record_review(REVIEWED[a], Review::new(on(d)).entered(on(d + late)))
                }
                CalendarChange::MoveByHand(a, d, to, late) => registry
                    .amend(REVIEWED[a], when(d, late), AmendmentKind::Variation, "moved", |t| {
                        t.review_mut().next_due = Some(on(to));
                    })
                    .map(|_| ()),
                CalendarChange::AnchorOnStart(a, d, late) => registry
                    .amend(REVIEWED[a], when(d, late), AmendmentKind::Variation, "anchored", |t| {
                        let review = t.review_mut();
                        review.anchor = ReviewAnchor::Start;
                        review.cadence_months.get_or_insert(12);
                    })
                    .map(|_| ()),
                CalendarChange::Terminate(a, d, late) => registry.terminate(REVIEWED[a], when(d, late), None),
                CalendarChange::SetEnd(a, d, end, late) => registry
                    .amend(REVIEWED[a], when(d, late), AmendmentKind::Variation, "an end", |t| {
                        t.set_end(Some(on(end)));
                    })
                    .map(|_| ()),
            };
        }
        let mut view = registry.as_of(on(asked));
        if let Some(t) = register {
            view = view.as_recorded_on(on(t));
        }
        if any_status {
            view = view.scope(Scope::AnyStatus);
        }
        let indexed: Vec<(String, NaiveDate, Option<NaiveDate>)> = view
            .reviews_due(NaiveDate::MIN, NaiveDate::MAX)
            .iter()
            .map(|r| (r.agreement.id.to_string(), r.due, r.last_review))
            .collect();
        let ends: Vec<(String, NaiveDate)> = view
            .expiring(NaiveDate::MIN, NaiveDate::MAX)
            .iter()
            .map(|e| (e.agreement.id.to_string(), e.ends))
            .collect();
        let mut scanned = Vec::new();
        let mut scanned_ends = Vec::new();
        for a in registry.agreements() {
            let Ok(v) = view.agreement(a.id().as_str()) else { continue };
            if !view.counts(&v) {
                continue;
            }
            if let Some(due) = v.next_review().filter(|due| v.end().is_none_or(|end| *due < end)) {
                scanned.push((a.id().to_string(), due, v.last_review()));
            }
            if let Some(end) = v.end().filter(|_| v.status() != Some(Status::Terminated)) {
                scanned_ends.push((a.id().to_string(), end));
            }
        }
        scanned.sort_by(|x, y| (x.1, &x.0).cmp(&(y.1, &y.0)));
        scanned_ends.sort_by(|x, y| (x.1, &x.0).cmp(&(y.1, &y.0)));
        prop_assert_eq!(indexed, scanned);
        prop_assert_eq!(ends, scanned_ends);
    }
}

/// A deadline falling after a change of the leaving rules is worked out
/// under the new rules, since a notice served then is held to them: the
/// register knew in May 2026 that twelve months' notice applies from 2027.
#[test]
fn a_deadline_after_a_change_of_rules_follows_the_new_rules() -> Result {
    let mut registry = sample();
    registry.amend(
        "em-operational-support",
        When::on(day(2027, 1, 1)).entered(day(2026, 5, 1)),
        AmendmentKind::Variation,
        "Twelve months' notice from 2027",
        |t| t.leaving_mut().notice_months = Some(12),
    )?;
    let november = registry.as_of(day(2026, 11, 23));
    let deadline = november.notice_deadline(
        "em-operational-support",
        "lincolnshire-police",
        OutBy::Day(day(2028, 4, 1)),
    )?;
    // Twelve months from 1 April 2027 is 1 April 2028; a day later would be 2029.
    assert_eq!(
        (deadline.serve_by, deadline.out_by, deadline.notice_months),
        (day(2027, 4, 1), day(2028, 4, 1), Some(12))
    );
    // The deadline the register gives is one serving notice keeps.
    let mut served = registry.clone();
    assert_eq!(
        served.serve_notice(
            "em-operational-support",
            "lincolnshire-police",
            deadline.serve_by
        )?,
        day(2028, 4, 1)
    );
    let mut late = registry.clone();
    assert_eq!(
        late.serve_notice(
            "em-operational-support",
            "lincolnshire-police",
            day(2027, 4, 2)
        )?,
        day(2029, 4, 1)
    );
    // As the register stood before the change was entered, the six-month rule ran on.
    let before = registry
        .as_of(day(2026, 4, 20))
        .as_recorded_on(day(2026, 4, 30));
    let old = before.notice_deadline(
        "em-operational-support",
        "lincolnshire-police",
        OutBy::Day(day(2028, 4, 1)),
    )?;
    assert_eq!(
        (old.serve_by, old.notice_months),
        (day(2027, 10, 1), Some(6))
    );
    Ok(())
}

/// The end, term and renewal end of `id` in the expiring answer as of `on`.
fn renewal_row(
    registry: &Registry,
    id: &str,
    on: NaiveDate,
) -> std::result::Result<(NaiveDate, Option<String>, Option<NaiveDate>), String> {
    let rows = registry.as_of(on).expiring(on, day(2045, 1, 1));
    let e = rows
        .iter()
        .find(|e| e.agreement.id.as_str() == id)
        .ok_or("listed")?;
    Ok((e.ends, e.term.map(ToString::to_string), e.renewal_end))
}

#[test]
fn an_expiring_agreement_says_the_term_it_can_be_renewed_for_and_the_end_that_gives() -> Result {
    let mut registry = sample();
    let id = "northants-leics-notts-alliance";
    // Illustrative: a five-year term ending on 31 March 2028.
    registry.amend(
        id,
        day(2026, 4, 1),
        AmendmentKind::Variation,
        "A five-year term",
        |t| {
            t.set_term(Some(Term::new(5, TermUnit::Years)));
            t.set_end(Some(day(2028, 4, 1)));
        },
    )?;
    let row = |registry: &Registry, on| renewal_row(registry, id, on);
    // Renewed on its end, 1 April 2028, it would run five more years.
    assert_eq!(
        row(&registry, day(2026, 11, 23))?,
        (
            day(2028, 4, 1),
            Some("5 years".to_string()),
            Some(day(2033, 4, 1))
        )
    );
    let json = serde_json::to_value(
        &registry
            .as_of(day(2026, 11, 23))
            .expiring(day(2026, 11, 23), day(2030, 1, 1))[0],
    )?;
    assert_eq!(json["term"], json!({"length": 5, "unit": "years"}));
    assert_eq!(json["renewal_end"], json!("2033-04-01"));
    // Renewed on 10 January 2028 (entered on the 20th): the next end is the
    // end plus the term, whatever day it is renewed.
    let renewal = registry.renew(id, When::on(day(2028, 1, 10)).entered(day(2028, 1, 20)))?;
    assert_eq!(renewal.kind, AmendmentKind::Renewal);
    assert_eq!(renewal.summary, "Renewed for 5 years, to 2033-04-01");
    assert_eq!(
        row(&registry, day(2028, 6, 1))?,
        (
            day(2033, 4, 1),
            Some("5 years".to_string()),
            Some(day(2038, 4, 1))
        )
    );
    // Before the renewal took effect, or was entered, the old end stands.
    assert_eq!(row(&registry, day(2028, 1, 9))?.0, day(2028, 4, 1));
    let stood = registry
        .as_of(day(2028, 1, 15))
        .as_recorded_on(day(2028, 1, 15))
        .expiring(day(2028, 1, 15), day(2045, 1, 1));
    assert_eq!(stood[0].ends, day(2028, 4, 1));
    // Extended to 2035: a renewal would then run from the new end.
    let extension = registry.extend(id, day(2030, 1, 1), day(2035, 4, 1))?;
    assert_eq!(extension.kind, AmendmentKind::Extension);
    assert_eq!(row(&registry, day(2030, 6, 1))?.2, Some(day(2040, 4, 1)));
    // A lapsed agreement is not renewed, and one without a term cannot be.
    assert_eq!(
        registry
            .renew(id, day(2035, 4, 2))
            .map_err(|e| e.kind())
            .err(),
        Some(ErrorKind::Ended)
    );
    assert_eq!(
        registry
            .renew("em-major-crime", day(2030, 1, 1))
            .map_err(|e| e.kind())
            .err(),
        Some(ErrorKind::InvalidValue)
    );
    // An agreement with an end and no term can be renewed for nothing.
    registry.amend(
        "em-public-order",
        day(2026, 4, 1),
        AmendmentKind::Variation,
        "An end, no term",
        |t| t.set_end(Some(day(2029, 4, 1))),
    )?;
    let rows = registry
        .as_of(day(2026, 11, 23))
        .expiring(day(2026, 11, 23), day(2030, 1, 1));
    let order = rows
        .iter()
        .find(|e| e.agreement.id.as_str() == "em-public-order")
        .ok_or("listed")?;
    assert_eq!((order.term, order.renewal_end), (None, None));
    Ok(())
}

#[test]
fn a_notice_deadline_gives_the_exit_costs_a_leaver_bears_under_the_rules_it_is_served_under()
-> Result {
    let mut registry = sample();
    // Illustrative: from 1 January 2027 major crime states its exit costs.
    registry.amend(
        "em-major-crime",
        day(2027, 1, 1),
        AmendmentKind::Variation,
        "Exit costs stated",
        |t| {
            let mut costs = ExitCosts::new(
                "The reasonable costs the other members incur as a result of the withdrawal",
            );
            costs.cap = Some(Money::from_minor(50_000_000, Currency::GBP));
            t.leaving_mut().exit_costs = Some(costs);
        },
    )?;
    let june = registry.as_of(day(2025, 6, 1));
    // Twelve months' notice to a financial year end: out by 1 April 2027
    // means serving by 1 April 2026, under the rules of 2026, which say a
    // leaver pays but not how much.
    let sooner = june.notice_deadline(
        "em-major-crime",
        "leicestershire-police",
        OutBy::Day(day(2027, 4, 1)),
    )?;
    assert_eq!(sooner.serve_by, day(2026, 4, 1));
    assert!(sooner.leaver_pays_exit_costs);
    assert_eq!(sooner.exit_costs, None);
    // Out by 1 April 2028: served by 1 April 2027, under the rules that
    // state the exit costs.
    let later = june.notice_deadline(
        "em-major-crime",
        "leicestershire-police",
        OutBy::Day(day(2028, 4, 1)),
    )?;
    assert_eq!(later.serve_by, day(2027, 4, 1));
    let json = serde_json::to_value(&later)?;
    assert_eq!(json["leaver_pays_exit_costs"], json!(true));
    assert_eq!(
        json["exit_costs"],
        json!({"terms": "The reasonable costs the other members incur as a result of the withdrawal",
               "cap": {"amount": "500000.00", "currency": "GBP"}})
    );
    // The calendar of deadlines says the same.
    let rows = registry.as_of(day(2026, 11, 23)).notice_deadlines();
    let major = rows
        .iter()
        .find(|d| d.agreement.id.as_str() == "em-major-crime")
        .ok_or("listed")?;
    assert_eq!(major.serve_by, day(2027, 4, 1));
    assert_eq!(
        major.exit_costs.as_ref().map(|e| e.cap),
        Some(Some(Money::from_minor(50_000_000, Currency::GBP)))
    );
    // An agreement that sets no exit costs says so.
    let ops = rows
        .iter()
        .find(|d| d.agreement.id.as_str() == "em-operational-support")
        .ok_or("listed")?;
    assert!(!ops.leaver_pays_exit_costs && ops.exit_costs.is_none());
    Ok(())
}

/// A published exit-costs clause: the Local London Partnership's inter
/// authority agreement (clause 11.4, as published at
/// lawinsider.com/clause/termination-and-dissolution/_9) asks a member
/// wishing to withdraw for twelve months' notice in writing and has the
/// withdrawing members bear the net cost of their withdrawal between them.
/// The members and dates are illustrative (the clause names no borough).
/// Worked by hand: twelve months with no year-end alignment, so notice
/// served on 1 June 2026 takes the member out on 1 June 2027; to be out by
/// 1 April 2027 it must serve by 1 April 2026, already past on 1 June 2026.
#[test]
fn a_published_exit_costs_clause_is_held_with_its_terms_and_given_with_each_deadline() -> Result {
    let borough = |id: &str| json!({"id": id, "name": id, "kind": "local_authority"});
    let member = |id: &str| json!({"party": id, "role": "member", "joined": "2020-04-01"});
    let terms = "Withdrawing members share equally the net cost of their withdrawal, redundancy and \
                 contract termination costs included";
    let mut registry = Registry::from_json_str(
        &json!({
            "schema_version": 2,
            "currency": "GBP",
            "parties": [borough("borough-a"), borough("borough-b"), borough("borough-c")],
            "agreements": [{
                "id": "local-partnership",
                "title": "Sub-regional partnership (inter authority agreement)",
                "legal_basis": "other",
                "start": "2020-04-01",
                "status": [{"status": "active", "from": "2020-04-01"}],
                "members": [member("borough-a"), member("borough-b"), member("borough-c")],
                "leaving": {
                    "notice_months": 12,
                    "leaver_pays_exit_costs": true,
                    "exit_costs": {"terms": terms}
                },
                "source": "Local London Partnership inter authority agreement, clause 11.4 (lawinsider.com/clause/termination-and-dissolution/_9)",
                "illustrative": ["members", "start", "status", "title"]
            }]
        })
        .to_string(),
    )?;
    let june = day(2026, 6, 1);
    let on = registry.as_of(june);
    let out = on.notice_deadline(
        "local-partnership",
        "borough-b",
        OutBy::Day(day(2027, 6, 1)),
    )?;
    assert_eq!(out.serve_by, june);
    assert!(out.leaver_pays_exit_costs);
    assert_eq!(out.exit_costs.as_ref().map(|e| e.terms), Some(terms));
    assert_eq!(
        on.notice_deadline(
            "local-partnership",
            "borough-b",
            OutBy::Day(day(2027, 4, 1))
        )
        .map_err(|e| e.kind())
        .err(),
        Some(ErrorKind::DeadlinePassed)
    );
    assert_eq!(
        registry.serve_notice("local-partnership", "borough-b", june)?,
        day(2027, 6, 1)
    );
    let text = registry.to_json_string();
    assert!(text.contains(terms), "the terms are kept in the file");
    assert!(
        text.contains("\"source\": \"Local London Partnership"),
        "and the source"
    );
    assert_eq!(Registry::from_json_str(&text)?.to_json_string(), text);
    Ok(())
}
