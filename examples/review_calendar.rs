//! The review calendar of the embedded sample registry: what is due for
//! review in the next days, what is overdue, which agreements expire, and
//! the deadlines for serving notice, as of a day.
//!
//! ```text
//! cargo run --example review_calendar [-- [--as-of YYYY-MM-DD] [--days N] [--ics out.ics] [registry.json]]
//! ```
//!
//! The day defaults to today and the window to 90 days; `--ics` also writes
//! the calendar feed (iCalendar) to a file any calendar opens.

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::{Days, Local};
use collab_registry::{Registry, ReviewDue, parse_date};

const USAGE: &str = "usage: cargo run --example review_calendar [-- [--as-of YYYY-MM-DD] [--days N] [--ics out.ics] [registry.json]]";

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let mut out = io::stdout().lock();
    match run(&mut out).and_then(|()| Ok(out.flush()?)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if reader_stopped(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `error` is standard output closed by its reader (`| head`): the
/// reader has all it wanted, so the calendar stops early without failing.
fn reader_stopped(error: &(dyn std::error::Error + 'static)) -> bool {
    error
        .downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(out: &mut impl Write) -> Result {
    let mut as_of = Local::now().date_naive();
    let mut days: u64 = 90;
    let mut ics = None;
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--as-of" => {
                let text = args
                    .next()
                    .ok_or("--as-of needs a date such as 2026-11-23")?;
                as_of = parse_date(&text).map_err(|e| format!("--as-of: {e}"))?;
            }
            "--days" => {
                let text = args.next().ok_or("--days needs a number of days")?;
                days = text.parse().ok().filter(|d| *d <= 36_600).ok_or_else(|| {
                    format!("--days: {text:?} is not a number of days from 0 to 36600")
                })?;
            }
            "--ics" => ics = Some(args.next().ok_or("--ics needs a file to write")?),
            "-h" | "--help" => {
                writeln!(out, "{USAGE}")?;
                return Ok(());
            }
            other if other.starts_with('-') => {
                return Err(format!("unknown option {other:?}").into());
            }
            _ => file = Some(arg),
        }
    }
    let registry = match &file {
        Some(path) => Registry::load(path)?,
        None => collab_registry::sample()?,
    };
    let until = as_of
        .checked_add_days(Days::new(days))
        .ok_or("the window runs past the calendar")?;
    let view = registry.as_of(as_of);
    // The feed goes to its file before the report is printed, so a reader
    // that stops early (`| head`) does not cost the file.
    if let Some(path) = &ics {
        std::fs::write(path, view.calendar_feed())
            .map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    writeln!(
        out,
        "Review calendar of {} as of {as_of}",
        registry.info().name.as_deref().unwrap_or("the registry")
    )?;

    writeln!(
        out,
        "\nDue for review in the next {days} days (to {until}):"
    )?;
    print_reviews(out, &view.reviews_due(as_of, until), |r| {
        format!("in {} days", (r.due - as_of).num_days())
    })?;

    writeln!(out, "\nOverdue:")?;
    print_reviews(out, &view.overdue_reviews(), |r| {
        format!("{} days overdue", r.days_overdue.unwrap_or(0))
    })?;

    writeln!(
        out,
        "\nDue in the next {days} days, by the body that governs them:"
    )?;
    let groups = view.reviews_by_body(as_of, until);
    if groups.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for group in groups {
        let body = match (group.body, group.name) {
            (Some(id), Some(name)) => format!("{name} ({id})"),
            _ => "No governing body recorded".to_string(),
        };
        let ids: Vec<String> = group
            .reviews
            .iter()
            .map(|r| format!("{} on {}", r.agreement, r.due))
            .collect();
        writeln!(out, "  {body}: {}", ids.join("; "))?;
    }

    writeln!(out, "\nExpiring in the next {days} days:")?;
    let ending = view.expiring(as_of, until);
    if ending.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for e in ending {
        writeln!(
            out,
            "  {}  {}  last day in force, in {} days",
            e.last_day, e.agreement, e.days_left
        )?;
    }

    writeln!(
        out,
        "\nNotice deadlines (the last day to serve notice, next for each agreement):"
    )?;
    let deadlines = view.notice_deadlines();
    if deadlines.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for d in deadlines {
        writeln!(
            out,
            "  {}  {}  to be out by {} ({} months' notice{}), in {} days",
            d.serve_by,
            d.agreement,
            d.out_by,
            d.notice_months,
            if d.aligned_to_financial_year_end {
                ", at a financial year end"
            } else {
                ""
            },
            d.days_left
        )?;
    }

    if let Some(path) = ics {
        writeln!(out, "\nCalendar feed written to {path}")?;
    }
    Ok(())
}

fn print_reviews(
    out: &mut impl Write,
    reviews: &[ReviewDue<'_>],
    when: impl Fn(&ReviewDue<'_>) -> String,
) -> io::Result<()> {
    if reviews.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for r in reviews {
        let last = r.last_review.map_or("never reviewed".to_string(), |d| {
            format!("last reviewed {d}")
        });
        writeln!(out, "  {}  {}  {} ({last})", r.due, r.agreement, when(r))?;
    }
    Ok(())
}
