//! The calendar feed, read back by an independent iCalendar parser (the
//! `icalendar` crate) and checked against the registry's own answers.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use collab_registry::{AmendmentKind, Registry};
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// Each event of a feed by UID: (start, end, summary, description, categories).
type Events = BTreeMap<String, (NaiveDate, NaiveDate, String, String, String)>;

fn parse(feed: &str) -> std::result::Result<Events, Box<dyn std::error::Error>> {
    let calendar: Calendar = feed.parse()?;
    let mut events = Events::new();
    for component in &calendar.components {
        let CalendarComponent::Event(event) = component else {
            continue;
        };
        let date = |d: Option<DatePerhapsTime>| match d {
            Some(DatePerhapsTime::Date(d)) => Ok(d),
            other => Err(format!("an all-day date, not {other:?}")),
        };
        let uid = event.get_uid().ok_or("a UID")?.to_string();
        let stamp = event.get_timestamp().ok_or("a DTSTAMP")?;
        assert_eq!(
            stamp,
            Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0)
                .single()
                .ok_or("a time")?
        );
        let previous = events.insert(
            uid.clone(),
            (
                date(event.get_start())?,
                date(event.get_end())?,
                event.get_summary().ok_or("a summary")?.to_string(),
                event.get_description().ok_or("a description")?.to_string(),
                event
                    .multi_properties()
                    .get("CATEGORIES")
                    .and_then(|all| all.first())
                    .ok_or("a category")?
                    .value()
                    .to_string(),
            ),
        );
        assert!(previous.is_none(), "UID {uid} is used twice");
    }
    Ok(events)
}

/// The sample with a fixed end and a title full of characters to escape.
fn registry() -> std::result::Result<Registry, Box<dyn std::error::Error>> {
    let mut registry = collab_registry::sample()?;
    registry.amend(
        "em-learning-development",
        day(2026, 6, 1),
        AmendmentKind::Variation,
        "A fixed term, and a title with punctuation",
        |a| {
            a.end = Some(day(2027, 4, 1));
            a.title = "Learning, development; and \\ training\nfor four forces — a long title that must fold".into();
        },
    )?;
    Ok(registry)
}

#[test]
fn the_feed_parses_back_and_matches_the_registry() -> Result {
    let registry = registry()?;
    let view = registry.as_of(day(2026, 11, 23));
    let feed = view.calendar_feed();
    let events = parse(&feed)?;

    let mut expected = Events::new();
    for r in view.reviews_due(NaiveDate::MIN, NaiveDate::MAX) {
        let uid = format!(
            "review-{}-{}@collab-registry",
            r.agreement,
            r.due.format("%Y%m%d")
        );
        let title = registry.agreement(r.agreement.as_str())?.title.clone();
        let summary = match r.days_overdue {
            Some(days) => format!("Review overdue ({days} days): {title}"),
            None => format!("Review due: {title}"),
        };
        let description = events.get(&uid).map(|e| e.3.clone()).unwrap_or_default();
        assert!(
            description.contains(&format!("due for review on {}", r.due)),
            "{description}"
        );
        expected.insert(
            uid,
            (
                r.due,
                r.due.succ_opt().ok_or("a day")?,
                summary,
                description,
                "Review".into(),
            ),
        );
    }
    for d in view.notice_deadlines() {
        let uid = format!(
            "notice-{}-{}-{}@collab-registry",
            d.agreement,
            d.serve_by.format("%Y%m%d"),
            d.out_by.format("%Y%m%d")
        );
        let description = events.get(&uid).map(|e| e.3.clone()).unwrap_or_default();
        assert!(
            description.contains(&format!("to serve notice on {}", d.agreement)),
            "{description}"
        );
        expected.insert(
            uid,
            (
                d.serve_by,
                d.serve_by.succ_opt().ok_or("a day")?,
                format!("Notice deadline: {}", d.title),
                description,
                "Notice deadline".into(),
            ),
        );
    }
    for e in view.expiring(day(2026, 11, 23), NaiveDate::MAX) {
        let uid = format!(
            "expiry-{}-{}@collab-registry",
            e.agreement,
            e.ends.format("%Y%m%d")
        );
        let description = events.get(&uid).map(|x| x.3.clone()).unwrap_or_default();
        assert!(
            description.contains(&format!("it ends on {}", e.ends)),
            "{description}"
        );
        expected.insert(
            uid,
            (
                e.last_day,
                e.ends,
                format!("Expires: {}", e.title),
                description,
                "Expiry".into(),
            ),
        );
    }
    assert_eq!(events, expected);

    // What the sample gives on 23 November 2026: six reviews, three notice
    // deadlines, and the expiry set above.
    let count = |category: &str| events.values().filter(|e| e.4 == category).count();
    assert_eq!(
        (count("Review"), count("Notice deadline"), count("Expiry")),
        (6, 3, 1)
    );
    let learning = &events["review-em-learning-development-20270115@collab-registry"];
    // The parser undoes the escaping: the title comes back as it was.
    assert_eq!(
        learning.2,
        "Review due: Learning, development; and \\ training\nfor four forces — a long title that must fold"
    );
    assert_eq!(
        events["expiry-em-learning-development-20270401@collab-registry"].0,
        day(2027, 3, 31)
    );
    Ok(())
}

#[test]
fn the_feed_follows_the_format_rules() -> Result {
    let registry = registry()?;
    let feed = registry.as_of(day(2026, 11, 23)).calendar_feed();
    assert!(feed.ends_with("END:VCALENDAR\r\n"));
    // Every line ends with CRLF and none is longer than 75 octets.
    assert!(!feed.replace("\r\n", "").contains('\n'));
    for line in feed.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    // Long lines were folded, and escaping is in place.
    assert!(feed.contains("\r\n "));
    let unfolded = feed.replace("\r\n ", "");
    assert!(unfolded.contains("Learning\\, development\\; and \\\\ training\\nfor four forces"));
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20270115\r\nDTEND;VALUE=DATE:20270116\r\n"));
    // The same registry on the same day gives the same bytes.
    assert_eq!(registry.as_of(day(2026, 11, 23)).calendar_feed(), feed);
    Ok(())
}
