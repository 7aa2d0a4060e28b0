//! Amendments: variations, extensions and renewals, each with every change
//! it made, field by field, typed, with the value before and after.
//!
//! A record holds its terms as they now stand; its amendments hold what
//! they replaced. The terms as of any day, as the register stood on any
//! day, are read back from them: for each field, the value after the last
//! change in effect (taken in date order, then the order entered), or, with
//! none in effect, the value before the first. The loader checks that each
//! change's `before` is what the record held when it was entered and that
//! the record holds what the last change left.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::agreement::{Functions, LeavingRules, LegalBases, Publication, Responsibilities, Terms};
use super::costs::{Budget, Formula, PartYear, Savings};
use super::dates::{FinancialYear, PartialDate, parse_date};
use super::governance::{BodyKind, BodyTerms, DecisionRule, DelegatedLimit};
use super::id::{AgreementId, PartyId};
use super::keyword::keywords;
use super::membership::Role;
use super::money::{Money, Quantity};
use super::party::{PartyKind, PartyTerms};
use super::review::ReviewTerms;
use super::unknown::Extra;

keywords! {
    /// What kind of amendment.
    pub enum AmendmentKind ("amendment kind") {
        /// A variation of terms.
        Variation => "variation",
        /// An extension of the end date.
        Extension => "extension",
        /// A renewal for a further term.
        Renewal => "renewal",
        /// A correction of a value entered wrongly.
        Correction => "correction",
    }
}

impl Default for AmendmentKind {
    fn default() -> Self {
        AmendmentKind::Variation
    }
}

/// A field's value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Change<T> {
    /// The value before.
    pub before: T,
    /// The value after.
    pub after: T,
    /// Fields this version of the crate does not know, kept with the change.
    pub extra: Extra,
}

impl<T: PartialEq> Change<T> {
    /// A change from `before` to `after`.
    pub fn new(before: T, after: T) -> Self {
        Change {
            before,
            after,
            extra: Extra::new(),
        }
    }

    /// A change from `before` to `after`, or `None` when they are equal.
    pub fn between(before: T, after: T) -> Option<Self> {
        (before != after).then(|| Change::new(before, after))
    }
}

/// A recorded amendment of a record (an agreement's [`AgreementChange`]s, a
/// party's [`PartyChange`]s, a body's [`BodyChange`]s): when it takes effect,
/// when it was entered, what kind it is, and each change it made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Amendment<C> {
    /// The day it takes effect.
    pub date: NaiveDate,
    /// The day it was entered in the register, if not the day it took effect.
    pub recorded: Option<NaiveDate>,
    /// What kind of amendment it is.
    pub kind: AmendmentKind,
    /// What it does, in a sentence.
    pub summary: String,
    /// Each change, field by field.
    pub changes: Vec<C>,
    /// Fields this version of the crate does not know.
    pub extra: Extra,
}

impl<C> Amendment<C> {
    /// An amendment taking effect on `date`.
    #[must_use]
    pub fn new(
        date: NaiveDate,
        kind: AmendmentKind,
        summary: impl Into<String>,
        changes: Vec<C>,
    ) -> Self {
        Amendment {
            date,
            recorded: None,
            kind,
            summary: summary.into(),
            changes,
            extra: Extra::new(),
        }
    }

    /// The day it was entered.
    #[must_use]
    pub fn entered_on(&self) -> NaiveDate {
        self.recorded.unwrap_or(self.date)
    }
}

impl<C: Serialize> Serialize for Amendment<C> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("date", &self.date)?;
        if let Some(recorded) = &self.recorded {
            map.serialize_entry("recorded", recorded)?;
        }
        map.serialize_entry("kind", &self.kind)?;
        map.serialize_entry("summary", &self.summary)?;
        map.serialize_entry("changes", &self.changes)?;
        for (k, v) in self.extra.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Writes one change as `{"field": ..., "before": ..., "after": ...}`,
/// then its unknown fields.
fn write_change<S: serde::Serializer, T: Serialize>(
    serializer: S,
    field: &dyn fmt::Display,
    change: &Change<T>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("field", &field.to_string())?;
    map.serialize_entry("before", &change.before)?;
    map.serialize_entry("after", &change.after)?;
    for (k, v) in change.extra.iter() {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// A field path that is not one an amendment can change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown field {path:?}: expected one of {expected}")]
pub struct FieldError {
    path: String,
    expected: &'static str,
}

impl FieldError {
    fn new(path: &str, expected: &'static str) -> Self {
        FieldError {
            path: path.chars().take(120).collect(),
            expected,
        }
    }
}

/// Splits `name[key]` into the key, when `path` is `prefix[...]` + `suffix`.
fn keyed<'p>(path: &'p str, prefix: &str, suffix: &str) -> Option<&'p str> {
    path.strip_prefix(prefix)?
        .strip_prefix('[')?
        .strip_suffix(suffix)?
        .strip_suffix(']')
}

/// Splits a `party@date`-style key.
fn at_key(key: &str) -> Option<(&str, &str)> {
    key.rsplit_once('@')
}

/// The field of an agreement an [`AgreementChange`] changes, written as a
/// path: `title`, `end`, `review`, `costs.budgets[2021/22]`,
/// `costs.formulas[2016-04-01]`, `costs.usage[leicestershire-police@2021/22]`,
/// `members[derbyshire-police@2012-04-01].role`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AgreementField {
    /// `title`
    Title,
    /// `purpose`
    Purpose,
    /// `legal_basis`
    LegalBasis,
    /// `functions`
    Functions,
    /// `part_of`
    PartOf,
    /// `end`
    End,
    /// `review`
    Review,
    /// `leaving`
    Leaving,
    /// `publication`
    Publication,
    /// `responsibilities`
    Responsibilities,
    /// `costs.part_year`
    PartYear,
    /// `costs.baseline`
    Baseline,
    /// `costs.savings`
    Savings,
    /// `costs.budgets[YEAR]`
    Budget(FinancialYear),
    /// `costs.formulas[DAY]`
    Formula(NaiveDate),
    /// `costs.usage[PARTY@YEAR]`
    Usage(PartyId, FinancialYear),
    /// `members[PARTY@JOINED].role`
    Role(PartyId, PartialDate),
}

const AGREEMENT_FIELDS: &str = "title, purpose, legal_basis, functions, part_of, end, review, leaving, publication, responsibilities, costs.part_year, costs.baseline, costs.savings, costs.budgets[YEAR], costs.formulas[DAY], costs.usage[PARTY@YEAR], members[PARTY@JOINED].role";

impl fmt::Display for AgreementField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgreementField::Title => f.write_str("title"),
            AgreementField::Purpose => f.write_str("purpose"),
            AgreementField::LegalBasis => f.write_str("legal_basis"),
            AgreementField::Functions => f.write_str("functions"),
            AgreementField::PartOf => f.write_str("part_of"),
            AgreementField::End => f.write_str("end"),
            AgreementField::Review => f.write_str("review"),
            AgreementField::Leaving => f.write_str("leaving"),
            AgreementField::Publication => f.write_str("publication"),
            AgreementField::Responsibilities => f.write_str("responsibilities"),
            AgreementField::PartYear => f.write_str("costs.part_year"),
            AgreementField::Baseline => f.write_str("costs.baseline"),
            AgreementField::Savings => f.write_str("costs.savings"),
            AgreementField::Budget(year) => write!(f, "costs.budgets[{year}]"),
            AgreementField::Formula(from) => write!(f, "costs.formulas[{from}]"),
            AgreementField::Usage(party, year) => write!(f, "costs.usage[{party}@{year}]"),
            AgreementField::Role(party, joined) => write!(f, "members[{party}@{joined}].role"),
        }
    }
}

impl FromStr for AgreementField {
    type Err = FieldError;
    fn from_str(path: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(path, AGREEMENT_FIELDS);
        Ok(match path {
            "title" => AgreementField::Title,
            "purpose" => AgreementField::Purpose,
            "legal_basis" => AgreementField::LegalBasis,
            "functions" => AgreementField::Functions,
            "part_of" => AgreementField::PartOf,
            "end" => AgreementField::End,
            "review" => AgreementField::Review,
            "leaving" => AgreementField::Leaving,
            "publication" => AgreementField::Publication,
            "responsibilities" => AgreementField::Responsibilities,
            "costs.part_year" => AgreementField::PartYear,
            "costs.baseline" => AgreementField::Baseline,
            "costs.savings" => AgreementField::Savings,
            _ => {
                if let Some(key) = keyed(path, "costs.budgets", "") {
                    AgreementField::Budget(key.parse().map_err(|_| bad())?)
                } else if let Some(key) = keyed(path, "costs.formulas", "") {
                    AgreementField::Formula(parse_date(key).map_err(|_| bad())?)
                } else if let Some(key) = keyed(path, "costs.usage", "") {
                    let (party, year) = at_key(key).ok_or_else(bad)?;
                    AgreementField::Usage(
                        PartyId::new(party).map_err(|_| bad())?,
                        year.parse().map_err(|_| bad())?,
                    )
                } else if let Some(key) = keyed(path, "members", ".role") {
                    let (party, joined) = at_key(key).ok_or_else(bad)?;
                    AgreementField::Role(
                        PartyId::new(party).map_err(|_| bad())?,
                        joined.parse().map_err(|_| bad())?,
                    )
                } else {
                    return Err(bad());
                }
            }
        })
    }
}

/// One change an amendment made to an agreement, typed by the field it
/// changed, with the value before and after. `None` before is something
/// added; `None` after is something removed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AgreementChange {
    /// `title`
    Title(Change<String>),
    /// `purpose`
    Purpose(Change<Option<String>>),
    /// `legal_basis`
    LegalBasis(Change<LegalBases>),
    /// `functions`
    Functions(Change<Functions>),
    /// `part_of`
    PartOf(Change<Option<AgreementId>>),
    /// `end`
    End(Change<Option<NaiveDate>>),
    /// `review`
    Review(Change<ReviewTerms>),
    /// `leaving`
    Leaving(Change<LeavingRules>),
    /// `publication`
    Publication(Change<Publication>),
    /// `responsibilities`
    Responsibilities(Change<Responsibilities>),
    /// `costs.part_year`
    PartYear(Change<PartYear>),
    /// `costs.baseline`
    Baseline(Change<Option<Money>>),
    /// `costs.savings`
    Savings(Change<Savings>),
    /// `costs.budgets[YEAR]`
    Budget(FinancialYear, Change<Option<Budget>>),
    /// `costs.formulas[DAY]`
    Formula(NaiveDate, Change<Option<Formula>>),
    /// `costs.usage[PARTY@YEAR]`
    Usage(PartyId, FinancialYear, Change<Option<Quantity>>),
    /// `members[PARTY@JOINED].role`
    Role(PartyId, PartialDate, Change<Role>),
}

impl AgreementChange {
    /// The field it changes.
    #[must_use]
    pub fn field(&self) -> AgreementField {
        match self {
            AgreementChange::Title(_) => AgreementField::Title,
            AgreementChange::Purpose(_) => AgreementField::Purpose,
            AgreementChange::LegalBasis(_) => AgreementField::LegalBasis,
            AgreementChange::Functions(_) => AgreementField::Functions,
            AgreementChange::PartOf(_) => AgreementField::PartOf,
            AgreementChange::End(_) => AgreementField::End,
            AgreementChange::Review(_) => AgreementField::Review,
            AgreementChange::Leaving(_) => AgreementField::Leaving,
            AgreementChange::Publication(_) => AgreementField::Publication,
            AgreementChange::Responsibilities(_) => AgreementField::Responsibilities,
            AgreementChange::PartYear(_) => AgreementField::PartYear,
            AgreementChange::Baseline(_) => AgreementField::Baseline,
            AgreementChange::Savings(_) => AgreementField::Savings,
            AgreementChange::Budget(year, _) => AgreementField::Budget(*year),
            AgreementChange::Formula(from, _) => AgreementField::Formula(*from),
            AgreementChange::Usage(party, year, _) => AgreementField::Usage(party.clone(), *year),
            AgreementChange::Role(party, joined, _) => AgreementField::Role(party.clone(), *joined),
        }
    }

    /// Every change between two versions of an agreement's terms, field by
    /// field, budgets, formulas and usage entry by entry, in field order.
    #[must_use]
    pub fn diff(before: &Terms, after: &Terms) -> Vec<AgreementChange> {
        let mut out = Vec::new();
        let (b, a) = (before, after);
        macro_rules! field {
            ($variant:ident, $get:expr) => {
                if let Some(c) = Change::between($get(b), $get(a)) {
                    out.push(AgreementChange::$variant(c));
                }
            };
        }
        field!(Title, |t: &Terms| t.title.clone());
        field!(Purpose, |t: &Terms| t.purpose.clone());
        field!(LegalBasis, |t: &Terms| t.legal_basis);
        field!(Functions, |t: &Terms| t.functions);
        field!(PartOf, |t: &Terms| t.part_of.clone());
        field!(End, |t: &Terms| t.end);
        field!(Review, |t: &Terms| t.review.clone());
        field!(Leaving, |t: &Terms| t.leaving.clone());
        field!(Publication, |t: &Terms| t.publication.clone());
        field!(Responsibilities, |t: &Terms| t.responsibilities.clone());
        field!(PartYear, |t: &Terms| t.costs.part_year);
        field!(Baseline, |t: &Terms| t.costs.baseline);
        field!(Savings, |t: &Terms| t.costs.savings.clone());
        merge_keyed(
            &b.costs.budgets,
            &a.costs.budgets,
            |x| x.year,
            |year, c| out.push(AgreementChange::Budget(year, c)),
        );
        merge_keyed(
            &b.costs.formulas,
            &a.costs.formulas,
            |x| x.from,
            |from, c: Change<Option<super::costs::DatedFormula>>| {
                out.push(AgreementChange::Formula(
                    from,
                    Change::new(c.before.map(|d| d.formula), c.after.map(|d| d.formula)),
                ));
            },
        );
        merge_keyed(
            &b.costs.usage,
            &a.costs.usage,
            |x| (x.year, x.party.clone()),
            |(year, party), c: Change<Option<super::costs::Usage>>| {
                out.push(AgreementChange::Usage(
                    party,
                    year,
                    Change::new(c.before.map(|u| u.units), c.after.map(|u| u.units)),
                ));
            },
        );
        out
    }
}

/// Walks two lists sorted by `key`, reporting each key whose entry differs.
fn merge_keyed<T: Clone + PartialEq, K: Ord>(
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> K,
    mut changed: impl FnMut(K, Change<Option<T>>),
) {
    let (mut i, mut j) = (0, 0);
    loop {
        match (before.get(i), after.get(j)) {
            (None, None) => break,
            (Some(x), None) => {
                changed(key(x), Change::new(Some(x.clone()), None));
                i += 1;
            }
            (None, Some(y)) => {
                changed(key(y), Change::new(None, Some(y.clone())));
                j += 1;
            }
            (Some(x), Some(y)) => match key(x).cmp(&key(y)) {
                std::cmp::Ordering::Less => {
                    changed(key(x), Change::new(Some(x.clone()), None));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    changed(key(y), Change::new(None, Some(y.clone())));
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    if x != y {
                        changed(key(x), Change::new(Some(x.clone()), Some(y.clone())));
                    }
                    i += 1;
                    j += 1;
                }
            },
        }
    }
}

impl Serialize for AgreementChange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        match self {
            AgreementChange::Title(c) => write_change(s, &field, c),
            AgreementChange::Purpose(c) => write_change(s, &field, c),
            AgreementChange::LegalBasis(c) => write_change(s, &field, c),
            AgreementChange::Functions(c) => write_change(s, &field, c),
            AgreementChange::PartOf(c) => write_change(s, &field, c),
            AgreementChange::End(c) => write_change(s, &field, c),
            AgreementChange::Review(c) => write_change(s, &field, c),
            AgreementChange::Leaving(c) => write_change(s, &field, c),
            AgreementChange::Publication(c) => write_change(s, &field, c),
            AgreementChange::Responsibilities(c) => write_change(s, &field, c),
            AgreementChange::PartYear(c) => write_change(s, &field, c),
            AgreementChange::Baseline(c) => write_change(s, &field, c),
            AgreementChange::Savings(c) => write_change(s, &field, c),
            AgreementChange::Budget(_, c) => write_change(s, &field, c),
            AgreementChange::Formula(_, c) => write_change(s, &field, c),
            AgreementChange::Usage(_, _, c) => write_change(s, &field, c),
            AgreementChange::Role(_, _, c) => write_change(s, &field, c),
        }
    }
}

/// The field of a party a [`PartyChange`] changes: `name`, `kind`,
/// `region`, `signs_as` or `metrics[METRIC@YEAR]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PartyField {
    /// `name`
    Name,
    /// `kind`
    Kind,
    /// `region`
    Region,
    /// `signs_as`
    SignsAs,
    /// `metrics[METRIC@YEAR]`
    Metric(String, FinancialYear),
}

impl fmt::Display for PartyField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartyField::Name => f.write_str("name"),
            PartyField::Kind => f.write_str("kind"),
            PartyField::Region => f.write_str("region"),
            PartyField::SignsAs => f.write_str("signs_as"),
            PartyField::Metric(metric, year) => write!(f, "metrics[{metric}@{year}]"),
        }
    }
}

impl FromStr for PartyField {
    type Err = FieldError;
    fn from_str(path: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(path, "name, kind, region, signs_as, metrics[METRIC@YEAR]");
        Ok(match path {
            "name" => PartyField::Name,
            "kind" => PartyField::Kind,
            "region" => PartyField::Region,
            "signs_as" => PartyField::SignsAs,
            _ => {
                let key = keyed(path, "metrics", "").ok_or_else(bad)?;
                let (metric, year) = at_key(key).ok_or_else(bad)?;
                if metric.trim().is_empty() {
                    return Err(bad());
                }
                PartyField::Metric(metric.to_string(), year.parse().map_err(|_| bad())?)
            }
        })
    }
}

/// One change an amendment made to a party, with the value before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartyChange {
    /// `name`: a police and crime commissioner that became a police, fire
    /// and crime commissioner, say.
    Name(Change<String>),
    /// `kind`
    Kind(Change<PartyKind>),
    /// `region`
    Region(Change<Option<String>>),
    /// `signs_as`
    SignsAs(Change<Option<String>>),
    /// `metrics[METRIC@YEAR]`
    Metric(String, FinancialYear, Change<Option<Quantity>>),
}

impl PartyChange {
    /// The field it changes.
    #[must_use]
    pub fn field(&self) -> PartyField {
        match self {
            PartyChange::Name(_) => PartyField::Name,
            PartyChange::Kind(_) => PartyField::Kind,
            PartyChange::Region(_) => PartyField::Region,
            PartyChange::SignsAs(_) => PartyField::SignsAs,
            PartyChange::Metric(metric, year, _) => PartyField::Metric(metric.clone(), *year),
        }
    }

    /// Every change between two versions of a party's terms.
    #[must_use]
    pub fn diff(before: &PartyTerms, after: &PartyTerms) -> Vec<PartyChange> {
        let mut out = Vec::new();
        if let Some(c) = Change::between(before.name.clone(), after.name.clone()) {
            out.push(PartyChange::Name(c));
        }
        if let Some(c) = Change::between(before.kind, after.kind) {
            out.push(PartyChange::Kind(c));
        }
        if let Some(c) = Change::between(before.region.clone(), after.region.clone()) {
            out.push(PartyChange::Region(c));
        }
        if let Some(c) = Change::between(before.signs_as.clone(), after.signs_as.clone()) {
            out.push(PartyChange::SignsAs(c));
        }
        merge_keyed(
            &before.metrics,
            &after.metrics,
            |m| (m.metric.clone(), m.year),
            |(metric, year), c: Change<Option<super::party::Metric>>| {
                let (b, a) = (c.before.map(|m| m.value), c.after.map(|m| m.value));
                if b != a {
                    out.push(PartyChange::Metric(metric, year, Change::new(b, a)));
                }
            },
        );
        out
    }
}

impl Serialize for PartyChange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        match self {
            PartyChange::Name(c) => write_change(s, &field, c),
            PartyChange::Kind(c) => write_change(s, &field, c),
            PartyChange::Region(c) => write_change(s, &field, c),
            PartyChange::SignsAs(c) => write_change(s, &field, c),
            PartyChange::Metric(_, _, c) => write_change(s, &field, c),
        }
    }
}

/// The field of a body a [`BodyChange`] changes: `name`, `kind`,
/// `decision_rule` or `delegated_limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum BodyField {
    /// `name`
    Name,
    /// `kind`
    Kind,
    /// `decision_rule`
    DecisionRule,
    /// `delegated_limits`
    DelegatedLimits,
}

impl fmt::Display for BodyField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BodyField::Name => "name",
            BodyField::Kind => "kind",
            BodyField::DecisionRule => "decision_rule",
            BodyField::DelegatedLimits => "delegated_limits",
        })
    }
}

impl FromStr for BodyField {
    type Err = FieldError;
    fn from_str(path: &str) -> Result<Self, FieldError> {
        Ok(match path {
            "name" => BodyField::Name,
            "kind" => BodyField::Kind,
            "decision_rule" => BodyField::DecisionRule,
            "delegated_limits" => BodyField::DelegatedLimits,
            _ => {
                return Err(FieldError::new(
                    path,
                    "name, kind, decision_rule, delegated_limits",
                ));
            }
        })
    }
}

/// One change an amendment made to a governance body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyChange {
    /// `name`
    Name(Change<String>),
    /// `kind`
    Kind(Change<BodyKind>),
    /// `decision_rule`
    DecisionRule(Change<DecisionRule>),
    /// `delegated_limits`
    DelegatedLimits(Change<Vec<DelegatedLimit>>),
}

impl BodyChange {
    /// The field it changes.
    #[must_use]
    pub fn field(&self) -> BodyField {
        match self {
            BodyChange::Name(_) => BodyField::Name,
            BodyChange::Kind(_) => BodyField::Kind,
            BodyChange::DecisionRule(_) => BodyField::DecisionRule,
            BodyChange::DelegatedLimits(_) => BodyField::DelegatedLimits,
        }
    }

    /// Every change between two versions of a body's terms.
    #[must_use]
    pub fn diff(before: &BodyTerms, after: &BodyTerms) -> Vec<BodyChange> {
        let mut out = Vec::new();
        if let Some(c) = Change::between(before.name.clone(), after.name.clone()) {
            out.push(BodyChange::Name(c));
        }
        if let Some(c) = Change::between(before.kind, after.kind) {
            out.push(BodyChange::Kind(c));
        }
        if let Some(c) = Change::between(before.decision_rule.clone(), after.decision_rule.clone())
        {
            out.push(BodyChange::DecisionRule(c));
        }
        if let Some(c) = Change::between(
            before.delegated_limits.clone(),
            after.delegated_limits.clone(),
        ) {
            out.push(BodyChange::DelegatedLimits(c));
        }
        out
    }
}

impl Serialize for BodyChange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        match self {
            BodyChange::Name(c) => write_change(s, &field, c),
            BodyChange::Kind(c) => write_change(s, &field, c),
            BodyChange::DecisionRule(c) => write_change(s, &field, c),
            BodyChange::DelegatedLimits(c) => write_change(s, &field, c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_read_back_from_what_they_write() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        let party = PartyId::new("derbyshire-police").ok();
        let year: Option<FinancialYear> = "2021/22".parse().ok();
        let (Some(party), Some(year)) = (party, year) else {
            panic!("test values")
        };
        let fields = [
            AgreementField::Title,
            AgreementField::End,
            AgreementField::Review,
            AgreementField::PartYear,
            AgreementField::Budget(year),
            AgreementField::Formula(d(2016, 4, 1)),
            AgreementField::Usage(party.clone(), year),
            AgreementField::Role(party, PartialDate::day(d(2012, 4, 1))),
        ];
        for field in fields {
            assert_eq!(
                field.to_string().parse::<AgreementField>().ok(),
                Some(field.clone())
            );
        }
        for bad in [
            "titel",
            "costs.budgets[2021]",
            "members[x].role",
            "members[a@2012-04-01]",
        ] {
            assert!(bad.parse::<AgreementField>().is_err(), "{bad}");
        }
        let metric = PartyField::Metric("officers".into(), year);
        assert_eq!(metric.to_string(), "metrics[officers@2021/22]");
        assert_eq!(metric.to_string().parse::<PartyField>().ok(), Some(metric));
    }
}
