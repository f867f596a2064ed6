//! The administration of a member company's competency frameworks: the frameworks it sees (ESCO for
//! the whole network, its own), and the upload of its own framework as CSV or of a CASE package.
//! An upload is one transaction: a file with errors imports nothing and lists every error with
//! line and column; CASE deviations that could be understood are listed as notes.

use super::{error_response, Area, PersonPage, Shell};
use crate::auth::csrf::CheckedUpload;
use crate::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use mycel_app::competencies as comp;
use mycel_app::{Acting, AppError};
use mycel_framework_import as read;
use mycel_organisation::Action;
use serde::Deserialize;

#[derive(Deserialize, Default)]
struct Params {
    #[serde(default)]
    tenant: String,
}

struct FrameworkRow {
    title: String,
    kind: String,
    version: String,
    imported: String,
    shared: bool,
    link: String,
}

#[derive(Template)]
#[template(path = "admin_frameworks.html")]
struct FrameworksPage<'a> {
    shell: &'a Shell,
    tenant_slug: String,
    heading: String,
    rows: Vec<FrameworkRow>,
    may_upload: bool,
    /// What the last upload did, or why it was refused.
    outcome: Option<String>,
    errors: Vec<String>,
    notes: Vec<String>,
    /// The administration page is open to the caller (the back link).
    admin: bool,
}

/// The member company the page is about, if the caller manages frameworks (L&D and company
/// admins) or administers (network admins visiting another company).
async fn tenant_of(
    state: &AppState,
    page: &PersonPage,
    slug: Option<&str>,
) -> Result<(mycel_organisation::Tenant, mycel_store::TenantScope), Response> {
    let principal = &page.caller.principal;
    if !principal.permits(Action::ManageFrameworks) && !Area::Admin.open_to(&page.caller) {
        return Err(page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden"));
    }
    let slug = slug
        .filter(|s| !s.is_empty())
        .unwrap_or(&page.caller.tenant.slug);
    mycel_app::organisation::enter_tenant(&*state.store, Acting::Principal(principal), slug)
        .await
        .map_err(|e| error_response(&page.shell, &e.into()))
}

async fn render(
    state: &AppState,
    page: &PersonPage,
    slug: &str,
    status: StatusCode,
    outcome: Option<String>,
    errors: Vec<String>,
    notes: Vec<String>,
) -> Response {
    let (tenant, scope) = match tenant_of(state, page, Some(slug)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let shell = &page.shell;
    let frameworks = match comp::frameworks(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        scope,
    )
    .await
    {
        Ok(frameworks) => frameworks,
        Err(error) => return error_response(shell, &error.into()),
    };
    let german = shell.t.code() == "de";
    let rows = frameworks
        .into_iter()
        .map(|f| FrameworkRow {
            title: if german { f.title_de } else { f.title_en },
            kind: shell.t.get(match f.kind {
                mycel_competency::FrameworkKind::Esco => "frameworks-kind-esco",
                mycel_competency::FrameworkKind::Case => "frameworks-kind-case",
                mycel_competency::FrameworkKind::Own => "frameworks-kind-own",
            }),
            version: f.version,
            imported: f.imported_at.format("%Y-%m-%d %H:%M").to_string(),
            shared: f.tenant_id.is_none(),
            link: format!("/skills/frameworks?framework={}", f.id),
        })
        .collect();
    let view = FrameworksPage {
        shell,
        tenant_slug: tenant.slug.clone(),
        heading: shell.t.with("frameworks-heading", "name", &tenant.name),
        rows,
        may_upload: page.caller.principal.permits(Action::ManageFrameworks),
        outcome,
        errors,
        notes,
        admin: Area::Admin.open_to(&page.caller),
    };
    shell.render(status, &view)
}

pub async fn page(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let params: Params = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    render(
        &state,
        &page,
        &params.tenant,
        StatusCode::OK,
        None,
        vec![],
        vec![],
    )
    .await
}

/// Reads the uploaded file as the chosen format.
fn read_upload(
    upload: &CheckedUpload,
) -> Result<(read::FrameworkImport, Vec<String>), Vec<String>> {
    let Some((file_name, content)) = upload.file("file").filter(|(_, c)| !c.is_empty()) else {
        return Err(vec!["file: choose a file to upload".into()]);
    };
    let file_name = if file_name.is_empty() {
        "upload"
    } else {
        file_name
    };
    let listed = |errors: read::ImportErrors| -> Vec<String> {
        errors.to_string().lines().map(str::to_owned).collect()
    };
    match upload.field("format") {
        "case" => read::read_case(content, file_name)
            .map(|(import, deviations)| {
                (import, deviations.iter().map(ToString::to_string).collect())
            })
            .map_err(listed),
        _ => {
            let code = upload.field("code").trim();
            if code.is_empty() {
                return Err(vec!["code: name the framework with a short code".into()]);
            }
            if mycel_organisation::validate::slug("code", code).is_err() {
                return Err(vec![
                    "code: use lower-case letters, digits and hyphens (for example kasse)".into(),
                ]);
            }
            let title = match upload.field("title").trim() {
                "" => code,
                title => title,
            };
            read::read_competency_csv(content, file_name, code, title)
                .map(|import| (import, Vec::new()))
                .map_err(listed)
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    page: PersonPage,
    upload: CheckedUpload,
) -> Response {
    let slug = upload.field("tenant").to_owned();
    let (_, scope) = match tenant_of(&state, &page, Some(&slug)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (import, notes) = match read_upload(&upload) {
        Ok(read) => read,
        Err(errors) => {
            let outcome = page.shell.t.get("frameworks-refused");
            return render(
                &state,
                &page,
                &slug,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(outcome),
                errors,
                vec![],
            )
            .await;
        }
    };
    let result = comp::import_framework(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        Some(scope),
        &import,
        &|_| {},
    )
    .await;
    match result {
        Ok(summary) => {
            let outcome = page.shell.t.with_all(
                "frameworks-imported",
                &[
                    ("added", &summary.competencies_added.to_string()),
                    ("updated", &summary.competencies_updated.to_string()),
                    ("obsolete", &summary.competencies_obsolete.to_string()),
                ],
            );
            let mut notes = notes;
            notes.extend(summary.unresolved_links.iter().map(|link| {
                page.shell
                    .t
                    .with("frameworks-unresolved-link", "link", link)
            }));
            render(
                &state,
                &page,
                &slug,
                StatusCode::OK,
                Some(outcome),
                vec![],
                notes,
            )
            .await
        }
        Err(AppError::Store(mycel_store::StoreError::InvalidReference(reason))) => {
            let outcome = page.shell.t.get("frameworks-refused");
            render(
                &state,
                &page,
                &slug,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(outcome),
                vec![reason],
                notes,
            )
            .await
        }
        Err(error) => error_response(&page.shell, &error.into()),
    }
}
