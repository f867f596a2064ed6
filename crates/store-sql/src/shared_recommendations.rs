//! Recommendations' store (feedback, ratings, peers' completions, the newest opportunities),
//! written once and expanded for both pools by [`recommendation_store!`] (see `shared.rs` for why).

/// The current holders of the roles bound after it (the caller closes the list).
pub(crate) const PEERS: &str =
    " IN (SELECT ra.person_id FROM role_assignments ra WHERE ra.tenant_id = ";

/// Implements [`mycel_store::RecommendationStore`] for `$store`.
macro_rules! recommendation_store {
    ($store:ident, $db:ty) => {
        mod recommendation_rows {
            use mycel_store::recommendations::{FeedbackKind, RatingRecord, RecommendationFeedback};
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            pub(super) fn feedback(row: &DbRow) -> Result<RecommendationFeedback, sqlx::Error> {
                let kind: String = row.try_get("kind")?;
                Ok(RecommendationFeedback {
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    opportunity_id: row.try_get::<uuid::Uuid, _>("opportunity_id")?.into(),
                    kind: FeedbackKind::parse(&kind)
                        .ok_or_else(|| crate::shared::corrupt("feedback kind", &kind))?,
                    given_at: row.try_get("given_at")?,
                })
            }

            pub(super) fn rating(row: &DbRow) -> Result<RatingRecord, sqlx::Error> {
                let stars: i32 = row.try_get("stars")?;
                Ok(RatingRecord {
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    opportunity_id: row.try_get::<uuid::Uuid, _>("opportunity_id")?.into(),
                    stars: u8::try_from(stars)
                        .map_err(|_| crate::shared::corrupt("stars", &stars.to_string()))?,
                    rated_at: row.try_get("rated_at")?,
                    statement_id: row.try_get("statement_id")?,
                })
            }

            pub(super) fn summary(
                row: &DbRow,
            ) -> Result<mycel_store::recommendations::RatingSummary, sqlx::Error> {
                let count: i64 = row.try_get("raters")?;
                let sum: Option<i64> = row.try_get("stars_sum")?;
                Ok(mycel_store::recommendations::RatingSummary {
                    count: u32::try_from(count).unwrap_or(u32::MAX),
                    stars_sum: u64::try_from(sum.unwrap_or(0)).unwrap_or(0),
                })
            }
        }

        impl $store {
            /// Binds "the current holders of these roles, not `except`" after a person column.
            fn push_peers(
                qb: &mut sqlx::QueryBuilder<'_, $db>,
                scope: TenantScope,
                roles: &[RoleId],
                except: PersonId,
                column: &str,
            ) {
                qb.push(format!(" AND {column} <> "));
                qb.push_bind(except.as_uuid());
                qb.push(format!(" AND {column}"));
                qb.push(crate::shared_recommendations::PEERS);
                qb.push_bind(scope.tenant_id().as_uuid());
                qb.push(" AND ra.kind = 'current' AND ra.role_id IN (");
                let mut list = qb.separated(", ");
                for role in roles {
                    list.push_bind(role.as_uuid());
                }
                qb.push("))");
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::RecommendationStore for $store {
            async fn set_recommendation_feedback(
                &self,
                scope: TenantScope,
                feedback: &mycel_store::recommendations::RecommendationFeedback,
            ) -> StoreResult<()> {
                let err = store_error("recommendation feedback");
                let _writer = self.exclusive_write().await;
                sqlx::query(
                    "INSERT INTO recommendation_feedback (tenant_id, person_id, opportunity_id, kind, given_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, person_id, opportunity_id) \
                     DO UPDATE SET kind = excluded.kind, given_at = excluded.given_at",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(feedback.person_id.as_uuid())
                .bind(feedback.opportunity_id.as_uuid())
                .bind(feedback.kind.as_str())
                .bind(feedback.given_at)
                .execute(&self.pool)
                .await
                .map_err(&err)?;
                Ok(())
            }

            async fn remove_recommendation_feedback(
                &self,
                scope: TenantScope,
                person: PersonId,
                opportunity: OpportunityId,
            ) -> StoreResult<bool> {
                let err = store_error("recommendation feedback");
                let _writer = self.exclusive_write().await;
                let done = sqlx::query(
                    "DELETE FROM recommendation_feedback \
                     WHERE tenant_id = $1 AND person_id = $2 AND opportunity_id = $3",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .bind(opportunity.as_uuid())
                .execute(&self.pool)
                .await
                .map_err(&err)?;
                Ok(done.rows_affected() > 0)
            }

            async fn recommendation_feedback(
                &self,
                scope: TenantScope,
                person: PersonId,
                limit: u32,
            ) -> StoreResult<Vec<mycel_store::recommendations::RecommendationFeedback>> {
                let err = store_error("recommendation feedback");
                let rows = sqlx::query(
                    "SELECT person_id, opportunity_id, kind, given_at FROM recommendation_feedback \
                     WHERE tenant_id = $1 AND person_id = $2 \
                     ORDER BY given_at DESC, opportunity_id LIMIT $3",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter()
                    .map(recommendation_rows::feedback)
                    .collect::<Result<_, _>>()
                    .map_err(&err)
            }

            async fn record_ratings(
                &self,
                scope: TenantScope,
                ratings: &[mycel_store::recommendations::RatingRecord],
            ) -> StoreResult<u64> {
                let err = store_error("rating");
                // The newest per person and opportunity (one row may not change twice in one
                // statement on PostgreSQL, and an older one must not win).
                let mut newest: std::collections::BTreeMap<
                    (OpportunityId, PersonId),
                    &mycel_store::recommendations::RatingRecord,
                > = std::collections::BTreeMap::new();
                for rating in ratings {
                    let key = (rating.opportunity_id, rating.person_id);
                    match newest.get(&key) {
                        Some(kept) if kept.rated_at > rating.rated_at => {}
                        _ => {
                            newest.insert(key, rating);
                        }
                    }
                }
                if newest.is_empty() {
                    return Ok(0);
                }
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let mut changed = 0;
                for rating in newest.values() {
                    changed += sqlx::query(
                        "INSERT INTO opportunity_ratings \
                         (tenant_id, opportunity_id, person_id, stars, rated_at, statement_id) \
                         VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (tenant_id, opportunity_id, person_id) DO UPDATE \
                         SET stars = excluded.stars, rated_at = excluded.rated_at, \
                         statement_id = excluded.statement_id \
                         WHERE excluded.rated_at >= opportunity_ratings.rated_at \
                         AND excluded.statement_id <> opportunity_ratings.statement_id",
                    )
                    .bind(scope.tenant_id().as_uuid())
                    .bind(rating.opportunity_id.as_uuid())
                    .bind(rating.person_id.as_uuid())
                    .bind(i32::from(rating.stars))
                    .bind(rating.rated_at)
                    .bind(&rating.statement_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(&err)?
                    .rows_affected();
                }
                tx.commit().await.map_err(&err)?;
                Ok(changed)
            }

            async fn rating_of(
                &self,
                scope: TenantScope,
                person: PersonId,
                opportunity: OpportunityId,
            ) -> StoreResult<Option<mycel_store::recommendations::RatingRecord>> {
                let err = store_error("rating");
                let row = sqlx::query(
                    "SELECT person_id, opportunity_id, stars, rated_at, statement_id \
                     FROM opportunity_ratings \
                     WHERE tenant_id = $1 AND opportunity_id = $2 AND person_id = $3",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(opportunity.as_uuid())
                .bind(person.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(&err)?;
                row.as_ref()
                    .map(recommendation_rows::rating)
                    .transpose()
                    .map_err(&err)
            }

            async fn rating_summary(
                &self,
                scope: TenantScope,
                opportunity: OpportunityId,
            ) -> StoreResult<mycel_store::recommendations::RatingSummary> {
                let err = store_error("rating");
                let row = sqlx::query(
                    "SELECT COUNT(*) AS raters, SUM(stars) AS stars_sum FROM opportunity_ratings \
                     WHERE tenant_id = $1 AND opportunity_id = $2",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(opportunity.as_uuid())
                .fetch_one(&self.pool)
                .await
                .map_err(&err)?;
                recommendation_rows::summary(&row).map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn peer_activity(
                &self,
                scope: TenantScope,
                roles: &[RoleId],
                except: PersonId,
                query: mycel_store::recommendations::PeerQuery<'_>,
            ) -> StoreResult<Vec<mycel_store::recommendations::PeerActivity>> {
                use mycel_store::recommendations::{PeerActivity, PeerQuery, RatingSummary};
                use sqlx::Row;
                let err = store_error("completion");
                if roles.is_empty() {
                    return Ok(Vec::new());
                }
                let roles = &roles[..roles.len().min(crate::shared_competencies::CHUNK)];
                let tenant = scope.tenant_id().as_uuid();
                // Completions by peers: the top ones, or those of the given opportunities.
                let chunks: Vec<Option<&[OpportunityId]>> = match query {
                    PeerQuery::Top(_) => vec![None],
                    PeerQuery::Of(ids) => ids
                        .chunks(crate::shared_competencies::CHUNK)
                        .map(Some)
                        .collect(),
                };
                let mut found: Vec<PeerActivity> = Vec::new();
                for chunk in chunks {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT c.opportunity_id, COUNT(DISTINCT c.person_id) AS completed_by \
                         FROM completions c WHERE c.tenant_id = ",
                    );
                    qb.push_bind(tenant);
                    if let Some(ids) = chunk {
                        qb.push(" AND c.opportunity_id IN (");
                        let mut list = qb.separated(", ");
                        for id in ids {
                            list.push_bind(id.as_uuid());
                        }
                        qb.push(")");
                    }
                    Self::push_peers(&mut qb, scope, roles, except, "c.person_id");
                    qb.push(" GROUP BY c.opportunity_id ORDER BY completed_by DESC, c.opportunity_id");
                    if let PeerQuery::Top(n) = query {
                        qb.push(" LIMIT ");
                        qb.push_bind(i64::from(n));
                    }
                    for row in qb.build().fetch_all(&self.pool).await.map_err(&err)? {
                        let id: uuid::Uuid = row.try_get("opportunity_id").map_err(&err)?;
                        let count: i64 = row.try_get("completed_by").map_err(&err)?;
                        found.push(PeerActivity {
                            opportunity_id: id.into(),
                            completed_by: u32::try_from(count).unwrap_or(u32::MAX),
                            ratings: RatingSummary::default(),
                        });
                    }
                }
                // Their ratings of those.
                let ids: Vec<OpportunityId> = found.iter().map(|p| p.opportunity_id).collect();
                let mut ratings = std::collections::HashMap::new();
                for chunk in ids.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT r.opportunity_id, COUNT(*) AS raters, SUM(r.stars) AS stars_sum \
                         FROM opportunity_ratings r WHERE r.tenant_id = ",
                    );
                    qb.push_bind(tenant);
                    qb.push(" AND r.opportunity_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_uuid());
                    }
                    qb.push(")");
                    Self::push_peers(&mut qb, scope, roles, except, "r.person_id");
                    qb.push(" GROUP BY r.opportunity_id");
                    for row in qb.build().fetch_all(&self.pool).await.map_err(&err)? {
                        let id: uuid::Uuid = row.try_get("opportunity_id").map_err(&err)?;
                        ratings.insert(
                            OpportunityId::from(id),
                            recommendation_rows::summary(&row).map_err(&err)?,
                        );
                    }
                }
                for peer in &mut found {
                    if let Some(summary) = ratings.get(&peer.opportunity_id) {
                        peer.ratings = *summary;
                    }
                }
                Ok(found)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn newest_opportunities(
                &self,
                scope: TenantScope,
                since: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> StoreResult<Vec<(OpportunityId, chrono::DateTime<chrono::Utc>)>> {
                use sqlx::Row;
                let err = store_error("opportunity");
                let rows = sqlx::query(&format!(
                    "SELECT o.id, o.created_at FROM opportunities o \
                     WHERE {} AND o.lifecycle = 'published' AND o.created_at >= $2 \
                     ORDER BY o.created_at DESC, o.id DESC LIMIT $3",
                    crate::shared_catalogue::VISIBLE_OPPORTUNITY
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(since)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter()
                    .map(|row| {
                        Ok((
                            OpportunityId::from(row.try_get::<uuid::Uuid, _>("id")?),
                            row.try_get("created_at")?,
                        ))
                    })
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(&err)
            }
        }
    };
}

pub(crate) use recommendation_store;
