//! How the PostgreSQL store reaches its server: in the clear (the default, for a
//! local socket or a private network) or, when the URL says `sslmode=require`
//! (or libpq's `verify-ca`/`verify-full`), over TLS with the server's certificate
//! and host name always verified: against the PEM authorities of `sslrootcert=FILE`
//! when the URL names one, else against Mozilla's root certificates.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::StoreError;

/// The connection's transport.
pub(crate) enum Transport {
    /// No TLS.
    Plain,
    /// TLS, verified.
    Tls(MakeRustlsConnect),
}

/// Parses a database URL (URL or `key=value` form) into the driver's
/// configuration and the transport its `sslmode` asks for.
pub(crate) fn parse(url: &str) -> Result<(tokio_postgres::Config, Transport), StoreError> {
    let (rest, root_cert) = take_root_cert(url);
    let mut config: tokio_postgres::Config = rest
        .parse()
        .map_err(|e| StoreError::backend("parsing the database URL", e))?;
    if config.get_ssl_mode() != SslMode::Require {
        if root_cert.is_some() {
            return Err(StoreError::Invalid(
                "the database URL names sslrootcert but not sslmode=require".into(),
            ));
        }
        config.ssl_mode(SslMode::Disable);
        return Ok((config, Transport::Plain));
    }
    let roots = match root_cert {
        Some(file) => read_roots(Path::new(&file))?,
        None => mozilla_roots(),
    };
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| StoreError::backend("setting up TLS", e))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok((config, Transport::Tls(MakeRustlsConnect::new(tls))))
}

/// Removes `sslrootcert` (which the driver does not know) from the URL and
/// turns libpq's verifying modes into `require` (this store always verifies).
fn take_root_cert(url: &str) -> (String, Option<String>) {
    let mut root = None;
    let mut keep = |key: &str, value: &str| -> Option<String> {
        match key {
            "sslrootcert" => {
                root = Some(value.to_owned());
                None
            }
            "sslmode" if matches!(value, "verify-ca" | "verify-full") => {
                Some(format!("{key}=require"))
            }
            _ => Some(format!("{key}={value}")),
        }
    };
    let rebuilt = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        match url.split_once('?') {
            Some((base, query)) => {
                let kept: Vec<String> = query
                    .split('&')
                    .filter_map(|p| {
                        let (k, v) = p.split_once('=').unwrap_or((p, ""));
                        keep(k, v)
                    })
                    .collect();
                if kept.is_empty() {
                    base.to_owned()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
            None => url.to_owned(),
        }
    } else {
        url.split_whitespace()
            .filter_map(|p| match p.split_once('=') {
                Some((k, v)) => keep(k, v),
                None => Some(p.to_owned()),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    (rebuilt, root.map(|r| percent_decode(&r)))
}

/// Decodes `%XX` escapes (a URL's query value).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The certificate authorities of a PEM file.
fn read_roots(path: &Path) -> Result<rustls::RootCertStore, StoreError> {
    let unreadable =
        |why: String| StoreError::Invalid(format!("sslrootcert {}: {why}", path.display()));
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| unreadable(format!("not a PEM certificate file: {e}")))?;
    if certs.is_empty() {
        return Err(unreadable("no PEM certificate in it".into()));
    }
    let mut store = rustls::RootCertStore::empty();
    for cert in certs {
        store
            .add(cert)
            .map_err(|e| unreadable(format!("not a usable certificate authority: {e}")))?;
    }
    Ok(store)
}

/// Mozilla's root certificates, as the `webpki-roots` crate carries them.
fn mozilla_roots() -> rustls::RootCertStore {
    rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslrootcert_is_taken_out_and_verify_modes_become_require() {
        let (rest, root) = take_root_cert(
            "postgres://app@db.internal:5432/screen?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5",
        );
        assert_eq!(
            rest,
            "postgres://app@db.internal:5432/screen?sslmode=require&connect_timeout=5"
        );
        assert_eq!(root.as_deref(), Some("/etc/ca.pem"));
        let (rest, root) =
            take_root_cert("host=db.internal user=app sslmode=require sslrootcert=ca.pem");
        assert_eq!(rest, "host=db.internal user=app sslmode=require");
        assert_eq!(root.as_deref(), Some("ca.pem"));
        let (rest, root) = take_root_cert("postgres://app@db/screen");
        assert_eq!(rest, "postgres://app@db/screen");
        assert!(root.is_none());
    }

    #[test]
    fn without_sslmode_require_the_connection_is_plain() {
        let (config, transport) = parse("postgres://app@db/screen").expect("parses");
        assert!(matches!(transport, Transport::Plain));
        assert_eq!(config.get_ssl_mode(), SslMode::Disable);
        let (_, transport) = parse("postgres://app@db/screen?sslmode=require").expect("parses");
        assert!(matches!(transport, Transport::Tls(_)));
    }

    #[test]
    fn a_root_file_without_require_or_without_certificates_is_refused() {
        let e = parse("postgres://app@db/screen?sslrootcert=ca.pem").err();
        assert!(e.is_some_and(|e| e.to_string().contains("not sslmode=require")));
        let dir = std::env::temp_dir().join(format!("ss-pgtls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").expect("write");
        let url = format!(
            "postgres://app@db/screen?sslmode=require&sslrootcert={}",
            empty.display()
        );
        let e = parse(&url).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("empty.pem: no PEM certificate"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
