//! Graphviz DOT of the collaboration network and of the governance tree, to
//! draw with `dot -Tsvg network.dot -o network.svg` (or any Graphviz
//! layout). Parties are filled by their kind, with a legend of the kinds
//! drawn; labels are the names as of the day, wrapped to be read, and
//! escaped so that a quote, a backslash or a line break in a name cannot
//! break the file.

use std::fmt::Write;

use crate::model::{BodyKind, PartyKind};
use crate::questions::AsOf;

use super::common::{kind_words, long_date, status_words};
use super::graph::{self, Class, Graph, Relation};

/// The widest a line of a node's label runs, in characters, before it wraps.
const WRAP: usize = 24;

/// The collaboration network on the day as an undirected DOT graph: a node
/// per party in [`AsOf::network`], labelled with its name on the day and
/// filled by its kind; an edge per pair of parties sharing agreements,
/// labelled with how many (and drawn heavier the more they share); a legend
/// cluster with a node per kind drawn (ids `legend:KIND`). Party nodes are
/// named by their ids and listed by id, edges as
/// [`Network::links`](crate::questions::Network::links) gives them, so the
/// same registry and day give the same bytes.
///
/// **O(A + Σ m² + V log V + E log E)**, as [`AsOf::network`] and its links.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let dot = report::dot::network(&on);
/// assert!(dot.starts_with("graph \"collaboration\" {"));
/// assert!(dot.contains("\"northamptonshire-fire\" -- \"northamptonshire-police\" [label=\"2\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn network(asof: &AsOf<'_>) -> String {
    let graph = graph::network(asof);
    let mut out = String::new();
    out.push_str("graph \"collaboration\" {\n");
    header(
        &mut out,
        &format!("Collaboration network on {}", long_date(asof.date())),
        asof,
    );
    nodes(&mut out, &graph);
    for e in &graph.edges {
        let Relation::Shares(count) = e.relation else {
            continue;
        };
        let _ = writeln!(
            out,
            "  {} -- {} [label={}, penwidth={}];",
            quoted(&e.from),
            quoted(&e.to),
            quoted(&count.to_string()),
            count.clamp(1, 6)
        );
    }
    legend(&mut out, &graph, false);
    out.push_str("}\n");
    out
}

/// The governance tree on the day as a directed DOT graph: every body the
/// register knew (boxes, named as on the day, with their kind), the
/// agreements each governs that count on the day (notes, titled as on the
/// day), an edge from each body to the body it reports to, and each seat
/// held on the day as an edge from the party (filled by its kind) to the
/// body, labelled with the seat's role. Node ids are prefixed (`body:`,
/// `agreement:`, `party:`); nodes are bodies, agreements, then parties,
/// each by id, and edges by their ends, so the output is deterministic.
///
/// **O(B log B + Σ (g + r + s))** over the bodies, with g agreements
/// governed, r reporting lines and s seats of each.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::report;
/// let registry = collab_registry::sample()?;
/// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// let dot = report::dot::governance(&on);
/// assert!(dot.starts_with("digraph \"governance\" {"));
/// assert!(dot.contains("\"body:em-joint-management-board\" -> \"body:em-regional-meeting\" [label=\"reports to\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn governance(asof: &AsOf<'_>) -> String {
    let graph = graph::governance(asof);
    let mut out = String::new();
    out.push_str("digraph \"governance\" {\n");
    header(
        &mut out,
        &format!("Governance on {}", long_date(asof.date())),
        asof,
    );
    nodes(&mut out, &graph);
    for e in &graph.edges {
        let attributes = match e.relation {
            Relation::Seat(role, votes) => {
                let label = match votes {
                    1 => format!("{role}"),
                    n => format!("{role}, {n} votes"),
                };
                format!("label={}, color=\"#505a5f\"", quoted(&label))
            }
            Relation::ReportsTo => {
                "label=\"reports to\", style=bold, color=\"#1d70b8\"".to_string()
            }
            Relation::Governs => "label=\"governs\", style=dashed, color=\"#00703c\"".to_string(),
            Relation::Shares(_) => continue,
        };
        let _ = writeln!(
            out,
            "  {} -> {} [{attributes}];",
            quoted(&e.from),
            quoted(&e.to)
        );
    }
    legend(&mut out, &graph, true);
    out.push_str("}\n");
    out
}

/// The graph's title and the defaults every node and edge share.
fn header(out: &mut String, title: &str, asof: &AsOf<'_>) {
    let title = match &asof.registry().info().name {
        Some(name) => format!("{title}\n{name}"),
        None => title.to_string(),
    };
    let _ = writeln!(
        out,
        "  graph [label={}, labelloc=\"t\", fontname=\"Helvetica\", rankdir=LR, nodesep=0.3, ranksep=0.6];",
        quoted(&title)
    );
    out.push_str("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#6f777b\"];\n");
}

/// A statement per node, in the graph's order.
fn nodes(out: &mut String, graph: &Graph<'_>) {
    for n in &graph.nodes {
        let (look, what) = match n.class {
            Class::Party(kind) => (
                format!("fillcolor={}", quoted(fill(kind))),
                kind.map_or("party", kind_words).to_string(),
            ),
            Class::Body(kind) => (
                "shape=box, style=\"filled\", fillcolor=\"#e8f1f8\", penwidth=1.5".to_string(),
                body_words(kind).to_string(),
            ),
            Class::Agreement(status) => (
                "shape=note, style=\"filled\", fillcolor=\"#fff7e6\"".to_string(),
                format!("agreement, {}", status_words(status)),
            ),
        };
        let _ = writeln!(
            out,
            "  {} [label={}, tooltip={}, {look}];",
            quoted(&n.id),
            quoted(&wrap(n.name, WRAP)),
            quoted(&format!("{} ({what})", n.name)),
        );
    }
}

/// A legend: a cluster with a node for each kind of party drawn, and, in
/// the governance tree, one each for a body and an agreement.
fn legend(out: &mut String, graph: &Graph<'_>, shapes: bool) {
    let kinds = graph.kinds();
    if kinds.is_empty() && !shapes {
        return;
    }
    out.push_str("  subgraph \"cluster_legend\" {\n");
    out.push_str(
        "    graph [label=\"Legend\", fontsize=10, style=\"rounded\", color=\"#b1b4b6\"];\n",
    );
    for kind in kinds {
        let _ = writeln!(
            out,
            "    {} [label={}, fillcolor={}];",
            quoted(&format!("legend:{kind}")),
            quoted(kind_words(kind)),
            quoted(fill(Some(kind)))
        );
    }
    if shapes {
        out.push_str("    \"legend:body\" [label=\"governance body\", shape=box, style=\"filled\", fillcolor=\"#e8f1f8\", penwidth=1.5];\n");
        out.push_str("    \"legend:agreement\" [label=\"agreement\", shape=note, style=\"filled\", fillcolor=\"#fff7e6\"];\n");
    }
    out.push_str("  }\n");
}

/// The fill of a party of `kind`: light enough for black text, and
/// different for each kind.
pub(super) fn fill(kind: Option<PartyKind>) -> &'static str {
    match kind {
        Some(PartyKind::PoliceForce) => "#c6dbef",
        Some(PartyKind::PolicingBody) => "#dadaeb",
        Some(PartyKind::FireAndRescue) => "#fdd0a2",
        Some(PartyKind::Ambulance) => "#c7e9c0",
        Some(PartyKind::LocalAuthority) => "#fff2a8",
        Some(PartyKind::Health) => "#a1d99b",
        Some(PartyKind::Education) => "#fcc5c0",
        Some(PartyKind::NationalBody) => "#d9d9d9",
        Some(PartyKind::CriminalJustice) => "#bcbddc",
        Some(PartyKind::ThirdSector) => "#f7d4e8",
        Some(PartyKind::Other) | None => "#f0f0f0",
    }
}

/// A body kind as a reader says it.
fn body_words(kind: BodyKind) -> &'static str {
    match kind {
        BodyKind::JointCommittee => "joint committee",
        BodyKind::StrategicBoard => "strategic board",
        BodyKind::JointManagementBoard => "joint management board",
        BodyKind::DeliveryBoard => "delivery board",
        BodyKind::Other => "governance body",
    }
}

/// `text` wrapped at spaces into lines of at most `width` characters where
/// it can be (a longer word keeps its line); its own line breaks stay.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut used = 0usize;
        for word in line.split_whitespace() {
            let len = word.chars().count();
            if used > 0 && used.saturating_add(1).saturating_add(len) > width {
                out.push('\n');
                used = 0;
            } else if used > 0 {
                out.push(' ');
                used = used.saturating_add(1);
            }
            out.push_str(word);
            used = used.saturating_add(len);
        }
    }
    out
}

/// `text` as a DOT double-quoted string. In a quoted string DOT itself reads
/// only `\"`; labels and tooltips then read Graphviz escapes (`\n`, `\l`,
/// `\N`, ...) and HTML entities (`&amp;`), so a backslash is doubled to stay
/// a backslash, `&` is written `&amp;` to stay itself, a line break becomes
/// `\n`, and other control characters become spaces.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len().saturating_add(2));
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_so_graphviz_draws_them_as_written() {
        assert_eq!(
            quoted("say \"hi\" \\ & bye\r\nnext\tline"),
            "\"say \\\"hi\\\" \\\\ &amp; bye\\nnext line\""
        );
    }

    #[test]
    fn labels_wrap_at_spaces_and_keep_their_line_breaks() {
        assert_eq!(
            wrap("Chief Constable of Derbyshire Police", 24),
            "Chief Constable of\nDerbyshire Police"
        );
        assert_eq!(wrap("one\ntwo", 24), "one\ntwo");
        assert_eq!(
            wrap("Supercalifragilisticexpialidocious x", 10),
            "Supercalifragilisticexpialidocious\nx"
        );
    }
}
