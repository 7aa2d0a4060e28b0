//! Every validation rule of the file format, each checked for the path and
//! the message it reports, and a document with many faults reporting them all.

use collab_registry::{LoadError, Problem, Registry};
use serde_json::{Value, json};

/// A small valid registry: two forces with their commissioners, one
/// agreement between the forces and one board.
fn base() -> Value {
    json!({
        "schema_version": 1,
        "currency": "GBP",
        "parties": [
            {"id": "force-a", "name": "Force A", "kind": "police_force", "overseen_by": [{"by": "pcc-a"}],
             "metrics": [{"metric": "population", "year": "2021/22", "value": "700000"}]},
            {"id": "force-b", "name": "Force B", "kind": "police_force", "overseen_by": [{"by": "pcc-b"}],
             "metrics": [{"metric": "population", "year": "2021/22", "value": "300000"}]},
            {"id": "pcc-a", "name": "Commissioner A", "kind": "policing_body"},
            {"id": "pcc-b", "name": "Commissioner B", "kind": "policing_body"}
        ],
        "agreements": [
            {"id": "umbrella", "title": "Regional programme", "legal_basis": "other", "start": "2015-04-01",
             "status": [{"status": "active", "from": "2015-04-01"}],
             "members": [
                {"party": "force-a", "role": "member", "joined": "2015-04-01"},
                {"party": "force-b", "role": "member", "joined": "2015-04-01"}
             ]},
            {"id": "dogs", "title": "Shared dog unit", "legal_basis": "section_22a_police_act_1996",
             "functions": ["dogs"], "part_of": "umbrella", "start": "2016-04-01",
             "status": [{"status": "active", "from": "2016-04-01"}],
             "members": [
                {"party": "force-a", "role": "lead", "joined": "2016-04-01"},
                {"party": "force-b", "role": "member", "joined": "2016-04-01"}
             ],
             "costs": {
                "budgets": [{"year": "2021/22", "amount": "1000000.00"}],
                "formulas": [{"from": "2016-04-01", "formula": {"kind": "fixed_percentages", "shares": [
                    {"party": "force-a", "percent": "60"}, {"party": "force-b", "percent": "40"}]}}]
             }}
        ],
        "bodies": [
            {"id": "board", "name": "Joint board", "kind": "joint_committee", "governs": ["dogs"],
             "seats": [{"party": "pcc-a", "role": "chair", "votes": 1}, {"party": "pcc-b", "role": "member", "votes": 1}],
             "decision_rule": {"rule": "unanimity"}},
            {"id": "sub-board", "name": "Delivery board", "kind": "delivery_board", "reports_to": "board",
             "decision_rule": {"rule": "qualified_majority", "at_least": "2/3"}}
        ]
    })
}

fn push(list: &mut Value, item: Value) {
    list.as_array_mut().expect("a JSON array").push(item);
}

fn pop(list: &mut Value) {
    list.as_array_mut().expect("a JSON array").pop();
}

fn problems_of(doc: &Value) -> Vec<Problem> {
    match Registry::from_json_str(&doc.to_string()) {
        Ok(_) => Vec::new(),
        Err(LoadError::Invalid(problems)) => problems.0,
        Err(other) => panic!("expected validation problems, got {other}"),
    }
}

/// Applies `edit` to the base document and asserts that loading reports
/// exactly one problem, at `path`, whose message contains `message`.
fn assert_one_problem(edit: impl FnOnce(&mut Value), path: &str, message: &str) {
    let mut doc = base();
    edit(&mut doc);
    let problems = problems_of(&doc);
    assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
    assert_eq!(problems[0].path, path);
    assert!(
        problems[0].message.contains(message),
        "message {:?} should contain {message:?}",
        problems[0].message
    );
}

#[test]
fn the_base_document_is_valid() {
    assert_eq!(problems_of(&base()), Vec::new());
}

#[test]
fn unsupported_schema_version() {
    assert_one_problem(
        |d| d["schema_version"] = json!(2),
        "schema_version",
        "unsupported schema version 2: this crate reads version 1",
    );
}

#[test]
fn missing_schema_version() {
    assert_one_problem(
        |d| {
            d.as_object_mut().map(|o| o.remove("schema_version"));
        },
        "schema_version",
        "is required",
    );
}

#[test]
fn duplicate_party_id() {
    assert_one_problem(
        |d| {
            push(
                &mut d["parties"],
                json!({"id": "pcc-a", "name": "Again", "kind": "policing_body"}),
            );
        },
        "parties[4].id",
        "duplicate party id \"pcc-a\" (first at parties[2])",
    );
}

#[test]
fn duplicate_agreement_id() {
    let mut doc = base();
    doc["agreements"][1]["id"] = json!("umbrella");
    doc["agreements"][1]["part_of"] = Value::Null;
    doc["bodies"][0]["governs"] = json!(["umbrella"]);
    let problems = problems_of(&doc);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].path, "agreements[1].id");
    assert_eq!(
        problems[0].message,
        "duplicate agreement id \"umbrella\" (first at agreements[0])"
    );
}

#[test]
fn duplicate_body_id() {
    let mut doc = base();
    doc["bodies"][1]["id"] = json!("board");
    doc["bodies"][1]["reports_to"] = Value::Null;
    let problems = problems_of(&doc);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].path, "bodies[1].id");
    assert_eq!(
        problems[0].message,
        "duplicate body id \"board\" (first at bodies[0])"
    );
}

#[test]
fn invalid_id_slug() {
    assert_one_problem(
        |d| {
            push(
                &mut d["parties"],
                json!({"id": "PCC A", "name": "Bad", "kind": "policing_body"}),
            );
        },
        "parties[4].id",
        "invalid id \"PCC A\"",
    );
}

#[test]
fn unknown_member_party() {
    assert_one_problem(
        |d| d["agreements"][0]["members"][1]["party"] = json!("force-z"),
        "agreements[0].members[1].party",
        "unknown party \"force-z\"",
    );
}

#[test]
fn unknown_umbrella_agreement() {
    assert_one_problem(
        |d| d["agreements"][1]["part_of"] = json!("nowhere"),
        "agreements[1].part_of",
        "unknown agreement \"nowhere\"",
    );
}

#[test]
fn unknown_governed_agreement() {
    assert_one_problem(
        |d| d["bodies"][0]["governs"] = json!(["dogs", "cats"]),
        "bodies[0].governs[1]",
        "unknown agreement \"cats\"",
    );
}

#[test]
fn unknown_seat_party() {
    assert_one_problem(
        |d| d["bodies"][0]["seats"][1]["party"] = json!("pcc-z"),
        "bodies[0].seats[1].party",
        "unknown party \"pcc-z\"",
    );
}

#[test]
fn unknown_body_reported_to() {
    assert_one_problem(
        |d| d["bodies"][1]["reports_to"] = json!("cabinet"),
        "bodies[1].reports_to",
        "unknown governance body \"cabinet\"",
    );
}

#[test]
fn unknown_overseer() {
    assert_one_problem(
        |d| d["parties"][0]["overseen_by"][0]["by"] = json!("pcc-z"),
        "parties[0].overseen_by[0].by",
        "unknown party \"pcc-z\"",
    );
}

#[test]
fn asset_owner_that_is_neither_member_nor_its_policing_body() {
    let mut doc = base();
    push(
        &mut doc["parties"],
        json!({"id": "council", "name": "Council", "kind": "local_authority"}),
    );
    doc["agreements"][1]["responsibilities"] = json!({"asset_owner": "council"});
    let problems = problems_of(&doc);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(
        problems[0].path,
        "agreements[1].responsibilities.asset_owner"
    );
    assert_eq!(
        problems[0].message,
        "\"council\" is neither a member nor the policing body of a member"
    );
    // The commissioner of a member may own the assets.
    doc["agreements"][1]["responsibilities"] =
        json!({"asset_owner": "pcc-a", "employer": "force-a"});
    assert_eq!(problems_of(&doc), Vec::new());
}

#[test]
fn active_agreement_with_fewer_than_two_members() {
    assert_one_problem(
        |d| {
            pop(&mut d["agreements"][0]["members"]);
        },
        "agreements[0].status[0]",
        "an agreement that is active needs at least two members, but on 2015-04-01 it has 1",
    );
}

#[test]
fn a_terminated_agreement_cannot_come_back() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["status"] = json!([
                {"status": "active", "from": "2016-04-01"},
                {"status": "terminated", "from": "2020-04-01"},
                {"status": "active", "from": "2021-04-01"}
            ]);
        },
        "agreements[1].status[2].status",
        "an agreement cannot go from terminated to active (from terminated it may go to: nothing, it is final)",
    );
}

#[test]
fn nothing_goes_back_to_proposed() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["status"] = json!([
                {"status": "active", "from": "2016-04-01"},
                {"status": "proposed", "from": "2020-04-01"}
            ]);
        },
        "agreements[1].status[1].status",
        "an agreement cannot go from active to proposed (from active it may go to: under_review, suspended, terminated)",
    );
}

#[test]
fn a_proposed_agreement_may_have_one_member() {
    let mut doc = base();
    doc["agreements"][0]["status"] = json!([{"status": "proposed", "from": "2015-04-01"}]);
    pop(&mut doc["agreements"][0]["members"]);
    assert_eq!(problems_of(&doc), Vec::new());
}

#[test]
fn party_listed_twice_with_overlapping_periods() {
    assert_one_problem(
        |d| {
            push(
                &mut d["agreements"][0]["members"],
                json!({"party": "force-a", "role": "member", "joined": "2018-01-01"}),
            );
        },
        "agreements[0].members[2].party",
        "party \"force-a\" is listed twice with overlapping periods (see agreements[0].members[0])",
    );
}

#[test]
fn a_party_may_leave_and_rejoin() {
    let mut doc = base();
    doc["agreements"][0]["members"][0]["left"] = json!("2017-04-01");
    push(
        &mut doc["agreements"][0]["members"],
        json!({"party": "force-a", "role": "member", "joined": "2017-04-01"}),
    );
    assert_eq!(problems_of(&doc), Vec::new());
}

#[test]
fn left_before_joined() {
    assert_one_problem(
        |d| d["agreements"][0]["members"][1]["left"] = json!("2015-03-01"),
        "agreements[0].members[1].left",
        "left 2015-03-01 is not after joined 2015-04-01",
    );
}

#[test]
fn joined_before_the_agreement_starts() {
    assert_one_problem(
        |d| d["agreements"][0]["members"][1]["joined"] = json!("2014-04-01"),
        "agreements[0].members[1].joined",
        "joined 2014-04-01 is before the agreement starts on 2015-04-01",
    );
}

#[test]
fn notice_after_leaving() {
    assert_one_problem(
        |d| {
            d["agreements"][0]["members"][1]["left"] = json!("2019-04-01");
            d["agreements"][0]["members"][1]["notice_served"] = json!("2019-06-01");
            d["agreements"][0]["status"] = json!([{"status": "active", "from": "2015-04-01"}, {"status": "terminated", "from": "2019-04-01"}]);
        },
        "agreements[0].members[1].notice_served",
        "notice served 2019-06-01 is not before left 2019-04-01",
    );
}

#[test]
fn end_before_start() {
    assert_one_problem(
        |d| d["agreements"][0]["end"] = json!("2014-01-01"),
        "agreements[0].end",
        "end 2014-01-01 is not after start 2015-04-01",
    );
}

#[test]
fn fixed_percentages_that_do_not_add_up_to_100() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"]["shares"][1]["percent"] =
                json!("39.99")
        },
        "agreements[1].costs.formulas[0].formula.shares",
        "fixed percentages add up to 99.99, not exactly 100",
    );
}

#[test]
fn member_of_a_year_without_a_fixed_share() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"]["shares"] =
                json!([{"party": "force-a", "percent": "100"}]);
        },
        "agreements[1].costs.formulas[0].formula.shares",
        "member \"force-b\" takes part in 2021/22 but has no fixed share",
    );
}

#[test]
fn formula_needs_a_metric_a_member_lacks() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"] =
                json!({"kind": "metric", "metric": "officers"});
            d["parties"][1]["metrics"] = json!([]);
            d["parties"][0]["metrics"] =
                json!([{"metric": "officers", "year": "2021/22", "value": "1200"}]);
        },
        "agreements[1].costs.formulas[0].formula.metric",
        "the formula needs metric \"officers\" for 2021/22, but member \"force-b\" has none",
    );
}

#[test]
fn blend_weights_that_do_not_add_up() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"] = json!({"kind": "blend", "parts": [
                {"weight": "50", "formula": {"kind": "equal"}},
                {"weight": "40", "formula": {"kind": "metric", "metric": "population"}}]});
        },
        "agreements[1].costs.formulas[0].formula.parts",
        "blend weights add up to 90, not exactly 100",
    );
}

#[test]
fn malformed_date() {
    assert_one_problem(
        |d| d["agreements"][0]["members"][1]["joined"] = json!("2015-02-30"),
        "agreements[0].members[1].joined",
        "invalid date \"2015-02-30\": expected an ISO 8601 date such as \"2021-04-01\"",
    );
}

#[test]
fn malformed_financial_year() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["year"] = json!("2021/23"),
        "agreements[1].costs.budgets[0].year",
        "invalid date \"2021/23\": expected a financial year such as \"2021/22\"",
    );
}

#[test]
fn malformed_amount() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["amount"] = json!("1,000,000"),
        "agreements[1].costs.budgets[0].amount",
        "invalid amount \"1,000,000\"",
    );
}

#[test]
fn amount_with_too_many_decimal_places() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["amount"] = json!("10.001"),
        "agreements[1].costs.budgets[0].amount",
        "has more decimal places than allowed",
    );
}

#[test]
fn amount_given_as_a_json_number() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["amount"] = json!(1000000.5),
        "agreements[1].costs.budgets[0].amount",
        "expected a string, found a number",
    );
}

#[test]
fn malformed_percentage() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"]["shares"][0]["percent"] =
                json!("sixty")
        },
        "agreements[1].costs.formulas[0].formula.shares[0].percent",
        "invalid amount \"sixty\"",
    );
}

#[test]
fn negative_budget() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["amount"] = json!("-5.00"),
        "agreements[1].costs.budgets[0].amount",
        "budget -5.00 is negative",
    );
}

#[test]
fn cycle_in_part_of() {
    assert_one_problem(
        |d| d["agreements"][0]["part_of"] = json!("dogs"),
        "agreements[0].part_of",
        "part_of makes a cycle: umbrella -> dogs -> umbrella",
    );
}

#[test]
fn cycle_in_reports_to() {
    assert_one_problem(
        |d| d["bodies"][0]["reports_to"] = json!("sub-board"),
        "bodies[0].reports_to",
        "reports_to makes a cycle: board -> sub-board -> board",
    );
}

#[test]
fn unknown_keyword() {
    assert_one_problem(
        |d| d["agreements"][1]["functions"] = json!(["dogs", "catering"]),
        "agreements[1].functions[1]",
        "unknown function \"catering\"; expected one of:",
    );
}

#[test]
fn bad_decision_rule_fraction() {
    assert_one_problem(
        |d| d["bodies"][1]["decision_rule"]["at_least"] = json!("3/2"),
        "bodies[1].decision_rule.at_least",
        "invalid fraction \"3/2\"",
    );
}

#[test]
fn withheld_without_a_reason() {
    assert_one_problem(
        |d| d["agreements"][1]["publication"] = json!({"level": "withheld"}),
        "agreements[1].publication.reason",
        "a withheld agreement needs a stated reason",
    );
}

#[test]
fn wrong_json_type() {
    assert_one_problem(
        |d| d["agreements"][0]["members"] = json!({"party": "force-a"}),
        "agreements[0].members",
        "expected an array, found an object",
    );
}

#[test]
fn missing_required_field() {
    assert_one_problem(
        |d| {
            d["parties"][2].as_object_mut().map(|p| p.remove("name"));
        },
        "parties[2].name",
        "is required",
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let mut doc = base();
    doc["schema_version"] = json!(7);
    doc["parties"][0]["kind"] = json!("police");
    doc["agreements"][0]["members"][0]["joined"] = json!("yesterday");
    doc["agreements"][1]["costs"]["budgets"][0]["amount"] = json!("-1.00");
    doc["bodies"][0]["seats"][0]["party"] = json!("nobody");
    let paths: Vec<String> = problems_of(&doc).into_iter().map(|p| p.path).collect();
    for expected in [
        "schema_version",
        "parties[0].kind",
        "agreements[0].members[0].joined",
        "agreements[1].costs.budgets[0].amount",
        "bodies[0].seats[0].party",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} missing from {paths:#?}"
        );
    }
}

#[test]
fn syntax_errors_give_line_and_column() {
    let err = Registry::from_json_str("{\n  \"schema_version\": 1,\n  \"parties\": [,]\n}");
    match err {
        Err(LoadError::Json { line, column, .. }) => assert_eq!((line, column), (3, 15)),
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn hostile_inputs_are_refused_without_panicking() {
    for text in [
        "",
        "null",
        "[]",
        "42",
        "\"x\"",
        "{\"schema_version\": 1, \"parties\": [null, 1, \"x\"]}",
        "{\"schema_version\": 1, \"agreements\": [{\"costs\": {\"formulas\": [{\"formula\": {\"kind\": \"blend\", \"parts\": [{}]}}]}}]}",
        "{\"schema_version\": 18446744073709551616}",
    ] {
        assert!(
            Registry::from_json_str(text).is_err(),
            "{text:?} should be refused"
        );
    }
}
