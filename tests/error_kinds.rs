//! Each kind of error, triggered and matched on `kind()`, never on its
//! message; and every kind is covered.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use collab_registry::model::{
    Currency, Membership, Money, Party, PartyId, PartyKind, Period, Role, Status,
};
use collab_registry::questions::{OutBy, Vote, Weighing};
use collab_registry::{Error, ErrorKind, Registry};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
}

fn sample() -> Registry {
    collab_registry::sample().unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
fn kind<T>(result: Result<T, Error>) -> ErrorKind {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.kind(),
    }
}

fn id(text: &str) -> PartyId {
    PartyId::new(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Each kind with a call that gives it.
#[allow(
    clippy::too_many_lines,
    reason = "one case per kind of error, in one table"
)]
fn triggers() -> Vec<(ErrorKind, ErrorKind)> {
    let mut registry = sample();
    let spring = day(2026, 5, 1);
    let mut found = vec![
        (
            ErrorKind::Io,
            kind(Registry::load("/nonexistent/collab-registry/registry.json")),
        ),
        (
            ErrorKind::Syntax,
            kind(Registry::from_json_str("{\"schema_version\": 2,")),
        ),
        (
            ErrorKind::Invalid,
            kind(Registry::from_json_str(
                r#"{"schema_version": 2, "parties": [{"id": "a"}]}"#,
            )),
        ),
        (
            ErrorKind::UnknownId,
            kind(registry.agreement("no-such-agreement").map(|_| ())),
        ),
        (
            ErrorKind::DuplicateId,
            kind(
                registry.add_party(
                    Party::builder(
                        id("derbyshire-police"),
                        "Derbyshire Police",
                        PartyKind::PoliceForce,
                    )
                    .build()
                    .unwrap_or_else(|e| panic!("{e}")),
                ),
            ),
        ),
        (
            ErrorKind::InvalidId,
            kind(PartyId::new("Derbyshire Police").map_err(Error::from)),
        ),
        (
            ErrorKind::InvalidDate,
            kind(
                Period::new(day(2022, 4, 1), None)
                    .map_err(Error::from)
                    .and_then(|p| {
                        registry
                            .apportion("em-major-crime", "2021/22".parse()?)
                            .map(|_| p)
                    })
                    .and_then(|p| {
                        registry
                            .as_of(spring)
                            .charges("em-major-crime", p)
                            .map(|_| ())
                    }),
            ),
        ),
        (
            ErrorKind::InvalidValue,
            kind(
                "ten"
                    .parse::<collab_registry::model::Percent>()
                    .map_err(Error::from),
            ),
        ),
        (
            ErrorKind::Money,
            kind(
                Money::parse("1.00", Currency::GBP)
                    .and_then(|a| Ok((a, Money::parse("1.00", Currency::new("EUR")?)?)))
                    .map_err(Error::from)
                    .and_then(|(a, b)| a.checked_add(b).map_err(Error::from)),
            ),
        ),
        (
            ErrorKind::NotAMember,
            kind(registry.serve_notice("em-public-order", "lincolnshire-police", spring)),
        ),
        (
            ErrorKind::DeadlinePassed,
            kind(registry.as_of(day(2026, 11, 23)).notice_deadline(
                "em-operational-support",
                "lincolnshire-police",
                OutBy::FinancialYearEnd,
            )),
        ),
        (
            ErrorKind::OutOfPeriod,
            kind(registry.as_of(spring).notice_deadline(
                "em-operational-support",
                "lincolnshire-police",
                OutBy::Expiry,
            )),
        ),
        (
            ErrorKind::Lifecycle,
            kind(registry.set_status("em-major-crime", Status::Proposed, spring, None)),
        ),
        (
            ErrorKind::MissingCostInput,
            kind(registry.apportion(
                "em-major-crime",
                "2030/31".parse().unwrap_or_else(|e| panic!("{e}")),
            )),
        ),
        (
            ErrorKind::NothingToAsk,
            kind(registry.as_of(spring).shared_by(&[])),
        ),
    ];
    // Notice once, then again: already served; leaving set, then notice:
    // already leaving; terminated, then joining: ended.
    registry
        .serve_notice("em-major-crime", "derbyshire-police", spring)
        .unwrap_or_else(|e| panic!("{e}"));
    found.push((
        ErrorKind::NoticeAlreadyServed,
        kind(registry.serve_notice("em-major-crime", "derbyshire-police", day(2026, 6, 1))),
    ));
    registry
        .leave(
            "em-operational-support",
            "leicestershire-police",
            day(2027, 4, 1),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    found.push((
        ErrorKind::AlreadyLeaving,
        kind(registry.serve_notice("em-operational-support", "leicestershire-police", spring)),
    ));
    registry
        .terminate("bch-people-services", day(2026, 1, 1), None)
        .unwrap_or_else(|e| panic!("{e}"));
    found.push((
        ErrorKind::Ended,
        kind(registry.join(
            "bch-people-services",
            Membership::new(id("derbyshire-police"), Role::Member, spring),
        )),
    ));
    // A vote by a party without a seat: not a member of the body.
    found.push((
        ErrorKind::NotAMember,
        kind(registry.as_of(spring).decide(
            "em-regional-meeting",
            &[("home-office", Vote::For)],
            Weighing::Votes,
        )),
    ));
    found
}

#[test]
fn each_kind_is_what_its_cause_gives() {
    for (want, got) in triggers() {
        assert_eq!(got, want);
    }
}

#[test]
fn every_kind_is_triggered_by_a_test() {
    let covered: BTreeSet<&str> = triggers().iter().map(|(k, _)| k.code()).collect();
    let all: BTreeSet<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(covered, all);
}

#[test]
fn codes_are_stable_unique_and_kebab_case() {
    let codes: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(codes.iter().collect::<BTreeSet<_>>().len(), codes.len());
    assert!(
        codes
            .iter()
            .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
    );
    assert_eq!(ErrorKind::NotAMember.to_string(), "not-a-member");
    assert_eq!(
        serde_json::to_string(&ErrorKind::MissingCostInput).unwrap_or_default(),
        "\"missing-cost-input\""
    );
}

#[test]
fn an_error_is_one_pointer() {
    assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    assert_eq!(
        std::mem::size_of::<Result<(), Error>>(),
        std::mem::size_of::<usize>()
    );
}
