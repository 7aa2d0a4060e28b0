//! Cost sharing: what each member pays towards an agreement's budget, what a
//! party pays in total, what-if membership changes and savings, with figures
//! checked by hand.

use collab_registry::{
    ApportionError, Apportionment, Error, FinancialYear, JoinTerms, MoneyError, Percent, Quantity,
    Registry, largest_remainder, sample,
};
use serde_json::{Value, json};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn year(text: &str) -> Result<FinancialYear> {
    Ok(text.parse()?)
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
fn registry(parties: Vec<Value>, members: Vec<Value>, costs: Value) -> Result<Registry> {
    registry_with(parties, members, costs, json!({}))
}

fn registry_with(
    parties: Vec<Value>,
    members: Vec<Value>,
    costs: Value,
    leaving: Value,
) -> Result<Registry> {
    let doc = json!({
        "schema_version": 1,
        "currency": "GBP",
        "parties": parties,
        "agreements": [{
            "id": "shared",
            "title": "A shared service",
            "legal_basis": "section_22a_police_act_1996",
            "start": "2020-04-01",
            "status": [{"status": "active", "from": "2020-04-01"}],
            "members": members,
            "leaving": leaving,
            "costs": costs,
        }],
    });
    Ok(Registry::from_json_str(&doc.to_string())?)
}

fn pennies(shares: &Apportionment) -> Vec<(&str, String)> {
    shares
        .shares
        .iter()
        .map(|s| (s.party.as_str(), s.amount.to_string()))
        .collect()
}

fn equal_costs(budget: &str) -> Value {
    json!({
        "budgets": [{"year": "2021/22", "amount": budget}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "equal"}}],
    })
}

#[test]
fn a_hundred_pounds_among_three_members_gives_the_odd_penny_to_the_first_party_id() -> Result {
    // Added in the order c, a, b: the answer follows party ids, not insertion.
    let parties = vec![
        party("c-force", &[]),
        party("a-force", &[]),
        party("b-force", &[]),
    ];
    let members = vec![
        member("c-force", "2020-04-01", None),
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
    ];
    let registry = registry(parties, members, equal_costs("100.00"))?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    assert_eq!(
        pennies(&shares),
        [
            ("a-force", "33.34".to_string()),
            ("b-force", "33.33".to_string()),
            ("c-force", "33.33".to_string()),
        ]
    );
    for s in &shares.shares {
        assert_eq!(s.quota.to_string(), "10000/3");
        assert!(s.quota.is_within_one_unit(s.amount.minor_units()));
    }
    Ok(())
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
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
        member("c-force", "2020-04-01", None),
    ];
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "1000.00"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "metric", "metric": "officers"}}],
    });
    let registry = registry(parties, members, costs)?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    assert_eq!(
        pennies(&shares),
        [
            ("a-force", "388.78".to_string()),
            ("b-force", "333.58".to_string()),
            ("c-force", "277.64".to_string()),
        ]
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
    let parties = vec![
        party("a-force", &[]),
        party("b-force", &[]),
        party("leaver", &[]),
    ];
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
        member("leaver", "2020-04-01", Some("2021-09-30")),
    ];
    let registry = registry(parties.clone(), members.clone(), equal_costs("912.00"))?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    assert_eq!(shares.share_of("leaver").map(|s| s.days), Some(182));
    assert_eq!(shares.days_in_year, 365);
    assert_eq!(
        pennies(&shares),
        [
            ("a-force", "365.00".to_string()),
            ("b-force", "365.00".to_string()),
            ("leaver", "182.00".to_string()),
        ]
    );

    // Of £100.00: quotas 40.0219..., 40.0219..., 19.9561...; the odd penny goes
    // to the leaver, whose remainder is largest.
    let registry = registry_with(
        parties.clone(),
        members.clone(),
        equal_costs("100.00"),
        json!({}),
    )?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    assert_eq!(shares.amount_of("leaver").to_string(), "19.96");
    assert_eq!(shares.amount_of("a-force").to_string(), "40.02");

    // Under the whole-year rule it pays a full third.
    let registry = registry_with(
        parties,
        members,
        equal_costs("912.00"),
        json!({"part_year": "whole_year"}),
    )?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    assert_eq!(shares.share_of("leaver").map(|s| s.days), Some(365));
    assert_eq!(shares.amount_of("leaver").to_string(), "304.00");
    Ok(())
}

#[test]
fn a_member_that_left_and_rejoined_counts_both_spells() -> Result {
    // b-force was out from 1 July to 30 September 2021: 1 April to 30 June is
    // 91 days and 1 October to 31 March 182, so 273 days of 365. A third
    // member keeps the agreement at two members while b-force is out.
    let parties = vec![
        party("a-force", &[]),
        party("b-force", &[]),
        party("c-force", &[]),
    ];
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", Some("2021-07-01")),
        member("b-force", "2021-10-01", None),
        member("c-force", "2020-04-01", None),
    ];
    let registry = registry(parties.clone(), members.clone(), equal_costs("1003.00"))?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    // One share for b-force, not one per spell.
    assert_eq!(shares.shares.len(), 3);
    assert_eq!(shares.share_of("b-force").map(|s| s.days), Some(273));
    // Weights 365 : 273 : 365 (total 1,003) of £1,003.00.
    assert_eq!(
        pennies(&shares),
        [
            ("a-force", "365.00".to_string()),
            ("b-force", "273.00".to_string()),
            ("c-force", "365.00".to_string()),
        ]
    );

    // Under the whole-year rule the two spells still count as one full year.
    let registry = registry_with(
        parties,
        members,
        equal_costs("1003.00"),
        json!({"part_year": "whole_year"}),
    )?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    assert_eq!(shares.share_of("b-force").map(|s| s.days), Some(365));
    assert_eq!(shares.amount_of("b-force").to_string(), "334.33");
    assert_eq!(shares.amount_of("a-force").to_string(), "334.34");
    Ok(())
}

#[test]
fn fixed_percentages_round_to_the_largest_remainder() -> Result {
    // 50% / 30% / 20% of £1,000.01: quotas 500.005, 300.003, 200.002.
    let parties = vec![
        party("a-force", &[]),
        party("b-force", &[]),
        party("c-force", &[]),
    ];
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
        member("c-force", "2020-04-01", None),
    ];
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "1000.01"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "fixed_percentages", "shares": [
            {"party": "a-force", "percent": "50"},
            {"party": "b-force", "percent": "30"},
            {"party": "c-force", "percent": "20"},
        ]}}],
    });
    let registry = registry(parties, members, costs)?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    assert_eq!(
        pennies(&shares),
        [
            ("a-force", "500.01".to_string()),
            ("b-force", "300.00".to_string()),
            ("c-force", "200.00".to_string()),
        ]
    );
    Ok(())
}

#[test]
fn usage_shares_follow_recorded_units() -> Result {
    // Learning and development, £3m in 2021/22 by 420 : 370 : 510 units (of 1,300).
    let registry = sample()?;
    let shares = registry.apportion("em-learning-development", year("2021/22")?)?;
    assert_eq!(
        pennies(&shares),
        [
            ("derbyshire-police", "969230.77".to_string()),
            ("leicestershire-police", "853846.15".to_string()),
            ("nottinghamshire-police", "1176923.08".to_string()),
        ]
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
    let registry = sample()?;
    let shares = registry.apportion("em-public-order", year("2021/22")?)?;
    assert_eq!(
        pennies(&shares),
        [
            ("derbyshire-police", "2403846.15".to_string()),
            ("nottinghamshire-police", "2596153.85".to_string()),
        ]
    );
    assert_eq!(
        shares
            .share_of("derbyshire-police")
            .map(|s| s.quota.to_string()),
        Some("3125000000/13".to_string())
    );
    Ok(())
}

#[test]
fn the_formula_follows_the_change_when_derbyshire_left_operational_support() -> Result {
    let registry = sample()?;
    // 2015/16: five forces at 20% of £20m.
    let before = registry.apportion("em-operational-support", year("2015/16")?)?;
    assert_eq!(before.formula_from.to_string(), "2012-04-01");
    assert_eq!(before.shares.len(), 5);
    assert!(
        before
            .shares
            .iter()
            .all(|s| s.amount.to_string() == "4000000.00")
    );
    // 2016/17: Derbyshire has left; four forces at 25% of £19m.
    let after = registry.apportion("em-operational-support", year("2016/17")?)?;
    assert_eq!(after.formula_from.to_string(), "2016-04-01");
    assert!(after.share_of("derbyshire-police").is_none());
    assert_eq!(
        pennies(&after),
        [
            ("leicestershire-police", "4750000.00".to_string()),
            ("lincolnshire-police", "4750000.00".to_string()),
            ("northamptonshire-police", "4750000.00".to_string()),
            ("nottinghamshire-police", "4750000.00".to_string()),
        ]
    );
    Ok(())
}

#[test]
fn a_formula_that_changes_during_a_year_applies_from_the_next_year() -> Result {
    let parties = vec![party("a-force", &[]), party("b-force", &[])];
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
    ];
    let fixed = |a: &str, b: &str| {
        json!({"kind": "fixed_percentages", "shares": [
            {"party": "a-force", "percent": a}, {"party": "b-force", "percent": b}]})
    };
    let costs = json!({
        "budgets": [
            {"year": "2021/22", "amount": "100.00"},
            {"year": "2022/23", "amount": "100.00"},
        ],
        "formulas": [
            {"from": "2020-04-01", "formula": fixed("60", "40")},
            {"from": "2021-10-01", "formula": fixed("30", "70")},
        ],
    });
    let registry = registry(parties, members, costs)?;
    let this_year = registry.apportion("shared", year("2021/22")?)?;
    assert_eq!(this_year.amount_of("a-force").to_string(), "60.00");
    let next_year = registry.apportion("shared", year("2022/23")?)?;
    assert_eq!(next_year.amount_of("a-force").to_string(), "30.00");
    assert_eq!(next_year.formula_from.to_string(), "2021-10-01");
    Ok(())
}

#[test]
fn observers_pay_nothing() -> Result {
    let parties = vec![
        party("a-force", &[]),
        party("b-force", &[]),
        party("watcher", &[]),
    ];
    let mut observer = member("watcher", "2020-04-01", None);
    observer["role"] = json!("observer");
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
        observer,
    ];
    let registry = registry(parties, members, equal_costs("100.00"))?;
    let shares = registry.apportion("shared", year("2021/22")?)?;
    assert!(shares.share_of("watcher").is_none());
    assert_eq!(shares.amount_of("a-force").to_string(), "50.00");
    assert_eq!(shares.amount_of("watcher").to_string(), "0.00");
    Ok(())
}

#[test]
fn overflow_is_refused_not_wrapped() -> Result {
    let huge = (u128::MAX / 2, u128::MAX / 3);
    assert_eq!(
        largest_remainder(i64::MAX, &[huge.0, huge.1]),
        Err(ApportionError::Overflow)
    );
    // A blend of two metrics whose totals are co-prime and near 2^64, of the
    // largest budget money can hold: the exact common denominator does not
    // fit in 128 bits.
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
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
        member("c-force", "2020-04-01", None),
    ];
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "92233720368547758.07"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "blend", "parts": [
            {"weight": "50", "formula": {"kind": "metric", "metric": "m1"}},
            {"weight": "50", "formula": {"kind": "metric", "metric": "m2"}},
        ]}}],
    });
    let registry = registry(parties, members, costs)?;
    let err = registry.apportion("shared", year("2021/22")?);
    assert!(
        matches!(err, Err(Error::Money(MoneyError::Overflow))),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn unknown_ids_and_missing_budgets_are_named_in_the_error() -> Result {
    let registry = sample()?;
    let y = year("2021/22")?;
    let err = registry
        .apportion("no-such-agreement", y)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("unknown agreement \"no-such-agreement\"")
    );
    let err = registry
        .contributions("no-such-party", y)
        .err()
        .map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("unknown party \"no-such-party\""));
    let err = registry
        .what_if_withdrawal("em-major-crime", "nobody", y)
        .err()
        .map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("unknown party \"nobody\""));
    let err = registry
        .apportion("em-major-crime", year("2019/20")?)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("em-major-crime") && err.contains("no budget is recorded for 2019/20"),
        "{err}"
    );
    Ok(())
}

#[test]
fn a_missing_usage_record_is_refused_with_the_member_named() -> Result {
    let parties = vec![party("a-force", &[]), party("b-force", &[])];
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
    ];
    let costs = json!({
        "budgets": [{"year": "2021/22", "amount": "100.00"}],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "usage"}}],
        "usage": [{"year": "2021/22", "party": "a-force", "units": "3"}],
    });
    let registry = registry(parties, members, costs)?;
    let err = registry
        .apportion("shared", year("2021/22")?)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("\"b-force\" has no usage recorded for 2021/22"),
        "{err}"
    );
    Ok(())
}

#[test]
fn northamptonshire_budgets_of_2021_22_drive_the_enabling_services_shares() -> Result {
    // Police £153.5m and fire £25.3m (seed 001), shared £10m in proportion.
    let registry = sample()?;
    let y = year("2021/22")?;
    let police = registry.party("northamptonshire-police")?;
    let fire = registry.party("northamptonshire-fire")?;
    assert_eq!(
        police.metric("revenue_budget", y),
        Some("153500000".parse()?)
    );
    assert_eq!(fire.metric("revenue_budget", y), Some("25300000".parse()?));
    let shares = registry.apportion("northamptonshire-enabling-services", y)?;
    let value = |party: &str| shares.share_of(party).map(|s| s.inputs[0].to_string());
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
        pennies(&shares),
        [
            ("northamptonshire-fire", "1414988.81".to_string()),
            ("northamptonshire-police", "8585011.19".to_string()),
        ]
    );
    Ok(())
}

#[test]
fn a_partys_contributions_add_up_across_agreements_and_functions() -> Result {
    let registry = sample()?;
    let paid = registry.contributions("northamptonshire-police", year("2021/22")?)?;
    let by_agreement: Vec<(&str, String)> = paid
        .by_agreement
        .iter()
        .map(|a| (a.agreement.as_str(), a.amount.to_string()))
        .collect();
    assert_eq!(
        by_agreement,
        [
            ("em-major-crime", "6000000.00".to_string()),
            ("em-operational-support", "5250000.00".to_string()),
            (
                "northamptonshire-enabling-services",
                "8585011.19".to_string()
            ),
        ]
    );
    assert_eq!(paid.total.to_string(), "19835011.19");
    // Each agreement's share is split equally among its functions: £6m over
    // major crime, serious organised crime and counter terrorism is £2m each.
    let major_crime = paid
        .by_function
        .iter()
        .find(|f| f.function.as_str() == "major_crime")
        .map(|f| f.amount.to_string());
    assert_eq!(major_crime.as_deref(), Some("2000000.00"));
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
            .any(|a| a.as_str() == "northants-leics-notts-alliance")
    );
    Ok(())
}

#[test]
fn what_if_derbyshire_withdrew_from_major_crime() -> Result {
    let registry = sample()?;
    let before = registry.to_json_string();
    let what_if =
        registry.what_if_withdrawal("em-major-crime", "derbyshire-police", year("2021/22")?)?;
    let rows: Vec<(&str, String, String, String)> = what_if
        .rows
        .iter()
        .map(|r| {
            (
                r.party.as_str(),
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
    assert_eq!(registry.to_json_string(), before);
    // The registry still has Derbyshire paying its share.
    let now = registry.apportion("em-major-crime", year("2021/22")?)?;
    assert_eq!(now.amount_of("derbyshire-police").to_string(), "6000000.00");
    Ok(())
}

#[test]
fn what_if_a_party_rejoined_fixed_percentages_needs_its_percentage() -> Result {
    let registry = sample()?;
    let y = year("2021/22")?;
    let err = registry
        .what_if_join(
            "em-operational-support",
            "derbyshire-police",
            y,
            &JoinTerms::default(),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("give the joiner's percentage"), "{err}");
    // At 20% the other four are scaled from 25% to 20% each: £4.2m all round.
    let terms = JoinTerms {
        percent: Some("20".parse::<Percent>()?),
        ..JoinTerms::default()
    };
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
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("does not read fixed percentages"), "{err}");
    Ok(())
}

#[test]
fn what_if_a_party_joined_part_way_through_the_year() -> Result {
    let registry = sample()?;
    let y = year("2021/22")?;
    // Joining learning and development on 1 October 2021 with 130 units: usage
    // is not scaled by days (the units already cover the part year).
    let terms = JoinTerms {
        from: chrono::NaiveDate::from_ymd_opt(2021, 10, 1),
        usage: Some("130".parse::<Quantity>()?),
        ..JoinTerms::default()
    };
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
            .map(|s| s.days),
        Some(182)
    );
    // Equal shares: joining on 1 October counts 182 days against 365.
    let terms = JoinTerms {
        from: chrono::NaiveDate::from_ymd_opt(2021, 10, 1),
        ..JoinTerms::default()
    };
    let what_if = registry.what_if_join("em-major-crime", "bedfordshire-police", y, &terms)?;
    // Weights 5 × 365 + 182 = 2,007: £30m × 182 / 2,007 = 2,720,478.32...
    assert_eq!(
        what_if
            .row("bedfordshire-police")
            .map(|r| r.what_if.to_string()),
        Some("2720478.33".to_string())
    );
    let err = registry
        .what_if_join(
            "em-major-crime",
            "derbyshire-police",
            y,
            &JoinTerms::default(),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("already takes part"), "{err}");
    Ok(())
}

#[test]
fn savings_figures_from_the_sources() -> Result {
    let registry = sample()?;
    // Bedfordshire, Cambridgeshire and Hertfordshire: £61.1m by 2019/20 (seed 003).
    let bch = registry.savings("bch-strategic-alliance")?;
    let alliance = &bch.agreements[0];
    assert_eq!(
        alliance.target.map(|m| m.to_string()).as_deref(),
        Some("61100000.00")
    );
    assert_eq!(
        alliance.target_by.map(|y| y.to_string()).as_deref(),
        Some("2019/20")
    );
    // Northamptonshire, Leicestershire and Nottinghamshire: up to £80m (seed 002).
    let nln = registry.savings("northants-leics-notts-alliance")?;
    assert_eq!(
        nln.agreements[0].target.map(|m| m.to_string()).as_deref(),
        Some("80000000.00")
    );
    assert_eq!(
        nln.agreements[1].agreement.as_str(),
        "nln-contact-management"
    );
    // East Midlands: HMIC found 20% on average (seed 004).
    let em = registry.savings("em-collaboration-programme")?;
    assert_eq!(
        em.agreements[0]
            .realised_percent
            .map(|p| p.to_string())
            .as_deref(),
        Some("20")
    );
    // Its operational support saved £5m of £25m in 2015/16: 20%.
    let ops = em
        .agreements
        .iter()
        .find(|a| a.agreement.as_str() == "em-operational-support")
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
    let parties = vec![party("a-force", &[]), party("b-force", &[])];
    let members = vec![
        member("a-force", "2020-04-01", None),
        member("b-force", "2020-04-01", None),
    ];
    let costs = json!({
        "budgets": [
            {"year": "2021/22", "amount": "200.00"},
            {"year": "2022/23", "amount": "400.00"},
        ],
        "formulas": [{"from": "2020-04-01", "formula": {"kind": "equal"}}],
        "baseline": "300.00",
        "savings": {"target_percent": "12.5", "realised": [{"year": "2021/22", "amount": "100.00"}]},
    });
    let registry = registry(parties, members, costs)?;
    let report = registry.savings("shared")?;
    let s = &report.agreements[0];
    // 100 of 300 is 33.33333...%: 33.3333 to four places.
    assert_eq!(
        s.by_year[0].percent.map(|p| p.to_string()).as_deref(),
        Some("33.3333")
    );
    assert_eq!(
        s.realised[0].percent.map(|p| p.to_string()).as_deref(),
        Some("33.3333")
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
fn answers_serialise_with_money_as_decimal_strings_and_print_as_tables() -> Result {
    let registry = sample()?;
    let shares = registry.apportion("em-major-crime", year("2021/22")?)?;
    let value = serde_json::to_value(&shares)?;
    assert_eq!(value["budget"], json!("30000000.00"));
    assert_eq!(value["shares"][0]["amount"], json!("6000000.00"));
    assert_eq!(value["shares"][0]["party"], json!("derbyshire-police"));
    assert_eq!(value["formula"]["kind"], json!("equal"));
    let text = shares.to_string();
    assert!(text.contains("30,000,000.00"), "{text}");
    assert!(text.contains("6,000,000.00"), "{text}");
    let what_if =
        registry.what_if_withdrawal("em-major-crime", "derbyshire-police", year("2021/22")?)?;
    assert!(what_if.to_string().contains("+1,500,000.00"));
    let paid = registry.contributions("derbyshire-police", year("2021/22")?)?;
    let value = serde_json::to_value(&paid)?;
    assert_eq!(value["total"], json!(paid.total.to_string()));
    Ok(())
}

#[test]
fn the_operational_delivery_board_weighs_votes_by_each_forces_cost_share() -> Result {
    use collab_registry::{Currency, Money, Vote, Weighing};
    let registry = sample()?;
    let on = chrono::NaiveDate::from_ymd_opt(2021, 4, 1).ok_or("a date")?;
    let board = "em-operational-delivery-board";
    // 2021/22, the three agreements the board governs (£30m + £21m + £5m):
    //   derbyshire       6,000,000.00 + 2,403,846.15              =  8,403,846.15
    //   leicestershire   6,000,000.00 + 5,250,000.00              = 11,250,000.00
    //   lincolnshire     6,000,000.00 + 5,250,000.00              = 11,250,000.00
    //   northamptonshire 6,000,000.00 + 5,250,000.00              = 11,250,000.00
    //   nottinghamshire  6,000,000.00 + 5,250,000.00 + 2,596,153.85 = 13,846,153.85
    // of £56m; the rule is at least 1/2, so £28m in favour.
    let votes = [
        ("derbyshire-police", Vote::For),
        ("leicestershire-police", Vote::For),
        ("lincolnshire-police", Vote::For),
        ("northamptonshire-police", Vote::Against),
        ("nottinghamshire-police", Vote::Against),
    ];
    let decision = registry
        .as_of(on)
        .decide_by_cost_share(board, &votes, year("2021/22")?)?;
    assert_eq!(decision.weighing, Weighing::CostShare(Currency::GBP));
    assert_eq!(
        (decision.in_favour, decision.against, decision.total),
        (3_090_384_615, 2_509_615_385, 5_600_000_000)
    );
    assert_eq!(decision.needed, 2_800_000_000);
    assert!(decision.passes);
    assert!(decision.unweighted.is_empty());
    // The same figures handed to `decide` give the same answer.
    let shares: Vec<(&str, Money)> = [
        ("derbyshire-police", "8403846.15"),
        ("leicestershire-police", "11250000.00"),
        ("lincolnshire-police", "11250000.00"),
        ("northamptonshire-police", "11250000.00"),
        ("nottinghamshire-police", "13846153.85"),
    ]
    .iter()
    .map(|(p, m)| Ok((*p, Money::parse(m, Currency::GBP)?)))
    .collect::<Result<_>>()?;
    assert_eq!(registry.as_of(on).decide(board, &votes, &shares)?, decision);

    // Three forces against the two largest payers: Nottinghamshire and
    // Leicestershire for is 25,096,153.85, short of half.
    let votes = [
        ("nottinghamshire-police", Vote::For),
        ("leicestershire-police", Vote::For),
        ("derbyshire-police", Vote::Abstain),
    ];
    let decision = registry
        .as_of(on)
        .decide_by_cost_share(board, &votes, year("2021/22")?)?;
    assert_eq!(
        (decision.in_favour, decision.abstained, decision.absent),
        (2_509_615_385, 840_384_615, 2_250_000_000)
    );
    assert!(!decision.passes);

    // 2016/17: only operational support has a budget (£19m), shared by four
    // forces at £4.75m; Derbyshire had left, so its seat weighs nothing.
    // Leicestershire and Lincolnshire for is exactly half, which passes.
    let votes = [
        ("leicestershire-police", Vote::For),
        ("lincolnshire-police", Vote::For),
        ("derbyshire-police", Vote::For),
    ];
    let decision = registry
        .as_of(on)
        .decide_by_cost_share(board, &votes, year("2016/17")?)?;
    assert_eq!(
        (decision.in_favour, decision.total, decision.needed),
        (950_000_000, 1_900_000_000, 950_000_000)
    );
    assert!(decision.passes);
    let unweighted: Vec<&str> = decision.unweighted.iter().map(|p| p.as_str()).collect();
    assert_eq!(unweighted, ["derbyshire-police"]);

    // No agreement the board governs has a budget for 2019/20.
    let err = registry
        .as_of(on)
        .decide_by_cost_share(board, &votes, year("2019/20")?)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("no agreement em-operational-delivery-board governs has a budget for 2019/20"),
        "{err}"
    );

    // A board that decides by simple majority counts votes, not money.
    let votes = [
        ("derbyshire-police", Vote::For),
        ("nottinghamshire-police", Vote::For),
    ];
    let decision = registry.as_of(on).decide_by_cost_share(
        "em-support-delivery-board",
        &votes,
        year("2021/22")?,
    )?;
    assert_eq!(decision.weighing, Weighing::Votes);
    assert_eq!((decision.in_favour, decision.total), (2, 3));
    assert!(decision.passes);
    Ok(())
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// One generated member: id number, days it joins after 1 April 2021
    /// (0 = from before the year), days before 31 March 2022 it leaves
    /// (0 = stays), its metric, units and raw percentage.
    #[derive(Debug, Clone)]
    struct Gen {
        id: usize,
        late: u32,
        early: u32,
        metric: u64,
        units: u64,
        raw_percent: u64,
    }

    fn gen_member() -> impl Strategy<Value = (u32, u32, u64, u64, u64)> {
        (
            prop_oneof![3 => Just(0u32), 1 => 1u32..180],
            prop_oneof![3 => Just(0u32), 1 => 1u32..180],
            1u64..5_000_000,
            1u64..100_000,
            1u64..1_000,
        )
    }

    fn gen_members() -> impl Strategy<Value = Vec<Gen>> {
        proptest::collection::vec(gen_member(), 2..10).prop_map(|v| {
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

    fn id(n: usize) -> String {
        // Ids whose byte order differs from generation order.
        format!("force-{}", (n * 7) % 10)
    }

    fn date(days_from_year_start: i64) -> String {
        let start = chrono::NaiveDate::from_ymd_opt(2021, 4, 1).unwrap_or_default();
        (start + chrono::Duration::days(days_from_year_start)).to_string()
    }

    /// Percentages in ten-thousandths adding up to exactly 100.
    fn percents(members: &[Gen]) -> Vec<u64> {
        let total: u64 = members.iter().map(|m| m.raw_percent).sum();
        let mut p: Vec<u64> = members
            .iter()
            .map(|m| m.raw_percent * 1_000_000 / total)
            .collect();
        let short = 1_000_000 - p.iter().sum::<u64>();
        p[0] += short;
        p
    }

    /// The formula of `kind`, its fixed shares listed in `order`.
    fn formula(kind: u8, blend_weight: u32, members: &[Gen], order: &[usize]) -> Value {
        let p = percents(members);
        let shares: Vec<Value> = order
            .iter()
            .filter_map(|&i| Some((members.get(i)?, p.get(i)?)))
            .map(|(m, p)| json!({"party": id(m.id), "percent": format!("{}.{:04}", p / 10_000, p % 10_000)}))
            .collect();
        let fixed = json!({"kind": "fixed_percentages", "shares": shares});
        match kind {
            0 => json!({"kind": "equal"}),
            1 => fixed,
            2 => json!({"kind": "metric", "metric": "nre"}),
            3 => json!({"kind": "usage"}),
            4 => json!({"kind": "blend", "parts": [
                {"weight": blend_weight.to_string(), "formula": {"kind": "equal"}},
                {"weight": (100 - blend_weight).to_string(), "formula": {"kind": "metric", "metric": "nre"}},
            ]}),
            _ => json!({"kind": "blend", "parts": [
                {"weight": blend_weight.to_string(), "formula": fixed},
                {"weight": (100 - blend_weight).to_string(), "formula": {"kind": "usage"}},
            ]}),
        }
    }

    /// A registry of the generated members (listed in `order`) sharing
    /// `budget` pence in 2021/22 by formula `kind`.
    fn build(
        members: &[Gen],
        order: &[usize],
        kind: u8,
        blend_weight: u32,
        budget: i64,
    ) -> Result<Registry> {
        let listed: Vec<&Gen> = order.iter().filter_map(|&i| members.get(i)).collect();
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
                    date(i64::from(m.late))
                };
                let left = (m.early > 0).then(|| date(365 - i64::from(m.early)));
                member(&id(m.id), &joined, left.as_deref())
            })
            .collect();
        let usage: Vec<Value> = listed
            .iter()
            .map(|m| json!({"year": "2021/22", "party": id(m.id), "units": m.units.to_string()}))
            .collect();
        let costs = json!({
            "budgets": [{"year": "2021/22", "amount": format!("{}.{:02}", budget / 100, budget % 100)}],
            "formulas": [{"from": "2020-04-01", "formula": formula(kind, blend_weight, members, order)}],
            "usage": usage,
        });
        let doc = json!({
            "schema_version": 1,
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
        Ok(Registry::from_json_str(&doc.to_string())?)
    }

    /// Days of 2021/22 a generated member takes part.
    fn days(m: &Gen) -> u128 {
        u128::from(365 - m.late - m.early)
    }

    /// The exact fraction of the budget of each member, as (numerator,
    /// denominator), worked out independently of the library.
    fn exact_fractions(members: &[Gen], kind: u8, blend_weight: u32) -> Vec<(u128, u128)> {
        let p = percents(members);
        let proportional = |w: Vec<u128>| {
            let total: u128 = w.iter().sum();
            w.into_iter().map(|x| (x, total)).collect::<Vec<_>>()
        };
        let equal = proportional(members.iter().map(days).collect());
        let fixed = proportional(
            members
                .iter()
                .zip(&p)
                .map(|(m, p)| u128::from(*p) * days(m))
                .collect(),
        );
        let metric = proportional(
            members
                .iter()
                .map(|m| u128::from(m.metric) * days(m))
                .collect(),
        );
        let usage = proportional(members.iter().map(|m| u128::from(m.units)).collect());
        let mix = |a: Vec<(u128, u128)>, b: Vec<(u128, u128)>| {
            let w = u128::from(blend_weight);
            a.into_iter()
                .zip(b)
                .map(|((an, ad), (bn, bd))| (w * an * bd + (100 - w) * bn * ad, 100 * ad * bd))
                .collect()
        };
        match kind {
            0 => equal,
            1 => fixed,
            2 => metric,
            3 => usage,
            4 => mix(equal, metric),
            _ => mix(fixed, usage),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn shares_always_add_up_to_the_budget(
            members in gen_members(), kind in 0u8..6, blend in 0u32..=100, budget in 0i64..1_000_000_000_000,
        ) {
            let order: Vec<usize> = (0..members.len()).collect();
            let registry = build(&members, &order, kind, blend, budget).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let shares = registry.apportion("shared", "2021/22".parse().map_err(|e: collab_registry::DateError| TestCaseError::fail(e.to_string()))?)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let total: i64 = shares.shares.iter().map(|s| s.amount.minor_units()).sum();
            prop_assert_eq!(total, budget);
            prop_assert_eq!(shares.shares.len(), members.len());
        }

        #[test]
        fn each_share_is_within_one_penny_of_its_exact_quota(
            members in gen_members(), kind in 0u8..6, blend in 0u32..=100, budget in 0i64..1_000_000_000_000,
        ) {
            let order: Vec<usize> = (0..members.len()).collect();
            let registry = build(&members, &order, kind, blend, budget).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let shares = registry.apportion("shared", "2021/22".parse().map_err(|e: collab_registry::DateError| TestCaseError::fail(e.to_string()))?)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let fractions = exact_fractions(&members, kind, blend);
            for (m, (num, den)) in members.iter().zip(fractions) {
                let share = shares.share_of(&id(m.id)).ok_or_else(|| TestCaseError::fail("member missing"))?;
                let amount = u128::try_from(share.amount.minor_units()).map_err(|e| TestCaseError::fail(e.to_string()))?;
                // |amount - budget × num / den| < 1, in integers.
                let exact = u128::try_from(budget).unwrap_or(0) * num;
                prop_assert!((amount * den).abs_diff(exact) < den, "{} got {} of {}", id(m.id), amount, budget);
                prop_assert!(share.quota.is_within_one_unit(share.amount.minor_units()));
            }
        }

        #[test]
        fn the_order_members_were_added_in_does_not_change_any_penny(
            members in gen_members(), kind in 0u8..6, blend in 0u32..=100, budget in 0i64..1_000_000_000_000,
            seed in any::<u64>(),
        ) {
            let order: Vec<usize> = (0..members.len()).collect();
            // A permutation from the seed (Fisher-Yates with a small LCG).
            let mut shuffled = order.clone();
            let mut state = seed;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let j = usize::try_from((state >> 33) % (i as u64 + 1)).unwrap_or(0);
                shuffled.swap(i, j);
            }
            let y: FinancialYear = "2021/22".parse().map_err(|e: collab_registry::DateError| TestCaseError::fail(e.to_string()))?;
            let a = build(&members, &order, kind, blend, budget).map_err(|e| TestCaseError::fail(e.to_string()))?
                .apportion("shared", y).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let b = build(&members, &shuffled, kind, blend, budget).map_err(|e| TestCaseError::fail(e.to_string()))?
                .apportion("shared", y).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(pennies(&a), pennies(&b));
        }

        #[test]
        fn a_what_if_never_changes_the_registry(
            members in gen_members(), kind in 0u8..6, blend in 0u32..=100, budget in 0i64..1_000_000_000_000,
            who in 0usize..12, join in any::<bool>(),
        ) {
            let order: Vec<usize> = (0..members.len()).collect();
            let registry = build(&members, &order, kind, blend, budget).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let before = registry.to_json_string();
            let y: FinancialYear = "2021/22".parse().map_err(|e: collab_registry::DateError| TestCaseError::fail(e.to_string()))?;
            // A member or the outsider: an answer or a refusal, never a change.
            let target = if who < members.len() { id(who) } else { "outsider".to_string() };
            let answer = if join {
                let terms = JoinTerms {
                    percent: matches!(kind, 1 | 5).then(|| Percent::from_ten_thousandths(100_000)),
                    usage: matches!(kind, 3 | 5).then(|| Quantity::from_whole(5)),
                    ..JoinTerms::default()
                };
                registry.what_if_join("shared", &target, y, &terms)
            } else {
                registry.what_if_withdrawal("shared", &target, y)
            };
            if let Ok(what_if) = &answer {
                let total: i64 = what_if.what_if.shares.iter().map(|s| s.amount.minor_units()).sum();
                prop_assert_eq!(total, budget);
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
