//! The questions: each sub-command asks the library and writes its answer
//! as it serialises, inside the envelope.

use chrono::NaiveDate;
use collab_registry::costs::JoinTerms;
use collab_registry::model::{Money, Quantity};
use collab_registry::questions::{OutBy, SectorOrKind, Vote, Weighing};
use collab_registry::{AsOf, Error};
use serde_json::{Value, json};

use crate::cli::{Command, Global, NetworkWhat, WhatIfJoin};
use crate::out::{self, Failure, USAGE};

/// Money as every answer writes it.
pub(crate) fn money(m: &Money) -> Value {
    json!({"amount": m.to_string(), "currency": m.currency().code()})
}

/// A party as every answer names it, by its name on the day.
fn party_ref(q: &AsOf<'_>, id: &str) -> Value {
    json!({"id": id, "name": q.party(id).ok().map(|p| p.name())})
}

/// Answers a question sub-command.
pub(crate) fn answer(g: &Global, command: &Command) -> Result<(), Failure> {
    let registry = out::load(g)?;
    let q = out::asof(g, &registry);
    let r = |e: Error| Failure::refused(&e);
    match command {
        Command::AgreementsOf(a) => out::answer(g, &q, &q.agreements_of(&a.party).map_err(r)?),
        Command::MembersOf(a) => out::answer(g, &q, &q.members_of(&a.agreement).map_err(r)?),
        Command::Signatories(a) => out::answer(g, &q, &q.signatories(&a.agreement).map_err(r)?),
        Command::LeadsAndHosts(a) => {
            out::answer(g, &q, &q.leads_and_hosts(a.party.as_deref()).map_err(r)?)
        }
        Command::PartnersOf(a) => out::answer(g, &q, &q.partners_of(&a.party).map_err(r)?),
        Command::SharedBy(a) => {
            let ids: Vec<&str> = a.parties.iter().map(String::as_str).collect();
            out::answer(g, &q, &q.shared_by(&ids).map_err(r)?)
        }
        Command::WithExactly(a) => out::answer(g, &q, &q.with_exactly(a.n)),
        Command::WithAtLeast(a) => out::answer(g, &q, &q.with_at_least(a.n)),
        Command::SizesInRegion(a) => {
            out::answer(g, &q, &q.sizes_in_region(&a.region, a.kind).map_err(r)?)
        }
        Command::SizesUnder(a) => out::answer(g, &q, &q.sizes_under(&a.agreement).map_err(r)?),
        Command::ByFunction(a) => out::answer(g, &q, &q.by_function(a.function)),
        Command::ByLegalBasis(a) => out::answer(g, &q, &q.by_legal_basis(a.basis)),
        Command::ByStatus(a) => out::answer(g, &q, &q.by_status(a.status)),
        Command::Under(a) => out::answer(g, &q, &q.under(&a.agreement).map_err(r)?),
        Command::CrossSector(a) => {
            let wanted = a
                .wanted
                .iter()
                .map(|w| w.parse::<SectorOrKind>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(r)?;
            out::answer(g, &q, &q.cross_sector(&wanted))
        }
        Command::Declined(a) => out::answer(g, &q, &q.declined(a.party.as_deref()).map_err(r)?),
        Command::Party(a) => out::answer(g, &q, &party(&q, &a.party).map_err(r)?),
        Command::Bodies(a) => out::answer(g, &q, &q.governing_bodies(&a.agreement).map_err(r)?),
        Command::Body(a) => out::answer(g, &q, &body(&q, &a.body).map_err(r)?),
        Command::SeatsOf(a) => out::answer(g, &q, &q.seats_of(&a.party).map_err(r)?),
        Command::ReportingChain(a) => out::answer(g, &q, &q.reporting_chain(&a.body).map_err(r)?),
        Command::ReviewsByBody(a) => out::answer(g, &q, &q.reviews_by_body(a.from, a.to)),
        Command::Decide(a) => {
            let ballots = ballots(&a.votes)?;
            let votes: Vec<(&str, Vote)> = ballots.iter().map(|(p, v)| (p.as_str(), *v)).collect();
            let decision = match a.cost_share_year {
                Some(year) => q.decide_by_cost_share(&a.body, &votes, year),
                None => q.decide(&a.body, &votes, Weighing::Votes),
            };
            out::answer(g, &q, &decision.map_err(r)?)
        }
        Command::Network(a) => network(g, &q, a.what),
        other => costs_and_calendar(g, &q, other),
    }
}

fn costs_and_calendar(g: &Global, q: &AsOf<'_>, command: &Command) -> Result<(), Failure> {
    let r = |e: Error| Failure::refused(&e);
    match command {
        Command::Apportion(a) => out::answer(g, q, &q.apportion(&a.agreement, a.year).map_err(r)?),
        Command::Charges(a) => {
            let period = collab_registry::model::Period::new(a.from, Some(a.to)).map_err(|e| {
                Failure::new(
                    "invalid-date",
                    format!("--from {} --to {}: {e}", a.from, a.to),
                    USAGE,
                )
            })?;
            out::answer(g, q, &q.charges(&a.agreement, period).map_err(r)?)
        }
        Command::Contributions(a) => {
            out::answer(g, q, &q.contributions(&a.party, a.year).map_err(r)?)
        }
        Command::WhatIfLeave(a) => out::answer(
            g,
            q,
            &q.what_if_withdrawal(&a.agreement, &a.party, a.year)
                .map_err(r)?,
        ),
        Command::WhatIfJoin(a) => {
            let terms = join_terms(a)?;
            out::answer(
                g,
                q,
                &q.what_if_join(&a.agreement, &a.party, a.year, &terms)
                    .map_err(r)?,
            )
        }
        Command::Savings(a) => out::answer(g, q, &q.savings(&a.agreement).map_err(r)?),
        Command::Entitlements(a) => {
            out::answer(g, q, &q.entitlements(&a.agreement, a.year).map_err(r)?)
        }
        Command::Assets(a) => out::answer(g, q, &q.assets(&a.agreement).map_err(r)?),
        Command::AssetsOf(a) => out::answer(g, q, &q.assets_of(&a.party).map_err(r)?),
        Command::NextReview(a) => {
            let next = q.next_review(&a.agreement).map_err(r)?;
            let agreement = q.agreement(&a.agreement).map_err(r)?;
            out::answer(
                g,
                q,
                &json!({
                    "agreement": {"id": agreement.id(), "title": agreement.title()},
                    "next_review": next,
                }),
            )
        }
        Command::ReviewsDue(a) => out::answer(g, q, &q.reviews_due(a.from, a.to)),
        Command::OverdueReviews => out::answer(g, q, &q.overdue_reviews()),
        Command::Expiring(a) => out::answer(g, q, &q.expiring(a.from, a.to)),
        Command::NoticeDeadline(a) => {
            let out_by = out_by(&a.out_by)?;
            out::answer(
                g,
                q,
                &q.notice_deadline(&a.agreement, &a.party, out_by)
                    .map_err(r)?,
            )
        }
        Command::NoticeDeadlines => out::answer(g, q, &q.notice_deadlines()),
        Command::Calendar => {
            print!("{}", q.calendar_feed());
            Ok(())
        }
        Command::History(a) => out::answer(g, q, &q.history(&a.agreement).map_err(r)?),
        Command::Successors(a) => out::answer(g, q, &q.successors(&a.agreement).map_err(r)?),
        Command::Replaced(a) => out::answer(g, q, &q.replaced(&a.agreement).map_err(r)?),
        _ => Err(Failure::new("usage", "not a question", USAGE)),
    }
}

fn network(g: &Global, q: &AsOf<'_>, what: NetworkWhat) -> Result<(), Failure> {
    let n = q.network();
    match what {
        NetworkWhat::Parties => out::answer(g, q, &n.parties()),
        NetworkWhat::Links => out::answer(g, q, &n.links()),
        NetworkWhat::Groups => out::answer(g, q, &n.groups()),
        NetworkWhat::Degrees => out::answer(g, q, &n.degrees()),
        NetworkWhat::Betweenness => out::answer(g, q, &n.betweenness()),
        NetworkWhat::ArticulationPoints => out::answer(g, q, &n.articulation_points()),
    }
}

/// A party on the day, with who oversees it.
fn party(q: &AsOf<'_>, id: &str) -> Result<Value, Error> {
    let p = q.party(id)?;
    let overseers: Vec<Value> = p.overseers().map(|o| party_ref(q, o.as_str())).collect();
    Ok(json!({
        "party": {"id": p.id(), "name": p.name()},
        "kind": p.kind(),
        "sector": p.kind().sector(),
        "region": p.region(),
        "signs_as": p.signs_as(),
        "overseen_by": overseers,
    }))
}

/// A body on the day: rule, delegated limits, seats, what it governs and
/// reports to.
fn body(q: &AsOf<'_>, id: &str) -> Result<Value, Error> {
    let b = q.body(id)?;
    let limits: Vec<Value> = b
        .delegated_limits()
        .iter()
        .map(|l| json!({"matter": l.matter, "limit": money(&l.limit)}))
        .collect();
    let seats: Vec<Value> = b
        .seats()
        .map(|s| json!({"party": party_ref(q, s.party.as_str()), "role": s.role, "votes": s.votes}))
        .collect();
    let governs: Vec<Value> = b
        .governs()
        .map(|a| json!({"id": a, "title": q.agreement(a.as_str()).ok().map(|v| v.title())}))
        .collect();
    let reports_to: Vec<Value> = b
        .reports_to()
        .map(|r| json!({"id": r, "name": q.body(r.as_str()).ok().map(|v| v.name())}))
        .collect();
    Ok(json!({
        "body": {"id": b.record().id(), "name": b.name()},
        "kind": b.kind(),
        "rule": b.decision_rule(),
        "delegated_limits": limits,
        "seats": seats,
        "governs": governs,
        "reports_to": reports_to,
    }))
}

/// `PARTY=for|against|abstain` ballots.
fn ballots(votes: &[String]) -> Result<Vec<(String, Vote)>, Failure> {
    votes
        .iter()
        .map(|v| {
            let bad = || {
                Failure::new(
                    "usage",
                    format!("--vote {v:?}: give PARTY=for, PARTY=against or PARTY=abstain"),
                    USAGE,
                )
            };
            let (party, vote) = v.split_once('=').ok_or_else(bad)?;
            let vote = match vote {
                "for" => Vote::For,
                "against" => Vote::Against,
                "abstain" => Vote::Abstain,
                _ => return Err(bad()),
            };
            Ok((party.to_owned(), vote))
        })
        .collect()
}

/// `fy-end`, `expiry` or a day.
fn out_by(text: &str) -> Result<OutBy, Failure> {
    match text {
        "fy-end" => Ok(OutBy::FinancialYearEnd),
        "expiry" => Ok(OutBy::Expiry),
        day => NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(OutBy::Day)
            .map_err(|_| {
                Failure::new(
                    "usage",
                    format!("--out-by {day:?}: give fy-end, expiry or a day YYYY-MM-DD"),
                    USAGE,
                )
            }),
    }
}

fn join_terms(a: &WhatIfJoin) -> Result<JoinTerms, Failure> {
    let quantity = |flag: &str, text: &str| {
        text.parse::<Quantity>()
            .map_err(|e| Failure::new("usage", format!("{flag} {text:?}: {e}"), USAGE))
    };
    let mut terms = JoinTerms::new();
    if let Some(day) = a.from {
        terms = terms.on(day);
    }
    if let Some(p) = &a.percent {
        terms = terms.with_percent(
            p.parse()
                .map_err(|e| Failure::new("usage", format!("--percent {p:?}: {e}"), USAGE))?,
        );
    }
    if let Some(b) = &a.bought {
        terms = terms.with_bought(quantity("--bought", b)?);
    }
    if let Some(u) = &a.usage {
        terms = terms.with_usage(quantity("--usage", u)?);
    }
    Ok(terms)
}
