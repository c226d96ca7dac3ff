//! Output of the service's local commands: `token create/list/revoke` and
//! `audit verify`. Names are input: they are shown through [`crate::visible`].

use crate::visible;
use supplyscreen_store::{AuditCheck, TokenInfo};

/// The note that goes with a new token (the token itself is printed alone, so that
/// `$(supplyscreen token create ...)` captures just it).
pub fn render_token_created(token: &TokenInfo) -> String {
    format!(
        "created token {} for {} ({}); it is shown once and only its salted hash is stored\n",
        token.id,
        quoted(&token.name),
        token.role
    )
}

/// The tokens as a table: id, role, name, created, by, revoked.
pub fn render_token_list(tokens: &[TokenInfo]) -> String {
    if tokens.is_empty() {
        return "no tokens\n".into();
    }
    let rows: Vec<[String; 6]> = tokens
        .iter()
        .map(|t| {
            [
                t.id.to_string(),
                t.role.to_string(),
                visible(&t.name).into_owned(),
                t.created_at.to_string(),
                visible(&t.created_by).into_owned(),
                t.revoked_at.map_or_else(|| "-".into(), |r| r.to_string()),
            ]
        })
        .collect();
    let header = ["id", "role", "name", "created", "by", "revoked"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// What `token revoke` did.
pub fn render_token_revoked(token: &TokenInfo) -> String {
    format!(
        "revoked token {} ({}, {})\n",
        token.id,
        quoted(&token.name),
        token.role
    )
}

/// The result of `audit verify`: entries and head when intact, else the first bad entry.
pub fn render_audit_check(check: &AuditCheck) -> String {
    match check {
        AuditCheck::Intact { entries, head } => {
            format!("audit log intact: {entries} entries, head {head}\n")
        }
        AuditCheck::Broken { seq, reason } => {
            format!("audit log broken at entry {seq}: {reason}\n")
        }
    }
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", visible(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use supplyscreen_store::{AuditBreak, Role, TokenId};

    fn token(id: i64, name: &str, revoked: bool) -> TokenInfo {
        let at = jiff::Timestamp::from_second(1_800_000_000).expect("time");
        TokenInfo {
            id: TokenId(id),
            name: name.into(),
            role: Role::Submitter,
            created_at: at,
            created_by: "local:cli:ops".into(),
            revoked_at: revoked.then_some(at),
        }
    }

    #[test]
    fn token_list_aligns_columns_and_shows_controls_in_names() {
        let text = render_token_list(&[token(1, "ci", false), token(12, "evil\u{1b}[2J", true)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("id  role       name"), "{text}");
        assert!(
            lines[2].starts_with("12  submitter  evil\\x1b[2J"),
            "{text}"
        );
        assert!(lines[1].ends_with(" -"), "{text}");
        assert!(!text.contains('\u{1b}'));
        assert_eq!(render_token_list(&[]), "no tokens\n");
    }

    #[test]
    fn audit_check_names_the_first_bad_entry() {
        let broken = AuditCheck::Broken {
            seq: 7,
            reason: AuditBreak::HashMismatch,
        };
        assert_eq!(
            render_audit_check(&broken),
            "audit log broken at entry 7: its content does not match its hash (changed)\n"
        );
        let intact = AuditCheck::Intact {
            entries: 3,
            head: "ab".repeat(32),
        };
        assert!(render_audit_check(&intact).starts_with("audit log intact: 3 entries, head abab"));
    }
}
