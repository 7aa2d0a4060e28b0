//! One registry shared by several threads gives each the answers one
//! thread gets: `Registry` and its as-of view are `Send + Sync`, checked
//! when this file compiles.

use chrono::NaiveDate;
use collab_registry::{AsOf, Registry};

const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<Registry>();
    shareable::<AsOf<'static>>();
    shareable::<collab_registry::Error>();
};

/// A few answers, serialised, as of `day`.
fn answers(registry: &Registry, day: NaiveDate) -> String {
    let q = registry.as_of(day);
    let mut out = String::new();
    for party in registry.parties() {
        let id = party.id().as_str();
        out += &serde_json::to_string(&q.agreements_of(id).ok()).unwrap_or_default();
        out += &serde_json::to_string(&q.partners_of(id).ok()).unwrap_or_default();
    }
    for agreement in registry.agreements() {
        let id = agreement.id().as_str();
        out += &serde_json::to_string(&q.members_of(id).ok()).unwrap_or_default();
        out += &serde_json::to_string(&q.next_review(id).ok()).unwrap_or_default();
        if let Ok(year) = "2021/22".parse() {
            out += &serde_json::to_string(&q.apportion(id, year).ok()).unwrap_or_default();
        }
    }
    out += &serde_json::to_string(&q.network().betweenness()).unwrap_or_default();
    out += &q.calendar_feed();
    out
}

#[test]
fn threads_sharing_one_registry_get_the_single_thread_answers() {
    let registry = collab_registry::sample().unwrap_or_else(|e| panic!("{e}"));
    let days: Vec<NaiveDate> = (2013..2027)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 4, 1))
        .collect();
    let alone: Vec<String> = days.iter().map(|d| answers(&registry, *d)).collect();
    let shared = &registry;
    let together: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| days.iter().map(|d| answers(shared, *d)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| panic!("a thread panicked")))
            .collect()
    });
    for answers in together {
        assert_eq!(answers, alone);
    }
    assert!(
        alone.iter().all(|a| a.len() > 1000),
        "the answers are not empty"
    );
}
