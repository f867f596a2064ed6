//! "Strategische Ziele" / "Strategic goals": L&D admins (for the units they administer) and
//! company admins set, for an org unit, competencies everyone in it and below it should reach,
//! with a target level, a reason and perhaps a date; they change and delete them here. The same
//! page chooses what the company's learning paths are planned for (least time or least cost).

use super::competency_texts::{self as texts, LabelView, LevelOption};
use super::form_field as field;
use super::{error_response, PersonPage, Shell};
use crate::auth::csrf::CheckedForm;
use crate::i18n::I18n;
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use mycel_app::competencies as comp;
use mycel_app::organisation as org;
use mycel_app::strategic_goals as strategy;
use mycel_app::{Acting, AppError};
use mycel_competency::StrategicGoalInput;
use mycel_organisation::{AccessRole, Action, CompetencyId, OrgUnit, OrgUnitId, StrategicGoalId};
use mycel_store::strategic_goals::{AppliedStrategicGoal, PathObjective};
use mycel_store::TenantScope;
use serde::Deserialize;
use std::collections::HashMap;

/// How many search results the page lists.
const SHOWN: u32 = 30;

/// Why a gap is there when a strategic goal set it: "strategic goal of <unit>: <reason>" in the
/// reader's language (`key` takes `$unit` and `$reason`); without the goal at hand, the unit alone.
pub(super) fn reason_text(goal: Option<&AppliedStrategicGoal>, key: &str, t: &I18n) -> String {
    match goal {
        Some(applied) => t.with_all(
            key,
            &[
                ("unit", &applied.org_unit_name),
                ("reason", &applied.goal.reason),
            ],
        ),
        None => t.get("strategic-goal-unknown"),
    }
}

struct UnitRow {
    id: OrgUnitId,
    name: String,
    /// Indentation by depth in the tree.
    depth: usize,
    goals: usize,
    selected: bool,
}

struct GoalRow {
    id: StrategicGoalId,
    competency_id: CompetencyId,
    label: LabelView,
    target: String,
    level_options: Vec<LevelOption>,
    reason: String,
    due: String,
    due_value: String,
}

struct InheritedRow {
    unit: String,
    label: LabelView,
    target: String,
    reason: String,
    due: String,
}

struct ResultRow {
    id: CompetencyId,
    label: LabelView,
    kind: String,
}

#[derive(Template)]
#[template(path = "strategic_goals.html")]
struct GoalsPage<'a> {
    shell: &'a Shell,
    tenant_slug: String,
    back_href: String,
    back_label: String,
    notice: Option<String>,
    error: Option<String>,
    may_plan: bool,
    objective: &'static str,
    units: Vec<UnitRow>,
    unit: Option<OrgUnit>,
    may_manage: bool,
    goals: Vec<GoalRow>,
    inherited: Vec<InheritedRow>,
    q: String,
    results: Option<Vec<ResultRow>>,
    add_options: Vec<LevelOption>,
}

#[derive(Deserialize, Default)]
struct PageParams {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    saved: String,
}

/// The tenant the page is about, if the caller may set goals or the objective there.
async fn context(
    state: &AppState,
    page: &PersonPage,
    tenant: &str,
) -> Result<(String, TenantScope), Response> {
    let shell = &page.shell;
    let acting = Acting::Principal(&page.caller.principal);
    let tenant = tenant.trim();
    let (slug, scope) = if tenant.is_empty() || tenant == page.caller.tenant.slug {
        (page.caller.tenant.slug.clone(), page.caller.scope())
    } else {
        match org::enter_tenant(&*state.store, acting, tenant).await {
            Ok((tenant, scope)) => (tenant.slug, scope),
            Err(error) => return Err(error_response(shell, &error.into())),
        }
    };
    let principal = &page.caller.principal;
    if !(principal.permits(Action::ManagePathPlanning) || principal.has_role(AccessRole::LndAdmin))
    {
        return Err(shell.error_page(StatusCode::FORBIDDEN, "error-forbidden"));
    }
    Ok((slug, scope))
}

fn page_href(slug: &str, unit: Option<OrgUnitId>, query: &str) -> String {
    let mut params = vec![("tenant", slug.to_owned())];
    if let Some(unit) = unit {
        params.push(("unit", unit.to_string()));
    }
    format!(
        "/admin/strategic-goals?{}{query}",
        serde_urlencoded::to_string(params).unwrap_or_default()
    )
}

/// The units in tree order (parents before their children, siblings by name), with depths.
fn tree_order(units: &[OrgUnit]) -> Vec<(&OrgUnit, usize)> {
    let mut children: HashMap<Option<OrgUnitId>, Vec<&OrgUnit>> = HashMap::new();
    for unit in units {
        children.entry(unit.parent_id).or_default().push(unit);
    }
    let mut ordered = Vec::with_capacity(units.len());
    let mut stack: Vec<(&OrgUnit, usize)> = children
        .get(&None)
        .map(|roots| roots.iter().rev().map(|u| (*u, 0)).collect())
        .unwrap_or_default();
    while let Some((unit, depth)) = stack.pop() {
        ordered.push((unit, depth));
        if ordered.len() > units.len() {
            break;
        }
        if let Some(below) = children.get(&Some(unit.id)) {
            stack.extend(below.iter().rev().map(|u| (*u, depth + 1)));
        }
    }
    ordered
}

#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
    q: String,
}

async fn render(
    state: &AppState,
    page: &PersonPage,
    (slug, scope): (String, TenantScope),
    unit: Option<OrgUnitId>,
    status: StatusCode,
    outcome: Outcome,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let acting = Acting::Principal(&page.caller.principal);
    let loaded = async {
        let units = org::list_org_units(store, acting, scope).await?;
        let all = strategy::company_goals(store, acting, scope).await?;
        let objective = strategy::path_objective(store, acting, scope).await?;
        Ok::<_, AppError>((units, all, objective))
    }
    .await;
    let (units, all, objective) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error_response(shell, &error.into()),
    };
    let mut counts: HashMap<OrgUnitId, usize> = HashMap::new();
    for goal in &all {
        *counts.entry(goal.org_unit_id).or_default() += 1;
    }
    let unit_rows = tree_order(&units)
        .into_iter()
        .map(|(u, depth)| UnitRow {
            id: u.id,
            name: u.name.clone(),
            depth,
            goals: counts.get(&u.id).copied().unwrap_or(0),
            selected: Some(u.id) == unit,
        })
        .collect();
    let selected = unit.and_then(|id| units.iter().find(|u| u.id == id).cloned());
    let mut goals = Vec::new();
    let mut inherited = Vec::new();
    let mut may_manage = false;
    let mut error = outcome.error;
    let mut status = status;
    let mut results = None;
    let q = outcome.q.trim().to_owned();
    if let Some(selected) = &selected {
        let loaded = async {
            let may = strategy::may_manage(store, acting, scope, selected.id).await?;
            let applying = store
                .strategic_goals_applying_to(scope, selected.id)
                .await?;
            let ids: Vec<CompetencyId> = applying.iter().map(|a| a.goal.competency_id).collect();
            let names: HashMap<CompetencyId, LabelView> = store
                .competencies(scope, &ids)
                .await?
                .iter()
                .map(|c| (c.id, texts::competency_label(c, t)))
                .collect();
            Ok::<_, AppError>((may, applying, names))
        }
        .await;
        let (may, applying, names) = match loaded {
            Ok(loaded) => loaded,
            Err(error) => return error_response(shell, &error.into()),
        };
        may_manage = may;
        let label_of = |id: CompetencyId| {
            names.get(&id).cloned().unwrap_or_else(|| LabelView {
                text: id.to_string(),
                description: None,
                fallback_lang: None,
                fallback: None,
            })
        };
        for applied in applying {
            let goal = &applied.goal;
            if goal.org_unit_id == selected.id {
                goals.push(GoalRow {
                    id: goal.id,
                    competency_id: goal.competency_id,
                    label: label_of(goal.competency_id),
                    target: texts::level_text(goal.target, t),
                    level_options: texts::level_options(Some(goal.target.value()), t),
                    reason: goal.reason.clone(),
                    due: goal.due.map(|d| texts::day(d, t)).unwrap_or_default(),
                    due_value: goal.due.map(|d| d.to_string()).unwrap_or_default(),
                });
            } else {
                inherited.push(InheritedRow {
                    unit: applied.org_unit_name.clone(),
                    label: label_of(goal.competency_id),
                    target: texts::level_text(goal.target, t),
                    reason: goal.reason.clone(),
                    due: goal.due.map(|d| texts::day(d, t)).unwrap_or_default(),
                });
            }
        }
        if may_manage && !q.is_empty() {
            match comp::search_competencies(store, acting, scope, Some(&q), None, None, Some(SHOWN))
                .await
            {
                Ok(found) => {
                    results = Some(
                        found
                            .iter()
                            .map(|c| ResultRow {
                                id: c.id,
                                label: texts::competency_label(c, t),
                                kind: texts::competency_kind(c.kind, t),
                            })
                            .collect(),
                    )
                }
                Err(AppError::Invalid(invalid)) => {
                    status = StatusCode::UNPROCESSABLE_ENTITY;
                    error = Some(t.with("form-invalid", "detail", &invalid.to_string()));
                }
                Err(other) => return error_response(shell, &other.into()),
            }
        }
    }
    let (back_href, back_label) = if super::Area::Admin.open_to(&page.caller) {
        (
            format!("/admin?tenant={slug}"),
            t.get("role-profile-back-admin"),
        )
    } else {
        ("/team".to_owned(), t.get("team-back"))
    };
    let view = GoalsPage {
        shell,
        tenant_slug: slug,
        back_href,
        back_label,
        notice: outcome.notice,
        error,
        may_plan: page.caller.principal.permits(Action::ManagePathPlanning),
        objective: objective.as_str(),
        units: unit_rows,
        unit: selected,
        may_manage,
        goals,
        inherited,
        q,
        results,
        add_options: texts::level_options(Some(2.0), t),
    };
    shell.render(status, &view)
}

/// `GET /admin/strategic-goals`.
pub async fn page(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let params: PageParams = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let context = match context(&state, &page, &params.tenant).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let unit = match params.unit.trim() {
        "" => None,
        text => match text.parse::<OrgUnitId>() {
            Ok(unit) => Some(unit),
            Err(_) => {
                return page
                    .shell
                    .error_page(StatusCode::NOT_FOUND, "error-not-found")
            }
        },
    };
    let t = &page.shell.t;
    let notice = match params.saved.as_str() {
        "goal" => Some(t.get("strategic-goal-saved")),
        "deleted" => Some(t.get("strategic-goal-deleted")),
        "objective" => Some(t.get("admin-saved")),
        _ => None,
    };
    let outcome = Outcome {
        notice,
        error: None,
        q: params.q,
    };
    render(&state, &page, context, unit, StatusCode::OK, outcome).await
}

/// After a change: back to the page, or the page with the reason the change was refused.
async fn after(
    state: &AppState,
    page: &PersonPage,
    context: (String, TenantScope),
    unit: Option<OrgUnitId>,
    result: Result<&str, AppError>,
) -> Response {
    match result {
        Ok(saved) => {
            Redirect::to(&page_href(&context.0, unit, &format!("&saved={saved}"))).into_response()
        }
        Err(AppError::Invalid(invalid)) => {
            let message = page
                .shell
                .t
                .with("form-invalid", "detail", &invalid.to_string());
            form_error(state, page, context, unit, message).await
        }
        Err(AppError::Store(mycel_store::StoreError::Conflict(_))) => {
            let message = page.shell.t.get("strategic-goal-exists");
            let outcome = Outcome {
                error: Some(message),
                ..Outcome::default()
            };
            render(state, page, context, unit, StatusCode::CONFLICT, outcome).await
        }
        Err(other) => error_response(&page.shell, &ApiError::from(other)),
    }
}

async fn form_error(
    state: &AppState,
    page: &PersonPage,
    context: (String, TenantScope),
    unit: Option<OrgUnitId>,
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
        unit,
        StatusCode::UNPROCESSABLE_ENTITY,
        outcome,
    )
    .await
}

/// The target, reason and due date of a goal form, or the text of what is wrong.
fn parse_input<'a>(
    t: &I18n,
    pairs: &'a [(String, String)],
) -> Result<(f64, &'a str, Option<NaiveDate>), String> {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let target = texts::parse_level(value("target")).ok_or_else(|| t.get("form-level-invalid"))?;
    let due = match value("due").trim() {
        "" => None,
        text => Some(
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| t.get("form-date-invalid"))?,
        ),
    };
    Ok((target, value("reason"), due))
}

fn unit_of(pairs: &[(String, String)]) -> Option<OrgUnitId> {
    field(pairs, "unit").parse().ok()
}

/// `POST /admin/strategic-goals`: a new goal on a unit.
pub async fn create(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let context = match context(&state, &page, &field(&pairs, "tenant")).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let Some(unit) = unit_of(&pairs) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let Ok(competency) = field(&pairs, "competency_id").parse::<CompetencyId>() else {
        let message = page.shell.t.get("form-competency-missing");
        return form_error(&state, &page, context, Some(unit), message).await;
    };
    let (target, reason, due) = match parse_input(&page.shell.t, &pairs) {
        Ok(input) => input,
        Err(message) => return form_error(&state, &page, context, Some(unit), message).await,
    };
    let result = strategy::create_goal(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        context.1,
        unit,
        competency,
        StrategicGoalInput {
            target,
            reason,
            due,
        },
    )
    .await
    .map(|_| "goal");
    after(&state, &page, context, Some(unit), result).await
}

/// `POST /admin/strategic-goals/{id}`: a goal's new target, reason and due date, or (`action`
/// `delete`) its deletion.
pub async fn change(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let context = match context(&state, &page, &field(&pairs, "tenant")).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let (Ok(id), Some(unit)) = (id.parse::<StrategicGoalId>(), unit_of(&pairs)) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let store = &*state.store;
    let acting = Acting::Principal(&page.caller.principal);
    if field(&pairs, "action") == "delete" {
        let result = strategy::delete_goal(store, acting, context.1, unit, id)
            .await
            .map(|()| "deleted");
        return after(&state, &page, context, Some(unit), result).await;
    }
    let (target, reason, due) = match parse_input(&page.shell.t, &pairs) {
        Ok(input) => input,
        Err(message) => return form_error(&state, &page, context, Some(unit), message).await,
    };
    let result = strategy::update_goal(
        store,
        acting,
        context.1,
        unit,
        id,
        StrategicGoalInput {
            target,
            reason,
            due,
        },
    )
    .await
    .map(|_| "goal");
    after(&state, &page, context, Some(unit), result).await
}

/// `POST /admin/path-objective`: what the company's paths are planned for.
pub async fn set_objective(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let context = match context(&state, &page, &field(&pairs, "tenant")).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let Some(objective) = PathObjective::parse(&field(&pairs, "objective")) else {
        let message = page.shell.t.get("strategic-objective-invalid");
        return form_error(&state, &page, context, None, message).await;
    };
    let result = strategy::set_path_objective(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        context.1,
        objective,
    )
    .await
    .map(|()| "objective");
    after(&state, &page, context, None, result).await
}
