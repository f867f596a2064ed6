//! Mycel's [`Store`] on SQLite (the embedded default) and on PostgreSQL.
//!
//! The backend is chosen by the database URL's scheme at start-up ([`open`]). Each backend has its own
//! forward-only migrations (`migrations/sqlite`, `migrations/postgres`), applied on open. The SQL
//! itself is written once ([`queries`]) wherever the two dialects agree, which is everywhere so far;
//! the Rust that binds and reads it is generated for both pools by one macro, so the backends cannot
//! drift apart.

mod postgres;
pub mod queries;
pub mod queries_competencies;
pub mod queries_lrs;
mod shared;
mod shared_assignments;
mod shared_catalogue;
mod shared_classroom;
mod shared_cmi5;
mod shared_competencies;
mod shared_journal;
mod shared_learning_paths;
mod shared_lrs;
mod shared_recommendations;
mod shared_scorm;
mod shared_strategic_goals;
mod sqlite;
#[cfg(feature = "test-database")]
pub mod test_database;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use mycel_store::{Store, StoreError};
use std::sync::Arc;

/// Opens the store named by `url` (`sqlite://path/to/file.db`, `sqlite::memory:`,
/// `postgres://user@host/db`) and brings its schema up to date.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    match url.split_once(':').map(|(scheme, _)| scheme) {
        Some("sqlite") => Ok(Arc::new(SqliteStore::open(url).await?)),
        Some("postgres" | "postgresql") => Ok(Arc::new(PostgresStore::open(url).await?)),
        _ => Err(StoreError::Backend(format!(
            "unsupported database URL {:?}: it must start with sqlite: or postgres:",
            redact_url(url)
        ))),
    }
}

/// The URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(start), Some(at)) if at > start => {
            let userinfo = &url[start + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..start + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://mycel:geheim@db:5432/mycel"),
            "postgres://mycel:***@db:5432/mycel"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(
            redact_url("sqlite://./mycel-data/mycel.db"),
            "sqlite://./mycel-data/mycel.db"
        );
    }
}
