//! `GraphML` of the collaboration network and of the governance tree, for
//! Gephi, yEd, Cytoscape, `NetworkX` or any program that reads graphs: the
//! same nodes and edges as the [DOT export](super::dot), as well-formed XML
//! with every attribute declared as a key.

use std::fmt::Write;

use crate::questions::AsOf;

use super::common::xml_escape;
use super::graph::{self, Class, Graph, Relation};

/// The collaboration network on the day as an undirected `GraphML` graph
/// (`<graph id="network">`): a node per party in [`AsOf::network`], its id
/// the party's, with keys `name` (its name on the day) and `kind` (its
/// party kind, as the file writes it); an edge per pair sharing agreements
/// with key `count` (how many, an `int`). Nodes are by id and edges as
/// [`Network::links`](crate::questions::Network::links) gives them, so the
/// same registry and day give the same bytes. The graph's `date` key holds
/// the day asked.
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
/// let xml = report::graphml::network(&on);
/// assert!(xml.contains("<graph id=\"network\" edgedefault=\"undirected\">"));
/// assert_eq!(xml.matches("<node ").count(), on.network().parties().len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn network(asof: &AsOf<'_>) -> String {
    render(asof, &graph::network(asof), "network", "undirected")
}

/// The governance tree on the day as a directed `GraphML` graph
/// (`<graph id="governance">`): nodes for the bodies the register knew,
/// the agreements they govern that count on the day and the parties holding
/// seats (ids `body:ID`, `agreement:ID`, `party:ID`; keys `name`, `kind`
/// and `class`, one of `party`, `body` or `agreement`, with an agreement's
/// `kind` its status on the day), and edges with key `relation`: `seat`
/// from a party to a body (with keys `role` and `votes`), `reports_to` from
/// a body to the body it reports to, `governs` from a body to an agreement.
/// In the order of the [DOT export](super::dot::governance).
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
/// let xml = report::graphml::governance(&on);
/// assert!(xml.contains("<node id=\"body:em-regional-meeting\">"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn governance(asof: &AsOf<'_>) -> String {
    render(asof, &graph::governance(asof), "governance", "directed")
}

/// The keys every graph declares: (id, for, type).
const KEYS: &[(&str, &str, &str)] = &[
    ("date", "graph", "string"),
    ("name", "node", "string"),
    ("kind", "node", "string"),
    ("class", "node", "string"),
    ("count", "edge", "int"),
    ("relation", "edge", "string"),
    ("role", "edge", "string"),
    ("votes", "edge", "int"),
];

fn render(asof: &AsOf<'_>, graph: &Graph<'_>, id: &str, edges: &str) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for (key, target, kind) in KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"{key}\" for=\"{target}\" attr.name=\"{key}\" attr.type=\"{kind}\"/>"
        );
    }
    let _ = writeln!(out, "  <graph id=\"{id}\" edgedefault=\"{edges}\">");
    let _ = writeln!(out, "    <data key=\"date\">{}</data>", asof.date());
    for n in &graph.nodes {
        let (class, kind) = match n.class {
            Class::Party(kind) => ("party", kind.map(|k| k.as_str())),
            Class::Body(kind) => ("body", Some(kind.as_str())),
            Class::Agreement(status) => ("agreement", status.map(|s| s.as_str())),
        };
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(&n.id));
        data(&mut out, "name", n.name);
        if let Some(kind) = kind {
            data(&mut out, "kind", kind);
        }
        data(&mut out, "class", class);
        out.push_str("    </node>\n");
    }
    for (i, e) in graph.edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            xml_escape(&e.from),
            xml_escape(&e.to)
        );
        match e.relation {
            Relation::Shares(count) => {
                data(&mut out, "count", &count.to_string());
                data(&mut out, "relation", "shares");
            }
            Relation::Seat(role, votes) => {
                data(&mut out, "relation", "seat");
                data(&mut out, "role", role.as_str());
                data(&mut out, "votes", &votes.to_string());
            }
            Relation::ReportsTo => data(&mut out, "relation", "reports_to"),
            Relation::Governs => data(&mut out, "relation", "governs"),
        }
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// One `<data>` element, its text escaped.
fn data(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(
        out,
        "      <data key=\"{key}\">{}</data>",
        xml_escape(value)
    );
}
