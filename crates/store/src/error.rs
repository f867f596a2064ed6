use thiserror::Error;

/// What can go wrong in the storage layer. The HTTP layer maps each variant to one status code
/// (`NotFound` → 404, `Conflict` → 409, `Unavailable` → 503, `Backend` → 500 with details logged,
/// never sent).
#[derive(Debug, Error)]
pub enum StoreError {
    /// No such record in this tenant (a record of another tenant is not found either).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The record would break a uniqueness rule (a slug or e-mail address already taken).
    #[error("{0}")]
    Conflict(String),
    /// A write's precondition (an entity tag) did not hold.
    #[error("the {0} was changed or created meanwhile")]
    PreconditionFailed(&'static str),
    /// The record refers to something that does not exist in this tenant.
    #[error("{0}")]
    InvalidReference(String),
    /// A value the database cannot hold (text with a NUL character); callers validate input, so
    /// this is the last line of defence, not the way input is checked.
    #[error("{0}")]
    InvalidValue(String),
    /// The database cannot be reached or has no free connection right now.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Anything else the backend reported; a bug or an operations problem.
    #[error("storage backend error: {0}")]
    Backend(String),
}
