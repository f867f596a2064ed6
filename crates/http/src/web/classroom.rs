//! Classroom training in the web pages: a classroom course's sessions on its page (enrol, cancel,
//! the calendar invitation; editors add and cancel sessions), the company's rooms on the
//! catalogue's management page, the trainer's sessions and a session's participants with the
//! attendance list (`/training`), one's own sessions on `/learn` and a manager's approvals on
//! `/team`. Every change is a form post (CSRF-checked) followed by a redirect whose `classroom`
//! query parameter names the outcome, shown on the page it leads to.
//!
//! German companies are the first users: times are shown, and typed into the forms, in German
//! local time (Europe/Berlin); they are stored in UTC.

use super::competency_texts as texts;
use super::{error_response, Area, PersonPage, Shell};
use crate::auth::csrf::CheckedForm;
use crate::i18n::I18n;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use mycel_app::classroom as class;
use mycel_app::{Acting, AppError};
use mycel_catalogue::classroom::{may_cancel, EnrolmentStatus, RoomDraft, SessionDraft};
use mycel_catalogue::{Lifecycle, Modality};
use mycel_organisation::{Action, EnrolmentId, OpportunityId, PersonId, RoomId, SessionId};
use mycel_store::catalogue::{EnrolmentRecord, OpportunityRecord, Room, SessionRecord};
use mycel_store::{StoreError, TenantScope};
use std::collections::HashMap;
use std::str::FromStr;

/// The time zone of the forms and pages: German companies are the first users.
const ZONE: Tz = chrono_tz::Europe::Berlin;

/// People read when offering trainers or participants in a select.
const PEOPLE_LISTED: u32 = 1000;

// ---- how classroom training is said ----

fn local(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&ZONE)
}

/// The day of a moment in German local time, in the page's convention.
pub(super) fn day_text(at: DateTime<Utc>, t: &I18n) -> String {
    texts::day(local(at).date_naive(), t)
}

fn clock(at: DateTime<Utc>) -> String {
    local(at).format("%H:%M").to_string()
}

/// "09:00–16:00", with the end's day when the session ends on another day.
fn times_text(starts: DateTime<Utc>, ends: DateTime<Utc>, t: &I18n) -> String {
    if local(starts).date_naive() == local(ends).date_naive() {
        format!("{}–{}", clock(starts), clock(ends))
    } else {
        format!("{} – {} {}", clock(starts), day_text(ends, t), clock(ends))
    }
}

/// A day and time typed in German local time, in UTC (the earlier one when the clocks go back;
/// none in the hour skipped when they go forward).
fn local_to_utc(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    ZONE.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// A date as a date field sends it (`2026-12-07`), or as Germans type it (`07.12.2026`).
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

fn status_text(status: EnrolmentStatus, t: &I18n) -> String {
    match status {
        EnrolmentStatus::Requested => t.get("classroom-status-requested"),
        EnrolmentStatus::Confirmed => t.get("classroom-status-confirmed"),
        EnrolmentStatus::Waitlisted => t.get("classroom-status-waitlisted"),
        EnrolmentStatus::Cancelled => t.get("classroom-status-cancelled"),
        EnrolmentStatus::Attended => t.get("classroom-status-attended"),
        EnrolmentStatus::NoShow => t.get("classroom-status-no-show"),
    }
}

fn status_class(status: EnrolmentStatus) -> &'static str {
    match status {
        EnrolmentStatus::Requested => "status-requested",
        EnrolmentStatus::Confirmed => "status-confirmed",
        EnrolmentStatus::Waitlisted => "status-waitlisted",
        EnrolmentStatus::Cancelled => "status-cancelled",
        EnrolmentStatus::Attended => "status-attended",
        EnrolmentStatus::NoShow => "status-no-show",
    }
}

/// "3 of 12 places free", or full with how many wait.
fn places_text(session: &SessionRecord, t: &I18n) -> String {
    let capacity = session.draft.capacity;
    let free = capacity.saturating_sub(session.taken);
    if free > 0 {
        t.with_all(
            "classroom-places-free",
            &[
                ("free", &free.to_string()),
                ("capacity", &capacity.to_string()),
            ],
        )
    } else if session.waiting > 0 {
        t.with(
            "classroom-places-full-waiting",
            "waiting",
            &session.waiting.to_string(),
        )
    } else {
        t.get("classroom-places-full")
    }
}

/// Where a session takes place: its room ("Raum 3.12, Zentrale Hamburg") or the location given.
fn place_text(session: &SessionDraft, rooms: &[Room]) -> String {
    let room = session
        .room_id
        .and_then(|id| rooms.iter().find(|r| r.id == id));
    match room {
        Some(room) if room.draft.location.trim().is_empty() => room.draft.name.clone(),
        Some(room) => format!("{}, {}", room.draft.name, room.draft.location),
        None => session.location.clone(),
    }
}

/// The notice for the outcome named by the `classroom` query parameter.
pub(super) fn flash(query: Option<&str>, t: &I18n) -> Option<String> {
    let pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let outcome = pairs
        .iter()
        .find(|(k, _)| k == "classroom")
        .map(|(_, v)| v.as_str())?;
    let text = match outcome {
        "confirmed" => t.get("classroom-flash-confirmed"),
        "waitlisted" => t.get("classroom-flash-waitlisted"),
        "requested" => t.get("classroom-flash-requested"),
        "cancelled" => t.get("classroom-flash-cancelled"),
        "cancel-refused" => t.get("classroom-flash-cancel-refused"),
        "session-added" => t.get("classroom-flash-session-added"),
        "session-cancelled" => t.get("classroom-flash-session-cancelled"),
        "approved" => t.get("classroom-flash-approved"),
        "refused" => t.get("classroom-flash-refused"),
        "decided" => t.get("classroom-flash-decided"),
        "attendance" => t.get("classroom-flash-attendance"),
        "enrolled" => t.get("classroom-flash-enrolled"),
        "room" => t.get("classroom-flash-room"),
        _ => return None,
    };
    Some(text)
}

fn parse<T: FromStr>(id: &str) -> Option<T> {
    id.trim().parse().ok()
}

/// A select's value: none when left empty, an error on the field when it is no id.
fn optional_choice<T: FromStr>(
    value: &str,
    field: &'static str,
    errors: &mut FieldErrors,
    t: &I18n,
) -> Option<T> {
    match value.trim() {
        "" => None,
        id => {
            let chosen = parse::<T>(id);
            if chosen.is_none() {
                errors.add(field, t.get("catalogue-error-choice"));
            }
            chosen
        }
    }
}

fn not_found(shell: &Shell) -> Response {
    shell.error_page(StatusCode::NOT_FOUND, "error-not-found")
}

fn forbidden(shell: &Shell) -> Response {
    shell.error_page(StatusCode::FORBIDDEN, "error-forbidden")
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The names of these people (their display names; "–" for someone no longer there).
async fn names(
    state: &AppState,
    scope: TenantScope,
    people: Vec<PersonId>,
) -> HashMap<PersonId, String> {
    let mut names = HashMap::new();
    for id in people {
        if names.contains_key(&id) {
            continue;
        }
        let name = state
            .store
            .person(scope, id)
            .await
            .map_or_else(|_| "–".to_owned(), |p| p.display_name);
        names.insert(id, name);
    }
    names
}

/// A course's title in the page's language.
async fn course_titles(
    state: &AppState,
    scope: TenantScope,
    courses: Vec<OpportunityId>,
    t: &I18n,
) -> HashMap<OpportunityId, String> {
    let mut titles = HashMap::new();
    for id in courses {
        if titles.contains_key(&id) {
            continue;
        }
        let title = state.store.opportunity(scope, id).await.map_or_else(
            |_| "–".to_owned(),
            |o| o.draft.title.get(t.code()).to_owned(),
        );
        titles.insert(id, title);
    }
    titles
}

/// An option of a select.
pub(super) struct Choice {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

// ---- a classroom course's page ----

/// The viewer's own enrolment in a session.
pub(super) struct OwnEnrolment {
    pub(super) id: EnrolmentId,
    pub(super) status: String,
    pub(super) class: &'static str,
    pub(super) may_cancel: bool,
    /// The note that only the manager or L&D may cancel now.
    pub(super) deadline_passed: bool,
}

pub(super) struct SessionRow {
    pub(super) id: SessionId,
    pub(super) date: String,
    pub(super) times: String,
    pub(super) place: String,
    pub(super) online_link: Option<String>,
    pub(super) trainer: Option<String>,
    pub(super) places: String,
    pub(super) requires_approval: bool,
    pub(super) cancellation_deadline: Option<String>,
    pub(super) may_enrol: bool,
    pub(super) mine: Option<OwnEnrolment>,
    pub(super) participants: Option<String>,
    pub(super) may_cancel_session: bool,
}

/// The add-session form as typed.
#[derive(Debug, Clone)]
pub(super) struct SessionValues {
    pub(super) date: String,
    pub(super) starts: String,
    pub(super) ends: String,
    pub(super) room_id: String,
    pub(super) location: String,
    pub(super) online_link: String,
    pub(super) trainer_id: String,
    pub(super) capacity: String,
    pub(super) requires_approval: bool,
    pub(super) cancellation_deadline: String,
}

impl Default for SessionValues {
    fn default() -> Self {
        Self {
            date: String::new(),
            starts: "09:00".to_owned(),
            ends: "17:00".to_owned(),
            room_id: String::new(),
            location: String::new(),
            online_link: String::new(),
            trainer_id: String::new(),
            capacity: String::new(),
            requires_approval: false,
            cancellation_deadline: String::new(),
        }
    }
}

/// Messages by form field.
#[derive(Debug, Default)]
pub(super) struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    fn add(&mut self, field: &str, message: String) {
        self.0.push((field.to_owned(), message));
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }
}

/// The session form's fields (errors about other fields are shown above the form).
const SESSION_FIELDS: [&str; 9] = [
    "date",
    "starts",
    "ends",
    "room_id",
    "location",
    "online_link",
    "trainer_id",
    "capacity",
    "cancellation_deadline",
];

impl SessionValues {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        Self {
            date: field(pairs, "date"),
            starts: field(pairs, "starts"),
            ends: field(pairs, "ends"),
            room_id: field(pairs, "room_id"),
            location: field(pairs, "location"),
            online_link: field(pairs, "online_link"),
            trainer_id: field(pairs, "trainer_id"),
            capacity: field(pairs, "capacity"),
            requires_approval: !field(pairs, "requires_approval").is_empty(),
            cancellation_deadline: field(pairs, "cancellation_deadline"),
        }
    }

    /// The session typed, with times in UTC; or what is wrong, by field.
    fn draft(&self, t: &I18n) -> Result<SessionDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let date = parse_date(&self.date);
        if date.is_none() {
            errors.add("date", t.get("classroom-error-date"));
        }
        let starts = parse_time(&self.starts);
        if starts.is_none() {
            errors.add("starts", t.get("classroom-error-time"));
        }
        let ends = parse_time(&self.ends);
        if ends.is_none() {
            errors.add("ends", t.get("classroom-error-time"));
        }
        let at = |time: Option<NaiveTime>, name: &str, errors: &mut FieldErrors| {
            let at = date.zip(time).and_then(|(d, t)| local_to_utc(d, t));
            if at.is_none() && date.is_some() && time.is_some() {
                errors.add(name, t.get("classroom-error-time"));
            }
            at
        };
        let starts_at = at(starts, "starts", &mut errors);
        let ends_at = at(ends, "ends", &mut errors);
        let capacity = self.capacity.trim().parse::<u32>().ok();
        if capacity.is_none() {
            errors.add("capacity", t.get("classroom-error-capacity"));
        }
        let room_id = optional_choice::<RoomId>(&self.room_id, "room_id", &mut errors, t);
        let trainer_id =
            optional_choice::<PersonId>(&self.trainer_id, "trainer_id", &mut errors, t);
        // The deadline is the end of the day given (local time).
        let cancellation_deadline = match self.cancellation_deadline.trim() {
            "" => None,
            text => {
                let at = parse_date(text)
                    .and_then(|d| local_to_utc(d, NaiveTime::from_hms_opt(23, 59, 59)?));
                if at.is_none() {
                    errors.add("cancellation_deadline", t.get("classroom-error-date"));
                }
                at
            }
        };
        let online_link = Some(self.online_link.trim().to_owned()).filter(|l| !l.is_empty());
        match (starts_at, ends_at, capacity) {
            (Some(starts_at), Some(ends_at), Some(capacity)) if errors.is_empty() => {
                Ok(SessionDraft {
                    starts_at,
                    ends_at,
                    location: self.location.trim().to_owned(),
                    room_id,
                    trainer_id,
                    online_link,
                    capacity,
                    requires_approval: self.requires_approval,
                    cancellation_deadline,
                })
            }
            _ => Err(errors),
        }
    }
}

pub(super) struct SessionForm {
    pub(super) values: SessionValues,
    pub(super) errors: FieldErrors,
    pub(super) rooms: Vec<Choice>,
    pub(super) trainers: Vec<Choice>,
}

impl SessionForm {
    pub(super) fn error(&self, name: &str) -> Option<String> {
        self.errors.get(name)
    }

    /// Messages about no field of the form.
    pub(super) fn general(&self) -> Vec<String> {
        self.errors
            .0
            .iter()
            .filter(|(f, _)| !SESSION_FIELDS.contains(&f.as_str()))
            .map(|(_, m)| m.clone())
            .collect()
    }
}

/// The sessions part of a classroom course's page.
pub(super) struct ClassroomSection {
    pub(super) sessions: Vec<SessionRow>,
    /// Editors: the form to add a session.
    pub(super) form: Option<SessionForm>,
}

/// A session form that was refused: what was typed, and why.
pub(super) type RefusedSession = (SessionValues, FieldErrors);

/// The people of the company holding the trainer role (by name).
async fn trainers(
    state: &AppState,
    page: &PersonPage,
    selected: &str,
) -> Result<Vec<Choice>, AppError> {
    let acting = Acting::Principal(&page.caller.principal);
    let scope = page.caller.scope();
    let store = &*state.store;
    let mut choices = Vec::new();
    for person in mycel_app::classroom::trainers(store, acting, scope).await? {
        let value = person.id.to_string();
        choices.push(Choice {
            selected: value == selected.trim(),
            value,
            label: person.display_name,
        });
    }
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(choices)
}

/// The sessions of a classroom course (none for other formats), with the viewer's enrolments and,
/// for editors, the form to add one.
pub(super) async fn section(
    state: &AppState,
    page: &PersonPage,
    record: &OpportunityRecord,
    editable: bool,
    refused: Option<RefusedSession>,
) -> Result<Option<ClassroomSection>, AppError> {
    if record.draft.modality != Modality::Classroom {
        return Ok(None);
    }
    let t = &page.shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let me = page.caller.principal.person_id();
    let now = Utc::now();
    let sessions = class::sessions(store, acting, scope, record.id).await?;
    let rooms = class::rooms(store, acting, scope).await?;
    let mine = match me {
        Some(me) => class::person_enrolments(store, acting, scope, me).await?,
        None => Vec::new(),
    };
    let shown: Vec<&SessionRecord> = sessions
        .iter()
        .filter(|s| !s.cancelled && s.draft.ends_at > now)
        .collect();
    let trainer_names = names(
        state,
        scope,
        shown.iter().filter_map(|s| s.draft.trainer_id).collect(),
    )
    .await;
    let rows = shown
        .iter()
        .map(|s| {
            // Newest first: the viewer's current enrolment (a cancelled one allows enrolling again).
            let own = mine
                .iter()
                .find(|e| e.session_id == s.id && e.status != EnrolmentStatus::Cancelled);
            let mine = own.map(|e| {
                let cancellable = e.status.is_open() && may_cancel(now, &s.draft);
                OwnEnrolment {
                    id: e.id,
                    status: status_text(e.status, t),
                    class: status_class(e.status),
                    may_cancel: cancellable,
                    deadline_passed: e.status.is_open() && !cancellable,
                }
            });
            let trains = me.is_some() && s.draft.trainer_id == me;
            SessionRow {
                id: s.id,
                date: day_text(s.draft.starts_at, t),
                times: times_text(s.draft.starts_at, s.draft.ends_at, t),
                place: place_text(&s.draft, &rooms),
                online_link: s
                    .draft
                    .online_link
                    .clone()
                    .filter(|l| mycel_catalogue::opportunity::is_web_address(l)),
                trainer: s
                    .draft
                    .trainer_id
                    .and_then(|id| trainer_names.get(&id).cloned()),
                places: places_text(s, t),
                requires_approval: s.draft.requires_approval,
                cancellation_deadline: s.draft.cancellation_deadline.map(|d| day_text(d, t)),
                may_enrol: mine.is_none()
                    && me.is_some()
                    && s.draft.starts_at > now
                    && record.lifecycle == Lifecycle::Published,
                mine,
                participants: (editable || trains).then(|| format!("/training/sessions/{}", s.id)),
                may_cancel_session: editable,
            }
        })
        .collect();
    let form = if editable {
        let (values, errors) = refused.unwrap_or_default();
        let trainers = trainers(state, page, &values.trainer_id).await?;
        let rooms = rooms
            .iter()
            .map(|r| {
                let value = r.id.to_string();
                Choice {
                    selected: value == values.room_id.trim(),
                    label: t.with_all(
                        "classroom-room-choice",
                        &[
                            ("name", &r.draft.name),
                            ("capacity", &r.draft.capacity.to_string()),
                        ],
                    ),
                    value,
                }
            })
            .collect();
        Some(SessionForm {
            values,
            errors,
            rooms,
            trainers,
        })
    } else {
        None
    };
    Ok(Some(ClassroomSection {
        sessions: rows,
        form,
    }))
}

fn course_href(id: OpportunityId, outcome: &str) -> String {
    format!(
        "{}?classroom={outcome}#sessions",
        super::catalogue::opportunity_href(id)
    )
}

/// `POST /catalog/opportunities/{id}/sessions`: an editor adds a session.
pub async fn create_session(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = parse::<OpportunityId>(&id) else {
        return not_found(&page.shell);
    };
    if !page.caller.principal.permits(Action::ManageCatalogue) {
        return forbidden(&page.shell);
    }
    let t = &page.shell.t;
    let values = SessionValues::from_pairs(&pairs);
    let draft = match values.draft(t) {
        Ok(draft) => draft,
        Err(errors) => return refuse_session(&state, &page, id, values, errors).await,
    };
    let result = class::create_session(
        &*state.store,
        &state.catalogue,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
        &draft,
    )
    .await;
    let mut errors = FieldErrors::default();
    match result {
        Ok(_) => return Redirect::to(&course_href(id, "session-added")).into_response(),
        Err(AppError::Invalid(invalid)) => {
            let name = match invalid.field {
                "starts_at" => "date",
                "ends_at" => "ends",
                other => other,
            };
            errors.add(name, invalid.reason);
        }
        Err(AppError::Store(StoreError::Conflict(message))) => {
            let name = if message.contains("trainer") {
                "trainer_id"
            } else if message.contains("room") {
                "room_id"
            } else {
                "form"
            };
            errors.add(name, message);
        }
        Err(AppError::Store(StoreError::InvalidReference(message))) => errors.add("form", message),
        Err(other) => return error_response(&page.shell, &other.into()),
    }
    refuse_session(&state, &page, id, values, errors).await
}

async fn refuse_session(
    state: &AppState,
    page: &PersonPage,
    id: OpportunityId,
    values: SessionValues,
    errors: FieldErrors,
) -> Response {
    super::catalogue::render_opportunity_page(
        state,
        page,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        Some(page.shell.t.get("classroom-form-errors")),
        Some((values, errors)),
    )
    .await
}

/// `POST /catalog/sessions/{id}/cancel`: an editor cancels a session (and its enrolments).
pub async fn cancel_session(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = parse::<SessionId>(&id) else {
        return not_found(&page.shell);
    };
    if !page.caller.principal.permits(Action::ManageCatalogue) {
        return forbidden(&page.shell);
    }
    let scope = page.caller.scope();
    let session = match state.store.training_session(scope, id).await {
        Ok(session) => session,
        Err(error) => return error_response(&page.shell, &AppError::from(error).into()),
    };
    match class::cancel_session(
        &*state.store,
        &state.catalogue,
        Acting::Principal(&page.caller.principal),
        scope,
        id,
    )
    .await
    {
        Ok(_) => {
            Redirect::to(&course_href(session.opportunity_id, "session-cancelled")).into_response()
        }
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

/// `POST /learn/sessions/{id}/enrol`: the viewer enrols themselves.
pub async fn enrol(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = parse::<SessionId>(&id) else {
        return not_found(&page.shell);
    };
    let Some(me) = page.caller.principal.person_id() else {
        return forbidden(&page.shell);
    };
    let scope = page.caller.scope();
    let session = match state.store.training_session(scope, id).await {
        Ok(session) => session,
        Err(error) => return error_response(&page.shell, &AppError::from(error).into()),
    };
    let result = class::enrol(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        scope,
        id,
        me,
    )
    .await;
    let t = &page.shell.t;
    let (status, message) = match result {
        Ok(enrolment) => {
            return Redirect::to(&course_href(
                session.opportunity_id,
                enrolment.status.as_str(),
            ))
            .into_response()
        }
        Err(AppError::Invalid(invalid)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t.with("form-invalid", "detail", &invalid.reason),
        ),
        Err(AppError::Store(StoreError::Conflict(_))) => {
            (StatusCode::CONFLICT, t.get("classroom-already-enrolled"))
        }
        Err(other) => return error_response(&page.shell, &other.into()),
    };
    super::catalogue::render_opportunity_page(
        &state,
        &page,
        session.opportunity_id,
        status,
        None,
        Some(message),
        None,
    )
    .await
}

/// `POST /learn/enrolments/{id}/cancel`: cancelling an enrolment (one's own until the deadline;
/// managers and L&D at any time); back to the course (`back=course`) or to "My learning".
pub async fn cancel_enrolment(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = parse::<EnrolmentId>(&id) else {
        return not_found(&page.shell);
    };
    let scope = page.caller.scope();
    let result = class::cancel_enrolment(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        scope,
        id,
    )
    .await;
    let (outcome, session) = match result {
        Ok((enrolment, _)) => ("cancelled", enrolment.session_id),
        Err(AppError::Invalid(_) | AppError::Store(StoreError::Conflict(_))) => {
            match state.store.enrolment(scope, id).await {
                Ok(enrolment) => ("cancel-refused", enrolment.session_id),
                Err(error) => return error_response(&page.shell, &AppError::from(error).into()),
            }
        }
        Err(other) => return error_response(&page.shell, &other.into()),
    };
    let target = match field(&pairs, "back").as_str() {
        "course" => match state.store.training_session(scope, session).await {
            Ok(session) => course_href(session.opportunity_id, outcome),
            Err(_) => format!("/learn?classroom={outcome}#my-sessions"),
        },
        "participants" => format!("/training/sessions/{session}?classroom={outcome}"),
        _ => format!("/learn?classroom={outcome}#my-sessions"),
    };
    Redirect::to(&target).into_response()
}

/// `GET /learn/enrolments/{id}/invitation.ics`: the calendar invitation of an enrolment.
pub async fn invitation(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = parse::<EnrolmentId>(&id) else {
        return not_found(&page.shell);
    };
    let home = state.config.home_page();
    let host = home
        .split("://")
        .nth(1)
        .unwrap_or("localhost")
        .trim_end_matches('/')
        .to_owned();
    match class::invitation(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
        &host,
    )
    .await
    {
        Ok(ics) => (
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8; method=REQUEST",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"invitation.ics\"",
                ),
            ],
            ics,
        )
            .into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

// ---- rooms (on the catalogue's management page) ----

/// The room form as typed.
#[derive(Debug, Clone, Default)]
pub(super) struct RoomValues {
    pub(super) name: String,
    pub(super) location: String,
    pub(super) capacity: String,
}

pub(super) struct RoomRow {
    pub(super) name: String,
    pub(super) location: String,
    pub(super) capacity: u32,
}

pub(super) struct RoomsSection {
    pub(super) rows: Vec<RoomRow>,
    pub(super) values: RoomValues,
    pub(super) error: Option<String>,
}

/// A room form that was refused: what was typed, and why.
pub(super) type RefusedRoom = (RoomValues, String);

/// The company's rooms and the form to add one.
pub(super) async fn rooms_section(
    state: &AppState,
    page: &PersonPage,
    refused: Option<RefusedRoom>,
) -> Result<RoomsSection, AppError> {
    let rooms = class::rooms(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
    )
    .await?;
    let (values, error) = match refused {
        Some((values, error)) => (values, Some(error)),
        None => (RoomValues::default(), None),
    };
    Ok(RoomsSection {
        rows: rooms
            .into_iter()
            .map(|r| RoomRow {
                name: r.draft.name,
                location: r.draft.location,
                capacity: r.draft.capacity,
            })
            .collect(),
        values,
        error,
    })
}

/// `POST /catalog/rooms`.
pub async fn create_room(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    if !page.caller.principal.permits(Action::ManageCatalogue) {
        return forbidden(&page.shell);
    }
    let t = &page.shell.t;
    let values = RoomValues {
        name: field(&pairs, "name"),
        location: field(&pairs, "location"),
        capacity: field(&pairs, "capacity"),
    };
    let error = match values.capacity.trim().parse::<u32>() {
        Err(_) => t.get("classroom-error-capacity"),
        Ok(capacity) => {
            let draft = RoomDraft {
                name: values.name.trim().to_owned(),
                location: values.location.trim().to_owned(),
                capacity,
            };
            match class::create_room(
                &*state.store,
                Acting::Principal(&page.caller.principal),
                page.caller.scope(),
                &draft,
            )
            .await
            {
                Ok(_) => {
                    return Redirect::to("/catalog/manage?classroom=room#rooms").into_response()
                }
                Err(AppError::Invalid(invalid)) => {
                    t.with("form-invalid", "detail", &invalid.to_string())
                }
                Err(other) => return error_response(&page.shell, &other.into()),
            }
        }
    };
    super::catalogue_editor::render_manage_with_room(
        &state,
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        (values, error),
    )
    .await
}

// ---- "My learning": one's own sessions ----

pub(super) struct MySessionRow {
    pub(super) id: EnrolmentId,
    pub(super) course: String,
    pub(super) course_href: String,
    pub(super) date: String,
    pub(super) times: String,
    pub(super) place: String,
    pub(super) status: String,
    pub(super) class: &'static str,
    pub(super) may_cancel: bool,
    pub(super) deadline_passed: bool,
    pub(super) upcoming: bool,
}

/// The person's enrolments: upcoming sessions first (soonest first), then past ones (latest first).
pub(super) async fn my_sessions(
    state: &AppState,
    page: &PersonPage,
) -> Result<Vec<MySessionRow>, AppError> {
    let Some(me) = page.caller.principal.person_id() else {
        return Ok(Vec::new());
    };
    let t = &page.shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let enrolments = class::person_enrolments(store, acting, scope, me).await?;
    if enrolments.is_empty() {
        return Ok(Vec::new());
    }
    let rooms = class::rooms(store, acting, scope).await?;
    let mut sessions: HashMap<SessionId, SessionRecord> = HashMap::new();
    for e in &enrolments {
        if let std::collections::hash_map::Entry::Vacant(slot) = sessions.entry(e.session_id) {
            slot.insert(store.training_session(scope, e.session_id).await?);
        }
    }
    let titles = course_titles(
        state,
        scope,
        sessions.values().map(|s| s.opportunity_id).collect(),
        t,
    )
    .await;
    let now = Utc::now();
    let mut rows: Vec<(DateTime<Utc>, MySessionRow)> = enrolments
        .iter()
        .filter_map(|e| {
            let s = sessions.get(&e.session_id)?;
            let cancellable = e.status.is_open() && !s.cancelled && may_cancel(now, &s.draft);
            let status = if s.cancelled {
                EnrolmentStatus::Cancelled
            } else {
                e.status
            };
            Some((
                s.draft.starts_at,
                MySessionRow {
                    id: e.id,
                    course: titles.get(&s.opportunity_id).cloned().unwrap_or_default(),
                    course_href: super::catalogue::opportunity_href(s.opportunity_id),
                    date: day_text(s.draft.starts_at, t),
                    times: times_text(s.draft.starts_at, s.draft.ends_at, t),
                    place: place_text(&s.draft, &rooms),
                    status: status_text(status, t),
                    class: status_class(status),
                    may_cancel: cancellable,
                    deadline_passed: e.status.is_open() && !s.cancelled && !cancellable,
                    upcoming: s.draft.ends_at > now,
                },
            ))
        })
        .collect();
    rows.sort_by(|(a_at, a), (b_at, b)| match (a.upcoming, b.upcoming) {
        (true, true) => a_at.cmp(b_at),
        (false, false) => b_at.cmp(a_at),
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
    });
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

// ---- the team page: approvals ----

pub(super) struct ApprovalRow {
    pub(super) id: EnrolmentId,
    pub(super) person: String,
    pub(super) course: String,
    pub(super) course_href: String,
    pub(super) date: String,
    pub(super) times: String,
}

/// The enrolments of the manager's reports that wait for their approval.
pub(super) async fn approvals(
    state: &AppState,
    page: &PersonPage,
) -> Result<Vec<ApprovalRow>, AppError> {
    let t = &page.shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let requests =
        class::requests_to_approve(store, Acting::Principal(&page.caller.principal), scope).await?;
    let people = names(state, scope, requests.iter().map(|e| e.person_id).collect()).await;
    let mut rows = Vec::with_capacity(requests.len());
    for request in &requests {
        let session = store.training_session(scope, request.session_id).await?;
        let course = course_titles(state, scope, vec![session.opportunity_id], t).await;
        rows.push(ApprovalRow {
            id: request.id,
            person: people.get(&request.person_id).cloned().unwrap_or_default(),
            course: course
                .get(&session.opportunity_id)
                .cloned()
                .unwrap_or_default(),
            course_href: super::catalogue::opportunity_href(session.opportunity_id),
            date: day_text(session.draft.starts_at, t),
            times: times_text(session.draft.starts_at, session.draft.ends_at, t),
        });
    }
    Ok(rows)
}

/// `POST /team/enrolments/{id}/decision` (`decision=approve|refuse`).
pub async fn decide(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = parse::<EnrolmentId>(&id) else {
        return not_found(&page.shell);
    };
    let approve = match field(&pairs, "decision").as_str() {
        "approve" => true,
        "refuse" => false,
        _ => {
            return page
                .shell
                .error_page(StatusCode::BAD_REQUEST, "classroom-decision-invalid")
        }
    };
    let result = class::decide_enrolment(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
        approve,
    )
    .await;
    let outcome = match result {
        Ok(_) if approve => "approved",
        Ok(_) => "refused",
        Err(AppError::Invalid(_) | AppError::Store(StoreError::Conflict(_))) => "decided",
        Err(other) => return error_response(&page.shell, &other.into()),
    };
    Redirect::to(&format!("/team?classroom={outcome}#approvals")).into_response()
}

// ---- training management: the trainer's sessions and a session's participants ----

pub(super) struct TrainingRow {
    pub(super) course: String,
    pub(super) date: String,
    pub(super) times: String,
    pub(super) place: String,
    pub(super) places: String,
    pub(super) href: String,
}

#[derive(Template)]
#[template(path = "classroom_training.html")]
struct TrainingPage<'a> {
    shell: &'a Shell,
    sessions: Vec<TrainingRow>,
    editor: bool,
}

/// `/training`: the sessions the person trains that are not over yet.
pub async fn training(State(state): State<AppState>, page: PersonPage) -> Response {
    let shell = &page.shell;
    if !Area::Training.open_to(&page.caller) {
        return forbidden(shell);
    }
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let loaded = match (
        class::my_training_sessions(store, acting, scope).await,
        class::rooms(store, acting, scope).await,
    ) {
        (Ok(sessions), Ok(rooms)) => (sessions, rooms),
        (Err(error), _) | (_, Err(error)) => return error_response(shell, &error.into()),
    };
    let (sessions, rooms) = loaded;
    let titles = course_titles(
        &state,
        scope,
        sessions.iter().map(|s| s.opportunity_id).collect(),
        t,
    )
    .await;
    let rows = sessions
        .iter()
        .map(|s| TrainingRow {
            course: titles.get(&s.opportunity_id).cloned().unwrap_or_default(),
            date: day_text(s.draft.starts_at, t),
            times: times_text(s.draft.starts_at, s.draft.ends_at, t),
            place: place_text(&s.draft, &rooms),
            places: places_text(s, t),
            href: format!("/training/sessions/{}", s.id),
        })
        .collect();
    let view = TrainingPage {
        shell,
        sessions: rows,
        editor: page.caller.principal.permits(Action::ManageCatalogue),
    };
    shell.render(StatusCode::OK, &view)
}

pub(super) struct ParticipantRow {
    pub(super) person_id: PersonId,
    pub(super) name: String,
    pub(super) status: String,
    pub(super) class: &'static str,
    /// Has a place: on the attendance list.
    pub(super) listed: bool,
    pub(super) attended: bool,
    /// L&D may cancel an open enrolment here.
    pub(super) cancel: Option<EnrolmentId>,
}

#[derive(Template)]
#[template(path = "classroom_participants.html")]
struct ParticipantsPage<'a> {
    shell: &'a Shell,
    id: SessionId,
    notice: Option<String>,
    error: Option<String>,
    course: String,
    course_href: String,
    date: String,
    times: String,
    place: String,
    trainer: Option<String>,
    places: String,
    cancelled: bool,
    rows: Vec<ParticipantRow>,
    /// The session has begun: the attendance list is open.
    attendance: bool,
    /// L&D: people to enrol (before the session begins).
    enrol_choices: Option<Vec<Choice>>,
    editor: bool,
}

async fn render_participants(
    state: &AppState,
    page: &PersonPage,
    id: SessionId,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let enrolments = match class::session_enrolments(store, acting, scope, id).await {
        Ok(list) => list,
        Err(error) => return error_response(shell, &error.into()),
    };
    let loaded = match (
        store
            .training_session(scope, id)
            .await
            .map_err(AppError::from),
        class::rooms(store, acting, scope).await,
    ) {
        (Ok(session), Ok(rooms)) => (session, rooms),
        (Err(error), _) | (_, Err(error)) => return error_response(shell, &error.into()),
    };
    let (session, rooms) = loaded;
    let editor = acting.permits(Action::ManageCatalogue);
    let now = Utc::now();
    let people = names(
        state,
        scope,
        enrolments
            .iter()
            .map(|e| e.person_id)
            .chain(session.draft.trainer_id)
            .collect(),
    )
    .await;
    let titles = course_titles(state, scope, vec![session.opportunity_id], t).await;
    let rows = enrolments
        .iter()
        .map(|e: &EnrolmentRecord| ParticipantRow {
            person_id: e.person_id,
            name: people.get(&e.person_id).cloned().unwrap_or_default(),
            status: status_text(e.status, t),
            class: status_class(e.status),
            listed: e.status.takes_place(),
            attended: e.status == EnrolmentStatus::Attended,
            cancel: (editor && e.status.is_open()).then_some(e.id),
        })
        .collect();
    let begun = session.draft.starts_at <= now;
    let enrol_choices = if editor && !begun && !session.cancelled {
        let listed = mycel_app::organisation::list_people(
            store,
            acting,
            scope,
            None,
            None,
            Some(PEOPLE_LISTED),
            "classroom training: enrolling a participant",
        )
        .await;
        match listed {
            Ok(listed) => {
                let enrolled: Vec<PersonId> = enrolments
                    .iter()
                    .filter(|e| e.status != EnrolmentStatus::Cancelled)
                    .map(|e| e.person_id)
                    .collect();
                let mut choices: Vec<Choice> = listed
                    .people
                    .into_iter()
                    .filter(|p| !enrolled.contains(&p.id))
                    .map(|p| Choice {
                        value: p.id.to_string(),
                        label: p.display_name,
                        selected: false,
                    })
                    .collect();
                choices.sort_by(|a, b| a.label.cmp(&b.label));
                Some(choices)
            }
            Err(error) => return error_response(shell, &error.into()),
        }
    } else {
        None
    };
    let view = ParticipantsPage {
        shell,
        id,
        notice,
        error,
        course: titles
            .get(&session.opportunity_id)
            .cloned()
            .unwrap_or_default(),
        course_href: super::catalogue::opportunity_href(session.opportunity_id),
        date: day_text(session.draft.starts_at, t),
        times: times_text(session.draft.starts_at, session.draft.ends_at, t),
        place: place_text(&session.draft, &rooms),
        trainer: session
            .draft
            .trainer_id
            .and_then(|p| people.get(&p).cloned()),
        places: places_text(&session, t),
        cancelled: session.cancelled,
        rows,
        attendance: begun && !session.cancelled,
        enrol_choices,
        editor,
    };
    shell.render(status, &view)
}

/// `/training/sessions/{id}`: a session's participants (its trainer and L&D).
pub async fn participants(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(id) = parse::<SessionId>(&id) else {
        return not_found(&page.shell);
    };
    let notice = flash(query.as_deref(), &page.shell.t);
    render_participants(&state, &page, id, StatusCode::OK, notice, None).await
}

/// `POST /training/sessions/{id}/attendance`: the attendance list (`listed`: each person on the
/// list; `present`: those who came). Each attendance becomes an xAPI statement.
pub async fn attendance(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = parse::<SessionId>(&id) else {
        return not_found(&page.shell);
    };
    let present: Vec<PersonId> = pairs
        .iter()
        .filter(|(k, _)| k == "present")
        .filter_map(|(_, v)| parse(v))
        .collect();
    let mut list: Vec<(PersonId, bool)> = Vec::new();
    for person in pairs
        .iter()
        .filter(|(k, _)| k == "listed")
        .filter_map(|(_, v)| parse::<PersonId>(v))
    {
        if !list.iter().any(|(p, _)| *p == person) {
            list.push((person, present.contains(&person)));
        }
    }
    let result = class::record_attendance(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        &state.statement_signal,
        &state.config.home_page(),
        id,
        &list,
    )
    .await;
    let t = &page.shell.t;
    let message = match result {
        Ok(_) => {
            return Redirect::to(&format!("/training/sessions/{id}?classroom=attendance"))
                .into_response()
        }
        Err(AppError::Invalid(invalid)) => t.with("form-invalid", "detail", &invalid.reason),
        Err(AppError::Store(StoreError::InvalidReference(reason))) => {
            t.with("form-invalid", "detail", &reason)
        }
        Err(other) => return error_response(&page.shell, &other.into()),
    };
    render_participants(
        &state,
        &page,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        Some(message),
    )
    .await
}

/// `POST /training/sessions/{id}/enrol`: L&D enrols someone (`person_id`), approved at once.
pub async fn enrol_person(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = parse::<SessionId>(&id) else {
        return not_found(&page.shell);
    };
    if !page.caller.principal.permits(Action::ManageCatalogue) {
        return forbidden(&page.shell);
    }
    let t = &page.shell.t;
    let Some(person) = parse::<PersonId>(&field(&pairs, "person_id")) else {
        let message = t.get("catalogue-error-choice");
        return render_participants(
            &state,
            &page,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(message),
        )
        .await;
    };
    let result = class::enrol(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
        person,
    )
    .await;
    let (status, message) = match result {
        Ok(_) => {
            return Redirect::to(&format!("/training/sessions/{id}?classroom=enrolled"))
                .into_response()
        }
        Err(AppError::Invalid(invalid)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t.with("form-invalid", "detail", &invalid.reason),
        ),
        Err(AppError::Store(StoreError::Conflict(_))) => {
            (StatusCode::CONFLICT, t.get("classroom-already-enrolled"))
        }
        Err(AppError::NotFound(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t.get("catalogue-error-choice"),
        ),
        Err(other) => return error_response(&page.shell, &other.into()),
    };
    render_participants(&state, &page, id, status, None, Some(message)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_times_are_german_local_time() {
        let winter = local_to_utc(
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        );
        assert_eq!(
            winter.map(|d| d.to_rfc3339()),
            Some("2026-12-07T08:00:00+00:00".to_owned())
        );
        let summer = local_to_utc(
            NaiveDate::from_ymd_opt(2026, 7, 7).unwrap_or_default(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        );
        assert_eq!(
            summer.map(|d| d.to_rfc3339()),
            Some("2026-07-07T07:00:00+00:00".to_owned())
        );
        assert_eq!(parse_date("07.12.2026"), parse_date("2026-12-07"));
        assert!(parse_date("7/12/2026").is_none());
        let t = I18n::new(crate::i18n::Lang::De);
        let (starts, ends) = (winter.unwrap_or_default(), winter.unwrap_or_default());
        assert_eq!(
            times_text(starts, ends + chrono::Duration::hours(7), &t),
            "09:00–16:00"
        );
    }
}
