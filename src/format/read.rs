//! Reading a document: the parsed JSON walked field by field into the model,
//! every problem collected with its path and code rather than stopping at
//! the first, and every field the crate does not know kept exactly.
//!
//! Each object is read in one pass over its fields, dispatching on the key,
//! so a lookup costs nothing per field; a record that fails to read is
//! still counted (its id declared), so one bad record does not make every
//! reference to it a second problem.

use std::borrow::Cow;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::model::{
    Agreement, AgreementChange, AgreementField, AgreementId, Amendment, AmendmentKind, Asset,
    AssetShare, BlendPart, BodyChange, BodyField, BodyId, BodyTerms, Budget, Change,
    ClassMembership, CostArrangement, Currency, DatedFormula, DecisionRule, Declined,
    DelegatedLimit, Ending, ExitCosts, ExternalId, Extra, FinancialYear, FixedShare, Formula,
    Fraction, Functions, GovernanceBody, Governs, Grant, LeavingRules, LegalBases, MemberCharge,
    Membership, Metric, Money, Oversight, PartialDate, Party, PartyChange, PartyField, PartyId,
    PartyTerms, Percent, Publication, Purchase, Quantity, RealisedSaving, Recorded, ReportsTo,
    Responsibilities, Review, ReviewTerms, Savings, Seat, Spell, SpellRecorded, StatusChange, Term,
    Terms, Unknown, Usage, parse_date,
};
use crate::problem::{Path, ProblemCode as Code, Problems};

use super::json::Json;

type Fields<'a, 't> = &'a [(Cow<'t, str>, Json<'t>)];

/// An unknown value, kept exactly.
pub(crate) fn unknown(v: &Json<'_>) -> Unknown {
    match v {
        Json::Null => Unknown::Null,
        Json::Bool(b) => Unknown::Bool(*b),
        Json::Number(n) => Unknown::Number(Box::<str>::from(&**n)),
        Json::String(s) => Unknown::String(s.to_string()),
        Json::Array(items) => Unknown::Array(items.iter().map(unknown).collect()),
        Json::Object(fields) => Unknown::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), unknown(v)))
                .collect(),
        ),
    }
}

fn kind_of(v: &Json<'_>) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// The unknown fields of an object, gathered while it is read.
#[derive(Default)]
struct Rest(Vec<(String, Unknown)>);

impl Rest {
    fn keep(&mut self, key: &str, v: &Json<'_>) {
        self.0.push((key.to_string(), unknown(v)));
    }

    fn extra(self) -> Extra {
        Extra::from_fields(self.0)
    }
}

/// Collects problems while reading, with the currency amounts are read in.
pub(crate) struct Reader {
    pub(crate) problems: Problems,
    pub(crate) currency: Currency,
}

/// What a value read as: absent (`null` counts as absent), wrong, or a value.
type Got<T> = Option<T>;

impl Reader {
    pub(crate) fn new(currency: Currency) -> Self {
        Reader {
            problems: Problems::default(),
            currency,
        }
    }

    fn wrong(&mut self, path: &Path<'_>, expected: &str, v: &Json<'_>) {
        self.problems.at(
            path,
            Code::WrongType,
            format!("expected {expected}, found {}", kind_of(v)),
        );
    }

    fn required(&mut self, path: &Path<'_>, what: &str) {
        self.problems
            .at(path, Code::Required, format!("is required{what}"));
    }

    pub(crate) fn object<'a, 't>(
        &mut self,
        v: &'a Json<'t>,
        path: &Path<'_>,
    ) -> Option<Fields<'a, 't>> {
        match v {
            Json::Object(fields) => Some(fields),
            other => {
                self.wrong(path, "an object", other);
                None
            }
        }
    }

    fn array<'a, 't>(&mut self, v: &'a Json<'t>, path: &Path<'_>) -> &'a [Json<'t>] {
        match v {
            Json::Array(items) => items,
            Json::Null => &[],
            other => {
                self.wrong(path, "an array", other);
                &[]
            }
        }
    }

    /// Reads each element of an array of objects.
    fn list<'a, 't, T>(
        &mut self,
        v: &'a Json<'t>,
        path: &Path<'_>,
        mut read: impl FnMut(&mut Self, Fields<'a, 't>, &Path<'_>) -> Option<T>,
    ) -> Vec<T> {
        let items = self.array(v, path);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = path.index(i);
            if let Some(value) = self.object(item, &at).and_then(|f| read(self, f, &at)) {
                out.push(value);
            }
        }
        out
    }

    fn text<'a>(&mut self, v: &'a Json<'_>, path: &Path<'_>) -> Got<&'a str> {
        match v {
            Json::String(s) => Some(s),
            Json::Null => None,
            other => {
                self.wrong(path, "a string", other);
                None
            }
        }
    }

    fn string(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<String> {
        self.text(v, path).map(str::to_string)
    }

    /// A text that, when present, may not be empty.
    fn name(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<String> {
        let text = self.text(v, path)?;
        if text.trim().is_empty() {
            self.problems.at(path, Code::Empty, "may not be empty");
            return None;
        }
        Some(text.to_string())
    }

    fn parse<T, E: std::fmt::Display>(
        &mut self,
        v: &Json<'_>,
        path: &Path<'_>,
        code: Code,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Got<T> {
        let text = self.text(v, path)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(e) => {
                self.problems.at(path, code, e.to_string());
                None
            }
        }
    }

    fn keyword<K: FromStr>(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<K>
    where
        K::Err: std::fmt::Display,
    {
        self.parse(v, path, Code::UnknownKeyword, K::from_str)
    }

    fn date(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<NaiveDate> {
        self.parse(v, path, Code::InvalidDate, parse_date)
    }

    fn partial(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<PartialDate> {
        self.parse(v, path, Code::InvalidDate, PartialDate::from_str)
    }

    fn year(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<FinancialYear> {
        self.parse(v, path, Code::InvalidFinancialYear, FinancialYear::from_str)
    }

    fn money(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<Money> {
        let currency = self.currency;
        self.parse(v, path, Code::InvalidAmount, |t| Money::parse(t, currency))
    }

    fn percent(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<Percent> {
        self.parse(v, path, Code::InvalidAmount, Percent::from_str)
    }

    fn quantity(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<Quantity> {
        self.parse(v, path, Code::InvalidAmount, Quantity::from_str)
    }

    fn party_id(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<PartyId> {
        self.parse(v, path, Code::InvalidId, PartyId::new)
    }

    fn agreement_id(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<AgreementId> {
        self.parse(v, path, Code::InvalidId, AgreementId::new)
    }

    fn body_id(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<BodyId> {
        self.parse(v, path, Code::InvalidId, BodyId::new)
    }

    fn whole(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<u32> {
        match v {
            Json::Null => None,
            Json::Number(n) => {
                if let Ok(n) = n.parse::<u32>() {
                    Some(n)
                } else {
                    self.problems.at(
                        path,
                        Code::OutOfRange,
                        format!(
                            "expected a whole number from 0 to {}, found {}",
                            u32::MAX,
                            shorten(n)
                        ),
                    );
                    None
                }
            }
            other => {
                self.wrong(path, "a whole number", other);
                None
            }
        }
    }

    fn flag(&mut self, v: &Json<'_>, path: &Path<'_>) -> bool {
        match v {
            Json::Bool(b) => *b,
            Json::Null => false,
            other => {
                self.wrong(path, "true or false", other);
                false
            }
        }
    }

    fn strings(&mut self, v: &Json<'_>, path: &Path<'_>) -> Vec<String> {
        let items = self.array(v, path);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(s) = self.string(item, &path.index(i)) {
                out.push(s);
            }
        }
        out
    }

    /// A field of `fields` that must be present: reports it missing when it
    /// is absent or `null`. A value that is there but could not be read has
    /// had its problem reported already, so it is not reported again.
    fn need<T>(
        &mut self,
        value: Got<T>,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
        key: &str,
    ) -> Got<T> {
        if value.is_none() && !fields.iter().any(|(k, v)| k == key && !v_null(v)) {
            self.required(&path.key(key), "");
        }
        value
    }

    // ---- records ----

    pub(crate) fn party(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Party> {
        let (mut id, mut name, mut kind, mut region, mut signs_as) = (None, None, None, None, None);
        let mut identifiers = Vec::new();
        let mut overseen_by = Vec::new();
        let mut metrics = Vec::new();
        let mut amendments = Vec::new();
        let (mut entered, mut source, mut illustrative) = (None, None, Vec::new());
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "id" => id = self.party_id(v, &at),
                "name" => name = self.name(v, &at),
                "kind" => kind = self.keyword(v, &at),
                "region" => region = self.string(v, &at),
                "signs_as" => signs_as = self.string(v, &at),
                "identifiers" => identifiers = self.list(v, &at, Self::external_id),
                "overseen_by" => overseen_by = self.list(v, &at, Self::oversight),
                "metrics" => metrics = self.list(v, &at, Self::metric),
                "amendments" => amendments = self.list(v, &at, Self::amendment),
                "entered" => entered = self.date(v, &at),
                "source" => source = self.string(v, &at),
                "illustrative" => illustrative = self.strings(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let id = self.need(id, fields, path, "id");
        let name = self.need(name, fields, path, "name");
        let kind = self.need(kind, fields, path, "kind");
        Some(Party {
            id: id?,
            terms: PartyTerms {
                name: name?,
                kind: kind?,
                region,
                signs_as,
                metrics,
            },
            identifiers,
            overseen_by,
            amendments,
            entered,
            provenance: provenance(source, illustrative),
            extra: rest.extra(),
        })
    }

    pub(crate) fn external_id(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<ExternalId> {
        let (mut scheme, mut id) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            match k.as_ref() {
                "scheme" => scheme = self.name(v, &path.key(k)),
                "id" => id = self.name(v, &path.key(k)),
                _ => rest.keep(k, v),
            }
        }
        let scheme = self.need(scheme, fields, path, "scheme");
        let id = self.need(id, fields, path, "id");
        let mut e = ExternalId::new(scheme?, id?);
        e.extra = rest.extra();
        Some(e)
    }

    pub(crate) fn oversight(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<Oversight> {
        let mut by = None;
        let mut spell = SpellFields::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            match k.as_ref() {
                "by" => by = self.party_id(v, &path.key(k)),
                _ if spell.read(self, k, v, path) => {}
                _ => rest.keep(k, v),
            }
        }
        let by = self.need(by, fields, path, "by")?;
        let mut o = Oversight::new(by, spell.spell());
        o.extra = rest.extra();
        Some(o)
    }

    pub(crate) fn metric(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Metric> {
        let (mut metric, mut year, mut value, mut illustrative) = (None, None, None, false);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "metric" => metric = self.name(v, &at),
                "year" => year = self.year(v, &at),
                "value" => value = self.quantity(v, &at),
                "illustrative" => illustrative = self.flag(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let metric = self.need(metric, fields, path, "metric");
        let year = self.need(year, fields, path, "year");
        let value = self.need(value, fields, path, "value");
        let mut m = Metric::new(metric?, year?, value?);
        m.illustrative = illustrative;
        m.extra = rest.extra();
        Some(m)
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per field of an agreement, read in one pass"
    )]
    pub(crate) fn agreement(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<Agreement> {
        let mut id = None;
        let mut title = None;
        let mut start = None;
        let mut legal_basis = None;
        let mut seen_status = false;
        let mut purpose = None;
        let mut functions = Functions::new();
        let mut part_of = None;
        let mut end = None;
        let mut term = None;
        let mut replaced_by = None;
        let mut status = Vec::new();
        let mut members = Vec::new();
        let mut classes = Vec::new();
        let mut members_published = true;
        let mut declined = Vec::new();
        let mut responsibilities = Responsibilities::default();
        let mut review = ReviewTerms::default();
        let mut held = Vec::new();
        let mut leaving = LeavingRules::default();
        let mut publication = Publication::default();
        let mut costs = CostArrangement::default();
        let mut amendments = Vec::new();
        let (mut entered, mut source, mut illustrative) = (None, None, Vec::new());
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "id" => id = self.agreement_id(v, &at),
                "title" => title = self.name(v, &at),
                "purpose" => purpose = self.string(v, &at),
                "legal_basis" => legal_basis = self.legal_bases(v, &at),
                "functions" => functions = self.functions(v, &at),
                "part_of" => part_of = self.agreement_id(v, &at),
                "start" => start = self.partial(v, &at),
                "end" => end = self.date(v, &at),
                "term" => {
                    if let Some(f) = self.object(v, &at) {
                        term = self.term(f, &at);
                    }
                }
                "replaced_by" => replaced_by = self.agreement_id(v, &at),
                "member_classes" => classes = self.list(v, &at, Self::class_membership),
                "members_published" => members_published = self.flag(v, &at),
                "status" => {
                    seen_status = !v_null(v);
                    status = self.list(v, &at, Self::status_change);
                }
                "members" => members = self.list(v, &at, Self::membership),
                "declined" => declined = self.list(v, &at, Self::declined),
                "responsibilities" => {
                    if let Some(f) = self.object(v, &at) {
                        responsibilities = self.responsibilities(f, &at);
                    }
                }
                "review" => {
                    if let Some(f) = self.object(v, &at) {
                        (review, held) = self.review(f, &at);
                    }
                }
                "leaving" => {
                    if let Some(f) = self.object(v, &at) {
                        leaving = self.leaving(f, &at);
                    }
                }
                "publication" => {
                    if let Some(f) = self.object(v, &at) {
                        if let Some(p) = self.publication(f, &at) {
                            publication = p;
                        }
                    }
                }
                "costs" => {
                    if let Some(f) = self.object(v, &at) {
                        costs = self.costs(f, &at);
                    }
                }
                "amendments" => amendments = self.list(v, &at, Self::amendment),
                "entered" => entered = self.date(v, &at),
                "source" => source = self.string(v, &at),
                "illustrative" => illustrative = self.strings(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let id = self.need(id, fields, path, "id");
        let title = self.need(title, fields, path, "title");
        let legal_basis = self.need(legal_basis, fields, path, "legal_basis");
        let start = self.need(start, fields, path, "start");
        if !seen_status {
            self.required(&path.key("status"), ": a list of dated status changes");
        }
        Some(Agreement {
            id: id?,
            start: start?,
            terms: Terms {
                title: title?,
                purpose,
                legal_basis: legal_basis?,
                functions,
                part_of,
                end,
                review,
                leaving,
                publication,
                responsibilities,
                costs: crate::model::OutOfLine::new(costs),
                term,
                replaced_by,
            },
            status,
            members,
            classes,
            members_published,
            declined,
            reviews_held: held,
            amendments,
            entered,
            provenance: provenance(source, illustrative),
            extra: rest.extra(),
        })
    }

    pub(crate) fn body(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<GovernanceBody> {
        let (mut id, mut name, mut kind, mut rule) = (None, None, None, None);
        let mut governs = Vec::new();
        let mut seats = Vec::new();
        let mut reports_to = Vec::new();
        let mut delegated_limits = Vec::new();
        let mut amendments = Vec::new();
        let (mut entered, mut source, mut illustrative) = (None, None, Vec::new());
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "id" => id = self.body_id(v, &at),
                "name" => name = self.name(v, &at),
                "kind" => kind = self.keyword(v, &at),
                "governs" => governs = self.governs(v, &at),
                "seats" => seats = self.list(v, &at, Self::seat),
                "decision_rule" => {
                    rule = self.object(v, &at).and_then(|f| self.decision_rule(f, &at));
                }
                "reports_to" => reports_to = self.reports_to(v, &at),
                "delegated_limits" => delegated_limits = self.delegated_limits(v, &at),
                "amendments" => amendments = self.list(v, &at, Self::amendment),
                "entered" => entered = self.date(v, &at),
                "source" => source = self.string(v, &at),
                "illustrative" => illustrative = self.strings(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let id = self.need(id, fields, path, "id");
        let name = self.need(name, fields, path, "name");
        let kind = self.need(kind, fields, path, "kind");
        let rule = self.need(rule, fields, path, "decision_rule");
        Some(GovernanceBody {
            id: id?,
            terms: BodyTerms {
                name: name?,
                kind: kind?,
                decision_rule: rule?,
                delegated_limits,
            },
            governs,
            seats,
            reports_to,
            amendments,
            entered,
            provenance: provenance(source, illustrative),
            extra: rest.extra(),
        })
    }

    // ---- parts ----

    fn legal_bases(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<LegalBases> {
        match v {
            Json::String(_) => self
                .keyword::<crate::model::LegalBasis>(v, path)
                .map(LegalBases::from),
            Json::Array(items) => {
                let mut bases = LegalBases::new();
                for (i, item) in items.iter().enumerate() {
                    if let Some(b) = self.keyword(item, &path.index(i)) {
                        if bases.contains(b) {
                            self.problems.at(
                                &path.index(i),
                                Code::Duplicate,
                                format!("{b} is named twice"),
                            );
                        }
                        bases.insert(b);
                    }
                }
                if items.is_empty() {
                    self.problems.at(
                        path,
                        Code::Required,
                        "needs at least one basis, or \"not_stated\"",
                    );
                }
                Some(bases)
            }
            Json::Null => None,
            other => {
                self.wrong(path, "a legal basis or a list of them", other);
                None
            }
        }
    }

    fn functions(&mut self, v: &Json<'_>, path: &Path<'_>) -> Functions {
        let items = self.array(v, path);
        let mut out = Functions::new();
        for (i, item) in items.iter().enumerate() {
            let at = path.index(i);
            if let Some(f) = self.keyword(item, &at) {
                if out.contains(f) {
                    self.problems
                        .at(&at, Code::Duplicate, format!("{f} is named twice"));
                }
                out.insert(f);
            }
        }
        out
    }

    pub(crate) fn declined(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Declined> {
        let (mut party, mut on, mut recorded, mut note) = (None, None, None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "party" => party = self.party_id(v, &at),
                "on" => on = self.partial(v, &at),
                "recorded" => recorded = self.date(v, &at),
                "note" => note = self.string(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let mut d = Declined::new(self.need(party, fields, path, "party")?, on);
        d.recorded = recorded;
        d.note = note;
        d.extra = rest.extra();
        Some(d)
    }

    pub(crate) fn status_change(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<StatusChange> {
        let (mut status, mut from, mut recorded, mut note) = (None, None, None, None);
        let mut ended_by = None;
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "status" => status = self.keyword(v, &at),
                "from" => from = self.partial(v, &at),
                "recorded" => recorded = self.date(v, &at),
                "note" => note = self.string(v, &at),
                "ended_by" => ended_by = self.ending(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let status = self.need(status, fields, path, "status");
        let from = self.need(from, fields, path, "from");
        let mut c = StatusChange::new(status?, from?);
        c.recorded = recorded;
        c.note = note;
        c.ended_by = ended_by;
        c.extra = rest.extra();
        Some(c)
    }

    /// Who ended an agreement: `{"notice": "party"}`, `"all_members"` or
    /// `"expiry"`.
    pub(crate) fn ending(&mut self, v: &Json<'_>, path: &Path<'_>) -> Got<Ending> {
        if let Json::String(text) = v {
            return match text.as_ref() {
                "all_members" => Some(Ending::AllMembers),
                "expiry" => Some(Ending::Expiry),
                other => {
                    self.problems.at(
                        path,
                        Code::UnknownKeyword,
                        format!(
                            "unknown ending {:?}; expected \"all_members\", \"expiry\" or {{\"notice\": PARTY}}",
                            shorten(other)
                        ),
                    );
                    None
                }
            };
        }
        let fields = self.object(v, path)?;
        let mut party = None;
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "notice" => party = self.party_id(v, &at),
                other => {
                    self.problems.at(
                        &at,
                        Code::InvalidPath,
                        format!(
                            "{:?} is not a field of an ending: expected notice",
                            shorten(other)
                        ),
                    );
                }
            }
        }
        Some(Ending::Notice(self.need(party, fields, path, "notice")?))
    }

    pub(crate) fn class_membership(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<ClassMembership> {
        let (mut kind, mut region, mut role) = (None, None, None);
        let mut spell = SpellFields::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "kind" => kind = self.keyword(v, &at),
                "region" => region = self.string(v, &at),
                "role" => role = self.keyword(v, &at),
                _ if spell.read(self, k, v, path) => {}
                _ => rest.keep(k, v),
            }
        }
        let kind = self.need(kind, fields, path, "kind");
        let role = self.need(role, fields, path, "role");
        let mut c = ClassMembership::new(kind?, role?, spell.spell());
        c.region = region;
        c.extra = rest.extra();
        Some(c)
    }

    pub(crate) fn term(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Term> {
        let (mut length, mut unit) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "length" => length = self.whole(v, &at),
                "unit" => unit = self.keyword(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let length = self.need(length, fields, path, "length");
        let unit = self.need(unit, fields, path, "unit");
        let mut t = Term::new(length?, unit?);
        t.extra = rest.extra();
        Some(t)
    }

    pub(crate) fn exit_costs(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<ExitCosts> {
        let (mut terms, mut cap) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "terms" => terms = self.name(v, &at),
                "cap" => cap = self.money(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let mut e = ExitCosts::new(self.need(terms, fields, path, "terms")?);
        e.cap = cap;
        e.extra = rest.extra();
        Some(e)
    }

    pub(crate) fn purchase(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Purchase> {
        let (mut year, mut party, mut units) = (None, None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "year" => year = self.year(v, &at),
                "party" => party = self.party_id(v, &at),
                "units" => units = self.quantity(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let year = self.need(year, fields, path, "year");
        let party = self.need(party, fields, path, "party");
        let units = self.need(units, fields, path, "units");
        let mut p = Purchase::new(year?, party?, units?);
        p.extra = rest.extra();
        Some(p)
    }

    #[allow(
        clippy::similar_names,
        reason = "payer and payee are the domain's words"
    )]
    pub(crate) fn member_charge(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<MemberCharge> {
        let (mut year, mut payer, mut payee, mut what, mut amount) = (None, None, None, None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "year" => year = self.year(v, &at),
                "payer" => payer = self.party_id(v, &at),
                "payee" => payee = self.party_id(v, &at),
                "what" => what = self.name(v, &at),
                "amount" => amount = self.money(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let year = self.need(year, fields, path, "year");
        let payer = self.need(payer, fields, path, "payer");
        let payee = self.need(payee, fields, path, "payee");
        let what = self.need(what, fields, path, "what");
        let amount = self.need(amount, fields, path, "amount");
        let mut c = MemberCharge::new(year?, payer?, payee?, what?, amount?);
        c.extra = rest.extra();
        Some(c)
    }

    pub(crate) fn grant(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Grant> {
        let (mut year, mut party, mut from, mut amount) = (None, None, None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "year" => year = self.year(v, &at),
                "party" => party = self.party_id(v, &at),
                "from" => from = self.string(v, &at),
                "amount" => amount = self.money(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let year = self.need(year, fields, path, "year");
        let amount = self.need(amount, fields, path, "amount");
        let mut g = Grant::new(year?, amount?);
        g.party = party;
        g.from = from;
        g.extra = rest.extra();
        Some(g)
    }

    pub(crate) fn asset(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Asset> {
        let (mut name, mut value, mut owners) = (None, None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "name" => name = self.name(v, &at),
                "value" => value = self.money(v, &at),
                "owners" => owners = Some(self.list(v, &at, Self::asset_share)),
                _ => rest.keep(k, v),
            }
        }
        let name = self.need(name, fields, path, "name");
        let owners = self.need(owners, fields, path, "owners");
        let mut a = Asset::new(name?, owners?);
        a.value = value;
        a.extra = rest.extra();
        Some(a)
    }

    pub(crate) fn asset_share(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<AssetShare> {
        let (mut party, mut percent) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "party" => party = self.party_id(v, &at),
                "percent" => percent = self.percent(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let party = self.need(party, fields, path, "party");
        let percent = self.need(percent, fields, path, "percent");
        let mut s = AssetShare::new(party?, percent?);
        s.extra = rest.extra();
        Some(s)
    }

    pub(crate) fn membership(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<Membership> {
        let (mut party, mut role, mut joined, mut left, mut notice) =
            (None, None, None, None, None);
        let mut recorded = Recorded::default();
        let mut recorded_extra = Extra::new();
        let mut illustrative = false;
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "party" => party = self.party_id(v, &at),
                "role" => role = self.keyword(v, &at),
                "joined" => joined = self.partial(v, &at),
                "left" => left = self.partial(v, &at),
                "notice_served" => notice = self.date(v, &at),
                "recorded" => {
                    if let Some(f) = self.object(v, &at) {
                        let mut rest = Rest::default();
                        for (k, v) in f {
                            let p = at.key(k);
                            match k.as_ref() {
                                "joined" => recorded.joined = self.date(v, &p),
                                "notice_served" => recorded.notice_served = self.date(v, &p),
                                "left" => recorded.left = self.date(v, &p),
                                _ => rest.keep(k, v),
                            }
                        }
                        recorded_extra = rest.extra();
                    }
                }
                "illustrative" => illustrative = self.flag(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let party = self.need(party, fields, path, "party");
        let role = self.need(role, fields, path, "role");
        let joined = self.need(joined, fields, path, "joined");
        let mut m = Membership::new(party?, role?, joined?)
            .with_recorded(recorded)
            .with_recorded_extra(recorded_extra)
            .with_extra(rest.extra());
        if let Some(left) = left {
            m = m.with_left(left);
        }
        if let Some(notice) = notice {
            m.set_notice(Some(notice), recorded.notice_served);
        }
        if illustrative {
            m = m.illustrative();
        }
        Some(m)
    }

    pub(crate) fn responsibilities(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Responsibilities {
        let mut r = Responsibilities::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "asset_owner" => r.asset_owner = self.party_id(v, &at),
                "employer" => r.employer = self.party_id(v, &at),
                _ => rest.keep(k, v),
            }
        }
        r.extra = rest.extra();
        r
    }

    pub(crate) fn review_terms(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
        held: Option<&mut Vec<Review>>,
    ) -> ReviewTerms {
        let mut terms = ReviewTerms::default();
        let mut rest = Rest::default();
        let mut held = held;
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "cadence_months" => terms.cadence_months = self.whole(v, &at),
                "anchor" => {
                    if let Some(a) = self.keyword(v, &at) {
                        terms.anchor = a;
                    }
                }
                "next_due" => terms.next_due = self.date(v, &at),
                "held" if held.is_some() => {
                    let reviews = self.list(v, &at, Self::review_held);
                    if let Some(h) = held.as_deref_mut() {
                        *h = reviews;
                    }
                }
                _ => rest.keep(k, v),
            }
        }
        terms.extra = rest.extra();
        terms
    }

    fn review(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> (ReviewTerms, Vec<Review>) {
        let mut held = Vec::new();
        let terms = self.review_terms(fields, path, Some(&mut held));
        (terms, held)
    }

    pub(crate) fn review_held(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<Review> {
        let (mut date, mut recorded, mut by, mut outcome) = (None, None, None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "date" => date = self.date(v, &at),
                "recorded" => recorded = self.date(v, &at),
                "by" => by = self.body_id(v, &at),
                "outcome" => outcome = self.string(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let mut r = Review::new(self.need(date, fields, path, "date")?);
        r.recorded = recorded;
        r.by = by;
        r.outcome = outcome;
        r.extra = rest.extra();
        Some(r)
    }

    pub(crate) fn leaving(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> LeavingRules {
        let mut l = LeavingRules::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "notice_months" => l.notice_months = self.whole(v, &at),
                "align_to_financial_year_end" => l.align_to_financial_year_end = self.flag(v, &at),
                "leaver_pays_exit_costs" => l.leaver_pays_exit_costs = self.flag(v, &at),
                "exit_costs" => {
                    if let Some(f) = self.object(v, &at) {
                        l.exit_costs = self.exit_costs(f, &at);
                    }
                }
                _ => rest.keep(k, v),
            }
        }
        l.extra = rest.extra();
        l
    }

    pub(crate) fn publication(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<Publication> {
        let (mut level, mut reason) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "level" => level = self.keyword(v, &at),
                "reason" => reason = self.string(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let mut p = Publication::new(self.need(level, fields, path, "level")?);
        p.reason = reason;
        p.extra = rest.extra();
        Some(p)
    }

    pub(crate) fn costs(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> CostArrangement {
        let mut c = CostArrangement::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "budgets" => c.budgets = self.list(v, &at, Self::budget),
                "formulas" => c.formulas = self.list(v, &at, Self::dated_formula),
                "part_year" => {
                    if let Some(rule) = self.keyword(v, &at) {
                        c.part_year = rule;
                    }
                }
                "usage" => c.usage = self.list(v, &at, Self::usage),
                "purchases" => c.purchases = self.list(v, &at, Self::purchase),
                "unit_price" => c.unit_price = self.money(v, &at),
                "charges" => c.charges = self.list(v, &at, Self::member_charge),
                "grants" => c.grants = self.list(v, &at, Self::grant),
                "assets" => c.assets = self.list(v, &at, Self::asset),
                "baseline" => c.baseline = self.money(v, &at),
                "savings" => {
                    if let Some(f) = self.object(v, &at) {
                        c.savings = self.savings(f, &at);
                    }
                }
                _ => rest.keep(k, v),
            }
        }
        c.extra = rest.extra();
        c
    }

    pub(crate) fn dated_formula(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<DatedFormula> {
        let (mut from, mut formula) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "from" => from = self.date(v, &at),
                "formula" => formula = self.formula(v, &at, 0),
                _ => rest.keep(k, v),
            }
        }
        let from = self.need(from, fields, path, "from");
        let formula = self.need(formula, fields, path, "formula");
        let mut d = DatedFormula::new(from?, formula?);
        d.extra = rest.extra();
        Some(d)
    }

    pub(crate) fn usage(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Usage> {
        let (mut year, mut party, mut units) = (None, None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "year" => year = self.year(v, &at),
                "party" => party = self.party_id(v, &at),
                "units" => units = self.quantity(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let year = self.need(year, fields, path, "year");
        let party = self.need(party, fields, path, "party");
        let units = self.need(units, fields, path, "units");
        let mut u = Usage::new(year?, party?, units?);
        u.extra = rest.extra();
        Some(u)
    }

    pub(crate) fn budget(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Budget> {
        let (mut year, mut amount, mut illustrative) = (None, None, false);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "year" => year = self.year(v, &at),
                "amount" => amount = self.money(v, &at),
                "illustrative" => illustrative = self.flag(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let year = self.need(year, fields, path, "year");
        let amount = self.need(amount, fields, path, "amount");
        let mut b = Budget::new(year?, amount?);
        b.illustrative = illustrative;
        b.extra = rest.extra();
        Some(b)
    }

    pub(crate) fn savings(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Savings {
        let mut s = Savings::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "target" => s.target = self.money(v, &at),
                "target_percent" => s.target_percent = self.percent(v, &at),
                "target_by" => s.target_by = self.year(v, &at),
                "realised" => s.realised = self.list(v, &at, Self::realised_saving),
                "realised_percent" => s.realised_percent = self.percent(v, &at),
                _ => rest.keep(k, v),
            }
        }
        s.extra = rest.extra();
        s
    }

    pub(crate) fn realised_saving(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<RealisedSaving> {
        let (mut year, mut amount, mut party) = (None, None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "year" => year = self.year(v, &at),
                "amount" => amount = self.money(v, &at),
                "party" => party = self.party_id(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let year = self.need(year, fields, path, "year");
        let amount = self.need(amount, fields, path, "amount");
        let mut saving = RealisedSaving::new(year?, amount?);
        saving.party = party;
        saving.extra = rest.extra();
        Some(saving)
    }

    pub(crate) fn fixed_share(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<FixedShare> {
        let (mut party, mut percent) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "party" => party = self.party_id(v, &at),
                "percent" => percent = self.percent(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let party = self.need(party, fields, path, "party");
        let percent = self.need(percent, fields, path, "percent");
        let mut s = FixedShare::new(party?, percent?);
        s.extra = rest.extra();
        Some(s)
    }

    /// A part of a blend nested `depth` deep.
    pub(crate) fn blend_part(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
        depth: usize,
    ) -> Option<BlendPart> {
        let (mut weight, mut formula) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "weight" => weight = self.percent(v, &at),
                "formula" => formula = self.formula(v, &at, depth.saturating_add(1)),
                _ => rest.keep(k, v),
            }
        }
        let weight = self.need(weight, fields, path, "weight");
        let formula = self.need(formula, fields, path, "formula");
        let mut part = BlendPart::new(weight?, formula?);
        part.extra = rest.extra();
        Some(part)
    }

    pub(crate) fn formula(&mut self, v: &Json<'_>, path: &Path<'_>, depth: usize) -> Got<Formula> {
        let fields = self.object(v, path)?;
        if depth > crate::model::MAX_FORMULA_DEPTH {
            self.problems.at(
                path,
                Code::TooLarge,
                format!(
                    "blends may nest at most {} deep",
                    crate::model::MAX_FORMULA_DEPTH
                ),
            );
            return None;
        }
        let mut kind = None;
        let mut shares = None;
        let mut metric = None;
        let mut parts = None;
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "kind" => kind = self.text(v, &at).map(str::to_string),
                "shares" => shares = Some(self.list(v, &at, Self::fixed_share)),
                "metric" => metric = self.name(v, &at),
                "parts" => {
                    parts = Some(self.list(v, &at, |r, f, p| r.blend_part(f, p, depth)));
                }
                _ => rest.keep(k, v),
            }
        }
        let extra = rest.extra();
        let Some(kind) = kind else {
            self.required(&path.key("kind"), "");
            return None;
        };
        let own: &[&str] = match kind.as_str() {
            "metric" => &["metric"],
            "fixed_percentages" => &["shares"],
            "blend" => &["parts"],
            _ => &[],
        };
        if FORMULA_KINDS.contains(&kind.as_str()) {
            self.foreign(
                fields,
                path,
                &["shares", "metric", "parts"],
                own,
                &format!("a {kind} formula"),
            );
        }
        let formula = match kind.as_str() {
            "equal" => Formula::Equal { extra },
            "usage" => Formula::Usage { extra },
            "entitlement" => Formula::Entitlement { extra },
            "metric" => Formula::Metric {
                metric: self.need(metric, fields, path, "metric")?,
                extra,
            },
            "fixed_percentages" => Formula::FixedPercentages {
                shares: self.need(shares, fields, path, "shares")?,
                extra,
            },
            "blend" => Formula::Blend {
                parts: self.need(parts, fields, path, "parts")?,
                extra,
            },
            other => {
                self.problems.at(
                    &path.key("kind"),
                    Code::UnknownKeyword,
                    format!(
                        "unknown formula kind {:?}; expected one of: {}",
                        shorten(other),
                        FORMULA_KINDS.join(", ")
                    ),
                );
                return None;
            }
        };
        Some(formula)
    }

    /// Refuses a field that another kind of formula or rule has (`shares`
    /// in an equal formula, say): read as this kind it would be dropped,
    /// and a round trip loses nothing.
    fn foreign(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
        known: &[&str],
        own: &[&str],
        what: &str,
    ) {
        for (k, v) in fields {
            if known.contains(&k.as_ref()) && !own.contains(&k.as_ref()) && !v_null(v) {
                self.problems.at(
                    &path.key(k),
                    Code::ShadowedKey,
                    format!("{:?} is not a field of {what}", k.as_ref()),
                );
            }
        }
    }

    pub(crate) fn decision_rule(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Got<DecisionRule> {
        let (mut rule, mut at_least) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "rule" => rule = self.text(v, &at).map(str::to_string),
                "at_least" => {
                    at_least = self.parse(v, &at, Code::InvalidAmount, Fraction::from_str);
                }
                _ => rest.keep(k, v),
            }
        }
        let extra = rest.extra();
        let Some(rule) = rule else {
            self.required(&path.key("rule"), "");
            return None;
        };
        if matches!(rule.as_str(), "unanimity" | "simple_majority") {
            self.foreign(
                fields,
                path,
                &["at_least"],
                &[],
                &format!("the rule {rule}"),
            );
        }
        Some(match rule.as_str() {
            "unanimity" => DecisionRule::Unanimity { extra },
            "simple_majority" => DecisionRule::SimpleMajority { extra },
            "qualified_majority" => DecisionRule::QualifiedMajority {
                at_least: self.need(at_least, fields, path, "at_least")?,
                extra,
            },
            "weighted_by_cost_share" => DecisionRule::WeightedByCostShare {
                at_least: self.need(at_least, fields, path, "at_least")?,
                extra,
            },
            other => {
                self.problems.at(
                    &path.key("rule"),
                    Code::UnknownKeyword,
                    format!("unknown decision rule {:?}; expected one of: unanimity, simple_majority, qualified_majority, weighted_by_cost_share", shorten(other)),
                );
                return None;
            }
        })
    }

    /// A spell on its own: its `from`, `until` and `recorded` fields and no
    /// others, since a spell keeps no unknown fields of its own (the link it
    /// dates keeps them).
    #[allow(
        clippy::unnecessary_wraps,
        reason = "every record reader returns an Option, so a list reads them alike"
    )]
    pub(crate) fn spell(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Spell> {
        let mut spell = SpellFields::default();
        for (k, v) in fields {
            if !spell.read(self, k, v, path) {
                self.problems.at(
                    &path.key(k),
                    Code::InvalidPath,
                    format!(
                        "{:?} is not a field of a spell: expected from, until or recorded",
                        shorten(k)
                    ),
                );
            }
        }
        Some(spell.spell())
    }

    pub(crate) fn seat(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<Seat> {
        let (mut party, mut role, mut votes) = (None, None, None);
        let mut spell = SpellFields::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "party" => party = self.party_id(v, &at),
                "role" => role = self.keyword(v, &at),
                "votes" => votes = self.whole(v, &at),
                _ if spell.read(self, k, v, path) => {}
                _ => rest.keep(k, v),
            }
        }
        let party = self.need(party, fields, path, "party");
        let role = self.need(role, fields, path, "role");
        let votes = self.need(votes, fields, path, "votes");
        let mut s = Seat::new(party?, role?, votes?, spell.spell());
        s.extra = rest.extra();
        Some(s)
    }

    fn governs(&mut self, v: &Json<'_>, path: &Path<'_>) -> Vec<Governs> {
        let items = self.array(v, path);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(g) = self.governs_entry(item, &path.index(i)) {
                out.push(g);
            }
        }
        out
    }

    /// One agreement a body governs: an object, or the agreement's id alone
    /// for an undated link.
    pub(crate) fn governs_entry(&mut self, v: &Json<'_>, path: &Path<'_>) -> Option<Governs> {
        if let Json::String(_) = v {
            return self
                .agreement_id(v, path)
                .map(|id| Governs::new(id, Spell::always()));
        }
        let fields = self.object(v, path)?;
        let mut agreement = None;
        let mut spell = SpellFields::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            match k.as_ref() {
                "agreement" => agreement = self.agreement_id(v, &path.key(k)),
                _ if spell.read(self, k, v, path) => {}
                _ => rest.keep(k, v),
            }
        }
        let agreement = self.need(agreement, fields, path, "agreement")?;
        let mut g = Governs::new(agreement, spell.spell());
        g.extra = rest.extra();
        Some(g)
    }

    fn reports_to(&mut self, v: &Json<'_>, path: &Path<'_>) -> Vec<ReportsTo> {
        match v {
            // An undated line may be written as the body's id alone.
            Json::String(_) => self.reports_to_entry(v, path).into_iter().collect(),
            _ => self.list(v, path, Self::reports_to_line),
        }
    }

    /// One body a body reports to: an object, or the body's id alone for an
    /// undated line (which a file writes in place of the whole list).
    pub(crate) fn reports_to_entry(&mut self, v: &Json<'_>, path: &Path<'_>) -> Option<ReportsTo> {
        if let Json::String(_) = v {
            return self
                .body_id(v, path)
                .map(|id| ReportsTo::new(id, Spell::always()));
        }
        let fields = self.object(v, path)?;
        self.reports_to_line(fields, path)
    }

    fn reports_to_line(&mut self, fields: Fields<'_, '_>, path: &Path<'_>) -> Option<ReportsTo> {
        let mut body = None;
        let mut spell = SpellFields::default();
        let mut rest = Rest::default();
        for (k, v) in fields {
            match k.as_ref() {
                "body" => body = self.body_id(v, &path.key(k)),
                _ if spell.read(self, k, v, path) => {}
                _ => rest.keep(k, v),
            }
        }
        let mut line = ReportsTo::new(self.need(body, fields, path, "body")?, spell.spell());
        line.extra = rest.extra();
        Some(line)
    }

    fn delegated_limits(&mut self, v: &Json<'_>, path: &Path<'_>) -> Vec<DelegatedLimit> {
        self.list(v, path, Self::delegated_limit)
    }

    pub(crate) fn delegated_limit(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<DelegatedLimit> {
        let (mut matter, mut limit) = (None, None);
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "matter" => matter = self.name(v, &at),
                "limit" => limit = self.money(v, &at),
                _ => rest.keep(k, v),
            }
        }
        let matter = self.need(matter, fields, path, "matter");
        let limit = self.need(limit, fields, path, "limit");
        let mut l = DelegatedLimit::new(matter?, limit?);
        l.extra = rest.extra();
        Some(l)
    }

    /// One amendment, its changes read as `C`'s.
    pub(crate) fn amendment<C: ReadChange>(
        &mut self,
        fields: Fields<'_, '_>,
        path: &Path<'_>,
    ) -> Option<Amendment<C>> {
        let (mut date, mut recorded, mut kind, mut summary) = (None, None, None, None);
        let mut changes = Vec::new();
        let mut rest = Rest::default();
        for (k, v) in fields {
            let at = path.key(k);
            match k.as_ref() {
                "date" => date = self.date(v, &at),
                "recorded" => recorded = self.date(v, &at),
                "kind" => kind = self.keyword::<AmendmentKind>(v, &at),
                "summary" => summary = self.name(v, &at),
                "changes" => {
                    let items = self.array(v, &at);
                    for (i, item) in items.iter().enumerate() {
                        let here = at.index(i);
                        let Some(fields) = self.object(item, &here) else {
                            continue;
                        };
                        let (mut field, mut before, mut after) = (None, &Json::Null, &Json::Null);
                        let mut rest = Rest::default();
                        for (k, v) in fields {
                            match k.as_ref() {
                                "field" => field = self.text(v, &here.key(k)),
                                "before" => before = v,
                                "after" => after = v,
                                _ => rest.keep(k, v),
                            }
                        }
                        let Some(field) = self.need(field, fields, &here, "field") else {
                            continue;
                        };
                        if let Some(mut c) = C::read(self, field, before, after, &here) {
                            c.set_extra(rest.extra());
                            changes.push(c);
                        }
                    }
                }
                _ => rest.keep(k, v),
            }
        }
        let date = self.need(date, fields, path, "date");
        let summary = self.need(summary, fields, path, "summary");
        let mut a = Amendment::new(date?, kind.unwrap_or_default(), summary?, changes);
        a.recorded = recorded;
        a.extra = rest.extra();
        Some(a)
    }

    /// Reads a before/after pair with `read`; `null` is `None` where the
    /// field is optional.
    fn pair<T: PartialEq>(
        &mut self,
        before: &Json<'_>,
        after: &Json<'_>,
        path: &Path<'_>,
        mut read: impl FnMut(&mut Self, &Json<'_>, &Path<'_>) -> Got<T>,
    ) -> Option<Change<T>> {
        let b = read(self, before, &path.key("before"));
        let a = read(self, after, &path.key("after"));
        Some(Change::new(b?, a?))
    }

    /// Like [`Reader::pair`] for an optional field: `null` is `None`.
    fn opt_pair<T: PartialEq>(
        &mut self,
        before: &Json<'_>,
        after: &Json<'_>,
        path: &Path<'_>,
        mut read: impl FnMut(&mut Self, &Json<'_>, &Path<'_>) -> Got<T>,
    ) -> Option<Change<Option<T>>> {
        let mut opt = |r: &mut Self, v: &Json<'_>, p: &Path<'_>| -> Option<Option<T>> {
            if v_null(v) {
                Some(None)
            } else {
                let before = r.problems.len();
                let value = read(r, v, p);
                if value.is_none() && r.problems.len() == before {
                    r.problems.at(p, Code::WrongType, "could not be read");
                }
                value.map(Some)
            }
        };
        let b = opt(self, before, &path.key("before"));
        let a = opt(self, after, &path.key("after"));
        Some(Change::new(b?, a?))
    }

    fn required_pair<T: PartialEq>(
        &mut self,
        before: &Json<'_>,
        after: &Json<'_>,
        path: &Path<'_>,
        read: impl FnMut(&mut Self, &Json<'_>, &Path<'_>) -> Got<T>,
    ) -> Option<Change<T>> {
        for (v, key) in [(before, "before"), (after, "after")] {
            if v_null(v) {
                self.required(&path.key(key), "");
            }
        }
        self.pair(before, after, path, read)
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per field an amendment may change"
    )]
    fn agreement_change(
        &mut self,
        field: &str,
        before: &Json<'_>,
        after: &Json<'_>,
        path: &Path<'_>,
    ) -> Option<AgreementChange> {
        let parsed = match field.parse::<AgreementField>() {
            Ok(f) => f,
            Err(e) => {
                self.problems
                    .at(&path.key("field"), Code::InvalidPath, e.to_string());
                return None;
            }
        };
        let (b, a, p) = (before, after, path);
        Some(match parsed {
            AgreementField::Title => {
                AgreementChange::Title(self.required_pair(b, a, p, Self::name)?)
            }
            AgreementField::Purpose => {
                AgreementChange::Purpose(self.opt_pair(b, a, p, Self::string)?)
            }
            AgreementField::LegalBasis => {
                AgreementChange::LegalBasis(self.required_pair(b, a, p, Self::legal_bases)?)
            }
            AgreementField::Functions => {
                AgreementChange::Functions(self.pair(b, a, p, |r, v, p| Some(r.functions(v, p)))?)
            }
            AgreementField::PartOf => {
                AgreementChange::PartOf(self.opt_pair(b, a, p, Self::agreement_id)?)
            }
            AgreementField::End => AgreementChange::End(self.opt_pair(b, a, p, Self::date)?),
            AgreementField::Review => AgreementChange::Review(self.pair(b, a, p, |r, v, p| {
                if v_null(v) {
                    return Some(ReviewTerms::default());
                }
                r.object(v, p).map(|f| r.review_terms(f, p, None))
            })?),
            AgreementField::Leaving => {
                AgreementChange::Leaving(self.pair(b, a, p, |r, v, p| {
                    if v_null(v) {
                        return Some(LeavingRules::default());
                    }
                    r.object(v, p).map(|f| r.leaving(f, p))
                })?)
            }
            AgreementField::Publication => {
                AgreementChange::Publication(self.pair(b, a, p, |r, v, p| {
                    if v_null(v) {
                        return Some(Publication::default());
                    }
                    r.object(v, p).and_then(|f| r.publication(f, p))
                })?)
            }
            AgreementField::Responsibilities => {
                AgreementChange::Responsibilities(self.pair(b, a, p, |r, v, p| {
                    if v_null(v) {
                        return Some(Responsibilities::default());
                    }
                    r.object(v, p).map(|f| r.responsibilities(f, p))
                })?)
            }
            AgreementField::Term => AgreementChange::Term(
                self.opt_pair(b, a, p, |r, v, p| r.object(v, p).and_then(|f| r.term(f, p)))?,
            ),
            AgreementField::ReplacedBy => {
                AgreementChange::ReplacedBy(self.opt_pair(b, a, p, Self::agreement_id)?)
            }
            AgreementField::PartYear => {
                AgreementChange::PartYear(self.required_pair(b, a, p, Self::keyword)?)
            }
            AgreementField::UnitPrice => {
                AgreementChange::UnitPrice(self.opt_pair(b, a, p, Self::money)?)
            }
            AgreementField::Purchases => {
                AgreementChange::Purchases(
                    self.pair(b, a, p, |r, v, p| Some(r.list(v, p, Self::purchase)))?,
                )
            }
            AgreementField::Charges => {
                AgreementChange::Charges(
                    self.pair(b, a, p, |r, v, p| Some(r.list(v, p, Self::member_charge)))?,
                )
            }
            AgreementField::Grants => AgreementChange::Grants(
                self.pair(b, a, p, |r, v, p| Some(r.list(v, p, Self::grant)))?,
            ),
            AgreementField::Assets => AgreementChange::Assets(
                self.pair(b, a, p, |r, v, p| Some(r.list(v, p, Self::asset)))?,
            ),
            AgreementField::Baseline => {
                AgreementChange::Baseline(self.opt_pair(b, a, p, Self::money)?)
            }
            AgreementField::Savings => {
                AgreementChange::Savings(self.pair(b, a, p, |r, v, p| {
                    if v_null(v) {
                        return Some(Savings::default());
                    }
                    r.object(v, p).map(|f| r.savings(f, p))
                })?)
            }
            AgreementField::Budget(year) => {
                let c = self.opt_pair(b, a, p, |r, v, p| {
                    r.object(v, p).and_then(|f| r.budget(f, p))
                })?;
                for (v, key) in [(&c.before, "before"), (&c.after, "after")] {
                    if v.as_ref().is_some_and(|budget| budget.year != year) {
                        self.problems.at(
                            &p.key(key).key("year"),
                            Code::AmendmentMismatch,
                            format!("the change is to the budget of {year}"),
                        );
                    }
                }
                AgreementChange::Budget(year, c)
            }
            AgreementField::Formula(from) => AgreementChange::Formula(
                from,
                self.opt_pair(b, a, p, |r, v, p| r.formula(v, p, 0))?,
            ),
            AgreementField::Usage(party, year) => {
                AgreementChange::Usage(party, year, self.opt_pair(b, a, p, Self::quantity)?)
            }
            AgreementField::Role(party, joined) => {
                AgreementChange::Role(party, joined, self.required_pair(b, a, p, Self::keyword)?)
            }
        })
    }

    fn party_change(
        &mut self,
        field: &str,
        before: &Json<'_>,
        after: &Json<'_>,
        path: &Path<'_>,
    ) -> Option<PartyChange> {
        let parsed = match field.parse::<PartyField>() {
            Ok(f) => f,
            Err(e) => {
                self.problems
                    .at(&path.key("field"), Code::InvalidPath, e.to_string());
                return None;
            }
        };
        let (b, a, p) = (before, after, path);
        Some(match parsed {
            PartyField::Name => PartyChange::Name(self.required_pair(b, a, p, Self::name)?),
            PartyField::Kind => PartyChange::Kind(self.required_pair(b, a, p, Self::keyword)?),
            PartyField::Region => PartyChange::Region(self.opt_pair(b, a, p, Self::string)?),
            PartyField::SignsAs => PartyChange::SignsAs(self.opt_pair(b, a, p, Self::string)?),
            PartyField::Metric(metric, year) => {
                PartyChange::Metric(metric, year, self.opt_pair(b, a, p, Self::quantity)?)
            }
        })
    }

    fn body_change(
        &mut self,
        field: &str,
        before: &Json<'_>,
        after: &Json<'_>,
        path: &Path<'_>,
    ) -> Option<BodyChange> {
        let parsed = match field.parse::<BodyField>() {
            Ok(f) => f,
            Err(e) => {
                self.problems
                    .at(&path.key("field"), Code::InvalidPath, e.to_string());
                return None;
            }
        };
        let (b, a, p) = (before, after, path);
        Some(match parsed {
            BodyField::Name => BodyChange::Name(self.required_pair(b, a, p, Self::name)?),
            BodyField::Kind => BodyChange::Kind(self.required_pair(b, a, p, Self::keyword)?),
            BodyField::DecisionRule => {
                BodyChange::DecisionRule(self.required_pair(b, a, p, |r, v, p| {
                    r.object(v, p).and_then(|f| r.decision_rule(f, p))
                })?)
            }
            BodyField::DelegatedLimits => {
                BodyChange::DelegatedLimits(
                    self.pair(b, a, p, |r, v, p| Some(r.delegated_limits(v, p)))?,
                )
            }
        })
    }
}

/// The changes of one kind of record, as an amendment's `changes` hold them.
pub(crate) trait ReadChange: Sized {
    /// Reads a change of `field` from its values before and after.
    fn read(
        r: &mut Reader,
        field: &str,
        before: &Json<'_>,
        after: &Json<'_>,
        path: &Path<'_>,
    ) -> Option<Self>;

    /// Gives the change the unknown fields read beside it.
    fn set_extra(&mut self, extra: Extra);
}

macro_rules! read_change {
    ($ty:ident, $read:ident: $($variant:ident($($skip:ident),*)),* $(,)?) => {
        impl ReadChange for $ty {
            fn read(
                r: &mut Reader,
                field: &str,
                before: &Json<'_>,
                after: &Json<'_>,
                path: &Path<'_>,
            ) -> Option<Self> {
                r.$read(field, before, after, path)
            }

            fn set_extra(&mut self, extra: Extra) {
                match self {
                    $($ty::$variant($($skip,)* c) => { $(let _ = $skip;)* c.extra = extra; })*
                }
            }
        }
    };
}

read_change!(AgreementChange, agreement_change:
    Title(), Purpose(), LegalBasis(), Functions(), PartOf(), End(), Review(), Leaving(),
    Publication(), Responsibilities(), Term(), ReplacedBy(), PartYear(), UnitPrice(), Purchases(),
    Charges(), Grants(), Assets(), Baseline(), Savings(), Budget(y), Formula(f), Usage(p, y),
    Role(p, j),
);
read_change!(PartyChange, party_change: Name(), Kind(), Region(), SignsAs(), Metric(m, y));
read_change!(BodyChange, body_change: Name(), Kind(), DecisionRule(), DelegatedLimits());

/// The `from`, `until` and `recorded` fields of a spell, read as they come.
#[derive(Default)]
struct SpellFields {
    spell: Spell,
}

impl SpellFields {
    /// Reads `key` if it is a spell field, saying whether it was.
    fn read(&mut self, r: &mut Reader, key: &str, v: &Json<'_>, path: &Path<'_>) -> bool {
        let at = path.key(key);
        match key {
            "from" => self.spell.from = r.date(v, &at),
            "until" => self.spell.until = r.date(v, &at),
            "recorded" => {
                if let Some(f) = r.object(v, &at) {
                    let mut recorded = SpellRecorded::default();
                    let mut rest = Rest::default();
                    for (k, v) in f {
                        let p = at.key(k);
                        match k.as_ref() {
                            "from" => recorded.from = r.date(v, &p),
                            "until" => recorded.until = r.date(v, &p),
                            _ => rest.keep(k, v),
                        }
                    }
                    recorded.extra = rest.extra();
                    self.spell.recorded = recorded;
                }
            }
            _ => return false,
        }
        true
    }

    fn spell(self) -> Spell {
        self.spell
    }
}

fn v_null(v: &Json<'_>) -> bool {
    matches!(v, Json::Null)
}

fn provenance(source: Option<String>, illustrative: Vec<String>) -> crate::model::Provenance {
    crate::model::Provenance {
        source,
        illustrative,
    }
}

/// The kinds of formula a file names.
const FORMULA_KINDS: &[&str] = &[
    "equal",
    "fixed_percentages",
    "metric",
    "usage",
    "entitlement",
    "blend",
];

/// At most 60 characters of a text, for a message.
fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
