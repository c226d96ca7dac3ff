//! The PostgreSQL store over TLS (`sslmode=require&sslrootcert=…`) against the
//! test server `.ci/postgres` starts with TLS on: the role `supplyscreen_tls` may
//! only connect over TLS, so a store that works as that role really used TLS; the
//! same role without TLS, and a server certificate the given authority did not
//! sign, are refused. Skips with a message when no TLS test server is configured.
#![allow(clippy::print_stderr)]

use jiff::Timestamp;
use supplyscreen_store::{Actor, AuditCheck, Location, Role, Store, StoreError};

const TLS_ENV: &str = "SUPPLYSCREEN_TEST_PG_TLS_URL";
const PG_ENV: &str = "SUPPLYSCREEN_TEST_DATABASE_URL";

/// The TLS URL, its database replaced by a fresh one; `None` (with a message)
/// when the test server has no TLS role.
async fn fresh_tls_url() -> Option<String> {
    let (Ok(tls), Ok(plain)) = (std::env::var(TLS_ENV), std::env::var(PG_ENV)) else {
        eprintln!("skipped: {TLS_ENV} is not set, so PostgreSQL over TLS is not tested here");
        return None;
    };
    let name = format!(
        "supplyscreen_tls_{}_{}",
        std::process::id(),
        Timestamp::now().as_microsecond()
    );
    let (client, conn) = tokio_postgres::connect(&plain, tokio_postgres::NoTls)
        .await
        .expect("connect to the test server");
    tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    Some(tls.replacen("/postgres?", &format!("/{name}?"), 1))
}

/// The error and every source under it, as one line.
fn chain(e: &StoreError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[tokio::test]
async fn the_store_works_over_tls_verified_against_the_given_authority() {
    let Some(url) = fresh_tls_url().await else {
        return;
    };
    let store = Store::open(Location::Postgres(url.clone()))
        .await
        .unwrap_or_else(|e| panic!("open over TLS: {}", chain(&e)));
    let at = Timestamp::from_second(1_790_000_000).expect("time");
    store
        .create_token("tls-check", Role::Viewer, &Actor::local("test"), at)
        .await
        .expect("create a token over TLS");
    let tokens = store.list_tokens().await.expect("list over TLS");
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].name, "tls-check");
    let check = store.verify_audit().await.expect("verify over TLS");
    assert!(
        matches!(check, AuditCheck::Intact { entries: 1, .. }),
        "{check:?}"
    );

    // The same role and database without TLS: the server refuses it.
    let plain = url
        .split_once('?')
        .map(|(base, _)| base.to_owned())
        .expect("query");
    let Err(refused) = Store::open(Location::Postgres(plain)).await else {
        panic!("connected although it should be refused");
    };
    let text = chain(&refused);
    assert!(
        text.contains("no encryption") || text.contains("pg_hba.conf"),
        "{text}"
    );

    // Told to trust only another authority: the certificate is refused.
    let other = url.replace("/tls/ca.pem", "/tls/other-ca.pem");
    assert_ne!(other, url);
    let Err(refused) = Store::open(Location::Postgres(other)).await else {
        panic!("connected although it should be refused");
    };
    let text = chain(&refused).to_lowercase();
    assert!(text.contains("certificate"), "{text}");
}
