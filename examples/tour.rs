//! A tour of the embedded sample registry, as of 1 April 2021: who takes
//! part in what and with whom, who signs, who governs, what each member
//! pays, and what falls due.
//!
//! Values marked * are illustrative: the sources do not give them.
//!
//! `cargo run --example tour`, or `cargo run --example tour -- FILE` for a
//! registry file of your own. The command-line tool for every question is
//! `cargo run --example collab -- --help`.

use std::process::ExitCode;

use chrono::NaiveDate;
use collab_registry::questions::OutBy;
use collab_registry::{AsOf, Registry};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result {
    let registry = match std::env::args().nth(1) {
        Some(path) => Registry::load(path)?,
        None => collab_registry::sample()?,
    };
    let day = NaiveDate::from_ymd_opt(2021, 4, 1).ok_or("a day")?;
    let q = registry.as_of(day);
    println!(
        "{}: {} parties, {} agreements, {} governance bodies, as of {day}",
        registry.info().name.as_deref().unwrap_or("A register"),
        registry.parties().len(),
        registry.agreements().len(),
        registry.bodies().len(),
    );
    if registry.agreement("northants-leics-notts-alliance").is_ok() {
        sample_tour(&q)?;
    }
    Ok(())
}

fn heading(title: &str) {
    println!("\n{title}\n{}", "-".repeat(title.chars().count()));
}

/// The questions, asked of the sample's records.
fn sample_tour(q: &AsOf<'_>) -> Result {
    heading("What Northamptonshire Police takes part in");
    for p in q.agreements_of("northamptonshire-police")? {
        println!("{} ({}), since {}", p.agreement.title, p.role, p.joined);
    }

    heading("The 2015 alliance");
    let alliance = q.members_of("northants-leics-notts-alliance")?;
    for m in &alliance.members {
        println!("member: {} ({})", m.party.name, m.role);
    }
    for d in q.agreement("northants-leics-notts-alliance")?.declined() {
        println!("declined: {}", q.party(d.party.as_str())?.name());
    }
    let signatories = q.signatories("northants-leics-notts-alliance")?;
    println!(
        "{} signatories, each chief constable and each commissioner",
        signatories.len()
    );

    heading("Who governs the enabling services");
    for g in q.governing_bodies("northamptonshire-enabling-services")? {
        println!("{}: decides by {}", g.body.name, g.rule);
    }

    heading("What each member pays for the major crime unit in 2021/22");
    let shares = q.apportion("em-major-crime", "2021/22".parse()?)?;
    for s in &shares.shares {
        println!("{:<40} £{:>13}", s.party.name, s.amount.grouped());
    }
    // The sources give no budget for this unit: the sample's is illustrative.
    let mark = if shares.illustrative { " *" } else { "" };
    println!("{:<40} £{:>13}{mark}", "budget", shares.budget.grouped());

    heading("Reviews overdue");
    for r in q.overdue_reviews() {
        println!(
            "{} (due {}): {}",
            r.agreement.title,
            r.due,
            r.days_overdue
                .map_or(String::new(), |d| format!("{d} days overdue"))
        );
    }

    heading("Lincolnshire's last day to give notice");
    let deadline = q.notice_deadline(
        "em-operational-support",
        "lincolnshire-police",
        OutBy::FinancialYearEnd,
    )?;
    println!(
        "serve by {} to be out of operational support by {}",
        deadline.serve_by, deadline.out_by
    );
    Ok(())
}
