//! A person's learning path for other tools of the network (an intranet widget, a chat bot): the
//! same plan as the "My learning path" page. Everything else is `mycel_app::learning_paths`.

use super::{acting, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiResult, AppState};
use axum::extract::State;
use mycel_api as dto;
use mycel_app::help_at_work::{self, HelpQuestion};
use mycel_app::learning_paths as paths;
use mycel_app::organisation as ops;
use mycel_planner::{OpenReason, StepReason};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}/learning-path", tag = "learning-paths",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "Planned now from the person's gaps, the catalogue and their choices (the person; their manager and L&D if the person shares their profile, audited)", body = dto::LearningPath),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn learning_path(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::LearningPath>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let view = paths::person_path(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        chrono::Utc::now(),
    )
    .await?;
    let steps = view
        .plan
        .steps
        .iter()
        .map(|step| {
            let record = view.opportunities.get(&step.opportunity_id);
            let mut closes = Vec::new();
            let mut required_by = Vec::new();
            for reason in &step.reasons {
                match reason {
                    StepReason::ClosesGaps(gaps) => {
                        closes.extend(gaps.iter().map(|(c, from, to)| dto::ClosedGap {
                            competency_id: c.as_uuid(),
                            from: *from,
                            to: *to,
                        }))
                    }
                    StepReason::RequiredBy(others) => {
                        required_by.extend(others.iter().map(|o| o.as_uuid()))
                    }
                    StepReason::Pinned => {}
                }
            }
            dto::PathStep {
                opportunity_id: step.opportunity_id.as_uuid(),
                title: dto::LocalizedText {
                    de: record.map(|r| r.draft.title.de.clone()).unwrap_or_default(),
                    en: record.map(|r| r.draft.title.en.clone()).unwrap_or_default(),
                },
                modality: record
                    .map(|r| r.draft.modality.as_str().to_owned())
                    .unwrap_or_default(),
                week_of: view.first_week + chrono::TimeDelta::weeks(i64::from(step.week)),
                session_id: step.session_id.map(|s| s.as_uuid()),
                minutes: step.minutes,
                cost_cents: step.cost_cents,
                closes,
                required_by,
                pinned: view.settings.pinned.contains(&step.opportunity_id),
                assigned: view.assigned.contains_key(&step.opportunity_id),
                due: view.assigned.get(&step.opportunity_id).copied().flatten(),
                part_of: view
                    .part_of
                    .get(&step.opportunity_id)
                    .map(|programs| programs.iter().map(|p| p.as_uuid()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(ApiJson(dto::LearningPath {
        steps,
        open_gaps: view
            .plan
            .open_gaps
            .iter()
            .map(|g| dto::OpenGap {
                competency_id: g.competency_id.as_uuid(),
                target: g.target,
                reason: match g.reason {
                    OpenReason::NothingTeachesIt => "nothing-teaches-it",
                    OpenReason::ExcludedByChoices => "excluded-by-choices",
                    OpenReason::PrerequisitesUnmet => "prerequisites-unmet",
                }
                .to_owned(),
            })
            .collect(),
        total_minutes: view.plan.total_minutes,
        total_cost_cents: view.plan.total_cost_cents,
        weekly_minutes: view.settings.weekly_minutes,
        skipped: view.settings.skipped.iter().map(|o| o.as_uuid()).collect(),
        programs: view
            .programs
            .iter()
            .map(|program| dto::PathProgram {
                program_id: program.program_id.as_uuid(),
                parts: program
                    .parts
                    .iter()
                    .map(|part| dto::PathProgramPart {
                        opportunity_id: part.opportunity_id.as_uuid(),
                        kind: part.kind.as_str().to_owned(),
                        group: part.kind.group(),
                        state: part.state.as_str().to_owned(),
                    })
                    .collect(),
                unavailable_parts: program.unavailable,
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/help", tag = "learning-paths",
    params(("tenant" = String, Path, description = "The member company's slug"), dto::HelpParams),
    responses((status = 200, description = "Short opportunities that teach it and colleagues who share their profile and can help (people of the company; machine clients with org/read for colleagues)", body = dto::HelpAnswer),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn help(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<dto::HelpParams>,
) -> ApiResult<ApiJson<dto::HelpAnswer>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let question = match (params.competency, params.text) {
        (Some(id), None) => HelpQuestion::Competency(id.into()),
        (None, Some(text)) => HelpQuestion::Text {
            text,
            language: params.language,
        },
        _ => {
            return Err(crate::ApiError::bad_request(
                "ask with competency or text (one of them)",
            ))
        }
    };
    let answer = help_at_work::help(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        question,
    )
    .await?;
    Ok(ApiJson(dto::HelpAnswer {
        competencies: answer
            .competencies
            .into_iter()
            .map(super::competencies::competency_dto)
            .collect(),
        opportunities: answer
            .opportunities
            .into_iter()
            .map(|o| super::catalogue::opportunity_dto(o, None))
            .collect(),
        colleagues: answer
            .helpers
            .into_iter()
            .map(|h| dto::Colleague {
                person_id: h.person_id.as_uuid(),
                display_name: h.display_name,
                competency_id: h.competency_id.as_uuid(),
                level: h.level,
            })
            .collect(),
    }))
}
