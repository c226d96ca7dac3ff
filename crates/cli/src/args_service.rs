//! Arguments of the service's local commands: `token` and `audit`, and where the
//! service's store is (shared with `serve`).

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

/// Where the service's store is. With neither option: the SQLite store in the default
/// data directory (`$SUPPLYSCREEN_DATA`, else `$XDG_DATA_HOME/supplyscreen`, else
/// `~/.local/share/supplyscreen`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StoreArgs {
    /// Data directory of the embedded SQLite store (created when missing).
    #[arg(long, value_name = "DIR", conflicts_with = "database")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL database instead (`postgres://user@host:5432/db`; add
    /// `?sslmode=require[&sslrootcert=CA.pem]` for TLS).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

impl StoreArgs {
    /// The store location these options name.
    pub fn location(&self) -> Result<supplyscreen_store::Location, supplyscreen_store::StoreError> {
        supplyscreen_store::Location::from_args(self.data.clone(), self.database.clone())
    }
}

/// A token's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Reads scans, findings, waivers and the KB.
    Viewer,
    /// Also screens, uploads inventories and proposes waivers.
    Submitter,
    /// Also approves or rejects waivers proposed by someone else.
    Approver,
    /// Also manages tokens.
    Admin,
}

impl From<RoleArg> for supplyscreen_store::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Viewer => Self::Viewer,
            RoleArg::Submitter => Self::Submitter,
            RoleArg::Approver => Self::Approver,
            RoleArg::Admin => Self::Admin,
        }
    }
}

/// `token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a bearer token and print it (once; only a salted hash is stored).
    Create {
        /// What the token may do.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Who or what holds it (a person or a system).
        #[arg(long)]
        name: String,
        /// Where the store is.
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List tokens (never their secrets).
    List {
        /// Where the store is.
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a token by id.
    Revoke {
        /// The token's id (`token list`).
        id: i64,
        /// Where the store is.
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain: exit 0 when intact, 1 naming the first bad entry.
    Verify {
        /// Where the store is.
        #[command(flatten)]
        store: StoreArgs,
    },
}
