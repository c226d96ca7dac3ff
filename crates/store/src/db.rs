//! The one interface every operation is written against, so both backends run the
//! same statements with the same semantics: a transaction that runs parameterised SQL
//! (`$1`, `$2`, ... placeholders; integers are 64-bit, text is UTF-8, bytes are bytes)
//! and returns rows of [`Val`]s.

use crate::StoreError;
use jiff::Timestamp;
use std::future::Future;

/// A parameter or column value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (BIGINT / INTEGER).
    Int(i64),
    /// UTF-8 text.
    Text(String),
    /// Bytes (BYTEA / BLOB).
    Bytes(Vec<u8>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(v.to_owned())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(v.clone())
    }
}
impl From<Vec<u8>> for Val {
    fn from(v: Vec<u8>) -> Self {
        Val::Bytes(v)
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Self {
        v.map_or(Val::Null, Into::into)
    }
}
impl From<Timestamp> for Val {
    fn from(v: Timestamp) -> Self {
        Val::Int(micros(v))
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row(pub Vec<Val>);

impl Row {
    fn at(&self, i: usize) -> Result<&Val, StoreError> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Corrupt(format!("row has no column {i}")))
    }

    /// Column `i` as an integer.
    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?
            .ok_or_else(|| StoreError::Corrupt(format!("column {i} is null")))
    }

    /// Column `i` as an integer or NULL.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.at(i)? {
            Val::Null => Ok(None),
            Val::Int(v) => Ok(Some(*v)),
            other => Err(type_error(i, "integer", other)),
        }
    }

    /// Column `i` as text.
    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?
            .ok_or_else(|| StoreError::Corrupt(format!("column {i} is null")))
    }

    /// Column `i` as text or NULL.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.at(i)? {
            Val::Null => Ok(None),
            Val::Text(v) => Ok(Some(v.clone())),
            other => Err(type_error(i, "text", other)),
        }
    }

    /// Column `i` as bytes.
    pub fn bytes(&self, i: usize) -> Result<Vec<u8>, StoreError> {
        match self.at(i)? {
            Val::Bytes(v) => Ok(v.clone()),
            other => Err(type_error(i, "bytes", other)),
        }
    }

    /// Column `i` as a timestamp (microseconds since the epoch).
    pub fn time(&self, i: usize) -> Result<Timestamp, StoreError> {
        from_micros(self.int(i)?)
    }

    /// Column `i` as a timestamp or NULL.
    pub fn opt_time(&self, i: usize) -> Result<Option<Timestamp>, StoreError> {
        self.opt_int(i)?.map(from_micros).transpose()
    }
}

fn type_error(i: usize, want: &str, got: &Val) -> StoreError {
    let got = match got {
        Val::Null => "null",
        Val::Int(_) => "integer",
        Val::Text(_) => "text",
        Val::Bytes(_) => "bytes",
    };
    StoreError::Corrupt(format!("column {i} holds {got}, expected {want}"))
}

/// A timestamp as stored: microseconds since the Unix epoch.
pub(crate) fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// A stored timestamp.
pub(crate) fn from_micros(us: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(us)
        .map_err(|_| StoreError::Corrupt(format!("timestamp {us} out of range")))
}

/// A timestamp truncated to what the store keeps (microseconds).
pub(crate) fn stored_time(t: Timestamp) -> Result<Timestamp, StoreError> {
    from_micros(micros(t))
}

/// Which SQL the backend speaks where the two differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// SQLite: writers are serialised by `BEGIN IMMEDIATE`; no row locks.
    Sqlite,
    /// PostgreSQL: row locks.
    Postgres,
}

impl Dialect {
    /// Appended to a `SELECT` whose rows the transaction will update.
    pub fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// Appended to a queue `SELECT` so concurrent claimers skip each other's rows.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// An open transaction on either backend.
pub(crate) trait Db {
    /// The backend's dialect.
    fn dialect(&self) -> Dialect;

    /// Runs a statement returning rows.
    fn query(
        &mut self,
        sql: &str,
        params: &[Val],
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>>;

    /// Runs a statement; returns the rows changed.
    fn execute(
        &mut self,
        sql: &str,
        params: &[Val],
    ) -> impl Future<Output = Result<u64, StoreError>>;

    /// Runs several statements without parameters (schema changes).
    fn batch(&mut self, sql: &str) -> impl Future<Output = Result<(), StoreError>>;

    /// The first row, or `None`.
    fn query_opt(
        &mut self,
        sql: &str,
        params: &[Val],
    ) -> impl Future<Output = Result<Option<Row>, StoreError>> {
        async move { Ok(self.query(sql, params).await?.into_iter().next()) }
    }

    /// Exactly one row.
    fn query_one(
        &mut self,
        sql: &str,
        params: &[Val],
    ) -> impl Future<Output = Result<Row, StoreError>> {
        async move {
            self.query_opt(sql, params)
                .await?
                .ok_or_else(|| StoreError::Corrupt("a query expected one row returned none".into()))
        }
    }
}
