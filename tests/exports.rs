//! The exports of `collab_registry::report`, each read back by an
//! independent reader and checked against the registry's own answers: CSV
//! with the `csv` crate, `GraphML`, the publication page and the timeline as
//! XML with `roxmltree`, DOT through Graphviz's `dot` where it is installed,
//! Markdown tables cell by cell, and the answers behind them as JSON in
//! their documented shapes. A registry of the tests' own, with names
//! holding quotes, markup, commas, pipes, backslashes and line breaks,
//! checks the escaping of every format.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use collab_registry::model::{Currency, FinancialYear, Money};
use collab_registry::report;
use collab_registry::{AsOf, ErrorKind, Registry, Scope};
use serde_json::{Value, json};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn sample() -> Registry {
    collab_registry::sample().expect("the sample loads")
}

fn year() -> FinancialYear {
    "2021/22".parse().expect("a financial year")
}

/// A party name with everything that breaks a format.
const NASTY: &str = "Force \"A\" <b>&amp;</b>, | the\nfirst \\ one";
/// A name a spreadsheet would run as a formula.
const FORMULA: &str = "=HYPERLINK(\"http://example.invalid\",\"click\")";
const TITLE: &str = "Dogs | \"K9\" <unit> & kennels,\nphase 2";
const PURPOSE: &str = "Share <dogs> & handlers | \"fast\"\nand cheap";
const REASON: &str = "Would reveal <tactics> & | \"plans\"";
const BOARD: &str = "Board <\"B\"> & | com\nmittee";

/// The tests' own registry: three members of a dog unit (one known only to
/// the month it joined), a national agreement with members by class, a
/// regional unit whose member list is not published, and two boards.
fn hostile() -> Registry {
    let doc = json!({
        "schema_version": 2,
        "name": "Register <of> \"things\" & | more",
        "parties": [
            {"id": "force-a", "name": NASTY, "kind": "police_force", "region": "North", "overseen_by": [{"by": "pcc-a"}]},
            {"id": "force-b", "name": FORMULA, "kind": "police_force", "region": "North", "overseen_by": [{"by": "pcc-b"}]},
            {"id": "pcc-a", "name": "Commissioner A", "kind": "policing_body", "signs_as": "The Police & Crime Commissioner for \"A\""},
            {"id": "pcc-b", "name": "Commissioner B, North", "kind": "policing_body"},
            {"id": "fire-c", "name": "Fire | C", "kind": "fire_and_rescue"}
        ],
        "agreements": [
            {"id": "dogs", "title": TITLE, "purpose": PURPOSE, "legal_basis": "section_22a_police_act_1996",
             "start": "2020-04-01", "status": [{"status": "active", "from": "2020-04-01"}],
             "members": [
                 {"party": "force-a", "role": "lead", "joined": "2020-04-01"},
                 {"party": "force-b", "role": "member", "joined": "2020-04-01"},
                 {"party": "fire-c", "role": "associate", "joined": "2020-06"}
             ],
             "review": {"cadence_months": 12},
             "publication": {"level": "withheld", "reason": REASON},
             "costs": {"budgets": [{"year": "2021/22", "amount": "1000.00"}],
                       "formulas": [{"from": "2020-04-01", "formula": {"kind": "equal"}}]}},
            {"id": "national", "title": "National agreement", "legal_basis": "section_22a_police_act_1996",
             "start": "2015-02", "status": [{"status": "active", "from": "2015-02"}], "members": [],
             "member_classes": [{"kind": "police_force", "region": "North", "role": "member", "from": "2015-02-01"}]},
            {"id": "rocu", "title": "Regional unit", "purpose": "Tackle serious and organised crime",
             "legal_basis": "section_22a_police_act_1996", "start": "2013-10",
             "status": [{"status": "active", "from": "2013-10"}], "members": [], "members_published": false,
             "publication": {"level": "withheld", "reason": "publication could reveal operational tactics"}}
        ],
        "bodies": [
            {"id": "board", "name": BOARD, "kind": "joint_committee", "governs": ["dogs"], "reports_to": "top",
             "seats": [{"party": "pcc-a", "role": "chair", "votes": 1}, {"party": "pcc-b", "role": "member", "votes": 2}],
             "decision_rule": {"rule": "unanimity"}},
            {"id": "top", "name": "Top board", "kind": "strategic_board", "decision_rule": {"rule": "simple_majority"},
             "seats": [{"party": "force-a", "role": "member", "votes": 1}]}
        ]
    });
    Registry::from_json_str(&doc.to_string()).expect("the tests' registry loads")
}

/// The agreements that count on the day, by id, as the questions list them.
fn counted(on: &AsOf<'_>) -> Vec<String> {
    let mut ids: Vec<String> = on
        .registry()
        .agreements()
        .iter()
        .filter(|a| on.agreement(a.id().as_str()).is_ok_and(|v| on.counts(&v)))
        .map(|a| a.id().to_string())
        .collect();
    ids.sort();
    ids
}

// ---- CSV ----

/// A free-text field as the CSV writes it: a formula kept as text.
fn guarded(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The header and records of a CSV text, read by the `csv` crate.
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(text.ends_with("\r\n"), "a CSV ends with CRLF");
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_string).collect())
        .collect();
    // Every record ends with CRLF; line breaks inside names are LF alone.
    assert_eq!(
        text.matches("\r\n").count(),
        rows.len() + 1,
        "one CRLF a record"
    );
    (header, rows)
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The memberships the CSV must hold, from the members question.
fn expected_memberships(on: &AsOf<'_>) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for id in counted(on) {
        let members = on.members_of(&id).expect("a known agreement");
        for m in &members.members {
            rows.push(vec![
                id.clone(),
                guarded(members.agreement.title),
                m.party.id.to_string(),
                guarded(m.party.name),
                m.role.to_string(),
                m.joined.to_string(),
                opt(m.leaves),
                opt(m.notice_served),
                m.approximate.to_string(),
            ]);
        }
    }
    rows
}

#[test]
fn the_memberships_csv_holds_the_members_of_every_agreement_row_for_row() {
    let registry = sample();
    for on in [day(2016, 3, 31), day(2021, 4, 1)] {
        let asof = registry.as_of(on);
        let (header, rows) = read_csv(&report::csv::memberships(&asof));
        assert_eq!(
            header,
            [
                "agreement_id",
                "agreement_title",
                "party_id",
                "party_name",
                "role",
                "joined",
                "left",
                "notice_served",
                "approximate"
            ]
        );
        assert_eq!(rows, expected_memberships(&asof), "as of {on}");
    }
    // Derbyshire left operational support on 1 April 2016.
    let ops = |on| {
        read_csv(&report::csv::memberships(&registry.as_of(on)))
            .1
            .iter()
            .filter(|r| r[0] == "em-operational-support")
            .count()
    };
    assert_eq!((ops(day(2016, 3, 31)), ops(day(2016, 4, 1))), (5, 4));
}

#[test]
fn the_shares_csv_holds_each_apportionment_and_adds_up_to_the_budgets() -> Result {
    let registry = sample();
    let on = registry.as_of(day(2021, 4, 1));
    let (header, rows) = read_csv(&report::csv::shares(&on, year())?);
    assert_eq!(
        header,
        [
            "agreement_id",
            "agreement_title",
            "year",
            "party_id",
            "party_name",
            "amount",
            "currency",
            "approximate"
        ]
    );
    let mut expected = Vec::new();
    let mut budgets = BTreeMap::new();
    for id in counted(&on) {
        match on.apportion(&id, year()) {
            Ok(shares) => {
                budgets.insert(id.clone(), shares.budget);
                // The answer as JSON, in its documented shape: money as
                // {"amount", "currency"}.
                let answer = serde_json::to_value(&shares)?;
                for s in answer["shares"].as_array().ok_or("shares")? {
                    expected.push(vec![
                        id.clone(),
                        guarded(answer["agreement"]["title"].as_str().ok_or("a title")?),
                        "2021/22".to_string(),
                        s["party"]["id"].as_str().ok_or("an id")?.to_string(),
                        guarded(s["party"]["name"].as_str().ok_or("a name")?),
                        s["amount"]["amount"]
                            .as_str()
                            .ok_or("an amount")?
                            .to_string(),
                        s["amount"]["currency"]
                            .as_str()
                            .ok_or("a currency")?
                            .to_string(),
                        s["approximate"].as_bool().ok_or("approximate")?.to_string(),
                    ]);
                }
            }
            Err(e) if e.kind() == ErrorKind::MissingCostInput => {}
            Err(e) => return Err(e.into()),
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(rows, expected);
    // Each agreement's shares add up to its budget, to the penny.
    let mut sums: BTreeMap<String, Money> = BTreeMap::new();
    for r in &rows {
        let amount = Money::parse(&r[5], Currency::GBP)?;
        let sum = sums
            .entry(r[0].clone())
            .or_insert(Money::zero(Currency::GBP));
        *sum = sum.checked_add(amount)?;
    }
    assert_eq!(sums, budgets);
    let enabling: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[0] == "northamptonshire-enabling-services")
        .collect();
    assert_eq!(enabling.len(), 2);
    assert_eq!(enabling[1][5], "8585011.19");
    Ok(())
}

#[test]
fn the_reviews_csv_is_the_review_calendar_row_for_row() -> Result {
    let registry = sample();
    let today = day(2026, 11, 23);
    let on = registry.as_of(today);
    let to = day(2027, 3, 31);
    let (header, rows) = read_csv(&report::csv::reviews(&on, NaiveDate::MIN, to));
    assert_eq!(
        header,
        [
            "agreement_id",
            "agreement_title",
            "due",
            "last_review",
            "days_overdue",
            "approximate"
        ]
    );
    let answer = serde_json::to_value(on.reviews_due(NaiveDate::MIN, to))?;
    let expected: Vec<Vec<String>> = answer
        .as_array()
        .ok_or("rows")?
        .iter()
        .map(|r| {
            let text = |v: &Value| match v {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            vec![
                text(&r["agreement"]["id"]),
                guarded(&text(&r["agreement"]["title"])),
                text(&r["due"]),
                text(&r["last_review"]),
                text(&r["days_overdue"]),
                text(&r["approximate"]),
            ]
        })
        .collect();
    assert_eq!(rows, expected);
    let overdue: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| !r[4].is_empty())
        .map(|r| (r[0].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        on.overdue_reviews().len(),
        overdue.len(),
        "the overdue rows are the overdue reviews"
    );
    assert!(overdue.contains(&("northamptonshire-enabling-services", "3")));
    Ok(())
}

#[test]
fn csv_fields_with_quotes_commas_and_line_breaks_read_back_exactly() -> Result {
    let registry = hostile();
    let on = registry.as_of(day(2021, 4, 1));
    let (_, rows) = read_csv(&report::csv::memberships(&on));
    assert_eq!(rows, expected_memberships(&on));
    let names: BTreeSet<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    // Quoted and escaped, the name comes back whole, line break and all;
    // the formula comes back as text.
    assert!(names.contains(NASTY));
    assert!(names.contains(format!("'{FORMULA}").as_str()));
    // The dog unit's rows, and the national agreement's members by class:
    // the two North forces, found on the day.
    let by_agreement = |id: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r[0] == id)
            .map(|r| r[2].as_str())
            .collect()
    };
    assert!(
        rows.iter()
            .filter(|r| r[0] == "dogs")
            .all(|r| r[1] == TITLE)
    );
    assert_eq!(by_agreement("dogs"), ["force-a", "force-b", "fire-c"]);
    assert_eq!(by_agreement("national"), ["force-a", "force-b"]);
    let fire = rows.iter().find(|r| r[2] == "fire-c").ok_or("fire-c")?;
    assert_eq!((fire[5].as_str(), fire[8].as_str()), ("2020-06", "true"));
    let (_, shares) = read_csv(&report::csv::shares(&on, year())?);
    let amounts: Vec<&str> = shares.iter().map(|r| r[5].as_str()).collect();
    // £1,000 among three: a penny more to the first id.
    assert_eq!(amounts, ["333.34", "333.33", "333.33"]);
    Ok(())
}

#[test]
fn shares_that_cannot_be_worked_out_are_refused_not_left_out() -> Result {
    let registry = hostile();
    let mut doc: Value = serde_json::from_str(&registry.to_json_string())?;
    doc["agreements"][0]["costs"]["formulas"][0]["formula"] = json!({"kind": "usage"});
    let broken = Registry::from_json_str(&doc.to_string())?;
    let err = report::csv::shares(&broken.as_of(day(2021, 4, 1)), year())
        .err()
        .ok_or("a missing metric is refused")?;
    assert_eq!(err.kind(), ErrorKind::MissingCostInput);
    Ok(())
}

// ---- XML: GraphML, the publication page, the timeline ----

fn parse_xml(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

/// The `<data>` values of a `GraphML` element, by key.
fn data(node: roxmltree::Node<'_, '_>) -> BTreeMap<String, String> {
    node.children()
        .filter(|c| c.has_tag_name("data"))
        .map(|c| {
            (
                c.attribute("key").unwrap_or_default().to_string(),
                c.text().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_network_graphml_has_a_node_per_party_and_an_edge_per_link() {
    for registry in [sample(), hostile()] {
        let on = registry.as_of(day(2021, 4, 1));
        let text = report::graphml::network(&on);
        let doc = parse_xml(&text);
        let root = doc.root_element();
        assert!(root.has_tag_name(("http://graphml.graphdrawing.org/xmlns", "graphml")));
        let keys: BTreeSet<(&str, &str)> = root
            .children()
            .filter(|c| c.has_tag_name("key"))
            .map(|k| {
                (
                    k.attribute("id").unwrap_or_default(),
                    k.attribute("for").unwrap_or_default(),
                )
            })
            .collect();
        for key in [("name", "node"), ("kind", "node"), ("count", "edge")] {
            assert!(keys.contains(&key), "the key {key:?} is declared");
        }
        let graph = root
            .children()
            .find(|c| c.has_tag_name("graph"))
            .expect("a graph");
        assert_eq!(graph.attribute("edgedefault"), Some("undirected"));
        let network = on.network();
        let nodes: Vec<(String, BTreeMap<String, String>)> = graph
            .children()
            .filter(|c| c.has_tag_name("node"))
            .map(|n| (n.attribute("id").unwrap_or_default().to_string(), data(n)))
            .collect();
        let parties = network.parties();
        assert_eq!(nodes.len(), parties.len());
        for ((id, values), party) in nodes.iter().zip(&parties) {
            assert_eq!(id, party.id.as_str());
            assert_eq!(values["name"], party.name, "the name comes back whole");
            let kind = on.party(id).expect("a party").kind();
            assert_eq!(values["kind"], kind.as_str());
        }
        let edges: Vec<(String, String, String)> = graph
            .children()
            .filter(|c| c.has_tag_name("edge"))
            .map(|e| {
                (
                    e.attribute("source").unwrap_or_default().to_string(),
                    e.attribute("target").unwrap_or_default().to_string(),
                    data(e)["count"].clone(),
                )
            })
            .collect();
        let links: Vec<(String, String, String)> = network
            .links()
            .iter()
            .map(|l| (l.a.id.to_string(), l.b.id.to_string(), l.shared.to_string()))
            .collect();
        assert_eq!(edges, links);
    }
}

#[test]
fn the_governance_graphml_has_the_bodies_seats_lines_and_agreements_of_the_day() -> Result {
    for registry in [sample(), hostile()] {
        let on = registry.as_of(day(2021, 4, 1));
        let text = report::graphml::governance(&on);
        let doc = parse_xml(&text);
        let graph = doc
            .descendants()
            .find(|n| n.has_tag_name("graph"))
            .ok_or("a graph")?;
        assert_eq!(graph.attribute("edgedefault"), Some("directed"));
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for n in graph.children().filter(|c| c.has_tag_name("node")) {
            let values = data(n);
            names.insert(
                n.attribute("id").unwrap_or_default().to_string(),
                values["name"].clone(),
            );
        }
        let mut relations: BTreeMap<String, usize> = BTreeMap::new();
        for e in graph.children().filter(|c| c.has_tag_name("edge")) {
            for end in ["source", "target"] {
                let id = e.attribute(end).unwrap_or_default();
                assert!(names.contains_key(id), "the edge's {end} {id} is a node");
            }
            *relations.entry(data(e)["relation"].clone()).or_default() += 1;
        }
        // The answers: each body's seats, the agreements it governs that
        // count, and the body it reports to.
        let (mut seats, mut governs, mut lines) = (0, 0, 0);
        for body in registry.bodies() {
            let id = body.id().as_str();
            let view = on.body(id)?;
            assert_eq!(names[&format!("body:{id}")], view.name());
            seats += view.seats().count();
            governs += view
                .governs()
                .filter(|a| on.agreement(a.as_str()).is_ok_and(|v| on.counts(&v)))
                .count();
            lines += usize::from(on.reporting_chain(id)?.len() > 1);
        }
        assert_eq!(relations.get("seat").copied().unwrap_or(0), seats);
        assert_eq!(relations.get("governs").copied().unwrap_or(0), governs);
        assert_eq!(relations.get("reports_to").copied().unwrap_or(0), lines);
    }
    let registry = hostile();
    let text = report::graphml::governance(&registry.as_of(day(2021, 4, 1)));
    let doc = parse_xml(&text);
    let board = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("body:board"))
        .ok_or("the board")?;
    assert_eq!(data(board)["name"], BOARD);
    Ok(())
}

/// The rows of the publication page's table, by agreement id.
fn publication_rows(text: &str) -> BTreeMap<String, Vec<String>> {
    let doc = parse_xml(text);
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.w3.org/1999/xhtml")
    );
    let tbody = doc
        .descendants()
        .find(|n| n.has_tag_name("tbody"))
        .expect("a table body");
    tbody
        .children()
        .filter(|n| n.has_tag_name("tr"))
        .map(|tr| {
            let id = tr
                .attribute("id")
                .and_then(|id| id.strip_prefix("agreement-"))
                .expect("a row id")
                .to_string();
            let cells: Vec<String> = tr
                .children()
                .filter(|n| n.has_tag_name("td"))
                .map(|td| {
                    let items = td.descendants().filter(|n| n.has_tag_name("li")).count();
                    let text: String = td
                        .descendants()
                        .filter(roxmltree::Node::is_text)
                        .filter_map(|n| n.text())
                        .collect();
                    format!("{items}|{text}")
                })
                .collect();
            (id, cells)
        })
        .collect()
}

#[test]
fn the_publication_page_has_a_row_per_agreement_with_its_signatories_and_reason() -> Result {
    let registry = sample();
    let on = registry.as_of(day(2021, 4, 1));
    let page = report::publication::html(&on);
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    let rows = publication_rows(&page);
    assert_eq!(rows.keys().cloned().collect::<Vec<_>>(), counted(&on));
    for (id, cells) in &rows {
        let view = on.agreement(id)?;
        assert_eq!(cells.len(), 5, "{id}: five cells");
        let signatories = on.signatories(id)?;
        let (items, _) = cells[1].split_once('|').ok_or("a count")?;
        assert_eq!(
            items,
            signatories.len().to_string(),
            "{id}: a list item per signatory"
        );
        assert!(cells[0].contains(view.title()), "{id}: its title");
        let reason = view.publication().reason.clone().unwrap_or_default();
        assert_eq!(cells[4], format!("0|{reason}"), "{id}: the reason");
    }
    let major = &rows["em-major-crime"];
    assert_eq!(major[3], "0|withheld");
    assert_eq!(major[4], "0|Publication would reveal operational tactics");
    assert!(
        major[1].starts_with("10|"),
        "five chief constables and five commissioners"
    );
    // As of 2016 the commissioner had its old title.
    let before = publication_rows(&report::publication::html(&registry.as_of(day(2016, 4, 1))));
    assert!(before["em-major-crime"][1].contains("Northamptonshire Police and Crime Commissioner"));
    assert!(!before["em-major-crime"][1].contains("Fire and Crime"));
    Ok(())
}

#[test]
fn the_publication_page_escapes_every_text_and_says_where_the_list_is_partial() -> Result {
    let registry = hostile();
    let on = registry.as_of(day(2021, 4, 1));
    let rows = publication_rows(&report::publication::html(&on));
    assert_eq!(
        rows.keys().cloned().collect::<Vec<_>>(),
        ["dogs", "national", "rocu"]
    );
    let dogs = &rows["dogs"];
    assert_eq!(dogs[0], format!("0|{TITLE}dogs"));
    assert!(dogs[1].starts_with(&format!("{}|", on.signatories("dogs")?.len())));
    assert!(
        dogs[1].contains(NASTY) && dogs[1].contains("The Police & Crime Commissioner for \"A\"")
    );
    assert_eq!(dogs[2], format!("0|{PURPOSE}"));
    assert_eq!(dogs[4], format!("0|{REASON}"));
    assert_eq!(rows["rocu"][1], "0|member list not published");
    // Members by class are found on the day: the two North forces and
    // their commissioners sign, and the page says the list is by class.
    let national = &rows["national"][1];
    assert!(national.starts_with(&format!("{}|", on.signatories("national")?.len())));
    assert_eq!(on.signatories("national")?.len(), 4);
    assert!(national.contains(NASTY) && national.contains("Commissioner B, North"));
    assert!(national.ends_with("and every police force in North, as a member by class"));
    assert_eq!(rows["national"][2], "0|not recorded");
    Ok(())
}

#[test]
fn the_timeline_has_a_bar_per_agreement_and_per_membership() {
    for (registry, scope) in [
        (sample(), Scope::InForce),
        (sample(), Scope::AnyStatus),
        (hostile(), Scope::InForce),
    ] {
        let on = registry.as_of(day(2021, 4, 1)).scope(scope);
        let text = report::timeline::svg(&on);
        let doc = parse_xml(&text);
        assert!(
            doc.root_element()
                .has_tag_name(("http://www.w3.org/2000/svg", "svg"))
        );
        let bars = |class: &str| -> Vec<String> {
            doc.descendants()
                .filter(|n| n.has_tag_name("rect") && n.attribute("class") == Some(class))
                .map(|n| {
                    n.children()
                        .find(|c| c.has_tag_name("title"))
                        .and_then(|t| t.text())
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        };
        let agreements = bars("agreement");
        let ids = counted(&on);
        assert_eq!(agreements.len(), ids.len());
        for id in &ids {
            let view = on.agreement(id).expect("an agreement");
            let tooltip = format!("{} ({id})", view.title());
            assert!(
                agreements.iter().any(|t| t.starts_with(&tooltip)),
                "a bar for {id}"
            );
        }
        // A membership bar for every membership begun by the day.
        let begun: usize = ids
            .iter()
            .map(|id| {
                registry
                    .agreement(id)
                    .expect("an agreement")
                    .members()
                    .iter()
                    .filter(|m| m.joined().first_day() <= day(2021, 4, 1))
                    .count()
            })
            .sum();
        assert_eq!(bars("membership").len(), begun);
    }
    let registry = hostile();
    let text = report::timeline::svg(&registry.as_of(day(2021, 4, 1)));
    let doc = parse_xml(&text);
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&TITLE), "the whole title comes back");
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with(&format!("{NASTY} (lead)")))
    );
}

// ---- Markdown ----

/// The cells of a table row, split at the pipes that are not escaped.
fn cells(line: &str) -> Vec<String> {
    let inner = line
        .strip_prefix("| ")
        .and_then(|l| l.strip_suffix(" |"))
        .unwrap_or_else(|| panic!("not a table row: {line:?}"));
    let mut out = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().unwrap_or_default();
                out.last_mut().expect("a cell").extend(['\\', next]);
            }
            '|' => out.push(String::new()),
            c => out.last_mut().expect("a cell").push(c),
        }
    }
    out.iter().map(|c| c.trim().to_string()).collect()
}

/// A cell's text as a reader sees it.
fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell
        .replace("<br>", "\n")
        .chars()
        .collect::<Vec<_>>()
        .into_iter();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The rows of a table (header first), each checked to have the header's
/// number of cells.
fn table(text: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    let rows: Vec<Vec<String>> = lines.iter().map(|l| cells(l)).collect();
    let width = rows.first().map_or(0, Vec::len);
    assert!(
        rows.iter().all(|r| r.len() == width),
        "a row's cells broke out:\n{text}"
    );
    assert!(
        rows.get(1)
            .is_some_and(|d| d.iter().all(|c| c.starts_with("---")))
    );
    rows.into_iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, r)| r)
        .collect()
}

#[test]
fn board_paper_tables_have_a_row_per_answer() -> Result {
    let registry = sample();
    let on = registry.as_of(day(2021, 4, 1));
    let members = table(&report::markdown::members(&on, "em-major-crime")?);
    assert_eq!(
        members[0],
        [
            "Member",
            "Kind",
            "Role",
            "Joined",
            "Notice served",
            "Leaves"
        ]
    );
    let answer = on.members_of("em-major-crime")?;
    assert_eq!(members.len() - 1, answer.members.len());
    assert_eq!(
        members[1][..3],
        ["Nottinghamshire Police", "police force", "lead"]
    );

    let shares = table(&report::markdown::shares(
        &on,
        "northamptonshire-enabling-services",
        year(),
    )?);
    assert_eq!(shares[0], ["Member", "Share (GBP)"]);
    assert_eq!(shares.len() - 2, 2, "two members and a total");
    assert_eq!(shares[2], ["Northamptonshire Police", "8,585,011.19"]);
    assert_eq!(shares[3], ["**Total**", "**10,000,000.00**"]);

    let today = day(2026, 11, 23);
    let later = registry.as_of(today);
    let reviews = table(&report::markdown::reviews(
        &later,
        NaiveDate::MIN,
        day(2027, 3, 31),
    ));
    let due = later.reviews_due(NaiveDate::MIN, day(2027, 3, 31));
    assert_eq!(reviews.len() - 1, due.len());
    for (row, r) in reviews.iter().skip(1).zip(&due) {
        assert_eq!(unescape(&row[0]), r.agreement.title);
        assert_eq!(row[1], r.due.to_string());
        assert_eq!(row[3], opt(r.days_overdue));
    }
    assert!(matches!(
        report::markdown::members(&on, "no-such-agreement").map_err(|e| e.kind()),
        Err(ErrorKind::UnknownId)
    ));
    Ok(())
}

#[test]
fn markdown_cells_escape_pipes_line_breaks_and_markup() -> Result {
    let registry = hostile();
    let on = registry.as_of(day(2021, 4, 1));
    let text = report::markdown::members(&on, "dogs")?;
    assert!(text.contains("Force \"A\" &lt;b&gt;&amp;amp;&lt;/b&gt;, \\| the<br>first \\\\ one"));
    let members = table(&text);
    assert_eq!(members.len() - 1, 3);
    let names: Vec<String> = members.iter().skip(1).map(|r| unescape(&r[0])).collect();
    assert_eq!(names, [NASTY, FORMULA, "Fire | C"]);

    let register = report::publication::markdown(&on);
    let rows = table(&register);
    assert_eq!(
        rows[0],
        [
            "Agreement",
            "Signatories",
            "Objective",
            "Publication",
            "Reason"
        ]
    );
    assert_eq!(rows.len() - 1, counted(&on).len());
    let dogs = &rows[1];
    assert_eq!(unescape(&dogs[0]), format!("{TITLE}\n`dogs`"));
    assert_eq!(unescape(&dogs[2]), PURPOSE);
    assert_eq!(unescape(&dogs[4]), REASON);
    assert_eq!(
        dogs[1].split("<br>").count(),
        on.signatories("dogs")?.len() + NASTY.matches('\n').count()
    );
    assert!(rows[3][1].contains("_member list not published_"));
    Ok(())
}

// ---- DOT, through Graphviz ----

/// Graphviz's SVG of `dot`, or `None` (with a note) when `dot` is not
/// installed.
fn graphviz(dot: &str) -> Option<String> {
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        println!("note: Graphviz's dot is not on PATH, so the DOT exports were not parsed");
        return None;
    };
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(dot.as_bytes())
        .expect("dot reads");
    let out = child.wait_with_output().expect("dot runs");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "dot refused the file: {}\n{dot}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("UTF-8 SVG"))
}

/// The ids of the nodes and the number of edges Graphviz drew.
fn drawn(svg: &str) -> (BTreeSet<String>, usize) {
    let doc = parse_xml(svg);
    let of_class = |class: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some(class))
            .map(|g| {
                g.children()
                    .find(|c| c.has_tag_name("title"))
                    .and_then(|t| t.text())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    };
    (
        of_class("node").into_iter().collect(),
        of_class("edge").len(),
    )
}

#[test]
fn graphviz_draws_the_network_with_a_node_per_party_and_the_legend() {
    for registry in [sample(), hostile()] {
        let on = registry.as_of(day(2021, 4, 1));
        let dot = report::dot::network(&on);
        let network = on.network();
        let Some(svg) = graphviz(&dot) else { return };
        let (nodes, edges) = drawn(&svg);
        let mut expected: BTreeSet<String> =
            network.parties().iter().map(|p| p.id.to_string()).collect();
        let kinds: BTreeSet<String> = network
            .parties()
            .iter()
            .map(|p| {
                format!(
                    "legend:{}",
                    on.party(p.id.as_str()).expect("a party").kind()
                )
            })
            .collect();
        expected.extend(kinds);
        assert_eq!(nodes, expected);
        assert_eq!(edges, network.links().len());
    }
    let registry = hostile();
    let svg = graphviz(&report::dot::network(&registry.as_of(day(2021, 4, 1))));
    // The name is drawn as written, wrapped, its line break a new line; the
    // tooltip holds it whole.
    if let Some(svg) = svg {
        let doc = parse_xml(&svg);
        let node = doc
            .descendants()
            .find(|n| {
                n.attribute("class") == Some("node")
                    && n.children()
                        .any(|c| c.has_tag_name("title") && c.text() == Some("force-a"))
            })
            .expect("force-a is drawn");
        let lines: Vec<&str> = node
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            lines,
            ["Force \"A\" <b>&amp;</b>,", "| the", "first \\ one"]
        );
        let tooltip = node
            .descendants()
            .find_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "title")));
        assert_eq!(tooltip, Some(format!("{NASTY} (police force)").as_str()));
    }
}

#[test]
fn graphviz_draws_the_governance_tree() {
    for registry in [sample(), hostile()] {
        let on = registry.as_of(day(2021, 4, 1));
        let dot = report::dot::governance(&on);
        let Some(svg) = graphviz(&dot) else {
            return;
        };
        let (nodes, edges) = drawn(&svg);
        let graphml = report::graphml::governance(&on);
        let doc = parse_xml(&graphml);
        let ids: BTreeSet<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("node"))
            .filter_map(|n| n.attribute("id").map(str::to_string))
            .collect();
        let legend: BTreeSet<String> = nodes
            .iter()
            .filter(|n| n.starts_with("legend:"))
            .cloned()
            .collect();
        assert!(legend.contains("legend:body") && legend.contains("legend:agreement"));
        let drawn_ids: BTreeSet<String> = nodes.difference(&legend).cloned().collect();
        assert_eq!(drawn_ids, ids, "the same nodes as the GraphML");
        let graphml_edges = doc.descendants().filter(|n| n.has_tag_name("edge")).count();
        assert_eq!(edges, graphml_edges);
    }
}

// ---- every export ----

/// Every export of `on`, by name.
fn every_export(on: &AsOf<'_>) -> Vec<(&'static str, String)> {
    vec![
        ("dot network", report::dot::network(on)),
        ("dot governance", report::dot::governance(on)),
        ("graphml network", report::graphml::network(on)),
        ("graphml governance", report::graphml::governance(on)),
        ("csv memberships", report::csv::memberships(on)),
        (
            "csv shares",
            report::csv::shares(on, year()).unwrap_or_default(),
        ),
        (
            "csv reviews",
            report::csv::reviews(on, NaiveDate::MIN, day(2030, 1, 1)),
        ),
        (
            "markdown reviews",
            report::markdown::reviews(on, NaiveDate::MIN, day(2030, 1, 1)),
        ),
        ("publication html", report::publication::html(on)),
        ("publication markdown", report::publication::markdown(on)),
        ("timeline", report::timeline::svg(on)),
    ]
}

#[test]
fn every_export_gives_the_same_bytes_for_the_same_registry_and_day() -> Result {
    let registry = sample();
    let reloaded = Registry::from_json_str(&registry.to_json_string())?;
    for on in [day(2016, 4, 1), day(2021, 4, 1)] {
        let first = every_export(&registry.as_of(on));
        assert_eq!(first, every_export(&registry.as_of(on)));
        assert_eq!(
            first,
            every_export(&reloaded.as_of(on)),
            "a saved and reloaded registry"
        );
    }
    Ok(())
}

#[test]
fn exports_read_as_the_register_stood_on_the_register_day() -> Result {
    let mut registry = sample();
    // Derbyshire's withdrawal from 1 April 2022, entered on 10 June.
    registry.leave(
        "em-major-crime",
        "derbyshire-police",
        collab_registry::time::When::on(day(2022, 4, 1)).entered(day(2022, 6, 10)),
    )?;
    let may = registry.as_of(day(2022, 5, 1));
    let count = |on: &AsOf<'_>| {
        read_csv(&report::csv::memberships(on))
            .1
            .iter()
            .filter(|r| r[0] == "em-major-crime")
            .count()
    };
    assert_eq!(count(&may), 4);
    assert_eq!(count(&may.as_recorded_on(day(2022, 5, 31))), 5);
    let network = |on: &AsOf<'_>| report::graphml::network(on);
    assert_ne!(
        network(&may),
        network(&may.as_recorded_on(day(2022, 5, 31)))
    );
    Ok(())
}

#[test]
fn the_answers_behind_the_exports_have_their_documented_json_shapes() -> Result {
    let registry = sample();
    let on = registry.as_of(day(2021, 4, 1));
    let keys = |v: &Value| -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let set = |names: &[&str]| -> BTreeSet<String> {
        names.iter().map(std::string::ToString::to_string).collect()
    };
    let members = serde_json::to_value(on.members_of("em-major-crime")?)?;
    assert_eq!(keys(&members["agreement"]), set(&["id", "title"]));
    for m in members["members"].as_array().ok_or("members")? {
        assert_eq!(keys(&m["party"]), set(&["id", "name"]));
        assert!(m["leaves"].is_null() && m["approximate"].is_boolean());
    }
    let shares = serde_json::to_value(on.apportion("em-major-crime", year())?)?;
    assert_eq!(
        shares["budget"],
        json!({"amount": "30000000.00", "currency": "GBP"})
    );
    for s in shares["shares"].as_array().ok_or("shares")? {
        assert_eq!(keys(&s["amount"]), set(&["amount", "currency"]));
    }
    let signatories = serde_json::to_value(on.signatories("em-major-crime")?)?;
    for s in signatories.as_array().ok_or("signatories")? {
        assert_eq!(keys(&s["party"]), set(&["id", "name"]));
        assert!(s["signs_as"].is_string());
    }
    let reviews = serde_json::to_value(on.reviews_due(NaiveDate::MIN, day(2022, 4, 1)))?;
    for r in reviews.as_array().ok_or("reviews")? {
        assert_eq!(
            keys(r),
            set(&[
                "agreement",
                "status",
                "due",
                "last_review",
                "days_overdue",
                "approximate"
            ])
        );
    }
    let links = serde_json::to_value(on.network().links())?;
    assert_eq!(keys(&links[0]), set(&["a", "b", "shared"]));
    Ok(())
}
