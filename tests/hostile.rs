//! The hostile corpus: every file in `tests/hostile/` is refused with the
//! error kind, problem code and document path `tests/hostile/expected.tsv`
//! gives it, whether read from a path, from bytes or from a reader, and
//! refusing it never panics. Files too big to keep in the repository (a
//! 50 MB string, a million agreements' worth of nesting) are made here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use collab_registry::{Error, ErrorKind, Registry};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");

/// One line of the manifest.
struct Expected {
    file: String,
    kind: String,
    code: String,
    path: String,
}

fn manifest() -> Vec<Expected> {
    let text = std::fs::read_to_string(Path::new(DIR).join("expected.tsv")).expect("the manifest");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            let mut next = || cols.next().expect("four columns").to_string();
            Expected {
                file: next(),
                kind: next(),
                code: next(),
                path: next(),
            }
        })
        .collect()
}

/// Checks `err` is of `kind` and lists a problem with `code` at `path`.
fn check(err: &Error, e: &Expected) {
    assert_eq!(err.kind().code(), e.kind, "{}: {err}", e.file);
    assert!(
        err.problems()
            .iter()
            .any(|p| p.code().as_str() == e.code && p.path() == e.path),
        "{}: expected {} at {}, got {err}",
        e.file,
        e.code,
        e.path
    );
    // The message names the path, so a person reading it finds the place.
    assert!(err.to_string().contains(&e.path), "{}: {err}", e.file);
}

#[test]
fn every_hostile_file_is_refused_with_its_kind_code_and_path() {
    let expected = manifest();
    assert!(
        expected.len() >= 60,
        "the corpus holds {} files",
        expected.len()
    );
    for e in &expected {
        let path: PathBuf = Path::new(DIR).join(&e.file);
        let bytes = std::fs::read(&path).expect("a corpus file");
        let from_path = Registry::load(&path).map(|_| ()).expect_err(&e.file);
        check(&from_path, e);
        let from_bytes = Registry::from_slice(&bytes).map(|_| ()).expect_err(&e.file);
        check(&from_bytes, e);
        let from_reader = Registry::from_reader(bytes.as_slice())
            .map(|_| ())
            .expect_err(&e.file);
        check(&from_reader, e);
    }
    println!("{} hostile files refused as expected", expected.len());
}

#[test]
fn every_file_in_the_corpus_is_in_the_manifest() {
    let listed: BTreeSet<String> = manifest().into_iter().map(|e| e.file).collect();
    let present: BTreeSet<String> = std::fs::read_dir(DIR)
        .expect("the corpus")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name != "expected.tsv")
        .collect();
    assert_eq!(listed, present);
}

/// A minimal valid registry whose one party's name is `name`.
fn with_name(name: &str) -> String {
    format!(
        r#"{{"schema_version": 2, "parties": [{{"id": "a", "name": "{name}", "kind": "police_force"}}]}}"#
    )
}

#[test]
fn a_fifty_megabyte_string_is_refused_at_its_path() {
    let text = with_name(&"x".repeat(50 << 20));
    let err = Registry::from_json_str(&text)
        .map(|_| ())
        .expect_err("too long");
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert_eq!(err.problems()[0].path(), "parties[0].name");
    assert!(
        err.to_string()
            .contains("a string longer than 1048576 bytes"),
        "{err}"
    );
    // One mebibyte is the bound: a string of exactly that length loads.
    let at_bound = with_name(&"y".repeat(1 << 20));
    assert!(Registry::from_json_str(&at_bound).is_ok());
}

#[test]
fn nesting_beyond_the_bound_is_refused_however_deep() {
    for depth in [129, 10_000, 1_000_000] {
        let text = format!(
            r#"{{"schema_version": 2, "x": {}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let err = Registry::from_json_str(&text)
            .map(|_| ())
            .expect_err("too deep");
        assert_eq!(err.kind(), ErrorKind::Syntax);
        assert!(
            err.to_string().contains("nested more than 128 levels deep"),
            "{err}"
        );
    }
    // 128 levels (the document itself is the first) load.
    let text = format!(
        r#"{{"schema_version": 2, "x": {}{}}}"#,
        "[".repeat(127),
        "]".repeat(127)
    );
    assert!(Registry::from_json_str(&text).is_ok());
}
