//! No data lost on a round trip: a field the crate does not know, at any
//! level of the format, comes back exactly as it was written (numbers to the
//! digit, strings to the escape), a file never holds a key twice, and load →
//! save is a fixed point.

use collab_registry::model::{Currency, Unknown};
use collab_registry::{ErrorKind, ProblemCode, Registry, RegistryInfo, SAMPLE_JSON};
use serde_json::json;

/// Every kind of object the format has, each at a JSON path in
/// [`document`]: the level, then the path.
const LEVELS: &[(&str, &str)] = &[
    ("the document", "$"),
    ("a party", "parties[0]"),
    ("an identifier", "parties[0].identifiers[0]"),
    ("an oversight spell", "parties[0].overseen_by[0]"),
    (
        "an oversight spell's recorded",
        "parties[0].overseen_by[0].recorded",
    ),
    ("a metric", "parties[0].metrics[0]"),
    ("a party amendment", "parties[0].amendments[0]"),
    (
        "a party amendment's change",
        "parties[0].amendments[0].changes[0]",
    ),
    ("an agreement", "agreements[0]"),
    ("a status change", "agreements[0].status[0]"),
    ("a membership", "agreements[0].members[0]"),
    (
        "a membership's recorded",
        "agreements[0].members[0].recorded",
    ),
    ("a declined invitation", "agreements[0].declined[0]"),
    ("responsibilities", "agreements[0].responsibilities"),
    ("review", "agreements[0].review"),
    ("a review held", "agreements[0].review.held[0]"),
    ("leaving", "agreements[0].leaving"),
    ("publication", "agreements[0].publication"),
    ("costs", "agreements[0].costs"),
    ("a budget", "agreements[0].costs.budgets[0]"),
    ("a dated formula", "agreements[0].costs.formulas[0]"),
    (
        "an equal formula",
        "agreements[0].costs.formulas[0].formula",
    ),
    (
        "a fixed percentages formula",
        "agreements[0].costs.formulas[1].formula",
    ),
    (
        "a fixed share",
        "agreements[0].costs.formulas[1].formula.shares[0]",
    ),
    ("a blend", "agreements[0].costs.formulas[2].formula"),
    (
        "a blend part",
        "agreements[0].costs.formulas[2].formula.parts[0]",
    ),
    (
        "a metric formula",
        "agreements[0].costs.formulas[2].formula.parts[0].formula",
    ),
    (
        "a usage formula",
        "agreements[0].costs.formulas[2].formula.parts[1].formula",
    ),
    ("a usage entry", "agreements[0].costs.usage[0]"),
    ("savings", "agreements[0].costs.savings"),
    (
        "a realised saving",
        "agreements[0].costs.savings.realised[0]",
    ),
    ("an agreement amendment", "agreements[0].amendments[0]"),
    (
        "an agreement amendment's change",
        "agreements[0].amendments[0].changes[0]",
    ),
    (
        "a value a change replaced",
        "agreements[0].amendments[1].changes[0].before",
    ),
    ("a body", "bodies[0]"),
    ("a seat", "bodies[0].seats[0]"),
    ("a seat spell's recorded", "bodies[0].seats[0].recorded"),
    ("a governs entry as an object", "bodies[0].governs[0]"),
    ("a decision rule", "bodies[0].decision_rule"),
    ("a delegated limit", "bodies[0].delegated_limits[0]"),
    ("a body amendment", "bodies[0].amendments[0]"),
    (
        "a body amendment's change",
        "bodies[0].amendments[0].changes[0]",
    ),
    ("a reports_to entry as an object", "bodies[1].reports_to[0]"),
    ("a fixed term", "agreements[0].term"),
    ("exit costs", "agreements[0].leaving.exit_costs"),
    (
        "units bought in advance",
        "agreements[0].costs.purchases[0]",
    ),
    ("a charge between members", "agreements[0].costs.charges[0]"),
    ("a grant", "agreements[0].costs.grants[0]"),
    ("an asset", "agreements[0].costs.assets[0]"),
    (
        "an owner's share of an asset",
        "agreements[0].costs.assets[0].owners[0]",
    ),
    (
        "an entitlement formula",
        "agreements[0].costs.formulas[3].formula",
    ),
    ("a membership by class", "agreements[1].member_classes[0]"),
    ("a terminating status change", "agreements[1].status[1]"),
];

/// The unknown fields put at each level: a number no float holds, and an
/// object of things a careless writer would change. Written as the writer
/// writes them, so the text must come back the same.
const NUMBER: (&str, &str) = ("x_number", "123456789012345678901234567890");
const NESTED: (&str, &str) = (
    "x_nested",
    r#"{"huge":1e400,"negative_zero":-0.0,"text":"tab\there \"quoted\" back\\slash\nline \u0007 bell","naïve_名前":"café ☕","a \"quoted\"\tkey":0,"list":[1.50,true,null,-12E-3,{},[]]}"#,
);

/// One document holding every level of [`LEVELS`], valid, in canonical
/// order. Its amendments change fields no probe is put in: unknown fields
/// are part of the terms an amendment's chain is checked against.
fn document() -> String {
    let doc = json!({
        "schema_version": 2,
        "name": "Every level",
        "currency": "GBP",
        "parties": [
            {"id": "force-a", "name": "Force A", "kind": "police_force",
             "identifiers": [{"scheme": "GB-GOR", "id": "PF1"}],
             "overseen_by": [{"by": "pcc-a", "from": "2012-11-22", "recorded": {"from": "2012-12-01"}}],
             "metrics": [{"metric": "population", "year": "2021/22", "value": "700000"}],
             "amendments": [{"date": "2019-04-01", "kind": "correction", "summary": "Name corrected",
                             "changes": [{"field": "name", "before": "Force Alpha", "after": "Force A"}]}]},
            {"id": "force-b", "name": "Force B", "kind": "police_force",
             "metrics": [{"metric": "population", "year": "2021/22", "value": "300000"}]},
            {"id": "pcc-a", "name": "Commissioner A", "kind": "policing_body"},
            {"id": "pcc-b", "name": "Commissioner B", "kind": "policing_body"}
        ],
        "agreements": [
            {"id": "dogs", "title": "Shared dog unit", "legal_basis": "section_22a_police_act_1996",
             "start": "2016-04-01", "term": {"length": 10, "unit": "years"}, "replaced_by": "national",
             "status": [{"status": "active", "from": "2016-04-01"}],
             "members": [
                {"party": "force-a", "role": "lead", "joined": "2016-04-01", "recorded": {"joined": "2016-05-01"}},
                {"party": "force-b", "role": "member", "joined": "2016-04-01"}
             ],
             "declined": [{"party": "pcc-b", "on": "2015"}],
             "responsibilities": {"asset_owner": "pcc-a", "employer": "force-a"},
             "review": {"cadence_months": 12, "held": [{"date": "2019-05-01", "by": "board"}]},
             "leaving": {"notice_months": 12, "leaver_pays_exit_costs": true,
                         "exit_costs": {"terms": "the reasonable costs the others incur", "cap": "50000.00"}},
             "publication": {"level": "summary", "reason": "operational detail withheld"},
             "costs": {
                "budgets": [{"year": "2021/22", "amount": "1000000.00"}],
                "formulas": [
                    {"from": "2016-04-01", "formula": {"kind": "equal"}},
                    {"from": "2018-04-01", "formula": {"kind": "fixed_percentages", "shares": [
                        {"party": "force-a", "percent": "60"}, {"party": "force-b", "percent": "40"}]}},
                    {"from": "2020-04-01", "formula": {"kind": "blend", "parts": [
                        {"weight": "50", "formula": {"kind": "metric", "metric": "population"}},
                        {"weight": "50", "formula": {"kind": "usage"}}]}},
                    {"from": "2022-04-01", "formula": {"kind": "entitlement"}}
                ],
                "part_year": "pro_rata_by_months_begun",
                "usage": [{"year": "2021/22", "party": "force-a", "units": "120"}],
                "purchases": [{"year": "2022/23", "party": "force-a", "units": "1400"}],
                "unit_price": "250.00",
                "charges": [{"year": "2021/22", "payer": "force-b", "payee": "force-a", "what": "rent of the kennels", "amount": "12000.00"}],
                "grants": [{"year": "2021/22", "party": "force-b", "from": "Home Office", "amount": "5000.00"}],
                "assets": [{"name": "Dog van", "value": "40000.00", "owners": [
                    {"party": "force-b", "percent": "50"}, {"party": "pcc-a", "percent": "50"}]}],
                "savings": {"target": "100000.00", "realised": [{"year": "2021/22", "amount": "10000.00", "party": "force-a"}]}
             },
             "amendments": [{"date": "2018-04-01", "kind": "variation", "summary": "Renamed",
                             "changes": [{"field": "title", "before": "Dog unit", "after": "Shared dog unit"}]},
                            {"date": "2020-04-01", "kind": "correction", "summary": "A budget entered in error",
                             "changes": [{"field": "costs.budgets[2020/21]", "before": {"year": "2020/21", "amount": "900000.00"}, "after": null}]}]},
            {"id": "national", "title": "National agreement", "legal_basis": "section_22a_police_act_1996",
             "start": "2015-02", "members": [], "members_published": false,
             "member_classes": [{"kind": "police_force", "role": "member", "from": "2015-02-01"}],
             "status": [{"status": "active", "from": "2015-02"},
                        {"status": "terminated", "from": "2024-04-01", "ended_by": "all_members"}]}
        ],
        "bodies": [
            {"id": "board", "name": "Joint board", "kind": "joint_committee",
             "governs": [{"agreement": "dogs", "from": "2016-04-01"}],
             "seats": [{"party": "pcc-a", "role": "chair", "votes": 1, "from": "2016-04-01", "recorded": {"from": "2016-05-01"}}],
             "decision_rule": {"rule": "unanimity"},
             "delegated_limits": [{"matter": "spending", "limit": "50000.00"}],
             "amendments": [{"date": "2017-04-01", "kind": "variation", "summary": "Renamed",
                             "changes": [{"field": "name", "before": "Dog board", "after": "Joint board"}]}]},
            {"id": "sub-board", "name": "Delivery board", "kind": "delivery_board",
             "reports_to": [{"body": "board", "from": "2017-01-01"}],
             "decision_rule": {"rule": "qualified_majority", "at_least": "2/3"}}
        ]
    });
    doc.to_string()
}

#[test]
fn the_document_holds_every_level_and_is_already_canonical() {
    let text = document();
    let registry = Registry::from_json_str(&text).expect("the document is valid");
    let written = registry.to_json_string();
    // The same content; the writer's key order is its own.
    let (before, after) = (raw::parse(&text), raw::parse(&written));
    assert_eq!(
        before.map(|r| r.sorted().to_text()),
        after.map(|r| r.sorted().to_text())
    );
    let doc = raw::parse(&text).expect("strict JSON");
    for (level, path) in LEVELS {
        assert!(
            doc.at(path).is_some_and(raw::Raw::is_object),
            "{level}: no object at {path}"
        );
    }
}

#[test]
fn unknown_fields_are_kept_exactly_at_every_level() {
    let clean = raw::parse(&document()).expect("strict JSON");
    let mut all = clean.clone();
    for (level, path) in LEVELS {
        let mut doc = clean.clone();
        doc.insert(path, NUMBER);
        doc.insert(path, NESTED);
        all.insert(path, NUMBER);
        all.insert(path, NESTED);
        check_round_trip(&doc.to_text(), &[(level, path)]);
    }
    check_round_trip(&all.to_text(), LEVELS);
}

/// Loads `text`, saves it, and checks the unknown fields at each level in
/// `levels` came back as they were, and that a second load and save gives
/// the same bytes.
fn check_round_trip(text: &str, levels: &[(&str, &str)]) {
    let first = match Registry::from_json_str(text) {
        Ok(r) => r.to_json_string(),
        Err(e) => panic!("{:?}: {e}", levels.first()),
    };
    let written = raw::parse(&first).unwrap_or_else(|e| panic!("the writer wrote {e}"));
    for (level, path) in levels {
        let at = written.at(path);
        for (key, value) in [NUMBER, NESTED] {
            let back = at.and_then(|o| o.get(key)).map(raw::Raw::to_text);
            assert_eq!(back.as_deref(), Some(value), "{level} at {path}: {key}");
        }
    }
    let second = Registry::from_json_str(&first).map_or_else(
        |e| panic!("{:?}: {e}", levels.first()),
        |r| r.to_json_string(),
    );
    assert_eq!(second, first, "load → save → load → save is a fixed point");
}

/// Objects that, without their unknown fields, would hold nothing the
/// writer writes (or would be written as a plain id), each at a path in
/// [`sparse`].
const SPARSE_LEVELS: &[(&str, &str)] = &[
    (
        "an oversight spell's recorded",
        "parties[0].overseen_by[0].recorded",
    ),
    (
        "a membership's recorded",
        "agreements[0].members[0].recorded",
    ),
    ("responsibilities", "agreements[0].responsibilities"),
    ("review", "agreements[0].review"),
    ("leaving", "agreements[0].leaving"),
    ("costs", "agreements[0].costs"),
    ("savings", "agreements[0].costs.savings"),
    ("a seat spell's recorded", "bodies[0].seats[0].recorded"),
    ("an undated governs entry", "bodies[0].governs[0]"),
    ("an undated reports_to entry", "bodies[1].reports_to[0]"),
];

/// A document whose objects at [`SPARSE_LEVELS`] hold nothing known.
fn sparse() -> String {
    json!({
        "schema_version": 2,
        "parties": [
            {"id": "force-a", "name": "Force A", "kind": "police_force",
             "overseen_by": [{"by": "pcc-a", "recorded": {}}]},
            {"id": "force-b", "name": "Force B", "kind": "police_force"},
            {"id": "pcc-a", "name": "Commissioner A", "kind": "policing_body"}
        ],
        "agreements": [
            {"id": "dogs", "title": "Shared dog unit", "legal_basis": "contract", "start": "2016-04-01",
             "status": [{"status": "active", "from": "2016-04-01"}],
             "members": [
                {"party": "force-a", "role": "lead", "joined": "2016-04-01", "recorded": {}},
                {"party": "force-b", "role": "member", "joined": "2016-04-01"}
             ],
             "responsibilities": {}, "review": {}, "leaving": {}, "costs": {"savings": {}}}
        ],
        "bodies": [
            {"id": "board", "name": "Joint board", "kind": "joint_committee",
             "governs": [{"agreement": "dogs"}],
             "seats": [{"party": "pcc-a", "role": "chair", "votes": 1, "recorded": {}}],
             "decision_rule": {"rule": "unanimity"}},
            {"id": "sub-board", "name": "Delivery board", "kind": "delivery_board",
             "reports_to": [{"body": "board"}], "decision_rule": {"rule": "unanimity"}}
        ]
    })
    .to_string()
}

#[test]
fn objects_holding_only_unknown_fields_are_still_written() {
    let clean = raw::parse(&sparse()).expect("strict JSON");
    // Without them, the empty objects are left out and the links are plain ids.
    let written = Registry::from_json_str(&sparse()).map(|r| r.to_json_string());
    let written = raw::parse(&written.expect("the sparse document loads")).expect("strict JSON");
    for (level, path) in SPARSE_LEVELS {
        assert!(
            !written.at(path).is_some_and(raw::Raw::is_object),
            "{level} at {path}"
        );
    }
    let mut all = clean.clone();
    for (level, path) in SPARSE_LEVELS {
        let mut doc = clean.clone();
        doc.insert(path, NUMBER);
        doc.insert(path, NESTED);
        all.insert(path, NUMBER);
        all.insert(path, NESTED);
        check_round_trip(&doc.to_text(), &[(level, path)]);
    }
    check_round_trip(&all.to_text(), SPARSE_LEVELS);
}

#[test]
fn unknown_fields_read_back_as_values() {
    // The same exactness seen from the API, at three levels.
    let mut doc = raw::parse(&document()).expect("strict JSON");
    for path in [
        "$",
        "agreements[0].costs.formulas[2].formula.parts[1].formula",
        "bodies[1].reports_to[0]",
    ] {
        doc.insert(path, NUMBER);
    }
    let registry = Registry::from_json_str(&doc.to_text()).expect("loads");
    let big = Unknown::number(NUMBER.1);
    assert_eq!(registry.info().extra.get(NUMBER.0), big.as_ref());
    let body = registry.body("sub-board").expect("the sub-board");
    assert_eq!(body.reports_to()[0].extra.get(NUMBER.0), big.as_ref());
    let formula = registry
        .agreement("dogs")
        .map(|a| a.terms().costs().formulas[2].formula.to_string());
    assert_eq!(
        formula.ok().as_deref(),
        Some("50% in proportion to population + 50% in proportion to recorded usage")
    );
}

#[test]
fn a_known_field_given_twice_is_refused_with_its_path_at_every_level() {
    // An unknown field cannot reuse a known field's name in a file: the
    // key would be read as the known field, and a second one is a
    // duplicate key.
    let clean = raw::parse(&document()).expect("strict JSON");
    for (level, path) in LEVELS {
        let mut doc = clean.clone();
        let (key, value) = doc
            .at(path)
            .and_then(raw::Raw::first_field)
            .unwrap_or_else(|| panic!("{level}: no field at {path}"));
        doc.insert(path, (&key, &value));
        let err = Registry::from_json_str(&doc.to_text()).expect_err("a duplicate key");
        assert_eq!(err.kind(), ErrorKind::Syntax, "{level}: {err}");
        let problem = &err.problems()[0];
        assert_eq!(problem.code(), ProblemCode::Syntax);
        let expected = if *path == "$" {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        assert_eq!(problem.path(), expected, "{level}");
        assert!(
            problem
                .message()
                .contains(&format!("duplicate key \"{key}\"")),
            "{level}: {problem}"
        );
    }
}

#[test]
fn a_field_of_another_kind_of_formula_or_rule_is_refused_not_dropped() {
    // Read as the kind named, such a field would be lost on saving.
    let clean = raw::parse(&document()).expect("strict JSON");
    let formulas = "agreements[0].costs.formulas";
    for (path, key, value) in [
        (
            format!("{formulas}[0].formula"),
            "shares",
            r#"[{"party":"force-a","percent":"100"}]"#,
        ),
        (
            format!("{formulas}[1].formula"),
            "metric",
            r#""population""#,
        ),
        (format!("{formulas}[2].formula"), "shares", "[]"),
        (
            format!("{formulas}[2].formula.parts[1].formula"),
            "parts",
            "[]",
        ),
        (
            "bodies[0].decision_rule".to_string(),
            "at_least",
            r#""2/3""#,
        ),
    ] {
        let mut doc = clean.clone();
        doc.insert(&path, (key, value));
        let err = Registry::from_json_str(&doc.to_text()).expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::Invalid);
        let problems = err.problems();
        assert_eq!(problems.len(), 1, "{err}");
        assert_eq!(problems[0].path(), format!("{path}.{key}"));
        assert_eq!(problems[0].code(), ProblemCode::ShadowedKey);
        assert!(
            problems[0]
                .message()
                .contains(&format!("\"{key}\" is not a field of")),
            "{err}"
        );
    }
}

#[test]
fn the_writer_never_writes_a_key_twice() {
    let sample = collab_registry::sample().expect("the sample loads");
    let mut big = raw::parse(&document()).expect("strict JSON");
    for (_, path) in LEVELS {
        big.insert(path, NUMBER);
        big.insert(path, NESTED);
    }
    let big = Registry::from_json_str(&big.to_text()).expect("loads");
    for (name, registry) in [("the sample", &sample), ("every level", &big)] {
        let text = registry.to_json_string();
        if let Err(e) = raw::parse(&text) {
            panic!("{name}: {e}");
        }
    }
    assert_eq!(sample.to_json_string(), SAMPLE_JSON);
}

#[test]
fn top_level_fields_made_through_the_api_never_repeat_a_known_key() {
    // Nothing checks a `RegistryInfo` built by hand, so its unknown fields
    // may reuse a known name: the known field wins and the file still
    // holds each key once.
    let mut info = RegistryInfo::new("By hand", Currency::GBP);
    info.extra
        .insert("publisher", Unknown::String("Regional team".into()));
    for known in [
        "schema_version",
        "name",
        "currency",
        "parties",
        "agreements",
        "bodies",
    ] {
        info.extra.insert(known, Unknown::String("shadow".into()));
    }
    let text = Registry::new(info).to_json_string();
    if let Err(e) = raw::parse(&text) {
        panic!("{e} in {text}");
    }
    let registry = Registry::from_json_str(&text).expect("what is written loads");
    assert_eq!(registry.info().name.as_deref(), Some("By hand"));
    assert_eq!(
        registry.info().extra.get("publisher"),
        Some(&Unknown::String("Regional team".into()))
    );
    assert_eq!(registry.info().extra.len(), 1);
    assert_eq!(registry.to_json_string(), text);
}

/// A strict reader of JSON text that keeps every scalar as written (so
/// `1e400` and 30-digit numbers survive), refuses a key given twice in one
/// object, and finds objects by document path.
mod raw {
    use std::collections::HashSet;

    /// A JSON value with its scalars' text as written.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Raw {
        /// A number, string (with its quotes and escapes), boolean or null.
        Scalar(String),
        Array(Vec<Raw>),
        /// Each key as written between its quotes, and its value.
        Object(Vec<(String, Raw)>),
    }

    impl Raw {
        pub(crate) fn is_object(&self) -> bool {
            matches!(self, Raw::Object(_))
        }

        /// The same value with every object's keys in sorted order.
        pub(crate) fn sorted(&self) -> Raw {
            match self {
                Raw::Scalar(s) => Raw::Scalar(s.clone()),
                Raw::Array(items) => Raw::Array(items.iter().map(Raw::sorted).collect()),
                Raw::Object(fields) => {
                    let mut fields: Vec<(String, Raw)> = fields
                        .iter()
                        .map(|(k, v)| (k.clone(), v.sorted()))
                        .collect();
                    fields.sort_by(|a, b| a.0.cmp(&b.0));
                    Raw::Object(fields)
                }
            }
        }

        /// Compact text: no whitespace outside strings.
        pub(crate) fn to_text(&self) -> String {
            match self {
                Raw::Scalar(s) => s.clone(),
                Raw::Array(items) => {
                    let items: Vec<String> = items.iter().map(Raw::to_text).collect();
                    format!("[{}]", items.join(","))
                }
                Raw::Object(fields) => {
                    let fields: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| format!("\"{k}\":{}", v.to_text()))
                        .collect();
                    format!("{{{}}}", fields.join(","))
                }
            }
        }

        pub(crate) fn get(&self, key: &str) -> Option<&Raw> {
            match self {
                Raw::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }

        /// The first field of an object, its value as text.
        pub(crate) fn first_field(&self) -> Option<(String, String)> {
            match self {
                Raw::Object(fields) => fields.first().map(|(k, v)| (k.clone(), v.to_text())),
                _ => None,
            }
        }

        /// The value at `path` (`agreements[0].costs`, or `$`).
        pub(crate) fn at(&self, path: &str) -> Option<&Raw> {
            steps(path)
                .iter()
                .try_fold(self, |node, step| match (step, node) {
                    (Step::Key(k), _) => node.get(k),
                    (Step::Index(i), Raw::Array(items)) => items.get(*i),
                    _ => None,
                })
        }

        fn at_mut(&mut self, path: &str) -> Option<&mut Raw> {
            steps(path)
                .iter()
                .try_fold(self, |node, step| match (step, node) {
                    (Step::Key(k), Raw::Object(fields)) => {
                        fields.iter_mut().find(|(key, _)| key == k).map(|(_, v)| v)
                    }
                    (Step::Index(i), Raw::Array(items)) => items.get_mut(*i),
                    _ => None,
                })
        }

        /// Adds `key` with the JSON text `value` at the end of the object at `path`.
        pub(crate) fn insert(&mut self, path: &str, (key, value): (&str, &str)) {
            let value = parse(value).unwrap_or_else(|e| panic!("{e}"));
            match self.at_mut(path) {
                Some(Raw::Object(fields)) => fields.push((key.to_string(), value)),
                _ => panic!("no object at {path}"),
            }
        }
    }

    enum Step {
        Key(String),
        Index(usize),
    }

    fn steps(path: &str) -> Vec<Step> {
        let mut out = Vec::new();
        if path == "$" {
            return out;
        }
        for part in path.split('.') {
            let mut pieces = part.split('[');
            if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
                out.push(Step::Key(key.to_string()));
            }
            for index in pieces {
                let index = index.trim_end_matches(']').parse().unwrap_or(usize::MAX);
                out.push(Step::Index(index));
            }
        }
        out
    }

    /// Parses `text` strictly; the error names a repeated key's path.
    pub(crate) fn parse(text: &str) -> Result<Raw, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let value = p.value("$")?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("trailing text at byte {}", p.i));
        }
        Ok(value)
    }

    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn ws(&mut self) {
            while self.s.get(self.i).is_some_and(|b| b" \t\r\n".contains(b)) {
                self.i += 1;
            }
        }

        fn eat(&mut self, b: u8) -> Result<(), String> {
            self.ws();
            if self.s.get(self.i) == Some(&b) {
                self.i += 1;
                Ok(())
            } else {
                Err(format!("expected {:?} at byte {}", b as char, self.i))
            }
        }

        fn peek(&mut self) -> Option<u8> {
            self.ws();
            self.s.get(self.i).copied()
        }

        /// A string's text between its quotes, escapes as written.
        fn string(&mut self) -> Result<String, String> {
            self.eat(b'"')?;
            let start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                match b {
                    b'"' => {
                        let text = String::from_utf8(self.s[start..self.i].to_vec())
                            .map_err(|e| e.to_string())?;
                        self.i += 1;
                        return Ok(text);
                    }
                    b'\\' => self.i += 2,
                    _ => self.i += 1,
                }
            }
            Err("unterminated string".into())
        }

        fn value(&mut self, path: &str) -> Result<Raw, String> {
            match self.peek() {
                Some(b'{') => {
                    self.i += 1;
                    let mut fields = Vec::new();
                    let mut seen = HashSet::new();
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                        return Ok(Raw::Object(fields));
                    }
                    loop {
                        let key = self.string()?;
                        let here = if path == "$" {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        if !seen.insert(decode(&key)) {
                            return Err(format!("duplicate key at {here}"));
                        }
                        self.eat(b':')?;
                        let value = self.value(&here)?;
                        fields.push((key, value));
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                return Ok(Raw::Object(fields));
                            }
                            _ => return Err(format!("bad object at byte {}", self.i)),
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut items = Vec::new();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                        return Ok(Raw::Array(items));
                    }
                    loop {
                        let value = self.value(&format!("{path}[{}]", items.len()))?;
                        items.push(value);
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                return Ok(Raw::Array(items));
                            }
                            _ => return Err(format!("bad array at byte {}", self.i)),
                        }
                    }
                }
                Some(b'"') => Ok(Raw::Scalar(format!("\"{}\"", self.string()?))),
                Some(_) => {
                    let start = self.i;
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|b| !b",]} \t\r\n".contains(b))
                    {
                        self.i += 1;
                    }
                    Ok(Raw::Scalar(
                        String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
                    ))
                }
                None => Err("unexpected end".into()),
            }
        }
    }

    /// A key's text with its escapes decoded, so `"a"` and `"\u0061"` are one key.
    fn decode(key: &str) -> String {
        let mut units: Vec<u16> = Vec::new();
        let mut chars = key.chars();
        while let Some(c) = chars.next() {
            let c = if c == '\\' {
                match chars.next() {
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).collect();
                        units.push(u16::from_str_radix(&hex, 16).unwrap_or(0xFFFD));
                        continue;
                    }
                    Some('n') => '\n',
                    Some('t') => '\t',
                    Some('r') => '\r',
                    Some('b') => '\u{8}',
                    Some('f') => '\u{c}',
                    Some(other) => other,
                    None => break,
                }
            } else {
                c
            };
            units.extend_from_slice(c.encode_utf16(&mut [0; 2]));
        }
        String::from_utf16_lossy(&units)
    }
}
