//! Adding, renewing and pruning waivers in a waiver file with `toml_edit`:
//! only the entry edited changes; every other byte (comments, blank lines,
//! key order, quoting) stays as it was. Every edit is checked by parsing the
//! result as a waiver file, so an edit never leaves an invalid file.

use supplyscreen_kb::Kb;
use supplyscreen_model::{Date, Diagnostic, Diagnostics};
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use super::{Waiver, entry_lines, parse};

/// The `match` keys a waiver may use.
pub const MATCH_KEYS: [&str; 5] = ["entity", "part_number", "host", "path", "serial"];

/// How far ahead an expiry may be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryLimit {
    /// Today: an expiry must not be before it.
    pub today: Date,
    /// The most days after today an expiry may be (365 unless configured).
    pub max_days: u32,
}

/// A waiver to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWaiver {
    /// The directive it waives.
    pub directive: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub approver: String,
    /// Last day it applies.
    pub expires: Date,
    /// The change or risk ticket, if any.
    pub ticket: Option<String>,
    /// `match` keys and values, in the order given.
    pub matches: Vec<(String, String)>,
}

/// A renewal: a new expiry under a (new) approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewal {
    /// The new last day.
    pub expires: Date,
    /// Who approved the renewal.
    pub approver: String,
    /// A new reason, when it changed.
    pub reason: Option<String>,
    /// A new ticket, when there is one.
    pub ticket: Option<String>,
}

/// Why an edit was refused; the file is then left as it was.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The file (before or after the edit) is not a valid waiver file.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The request breaks a rule (expiry too far ahead, unknown match key, ...).
    #[error("{file}: {message}")]
    Refused {
        /// The waiver file.
        file: String,
        /// Why.
        message: String,
    },
}

impl From<Diagnostics> for EditError {
    fn from(d: Diagnostics) -> Self {
        Self::Invalid(d)
    }
}

fn refused(file: &str, message: impl Into<String>) -> EditError {
    EditError::Refused {
        file: file.to_owned(),
        message: message.into(),
    }
}

/// Checks that `expires` is today or later and at most `max_days` ahead.
pub fn check_expiry(file: &str, expires: Date, limit: ExpiryLimit) -> Result<(), EditError> {
    if expires < limit.today {
        return Err(refused(
            file,
            format!("expiry {expires} is before today ({})", limit.today),
        ));
    }
    let days = (expires - limit.today).get_days();
    if days > i32::try_from(limit.max_days).unwrap_or(i32::MAX) {
        return Err(refused(
            file,
            format!(
                "expiry {expires} is {days} days ahead; at most {} days are allowed (--max-days)",
                limit.max_days
            ),
        ));
    }
    Ok(())
}

fn document(file: &str, text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>().map_err(|e| {
        let line = e
            .span()
            .map_or(0, |s| u64::from(supplyscreen_kb::line_at(text, s.start)));
        EditError::Invalid(Diagnostics(vec![Diagnostic::error(
            file,
            line,
            e.message().trim(),
        )]))
    })
}

/// Appends a waiver to the file's text; returns the new text.
pub fn add(
    file: &str,
    text: &str,
    kb: &Kb,
    w: &NewWaiver,
    limit: ExpiryLimit,
) -> Result<String, EditError> {
    parse(file, text, kb)?;
    check_expiry(file, w.expires, limit)?;
    if let Some((k, _)) = w
        .matches
        .iter()
        .find(|(k, _)| !MATCH_KEYS.contains(&k.as_str()))
    {
        let keys = MATCH_KEYS.join(", ");
        return Err(refused(
            file,
            format!("unknown match key {k:?} (keys: {keys})"),
        ));
    }
    let mut t = Table::new();
    t.insert("directive", toml_edit::value(w.directive.as_str()));
    t.insert("reason", toml_edit::value(w.reason.as_str()));
    t.insert("approver", toml_edit::value(w.approver.as_str()));
    t.insert("expires", toml_edit::value(w.expires.to_string()));
    if let Some(ticket) = &w.ticket {
        t.insert("ticket", toml_edit::value(ticket.as_str()));
    }
    let mut m = InlineTable::new();
    for (k, v) in &w.matches {
        m.insert(k, v.as_str().into());
    }
    t.insert("match", Item::Value(Value::InlineTable(m)));
    let mut list = ArrayOfTables::new();
    list.push(t);
    let mut entry = DocumentMut::new();
    entry.insert("waivers", Item::ArrayOfTables(list));
    // The entry is appended as text: every byte already in the file stays.
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.trim().is_empty() {
        out.push('\n');
    }
    out.push_str(&entry.to_string());
    parse(file, &out, kb)?;
    Ok(out)
}

/// Index of the waiver entry that starts at, or contains, `line` (an entry
/// runs from its `[[waivers]]` line to the line before the next one).
fn entry_at(file: &str, text: &str, line: u64) -> Result<usize, EditError> {
    let starts = entry_lines(file, text)?;
    let last_line = u64::try_from(text.lines().count()).unwrap_or(u64::MAX);
    starts
        .iter()
        .rposition(|first| *first <= line)
        .filter(|_| line <= last_line)
        .ok_or_else(|| {
            refused(
                file,
                format!("no waiver at line {line} (see `supplyscreen waivers list`)"),
            )
        })
}

/// Sets `key` to a string, keeping the spacing and comments around an existing value.
fn set(t: &mut Table, key: &str, value: &str) {
    match t.get_mut(key).and_then(Item::as_value_mut) {
        Some(v) => {
            let decor = v.decor().clone();
            *v = value.into();
            *v.decor_mut() = decor;
        }
        None => {
            t.insert(key, toml_edit::value(value));
        }
    }
}

/// Renews the waiver at `line` (its `[[waivers]]` line or any line of it).
pub fn renew(
    file: &str,
    text: &str,
    kb: &Kb,
    line: u64,
    r: &Renewal,
    limit: ExpiryLimit,
) -> Result<String, EditError> {
    parse(file, text, kb)?;
    check_expiry(file, r.expires, limit)?;
    let index = entry_at(file, text, line)?;
    let mut doc = document(file, text)?;
    let t = doc
        .get_mut("waivers")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|a| a.get_mut(index))
        .ok_or_else(|| refused(file, format!("no waiver at line {line}")))?;
    set(t, "expires", &r.expires.to_string());
    set(t, "approver", &r.approver);
    if let Some(reason) = &r.reason {
        set(t, "reason", reason);
    }
    if let Some(ticket) = &r.ticket {
        set(t, "ticket", ticket);
    }
    let out = doc.to_string();
    parse(file, &out, kb)?;
    Ok(out)
}

/// Removes every waiver that expired before `today`; returns the new text
/// and the waivers removed. A removed entry's own leading comment goes with it.
pub fn prune(
    file: &str,
    text: &str,
    kb: &Kb,
    today: Date,
) -> Result<(String, Vec<Waiver>), EditError> {
    let waivers = parse(file, text, kb)?;
    let expired: Vec<usize> = (0..waivers.len())
        .filter(|i| waivers[*i].expires < today)
        .collect();
    if expired.is_empty() {
        return Ok((text.to_owned(), Vec::new()));
    }
    let mut doc = document(file, text)?;
    let mut to_trailer = String::new();
    if let Some(list) = doc
        .get_mut("waivers")
        .and_then(Item::as_array_of_tables_mut)
    {
        for i in expired.iter().rev() {
            let kept = list
                .get(*i)
                .map(|t| detached_comments(prefix(t)))
                .unwrap_or_default();
            list.remove(*i);
            if kept.is_empty() {
                continue;
            }
            // Comments set apart from the entry by a blank line (a file's
            // heading) belong to what follows, not to the entry removed.
            match list.get_mut(*i) {
                Some(next) => {
                    let rest = prefix(next).trim_start_matches('\n').to_owned();
                    next.decor_mut().set_prefix(format!("{kept}{rest}"));
                }
                None => to_trailer = kept,
            }
        }
    }
    if !to_trailer.is_empty() {
        let trailing = doc.trailing().as_str().unwrap_or("");
        let trailing = trailing.trim_start_matches('\n').to_owned();
        doc.set_trailing(format!("{to_trailer}{trailing}"));
    }
    let out = doc.to_string();
    parse(file, &out, kb)?;
    let removed = expired.into_iter().map(|i| waivers[i].clone()).collect();
    Ok((out, removed))
}

fn prefix(t: &Table) -> &str {
    t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("")
}

/// The part of an entry's leading text that is not its own comment: every
/// line up to the last blank one, when it holds a comment.
fn detached_comments(prefix: &str) -> String {
    let lines: Vec<&str> = prefix.split_inclusive('\n').collect();
    let Some(last_blank) = lines.iter().rposition(|l| l.trim().is_empty()) else {
        return String::new();
    };
    let kept = lines[..=last_blank].concat();
    if kept.contains('#') {
        kept
    } else {
        String::new()
    }
}
