//! Strategic goals of org units and the member company's path planning objective. Everything else
//! is `mycel_app::strategic_goals`.

use super::{acting, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use mycel_api as dto;
use mycel_app::organisation as ops;
use mycel_app::strategic_goals as strategy;
use mycel_competency::{StrategicGoal, StrategicGoalInput};
use mycel_store::strategic_goals::{AppliedStrategicGoal, PathObjective};
use uuid::Uuid;

pub(crate) fn goal_dto(g: StrategicGoal) -> dto::StrategicGoal {
    dto::StrategicGoal {
        id: g.id.as_uuid(),
        org_unit_id: g.org_unit_id.as_uuid(),
        competency_id: g.competency_id.as_uuid(),
        target_level: g.target.value(),
        reason: g.reason,
        due: g.due,
        created_at: g.created_at,
        updated_at: g.updated_at,
    }
}

pub(crate) fn applied_goal_dto(a: AppliedStrategicGoal) -> dto::AppliedStrategicGoal {
    dto::AppliedStrategicGoal {
        goal: goal_dto(a.goal),
        org_unit_name: a.org_unit_name,
    }
}

fn planning_dto(objective: PathObjective) -> dto::PathPlanning {
    dto::PathPlanning {
        objective: match objective {
            PathObjective::LeastTime => dto::PathObjective::Time,
            PathObjective::LeastCost => dto::PathObjective::Cost,
        },
    }
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/org-units/{id}/strategic-goals", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path, description = "The org unit")),
    responses((status = 200, description = "The goals set on this unit, oldest first (those of the units above it apply too, and are listed there)", body = [dto::StrategicGoal]),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_strategic_goals(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, unit)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<Vec<dto::StrategicGoal>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let goals =
        strategy::org_unit_goals(&*state.store, acting(&caller), scope, unit.into()).await?;
    Ok(ApiJson(goals.into_iter().map(goal_dto).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/org-units/{id}/strategic-goals", tag = "organisation",
    request_body = dto::CreateStrategicGoal,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path, description = "The org unit")),
    responses((status = 201, description = "Set: a target of everyone in the unit and the units below it", body = dto::StrategicGoal),
              (status = 403, description = "Not an L&D admin of the unit or a company admin", body = ErrorBody),
              (status = 404, description = "No such org unit in this member company", body = ErrorBody),
              (status = 409, description = "The unit has a goal for this competency already", body = ErrorBody),
              (status = 422, description = "A level outside 0–4, an empty or too long reason, a competency the company does not use", body = ErrorBody)))]
pub async fn create_strategic_goal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, unit)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::CreateStrategicGoal>,
) -> ApiResult<(StatusCode, ApiJson<dto::StrategicGoal>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let goal = strategy::create_goal(
        &*state.store,
        acting(&caller),
        scope,
        unit.into(),
        body.competency_id.into(),
        StrategicGoalInput {
            target: body.target_level,
            reason: &body.reason,
            due: body.due,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(goal_dto(goal))))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/org-units/{id}/strategic-goals/{goal}", tag = "organisation",
    request_body = dto::UpdateStrategicGoal,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path, description = "The org unit"), ("goal" = Uuid, Path)),
    responses((status = 200, body = dto::StrategicGoal),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_strategic_goal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, unit, id)): ApiPath<(String, Uuid, Uuid)>,
    ApiJson(body): ApiJson<dto::UpdateStrategicGoal>,
) -> ApiResult<ApiJson<dto::StrategicGoal>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let goal = strategy::update_goal(
        &*state.store,
        acting(&caller),
        scope,
        unit.into(),
        id.into(),
        StrategicGoalInput {
            target: body.target_level,
            reason: &body.reason,
            due: body.due,
        },
    )
    .await?;
    Ok(ApiJson(goal_dto(goal)))
}

#[utoipa::path(delete, path = "/api/v1/tenants/{tenant}/org-units/{id}/strategic-goals/{goal}", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path, description = "The org unit"), ("goal" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_strategic_goal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, unit, id)): ApiPath<(String, Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    strategy::delete_goal(
        &*state.store,
        acting(&caller),
        scope,
        unit.into(),
        id.into(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/path-planning", tag = "learning-paths",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, description = "What the member company's learning paths are planned for (`time` until chosen)", body = dto::PathPlanning),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn path_planning(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<dto::PathPlanning>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let objective = strategy::path_objective(&*state.store, acting(&caller), scope).await?;
    Ok(ApiJson(planning_dto(objective)))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/path-planning", tag = "learning-paths",
    request_body = dto::PathPlanning,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, description = "Every path is planned for this from now on", body = dto::PathPlanning),
              (status = 403, description = "Not a company admin or company-wide L&D admin", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_path_planning(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::PathPlanning>,
) -> ApiResult<ApiJson<dto::PathPlanning>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let objective = match body.objective {
        dto::PathObjective::Time => PathObjective::LeastTime,
        dto::PathObjective::Cost => PathObjective::LeastCost,
    };
    strategy::set_path_objective(&*state.store, acting(&caller), scope, objective).await?;
    Ok(ApiJson(planning_dto(objective)))
}
