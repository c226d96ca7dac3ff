//! `collect --push`: sends this machine's inventory to a `supplyscreen serve`
//! (`POST /v1/inventories`), which stores it and screens it in the background.
//! `https://` is verified against Mozilla's root certificates, or against the
//! authorities of `--ca-cert` for a private CA.

use std::path::Path;
use std::time::Duration;

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, parse_pem};

use crate::CliError;

/// Where an inventory goes and with which credentials.
pub struct Target {
    base: String,
    token: String,
    https: bool,
    roots: Option<Vec<Certificate<'static>>>,
}

impl Target {
    /// Checks the URL's scheme and reads `--ca-cert`; an http URL with a
    /// CA file, another scheme or an unreadable or empty PEM file is an error.
    pub fn new(base: &str, token: Option<&str>, ca: Option<&Path>) -> Result<Self, CliError> {
        let lower = base.to_ascii_lowercase();
        let https = lower.starts_with("https://");
        if !https && !lower.starts_with("http://") {
            return Err(CliError::Service(format!(
                "push to {base}: the URL must start with https:// or http://"
            )));
        }
        let roots = match ca {
            Some(_) if !https => {
                return Err(CliError::Service(format!(
                    "push to {base}: --ca-cert needs an https:// URL"
                )));
            }
            Some(path) => Some(read_roots(path)?),
            None => None,
        };
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            token: token.unwrap_or_default().to_owned(),
            https,
            roots,
        })
    }

    /// A warning when the token would cross the network unencrypted (plain
    /// http to a host that is not this machine).
    pub fn plain_http_warning(&self) -> Option<String> {
        if self.https || loopback(&self.base) {
            return None;
        }
        Some(format!(
            "warning: pushing to {} over plain http: the bearer token and the inventory travel unencrypted; use https:// (a TLS-terminating proxy in front of the server)",
            self.base
        ))
    }

    /// Posts the inventory; returns the server's answer (`{"scan": ID, ...}`)
    /// with a newline. A refused push is an error quoting the server's message.
    pub fn push(&self, profile: &str, host: &str, body: Vec<u8>) -> Result<String, CliError> {
        let url = upload_url(&self.base, profile, host);
        let failed =
            |e: &dyn std::fmt::Display| CliError::Service(format!("push to {}: {e}", self.base));
        let mut res = self
            .agent()
            .post(&url)
            .header("Authorization", &format!("Bearer {}", self.token))
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

    fn agent(&self) -> ureq::Agent {
        let mut tls = TlsConfig::builder();
        if let Some(roots) = &self.roots {
            tls = tls.root_certs(RootCerts::new_with_certs(roots));
        }
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .https_only(self.https)
            .timeout_global(Some(Duration::from_secs(60)))
            .tls_config(tls.build())
            .build()
            .into()
    }
}

/// The certificates of a PEM file (private keys in it are ignored).
fn read_roots(path: &Path) -> Result<Vec<Certificate<'static>>, CliError> {
    let bytes = std::fs::read(path).map_err(|source| CliError::Io {
        path: path.to_owned(),
        action: "read",
        source,
    })?;
    let mut certs = Vec::new();
    for item in parse_pem(&bytes) {
        match item {
            Ok(PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => {
                return Err(CliError::Service(format!(
                    "--ca-cert {}: not a PEM certificate file: {e}",
                    path.display()
                )));
            }
        }
    }
    if certs.is_empty() {
        return Err(CliError::Service(format!(
            "--ca-cert {}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it",
            path.display()
        )));
    }
    Ok(certs)
}

/// Whether a URL's host is this machine (`localhost`, 127.0.0.0/8, `[::1]`).
fn loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

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

    #[test]
    fn plain_http_is_a_warning_unless_the_server_is_this_machine() {
        let warn = |url: &str| {
            Target::new(url, Some("t"), None)
                .expect("valid")
                .plain_http_warning()
        };
        assert!(warn("http://10.0.0.5:8080").is_some());
        assert!(warn("http://screen.example.org/").is_some());
        assert!(warn("http://127.0.0.1:8080").is_none());
        assert!(warn("http://localhost:8080/").is_none());
        assert!(warn("http://[::1]:8080").is_none());
        assert!(warn("https://screen.example.org").is_none());
    }

    #[test]
    fn a_url_without_http_or_a_ca_file_for_http_is_refused() {
        let err = |url: &str, ca: Option<&Path>| {
            Target::new(url, Some("t"), ca)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(err("ftp://x", None).contains("must start with https:// or http://"));
        assert!(err("10.0.0.5:8080", None).contains("must start with"));
        assert!(
            err("http://10.0.0.5", Some(Path::new("ca.pem"))).contains("--ca-cert needs an https")
        );
    }
}
