//! The replay oracle: every answer asked as the register stood on a
//! register day equals the same question asked of a registry rebuilt only
//! from the facts entered by that day.
//!
//! A random history of changes, each entered on its own day (register days
//! move forward; effective days are anywhere, so many entries are late and
//! some early), is applied to the sample. Then for random (day, register
//! day) pairs, the full registry asked `as_of(day).as_recorded_on(register
//! day)` must answer exactly as the sample with only the changes entered by
//! the register day replayed, asked `as_of(day)`.
//!
//! The sample is first given three agreements the random changes reach:
//! one of every force and commissioner by class, one of the East Midlands
//! forces by class in a region, and one whose member list is not
//! published; the changes move parties between kinds and regions (and so
//! in and out of classes), name successors, set jointly owned assets and
//! end agreements by a member's notice. And the full registry, saved and
//! loaded again, answers every question as it does: the indexes kept
//! change by change equal those built from the file.
//!
//! 48 cases in a debug build (`cargo test`), 1,000 in a release build:
//! `cargo test --release --test replay`.

mod support;

use std::fmt::Write as _;

use chrono::{Days, NaiveDate};
use collab_registry::model::{
    Agreement, AgreementId, ClassMembership, FinancialYear, Function, LegalBasis, Membership,
    PartyId, PartyKind, Period, Role, Spell,
};
use collab_registry::questions::{SectorOrKind, Vote, Weighing};
use collab_registry::time::last_day_to_serve;
use collab_registry::{AsOf, Registry};
use proptest::prelude::*;
use support::history::{AGREEMENTS, PARTIES, Try, attempt_entered, try_change};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a day"))
}

/// The first register day of the histories: every fact of the sample was
/// entered before it.
fn first_register_day() -> NaiveDate {
    day(2026, 1, 1)
}

const BODIES: [&str; 4] = [
    "em-regional-meeting",
    "em-joint-management-board",
    "em-operational-delivery-board",
    "northamptonshire-enabling-services-board",
];

/// Every answer the test compares, written out in one text.
#[allow(
    clippy::too_many_lines,
    reason = "every answer the oracle compares, in one list"
)]
fn answers(on: AsOf<'_>) -> String {
    let mut out = String::new();
    let years: Vec<FinancialYear> = (2018..2030)
        .filter_map(|y| FinancialYear::starting(y).ok())
        .collect();
    for id in AGREEMENTS {
        let Ok(a) = on.agreement(id) else {
            let _ = writeln!(out, "{id}: unknown");
            continue;
        };
        let _ = writeln!(
            out,
            "{id}: status {:?} in force {} ended {} title {:?} purpose {:?} basis {:?} functions {:?} part of {:?} end {:?}",
            a.status(),
            a.in_force(),
            a.has_ended(),
            a.title(),
            a.purpose(),
            a.legal_basis(),
            a.functions(),
            a.part_of(),
            a.end()
        );
        let _ = writeln!(
            out,
            "  review {:?} last {:?} next {:?}",
            a.review(),
            a.last_review(),
            a.next_review()
        );
        let _ = writeln!(out, "  leaving {:?}", a.leaving());
        let mut members: Vec<String> = a
            .members()
            .map(|m| {
                format!(
                    "{} {:?} joined {} notice {:?} leaves {:?}",
                    m.party(),
                    m.role(),
                    m.joined(),
                    m.notice_served(),
                    m.leaves()
                )
            })
            .collect();
        members.sort();
        let _ = writeln!(out, "  members {members:?}");
        if let Some(year) = FinancialYear::containing(on.date()) {
            let _ = writeln!(
                out,
                "  last day to serve notice for {} {:?}",
                year.end(),
                last_day_to_serve(a.leaving(), year.end())
            );
        }
        for year in &years {
            if let Some(b) = a.budget(*year) {
                let _ = writeln!(out, "  budget {year} {}", b.amount);
            }
        }
        let _ = writeln!(out, "  formulas {:?}", a.formulas());
    }
    for id in PARTIES {
        match on.party(id) {
            Ok(p) => {
                let metrics: Vec<String> = years
                    .iter()
                    .filter_map(|y| p.metric("officers", *y).map(|v| format!("{y} {v}")))
                    .collect();
                let mut overseers: Vec<&str> = p
                    .overseers()
                    .map(collab_registry::model::PartyId::as_str)
                    .collect();
                overseers.sort_unstable();
                let _ = writeln!(
                    out,
                    "{id}: {} {:?} officers {metrics:?} overseen by {overseers:?}",
                    p.name(),
                    p.kind()
                );
            }
            Err(_) => {
                let _ = writeln!(out, "{id}: unknown");
            }
        }
    }
    for id in BODIES {
        if let Ok(b) = on.body(id) {
            let mut seats: Vec<String> = b
                .seats()
                .map(|s| format!("{} {:?} {}", s.party, s.role, s.votes))
                .collect();
            seats.sort();
            let mut governs: Vec<&str> = b
                .governs()
                .map(collab_registry::model::AgreementId::as_str)
                .collect();
            governs.sort_unstable();
            let _ = writeln!(
                out,
                "{id}: {} rule {} seats {seats:?} governs {governs:?}",
                b.name(),
                b.decision_rule()
            );
        }
    }
    questions(on, &mut out);
    out
}

/// The answers of the questions, serialised: most read indexes that hold
/// the registry as it now stands, so they prove the fallback for
/// agreements changed after the day asked.
#[allow(
    clippy::too_many_lines,
    reason = "every question the oracle asks, in one list"
)]
fn questions(on: AsOf<'_>, out: &mut String) {
    #[allow(
        clippy::unnecessary_wraps,
        reason = "it lifts an answer that cannot fail to the Result every other question gives"
    )]
    fn ok<T>(answer: T) -> Result<T, String> {
        Ok(answer)
    }
    fn put<T: serde::Serialize, E: std::fmt::Display>(
        out: &mut String,
        what: &str,
        answer: Result<T, E>,
    ) {
        let text = match answer {
            Ok(a) => serde_json::to_string(&a).unwrap_or_else(|e| format!("unserialisable: {e}")),
            Err(e) => format!("error: {e}"),
        };
        let _ = writeln!(out, "{what}: {text}");
    }
    for party in PARTIES {
        put(
            out,
            &format!("agreements of {party}"),
            on.agreements_of(party),
        );
        put(out, &format!("partners of {party}"), on.partners_of(party));
        put(out, &format!("seats of {party}"), on.seats_of(party));
        put(
            out,
            &format!("leads of {party}"),
            on.leads_and_hosts(Some(party)),
        );
        put(
            out,
            &format!("declined by {party}"),
            on.declined(Some(party)),
        );
    }
    for agreement in AGREEMENTS {
        put(
            out,
            &format!("members of {agreement}"),
            on.members_of(agreement),
        );
        put(
            out,
            &format!("signatories of {agreement}"),
            on.signatories(agreement),
        );
        put(
            out,
            &format!("next review of {agreement}"),
            on.next_review(agreement),
        );
        put(
            out,
            &format!("bodies of {agreement}"),
            on.governing_bodies(agreement),
        );
        put(
            out,
            &format!("history of {agreement}"),
            on.history(agreement),
        );
        put(
            out,
            &format!("successors of {agreement}"),
            on.successors(agreement),
        );
        put(
            out,
            &format!("replaced by {agreement}"),
            on.replaced(agreement),
        );
        put(out, &format!("assets of {agreement}"), on.assets(agreement));
    }
    for party in PARTIES.iter().chain(&COMMISSIONERS) {
        put(out, &format!("assets held by {party}"), on.assets_of(party));
    }
    for function in Function::ALL {
        put(
            out,
            &format!("function {function}"),
            ok(on.by_function(*function)),
        );
    }
    for basis in LegalBasis::ALL {
        put(
            out,
            &format!("basis {basis}"),
            ok(on.by_legal_basis(*basis)),
        );
    }
    for status in collab_registry::model::Status::ALL {
        put(out, &format!("status {status}"), ok(on.by_status(*status)));
    }
    put(
        out,
        "under the programme",
        on.under("em-collaboration-programme"),
    );
    put(
        out,
        "sizes under the programme",
        on.sizes_under("em-collaboration-programme"),
    );
    put(out, "with at least three", ok(on.with_at_least(3)));
    put(out, "with exactly two", ok(on.with_exactly(2)));
    put(
        out,
        "sizes in the East Midlands",
        on.sizes_in_region("East Midlands", Some(PartyKind::PoliceForce)),
    );
    put(
        out,
        "forces with commissioners",
        ok(on.cross_sector(&[
            SectorOrKind::Kind(PartyKind::PoliceForce),
            SectorOrKind::Kind(PartyKind::PolicingBody),
        ])),
    );
    put(out, "declined", on.declined(None));
    put(out, "cross sector", ok(on.cross_sector(&[])));
    let from = on.date();
    let to = from + Days::new(400);
    put(out, "reviews due", ok(on.reviews_due(from, to)));
    put(out, "overdue", ok(on.overdue_reviews()));
    put(out, "reviews by body", ok(on.reviews_by_body(from, to)));
    put(out, "expiring", ok(on.expiring(from, to + Days::new(3000))));
    put(out, "notice deadlines", ok(on.notice_deadlines()));
    for body in BODIES {
        put(out, &format!("chain of {body}"), on.reporting_chain(body));
    }
    let network = on.network();
    put(out, "network links", ok(network.links()));
    put(out, "network groups", ok(network.groups()));
    costs_and_decisions(on, out);
}

/// The cost questions of the year containing the day (shares, each party's
/// contributions, charges for the quarter ahead, a withdrawal) and every
/// body's decision with its seat holders voting, by votes and by cost share.
fn costs_and_decisions(on: AsOf<'_>, out: &mut String) {
    let Some(year) = FinancialYear::containing(on.date()) else {
        return;
    };
    let quarter = Period::new(on.date(), Some(on.date() + Days::new(91)));
    for agreement in AGREEMENTS {
        record(
            out,
            &format!("shares of {agreement} in {year}"),
            on.apportion(agreement, year),
        );
        if let Ok(quarter) = quarter {
            record(
                out,
                &format!("charges of {agreement} for the quarter"),
                on.charges(agreement, quarter),
            );
        }
        record(
            out,
            &format!("savings of {agreement}"),
            on.savings(agreement),
        );
        record(
            out,
            &format!("{agreement} without derbyshire-police in {year}"),
            on.what_if_withdrawal(agreement, "derbyshire-police", year),
        );
    }
    for party in PARTIES {
        record(
            out,
            &format!("contributions of {party} in {year}"),
            on.contributions(party, year),
        );
    }
    for body in BODIES {
        let holders: Vec<String> = on
            .body(body)
            .map(|b| b.seats().map(|s| s.party.to_string()).collect())
            .unwrap_or_default();
        let votes: Vec<(&str, Vote)> = holders
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p.as_str(),
                    if i % 3 == 2 { Vote::Against } else { Vote::For },
                )
            })
            .collect();
        record(
            out,
            &format!("decision of {body}"),
            on.decide(body, &votes, Weighing::Votes),
        );
        record(
            out,
            &format!("decision of {body} by cost share in {year}"),
            on.decide_by_cost_share(body, &votes, year),
        );
    }
}

fn record<T: serde::Serialize>(
    out: &mut String,
    what: &str,
    answer: Result<T, collab_registry::Error>,
) {
    let text = match answer {
        Ok(a) => serde_json::to_string(&a).unwrap_or_else(|e| format!("unserialisable: {e}")),
        Err(e) => format!("error: {e}"),
    };
    let _ = writeln!(out, "{what}: {text}");
}

/// Commissioners whose shares of assets are asked about.
const COMMISSIONERS: [&str; 2] = ["derbyshire-pcc", "leicestershire-pcc"];

/// The sample with three more agreements from 2015, entered before the
/// first register day: every force and commissioner by class; the East
/// Midlands forces by class in their region, Nottinghamshire listed as
/// lead; and one whose member list is not published, naming Leicestershire.
fn sample() -> Registry {
    let mut registry =
        collab_registry::sample().unwrap_or_else(|e| panic!("the sample loads: {e}"));
    let from = day(2015, 4, 1);
    let entered = day(2025, 1, 1);
    let id = |id: &str| AgreementId::new(id).unwrap_or_else(|e| panic!("{id}: {e}"));
    let party = |id: &str| PartyId::new(id).unwrap_or_else(|e| panic!("{id}: {e}"));
    let class = |kind| ClassMembership::new(kind, Role::Member, Spell::from_day(from));
    let agreements = [
        Agreement::builder(id("national-by-class"), "National, by class", from)
            .legal_basis(LegalBasis::Section22aPoliceAct1996)
            .active_from(from)
            .member_class(class(PartyKind::PoliceForce))
            .member_class(class(PartyKind::PolicingBody))
            .entered(entered)
            .build(),
        Agreement::builder(
            id("east-midlands-by-class"),
            "East Midlands, by class",
            from,
        )
        .legal_basis(LegalBasis::Section22aPoliceAct1996)
        .active_from(from)
        .member(Membership::new(
            party("nottinghamshire-police"),
            Role::Lead,
            from,
        ))
        .member_class(class(PartyKind::PoliceForce).in_region("East Midlands"))
        .entered(entered)
        .build(),
        Agreement::builder(id("unpublished-members"), "Members not published", from)
            .legal_basis(LegalBasis::Section22aPoliceAct1996)
            .function(Function::AirSupport)
            .active_from(from)
            .member(Membership::new(
                party("leicestershire-police"),
                Role::Lead,
                from,
            ))
            .members_published(false)
            .entered(entered)
            .build(),
    ];
    for agreement in agreements {
        let agreement = agreement.unwrap_or_else(|e| panic!("the agreement builds: {e}"));
        registry
            .add_agreement(agreement)
            .unwrap_or_else(|e| panic!("the agreement is added: {e}"));
    }
    registry
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(debug_assertions) { 48 } else { 1000 }))]

    #[test]
    fn answers_as_the_register_stood_equal_a_replay_of_what_was_entered(
        history in proptest::collection::vec((try_change(), 0u64..90), 1..40),
        asks in proptest::collection::vec((0u64..9000, 0u64..3000), 1..5),
    ) {
        let base = sample();
        let mut full = base.clone();
        let mut log: Vec<(NaiveDate, Try, bool)> = Vec::with_capacity(history.len());
        let mut entered = first_register_day();
        for (change, gap) in history {
            entered = entered + Days::new(gap);
            let accepted = attempt_entered(&mut full, &change, Some(entered)).is_ok();
            log.push((entered, change, accepted));
        }
        for (d, r) in asks {
            let asked = day(2010, 1, 1) + Days::new(d);
            let register_day = first_register_day() + Days::new(r);
            let mut rebuilt = base.clone();
            for (when, change, accepted) in &log {
                if *when <= register_day {
                    let replayed = attempt_entered(&mut rebuilt, change, Some(*when)).is_ok();
                    prop_assert_eq!(replayed, *accepted, "{:?} entered {} was {} the first time", change, when, accepted);
                }
            }
            let stood = answers(full.as_of(asked).as_recorded_on(register_day));
            let replay = answers(rebuilt.as_of(asked));
            let reloaded = Registry::from_json_str(&full.to_json_string());
            prop_assert!(reloaded.is_ok(), "the full registry saves a file that loads");
            if let Ok(reloaded) = reloaded {
                let read_back = answers(reloaded.as_of(asked).as_recorded_on(register_day));
                prop_assert_eq!(&stood, &read_back, "loaded back, as of {} as the register stood on {}", asked, register_day);
            }
            if stood != replay {
                for (a, b) in stood.lines().zip(replay.lines()) {
                    if a != b {
                        eprintln!("STOOD  {a}\nREPLAY {b}");
                    }
                }
            }
            prop_assert_eq!(stood, replay, "as of {} as the register stood on {}", asked, register_day);
        }
    }
}
