//! Facts from the source documents, read back from the embedded sample
//! registry through its records and the questions asked as of a day.

use chrono::NaiveDate;
use collab_registry::model::{
    BodyKind, DecisionRule, FinancialYear, Function, PartyKind, Quantity, Role, Status,
};
use collab_registry::{AsOf, Registry};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn sample() -> Registry {
    collab_registry::sample().expect("the sample loads")
}

const EAST_MIDLANDS: [&str; 5] = [
    "derbyshire-police",
    "leicestershire-police",
    "lincolnshire-police",
    "northamptonshire-police",
    "nottinghamshire-police",
];

/// The parties overseeing `party` on the day asked.
fn overseers(q: AsOf<'_>, party: &str) -> Vec<String> {
    q.party(party)
        .expect("a sample party")
        .overseers()
        .map(std::string::ToString::to_string)
        .collect()
}

#[test]
fn the_five_east_midlands_forces_each_have_a_commissioner() -> Result {
    // Seed 000: Derbyshire, Leicestershire, Lincolnshire, Northamptonshire and Nottinghamshire.
    let registry = sample();
    let mut forces: Vec<&str> = registry
        .parties()
        .iter()
        .filter(|p| p.kind() == PartyKind::PoliceForce && p.region() == Some("East Midlands"))
        .map(|p| p.id().as_str())
        .collect();
    forces.sort_unstable();
    assert_eq!(forces, EAST_MIDLANDS);
    let q = registry.as_of(day(2021, 4, 1));
    for force in EAST_MIDLANDS {
        let by = overseers(q, force);
        assert_eq!(by.len(), 1, "{force}");
        assert_eq!(q.party(&by[0])?.kind(), PartyKind::PolicingBody);
    }
    Ok(())
}

#[test]
fn one_commissioner_oversees_northamptonshire_police_and_fire() -> Result {
    // Seed 001: "my responsibility to set the strategic direction for both services";
    // fire established under the commissioner in January 2019.
    let registry = sample();
    assert_eq!(
        registry.party("northamptonshire-fire")?.kind(),
        PartyKind::FireAndRescue
    );
    let q = registry.as_of(day(2021, 4, 1));
    assert_eq!(
        overseers(q, "northamptonshire-police"),
        ["northamptonshire-pfcc"]
    );
    assert_eq!(
        overseers(q, "northamptonshire-fire"),
        ["northamptonshire-pfcc"]
    );
    // Oversight is dated: before 2019 the county council oversaw the fire service.
    assert_eq!(
        overseers(registry.as_of(day(2018, 12, 31)), "northamptonshire-fire"),
        ["northamptonshire-county-council"]
    );
    Ok(())
}

#[test]
fn the_2021_22_budgets_are_recorded_as_stated() -> Result {
    // Seed 001: policing £153.5m, fire £25.3m in 2021/22.
    let registry = sample();
    let year: FinancialYear = "2021/22".parse()?;
    let police = registry
        .party("northamptonshire-police")?
        .metric("revenue_budget", year);
    let fire = registry
        .party("northamptonshire-fire")?
        .metric("revenue_budget", year);
    assert_eq!(police, Some("153500000".parse::<Quantity>()?));
    assert_eq!(fire, Some("25300000".parse::<Quantity>()?));
    let q = registry.as_of(day(2021, 4, 1));
    let enabling = q.agreement("northamptonshire-enabling-services")?;
    for f in [
        Function::HumanResources,
        Function::Ict,
        Function::Finance,
        Function::Estates,
    ] {
        assert!(enabling.functions().contains(f), "{f:?}");
    }
    assert!(enabling.is_member("northamptonshire-police"));
    assert!(enabling.is_member("northamptonshire-fire"));
    Ok(())
}

#[test]
fn the_east_midlands_programme_mixes_two_three_four_and_five_force_collaborations() -> Result {
    // Seeds 000 and 004: "a mix of collaborative activity that sees two, three, four or all five forces".
    let registry = sample();
    let q = registry.as_of(day(2026, 11, 23));
    let mut sizes: Vec<usize> = q
        .under("em-collaboration-programme")?
        .iter()
        .map(|part| {
            part.summary
                .members
                .iter()
                .filter(|m| EAST_MIDLANDS.contains(&m.id.as_str()))
                .count()
        })
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [2, 3, 4, 5]);
    let programme = q.agreement("em-collaboration-programme")?;
    assert_eq!(programme.members().count(), 5);
    // HMIC 2013: an average saving of 20% from pre-collaboration costs.
    assert_eq!(
        programme.savings().realised_percent.map(|p| p.to_string()),
        Some("20".to_string())
    );
    Ok(())
}

#[test]
fn the_2015_alliance_of_three_forces_and_the_two_that_declined() -> Result {
    // Seed 002.
    let registry = sample();
    let q = registry.as_of(day(2016, 1, 1));
    let mut members: Vec<String> = q
        .members_of("northants-leics-notts-alliance")?
        .members
        .iter()
        .map(|m| m.party.id.to_string())
        .collect();
    members.sort_unstable();
    assert_eq!(
        members,
        [
            "leicestershire-police",
            "northamptonshire-police",
            "nottinghamshire-police"
        ]
    );
    let declined: Vec<String> = q
        .declined(None)?
        .iter()
        .map(|d| d.party.id.to_string())
        .collect();
    assert_eq!(declined, ["derbyshire-police", "lincolnshire-police"]);
    let alliance = q.agreement("northants-leics-notts-alliance")?;
    for f in [Function::ControlRoom, Function::Ict, Function::Procurement] {
        assert!(alliance.functions().contains(f), "{f:?}");
    }
    assert_eq!(
        alliance.savings().target.map(|m| m.to_string()),
        Some("80000000.00".to_string())
    );
    // The first change, contact management, was due by June 2017.
    let contact = q.agreement("nln-contact-management")?;
    assert_eq!(
        contact
            .part_of()
            .map(collab_registry::model::AgreementId::as_str),
        Some("northants-leics-notts-alliance")
    );
    // "By June 2017" is a month, not a day: the start is held to the month,
    // counted from its first day, and every member row says it is approximate.
    assert_eq!(contact.start().to_string(), "2017-06");
    assert_eq!(contact.start().first_day(), day(2017, 6, 1));
    assert!(contact.functions().contains(Function::PublicContact));
    let members = registry
        .as_of(day(2017, 7, 1))
        .members_of("nln-contact-management")?;
    assert_eq!(members.members.len(), 3);
    assert!(members.members.iter().all(|m| m.approximate));
    Ok(())
}

#[test]
fn the_commissioner_became_the_police_fire_and_crime_commissioner() -> Result {
    // Seed 002 (2015) names the "Northamptonshire Police and Crime
    // Commissioner"; seed 001 the "Police, Fire and Crime Commissioner". The
    // sample records the change of title as an amendment of the party, on a
    // day marked illustrative.
    let registry = sample();
    let name = |on: NaiveDate| -> std::result::Result<String, collab_registry::Error> {
        let q = registry.as_of(on);
        let p = q.party("northamptonshire-pfcc")?;
        Ok(format!("{} / {}", p.name(), p.signs_as().unwrap_or("-")))
    };
    assert_eq!(
        name(day(2015, 6, 1))?,
        "Northamptonshire Police and Crime Commissioner / Northamptonshire Police and Crime Commissioner"
    );
    assert_eq!(
        name(day(2021, 4, 1))?,
        "Northamptonshire Police, Fire and Crime Commissioner / Northamptonshire Police, Fire and Crime Commissioner"
    );
    let party = registry.party("northamptonshire-pfcc")?;
    assert!(party.provenance().is_illustrative("amendments.date"));
    assert!(
        party
            .provenance()
            .source
            .as_deref()
            .is_some_and(|s| s.contains("seed 002"))
    );
    Ok(())
}

#[test]
fn the_bedfordshire_cambridgeshire_hertfordshire_alliance() -> Result {
    // Seed 003: £61.1m combined savings by 2019/20; the functions shared and planned.
    let registry = sample();
    let bch = registry
        .as_of(day(2016, 1, 1))
        .agreement("bch-strategic-alliance")?;
    assert_eq!(bch.members().count(), 3);
    assert_eq!(
        bch.savings().target.map(|m| m.minor_units()),
        Some(6_110_000_000)
    );
    assert_eq!(
        bch.savings().target_by.map(|y| y.to_string()),
        Some("2019/20".to_string())
    );
    for f in [
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
    ] {
        assert!(bch.functions().contains(f), "{f:?}");
    }
    // Already collaborating in June 2015 versus only planned.
    let june_2015 = registry.as_of(day(2015, 6, 10));
    assert_eq!(
        june_2015.agreement("bch-operational-support")?.status(),
        Some(Status::Active)
    );
    assert_eq!(
        june_2015.agreement("bch-people-services")?.status(),
        Some(Status::Proposed)
    );
    Ok(())
}

#[test]
fn three_forces_make_six_signatories() -> Result {
    let registry = sample();
    let mut signatories: Vec<String> = registry
        .as_of(day(2016, 1, 1))
        .signatories("bch-strategic-alliance")?
        .iter()
        .map(|s| s.party.id.to_string())
        .collect();
    signatories.sort_unstable();
    assert_eq!(
        signatories,
        [
            "bedfordshire-pcc",
            "bedfordshire-police",
            "cambridgeshire-constabulary",
            "cambridgeshire-pcc",
            "hertfordshire-constabulary",
            "hertfordshire-pcc"
        ]
    );
    // Police and fire under one commissioner: three signatories, not four.
    let enabling = registry
        .as_of(day(2021, 4, 1))
        .signatories("northamptonshire-enabling-services")?;
    assert_eq!(enabling.len(), 3);
    Ok(())
}

#[test]
fn governance_as_the_2013_paper_describes_it() -> Result {
    // Seed 004: a joint management board and delivery boards involving PCCs and
    // chief constables, with a scheme of delegation.
    let registry = sample();
    let q = registry.as_of(day(2021, 4, 1));
    let jmb = q.body("em-joint-management-board")?;
    assert_eq!(jmb.kind(), BodyKind::JointManagementBoard);
    assert_eq!(
        jmb.seats().count(),
        10,
        "five commissioners and five chief constables"
    );
    assert!(!jmb.delegated_limits().is_empty());
    assert!(matches!(
        jmb.decision_rule(),
        DecisionRule::QualifiedMajority { .. }
    ));
    let mut delivery: Vec<String> = Vec::new();
    for b in registry.bodies() {
        if b.kind() == BodyKind::DeliveryBoard {
            delivery.extend(
                q.body(b.id().as_str())?
                    .reports_to()
                    .map(std::string::ToString::to_string),
            );
        }
    }
    assert_eq!(
        delivery,
        ["em-joint-management-board", "em-joint-management-board"]
    );
    assert_eq!(
        jmb.reports_to()
            .map(collab_registry::model::BodyId::as_str)
            .collect::<Vec<_>>(),
        ["em-regional-meeting"]
    );
    Ok(())
}

#[test]
fn the_national_bodies_named_and_the_boards_the_commissioner_sits_on() -> Result {
    // Seed 000: College of Policing, NEP and ESMCP boards; the APCC; Home Office and MoJ; HMICFRS.
    let registry = sample();
    for id in [
        "college-of-policing",
        "national-enabling-programme",
        "esmcp",
        "apcc",
        "home-office",
        "ministry-of-justice",
        "hmicfrs",
    ] {
        assert_eq!(registry.party(id)?.kind(), PartyKind::NationalBody, "{id}");
    }
    let q = registry.as_of(day(2021, 4, 1));
    let mut boards: Vec<String> = Vec::new();
    for b in registry.bodies() {
        let view = q.body(b.id().as_str())?;
        if view.seats().any(|s| s.party == "northamptonshire-pfcc") {
            boards.push(b.id().to_string());
        }
    }
    boards.sort_unstable();
    for expected in [
        "college-of-policing-board",
        "esmcp-board",
        "nep-board",
        "northamptonshire-lcjb-board",
    ] {
        assert!(
            boards.iter().any(|b| b == expected),
            "{expected} in {boards:?}"
        );
    }
    Ok(())
}

#[test]
fn memberships_change_over_time() -> Result {
    let registry = sample();
    let members = |d| -> std::result::Result<usize, collab_registry::Error> {
        Ok(registry
            .as_of(d)
            .members_of("em-operational-support")?
            .members
            .len())
    };
    assert_eq!(members(day(2015, 6, 1))?, 5);
    assert_eq!(members(day(2016, 4, 1))?, 4);
    let ops = registry.agreement("em-operational-support")?;
    let derbyshire = ops
        .members()
        .iter()
        .find(|m| m.party() == "derbyshire-police")
        .ok_or("missing")?;
    assert_eq!(derbyshire.notice_served(), Some(day(2015, 9, 30)));
    let host = registry
        .as_of(day(2021, 4, 1))
        .members_of("em-operational-support")?
        .members
        .into_iter()
        .find(|m| m.role == Role::Host)
        .ok_or("no host")?;
    assert_eq!(host.party.id.as_str(), "northamptonshire-police");
    assert_eq!(
        ops.terms()
            .responsibilities()
            .asset_owner
            .as_ref()
            .map(collab_registry::model::PartyId::as_str),
        Some("northamptonshire-pfcc")
    );
    Ok(())
}

#[test]
fn every_record_says_where_it_comes_from_and_invented_values_are_marked() {
    let registry = sample();
    for p in registry.parties() {
        assert!(
            p.provenance().source.is_some(),
            "party {} has no source",
            p.id()
        );
        for m in &p.terms().metrics {
            let sourced = m.metric == "revenue_budget";
            assert_eq!(
                m.illustrative,
                !sourced,
                "metric {} of {}",
                m.metric,
                p.id()
            );
        }
    }
    for a in registry.agreements() {
        assert!(
            a.provenance().source.is_some(),
            "agreement {} has no source",
            a.id()
        );
        if a.title().contains("(illustrative)") {
            assert!(a.provenance().is_illustrative("title"), "{}", a.id());
        }
        for b in &a.terms().costs().budgets {
            assert!(
                b.illustrative || a.provenance().is_illustrative("costs"),
                "budget of {}",
                a.id()
            );
        }
    }
    for b in registry.bodies() {
        assert!(
            b.provenance().source.is_some(),
            "body {} has no source",
            b.id()
        );
    }
}
