//! The SQLite backend: one database file in the data directory, WAL journal,
//! `synchronous=FULL` (a commit is on disk before it returns), a busy timeout for other
//! processes on the same file. Blocking work runs on tokio's blocking threads with
//! connections from a small pool; writers in this process take turns at an async gate
//! and open `BEGIN IMMEDIATE` transactions, so they never wait on SQLite's busy loop.

use crate::StoreError;
use crate::db::{Db, Dialect, Row, Val};
use rusqlite::types::{ToSqlOutput, ValueRef};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// Idle connections kept for reuse.
const POOL_IDLE: usize = 8;
/// How long a statement waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether a transaction writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Reads only (`BEGIN`, a snapshot).
    Read,
    /// Writes (`BEGIN IMMEDIATE` on SQLite).
    Write,
}

/// A transaction on one SQLite connection.
pub(crate) struct SqliteDb {
    conn: rusqlite::Connection,
}

/// The future of an operation run in a transaction.
pub(crate) type LocalOpFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + 'a>>;

/// The SQLite store.
#[derive(Clone)]
pub(crate) struct SqliteBackend {
    path: Arc<PathBuf>,
    idle: Arc<Mutex<Vec<rusqlite::Connection>>>,
    write_gate: Arc<tokio::sync::Semaphore>,
}

fn err(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |e| StoreError::backend(context, e)
}

fn connect(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open(path).map_err(err("opening the SQLite database"))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(err("setting the busy timeout"))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(err("enabling WAL"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Corrupt(format!(
            "SQLite refused WAL mode ({mode})"
        )));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .map_err(err("setting pragmas"))?;
    Ok(conn)
}

/// Makes the data directory, private to its owner when it is new.
fn make_dir(dir: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::DataDir {
        path: dir.to_path_buf(),
        source,
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
    }
    Ok(())
}

impl SqliteBackend {
    /// Opens (creating) the database in `dir` and migrates it.
    pub async fn open(dir: PathBuf) -> Result<SqliteBackend, StoreError> {
        let backend = tokio::task::spawn_blocking(move || {
            make_dir(&dir)?;
            let path = dir.join(crate::SQLITE_FILE);
            let conn = connect(&path)?;
            Ok::<_, StoreError>(SqliteBackend {
                path: Arc::new(path),
                idle: Arc::new(Mutex::new(vec![conn])),
                write_gate: Arc::new(tokio::sync::Semaphore::new(1)),
            })
        })
        .await
        .map_err(|e| StoreError::backend("opening the SQLite database", e))??;
        backend
            .run(Mode::Write, |db| Box::pin(crate::schema::migrate(db)))
            .await?;
        Ok(backend)
    }

    /// Runs `op` in a transaction on a blocking thread; commits when it succeeds.
    pub async fn run<T, F>(&self, mode: Mode, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut SqliteDb) -> LocalOpFuture<'a, T> + Send + 'static,
    {
        let _permit = match mode {
            Mode::Write => Some(
                self.write_gate
                    .acquire()
                    .await
                    .map_err(|e| StoreError::backend("waiting to write", e))?,
            ),
            Mode::Read => None,
        };
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.run_blocking(mode, op))
            .await
            .map_err(|e| StoreError::backend("running a database task", e))?
    }

    fn take(&self) -> Result<rusqlite::Connection, StoreError> {
        let pooled = self.idle.lock().ok().and_then(|mut v| v.pop());
        match pooled {
            Some(c) => Ok(c),
            None => connect(&self.path),
        }
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < POOL_IDLE
        {
            idle.push(conn);
        }
    }

    fn run_blocking<T, F>(&self, mode: Mode, op: F) -> Result<T, StoreError>
    where
        F: for<'a> FnOnce(&'a mut SqliteDb) -> LocalOpFuture<'a, T>,
    {
        let mut db = SqliteDb { conn: self.take()? };
        let begin = match mode {
            Mode::Read => "BEGIN",
            Mode::Write => "BEGIN IMMEDIATE",
        };
        db.conn
            .execute_batch(begin)
            .map_err(err("beginning a transaction"))?;
        let result = poll_ready(op(&mut db));
        let end = match &result {
            Ok(_) => db.conn.execute_batch("COMMIT").map_err(err("committing")),
            Err(_) => db
                .conn
                .execute_batch("ROLLBACK")
                .map_err(err("rolling back")),
        };
        match end {
            Ok(()) => self.give_back(db.conn),
            // A connection whose transaction could not be ended is dropped, never reused.
            Err(e) => return result.and(Err(e)),
        }
        result
    }
}

/// Runs a future that never waits (every SQLite call completes synchronously).
fn poll_ready<T>(
    mut fut: Pin<Box<dyn Future<Output = Result<T, StoreError>> + '_>>,
) -> Result<T, StoreError> {
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => Err(StoreError::Corrupt(
            "an SQLite operation waited, which it never should".into(),
        )),
    }
}

/// Rewrites `$N` placeholders to SQLite's `?N`.
fn placeholders(sql: &str) -> String {
    sql.replace('$', "?")
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Null => ValueRef::Null,
            Val::Int(v) => ValueRef::Integer(*v),
            Val::Text(v) => ValueRef::Text(v.as_bytes()),
            Val::Bytes(v) => ValueRef::Blob(v),
        }))
    }
}

fn read_row(row: &rusqlite::Row<'_>, columns: usize) -> Result<Row, StoreError> {
    let mut vals = Vec::with_capacity(columns);
    for i in 0..columns {
        let v = match row.get_ref(i).map_err(err("reading a row"))? {
            ValueRef::Null => Val::Null,
            ValueRef::Integer(v) => Val::Int(v),
            ValueRef::Text(t) => Val::Text(
                String::from_utf8(t.to_vec())
                    .map_err(|_| StoreError::Corrupt("text column is not UTF-8".into()))?,
            ),
            ValueRef::Blob(b) => Val::Bytes(b.to_vec()),
            ValueRef::Real(_) => return Err(StoreError::Corrupt("unexpected real column".into())),
        };
        vals.push(v);
    }
    Ok(Row(vals))
}

impl Db for SqliteDb {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    async fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&placeholders(sql))
            .map_err(err("preparing a statement"))?;
        let columns = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(err("running a query"))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(err("reading rows"))? {
            out.push(read_row(row, columns)?);
        }
        Ok(out)
    }

    async fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&placeholders(sql))
            .map_err(err("preparing a statement"))?;
        let n = stmt
            .execute(rusqlite::params_from_iter(params))
            .map_err(err("running a statement"))?;
        Ok(n as u64)
    }

    async fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.conn
            .execute_batch(sql)
            .map_err(err("changing the schema"))
    }
}
