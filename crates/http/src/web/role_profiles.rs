//! The role profile editor ("Soll-Profil"): the competencies a role needs (required) or would like
//! (desired) at a target level. L&D admins and company admins change levels and kinds, remove
//! lines, add competencies found by a search, or create the whole profile from an ESCO occupation.
//! Every change writes the whole profile, so a form always leaves a consistent profile behind.

use super::competency_texts::{self as texts, Frameworks, LabelView, LevelOption};
use super::form_field as field;
use super::{error_response, PersonPage, Shell};
use crate::auth::csrf::CheckedForm;
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mycel_app::competencies as ops;
use mycel_app::organisation as org;
use mycel_app::{Acting, AppError};
use mycel_competency::scale::Level;
use mycel_competency::RequirementKind;
use mycel_organisation::{Action, CompetencyId, OccupationId, Role, RoleId};
use mycel_store::competencies::RoleRequirement;
use mycel_store::TenantScope;
use serde::Deserialize;

/// How many search results the editor lists.
const SHOWN: u32 = 30;

struct LineRow {
    id: CompetencyId,
    label: LabelView,
    required: bool,
    level_options: Vec<LevelOption>,
}

struct ResultRow {
    id: CompetencyId,
    label: LabelView,
    kind: String,
    in_profile: bool,
}

struct OccupationRow {
    id: OccupationId,
    label: LabelView,
    code: String,
}

#[derive(Template)]
#[template(path = "role_profile.html")]
struct EditorPage<'a> {
    shell: &'a Shell,
    role: Role,
    tenant_slug: String,
    back_href: String,
    back_label: String,
    notice: Option<String>,
    error: Option<String>,
    lines: Vec<LineRow>,
    q: String,
    results: Option<Vec<ResultRow>>,
    occupation_q: String,
    occupations: Option<Vec<OccupationRow>>,
    add_options: Vec<LevelOption>,
    required_options: Vec<LevelOption>,
    desired_options: Vec<LevelOption>,
    esco: bool,
}

#[derive(Deserialize, Default)]
struct EditorParams {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    occupation: String,
    #[serde(default)]
    saved: String,
    #[serde(default)]
    created: String,
}

/// The tenant and role the editor is about, if the caller may edit role profiles there.
struct Context {
    tenant_slug: String,
    scope: TenantScope,
    role: Role,
}

async fn context(
    state: &AppState,
    page: &PersonPage,
    tenant: &str,
    role: &str,
) -> Result<Context, Response> {
    let shell = &page.shell;
    let acting = Acting::Principal(&page.caller.principal);
    let tenant = tenant.trim();
    let (tenant_slug, scope) = if tenant.is_empty() || tenant == page.caller.tenant.slug {
        (page.caller.tenant.slug.clone(), page.caller.scope())
    } else {
        match org::enter_tenant(&*state.store, acting, tenant).await {
            Ok((tenant, scope)) => (tenant.slug, scope),
            Err(error) => return Err(error_response(shell, &error.into())),
        }
    };
    if !acting.permits(Action::ManageRoles) {
        return Err(shell.error_page(StatusCode::FORBIDDEN, "error-forbidden"));
    }
    let Ok(role) = role.parse::<RoleId>() else {
        return Err(shell.error_page(StatusCode::NOT_FOUND, "error-not-found"));
    };
    let role = match org::role(&*state.store, acting, scope, role).await {
        Ok(role) => role,
        Err(error) => return Err(error_response(shell, &error.into())),
    };
    Ok(Context {
        tenant_slug,
        scope,
        role,
    })
}

fn editor_href(context: &Context, query: &str) -> String {
    let tenant =
        serde_urlencoded::to_string([("tenant", context.tenant_slug.as_str())]).unwrap_or_default();
    format!("/admin/roles/{}/profile?{tenant}{query}", context.role.id)
}

#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
    q: String,
    occupation: String,
}

async fn render(
    state: &AppState,
    page: &PersonPage,
    context: Context,
    status: StatusCode,
    outcome: Outcome,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = context.scope;
    let mut error = outcome.error;
    let mut status = status;
    let loaded = async {
        let lines = ops::role_profile(
            store,
            mycel_app::Acting::Principal(&page.caller.principal),
            scope,
            context.role.id,
        )
        .await?;
        let frameworks = Frameworks::new(
            ops::frameworks(
                store,
                mycel_app::Acting::Principal(&page.caller.principal),
                scope,
            )
            .await?,
        );
        Ok::<_, AppError>((lines, frameworks))
    }
    .await;
    let (lines, frameworks) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error_response(shell, &error.into()),
    };
    let mut esco = lines
        .iter()
        .any(|(_, c)| frameworks.is_esco(c.framework_id));
    let mut line_rows: Vec<LineRow> = lines
        .iter()
        .map(|(requirement, competency)| LineRow {
            id: competency.id,
            label: texts::competency_label(competency, t),
            required: requirement.kind == RequirementKind::Required,
            level_options: texts::level_options(Some(requirement.target.value()), t),
        })
        .collect();
    line_rows.sort_by(|a, b| {
        b.required.cmp(&a.required).then_with(|| {
            a.label
                .text
                .to_lowercase()
                .cmp(&b.label.text.to_lowercase())
        })
    });
    let q = outcome.q.trim().to_owned();
    let results = if q.is_empty() {
        None
    } else {
        match ops::search_competencies(
            store,
            mycel_app::Acting::Principal(&page.caller.principal),
            scope,
            Some(&q),
            None,
            None,
            Some(SHOWN),
        )
        .await
        {
            Ok(found) => {
                esco |= found.iter().any(|c| frameworks.is_esco(c.framework_id));
                Some(
                    found
                        .iter()
                        .map(|c| ResultRow {
                            id: c.id,
                            label: texts::competency_label(c, t),
                            kind: texts::competency_kind(c.kind, t),
                            in_profile: lines.iter().any(|(_, l)| l.id == c.id),
                        })
                        .collect(),
                )
            }
            Err(AppError::Invalid(invalid)) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                error = Some(t.with("form-invalid", "detail", &invalid.to_string()));
                None
            }
            Err(other) => return error_response(shell, &other.into()),
        }
    };
    let occupation_q = outcome.occupation.trim().to_owned();
    let occupations = if occupation_q.is_empty() {
        None
    } else {
        match ops::search_occupations(
            store,
            mycel_app::Acting::Principal(&page.caller.principal),
            scope,
            &occupation_q,
            Some(SHOWN),
        )
        .await
        {
            Ok(found) => {
                esco |= found.iter().any(|o| frameworks.is_esco(o.framework_id));
                Some(
                    found
                        .iter()
                        .map(|o| OccupationRow {
                            id: o.id,
                            label: texts::label(&o.labels, &o.uri, t),
                            code: o.code.clone().unwrap_or_default(),
                        })
                        .collect(),
                )
            }
            Err(AppError::Invalid(invalid)) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                error = Some(t.with("form-invalid", "detail", &invalid.to_string()));
                None
            }
            Err(other) => return error_response(shell, &other.into()),
        }
    };
    // L&D admins reach the editor from the team page; company admins from the administration.
    let (back_href, back_label) = if super::Area::Admin.open_to(&page.caller) {
        (
            format!("/admin?tenant={}", context.tenant_slug),
            t.get("role-profile-back-admin"),
        )
    } else {
        ("/team".to_owned(), t.get("team-back"))
    };
    let view = EditorPage {
        shell,
        back_href,
        back_label,
        role: context.role,
        tenant_slug: context.tenant_slug,
        notice: outcome.notice,
        error,
        lines: line_rows,
        q,
        results,
        occupation_q,
        occupations,
        add_options: texts::level_options(Some(2.0), t),
        required_options: texts::level_options(Some(2.0), t),
        desired_options: texts::level_options(Some(1.0), t),
        esco,
    };
    shell.render(status, &view)
}

/// `/admin/roles/{id}/profile`.
pub async fn page(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params: EditorParams = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let context = match context(&state, &page, &params.tenant, &id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let t = &page.shell.t;
    let notice = if !params.created.is_empty() {
        params
            .created
            .parse::<u32>()
            .ok()
            .map(|n| t.with("role-profile-created", "count", &n.to_string()))
    } else if !params.saved.is_empty() {
        Some(t.get("admin-saved"))
    } else {
        None
    };
    let outcome = Outcome {
        notice,
        error: None,
        q: params.q,
        occupation: params.occupation,
    };
    render(&state, &page, context, StatusCode::OK, outcome).await
}

/// Why a form could not be used, as the page says it.
fn invalid(page: &PersonPage, key: &str) -> String {
    page.shell.t.get(key)
}

/// The profile a form describes, or the text of why not.
fn parse_profile(
    page: &PersonPage,
    pairs: &[(String, String)],
    current: Vec<RoleRequirement>,
) -> Result<Vec<RoleRequirement>, String> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let parse_kind = |value: &str| {
        RequirementKind::parse(value).ok_or_else(|| invalid(page, "form-kind-invalid"))
    };
    let parse_target = |value: &str| {
        texts::parse_level(value)
            .and_then(Level::new)
            .ok_or_else(|| invalid(page, "form-level-invalid"))
    };
    let mut requirements = if field("action") == "add" {
        current
    } else {
        let removed = field("remove");
        let mut lines = Vec::new();
        for (_, value) in pairs.iter().filter(|(k, _)| k == "line") {
            let value = value.trim();
            if value == removed {
                continue;
            }
            let competency_id = value
                .parse::<CompetencyId>()
                .map_err(|_| invalid(page, "form-competency-missing"))?;
            lines.push(RoleRequirement {
                competency_id,
                kind: parse_kind(&field(&format!("kind.{value}")))?,
                target: parse_target(&field(&format!("target.{value}")))?,
            });
        }
        lines
    };
    let add = field("add");
    if !add.is_empty() {
        let competency_id = add
            .parse::<CompetencyId>()
            .map_err(|_| invalid(page, "form-competency-missing"))?;
        let line = RoleRequirement {
            competency_id,
            kind: parse_kind(&field("add_kind"))?,
            target: parse_target(&field("add_target"))?,
        };
        requirements.retain(|r| r.competency_id != competency_id);
        requirements.push(line);
    } else if field("action") == "add" {
        return Err(invalid(page, "form-competency-missing"));
    }
    // One line per competency; a later line wins.
    let mut unique: Vec<RoleRequirement> = Vec::with_capacity(requirements.len());
    for requirement in requirements.into_iter().rev() {
        if !unique
            .iter()
            .any(|r| r.competency_id == requirement.competency_id)
        {
            unique.push(requirement);
        }
    }
    unique.reverse();
    Ok(unique)
}

/// After a change: back to the editor, or the editor with the reason the change was refused.
async fn after(
    state: &AppState,
    page: &PersonPage,
    context: Context,
    result: Result<String, AppError>,
) -> Response {
    match result {
        Ok(query) => Redirect::to(&editor_href(&context, &query)).into_response(),
        Err(AppError::Invalid(invalid)) => {
            let message = page
                .shell
                .t
                .with("form-invalid", "detail", &invalid.to_string());
            form_error(state, page, context, message).await
        }
        Err(other) => error_response(&page.shell, &ApiError::from(other)),
    }
}

async fn form_error(
    state: &AppState,
    page: &PersonPage,
    context: Context,
    message: String,
) -> Response {
    let outcome = Outcome {
        error: Some(message),
        ..Outcome::default()
    };
    render(
        state,
        page,
        context,
        StatusCode::UNPROCESSABLE_ENTITY,
        outcome,
    )
    .await
}

/// `POST /admin/roles/{id}/profile`: the whole profile as the table shows it (`action=save`, a
/// `remove` button naming a line to drop), or one competency added to the stored profile
/// (`action=add`).
pub async fn save(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let context = match context(&state, &page, &field(&pairs, "tenant"), &id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let store = &*state.store;
    let current = match ops::role_profile(
        store,
        mycel_app::Acting::Principal(&page.caller.principal),
        context.scope,
        context.role.id,
    )
    .await
    {
        Ok(lines) => lines.into_iter().map(|(r, _)| r).collect(),
        Err(error) => return error_response(&page.shell, &error.into()),
    };
    let requirements = match parse_profile(&page, &pairs, current) {
        Ok(requirements) => requirements,
        Err(message) => return form_error(&state, &page, context, message).await,
    };
    let result = ops::set_role_profile(
        store,
        Acting::Principal(&page.caller.principal),
        context.scope,
        context.role.id,
        &requirements,
    )
    .await
    .map(|()| "&saved=1".to_owned());
    after(&state, &page, context, result).await
}

/// `POST /admin/roles/{id}/profile/from-occupation`: replaces the profile with an ESCO
/// occupation's essential (required) and optional (desired) skills.
pub async fn from_occupation(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let context = match context(&state, &page, &field(&pairs, "tenant"), &id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let store = &*state.store;
    let Ok(occupation) = field(&pairs, "occupation_id").parse::<OccupationId>() else {
        let message = invalid(&page, "form-occupation-missing");
        return form_error(&state, &page, context, message).await;
    };
    // An occupation the tenant does not see would silently empty the profile.
    match store.occupation(context.scope, occupation).await {
        Ok(_) => {}
        Err(mycel_store::StoreError::NotFound(_)) => {
            let message = invalid(&page, "form-occupation-missing");
            return form_error(&state, &page, context, message).await;
        }
        Err(error) => return error_response(&page.shell, &error.into()),
    }
    let Some(required) = texts::parse_level(&field(&pairs, "required_level")).and_then(Level::new)
    else {
        let message = invalid(&page, "form-level-invalid");
        return form_error(&state, &page, context, message).await;
    };
    let desired = match field(&pairs, "desired_level").as_str() {
        "" | "none" => None,
        value => match texts::parse_level(value).and_then(Level::new) {
            Some(level) => Some(level),
            None => {
                let message = invalid(&page, "form-level-invalid");
                return form_error(&state, &page, context, message).await;
            }
        },
    };
    let result = ops::role_profile_from_occupation(
        store,
        Acting::Principal(&page.caller.principal),
        context.scope,
        context.role.id,
        occupation,
        required,
        desired,
    )
    .await
    .map(|count| format!("&created={count}"));
    after(&state, &page, context, result).await
}
