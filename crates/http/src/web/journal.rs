//! "Mein Lerntagebuch" / "My learning journal": write down what you learned, with a competency,
//! the time and a reflection; share an entry with your manager, who may confirm it from the
//! team page; delete an entry (its evidence goes with it).

use super::competency_texts as texts;
use super::form_field as field;
use super::{error_response, PersonPage, Shell};
use crate::auth::csrf::CheckedForm;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mycel_app::journal::{self, JournalCompetency, JournalEntry, JournalInput};
use mycel_app::{Acting, AppError};
use mycel_organisation::{CompetencyId, PersonId};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage<'a> {
    shell: &'a Shell,
    notice: Option<String>,
    error: Option<String>,
    competencies: Vec<(String, String)>,
    levels: Vec<texts::LevelOption>,
    today: String,
    entries: Vec<EntryRow>,
}

/// An entry as the journal page and the team page show it.
pub(crate) struct EntryRow {
    pub id: Uuid,
    pub title: String,
    pub day: String,
    pub minutes: String,
    pub competencies: String,
    pub reflection: String,
    pub shared: bool,
    pub state: String,
}

/// One line per entry, with the competency names of `names`.
pub(crate) fn entry_rows(
    entries: &[JournalEntry],
    names: &HashMap<CompetencyId, String>,
    confirmed_by: &HashMap<PersonId, String>,
    t: &crate::i18n::I18n,
) -> Vec<EntryRow> {
    entries
        .iter()
        .map(|e| {
            let r = &e.record;
            let state = match (r.shared, r.confirmed_by) {
                (_, Some(by)) => t.with(
                    "journal-confirmed-by",
                    "name",
                    confirmed_by.get(&by).map(String::as_str).unwrap_or(""),
                ),
                (true, None) => t.get("journal-shared"),
                (false, None) => t.get("journal-private"),
            };
            EntryRow {
                id: r.id,
                title: r.title.clone(),
                day: texts::day(r.learned_on, t),
                minutes: t.with("path-minutes", "minutes", &r.minutes.to_string()),
                competencies: e
                    .competencies
                    .iter()
                    .map(|c| {
                        let name = names
                            .get(&c.competency_id)
                            .cloned()
                            .unwrap_or_else(|| c.competency_id.to_string());
                        let level = mycel_competency::scale::Level::new(c.level)
                            .map(|l| texts::level_text(l, t))
                            .unwrap_or_default();
                        format!("{name}: {level}")
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                reflection: r.reflection.clone(),
                shared: r.shared,
                state,
            }
        })
        .collect()
}

/// Names of the competencies of these entries, in the page's language.
pub(crate) async fn competency_names(
    state: &AppState,
    page: &PersonPage,
    entries: &[JournalEntry],
) -> HashMap<CompetencyId, String> {
    let mut ids: Vec<CompetencyId> = entries
        .iter()
        .flat_map(|e| e.competencies.iter().map(|c| c.competency_id))
        .collect();
    ids.sort();
    ids.dedup();
    match state.store.competencies(page.caller.scope(), &ids).await {
        Ok(found) => found
            .iter()
            .map(|c| (c.id, texts::competency_label(c, &page.shell.t).text))
            .collect(),
        Err(_) => HashMap::new(),
    }
}

async fn render(
    state: &AppState,
    page: &PersonPage,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let t = &page.shell.t;
    let acting = Acting::Principal(&page.caller.principal);
    let scope = page.caller.scope();
    let Some(me) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let entries = match journal::my_entries(&*state.store, acting, scope).await {
        Ok(entries) => entries,
        Err(error) => return error_response(&page.shell, &error.into()),
    };
    // The competencies to choose from: those of the person's profile (roles, goals, evidence).
    let profile = match mycel_app::competencies::profile(
        &*state.store,
        acting,
        scope,
        me,
        "learning journal",
    )
    .await
    {
        Ok(profile) => profile,
        Err(error) => return error_response(&page.shell, &error.into()),
    };
    let mut competencies: Vec<(String, String)> = profile
        .entries
        .values()
        .map(|e| {
            (
                e.competency.id.to_string(),
                texts::competency_label(&e.competency, t).text,
            )
        })
        .collect();
    competencies.sort_by(|a, b| a.1.cmp(&b.1));
    let names = competency_names(state, page, &entries).await;
    let mut confirmers = HashMap::new();
    for by in entries.iter().filter_map(|e| e.record.confirmed_by) {
        if let Ok(person) = state.store.person(scope, by).await {
            confirmers.insert(by, person.display_name);
        }
    }
    let view = JournalPage {
        shell: &page.shell,
        notice,
        error,
        competencies,
        levels: texts::level_options(Some(2.0), t),
        today: chrono::Utc::now().date_naive().to_string(),
        entries: entry_rows(&entries, &names, &confirmers, t),
    };
    page.shell.render(status, &view)
}

/// `GET /learn/journal`.
pub async fn page(State(state): State<AppState>, page: PersonPage) -> Response {
    render(&state, &page, StatusCode::OK, None, None).await
}

/// `POST /learn/journal`: a new entry.
pub async fn create(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let t = &page.shell.t;
    let parsed = (|| {
        let competency = field(&pairs, "competency_id")
            .parse::<CompetencyId>()
            .ok()?;
        let level = texts::parse_level(&field(&pairs, "level"))?;
        let learned_on =
            chrono::NaiveDate::parse_from_str(&field(&pairs, "learned_on"), "%Y-%m-%d").ok()?;
        let minutes = field(&pairs, "minutes").parse::<u32>().ok()?;
        Some(JournalInput {
            title: field(&pairs, "title"),
            learned_on,
            minutes,
            competencies: vec![JournalCompetency {
                competency_id: competency,
                level,
            }],
            reflection: field(&pairs, "reflection"),
            shared: field(&pairs, "shared") == "on",
        })
    })();
    let Some(input) = parsed else {
        let message = t.get("journal-invalid");
        return render(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(message),
        )
        .await;
    };
    let home = state.config.home_page();
    let result = journal::create_entry(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        &state.statement_signal,
        &home,
        input,
    )
    .await;
    match result {
        Ok(_) => Redirect::to("/learn/journal").into_response(),
        Err(AppError::Invalid(invalid)) => {
            let message = t.with("form-invalid", "detail", &invalid.reason);
            render(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(message),
            )
            .await
        }
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

fn entry_id(id: &str) -> Option<Uuid> {
    Uuid::parse_str(id.trim()).ok()
}

/// `POST /learn/journal/{id}/share` with `shared=true|false`.
pub async fn share(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = entry_id(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let shared = field(&pairs, "shared") == "true";
    let result = journal::set_shared(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
        shared,
    )
    .await;
    match result {
        Ok(()) => Redirect::to("/learn/journal").into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

/// `POST /learn/journal/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = entry_id(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let home = state.config.home_page();
    let result = journal::delete_entry(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        &state.statement_signal,
        &home,
        id,
    )
    .await;
    match result {
        Ok(()) => Redirect::to("/learn/journal").into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

/// `POST /team/people/{person}/journal/{id}/confirm`: the manager confirms a shared entry.
pub async fn confirm(
    State(state): State<AppState>,
    page: PersonPage,
    Path((person, id)): Path<(String, String)>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let (Ok(person), Some(id)) = (person.parse::<PersonId>(), entry_id(&id)) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let home = state.config.home_page();
    let result = journal::confirm_entry(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        &home,
        person,
        id,
    )
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/team/people/{person}/skills?saved=1")).into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}
