//! The learning journal's store, written once and expanded for both pools by [`journal_store!`]
//! (see `shared.rs` for why).

pub(crate) const ENTRY_COLUMNS: &str = "id, person_id, title, learned_on, minutes, competencies, \
     reflection, shared, confirmed_by, confirmed_at, created_at";

/// Implements [`mycel_store::JournalStore`] for `$store`.
macro_rules! journal_store {
    ($store:ident, $db:ty) => {
        mod journal_rows {
            use mycel_store::journal::JournalEntryRecord;
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            pub(super) fn entry(row: &DbRow) -> Result<JournalEntryRecord, sqlx::Error> {
                let minutes: i32 = row.try_get("minutes")?;
                Ok(JournalEntryRecord {
                    id: row.try_get("id")?,
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    title: row.try_get("title")?,
                    learned_on: row.try_get("learned_on")?,
                    minutes: u32::try_from(minutes)
                        .map_err(|_| crate::shared::corrupt("minutes", &minutes.to_string()))?,
                    competencies: row.try_get("competencies")?,
                    reflection: row.try_get("reflection")?,
                    shared: row.try_get("shared")?,
                    confirmed_by: row
                        .try_get::<Option<uuid::Uuid>, _>("confirmed_by")?
                        .map(Into::into),
                    confirmed_at: row.try_get("confirmed_at")?,
                    created_at: row.try_get("created_at")?,
                })
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::JournalStore for $store {
            async fn create_journal_entry(
                &self,
                scope: TenantScope,
                entry: &mycel_store::journal::JournalEntryRecord,
            ) -> StoreResult<()> {
                let err = store_error("journal entry");
                let _writer = self.exclusive_write().await;
                sqlx::query(&format!(
                    "INSERT INTO journal_entries (tenant_id, {}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    crate::shared_journal::ENTRY_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(entry.id)
                .bind(entry.person_id.as_uuid())
                .bind(&entry.title)
                .bind(entry.learned_on)
                .bind(i32::try_from(entry.minutes).unwrap_or(i32::MAX))
                .bind(&entry.competencies)
                .bind(&entry.reflection)
                .bind(entry.shared)
                .bind(entry.confirmed_by.map(|p| p.as_uuid()))
                .bind(entry.confirmed_at)
                .bind(entry.created_at)
                .execute(&self.pool)
                .await
                .map_err(&err)?;
                Ok(())
            }

            async fn journal_entries(
                &self,
                scope: TenantScope,
                person: PersonId,
            ) -> StoreResult<Vec<mycel_store::journal::JournalEntryRecord>> {
                let err = store_error("journal entry");
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM journal_entries WHERE tenant_id = $1 AND person_id = $2 \
                     ORDER BY learned_on DESC, created_at DESC",
                    crate::shared_journal::ENTRY_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(journal_rows::entry).collect::<Result<_, _>>().map_err(&err)
            }

            async fn journal_entry(
                &self,
                scope: TenantScope,
                id: uuid::Uuid,
            ) -> StoreResult<mycel_store::journal::JournalEntryRecord> {
                let err = store_error("journal entry");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM journal_entries WHERE tenant_id = $1 AND id = $2",
                    crate::shared_journal::ENTRY_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(id)
                .fetch_one(&self.pool)
                .await
                .map_err(&err)?;
                journal_rows::entry(&row).map_err(&err)
            }

            async fn set_journal_entry_shared(
                &self,
                scope: TenantScope,
                person: PersonId,
                id: uuid::Uuid,
                shared: bool,
            ) -> StoreResult<()> {
                let err = store_error("journal entry");
                let _writer = self.exclusive_write().await;
                let changed = sqlx::query(
                    "UPDATE journal_entries SET shared = $4 WHERE tenant_id = $1 AND person_id = $2 \
                     AND id = $3 AND confirmed_by IS NULL",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .bind(id)
                .bind(shared)
                .execute(&self.pool)
                .await
                .map_err(&err)?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::NotFound("journal entry"));
                }
                Ok(())
            }

            async fn confirm_journal_entry(
                &self,
                scope: TenantScope,
                id: uuid::Uuid,
                by: PersonId,
                at: chrono::DateTime<chrono::Utc>,
            ) -> StoreResult<()> {
                let err = store_error("journal entry");
                let _writer = self.exclusive_write().await;
                let changed = sqlx::query(
                    "UPDATE journal_entries SET confirmed_by = $3, confirmed_at = $4 \
                     WHERE tenant_id = $1 AND id = $2 AND shared AND confirmed_by IS NULL",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(id)
                .bind(by.as_uuid())
                .bind(at)
                .execute(&self.pool)
                .await
                .map_err(&err)?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::Conflict(
                        "the journal entry is not shared, or confirmed already".into(),
                    ));
                }
                Ok(())
            }

            async fn delete_journal_entry(
                &self,
                scope: TenantScope,
                person: PersonId,
                id: uuid::Uuid,
                link: &str,
            ) -> StoreResult<()> {
                let err = store_error("journal entry");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let deleted = sqlx::query(
                    "DELETE FROM journal_entries WHERE tenant_id = $1 AND person_id = $2 AND id = $3",
                )
                .bind(tenant)
                .bind(person.as_uuid())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(&err)?
                .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::NotFound("journal entry"));
                }
                sqlx::query("DELETE FROM evidence WHERE tenant_id = $1 AND person_id = $2 AND link = $3")
                    .bind(tenant)
                    .bind(person.as_uuid())
                    .bind(link)
                    .execute(&mut *tx)
                    .await
                    .map_err(&err)?;
                tx.commit().await.map_err(&err)?;
                Ok(())
            }
        }
    };
}

pub(crate) use journal_store;
