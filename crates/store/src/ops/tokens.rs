//! Tokens: creation, lookup for authentication, listing, revocation.

use super::audit::Head;
use super::require_text;
use crate::crypto::{bearer, constant_time_eq, hex, random_bytes, token_hash};
use crate::db::{Db, Row, Val};
use crate::{Actor, AuditEvent, Principal, Role, SecretToken, StoreError, TokenId, TokenInfo};
use jiff::Timestamp;
use serde_json::json;

const COLUMNS: &str = "id, name, role, created_at, created_by, revoked_at";

fn info(row: &Row) -> Result<TokenInfo, StoreError> {
    let role = row.text(2)?;
    Ok(TokenInfo {
        id: TokenId(row.int(0)?),
        name: row.text(1)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
        created_at: row.time(3)?,
        created_by: row.text(4)?,
        revoked_at: row.opt_time(5)?,
    })
}

/// Creates a token and audits it.
pub(crate) async fn create<D: Db>(
    db: &mut D,
    name: &str,
    role: Role,
    actor: &Actor,
    at: Timestamp,
) -> Result<(TokenInfo, SecretToken), StoreError> {
    require_text("token name", name, 200)?;
    let mut head = Head::lock(db).await?;
    let salt = random_bytes::<16>()?.to_vec();
    let secret = hex(&random_bytes::<32>()?);
    let hash = token_hash(&salt, &secret);
    let row = db
        .query_one(
            &format!(
                "INSERT INTO tokens (name, role, salt, hash, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
            ),
            &[
                Val::from(name),
                Val::from(role.as_str()),
                Val::Bytes(salt),
                Val::Bytes(hash),
                Val::from(at),
                Val::from(actor.label()),
            ],
        )
        .await?;
    let token = info(&row)?;
    head.append(
        db,
        at,
        actor,
        AuditEvent::TokenCreated,
        &format!("token:{}", token.id),
        &json!({"name": name, "role": role}),
    )
    .await?;
    let secret = SecretToken(bearer(token.id.0, &secret));
    Ok((token, secret))
}

/// The principal of a token id and secret, or `None` when unknown, revoked or wrong.
pub(crate) async fn lookup<D: Db>(
    db: &mut D,
    id: i64,
    secret: &str,
) -> Result<Option<Principal>, StoreError> {
    let row = db
        .query_opt(
            "SELECT name, role, salt, hash, revoked_at FROM tokens WHERE id = $1",
            &[Val::Int(id)],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let expected = row.bytes(3)?;
    let valid = constant_time_eq(&token_hash(&row.bytes(2)?, secret), &expected);
    if !valid || row.opt_int(4)?.is_some() {
        return Ok(None);
    }
    let role = row.text(1)?;
    Ok(Some(Principal {
        token_id: TokenId(id),
        name: row.text(0)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
    }))
}

/// Every token, oldest first.
pub(crate) async fn list<D: Db>(db: &mut D) -> Result<Vec<TokenInfo>, StoreError> {
    let rows = db
        .query(&format!("SELECT {COLUMNS} FROM tokens ORDER BY id"), &[])
        .await?;
    rows.iter().map(info).collect()
}

/// Revokes a token and audits it.
pub(crate) async fn revoke<D: Db>(
    db: &mut D,
    id: TokenId,
    actor: &Actor,
    at: Timestamp,
) -> Result<TokenInfo, StoreError> {
    let mut head = Head::lock(db).await?;
    let select = format!(
        "SELECT {COLUMNS} FROM tokens WHERE id = $1{}",
        db.dialect().for_update()
    );
    let row = db
        .query_opt(&select, &[Val::Int(id.0)])
        .await?
        .ok_or(StoreError::TokenNotFound(id))?;
    if info(&row)?.revoked_at.is_some() {
        return Err(StoreError::TokenAlreadyRevoked(id));
    }
    let row = db
        .query_one(
            &format!("UPDATE tokens SET revoked_at = $1 WHERE id = $2 RETURNING {COLUMNS}"),
            &[Val::from(at), Val::Int(id.0)],
        )
        .await?;
    let token = info(&row)?;
    head.append(
        db,
        at,
        actor,
        AuditEvent::TokenRevoked,
        &format!("token:{id}"),
        &json!({"name": token.name, "role": token.role}),
    )
    .await?;
    Ok(token)
}
