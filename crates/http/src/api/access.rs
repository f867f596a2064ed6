//! Who is calling, access roles, API credentials and the audit log.

use super::{acting, purpose, ErrorBody};
use crate::auth::caller::Caller;
use crate::error::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use mycel_api as dto;
use mycel_app::organisation as ops;
use mycel_app::tokens;
use mycel_organisation::{AccessGrant, Principal};
use mycel_store::{Actor, ApiCredential, AuditEntry};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/me", tag = "access",
    responses((status = 200, body = dto::Me), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> ApiJson<dto::Me> {
    let scopes = match &caller.principal {
        Principal::Credential { scopes, .. } => {
            scopes.iter().map(|s| s.as_str().to_owned()).collect()
        }
        Principal::Person { .. } => Vec::new(),
    };
    ApiJson(dto::Me {
        access: caller.grants().iter().copied().map(Into::into).collect(),
        tenant: caller.tenant.into(),
        person: caller.person.map(Into::into),
        scopes,
    })
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/people/{id}/access", tag = "access",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = [dto::AccessGrant]), (status = 404, body = ErrorBody)))]
pub async fn person_access(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<Vec<dto::AccessGrant>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let grants = ops::person_access(
        &*state.store,
        acting(&caller),
        scope,
        id.into(),
        &purpose(&headers, &caller)?,
    )
    .await?;
    Ok(ApiJson(grants.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/people/{id}/access", tag = "access", request_body = dto::GrantAccess,
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, description = "The person's access roles after the grant", body = [dto::AccessGrant]),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn grant_access(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<dto::GrantAccess>,
) -> ApiResult<ApiJson<Vec<dto::AccessGrant>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let grant = AccessGrant {
        role: ops::parse_access_role(&body.role)?,
        org_unit_id: body.org_unit_id.map(Into::into),
    };
    let grants = ops::grant_access(&*state.store, acting(&caller), scope, id.into(), grant).await?;
    Ok(ApiJson(grants.into_iter().map(Into::into).collect()))
}

/// The API's view of a stored credential (with its HTTP Basic key, without its secret hash).
pub fn credential_dto(credential: ApiCredential) -> dto::ApiCredential {
    dto::ApiCredential {
        id: credential.id.as_uuid(),
        key: tokens::api_key(credential.tenant_id, credential.id),
        label: credential.label,
        scopes: credential
            .scopes
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        created_at: credential.created_at,
        revoked_at: credential.revoked_at,
    }
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/credentials", tag = "access",
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 200, body = [dto::ApiCredential]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_credentials(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<ApiJson<Vec<dto::ApiCredential>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let credentials = ops::list_credentials(&*state.store, acting(&caller), scope).await?;
    Ok(ApiJson(
        credentials.into_iter().map(credential_dto).collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/credentials", tag = "access", request_body = dto::CreateApiCredential,
    params(("tenant" = String, Path, description = "The member company's slug")),
    responses((status = 201, description = "The credential and its secret, shown this once", body = dto::CreatedApiCredential),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_credential(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<dto::CreateApiCredential>,
) -> ApiResult<(StatusCode, ApiJson<dto::CreatedApiCredential>)> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let scopes = ops::parse_scopes(&body.scopes)?;
    let issued =
        ops::create_credential(&*state.store, acting(&caller), scope, &body.label, &scopes).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(dto::CreatedApiCredential {
            credential: credential_dto(issued.credential),
            secret: issued.secret,
        }),
    ))
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/credentials/{id}/revoke", tag = "access",
    params(("tenant" = String, Path, description = "The member company's slug"), ("id" = Uuid, Path)),
    responses((status = 200, body = dto::ApiCredential), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_credential(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> ApiResult<ApiJson<dto::ApiCredential>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let credential =
        ops::revoke_credential(&*state.store, acting(&caller), scope, id.into()).await?;
    Ok(ApiJson(credential_dto(credential)))
}

fn audit_dto(entry: AuditEntry) -> dto::AuditEntry {
    let (actor_kind, actor_id) = match entry.actor {
        Actor::Person(id) => ("person", id.as_uuid()),
        Actor::Credential(id) => ("credential", id.as_uuid()),
    };
    dto::AuditEntry {
        id: entry.id.as_uuid(),
        at: entry.at,
        actor_kind: actor_kind.to_owned(),
        actor_id,
        subject_id: entry.subject.map(|s| s.as_uuid()),
        action: entry.action,
        purpose: entry.purpose,
    }
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/audit-log", tag = "access",
    params(("tenant" = String, Path, description = "The member company's slug"), dto::AuditParams),
    responses((status = 200, description = "Newest first", body = [dto::AuditEntry]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<dto::AuditParams>,
) -> ApiResult<ApiJson<Vec<dto::AuditEntry>>> {
    let (_, scope) = ops::enter_tenant(&*state.store, acting(&caller), &slug).await?;
    let entries = ops::audit_log(
        &*state.store,
        acting(&caller),
        scope,
        params.subject.map(Into::into),
        params.before.map(Into::into),
        params.limit,
    )
    .await?;
    Ok(ApiJson(entries.into_iter().map(audit_dto).collect()))
}
