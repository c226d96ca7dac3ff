//! Where the store lives.

use crate::StoreError;
use std::path::PathBuf;

/// The environment variable naming the data directory.
pub const DATA_ENV: &str = "SUPPLYSCREEN_DATA";

/// The SQLite database's file name inside the data directory.
pub const SQLITE_FILE: &str = "supplyscreen.sqlite3";

/// Where the store's data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An embedded SQLite database in this data directory (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://user:pass@host:port/db` or `host=... dbname=...`).
    Postgres(String),
}

impl Location {
    /// The location chosen by `--data DIR` / `--database URL`: the URL when given, else
    /// the directory, else [`default_data_dir`].
    pub fn from_args(data: Option<PathBuf>, database: Option<String>) -> Result<Self, StoreError> {
        match (database, data) {
            (Some(url), _) => Ok(Location::Postgres(url)),
            (None, Some(dir)) => Ok(Location::Sqlite(dir)),
            (None, None) => default_data_dir().map(Location::Sqlite),
        }
    }

    /// A description for messages that never shows a password: the directory, or
    /// `PostgreSQL database` with host and database name.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(dir) => format!("SQLite in {}", dir.display()),
            Location::Postgres(url) => match url.parse::<tokio_postgres::Config>() {
                Ok(c) => format!(
                    "PostgreSQL database {} on {}",
                    c.get_dbname().unwrap_or("(default)"),
                    c.get_hosts()
                        .first()
                        .map(describe_host)
                        .unwrap_or_else(|| "(default host)".into())
                ),
                Err(_) => "PostgreSQL database (unparsable URL)".into(),
            },
        }
    }
}

fn describe_host(h: &tokio_postgres::config::Host) -> String {
    match h {
        tokio_postgres::config::Host::Tcp(s) => s.clone(),
        tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
    }
}

/// The data directory `serve`, `token` and `audit` use when given neither `--data` nor
/// `--database`: `$SUPPLYSCREEN_DATA`, else `$XDG_DATA_HOME/supplyscreen`, else
/// `$HOME/.local/share/supplyscreen`.
pub fn default_data_dir() -> Result<PathBuf, StoreError> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var(DATA_ENV) {
        return Ok(dir);
    }
    if let Some(xdg) = var("XDG_DATA_HOME") {
        return Ok(xdg.join("supplyscreen"));
    }
    var("HOME")
        .map(|home| home.join(".local/share/supplyscreen"))
        .ok_or(StoreError::NoDataDir)
}
