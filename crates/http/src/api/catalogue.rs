//! The catalogue: learning opportunities (search with facets, read, create, change, publish,
//! retire), external providers, e-learning package uploads, and competency suggestions for an
//! opportunity's text. Mapping between `mycel_api`'s shapes and the domain's types happens here;
//! everything else is `mycel_app::catalogue` and `mycel_app::packages`.

use super::{acting, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use mycel_api as dto;
use mycel_app::catalogue as cat;
use mycel_app::organisation as ops;
use mycel_app::packages::{self, UploadError};
use mycel_catalogue::{
    Alignment, AudienceEntry, Cost, ElectiveGroup, Lifecycle, Modality, OpportunityDraft, PartKind,
    Prerequisite, ProgramPart, ProviderDraft,
};
use mycel_competency::scale::{Level, LocalizedText};
use mycel_search::{DurationBucket, SearchFilters, SessionRange, SortOrder};
use mycel_store::catalogue::{OpportunityRecord, PackageRecord, Provider};
use std::collections::BTreeSet;
use uuid::Uuid;

// ---- parsing ----

fn level(field: String, value: f64) -> ApiResult<Level> {
    Level::new(value).ok_or_else(|| ApiError::invalid_field(field, "must be a level from 0 to 4"))
}

fn draft_from(input: dto::OpportunityInput) -> ApiResult<OpportunityDraft> {
    let modality = Modality::parse(&input.modality).ok_or_else(|| {
        let names: Vec<_> = Modality::ALL.iter().map(|m| m.as_str()).collect();
        ApiError::invalid_field("modality", format!("must be one of {}", names.join(", ")))
    })?;
    let mut audience = Vec::with_capacity(input.audience.len());
    for (i, entry) in input.audience.into_iter().enumerate() {
        let field = format!("audience[{i}]");
        let id = || {
            entry.id.ok_or_else(|| {
                ApiError::invalid_field(format!("{field}.id"), "is required for this kind")
            })
        };
        audience.push(match entry.kind.as_str() {
            "network" => AudienceEntry::Network,
            "company" => AudienceEntry::Company(id()?.into()),
            "org-unit" => AudienceEntry::OrgUnit(id()?.into()),
            "role" => AudienceEntry::Role(id()?.into()),
            _ => {
                return Err(ApiError::invalid_field(
                    format!("{field}.kind"),
                    "must be network, company, org-unit or role",
                ))
            }
        });
    }
    let mut alignments = Vec::with_capacity(input.alignments.len());
    for (i, a) in input.alignments.into_iter().enumerate() {
        alignments.push(Alignment {
            competency_id: a.competency_id.into(),
            level: level(format!("alignments[{i}].level"), a.level)?,
        });
    }
    let mut prerequisites = Vec::with_capacity(input.prerequisites.len());
    for (i, p) in input.prerequisites.into_iter().enumerate() {
        let field = format!("prerequisites[{i}]");
        prerequisites.push(match (p.kind.as_str(), p.competency_id, p.opportunity_id) {
            ("competency", Some(c), None) => Prerequisite::Competency {
                competency_id: c.into(),
                level: level(format!("{field}.level"), p.level.unwrap_or(1.0))?,
            },
            ("opportunity", None, Some(o)) if p.level.is_none() => Prerequisite::Opportunity {
                opportunity_id: o.into(),
            },
            _ => {
                return Err(ApiError::invalid_field(
                    field,
                    "a competency prerequisite has competency_id (and level), an opportunity prerequisite opportunity_id",
                ))
            }
        });
    }
    let mut parts = Vec::with_capacity(input.parts.len());
    for (i, part) in input.parts.into_iter().enumerate() {
        parts.push(match part {
            dto::ProgramPartInput::Required(id) => ProgramPart::required(id.into()),
            dto::ProgramPartInput::Part(part) => ProgramPart {
                opportunity_id: part.opportunity_id.into(),
                kind: PartKind::parse(&part.kind, part.group).ok_or_else(|| {
                    ApiError::invalid_field(
                        format!("parts[{i}].kind"),
                        "must be required, optional, or elective with its group",
                    )
                })?,
            },
        });
    }
    Ok(OpportunityDraft {
        modality,
        title: LocalizedText::new(input.title.de, input.title.en),
        description: LocalizedText::new(input.description.de, input.description.en),
        content_language: input.content_language,
        duration_minutes: input.duration_minutes,
        provider_id: input.provider_id.map(Into::into),
        cost: input.cost.map(|c| Cost {
            cents: c.cents,
            currency: c.currency,
        }),
        audience,
        alignments,
        prerequisites,
        recertify_after_months: input.recertify_after_months,
        link: input.link,
        package_id: input.package_id.map(Into::into),
        parts,
        elective_groups: input
            .elective_groups
            .into_iter()
            .map(|g| ElectiveGroup {
                label: LocalizedText::new(g.label.de, g.label.en),
                choose: g.choose,
            })
            .collect(),
    })
}

fn lifecycle(value: &str) -> ApiResult<Lifecycle> {
    Lifecycle::parse(value)
        .ok_or_else(|| ApiError::invalid_field("lifecycle", "must be draft, published or retired"))
}

/// A comma-separated list, each item parsed.
fn list<T: Ord>(
    field: &'static str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> ApiResult<BTreeSet<T>> {
    let mut set = BTreeSet::new();
    for item in value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        set.insert(parse(item).ok_or_else(|| {
            ApiError::invalid_field(field, format!("{item:?} is not a value of this filter"))
        })?);
    }
    Ok(set)
}

fn duration_bucket(value: &str) -> Option<DurationBucket> {
    DurationBucket::ALL
        .into_iter()
        .find(|b| enum_name(b).as_deref() == Some(value))
}

/// The name serde gives a unit variant (`up_to15_minutes`, …).
fn enum_name<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Some(name),
        _ => None,
    }
}

// ---- mapping ----

fn provider_dto(p: Provider) -> dto::Provider {
    dto::Provider {
        id: p.id.as_uuid(),
        input: dto::ProviderInput {
            name: p.draft.name,
            website: p.draft.website,
            contact_email: p.draft.contact_email,
            terms: p.draft.terms,
        },
        updated_at: p.updated_at,
    }
}

pub(super) fn opportunity_dto(
    record: OpportunityRecord,
    provider: Option<Provider>,
) -> dto::Opportunity {
    let d = record.draft;
    dto::Opportunity {
        id: record.id.as_uuid(),
        tenant_id: record.tenant_id.as_uuid(),
        lifecycle: record.lifecycle.as_str().to_owned(),
        input: dto::OpportunityInput {
            modality: d.modality.as_str().to_owned(),
            title: dto::LocalizedText {
                de: d.title.de,
                en: d.title.en,
            },
            description: dto::LocalizedText {
                de: d.description.de,
                en: d.description.en,
            },
            content_language: d.content_language,
            duration_minutes: d.duration_minutes,
            provider_id: d.provider_id.map(|p| p.as_uuid()),
            cost: d.cost.map(|c| dto::Cost {
                cents: c.cents,
                currency: c.currency,
            }),
            audience: d
                .audience
                .into_iter()
                .map(|e| dto::AudienceEntry {
                    kind: e.kind().to_owned(),
                    id: match e {
                        AudienceEntry::Network => None,
                        AudienceEntry::Company(t) => Some(t.as_uuid()),
                        AudienceEntry::OrgUnit(u) => Some(u.as_uuid()),
                        AudienceEntry::Role(r) => Some(r.as_uuid()),
                    },
                })
                .collect(),
            alignments: d
                .alignments
                .into_iter()
                .map(|a| dto::Alignment {
                    competency_id: a.competency_id.as_uuid(),
                    level: a.level.value(),
                })
                .collect(),
            prerequisites: d
                .prerequisites
                .into_iter()
                .map(|p| match p {
                    Prerequisite::Competency {
                        competency_id,
                        level,
                    } => dto::Prerequisite {
                        kind: "competency".into(),
                        competency_id: Some(competency_id.as_uuid()),
                        level: Some(level.value()),
                        opportunity_id: None,
                    },
                    Prerequisite::Opportunity { opportunity_id } => dto::Prerequisite {
                        kind: "opportunity".into(),
                        competency_id: None,
                        level: None,
                        opportunity_id: Some(opportunity_id.as_uuid()),
                    },
                })
                .collect(),
            recertify_after_months: d.recertify_after_months,
            link: d.link,
            package_id: d.package_id.map(|p| p.as_uuid()),
            parts: d
                .parts
                .into_iter()
                .map(|p| {
                    dto::ProgramPartInput::Part(dto::ProgramPart {
                        opportunity_id: p.opportunity_id.as_uuid(),
                        kind: p.kind.as_str().to_owned(),
                        group: p.kind.group(),
                    })
                })
                .collect(),
            elective_groups: d
                .elective_groups
                .into_iter()
                .map(|g| dto::ElectiveGroup {
                    label: dto::LocalizedText {
                        de: g.label.de,
                        en: g.label.en,
                    },
                    choose: g.choose,
                })
                .collect(),
        },
        provider: provider.map(provider_dto),
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

fn package_dto(p: PackageRecord) -> dto::Package {
    dto::Package {
        id: p.id.as_uuid(),
        kind: p.kind,
        title: p.title,
        sha256: p.sha256,
        file_count: p.file_count,
        total_bytes: p.total_bytes,
        launch_path: p.launch_path,
        structure: serde_json::from_str(&p.structure).unwrap_or(serde_json::Value::Null),
        uploaded_at: p.uploaded_at,
    }
}

// ---- handlers ----

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/opportunities", tag = "catalogue",
    params(("tenant" = String, Path, description = "The member company's slug"), dto::SearchParams),
    responses((status = 200, description = "The opportunities the caller may see that match, with facet counts", body = dto::SearchResults),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<dto::SearchParams>,
) -> ApiResult<ApiJson<dto::SearchResults>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let sort = match params.sort.as_deref() {
        None | Some("relevance") => SortOrder::Relevance,
        Some("newest") => SortOrder::Newest,
        Some("soonest_session") => SortOrder::SoonestSession,
        Some(_) => {
            return Err(ApiError::invalid_field(
                "sort",
                "must be relevance, newest or soonest_session",
            ))
        }
    };
    let filters = SearchFilters {
        modalities: list("modality", params.modality.as_deref(), |m| {
            Modality::parse(m).map(|m| m.as_str().to_owned())
        })?,
        languages: list("language", params.language.as_deref(), |l| {
            mycel_catalogue::opportunity::is_language_code(l).then(|| l.to_owned())
        })?,
        durations: list("duration", params.duration.as_deref(), duration_bucket)?,
        providers: list("provider", params.provider.as_deref(), |p| {
            Some(if p == "internal" {
                mycel_search::Provider::Internal
            } else {
                mycel_search::Provider::External(p.to_owned())
            })
        })?,
        competencies: list("competency", params.competency.as_deref(), |c| {
            Uuid::parse_str(c).ok()
        })?,
        sessions: match params.sessions_within_days {
            None => None,
            Some(days @ 1..=3660) => Some(SessionRange {
                from: None,
                to: Some(chrono::Utc::now() + chrono::Duration::days(i64::from(days))),
            }),
            Some(_) => {
                return Err(ApiError::invalid_field(
                    "sessions_within_days",
                    "must be between 1 and 3660",
                ))
            }
        },
    };
    let language = params
        .lang
        .or_else(|| caller.person.as_ref().and_then(|p| p.locale.clone()))
        .unwrap_or_else(|| "en".to_owned());
    let results = cat::search(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        cat::CatalogueSearch {
            text: params.q.unwrap_or_default(),
            language,
            filters,
            sort,
            limit: params.limit.unwrap_or(20),
            offset: params.offset.unwrap_or(0),
            include_unpublished: params.include_unpublished.unwrap_or(false),
        },
    )
    .await?;
    let counts = |list: Vec<(String, u64)>| {
        list.into_iter()
            .map(|(value, count)| dto::FacetCount { value, count })
            .collect::<Vec<_>>()
    };
    let f = results.facets;
    Ok(ApiJson(dto::SearchResults {
        total: results.total,
        hits: results
            .hits
            .into_iter()
            .map(|h| dto::SearchHit {
                id: h.id,
                score: h.score,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                next_session: h.next_session,
            })
            .collect(),
        facets: dto::Facets {
            modality: counts(f.modality.into_iter().map(|c| (c.value, c.count)).collect()),
            language: counts(
                f.content_language
                    .into_iter()
                    .map(|c| (c.value, c.count))
                    .collect(),
            ),
            duration: counts(
                f.duration
                    .into_iter()
                    .filter_map(|c| Some((enum_name(&c.value)?, c.count)))
                    .collect(),
            ),
            provider: counts(
                f.provider
                    .into_iter()
                    .map(|c| {
                        let name = match c.value {
                            mycel_search::Provider::Internal => "internal".to_owned(),
                            mycel_search::Provider::External(name) => name,
                        };
                        (name, c.count)
                    })
                    .collect(),
            ),
            competency: counts(
                f.competency
                    .into_iter()
                    .map(|c| (c.value.to_string(), c.count))
                    .collect(),
            ),
            sessions: counts(
                f.sessions
                    .into_iter()
                    .filter_map(|c| Some((enum_name(&c.value)?, c.count)))
                    .collect(),
            ),
        },
    }))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/opportunities", tag = "catalogue",
    request_body = dto::OpportunityInput,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, description = "Created as a draft", body = dto::Opportunity),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_opportunity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::OpportunityInput>,
) -> ApiResult<(StatusCode, ApiJson<dto::Opportunity>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let draft = draft_from(body)?;
    let record = cat::create_opportunity(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        &draft,
    )
    .await?;
    let view = cat::opportunity(&*state.store, acting(&caller), scope, record.id).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(opportunity_dto(view.record, view.provider)),
    ))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/opportunities/{id}", tag = "catalogue",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::Opportunity), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_opportunity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::Opportunity>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let view = cat::opportunity(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(opportunity_dto(view.record, view.provider)))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/opportunities/{id}", tag = "catalogue",
    request_body = dto::OpportunityInput,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::Opportunity), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_opportunity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::OpportunityInput>,
) -> ApiResult<ApiJson<dto::Opportunity>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let draft = draft_from(body)?;
    cat::update_opportunity(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        id.into(),
        &draft,
    )
    .await?;
    let view = cat::opportunity(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(opportunity_dto(view.record, view.provider)))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/opportunities/{id}/lifecycle", tag = "catalogue",
    request_body = dto::SetLifecycle,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::Opportunity), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_lifecycle(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::SetLifecycle>,
) -> ApiResult<ApiJson<dto::Opportunity>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let next = lifecycle(&body.lifecycle)?;
    cat::set_lifecycle(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        id.into(),
        next,
    )
    .await?;
    let view = cat::opportunity(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(opportunity_dto(view.record, view.provider)))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/providers", tag = "catalogue",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, description = "By name", body = [dto::Provider]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_providers(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<dto::Provider>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let providers = cat::providers(&*state.store, acting(&caller), scope).await?;
    Ok(ApiJson(providers.into_iter().map(provider_dto).collect()))
}

fn provider_draft(input: dto::ProviderInput) -> ProviderDraft {
    ProviderDraft {
        name: input.name,
        website: input.website,
        contact_email: input.contact_email,
        terms: input.terms,
    }
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/providers", tag = "catalogue",
    request_body = dto::ProviderInput,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, body = dto::Provider), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_provider(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::ProviderInput>,
) -> ApiResult<(StatusCode, ApiJson<dto::Provider>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let provider =
        cat::create_provider(&*state.store, acting(&caller), scope, &provider_draft(body)).await?;
    Ok((StatusCode::CREATED, ApiJson(provider_dto(provider))))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/providers/{id}", tag = "catalogue",
    request_body = dto::ProviderInput,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::Provider), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_provider(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::ProviderInput>,
) -> ApiResult<ApiJson<dto::Provider>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let provider = cat::update_provider(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        id.into(),
        &provider_draft(body),
    )
    .await?;
    Ok(ApiJson(provider_dto(provider)))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/packages", tag = "catalogue",
    request_body(description = "The package, told by its bytes (the Content-Type is not looked at): a zip with cmi5.xml or imsmanifest.xml, or a bare cmi5 course structure (cmi5.xml on its own) whose AU URLs are all absolute http(s) URLs. Anything else is refused with 422 package_refused.",
        content((Vec<u8> = "application/zip"), (String = "application/xml"))),
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, description = "Stored, with a draft e-learning opportunity that plays it", body = dto::UploadedPackage),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, description = "Refused (package_refused): the message says why, naming the rule of the specification", body = ErrorBody)))]
pub async fn upload_package(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    body: axum::body::Body,
) -> ApiResult<(StatusCode, ApiJson<dto::UploadedPackage>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    // Who may not upload is refused before the body is read (it may be hundreds of megabytes).
    acting(&caller).require(mycel_organisation::Action::ManageCatalogue)?;
    let body = axum::body::to_bytes(body, state.config.max_package_bytes)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "the package is larger than {} bytes (max_package_bytes), or its upload broke off",
                    state.config.max_package_bytes
                ),
            )
        })?;
    let uploaded = packages::upload_package(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        caller.person.as_ref().map(|p| p.id),
        body.to_vec(),
    )
    .await
    .map_err(|error| match error {
        UploadError::Refused(reason) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "package_refused",
            format!("the package was refused: {reason}"),
        ),
        UploadError::App(error) => error.into(),
    })?;
    Ok((
        StatusCode::CREATED,
        ApiJson(dto::UploadedPackage {
            package: package_dto(uploaded.package),
            opportunity: opportunity_dto(uploaded.opportunity, None),
            structure_text: uploaded.structure,
        }),
    ))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/competency-suggestions", tag = "catalogue",
    request_body = dto::SuggestionRequest,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, description = "Best first, with the words that matched", body = [dto::CompetencySuggestion]),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn suggest_competencies(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::SuggestionRequest>,
) -> ApiResult<ApiJson<Vec<dto::CompetencySuggestion>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let suggestions = cat::suggest_competencies(
        &*state.store,
        &state.catalogue,
        acting(&caller),
        scope,
        cat::SuggestionRequest {
            title: body.title,
            description: body.description,
            language: body.language,
            limit: body.limit.unwrap_or(10),
        },
    )
    .await?;
    Ok(ApiJson(
        suggestions
            .into_iter()
            .map(|s| dto::CompetencySuggestion {
                competency: super::competencies::competency_dto(s.competency),
                score: s.score,
                label: s.label,
                matched: s.matched,
            })
            .collect(),
    ))
}
