//! The company's learning strategy: strategic goals of org units ("strategische Ziele": a
//! competency at a target level that everyone in a unit's subtree should reach, with a reason and
//! perhaps a date) and what learning paths are planned for (least time or least cost).
//!
//! Everyone in the company may read the goals (they are no personal data, and they show up as
//! reasons in everyone's gaps); L&D admins of a unit (delegated, for its subtree) and company
//! admins set, change and delete them. The planning objective is the whole company's: company
//! admins and company-wide L&D admins choose it. How goals become targets: see
//! `competencies::profile` (a person) and the store's `group_competencies` (aggregates).

use crate::{Acting, AppError, AppResult};
use chrono::{SubsecRound, Utc};
use mycel_competency::{StrategicGoal, StrategicGoalInput};
use mycel_organisation::{Action, CompetencyId, OrgUnitId, StrategicGoalId, ValidationError};
use mycel_store::strategic_goals::PathObjective;
use mycel_store::{Store, StoreError, TenantScope};

/// The most goals one unit may have: a strategy, not a catalogue.
pub const MAX_GOALS_PER_UNIT: usize = 100;

/// The path of a unit of this company (root first), or not found.
async fn unit_path(
    store: &dyn Store,
    scope: TenantScope,
    unit: OrgUnitId,
) -> AppResult<Vec<OrgUnitId>> {
    match store.org_unit_path(scope, unit).await {
        Ok(path) => Ok(path),
        Err(StoreError::NotFound(_)) => Err(AppError::NotFound("org unit")),
        Err(other) => Err(other.into()),
    }
}

/// The goals set on one unit (its ancestors' apply too, but are listed on theirs).
pub async fn org_unit_goals(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    unit: OrgUnitId,
) -> AppResult<Vec<StrategicGoal>> {
    acting.require(Action::ViewOrgStructure)?;
    unit_path(store, scope, unit).await?;
    Ok(store.org_unit_strategic_goals(scope, unit).await?)
}

/// Every goal of the company, by unit.
pub async fn company_goals(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<StrategicGoal>> {
    acting.require(Action::ViewOrgStructure)?;
    Ok(store.tenant_strategic_goals(scope).await?)
}

/// Whether the actor may set goals on this unit (to offer the forms).
pub async fn may_manage(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    unit: OrgUnitId,
) -> AppResult<bool> {
    let path = unit_path(store, scope, unit).await?;
    Ok(acting.permits(Action::ManageStrategicGoals { unit_path: &path }))
}

/// Sets a new goal on a unit. A unit has one goal per competency (`Conflict` for a second); the
/// competency must be one the company sees.
pub async fn create_goal(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    unit: OrgUnitId,
    competency: CompetencyId,
    input: StrategicGoalInput<'_>,
) -> AppResult<StrategicGoal> {
    let path = unit_path(store, scope, unit).await?;
    acting.require(Action::ManageStrategicGoals { unit_path: &path })?;
    let checked = input.check()?;
    if store.org_unit_strategic_goals(scope, unit).await?.len() >= MAX_GOALS_PER_UNIT {
        return Err(ValidationError::new(
            "competency_id",
            format!("an org unit has at most {MAX_GOALS_PER_UNIT} strategic goals"),
        )
        .into());
    }
    let now = Utc::now().trunc_subsecs(6);
    let goal = StrategicGoal {
        id: StrategicGoalId::generate(),
        org_unit_id: unit,
        competency_id: competency,
        target: checked.target,
        reason: checked.reason,
        due: checked.due,
        created_at: now,
        updated_at: now,
    };
    store
        .create_strategic_goal(scope, &goal)
        .await
        .map_err(|error| match error {
            StoreError::InvalidReference(_) => ValidationError::new(
                "competency_id",
                "no such competency in the frameworks this company uses",
            )
            .into(),
            StoreError::Conflict(_) => AppError::Store(StoreError::Conflict(
                "this org unit has a strategic goal for this competency already; change that one"
                    .into(),
            )),
            other => other.into(),
        })?;
    Ok(goal)
}

/// A goal of this unit, or not found (also when it belongs to another unit).
async fn goal_of_unit(
    store: &dyn Store,
    scope: TenantScope,
    unit: OrgUnitId,
    id: StrategicGoalId,
) -> AppResult<StrategicGoal> {
    let goal = store.strategic_goal(scope, id).await?;
    if goal.org_unit_id != unit {
        return Err(AppError::NotFound("strategic goal"));
    }
    Ok(goal)
}

/// Changes a goal's target level, reason and due date.
pub async fn update_goal(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    unit: OrgUnitId,
    id: StrategicGoalId,
    input: StrategicGoalInput<'_>,
) -> AppResult<StrategicGoal> {
    let path = unit_path(store, scope, unit).await?;
    acting.require(Action::ManageStrategicGoals { unit_path: &path })?;
    let checked = input.check()?;
    let mut goal = goal_of_unit(store, scope, unit, id).await?;
    goal.target = checked.target;
    goal.reason = checked.reason;
    goal.due = checked.due;
    goal.updated_at = Utc::now().trunc_subsecs(6);
    store.update_strategic_goal(scope, &goal).await?;
    Ok(goal)
}

pub async fn delete_goal(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    unit: OrgUnitId,
    id: StrategicGoalId,
) -> AppResult<()> {
    let path = unit_path(store, scope, unit).await?;
    acting.require(Action::ManageStrategicGoals { unit_path: &path })?;
    goal_of_unit(store, scope, unit, id).await?;
    Ok(store.delete_strategic_goal(scope, id).await?)
}

/// What the company's paths are planned for.
pub async fn path_objective(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<PathObjective> {
    acting.require(Action::ViewOrgStructure)?;
    Ok(store.path_objective(scope).await?)
}

pub async fn set_path_objective(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    objective: PathObjective,
) -> AppResult<()> {
    acting.require(Action::ManagePathPlanning)?;
    Ok(store.set_path_objective(scope, objective).await?)
}
