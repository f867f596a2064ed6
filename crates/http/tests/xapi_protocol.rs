//! The LRS's protocol around the resources: the version header, the 1.0.3 alternate request syntax,
//! `//` in paths, CORS, HEAD, the Activities, Agents and About resources, authentication, credential
//! scopes and tenant isolation; against ADL's suite (test/v1_0_3 H.Communication1.x, 2.4, 2.5,
//! 2.8, 3.3, 4.0 and test/v2_0 4.1.6.3, 4.1.6.4, 4.1.6.7).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod xapi_support;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use mycel_organisation::Scope;
use serde_json::{json, Value};
use xapi_support::*;

fn basic_header(auth: &Auth) -> String {
    use base64::Engine;
    match auth {
        Auth::Basic { key, secret } => format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
        ),
        other => panic!("not a credential: {other:?}"),
    }
}

/// An alternate-syntax request: `POST path?method=…` with the form fields, no headers but the
/// form content type.
async fn alternate(
    lrs: &Lrs,
    path: &str,
    method: &str,
    fields: &[(&str, &str)],
) -> common::TestResponse {
    let url = format!("{path}?{}", query(&[("method", method)]));
    lrs.call(
        Method::POST,
        &url,
        &Auth::None,
        None,
        &[("content-type", "application/x-www-form-urlencoded")],
        Body::from(serde_urlencoded::to_string(fields).unwrap()),
    )
    .await
}

// ---- version header ----

#[tokio::test]
async fn the_version_header_is_required_except_on_about_and_is_always_answered() {
    let lrs = Lrs::new().await;
    let id = lrs
        .post_statements(&statement("ada@lernwerk.example", "completed", "c"))
        .await[0]
        .clone();

    for path in [
        "/xapi/statements".to_owned(),
        format!("/xapi/statements?statementId={id}"),
        format!(
            "/xapi/activities?{}",
            query(&[("activityId", &activity_iri("c"))])
        ),
    ] {
        let response = lrs
            .call(Method::GET, &path, &lrs.auth, None, &[], Body::empty())
            .await;
        assert_error(
            &response,
            StatusCode::BAD_REQUEST,
            &["X-Experience-API-Version"],
        );
        let answered = header(&response, VERSION).expect("the version header on an error");
        assert!(answered == V1 || answered == V2, "{answered}");
    }
    for unsupported in ["0.9", "0.95", "1.1.0", "2.1.0", "3", "1.0.x"] {
        let response = lrs.get_as("/xapi/statements", &lrs.auth, unsupported).await;
        assert_error(&response, StatusCode::BAD_REQUEST, &[unsupported]);
        assert!(header(&response, VERSION).is_some());
    }
    // The answer names the rule set the request asked for.
    for (asked, answered) in [
        ("1.0", V1),
        ("1.0.0", V1),
        ("1.0.3", V1),
        ("1.0.9", V1),
        ("2.0", V2),
        ("2.0.0", V2),
    ] {
        let response = lrs
            .get_as(
                &format!("/xapi/statements?statementId={id}"),
                &lrs.auth,
                asked,
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{asked}: {}",
            response.text()
        );
        assert_eq!(response.json()["id"], json!(id));
        assert_eq!(header(&response, VERSION), Some(answered), "asked {asked}");
    }
    // About needs neither the header nor credentials.
    let response = lrs
        .call(
            Method::GET,
            "/xapi/about",
            &Auth::None,
            None,
            &[],
            Body::empty(),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let versions = response.json()["version"].clone();
    assert!(versions.as_array().unwrap().iter().all(Value::is_string));
    assert!(
        versions.as_array().unwrap().contains(&json!("2.0.0")),
        "{versions}"
    );
    assert!(
        versions.as_array().unwrap().contains(&json!("1.0.3")),
        "{versions}"
    );
    assert!(header(&response, VERSION).is_some());
    if let Some(extensions) = response.json().get("extensions") {
        assert!(extensions.is_object());
    }
    let response = lrs.json(Method::POST, "/xapi/about", V2, &json!({})).await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    lrs.finish().await;
}

// ---- alternate request syntax (1.0.3) ----

#[tokio::test]
async fn the_alternate_request_syntax_carries_headers_and_content_as_form_fields() {
    let lrs = Lrs::new().await;
    let id = new_id();
    let body = statement("ada@lernwerk.example", "completed", "alt").to_string();
    let auth = basic_header(&lrs.auth);
    let response = alternate(
        &lrs,
        "/xapi/statements",
        "PUT",
        &[
            ("statementId", &id),
            ("content", &body),
            ("Authorization", &auth),
            ("X-Experience-API-Version", "1.0.3"),
            ("Content-Type", "application/json"),
        ],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    let back = lrs.statement(&id).await;
    assert_eq!(back["object"]["id"], json!(activity_iri("alt")));
    assert_eq!(
        back["version"],
        json!("1.0.0"),
        "stored under the 1.0.3 rules"
    );

    // A GET as a form POST: the parameters are form fields too.
    let response = alternate(
        &lrs,
        "/xapi/statements",
        "GET",
        &[
            ("statementId", &id),
            ("Authorization", &auth),
            ("X-Experience-API-Version", "1.0.3"),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["id"], json!(id));
    let response = alternate(
        &lrs,
        "/xapi/statements",
        "GET",
        &[
            ("limit", "1"),
            ("Authorization", &auth),
            ("X-Experience-API-Version", "1.0.3"),
        ],
    )
    .await;
    assert_eq!(ids_of(&response.json()), vec![id.clone()]);
    assert!(response.json().get("more").is_some());

    // Documents too, with If-None-Match as a form field.
    let state = format!("/xapi/activities/state?{}", query(&[("method", "PUT")]));
    let agent_json = agent("ada@lernwerk.example").to_string();
    let response = lrs
        .call(
            Method::POST,
            &state,
            &Auth::None,
            None,
            &[("content-type", "application/x-www-form-urlencoded")],
            Body::from(
                serde_urlencoded::to_string([
                    ("activityId", activity_iri("alt").as_str()),
                    ("agent", &agent_json),
                    ("stateId", "bookmark"),
                    ("content", "{\"page\":7}"),
                    ("Authorization", &auth),
                    ("X-Experience-API-Version", "1.0.3"),
                    ("If-None-Match", "*"),
                ])
                .unwrap(),
            ),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    let got = lrs
        .get_as(
            &format!(
                "/xapi/activities/state?{}",
                query(&[
                    ("activityId", &activity_iri("alt")),
                    ("agent", &agent_json),
                    ("stateId", "bookmark")
                ])
            ),
            &lrs.auth,
            V1,
        )
        .await;
    assert_eq!(got.json(), json!({"page": 7}));
    lrs.finish().await;
}

#[tokio::test]
async fn the_alternate_request_syntax_is_refused_where_it_does_not_apply() {
    let lrs = Lrs::new().await;
    let auth = basic_header(&lrs.auth);
    let body = statement("ada@lernwerk.example", "completed", "alt").to_string();
    let id = new_id();
    let fields = |version: &'static str| {
        vec![
            ("statementId".to_owned(), id.clone()),
            ("content".to_owned(), body.clone()),
            ("Authorization".to_owned(), auth.clone()),
            ("X-Experience-API-Version".to_owned(), version.to_owned()),
        ]
    };
    let form =
        |version: &'static str| Body::from(serde_urlencoded::to_string(fields(version)).unwrap());
    let form_type = [("content-type", "application/x-www-form-urlencoded")];

    // xAPI 2.0 has no alternate syntax.
    let response = lrs
        .call(
            Method::POST,
            "/xapi/statements?method=PUT",
            &Auth::None,
            None,
            &form_type,
            form("2.0.0"),
        )
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["alternate"]);
    // The version in the form is checked like the header.
    let response = lrs
        .call(
            Method::POST,
            "/xapi/statements?method=PUT",
            &Auth::None,
            None,
            &form_type,
            form("0.8"),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{}",
        response.text()
    );
    // Not sent as POST.
    let response = lrs
        .call(
            Method::PUT,
            "/xapi/statements?method=POST",
            &Auth::None,
            None,
            &form_type,
            form("1.0.3"),
        )
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["POST"]);
    // Anything besides method in the query string.
    let response = lrs
        .call(
            Method::POST,
            &format!("/xapi/statements?method=PUT&statementId={id}"),
            &Auth::None,
            None,
            &form_type,
            form("1.0.3"),
        )
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["method"]);
    // Not a form.
    let response = lrs
        .call(
            Method::POST,
            "/xapi/statements?method=PUT",
            &Auth::None,
            None,
            &[("content-type", "application/json")],
            form("1.0.3"),
        )
        .await;
    assert_error(
        &response,
        StatusCode::BAD_REQUEST,
        &["x-www-form-urlencoded"],
    );
    // No content.
    let response = lrs
        .call(
            Method::POST,
            "/xapi/statements?method=PUT",
            &Auth::None,
            None,
            &form_type,
            Body::empty(),
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    // Not a method.
    let response = lrs
        .call(
            Method::POST,
            "/xapi/statements?method=PATCH",
            &Auth::None,
            None,
            &form_type,
            form("1.0.3"),
        )
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["PATCH"]);

    let response = lrs.get(&format!("/xapi/statements?statementId={id}")).await;
    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "none of them stored the statement"
    );
    lrs.finish().await;
}

#[tokio::test]
async fn an_alternate_syntax_request_is_answered_in_its_own_version() {
    let lrs = Lrs::new().await;
    let auth = basic_header(&lrs.auth);
    let id = new_id();
    let body = statement("ada@lernwerk.example", "completed", "alt").to_string();
    let response = alternate(
        &lrs,
        "/xapi/statements",
        "PUT",
        &[
            ("statementId", &id),
            ("content", &body),
            ("Authorization", &auth),
            ("X-Experience-API-Version", "1.0.3"),
        ],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert_eq!(header(&response, VERSION), Some(V1));
    lrs.finish().await;
}

#[tokio::test]
async fn an_alternate_syntax_statement_get_carries_consistent_through() {
    let lrs = Lrs::new().await;
    let auth = basic_header(&lrs.auth);
    let id = lrs
        .post_statements(&statement("ada@lernwerk.example", "completed", "c"))
        .await[0]
        .clone();
    let response = alternate(
        &lrs,
        "/xapi/statements",
        "GET",
        &[
            ("statementId", &id),
            ("Authorization", &auth),
            ("X-Experience-API-Version", "1.0.3"),
        ],
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["id"], json!(id));
    assert!(
        header(&response, CONSISTENT).is_some(),
        "{:?}",
        response.headers
    );
    lrs.finish().await;
}

// ---- paths, CORS, HEAD ----

#[tokio::test]
async fn double_slashes_in_paths_reach_the_resource() {
    let lrs = Lrs::new().await;
    let id = lrs
        .post_statements(&statement("ada@lernwerk.example", "completed", "c"))
        .await[0]
        .clone();
    let response = lrs
        .get(&format!("/xapi//statements?statementId={id}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["id"], json!(id));
    let response = lrs
        .get(&format!("/xapi/statements/?statementId={id}"))
        .await;
    assert_eq!(response.json()["id"], json!(id));
    let doc = query(&[("activityId", &activity_iri("c")), ("profileId", "p")]);
    let response = lrs
        .call(
            Method::PUT,
            &format!("/xapi//activities//profile?{doc}"),
            &lrs.auth,
            Some(V2),
            &[("content-type", "application/json")],
            Body::from("{\"k\":1}"),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    let response = lrs.get(&format!("/xapi/activities/profile?{doc}")).await;
    assert_eq!(response.json(), json!({"k": 1}));
    // A path that is no resource.
    let response = lrs.get("/xapi/statementz").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    lrs.finish().await;
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let lrs = Lrs::new().await;
    let origin = "https://course.lernwerk.example";
    let response = lrs
        .call(
            Method::OPTIONS,
            "/xapi/statements",
            &Auth::None,
            None,
            &[
                ("origin", origin),
                ("access-control-request-method", "PUT"),
                (
                    "access-control-request-headers",
                    "authorization, content-type, x-experience-api-version",
                ),
            ],
            Body::empty(),
        )
        .await;
    assert!(response.status.is_success(), "{}", response.status);
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        Some(origin)
    );
    let methods = header(&response, "access-control-allow-methods")
        .unwrap()
        .to_ascii_uppercase();
    for m in ["GET", "PUT", "POST", "DELETE", "HEAD"] {
        assert!(methods.contains(m), "{methods}");
    }
    let allowed = header(&response, "access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    for h in ["authorization", "content-type", "x-experience-api-version"] {
        assert!(allowed.contains(h), "{allowed}");
    }

    // Actual responses, also errors, carry the CORS headers.
    let id = lrs
        .post_statements(&statement("ada@lernwerk.example", "completed", "c"))
        .await[0]
        .clone();
    for (auth, status) in [
        (&lrs.auth, StatusCode::OK),
        (&Auth::None, StatusCode::UNAUTHORIZED),
    ] {
        let response = lrs
            .call(
                Method::GET,
                &format!("/xapi/statements?statementId={id}"),
                auth,
                Some(V2),
                &[("origin", origin)],
                Body::empty(),
            )
            .await;
        assert_eq!(response.status, status);
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            Some(origin)
        );
        let exposed = header(&response, "access-control-expose-headers")
            .unwrap()
            .to_ascii_lowercase();
        for h in [
            "etag",
            "x-experience-api-version",
            "x-experience-api-consistent-through",
        ] {
            assert!(exposed.contains(h), "{exposed}");
        }
    }
    // Without an Origin: any origin, but never with credentials.
    let response = lrs.get(&format!("/xapi/statements?statementId={id}")).await;
    assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
    assert_ne!(
        header(&response, "access-control-allow-credentials"),
        Some("true")
    );
    lrs.finish().await;
}

#[tokio::test]
async fn head_answers_the_headers_of_get_without_a_body() {
    let lrs = Lrs::new().await;
    let id = lrs
        .post_statements(&statement("ada@lernwerk.example", "completed", "c"))
        .await[0]
        .clone();
    let head = |path: String| {
        let lrs = &lrs;
        async move {
            lrs.call(Method::HEAD, &path, &lrs.auth, Some(V2), &[], Body::empty())
                .await
        }
    };
    let response = head(format!("/xapi/statements?statementId={id}")).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.is_empty());
    assert!(content_type(&response).starts_with("application/json"));
    assert!(header(&response, "last-modified").is_some());
    assert_eq!(header(&response, VERSION), Some(V2));
    let response = head("/xapi/statements".to_owned()).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.is_empty());
    assert!(header(&response, CONSISTENT).is_some());
    let response = head(format!("/xapi/statements?statementId={}", new_id())).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.body.is_empty());

    let doc = format!(
        "/xapi/agents/profile?{}",
        query(&[
            ("agent", &agent("ada@lernwerk.example").to_string()),
            ("profileId", "p")
        ])
    );
    lrs.call(
        Method::PUT,
        &doc,
        &lrs.auth,
        Some(V2),
        &[("content-type", "application/json")],
        Body::from("{\"a\":1}"),
    )
    .await;
    let response = head(doc.clone()).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.is_empty());
    assert_eq!(
        header(&response, "etag"),
        Some(etag_of(b"{\"a\":1}").as_str())
    );
    assert!(header(&response, "last-modified").is_some());
    let response = head(format!(
        "/xapi/activities?{}",
        query(&[("activityId", &activity_iri("c"))])
    ))
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.is_empty());
    let response = lrs
        .call(
            Method::HEAD,
            "/xapi/about",
            &Auth::None,
            None,
            &[],
            Body::empty(),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.is_empty());
    lrs.finish().await;
}

#[tokio::test]
async fn head_on_a_statement_carries_the_headers_of_get() {
    let lrs = Lrs::new().await;
    let id = lrs
        .post_statements(&statement("ada@lernwerk.example", "completed", "c"))
        .await[0]
        .clone();
    let path = format!("/xapi/statements?statementId={id}");
    let get = lrs.get(&path).await;
    assert!(header(&get, CONSISTENT).is_some());
    let head = lrs
        .call(Method::HEAD, &path, &lrs.auth, Some(V2), &[], Body::empty())
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    for name in [CONSISTENT, "last-modified", "content-type", VERSION] {
        assert!(
            header(&head, name).is_some(),
            "HEAD lacks {name}: {:?}",
            head.headers
        );
    }
    // An error answered to HEAD also carries it, as the GET's does.
    let path = format!("/xapi/statements?statementId={}&agent=x", id);
    let head = lrs
        .call(Method::HEAD, &path, &lrs.auth, Some(V2), &[], Body::empty())
        .await;
    assert_eq!(head.status, StatusCode::BAD_REQUEST);
    assert!(header(&head, CONSISTENT).is_some());
    lrs.finish().await;
}

// ---- Activities, Agents ----

#[tokio::test]
async fn activities_return_the_definitions_seen_in_statements() {
    let lrs = Lrs::new().await;
    let iri = activity_iri("forklift");
    let url = format!("/xapi/activities?{}", query(&[("activityId", &iri)]));
    // Unknown: still an Activity object.
    let response = lrs.get(&url).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["objectType"], json!("Activity"));
    assert_eq!(response.json()["id"], json!(iri));

    let mut first = statement("ada@lernwerk.example", "completed", "forklift");
    first["object"]["definition"] = json!({
        "name": {"en-US": "Forklift basics"},
        "description": {"en-US": "Driving a forklift safely"},
        "type": "http://adlnet.gov/expapi/activities/course"
    });
    lrs.post_statements(&first).await;
    let got = lrs.get(&url).await.json();
    assert_eq!(
        got,
        json!({"objectType": "Activity", "id": iri, "definition": first["object"]["definition"]})
    );

    // A later statement: its name wins, a new language is added, the rest is kept (XAPI-00254).
    let mut second = statement("ben@lernwerk.example", "completed", "forklift");
    second["object"]["definition"] = json!({
        "name": {"en-US": "Forklift safety", "de-DE": "Staplersicherheit"}
    });
    lrs.post_statements(&second).await;
    let definition = lrs.get(&url).await.json()["definition"].clone();
    assert_eq!(
        definition["name"],
        json!({"en-US": "Forklift safety", "de-DE": "Staplersicherheit"})
    );
    assert_eq!(
        definition["description"],
        json!({"en-US": "Driving a forklift safely"})
    );
    assert_eq!(
        definition["type"],
        json!("http://adlnet.gov/expapi/activities/course")
    );
    // A context activity's definition counts too.
    let mut third = statement("ada@lernwerk.example", "completed", "unit");
    third["context"] = json!({"contextActivities": {"parent": [{
        "id": activity_iri("warehouse"), "definition": {"name": {"en-US": "Warehouse"}}
    }]}});
    lrs.post_statements(&third).await;
    let response = lrs
        .get(&format!(
            "/xapi/activities?{}",
            query(&[("activityId", &activity_iri("warehouse"))])
        ))
        .await;
    assert_eq!(
        response.json()["definition"]["name"],
        json!({"en-US": "Warehouse"})
    );

    for bad in [
        "/xapi/activities".to_owned(),
        "/xapi/activities?activityId=forklift".to_owned(),
        format!("{url}&since=2026-01-01T00:00:00Z"),
    ] {
        let response = lrs.get(&bad).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    lrs.finish().await;
}

#[tokio::test]
async fn agents_return_a_person_object() {
    let lrs = Lrs::new().await;
    let ada =
        json!({"objectType": "Agent", "name": "Ada Muster", "mbox": "mailto:ada@lernwerk.example"});
    let response = lrs
        .get(&format!(
            "/xapi/agents?{}",
            query(&[("agent", &ada.to_string())])
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let person = response.json();
    assert_eq!(person["objectType"], json!("Person"));
    assert_eq!(person["mbox"], json!(["mailto:ada@lernwerk.example"]));
    assert_eq!(person["name"], json!(["Ada Muster"]));
    let account = json!({"account": {"homePage": "https://hr.lernwerk.example", "name": "4711"}});
    let person = lrs
        .get(&format!(
            "/xapi/agents?{}",
            query(&[("agent", &account.to_string())])
        ))
        .await
        .json();
    assert_eq!(person["account"], json!([account["account"]]));
    assert!(person.get("mbox").is_none());

    for bad in [
        "/xapi/agents".to_owned(),
        format!(
            "/xapi/agents?{}",
            query(&[("agent", "ada@lernwerk.example")])
        ),
        format!(
            "/xapi/agents?{}",
            query(&[("agent", "{\"name\":\"no IFI\"}")])
        ),
        format!(
            "/xapi/agents?{}",
            query(&[(
                "agent",
                "{\"mbox\":\"mailto:a@b.example\",\"openid\":\"https://a.example\"}"
            )])
        ),
    ] {
        let response = lrs.get(&bad).await;
        assert_error(&response, StatusCode::BAD_REQUEST, &["agent"]);
    }
    lrs.finish().await;
}

// ---- authentication and scopes ----

#[tokio::test]
async fn requests_without_valid_credentials_are_unauthorised() {
    let lrs = Lrs::new().await;
    let id = lrs
        .post_statements(&statement("ada@lernwerk.example", "completed", "c"))
        .await[0]
        .clone();
    let (key, secret) = match &lrs.auth {
        Auth::Basic { key, secret } => (key.clone(), secret.clone()),
        _ => unreachable!(),
    };
    let wrong = [
        Auth::None,
        Auth::Basic {
            key: key.clone(),
            secret: format!("{secret}x"),
        },
        Auth::Basic {
            key: format!("lernwerk.{}", new_id()),
            secret: secret.clone(),
        },
        Auth::Basic {
            key: "nonsense".into(),
            secret,
        },
        Auth::Session("mycel_session=lernwerk.abc".into()),
    ];
    for auth in &wrong {
        for (method, path) in [
            (Method::GET, format!("/xapi/statements?statementId={id}")),
            (Method::POST, "/xapi/statements".to_owned()),
            (
                Method::GET,
                format!(
                    "/xapi/activities?{}",
                    query(&[("activityId", &activity_iri("c"))])
                ),
            ),
        ] {
            let response = lrs
                .call(
                    method.clone(),
                    &path,
                    auth,
                    Some(V2),
                    &[("content-type", "application/json")],
                    Body::from(statement("x@lernwerk.example", "v", "a").to_string()),
                )
                .await;
            assert_eq!(
                response.status,
                StatusCode::UNAUTHORIZED,
                "{auth:?} {method} {path}: {}",
                response.text()
            );
            assert!(header(&response, "www-authenticate").is_some());
            assert!(!response.text().contains(&id));
        }
    }
    // A person's session does not open the xAPI either.
    lrs.app
        .person(
            &lrs.tenant,
            "admin@lernwerk.example",
            mycel_organisation::AccessRole::TenantAdmin,
            None,
        )
        .await;
    let session = lrs.app.login(&lrs.tenant, "admin@lernwerk.example").await;
    let response = lrs
        .get_as(&format!("/xapi/statements?statementId={id}"), &session, V2)
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        lrs.query_ids("").await,
        vec![id],
        "only the first statement was stored"
    );
    lrs.finish().await;
}

#[tokio::test]
async fn statement_scopes() {
    let lrs = Lrs::new().await;
    let writer = lrs
        .app
        .credential(&lrs.tenant, &[Scope::StatementsWrite])
        .await;
    let reader = lrs
        .app
        .credential(&lrs.tenant, &[Scope::StatementsRead])
        .await;

    let id = lrs
        .post_statements_as(
            &writer,
            V2,
            &statement("ada@lernwerk.example", "completed", "c"),
        )
        .await[0]
        .clone();
    for path in [
        format!("/xapi/statements?statementId={id}"),
        "/xapi/statements".to_owned(),
    ] {
        let response = lrs.get_as(&path, &writer, V2).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            response.text()
        );
        assert_eq!(response.error_code(), "forbidden");
    }
    assert_eq!(lrs.query_ids_as(&reader, "").await, vec![id.clone()]);
    let response = lrs
        .json_as(
            Method::POST,
            "/xapi/statements",
            &reader,
            V2,
            &statement("ada@lernwerk.example", "completed", "d"),
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let response = lrs
        .json_as(
            Method::PUT,
            &format!("/xapi/statements?statementId={}", new_id()),
            &reader,
            V2,
            &statement("ada@lernwerk.example", "completed", "d"),
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(lrs.query_ids("").await, vec![id]);
    // Statement scopes give no documents.
    let doc = format!(
        "/xapi/activities/state?{}",
        query(&[
            ("activityId", &activity_iri("c")),
            ("agent", &agent("ada@lernwerk.example").to_string()),
            ("stateId", "s")
        ])
    );
    let response = lrs.get_as(&doc, &reader, V2).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    lrs.finish().await;
}

#[tokio::test]
async fn read_mine_sees_only_the_statements_of_its_own_credential() {
    let lrs = Lrs::new().await;
    let mine = lrs
        .app
        .credential(
            &lrs.tenant,
            &[Scope::StatementsWrite, Scope::StatementsReadMine],
        )
        .await;
    let other = lrs
        .app
        .credential(
            &lrs.tenant,
            &[Scope::StatementsWrite, Scope::StatementsReadMine],
        )
        .await;
    let a = lrs
        .post_statements_as(
            &mine,
            V2,
            &statement("ada@lernwerk.example", "completed", "c"),
        )
        .await[0]
        .clone();
    let b = lrs
        .post_statements_as(
            &other,
            V2,
            &statement("ada@lernwerk.example", "completed", "c"),
        )
        .await[0]
        .clone();
    let a2 = lrs
        .post_statements_as(
            &mine,
            V2,
            &statement("ben@lernwerk.example", "attempted", "c"),
        )
        .await[0]
        .clone();

    assert_eq!(
        lrs.query_ids_as(&mine, "").await,
        vec![a2.clone(), a.clone()]
    );
    assert_eq!(lrs.query_ids_as(&other, "").await, vec![b.clone()]);
    let ada = agent("ada@lernwerk.example").to_string();
    assert_eq!(
        lrs.query_ids_as(&mine, &query(&[("agent", &ada)])).await,
        vec![a.clone()]
    );
    let response = lrs
        .get_as(&format!("/xapi/statements?statementId={b}"), &mine, V2)
        .await;
    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "{}",
        response.text()
    );
    let response = lrs
        .get_as(&format!("/xapi/statements?statementId={a}"), &mine, V2)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.json()["authority"]["account"]["name"],
        json!(key_of(&mine))
    );
    // Paging keeps to the credential's statements.
    let page = lrs
        .get_as("/xapi/statements?limit=1", &mine, V2)
        .await
        .json();
    assert_eq!(ids_of(&page), vec![a2]);
    let next = lrs
        .get_as(page["more"].as_str().unwrap(), &mine, V2)
        .await
        .json();
    assert_eq!(ids_of(&next), vec![a]);
    assert_eq!(next["more"], json!(""));
    // The full reader sees all.
    assert_eq!(lrs.query_ids("").await.len(), 3);
    lrs.finish().await;
}

#[tokio::test]
async fn state_and_profile_scopes_are_separate() {
    let lrs = Lrs::new().await;
    let state_only = lrs.app.credential(&lrs.tenant, &[Scope::State]).await;
    let profiles_only = lrs.app.credential(&lrs.tenant, &[Scope::Profiles]).await;
    let ada = agent("ada@lernwerk.example").to_string();
    let state = format!(
        "/xapi/activities/state?{}",
        query(&[
            ("activityId", &activity_iri("c")),
            ("agent", &ada),
            ("stateId", "s")
        ])
    );
    let profile = format!(
        "/xapi/activities/profile?{}",
        query(&[("activityId", &activity_iri("c")), ("profileId", "p")])
    );
    let agent_profile = format!(
        "/xapi/agents/profile?{}",
        query(&[("agent", &ada), ("profileId", "p")])
    );
    let put = |auth: &Auth, url: &str| {
        let request = TestApp::request(Method::PUT, url, auth)
            .header(VERSION, V2)
            .header("content-type", "application/json")
            .body(Body::from("{\"v\":1}"))
            .unwrap();
        lrs.app.send(request)
    };
    assert_eq!(
        put(&state_only, &state).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put(&state_only, &profile).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put(&state_only, &agent_profile).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put(&profiles_only, &state).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put(&profiles_only, &profile).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put(&profiles_only, &agent_profile).await.status,
        StatusCode::NO_CONTENT
    );

    assert_eq!(
        lrs.get_as(&state, &state_only, V2).await.json(),
        json!({"v": 1})
    );
    assert_eq!(
        lrs.get_as(&state, &profiles_only, V2).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lrs.get_as(&profile, &state_only, V2).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lrs.get_as(&profile, &profiles_only, V2).await.json(),
        json!({"v": 1})
    );
    let response = lrs
        .call(
            Method::DELETE,
            &profile,
            &state_only,
            Some(V2),
            &[],
            Body::empty(),
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(
        lrs.get(&profile).await.json(),
        json!({"v": 1}),
        "still there"
    );
    // Neither gives statements.
    for auth in [&state_only, &profiles_only] {
        assert_eq!(
            lrs.get_as("/xapi/statements", auth, V2).await.status,
            StatusCode::FORBIDDEN
        );
    }
    // Profiles may read activities and agents; state alone may not.
    let activity = format!(
        "/xapi/activities?{}",
        query(&[("activityId", &activity_iri("c"))])
    );
    let agents = format!("/xapi/agents?{}", query(&[("agent", &ada)]));
    assert_eq!(
        lrs.get_as(&activity, &profiles_only, V2).await.status,
        StatusCode::OK
    );
    assert_eq!(
        lrs.get_as(&agents, &profiles_only, V2).await.status,
        StatusCode::OK
    );
    assert_eq!(
        lrs.get_as(&activity, &state_only, V2).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lrs.get_as(&agents, &state_only, V2).await.status,
        StatusCode::FORBIDDEN
    );
    lrs.finish().await;
}

#[tokio::test]
async fn tenants_never_see_each_others_records() {
    let lrs = Lrs::new().await;
    let other_tenant = lrs.app.tenant("nachbar").await;
    let theirs = lrs.app.credential(&other_tenant, &[Scope::All]).await;
    let ada = agent("ada@lernwerk.example").to_string();
    let iri = activity_iri("secret-course");

    let mut s = statement("ada@lernwerk.example", "completed", "secret-course");
    s["object"]["definition"] = json!({"name": {"en-US": "Secret course"}});
    let id = lrs.post_statements(&s).await[0].clone();
    let state = format!(
        "/xapi/activities/state?{}",
        query(&[("activityId", &iri), ("agent", &ada), ("stateId", "s")])
    );
    let profile = format!(
        "/xapi/activities/profile?{}",
        query(&[("activityId", &iri), ("profileId", "p")])
    );
    let agent_profile = format!(
        "/xapi/agents/profile?{}",
        query(&[("agent", &ada), ("profileId", "p")])
    );
    for url in [&state, &profile, &agent_profile] {
        let response = lrs
            .call(
                Method::PUT,
                url,
                &lrs.auth,
                Some(V2),
                &[("content-type", "application/json")],
                Body::from("{\"secret\":true}"),
            )
            .await;
        assert_eq!(response.status, StatusCode::NO_CONTENT);
    }

    // Tenant B's credential sees none of it.
    let response = lrs
        .get_as(&format!("/xapi/statements?statementId={id}"), &theirs, V2)
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(lrs.query_ids_as(&theirs, "").await.is_empty());
    assert!(lrs
        .query_ids_as(&theirs, &query(&[("agent", &ada)]))
        .await
        .is_empty());
    for url in [&state, &profile, &agent_profile] {
        let response = lrs.get_as(url, &theirs, V2).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{url}");
    }
    for list in [
        format!(
            "/xapi/activities/state?{}",
            query(&[("activityId", &iri), ("agent", &ada)])
        ),
        format!(
            "/xapi/activities/profile?{}",
            query(&[("activityId", &iri)])
        ),
        format!("/xapi/agents/profile?{}", query(&[("agent", &ada)])),
    ] {
        let response = lrs.get_as(&list, &theirs, V2).await;
        assert_eq!(response.json(), json!([]), "{list}");
    }
    let activity = lrs
        .get_as(
            &format!("/xapi/activities?{}", query(&[("activityId", &iri)])),
            &theirs,
            V2,
        )
        .await
        .json();
    assert!(activity.get("definition").is_none(), "{activity}");
    // Tenant B deleting the states deletes only its own (none).
    let response = lrs
        .call(
            Method::DELETE,
            &format!(
                "/xapi/activities/state?{}",
                query(&[("activityId", &iri), ("agent", &ada)])
            ),
            &theirs,
            Some(V2),
            &[],
            Body::empty(),
        )
        .await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert_eq!(lrs.get(&state).await.json(), json!({"secret": true}));

    // The same statement id in tenant B is B's own statement, and A's is unchanged.
    let mut mine = statement("ben@lernwerk.example", "failed", "other");
    mine["id"] = json!(id);
    let response = lrs
        .json_as(Method::POST, "/xapi/statements", &theirs, V2, &mine)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let response = lrs
        .get_as(&format!("/xapi/statements?statementId={id}"), &theirs, V2)
        .await;
    assert_eq!(response.json()["verb"]["id"], json!(verb_iri("failed")));
    assert_eq!(
        lrs.statement(&id).await["verb"]["id"],
        json!(verb_iri("completed"))
    );
    // Voiding across tenants does not reach A's statement.
    lrs.post_statements_as(&theirs, V2, &voiding(&id)).await;
    assert_eq!(lrs.statement(&id).await["id"], json!(id));
    lrs.finish().await;
}
