//! `supplyscreen directives`.

use std::io::Write;

use supplyscreen_report::render_directives;
use supplyscreen_screen::{DirectiveFilter, directive_views};

use super::{CmdResult, emit};
use crate::args::DirectivesArgs;
use crate::{CliError, ExitStatus};

/// Lists directives, filtered by jurisdiction, profile and date.
pub fn run(
    a: DirectivesArgs,
    env: &crate::Environment,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let kb = super::active_kb(&a.kb, env)?;
    let profile = match &a.profile {
        Some(id) => Some(kb.profile(id).ok_or_else(|| {
            CliError::Usage(format!("--profile: no profile {:?} in the KB", id.as_str()))
        })?),
        None => None,
    };
    let filter = DirectiveFilter {
        jurisdiction: a.jurisdiction.as_deref(),
        profile,
        in_force_on: a.as_of,
    };
    let text = render_directives(&directive_views(&kb, &filter));
    emit(out, &text, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}
