//! Ask a registry a question from the command line, for people who do not
//! write Rust and for reporting services.
//!
//! ```text
//! cargo run --example query -- [registry.json] <question> [args] [--json] [--as-of YYYY-MM-DD] [--any-status] [--year YYYY/YY] [--share PARTY=AMOUNT] [--kind KIND]
//! cargo run --example query -- help
//! ```
//!
//! The first word names the registry file when it ends in `.json` or is an
//! existing file that is not also a question; without one, the embedded
//! sample registry is asked. Answers are as of today unless `--as-of` is
//! given, print as aligned tables, or as JSON (the library's answer structs,
//! serialised) with `--json`. A bad file, id, date or question prints a
//! message on standard error and exits with a non-zero status: 2 when the
//! command line is malformed (an unknown question or option, the wrong
//! number of arguments), 1 when what it names is wrong (a file that does not
//! load, with every problem and its path; an unknown id, function or status;
//! a bad date; a question the registry refuses).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use collab_registry::{
    AgreementSummary, AsOf, FinancialYear, Function, LegalBasis, Money, PartyKind, Registry, Scope,
    SizeDistribution, Status, Vote, Weighing, parse_date,
};
use serde::Serialize;

/// One question: its name, its arguments, what it answers, and the function
/// that answers it.
struct Question {
    name: &'static str,
    args: &'static str,
    what: &'static str,
    answer: fn(&Ask) -> Result<(), Failure>,
}

/// The questions, in the order `help` lists them.
const QUESTIONS: &[Question] = &[
    Question {
        name: "agreements-of",
        args: "PARTY",
        what: "agreements a party takes part in, with its role",
        answer: agreements_of,
    },
    Question {
        name: "members-of",
        args: "AGREEMENT",
        what: "members of an agreement, leads and hosts first",
        answer: members_of,
    },
    Question {
        name: "leads",
        args: "[PARTY]",
        what: "parties that lead or host agreements (of one party, or all)",
        answer: leads,
    },
    Question {
        name: "partners-of",
        args: "PARTY",
        what: "every party sharing an agreement with a party, how many and which",
        answer: partners_of,
    },
    Question {
        name: "shared-by",
        args: "PARTY [PARTY...]",
        what: "agreements in which all the parties named are members",
        answer: shared_by,
    },
    Question {
        name: "with-exactly",
        args: "N",
        what: "agreements with exactly N members",
        answer: with_exactly,
    },
    Question {
        name: "with-at-least",
        args: "N",
        what: "agreements with at least N members",
        answer: with_at_least,
    },
    Question {
        name: "sizes-in-region",
        args: "REGION",
        what: "how many of a region's parties (of one --kind, such as police_force) take part \
               in each agreement, tallied",
        answer: sizes_in_region,
    },
    Question {
        name: "sizes-under",
        args: "UMBRELLA",
        what: "membership sizes of the agreements under an umbrella, tallied",
        answer: sizes_under,
    },
    Question {
        name: "by-function",
        args: "FUNCTION",
        what: "agreements covering a function, such as armed_policing",
        answer: by_function,
    },
    Question {
        name: "by-legal-basis",
        args: "BASIS",
        what: "agreements made under a legal basis, such as section_22a_police_act_1996",
        answer: by_legal_basis,
    },
    Question {
        name: "by-status",
        args: "STATUS",
        what: "agreements with a status on the day: proposed, active, under_review, suspended, terminated",
        answer: by_status,
    },
    Question {
        name: "under",
        args: "UMBRELLA",
        what: "every agreement under an umbrella, to any depth",
        answer: under,
    },
    Question {
        name: "cross-sector",
        args: "[SECTOR...]",
        what: "agreements with members from more than one sector (or from all those named)",
        answer: cross_sector,
    },
    Question {
        name: "declined",
        args: "[PARTY]",
        what: "invitations declined, and by whom",
        answer: declined,
    },
    Question {
        name: "governing",
        args: "AGREEMENT",
        what: "bodies governing an agreement, directly or through an umbrella",
        answer: governing,
    },
    Question {
        name: "seats-of",
        args: "PARTY",
        what: "seats a party holds on governance bodies",
        answer: seats_of,
    },
    Question {
        name: "reports-up",
        args: "BODY",
        what: "the chain a body reports up",
        answer: reports_up,
    },
    Question {
        name: "decide",
        args: "BODY PARTY=VOTE...",
        what: "whether a proposal passes under the body's rule; VOTE is for, against or abstain; \
               for a weighted rule, --year 2021/22 weighs each party's apportioned cost share \
               of that year, or --share PARTY=AMOUNT gives the shares",
        answer: decide,
    },
    Question {
        name: "network",
        args: "",
        what: "every pair of parties sharing agreements, and how many",
        answer: network,
    },
    Question {
        name: "groups",
        args: "",
        what: "connected groups of collaborating parties",
        answer: groups,
    },
    Question {
        name: "hubs",
        args: "[degree|betweenness]",
        what: "the most connected parties (by degree unless betweenness is asked)",
        answer: hubs,
    },
    Question {
        name: "cut-points",
        args: "",
        what: "parties whose loss would split the network",
        answer: cut_points,
    },
    Question {
        name: "help",
        args: "",
        what: "this list",
        answer: help,
    },
];

/// Why the program stopped: a question asked wrongly, or anything else.
enum Failure {
    Usage(String),
    Other(String),
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Other(e.to_string())
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!(
                "error: {message}\nrun `cargo run --example query -- help` for the questions"
            );
            ExitCode::from(2)
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The command line, with its options taken out.
struct Command {
    json: bool,
    as_of: NaiveDate,
    scope: Scope,
    shares: Vec<String>,
    year: Option<FinancialYear>,
    kind: Option<String>,
    words: Vec<String>,
}

fn parse(args: Vec<String>) -> Result<Command, Failure> {
    let mut command = Command {
        json: false,
        as_of: chrono::Local::now().date_naive(),
        scope: Scope::InForce,
        shares: Vec::new(),
        year: None,
        kind: None,
        words: Vec::new(),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => command.json = true,
            "--any-status" => command.scope = Scope::AnyStatus,
            "--as-of" => {
                let text = args
                    .next()
                    .ok_or_else(|| usage("--as-of needs a date such as 2021-04-01"))?;
                command.as_of = parse_date(&text)?;
            }
            "--share" => command.shares.push(
                args.next()
                    .ok_or_else(|| usage("--share needs PARTY=AMOUNT"))?,
            ),
            "--year" => {
                let text = args
                    .next()
                    .ok_or_else(|| usage("--year needs a financial year such as 2021/22"))?;
                command.year = Some(text.parse()?);
            }
            "--kind" => {
                command.kind =
                    Some(args.next().ok_or_else(|| {
                        usage("--kind needs a kind of party such as police_force")
                    })?);
            }
            "-h" | "--help" => command.words.push("help".to_string()),
            option if option.starts_with("--") => {
                return Err(usage(format!("unknown option {option:?}")));
            }
            _ => command.words.push(arg),
        }
    }
    Ok(command)
}

fn question(name: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.name == name)
}

fn run(args: Vec<String>) -> Result<(), Failure> {
    let command = parse(args)?;
    let mut words = command.words.iter();
    let first = words.next().ok_or_else(|| usage("no question asked"))?;
    // The first word names the file to ask when it looks like one; a
    // question's name wins over a file that happens to share it.
    let names_file =
        first.ends_with(".json") || (question(first).is_none() && Path::new(first).exists());
    let (registry, name) = if names_file {
        let registry = Registry::load(first)?;
        let name = words
            .next()
            .ok_or_else(|| usage(format!("no question asked of {first}")))?;
        (registry, name)
    } else {
        (collab_registry::sample()?, first)
    };
    let asked = question(name).ok_or_else(|| {
        usage(if names_file {
            format!("unknown question {name:?}")
        } else {
            format!("unknown question {name:?}, and no file by that name")
        })
    })?;
    let args: Vec<String> = words.cloned().collect();
    let ask = Ask {
        q: registry.as_of(command.as_of).scope(command.scope),
        question: asked,
        args: &args,
        json: command.json,
        shares: &command.shares,
        year: command.year,
        kind: command.kind.as_deref(),
    };
    (asked.answer)(&ask)
}

/// A question being answered: the view of the registry it is asked of, its
/// arguments and how to print the answer.
struct Ask<'a, 'r> {
    q: AsOf<'r>,
    question: &'static Question,
    args: &'a [String],
    json: bool,
    shares: &'a [String],
    year: Option<FinancialYear>,
    kind: Option<&'a str>,
}

impl Ask<'_, '_> {
    /// Checks the number of arguments given.
    fn arity(&self, min: usize, max: usize) -> Result<(), Failure> {
        if self.args.len() < min || self.args.len() > max {
            return Err(usage(format!(
                "usage: {} {}",
                self.question.name, self.question.args
            )));
        }
        Ok(())
    }

    fn arg(&self, i: usize) -> &str {
        self.args.get(i).map_or("", String::as_str)
    }

    fn first(&self) -> Option<&str> {
        self.args.first().map(String::as_str)
    }

    /// "as of 2021-04-01 (in force)", for titles.
    fn on(&self) -> String {
        let scope = match self.q.current_scope() {
            Scope::InForce => "in force",
            Scope::AnyStatus => "any status",
        };
        format!("as of {} ({scope})", self.q.date())
    }

    /// A party's name for a title, or its id when it has none.
    fn name_of(&self, id: &str) -> String {
        self.q
            .registry()
            .party(id)
            .map_or(id.to_string(), |p| p.name.clone())
    }

    /// Prints an answer as JSON, or as the table `table` makes of it.
    fn emit<T: Serialize>(&self, answer: &T, table: impl FnOnce() -> Table) -> Result<(), Failure> {
        if self.json {
            let mut text = serde_json::to_string_pretty(answer)?;
            text.push('\n');
            write_out(&text)
        } else {
            write_out(&table().to_string())
        }
    }

    /// Prints a list of agreement rows.
    fn summaries(&self, title: String, rows: &[AgreementSummary]) -> Result<(), Failure> {
        self.emit(&rows, || {
            let mut t = Table::new(title, &["agreement", "status", "size", "members"]);
            for r in rows {
                t.row([
                    r.agreement.to_string(),
                    status(r.status),
                    r.members.len().to_string(),
                    join(&r.members),
                ]);
            }
            t
        })
    }

    /// Prints a tally of membership sizes.
    fn sizes(&self, mix: &SizeDistribution) -> Result<(), Failure> {
        self.emit(mix, || {
            let mut t = Table::new(
                format!("Membership sizes {} {}", mix.within, self.on()),
                &["size", "count", "agreements"],
            );
            for s in &mix.sizes {
                t.row([s.size.to_string(), s.count.to_string(), join(&s.agreements)]);
            }
            t
        })
    }
}

fn agreements_of(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let party = ask.arg(0);
    let rows = ask.q.agreements_of(party)?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Agreements of {} {}", ask.name_of(party), ask.on()),
            &[
                "agreement",
                "role",
                "status",
                "joined",
                "notice",
                "leaves",
                "part of",
            ],
        );
        for r in &rows {
            t.row([
                r.agreement.to_string(),
                r.role.as_str().to_string(),
                status(r.status),
                r.joined.to_string(),
                opt(r.notice_served),
                opt(r.leaves),
                opt(r.part_of),
            ]);
        }
        t
    })
}

fn members_of(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let members = ask.q.members_of(ask.arg(0))?;
    ask.emit(&members, || {
        let mut t = Table::new(
            format!(
                "Members of {} ({}, {}) as of {}",
                members.agreement,
                members.title,
                status(members.status),
                ask.q.date()
            ),
            &[
                "party", "name", "kind", "role", "joined", "notice", "leaves",
            ],
        );
        for m in &members.members {
            t.row([
                m.party.to_string(),
                m.name.to_string(),
                m.kind.as_str().to_string(),
                m.role.as_str().to_string(),
                m.joined.to_string(),
                opt(m.notice_served),
                opt(m.leaves),
            ]);
        }
        t
    })
}

fn leads(ask: &Ask) -> Result<(), Failure> {
    ask.arity(0, 1)?;
    let rows = ask.q.leads_and_hosts(ask.first())?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Leads and hosts {}", ask.on()),
            &["party", "role", "agreement", "title"],
        );
        for r in &rows {
            t.row([
                r.party.to_string(),
                r.role.as_str().to_string(),
                r.agreement.to_string(),
                r.title.to_string(),
            ]);
        }
        t
    })
}

fn partners_of(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let party = ask.arg(0);
    let rows = ask.q.partners_of(party)?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Partners of {} {}", ask.name_of(party), ask.on()),
            &["partner", "kind", "shared", "agreements"],
        );
        for r in &rows {
            t.row([
                r.party.to_string(),
                r.kind.as_str().to_string(),
                r.shared.to_string(),
                join(&r.agreements),
            ]);
        }
        t
    })
}

fn shared_by(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, usize::MAX)?;
    let parties: Vec<&str> = ask.args.iter().map(String::as_str).collect();
    let rows = ask.q.shared_by(&parties)?;
    ask.summaries(
        format!("Agreements shared by {} {}", parties.join(", "), ask.on()),
        &rows,
    )
}

/// Reads the whole number a size question needs.
fn count_arg(ask: &Ask) -> Result<usize, Failure> {
    ask.arity(1, 1)?;
    ask.arg(0).parse().map_err(|_| {
        usage(format!(
            "{} needs a whole number, not {:?}",
            ask.question.name,
            ask.arg(0)
        ))
    })
}

fn with_exactly(ask: &Ask) -> Result<(), Failure> {
    let n = count_arg(ask)?;
    ask.summaries(
        format!("Agreements with exactly {n} members {}", ask.on()),
        &ask.q.with_exactly(n),
    )
}

fn with_at_least(ask: &Ask) -> Result<(), Failure> {
    let n = count_arg(ask)?;
    ask.summaries(
        format!("Agreements with at least {n} members {}", ask.on()),
        &ask.q.with_at_least(n),
    )
}

fn sizes_in_region(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, usize::MAX)?;
    // Region names have spaces; let them be given unquoted.
    let kind = match ask.kind {
        Some(text) => Some(keyword(
            "kind of party",
            text,
            &PartyKind::ALL,
            PartyKind::as_str,
        )?),
        None => None,
    };
    ask.sizes(&ask.q.sizes_in_region(&ask.args.join(" "), kind)?)
}

fn sizes_under(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    ask.sizes(&ask.q.sizes_under(ask.arg(0))?)
}

fn by_function(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let f = keyword("function", ask.arg(0), Function::ALL, Function::as_str)?;
    ask.summaries(
        format!("Agreements covering {} {}", f.as_str(), ask.on()),
        &ask.q.by_function(f),
    )
}

fn by_legal_basis(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let b = keyword(
        "legal basis",
        ask.arg(0),
        &LegalBasis::ALL,
        LegalBasis::as_str,
    )?;
    ask.summaries(
        format!("Agreements under {} {}", b.as_str(), ask.on()),
        &ask.q.by_legal_basis(b),
    )
}

fn by_status(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let s = keyword("status", ask.arg(0), &Status::ALL, Status::as_str)?;
    // The status asked is the filter, so the scope does not show in the title.
    ask.summaries(
        format!("Agreements {} as of {}", s.as_str(), ask.q.date()),
        &ask.q.by_status(s),
    )
}

fn under(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let rows = ask.q.under(ask.arg(0))?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Under {} {}", ask.arg(0), ask.on()),
            &["agreement", "status", "size", "members"],
        );
        for r in &rows {
            t.row([
                // Indented by depth, so the table reads as a tree.
                format!(
                    "{}{}",
                    "  ".repeat(r.depth.saturating_sub(1)),
                    r.summary.agreement
                ),
                status(r.summary.status),
                r.summary.members.len().to_string(),
                join(&r.summary.members),
            ]);
        }
        t
    })
}

fn cross_sector(ask: &Ask) -> Result<(), Failure> {
    let sectors: Vec<&str> = ask.args.iter().map(String::as_str).collect();
    let rows = ask.q.cross_sector(&sectors)?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Cross-sector agreements {}", ask.on()),
            &["agreement", "status", "sectors", "members"],
        );
        for r in &rows {
            t.row([
                r.summary.agreement.to_string(),
                status(r.summary.status),
                r.sectors.join(", "),
                join(&r.summary.members),
            ]);
        }
        t
    })
}

fn declined(ask: &Ask) -> Result<(), Failure> {
    ask.arity(0, 1)?;
    let rows = ask.q.declined(ask.first())?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Invitations declined as of {}", ask.q.date()),
            &["agreement", "declined by", "on", "note"],
        );
        for r in &rows {
            t.row([
                r.agreement.to_string(),
                r.party.to_string(),
                opt(r.on),
                r.note.unwrap_or("").to_string(),
            ]);
        }
        t
    })
}

fn governing(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let rows = ask.q.governing_bodies(ask.arg(0))?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Bodies governing {}", ask.arg(0)),
            &["body", "kind", "rule", "through"],
        );
        for r in &rows {
            t.row([
                r.body.to_string(),
                r.kind.as_str().to_string(),
                r.rule.to_string(),
                opt(r.through),
            ]);
        }
        t
    })
}

fn seats_of(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let party = ask.arg(0);
    let rows = ask.q.seats_of(party)?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Seats held by {}", ask.name_of(party)),
            &["body", "name", "role", "votes", "rule"],
        );
        for r in &rows {
            t.row([
                r.body.to_string(),
                r.name.to_string(),
                r.role.as_str().to_string(),
                r.votes.to_string(),
                r.rule.to_string(),
            ]);
        }
        t
    })
}

fn reports_up(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, 1)?;
    let rows = ask.q.reporting_chain(ask.arg(0))?;
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("{} reports up", ask.arg(0)),
            &["level", "body", "name", "rule"],
        );
        for r in &rows {
            t.row([
                r.level.to_string(),
                r.body.to_string(),
                r.name.to_string(),
                r.rule.to_string(),
            ]);
        }
        t
    })
}

/// Splits `PARTY=VALUE`, the shape of a vote and of a cost share.
fn pair<'a>(text: &'a str, what: &str) -> Result<(&'a str, &'a str), Failure> {
    text.split_once('=')
        .ok_or_else(|| usage(format!("a {what}, not {text:?}")))
}

fn decide(ask: &Ask) -> Result<(), Failure> {
    ask.arity(1, usize::MAX)?;
    let votes = ask.args[1..]
        .iter()
        .map(|a| {
            let (party, vote) = pair(a, "vote is PARTY=for|against|abstain")?;
            let all = [Vote::For, Vote::Against, Vote::Abstain];
            Ok((party, keyword("vote", vote, &all, Vote::as_str)?))
        })
        .collect::<Result<Vec<(&str, Vote)>, Failure>>()?;
    let currency = ask.q.registry().info().currency;
    let shares = ask
        .shares
        .iter()
        .map(|s| {
            let (party, amount) = pair(s, "share is PARTY=AMOUNT")?;
            Ok((party, Money::parse(amount, currency)?))
        })
        .collect::<Result<Vec<(&str, Money)>, Failure>>()?;
    let d = match ask.year {
        Some(_) if !shares.is_empty() => {
            return Err(usage("give either --year or --share, not both"));
        }
        Some(year) => ask.q.decide_by_cost_share(ask.arg(0), &votes, year)?,
        None => ask.q.decide(ask.arg(0), &votes, &shares)?,
    };
    ask.emit(&d, || {
        // Cost-share weights are minor units of money; show them as amounts.
        let weigh = |w: u64| match d.weighing {
            Weighing::Votes => w.to_string(),
            Weighing::CostShare(c) => i64::try_from(w).map_or(w.to_string(), |m| {
                format!("{} {c}", Money::from_minor(m, c))
            }),
        };
        let verdict = if d.passes { "PASSES" } else { "FAILS" };
        let mut t = Table::new(
            format!("{}: {verdict} under {}", d.body, d.rule),
            &[
                "in favour",
                "against",
                "abstained",
                "absent",
                "total",
                "needed",
            ],
        );
        t.row([
            weigh(d.in_favour),
            weigh(d.against),
            weigh(d.abstained),
            weigh(d.absent),
            weigh(d.total),
            weigh(d.needed),
        ]);
        if !d.unweighted.is_empty() {
            t.note(format!("no cost share given for: {}", join(&d.unweighted)));
        }
        if !d.without_vote.is_empty() {
            t.note(format!("ballots without a vote: {}", join(&d.without_vote)));
        }
        t
    })
}

fn network(ask: &Ask) -> Result<(), Failure> {
    ask.arity(0, 0)?;
    let links = ask.q.network().links();
    ask.emit(&links, || {
        let mut t = Table::new(
            format!("Collaboration network {}", ask.on()),
            &["party", "party", "shared"],
        );
        for l in &links {
            t.row([l.a.to_string(), l.b.to_string(), l.shared.to_string()]);
        }
        t
    })
}

fn groups(ask: &Ask) -> Result<(), Failure> {
    ask.arity(0, 0)?;
    let groups = ask.q.network().groups();
    ask.emit(&groups, || {
        let mut t = Table::new(
            format!("Connected groups {}", ask.on()),
            &["size", "parties"],
        );
        for g in &groups {
            t.row([g.size.to_string(), join(&g.parties)]);
        }
        t
    })
}

fn hubs(ask: &Ask) -> Result<(), Failure> {
    ask.arity(0, 1)?;
    let network = ask.q.network();
    match ask.first().unwrap_or("degree") {
        "degree" => {
            let rows = network.degrees();
            ask.emit(&rows, || {
                let mut t = Table::new(
                    format!("Most connected parties by degree {}", ask.on()),
                    &["party", "partners", "agreements shared"],
                );
                for r in &rows {
                    t.row([
                        r.party.to_string(),
                        r.partners.to_string(),
                        r.shared.to_string(),
                    ]);
                }
                t
            })
        }
        "betweenness" => {
            let rows = network.betweenness();
            ask.emit(&rows, || {
                let mut t = Table::new(
                    format!("Most connected parties by betweenness {}", ask.on()),
                    &["party", "betweenness", "normalised"],
                );
                for r in &rows {
                    t.row([
                        r.party.to_string(),
                        format!("{:.3}", r.score),
                        format!("{:.3}", r.normalised),
                    ]);
                }
                t
            })
        }
        other => Err(usage(format!(
            "hubs are measured by degree or betweenness, not {other:?}"
        ))),
    }
}

fn cut_points(ask: &Ask) -> Result<(), Failure> {
    ask.arity(0, 0)?;
    let rows = ask.q.network().articulation_points();
    ask.emit(&rows, || {
        let mut t = Table::new(
            format!("Parties whose loss would split the network {}", ask.on()),
            &["party", "name", "groups after"],
        );
        for r in &rows {
            t.row([
                r.party.to_string(),
                r.name.to_string(),
                r.groups_after.to_string(),
            ]);
        }
        t
    })
}

fn help(ask: &Ask) -> Result<(), Failure> {
    ask.arity(0, 0)?;
    let mut out = String::from(
        "usage: cargo run --example query -- [registry.json] <question> [args] [--json] [--as-of YYYY-MM-DD] [--any-status]\n\n\
         Without a file, the embedded sample registry is asked. Answers are as of today unless\n\
         --as-of is given, counting agreements in force that day unless --any-status is given,\n\
         and print as tables unless --json is given. For decide under a weighted rule,\n\
         --year YYYY/YY weighs each voter's apportioned cost share of that year.\n\n\
         questions:\n",
    );
    let width = QUESTIONS
        .iter()
        .map(|q| q.name.len() + q.args.len() + 1)
        .max()
        .unwrap_or(0);
    for q in QUESTIONS {
        let call = format!("{} {}", q.name, q.args);
        let _ = writeln!(out, "  {call:width$}  {}", q.what);
    }
    write_out(&out)
}

/// Reads a keyword such as `armed_policing` (or `armed-policing`).
fn keyword<K: Copy>(
    what: &str,
    text: &str,
    all: &[K],
    name: fn(&K) -> &'static str,
) -> Result<K, Failure> {
    let wanted = text.replace('-', "_");
    all.iter()
        .copied()
        .find(|k| name(k) == wanted)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(name).collect();
            Failure::Other(format!(
                "unknown {what} {text:?}; expected one of: {}",
                names.join(", ")
            ))
        })
}

/// Writes to standard output; a reader that stops early (`| head`) is not an error.
fn write_out(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn status(s: Option<Status>) -> String {
    s.map_or("-".to_string(), |s| s.as_str().to_string())
}

fn opt(value: Option<impl ToString>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

fn join(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(|i| i.as_ref())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A plain text table: a title, aligned columns, and notes under it.
struct Table {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
}

impl Table {
    fn new(title: String, headers: &[&str]) -> Self {
        Table {
            title,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn row<const N: usize>(&mut self, cells: [String; N]) {
        self.rows.push(cells.into());
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.title)?;
        if self.rows.is_empty() {
            writeln!(f, "(none)")?;
        } else {
            let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
            for row in &self.rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |cells: &[String]| -> String {
                let padded: Vec<String> = cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| format!("{c:w$}"))
                    .collect();
                padded.join("  ").trim_end().to_string()
            };
            writeln!(f, "{}", line(&self.headers))?;
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            writeln!(f, "{}", rule.join("  "))?;
            for row in &self.rows {
                writeln!(f, "{}", line(row))?;
            }
        }
        for note in &self.notes {
            writeln!(f, "{note}")?;
        }
        Ok(())
    }
}
