//! Learning paths' store, written once and expanded for both pools by [`learning_path_store!`]
//! (see `shared.rs` for why).

/// Implements [`mycel_store::LearningPathStore`] for `$store`.
macro_rules! learning_path_store {
    ($store:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl mycel_store::LearningPathStore for $store {
            async fn path_choices(
                &self,
                scope: TenantScope,
                person: PersonId,
            ) -> StoreResult<Option<mycel_store::learning_paths::PathChoicesRecord>> {
                use sqlx::Row;
                let err = store_error("learning path");
                let row = sqlx::query(
                    "SELECT choices, updated_at FROM learning_path_choices \
                     WHERE tenant_id = $1 AND person_id = $2",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(&err)?;
                row.map(|row| {
                    Ok(mycel_store::learning_paths::PathChoicesRecord {
                        person_id: person,
                        choices: row.try_get("choices")?,
                        updated_at: row.try_get("updated_at")?,
                    })
                })
                .transpose()
                .map_err(|e: sqlx::Error| err(e))
            }

            async fn save_path_choices(
                &self,
                scope: TenantScope,
                choices: &mycel_store::learning_paths::PathChoicesRecord,
            ) -> StoreResult<()> {
                let err = store_error("learning path");
                let _writer = self.exclusive_write().await;
                sqlx::query(
                    "INSERT INTO learning_path_choices (tenant_id, person_id, choices, updated_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, person_id) \
                     DO UPDATE SET choices = excluded.choices, updated_at = excluded.updated_at",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(choices.person_id.as_uuid())
                .bind(&choices.choices)
                .bind(choices.updated_at)
                .execute(&self.pool)
                .await
                .map_err(&err)?;
                Ok(())
            }

            async fn colleagues_with_level(
                &self,
                scope: TenantScope,
                competency: CompetencyId,
                min_level: f64,
                limit: u32,
            ) -> StoreResult<Vec<(PersonId, f64)>> {
                use sqlx::Row;
                let err = store_error("competency estimate");
                let rows = sqlx::query(
                    "SELECT e.person_id, e.level FROM competency_estimates e \
                     JOIN competency_profile_sharing s ON s.tenant_id = e.tenant_id AND s.person_id = e.person_id \
                     WHERE e.tenant_id = $1 AND e.competency_id = $2 AND e.level >= $3 \
                     ORDER BY e.level DESC, e.person_id LIMIT $4",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(competency.as_uuid())
                .bind(min_level)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter()
                    .map(|row| {
                        Ok((
                            PersonId::from(row.try_get::<uuid::Uuid, _>("person_id")?),
                            row.try_get::<f64, _>("level")?,
                        ))
                    })
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(&err)
            }

            async fn opportunities_teaching(
                &self,
                scope: TenantScope,
                competencies: &[CompetencyId],
            ) -> StoreResult<Vec<OpportunityId>> {
                use sqlx::Row;
                let err = store_error("opportunity");
                let mut found = std::collections::BTreeSet::new();
                // Only what this company may see, decided in the query (the rule of
                // `VISIBLE_OPPORTUNITY`, in two indexed halves): its own published opportunities,
                // by (tenant, competency); and what other companies offer to the network or to it,
                // found through the audience's (kind, target) index. A network's catalogue holds
                // many companies' offers teaching the same competencies.
                for chunk in competencies.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT al.opportunity_id FROM opportunity_alignments al \
                         JOIN opportunities o ON o.tenant_id = al.tenant_id AND o.id = al.opportunity_id \
                         WHERE o.lifecycle = 'published' AND al.tenant_id = ",
                    );
                    qb.push_bind(scope.tenant_id().as_uuid());
                    qb.push(" AND al.competency_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_uuid());
                    }
                    qb.push(
                        ") UNION SELECT al.opportunity_id FROM opportunity_audience au \
                         JOIN opportunity_alignments al ON al.tenant_id = au.tenant_id AND al.opportunity_id = au.opportunity_id \
                         JOIN opportunities o ON o.tenant_id = al.tenant_id AND o.id = al.opportunity_id \
                         WHERE o.lifecycle = 'published' AND (au.kind = 'network' OR (au.kind = 'company' AND au.target = ",
                    );
                    qb.push_bind(scope.tenant_id().as_uuid());
                    qb.push(")) AND al.competency_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_uuid());
                    }
                    qb.push(")");
                    for row in qb.build().fetch_all(&self.pool).await.map_err(&err)? {
                        let id: uuid::Uuid = row.try_get("opportunity_id").map_err(&err)?;
                        found.insert(OpportunityId::from(id));
                    }
                }
                Ok(found.into_iter().collect())
            }
        }
    };
}

pub(crate) use learning_path_store;
