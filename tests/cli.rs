//! The command-line tool (`examples/collab`), run as a program: every
//! sub-command on the embedded sample and on a registry of the tests' own,
//! each answer compared with the library's own answer (the oracle), each
//! JSON answer checked for its envelope, each change followed by
//! `validate` on the written file, and a bad input for each that checks
//! the error said, its kind code and the exit status.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::NaiveDate;
use collab_registry::costs::JoinTerms;
use collab_registry::model::{
    FinancialYear, Function, LegalBasis, Membership, PartyId, Role, Status,
};
use collab_registry::questions::{OutBy, SectorOrKind, Vote, Weighing};
use collab_registry::{AsOf, Registry, report};
use serde::Serialize;
use serde_json::{Value, json};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

const AS_OF: &str = "2021-04-01";
const ALLIANCE: &str = "northants-leics-notts-alliance";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn year() -> FinancialYear {
    "2021/22".parse().expect("a financial year")
}

fn sample() -> Registry {
    collab_registry::sample().expect("the sample loads")
}

/// The tool, built once: `cargo test` builds examples before integration
/// tests, but `cargo test --test cli` does not, so it is built here too
/// (a no-op when it is up to date).
fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "collab"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the example builds");
        let exe = std::env::current_exe().expect("the test's path");
        let dir = exe.parent().and_then(Path::parent).expect("target/debug");
        let bin = dir
            .join("examples")
            .join(format!("collab{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{} exists", bin.display());
        bin
    })
}

/// What a run of the tool gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(binary())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the tool runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The envelope's keys, each present (nulls too).
fn check_envelope(v: &Value) {
    for key in [
        "register",
        "as_of",
        "recorded_on",
        "scope",
        "currency",
        "answer",
    ] {
        assert!(v.get(key).is_some(), "the envelope has {key}: {v}");
    }
    assert_eq!(v["currency"], "GBP");
    assert!(v["as_of"].as_str().is_some_and(|d| d.len() == 10), "{v}");
}

/// Runs with `--format json`, checks exit 0 and the envelope, gives the answer.
fn answer(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    let v: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", r.stdout));
    check_envelope(&v);
    v["answer"].clone()
}

/// An answer on the sample as of `AS_OF`, which must equal the library's.
fn same<T: Serialize>(args: &[&str], oracle: &T) {
    let mut all = vec!["--as-of", AS_OF];
    all.extend_from_slice(args);
    assert_eq!(
        answer(&all),
        serde_json::to_value(oracle).expect("serialises"),
        "{args:?}"
    );
}

/// A refusal: the exit status, the kind code and the message, from
/// `--errors json`.
fn refused(args: &[&str], code: i32, kind: &str, message: &str) -> Value {
    let mut all = vec!["--errors", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, code, "{args:?}: {}{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(r.stderr.trim())
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", r.stderr));
    let error = &v["error"];
    for key in ["kind", "message", "path", "problems"] {
        assert!(error.get(key).is_some(), "the error has {key}: {v}");
    }
    assert_eq!(error["kind"], kind, "{args:?}: {v}");
    let said = error["message"].as_str().unwrap_or_default();
    assert!(
        said.contains(message),
        "{args:?}: {said:?} does not say {message:?}"
    );
    error.clone()
}

/// A library error's message, for comparing with what the tool says.
fn message<T>(r: std::result::Result<T, collab_registry::Error>) -> String {
    match r {
        Ok(_) => panic!("the library accepts it"),
        Err(e) => e.to_string(),
    }
}

fn q(registry: &Registry) -> AsOf<'_> {
    registry.as_of(day(2021, 4, 1))
}

/// The tests' own registry: three forces, two commissioners and a fire
/// service; a dog unit of the three with a term, notice, review, costs and an asset;
/// a board with a spending limit.
const OWN: &str = r#"{
  "schema_version": 2, "name": "Test register", "currency": "GBP",
  "parties": [
    {"id": "pcc-a", "name": "Commissioner A", "kind": "policing_body", "region": "North"},
    {"id": "pcc-b", "name": "Commissioner B", "kind": "policing_body", "region": "North"},
    {"id": "force-a", "name": "Force A", "kind": "police_force", "region": "North", "overseen_by": [{"by": "pcc-a"}]},
    {"id": "force-b", "name": "Force B", "kind": "police_force", "region": "North", "overseen_by": [{"by": "pcc-b"}]},
    {"id": "fire-c", "name": "Fire C", "kind": "fire_and_rescue", "region": "North"},
    {"id": "force-c", "name": "Force C", "kind": "police_force", "region": "North"}
  ],
  "agreements": [
    {"id": "dogs", "title": "Shared dog unit", "legal_basis": "section_22a_police_act_1996", "functions": ["dogs"],
     "start": "2020-04-01", "end": "2025-04-01", "term": {"length": 5, "unit": "years"},
     "status": [{"status": "active", "from": "2020-04-01"}],
     "members": [{"party": "force-a", "role": "lead", "joined": "2020-04-01"},
                 {"party": "force-b", "role": "member", "joined": "2020-04-01"},
                 {"party": "force-c", "role": "member", "joined": "2020-04-01"}],
     "review": {"cadence_months": 12},
     "leaving": {"notice_months": 6, "align_to_financial_year_end": true},
     "costs": {"budgets": [{"year": "2021/22", "amount": "1000.00"}],
               "formulas": [{"from": "2020-04-01", "formula": {"kind": "equal"}}],
               "assets": [{"name": "Dog van", "value": "40000.00", "owners": [{"party": "force-a", "percent": "50"}, {"party": "force-b", "percent": "50"}]}],
               "baseline": "1200.00",
               "savings": {"target": "200.00", "realised": [{"year": "2021/22", "amount": "150.00"}]}}},
    {"id": "fire-link", "title": "Police and fire link", "legal_basis": "policing_and_crime_act_2017",
     "start": "2020-04-01", "status": [{"status": "active", "from": "2020-04-01"}],
     "members": [{"party": "force-a", "role": "lead", "joined": "2020-04-01"},
                 {"party": "fire-c", "role": "member", "joined": "2020-04-01"}]}
  ],
  "bodies": [
    {"id": "board", "name": "Dog unit board", "kind": "joint_committee", "governs": ["dogs"],
     "seats": [{"party": "pcc-a", "role": "chair", "votes": 1}, {"party": "pcc-b", "role": "member", "votes": 1}],
     "decision_rule": {"rule": "simple_majority"},
     "delegated_limits": [{"matter": "spending", "limit": "5000.00"}]}
  ]
}"#;

/// A directory of the test's own, empty.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("collab-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

/// The tests' own registry, written canonically to a temp file.
fn own_file(name: &str) -> (PathBuf, String) {
    let registry = Registry::from_json_str(OWN).expect("the tests' registry loads");
    let path = temp(name).join("registry.json");
    registry.save(&path).expect("saved");
    let text = path.display().to_string();
    (path, text)
}

fn valid(file: &str) {
    let r = run(&["--file", file, "--format", "json", "validate"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["answer"]["valid"], true);
}

#[test]
fn every_sub_command_is_tested_here() {
    let help = run(&["--help"]);
    assert_eq!(help.code, 0);
    let me = include_str!("cli.rs");
    let commands: Vec<&str> = help
        .stdout
        .split("Commands:")
        .nth(1)
        .expect("a list of commands")
        .split("\nOptions:")
        .next()
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() > 50, "{commands:?}");
    for c in commands {
        assert!(me.contains(&format!("\"{c}\"")), "no test runs {c}");
        let sub = run(&[c, "--help"]);
        assert_eq!(sub.code, 0, "{c} --help: {}", sub.stderr);
        assert!(sub.stdout.contains("Usage:"), "{c} --help");
    }
    assert!(
        help.stdout.contains("Exit status:"),
        "the statuses are documented"
    );
}

#[test]
fn membership_questions_answer_as_the_library_does() {
    let s = sample();
    let q = q(&s);
    same(
        &["agreements-of", "northamptonshire-police"],
        &q.agreements_of("northamptonshire-police").unwrap(),
    );
    same(&["members-of", ALLIANCE], &q.members_of(ALLIANCE).unwrap());
    same(
        &["signatories", ALLIANCE],
        &q.signatories(ALLIANCE).unwrap(),
    );
    same(&["leads-and-hosts"], &q.leads_and_hosts(None).unwrap());
    same(
        &["partners-of", "northamptonshire-police"],
        &q.partners_of("northamptonshire-police").unwrap(),
    );
    same(
        &[
            "shared-by",
            "leicestershire-police",
            "nottinghamshire-police",
        ],
        &q.shared_by(&["leicestershire-police", "nottinghamshire-police"])
            .unwrap(),
    );
    same(&["with-exactly", "3"], &q.with_exactly(3));
    same(&["with-at-least", "4"], &q.with_at_least(4));
    same(
        &["sizes-in-region", "East Midlands", "--kind", "police_force"],
        &q.sizes_in_region(
            "East Midlands",
            Some(collab_registry::model::PartyKind::PoliceForce),
        )
        .unwrap(),
    );
    same(
        &["sizes-under", "em-collaboration-programme"],
        &q.sizes_under("em-collaboration-programme").unwrap(),
    );
    same(
        &["by-function", "major_crime"],
        &q.by_function(Function::MajorCrime),
    );
    same(
        &["by-legal-basis", "section_22a_police_act_1996"],
        &q.by_legal_basis(LegalBasis::Section22aPoliceAct1996),
    );
    same(&["by-status", "active"], &q.by_status(Status::Active));
    same(
        &["under", "em-collaboration-programme"],
        &q.under("em-collaboration-programme").unwrap(),
    );
    let wanted: Vec<SectorOrKind> = ["police", "fire_and_rescue"]
        .iter()
        .map(|w| w.parse().unwrap())
        .collect();
    same(
        &["cross-sector", "police", "fire_and_rescue"],
        &q.cross_sector(&wanted),
    );
    same(&["declined"], &q.declined(None).unwrap());
    let party = answer(&["--as-of", AS_OF, "party", "northamptonshire-police"]);
    assert_eq!(
        party["party"],
        json!({"id": "northamptonshire-police", "name": "Northamptonshire Police"})
    );
    assert_eq!(party["overseen_by"][0]["id"], "northamptonshire-pfcc");
    assert!(
        party["signs_as"].is_null() || party["signs_as"].is_string(),
        "present, null when absent"
    );
    // The alliance: three members, six signatories (README).
    assert_eq!(
        answer(&["--as-of", AS_OF, "members-of", ALLIANCE])["members"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
}

#[test]
fn governance_and_network_questions_answer_as_the_library_does() {
    let s = sample();
    let q = q(&s);
    same(
        &["bodies", "em-major-crime"],
        &q.governing_bodies("em-major-crime").unwrap(),
    );
    same(
        &["seats-of", "northamptonshire-pfcc"],
        &q.seats_of("northamptonshire-pfcc").unwrap(),
    );
    same(
        &["reporting-chain", "em-operational-delivery-board"],
        &q.reporting_chain("em-operational-delivery-board").unwrap(),
    );
    same(
        &[
            "reviews-by-body",
            "--from",
            "2021-01-01",
            "--to",
            "2023-01-01",
        ],
        &q.reviews_by_body(day(2021, 1, 1), day(2023, 1, 1)),
    );
    let votes = [
        ("derbyshire-police", Vote::For),
        ("leicestershire-police", Vote::Against),
    ];
    same(
        &[
            "decide",
            "em-support-delivery-board",
            "--vote",
            "derbyshire-police=for",
            "--vote",
            "leicestershire-police=against",
        ],
        &q.decide("em-support-delivery-board", &votes, Weighing::Votes)
            .unwrap(),
    );
    let all_for: Vec<(&str, Vote)> = [
        "derbyshire-police",
        "leicestershire-police",
        "lincolnshire-police",
        "northamptonshire-police",
        "nottinghamshire-police",
    ]
    .iter()
    .map(|p| (*p, Vote::For))
    .collect();
    let args: Vec<String> = all_for.iter().map(|(p, _)| format!("{p}=for")).collect();
    let mut cmd = vec![
        "decide",
        "em-operational-delivery-board",
        "--cost-share-year",
        "2021/22",
    ];
    for a in &args {
        cmd.extend(["--vote", a.as_str()]);
    }
    let by_share = q.decide_by_cost_share("em-operational-delivery-board", &all_for, year());
    if let Ok(d) = &by_share {
        same(&cmd, d);
    } else {
        refused(&cmd, 1, by_share.as_ref().unwrap_err().kind().code(), "");
    }
    let body = answer(&["--as-of", AS_OF, "body", "em-joint-management-board"]);
    assert_eq!(body["body"]["id"], "em-joint-management-board");
    assert!(body["delegated_limits"].is_array());
    for limit in body["delegated_limits"].as_array().unwrap() {
        assert!(
            limit["limit"]["amount"].is_string() && limit["limit"]["currency"] == "GBP",
            "{limit}"
        );
    }
    let n = q.network();
    same(&["network", "parties"], &n.parties());
    same(&["network", "links"], &n.links());
    same(&["network", "groups"], &n.groups());
    same(&["network", "degrees"], &n.degrees());
    same(&["network", "betweenness"], &n.betweenness());
    same(
        &["network", "articulation-points"],
        &n.articulation_points(),
    );
    let cut = answer(&["--as-of", AS_OF, "network", "articulation-points"]);
    assert_eq!(cut[0]["party"]["id"], "northamptonshire-police");
}

#[allow(
    clippy::too_many_lines,
    reason = "one case per sub-command, each with its oracle, in one table"
)]
#[test]
fn cost_questions_answer_as_the_library_does() {
    let s = sample();
    let q = q(&s);
    same(
        &["apportion", "em-major-crime", "2021/22"],
        &q.apportion("em-major-crime", year()).unwrap(),
    );
    let period =
        collab_registry::model::Period::new(day(2021, 4, 1), Some(day(2021, 10, 1))).unwrap();
    same(
        &[
            "charges",
            "em-major-crime",
            "--from",
            "2021-04-01",
            "--to",
            "2021-10-01",
        ],
        &q.charges("em-major-crime", period).unwrap(),
    );
    same(
        &["contributions", "northamptonshire-police", "2021/22"],
        &q.contributions("northamptonshire-police", year()).unwrap(),
    );
    same(
        &[
            "what-if-leave",
            "em-major-crime",
            "lincolnshire-police",
            "2021/22",
        ],
        &q.what_if_withdrawal("em-major-crime", "lincolnshire-police", year())
            .unwrap(),
    );
    // The public order unit shares by officers, which Leicestershire has none of: refused.
    let e = message(q.what_if_join(
        "em-public-order",
        "leicestershire-police",
        year(),
        &JoinTerms::new(),
    ));
    refused(
        &[
            "--as-of",
            AS_OF,
            "what-if-join",
            "em-public-order",
            "leicestershire-police",
            "2021/22",
        ],
        1,
        "missing-cost-input",
        &e,
    );
    same(
        &["savings", "em-major-crime"],
        &q.savings("em-major-crime").unwrap(),
    );
    same(
        &["assets", "em-major-crime"],
        &q.assets("em-major-crime").unwrap(),
    );
    same(
        &["assets-of", "northamptonshire-police"],
        &q.assets_of("northamptonshire-police").unwrap(),
    );
    // The enabling services of the README, to the penny, money with its currency.
    let shares = answer(&[
        "--as-of",
        AS_OF,
        "apportion",
        "northamptonshire-enabling-services",
        "2021/22",
    ]);
    let police = shares["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["party"]["id"] == "northamptonshire-police")
        .unwrap();
    assert_eq!(
        police["amount"],
        json!({"amount": "8585011.19", "currency": "GBP"})
    );
    // The CSV of the same answer reads back with a CSV reader.
    let csv = run(&[
        "--as-of",
        AS_OF,
        "--format",
        "csv",
        "apportion",
        "northamptonshire-enabling-services",
        "2021/22",
    ]);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let row = rows
        .iter()
        .find(|r| &r[at("shares.party.id")] == "northamptonshire-police")
        .unwrap();
    assert_eq!(&row[at("shares.amount.amount")], "8585011.19");
}

#[test]
fn entitlements_what_if_join_terms_and_cost_refusals() {
    let s = sample();
    let q = q(&s);
    let err = q
        .entitlements("em-major-crime", year())
        .map(|_| ())
        .unwrap_err();
    refused(
        &[
            "--as-of",
            AS_OF,
            "entitlements",
            "em-major-crime",
            "2021/22",
        ],
        1,
        err.kind().code(),
        &err.to_string(),
    );
    let (_, file) = own_file("entitlements");
    let own = Registry::from_json_str(OWN).unwrap();
    let oq = q_own(&own);
    let e = oq.entitlements("dogs", year()).map(|_| ()).unwrap_err();
    refused(
        &[
            "--file",
            &file,
            "--as-of",
            AS_OF,
            "entitlements",
            "dogs",
            "2021/22",
        ],
        1,
        e.kind().code(),
        &e.to_string(),
    );
    let terms = JoinTerms::new().on(day(2021, 10, 1));
    let mut all = vec!["--file", file.as_str(), "--as-of", AS_OF];
    all.extend([
        "what-if-join",
        "dogs",
        "fire-c",
        "2021/22",
        "--on",
        "2021-10-01",
    ]);
    assert_eq!(
        answer(&all),
        serde_json::to_value(oq.what_if_join("dogs", "fire-c", year(), &terms).unwrap()).unwrap()
    );
    refused(
        &[
            "what-if-join",
            "dogs",
            "fire-c",
            "2021/22",
            "--percent",
            "lots",
        ],
        2,
        "usage",
        "--percent",
    );
    refused(
        &["--as-of", AS_OF, "apportion", "em-major-crime", "2019/20"],
        1,
        "missing-cost-input",
        "",
    );
    refused(
        &["apportion", "em-major-crime", "2021-22"],
        2,
        "usage",
        "2021-22",
    );
}

fn q_own(r: &Registry) -> AsOf<'_> {
    r.as_of(day(2021, 4, 1))
}

#[test]
fn calendar_and_history_questions_answer_as_the_library_does() {
    let s = sample();
    let q = q(&s);
    let next = answer(&["--as-of", AS_OF, "next-review", "em-major-crime"]);
    assert_eq!(
        next["next_review"],
        serde_json::to_value(q.next_review("em-major-crime").unwrap()).unwrap()
    );
    assert_eq!(next["agreement"]["id"], "em-major-crime");
    same(
        &["reviews-due", "--from", "2021-04-01", "--to", "2022-04-01"],
        &q.reviews_due(day(2021, 4, 1), day(2022, 4, 1)),
    );
    same(&["overdue-reviews"], &q.overdue_reviews());
    same(
        &["expiring", "--from", "2021-04-01", "--to", "2030-04-01"],
        &q.expiring(day(2021, 4, 1), day(2030, 4, 1)),
    );
    same(
        &[
            "notice-deadline",
            "em-operational-support",
            "lincolnshire-police",
        ],
        &q.notice_deadline(
            "em-operational-support",
            "lincolnshire-police",
            OutBy::FinancialYearEnd,
        )
        .unwrap(),
    );
    same(
        &[
            "notice-deadline",
            "em-operational-support",
            "lincolnshire-police",
            "--out-by",
            "2023-04-01",
        ],
        &q.notice_deadline(
            "em-operational-support",
            "lincolnshire-police",
            OutBy::Day(day(2023, 4, 1)),
        )
        .unwrap(),
    );
    refused(
        &[
            "notice-deadline",
            "em-operational-support",
            "lincolnshire-police",
            "--out-by",
            "soon",
        ],
        2,
        "usage",
        "soon",
    );
    same(&["notice-deadlines"], &q.notice_deadlines());
    same(&["history", ALLIANCE], &q.history(ALLIANCE).unwrap());
    same(&["successors", ALLIANCE], &q.successors(ALLIANCE).unwrap());
    same(&["replaced", ALLIANCE], &q.replaced(ALLIANCE).unwrap());
    let ics = run(&["--as-of", AS_OF, "calendar"]);
    assert_eq!(ics.code, 0);
    assert_eq!(ics.stdout, q.calendar_feed());
    assert!(ics.stdout.starts_with("BEGIN:VCALENDAR\r\n"));
}

#[test]
fn every_question_refuses_an_unknown_id_with_the_library_error() {
    let s = sample();
    let q = q(&s);
    let party = message(q.agreements_of("nobody"));
    let agreement = message(q.members_of("nothing"));
    let body = message(q.body("no-body"));
    for args in [
        vec!["agreements-of", "nobody"],
        vec!["partners-of", "nobody"],
        vec!["shared-by", "nobody", "derbyshire-police"],
        vec!["leads-and-hosts", "nobody"],
        vec!["declined", "nobody"],
        vec!["party", "nobody"],
        vec!["seats-of", "nobody"],
        vec!["contributions", "nobody", "2021/22"],
        vec!["assets-of", "nobody"],
    ] {
        refused(&args, 1, "unknown-id", &party);
    }
    for args in [
        vec!["members-of", "nothing"],
        vec!["signatories", "nothing"],
        vec!["sizes-under", "nothing"],
        vec!["under", "nothing"],
        vec!["bodies", "nothing"],
        vec!["apportion", "nothing", "2021/22"],
        vec![
            "charges",
            "nothing",
            "--from",
            "2021-04-01",
            "--to",
            "2021-10-01",
        ],
        vec!["what-if-leave", "nothing", "derbyshire-police", "2021/22"],
        vec!["what-if-join", "nothing", "derbyshire-police", "2021/22"],
        vec!["savings", "nothing"],
        vec!["entitlements", "nothing", "2021/22"],
        vec!["assets", "nothing"],
        vec!["next-review", "nothing"],
        vec!["notice-deadline", "nothing", "derbyshire-police"],
        vec!["history", "nothing"],
        vec!["successors", "nothing"],
        vec!["replaced", "nothing"],
    ] {
        refused(&args, 1, "unknown-id", &agreement);
    }
    for args in [
        vec!["body", "no-body"],
        vec!["reporting-chain", "no-body"],
        vec!["decide", "no-body"],
    ] {
        refused(&args, 1, "unknown-id", &body);
    }
    refused(
        &["--as-of", AS_OF, "sizes-in-region", "Atlantis"],
        1,
        "nothing-to-ask",
        &message(q.sizes_in_region("Atlantis", None)),
    );
    refused(
        &["cross-sector", "martians"],
        1,
        "invalid-value",
        "martians",
    );
    refused(&["by-function", "cats"], 2, "usage", "cats");
    refused(&["by-legal-basis", "whim"], 2, "usage", "whim");
    refused(&["by-status", "dormant"], 2, "usage", "dormant");
    refused(&["with-exactly", "three"], 2, "usage", "three");
    refused(&["with-at-least", "-1"], 2, "usage", "");
    refused(
        &["reviews-by-body", "--from", "2021-04-01"],
        2,
        "usage",
        "--to",
    );
    refused(
        &["reviews-due", "--from", "2021-04-01", "--to", "2021-13-01"],
        2,
        "usage",
        "2021-13-01",
    );
    refused(&["expiring", "--to", "2021-04-01"], 2, "usage", "--from");
    refused(
        &[
            "decide",
            "em-support-delivery-board",
            "--vote",
            "derbyshire-police=maybe",
        ],
        2,
        "usage",
        "maybe",
    );
    refused(&["network", "everything"], 2, "usage", "everything");
    refused(&["overdue-reviews", "extra"], 2, "usage", "extra");
    refused(&["notice-deadlines", "extra"], 2, "usage", "extra");
    refused(&["calendar", "extra"], 2, "usage", "extra");
}

#[allow(
    clippy::too_many_lines,
    reason = "one case per sub-command, each with its oracle, in one table"
)]
#[test]
fn questions_on_a_file_of_the_tests_own() {
    let (_, file) = own_file("questions");
    let own = Registry::from_json_str(OWN).unwrap();
    let q = q_own(&own);
    let f = |args: &[&str]| {
        let mut all = vec!["--file", file.as_str(), "--as-of", AS_OF];
        all.extend_from_slice(args);
        answer(&all)
    };
    let v = |x: &dyn erased::Ser| x.value();
    assert_eq!(
        f(&["members-of", "dogs"]),
        v(&q.members_of("dogs").unwrap())
    );
    assert_eq!(
        f(&["agreements-of", "force-a"]),
        v(&q.agreements_of("force-a").unwrap())
    );
    assert_eq!(
        f(&["signatories", "dogs"]),
        v(&q.signatories("dogs").unwrap())
    );
    assert_eq!(
        f(&["partners-of", "force-a"]),
        v(&q.partners_of("force-a").unwrap())
    );
    assert_eq!(
        f(&["cross-sector", "police", "fire_and_rescue"])
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        f(&["apportion", "dogs", "2021/22"]),
        v(&q.apportion("dogs", year()).unwrap())
    );
    assert_eq!(f(&["savings", "dogs"]), v(&q.savings("dogs").unwrap()));
    assert_eq!(f(&["assets", "dogs"]), v(&q.assets("dogs").unwrap()));
    assert_eq!(
        f(&["notice-deadline", "dogs", "force-b", "--out-by", "expiry"]),
        v(&q.notice_deadline("dogs", "force-b", OutBy::Expiry).unwrap())
    );
    assert_eq!(
        f(&[
            "decide",
            "board",
            "--vote",
            "pcc-a=for",
            "--vote",
            "pcc-b=for"
        ])["passes"],
        true
    );
    assert_eq!(
        f(&["decide", "board", "--vote", "pcc-a=for"])["passes"],
        false
    );
    let body = f(&["body", "board"]);
    assert_eq!(
        body["delegated_limits"],
        json!([{"matter": "spending", "limit": {"amount": "5000.00", "currency": "GBP"}}])
    );
    assert_eq!(
        body["governs"],
        json!([{"id": "dogs", "title": "Shared dog unit"}])
    );
    assert_eq!(body["reports_to"], json!([]));
    let fire_c = f(&["party", "fire-c"]);
    assert_eq!(
        fire_c["signs_as"],
        Value::Null,
        "absent values are null, not left out"
    );
    assert_eq!(fire_c["overseen_by"], json!([]));
    // The envelope names the register, and says null for no register day.
    let r = run(&[
        "--file",
        &file,
        "--as-of=2021-04-01",
        "--format",
        "json",
        "members-of",
        "dogs",
    ]);
    let env: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(env["register"], "Test register");
    assert_eq!(env["as_of"], "2021-04-01");
    assert_eq!(env["recorded_on"], Value::Null);
    assert_eq!(env["scope"], "in_force");
    let r = run(&[
        "--file",
        &file,
        "--as-of",
        "2021-04-01",
        "--recorded-on",
        "2021-05-01",
        "--scope",
        "any-status",
        "--format",
        "json",
        "members-of",
        "dogs",
    ]);
    let env: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (env["recorded_on"].as_str(), env["scope"].as_str()),
        (Some("2021-05-01"), Some("any_status"))
    );
}

/// Serialising any answer, for comparing answers of different types.
mod erased {
    pub(crate) trait Ser {
        fn value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn value(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("serialises")
        }
    }
}

#[test]
fn table_csv_and_markdown_forms_of_an_answer() {
    let table = run(&["--as-of", AS_OF, "members-of", ALLIANCE]);
    assert_eq!(table.code, 0);
    assert!(
        table
            .stdout
            .lines()
            .next()
            .unwrap()
            .contains("members.party.name")
    );
    assert_eq!(
        table.stdout.lines().count(),
        4,
        "a header and three members"
    );
    let md = run(&[
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
        "members-of",
        ALLIANCE,
    ]);
    let lines: Vec<&str> = md.stdout.lines().collect();
    assert!(lines[1].starts_with("| --- |"));
    assert_eq!(lines.len(), 5);
    let csv = run(&[
        "--as-of",
        AS_OF,
        "--format",
        "csv",
        "partners-of",
        "northamptonshire-police",
    ]);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    let rows = reader.records().count();
    assert_eq!(
        rows,
        q(&sample())
            .partners_of("northamptonshire-police")
            .unwrap()
            .len()
    );
}

#[test]
fn usage_and_load_errors_have_their_exit_statuses() {
    refused(&["no-such-command"], 2, "usage", "no-such-command");
    refused(&["members-of"], 2, "usage", "AGREEMENT");
    refused(
        &["--as-of", "1 April", "members-of", ALLIANCE],
        2,
        "usage",
        "1 April",
    );
    let text = run(&["--as-of=2021-02-30", "members-of", ALLIANCE]);
    assert_eq!(text.code, 2);
    assert!(text.stderr.contains("2021-02-30"), "{}", text.stderr);
    let missing = refused(
        &[
            "--file",
            "/nonexistent/registry.json",
            "members-of",
            ALLIANCE,
        ],
        3,
        "io",
        "/nonexistent/registry.json",
    );
    assert_eq!(missing["path"], "/nonexistent/registry.json");
    let dir = temp("broken");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"schema_version\": 2, ").unwrap();
    refused(
        &["--file", broken.to_str().unwrap(), "members-of", ALLIANCE],
        3,
        "syntax",
        "",
    );
    let plain = run(&[
        "--file",
        "/nonexistent/registry.json",
        "members-of",
        ALLIANCE,
    ]);
    assert!(plain.stderr.starts_with("error: "), "{}", plain.stderr);
}

#[test]
fn validate_prints_every_problem_and_says_so_in_its_status() {
    valid("data/sample-registry.json");
    let r = run(&["validate"]);
    assert_eq!(r.code, 0, "the embedded sample is valid");
    let dir = temp("validate");
    let bad = dir.join("bad.json");
    let text = OWN
        .replace(
            "\"party\": \"force-b\", \"role\": \"member\"",
            "\"party\": \"kent-police\", \"role\": \"member\"",
        )
        .replace("\"kind\": \"fire_and_rescue\"", "\"kind\": \"fire\"");
    std::fs::write(&bad, &text).unwrap();
    let oracle = Registry::from_json_str(&text).unwrap_err();
    let r = run(&["--format", "json", "validate", bad.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    check_envelope(&v);
    assert_eq!(v["register"], Value::Null, "no register loaded");
    let problems = v["answer"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), oracle.problems().len());
    assert!(problems.len() >= 2);
    for (said, p) in problems.iter().zip(oracle.problems()) {
        assert_eq!(said["path"], p.path());
        assert_eq!(said["code"], p.code().to_string());
        assert_eq!(said["message"], p.message());
    }
    refused(
        &["validate", "/nonexistent/registry.json"],
        3,
        "io",
        "/nonexistent",
    );
}

#[test]
fn fmt_rewrites_a_hand_edited_file_and_check_says_whether_it_is_canonical() {
    assert_eq!(
        run(&["fmt", "--check", "data/sample-registry.json"]).code,
        0
    );
    let dir = temp("fmt");
    let path = dir.join("hand.json");
    std::fs::write(&path, OWN).unwrap();
    let p = path.to_str().unwrap();
    let check = run(&["--format", "json", "fmt", "--check", p]);
    assert_eq!(check.code, 1);
    assert_eq!(
        serde_json::from_str::<Value>(&check.stdout).unwrap()["answer"]["canonical"],
        false
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        OWN,
        "--check changes nothing"
    );
    assert_eq!(run(&["fmt", p]).code, 0);
    assert_eq!(run(&["fmt", "--check", p]).code, 0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        Registry::from_json_str(OWN).unwrap().to_json_string()
    );
    valid(p);
    refused(&["fmt"], 2, "usage", "fmt needs a file");
    std::fs::write(&path, "[").unwrap();
    refused(&["fmt", p], 3, "syntax", "");
}

/// A change on the tests' own file: it must succeed, leave a valid file,
/// and equal the same change made by the library.
fn change_ok(name: &str, args: &[&str], oracle: impl FnOnce(&mut Registry)) -> Value {
    let (path, file) = own_file(name);
    let mut all = vec!["--file", file.as_str()];
    all.extend_from_slice(args);
    let v = answer(&all);
    valid(&file);
    let mut expected = Registry::from_json_str(OWN).unwrap();
    oracle(&mut expected);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        expected.to_json_string(),
        "{args:?}"
    );
    v
}

/// A refused change: the library's error said, exit 1, the file untouched.
fn change_refused(
    name: &str,
    args: &[&str],
    oracle: impl FnOnce(&mut Registry) -> collab_registry::Error,
) {
    let (path, file) = own_file(name);
    let before = std::fs::read_to_string(&path).unwrap();
    let mut expected = Registry::from_json_str(OWN).unwrap();
    let e = oracle(&mut expected);
    let mut all = vec!["--file", file.as_str()];
    all.extend_from_slice(args);
    refused(&all, 1, e.kind().code(), &e.to_string());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "a refused change leaves the file"
    );
}

const ENTERED: NaiveDate = NaiveDate::from_ymd_opt(2022, 6, 10).expect("a day");

fn when(on: NaiveDate) -> collab_registry::time::When {
    collab_registry::time::When::on(on).entered(ENTERED)
}

#[allow(
    clippy::too_many_lines,
    reason = "one case per sub-command, each with its oracle, in one table"
)]
#[test]
fn join_serve_notice_and_leave() {
    let v = change_ok(
        "join",
        &[
            "join",
            "fire-link",
            "force-b",
            "--on",
            "2022-04-01",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            let m = Membership::new(
                PartyId::new("force-b").unwrap(),
                Role::Member,
                day(2022, 4, 1),
            )
            .entered(ENTERED);
            r.join("fire-link", m).unwrap();
        },
    );
    assert_eq!(v["change"], "join");
    change_refused(
        "join-bad",
        &["join", "dogs", "force-a", "--on", "2022-04-01"],
        |r| {
            r.join(
                "dogs",
                Membership::new(
                    PartyId::new("force-a").unwrap(),
                    Role::Member,
                    day(2022, 4, 1),
                ),
            )
            .unwrap_err()
        },
    );
    refused(
        &["join", "dogs", "force-a", "--on", "2022-04-01"],
        2,
        "usage",
        "--file",
    );
    refused(
        &[
            "--file",
            "x.json",
            "join",
            "dogs",
            "force-a",
            "--on",
            "2022-04-01",
            "--role",
            "boss",
        ],
        2,
        "usage",
        "boss",
    );
    let v = change_ok(
        "notice",
        &[
            "serve-notice",
            "dogs",
            "force-b",
            "--on",
            "2022-09-30",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            r.serve_notice("dogs", "force-b", when(day(2022, 9, 30)))
                .unwrap();
        },
    );
    let mut again = Registry::from_json_str(OWN).unwrap();
    assert_eq!(
        v["out"],
        serde_json::to_value(
            again
                .serve_notice("dogs", "force-b", day(2022, 9, 30))
                .unwrap()
        )
        .unwrap()
    );
    change_refused(
        "notice-bad",
        &["serve-notice", "dogs", "pcc-a", "--on", "2022-09-30"],
        |r| {
            r.serve_notice("dogs", "pcc-a", day(2022, 9, 30))
                .unwrap_err()
        },
    );
    change_ok(
        "leave",
        &[
            "leave",
            "dogs",
            "force-b",
            "--on",
            "2023-04-01",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            r.leave("dogs", "force-b", when(day(2023, 4, 1))).unwrap();
        },
    );
    change_refused(
        "leave-bad",
        &["leave", "dogs", "pcc-a", "--on", "2023-04-01"],
        |r| r.leave("dogs", "pcc-a", day(2023, 4, 1)).unwrap_err(),
    );
}

#[allow(
    clippy::too_many_lines,
    reason = "one case per sub-command, each with its oracle, in one table"
)]
#[test]
fn reviews_amendments_terminations_renewals_and_extensions() {
    use collab_registry::model::{AmendmentKind, BodyId, Ending, Review, Term, TermUnit};
    let v = change_ok(
        "review",
        &[
            "record-review",
            "dogs",
            "--on",
            "2022-05-01",
            "--by",
            "board",
            "--outcome",
            "Continue",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            let review = Review::new(day(2022, 5, 1))
                .by(BodyId::new("board").unwrap())
                .outcome("Continue")
                .entered(ENTERED);
            r.record_review("dogs", review).unwrap();
        },
    );
    assert_eq!(v["next_review"], "2023-05-01");
    change_refused(
        "review-bad",
        &[
            "record-review",
            "dogs",
            "--on",
            "2022-05-01",
            "--by",
            "no-board",
        ],
        |r| {
            r.record_review(
                "dogs",
                Review::new(day(2022, 5, 1)).by(BodyId::new("no-board").unwrap()),
            )
            .unwrap_err()
        },
    );
    change_ok(
        "end",
        &[
            "amend",
            "end",
            "dogs",
            "2026-04-01",
            "--on",
            "2022-01-01",
            "--summary",
            "A year more",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            r.amend(
                "dogs",
                when(day(2022, 1, 1)),
                AmendmentKind::Variation,
                "A year more",
                |t| t.set_end(Some(day(2026, 4, 1))),
            )
            .unwrap();
        },
    );
    change_refused(
        "end-bad",
        &[
            "amend",
            "end",
            "nothing",
            "2026-04-01",
            "--on",
            "2022-01-01",
            "--summary",
            "x",
        ],
        |r| {
            r.amend(
                "nothing",
                day(2022, 1, 1),
                AmendmentKind::Variation,
                "x",
                |_| {},
            )
            .unwrap_err()
        },
    );
    change_ok(
        "term",
        &[
            "amend",
            "term",
            "fire-link",
            "3y",
            "--on",
            "2022-01-01",
            "--summary",
            "A term",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            r.amend(
                "fire-link",
                when(day(2022, 1, 1)),
                AmendmentKind::Variation,
                "A term",
                |t| t.set_term(Some(Term::new(3, TermUnit::Years))),
            )
            .unwrap();
        },
    );
    refused(
        &[
            "--file",
            "x.json",
            "amend",
            "term",
            "dogs",
            "five",
            "--on",
            "2022-01-01",
            "--summary",
            "x",
        ],
        2,
        "usage",
        "five",
    );
    change_refused(
        "end-early",
        &[
            "amend",
            "end",
            "dogs",
            "2019-01-01",
            "--on",
            "2022-01-01",
            "--summary",
            "early",
        ],
        |r| {
            r.amend(
                "dogs",
                day(2022, 1, 1),
                AmendmentKind::Variation,
                "early",
                |t| t.set_end(Some(day(2019, 1, 1))),
            )
            .unwrap_err()
        },
    );
    change_refused(
        "term-bad",
        &[
            "amend",
            "term",
            "nothing",
            "3y",
            "--on",
            "2022-01-01",
            "--summary",
            "x",
        ],
        |r| {
            r.amend(
                "nothing",
                day(2022, 1, 1),
                AmendmentKind::Variation,
                "x",
                |_| {},
            )
            .unwrap_err()
        },
    );
    change_ok(
        "terminate",
        &[
            "terminate",
            "fire-link",
            "--on",
            "2023-01-01",
            "--all-members",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            r.terminate_by("fire-link", when(day(2023, 1, 1)), Ending::AllMembers, None)
                .unwrap();
        },
    );
    change_refused(
        "terminate-bad",
        &[
            "terminate",
            "dogs",
            "--on",
            "2023-01-01",
            "--by-notice",
            "force-b",
        ],
        |r| {
            r.terminate_by(
                "dogs",
                day(2023, 1, 1),
                Ending::Notice(PartyId::new("force-b").unwrap()),
                None,
            )
            .unwrap_err()
        },
    );
    let v = change_ok(
        "renew",
        &[
            "renew",
            "dogs",
            "--on",
            "2025-03-01",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            r.renew("dogs", when(day(2025, 3, 1))).unwrap();
        },
    );
    assert_eq!(v["end"], "2030-04-01");
    change_refused(
        "renew-bad",
        &["renew", "fire-link", "--on", "2025-03-01"],
        |r| r.renew("fire-link", day(2025, 3, 1)).unwrap_err(),
    );
    change_ok(
        "extend",
        &[
            "extend",
            "dogs",
            "--on",
            "2025-03-01",
            "--to",
            "2026-04-01",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            r.extend("dogs", when(day(2025, 3, 1)), day(2026, 4, 1))
                .unwrap();
        },
    );
    change_refused(
        "extend-bad",
        &["extend", "dogs", "--on", "2025-03-01", "--to", "2024-04-01"],
        |r| {
            r.extend("dogs", day(2025, 3, 1), day(2024, 4, 1))
                .unwrap_err()
        },
    );
}

#[allow(
    clippy::too_many_lines,
    reason = "one case per sub-command, each with its oracle, in one table"
)]
#[test]
fn add_party_and_add_agreement_from_json_and_csv() {
    use collab_registry::model::{Oversight, Party, PartyKind, Spell};
    change_ok(
        "party",
        &[
            "add-party",
            "force-d",
            "--name",
            "Force D",
            "--kind",
            "police_force",
            "--region",
            "North",
            "--overseen-by",
            "pcc-a",
            "--entered",
            "2022-06-10",
        ],
        |r| {
            let p = Party::builder(
                PartyId::new("force-d").unwrap(),
                "Force D",
                PartyKind::PoliceForce,
            )
            .region("North")
            .overseen_by(Oversight::new(
                PartyId::new("pcc-a").unwrap(),
                Spell::always(),
            ))
            .entered(ENTERED)
            .build()
            .unwrap();
            r.add_party(p).unwrap();
        },
    );
    change_refused(
        "party-bad",
        &[
            "add-party",
            "force-a",
            "--name",
            "Again",
            "--kind",
            "police_force",
        ],
        |r| {
            r.add_party(
                Party::builder(
                    PartyId::new("force-a").unwrap(),
                    "Again",
                    PartyKind::PoliceForce,
                )
                .build()
                .unwrap(),
            )
            .unwrap_err()
        },
    );
    let dir = temp("add-agreement");
    let json_file = dir.join("new.json");
    let agreement = r#"{"id": "horses", "title": "Mounted unit", "legal_basis": "section_22a_police_act_1996",
        "start": "2022-04-01", "status": [{"status": "active", "from": "2022-04-01"}],
        "members": [{"party": "force-a", "role": "lead", "joined": "2022-04-01"}, {"party": "force-b", "role": "member", "joined": "2022-04-01"}]}"#;
    std::fs::write(&json_file, agreement).unwrap();
    let j = json_file.to_str().unwrap();
    change_ok(
        "agreement-json",
        &["add-agreement", j, "--entered", "2022-06-10"],
        |r| {
            let mut v: Value = serde_json::from_str(agreement).unwrap();
            v["entered"] = json!("2022-06-10");
            r.add_agreement(collab_registry::format::agreement_from_json(&v.to_string()).unwrap())
                .unwrap();
        },
    );
    let bad = agreement.replace("force-b", "kent-police");
    std::fs::write(&json_file, &bad).unwrap();
    change_refused(
        "agreement-json-bad",
        &["add-agreement", j, "--entered", "2022-06-10"],
        |r| {
            let mut v: Value = serde_json::from_str(&bad).unwrap();
            v["entered"] = json!("2022-06-10");
            r.add_agreement(collab_registry::format::agreement_from_json(&v.to_string()).unwrap())
                .unwrap_err()
        },
    );
    let csv_file = dir.join("new.csv");
    std::fs::write(
        &csv_file,
        "agreement,title,party,role,joined,left,legal_basis,functions,lead\nhorses,Mounted unit,force-a,,2022-04-01,,section_22a_police_act_1996,other,yes\nhorses,,force-b,member,2022-04-01,,,,\n",
    )
    .unwrap();
    let (path, file) = own_file("agreement-csv");
    assert_eq!(
        run(&[
            "--file",
            &file,
            "add-agreement",
            csv_file.to_str().unwrap(),
            "--entered",
            "2022-06-10"
        ])
        .code,
        0
    );
    valid(&file);
    let written = Registry::load(&path).unwrap();
    let horses = written.agreement("horses").unwrap();
    assert_eq!(horses.members().len(), 2);
    assert_eq!(horses.entered(), Some(ENTERED));
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "{").unwrap();
    refused(
        &["--file", &file, "add-agreement", empty.to_str().unwrap()],
        1,
        "syntax",
        "empty.json",
    );
}

#[allow(
    clippy::too_many_lines,
    reason = "one case per sub-command, each with its oracle, in one table"
)]
#[test]
fn import_csv_makes_a_registry_file_and_reports_every_bad_row() {
    let dir = temp("import");
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "agreement,title,party,role,joined,left,legal_basis,functions,lead\n\
         dogs,\"Dog unit, shared\",force-a,,2020-04-01,,section_22a_police_act_1996,dogs;public_order,yes\n\
         dogs,,force-b,member,2020-04-01,2023-04-01,,,\n\
         dogs,,force-c,associate,2021-06,,,,no\n",
    )
    .unwrap();
    let out = dir.join("out.json");
    let v = answer(&[
        "import-csv",
        good.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--entered",
        "2024-01-02",
    ]);
    assert_eq!(v["agreements"], json!(["dogs"]));
    assert_eq!(
        v["parties_created"],
        json!(["force-a", "force-b", "force-c"])
    );
    valid(out.to_str().unwrap());
    let r = Registry::load(&out).unwrap();
    let dogs = r.agreement("dogs").unwrap();
    assert_eq!(dogs.title(), "Dog unit, shared");
    assert_eq!(dogs.members().len(), 3);
    assert_eq!(dogs.members()[0].role(), Role::Lead);
    assert!(dogs.provenance().is_illustrative("status"));
    let party = r.party("force-c").unwrap();
    assert_eq!(
        (party.name(), party.kind()),
        ("force-c", collab_registry::model::PartyKind::Other)
    );
    assert!(
        party.provenance().is_illustrative("name") && party.provenance().is_illustrative("kind")
    );
    // Into the sample: its parties are known, so none is created.
    let sample_out = dir.join("sample-out.json");
    let into = dir.join("into.csv");
    std::fs::write(&into, "party,agreement,title,joined\nderbyshire-police,pair,A pair,2024-04-01\nleicestershire-police,pair,,2024-04-01\n").unwrap();
    let v = answer(&[
        "import-csv",
        into.to_str().unwrap(),
        "--into",
        "data/sample-registry.json",
        "--out",
        sample_out.to_str().unwrap(),
    ]);
    assert_eq!(v["parties_created"], json!([]));
    valid(sample_out.to_str().unwrap());
    // Every bad cell, with its row and column.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "agreement,title,party,role,joined,left,legal_basis,functions,lead\n\
         dogs,Dogs,force-a,lead,2020-04-01,,,,\n\
         Bad Id,Dogs,force-b,boss,2020-13-01,,whim,cats,maybe\n\
         dogs,Other title,force-c,,,,,,\n",
    )
    .unwrap();
    let e = refused(
        &[
            "import-csv",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        1,
        "invalid",
        "bad cells",
    );
    let paths: Vec<&str> = e["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["path"].as_str())
        .collect();
    for want in [
        "row 3, column 1 (agreement)",
        "row 3, column 4 (role)",
        "row 3, column 5 (joined)",
        "row 3, column 7 (legal_basis)",
        "row 3, column 8 (functions)",
        "row 3, column 9 (lead)",
        "row 4, column 5 (joined)",
    ] {
        assert!(paths.contains(&want), "{want} in {paths:?}");
    }
    let headless = dir.join("headless.csv");
    std::fs::write(&headless, "title,role\nDogs,lead\n").unwrap();
    let e = refused(
        &[
            "import-csv",
            headless.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        1,
        "invalid",
        "",
    );
    assert_eq!(e["problems"][0]["path"], "row 1, column 1 (agreement)");
    // A lone member: the library's own refusal, at the agreement's row.
    let lone = dir.join("lone.csv");
    std::fs::write(
        &lone,
        "agreement,title,party,joined\nsolo,Solo,force-a,2020-04-01\n",
    )
    .unwrap();
    let e = refused(
        &[
            "import-csv",
            lone.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        1,
        "invalid",
        "",
    );
    assert!(
        e["problems"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("row 2"),
        "{e}"
    );
    refused(
        &[
            "import-csv",
            "/nonexistent.csv",
            "--out",
            out.to_str().unwrap(),
        ],
        3,
        "io",
        "/nonexistent.csv",
    );
}

/// Runs `dot -Tsvg` on a DOT file, when Graphviz is installed.
fn through_graphviz(dot: &str) {
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        println!("note: Graphviz's dot is not installed; the DOT was not rendered");
        return;
    };
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), dot.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "dot renders it");
    svg(&String::from_utf8(out.stdout).unwrap());
}

/// Parses Graphviz's SVG, which names its DTD.
fn svg(text: &str) {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).expect("an SVG");
}

fn export(args: &[&str]) -> String {
    let mut all = vec!["--as-of", AS_OF, "export"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

#[allow(
    clippy::too_many_lines,
    reason = "one case per sub-command, each with its oracle, in one table"
)]
#[test]
fn exports_are_the_reports_and_read_back() -> Result {
    let s = sample();
    let q = q(&s);
    let dot = export(&["network-dot"]);
    assert_eq!(dot, report::dot::network(&q));
    through_graphviz(&dot);
    let gov = export(&["governance-dot"]);
    assert_eq!(gov, report::dot::governance(&q));
    through_graphviz(&gov);
    for (what, text) in [
        ("network-graphml", report::graphml::network(&q)),
        ("governance-graphml", report::graphml::governance(&q)),
    ] {
        let out = export(&[what]);
        assert_eq!(out, text);
        let doc = roxmltree::Document::parse(&out)?;
        let nodes = doc.descendants().filter(|n| n.has_tag_name("node")).count();
        assert!(nodes > 0, "{what} has nodes");
        if what == "network-graphml" {
            assert_eq!(nodes, q.network().parties().len());
        }
    }
    let memberships = export(&["memberships-csv"]);
    assert_eq!(memberships, report::csv::memberships(&q));
    let mut reader = csv::Reader::from_reader(memberships.as_bytes());
    let rows = reader
        .records()
        .collect::<std::result::Result<Vec<_>, _>>()?;
    assert!(
        rows.iter()
            .filter(|r| r.iter().any(|c| c == ALLIANCE))
            .count()
            >= 3
    );
    let shares = export(&["shares-csv", "--year", "2021/22"]);
    assert_eq!(shares, report::csv::shares(&q, year())?);
    assert!(
        csv::Reader::from_reader(shares.as_bytes())
            .records()
            .all(|r| r.is_ok())
    );
    let reviews = export(&["reviews-csv", "--from", "2021-04-01", "--to", "2023-04-01"]);
    assert_eq!(
        reviews,
        report::csv::reviews(&q, day(2021, 4, 1), day(2023, 4, 1))
    );
    assert!(
        csv::Reader::from_reader(reviews.as_bytes())
            .records()
            .all(|r| r.is_ok())
    );
    assert_eq!(
        export(&["members-markdown", "--agreement", ALLIANCE]),
        report::markdown::members(&q, ALLIANCE)?
    );
    assert_eq!(
        export(&[
            "shares-markdown",
            "--agreement",
            "em-major-crime",
            "--year",
            "2021/22"
        ]),
        report::markdown::shares(&q, "em-major-crime", year())?
    );
    assert_eq!(
        export(&[
            "reviews-markdown",
            "--from",
            "2021-04-01",
            "--to",
            "2023-04-01"
        ]),
        report::markdown::reviews(&q, day(2021, 4, 1), day(2023, 4, 1))
    );
    let html = export(&["publication-html"]);
    assert_eq!(html, report::publication::html(&q));
    let doc = roxmltree::Document::parse(html.trim_start_matches("<!DOCTYPE html>").trim_start())?;
    assert!(
        doc.descendants()
            .any(|n| n.text().is_some_and(|t| t.contains("Northamptonshire")))
    );
    assert_eq!(
        export(&["publication-markdown"]),
        report::publication::markdown(&q)
    );
    let svg = export(&["timeline-svg"]);
    assert_eq!(svg, report::timeline::svg(&q));
    roxmltree::Document::parse(&svg)?;
    assert_eq!(export(&["calendar"]), q.calendar_feed());
    let dir = temp("export");
    let out = dir.join("n.dot");
    assert_eq!(
        run(&[
            "--as-of",
            AS_OF,
            "export",
            "network-dot",
            "--out",
            out.to_str().unwrap()
        ])
        .code,
        0
    );
    assert_eq!(std::fs::read_to_string(&out)?, dot);
    refused(&["export", "shares-csv"], 2, "usage", "--year");
    refused(
        &["export", "members-markdown", "--agreement", "nothing"],
        1,
        "unknown-id",
        "nothing",
    );
    refused(&["export", "pie-chart"], 2, "usage", "pie-chart");
    Ok(())
}

#[test]
fn pictures_writes_the_network_and_the_timeline() -> Result {
    let dir = temp("pictures");
    let d = dir.to_str().unwrap();
    let r = run(&["--as-of", "2026-05-01", "--format", "json", "pictures", d]);
    let s = sample();
    let q = s.as_of(day(2026, 5, 1));
    assert_eq!(
        std::fs::read_to_string(dir.join("network.dot"))?,
        report::dot::network(&q)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("timeline.svg"))?,
        report::timeline::svg(&q)
    );
    if Command::new("dot").arg("-V").output().is_ok() {
        assert_eq!(r.code, 0, "{}", r.stderr);
        svg(&std::fs::read_to_string(dir.join("network.svg"))?);
    } else {
        println!("note: Graphviz's dot is not installed");
        assert_eq!(r.code, 3);
        assert!(r.stderr.contains("install Graphviz"));
    }
    // The committed timeline is this one, regenerated identically.
    assert_eq!(
        std::fs::read_to_string("data/pictures/timeline.svg")?,
        report::timeline::svg(&q)
    );
    let file = dir.join("a-file");
    std::fs::write(&file, "")?;
    refused(&["pictures", file.to_str().unwrap()], 3, "io", "a-file");
    Ok(())
}

/// A README command line split as a shell would (double quotes only).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[test]
fn every_collab_command_in_the_readme_works() {
    let readme = include_str!("../README.md");
    let dir = temp("readme");
    let mine = |w: &str| {
        if w.starts_with("my-") {
            dir.join(w).display().to_string()
        } else if w == "data/pictures" {
            dir.join("pictures").display().to_string()
        } else {
            w.to_owned()
        }
    };
    let mut ran = 0;
    for block in readme
        .split("```sh\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
    {
        for line in block.lines() {
            let line = line.split("   #").next().unwrap_or_default().trim();
            if let Some(rest) = line.strip_prefix("cargo run --example collab -- ") {
                let args: Vec<String> = words(rest).iter().map(|w| mine(w)).collect();
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let r = run(&args);
                assert_eq!(r.code, 0, "{line}: {}{}", r.stdout, r.stderr);
                ran += 1;
            } else if let Some(rest) = line.strip_prefix("cp data/sample-registry.json ") {
                std::fs::copy("data/sample-registry.json", mine(rest)).expect("copied");
            } else if let Some(rest) = line.strip_prefix("printf '") {
                let (text, file) = rest.split_once("' > ").expect("printf TEXT > FILE");
                std::fs::write(mine(file), text.replace("\\n", "\n")).expect("written");
            }
        }
    }
    assert!(ran > 60, "{ran} commands");
}
