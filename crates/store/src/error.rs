//! The one error type of the store.

use crate::{ScanId, TokenId, WaiverId, WaiverStatus};

/// What went wrong in the store. The `Display` text never contains SQL or
/// connection strings; `Backend` keeps the driver's error as its source for logs.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory could not be created or opened.
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No data directory was given and none can be derived from the environment.
    #[error("no data directory: set SUPPLYSCREEN_DATA or HOME, or pass --data")]
    NoDataDir,
    /// The database could not be reached or answered with an error.
    #[error("database error ({context})")]
    Backend {
        /// What the store was doing.
        context: &'static str,
        /// The driver's error (may contain SQL; log it, do not show it to clients).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database holds a schema newer than this program knows.
    #[error("the database schema is at version {found}, newer than this program's {known}")]
    SchemaTooNew {
        /// Version in the database.
        found: i64,
        /// Latest version this program knows.
        known: i64,
    },
    /// A stored value could not be read back (a corrupt or hand-edited row).
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
    /// An argument was refused (empty name, page too large, ...).
    #[error("invalid argument: {0}")]
    Invalid(String),
    /// No token with this id.
    #[error("no token {0}")]
    TokenNotFound(TokenId),
    /// The token was already revoked.
    #[error("token {0} is already revoked")]
    TokenAlreadyRevoked(TokenId),
    /// No scan with this id.
    #[error("no scan {0}")]
    ScanNotFound(ScanId),
    /// The worker no longer holds the scan's lease (it expired and another worker took it,
    /// or the scan finished).
    #[error("scan {0} is not leased to this worker")]
    LeaseLost(ScanId),
    /// No waiver with this id.
    #[error("no waiver {0}")]
    WaiverNotFound(WaiverId),
    /// The approver is the proposer (four eyes).
    #[error("waiver {0} was proposed by the same person; another approver must decide it")]
    FourEyes(WaiverId),
    /// The waiver was already decided.
    #[error("waiver {id} is {status}, not proposed")]
    WaiverNotProposed {
        /// The waiver.
        id: WaiverId,
        /// Its current status.
        status: WaiverStatus,
    },
}

impl StoreError {
    /// Wraps a driver error with what the store was doing.
    pub(crate) fn backend(
        context: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self::Backend {
            context,
            source: Box::new(source),
        }
    }
}

/// What kind of failure an error is, for mapping to a protocol's status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// The named record does not exist (HTTP 404).
    NotFound,
    /// The record is not in a state that allows the change (HTTP 409).
    Conflict,
    /// The change is refused for who asks (four eyes; HTTP 403).
    Forbidden,
    /// The arguments were refused (HTTP 400 or 422).
    Invalid,
    /// The database could not be reached or used (HTTP 503).
    Unavailable,
    /// Stored data or the schema is not what this program expects (HTTP 500).
    Internal,
}

impl StoreError {
    /// The kind of failure.
    pub fn kind(&self) -> StoreErrorKind {
        match self {
            StoreError::TokenNotFound(_)
            | StoreError::ScanNotFound(_)
            | StoreError::WaiverNotFound(_) => StoreErrorKind::NotFound,
            StoreError::TokenAlreadyRevoked(_)
            | StoreError::LeaseLost(_)
            | StoreError::WaiverNotProposed { .. } => StoreErrorKind::Conflict,
            StoreError::FourEyes(_) => StoreErrorKind::Forbidden,
            StoreError::Invalid(_) => StoreErrorKind::Invalid,
            StoreError::Backend { .. } | StoreError::DataDir { .. } | StoreError::NoDataDir => {
                StoreErrorKind::Unavailable
            }
            StoreError::SchemaTooNew { .. } | StoreError::Corrupt(_) => StoreErrorKind::Internal,
        }
    }
}
