//! The competency engine: frameworks, competencies and occupations, role profiles ("Soll-Profile"),
//! evidence, a person's competency profile with the explanation of each estimate, one's own
//! learning goals and profile sharing, and the aggregated gaps of a group.
//!
//! The store's records and the domain's types are mapped to `mycel_api`'s shapes here (that crate
//! knows neither); everything else is `mycel_app::competencies`.

use super::{acting, stated_purpose, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Datelike;
use mycel_api as dto;
use mycel_app::competencies as comp;
use mycel_app::organisation as ops;
use mycel_competency::framework::Labels;
use mycel_competency::gap::{Gap, GroupGaps, TargetSource};
use mycel_competency::mastery::MasteryEstimate;
use mycel_competency::scale::Level;
use mycel_competency::{Evidence, EvidenceKind, RequirementKind};
use mycel_organisation::{Action, Role, RoleId};
use mycel_store::competencies::{
    CompetencyRecord, Framework, LearningGoal, OccupationRecord, PeopleGroup, RoleRequirement,
};
use mycel_store::TenantScope;
use std::collections::BTreeMap;
use uuid::Uuid;

// ---- parsing ----

/// The app's browsing operations take no actor (everyone in a member company may browse its
/// frameworks); a machine client needs a scope that reads the organisation.
fn require_browse(caller: &Caller) -> ApiResult<()> {
    Ok(acting(caller).require(Action::ViewOrgStructure)?)
}

fn level(field: impl Into<String>, value: f64) -> ApiResult<Level> {
    Level::new(value).ok_or_else(|| ApiError::invalid_field(field, "must be a level from 0 to 4"))
}

fn requirement_kind(field: impl Into<String>, value: &str) -> ApiResult<RequirementKind> {
    RequirementKind::parse(value)
        .ok_or_else(|| ApiError::invalid_field(field, "must be required or desired"))
}

/// Dates as RFC 3339 writes them, with four-digit years. Both backends store those; chrono reads
/// years far beyond them, which PostgreSQL would refuse with an error of its own.
fn four_digit_year(field: &'static str, year: i32) -> ApiResult<()> {
    if (1..=9999).contains(&year) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            "must be a date between the years 1 and 9999",
        ))
    }
}

fn evidence_kind(value: &str) -> ApiResult<EvidenceKind> {
    EvidenceKind::parse(value).ok_or_else(|| {
        let names: Vec<_> = EvidenceKind::ALL.iter().map(|k| k.as_str()).collect();
        ApiError::invalid_field("kind", format!("must be one of {}", names.join(", ")))
    })
}

// ---- mapping ----

fn labels_dto(labels: Labels) -> BTreeMap<String, dto::Label> {
    labels
        .into_iter()
        .map(|(lang, label)| {
            (
                lang,
                dto::Label {
                    preferred: label.preferred,
                    alternatives: label.alternatives,
                    description: label.description,
                },
            )
        })
        .collect()
}

pub(super) fn competency_dto(c: CompetencyRecord) -> dto::Competency {
    dto::Competency {
        id: c.id.as_uuid(),
        framework_id: c.framework_id.as_uuid(),
        uri: c.uri,
        code: c.code,
        kind: c.kind.as_str().to_owned(),
        category: c.category,
        obsolete: c.obsolete,
        labels: labels_dto(c.labels),
    }
}

fn framework_dto(f: Framework) -> dto::Framework {
    dto::Framework {
        id: f.id.as_uuid(),
        kind: f.kind.as_str().to_owned(),
        uri: f.uri,
        title_en: f.title_en,
        title_de: f.title_de,
        version: f.version,
        network: f.tenant_id.is_none(),
        imported_at: f.imported_at,
    }
}

fn occupation_dto(o: OccupationRecord) -> dto::Occupation {
    dto::Occupation {
        id: o.id.as_uuid(),
        framework_id: o.framework_id.as_uuid(),
        uri: o.uri,
        code: o.code,
        isco_group: o.isco_group,
        obsolete: o.obsolete,
        labels: labels_dto(o.labels),
    }
}

fn evidence_dto(e: Evidence) -> dto::Evidence {
    dto::Evidence {
        id: e.id.as_uuid(),
        person_id: e.person_id.as_uuid(),
        competency_id: e.competency_id.as_uuid(),
        kind: e.kind.as_str().to_owned(),
        level: e.level.value(),
        observed_at: e.observed_at,
        author_id: e.author_id.map(|a| a.as_uuid()),
        source: e.source,
        link: e.link,
        note: e.note,
        recorded_at: e.recorded_at,
    }
}

fn estimate_dto(e: MasteryEstimate) -> dto::MasteryEstimate {
    dto::MasteryEstimate {
        level: e.level.value(),
        confidence: e.confidence,
        evidence_count: u64::try_from(e.evidence_count).unwrap_or(u64::MAX),
        contributions: e
            .contributions
            .into_iter()
            .map(|c| dto::Contribution {
                evidence_id: c.evidence_id.as_uuid(),
                kind: c.kind.as_str().to_owned(),
                author_id: c.author_id.map(|a| a.as_uuid()),
                observed_at: c.observed_at,
                level: c.level.value(),
                weight: c.weight,
                share: c.share,
                superseded: c.superseded,
            })
            .collect(),
    }
}

fn gap_source_dto(source: TargetSource) -> dto::GapSource {
    match source {
        TargetSource::Role {
            role_id,
            kind,
            aspired,
        } => dto::GapSource::Role {
            role_id: role_id.as_uuid(),
            kind: kind.as_str().to_owned(),
            aspired,
        },
        TargetSource::Goal { goal_id } => dto::GapSource::Goal {
            goal_id: goal_id.as_uuid(),
        },
        TargetSource::Strategic { org_unit_id } => dto::GapSource::Strategic {
            org_unit_id: org_unit_id.as_uuid(),
        },
    }
}

fn gap_dto(g: Gap) -> dto::Gap {
    dto::Gap {
        competency_id: g.competency_id.as_uuid(),
        target: g.target.value(),
        estimate: g.estimate.map(Level::value),
        confidence: g.confidence,
        size: g.size,
        met: g.met(),
        required: g.required,
        sources: g.sources.into_iter().map(gap_source_dto).collect(),
    }
}

fn goal_dto(g: LearningGoal) -> dto::LearningGoal {
    dto::LearningGoal {
        id: g.id.as_uuid(),
        competency_id: g.competency_id.as_uuid(),
        target_level: g.target.value(),
        due: g.due,
        created_at: g.created_at,
    }
}

fn role_profile_dto(
    role: Role,
    lines: Vec<(RoleRequirement, CompetencyRecord)>,
) -> dto::RoleProfile {
    dto::RoleProfile {
        role: role.into(),
        requirements: lines
            .into_iter()
            .map(|(requirement, competency)| dto::RoleRequirement {
                competency: competency_dto(competency),
                kind: requirement.kind.as_str().to_owned(),
                target_level: requirement.target.value(),
            })
            .collect(),
    }
}

fn profile_dto(profile: comp::CompetencyProfile) -> dto::CompetencyProfile {
    dto::CompetencyProfile {
        person: profile.person.into(),
        shared: profile.shared,
        computed_at: profile.computed_at,
        competencies: profile
            .entries
            .into_values()
            .map(|entry| dto::ProfileCompetency {
                competency: competency_dto(entry.competency),
                estimate: entry.estimate.map(estimate_dto),
                evidence: entry.evidence.into_iter().map(evidence_dto).collect(),
            })
            .collect(),
        gaps: profile.gaps.into_iter().map(gap_dto).collect(),
        roles: profile
            .roles
            .into_iter()
            .map(|(role, kind)| dto::ProfileRole {
                role: role.into(),
                kind: kind.as_str().to_owned(),
            })
            .collect(),
        goals: profile.goals.into_iter().map(goal_dto).collect(),
        strategic_goals: profile
            .strategic_goals
            .into_iter()
            .map(super::strategic_goals::applied_goal_dto)
            .collect(),
    }
}

fn group_gaps_dto(report: comp::GroupReport) -> dto::GroupGaps {
    let comp::GroupReport {
        gaps,
        mut competencies,
    } = report;
    match gaps {
        GroupGaps::Suppressed {
            people,
            min_group_size,
        } => dto::GroupGaps::Suppressed {
            people,
            min_group_size,
        },
        GroupGaps::Report(report) => dto::GroupGaps::Report {
            people: report.people,
            withheld_competencies: report.withheld_competencies,
            // Every row's competency was read with the report, in the same scope.
            competencies: report
                .competencies
                .into_iter()
                .filter_map(|row| {
                    let competency = competencies.remove(&row.competency_id)?;
                    Some(dto::GroupGapRow {
                        competency: competency_dto(competency),
                        people_with_target: row.people_with_target,
                        people_below_target: row.people_below_target,
                        people_without_estimate: row.people_without_estimate,
                        mean_target: row.mean_target,
                        mean_gap: row.mean_gap,
                        mean_estimate: row.mean_estimate,
                        estimate_histogram: row.estimate_histogram.to_vec(),
                    })
                })
                .collect(),
        },
    }
}

// ---- frameworks, competencies, occupations ----

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/frameworks", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, description = "The network's frameworks and the member company's own", body = [dto::Framework]),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_frameworks(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<dto::Framework>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    require_browse(&caller)?;
    let frameworks = comp::frameworks(&*state.store, acting(&caller), scope).await?;
    Ok(ApiJson(frameworks.into_iter().map(framework_dto).collect()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/competencies", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug"), dto::CompetencyParams),
    responses((status = 200, description = "Ordered by English label", body = [dto::Competency]),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search_competencies(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<dto::CompetencyParams>,
) -> ApiResult<ApiJson<Vec<dto::Competency>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    require_browse(&caller)?;
    let found = comp::search_competencies(
        &*state.store,
        acting(&caller),
        scope,
        params.q.as_deref(),
        params.framework.map(Into::into),
        params.broader.map(Into::into),
        params.limit,
    )
    .await?;
    Ok(ApiJson(found.into_iter().map(competency_dto).collect()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/competencies/{id}", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::CompetencyDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_competency(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::CompetencyDetail>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    require_browse(&caller)?;
    let detail = comp::competency_detail(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(dto::CompetencyDetail {
        competency: competency_dto(detail.competency),
        framework: framework_dto(detail.framework),
        relations: detail
            .relations
            .into_iter()
            .map(|r| dto::CompetencyRelation {
                kind: r.kind.as_str().to_owned(),
                outgoing: r.outgoing,
                competency: competency_dto(r.other),
            })
            .collect(),
        roles: detail
            .roles
            .into_iter()
            .map(|(role, requirement)| dto::RoleNeed {
                role: role.into(),
                kind: requirement.kind.as_str().to_owned(),
                target_level: requirement.target.value(),
            })
            .collect(),
        occupations: detail
            .occupations
            .into_iter()
            .map(|(occupation, kind)| dto::OccupationNeed {
                occupation: occupation_dto(occupation),
                kind: kind.as_str().to_owned(),
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/occupations", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug"), dto::OccupationParams),
    responses((status = 200, body = [dto::Occupation]), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search_occupations(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<dto::OccupationParams>,
) -> ApiResult<ApiJson<Vec<dto::Occupation>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    require_browse(&caller)?;
    let found = comp::search_occupations(
        &*state.store,
        acting(&caller),
        scope,
        params.q.as_deref().unwrap_or_default(),
        params.limit,
    )
    .await?;
    Ok(ApiJson(found.into_iter().map(occupation_dto).collect()))
}

// ---- role profiles ----

/// A role with its profile, as the caller may read it.
async fn read_role_profile(
    state: &AppState,
    caller: &Caller,
    scope: TenantScope,
    id: RoleId,
) -> ApiResult<dto::RoleProfile> {
    let role = ops::role(&*state.store, acting(caller), scope, id).await?;
    let lines = comp::role_profile(&*state.store, acting(caller), scope, id).await?;
    Ok(role_profile_dto(role, lines))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/roles/{id}/profile", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::RoleProfile), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_role_profile(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::RoleProfile>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    Ok(ApiJson(
        read_role_profile(&state, &caller, scope, id.into()).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/roles/{id}/profile", tag = "competencies",
    request_body(content = Vec<dto::SetRoleRequirement>, description = "The whole profile; it replaces the role's profile"),
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "The role's profile as set", body = dto::RoleProfile),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_role_profile(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<Vec<dto::SetRoleRequirement>>,
) -> ApiResult<ApiJson<dto::RoleProfile>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let requirements = body
        .iter()
        .enumerate()
        .map(|(i, line)| {
            Ok(RoleRequirement {
                competency_id: line.competency_id.into(),
                kind: requirement_kind(format!("[{i}].kind"), &line.kind)?,
                target: level(format!("[{i}].target_level"), line.target_level)?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    comp::set_role_profile(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        &requirements,
    )
    .await?;
    Ok(ApiJson(
        read_role_profile(&state, &caller, scope, id.into()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/roles/{id}/profile/from-occupation", tag = "competencies",
    request_body = dto::ProfileFromOccupation,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "The role's new profile", body = dto::RoleProfile),
              (status = 403, body = ErrorBody), (status = 404, description = "No such role or occupation", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn role_profile_from_occupation(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::ProfileFromOccupation>,
) -> ApiResult<ApiJson<dto::RoleProfile>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let required = level("required_level", body.required_level)?;
    let desired = body
        .desired_level
        .map(|l| level("desired_level", l))
        .transpose()?;
    comp::role_profile_from_occupation(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        body.occupation_id.into(),
        required,
        desired,
    )
    .await?;
    Ok(ApiJson(
        read_role_profile(&state, &caller, scope, id.into()).await?,
    ))
}

// ---- a person's competencies ----

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}/competency-profile", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path), dto::ProfileParams,
           ("x-mycel-purpose" = Option<String>, Header, description = "Why the data is read (audit log)")),
    responses((status = 200, body = dto::CompetencyProfile), (status = 400, body = ErrorBody),
              (status = 404, description = "No such person, or a profile the caller may not see (not shared)", body = ErrorBody)))]
pub async fn competency_profile(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiQuery(params): ApiQuery<dto::ProfileParams>,
) -> ApiResult<ApiJson<dto::CompetencyProfile>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let purpose = stated_purpose(params.purpose.as_deref(), &headers, &caller)?;
    let profile = comp::profile(&*state.store, acting(&caller), scope, id.into(), &purpose).await?;
    Ok(ApiJson(profile_dto(profile)))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/people/{id}/evidence", tag = "competencies",
    request_body = dto::RecordEvidence,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 201, body = dto::Evidence),
              (status = 403, description = "The caller may not record this kind of evidence about this person", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_evidence(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::RecordEvidence>,
) -> ApiResult<(StatusCode, ApiJson<dto::Evidence>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    if let Some(at) = body.observed_at {
        four_digit_year("observed_at", at.year())?;
    }
    let new = comp::NewEvidence {
        competency_id: body.competency_id.into(),
        kind: evidence_kind(&body.kind)?,
        level: body.level,
        source: body.source.unwrap_or_default(),
        link: body.link,
        note: body.note,
        observed_at: body.observed_at,
    };
    let evidence =
        comp::record_evidence(&*state.store, acting(&caller), scope, id.into(), new).await?;
    Ok((StatusCode::CREATED, ApiJson(evidence_dto(evidence))))
}

// ---- one's own ----

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/me/profile-sharing", tag = "competencies",
    request_body = dto::ProfileSharing,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, body = dto::ProfileSharing),
              (status = 403, description = "Not a person (an API credential has no profile)", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_profile_sharing(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::ProfileSharing>,
) -> ApiResult<ApiJson<dto::ProfileSharing>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    comp::set_profile_shared(&*state.store, &caller.principal, scope, body.shared).await?;
    Ok(ApiJson(body))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/me/learning-goals", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, body = [dto::LearningGoal]),
              (status = 403, description = "Not a person", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_learning_goals(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<dto::LearningGoal>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let goals = comp::learning_goals(&*state.store, &caller.principal, scope).await?;
    Ok(ApiJson(goals.into_iter().map(goal_dto).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/me/learning-goals", tag = "competencies",
    request_body = dto::CreateLearningGoal,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, body = dto::LearningGoal), (status = 403, description = "Not a person", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_learning_goal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::CreateLearningGoal>,
) -> ApiResult<(StatusCode, ApiJson<dto::LearningGoal>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let target = level("target_level", body.target_level)?;
    if let Some(due) = body.due {
        four_digit_year("due", due.year())?;
    }
    let goal = comp::create_learning_goal(
        &*state.store,
        &caller.principal,
        scope,
        body.competency_id.into(),
        target.value(),
        body.due,
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(goal_dto(goal))))
}

#[utoipa::path(delete, path = "/api/v1/tenants/{tenant}/me/learning-goals/{id}", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, description = "Not a person", body = ErrorBody),
              (status = 404, description = "No such goal of the caller's", body = ErrorBody)))]
pub async fn delete_learning_goal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<StatusCode> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    comp::delete_learning_goal(&*state.store, &caller.principal, scope, id.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- aggregates ----

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/competency-gaps", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug"), dto::GroupGapParams),
    responses((status = 200, description = "The group's needs analysis, or `suppressed` for a group below the minimum size", body = dto::GroupGaps),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn group_gaps(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<dto::GroupGapParams>,
) -> ApiResult<ApiJson<dto::GroupGaps>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let group = match (params.org_unit, params.reports_of) {
        (None, None) => PeopleGroup::Tenant,
        (Some(unit), None) => PeopleGroup::OrgUnit(unit.into()),
        (None, Some(manager)) => PeopleGroup::ReportsOf(manager.into()),
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_field(
                "reports_of",
                "give org_unit or reports_of, not both",
            ))
        }
    };
    let report = comp::group_gaps(&*state.store, acting(&caller), scope, group).await?;
    Ok(ApiJson(group_gaps_dto(report)))
}

// ---- proficiency scales and activity alignments ----

fn text_dto(text: &mycel_competency::scale::LocalizedText) -> dto::LocalizedText {
    dto::LocalizedText {
        de: text.de.clone(),
        en: text.en.clone(),
    }
}

fn scale_dto(scale: &mycel_competency::scale::ProficiencyScale) -> dto::ProficiencyScale {
    dto::ProficiencyScale {
        id: scale.id().map(|id| id.as_uuid()),
        name: text_dto(scale.name()),
        levels: scale
            .levels()
            .iter()
            .map(|l| dto::ProficiencyLevel {
                value: l.value,
                label: text_dto(&l.label),
                descriptor: text_dto(&l.descriptor),
                on_default_scale: l.on_default_scale.value(),
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/proficiency-scales", tag = "competencies",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, description = "The default 0–4 scale, then the member company's own", body = [dto::ProficiencyScale]),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_scales(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<dto::ProficiencyScale>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    require_browse(&caller)?;
    let scales = comp::scales(&*state.store, scope).await?;
    Ok(ApiJson(scales.iter().map(scale_dto).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/proficiency-scales", tag = "competencies",
    request_body = dto::CreateProficiencyScale,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, body = dto::ProficiencyScale), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_scale(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::CreateProficiencyScale>,
) -> ApiResult<(StatusCode, ApiJson<dto::ProficiencyScale>)> {
    use mycel_competency::scale::{LocalizedText, ProficiencyLevel};
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let text = |t: dto::LocalizedText| LocalizedText::new(t.de, t.en);
    let mut levels = Vec::with_capacity(body.levels.len());
    for (i, l) in body.levels.into_iter().enumerate() {
        levels.push(ProficiencyLevel {
            value: l.value,
            label: text(l.label),
            descriptor: text(l.descriptor),
            on_default_scale: level(format!("levels[{i}].on_default_scale"), l.on_default_scale)?,
        });
    }
    let scale = comp::create_scale(
        &*state.store,
        acting(&caller),
        scope,
        text(body.name),
        levels,
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(scale_dto(&scale))))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/activity-alignments", tag = "competencies",
    request_body = dto::ActivityAlignment,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 204, description = "Aligned (an earlier level of the same activity and competency is replaced)"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn align_activity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::ActivityAlignment>,
) -> ApiResult<StatusCode> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    comp::align_activity(
        &*state.store,
        acting(&caller),
        scope,
        &body.activity_id,
        body.competency_id.into(),
        body.level,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
