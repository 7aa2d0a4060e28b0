//! The README's registry files load, and its file format section names
//! every field the crate knows.

use collab_registry::Registry;

const README: &str = include_str!("../README.md");

/// The text of each fenced block of `lang` in the README.
fn blocks(lang: &str) -> Vec<&'static str> {
    let fence = format!("```{lang}\n");
    README
        .split(fence.as_str())
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect()
}

#[test]
fn every_registry_file_in_the_readme_loads_and_saves_what_it_read() {
    let files: Vec<&str> = blocks("json")
        .into_iter()
        .filter(|b| b.contains("\"schema_version\""))
        .collect();
    assert!(!files.is_empty(), "the README shows a registry file");
    for text in files {
        let registry = Registry::from_json_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let again = Registry::from_json_str(&registry.to_json_string())
            .unwrap_or_else(|e| panic!("the saved copy does not load: {e}"));
        assert_eq!(again.to_json_string(), registry.to_json_string());
    }
}

#[test]
fn the_file_format_section_names_every_field_of_every_object() {
    let section = README
        .split("## The file format")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a file format section");
    // Every field name the reader knows, as the file writes it.
    let fields = collab_registry::format::FIELDS
        .iter()
        .flat_map(|(_, fields)| fields.iter().copied());
    for field in fields {
        assert!(
            section.contains(&format!("`{field}`")) || section.contains(&format!("\"{field}\"")),
            "the file format section does not name {field:?}"
        );
    }
}
