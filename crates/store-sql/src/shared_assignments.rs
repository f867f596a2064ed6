//! Assignments and completions, written once and expanded for both pools by
//! [`assignment_store!`] (see `shared.rs` for why).

/// Implements [`mycel_store::AssignmentStore`] for `$store`.
macro_rules! assignment_store {
    ($store:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl mycel_store::AssignmentStore for $store {
            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), opportunity = %opportunity, people = people.len()))]
            async fn assign(
                &self,
                scope: TenantScope,
                opportunity: OpportunityId,
                people: &[PersonId],
                due: Option<chrono::NaiveDate>,
                assigned_by: Option<PersonId>,
            ) -> StoreResult<u64> {
                let err = store_error("assignment");
                let tenant = scope.tenant_id().as_uuid();
                let at = now();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let mut added = 0;
                for chunk in people.chunks(crate::shared::IMPORT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO assignments (tenant_id, id, person_id, opportunity_id, due, assigned_by, assigned_at) ",
                    );
                    qb.push_values(chunk, |mut row, person| {
                        row.push_bind(tenant)
                            .push_bind(uuid::Uuid::now_v7())
                            .push_bind(person.as_uuid())
                            .push_bind(opportunity.as_uuid())
                            .push_bind(due)
                            .push_bind(assigned_by.map(|p| p.as_uuid()))
                            .push_bind(at);
                    });
                    qb.push(" ON CONFLICT (tenant_id, person_id, opportunity_id) DO NOTHING");
                    added += qb.build().execute(&mut *tx).await.map_err(&err)?.rows_affected();
                }
                tx.commit().await.map_err(&err)?;
                Ok(added)
            }

            async fn person_assignments(&self, scope: TenantScope, person: PersonId) -> StoreResult<Vec<mycel_store::catalogue::AssignmentRecord>> {
                use sqlx::Row;
                let err = store_error("assignment");
                let rows = sqlx::query(
                    "SELECT id, person_id, opportunity_id, due, assigned_by, assigned_at FROM assignments \
                     WHERE tenant_id = $1 AND person_id = $2 ORDER BY due IS NULL, due, assigned_at",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter()
                    .map(|row| {
                        Ok(mycel_store::catalogue::AssignmentRecord {
                            id: row.try_get("id")?,
                            person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                            opportunity_id: row.try_get::<uuid::Uuid, _>("opportunity_id")?.into(),
                            due: row.try_get("due")?,
                            assigned_by: row.try_get::<Option<uuid::Uuid>, _>("assigned_by")?.map(Into::into),
                            assigned_at: row.try_get("assigned_at")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), count = completions.len()))]
            async fn record_completions(&self, scope: TenantScope, completions: &[mycel_store::catalogue::CompletionRecord]) -> StoreResult<u64> {
                let err = store_error("completion");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let mut added = 0;
                for chunk in completions.chunks(crate::shared::IMPORT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO completions (tenant_id, person_id, opportunity_id, completed_at, statement_id) ",
                    );
                    qb.push_values(chunk, |mut row, c| {
                        row.push_bind(tenant)
                            .push_bind(c.person_id.as_uuid())
                            .push_bind(c.opportunity_id.as_uuid())
                            .push_bind(c.completed_at)
                            .push_bind(c.statement_id.clone());
                    });
                    qb.push(" ON CONFLICT (tenant_id, person_id, opportunity_id, statement_id) DO NOTHING");
                    added += qb.build().execute(&mut *tx).await.map_err(&err)?.rows_affected();
                }
                tx.commit().await.map_err(&err)?;
                Ok(added)
            }

            async fn person_completions(&self, scope: TenantScope, person: PersonId) -> StoreResult<Vec<mycel_store::catalogue::CompletionRecord>> {
                use sqlx::Row;
                let err = store_error("completion");
                let rows = sqlx::query(
                    "SELECT person_id, opportunity_id, completed_at, statement_id FROM completions \
                     WHERE tenant_id = $1 AND person_id = $2 ORDER BY completed_at DESC, statement_id",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter()
                    .map(|row| {
                        Ok(mycel_store::catalogue::CompletionRecord {
                            person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                            opportunity_id: row.try_get::<uuid::Uuid, _>("opportunity_id")?.into(),
                            completed_at: row.try_get("completed_at")?,
                            statement_id: row.try_get("statement_id")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(&err)
            }

            async fn people_in_role(&self, scope: TenantScope, role: RoleId) -> StoreResult<Vec<PersonId>> {
                let rows: Vec<(uuid::Uuid,)> = sqlx::query_as(
                    "SELECT person_id FROM role_assignments WHERE tenant_id = $1 AND role_id = $2 AND kind = 'current' ORDER BY person_id",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(role.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(store_error("role assignment"))?;
                Ok(rows.into_iter().map(|(id,)| id.into()).collect())
            }
        }
    };
}

pub(crate) use assignment_store;
