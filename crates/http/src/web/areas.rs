//! The areas of the navigation. "My learning" shows the person's profile and classroom sessions;
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
    };
    shell.render(StatusCode::OK, &view)
}
