//! Cost report for the sample registry: each agreement's shares of a year's
//! budget, each party's totals, a what-if (a member withdraws, a party joins)
//! and the savings of the umbrellas.
//!
//! ```text
//! cargo run --example cost_report [-- YEAR [AGREEMENT LEAVER JOINER]]
//! ```
//!
//! `YEAR` is a financial year such as `2021/22` (the default). The what-if
//! supposes `LEAVER` withdrew from `AGREEMENT` and, separately, `JOINER`
//! joined it; by default Derbyshire Police leaving and Bedfordshire Police
//! joining East Midlands major crime, or, in a year that agreement has no
//! budget, the first budgeted agreement, its first member and the first police
//! force not in it. A bad year or id, or a year with no budget, is reported on
//! standard error with a non-zero exit.

use std::io::{self, Write};
use std::process::ExitCode;

use collab_registry::{
    Apportionment, Formula, JoinTerms, PartyKind, Percent, Quantity, Registry, ShareInput, sample,
};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = io::stdout().lock();
    match run(&mut out, &args).and_then(|()| Ok(out.flush()?)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if reader_stopped(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cost_report: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `error` is standard output closed by its reader (`| head`): the
/// reader has all it wanted, so the report stops early without failing.
fn reader_stopped(error: &(dyn std::error::Error + 'static)) -> bool {
    error
        .downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(out: &mut impl Write, args: &[String]) -> Result {
    let year = args.first().map_or("2021/22", String::as_str).parse()?;
    let registry = sample()?;
    let what_if = match args.get(1..) {
        None | Some([]) => default_what_if(&registry, year)?,
        Some([agreement, leaver, joiner]) => (agreement.clone(), leaver.clone(), joiner.clone()),
        Some(_) => return Err("usage: cost_report [YEAR [AGREEMENT LEAVER JOINER]]".into()),
    };
    // Check the ids before printing anything.
    registry.agreement(&what_if.0)?;
    registry.party(&what_if.1)?;
    registry.party(&what_if.2)?;
    report(out, &registry, year, &what_if)
}

/// The agreement, leaver and joiner of the default what-if for `year`.
fn default_what_if(
    registry: &Registry,
    year: collab_registry::FinancialYear,
) -> Result<(String, String, String)> {
    let preferred = (
        "em-major-crime".to_string(),
        "derbyshire-police".to_string(),
        "bedfordshire-police".to_string(),
    );
    if let Ok(shares) = registry.apportion(&preferred.0, year) {
        if shares.share_of(&preferred.1).is_some() && shares.share_of(&preferred.2).is_none() {
            return Ok(preferred);
        }
    }
    for agreement in registry.agreements() {
        if agreement.costs.budget(year).is_none() {
            continue;
        }
        let shares = registry.apportion(agreement.id.as_str(), year)?;
        let Some(leaver) = shares.shares.first() else {
            continue;
        };
        // A police force, as the sample's agreements are between forces.
        let joiner = registry
            .parties()
            .iter()
            .filter(|p| p.kind == PartyKind::PoliceForce)
            .map(|p| p.id.as_str())
            .filter(|p| shares.share_of(p).is_none())
            .min();
        if let Some(joiner) = joiner {
            return Ok((
                agreement.id.to_string(),
                leaver.party.to_string(),
                joiner.to_string(),
            ));
        }
    }
    Err(format!("no agreement of the sample has a budget for {year}").into())
}

fn report(
    out: &mut impl Write,
    registry: &Registry,
    year: collab_registry::FinancialYear,
    (agreement, leaver, joiner): &(String, String, String),
) -> Result {
    let currency = registry.info().currency;
    writeln!(out, "Cost report for {year} ({currency})")?;
    writeln!(out, "{}", "=".repeat(40))?;

    writeln!(out, "\nShares of each agreement's budget\n")?;
    for a in registry.agreements() {
        if a.costs.budget(year).is_some() {
            writeln!(out, "{}\n", registry.apportion(a.id.as_str(), year)?)?;
        }
    }

    writeln!(out, "Each party's total\n")?;
    let mut totals = Vec::new();
    for party in registry.parties() {
        let paid = registry.contributions(party.id.as_str(), year)?;
        if !paid.by_agreement.is_empty() {
            totals.push(paid);
        }
    }
    let width = totals
        .iter()
        .map(|c| c.party.as_str().len())
        .chain([5])
        .max()
        .unwrap_or(5);
    writeln!(
        out,
        "  {:<width$}  {:>10}  {:>16}",
        "party", "agreements", "total"
    )?;
    for paid in &totals {
        writeln!(
            out,
            "  {:<width$}  {:>10}  {:>16}",
            paid.party.as_str(),
            paid.by_agreement.len(),
            grouped(&paid.total.to_string())
        )?;
    }
    if let Some(detail) = totals
        .iter()
        .find(|c| c.party.as_str() == "northamptonshire-police")
        .or(totals.first())
    {
        writeln!(
            out,
            "\nOne party in detail, by agreement and by function\n\n{detail}"
        )?;
    }

    writeln!(out, "\nWhat if\n")?;
    writeln!(
        out,
        "{}\n",
        registry.what_if_withdrawal(agreement, leaver, year)?
    )?;
    let current = registry.apportion(agreement, year)?;
    let terms = join_terms(&current);
    if let Some(p) = terms.percent {
        writeln!(
            out,
            "(supposing {joiner} joined at an equal percentage, {p}%)"
        )?;
    }
    if let Some(u) = terms.usage {
        writeln!(
            out,
            "(supposing {joiner} used the members' average, {u} units)"
        )?;
    }
    writeln!(
        out,
        "{}",
        registry.what_if_join(agreement, joiner, year, &terms)?
    )?;

    writeln!(out, "\nSavings against the pre-collaboration baselines\n")?;
    for umbrella in registry.agreements().iter().filter(|a| a.part_of.is_none()) {
        let savings = registry.savings(umbrella.id.as_str())?;
        let recorded = savings.agreements.iter().any(|s| {
            s.baseline.is_some()
                || s.target.is_some()
                || s.target_percent.is_some()
                || s.realised_percent.is_some()
                || !s.realised.is_empty()
        });
        if recorded {
            writeln!(out, "{savings}\n")?;
        }
    }
    Ok(())
}

/// Terms for a supposed joiner, where the formula needs them: an equal
/// percentage under fixed percentages, the members' mean usage under usage.
/// These are the example's assumptions, printed beside the answer.
fn join_terms(current: &Apportionment) -> JoinTerms {
    let mut terms = JoinTerms::default();
    if reads(&current.formula, "fixed_percentages") {
        let members = u32::try_from(current.shares.len()).unwrap_or(u32::MAX);
        terms.percent = Some(Percent::from_ten_thousandths(
            Percent::HUNDRED.ten_thousandths() / members.saturating_add(1),
        ));
    }
    if reads(&current.formula, "usage") {
        let units: Vec<u64> = current
            .shares
            .iter()
            .flat_map(|s| &s.inputs)
            .filter_map(|i| match i {
                ShareInput::Usage { units } => Some(units.ten_thousandths()),
                _ => None,
            })
            .collect();
        let count = u64::try_from(units.len()).unwrap_or(1).max(1);
        terms.usage = Some(Quantity::from_ten_thousandths(
            units.iter().sum::<u64>() / count,
        ));
    }
    terms
}

/// Whether `formula`, or a part of it, is of `kind`.
fn reads(formula: &Formula, kind: &str) -> bool {
    match formula {
        Formula::Blend { parts } => parts.iter().any(|p| reads(&p.formula, kind)),
        other => other.kind() == kind,
    }
}

/// A decimal amount with thousands separators, for the totals table.
fn grouped(amount: &str) -> String {
    let (sign, digits) = amount
        .strip_prefix('-')
        .map_or(("", amount), |rest| ("-", rest));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}
