//! The calendar feed, read back by an independent iCalendar parser (the
//! `icalendar` crate) and checked against the registry's own answers.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use collab_registry::Registry;
use collab_registry::model::AmendmentKind;
use collab_registry::time::When;
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// The title the feed must carry through escaping and folding.
const TITLE: &str =
    "Learning, development; and \\ training\nfor four forces — a long title that must fold";

/// Each event of a feed by UID: (start, end, summary, description, categories).
type Events = BTreeMap<String, (NaiveDate, NaiveDate, String, String, String)>;

fn parse(
    feed: &str,
    stamped: NaiveDate,
) -> std::result::Result<Events, Box<dyn std::error::Error>> {
    let calendar: Calendar = feed.parse()?;
    let mut events = Events::new();
    let midnight = Utc.from_utc_datetime(&stamped.and_hms_opt(0, 0, 0).ok_or("a time")?);
    for component in &calendar.components {
        let CalendarComponent::Event(event) = component else {
            continue;
        };
        let date = |d: Option<DatePerhapsTime>| match d {
            Some(DatePerhapsTime::Date(d)) => Ok(d),
            other => Err(format!("an all-day date, not {other:?}")),
        };
        let uid = event.get_uid().ok_or("a UID")?.to_string();
        assert_eq!(event.get_timestamp().ok_or("a DTSTAMP")?, midnight);
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
        |t| {
            t.set_end(Some(day(2027, 4, 1)));
            t.set_title(TITLE);
        },
    )?;
    Ok(registry)
}

#[test]
fn the_feed_parses_back_and_matches_the_registry() -> Result {
    let registry = registry()?;
    let today = day(2026, 11, 23);
    let view = registry.as_of(today);
    let feed = view.calendar_feed();
    let events = parse(&feed, today)?;

    let mut expected = Events::new();
    let description = |uid: &str| events.get(uid).map(|e| e.3.clone()).unwrap_or_default();
    for r in view.reviews_due(NaiveDate::MIN, NaiveDate::MAX) {
        let uid = format!(
            "review-{}-{}@collab-registry",
            r.agreement.id,
            r.due.format("%Y%m%d")
        );
        let title = r.agreement.title;
        let summary = match r.days_overdue {
            Some(days) => format!("Review overdue ({days} days): {title}"),
            None => format!("Review due: {title}"),
        };
        let text = description(&uid);
        assert!(
            text.contains(&format!("due for review on {}", r.due)),
            "{text}"
        );
        expected.insert(
            uid,
            (
                r.due,
                r.due.succ_opt().ok_or("a day")?,
                summary,
                text,
                "Review".into(),
            ),
        );
    }
    for d in view.notice_deadlines() {
        let uid = format!(
            "notice-{}-{}-{}@collab-registry",
            d.agreement.id,
            d.serve_by.format("%Y%m%d"),
            d.out_by.format("%Y%m%d")
        );
        let text = description(&uid);
        assert!(
            text.contains(&format!("to serve notice on {}", d.agreement.id)),
            "{text}"
        );
        expected.insert(
            uid,
            (
                d.serve_by,
                d.serve_by.succ_opt().ok_or("a day")?,
                format!("Notice deadline: {}", d.agreement.title),
                text,
                "Notice deadline".into(),
            ),
        );
    }
    for e in view.expiring(today, NaiveDate::MAX) {
        let uid = format!(
            "expiry-{}-{}@collab-registry",
            e.agreement.id,
            e.ends.format("%Y%m%d")
        );
        let text = description(&uid);
        assert!(text.contains(&format!("it ends on {}", e.ends)), "{text}");
        expected.insert(
            uid,
            (
                e.last_day,
                e.ends,
                format!("Expires: {}", e.agreement.title),
                text,
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
    assert_eq!(learning.2, format!("Review due: {TITLE}"));
    assert_eq!(
        events["expiry-em-learning-development-20270401@collab-registry"].0,
        day(2027, 3, 31)
    );
    let ops = &events["notice-em-operational-support-20271001-20280401@collab-registry"];
    assert!(
        ops.3
            .contains("6 months' notice, taking effect at a financial year end"),
        "{}",
        ops.3
    );
    Ok(())
}

#[test]
fn the_feed_follows_the_format_rules() -> Result {
    let registry = registry()?;
    let feed = registry.as_of(day(2026, 11, 23)).calendar_feed();
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
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
    assert!(unfolded.contains("DTSTAMP:20261123T000000Z\r\n"));
    // The same registry on the same day gives the same bytes.
    assert_eq!(registry.as_of(day(2026, 11, 23)).calendar_feed(), feed);
    Ok(())
}

#[test]
fn the_feed_as_of_an_earlier_day_reads_the_terms_of_that_day() -> Result {
    let registry = registry()?;
    let may = day(2026, 5, 1);
    let events = parse(&registry.as_of(may).calendar_feed(), may)?;
    // Before the amendment: the old title, and no expiry.
    assert!(events.values().all(|e| e.4 != "Expiry"));
    assert!(events.values().all(|e| !e.2.contains(TITLE)));
    // In May, 2026/27 is still within reach for operational support.
    assert!(events.contains_key("notice-em-operational-support-20261001-20270401@collab-registry"));
    Ok(())
}

#[test]
fn the_feed_as_the_register_stood_leaves_out_what_was_entered_later() -> Result {
    let mut registry = collab_registry::sample()?;
    // A fixed end from 1 June 2026, entered on 1 September.
    registry.amend(
        "bch-strategic-alliance",
        When::on(day(2026, 6, 1)).entered(day(2026, 9, 1)),
        AmendmentKind::Variation,
        "A fixed term to 31 March 2027",
        |t| t.set_end(Some(day(2027, 4, 1))),
    )?;
    let july = day(2026, 7, 1);
    let known = parse(&registry.as_of(july).calendar_feed(), july)?;
    assert!(known.contains_key("expiry-bch-strategic-alliance-20270401@collab-registry"));
    let stood = parse(
        &registry
            .as_of(july)
            .as_recorded_on(day(2026, 8, 1))
            .calendar_feed(),
        july,
    )?;
    assert!(stood.values().all(|e| e.4 != "Expiry"));
    Ok(())
}
