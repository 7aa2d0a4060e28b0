//! Random histories of changes for the property tests: a change of every
//! kind the registry offers, on the sample's agreements and parties (and
//! three the replay oracle adds: members by class, national and regional,
//! and a member list not published; unknown to the sample alone, where
//! changes to them are refused), with days near and far, partly invalid
//! arguments, and an entry day.

use chrono::NaiveDate;
use collab_registry::model::{
    AgreementId, AmendmentKind, Asset, AssetShare, Budget, Currency, DatedFormula, Ending,
    FinancialYear, FixedShare, Formula, Functions, Membership, Metric, Money, PartyId, PartyKind,
    Percent, Quantity, Review, Role, Status,
};
use collab_registry::time::When;
use collab_registry::{Error, Registry};
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a day"))
}

pub(crate) const AGREEMENTS: [&str; 9] = [
    "em-major-crime",
    "em-operational-support",
    "em-public-order",
    "em-learning-development",
    "northamptonshire-enabling-services",
    "bch-strategic-alliance",
    "national-by-class",
    "east-midlands-by-class",
    "unpublished-members",
];
pub(crate) const PARTIES: [&str; 7] = [
    "derbyshire-police",
    "leicestershire-police",
    "lincolnshire-police",
    "nottinghamshire-police",
    "northamptonshire-police",
    "bedfordshire-police",
    "kent-police",
];

/// One change the property test tries, with an effective day and an entry
/// day as offsets in days from 2010-01-01 (some far out of range).
#[derive(Debug, Clone)]
pub(crate) enum Try {
    Join(usize, usize, usize, i64, i64),
    Leave(usize, usize, i64, i64),
    Notice(usize, usize, i64, i64),
    Status(usize, usize, i64, i64),
    Review(usize, i64, i64),
    End(usize, Option<i64>, i64, i64),
    NoticeMonths(usize, u32, i64, i64),
    Functions(usize, u64, i64, i64),
    Title(usize, String, i64, i64),
    Budget(usize, i32, i64, i64, i64),
    Shares(usize, u32, i64, i64),
    Role(usize, usize, usize, i64, i64),
    Rename(usize, String, i64, i64),
    Metric(usize, i32, u32, i64, i64),
    /// A party's kind changes: it joins or leaves classes from that day.
    Kind(usize, usize, i64, i64),
    /// A party's region changes (or is dropped, with `None`).
    Region(usize, Option<usize>, i64, i64),
    /// An agreement's successor is named (or taken back, with `None`).
    Successor(usize, Option<usize>, i64, i64),
    /// An agreement's one asset, owned by two East Midlands forces (the
    /// first or its commissioner, then the second) with shares that may not
    /// add up.
    Assets(usize, usize, usize, bool, u32, i64, i64),
    /// A termination ended by a party's notice, or (`None`) by all members.
    EndBy(usize, Option<usize>, i64, i64),
}

/// The kinds a party is changed to, and the regions it moves to.
const KINDS: [PartyKind; 3] = [
    PartyKind::PoliceForce,
    PartyKind::PolicingBody,
    PartyKind::FireAndRescue,
];
const REGIONS: [&str; 2] = ["East Midlands", "East of England"];

pub(crate) fn offset() -> impl Strategy<Value = i64> {
    prop_oneof![8 => 0i64..7000, 1 => -3_000_000i64..3_000_000]
}

/// The agreements whose costs the changes name parties in: any of them,
/// those with members by class too, so a share named for a class member
/// and then that member's kind or region changed is asked of the rules.
fn costed() -> impl Strategy<Value = usize> {
    0..AGREEMENTS.len()
}

pub(crate) fn try_change() -> impl Strategy<Value = Try> {
    let a = 0..AGREEMENTS.len();
    let p = 0..PARTIES.len();
    prop_oneof![
        (a.clone(), p.clone(), 0..5usize, offset(), offset())
            .prop_map(|(a, p, r, d, t)| Try::Join(a, p, r, d, t)),
        (a.clone(), p.clone(), offset(), offset()).prop_map(|(a, p, d, t)| Try::Leave(a, p, d, t)),
        (a.clone(), p.clone(), offset(), offset()).prop_map(|(a, p, d, t)| Try::Notice(a, p, d, t)),
        (a.clone(), 0..5usize, offset(), offset()).prop_map(|(a, s, d, t)| Try::Status(a, s, d, t)),
        (a.clone(), offset(), offset()).prop_map(|(a, d, t)| Try::Review(a, d, t)),
        (
            a.clone(),
            proptest::option::of(offset()),
            offset(),
            offset()
        )
            .prop_map(|(a, e, d, t)| Try::End(a, e, d, t)),
        (
            a.clone(),
            prop_oneof![0u32..30, Just(1200), Just(1201), Just(u32::MAX)],
            offset(),
            offset()
        )
            .prop_map(|(a, m, d, t)| Try::NoticeMonths(a, m, d, t)),
        (a.clone(), any::<u64>(), offset(), offset())
            .prop_map(|(a, f, d, t)| Try::Functions(a, f, d, t)),
        (
            a.clone(),
            prop_oneof![Just(String::new()), Just(" ".to_string()), "[a-zé ]{1,12}"],
            offset(),
            offset()
        )
            .prop_map(|(a, s, d, t)| Try::Title(a, s, d, t)),
        (
            a.clone(),
            prop_oneof![1990i32..2040, Just(9999), Just(-5)],
            -1_000i64..100_000_000_000,
            offset(),
            offset()
        )
            .prop_map(|(a, y, m, d, t)| Try::Budget(a, y, m, d, t)),
        (costed(), 0u32..1_000_001, offset(), offset())
            .prop_map(|(a, s, d, t)| Try::Shares(a, s, d, t)),
        (a.clone(), p.clone(), 0..5usize, offset(), offset())
            .prop_map(|(a, p, r, d, t)| Try::Role(a, p, r, d, t)),
        (
            p.clone(),
            prop_oneof![Just(String::new()), "[A-Za-z ]{1,12}"],
            offset(),
            offset()
        )
            .prop_map(|(p, n, d, t)| Try::Rename(p, n, d, t)),
        (p.clone(), 1990i32..2040, 0u32..5000, offset(), offset())
            .prop_map(|(p, y, v, d, t)| Try::Metric(p, y, v, d, t)),
        (p.clone(), 0..KINDS.len(), offset(), offset())
            .prop_map(|(p, k, d, t)| Try::Kind(p, k, d, t)),
        (
            p.clone(),
            proptest::option::of(0..REGIONS.len()),
            offset(),
            offset()
        )
            .prop_map(|(p, r, d, t)| Try::Region(p, r, d, t)),
        (
            a.clone(),
            proptest::option::of(a.clone()),
            offset(),
            offset()
        )
            .prop_map(|(a, b, d, t)| Try::Successor(a, b, d, t)),
        (
            costed(),
            0..5usize,
            0..5usize,
            any::<bool>(),
            prop_oneof![3 => Just(500_000u32), 1 => 0u32..1_000_001],
            offset(),
            offset()
        )
            .prop_map(|(a, x, y, c, s, d, t)| Try::Assets(a, x, y, c, s, d, t)),
        (a, proptest::option::of(p), offset(), offset())
            .prop_map(|(a, p, d, t)| Try::EndBy(a, p, d, t)),
    ]
}

/// The commissioner of a sample force: its id with `-pcc` for `-police`
/// (Northamptonshire's is a PFCC; the BCH and Kent ids are not in the
/// sample's form, and so unknown, which the rules refuse).
fn commissioner(force: &str) -> String {
    match force {
        "northamptonshire-police" => "northamptonshire-pfcc".to_string(),
        other => other.replace("-police", "-pcc"),
    }
}

pub(crate) fn on(offset: i64) -> NaiveDate {
    let base = day(2010, 1, 1);
    if offset >= 0 {
        base.checked_add_days(chrono::Days::new(offset.unsigned_abs()))
            .unwrap_or(NaiveDate::MAX)
    } else {
        base.checked_sub_days(chrono::Days::new(offset.unsigned_abs()))
            .unwrap_or(NaiveDate::MIN)
    }
}

/// When a change takes effect, entered on `entered` or, with none, on the
/// later of its effective day and `t`.
fn when(d: i64, t: i64, entered: Option<NaiveDate>) -> When {
    When::on(on(d)).entered(entered.unwrap_or_else(|| on(d.max(t))))
}

/// Tries a change entered as its own offsets say.
#[allow(dead_code)] // tests/changes.rs uses it; the replay oracle gives entry days
pub(crate) fn attempt(registry: &mut Registry, change: &Try) -> Result<(), Error> {
    attempt_entered(registry, change, None)
}

#[allow(
    clippy::too_many_lines,
    reason = "one arm per kind of change the histories try"
)]
#[allow(
    clippy::many_single_char_names,
    reason = "the fields of each change, named as its variant documents them: agreement, party, role, day, register day"
)]
pub(crate) fn attempt_entered(
    registry: &mut Registry,
    change: &Try,
    entered: Option<NaiveDate>,
) -> Result<(), Error> {
    match change.clone() {
        Try::Join(a, p, r, d, t) => {
            let Ok(id) = PartyId::new(PARTIES[p]) else {
                return Ok(());
            };
            registry.join(
                AGREEMENTS[a],
                Membership::new(id, Role::ALL[r], on(d))
                    .entered(entered.unwrap_or_else(|| on(d.max(t)))),
            )
        }
        Try::Leave(a, p, d, t) => registry.leave(AGREEMENTS[a], PARTIES[p], when(d, t, entered)),
        Try::Notice(a, p, d, t) => registry
            .serve_notice(AGREEMENTS[a], PARTIES[p], when(d, t, entered))
            .map(|_| ()),
        Try::Status(a, s, d, t) => {
            registry.set_status(AGREEMENTS[a], Status::ALL[s], when(d, t, entered), None)
        }
        Try::Review(a, d, t) => registry.record_review(
            AGREEMENTS[a],
            Review::new(on(d)).entered(entered.unwrap_or_else(|| on(d.max(t)))),
        ),
        Try::End(a, e, d, t) => registry
            .amend(
                AGREEMENTS[a],
                when(d, t, entered),
                AmendmentKind::Variation,
                "end",
                |terms| terms.set_end(e.map(on)),
            )
            .map(|_| ()),
        Try::NoticeMonths(a, m, d, t) => registry
            .amend(
                AGREEMENTS[a],
                when(d, t, entered),
                AmendmentKind::Variation,
                "notice",
                |terms| terms.leaving_mut().notice_months = Some(m),
            )
            .map(|_| ()),
        Try::Functions(a, bits, d, t) => registry
            .amend(
                AGREEMENTS[a],
                when(d, t, entered),
                AmendmentKind::Variation,
                "functions",
                |terms| {
                    let functions: Functions = collab_registry::model::Function::ALL
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| bits >> i & 1 == 1)
                        .map(|(_, f)| *f)
                        .collect();
                    terms.set_functions(functions);
                },
            )
            .map(|_| ()),
        Try::Title(a, s, d, t) => registry
            .amend(
                AGREEMENTS[a],
                when(d, t, entered),
                AmendmentKind::Variation,
                "title",
                |terms| terms.set_title(s),
            )
            .map(|_| ()),
        Try::Budget(a, y, minor, d, t) => {
            let Ok(year) = FinancialYear::starting(y) else {
                return Ok(());
            };
            registry
                .amend(
                    AGREEMENTS[a],
                    when(d, t, entered),
                    AmendmentKind::Variation,
                    "budget",
                    |terms| {
                        terms
                            .costs_mut()
                            .set_budget(Budget::new(year, Money::from_minor(minor, Currency::GBP)));
                    },
                )
                .map(|_| ())
        }
        Try::Shares(a, share, d, t) => registry
            .amend(
                AGREEMENTS[a],
                when(d, t, entered),
                AmendmentKind::Variation,
                "shares",
                |terms| {
                    let ids: Vec<PartyId> = PARTIES
                        .iter()
                        .take(2)
                        .filter_map(|p| PartyId::new(p).ok())
                        .collect();
                    let (Ok(x), Ok(y)) = (
                        Percent::from_ten_thousandths(share),
                        Percent::from_ten_thousandths(1_000_000 - share.min(1_000_000)),
                    ) else {
                        return;
                    };
                    let shares = ids
                        .iter()
                        .zip([x, y])
                        .map(|(id, p)| FixedShare::new(id.clone(), p))
                        .collect();
                    terms
                        .costs_mut()
                        .set_formula(DatedFormula::new(on(d), Formula::fixed_percentages(shares)));
                },
            )
            .map(|_| ()),
        Try::Role(a, p, r, d, t) => {
            registry.change_role(AGREEMENTS[a], PARTIES[p], Role::ALL[r], when(d, t, entered))
        }
        Try::Rename(p, name, d, t) => registry.amend_party(
            PARTIES[p],
            when(d, t, entered),
            AmendmentKind::Variation,
            "rename",
            |terms| terms.name = name,
        ),
        Try::Metric(p, y, v, d, t) => {
            let Ok(year) = FinancialYear::starting(y) else {
                return Ok(());
            };
            registry.set_metric(
                PARTIES[p],
                Metric::new("officers", year, Quantity::from_whole(v)),
                when(d, t, entered),
            )
        }
        Try::Kind(p, k, d, t) => registry.amend_party(
            PARTIES[p],
            when(d, t, entered),
            AmendmentKind::Correction,
            "kind",
            |terms| terms.kind = KINDS[k],
        ),
        Try::Region(p, r, d, t) => registry.amend_party(
            PARTIES[p],
            when(d, t, entered),
            AmendmentKind::Correction,
            "region",
            |terms| terms.region = r.map(|r| REGIONS[r].to_string()),
        ),
        Try::Successor(a, b, d, t) => {
            let successor = match b {
                Some(b) => match AgreementId::new(AGREEMENTS[b]) {
                    Ok(id) => Some(id),
                    Err(_) => return Ok(()),
                },
                None => None,
            };
            registry
                .amend(
                    AGREEMENTS[a],
                    when(d, t, entered),
                    AmendmentKind::Variation,
                    "successor",
                    |terms| terms.set_replaced_by(successor),
                )
                .map(|_| ())
        }
        Try::Assets(a, x, y, through_commissioner, share, d, t) => {
            let first = if through_commissioner {
                commissioner(PARTIES[x])
            } else {
                PARTIES[x].to_string()
            };
            let (Ok(first), Ok(second)) = (PartyId::new(&first), PartyId::new(PARTIES[y])) else {
                return Ok(());
            };
            let (Ok(x), Ok(y)) = (
                Percent::from_ten_thousandths(share),
                Percent::from_ten_thousandths(500_000),
            ) else {
                return Ok(());
            };
            registry
                .amend(
                    AGREEMENTS[a],
                    when(d, t, entered),
                    AmendmentKind::Variation,
                    "assets",
                    |terms| {
                        terms.costs_mut().assets = vec![Asset::new(
                            "Shared asset",
                            vec![AssetShare::new(first, x), AssetShare::new(second, y)],
                        )];
                    },
                )
                .map(|_| ())
        }
        Try::EndBy(a, p, d, t) => {
            let ending = match p {
                Some(p) => match PartyId::new(PARTIES[p]) {
                    Ok(id) => Ending::Notice(id),
                    Err(_) => return Ok(()),
                },
                None => Ending::AllMembers,
            };
            registry.terminate_by(AGREEMENTS[a], when(d, t, entered), ending, None)
        }
    }
}
