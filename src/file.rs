//! The JSON file format: reading a document into the model with every
//! problem reported by path, and writing it back in a stable order.
//!
//! Reading walks the parsed JSON by hand rather than deriving `Deserialize`,
//! so that one bad date does not hide the next problem: every field that can
//! be checked is checked, and each problem carries its path
//! (`agreements[3].members[1].party`). Fields the crate does not know are
//! kept in each record's `extra` and written back.

use std::borrow::Cow;
use std::fmt::Display;

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use crate::agreement::{
    Agreement, Function, LeavingRules, LegalBasis, PartYear, Publication, PublicationLevel,
    Responsibilities, Status, StatusChange,
};
use crate::amendment::{Amendment, AmendmentKind, FieldChange};
use crate::costs::{
    BlendPart, Budget, CostArrangement, DatedFormula, FixedShare, Formula, RealisedSaving, Savings,
    Usage,
};
use crate::dates::{FinancialYear, parse_date};
use crate::error::{LoadError, Problem, Problems};
use crate::governance::{
    BodyKind, DecisionRule, DelegatedLimit, Fraction, GovernanceBody, Seat, SeatRole,
};
use crate::id::{AgreementId, BodyId, PartyId};
use crate::membership::{Declined, Membership, Recorded, Role};
use crate::money::{Currency, Money, Percent, Quantity};
use crate::party::{ExternalId, Metric, Oversight, Party, PartyKind};
use crate::provenance::{Extra, Provenance};
use crate::review::{Review, ReviewPolicy};

/// The file format version this crate reads and writes.
pub const SCHEMA_VERSION: u64 = 1;

/// What a registry document says about itself: its name, its currency and
/// any fields this crate does not know.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// A whole registry document, as read from or written to a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Document {
    /// The register's name, currency and unknown top-level fields.
    pub info: RegistryInfo,
    /// Every party.
    pub parties: Vec<Party>,
    /// Every agreement.
    pub agreements: Vec<Agreement>,
    /// Every governance body.
    pub bodies: Vec<GovernanceBody>,
    /// Where each record came from in the file, and which ids were declared.
    pub origin: Origin,
}

/// Where each record read came from: its position in the file's list and
/// whether it read without a problem, plus every id the file declares (even
/// on records that could not be read), so that one bad record does not make
/// every reference to it a second problem.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Origin {
    pub(crate) parties: Vec<Place>,
    pub(crate) agreements: Vec<Place>,
    pub(crate) bodies: Vec<Place>,
    pub(crate) declared_parties: Vec<String>,
    pub(crate) declared_agreements: Vec<String>,
    pub(crate) declared_bodies: Vec<String>,
}

/// A record's position in its list in the file, and whether it read cleanly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Place {
    pub(crate) position: usize,
    pub(crate) clean: bool,
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
) -> String {
    let out = DocumentOut {
        schema_version: SCHEMA_VERSION,
        info,
        parties,
        agreements,
        bodies,
    };
    // Serialising these types cannot fail: every map key is a string.
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// Parses JSON text into a [`Document`], checking the shape and the value of
/// every field but not yet the references between records.
pub(crate) fn read_document(text: &str) -> Result<(Document, Vec<Problem>), LoadError> {
    let value: Raw<'_> = serde_json::from_str(text).map_err(|e| LoadError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let mut w = Walker::default();
    let doc = w.document(&value);
    Ok((doc, w.problems))
}

/// Turns a list of problems into the error, or nothing when it is empty.
pub(crate) fn problems_to_result(mut problems: Vec<Problem>) -> Result<(), LoadError> {
    if problems.is_empty() {
        Ok(())
    } else {
        problems.dedup();
        Err(LoadError::Invalid(Problems(problems)))
    }
}

/// The keyword enums of the format, read by their file names.
trait Keyword: Sized + Copy + 'static {
    const WHAT: &'static str;
    fn all() -> &'static [Self];
    fn name(&self) -> &'static str;
}

macro_rules! keyword {
    ($ty:ty, $what:literal, $all:expr) => {
        impl Keyword for $ty {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                &$all
            }
            fn name(&self) -> &'static str {
                self.as_str()
            }
        }

        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

keyword!(PartyKind, "party kind", PartyKind::ALL);
keyword!(LegalBasis, "legal basis", LegalBasis::ALL);
keyword!(Status, "status", Status::ALL);
keyword!(BodyKind, "body kind", BodyKind::ALL);
keyword!(SeatRole, "seat role", SeatRole::ALL);
keyword!(
    Role,
    "role",
    [
        Role::Lead,
        Role::Host,
        Role::Member,
        Role::Associate,
        Role::Observer
    ]
);
keyword!(
    PublicationLevel,
    "publication level",
    [
        PublicationLevel::NotRecorded,
        PublicationLevel::Full,
        PublicationLevel::Summary,
        PublicationLevel::TitleAndObjective,
        PublicationLevel::Withheld,
    ]
);
keyword!(
    PartYear,
    "part-year rule",
    [PartYear::ProRataByDays, PartYear::WholeYear]
);
keyword!(
    AmendmentKind,
    "amendment kind",
    [
        AmendmentKind::Variation,
        AmendmentKind::Extension,
        AmendmentKind::Renewal
    ]
);

keyword!(Function, "function", *Function::ALL);

fn parse_keyword<K: Keyword>(text: &str) -> Result<K, String> {
    K::all()
        .iter()
        .copied()
        .find(|k| k.name() == text)
        .ok_or_else(|| {
            let names: Vec<&str> = K::all().iter().map(Keyword::name).collect();
            format!(
                "unknown {} {:?}; expected one of: {}",
                K::WHAT,
                text,
                names.join(", ")
            )
        })
}

fn parse_fraction(text: &str) -> Result<Fraction, String> {
    let bad = || {
        format!(
            "invalid fraction {text:?}: expected a fraction such as \"2/3\", greater than 0 and at most 1"
        )
    };
    let (n, d) = text.split_once('/').ok_or_else(bad)?;
    let numerator: u32 = n.parse().map_err(|_| bad())?;
    let denominator: u32 = d.parse().map_err(|_| bad())?;
    if denominator == 0 || numerator == 0 || numerator > denominator {
        return Err(bad());
    }
    Ok(Fraction {
        numerator,
        denominator,
    })
}

/// Parsed JSON that borrows its strings from the text where it can, with
/// objects as lists of fields: far cheaper to build and to drop than
/// [`Value`], whose every key and string is its own allocation and every
/// object a tree. Only the fields kept as unknown become [`Value`]s.
enum Raw<'t> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'t, str>),
    Array(Vec<Raw<'t>>),
    /// Fields in file order; when a key repeats, the last one counts, as in
    /// [`Value`].
    Object(Vec<(Cow<'t, str>, Raw<'t>)>),
}

impl<'t> Raw<'t> {
    /// The last field named `key`, when this is an object.
    fn field(&self, key: &str) -> Option<&Raw<'t>> {
        match self {
            Raw::Object(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Raw::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Raw::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Raw::Null => Value::Null,
            Raw::Bool(b) => Value::Bool(*b),
            Raw::Number(n) => Value::Number(n.clone()),
            Raw::String(s) => Value::String(s.to_string()),
            Raw::Array(items) => Value::Array(items.iter().map(Raw::to_value).collect()),
            Raw::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Raw<'de>, E> {
        Ok(Raw::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Raw<'de>, E> {
        Ok(Raw::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Raw<'de>, E> {
        Ok(Raw::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Raw<'de>, E> {
        Ok(Number::from_f64(n).map_or(Raw::Null, Raw::Number))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::String(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::String(Cow::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<Raw<'de>, E> {
        Ok(Raw::String(Cow::Owned(s)))
    }
    fn visit_unit<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw<'de>, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        let mut fields = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            fields.push((key, map.next_value()?));
        }
        Ok(Raw::Object(fields))
    }
}

/// Reads an object key, borrowing it from the text unless it has escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s))
    }
}

fn json_kind(value: &Raw<'_>) -> &'static str {
    match value {
        Raw::Null => "null",
        Raw::Bool(_) => "a boolean",
        Raw::Number(_) => "a number",
        Raw::String(_) => "a string",
        Raw::Array(_) => "an array",
        Raw::Object(_) => "an object",
    }
}

/// Collects problems while walking a document.
#[derive(Default)]
struct Walker {
    problems: Vec<Problem>,
    currency: Option<Currency>,
}

/// Where a value sits in the document: a chain of borrowed steps, written
/// out only when a problem is reported, so a clean load builds no paths.
#[derive(Clone, Copy)]
enum Path<'p> {
    /// The document itself.
    Root,
    /// A field of an object.
    Key(&'p Path<'p>, &'static str),
    /// An element of an array.
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn write_to(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write_to(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write_to(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }

    /// The path as problems name it (`agreements[3].members[1].party`),
    /// with `$` for the document itself.
    fn render(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        if out.is_empty() {
            out.push('$');
        }
        out
    }
}

/// One JSON object being read: remembers which keys were read so the rest
/// can be kept as unknown fields.
struct Obj<'a, 'p> {
    fields: &'a [(Cow<'a, str>, Raw<'a>)],
    path: Path<'p>,
    read: Vec<&'static str>,
}

impl Walker {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn object<'a, 'p>(&mut self, value: &'a Raw<'a>, path: Path<'p>) -> Option<Obj<'a, 'p>> {
        match value {
            Raw::Object(fields) => Some(Obj {
                fields,
                path,
                read: Vec::new(),
            }),
            other => {
                self.problem(
                    path.render(),
                    format!("expected an object, found {}", json_kind(other)),
                );
                None
            }
        }
    }

    fn array<'a>(&mut self, o: &mut Obj<'a, '_>, key: &'static str) -> &'a [Raw<'a>] {
        match o.get(key) {
            None => &[],
            Some(Raw::Array(items)) => items,
            Some(other) => {
                self.problem(
                    o.at(key),
                    format!("expected an array, found {}", json_kind(other)),
                );
                &[]
            }
        }
    }

    /// Reads each element of the array `key` as an object with `read`.
    fn list<'a, T>(
        &mut self,
        o: &mut Obj<'a, '_>,
        key: &'static str,
        mut read: impl FnMut(&mut Self, Obj<'a, '_>) -> Option<T>,
    ) -> Vec<T> {
        let items = self.array(o, key);
        let at = o.key(key);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(obj) = self.object(item, Path::Index(&at, i)) {
                if let Some(value) = read(self, obj) {
                    out.push(value);
                }
            }
        }
        out
    }

    /// Reads a top-level list of records, noting where each came from,
    /// whether it read cleanly, and every id declared in it.
    fn records<'a, T>(
        &mut self,
        o: &mut Obj<'a, '_>,
        key: &'static str,
        mut read: impl FnMut(&mut Self, Obj<'a, '_>) -> Option<T>,
    ) -> (Vec<T>, Vec<Place>, Vec<String>) {
        let items = self.array(o, key);
        let mut out = Vec::with_capacity(items.len());
        let mut places = Vec::with_capacity(items.len());
        let mut declared = Vec::with_capacity(items.len());
        let at = o.key(key);
        for (position, item) in items.iter().enumerate() {
            if let Some(id) = item.field("id").and_then(Raw::as_str) {
                declared.push(id.to_string());
            }
            let before = self.problems.len();
            let path = Path::Index(&at, position);
            if let Some(value) = self.object(item, path).and_then(|obj| read(self, obj)) {
                out.push(value);
                places.push(Place {
                    position,
                    clean: self.problems.len() == before,
                });
            }
        }
        (out, places, declared)
    }

    fn opt_str(&mut self, o: &mut Obj<'_, '_>, key: &'static str) -> Option<String> {
        self.opt_text(o, key).map(str::to_string)
    }

    /// The string `key`, borrowed from the document.
    fn opt_text<'a>(&mut self, o: &mut Obj<'a, '_>, key: &'static str) -> Option<&'a str> {
        match o.get(key)? {
            Raw::String(s) => Some(s),
            other => {
                self.problem(
                    o.at(key),
                    format!("expected a string, found {}", json_kind(other)),
                );
                None
            }
        }
    }

    fn req_str(&mut self, o: &mut Obj<'_, '_>, key: &'static str) -> Option<String> {
        if o.get(key).is_none() {
            self.problem(o.at(key), "is required");
            return None;
        }
        let text = self.opt_str(o, key)?;
        if text.trim().is_empty() {
            self.problem(o.at(key), "may not be empty");
            return None;
        }
        Some(text)
    }

    fn opt_parse<T, E: Display>(
        &mut self,
        o: &mut Obj<'_, '_>,
        key: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let text = self.opt_text(o, key)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(e) => {
                self.problem(o.at(key), e.to_string());
                None
            }
        }
    }

    fn req_parse<T, E: Display>(
        &mut self,
        o: &mut Obj<'_, '_>,
        key: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        if o.get(key).is_none() {
            self.problem(o.at(key), "is required");
            return None;
        }
        self.opt_parse(o, key, parse)
    }

    fn opt_date(&mut self, o: &mut Obj<'_, '_>, key: &'static str) -> Option<NaiveDate> {
        self.opt_parse(o, key, parse_date)
    }

    fn req_date(&mut self, o: &mut Obj<'_, '_>, key: &'static str) -> Option<NaiveDate> {
        self.req_parse(o, key, parse_date)
    }

    fn money(&mut self, o: &mut Obj<'_, '_>, key: &'static str, required: bool) -> Option<Money> {
        let currency = self.currency.unwrap_or(Currency::GBP);
        let parse = |text: &str| Money::parse(text, currency);
        if required {
            self.req_parse(o, key, parse)
        } else {
            self.opt_parse(o, key, parse)
        }
    }

    fn opt_u32(&mut self, o: &mut Obj<'_, '_>, key: &'static str) -> Option<u32> {
        let value = o.get(key)?;
        match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                self.problem(
                    o.at(key),
                    format!(
                        "expected a whole number from 0 to {}, found {}",
                        u32::MAX,
                        value.to_value()
                    ),
                );
                None
            }
        }
    }

    fn opt_bool(&mut self, o: &mut Obj<'_, '_>, key: &'static str) -> bool {
        match o.get(key) {
            None => false,
            Some(Raw::Bool(b)) => *b,
            Some(other) => {
                self.problem(
                    o.at(key),
                    format!("expected true or false, found {}", json_kind(other)),
                );
                false
            }
        }
    }

    fn string_list(&mut self, o: &mut Obj<'_, '_>, key: &'static str) -> Vec<String> {
        let items = self.array(o, key);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Raw::String(s) => out.push(s.to_string()),
                other => self.problem(
                    Path::Index(&o.key(key), i).render(),
                    format!("expected a string, found {}", json_kind(other)),
                ),
            }
        }
        out
    }

    fn provenance(&mut self, o: &mut Obj<'_, '_>) -> Provenance {
        Provenance {
            source: self.opt_str(o, "source"),
            illustrative: self.string_list(o, "illustrative"),
        }
    }

    fn document(&mut self, value: &Raw<'_>) -> Document {
        let Some(mut o) = self.object(value, Path::Root) else {
            return Document::default();
        };
        match o.get("schema_version") {
            None => self.problem("schema_version", "is required"),
            Some(v) if v.as_u64() == Some(SCHEMA_VERSION) => {}
            Some(v) => self.problem(
                "schema_version",
                format!(
                    "unsupported schema version {}: this crate reads version {SCHEMA_VERSION}",
                    v.to_value()
                ),
            ),
        }
        let currency = self
            .opt_parse(&mut o, "currency", Currency::new)
            .unwrap_or(Currency::GBP);
        self.currency = Some(currency);
        let name = self.opt_str(&mut o, "name");
        let (parties, party_places, declared_parties) =
            self.records(&mut o, "parties", Self::party);
        let (agreements, agreement_places, declared_agreements) =
            self.records(&mut o, "agreements", Self::agreement);
        let (bodies, body_places, declared_bodies) = self.records(&mut o, "bodies", Self::body);
        Document {
            origin: Origin {
                parties: party_places,
                agreements: agreement_places,
                bodies: body_places,
                declared_parties,
                declared_agreements,
                declared_bodies,
            },
            info: RegistryInfo {
                name,
                currency,
                extra: o.rest(),
            },
            parties,
            agreements,
            bodies,
        }
    }

    fn party(&mut self, mut o: Obj<'_, '_>) -> Option<Party> {
        let id = self.req_parse(&mut o, "id", PartyId::new);
        let name = self.req_str(&mut o, "name");
        let kind = self.req_parse(&mut o, "kind", parse_keyword::<PartyKind>);
        let region = self.opt_str(&mut o, "region");
        let signs_as = self.opt_str(&mut o, "signs_as");
        let identifiers = self.list(&mut o, "identifiers", |w, mut e| {
            let scheme = w.req_str(&mut e, "scheme");
            let id = w.req_str(&mut e, "id");
            Some(ExternalId {
                scheme: scheme?,
                id: id?,
            })
        });
        let overseen_by = self.list(&mut o, "overseen_by", |w, mut e| {
            let by = w.req_parse(&mut e, "by", PartyId::new);
            let from = w.opt_date(&mut e, "from");
            let until = w.opt_date(&mut e, "until");
            Some(Oversight {
                by: by?,
                from,
                until,
            })
        });
        let metrics = self.list(&mut o, "metrics", |w, mut e| {
            let metric = w.req_str(&mut e, "metric");
            let year = w.req_parse(&mut e, "year", str::parse::<FinancialYear>);
            let value = w.req_parse(&mut e, "value", str::parse::<Quantity>);
            let illustrative = w.opt_bool(&mut e, "illustrative");
            Some(Metric {
                metric: metric?,
                year: year?,
                value: value?,
                illustrative,
            })
        });
        let provenance = self.provenance(&mut o);
        Some(Party {
            id: id?,
            name: name?,
            kind: kind?,
            region,
            signs_as,
            identifiers,
            overseen_by,
            metrics,
            provenance,
            extra: o.rest(),
        })
    }

    fn agreement(&mut self, mut o: Obj<'_, '_>) -> Option<Agreement> {
        let id = self.req_parse(&mut o, "id", AgreementId::new);
        let title = self.req_str(&mut o, "title");
        let purpose = self.opt_str(&mut o, "purpose");
        let legal_basis = self.req_parse(&mut o, "legal_basis", parse_keyword::<LegalBasis>);
        let functions = {
            let items = self.array(&mut o, "functions");
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let path = || Path::Index(&o.key("functions"), i).render();
                match item.as_str().map(parse_keyword::<Function>) {
                    Some(Ok(f)) => out.push(f),
                    Some(Err(e)) => self.problem(path(), e),
                    None => self.problem(
                        path(),
                        format!("expected a string, found {}", json_kind(item)),
                    ),
                }
            }
            out
        };
        let part_of = self.opt_parse(&mut o, "part_of", AgreementId::new);
        let start = self.req_date(&mut o, "start");
        let end = self.opt_date(&mut o, "end");
        if o.get("status").is_none() {
            self.problem(
                o.at("status"),
                "is required: a list of dated status changes",
            );
        }
        let status = self.list(&mut o, "status", |w, mut e| {
            let status = w.req_parse(&mut e, "status", parse_keyword::<Status>);
            let from = w.req_date(&mut e, "from");
            let recorded = w.opt_date(&mut e, "recorded");
            let note = w.opt_str(&mut e, "note");
            Some(StatusChange {
                status: status?,
                from: from?,
                recorded,
                note,
                extra: e.rest(),
            })
        });
        let members = self.list(&mut o, "members", Self::membership);
        let declined = self.list(&mut o, "declined", |w, mut e| {
            let party = w.req_parse(&mut e, "party", PartyId::new);
            let on = w.opt_date(&mut e, "on");
            let note = w.opt_str(&mut e, "note");
            Some(Declined {
                party: party?,
                on,
                note,
                extra: e.rest(),
            })
        });
        let responsibilities = match o.get("responsibilities") {
            None => Responsibilities::default(),
            Some(v) => match self.object(v, o.key("responsibilities")) {
                None => Responsibilities::default(),
                Some(mut e) => Responsibilities {
                    asset_owner: self.opt_parse(&mut e, "asset_owner", PartyId::new),
                    employer: self.opt_parse(&mut e, "employer", PartyId::new),
                },
            },
        };
        let review = match o.get("review") {
            None => ReviewPolicy::default(),
            Some(v) => match self.object(v, o.key("review")) {
                None => ReviewPolicy::default(),
                Some(e) => self.review_policy(e),
            },
        };
        let leaving = match o.get("leaving") {
            None => LeavingRules::default(),
            Some(v) => match self.object(v, o.key("leaving")) {
                None => LeavingRules::default(),
                Some(mut e) => LeavingRules {
                    notice_months: self.opt_u32(&mut e, "notice_months"),
                    align_to_financial_year_end: self
                        .opt_bool(&mut e, "align_to_financial_year_end"),
                    leaver_pays_exit_costs: self.opt_bool(&mut e, "leaver_pays_exit_costs"),
                    part_year: self
                        .opt_parse(&mut e, "part_year", parse_keyword::<PartYear>)
                        .unwrap_or_default(),
                },
            },
        };
        let publication = match o.get("publication") {
            None => Publication::default(),
            Some(v) => match self.object(v, o.key("publication")) {
                None => Publication::default(),
                Some(mut e) => Publication {
                    level: self
                        .req_parse(&mut e, "level", parse_keyword::<PublicationLevel>)
                        .unwrap_or_default(),
                    reason: self.opt_str(&mut e, "reason"),
                },
            },
        };
        let costs = match o.get("costs") {
            None => CostArrangement::default(),
            Some(v) => match self.object(v, o.key("costs")) {
                None => CostArrangement::default(),
                Some(e) => self.costs(e),
            },
        };
        let amendments = self.list(&mut o, "amendments", Self::amendment);
        let provenance = self.provenance(&mut o);
        Some(Agreement {
            id: id?,
            title: title?,
            purpose,
            legal_basis: legal_basis?,
            functions,
            part_of,
            start: start?,
            end,
            status,
            members,
            declined,
            responsibilities,
            review,
            leaving,
            publication,
            costs,
            amendments,
            provenance,
            extra: o.rest(),
        })
    }

    fn membership(&mut self, mut o: Obj<'_, '_>) -> Option<Membership> {
        let party = self.req_parse(&mut o, "party", PartyId::new);
        let role = self.req_parse(&mut o, "role", parse_keyword::<Role>);
        let joined = self.req_date(&mut o, "joined");
        let left = self.opt_date(&mut o, "left");
        let notice_served = self.opt_date(&mut o, "notice_served");
        let recorded = match o.get("recorded") {
            None => Recorded::default(),
            Some(v) => match self.object(v, o.key("recorded")) {
                None => Recorded::default(),
                Some(mut e) => Recorded {
                    joined: self.opt_date(&mut e, "joined"),
                    notice_served: self.opt_date(&mut e, "notice_served"),
                    left: self.opt_date(&mut e, "left"),
                },
            },
        };
        let illustrative = self.opt_bool(&mut o, "illustrative");
        Some(Membership {
            party: party?,
            role: role?,
            joined: joined?,
            left,
            notice_served,
            recorded,
            illustrative,
            extra: o.rest(),
        })
    }

    fn review_policy(&mut self, mut o: Obj<'_, '_>) -> ReviewPolicy {
        let cadence_months = self.opt_u32(&mut o, "cadence_months");
        let next_due = self.opt_date(&mut o, "next_due");
        let held = self.list(&mut o, "held", |w, mut e| {
            let date = w.req_date(&mut e, "date");
            let recorded = w.opt_date(&mut e, "recorded");
            let by = w.opt_parse(&mut e, "by", BodyId::new);
            let outcome = w.opt_str(&mut e, "outcome");
            Some(Review {
                date: date?,
                recorded,
                by,
                outcome,
                extra: e.rest(),
            })
        });
        ReviewPolicy {
            cadence_months,
            next_due,
            held,
        }
    }

    fn costs(&mut self, mut o: Obj<'_, '_>) -> CostArrangement {
        let budgets = self.list(&mut o, "budgets", |w, mut e| {
            let year = w.req_parse(&mut e, "year", str::parse::<FinancialYear>);
            let amount = w.money(&mut e, "amount", true);
            let illustrative = w.opt_bool(&mut e, "illustrative");
            Some(Budget {
                year: year?,
                amount: amount?,
                illustrative,
            })
        });
        let formulas = self.list(&mut o, "formulas", |w, mut e| {
            let from = w.req_date(&mut e, "from");
            let formula = match e.get("formula") {
                None => {
                    w.problem(e.at("formula"), "is required");
                    None
                }
                Some(v) => w.formula(v, e.key("formula")),
            };
            Some(DatedFormula {
                from: from?,
                formula: formula?,
            })
        });
        let usage = self.list(&mut o, "usage", |w, mut e| {
            let year = w.req_parse(&mut e, "year", str::parse::<FinancialYear>);
            let party = w.req_parse(&mut e, "party", PartyId::new);
            let units = w.req_parse(&mut e, "units", str::parse::<Quantity>);
            Some(Usage {
                year: year?,
                party: party?,
                units: units?,
            })
        });
        let baseline = self.money(&mut o, "baseline", false);
        let savings = match o.get("savings") {
            None => Savings::default(),
            Some(v) => match self.object(v, o.key("savings")) {
                None => Savings::default(),
                Some(mut e) => Savings {
                    target: self.money(&mut e, "target", false),
                    target_percent: self.opt_parse(&mut e, "target_percent", str::parse::<Percent>),
                    target_by: self.opt_parse(&mut e, "target_by", str::parse::<FinancialYear>),
                    realised: self.list(&mut e, "realised", |w, mut r| {
                        let year = w.req_parse(&mut r, "year", str::parse::<FinancialYear>);
                        let amount = w.money(&mut r, "amount", true);
                        Some(RealisedSaving {
                            year: year?,
                            amount: amount?,
                        })
                    }),
                    realised_percent: self.opt_parse(
                        &mut e,
                        "realised_percent",
                        str::parse::<Percent>,
                    ),
                },
            },
        };
        CostArrangement {
            budgets,
            formulas,
            usage,
            baseline,
            savings,
        }
    }

    fn formula(&mut self, value: &Raw<'_>, path: Path<'_>) -> Option<Formula> {
        let mut o = self.object(value, path)?;
        let kind = self.req_str(&mut o, "kind")?;
        match kind.as_str() {
            "equal" => Some(Formula::Equal),
            "usage" => Some(Formula::Usage),
            "metric" => Some(Formula::Metric {
                metric: self.req_str(&mut o, "metric")?,
            }),
            "fixed_percentages" => {
                let shares = self.list(&mut o, "shares", |w, mut e| {
                    let party = w.req_parse(&mut e, "party", PartyId::new);
                    let percent = w.req_parse(&mut e, "percent", str::parse::<Percent>);
                    Some(FixedShare {
                        party: party?,
                        percent: percent?,
                    })
                });
                Some(Formula::FixedPercentages { shares })
            }
            "blend" => {
                let parts = self.list(&mut o, "parts", |w, mut e| {
                    let weight = w.req_parse(&mut e, "weight", str::parse::<Percent>);
                    let formula = match e.get("formula") {
                        None => {
                            w.problem(e.at("formula"), "is required");
                            None
                        }
                        Some(v) => w.formula(v, e.key("formula")),
                    };
                    Some(BlendPart {
                        weight: weight?,
                        formula: formula?,
                    })
                });
                Some(Formula::Blend { parts })
            }
            other => {
                self.problem(
                    o.at("kind"),
                    format!("unknown formula kind {other:?}; expected one of: equal, fixed_percentages, metric, usage, blend"),
                );
                None
            }
        }
    }

    fn amendment(&mut self, mut o: Obj<'_, '_>) -> Option<Amendment> {
        let date = self.req_date(&mut o, "date");
        let recorded = self.opt_date(&mut o, "recorded");
        let kind = self
            .opt_parse(&mut o, "kind", parse_keyword::<AmendmentKind>)
            .unwrap_or_default();
        let summary = self.req_str(&mut o, "summary");
        let changes = self.list(&mut o, "changes", |w, mut e| {
            let field = w.req_str(&mut e, "field");
            Some(FieldChange {
                field: field?,
                before: e.get("before").map(Raw::to_value),
                after: e.get("after").map(Raw::to_value),
            })
        });
        Some(Amendment {
            date: date?,
            recorded,
            kind,
            summary: summary?,
            changes,
            extra: o.rest(),
        })
    }

    fn body(&mut self, mut o: Obj<'_, '_>) -> Option<GovernanceBody> {
        let id = self.req_parse(&mut o, "id", BodyId::new);
        let name = self.req_str(&mut o, "name");
        let kind = self.req_parse(&mut o, "kind", parse_keyword::<BodyKind>);
        let governs = {
            let items = self.array(&mut o, "governs");
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let path = || Path::Index(&o.key("governs"), i).render();
                match item.as_str().map(AgreementId::new) {
                    Some(Ok(id)) => out.push(id),
                    Some(Err(e)) => self.problem(path(), e.to_string()),
                    None => self.problem(
                        path(),
                        format!("expected a string, found {}", json_kind(item)),
                    ),
                }
            }
            out
        };
        let seats = self.list(&mut o, "seats", |w, mut e| {
            let party = w.req_parse(&mut e, "party", PartyId::new);
            let role = w.req_parse(&mut e, "role", parse_keyword::<SeatRole>);
            let votes = if e.get("votes").is_some() {
                w.opt_u32(&mut e, "votes")
            } else {
                w.problem(e.at("votes"), "is required");
                None
            };
            Some(Seat {
                party: party?,
                role: role?,
                votes: votes?,
            })
        });
        let decision_rule = match o.get("decision_rule") {
            None => {
                self.problem(o.at("decision_rule"), "is required");
                None
            }
            Some(v) => self
                .object(v, o.key("decision_rule"))
                .and_then(|e| self.decision_rule(e)),
        };
        let reports_to = self.opt_parse(&mut o, "reports_to", BodyId::new);
        let delegated_limits = self.list(&mut o, "delegated_limits", |w, mut e| {
            let matter = w.req_str(&mut e, "matter");
            let limit = w.money(&mut e, "limit", true);
            Some(DelegatedLimit {
                matter: matter?,
                limit: limit?,
            })
        });
        let provenance = self.provenance(&mut o);
        Some(GovernanceBody {
            id: id?,
            name: name?,
            kind: kind?,
            governs,
            seats,
            decision_rule: decision_rule?,
            reports_to,
            delegated_limits,
            provenance,
            extra: o.rest(),
        })
    }

    fn decision_rule(&mut self, mut o: Obj<'_, '_>) -> Option<DecisionRule> {
        let rule = self.req_str(&mut o, "rule")?;
        match rule.as_str() {
            "unanimity" => Some(DecisionRule::Unanimity),
            "simple_majority" => Some(DecisionRule::SimpleMajority),
            "qualified_majority" => Some(DecisionRule::QualifiedMajority {
                at_least: self.req_parse(&mut o, "at_least", parse_fraction)?,
            }),
            "weighted_by_cost_share" => Some(DecisionRule::WeightedByCostShare {
                at_least: self.req_parse(&mut o, "at_least", parse_fraction)?,
            }),
            other => {
                self.problem(
                    o.at("rule"),
                    format!("unknown decision rule {other:?}; expected one of: unanimity, simple_majority, qualified_majority, weighted_by_cost_share"),
                );
                None
            }
        }
    }
}

impl<'a> Obj<'a, '_> {
    /// The value of `key`, marking it read; `null` counts as absent.
    fn get(&mut self, key: &'static str) -> Option<&'a Raw<'a>> {
        if !self.read.contains(&key) {
            self.read.push(key);
        }
        let fields: &'a [(Cow<'a, str>, Raw<'a>)] = self.fields;
        fields
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Raw::Null))
    }

    /// Where `key` sits inside this object.
    fn key(&self, key: &'static str) -> Path<'_> {
        Path::Key(&self.path, key)
    }

    /// The path of `key` inside this object, written out for a problem.
    fn at(&self, key: &'static str) -> String {
        self.key(key).render()
    }

    /// The fields that were never read: unknown to this crate, kept as they are.
    fn rest(self) -> Extra {
        // Collecting into the map keeps the last of a repeated key, as
        // parsing into a `Value` does.
        self.fields
            .iter()
            .filter(|(k, _)| !self.read.contains(&k.as_ref()))
            .map(|(k, v)| (k.to_string(), v.to_value()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_parse_back<K: Keyword + PartialEq + std::fmt::Debug>() {
        for k in K::all() {
            assert_eq!(parse_keyword::<K>(k.name()).ok(), Some(*k), "{}", K::WHAT);
        }
        assert!(parse_keyword::<K>("no_such_name").is_err());
    }

    #[test]
    fn every_keyword_reads_back_from_its_file_name() {
        names_parse_back::<PartyKind>();
        names_parse_back::<LegalBasis>();
        names_parse_back::<Status>();
        names_parse_back::<BodyKind>();
        names_parse_back::<SeatRole>();
        names_parse_back::<Role>();
        names_parse_back::<PublicationLevel>();
        names_parse_back::<PartYear>();
        names_parse_back::<AmendmentKind>();
        names_parse_back::<Function>();
        assert_eq!(
            serde_json::to_string(&LegalBasis::Section22aPoliceAct1996)
                .ok()
                .as_deref(),
            Some("\"section_22a_police_act_1996\"")
        );
    }

    #[test]
    fn fractions_are_checked() {
        assert_eq!(
            parse_fraction("2/3").map(|f| f.to_string()).ok(),
            Some("2/3".to_string())
        );
        for bad in ["0/3", "4/3", "1/0", "2", "a/b", "-1/2"] {
            assert!(parse_fraction(bad).is_err(), "{bad}");
        }
    }
}
