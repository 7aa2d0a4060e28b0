//! National and regional agreements held by class, and an agreement whose
//! member list is not published, put to the questions.
//!
//! The parties are the real forces and commissioners of the North East and
//! of Yorkshire and the Humber. The agreements are from published sources:
//!
//! - the National Police Collaboration Agreement of February 2015 (how
//!   forces and commissioners collaborate nationally; it established the
//!   National Police Chiefs' Council), signed by Northumbria's commissioner
//!   and chief constable, per Northumbria PCC's s.23E page
//!   (<https://www.northumbria-pcc.gov.uk/transparency/key-decisions/collaboration-agreements/>).
//!   Every territorial force and every commissioner signs it, so it is held
//!   as two classes (police forces, policing bodies); Northumbria's two are
//!   also listed, as the page names them;
//! - the North East Regional Special Operations Unit (October 2013), the
//!   same page, listing its six parties;
//! - "Yorkshire and the Humber PCCs and Chief Constables: Agreement for the
//!   Provision of Policing Services" (March 2014, lead force model), South
//!   Yorkshire PCC's page
//!   (<https://southyorkshire-pcc.gov.uk/what-we-do/partnerships/collaboration-partnerships/>):
//!   the region's forces and commissioners, a class in a region;
//! - the National Police Collaboration Agreement relating to the National
//!   Police Air Service (dated 6 August 2012), whose parties are "the Police
//!   Bodies" and the Police and Crime Commissioner for West Yorkshire
//!   (successor to the West Yorkshire Police Authority, so a member from 22
//!   November 2012, when commissioners took office). Forces joined NPAS on
//!   different days (West Midlands from 2 October 2013), which the sources
//!   do not list, so a class would invent members: it is held with its
//!   member list not published, naming West Yorkshire's commissioner alone.
//!   Its publication reason is illustrative, and marked so.
//!
//! Two parties are illustrative, and marked so: one entered in the register
//! in 2020, and one re-classed as a territorial force in 2018, to show a
//! class member appearing from the day the register knows it.

use chrono::NaiveDate;
use collab_registry::model::{
    AmendmentKind, Ending, Function, LegalBasis, PartyKind, Role, Sector,
};
use collab_registry::questions::{EndedBy, OutBy, SectorOrKind};
use collab_registry::{ErrorKind, Registry, Scope};
use serde_json::{Value, json};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// A day on which every agreement here is in force.
fn asked() -> NaiveDate {
    day(2016, 4, 1)
}

const NORTH_EAST: &str = "North East";
const YORKSHIRE: &str = "Yorkshire and the Humber";

/// A force and its commissioner, the force overseen by the commissioner.
fn pair(force: (&str, &str), pcc: (&str, &str), region: &str) -> [Value; 2] {
    [
        json!({"id": force.0, "name": force.1, "kind": "police_force", "region": region,
               "overseen_by": [{"by": pcc.0}]}),
        json!({"id": pcc.0, "name": pcc.1, "kind": "policing_body", "region": region}),
    ]
}

#[allow(
    clippy::too_many_lines,
    reason = "the registry of the scenario, spelled out as the sources give it"
)]
fn national_registry() -> Registry {
    let mut parties: Vec<Value> = Vec::new();
    for (force, pcc, region) in [
        (
            ("cleveland-police", "Cleveland Police"),
            (
                "cleveland-pcc",
                "Police and Crime Commissioner for Cleveland",
            ),
            NORTH_EAST,
        ),
        (
            ("durham-constabulary", "Durham Constabulary"),
            ("durham-pcc", "Durham Police and Crime Commissioner"),
            NORTH_EAST,
        ),
        (
            ("northumbria-police", "Northumbria Police"),
            (
                "northumbria-pcc",
                "Northumbria Police and Crime Commissioner",
            ),
            NORTH_EAST,
        ),
        (
            ("humberside-police", "Humberside Police"),
            ("humberside-pcc", "Humberside Police and Crime Commissioner"),
            YORKSHIRE,
        ),
        (
            ("north-yorkshire-police", "North Yorkshire Police"),
            (
                "north-yorkshire-pcc",
                "North Yorkshire Police and Crime Commissioner",
            ),
            YORKSHIRE,
        ),
        (
            ("south-yorkshire-police", "South Yorkshire Police"),
            (
                "south-yorkshire-pcc",
                "South Yorkshire Police and Crime Commissioner",
            ),
            YORKSHIRE,
        ),
        (
            ("west-yorkshire-police", "West Yorkshire Police"),
            (
                "west-yorkshire-pcc",
                "Police and Crime Commissioner for West Yorkshire",
            ),
            YORKSHIRE,
        ),
    ] {
        parties.extend(pair(force, pcc, region));
    }
    // Of another kind: never a member of the police classes.
    parties.push(
        json!({"id": "north-yorkshire-fire", "name": "North Yorkshire Fire and Rescue Service",
                        "kind": "fire_and_rescue", "region": YORKSHIRE}),
    );
    let listed =
        |party: &str, joined: &str| json!({"party": party, "role": "member", "joined": joined});
    let nersou: Vec<Value> = [
        "cleveland-pcc",
        "durham-pcc",
        "northumbria-pcc",
        "cleveland-police",
        "durham-constabulary",
        "northumbria-police",
    ]
    .iter()
    .map(|p| listed(p, "2013-10"))
    .collect();
    let northumbria =
        "https://www.northumbria-pcc.gov.uk/transparency/key-decisions/collaboration-agreements/";
    let south_yorkshire =
        "https://southyorkshire-pcc.gov.uk/what-we-do/partnerships/collaboration-partnerships/";
    let doc = json!({
        "schema_version": 2,
        "currency": "GBP",
        "parties": parties,
        "agreements": [
            {"id": "national-police-collaboration", "title": "National Police Collaboration Agreement",
             "purpose": "How forces and police and crime commissioners collaborate and coordinate nationally; establishes the National Police Chiefs' Council",
             "legal_basis": "section_22a_police_act_1996",
             "start": "2015-02",
             "status": [{"status": "active", "from": "2015-02"}],
             "members": [listed("northumbria-pcc", "2015-02"), listed("northumbria-police", "2015-02")],
             "member_classes": [{"kind": "police_force", "role": "member"},
                                {"kind": "policing_body", "role": "member"}],
             "source": northumbria},
            {"id": "nersou", "title": "North East Regional Special Operations Unit",
             "purpose": "Additional capacity and capability across the region to tackle serious and organised crime",
             "legal_basis": "section_22a_police_act_1996",
             "functions": ["serious_organised_crime"],
             "start": "2013-10",
             "status": [{"status": "active", "from": "2013-10"}],
             "members": nersou,
             "publication": {"level": "title_and_objective",
                             "reason": "publication could reveal - and therefore undermine the effectiveness of - operational tactics"},
             "source": northumbria},
            {"id": "yh-policing-services",
             "title": "Yorkshire and the Humber PCCs and Chief Constables: Agreement for the Provision of Policing Services",
             "purpose": "Policing services provided on a lead force model",
             "legal_basis": "section_22a_police_act_1996",
             "start": "2014-03",
             "status": [{"status": "active", "from": "2014-03"}],
             "members": [],
             "member_classes": [{"kind": "police_force", "region": YORKSHIRE, "role": "member"},
                                {"kind": "policing_body", "region": YORKSHIRE, "role": "member"}],
             "source": south_yorkshire},
            {"id": "npas",
             "title": "National Police Collaboration Agreement relating to the National Police Air Service (NPAS)",
             "purpose": "The delivery of aviation services to Police Bodies",
             "legal_basis": "section_22a_police_act_1996",
             "functions": ["air_support"],
             "start": "2012-08-06",
             "status": [{"status": "active", "from": "2012-08-06"}],
             "members": [{"party": "west-yorkshire-pcc", "role": "lead", "joined": "2012-11-22"}],
             "members_published": false,
             "publication": {"level": "summary",
                             "reason": "The Police Bodies that are parties are not named in the copy found"},
             "source": "https://dokumen.tips/documents/national-police-collaboration-agreement-national-police-collaboration-agreement.html",
             "illustrative": ["publication"]},
        ],
    });
    Registry::from_json_str(&doc.to_string()).expect("the national registry loads")
}

fn ids<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    items.into_iter().collect()
}

const FOURTEEN: [&str; 14] = [
    "cleveland-pcc",
    "cleveland-police",
    "durham-constabulary",
    "durham-pcc",
    "humberside-pcc",
    "humberside-police",
    "north-yorkshire-pcc",
    "north-yorkshire-police",
    "northumbria-pcc",
    "northumbria-police",
    "south-yorkshire-pcc",
    "south-yorkshire-police",
    "west-yorkshire-pcc",
    "west-yorkshire-police",
];

#[test]
fn the_national_agreement_is_every_force_and_every_commissioner() -> Result {
    let registry = national_registry();
    let members = registry
        .as_of(asked())
        .members_of("national-police-collaboration")?;
    // Seven forces and seven commissioners; the fire service is of neither
    // class. Northumbria's two are listed and of a class: listed once.
    assert_eq!(
        ids(members.members.iter().map(|m| m.party.id.as_str())),
        FOURTEEN
    );
    assert!(members.members_published);
    let listed: Vec<&str> = members
        .members
        .iter()
        .filter(|m| !m.by_class)
        .map(|m| m.party.id.as_str())
        .collect();
    assert_eq!(listed, ["northumbria-pcc", "northumbria-police"]);
    // Known only to February 2015, so every member's joining is approximate.
    assert!(members.members.iter().all(|m| m.approximate));
    assert!(members.members.iter().all(|m| m.role == Role::Member));
    let durham = members
        .members
        .iter()
        .find(|m| m.party.id.as_str() == "durham-constabulary")
        .ok_or("durham is a member")?;
    assert_eq!(durham.kind, Some(PartyKind::PoliceForce));
    assert_eq!(
        serde_json::to_value(durham)?,
        json!({"party": {"id": "durham-constabulary", "name": "Durham Constabulary"},
               "kind": "police_force", "role": "member", "by_class": true, "joined": "2015-02",
               "notice_served": null, "leaves": null, "approximate": true})
    );
    // Before February 2015 it had not started: no members, by class or listed.
    let before = registry
        .as_of(day(2015, 1, 31))
        .members_of("national-police-collaboration")?;
    assert!(before.members.is_empty());
    Ok(())
}

#[test]
fn a_party_of_the_class_is_a_member_from_the_day_the_register_knows_it() -> Result {
    let mut registry = national_registry();
    // Illustrative: a force entered in the register on 1 January 2020.
    let late = collab_registry::model::Party::builder(
        "example-police".parse()?,
        "Example Police",
        PartyKind::PoliceForce,
    )
    .region(NORTH_EAST)
    .entered(day(2020, 1, 1))
    .provenance(collab_registry::model::Provenance::default().illustrative("name"))
    .build()?;
    registry.add_party(late)?;
    let on = registry.as_of(day(2020, 6, 1));
    assert!(
        on.members_of("national-police-collaboration")?
            .members
            .iter()
            .any(|m| m.party.id.as_str() == "example-police" && m.by_class)
    );
    // As the register stood before it was entered, it was no member.
    let then = on.as_recorded_on(day(2019, 12, 31));
    assert_eq!(
        then.members_of("national-police-collaboration")?
            .members
            .len(),
        14
    );
    assert_eq!(
        then.agreements_of("example-police")
            .map_err(|e| e.kind())
            .err(),
        Some(ErrorKind::UnknownId)
    );
    // Illustrative: the fire service re-classed as a territorial force from
    // 1 April 2018 joins both police classes of its region from that day.
    registry.amend_party(
        "north-yorkshire-fire",
        day(2018, 4, 1),
        AmendmentKind::Correction,
        "Re-classed (illustrative)",
        |t| t.kind = PartyKind::PoliceForce,
    )?;
    let of = |on: NaiveDate| -> std::result::Result<Vec<String>, collab_registry::Error> {
        Ok(registry
            .as_of(on)
            .agreements_of("north-yorkshire-fire")?
            .iter()
            .map(|p| format!("{} {}", p.agreement.id, p.by_class))
            .collect())
    };
    assert!(of(day(2018, 3, 31))?.is_empty());
    assert_eq!(
        of(day(2018, 4, 1))?,
        [
            "national-police-collaboration true",
            "yh-policing-services true"
        ]
    );
    let cross = registry
        .as_of(day(2018, 3, 31))
        .cross_sector(&[SectorOrKind::Kind(PartyKind::FireAndRescue)]);
    assert!(cross.is_empty(), "the fire service is in no agreement");
    Ok(())
}

#[test]
fn a_forces_agreements_include_the_national_one() -> Result {
    let registry = national_registry();
    let on = registry.as_of(asked());
    let rows = |party: &str| -> std::result::Result<Vec<(String, bool)>, collab_registry::Error> {
        Ok(on
            .agreements_of(party)?
            .into_iter()
            .map(|p| (p.agreement.id.to_string(), p.by_class))
            .collect())
    };
    let own = |pairs: &[(&str, bool)]| -> Vec<(String, bool)> {
        pairs.iter().map(|(id, c)| (id.to_string(), *c)).collect()
    };
    assert_eq!(
        rows("durham-constabulary")?,
        own(&[("national-police-collaboration", true), ("nersou", false)])
    );
    // Listed in the national agreement: the listed membership wins.
    assert_eq!(
        rows("northumbria-police")?,
        own(&[("national-police-collaboration", false), ("nersou", false)])
    );
    // A member of NPAS by name, and of the national and regional
    // agreements by class.
    assert_eq!(
        rows("west-yorkshire-pcc")?,
        own(&[
            ("national-police-collaboration", true),
            ("npas", false),
            ("yh-policing-services", true)
        ])
    );
    // Partners of Cleveland Police: its five North East fellows share two
    // agreements (national, NERSOU), the eight of Yorkshire one.
    let partners = on.partners_of("cleveland-police")?;
    assert_eq!(partners.len(), 13);
    let shared: Vec<(&str, usize)> = partners
        .iter()
        .map(|p| (p.party.id.as_str(), p.shared))
        .collect();
    assert_eq!(
        shared.get(..6),
        Some(
            &[
                ("cleveland-pcc", 2),
                ("durham-constabulary", 2),
                ("durham-pcc", 2),
                ("northumbria-pcc", 2),
                ("northumbria-police", 2),
                ("humberside-pcc", 1),
            ][..]
        )
    );
    let both = on.shared_by(&["west-yorkshire-police", "west-yorkshire-pcc"])?;
    assert_eq!(
        ids(both.iter().map(|s| s.agreement.id.as_str())),
        ["national-police-collaboration", "yh-policing-services"]
    );
    let across = on.shared_by(&["cleveland-police", "west-yorkshire-pcc"])?;
    assert_eq!(
        ids(across.iter().map(|s| s.agreement.id.as_str())),
        ["national-police-collaboration"]
    );
    assert_eq!(across[0].member_count, Some(14));
    assert_eq!(across[0].members.len(), 14);
    Ok(())
}

#[test]
fn a_regional_class_picks_only_its_regions_forces_and_commissioners() -> Result {
    let registry = national_registry();
    let on = registry.as_of(asked());
    let members = on.members_of("yh-policing-services")?;
    assert_eq!(
        ids(members.members.iter().map(|m| m.party.id.as_str())),
        [
            "humberside-pcc",
            "humberside-police",
            "north-yorkshire-pcc",
            "north-yorkshire-police",
            "south-yorkshire-pcc",
            "south-yorkshire-police",
            "west-yorkshire-pcc",
            "west-yorkshire-police",
        ]
    );
    assert!(members.members.iter().all(|m| m.by_class && m.approximate));
    // Four Yorkshire forces in the national agreement and four in the
    // regional one; NPAS names no Yorkshire force.
    let forces = on.sizes_in_region(YORKSHIRE, Some(PartyKind::PoliceForce))?;
    let sizes: Vec<(usize, usize)> = forces.sizes.iter().map(|s| (s.size, s.count)).collect();
    assert_eq!(sizes, [(4, 2)]);
    assert!(forces.unpublished.is_empty());
    // Its commissioners: the same, and NPAS, which names West Yorkshire's
    // commissioner but has no known size.
    let bodies = on.sizes_in_region(YORKSHIRE, Some(PartyKind::PolicingBody))?;
    let sizes: Vec<(usize, usize)> = bodies.sizes.iter().map(|s| (s.size, s.count)).collect();
    assert_eq!(sizes, [(4, 2)]);
    assert_eq!(
        ids(bodies.unpublished.iter().map(|a| a.id.as_str())),
        ["npas"]
    );
    // Signatories: the eight members; each commissioner signs for its force.
    let signatories = on.signatories("yh-policing-services")?;
    assert_eq!(signatories.len(), 8);
    let wy = signatories
        .iter()
        .find(|s| s.party.id.as_str() == "west-yorkshire-pcc")
        .ok_or("west yorkshire signs")?;
    assert!(wy.member);
    assert_eq!(
        ids(wy.overseeing.iter().map(|p| p.id.as_str())),
        ["west-yorkshire-police"]
    );
    Ok(())
}

#[test]
fn cross_sector_answers_count_class_members_and_name_each_ones_kind_and_sector() -> Result {
    let registry = national_registry();
    let on = registry.as_of(asked());
    let wanted = [
        SectorOrKind::Kind(PartyKind::PoliceForce),
        SectorOrKind::Sector(Sector::PolicingBody),
    ];
    let rows = on.cross_sector(&wanted);
    // NPAS names one commissioner only: one sector.
    assert_eq!(
        ids(rows.iter().map(|r| r.summary.agreement.id.as_str())),
        [
            "national-police-collaboration",
            "nersou",
            "yh-policing-services"
        ]
    );
    let national = &rows[0];
    assert_eq!(national.sectors, [Sector::Police, Sector::PolicingBody]);
    assert_eq!(
        national.kinds,
        [PartyKind::PoliceForce, PartyKind::PolicingBody]
    );
    assert_eq!(national.parties.len(), 14);
    assert_eq!(
        serde_json::to_value(&national.parties[0])?,
        json!({"party": {"id": "cleveland-pcc", "name": "Police and Crime Commissioner for Cleveland"},
               "kind": "policing_body", "sector": "policing_body"})
    );
    assert_eq!(national.parties[1].sector, Sector::Police);
    // With no selector, the same three.
    assert_eq!(on.cross_sector(&[]).len(), 3);
    Ok(())
}

#[test]
fn the_network_links_every_pair_of_the_national_agreements_members() {
    let registry = national_registry();
    let network = registry.as_of(asked()).network();
    // 14 parties, 14·13/2 = 91 pairs, all linked by the national agreement;
    // the 15 North East pairs share NERSOU too, the 28 Yorkshire pairs the
    // regional agreement: 91 + 15 + 28 = 134 agreements shared in all.
    let links = network.links();
    assert_eq!(links.len(), 91);
    assert_eq!(links.iter().map(|l| u64::from(l.shared)).sum::<u64>(), 134);
    let weight = |a: &str, b: &str| {
        links
            .iter()
            .find(|l| l.a.id.as_str() == a && l.b.id.as_str() == b)
            .map(|l| l.shared)
    };
    assert_eq!(weight("durham-pcc", "northumbria-police"), Some(2));
    assert_eq!(weight("cleveland-police", "west-yorkshire-pcc"), Some(1));
    assert_eq!(
        weight("north-yorkshire-fire", "north-yorkshire-police"),
        None
    );
    let groups = network.groups();
    assert_eq!((groups.len(), groups[0].size), (1, 14));
}

#[test]
fn an_agreement_whose_members_are_not_published_is_held_and_counted_where_it_can_be() -> Result {
    let registry = national_registry();
    let on = registry.as_of(asked());
    let npas = on.agreement("npas")?;
    assert_eq!(
        npas.title(),
        "National Police Collaboration Agreement relating to the National Police Air Service (NPAS)"
    );
    assert_eq!(
        npas.purpose(),
        Some("The delivery of aviation services to Police Bodies")
    );
    assert!(
        npas.legal_basis()
            .contains(LegalBasis::Section22aPoliceAct1996)
    );
    assert_eq!(
        npas.publication().reason.as_deref(),
        Some("The Police Bodies that are parties are not named in the copy found")
    );
    let members = on.members_of("npas")?;
    assert!(!members.members_published);
    assert!(members.in_force);
    assert_eq!(
        ids(members.members.iter().map(|m| m.party.id.as_str())),
        ["west-yorkshire-pcc"]
    );
    // Counted by function and by legal basis, with no member count.
    let air = on.by_function(Function::AirSupport);
    assert_eq!(ids(air.iter().map(|s| s.agreement.id.as_str())), ["npas"]);
    assert_eq!(
        (air[0].members_published, air[0].member_count),
        (false, None)
    );
    let row = serde_json::to_value(&air[0])?;
    assert_eq!(
        (&row["members_published"], &row["member_count"]),
        (&json!(false), &Value::Null)
    );
    let basis = on.by_legal_basis(LegalBasis::Section22aPoliceAct1996);
    assert_eq!(basis.len(), 4);
    // No known size: in no size answer.
    assert!(
        on.with_at_least(1)
            .iter()
            .all(|s| s.agreement.id.as_str() != "npas")
    );
    assert!(on.with_exactly(1).is_empty());
    assert_eq!(
        ids(on.with_at_least(8).iter().map(|s| s.agreement.id.as_str())),
        ["national-police-collaboration", "yh-policing-services"]
    );
    Ok(())
}

#[test]
fn after_the_national_agreement_ends_no_one_is_listed_as_its_member() -> Result {
    let mut registry = national_registry();
    // Illustrative: ended by all its members on 1 April 2030.
    registry.terminate_by(
        "national-police-collaboration",
        day(2030, 4, 1),
        Ending::AllMembers,
        None,
    )?;
    let id = "national-police-collaboration";
    for scope in [Scope::InForce, Scope::AnyStatus] {
        let on = registry.as_of(day(2030, 4, 1)).scope(scope);
        let members = on.members_of(id)?;
        assert!(members.ended && members.members.is_empty());
        assert_eq!(members.ended_by, Some(EndedBy::AllMembers));
        assert!(
            on.agreements_of("durham-constabulary")?
                .iter()
                .all(|p| p.agreement.id.as_str() != id)
        );
        assert!(
            on.agreements_of("northumbria-police")?
                .iter()
                .all(|p| p.agreement.id.as_str() != id)
        );
        // Cleveland's partners are now its NERSOU fellows only.
        assert_eq!(on.partners_of("cleveland-police")?.len(), 5);
        assert!(
            on.shared_by(&["cleveland-police", "west-yorkshire-pcc"])?
                .is_empty()
        );
        assert!(on.signatories(id)?.is_empty());
        assert!(
            on.with_at_least(1)
                .iter()
                .all(|s| s.agreement.id.as_str() != id)
        );
        assert!(
            on.cross_sector(&[])
                .iter()
                .all(|r| r.summary.agreement.id.as_str() != id)
        );
        // Two groups: the North East (NERSOU) and Yorkshire (the region's agreement).
        let groups = on.network().groups();
        assert_eq!(groups.iter().map(|g| g.size).collect::<Vec<_>>(), [8, 6]);
    }
    // The day before, it still had all fourteen.
    let before = registry.as_of(day(2030, 3, 31)).members_of(id)?;
    assert_eq!((before.members.len(), before.ended_by), (14, None));
    Ok(())
}

#[test]
fn a_member_by_class_has_no_notice_of_its_own_to_serve() -> Result {
    let registry = national_registry();
    let on = registry.as_of(asked());
    let out_by = OutBy::Day(day(2017, 4, 1));
    let err = on
        .notice_deadline(
            "national-police-collaboration",
            "durham-constabulary",
            out_by,
        )
        .expect_err("a member by class only");
    assert_eq!(err.kind(), ErrorKind::NotAMember);
    assert!(err.to_string().contains("by class only"), "{err}");
    // Northumbria's force is listed, so it can serve notice; with no notice
    // period set, the day before it wants to be out.
    let deadline = on.notice_deadline(
        "national-police-collaboration",
        "northumbria-police",
        out_by,
    )?;
    assert_eq!(
        (deadline.serve_by, deadline.out_by),
        (day(2017, 3, 31), day(2017, 4, 1))
    );
    Ok(())
}
