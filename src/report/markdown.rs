//! Markdown tables for a board paper: the members of an agreement, its
//! shares of a year's budget, and the reviews due. Each is a GitHub-style
//! pipe table (a header row, a delimiter row, a row per entry), to paste
//! into a paper or render with any Markdown tool.
//!
//! Cells are escaped so that a name cannot break the table or its page: a
//! `|` becomes `\|`, a line break becomes `<br>`, `&`, `<` and `>` become
//! entities (Markdown would otherwise pass them through as HTML), and the
//! characters Markdown reads as formatting (`\`, `` ` ``, `*`, `_`, `[`,
//! `]`) are escaped with a backslash.

use chrono::NaiveDate;

use crate::error::Error;
use crate::model::FinancialYear;
use crate::questions::AsOf;

use super::common::kind_words;

/// The members of `agreement` on the day, as [`AsOf::members_of`] lists them
/// (leads and hosts first, then by id), one row each:
///
/// `| Member | Kind | Role | Joined | Notice served | Leaves |`
///
/// with names as of the day and empty cells for absent values. An
/// agreement with no members that day has the header alone.
///
/// **O(m log m)** for an agreement with m memberships.
///
/// # Errors
///
/// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an agreement
/// the register did not know.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let table = report::markdown::members(&on, "northants-leics-notts-alliance")?;
/// assert_eq!(table.lines().count(), 2 + 3); // header, delimiter, three forces
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn members(asof: &AsOf<'_>, agreement: &str) -> Result<String, Error> {
    let members = asof.members_of(agreement)?;
    let rows: Vec<Vec<String>> = members
        .members
        .iter()
        .map(|m| {
            vec![
                cell(m.party.name),
                m.kind.map(kind_words).unwrap_or_default().to_string(),
                m.role.as_str().to_string(),
                m.joined.to_string(),
                m.notice_served.map(|d| d.to_string()).unwrap_or_default(),
                m.leaves.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    Ok(table(
        &[
            ("Member", Align::Left),
            ("Kind", Align::Left),
            ("Role", Align::Left),
            ("Joined", Align::Left),
            ("Notice served", Align::Left),
            ("Leaves", Align::Left),
        ],
        &rows,
    ))
}

/// The shares of `agreement`'s budget for `year` ([`AsOf::apportion`]), a
/// row per member by party id, then a total row with the budget:
///
/// `| Member | Share (GBP) |`
///
/// with amounts grouped in thousands (`8,585,011.19`) and right-aligned.
///
/// **O(m log m + m·s + a)**, as [`AsOf::apportion`].
///
/// # Errors
///
/// What [`AsOf::apportion`] gives: an unknown agreement, no budget for the
/// year, a missing input.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let table = report::markdown::shares(&on, "northamptonshire-enabling-services", "2021/22".parse()?)?;
/// assert!(table.contains("| Northamptonshire Police | 8,585,011.19 |"));
/// assert!(table.ends_with("| **Total** | **10,000,000.00** |\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn shares(asof: &AsOf<'_>, agreement: &str, year: FinancialYear) -> Result<String, Error> {
    let shares = asof.apportion(agreement, year)?;
    let mut rows: Vec<Vec<String>> = shares
        .shares
        .iter()
        .map(|s| vec![cell(s.party.name), s.amount.grouped()])
        .collect();
    rows.push(vec![
        "**Total**".to_string(),
        format!("**{}**", shares.budget.grouped()),
    ]);
    let amount = format!("Share ({})", shares.budget.currency());
    Ok(table(
        &[("Member", Align::Left), (&amount, Align::Right)],
        &rows,
    ))
}

/// The reviews [`AsOf::reviews_due`] lists from `from` to `to` (both
/// included), in its order, one row each:
///
/// `| Agreement | Due | Last review | Days overdue |`
///
/// with titles as of the day. Pass [`NaiveDate::MIN`] as `from` to include
/// every overdue review.
///
/// **O(log A + k + c)**, as [`AsOf::reviews_due`].
///
/// # Example
///
/// ```
/// use chrono::{Days, NaiveDate};
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
/// let table = report::markdown::reviews(&registry.as_of(today), today, today + Days::new(90));
/// assert_eq!(table.lines().count(), 2 + 2); // major crime, and learning and development
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn reviews(asof: &AsOf<'_>, from: NaiveDate, to: NaiveDate) -> String {
    let rows: Vec<Vec<String>> = asof
        .reviews_due(from, to)
        .iter()
        .map(|r| {
            vec![
                cell(r.agreement.title),
                r.due.to_string(),
                r.last_review.map(|d| d.to_string()).unwrap_or_default(),
                r.days_overdue.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            ("Agreement", Align::Left),
            ("Due", Align::Left),
            ("Last review", Align::Left),
            ("Days overdue", Align::Right),
        ],
        &rows,
    )
}

/// How a column's cells line up.
#[derive(Debug, Clone, Copy)]
pub(super) enum Align {
    Left,
    Right,
}

/// A pipe table: the header row, the delimiter row, then `rows`, each
/// already escaped. A row with fewer cells than the header is padded.
pub(super) fn table(header: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    line(&mut out, header.iter().map(|(name, _)| cell(name)));
    line(
        &mut out,
        header.iter().map(|(_, align)| match align {
            Align::Left => "---".to_string(),
            Align::Right => "---:".to_string(),
        }),
    );
    for r in rows {
        line(
            &mut out,
            (0..header.len()).map(|i| r.get(i).cloned().unwrap_or_default()),
        );
    }
    out
}

fn line(out: &mut String, cells: impl Iterator<Item = String>) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(&c);
        out.push_str(" |");
    }
    out.push('\n');
}

/// `text` escaped for a table cell (see the module docs).
pub(super) fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => {
                // CRLF is one break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(
            cell("A | B\r\nC <b> & *d*"),
            "A \\| B<br>C &lt;b&gt; &amp; \\*d\\*"
        );
    }
}
