//! The `query` example as a reporting service runs it: questions asked on the
//! command line, answers read from standard output, failures told by the
//! exit status and standard error.
//!
//! The example is built once per run with `cargo build --example query`; its
//! path is read from cargo's own artifact message rather than guessed from
//! the target directory's layout.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The example's executable, built on first use.
fn query_exe() -> Result<&'static Path, String> {
    static EXE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    EXE.get_or_init(build_example)
        .as_ref()
        .map(PathBuf::as_path)
        .map_err(Clone::clone)
}

fn build_example() -> Result<PathBuf, String> {
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--quiet", "--example", "query"])
        .arg("--message-format=json-render-diagnostics");
    // Build in the profile the tests run in, so a release run builds no
    // second copy of the crate.
    if !cfg!(debug_assertions) {
        cargo.arg("--release");
    }
    let out = cargo
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo build --example query failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "query")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo reported no executable for the query example".to_string())
}

/// Runs the example with `args`; exit code, standard output, standard error.
fn query(args: &[&str]) -> Result<(i32, String, String), Box<dyn std::error::Error>> {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(query_exe()?).args(args).output()?;
    let code = status.code().ok_or("the example was killed by a signal")?;
    Ok((code, String::from_utf8(stdout)?, String::from_utf8(stderr)?))
}

/// A file under cargo's scratch directory for integration tests.
fn scratch(name: &str, text: &str) -> Result<PathBuf, std::io::Error> {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text)?;
    Ok(path)
}

#[test]
fn who_is_in_operational_support_the_day_derbyshire_left_as_json() -> TestResult {
    let (code, out, err) = query(&[
        "members-of",
        "em-operational-support",
        "--as-of",
        "2016-04-01",
        "--json",
    ])?;
    assert_eq!((code, err.as_str()), (0, ""));
    let answer: serde_json::Value = serde_json::from_str(&out)?;
    let members: Vec<&str> = answer["members"]
        .as_array()
        .ok_or("no members array")?
        .iter()
        .filter_map(|m| m["party"].as_str())
        .collect();
    // The host first, then by id; Derbyshire is out from 1 April 2016.
    assert_eq!(
        members,
        [
            "northamptonshire-police",
            "leicestershire-police",
            "lincolnshire-police",
            "nottinghamshire-police"
        ]
    );
    Ok(())
}

#[test]
fn northamptonshire_polices_partners_print_as_an_aligned_table() -> TestResult {
    let (code, out, _) = query(&[
        "partners-of",
        "northamptonshire-police",
        "--as-of",
        "2021-04-01",
    ])?;
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some("Partners of Northamptonshire Police as of 2021-04-01 (in force)")
    );
    // Header, rule, then one row per partner, most shared first.
    let header = lines.get(1).ok_or("no header")?;
    let shared_at = header.find("shared").ok_or("no shared column")?;
    let rows = &lines[3..];
    let partners: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            let party = r.split_whitespace().next().unwrap_or("");
            let shared = r.get(shared_at..).and_then(|s| s.split_whitespace().next());
            (party, shared.unwrap_or(""))
        })
        .collect();
    assert_eq!(
        partners,
        [
            ("leicestershire-police", "4"),
            ("nottinghamshire-police", "4"),
            ("lincolnshire-police", "3"),
            ("derbyshire-police", "2"),
            ("northamptonshire-fire", "2"),
        ]
    );
    Ok(())
}

#[test]
fn a_registry_file_named_first_is_the_one_asked() -> TestResult {
    // The sample, except that Lincolnshire leaves operational support in 2020.
    let mut doc: serde_json::Value = serde_json::from_str(collab_registry::SAMPLE_JSON)?;
    let members = doc["agreements"]
        .as_array_mut()
        .and_then(|a| a.iter_mut().find(|a| a["id"] == "em-operational-support"))
        .and_then(|a| a["members"].as_array_mut())
        .ok_or("no em-operational-support in the sample")?;
    let lincs = members
        .iter_mut()
        .find(|m| m["party"] == "lincolnshire-police")
        .ok_or("Lincolnshire is not in operational support")?;
    lincs["notice_served"] = "2019-04-01".into();
    lincs["left"] = "2020-04-01".into();
    let path = scratch("query-cli-lincs-left.json", &serde_json::to_string(&doc)?)?;
    let file = path.to_str().ok_or("scratch path is not UTF-8")?;

    let three = |args: &[&str]| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let (code, out, err) = query(args)?;
        assert_eq!((code, err.as_str()), (0, ""));
        let answer: serde_json::Value = serde_json::from_str(&out)?;
        Ok(answer
            .as_array()
            .ok_or("not a list")?
            .iter()
            .filter_map(|a| a["agreement"].as_str().map(String::from))
            .collect())
    };
    let asked = ["with-exactly", "3", "--as-of", "2021-04-01", "--json"];
    let in_sample = three(&asked)?;
    let in_file = three(&[&[file][..], &asked[..]].concat())?;
    assert_eq!(
        in_sample,
        [
            "bch-operational-support",
            "bch-strategic-alliance",
            "em-learning-development",
            "northants-leics-notts-alliance"
        ]
    );
    // The file's operational support is down to three members.
    assert_eq!(
        in_file,
        [
            "bch-operational-support",
            "bch-strategic-alliance",
            "em-learning-development",
            "em-operational-support",
            "northants-leics-notts-alliance"
        ]
    );
    Ok(())
}

#[test]
fn a_bad_file_is_refused_with_every_problem_and_its_path() -> TestResult {
    let mut doc: serde_json::Value = serde_json::from_str(collab_registry::SAMPLE_JSON)?;
    doc["parties"][0]["kind"] = "wizard".into();
    doc["agreements"][1]["members"][0]["party"] = "nobody".into();
    let path = scratch("query-cli-bad.json", &serde_json::to_string(&doc)?)?;
    let file = path.to_str().ok_or("scratch path is not UTF-8")?;

    let (code, out, err) = query(&[file, "groups", "--as-of", "2021-04-01"])?;
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("2 problem(s)"), "{err}");
    assert!(
        err.contains("parties[0].kind: unknown party kind \"wizard\""),
        "{err}"
    );
    assert!(
        err.contains("agreements[1].members[0].party: unknown party \"nobody\""),
        "{err}"
    );
    Ok(())
}

#[test]
fn an_unknown_party_a_bad_date_and_an_unknown_question_each_fail_clearly() -> TestResult {
    let (code, out, err) = query(&["agreements-of", "nobody", "--as-of", "2021-04-01"])?;
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(err.trim_end(), "error: unknown party \"nobody\"");

    let (code, out, err) = query(&["groups", "--as-of", "2021-02-30"])?;
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("invalid date \"2021-02-30\""), "{err}");

    let (code, out, err) = query(&["frobnicate", "--as-of", "2021-04-01"])?;
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("unknown question \"frobnicate\""), "{err}");
    Ok(())
}

#[test]
fn a_weighted_board_decides_by_each_voters_apportioned_share_of_a_year() -> TestResult {
    // The operational delivery board governs three budgeted collaborations,
    // £56m in 2021/22: Derbyshire pays 8,403,846.15 and Leicestershire and
    // Lincolnshire 11,250,000.00 each, 30,903,846.15 in all, over half.
    let (code, out, err) = query(&[
        "decide",
        "em-operational-delivery-board",
        "derbyshire-police=for",
        "leicestershire-police=for",
        "lincolnshire-police=for",
        "--year",
        "2021/22",
        "--as-of",
        "2021-06-01",
        "--json",
    ])?;
    assert_eq!((code, err.as_str()), (0, ""));
    let answer: serde_json::Value = serde_json::from_str(&out)?;
    assert_eq!(answer["passes"], true);
    assert_eq!(answer["in_favour"], 3_090_384_615_u64);
    assert_eq!(answer["total"], 5_600_000_000_u64);
    assert_eq!(answer["needed"], 2_800_000_000_u64);

    let (code, _, err) = query(&[
        "decide",
        "em-operational-delivery-board",
        "derbyshire-police=for",
        "--year",
        "2021/22",
        "--share",
        "derbyshire-police=1.00",
    ])?;
    assert_eq!(code, 2);
    assert!(err.contains("either --year or --share"), "{err}");
    Ok(())
}
