//! The command line: global options, and one sub-command per question,
//! change and file operation.

use std::path::PathBuf;
use std::str::FromStr;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use collab_registry::model::{FinancialYear, Function, LegalBasis, PartyKind, Role, Status};

const EXIT_STATUSES: &str = "\
Exit status:
  0  the answer was given, the file is valid, the change was saved
  1  refused: the library refused the question or the change (the file is
     left as it was), `validate` found problems, `fmt --check` found a file
     not in canonical form, `import-csv` found bad rows
  2  usage: an unknown sub-command or option, a missing or malformed argument
  3  a file could not be read, parsed, loaded or written";

/// The register of collaboration agreements, from the command line.
///
/// Answers are given as of a day (`--as-of`, default today), counting the
/// agreements in force (`--scope`), optionally as the register stood on a
/// register day (`--recorded-on`). Without `--file`, questions are asked of
/// the embedded sample registry.
#[derive(Debug, Parser)]
#[command(name = "collab", version, after_help = EXIT_STATUSES, after_long_help = EXIT_STATUSES)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The options every sub-command takes.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The registry file (default: the embedded sample, for questions).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) file: Option<PathBuf>,
    /// The day asked about, YYYY-MM-DD (default: today).
    #[arg(long, global = true, value_name = "DATE", value_parser = day)]
    pub(crate) as_of: Option<NaiveDate>,
    /// Answer as the register stood on this register day, YYYY-MM-DD.
    #[arg(long, global = true, value_name = "DATE", value_parser = day)]
    pub(crate) recorded_on: Option<NaiveDate>,
    /// Which agreements count in lists.
    #[arg(long, global = true, value_enum, default_value_t = ScopeArg::InForce)]
    pub(crate) scope: ScopeArg,
    /// How answers are written.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// How errors are written (on standard error).
    #[arg(long, global = true, value_enum, default_value_t = ErrorsAs::Text)]
    pub(crate) errors: ErrorsAs,
}

/// Which agreements count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScopeArg {
    /// Agreements in force on the day.
    InForce,
    /// Every agreement with a status by the day.
    AnyStatus,
}

/// How an answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON envelope: the register, the day, the register day, scope, currency and answer.
    Json,
    /// CSV, one row per item of the answer's list.
    Csv,
    /// Markdown tables.
    Markdown,
}

/// How an error is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ErrorsAs {
    /// `error: ...` and one line per problem.
    Text,
    /// `{"error": {"kind", "message", "path", "problems"}}`.
    Json,
}

/// A day, `YYYY-MM-DD`.
fn day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| format!("{text:?} is not a day (YYYY-MM-DD): {e}"))
}

/// A keyword of the file format, such as `police_force` or `dogs`.
fn keyword<T: FromStr<Err: std::fmt::Display>>(text: &str) -> Result<T, String> {
    text.parse().map_err(|e: T::Err| e.to_string())
}

/// A financial year, `2021/22`.
fn year(text: &str) -> Result<FinancialYear, String> {
    keyword(text)
}

/// Every sub-command.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    // Membership.
    /// The agreements a party takes part in.
    AgreementsOf(Party),
    /// The members of an agreement (members by class found on the day).
    MembersOf(Agreement),
    /// The corporations sole that sign an agreement.
    Signatories(Agreement),
    /// The parties an agreement is led or hosted by (of one party, or all).
    LeadsAndHosts(MaybeParty),
    /// A party's partners, most shared agreements first.
    PartnersOf(Party),
    /// The agreements all the parties named take part in.
    SharedBy(Parties),
    /// The agreements of exactly N members.
    WithExactly(Count),
    /// The agreements of at least N members.
    WithAtLeast(Count),
    /// How many agreements of each size the parties of a region are in.
    SizesInRegion(Region),
    /// How many agreements of each size an umbrella holds.
    SizesUnder(Agreement),
    /// The agreements covering a function.
    ByFunction(ByFunction),
    /// The agreements under a legal basis.
    ByLegalBasis(ByLegalBasis),
    /// The agreements with a status on the day.
    ByStatus(ByStatus),
    /// The tree of agreements under an umbrella.
    Under(Agreement),
    /// The agreements with members from every sector or party kind named.
    CrossSector(CrossSector),
    /// Invitations declined (by one party, or all).
    Declined(MaybeParty),
    /// A party on the day: its kind, region and who oversees it.
    Party(Party),
    // Governance.
    /// The bodies that govern an agreement.
    Bodies(Agreement),
    /// A body on the day: its rule, seats, delegated limits and reporting line.
    Body(BodyArg),
    /// The seats a party holds.
    SeatsOf(Party),
    /// The bodies a body reports to, up to the top.
    ReportingChain(BodyArg),
    /// The reviews due in a period, by the body that governs each.
    ReviewsByBody(Between),
    /// Whether a proposal passes a body, given the votes.
    Decide(Decide),
    // Network.
    /// The collaboration network: parties linked by shared agreements.
    Network(NetworkArgs),
    // Costs.
    /// A year's budget shared among the members.
    Apportion(AgreementYear),
    /// Each member's charge for a period.
    Charges(Charges),
    /// A party's contributions for a year, across its agreements.
    Contributions(PartyYear),
    /// The shares if a member left before the year.
    WhatIfLeave(WhatIfLeave),
    /// The shares if a party joined in the year.
    WhatIfJoin(WhatIfJoin),
    /// An agreement's savings, targeted and realised.
    Savings(Agreement),
    /// Units bought in advance, used and unused, for a year.
    Entitlements(AgreementYear),
    /// The assets an agreement's members own jointly.
    Assets(Agreement),
    /// The jointly owned assets a party holds a share of.
    AssetsOf(Party),
    // Calendar and notice.
    /// The next review of an agreement.
    NextReview(Agreement),
    /// The reviews due in a period.
    ReviewsDue(Between),
    /// The reviews overdue on the day.
    OverdueReviews,
    /// The agreements reaching their end in a period.
    Expiring(Between),
    /// The last day a member can serve notice to be out by a day.
    NoticeDeadline(NoticeArgs),
    /// Every member's next notice deadline.
    NoticeDeadlines,
    /// An iCalendar feed of reviews, notice deadlines and expiries.
    Calendar,
    // History.
    /// An agreement's past, in date order.
    History(Agreement),
    /// The agreements that succeeded an agreement, in order.
    Successors(Agreement),
    /// The agreements an agreement replaced.
    Replaced(Agreement),
    // Files.
    /// Checks a registry file and prints every problem.
    Validate(PathArg),
    /// Rewrites a registry file in canonical form.
    Fmt(FmtArgs),
    /// Writes an export: DOT, `GraphML`, CSV, Markdown, HTML, SVG or iCalendar.
    Export(ExportArgs),
    /// Writes the README's pictures: the network (SVG by Graphviz) and the timeline.
    Pictures(PicturesArgs),
    /// Makes a registry file from a CSV of agreements and memberships.
    ImportCsv(ImportArgs),
    // Changes (each needs --file).
    /// Adds a party.
    AddParty(AddParty),
    /// Adds an agreement from a JSON file (one agreement) or a CSV (import-csv's columns).
    AddAgreement(AddAgreement),
    /// Records a party joining an agreement.
    Join(JoinArgs),
    /// Records a member serving notice; says the day it will be out.
    ServeNotice(MemberOn),
    /// Records a member leaving (its first day out).
    Leave(MemberOn),
    /// Records a review held.
    RecordReview(ReviewArgs),
    /// Amends an agreement's end or fixed term.
    Amend(AmendArgs),
    /// Records an agreement's termination, and who ended it.
    Terminate(TerminateArgs),
    /// Renews an agreement for its fixed term.
    Renew(AgreementOn),
    /// Extends an agreement to a new end.
    Extend(ExtendArgs),
}

/// One party.
#[derive(Debug, Args)]
pub(crate) struct Party {
    /// The party's id.
    pub(crate) party: String,
}

/// One party, or every party.
#[derive(Debug, Args)]
pub(crate) struct MaybeParty {
    /// The party's id (default: every party).
    pub(crate) party: Option<String>,
}

/// Parties.
#[derive(Debug, Args)]
pub(crate) struct Parties {
    /// The parties' ids.
    #[arg(required = true, num_args = 1..)]
    pub(crate) parties: Vec<String>,
}

/// One agreement.
#[derive(Debug, Args)]
pub(crate) struct Agreement {
    /// The agreement's id.
    pub(crate) agreement: String,
}

/// One body.
#[derive(Debug, Args)]
pub(crate) struct BodyArg {
    /// The governance body's id.
    pub(crate) body: String,
}

/// A number of members.
#[derive(Debug, Args)]
pub(crate) struct Count {
    /// The number of members.
    pub(crate) n: usize,
}

/// A region, and a kind of party.
#[derive(Debug, Args)]
pub(crate) struct Region {
    /// The region, as the parties' `region` names it.
    pub(crate) region: String,
    /// Count only members of this kind, such as `police_force`.
    #[arg(long, value_parser = keyword::<PartyKind>)]
    pub(crate) kind: Option<PartyKind>,
}

/// A function.
#[derive(Debug, Args)]
pub(crate) struct ByFunction {
    /// The function, such as `dogs` or `major_crime`.
    #[arg(value_parser = keyword::<Function>)]
    pub(crate) function: Function,
}

/// A legal basis.
#[derive(Debug, Args)]
pub(crate) struct ByLegalBasis {
    /// The basis, such as `section_22a_police_act_1996`.
    #[arg(value_parser = keyword::<LegalBasis>)]
    pub(crate) basis: LegalBasis,
}

/// A status.
#[derive(Debug, Args)]
pub(crate) struct ByStatus {
    /// The status: `proposed`, `active`, `under_review`, `suspended` or `terminated`.
    #[arg(value_parser = keyword::<Status>)]
    pub(crate) status: Status,
}

/// Sectors or kinds.
#[derive(Debug, Args)]
pub(crate) struct CrossSector {
    /// Sectors (`police`, `fire_and_rescue`, ...) or party kinds (`police_force`, ...).
    #[arg(required = true, num_args = 1..)]
    pub(crate) wanted: Vec<String>,
}

/// A period of days.
#[derive(Debug, Args)]
pub(crate) struct Between {
    /// The first day, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) from: NaiveDate,
    /// The first day after the period, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) to: NaiveDate,
}

/// A vote on a proposal.
#[derive(Debug, Args)]
pub(crate) struct Decide {
    /// The governance body's id.
    pub(crate) body: String,
    /// A ballot, PARTY=for|against|abstain; repeat for each (absent when not given).
    #[arg(long = "vote", value_name = "PARTY=VOTE")]
    pub(crate) votes: Vec<String>,
    /// Weigh the votes by each party's cost share of this year (for a body
    /// whose rule is weighted by cost share).
    #[arg(long, value_parser = year)]
    pub(crate) cost_share_year: Option<FinancialYear>,
}

/// What of the network to answer.
#[derive(Debug, Args)]
pub(crate) struct NetworkArgs {
    /// What to list.
    #[arg(value_enum, default_value_t = NetworkWhat::Degrees)]
    pub(crate) what: NetworkWhat,
}

/// The network's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum NetworkWhat {
    /// The parties in the network.
    Parties,
    /// Each pair of parties and the agreements they share.
    Links,
    /// The connected groups.
    Groups,
    /// Each party's number of partners.
    Degrees,
    /// Each party's betweenness centrality.
    Betweenness,
    /// The parties whose loss would split the network.
    ArticulationPoints,
}

/// An agreement and a financial year.
#[derive(Debug, Args)]
pub(crate) struct AgreementYear {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The financial year, such as 2021/22.
    #[arg(value_parser = year)]
    pub(crate) year: FinancialYear,
}

/// A party and a financial year.
#[derive(Debug, Args)]
pub(crate) struct PartyYear {
    /// The party's id.
    pub(crate) party: String,
    /// The financial year, such as 2021/22.
    #[arg(value_parser = year)]
    pub(crate) year: FinancialYear,
}

/// An agreement and a period.
#[derive(Debug, Args)]
pub(crate) struct Charges {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The first day of the period, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) from: NaiveDate,
    /// The first day after the period, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) to: NaiveDate,
}

/// A member leaving before a year.
#[derive(Debug, Args)]
pub(crate) struct WhatIfLeave {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The member's id.
    pub(crate) party: String,
    /// The financial year, such as 2021/22.
    #[arg(value_parser = year)]
    pub(crate) year: FinancialYear,
}

/// A party joining in a year.
#[derive(Debug, Args)]
pub(crate) struct WhatIfJoin {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The joiner's id.
    pub(crate) party: String,
    /// The financial year, such as 2021/22.
    #[arg(value_parser = year)]
    pub(crate) year: FinancialYear,
    /// The day it would join (default: the agreement's first day in the year).
    #[arg(long = "on", value_parser = day)]
    pub(crate) from: Option<NaiveDate>,
    /// Its percentage of a full year, for a fixed-percentages formula.
    #[arg(long)]
    pub(crate) percent: Option<String>,
    /// Units it would buy in advance, for an entitlement formula.
    #[arg(long)]
    pub(crate) bought: Option<String>,
    /// Units it would use, for a usage formula.
    #[arg(long)]
    pub(crate) usage: Option<String>,
}

/// A notice question.
#[derive(Debug, Args)]
pub(crate) struct NoticeArgs {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The member's id.
    pub(crate) party: String,
    /// Out by: `fy-end` (the next 1 April), `expiry`, or a day YYYY-MM-DD.
    #[arg(long, default_value = "fy-end")]
    pub(crate) out_by: String,
}

/// A file, or `--file`.
#[derive(Debug, Args)]
pub(crate) struct PathArg {
    /// The registry file (default: --file, or the embedded sample).
    pub(crate) path: Option<PathBuf>,
}

/// `fmt`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// The registry file (default: --file).
    pub(crate) path: Option<PathBuf>,
    /// Change nothing; exit 1 if the file is not in canonical form.
    #[arg(long)]
    pub(crate) check: bool,
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportWhat {
    /// Graphviz DOT of the collaboration network.
    NetworkDot,
    /// `GraphML` of the collaboration network.
    NetworkGraphml,
    /// Graphviz DOT of the governance tree.
    GovernanceDot,
    /// `GraphML` of the governance tree.
    GovernanceGraphml,
    /// CSV of the memberships.
    MembershipsCsv,
    /// CSV of every agreement's shares for a year (needs --year).
    SharesCsv,
    /// CSV of the review calendar (needs --from and --to).
    ReviewsCsv,
    /// Markdown table of an agreement's members (needs --agreement).
    MembersMarkdown,
    /// Markdown table of an agreement's shares (needs --agreement and --year).
    SharesMarkdown,
    /// Markdown table of the reviews due (needs --from and --to).
    ReviewsMarkdown,
    /// The section 23E publication register as one HTML page.
    PublicationHtml,
    /// The section 23E publication register as Markdown.
    PublicationMarkdown,
    /// An SVG timeline of the agreements and their memberships.
    TimelineSvg,
    /// The iCalendar feed.
    Calendar,
}

/// An export.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// What to write; a file in its own format (`--format` does not apply).
    #[arg(value_enum)]
    pub(crate) what: ExportWhat,
    /// Write here rather than to standard output.
    #[arg(long, value_name = "PATH")]
    pub(crate) out: Option<PathBuf>,
    /// The agreement, for the per-agreement tables.
    #[arg(long)]
    pub(crate) agreement: Option<String>,
    /// The financial year, for the shares.
    #[arg(long, value_parser = year)]
    pub(crate) year: Option<FinancialYear>,
    /// The first day, for the review calendar.
    #[arg(long, value_parser = day)]
    pub(crate) from: Option<NaiveDate>,
    /// The first day after, for the review calendar.
    #[arg(long, value_parser = day)]
    pub(crate) to: Option<NaiveDate>,
}

/// Where the pictures go.
#[derive(Debug, Args)]
pub(crate) struct PicturesArgs {
    /// The directory (made if missing).
    #[arg(default_value = "data/pictures")]
    pub(crate) dir: PathBuf,
}

/// A CSV import.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The CSV, with the columns `agreement,title,party,role,joined,left,legal_basis,functions,lead`.
    pub(crate) csv: PathBuf,
    /// The registry file to write.
    #[arg(long, value_name = "PATH")]
    pub(crate) out: PathBuf,
    /// Start from this registry file: its parties are known, its records kept.
    #[arg(long, value_name = "PATH")]
    pub(crate) into: Option<PathBuf>,
    /// The register's name, for a new register.
    #[arg(long, default_value = "Imported register")]
    pub(crate) name: String,
    /// The day the records are entered, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = day)]
    pub(crate) entered: Option<NaiveDate>,
}

/// A new party.
#[derive(Debug, Args)]
pub(crate) struct AddParty {
    /// Its id, a slug.
    pub(crate) id: String,
    /// Its name.
    #[arg(long)]
    pub(crate) name: String,
    /// Its kind, such as `police_force`.
    #[arg(long, value_parser = keyword::<PartyKind>)]
    pub(crate) kind: PartyKind,
    /// Its region.
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// The corporation sole that signs for it.
    #[arg(long)]
    pub(crate) signs_as: Option<String>,
    /// The party that oversees it (a commissioner, say), from always.
    #[arg(long)]
    pub(crate) overseen_by: Option<String>,
    #[command(flatten)]
    pub(crate) entered: Entered,
}

/// A new agreement.
#[derive(Debug, Args)]
pub(crate) struct AddAgreement {
    /// A `.json` file of one agreement, or a `.csv` in import-csv's columns.
    pub(crate) from: PathBuf,
    #[command(flatten)]
    pub(crate) entered: Entered,
}

/// The day a change is entered.
#[derive(Debug, Args)]
pub(crate) struct Entered {
    /// The day the change is entered in the register, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = day)]
    pub(crate) entered: Option<NaiveDate>,
}

/// A party joining.
#[derive(Debug, Args)]
pub(crate) struct JoinArgs {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The party's id.
    pub(crate) party: String,
    /// Its role: lead, host, member, associate or observer.
    #[arg(long, value_parser = keyword::<Role>, default_value = "member")]
    pub(crate) role: Role,
    /// The day it joins, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) on: NaiveDate,
    #[command(flatten)]
    pub(crate) entered: Entered,
}

/// A member, and the day something happens to it.
#[derive(Debug, Args)]
pub(crate) struct MemberOn {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The member's id.
    pub(crate) party: String,
    /// The day, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) on: NaiveDate,
    #[command(flatten)]
    pub(crate) entered: Entered,
}

/// An agreement, and the day something happens to it.
#[derive(Debug, Args)]
pub(crate) struct AgreementOn {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The day, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) on: NaiveDate,
    #[command(flatten)]
    pub(crate) entered: Entered,
}

/// A review held.
#[derive(Debug, Args)]
pub(crate) struct ReviewArgs {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The day it was held, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) on: NaiveDate,
    /// The governance body that held it.
    #[arg(long)]
    pub(crate) by: Option<String>,
    /// What it concluded.
    #[arg(long)]
    pub(crate) outcome: Option<String>,
    #[command(flatten)]
    pub(crate) entered: Entered,
}

/// An amendment.
#[derive(Debug, Args)]
pub(crate) struct AmendArgs {
    #[command(subcommand)]
    pub(crate) what: AmendWhat,
}

/// What an amendment changes.
#[derive(Debug, Subcommand)]
pub(crate) enum AmendWhat {
    /// Sets (or, with `none`, removes) the agreement's end.
    End(AmendEnd),
    /// Sets (or, with `none`, removes) the agreement's fixed term.
    Term(AmendTerm),
}

/// A new end.
#[derive(Debug, Args)]
pub(crate) struct AmendEnd {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The new end, YYYY-MM-DD (the first day it no longer runs), or `none`.
    pub(crate) end: String,
    #[command(flatten)]
    pub(crate) change: AmendCommon,
}

/// A new term.
#[derive(Debug, Args)]
pub(crate) struct AmendTerm {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The term, such as `5y` or `18m`, or `none`.
    pub(crate) term: String,
    #[command(flatten)]
    pub(crate) change: AmendCommon,
}

/// What every amendment says.
#[derive(Debug, Args)]
pub(crate) struct AmendCommon {
    /// The day it takes effect, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) on: NaiveDate,
    /// A one-line summary.
    #[arg(long)]
    pub(crate) summary: String,
    /// variation, extension, renewal or correction.
    #[arg(long, default_value = "variation")]
    pub(crate) kind: String,
    #[command(flatten)]
    pub(crate) entered: Entered,
}

/// A termination.
#[derive(Debug, Args)]
pub(crate) struct TerminateArgs {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The day it ends, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) on: NaiveDate,
    /// Ended by the notice of this member (which served notice by then).
    #[arg(long, value_name = "PARTY", conflicts_with_all = ["all_members", "expiry"])]
    pub(crate) by_notice: Option<String>,
    /// Ended by all the members together.
    #[arg(long, conflicts_with = "expiry")]
    pub(crate) all_members: bool,
    /// Ended at its fixed end.
    #[arg(long)]
    pub(crate) expiry: bool,
    /// A note.
    #[arg(long)]
    pub(crate) note: Option<String>,
    #[command(flatten)]
    pub(crate) entered: Entered,
}

/// An extension.
#[derive(Debug, Args)]
pub(crate) struct ExtendArgs {
    /// The agreement's id.
    pub(crate) agreement: String,
    /// The day the extension is agreed, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) on: NaiveDate,
    /// The new end, YYYY-MM-DD.
    #[arg(long, value_parser = day)]
    pub(crate) to: NaiveDate,
    #[command(flatten)]
    pub(crate) entered: Entered,
}
