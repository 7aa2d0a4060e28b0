//! Units bought in advance: what a member bought, what it is entitled to
//! when it joins part-way through a year, what it used, and what it is
//! charged, under each part-year rule, worked by hand.
//!
//! The scenario is the National Police Air Service (NPAS): the National
//! Police Collaboration Agreement relating to NPAS and the delivery of
//! aviation services to police bodies, dated 6 August 2012, between the
//! police bodies and the Police and Crime Commissioner for West Yorkshire
//! (the lead local policing body, successor to West Yorkshire Police
//! Authority), made under s.22 of the Police Act 1996 (the collaboration
//! provisions, s.22A). West Midlands Police's air operations unit
//! transferred to NPAS from 2 October 2013, and its collaboration agreement
//! set its flying hours at "1400hrs per annum with a pro-rata figure of
//! 700hrs for the period Oct 2013-March 2014. The cost to WMP for 1400hrs
//! is paid in advance and is non-refundable even if the hours are not
//! used." (West Midlands PCC report on air operations, September 2014,
//! paragraphs 38 and 41, quoted at
//! <https://www.pprune.org/8651226-post388.html>.)
//!
//! 700 of 1400 is 6 of 12 months: October, the month it joined on its
//! second day, counts whole, which is the rule
//! [`PartYear::ProRataByMonthsBegun`]. The price of an hour, the hours
//! used, and West Yorkshire Police's place as a member from the start are
//! not in the source: they are illustrative, and marked so.

use chrono::NaiveDate;
use collab_registry::costs::{ChargeBasis, JoinTerms};
use collab_registry::model::{
    Agreement, AgreementId, Budget, CostArrangement, Currency, DatedFormula, FinancialYear,
    Formula, Function, LegalBasis, Membership, Money, PartYear, PartialDate, Party, PartyId,
    PartyKind, Provenance, Purchase, Quantity, Role, Usage,
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

fn units(text: &str) -> Quantity {
    text.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn add_party(r: &mut Registry, party: &str, name: &str, kind: PartyKind) {
    let p = Party::builder(id(party), name, kind)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    r.add_party(p).unwrap_or_else(|e| panic!("{e}"));
}

/// The illustrative price of a flying hour.
const PRICE: &str = "3000.00";

/// NPAS as the source gives it, West Midlands joining on `joined`, with
/// the part-year rule `rule`, charging `price` an hour.
fn npas(rule: PartYear, joined: PartialDate, price: Money) -> Registry {
    let mut r = Registry::default();
    add_party(
        &mut r,
        "west-yorkshire-pcc",
        "Police and Crime Commissioner for West Yorkshire",
        PartyKind::PolicingBody,
    );
    add_party(
        &mut r,
        "west-yorkshire-police",
        "West Yorkshire Police",
        PartyKind::PoliceForce,
    );
    add_party(
        &mut r,
        "west-midlands-police",
        "West Midlands Police",
        PartyKind::PoliceForce,
    );
    let mut costs = CostArrangement::default();
    costs.part_year = rule;
    costs.unit_price = Some(price);
    // 1400 hours a year, bought in advance for 2013/14 and 2014/15.
    for y in ["2013/14", "2014/15"] {
        costs.purchases.push(Purchase::new(
            year(y),
            id("west-midlands-police"),
            Quantity::from_whole(1400),
        ));
    }
    // Illustrative: fewer hours used than bought in 2013/14, more in 2014/15.
    costs.set_usage(Usage::new(
        year("2013/14"),
        id("west-midlands-police"),
        units("450"),
    ));
    costs.set_usage(Usage::new(
        year("2014/15"),
        id("west-midlands-police"),
        units("1450.5"),
    ));
    let provenance = Provenance::from_source(
        "National Police Collaboration Agreement relating to NPAS, dated 6 August 2012 (s.22 Police Act 1996); \
         West Midlands PCC report on air operations, September 2014, paras 38 and 41 \
         (https://www.pprune.org/8651226-post388.html)",
    )
    .illustrative("costs.unit_price")
    .illustrative("costs.usage");
    let a = Agreement::builder(
        AgreementId::new("npas").unwrap_or_else(|e| panic!("{e}")),
        "National Police Collaboration Agreement relating to the National Police Air Service (NPAS)",
        day(2012, 8, 6),
    )
    .legal_basis(LegalBasis::Section22aPoliceAct1996)
    .function(Function::AirSupport)
    .active_from(day(2012, 8, 6))
    .member(Membership::new(
        id("west-yorkshire-pcc"),
        Role::Lead,
        day(2012, 8, 6),
    ))
    .member(Membership::new(id("west-yorkshire-police"), Role::Member, day(2012, 8, 6)).illustrative())
    .member(Membership::new(id("west-midlands-police"), Role::Member, joined))
    .costs(costs)
    .provenance(provenance)
    .build()
    .unwrap_or_else(|e| panic!("{e}"));
    r.add_agreement(a).unwrap_or_else(|e| panic!("{e}"));
    r
}

fn npas_by(rule: PartYear) -> Registry {
    npas(rule, day(2013, 10, 2).into(), pounds(PRICE))
}

#[test]
fn west_midlands_bought_1400_hours_and_is_entitled_to_700_for_october_to_march() -> Result {
    let r = npas_by(PartYear::ProRataByMonthsBegun);
    let first = r
        .as_of(day(2014, 3, 31))
        .entitlements("npas", year("2013/14"))?;
    assert_eq!(first.part_year, PartYear::ProRataByMonthsBegun);
    assert_eq!(first.charged_by, ChargeBasis::UnitPrice);
    assert_eq!(first.rows.len(), 1, "only West Midlands bought hours");
    let wmp = first.row("west-midlands-police").ok_or("a row for WMP")?;
    assert!(wmp.taking_part);
    assert_eq!(wmp.bought.to_string(), "1400");
    // Joined on 2 October 2013: October (begun), November ... March, 6 of
    // the 12 months of 2013/14: 1400 × 6/12 = 700, the source's figure.
    assert_eq!((wmp.units, first.units_in_year), (6, 12));
    assert_eq!(wmp.entitled.to_string(), "700");
    // Illustrative use of 450 hours leaves 250 paid for and unused.
    assert_eq!(wmp.used.map(|u| u.to_string()), Some("450".to_string()));
    assert_eq!(wmp.unused.to_string(), "250");
    assert_eq!(wmp.over.to_string(), "0");
    // 700 hours at the illustrative £3,000.00: £2,100,000.00, in advance.
    assert_eq!(wmp.charge.to_string(), "2100000.00");
    assert_eq!(first.total.to_string(), "2100000.00");
    assert!(!wmp.approximate);

    // 2014/15: a member all year, entitled to all 1400 hours; it used an
    // illustrative 1450.5, 50.5 over, none unused.
    let second = r.entitlements("npas", year("2014/15"))?;
    let wmp = second.row("west-midlands-police").ok_or("a row for WMP")?;
    assert_eq!((wmp.units, second.units_in_year), (12, 12));
    assert_eq!(wmp.entitled.to_string(), "1400");
    assert_eq!(wmp.unused.to_string(), "0");
    assert_eq!(wmp.over.to_string(), "50.5");
    assert_eq!(wmp.charge.to_string(), "4200000.00");
    Ok(())
}

#[test]
fn the_part_year_rule_decides_the_entitlement_of_a_force_joining_on_2_october() -> Result {
    // Counting only whole months, October (joined on its 2nd) does not
    // count: November to March, 5 of 12. 1400 × 5/12 = 7000/12 =
    // 583.3333... hours, 583.3333 to four places; the charge is worked from
    // the exact fraction: 7000/12 × £3,000.00 = £1,750,000.00 exactly.
    let r = npas_by(PartYear::ProRataByMonths);
    let e = r.entitlements("npas", year("2013/14"))?;
    let wmp = e.row("west-midlands-police").ok_or("a row for WMP")?;
    assert_eq!((wmp.units, e.units_in_year), (5, 12));
    assert_eq!(wmp.entitled.to_string(), "583.3333");
    assert_eq!(wmp.unused.to_string(), "133.3333");
    assert_eq!(wmp.charge.to_string(), "1750000.00");

    // Counting days: 2 October 2013 to 31 March 2014 is 30 + 30 + 31 + 31 +
    // 28 + 31 = 181 of the 365 days of 2013/14. 1400 × 181/365 = 253400/365
    // = 694 + 90/365 = 694.246575... hours, 694.2466 to four places (the
    // fifth decimal is 5, rounded half up). The charge, rounded once:
    // 253400/365 × 300000p = 76020000000/365 = 208273972.60...p, so
    // £2,082,739.73.
    let r = npas_by(PartYear::ProRataByDays);
    let e = r.entitlements("npas", year("2013/14"))?;
    let wmp = e.row("west-midlands-police").ok_or("a row for WMP")?;
    assert_eq!((wmp.units, e.units_in_year), (181, 365));
    assert_eq!(wmp.entitled.to_string(), "694.2466");
    assert_eq!(wmp.charge.to_string(), "2082739.73");

    // Under the whole-year rule a member there at all is entitled to it all.
    let r = npas_by(PartYear::WholeYear);
    let e = r.entitlements("npas", year("2013/14"))?;
    let wmp = e.row("west-midlands-police").ok_or("a row for WMP")?;
    assert_eq!((wmp.units, e.units_in_year), (365, 365));
    assert_eq!(wmp.entitled.to_string(), "1400");
    assert_eq!(wmp.charge.to_string(), "4200000.00");
    Ok(())
}

#[test]
fn a_joining_known_only_to_the_month_is_approximate() -> Result {
    // "October 2013" counts from its first day: under months begun the same
    // 6 of 12 months, but the row says the date is approximate.
    let joined = PartialDate::month(2013, 10)?;
    let r = npas(PartYear::ProRataByMonthsBegun, joined, pounds(PRICE));
    let e = r.entitlements("npas", year("2013/14"))?;
    let wmp = e.row("west-midlands-police").ok_or("a row for WMP")?;
    assert_eq!(wmp.entitled.to_string(), "700");
    assert!(wmp.approximate);
    Ok(())
}

/// Three forces sharing an illustrative budget of `budget` for 2021/22 in
/// proportion to the hours each bought (a 1000, b 2000, c 1400, joining on
/// 2 October 2021), under `rule`; b-force leaves on 1 April 2022 but has
/// hours bought for 2022/23 too.
fn shared(rule: PartYear, budget: &str) -> Registry {
    let mut r = Registry::default();
    for p in ["a-force", "b-force", "c-force"] {
        add_party(&mut r, p, p, PartyKind::PoliceForce);
    }
    let mut costs = CostArrangement::default();
    costs.part_year = rule;
    costs.set_budget(Budget::new(year("2021/22"), pounds(budget)));
    costs.set_budget(Budget::new(year("2022/23"), pounds(budget)));
    costs.set_formula(DatedFormula::new(day(2020, 4, 1), Formula::entitlement()));
    for (y, p, h) in [
        ("2021/22", "a-force", 1000),
        ("2021/22", "b-force", 2000),
        ("2021/22", "c-force", 1400),
        ("2022/23", "a-force", 1000),
        ("2022/23", "c-force", 1400),
        ("2022/23", "b-force", 2000),
    ] {
        costs
            .purchases
            .push(Purchase::new(year(y), id(p), Quantity::from_whole(h)));
    }
    costs
        .purchases
        .sort_by(|x, y| (x.year, &x.party).cmp(&(y.year, &y.party)));
    let a = Agreement::builder(
        AgreementId::new("air").unwrap_or_else(|e| panic!("{e}")),
        "Air support",
        day(2020, 4, 1),
    )
    .active_from(day(2020, 4, 1))
    .member(Membership::new(id("a-force"), Role::Lead, day(2020, 4, 1)))
    .member(
        Membership::new(id("b-force"), Role::Member, day(2020, 4, 1)).with_left(day(2022, 4, 1)),
    )
    .member(Membership::new(
        id("c-force"),
        Role::Member,
        day(2021, 10, 2),
    ))
    .costs(costs)
    .provenance(Provenance::default().illustrative("costs"))
    .build()
    .unwrap_or_else(|e| panic!("{e}"));
    r.add_agreement(a).unwrap_or_else(|e| panic!("{e}"));
    r
}

#[test]
fn without_a_unit_price_the_charge_is_the_share_of_the_budget_by_entitlement() -> Result {
    // Months begun: entitlements 1000, 2000 and 700 (6 of 12 months of
    // 1400), 3700 in all; £370,000.00 shares as 100,000.00, 200,000.00 and
    // 70,000.00 exactly.
    let r = shared(PartYear::ProRataByMonthsBegun, "370000.00");
    let e = r.entitlements("air", year("2021/22"))?;
    assert_eq!(e.charged_by, ChargeBasis::BudgetShare);
    assert_eq!(e.budget.map(|b| b.to_string()), Some("370000.00".into()));
    let rows: Vec<(&str, String, String)> = e
        .rows
        .iter()
        .map(|r| {
            (
                r.party.id.as_str(),
                r.entitled.to_string(),
                r.charge.to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("a-force", "1000".into(), "100000.00".into()),
            ("b-force", "2000".into(), "200000.00".into()),
            ("c-force", "700".into(), "70000.00".into()),
        ]
    );
    assert_eq!(e.total.to_string(), "370000.00");
    // The charges are the apportionment itself.
    let shares = r.apportion("air", year("2021/22"))?;
    for row in &e.rows {
        assert_eq!(row.charge, shares.amount_of(row.party.id.as_str()));
    }

    // By days, of £100.00: weights 1000 × 365, 2000 × 365, 1400 × 181
    // (365,000 : 730,000 : 253,400, total 1,348,400). Quotas in pence:
    // 10000 × 365000/1348400 = 2706.91..., 5413.82..., 1879.26...; floors
    // 2706 + 5413 + 1879 = 9998 leave 2p, to the largest remainders (a's
    // .91 and b's .82): 27.07, 54.14, 18.79.
    let r = shared(PartYear::ProRataByDays, "100.00");
    let e = r.entitlements("air", year("2021/22"))?;
    let charges: Vec<String> = e.rows.iter().map(|r| r.charge.to_string()).collect();
    assert_eq!(charges, ["27.07", "54.14", "18.79"]);
    assert_eq!(e.total.to_string(), "100.00");
    Ok(())
}

#[test]
fn hours_bought_for_a_year_a_force_takes_no_part_in_are_shown_not_charged() -> Result {
    // b-force left on 1 April 2022 but bought 2000 hours for 2022/23: its
    // row says it takes no part, with no entitlement and no charge; the two
    // others share the budget 1000 : 1400.
    let r = shared(PartYear::ProRataByMonthsBegun, "240000.00");
    let e = r.entitlements("air", year("2022/23"))?;
    let b = e.row("b-force").ok_or("a row for b-force")?;
    assert!(!b.taking_part);
    assert_eq!((b.bought.to_string(), b.units), ("2000".to_string(), 0));
    assert_eq!(b.entitled.to_string(), "0");
    assert_eq!(b.charge.to_string(), "0.00");
    assert_eq!(
        e.row("a-force").map(|r| r.charge.to_string()),
        Some("100000.00".into())
    );
    assert_eq!(
        e.row("c-force").map(|r| r.charge.to_string()),
        Some("140000.00".into())
    );
    Ok(())
}

#[test]
fn entitlements_serialise_with_money_and_the_basis() -> Result {
    let r = npas_by(PartYear::ProRataByMonthsBegun);
    let e = serde_json::to_value(r.entitlements("npas", year("2013/14"))?)?;
    assert_eq!(e["agreement"]["id"], json!("npas"));
    assert_eq!(e["charged_by"], json!("unit_price"));
    assert_eq!(e["part_year"], json!("pro_rata_by_months_begun"));
    assert_eq!(
        e["unit_price"],
        json!({"amount": "3000.00", "currency": "GBP"})
    );
    assert_eq!(e["budget"], json!(null));
    let row = &e["rows"][0];
    assert_eq!(row["party"]["name"], json!("West Midlands Police"));
    assert_eq!(row["entitled"], json!("700"));
    assert_eq!(
        row["charge"],
        json!({"amount": "2100000.00", "currency": "GBP"})
    );
    Ok(())
}

#[test]
fn unknown_agreements_years_without_purchases_and_overflowing_prices_are_refused() {
    let r = npas_by(PartYear::ProRataByMonthsBegun);
    let err = r
        .entitlements("no-such-service", year("2013/14"))
        .err()
        .unwrap_or_else(|| panic!("an unknown agreement is refused"));
    assert_eq!(err.kind(), ErrorKind::UnknownId);
    assert!(err.to_string().contains("no-such-service"), "{err}");

    // Hours were bought for 2013/14 and 2014/15 only.
    let err = r
        .entitlements("npas", year("2015/16"))
        .err()
        .unwrap_or_else(|| panic!("a year without purchases is refused"));
    assert_eq!(err.kind(), ErrorKind::MissingCostInput);
    assert!(
        err.to_string()
            .contains("no units were bought in advance for 2015/16"),
        "{err}"
    );
    assert_eq!(err.agreement_id(), Some("npas"));

    // A price of i64::MAX pence an hour for 700 hours does not fit in money.
    let r = npas(
        PartYear::ProRataByMonthsBegun,
        day(2013, 10, 2).into(),
        Money::from_minor(i64::MAX, Currency::GBP),
    );
    let err = r
        .entitlements("npas", year("2013/14"))
        .err()
        .unwrap_or_else(|| panic!("an overflowing charge is refused"));
    assert_eq!(err.kind(), ErrorKind::Money);
    assert!(err.to_string().contains("does not fit in money"), "{err}");
    assert_eq!(err.party_id(), Some("west-midlands-police"));
}

#[test]
fn a_joiner_can_be_asked_about_with_the_units_it_would_buy() -> Result {
    // d-force would join on 1 January 2022 buying 1200 hours for a full
    // year: under months begun it is in January, February and March, so its
    // entitlement is 1200 × 3/12 = 300. With a 1000, b 2000 and c 700 the
    // entitlements are 4000 hours; £370,000.00 shares as 92,500.00,
    // 185,000.00, 64,750.00 and 27,750.00, each exactly.
    let mut r = shared(PartYear::ProRataByMonthsBegun, "370000.00");
    add_party(&mut r, "d-force", "d-force", PartyKind::PoliceForce);
    let q = r.as_of(day(2021, 12, 1));
    let terms = JoinTerms::new()
        .on(day(2022, 1, 1))
        .with_bought(units("1200"));
    let what_if = q.what_if_join("air", "d-force", year("2021/22"), &terms)?;
    let after = |p: &str| what_if.row(p).map(|row| row.what_if.to_string());
    assert_eq!(after("a-force").as_deref(), Some("92500.00"));
    assert_eq!(after("b-force").as_deref(), Some("185000.00"));
    assert_eq!(after("c-force").as_deref(), Some("64750.00"));
    assert_eq!(after("d-force").as_deref(), Some("27750.00"));
    // Without the units it would buy there is nothing to share it by.
    let err = q
        .what_if_join(
            "air",
            "d-force",
            year("2021/22"),
            &JoinTerms::new().on(day(2022, 1, 1)),
        )
        .map(|_| ())
        .expect_err("no units bought");
    assert_eq!(err.kind(), ErrorKind::MissingCostInput);
    assert!(
        err.to_string().contains("give them in JoinTerms::bought"),
        "{err}"
    );
    Ok(())
}
