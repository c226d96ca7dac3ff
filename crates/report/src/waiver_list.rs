//! `supplyscreen waivers list` and the results of waiver edits.

use std::fmt::Write as _;

use serde::Serialize;
use supplyscreen_model::Date;
use supplyscreen_screen::Waiver;

/// The schema name and version of the JSON waiver list.
pub const WAIVERS_SCHEMA: &str = "supplyscreen/waivers/v1";

fn days_left(w: &Waiver, today: Date) -> i32 {
    (w.expires - today).get_days()
}

fn state(days: i32) -> &'static str {
    if days < 0 { "expired" } else { "valid" }
}

/// Renders waivers for people: one block per waiver, soonest expiry first as given.
pub fn render_waiver_list(waivers: &[Waiver], today: Date) -> String {
    crate::visible::shown(render_waiver_list_raw(waivers, today))
}

fn render_waiver_list_raw(waivers: &[Waiver], today: Date) -> String {
    if waivers.is_empty() {
        return "no waivers\n".to_owned();
    }
    let mut s = String::new();
    for w in waivers {
        let days = days_left(w, today);
        let head = if days < 0 {
            format!(
                "expired {} ({} days ago); risk was accepted by {}",
                w.expires, -days, w.approver
            )
        } else {
            format!(
                "risk accepted by {} until {} ({days} days left)",
                w.approver, w.expires
            )
        };
        let _ = writeln!(s, "{} · {} · {head}", w.at, w.directive);
        let ticket = w
            .ticket
            .as_ref()
            .map(|t| format!(" · ticket {t}"))
            .unwrap_or_default();
        let _ = writeln!(s, "  match {}{ticket}", w.match_text());
        let _ = writeln!(s, "  reason: {}", w.reason);
    }
    s
}

#[derive(Serialize)]
struct WaiverOut<'a> {
    at: &'a str,
    directive: &'a str,
    reason: &'a str,
    approver: &'a str,
    expires: String,
    days_left: i32,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket: Option<&'a str>,
    #[serde(rename = "match")]
    matches: String,
}

#[derive(Serialize)]
struct ListOut<'a> {
    schema: &'static str,
    today: String,
    waivers: Vec<WaiverOut<'a>>,
}

/// Renders waivers as pretty JSON (`supplyscreen/waivers/v1`) with a trailing newline.
pub fn render_waiver_list_json(waivers: &[Waiver], today: Date) -> serde_json::Result<String> {
    let out = ListOut {
        schema: WAIVERS_SCHEMA,
        today: today.to_string(),
        waivers: waivers
            .iter()
            .map(|w| {
                let days = days_left(w, today);
                WaiverOut {
                    at: &w.at,
                    directive: w.directive.as_str(),
                    reason: &w.reason,
                    approver: &w.approver,
                    expires: w.expires.to_string(),
                    days_left: days,
                    state: state(days),
                    ticket: w.ticket.as_deref(),
                    matches: w.match_text(),
                }
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&out)?;
    s.push('\n');
    Ok(s)
}

/// The line a table report starts with when no profile was chosen.
pub fn assumed_profile_line(profile: &str) -> String {
    crate::visible::shown(assumed_profile_line_raw(profile))
}

fn assumed_profile_line_raw(profile: &str) -> String {
    format!(
        "note: profile {profile} assumed (no --profile and no supplyscreen.toml); choose another with --profile ID (`supplyscreen kb list` lists them) or write one into supplyscreen.toml (`supplyscreen init`)\n"
    )
}

/// Marks a JSON report (`supplyscreen/report/v2`, pretty-printed) as screened
/// under an assumed profile: `"profile_assumed": true` after `"profile"`.
pub fn mark_profile_assumed_json(report: &str) -> String {
    let mut out = String::with_capacity(report.len() + 32);
    let mut done = false;
    for line in report.split_inclusive('\n') {
        out.push_str(line);
        if !done && line.starts_with("  \"profile\": ") {
            out.push_str("  \"profile_assumed\": true,\n");
            done = true;
        }
    }
    out
}
