//! A spreadsheet of agreements and memberships, one row per membership, in
//! the columns `agreement,title,party,role,joined,left,legal_basis,functions,lead`
//! (in any order), made into registry records. Every bad cell is reported
//! with its row (the header is row 1) and column, before anything is
//! written.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use collab_registry::Registry;
use collab_registry::format::RegistryInfo;
use collab_registry::model::{
    Agreement, AgreementId, Currency, Function, LegalBasis, Membership, PartialDate, Party,
    PartyId, PartyKind, Provenance, Role,
};
use serde_json::{Value, json};

use crate::cli::{Global, ImportArgs};
use crate::out::{self, Failure, IO, REFUSED};

/// The columns, in the order the issue names them.
const COLUMNS: [&str; 9] = [
    "agreement",
    "title",
    "party",
    "role",
    "joined",
    "left",
    "legal_basis",
    "functions",
    "lead",
];

/// An agreement read from the rows, with the row it starts on.
pub(crate) struct Imported {
    pub(crate) agreement: Agreement,
    pub(crate) row: u64,
}

/// One membership row, checked.
struct Row {
    line: u64,
    agreement: AgreementId,
    title: String,
    membership: Membership,
    bases: Vec<LegalBasis>,
    functions: Vec<Function>,
}

/// Problems found, each `{"path": "row R, column C (NAME)", "code", "message"}`.
#[derive(Default)]
struct Problems(Vec<Value>);

impl Problems {
    fn add(&mut self, line: u64, column: usize, message: impl Into<String>) {
        let name = COLUMNS.get(column).copied().unwrap_or("?");
        self.0.push(json!({
            "path": format!("row {line}, column {} ({name})", column + 1),
            "code": "bad-cell",
            "message": message.into(),
        }));
    }
}

/// Splits a list cell on `;`.
fn list<T: std::str::FromStr<Err: std::fmt::Display>>(cell: &str) -> Result<Vec<T>, String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|e: T::Err| e.to_string()))
        .collect()
}

/// Reads every row; either every agreement or every problem.
pub(crate) fn agreements(
    text: &str,
    day: NaiveDate,
    source: &str,
) -> Result<Vec<Imported>, Failure> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Failure::new("syntax", format!("{source}: {e}"), REFUSED))?
        .clone();
    let mut problems = Problems::default();
    // Where each column is in this file (columns may come in any order).
    let mut at = [usize::MAX; 9];
    for (i, name) in COLUMNS.iter().enumerate() {
        match header.iter().position(|h| h.trim() == *name) {
            Some(p) => at[i] = p,
            None if matches!(*name, "agreement" | "party" | "joined") => {
                problems.add(1, i, format!("the header has no {name:?} column"));
            }
            None => {}
        }
    }
    let mut rows = Vec::new();
    if problems.0.is_empty() {
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, csv::Position::line);
                    let cell = |i: usize| r.get(at[i]).map_or("", str::trim).to_owned();
                    if let Some(row) = row(line, &cell, &mut problems) {
                        rows.push(row);
                    }
                }
                Err(e) => problems.0.push(json!({
                    "path": e.position().map_or_else(String::new, |p| format!("row {}", p.line())),
                    "code": "bad-row",
                    "message": e.to_string(),
                })),
            }
        }
    }
    let agreements = group(rows, day, source, &mut problems);
    if problems.0.is_empty() {
        Ok(agreements)
    } else {
        let n = problems.0.len();
        Err(Failure::new(
            "invalid",
            format!("{source}: {n} bad cells or rows"),
            REFUSED,
        )
        .at(source)
        .with_problems(problems.0))
    }
}

/// One row, each cell checked; `None` when a cell is bad.
fn row(line: u64, cell: &dyn Fn(usize) -> String, problems: &mut Problems) -> Option<Row> {
    let before = problems.0.len();
    let agreement = AgreementId::new(&cell(0))
        .map_err(|e| problems.add(line, 0, e.to_string()))
        .ok();
    let party = PartyId::new(&cell(2))
        .map_err(|e| problems.add(line, 2, e.to_string()))
        .ok();
    let lead = match cell(8).to_ascii_lowercase().as_str() {
        "" | "no" | "false" | "0" => false,
        "yes" | "true" | "1" => true,
        other => {
            problems.add(line, 8, format!("{other:?}: give yes or no"));
            false
        }
    };
    let role = match (cell(3).as_str(), lead) {
        ("", true) => Some(Role::Lead),
        ("", false) => Some(Role::Member),
        (text, _) => match text.parse::<Role>() {
            Ok(role) if lead && role != Role::Lead => {
                problems.add(line, 8, format!("lead is yes but the role is {role}"));
                None
            }
            Ok(role) => Some(role),
            Err(e) => {
                problems.add(line, 3, e.to_string());
                None
            }
        },
    };
    let joined = match cell(4).as_str() {
        "" => {
            problems.add(line, 4, "a membership needs the day it joined");
            None
        }
        text => text
            .parse::<PartialDate>()
            .map_err(|e| problems.add(line, 4, e.to_string()))
            .ok(),
    };
    let left = match cell(5).as_str() {
        "" => None,
        text => text
            .parse::<PartialDate>()
            .map_err(|e| problems.add(line, 5, e.to_string()))
            .ok(),
    };
    let bases = list::<LegalBasis>(&cell(6))
        .map_err(|e| problems.add(line, 6, e))
        .unwrap_or_default();
    let functions = list::<Function>(&cell(7))
        .map_err(|e| problems.add(line, 7, e))
        .unwrap_or_default();
    if problems.0.len() != before {
        return None;
    }
    let (agreement, party, role, joined) = (agreement?, party?, role?, joined?);
    let mut membership = Membership::new(party, role, joined);
    if let Some(left) = left {
        membership = membership.with_left(left);
    }
    Some(Row {
        line,
        agreement,
        title: cell(1),
        membership,
        bases,
        functions,
    })
}

/// The rows of each agreement made into one record, in the order each
/// first appears. It starts on its earliest joining and is recorded active
/// from then; the CSV gives no status, so the status is marked illustrative.
fn group(rows: Vec<Row>, day: NaiveDate, source: &str, problems: &mut Problems) -> Vec<Imported> {
    let mut order: Vec<AgreementId> = Vec::new();
    let mut by: BTreeMap<AgreementId, Vec<Row>> = BTreeMap::new();
    for r in rows {
        if !by.contains_key(&r.agreement) {
            order.push(r.agreement.clone());
        }
        by.entry(r.agreement.clone()).or_default().push(r);
    }
    let mut out = Vec::new();
    for id in order {
        let rows = by.remove(&id).unwrap_or_default();
        let Some(first) = rows.first() else { continue };
        let title = rows
            .iter()
            .map(|r| r.title.as_str())
            .find(|t| !t.is_empty());
        let Some(title) = title else {
            problems.add(first.line, 1, format!("no row of {id} gives its title"));
            continue;
        };
        for r in &rows {
            if !r.title.is_empty() && r.title != title {
                problems.add(
                    r.line,
                    1,
                    format!("{id} is titled {title:?} on an earlier row"),
                );
            }
        }
        let start = rows
            .iter()
            .map(|r| r.membership.joined())
            .min_by_key(PartialDate::first_day)
            .unwrap_or(PartialDate::day(day));
        let mut bases: Vec<LegalBasis> = Vec::new();
        let mut functions: Vec<Function> = Vec::new();
        for r in &rows {
            bases.extend(
                r.bases
                    .iter()
                    .filter(|b| !bases.contains(b))
                    .copied()
                    .collect::<Vec<_>>(),
            );
            functions.extend(
                r.functions
                    .iter()
                    .filter(|f| !functions.contains(f))
                    .copied()
                    .collect::<Vec<_>>(),
            );
        }
        if bases.is_empty() {
            bases.push(LegalBasis::NotStated);
        }
        let mut b = Agreement::builder(id.clone(), title, start)
            .functions(functions)
            .active_from(start)
            .entered(day)
            .provenance(
                Provenance::from_source(format!("imported from {source}")).illustrative("status"),
            );
        for basis in bases {
            b = b.legal_basis(basis);
        }
        for r in &rows {
            b = b.member(r.membership.clone().entered(day));
        }
        match b.build() {
            Ok(agreement) => out.push(Imported {
                agreement,
                row: first.line,
            }),
            Err(e) => refused(problems, first.line, &id, &e),
        }
    }
    out
}

/// The library's refusal of an agreement, at the row it starts on.
fn refused(problems: &mut Problems, line: u64, id: &AgreementId, e: &collab_registry::Error) {
    if e.problems().is_empty() {
        problems.0.push(json!({"path": format!("row {line}"), "code": e.kind().code(), "message": format!("{id}: {e}")}));
    }
    for p in e.problems() {
        problems.0.push(json!({
            "path": format!("row {line}: {id}.{}", p.path()),
            "code": p.code().to_string(),
            "message": p.message(),
        }));
    }
}

pub(crate) fn import_csv(g: &Global, a: &ImportArgs) -> Result<(), Failure> {
    let source = a.csv.display().to_string();
    let text = std::fs::read_to_string(&a.csv)
        .map_err(|e| Failure::new("io", format!("{source}: {e}"), IO).at(source.clone()))?;
    let day = a.entered.unwrap_or_else(out::today);
    let imported = agreements(&text, day, &source)?;
    let mut registry = match &a.into {
        Some(path) => out::load_file(path)?,
        None => Registry::new(RegistryInfo::new(a.name.clone(), Currency::GBP)),
    };
    let mut problems = Problems::default();
    let mut created: Vec<String> = Vec::new();
    for i in &imported {
        for m in i.agreement.members() {
            let id = m.party();
            if registry.party(id.as_str()).is_err() {
                // Not otherwise known: a placeholder the officer completes.
                let party = Party::builder(id.clone(), id.as_str(), PartyKind::Other)
                    .entered(day)
                    .provenance(
                        Provenance::from_source(format!("named in {source}"))
                            .illustrative("name")
                            .illustrative("kind"),
                    )
                    .build();
                match party.and_then(|p| registry.add_party(p)) {
                    Ok(_) => created.push(id.to_string()),
                    Err(e) => refused(&mut problems, i.row, i.agreement.id(), &e),
                }
            }
        }
        if let Err(e) = registry.add_agreement(i.agreement.clone()) {
            refused(&mut problems, i.row, i.agreement.id(), &e);
        }
    }
    if !problems.0.is_empty() {
        let n = problems.0.len();
        return Err(Failure::new(
            "invalid",
            format!("{source}: {n} agreements refused"),
            REFUSED,
        )
        .at(source)
        .with_problems(problems.0));
    }
    crate::change::save(&registry, &a.out)?;
    let ids: Vec<String> = imported
        .iter()
        .map(|i| i.agreement.id().to_string())
        .collect();
    out::note(
        g,
        Some(&registry),
        &json!({"file": a.out.display().to_string(), "agreements": ids, "parties_created": created}),
    );
    Ok(())
}
