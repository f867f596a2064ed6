use mycel_organisation::ValidationError;
use mycel_store::StoreError;
use thiserror::Error;

/// What an operation can fail with.
#[derive(Debug, Error)]
pub enum AppError {
    /// The actor may not do this.
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Store(StoreError),
    /// Ours, not the caller's (hashing failed, a task panicked).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => AppError::NotFound(what),
            other => AppError::Store(other),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
