//! `audit verify`: checks the service's audit log; exit 1 names the first bad entry.

use std::io::Write;

use supplyscreen_store::AuditCheck;

use super::token::block_on;
use super::{CmdResult, emit};
use crate::ExitStatus;
use crate::args_service::AuditCommand;

/// Runs an `audit` subcommand.
pub fn run(command: AuditCommand, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    match command {
        AuditCommand::Verify { store } => {
            let check = block_on(&store, |s| async move { s.verify_audit().await })?;
            let status = match check {
                AuditCheck::Intact { .. } => ExitStatus::Clean,
                AuditCheck::Broken { .. } => ExitStatus::Findings,
            };
            emit(
                out,
                &supplyscreen_report::render_audit_check(&check),
                status,
            )?;
            Ok(status)
        }
    }
}
