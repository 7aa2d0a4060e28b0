//! The registry at national scale, side by side with an indexed in-memory
//! `SQLite` copy and a plain scan over the parsed records: builds one
//! generated registry of the size asked, checks that the three give the
//! same answer to each question, and prints one table of medians and
//! ratios, with load, parse and typed-parse times and memory.
//!
//! ```text
//! cargo run --release --example scale -- 100000
//! ```
//!
//! The argument is the number of agreements (100,000 when not given);
//! there is one party for every ten agreements. See `BENCHMARKS.md`.

#[path = "../../benches/support/generate.rs"]
mod generate;

use std::collections::HashMap;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{Days, Months, NaiveDate};
use collab_registry::Registry;
use peak_alloc::PeakAlloc;
use rusqlite::{Connection, params};
use serde::Deserialize;

use generate::TODAY;

// The crate forbids unsafe code, so the counting allocator is a small
// dev-dependency rather than written here.
#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The answer sizes asked for at every registry size, so the same-size
/// answer can be compared across sizes.
const AGREEMENTS_OF_ROWS: usize = 70;
const PARTNERS_ROWS: usize = 80;
const WINDOW_ROWS: usize = 120;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---- the plain records, parsed by serde's derive ----

#[derive(Deserialize)]
#[allow(dead_code, reason = "read so the typed parse does the whole work")]
struct PlainDoc {
    schema_version: u32,
    name: String,
    currency: String,
    parties: Vec<PlainParty>,
    agreements: Vec<PlainAgreement>,
    bodies: Vec<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "read so the typed parse does the whole work")]
struct PlainParty {
    id: String,
    name: String,
    kind: String,
    region: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "read so the typed parse does the whole work")]
struct PlainAgreement {
    id: String,
    title: String,
    legal_basis: String,
    functions: Vec<String>,
    start: NaiveDate,
    status: Vec<PlainStatus>,
    end: Option<NaiveDate>,
    members: Vec<PlainMember>,
    review: Option<PlainReview>,
}

#[derive(Deserialize)]
struct PlainStatus {
    status: String,
    from: NaiveDate,
}

#[derive(Deserialize)]
struct PlainMember {
    party: String,
    role: String,
    joined: NaiveDate,
    left: Option<NaiveDate>,
}

#[derive(Deserialize)]
struct PlainReview {
    cadence_months: Option<u32>,
    next_due: Option<NaiveDate>,
    #[serde(default)]
    held: Vec<PlainHeld>,
}

#[derive(Deserialize)]
struct PlainHeld {
    date: NaiveDate,
}

fn rank(role: &str) -> u8 {
    match role {
        "lead" => 0,
        "host" => 1,
        "member" => 2,
        "associate" => 3,
        _ => 4,
    }
}

impl PlainAgreement {
    fn status_on(&self, day: NaiveDate) -> Option<&str> {
        self.status
            .iter()
            .filter(|s| s.from <= day)
            .max_by_key(|s| s.from)
            .map(|s| s.status.as_str())
    }

    fn in_force(&self, day: NaiveDate) -> bool {
        matches!(self.status_on(day), Some("active" | "under_review"))
            && self.start <= day
            && self.end.is_none_or(|e| day < e)
    }

    fn ended(&self, day: NaiveDate) -> bool {
        self.status_on(day) == Some("terminated") || self.end.is_some_and(|e| e <= day)
    }

    fn active_members(&self, day: NaiveDate) -> impl Iterator<Item = &PlainMember> {
        let ended = self.ended(day);
        self.members
            .iter()
            .filter(move |m| !ended && m.joined <= day && m.left.is_none_or(|l| day < l))
    }

    /// The next review as of `day`, by the rule written out again here.
    fn due(&self, day: NaiveDate) -> Option<NaiveDate> {
        if self.status_on(day) == Some("terminated") {
            return None;
        }
        let r = self.review.as_ref()?;
        let last = r.held.iter().map(|h| h.date).filter(|d| *d <= day).max();
        if let Some(next) = r.next_due.filter(|n| last.is_none_or(|l| *n > l)) {
            return Some(next);
        }
        let cadence = r.cadence_months?;
        last.unwrap_or(self.start)
            .checked_add_months(Months::new(cadence))
    }
}

// ---- the three ways of answering ----

type AgreementsOf = Vec<(String, u8)>;
type Members = Vec<(String, u8)>;
type Partners = Vec<(String, usize)>;
type Reviews = Vec<(NaiveDate, String)>;

/// The plain scan: every question a pass over the parsed records.
struct Scan<'d> {
    doc: &'d PlainDoc,
}

impl Scan<'_> {
    fn agreements_of(&self, party: &str) -> AgreementsOf {
        let mut out: AgreementsOf = Vec::new();
        for a in self.doc.agreements.iter().filter(|a| a.in_force(TODAY)) {
            for m in a.active_members(TODAY).filter(|m| m.party == party) {
                out.push((a.id.clone(), rank(&m.role)));
            }
        }
        out.sort();
        out
    }

    fn members(&self, agreement: &str) -> Members {
        let Some(a) = self.doc.agreements.iter().find(|a| a.id == agreement) else {
            return Vec::new();
        };
        let mut out: Members = a
            .active_members(TODAY)
            .map(|m| (m.party.clone(), rank(&m.role)))
            .collect();
        out.sort_by(|x, y| (x.1, &x.0).cmp(&(y.1, &y.0)));
        out
    }

    fn partners(&self, party: &str) -> Partners {
        let mut shared: HashMap<&str, usize> = HashMap::new();
        for a in self.doc.agreements.iter().filter(|a| a.in_force(TODAY)) {
            if a.active_members(TODAY).any(|m| m.party == party) {
                let mut others: Vec<&str> = a
                    .active_members(TODAY)
                    .map(|m| m.party.as_str())
                    .filter(|p| *p != party)
                    .collect();
                others.sort_unstable();
                others.dedup();
                for p in others {
                    *shared.entry(p).or_default() += 1;
                }
            }
        }
        let mut out: Partners = shared.into_iter().map(|(p, n)| (p.to_owned(), n)).collect();
        out.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        out
    }

    fn reviews(&self, from: NaiveDate, to: NaiveDate) -> Reviews {
        let mut out: Reviews = self
            .doc
            .agreements
            .iter()
            .filter(|a| a.in_force(TODAY))
            .filter_map(|a| Some((a.due(TODAY)?, a)))
            .filter(|(d, a)| from <= *d && *d <= to && a.end.is_none_or(|e| *d < e))
            .map(|(d, a)| (d, a.id.clone()))
            .collect();
        out.sort();
        out
    }
}

/// The library's answers, in the same shape for the checks (the times
/// are of the library's own answers, without this copy).
struct Library<'r> {
    registry: &'r Registry,
}

impl Library<'_> {
    fn agreements_of(&self, party: &str) -> Result<AgreementsOf> {
        let rows = self.registry.as_of(TODAY).agreements_of(party)?;
        Ok(rows
            .iter()
            .map(|r| (r.agreement.id.as_str().to_owned(), r.role.rank()))
            .collect())
    }

    fn members(&self, agreement: &str) -> Result<Members> {
        let rows = self.registry.as_of(TODAY).members_of(agreement)?;
        Ok(rows
            .members
            .iter()
            .map(|m| (m.party.id.as_str().to_owned(), m.role.rank()))
            .collect())
    }

    fn partners(&self, party: &str) -> Result<Partners> {
        let rows = self.registry.as_of(TODAY).partners_of(party)?;
        Ok(rows
            .iter()
            .map(|p| (p.party.id.as_str().to_owned(), p.shared))
            .collect())
    }

    fn reviews(&self, from: NaiveDate, to: NaiveDate) -> Reviews {
        self.registry
            .as_of(TODAY)
            .reviews_due(from, to)
            .iter()
            .map(|r| (r.due, r.agreement.id.as_str().to_owned()))
            .collect()
    }

    fn overdue(&self) -> Reviews {
        self.registry
            .as_of(TODAY)
            .overdue_reviews()
            .iter()
            .map(|r| (r.due, r.agreement.id.as_str().to_owned()))
            .collect()
    }
}

/// The indexed `SQLite` copy: the records as of [`TODAY`], each membership
/// and agreement marked in force or not, with indexes on every column the
/// questions look up by.
struct Sql {
    db: Connection,
}

const SCHEMA: &str = "
CREATE TABLE party (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TABLE agreement (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, in_force INTEGER NOT NULL, due TEXT, end_day TEXT);
CREATE TABLE membership (agreement INTEGER NOT NULL, party INTEGER NOT NULL, rank INTEGER NOT NULL, active INTEGER NOT NULL);
CREATE INDEX membership_party ON membership (party, agreement);
CREATE INDEX membership_agreement ON membership (agreement, rank);
CREATE INDEX agreement_due ON agreement (due, id);
";

impl Sql {
    fn load(doc: &PlainDoc) -> Result<Sql> {
        let mut db = Connection::open_in_memory()?;
        db.execute_batch(SCHEMA)?;
        let keys: HashMap<&str, usize> = doc
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let tx = db.transaction()?;
        {
            let mut party = tx.prepare("INSERT INTO party VALUES (?1, ?2)")?;
            for (i, p) in doc.parties.iter().enumerate() {
                party.execute(params![i64::try_from(i)?, p.id])?;
            }
            let mut agreement = tx.prepare("INSERT INTO agreement VALUES (?1, ?2, ?3, ?4, ?5)")?;
            let mut member = tx.prepare("INSERT INTO membership VALUES (?1, ?2, ?3, ?4)")?;
            for (i, a) in doc.agreements.iter().enumerate() {
                agreement.execute(params![
                    i64::try_from(i)?,
                    a.id,
                    a.in_force(TODAY),
                    a.due(TODAY).map(|d| d.to_string()),
                    a.end.map(|d| d.to_string())
                ])?;
                let ended = a.ended(TODAY);
                for m in &a.members {
                    let active = !ended && m.joined <= TODAY && m.left.is_none_or(|l| TODAY < l);
                    member.execute(params![
                        i64::try_from(i)?,
                        keys.get(m.party.as_str())
                            .map(|k| i64::try_from(*k))
                            .transpose()?,
                        rank(&m.role),
                        active
                    ])?;
                }
            }
        }
        tx.commit()?;
        db.execute_batch("ANALYZE")?;
        Ok(Sql { db })
    }

    fn agreements_of(&self, party: &str) -> Result<AgreementsOf> {
        let mut q = self.db.prepare_cached(
            "SELECT a.id, m.rank FROM party p JOIN membership m ON m.party = p.key
             JOIN agreement a ON a.key = m.agreement
             WHERE p.id = ?1 AND m.active AND a.in_force ORDER BY a.id",
        )?;
        let rows = q.query_map([party], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn members(&self, agreement: &str) -> Result<Members> {
        let mut q = self.db.prepare_cached(
            "SELECT p.id, m.rank FROM agreement a JOIN membership m ON m.agreement = a.key
             JOIN party p ON p.key = m.party
             WHERE a.id = ?1 AND m.active ORDER BY m.rank, p.id",
        )?;
        let rows = q.query_map([agreement], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn partners(&self, party: &str) -> Result<Partners> {
        let mut q = self.db.prepare_cached(
            "SELECT p2.id, COUNT(DISTINCT m2.agreement) AS n
             FROM party p JOIN membership m1 ON m1.party = p.key AND m1.active
             JOIN agreement a ON a.key = m1.agreement AND a.in_force
             JOIN membership m2 ON m2.agreement = m1.agreement AND m2.active AND m2.party <> p.key
             JOIN party p2 ON p2.key = m2.party
             WHERE p.id = ?1 GROUP BY m2.party ORDER BY n DESC, p2.id",
        )?;
        let rows = q.query_map([party], |r| {
            Ok((r.get(0)?, usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0)))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn reviews(&self, from: NaiveDate, to: NaiveDate) -> Result<Reviews> {
        let mut q = self.db.prepare_cached(
            "SELECT due, id FROM agreement
             WHERE due BETWEEN ?1 AND ?2 AND in_force AND (end_day IS NULL OR due < end_day)
             ORDER BY due, id",
        )?;
        let rows = q.query_map([from.to_string(), to.to_string()], |r| {
            let due: String = r.get(0)?;
            Ok((due, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (due, id) = row?;
            out.push((due.parse()?, id));
        }
        Ok(out)
    }
}

// ---- timing ----

const BATCHES: usize = 11;

/// The median time of one call of `f`: the calls are timed in batches
/// long enough to read the clock well, and the median batch is taken.
fn median<T>(mut f: impl FnMut() -> T) -> Duration {
    let mut calls: u32 = 1;
    loop {
        let t = Instant::now();
        for _ in 0..calls {
            black_box(f());
        }
        if t.elapsed() >= Duration::from_millis(2) || calls >= 1 << 20 {
            break;
        }
        calls = calls.saturating_mul(2);
    }
    let mut batches: Vec<Duration> = (0..BATCHES)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                black_box(f());
            }
            t.elapsed() / calls
        })
        .collect();
    batches.sort_unstable();
    batches.get(BATCHES / 2).copied().unwrap_or_default()
}

/// The median time of `runs` calls of `make`, not counting the drop of
/// what it made.
fn median_of_runs<T>(runs: usize, mut make: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let built = black_box(make());
            let took = t.elapsed();
            drop(built);
            took
        })
        .collect();
    times.sort_unstable();
    times.get(runs / 2).copied().unwrap_or_default()
}

#[allow(clippy::cast_precision_loss, reason = "figures rounded for display")]
fn show(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns < 10_000 {
        format!("{ns} ns")
    } else if ns < 10_000_000 {
        format!("{:.1} µs", ns as f64 / 1e3)
    } else {
        format!("{:.1} ms", ns as f64 / 1e6)
    }
}

#[allow(clippy::cast_precision_loss, reason = "figures rounded for display")]
fn ratio(slow: Duration, fast: Duration) -> f64 {
    slow.as_secs_f64() / fast.as_secs_f64().max(1e-12)
}

#[allow(clippy::cast_precision_loss, reason = "figures rounded for display")]
fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// The first item of `items` whose size is nearest `target`.
fn nearest<T>(items: impl Iterator<Item = (T, usize)>, target: usize) -> Option<(T, usize)> {
    items.min_by_key(|(_, n)| n.abs_diff(target))
}

struct Row {
    question: String,
    rows: usize,
    library: Duration,
    sql: Duration,
    scan: Duration,
    goal: f64,
}

#[allow(
    clippy::too_many_lines,
    clippy::cast_precision_loss,
    reason = "one program, one table, in the order printed; figures rounded for display"
)]
fn run() -> Result {
    let agreements: usize = match std::env::args().nth(1) {
        Some(n) => n.replace(['_', ','], "").parse()?,
        None => 100_000,
    };
    let parties = (agreements / 10).max(100);
    let started = Instant::now();
    let text = generate::registry_json(parties, agreements, 14);
    println!(
        "# {agreements} agreements, {parties} parties: {:.1} MB of JSON ({} bytes per agreement), made in {:.1} s",
        mb(text.len()),
        text.len() / agreements.max(1),
        started.elapsed().as_secs_f64()
    );

    // Memory: what the loaded registry holds, and the peak while loading.
    let before = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let registry = Registry::from_json_str(&text)?;
    let held = ALLOC.current_usage().saturating_sub(before);
    let peak = ALLOC.peak_usage().saturating_sub(before);

    let doc: PlainDoc = serde_json::from_str(&text)?;
    let scan = Scan { doc: &doc };
    let library = Library {
        registry: &registry,
    };

    // Pick the questions: answers of the same size at every registry size.
    let mut degree: HashMap<&str, usize> = HashMap::new();
    for a in doc.agreements.iter().filter(|a| a.in_force(TODAY)) {
        for m in a.active_members(TODAY) {
            *degree.entry(m.party.as_str()).or_default() += 1;
        }
    }
    let mut by_degree: Vec<(&str, usize)> = degree.into_iter().collect();
    by_degree.sort_unstable();
    let (party, _) = nearest(by_degree.iter().copied(), AGREEMENTS_OF_ROWS).ok_or("no party")?;
    let mut partner_counts = Vec::new();
    for (p, d) in by_degree
        .iter()
        .filter(|(_, d)| d.abs_diff(PARTNERS_ROWS / 2) < 40)
        .take(200)
    {
        let _ = d;
        partner_counts.push((*p, library.partners(p)?.len()));
    }
    let (partner_party, _) =
        nearest(partner_counts.into_iter(), PARTNERS_ROWS).ok_or("no party")?;
    let sized = |n: usize| {
        doc.agreements
            .iter()
            .find(|a| a.in_force(TODAY) && a.active_members(TODAY).count() == n)
            .map(|a| a.id.as_str())
            .ok_or("no agreement of that size")
    };
    let (pair, seven) = (sized(2)?, sized(7)?);
    let after = |days: u64| TODAY.checked_add_days(Days::new(days)).unwrap_or(TODAY);
    // A window a month ahead, as long as it takes to hold about
    // `WINDOW_ROWS` reviews.
    let mut window = 1;
    while window < 4000 && scan.reviews(after(30), after(29 + window)).len() < WINDOW_ROWS {
        window += 1;
    }
    // Each window: its first and last day, and its name.
    let windows = [
        (TODAY, after(90), "in the next 90 days".to_owned()),
        (TODAY, after(3), "in a 4-day window".to_owned()),
        (
            after(30),
            after(29 + window),
            format!("in a window of ~{WINDOW_ROWS} rows ({window} days, a month ahead)"),
        ),
    ];
    let yesterday = TODAY.pred_opt().ok_or("no day before")?;

    // `-- N QUESTION` repeats one of the library's answers for ten seconds,
    // for a profiler to watch.
    if let Some(question) = std::env::args().nth(2) {
        let (from, to, _) = windows.get(1).ok_or("no window")?;
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            match question.as_str() {
                "agreements" => drop(black_box(registry.as_of(TODAY).agreements_of(party)?)),
                "members" => drop(black_box(registry.as_of(TODAY).members_of(seven)?)),
                "partners" => drop(black_box(registry.as_of(TODAY).partners_of(partner_party)?)),
                "window" => drop(black_box(registry.as_of(TODAY).reviews_due(*from, *to))),
                "overdue" => drop(black_box(registry.as_of(TODAY).overdue_reviews())),
                "load" => drop(black_box(Registry::from_json_str(&text)?)),
                _ => return Err(format!("no question {question}").into()),
            }
        }
        return Ok(());
    }

    let runs = if agreements >= 500_000 {
        3
    } else if agreements >= 50_000 {
        5
    } else {
        11
    };
    let load = median_of_runs(runs, || {
        Registry::from_json_str(&text).map(|r| r.agreements().len())
    });
    let value = median_of_runs(runs, || {
        serde_json::from_str::<serde_json::Value>(&text).ok()
    });
    let typed = median_of_runs(runs, || serde_json::from_str::<PlainDoc>(&text).ok());
    let sql_started = Instant::now();
    let sql = Sql::load(&doc)?;
    let sql_load = sql_started.elapsed();

    // The same answers, three ways.
    let a1 = library.agreements_of(party)?;
    assert_eq!(
        a1,
        sql.agreements_of(party)?,
        "agreements of {party}: library and SQLite differ"
    );
    assert_eq!(
        a1,
        scan.agreements_of(party),
        "agreements of {party}: library and scan differ"
    );
    let m2 = library.members(pair)?;
    assert_eq!(m2, sql.members(pair)?, "members of {pair}");
    assert_eq!(m2, scan.members(pair), "members of {pair}");
    let m7 = library.members(seven)?;
    assert_eq!(m7, sql.members(seven)?, "members of {seven}");
    assert_eq!(m7, scan.members(seven), "members of {seven}");
    let p1 = library.partners(partner_party)?;
    assert_eq!(
        p1,
        sql.partners(partner_party)?,
        "partners of {partner_party}"
    );
    assert_eq!(
        p1,
        scan.partners(partner_party),
        "partners of {partner_party}"
    );
    let mut review_rows = Vec::new();
    for (from, to, name) in &windows {
        let r = library.reviews(*from, *to);
        assert_eq!(r, sql.reviews(*from, *to)?, "reviews due {name}");
        assert_eq!(r, scan.reviews(*from, *to), "reviews due {name}");
        review_rows.push(r.len());
    }
    let late = library.overdue();
    assert_eq!(
        late,
        sql.reviews(NaiveDate::MIN, yesterday)?,
        "overdue reviews"
    );
    assert_eq!(
        late,
        scan.reviews(NaiveDate::MIN, yesterday),
        "overdue reviews"
    );
    println!(
        "answers checked: the library, SQLite and the plain scan agree on every question below"
    );

    let mut table = vec![
        Row {
            question: format!("agreements of a party ({party})"),
            rows: a1.len(),
            library: median(|| registry.as_of(TODAY).agreements_of(party).map(|r| r.len())),
            sql: median(|| sql.agreements_of(party)),
            scan: median(|| scan.agreements_of(party)),
            goal: 50.0,
        },
        Row {
            question: "members of an agreement (2 members)".into(),
            rows: m2.len(),
            library: median(|| {
                registry
                    .as_of(TODAY)
                    .members_of(pair)
                    .map(|r| r.members.len())
            }),
            sql: median(|| sql.members(pair)),
            scan: median(|| scan.members(pair)),
            goal: 50.0,
        },
        Row {
            question: "members of an agreement (7 members)".into(),
            rows: m7.len(),
            library: median(|| {
                registry
                    .as_of(TODAY)
                    .members_of(seven)
                    .map(|r| r.members.len())
            }),
            sql: median(|| sql.members(seven)),
            scan: median(|| scan.members(seven)),
            goal: 50.0,
        },
        Row {
            question: format!("partners of a party ({partner_party})"),
            rows: p1.len(),
            library: median(|| {
                registry
                    .as_of(TODAY)
                    .partners_of(partner_party)
                    .map(|r| r.len())
            }),
            sql: median(|| sql.partners(partner_party)),
            scan: median(|| scan.partners(partner_party)),
            goal: 50.0,
        },
    ];
    for ((from, to, name), rows) in windows.iter().zip(&review_rows) {
        let (from, to) = (*from, *to);
        table.push(Row {
            question: format!("reviews due {name}"),
            rows: *rows,
            library: median(|| registry.as_of(TODAY).reviews_due(from, to).len()),
            sql: median(|| sql.reviews(from, to)),
            scan: median(|| scan.reviews(from, to)),
            goal: 20.0,
        });
    }
    table.push(Row {
        question: "overdue reviews".into(),
        rows: late.len(),
        library: median(|| registry.as_of(TODAY).overdue_reviews().len()),
        sql: median(|| sql.reviews(NaiveDate::MIN, yesterday)),
        scan: median(|| scan.reviews(NaiveDate::MIN, yesterday)),
        goal: 20.0,
    });

    println!();
    println!("| question | rows | library | SQLite | scan | SQLite ÷ library | goal | met |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for r in &table {
        let x = ratio(r.sql, r.library);
        println!(
            "| {} | {} | {} | {} | {} | {x:.1}x | ≥ {}x | {} |",
            r.question,
            r.rows,
            show(r.library),
            show(r.sql),
            show(r.scan),
            r.goal,
            if x >= r.goal { "yes" } else { "no" }
        );
    }
    println!();
    println!("| load | median | ÷ Value parse | goal | met |");
    println!("| --- | ---: | ---: | ---: | --- |");
    let lv = ratio(load, value);
    println!(
        "| `Registry::from_json_str` | {} | {lv:.2}x | ≤ 1.5x | {} |",
        show(load),
        if lv <= 1.5 { "yes" } else { "no" }
    );
    println!(
        "| `serde_json::from_str::<Value>` | {} | 1.00x | | |",
        show(value)
    );
    println!(
        "| `serde_json::from_str::<PlainDoc>` (derived structs) | {} | {:.2}x | | |",
        show(typed),
        ratio(typed, value)
    );
    println!(
        "| SQLite: insert and index the parsed records | {} | | | |",
        show(sql_load)
    );
    println!();
    let per = |b: usize| b / agreements.max(1);
    let (mem, pk) = (
        held as f64 / text.len() as f64,
        peak as f64 / text.len() as f64,
    );
    println!("| memory | bytes | per agreement | ÷ file | goal | met |");
    println!("| --- | ---: | ---: | ---: | ---: | --- |");
    println!(
        "| JSON file | {} | {} | 1.00x | | |",
        text.len(),
        per(text.len())
    );
    println!(
        "| loaded registry | {held} | {} | {mem:.2}x | ≤ 1x | {} |",
        per(held),
        if mem <= 1.0 { "yes" } else { "no" }
    );
    println!(
        "| peak during load | {peak} | {} | {pk:.2}x | ≤ 3x | {} |",
        per(peak),
        if pk <= 3.0 { "yes" } else { "no" }
    );
    println!();
    println!("whole run: {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
