//! Errors of this crate. Every error is a `thiserror` type with a human reason; none of them carries
//! HTTP semantics. Whoever serves the xAPI resources maps them: every error here is a client error
//! (`400 Bad Request`), except that the endpoint decides what a missing version header means.
//!
//! - [`StatementError`]: a statement (or an agent given as a query parameter) breaks a rule; carries
//!   the JSON path of the offending property.
//! - [`BatchError`]: a batch of statements is rejected, naming the index of the statement at fault.
//! - [`VersionError`]: the `X-Experience-API-Version` header is missing or names no supported version.
//! - [`FormatError`]: a single value (duration, timestamp, UUID) is malformed.
//! - [`MergeError`]: a JSON document merge was asked for where one side is not a JSON object.

/// A statement breaks a rule of the xAPI data model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {reason}", if path.is_empty() { "statement" } else { path.as_str() })]
pub struct StatementError {
    /// JSON path of the offending property, e.g. `context.contextActivities.parent[0].id`; empty when
    /// the statement as a whole is at fault.
    pub path: String,
    /// What is wrong, in words a client developer understands.
    pub reason: String,
}

impl StatementError {
    pub(crate) fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// A batch of statements (a JSON array posted to the statements resource) is rejected as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// The body is neither a statement object nor an array of statements.
    #[error("a batch of statements must be a JSON array")]
    NotAnArray,
    /// One statement of the batch is invalid.
    #[error("statement [{index}]: {error}")]
    Statement {
        /// Zero-based position of the statement in the batch.
        index: usize,
        /// Why that statement is invalid.
        error: StatementError,
    },
    /// Two statements of the batch use the same id.
    #[error("statements [{first}] and [{second}] both use the id {id}")]
    DuplicateId {
        /// The id used twice.
        id: uuid::Uuid,
        /// Position of its first use.
        first: usize,
        /// Position of its second use.
        second: usize,
    },
}

/// The `X-Experience-API-Version` request header is missing or unsupported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The request has no `X-Experience-API-Version` header.
    #[error("the X-Experience-API-Version header is required")]
    Missing,
    /// The header names a version this LRS does not speak.
    #[error(
        "the X-Experience-API-Version header {0:?} names no supported version (1.0.x or 2.0.x)"
    )]
    Unsupported(String),
}

/// A single value does not have the format xAPI requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Not an ISO 8601 duration (section 4.4.3.2 format).
    #[error("{0:?} is not an ISO 8601 duration such as PT1H30M or P4W")]
    Duration(String),
    /// Not a timestamp acceptable under the version's rules.
    #[error("{value:?} is not a valid timestamp: {reason}")]
    Timestamp {
        /// The rejected text.
        value: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// Not a UUID in hyphenated string form.
    #[error("{0:?} is not a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")]
    Uuid(String),
}

/// Merging JSON documents (POST to the state, agent profile or activity profile resources) needs two
/// JSON objects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// The stored document is not a JSON object, so it cannot be merged into.
    #[error("the stored document is not a JSON object and cannot be merged")]
    StoredNotAnObject,
    /// The posted document is not a JSON object.
    #[error("the posted document is not a JSON object and cannot be merged")]
    IncomingNotAnObject,
}
