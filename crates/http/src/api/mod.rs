//! The JSON API under `/api/v1`. Resources of a member company live under
//! `/api/v1/tenants/{tenant}/…` (the tenant's slug); a caller who may not enter that tenant gets
//! 404, as for an id that does not exist.

mod access;
pub use access::credential_dto;
mod catalogue;
mod classroom;
mod cmi5;
mod competencies;
mod learning_paths;
mod organisation;
mod recommendations;
mod strategic_goals;

use crate::auth::caller::Caller;
use crate::ApiError;
use axum::extract::OriginalUri;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use mycel_app::Acting;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The header in which a caller states why it reads personal data; written to the audit log.
pub const PURPOSE_HEADER: &str = "x-mycel-purpose";

pub fn routes(max_package_bytes: usize) -> Router<crate::AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/me", get(access::me))
        .route(
            "/tenants",
            get(organisation::list_tenants).post(organisation::create_tenant),
        )
        .route("/tenants/{tenant}", get(organisation::get_tenant))
        .route(
            "/tenants/{tenant}/org-units",
            get(organisation::list_org_units).post(organisation::create_org_unit),
        )
        .route(
            "/tenants/{tenant}/org-units/{id}",
            get(organisation::get_org_unit),
        )
        .route(
            "/tenants/{tenant}/people",
            get(organisation::list_people).post(organisation::create_person),
        )
        .route(
            "/tenants/{tenant}/people/{id}",
            get(organisation::get_person).patch(organisation::update_person),
        )
        .route(
            "/tenants/{tenant}/people/{id}/roles",
            get(organisation::person_roles).post(organisation::assign_role),
        )
        .route(
            "/tenants/{tenant}/people/{id}/access",
            get(access::person_access).post(access::grant_access),
        )
        .route(
            "/tenants/{tenant}/roles",
            get(organisation::list_roles).post(organisation::create_role),
        )
        .route("/tenants/{tenant}/roles/{id}", get(organisation::get_role))
        .route(
            "/tenants/{tenant}/credentials",
            get(access::list_credentials).post(access::create_credential),
        )
        .route(
            "/tenants/{tenant}/credentials/{id}/revoke",
            post(access::revoke_credential),
        )
        .route("/tenants/{tenant}/audit-log", get(access::audit_log))
        .route(
            "/tenants/{tenant}/frameworks",
            get(competencies::list_frameworks),
        )
        .route(
            "/tenants/{tenant}/competencies",
            get(competencies::search_competencies),
        )
        .route(
            "/tenants/{tenant}/competencies/{id}",
            get(competencies::get_competency),
        )
        .route(
            "/tenants/{tenant}/occupations",
            get(competencies::search_occupations),
        )
        .route(
            "/tenants/{tenant}/roles/{id}/profile",
            get(competencies::get_role_profile).put(competencies::set_role_profile),
        )
        .route(
            "/tenants/{tenant}/roles/{id}/profile/from-occupation",
            post(competencies::role_profile_from_occupation),
        )
        .route(
            "/tenants/{tenant}/people/{id}/competency-profile",
            get(competencies::competency_profile),
        )
        .route(
            "/tenants/{tenant}/people/{id}/evidence",
            post(competencies::record_evidence),
        )
        .route(
            "/tenants/{tenant}/me/profile-sharing",
            put(competencies::set_profile_sharing),
        )
        .route(
            "/tenants/{tenant}/me/learning-goals",
            get(competencies::list_learning_goals).post(competencies::create_learning_goal),
        )
        .route(
            "/tenants/{tenant}/me/learning-goals/{id}",
            delete(competencies::delete_learning_goal),
        )
        .route(
            "/tenants/{tenant}/competency-gaps",
            get(competencies::group_gaps),
        )
        .route(
            "/tenants/{tenant}/proficiency-scales",
            get(competencies::list_scales).post(competencies::create_scale),
        )
        .route(
            "/tenants/{tenant}/activity-alignments",
            put(competencies::align_activity),
        )
        .route(
            "/tenants/{tenant}/opportunities",
            get(catalogue::search).post(catalogue::create_opportunity),
        )
        .route(
            "/tenants/{tenant}/opportunities/{id}",
            get(catalogue::get_opportunity).put(catalogue::update_opportunity),
        )
        .route(
            "/tenants/{tenant}/opportunities/{id}/lifecycle",
            put(catalogue::set_lifecycle),
        )
        .route(
            "/tenants/{tenant}/providers",
            get(catalogue::list_providers).post(catalogue::create_provider),
        )
        .route(
            "/tenants/{tenant}/providers/{id}",
            put(catalogue::update_provider),
        )
        .route(
            "/tenants/{tenant}/packages",
            post(catalogue::upload_package)
                .layer(axum::extract::DefaultBodyLimit::max(max_package_bytes)),
        )
        .route(
            "/tenants/{tenant}/competency-suggestions",
            post(catalogue::suggest_competencies),
        )
        .route(
            "/tenants/{tenant}/rooms",
            get(classroom::list_rooms).post(classroom::create_room),
        )
        .route(
            "/tenants/{tenant}/opportunities/{id}/sessions",
            get(classroom::list_sessions).post(classroom::create_session),
        )
        .route(
            "/tenants/{tenant}/sessions/{id}/cancel",
            post(classroom::cancel_session),
        )
        .route(
            "/tenants/{tenant}/sessions/{id}/enrolments",
            get(classroom::session_enrolments).post(classroom::enrol),
        )
        .route(
            "/tenants/{tenant}/sessions/{id}/attendance",
            put(classroom::record_attendance),
        )
        .route(
            "/tenants/{tenant}/enrolments/{id}/decision",
            put(classroom::decide_enrolment),
        )
        .route(
            "/tenants/{tenant}/enrolments/{id}/cancel",
            post(classroom::cancel_enrolment),
        )
        .route(
            "/tenants/{tenant}/enrolments/{id}/invitation.ics",
            get(classroom::invitation),
        )
        .route(
            "/tenants/{tenant}/people/{id}/enrolments",
            get(classroom::person_enrolments),
        )
        .route(
            "/tenants/{tenant}/opportunities/{id}/assignments",
            post(classroom::assign),
        )
        .route(
            "/tenants/{tenant}/people/{id}/learning",
            get(classroom::learning_record),
        )
        .route(
            "/tenants/{tenant}/opportunities/{id}/cmi5/launches",
            post(cmi5::launch),
        )
        .route(
            "/tenants/{tenant}/opportunities/{id}/cmi5/progress/{person}",
            get(cmi5::progress),
        )
        .route(
            "/tenants/{tenant}/cmi5/registrations/{registration}/waivers",
            post(cmi5::waive),
        )
        .route(
            "/tenants/{tenant}/cmi5/sessions/{session}/abandon",
            post(cmi5::abandon),
        )
        .route(
            "/tenants/{tenant}/people/{id}/learning-path",
            get(learning_paths::learning_path),
        )
        .route("/tenants/{tenant}/help", get(learning_paths::help))
        .route(
            "/tenants/{tenant}/org-units/{id}/strategic-goals",
            get(strategic_goals::list_strategic_goals).post(strategic_goals::create_strategic_goal),
        )
        .route(
            "/tenants/{tenant}/org-units/{id}/strategic-goals/{goal}",
            put(strategic_goals::update_strategic_goal)
                .delete(strategic_goals::delete_strategic_goal),
        )
        .route(
            "/tenants/{tenant}/path-planning",
            get(strategic_goals::path_planning).put(strategic_goals::set_path_planning),
        )
        .route(
            "/tenants/{tenant}/people/{id}/recommendations",
            get(recommendations::person_recommendations),
        )
        .route(
            "/tenants/{tenant}/people/{id}/recommendation-feedback",
            get(recommendations::recommendation_feedback),
        )
        .route(
            "/tenants/{tenant}/people/{id}/recommendation-feedback/{opportunity}",
            put(recommendations::set_recommendation_feedback)
                .delete(recommendations::remove_recommendation_feedback),
        )
        .route(
            "/tenants/{tenant}/opportunities/{id}/rating",
            get(recommendations::opportunity_rating).put(recommendations::rate_opportunity),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no API endpoint at {}", uri.path()),
    )
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed on {}", uri.path()),
    )
}

/// The caller's stated purpose, or the default for this kind of caller.
/// Header values are bytes; a purpose in German needs them read as UTF-8 (not only ASCII). One that
/// is not UTF-8 is refused rather than silently replaced, so the audit log never lies.
fn purpose(headers: &HeaderMap, caller: &Caller) -> Result<String, ApiError> {
    stated_purpose(None, headers, caller)
}

/// The purpose given as a query parameter (`?purpose=`), else in the header, else the default.
fn stated_purpose(
    query: Option<&str>,
    headers: &HeaderMap,
    caller: &Caller,
) -> Result<String, ApiError> {
    let given = match (query, headers.get(PURPOSE_HEADER)) {
        (Some(given), _) => Some(given),
        (None, Some(value)) => Some(std::str::from_utf8(value.as_bytes()).map_err(|_| {
            ApiError::bad_request(format!("the {PURPOSE_HEADER} header must be UTF-8 text"))
        })?),
        (None, None) => None,
    };
    let default = match caller.person {
        Some(_) => "administration",
        None => "system integration",
    };
    Ok(mycel_app::organisation::purpose(given, default))
}

fn acting(caller: &Caller) -> Acting<'_> {
    Acting::Principal(&caller.principal)
}

struct BasicAuth;

impl Modify for BasicAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_credential",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
        // Every operation but the health checks needs a caller, so each may answer 401.
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let public = operation
                    .tags
                    .as_ref()
                    .is_some_and(|t| t.iter().any(|t| t == "health"));
                if public {
                    operation.security = Some(Vec::new());
                } else {
                    operation
                        .responses
                        .responses
                        .entry("401".into())
                        .or_insert_with(|| {
                            utoipa::openapi::ResponseBuilder::new()
                                .description("No valid login session or API credential")
                                .content(
                                    "application/json",
                                    utoipa::openapi::ContentBuilder::new()
                                        .schema(Some(utoipa::openapi::Ref::from_schema_name(
                                            "ErrorBody",
                                        )))
                                        .build(),
                                )
                                .into()
                        });
                }
            }
        }
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(
                utoipa::openapi::security::ApiKeyValue::new(crate::auth::caller::SESSION_COOKIE),
            )),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Mycel API", description = "The JSON API of Mycel, a corporate learning ecosystem."),
    modifiers(&BasicAuth),
    security(("api_credential" = []), ("session" = [])),
    paths(
        crate::health::healthz,
        crate::health::readyz,
        access::me,
        organisation::list_tenants,
        organisation::create_tenant,
        organisation::get_tenant,
        organisation::list_org_units,
        organisation::create_org_unit,
        organisation::get_org_unit,
        organisation::list_people,
        organisation::create_person,
        organisation::get_person,
        organisation::update_person,
        organisation::person_roles,
        organisation::assign_role,
        organisation::list_roles,
        organisation::create_role,
        organisation::get_role,
        access::person_access,
        access::grant_access,
        access::list_credentials,
        access::create_credential,
        access::revoke_credential,
        access::audit_log,
        competencies::list_frameworks,
        competencies::search_competencies,
        competencies::get_competency,
        competencies::search_occupations,
        competencies::get_role_profile,
        competencies::set_role_profile,
        competencies::role_profile_from_occupation,
        competencies::competency_profile,
        competencies::record_evidence,
        competencies::set_profile_sharing,
        competencies::list_learning_goals,
        competencies::create_learning_goal,
        competencies::delete_learning_goal,
        competencies::group_gaps,
        competencies::list_scales,
        competencies::create_scale,
        competencies::align_activity,
        catalogue::search,
        catalogue::create_opportunity,
        catalogue::get_opportunity,
        catalogue::update_opportunity,
        catalogue::set_lifecycle,
        catalogue::list_providers,
        catalogue::create_provider,
        catalogue::update_provider,
        catalogue::upload_package,
        catalogue::suggest_competencies,
        classroom::list_rooms,
        classroom::create_room,
        classroom::list_sessions,
        classroom::create_session,
        classroom::cancel_session,
        classroom::session_enrolments,
        classroom::enrol,
        classroom::record_attendance,
        classroom::decide_enrolment,
        classroom::cancel_enrolment,
        classroom::invitation,
        classroom::person_enrolments,
        classroom::assign,
        classroom::learning_record,
        cmi5::launch,
        cmi5::progress,
        cmi5::waive,
        cmi5::abandon,
        learning_paths::learning_path,
        learning_paths::help,
        strategic_goals::list_strategic_goals,
        strategic_goals::create_strategic_goal,
        strategic_goals::update_strategic_goal,
        strategic_goals::delete_strategic_goal,
        strategic_goals::path_planning,
        strategic_goals::set_path_planning,
        recommendations::person_recommendations,
        recommendations::recommendation_feedback,
        recommendations::set_recommendation_feedback,
        recommendations::remove_recommendation_feedback,
        recommendations::opportunity_rating,
        recommendations::rate_opportunity,
    ),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "organisation", description = "Member companies, org units, people and roles"),
        (name = "access", description = "Who may do what: access roles, API credentials, the audit log"),
        (name = "competencies", description = "Competency frameworks, role profiles, evidence, competency profiles, learning goals and aggregated gaps"),
        (name = "catalogue", description = "Learning opportunities, providers, e-learning packages, catalogue search and competency suggestions"),
        (name = "classroom", description = "Rooms, sessions of classroom courses, enrolments with approval and waitlist, attendance, calendar invitations; assigned learning, completions and certifications"),
        (name = "learning-paths", description = "Personal learning paths planned from a person's gaps, and recommendations beyond them"),
        (name = "cmi5", description = "Launching cmi5 AUs for people or outside learners, waivers, abandoned sessions, progress in a course"),
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Responses every authenticated endpoint may give.
pub(crate) type ErrorBody = mycel_api::ErrorBody;
