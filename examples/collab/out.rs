//! Writing answers and errors: the JSON envelope, tables, CSV and Markdown
//! drawn from the same JSON value, and the exit statuses.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use collab_registry::{AsOf, Error, Registry, Scope};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::cli::{Format, Global, ScopeArg};

/// Refused by the library, or a problem found in a file.
pub(crate) const REFUSED: u8 = 1;
/// A bad command line.
pub(crate) const USAGE: u8 = 2;
/// A file that could not be read, parsed, loaded or written.
pub(crate) const IO: u8 = 3;

/// A failed command: what to say, and the exit status.
#[derive(Debug)]
pub(crate) struct Failure {
    kind: &'static str,
    message: String,
    path: Option<String>,
    problems: Vec<Value>,
    pub(crate) exit: u8,
}

impl Failure {
    /// A failure of the tool's own (`kind` is an `ErrorKind` code or `usage`).
    pub(crate) fn new(kind: &'static str, message: impl Into<String>, exit: u8) -> Self {
        Failure {
            kind,
            message: message.into(),
            path: None,
            problems: Vec::new(),
            exit,
        }
    }

    /// The same, about `path`.
    pub(crate) fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The same, listing problems (`{"path", "code", "message"}`).
    pub(crate) fn with_problems(mut self, problems: Vec<Value>) -> Self {
        self.problems = problems;
        self
    }

    /// The library's refusal of a question or a change.
    pub(crate) fn refused(e: &Error) -> Self {
        Self::from_error(e, REFUSED)
    }

    /// A file that could not be read or loaded.
    pub(crate) fn load(e: &Error) -> Self {
        Self::from_error(e, IO)
    }

    /// The library's error, its kind code, path and problems kept.
    pub(crate) fn from_error(e: &Error, exit: u8) -> Self {
        let problems: Vec<Value> = e.problems().iter().map(problem).collect();
        let path = e
            .path()
            .map(|p| p.display().to_string())
            .or_else(|| e.problems().first().map(|p| p.path().to_owned()));
        Failure {
            kind: e.kind().code(),
            message: e.to_string(),
            path,
            problems,
            exit,
        }
    }

    /// Writes it to standard error, as text or JSON.
    pub(crate) fn report(&self, as_json: bool) {
        if as_json {
            let v = json!({"error": {
                "kind": self.kind,
                "message": self.message,
                "path": self.path,
                "problems": self.problems,
            }});
            eprintln!("{v}");
        } else {
            eprintln!("error: {}", self.message);
            // The library's message lists its problems already.
            let listed = self.problems.first().is_some_and(|p| {
                p["message"]
                    .as_str()
                    .is_some_and(|m| self.message.contains(m))
            });
            for p in self.problems.iter().filter(|_| !listed) {
                eprintln!(
                    "  {}: {}: {}",
                    p["path"].as_str().unwrap_or_default(),
                    p["code"].as_str().unwrap_or_default(),
                    p["message"].as_str().unwrap_or_default()
                );
            }
        }
    }
}

/// A load problem as JSON.
pub(crate) fn problem(p: &collab_registry::Problem) -> Value {
    json!({"path": p.path(), "code": p.code().to_string(), "message": p.message()})
}

/// A bad command line: clap's message (or its help, which is no error).
pub(crate) fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
        print!("{e}");
        return ExitCode::SUCCESS;
    }
    if wants_json_errors() {
        let rendered = e.render().to_string();
        // clap's message, without its usage lines and hint.
        let said = rendered.split("\n\n").next().unwrap_or_default();
        let said = said.strip_prefix("error: ").unwrap_or(said);
        let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
        Failure::new("usage", said, USAGE).report(true);
    } else {
        eprint!("{}", e.render());
    }
    ExitCode::from(USAGE)
}

/// Whether the command line asks for JSON errors, read by hand because it
/// did not parse.
fn wants_json_errors() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--errors=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--errors" && w[1] == "json")
}

/// Today, by the system clock (UTC); the library never reads the clock.
pub(crate) fn today() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map_or(NaiveDate::MIN, |t| t.date_naive())
}

/// The registry a question is asked of: `--file`, or the embedded sample.
pub(crate) fn load(g: &Global) -> Result<Registry, Failure> {
    match &g.file {
        Some(path) => load_file(path),
        None => collab_registry::sample().map_err(|e| Failure::load(&e)),
    }
}

/// A registry file.
pub(crate) fn load_file(path: &Path) -> Result<Registry, Failure> {
    Registry::load(path).map_err(|e| Failure::load(&e).at(path.display().to_string()))
}

/// The registry as of the day, scope and register day asked.
pub(crate) fn asof<'r>(g: &Global, registry: &'r Registry) -> AsOf<'r> {
    let q = registry
        .as_of(g.as_of.unwrap_or_else(today))
        .scope(match g.scope {
            ScopeArg::InForce => Scope::InForce,
            ScopeArg::AnyStatus => Scope::AnyStatus,
        });
    match g.recorded_on {
        Some(day) => q.as_recorded_on(day),
        None => q,
    }
}

/// Writes an answer in the format asked.
pub(crate) fn answer<T: Serialize>(g: &Global, q: &AsOf<'_>, answer: &T) -> Result<(), Failure> {
    let value = serde_json::to_value(answer)
        .map_err(|e| Failure::new("invalid-value", format!("the answer: {e}"), REFUSED))?;
    print!("{}", render(g, q.registry(), Some(q), &value));
    Ok(())
}

/// An answer about a registry that is not asked as of a day (a change, a
/// validation): the envelope's `as_of` is then the day the command ran.
pub(crate) fn note(g: &Global, registry: Option<&Registry>, value: &Value) {
    match registry {
        Some(r) => print!("{}", render(g, r, None, value)),
        None => print!("{}", render_bare(g, value, &json!(null), "GBP")),
    }
}

fn render(g: &Global, registry: &Registry, q: Option<&AsOf<'_>>, value: &Value) -> String {
    let name = registry
        .info()
        .name
        .clone()
        .map_or(Value::Null, Value::String);
    let currency = registry.info().currency.code().to_owned();
    match (g.format, q) {
        (Format::Json, Some(q)) => {
            envelope(g, &name, q.date(), q.at().register_day(), &currency, value)
        }
        _ => render_bare(g, value, &name, &currency),
    }
}

fn render_bare(g: &Global, value: &Value, name: &Value, currency: &str) -> String {
    match g.format {
        Format::Json => envelope(
            g,
            name,
            g.as_of.unwrap_or_else(today),
            g.recorded_on,
            currency,
            value,
        ),
        Format::Table => table(value, false),
        Format::Markdown => table(value, true),
        Format::Csv => csv(value),
    }
}

fn envelope(
    g: &Global,
    name: &Value,
    as_of: NaiveDate,
    recorded_on: Option<NaiveDate>,
    currency: &str,
    answer: &Value,
) -> String {
    let scope = match g.scope {
        ScopeArg::InForce => "in_force",
        ScopeArg::AnyStatus => "any_status",
    };
    let v = json!({
        "register": name,
        "as_of": as_of.to_string(),
        "recorded_on": recorded_on.map(|d| d.to_string()),
        "scope": scope,
        "currency": currency,
        "answer": answer,
    });
    let mut text = serde_json::to_string_pretty(&v).unwrap_or_default();
    text.push('\n');
    text
}

/// A value as one cell: a name for a named thing, an amount for money.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join("; "),
        Value::Object(m) => {
            if let (Some(a), Some(c)) = (m.get("amount"), m.get("currency")) {
                format!("{} {}", cell(a), cell(c))
            } else if let Some(id) = m.get("id") {
                cell(id)
            } else {
                v.to_string()
            }
        }
        other => other.to_string(),
    }
}

/// An object's fields as columns, nested objects flattened with dots;
/// lists become one cell.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        other => out.push((
            if prefix.is_empty() {
                "value".to_owned()
            } else {
                prefix.to_owned()
            },
            cell(other),
        )),
    }
}

fn is_rows(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.iter().all(Value::is_object))
}

/// The answer as rows: a list gives one row per item; an object with a
/// list of records gives a row per record of its first such list, each
/// with the object's other fields beside it; anything else is one row.
fn rows(v: &Value) -> (Vec<String>, Vec<Vec<String>>) {
    let records: Vec<Value> = match v {
        Value::Array(items) => items.clone(),
        Value::Object(m) => match m
            .iter()
            .find(|(_, v)| is_rows(v) && !v.as_array().is_some_and(Vec::is_empty))
        {
            Some((key, Value::Array(items))) => {
                let mut rest: Map<String, Value> = m.clone();
                rest.remove(key);
                items
                    .iter()
                    .map(|item| {
                        let mut row = rest.clone();
                        row.insert(key.clone(), item.clone());
                        Value::Object(row)
                    })
                    .collect()
            }
            _ => vec![v.clone()],
        },
        other => vec![other.clone()],
    };
    let mut header: Vec<String> = Vec::new();
    let flat: Vec<Vec<(String, String)>> = records
        .iter()
        .map(|r| {
            let mut cells = Vec::new();
            flatten("", r, &mut cells);
            for (k, _) in &cells {
                if !header.contains(k) {
                    header.push(k.clone());
                }
            }
            cells
        })
        .collect();
    let body = flat
        .into_iter()
        .map(|cells| {
            header
                .iter()
                .map(|h| {
                    cells
                        .iter()
                        .find(|(k, _)| k == h)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    (header, body)
}

fn table(v: &Value, markdown: bool) -> String {
    let (header, body) = rows(v);
    let mut text = String::new();
    if header.is_empty() || (body.is_empty() && v.as_array().is_some()) {
        return if markdown {
            "_none_\n".to_owned()
        } else {
            "(none)\n".to_owned()
        };
    }
    if markdown {
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
        let line = |cells: &[String]| {
            format!(
                "| {} |\n",
                cells.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
            )
        };
        text.push_str(&line(&header));
        let _ = writeln!(text, "|{}", " --- |".repeat(header.len()));
        for row in &body {
            text.push_str(&line(row));
        }
        return text;
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            body.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&body) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", c.replace('\n', " "), w = *w))
            .collect();
        let _ = writeln!(text, "{}", cells.join("  ").trim_end());
    }
    text
}

fn csv(v: &Value) -> String {
    let (header, body) = rows(v);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let written = w
        .write_record(&header)
        .and_then(|()| body.iter().try_for_each(|r| w.write_record(r)));
    match (written, w.into_inner()) {
        (Ok(()), Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}
