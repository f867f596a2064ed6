//! Classroom training's use cases: rooms and sessions (L&D), enrolling (oneself where the
//! opportunity is open to one, or others as their manager or L&D), approving, cancelling with the
//! waitlist moving up, the trainer's attendance list — each attendance becomes an xAPI statement
//! in the company's learning record store (and so evidence for the competencies the course
//! teaches) — and the calendar invitation of an enrolment.

use crate::catalogue::{self, Catalogue};
use crate::statement_feed::StatementSignal;
use crate::{Acting, AppError, AppResult};
use chrono::Utc;
use mycel_catalogue::classroom::{
    ical_invitation, may_cancel, ClassroomError, EnrolmentStatus, Invitation, RoomDraft,
    SessionDraft,
};
use mycel_catalogue::{Lifecycle, Modality};
use mycel_organisation::{
    AccessRole, Action, EnrolmentId, OpportunityId, PersonId, Principal, SessionId, ValidationError,
};
use mycel_store::catalogue::{EnrolmentRecord, Promotions, Room, SessionRecord};
use mycel_store::{Store, TenantScope};
use serde_json::json;
use uuid::Uuid;

fn invalid(error: ClassroomError) -> AppError {
    ValidationError::new(error.field(), error.reason()).into()
}

pub async fn create_room(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    draft: &RoomDraft,
) -> AppResult<Room> {
    acting.require(Action::ManageCatalogue)?;
    draft.validate().map_err(invalid)?;
    Ok(store.create_room(scope, draft).await?)
}

pub async fn rooms(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<Room>> {
    acting.require(Action::ViewCatalogue)?;
    Ok(store.rooms(scope).await?)
}

/// Adds a session to a classroom course of the company; the course's upcoming dates in search
/// follow.
pub async fn create_session(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
    draft: &SessionDraft,
) -> AppResult<SessionRecord> {
    acting.require(Action::ManageCatalogue)?;
    let course = store.opportunity(scope, opportunity).await?;
    if course.tenant_id != scope.tenant_id() {
        return Err(AppError::Forbidden);
    }
    if course.draft.modality != Modality::Classroom {
        return Err(
            ValidationError::new("opportunity", "sessions belong to classroom courses").into(),
        );
    }
    if draft.starts_at < Utc::now() {
        return Err(ValidationError::new("starts_at", "must be in the future").into());
    }
    let room_capacity = match draft.room_id {
        Some(room) => Some(
            store
                .rooms(scope)
                .await?
                .into_iter()
                .find(|r| r.id == room)
                .ok_or_else(|| ValidationError::new("room_id", "no such room in this company"))?
                .draft
                .capacity,
        ),
        None => None,
    };
    draft.validate(room_capacity).map_err(invalid)?;
    if let Some(trainer) = draft.trainer_id {
        store
            .person(scope, trainer)
            .await
            .map_err(|_| ValidationError::new("trainer_id", "no such person in this company"))?;
    }
    let writes = catalogue.lock_writes().await;
    let session = store
        .create_training_session(scope, opportunity, draft)
        .await?;
    catalogue.reindex(store, course.id, scope).await?;
    drop(writes);
    Ok(session)
}

/// The sessions of an opportunity the viewer may see, by start.
pub async fn sessions(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
) -> AppResult<Vec<SessionRecord>> {
    let view = catalogue::opportunity(store, acting, scope, opportunity).await?;
    let owner = TenantScope::system(view.record.tenant_id);
    if owner != scope {
        // Sessions of other companies' offers are booked there (not yet across companies).
        return Ok(Vec::new());
    }
    Ok(store.sessions_of(scope, opportunity).await?)
}

/// Cancels a session: every open enrolment is cancelled (and returned, for their invitations'
/// cancellation).
pub async fn cancel_session(
    store: &dyn Store,
    catalogue: &Catalogue,
    acting: Acting<'_>,
    scope: TenantScope,
    session: SessionId,
) -> AppResult<Vec<EnrolmentRecord>> {
    acting.require(Action::ManageCatalogue)?;
    let record = store.training_session(scope, session).await?;
    let writes = catalogue.lock_writes().await;
    let cancelled = store.cancel_training_session(scope, session).await?;
    catalogue
        .reindex(store, record.opportunity_id, scope)
        .await?;
    drop(writes);
    Ok(cancelled)
}

/// May the actor act for this person's enrolments as a manager or L&D (enrol them without
/// approval, approve, cancel after the deadline)?
async fn acts_for(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
) -> AppResult<bool> {
    if acting.permits(Action::ManageCatalogue) {
        return Ok(true);
    }
    let Acting::Principal(principal @ Principal::Person { person_id, .. }) = acting else {
        return Ok(false);
    };
    if !principal.has_role(AccessRole::Manager) {
        return Ok(false);
    }
    let subject = store.person(scope, person).await?;
    Ok(subject.manager_id == Some(*person_id))
}

/// Enrols a person in a session: oneself (a request when the session needs approval), or
/// someone else as their manager or L&D (approved at once). Full sessions put people on the
/// waitlist.
pub async fn enrol(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    session: SessionId,
    person: PersonId,
) -> AppResult<EnrolmentRecord> {
    let record = store.training_session(scope, session).await?;
    // The course must be one the person may see: read it as the actor (their own audience when
    // enrolling themselves; editors and managers act within the company).
    let course = catalogue::opportunity(store, acting, scope, record.opportunity_id).await?;
    if course.record.lifecycle != Lifecycle::Published {
        return Err(ValidationError::new("session", "the course is not open for enrolment").into());
    }
    if record.cancelled || record.draft.starts_at <= Utc::now() {
        return Err(
            ValidationError::new("session", "the session is cancelled or has begun").into(),
        );
    }
    let oneself = acting.audit_actor() == Some(mycel_store::Actor::Person(person));
    let approved = if oneself {
        false
    } else if acts_for(store, acting, scope, person).await? {
        // The course must be meant for the person enrolled, not only for who enrols them.
        let editor =
            course.record.tenant_id == scope.tenant_id() && acting.permits(Action::ManageCatalogue);
        if !editor
            && !catalogue::viewer_of(store, scope, person)
                .await?
                .admitted_by(course.record.tenant_id, &course.record.draft.audience)
        {
            return Err(ValidationError::new(
                "person_id",
                "this course is not offered to that person",
            )
            .into());
        }
        true
    } else {
        return Err(AppError::Forbidden);
    };
    let by = match acting {
        Acting::Principal(p) => p.person_id(),
        Acting::Operator => None,
    };
    Ok(store.enrol(scope, session, person, by, approved).await?)
}

/// Approves or refuses a requested enrolment (the person's manager, or L&D).
pub async fn decide_enrolment(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    enrolment: EnrolmentId,
    approve: bool,
) -> AppResult<EnrolmentRecord> {
    let record = store.enrolment(scope, enrolment).await?;
    if !acts_for(store, acting, scope, record.person_id).await? {
        return Err(AppError::Forbidden);
    }
    let session = store.training_session(scope, record.session_id).await?;
    if approve && session.draft.starts_at <= Utc::now() {
        return Err(ValidationError::new(
            "enrolment",
            "the session has begun; a request can only be refused now",
        )
        .into());
    }
    Ok(store.decide_enrolment(scope, enrolment, approve).await?)
}

/// Cancels an enrolment: the person until the session's cancellation deadline, their manager or
/// L&D at any time. The first on the waitlist move up.
pub async fn cancel_enrolment(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    enrolment: EnrolmentId,
) -> AppResult<(EnrolmentRecord, Promotions)> {
    let record = store.enrolment(scope, enrolment).await?;
    let oneself = acting.audit_actor() == Some(mycel_store::Actor::Person(record.person_id));
    if !acts_for(store, acting, scope, record.person_id).await? {
        if !oneself {
            return Err(AppError::Forbidden);
        }
        let session = store.training_session(scope, record.session_id).await?;
        if !may_cancel(Utc::now(), &session.draft) {
            return Err(ValidationError::new(
                "enrolment",
                "the cancellation deadline has passed; ask your manager or L&D",
            )
            .into());
        }
    }
    Ok(store.cancel_enrolment(scope, enrolment).await?)
}

/// The trainer's attendance list: each listed participant attended or not. Each attendance is
/// stored as an xAPI "attended" statement about the course (`home_page`: Mycel's public address,
/// for the activity and account ids).
pub async fn record_attendance(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    signal: &StatementSignal,
    home_page: &str,
    session: SessionId,
    attendance: &[(PersonId, bool)],
) -> AppResult<Vec<EnrolmentRecord>> {
    let record = store.training_session(scope, session).await?;
    let trainer = matches!(acting, Acting::Principal(p) if p.person_id().is_some() && p.person_id() == record.draft.trainer_id);
    if !trainer && !acting.permits(Action::ManageCatalogue) {
        return Err(AppError::Forbidden);
    }
    if record.draft.starts_at > Utc::now() {
        return Err(ValidationError::new(
            "session",
            "attendance is taken once the session has begun",
        )
        .into());
    }
    let course = store.opportunity(scope, record.opportunity_id).await?;
    let updated = store.record_attendance(scope, session, attendance).await?;
    let statements: Vec<serde_json::Value> = updated
        .iter()
        .filter(|e| e.status == EnrolmentStatus::Attended)
        .map(|e| attended_statement(home_page, &course, &record, e))
        .collect();
    crate::lrs::record_own_statements(store, scope, home_page, statements, signal, "attendance")
        .await?;
    Ok(updated)
}

fn attended_statement(
    home_page: &str,
    course: &mycel_store::catalogue::OpportunityRecord,
    session: &SessionRecord,
    enrolment: &EnrolmentRecord,
) -> serde_json::Value {
    let mut name = serde_json::Map::new();
    if !course.draft.title.de.trim().is_empty() {
        name.insert("de-DE".into(), json!(course.draft.title.de));
    }
    if !course.draft.title.en.trim().is_empty() {
        name.insert("en-US".into(), json!(course.draft.title.en));
    }
    json!({
        "id": Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("attended:{}", enrolment.id).as_bytes()),
        "actor": {"objectType": "Agent", "account": {"homePage": home_page, "name": enrolment.person_id.to_string()}},
        "verb": {"id": crate::statement_evidence::ATTENDED, "display": {"en-US": "attended", "de-DE": "nahm teil an"}},
        "object": {
            "objectType": "Activity",
            "id": catalogue::activity_id(home_page, course.id),
            "definition": {"name": name, "type": "http://adlnet.gov/expapi/activities/course"},
        },
        "context": {
            "registration": enrolment.id.as_uuid(),
            "extensions": {format!("{}/xapi/extensions/session", home_page.trim_end_matches('/')): session.id.to_string()},
        },
        "timestamp": session.draft.starts_at.to_rfc3339(),
    })
}

/// The calendar invitation (iCalendar) of an enrolment: the person's own, or one they act for.
pub async fn invitation(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    enrolment: EnrolmentId,
    host: &str,
) -> AppResult<String> {
    let record = store.enrolment(scope, enrolment).await?;
    let oneself = acting.audit_actor() == Some(mycel_store::Actor::Person(record.person_id));
    if !oneself && !acts_for(store, acting, scope, record.person_id).await? {
        return Err(AppError::NotFound("enrolment"));
    }
    crate::organisation::audit_read(
        store,
        acting,
        scope,
        Some(record.person_id),
        "enrolment-invitation.read",
        "training administration",
    )
    .await?;
    let session = store.training_session(scope, record.session_id).await?;
    let course = store.opportunity(scope, session.opportunity_id).await?;
    let location = match session.draft.room_id {
        Some(room) => store
            .rooms(scope)
            .await?
            .into_iter()
            .find(|r| r.id == room)
            .map(|r| format!("{}, {}", r.draft.name, r.draft.location))
            .unwrap_or_default(),
        None => session.draft.location.clone(),
    };
    let title = if course.draft.title.de.trim().is_empty() {
        &course.draft.title.en
    } else {
        &course.draft.title.de
    };
    let description = if course.draft.description.de.trim().is_empty() {
        &course.draft.description.en
    } else {
        &course.draft.description.de
    };
    let cancelled = !matches!(
        record.status,
        EnrolmentStatus::Confirmed | EnrolmentStatus::Attended | EnrolmentStatus::NoShow
    ) || session.cancelled;
    Ok(ical_invitation(&Invitation {
        uid: format!("{}@{host}", record.id),
        title,
        description,
        session: &session.draft,
        location: &location,
        cancelled,
        sequence: u32::try_from(record.changed_at.timestamp() - record.enrolled_at.timestamp())
            .unwrap_or(0)
            .min(1_000_000),
    }))
}

/// A person's enrolments (their own, or as their manager or L&D).
pub async fn person_enrolments(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
) -> AppResult<Vec<EnrolmentRecord>> {
    let oneself = acting.audit_actor() == Some(mycel_store::Actor::Person(person));
    if !oneself && !acts_for(store, acting, scope, person).await? {
        return Err(AppError::Forbidden);
    }
    crate::organisation::audit_read(
        store,
        acting,
        scope,
        Some(person),
        "enrolments.read",
        "training administration",
    )
    .await?;
    Ok(store.person_enrolments(scope, person).await?)
}

/// A session's participants (its trainer and L&D).
pub async fn session_enrolments(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    session: SessionId,
) -> AppResult<Vec<EnrolmentRecord>> {
    let record = store.training_session(scope, session).await?;
    let trainer = matches!(acting, Acting::Principal(p) if p.person_id().is_some() && p.person_id() == record.draft.trainer_id);
    if !trainer && !acting.permits(Action::ManageCatalogue) {
        return Err(AppError::Forbidden);
    }
    // A list of participants is other people's data: reading it is audited, as a listing.
    crate::organisation::audit_read(
        store,
        acting,
        scope,
        None,
        "session-participants.read",
        "training administration",
    )
    .await?;
    Ok(store.session_enrolments(scope, session).await?)
}

/// The sessions the acting person trains that are not over yet.
pub async fn my_training_sessions(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<SessionRecord>> {
    let Acting::Principal(Principal::Person { person_id, .. }) = acting else {
        return Ok(Vec::new());
    };
    Ok(store
        .trainer_sessions(scope, *person_id, Utc::now())
        .await?)
}

/// Enrolments of the acting manager's reports that wait for their approval.
pub async fn requests_to_approve(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<EnrolmentRecord>> {
    match acting {
        Acting::Principal(principal @ Principal::Person { person_id, .. })
            if principal.has_role(AccessRole::Manager) =>
        {
            Ok(store.requests_for_manager(scope, *person_id).await?)
        }
        _ => Ok(Vec::new()),
    }
}

/// The people of the company who hold the trainer role, by name: who may lead a session.
pub async fn trainers(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<mycel_organisation::Person>> {
    acting.require(Action::ManageCatalogue)?;
    Ok(store
        .people_with_access_role(scope, AccessRole::Trainer, 1000)
        .await?)
}
