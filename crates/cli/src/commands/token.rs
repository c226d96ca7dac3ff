//! `token create/list/revoke`: the service's bearer tokens, managed locally.

use std::io::Write;

use supplyscreen_store::{Actor, Store, TokenId};

use super::{CmdResult, emit};
use crate::ExitStatus;
use crate::args_service::{StoreArgs, TokenCommand};

/// Runs a `token` subcommand.
pub fn run(
    command: TokenCommand,
    env: &crate::Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let actor = local_actor();
    match command {
        TokenCommand::Create { role, name, store } => {
            let (info, secret) = block_on(&store, |s| async move {
                s.create_token(&name, role.into(), &actor, env.now).await
            })?;
            emit(out, &format!("{}\n", secret.expose()), ExitStatus::Clean)?;
            emit(
                err,
                &supplyscreen_report::render_token_created(&info),
                ExitStatus::Clean,
            )?;
        }
        TokenCommand::List { store } => {
            let tokens = block_on(&store, |s| async move { s.list_tokens().await })?;
            let text = supplyscreen_report::render_token_list(&tokens);
            emit(out, &text, ExitStatus::Clean)?;
        }
        TokenCommand::Revoke { id, store } => {
            let info = block_on(&store, |s| async move {
                s.revoke_token(TokenId(id), &actor, env.now).await
            })?;
            let text = supplyscreen_report::render_token_revoked(&info);
            emit(out, &text, ExitStatus::Clean)?;
        }
    }
    Ok(ExitStatus::Clean)
}

/// Who made a change from this command line: `cli:$USER`.
fn local_actor() -> Actor {
    let user = ["USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    Actor::local(match user {
        Some(u) => format!("cli:{u}"),
        None => "cli".into(),
    })
}

/// Opens the store named by the options and runs one operation on it, on a runtime
/// made for this command.
pub(super) fn block_on<T, F, Fut>(store: &StoreArgs, op: F) -> CmdResult<T>
where
    F: FnOnce(Store) -> Fut,
    Fut: std::future::Future<Output = Result<T, supplyscreen_store::StoreError>>,
{
    let location = store.location()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| crate::CliError::Output {
            status: ExitStatus::Error,
            source,
        })?;
    Ok(runtime.block_on(async move {
        let store = Store::open(location).await?;
        op(store).await
    })?)
}
