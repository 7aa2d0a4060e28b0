//! What the exports share: the agreements they list, XML escaping, and the
//! words a reader sees for the register's keywords and days.

use chrono::NaiveDate;

use crate::model::{PartyKind, PublicationLevel, Status};
use crate::questions::AsOf;
use crate::time::AgreementView;

/// The agreements that count on the day under the scope, by id, each as of
/// the day. Which agreements count depends on the day asked, so this is a
/// pass over every agreement: **O(A log A)**.
pub(super) fn agreements<'r>(asof: &AsOf<'r>) -> Vec<AgreementView<'r>> {
    let at = asof.at();
    let mut views: Vec<AgreementView<'r>> = asof
        .registry()
        .agreements()
        .iter()
        .map(|a| AgreementView::new(a, at))
        .filter(|v| asof.counts(v))
        .collect();
    views.sort_unstable_by(|x, y| x.id().cmp(y.id()));
    views
}

/// Appends `text` escaped for XML character data and for an attribute
/// value in either quotes. Line breaks and tabs become character references
/// so that an attribute keeps them; a character XML 1.0 cannot hold at all
/// (a control character, U+FFFE, U+FFFF) becomes U+FFFD, so the document
/// stays well-formed whatever a name holds.
pub(super) fn xml_escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// `text` escaped as [`xml_escape_into`] does.
pub(super) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    xml_escape_into(&mut out, text);
    out
}

/// A party kind as a reader says it.
pub(super) fn kind_words(kind: PartyKind) -> &'static str {
    match kind {
        PartyKind::PoliceForce => "police force",
        PartyKind::PolicingBody => "policing body",
        PartyKind::FireAndRescue => "fire and rescue",
        PartyKind::Ambulance => "ambulance service",
        PartyKind::LocalAuthority => "local authority",
        PartyKind::Health => "health body",
        PartyKind::Education => "education body",
        PartyKind::NationalBody => "national body",
        PartyKind::CriminalJustice => "criminal justice",
        PartyKind::ThirdSector => "third sector",
        PartyKind::Other => "other",
    }
}

/// A status as a reader says it (`None`: before the first status).
pub(super) fn status_words(status: Option<Status>) -> &'static str {
    match status {
        None => "no status yet",
        Some(Status::Proposed) => "proposed",
        Some(Status::Active) => "active",
        Some(Status::UnderReview) => "under review",
        Some(Status::Suspended) => "suspended",
        Some(Status::Terminated) => "terminated",
    }
}

/// A publication level as a reader says it.
pub(super) fn level_words(level: PublicationLevel) -> &'static str {
    match level {
        PublicationLevel::NotRecorded => "not recorded",
        PublicationLevel::Full => "published in full",
        PublicationLevel::Summary => "published in summary",
        PublicationLevel::TitleAndObjective => "title and objective only",
        PublicationLevel::Withheld => "withheld",
    }
}

/// A day as a heading says it: `1 April 2021`.
pub(super) fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_kept_well_formed() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'>\n\u{7}"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;&#10;\u{fffd}"
        );
    }

    #[test]
    fn days_read_as_words() {
        let day = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap_or_default();
        assert_eq!(long_date(day), "1 April 2021");
    }
}
