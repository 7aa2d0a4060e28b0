//! Successors: the agreement that replaced one, both ways, as known on the
//! day and as the register stood.
//!
//! South Yorkshire PCC's page
//! (<https://southyorkshire-pcc.gov.uk/what-we-do/partnerships/collaboration-partnerships/>)
//! lists the region's Scientific Support Functional Collaboration Agreement,
//! "original March 2014, updated February 2021". The register models the
//! update as a new agreement that replaced the original, and the original as
//! ended by all its members when it was replaced: that modelling, the
//! members (the region's forces and commissioners, by class), the days the
//! link took effect and was entered, and a later successor are
//! illustrative, and marked so.

use chrono::NaiveDate;
use collab_registry::model::{AgreementId, AmendmentKind, Ending};
use collab_registry::questions::{EndedBy, Event};
use collab_registry::time::When;
use collab_registry::{ErrorKind, Registry};
use serde_json::{Value, json};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

const REGION: &str = "Yorkshire and the Humber";

fn agreement(id: &str, title: &str, start: &str) -> Value {
    json!({"id": id, "title": title, "legal_basis": "section_22a_police_act_1996",
           "functions": ["forensics"], "start": start,
           "status": [{"status": "active", "from": start}],
           "members": [],
           "member_classes": [{"kind": "police_force", "region": REGION, "role": "member"},
                              {"kind": "policing_body", "region": REGION, "role": "member"}],
           "source": "https://southyorkshire-pcc.gov.uk/what-we-do/partnerships/collaboration-partnerships/",
           "illustrative": ["member_classes"]})
}

/// The original and its update, not yet linked.
fn scientific_support() -> Registry {
    let parties: Vec<Value> = [
        (
            "south-yorkshire-police",
            "South Yorkshire Police",
            "police_force",
        ),
        (
            "south-yorkshire-pcc",
            "South Yorkshire Police and Crime Commissioner",
            "policing_body",
        ),
        (
            "west-yorkshire-police",
            "West Yorkshire Police",
            "police_force",
        ),
        (
            "west-yorkshire-pcc",
            "Police and Crime Commissioner for West Yorkshire",
            "policing_body",
        ),
    ]
    .iter()
    .map(|(id, name, kind)| json!({"id": id, "name": name, "kind": kind, "region": REGION}))
    .collect();
    let doc = json!({
        "schema_version": 2,
        "parties": parties,
        "agreements": [
            agreement("scientific-support-2014", "Scientific Support Functional Collaboration Agreement", "2014-03"),
            agreement("scientific-support-2021", "Scientific Support Functional Collaboration Agreement (updated February 2021)", "2021-02"),
        ],
    });
    Registry::from_json_str(&doc.to_string()).expect("the registry loads")
}

/// The update linked as the original's successor from 1 February 2021,
/// entered on 1 March 2021, and the original ended by all its members that
/// day.
fn linked() -> std::result::Result<Registry, Box<dyn std::error::Error>> {
    let mut registry = scientific_support();
    let next = AgreementId::new("scientific-support-2021")?;
    let when = When::on(day(2021, 2, 1)).entered(day(2021, 3, 1));
    registry.amend(
        "scientific-support-2014",
        when,
        AmendmentKind::Variation,
        "Replaced by the updated agreement",
        |t| t.set_replaced_by(Some(next)),
    )?;
    registry.terminate_by(
        "scientific-support-2014",
        when,
        Ending::AllMembers,
        Some("Replaced by the updated agreement".to_string()),
    )?;
    Ok(registry)
}

fn ids(refs: &[collab_registry::questions::AgreementRef<'_>]) -> Vec<String> {
    refs.iter().map(|r| r.id.to_string()).collect()
}

#[test]
fn the_update_replaced_the_original_both_ways() -> Result {
    let registry = linked()?;
    let on = registry.as_of(day(2021, 6, 1));
    assert_eq!(
        ids(&on.successors("scientific-support-2014")?),
        ["scientific-support-2021"]
    );
    assert_eq!(
        ids(&on.replaced("scientific-support-2021")?),
        ["scientific-support-2014"]
    );
    // Nothing replaced the update, and the original replaced nothing.
    assert!(on.successors("scientific-support-2021")?.is_empty());
    assert!(on.replaced("scientific-support-2014")?.is_empty());
    // Named with its title on the day.
    let chain = on.successors("scientific-support-2014")?;
    assert_eq!(
        serde_json::to_value(&chain)?,
        json!([{"id": "scientific-support-2021",
                "title": "Scientific Support Functional Collaboration Agreement (updated February 2021)"}])
    );
    Ok(())
}

#[test]
fn before_the_link_was_entered_or_took_effect_it_is_not_known() -> Result {
    let registry = linked()?;
    // In effect from 1 February, but entered on 1 March: not known on 15 February.
    let stood = registry
        .as_of(day(2021, 6, 1))
        .as_recorded_on(day(2021, 2, 15));
    assert!(stood.successors("scientific-support-2014")?.is_empty());
    assert!(stood.replaced("scientific-support-2021")?.is_empty());
    // Known now, but not yet in effect on 31 January.
    let before = registry.as_of(day(2021, 1, 31));
    assert!(before.successors("scientific-support-2014")?.is_empty());
    assert!(before.replaced("scientific-support-2021")?.is_empty());
    Ok(())
}

#[test]
fn a_chain_of_successors_is_followed_and_a_link_taken_back_is_not() -> Result {
    // Illustrative: a further update from April 2030.
    let mut doc: Value = serde_json::from_str(&linked()?.to_json_string())?;
    let mut later = agreement(
        "scientific-support-2030",
        "Scientific Support Functional Collaboration Agreement (2030)",
        "2030-04-01",
    );
    later["illustrative"] = json!(["title", "start", "member_classes"]);
    doc["agreements"]
        .as_array_mut()
        .ok_or("agreements")?
        .push(later);
    let mut registry = Registry::from_json_str(&doc.to_string())?;
    registry.amend(
        "scientific-support-2021",
        day(2030, 4, 1),
        AmendmentKind::Variation,
        "Replaced (illustrative)",
        |t| {
            t.set_replaced_by(Some(
                AgreementId::new("scientific-support-2030").expect("an id"),
            ));
        },
    )?;
    let on = registry.as_of(day(2030, 6, 1));
    assert_eq!(
        ids(&on.successors("scientific-support-2014")?),
        ["scientific-support-2021", "scientific-support-2030"]
    );
    assert_eq!(
        ids(&on.replaced("scientific-support-2030")?),
        ["scientific-support-2021"]
    );
    // Taken back from 2031: the index still files it, the view does not.
    registry.amend(
        "scientific-support-2021",
        day(2031, 1, 1),
        AmendmentKind::Correction,
        "Not replaced after all (illustrative)",
        |t| t.set_replaced_by(None),
    )?;
    let on = registry.as_of(day(2031, 6, 1));
    assert!(on.replaced("scientific-support-2030")?.is_empty());
    assert_eq!(
        ids(&on.successors("scientific-support-2014")?),
        ["scientific-support-2021"]
    );
    // Asked about 2030 still, the link held then.
    assert_eq!(
        ids(&registry
            .as_of(day(2030, 6, 1))
            .replaced("scientific-support-2030")?),
        ["scientific-support-2021"]
    );
    Ok(())
}

#[test]
fn the_original_was_ended_by_all_its_members_and_its_members_go_with_it() -> Result {
    let registry = linked()?;
    let on = registry.as_of(day(2021, 6, 1));
    let members = on.members_of("scientific-support-2014")?;
    assert!(members.ended && members.members.is_empty());
    assert_eq!(members.ended_by, Some(EndedBy::AllMembers));
    assert_eq!(on.members_of("scientific-support-2021")?.members.len(), 4);
    let history = on.history("scientific-support-2014")?;
    let ending = history
        .iter()
        .find_map(|e| match &e.event {
            Event::Status { ended_by, .. } if ended_by.is_some() => {
                Some((e.date, e.recorded, ended_by.clone()))
            }
            _ => None,
        })
        .ok_or("the termination is in the history")?;
    assert_eq!(
        ending,
        (
            day(2021, 2, 1),
            Some(day(2021, 3, 1)),
            Some(EndedBy::AllMembers)
        )
    );
    Ok(())
}

#[test]
fn an_unknown_agreement_is_refused() {
    let registry = scientific_support();
    let on = registry.as_of(day(2021, 6, 1));
    assert_eq!(
        on.successors("no-such-agreement")
            .map_err(|e| e.kind())
            .err(),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        on.replaced("no-such-agreement").map_err(|e| e.kind()).err(),
        Some(ErrorKind::UnknownId)
    );
    // Before the update was entered, it is unknown.
    let stood = registry
        .as_of(day(2021, 6, 1))
        .as_recorded_on(day(2020, 1, 1));
    assert_eq!(
        stood
            .replaced("scientific-support-2021")
            .map_err(|e| e.kind())
            .err(),
        Some(ErrorKind::UnknownId)
    );
}
