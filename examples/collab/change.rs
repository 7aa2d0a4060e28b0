//! The changes: each loads `--file`, makes one change through the library
//! (which checks it against the loader's rules and changes nothing when it
//! refuses), stamps the day entered, and saves atomically with
//! `Registry::save`. A refused change leaves the file as it was.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use collab_registry::model::{
    AmendmentKind, Ending, Membership, Oversight, Party, PartyId, Review, Spell, Term, TermUnit,
};
use collab_registry::time::When;
use collab_registry::{Error, Registry};
use serde_json::{Value, json};

use crate::cli::{
    AddAgreement, AddParty, AgreementOn, AmendArgs, AmendCommon, AmendWhat, Entered, ExtendArgs,
    Global, JoinArgs, MemberOn, ReviewArgs, TerminateArgs,
};
use crate::out::{self, Failure, IO, USAGE};

/// The file a change is made to: `--file`, required.
fn file(g: &Global) -> Result<&Path, Failure> {
    g.file.as_deref().ok_or_else(|| {
        Failure::new(
            "usage",
            "a change needs --file PATH: the embedded sample cannot be changed",
            USAGE,
        )
    })
}

/// The day entered: `--entered`, or today.
fn entered(e: &Entered) -> NaiveDate {
    e.entered.unwrap_or_else(out::today)
}

fn when(on: NaiveDate, e: &Entered) -> When {
    When::on(on).entered(entered(e))
}

/// Loads `--file`, makes the change, saves, and says what was done.
fn change(
    g: &Global,
    what: &str,
    make: impl FnOnce(&mut Registry) -> Result<Value, Error>,
) -> Result<(), Failure> {
    let path = file(g)?;
    let mut registry = out::load_file(path)?;
    let done = make(&mut registry).map_err(|e| Failure::refused(&e))?;
    save(&registry, path)?;
    let mut answer = json!({"change": what, "file": path.display().to_string()});
    if let (Value::Object(a), Value::Object(d)) = (&mut answer, done) {
        a.extend(d);
    }
    out::note(g, Some(&registry), &answer);
    Ok(())
}

/// Saves through the library: a temporary file renamed over the old.
pub(crate) fn save(registry: &Registry, path: &Path) -> Result<(), Failure> {
    registry
        .save(path)
        .map_err(|e| Failure::from_error(&e, IO).at(path.display().to_string()))
}

fn party_id(id: &str) -> Result<PartyId, Error> {
    Ok(PartyId::new(id)?)
}

pub(crate) fn add_party(g: &Global, a: &AddParty) -> Result<(), Failure> {
    change(g, "add-party", |r| {
        let mut b =
            Party::builder(party_id(&a.id)?, a.name.clone(), a.kind).entered(entered(&a.entered));
        if let Some(region) = &a.region {
            b = b.region(region.clone());
        }
        if let Some(signs) = &a.signs_as {
            b = b.signs_as(signs.clone());
        }
        if let Some(by) = &a.overseen_by {
            b = b.overseen_by(Oversight::new(party_id(by)?, Spell::always()));
        }
        r.add_party(b.build()?)?;
        Ok(json!({"party": {"id": a.id, "name": a.name}}))
    })
}

pub(crate) fn add_agreement(g: &Global, a: &AddAgreement) -> Result<(), Failure> {
    let day = entered(&a.entered);
    let agreement = read_agreement(&a.from, day)?;
    change(g, "add-agreement", |r| {
        let done = json!({"agreement": {"id": agreement.id(), "title": agreement.title()}});
        r.add_agreement(agreement)?;
        Ok(done)
    })
}

/// One agreement from a JSON file, or from a CSV in import-csv's columns;
/// stamped with the day entered unless it gives one.
fn read_agreement(
    path: &PathBuf,
    day: NaiveDate,
) -> Result<collab_registry::model::Agreement, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::new("io", format!("{}: {e}", path.display()), IO).at(path.display().to_string())
    })?;
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        let mut agreements = crate::import::agreements(&text, day, &path.display().to_string())?;
        return match agreements.len() {
            1 => Ok(agreements.remove(0).agreement),
            n => Err(Failure::new(
                "invalid",
                format!(
                    "{}: holds {n} agreements; add-agreement adds one",
                    path.display()
                ),
                out::REFUSED,
            )),
        };
    }
    let mut value: Value = serde_json::from_str(&text).map_err(|e| {
        Failure::new("syntax", format!("{}: {e}", path.display()), out::REFUSED)
            .at(path.display().to_string())
    })?;
    if let Value::Object(m) = &mut value {
        m.entry("entered").or_insert_with(|| json!(day.to_string()));
    }
    collab_registry::format::agreement_from_json(&value.to_string())
        .map_err(|e| Failure::refused(&e))
}

pub(crate) fn join(g: &Global, a: &JoinArgs) -> Result<(), Failure> {
    change(g, "join", |r| {
        let m = Membership::new(party_id(&a.party)?, a.role, a.on).entered(entered(&a.entered));
        r.join(&a.agreement, m)?;
        Ok(json!({"agreement": a.agreement, "party": a.party, "role": a.role, "joined": a.on}))
    })
}

pub(crate) fn serve_notice(g: &Global, a: &MemberOn) -> Result<(), Failure> {
    change(g, "serve-notice", |r| {
        let out = r.serve_notice(&a.agreement, &a.party, when(a.on, &a.entered))?;
        Ok(json!({"agreement": a.agreement, "party": a.party, "served": a.on, "out": out}))
    })
}

pub(crate) fn leave(g: &Global, a: &MemberOn) -> Result<(), Failure> {
    change(g, "leave", |r| {
        r.leave(&a.agreement, &a.party, when(a.on, &a.entered))?;
        Ok(json!({"agreement": a.agreement, "party": a.party, "left": a.on}))
    })
}

pub(crate) fn record_review(g: &Global, a: &ReviewArgs) -> Result<(), Failure> {
    change(g, "record-review", |r| {
        let mut review = Review::new(a.on).entered(entered(&a.entered));
        if let Some(by) = &a.by {
            review = review.by(collab_registry::model::BodyId::new(by)?);
        }
        if let Some(outcome) = &a.outcome {
            review = review.outcome(outcome.clone());
        }
        r.record_review(&a.agreement, review)?;
        let next = r.as_of(a.on).next_review(&a.agreement)?;
        Ok(json!({"agreement": a.agreement, "held": a.on, "by": a.by, "next_review": next}))
    })
}

/// `5y`, `18m` or `none`.
fn term(text: &str) -> Result<Option<Term>, Failure> {
    if text == "none" {
        return Ok(None);
    }
    let bad = || {
        Failure::new(
            "usage",
            format!("{text:?}: give a term such as 5y or 18m, or none"),
            USAGE,
        )
    };
    let (n, unit) = text.split_at(text.len().saturating_sub(1));
    let unit = match unit {
        "y" => TermUnit::Years,
        "m" => TermUnit::Months,
        _ => return Err(bad()),
    };
    Ok(Some(Term::new(n.parse().map_err(|_| bad())?, unit)))
}

fn amendment_kind(c: &AmendCommon) -> Result<AmendmentKind, Failure> {
    c.kind
        .parse()
        .map_err(|e| Failure::new("usage", format!("--kind: {e}"), USAGE))
}

pub(crate) fn amend(g: &Global, a: &AmendArgs) -> Result<(), Failure> {
    match &a.what {
        AmendWhat::End(e) => {
            let end = match e.end.as_str() {
                "none" => None,
                day => Some(NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| {
                    Failure::new(
                        "usage",
                        format!("{day:?}: give a day YYYY-MM-DD or none"),
                        USAGE,
                    )
                })?),
            };
            let kind = amendment_kind(&e.change)?;
            change(g, "amend-end", |r| {
                let w = when(e.change.on, &e.change.entered);
                r.amend(&e.agreement, w, kind, &e.change.summary, |t| t.set_end(end))?;
                Ok(json!({"agreement": e.agreement, "end": end, "from": e.change.on}))
            })
        }
        AmendWhat::Term(t) => {
            let new = term(&t.term)?;
            let kind = amendment_kind(&t.change)?;
            change(g, "amend-term", |r| {
                let w = when(t.change.on, &t.change.entered);
                r.amend(&t.agreement, w, kind, &t.change.summary, |terms| {
                    terms.set_term(new.clone());
                })?;
                Ok(json!({"agreement": t.agreement, "term": new, "from": t.change.on}))
            })
        }
    }
}

pub(crate) fn terminate(g: &Global, a: &TerminateArgs) -> Result<(), Failure> {
    change(g, "terminate", |r| {
        let w = when(a.on, &a.entered);
        let ending = match (&a.by_notice, a.all_members, a.expiry) {
            (Some(p), _, _) => Some(Ending::Notice(party_id(p)?)),
            (None, true, _) => Some(Ending::AllMembers),
            (None, false, true) => Some(Ending::Expiry),
            (None, false, false) => None,
        };
        match &ending {
            Some(e) => r.terminate_by(&a.agreement, w, e.clone(), a.note.clone())?,
            None => r.terminate(&a.agreement, w, a.note.clone())?,
        }
        Ok(json!({"agreement": a.agreement, "terminated": a.on, "ended_by": ending}))
    })
}

pub(crate) fn renew(g: &Global, a: &AgreementOn) -> Result<(), Failure> {
    change(g, "renew", |r| {
        r.renew(&a.agreement, when(a.on, &a.entered))?;
        let end = r.terms_on(&a.agreement, a.on)?.end();
        Ok(json!({"agreement": a.agreement, "renewed": a.on, "end": end}))
    })
}

pub(crate) fn extend(g: &Global, a: &ExtendArgs) -> Result<(), Failure> {
    change(g, "extend", |r| {
        r.extend(&a.agreement, when(a.on, &a.entered), a.to)?;
        Ok(json!({"agreement": a.agreement, "extended": a.on, "end": a.to}))
    })
}
