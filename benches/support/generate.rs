//! A registry like a national one, of any size, made the same way every
//! time from a seed: parties in regional clusters, agreements of 2 to 12
//! members (7 on average), functions, legal bases, dates, and review
//! policies. Shared by the benches and the `scale` example through
//! `#[path]`.
//!
//! Nine agreements in ten have a review cadence of 12, 24 or 36 months;
//! of those most are kept up to date (reviews held on time up to
//! [`TODAY`]), about one in six lapsed (no review for years), and one in
//! eight has its next review date set by hand. About one agreement in
//! forty has a termination dated after [`TODAY`], so a question asked on
//! [`TODAY`] must read those through their history.

use std::fmt::Write as _;

use chrono::{Datelike, Days, Months, NaiveDate};

/// The day the generated register stands on: reviews held are before it.
pub(crate) const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// How many parties share a region: members are mostly drawn from one.
const CLUSTER: usize = 50;

const KINDS: [&str; 6] = [
    "police_force",
    "policing_body",
    "fire_and_rescue",
    "local_authority",
    "ambulance",
    "health",
];

const BASES: [&str; 6] = [
    "section_22a_police_act_1996",
    "section_23_police_act_1996",
    "policing_and_crime_act_2017",
    "contract",
    "memorandum_of_understanding",
    "not_stated",
];

const FUNCTIONS: [&str; 12] = [
    "armed_policing",
    "major_crime",
    "serious_organised_crime",
    "public_order",
    "roads_policing",
    "forensics",
    "control_room",
    "custody",
    "ict",
    "procurement",
    "fleet",
    "estates",
];

/// The splitmix64 generator: small, fast and the same on every machine.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    #[must_use]
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number from 0 to `n - 1` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
    }

    /// True one time in `n`.
    pub(crate) fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// The id of party `i`.
#[must_use]
pub(crate) fn party_id(i: usize) -> String {
    format!("party-{i:06}")
}

/// The id of agreement `i`.
#[must_use]
pub(crate) fn agreement_id(i: usize) -> String {
    format!("agr-{i:07}")
}

fn day_after(from: NaiveDate, days: usize) -> NaiveDate {
    from.checked_add_days(Days::new(days as u64))
        .unwrap_or(from)
}

fn months_after(from: NaiveDate, months: u32) -> NaiveDate {
    from.checked_add_months(Months::new(months)).unwrap_or(from)
}

/// A registry of `parties` parties and `agreements` agreements as JSON,
/// the same text for the same three numbers.
#[must_use]
#[allow(
    clippy::too_many_lines,
    reason = "one agreement written field by field, in file order"
)]
pub(crate) fn registry_json(parties: usize, agreements: usize, seed: u64) -> String {
    let parties = parties.max(CLUSTER);
    let mut rng = Rng::new(seed);
    let mut out =
        String::with_capacity(agreements.saturating_mul(850).saturating_add(100 * parties));
    out.push_str(r#"{"schema_version":2,"name":"A generated national register","currency":"GBP","parties":["#);
    for i in 0..parties {
        if i > 0 {
            out.push(',');
        }
        let kind = KINDS[rng.below(KINDS.len())];
        let _ = write!(
            out,
            r#"{{"id":"{}","name":"Party {i}","kind":"{kind}","region":"Region {}"}}"#,
            party_id(i),
            i / CLUSTER
        );
    }
    out.push_str(r#"],"agreements":["#);
    let clusters = parties / CLUSTER;
    let first = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    let span = usize::try_from(TODAY.signed_duration_since(first).num_days()).unwrap_or(0);
    let mut chosen: Vec<usize> = Vec::with_capacity(12);
    for i in 0..agreements {
        if i > 0 {
            out.push(',');
        }
        let start = day_after(first, rng.below(span.saturating_sub(200)));
        let base = BASES[rng.below(BASES.len())];
        let _ = write!(
            out,
            r#"{{"id":"{}","title":"Collaboration agreement {i}","legal_basis":"{base}","functions":["#,
            agreement_id(i)
        );
        let f0 = rng.below(FUNCTIONS.len());
        let nf = 1 + rng.below(3);
        for k in 0..nf {
            if k > 0 {
                out.push(',');
            }
            let _ = write!(out, r#""{}""#, FUNCTIONS[(f0 + k * 5) % FUNCTIONS.len()]);
        }
        let _ = write!(
            out,
            r#"],"start":"{start}","status":[{{"status":"active","from":"{start}"}}"#
        );
        // The first day it is no longer in force: members join and reviews
        // are held before it.
        let mut over = TODAY;
        if rng.one_in(12) {
            let ended = day_after(start, 30 + rng.below(span));
            if ended < TODAY {
                over = ended;
                let _ = write!(out, r#",{{"status":"terminated","from":"{ended}"}}"#);
            }
        } else if rng.one_in(40) {
            let ended = day_after(TODAY, 1 + rng.below(700));
            let _ = write!(out, r#",{{"status":"terminated","from":"{ended}"}}"#);
        }
        out.push(']');
        if rng.one_in(10) {
            let end = months_after(start, 36 + 12 * u32::try_from(rng.below(8)).unwrap_or(0));
            over = over.min(end);
            let _ = write!(out, r#","end":"{end}""#);
        }
        let room = usize::try_from(over.signed_duration_since(start).num_days()).unwrap_or(0);
        // Members: mostly from one region, some from anywhere.
        let home = rng.below(clusters.max(1));
        let n = 2 + rng.below(11);
        chosen.clear();
        while chosen.len() < n {
            let p = if rng.one_in(5) {
                rng.below(parties)
            } else {
                (home * CLUSTER + rng.below(CLUSTER)).min(parties - 1)
            };
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        out.push_str(r#","members":["#);
        for (k, &p) in chosen.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let role = match (k, rng.below(20)) {
                (0, 0..=2) => "host",
                (0, _) => "lead",
                (2.., 0) => "associate",
                (2.., 1) => "observer",
                _ => "member",
            };
            let joined = if k > 1 && rng.one_in(10) && room > 2 {
                day_after(start, 1 + rng.below(room - 1))
            } else {
                start
            };
            let _ = write!(
                out,
                r#"{{"party":"{}","role":"{role}","joined":"{joined}""#,
                party_id(p)
            );
            if k > 1 && rng.one_in(15) {
                let _ = write!(
                    out,
                    r#","left":"{}""#,
                    day_after(joined, 30 + rng.below(span / 3))
                );
            }
            out.push('}');
        }
        out.push(']');
        if !rng.one_in(10) {
            review(&mut out, &mut rng, start, over);
        }
        out.push('}');
    }
    out.push_str(r#"],"bodies":[]}"#);
    out
}

/// A review policy: a cadence, the last few reviews held, and now and then
/// a next date set by hand.
fn review(out: &mut String, rng: &mut Rng, start: NaiveDate, over: NaiveDate) {
    let cadence = [12u32, 24, 36][rng.below(3)];
    let _ = write!(out, r#","review":{{"cadence_months":{cadence}"#);
    if rng.one_in(8) {
        let _ = write!(
            out,
            r#","next_due":"{}""#,
            day_after(TODAY, rng.below(460))
                .checked_sub_days(Days::new(60))
                .unwrap_or(TODAY)
        );
    }
    // Lapsed: reviews stopped some years before the day.
    let stop = if rng.one_in(6) {
        TODAY
            .with_year(TODAY.year() - 3 - i32::try_from(rng.below(4)).unwrap_or(0))
            .unwrap_or(TODAY)
    } else {
        TODAY
    }
    .min(over);
    let mut held: Vec<NaiveDate> = Vec::new();
    let mut last = start;
    loop {
        let held_on = day_after(months_after(last, cadence), rng.below(20));
        if held_on >= stop {
            break;
        }
        held.push(held_on);
        last = held_on;
    }
    if !held.is_empty() {
        out.push_str(r#","held":["#);
        let keep = held.len().saturating_sub(2);
        for (k, d) in held.iter().skip(keep).enumerate() {
            if k > 0 {
                out.push(',');
            }
            let _ = write!(out, r#"{{"date":"{d}"}}"#);
        }
        out.push(']');
    }
    out.push('}');
}
