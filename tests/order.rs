//! Answers come out by id whatever order records were added in: the index
//! keeps agreements and parties in id order (a sort key precomputed, so
//! answers need not compare ids), placing a few new ones one by one and
//! sorting many at once, and the review calendar is kept in that order.
//! Each answer is checked against the same rows sorted by their ids.

use chrono::{Days, NaiveDate};
use collab_registry::model::{
    Agreement, AgreementId, LegalBasis, Membership, Party, PartyId, PartyKind, ReviewTerms, Role,
};
use collab_registry::{Change, Registry};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

const ON: NaiveDate = match NaiveDate::from_ymd_opt(2026, 4, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

fn force(id: &str) -> Result<Party> {
    Ok(
        Party::builder(PartyId::new(id)?, id, PartyKind::PoliceForce)
            .region("East Midlands")
            .build()?,
    )
}

/// An agreement reviewed every 12 months from 1 April 2026 (so due on
/// 1 April 2027), with `members` (the first leads).
fn agreement(id: &str, members: &[&str]) -> Result<Agreement> {
    let mut b = Agreement::builder(AgreementId::new(id)?, id, ON)
        .legal_basis(LegalBasis::Section22aPoliceAct1996)
        .active_from(ON)
        .review(ReviewTerms::every(12));
    for (i, m) in members.iter().enumerate() {
        let role = if i == 0 { Role::Lead } else { Role::Member };
        b = b.member(Membership::new(PartyId::new(m)?, role, ON));
    }
    Ok(b.build()?)
}

/// Every answer that promises id order, checked against a sort by id.
fn assert_by_id(registry: &Registry, party: &str) -> Result {
    let asof = registry.as_of(ON);
    let of: Vec<&str> = asof
        .agreements_of(party)?
        .iter()
        .map(|r| r.agreement.id.as_str())
        .collect();
    let mut sorted = of.clone();
    sorted.sort_unstable();
    assert_eq!(of, sorted, "agreements_of({party})");
    assert!(of.len() >= 3, "the test adds at least three: {of:?}");

    let partners = asof.partners_of(party)?;
    for pair in partners.windows(2) {
        if let [x, y] = pair {
            let in_order = x.shared > y.shared
                || (x.shared == y.shared && x.party.id.as_str() < y.party.id.as_str());
            assert!(in_order, "partners {} then {}", x.party.id, y.party.id);
        }
    }
    for p in &partners {
        let ids: Vec<&str> = p.agreements.iter().map(|a| a.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted, "agreements shared with {}", p.party.id);
    }

    for id in &of {
        let members = asof.members_of(id)?;
        let keys: Vec<(u8, &str)> = members
            .members
            .iter()
            .map(|m| (m.role.rank(), m.party.id.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted, "members_of({id})");
    }

    let due = day(2027, 4, 1);
    let reviews = asof.reviews_due(due, due + Days::new(1));
    let ids: Vec<&str> = reviews.iter().map(|r| r.agreement.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "reviews due on {due}");
    assert!(
        ids.len() >= of.len(),
        "every agreement added is due: {ids:?}"
    );
    Ok(())
}

/// Ids added in reverse order, one change at a time: each new one is
/// placed among the ones before.
#[test]
fn one_at_a_time_in_reverse_order() -> Result {
    let mut registry = collab_registry::sample()?;
    for id in ["zz-force", "mm-force", "aa-force"] {
        registry.add_party(force(id)?)?;
    }
    for id in ["zz-pact", "nn-pact", "bb-pact", "aa-pact"] {
        registry.add_agreement(agreement(
            id,
            &["mm-force", "zz-force", "aa-force", "derbyshire-police"],
        )?)?;
    }
    assert_by_id(&registry, "mm-force")?;
    // The same order after a save and a load, where every id is sorted at once.
    let reloaded = Registry::from_json_str(&registry.to_json_string())?;
    assert_by_id(&reloaded, "mm-force")
}

/// Many ids at once in one batch, more than the registry holds: sorted
/// together, and the calendar built once. (A batch's agreements cannot
/// name parties the same batch adds, so the parties come first.)
#[test]
fn many_at_once_in_one_batch() -> Result {
    let mut registry = collab_registry::sample()?;
    let held = registry.agreements().len();
    registry.apply([
        Change::AddParty(Box::new(force("zz-force")?)),
        Change::AddParty(Box::new(force("aa-force")?)),
    ])?;
    let mut batch = Vec::new();
    for i in (0..held * 2).rev() {
        batch.push(Change::AddAgreement(Box::new(agreement(
            &format!("pact-{i:03}"),
            &["zz-force", "aa-force", "leicestershire-police"],
        )?)));
    }
    registry.apply(batch)?;
    assert_by_id(&registry, "zz-force")?;
    // Then one more, placed among them, with a party added between.
    registry.add_party(force("mm-force")?)?;
    registry.add_agreement(agreement("pact-0005", &["zz-force", "mm-force"])?)?;
    assert_by_id(&registry, "zz-force")?;
    let of = registry.as_of(ON).agreements_of("zz-force")?;
    assert_eq!(of.len(), held * 2 + 1);
    Ok(())
}
