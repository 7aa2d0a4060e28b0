//! CSV of the memberships, of a year's shares and of the review calendar,
//! for a spreadsheet.
//!
//! Each file is UTF-8 (without a byte-order mark), has a header row, and
//! follows RFC 4180: lines end with CRLF, and a field holding a comma, a
//! double quote, a CR or an LF is put in double quotes, each double quote
//! inside doubled. A line break inside a name is kept inside its quoted
//! field.
//!
//! **Formula injection.** A spreadsheet runs a cell that starts with `=`,
//! `+`, `-` or `@` (and some a tab or CR) as a formula, so a name in the
//! register could run one on the reader's machine. Every *free-text* field
//! (titles and names) that starts with one of those characters is written
//! with a `'` before it, which spreadsheets show as text and do not run, as
//! OWASP advises. Ids, keywords, dates, amounts and counts are written as
//! they are: the crate makes them, none can start a formula but a negative
//! amount, and a spreadsheet reads that as the number it is.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::error::Error;
use crate::model::{FinancialYear, PartialDate};
use crate::questions::AsOf;
use crate::time::AgreementView;

use super::common::agreements;

/// The memberships in force on the day of every agreement that counts on
/// the day, by agreement id and then as [`AsOf::members_of`] lists them
/// (leads and hosts first, then by party id), one row each:
///
/// `agreement_id,agreement_title,party_id,party_name,role,joined,left,notice_served,approximate`
///
/// with the title and name as of the day, `left` the day the member is out
/// when known ([`Member::leaves`](crate::questions::Member::leaves)),
/// dates known only to a month or year written so (`2017-06`), empty
/// fields for absent values, and `approximate` `true` or `false`.
///
/// **O(A log A + Σ m log m)**: a pass over the agreements, then each
/// one's members.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let csv = report::csv::memberships(&on);
/// assert!(csv.starts_with("agreement_id,agreement_title,party_id,party_name,role,joined,left,notice_served,approximate\r\n"));
/// // Nottinghamshire Police leads the major crime collaboration.
/// assert!(csv.contains("\r\nem-major-crime,East Midlands major and serious organised crime collaboration (illustrative),nottinghamshire-police,Nottinghamshire Police,lead,2012-04-01,,,false\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn memberships(asof: &AsOf<'_>) -> String {
    let mut out = String::new();
    row(
        &mut out,
        &[
            "agreement_id",
            "agreement_title",
            "party_id",
            "party_name",
            "role",
            "joined",
            "left",
            "notice_served",
            "approximate",
        ],
    );
    for view in agreements(asof) {
        // Every listed agreement is known to the register, so this answers.
        let Ok(members) = asof.members_of(view.id().as_str()) else {
            continue;
        };
        for m in &members.members {
            row(
                &mut out,
                &[
                    members.agreement.id.as_str(),
                    &text(members.agreement.title),
                    m.party.id.as_str(),
                    &text(m.party.name),
                    m.role.as_str(),
                    &m.joined.to_string(),
                    &partial(m.leaves),
                    &m.notice_served.map(|d| d.to_string()).unwrap_or_default(),
                    if m.approximate { "true" } else { "false" },
                ],
            );
        }
    }
    out
}

/// Each member's share of each budget for `year`, one row per share: for
/// every agreement that counts on the day and has a budget recorded for the
/// year, its [`AsOf::apportion`], by agreement id then party id:
///
/// `agreement_id,agreement_title,year,party_id,party_name,amount,currency,approximate`
///
/// with the amount an exact decimal string in major units (`8585011.19`),
/// and `approximate` `true` when the share rests on a date known only to a
/// month or a year.
/// A year's budget is read as apportionment reads a year: every fact the
/// register knew on the register day, whatever the day asked.
///
/// **O(A log A + Σ (m log m + m·s + a))**: a pass over the agreements,
/// then each one's apportionment.
///
/// # Errors
///
/// What [`AsOf::apportion`] gives for the first agreement with a budget
/// for the year that cannot be shared (a member without the metric or fixed
/// share its formula needs, say): a file that silently left it out would
/// add up to less than the budgets.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let csv = report::csv::shares(&on, "2021/22".parse()?)?;
/// assert!(csv.contains("\r\nnorthamptonshire-enabling-services,Northamptonshire police and fire enabling services,2021/22,northamptonshire-police,Northamptonshire Police,8585011.19,GBP,false\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn shares(asof: &AsOf<'_>, year: FinancialYear) -> Result<String, Error> {
    let mut out = String::new();
    row(
        &mut out,
        &[
            "agreement_id",
            "agreement_title",
            "year",
            "party_id",
            "party_name",
            "amount",
            "currency",
            "approximate",
        ],
    );
    let year_text = year.to_string();
    for view in agreements(asof) {
        if !has_budget(&view, year) {
            continue;
        }
        let shares = asof.apportion(view.id().as_str(), year)?;
        for s in &shares.shares {
            row(
                &mut out,
                &[
                    shares.agreement.id.as_str(),
                    &text(shares.agreement.title),
                    &year_text,
                    s.party.id.as_str(),
                    &text(s.party.name),
                    &s.amount.to_string(),
                    s.amount.currency().code(),
                    if s.approximate { "true" } else { "false" },
                ],
            );
        }
    }
    Ok(out)
}

/// The review calendar: the reviews [`AsOf::reviews_due`] lists from `from`
/// to `to` (both included), in its order (by day, then agreement id), one
/// row each:
///
/// `agreement_id,agreement_title,due,last_review,days_overdue,approximate`
///
/// with `days_overdue` empty unless the review fell due before the day
/// asked. Pass [`NaiveDate::MIN`] as `from` to include every overdue review.
///
/// **O(log A + k + c)** for k reviews in the range and c agreements changed
/// after the day, as [`AsOf::reviews_due`].
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
/// let csv = report::csv::reviews(&registry.as_of(today), NaiveDate::MIN, today);
/// assert!(csv.contains(",2026-11-20,2025-11-20,3,false\r\n")); // three days overdue
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn reviews(asof: &AsOf<'_>, from: NaiveDate, to: NaiveDate) -> String {
    let mut out = String::new();
    row(
        &mut out,
        &[
            "agreement_id",
            "agreement_title",
            "due",
            "last_review",
            "days_overdue",
            "approximate",
        ],
    );
    for r in asof.reviews_due(from, to) {
        row(
            &mut out,
            &[
                r.agreement.id.as_str(),
                &text(r.agreement.title),
                &r.due.to_string(),
                &r.last_review.map(|d| d.to_string()).unwrap_or_default(),
                &r.days_overdue.map(|d| d.to_string()).unwrap_or_default(),
                if r.approximate { "true" } else { "false" },
            ],
        );
    }
    out
}

/// Whether the agreement has a budget for `year` as apportionment reads a
/// year: every fact the register knew on the register day, in effect at any
/// day.
fn has_budget(view: &AgreementView<'_>, year: FinancialYear) -> bool {
    let whole = view.at().with_day(NaiveDate::MAX);
    AgreementView::new(view.record(), whole)
        .budget(year)
        .is_some()
}

/// A free-text field guarded against formula injection: a `'` before a
/// leading `=`, `+`, `-`, `@`, tab or CR.
fn text(field: &str) -> Cow<'_, str> {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// A partial date, or nothing.
fn partial(date: Option<PartialDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// Appends one record, its fields quoted where RFC 4180 needs it, and CRLF.
fn row(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            for c in field.chars() {
                if c == '"' {
                    out.push('"');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let mut out = String::new();
        row(&mut out, &["plain", "a,b", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }

    #[test]
    fn text_that_would_run_as_a_formula_is_kept_as_text() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("-1+1"), "'-1+1");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("Force A"), "Force A");
    }
}
