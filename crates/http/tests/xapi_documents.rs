//! The document resources of the LRS: State (`/xapi/activities/state`), Activity Profile
//! (`/xapi/activities/profile`) and Agent Profile (`/xapi/agents/profile`), with their concurrency
//! rules (ETags, `If-Match`, `If-None-Match`, 409 for a blind overwrite), the POST merge of JSON
//! documents, id lists with `since`, and deletes; against ADL's suite (test/v1_0_3
//! H.Communication2.2-2.7 and 3.1, test/v2_0 4.1.4 and 4.1.6.x).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod xapi_support;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::TestResponse;
use serde_json::{json, Value};
use std::time::Duration;
use xapi_support::*;

const STATE: &str = "/xapi/activities/state";
const ACTIVITY_PROFILE: &str = "/xapi/activities/profile";
const AGENT_PROFILE: &str = "/xapi/agents/profile";

fn ada() -> String {
    agent("ada@lernwerk.example").to_string()
}

fn course() -> String {
    activity_iri("course")
}

/// Query string of a state document (or, without `state_id`, of the states of a registration).
fn state_q(registration: Option<&str>, state_id: Option<&str>) -> String {
    let (activity, agent) = (course(), ada());
    let mut pairs = vec![("activityId", activity.as_str()), ("agent", agent.as_str())];
    if let Some(r) = registration {
        pairs.push(("registration", r));
    }
    if let Some(s) = state_id {
        pairs.push(("stateId", s));
    }
    query(&pairs)
}

/// Document requests: the body is sent as is with its content type and extra headers.
async fn write(
    lrs: &Lrs,
    method: Method,
    url: &str,
    version: &str,
    content_type: &str,
    body: &[u8],
    headers: &[(&str, &str)],
) -> TestResponse {
    let mut all = vec![("content-type", content_type)];
    all.extend_from_slice(headers);
    lrs.call(
        method,
        url,
        &lrs.auth,
        Some(version),
        &all,
        Body::from(body.to_vec()),
    )
    .await
}

async fn delete(lrs: &Lrs, url: &str, version: &str, headers: &[(&str, &str)]) -> TestResponse {
    lrs.call(
        Method::DELETE,
        url,
        &lrs.auth,
        Some(version),
        headers,
        Body::empty(),
    )
    .await
}

/// GETs a document: 200 expected, its ETag checked to be the quoted SHA-1 of the content.
async fn fetch(lrs: &Lrs, url: &str, version: &str) -> TestResponse {
    let response = lrs.get_as(url, &lrs.auth, version).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{url}: {}",
        response.text()
    );
    assert_eq!(
        header(&response, "etag"),
        Some(etag_of(&response.body).as_str()),
        "the ETag is the quoted SHA-1 of the content"
    );
    assert!(
        header(&response, "last-modified").is_some(),
        "Last-Modified"
    );
    response
}

async fn ids(lrs: &Lrs, url: &str, version: &str) -> Vec<String> {
    let response = lrs.get_as(url, &lrs.auth, version).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{url}: {}",
        response.text()
    );
    let mut ids: Vec<String> =
        serde_json::from_slice::<Vec<String>>(&response.body).expect("an array of ids");
    ids.sort();
    ids
}

fn as_json(response: &TestResponse) -> Value {
    response.json()
}

// ---- State ----

#[tokio::test]
async fn state_put_get_post_merge_ids_and_deletes() {
    let lrs = Lrs::new().await;
    let reg = new_id();
    let other_reg = new_id();
    let bookmark = state_q(Some(&reg), Some("bookmark"));
    let url = |q: &str| format!("{STATE}?{q}");

    // PUT then GET: the same bytes, content type, ETag.
    let content = br#"{"page":3,"chapter":"loading"}"#;
    let response = write(
        &lrs,
        Method::PUT,
        &url(&bookmark),
        V1,
        "application/json",
        content,
        &[],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert!(response.body.is_empty());
    let got = fetch(&lrs, &url(&bookmark), V1).await;
    assert_eq!(got.body, content);
    assert!(content_type(&got).starts_with("application/json"));
    assert_eq!(header(&got, "etag").unwrap(), etag_of(content));

    // POST merges top-level properties into the stored object.
    let response = write(
        &lrs,
        Method::POST,
        &url(&bookmark),
        V1,
        "application/json",
        br#"{"page":4,"notes":{"x":1}}"#,
        &[],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    let got = fetch(&lrs, &url(&bookmark), V1).await;
    assert_eq!(
        as_json(&got),
        json!({"page": 4, "chapter": "loading", "notes": {"x": 1}})
    );

    // A non-JSON document is stored and returned with its own content type.
    let text = state_q(Some(&reg), Some("transcript"));
    let response = write(
        &lrs,
        Method::PUT,
        &url(&text),
        V1,
        "text/plain",
        b"line one",
        &[],
    )
    .await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    let got = fetch(&lrs, &url(&text), V1).await;
    assert_eq!(got.body, b"line one");
    assert!(content_type(&got).starts_with("text/plain"));

    // POST to a document that does not exist stores it.
    let progress = state_q(Some(&reg), Some("progress"));
    let response = write(
        &lrs,
        Method::POST,
        &url(&progress),
        V1,
        "application/json",
        br#"{"done":2}"#,
        &[],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert_eq!(
        as_json(&fetch(&lrs, &url(&progress), V1).await),
        json!({"done": 2})
    );

    // A state under another registration is another document.
    let elsewhere = state_q(Some(&other_reg), Some("bookmark"));
    write(
        &lrs,
        Method::PUT,
        &url(&elsewhere),
        V1,
        "application/json",
        br#"{"page":1}"#,
        &[],
    )
    .await;
    assert_eq!(
        as_json(&fetch(&lrs, &url(&bookmark), V1).await)["page"],
        json!(4)
    );

    // The ids of a registration's states.
    let all = url(&state_q(Some(&reg), None));
    assert_eq!(
        ids(&lrs, &all, V1).await,
        vec!["bookmark", "progress", "transcript"]
    );
    assert_eq!(
        ids(&lrs, &url(&state_q(Some(&other_reg), None)), V1).await,
        vec!["bookmark"]
    );

    // since: only states changed after it.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    tokio::time::sleep(Duration::from_millis(20)).await;
    write(
        &lrs,
        Method::POST,
        &url(&progress),
        V1,
        "application/json",
        br#"{"done":3}"#,
        &[],
    )
    .await;
    let q = format!(
        "{}&{}",
        state_q(Some(&reg), None),
        query(&[("since", &since)])
    );
    assert_eq!(ids(&lrs, &url(&q), V1).await, vec!["progress"]);

    // DELETE one, then all of the registration; the other registration's state stays.
    let response = delete(&lrs, &url(&text), V1, &[]).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    let response = lrs.get_as(&url(&text), &lrs.auth, V1).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(ids(&lrs, &all, V1).await, vec!["bookmark", "progress"]);
    let response = delete(&lrs, &all, V1, &[]).await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert!(ids(&lrs, &all, V1).await.is_empty());
    assert_eq!(
        lrs.get_as(&url(&bookmark), &lrs.auth, V1).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        as_json(&fetch(&lrs, &url(&elsewhere), V1).await),
        json!({"page": 1})
    );
    lrs.finish().await;
}

#[tokio::test]
async fn post_merges_only_json_objects() {
    let lrs = Lrs::new().await;
    let json_doc = format!("{STATE}?{}", state_q(None, Some("json")));
    let text_doc = format!("{STATE}?{}", state_q(None, Some("text")));
    let original = br#"{"a":1}"#;
    write(
        &lrs,
        Method::PUT,
        &json_doc,
        V2,
        "application/json",
        original,
        &[],
    )
    .await;
    write(
        &lrs,
        Method::PUT,
        &text_doc,
        V2,
        "text/plain",
        b"plain",
        &[],
    )
    .await;

    let cases: [(&str, &str, &[u8], &str); 5] = [
        ("non-JSON posted onto JSON", &json_doc, b"b=2", "text/plain"),
        (
            "JSON posted onto non-JSON",
            &text_doc,
            br#"{"b":2}"#,
            "application/json",
        ),
        ("invalid JSON", &json_doc, b"{\"b\":", "application/json"),
        ("a JSON array", &json_doc, b"[1,2]", "application/json"),
        ("a JSON string", &json_doc, b"\"b\"", "application/json"),
    ];
    for (what, url, body, content_type) in cases {
        let response = write(&lrs, Method::POST, url, V2, content_type, body, &[]).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            response.text()
        );
        assert_eq!(response.error_code(), "bad_request", "{what}");
    }
    // Nothing changed.
    assert_eq!(fetch(&lrs, &json_doc, V2).await.body, original);
    assert_eq!(fetch(&lrs, &text_doc, V2).await.body, b"plain");
    // A new document posted as JSON must be an object too.
    let fresh = format!("{STATE}?{}", state_q(None, Some("fresh")));
    let response = write(
        &lrs,
        Method::POST,
        &fresh,
        V2,
        "application/json",
        b"[1]",
        &[],
    )
    .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        lrs.get_as(&fresh, &lrs.auth, V2).await.status,
        StatusCode::NOT_FOUND
    );
    // The same rules on the profile resources.
    let profile = format!(
        "{ACTIVITY_PROFILE}?{}",
        query(&[("activityId", &course()), ("profileId", "p")])
    );
    write(
        &lrs,
        Method::POST,
        &profile,
        V2,
        "application/json",
        br#"{"a":1}"#,
        &[],
    )
    .await;
    let response = write(&lrs, Method::POST, &profile, V2, "text/plain", b"x", &[]).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let response = write(
        &lrs,
        Method::POST,
        &profile,
        V2,
        "application/json",
        br#"{"b":2}"#,
        &[],
    )
    .await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(
        as_json(&fetch(&lrs, &profile, V2).await),
        json!({"a": 1, "b": 2})
    );
    lrs.finish().await;
}

#[tokio::test]
async fn document_parameters_are_checked() {
    let lrs = Lrs::new().await;
    let (activity, agent) = (course(), ada());
    let bad: Vec<(Method, &str, String, &str)> = vec![
        (
            Method::PUT,
            STATE,
            query(&[("agent", &agent), ("stateId", "s")]),
            "activityId",
        ),
        (
            Method::GET,
            STATE,
            query(&[("activityId", &activity), ("stateId", "s")]),
            "agent",
        ),
        (
            Method::PUT,
            STATE,
            query(&[("activityId", &activity), ("agent", &agent)]),
            "stateId",
        ),
        (
            Method::POST,
            STATE,
            query(&[("activityId", &activity), ("agent", &agent)]),
            "stateId",
        ),
        (
            Method::GET,
            STATE,
            query(&[
                ("activityId", &activity),
                ("agent", "ada@lernwerk.example"),
                ("stateId", "s"),
            ]),
            "agent",
        ),
        (
            Method::DELETE,
            STATE,
            query(&[
                ("activityId", &activity),
                ("agent", &agent),
                ("registration", "r1"),
            ]),
            "registration",
        ),
        (
            Method::GET,
            STATE,
            query(&[
                ("activityId", &activity),
                ("agent", &agent),
                ("since", "last week"),
            ]),
            "since",
        ),
        (
            Method::GET,
            STATE,
            query(&[
                ("activityId", &activity),
                ("agent", &agent),
                ("stateId", "s"),
                ("since", "2026-01-01T00:00:00Z"),
            ]),
            "since",
        ),
        (
            Method::GET,
            STATE,
            query(&[("activityId", "course"), ("agent", &agent)]),
            "activityId",
        ),
        (
            Method::GET,
            STATE,
            query(&[
                ("activityId", &activity),
                ("agent", &agent),
                ("colour", "blue"),
            ]),
            "colour",
        ),
        (
            Method::PUT,
            ACTIVITY_PROFILE,
            query(&[("activityId", &activity)]),
            "profileId",
        ),
        (
            Method::DELETE,
            ACTIVITY_PROFILE,
            query(&[("activityId", &activity)]),
            "profileId",
        ),
        (
            Method::GET,
            ACTIVITY_PROFILE,
            query(&[("profileId", "p")]),
            "activityId",
        ),
        (
            Method::GET,
            AGENT_PROFILE,
            query(&[("profileId", "p")]),
            "agent",
        ),
        (
            Method::PUT,
            AGENT_PROFILE,
            query(&[("agent", &agent)]),
            "profileId",
        ),
        (
            Method::GET,
            AGENT_PROFILE,
            query(&[("agent", &agent), ("activityId", &activity)]),
            "activityId",
        ),
    ];
    for (method, path, q, needle) in bad {
        let what = format!("{method} {path}?{q}");
        let response = write(
            &lrs,
            method,
            &format!("{path}?{q}"),
            V2,
            "application/json",
            b"{}",
            &[],
        )
        .await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            response.text()
        );
        let message = response.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.contains(needle),
            "{what}: {message:?} should name {needle}"
        );
    }
    // None of the refused writes stored anything.
    let all = format!(
        "{STATE}?{}",
        query(&[("activityId", &activity), ("agent", &agent)])
    );
    assert!(ids(&lrs, &all, V2).await.is_empty());
    let response = lrs
        .get(&format!(
            "{ACTIVITY_PROFILE}?{}",
            query(&[("activityId", &activity), ("profileId", "p")])
        ))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    lrs.finish().await;
}

// ---- concurrency ----

/// The concurrency rules on one document `url` under `version`, from an empty start.
async fn concurrency_rules(lrs: &Lrs, url: &str, version: &str, blind_create: StatusCode) {
    let first = br#"{"revision":1}"#;
    let second = br#"{"revision":2}"#;
    let wrong = "\"0123456789abcdef0123456789abcdef01234567\"";

    // If-Match on a document that does not exist: 412.
    let response = write(
        lrs,
        Method::PUT,
        url,
        version,
        "application/json",
        first,
        &[("If-Match", wrong)],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::PRECONDITION_FAILED,
        "{url}: {}",
        response.text()
    );
    // If-None-Match: * creates when none exists.
    let response = write(
        lrs,
        Method::PUT,
        url,
        version,
        "application/json",
        first,
        &[("If-None-Match", "*")],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{url}: {}",
        response.text()
    );
    let got = fetch(lrs, url, version).await;
    let tag = etag_of(first);
    assert_eq!(header(&got, "etag"), Some(tag.as_str()));

    // PUT over it without a precondition: 409 with a message, document unchanged.
    let response = write(
        lrs,
        Method::PUT,
        url,
        version,
        "application/json",
        second,
        &[],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::CONFLICT,
        "{url}: {}",
        response.text()
    );
    assert_error(&response, StatusCode::CONFLICT, &["If-Match"]);
    assert_eq!(fetch(lrs, url, version).await.body, first);
    // Wrong If-Match: 412 for PUT, POST and DELETE; unchanged.
    for method in [Method::PUT, Method::POST] {
        let response = write(
            lrs,
            method.clone(),
            url,
            version,
            "application/json",
            second,
            &[("If-Match", wrong)],
        )
        .await;
        assert_eq!(
            response.status,
            StatusCode::PRECONDITION_FAILED,
            "{method} {url}"
        );
        assert_eq!(response.error_code(), "precondition_failed");
    }
    let response = delete(lrs, url, version, &[("If-Match", wrong)]).await;
    assert_eq!(
        response.status,
        StatusCode::PRECONDITION_FAILED,
        "DELETE {url}"
    );
    // If-None-Match: * on an existing document: 412.
    let response = write(
        lrs,
        Method::PUT,
        url,
        version,
        "application/json",
        second,
        &[("If-None-Match", "*")],
    )
    .await;
    assert_eq!(response.status, StatusCode::PRECONDITION_FAILED, "{url}");
    assert_eq!(fetch(lrs, url, version).await.body, first);

    // The right If-Match: 204 and replaced, with the new ETag.
    let response = write(
        lrs,
        Method::PUT,
        url,
        version,
        "application/json",
        second,
        &[("If-Match", &tag)],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{url}: {}",
        response.text()
    );
    let got = fetch(lrs, url, version).await;
    assert_eq!(got.body, second);
    let tag = etag_of(second);
    assert_eq!(header(&got, "etag"), Some(tag.as_str()));
    // The old tag no longer matches.
    let response = write(
        lrs,
        Method::PUT,
        url,
        version,
        "application/json",
        first,
        &[("If-Match", &etag_of(first))],
    )
    .await;
    assert_eq!(response.status, StatusCode::PRECONDITION_FAILED);
    // POST with the right If-Match merges.
    let response = write(
        lrs,
        Method::POST,
        url,
        version,
        "application/json",
        br#"{"x":true}"#,
        &[("If-Match", &tag)],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{url}: {}",
        response.text()
    );
    let got = fetch(lrs, url, version).await;
    assert_eq!(as_json(&got), json!({"revision": 2, "x": true}));
    // DELETE with the right If-Match.
    let tag = header(&got, "etag").unwrap().to_owned();
    let response = delete(lrs, url, version, &[("If-Match", &tag)]).await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{url}: {}",
        response.text()
    );
    assert_eq!(
        lrs.get_as(url, &lrs.auth, version).await.status,
        StatusCode::NOT_FOUND
    );
    // Without any document: a PUT without precondition is fine, except on the profile resources
    // under 1.0.3, which always need one (ADL v1_0_3 H.Communication2.6/2.7: 400).
    let response = write(
        lrs,
        Method::PUT,
        url,
        version,
        "application/json",
        first,
        &[],
    )
    .await;
    assert_eq!(response.status, blind_create, "{url}: {}", response.text());
    if blind_create == StatusCode::BAD_REQUEST {
        assert_error(&response, StatusCode::BAD_REQUEST, &["If-Match"]);
        assert_eq!(
            lrs.get_as(url, &lrs.auth, version).await.status,
            StatusCode::NOT_FOUND
        );
    } else {
        assert_eq!(fetch(lrs, url, version).await.body, first);
    }
}

#[tokio::test]
async fn activity_profile_concurrency() {
    let lrs = Lrs::new().await;
    for (version, profile) in [(V1, "settings-1"), (V2, "settings-2")] {
        let url = format!(
            "{ACTIVITY_PROFILE}?{}",
            query(&[("activityId", &course()), ("profileId", profile)])
        );
        let blind = if version == V1 {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::NO_CONTENT
        };
        concurrency_rules(&lrs, &url, version, blind).await;
    }
    lrs.finish().await;
}

#[tokio::test]
async fn agent_profile_concurrency() {
    let lrs = Lrs::new().await;
    for (version, profile) in [(V1, "preferences-1"), (V2, "preferences-2")] {
        let url = format!(
            "{AGENT_PROFILE}?{}",
            query(&[("agent", &ada()), ("profileId", profile)])
        );
        let blind = if version == V1 {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::NO_CONTENT
        };
        concurrency_rules(&lrs, &url, version, blind).await;
    }
    lrs.finish().await;
}

#[tokio::test]
async fn state_concurrency_under_2_0_and_overwrite_under_1_0_3() {
    let lrs = Lrs::new().await;
    let url = format!("{STATE}?{}", state_q(None, Some("v2")));
    concurrency_rules(&lrs, &url, V2, StatusCode::NO_CONTENT).await;

    // xAPI 1.0.3 asks for concurrency control on the profile resources only: a state may be
    // overwritten without a precondition; a precondition given is still honoured.
    let url = format!("{STATE}?{}", state_q(None, Some("v1")));
    write(
        &lrs,
        Method::PUT,
        &url,
        V1,
        "application/json",
        br#"{"n":1}"#,
        &[],
    )
    .await;
    let response = write(
        &lrs,
        Method::PUT,
        &url,
        V1,
        "application/json",
        br#"{"n":2}"#,
        &[],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert_eq!(fetch(&lrs, &url, V1).await.body, br#"{"n":2}"#);
    let response = write(
        &lrs,
        Method::PUT,
        &url,
        V1,
        "application/json",
        br#"{"n":3}"#,
        &[("If-Match", "\"nope\"")],
    )
    .await;
    assert_eq!(response.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(fetch(&lrs, &url, V1).await.body, br#"{"n":2}"#);
    lrs.finish().await;
}

#[tokio::test]
async fn profile_ids_since_and_deletes() {
    let lrs = Lrs::new().await;
    let activity = course();
    let profile_url = |id: &str| {
        format!(
            "{ACTIVITY_PROFILE}?{}",
            query(&[("activityId", &activity), ("profileId", id)])
        )
    };
    let agent_url = |id: &str| {
        format!(
            "{AGENT_PROFILE}?{}",
            query(&[("agent", &ada()), ("profileId", id)])
        )
    };
    for id in ["alpha", "beta"] {
        write(
            &lrs,
            Method::PUT,
            &profile_url(id),
            V2,
            "application/json",
            b"{}",
            &[],
        )
        .await;
        write(
            &lrs,
            Method::PUT,
            &agent_url(id),
            V2,
            "text/plain",
            id.as_bytes(),
            &[],
        )
        .await;
    }
    // Another activity's and another agent's profiles are not listed.
    let other_activity = format!(
        "{ACTIVITY_PROFILE}?{}",
        query(&[
            ("activityId", &activity_iri("other")),
            ("profileId", "gamma")
        ])
    );
    write(
        &lrs,
        Method::PUT,
        &other_activity,
        V2,
        "application/json",
        b"{}",
        &[],
    )
    .await;
    let ben = agent("ben@lernwerk.example").to_string();
    let other_agent = format!(
        "{AGENT_PROFILE}?{}",
        query(&[("agent", &ben), ("profileId", "gamma")])
    );
    write(
        &lrs,
        Method::PUT,
        &other_agent,
        V2,
        "application/json",
        b"{}",
        &[],
    )
    .await;

    let profiles = format!("{ACTIVITY_PROFILE}?{}", query(&[("activityId", &activity)]));
    let agent_profiles = format!("{AGENT_PROFILE}?{}", query(&[("agent", &ada())]));
    assert_eq!(ids(&lrs, &profiles, V2).await, vec!["alpha", "beta"]);
    assert_eq!(ids(&lrs, &agent_profiles, V2).await, vec!["alpha", "beta"]);
    assert_eq!(fetch(&lrs, &agent_url("beta"), V2).await.body, b"beta");

    tokio::time::sleep(Duration::from_millis(20)).await;
    let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let tag = etag_of(b"{}");
    write(
        &lrs,
        Method::PUT,
        &profile_url("beta"),
        V2,
        "application/json",
        br#"{"b":1}"#,
        &[("If-Match", &tag)],
    )
    .await;
    write(
        &lrs,
        Method::PUT,
        &agent_url("delta"),
        V2,
        "application/json",
        b"{}",
        &[],
    )
    .await;
    assert_eq!(
        ids(
            &lrs,
            &format!("{profiles}&{}", query(&[("since", &since)])),
            V2
        )
        .await,
        vec!["beta"]
    );
    assert_eq!(
        ids(
            &lrs,
            &format!("{agent_profiles}&{}", query(&[("since", &since)])),
            V2
        )
        .await,
        vec!["delta"]
    );

    let response = delete(&lrs, &profile_url("alpha"), V2, &[]).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    let response = delete(&lrs, &agent_url("alpha"), V2, &[]).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(ids(&lrs, &profiles, V2).await, vec!["beta"]);
    assert_eq!(ids(&lrs, &agent_profiles, V2).await, vec!["beta", "delta"]);
    assert_eq!(
        lrs.get(&agent_url("alpha")).await.status,
        StatusCode::NOT_FOUND
    );
    // The other activity's and agent's profiles are untouched.
    fetch(&lrs, &other_activity, V2).await;
    fetch(&lrs, &other_agent, V2).await;
    lrs.finish().await;
}

#[tokio::test]
async fn concurrent_writes_with_the_same_precondition_let_exactly_one_through() {
    let lrs = Lrs::new().await;
    let url = format!(
        "{ACTIVITY_PROFILE}?{}",
        query(&[("activityId", &course()), ("profileId", "race")])
    );
    // Creates: If-None-Match: * from ten clients at once.
    let bodies: Vec<Vec<u8>> = (0..10)
        .map(|i| format!("{{\"writer\":{i}}}").into_bytes())
        .collect();
    let creates = bodies.iter().map(|b| {
        write(
            &lrs,
            Method::PUT,
            &url,
            V2,
            "application/json",
            b,
            &[("If-None-Match", "*")],
        )
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(creates)
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::NO_CONTENT)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::PRECONDITION_FAILED)
            .count(),
        9,
        "{statuses:?}"
    );
    let winner = statuses
        .iter()
        .position(|s| *s == StatusCode::NO_CONTENT)
        .unwrap();
    let current = fetch(&lrs, &url, V2).await;
    assert_eq!(current.body, bodies[winner]);

    // Replacements: the same If-Match from ten clients at once.
    let tag = header(&current, "etag").unwrap().to_owned();
    let bodies: Vec<Vec<u8>> = (10..20)
        .map(|i| format!("{{\"writer\":{i}}}").into_bytes())
        .collect();
    let if_match = [("If-Match", tag.as_str())];
    let replaces = bodies.iter().map(|b| {
        write(
            &lrs,
            Method::PUT,
            &url,
            V2,
            "application/json",
            b,
            &if_match,
        )
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(replaces)
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::NO_CONTENT)
            .count(),
        1,
        "{statuses:?}"
    );
    let winner = statuses
        .iter()
        .position(|s| *s == StatusCode::NO_CONTENT)
        .unwrap();
    assert_eq!(fetch(&lrs, &url, V2).await.body, bodies[winner]);
    lrs.finish().await;
}

#[tokio::test]
async fn concurrent_merges_without_preconditions_lose_no_update() {
    let lrs = Lrs::new().await;
    let url = format!("{STATE}?{}", state_q(None, Some("merge-race")));
    write(&lrs, Method::PUT, &url, V2, "application/json", b"{}", &[]).await;
    let bodies: Vec<Vec<u8>> = (0..8)
        .map(|i| format!("{{\"k{i}\":{i}}}").into_bytes())
        .collect();
    let posts = bodies
        .iter()
        .map(|b| write(&lrs, Method::POST, &url, V2, "application/json", b, &[]));
    let responses = futures_util::future::join_all(posts).await;
    for r in &responses {
        // No precondition was sent, so none can have failed.
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    }
    let merged = as_json(&fetch(&lrs, &url, V2).await);
    for i in 0..8 {
        assert_eq!(
            merged[format!("k{i}")],
            json!(i),
            "update {i} lost: {merged}"
        );
    }
    lrs.finish().await;
}

#[tokio::test]
async fn documents_are_found_under_any_form_of_the_same_agent() {
    let lrs = Lrs::new().await;
    let with_type = agent("ada@lernwerk.example").to_string();
    let bare = json!({"name": "Ada", "mbox": "mailto:ada@lernwerk.example"}).to_string();
    let other = agent("ben@lernwerk.example").to_string();
    let state = |who: &str| {
        format!(
            "{STATE}?{}",
            query(&[("activityId", &course()), ("agent", who), ("stateId", "s")])
        )
    };
    let profile = |who: &str| {
        format!(
            "{AGENT_PROFILE}?{}",
            query(&[("agent", who), ("profileId", "p")])
        )
    };
    write(
        &lrs,
        Method::PUT,
        &state(&with_type),
        V2,
        "application/json",
        b"{\"s\":1}",
        &[],
    )
    .await;
    write(
        &lrs,
        Method::PUT,
        &profile(&with_type),
        V2,
        "application/json",
        b"{\"p\":1}",
        &[],
    )
    .await;
    assert_eq!(
        as_json(&fetch(&lrs, &state(&bare), V2).await),
        json!({"s": 1})
    );
    assert_eq!(
        as_json(&fetch(&lrs, &profile(&bare), V2).await),
        json!({"p": 1})
    );
    assert_eq!(lrs.get(&state(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        lrs.get(&profile(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    lrs.finish().await;
}

#[tokio::test]
async fn last_modified_follows_the_document() {
    let lrs = Lrs::new().await;
    let url = format!("{STATE}?{}", state_q(None, Some("lm")));
    let http_date = |r: &TestResponse| {
        chrono::DateTime::parse_from_rfc2822(header(r, "last-modified").unwrap())
            .expect("an HTTP date")
    };
    write(
        &lrs,
        Method::PUT,
        &url,
        V2,
        "application/json",
        br#"{"a":1}"#,
        &[],
    )
    .await;
    let first = http_date(&fetch(&lrs, &url, V2).await);
    let now = chrono::Utc::now();
    assert!(
        (now - first.with_timezone(&chrono::Utc))
            .num_seconds()
            .abs()
            <= 2
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let response = write(
        &lrs,
        Method::POST,
        &url,
        V2,
        "application/json",
        br#"{"b":2}"#,
        &[],
    )
    .await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    let second = http_date(&fetch(&lrs, &url, V2).await);
    assert!(second > first, "{second} is not after {first}");
    lrs.finish().await;
}
