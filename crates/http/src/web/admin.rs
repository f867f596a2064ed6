//! The administration page: member companies (for network admins), org units, people and API
//! credentials of one member company, with forms that call the same operations as the JSON API.

use super::{error_response, PersonPage, Shell};
use crate::auth::csrf::CheckedForm;
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mycel_app::organisation as ops;
use mycel_app::{tokens, Acting, AppError};
use mycel_organisation::{AccessGrant, AccessRole, Action, OrgUnit, Scope, Tenant};
use mycel_store::TenantScope;
use serde::Deserialize;
use uuid::Uuid;

/// How many people the page lists; the API pages through all of them.
const PEOPLE_SHOWN: u32 = 100;

struct TenantRow {
    slug: String,
    name: String,
}

struct UnitRow {
    id: Uuid,
    name: String,
    indented: String,
    depth: usize,
}

struct PersonRow {
    name: String,
    email: String,
    unit: String,
}

struct CredentialRow {
    id: Uuid,
    label: String,
    key: String,
    scopes: String,
    status: String,
    active: bool,
}

struct Issued {
    key: String,
    secret: String,
}

struct RoleOption {
    value: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage<'a> {
    shell: &'a Shell,
    heading: String,
    tenant_slug: String,
    notice: Option<String>,
    error: Option<String>,
    issued: Option<Issued>,
    tenants: Option<Vec<TenantRow>>,
    units: Vec<UnitRow>,
    people: Vec<PersonRow>,
    people_more: Option<String>,
    credentials: Vec<CredentialRow>,
    roles: Vec<mycel_organisation::Role>,
    access_roles: Vec<RoleOption>,
    scopes: Vec<&'static str>,
}

/// Units in tree order (parents before children), with their depth.
fn tree_order(units: &[OrgUnit]) -> Vec<(usize, &OrgUnit)> {
    fn visit<'a>(
        units: &'a [OrgUnit],
        parent: Option<mycel_organisation::OrgUnitId>,
        depth: usize,
        out: &mut Vec<(usize, &'a OrgUnit)>,
    ) {
        for unit in units.iter().filter(|u| u.parent_id == parent) {
            out.push((depth, unit));
            if depth < 64 {
                visit(units, Some(unit.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(units.len());
    visit(units, None, 0, &mut out);
    out
}

/// What the page shows after an action.
#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
    issued: Option<Issued>,
}

async fn render(
    state: &AppState,
    page: &PersonPage,
    tenant: Tenant,
    scope: TenantScope,
    status: StatusCode,
    outcome: Outcome,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let acting = Acting::Principal(&page.caller.principal);
    let store = &*state.store;
    let tenants = if acting.permits(Action::AdministerNetwork) {
        match ops::list_tenants(store, acting).await {
            Ok(list) => Some(
                list.into_iter()
                    .map(|t| TenantRow {
                        slug: t.slug,
                        name: t.name,
                    })
                    .collect(),
            ),
            Err(error) => return error_response(shell, &error.into()),
        }
    } else {
        None
    };
    let loaded = async {
        let units = ops::list_org_units(store, acting, scope).await?;
        let people = ops::list_people(
            store,
            acting,
            scope,
            None,
            None,
            Some(PEOPLE_SHOWN),
            "administration",
        )
        .await?;
        let credentials = ops::list_credentials(store, acting, scope).await?;
        let roles = ops::list_roles(store, acting, scope).await?;
        Ok::<_, AppError>((units, people, credentials, roles))
    }
    .await;
    let (units, people, credentials, roles) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error_response(shell, &error.into()),
    };
    let unit_rows: Vec<UnitRow> = tree_order(&units)
        .into_iter()
        .map(|(depth, u)| UnitRow {
            id: u.id.as_uuid(),
            name: u.name.clone(),
            indented: format!("{}{}", "\u{2003}".repeat(depth), u.name),
            depth,
        })
        .collect();
    let unit_name = |id: Option<mycel_organisation::OrgUnitId>| {
        id.and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let people_more = people
        .next_after
        .map(|_| t.with("admin-people-more", "count", &PEOPLE_SHOWN.to_string()));
    let view = AdminPage {
        shell,
        heading: t.with("admin-tenant-heading", "name", &tenant.name),
        tenant_slug: tenant.slug.clone(),
        notice: outcome.notice,
        error: outcome.error,
        issued: outcome.issued,
        tenants,
        people: people
            .people
            .into_iter()
            .map(|p| PersonRow {
                unit: unit_name(p.org_unit_id),
                name: p.display_name,
                email: p.email.unwrap_or_default(),
            })
            .collect(),
        people_more,
        credentials: credentials
            .into_iter()
            .map(|c| CredentialRow {
                id: c.id.as_uuid(),
                key: tokens::api_key(c.tenant_id, c.id),
                label: c.label,
                scopes: c
                    .scopes
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                status: t.get(if c.revoked_at.is_some() {
                    "admin-credential-revoked"
                } else {
                    "admin-credential-active"
                }),
                active: c.revoked_at.is_none(),
            })
            .collect(),
        units: unit_rows,
        roles,
        access_roles: AccessRole::ALL
            .into_iter()
            .filter(|r| *r != AccessRole::NetworkAdmin || acting.permits(Action::AdministerNetwork))
            .map(|r| RoleOption {
                value: r.as_str(),
                label: t.get(&format!("role-{}", r.as_str())),
            })
            .collect(),
        scopes: Scope::ALL.iter().map(|s| s.as_str()).collect(),
    };
    shell.render(status, &view)
}

/// The tenant the page is about: `?tenant=slug` for network admins, one's own otherwise.
pub(super) async fn tenant_of(
    state: &AppState,
    page: &PersonPage,
    slug: Option<&str>,
) -> Result<(Tenant, TenantScope), Response> {
    if !super::Area::Admin.open_to(&page.caller) {
        return Err(page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden"));
    }
    let slug = slug
        .filter(|s| !s.is_empty())
        .unwrap_or(&page.caller.tenant.slug);
    ops::enter_tenant(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        slug,
    )
    .await
    .map_err(|e| error_response(&page.shell, &e.into()))
}

#[derive(Deserialize, Default)]
pub struct PageParams {
    #[serde(default)]
    tenant: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let params: PageParams = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let (tenant, scope) = match tenant_of(&state, &page, params.tenant.as_deref()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let outcome = Outcome {
        notice: params.saved.map(|_| page.shell.t.get("admin-saved")),
        ..Outcome::default()
    };
    render(&state, &page, tenant, scope, StatusCode::OK, outcome).await
}

/// After a change: back to the page (so reloading does not repeat it), or the page again with the
/// reason the change was refused.
async fn after(
    state: &AppState,
    page: &PersonPage,
    tenant: Tenant,
    scope: TenantScope,
    result: Result<(), AppError>,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/admin?tenant={}&saved=1", tenant.slug)).into_response(),
        Err(AppError::Invalid(invalid)) => {
            let message = page
                .shell
                .t
                .with("admin-invalid", "detail", &invalid.to_string());
            render(
                state,
                page,
                tenant,
                scope,
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome {
                    error: Some(message),
                    ..Outcome::default()
                },
            )
            .await
        }
        Err(AppError::Store(mycel_store::StoreError::Conflict(detail))) => {
            let message = page.shell.t.with("admin-invalid", "detail", &detail);
            render(
                state,
                page,
                tenant,
                scope,
                StatusCode::CONFLICT,
                Outcome {
                    error: Some(message),
                    ..Outcome::default()
                },
            )
            .await
        }
        Err(other) => error_response(&page.shell, &ApiError::from(other)),
    }
}

#[derive(Deserialize)]
pub struct TenantForm {
    slug: String,
    name: String,
}

pub async fn create_tenant(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(form): CheckedForm<TenantForm>,
) -> Response {
    let (own, scope) = match tenant_of(&state, &page, None).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let result = ops::create_tenant(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        &form.slug,
        &form.name,
    )
    .await;
    match result {
        Ok(created) => {
            Redirect::to(&format!("/admin?tenant={}&saved=1", created.slug)).into_response()
        }
        Err(error) => after(&state, &page, own, scope, Err(error)).await,
    }
}

fn optional_id(value: &str, field: &'static str) -> Result<Option<Uuid>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(value)
        .map(Some)
        .map_err(|_| mycel_organisation::ValidationError::new(field, "is not a valid id").into())
}

#[derive(Deserialize)]
pub struct OrgUnitForm {
    #[serde(default)]
    tenant: String,
    name: String,
    #[serde(default)]
    parent_id: String,
}

pub async fn create_org_unit(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(form): CheckedForm<OrgUnitForm>,
) -> Response {
    let (tenant, scope) = match tenant_of(&state, &page, Some(&form.tenant)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let acting = Acting::Principal(&page.caller.principal);
    let result = async {
        let parent = optional_id(&form.parent_id, "parent_id")?;
        ops::create_org_unit(
            &*state.store,
            acting,
            scope,
            &form.name,
            parent.map(Into::into),
        )
        .await
    }
    .await
    .map(|_| ());
    after(&state, &page, tenant, scope, result).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    tenant: String,
    name: String,
    #[serde(default)]
    description: String,
}

pub async fn create_role(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(form): CheckedForm<RoleForm>,
) -> Response {
    let (tenant, scope) = match tenant_of(&state, &page, Some(&form.tenant)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let result = ops::create_role(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        scope,
        &form.name,
        Some(&form.description),
    )
    .await
    .map(|_| ());
    after(&state, &page, tenant, scope, result).await
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    tenant: String,
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    org_unit_id: String,
    #[serde(default)]
    access: String,
    #[serde(default)]
    password: String,
}

pub async fn create_person(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(form): CheckedForm<PersonForm>,
) -> Response {
    let (tenant, scope) = match tenant_of(&state, &page, Some(&form.tenant)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let acting = Acting::Principal(&page.caller.principal);
    let result = async {
        let role = if form.access.is_empty() {
            AccessRole::Learner
        } else {
            ops::parse_access_role(&form.access)?
        };
        let input = ops::PersonInput {
            display_name: form.display_name,
            email: Some(form.email).filter(|e| !e.trim().is_empty()),
            org_unit_id: optional_id(&form.org_unit_id, "org_unit_id")?.map(Into::into),
            manager_id: None,
            locale: None,
            password: Some(form.password).filter(|p| !p.is_empty()),
            access: (role != AccessRole::Learner).then_some(AccessGrant::tenant_wide(role)),
        };
        ops::create_person(&*state.store, acting, scope, input).await
    }
    .await
    .map(|_| ());
    after(&state, &page, tenant, scope, result).await
}

/// The form has one `scope` field per ticked box, so it is read as pairs.
pub async fn create_credential(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (tenant, scope) = match tenant_of(&state, &page, Some(&field("tenant"))).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let scopes: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "scope")
        .map(|(_, v)| v.as_str())
        .collect();
    let acting = Acting::Principal(&page.caller.principal);
    let result = async {
        let scopes = ops::parse_scopes(&scopes)?;
        ops::create_credential(&*state.store, acting, scope, &field("label"), &scopes).await
    }
    .await;
    match result {
        Ok(issued) => {
            let outcome = Outcome {
                notice: Some(page.shell.t.get("admin-saved")),
                issued: Some(Issued {
                    key: issued.key,
                    secret: issued.secret,
                }),
                ..Outcome::default()
            };
            render(&state, &page, tenant, scope, StatusCode::CREATED, outcome).await
        }
        Err(error) => after(&state, &page, tenant, scope, Err(error)).await,
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    tenant: String,
}

pub async fn revoke_credential(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<RevokeForm>,
) -> Response {
    let (tenant, scope) = match tenant_of(&state, &page, Some(&form.tenant)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let result = ops::revoke_credential(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        scope,
        id.into(),
    )
    .await
    .map(|_| ());
    after(&state, &page, tenant, scope, result).await
}
