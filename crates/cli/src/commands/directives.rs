//! `supplyscreen directives`.

use std::fmt::Write as _;
use std::io::Write;

use supplyscreen_model::ProfileId;
use supplyscreen_policy::{binds, in_force};

use super::{CmdResult, date_arg, emit, load_kb};
use crate::args::DirectivesArgs;
use crate::{CliError, ExitStatus};

/// Lists directives, filtered by jurisdiction, profile and date.
pub fn run(
    a: DirectivesArgs,
    today: supplyscreen_model::Date,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let kb = load_kb(a.kb.kb.as_deref())?;
    let date = a
        .as_of
        .as_deref()
        .map(|d| date_arg("--as-of", Some(d), today))
        .transpose()?;
    let profile = match &a.profile {
        Some(p) => {
            let id = ProfileId::new(p).map_err(|e| CliError::Usage(format!("--profile: {e}")))?;
            Some(
                kb.profile(&id).ok_or_else(|| {
                    CliError::Usage(format!("--profile: no profile {p:?} in the KB"))
                })?,
            )
        }
        None => None,
    };
    let mut s = String::new();
    for d in kb.directives() {
        let jurisdiction_ok = a
            .jurisdiction
            .as_ref()
            .is_none_or(|j| j.eq_ignore_ascii_case(&d.jurisdiction));
        let profile_ok = profile.is_none_or(|p| binds(d, p));
        let date_ok = date.is_none_or(|day| in_force(d, day));
        if !(jurisdiction_ok && profile_ok && date_ok) {
            continue;
        }
        let _ = writeln!(
            s,
            "{} [{}] {} · {} · {}",
            d.id,
            d.jurisdiction,
            d.title,
            d.authority,
            d.published_text()
        );
        for m in &d.measures {
            let until = m.until.map(|u| format!(" until {u}")).unwrap_or_default();
            let _ = writeln!(s, "  {} restricted from {}{until}", m.measure, m.from);
        }
    }
    if s.is_empty() {
        s.push_str("no directive matches\n");
    }
    emit(out, &s, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}
