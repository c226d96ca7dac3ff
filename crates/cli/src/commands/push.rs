//! `collect --push`: sends this machine's inventory to a `supplyscreen serve`
//! (`POST /v1/inventories`), which stores it and screens it in the background.

use std::time::Duration;

use crate::CliError;

/// Percent-encodes a query value.
fn query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The upload URL for a server's base URL.
pub fn upload_url(base: &str, profile: &str, host: &str) -> String {
    format!(
        "{}/v1/inventories?name={}&profile={}&action=inventory&host={}",
        base.trim_end_matches('/'),
        query_value(&format!("collect-{host}.jsonl")),
        query_value(profile),
        query_value(host),
    )
}

/// Posts the inventory; returns the server's answer (`{"scan": ID, ...}`)
/// with a newline. A refused push is an error quoting the server's message.
pub fn push(
    base: &str,
    token: &str,
    profile: &str,
    host: &str,
    body: Vec<u8>,
) -> Result<String, CliError> {
    let url = upload_url(base, profile, host);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let failed = |e: &dyn std::fmt::Display| CliError::Service(format!("push to {base}: {e}"));
    let mut res = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/octet-stream")
        .send(&body[..])
        .map_err(|e| failed(&e))?;
    let status = res.status().as_u16();
    let text = res
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .map_err(|e| failed(&e))?;
    if status == 202 {
        Ok(format!("{}\n", text.trim_end()))
    } else {
        let shown = supplyscreen_report::visible(text.trim());
        Err(failed(&format!("the server answered {status}: {shown}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_host_and_encodes_values() {
        assert_eq!(
            upload_url("http://10.0.0.5:8080/", "cn-cii", "db 07"),
            "http://10.0.0.5:8080/v1/inventories?name=collect-db%2007.jsonl&profile=cn-cii&action=inventory&host=db%2007"
        );
    }
}
