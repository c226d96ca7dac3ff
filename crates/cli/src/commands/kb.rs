//! `supplyscreen kb validate|show|list|search|import`.

use std::io::Write;

use supplyscreen_report::{
    render_kb_imported, render_kb_item, render_kb_list, render_kb_search, render_kb_validated,
};
use supplyscreen_screen::{ListFormat, import_list, kb_item, load_kb, search_kb};

use super::{CmdResult, emit};
use crate::args::KbCommand;
use crate::{CliError, ExitStatus};

/// Runs a `kb` subcommand.
pub fn run(cmd: KbCommand, env: &crate::Environment, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    let text = match cmd {
        KbCommand::Validate { kb, dir } => {
            render_kb_validated(&load_kb(kb.kb.as_deref().or(dir.as_deref()))?)
        }
        KbCommand::Show { id, kb } => {
            let kb = super::active_kb(&kb, env)?;
            let item = kb_item(&kb, &id).ok_or(CliError::NotInKb(id))?;
            render_kb_item(&item)
        }
        KbCommand::List { kb } => render_kb_list(&super::active_kb(&kb, env)?),
        KbCommand::Search { text, kb } => {
            let kb = super::active_kb(&kb, env)?;
            render_kb_search(&text, &search_kb(&kb, &text))
        }
        KbCommand::Import {
            opensanctions,
            csl,
            into,
        } => {
            let (path, format) = match (opensanctions, csl) {
                (Some(p), _) => (p, ListFormat::OpenSanctions),
                (None, Some(p)) => (p, ListFormat::Csl),
                (None, None) => {
                    return Err(CliError::Usage(
                        "give --opensanctions FILE or --csl FILE".into(),
                    ));
                }
            };
            render_kb_imported(&import_list(&path, format, &into, env.today)?)
        }
    };
    emit(out, &text, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}
