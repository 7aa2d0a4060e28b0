//! The questions collaboration officers and analysts ask, put to the sample
//! registry and checked against the source documents (see
//! `data/README.md` and the seeds it names), and to small hand-made
//! registries whose answers are known.

use chrono::NaiveDate;
use collab_registry::model::{
    Agreement, AgreementId, AmendmentKind, Function, Functions, LegalBases, LegalBasis, Membership,
    PartialDate, PartyId, PartyKind, Role, Sector, Status,
};
use collab_registry::questions::SectorOrKind;
use collab_registry::time::When;
use collab_registry::{ErrorKind, Registry, Scope};
use serde_json::{Value, json};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn sample() -> Registry {
    collab_registry::sample().expect("the sample loads")
}

/// A day on which every sourced fact of the sample holds.
fn today() -> NaiveDate {
    day(2021, 4, 1)
}

fn ids<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    items.into_iter().collect()
}

/// An agreement active from 1 April 2020 whose members all join that day.
fn pact(id: &str, members: &[&str], part_of: Option<&str>) -> Value {
    let members: Vec<Value> = members
        .iter()
        .map(|m| json!({"party": m, "role": "member", "joined": "2020-04-01"}))
        .collect();
    let mut a = json!({
        "id": id, "title": id, "legal_basis": "section_22a_police_act_1996",
        "start": "2020-04-01",
        "status": [{"status": "active", "from": "2020-04-01"}],
        "members": members,
    });
    if let Some(p) = part_of {
        a["part_of"] = json!(p);
    }
    a
}

/// A hand-made registry: the parties given with their kinds, and any other
/// member of the agreements a police force.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the callers build the agreements in place with json!, and each call stays one expression"
)]
fn handmade(kinds: &[(&str, &str)], agreements: Vec<Value>) -> Registry {
    let mut parties: Vec<Value> = kinds
        .iter()
        .map(|(id, kind)| json!({"id": id, "name": id, "kind": kind}))
        .collect();
    for a in &agreements {
        for m in a["members"].as_array().into_iter().flatten() {
            if !parties.iter().any(|p| p["id"] == m["party"]) {
                parties.push(json!({"id": m["party"], "name": m["party"], "kind": "police_force"}));
            }
        }
    }
    let doc = json!({"schema_version": 2, "currency": "GBP", "parties": parties, "agreements": agreements});
    Registry::from_json_str(&doc.to_string()).expect("the hand-made registry loads")
}

#[test]
fn which_agreements_does_northamptonshire_police_take_part_in_and_with_what_role() -> Result {
    let registry = sample();
    let rows = registry
        .as_of(today())
        .agreements_of("northamptonshire-police")?;
    let got: Vec<(&str, Role)> = rows
        .iter()
        .map(|r| (r.agreement.id.as_str(), r.role))
        .collect();
    assert_eq!(
        got,
        [
            // Seed 000: the five East Midlands forces collaborate regionally.
            ("em-collaboration-programme", Role::Member),
            ("em-major-crime", Role::Member),
            ("em-operational-support", Role::Host),
            // Seed 001: one commissioner, shared enabling services with fire.
            ("northamptonshire-enabling-services", Role::Host),
            ("northamptonshire-police-fire-response", Role::Member),
            // Seed 002: the 2015 alliance with Leicestershire and Nottinghamshire.
            ("northants-leics-notts-alliance", Role::Member),
        ]
    );
    assert!(rows.iter().all(|r| r.status == Some(Status::Active)));
    assert!(rows.iter().all(|r| !r.approximate));
    let ops = rows
        .iter()
        .find(|r| r.agreement.id.as_str() == "em-major-crime")
        .ok_or("em-major-crime is listed")?;
    let umbrella = ops.part_of.ok_or("major crime is part of the programme")?;
    assert_eq!(umbrella.id.as_str(), "em-collaboration-programme");
    assert_eq!(
        umbrella.title,
        "East Midlands regional collaboration programme"
    );
    Ok(())
}

#[test]
fn any_status_adds_the_proposed_contact_management_change() -> Result {
    // Seed 002: the first change, aligning contact management, by June 2017.
    let registry = sample();
    let any = registry
        .as_of(day(2017, 6, 1))
        .scope(Scope::AnyStatus)
        .agreements_of("northamptonshire-police")?;
    let proposed: Vec<&str> = any
        .iter()
        .filter(|r| r.status == Some(Status::Proposed))
        .map(|r| r.agreement.id.as_str())
        .collect();
    assert_eq!(proposed, ["nln-contact-management"]);
    // In force only, it does not count; nor before its members join.
    let in_force = registry
        .as_of(day(2017, 6, 1))
        .agreements_of("northamptonshire-police")?;
    assert!(
        in_force
            .iter()
            .all(|r| r.agreement.id.as_str() != "nln-contact-management")
    );
    let before = registry
        .as_of(day(2017, 5, 31))
        .scope(Scope::AnyStatus)
        .agreements_of("northamptonshire-police")?;
    assert!(
        before
            .iter()
            .all(|r| r.agreement.id.as_str() != "nln-contact-management")
    );
    Ok(())
}

#[test]
fn an_agreement_counts_only_from_its_status_and_start() -> Result {
    let registry = sample();
    // The regional programme has no status before the 2013 paper.
    let early = registry.as_of(day(2013, 1, 1));
    assert_eq!(
        ids(early
            .agreements_of("derbyshire-police")?
            .iter()
            .map(|r| r.agreement.id.as_str())),
        ["em-major-crime", "em-operational-support"]
    );
    assert!(
        early
            .scope(Scope::AnyStatus)
            .agreements_of("derbyshire-police")?
            .iter()
            .all(|r| r.agreement.id.as_str() != "em-collaboration-programme")
    );
    Ok(())
}

#[test]
fn who_is_in_the_bch_alliance() -> Result {
    // Seed 003: Bedfordshire, Cambridgeshire and Hertfordshire.
    let registry = sample();
    let members = registry
        .as_of(today())
        .members_of("bch-strategic-alliance")?;
    assert_eq!(members.status, Some(Status::Active));
    assert!(members.in_force && !members.ended);
    assert_eq!(
        ids(members.members.iter().map(|m| m.party.id.as_str())),
        [
            "bedfordshire-police",
            "cambridgeshire-constabulary",
            "hertfordshire-constabulary"
        ]
    );
    assert_eq!(members.members[0].party.name, "Bedfordshire Police");
    assert!(
        members
            .members
            .iter()
            .all(|m| m.kind == Some(PartyKind::PoliceForce))
    );
    Ok(())
}

#[test]
fn members_list_leads_and_hosts_first() -> Result {
    let registry = sample();
    let members = registry.as_of(today()).members_of("em-major-crime")?;
    assert_eq!(
        members.members[0].party.id.as_str(),
        "nottinghamshire-police"
    );
    assert_eq!(members.members[0].role, Role::Lead);
    assert_eq!(
        ids(members.members[1..].iter().map(|m| m.party.id.as_str())),
        [
            "derbyshire-police",
            "leicestershire-police",
            "lincolnshire-police",
            "northamptonshire-police"
        ]
    );
    Ok(())
}

#[test]
fn a_named_agreement_answers_whatever_its_status() -> Result {
    let registry = sample();
    let members = registry
        .as_of(today())
        .members_of("nln-contact-management")?;
    assert_eq!(members.status, Some(Status::Proposed));
    assert!(!members.in_force);
    assert_eq!(members.members.len(), 3);
    Ok(())
}

#[test]
fn derbyshire_left_operational_support_after_notice() -> Result {
    let registry = sample();
    let derbyshire = |date| -> std::result::Result<Option<_>, collab_registry::Error> {
        Ok(registry
            .as_of(date)
            .members_of("em-operational-support")?
            .members
            .into_iter()
            .find(|m| m.party.id.as_str() == "derbyshire-police"))
    };
    // Before the notice: a member, no notice shown yet.
    let before = derbyshire(day(2015, 9, 29))?.ok_or("a member before notice")?;
    assert_eq!(before.notice_served, None);
    // Notice served on 30 September 2015, out on 1 April 2016.
    let served = derbyshire(day(2015, 9, 30))?.ok_or("a member while under notice")?;
    assert_eq!(served.notice_served, Some(day(2015, 9, 30)));
    assert_eq!(served.leaves, Some(PartialDate::day(day(2016, 4, 1))));
    assert!(derbyshire(day(2016, 3, 31))?.is_some());
    assert!(derbyshire(day(2016, 4, 1))?.is_none());

    let agreements = |date| -> std::result::Result<Vec<String>, collab_registry::Error> {
        Ok(registry
            .as_of(date)
            .agreements_of("derbyshire-police")?
            .iter()
            .map(|r| r.agreement.id.to_string())
            .collect())
    };
    assert!(agreements(day(2016, 3, 31))?.contains(&"em-operational-support".to_string()));
    assert!(!agreements(day(2016, 4, 1))?.contains(&"em-operational-support".to_string()));
    Ok(())
}

#[test]
fn leicestershire_joined_learning_and_development_in_2016() -> Result {
    let registry = sample();
    let members = |date| -> std::result::Result<Vec<String>, collab_registry::Error> {
        Ok(registry
            .as_of(date)
            .members_of("em-learning-development")?
            .members
            .iter()
            .map(|m| m.party.id.to_string())
            .collect())
    };
    // Derbyshire hosts, so it is listed first.
    assert_eq!(
        members(day(2016, 3, 31))?,
        ["derbyshire-police", "nottinghamshire-police"]
    );
    assert_eq!(
        members(day(2016, 4, 1))?,
        [
            "derbyshire-police",
            "leicestershire-police",
            "nottinghamshire-police"
        ]
    );
    Ok(())
}

#[test]
fn who_leads_or_hosts() -> Result {
    let registry = sample();
    let leads = registry.as_of(today()).leads_and_hosts(None)?;
    let got: Vec<(&str, Role, &str)> = leads
        .iter()
        .map(|l| (l.party.id.as_str(), l.role, l.agreement.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("derbyshire-police", Role::Host, "em-learning-development"),
            (
                "northamptonshire-police",
                Role::Host,
                "em-operational-support"
            ),
            (
                "northamptonshire-police",
                Role::Host,
                "northamptonshire-enabling-services"
            ),
            ("nottinghamshire-police", Role::Lead, "em-major-crime"),
            ("nottinghamshire-police", Role::Lead, "em-public-order"),
        ]
    );
    let one = registry
        .as_of(today())
        .leads_and_hosts(Some("derbyshire-police"))?;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].party.name, "Derbyshire Police");
    assert!(
        registry
            .as_of(today())
            .leads_and_hosts(Some("bedfordshire-police"))?
            .is_empty()
    );
    Ok(())
}

#[test]
fn a_change_of_role_shows_from_its_day() -> Result {
    let mut registry = sample();
    registry.change_role(
        "em-public-order",
        "derbyshire-police",
        Role::Host,
        day(2022, 4, 1),
    )?;
    let hosts = |d| -> std::result::Result<Vec<String>, collab_registry::Error> {
        Ok(registry
            .as_of(d)
            .leads_and_hosts(Some("derbyshire-police"))?
            .iter()
            .map(|l| l.agreement.id.to_string())
            .collect())
    };
    assert_eq!(hosts(day(2022, 3, 31))?, ["em-learning-development"]);
    assert_eq!(
        hosts(day(2022, 4, 1))?,
        ["em-learning-development", "em-public-order"]
    );
    Ok(())
}

#[test]
fn who_does_northamptonshire_police_collaborate_with_and_how_much() -> Result {
    let registry = sample();
    let partners = registry
        .as_of(today())
        .partners_of("northamptonshire-police")?;
    let got: Vec<(&str, usize)> = partners
        .iter()
        .map(|p| (p.party.id.as_str(), p.shared))
        .collect();
    assert_eq!(
        got,
        [
            // The regional programme, major crime, operational support and the alliance.
            ("leicestershire-police", 4),
            ("nottinghamshire-police", 4),
            ("lincolnshire-police", 3),
            // Derbyshire left operational support in 2016.
            ("derbyshire-police", 2),
            ("northamptonshire-fire", 2),
        ]
    );
    assert_eq!(
        ids(partners[4].agreements.iter().map(|a| a.id.as_str())),
        [
            "northamptonshire-enabling-services",
            "northamptonshire-police-fire-response"
        ]
    );
    assert_eq!(partners[4].kind, Some(PartyKind::FireAndRescue));
    // Before Derbyshire left, it shared three.
    let earlier = registry
        .as_of(day(2016, 3, 31))
        .partners_of("northamptonshire-police")?;
    let derbyshire = earlier
        .iter()
        .find(|p| p.party.id.as_str() == "derbyshire-police")
        .ok_or("derbyshire is a partner")?;
    assert_eq!(derbyshire.shared, 3);
    Ok(())
}

#[test]
fn the_bch_forces_are_not_partners_of_the_east_midlands() -> Result {
    let registry = sample();
    let partners = registry.as_of(today()).partners_of("bedfordshire-police")?;
    assert_eq!(
        ids(partners.iter().map(|p| p.party.id.as_str())),
        ["cambridgeshire-constabulary", "hertfordshire-constabulary"]
    );
    // The alliance and its operational support part; the rest is proposed.
    assert!(partners.iter().all(|p| p.shared == 2));
    Ok(())
}

#[test]
fn what_do_the_three_alliance_forces_share() -> Result {
    let registry = sample();
    let shared = registry.as_of(today()).shared_by(&[
        "northamptonshire-police",
        "leicestershire-police",
        "nottinghamshire-police",
    ])?;
    assert_eq!(
        ids(shared.iter().map(|s| s.agreement.id.as_str())),
        [
            "em-collaboration-programme",
            "em-major-crime",
            "em-operational-support",
            "northants-leics-notts-alliance"
        ]
    );
    // Derbyshire declined the alliance, so all five share less.
    let five = registry.as_of(today()).shared_by(&[
        "derbyshire-police",
        "leicestershire-police",
        "lincolnshire-police",
        "northamptonshire-police",
        "nottinghamshire-police",
    ])?;
    assert_eq!(
        ids(five.iter().map(|s| s.agreement.id.as_str())),
        ["em-collaboration-programme", "em-major-crime"]
    );
    assert_eq!(five[1].members.len(), 5);
    Ok(())
}

#[test]
fn shared_by_needs_known_parties_and_at_least_one() {
    let registry = sample();
    let err = registry
        .as_of(today())
        .shared_by(&["northamptonshire-police", "atlantis-police"])
        .expect_err("an unknown party is refused");
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    assert_eq!(err.party_id(), Some("atlantis-police"));
    let err = registry
        .as_of(today())
        .shared_by(&[])
        .expect_err("no party is refused");
    assert_eq!(err.kind(), ErrorKind::NothingToAsk);
}

#[test]
fn the_east_midlands_mix_of_two_three_four_and_five_forces() -> Result {
    // Seeds 000 and 004: "a mix of collaborative activity that sees two,
    // three, four or all five forces taking part".
    let registry = sample();
    let mix = registry
        .as_of(today())
        .sizes_under("em-collaboration-programme")?;
    let got: Vec<(usize, Vec<&str>)> = mix
        .sizes
        .iter()
        .map(|s| (s.size, s.agreements.iter().map(|a| a.id.as_str()).collect()))
        .collect();
    assert_eq!(
        got,
        [
            (2, vec!["em-public-order"]),
            (3, vec!["em-learning-development"]),
            (4, vec!["em-operational-support"]),
            (5, vec!["em-major-crime"]),
        ]
    );
    assert_eq!(mix.within, "under em-collaboration-programme");
    // Before Derbyshire left and Leicestershire joined, there were only pairs and fives.
    let before = registry
        .as_of(day(2016, 3, 31))
        .sizes_under("em-collaboration-programme")?;
    let got: Vec<(usize, usize)> = before.sizes.iter().map(|s| (s.size, s.count)).collect();
    assert_eq!(got, [(2, 2), (5, 2)]);
    Ok(())
}

#[test]
fn sizes_in_a_region_count_the_regions_members() -> Result {
    let registry = sample();
    let mix = registry
        .as_of(today())
        .sizes_in_region("East Midlands", None)?;
    let got: Vec<(usize, Vec<&str>)> = mix
        .sizes
        .iter()
        .map(|s| (s.size, s.agreements.iter().map(|a| a.id.as_str()).collect()))
        .collect();
    assert_eq!(
        got,
        [
            (
                2,
                vec![
                    "em-public-order",
                    "northamptonshire-enabling-services",
                    "northamptonshire-police-fire-response"
                ]
            ),
            (
                3,
                vec!["em-learning-development", "northants-leics-notts-alliance"]
            ),
            (4, vec!["em-operational-support"]),
            (5, vec!["em-collaboration-programme", "em-major-crime"]),
        ]
    );
    // Counting forces only: the "mix of two, three, four or five forces",
    // and Northamptonshire's two collaborations with its fire service.
    let forces = registry
        .as_of(today())
        .sizes_in_region("East Midlands", Some(PartyKind::PoliceForce))?;
    let got: Vec<(usize, Vec<&str>)> = forces
        .sizes
        .iter()
        .map(|s| (s.size, s.agreements.iter().map(|a| a.id.as_str()).collect()))
        .collect();
    assert_eq!(
        got,
        [
            (
                1,
                vec![
                    "northamptonshire-enabling-services",
                    "northamptonshire-police-fire-response"
                ]
            ),
            (2, vec!["em-public-order"]),
            (
                3,
                vec!["em-learning-development", "northants-leics-notts-alliance"]
            ),
            (4, vec!["em-operational-support"]),
            (5, vec!["em-collaboration-programme", "em-major-crime"]),
        ]
    );
    assert_eq!(forces.within, "region East Midlands, police_force");
    let east = registry
        .as_of(today())
        .sizes_in_region("East of England", None)?;
    assert_eq!(east.sizes.len(), 1);
    assert_eq!((east.sizes[0].size, east.sizes[0].count), (3, 2));
    Ok(())
}

#[test]
fn an_unknown_region_is_refused_with_the_regions_there_are() {
    let registry = sample();
    let err = registry
        .as_of(today())
        .sizes_in_region("Wessex", None)
        .expect_err("no party is in Wessex");
    assert_eq!(err.kind(), ErrorKind::NothingToAsk);
    let message = err.to_string();
    assert!(
        message.contains("East Midlands, East of England"),
        "{message}"
    );
}

#[test]
fn agreements_of_exactly_or_at_least_n_members() {
    let registry = sample();
    let q = registry.as_of(today());
    assert_eq!(
        ids(q.with_exactly(2).iter().map(|s| s.agreement.id.as_str())),
        [
            "em-public-order",
            "northamptonshire-enabling-services",
            "northamptonshire-police-fire-response"
        ]
    );
    assert_eq!(
        ids(q.with_exactly(3).iter().map(|s| s.agreement.id.as_str())),
        [
            "bch-operational-support",
            "bch-strategic-alliance",
            "em-learning-development",
            "northants-leics-notts-alliance"
        ]
    );
    assert_eq!(q.with_at_least(4).len(), 3);
    assert_eq!(q.with_at_least(2).len(), 10);
    assert!(q.with_at_least(6).is_empty());
    // The proposed BCH parts count only under any status.
    assert_eq!(q.scope(Scope::AnyStatus).with_exactly(3).len(), 7);
}

#[test]
fn every_function_the_bch_press_release_names_is_in_the_alliance() {
    // Seed 003: functions shared and planned by the three forces.
    let named = [
        Function::ArmedPolicing,
        Function::Procurement,
        Function::ProfessionalStandards,
        Function::RoadsPolicing,
        Function::HumanResources,
        Function::LearningAndDevelopment,
        Function::FirearmsLicensing,
        Function::Finance,
        Function::Fleet,
        Function::Estates,
        Function::Legal,
        Function::Ict,
        Function::PublicContact,
        Function::ControlRoom,
        Function::Custody,
        Function::CrimeRecording,
    ];
    let registry = sample();
    let q = registry.as_of(today());
    for function in named {
        let found = q.by_function(function);
        assert!(
            found
                .iter()
                .any(|s| s.agreement.id.as_str() == "bch-strategic-alliance"),
            "{function} should list the BCH alliance"
        );
    }
    // Already shared: armed policing is in force in the operational support part.
    assert_eq!(
        ids(q
            .by_function(Function::ArmedPolicing)
            .iter()
            .map(|s| s.agreement.id.as_str())),
        [
            "bch-operational-support",
            "bch-strategic-alliance",
            "em-collaboration-programme",
            "em-operational-support"
        ]
    );
    // Planned: custody is only proposed in the support services part.
    assert_eq!(
        ids(q
            .by_function(Function::Custody)
            .iter()
            .map(|s| s.agreement.id.as_str())),
        ["bch-strategic-alliance"]
    );
    assert_eq!(
        ids(q
            .scope(Scope::AnyStatus)
            .by_function(Function::Custody)
            .iter()
            .map(|s| s.agreement.id.as_str())),
        ["bch-strategic-alliance", "bch-support-services"]
    );
    assert!(q.by_function(Function::CyberCrime).is_empty());
}

#[test]
fn a_summary_shows_the_agreement_as_it_stood_that_day() {
    let registry = sample();
    let before = registry.as_of(day(2016, 3, 31)).by_function(Function::Dogs);
    let after = registry.as_of(day(2016, 4, 1)).by_function(Function::Dogs);
    assert_eq!(before[0].agreement.id.as_str(), "em-operational-support");
    assert_eq!(before[0].members.len(), 5);
    assert_eq!(
        ids(after[0].members.iter().map(|m| m.id.as_str())),
        [
            "leicestershire-police",
            "lincolnshire-police",
            "northamptonshire-police",
            "nottinghamshire-police"
        ]
    );
    assert_eq!(
        before[0].legal_basis,
        LegalBases::from(LegalBasis::Section22aPoliceAct1996)
    );
    assert_eq!(
        before[0].part_of.map(|p| p.id.as_str()),
        Some("em-collaboration-programme")
    );
}

#[test]
fn agreements_by_legal_basis() {
    let registry = sample();
    let q = registry.as_of(today());
    assert_eq!(
        ids(q
            .by_legal_basis(LegalBasis::PolicingAndCrimeAct2017)
            .iter()
            .map(|s| s.agreement.id.as_str())),
        [
            "northamptonshire-enabling-services",
            "northamptonshire-police-fire-response"
        ]
    );
    assert_eq!(
        q.by_legal_basis(LegalBasis::Section22aPoliceAct1996).len(),
        7
    );
    assert!(q.by_legal_basis(LegalBasis::Contract).is_empty());
    // Before the 2017 duty's agreements started, none.
    assert!(
        registry
            .as_of(day(2019, 3, 31))
            .by_legal_basis(LegalBasis::PolicingAndCrimeAct2017)
            .is_empty()
    );
}

#[test]
fn the_legal_basis_index_follows_an_amendment_from_its_day() -> Result {
    let mut registry = sample();
    let on = day(2022, 4, 1);
    registry.amend(
        "em-public-order",
        on,
        AmendmentKind::Variation,
        "Remade as a contract",
        |t| t.set_legal_basis(LegalBasis::Contract),
    )?;
    let contracts = |d| -> Vec<String> {
        registry
            .as_of(d)
            .by_legal_basis(LegalBasis::Contract)
            .iter()
            .map(|s| s.agreement.id.to_string())
            .collect()
    };
    assert_eq!(contracts(on), ["em-public-order"]);
    // The day before, it was still a section 22A agreement.
    assert!(contracts(day(2022, 3, 31)).is_empty());
    assert!(
        registry
            .as_of(on)
            .by_legal_basis(LegalBasis::Section22aPoliceAct1996)
            .iter()
            .all(|s| s.agreement.id.as_str() != "em-public-order")
    );
    assert!(
        registry
            .as_of(day(2022, 3, 31))
            .by_legal_basis(LegalBasis::Section22aPoliceAct1996)
            .iter()
            .any(|s| s.agreement.id.as_str() == "em-public-order")
    );
    Ok(())
}

#[test]
fn a_function_added_later_is_not_seen_before_its_day_nor_before_it_was_entered() -> Result {
    let mut registry = sample();
    // Dogs added to public order from 1 April 2022, entered on 10 June.
    registry.amend(
        "em-public-order",
        When::on(day(2022, 4, 1)).entered(day(2022, 6, 10)),
        AmendmentKind::Variation,
        "Dog units join public order",
        |t| {
            let mut functions: Functions = t.functions();
            functions.insert(Function::Dogs);
            t.set_functions(functions);
        },
    )?;
    let dogs = |q: collab_registry::AsOf<'_>| -> Vec<String> {
        q.by_function(Function::Dogs)
            .iter()
            .map(|s| s.agreement.id.to_string())
            .collect()
    };
    assert_eq!(
        dogs(registry.as_of(day(2022, 3, 31))),
        ["em-operational-support"]
    );
    assert_eq!(
        dogs(registry.as_of(day(2022, 5, 1))),
        ["em-operational-support", "em-public-order"]
    );
    // As the register stood on 31 May, the amendment was not yet known.
    assert_eq!(
        dogs(
            registry
                .as_of(day(2022, 5, 1))
                .as_recorded_on(day(2022, 5, 31))
        ),
        ["em-operational-support"]
    );
    assert_eq!(
        dogs(
            registry
                .as_of(day(2022, 5, 1))
                .as_recorded_on(day(2022, 6, 10))
        ),
        ["em-operational-support", "em-public-order"]
    );
    // The summary shows the functions of the day asked.
    let before = registry
        .as_of(day(2022, 3, 31))
        .by_function(Function::PublicOrder);
    let row = before
        .iter()
        .find(|s| s.agreement.id.as_str() == "em-public-order")
        .ok_or("public order is listed")?;
    assert!(!row.functions.contains(Function::Dogs));
    Ok(())
}

#[test]
fn a_title_amended_later_names_the_agreement_as_it_was_on_the_day() -> Result {
    let mut registry = sample();
    let old = registry
        .agreement("em-collaboration-programme")?
        .title()
        .to_string();
    registry.amend(
        "em-collaboration-programme",
        When::on(day(2024, 4, 1)).entered(day(2024, 2, 1)),
        AmendmentKind::Variation,
        "Renamed",
        |t| t.set_title("East Midlands Police Collaboration"),
    )?;
    let title_of = |q: collab_registry::AsOf<'_>| -> std::result::Result<(String, String), collab_registry::Error> {
        let rows = q.agreements_of("lincolnshire-police")?;
        let programme = rows
            .iter()
            .find(|r| r.agreement.id.as_str() == "em-collaboration-programme")
            .map(|r| r.agreement.title.to_string())
            .unwrap_or_default();
        let umbrella = rows
            .iter()
            .find(|r| r.agreement.id.as_str() == "em-major-crime")
            .and_then(|r| r.part_of)
            .map(|p| p.title.to_string())
            .unwrap_or_default();
        Ok((programme, umbrella))
    };
    assert_eq!(
        title_of(registry.as_of(day(2024, 3, 31)))?,
        (old.clone(), old.clone())
    );
    let new = "East Midlands Police Collaboration".to_string();
    assert_eq!(
        title_of(registry.as_of(day(2024, 4, 1)))?,
        (new.clone(), new)
    );
    // Entered in February: as the register stood in January, the old title.
    assert_eq!(
        title_of(
            registry
                .as_of(day(2024, 4, 1))
                .as_recorded_on(day(2024, 1, 31))
        )?,
        (old.clone(), old)
    );
    Ok(())
}

#[test]
fn agreements_by_status_on_a_day() -> Result {
    let registry = sample();
    let q = registry.as_of(today());
    assert_eq!(
        ids(q
            .by_status(Status::Proposed)
            .iter()
            .map(|s| s.agreement.id.as_str())),
        [
            "bch-people-services",
            "bch-support-services",
            "nln-contact-management"
        ]
    );
    assert_eq!(q.by_status(Status::Active).len(), 10);
    assert!(q.by_status(Status::Terminated).is_empty());
    // In 2013 only the two 2012 collaborations had a status.
    assert_eq!(
        ids(registry
            .as_of(day(2013, 1, 1))
            .by_status(Status::Active)
            .iter()
            .map(|s| s.agreement.id.as_str())),
        ["em-major-crime", "em-operational-support"]
    );
    // A termination shows from its day, and the agreement leaves the in-force lists.
    let mut ended = sample();
    ended.terminate("em-public-order", day(2022, 4, 1), None)?;
    assert_eq!(
        ids(ended
            .as_of(day(2022, 4, 1))
            .by_status(Status::Terminated)
            .iter()
            .map(|s| s.agreement.id.as_str())),
        ["em-public-order"]
    );
    assert!(
        ended
            .as_of(day(2022, 4, 1))
            .with_exactly(2)
            .iter()
            .all(|s| s.agreement.id.as_str() != "em-public-order")
    );
    assert!(
        ended
            .as_of(day(2022, 3, 31))
            .with_exactly(2)
            .iter()
            .any(|s| s.agreement.id.as_str() == "em-public-order")
    );
    Ok(())
}

#[test]
fn a_terminated_agreement_has_no_members_after_its_end() -> Result {
    let mut registry = sample();
    registry.terminate("em-public-order", day(2022, 4, 1), None)?;
    let before = registry
        .as_of(day(2022, 3, 31))
        .members_of("em-public-order")?;
    assert_eq!(before.members.len(), 2);
    assert!(!before.ended);
    // Named, it still answers, with its status; but nobody is a member.
    let after = registry
        .as_of(day(2022, 4, 1))
        .members_of("em-public-order")?;
    assert_eq!(after.status, Some(Status::Terminated));
    assert!(after.ended && !after.in_force);
    assert!(after.members.is_empty());
    // Nor does it show among Derbyshire's agreements, whatever the scope.
    for scope in [Scope::InForce, Scope::AnyStatus] {
        assert!(
            registry
                .as_of(day(2022, 4, 1))
                .scope(scope)
                .agreements_of("derbyshire-police")?
                .iter()
                .all(|r| r.agreement.id.as_str() != "em-public-order")
        );
    }
    assert!(
        registry
            .as_of(day(2022, 4, 1))
            .signatories("em-public-order")?
            .is_empty()
    );
    Ok(())
}

#[test]
fn an_agreement_past_its_fixed_end_has_no_members() -> Result {
    let mut registry = sample();
    registry.amend(
        "em-public-order",
        day(2021, 4, 1),
        AmendmentKind::Variation,
        "Ends in 2023",
        |t| t.set_end(Some(day(2023, 4, 1))),
    )?;
    let q = registry.as_of(day(2023, 4, 1));
    let members = q.members_of("em-public-order")?;
    assert!(members.ended && members.members.is_empty());
    assert_eq!(members.status, Some(Status::Active));
    assert_eq!(
        registry
            .as_of(day(2023, 3, 31))
            .members_of("em-public-order")?
            .members
            .len(),
        2
    );
    Ok(())
}

#[test]
fn everything_under_an_umbrella() -> Result {
    let registry = sample();
    let parts = registry
        .as_of(today())
        .under("em-collaboration-programme")?;
    let got: Vec<(usize, &str, &str)> = parts
        .iter()
        .map(|p| {
            (
                p.depth,
                p.parent.id.as_str(),
                p.summary.agreement.id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "em-collaboration-programme", "em-learning-development"),
            (1, "em-collaboration-programme", "em-major-crime"),
            (1, "em-collaboration-programme", "em-operational-support"),
            (1, "em-collaboration-programme", "em-public-order"),
        ]
    );
    let bch = registry.as_of(today()).under("bch-strategic-alliance")?;
    assert_eq!(
        ids(bch.iter().map(|p| p.summary.agreement.id.as_str())),
        ["bch-operational-support"]
    );
    assert!(registry.as_of(today()).under("em-major-crime")?.is_empty());
    Ok(())
}

#[test]
fn an_agreement_sits_under_the_umbrella_it_had_on_the_day() -> Result {
    let mut registry = sample();
    // Public order moves to the alliance from 1 April 2022, entered in May.
    registry.amend(
        "em-public-order",
        When::on(day(2022, 4, 1)).entered(day(2022, 5, 3)),
        AmendmentKind::Variation,
        "Moved under the alliance",
        |t| {
            t.set_part_of(Some(
                AgreementId::new("northants-leics-notts-alliance").expect("an id"),
            ));
        },
    )?;
    let under = |q: collab_registry::AsOf<'_>,
                 umbrella: &str|
     -> std::result::Result<Vec<String>, collab_registry::Error> {
        Ok(q.under(umbrella)?
            .iter()
            .map(|p| p.summary.agreement.id.to_string())
            .collect())
    };
    let before = registry.as_of(day(2022, 3, 31));
    assert!(under(before, "em-collaboration-programme")?.contains(&"em-public-order".to_string()));
    assert!(
        !under(before, "northants-leics-notts-alliance")?.contains(&"em-public-order".to_string())
    );
    let after = registry.as_of(day(2022, 6, 1));
    assert!(!under(after, "em-collaboration-programme")?.contains(&"em-public-order".to_string()));
    assert_eq!(
        under(after, "northants-leics-notts-alliance")?,
        ["em-public-order"]
    );
    // As the register stood before the move was entered: still under the programme.
    let then = registry
        .as_of(day(2022, 4, 10))
        .as_recorded_on(day(2022, 4, 30));
    assert!(under(then, "em-collaboration-programme")?.contains(&"em-public-order".to_string()));
    assert_eq!(
        then.sizes_under("em-collaboration-programme")?
            .sizes
            .iter()
            .map(|s| s.size)
            .collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
    // A summary names the umbrella of the day asked.
    let part_of = |d| {
        registry
            .as_of(d)
            .by_function(Function::PublicOrder)
            .iter()
            .find(|s| s.agreement.id.as_str() == "em-public-order")
            .and_then(|s| s.part_of)
            .map(|p| p.id.to_string())
    };
    assert_eq!(
        part_of(day(2022, 3, 31)).as_deref(),
        Some("em-collaboration-programme")
    );
    assert_eq!(
        part_of(day(2022, 6, 1)).as_deref(),
        Some("northants-leics-notts-alliance")
    );
    Ok(())
}

#[test]
fn umbrellas_nest_to_any_depth() -> Result {
    // A programme over a workstream over two projects.
    let registry = handmade(
        &[],
        vec![
            pact("programme", &["a-police", "b-police"], None),
            pact("workstream", &["a-police", "b-police"], Some("programme")),
            pact("project-b", &["a-police", "b-police"], Some("workstream")),
            pact("project-a", &["a-police", "b-police"], Some("workstream")),
            pact("side", &["a-police", "b-police"], Some("programme")),
        ],
    );
    let parts = registry.as_of(day(2021, 1, 1)).under("programme")?;
    let got: Vec<(usize, &str, &str)> = parts
        .iter()
        .map(|p| {
            (
                p.depth,
                p.parent.id.as_str(),
                p.summary.agreement.id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "programme", "side"),
            (1, "programme", "workstream"),
            (2, "workstream", "project-a"),
            (2, "workstream", "project-b"),
        ]
    );
    let sizes = registry.as_of(day(2021, 1, 1)).sizes_under("programme")?;
    assert_eq!(sizes.sizes.len(), 1);
    assert_eq!((sizes.sizes[0].size, sizes.sizes[0].count), (2, 4));
    Ok(())
}

fn selectors(names: &[&str]) -> Vec<SectorOrKind> {
    names
        .iter()
        .map(|n| n.parse().expect("a sector or kind"))
        .collect()
}

#[test]
fn police_with_fire_and_police_with_a_council() {
    // Seed 001: Northamptonshire police and fire share enabling services.
    let registry = sample();
    let q = registry.as_of(today());
    // The old question named the sector "policing", which held both forces
    // and commissioners; forces are now the sector "police" (commissioners
    // are "policing_body"), so the same question is asked with "police".
    let police_fire = q.cross_sector(&selectors(&["police", "fire_and_rescue"]));
    assert_eq!(
        ids(police_fire.iter().map(|c| c.summary.agreement.id.as_str())),
        [
            "northamptonshire-enabling-services",
            "northamptonshire-police-fire-response"
        ]
    );
    assert_eq!(
        police_fire[0].sectors,
        [Sector::Police, Sector::FireAndRescue]
    );
    assert_eq!(
        police_fire[0].kinds,
        [PartyKind::PoliceForce, PartyKind::FireAndRescue]
    );
    // No sample agreement has a commissioner as a member, so nothing else
    // crosses sectors.
    assert_eq!(q.cross_sector(&[]), police_fire);
    // The county council oversaw the fire service but is a member of nothing.
    assert!(
        q.cross_sector(&selectors(&["police", "local_government"]))
            .is_empty()
    );
    // Before 2019 the duty's agreements had not started.
    assert!(
        registry
            .as_of(day(2019, 3, 31))
            .cross_sector(&[])
            .is_empty()
    );
}

#[test]
fn cross_sector_by_kind_and_by_sector() {
    let registry = sample();
    let q = registry.as_of(today());
    let by_kind = q.cross_sector(&[
        SectorOrKind::Kind(PartyKind::PoliceForce),
        SectorOrKind::Kind(PartyKind::FireAndRescue),
    ]);
    let by_sector = q.cross_sector(&[Sector::Police.into(), Sector::FireAndRescue.into()]);
    assert_eq!(by_kind, by_sector);
    assert_eq!(by_kind.len(), 2);
    // Forces alone are in many agreements, but only two cross sectors.
    assert_eq!(q.cross_sector(&[PartyKind::PoliceForce.into()]).len(), 2);
    assert!(q.cross_sector(&[PartyKind::PolicingBody.into()]).is_empty());
    assert!(q.cross_sector(&[Sector::Health.into()]).is_empty());
}

#[test]
fn cross_sector_with_a_council_on_a_hand_made_registry() {
    let registry = handmade(
        &[
            ("shire-council", "local_authority"),
            ("shire-fire", "fire_and_rescue"),
            ("shire-pcc", "policing_body"),
        ],
        vec![
            pact("shared-buildings", &["shire-police", "shire-council"], None),
            pact("joint-response", &["shire-police", "shire-fire"], None),
            pact(
                "tri-service",
                &["shire-police", "shire-fire", "shire-council"],
                None,
            ),
            pact("police-only", &["shire-police", "other-police"], None),
            pact(
                "force-and-commissioner",
                &["shire-police", "shire-pcc"],
                None,
            ),
        ],
    );
    let q = registry.as_of(day(2021, 1, 1));
    let council = q.cross_sector(&selectors(&["police", "local_government"]));
    assert_eq!(
        ids(council.iter().map(|c| c.summary.agreement.id.as_str())),
        ["shared-buildings", "tri-service"]
    );
    assert_eq!(
        council[1].sectors,
        [
            Sector::Police,
            Sector::FireAndRescue,
            Sector::LocalGovernment
        ]
    );
    // The council asked for by its kind gives the same.
    assert_eq!(
        q.cross_sector(&selectors(&["police_force", "local_authority"])),
        council
    );
    // A force with its commissioner now crosses sectors: police forces and
    // policing bodies are different sectors (they were one, "policing").
    let all = q.cross_sector(&[]);
    assert_eq!(
        ids(all.iter().map(|c| c.summary.agreement.id.as_str())),
        [
            "force-and-commissioner",
            "joint-response",
            "shared-buildings",
            "tri-service"
        ]
    );
    assert_eq!(all[0].sectors, [Sector::Police, Sector::PolicingBody]);
    assert_eq!(q.cross_sector(&selectors(&["fire_and_rescue"])).len(), 2);
    assert_eq!(q.cross_sector(&selectors(&["policing_body"])).len(), 1);
}

#[test]
fn an_unknown_sector_is_refused_when_read() {
    // "policing" was a sector; it is now two, "police" and "policing_body".
    for name in ["policing", "police-force", ""] {
        let err = name
            .parse::<SectorOrKind>()
            .expect_err("not a sector nor a kind");
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
    }
    let err = "policing".parse::<SectorOrKind>().expect_err("unknown");
    let message = err.to_string();
    assert!(message.contains("police, policing_body"), "{message}");
    assert!(message.contains("police_force"), "{message}");
    // A name that is both is read as the sector.
    assert_eq!(
        "fire_and_rescue".parse::<SectorOrKind>().ok(),
        Some(SectorOrKind::Sector(Sector::FireAndRescue))
    );
    assert_eq!(
        "local_authority".parse::<SectorOrKind>().ok(),
        Some(SectorOrKind::Kind(PartyKind::LocalAuthority))
    );
}

#[test]
fn derbyshire_and_lincolnshire_declined_the_2015_alliance() -> Result {
    // Seed 002: "Derbyshire and Lincolnshire were approached about being part
    // of the alliance but declined to take part."
    let registry = sample();
    let declined = registry.as_of(today()).declined(None)?;
    let got: Vec<(&str, &str)> = declined
        .iter()
        .map(|d| (d.agreement.id.as_str(), d.party.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("northants-leics-notts-alliance", "derbyshire-police"),
            ("northants-leics-notts-alliance", "lincolnshire-police"),
        ]
    );
    assert!(declined[0].note.is_some_and(|n| n.contains("declined")));
    assert_eq!(declined[0].party.name, "Derbyshire Police");
    assert_eq!(declined[0].on, None);
    assert!(!declined[0].approximate);
    let derbyshire = registry
        .as_of(today())
        .declined(Some("derbyshire-police"))?;
    assert_eq!(derbyshire.len(), 1);
    assert!(
        registry
            .as_of(today())
            .declined(Some("northamptonshire-police"))?
            .is_empty()
    );
    // An undated decline shows from the agreement's start.
    assert!(registry.as_of(day(2015, 5, 31)).declined(None)?.is_empty());
    assert_eq!(registry.as_of(day(2015, 6, 1)).declined(None)?.len(), 2);
    Ok(())
}

#[test]
fn three_forces_make_six_signatories() -> Result {
    let registry = sample();
    let signatories = registry
        .as_of(day(2016, 1, 1))
        .signatories("bch-strategic-alliance")?;
    // Members first, in membership order, then their commissioners.
    assert_eq!(
        ids(signatories.iter().map(|s| s.party.id.as_str())),
        [
            "bedfordshire-police",
            "cambridgeshire-constabulary",
            "hertfordshire-constabulary",
            "bedfordshire-pcc",
            "cambridgeshire-pcc",
            "hertfordshire-pcc"
        ]
    );
    assert!(
        signatories[..3]
            .iter()
            .all(|s| s.member && s.overseeing.is_empty())
    );
    assert!(signatories[3..].iter().all(|s| !s.member));
    assert_eq!(signatories[3].kind, Some(PartyKind::PolicingBody));
    assert_eq!(
        ids(signatories[3].overseeing.iter().map(|p| p.id.as_str())),
        ["bedfordshire-police"]
    );
    // Police and fire under one commissioner: three signatories, not four.
    let enabling = registry
        .as_of(today())
        .signatories("northamptonshire-enabling-services")?;
    assert_eq!(
        ids(enabling.iter().map(|s| s.party.id.as_str())),
        [
            "northamptonshire-police",
            "northamptonshire-fire",
            "northamptonshire-pfcc"
        ]
    );
    assert_eq!(
        ids(enabling[2].overseeing.iter().map(|p| p.id.as_str())),
        ["northamptonshire-police", "northamptonshire-fire"]
    );
    // Before any member joined, nobody signs.
    assert!(
        registry
            .as_of(day(2015, 3, 31))
            .signatories("bch-strategic-alliance")?
            .is_empty()
    );
    Ok(())
}

#[test]
fn signatories_follow_oversight_on_the_day() -> Result {
    let mut registry = sample();
    // Suppose fire governance left the commissioner on 1 April 2024.
    registry.end_oversight(
        "northamptonshire-fire",
        "northamptonshire-pfcc",
        day(2024, 4, 1),
    )?;
    let on = |d| -> std::result::Result<Vec<(String, usize)>, collab_registry::Error> {
        Ok(registry
            .as_of(d)
            .signatories("northamptonshire-enabling-services")?
            .iter()
            .map(|s| (s.party.id.to_string(), s.overseeing.len()))
            .collect())
    };
    assert_eq!(
        on(day(2024, 3, 31))?[2],
        ("northamptonshire-pfcc".to_string(), 2)
    );
    assert_eq!(
        on(day(2024, 4, 1))?[2],
        ("northamptonshire-pfcc".to_string(), 1)
    );
    Ok(())
}

#[test]
fn unknown_ids_are_refused_as_unknown() {
    let registry = sample();
    let q = registry.as_of(today());
    let kind = |e: collab_registry::Error| e.kind();
    assert_eq!(
        q.agreements_of("atlantis-police").map_err(kind).err(),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        q.members_of("atlantis-alliance").map_err(kind).err(),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        q.partners_of("x").map_err(kind).err(),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(q.under("x").map_err(kind).err(), Some(ErrorKind::UnknownId));
    assert_eq!(
        q.sizes_under("x").map_err(kind).err(),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        q.declined(Some("x")).map_err(kind).err(),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        q.leads_and_hosts(Some("x")).map_err(kind).err(),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        q.signatories("x").map_err(kind).err(),
        Some(ErrorKind::UnknownId)
    );
    let err = q.members_of("atlantis-alliance").expect_err("unknown");
    assert_eq!(err.agreement_id(), Some("atlantis-alliance"));
}

#[test]
fn an_agreement_entered_later_is_unknown_as_the_register_stood_before() -> Result {
    let mut registry = handmade(&[], vec![pact("first", &["a-police", "b-police"], None)]);
    let start = day(2020, 4, 1);
    let second = Agreement::builder(AgreementId::new("second")?, "second", start)
        .legal_basis(LegalBasis::Contract)
        .active_from(start)
        .member(Membership::new(
            PartyId::new("a-police")?,
            Role::Member,
            start,
        ))
        .member(Membership::new(
            PartyId::new("b-police")?,
            Role::Member,
            start,
        ))
        .entered(day(2021, 6, 1))
        .build()?;
    registry.add_agreement(second)?;
    let q = registry.as_of(day(2021, 1, 1));
    assert_eq!(q.agreements_of("a-police")?.len(), 2);
    let then = q.as_recorded_on(day(2021, 5, 31));
    assert_eq!(
        ids(then
            .agreements_of("a-police")?
            .iter()
            .map(|r| r.agreement.id.as_str())),
        ["first"]
    );
    assert_eq!(
        then.members_of("second").map_err(|e| e.kind()).err(),
        Some(ErrorKind::UnknownId)
    );
    Ok(())
}

#[test]
fn answers_serialise_for_reporting_services() -> Result {
    let registry = sample();
    let rows = registry
        .as_of(day(2015, 10, 1))
        .agreements_of("derbyshire-police")?;
    let value = serde_json::to_value(&rows)?;
    let ops = value
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["agreement"]["id"] == "em-operational-support")
        })
        .ok_or("operational support is listed")?;
    assert_eq!(
        ops,
        &json!({
            "agreement": {"id": "em-operational-support", "title": ops["agreement"]["title"]},
            "status": "active",
            "part_of": {"id": "em-collaboration-programme", "title": "East Midlands regional collaboration programme"},
            "role": "member",
            "by_class": false,
            "joined": "2012-04-01",
            "notice_served": "2015-09-30",
            "leaves": "2016-04-01",
            "approximate": false,
        })
    );
    // Absent values are null, not missing.
    let programme = value
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["agreement"]["id"] == "em-collaboration-programme")
        })
        .ok_or("the programme is listed")?;
    assert_eq!(programme["part_of"], Value::Null);
    assert_eq!(programme["leaves"], Value::Null);
    let sizes = serde_json::to_value(
        registry
            .as_of(today())
            .sizes_under("em-collaboration-programme")?,
    )?;
    assert_eq!(sizes["sizes"][0]["size"], 2);
    assert_eq!(sizes["sizes"][0]["agreements"][0]["id"], "em-public-order");
    let entry = serde_json::to_value(registry.as_of(today()).under("bch-strategic-alliance")?)?;
    assert_eq!(entry[0]["depth"], 1);
    assert_eq!(entry[0]["agreement"]["id"], "bch-operational-support");
    assert_eq!(entry[0]["parent"]["id"], "bch-strategic-alliance");
    let cross = serde_json::to_value(registry.as_of(today()).cross_sector(&[]))?;
    assert_eq!(cross[0]["sectors"], json!(["police", "fire_and_rescue"]));
    assert_eq!(
        cross[0]["kinds"],
        json!(["police_force", "fire_and_rescue"])
    );
    assert_eq!(
        cross[0]["functions"],
        json!(["human_resources", "ict", "finance", "estates"])
    );
    Ok(())
}

#[test]
fn the_same_question_gives_the_same_bytes() -> Result {
    let registry = sample();
    let again = Registry::from_json_str(&registry.to_json_string())?;
    let one = serde_json::to_string(
        &registry
            .as_of(today())
            .partners_of("leicestershire-police")?,
    )?;
    let two = serde_json::to_string(&again.as_of(today()).partners_of("leicestershire-police")?)?;
    assert_eq!(one, two);
    Ok(())
}

#[test]
fn a_date_known_only_to_a_month_is_counted_from_its_first_day_and_marked() -> Result {
    let mut loose = pact("loose", &["a-police", "b-police", "c-police"], None);
    loose["members"][2]["joined"] = json!("2020-06");
    loose["declined"] = json!([{"party": "d-police", "on": "2020"}]);
    let registry = handmade(&[("d-police", "police_force")], vec![loose]);
    let rows = registry.as_of(day(2020, 6, 1)).agreements_of("c-police")?;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].approximate);
    assert_eq!(rows[0].joined, PartialDate::month(2020, 6)?);
    assert!(
        registry
            .as_of(day(2020, 5, 31))
            .agreements_of("c-police")?
            .is_empty()
    );
    let members = registry.as_of(day(2020, 6, 1)).members_of("loose")?;
    let exact: Vec<(&str, bool)> = members
        .members
        .iter()
        .map(|m| (m.party.id.as_str(), m.approximate))
        .collect();
    assert_eq!(
        exact,
        [("a-police", false), ("b-police", false), ("c-police", true)]
    );
    let declined = registry.as_of(day(2020, 6, 1)).declined(Some("d-police"))?;
    assert_eq!(declined.len(), 1);
    assert!(declined[0].approximate);
    assert_eq!(serde_json::to_value(&rows[0])?["joined"], json!("2020-06"));
    Ok(())
}

/// Two agreements from 1 April 2020: `ended` (a force leading, with a fire
/// service, both of the North) and `other` (the fire service and a second
/// force), all in one region. `ended` is ended on 1 April 2021 by
/// `finish`.
fn ended_registry(
    finish: impl FnOnce(&mut Registry) -> Result,
) -> std::result::Result<Registry, Box<dyn std::error::Error>> {
    let party =
        |id: &str, kind: &str| json!({"id": id, "name": id, "kind": kind, "region": "North"});
    let mut ended = pact("ended", &["a-police", "north-fire"], None);
    ended["members"][0]["role"] = json!("lead");
    let doc = json!({
        "schema_version": 2,
        "parties": [party("a-police", "police_force"), party("b-police", "police_force"),
                    party("north-fire", "fire_and_rescue")],
        "agreements": [ended, pact("other", &["north-fire", "b-police"], None)],
    });
    let mut registry = Registry::from_json_str(&doc.to_string())?;
    finish(&mut registry)?;
    Ok(registry)
}

#[test]
fn an_ended_agreements_members_are_listed_by_no_question_after_its_end() -> Result {
    let terminated = ended_registry(|r| Ok(r.terminate("ended", day(2021, 4, 1), None)?))?;
    let expired = ended_registry(|r| {
        r.amend(
            "ended",
            day(2020, 4, 1),
            AmendmentKind::Variation,
            "A fixed end",
            |t| t.set_end(Some(day(2021, 4, 1))),
        )?;
        Ok(())
    })?;
    for registry in [&terminated, &expired] {
        // The day before its end, every question sees it.
        let before = registry.as_of(day(2021, 3, 31));
        assert_eq!(before.members_of("ended")?.members.len(), 2);
        assert_eq!(before.agreements_of("a-police")?.len(), 1);
        assert_eq!(before.partners_of("north-fire")?.len(), 2);
        assert_eq!(before.network().links().len(), 2);
        for scope in [Scope::InForce, Scope::AnyStatus] {
            let on = registry.as_of(day(2021, 4, 1)).scope(scope);
            let members = on.members_of("ended")?;
            assert!(members.ended && members.members.is_empty());
            assert!(on.agreements_of("a-police")?.is_empty());
            assert!(on.partners_of("a-police")?.is_empty());
            let partners = on.partners_of("north-fire")?;
            assert_eq!(
                ids(partners.iter().map(|p| p.party.id.as_str())),
                ["b-police"]
            );
            assert!(on.shared_by(&["a-police", "north-fire"])?.is_empty());
            assert!(on.signatories("ended")?.is_empty());
            assert!(on.leads_and_hosts(None)?.is_empty());
            assert!(on.leads_and_hosts(Some("a-police"))?.is_empty());
            assert_eq!(
                ids(on.with_at_least(1).iter().map(|s| s.agreement.id.as_str())),
                ["other"]
            );
            let sizes = on.sizes_in_region("North", None)?;
            let counted: Vec<(usize, Vec<&str>)> = sizes
                .sizes
                .iter()
                .map(|s| (s.size, s.agreements.iter().map(|a| a.id.as_str()).collect()))
                .collect();
            assert_eq!(counted, [(2, vec!["other"])]);
            let cross = on.cross_sector(&[]);
            assert_eq!(
                ids(cross.iter().map(|c| c.summary.agreement.id.as_str())),
                ["other"]
            );
            let network = on.network();
            let links: Vec<(&str, &str)> = network
                .links()
                .iter()
                .map(|l| (l.a.id.as_str(), l.b.id.as_str()))
                .collect();
            assert_eq!(links, [("b-police", "north-fire")]);
            assert!(
                network
                    .parties()
                    .iter()
                    .all(|p| p.id.as_str() != "a-police")
            );
        }
    }
    Ok(())
}

/// One agreement under two legal bases (a section 22A collaboration whose
/// members also provide each other aid under section 23; illustrative) is
/// listed under each basis, and under neither `other` nor `not_stated`;
/// one whose source states no basis is listed under `not_stated` only.
#[test]
fn an_agreement_under_two_legal_bases_is_found_under_each() -> Result {
    let force = |id: &str| json!({"id": id, "name": id, "kind": "police_force"});
    let agreement = |id: &str, basis: Value| {
        json!({
            "id": id,
            "title": id,
            "legal_basis": basis,
            "start": "2020-04-01",
            "status": [{"status": "active", "from": "2020-04-01"}],
            "members": [
                {"party": "force-a", "role": "lead", "joined": "2020-04-01"},
                {"party": "force-b", "role": "member", "joined": "2020-04-01"}
            ],
            "illustrative": ["legal_basis", "members", "start", "status", "title"]
        })
    };
    let registry = Registry::from_json_str(
        &json!({
            "schema_version": 2,
            "currency": "GBP",
            "parties": [force("force-a"), force("force-b")],
            "agreements": [
                agreement(
                    "mutual-aid-unit",
                    json!(["section_22a_police_act_1996", "section_23_police_act_1996"])
                ),
                agreement("unstated", json!("not_stated")),
            ]
        })
        .to_string(),
    )?;
    let on = registry.as_of(day(2021, 1, 1));
    let ids = |basis: LegalBasis| -> Vec<String> {
        on.by_legal_basis(basis)
            .iter()
            .map(|s| s.agreement.id.to_string())
            .collect()
    };
    assert_eq!(
        ids(LegalBasis::Section22aPoliceAct1996),
        ["mutual-aid-unit"]
    );
    assert_eq!(ids(LegalBasis::Section23PoliceAct1996), ["mutual-aid-unit"]);
    assert_eq!(ids(LegalBasis::NotStated), ["unstated"]);
    assert!(ids(LegalBasis::Other).is_empty());
    let both = on.agreement("mutual-aid-unit")?.legal_basis();
    assert_eq!(both.iter().count(), 2);
    assert_eq!(both.single(), None);
    Ok(())
}
