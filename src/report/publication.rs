//! The publication register of collaboration agreements that a police and
//! crime commissioner keeps under section 23E of the Police Act 1996: for
//! each agreement, its title, who signs it, its objective, how far it is
//! published and, when it is withheld, why. As one static HTML page, or as
//! Markdown.
//!
//! The register lists what the registry holds for each agreement (the
//! registry holds the title and purpose of every agreement, whatever its
//! publication level); the publication column says how far the agreement
//! itself is published.
//!
//! The signatories are [`AsOf::signatories`]: each member's chief constable
//! (a police force party) or other member, and each commissioner
//! overseeing a member. Where the member list is not published, or members
//! are held by class, the list is partial or empty; the register then says
//! so ("member list not published", "and every police force, as a member by
//! class") rather than list nothing.

use std::fmt::Write;

use crate::model::ClassMembership;
use crate::questions::{AsOf, Signatory};
use crate::time::{AgreementView, spell_holds};

use super::common::{agreements, kind_words, level_words, long_date, xml_escape};
use super::markdown::{Align, cell, table};

/// The small style the page carries, so it needs no other file.
const STYLE: &str = "body{font-family:system-ui,-apple-system,\"Segoe UI\",Helvetica,Arial,sans-serif;margin:2rem;color:#0b0c0c;line-height:1.4}\
table{border-collapse:collapse;width:100%}\
caption{text-align:left;font-weight:bold;padding:.5rem 0}\
th,td{border:1px solid #b1b4b6;padding:.4rem .6rem;text-align:left;vertical-align:top}\
th{background:#f3f2f1}\
td ul{margin:0;padding-left:1.1rem}\
.id{color:#505a5f;font-size:.85em}\
.note{color:#505a5f;font-style:italic;margin:.2rem 0 0}";

/// One agreement's line of the register.
struct Entry<'r> {
    view: AgreementView<'r>,
    signatories: Vec<Signatory<'r>>,
    notes: Vec<String>,
}

/// The entries, by agreement id, for the agreements that count on the day.
fn entries<'r>(asof: &AsOf<'r>) -> Vec<Entry<'r>> {
    agreements(asof)
        .into_iter()
        .map(|view| {
            // Every listed agreement is known to the register, so this
            // answers; an agreement with no members has no signatories.
            let signatories = asof.signatories(view.id().as_str()).unwrap_or_default();
            let record = view.record();
            let mut notes = Vec::new();
            if !record.members_published() {
                notes.push("member list not published".to_string());
            }
            for class in record
                .classes()
                .iter()
                .filter(|c| spell_holds(&c.spell, asof.at()))
            {
                notes.push(class_words(class));
            }
            if signatories.is_empty() && notes.is_empty() {
                notes.push("none recorded".to_string());
            }
            Entry {
                view,
                signatories,
                notes,
            }
        })
        .collect()
}

/// A class of members as the register says it.
fn class_words(class: &ClassMembership) -> String {
    let region = class
        .region
        .as_deref()
        .map(|r| format!(" in {r}"))
        .unwrap_or_default();
    let role = class.role.as_str();
    let article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!(
        "and every {}{region}, as {article} {role} by class",
        kind_words(class.kind)
    )
}

/// A signatory as it signs: the corporation sole when recorded, with the
/// party's name after it when the corporation's name does not hold it.
fn signs(s: &Signatory<'_>) -> String {
    match s.signs_as {
        Some(legal) if !legal.contains(s.party.name) => format!("{legal} ({})", s.party.name),
        Some(legal) => legal.to_string(),
        None => s.party.name.to_string(),
    }
}

/// What the register says of an objective it does not hold.
const NOT_RECORDED: &str = "not recorded";

/// The agreement's objective on the day, if one is recorded.
fn objective<'r>(view: &AgreementView<'r>) -> Option<&'r str> {
    view.purpose().filter(|p| !p.trim().is_empty())
}

/// The reason given for the publication level, if any.
fn reason<'r>(view: &AgreementView<'r>) -> Option<&'r str> {
    view.publication()
        .reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
}

/// The register as one static HTML page: `<!DOCTYPE html>`, a small inline
/// style, and a `<table>` with a row per agreement that counts on the day,
/// by id (`<tr id="agreement-ID">`): its title as of the day and id, its
/// signatories as a list (`<li>` each, with a note under it where the list
/// is partial), its objective, its publication level, and the reason given
/// (needed when it is withheld); an objective the registry does not hold
/// reads "not recorded". Every text is escaped, and the markup is
/// well-formed XML as well as HTML (each tag closed, attributes quoted), so
/// an XML reader can check it.
///
/// **O(A log A + Σ m · o log m)**: a pass over the agreements, then each
/// one's signatories.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let page = report::publication::html(&on);
/// assert!(page.starts_with("<!DOCTYPE html>\n"));
/// assert!(page.contains("<td>withheld</td><td>Publication would reveal operational tactics</td>"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn html(asof: &AsOf<'_>) -> String {
    let entries = entries(asof);
    let day = long_date(asof.date());
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n",
    );
    out.push_str("<meta charset=\"utf-8\" />\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    let _ = writeln!(
        out,
        "<title>Collaboration agreements: publication register, {day}</title>"
    );
    let _ = writeln!(out, "<style>{STYLE}</style>");
    out.push_str("</head>\n<body>\n<h1>Collaboration agreements</h1>\n");
    let _ = write!(
        out,
        "<p>The register of collaboration agreements published under section 23E of the Police Act 1996, as it stood on {day}"
    );
    if let Some(name) = &asof.registry().info().name {
        let _ = write!(out, ": {}", xml_escape(name));
    }
    out.push_str(".</p>\n<table>\n");
    let _ = writeln!(out, "<caption>{} agreements</caption>", entries.len());
    out.push_str("<thead><tr><th scope=\"col\">Agreement</th><th scope=\"col\">Signatories</th><th scope=\"col\">Objective</th><th scope=\"col\">Publication</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
    for e in &entries {
        let _ = write!(
            out,
            "<tr id=\"agreement-{}\"><td>{}<br /><span class=\"id\">{}</span></td><td>",
            xml_escape(e.view.id().as_str()),
            xml_escape(e.view.title()),
            xml_escape(e.view.id().as_str())
        );
        if !e.signatories.is_empty() {
            out.push_str("<ul>");
            for s in &e.signatories {
                let _ = write!(out, "<li>{}</li>", xml_escape(&signs(s)));
            }
            out.push_str("</ul>");
        }
        for note in &e.notes {
            let _ = write!(out, "<p class=\"note\">{}</p>", xml_escape(note));
        }
        let level = e.view.publication().level;
        let objective = match objective(&e.view) {
            Some(purpose) => xml_escape(purpose),
            None => format!("<span class=\"note\">{NOT_RECORDED}</span>"),
        };
        let _ = writeln!(
            out,
            "</td><td>{objective}</td><td>{}</td><td>{}</td></tr>",
            xml_escape(level_words(level)),
            xml_escape(reason(&e.view).unwrap_or_default())
        );
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

/// The register as Markdown: a heading, a line saying what it is and the
/// day, and a table with a row per agreement that counts on the day, by id:
///
/// `| Agreement | Signatories | Objective | Publication | Reason |`
///
/// with the signatories one to a line (`<br>` between them), the notes of
/// a partial list after them in italics, and every text escaped as in the
/// [board paper tables](super::markdown).
///
/// **O(A log A + Σ m · o log m)**, as [`html`].
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let register = report::publication::markdown(&on);
/// assert!(register.starts_with("# Collaboration agreements: publication register\n"));
/// assert!(register.contains("| withheld | Publication would reveal operational tactics |"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn markdown(asof: &AsOf<'_>) -> String {
    let entries = entries(asof);
    let mut out = String::new();
    out.push_str("# Collaboration agreements: publication register\n\n");
    let _ = write!(
        out,
        "The register of collaboration agreements published under section 23E of the Police Act 1996, as it stood on {}",
        long_date(asof.date())
    );
    if let Some(name) = &asof.registry().info().name {
        let _ = write!(out, ": {}", cell(name));
    }
    out.push_str(".\n\n");
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let mut lines: Vec<String> = e.signatories.iter().map(|s| cell(&signs(s))).collect();
            lines.extend(e.notes.iter().map(|n| format!("_{}_", cell(n))));
            vec![
                format!("{}<br>`{}`", cell(e.view.title()), e.view.id().as_str()),
                lines.join("<br>"),
                objective(&e.view).map_or(format!("_{NOT_RECORDED}_"), cell),
                cell(level_words(e.view.publication().level)),
                cell(reason(&e.view).unwrap_or_default()),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("Agreement", Align::Left),
            ("Signatories", Align::Left),
            ("Objective", Align::Left),
            ("Publication", Align::Left),
            ("Reason", Align::Left),
        ],
        &rows,
    ));
    out
}
