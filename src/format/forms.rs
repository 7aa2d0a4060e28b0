//! Each model type's serde form is its form in the file. `Deserialize`
//! walks the value with the loader's own [`Reader`], so a record read on
//! its own is read exactly as the file's is, with the same problems, paths
//! and messages; there is no second reading to drift from the first.
//!
//! A record read on its own has no registry to name its currency, so its
//! amounts are read in pounds sterling (as a registry file that names none
//! is). A party, an agreement or a governance body is also put in
//! canonical order and checked against every rule that concerns it alone,
//! as its builder's `build` does, so `Deserialize` accepts what a builder
//! accepts; its links to other records are checked when it joins a
//! registry.

use std::borrow::Cow;

use serde::de::{Deserialize, Deserializer, Error as _};

use crate::error::Error;
use crate::model::{
    Agreement, AgreementChange, Amendment, Asset, AssetShare, BlendPart, BodyChange, Budget,
    ClassMembership, CostArrangement, Currency, DatedFormula, DecisionRule, Declined,
    DelegatedLimit, Ending, ExitCosts, ExternalId, FixedShare, Formula, GovernanceBody, Governs,
    Grant, LeavingRules, MemberCharge, Membership, Metric, Oversight, Party, PartyChange,
    Publication, Purchase, RealisedSaving, ReportsTo, Responsibilities, Review, ReviewTerms,
    Savings, Seat, Spell, StatusChange, Term, Unknown, Usage,
};
use crate::problem::{Path, Problem, ProblemCode as Code, Problems};
use crate::rules::{normal, record};

use super::json::{self, Json};
use super::read::Reader;
use super::syntax_problem;

/// A model type, read by one [`Reader`] method.
trait Form: Sized {
    /// What it is called in a message.
    const WHAT: &'static str;

    /// Reads it from `v` at `path`, reporting problems to `r`.
    fn read(r: &mut Reader, v: &Json<'_>, path: &Path<'_>) -> Option<Self>;

    /// Puts it in canonical order and checks the rules that concern it
    /// alone (records only: their parts are checked with them).
    fn check(&mut self, _out: &mut Problems) {}
}

/// An `Unknown` tree seen as a parsed document, borrowing from it.
fn view(u: &Unknown) -> Json<'_> {
    match u {
        Unknown::Null => Json::Null,
        Unknown::Bool(b) => Json::Bool(*b),
        Unknown::Number(text) => Json::Number(text),
        Unknown::String(s) => Json::String(Cow::Borrowed(s)),
        Unknown::Array(items) => Json::Array(items.iter().map(view).collect()),
        Unknown::Object(fields) => Json::Object(
            fields
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), view(v)))
                .collect(),
        ),
    }
}

/// Reads `T` from a whole document `v`, every problem with its path.
fn read_form<T: Form>(v: &Json<'_>) -> Result<T, Vec<Problem>> {
    let mut r = Reader::new(Currency::GBP);
    let read = T::read(&mut r, v, &Path::Root);
    let mut problems = r.problems;
    match read {
        Some(mut value) if problems.is_empty() => {
            value.check(&mut problems);
            if problems.is_empty() {
                Ok(value)
            } else {
                Err(problems.0)
            }
        }
        _ => {
            // Every reader reports why it read nothing; this keeps the
            // promise of an error with a problem even if one did not.
            if problems.is_empty() {
                problems.at(
                    &Path::Root,
                    Code::WrongType,
                    format!("could not be read as a {}", T::WHAT),
                );
            }
            Err(problems.0)
        }
    }
}

fn deserialize<'de, D: Deserializer<'de>, T: Form>(deserializer: D) -> Result<T, D::Error> {
    let tree = Unknown::deserialize(deserializer)?;
    read_form(&view(&tree)).map_err(|problems| {
        let listed: Vec<String> = problems.iter().map(Problem::to_string).collect();
        D::Error::custom(format!("invalid {}: {}", T::WHAT, listed.join("; ")))
    })
}

fn from_json<T: Form>(text: &str) -> Result<T, Error> {
    let tree = json::parse(text.as_bytes()).map_err(|e| Error::syntax(syntax_problem(&e)))?;
    read_form(&tree).map_err(|problems| Error::invalid(&format!("the {}", T::WHAT), problems))
}

/// Reads one party from JSON text, in the form a registry file's `parties`
/// hold it, with the loader's exact parser and reader; puts it in canonical
/// order and checks it against every rule that concerns it alone, as
/// [`PartyBuilder::build`](crate::model::PartyBuilder::build) does.
/// Amounts are read in GBP. Its links to other records are checked when it
/// is added to a registry.
///
/// # Errors
///
/// [`ErrorKind::Syntax`](crate::ErrorKind::Syntax) when the text is not
/// one JSON value (a repeated key, a byte order mark), with one problem
/// giving the path, line and column;
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every problem,
/// each with its path in the record (`overseen_by[0].by`; `$` for the
/// record itself).
///
/// ```
/// use collab_registry::format::party_from_json;
/// use collab_registry::{ErrorKind, model::PartyKind};
/// let pcc = party_from_json(r#"{"id": "kent-pcc", "name": "Kent Police and Crime Commissioner", "kind": "policing_body"}"#)?;
/// assert_eq!(pcc.kind(), PartyKind::PolicingBody);
/// let err = party_from_json(r#"{"id": "kent-pcc", "name": "Kent", "kind": "pcc"}"#).unwrap_err();
/// assert_eq!((err.kind(), err.problems()[0].path()), (ErrorKind::Invalid, "kind"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn party_from_json(text: &str) -> Result<Party, Error> {
    from_json(text)
}

/// Reads one agreement from JSON text, as [`party_from_json`] reads a
/// party, checked as
/// [`AgreementBuilder::build`](crate::model::AgreementBuilder::build)
/// checks one.
///
/// # Errors
///
/// As [`party_from_json`].
///
/// ```
/// use collab_registry::format::agreement_from_json;
/// let text = r#"{"id": "shared-dogs", "title": "Shared dog unit", "legal_basis": "not_stated",
///     "start": "2024-04-01", "status": [{"status": "active", "from": "2024-04-01"}],
///     "members": [{"party": "force-a", "role": "lead", "joined": "2024-04-01"},
///                 {"party": "force-b", "role": "member", "joined": "2024-04-01"}]}"#;
/// assert_eq!(agreement_from_json(text)?.members().len(), 2);
/// let err = agreement_from_json(&text.replace("force-b", "Force B")).unwrap_err();
/// assert_eq!(err.problems()[0].path(), "members[1].party");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn agreement_from_json(text: &str) -> Result<Agreement, Error> {
    from_json(text)
}

/// Reads one governance body from JSON text, as [`party_from_json`] reads
/// a party, checked as [`BodyBuilder::build`](crate::model::BodyBuilder::build)
/// checks one.
///
/// # Errors
///
/// As [`party_from_json`].
///
/// ```
/// use collab_registry::format::body_from_json;
/// let board = body_from_json(r#"{"id": "board", "name": "Board", "kind": "strategic_board",
///     "governs": ["shared-dogs"], "decision_rule": {"rule": "unanimity"}}"#)?;
/// assert_eq!(board.governs()[0].agreement.as_str(), "shared-dogs");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn body_from_json(text: &str) -> Result<GovernanceBody, Error> {
    from_json(text)
}

impl Form for Party {
    const WHAT: &'static str = "party";

    fn read(r: &mut Reader, v: &Json<'_>, path: &Path<'_>) -> Option<Self> {
        let fields = r.object(v, path)?;
        r.party(fields, path)
    }

    fn check(&mut self, out: &mut Problems) {
        normal::party(self);
        record::party(self, &Path::Root, out);
    }
}

impl Form for Agreement {
    const WHAT: &'static str = "agreement";

    fn read(r: &mut Reader, v: &Json<'_>, path: &Path<'_>) -> Option<Self> {
        let fields = r.object(v, path)?;
        r.agreement(fields, path)
    }

    fn check(&mut self, out: &mut Problems) {
        normal::agreement(self);
        record::agreement(self, &Path::Root, out);
    }
}

impl Form for GovernanceBody {
    const WHAT: &'static str = "governance body";

    fn read(r: &mut Reader, v: &Json<'_>, path: &Path<'_>) -> Option<Self> {
        let fields = r.object(v, path)?;
        r.body(fields, path)
    }

    fn check(&mut self, out: &mut Problems) {
        record::body(self, &Path::Root, out);
    }
}

impl Form for Formula {
    const WHAT: &'static str = "formula";

    fn read(r: &mut Reader, v: &Json<'_>, path: &Path<'_>) -> Option<Self> {
        r.formula(v, path, 0)
    }
}

impl Form for Governs {
    const WHAT: &'static str = "governs entry";

    fn read(r: &mut Reader, v: &Json<'_>, path: &Path<'_>) -> Option<Self> {
        r.governs_entry(v, path)
    }
}

impl Form for Ending {
    const WHAT: &'static str = "ending";

    fn read(r: &mut Reader, v: &Json<'_>, path: &Path<'_>) -> Option<Self> {
        r.ending(v, path)
    }
}

impl Form for ReportsTo {
    const WHAT: &'static str = "reports-to entry";

    fn read(r: &mut Reader, v: &Json<'_>, path: &Path<'_>) -> Option<Self> {
        r.reports_to_entry(v, path)
    }
}

/// The forms that are objects, each with the reader of its fields.
macro_rules! object_forms {
    ($($ty:ty => $what:literal, |$r:ident, $f:ident, $p:ident| $read:expr;)*) => {$(
        impl Form for $ty {
            const WHAT: &'static str = $what;

            fn read($r: &mut Reader, v: &Json<'_>, $p: &Path<'_>) -> Option<Self> {
                let $f = $r.object(v, $p)?;
                $read
            }
        }
    )*};
}

object_forms! {
    Membership => "membership", |r, f, p| r.membership(f, p);
    StatusChange => "status change", |r, f, p| r.status_change(f, p);
    Declined => "declined invitation", |r, f, p| r.declined(f, p);
    Review => "review held", |r, f, p| r.review_held(f, p);
    ReviewTerms => "review terms", |r, f, p| Some(r.review_terms(f, p, None));
    LeavingRules => "leaving rules", |r, f, p| Some(r.leaving(f, p));
    Publication => "publication", |r, f, p| r.publication(f, p);
    Responsibilities => "responsibilities", |r, f, p| Some(r.responsibilities(f, p));
    CostArrangement => "cost arrangement", |r, f, p| Some(r.costs(f, p));
    Budget => "budget", |r, f, p| r.budget(f, p);
    DatedFormula => "dated formula", |r, f, p| r.dated_formula(f, p);
    FixedShare => "fixed share", |r, f, p| r.fixed_share(f, p);
    BlendPart => "blend part", |r, f, p| r.blend_part(f, p, 0);
    Usage => "usage", |r, f, p| r.usage(f, p);
    Savings => "savings", |r, f, p| Some(r.savings(f, p));
    RealisedSaving => "realised saving", |r, f, p| r.realised_saving(f, p);
    Metric => "metric", |r, f, p| r.metric(f, p);
    Oversight => "oversight", |r, f, p| r.oversight(f, p);
    ExternalId => "identifier", |r, f, p| r.external_id(f, p);
    Seat => "seat", |r, f, p| r.seat(f, p);
    DecisionRule => "decision rule", |r, f, p| r.decision_rule(f, p);
    DelegatedLimit => "delegated limit", |r, f, p| r.delegated_limit(f, p);
    Spell => "spell", |r, f, p| r.spell(f, p);
    ClassMembership => "membership by class", |r, f, p| r.class_membership(f, p);
    Term => "term", |r, f, p| r.term(f, p);
    ExitCosts => "exit costs", |r, f, p| r.exit_costs(f, p);
    Purchase => "purchase", |r, f, p| r.purchase(f, p);
    MemberCharge => "charge between members", |r, f, p| r.member_charge(f, p);
    Grant => "grant", |r, f, p| r.grant(f, p);
    Asset => "asset", |r, f, p| r.asset(f, p);
    AssetShare => "share of an asset", |r, f, p| r.asset_share(f, p);
    Amendment<AgreementChange> => "amendment", |r, f, p| r.amendment(f, p);
    Amendment<PartyChange> => "amendment", |r, f, p| r.amendment(f, p);
    Amendment<BodyChange> => "amendment", |r, f, p| r.amendment(f, p);
}

macro_rules! deserialize_forms {
    ($($ty:ty),* $(,)?) => {$(
        /// Reads the form a registry file uses, through the loader's own
        /// reader, every problem with its path in the message. Amounts are
        /// read in GBP: a value read on its own has no registry to name its
        /// currency. A party, agreement or body is also put in canonical
        /// order and checked as its builder's `build` checks it.
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize(deserializer)
            }
        }
    )*};
}

deserialize_forms!(
    Party,
    Agreement,
    GovernanceBody,
    Membership,
    StatusChange,
    Declined,
    Review,
    ReviewTerms,
    LeavingRules,
    Publication,
    Responsibilities,
    CostArrangement,
    Budget,
    DatedFormula,
    Formula,
    FixedShare,
    BlendPart,
    Usage,
    Savings,
    RealisedSaving,
    Metric,
    Oversight,
    ExternalId,
    Seat,
    Governs,
    ReportsTo,
    DecisionRule,
    DelegatedLimit,
    Spell,
    ClassMembership,
    Ending,
    Term,
    ExitCosts,
    Purchase,
    MemberCharge,
    Grant,
    Asset,
    AssetShare,
    Amendment<AgreementChange>,
    Amendment<PartyChange>,
    Amendment<BodyChange>,
);
