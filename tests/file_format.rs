//! The file format: round trips are byte-identical, unknown fields survive,
//! and files are read from text, readers and paths and saved atomically.

use collab_registry::{LoadError, Registry, SAMPLE_JSON};
use serde_json::{Value, json};

#[test]
fn the_sample_round_trips_byte_for_byte() -> Result<(), LoadError> {
    let registry = Registry::from_json_str(SAMPLE_JSON)?;
    let written = registry.to_json_string();
    assert_eq!(
        written, SAMPLE_JSON,
        "the shipped sample is in canonical form"
    );
    let again = Registry::from_json_str(&written)?;
    assert_eq!(again.to_json_string(), written);
    Ok(())
}

#[test]
fn unknown_fields_are_kept_at_every_level() -> Result<(), Box<dyn std::error::Error>> {
    let mut doc: Value = serde_json::from_str(SAMPLE_JSON)?;
    doc["publisher"] = json!({"name": "Regional programme team", "licence": "OGL-3.0"});
    doc["parties"][0]["website"] = json!("https://example.org");
    doc["agreements"][1]["sharepoint_ref"] = json!(["LEGAL", 42, null]);
    doc["agreements"][1]["members"][0]["cost_centre"] = json!("CC-7");
    doc["agreements"][1]["status"][0]["minute"] = json!("JMB/2012/04");
    doc["bodies"][0]["meets"] = json!("quarterly");
    let registry = Registry::from_json_str(&doc.to_string())?;
    let out: Value = serde_json::from_str(&registry.to_json_string())?;
    assert_eq!(out["publisher"]["licence"], "OGL-3.0");
    assert_eq!(out["parties"][0]["website"], "https://example.org");
    assert_eq!(
        out["agreements"][1]["sharepoint_ref"],
        json!(["LEGAL", 42, null])
    );
    assert_eq!(out["agreements"][1]["members"][0]["cost_centre"], "CC-7");
    assert_eq!(out["agreements"][1]["status"][0]["minute"], "JMB/2012/04");
    assert_eq!(out["bodies"][0]["meets"], "quarterly");
    // And the whole document is unchanged apart from key order.
    assert_eq!(out, doc);
    Ok(())
}

#[test]
fn amounts_are_read_and_written_exactly() -> Result<(), Box<dyn std::error::Error>> {
    let registry = collab_registry::sample()?;
    let bch = registry.agreement("bch-strategic-alliance")?;
    let target = bch.costs.savings.target.ok_or("no target")?;
    assert_eq!(target.minor_units(), 6_110_000_000);
    assert_eq!(target.to_string(), "61100000.00");
    let out: Value = serde_json::from_str(&registry.to_json_string())?;
    let written = out["agreements"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == "bch-strategic-alliance"))
        .map(|a| a["costs"]["savings"]["target"].clone());
    assert_eq!(written, Some(json!("61100000.00")));
    Ok(())
}

#[test]
fn reading_from_a_reader_and_a_path_and_saving_atomically() -> Result<(), Box<dyn std::error::Error>>
{
    let from_reader = Registry::from_reader(SAMPLE_JSON.as_bytes())?;
    assert_eq!(from_reader.to_json_string(), SAMPLE_JSON);

    let dir = std::env::temp_dir().join(format!("collab-registry-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("registry.json");
    from_reader.save(&path)?;
    assert!(
        !dir.join("registry.json.tmp").exists(),
        "the temporary file is renamed away"
    );
    let loaded = Registry::load(&path)?;
    assert_eq!(loaded.to_json_string(), SAMPLE_JSON);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[test]
fn a_missing_file_names_its_path() {
    let err = Registry::load("/no/such/dir/registry.json");
    match err {
        Err(LoadError::Io { path, .. }) => {
            assert_eq!(path.to_string_lossy(), "/no/such/dir/registry.json")
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn an_empty_registry_is_valid_and_writes_the_minimal_document() -> Result<(), LoadError> {
    let text = "{\"schema_version\": 1}";
    let registry = Registry::from_json_str(text)?;
    assert_eq!(registry.parties().len(), 0);
    assert_eq!(
        registry.to_json_string(),
        "{\n  \"schema_version\": 1,\n  \"currency\": \"GBP\",\n  \"parties\": [],\n  \"agreements\": [],\n  \"bodies\": []\n}\n"
    );
    Ok(())
}

#[test]
fn the_error_display_lists_every_problem_with_its_path() {
    let text = r#"{"schema_version": 1, "parties": [{"id": "a", "name": "A", "kind": "police_force", "overseen_by": [{"by": "b"}]}],
        "agreements": [{"id": "x", "title": "X", "legal_basis": "contract", "start": "2020-01-01", "status": [], "members": []}]}"#;
    let err = Registry::from_json_str(text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("the registry document has 2 problem(s):"),
        "{err}"
    );
    assert!(
        err.contains("parties[0].overseen_by[0].by: unknown party \"b\""),
        "{err}"
    );
    assert!(
        err.contains("agreements[0].status: needs at least one dated status"),
        "{err}"
    );
}

#[test]
fn the_readme_example_document_loads() -> Result<(), Box<dyn std::error::Error>> {
    let readme = include_str!("../README.md");
    let start = readme.find("```json\n").ok_or("no json block")? + "```json\n".len();
    let end = start + readme[start..].find("```").ok_or("unterminated block")?;
    let registry = Registry::from_json_str(&readme[start..end])?;
    let dogs = registry.agreement("dogs")?;
    let on = chrono::NaiveDate::from_ymd_opt(2021, 4, 1).ok_or("date")?;
    assert!(!dogs.is_member("force-b", on));
    assert_eq!(
        registry.signatories("dogs", on)?.len(),
        2,
        "force-a and its commissioner"
    );
    Ok(())
}
