//! Every operation, written once against [`crate::db::Db`] and run by both backends.

pub(crate) mod audit;
pub(crate) mod kb;
pub(crate) mod scans;
pub(crate) mod tokens;
pub(crate) mod views;
pub(crate) mod waivers;

use crate::db::{Db, Row, Val};
use crate::{Page, PageRequest, StoreError};

/// Runs a page query (`sql` ending before `LIMIT`) and its count; `params` are shared.
pub(crate) async fn paged<D: Db, T>(
    db: &mut D,
    sql: &str,
    count_sql: &str,
    params: Vec<Val>,
    page: PageRequest,
    map: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Page<T>, StoreError> {
    let total = db.query_one(count_sql, &params).await?.int(0)?;
    let n = params.len();
    let sql = format!("{sql} LIMIT ${} OFFSET ${}", n + 1, n + 2);
    let mut all = params;
    all.push(Val::Int(i64::from(page.effective_limit())));
    all.push(Val::Int(i64::try_from(page.offset).unwrap_or(i64::MAX)));
    let rows = db.query(&sql, &all).await?;
    let items = rows.iter().map(map).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::new(page, items, u64::try_from(total).unwrap_or(0)))
}

/// Parses stored JSON text.
pub(crate) fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("stored JSON: {e}")))
}

/// Encodes a value as stored JSON text.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("encoding JSON: {e}")))
}

/// Refuses an empty or overlong text argument.
pub(crate) fn require_text(what: &str, value: &str, max: usize) -> Result<(), StoreError> {
    if value.trim().is_empty() {
        return Err(StoreError::Invalid(format!("{what} is empty")));
    }
    if value.len() > max {
        return Err(StoreError::Invalid(format!(
            "{what} is longer than {max} bytes"
        )));
    }
    Ok(())
}
