//! The Statement resource: PUT, POST (single and batch, JSON or multipart with attachments), GET by
//! id, by voided id, or by filters with `more` paging, in the `exact`, `ids` or `canonical` format.

use super::multipart;
use super::{json_response, XapiError, XapiRequest, XapiResult};
use crate::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use mycel_app::lrs::{self, AttachmentPart, LrsClient, StatementFilter};
use mycel_store::lrs::StoredStatement;
use mycel_xapi::{
    parse_accept_language, parse_agent_param, parse_timestamp, parse_uuid, StatementFormat,
};
use serde_json::{json, Value};
use uuid::Uuid;

const FILTER_PARAMS: [&str; 14] = [
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "statementId",
    "voidedStatementId",
];

/// The statements and attachment parts of a PUT or POST body.
fn read_body(request: &XapiRequest) -> Result<(Value, Vec<AttachmentPart>), XapiError> {
    let content_type = request.content_type();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "application/json" => {
            let value = serde_json::from_slice(&request.body)
                .map_err(|e| XapiError::bad_request(format!("the body is not valid JSON: {e}")))?;
            Ok((value, Vec::new()))
        }
        "multipart/mixed" => multipart::parse_statement_parts(content_type, &request.body),
        "" => Err(XapiError::bad_request(
            "send statements with Content-Type: application/json or multipart/mixed",
        )),
        other => Err(XapiError::bad_request(format!(
            "statements are sent as application/json or multipart/mixed, not {other}"
        ))),
    }
}

pub async fn put(state: &AppState, client: &LrsClient, request: &XapiRequest) -> XapiResult {
    request.only_params(&["statementId"])?;
    let id = request
        .param("statementId")
        .ok_or_else(|| XapiError::bad_request("PUT statements needs the statementId parameter"))?;
    let id = parse_uuid(id).map_err(|e| XapiError::bad_request(format!("statementId: {e}")))?;
    let (body, parts) = read_body(request)?;
    if !body.is_object() {
        return Err(XapiError::bad_request(
            "PUT statements takes one statement (a JSON object)",
        ));
    }
    let (home, base) = (
        state.config.home_page(),
        state.config.base_url(&request.headers),
    );
    mycel_app::cmi5::store_au_statements(
        &state.cmi5(&home, &base),
        client,
        request.version,
        vec![body],
        Some(id),
        parts,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn post(state: &AppState, client: &LrsClient, request: &XapiRequest) -> XapiResult {
    request.only_params(&[])?;
    let (body, parts) = read_body(request)?;
    let statements = match body {
        Value::Array(list) => list,
        object @ Value::Object(_) => vec![object],
        _ => {
            return Err(XapiError::bad_request(
                "POST statements takes a statement or an array of statements",
            ))
        }
    };
    let (home, base) = (
        state.config.home_page(),
        state.config.base_url(&request.headers),
    );
    let ids = mycel_app::cmi5::store_au_statements(
        &state.cmi5(&home, &base),
        client,
        request.version,
        statements,
        None,
        parts,
    )
    .await?;
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    Ok(json_response(StatusCode::OK, &json!(ids)))
}

fn stored_json(statement: &StoredStatement) -> Result<Value, XapiError> {
    serde_json::from_str(&statement.json).map_err(|e| crate::ApiError::internal(e).into())
}

pub async fn get(state: &AppState, client: &LrsClient, request: &XapiRequest) -> XapiResult {
    request.only_params(&[&FILTER_PARAMS[..], &["more"]].concat())?;
    let format = match request.param("format") {
        None => StatementFormat::Exact,
        Some(value) => StatementFormat::from_param(value).ok_or_else(|| {
            XapiError::bad_request(format!(
                "format must be exact, ids or canonical, not {value:?}"
            ))
        })?,
    };
    let languages = request
        .header("accept-language")
        .map(parse_accept_language)
        .unwrap_or_default();
    let with_attachments = request.bool_param("attachments")?;

    let single = match (
        request.param("statementId"),
        request.param("voidedStatementId"),
    ) {
        (Some(_), Some(_)) => {
            return Err(XapiError::bad_request(
                "give statementId or voidedStatementId, not both",
            ))
        }
        (Some(id), None) => Some((id, false)),
        (None, Some(id)) => Some((id, true)),
        (None, None) => None,
    };
    if let Some((id, voided)) = single {
        if let Some(other) = request.params.keys().find(|k| {
            !["statementId", "voidedStatementId", "format", "attachments"].contains(&k.as_str())
        }) {
            return Err(XapiError::bad_request(format!(
                "with statementId or voidedStatementId only format and attachments may be given, not {other}"
            )));
        }
        let id = parse_uuid(id).map_err(|e| XapiError::bad_request(e.to_string()))?;
        let statement = lrs::statement(&*state.store, client, id, voided).await?;
        let body = format.apply(&stored_json(&statement)?, &languages);
        let last_modified = statement
            .stored
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let mut response = respond(state, client, body, &[statement], with_attachments).await?;
        if let Ok(value) = HeaderValue::from_str(&last_modified) {
            response.headers_mut().insert(header::LAST_MODIFIED, value);
        }
        return Ok(response);
    }

    let page = match request.param("more") {
        Some(token) => {
            if request.params.len() > 1 {
                return Err(XapiError::bad_request(
                    "a more link is followed as it is, without other parameters",
                ));
            }
            lrs::more_statements(&*state.store, client, token).await?
        }
        None => lrs::find_statements(&*state.store, client, filter(request)?).await?,
    };
    let statements: Vec<Value> = page
        .statements
        .iter()
        .map(|s| stored_json(s).map(|v| format.apply(&v, &languages)))
        .collect::<Result<_, _>>()?;
    let more = page
        .more
        .map(|token| format!("/xapi/statements?more={token}"))
        .unwrap_or_default();
    let body = json!({"statements": statements, "more": more});
    respond(state, client, body, &page.statements, with_attachments).await
}

/// JSON, or multipart/mixed with the attachments when they were asked for.
async fn respond(
    state: &AppState,
    client: &LrsClient,
    body: Value,
    statements: &[StoredStatement],
    with_attachments: bool,
) -> XapiResult {
    if !with_attachments {
        return Ok(json_response(StatusCode::OK, &body));
    }
    let hashes: Vec<String> = statements
        .iter()
        .flat_map(|s| s.attachment_hashes.iter().cloned())
        .collect();
    let parts = lrs::attachments(&*state.store, client, &hashes).await?;
    Ok(multipart::statement_response(&body, &parts))
}

fn filter(request: &XapiRequest) -> Result<StatementFilter, XapiError> {
    let agent = request
        .param("agent")
        .map(|a| parse_agent_param(a).map(|k| k.canonical()))
        .transpose()
        .map_err(|e| XapiError::bad_request(format!("agent: {e}")))?;
    let iri = |name: &str| -> Result<Option<String>, XapiError> {
        match request.param(name) {
            Some(v) if mycel_xapi::datatypes::is_iri(v) => Ok(Some(v.to_owned())),
            Some(v) => Err(XapiError::bad_request(format!(
                "{name} must be an IRI, not {v:?}"
            ))),
            None => Ok(None),
        }
    };
    let time = |name: &str| {
        request
            .param(name)
            .map(|t| parse_timestamp(t, request.version).map(|t| t.with_timezone(&chrono::Utc)))
            .transpose()
            .map_err(|e| XapiError::bad_request(format!("{name}: {e}")))
    };
    let limit = match request.param("limit") {
        None => 0,
        Some(v) => v.parse::<u32>().map_err(|_| {
            XapiError::bad_request(format!("limit must be a whole number, not {v:?}"))
        })?,
    };
    Ok(StatementFilter {
        agent,
        verb: iri("verb")?,
        activity: iri("activity")?,
        registration: request
            .param("registration")
            .map(parse_uuid)
            .transpose()
            .map_err(|e| XapiError::bad_request(format!("registration: {e}")))?,
        related_activities: request.bool_param("related_activities")?,
        related_agents: request.bool_param("related_agents")?,
        since: time("since")?,
        until: time("until")?,
        limit,
        ascending: request.bool_param("ascending")?,
    })
}
