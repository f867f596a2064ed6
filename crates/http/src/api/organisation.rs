//! Member companies, org units, people, roles and role assignments.

use super::{acting, purpose, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use mycel_api as dto;
use mycel_app::organisation as ops;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/tenants", tag = "organisation",
    responses((status = 200, description = "All member companies (network admins) or one's own", body = [dto::Tenant]),
              (status = 401, body = ErrorBody)))]
pub async fn list_tenants(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<ApiJson<Vec<dto::Tenant>>> {
    let tenants = ops::list_tenants(&*state.store, acting(&caller)).await?;
    Ok(ApiJson(tenants.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants", tag = "organisation", request_body = dto::CreateTenant,
    responses((status = 201, body = dto::Tenant), (status = 403, body = ErrorBody),
              (status = 409, description = "The slug is taken", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_tenant(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<dto::CreateTenant>,
) -> ApiResult<(StatusCode, ApiJson<dto::Tenant>)> {
    let tenant = ops::create_tenant(&*state.store, acting(&caller), &body.slug, &body.name).await?;
    Ok((StatusCode::CREATED, ApiJson(tenant.into())))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, body = dto::Tenant), (status = 404, body = ErrorBody)))]
pub async fn get_tenant(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<dto::Tenant>> {
    let (tenant, _) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    Ok(ApiJson(tenant.into()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/org-units", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, body = [dto::OrgUnit]), (status = 404, body = ErrorBody)))]
pub async fn list_org_units(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<dto::OrgUnit>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let units = ops::list_org_units(&*state.store, acting(&caller), scope).await?;
    Ok(ApiJson(units.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/org-units", tag = "organisation", request_body = dto::CreateOrgUnit,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, body = dto::OrgUnit), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_org_unit(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::CreateOrgUnit>,
) -> ApiResult<(StatusCode, ApiJson<dto::OrgUnit>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let unit = ops::create_org_unit(
        &*state.store,
        acting(&caller),
        scope,
        &body.name,
        body.parent_id.map(Into::into),
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(unit.into())))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/org-units/{id}", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::OrgUnit), (status = 404, body = ErrorBody)))]
pub async fn get_org_unit(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::OrgUnit>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    Ok(ApiJson(
        ops::org_unit(&*state.store, acting(&caller), scope, id.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug"), dto::PeopleParams,
           ("x-mycel-purpose" = Option<String>, Header, description = "Why the data is read (audit log)")),
    responses((status = 200, body = dto::PeoplePage), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_people(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<dto::PeopleParams>,
) -> ApiResult<ApiJson<dto::PeoplePage>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let page = ops::list_people(
        &*state.store,
        acting(&caller),
        scope,
        params.org_unit.map(Into::into),
        params.after.map(Into::into),
        params.limit,
        &purpose(&headers, &caller)?,
    )
    .await?;
    Ok(ApiJson(dto::PeoplePage {
        items: page.people.into_iter().map(Into::into).collect(),
        next_after: page.next_after.map(|id| id.as_uuid()),
    }))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/people", tag = "organisation", request_body = dto::CreatePerson,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, body = dto::Person), (status = 403, body = ErrorBody),
              (status = 409, description = "The e-mail address is taken", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_person(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::CreatePerson>,
) -> ApiResult<(StatusCode, ApiJson<dto::Person>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let input = ops::PersonInput {
        display_name: body.display_name,
        email: body.email,
        org_unit_id: body.org_unit_id.map(Into::into),
        manager_id: body.manager_id.map(Into::into),
        locale: body.locale,
        password: None,
        access: None,
    };
    let person = ops::create_person(&*state.store, acting(&caller), scope, input).await?;
    Ok((StatusCode::CREATED, ApiJson(person.into())))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path),
           ("x-mycel-purpose" = Option<String>, Header, description = "Why the data is read (audit log)")),
    responses((status = 200, body = dto::Person), (status = 404, description = "No such person, or not one the caller may see", body = ErrorBody)))]
pub async fn get_person(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::Person>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let person = ops::view_person(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        &purpose(&headers, &caller)?,
    )
    .await?;
    Ok(ApiJson(person.into()))
}

#[utoipa::path(patch, path = "/api/v1/tenants/{tenant}/people/{id}", tag = "organisation", request_body = dto::UpdatePerson,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::Person), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "The e-mail address is taken", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_person(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::UpdatePerson>,
) -> ApiResult<ApiJson<dto::Person>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let changes = ops::PersonChanges {
        display_name: body.display_name,
        email: body.email,
        org_unit_id: body.org_unit_id.map(|u| u.map(Into::into)),
        manager_id: body.manager_id.map(|m| m.map(Into::into)),
        locale: body.locale,
    };
    let person =
        ops::update_person(&*state.store, acting(&caller), scope, id.into(), changes).await?;
    Ok(ApiJson(person.into()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}/roles", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = [dto::RoleAssignment]), (status = 404, body = ErrorBody)))]
pub async fn person_roles(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<Vec<dto::RoleAssignment>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let roles = ops::person_roles(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        &purpose(&headers, &caller)?,
    )
    .await?;
    Ok(ApiJson(roles.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/people/{id}/roles", tag = "organisation", request_body = dto::AssignRole,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::RoleAssignment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign_role(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::AssignRole>,
) -> ApiResult<ApiJson<dto::RoleAssignment>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let kind = ops::parse_assignment_kind(&body.kind)?;
    let assignment = ops::assign_role(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        body.role_id.into(),
        kind,
    )
    .await?;
    Ok(ApiJson(assignment.into()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/roles", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, body = [dto::Role]), (status = 404, body = ErrorBody)))]
pub async fn list_roles(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<dto::Role>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let roles = ops::list_roles(&*state.store, acting(&caller), scope).await?;
    Ok(ApiJson(roles.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/roles", tag = "organisation", request_body = dto::CreateRole,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, body = dto::Role), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_role(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::CreateRole>,
) -> ApiResult<(StatusCode, ApiJson<dto::Role>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let role = ops::create_role(
        &*state.store,
        acting(&caller),
        scope,
        &body.name,
        body.description.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(role.into())))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/roles/{id}", tag = "organisation",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::Role), (status = 404, body = ErrorBody)))]
pub async fn get_role(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::Role>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    Ok(ApiJson(
        ops::role(&*state.store, acting(&caller), scope, id.into())
            .await?
            .into(),
    ))
}
