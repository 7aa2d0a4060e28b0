//! One test for each case the living-record issue found, reproduced on the
//! code as it was and fixed since: each would fail if its fault came back.

use chrono::NaiveDate;
use collab_registry::model::{
    AmendmentKind, Budget, Currency, Membership, Money, PartyId, Role, Seat, SeatRole, Spell,
};
use collab_registry::questions::{OutBy, Vote, Weighing};
use collab_registry::time::When;
use collab_registry::{ErrorKind, ProblemCode, Registry};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
}

fn sample() -> Registry {
    collab_registry::sample().unwrap_or_else(|e| panic!("{e}"))
}

/// The registry saves to a file that loads back to the same bytes.
fn saves_and_loads(registry: &Registry) {
    let text = registry.to_json_string();
    let again = Registry::from_json_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.to_json_string(), text);
}

// ---- time ----

#[test]
fn a_notice_question_does_not_apply_leaving_rules_dated_later() -> Result {
    // Found: asked about 2026-05-01, the last day for Lincolnshire to serve
    // notice was 2026-10-01 (six months before 1 April 2027); amending the
    // notice to 12 months from 2027-01-01 made the same question "too late".
    let mut registry = sample();
    registry.amend(
        "em-operational-support",
        day(2027, 1, 1),
        AmendmentKind::Variation,
        "Twelve months' notice",
        |t| t.leaving_mut().notice_months = Some(12),
    )?;
    let deadline = registry.as_of(day(2026, 5, 1)).notice_deadline(
        "em-operational-support",
        "lincolnshire-police",
        OutBy::FinancialYearEnd,
    )?;
    assert_eq!(deadline.serve_by, day(2026, 10, 1));
    assert_eq!(deadline.notice_months, Some(6));
    Ok(())
}

#[test]
fn in_force_and_every_term_read_the_register_day() -> Result {
    // Found: an end effective 2026-06-01 but entered 2026-08-01 already hid
    // the agreement from as_of(2026-07-01).as_recorded_on(2026-07-01); title,
    // functions, legal basis and umbrella were read as they now are.
    let mut registry = sample();
    let id = "northamptonshire-police-fire-response";
    registry.amend(
        id,
        When::on(day(2026, 6, 1)).entered(day(2026, 8, 1)),
        AmendmentKind::Variation,
        "Ended early, and renamed",
        |t| {
            t.set_end(Some(day(2026, 6, 1)));
            t.set_title("Joint response (closed)");
        },
    )?;
    let then = registry
        .as_of(day(2026, 7, 1))
        .as_recorded_on(day(2026, 7, 1));
    let view = then.agreement(id)?;
    assert!(
        view.in_force(),
        "the register did not know of the end on 1 July"
    );
    assert_eq!(view.end(), None);
    assert_eq!(
        view.title(),
        "Northamptonshire police and fire joint response"
    );
    assert_eq!(then.members_of(id)?.members.len(), 2);
    let later = registry
        .as_of(day(2026, 7, 1))
        .as_recorded_on(day(2026, 8, 1));
    assert!(!later.agreement(id)?.in_force());
    assert_eq!(later.agreement(id)?.title(), "Joint response (closed)");
    Ok(())
}

#[test]
fn seats_and_party_names_have_dates() -> Result {
    // Found: a board was counted with today's seats on any day, and party
    // names had no dates.
    let mut registry = sample();
    let board = "northamptonshire-enabling-services-board";
    let council = PartyId::new("northamptonshire-county-council")?;
    registry.add_seat(
        board,
        Seat::new(
            council,
            SeatRole::Member,
            1,
            Spell::from_day(day(2026, 6, 1)),
        ),
    )?;
    let votes = [
        ("northamptonshire-pfcc", Vote::For),
        ("northamptonshire-police", Vote::For),
        ("northamptonshire-fire", Vote::For),
        ("northamptonshire-county-council", Vote::Against),
    ];
    let before = registry
        .as_of(day(2026, 5, 1))
        .decide(board, &votes, Weighing::Votes);
    assert_eq!(
        before.map_err(|e| e.kind()).err(),
        Some(ErrorKind::NotAMember)
    );
    let after = registry
        .as_of(day(2026, 7, 1))
        .decide(board, &votes, Weighing::Votes)?;
    assert!(
        !after.passes,
        "unanimity, and the council's new seat votes against"
    );
    let pfcc = |on| {
        registry
            .as_of(on)
            .party("northamptonshire-pfcc")
            .map(|p| p.name().to_string())
    };
    assert_eq!(
        pfcc(day(2015, 6, 1))?,
        "Northamptonshire Police and Crime Commissioner"
    );
    assert_eq!(
        pfcc(day(2021, 4, 1))?,
        "Northamptonshire Police, Fire and Crime Commissioner"
    );
    Ok(())
}

#[test]
fn load_and_apportion_choose_the_formula_by_one_rule() -> Result {
    // Found: a file with only a formula dated part way through a budgeted
    // year loaded, then could not be apportioned for that year. Now the
    // loader refuses it, saying which day has no formula.
    let text = sample().to_json_string().replacen(
        "\"from\": \"2019-04-01\",\n            \"formula\": {\n              \"kind\": \"metric\"",
        "\"from\": \"2021-10-01\",\n            \"formula\": {\n              \"kind\": \"metric\"",
        1,
    );
    let err = Registry::from_json_str(&text)
        .map(|_| ())
        .expect_err("no formula before October");
    assert!(
        err.problems().iter().any(|p| p.code() == ProblemCode::MissingShare
            && p.message().contains("shares the 2021/22 budget from 2021-04-01, but no sharing formula is in force that day")),
        "{err}"
    );
    // And what loads apportions.
    let registry = sample();
    for a in registry.agreements() {
        for b in &a.terms().costs().budgets {
            registry.apportion(a.id().as_str(), b.year)?;
        }
    }
    Ok(())
}

// ---- writes ----

#[test]
fn changes_that_would_save_a_file_the_loader_refuses_are_refused() -> Result {
    // Found: dates outside 0000-9999, an empty name, title or summary, a
    // financial year outside the loader's range and money in another
    // currency were all accepted, and the saved file did not load.
    let mut registry = sample();
    let before = registry.to_json_string();
    let far = NaiveDate::from_ymd_opt(10_000, 1, 1).ok_or("a day")?;
    let alliance = "northants-leics-notts-alliance";
    let cases: Vec<(&str, ErrorKind, collab_registry::Error)> = vec![
        (
            "a join dated in year 10000",
            ErrorKind::Invalid,
            registry
                .join(
                    alliance,
                    Membership::new(PartyId::new("derbyshire-police")?, Role::Member, far),
                )
                .expect_err("year 10000"),
        ),
        (
            "an empty party name",
            ErrorKind::Invalid,
            registry
                .amend_party(
                    "derbyshire-police",
                    day(2026, 1, 1),
                    AmendmentKind::Correction,
                    "Renamed",
                    |t| t.name = " ".to_string(),
                )
                .expect_err("empty name"),
        ),
        (
            "an empty title",
            ErrorKind::Invalid,
            registry
                .amend(
                    alliance,
                    day(2026, 1, 1),
                    AmendmentKind::Variation,
                    "Renamed",
                    |t| t.set_title(""),
                )
                .map(|_| ())
                .expect_err("empty title"),
        ),
        (
            "an empty summary",
            ErrorKind::Invalid,
            registry
                .amend(
                    alliance,
                    day(2026, 1, 1),
                    AmendmentKind::Variation,
                    "",
                    |t| t.set_title("New"),
                )
                .map(|_| ())
                .expect_err("empty summary"),
        ),
        (
            "money in euros",
            ErrorKind::Invalid,
            registry
                .amend(
                    alliance,
                    day(2026, 1, 1),
                    AmendmentKind::Variation,
                    "A budget",
                    |t| {
                        let euros =
                            Money::parse("10.00", Currency::new("EUR").unwrap_or(Currency::GBP))
                                .unwrap_or_else(|e| panic!("{e}"));
                        t.costs_mut().set_budget(Budget::new(
                            "2026/27".parse().unwrap_or_else(|e| panic!("{e}")),
                            euros,
                        ));
                    },
                )
                .map(|_| ())
                .expect_err("euros"),
        ),
    ];
    for (what, kind, err) in cases {
        assert_eq!(err.kind(), kind, "{what}: {err}");
    }
    assert_eq!(registry.to_json_string(), before, "nothing changed");
    // A financial year the file cannot hold cannot be made.
    assert!(
        "9999/00"
            .parse::<collab_registry::model::FinancialYear>()
            .is_err()
    );
    assert_eq!(collab_registry::model::FinancialYear::containing(far), None);
    Ok(())
}

#[test]
fn unknown_numbers_keep_every_digit_and_shadowing_or_repeated_keys_are_refused() {
    // Found: unknown fields dropped below the records, numbers through f64,
    // a shadowing key written twice, a repeated key last-wins.
    let text = sample().to_json_string().replacen(
        "\"amount\": \"30000000.00\"",
        "\"amount\": \"30000000.00\", \"x_exact\": 123456789012345678901234567890",
        1,
    );
    let registry = Registry::from_json_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        registry
            .to_json_string()
            .contains("\"x_exact\": 123456789012345678901234567890")
    );
    let twice = text.replacen("\"x_exact\": 1", "\"amount\": \"1.00\", \"x_exact\": 1", 1);
    let err = Registry::from_json_str(&twice)
        .map(|_| ())
        .expect_err("a repeated key");
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert!(
        err.to_string().contains("duplicate key \"amount\""),
        "{err}"
    );
}

#[test]
fn joining_after_the_end_and_notice_without_a_notice_period() -> Result {
    // Found: join accepted a member after the fixed end; serve_notice without
    // a notice period always failed, with an internal path.
    let mut registry = sample();
    let id = "northamptonshire-police-fire-response";
    registry.amend(
        id,
        day(2025, 1, 1),
        AmendmentKind::Extension,
        "An end",
        |t| t.set_end(Some(day(2027, 4, 1))),
    )?;
    let late = Membership::new(
        PartyId::new("northamptonshire-county-council")?,
        Role::Member,
        day(2027, 6, 1),
    );
    let err = registry.join(id, late).expect_err("after the end");
    assert_eq!(err.kind(), ErrorKind::Ended);
    assert!(err.to_string().contains("2027-04-01"), "{err}");
    // No notice period: notice takes effect the next day.
    let bch = "bch-people-services";
    let out = registry.serve_notice(bch, "bedfordshire-police", day(2026, 3, 1))?;
    assert_eq!(out, day(2026, 3, 2));
    saves_and_loads(&registry);
    // A refused change names a document path.
    let twice = registry.serve_notice(bch, "bedfordshire-police", day(2026, 3, 1));
    assert_eq!(
        twice.map_err(|e| e.kind()).err(),
        Some(ErrorKind::NoticeAlreadyServed)
    );
    let err = registry
        .join(
            id,
            Membership::new(
                PartyId::new("northamptonshire-police")?,
                Role::Member,
                day(2026, 1, 1),
            ),
        )
        .expect_err("overlapping");
    assert!(
        err.problems()
            .iter()
            .all(|p| p.path().starts_with("agreements[")),
        "{err}"
    );
    Ok(())
}

#[test]
fn months_of_notice_and_cadence_are_bounded() {
    // Found: notice_months 4294967295 loaded, then notice_deadlines() and
    // calendar_feed() ran for more than 15 s.
    let text = sample().to_json_string().replacen(
        "\"notice_months\": 6",
        "\"notice_months\": 4294967295",
        1,
    );
    let err = Registry::from_json_str(&text)
        .map(|_| ())
        .expect_err("out of range");
    assert!(
        err.problems()
            .iter()
            .any(|p| p.code() == ProblemCode::OutOfRange
                && p.message()
                    .contains("4294967295 is outside 0 to 1200 months")),
        "{err}"
    );
}

#[test]
fn keys_stay_valid_through_changes_and_the_graph_is_derived() -> Result {
    // Found: lib.rs promised graph indices stayed valid, but every change
    // deleted and re-added an agreement's edges. Keys are what stay valid
    // now, and the graph is a view derived on request.
    let mut registry = sample();
    let key = registry.agreement_key("em-major-crime")?;
    let party = registry.party_key("derbyshire-police")?;
    let edges_before = registry.graph().edge_count();
    registry.serve_notice("em-major-crime", "derbyshire-police", day(2026, 1, 1))?;
    assert_eq!(registry.agreement_key("em-major-crime")?, key);
    assert_eq!(registry.party_key("derbyshire-police")?, party);
    assert_eq!(
        registry.agreement_at(key).map(|a| a.id().as_str()),
        Some("em-major-crime")
    );
    assert_eq!(registry.graph().edge_count(), edges_before);
    Ok(())
}
