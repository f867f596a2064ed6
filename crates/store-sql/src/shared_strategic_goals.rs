//! The store of strategic goals and the planning objective, written once and expanded for both
//! pools by [`strategic_goal_store!`] (see `shared.rs` for why).

pub const INSERT_GOAL: &str = "INSERT INTO strategic_goals \
     (tenant_id, id, org_unit_id, competency_id, target_level, reason, due, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub const GOAL: &str =
    "SELECT g.id, g.org_unit_id, g.competency_id, g.target_level, g.reason, g.due, \
     g.created_at, g.updated_at FROM strategic_goals g WHERE g.tenant_id = $1 AND g.id = $2";
pub const UPDATE_GOAL: &str =
    "UPDATE strategic_goals SET target_level = $3, reason = $4, due = $5, \
     updated_at = $6 WHERE tenant_id = $1 AND id = $2";
pub const DELETE_GOAL: &str = "DELETE FROM strategic_goals WHERE tenant_id = $1 AND id = $2";
pub const GOALS_OF_UNIT: &str = "SELECT g.id, g.org_unit_id, g.competency_id, g.target_level, g.reason, \
     g.due, g.created_at, g.updated_at FROM strategic_goals g WHERE g.tenant_id = $1 AND g.org_unit_id = $2 \
     ORDER BY g.created_at, g.id";
pub const GOALS_OF_TENANT: &str =
    "SELECT g.id, g.org_unit_id, g.competency_id, g.target_level, g.reason, \
     g.due, g.created_at, g.updated_at FROM strategic_goals g WHERE g.tenant_id = $1 \
     ORDER BY g.org_unit_id, g.created_at, g.id";
/// The goals of a unit and its ancestors, the root's first, with the name of the unit that set
/// each. The depth bound guards against a cycle in bad data.
pub const GOALS_APPLYING_TO_UNIT: &str = "WITH RECURSIVE path (id, parent_id, name, depth) AS ( \
       SELECT id, parent_id, name, 0 FROM org_units WHERE tenant_id = $1 AND id = $2 \
       UNION ALL \
       SELECT u.id, u.parent_id, u.name, p.depth + 1 FROM org_units u JOIN path p ON u.id = p.parent_id \
       WHERE u.tenant_id = $1 AND p.depth < 1000) \
     SELECT g.id, g.org_unit_id, g.competency_id, g.target_level, g.reason, g.due, g.created_at, \
       g.updated_at, path.name AS org_unit_name \
     FROM path JOIN strategic_goals g ON g.tenant_id = $1 AND g.org_unit_id = path.id \
     ORDER BY path.depth DESC, g.created_at, g.id";
pub const ANY_GOAL: &str = "SELECT 1 FROM strategic_goals WHERE tenant_id = $1 LIMIT 1";
/// The strategic targets of a page of people, for the aggregates: each person's unit and its
/// ancestors, joined with their goals. Built in three parts around the tenant (bound) and the list
/// of people (see `group_competencies` in `shared_competencies.rs`):
/// `PEOPLE_UNITS_UP` tenant [people] `UNITS_UP_STEP` tenant `UNITS_UP_GOALS` tenant.
pub const PEOPLE_UNITS_UP: &str = "WITH RECURSIVE up (person_id, unit_id, depth) AS ( \
       SELECT id, org_unit_id, 0 FROM people WHERE org_unit_id IS NOT NULL AND tenant_id = ";
pub const UNITS_UP_STEP: &str = " UNION ALL \
       SELECT up.person_id, u.parent_id, up.depth + 1 FROM up JOIN org_units u ON u.tenant_id = ";
pub const UNITS_UP_GOALS: &str =
    " AND u.id = up.unit_id WHERE u.parent_id IS NOT NULL AND up.depth < 1000) \
     SELECT up.person_id, g.competency_id, g.target_level FROM up \
     JOIN strategic_goals g ON g.org_unit_id = up.unit_id AND g.tenant_id = ";
pub const PATH_OBJECTIVE: &str = "SELECT path_objective FROM tenant_settings WHERE tenant_id = $1";
pub const SET_PATH_OBJECTIVE: &str = "INSERT INTO tenant_settings (tenant_id, path_objective, updated_at) \
     VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO UPDATE SET path_objective = excluded.path_objective, \
     updated_at = excluded.updated_at";

/// Implements [`mycel_store::StrategicGoalStore`] for `$store`.
macro_rules! strategic_goal_store {
    ($store:ident, $db:ty) => {
        mod strategic_goal_rows {
            use mycel_competency::StrategicGoal;
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            pub(super) fn goal(row: &DbRow) -> Result<StrategicGoal, sqlx::Error> {
                let target: f64 = row.try_get("target_level")?;
                Ok(StrategicGoal {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    org_unit_id: row.try_get::<uuid::Uuid, _>("org_unit_id")?.into(),
                    competency_id: row.try_get::<uuid::Uuid, _>("competency_id")?.into(),
                    target: mycel_competency::scale::Level::new(target).ok_or_else(|| {
                        crate::shared::corrupt("target level", &target.to_string())
                    })?,
                    reason: row.try_get("reason")?,
                    due: row.try_get("due")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::StrategicGoalStore for $store {
            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn create_strategic_goal(
                &self,
                scope: TenantScope,
                goal: &mycel_competency::StrategicGoal,
            ) -> StoreResult<()> {
                let err = store_error("strategic goal");
                let visible =
                    mycel_store::CompetencyStore::competencies(self, scope, &[goal.competency_id])
                        .await?;
                if visible.is_empty() {
                    return Err(StoreError::InvalidReference(
                        "the competency does not exist or is not visible to this tenant".into(),
                    ));
                }
                let _writer = self.exclusive_write().await;
                sqlx::query(crate::shared_strategic_goals::INSERT_GOAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(goal.id.as_uuid())
                    .bind(goal.org_unit_id.as_uuid())
                    .bind(goal.competency_id.as_uuid())
                    .bind(goal.target.value())
                    .bind(&goal.reason)
                    .bind(goal.due)
                    .bind(goal.created_at)
                    .bind(goal.updated_at)
                    .execute(&self.pool)
                    .await
                    .map_err(&err)?;
                Ok(())
            }

            async fn strategic_goal(
                &self,
                scope: TenantScope,
                id: StrategicGoalId,
            ) -> StoreResult<mycel_competency::StrategicGoal> {
                let err = store_error("strategic goal");
                let row = sqlx::query(crate::shared_strategic_goals::GOAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(&err)?;
                strategic_goal_rows::goal(&row).map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn update_strategic_goal(
                &self,
                scope: TenantScope,
                goal: &mycel_competency::StrategicGoal,
            ) -> StoreResult<()> {
                let err = store_error("strategic goal");
                let _writer = self.exclusive_write().await;
                let changed = sqlx::query(crate::shared_strategic_goals::UPDATE_GOAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(goal.id.as_uuid())
                    .bind(goal.target.value())
                    .bind(&goal.reason)
                    .bind(goal.due)
                    .bind(goal.updated_at)
                    .execute(&self.pool)
                    .await
                    .map_err(&err)?
                    .rows_affected();
                if changed == 0 {
                    return Err(StoreError::NotFound("strategic goal"));
                }
                Ok(())
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn delete_strategic_goal(
                &self,
                scope: TenantScope,
                id: StrategicGoalId,
            ) -> StoreResult<()> {
                let err = store_error("strategic goal");
                let _writer = self.exclusive_write().await;
                let deleted = sqlx::query(crate::shared_strategic_goals::DELETE_GOAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .execute(&self.pool)
                    .await
                    .map_err(&err)?
                    .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::NotFound("strategic goal"));
                }
                Ok(())
            }

            async fn org_unit_strategic_goals(
                &self,
                scope: TenantScope,
                unit: OrgUnitId,
            ) -> StoreResult<Vec<mycel_competency::StrategicGoal>> {
                let err = store_error("strategic goal");
                sqlx::query(crate::shared_strategic_goals::GOALS_OF_UNIT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(unit.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| strategic_goal_rows::goal(row).map_err(&err))
                    .collect()
            }

            async fn tenant_strategic_goals(
                &self,
                scope: TenantScope,
            ) -> StoreResult<Vec<mycel_competency::StrategicGoal>> {
                let err = store_error("strategic goal");
                sqlx::query(crate::shared_strategic_goals::GOALS_OF_TENANT)
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| strategic_goal_rows::goal(row).map_err(&err))
                    .collect()
            }

            async fn strategic_goals_applying_to(
                &self,
                scope: TenantScope,
                unit: OrgUnitId,
            ) -> StoreResult<Vec<mycel_store::strategic_goals::AppliedStrategicGoal>> {
                use sqlx::Row;
                let err = store_error("strategic goal");
                sqlx::query(crate::shared_strategic_goals::GOALS_APPLYING_TO_UNIT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(unit.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?
                    .iter()
                    .map(|row| {
                        Ok(mycel_store::strategic_goals::AppliedStrategicGoal {
                            goal: strategic_goal_rows::goal(row).map_err(&err)?,
                            org_unit_name: row.try_get("org_unit_name").map_err(&err)?,
                        })
                    })
                    .collect()
            }

            async fn path_objective(
                &self,
                scope: TenantScope,
            ) -> StoreResult<mycel_store::strategic_goals::PathObjective> {
                use mycel_store::strategic_goals::PathObjective;
                let err = store_error("tenant settings");
                let stored: Option<String> =
                    sqlx::query_scalar(crate::shared_strategic_goals::PATH_OBJECTIVE)
                        .bind(scope.tenant_id().as_uuid())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(&err)?;
                match stored {
                    None => Ok(PathObjective::default()),
                    Some(text) => PathObjective::parse(&text)
                        .ok_or_else(|| err(crate::shared::corrupt("path objective", &text))),
                }
            }

            async fn set_path_objective(
                &self,
                scope: TenantScope,
                objective: mycel_store::strategic_goals::PathObjective,
            ) -> StoreResult<()> {
                let err = store_error("tenant settings");
                let _writer = self.exclusive_write().await;
                sqlx::query(crate::shared_strategic_goals::SET_PATH_OBJECTIVE)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(objective.as_str())
                    .bind(now())
                    .execute(&self.pool)
                    .await
                    .map_err(&err)?;
                Ok(())
            }
        }
    };
}

pub(crate) use strategic_goal_store;
