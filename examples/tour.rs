//! A tour of the embedded sample registry: who takes part in what, under
//! which legal basis, governed by whom, and what the sources say about money.
//!
//! Run with `cargo run --example tour`, or `cargo run --example tour -- FILE`
//! for a registry file of your own, and `-- --as-of YYYY-MM-DD` for another day.

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use collab_registry::{Agreement, PartyKind, Registry, parse_date};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let mut out = io::stdout().lock();
    match run(&mut out).and_then(|()| Ok(out.flush()?)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if reader_stopped(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `error` is standard output closed by its reader (`| head`): the
/// reader has all it wanted, so the tour stops early without failing.
fn reader_stopped(error: &(dyn std::error::Error + 'static)) -> bool {
    error
        .downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(out: &mut impl Write) -> Result {
    let mut file = None;
    let mut as_of = NaiveDate::from_ymd_opt(2021, 4, 1).ok_or("bad default date")?;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--as-of" => {
                let text = args
                    .next()
                    .ok_or("--as-of needs a date such as 2021-04-01")?;
                as_of = parse_date(&text)?;
            }
            "-h" | "--help" => {
                writeln!(
                    out,
                    "usage: cargo run --example tour [-- [--as-of YYYY-MM-DD] [registry.json]]"
                )?;
                return Ok(());
            }
            _ => file = Some(arg),
        }
    }
    let registry = match &file {
        Some(path) => Registry::load(path)?,
        None => collab_registry::sample()?,
    };
    tour(out, &registry, as_of)
}

fn heading(out: &mut impl Write, title: &str) -> io::Result<()> {
    writeln!(out, "\n{title}\n{}", "=".repeat(title.chars().count()))
}

fn name<'a>(registry: &'a Registry, id: &'a str) -> &'a str {
    registry.party(id).map_or(id, |p| p.name.as_str())
}

fn tour(out: &mut impl Write, registry: &Registry, as_of: NaiveDate) -> Result {
    let info = registry.info();
    writeln!(
        out,
        "{}",
        info.name.as_deref().unwrap_or("Collaboration register")
    )?;
    writeln!(
        out,
        "{} parties, {} agreements, {} governance bodies; amounts in {}; as of {as_of}",
        registry.parties().len(),
        registry.agreements().len(),
        registry.bodies().len(),
        info.currency
    )?;
    writeln!(
        out,
        "Values marked * are illustrative: the source documents do not give them."
    )?;

    heading(out, "Parties")?;
    for kind in PartyKind::ALL {
        let names: Vec<String> = registry
            .parties()
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| {
                let overseers: Vec<&str> = p
                    .overseers_on(as_of)
                    .map(|o| name(registry, o.as_str()))
                    .collect();
                if overseers.is_empty() {
                    p.name.clone()
                } else {
                    format!("{} (overseen by {})", p.name, overseers.join(", "))
                }
            })
            .collect();
        if !names.is_empty() {
            writeln!(out, "{}:", kind.as_str().replace('_', " "))?;
            for n in names {
                writeln!(out, "  - {n}")?;
            }
        }
    }

    heading(out, "Agreements, umbrellas first")?;
    let top: Vec<&Agreement> = registry
        .agreements()
        .iter()
        .filter(|a| a.part_of.is_none())
        .collect();
    for a in top {
        print_agreement(out, registry, a, as_of, 0)?;
    }

    heading(out, "Governance")?;
    for body in registry.bodies() {
        let chain = reports_chain(registry, body.id.as_str());
        writeln!(
            out,
            "{} [{}], decides by {}",
            body.name,
            body.kind.as_str(),
            body.decision_rule
        )?;
        if !chain.is_empty() {
            writeln!(out, "  reports to: {}", chain.join(" -> "))?;
        }
        if !body.governs.is_empty() {
            let titles: Vec<&str> = body
                .governs
                .iter()
                .filter_map(|g| registry.agreement(g.as_str()).ok())
                .map(|a| a.title.as_str())
                .collect();
            writeln!(out, "  governs: {}", titles.join("; "))?;
        }
        let seats: Vec<String> = body
            .seats
            .iter()
            .map(|s| format!("{} ({})", name(registry, s.party.as_str()), s.role.as_str()))
            .collect();
        writeln!(out, "  seats: {}", seats.join(", "))?;
        for limit in &body.delegated_limits {
            writeln!(
                out,
                "  may decide alone: {} up to £{}",
                limit.matter, limit.limit
            )?;
        }
    }

    heading(out, "Signatories")?;
    for id in [
        "northants-leics-notts-alliance",
        "northamptonshire-enabling-services",
    ] {
        let a = registry.agreement(id)?;
        let on = as_of.max(a.start);
        let names: Vec<&str> = registry
            .signatories(id, on)?
            .iter()
            .map(|p| p.signs_as.as_deref().unwrap_or(&p.name))
            .collect();
        writeln!(out, "{} on {on}: {} signatories", a.title, names.len())?;
        for n in names {
            writeln!(out, "  - {n}")?;
        }
    }

    heading(out, "Money the sources state")?;
    let year = collab_registry::FinancialYear::containing(
        NaiveDate::from_ymd_opt(2021, 4, 1).unwrap_or(as_of),
    );
    for p in registry.parties() {
        for m in p
            .metrics
            .iter()
            .filter(|m| m.year == year && !m.illustrative)
        {
            writeln!(
                out,
                "{} {} {}: £{}",
                p.name,
                m.metric.replace('_', " "),
                m.year,
                m.value
            )?;
        }
    }
    for a in registry.agreements() {
        let s = &a.costs.savings;
        if let Some(target) = s.target {
            let by = s.target_by.map(|y| format!(" by {y}")).unwrap_or_default();
            writeln!(out, "{}: savings target £{target}{by}", a.title)?;
        }
        if let Some(p) = s.realised_percent {
            writeln!(
                out,
                "{}: savings realised on average {p}% of pre-collaboration cost",
                a.title
            )?;
        }
    }
    Ok(())
}

fn print_agreement(
    out: &mut impl Write,
    registry: &Registry,
    a: &Agreement,
    as_of: NaiveDate,
    depth: usize,
) -> io::Result<()> {
    let indent = "  ".repeat(depth);
    let star = |field: &str| {
        if a.provenance.is_illustrative(field) {
            "*"
        } else {
            ""
        }
    };
    let status = a
        .status_on(as_of)
        .map_or("not yet recorded", |s| s.as_str());
    writeln!(out, "{indent}{} [{}]", a.title, a.id)?;
    writeln!(
        out,
        "{indent}  {status}; {}{}; from {}{}{}",
        a.legal_basis.as_str().replace('_', " "),
        star("legal_basis"),
        a.start,
        star("start"),
        a.end.map(|e| format!(" to {e}")).unwrap_or_default()
    )?;
    let members: Vec<String> = a
        .members_on(as_of)
        .map(|m| {
            format!(
                "{}{}",
                name(registry, m.party.as_str()),
                if m.leads_or_hosts() {
                    format!(" ({})", m.role.as_str())
                } else {
                    String::new()
                }
            )
        })
        .collect();
    writeln!(
        out,
        "{indent}  members{} ({}): {}",
        star("members"),
        members.len(),
        members.join(", ")
    )?;
    for m in a
        .members
        .iter()
        .filter(|m| m.left.is_some_and(|l| l <= as_of))
    {
        let notice = m
            .notice_served
            .map(|n| format!(", notice served {n}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{indent}  left: {} on {}{notice}",
            name(registry, m.party.as_str()),
            m.left.unwrap_or(as_of)
        )?;
    }
    for d in &a.declined {
        writeln!(
            out,
            "{indent}  declined: {}",
            name(registry, d.party.as_str())
        )?;
    }
    if !a.functions.is_empty() {
        let f: Vec<&str> = a.functions.iter().map(|f| f.as_str()).collect();
        writeln!(out, "{indent}  functions: {}", f.join(", "))?;
    }
    if let Some(next) = a.review.next_due_on(a.start, as_of) {
        let overdue = if next < as_of { " (overdue)" } else { "" };
        writeln!(
            out,
            "{indent}  next review{}: {next}{overdue}",
            star("review")
        )?;
    }
    if let Some(budget) = a
        .costs
        .budgets
        .iter()
        .rev()
        .find(|b| b.year.first_day() <= as_of)
    {
        writeln!(
            out,
            "{indent}  budget {}: £{}{}",
            budget.year,
            budget.amount,
            if budget.illustrative { "*" } else { "" }
        )?;
    }
    let children: Vec<&Agreement> = registry
        .agreements()
        .iter()
        .filter(|c| c.part_of.as_ref().is_some_and(|p| *p == a.id))
        .collect();
    for c in children {
        print_agreement(out, registry, c, as_of, depth + 1)?;
    }
    Ok(())
}

fn reports_chain(registry: &Registry, id: &str) -> Vec<String> {
    let mut chain = Vec::new();
    let mut next = registry.body(id).ok().and_then(|b| b.reports_to.clone());
    while let Some(up) = next {
        if chain.len() > registry.bodies().len() {
            break;
        }
        let body = registry.body(up.as_str()).ok();
        chain.push(body.map_or(up.to_string(), |b| b.name.clone()));
        next = body.and_then(|b| b.reports_to.clone());
    }
    chain
}
