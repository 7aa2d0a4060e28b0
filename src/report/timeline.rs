//! A timeline of the agreements and their memberships as an SVG picture,
//! written by the crate itself: a bar per agreement from its start to its
//! end or termination, coloured by its status on the day, and under it a
//! thinner bar per membership, years along the axis and a line at the day
//! asked.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use crate::model::{PartialDate, Role, Status};
use crate::questions::AsOf;
use crate::time::AgreementView;

use super::common::{agreements, long_date, status_words, xml_escape};

/// Where the bars begin, after the labels.
const LEFT: f64 = 330.0;
/// The width of the years.
const CHART: f64 = 940.0;
/// The room after the chart.
const RIGHT: f64 = 30.0;
/// Where the first row begins, under the title, legend and axis.
const TOP: f64 = 96.0;
/// The height of an agreement's row, and of a membership's.
const AGREEMENT_ROW: f64 = 24.0;
const MEMBER_ROW: f64 = 14.0;
/// The longest label drawn, in characters; the whole text is in its title.
const AGREEMENT_LABEL: usize = 48;
const MEMBER_LABEL: usize = 50;
/// The fewest pixels a bar is drawn, so a bar of one day still shows.
const MIN_BAR: f64 = 2.0;

/// One agreement's bar and its memberships'.
struct Row<'r> {
    view: AgreementView<'r>,
    from: NaiveDate,
    to: NaiveDate,
    open: bool,
    members: Vec<Member<'r>>,
}

/// One membership's bar.
struct Member<'r> {
    name: &'r str,
    role: Role,
    joined: PartialDate,
    from: NaiveDate,
    to: NaiveDate,
    open: bool,
    approximate: bool,
}

/// The agreements that count on the day (by start, then id) with their
/// memberships begun by the day as the register knew them (by the day
/// joined, then party id). An agreement's bar runs from its start to its
/// termination, or to its end as known on the day, or, while it runs on,
/// to the day asked; a membership's from the day joined to the day it is
/// out as known, within the agreement's bar.
fn rows<'r>(asof: &AsOf<'r>) -> Vec<Row<'r>> {
    let day = asof.date();
    let at = asof.at();
    let mut rows: Vec<Row<'r>> = agreements(asof)
        .into_iter()
        .map(|view| {
            let from = view.start().first_day();
            let terminated = view
                .status_change()
                .filter(|c| c.status == Status::Terminated)
                .map(|c| c.from.first_day());
            let (to, open) = match (terminated, view.end()) {
                (Some(t), _) => (t, false),
                (None, Some(end)) => (end, false),
                (None, None) => (day.max(from), true),
            };
            let mut members: Vec<Member<'r>> = view
                .record()
                .members()
                .iter()
                .filter(|m| at.knows(m.joined_entered()) && m.joined().first_day() <= day)
                .map(|m| {
                    let v = view.member_view(m);
                    let out = v.leaves().map(|l| l.first_day());
                    Member {
                        name: asof
                            .party(m.party().as_str())
                            .map_or(m.party().as_str(), |p| p.name()),
                        role: v.role(),
                        joined: m.joined(),
                        from: m.joined().first_day(),
                        to: out.unwrap_or(to).min(to),
                        open: open && out.is_none_or(|o| o > day),
                        approximate: v.is_approximate(),
                    }
                })
                .collect();
            members.sort_by(|x, y| (x.from, x.name).cmp(&(y.from, y.name)));
            Row {
                view,
                from,
                to,
                open,
                members,
            }
        })
        .collect();
    rows.sort_by(|x, y| (x.from, x.view.id()).cmp(&(y.from, y.view.id())));
    rows
}

/// The timeline as of the day as an SVG picture: for each agreement that
/// counts on the day (under the scope: pass
/// [`Scope::AnyStatus`](crate::Scope::AnyStatus) to draw proposed and ended
/// ones too), in order of start then id, a bar (`<rect
/// class="agreement">`) from its start to its termination or end, or to the
/// day asked while it runs on (with an arrow), coloured by its status on the
/// day; under it a thinner bar (`<rect class="membership">`) for each
/// membership begun by the day, from the day joined to the day it is out,
/// darker for a lead or host. A bar whose dates are known only to a month or
/// a year has a dashed edge. Years run along the top, a red line marks the
/// day asked, and every bar has a tooltip (`<title>`) with its dates. Labels
/// longer than the column are cut with `…`, whole in the tooltip; all text
/// is escaped. The crate draws it itself, with no dependency, and the same
/// registry and day give the same bytes.
///
/// **O(A log A + M log M)**: a pass over the agreements and their
/// memberships.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let svg = report::timeline::svg(&on);
/// assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
/// assert_eq!(svg.matches("class=\"agreement\"").count(), 10); // the agreements in force
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
#[allow(
    clippy::cast_precision_loss,
    reason = "drawing coordinates: rows and days far below 2^52"
)]
pub fn svg(asof: &AsOf<'_>) -> String {
    let rows = rows(asof);
    let day = asof.date();
    let first = rows.iter().map(|r| r.from).min().unwrap_or(day).min(day);
    let last = rows.iter().map(|r| r.to).max().unwrap_or(day).max(day);
    let (start_year, end_year) = (first.year(), last.year().saturating_add(1));
    let axis = Axis {
        start: jan_first(start_year).unwrap_or(first),
        days: jan_first(end_year)
            .unwrap_or(last)
            .signed_duration_since(jan_first(start_year).unwrap_or(first))
            .num_days()
            .max(1),
    };
    let height = rows.iter().fold(TOP + 20.0, |h, r| {
        h + AGREEMENT_ROW + MEMBER_ROW * r.members.len() as f64
    }) + 10.0;
    let width = LEFT + CHART + RIGHT;
    let mut out = String::new();
    let title = format!(
        "Collaboration agreements and memberships to {}",
        long_date(day)
    );
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\" aria-labelledby=\"timeline-title\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"timeline-title\">{}</title>",
        xml_escape(&title)
    );
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
    );
    let _ = writeln!(
        out,
        "<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"#0b0c0c\">{}</text>",
        xml_escape(&title)
    );
    legend(&mut out);
    years(&mut out, &axis, start_year, end_year, height);
    let mut y = TOP + 10.0;
    for r in &rows {
        agreement(&mut out, &axis, r, y);
        y += AGREEMENT_ROW;
        for m in &r.members {
            member(&mut out, &axis, m, y);
            y += MEMBER_ROW;
        }
    }
    let x = axis.x(day);
    let _ = writeln!(
        out,
        "<line class=\"as-of\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#d4351c\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
        TOP - 10.0,
        height - 10.0
    );
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#d4351c\">{}</text>",
        TOP - 12.0,
        xml_escape(&long_date(day))
    );
    out.push_str("</svg>\n");
    out
}

/// The years the chart spans, and where a day falls on it.
struct Axis {
    start: NaiveDate,
    days: i64,
}

impl Axis {
    #[allow(
        clippy::cast_precision_loss,
        reason = "drawing coordinates: rows and days far below 2^52"
    )]
    fn x(&self, day: NaiveDate) -> f64 {
        let offset = day.signed_duration_since(self.start).num_days();
        LEFT + CHART * offset as f64 / self.days as f64
    }
}

fn jan_first(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
}

/// The colour of an agreement's bar by its status on the day.
fn colour(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Active) => "#1d70b8",
        Some(Status::UnderReview) => "#912b88",
        Some(Status::Proposed) => "#b1b4b6",
        Some(Status::Suspended) => "#f47738",
        Some(Status::Terminated) => "#505a5f",
        None => "#dddddd",
    }
}

/// The statuses a bar may be coloured by, and what a membership bar and a
/// dashed edge mean.
fn legend(out: &mut String) {
    let mut x = 10.0;
    let statuses = [
        Some(Status::Proposed),
        Some(Status::Active),
        Some(Status::UnderReview),
        Some(Status::Suspended),
        Some(Status::Terminated),
    ];
    for status in statuses {
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"36\" width=\"14\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"45\" font-size=\"11\" fill=\"#0b0c0c\">{}</text>",
            colour(status),
            x + 18.0,
            status_words(status)
        );
        x += 110.0;
    }
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"38\" width=\"14\" height=\"6\" fill=\"#003078\"/><text x=\"{:.1}\" y=\"45\" font-size=\"11\" fill=\"#0b0c0c\">lead or host</text>",
        x + 18.0
    );
    x += 110.0;
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"38\" width=\"14\" height=\"6\" fill=\"#5694ca\"/><text x=\"{:.1}\" y=\"45\" font-size=\"11\" fill=\"#0b0c0c\">other member</text>",
        x + 18.0
    );
    x += 120.0;
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"36\" width=\"14\" height=\"10\" fill=\"#ffffff\" stroke=\"#0b0c0c\" stroke-dasharray=\"3 2\"/><text x=\"{:.1}\" y=\"45\" font-size=\"11\" fill=\"#0b0c0c\">date known to the month or year</text>",
        x + 18.0
    );
}

/// The year lines and labels, about twenty at most.
fn years(out: &mut String, axis: &Axis, start: i32, end: i32, height: f64) {
    let span = end.saturating_sub(start).max(1);
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
        .into_iter()
        .find(|s| span.checked_div(*s).is_some_and(|q| q <= 20))
        .unwrap_or(10_000);
    let mut year = start;
    while year <= end {
        if let Some(first) = jan_first(year) {
            let x = axis.x(first);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#e5e6e7\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#505a5f\">{year}</text>",
                TOP,
                height - 10.0,
                TOP - 26.0
            );
        }
        year = year.saturating_add(step);
    }
}

/// A bar to draw: its class, its days, where it sits, and how it looks.
struct Bar<'a> {
    class: &'a str,
    days: (NaiveDate, NaiveDate),
    y: f64,
    height: f64,
    fill: &'a str,
    dashed: bool,
    tooltip: &'a str,
}

impl Bar<'_> {
    fn draw(&self, out: &mut String, axis: &Axis) {
        let x = axis.x(self.days.0);
        let w = (axis.x(self.days.1) - x).max(MIN_BAR);
        let edge = if self.dashed {
            " stroke=\"#0b0c0c\" stroke-width=\"1\" stroke-dasharray=\"3 2\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<rect class=\"{}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" rx=\"2\" fill=\"{}\"{edge}><title>{}</title></rect>",
            self.class,
            self.y,
            self.height,
            self.fill,
            xml_escape(self.tooltip)
        );
    }
}

/// A label in the left column, cut to `max` characters.
fn label(out: &mut String, text: &str, max: usize, x: f64, y: f64, size: u32, bold: bool) {
    let mut shown: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    if text.chars().count() > max {
        shown.pop();
        shown.push('…');
    }
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\"{weight} fill=\"#0b0c0c\">{}<title>{}</title></text>",
        xml_escape(&shown),
        xml_escape(text)
    );
}

fn agreement(out: &mut String, axis: &Axis, r: &Row<'_>, y: f64) {
    let view = &r.view;
    label(out, view.title(), AGREEMENT_LABEL, 10.0, y + 16.0, 12, true);
    let status = view.status();
    let until = if r.open {
        "runs on".to_string()
    } else {
        format!("to {}", r.to)
    };
    let tooltip = format!(
        "{} ({}): from {} {until}; {}",
        view.title(),
        view.id(),
        view.start(),
        status_words(status)
    );
    Bar {
        class: "agreement",
        days: (r.from, r.to),
        y: y + 5.0,
        height: 14.0,
        fill: colour(status),
        dashed: !view.start().is_exact(),
        tooltip: &tooltip,
    }
    .draw(out, axis);
    if r.open {
        let x = axis.x(r.to).max(axis.x(r.from) + MIN_BAR);
        let _ = writeln!(
            out,
            "<path d=\"M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z\" fill=\"{}\"/>",
            x,
            y + 3.0,
            x + 7.0,
            y + 12.0,
            x,
            y + 21.0,
            colour(status)
        );
    }
}

fn member(out: &mut String, axis: &Axis, m: &Member<'_>, y: f64) {
    label(out, m.name, MEMBER_LABEL, 24.0, y + 10.0, 10, false);
    let fill = if m.role.leads_or_hosts() {
        "#003078"
    } else {
        "#5694ca"
    };
    let until = if m.open {
        "still a member".to_string()
    } else {
        format!("to {}", m.to)
    };
    let tooltip = format!("{} ({}): from {} {until}", m.name, m.role, m.joined);
    Bar {
        class: "membership",
        days: (m.from, m.to),
        y: y + 4.0,
        height: 6.0,
        fill,
        dashed: m.approximate,
        tooltip: &tooltip,
    }
    .draw(out, axis);
}
