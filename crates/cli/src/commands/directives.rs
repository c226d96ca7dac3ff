//! `supplyscreen directives`.

use std::io::Write;

use supplyscreen_model::ProfileId;
use supplyscreen_report::render_directives;
use supplyscreen_screen::{DirectiveFilter, directives_binding, load_kb};

use super::{CmdResult, date_arg, emit};
use crate::args::DirectivesArgs;
use crate::{CliError, ExitStatus};

/// Lists directives, filtered by jurisdiction, profile and date.
pub fn run(
    a: DirectivesArgs,
    today: supplyscreen_model::Date,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let kb = load_kb(a.kb.kb.as_deref())?;
    let in_force_on = a
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
    let filter = DirectiveFilter {
        jurisdiction: a.jurisdiction.as_deref(),
        profile,
        in_force_on,
    };
    let text = render_directives(&directives_binding(&kb, &filter));
    emit(out, &text, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}
