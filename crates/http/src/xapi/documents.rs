//! The document resources (State, Activity Profile, Agent Profile) with their concurrency rules, and
//! the Activities, Agents and About resources.

use super::{json_response, XapiError, XapiRequest, XapiResult};
use crate::AppState;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use mycel_app::lrs::{self, DocumentUpload, LrsClient, PreconditionRule, Preconditions};
use mycel_store::lrs::{DocumentKey, DocumentSet};
use mycel_xapi::{parse_agent_param, parse_timestamp, parse_uuid, XapiVersion};
use serde_json::{json, Value};

/// GET /xapi/about: the versions this LRS speaks.
pub fn about() -> Response {
    json_response(
        StatusCode::OK,
        &json!({"version": ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"], "extensions": {}}),
    )
}

fn required<'a>(request: &'a XapiRequest, name: &str) -> Result<&'a str, XapiError> {
    request
        .param(name)
        .ok_or_else(|| XapiError::bad_request(format!("the {name} parameter is required")))
}

fn activity_id(request: &XapiRequest) -> Result<String, XapiError> {
    let id = required(request, "activityId")?;
    if mycel_xapi::datatypes::is_iri(id) {
        Ok(id.to_owned())
    } else {
        Err(XapiError::bad_request(format!(
            "activityId must be an IRI, not {id:?}"
        )))
    }
}

fn agent_key(request: &XapiRequest) -> Result<String, XapiError> {
    parse_agent_param(required(request, "agent")?)
        .map(|k| k.canonical())
        .map_err(|e| XapiError::bad_request(format!("agent: {e}")))
}

fn since(request: &XapiRequest) -> Result<Option<chrono::DateTime<chrono::Utc>>, XapiError> {
    request
        .param("since")
        .map(|t| parse_timestamp(t, request.version).map(|t| t.with_timezone(&chrono::Utc)))
        .transpose()
        .map_err(|e| XapiError::bad_request(format!("since: {e}")))
}

fn preconditions(request: &XapiRequest) -> Preconditions {
    Preconditions {
        if_match: request.header("if-match").map(str::to_owned),
        if_none_match_any: request
            .header("if-none-match")
            .is_some_and(|v| v.trim() == "*"),
    }
}

/// What a request addresses: one document, or a set of them.
enum Target {
    One(DocumentKey),
    Many(DocumentSet),
}

fn target(request: &XapiRequest) -> Result<Target, XapiError> {
    match request.resource.as_str() {
        "activities/state" => {
            let params = if request.method == Method::GET || request.method == Method::HEAD {
                &["activityId", "agent", "registration", "stateId", "since"][..]
            } else {
                &["activityId", "agent", "registration", "stateId"][..]
            };
            request.only_params(params)?;
            let activity_id = activity_id(request)?;
            let agent = agent_key(request)?;
            let registration = request
                .param("registration")
                .map(parse_uuid)
                .transpose()
                .map_err(|e| XapiError::bad_request(format!("registration: {e}")))?;
            Ok(match request.param("stateId") {
                Some(state_id) => {
                    if request.params.contains_key("since") {
                        return Err(XapiError::bad_request(
                            "since applies to lists of states, not to one stateId",
                        ));
                    }
                    Target::One(DocumentKey::State {
                        activity_id,
                        agent,
                        registration,
                        state_id: state_id.to_owned(),
                    })
                }
                None => Target::Many(DocumentSet::States {
                    activity_id,
                    agent,
                    registration,
                }),
            })
        }
        "activities/profile" => {
            request.only_params(&["activityId", "profileId", "since"])?;
            let activity_id = activity_id(request)?;
            Ok(match request.param("profileId") {
                Some(profile_id) => Target::One(DocumentKey::ActivityProfile {
                    activity_id,
                    profile_id: profile_id.to_owned(),
                }),
                None => Target::Many(DocumentSet::ActivityProfiles { activity_id }),
            })
        }
        _ => {
            request.only_params(&["agent", "profileId", "since"])?;
            let agent = agent_key(request)?;
            Ok(match request.param("profileId") {
                Some(profile_id) => Target::One(DocumentKey::AgentProfile {
                    agent,
                    profile_id: profile_id.to_owned(),
                }),
                None => Target::Many(DocumentSet::AgentProfiles { agent }),
            })
        }
    }
}

pub async fn document_resource(
    state: &AppState,
    client: &LrsClient,
    request: &XapiRequest,
) -> XapiResult {
    let store = &*state.store;
    let target = target(request)?;
    if client.cmi5_session.is_some() {
        check_au_request(state, client, request, &target).await?;
    }
    match (&request.method, target) {
        (&Method::GET | &Method::HEAD, Target::One(key)) => {
            let document = lrs::document(store, client, &key).await?;
            let last_modified = document
                .updated
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string();
            let mut response = (StatusCode::OK, document.content).into_response();
            let headers = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&document.content_type) {
                headers.insert(header::CONTENT_TYPE, v);
            }
            if let Ok(v) = HeaderValue::from_str(&document.etag) {
                headers.insert(header::ETAG, v);
            }
            if let Ok(v) = HeaderValue::from_str(&last_modified) {
                headers.insert(header::LAST_MODIFIED, v);
            }
            Ok(response)
        }
        (&Method::GET | &Method::HEAD, Target::Many(set)) => {
            let ids = lrs::document_ids(store, client, &set, since(request)?).await?;
            Ok(json_response(StatusCode::OK, &json!(ids)))
        }
        (&Method::PUT | &Method::POST, Target::One(key)) => {
            let content_type = request
                .header("content-type")
                .unwrap_or("application/octet-stream")
                .to_owned();
            let rule = match (&key, request.version) {
                (_, XapiVersion::V2_0) => PreconditionRule::WhenExisting,
                (DocumentKey::State { .. }, XapiVersion::V1_0_3) => PreconditionRule::Optional,
                (_, XapiVersion::V1_0_3) => PreconditionRule::Always,
            };
            let upload = DocumentUpload {
                content_type,
                content: request.body.to_vec(),
                merge: request.method == Method::POST,
            };
            lrs::write_document(store, client, &key, upload, &preconditions(request), rule).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        (&Method::PUT | &Method::POST, Target::Many(_)) => {
            Err(XapiError::bad_request(match request.resource.as_str() {
                "activities/state" => "PUT and POST need a stateId",
                _ => "PUT and POST need a profileId",
            }))
        }
        (&Method::DELETE, Target::One(key)) => {
            lrs::delete_document(store, client, &key, &preconditions(request)).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        (&Method::DELETE, Target::Many(set @ DocumentSet::States { .. })) => {
            lrs::delete_documents(store, client, &set).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        (&Method::DELETE, Target::Many(_)) => {
            Err(XapiError::bad_request("DELETE needs a profileId"))
        }
        (method, _) => Err(super::method_not_allowed(method, &request.resource)),
    }
}

/// What cmi5 says about an AU's document requests (its auth-token's): see
/// [`mycel_app::cmi5::check_au_document`].
async fn check_au_request(
    state: &AppState,
    client: &LrsClient,
    request: &XapiRequest,
    target: &Target,
) -> Result<(), XapiError> {
    use mycel_app::cmi5::AuDocumentRequest as R;
    let agent: Value = request
        .param("agent")
        .and_then(|a| serde_json::from_str(a).ok())
        .unwrap_or(Value::Null);
    let check = match (&request.method, target) {
        (
            &Method::PUT | &Method::POST | &Method::DELETE,
            Target::One(DocumentKey::State { state_id, .. }),
        ) => R::WriteState { state_id },
        (&Method::DELETE, Target::Many(DocumentSet::States { .. })) => R::DeleteStates,
        (
            &Method::GET | &Method::HEAD,
            Target::One(DocumentKey::AgentProfile { profile_id, .. }),
        ) => R::ReadAgentProfile { profile_id },
        (
            &Method::PUT | &Method::POST,
            Target::One(DocumentKey::AgentProfile { profile_id, .. }),
        ) => R::WriteAgentProfile {
            profile_id,
            agent: &agent,
            content_type: request.header("content-type").unwrap_or(""),
            body: &request.body,
        },
        _ => return Ok(()),
    };
    let (home, base) = (
        state.config.home_page(),
        state.config.base_url(&request.headers),
    );
    mycel_app::cmi5::check_au_document(&state.cmi5(&home, &base), client, check).await?;
    Ok(())
}

pub async fn activities(state: &AppState, client: &LrsClient, request: &XapiRequest) -> XapiResult {
    request.only_params(&["activityId"])?;
    let id = activity_id(request)?;
    let activity = lrs::activity(&*state.store, client, &id).await?;
    Ok(json_response(StatusCode::OK, &activity))
}

pub fn agents(client: &LrsClient, request: &XapiRequest) -> XapiResult {
    request.only_params(&["agent"])?;
    lrs::require_agents_scope(client)?;
    let text = required(request, "agent")?;
    parse_agent_param(text).map_err(|e| XapiError::bad_request(format!("agent: {e}")))?;
    let agent: Value =
        serde_json::from_str(text).map_err(|e| XapiError::bad_request(format!("agent: {e}")))?;
    Ok(json_response(StatusCode::OK, &lrs::person(&agent)))
}
