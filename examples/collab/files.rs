//! Whole files: validation, the canonical form, the exports and the
//! README's pictures.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use collab_registry::report;
use collab_registry::{ErrorKind, Registry};
use serde_json::json;

use crate::cli::{ExportArgs, ExportWhat, FmtArgs, Global, PathArg, PicturesArgs};
use crate::out::{self, Failure, IO, REFUSED, USAGE};

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        Failure::new("io", format!("{}: {e}", path.display()), IO).at(path.display().to_string())
    })
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| {
        Failure::new("io", format!("{}: {e}", path.display()), IO).at(path.display().to_string())
    })
}

/// Every problem of a file, as the answer; exit 1 when there are any.
pub(crate) fn validate(g: &Global, a: &PathArg) -> Result<ExitCode, Failure> {
    let path = a.path.as_ref().or(g.file.as_ref());
    let (name, loaded) = match path {
        Some(p) => (p.display().to_string(), Registry::from_slice(&read(p)?)),
        None => ("(embedded sample)".to_owned(), collab_registry::sample()),
    };
    match loaded {
        Ok(registry) => {
            out::note(
                g,
                Some(&registry),
                &json!({"file": name, "valid": true, "problems": []}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Syntax) => {
            let problems: Vec<_> = e.problems().iter().map(out::problem).collect();
            out::note(
                g,
                None,
                &json!({"file": name, "valid": false, "problems": problems}),
            );
            Ok(ExitCode::from(REFUSED))
        }
        Err(e) => Err(Failure::load(&e)),
    }
}

/// Rewrites a file in canonical form, or with `--check` says whether it is.
pub(crate) fn fmt(g: &Global, a: &FmtArgs) -> Result<ExitCode, Failure> {
    let path =
        a.path.as_ref().or(g.file.as_ref()).ok_or_else(|| {
            Failure::new("usage", "fmt needs a file: fmt PATH or --file PATH", USAGE)
        })?;
    let bytes = read(path)?;
    let registry = Registry::from_slice(&bytes)
        .map_err(|e| Failure::load(&e).at(path.display().to_string()))?;
    let canonical = registry.to_json_bytes() == bytes;
    let name = path.display().to_string();
    if a.check {
        out::note(
            g,
            Some(&registry),
            &json!({"file": name, "canonical": canonical}),
        );
        return Ok(if canonical {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(REFUSED)
        });
    }
    if !canonical {
        crate::change::save(&registry, path)?;
    }
    out::note(
        g,
        Some(&registry),
        &json!({"file": name, "rewritten": !canonical}),
    );
    Ok(ExitCode::SUCCESS)
}

fn needs<T: Clone>(v: Option<&T>, flag: &str, what: ExportWhat) -> Result<T, Failure> {
    v.cloned()
        .ok_or_else(|| Failure::new("usage", format!("export {what:?} needs {flag}"), USAGE))
}

/// One export, to standard output or `--out`.
pub(crate) fn export(g: &Global, a: &ExportArgs) -> Result<(), Failure> {
    let registry = out::load(g)?;
    let q = out::asof(g, &registry);
    let refuse = |e: collab_registry::Error| Failure::refused(&e);
    let w = a.what;
    let text = match w {
        ExportWhat::NetworkDot => report::dot::network(&q),
        ExportWhat::NetworkGraphml => report::graphml::network(&q),
        ExportWhat::GovernanceDot => report::dot::governance(&q),
        ExportWhat::GovernanceGraphml => report::graphml::governance(&q),
        ExportWhat::MembershipsCsv => report::csv::memberships(&q),
        ExportWhat::SharesCsv => {
            report::csv::shares(&q, needs(a.year.as_ref(), "--year", w)?).map_err(refuse)?
        }
        ExportWhat::ReviewsCsv => report::csv::reviews(
            &q,
            needs(a.from.as_ref(), "--from", w)?,
            needs(a.to.as_ref(), "--to", w)?,
        ),
        ExportWhat::MembersMarkdown => {
            report::markdown::members(&q, &needs(a.agreement.as_ref(), "--agreement", w)?)
                .map_err(refuse)?
        }
        ExportWhat::SharesMarkdown => report::markdown::shares(
            &q,
            &needs(a.agreement.as_ref(), "--agreement", w)?,
            needs(a.year.as_ref(), "--year", w)?,
        )
        .map_err(refuse)?,
        ExportWhat::ReviewsMarkdown => report::markdown::reviews(
            &q,
            needs(a.from.as_ref(), "--from", w)?,
            needs(a.to.as_ref(), "--to", w)?,
        ),
        ExportWhat::PublicationHtml => report::publication::html(&q),
        ExportWhat::PublicationMarkdown => report::publication::markdown(&q),
        ExportWhat::TimelineSvg => report::timeline::svg(&q),
        ExportWhat::Calendar => q.calendar_feed(),
    };
    if let Some(path) = &a.out {
        write(path, &text)
    } else {
        print!("{text}");
        Ok(())
    }
}

/// The network as DOT and as SVG (by Graphviz's `dot`), and the timeline
/// SVG the crate draws itself.
pub(crate) fn pictures(g: &Global, a: &PicturesArgs) -> Result<(), Failure> {
    let registry = out::load(g)?;
    let q = out::asof(g, &registry);
    std::fs::create_dir_all(&a.dir).map_err(|e| {
        Failure::new("io", format!("{}: {e}", a.dir.display()), IO).at(a.dir.display().to_string())
    })?;
    let dot_file = a.dir.join("network.dot");
    let svg_file = a.dir.join("network.svg");
    let timeline = a.dir.join("timeline.svg");
    write(&dot_file, &report::dot::network(&q))?;
    write(&timeline, &report::timeline::svg(&q))?;
    render(&dot_file, &svg_file)?;
    let files: Vec<String> = [&dot_file, &svg_file, &timeline]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    out::note(g, Some(&registry), &json!({"written": files}));
    Ok(())
}

/// `dot -Tsvg`, with a clear error when Graphviz is not installed.
fn render(dot_file: &PathBuf, svg_file: &Path) -> Result<(), Failure> {
    let status = Command::new("dot")
        .arg("-Tsvg")
        .arg(dot_file)
        .arg("-o")
        .arg(svg_file)
        .status()
        .map_err(|e| {
            Failure::new(
                "io",
                format!(
                    "could not run Graphviz's `dot` ({e}); install Graphviz (apt-get install graphviz) \
                     to render {}; the DOT and the timeline are written",
                    dot_file.display()
                ),
                IO,
            )
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(
            "io",
            format!("dot -Tsvg {} failed: {status}", dot_file.display()),
            IO,
        ))
    }
}
