//! The registry file: JSON with a `schema_version`, amounts as decimal
//! strings read exactly, dates as ISO 8601 (or a month, or a year, where
//! sources give no day), unknown fields kept at every level, numbers among
//! them kept to the digit.
//!
//! Reading streams the top-level lists record by record
//! (a streaming parser), so a file of a million agreements never becomes one
//! tree in memory; each record is walked into the model with every problem
//! collected, each with its path and code. Writing is the records' own
//! serde form, pretty-printed in a stable order: the same registry always
//! gives the same bytes.
//!
//! # Limits
//!
//! Whatever it is given, loading and every question stay within bounds
//! fixed here, each far beyond any real register, so no input can make the
//! crate run long or hold much more than the file:
//!
//! | what | bound | why |
//! | --- | --- | --- |
//! | input | 2 GiB − 1 bytes | offsets stay far from overflowing |
//! | nesting of arrays and objects | 128 levels | the reader's stack; `serde_json`'s limit too |
//! | one string | 1 MiB of JSON text | a hostile file of one huge string is refused at its path |
//! | months of notice, review cadence and term | 1,200 ([`MAX_MONTHS`](crate::model::MAX_MONTHS)) | loops over months and years stay short |
//! | blends within blends | 8 deep ([`MAX_FORMULA_DEPTH`](crate::model::MAX_FORMULA_DEPTH)) | apportioning recurses once per level |
//! | dates | years 0000 to 9999 | what ISO 8601 text and a financial year can write |
//!
//! Objects with many keys check duplicates through a hash set, so a
//! hostile object of 500,000 keys costs linear time. `tests/hostile.rs`
//! and `tests/bounded.rs` hold the crate to these bounds, and the fuzz
//! targets (`fuzz/`) run every question with a time limit per input.

mod forms;
pub(crate) mod json;
pub(crate) mod read;

pub use forms::{agreement_from_json, body_from_json, party_from_json};

use serde::Serialize;

use crate::model::{Agreement, Currency, Extra, GovernanceBody, PartYear, Party, Unknown};
use crate::problem::{Path, Problem, ProblemCode as Code, Problems};
use crate::rules::record::fields;

use self::json::{Json, Parser, SyntaxError};
use self::read::Reader;

/// The file format version this crate writes. It reads this version and
/// version 1 (whose one difference it takes care of: a part-year rule under
/// `leaving` is read as the cost arrangement's).
pub const SCHEMA_VERSION: u64 = 2;

/// Every kind of object a registry file holds, each with the fields this
/// version of the crate knows, by the names the file uses: what a schema, a
/// form or a tool that writes registry files must keep in step with. Any
/// other field in one of these objects is kept and written back, but may
/// not reuse one of these names.
///
/// ```
/// let agreement = collab_registry::format::FIELDS
///     .iter()
///     .find(|(object, _)| *object == "agreement")
///     .map(|(_, fields)| *fields)
///     .unwrap_or_default();
/// assert!(agreement.contains(&"member_classes"));
/// ```
pub const FIELDS: &[(&str, &[&str])] = &[
    ("document", fields::DOCUMENT),
    ("party", fields::PARTY),
    ("identifier", fields::IDENTIFIER),
    ("oversight", fields::OVERSIGHT),
    ("metric", fields::METRIC),
    ("agreement", fields::AGREEMENT),
    ("term", fields::TERM),
    ("status change", fields::STATUS),
    ("membership", fields::MEMBERSHIP),
    ("membership recorded", fields::MEMBERSHIP_RECORDED),
    ("membership by class", fields::CLASS),
    ("declined invitation", fields::DECLINED),
    ("responsibilities", fields::RESPONSIBILITIES),
    ("review", fields::REVIEW),
    ("review held", fields::REVIEW_HELD),
    ("leaving", fields::LEAVING),
    ("exit costs", fields::EXIT_COSTS),
    ("publication", fields::PUBLICATION),
    ("costs", fields::COSTS),
    ("budget", fields::BUDGET),
    ("dated formula", fields::DATED_FORMULA),
    ("formula", fields::FORMULA),
    ("fixed share", fields::SHARE),
    ("blend part", fields::BLEND_PART),
    ("usage", fields::USAGE),
    ("purchase", fields::PURCHASE),
    ("charge", fields::CHARGE),
    ("grant", fields::GRANT),
    ("asset", fields::ASSET),
    ("asset share", fields::ASSET_SHARE),
    ("savings", fields::SAVINGS),
    ("realised saving", fields::REALISED),
    ("amendment", fields::AMENDMENT),
    ("change", fields::CHANGE),
    ("spell recorded", fields::SPELL_RECORDED),
    ("body", fields::BODY),
    ("seat", fields::SEAT),
    ("governs", fields::GOVERNS),
    ("reports to", fields::REPORTS_TO),
    ("decision rule", fields::DECISION_RULE),
    ("delegated limit", fields::DELEGATED_LIMIT),
];

/// What a registry document says about itself: its name, its currency and
/// any top-level fields this crate does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RegistryInfo {
    /// The register's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The currency of every amount in the register.
    pub currency: Currency,
    /// Top-level fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for RegistryInfo {
    fn default() -> Self {
        RegistryInfo {
            name: None,
            currency: Currency::GBP,
            extra: Extra::new(),
        }
    }
}

impl RegistryInfo {
    /// A register called `name`, keeping amounts in `currency`.
    #[must_use]
    pub fn new(name: impl Into<String>, currency: Currency) -> Self {
        RegistryInfo {
            name: Some(name.into()),
            currency,
            extra: Extra::new(),
        }
    }
}

/// A record's position in its list in the file, and whether it read
/// without a problem (only those are checked against the rules, so one bad
/// field gives one problem, not a cascade).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) position: usize,
    pub(crate) clean: bool,
}

/// A whole document as read: the records that could be read, where each
/// came from, the ids of records that could not be read, and the problems.
#[derive(Debug, Default)]
pub(crate) struct Document {
    pub(crate) info: RegistryInfo,
    pub(crate) parties: Vec<Party>,
    pub(crate) agreements: Vec<Agreement>,
    pub(crate) bodies: Vec<GovernanceBody>,
    pub(crate) party_places: Vec<Place>,
    pub(crate) agreement_places: Vec<Place>,
    pub(crate) body_places: Vec<Place>,
    /// Ids declared by records that could not be read, by list.
    pub(crate) unread_parties: Vec<String>,
    pub(crate) unread_agreements: Vec<String>,
    pub(crate) unread_bodies: Vec<String>,
    pub(crate) problems: Problems,
}

/// A syntax error as a problem, with its path, line and column.
pub(crate) fn syntax_problem(e: &SyntaxError) -> Problem {
    Problem::new(
        e.path.clone(),
        Code::Syntax,
        format!(
            "{} (line {}, column {}, byte {})",
            e.kind, e.line, e.column, e.offset
        ),
    )
}

/// Which top-level list a record belongs to.
#[derive(Clone, Copy)]
enum List {
    Parties,
    Agreements,
    Bodies,
}

impl Document {
    /// Walks one record of `list`, at `position`, into the document.
    fn record(&mut self, reader: &mut Reader, list: List, position: usize, value: &Json<'_>) {
        let name = match list {
            List::Parties => "parties",
            List::Agreements => "agreements",
            List::Bodies => "bodies",
        };
        let root = Path::Root;
        let at = root.key(name);
        let at = at.index(position);
        let before = reader.problems.len();
        let Some(fields) = reader.object(value, &at) else {
            return;
        };
        let read = match list {
            List::Parties => reader.party(fields, &at).map(|p| self.parties.push(p)),
            List::Agreements => reader
                .agreement(fields, &at)
                .map(|a| self.agreements.push(a)),
            List::Bodies => reader.body(fields, &at).map(|b| self.bodies.push(b)),
        };
        let clean = reader.problems.len() == before;
        if let Some(()) = read {
            let place = Place { position, clean };
            match list {
                List::Parties => self.party_places.push(place),
                List::Agreements => self.agreement_places.push(place),
                List::Bodies => self.body_places.push(place),
            }
        } else {
            let id = fields
                .iter()
                .find(|(k, _)| k == "id")
                .and_then(|(_, v)| match v {
                    Json::String(s) => Some(s.to_string()),
                    _ => None,
                });
            if let Some(id) = id {
                match list {
                    List::Parties => self.unread_parties.push(id),
                    List::Agreements => self.unread_agreements.push(id),
                    List::Bodies => self.unread_bodies.push(id),
                }
            }
        }
    }
}

/// Reads a document from bytes, checking the shape and the value of every
/// field but not yet the rules or the links between records.
///
/// # Errors
///
/// The syntax error, with its path, line and column, when the bytes are not
/// one JSON document in UTF-8.
#[allow(
    clippy::too_many_lines,
    reason = "one streaming pass over the document's top-level keys, each read as it comes"
)]
pub(crate) fn read_document(input: &[u8]) -> Result<Document, SyntaxError> {
    let mut p = Parser::new(input)?;
    let mut doc = Document::default();
    if p.peek().is_some_and(|b| b != b'{') {
        let value = p.value()?;
        p.finish()?;
        let mut reader = Reader::new(Currency::GBP);
        reader.object(&value, &Path::Root);
        doc.problems = reader.problems;
        return Ok(doc);
    }
    p.begin_object()?;
    let mut reader = Reader::new(Currency::GBP);
    let mut version = None;
    let mut currency_seen = false;
    let mut name = None;
    let mut rest: Vec<(String, crate::model::Unknown)> = Vec::new();
    // Lists with amounts met before the currency is known wait as trees.
    let mut waiting: Vec<(List, Json<'_>)> = Vec::new();
    let root = Path::Root;
    while let Some(key) = p.next_key()? {
        match key.as_ref() {
            "schema_version" => version = Some(p.value()?),
            "name" => {
                let v = p.value()?;
                match v {
                    Json::String(s) => name = Some(s.to_string()),
                    Json::Null => {}
                    _ => {
                        reader
                            .problems
                            .at(&root.key("name"), Code::WrongType, "expected a string");
                    }
                }
            }
            "currency" => {
                currency_seen = true;
                match p.value()? {
                    Json::String(s) => match Currency::new(&s) {
                        Ok(c) => reader.currency = c,
                        Err(e) => reader.problems.at(
                            &root.key("currency"),
                            Code::InvalidCurrency,
                            e.to_string(),
                        ),
                    },
                    Json::Null => {}
                    _ => reader.problems.at(
                        &root.key("currency"),
                        Code::WrongType,
                        "expected a currency code such as \"GBP\"",
                    ),
                }
            }
            "parties" | "agreements" | "bodies" => {
                let list = match key.as_ref() {
                    "parties" => List::Parties,
                    "agreements" => List::Agreements,
                    _ => List::Bodies,
                };
                if !currency_seen && !matches!(list, List::Parties) {
                    waiting.push((list, p.value()?));
                    continue;
                }
                stream_list(&mut p, &mut doc, &mut reader, list)?;
            }
            other => rest.push((other.to_string(), read::unknown(&p.value()?))),
        }
    }
    p.finish()?;
    for (list, tree) in waiting {
        match &tree {
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    doc.record(&mut reader, list, i, item);
                }
            }
            Json::Null => {}
            other => wrong_list(&mut reader, list, other),
        }
    }
    match version.as_ref() {
        // As everywhere in a file, `null` counts as absent.
        None | Some(Json::Null) => reader.problems.at(
            &root.key("schema_version"),
            Code::SchemaVersion,
            "is required",
        ),
        Some(Json::Number(n)) if *n == "2" || *n == "1" => {}
        Some(other) => reader.problems.at(
            &root.key("schema_version"),
            Code::SchemaVersion,
            format!(
                "unsupported schema version {}: this crate reads versions 1 and {SCHEMA_VERSION}",
                read::unknown(other)
                    .to_string()
                    .chars()
                    .take(40)
                    .collect::<String>()
            ),
        ),
    }
    doc.info = RegistryInfo {
        name,
        currency: reader.currency,
        extra: Extra::from_fields(rest),
    };
    doc.problems = reader.problems;
    if matches!(version, Some(Json::Number("1"))) {
        part_year_from_leaving(&mut doc);
    }
    Ok(doc)
}

/// Version 1 kept the part-year rule under `leaving`; version 2 keeps it
/// with the costs it governs, so a version 1 file's rule moves there.
fn part_year_from_leaving(doc: &mut Document) {
    for (a, place) in doc.agreements.iter_mut().zip(&doc.agreement_places) {
        let Some(rule) = a.terms.leaving.extra.remove("part_year") else {
            continue;
        };
        let at = || format!("agreements[{}].leaving.part_year", place.position);
        match rule {
            Unknown::String(text) => match text.parse::<PartYear>() {
                Ok(rule) => a.terms.costs.part_year = rule,
                Err(e) => doc.problems.add(at(), Code::UnknownKeyword, e.to_string()),
            },
            Unknown::Null => {}
            _ => doc.problems.add(
                at(),
                Code::WrongType,
                "expected a part-year rule such as \"whole_year\"",
            ),
        }
    }
}

fn wrong_list(reader: &mut Reader, list: List, value: &Json<'_>) {
    let key = match list {
        List::Parties => "parties",
        List::Agreements => "agreements",
        List::Bodies => "bodies",
    };
    let kind = match value {
        Json::Object(_) => "an object",
        Json::String(_) => "a string",
        Json::Number(_) => "a number",
        Json::Bool(_) => "a boolean",
        _ => "something else",
    };
    reader.problems.at(
        &Path::Root.key(key),
        Code::WrongType,
        format!("expected an array, found {kind}"),
    );
}

/// Reads a top-level list element by element.
fn stream_list(
    p: &mut Parser<'_>,
    doc: &mut Document,
    reader: &mut Reader,
    list: List,
) -> Result<(), SyntaxError> {
    match p.peek() {
        Some(b'[') => {}
        Some(b'n') => {
            p.value()?;
            return Ok(());
        }
        _ => {
            let value = p.value()?;
            wrong_list(reader, list, &value);
            return Ok(());
        }
    }
    p.begin_array()?;
    let mut position = 0;
    while p.next_element()? {
        let value = p.value()?;
        doc.record(reader, list, position, &value);
        position = position.saturating_add(1);
    }
    Ok(())
}

#[derive(Serialize)]
struct DocumentOut<'a> {
    schema_version: u64,
    #[serde(flatten)]
    info: &'a RegistryInfo,
    parties: &'a [Party],
    agreements: &'a [Agreement],
    bodies: &'a [GovernanceBody],
}

/// Writes a document as pretty JSON with a final newline; the same document
/// always gives the same bytes.
pub(crate) fn write_document(
    info: &RegistryInfo,
    parties: &[Party],
    agreements: &[Agreement],
    bodies: &[GovernanceBody],
) -> Vec<u8> {
    // Nothing checks a `RegistryInfo` made by hand, so its unknown fields
    // may reuse a known name: the known field wins, and the file holds
    // each key once.
    let kept;
    let info = if info.extra.shadowing(fields::DOCUMENT).is_some() {
        kept = RegistryInfo {
            extra: Extra::from_fields(
                info.extra
                    .iter()
                    .filter(|(k, _)| !fields::DOCUMENT.contains(k))
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            ),
            ..info.clone()
        };
        &kept
    } else {
        info
    };
    let out = DocumentOut {
        schema_version: SCHEMA_VERSION,
        info,
        parties,
        agreements,
        bodies,
    };
    let mut bytes = Vec::with_capacity(
        parties
            .len()
            .saturating_add(agreements.len())
            .saturating_add(bodies.len())
            .saturating_mul(256)
            .saturating_add(128),
    );
    // Writing these types into memory cannot fail: every key is a string and
    // every number in an unknown field was checked when it was read or made.
    let _ = serde_json::to_writer_pretty(&mut bytes, &out);
    bytes.push(b'\n');
    bytes
}
