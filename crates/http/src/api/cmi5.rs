//! cmi5 for other systems and administrators: launch an AU of a course (for a person of the
//! company or an outside learner), waive an AU, abandon a session, read a person's progress.
//! Everything else is `mycel_app::cmi5`.

use super::{acting, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use mycel_api as dto;
use mycel_app::cmi5::LaunchMode;
use mycel_app::cmi5::{self, AuChoice, LaunchRequest, Learner};
use mycel_app::organisation as ops;
use uuid::Uuid;

fn au_choice(index: Option<usize>, id: Option<String>) -> Result<AuChoice, ApiError> {
    match (index, id) {
        (Some(_), Some(_)) => Err(ApiError::bad_request("give au_index or au, not both")),
        (Some(index), None) => Ok(AuChoice::Index(index)),
        (None, Some(id)) => Ok(AuChoice::Id(id)),
        (None, None) => Ok(AuChoice::Next),
    }
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/opportunities/{id}/cmi5/launches", tag = "cmi5",
    request_body = dto::Cmi5LaunchInput,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path, description = "An e-learning opportunity playing a cmi5 package")),
    responses((status = 201, description = "Launched: open the URL in the learner's browser", body = dto::Cmi5Launch),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn launch(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::Cmi5LaunchInput>,
) -> ApiResult<(StatusCode, ApiJson<dto::Cmi5Launch>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let learner = match (body.person_id, body.actor) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request("give person_id or actor, not both"))
        }
        (Some(person), None) => Learner::Person(person.into()),
        (None, Some(actor)) => Learner::Agent(actor),
        (None, None) => match &caller.person {
            Some(person) => Learner::Person(person.id),
            None => return Err(ApiError::bad_request("say who learns: person_id or actor")),
        },
    };
    let launch_mode = match body.launch_mode.as_deref() {
        None | Some("Normal") => LaunchMode::Normal,
        Some("Browse") => LaunchMode::Browse,
        Some("Review") => LaunchMode::Review,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "launch_mode is Normal, Browse or Review, not {other:?}"
            )))
        }
    };
    let request = LaunchRequest {
        au: au_choice(body.au_index, body.au)?,
        learner,
        registration: body.registration,
        reuse_registration: false,
        launch_mode: Some(launch_mode),
        return_url: body.return_url,
    };
    let (home, base) = (state.config.home_page(), state.config.base_url(&headers));
    let launched = cmi5::launch(
        &state.cmi5(&home, &base),
        acting(&caller),
        scope,
        id.into(),
        request,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(dto::Cmi5Launch {
            url: launched.url,
            registration: launched.registration,
            session: launched.session,
            au: launched.au_id,
            activity_id: launched.activity_id,
        }),
    ))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/cmi5/registrations/{registration}/waivers", tag = "cmi5",
    request_body = dto::Cmi5WaiverInput,
    params(("tenant" = String, Path, description = "The member company's slug"), ("registration" = Uuid, Path)),
    responses((status = 201, description = "Waived: the \"waived\" statement and the \"satisfied\" ones it causes are recorded"),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "No such AU, or waived already", body = ErrorBody)))]
pub async fn waive(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((slug, registration)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::Cmi5WaiverInput>,
) -> ApiResult<StatusCode> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let au = au_choice(body.au_index, body.au)?;
    if au == AuChoice::Next {
        return Err(ApiError::bad_request("say which AU: au_index or au"));
    }
    let (home, base) = (state.config.home_page(), state.config.base_url(&headers));
    cmi5::waive(
        &state.cmi5(&home, &base),
        acting(&caller),
        scope,
        registration,
        &au,
        &body.reason,
    )
    .await?;
    Ok(StatusCode::CREATED)
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/cmi5/sessions/{session}/abandon", tag = "cmi5",
    params(("tenant" = String, Path, description = "The member company's slug"), ("session" = Uuid, Path)),
    responses((status = 200, description = "Abandoned: the \"abandoned\" statement is recorded and the AU's token stops working"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "The session is over already", body = ErrorBody)))]
pub async fn abandon(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((slug, session)): ApiPath<(String, Uuid)>,
) -> ApiResult<StatusCode> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let (home, base) = (state.config.home_page(), state.config.base_url(&headers));
    cmi5::abandon_session(&state.cmi5(&home, &base), acting(&caller), scope, session).await?;
    Ok(StatusCode::OK)
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/opportunities/{id}/cmi5/progress/{person}", tag = "cmi5",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path), ("person" = Uuid, Path)),
    responses((status = 200, description = "The person's newest registration", body = dto::Cmi5Progress),
              (status = 403, body = ErrorBody),
              (status = 404, description = "No such course, or the person never launched it", body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((slug, id, person)): ApiPath<(String, Uuid, Uuid)>,
) -> ApiResult<ApiJson<dto::Cmi5Progress>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let (home, base) = (state.config.home_page(), state.config.base_url(&headers));
    let progress = cmi5::course_progress(
        &state.cmi5(&home, &base),
        acting(&caller),
        scope,
        id.into(),
        person.into(),
    )
    .await?
    .ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "the person has not launched this course",
        )
    })?;
    Ok(ApiJson(dto::Cmi5Progress {
        registration: progress.registration,
        satisfied: progress.satisfied,
        aus: progress
            .aus
            .into_iter()
            .map(|au| dto::Cmi5AuProgress {
                au: au.id,
                title: au.title,
                completed: au.completed,
                passed: au.passed,
                failed: au.failed,
                waived: au.waived,
                satisfied: au.satisfied,
            })
            .collect(),
    }))
}
