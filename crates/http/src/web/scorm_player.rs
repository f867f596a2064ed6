//! The SCORM player: the page that plays a SCORM opportunity (table of contents, the SCO in an
//! iframe, scorm-again's API set up from the attempt's saved data), the SCO files of an attempt
//! (same origin as the page, for the attempt's owner only — see docs/scorm.md for why), the
//! commit endpoint the page posts run-time data to, and scorm-again itself, embedded at build
//! time.

use super::{error_response, PersonPage, Shell};
use crate::auth::csrf;
use crate::{ApiError, AppState};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mycel_app::scorm::Player;
use mycel_app::{Acting, AppError};
use mycel_organisation::OpportunityId;
use mycel_scorm::ScormVersion;
use serde_json::{json, Value};
use uuid::Uuid;

const SCORM12_JS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/scorm12.min.js"));
const SCORM2004_JS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/scorm2004.min.js"));
const PLAYER_JS: &str = include_str!("../../static/scorm-player.js");

#[derive(Template)]
#[template(path = "scorm_player.html")]
struct PlayerPage<'a> {
    shell: &'a Shell,
    title: String,
    attempt_id: Uuid,
    attempt_text: String,
    opportunity_id: OpportunityId,
    units: Vec<UnitRow>,
    api_file: String,
    data_json: String,
}

struct UnitRow {
    title: String,
    sco: bool,
    status: String,
    status_text: String,
}

/// The text of a SCO's or attempt's status.
fn status_text(shell: &Shell, status: &str) -> String {
    shell
        .t
        .get(&format!("scorm-status-{}", status.replace(' ', "-")))
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /learn/opportunities/{id}/scorm`.
pub async fn player(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.trim().parse::<OpportunityId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let launched = mycel_app::scorm::launch(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
    )
    .await;
    match launched {
        Ok(player) => render(&page.shell, &player),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

fn render(shell: &Shell, player: &Player) -> Response {
    let attempt = &player.attempt;
    let base = format!("/learn/scorm/attempts/{}", attempt.id);
    let units: Vec<Value> = player
        .units
        .iter()
        .map(|u| {
            json!({
                "id": u.id,
                "sco": u.sco,
                "launch_url": format!("{base}/content/{}", u.launch),
                "commit_url": format!("{base}/scos/{}/commit", percent(&u.id)),
                "cmi": u.cmi,
            })
        })
        .collect();
    // Start with the first SCO not done yet.
    let start = player
        .units
        .iter()
        .position(|u| u.sco && !matches!(u.status.as_str(), "completed" | "passed" | "failed"))
        .unwrap_or(0);
    let data = json!({
        "version": match player.version { ScormVersion::V12 => "1.2", ScormVersion::V2004 => "2004" },
        "csrf": shell.csrf,
        "start": start,
        "units": units,
        "texts": {"commit_failed": shell.t.get("scorm-commit-failed")},
    });
    // Inside a script element: no `<` may end it early (JSON allows `\u003c` anywhere a `<` is).
    let data_json = data.to_string().replace('<', "\\u003c");
    let title = player
        .opportunity
        .draft
        .title
        .get(shell.t.code())
        .to_owned();
    let number = attempt.number.to_string();
    let page = PlayerPage {
        shell,
        title,
        attempt_id: attempt.id,
        attempt_text: shell.t.with(
            if player.new_attempt {
                "scorm-attempt-new"
            } else {
                "scorm-attempt-resumed"
            },
            "number",
            &number,
        ),
        opportunity_id: player.opportunity.id,
        units: player
            .units
            .iter()
            .map(|u| UnitRow {
                title: if u.title.trim().is_empty() {
                    u.id.clone()
                } else {
                    u.title.clone()
                },
                sco: u.sco,
                status: u.status.clone(),
                status_text: status_text(shell, &u.status),
            })
            .collect(),
        api_file: format!(
            "/static/scorm-again/{SCORM_AGAIN_VERSION}/{}",
            match player.version {
                ScormVersion::V12 => "scorm12.min.js",
                ScormVersion::V2004 => "scorm2004.min.js",
            }
        ),
        data_json,
    };
    let mut response = shell.render(StatusCode::OK, &page);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /learn/scorm/attempts/{attempt}/content/{*path}`: a package file for the SCO of an
/// attempt, served in Mycel's origin (no sandbox) so that the SCO reaches the player's API.
pub async fn content(
    State(state): State<AppState>,
    page: PersonPage,
    Path((attempt, path)): Path<(String, String)>,
) -> Response {
    let not_found = || {
        page.shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found")
    };
    let Ok(attempt) = attempt.trim().parse::<Uuid>() else {
        return not_found();
    };
    let found = mycel_app::scorm::attempt_file(
        &*state.store,
        &state.catalogue,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        attempt,
        &path,
    )
    .await;
    let (file_path, content_type) = match found {
        Ok(found) => found,
        Err(AppError::NotFound(_) | AppError::Invalid(_)) => return not_found(),
        Err(error) => return error_response(&page.shell, &error.into()),
    };
    // Only Mycel's own player may frame the SCO (no sandbox: it must reach the player's API).
    match super::package_content::send_package_file(
        &file_path,
        content_type,
        "frame-ancestors 'self'",
    )
    .await
    {
        Ok(response) => response,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => not_found(),
        Err(error) => error_response(&page.shell, &ApiError::internal(error)),
    }
}

/// A commit's answer in the shape scorm-again reads (`result`, `errorCode`), with the error
/// body of the rest of Mycel beside it.
fn refused(error: ApiError) -> Response {
    let status = error.status;
    let mut body = serde_json::to_value(error.body()).unwrap_or_else(|_| json!({}));
    body["result"] = json!("false");
    body["errorCode"] = json!(101);
    (status, axum::Json(body)).into_response()
}

/// `POST /learn/scorm/attempts/{attempt}/scos/{sco}/commit`: the SCO's run-time data as JSON,
/// with the page's CSRF token in `X-CSRF-Token`.
pub async fn commit(
    State(state): State<AppState>,
    page: PersonPage,
    Path((attempt, sco)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !csrf::header_token_matches(&headers) {
        return refused(ApiError::new(
            StatusCode::FORBIDDEN,
            "forgery",
            "the request did not come from Mycel's player page; reload the page",
        ));
    }
    let Ok(attempt) = attempt.trim().parse::<Uuid>() else {
        return refused(ApiError::not_found("attempt"));
    };
    let data: Value = match serde_json::from_slice(&body) {
        Ok(data) => data,
        Err(error) => {
            return refused(ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the commit is not JSON: {error}"),
            ))
        }
    };
    let outcome = mycel_app::scorm::commit(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        &state.statement_signal,
        &state.config.home_page(),
        attempt,
        &sco,
        &data,
    )
    .await;
    match outcome {
        Ok(outcome) => {
            let status = outcome.sco_status.clone();
            let attempt_status = outcome.attempt.status.clone();
            axum::Json(json!({
                "result": "true",
                "errorCode": 0,
                "status": status,
                "status_text": status_text(&page.shell, &status),
                "attempt_status": attempt_status,
                "attempt_status_text": page.shell.t.get(&format!("scorm-attempt-done-{attempt_status}")),
                "attempt_finished": outcome.attempt.finished_at.is_some(),
                "events": outcome.events.iter().map(|e| e.verb()).collect::<Vec<_>>(),
                "statements": outcome.statements,
            }))
            .into_response()
        }
        Err(error) => refused(error.into()),
    }
}

fn script(bytes: &'static [u8], cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
        ],
        bytes,
    )
        .into_response()
}

/// The pinned scorm-again version: part of its files' URLs, so they are cached for good.
pub const SCORM_AGAIN_VERSION: &str = env!("SCORM_AGAIN_VERSION");
const FOREVER: &str = "public, max-age=31536000, immutable";

/// `GET /static/scorm-again/{version}/scorm12.min.js`.
pub async fn scorm12_js() -> Response {
    script(SCORM12_JS, FOREVER)
}

/// `GET /static/scorm-again/{version}/scorm2004.min.js`.
pub async fn scorm2004_js() -> Response {
    script(SCORM2004_JS, FOREVER)
}

/// `GET /static/scorm-player.js` (changes with Mycel, cached like the stylesheet).
pub async fn player_js() -> Response {
    script(PLAYER_JS.as_bytes(), "public, max-age=3600")
}
