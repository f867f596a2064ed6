//! SCORM attempts and their SCOs' run-time data, written once and expanded for both pools by
//! [`scorm_store!`] (see `shared.rs` for why). A commit updates its attempt's row first, which on
//! PostgreSQL takes the row's lock, so that commits to one attempt are written one after another;
//! each SCO row carries a revision that a commit must have read (optimistic concurrency), so that
//! statements derived from one state are never derived twice.

pub(crate) const ATTEMPT_COLUMNS: &str = "tenant_id, id, person_id, opportunity_id, package_id, \
     number, started_at, updated_at, finished_at, status, score";

pub(crate) const SCO_COLUMNS: &str = "sco_id, cmi, progress, status, score, revision, updated_at";

/// Implements [`mycel_store::ScormStore`] for `$store`.
macro_rules! scorm_store {
    ($store:ident, $db:ty) => {
        mod scorm_rows {
            use mycel_store::scorm::*;
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            pub(super) fn attempt(row: &DbRow) -> Result<ScormAttempt, sqlx::Error> {
                let number: i64 = row.try_get("number")?;
                Ok(ScormAttempt {
                    id: row.try_get("id")?,
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    opportunity_id: row.try_get::<uuid::Uuid, _>("opportunity_id")?.into(),
                    package_id: row.try_get::<uuid::Uuid, _>("package_id")?.into(),
                    number: u32::try_from(number)
                        .map_err(|_| crate::shared::corrupt("attempt number", &number.to_string()))?,
                    started_at: row.try_get("started_at")?,
                    updated_at: row.try_get("updated_at")?,
                    finished_at: row.try_get("finished_at")?,
                    status: row.try_get("status")?,
                    score: row.try_get("score")?,
                })
            }

            pub(super) fn sco(row: &DbRow) -> Result<ScoRuntime, sqlx::Error> {
                Ok(ScoRuntime {
                    sco_id: row.try_get("sco_id")?,
                    cmi: row.try_get("cmi")?,
                    progress: row.try_get("progress")?,
                    status: row.try_get("status")?,
                    score: row.try_get("score")?,
                    revision: row.try_get("revision")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }
        }

        impl $store {
            async fn open_attempt_once(
                &self,
                scope: TenantScope,
                person: PersonId,
                opportunity: OpportunityId,
                package: PackageId,
            ) -> StoreResult<(mycel_store::scorm::ScormAttempt, bool)> {
                use crate::shared_scorm::ATTEMPT_COLUMNS;
                let err = store_error("attempt");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let open = sqlx::query(&format!(
                    "SELECT {ATTEMPT_COLUMNS} FROM scorm_attempts WHERE tenant_id = $1 \
                     AND person_id = $2 AND opportunity_id = $3 AND finished_at IS NULL"
                ))
                .bind(tenant)
                .bind(person.as_uuid())
                .bind(opportunity.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(&err)?;
                if let Some(row) = open {
                    tx.commit().await.map_err(&err)?;
                    return Ok((scorm_rows::attempt(&row).map_err(&err)?, false));
                }
                let (last,): (Option<i64>,) = sqlx::query_as(
                    "SELECT MAX(number) FROM scorm_attempts WHERE tenant_id = $1 \
                     AND person_id = $2 AND opportunity_id = $3",
                )
                .bind(tenant)
                .bind(person.as_uuid())
                .bind(opportunity.as_uuid())
                .fetch_one(&mut *tx)
                .await
                .map_err(&err)?;
                let at = now();
                let row = sqlx::query(&format!(
                    "INSERT INTO scorm_attempts ({ATTEMPT_COLUMNS}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, NULL, 'incomplete', NULL) \
                     RETURNING {ATTEMPT_COLUMNS}"
                ))
                .bind(tenant)
                .bind(uuid::Uuid::now_v7())
                .bind(person.as_uuid())
                .bind(opportunity.as_uuid())
                .bind(package.as_uuid())
                .bind(last.unwrap_or(0) + 1)
                .bind(at)
                .fetch_one(&mut *tx)
                .await
                .map_err(&err)?;
                let attempt = scorm_rows::attempt(&row).map_err(&err)?;
                tx.commit().await.map_err(&err)?;
                Ok((attempt, true))
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::ScormStore for $store {
            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), person = %person, opportunity = %opportunity))]
            async fn open_scorm_attempt(
                &self,
                scope: TenantScope,
                person: PersonId,
                opportunity: OpportunityId,
                package: PackageId,
            ) -> StoreResult<(mycel_store::scorm::ScormAttempt, bool)> {
                match self.open_attempt_once(scope, person, opportunity, package).await {
                    // Another launch opened one at the same moment: that one is the open attempt.
                    Err(StoreError::Conflict(_)) => {
                        self.open_attempt_once(scope, person, opportunity, package).await
                    }
                    other => other,
                }
            }

            async fn scorm_attempt(
                &self,
                scope: TenantScope,
                id: uuid::Uuid,
            ) -> StoreResult<mycel_store::scorm::ScormAttempt> {
                use crate::shared_scorm::ATTEMPT_COLUMNS;
                let err = store_error("attempt");
                let row = sqlx::query(&format!(
                    "SELECT {ATTEMPT_COLUMNS} FROM scorm_attempts WHERE tenant_id = $1 AND id = $2"
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .map_err(&err)?;
                scorm_rows::attempt(&row).map_err(&err)
            }

            async fn scorm_attempts(
                &self,
                scope: TenantScope,
                person: PersonId,
                opportunity: OpportunityId,
            ) -> StoreResult<Vec<mycel_store::scorm::ScormAttempt>> {
                use crate::shared_scorm::ATTEMPT_COLUMNS;
                let err = store_error("attempt");
                let rows = sqlx::query(&format!(
                    "SELECT {ATTEMPT_COLUMNS} FROM scorm_attempts WHERE tenant_id = $1 \
                     AND person_id = $2 AND opportunity_id = $3 ORDER BY number DESC"
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .bind(opportunity.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter()
                    .map(scorm_rows::attempt)
                    .collect::<Result<_, _>>()
                    .map_err(&err)
            }

            async fn sco_runtimes(
                &self,
                scope: TenantScope,
                attempt: uuid::Uuid,
            ) -> StoreResult<Vec<mycel_store::scorm::ScoRuntime>> {
                use crate::shared_scorm::SCO_COLUMNS;
                let err = store_error("SCO run-time data");
                let rows = sqlx::query(&format!(
                    "SELECT {SCO_COLUMNS} FROM scorm_sco_runtimes WHERE tenant_id = $1 \
                     AND attempt_id = $2 ORDER BY sco_id"
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(attempt)
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter()
                    .map(scorm_rows::sco)
                    .collect::<Result<_, _>>()
                    .map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), attempt = %attempt, sco = %commit.sco_id))]
            async fn save_sco_commit(
                &self,
                scope: TenantScope,
                attempt: uuid::Uuid,
                commit: &mycel_store::scorm::ScoCommit,
            ) -> StoreResult<(mycel_store::scorm::ScormAttempt, mycel_store::scorm::ScoRuntime)> {
                use crate::shared_scorm::{ATTEMPT_COLUMNS, SCO_COLUMNS};
                let err = store_error("SCO run-time data");
                let tenant = scope.tenant_id().as_uuid();
                let at = now();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let updated = sqlx::query(&format!(
                    "UPDATE scorm_attempts SET updated_at = $3, status = $4, score = $5, \
                     finished_at = $6 WHERE tenant_id = $1 AND id = $2 AND finished_at IS NULL \
                     RETURNING {ATTEMPT_COLUMNS}"
                ))
                .bind(tenant)
                .bind(attempt)
                .bind(at)
                .bind(&commit.attempt_status)
                .bind(commit.attempt_score)
                .bind(commit.finish.then_some(at))
                .fetch_optional(&mut *tx)
                .await
                .map_err(&err)?;
                let Some(attempt_row) = updated else {
                    let exists: Option<(uuid::Uuid,)> = sqlx::query_as(
                        "SELECT id FROM scorm_attempts WHERE tenant_id = $1 AND id = $2",
                    )
                    .bind(tenant)
                    .bind(attempt)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(&err)?;
                    return Err(match exists {
                        Some(_) => StoreError::Conflict("the attempt is finished".into()),
                        None => StoreError::NotFound("attempt"),
                    });
                };
                let sco_row = match commit.read_revision {
                    None => sqlx::query(&format!(
                        "INSERT INTO scorm_sco_runtimes (tenant_id, attempt_id, {SCO_COLUMNS}) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING {SCO_COLUMNS}"
                    ))
                    .bind(tenant)
                    .bind(attempt)
                    .bind(&commit.sco_id)
                    .bind(&commit.cmi)
                    .bind(&commit.progress)
                    .bind(&commit.status)
                    .bind(commit.score)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match err(e) {
                        StoreError::Conflict(_) => StoreError::Conflict(
                            "the SCO's data was changed meanwhile".into(),
                        ),
                        other => other,
                    })?,
                    Some(revision) => sqlx::query(&format!(
                        "UPDATE scorm_sco_runtimes SET cmi = $4, progress = $5, status = $6, \
                         score = $7, updated_at = $8, revision = revision + 1 \
                         WHERE tenant_id = $1 AND attempt_id = $2 AND sco_id = $3 AND revision = $9 \
                         RETURNING {SCO_COLUMNS}"
                    ))
                    .bind(tenant)
                    .bind(attempt)
                    .bind(&commit.sco_id)
                    .bind(&commit.cmi)
                    .bind(&commit.progress)
                    .bind(&commit.status)
                    .bind(commit.score)
                    .bind(at)
                    .bind(revision)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(&err)?
                    .ok_or_else(|| {
                        StoreError::Conflict("the SCO's data was changed meanwhile".into())
                    })?,
                };
                let saved_attempt = scorm_rows::attempt(&attempt_row).map_err(&err)?;
                let saved_sco = scorm_rows::sco(&sco_row).map_err(&err)?;
                tx.commit().await.map_err(&err)?;
                Ok((saved_attempt, saved_sco))
            }
        }
    };
}

pub(crate) use scorm_store;
