//! The questions collaboration officers and analysts ask, put to the sample
//! registry and checked against the source documents (see
//! `/data/README.md` and the seeds it names).

mod handmade;

use chrono::NaiveDate;
use collab_registry::{
    Error, Function, LegalBasis, PartyKind, Registry, Role, Scope, Status, parse_date,
};
use handmade::Handmade;
use serde_json::json;

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

#[test]
fn which_agreements_does_northamptonshire_police_take_part_in_and_with_what_role() -> Result {
    let registry = sample();
    let rows = registry
        .as_of(today())
        .agreements_of("northamptonshire-police")?;
    let got: Vec<(&str, Role)> = rows
        .iter()
        .map(|r| (r.agreement.as_str(), r.role))
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
    let ops = rows
        .iter()
        .find(|r| r.agreement.as_str() == "em-major-crime")
        .ok_or("em-major-crime is listed")?;
    assert_eq!(
        ops.part_of.map(|a| a.as_str()),
        Some("em-collaboration-programme")
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
        .map(|r| r.agreement.as_str())
        .collect();
    assert_eq!(proposed, ["nln-contact-management"]);
    // In force only, it does not count; nor before its members join.
    let in_force = registry
        .as_of(day(2017, 6, 1))
        .agreements_of("northamptonshire-police")?;
    assert!(
        in_force
            .iter()
            .all(|r| r.agreement.as_str() != "nln-contact-management")
    );
    let before = registry
        .as_of(day(2017, 5, 31))
        .scope(Scope::AnyStatus)
        .agreements_of("northamptonshire-police")?;
    assert!(
        before
            .iter()
            .all(|r| r.agreement.as_str() != "nln-contact-management")
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
            .map(|r| r.agreement.as_str())),
        ["em-major-crime", "em-operational-support"]
    );
    assert!(
        early
            .scope(Scope::AnyStatus)
            .agreements_of("derbyshire-police")?
            .iter()
            .all(|r| r.agreement.as_str() != "em-collaboration-programme")
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
    assert_eq!(
        ids(members.members.iter().map(|m| m.party.as_str())),
        [
            "bedfordshire-police",
            "cambridgeshire-constabulary",
            "hertfordshire-constabulary"
        ]
    );
    assert!(
        members
            .members
            .iter()
            .all(|m| m.kind == PartyKind::PoliceForce)
    );
    Ok(())
}

#[test]
fn members_list_leads_and_hosts_first() -> Result {
    let registry = sample();
    let members = registry.as_of(today()).members_of("em-major-crime")?;
    assert_eq!(members.members[0].party.as_str(), "nottinghamshire-police");
    assert_eq!(members.members[0].role, Role::Lead);
    assert_eq!(
        ids(members.members[1..].iter().map(|m| m.party.as_str())),
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
    assert_eq!(members.members.len(), 3);
    Ok(())
}

#[test]
fn derbyshire_left_operational_support_after_notice() -> Result {
    let registry = sample();
    let derbyshire = |date| -> std::result::Result<Option<_>, Error> {
        Ok(registry
            .as_of(date)
            .members_of("em-operational-support")?
            .members
            .into_iter()
            .find(|m| m.party.as_str() == "derbyshire-police"))
    };
    // Before the notice: a member, no notice shown yet, the leaving day recorded.
    let before = derbyshire(day(2015, 9, 29))?.ok_or("a member before notice")?;
    assert_eq!(before.notice_served, None);
    // Notice served on 30 September 2015, out on 1 April 2016.
    let served = derbyshire(day(2015, 9, 30))?.ok_or("a member while under notice")?;
    assert_eq!(served.notice_served, Some(day(2015, 9, 30)));
    assert_eq!(served.leaves, Some(day(2016, 4, 1)));
    assert!(derbyshire(day(2016, 3, 31))?.is_some());
    assert!(derbyshire(day(2016, 4, 1))?.is_none());

    let agreements = |date| -> std::result::Result<Vec<String>, Error> {
        Ok(registry
            .as_of(date)
            .agreements_of("derbyshire-police")?
            .iter()
            .map(|r| r.agreement.to_string())
            .collect())
    };
    assert!(agreements(day(2016, 3, 31))?.contains(&"em-operational-support".to_string()));
    assert!(!agreements(day(2016, 4, 1))?.contains(&"em-operational-support".to_string()));
    Ok(())
}

#[test]
fn leicestershire_joined_learning_and_development_in_2016() -> Result {
    let registry = sample();
    let members = |date| -> std::result::Result<Vec<String>, Error> {
        Ok(registry
            .as_of(date)
            .members_of("em-learning-development")?
            .members
            .iter()
            .map(|m| m.party.to_string())
            .collect())
    };
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
        .map(|l| (l.party.as_str(), l.role, l.agreement.as_str()))
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
    assert_eq!(one[0].name, "Derbyshire Police");
    assert!(
        registry
            .as_of(today())
            .leads_and_hosts(Some("bedfordshire-police"))?
            .is_empty()
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
        .map(|p| (p.party.as_str(), p.shared))
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
        ids(partners[4].agreements.iter().map(|a| a.as_str())),
        [
            "northamptonshire-enabling-services",
            "northamptonshire-police-fire-response"
        ]
    );
    assert_eq!(partners[4].kind, PartyKind::FireAndRescue);
    // Before Derbyshire left, it shared three.
    let earlier = registry
        .as_of(day(2016, 3, 31))
        .partners_of("northamptonshire-police")?;
    let derbyshire = earlier
        .iter()
        .find(|p| p.party.as_str() == "derbyshire-police")
        .ok_or("derbyshire is a partner")?;
    assert_eq!(derbyshire.shared, 3);
    Ok(())
}

#[test]
fn the_bch_forces_are_not_partners_of_the_east_midlands() -> Result {
    let registry = sample();
    let partners = registry.as_of(today()).partners_of("bedfordshire-police")?;
    assert_eq!(
        ids(partners.iter().map(|p| p.party.as_str())),
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
        ids(shared.iter().map(|s| s.agreement.as_str())),
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
        ids(five.iter().map(|s| s.agreement.as_str())),
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
    assert_eq!(err.to_string(), "unknown party \"atlantis-police\"");
    let err = registry
        .as_of(today())
        .shared_by(&[])
        .expect_err("no party is refused");
    assert!(err.to_string().contains("name at least one party"), "{err}");
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
        .map(|s| (s.size, s.agreements.iter().map(|a| a.as_str()).collect()))
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
        .map(|s| (s.size, s.agreements.iter().map(|a| a.as_str()).collect()))
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
        .map(|s| (s.size, s.agreements.iter().map(|a| a.as_str()).collect()))
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
    let message = err.to_string();
    assert!(message.contains("region \"Wessex\""), "{message}");
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
        ids(q.with_exactly(2).iter().map(|s| s.agreement.as_str())),
        [
            "em-public-order",
            "northamptonshire-enabling-services",
            "northamptonshire-police-fire-response"
        ]
    );
    assert_eq!(
        ids(q.with_exactly(3).iter().map(|s| s.agreement.as_str())),
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
                .any(|s| s.agreement.as_str() == "bch-strategic-alliance"),
            "{} should list the BCH alliance",
            function.as_str()
        );
    }
    // Already shared: armed policing is in force in the operational support part.
    assert_eq!(
        ids(q
            .by_function(Function::ArmedPolicing)
            .iter()
            .map(|s| s.agreement.as_str())),
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
            .map(|s| s.agreement.as_str())),
        ["bch-strategic-alliance"]
    );
    assert_eq!(
        ids(q
            .scope(Scope::AnyStatus)
            .by_function(Function::Custody)
            .iter()
            .map(|s| s.agreement.as_str())),
        ["bch-strategic-alliance", "bch-support-services"]
    );
    assert!(q.by_function(Function::CyberCrime).is_empty());
}

#[test]
fn a_summary_shows_the_agreement_as_it_stood_that_day() -> Result {
    let registry = sample();
    let before = registry.as_of(day(2016, 3, 31)).by_function(Function::Dogs);
    let after = registry.as_of(day(2016, 4, 1)).by_function(Function::Dogs);
    assert_eq!(before[0].agreement.as_str(), "em-operational-support");
    assert_eq!(before[0].members.len(), 5);
    assert_eq!(
        ids(after[0].members.iter().map(|m| m.as_str())),
        [
            "leicestershire-police",
            "lincolnshire-police",
            "northamptonshire-police",
            "nottinghamshire-police"
        ]
    );
    assert_eq!(before[0].legal_basis, LegalBasis::Section22aPoliceAct1996);
    Ok(())
}

#[test]
fn agreements_by_legal_basis() {
    let registry = sample();
    let q = registry.as_of(today());
    assert_eq!(
        ids(q
            .by_legal_basis(LegalBasis::PolicingAndCrimeAct2017)
            .iter()
            .map(|s| s.agreement.as_str())),
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
fn the_legal_basis_index_follows_an_amendment() -> Result {
    let mut registry = sample();
    let on = day(2022, 4, 1);
    registry.amend(
        "em-public-order",
        on,
        collab_registry::AmendmentKind::Variation,
        "Remade as a contract",
        |a| a.legal_basis = LegalBasis::Contract,
    )?;
    let q = registry.as_of(on);
    assert_eq!(
        ids(q
            .by_legal_basis(LegalBasis::Contract)
            .iter()
            .map(|s| s.agreement.as_str())),
        ["em-public-order"]
    );
    assert!(
        q.by_legal_basis(LegalBasis::Section22aPoliceAct1996)
            .iter()
            .all(|s| s.agreement.as_str() != "em-public-order")
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
            .map(|s| s.agreement.as_str())),
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
            .map(|s| s.agreement.as_str())),
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
            .map(|s| s.agreement.as_str())),
        ["em-public-order"]
    );
    assert!(
        ended
            .as_of(day(2022, 4, 1))
            .with_exactly(2)
            .iter()
            .all(|s| s.agreement.as_str() != "em-public-order")
    );
    assert!(
        ended
            .as_of(day(2022, 3, 31))
            .with_exactly(2)
            .iter()
            .any(|s| s.agreement.as_str() == "em-public-order")
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
        .map(|p| (p.depth, p.parent.as_str(), p.summary.agreement.as_str()))
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
        ids(bch.iter().map(|p| p.summary.agreement.as_str())),
        ["bch-operational-support"]
    );
    assert!(registry.as_of(today()).under("em-major-crime")?.is_empty());
    Ok(())
}

#[test]
fn umbrellas_nest_to_any_depth() -> Result {
    // A programme over a workstream over two projects.
    let nested = |id: &str, parent: Option<&str>| {
        let mut a = json!({
            "id": id, "title": id, "legal_basis": "other", "start": "2020-04-01",
            "status": [{"status": "active", "from": "2020-04-01"}],
            "members": [
                {"party": "a-police", "role": "member", "joined": "2020-04-01"},
                {"party": "b-police", "role": "member", "joined": "2020-04-01"},
            ],
        });
        if let Some(p) = parent {
            a["part_of"] = json!(p);
        }
        a
    };
    let registry = Handmade::new()
        .agreement_json(nested("programme", None))
        .agreement_json(nested("workstream", Some("programme")))
        .agreement_json(nested("project-b", Some("workstream")))
        .agreement_json(nested("project-a", Some("workstream")))
        .agreement_json(nested("side", Some("programme")))
        .build();
    let parts = registry.as_of(day(2021, 1, 1)).under("programme")?;
    let got: Vec<(usize, &str, &str)> = parts
        .iter()
        .map(|p| (p.depth, p.parent.as_str(), p.summary.agreement.as_str()))
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

#[test]
fn police_with_fire_and_police_with_a_council() -> Result {
    // Seed 001: Northamptonshire police and fire share enabling services.
    let registry = sample();
    let q = registry.as_of(today());
    let police_fire = q.cross_sector(&["policing", "fire_and_rescue"])?;
    assert_eq!(
        ids(police_fire.iter().map(|c| c.summary.agreement.as_str())),
        [
            "northamptonshire-enabling-services",
            "northamptonshire-police-fire-response"
        ]
    );
    assert_eq!(police_fire[0].sectors, ["fire_and_rescue", "policing"]);
    assert_eq!(q.cross_sector(&[])?, police_fire);
    // The county council oversaw the fire service but is a member of nothing.
    assert!(q.cross_sector(&["policing", "local_authority"])?.is_empty());
    // Before 2019 the duty's agreements had not started.
    assert!(
        registry
            .as_of(day(2019, 3, 31))
            .cross_sector(&[])?
            .is_empty()
    );
    Ok(())
}

#[test]
fn cross_sector_with_a_council_on_a_hand_made_registry() -> Result {
    let registry = Handmade::new()
        .party("shire-council", "local_authority")
        .party("shire-fire", "fire_and_rescue")
        .agreement("shared-buildings", &["shire-police", "shire-council"])
        .agreement("joint-response", &["shire-police", "shire-fire"])
        .agreement(
            "tri-service",
            &["shire-police", "shire-fire", "shire-council"],
        )
        .agreement("police-only", &["shire-police", "other-police"])
        .build();
    let q = registry.as_of(day(2021, 1, 1));
    let council = q.cross_sector(&["policing", "local_authority"])?;
    assert_eq!(
        ids(council.iter().map(|c| c.summary.agreement.as_str())),
        ["shared-buildings", "tri-service"]
    );
    assert_eq!(
        council[1].sectors,
        ["fire_and_rescue", "local_authority", "policing"]
    );
    assert_eq!(q.cross_sector(&[])?.len(), 3);
    assert_eq!(q.cross_sector(&["fire_and_rescue"])?.len(), 2);
    Ok(())
}

#[test]
fn an_unknown_sector_is_refused_with_the_list() {
    let registry = sample();
    let err = registry
        .as_of(today())
        .cross_sector(&["police"])
        .expect_err("there is no sector called police");
    let message = err.to_string();
    assert!(message.contains("sector \"police\""), "{message}");
    assert!(message.contains("fire_and_rescue"), "{message}");
    assert!(message.contains("policing"), "{message}");
}

#[test]
fn derbyshire_and_lincolnshire_declined_the_2015_alliance() -> Result {
    // Seed 002: "Derbyshire and Lincolnshire were approached about being part
    // of the alliance but declined to take part."
    let registry = sample();
    let declined = registry.as_of(today()).declined(None)?;
    let got: Vec<(&str, &str)> = declined
        .iter()
        .map(|d| (d.agreement.as_str(), d.party.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("northants-leics-notts-alliance", "derbyshire-police"),
            ("northants-leics-notts-alliance", "lincolnshire-police"),
        ]
    );
    assert!(declined[0].note.is_some_and(|n| n.contains("declined")));
    assert_eq!(declined[0].name, "Derbyshire Police");
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
    Ok(())
}

#[test]
fn unknown_ids_are_named() {
    let registry = sample();
    let q = registry.as_of(today());
    let message = |e: Error| e.to_string();
    assert_eq!(
        q.agreements_of("atlantis-police").map_err(message).err(),
        Some("unknown party \"atlantis-police\"".to_string())
    );
    assert_eq!(
        q.members_of("atlantis-alliance").map_err(message).err(),
        Some("unknown agreement \"atlantis-alliance\"".to_string())
    );
    assert_eq!(
        q.partners_of("x").map_err(message).err(),
        Some("unknown party \"x\"".to_string())
    );
    assert!(q.under("x").is_err());
    assert!(q.sizes_under("x").is_err());
    assert!(q.declined(Some("x")).is_err());
    assert!(q.leads_and_hosts(Some("x")).is_err());
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
                .find(|r| r["agreement"] == "em-operational-support")
        })
        .ok_or("operational support is listed")?;
    assert_eq!(
        ops,
        &json!({
            "agreement": "em-operational-support",
            "title": ops["title"],
            "status": "active",
            "part_of": "em-collaboration-programme",
            "role": "member",
            "joined": "2012-04-01",
            "notice_served": "2015-09-30",
            "leaves": "2016-04-01",
        })
    );
    let sizes = serde_json::to_value(
        registry
            .as_of(today())
            .sizes_under("em-collaboration-programme")?,
    )?;
    assert_eq!(sizes["sizes"][0]["size"], 2);
    assert_eq!(sizes["sizes"][0]["agreements"][0], "em-public-order");
    let entry = serde_json::to_value(&registry.as_of(today()).under("bch-strategic-alliance")?)?;
    assert_eq!(entry[0]["depth"], 1);
    assert_eq!(entry[0]["agreement"], "bch-operational-support");
    Ok(())
}

#[test]
fn the_same_question_gives_the_same_bytes() -> Result {
    let registry = sample();
    let again = Registry::from_json_str(&registry.to_json_string())?;
    let asked = parse_date("2021-04-01")?;
    let one = serde_json::to_string(&registry.as_of(asked).partners_of("leicestershire-police")?)?;
    let two = serde_json::to_string(&again.as_of(asked).partners_of("leicestershire-police")?)?;
    assert_eq!(one, two);
    Ok(())
}
