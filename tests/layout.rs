//! The crate's layers import each other one way only. Each top-level module
//! under `src/` (a folder, or a file beside `lib.rs`) may use the modules
//! below it and never one above it, so the modules form no cycle; and
//! inside each folder the files (modules too) form no cycle either. This
//! test reads the sources, gathers every `crate::...` and `super::...` path
//! outside comments and unit tests, and fails naming the cycle if one
//! appears.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level module a source file belongs to.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules a source text names through `crate::`, outside comments.
fn uses(text: &str) -> BTreeSet<String> {
    uses_through(text, "crate::")
}

/// The modules a source text names after `prefix` (`crate::`, `super::`,
/// `crate::model::`), outside comments and unit tests.
fn uses_through(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            rest = &rest[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                for item in group.split(['}', ',']) {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// For each folder under `src/`, its files (but `mod.rs`) and the files of
/// the same folder each names.
fn folder_graphs() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&src).into_iter().flatten().flatten() {
        let dir = entry.path();
        let Some(folder) = dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        if !dir.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&dir, &mut files);
        let name = |f: &Path| f.file_stem().and_then(|n| n.to_str()).map(str::to_string);
        let siblings: BTreeSet<String> = files.iter().filter_map(|f| name(f)).collect();
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in &files {
            let Some(module) = name(file).filter(|m| m != "mod") else {
                continue;
            };
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let mut named = uses_through(&text, "super::");
            named.extend(uses_through(&text, &format!("crate::{folder}::")));
            let targets = graph.entry(module.clone()).or_default();
            targets.extend(
                named
                    .into_iter()
                    .filter(|n| *n != module && *n != "mod" && siblings.contains(n)),
            );
        }
        out.insert(folder, graph);
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let targets = graph.entry(module.clone()).or_default();
        for used in uses(&text) {
            if used != module {
                targets.insert(used);
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for targets in graph.values_mut() {
        targets.retain(|t| modules.contains(t));
    }
    graph
}

/// A cycle in `graph`, if there is one, as the modules around it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_import_each_other_one_way_only() {
    let graph = graph();
    assert!(
        graph.len() >= 8,
        "expected the crate's layers, found {graph:?}"
    );
    if let Some(found) = cycle(&graph) {
        panic!(
            "the modules import each other in a circle: {}",
            found.join(" -> ")
        );
    }
}

#[test]
fn the_files_of_each_folder_import_each_other_one_way_only() {
    let graphs = folder_graphs();
    assert!(
        graphs.get("model").is_some_and(|g| g.len() >= 10),
        "expected the model's files, found {graphs:?}"
    );
    for (folder, graph) in &graphs {
        if let Some(found) = cycle(graph) {
            panic!(
                "the files of src/{folder} import each other in a circle: {}",
                found.join(" -> ")
            );
        }
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        cycle(&graph).map(|c| c.join(" -> ")).as_deref(),
        Some("a -> b -> c -> a")
    );
    assert_eq!(
        uses("use crate::{model::Party, time::At}; // crate::store"),
        BTreeSet::from(["model".to_string(), "time".to_string()])
    );
    assert_eq!(
        uses_through(
            "use super::{costs::Budget, dates::Period};\n#[cfg(test)]\nuse super::party;",
            "super::"
        ),
        BTreeSet::from(["costs".to_string(), "dates".to_string()])
    );
}

#[test]
fn the_layers_sit_in_the_order_the_design_gives() {
    let graph = graph();
    let order = [
        "problem",
        "model",
        "error",
        "time",
        "rules",
        "format",
        "store",
        "questions",
        "costs",
        "report",
    ];
    let rank = |m: &str| order.iter().position(|o| *o == m);
    for (module, targets) in &graph {
        for target in targets {
            if let (Some(from), Some(to)) = (rank(module), rank(target)) {
                assert!(to < from, "{module} uses {target}, which sits above it");
            }
        }
    }
}
