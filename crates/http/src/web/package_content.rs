//! The files of uploaded e-learning packages, for the people of the company that uploaded them
//! (the browser loads the launch file and everything it refers to from here). Files are streamed
//! from the content directory with their content type and `nosniff`; what is not a file of the
//! package is not found.

use super::{error_response, PersonPage};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mycel_app::{Acting, AppError};
use mycel_organisation::PackageId;
use tokio::io::AsyncReadExt;

/// How much of a file is read at a time.
const CHUNK: usize = 64 * 1024;

/// `GET /content/{package_id}/{*path}`.
pub async fn file(
    State(state): State<AppState>,
    page: PersonPage,
    Path((package, path)): Path<(String, String)>,
) -> Response {
    let not_found = || {
        page.shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found")
    };
    let Ok(package) = package.trim().parse::<PackageId>() else {
        return not_found();
    };
    let found = mycel_app::packages::package_file(
        &*state.store,
        &state.catalogue,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        package,
        &path,
    )
    .await;
    let (file_path, content_type) = match found {
        Ok(found) => found,
        // A path that is no file of the package reads as any other missing file.
        Err(AppError::NotFound(_) | AppError::Invalid(_)) => return not_found(),
        Err(error) => return error_response(&page.shell, &error.into()),
    };
    match send_package_file(&file_path, content_type, SANDBOX).await {
        Ok(response) => response,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => not_found(),
        Err(error) => error_response(&page.shell, &crate::ApiError::internal(error)),
    }
}

/// Package files are written by whoever uploaded the package, and they are served from Mycel's
/// own origin: without a sandbox, a package's script could use the viewer's session (read a
/// form's CSRF token, create credentials). The sandbox gives the content an opaque origin:
/// scripts run, but neither cookies nor same-origin requests reach Mycel.
pub(crate) const SANDBOX: &str = "sandbox allow-scripts allow-forms allow-popups allow-modals";

/// Streams a file of a package with its content type, `nosniff`, a short private cache and the
/// given content security policy (normally [`SANDBOX`]).
pub(crate) async fn send_package_file(
    file_path: &std::path::Path,
    content_type: &'static str,
    policy: &'static str,
) -> std::io::Result<Response> {
    let file = tokio::fs::File::open(file_path).await?;
    let length = file.metadata().await.ok().map(|m| m.len());
    let stream = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0u8; CHUNK];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                Some((Ok(bytes::Bytes::from(buffer)), Some(file)))
            }
            Err(error) => Some((Err(error), None)),
        }
    });
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    if let Some(length) = length {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Ok(response)
}
