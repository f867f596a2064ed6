//! "Mein Lernpfad" / "My path": the person's generated learning path week by week, each step with
//! why it is there, pin / skip / move forms, the session a classroom step would book with a
//! "Book" button, the programs on the path with their parts (switching electives, adding optional
//! parts), the gaps nothing can close yet, and the weekly time budget and languages the path is
//! planned with.

use super::competency_texts as texts;
use super::{error_response, PersonPage, Shell};
use crate::auth::csrf::CheckedForm;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mycel_app::learning_paths::{self as paths, PathView, StepChange};
use mycel_app::programs::PartState;
use mycel_app::Acting;
use mycel_catalogue::{Modality, PartKind};
use mycel_competency::gap::TargetSource;
use mycel_competency::scale::Level;
use mycel_organisation::{OpportunityId, RoleId, SessionId};
use mycel_planner::{OpenReason, StepReason};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "learning_path.html")]
struct PathPage<'a> {
    shell: &'a Shell,
    weeks: Vec<WeekView>,
    open_gaps: Vec<OpenGapView>,
    skipped: Vec<(String, String)>,
    total: String,
    weekly_minutes: u32,
    languages: String,
    modalities: Vec<(String, String, bool)>,
    cycles: usize,
    /// What the company plans paths for.
    objective: String,
    /// What booking a session from the path did.
    notice: Option<String>,
    programs: Vec<ProgramView>,
}

/// A program on the path with its parts.
struct ProgramView {
    id: OpportunityId,
    title: String,
    href: String,
    parts: Vec<PartView>,
    /// "2 parts of this program are not available to you."
    unavailable: Option<String>,
}

struct PartView {
    id: OpportunityId,
    title: String,
    href: String,
    /// Required, optional, or the elective group with how many to choose.
    kind: String,
    state: String,
    state_class: &'static str,
    /// An alternative: the chosen parts of its group it can be switched for.
    switch_for: Vec<(OpportunityId, String)>,
    /// An optional part that can be added (pinned) or was added (can be removed).
    add: bool,
    remove: bool,
}

/// The session a classroom step would book.
struct SessionView {
    id: SessionId,
    /// Date, time and place.
    text: String,
    free: String,
    /// The person's enrolment in the course, when there is one.
    booked: Option<String>,
}

struct WeekView {
    label: String,
    steps: Vec<StepView>,
}

struct StepView {
    id: OpportunityId,
    title: String,
    href: String,
    modality: String,
    minutes: String,
    session: Option<String>,
    reasons: Vec<String>,
    pinned: bool,
    /// Assigned learning: neither pinned nor skipped by the person.
    assigned: bool,
    /// A part of a program on the path: the program decides, not pin or skip.
    in_program: bool,
    booking: Option<SessionView>,
    first: bool,
    last: bool,
}

struct OpenGapView {
    competency: String,
    target: String,
    reason: String,
    /// Which roles and goals need it.
    why: String,
}

/// The steps of a planned path, for other pages (the next steps on "My learning").
pub(crate) struct NextStep {
    pub title: String,
    pub href: String,
    pub week: String,
}

fn week_label(view: &PathView, week: u32, t: &crate::i18n::I18n) -> String {
    let monday = view.first_week + chrono::TimeDelta::weeks(i64::from(week));
    t.with("path-week", "date", &texts::day(monday, t))
}

fn competency_name(
    view: &PathView,
    id: mycel_organisation::CompetencyId,
    t: &crate::i18n::I18n,
) -> String {
    view.competency_names
        .get(&id)
        .map(|labels| texts::label(labels, "", t).text)
        .unwrap_or_else(|| id.to_string())
}

fn title_of(view: &PathView, id: OpportunityId, t: &crate::i18n::I18n) -> String {
    view.opportunities
        .get(&id)
        .map(|o| o.draft.title.get(t.code()).to_owned())
        .unwrap_or_else(|| id.to_string())
}

fn level(value: f64, t: &crate::i18n::I18n) -> String {
    Level::new(value.clamp(Level::MIN, Level::MAX))
        .map(|l| texts::level_text(l, t))
        .unwrap_or_default()
}

/// Why a gap is there: its roles, goals and strategic goals, in words.
fn gap_sources(
    view: &PathView,
    competency: mycel_organisation::CompetencyId,
    roles: &HashMap<RoleId, String>,
    t: &crate::i18n::I18n,
) -> String {
    let Some(gap) = view.gaps.iter().find(|g| g.competency_id == competency) else {
        return String::new();
    };
    gap.sources
        .iter()
        .map(|source| match source {
            TargetSource::Role {
                role_id, aspired, ..
            } => {
                let name = roles.get(role_id).cloned().unwrap_or_default();
                t.with(
                    if *aspired {
                        "path-source-aspired-role"
                    } else {
                        "path-source-role"
                    },
                    "role",
                    &name,
                )
            }
            TargetSource::Goal { .. } => t.get("path-source-goal"),
            TargetSource::Strategic { org_unit_id } => super::strategic_goals::reason_text(
                mycel_app::competencies::strategic_goal_of(
                    &view.strategic_goals,
                    *org_unit_id,
                    competency,
                ),
                "path-source-strategic",
                t,
            ),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn planned(state: &AppState, page: &PersonPage) -> Result<PathView, Response> {
    let Some(person) = page.caller.principal.person_id() else {
        return Err(page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden"));
    };
    paths::person_path(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
        chrono::Utc::now(),
    )
    .await
    .map_err(|error| error_response(&page.shell, &error.into()))
}

/// The first steps of the person's path, for "My learning" (empty when it cannot be planned).
/// The person's path as `/learn` shows it, planned once for its next steps and the
/// recommendations; `None` when it cannot be planned (the home page then shows neither).
pub(crate) async fn home_path(state: &AppState, page: &PersonPage) -> Option<PathView> {
    planned(state, page).await.ok()
}

/// The first `count` steps of a planned path.
pub(crate) fn next_steps(view: &PathView, page: &PersonPage, count: usize) -> Vec<NextStep> {
    let t = &page.shell.t;
    view.plan
        .steps
        .iter()
        .take(count)
        .map(|step| NextStep {
            title: title_of(view, step.opportunity_id, t),
            href: format!("/catalog/opportunities/{}", step.opportunity_id),
            week: week_label(view, step.week, t),
        })
        .collect()
}

/// The kind of a program's part in words.
fn part_kind_text(
    view: &PathView,
    program: OpportunityId,
    kind: PartKind,
    t: &crate::i18n::I18n,
) -> String {
    match kind {
        PartKind::Elective { group } => {
            let draft = view.opportunities.get(&program).map(|p| &p.draft);
            let members = draft.map_or(0, |d| {
                d.parts
                    .iter()
                    .filter(|p| p.kind.group() == Some(group))
                    .count()
            });
            draft
                .and_then(|d| d.elective_groups.get(usize::from(group)))
                .map(|g| {
                    t.with_all(
                        "catalogue-part-elective-of",
                        &[
                            ("group", g.label.get(t.code())),
                            ("choose", &g.choose.to_string()),
                            ("parts", &members.to_string()),
                        ],
                    )
                })
                .unwrap_or_default()
        }
        other => t.get(&format!("catalogue-part-{}", other.as_str())),
    }
}

/// Why a step is there as a part of programs on the path.
fn program_reasons(view: &PathView, step: OpportunityId, t: &crate::i18n::I18n) -> Vec<String> {
    let Some(programs) = view.part_of.get(&step) else {
        return Vec::new();
    };
    programs
        .iter()
        .map(|program| {
            let kind = view
                .opportunities
                .get(program)
                .and_then(|p| {
                    p.draft
                        .parts
                        .iter()
                        .find(|part| part.opportunity_id == step)
                })
                .map(|part| part_kind_text(view, *program, part.kind, t))
                .unwrap_or_default();
            let text = t.with_all(
                "path-reason-program",
                &[("program", &title_of(view, *program, t)), ("kind", &kind)],
            );
            match view.assigned.get(program) {
                Some(Some(due)) => format!(
                    "{text} — {}",
                    t.with("path-reason-assigned-due", "date", &texts::day(*due, t))
                ),
                Some(None) => format!("{text} — {}", t.get("path-reason-assigned")),
                None => text,
            }
        })
        .collect()
}

/// The programs on the path with their parts.
fn program_views(view: &PathView, t: &crate::i18n::I18n) -> Vec<ProgramView> {
    view.programs
        .iter()
        .map(|program| {
            let parts = program
                .parts
                .iter()
                .map(|part| {
                    let switch_for = match (part.state, part.kind) {
                        (PartState::Alternative, PartKind::Elective { group }) => program
                            .parts
                            .iter()
                            .filter(|p| {
                                p.kind.group() == Some(group)
                                    && matches!(p.state, PartState::Step | PartState::NotPlanned)
                            })
                            .map(|p| (p.opportunity_id, title_of(view, p.opportunity_id, t)))
                            .collect(),
                        _ => Vec::new(),
                    };
                    let optional = part.kind == PartKind::Optional;
                    PartView {
                        id: part.opportunity_id,
                        title: title_of(view, part.opportunity_id, t),
                        href: format!("/catalog/opportunities/{}", part.opportunity_id),
                        kind: part_kind_text(view, program.program_id, part.kind, t),
                        state: t.get(&format!("path-part-{}", part.state.as_str())),
                        state_class: match part.state {
                            PartState::Done => "done",
                            PartState::Step => "step",
                            PartState::Alternative => "alternative",
                            PartState::Offered => "offered",
                            PartState::NotPlanned => "not-planned",
                        },
                        switch_for,
                        add: optional && part.state == PartState::Offered,
                        remove: optional
                            && matches!(part.state, PartState::Step | PartState::NotPlanned),
                    }
                })
                .collect();
            ProgramView {
                id: program.program_id,
                title: title_of(view, program.program_id, t),
                href: format!("/catalog/opportunities/{}", program.program_id),
                parts,
                unavailable: (program.unavailable > 0).then(|| {
                    t.with(
                        "path-parts-unavailable",
                        "count",
                        &program.unavailable.to_string(),
                    )
                }),
            }
        })
        .collect()
}

/// `GET /learn/path`.
pub async fn page(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let view = match planned(&state, &page).await {
        Ok(view) => view,
        Err(response) => return response,
    };
    let t = &page.shell.t;
    let roles: HashMap<RoleId, String> = match state.store.list_roles(page.caller.scope()).await {
        Ok(roles) => roles.into_iter().map(|r| (r.id, r.name)).collect(),
        Err(error) => return error_response(&page.shell, &mycel_app::AppError::from(error).into()),
    };
    let count = view.plan.steps.len();
    let mut weeks: Vec<WeekView> = Vec::new();
    for (i, step) in view.plan.steps.iter().enumerate() {
        let record = view.opportunities.get(&step.opportunity_id);
        let in_program = view.part_of.contains_key(&step.opportunity_id);
        let mut reasons = program_reasons(&view, step.opportunity_id, t);
        let planner_reasons: Vec<String> = step
            .reasons
            .iter()
            .flat_map(|reason| match reason {
                StepReason::ClosesGaps(gaps) => gaps
                    .iter()
                    .map(|(competency, from, to)| {
                        let why = gap_sources(&view, *competency, &roles, t);
                        let text = t.with_all(
                            "path-reason-gap",
                            &[
                                ("competency", &competency_name(&view, *competency, t)),
                                ("from", &level(*from, t)),
                                ("to", &level(*to, t)),
                            ],
                        );
                        if why.is_empty() {
                            text
                        } else {
                            format!("{text} — {why}")
                        }
                    })
                    .collect::<Vec<_>>(),
                StepReason::RequiredBy(others) => vec![t.with(
                    "path-reason-required",
                    "steps",
                    &others
                        .iter()
                        .map(|o| title_of(&view, *o, t))
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
                StepReason::Pinned => match view.assigned.get(&step.opportunity_id) {
                    Some(Some(due)) => {
                        vec![t.with("path-reason-assigned-due", "date", &texts::day(*due, t))]
                    }
                    Some(None) => vec![t.get("path-reason-assigned")],
                    // A program's part is on the path for its program (said above).
                    None if in_program && !view.settings.pinned.contains(&step.opportunity_id) => {
                        Vec::new()
                    }
                    None => vec![t.get("path-reason-pinned")],
                },
            })
            .collect();
        reasons.extend(planner_reasons);
        let session = step
            .session_id
            .and_then(|s| view.sessions.get(&s))
            .map(|at| t.with("path-session", "date", &super::classroom::day_text(*at, t)));
        let booked = view.enrolments.get(&step.opportunity_id).map(|enrolment| {
            let at = view
                .session_details
                .get(&enrolment.session_id)
                .map(|(s, _)| super::classroom::day_text(s.draft.starts_at, t))
                .unwrap_or_default();
            t.with_all(
                &format!("path-booked-{}", enrolment.status.as_str()),
                &[("date", &at)],
            )
        });
        let booking = step
            .session_id
            .and_then(|s| view.session_details.get(&s))
            .map(|(session, place)| {
                let free = session.draft.capacity.saturating_sub(session.taken);
                SessionView {
                    id: session.id,
                    text: t.with_all(
                        "path-session-details",
                        &[
                            (
                                "date",
                                &super::classroom::day_text(session.draft.starts_at, t),
                            ),
                            ("place", place),
                        ],
                    ),
                    free: t.with("path-session-free", "count", &free.to_string()),
                    booked: booked.clone(),
                }
            });
        let view_step = StepView {
            id: step.opportunity_id,
            title: title_of(&view, step.opportunity_id, t),
            href: format!("/catalog/opportunities/{}", step.opportunity_id),
            modality: record
                .map(|r| t.get(&format!("catalogue-modality-{}", r.draft.modality.as_str())))
                .unwrap_or_default(),
            minutes: t.with("path-minutes", "minutes", &step.minutes.to_string()),
            session,
            reasons,
            pinned: view.settings.pinned.contains(&step.opportunity_id),
            assigned: view.assigned.contains_key(&step.opportunity_id),
            in_program,
            booking,
            first: i == 0,
            last: i + 1 == count,
        };
        let label = week_label(&view, step.week, t);
        match weeks.last_mut() {
            Some(week) if week.label == label => week.steps.push(view_step),
            _ => weeks.push(WeekView {
                label,
                steps: vec![view_step],
            }),
        }
    }
    let open_gaps = view
        .plan
        .open_gaps
        .iter()
        .map(|gap| OpenGapView {
            competency: competency_name(&view, gap.competency_id, t),
            target: level(gap.target, t),
            reason: t.get(match gap.reason {
                OpenReason::NothingTeachesIt => "path-open-nothing",
                OpenReason::ExcludedByChoices => "path-open-excluded",
                OpenReason::PrerequisitesUnmet => "path-open-prerequisites",
            }),
            why: gap_sources(&view, gap.competency_id, &roles, t),
        })
        .collect();
    let skipped = view
        .settings
        .skipped
        .iter()
        .map(|id| (id.to_string(), title_of(&view, *id, t)))
        .collect();
    let hours = view.plan.total_minutes as f64 / 60.0;
    let page_view = PathPage {
        shell: &page.shell,
        weeks,
        open_gaps,
        skipped,
        total: t.with("path-total", "hours", &texts::number(hours, t)),
        weekly_minutes: view.settings.weekly_minutes,
        languages: view.settings.languages.join(", "),
        modalities: Modality::ALL
            .iter()
            .map(|m| {
                (
                    m.as_str().to_owned(),
                    t.get(&format!("catalogue-modality-{}", m.as_str())),
                    view.settings.excluded_modalities.contains(m),
                )
            })
            .collect(),
        cycles: view.plan.cycles.len(),
        objective: t.get(match view.objective {
            mycel_planner::Objective::Time => "path-objective-time",
            mycel_planner::Objective::Cost => "path-objective-cost",
        }),
        notice: booked_notice(query.as_deref(), t),
        programs: program_views(&view, t),
    };
    page.shell.render(StatusCode::OK, &page_view)
}

/// `POST /learn/path/steps/{opportunity}`: pin, unpin, skip, unskip, earlier, later.
pub async fn change_step(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Ok(opportunity) = id.trim().parse::<OpportunityId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let change = pairs
        .iter()
        .find(|(k, _)| k == "change")
        .and_then(|(_, v)| StepChange::parse(v));
    let Some(change) = change else {
        return page
            .shell
            .error_page(StatusCode::BAD_REQUEST, "path-invalid");
    };
    let Some(person) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let order: Vec<OpportunityId> = match change {
        StepChange::Earlier | StepChange::Later => match planned(&state, &page).await {
            Ok(view) => view.plan.steps.iter().map(|s| s.opportunity_id).collect(),
            Err(response) => return response,
        },
        _ => Vec::new(),
    };
    let result = paths::change_step(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
        opportunity,
        change,
        &order,
    )
    .await;
    match result {
        Ok(()) => Redirect::to("/learn/path").into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

/// `POST /learn/path/preferences`: weekly minutes, languages, excluded modalities.
pub async fn set_preferences(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(person) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let field = |name: &str| super::form_field(&pairs, name);
    let Ok(weekly_minutes) = field("weekly_minutes").parse::<u32>() else {
        return page
            .shell
            .error_page(StatusCode::UNPROCESSABLE_ENTITY, "path-invalid");
    };
    let languages: Vec<String> = field("languages")
        .split([',', ' '])
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    let excluded: Vec<Modality> = pairs
        .iter()
        .filter(|(k, _)| k == "exclude")
        .filter_map(|(_, v)| Modality::parse(v))
        .collect();
    let result = paths::set_preferences(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
        weekly_minutes,
        languages,
        excluded,
    )
    .await;
    match result {
        Ok(()) => Redirect::to("/learn/path").into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

/// The notice after booking from the path (`?booked=confirmed|waitlisted|requested`).
fn booked_notice(query: Option<&str>, t: &crate::i18n::I18n) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query?).ok()?;
    let status = pairs
        .iter()
        .find(|(k, _)| k == "booked")
        .map(|(_, v)| v.as_str())?;
    matches!(status, "confirmed" | "waitlisted" | "requested")
        .then(|| t.get(&format!("path-notice-{status}")))
}

/// `POST /learn/path/sessions/{id}/book`: the person books the session their path planned,
/// through the classroom enrolment (approval and waitlist rules apply), and sees the result on
/// the path.
pub async fn book_session(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Ok(session) = id.trim().parse::<SessionId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let Some(person) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let result = mycel_app::classroom::enrol(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        session,
        person,
    )
    .await;
    match result {
        Ok(enrolment) => Redirect::to(&format!(
            "/learn/path?booked={}#path-notice",
            enrolment.status.as_str()
        ))
        .into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

/// `POST /learn/path/programs/{program}/electives`: take one elective (`take`) instead of another
/// of the same group (`instead`).
pub async fn switch_elective(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Ok(program) = id.trim().parse::<OpportunityId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let part = |name: &str| {
        super::form_field(&pairs, name)
            .trim()
            .parse::<OpportunityId>()
    };
    let (Ok(take), Ok(instead)) = (part("take"), part("instead")) else {
        return page
            .shell
            .error_page(StatusCode::BAD_REQUEST, "path-invalid");
    };
    let Some(person) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let result = paths::switch_elective(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
        program,
        take,
        instead,
    )
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/learn/path#program-{program}")).into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}
