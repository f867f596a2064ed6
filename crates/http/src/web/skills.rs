//! "My skills": a person's estimated levels with the evidence that explains each, their gaps
//! against their roles and goals, rating themselves, their learning goals, and whether they share
//! their profile with their manager and L&D. The read-only profile part is shared with the team
//! pages (a manager looking at a shared profile sees the same explanation).

use super::competency_texts::{self as texts, Frameworks, LabelView, LevelOption};
use super::{error_response, PersonPage, Shell};
use crate::i18n::I18n;
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use mycel_app::competencies::{self as ops, CompetencyProfile, NewEvidence};
use mycel_app::{Acting, AppError};
use mycel_competency::{EvidenceKind, TargetSource};
use mycel_organisation::{CompetencyId, LearningGoalId, PersonId, RoleAssignmentKind};
use mycel_store::{Store, TenantScope};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// What web forms write as the source of a rating made in Mycel.
pub(super) const WEB_SOURCE: &str = "Mycel";

/// One piece of evidence as the explanation of an estimate lists it.
pub(super) struct EvidenceRow {
    pub(super) kind: String,
    pub(super) level: String,
    pub(super) date: String,
    pub(super) source: String,
    pub(super) author: Option<String>,
    pub(super) share: String,
    pub(super) superseded: bool,
    pub(super) note: Option<String>,
    /// Only web links are made clickable.
    pub(super) link: Option<String>,
}

/// A competency with an estimate.
pub(super) struct LevelRow {
    pub(super) id: CompetencyId,
    pub(super) label: LabelView,
    pub(super) level: String,
    pub(super) confidence: String,
    pub(super) evidence: Vec<EvidenceRow>,
    /// The whole level nearest to the estimate, to preselect in a confirmation form.
    pub(super) rounded: f64,
}

/// A competency with a target.
pub(super) struct GapRow {
    pub(super) id: CompetencyId,
    pub(super) label: LabelView,
    pub(super) target: String,
    pub(super) estimate: String,
    pub(super) size: String,
    pub(super) sources: String,
    pub(super) required: bool,
    pub(super) met: bool,
}

/// A competency to choose in a form.
pub(super) struct CompetencyOption {
    pub(super) id: CompetencyId,
    pub(super) label: String,
    pub(super) selected: bool,
}

/// The read-only part of a profile, for `skills_profile.html`.
pub(super) struct ProfileView {
    pub(super) levels: Vec<LevelRow>,
    pub(super) gaps: Vec<GapRow>,
    /// Every competency of the profile (evidence or target), by label.
    pub(super) competencies: Vec<(CompetencyId, LabelView)>,
    /// Whether any competency shown comes from ESCO.
    pub(super) esco: bool,
}

fn option_label(label: &LabelView) -> String {
    match &label.fallback {
        Some(marker) => format!("{} ({marker})", label.text),
        None => label.text.clone(),
    }
}

fn web_link(link: &Option<String>) -> Option<String> {
    link.as_ref()
        .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
        .cloned()
}

/// Builds the read-only view of a profile: levels with their explanation, and gaps.
pub(super) async fn profile_view(
    store: &dyn Store,
    scope: TenantScope,
    profile: &CompetencyProfile,
    t: &I18n,
) -> Result<ProfileView, AppError> {
    // The profile was authorised already; every person of a tenant sees its frameworks.
    let frameworks = Frameworks::new(store.frameworks(scope).await?);
    // The names of the people who rated (the person, their manager, trainers).
    let authors: BTreeSet<PersonId> = profile
        .entries
        .values()
        .flat_map(|e| e.evidence.iter().filter_map(|ev| ev.author_id))
        .collect();
    let mut names: HashMap<PersonId, String> = HashMap::new();
    for author in authors {
        if author == profile.person.id {
            names.insert(author, profile.person.display_name.clone());
        } else if let Ok(person) = store.person(scope, author).await {
            names.insert(author, person.display_name);
        }
    }
    let mut levels = Vec::new();
    for (id, entry) in &profile.entries {
        let Some(estimate) = &entry.estimate else {
            continue;
        };
        let mut evidence: Vec<EvidenceRow> = entry
            .evidence
            .iter()
            .map(|e| {
                let contribution = estimate
                    .contributions
                    .iter()
                    .find(|c| c.evidence_id == e.id);
                EvidenceRow {
                    kind: texts::evidence_kind(e.kind, t),
                    level: texts::level_text(e.level, t),
                    date: texts::date(e.observed_at, t),
                    source: if e.source == e.kind.as_str() {
                        "–".to_owned()
                    } else {
                        e.source.clone()
                    },
                    author: e.author_id.and_then(|a| names.get(&a).cloned()),
                    share: texts::percent(contribution.map_or(0.0, |c| c.share)),
                    superseded: contribution.is_some_and(|c| c.superseded),
                    note: e.note.clone(),
                    link: web_link(&e.link),
                }
            })
            .collect();
        evidence.reverse();
        levels.push(LevelRow {
            id: *id,
            label: texts::competency_label(&entry.competency, t),
            level: texts::level_text(estimate.level, t),
            confidence: texts::confidence(estimate.confidence, t),
            evidence,
            rounded: estimate.level.value().round(),
        });
    }
    levels.sort_by(|a, b| {
        a.label
            .text
            .to_lowercase()
            .cmp(&b.label.text.to_lowercase())
    });
    let role_name = |id| {
        profile
            .roles
            .iter()
            .find(|(r, _)| r.id == id)
            .map(|(r, _)| r.name.clone())
            .unwrap_or_default()
    };
    let gaps = profile
        .gaps
        .iter()
        .map(|gap| {
            let sources: Vec<String> = gap
                .sources
                .iter()
                .map(|source| match source {
                    TargetSource::Role {
                        role_id,
                        kind,
                        aspired,
                    } => {
                        let mut text = format!(
                            "{} ({}",
                            role_name(*role_id),
                            texts::requirement_kind(*kind, t)
                        );
                        if *aspired {
                            text.push_str(", ");
                            text.push_str(&t.get("gap-source-aspired"));
                        }
                        text.push(')');
                        text
                    }
                    TargetSource::Goal { .. } => t.get("gap-source-goal"),
                    TargetSource::Strategic { org_unit_id } => super::strategic_goals::reason_text(
                        profile.strategic_goal(*org_unit_id, gap.competency_id),
                        "gap-source-strategic",
                        t,
                    ),
                })
                .collect();
            let label = profile
                .entries
                .get(&gap.competency_id)
                .map(|e| texts::competency_label(&e.competency, t))
                .unwrap_or_else(|| LabelView {
                    text: gap.competency_id.to_string(),
                    description: None,
                    fallback_lang: None,
                    fallback: None,
                });
            GapRow {
                id: gap.competency_id,
                label,
                target: texts::level_text(gap.target, t),
                estimate: match gap.estimate {
                    Some(level) => texts::level_text(level, t),
                    None => t.get("gap-no-estimate"),
                },
                size: texts::number(gap.size, t),
                sources: sources.join("; "),
                required: gap.required,
                met: gap.met(),
            }
        })
        .collect();
    let mut competencies: Vec<(CompetencyId, LabelView)> = profile
        .entries
        .iter()
        .map(|(id, e)| (*id, texts::competency_label(&e.competency, t)))
        .collect();
    competencies.sort_by_key(|c| c.1.text.to_lowercase());
    let esco = profile
        .entries
        .values()
        .any(|e| frameworks.is_esco(e.competency.framework_id));
    Ok(ProfileView {
        levels,
        gaps,
        competencies,
        esco,
    })
}

struct GoalRow {
    id: LearningGoalId,
    competency_id: CompetencyId,
    label: LabelView,
    target: String,
    due: String,
}

#[derive(Template)]
#[template(path = "skills.html")]
struct SkillsPage<'a> {
    shell: &'a Shell,
    notice: Option<String>,
    error: Option<String>,
    shared: bool,
    roles: Vec<String>,
    profile: ProfileView,
    goals: Vec<GoalRow>,
    options: Vec<CompetencyOption>,
    level_options: Vec<LevelOption>,
    goal_options: Vec<LevelOption>,
}

#[derive(Deserialize, Default)]
struct PageParams {
    #[serde(default)]
    saved: String,
    #[serde(default)]
    competency: String,
}

/// What the page shows besides the profile.
#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
    /// The competency to preselect in the forms.
    competency: Option<CompetencyId>,
}

async fn render(
    state: &AppState,
    page: &PersonPage,
    status: StatusCode,
    outcome: Outcome,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let Some(me) = page.caller.principal.person_id() else {
        return shell.error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let acting = Acting::Principal(&page.caller.principal);
    let loaded = async {
        let profile = ops::profile(store, acting, scope, me, "own competency profile").await?;
        let view = profile_view(store, scope, &profile, t).await?;
        let extra = match outcome.competency {
            Some(id) if !profile.entries.contains_key(&id) => {
                store.competencies(scope, &[id]).await?.pop()
            }
            _ => None,
        };
        Ok::<_, AppError>((profile, view, extra))
    }
    .await;
    let (profile, view, extra) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error_response(shell, &error.into()),
    };
    let mut options: Vec<CompetencyOption> = view
        .competencies
        .iter()
        .map(|(id, label)| CompetencyOption {
            id: *id,
            label: option_label(label),
            selected: outcome.competency == Some(*id),
        })
        .collect();
    if let Some(extra) = extra {
        options.insert(
            0,
            CompetencyOption {
                id: extra.id,
                label: option_label(&texts::competency_label(&extra, t)),
                selected: true,
            },
        );
    }
    let goals = profile
        .goals
        .iter()
        .map(|goal| GoalRow {
            id: goal.id,
            competency_id: goal.competency_id,
            label: profile
                .entries
                .get(&goal.competency_id)
                .map(|e| texts::competency_label(&e.competency, t))
                .unwrap_or_else(|| LabelView {
                    text: goal.competency_id.to_string(),
                    description: None,
                    fallback_lang: None,
                    fallback: None,
                }),
            target: texts::level_text(goal.target, t),
            due: goal.due.map(|d| texts::day(d, t)).unwrap_or_default(),
        })
        .collect();
    let roles = profile
        .roles
        .iter()
        .map(|(role, kind)| match kind {
            RoleAssignmentKind::Current => {
                format!("{} ({})", role.name, t.get("skills-role-current"))
            }
            RoleAssignmentKind::Aspired => {
                format!("{} ({})", role.name, t.get("skills-role-aspired"))
            }
        })
        .collect();
    let view = SkillsPage {
        shell,
        notice: outcome.notice,
        error: outcome.error,
        shared: profile.shared,
        roles,
        profile: view,
        goals,
        options,
        level_options: texts::level_options(None, t),
        goal_options: texts::level_options(Some(2.0), t),
    };
    shell.render(status, &view)
}

/// `/skills`.
pub async fn page(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let params: PageParams = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let t = &page.shell.t;
    let notice = match params.saved.as_str() {
        "assessment" => Some(t.get("skills-saved-assessment")),
        "goal" => Some(t.get("skills-saved-goal")),
        "goal-deleted" => Some(t.get("skills-saved-goal-deleted")),
        "shared" => Some(t.get("skills-saved-shared")),
        "unshared" => Some(t.get("skills-saved-unshared")),
        _ => None,
    };
    let competency = params.competency.trim().parse().ok();
    let outcome = Outcome {
        notice,
        error: None,
        competency,
    };
    render(&state, &page, StatusCode::OK, outcome).await
}

/// After a change: back to the page, or the page with the reason the change was refused.
async fn after(
    state: &AppState,
    page: &PersonPage,
    result: Result<&str, AppError>,
    competency: Option<CompetencyId>,
) -> Response {
    match result {
        Ok(saved) => Redirect::to(&format!("/skills?saved={saved}")).into_response(),
        Err(AppError::Invalid(invalid)) => {
            let message = page
                .shell
                .t
                .with("form-invalid", "detail", &invalid.to_string());
            form_error(state, page, message, competency).await
        }
        Err(other) => error_response(&page.shell, &ApiError::from(other)),
    }
}

async fn form_error(
    state: &AppState,
    page: &PersonPage,
    message: String,
    competency: Option<CompetencyId>,
) -> Response {
    let outcome = Outcome {
        notice: None,
        error: Some(message),
        competency,
    };
    render(state, page, StatusCode::UNPROCESSABLE_ENTITY, outcome).await
}

#[derive(Deserialize)]
pub struct AssessmentForm {
    #[serde(default)]
    competency_id: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    note: String,
}

/// `POST /skills/self-assessment`.
pub async fn self_assessment(
    State(state): State<AppState>,
    page: PersonPage,
    crate::auth::csrf::CheckedForm(form): crate::auth::csrf::CheckedForm<AssessmentForm>,
) -> Response {
    let Some(me) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let Ok(competency) = form.competency_id.trim().parse::<CompetencyId>() else {
        let message = page.shell.t.get("form-competency-missing");
        return form_error(&state, &page, message, None).await;
    };
    let Some(level) = texts::parse_whole_level(&form.level) else {
        let message = page.shell.t.get("form-level-invalid");
        return form_error(&state, &page, message, Some(competency)).await;
    };
    let result = ops::record_evidence(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        me,
        NewEvidence {
            competency_id: competency,
            kind: EvidenceKind::SelfAssessment,
            level,
            source: WEB_SOURCE.to_owned(),
            link: None,
            note: Some(form.note).filter(|n| !n.trim().is_empty()),
            observed_at: None,
        },
    )
    .await
    .map(|_| "assessment");
    after(&state, &page, result, Some(competency)).await
}

#[derive(Deserialize)]
pub struct SharingForm {
    #[serde(default)]
    shared: String,
}

/// `POST /skills/sharing`.
pub async fn sharing(
    State(state): State<AppState>,
    page: PersonPage,
    crate::auth::csrf::CheckedForm(form): crate::auth::csrf::CheckedForm<SharingForm>,
) -> Response {
    let shared = match form.shared.as_str() {
        "1" | "true" => true,
        "0" | "false" => false,
        _ => {
            let message = page.shell.t.get("form-sharing-invalid");
            return form_error(&state, &page, message, None).await;
        }
    };
    let result = ops::set_profile_shared(
        &*state.store,
        &page.caller.principal,
        page.caller.scope(),
        shared,
    )
    .await
    .map(|()| if shared { "shared" } else { "unshared" });
    after(&state, &page, result, None).await
}

#[derive(Deserialize)]
pub struct GoalForm {
    #[serde(default)]
    competency_id: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    due: String,
}

/// `POST /skills/goals`.
pub async fn create_goal(
    State(state): State<AppState>,
    page: PersonPage,
    crate::auth::csrf::CheckedForm(form): crate::auth::csrf::CheckedForm<GoalForm>,
) -> Response {
    let t = &page.shell.t;
    let Ok(competency) = form.competency_id.trim().parse::<CompetencyId>() else {
        let message = t.get("form-competency-missing");
        return form_error(&state, &page, message, None).await;
    };
    let Some(target) = texts::parse_level(&form.target) else {
        let message = t.get("form-level-invalid");
        return form_error(&state, &page, message, Some(competency)).await;
    };
    let due = match form.due.trim() {
        "" => None,
        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                let message = t.get("form-date-invalid");
                return form_error(&state, &page, message, Some(competency)).await;
            }
        },
    };
    let result = ops::create_learning_goal(
        &*state.store,
        &page.caller.principal,
        page.caller.scope(),
        competency,
        target,
        due,
    )
    .await
    .map(|_| "goal");
    after(&state, &page, result, Some(competency)).await
}

/// `POST /skills/goals/{id}/delete`.
pub async fn delete_goal(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    crate::auth::csrf::CheckedForm(_form): crate::auth::csrf::CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Ok(id) = id.parse::<LearningGoalId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let result = ops::delete_learning_goal(
        &*state.store,
        &page.caller.principal,
        page.caller.scope(),
        id,
    )
    .await
    .map(|()| "goal-deleted");
    after(&state, &page, result, None).await
}
