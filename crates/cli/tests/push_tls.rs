//! `collect --push https://…`: the inventory reaches a TLS endpoint whose
//! certificate a private CA (`--ca-cert`) signed, with the bearer token and
//! the upload query; a server the given CA did not sign is refused before
//! anything is sent. The endpoint stands in for a TLS-terminating proxy in
//! front of `supplyscreen serve`: it answers 202 as the server does.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::thread::JoinHandle;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel)
}

/// What the endpoint received: the request line, the Authorization header
/// and the body.
type Received = (String, String, Vec<u8>);

/// Serves one TLS connection on a loopback port with the test server
/// certificate; gives the port and the received request (an error when the
/// handshake fails).
fn tls_endpoint() -> (u16, JoinHandle<Result<Received, String>>) {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(fixture("tls/server.pem"))
            .expect("server.pem")
            .collect::<Result<_, _>>()
            .expect("certificates");
    let key = PrivateKeyDer::from_pem_file(fixture("tls/server.key")).expect("server.key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("server config");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().map_err(|e| e.to_string())?;
        let conn = rustls::ServerConnection::new(Arc::new(config)).map_err(|e| e.to_string())?;
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        let received = read_request(&mut tls)?;
        let answer = br#"{"scan":7,"status":"queued"}"#;
        let head = format!(
            "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            answer.len()
        );
        tls.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
        tls.write_all(answer).map_err(|e| e.to_string())?;
        tls.conn.send_close_notify();
        let _ = tls.flush();
        Ok(received)
    });
    (port, handle)
}

/// Reads one HTTP/1.1 request with a Content-Length body.
fn read_request(stream: &mut impl Read) -> Result<Received, String> {
    let mut r = BufReader::new(stream);
    let mut line = String::new();
    r.read_line(&mut line).map_err(|e| e.to_string())?;
    let request_line = line.trim_end().to_owned();
    let (mut auth, mut length) = (String::new(), 0usize);
    loop {
        line.clear();
        r.read_line(&mut line).map_err(|e| e.to_string())?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        match name.to_ascii_lowercase().as_str() {
            "authorization" => auth = value.trim().to_owned(),
            "content-length" => length = value.trim().parse().map_err(|_| "length")?,
            _ => {}
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok((request_line, auth, body))
}

fn push(port: u16, ca: &str) -> std::process::Output {
    let root = fixture("sysfs-server/root");
    Command::new(env!("CARGO_BIN_EXE_supplyscreen"))
        .arg("collect")
        .arg("--root")
        .arg(root)
        .args(["--push", &format!("https://localhost:{port}/")])
        .args(["--token", "sst_test_token", "--profile", "cn-cii"])
        .arg("--ca-cert")
        .arg(fixture(ca))
        .output()
        .expect("runs")
}

#[test]
fn an_https_push_verified_against_a_private_ca_arrives_whole() {
    let (port, endpoint) = tls_endpoint();
    let out = push(port, "tls/ca.pem");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("plain http"), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"scan\":7,\"status\":\"queued\"}\n"
    );
    let (request, auth, body) = endpoint.join().expect("thread").expect("request");
    assert!(
        request.starts_with("POST /v1/inventories?name=collect-")
            && request.contains("&profile=cn-cii&action=inventory&host=")
            && request.ends_with(" HTTP/1.1"),
        "{request}"
    );
    assert_eq!(auth, "Bearer sst_test_token");
    // The body is the inventory `collect` writes, byte for byte.
    let written = Command::new(env!("CARGO_BIN_EXE_supplyscreen"))
        .arg("collect")
        .arg("--root")
        .arg(fixture("sysfs-server/root"))
        .output()
        .expect("runs");
    assert!(written.status.success());
    assert_eq!(
        String::from_utf8_lossy(&body),
        String::from_utf8_lossy(&written.stdout)
    );
    assert!(body.starts_with(b"# supplyscreen collect: host db-31"));
}

#[test]
fn a_server_the_given_ca_did_not_sign_is_refused() {
    let (port, endpoint) = tls_endpoint();
    let out = push(port, "tls/other-ca.pem");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("push to https://localhost:{port}")),
        "{stderr}"
    );
    assert!(stderr.to_lowercase().contains("certificate"), "{stderr}");
    // The endpoint saw a failed handshake, never a request.
    assert!(endpoint.join().expect("thread").is_err());
}

#[test]
fn a_ca_file_without_a_certificate_is_an_error_naming_it() {
    let out = push(1, "tls/README.md");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("README.md: no PEM certificate"), "{stderr}");
}
