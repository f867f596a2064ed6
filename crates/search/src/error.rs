//! Errors of the search index. Everything this crate returns is a [`SearchError`]; tantivy's
//! own errors are kept as the source, with what the index was doing when it failed.

use std::path::PathBuf;

/// What went wrong with the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A file or directory of the index could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done ("create the index directory", …).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// tantivy failed.
    #[error("the search index could not {action}: {source}")]
    Index {
        /// What was being done ("commit", "search", …).
        action: &'static str,
        /// The cause.
        #[source]
        source: tantivy::TantivyError,
    },
    /// The index directory could not be opened by tantivy.
    #[error("cannot open the search index in {path}: {source}")]
    OpenDirectory {
        /// The directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: tantivy::directory::error::OpenDirectoryError,
    },
    /// A stored document is not what this crate writes (a damaged or foreign index).
    #[error("the search index holds a document without a valid id ({detail}); rebuild the index")]
    CorruptDocument {
        /// What was found.
        detail: String,
    },
    /// An earlier write panicked while holding the writer.
    #[error(
        "the search index writer is unusable because an earlier write panicked; reopen the index"
    )]
    WriterPoisoned,
}

impl SearchError {
    pub(crate) fn index(action: &'static str) -> impl FnOnce(tantivy::TantivyError) -> SearchError {
        move |source| SearchError::Index { action, source }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> SearchError {
        let path = path.into();
        move |source| SearchError::Io {
            action,
            path,
            source,
        }
    }
}
