//! Facts from the source documents, read back through the public API of the
//! embedded sample registry.

use chrono::NaiveDate;
use collab_registry::{
    BodyKind, DecisionRule, FinancialYear, Function, PartyKind, Quantity, Registry, Role, Status,
};

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

#[test]
fn the_five_east_midlands_forces_each_have_a_commissioner() -> Result {
    // Seed 000: Derbyshire, Leicestershire, Lincolnshire, Northamptonshire and Nottinghamshire.
    let registry = sample();
    let mut forces: Vec<&str> = registry
        .parties()
        .iter()
        .filter(|p| {
            p.kind == PartyKind::PoliceForce && p.region.as_deref() == Some("East Midlands")
        })
        .map(|p| p.id.as_str())
        .collect();
    forces.sort_unstable();
    assert_eq!(forces, EAST_MIDLANDS);
    for force in EAST_MIDLANDS {
        let overseers: Vec<&str> = registry
            .party(force)?
            .overseers_on(day(2021, 4, 1))
            .map(|p| p.as_str())
            .collect();
        assert_eq!(overseers.len(), 1, "{force}");
        assert_eq!(registry.party(overseers[0])?.kind, PartyKind::PolicingBody);
    }
    Ok(())
}

#[test]
fn one_commissioner_oversees_northamptonshire_police_and_fire() -> Result {
    // Seed 001: "my responsibility to set the strategic direction for both services";
    // fire established under the commissioner in January 2019.
    let registry = sample();
    let police = registry.party("northamptonshire-police")?;
    let fire = registry.party("northamptonshire-fire")?;
    assert_eq!(fire.kind, PartyKind::FireAndRescue);
    let by = |p: &collab_registry::Party, d| {
        p.overseers_on(d).map(|x| x.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(by(police, day(2021, 4, 1)), ["northamptonshire-pfcc"]);
    assert_eq!(by(fire, day(2021, 4, 1)), ["northamptonshire-pfcc"]);
    assert_ne!(
        by(fire, day(2018, 12, 31)),
        ["northamptonshire-pfcc"],
        "oversight is dated"
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
    let enabling = registry.agreement("northamptonshire-enabling-services")?;
    for f in [
        Function::HumanResources,
        Function::Ict,
        Function::Finance,
        Function::Estates,
    ] {
        assert!(enabling.covers(f), "{f:?}");
    }
    assert!(enabling.is_member("northamptonshire-police", day(2021, 4, 1)));
    assert!(enabling.is_member("northamptonshire-fire", day(2021, 4, 1)));
    Ok(())
}

#[test]
fn the_east_midlands_programme_mixes_two_three_four_and_five_force_collaborations() -> Result {
    // Seeds 000 and 004: "a mix of collaborative activity that sees two, three, four or all five forces".
    let registry = sample();
    let today = day(2026, 11, 23);
    let mut sizes: Vec<usize> = registry
        .agreements()
        .iter()
        .filter(|a| {
            a.part_of
                .as_ref()
                .is_some_and(|p| p == "em-collaboration-programme")
        })
        .map(|a| {
            a.members_on(today)
                .filter(|m| EAST_MIDLANDS.contains(&m.party.as_str()))
                .count()
        })
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [2, 3, 4, 5]);
    let programme = registry.agreement("em-collaboration-programme")?;
    assert_eq!(programme.members_on(today).count(), 5);
    // HMIC 2013: an average saving of 20% from pre-collaboration costs.
    assert_eq!(
        programme
            .costs
            .savings
            .realised_percent
            .map(|p| p.to_string()),
        Some("20".to_string())
    );
    Ok(())
}

#[test]
fn the_2015_alliance_of_three_forces_and_the_two_that_declined() -> Result {
    // Seed 002.
    let registry = sample();
    let alliance = registry.agreement("northants-leics-notts-alliance")?;
    let mut members: Vec<&str> = alliance
        .members_on(day(2016, 1, 1))
        .map(|m| m.party.as_str())
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
    let declined: Vec<&str> = alliance.declined.iter().map(|d| d.party.as_str()).collect();
    assert_eq!(declined, ["derbyshire-police", "lincolnshire-police"]);
    for f in [Function::ControlRoom, Function::Ict, Function::Procurement] {
        assert!(alliance.covers(f), "{f:?}");
    }
    assert_eq!(
        alliance.costs.savings.target.map(|m| m.to_string()),
        Some("80000000.00".to_string())
    );
    // The first change, contact management, was due by June 2017.
    let contact = registry.agreement("nln-contact-management")?;
    assert_eq!(
        contact.part_of.as_ref().map(|p| p.as_str()),
        Some("northants-leics-notts-alliance")
    );
    assert_eq!(contact.start, day(2017, 6, 1));
    assert!(contact.covers(Function::PublicContact));
    Ok(())
}

#[test]
fn the_bedfordshire_cambridgeshire_hertfordshire_alliance() -> Result {
    // Seed 003: £61.1m combined savings by 2019/20; the functions shared and planned.
    let registry = sample();
    let bch = registry.agreement("bch-strategic-alliance")?;
    assert_eq!(bch.members.len(), 3);
    assert_eq!(
        bch.costs.savings.target.map(|m| m.minor_units()),
        Some(6_110_000_000)
    );
    assert_eq!(
        bch.costs.savings.target_by.map(|y| y.to_string()),
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
        assert!(bch.covers(f), "{f:?}");
    }
    // Already collaborating in June 2015 versus only planned.
    let june_2015 = day(2015, 6, 10);
    assert_eq!(
        registry
            .agreement("bch-operational-support")?
            .status_on(june_2015),
        Some(Status::Active)
    );
    assert_eq!(
        registry
            .agreement("bch-people-services")?
            .status_on(june_2015),
        Some(Status::Proposed)
    );
    Ok(())
}

#[test]
fn three_forces_make_six_signatories() -> Result {
    let registry = sample();
    let on = day(2016, 1, 1);
    let mut signatories: Vec<&str> = registry
        .signatories("bch-strategic-alliance", on)?
        .iter()
        .map(|p| p.id.as_str())
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
    let enabling = registry.signatories("northamptonshire-enabling-services", day(2021, 4, 1))?;
    assert_eq!(enabling.len(), 3);
    Ok(())
}

#[test]
fn governance_as_the_2013_paper_describes_it() -> Result {
    // Seed 004: a joint management board and delivery boards involving PCCs and
    // chief constables, with a scheme of delegation.
    let registry = sample();
    let jmb = registry.body("em-joint-management-board")?;
    assert_eq!(jmb.kind, BodyKind::JointManagementBoard);
    assert_eq!(
        jmb.seats.len(),
        10,
        "five commissioners and five chief constables"
    );
    assert!(!jmb.delegated_limits.is_empty());
    assert!(matches!(
        jmb.decision_rule,
        DecisionRule::QualifiedMajority { .. }
    ));
    let delivery: Vec<&str> = registry
        .bodies()
        .iter()
        .filter(|b| b.kind == BodyKind::DeliveryBoard)
        .map(|b| b.reports_to.as_ref().map_or("", |r| r.as_str()))
        .collect();
    assert_eq!(
        delivery,
        ["em-joint-management-board", "em-joint-management-board"]
    );
    assert_eq!(
        jmb.reports_to.as_ref().map(|r| r.as_str()),
        Some("em-regional-meeting")
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
        assert_eq!(registry.party(id)?.kind, PartyKind::NationalBody, "{id}");
    }
    let mut boards: Vec<&str> = registry
        .bodies()
        .iter()
        .filter(|b| b.seats.iter().any(|s| s.party == "northamptonshire-pfcc"))
        .map(|b| b.id.as_str())
        .collect();
    boards.sort_unstable();
    for expected in [
        "college-of-policing-board",
        "esmcp-board",
        "nep-board",
        "northamptonshire-lcjb-board",
    ] {
        assert!(boards.contains(&expected), "{expected} in {boards:?}");
    }
    Ok(())
}

#[test]
fn memberships_change_over_time() -> Result {
    let registry = sample();
    let ops = registry.agreement("em-operational-support")?;
    assert_eq!(ops.members_on(day(2015, 6, 1)).count(), 5);
    assert_eq!(ops.members_on(day(2016, 4, 1)).count(), 4);
    let derbyshire = ops
        .members
        .iter()
        .find(|m| m.party == "derbyshire-police")
        .ok_or("missing")?;
    assert_eq!(derbyshire.notice_served, Some(day(2015, 9, 30)));
    let host = ops
        .members
        .iter()
        .find(|m| m.role == Role::Host)
        .ok_or("no host")?;
    assert_eq!(host.party.as_str(), "northamptonshire-police");
    assert_eq!(
        ops.responsibilities
            .asset_owner
            .as_ref()
            .map(|p| p.as_str()),
        Some("northamptonshire-pfcc")
    );
    Ok(())
}

#[test]
fn every_record_says_where_it_comes_from_and_invented_values_are_marked() -> Result {
    let registry = sample();
    for p in registry.parties() {
        assert!(
            p.provenance.source.is_some(),
            "party {} has no source",
            p.id
        );
        for m in &p.metrics {
            let sourced = m.metric == "revenue_budget";
            assert_eq!(m.illustrative, !sourced, "metric {} of {}", m.metric, p.id);
        }
    }
    for a in registry.agreements() {
        assert!(
            a.provenance.source.is_some(),
            "agreement {} has no source",
            a.id
        );
        if a.title.contains("(illustrative)") {
            assert!(a.provenance.is_illustrative("title"), "{}", a.id);
        }
        for b in &a.costs.budgets {
            assert!(
                b.illustrative || a.provenance.is_illustrative("costs"),
                "budget of {}",
                a.id
            );
        }
    }
    for b in registry.bodies() {
        assert!(b.provenance.source.is_some(), "body {} has no source", b.id);
    }
    Ok(())
}
