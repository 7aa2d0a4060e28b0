//! A calendar feed: review dates, notice deadlines and expiries as an
//! iCalendar file (RFC 5545) that Outlook, Google Calendar or any calendar
//! opens, written by the crate itself.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::questions::{AsOf, OutBy};

/// The domain that makes event UIDs globally unique.
const UID_DOMAIN: &str = "collab-registry";

/// The longest a line may be, in octets, before the CRLF.
const MAX_LINE: usize = 75;

impl AsOf<'_> {
    /// The calendar feed as of the day: every next review known on the day
    /// (overdue ones on the day they fell due), each agreement's next notice
    /// deadlines, and every fixed end still ahead, for agreements that count
    /// on the day, each read as of the day (and as the register stood, when
    /// a register day is set). A notice deadline names the exit costs a
    /// leaver bears, where the agreement states them; an expiry the term it
    /// can be renewed for and the end that would give.
    ///
    /// Each date is an all-day event (`DTSTART;VALUE=DATE`, `DTEND` the next
    /// day). Lines end with CRLF and are folded at 75 octets without
    /// splitting a UTF-8 character; text is escaped (`\\`, `\;`, `\,`,
    /// `\n`). Each event's `UID` is built from what it is about
    /// (`review-em-major-crime-20261201@…`), so a calendar that subscribes
    /// to the feed updates an event rather than duplicating it, and
    /// `DTSTAMP` is the day asked at midnight UTC, so the same registry
    /// asked on the same day gives the same bytes.
    ///
    /// **O(log A + k + c)** for k events and c agreements changed after the
    /// day, as the questions it is built from: [`AsOf::reviews_due`],
    /// [`AsOf::notice_deadlines`] and [`AsOf::expiring`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let registry = collab_registry::sample()?;
    /// let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let feed = registry.as_of(today).calendar_feed();
    /// assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    /// assert!(feed.contains("UID:review-em-major-crime-20261201@collab-registry\r\n"));
    /// assert!(feed.lines().all(|line| line.len() <= 75));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn calendar_feed(&self) -> String {
        let mut feed = Feed::new(self.date());
        feed.line("BEGIN:VCALENDAR");
        feed.line("VERSION:2.0");
        feed.line("PRODID:-//collab-registry//review calendar//EN");
        feed.line("CALSCALE:GREGORIAN");
        feed.line("METHOD:PUBLISH");
        if let Some(name) = &self.registry().info().name {
            feed.line(&format!("X-WR-CALNAME:{}", escape(name)));
        }
        for r in self.reviews_due(NaiveDate::MIN, NaiveDate::MAX) {
            let (id, title) = (r.agreement.id, r.agreement.title);
            let summary = match r.days_overdue {
                Some(days) => format!("Review overdue ({days} days): {title}"),
                None => format!("Review due: {title}"),
            };
            let mut description = format!("Agreement {id} is due for review on {}.", r.due);
            if let Some(last) = r.last_review {
                let _ = write!(description, "\nLast reviewed on {last}.");
            }
            feed.event(
                &format!("review-{id}-{}", r.due.format("%Y%m%d")),
                r.due,
                &summary,
                &description,
                "Review",
            );
        }
        for d in self.notice_deadlines() {
            let id = d.agreement.id;
            let target = match d.target {
                OutBy::Expiry => "before it expires".to_string(),
                _ => format!("by {}", d.out_by),
            };
            let period = match d.notice_months {
                Some(months) => format!("{months} months' notice"),
                None => "no notice period".to_string(),
            };
            let aligned = if d.aligned_to_financial_year_end {
                ", taking effect at a financial year end"
            } else {
                ""
            };
            let mut description = format!(
                "Last day for a member to serve notice on {id} to be out {target} ({period}{aligned})."
            );
            if let Some(exit) = &d.exit_costs {
                let _ = write!(description, "\nA leaver bears exit costs: {}", exit.terms);
                if let Some(cap) = exit.cap {
                    let _ = write!(description, " (at most {cap} {})", cap.currency().code());
                }
                description.push('.');
            }
            if !d.members.is_empty() {
                let members: Vec<&str> = d.members.iter().map(|p| p.id.as_str()).collect();
                let _ = write!(description, "\nMembers: {}.", members.join(", "));
            }
            feed.event(
                &format!(
                    "notice-{id}-{}-{}",
                    d.serve_by.format("%Y%m%d"),
                    d.out_by.format("%Y%m%d")
                ),
                d.serve_by,
                &format!("Notice deadline: {}", d.agreement.title),
                &description,
                "Notice deadline",
            );
        }
        for e in self.expiring(self.date(), NaiveDate::MAX) {
            let id = e.agreement.id;
            let mut description = format!(
                "Last day in force of agreement {id}; it ends on {}.",
                e.ends
            );
            if let (Some(term), Some(next)) = (e.term, e.renewal_end) {
                let _ = write!(description, "\nIt can be renewed for {term}, to {next}.");
            }
            feed.event(
                &format!("expiry-{id}-{}", e.ends.format("%Y%m%d")),
                e.last_day,
                &format!("Expires: {}", e.agreement.title),
                &description,
                "Expiry",
            );
        }
        feed.line("END:VCALENDAR");
        feed.text
    }
}

/// An iCalendar text being written.
struct Feed {
    text: String,
    stamp: String,
}

impl Feed {
    fn new(asked: NaiveDate) -> Self {
        Feed {
            text: String::new(),
            stamp: format!("{}T000000Z", asked.format("%Y%m%d")),
        }
    }

    /// Writes one content line, folded at 75 octets, ending with CRLF.
    fn line(&mut self, line: &str) {
        let mut room = MAX_LINE;
        let mut used: usize = 0;
        for c in line.chars() {
            let size = c.len_utf8();
            if used.saturating_add(size) > room {
                // A fold is CRLF then a space, which the reader removes.
                self.text.push_str("\r\n ");
                room = MAX_LINE - 1;
                used = 0;
            }
            self.text.push(c);
            used = used.saturating_add(size);
        }
        self.text.push_str("\r\n");
    }

    /// Writes one all-day event.
    fn event(
        &mut self,
        uid: &str,
        day: NaiveDate,
        summary: &str,
        description: &str,
        category: &str,
    ) {
        let stamp = self.stamp.clone();
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{uid}@{UID_DOMAIN}"));
        self.line(&format!("DTSTAMP:{stamp}"));
        self.line(&format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
        if let Some(next) = day.succ_opt() {
            self.line(&format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
        }
        self.line(&format!("SUMMARY:{}", escape(summary)));
        self.line(&format!("DESCRIPTION:{}", escape(description)));
        self.line(&format!("CATEGORIES:{}", escape(category)));
        self.line("TRANSP:TRANSPARENT");
        self.line("END:VEVENT");
    }
}

/// Escapes a TEXT value (RFC 5545 section 3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\r\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut feed = Feed::new(NaiveDate::MIN);
        let long = format!("SUMMARY:{}", "é".repeat(60));
        feed.line(&long);
        let lines: Vec<&str> = feed.text.split("\r\n").collect();
        assert_eq!(lines.last(), Some(&""));
        for line in &lines {
            assert!(line.len() <= MAX_LINE, "{} octets", line.len());
        }
        assert!(lines.get(1).is_some_and(|l| l.starts_with(' ')));
        let unfolded = feed.text.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }
}
