//! Every validation rule of the file format, each checked for the path, the
//! code and the message it reports, and a document with many faults
//! reporting them all.

use chrono::NaiveDate;
use collab_registry::model::{
    Agreement, AgreementId, Asset, AssetShare, BlendPart, Budget, CostArrangement, Currency,
    DatedFormula, ExitCosts, Extra, FinancialYear, Formula, Grant, LeavingRules, MAX_FORMULA_DEPTH,
    MemberCharge, Membership, Money, Party, PartyId, PartyKind, Percent, Role, Unknown,
};
use collab_registry::{Error, ErrorKind, Problem, ProblemCode, Registry};
use serde_json::{Value, json};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

/// A small valid registry: two forces with their commissioners, one
/// umbrella agreement between the forces, one agreement under it with
/// costs, and two boards.
fn base() -> Value {
    json!({
        "schema_version": 2,
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
    if let Some(items) = list.as_array_mut() {
        items.push(item);
    }
}

fn pop(list: &mut Value) {
    if let Some(items) = list.as_array_mut() {
        items.pop();
    }
}

fn remove(object: &mut Value, key: &str) {
    if let Some(fields) = object.as_object_mut() {
        fields.remove(key);
    }
}

/// The problems loading `doc` reports, none when it loads; any error other
/// than a broken rule fails the test.
fn problems_of(doc: &Value) -> Vec<Problem> {
    problems_of_text(&doc.to_string())
}

/// The problems loading `text` reports, as [`problems_of`].
fn problems_of_text(text: &str) -> Vec<Problem> {
    match Registry::from_json_str(text) {
        Ok(_) => Vec::new(),
        Err(e) => {
            assert_eq!(
                e.kind(),
                ErrorKind::Invalid,
                "expected broken rules, got {e}"
            );
            e.problems().to_vec()
        }
    }
}

/// The problems of a record or change the rules refuse; anything else
/// fails the test.
fn broken_rules<T: std::fmt::Debug>(result: Result<T, Error>) -> Vec<Problem> {
    let err = result.expect_err("the rules should refuse it");
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    err.problems().to_vec()
}

/// Checks that `problems` is exactly one problem, at `path`, with `code`,
/// whose message contains `message`.
fn assert_only(problems: &[Problem], path: &str, code: ProblemCode, message: &str) {
    assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
    let p = &problems[0];
    assert_eq!(p.path(), path, "{p:?}");
    assert_eq!(p.code(), code, "{p:?}");
    assert!(
        p.message().contains(message),
        "message {:?} should contain {message:?}",
        p.message()
    );
}

/// Applies `edit` to the base document and checks that loading reports
/// exactly one problem, at `path`, with `code`, whose message contains
/// `message`.
fn assert_one_problem(edit: impl FnOnce(&mut Value), path: &str, code: ProblemCode, message: &str) {
    let mut doc = base();
    edit(&mut doc);
    assert_only(&problems_of(&doc), path, code, message);
}

/// Applies `edit` to the base document and checks that it still loads.
fn assert_valid(edit: impl FnOnce(&mut Value)) {
    let mut doc = base();
    edit(&mut doc);
    assert_eq!(problems_of(&doc), Vec::new());
}

#[test]
fn the_base_document_is_valid() {
    assert_eq!(problems_of(&base()), Vec::new());
}

// ---- the document ----

#[test]
fn unsupported_schema_version() {
    assert_one_problem(
        |d| d["schema_version"] = json!(7),
        "schema_version",
        ProblemCode::SchemaVersion,
        "unsupported schema version 7: this crate reads versions 1 and 2",
    );
}

#[test]
fn missing_schema_version() {
    assert_one_problem(
        |d| remove(d, "schema_version"),
        "schema_version",
        ProblemCode::SchemaVersion,
        "is required",
    );
}

#[test]
fn wrong_json_type() {
    assert_one_problem(
        |d| d["agreements"][0]["members"] = json!({"party": "force-a"}),
        "agreements[0].members",
        ProblemCode::WrongType,
        "expected an array, found an object",
    );
}

#[test]
fn missing_required_field() {
    assert_one_problem(
        |d| remove(&mut d["parties"][2], "name"),
        "parties[2].name",
        ProblemCode::Required,
        "is required",
    );
}

#[test]
fn a_whole_number_too_big_for_its_field() {
    // A 30-digit number is read exactly, so it is refused as out of range
    // rather than rounded to a float that happens to fit.
    let mut doc = base();
    doc["agreements"][1]["leaving"] = json!({"notice_months": "BIG"});
    let text = doc
        .to_string()
        .replace("\"BIG\"", "123456789012345678901234567890");
    assert_only(
        &problems_of_text(&text),
        "agreements[1].leaving.notice_months",
        ProblemCode::OutOfRange,
        "expected a whole number from 0 to 4294967295, found 123456789012345678901234567890",
    );
    assert_one_problem(
        |d| d["bodies"][0]["seats"][0]["votes"] = json!(-1),
        "bodies[0].seats[0].votes",
        ProblemCode::OutOfRange,
        "found -1",
    );
}

// ---- ids and references ----

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
        ProblemCode::DuplicateId,
        "duplicate party id \"pcc-a\" (first at parties[2])",
    );
}

#[test]
fn duplicate_agreement_id() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["id"] = json!("umbrella");
            remove(&mut d["agreements"][1], "part_of");
            d["bodies"][0]["governs"] = json!(["umbrella"]);
        },
        "agreements[1].id",
        ProblemCode::DuplicateId,
        "duplicate agreement id \"umbrella\" (first at agreements[0])",
    );
}

#[test]
fn duplicate_body_id() {
    assert_one_problem(
        |d| {
            d["bodies"][1]["id"] = json!("board");
            remove(&mut d["bodies"][1], "reports_to");
        },
        "bodies[1].id",
        ProblemCode::DuplicateId,
        "duplicate body id \"board\" (first at bodies[0])",
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
        ProblemCode::InvalidId,
        "invalid id \"PCC A\"",
    );
}

#[test]
fn unknown_member_party() {
    assert_one_problem(
        |d| d["agreements"][0]["members"][1]["party"] = json!("force-z"),
        "agreements[0].members[1].party",
        ProblemCode::UnknownReference,
        "unknown party \"force-z\"",
    );
}

#[test]
fn unknown_umbrella_agreement() {
    assert_one_problem(
        |d| d["agreements"][1]["part_of"] = json!("nowhere"),
        "agreements[1].part_of",
        ProblemCode::UnknownReference,
        "unknown agreement \"nowhere\"",
    );
}

#[test]
fn unknown_governed_agreement() {
    assert_one_problem(
        |d| d["bodies"][0]["governs"] = json!(["dogs", "cats"]),
        "bodies[0].governs[1]",
        ProblemCode::UnknownReference,
        "unknown agreement \"cats\"",
    );
    // Written as an object, the path names its field.
    assert_one_problem(
        |d| {
            d["bodies"][0]["governs"] =
                json!(["dogs", {"agreement": "cats", "from": "2020-04-01"}]);
        },
        "bodies[0].governs[1].agreement",
        ProblemCode::UnknownReference,
        "unknown agreement \"cats\"",
    );
}

#[test]
fn unknown_seat_party() {
    assert_one_problem(
        |d| d["bodies"][0]["seats"][1]["party"] = json!("pcc-z"),
        "bodies[0].seats[1].party",
        ProblemCode::UnknownReference,
        "unknown party \"pcc-z\"",
    );
}

#[test]
fn unknown_body_reported_to() {
    assert_one_problem(
        |d| d["bodies"][1]["reports_to"] = json!("cabinet"),
        "bodies[1].reports_to",
        ProblemCode::UnknownReference,
        "unknown governance body \"cabinet\"",
    );
    assert_one_problem(
        |d| d["bodies"][1]["reports_to"] = json!([{"body": "cabinet", "from": "2020-04-01"}]),
        "bodies[1].reports_to[0].body",
        ProblemCode::UnknownReference,
        "unknown governance body \"cabinet\"",
    );
}

#[test]
fn unknown_overseer() {
    assert_one_problem(
        |d| d["parties"][0]["overseen_by"][0]["by"] = json!("pcc-z"),
        "parties[0].overseen_by[0].by",
        ProblemCode::UnknownReference,
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
    assert_only(
        &problems_of(&doc),
        "agreements[1].responsibilities.asset_owner",
        ProblemCode::NotAMember,
        "\"council\" is neither a member nor the policing body of a member",
    );
    // The commissioner of a member may own the assets.
    doc["agreements"][1]["responsibilities"] =
        json!({"asset_owner": "pcc-a", "employer": "force-a"});
    assert_eq!(problems_of(&doc), Vec::new());
}

#[test]
fn cycle_in_part_of() {
    assert_one_problem(
        |d| d["agreements"][0]["part_of"] = json!("dogs"),
        "agreements[0].part_of",
        ProblemCode::Cycle,
        "part_of makes a cycle: umbrella -> dogs -> umbrella",
    );
    assert_one_problem(
        |d| d["agreements"][0]["part_of"] = json!("umbrella"),
        "agreements[0].part_of",
        ProblemCode::Cycle,
        "an agreement cannot be part of itself",
    );
}

#[test]
fn cycle_in_reports_to() {
    assert_one_problem(
        |d| d["bodies"][0]["reports_to"] = json!("sub-board"),
        "bodies[0].reports_to",
        ProblemCode::Cycle,
        "reports_to makes a cycle: board -> sub-board -> board",
    );
    assert_one_problem(
        |d| d["bodies"][0]["reports_to"] = json!("board"),
        "bodies[0].reports_to",
        ProblemCode::Cycle,
        "a body cannot report to itself",
    );
    assert_one_problem(
        |d| d["bodies"][0]["reports_to"] = json!([{"body": "board", "from": "2019-04-01"}]),
        "bodies[0].reports_to[0].body",
        ProblemCode::Cycle,
        "a body cannot report to itself",
    );
    // A cycle through dated lines is a cycle too: the lines may hold at once.
    assert_one_problem(
        |d| {
            d["bodies"][0]["reports_to"] = json!([{"body": "sub-board", "from": "2019-04-01"}]);
            d["bodies"][1]["reports_to"] = json!([{"body": "board", "until": "2030-04-01"}]);
        },
        "bodies[0].reports_to",
        ProblemCode::Cycle,
        "reports_to makes a cycle: board -> sub-board -> board",
    );
}

// ---- agreements: status and membership ----

#[test]
fn active_agreement_with_fewer_than_two_members() {
    assert_one_problem(
        |d| pop(&mut d["agreements"][0]["members"]),
        "agreements[0].status[0]",
        ProblemCode::TooFewMembers,
        "an agreement that is active needs at least two members taking part, but on 2015-04-01 it has 1",
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
        ProblemCode::Lifecycle,
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
        ProblemCode::Lifecycle,
        "an agreement cannot go from active to proposed (from active it may go to: under_review, suspended, terminated)",
    );
}

#[test]
fn status_changes_out_of_date_order() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["status"] = json!([
                {"status": "active", "from": "2016-04-01"},
                {"status": "suspended", "from": "2015-04-01"}
            ]);
        },
        "agreements[1].status[1].from",
        ProblemCode::DateOrder,
        "status changes must be in date order",
    );
}

#[test]
fn a_proposed_agreement_may_have_one_member() {
    assert_valid(|d| {
        d["agreements"][0]["status"] = json!([{"status": "proposed", "from": "2015-04-01"}]);
        pop(&mut d["agreements"][0]["members"]);
    });
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
        ProblemCode::OverlappingMembership,
        "party \"force-a\" is listed twice with overlapping periods (see agreements[0].members[0])",
    );
}

#[test]
fn a_party_may_leave_and_rejoin() {
    assert_valid(|d| {
        d["agreements"][0]["members"][0]["left"] = json!("2017-04-01");
        push(
            &mut d["agreements"][0]["members"],
            json!({"party": "force-a", "role": "member", "joined": "2017-04-01"}),
        );
    });
}

#[test]
fn left_before_joined() {
    assert_one_problem(
        |d| d["agreements"][0]["members"][1]["left"] = json!("2015-03-01"),
        "agreements[0].members[1].left",
        ProblemCode::DateOrder,
        "left 2015-03-01 is not after joined 2015-04-01",
    );
}

#[test]
fn dates_known_only_to_a_month_or_a_year() {
    // New in version 2: a member known to have joined in 2015 cannot have
    // left in 2014 ...
    let third =
        |left: &str| json!({"party": "pcc-a", "role": "associate", "joined": "2015", "left": left});
    assert_one_problem(
        |d| push(&mut d["agreements"][0]["members"], third("2014")),
        "agreements[0].members[2].left",
        ProblemCode::DateOrder,
        "left 2014 is not after joined 2015",
    );
    assert_one_problem(
        |d| push(&mut d["agreements"][0]["members"], third("2014-12")),
        "agreements[0].members[2].left",
        ProblemCode::DateOrder,
        "left 2014-12 is not after joined 2015",
    );
    // ... but may have left in 2015, or in a month of it.
    assert_valid(|d| push(&mut d["agreements"][0]["members"], third("2015")));
    assert_valid(|d| push(&mut d["agreements"][0]["members"], third("2015-10")));
    // A start known to a month: a member may join in that month.
    assert_valid(|d| {
        d["agreements"][0]["start"] = json!("2015-04");
        d["agreements"][0]["status"][0]["from"] = json!("2015-04");
        d["agreements"][0]["members"][1]["joined"] = json!("2015-04");
    });
    assert_one_problem(
        |d| {
            d["agreements"][0]["start"] = json!("2015-04");
            d["agreements"][0]["members"][1]["joined"] = json!("2015-03");
        },
        "agreements[0].members[1].joined",
        ProblemCode::DateOrder,
        "joined 2015-03 is before the agreement starts on 2015-04",
    );
}

#[test]
fn joined_before_the_agreement_starts() {
    assert_one_problem(
        |d| d["agreements"][0]["members"][1]["joined"] = json!("2014-04-01"),
        "agreements[0].members[1].joined",
        ProblemCode::DateOrder,
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
        ProblemCode::DateOrder,
        "notice served 2019-06-01 is not before left 2019-04-01",
    );
}

#[test]
fn end_before_start() {
    assert_one_problem(
        |d| d["agreements"][0]["end"] = json!("2014-01-01"),
        "agreements[0].end",
        ProblemCode::DateOrder,
        "end 2014-01-01 is not after start 2015-04-01",
    );
    assert_one_problem(
        |d| {
            d["agreements"][0]["end"] = json!("2018-04-01");
            d["agreements"][0]["members"][1]["joined"] = json!("2018-04-01");
        },
        "agreements[0].members[1].joined",
        ProblemCode::DateOrder,
        "joined 2018-04-01 is not before the agreement ends on 2018-04-01",
    );
}

// ---- agreements: terms ----

#[test]
fn legal_bases() {
    // New in version 2: a list of bases, and "not_stated" as a value of its own.
    assert_valid(|d| {
        d["agreements"][1]["legal_basis"] =
            json!(["section_22a_police_act_1996", "section_23_police_act_1996"]);
    });
    assert_valid(|d| d["agreements"][1]["legal_basis"] = json!("not_stated"));
    assert_one_problem(
        |d| d["agreements"][1]["legal_basis"] = json!(["not_stated", "contract"]),
        "agreements[1].legal_basis",
        ProblemCode::UnknownKeyword,
        "\"not_stated\" cannot stand beside a stated basis",
    );
    assert_one_problem(
        |d| d["agreements"][1]["legal_basis"] = json!(["contract", "contract"]),
        "agreements[1].legal_basis[1]",
        ProblemCode::Duplicate,
        "contract is named twice",
    );
    assert_one_problem(
        |d| d["agreements"][1]["legal_basis"] = json!([]),
        "agreements[1].legal_basis",
        ProblemCode::Required,
        "needs at least one basis",
    );
}

#[test]
fn unknown_keyword() {
    assert_one_problem(
        |d| d["agreements"][1]["functions"] = json!(["dogs", "catering"]),
        "agreements[1].functions[1]",
        ProblemCode::UnknownKeyword,
        "unknown function \"catering\"; expected one of:",
    );
}

#[test]
fn withheld_without_a_reason() {
    assert_one_problem(
        |d| d["agreements"][1]["publication"] = json!({"level": "withheld"}),
        "agreements[1].publication.reason",
        ProblemCode::Publication,
        "a withheld agreement needs a stated reason",
    );
    assert_one_problem(
        |d| d["agreements"][1]["publication"] = json!({"level": "withheld", "reason": "  "}),
        "agreements[1].publication.reason",
        ProblemCode::Publication,
        "a withheld agreement needs a stated reason",
    );
    assert_valid(|d| {
        d["agreements"][1]["publication"] =
            json!({"level": "withheld", "reason": "section 24 national security"});
    });
}

#[test]
fn empty_texts() {
    assert_one_problem(
        |d| d["agreements"][0]["title"] = json!(""),
        "agreements[0].title",
        ProblemCode::Empty,
        "may not be empty",
    );
    assert_one_problem(
        |d| d["parties"][3]["name"] = json!("   "),
        "parties[3].name",
        ProblemCode::Empty,
        "may not be empty",
    );
    assert_one_problem(
        |d| {
            d["agreements"][1]["amendments"] = json!([{"date": "2018-04-01", "summary": "",
                "changes": [{"field": "title", "before": "Dog unit", "after": "Shared dog unit"}]}]);
        },
        "agreements[1].amendments[0].summary",
        ProblemCode::Empty,
        "may not be empty",
    );
}

#[test]
fn months_of_notice_and_review_cadence_are_bounded() {
    // New in version 2: at most 1200 months (a hundred years), and a
    // cadence of at least one month.
    assert_valid(|d| {
        d["agreements"][1]["leaving"] = json!({"notice_months": 1200});
        d["agreements"][1]["review"] = json!({"cadence_months": 1200});
    });
    assert_one_problem(
        |d| d["agreements"][1]["leaving"] = json!({"notice_months": 1201}),
        "agreements[1].leaving.notice_months",
        ProblemCode::OutOfRange,
        "1201 is outside 0 to 1200 months",
    );
    assert_one_problem(
        |d| d["agreements"][1]["review"] = json!({"cadence_months": 1201}),
        "agreements[1].review.cadence_months",
        ProblemCode::OutOfRange,
        "1201 is outside 1 to 1200 months",
    );
    assert_one_problem(
        |d| d["agreements"][1]["review"] = json!({"cadence_months": 0}),
        "agreements[1].review.cadence_months",
        ProblemCode::OutOfRange,
        "0 is outside 1 to 1200 months",
    );
}

#[test]
fn the_part_year_rule_belongs_to_the_costs() {
    // Changed on purpose: version 1 put the part-year rule under
    // `leaving`; version 2 keeps it with the costs it governs.
    assert_valid(|d| d["agreements"][1]["costs"]["part_year"] = json!("whole_year"));
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["part_year"] = json!("by_weeks"),
        "agreements[1].costs.part_year",
        ProblemCode::UnknownKeyword,
        "unknown part-year rule \"by_weeks\"",
    );
    // A version 1 file is read with the rule where version 2 keeps it.
    let mut doc = base();
    doc["schema_version"] = json!(1);
    doc["agreements"][1]["leaving"] = json!({"notice_months": 12, "part_year": "whole_year"});
    let registry = Registry::from_json_str(&doc.to_string()).expect("version 1 loads");
    let terms = registry.agreement("dogs").expect("dogs").terms();
    assert_eq!(terms.costs().part_year.as_str(), "whole_year");
    assert_eq!(terms.leaving().notice_months, Some(12));
    assert!(terms.leaving().extra.is_empty());
    // In version 1 too, the rule is checked.
    doc["agreements"][1]["leaving"] = json!({"part_year": "by_weeks"});
    assert_only(
        &problems_of(&doc),
        "agreements[1].leaving.part_year",
        ProblemCode::UnknownKeyword,
        "unknown part-year rule \"by_weeks\"",
    );
}

// ---- costs ----

#[test]
fn fixed_percentages_that_do_not_add_up_to_100() {
    let percent = |d: &mut Value, p: &str| {
        d["agreements"][1]["costs"]["formulas"][0]["formula"]["shares"][1]["percent"] = json!(p);
    };
    assert_one_problem(
        |d| percent(d, "39.99"),
        "agreements[1].costs.formulas[0].formula.shares",
        ProblemCode::SharesTotal,
        "fixed percentages add up to 99.99, not exactly 100",
    );
    assert_one_problem(
        |d| percent(d, "40.01"),
        "agreements[1].costs.formulas[0].formula.shares",
        ProblemCode::SharesTotal,
        "fixed percentages add up to 100.01, not exactly 100",
    );
    assert_valid(|d| percent(d, "40.0000"));
}

#[test]
fn member_of_a_year_without_a_fixed_share() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"]["shares"] =
                json!([{"party": "force-a", "percent": "100"}]);
        },
        "agreements[1].costs.formulas[0].formula.shares",
        ProblemCode::MissingShare,
        "member \"force-b\" (members[1]) takes part in 2021/22 but has no fixed share in the formula in force from 2016-04-01",
    );
}

#[test]
fn a_share_for_a_party_that_is_not_a_member() {
    assert_one_problem(
        |d| {
            push(
                &mut d["agreements"][1]["costs"]["formulas"][0]["formula"]["shares"],
                json!({"party": "pcc-a", "percent": "0"}),
            );
        },
        "agreements[1].costs.formulas[0].formula.shares[2].party",
        ProblemCode::NotAMember,
        "\"pcc-a\" has a share but is not a member of dogs",
    );
}

#[test]
fn a_formula_in_force_on_every_day_a_member_shares_a_budgeted_year() {
    // Changed on purpose: version 1 needed the formula in force on the
    // first day of each budgeted year. Now a formula may take effect
    // part-way through a year when another covers the days before it ...
    assert_valid(|d| {
        push(
            &mut d["agreements"][1]["costs"]["formulas"],
            json!({"from": "2021-10-01", "formula": {"kind": "fixed_percentages", "shares": [
                {"party": "force-a", "percent": "50"}, {"party": "force-b", "percent": "50"}]}}),
        );
    });
    // ... and with none covering those days the load refuses.
    let mut doc = base();
    doc["agreements"][1]["costs"]["formulas"][0]["from"] = json!("2021-10-01");
    let problems = problems_of(&doc);
    assert_eq!(problems.len(), 2, "one for each member: {problems:#?}");
    for (p, member) in problems.iter().zip(["force-a", "force-b"]) {
        assert_eq!(p.path(), "agreements[1].costs.formulas");
        assert_eq!(p.code(), ProblemCode::MissingShare);
        assert!(
            p.message().contains(&format!(
                "member \"{member}\" shares the 2021/22 budget from 2021-04-01, but no sharing formula is in force that day"
            )),
            "{p:?}"
        );
    }
    // A member that joins after the formula took effect needs nothing before.
    assert_valid(|d| {
        d["agreements"][1]["costs"]["formulas"][0]["from"] = json!("2021-10-01");
        d["agreements"][1]["start"] = json!("2021-10-01");
        d["agreements"][1]["status"][0]["from"] = json!("2021-10-01");
        d["agreements"][1]["members"][0]["joined"] = json!("2021-10-01");
        d["agreements"][1]["members"][1]["joined"] = json!("2021-10-01");
    });
}

#[test]
fn formula_needs_a_metric_a_member_lacks() {
    // Reported now at the member that lacks it, with the formula's day.
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"] =
                json!({"kind": "metric", "metric": "officers"});
            d["parties"][1]["metrics"] = json!([]);
            d["parties"][0]["metrics"] =
                json!([{"metric": "officers", "year": "2021/22", "value": "1200"}]);
        },
        "agreements[1].members[1].party",
        ProblemCode::MissingMetric,
        "the formula in force from 2016-04-01 needs metric \"officers\" for 2021/22, but member \"force-b\" has none",
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
        ProblemCode::SharesTotal,
        "blend weights add up to 90, not exactly 100",
    );
}

/// A blend nested `levels` deep, with equal shares at the bottom.
fn nested_blend(levels: usize) -> Value {
    let mut formula = json!({"kind": "equal"});
    for _ in 0..levels {
        formula = json!({"kind": "blend", "parts": [{"weight": "100", "formula": formula}]});
    }
    formula
}

#[test]
fn blends_nested_too_deep() {
    // New in version 2: a bound on the work of reading and checking one.
    assert_valid(|d| {
        d["agreements"][1]["costs"]["formulas"][0]["formula"] = nested_blend(MAX_FORMULA_DEPTH);
    });
    let mut path = String::from("agreements[1].costs.formulas[0].formula");
    for _ in 0..=MAX_FORMULA_DEPTH {
        path.push_str(".parts[0].formula");
    }
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"] =
                nested_blend(MAX_FORMULA_DEPTH + 1);
        },
        &path,
        ProblemCode::TooLarge,
        "blends may nest at most 8 deep",
    );
    // Built through the API, the same bound holds.
    let mut formula = Formula::equal();
    for _ in 0..=MAX_FORMULA_DEPTH {
        formula = Formula::blend(vec![BlendPart::new(Percent::HUNDRED, formula)]);
    }
    let problems = broken_rules(
        dogs_with(|c| c.formulas = vec![DatedFormula::new(day(2021, 4, 1), formula)]).build(),
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].code(), ProblemCode::TooLarge);
}

#[test]
fn malformed_date() {
    assert_one_problem(
        |d| d["agreements"][0]["members"][1]["joined"] = json!("2015-02-30"),
        "agreements[0].members[1].joined",
        ProblemCode::InvalidDate,
        "invalid date \"2015-02-30\": expected an ISO 8601 date such as \"2021-04-01\"",
    );
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["formulas"][0]["from"] = json!("2016-04"),
        "agreements[1].costs.formulas[0].from",
        ProblemCode::InvalidDate,
        "invalid date \"2016-04\": expected an ISO 8601 date such as \"2021-04-01\"",
    );
}

#[test]
fn dates_need_a_four_digit_year() {
    // New in version 2: what a file cannot write back is refused.
    for text in ["10000-01-01", "-001-01-01", "+2015-04-01", "10000"] {
        assert_one_problem(
            |d| d["agreements"][0]["members"][1]["joined"] = json!(text),
            "agreements[0].members[1].joined",
            ProblemCode::InvalidDate,
            &format!("invalid date {text:?}"),
        );
    }
    // Through the API a date in year 10000 or before year 0 can be made,
    // and the builder refuses it.
    for start in [day(10000, 1, 1), day(-1, 12, 31)] {
        let problems = broken_rules(
            Agreement::builder(ids::agreement("far"), "Far off", start)
                .active_from(start)
                .member(Membership::new(ids::party("force-a"), Role::Member, start))
                .member(Membership::new(ids::party("force-b"), Role::Member, start))
                .build(),
        );
        let at_start: Vec<&Problem> = problems
            .iter()
            .filter(|p| p.path() == "agreement.start")
            .collect();
        assert_eq!(at_start.len(), 1, "{problems:#?}");
        assert_eq!(at_start[0].code(), ProblemCode::InvalidDate);
        assert!(
            at_start[0].message().contains("outside years 0000 to 9999"),
            "{:?}",
            at_start[0]
        );
    }
}

#[test]
fn malformed_financial_year() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["year"] = json!("2021/23"),
        "agreements[1].costs.budgets[0].year",
        ProblemCode::InvalidFinancialYear,
        "invalid financial year \"2021/23\": expected a financial year such as \"2021/22\"",
    );
}

#[test]
fn malformed_amount() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["amount"] = json!("1,000,000"),
        "agreements[1].costs.budgets[0].amount",
        ProblemCode::InvalidAmount,
        "invalid amount \"1,000,000\"",
    );
}

#[test]
fn amount_with_too_many_decimal_places() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["amount"] = json!("10.001"),
        "agreements[1].costs.budgets[0].amount",
        ProblemCode::InvalidAmount,
        "has more decimal places than allowed",
    );
}

#[test]
fn amount_given_as_a_json_number() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["amount"] = json!(1_000_000.5),
        "agreements[1].costs.budgets[0].amount",
        ProblemCode::WrongType,
        "expected a string, found a number",
    );
}

#[test]
fn malformed_percentage() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["costs"]["formulas"][0]["formula"]["shares"][0]["percent"] =
                json!("sixty");
        },
        "agreements[1].costs.formulas[0].formula.shares[0].percent",
        ProblemCode::InvalidAmount,
        "invalid amount \"sixty\"",
    );
}

#[test]
fn negative_budget() {
    assert_one_problem(
        |d| d["agreements"][1]["costs"]["budgets"][0]["amount"] = json!("-5.00"),
        "agreements[1].costs.budgets[0].amount",
        ProblemCode::Negative,
        "-5.00 is negative",
    );
}

#[test]
fn an_amount_in_another_currency() {
    // Only reachable through the API: a file names its currency once.
    let mut registry = Registry::from_json_str(&base().to_string()).expect("the base loads");
    let year: FinancialYear = "2021/22".parse().expect("a financial year");
    let euros = Money::parse("1000.00", Currency::new("EUR").expect("a currency"));
    let agreement = dogs_with(|c| {
        c.set_budget(Budget::new(year, euros.expect("an amount")));
        c.formulas = vec![DatedFormula::new(day(2021, 4, 1), Formula::equal())];
    })
    .build()
    .expect("on its own the agreement keeps every rule");
    let problems = broken_rules(registry.add_agreement(agreement));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].code(), ProblemCode::Currency);
    assert!(
        problems[0].path().ends_with("costs.budgets[0].amount"),
        "{:?}",
        problems[0]
    );
    assert!(
        problems[0]
            .message()
            .contains("is in EUR, but the registry keeps GBP"),
        "{:?}",
        problems[0]
    );
    assert!(registry.agreement("dogs-2").is_err(), "nothing changed");
}

// ---- governance ----

#[test]
fn bad_decision_rule_fraction() {
    assert_one_problem(
        |d| d["bodies"][1]["decision_rule"]["at_least"] = json!("3/2"),
        "bodies[1].decision_rule.at_least",
        ProblemCode::InvalidAmount,
        "invalid fraction \"3/2\"",
    );
}

#[test]
fn dated_seats_and_links() {
    // New in version 2: seats, governs and reports_to may carry spells,
    // and governs may still be plain ids.
    assert_valid(|d| {
        d["bodies"][0]["seats"] = json!([
            {"party": "pcc-a", "role": "chair", "votes": 1, "until": "2021-05-13"},
            {"party": "pcc-b", "role": "chair", "votes": 1, "from": "2021-05-13",
             "recorded": {"from": "2021-06-01"}},
            {"party": "pcc-a", "role": "member", "votes": 1, "from": "2021-05-13"}
        ]);
        d["bodies"][0]["governs"] =
            json!(["umbrella", {"agreement": "dogs", "from": "2016-04-01"}]);
        d["bodies"][1]["reports_to"] =
            json!([{"body": "board", "from": "2017-01-01", "until": "2020-01-01"}]);
    });
    assert_one_problem(
        |d| {
            d["bodies"][0]["seats"][0]["from"] = json!("2020-01-01");
            d["bodies"][0]["seats"][0]["until"] = json!("2020-01-01");
        },
        "bodies[0].seats[0].until",
        ProblemCode::DateOrder,
        "until 2020-01-01 is not after from 2020-01-01",
    );
    assert_one_problem(
        |d| {
            d["bodies"][0]["governs"] =
                json!([{"agreement": "dogs", "from": "2020-01-01", "until": "2019-01-01"}]);
        },
        "bodies[0].governs[0].until",
        ProblemCode::DateOrder,
        "until 2019-01-01 is not after from 2020-01-01",
    );
    assert_one_problem(
        |d| d["bodies"][1]["reports_to"] = json!([{"body": "board", "from": "2020-13-01"}]),
        "bodies[1].reports_to[0].from",
        ProblemCode::InvalidDate,
        "invalid date \"2020-13-01\"",
    );
    assert_one_problem(
        |d| d["bodies"][0]["governs"] = json!([{"from": "2020-01-01"}]),
        "bodies[0].governs[0].agreement",
        ProblemCode::Required,
        "is required",
    );
}

// ---- amendments ----

#[test]
fn an_amendment_whose_before_does_not_match_the_record() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["amendments"] = json!([
                {"date": "2017-04-01", "summary": "Renamed",
                 "changes": [{"field": "title", "before": "Dog unit", "after": "Joint dog unit"}]},
                {"date": "2019-04-01", "summary": "Renamed again",
                 "changes": [{"field": "title", "before": "Dogs", "after": "Shared dog unit"}]}
            ]);
        },
        "agreements[1].amendments[1].changes[0].before",
        ProblemCode::AmendmentMismatch,
        "title was \"Joint dog unit\" on 2019-04-01 as the register stood, not \"Dogs\"",
    );
}

#[test]
fn a_record_that_does_not_hold_what_its_last_amendment_left() {
    assert_one_problem(
        |d| {
            d["agreements"][1]["amendments"] = json!([
                {"date": "2017-04-01", "summary": "Renamed",
                 "changes": [{"field": "title", "before": "Dog unit", "after": "Joint dog unit"}]}
            ]);
        },
        "agreements[1].title",
        ProblemCode::AmendmentMismatch,
        "title holds \"Shared dog unit\", but the last amendment of it left \"Joint dog unit\"",
    );
    assert_one_problem(
        |d| {
            d["bodies"][1]["amendments"] = json!([
                {"date": "2017-04-01", "summary": "New rule",
                 "changes": [{"field": "decision_rule", "before": {"rule": "unanimity"},
                              "after": {"rule": "simple_majority"}}]}
            ]);
        },
        "bodies[1].decision_rule",
        ProblemCode::AmendmentMismatch,
        "but the last amendment of it left",
    );
    assert_valid(|d| {
        d["parties"][3]["amendments"] = json!([
            {"date": "2017-04-01", "summary": "Renamed",
             "changes": [{"field": "name", "before": "PCC B", "after": "Commissioner B"}]}
        ]);
    });
}

#[test]
fn an_amendment_of_a_field_that_does_not_exist() {
    for field in ["costs.budgets[2021]", "titel"] {
        assert_one_problem(
            |d| {
                d["agreements"][1]["amendments"] = json!([
                    {"date": "2017-04-01", "summary": "Changed",
                     "changes": [{"field": field, "before": null, "after": null}]}
                ]);
            },
            "agreements[1].amendments[0].changes[0].field",
            ProblemCode::InvalidPath,
            &format!("unknown field {field:?}: expected one of"),
        );
    }
    assert_one_problem(
        |d| {
            d["bodies"][0]["amendments"] = json!([
                {"date": "2017-04-01", "summary": "Changed",
                 "changes": [{"field": "seats", "before": [], "after": []}]}
            ]);
        },
        "bodies[0].amendments[0].changes[0].field",
        ProblemCode::InvalidPath,
        "unknown field \"seats\"",
    );
    // A role change names a membership by party and joining day.
    assert_one_problem(
        |d| {
            d["agreements"][1]["amendments"] = json!([
                {"date": "2017-04-01", "summary": "Changed",
                 "changes": [{"field": "members[force-b@2015-04-01].role", "before": "member", "after": "host"}]}
            ]);
        },
        "agreements[1].amendments[0].changes[0].field",
        ProblemCode::InvalidPath,
        "names no membership",
    );
}

// ---- unknown fields and keys ----

#[test]
fn an_unknown_field_may_not_shadow_a_known_one() {
    // Only reachable through the API: in a file the known field would be
    // read, or the key would be a duplicate. A party's builder checks it,
    // so such a party never reaches `Registry::add_party`.
    let extra = |key: &str| {
        let mut extra = Extra::new();
        extra.insert("website", Unknown::String("https://example.org".into()));
        extra.insert(key, Unknown::String("Commissioner C".into()));
        extra
    };
    let party = |extra| {
        Party::builder(
            ids::party("pcc-c"),
            "Commissioner C",
            PartyKind::PolicingBody,
        )
        .extra(extra)
        .build()
    };
    assert_only(
        &broken_rules(party(extra("name"))),
        "party.name",
        ProblemCode::ShadowedKey,
        "an unknown field may not reuse the name of the known field \"name\"",
    );
    // A field the crate does not know is kept, and the party is added.
    let mut registry = Registry::from_json_str(&base().to_string()).expect("the base loads");
    let added = registry.add_party(party(extra("local_name")).expect("a valid party"));
    assert!(added.is_ok(), "{added:?}");
    assert_eq!(
        registry.party("pcc-c").map(|p| p.extra().len()).ok(),
        Some(2)
    );
    // A membership is checked by the registry it joins.
    let member = Membership::new(ids::party("pcc-c"), Role::Observer, day(2020, 4, 1))
        .with_extra(extra("role"));
    let problems = broken_rules(registry.join("umbrella", member));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].code(), ProblemCode::ShadowedKey);
    assert!(
        problems[0].path().ends_with("members[2].role"),
        "{:?}",
        problems[0]
    );
}

#[test]
fn a_duplicate_key_is_refused_with_its_path() {
    let text = base().to_string().replacen(
        "\"title\":\"Shared dog unit\"",
        "\"title\":\"Shared dog unit\",\"title\":\"Dogs\"",
        1,
    );
    let err = Registry::from_json_str(&text).expect_err("a duplicate key");
    assert_eq!(err.kind(), ErrorKind::Syntax, "{err}");
    assert_only(
        err.problems(),
        "agreements[1].title",
        ProblemCode::Syntax,
        "duplicate key \"title\"",
    );
}

// ---- the whole document ----

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let mut doc = base();
    doc["schema_version"] = json!(7);
    doc["parties"][0]["kind"] = json!("police");
    doc["agreements"][0]["members"][0]["joined"] = json!("yesterday");
    doc["agreements"][1]["costs"]["budgets"][0]["amount"] = json!("-1.00");
    doc["bodies"][0]["seats"][0]["party"] = json!("nobody");
    doc["bodies"][1]["reports_to"] = json!("cabinet");
    let found: Vec<(String, ProblemCode)> = problems_of(&doc)
        .into_iter()
        .map(|p| (p.path().to_string(), p.code()))
        .collect();
    let expected = [
        ("agreements[0].members[0].joined", ProblemCode::InvalidDate),
        (
            "agreements[1].costs.budgets[0].amount",
            ProblemCode::Negative,
        ),
        ("bodies[0].seats[0].party", ProblemCode::UnknownReference),
        ("bodies[1].reports_to", ProblemCode::UnknownReference),
        ("parties[0].kind", ProblemCode::UnknownKeyword),
        ("schema_version", ProblemCode::SchemaVersion),
    ];
    let expected: Vec<(String, ProblemCode)> =
        expected.iter().map(|(p, c)| (p.to_string(), *c)).collect();
    assert_eq!(found, expected, "every problem, sorted by path");
}

#[test]
fn syntax_errors_give_line_and_column() {
    let err = Registry::from_json_str("{\n  \"schema_version\": 2,\n  \"parties\": [,]\n}")
        .expect_err("not JSON");
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert_only(
        err.problems(),
        "parties[0]",
        ProblemCode::Syntax,
        "expected a value (line 3, column 15",
    );
}

#[test]
fn hostile_inputs_are_refused_without_panicking() {
    for text in [
        "",
        "null",
        "[]",
        "42",
        "\"x\"",
        "{\"schema_version\": 2, \"parties\": [null, 1, \"x\"]}",
        "{\"schema_version\": 2, \"agreements\": [{\"costs\": {\"formulas\": [{\"formula\": {\"kind\": \"blend\", \"parts\": [{}]}}]}}]}",
        "{\"schema_version\": 18446744073709551616}",
        "{\"schema_version\": 2.0}",
        "{\"schema_version\": \"2\"}",
    ] {
        let err = Registry::from_json_str(text).expect_err(text);
        assert!(
            matches!(err.kind(), ErrorKind::Syntax | ErrorKind::Invalid),
            "{text:?}: {err}"
        );
    }
}

/// An agreement like `dogs`, between the two forces from 1 April 2021, with
/// its cost arrangement set by `costs`.
fn dogs_with(costs: impl FnOnce(&mut CostArrangement)) -> collab_registry::model::AgreementBuilder {
    let mut c = CostArrangement::default();
    costs(&mut c);
    let start = day(2021, 4, 1);
    Agreement::builder(ids::agreement("dogs-2"), "Shared dog unit", start)
        .active_from(start)
        .member(Membership::new(ids::party("force-a"), Role::Lead, start))
        .member(Membership::new(ids::party("force-b"), Role::Member, start))
        .costs(c)
}

/// Ids for the tests, known to be valid slugs.
mod ids {
    use super::{AgreementId, PartyId};

    pub(super) fn party(id: &str) -> PartyId {
        PartyId::new(id).expect("a valid id")
    }

    pub(super) fn agreement(id: &str) -> AgreementId {
        AgreementId::new(id).expect("a valid id")
    }
}

// ---- what real agreements hold: terms, successors, endings, classes, money between members ----

/// The `dogs` agreement of the base document.
fn dogs(d: &mut Value) -> &mut Value {
    &mut d["agreements"][1]
}

#[test]
fn a_fixed_term_is_one_month_to_a_hundred_years() {
    assert_valid(|d| dogs(d)["term"] = json!({"length": 5, "unit": "years"}));
    assert_valid(|d| dogs(d)["term"] = json!({"length": 1200, "unit": "months"}));
    assert_one_problem(
        |d| dogs(d)["term"] = json!({"length": 0, "unit": "years"}),
        "agreements[1].term.length",
        ProblemCode::OutOfRange,
        "a term of 0 years is outside 1 to 1200 months",
    );
    assert_one_problem(
        |d| dogs(d)["term"] = json!({"length": 101, "unit": "years"}),
        "agreements[1].term.length",
        ProblemCode::OutOfRange,
        "a term of 101 years is outside 1 to 1200 months",
    );
    assert_one_problem(
        |d| dogs(d)["term"] = json!({"length": 3, "unit": "weeks"}),
        "agreements[1].term.unit",
        ProblemCode::UnknownKeyword,
        "unknown term unit \"weeks\"; expected one of: months, years",
    );
    assert_one_problem(
        |d| dogs(d)["term"] = json!({"unit": "years"}),
        "agreements[1].term.length",
        ProblemCode::Required,
        "is required",
    );
}

#[test]
fn a_successor_exists_is_not_itself_and_successors_do_not_go_round() {
    assert_valid(|d| d["agreements"][0]["replaced_by"] = json!("dogs"));
    assert_one_problem(
        |d| dogs(d)["replaced_by"] = json!("dogs"),
        "agreements[1].replaced_by",
        ProblemCode::Cycle,
        "an agreement cannot replace itself",
    );
    assert_one_problem(
        |d| dogs(d)["replaced_by"] = json!("cats"),
        "agreements[1].replaced_by",
        ProblemCode::UnknownReference,
        "unknown agreement \"cats\"",
    );
    assert_one_problem(
        |d| {
            d["agreements"][0]["replaced_by"] = json!("dogs");
            dogs(d)["replaced_by"] = json!("umbrella");
        },
        "agreements[0].replaced_by",
        ProblemCode::Cycle,
        "replaced_by makes a cycle: umbrella -> dogs -> umbrella",
    );
}

#[test]
fn exit_costs_state_their_terms_and_any_cap_in_the_registry_currency() {
    assert_valid(|d| {
        dogs(d)["leaving"] = json!({"notice_months": 12, "leaver_pays_exit_costs": true,
            "exit_costs": {"terms": "the reasonable costs the others incur", "cap": "50000.00"}});
    });
    assert_one_problem(
        |d| dogs(d)["leaving"] = json!({"exit_costs": {"terms": " "}}),
        "agreements[1].leaving.exit_costs.terms",
        ProblemCode::Empty,
        "may not be empty",
    );
    assert_one_problem(
        |d| dogs(d)["leaving"] = json!({"exit_costs": {"terms": "costs", "cap": "-1.00"}}),
        "agreements[1].leaving.exit_costs.cap",
        ProblemCode::Negative,
        "-1.00 is negative",
    );
}

/// The base document with force B's notice served on 1 March 2022 and the
/// dog unit terminated on 1 April 2023 with `ended_by`.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the callers build the ending in place with json!, and each call stays one expression"
)]
fn ended(d: &mut Value, ended_by: Value) {
    dogs(d)["members"][1]["notice_served"] = json!("2022-03-01");
    push(
        &mut dogs(d)["status"],
        json!({"status": "terminated", "from": "2023-04-01", "ended_by": ended_by}),
    );
}

#[test]
fn who_ended_an_agreement_is_said_of_its_termination_and_a_notice_names_a_member_that_served_one() {
    assert_valid(|d| ended(d, json!({"notice": "force-b"})));
    assert_valid(|d| ended(d, json!("all_members")));
    assert_one_problem(
        |d| ended(d, json!({"notice": "force-a"})),
        "agreements[1].status[1].ended_by.notice",
        ProblemCode::Required,
        "force-a ended it by notice, but no notice of force-a's is recorded by 2023-04-01",
    );
    assert_one_problem(
        |d| ended(d, json!({"notice": "pcc-a"})),
        "agreements[1].status[1].ended_by.notice",
        ProblemCode::NotAMember,
        "pcc-a ended it by notice but is not a member of dogs",
    );
    assert_one_problem(
        |d| ended(d, json!("expiry")),
        "agreements[1].status[1].ended_by",
        ProblemCode::Required,
        "an agreement ended by expiry needs an end",
    );
    assert_one_problem(
        |d| ended(d, json!("everyone")),
        "agreements[1].status[1].ended_by",
        ProblemCode::UnknownKeyword,
        "unknown ending \"everyone\"",
    );
    assert_one_problem(
        |d| dogs(d)["status"][0]["ended_by"] = json!("all_members"),
        "agreements[1].status[0].ended_by",
        ProblemCode::Lifecycle,
        "only a termination says who ended the agreement, not a change to active",
    );
}

#[test]
fn members_by_class_and_unpublished_member_lists_are_held_without_inventing_members() {
    // Every police force, by class: no force is typed, and the two-member
    // rule is not asked of a list that is not the whole of the members.
    assert_valid(|d| {
        push(
            &mut d["agreements"],
            json!({"id": "national", "title": "National agreement", "legal_basis": "section_22a_police_act_1996",
                "start": "2015-02-01", "status": [{"status": "active", "from": "2015-02-01"}], "members": [],
                "member_classes": [{"kind": "police_force", "role": "member", "from": "2015-02-01"}]}),
        );
    });
    // A member list that is not published: title, purpose, basis and the
    // publication reason are held, and no member is listed.
    assert_valid(|d| {
        push(
            &mut d["agreements"],
            json!({"id": "withheld", "title": "Regional special operations", "purpose": "Serious and organised crime",
                "legal_basis": "section_22a_police_act_1996", "start": "2013-10",
                "status": [{"status": "active", "from": "2013-10"}], "members": [], "members_published": false,
                "publication": {"level": "withheld", "reason": "could reveal operational tactics"}}),
        );
    });
    assert_one_problem(
        |d| {
            dogs(d)["member_classes"] =
                json!([{"kind": "police_force", "role": "member", "from": "2015-01-01"}]);
        },
        "agreements[1].member_classes[0].from",
        ProblemCode::DateOrder,
        "the class is a member before the agreement starts on 2016-04-01",
    );
    assert_one_problem(
        |d| dogs(d)["member_classes"] = json!([{"kind": "police_forces", "role": "member"}]),
        "agreements[1].member_classes[0].kind",
        ProblemCode::UnknownKeyword,
        "unknown party kind \"police_forces\"",
    );
    assert_one_problem(
        |d| {
            dogs(d)["member_classes"] =
                json!([{"kind": "police_force", "region": "", "role": "member"}]);
        },
        "agreements[1].member_classes[0].region",
        ProblemCode::Empty,
        "may not be empty",
    );
    // With every member listed, an agreement in force still needs two.
    assert_one_problem(
        |d| pop(&mut d["agreements"][0]["members"]),
        "agreements[0].status[0]",
        ProblemCode::TooFewMembers,
        "needs at least two members taking part, but on 2015-04-01 it has 1",
    );
}

#[test]
fn units_bought_in_advance_name_members_once_a_year() {
    assert_valid(|d| {
        dogs(d)["costs"]["purchases"] = json!([
            {"year": "2021/22", "party": "force-a", "units": "1400"},
            {"year": "2021/22", "party": "force-b", "units": "700"}]);
        dogs(d)["costs"]["unit_price"] = json!("250.00");
    });
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["purchases"] = json!([
                {"year": "2021/22", "party": "force-a", "units": "1400"},
                {"year": "2021/22", "party": "force-a", "units": "700"}]);
        },
        "agreements[1].costs.purchases[1]",
        ProblemCode::Duplicate,
        "units bought by force-a for 2021/22 are given twice",
    );
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["purchases"] =
                json!([{"year": "2021/22", "party": "pcc-a", "units": "1"}]);
        },
        "agreements[1].costs.purchases[0].party",
        ProblemCode::NotAMember,
        "\"pcc-a\" bought units but is not a member of dogs",
    );
    assert_one_problem(
        |d| dogs(d)["costs"]["unit_price"] = json!("-250.00"),
        "agreements[1].costs.unit_price",
        ProblemCode::Negative,
        "-250.00 is negative",
    );
}

#[test]
fn a_unit_price_exit_cap_charge_grant_or_asset_value_in_another_currency() {
    type Edit = Box<dyn Fn(&mut CostArrangement)>;
    // Only reachable through the API: a file names its currency once.
    let euros =
        Money::parse("250.00", Currency::new("EUR").expect("a currency")).expect("an amount");
    let year: FinancialYear = "2021/22".parse().expect("a financial year");
    let cases: Vec<(&str, Edit)> = vec![
        (
            "costs.unit_price",
            Box::new(move |c| c.unit_price = Some(euros)),
        ),
        (
            "costs.charges[0].amount",
            Box::new(move |c| {
                c.charges = vec![MemberCharge::new(
                    year,
                    ids::party("force-b"),
                    ids::party("force-a"),
                    "rent",
                    euros,
                )];
            }),
        ),
        (
            "costs.grants[0].amount",
            Box::new(move |c| c.grants = vec![Grant::new(year, euros)]),
        ),
        (
            "costs.assets[0].value",
            Box::new(move |c| {
                let mut asset = Asset::new(
                    "Van",
                    vec![AssetShare::new(ids::party("force-a"), Percent::HUNDRED)],
                );
                asset.value = Some(euros);
                c.assets = vec![asset];
            }),
        ),
    ];
    for (path, edit) in cases {
        let mut registry = Registry::from_json_str(&base().to_string()).expect("the base loads");
        let agreement = dogs_with(|c| edit(c))
            .build()
            .expect("on its own the agreement keeps every rule");
        let problems = broken_rules(registry.add_agreement(agreement));
        assert_only(
            &problems,
            &format!("agreements[2].{path}"),
            ProblemCode::Currency,
            "250.00 is in EUR, but the registry keeps GBP",
        );
        assert!(registry.agreement("dogs-2").is_err(), "nothing was added");
    }
    let mut registry = Registry::from_json_str(&base().to_string()).expect("the base loads");
    let mut leaving = LeavingRules::default();
    let mut exit = ExitCosts::new("the reasonable costs the others incur");
    exit.cap = Some(euros);
    leaving.exit_costs = Some(exit);
    let agreement = dogs_with(|_| {})
        .leaving(leaving)
        .build()
        .expect("on its own it keeps every rule");
    assert_only(
        &broken_rules(registry.add_agreement(agreement)),
        "agreements[2].leaving.exit_costs.cap",
        ProblemCode::Currency,
        "but the registry keeps GBP",
    );
}

#[test]
fn charges_between_members_and_grants_name_members() {
    assert_valid(|d| {
        dogs(d)["costs"]["charges"] = json!([{"year": "2021/22", "payer": "force-b", "payee": "force-a",
            "what": "rent of the kennels", "amount": "12000.00"}]);
        dogs(d)["costs"]["grants"] = json!([{"year": "2021/22", "party": "force-b", "from": "Home Office",
            "amount": "5000.00"}, {"year": "2021/22", "amount": "1000.00"}]);
    });
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["charges"] = json!([{"year": "2021/22", "payer": "force-a", "payee": "force-a",
                "what": "rent", "amount": "1.00"}]);
        },
        "agreements[1].costs.charges[0].payee",
        ProblemCode::SelfReference,
        "force-a cannot charge itself",
    );
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["charges"] = json!([{"year": "2021/22", "payer": "pcc-b", "payee": "force-a",
                "what": "rent", "amount": "1.00"}]);
        },
        "agreements[1].costs.charges[0].payer",
        ProblemCode::NotAMember,
        "\"pcc-b\" is charged or paid but is not a member of dogs",
    );
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["grants"] =
                json!([{"year": "2021/22", "party": "pcc-a", "amount": "1.00"}]);
        },
        "agreements[1].costs.grants[0].party",
        ProblemCode::NotAMember,
        "\"pcc-a\" received a grant but is not a member of dogs",
    );
    assert_one_problem(
        |d| dogs(d)["costs"]["grants"] = json!([{"year": "2021/22", "amount": "-1.00"}]),
        "agreements[1].costs.grants[0].amount",
        ProblemCode::Negative,
        "-1.00 is negative",
    );
}

#[test]
fn assets_are_owned_by_members_or_their_commissioners_with_shares_of_exactly_100() {
    // A van owned half and half, and kennels owned by force A's commissioner.
    assert_valid(|d| {
        dogs(d)["costs"]["assets"] = json!([
            {"name": "Dog van", "value": "40000.00", "owners": [
                {"party": "force-a", "percent": "50"}, {"party": "force-b", "percent": "50"}]},
            {"name": "Kennels", "owners": [{"party": "pcc-a", "percent": "100"}]}]);
    });
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["assets"] = json!([{"name": "Dog van", "owners": [
                {"party": "force-a", "percent": "50"}, {"party": "force-b", "percent": "40"}]}]);
        },
        "agreements[1].costs.assets[0].owners",
        ProblemCode::SharesTotal,
        "the owners' shares of \"Dog van\" add up to 90, not exactly 100",
    );
    assert_one_problem(
        |d| {
            d["parties"][3]["overseen_by"] = json!([]);
            push(
                &mut d["parties"],
                json!({"id": "council", "name": "A council", "kind": "local_authority"}),
            );
            dogs(d)["costs"]["assets"] =
                json!([{"name": "Depot", "owners": [{"party": "council", "percent": "100"}]}]);
        },
        "agreements[1].costs.assets[0].owners[0].party",
        ProblemCode::NotAMember,
        "\"council\" owns a share of \"Depot\" but is neither a member nor the policing body of a member",
    );
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["assets"] =
                json!([{"name": "Depot", "owners": [{"party": "nobody", "percent": "100"}]}]);
        },
        "agreements[1].costs.assets[0].owners[0].party",
        ProblemCode::UnknownReference,
        "unknown party \"nobody\"",
    );
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["assets"] = json!([{"name": "Dog van", "owners": [
                {"party": "force-a", "percent": "50"}, {"party": "force-a", "percent": "50"}]}]);
        },
        "agreements[1].costs.assets[0].owners[1].party",
        ProblemCode::Duplicate,
        "force-a owns two shares of \"Dog van\"",
    );
}

#[test]
fn an_entitlement_formula_is_a_formula_kind() {
    assert_valid(|d| {
        dogs(d)["costs"]["formulas"] =
            json!([{"from": "2016-04-01", "formula": {"kind": "entitlement"}}]);
        dogs(d)["costs"]["part_year"] = json!("pro_rata_by_months_begun");
    });
    assert_one_problem(
        |d| {
            dogs(d)["costs"]["formulas"] =
                json!([{"from": "2016-04-01", "formula": {"kind": "hours"}}]);
        },
        "agreements[1].costs.formulas[0].formula.kind",
        ProblemCode::UnknownKeyword,
        "unknown formula kind \"hours\"; expected one of: equal, fixed_percentages, metric, usage, entitlement, blend",
    );
}

#[test]
fn illustrative_lists_name_fields_that_exist() {
    assert_valid(|d| {
        dogs(d)["illustrative"] = json!([
            "start",
            "review.cadence_months",
            "costs.budgets[2021/22]",
            "members.joined",
            "term",
            "costs.unit_price",
            "members[force-a@2016-04-01].role"
        ]);
        d["parties"][0]["illustrative"] =
            json!(["name", "metrics.value", "metrics[population@2021/22]"]);
        d["bodies"][0]["illustrative"] =
            json!(["seats.votes", "decision_rule.rule", "amendments.date"]);
    });
    assert_one_problem(
        |d| dogs(d)["illustrative"] = json!(["start", "budget"]),
        "agreements[1].illustrative[1]",
        ProblemCode::InvalidPath,
        "\"budget\" is not a field of this record, so it cannot be illustrative",
    );
    assert_one_problem(
        |d| d["parties"][0]["illustrative"] = json!(["metrics.population"]),
        "parties[0].illustrative[0]",
        ProblemCode::InvalidPath,
        "\"metrics.population\" is not a field of this record",
    );
    assert_one_problem(
        |d| d["bodies"][0]["illustrative"] = json!(["seats.weight"]),
        "bodies[0].illustrative[0]",
        ProblemCode::InvalidPath,
        "\"seats.weight\" is not a field of this record",
    );
}

#[test]
fn amendments_of_the_new_fields_are_checked_against_the_record() {
    // The record holds a five-year term and a unit price of 250.00; an
    // amendment that says the term was four years before, or that leaves
    // a price other than the record's, does not match it.
    let amended = |d: &mut Value, before: Value, after: Value, field: &str| {
        dogs(d)["term"] = json!({"length": 5, "unit": "years"});
        dogs(d)["costs"]["unit_price"] = json!("250.00");
        dogs(d)["amendments"] = json!([{"date": "2020-04-01", "kind": "variation", "summary": "Changed",
            "changes": [{"field": field, "before": before, "after": after}]}]);
    };
    assert_valid(|d| {
        amended(
            d,
            json!(null),
            json!({"length": 5, "unit": "years"}),
            "term",
        );
    });
    assert_valid(|d| amended(d, json!("200.00"), json!("250.00"), "costs.unit_price"));
    let mut doc = base();
    amended(
        &mut doc,
        json!(null),
        json!({"length": 4, "unit": "years"}),
        "term",
    );
    assert_only(
        &problems_of(&doc),
        "agreements[1].term",
        ProblemCode::AmendmentMismatch,
        "term holds {\"length\":5,\"unit\":\"years\"}, but the last amendment of it left {\"length\":4,\"unit\":\"years\"}",
    );
    let mut doc = base();
    amended(
        &mut doc,
        json!("200.00"),
        json!("300.00"),
        "costs.unit_price",
    );
    assert_only(
        &problems_of(&doc),
        "agreements[1].costs",
        ProblemCode::AmendmentMismatch,
        "costs.unit_price holds \"250.00\", but the last amendment of it left \"300.00\"",
    );
    assert_one_problem(
        |d| amended(d, json!(null), json!("x"), "costs.unit_prices"),
        "agreements[1].amendments[0].changes[0].field",
        ProblemCode::InvalidPath,
        "costs.unit_prices",
    );
}
