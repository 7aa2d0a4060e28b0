//! Bounded work: a registry about a megabyte in size, built at the limits a
//! file may hold (reviews every month from the year 1 with none held,
//! notice and terms of 1,200 months, a chain of 1,000 umbrella agreements,
//! formulas blended as deep as allowed), loads and answers every question
//! the library offers on days from the year 1 to 9999, and every answer's
//! size is bounded by the registry, not by the span of days asked about.
//!
//! No test asserts on time; the time each takes is printed for the record
//! (`cargo test --release --test bounded -- --nocapture`).

#[allow(
    unreachable_pub,
    reason = "the fuzz crate includes the same file and uses it from outside"
)]
#[path = "support/ask.rs"]
mod ask;

use std::time::Instant;

use chrono::NaiveDate;
use collab_registry::Registry;
use collab_registry::model::{
    Agreement, AgreementId, BlendPart, Budget, CostArrangement, Currency, DatedFormula,
    FinancialYear, Formula, Function, LeavingRules, LegalBasis, MAX_FORMULA_DEPTH, MAX_MONTHS,
    Membership, Money, Party, PartyId, PartyKind, ReviewTerms, Role, Term, TermUnit,
};

const PARTIES: usize = 200;
const AGREEMENTS: usize = 1_000;
const MEMBERS: usize = 6;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

fn party(i: usize) -> PartyId {
    PartyId::new(&format!("force-{i:03}")).expect("a valid id")
}

/// Equal shares blended with themselves as deep as a formula may nest.
fn deepest_blend() -> Formula {
    (1..MAX_FORMULA_DEPTH).fold(Formula::equal(), |inner, _| {
        Formula::blend(vec![
            BlendPart::new("50".parse().expect("a percent"), inner),
            BlendPart::new("50".parse().expect("a percent"), Formula::equal()),
        ])
    })
}

fn at_the_limits() -> Result<Registry, Box<dyn std::error::Error>> {
    let start = day(1, 4, 1);
    let mut registry = Registry::default();
    for i in 0..PARTIES {
        registry.add_party(
            Party::builder(party(i), format!("Force {i}"), PartyKind::PoliceForce).build()?,
        )?;
    }
    let year = FinancialYear::containing(start).ok_or("year 1 is a financial year")?;
    for a in 0..AGREEMENTS {
        let mut costs = CostArrangement::default();
        costs.set_budget(Budget::new(
            year,
            Money::parse("999999999.99", Currency::GBP)?,
        ));
        // The deepest blend on one agreement in a hundred keeps the file
        // near a megabyte.
        let formula = if a % 100 == 99 {
            deepest_blend()
        } else {
            Formula::equal()
        };
        costs.set_formula(DatedFormula::new(start, formula));
        let mut builder = Agreement::builder(
            AgreementId::new(&format!("agreement-{a:04}"))?,
            format!("Agreement {a}"),
            start,
        )
        .legal_basis(LegalBasis::Section22aPoliceAct1996)
        .function(
            Function::ALL
                .get(a % Function::ALL.len())
                .copied()
                .ok_or("a function")?,
        )
        .active_from(start)
        .term(Term::new(MAX_MONTHS / 12, TermUnit::Years))
        .review(ReviewTerms::every(1))
        .leaving(LeavingRules::notice(MAX_MONTHS))
        .costs(costs);
        if let Some(umbrella) = a.checked_sub(1) {
            builder = builder.part_of(AgreementId::new(&format!("agreement-{umbrella:04}"))?);
        }
        for m in 0..MEMBERS {
            let role = if m == 0 { Role::Lead } else { Role::Member };
            builder = builder.member(Membership::new(
                party((a * 7 + m * 31) % PARTIES),
                role,
                start,
            ));
        }
        registry.add_agreement(builder.build()?)?;
    }
    Ok(registry)
}

#[test]
fn a_megabyte_at_the_limits_loads_and_answers_within_bounded_sizes() {
    let built = at_the_limits().expect("the registry at the limits is valid");
    let text = built.to_json_string();
    assert!(
        (1_000_000..2_000_000).contains(&text.len()),
        "the file is about a megabyte: {} bytes",
        text.len()
    );

    let started = Instant::now();
    let registry = Registry::from_json_str(&text).expect("what was built loads");
    let loaded = started.elapsed();
    assert_eq!(registry.to_json_string(), text);

    let days = [day(1, 4, 1), day(5000, 6, 30), day(9999, 12, 31)];
    let started = Instant::now();
    // Every question of the whole registry, and every question about one
    // party, agreement or body for the first few of each (all of them take
    // minutes in a debug build).
    ask::ask_everything(&registry, &days, 12);
    let asked = started.elapsed();
    eprintln!(
        "{} bytes: loaded in {loaded:?}; every question on {} days in {asked:?}",
        text.len(),
        days.len()
    );

    // A review every month for 10,000 years is still one row per agreement.
    let last = registry
        .as_of(day(9999, 12, 31))
        .as_recorded_on(day(9999, 12, 31));
    let first = registry.as_of(day(1, 4, 1));
    assert!(last.overdue_reviews().len() <= AGREEMENTS);
    assert_eq!(
        first.reviews_due(day(1, 4, 1), day(9999, 12, 31)).len(),
        AGREEMENTS,
        "the next review of each agreement, not every review of ten thousand years"
    );
    // 1,200 months of notice: at most a deadline for the year end and one
    // for the expiry of each agreement, whatever the span.
    let deadlines = first.notice_deadlines();
    assert!(deadlines.len() <= 2 * AGREEMENTS);
    assert!(deadlines.iter().all(|d| d.members.len() == MEMBERS));
    // The whole chain of umbrellas under the first.
    let under = first.under("agreement-0000").expect("a known agreement");
    assert_eq!(under.len(), AGREEMENTS - 1);
    // The deepest blend still shares the whole budget, to the penny.
    let shares = first
        .apportion("agreement-0999", "0001/02".parse().expect("a year"))
        .expect("the deepest blend apportions");
    let total: i64 = shares.shares.iter().map(|r| r.amount.minor_units()).sum();
    assert_eq!(total, 99_999_999_999);
}
