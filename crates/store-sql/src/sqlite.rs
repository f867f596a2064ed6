//! The embedded default: one SQLite file in write-ahead-log mode.

use crate::queries as q;
use crate::queries_competencies as q_comp;
use crate::queries_lrs as q_lrs;
use crate::shared::*;
use crate::shared_assignments::assignment_store;
use crate::shared_catalogue::catalogue_store;
use crate::shared_classroom::classroom_store;
use crate::shared_cmi5::cmi5_store;
use crate::shared_competencies::competency_store;
use crate::shared_journal::journal_store;
use crate::shared_learning_paths::learning_path_store;
use crate::shared_lrs::lrs_store;
use crate::shared_recommendations::recommendation_store;
use crate::shared_scorm::scorm_store;
use crate::shared_strategic_goals::strategic_goal_store;
use mycel_organisation::*;
use mycel_store::*;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// SQLite has one writer at a time. Statement and document writes queue here, in order,
    /// instead of in SQLite's busy handler, which sleeps and retries (long tail latencies).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl SqliteStore {
    pub(crate) async fn exclusive_write(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        Some(self.writer.lock().await)
    }
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` and applies the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("bad SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL survives a crash of the process; only a power loss may lose the
            // last transactions.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 16 MiB of page cache per connection (SQLite's default is 2 MiB), and memory-mapped
            // reads, so that index lookups stay in memory.
            .pragma("cache_size", "-16384")
            .pragma("mmap_size", "268435456");
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let pool = SqlitePoolOptions::new()
            // An in-memory database lives in one connection.
            .max_connections(if in_memory { 1 } else { 8 })
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(if in_memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if in_memory {
                None
            } else {
                Some(Duration::from_secs(1800))
            })
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(store_error("database"))?;
        sqlx::migrate!("migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|e| {
                StoreError::Backend(format!("migrating the SQLite database failed: {e}"))
            })?;
        Ok(Self {
            pool,
            writer: std::sync::Arc::default(),
        })
    }
}

sql_store!(SqliteStore, sqlx::Sqlite, "sqlite");
lrs_store!(SqliteStore, sqlx::Sqlite);
competency_store!(SqliteStore, sqlx::Sqlite);
catalogue_store!(SqliteStore, sqlx::Sqlite);
classroom_store!(SqliteStore, sqlx::Sqlite);
assignment_store!(SqliteStore, sqlx::Sqlite);
cmi5_store!(SqliteStore, sqlx::Sqlite);
learning_path_store!(SqliteStore, sqlx::Sqlite);
journal_store!(SqliteStore, sqlx::Sqlite);
scorm_store!(SqliteStore, sqlx::Sqlite);
strategic_goal_store!(SqliteStore, sqlx::Sqlite);
recommendation_store!(SqliteStore, sqlx::Sqlite);
