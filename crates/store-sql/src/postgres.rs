//! The production backend: PostgreSQL (or a Postgres-compatible distributed engine).

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
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// PostgreSQL takes concurrent writers; nothing to queue for.
    pub(crate) async fn exclusive_write(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        None
    }

    /// Connects to the database at `url` and applies the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("bad PostgreSQL URL: {e}")))?
            .application_name("mycel");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(store_error("database"))?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| {
                StoreError::Backend(format!("migrating the PostgreSQL database failed: {e}"))
            })?;
        Ok(Self { pool })
    }
}

sql_store!(PostgresStore, sqlx::Postgres, "postgres");
lrs_store!(PostgresStore, sqlx::Postgres);
competency_store!(PostgresStore, sqlx::Postgres);
catalogue_store!(PostgresStore, sqlx::Postgres);
classroom_store!(PostgresStore, sqlx::Postgres);
assignment_store!(PostgresStore, sqlx::Postgres);
cmi5_store!(PostgresStore, sqlx::Postgres);
learning_path_store!(PostgresStore, sqlx::Postgres);
journal_store!(PostgresStore, sqlx::Postgres);
scorm_store!(PostgresStore, sqlx::Postgres);
strategic_goal_store!(PostgresStore, sqlx::Postgres);
recommendation_store!(PostgresStore, sqlx::Postgres);
