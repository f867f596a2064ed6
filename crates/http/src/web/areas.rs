//! The areas of the navigation. "My learning" shows the person's profile, classroom sessions,
//! the next steps of their path and recommendations (`recommendations.rs`);
//! training management lists the trainer's sessions (`classroom.rs`). "My skills" and "Team" live
//! in `skills.rs` and `team.rs`, the catalogue in `catalogue.rs`.

use super::{PersonPage, PublicPage, Shell};
use crate::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mycel_organisation::{AccessRole, RoleAssignmentKind};

pub async fn home(PublicPage(shell): PublicPage) -> Response {
    let target = if shell.caller.is_some() {
        "/learn"
    } else {
        "/login"
    };
    Redirect::to(target).into_response()
}

/// `/training`: the trainer's sessions (in `classroom.rs`).
pub async fn training(state: State<AppState>, page: PersonPage) -> Response {
    super::classroom::training(state, page).await
}

#[derive(Template)]
#[template(path = "learn.html")]
struct LearnPage<'a> {
    shell: &'a Shell,
    greeting: String,
    org_unit: String,
    manager: String,
    current_roles: String,
    aspired_roles: String,
    access: String,
    notice: Option<String>,
    /// Classroom sessions the person enrolled in, upcoming first.
    my_sessions: Vec<super::classroom::MySessionRow>,
    /// Opportunities assigned to the person, by due date.
    assigned: Vec<AssignedRow>,
    /// Certifications of compliance training, by expiry.
    certifications: Vec<CertificationRow>,
    /// The first steps of the person's learning path.
    next_steps: Vec<super::learning_path::NextStep>,
    /// Recommendations beyond the path ("For you").
    for_you: Vec<super::recommendations::ForYouItem>,
}

struct AssignedRow {
    href: String,
    title: String,
    due: String,
    status: String,
    class: &'static str,
}

struct CertificationRow {
    href: String,
    title: String,
    completed: String,
    valid_until: String,
    status: String,
    class: &'static str,
}

/// "My learning": the person's own profile (reading one's own data is not audited).
pub async fn learn(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let my_sessions = match super::classroom::my_sessions(&state, &page).await {
        Ok(rows) => rows,
        Err(error) => return super::error_response(&page.shell, &error.into()),
    };
    // The path is planned once, for its next steps and for the recommendations beyond it.
    let (next_steps, for_you) = match super::learning_path::home_path(&state, &page).await {
        Some(path) => (
            super::learning_path::next_steps(&path, &page, 3),
            super::recommendations::for_you(&state, &page, &path).await,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let PersonPage { shell, caller } = page;
    let notice = super::classroom::flash(query.as_deref(), &shell.t);
    let Some(person) = caller.person.clone() else {
        return shell.error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let scope = caller.scope();
    let none = shell.t.get("none");
    let store = &state.store;
    let org_unit = match person.org_unit_id {
        Some(id) => store.org_unit(scope, id).await.map(|u| u.name).ok(),
        None => None,
    };
    let manager = match person.manager_id {
        Some(id) => store.person(scope, id).await.map(|m| m.display_name).ok(),
        None => None,
    };
    let (assignments, roles) = match (
        store.role_assignments(scope, person.id).await,
        store.list_roles(scope).await,
    ) {
        (Ok(a), Ok(r)) => (a, r),
        (Err(error), _) | (_, Err(error)) => return super::error_response(&shell, &error.into()),
    };
    let role_names = |kind: RoleAssignmentKind| {
        let names: Vec<_> = assignments
            .iter()
            .filter(|a| a.kind == kind)
            .filter_map(|a| roles.iter().find(|r| r.id == a.role_id))
            .map(|r| r.name.clone())
            .collect();
        if names.is_empty() {
            none.clone()
        } else {
            names.join(", ")
        }
    };
    let record = match mycel_app::assignments::learning_record(
        &**store,
        mycel_app::Acting::Principal(&caller.principal),
        scope,
        person.id,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(record) => record,
        Err(error) => return super::error_response(&shell, &error.into()),
    };
    let lang = shell.t.code();
    let title = |o: &mycel_store::catalogue::OpportunityRecord| o.draft.title.get(lang).to_owned();
    let href =
        |o: &mycel_store::catalogue::OpportunityRecord| format!("/catalog/opportunities/{}", o.id);
    let assigned = record
        .assignments
        .iter()
        .map(|a| {
            use mycel_app::assignments::AssignmentStatus as S;
            AssignedRow {
                href: href(&a.opportunity),
                title: title(&a.opportunity),
                due: a
                    .assignment
                    .due
                    .map(|d| super::competency_texts::day(d, &shell.t))
                    .unwrap_or_else(|| none.clone()),
                status: shell
                    .t
                    .get(&format!("learn-assignment-{}", a.status.as_str())),
                class: match a.status {
                    S::Completed => "met",
                    S::Open => "open",
                    S::Overdue | S::RecertificationDue => "overdue",
                },
            }
        })
        .collect();
    let certifications = record
        .certifications
        .iter()
        .map(|c| {
            use mycel_app::assignments::CertificationStatus as S;
            CertificationRow {
                href: href(&c.opportunity),
                title: title(&c.opportunity),
                completed: super::classroom::day_text(c.completed_at, &shell.t),
                valid_until: super::classroom::day_text(c.valid_until, &shell.t),
                status: shell
                    .t
                    .get(&format!("learn-certification-{}", c.status.as_str())),
                class: match c.status {
                    S::Valid => "met",
                    S::Expiring => "open",
                    S::Expired => "overdue",
                },
            }
        })
        .collect();
    let mut access: Vec<AccessRole> = caller.grants().iter().map(|g| g.role).collect();
    access.sort();
    access.dedup();
    let view = LearnPage {
        shell: &shell,
        greeting: shell.t.with("greeting", "name", &person.display_name),
        org_unit: org_unit.unwrap_or_else(|| none.clone()),
        manager: manager.unwrap_or_else(|| none.clone()),
        current_roles: role_names(RoleAssignmentKind::Current),
        aspired_roles: role_names(RoleAssignmentKind::Aspired),
        access: access
            .iter()
            .map(|r| shell.t.get(&format!("role-{}", r.as_str())))
            .collect::<Vec<_>>()
            .join(", "),
        notice,
        my_sessions,
        assigned,
        certifications,
        next_steps,
        for_you,
    };
    shell.render(StatusCode::OK, &view)
}
