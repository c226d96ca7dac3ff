//! The PostgreSQL backend: a deadpool pool of tokio-postgres connections (TLS when
//! the URL says `sslmode=require`, see `pg_tls`), statements prepared
//! once per connection, every operation in its own transaction (READ COMMITTED, with
//! the row locks the operations take). Migrations run under a transaction-scoped
//! advisory lock so several instances starting at once apply them once.

use crate::StoreError;
use crate::db::{Db, Dialect, Row, Val};
use crate::sqlite::Mode;
use bytes::BytesMut;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

/// Connections per process.
const POOL_SIZE: usize = 16;
/// The advisory lock key held while migrating ("supplyscreen" folded to 63 bits).
const MIGRATION_LOCK: i64 = 0x5355_5050_4c59_5343;

/// The future of an operation run in a transaction.
pub(crate) type SendOpFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The PostgreSQL store.
#[derive(Clone)]
pub(crate) struct PgBackend {
    pool: Pool,
}

/// A transaction on one pooled connection. If it is dropped before it ends (the caller's
/// future was cancelled), the connection is closed rather than returned to the pool, so
/// the server rolls the transaction back.
pub(crate) struct PgDb {
    client: Option<Object>,
    ended: bool,
}

fn pg(context: &'static str) -> impl FnOnce(tokio_postgres::Error) -> StoreError {
    move |e| StoreError::backend(context, e)
}

impl PgBackend {
    /// Connects to `url` and migrates the database.
    pub async fn open(url: &str) -> Result<PgBackend, StoreError> {
        let (config, transport) = crate::pg_tls::parse(url)?;
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match transport {
            crate::pg_tls::Transport::Plain => {
                Manager::from_config(config, tokio_postgres::NoTls, manager_config)
            }
            crate::pg_tls::Transport::Tls(tls) => Manager::from_config(config, tls, manager_config),
        };
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(10)))
            .wait_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| StoreError::backend("building the connection pool", e))?;
        let backend = PgBackend { pool };
        backend
            .run(Mode::Write, |db| {
                Box::pin(async move {
                    db.batch(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                        .await?;
                    crate::schema::migrate(db).await
                })
            })
            .await?;
        Ok(backend)
    }

    /// Runs `op` in a transaction; commits when it succeeds.
    pub async fn run<T, F>(&self, _mode: Mode, op: F) -> Result<T, StoreError>
    where
        F: for<'a> FnOnce(&'a mut PgDb) -> SendOpFuture<'a, T>,
    {
        let client = self
            .pool
            .get()
            .await
            .map_err(|e| StoreError::backend("connecting to the database", e))?;
        client
            .batch_execute("BEGIN")
            .await
            .map_err(pg("beginning a transaction"))?;
        let mut db = PgDb {
            client: Some(client),
            ended: false,
        };
        let result = op(&mut db).await;
        let end = match &result {
            Ok(_) => "COMMIT",
            Err(_) => "ROLLBACK",
        };
        let ended = db
            .client()?
            .batch_execute(end)
            .await
            .map_err(pg("ending a transaction"));
        db.ended = ended.is_ok();
        match ended {
            Ok(()) => result,
            Err(e) => result.and(Err(e)),
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if !self.ended
            && let Some(client) = self.client.take()
        {
            drop(Object::take(client));
        }
    }
}

impl PgDb {
    fn client(&self) -> Result<&Object, StoreError> {
        self.client
            .as_ref()
            .ok_or_else(|| StoreError::Corrupt("transaction already closed".into()))
    }
}

impl ToSql for Val {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(v) => v.to_sql(ty, out),
            Val::Text(v) => v.to_sql(ty, out),
            Val::Bytes(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn read_row(row: &tokio_postgres::Row) -> Result<Row, StoreError> {
    let get = |e| StoreError::backend("reading a row", e);
    let mut vals = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let v = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i).map_err(get)?.map(Val::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)
                .map_err(get)?
                .map(|v| Val::Int(v.into()))
        } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
            row.try_get::<_, Option<String>>(i)
                .map_err(get)?
                .map(Val::Text)
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)
                .map_err(get)?
                .map(Val::Bytes)
        } else {
            return Err(StoreError::Corrupt(format!("unexpected column type {ty}")));
        };
        vals.push(v.unwrap_or(Val::Null));
    }
    Ok(Row(vals))
}

fn refs(params: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Db for PgDb {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let client = self.client()?;
        let stmt = client
            .prepare_cached(sql)
            .await
            .map_err(pg("preparing a statement"))?;
        let rows = client
            .query(&stmt, &refs(params))
            .await
            .map_err(pg("running a query"))?;
        rows.iter().map(read_row).collect()
    }

    async fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let client = self.client()?;
        let stmt = client
            .prepare_cached(sql)
            .await
            .map_err(pg("preparing a statement"))?;
        client
            .execute(&stmt, &refs(params))
            .await
            .map_err(pg("running a statement"))
    }

    async fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.client()?
            .batch_execute(sql)
            .await
            .map_err(pg("changing the schema"))
    }
}
