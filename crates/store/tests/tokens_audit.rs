//! Tokens, authentication, revocation and the audit chain, on both backends.

mod common;

use common::{Fixture, local, t};
use std::time::Duration;
use supplyscreen_store::{
    Actor, AuditBreak, AuditCheck, AuditEvent, GENESIS_HASH, PageRequest, Permission, Role,
    StoreError, TokenId,
};

both!(
    tokens_authenticate_list_and_revoke,
    revocation_elsewhere_takes_effect_within_the_cache_time,
    audit_chain_intact_after_changes,
    audit_detects_a_changed_entry,
    audit_detects_a_removed_entry,
    audit_detects_reordered_entries,
    audit_detects_a_removed_tail,
    migrations_are_idempotent_and_concurrent_opens_agree,
    database_errors_show_no_sql,
);

async fn tokens_authenticate_list_and_revoke(f: Fixture) {
    let s = &f.store;
    let (info, secret) = s
        .create_token("alice", Role::Approver, &local("cli"), t(0))
        .await
        .expect("create");
    assert_eq!(info.role, Role::Approver);
    assert_eq!(info.created_by, "local:cli");
    assert!(secret.expose().starts_with(&format!("sst_{}_", info.id)));
    assert!(!format!("{secret:?}").contains(secret.expose()));

    let p = s
        .authenticate(secret.expose())
        .await
        .expect("auth")
        .expect("valid");
    assert_eq!(
        (p.token_id, p.name.as_str(), p.role),
        (info.id, "alice", Role::Approver)
    );
    assert!(p.role.can(Permission::DecideWaiver) && !p.role.can(Permission::ManageTokens));

    // A wrong secret with the right id, garbage, and an unknown id are all refused.
    let mut wrong = secret.expose().to_owned();
    let last = wrong.pop().expect("non-empty");
    wrong.push(if last == '0' { '1' } else { '0' });
    assert_eq!(s.authenticate(&wrong).await.expect("auth"), None);
    assert_eq!(s.authenticate("Bearer nonsense").await.expect("auth"), None);
    let unknown = format!("sst_999_{}", "a".repeat(64));
    assert_eq!(s.authenticate(&unknown).await.expect("auth"), None);

    // Only the salt and hash are stored: the secret appears nowhere in the table.
    assert_eq!(f.raw_count("SELECT COUNT(*) FROM tokens").await, 1);
    let (viewer, _) = s
        .create_token("dash", Role::Viewer, &local("cli"), t(1))
        .await
        .expect("create");
    let listed = s.list_tokens().await.expect("list");
    assert_eq!(
        listed.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["alice", "dash"]
    );

    let revoked = s
        .revoke_token(info.id, &local("cli"), t(2))
        .await
        .expect("revoke");
    assert_eq!(revoked.revoked_at, Some(t(2)));
    assert_eq!(
        s.authenticate(secret.expose()).await.expect("auth"),
        None,
        "revoked at once here"
    );
    assert!(matches!(
        s.revoke_token(info.id, &local("cli"), t(3)).await,
        Err(StoreError::TokenAlreadyRevoked(id)) if id == info.id
    ));
    assert!(matches!(
        s.revoke_token(TokenId(4242), &local("cli"), t(3)).await,
        Err(StoreError::TokenNotFound(TokenId(4242)))
    ));
    assert_eq!(
        s.list_tokens()
            .await
            .expect("list")
            .iter()
            .filter(|t| t.revoked_at.is_none())
            .count(),
        1
    );
    assert!(
        s.list_tokens()
            .await
            .expect("list")
            .iter()
            .any(|t| t.id == viewer.id)
    );
    assert!(matches!(
        s.create_token("  ", Role::Admin, &local("cli"), t(4)).await,
        Err(StoreError::Invalid(_))
    ));
}

async fn revocation_elsewhere_takes_effect_within_the_cache_time(f: Fixture) {
    let (info, secret) = f
        .store
        .create_token("ci", Role::Submitter, &local("cli"), t(0))
        .await
        .expect("create");
    assert!(
        f.store
            .authenticate(secret.expose())
            .await
            .expect("auth")
            .is_some()
    );
    let other = f.another().await;
    other
        .revoke_token(info.id, &local("cli"), t(1))
        .await
        .expect("revoke elsewhere");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        f.store.authenticate(secret.expose()).await.expect("auth"),
        None
    );
}

/// Five audited changes: two tokens, a revocation, an upload, a waiver proposal.
async fn five_entries(f: &Fixture) {
    let s = &f.store;
    let (a, _) = s
        .create_token("a", Role::Admin, &local("cli"), t(0))
        .await
        .expect("token");
    s.create_token("b", Role::Viewer, &local("cli"), t(1))
        .await
        .expect("token");
    s.revoke_token(a.id, &local("cli"), t(2))
        .await
        .expect("revoke");
    let upload = supplyscreen_store::Upload {
        name: "inventory.csv".into(),
        host: Some("db-07".into()),
        profile: "cn".into(),
        action: "install".into(),
        body: b"Vendor,Part\nMicron,MT40A1G8\n".to_vec(),
    };
    s.add_upload(upload, &local("cli"), t(3))
        .await
        .expect("upload");
    s.set_kb_state("2026.11", "kbhash1", &local("service"), t(4))
        .await
        .expect("kb");
}

async fn audit_chain_intact_after_changes(f: Fixture) {
    assert_eq!(
        f.store.verify_audit().await.expect("verify"),
        AuditCheck::Intact {
            entries: 0,
            head: GENESIS_HASH.into()
        }
    );
    five_entries(&f).await;
    let page = f
        .store
        .audit_entries(PageRequest {
            limit: 10,
            offset: 0,
        })
        .await
        .expect("entries");
    assert_eq!(page.total, 5);
    let kinds: Vec<_> = page.items.iter().map(|e| e.event).collect();
    assert_eq!(
        kinds,
        [
            AuditEvent::TokenCreated,
            AuditEvent::TokenCreated,
            AuditEvent::TokenRevoked,
            AuditEvent::InventoryUploaded,
            AuditEvent::KbChanged
        ]
    );
    assert_eq!(page.items[0].prev_hash, GENESIS_HASH);
    for pair in page.items.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
        assert_eq!(pair[1].seq, pair[0].seq + 1);
    }
    assert_eq!(page.items[3].subject, "upload:1");
    assert!(page.items[3].detail.contains("\"host\":\"db-07\""));
    assert_eq!(page.items[2].at, t(2));
    let head = page.items[4].hash.clone();
    assert_eq!(
        f.store.verify_audit().await.expect("verify"),
        AuditCheck::Intact { entries: 5, head }
    );
    let second = f
        .store
        .audit_entries(PageRequest {
            limit: 2,
            offset: 4,
        })
        .await
        .expect("page");
    assert_eq!((second.items.len(), second.next), (1, None));
}

async fn audit_detects_a_changed_entry(f: Fixture) {
    five_entries(&f).await;
    f.raw("UPDATE audit_log SET actor = 'local:someone-else' WHERE seq = 3")
        .await;
    assert_eq!(
        f.store.verify_audit().await.expect("verify"),
        AuditCheck::Broken {
            seq: 3,
            reason: AuditBreak::HashMismatch
        }
    );
}

async fn audit_detects_a_removed_entry(f: Fixture) {
    five_entries(&f).await;
    f.raw("DELETE FROM audit_log WHERE seq = 2").await;
    assert_eq!(
        f.store.verify_audit().await.expect("verify"),
        AuditCheck::Broken {
            seq: 2,
            reason: AuditBreak::SequenceGap
        }
    );
}

async fn audit_detects_reordered_entries(f: Fixture) {
    five_entries(&f).await;
    f.raw(
        "UPDATE audit_log SET seq = -4 WHERE seq = 4; \
         UPDATE audit_log SET seq = 4 WHERE seq = 3; \
         UPDATE audit_log SET seq = 3 WHERE seq = -4;",
    )
    .await;
    let check = f.store.verify_audit().await.expect("verify");
    assert!(
        matches!(check, AuditCheck::Broken { seq: 3, .. }),
        "{check:?}"
    );
}

async fn audit_detects_a_removed_tail(f: Fixture) {
    five_entries(&f).await;
    f.raw("DELETE FROM audit_log WHERE seq = 5").await;
    assert_eq!(
        f.store.verify_audit().await.expect("verify"),
        AuditCheck::Broken {
            seq: 5,
            reason: AuditBreak::HeadMismatch
        }
    );
}

async fn migrations_are_idempotent_and_concurrent_opens_agree(f: Fixture) {
    let opens = (0..4).map(|_| {
        let location = f.location.clone();
        tokio::spawn(async move { supplyscreen_store::Store::open(location).await })
    });
    for open in opens {
        open.await.expect("join").expect("concurrent open");
    }
    assert_eq!(
        f.raw_count("SELECT COUNT(*) FROM schema_migrations").await,
        1
    );
    let again = f.another().await;
    let (_, secret) = again
        .create_token("after-reopen", Role::Viewer, &Actor::local("cli"), t(0))
        .await
        .expect("usable after reopening");
    assert!(
        f.store
            .authenticate(secret.expose())
            .await
            .expect("auth")
            .is_some()
    );
}

async fn database_errors_show_no_sql(f: Fixture) {
    f.raw("DROP TABLE rescreens").await;
    let err = f
        .store
        .rescreens(PageRequest::default())
        .await
        .expect_err("the table is gone");
    assert_eq!(err.kind(), supplyscreen_store::StoreErrorKind::Unavailable);
    let shown = err.to_string();
    assert!(shown.starts_with("database error ("), "{shown}");
    assert!(
        !shown.contains("rescreens") && !shown.contains("SELECT"),
        "{shown}"
    );
    assert!(
        std::error::Error::source(&err).is_some(),
        "the cause is kept for logs"
    );
}
