//! Output of `kb keygen`, `kb bundle`, `kb install` and `kb active`.

use std::path::Path;

use supplyscreen_screen::bundle::{Bundle, Installed, Outcome};

/// A new key pair was written.
pub fn render_keygen(secret: &Path, public: &Path, fingerprint: &str) -> String {
    crate::visible::shown(render_keygen_raw(secret, public, fingerprint))
}

fn render_keygen_raw(secret: &Path, public: &Path, fingerprint: &str) -> String {
    format!(
        "wrote {} (secret: keep it off the screened machines) and {} (public) · {fingerprint}\n",
        secret.display(),
        public.display()
    )
}

/// A bundle was written.
pub fn render_bundled(path: &Path, b: &Bundle, signer: &str) -> String {
    crate::visible::shown(render_bundled_raw(path, b, signer))
}

fn render_bundled_raw(path: &Path, b: &Bundle, signer: &str) -> String {
    format!(
        "wrote {} · KB {} {} · {} file(s) · signed by {signer}\n",
        path.display(),
        b.version,
        b.hash,
        b.files.len()
    )
}

/// What an install did.
pub fn render_installed(o: &Outcome) -> String {
    crate::visible::shown(render_installed_raw(o))
}

fn render_installed_raw(o: &Outcome) -> String {
    match o {
        Outcome::Installed(i) => format!("installed {}\n", installed(i)),
        Outcome::AlreadyActive(i) => {
            format!("already active, nothing changed: {}\n", installed(i))
        }
    }
}

/// The active KB: an installed bundle, or the built-in one.
pub fn render_active(active: Option<&Installed>, home: &Path, built_in: &str) -> String {
    crate::visible::shown(render_active_raw(active, home, built_in))
}

fn render_active_raw(active: Option<&Installed>, home: &Path, built_in: &str) -> String {
    match active {
        Some(i) => format!("{}\n", installed(i)),
        None => format!(
            "no KB installed in {}; the built-in KB {built_in} is used\n",
            home.display()
        ),
    }
}

fn installed(i: &Installed) -> String {
    format!(
        "KB {} {} · signed by {} · from {} · in {}",
        i.version,
        i.hash,
        i.signer,
        i.source,
        i.dir.display()
    )
}
