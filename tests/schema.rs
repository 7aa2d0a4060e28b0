//! The JSON Schema of the registry file (`data/registry.schema.json`),
//! checked by an independent validator (the `jsonschema` crate, with format
//! checks on): it is valid draft 2020-12; the sample, the README's example
//! and every registry the crate loads in these tests or saves after changes
//! validate against it; it has a definition for every object the reader
//! knows ([`format::FIELDS`]) with exactly its fields, and the model's
//! keywords as its enums; and it refuses the bad files it can express.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use collab_registry::format::FIELDS;
use collab_registry::model::{
    AmendmentKind, BodyKind, Budget, Currency, Ending, FinancialYear, Function, LegalBasis,
    Membership, Money, PartYear, PartyId, PartyKind, PublicationLevel, Review, ReviewAnchor, Role,
    SeatRole, Status, TermUnit,
};
use collab_registry::time::When;
use collab_registry::{ErrorKind, Registry};
use proptest::prelude::*;
use serde_json::Value;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

const SCHEMA: &str = include_str!("../data/registry.schema.json");
const README: &str = include_str!("../README.md");

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("the schema compiles")
}

/// What the schema finds wrong with `text`, one line per error.
fn problems(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    let instance: Value = serde_json::from_str(text).expect("the instance is JSON");
    validator
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(validator: &jsonschema::Validator, what: &str, text: &str) {
    let found = problems(validator, text);
    assert!(
        found.is_empty(),
        "{what} should validate against the schema:\n{}",
        found.join("\n")
    );
}

/// The schema's definition of each object the reader knows: "status
/// change" is `status_change`, and so on.
fn definition_name(object: &str) -> String {
    object.replace(' ', "_")
}

/// The README's example file: the `json` block holding `"schema_version"`.
fn readme_example() -> &'static str {
    README
        .split("```json")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("\"schema_version\""))
        .expect("the README shows an example file")
}

/// The text of each `json!(...)` call in `source`, up to its closing
/// parenthesis (brackets counted outside string literals).
fn json_macros(source: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (at, _) in source.match_indices("json!(") {
        let body = &source[at + "json!(".len()..];
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for (i, c) in body.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '(' | '[' | '{' if !in_string => depth += 1,
                ')' if !in_string && depth == 0 => {
                    out.push(&body[..i]);
                    break;
                }
                ')' | ']' | '}' if !in_string => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    out
}

/// A `json!` literal as JSON: the macro allows a comma before a closing
/// bracket, JSON does not.
fn without_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ',' if !in_string => {
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                if matches!(next, Some(']' | '}')) {
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Every document the test sources spell out whole: each raw string, and
/// each `json!` literal that is plain JSON (no Rust values spliced in),
/// that holds a `schema_version`.
fn test_documents() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the tests folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    // This file's own documents are checked by its tests.
    files.retain(|p| !p.ends_with("schema.rs"));
    let mut out = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("a test source");
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let raw = source
            .split("r#\"")
            .skip(1)
            .filter_map(|piece| piece.split("\"#").next());
        let literals = json_macros(&source)
            .into_iter()
            .map(without_trailing_commas);
        for (i, text) in raw.map(str::to_string).chain(literals).enumerate() {
            if text.contains("\"schema_version\"") {
                out.push((format!("{name}, document {i}"), text));
            }
        }
    }
    out
}

#[test]
fn the_schema_is_valid_draft_2020_12_json_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("the schema breaks its meta-schema: {e}");
    }
    validator();
}

#[test]
fn the_sample_validates() {
    assert_valid(&validator(), "the sample", collab_registry::SAMPLE_JSON);
}

#[test]
fn the_readme_example_validates_and_loads() -> Result {
    let text = readme_example();
    Registry::from_json_str(text)?;
    assert_valid(&validator(), "the README's example", text);
    Ok(())
}

#[test]
fn every_document_the_tests_load_validates() {
    let validator = validator();
    let mut loaded = 0;
    for (what, text) in test_documents() {
        if Registry::from_json_str(&text).is_ok() {
            assert_valid(&validator, &what, &text);
            loaded += 1;
        }
    }
    // The file format, lossless and validation tests hold some; the rest
    // build their documents from Rust values, and the property test below
    // covers what changes make.
    assert!(loaded >= 4, "only {loaded} documents found that load");
}

#[test]
fn registries_saved_after_changes_validate() -> Result {
    let validator = validator();
    let mut registry = collab_registry::sample()?;
    let alliance = "northants-leics-notts-alliance";
    registry.amend(
        alliance,
        day(2015, 6, 1),
        AmendmentKind::Variation,
        "A five-year term",
        |t| {
            t.set_term(Some(collab_registry::model::Term::new(5, TermUnit::Years)));
            t.set_end(Some(day(2020, 6, 1)));
        },
    )?;
    registry.renew(alliance, day(2020, 5, 1))?;
    registry.join(
        alliance,
        Membership::new(
            PartyId::new("derbyshire-police")?,
            Role::Member,
            day(2024, 4, 1),
        ),
    )?;
    registry.serve_notice(
        "em-operational-support",
        "lincolnshire-police",
        When::on(day(2026, 9, 1)).entered(day(2026, 9, 3)),
    )?;
    registry.record_review("em-major-crime", Review::new(day(2026, 12, 1)))?;
    registry.amend_party(
        "lincolnshire-pcc",
        day(2024, 5, 9),
        AmendmentKind::Correction,
        "Signs as the commissioner",
        |t| t.signs_as = Some("The Police and Crime Commissioner for Lincolnshire".to_string()),
    )?;
    registry.leave(
        "em-major-crime",
        "derbyshire-police",
        When::on(day(2027, 4, 1)).entered(day(2026, 6, 10)),
    )?;
    let saved = registry.to_json_string();
    assert_valid(&validator, "the sample after changes", &saved);

    // The README's file, renewed, terminated by notice and saved.
    let mut example = Registry::from_json_str(readme_example())?;
    example.set_status("national", Status::UnderReview, day(2022, 1, 1), None)?;
    example.terminate_by("national", day(2023, 1, 1), Ending::AllMembers, None)?;
    let saved = example.to_json_string();
    assert_valid(&validator, "the README's file after changes", &saved);
    Ok(())
}

#[test]
fn null_reads_as_absent_in_the_crate_and_the_schema() -> Result {
    let text = r#"{"schema_version": 2, "name": null, "currency": null,
      "parties": [{"id": "force-a", "name": "Force A", "kind": "police_force", "region": null, "signs_as": null,
                   "identifiers": null, "metrics": null, "illustrative": null}],
      "agreements": null, "bodies": null}"#;
    Registry::from_json_str(text)?;
    assert_valid(&validator(), "a file with nulls", text);
    Ok(())
}

#[test]
fn unknown_fields_are_allowed_at_every_level() -> Result {
    let mut doc: Value = serde_json::from_str(readme_example())?;
    doc["prepared_by"] = "the clerk".into();
    doc["parties"][0]["local_code"] = 42.into();
    doc["agreements"][0]["costs"]["formulas"][0]["formula"]["note"] = "agreed in 2016".into();
    doc["bodies"][0]["seats"][0]["recorded"] =
        serde_json::json!({"from": "2016-04-01", "minute": 7});
    let text = serde_json::to_string(&doc)?;
    Registry::from_json_str(&text)?;
    assert_valid(&validator(), "the README's file with unknown fields", &text);
    Ok(())
}

#[test]
fn every_object_the_reader_knows_has_a_definition_with_exactly_its_fields() {
    let schema = schema();
    let defs = schema["$defs"].as_object().expect("definitions");
    let mut objects = BTreeSet::new();
    for (object, fields) in FIELDS {
        let name = definition_name(object);
        let def = defs
            .get(&name)
            .unwrap_or_else(|| panic!("no definition {name} for the {object}"));
        assert_eq!(def["type"], "object", "{name}");
        let properties: BTreeSet<&str> = def["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has no properties"))
            .keys()
            .map(String::as_str)
            .collect();
        let known: BTreeSet<&str> = fields.iter().copied().collect();
        assert_eq!(properties, known, "the fields of {name}");
        // Unknown fields are kept by the crate, so the schema allows them.
        assert!(def.get("additionalProperties").is_none(), "{name}");
        objects.insert(name);
    }
    // And no definition of an object the reader does not know.
    for (name, def) in defs {
        if def.get("properties").is_some() && def["type"] == "object" {
            assert!(
                objects.contains(name),
                "{name} is not an object the reader knows"
            );
        }
    }
    assert_eq!(schema["$ref"], "#/$defs/document");
}

#[test]
fn the_keywords_are_the_models() {
    fn names<T: std::fmt::Display>(all: &[T]) -> Vec<String> {
        all.iter().map(ToString::to_string).collect()
    }
    let schema = schema();
    let enums = [
        ("party_kind", names(PartyKind::ALL)),
        ("role", names(Role::ALL)),
        ("amendment_kind", names(AmendmentKind::ALL)),
        ("body_kind", names(BodyKind::ALL)),
        ("seat_role", names(SeatRole::ALL)),
        ("review_anchor", names(ReviewAnchor::ALL)),
        ("status", names(Status::ALL)),
        ("legal_basis", names(LegalBasis::ALL)),
        ("function", names(Function::ALL)),
        ("term_unit", names(TermUnit::ALL)),
        ("publication_level", names(PublicationLevel::ALL)),
        ("part_year", names(PartYear::ALL)),
    ];
    for (def, model) in enums {
        let listed: Vec<String> = schema["$defs"][def]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{def} has no enum"))
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        assert_eq!(listed, model, "the {def} keywords");
    }
}

/// A small file the crate loads, with `part` spliced in: a party, an
/// agreement and a body.
fn file(party: &str, agreement: &str, body: &str) -> String {
    format!(
        r#"{{"schema_version": 2, "parties": [{{"id": "force-a", "name": "Force A", "kind": "police_force"{party}}},
  {{"id": "force-b", "name": "Force B", "kind": "police_force"}}],
  "agreements": [{{"id": "dogs", "title": "Dogs", "legal_basis": "other", "start": "2020-04-01",
    "status": [{{"status": "active", "from": "2020-04-01"}}],
    "members": [{{"party": "force-a", "role": "lead", "joined": "2020-04-01"}},
                {{"party": "force-b", "role": "member", "joined": "2020-04-01"}}]{agreement}}}],
  "bodies": [{{"id": "board", "name": "Board", "kind": "joint_committee", "decision_rule": {{"rule": "unanimity"}}{body}}}]}}"#
    )
}

#[test]
#[allow(clippy::too_many_lines, reason = "one case per bad file, in one table")]
fn the_schema_refuses_bad_files_the_crate_refuses() {
    let validator = validator();
    let good = file("", "", "");
    Registry::from_json_str(&good).expect("the base file loads");
    assert_valid(&validator, "the base file", &good);
    let cases: Vec<(&str, String)> = vec![
        (
            "a day not in the calendar",
            file(r#", "entered": "2021-02-30""#, "", ""),
        ),
        ("a month 13", file("", r#", "end": "2021-13-01""#, "")),
        (
            "an unknown party kind",
            file("", "", "").replace("\"kind\": \"police_force\"}", "\"kind\": \"constabulary\"}"),
        ),
        (
            "an unknown function",
            file("", r#", "functions": ["dog_handling"]"#, ""),
        ),
        (
            "an unknown seat role",
            file(
                "",
                "",
                r#", "seats": [{"party": "force-a", "role": "president", "votes": 1}]"#,
            ),
        ),
        (
            "an agreement without a title",
            file("", "", "").replace("\"title\": \"Dogs\", ", ""),
        ),
        (
            "a membership without a role",
            file("", "", "").replace("\"role\": \"member\", ", ""),
        ),
        (
            "a body without a decision rule",
            file("", "", "").replace(", \"decision_rule\": {\"rule\": \"unanimity\"}", ""),
        ),
        (
            "an amount as a JSON number",
            file(
                "",
                r#", "costs": {"budgets": [{"year": "2020/21", "amount": 1200000}]}"#,
                "",
            ),
        ),
        (
            "a financial year of two years",
            file(
                "",
                r#", "costs": {"budgets": [{"year": "2020/22", "amount": "1.00"}]}"#,
                "",
            ),
        ),
        (
            "an id that is not a slug",
            file("", r#", "part_of": "Big Umbrella""#, ""),
        ),
        (
            "a withheld agreement without a reason",
            file("", r#", "publication": {"level": "withheld"}"#, ""),
        ),
        (
            "a metric formula without its metric",
            file(
                "",
                r#", "costs": {"formulas": [{"from": "2020-04-01", "formula": {"kind": "metric"}}]}"#,
                "",
            ),
        ),
        (
            "shares in an equal formula",
            file(
                "",
                r#", "costs": {"formulas": [{"from": "2020-04-01", "formula": {"kind": "equal", "shares": [{"party": "force-a", "percent": "50"}]}}]}"#,
                "",
            ),
        ),
        (
            "a percentage over 100",
            file(
                "",
                r#", "costs": {"assets": [{"name": "Van", "owners": [{"party": "force-a", "percent": "100.5"}]}]}"#,
                "",
            ),
        ),
        (
            "who ended it, on a change that is not a termination",
            file("", "", "").replace(
                r#""from": "2020-04-01"}]"#,
                r#""from": "2020-04-01", "ended_by": "all_members"}]"#,
            ),
        ),
        (
            "not stated beside a stated basis",
            file("", "", "").replace(
                r#""legal_basis": "other""#,
                r#""legal_basis": ["other", "not_stated"]"#,
            ),
        ),
        (
            "a term of 101 years",
            file("", r#", "term": {"length": 101, "unit": "years"}"#, ""),
        ),
        (
            "a review every 0 months",
            file("", r#", "review": {"cadence_months": 0}"#, ""),
        ),
        (
            "a qualified majority without its fraction",
            file("", "", "").replace(
                r#"{"rule": "unanimity"}"#,
                r#"{"rule": "qualified_majority"}"#,
            ),
        ),
        (
            "a fraction written with a colon",
            file("", "", "").replace(
                r#"{"rule": "unanimity"}"#,
                r#"{"rule": "qualified_majority", "at_least": "2:3"}"#,
            ),
        ),
        (
            "a list of reporting lines given as ids",
            file("", "", r#", "reports_to": ["board"]"#),
        ),
        (
            "an amendment of a field that cannot be amended",
            file(
                "",
                r#", "amendments": [{"date": "2021-01-01", "summary": "New start", "changes": [{"field": "start", "before": "2020-04-01", "after": "2020-05-01"}]}]"#,
                "",
            ),
        ),
        (
            "a schema version 3",
            file("", "", "").replace("\"schema_version\": 2", "\"schema_version\": 3"),
        ),
    ];
    for (what, text) in cases {
        let err = Registry::from_json_str(&text)
            .err()
            .unwrap_or_else(|| panic!("the crate loads {what}"));
        assert_eq!(err.kind(), ErrorKind::Invalid, "{what}: {err}");
        assert!(
            !problems(&validator, &text).is_empty(),
            "the schema accepts {what}"
        );
    }
}

#[test]
fn the_schema_says_what_it_cannot_check() {
    let schema = schema();
    let description = schema["description"].as_str().expect("a description");
    for limit in [
        "cross references",
        "adding up to exactly 100",
        "the lifecycle",
        "no cycles",
        "amendment chains",
        "a key given twice",
    ] {
        assert!(
            description.contains(limit),
            "the description names {limit:?}"
        );
    }
}

/// One change the property test tries on the sample.
#[derive(Debug, Clone)]
enum Step {
    Join(usize, usize, usize, u32),
    Leave(usize, usize, u32),
    Notice(usize, usize, u32),
    Status(usize, usize, u32),
    Review(usize, u32),
    Title(usize, String, u32),
    Budget(usize, i32, i64, u32),
    Rename(usize, String, u32),
}

const AGREEMENTS: [&str; 4] = [
    "em-major-crime",
    "em-learning-development",
    "northamptonshire-enabling-services",
    "bch-strategic-alliance",
];
const PARTIES: [&str; 4] = [
    "derbyshire-police",
    "lincolnshire-police",
    "bedfordshire-police",
    "northamptonshire-fire",
];

/// A day from 2012 to about 2030.
fn on(offset: u32) -> NaiveDate {
    day(2012, 1, 1) + chrono::Days::new(u64::from(offset % 6800))
}

fn step() -> impl Strategy<Value = Step> {
    let (a, p) = (0..AGREEMENTS.len(), 0..PARTIES.len());
    // Text with the characters that break formats: quotes, markup, commas, pipes, line breaks.
    let text = "[A-Za-z \"<>&,|\\\n'=@é—]{1,24}";
    prop_oneof![
        (a.clone(), p.clone(), 0..Role::ALL.len(), any::<u32>())
            .prop_map(|(a, p, r, d)| Step::Join(a, p, r, d)),
        (a.clone(), p.clone(), any::<u32>()).prop_map(|(a, p, d)| Step::Leave(a, p, d)),
        (a.clone(), p.clone(), any::<u32>()).prop_map(|(a, p, d)| Step::Notice(a, p, d)),
        (a.clone(), 0..Status::ALL.len(), any::<u32>()).prop_map(|(a, s, d)| Step::Status(a, s, d)),
        (a.clone(), any::<u32>()).prop_map(|(a, d)| Step::Review(a, d)),
        (a.clone(), text, any::<u32>()).prop_map(|(a, t, d)| Step::Title(a, t, d)),
        (a, 2012i32..2030, 0i64..10_000_000_000, any::<u32>())
            .prop_map(|(a, y, m, d)| Step::Budget(a, y, m, d)),
        (p, text, any::<u32>()).prop_map(|(p, t, d)| Step::Rename(p, t, d)),
    ]
}

/// Tries `step`; a refused one changes nothing.
fn attempt(registry: &mut Registry, step: Step) -> std::result::Result<(), collab_registry::Error> {
    match step {
        Step::Join(a, p, r, d) => {
            let party = PartyId::new(PARTIES[p]).expect("a slug");
            let role = Role::ALL.get(r).copied().unwrap_or(Role::Member);
            registry.join(AGREEMENTS[a], Membership::new(party, role, on(d)))
        }
        Step::Leave(a, p, d) => registry.leave(AGREEMENTS[a], PARTIES[p], on(d)),
        Step::Notice(a, p, d) => registry
            .serve_notice(AGREEMENTS[a], PARTIES[p], on(d))
            .map(|_| ()),
        Step::Status(a, s, d) => {
            let status = Status::ALL.get(s).copied().unwrap_or(Status::Active);
            registry.set_status(AGREEMENTS[a], status, on(d), None)
        }
        Step::Review(a, d) => registry.record_review(AGREEMENTS[a], Review::new(on(d))),
        Step::Title(a, title, d) => registry
            .amend(
                AGREEMENTS[a],
                on(d),
                AmendmentKind::Variation,
                "Retitled",
                |t| t.set_title(title),
            )
            .map(|_| ()),
        Step::Budget(a, y, minor, d) => {
            let year = FinancialYear::starting(y).expect("a year");
            registry
                .amend(
                    AGREEMENTS[a],
                    on(d),
                    AmendmentKind::Variation,
                    "Budget",
                    |t| {
                        t.costs_mut()
                            .set_budget(Budget::new(year, Money::from_minor(minor, Currency::GBP)));
                    },
                )
                .map(|_| ())
        }
        Step::Rename(p, name, d) => registry.amend_party(
            PARTIES[p],
            on(d),
            AmendmentKind::Variation,
            "Renamed",
            |t| t.name = name,
        ),
    }
}

/// The validator, compiled once for all the cases.
fn shared_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(validator)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(debug_assertions) { 48 } else { 400 }))]

    /// Whatever changes are made, the file the registry saves validates:
    /// nothing a change accepts is something the schema refuses.
    #[test]
    fn registries_saved_after_random_changes_validate(steps in proptest::collection::vec(step(), 1..16)) {
        let mut registry = collab_registry::sample().expect("the sample loads");
        let mut accepted = 0;
        for s in steps {
            if attempt(&mut registry, s).is_ok() {
                accepted += 1;
            }
        }
        let saved = registry.to_json_string();
        let found = problems(shared_validator(), &saved);
        prop_assert!(found.is_empty(), "after {} changes the saved file breaks the schema:\n{}", accepted, found.join("\n"));
    }
}
