//! The file format: round trips are byte-identical, files are read from
//! text, bytes, readers and paths and saved whole, and text that is not a
//! registry document is refused with where and why.

use chrono::NaiveDate;
use collab_registry::{Error, ErrorKind, ProblemCode, Registry, SAMPLE_JSON};
use serde_json::json;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

/// The one problem of a refused load, with the error's kind.
fn refusal(result: Result<Registry, Error>) -> (ErrorKind, ProblemCode, String, String) {
    let err = result.expect_err("the load should be refused");
    let problems = err.problems();
    assert_eq!(problems.len(), 1, "{err}");
    let p = &problems[0];
    (
        err.kind(),
        p.code(),
        p.path().to_string(),
        p.message().to_string(),
    )
}

/// A folder of its own for a test's files, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("collab-registry-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_sample_round_trips_byte_for_byte() -> Result<(), Error> {
    let registry = Registry::from_json_str(SAMPLE_JSON)?;
    let written = registry.to_json_string();
    assert_eq!(
        written, SAMPLE_JSON,
        "the shipped sample is in canonical form"
    );
    assert_eq!(registry.to_json_bytes(), SAMPLE_JSON.as_bytes());
    let again = Registry::from_json_str(&written)?;
    assert_eq!(again.to_json_string(), written);
    Ok(())
}

#[test]
fn amounts_are_read_and_written_exactly() -> Result<(), Box<dyn std::error::Error>> {
    let registry = collab_registry::sample()?;
    let bch = registry.agreement("bch-strategic-alliance")?;
    let target = bch.terms().costs().savings.target.ok_or("no target")?;
    assert_eq!(target.minor_units(), 6_110_000_000);
    assert_eq!(target.to_string(), "61100000.00");
    let out: serde_json::Value = serde_json::from_str(&registry.to_json_string())?;
    let written = out["agreements"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == "bch-strategic-alliance"))
        .map(|a| a["costs"]["savings"]["target"].clone());
    assert_eq!(written, Some(json!("61100000.00")));
    Ok(())
}

#[test]
fn reading_from_bytes_a_reader_and_a_path_and_saving() -> Result<(), Box<dyn std::error::Error>> {
    let from_bytes = Registry::from_slice(SAMPLE_JSON.as_bytes())?;
    assert_eq!(from_bytes.to_json_string(), SAMPLE_JSON);
    let from_reader = Registry::from_reader(SAMPLE_JSON.as_bytes())?;
    assert_eq!(from_reader.to_json_string(), SAMPLE_JSON);

    let dir = TempDir::new("save");
    let path = dir.0.join("registry.json");
    from_reader.save(&path)?;
    let names: Vec<String> = std::fs::read_dir(&dir.0)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    assert_eq!(
        names,
        ["registry.json"],
        "the temporary file is renamed away"
    );
    let loaded = Registry::load(&path)?;
    assert_eq!(loaded.to_json_string(), SAMPLE_JSON);

    // Saving over a file replaces it whole.
    let empty = Registry::from_json_str("{\"schema_version\": 2}")?;
    empty.save(&path)?;
    assert_eq!(std::fs::read_to_string(&path)?, empty.to_json_string());
    Ok(())
}

#[test]
fn a_missing_file_names_its_path() {
    let err = Registry::load("/no/such/dir/registry.json").expect_err("no such file");
    assert_eq!(err.kind(), ErrorKind::Io);
    assert_eq!(
        err.path().map(|p| p.to_string_lossy().into_owned()),
        Some("/no/such/dir/registry.json".to_string())
    );
    assert!(
        err.to_string().contains("/no/such/dir/registry.json"),
        "{err}"
    );
}

#[test]
fn a_file_that_breaks_the_rules_names_its_path_too() -> Result<(), Box<dyn std::error::Error>> {
    let dir = TempDir::new("invalid");
    let path = dir.0.join("registry.json");
    std::fs::write(&path, "{\"schema_version\": 9}")?;
    let err = Registry::load(&path).expect_err("version 9 is refused");
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.path(), Some(path.as_path()));
    assert_eq!(err.problems()[0].code(), ProblemCode::SchemaVersion);
    Ok(())
}

#[test]
fn a_folder_is_not_saved_over() -> Result<(), Box<dyn std::error::Error>> {
    let dir = TempDir::new("folder");
    let err = collab_registry::sample()?
        .save(&dir.0)
        .expect_err("a folder is refused");
    assert_eq!(err.kind(), ErrorKind::Io);
    assert_eq!(err.path(), Some(dir.0.as_path()));
    assert_eq!(
        std::fs::read_dir(&dir.0)?.count(),
        0,
        "nothing is left behind"
    );
    Ok(())
}

#[test]
fn an_empty_registry_is_valid_and_writes_the_minimal_document() -> Result<(), Error> {
    let registry = Registry::from_json_str("{\"schema_version\": 2}")?;
    assert_eq!(registry.parties().len(), 0);
    let minimal = "{\n  \"schema_version\": 2,\n  \"currency\": \"GBP\",\n  \"parties\": [],\n  \"agreements\": [],\n  \"bodies\": []\n}\n";
    assert_eq!(registry.to_json_string(), minimal);
    assert_eq!(Registry::from_json_str(minimal)?.to_json_string(), minimal);
    assert_eq!(Registry::default().to_json_string(), minimal);
    Ok(())
}

#[test]
fn the_error_display_lists_every_problem_with_its_path() {
    let text = r#"{"schema_version": 2, "parties": [{"id": "a", "name": "A", "kind": "police_force", "overseen_by": [{"by": "b"}]}],
        "agreements": [{"id": "x", "title": "X", "legal_basis": "contract", "start": "2020-01-01", "status": [], "members": []}]}"#;
    let err = Registry::from_json_str(text).expect_err("two problems");
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.problems().len(), 2);
    let shown = err.to_string();
    assert!(
        shown.starts_with("the registry document breaks 2 rule(s):"),
        "{shown}"
    );
    assert!(
        shown.contains("\n  agreements[0].status: needs at least one dated status"),
        "{shown}"
    );
    assert!(
        shown.contains("\n  parties[0].overseen_by[0].by: unknown party \"b\""),
        "{shown}"
    );
}

#[test]
fn the_readme_example_document_loads() -> Result<(), Box<dyn std::error::Error>> {
    let readme = include_str!("../README.md");
    let start = readme.find("```json\n").ok_or("no json block")? + "```json\n".len();
    let end = start + readme[start..].find("```").ok_or("unterminated block")?;
    let registry = Registry::from_json_str(&readme[start..end])?;
    let before = registry.as_of(day(2020, 6, 1)).agreement("dogs")?;
    assert!(before.is_member("force-b") && before.in_force());
    let after = registry.as_of(day(2021, 4, 1)).agreement("dogs")?;
    assert!(!after.is_member("force-b"));
    assert!(
        after.has_ended(),
        "Force B withdrew and the agreement ended"
    );
    Ok(())
}

// ---- what is not a registry document ----

#[test]
fn a_byte_order_mark_is_refused_by_name() {
    let text = format!("\u{feff}{SAMPLE_JSON}");
    let (kind, code, path, message) = refusal(Registry::from_json_str(&text));
    assert_eq!(
        (kind, code, path.as_str()),
        (ErrorKind::Syntax, ProblemCode::Syntax, "$")
    );
    assert!(message.contains("byte order mark"), "{message}");
    assert!(message.contains("byte 0"), "{message}");
}

#[test]
fn invalid_utf8_gives_the_byte_offset() {
    let mut bytes = b"{\"schema_version\": 2, \"name\": \"caf".to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"\xe9\"}");
    let (kind, code, _, message) = refusal(Registry::from_slice(&bytes));
    assert_eq!((kind, code), (ErrorKind::Syntax, ProblemCode::Syntax));
    assert!(message.contains("invalid UTF-8"), "{message}");
    assert!(message.contains(&format!("byte {offset}")), "{message}");
    // From a reader, the same.
    let (kind, _, _, message) = refusal(Registry::from_reader(&bytes[..]));
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(message.contains(&format!("byte {offset}")), "{message}");
}

#[test]
fn a_duplicate_key_gives_its_path() {
    let text = r#"{"schema_version": 2, "agreements": [
        {"id": "x", "title": "X", "title": "Y", "legal_basis": "contract", "start": "2020-01-01",
         "status": [{"status": "proposed", "from": "2020-01-01"}], "members": []}]}"#;
    let (kind, code, path, message) = refusal(Registry::from_json_str(text));
    assert_eq!((kind, code), (ErrorKind::Syntax, ProblemCode::Syntax));
    assert_eq!(path, "agreements[0].title");
    assert!(message.contains("duplicate key \"title\""), "{message}");
    assert!(message.contains("line 2"), "{message}");
    // At the top level as well.
    let (_, _, path, _) = refusal(Registry::from_json_str(
        "{\"schema_version\": 2, \"schema_version\": 2}",
    ));
    assert_eq!(path, "schema_version");
}

#[test]
fn deep_nesting_is_refused_with_a_document_path() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let text = format!(
        "{{\"schema_version\": 2, \"parties\": [{{\"id\": \"a\", \"name\": \"A\", \"kind\": \"other\", \"notes\": {deep}}}]}}"
    );
    let (kind, code, path, message) = refusal(Registry::from_json_str(&text));
    assert_eq!((kind, code), (ErrorKind::Syntax, ProblemCode::Syntax));
    assert!(path.starts_with("parties[0].notes[0][0]"), "{path}");
    assert!(
        message.contains("nested more than 128 levels deep"),
        "{message}"
    );
    // Just inside the bound, an unknown field is kept.
    let shallow = format!("{}{}", "[".repeat(120), "]".repeat(120));
    let text = text.replace(&deep, &shallow);
    let registry = Registry::from_json_str(&text).expect("120 levels load");
    assert!(registry.to_json_string().contains("\"notes\": [\n"));
}

#[test]
fn other_syntax_errors_give_line_column_and_path() {
    for (text, path, what) in [
        ("", "$", "no value"),
        ("{\"schema_version\": 2,}", "$", "expected a key"),
        (
            "{\"schema_version\": 2, \"name\": 'x'}",
            "name",
            "JSON strings need double quotes",
        ),
        (
            "{\"schema_version\": 2} {}",
            "$",
            "unexpected characters after the value",
        ),
        (
            "{\"schema_version\": 02}",
            "schema_version",
            "invalid number",
        ),
        (
            "{\"schema_version\": 2, \"parties\": [{\"id\": \"a\\x\"}]}",
            "parties[0].id",
            "invalid escape",
        ),
    ] {
        let (kind, code, found, message) = refusal(Registry::from_json_str(text));
        assert_eq!(
            (kind, code),
            (ErrorKind::Syntax, ProblemCode::Syntax),
            "{text}"
        );
        assert_eq!(found, path, "{text}: {message}");
        assert!(message.contains(what), "{text}: {message}");
        assert!(message.contains("(line 1, column "), "{text}: {message}");
    }
}

// ---- versions ----

#[test]
fn a_version_1_file_loads_and_saves_as_version_2() -> Result<(), Box<dyn std::error::Error>> {
    let v1 = r#"{"schema_version": 1, "parties": [
        {"id": "a", "name": "A", "kind": "police_force"}, {"id": "b", "name": "B", "kind": "police_force"}],
      "agreements": [{"id": "x", "title": "X", "legal_basis": "contract", "start": "2020-04-01",
        "status": [{"status": "active", "from": "2020-04-01"}],
        "members": [{"party": "a", "role": "lead", "joined": "2020-04-01"}, {"party": "b", "role": "member", "joined": "2020-04-01"}],
        "leaving": {"notice_months": 6, "part_year": "pro_rata_by_months"},
        "costs": {"budgets": [{"year": "2020/21", "amount": "100.00"}],
                  "formulas": [{"from": "2020-04-01", "formula": {"kind": "equal"}}]}}]}"#;
    let registry = Registry::from_json_str(v1)?;
    let written = registry.to_json_string();
    assert!(
        written.starts_with("{\n  \"schema_version\": 2,"),
        "{written}"
    );
    let out: serde_json::Value = serde_json::from_str(&written)?;
    let x = &out["agreements"][0];
    assert_eq!(x["leaving"], json!({"notice_months": 6}));
    assert_eq!(x["costs"]["part_year"], json!("pro_rata_by_months"));
    assert_eq!(Registry::from_json_str(&written)?.to_json_string(), written);
    Ok(())
}

#[test]
fn an_unknown_schema_version_is_refused() {
    for version in ["0", "3", "1.0", "\"2\"", "null", "-1"] {
        let text = format!("{{\"schema_version\": {version}}}");
        let (kind, code, path, message) = refusal(Registry::from_json_str(&text));
        assert_eq!(
            (kind, code),
            (ErrorKind::Invalid, ProblemCode::SchemaVersion),
            "{version}"
        );
        assert_eq!(path, "schema_version");
        let expected = if version == "null" {
            "is required".to_string()
        } else {
            format!("unsupported schema version {version}: this crate reads versions 1 and 2")
        };
        assert!(message.contains(&expected), "{message}");
    }
    assert_eq!(collab_registry::SCHEMA_VERSION, 2);
}
