//! Classroom training: rooms, sessions of classroom courses, enrolments with approval, waitlist
//! and cancellation, the trainer's attendance list and calendar invitations. Everything else is
//! `mycel_app::classroom`.

use super::{acting, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use mycel_api as dto;
use mycel_app::classroom as class;
use mycel_app::organisation as ops;
use mycel_catalogue::classroom::{RoomDraft, SessionDraft};
use mycel_store::catalogue::{EnrolmentRecord, Room, SessionRecord};
use uuid::Uuid;

fn room_dto(room: Room) -> dto::Room {
    dto::Room {
        id: room.id.as_uuid(),
        input: dto::RoomInput {
            name: room.draft.name,
            location: room.draft.location,
            capacity: room.draft.capacity,
        },
    }
}

fn session_dto(s: SessionRecord) -> dto::Session {
    dto::Session {
        id: s.id.as_uuid(),
        opportunity_id: s.opportunity_id.as_uuid(),
        input: dto::SessionInput {
            starts_at: s.draft.starts_at,
            ends_at: s.draft.ends_at,
            location: s.draft.location,
            room_id: s.draft.room_id.map(|r| r.as_uuid()),
            trainer_id: s.draft.trainer_id.map(|t| t.as_uuid()),
            online_link: s.draft.online_link,
            capacity: s.draft.capacity,
            requires_approval: s.draft.requires_approval,
            cancellation_deadline: s.draft.cancellation_deadline,
        },
        cancelled: s.cancelled,
        taken: s.taken,
        waiting: s.waiting,
        requested: s.requested,
    }
}

fn enrolment_dto(e: EnrolmentRecord) -> dto::Enrolment {
    dto::Enrolment {
        id: e.id.as_uuid(),
        session_id: e.session_id.as_uuid(),
        person_id: e.person_id.as_uuid(),
        status: e.status.as_str().to_owned(),
        enrolled_by: e.enrolled_by.map(|p| p.as_uuid()),
        enrolled_at: e.enrolled_at,
        changed_at: e.changed_at,
    }
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/rooms", tag = "classroom",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, description = "By name", body = [dto::Room]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_rooms(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<dto::Room>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let rooms = class::rooms(&*state.store, acting(&caller), scope).await?;
    Ok(ApiJson(rooms.into_iter().map(room_dto).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/rooms", tag = "classroom",
    request_body = dto::RoomInput,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, body = dto::Room), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_room(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::RoomInput>,
) -> ApiResult<(StatusCode, ApiJson<dto::Room>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let draft = RoomDraft {
        name: body.name,
        location: body.location,
        capacity: body.capacity,
    };
    let room = class::create_room(&*state.store, acting(&caller), scope, &draft).await?;
    Ok((StatusCode::CREATED, ApiJson(room_dto(room))))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/opportunities/{id}/sessions", tag = "classroom",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "By start", body = [dto::Session]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<Vec<dto::Session>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let sessions = class::sessions(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(sessions.into_iter().map(session_dto).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/opportunities/{id}/sessions", tag = "classroom",
    request_body = dto::SessionInput,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 201, body = dto::Session), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "The trainer or room is busy then", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_session(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::SessionInput>,
) -> ApiResult<(StatusCode, ApiJson<dto::Session>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let draft = SessionDraft {
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        location: body.location,
        room_id: body.room_id.map(Into::into),
        trainer_id: body.trainer_id.map(Into::into),
        online_link: body.online_link,
        capacity: body.capacity,
        requires_approval: body.requires_approval,
        cancellation_deadline: body.cancellation_deadline,
    };
    let session = class::create_session(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        id.into(),
        &draft,
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(session_dto(session))))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/sessions/{id}/cancel", tag = "classroom",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "The enrolments that were open and are cancelled now", body = [dto::Enrolment]),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel_session(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<Vec<dto::Enrolment>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let cancelled = class::cancel_session(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        id.into(),
    )
    .await?;
    Ok(ApiJson(cancelled.into_iter().map(enrolment_dto).collect()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/sessions/{id}/enrolments", tag = "classroom",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "In the order they were made (the session's trainer and L&D)", body = [dto::Enrolment]),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn session_enrolments(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<Vec<dto::Enrolment>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let list = class::session_enrolments(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(list.into_iter().map(enrolment_dto).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/sessions/{id}/enrolments", tag = "classroom",
    request_body = dto::EnrolRequest,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 201, description = "Confirmed, waitlisted, or requested (awaiting approval)", body = dto::Enrolment),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "Already enrolled", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enrol(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::EnrolRequest>,
) -> ApiResult<(StatusCode, ApiJson<dto::Enrolment>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let person = match (body.person_id, caller.person.as_ref()) {
        (Some(person), _) => person.into(),
        (None, Some(me)) => me.id,
        (None, None) => {
            return Err(ApiError::invalid_field(
                "person_id",
                "is required for machine clients",
            ))
        }
    };
    let enrolment = class::enrol(&*state.store, acting(&caller), scope, id.into(), person).await?;
    Ok((StatusCode::CREATED, ApiJson(enrolment_dto(enrolment))))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/enrolments/{id}/decision", tag = "classroom",
    request_body = dto::EnrolmentDecision,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::Enrolment), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "Not awaiting approval", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn decide_enrolment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::EnrolmentDecision>,
) -> ApiResult<ApiJson<dto::Enrolment>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let decided = class::decide_enrolment(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        body.approve,
    )
    .await?;
    Ok(ApiJson(enrolment_dto(decided)))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/enrolments/{id}/cancel", tag = "classroom",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::CancelledEnrolment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "Not open any more", body = ErrorBody),
              (status = 422, description = "The cancellation deadline has passed", body = ErrorBody)))]
pub async fn cancel_enrolment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::CancelledEnrolment>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let (enrolment, promotions) =
        class::cancel_enrolment(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(dto::CancelledEnrolment {
        enrolment: enrolment_dto(enrolment),
        promoted: promotions.promoted.into_iter().map(enrolment_dto).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/enrolments/{id}/invitation.ics", tag = "classroom",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "An iCalendar invitation (a cancellation once the enrolment or session is cancelled)", content_type = "text/calendar", body = String),
              (status = 404, body = ErrorBody)))]
pub async fn invitation(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<Response> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let host = state.config.home_page();
    let host = host
        .split("://")
        .nth(1)
        .unwrap_or("localhost")
        .trim_end_matches('/')
        .to_owned();
    let ics = class::invitation(&*state.store, acting(&caller), scope, id.into(), &host).await?;
    // The media type's method must match the calendar's (RFC 6047).
    let content_type = if ics.contains("METHOD:CANCEL") {
        "text/calendar; charset=utf-8; method=CANCEL"
    } else {
        "text/calendar; charset=utf-8; method=REQUEST"
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"invitation.ics\"",
            ),
        ],
        ics,
    )
        .into_response())
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/sessions/{id}/attendance", tag = "classroom",
    request_body = dto::AttendanceList,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "The participants' enrolments now; each attendance is an xAPI statement", body = [dto::Enrolment]),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn record_attendance(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::AttendanceList>,
) -> ApiResult<ApiJson<Vec<dto::Enrolment>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let list: Vec<_> = body
        .attendance
        .iter()
        .map(|a| (a.person_id.into(), a.attended))
        .collect();
    let updated = class::record_attendance(
        &*state.store,
        acting(&caller),
        scope,
        &state.statement_signal,
        &state.config.home_page(),
        id.into(),
        &list,
    )
    .await?;
    Ok(ApiJson(updated.into_iter().map(enrolment_dto).collect()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}/enrolments", tag = "classroom",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "Newest first (the person, their manager, L&D)", body = [dto::Enrolment]),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn person_enrolments(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<Vec<dto::Enrolment>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let list = class::person_enrolments(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(list.into_iter().map(enrolment_dto).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/opportunities/{id}/assignments", tag = "classroom",
    request_body = dto::AssignRequest,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::AssignResult), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::AssignRequest>,
) -> ApiResult<ApiJson<dto::AssignResult>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let to = mycel_app::assignments::AssignTo {
        people: body.person_ids.into_iter().map(Into::into).collect(),
        roles: body.role_ids.into_iter().map(Into::into).collect(),
        org_units: body.org_unit_ids.into_iter().map(Into::into).collect(),
    };
    let assigned = mycel_app::assignments::assign(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        &to,
        body.due,
    )
    .await?;
    Ok(ApiJson(dto::AssignResult { assigned }))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}/learning", tag = "classroom",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "Assignments by due date and certifications by expiry (the person, their manager, L&D)", body = dto::LearningRecord),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn learning_record(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::LearningRecord>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let record = mycel_app::assignments::learning_record(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        chrono::Utc::now(),
    )
    .await?;
    let title = |o: &mycel_store::catalogue::OpportunityRecord| dto::LocalizedText {
        de: o.draft.title.de.clone(),
        en: o.draft.title.en.clone(),
    };
    Ok(ApiJson(dto::LearningRecord {
        assignments: record
            .assignments
            .iter()
            .map(|a| dto::AssignedLearning {
                opportunity_id: a.opportunity.id.as_uuid(),
                title: title(&a.opportunity),
                due: a.assignment.due,
                assigned_at: a.assignment.assigned_at,
                status: a.status.as_str().to_owned(),
                completed_at: a.completed_at,
            })
            .collect(),
        certifications: record
            .certifications
            .iter()
            .map(|c| dto::Certification {
                opportunity_id: c.opportunity.id.as_uuid(),
                title: title(&c.opportunity),
                completed_at: c.completed_at,
                valid_until: c.valid_until,
                status: c.status.as_str().to_owned(),
            })
            .collect(),
    }))
}
