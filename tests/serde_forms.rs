//! A record's serde form is its form in the file. For every record of the
//! sample registry, and every part inside one, `Deserialize` on the value
//! the file holds gives the very value the loader built, and `Serialize` on
//! that value gives back what the file holds; a bad record is refused with
//! the path of its problem; every keyword enum reads back its own name; and
//! one record can be read from JSON text with the crate's own parser.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Debug;

use chrono::NaiveDate;
use collab_registry::format::{agreement_from_json, body_from_json, party_from_json};
use collab_registry::model::*;
use collab_registry::{ErrorKind, ProblemCode, Registry};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

type Res = Result<(), Box<dyn Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

/// The elements of `value[key]`, none when it is absent.
fn items<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `value` with only the keys a spell has.
fn spell_of(value: &Value) -> Value {
    let mut spell = serde_json::Map::new();
    for key in ["from", "until", "recorded"] {
        if let Some(v) = value.get(key) {
            spell.insert(key.to_string(), v.clone());
        }
    }
    Value::Object(spell)
}

/// Walks a registry file beside the records the loader built from it,
/// counting each kind of value checked.
struct Walk<'r> {
    registry: &'r Registry,
    counts: BTreeMap<&'static str, usize>,
}

impl Walk<'_> {
    /// `Deserialize` on `value` gives `loaded`, and `Serialize` on `loaded`
    /// gives `value`.
    fn same<T>(&mut self, what: &'static str, value: &Value, loaded: &T) -> Res
    where
        T: DeserializeOwned + Serialize + PartialEq + Debug,
    {
        let read: T = serde_json::from_value(value.clone())
            .map_err(|e| format!("{what} {value} does not read: {e}"))?;
        assert_eq!(&read, loaded, "{what} read from {value}");
        assert_eq!(&serde_json::to_value(loaded)?, value, "{what} written");
        *self.counts.entry(what).or_default() += 1;
        Ok(())
    }

    /// Like [`Walk::same`] for an entry of a list that writes an undated
    /// link as the id alone: the entry reads from either form, and on its
    /// own writes the object form.
    fn same_entry<T>(&mut self, what: &'static str, key: &str, value: &Value, loaded: &T) -> Res
    where
        T: DeserializeOwned + Serialize + PartialEq + Debug,
    {
        if value.is_string() {
            let read: T = serde_json::from_value(value.clone())?;
            assert_eq!(&read, loaded, "{what} read from {value}");
            self.same(what, &json!({ key: value }), loaded)
        } else {
            self.same(what, value, loaded)?;
            self.spell(value, loaded)
        }
    }

    /// A link's spell, read from the link's own object.
    fn spell<T: Serialize>(&mut self, value: &Value, link: &T) -> Res {
        let spell: Spell = serde_json::from_value(spell_of(value))?;
        let written = serde_json::to_value(link)?;
        assert_eq!(spell_of(&written), serde_json::to_value(&spell)?);
        *self.counts.entry("spell").or_default() += 1;
        Ok(())
    }

    fn all(&mut self, text: &str) -> Res {
        let file: Value = serde_json::from_str(text)?;
        for value in items(&file, "parties") {
            let id = value["id"].as_str().ok_or("a party id")?;
            self.party(value, self.registry.party(id)?)?;
        }
        for value in items(&file, "agreements") {
            let id = value["id"].as_str().ok_or("an agreement id")?;
            self.agreement(value, self.registry.agreement(id)?)?;
        }
        for value in items(&file, "bodies") {
            let id = value["id"].as_str().ok_or("a body id")?;
            self.body(value, self.registry.body(id)?)?;
        }
        Ok(())
    }

    fn party(&mut self, value: &Value, party: &Party) -> Res {
        self.same("party", value, party)?;
        let list = items(value, "identifiers");
        assert_eq!(list.len(), party.identifiers().len());
        for (v, id) in list.iter().zip(party.identifiers()) {
            self.same("identifier", v, id)?;
        }
        let list = items(value, "overseen_by");
        assert_eq!(list.len(), party.overseen_by().len());
        for (v, o) in list.iter().zip(party.overseen_by()) {
            self.same("oversight", v, o)?;
            self.spell(v, o)?;
        }
        let list = items(value, "metrics");
        assert_eq!(list.len(), party.terms().metrics.len());
        for (v, m) in list.iter().zip(&party.terms().metrics) {
            self.same("metric", v, m)?;
        }
        let list = items(value, "amendments");
        assert_eq!(list.len(), party.amendments().len());
        for (v, a) in list.iter().zip(party.amendments()) {
            self.same("party amendment", v, a)?;
        }
        Ok(())
    }

    fn agreement(&mut self, value: &Value, a: &Agreement) -> Res {
        self.same("agreement", value, a)?;
        let terms = a.terms();
        let list = items(value, "status");
        assert_eq!(list.len(), a.status_history().len());
        for (v, s) in list.iter().zip(a.status_history()) {
            self.same("status change", v, s)?;
        }
        let list = items(value, "members");
        assert_eq!(list.len(), a.members().len());
        for (v, m) in list.iter().zip(a.members()) {
            self.same("membership", v, m)?;
        }
        let list = items(value, "declined");
        assert_eq!(list.len(), a.declined().len());
        for (v, d) in list.iter().zip(a.declined()) {
            self.same("declined invitation", v, d)?;
        }
        if let Some(review) = value.get("review") {
            let held = items(review, "held");
            assert_eq!(held.len(), a.reviews_held().len());
            for (v, r) in held.iter().zip(a.reviews_held()) {
                self.same("review held", v, r)?;
            }
            // The file's `review` holds the terms and the reviews held; the
            // terms on their own are the rest of it.
            let mut rest = review.clone();
            if let Some(object) = rest.as_object_mut() {
                object.remove("held");
            }
            self.same("review terms", &rest, terms.review())?;
        }
        if let Some(v) = value.get("leaving") {
            self.same("leaving rules", v, terms.leaving())?;
        }
        if let Some(v) = value.get("publication") {
            self.same("publication", v, terms.publication())?;
        }
        if let Some(v) = value.get("responsibilities") {
            self.same("responsibilities", v, terms.responsibilities())?;
        }
        if let Some(v) = value.get("costs") {
            self.costs(v, terms.costs())?;
        }
        let list = items(value, "amendments");
        assert_eq!(list.len(), a.amendments().len());
        for (v, am) in list.iter().zip(a.amendments()) {
            self.same("agreement amendment", v, am)?;
        }
        Ok(())
    }

    fn costs(&mut self, value: &Value, costs: &CostArrangement) -> Res {
        self.same("costs", value, costs)?;
        let list = items(value, "budgets");
        assert_eq!(list.len(), costs.budgets.len());
        for (v, b) in list.iter().zip(&costs.budgets) {
            self.same("budget", v, b)?;
        }
        let list = items(value, "formulas");
        assert_eq!(list.len(), costs.formulas.len());
        for (v, f) in list.iter().zip(&costs.formulas) {
            self.same("dated formula", v, f)?;
            self.formula(&v["formula"], &f.formula)?;
        }
        let list = items(value, "usage");
        assert_eq!(list.len(), costs.usage.len());
        for (v, u) in list.iter().zip(&costs.usage) {
            self.same("usage", v, u)?;
        }
        if let Some(v) = value.get("savings") {
            self.same("savings", v, &costs.savings)?;
            let list = items(v, "realised");
            assert_eq!(list.len(), costs.savings.realised.len());
            for (v, r) in list.iter().zip(&costs.savings.realised) {
                self.same("realised saving", v, r)?;
            }
        }
        Ok(())
    }

    fn formula(&mut self, value: &Value, formula: &Formula) -> Res {
        self.same("formula", value, formula)?;
        match formula {
            Formula::FixedPercentages { shares, .. } => {
                let list = items(value, "shares");
                assert_eq!(list.len(), shares.len());
                for (v, s) in list.iter().zip(shares) {
                    self.same("fixed share", v, s)?;
                }
            }
            Formula::Blend { parts, .. } => {
                let list = items(value, "parts");
                assert_eq!(list.len(), parts.len());
                for (v, p) in list.iter().zip(parts) {
                    self.same("blend part", v, p)?;
                    self.formula(&v["formula"], &p.formula)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn body(&mut self, value: &Value, body: &GovernanceBody) -> Res {
        self.same("governance body", value, body)?;
        let list = items(value, "governs");
        assert_eq!(list.len(), body.governs().len());
        for (v, g) in list.iter().zip(body.governs()) {
            self.same_entry("governs entry", "agreement", v, g)?;
        }
        let list = items(value, "seats");
        assert_eq!(list.len(), body.seats().len());
        for (v, s) in list.iter().zip(body.seats()) {
            self.same("seat", v, s)?;
            self.spell(v, s)?;
        }
        self.same(
            "decision rule",
            &value["decision_rule"],
            body.decision_rule(),
        )?;
        // One undated line is written as the body's id alone.
        if let Some(Value::String(_)) = value.get("reports_to") {
            assert_eq!(body.reports_to().len(), 1);
            self.same_entry(
                "reports-to entry",
                "body",
                &value["reports_to"],
                &body.reports_to()[0],
            )?;
        } else {
            let list = items(value, "reports_to");
            assert_eq!(list.len(), body.reports_to().len());
            for (v, r) in list.iter().zip(body.reports_to()) {
                self.same_entry("reports-to entry", "body", v, r)?;
            }
        }
        let list = items(value, "delegated_limits");
        assert_eq!(list.len(), body.terms().delegated_limits.len());
        for (v, l) in list.iter().zip(&body.terms().delegated_limits) {
            self.same("delegated limit", v, l)?;
        }
        let list = items(value, "amendments");
        assert_eq!(list.len(), body.amendments().len());
        for (v, a) in list.iter().zip(body.amendments()) {
            self.same("body amendment", v, a)?;
        }
        Ok(())
    }
}

/// Loads the registry file `text` and walks it beside what was loaded.
fn walk(text: &str) -> Result<BTreeMap<&'static str, usize>, Box<dyn Error>> {
    let registry = Registry::from_json_str(text)?;
    let mut walk = Walk {
        registry: &registry,
        counts: BTreeMap::new(),
    };
    walk.all(text)?;
    Ok(walk.counts)
}

/// The text of `data/sample-registry.json`.
fn sample_file() -> Result<String, Box<dyn Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample-registry.json");
    Ok(std::fs::read_to_string(path)?)
}

fn money(text: &str) -> Result<Money, Box<dyn Error>> {
    Ok(Money::parse(text, Currency::GBP)?)
}

/// The sample with a record of each kind amended, each kind of amendment
/// used, and parts the sample lacks (an identifier, a realised saving, a
/// dated seat, link and reporting line) added: the file it saves to, which
/// loads back to the same bytes.
#[allow(clippy::too_many_lines, reason = "the amended sample, spelled out")]
fn amended_sample() -> Result<String, Box<dyn Error>> {
    let mut r = collab_registry::sample()?;
    r.add_party(
        Party::builder(
            PartyId::new("kent-pcc")?,
            "Kent Police and Crime Commissioner",
            PartyKind::PolicingBody,
        )
        .identifier(ExternalId::new("GB-GOR", "PC000123"))
        .build()?,
    )?;
    let year: FinancialYear = "2022/23".parse()?;
    let (budget, baseline, target) = (
        money("22000000.00")?,
        money("25000000.00")?,
        money("3000000.00")?,
    );
    let realised = RealisedSaving::new(year, money("1250000.00")?);
    r.amend(
        "em-operational-support",
        day(2022, 4, 1),
        AmendmentKind::Variation,
        "New budget, formula and terms",
        |t| {
            t.set_title("East Midlands operational support services");
            t.set_purpose(Some("Shared operational support".into()));
            t.set_functions(Functions::from_iter([
                Function::RoadsPolicing,
                Function::Dogs,
            ]));
            t.review_mut().cadence_months = Some(6);
            t.leaving_mut().notice_months = Some(9);
            t.publication_mut().level = PublicationLevel::Summary;
            let costs = t.costs_mut();
            costs.set_budget(Budget::new(year, budget));
            costs.set_formula(DatedFormula::new(day(2022, 4, 1), Formula::equal()));
            costs.part_year = PartYear::WholeYear;
            costs.baseline = Some(baseline);
            costs.savings.target = Some(target);
            costs.savings.realised.push(realised);
        },
    )?;
    r.amend(
        "em-operational-support",
        day(2023, 4, 1),
        AmendmentKind::Extension,
        "Runs to 2030",
        |t| t.set_end(Some(day(2030, 4, 1))),
    )?;
    let usage = Usage::new(year, PartyId::new("derbyshire-police")?, "400".parse()?);
    r.amend(
        "em-learning-development",
        day(2022, 4, 1),
        AmendmentKind::Correction,
        "Usage for 2022/23",
        |t| t.costs_mut().set_usage(usage),
    )?;
    r.amend(
        "em-major-crime",
        day(2024, 4, 1),
        AmendmentKind::Renewal,
        "Renewed under section 22A",
        |t| t.set_legal_basis(LegalBasis::Section22aPoliceAct1996),
    )?;
    r.change_role(
        "em-major-crime",
        "derbyshire-police",
        Role::Host,
        day(2024, 6, 1),
    )?;
    r.amend_party(
        "derbyshire-pcc",
        day(2024, 5, 9),
        AmendmentKind::Variation,
        "Renamed",
        |t| {
            t.name = "Derbyshire Police, Fire and Crime Commissioner".into();
            t.region = Some("Midlands".into());
            t.signs_as = None;
        },
    )?;
    r.set_metric(
        "derbyshire-police",
        Metric::new("officers", year, "1850".parse()?),
        day(2022, 4, 1),
    )?;
    let (two_thirds, limit) = ("2/3".parse()?, money("250000.00")?);
    r.amend_body(
        "em-regional-meeting",
        day(2020, 1, 1),
        AmendmentKind::Variation,
        "Two thirds to decide; a spending limit",
        |t| {
            t.name = "East Midlands regional meeting".into();
            t.kind = BodyKind::JointCommittee;
            t.decision_rule = DecisionRule::qualified_majority(two_thirds);
            t.delegated_limits
                .push(DelegatedLimit::new("spending", limit));
        },
    )?;
    r.add_seat(
        "em-regional-meeting",
        Seat::new(
            PartyId::new("derbyshire-police")?,
            SeatRole::Adviser,
            0,
            Spell::from_day(day(2020, 1, 1))
                .until(day(2024, 1, 1))
                .entered(day(2020, 2, 1)),
        ),
    )?;
    r.govern(
        "em-regional-meeting",
        Governs::new(
            AgreementId::new("em-major-crime")?,
            Spell::from_day(day(2021, 4, 1)),
        ),
    )?;
    r.report_to(
        "em-support-delivery-board",
        ReportsTo::new(
            BodyId::new("em-regional-meeting")?,
            Spell::from_day(day(2022, 1, 1)),
        ),
    )?;
    let text = r.to_json_string();
    assert_eq!(Registry::from_json_str(&text)?.to_json_string(), text);
    Ok(text)
}

#[test]
fn every_record_of_the_sample_reads_as_the_loader_built_it_and_writes_as_the_file_holds_it() -> Res
{
    let counts = walk(&sample_file()?)?;
    assert_eq!(counts["party"], 26);
    assert_eq!(counts["agreement"], 13);
    assert_eq!(counts["governance body"], 9);
    for what in [
        "oversight",
        "metric",
        "status change",
        "membership",
        "declined invitation",
        "review held",
        "review terms",
        "leaving rules",
        "publication",
        "responsibilities",
        "costs",
        "budget",
        "dated formula",
        "formula",
        "fixed share",
        "blend part",
        "usage",
        "savings",
        "governs entry",
        "seat",
        "decision rule",
        "reports-to entry",
        "delegated limit",
        "spell",
    ] {
        assert!(
            counts.get(what).is_some_and(|n| *n > 0),
            "no {what} in the sample"
        );
    }
    Ok(())
}

#[test]
fn amendments_of_every_record_and_the_parts_the_sample_lacks_read_back_too() -> Res {
    let before = walk(&sample_file()?)?;
    let text = amended_sample()?;
    let after = walk(&text)?;
    for (what, added) in [
        ("party", 1),
        ("identifier", 1),
        ("party amendment", 2),
        ("agreement amendment", 5),
        ("realised saving", 1),
        ("body amendment", 1),
        ("delegated limit", 1),
        ("seat", 1),
        ("governs entry", 1),
        ("reports-to entry", 1),
    ] {
        let count = |counts: &BTreeMap<&str, usize>| counts.get(what).copied().unwrap_or(0);
        assert_eq!(count(&after), count(&before) + added, "{what}");
    }
    let registry = Registry::from_json_str(&text)?;
    let kinds: Vec<AmendmentKind> = registry
        .agreement("em-operational-support")?
        .amendments()
        .iter()
        .chain(registry.agreement("em-learning-development")?.amendments())
        .chain(registry.agreement("em-major-crime")?.amendments())
        .map(|a| a.kind)
        .collect();
    for kind in AmendmentKind::ALL {
        assert!(kinds.contains(kind), "no {kind} amendment");
    }
    // The role change is an amendment of its own, beside the renewal.
    let role = &registry.agreement("em-major-crime")?.amendments()[1];
    assert!(
        matches!(&role.changes[..], [AgreementChange::Role(party, _, c)]
        if party.as_str() == "derbyshire-police" && c.after == Role::Host)
    );
    let board = registry.body("em-regional-meeting")?;
    assert!(
        board
            .seats()
            .iter()
            .any(|s| s.spell.recorded.from == Some(day(2020, 2, 1)))
    );
    assert_eq!(
        registry
            .body("em-support-delivery-board")?
            .reports_to()
            .len(),
        2
    );
    Ok(())
}

#[test]
fn a_record_with_a_problem_is_refused_with_the_path_of_each_problem() {
    let err = serde_json::from_value::<Membership>(json!({"party": "Not An Id", "role": "member"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("party: "), "{err}");
    assert!(err.contains("joined: is required"), "{err}");

    // A record-local rule, as the builder runs it: a party cannot oversee
    // itself.
    let err = serde_json::from_value::<Party>(json!({
        "id": "x-police", "name": "X", "kind": "police_force",
        "overseen_by": [{"by": "x-police"}]
    }))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("overseen_by[0].by: a party cannot oversee itself"),
        "{err}"
    );

    // Shares that do not add up to 100 are the agreement's rule.
    let agreement = json!({
        "id": "shared-dogs", "title": "Dogs", "legal_basis": "contract", "start": "2024-04-01",
        "status": [{"status": "active", "from": "2024-04-01"}],
        "members": [{"party": "force-a", "role": "lead", "joined": "2024-04-01"},
                    {"party": "force-b", "role": "member", "joined": "2024-04-01"}],
        "costs": {"formulas": [{"from": "2024-04-01", "formula": {"kind": "fixed_percentages",
            "shares": [{"party": "force-a", "percent": "60"}, {"party": "force-b", "percent": "30"}]}}]}
    });
    let err = serde_json::from_value::<Agreement>(agreement)
        .unwrap_err()
        .to_string();
    assert!(err.contains("costs.formulas[0].formula.shares"), "{err}");

    // Amounts are read in GBP, to the penny.
    let err = serde_json::from_value::<Budget>(json!({"year": "2024/25", "amount": "1.005"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("amount: "), "{err}");

    let err = serde_json::from_value::<Formula>(json!({"kind": "equal", "shares": []}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("shares: "), "{err}");

    let err = serde_json::from_value::<Spell>(json!({"from": "2020-01-01", "by": "x"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("by: "), "{err}");

    let err = serde_json::from_value::<Seat>(json!("derbyshire-police"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("$: expected an object, found a string"),
        "{err}"
    );
}

#[test]
fn a_key_given_twice_is_refused() {
    let text = r#"{"id": "x-pcc", "name": "X", "kind": "policing_body", "name": "Y"}"#;
    let err = serde_json::from_str::<Party>(text).unwrap_err().to_string();
    assert!(err.contains(r#"duplicate key "name""#), "{err}");
    let text = r#"{"year": "2024/25", "amount": "1.00", "note": {"a": 1, "a": 2}}"#;
    let err = serde_json::from_str::<Budget>(text)
        .unwrap_err()
        .to_string();
    assert!(err.contains(r#"duplicate key "a""#), "{err}");
}

#[test]
fn unknown_fields_are_kept_and_read_from_text_their_numbers_are_exact() -> Res {
    let usage: Usage = serde_json::from_value(
        json!({"year": "2024/25", "party": "force-a", "units": "12", "source": {"page": 4}}),
    )?;
    assert_eq!(
        usage
            .extra
            .get("source")
            .map(ToString::to_string)
            .as_deref(),
        Some(r#"{"page":4}"#)
    );
    let text = r#"{"id": "x-pcc", "name": "X", "kind": "policing_body", "local_code": 123456789012345678901234567890}"#;
    let exact = party_from_json(text)?;
    assert_eq!(
        exact.extra().get("local_code"),
        Unknown::number("123456789012345678901234567890").as_ref()
    );
    // serde_json hands `Deserialize` such a number as a float already.
    let through_serde: Party = serde_json::from_str(text)?;
    assert_eq!(
        through_serde.extra().get("local_code"),
        Unknown::number("1.2345678901234568e+29").as_ref()
    );
    Ok(())
}

macro_rules! keyword_enums {
    ($($ty:ident => $what:literal),* $(,)?) => {$(
        for value in $ty::ALL {
            let name = value.to_string();
            assert_eq!(name.parse::<$ty>().ok(), Some(*value), "{name}");
            assert_eq!(serde_json::to_value(value)?, Value::String(name.clone()));
            assert_eq!(serde_json::from_value::<$ty>(Value::String(name.clone()))?, *value);
        }
        let err = "no_such_thing".parse::<$ty>().unwrap_err();
        assert_eq!(err.what(), $what);
        assert!(err.to_string().starts_with(concat!("unknown ", $what)), "{err}");
        let err = serde_json::from_value::<$ty>(json!("no_such_thing")).unwrap_err();
        assert!(err.to_string().contains($what), "{err}");
    )*};
}

#[test]
fn every_keyword_reads_back_its_own_name_and_an_unknown_one_names_the_enum() -> Res {
    keyword_enums!(
        PartyKind => "party kind",
        Sector => "sector",
        LegalBasis => "legal basis",
        Function => "function",
        Status => "status",
        Role => "role",
        PublicationLevel => "publication level",
        PartYear => "part-year rule",
        AmendmentKind => "amendment kind",
        BodyKind => "body kind",
        SeatRole => "seat role",
        ReviewAnchor => "review anchor",
    );
    Ok(())
}

#[test]
fn one_record_reads_from_json_text_with_the_crates_own_parser() -> Res {
    let text = sample_file()?;
    let sample = Registry::from_json_str(&text)?;
    let file: Value = serde_json::from_str(&text)?;
    let record = |list: &str, id: &str| -> Result<String, Box<dyn Error>> {
        let value = items(&file, list)
            .iter()
            .find(|r| r["id"] == id)
            .ok_or("no such record")?;
        Ok(serde_json::to_string(value)?)
    };
    let party = party_from_json(&record("parties", "northamptonshire-fire")?)?;
    assert_eq!(&party, sample.party("northamptonshire-fire")?);
    assert_eq!(party.overseen_by()[1].spell.from, Some(day(2019, 1, 1)));
    let agreement = agreement_from_json(&record("agreements", "em-operational-support")?)?;
    assert_eq!(&agreement, sample.agreement("em-operational-support")?);
    let body = record("bodies", "em-regional-meeting")?;
    assert_eq!(&body_from_json(&body)?, sample.body("em-regional-meeting")?);

    let err =
        party_from_json(r#"{"id": "x-pcc", "name": "X", "kind": "policing_body",}"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert_eq!(err.problems()[0].code(), ProblemCode::Syntax);
    let err = party_from_json(r#"{"id": "x-pcc", "id": "y-pcc"}"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert_eq!(err.problems()[0].path(), "id");
    let err = body_from_json(&format!("\u{feff}{body}")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax);

    let err = party_from_json(r#"{"id": "x-pcc", "name": " ", "kind": "pcc"}"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let found: Vec<(&str, ProblemCode)> = err
        .problems()
        .iter()
        .map(|p| (p.path(), p.code()))
        .collect();
    assert_eq!(
        found,
        [
            ("name", ProblemCode::Empty),
            ("kind", ProblemCode::UnknownKeyword)
        ]
    );
    let err = body_from_json(&body.replace(
        "\"governs\":[\"em-collaboration-programme\"]",
        "\"reports_to\":\"em-regional-meeting\"",
    ))
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(
        (err.problems()[0].path(), err.problems()[0].code()),
        ("reports_to", ProblemCode::Cycle)
    );
    let err = agreement_from_json("[]").unwrap_err();
    assert_eq!(
        (err.kind(), err.problems()[0].path()),
        (ErrorKind::Invalid, "$")
    );
    Ok(())
}
