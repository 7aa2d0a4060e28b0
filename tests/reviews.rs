//! Reviews and notice: when is each agreement next reviewed, what is due or
//! overdue, what expires, and when must a member serve notice to be out in
//! time?

mod handmade;

use chrono::{Days, NaiveDate};
use collab_registry::{
    AmendmentKind, Error, Extra, OutBy, Registry, Review, ReviewPolicy, Scope, Status, When,
    add_months,
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

fn review(date: NaiveDate, recorded: Option<NaiveDate>) -> Review {
    Review {
        date,
        recorded,
        by: None,
        outcome: Some("Continue".into()),
        extra: Extra::new(),
    }
}

fn ids<'a>(rows: impl IntoIterator<Item = &'a collab_registry::ReviewDue<'a>>) -> Vec<&'a str> {
    rows.into_iter().map(|r| r.agreement.as_str()).collect()
}

/// Two-force agreements starting on given days with a review policy each.
fn with_policies(policies: &[(&str, &str, serde_json::Value)]) -> Registry {
    let mut made = Handmade::new();
    for (id, start, review) in policies {
        let member = |p: &str| json!({"party": p, "role": "member", "joined": start});
        made = made.agreement_json(json!({
            "id": id,
            "title": id,
            "legal_basis": "contract",
            "start": start,
            "status": [{"status": "active", "from": start}],
            "members": [member("north-police"), member("south-police")],
            "review": review,
        }));
    }
    made.build()
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
    assert!(matches!(err, Error::Unknown { ref id, .. } if id == "no-such"));
    Ok(())
}

#[test]
fn recording_a_review_moves_the_next_due_date_and_is_kept() -> Result {
    let mut registry = with_policies(&[(
        "by-hand",
        "2020-04-01",
        json!({"cadence_months": 12, "next_due": "2021-01-15"}),
    )]);
    registry.record_review("by-hand", review(day(2021, 1, 20), None))?;
    // The hand-set date is no longer after the last review: the cadence takes over.
    assert_eq!(
        registry.as_of(day(2021, 2, 1)).next_review("by-hand")?,
        Some(day(2022, 1, 20))
    );
    // Before the review, the hand-set date stood.
    assert_eq!(
        registry.as_of(day(2021, 1, 19)).next_review("by-hand")?,
        Some(day(2021, 1, 15))
    );
    let policy: &ReviewPolicy = &registry.agreement("by-hand")?.review;
    assert_eq!(policy.held.len(), 1);
    assert_eq!(
        policy.next_due_on(day(2020, 4, 1), day(2021, 2, 1)),
        registry.as_of(day(2021, 2, 1)).next_review("by-hand")?
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
        .map(|r| (r.agreement.as_str(), r.due, r.last_review))
        .collect();
    assert_eq!(
        rows,
        [
            ("em-major-crime", day(2026, 12, 1), Some(day(2025, 12, 1))),
            ("em-learning-development", day(2027, 1, 15), None),
        ]
    );
    assert!(soon.iter().all(|r| r.days_overdue.is_none()));
    let late = view.overdue_reviews();
    let rows: Vec<(&str, NaiveDate, Option<i64>)> = late
        .iter()
        .map(|r| (r.agreement.as_str(), r.due, r.days_overdue))
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
}

#[test]
fn reviews_are_grouped_by_the_body_that_governs_the_agreement() {
    let registry = sample();
    let groups = registry
        .as_of(day(2026, 11, 23))
        .reviews_by_body(day(2014, 1, 1), day(2027, 3, 31));
    let shape: Vec<(Option<&str>, Vec<&str>)> = groups
        .iter()
        .map(|g| (g.body.map(|b| b.as_str()), ids(&g.reviews)))
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
fn an_agreement_no_body_governs_is_grouped_on_its_own() -> Result {
    let registry = with_policies(&[("alone", "2020-04-01", json!({"cadence_months": 12}))]);
    let groups = registry
        .as_of(day(2021, 1, 1))
        .reviews_by_body(day(2021, 1, 1), day(2021, 12, 31));
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].body, None);
    assert_eq!(ids(&groups[0].reviews), ["alone"]);
    Ok(())
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
    // A review entered late: held on 1 June 2026, recorded on 1 August.
    registry.record_review(
        "em-operational-support",
        review(day(2026, 6, 1), Some(day(2026, 8, 1))),
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
        .map(|r| (r.agreement.as_str(), r.days_overdue))
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
        |a| a.review.next_due = Some(day(2027, 3, 15)),
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
    let mut proposed = with_policies(&[("plan", "2020-04-01", json!({"cadence_months": 6}))]);
    proposed.set_status("plan", Status::Suspended, day(2020, 5, 1), None)?;
    let view = proposed.as_of(day(2021, 1, 1));
    assert!(view.overdue_reviews().is_empty());
    assert_eq!(
        ids(&view.scope(Scope::AnyStatus).overdue_reviews()),
        ["plan"]
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
        |a| a.end = Some(day(2027, 4, 1)),
    )?;
    registry.amend(
        "bch-operational-support",
        day(2026, 6, 1),
        AmendmentKind::Variation,
        "A fixed term to 31 December 2026",
        |a| a.end = Some(day(2027, 1, 1)),
    )?;
    let view = registry.as_of(day(2026, 11, 23));
    let rows: Vec<(&str, NaiveDate, i64)> = view
        .expiring(day(2026, 11, 23), day(2027, 3, 31))
        .iter()
        .map(|e| (e.agreement.as_str(), e.last_day, e.days_left))
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
        .map(|e| e.agreement.as_str())
        .collect();
    assert_eq!(rows, ["bch-operational-support"]);
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
fn notice_served_takes_effect_after_the_period_and_the_member_stays_until_then() -> Result {
    let mut registry = sample();
    // em-major-crime: twelve months, aligned to the financial year end.
    let out = registry.serve_notice("em-major-crime", "lincolnshire-police", day(2026, 3, 31))?;
    assert_eq!(out, day(2027, 4, 1));
    let view = |d| registry.as_of(d);
    let members = |d| -> Vec<String> {
        view(d)
            .members_of("em-major-crime")
            .map(|m| m.members.iter().map(|m| m.party.to_string()).collect())
            .unwrap_or_default()
    };
    assert!(members(day(2027, 3, 31)).contains(&"lincolnshire-police".to_string()));
    assert!(!members(day(2027, 4, 1)).contains(&"lincolnshire-police".to_string()));
    // The later financial year's membership, which its cost shares are among, is the other four.
    let a = registry.agreement("em-major-crime")?;
    let next_year = collab_registry::FinancialYear::containing(day(2027, 4, 1));
    let in_2027: Vec<&str> = a
        .members_on(next_year.first_day())
        .map(|m| m.party.as_str())
        .collect();
    assert_eq!(in_2027.len(), 4);
    assert!(!in_2027.contains(&"lincolnshire-police"));
    Ok(())
}

#[test]
fn notice_served_on_the_last_day_of_a_month() -> Result {
    let mut registry = sample();
    // Six months from 31 August is 28 February; aligned, so out on 1 April.
    let ops = registry.agreement("em-operational-support")?;
    assert_eq!(
        ops.withdrawal_if_served_on(day(2026, 8, 31)),
        Some(day(2027, 4, 1))
    );
    // Six months from 30 September is 31 March: still out on 1 April 2027.
    assert_eq!(
        ops.withdrawal_if_served_on(day(2026, 9, 30)),
        Some(day(2027, 4, 1))
    );
    // From 31 October, 30 April: a whole year later.
    assert_eq!(
        ops.withdrawal_if_served_on(day(2026, 10, 31)),
        Some(day(2028, 4, 1))
    );
    // Twelve months, not aligned: 31 January 2024 gives 31 January 2025;
    // 29 February 2024 gives 28 February 2025.
    let out = registry.serve_notice(
        "northants-leics-notts-alliance",
        "leicestershire-police",
        day(2024, 2, 29),
    )?;
    assert_eq!(out, day(2025, 2, 28));
    let alliance = registry.agreement("northants-leics-notts-alliance")?;
    assert_eq!(
        alliance.withdrawal_if_served_on(day(2024, 1, 31)),
        Some(day(2025, 1, 31))
    );
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
            "derbyshire-police already served notice on 2026-01-10",
        ),
        (
            "em-public-order",
            "leicestershire-police",
            "leicestershire-police is not a member of em-public-order that day",
        ),
        (
            "em-operational-support",
            "derbyshire-police",
            "derbyshire-police is not a member of em-operational-support that day",
        ),
    ] {
        let before = registry.to_json_string();
        let err = registry
            .serve_notice(agreement, party, day(2026, 2, 1))
            .expect_err("refused");
        assert!(err.to_string().contains(expected), "{err}");
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
    // Twelve months, aligned: too late for 2026/27 by May.
    let err = may
        .notice_deadline(
            "em-major-crime",
            "leicestershire-police",
            OutBy::FinancialYearEnd,
        )
        .expect_err("too late");
    assert!(
        err.to_string().contains(
            "to be out by 2027-04-01, the last day was 2026-04-01; served today, it is out on 2028-04-01"
        ),
        "{err}"
    );
    // Financial year boundaries: on 31 March the year ending that day is meant;
    // on 1 April the next one.
    let last_day = registry.as_of(day(2026, 3, 31));
    let d = last_day.notice_deadline(
        "em-major-crime",
        "leicestershire-police",
        OutBy::FinancialYearEnd,
    );
    assert!(
        d.expect_err("too late")
            .to_string()
            .contains("to be out by 2026-04-01")
    );
    let first_day = registry.as_of(day(2026, 4, 1));
    let d = first_day.notice_deadline(
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
    assert!(
        err.to_string()
            .contains("northants-leics-notts-alliance has no fixed end"),
        "{err}"
    );
    // Only a member that has not served notice has a deadline.
    let err = may
        .notice_deadline(
            "em-public-order",
            "leicestershire-police",
            OutBy::FinancialYearEnd,
        )
        .expect_err("not a member");
    assert!(
        err.to_string()
            .contains("is not a member of em-public-order that day"),
        "{err}"
    );
    let err = may
        .notice_deadline(
            "em-learning-development",
            "derbyshire-police",
            OutBy::FinancialYearEnd,
        )
        .expect_err("no notice period");
    assert!(
        err.to_string()
            .contains("em-learning-development sets no notice period"),
        "{err}"
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
        |a| a.end = Some(day(2028, 10, 1)),
    )?;
    let d = registry.as_of(day(2026, 11, 23)).notice_deadline(
        "em-operational-support",
        "lincolnshire-police",
        OutBy::Expiry,
    )?;
    // Six months aligned: the last 1 April before the end is 2028; serve by 1 October 2027.
    assert_eq!((d.serve_by, d.out_by), (day(2027, 10, 1), day(2028, 4, 1)));
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
        .map(|d| (d.agreement.as_str(), d.serve_by, d.out_by, d.members.len()))
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
        .find(|d| d.agreement.as_str() == "em-operational-support")
        .ok_or("listed")?;
    assert_eq!(ops.serve_by, day(2026, 10, 1));
    Ok(())
}

/// A registry whose only agreement has the given leaving rules.
fn leaving(months: u32, aligned: bool) -> Registry {
    let member = |p: &str| json!({"party": p, "role": "member", "joined": "2000-04-01"});
    Handmade::new()
        .agreement_json(json!({
            "id": "rules",
            "title": "rules",
            "legal_basis": "contract",
            "start": "2000-04-01",
            "status": [{"status": "active", "from": "2000-04-01"}],
            "members": [member("north-police"), member("south-police")],
            "leaving": {"notice_months": months, "align_to_financial_year_end": aligned},
        }))
        .build()
}

proptest! {
    /// The deadline and the withdrawal agree: notice served on any day is out
    /// by the target exactly when it is served on or before the deadline.
    #[test]
    fn the_deadline_is_the_last_day_that_gets_a_member_out_in_time(
        months in 1u32..30,
        aligned in any::<bool>(),
        served in 0u64..6000,
        target in 0u64..7000,
    ) {
        let registry = leaving(months, aligned);
        let a = registry.agreement("rules").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let base = day(2001, 1, 1);
        let served = base + Days::new(served);
        let out_by = base + Days::new(target);
        let deadline = a.last_day_to_serve_notice(out_by);
        let out = a.withdrawal_if_served_on(served);
        prop_assert!(out.is_some());
        let in_time = out.is_some_and(|o| o <= out_by);
        prop_assert_eq!(in_time, deadline.is_some_and(|d| served <= d), "served {} out {:?} target {} deadline {:?}", served, out, out_by, deadline);
        if let Some(d) = deadline {
            prop_assert!(a.withdrawal_if_served_on(d).is_some_and(|o| o <= out_by));
        }
    }
}

/// One change to the review calendar picked by the property test.
#[derive(Debug, Clone)]
enum CalendarChange {
    Review(usize, i64, i64),
    MoveByHand(usize, i64, i64),
    Terminate(usize, i64),
}

const REVIEWED: [&str; 5] = [
    "em-major-crime",
    "em-operational-support",
    "em-learning-development",
    "em-public-order",
    "northamptonshire-enabling-services",
];

fn calendar_change() -> impl Strategy<Value = CalendarChange> {
    let a = 0..REVIEWED.len();
    prop_oneof![
        (a.clone(), 0i64..5000, 0i64..90)
            .prop_map(|(a, d, late)| CalendarChange::Review(a, d, late)),
        (a.clone(), 0i64..5000, 0i64..5000)
            .prop_map(|(a, d, to)| CalendarChange::MoveByHand(a, d, to)),
        (a, 0i64..5000).prop_map(|(a, d)| CalendarChange::Terminate(a, d)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever reviews are recorded (some entered late), review dates moved
    /// by amendment or agreements terminated, the calendar read from the
    /// index on any day, as the register stood on any day, is the one worked
    /// out agreement by agreement.
    #[test]
    fn the_indexed_calendar_matches_a_scan_on_every_day(
        changes in proptest::collection::vec(calendar_change(), 0..12),
        asked in 0i64..6000,
        register in proptest::option::of(0i64..6000),
    ) {
        let mut registry = sample();
        let base = day(2012, 4, 1);
        let on = |d: i64| base + Days::new(d.unsigned_abs());
        for c in &changes {
            let _ = match *c {
                CalendarChange::Review(a, d, late) => registry.record_review(
                    REVIEWED[a],
                    review(on(d), Some(on(d + late))),
                ),
                CalendarChange::MoveByHand(a, d, to) => registry
                    .amend(REVIEWED[a], on(d), AmendmentKind::Variation, "moved", |x| {
                        x.review.next_due = Some(on(to));
                    })
                    .map(|_| ()),
                CalendarChange::Terminate(a, d) => registry.terminate(REVIEWED[a], on(d), None),
            };
        }
        let mut view = registry.as_of(on(asked));
        if let Some(t) = register {
            view = view.as_recorded_on(on(t));
        }
        let indexed: Vec<(String, NaiveDate)> = view
            .reviews_due(NaiveDate::MIN, NaiveDate::MAX)
            .iter()
            .map(|r| (r.agreement.to_string(), r.due))
            .collect();
        let mut scanned: Vec<(String, NaiveDate)> = Vec::new();
        for a in registry.agreements() {
            let in_force = view.status_of(a).is_some_and(|s| s.is_in_force()) && a.start <= view.date();
            if let (true, Ok(Some(due))) = (in_force, view.next_review(a.id.as_str())) {
                scanned.push((a.id.to_string(), due));
            }
        }
        scanned.sort_by(|x, y| (x.1, &x.0).cmp(&(y.1, &y.0)));
        prop_assert_eq!(indexed, scanned);
    }
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
    let ask = |t: Option<NaiveDate>| -> std::result::Result<NaiveDate, String> {
        let mut view = registry.as_of(day(2026, 3, 1));
        if let Some(t) = t {
            view = view.as_recorded_on(t);
        }
        view.notice_deadline("em-major-crime", "derbyshire-police", out_by)
            .map(|deadline| deadline.serve_by)
            .map_err(|e| e.to_string())
    };
    for known in [None, Some(day(2026, 2, 1))] {
        let err = ask(known).expect_err("already leaving");
        assert!(
            err.contains("derbyshire-police is already due to leave on 2027-04-01"),
            "{err}"
        );
    }
    // Before the leaving was entered, the deadline was 12 months ahead of
    // 1 April 2030.
    assert_eq!(ask(Some(day(2025, 12, 31)))?, day(2029, 4, 1));
    Ok(())
}
