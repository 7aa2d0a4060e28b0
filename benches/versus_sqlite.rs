//! The library's queries against what a user would otherwise reach for: the
//! same national-sized synthetic registry ([`Shape::LARGE`]: 2,000 parties,
//! 20,000 agreements of 2 to 12 members) loaded into an in-memory SQLite
//! database with a normalised schema and the indexes a competent user would
//! create, each question put both ways as of one day.
//!
//! Setup checks that both ways give the same answer (the same ids in the
//! same order) and panics if not, so a ratio always compares like with like.
//! The SQLite side uses cached prepared statements and collects its rows
//! into a `Vec` of owned values, the least a caller needs to use an answer;
//! the library side makes its usual answer structs, which carry more (titles,
//! statuses, and for agreement lists each agreement's members on the day).
//!
//! ```text
//! cargo bench --bench versus_sqlite
//! cargo bench --bench versus_sqlite -- partners_of   # one question
//! ```

// `criterion_group!` makes a public function it gives no doc comment.
#![allow(missing_docs)]

mod support;

use std::collections::HashMap;
use std::hint::black_box;

use chrono::{Datelike, NaiveDate};
use collab_registry::{AsOf, Function, Registry, Role};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rusqlite::{Connection, params};
use support::Shape;

/// Tables first, indexes after the bulk insert (see [`INDEXES`]). Ids are
/// integer keys with the readable slug beside them, dates are days from the
/// Common Era (integers compare faster than ISO text), and statuses are
/// stored as periods so "in force on a day" is a range test on one row.
const SCHEMA: &str = "
CREATE TABLE parties (
    id     INTEGER PRIMARY KEY,
    slug   TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    region TEXT
);
CREATE TABLE agreements (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    part_of     INTEGER REFERENCES agreements(id),
    start_day   INTEGER NOT NULL,
    end_day     INTEGER
);
CREATE TABLE agreement_status (
    agreement  INTEGER NOT NULL REFERENCES agreements(id),
    status     TEXT NOT NULL,
    valid_from INTEGER NOT NULL,
    valid_to   INTEGER,
    PRIMARY KEY (agreement, valid_from)
) WITHOUT ROWID;
CREATE TABLE memberships (
    party         INTEGER NOT NULL REFERENCES parties(id),
    agreement     INTEGER NOT NULL REFERENCES agreements(id),
    role          TEXT NOT NULL,
    joined        INTEGER NOT NULL,
    left_day      INTEGER,
    notice_served INTEGER
);
CREATE TABLE agreement_functions (
    agreement INTEGER NOT NULL REFERENCES agreements(id),
    function  TEXT NOT NULL,
    PRIMARY KEY (agreement, function)
) WITHOUT ROWID;
";

/// Built once the rows are in. No `ANALYZE`: the bundled SQLite is built
/// with STAT4, and with those statistics a statement whose plan may depend
/// on a bound value is prepared again after every new binding, which made
/// these lookups several times slower; without them the planner already
/// reads every question through the indexes (`EXPLAIN QUERY PLAN` shows
/// only index and primary-key searches).
const INDEXES: &str = "
CREATE INDEX memberships_party ON memberships(party);
CREATE INDEX memberships_agreement ON memberships(agreement);
CREATE INDEX agreement_functions_function ON agreement_functions(function);
";

/// Whether agreement `a` counts on day `?2` under the library's default
/// scope: active or under review that day, within its `[start, end)`.
macro_rules! in_force {
    () => {
        "a.start_day <= ?2 AND (a.end_day IS NULL OR ?2 < a.end_day)
         AND EXISTS (SELECT 1 FROM agreement_status s
                     WHERE s.agreement = a.id AND s.valid_from <= ?2
                       AND (s.valid_to IS NULL OR ?2 < s.valid_to)
                       AND s.status IN ('active', 'under_review'))"
    };
}

/// Whether membership `$m` holds on day `?2`: `[joined, left)`.
macro_rules! member_on {
    ($m:literal) => {
        concat!(
            $m,
            ".joined <= ?2 AND (",
            $m,
            ".left_day IS NULL OR ?2 < ",
            $m,
            ".left_day)"
        )
    };
}

const AGREEMENTS_OF: &str = concat!(
    "SELECT a.slug, m.role
     FROM parties p
     JOIN memberships m ON m.party = p.id
     JOIN agreements a ON a.id = m.agreement
     WHERE p.slug = ?1 AND ",
    member_on!("m"),
    " AND ",
    in_force!(),
    " ORDER BY a.slug"
);

// A named agreement answers whatever its status, as the library's does.
const MEMBERS_OF: &str = concat!(
    "SELECT p.slug, m.role
     FROM agreements a
     JOIN memberships m ON m.agreement = a.id
     JOIN parties p ON p.id = m.party
     WHERE a.slug = ?1 AND ",
    member_on!("m"),
    " ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'host' THEN 1 WHEN 'member' THEN 2
                           WHEN 'associate' THEN 3 ELSE 4 END, p.slug"
);

const PARTNERS_OF: &str = concat!(
    "WITH me AS (SELECT id FROM parties WHERE slug = ?1),
     mine AS (
         SELECT DISTINCT m.agreement
         FROM me
         JOIN memberships m ON m.party = me.id
         JOIN agreements a ON a.id = m.agreement
         WHERE ",
    member_on!("m"),
    " AND ",
    in_force!(),
    ")
     SELECT p.slug, COUNT(DISTINCT o.agreement) AS shared
     FROM mine
     JOIN memberships o ON o.agreement = mine.agreement
     JOIN parties p ON p.id = o.party
     WHERE o.party <> (SELECT id FROM me) AND ",
    member_on!("o"),
    " GROUP BY o.party
     ORDER BY shared DESC, p.slug"
);

const BY_FUNCTION: &str = concat!(
    "SELECT a.slug
     FROM agreement_functions f
     JOIN agreements a ON a.id = f.agreement
     WHERE f.function = ?1 AND ",
    in_force!(),
    " ORDER BY a.slug"
);

const SHARED_BY: &str = concat!(
    "SELECT DISTINCT a.slug
     FROM parties p1
     JOIN memberships m1 ON m1.party = p1.id
     JOIN memberships m2 ON m2.agreement = m1.agreement
     JOIN parties p2 ON p2.id = m2.party
     JOIN agreements a ON a.id = m1.agreement
     WHERE p1.slug = ?1 AND p2.slug = ?3 AND ",
    member_on!("m1"),
    " AND ",
    member_on!("m2"),
    " AND ",
    in_force!(),
    " ORDER BY a.slug"
);

/// A day as SQLite stores it.
fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// An in-memory SQLite copy of `registry`: every party, agreement, status
/// period, membership and function, inserted in one transaction.
fn load(registry: &Registry) -> rusqlite::Result<Connection> {
    let mut db = Connection::open_in_memory()?;
    db.execute_batch(SCHEMA)?;
    let tx = db.transaction()?;
    {
        let mut party = tx.prepare("INSERT INTO parties VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut party_keys: HashMap<&str, i64> = HashMap::new();
        for (i, p) in (1..).zip(registry.parties()) {
            party.execute(params![i, p.id.as_str(), p.name, p.kind.as_str(), p.region])?;
            party_keys.insert(p.id.as_str(), i);
        }
        let agreement_keys: HashMap<&str, i64> = (1..)
            .zip(registry.agreements())
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut agreement =
            tx.prepare("INSERT INTO agreements VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
        // A later change on the same day wins, as in `Agreement::status_on`.
        let mut status =
            tx.prepare("INSERT OR REPLACE INTO agreement_status VALUES (?1, ?2, ?3, ?4)")?;
        let mut member = tx.prepare("INSERT INTO memberships VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        // A function listed twice is one row.
        let mut function =
            tx.prepare("INSERT OR IGNORE INTO agreement_functions VALUES (?1, ?2)")?;
        for (i, a) in (1..).zip(registry.agreements()) {
            let part_of = a
                .part_of
                .as_ref()
                .and_then(|p| agreement_keys.get(p.as_str()));
            agreement.execute(params![
                i,
                a.id.as_str(),
                a.title,
                a.legal_basis.as_str(),
                part_of,
                day(a.start),
                a.end.map(day)
            ])?;
            for (k, change) in a.status.iter().enumerate() {
                let until = a.status.get(k + 1).map(|next| day(next.from));
                status.execute(params![i, change.status.as_str(), day(change.from), until])?;
            }
            for m in &a.members {
                member.execute(params![
                    party_keys.get(m.party.as_str()),
                    i,
                    m.role.as_str(),
                    day(m.joined),
                    m.left.map(day),
                    m.notice_served.map(day)
                ])?;
            }
            for f in &a.functions {
                function.execute(params![i, f.as_str()])?;
            }
        }
    }
    tx.commit()?;
    db.execute_batch(INDEXES)?;
    Ok(db)
}

/// The five questions put to SQLite, each answering with owned values.
struct Sqlite {
    db: Connection,
}

impl Sqlite {
    fn agreements_of(&self, party: &str, on: NaiveDate) -> rusqlite::Result<Vec<(String, String)>> {
        let mut stmt = self.db.prepare_cached(AGREEMENTS_OF)?;
        let rows = stmt.query_map(params![party, day(on)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    fn members_of(
        &self,
        agreement: &str,
        on: NaiveDate,
    ) -> rusqlite::Result<Vec<(String, String)>> {
        let mut stmt = self.db.prepare_cached(MEMBERS_OF)?;
        let rows = stmt.query_map(params![agreement, day(on)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    fn partners_of(&self, party: &str, on: NaiveDate) -> rusqlite::Result<Vec<(String, i64)>> {
        let mut stmt = self.db.prepare_cached(PARTNERS_OF)?;
        let rows = stmt.query_map(params![party, day(on)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    fn by_function(&self, function: Function, on: NaiveDate) -> rusqlite::Result<Vec<String>> {
        let mut stmt = self.db.prepare_cached(BY_FUNCTION)?;
        let rows = stmt.query_map(params![function.as_str(), day(on)], |r| r.get(0))?;
        rows.collect()
    }

    fn shared_by(&self, first: &str, second: &str, on: NaiveDate) -> rusqlite::Result<Vec<String>> {
        let mut stmt = self.db.prepare_cached(SHARED_BY)?;
        let rows = stmt.query_map(params![first, day(on), second], |r| r.get(0))?;
        rows.collect()
    }
}

// The library's answers reduced to the values SQLite returns, to check the
// two agree; the benchmarks time the library's full answers.

fn library_agreements_of(q: &AsOf<'_>, party: &str) -> Option<Vec<(String, String)>> {
    let rows = q.agreements_of(party).ok()?;
    Some(
        rows.iter()
            .map(|r| (r.agreement.to_string(), r.role.as_str().to_string()))
            .collect(),
    )
}

fn library_members_of(q: &AsOf<'_>, agreement: &str) -> Option<Vec<(String, String)>> {
    let rows = q.members_of(agreement).ok()?;
    Some(
        rows.members
            .iter()
            .map(|m| (m.party.to_string(), m.role.as_str().to_string()))
            .collect(),
    )
}

fn library_partners_of(q: &AsOf<'_>, party: &str) -> Option<Vec<(String, i64)>> {
    let rows = q.partners_of(party).ok()?;
    rows.iter()
        .map(|p| Some((p.party.to_string(), i64::try_from(p.shared).ok()?)))
        .collect()
}

fn library_by_function(q: &AsOf<'_>, function: Function) -> Vec<String> {
    q.by_function(function)
        .iter()
        .map(|s| s.agreement.to_string())
        .collect()
}

fn library_shared_by(q: &AsOf<'_>, pair: [&str; 2]) -> Option<Vec<String>> {
    let rows = q.shared_by(&pair).ok()?;
    Some(rows.iter().map(|s| s.agreement.to_string()).collect())
}

/// Panics, naming the question, unless both ways gave the same answer.
fn same<T: PartialEq + std::fmt::Debug>(
    question: &str,
    library: Option<T>,
    sqlite: rusqlite::Result<T>,
) -> T {
    match (library, sqlite) {
        (Some(l), Ok(s)) if l == s => l,
        (l, s) => {
            panic!("{question}: the library and SQLite disagree:\nlibrary {l:?}\nsqlite  {s:?}")
        }
    }
}

/// The two parties the shared question is about: the first two members of
/// the first in-force agreement with three or more, as in `queries.rs`.
fn asked_pair(q: &AsOf<'_>) -> [String; 2] {
    let first = q.with_at_least(3);
    let mut members = first
        .first()
        .into_iter()
        .flat_map(|s| s.members.iter().map(|p| p.to_string()));
    [
        members.next().unwrap_or_default(),
        members.next().unwrap_or_default(),
    ]
}

fn versus_sqlite(c: &mut Criterion) {
    let registry = support::registry(&Shape::LARGE);
    let sqlite = match load(&registry) {
        Ok(db) => Sqlite { db },
        Err(e) => panic!("the registry does not load into SQLite: {e}"),
    };
    let date = support::as_of();
    let q = registry.as_of(date);
    // The same questions as `queries.rs` asks.
    let party = support::party_id(42);
    let agreement = support::agreement_id(12_345);
    let function = Function::ArmedPolicing;
    let [first, second] = asked_pair(&q);
    let pair = [first.as_str(), second.as_str()];

    let agreements = same(
        "agreements_of",
        library_agreements_of(&q, &party),
        sqlite.agreements_of(&party, date),
    );
    let members = same(
        "members_of",
        library_members_of(&q, &agreement),
        sqlite.members_of(&agreement, date),
    );
    let partners = same(
        "partners_of",
        library_partners_of(&q, &party),
        sqlite.partners_of(&party, date),
    );
    let covering = same(
        "by_function",
        Some(library_by_function(&q, function)),
        sqlite.by_function(function, date),
    );
    let shared = same(
        "shared_by",
        library_shared_by(&q, pair),
        sqlite.shared_by(pair[0], pair[1], date),
    );
    println!(
        "asked as of {date}, both ways alike: {party} takes part in {} agreements ({} leads or hosts) \
         with {} partners; {agreement} has {} members; {} agreements cover {}; {} and {} share {}",
        agreements.len(),
        agreements
            .iter()
            .filter(|(_, role)| role == Role::Lead.as_str() || role == Role::Host.as_str())
            .count(),
        partners.len(),
        members.len(),
        covering.len(),
        function.as_str(),
        pair[0],
        pair[1],
        shared.len(),
    );

    // Throughput counts the rows of the answer, so rows per second can be
    // read beside the time per question.
    let rows = |n: usize| Throughput::Elements(n as u64);

    let mut group = c.benchmark_group("versus_sqlite/agreements_of");
    group.throughput(rows(agreements.len()));
    group.bench_function("library", |b| b.iter(|| q.agreements_of(black_box(&party))));
    group.bench_function("sqlite", |b| {
        b.iter(|| sqlite.agreements_of(black_box(&party), date))
    });
    group.finish();

    let mut group = c.benchmark_group("versus_sqlite/members_of");
    group.throughput(rows(members.len()));
    group.bench_function("library", |b| {
        b.iter(|| q.members_of(black_box(&agreement)))
    });
    group.bench_function("sqlite", |b| {
        b.iter(|| sqlite.members_of(black_box(&agreement), date))
    });
    group.finish();

    let mut group = c.benchmark_group("versus_sqlite/partners_of");
    group.throughput(rows(partners.len()));
    group.bench_function("library", |b| b.iter(|| q.partners_of(black_box(&party))));
    group.bench_function("sqlite", |b| {
        b.iter(|| sqlite.partners_of(black_box(&party), date))
    });
    group.finish();

    let mut group = c.benchmark_group("versus_sqlite/by_function");
    group.throughput(rows(covering.len()));
    group.bench_function("library", |b| b.iter(|| q.by_function(black_box(function))));
    group.bench_function("sqlite", |b| {
        b.iter(|| sqlite.by_function(black_box(function), date))
    });
    group.finish();

    let mut group = c.benchmark_group("versus_sqlite/shared_by");
    group.throughput(rows(shared.len()));
    group.bench_function("library", |b| b.iter(|| q.shared_by(black_box(&pair))));
    group.bench_function("sqlite", |b| {
        b.iter(|| sqlite.shared_by(black_box(pair[0]), black_box(pair[1]), date))
    });
    group.finish();
}

criterion_group!(benches, versus_sqlite);
criterion_main!(benches);
