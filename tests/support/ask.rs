//! Asking every question the library offers of a registry, on days drawn
//! from a number: shared by the fuzz targets (`fuzz/src/lib.rs` includes
//! this file) and by `tests/bounded.rs`, so both ask the same questions.

use chrono::{Days, NaiveDate};
use collab_registry::costs::JoinTerms;
use collab_registry::model::{FinancialYear, Function, LegalBasis, Status};
use collab_registry::questions::{OutBy, SectorOrKind, Vote, Weighing};
use collab_registry::{AsOf, Registry};

/// A day from a fuzzer's number: mostly near the sample's years, sometimes
/// at the edges of what a file can hold, sometimes beyond.
#[allow(
    dead_code,
    reason = "the fuzz targets use it; tests/bounded.rs picks its own days"
)]
pub fn day(n: u16) -> NaiveDate {
    let base = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default();
    match n % 64 {
        0 => NaiveDate::from_ymd_opt(0, 1, 1).unwrap_or_default(),
        1 => NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
        2 => NaiveDate::MAX,
        3 => NaiveDate::MIN,
        _ => base
            .checked_add_days(Days::new(u64::from(n) % 8000))
            .unwrap_or(base),
    }
}

/// The financial year containing `day`, or 2021/22 for a day whose year a
/// file cannot hold.
fn year_of(day: NaiveDate) -> Option<FinancialYear> {
    FinancialYear::containing(day).or_else(|| "2021/22".parse().ok())
}

/// Asks every question the library offers of `registry`, as of each day
/// and as the register stood on each, for every party, agreement and body
/// (at most `limit` of each), and serialises every answer. Panics only if
/// the library does.
pub fn ask_everything(registry: &Registry, days: &[NaiveDate], limit: usize) {
    let parties: Vec<String> = registry
        .parties()
        .iter()
        .take(limit)
        .map(|p| p.id().to_string())
        .collect();
    let agreements: Vec<String> = registry
        .agreements()
        .iter()
        .take(limit)
        .map(|a| a.id().to_string())
        .collect();
    let bodies: Vec<String> = registry
        .bodies()
        .iter()
        .take(limit)
        .map(|b| b.id().to_string())
        .collect();
    for &on in days {
        for q in [registry.as_of(on), registry.as_of(on).as_recorded_on(on)] {
            ask(&q, &parties, &agreements, &bodies);
        }
    }
    let _ = registry.to_json_string();
    let _ = registry.graph();
}

fn show<T: serde::Serialize>(answer: &T) {
    let _ = serde_json::to_string(answer);
}

fn ask(q: &AsOf<'_>, parties: &[String], agreements: &[String], bodies: &[String]) {
    let on = q.date();
    let Some(year) = year_of(on) else { return };
    let later = on.checked_add_days(Days::new(400)).unwrap_or(on);
    show(&q.reviews_due(on, later));
    show(&q.overdue_reviews());
    show(&q.expiring(on, later));
    show(&q.notice_deadlines());
    show(&q.with_exactly(2));
    show(&q.with_at_least(3));
    let _ = q.calendar_feed();
    let network = q.network();
    show(&network.parties());
    show(&network.links());
    show(&network.groups());
    show(&network.degrees());
    show(&network.betweenness());
    show(&network.articulation_points());
    show(&q.reviews_by_body(on, later));
    for &function in Function::ALL {
        show(&q.by_function(function));
    }
    for &basis in LegalBasis::ALL {
        show(&q.by_legal_basis(basis));
    }
    for &status in Status::ALL {
        show(&q.by_status(status));
    }
    for wanted in ["police", "fire_and_rescue", "police_force", "national_body"] {
        if let Ok(w) = wanted.parse::<SectorOrKind>() {
            show(&q.cross_sector(&[w]));
        }
    }
    let _ = q.declined(None).map(|a| show(&a));
    let _ = q.leads_and_hosts(None).map(|a| show(&a));
    let ids: Vec<&str> = parties.iter().map(String::as_str).take(3).collect();
    let _ = q.shared_by(&ids).map(|a| show(&a));
    if let Some(region) = q
        .registry()
        .parties()
        .iter()
        .find_map(|p| p.terms().region.clone())
    {
        let _ = q.sizes_in_region(&region, None).map(|a| show(&a));
    }
    for party in parties {
        let _ = q.agreements_of(party).map(|a| show(&a));
        let _ = q.partners_of(party).map(|a| show(&a));
        let _ = q.seats_of(party).map(|a| show(&a));
        let _ = q.leads_and_hosts(Some(party)).map(|a| show(&a));
        let _ = q.contributions(party, year).map(|a| show(&a));
        let _ = q.assets_of(party).map(|a| show(&a));
        let _ = q.party(party).map(|p| {
            let _ = p.name();
        });
    }
    for agreement in agreements {
        let _ = q.members_of(agreement).map(|a| show(&a));
        let _ = q.signatories(agreement).map(|a| show(&a));
        let _ = q.governing_bodies(agreement).map(|a| show(&a));
        let _ = q.next_review(agreement).map(|a| show(&a));
        let _ = q.history(agreement).map(|a| show(&a));
        let _ = q.under(agreement).map(|a| show(&a));
        let _ = q.sizes_under(agreement).map(|a| show(&a));
        let _ = q.apportion(agreement, year).map(|a| show(&a));
        let _ = q.savings(agreement).map(|a| show(&a));
        let _ = q.entitlements(agreement, year).map(|a| show(&a));
        let _ = q.assets(agreement).map(|a| show(&a));
        let _ = q.successors(agreement).map(|a| show(&a));
        let _ = q.replaced(agreement).map(|a| show(&a));
        if let Ok(period) = collab_registry::model::Period::new(on, Some(later)) {
            let _ = q.charges(agreement, period).map(|a| show(&a));
        }
        for party in parties.iter().take(4) {
            for out_by in [OutBy::FinancialYearEnd, OutBy::Expiry, OutBy::Day(later)] {
                let _ = q
                    .notice_deadline(agreement, party, out_by)
                    .map(|a| show(&a));
            }
            let _ = q
                .what_if_withdrawal(agreement, party, year)
                .map(|a| show(&a));
            let _ = q
                .what_if_join(agreement, party, year, &JoinTerms::new().on(on))
                .map(|a| show(&a));
        }
    }
    for body in bodies {
        let _ = q.reporting_chain(body).map(|a| show(&a));
        let votes: Vec<(&str, Vote)> = parties
            .iter()
            .take(6)
            .map(|p| (p.as_str(), Vote::For))
            .collect();
        let _ = q.decide(body, &votes, Weighing::Votes).map(|a| show(&a));
        let _ = q.decide_by_cost_share(body, &votes, year).map(|a| show(&a));
    }
}
