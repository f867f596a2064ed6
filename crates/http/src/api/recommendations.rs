//! "For you" recommendations for other tools of the network, the person's feedback on them, and
//! ratings of completed opportunities. Everything else is `mycel_app::recommendations`.

use super::{acting, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use mycel_api as dto;
use mycel_app::organisation as ops;
use mycel_app::recommendations::{self as recs, Reason};
use mycel_competency::gap::TargetSource;
use mycel_store::recommendations::FeedbackKind;
use uuid::Uuid;

fn reason_dto(reason: &Reason) -> dto::RecommendationReason {
    let mut out = dto::RecommendationReason {
        kind: String::new(),
        competency_id: None,
        current: None,
        target: None,
        source: None,
        role_id: None,
        completed_by: None,
        average_rating: None,
        days: None,
    };
    match reason {
        Reason::Gap {
            competency_id,
            current,
            target,
            source,
        } => {
            out.kind = "gap".into();
            out.competency_id = Some(competency_id.as_uuid());
            out.current = Some(*current);
            out.target = Some(*target);
            out.source = source.map(|s| {
                match s {
                    TargetSource::Role { aspired: true, .. } => "aspired_role",
                    TargetSource::Role { .. } => "role",
                    TargetSource::Goal { .. } => "goal",
                    TargetSource::Strategic { .. } => "strategic",
                }
                .to_owned()
            });
            out.role_id = match source {
                Some(TargetSource::Role { role_id, .. }) => Some(role_id.as_uuid()),
                _ => None,
            };
        }
        Reason::Peers {
            completed_by,
            average_rating,
        } => {
            out.kind = "peers".into();
            out.completed_by = Some(*completed_by);
            out.average_rating = average_rating.map(|a| (a * 10.0).round() / 10.0);
        }
        Reason::New { days } => {
            out.kind = "new".into();
            out.days = Some(*days);
        }
    }
    out
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}/recommendations", tag = "learning-paths",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path), dto::RecommendationParams),
    responses((status = 200, description = "Computed now: opportunities beyond the person's path with their reasons (the person; their manager and L&D if the person shares their profile, audited)", body = dto::Recommendations),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn person_recommendations(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiQuery(params): ApiQuery<dto::RecommendationParams>,
) -> ApiResult<ApiJson<dto::Recommendations>> {
    let count = match params.count {
        None => recs::DEFAULT_COUNT,
        Some(n @ 1..=20) => n as usize,
        Some(_) => return Err(ApiError::invalid_field("count", "from 1 to 20")),
    };
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let view = recs::for_person(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        chrono::Utc::now(),
        count,
    )
    .await?;
    Ok(ApiJson(dto::Recommendations {
        recommendations: view
            .recommendations
            .iter()
            .map(|r| dto::Recommendation {
                opportunity_id: r.opportunity.id.as_uuid(),
                title: dto::LocalizedText {
                    de: r.opportunity.draft.title.de.clone(),
                    en: r.opportunity.draft.title.en.clone(),
                },
                modality: r.opportunity.draft.modality.as_str().to_owned(),
                duration_minutes: r.opportunity.draft.duration_minutes,
                score: (r.score * 1000.0).round() / 1000.0,
                reasons: r.reasons.iter().map(reason_dto).collect(),
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}/recommendation-feedback", tag = "learning-paths",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "The person's feedback on recommendations, newest first (the person themselves; a client with org/read if the person shares their profile, audited)", body = dto::RecommendationFeedbackList),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn recommendation_feedback(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::RecommendationFeedbackList>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let list = recs::feedback_of(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(dto::RecommendationFeedbackList {
        feedback: list
            .into_iter()
            .map(|f| dto::RecommendationFeedback {
                opportunity_id: f.feedback.opportunity_id.as_uuid(),
                kind: f.feedback.kind.as_str().to_owned(),
                given_at: f.feedback.given_at,
                title: f.opportunity.map(|o| dto::LocalizedText {
                    de: o.draft.title.de,
                    en: o.draft.title.en,
                }),
            })
            .collect(),
    }))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/people/{id}/recommendation-feedback/{opportunity}", tag = "learning-paths",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path), ("opportunity" = Uuid, Path)),
    request_body = dto::RecommendationFeedbackBody,
    responses((status = 204, description = "Set or changed: the opportunity is no longer recommended (the person themselves)"),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "An unknown kind", body = ErrorBody)))]
pub async fn set_recommendation_feedback(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id, opportunity)): ApiPath<(String, Uuid, Uuid)>,
    ApiJson(body): ApiJson<dto::RecommendationFeedbackBody>,
) -> ApiResult<StatusCode> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let Some(kind) = FeedbackKind::parse(body.kind.trim()) else {
        return Err(ApiError::invalid_field(
            "kind",
            "must be not_interested or already_known",
        ));
    };
    recs::set_feedback(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        opportunity.into(),
        kind,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/tenants/{tenant}/people/{id}/recommendation-feedback/{opportunity}", tag = "learning-paths",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path), ("opportunity" = Uuid, Path)),
    responses((status = 204, description = "Taken back: the opportunity may be recommended again (the person themselves)"),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, description = "No such feedback", body = ErrorBody)))]
pub async fn remove_recommendation_feedback(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id, opportunity)): ApiPath<(String, Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    recs::remove_feedback(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        opportunity.into(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn ratings_dto(
    state: &AppState,
    caller: &Caller,
    scope: mycel_store::TenantScope,
    id: Uuid,
) -> ApiResult<dto::Ratings> {
    let (mine, summary) = recs::ratings_of(&*state.store, acting(caller), scope, id.into()).await?;
    Ok(dto::Ratings {
        opportunity_id: id,
        mine: mine.map(|r| r.stars),
        count: summary.map(|s| s.count),
        average: summary
            .and_then(|s| s.average())
            .map(|a| (a * 10.0).round() / 10.0),
    })
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/opportunities/{id}/rating", tag = "catalogue",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "The caller's rating, and everyone's once three people rated it", body = dto::Ratings),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn opportunity_rating(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::Ratings>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    // Only opportunities the caller may read.
    mycel_app::catalogue::opportunity(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(ratings_dto(&state, &caller, scope, id).await?))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/opportunities/{id}/rating", tag = "catalogue",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    request_body = dto::RatingBody,
    responses((status = 200, description = "Rated (or rated again) by the caller, who completed it; recorded as an xAPI \"rated\" statement", body = dto::Ratings),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "Stars not from 1 to 5, or not completed", body = ErrorBody)))]
pub async fn rate_opportunity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::RatingBody>,
) -> ApiResult<ApiJson<dto::Ratings>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    recs::rate(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        body.stars,
        &state.config.home_page(),
        &state.statement_signal,
    )
    .await?;
    Ok(ApiJson(ratings_dto(&state, &caller, scope, id).await?))
}
