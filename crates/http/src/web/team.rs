//! The team pages: the aggregated gaps of a manager's direct reports, of an org unit's subtree (for
//! L&D admins of it) or of the whole company (for company admins), never for a group smaller than
//! the minimum group size unless everyone in it shares their profile; the list of a manager's
//! reports with links to the profiles they share; and a shared profile, read-only, with a form to
//! confirm a level as the manager.

use super::competency_texts::{self as texts, Frameworks, LabelView, LevelOption};
use super::skills::{profile_view, ProfileView, WEB_SOURCE};
use super::{error_response, Area, PersonPage, Shell};
use crate::auth::csrf::CheckedForm;
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mycel_app::competencies::{self as ops, NewEvidence};
use mycel_app::organisation as org;
use mycel_app::{Acting, AppError};
use mycel_competency::{EvidenceKind, GroupGaps};
use mycel_organisation::{Action, CompetencyId, OrgUnit, OrgUnitId, PersonId};
use mycel_store::competencies::PeopleGroup;
use mycel_store::{Actor, NewAuditEntry};
use serde::Deserialize;
use std::collections::HashMap;

/// People read per page when listing a manager's reports.
const REPORTS_PAGE: u32 = 500;

struct GroupOption {
    value: String,
    label: String,
    selected: bool,
}

struct HistogramBar {
    level: u8,
    name: String,
    count: u32,
    height: u32,
}

struct SummaryRow {
    id: CompetencyId,
    label: LabelView,
    with_target: u32,
    below: u32,
    without_estimate: u32,
    mean_target: String,
    mean_estimate: String,
    mean_gap: String,
    histogram: Vec<HistogramBar>,
}

struct ReportRow {
    name: String,
    href: Option<String>,
}

struct RoleLink {
    name: String,
    href: String,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage<'a> {
    shell: &'a Shell,
    heading: String,
    options: Vec<GroupOption>,
    people: String,
    suppressed: Option<String>,
    rows: Vec<SummaryRow>,
    withheld: Option<String>,
    reports: Option<Vec<ReportRow>>,
    role_profiles: Vec<RoleLink>,
    /// L&D admins and company admins: a link to the strategic goals of org units.
    strategy_link: bool,
    esco: bool,
    /// After approving or refusing an enrolment.
    notice: Option<String>,
    /// Classroom enrolments of the manager's reports waiting for their approval.
    approvals: Vec<super::classroom::ApprovalRow>,
    /// The reports' overdue assignments and running-out certifications.
    due: Vec<DueRow>,
}

/// A report's assignment or certification that needs the manager's attention.
struct DueRow {
    person: String,
    course: String,
    course_href: String,
    what: String,
    date: String,
}

#[derive(Deserialize, Default)]
struct TeamParams {
    #[serde(default)]
    unit: String,
}

/// Each org unit with its path (root first) and depth, in tree order.
fn unit_paths(units: &[OrgUnit]) -> Vec<(&OrgUnit, Vec<OrgUnitId>)> {
    fn visit<'a>(
        units: &'a [OrgUnit],
        parent: Option<OrgUnitId>,
        path: &mut Vec<OrgUnitId>,
        out: &mut Vec<(&'a OrgUnit, Vec<OrgUnitId>)>,
    ) {
        for unit in units.iter().filter(|u| u.parent_id == parent) {
            path.push(unit.id);
            out.push((unit, path.clone()));
            if path.len() < 64 {
                visit(units, Some(unit.id), path, out);
            }
            path.pop();
        }
    }
    let mut out = Vec::with_capacity(units.len());
    visit(units, None, &mut Vec::new(), &mut out);
    out
}

/// `/team`, `/team?unit=team|all|<org unit id>`.
pub async fn page(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let principal = &page.caller.principal;
    let acting = Acting::Principal(principal);
    if !Area::Team.open_to(&page.caller) {
        return shell.error_page(StatusCode::FORBIDDEN, "error-forbidden");
    }
    let notice = super::classroom::flash(query.as_deref(), t);
    let approvals = match super::classroom::approvals(&state, &page).await {
        Ok(rows) => rows,
        Err(error) => return error_response(shell, &error.into()),
    };
    let due = match mycel_app::assignments::team_due(store, acting, scope, chrono::Utc::now()).await
    {
        Ok(items) => items
            .into_iter()
            .map(|item| DueRow {
                person: item.person.display_name,
                course: item.opportunity.draft.title.get(t.code()).to_owned(),
                course_href: format!("/catalog/opportunities/{}", item.opportunity.id),
                what: t.get(&format!("team-due-{}", item.kind)),
                date: item
                    .date
                    .map(|d| texts::day(d, t))
                    .unwrap_or_else(|| "–".to_owned()),
            })
            .collect(),
        Err(error) => return error_response(shell, &error.into()),
    };
    let params: TeamParams = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let me = principal.person_id();
    let units = match org::list_org_units(store, acting, scope).await {
        Ok(units) => units,
        Err(error) => return error_response(shell, &error.into()),
    };
    let mut options = Vec::new();
    if me.is_some() && principal.has_role(mycel_organisation::AccessRole::Manager) {
        options.push(("team".to_owned(), t.get("team-group-team")));
    }
    if principal.permits(Action::ViewGroupCompetencies { unit_path: None }) {
        options.push(("all".to_owned(), t.get("team-group-tenant")));
    }
    for (unit, path) in unit_paths(&units) {
        if principal.permits(Action::ViewGroupCompetencies {
            unit_path: Some(&path),
        }) {
            let indent = "\u{2003}".repeat(path.len().saturating_sub(1));
            options.push((unit.id.to_string(), format!("{indent}{}", unit.name)));
        }
    }
    let chosen = match params.unit.trim() {
        "" => match options.first() {
            Some((value, _)) => value.clone(),
            None => "team".to_owned(),
        },
        other => other.to_owned(),
    };
    let (group, heading) = match chosen.as_str() {
        "team" => match me {
            Some(me) => (PeopleGroup::ReportsOf(me), t.get("team-group-team")),
            None => return shell.error_page(StatusCode::NOT_FOUND, "error-not-found"),
        },
        "all" => (PeopleGroup::Tenant, t.get("team-group-tenant")),
        id => {
            let Some(unit) = id
                .parse::<OrgUnitId>()
                .ok()
                .and_then(|id| units.iter().find(|u| u.id == id))
            else {
                return shell.error_page(StatusCode::NOT_FOUND, "error-not-found");
            };
            (
                PeopleGroup::OrgUnit(unit.id),
                t.with("team-group-unit", "name", &unit.name),
            )
        }
    };
    let report = match ops::group_gaps(store, acting, scope, group).await {
        Ok(report) => report,
        Err(AppError::Invalid(_)) => {
            return shell.error_page(StatusCode::NOT_FOUND, "error-not-found")
        }
        Err(error) => return error_response(shell, &error.into()),
    };
    let frameworks = match ops::frameworks(store, acting, scope).await {
        Ok(list) => Frameworks::new(list),
        Err(error) => return error_response(shell, &error.into()),
    };
    let mut view = TeamPage {
        shell,
        heading,
        options: options
            .into_iter()
            .map(|(value, label)| GroupOption {
                selected: value == chosen,
                value,
                label,
            })
            .collect(),
        people: String::new(),
        suppressed: None,
        rows: Vec::new(),
        withheld: None,
        reports: None,
        role_profiles: Vec::new(),
        strategy_link: principal.has_role(mycel_organisation::AccessRole::LndAdmin)
            || principal.permits(Action::ManagePathPlanning),
        esco: false,
        notice,
        approvals,
        due,
    };
    match &report.gaps {
        GroupGaps::Suppressed {
            people,
            min_group_size,
        } => {
            view.people = t.with("team-people", "count", &people.to_string());
            view.suppressed = Some(t.with("team-suppressed", "min", &min_group_size.to_string()));
        }
        GroupGaps::Report(gaps) => {
            view.people = t.with("team-people", "count", &gaps.people.to_string());
            if gaps.withheld_competencies > 0 {
                view.withheld = Some(t.with(
                    "team-withheld",
                    "count",
                    &gaps.withheld_competencies.to_string(),
                ));
            }
            let scale = mycel_competency::ProficiencyScale::default_scale();
            for row in &gaps.competencies {
                let Some(competency) = report.competencies.get(&row.competency_id) else {
                    continue;
                };
                view.esco |= frameworks.is_esco(competency.framework_id);
                let highest = row.estimate_histogram.iter().copied().max().unwrap_or(0);
                let histogram = row
                    .estimate_histogram
                    .iter()
                    .zip(scale.levels())
                    .map(|(count, level)| HistogramBar {
                        level: level.value,
                        name: level.label.get(t.code()).to_owned(),
                        count: *count,
                        height: count.saturating_mul(100).checked_div(highest).unwrap_or(0),
                    })
                    .collect();
                view.rows.push(SummaryRow {
                    id: row.competency_id,
                    label: texts::competency_label(competency, t),
                    with_target: row.people_with_target,
                    below: row.people_below_target,
                    without_estimate: row.people_without_estimate,
                    mean_target: texts::number(row.mean_target, t),
                    mean_estimate: row
                        .mean_estimate
                        .map_or_else(|| "–".to_owned(), |m| texts::number(m, t)),
                    mean_gap: texts::number(row.mean_gap, t),
                    histogram,
                });
            }
        }
    }
    if let (PeopleGroup::ReportsOf(me), Some(person)) = (group, &page.caller.person) {
        match reports(&state, scope, me, person.id).await {
            Ok(list) => view.reports = Some(list),
            Err(error) => return error_response(shell, &error.into()),
        }
    }
    if principal.permits(Action::ManageRoles) {
        match org::list_roles(store, acting, scope).await {
            Ok(roles) => {
                view.role_profiles = roles
                    .into_iter()
                    .map(|r| RoleLink {
                        href: format!("/admin/roles/{}/profile", r.id),
                        name: r.name,
                    })
                    .collect()
            }
            Err(error) => return error_response(shell, &error.into()),
        }
    }
    shell.render(StatusCode::OK, &view)
}

/// A manager's direct reports, each with a link to their profile if they share it. The names of
/// one's reports are personal data, so the look is audited (once, as a listing).
async fn reports(
    state: &AppState,
    scope: mycel_store::TenantScope,
    manager: PersonId,
    viewer: PersonId,
) -> Result<Vec<ReportRow>, AppError> {
    let store = &*state.store;
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .group_competencies(scope, PeopleGroup::ReportsOf(manager), after, REPORTS_PAGE)
            .await?;
        let Some(last) = page.last() else {
            break;
        };
        after = Some(last.person_id);
        for member in &page {
            let person = store.person(scope, member.person_id).await?;
            rows.push(ReportRow {
                name: person.display_name,
                href: member
                    .shared
                    .then(|| format!("/team/people/{}/skills", person.id)),
            });
        }
        if page.len() < REPORTS_PAGE as usize {
            break;
        }
    }
    if !rows.is_empty() {
        store
            .append_audit(
                scope,
                NewAuditEntry {
                    actor: Actor::Person(viewer),
                    subject: None,
                    action: "team.reports.list".into(),
                    purpose: "Manager: Liste der direkten Mitarbeitenden".into(),
                },
            )
            .await?;
    }
    rows.sort_by_key(|r| r.name.to_lowercase());
    Ok(rows)
}

struct ConfirmRow {
    id: CompetencyId,
    label: LabelView,
    options: Vec<LevelOption>,
}

#[derive(Template)]
#[template(path = "team_person.html")]
struct PersonSkillsPage<'a> {
    shell: &'a Shell,
    person_id: PersonId,
    heading: String,
    notice: Option<String>,
    error: Option<String>,
    profile: ProfileView,
    confirm: Option<Vec<ConfirmRow>>,
    /// Shared learning journal entries the viewer may confirm.
    journal: Vec<super::journal::EntryRow>,
}

#[derive(Deserialize, Default)]
struct PersonParams {
    #[serde(default)]
    saved: String,
}

async fn render_person(
    state: &AppState,
    page: &PersonPage,
    person: PersonId,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let me = page.caller.principal.person_id();
    // Whether the viewer is the person's manager decides the purpose recorded in the audit log
    // and whether they may confirm levels; nothing of the person is shown unless the profile is.
    let subject = match store.person(scope, person).await {
        Ok(subject) => subject,
        Err(error) => return error_response(shell, &ApiError::from(error)),
    };
    let is_manager = me.is_some() && subject.manager_id == me;
    let purpose = if is_manager {
        "Manager: Kompetenzprofil eines Teammitglieds"
    } else {
        "L&D: geteiltes Kompetenzprofil"
    };
    let acting = Acting::Principal(&page.caller.principal);
    let loaded = async {
        let profile = ops::profile(store, acting, scope, person, purpose).await?;
        let view = profile_view(store, scope, &profile, t).await?;
        Ok::<_, AppError>((profile, view))
    }
    .await;
    let (profile, view) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error_response(shell, &error.into()),
    };
    let rounded: HashMap<CompetencyId, f64> =
        view.levels.iter().map(|l| (l.id, l.rounded)).collect();
    let confirm = is_manager.then(|| {
        view.competencies
            .iter()
            .map(|(id, label)| ConfirmRow {
                id: *id,
                label: label.clone(),
                options: texts::level_options(rounded.get(id).copied(), t),
            })
            .collect()
    });
    let journal = match mycel_app::journal::entries_to_confirm(store, acting, scope, person).await {
        Ok(entries) => {
            let names = super::journal::competency_names(state, page, &entries).await;
            super::journal::entry_rows(&entries, &names, &HashMap::new(), t)
        }
        Err(error) => return error_response(shell, &error.into()),
    };
    let page_view = PersonSkillsPage {
        shell,
        journal,
        person_id: person,
        heading: t.with("team-person-heading", "name", &profile.person.display_name),
        notice,
        error,
        profile: view,
        confirm,
    };
    shell.render(status, &page_view)
}

/// `/team/people/{id}/skills`: a shared profile (404 for anyone who may not see it).
pub async fn person(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Ok(id) = id.parse::<PersonId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let params: PersonParams = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let notice = (params.saved == "1").then(|| page.shell.t.get("team-confirmed"));
    render_person(&state, &page, id, StatusCode::OK, notice, None).await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    competency_id: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    note: String,
}

/// `POST /team/people/{id}/assessments`: the manager confirms (rates) a level.
pub async fn confirm(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<ConfirmForm>,
) -> Response {
    let Ok(person) = id.parse::<PersonId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let t = &page.shell.t;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let Ok(competency) = form.competency_id.trim().parse::<CompetencyId>() else {
        let message = t.get("form-competency-missing");
        return render_person(&state, &page, person, unprocessable, None, Some(message)).await;
    };
    let Some(level) = texts::parse_whole_level(&form.level) else {
        let message = t.get("form-level-invalid");
        return render_person(&state, &page, person, unprocessable, None, Some(message)).await;
    };
    let result = ops::record_evidence(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
        NewEvidence {
            competency_id: competency,
            kind: EvidenceKind::ManagerAssessment,
            level,
            source: WEB_SOURCE.to_owned(),
            link: None,
            note: Some(form.note).filter(|n| !n.trim().is_empty()),
            observed_at: None,
        },
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/team/people/{person}/skills?saved=1")).into_response(),
        Err(AppError::Invalid(invalid)) => {
            let message = t.with("form-invalid", "detail", &invalid.to_string());
            render_person(&state, &page, person, unprocessable, None, Some(message)).await
        }
        Err(AppError::Forbidden) => page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden"),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}
