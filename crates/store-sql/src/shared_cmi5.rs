//! cmi5 registrations and sessions, written once and expanded for both pools by [`cmi5_store!`]
//! (see `shared.rs` for why).

pub(crate) const REGISTRATION_COLUMNS: &str = "tenant_id, id, opportunity_id, package_id, \
     person_id, learner_key, content_key, state, created_at, updated_at";

pub(crate) const SESSION_COLUMNS: &str = "tenant_id, id, registration_id, au_id, fetch_key_hash, \
     token_hash, is_open, state, launched_at, updated_at";

/// Implements [`mycel_store::Cmi5Store`] for `$store`.
macro_rules! cmi5_store {
    ($store:ident, $db:ty) => {
        mod cmi5_rows {
            use mycel_store::cmi5::*;
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            pub(super) fn registration(row: &DbRow) -> Result<Cmi5RegistrationRecord, sqlx::Error> {
                Ok(Cmi5RegistrationRecord {
                    id: row.try_get("id")?,
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    opportunity_id: row.try_get::<uuid::Uuid, _>("opportunity_id")?.into(),
                    package_id: row.try_get::<uuid::Uuid, _>("package_id")?.into(),
                    person_id: row.try_get::<Option<uuid::Uuid>, _>("person_id")?.map(Into::into),
                    learner_key: row.try_get("learner_key")?,
                    content_key: row.try_get("content_key")?,
                    state: row.try_get("state")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }

            pub(super) fn session(row: &DbRow) -> Result<Cmi5SessionRecord, sqlx::Error> {
                Ok(Cmi5SessionRecord {
                    id: row.try_get("id")?,
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    registration_id: row.try_get("registration_id")?,
                    au_id: row.try_get("au_id")?,
                    fetch_key_hash: row.try_get("fetch_key_hash")?,
                    token_hash: row.try_get("token_hash")?,
                    open: row.try_get("is_open")?,
                    state: row.try_get("state")?,
                    launched_at: row.try_get("launched_at")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::Cmi5Store for $store {
            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), registration = %registration.id))]
            async fn create_cmi5_registration(
                &self,
                scope: TenantScope,
                registration: &mycel_store::cmi5::Cmi5RegistrationRecord,
            ) -> StoreResult<()> {
                let err = store_error("cmi5 registration");
                let _writer = self.exclusive_write().await;
                sqlx::query(&format!(
                    "INSERT INTO cmi5_registrations ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    crate::shared_cmi5::REGISTRATION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(registration.id)
                .bind(registration.opportunity_id.as_uuid())
                .bind(registration.package_id.as_uuid())
                .bind(registration.person_id.map(|p| p.as_uuid()))
                .bind(&registration.learner_key)
                .bind(&registration.content_key)
                .bind(&registration.state)
                .bind(registration.created_at)
                .bind(registration.updated_at)
                .execute(&self.pool)
                .await
                .map_err(&err)?;
                Ok(())
            }

            async fn cmi5_registration(
                &self,
                scope: TenantScope,
                id: uuid::Uuid,
            ) -> StoreResult<mycel_store::cmi5::Cmi5RegistrationRecord> {
                let err = store_error("cmi5 registration");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM cmi5_registrations WHERE tenant_id = $1 AND id = $2",
                    crate::shared_cmi5::REGISTRATION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .map_err(&err)?;
                cmi5_rows::registration(&row).map_err(&err)
            }

            async fn find_cmi5_registration(
                &self,
                id: uuid::Uuid,
            ) -> StoreResult<Option<mycel_store::cmi5::Cmi5RegistrationRecord>> {
                let err = store_error("cmi5 registration");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM cmi5_registrations WHERE id = $1",
                    crate::shared_cmi5::REGISTRATION_COLUMNS
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(&err)?;
                row.as_ref().map(cmi5_rows::registration).transpose().map_err(&err)
            }

            async fn latest_cmi5_registration(
                &self,
                scope: TenantScope,
                opportunity: OpportunityId,
                learner_key: &str,
            ) -> StoreResult<Option<mycel_store::cmi5::Cmi5RegistrationRecord>> {
                let err = store_error("cmi5 registration");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM cmi5_registrations WHERE tenant_id = $1 AND opportunity_id = $2 \
                     AND learner_key = $3 ORDER BY created_at DESC, id DESC LIMIT 1",
                    crate::shared_cmi5::REGISTRATION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(opportunity.as_uuid())
                .bind(learner_key)
                .fetch_optional(&self.pool)
                .await
                .map_err(&err)?;
                row.as_ref().map(cmi5_rows::registration).transpose().map_err(&err)
            }

            async fn person_cmi5_registrations(
                &self,
                scope: TenantScope,
                person: PersonId,
            ) -> StoreResult<Vec<mycel_store::cmi5::Cmi5RegistrationRecord>> {
                let err = store_error("cmi5 registration");
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM cmi5_registrations WHERE tenant_id = $1 AND person_id = $2 \
                     ORDER BY created_at DESC, id DESC",
                    crate::shared_cmi5::REGISTRATION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(cmi5_rows::registration).collect::<Result<_, _>>().map_err(&err)
            }

            async fn cmi5_session(
                &self,
                scope: TenantScope,
                id: uuid::Uuid,
            ) -> StoreResult<mycel_store::cmi5::Cmi5SessionRecord> {
                let err = store_error("cmi5 session");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM cmi5_sessions WHERE tenant_id = $1 AND id = $2",
                    crate::shared_cmi5::SESSION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .map_err(&err)?;
                cmi5_rows::session(&row).map_err(&err)
            }

            async fn find_cmi5_session(
                &self,
                id: uuid::Uuid,
            ) -> StoreResult<Option<mycel_store::cmi5::Cmi5SessionRecord>> {
                let err = store_error("cmi5 session");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM cmi5_sessions WHERE id = $1",
                    crate::shared_cmi5::SESSION_COLUMNS
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(&err)?;
                row.as_ref().map(cmi5_rows::session).transpose().map_err(&err)
            }

            async fn open_cmi5_sessions(
                &self,
                scope: TenantScope,
                registration: uuid::Uuid,
            ) -> StoreResult<Vec<mycel_store::cmi5::Cmi5SessionRecord>> {
                let err = store_error("cmi5 session");
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM cmi5_sessions WHERE tenant_id = $1 AND registration_id = $2 \
                     AND is_open ORDER BY launched_at",
                    crate::shared_cmi5::SESSION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(registration)
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(cmi5_rows::session).collect::<Result<_, _>>().map_err(&err)
            }

            async fn stale_cmi5_sessions(
                &self,
                before: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> StoreResult<Vec<mycel_store::cmi5::Cmi5SessionRecord>> {
                let err = store_error("cmi5 session");
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM cmi5_sessions WHERE is_open AND updated_at < $1 \
                     ORDER BY updated_at LIMIT $2",
                    crate::shared_cmi5::SESSION_COLUMNS
                ))
                .bind(before)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(cmi5_rows::session).collect::<Result<_, _>>().map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), registration = %registration, sessions = sessions.len()))]
            async fn save_cmi5_progress(
                &self,
                scope: TenantScope,
                registration: uuid::Uuid,
                registration_state: &str,
                sessions: &[mycel_store::cmi5::Cmi5SessionRecord],
            ) -> StoreResult<()> {
                let err = store_error("cmi5 session");
                let tenant = scope.tenant_id().as_uuid();
                let at = now();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let updated = sqlx::query(
                    "UPDATE cmi5_registrations SET state = $3, updated_at = $4 \
                     WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant)
                .bind(registration)
                .bind(registration_state)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(&err)?
                .rows_affected();
                if updated == 0 {
                    return Err(StoreError::NotFound("cmi5 registration"));
                }
                for session in sessions {
                    if session.registration_id != registration {
                        return Err(StoreError::InvalidReference(format!(
                            "the cmi5 session {} belongs to another registration",
                            session.id
                        )));
                    }
                    sqlx::query(&format!(
                        "INSERT INTO cmi5_sessions ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                         ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, \
                         is_open = excluded.is_open, state = excluded.state, updated_at = excluded.updated_at \
                         WHERE cmi5_sessions.tenant_id = excluded.tenant_id \
                         AND cmi5_sessions.registration_id = excluded.registration_id",
                        crate::shared_cmi5::SESSION_COLUMNS
                    ))
                    .bind(tenant)
                    .bind(session.id)
                    .bind(registration)
                    .bind(&session.au_id)
                    .bind(&session.fetch_key_hash)
                    .bind(&session.token_hash)
                    .bind(session.open)
                    .bind(&session.state)
                    .bind(session.launched_at)
                    .bind(session.updated_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(&err)?;
                }
                tx.commit().await.map_err(&err)?;
                Ok(())
            }
        }
    };
}

pub(crate) use cmi5_store;
