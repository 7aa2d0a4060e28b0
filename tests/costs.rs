//! Cost sharing: what each member pays towards an agreement's budget, what
//! a party pays in total, charges for any period, what-if membership
//! changes and savings, with figures checked by hand.

use chrono::NaiveDate;
use collab_registry::costs::{Apportionment, JoinTerms, MembershipChange, largest_remainder};
use collab_registry::model::{FinancialYear, Function, PartYear, Percent, Period, Quantity, Role};
use collab_registry::time::When;
use collab_registry::{ErrorKind, Registry};
use serde_json::{Value, json};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a day"))
}

fn year(text: &str) -> FinancialYear {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} is not a year: {e}"))
}

fn sample() -> Registry {
    collab_registry::sample().unwrap_or_else(|e| panic!("the sample loads: {e}"))
}

fn party(id: &str, metrics: &[(&str, &str, &str)]) -> Value {
    let metrics: Vec<Value> = metrics
        .iter()
        .map(|(metric, year, value)| json!({"metric": metric, "year": year, "value": value}))
        .collect();
    json!({"id": id, "name": id, "kind": "police_force", "metrics": metrics})
}

fn member(id: &str, joined: &str, left: Option<&str>) -> Value {
    let mut m = json!({"party": id, "role": "member", "joined": joined});
    if let Some(left) = left {
        m["left"] = json!(left);
    }
    m
}

/// A registry holding `parties` and one agreement `shared` that started on
/// 1 April 2020, with these members and costs.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the callers build the parts in place with json!, and each call stays one expression"
)]
fn registry(parties: Vec<Value>, members: Vec<Value>, costs: Value) -> Registry {
    let doc = json!({
        "schema_version": 2,
        "currency": "GBP",
        "parties": parties,
        "agreements": [{
            "id": "shared",
            "title": "A shared service",
            "legal_basis": "section_22a_police_act_1996",
            "functions": ["ict", "finance"],
            "start": "2020-04-01",
            "status": [{"status": "active", "from": "2020-04-01"}],
            "members": members,
            "costs": costs,
        }],
    });
    Registry::from_json_str(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// Parties a-force, b-force, ... with no metrics.
fn plain(ids: &[&str]) -> Vec<Value> {
    ids.iter().map(|id| party(id, &[])).collect()
}

/// Members from before the year, staying.
fn all_year(ids: &[&str]) -> Vec<Value> {
    ids.iter()
        .map(|id| member(id, "2020-04-01", None))
        .collect()
}

fn pennies<'a>(shares: &'a Apportionment<'_>) -> Vec<(&'a str, String)> {
    shares
        .shares
        .iter()
        .map(|s| (s.party.id.as_str(), s.amount.to_string()))
        .collect()
}

fn owned(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    rows.iter()
        .map(|(p, a)| (p.to_string(), a.to_string()))
        .collect()
}

fn as_owned(rows: Vec<(&str, String)>) -> Vec<(String, String)> {
    rows.into_iter().map(|(p, a)| (p.to_string(), a)).collect()
}

fn equal_costs(budget: &str) -> Value {
    json!({
        "budgets": [{"year": "2021/22", "amount": budget}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "equal"}}],
    })
}

fn fixed(a: &str, b: &str) -> Value {
    json!({"kind": "fixed_percentages", "shares": [
        {"party": "a-force", "percent": a}, {"party": "b-force", "percent": b}]})
}

#[test]
fn a_hundred_pounds_among_three_members_gives_the_odd_penny_to_the_first_party_id() {
    // Recorded in the order c, a, b: the answer follows party ids, not the record.
    let registry = registry(
        plain(&["c-force", "a-force", "b-force"]),
        all_year(&["c-force", "a-force", "b-force"]),
        equal_costs("100.00"),
    );
    let shares = registry
        .apportion("shared", year("2021/22"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "33.34"),
            ("b-force", "33.33"),
            ("c-force", "33.33")
        ])
    );
    for s in &shares.shares {
        assert_eq!(s.quota.to_string(), "10000/3");
        assert!(s.quota.is_within_one_unit(s.amount.minor_units()));
    }
}

#[test]
fn shares_by_co_prime_metrics_add_up_to_the_penny() -> Result {
    // Officers 2,099 : 1,801 : 1,499 (pairwise co-prime, total 5,399) of £1,000.00.
    // Quotas 388.7757..., 333.5803..., 277.6440...: floors 388.77 + 333.57 + 277.64
    // leave 2p, which go to the two largest remainders (b's .8 and a's .57).
    let parties = vec![
        party("a-force", &[("officers", "2021/22", "2099")]),
        party("b-force", &[("officers", "2021/22", "1801")]),
        party("c-force", &[("officers", "2021/22", "1499")]),
    ];
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "1000.00"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "metric", "metric": "officers"}}],
    });
    let registry = registry(parties, all_year(&["a-force", "b-force", "c-force"]), costs);
    let shares = registry.apportion("shared", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "388.78"),
            ("b-force", "333.58"),
            ("c-force", "277.64")
        ])
    );
    assert_eq!(
        shares.share_of("a-force").map(|s| s.quota.to_string()),
        Some("209900000/5399".to_string())
    );
    Ok(())
}

#[test]
fn a_member_that_left_on_30_september_pays_for_182_days() -> Result {
    // It was a member from 1 April to 29 September 2021: 182 of 365 days.
    // Weights 365 : 365 : 182 (total 912) of £912.00 are exactly 365, 365, 182.
    let parties = plain(&["a-force", "b-force", "leaver"]);
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
        member("leaver", "2020-04-01", Some("2021-09-30")),
    ];
    let r = registry(parties.clone(), members.clone(), equal_costs("912.00"));
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(
        shares
            .share_of("leaver")
            .map(collab_registry::costs::Share::units),
        Some(182)
    );
    assert_eq!(shares.units, 365);
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "365.00"),
            ("b-force", "365.00"),
            ("leaver", "182.00")
        ])
    );

    // Of £100.00: quotas 40.0219..., 40.0219..., 19.9561...; the odd penny goes
    // to the leaver, whose remainder is largest.
    let r = registry(parties.clone(), members.clone(), equal_costs("100.00"));
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(shares.amount_of("leaver").to_string(), "19.96");
    assert_eq!(shares.amount_of("a-force").to_string(), "40.02");

    // Under the whole-year rule it counts every paying day: a full third.
    let mut costs = equal_costs("912.00");
    costs["part_year"] = json!("whole_year");
    let r = registry(parties, members, costs);
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(shares.part_year, PartYear::WholeYear);
    assert_eq!(
        shares
            .share_of("leaver")
            .map(collab_registry::costs::Share::units),
        Some(365)
    );
    assert_eq!(shares.amount_of("leaver").to_string(), "304.00");
    Ok(())
}

#[test]
fn a_member_that_left_and_rejoined_counts_both_spells() -> Result {
    // b-force was out from 1 July to 30 September 2021: 1 April to 30 June is
    // 91 days and 1 October to 31 March 182, so 273 days of 365. A third
    // member keeps the agreement at two members while b-force is out.
    let parties = plain(&["a-force", "b-force", "c-force"]);
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", Some("2021-07-01")),
        member("b-force", "2021-10-01", None),
        member("c-force", "2020-04-01", None),
    ];
    let r = registry(parties.clone(), members.clone(), equal_costs("1003.00"));
    let shares = r.apportion("shared", year("2021/22"))?;
    // One share for b-force, not one per spell.
    assert_eq!(shares.shares.len(), 3);
    assert_eq!(
        shares
            .share_of("b-force")
            .map(collab_registry::costs::Share::units),
        Some(273)
    );
    // Weights 365 : 273 : 365 (total 1,003) of £1,003.00.
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "365.00"),
            ("b-force", "273.00"),
            ("c-force", "365.00")
        ])
    );

    // Under the whole-year rule the two spells still count as one full year.
    let mut costs = equal_costs("1003.00");
    costs["part_year"] = json!("whole_year");
    let r = registry(parties, members, costs);
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(
        shares
            .share_of("b-force")
            .map(collab_registry::costs::Share::units),
        Some(365)
    );
    assert_eq!(shares.amount_of("b-force").to_string(), "334.33");
    assert_eq!(shares.amount_of("a-force").to_string(), "334.34");
    Ok(())
}

#[test]
fn counting_by_months_counts_only_whole_months_of_membership() -> Result {
    // b-force joins on 15 June 2021: June is not a whole month of membership,
    // so it counts July to March, 9 months against a-force's 12. Of £210.00
    // equally by months: 12 : 9 is £120.00 and £90.00.
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2021-06-15", None),
        member("c-force", "2020-04-01", Some("2021-06-15")),
    ];
    // c-force leaves on 15 June: April and May are whole, June is not.
    let mut costs = equal_costs("230.00");
    costs["part_year"] = json!("pro_rata_by_months");
    let r = registry(plain(&["a-force", "b-force", "c-force"]), members, costs);
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(shares.units, 12);
    assert_eq!(
        shares
            .shares
            .iter()
            .map(collab_registry::costs::Share::units)
            .collect::<Vec<_>>(),
        [12, 9, 2]
    );
    // 12 : 9 : 2 (23 in all) of £230.00.
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "120.00"),
            ("b-force", "90.00"),
            ("c-force", "20.00")
        ])
    );
    Ok(())
}

#[test]
fn counting_months_begun_a_month_a_member_is_in_on_any_day_counts_whole() -> Result {
    // The same members under months begun: b-force joined on 15 June, so June
    // counts, 10 months (June to March); c-force left on 15 June, so it
    // counts April, May and June, 3. Every month of the year is paying.
    // 12 : 10 : 3 (25 in all) of £250.00: 120.00, 100.00, 30.00.
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2021-06-15", None),
        member("c-force", "2020-04-01", Some("2021-06-15")),
    ];
    let mut costs = equal_costs("250.00");
    costs["part_year"] = json!("pro_rata_by_months_begun");
    let r = registry(plain(&["a-force", "b-force", "c-force"]), members, costs);
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(shares.part_year, PartYear::ProRataByMonthsBegun);
    assert_eq!(shares.units, 12);
    assert_eq!(
        shares
            .shares
            .iter()
            .map(collab_registry::costs::Share::units)
            .collect::<Vec<_>>(),
        [12, 10, 3]
    );
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "120.00"),
            ("b-force", "100.00"),
            ("c-force", "30.00")
        ])
    );
    // Charged for June alone (1 of 12 months, £20.83 rounded half up from
    // 20.8333...), June is shared by all three equally: 6.95, 6.94, 6.94.
    let june = r.charges(
        "shared",
        Period::new(day(2021, 6, 1), Some(day(2021, 7, 1)))?,
    )?;
    assert_eq!(june.total.to_string(), "20.83");
    assert_eq!(june.amount_of("a-force").to_string(), "6.95");
    assert_eq!(june.amount_of("c-force").to_string(), "6.94");
    Ok(())
}

/// a-force and b-force all year; c-force joins on 2 October 2021. Equal
/// shares until the rates are revised from 1 October 2021 to shares in
/// proportion to the hours each bought in advance for the year (a 1000, b
/// 2000, c 1400), under `part_year`, of an illustrative budget.
fn revised_to_entitlements(part_year: &str, budget: &str) -> Registry {
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
        member("c-force", "2021-10-02", None),
    ];
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": budget}],
        "formulas": [
            {"from": "2020-04-01", "formula": {"kind": "equal"}},
            {"from": "2021-10-01", "formula": {"kind": "entitlement"}},
        ],
        "part_year": part_year,
        "purchases": [
            {"year": "2021/22", "party": "a-force", "units": "1000"},
            {"year": "2021/22", "party": "b-force", "units": "2000"},
            {"year": "2021/22", "party": "c-force", "units": "1400"},
        ],
    });
    registry(plain(&["a-force", "b-force", "c-force"]), members, costs)
}

#[test]
fn rates_revised_on_1_october_split_a_quarter_that_straddles_them() -> Result {
    // Illustrative figures (no published agreement found revising its rates
    // mid-year): £1,200,000.00 for 2021/22 under months begun. c-force
    // joined on 2 October, so October counts for it, read at the rate of
    // 1 October (the hours bought).
    //   April to September, 6 months at equal shares between a and b:
    //     600,000.00, 300,000.00 each.
    //   October to March, 6 months by hours, 1000 : 2000 : 1400 (each x 6
    //   months), of 600,000.00: 136,363.6363..., 272,727.2727...,
    //   190,909.0909...
    // Quotas in pence 43,636,363.63..., 57,272,727.27..., 19,090,909.09...;
    // the floors leave 1p, to a's largest remainder.
    let r = revised_to_entitlements("pro_rata_by_months_begun", "1200000.00");
    let shares = r.apportion("shared", year("2021/22"))?;
    let stretches: Vec<(NaiveDate, NaiveDate, &str, u32)> = shares
        .stretches
        .iter()
        .map(|s| (s.from, s.to, s.formula.kind(), s.units))
        .collect();
    assert_eq!(
        stretches,
        [
            (day(2021, 4, 1), day(2021, 9, 30), "equal", 6),
            (day(2021, 10, 1), day(2022, 3, 31), "entitlement", 6),
        ]
    );
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "436363.64"),
            ("b-force", "572727.27"),
            ("c-force", "190909.09")
        ])
    );
    // c-force's entitlement is 1400 × 6/12 = 700 hours; charged by share of
    // the budget, its charge is its share.
    let hours = r.entitlements("shared", year("2021/22"))?;
    let c = hours.row("c-force").ok_or("a row for c-force")?;
    assert_eq!(c.entitled.to_string(), "700");
    assert_eq!(c.charge.to_string(), "190909.09");

    // 1 September to 30 November straddles the revision: 3 of 12 months,
    // 300,000.00. September (1 month) at equal shares between a and b,
    // 100,000.00: 50,000.00 each. October and November (2 months) by hours
    // of 200,000.00: 45,454.5454..., 90,909.0909..., 63,636.3636... In
    // pence a 9,545,454.54..., b 14,090,909.09..., c 6,363,636.36...; the
    // floors leave 1p, to a (.54).
    let autumn = r.charges(
        "shared",
        Period::new(day(2021, 9, 1), Some(day(2021, 12, 1)))?,
    )?;
    assert_eq!(autumn.total.to_string(), "300000.00");
    assert_eq!(autumn.years[0].stretches.len(), 2);
    assert_eq!(autumn.amount_of("a-force").to_string(), "95454.55");
    assert_eq!(autumn.amount_of("b-force").to_string(), "140909.09");
    assert_eq!(autumn.amount_of("c-force").to_string(), "63636.36");

    // Counting days, c-force's September is nothing and its October starts
    // on the 2nd: 1 September to 30 November is 91 of 365 days,
    // 1,200,000.00 × 91/365 = 299,178.0821... rounded half up to
    // 299,178.08. September, 30 days, at equal shares between a and b;
    // October and November, 61 days, by hours x days (1000 × 61 : 2000 × 61
    // : 1400 × 60, 267,000 in all). In pence of 29,917,808:
    //   a 29,917,808 × (30/91 × 1/2 + 61/91 × 61,000/267,000) = 9,513,313.77...
    //   b 29,917,808 × (30/91 × 1/2 + 61/91 × 122,000/267,000) = 14,095,120.72...
    //   c 29,917,808 × 61/91 × 84,000/267,000 = 6,309,373.51...
    // The floors leave 2p, to a (.77) and b (.72).
    let r = revised_to_entitlements("pro_rata_by_days", "1200000.00");
    let autumn = r.charges(
        "shared",
        Period::new(day(2021, 9, 1), Some(day(2021, 12, 1)))?,
    )?;
    assert_eq!(autumn.total.to_string(), "299178.08");
    let c = autumn.years[0]
        .share_of("c-force")
        .ok_or("c-force shares")?;
    assert_eq!(
        c.stretches.iter().map(|s| s.units).collect::<Vec<_>>(),
        [0, 60]
    );
    assert_eq!(autumn.amount_of("a-force").to_string(), "95133.14");
    assert_eq!(autumn.amount_of("b-force").to_string(), "140951.21");
    assert_eq!(autumn.amount_of("c-force").to_string(), "63093.73");
    Ok(())
}

#[test]
fn fixed_percentages_round_to_the_largest_remainder() -> Result {
    // 50% / 30% / 20% of £1,000.01: quotas 500.005, 300.003, 200.002.
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "1000.01"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "fixed_percentages", "shares": [
            {"party": "a-force", "percent": "50"},
            {"party": "b-force", "percent": "30"},
            {"party": "c-force", "percent": "20"},
        ]}}],
    });
    let ids = ["a-force", "b-force", "c-force"];
    let r = registry(plain(&ids), all_year(&ids), costs);
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "500.01"),
            ("b-force", "300.00"),
            ("c-force", "200.00")
        ])
    );
    Ok(())
}

#[test]
fn usage_shares_follow_recorded_units() -> Result {
    // Learning and development, £3m in 2021/22 by 420 : 370 : 510 units (of 1,300).
    let registry = sample();
    let shares = registry.apportion("em-learning-development", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("derbyshire-police", "969230.77"),
            ("leicestershire-police", "853846.15"),
            ("nottinghamshire-police", "1176923.08"),
        ])
    );
    assert_eq!(
        shares
            .share_of("derbyshire-police")
            .map(|s| s.quota.to_string()),
        Some("1260000000/13".to_string())
    );
    Ok(())
}

#[test]
fn a_blend_of_equal_and_officer_numbers_is_rounded_once() -> Result {
    // Public order, £5m: 50% equal between two, 50% by officers 1,800 : 2,100.
    // Derbyshire: 1/4 + 1/2 × 18/39 = 25/52 of £5m = 2,403,846.1538...
    let registry = sample();
    let shares = registry.apportion("em-public-order", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("derbyshire-police", "2403846.15"),
            ("nottinghamshire-police", "2596153.85"),
        ])
    );
    assert_eq!(
        shares
            .share_of("derbyshire-police")
            .map(|s| s.quota.to_string()),
        Some("3125000000/13".to_string())
    );
    let read: Vec<String> = shares
        .share_of("derbyshire-police")
        .map(|s| {
            s.stretches[0]
                .inputs
                .iter()
                .map(ToString::to_string)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(read, ["equal", "officers 1800"]);
    Ok(())
}

#[test]
fn the_formula_follows_the_change_when_derbyshire_left_operational_support() -> Result {
    let registry = sample();
    // 2015/16: five forces at 20% of £20m.
    let before = registry.apportion("em-operational-support", year("2015/16"))?;
    assert_eq!(before.stretches.len(), 1);
    assert_eq!(before.stretches[0].formula_from, day(2012, 4, 1));
    assert_eq!(before.shares.len(), 5);
    assert!(
        before
            .shares
            .iter()
            .all(|s| s.amount.to_string() == "4000000.00")
    );
    // 2016/17: Derbyshire has left; four forces at 25% of £19m.
    let after = registry.apportion("em-operational-support", year("2016/17"))?;
    assert_eq!(after.stretches[0].formula_from, day(2016, 4, 1));
    assert!(after.share_of("derbyshire-police").is_none());
    assert_eq!(
        as_owned(pennies(&after)),
        owned(&[
            ("leicestershire-police", "4750000.00"),
            ("lincolnshire-police", "4750000.00"),
            ("northamptonshire-police", "4750000.00"),
            ("nottinghamshire-police", "4750000.00"),
        ])
    );
    Ok(())
}

/// Two members all year, 60/40 until a revision to 30/70 takes effect on
/// `change`, with these budgets and part-year rule.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the callers build the budgets in place with json!, and each call stays one expression"
)]
fn revised(change: &str, budgets: Value, part_year: &str) -> Registry {
    let costs = json!({
        "budgets": budgets,
        "formulas": [
            {"from": "2020-04-01", "formula": fixed("60", "40")},
            {"from": change, "formula": fixed("30", "70")},
        ],
        "part_year": part_year,
    });
    let ids = ["a-force", "b-force"];
    registry(plain(&ids), all_year(&ids), costs)
}

#[test]
fn a_rate_revised_on_1_october_applies_from_that_day() -> Result {
    // 1 April to 30 September 2021 is 183 days at 60/40, 1 October to
    // 31 March 182 days at 30/70. Of £365.00 the first stretch gets
    // 365.00 × 183/365 = 183.00 and the second 182.00:
    //   a-force 0.6 × 183.00 + 0.3 × 182.00 = 109.80 + 54.60 = 164.40
    //   b-force 0.4 × 183.00 + 0.7 × 182.00 =  73.20 + 127.40 = 200.60
    let r = revised(
        "2021-10-01",
        json!([{"year": "2021/22", "amount": "365.00"}]),
        "pro_rata_by_days",
    );
    let shares = r.apportion("shared", year("2021/22"))?;
    let stretches: Vec<(NaiveDate, NaiveDate, NaiveDate, u32)> = shares
        .stretches
        .iter()
        .map(|s| (s.from, s.to, s.formula_from, s.units))
        .collect();
    assert_eq!(
        stretches,
        [
            (day(2021, 4, 1), day(2021, 9, 30), day(2020, 4, 1), 183),
            (day(2021, 10, 1), day(2022, 3, 31), day(2021, 10, 1), 182),
        ]
    );
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[("a-force", "164.40"), ("b-force", "200.60")])
    );
    let a = shares.share_of("a-force").ok_or("a-force shares")?;
    let units: Vec<u32> = a.stretches.iter().map(|s| s.units).collect();
    assert_eq!(units, [183, 182]);
    assert_eq!(a.stretches[1].inputs[0].to_string(), "30%");

    // Of £100.00 the quotas are 100 × 164.4/365 = 45.0410... and 54.9589...:
    // rounded once, the odd penny goes to b-force's larger remainder.
    let r = revised(
        "2021-10-01",
        json!([{"year": "2021/22", "amount": "100.00"}]),
        "pro_rata_by_days",
    );
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[("a-force", "45.04"), ("b-force", "54.96")])
    );
    assert_eq!(
        shares.share_of("a-force").map(|s| s.quota.to_string()),
        Some("328800/73".to_string())
    );
    Ok(())
}

#[test]
fn counting_by_months_a_month_belongs_to_the_rate_of_its_first_day() -> Result {
    // Revised on 15 October: October is in force at 60/40 on its first day,
    // so April to October (7 months) are at 60/40 and November to March (5)
    // at 30/70. Of £120.00: £70.00 and £50.00.
    //   a-force 0.6 × 70 + 0.3 × 50 = 42 + 15 = 57.00
    //   b-force 0.4 × 70 + 0.7 × 50 = 28 + 35 = 63.00
    let r = revised(
        "2021-10-15",
        json!([{"year": "2021/22", "amount": "120.00"}]),
        "pro_rata_by_months",
    );
    let shares = r.apportion("shared", year("2021/22"))?;
    let stretches: Vec<(NaiveDate, NaiveDate, u32)> = shares
        .stretches
        .iter()
        .map(|s| (s.from, s.to, s.units))
        .collect();
    assert_eq!(
        stretches,
        [
            (day(2021, 4, 1), day(2021, 10, 31), 7),
            (day(2021, 11, 1), day(2022, 3, 31), 5),
        ]
    );
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[("a-force", "57.00"), ("b-force", "63.00")])
    );

    // Counting days instead, the revision splits October: 197 days at
    // 60/40 and 168 at 30/70 of £365.00:
    //   a-force 0.6 × 197 + 0.3 × 168 = 118.20 + 50.40 = 168.60
    let r = revised(
        "2021-10-15",
        json!([{"year": "2021/22", "amount": "365.00"}]),
        "pro_rata_by_days",
    );
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(shares.amount_of("a-force").to_string(), "168.60");
    assert_eq!(shares.amount_of("b-force").to_string(), "196.40");
    Ok(())
}

#[test]
fn a_revision_that_changes_nothing_leaves_one_stretch() -> Result {
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "100.00"}],
        "formulas": [
            {"from": "2020-04-01", "formula": {"kind": "equal"}},
            {"from": "2021-10-01", "formula": {"kind": "equal"}},
        ],
    });
    let ids = ["a-force", "b-force"];
    let r = registry(plain(&ids), all_year(&ids), costs);
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(shares.stretches.len(), 1);
    assert_eq!(shares.amount_of("a-force").to_string(), "50.00");
    Ok(())
}

#[test]
fn observers_pay_nothing() -> Result {
    let mut observer = member("watcher", "2020-04-01", None);
    observer["role"] = json!("observer");
    let mut members = all_year(&["a-force", "b-force"]);
    members.push(observer);
    let r = registry(
        plain(&["a-force", "b-force", "watcher"]),
        members,
        equal_costs("100.00"),
    );
    let shares = r.apportion("shared", year("2021/22"))?;
    assert!(shares.share_of("watcher").is_none());
    assert_eq!(shares.amount_of("a-force").to_string(), "50.00");
    assert_eq!(shares.amount_of("watcher").to_string(), "0.00");
    Ok(())
}

#[test]
fn a_member_that_becomes_an_observer_stops_paying_from_that_day() -> Result {
    // c-force is an observer from 1 October 2021: it pays for the 183 days
    // before. Weights 365 : 365 : 183 (913) of £913.00.
    let ids = ["a-force", "b-force", "c-force"];
    let mut r = registry(plain(&ids), all_year(&ids), equal_costs("913.00"));
    r.change_role("shared", "c-force", Role::Observer, day(2021, 10, 1))?;
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "365.00"),
            ("b-force", "365.00"),
            ("c-force", "183.00")
        ])
    );
    Ok(())
}

#[test]
fn days_after_a_termination_need_no_formula_and_share_nothing() -> Result {
    // Terminated on 1 October 2021: the fixed percentages in force from that
    // day give b-force no share, but no day from then on is shared, so the
    // registry loads (loading used to ask for b's share after the end) and
    // 2021/22 shares its 183 days equally.
    let doc = json!({
        "schema_version": 2,
        "currency": "GBP",
        "parties": plain(&["a-force", "b-force"]),
        "agreements": [{
            "id": "shared",
            "title": "A shared service",
            "legal_basis": "contract",
            "start": "2020-04-01",
            "status": [
                {"status": "active", "from": "2020-04-01"},
                {"status": "terminated", "from": "2021-10-01"},
            ],
            "members": all_year(&["a-force", "b-force"]),
            "costs": {
                "budgets": [{"year": "2021/22", "amount": "100.00"}],
                "formulas": [
                    {"from": "2020-04-01", "formula": {"kind": "equal"}},
                    {"from": "2021-10-01", "formula": {"kind": "fixed_percentages", "shares": [
                        {"party": "a-force", "percent": "100"}]}},
                ],
            },
        }],
    });
    let r = Registry::from_json_str(&doc.to_string())?;
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(shares.units, 183);
    assert_eq!(shares.stretches.len(), 1);
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[("a-force", "50.00"), ("b-force", "50.00")])
    );
    Ok(())
}

#[test]
fn a_role_taken_up_in_a_later_year_does_not_reach_back() -> Result {
    // c-force observes until it becomes a member on 1 April 2022: in
    // 2021/22 it pays nothing (its role is read on each day, not as it now
    // stands), and a and b share £100.00 equally.
    let ids = ["a-force", "b-force", "c-force"];
    let mut members = all_year(&ids);
    members[2]["role"] = json!("observer");
    let mut costs = equal_costs("100.00");
    costs["budgets"] = json!([
        {"year": "2021/22", "amount": "100.00"},
        {"year": "2022/23", "amount": "90.00"},
    ]);
    let mut r = registry(plain(&ids), members, costs);
    r.change_role("shared", "c-force", Role::Member, day(2022, 4, 1))?;
    let before = r.apportion("shared", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&before)),
        owned(&[("a-force", "50.00"), ("b-force", "50.00")])
    );
    let after = r.apportion("shared", year("2022/23"))?;
    assert_eq!(after.amount_of("c-force").to_string(), "30.00");
    Ok(())
}

#[test]
fn a_year_counts_what_the_register_knew_on_the_register_day_whatever_the_day_asked() -> Result {
    // Derbyshire leaves major crime on 1 October 2021, entered on 10 June.
    let mut registry = sample();
    registry.leave(
        "em-major-crime",
        "derbyshire-police",
        When::on(day(2021, 10, 1)).entered(day(2021, 6, 10)),
    )?;
    // Asked on 1 May 2021 with every fact: it pays 183 of 365 days. Weights
    // 183 + 4 × 365 = 1,643 of £30m: 3,341,448.5697... and 6,664,637.8575...;
    // four pennies left go to Derbyshire and the first three others.
    let may = registry.as_of(day(2021, 5, 1));
    let shares = may.apportion("em-major-crime", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("derbyshire-police", "3341448.57"),
            ("leicestershire-police", "6664637.86"),
            ("lincolnshire-police", "6664637.86"),
            ("northamptonshire-police", "6664637.86"),
            ("nottinghamshire-police", "6664637.85"),
        ])
    );
    // As the register stood on 31 May, the leaving was not yet known.
    let then = may.as_recorded_on(day(2021, 5, 31));
    let shares = then.apportion("em-major-crime", year("2021/22"))?;
    assert_eq!(
        shares.amount_of("derbyshire-police").to_string(),
        "6000000.00"
    );
    // The day asked does not matter: asked in 2030 as of that register day,
    // the same.
    let later = registry
        .as_of(day(2030, 1, 1))
        .as_recorded_on(day(2021, 5, 31));
    assert_eq!(later.apportion("em-major-crime", year("2021/22"))?, shares);
    Ok(())
}

#[test]
fn numbers_beyond_128_bits_are_worked_exactly_not_refused() -> Result {
    // Changed on purpose: these were refused as overflowing 128 bits; they
    // are now worked again in integers of any length. Weights whose sum
    // does not fit in 128 bits still split the largest total exactly.
    let parts = largest_remainder(i64::MAX, &[u128::MAX, 2])?;
    assert_eq!(parts.iter().map(|p| p.amount).sum::<i64>(), i64::MAX);
    assert!(parts.iter().all(|p| p.quota.is_within_one_unit(p.amount)));
    // A product that does not fit is worked out in 256 bits: the largest
    // budget among weights near 2^127 still splits exactly.
    let parts = largest_remainder(i64::MAX, &[u128::MAX / 2, u128::MAX / 3])?;
    assert_eq!(parts.iter().map(|p| p.amount).sum::<i64>(), i64::MAX);
    assert!(parts.iter().all(|p| p.quota.is_within_one_unit(p.amount)));
    // A blend of two metrics whose totals are co-prime and near 2^64, of the
    // largest budget money can hold: the exact common denominator does not
    // fit in 128 bits. With M = 2^64 - 1 ten-thousandths, a's fraction is
    // 1/2 × M/(M + 4) + 1/2 × 1/(M + 3), b's 1/2 × 1/(M + 4) + 1/2 × M/(M + 3)
    // and c's 1/2 × 3/(M + 4) + 1/2 × 2/(M + 3). Of 9,223,372,036,854,775,807p
    // the quotas are 4,611,686,018,427,387,902.75, ...903.00000... and
    // 1.25: the floors leave 1p, to a's largest remainder.
    let max = "1844674407370955.1615"; // u64::MAX ten-thousandths
    let parties = vec![
        party(
            "a-force",
            &[("m1", "2021/22", max), ("m2", "2021/22", "0.0001")],
        ),
        party(
            "b-force",
            &[("m1", "2021/22", "0.0001"), ("m2", "2021/22", max)],
        ),
        party(
            "c-force",
            &[("m1", "2021/22", "0.0003"), ("m2", "2021/22", "0.0002")],
        ),
    ];
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "92233720368547758.07"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "blend", "parts": [
            {"weight": "50", "formula": {"kind": "metric", "metric": "m1"}},
            {"weight": "50", "formula": {"kind": "metric", "metric": "m2"}},
        ]}}],
    });
    let r = registry(parties, all_year(&["a-force", "b-force", "c-force"]), costs);
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("a-force", "46116860184273879.03"),
            ("b-force", "46116860184273879.03"),
            ("c-force", "0.01")
        ])
    );
    let a = shares.share_of("a-force").ok_or("a-force shares")?;
    assert!(a.quota.is_within_one_unit(a.amount.minor_units()));
    // Its exact quota is too long for a 128-bit fraction: a whole number
    // and a fraction, reduced.
    assert_eq!(a.quota.reduced(), None);
    assert!(
        a.quota.to_string().starts_with("4611686018427387902+"),
        "{}",
        a.quota
    );
    Ok(())
}

#[test]
fn unknown_ids_and_missing_budgets_are_refused_by_kind() {
    let registry = sample();
    let y = year("2021/22");
    let kind = |e: collab_registry::Error| e.kind();
    assert_eq!(
        registry.apportion("no-such-agreement", y).err().map(kind),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        registry.contributions("no-such-party", y).err().map(kind),
        Some(ErrorKind::UnknownId)
    );
    assert_eq!(
        registry
            .what_if_withdrawal("em-major-crime", "nobody", y)
            .err()
            .map(kind),
        Some(ErrorKind::UnknownId)
    );
    let err = registry.apportion("em-major-crime", year("2019/20")).err();
    assert_eq!(
        err.as_ref().map(collab_registry::Error::kind),
        Some(ErrorKind::MissingCostInput)
    );
    assert_eq!(
        err.as_ref().and_then(|e| e.agreement_id()),
        Some("em-major-crime")
    );
    // An agreement entered after the register day was not known then.
    let mut later = sample();
    let costs = later
        .agreement("em-major-crime")
        .map(|a| a.terms().costs().clone())
        .unwrap_or_default();
    let new = collab_registry::model::Agreement::builder(
        collab_registry::model::AgreementId::new("em-new").unwrap_or_else(|e| panic!("{e}")),
        "New",
        day(2021, 4, 1),
    )
    .active_from(day(2021, 4, 1))
    .member(collab_registry::model::Membership::new(
        collab_registry::model::PartyId::new("derbyshire-police").unwrap_or_else(|e| panic!("{e}")),
        Role::Member,
        day(2021, 4, 1),
    ))
    .member(collab_registry::model::Membership::new(
        collab_registry::model::PartyId::new("lincolnshire-police")
            .unwrap_or_else(|e| panic!("{e}")),
        Role::Member,
        day(2021, 4, 1),
    ))
    .costs(costs)
    .entered(day(2021, 6, 1))
    .build()
    .unwrap_or_else(|e| panic!("{e}"));
    later.add_agreement(new).unwrap_or_else(|e| panic!("{e}"));
    let before = later.as_of(day(2021, 5, 1)).as_recorded_on(day(2021, 5, 1));
    assert_eq!(
        before.apportion("em-new", y).err().map(kind),
        Some(ErrorKind::UnknownId)
    );
    assert!(later.as_of(day(2021, 5, 1)).apportion("em-new", y).is_ok());
}

#[test]
fn a_missing_usage_record_is_refused_with_the_member_named() {
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "100.00"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "usage"}}],
        "usage": [{"year": "2021/22", "party": "a-force", "units": "3"}],
    });
    let ids = ["a-force", "b-force"];
    let r = registry(plain(&ids), all_year(&ids), costs);
    let err = r.apportion("shared", year("2021/22")).err();
    assert_eq!(
        err.as_ref().map(collab_registry::Error::kind),
        Some(ErrorKind::MissingCostInput)
    );
    assert_eq!(err.as_ref().and_then(|e| e.party_id()), Some("b-force"));
}

#[test]
fn zero_weights_are_refused_but_a_zero_budget_shares_nothing() -> Result {
    let parties = vec![
        party("a-force", &[("nre", "2021/22", "0")]),
        party("b-force", &[("nre", "2021/22", "0")]),
    ];
    let ids = ["a-force", "b-force"];
    let costs = |amount: &str| {
        json!({
            "budgets": [{"year": "2021/22", "amount": amount}],
            "formulas": [{"from": "2020-04-01", "formula": {"kind": "metric", "metric": "nre"}}],
        })
    };
    let r = registry(parties.clone(), all_year(&ids), costs("100.00"));
    assert_eq!(
        r.apportion("shared", year("2021/22"))
            .err()
            .map(|e| e.kind()),
        Some(ErrorKind::MissingCostInput)
    );
    let r = registry(parties, all_year(&ids), costs("0.00"));
    let shares = r.apportion("shared", year("2021/22"))?;
    assert!(shares.shares.iter().all(|s| s.amount.is_zero()));
    Ok(())
}

#[test]
fn northamptonshire_budgets_of_2021_22_drive_the_enabling_services_shares() -> Result {
    // Police £153.5m and fire £25.3m (seed 001), shared £10m in proportion.
    let registry = sample();
    let y = year("2021/22");
    let on = registry.as_of(day(2021, 4, 1));
    let police = on.party("northamptonshire-police")?;
    assert_eq!(
        police.metric("revenue_budget", y),
        Some("153500000".parse()?)
    );
    let shares = on.apportion("northamptonshire-enabling-services", y)?;
    let value = |party: &str| {
        shares
            .share_of(party)
            .map(|s| s.stretches[0].inputs[0].to_string())
    };
    assert_eq!(
        value("northamptonshire-police").as_deref(),
        Some("revenue_budget 153500000")
    );
    assert_eq!(
        value("northamptonshire-fire").as_deref(),
        Some("revenue_budget 25300000")
    );
    // 1535/1788 and 253/1788 of £10m: 8,585,011.185... and 1,414,988.814...
    assert_eq!(
        as_owned(pennies(&shares)),
        owned(&[
            ("northamptonshire-fire", "1414988.81"),
            ("northamptonshire-police", "8585011.19"),
        ])
    );
    // Names are those of the day asked.
    assert_eq!(
        shares
            .share_of("northamptonshire-fire")
            .map(|s| s.party.name),
        Some("Northamptonshire Fire and Rescue Service")
    );
    Ok(())
}

#[test]
fn a_period_inside_a_year_is_charged_its_days_at_the_rate_of_each_day() -> Result {
    // October to December 2021 (92 days) of £365.00 revised to 30/70 on
    // 1 October: 365.00 × 92/365 = 92.00, all at 30/70: 27.60 and 64.40.
    let r = revised(
        "2021-10-01",
        json!([{"year": "2021/22", "amount": "365.00"}]),
        "pro_rata_by_days",
    );
    let charges = r.charges(
        "shared",
        Period::new(day(2021, 10, 1), Some(day(2022, 1, 1)))?,
    )?;
    assert_eq!(charges.total.to_string(), "92.00");
    assert_eq!(charges.years.len(), 1);
    assert_eq!(
        (charges.years[0].units, charges.years[0].units_in_year),
        (92, 365)
    );
    assert_eq!(charges.amount_of("a-force").to_string(), "27.60");
    assert_eq!(charges.amount_of("b-force").to_string(), "64.40");
    // September and October straddle the revision: 30 days at 60/40 and 31
    // at 30/70 of 61.00: a-force 18.00 + 9.30 = 27.30.
    let charges = r.charges(
        "shared",
        Period::new(day(2021, 9, 1), Some(day(2021, 11, 1)))?,
    )?;
    assert_eq!(charges.total.to_string(), "61.00");
    assert_eq!(charges.years[0].stretches.len(), 2);
    assert_eq!(charges.amount_of("a-force").to_string(), "27.30");
    assert_eq!(charges.amount_of("b-force").to_string(), "33.70");
    // The whole year is charged its apportionment exactly.
    let whole = r.charges("shared", year("2021/22").period())?;
    let shares = r.apportion("shared", year("2021/22"))?;
    assert_eq!(whole.years[0].shares, shares.shares);
    Ok(())
}

#[test]
fn a_period_across_two_years_is_split_at_1_april() -> Result {
    // 1 January to 30 June 2022: 90 days of 2021/22 (£365.00, at 30/70 since
    // October) and 91 of 2022/23 (£730.00, 365 days, all at 30/70).
    //   2021/22: 365.00 × 90/365 = 90.00: a-force 27.00, b-force 63.00
    //   2022/23: 730.00 × 91/365 = 182.00: a-force 54.60, b-force 127.40
    let r = revised(
        "2021-10-01",
        json!([
            {"year": "2021/22", "amount": "365.00"},
            {"year": "2022/23", "amount": "730.00"},
        ]),
        "pro_rata_by_days",
    );
    let charges = r.charges(
        "shared",
        Period::new(day(2022, 1, 1), Some(day(2022, 7, 1)))?,
    )?;
    let years: Vec<(String, u32, String)> = charges
        .years
        .iter()
        .map(|y| (y.year.to_string(), y.units, y.amount.to_string()))
        .collect();
    assert_eq!(
        years,
        [
            ("2021/22".to_string(), 90, "90.00".to_string()),
            ("2022/23".to_string(), 91, "182.00".to_string()),
        ]
    );
    assert_eq!(charges.total.to_string(), "272.00");
    assert_eq!(charges.amount_of("a-force").to_string(), "81.60");
    assert_eq!(charges.amount_of("b-force").to_string(), "190.40");
    // A year the period reaches without a budget is refused.
    let err = r
        .charges(
            "shared",
            Period::new(day(2023, 1, 1), Some(day(2023, 7, 1)))?,
        )
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::MissingCostInput));
    // A period without an end cannot be charged.
    let err = r
        .charges("shared", Period::from(day(2022, 1, 1)))
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::InvalidDate));
    Ok(())
}

#[test]
fn a_periods_part_of_the_budget_is_rounded_half_up() -> Result {
    // 2023/24 has 366 days. One day of £1.83 is 183/366 = half a penny,
    // rounded up to 0.01; between two equal members the penny goes to the
    // first id.
    let costs = json!({
        "budgets": [{"year": "2023/24", "amount": "1.83"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "equal"}}],
    });
    let ids = ["a-force", "b-force"];
    let r = registry(plain(&ids), all_year(&ids), costs);
    let charges = r.charges(
        "shared",
        Period::new(day(2023, 4, 1), Some(day(2023, 4, 2)))?,
    )?;
    assert_eq!(charges.years[0].units_in_year, 366);
    assert_eq!(charges.total.to_string(), "0.01");
    assert_eq!(charges.amount_of("a-force").to_string(), "0.01");
    assert_eq!(charges.amount_of("b-force").to_string(), "0.00");
    Ok(())
}

#[test]
fn a_partys_contributions_add_up_across_agreements_and_functions() -> Result {
    let registry = sample();
    let paid = registry
        .as_of(day(2021, 4, 1))
        .contributions("northamptonshire-police", year("2021/22"))?;
    let by_agreement: Vec<(&str, String)> = paid
        .by_agreement
        .iter()
        .map(|a| (a.agreement.id.as_str(), a.amount.to_string()))
        .collect();
    assert_eq!(
        as_owned(by_agreement),
        owned(&[
            ("em-major-crime", "6000000.00"),
            ("em-operational-support", "5250000.00"),
            ("northamptonshire-enabling-services", "8585011.19"),
        ])
    );
    assert_eq!(paid.total.to_string(), "19835011.19");
    // Each agreement's share is split equally among its functions: £6m over
    // major crime, serious organised crime and counter terrorism is £2m each.
    assert_eq!(
        paid.to_function(Function::MajorCrime).to_string(),
        "2000000.00"
    );
    // Enabling services, £8,585,011.19 over four functions: 2,146,252.7975
    // each, the odd 3p to the first three in function order.
    assert_eq!(
        paid.to_function(Function::HumanResources).to_string(),
        "2146252.80"
    );
    assert_eq!(
        paid.to_function(Function::Estates).to_string(),
        "2146252.79"
    );
    let order: Vec<Function> = paid.by_function.iter().map(|f| f.function).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|f| Function::ALL.iter().position(|g| g == f));
    assert_eq!(order, sorted);
    let by_function: i64 = paid
        .by_function
        .iter()
        .map(|f| f.amount.minor_units())
        .sum();
    assert_eq!(
        by_function + paid.unattributed.minor_units(),
        paid.total.minor_units()
    );
    // Agreements it is in without a budget this year are listed, not costed.
    assert!(
        paid.unbudgeted
            .iter()
            .any(|a| a.id.as_str() == "northants-leics-notts-alliance")
    );
    assert_eq!(
        paid.to_agreement("em-major-crime").map(|a| a.units),
        Some(365)
    );
    Ok(())
}

#[test]
fn what_if_derbyshire_withdrew_from_major_crime() -> Result {
    let registry = sample();
    let before = registry.to_json_string();
    let what_if = registry.as_of(day(2021, 4, 1)).what_if_withdrawal(
        "em-major-crime",
        "derbyshire-police",
        year("2021/22"),
    )?;
    let rows: Vec<(&str, String, String, String)> = what_if
        .rows
        .iter()
        .map(|r| {
            (
                r.party.id.as_str(),
                r.current.to_string(),
                r.what_if.to_string(),
                r.difference.to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows[0],
        (
            "derbyshire-police",
            "6000000.00".into(),
            "0.00".into(),
            "-6000000.00".into()
        )
    );
    for row in &rows[1..] {
        assert_eq!(
            (row.1.as_str(), row.2.as_str(), row.3.as_str()),
            ("6000000.00", "7500000.00", "1500000.00")
        );
    }
    assert_eq!(rows.len(), 5);
    assert!(matches!(
        what_if.change,
        MembershipChange::Withdrawal { party, .. } if party.id.as_str() == "derbyshire-police"
    ));
    assert_eq!(registry.to_json_string(), before);
    // The registry still has Derbyshire paying its share.
    let now = registry.apportion("em-major-crime", year("2021/22"))?;
    assert_eq!(now.amount_of("derbyshire-police").to_string(), "6000000.00");
    // A party that takes no part cannot withdraw.
    let err = registry
        .what_if_withdrawal("em-major-crime", "bedfordshire-police", year("2021/22"))
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::NotAMember));
    Ok(())
}

#[test]
fn what_if_a_party_rejoined_fixed_percentages_needs_its_percentage() -> Result {
    let registry = sample();
    let y = year("2021/22");
    let err = registry
        .what_if_join(
            "em-operational-support",
            "derbyshire-police",
            y,
            &JoinTerms::new(),
        )
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::MissingCostInput));
    // At 20% the other four are scaled from 25% to 20% each: £4.2m all round.
    let terms = JoinTerms::new().with_percent("20".parse::<Percent>()?);
    let what_if =
        registry.what_if_join("em-operational-support", "derbyshire-police", y, &terms)?;
    assert!(
        what_if
            .rows
            .iter()
            .all(|r| r.what_if.to_string() == "4200000.00")
    );
    assert_eq!(
        what_if
            .row("leicestershire-police")
            .map(|r| r.difference.to_string()),
        Some("-1050000.00".to_string())
    );
    // A percentage for an equal-shares agreement is refused, not ignored.
    let err = registry
        .what_if_join("em-major-crime", "bedfordshire-police", y, &terms)
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::InvalidValue));
    Ok(())
}

#[test]
fn what_if_a_party_joined_part_way_through_the_year() -> Result {
    let registry = sample();
    let y = year("2021/22");
    // Joining learning and development on 1 October 2021 with 130 units: usage
    // is not scaled by days (the units already cover the part year).
    let terms = JoinTerms::new()
        .on(day(2021, 10, 1))
        .with_usage("130".parse::<Quantity>()?);
    let what_if =
        registry.what_if_join("em-learning-development", "lincolnshire-police", y, &terms)?;
    // 130 of 1,430 units of £3m.
    assert_eq!(
        what_if
            .row("lincolnshire-police")
            .map(|r| r.what_if.to_string()),
        Some("272727.27".to_string())
    );
    assert_eq!(
        what_if
            .what_if
            .share_of("lincolnshire-police")
            .map(collab_registry::costs::Share::units),
        Some(182)
    );
    // Equal shares: joining on 1 October counts 182 days against 365.
    let terms = JoinTerms::new().on(day(2021, 10, 1));
    let what_if = registry.what_if_join("em-major-crime", "bedfordshire-police", y, &terms)?;
    // Weights 5 × 365 + 182 = 2,007: £30m × 182 / 2,007 = 2,720,478.32...
    assert_eq!(
        what_if
            .row("bedfordshire-police")
            .map(|r| r.what_if.to_string()),
        Some("2720478.33".to_string())
    );
    let kind = |r: std::result::Result<_, collab_registry::Error>| r.err().map(|e| e.kind());
    assert_eq!(
        kind(registry.what_if_join("em-major-crime", "derbyshire-police", y, &JoinTerms::new())),
        Some(ErrorKind::InvalidValue)
    );
    assert_eq!(
        kind(registry.what_if_join(
            "em-major-crime",
            "bedfordshire-police",
            y,
            &JoinTerms::new().on(day(2022, 4, 1))
        )),
        Some(ErrorKind::OutOfPeriod)
    );
    // Usage joiner without usage recorded or given.
    assert_eq!(
        kind(registry.what_if_join(
            "em-learning-development",
            "lincolnshire-police",
            y,
            &JoinTerms::new()
        )),
        Some(ErrorKind::MissingCostInput)
    );
    Ok(())
}

#[test]
fn savings_figures_from_the_sources() -> Result {
    let registry = sample();
    let on = registry.as_of(day(2021, 4, 1));
    // Bedfordshire, Cambridgeshire and Hertfordshire: £61.1m by 2019/20 (seed 003).
    let bch = on.savings("bch-strategic-alliance")?;
    let alliance = &bch.agreements[0];
    assert_eq!(
        alliance.target.map(|m| m.to_string()).as_deref(),
        Some("61100000.00")
    );
    assert_eq!(
        alliance.target_by.map(|y| y.to_string()).as_deref(),
        Some("2019/20")
    );
    assert_eq!(bch.agreements.len(), 4);
    // Northamptonshire, Leicestershire and Nottinghamshire: up to £80m (seed 002).
    let nln = on.savings("northants-leics-notts-alliance")?;
    assert_eq!(
        nln.agreements[0].target.map(|m| m.to_string()).as_deref(),
        Some("80000000.00")
    );
    assert_eq!(
        nln.agreements[1].agreement.id.as_str(),
        "nln-contact-management"
    );
    assert_eq!(
        nln.agreements[1].part_of.map(|a| a.id.as_str()),
        Some("northants-leics-notts-alliance")
    );
    // East Midlands: HMIC found 20% on average (seed 004).
    let em = on.savings("em-collaboration-programme")?;
    assert_eq!(
        em.agreements[0]
            .realised_percent
            .map(|p| p.to_string())
            .as_deref(),
        Some("20")
    );
    // Its operational support saved £5m of £25m in 2015/16: 20%.
    let ops = em
        .of("em-operational-support")
        .ok_or("operational support is under the programme")?;
    let first = &ops.by_year[0];
    assert_eq!(
        (
            first.year.to_string(),
            first.saving.to_string(),
            first.percent.map(|p| p.to_string())
        ),
        (
            "2015/16".to_string(),
            "5000000.00".to_string(),
            Some("20".to_string())
        )
    );
    assert_eq!(em.agreements.len(), 5);
    assert_eq!(em.combined.len(), 3);
    Ok(())
}

#[test]
fn savings_percentages_round_half_up_and_increases_have_no_percentage() -> Result {
    let costs = json!({
        "budgets": [
            {"year": "2021/22", "amount": "200.00"},
            {"year": "2022/23", "amount": "400.00"},
        ],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "equal"}}],
        "baseline": "300.00",
        "savings": {"target_percent": "12.5", "realised": [
            {"year": "2021/22", "amount": "100.00"},
            {"year": "2021/22", "amount": "40.00", "party": "b-force"},
            {"year": "2021/22", "amount": "60.00", "party": "a-force"},
        ]},
    });
    let ids = ["a-force", "b-force"];
    let r = registry(plain(&ids), all_year(&ids), costs);
    let report = r.savings("shared")?;
    let s = &report.agreements[0];
    // 100 of 300 is 33.33333...%: 33.3333 to four places.
    assert_eq!(
        s.by_year[0].percent.map(|p| p.to_string()).as_deref(),
        Some("33.3333")
    );
    // The agreement's own realised saving first, then each member's by id;
    // 40 of 300 is 13.3333%, 60 of 300 exactly 20%.
    let realised: Vec<(Option<&str>, String, Option<String>)> = s
        .realised
        .iter()
        .map(|r| {
            (
                r.party.map(|p| p.id.as_str()),
                r.amount.to_string(),
                r.percent.map(|p| p.to_string()),
            )
        })
        .collect();
    assert_eq!(
        realised,
        [
            (None, "100.00".to_string(), Some("33.3333".to_string())),
            (Some("a-force"), "60.00".to_string(), Some("20".to_string())),
            (
                Some("b-force"),
                "40.00".to_string(),
                Some("13.3333".to_string())
            ),
        ]
    );
    // The budget of 2022/23 is above the baseline: a negative saving.
    assert_eq!(s.by_year[1].saving.to_string(), "-100.00");
    assert_eq!(s.by_year[1].percent, None);
    // 12.5% of £300.00 is £37.50.
    assert_eq!(
        s.target_from_percent.map(|m| m.to_string()).as_deref(),
        Some("37.50")
    );
    Ok(())
}

#[test]
fn answers_serialise_with_money_and_currency_and_null_for_nothing() -> Result {
    let registry = sample();
    let on = registry.as_of(day(2021, 4, 1));
    let shares = on.apportion("em-major-crime", year("2021/22"))?;
    let value = serde_json::to_value(&shares)?;
    assert_eq!(
        value["budget"],
        json!({"amount": "30000000.00", "currency": "GBP"})
    );
    assert_eq!(value["agreement"]["id"], json!("em-major-crime"));
    assert_eq!(
        value["shares"][0]["amount"],
        json!({"amount": "6000000.00", "currency": "GBP"})
    );
    assert_eq!(
        value["shares"][0]["party"]["id"],
        json!("derbyshire-police")
    );
    assert_eq!(value["shares"][0]["quota"], json!("600000000"));
    assert_eq!(value["stretches"][0]["formula"]["kind"], json!("equal"));
    assert_eq!(value["stretches"][0]["to"], json!("2022-03-31"));
    assert_eq!(value["part_year"], json!("pro_rata_by_days"));
    let what_if = on.what_if_withdrawal("em-major-crime", "derbyshire-police", year("2021/22"))?;
    let value = serde_json::to_value(&what_if)?;
    assert_eq!(value["change"]["kind"], json!("withdrawal"));
    assert_eq!(
        value["rows"][1]["difference"]["amount"],
        json!("1500000.00")
    );
    let join = on.what_if_join(
        "em-major-crime",
        "bedfordshire-police",
        year("2021/22"),
        &JoinTerms::new(),
    )?;
    let value = serde_json::to_value(&join)?;
    assert_eq!(value["change"]["percent"], Value::Null);
    let savings = serde_json::to_value(on.savings("em-major-crime")?)?;
    assert_eq!(savings["agreements"][0]["baseline"], Value::Null);
    assert_eq!(
        savings["agreements"][0]["part_of"]["id"],
        json!("em-collaboration-programme")
    );
    let paid = serde_json::to_value(on.contributions("derbyshire-police", year("2021/22"))?)?;
    assert_eq!(paid["party"]["id"], json!("derbyshire-police"));
    assert_eq!(paid["total"]["currency"], json!("GBP"));
    Ok(())
}

mod properties {
    //! Random members (joining and leaving part-way), random formulas
    //! (equal, fixed, metric, usage, blends), random part-year rules and a
    //! random mid-year rate change: shares always add up to the budget,
    //! each is within one penny of an exact quota worked out here
    //! independently with u128 fractions, and the order members were
    //! recorded in changes no penny.

    use super::*;
    use proptest::prelude::*;

    /// One generated member: days after 1 April 2021 it joins (0 = from
    /// before the year), days before the year's end it leaves (0 = stays),
    /// and its metric, units and raw percentage.
    #[derive(Debug, Clone)]
    struct Gen {
        id: usize,
        late: u32,
        early: u32,
        metric: u64,
        units: u64,
        raw_percent: u64,
    }

    fn gen_members() -> impl Strategy<Value = Vec<Gen>> {
        let one = (
            prop_oneof![3 => Just(0u32), 1 => 1u32..180],
            prop_oneof![3 => Just(0u32), 1 => 1u32..180],
            1u64..5_000_000,
            1u64..100_000,
            1u64..1_000,
        );
        proptest::collection::vec(one, 2..9).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(id, (late, early, metric, units, raw_percent))| Gen {
                    id,
                    late,
                    early,
                    metric,
                    units,
                    raw_percent,
                })
                .collect()
        })
    }

    /// One year of a generated case: the formula before and after the
    /// revision (kinds 0 to 5), the revision's day (days after 1 April;
    /// 0 = none), the blend weight and the part-year rule.
    #[derive(Debug, Clone, Copy)]
    struct Case {
        before: u8,
        after: u8,
        change: u32,
        blend: u32,
        rule: u8,
        budget: i64,
    }

    fn gen_case() -> impl Strategy<Value = Case> {
        (
            0u8..6,
            0u8..6,
            prop_oneof![1 => Just(0u32), 2 => 1u32..365],
            0u32..=100,
            0u8..3,
            0i64..1_000_000_000_000,
        )
            .prop_map(|(before, after, change, blend, rule, budget)| Case {
                before,
                after,
                change,
                blend,
                rule,
                budget,
            })
    }

    fn id(n: usize) -> String {
        // Ids whose byte order differs from generation order.
        format!("force-{}", (n * 7) % 10)
    }

    fn start() -> NaiveDate {
        day(2021, 4, 1)
    }

    fn date(days: u32) -> NaiveDate {
        start() + chrono::Duration::days(i64::from(days))
    }

    /// The first day it is a member in the year, and the first day after.
    fn spell(m: &Gen) -> (NaiveDate, NaiveDate) {
        (date(m.late), date(365 - m.early))
    }

    /// Percentages in ten-thousandths adding up to exactly 100, for the
    /// formula of `offset` (so the two formulas of a case differ).
    fn percents(members: &[Gen], offset: u64) -> Vec<u64> {
        let raw: Vec<u64> = members
            .iter()
            .map(|m| (m.raw_percent + offset * (m.id as u64 + 1)) % 1000 + 1)
            .collect();
        let total: u64 = raw.iter().sum();
        let mut p: Vec<u64> = raw.iter().map(|r| r * 1_000_000 / total).collect();
        let short = 1_000_000 - p.iter().sum::<u64>();
        p[0] += short;
        p
    }

    /// The formula of `kind`, its fixed shares listed in `order`.
    fn formula(kind: u8, blend: u32, offset: u64, members: &[Gen], order: &[usize]) -> Value {
        let p = percents(members, offset);
        let shares: Vec<Value> = order
            .iter()
            .map(|&i| {
                json!({"party": id(members[i].id), "percent": format!("{}.{:04}", p[i] / 10_000, p[i] % 10_000)})
            })
            .collect();
        let fixed = json!({"kind": "fixed_percentages", "shares": shares});
        match kind {
            0 => json!({"kind": "equal"}),
            1 => fixed,
            2 => json!({"kind": "metric", "metric": "nre"}),
            3 => json!({"kind": "usage"}),
            4 => json!({"kind": "blend", "parts": [
                {"weight": blend.to_string(), "formula": {"kind": "equal"}},
                {"weight": (100 - blend).to_string(), "formula": {"kind": "metric", "metric": "nre"}},
            ]}),
            _ => json!({"kind": "blend", "parts": [
                {"weight": blend.to_string(), "formula": fixed},
                {"weight": (100 - blend).to_string(), "formula": {"kind": "usage"}},
            ]}),
        }
    }

    fn rule(case: &Case) -> &'static str {
        ["pro_rata_by_days", "pro_rata_by_months", "whole_year"][usize::from(case.rule)]
    }

    /// A registry of the generated members, recorded in `order`.
    fn build(members: &[Gen], order: &[usize], case: &Case) -> Registry {
        let listed: Vec<&Gen> = order.iter().map(|&i| &members[i]).collect();
        let mut parties: Vec<Value> = listed
            .iter()
            .map(|m| party(&id(m.id), &[("nre", "2021/22", &m.metric.to_string())]))
            .collect();
        parties.push(party("outsider", &[("nre", "2021/22", "1000")]));
        let entries: Vec<Value> = listed
            .iter()
            .map(|m| {
                let joined = if m.late == 0 {
                    "2020-04-01".to_string()
                } else {
                    date(m.late).to_string()
                };
                let left = (m.early > 0).then(|| date(365 - m.early).to_string());
                member(&id(m.id), &joined, left.as_deref())
            })
            .collect();
        let usage: Vec<Value> = listed
            .iter()
            .map(|m| json!({"year": "2021/22", "party": id(m.id), "units": m.units.to_string()}))
            .collect();
        let mut formulas = vec![
            json!({"from": "2020-04-01", "formula": formula(case.before, case.blend, 0, members, order)}),
        ];
        if case.change > 0 {
            formulas.push(json!({"from": date(case.change).to_string(), "formula": formula(case.after, 100 - case.blend, 7, members, order)}));
        }
        let costs = json!({
            "budgets": [{"year": "2021/22", "amount": format!("{}.{:02}", case.budget / 100, case.budget % 100)}],
            "formulas": formulas,
            "part_year": rule(case),
            "usage": usage,
        });
        let doc = json!({
            "schema_version": 2,
            "currency": "GBP",
            "parties": parties,
            "agreements": [{
                "id": "shared",
                "title": "Generated",
                "legal_basis": "contract",
                "start": "2020-04-01",
                "status": [{"status": "proposed", "from": "2020-04-01"}],
                "members": entries,
                "costs": costs,
            }],
        });
        Registry::from_json_str(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// An exact fraction, num / den, with num <= den (a part of a whole).
    type Frac = (u128, u128);

    fn gcd(a: u128, b: u128) -> u128 {
        if b == 0 { a } else { gcd(b, a % b) }
    }

    fn reduce((n, d): Frac) -> Frac {
        let g = gcd(n, d).max(1);
        (n / g, d / g)
    }

    /// The sum over the least common denominator; `None` when it does not
    /// fit in 128 bits (the case is then left out).
    fn add((an, ad): Frac, (bn, bd): Frac) -> Option<Frac> {
        let l = (ad / gcd(ad, bd)).checked_mul(bd)?;
        let n = an
            .checked_mul(l / ad)?
            .checked_add(bn.checked_mul(l / bd)?)?;
        Some(reduce((n, l)))
    }

    fn mul((an, ad): Frac, (bn, bd): Frac) -> Option<Frac> {
        let (an, bd) = reduce((an, bd));
        let (bn, ad) = reduce((bn, ad));
        Some((an.checked_mul(bn)?, ad.checked_mul(bd)?))
    }

    /// `a × b / d` as whole units and a remainder, by schoolbook long
    /// division of the product over 32-bit digits.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::many_single_char_names,
        reason = "the long division it checks, a·b ÷ d, splitting 128-bit values into 32-bit digits, each shifted down first"
    )]
    fn floor_and_rest(a: u128, b: u128, d: u128) -> (u128, bool) {
        // a × b in base 2^32, least significant digit first.
        let digits = |x: u128| {
            [
                x as u32,
                (x >> 32) as u32,
                (x >> 64) as u32,
                (x >> 96) as u32,
            ]
        };
        let (x, y) = (digits(a), digits(b));
        let mut product = [0u64; 8];
        for (i, xi) in x.iter().enumerate() {
            let mut carry = 0u64;
            for (j, yj) in y.iter().enumerate() {
                let t = product[i + j] + u64::from(*xi) * u64::from(*yj) + carry;
                product[i + j] = t & 0xffff_ffff;
                carry = t >> 32;
            }
            let mut k = i + 4;
            while carry > 0 {
                let t = product[k] + carry;
                product[k] = t & 0xffff_ffff;
                carry = t >> 32;
                k += 1;
            }
        }
        // Divide digit by digit, most significant first, the remainder kept
        // as a (u128, overflow) pair through 32-bit shifts of 1 bit each.
        let mut rem: u128 = 0;
        let mut quotient: u128 = 0;
        for digit in product.iter().rev() {
            for bit in (0..32).rev() {
                let top = rem >> 127;
                rem = (rem << 1) | u128::from((*digit >> bit) & 1 == 1);
                quotient <<= 1;
                if top == 1 || rem >= d {
                    rem = rem.wrapping_sub(d);
                    quotient |= 1;
                }
            }
        }
        (quotient, rem > 0)
    }

    /// A stretch of paying units: the formula as written, its key, and the
    /// units' days.
    type Stretch<'u> = (Value, (u8, u32, u64), Vec<&'u (NaiveDate, NaiveDate)>);

    /// Each member's fraction of the budget, worked out day by day or
    /// month by month from the rules as written, independently of the
    /// library; `Some(None)` when no unit of the year is paying, `None`
    /// when the fractions do not fit in 128 bits.
    #[allow(
        clippy::too_many_lines,
        reason = "the oracle works the whole year in one place, to be read beside the docs"
    )]
    #[allow(
        clippy::option_option,
        reason = "None: the year is not shared; Some(None): the oracle expects a refusal"
    )]
    fn exact(members: &[Gen], case: &Case) -> Option<Option<Vec<Frac>>> {
        // The units of the year: days, or the twelve months.
        let units: Vec<(NaiveDate, NaiveDate)> = if case.rule == 1 {
            (0..12)
                .map(|i| {
                    let first = |k: u32| {
                        let (y, m) = if 4 + k > 12 {
                            (2022, 4 + k - 12)
                        } else {
                            (2021, 4 + k)
                        };
                        day(y, m, 1)
                    };
                    (first(i), first(i + 1))
                })
                .collect()
        } else {
            (0..365).map(|d| (date(d), date(d + 1))).collect()
        };
        let present = |m: &Gen, u: &(NaiveDate, NaiveDate)| {
            let (from, until) = spell(m);
            match case.rule {
                1 => from <= u.0 && u.1 <= until,
                2 => true,
                _ => from <= u.0 && u.0 < until,
            }
        };
        // Paying units: one member at least actually takes part; under the
        // whole-year rule every day of the year, once any member takes part
        // at all (changed on purpose: it was only the days one took part).
        let actual = |m: &Gen, u: &(NaiveDate, NaiveDate)| {
            let (from, until) = spell(m);
            match case.rule {
                1 => from <= u.0 && u.1 <= until,
                2 => from < until,
                _ => from <= u.0 && u.0 < until,
            }
        };
        let paying: Vec<&(NaiveDate, NaiveDate)> = units
            .iter()
            .filter(|u| members.iter().any(|m| actual(m, u)))
            .collect();
        let total = paying.len() as u128;
        if total == 0 {
            return Some(None);
        }
        let identity: Vec<usize> = (0..members.len()).collect();
        let formula_of = |u: &(NaiveDate, NaiveDate)| {
            let (kind, blend, offset) = if case.change > 0 && u.0 >= date(case.change) {
                (case.after, 100 - case.blend, 7)
            } else {
                (case.before, case.blend, 0)
            };
            let written = formula(kind, blend, offset, members, &identity);
            (written, (kind, blend, offset))
        };
        // Consecutive paying units under one formula (as written) are a stretch.
        let mut stretches: Vec<Stretch<'_>> = Vec::new();
        for u in paying {
            let (written, f) = formula_of(u);
            match stretches.last_mut() {
                Some((w, _, list)) if *w == written => list.push(u),
                _ => stretches.push((written, f, vec![u])),
            }
        }
        let mut out = vec![(0u128, 1u128); members.len()];
        for (_, (kind, blend, offset), list) in stretches {
            let counted: Vec<u128> = members
                .iter()
                .map(|m| list.iter().filter(|u| present(m, u)).count() as u128)
                .collect();
            let p = percents(members, offset);
            let prop = |w: Vec<u128>| -> Vec<Frac> {
                let sum: u128 = w.iter().sum();
                w.into_iter().map(|x| reduce((x, sum.max(1)))).collect()
            };
            let equal = || prop(counted.clone());
            let fixed = || {
                prop(
                    counted
                        .iter()
                        .zip(&p)
                        .map(|(c, p)| c * u128::from(*p))
                        .collect(),
                )
            };
            let metric = || {
                prop(
                    counted
                        .iter()
                        .zip(members)
                        .map(|(c, m)| c * u128::from(m.metric))
                        .collect(),
                )
            };
            let usage = || {
                prop(
                    counted
                        .iter()
                        .zip(members)
                        .map(|(c, m)| if *c > 0 { u128::from(m.units) } else { 0 })
                        .collect(),
                )
            };
            let mix = |a: Vec<Frac>, b: Vec<Frac>| -> Option<Vec<Frac>> {
                let w = u128::from(blend);
                a.into_iter()
                    .zip(b)
                    .map(|(x, y)| add(mul(x, (w, 100))?, mul(y, (100 - w, 100))?))
                    .collect()
            };
            let within = match kind {
                0 => equal(),
                1 => fixed(),
                2 => metric(),
                3 => usage(),
                4 => mix(equal(), metric())?,
                _ => mix(fixed(), usage())?,
            };
            let part = (list.len() as u128, total);
            for (o, f) in out.iter_mut().zip(within) {
                *o = add(*o, mul(part, f)?)?;
            }
        }
        Some(Some(out))
    }

    /// The pennies of each member, or the kind of refusal.
    fn shares_of(r: &Registry) -> std::result::Result<Vec<(String, i64)>, ErrorKind> {
        let shares = r
            .apportion("shared", year("2021/22"))
            .map_err(|e| e.kind())?;
        Ok(shares
            .shares
            .iter()
            .map(|s| (s.party.id.to_string(), s.amount.minor_units()))
            .collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn shares_add_up_and_each_is_within_a_penny_of_its_exact_quota(
            members in gen_members(), case in gen_case(),
        ) {
            let order: Vec<usize> = (0..members.len()).collect();
            let registry = build(&members, &order, &case);
            let answer = registry.apportion("shared", year("2021/22"));
            let Some(fractions) = exact(&members, &case) else {
                // Beyond what the u128 oracle holds.
                return Ok(());
            };
            let Some(fractions) = fractions else {
                // Nobody counts a unit of the year: nothing to share it among.
                if case.budget > 0 {
                    prop_assert_eq!(answer.err().map(|e| e.kind()), Some(ErrorKind::MissingCostInput));
                }
                return Ok(());
            };
            let shares = answer.map_err(|e| TestCaseError::fail(e.to_string()))?;
            let total: i64 = shares.shares.iter().map(|s| s.amount.minor_units()).sum();
            prop_assert_eq!(total, case.budget);
            let budget = u128::try_from(case.budget).unwrap_or(0);
            for (m, (num, den)) in members.iter().zip(fractions) {
                let amount = shares.share_of(&id(m.id)).map_or(0, |s| s.amount.minor_units());
                let amount = u128::try_from(amount).unwrap_or(u128::MAX);
                // |amount - budget × num / den| < 1: the floor, or the
                // ceiling when there is a remainder.
                let (floor, rest) = floor_and_rest(budget, num, den);
                prop_assert!(amount == floor || (rest && amount == floor + 1), "{} got {} of {}, exact {}+", id(m.id), amount, case.budget, floor);
            }
            for s in &shares.shares {
                prop_assert!(s.quota.is_within_one_unit(s.amount.minor_units()));
            }
        }

        #[test]
        fn the_order_members_were_recorded_in_changes_no_penny(
            members in gen_members(), case in gen_case(), seed in any::<u64>(),
        ) {
            let order: Vec<usize> = (0..members.len()).collect();
            // A permutation from the seed (Fisher-Yates with a small LCG).
            let mut shuffled = order.clone();
            let mut state = seed;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let j = usize::try_from((state >> 33) % (i as u64 + 1)).unwrap_or(0);
                shuffled.swap(i, j);
            }
            let a = shares_of(&build(&members, &order, &case));
            let b = shares_of(&build(&members, &shuffled, &case));
            prop_assert_eq!(a, b);
        }

        #[test]
        fn the_charges_of_the_quarters_add_up_to_the_year(
            members in gen_members(), case in gen_case(),
        ) {
            prop_assume!(matches!(exact(&members, &case), Some(Some(_))));
            let order: Vec<usize> = (0..members.len()).collect();
            let registry = build(&members, &order, &case);
            let quarters = [(2021, 4), (2021, 7), (2021, 10), (2022, 1), (2022, 4)];
            let mut sum = 0i64;
            let mut whole = 0u32;
            for w in quarters.windows(2) {
                let period = Period::new(day(w[0].0, w[0].1, 1), Some(day(w[1].0, w[1].1, 1)))
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let charges = registry.charges("shared", period).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let members_sum: i64 = charges.members.iter().map(|m| m.amount.minor_units()).sum();
                prop_assert_eq!(members_sum, charges.total.minor_units());
                sum += charges.total.minor_units();
                whole += charges.years.iter().map(|y| y.units).sum::<u32>();
            }
            let year_units = registry.apportion("shared", year("2021/22")).map_err(|e| TestCaseError::fail(e.to_string()))?.units;
            prop_assert_eq!(whole, year_units);
            // Four parts each rounded half up are within two pennies of the budget.
            prop_assert!((sum - case.budget).abs() <= 2, "{} against {}", sum, case.budget);
        }

        #[test]
        fn a_what_if_never_changes_the_registry(
            members in gen_members(), case in gen_case(), who in 0usize..12, join in any::<bool>(),
        ) {
            let order: Vec<usize> = (0..members.len()).collect();
            let registry = build(&members, &order, &case);
            let before = registry.to_json_string();
            let target = if who < members.len() { id(who) } else { "outsider".to_string() };
            let answer = if join {
                let mut terms = JoinTerms::new();
                if matches!(case.before, 1 | 5) || matches!(case.after, 1 | 5) {
                    terms = terms.with_percent(Percent::from_ten_thousandths(100_000).map_err(|e| TestCaseError::fail(e.to_string()))?);
                }
                if matches!(case.before, 3 | 5) || matches!(case.after, 3 | 5) {
                    terms = terms.with_usage(Quantity::from_whole(5));
                }
                registry.what_if_join("shared", &target, year("2021/22"), &terms)
            } else {
                registry.what_if_withdrawal("shared", &target, year("2021/22"))
            };
            if let Ok(what_if) = &answer {
                let total: i64 = what_if.what_if.shares.iter().map(|s| s.amount.minor_units()).sum();
                prop_assert_eq!(total, case.budget);
            }
            prop_assert_eq!(registry.to_json_string(), before);
        }

        #[test]
        fn largest_remainder_is_exact_for_any_weights(
            total in 0i64..i64::MAX / 4,
            weights in proptest::collection::vec(0u128..1_000_000_000_000, 1..40),
        ) {
            match largest_remainder(total, &weights) {
                Ok(parts) => {
                    prop_assert_eq!(parts.iter().map(|p| p.amount).sum::<i64>(), total);
                    let w: u128 = weights.iter().sum();
                    for (p, wi) in parts.iter().zip(&weights) {
                        prop_assert!(p.quota.is_within_one_unit(p.amount));
                        let exact = u128::try_from(total).unwrap_or(0) * wi;
                        prop_assert!((u128::try_from(p.amount).unwrap_or(0) * w).abs_diff(exact) < w);
                    }
                }
                Err(e) => prop_assert!(weights.iter().all(|w| *w == 0) && total > 0, "{e}"),
            }
        }
    }
}

/// "Cambridgeshire joined in October 2015": a member whose joining is known
/// only to the month. The figures are illustrative; the rule is the point.
/// Its joining is read as 1 October 2015, so in 2015/16 (366 days, with 29
/// February 2016) the two founders count 366 days each and it counts 183:
/// £1,200,000 × 366 / 915 = £480,000 each and × 183 / 915 = £240,000. Every
/// share of that year depends on the October date, so every share, the
/// apportionment, the party's contributions and a period's charges say
/// they are approximate; 2016/17, which the date cannot touch, is exact.
#[test]
fn shares_that_rest_on_a_date_known_only_to_the_month_say_they_are_approximate() {
    let members = json!([
        {"party": "force-a", "role": "lead", "joined": "2015-04-01"},
        {"party": "force-b", "role": "member", "joined": "2015-04-01"},
        {"party": "force-c", "role": "member", "joined": "2015-10"}
    ]);
    let registry = Registry::from_json_str(
        &json!({
            "schema_version": 2,
            "currency": "GBP",
            "parties": [
                {"id": "force-a", "name": "Force A", "kind": "police_force"},
                {"id": "force-b", "name": "Force B", "kind": "police_force"},
                {"id": "force-c", "name": "Force C", "kind": "police_force"}
            ],
            "agreements": [{
                "id": "shared-unit",
                "title": "Shared unit",
                "legal_basis": "section_22a_police_act_1996",
                "functions": ["dogs"],
                "start": "2015-04-01",
                "status": [{"status": "active", "from": "2015-04-01"}],
                "members": members,
                "costs": {
                    "budgets": [
                        {"year": "2015/16", "amount": "1200000.00"},
                        {"year": "2016/17", "amount": "1200000.00"}
                    ],
                    "formulas": [{"from": "2015-04-01", "formula": {"kind": "equal"}}]
                },
                "illustrative": ["costs", "members"]
            }]
        })
        .to_string(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let on = registry.as_of(day(2017, 1, 1));
    let first = on
        .apportion("shared-unit", year("2015/16"))
        .unwrap_or_else(|e| panic!("{e}"));
    let amounts: Vec<(&str, String, bool)> = first
        .shares
        .iter()
        .map(|s| (s.party.id.as_str(), s.amount.to_string(), s.approximate))
        .collect();
    assert_eq!(
        amounts,
        [
            ("force-a", "480000.00".to_string(), false),
            ("force-b", "480000.00".to_string(), false),
            ("force-c", "240000.00".to_string(), true),
        ]
    );
    assert!(first.approximate);
    let second = on
        .apportion("shared-unit", year("2016/17"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!second.approximate);
    assert!(second.shares.iter().all(|s| !s.approximate));

    let paid = on
        .contributions("force-a", year("2015/16"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(paid.by_agreement.iter().all(|c| c.approximate));
    let paid = on
        .contributions("force-a", year("2016/17"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(paid.by_agreement.iter().all(|c| !c.approximate));

    let winter =
        Period::new(day(2016, 1, 1), Some(day(2016, 7, 1))).unwrap_or_else(|e| panic!("{e}"));
    let charges = on
        .charges("shared-unit", winter)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(charges.members.iter().all(|m| m.approximate));
    let summer =
        Period::new(day(2016, 7, 1), Some(day(2016, 10, 1))).unwrap_or_else(|e| panic!("{e}"));
    let charges = on
        .charges("shared-unit", summer)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(charges.members.iter().all(|m| !m.approximate));
}
