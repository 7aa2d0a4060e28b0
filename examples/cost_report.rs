//! Cost report for the sample registry: each agreement's shares of a year's
//! budget, each party's totals, a what-if and the savings of the umbrellas.
//!
//! ```text
//! cargo run --example cost_report [-- YEAR]
//! ```
//!
//! `YEAR` is a financial year such as `2021/22` (the default).

use collab_registry::{FinancialYear, Registry, sample};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let year: FinancialYear = match std::env::args().nth(1) {
        Some(text) => text.parse()?,
        None => "2021/22".parse()?,
    };
    let registry = sample()?;
    report(&registry, year)
}

fn report(registry: &Registry, year: FinancialYear) -> Result<(), Box<dyn std::error::Error>> {
    let currency = registry.info().currency;
    println!("Cost report for {year} ({currency})");
    println!("{}", "=".repeat(40));

    println!("\nShares of each agreement's budget\n");
    let mut budgeted = 0;
    for agreement in registry.agreements() {
        if agreement.costs.budget(year).is_none() {
            continue;
        }
        budgeted += 1;
        match registry.apportion(agreement.id.as_str(), year) {
            Ok(shares) => println!("{shares}\n"),
            Err(e) => println!("{}: cannot apportion: {e}\n", agreement.id),
        }
    }
    if budgeted == 0 {
        println!("(no agreement has a budget for {year})\n");
    }

    println!("Each party's total\n");
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
        .max()
        .unwrap_or(5)
        .max(5);
    println!(
        "  {:<width$}  {:>10}  {:>16}",
        "party", "agreements", "total"
    );
    for paid in &totals {
        println!(
            "  {:<width$}  {:>10}  {:>16}",
            paid.party.as_str(),
            paid.by_agreement.len(),
            grouped(&paid.total.to_string())
        );
    }
    if let Some(northants) = totals
        .iter()
        .find(|c| c.party.as_str() == "northamptonshire-police")
    {
        println!("\nOne party in detail, by agreement and by function\n\n{northants}");
    }

    println!("\nWhat if\n");
    match registry.what_if_withdrawal("em-major-crime", "derbyshire-police", year) {
        Ok(what_if) => println!("{what_if}"),
        Err(e) => println!("what if derbyshire-police withdrew from em-major-crime: {e}"),
    }

    println!("\nSavings against the pre-collaboration baselines\n");
    for umbrella in [
        "em-collaboration-programme",
        "northants-leics-notts-alliance",
        "bch-strategic-alliance",
    ] {
        println!("{}\n", registry.savings(umbrella)?);
    }
    Ok(())
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
