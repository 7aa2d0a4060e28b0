//! Money between members beside the shared budget: rent paid to the host
//! of a shared building, services bought from another member, grants
//! received by one member, and savings realised per member, as a party's
//! contributions and an agreement's savings report them, worked by hand.
//!
//! The scenario is the joint fire and police station at Thornaby: Cleveland
//! Fire Brigade invited Cleveland Police to make its new Thornaby fire
//! station (expected to open in July 2017) a joint facility, co-locating
//! the Thornaby neighbourhood policing team there as its permanent base,
//! with 70 m² of accommodation offered to the police, and the police
//! station closing under the force's estates blueprint (Cleveland PCC
//! decision 11338, "Thornaby fire station joint resource",
//! <https://www.cleveland.pcc.police.uk/working-for-you/decisions/decision-notices/thornaby-fire-station>/).
//! The opening day, the budget and its split, the rent, the service bought
//! back, the grants and the savings are not in the source: illustrative,
//! and marked so.

use chrono::NaiveDate;
use collab_registry::model::{
    Agreement, AgreementId, Budget, CostArrangement, Currency, DatedFormula, FinancialYear,
    FixedShare, Formula, Function, Grant, LegalBasis, MemberCharge, Membership, Money, Party,
    PartyId, PartyKind, Provenance, RealisedSaving, Role,
};
use collab_registry::{ErrorKind, Registry};
use serde_json::json;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a day"))
}

fn year(text: &str) -> FinancialYear {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} is not a year: {e}"))
}

fn id(text: &str) -> PartyId {
    PartyId::new(text).unwrap_or_else(|e| panic!("{e}"))
}

fn pounds(text: &str) -> Money {
    Money::parse(text, Currency::GBP).unwrap_or_else(|e| panic!("{e}"))
}

const POLICE: &str = "cleveland-police";
const FIRE: &str = "cleveland-fire";

/// The Thornaby station with these charges between the two members.
fn thornaby(charges: Vec<MemberCharge>) -> Registry {
    let mut r = Registry::default();
    for (party, name, kind) in [
        (POLICE, "Cleveland Police", PartyKind::PoliceForce),
        (FIRE, "Cleveland Fire Brigade", PartyKind::FireAndRescue),
    ] {
        let p = Party::builder(id(party), name, kind)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        r.add_party(p).unwrap_or_else(|e| panic!("{e}"));
    }
    let y = year("2018/19");
    let mut costs = CostArrangement::default();
    // Running costs of the station, shared 80 : 20 (illustrative).
    costs.set_budget(Budget::new(y, pounds("60000.00")));
    costs.set_formula(DatedFormula::new(
        day(2017, 7, 1),
        Formula::fixed_percentages(vec![
            FixedShare::new(id(FIRE), "80".parse().unwrap_or_else(|e| panic!("{e}"))),
            FixedShare::new(id(POLICE), "20".parse().unwrap_or_else(|e| panic!("{e}"))),
        ]),
    ));
    costs.charges = charges;
    let mut to_fire = Grant::new(y, pounds("5000.00"));
    to_fire.party = Some(id(FIRE));
    to_fire.from = Some("Home Office".to_string());
    // A grant to the station as a whole is no member's.
    let mut to_station = Grant::new(y, pounds("1000.00"));
    to_station.from = Some("Stockton-on-Tees Borough Council".to_string());
    costs.grants = vec![to_fire, to_station];
    let mut closing = RealisedSaving::new(y, pounds("20000.00"));
    closing.party = Some(id(POLICE));
    costs.savings.realised = vec![RealisedSaving::new(y, pounds("3000.00")), closing];
    let a = Agreement::builder(
        AgreementId::new("thornaby-station").unwrap_or_else(|e| panic!("{e}")),
        "Thornaby joint fire and police station",
        day(2017, 7, 1),
    )
    .legal_basis(LegalBasis::NotStated)
    .function(Function::Estates)
    .active_from(day(2017, 7, 1))
    .member(Membership::new(id(FIRE), Role::Host, day(2017, 7, 1)))
    .member(Membership::new(id(POLICE), Role::Member, day(2017, 7, 1)))
    .costs(costs)
    .provenance(
        Provenance::from_source(
            "Cleveland PCC decision 11338, Thornaby fire station joint resource \
             (https://www.cleveland.pcc.police.uk/working-for-you/decisions/decision-notices/thornaby-fire-station/)",
        )
        .illustrative("start")
        .illustrative("costs"),
    )
    .build()
    .unwrap_or_else(|e| panic!("{e}"));
    r.add_agreement(a).unwrap_or_else(|e| panic!("{e}"));
    r
}

/// Rent of the police's 70 m² paid to the host, and ICT support the fire
/// brigade buys from the police, in `year`.
fn rent_and_ict(y: &str) -> Vec<MemberCharge> {
    vec![
        MemberCharge::new(
            year(y),
            id(POLICE),
            id(FIRE),
            "rent of 70 m² at Thornaby fire station",
            pounds("14000.00"),
        ),
        MemberCharge::new(
            year(y),
            id(FIRE),
            id(POLICE),
            "ICT support",
            pounds("2500.00"),
        ),
    ]
}

#[test]
fn the_police_pay_rent_to_the_host_beside_their_share_of_the_running_costs() -> Result {
    let r = thornaby(rent_and_ict("2018/19"));
    let police = r.contributions(POLICE, year("2018/19"))?;
    let at = police
        .to_agreement("thornaby-station")
        .ok_or("a row for Thornaby")?;
    // 20% of £60,000.00 is £12,000.00; it pays £14,000.00 rent to the fire
    // brigade and receives £2,500.00 for ICT support; no grant is its own.
    // Net: 12,000.00 + 14,000.00 - 2,500.00 - 0 = 23,500.00.
    assert_eq!(at.amount.to_string(), "12000.00");
    assert_eq!(at.budget.map(|b| b.to_string()), Some("60000.00".into()));
    let paid: Vec<(&str, &str, String)> = at
        .charges_paid
        .iter()
        .map(|c| (c.other.id.as_str(), c.what, c.amount.to_string()))
        .collect();
    assert_eq!(
        paid,
        [(
            FIRE,
            "rent of 70 m² at Thornaby fire station",
            "14000.00".to_string()
        )]
    );
    assert_eq!(at.received.to_string(), "2500.00");
    assert_eq!(at.grants_received.to_string(), "0.00");
    assert_eq!(at.net.to_string(), "23500.00");
    // It realised £20,000.00 itself (the police station it closed); the
    // station's own £3,000.00 is no member's.
    assert_eq!(at.savings_realised.to_string(), "20000.00");
    assert_eq!(police.total.to_string(), "12000.00");
    assert_eq!(police.charges_paid.to_string(), "14000.00");
    assert_eq!(police.charges_received.to_string(), "2500.00");
    assert_eq!(police.net.to_string(), "23500.00");
    assert_eq!(police.savings_realised.to_string(), "20000.00");

    // The fire brigade: 48,000.00 + 2,500.00 - 14,000.00 - 5,000.00 (its Home
    // Office grant) = 31,500.00.
    let fire = r.contributions(FIRE, year("2018/19"))?;
    let at = fire
        .to_agreement("thornaby-station")
        .ok_or("a row for Thornaby")?;
    assert_eq!(at.amount.to_string(), "48000.00");
    assert_eq!(at.paid.to_string(), "2500.00");
    assert_eq!(at.received.to_string(), "14000.00");
    assert_eq!(
        at.grants
            .iter()
            .map(|g| (g.from, g.amount.to_string()))
            .collect::<Vec<_>>(),
        [(Some("Home Office"), "5000.00".to_string())]
    );
    assert_eq!(fire.net.to_string(), "31500.00");
    assert_eq!(fire.savings_realised.to_string(), "0.00");

    // Charges between members cancel out: the nets add up to the budget
    // less the grants to members, 60,000.00 - 5,000.00 = 55,000.00.
    assert_eq!(
        police.net.minor_units() + fire.net.minor_units(),
        pounds("55000.00").minor_units()
    );
    Ok(())
}

#[test]
fn savings_are_reported_per_member_where_recorded_with_one() -> Result {
    let r = thornaby(rent_and_ict("2018/19"));
    let report = r.savings("thornaby-station")?;
    assert_eq!(
        report
            .realised_by(POLICE, year("2018/19"))
            .map(|m| m.to_string()),
        Some("20000.00".to_string())
    );
    assert_eq!(report.realised_by(FIRE, year("2018/19")), None);
    assert_eq!(report.by_member.len(), 1);
    // The rows keep both, the station's own first.
    let rows: Vec<(Option<&str>, String)> = report.agreements[0]
        .realised
        .iter()
        .map(|r| (r.party.map(|p| p.id.as_str()), r.amount.to_string()))
        .collect();
    assert_eq!(
        rows,
        [
            (None, "3000.00".to_string()),
            (Some(POLICE), "20000.00".to_string())
        ]
    );
    Ok(())
}

#[test]
fn a_charge_in_a_year_without_a_budget_still_counts() -> Result {
    // Rent for 2019/20, which has no budget: the row has no budget and no
    // share, but the rent counts, and the year is listed as unbudgeted.
    let r = thornaby(rent_and_ict("2019/20"));
    let police = r.contributions(POLICE, year("2019/20"))?;
    let at = police
        .to_agreement("thornaby-station")
        .ok_or("a row for Thornaby")?;
    assert_eq!(at.budget, None);
    assert_eq!(at.amount.to_string(), "0.00");
    assert_eq!(at.net.to_string(), "11500.00"); // 14,000.00 - 2,500.00
    assert_eq!(police.total.to_string(), "0.00");
    assert_eq!(police.net.to_string(), "11500.00");
    assert!(
        police
            .unbudgeted
            .iter()
            .any(|a| a.id.as_str() == "thornaby-station")
    );
    // And 2018/19 now has only the shares, grants and savings.
    let then = r.contributions(POLICE, year("2018/19"))?;
    assert_eq!(then.net.to_string(), "12000.00");
    Ok(())
}

#[test]
fn contributions_serialise_money_between_members() -> Result {
    let r = thornaby(rent_and_ict("2018/19"));
    let v = serde_json::to_value(r.contributions(POLICE, year("2018/19"))?)?;
    assert_eq!(v["net"], json!({"amount": "23500.00", "currency": "GBP"}));
    let at = &v["by_agreement"][0];
    assert_eq!(
        at["charges_paid"][0]["other"]["name"],
        json!("Cleveland Fire Brigade")
    );
    assert_eq!(at["charges_received"][0]["what"], json!("ICT support"));
    assert_eq!(at["grants"], json!([]));
    let v = serde_json::to_value(r.contributions(POLICE, year("2019/20"))?)?;
    assert_eq!(v["by_agreement"][0]["budget"], json!(null));
    Ok(())
}

#[test]
fn sums_that_overflow_are_refused_not_wrapped() {
    let huge = Money::from_minor(i64::MAX / 2 + 1, Currency::GBP);
    let charges = ["rent", "service charge"]
        .into_iter()
        .map(|what| MemberCharge::new(year("2018/19"), id(POLICE), id(FIRE), what, huge))
        .collect();
    let r = thornaby(charges);
    let err = r
        .contributions(POLICE, year("2018/19"))
        .err()
        .unwrap_or_else(|| panic!("an overflowing sum is refused"));
    assert_eq!(err.kind(), ErrorKind::Money);
    // Unknown parties are refused by kind too.
    let err = r
        .contributions("no-such-force", year("2018/19"))
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::UnknownId));
}
