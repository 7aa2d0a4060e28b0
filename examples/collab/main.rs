//! `collab`: the register from the command line. Every question the
//! library answers, the changes it allows, validation, canonical
//! formatting, a spreadsheet import, the exports and the README's pictures.
//!
//! `cargo run --example collab -- --help`, or install it with
//! `cargo install --path . --example collab`.

mod ask;
mod change;
mod cli;
mod files;
mod import;
mod out;

use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::{Cli, Command, ErrorsAs};
use crate::out::Failure;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return out::usage_error(&e),
    };
    let errors = cli.global.errors;
    match run(&cli) {
        Ok(code) => code,
        Err(failure) => {
            failure.report(errors == ErrorsAs::Json);
            ExitCode::from(failure.exit)
        }
    }
}

/// Runs one sub-command; `Ok` carries the exit status of a command whose
/// answer says "no" (a file with problems, a file not in canonical form).
fn run(cli: &Cli) -> Result<ExitCode, Failure> {
    let g = &cli.global;
    match &cli.command {
        Command::Validate(a) => files::validate(g, a),
        Command::Fmt(a) => files::fmt(g, a),
        Command::Export(a) => files::export(g, a).map(|()| ExitCode::SUCCESS),
        Command::Pictures(a) => files::pictures(g, a).map(|()| ExitCode::SUCCESS),
        Command::ImportCsv(a) => import::import_csv(g, a).map(|()| ExitCode::SUCCESS),
        Command::AddParty(a) => change::add_party(g, a).map(|()| ExitCode::SUCCESS),
        Command::AddAgreement(a) => change::add_agreement(g, a).map(|()| ExitCode::SUCCESS),
        Command::Join(a) => change::join(g, a).map(|()| ExitCode::SUCCESS),
        Command::ServeNotice(a) => change::serve_notice(g, a).map(|()| ExitCode::SUCCESS),
        Command::Leave(a) => change::leave(g, a).map(|()| ExitCode::SUCCESS),
        Command::RecordReview(a) => change::record_review(g, a).map(|()| ExitCode::SUCCESS),
        Command::Amend(a) => change::amend(g, a).map(|()| ExitCode::SUCCESS),
        Command::Terminate(a) => change::terminate(g, a).map(|()| ExitCode::SUCCESS),
        Command::Renew(a) => change::renew(g, a).map(|()| ExitCode::SUCCESS),
        Command::Extend(a) => change::extend(g, a).map(|()| ExitCode::SUCCESS),
        question => ask::answer(g, question).map(|()| ExitCode::SUCCESS),
    }
}
