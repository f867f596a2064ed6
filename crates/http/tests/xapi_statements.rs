//! The Statement resource of the LRS (`/xapi/statements`), against the rules ADL's conformance suite
//! checks (test/v1_0_3 and test/v2_0): validation, what the LRS assigns, PUT and POST (single and
//! batch, all or nothing), immutability (same statement again is fine, a different one under a
//! known id is a conflict), voiding, the query filters and `more` paging, the formats, and
//! attachments in multipart/mixed. Every test reads back what it wrote; none stops at a status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod xapi_support;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::time::Duration;
use xapi_support::*;

/// Waits long enough that the next statement gets a later `stored` (millisecond precision).
async fn tick() {
    tokio::time::sleep(Duration::from_millis(5)).await;
}

fn parse_time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a timestamp string"))
        .expect("an RFC 3339 timestamp")
        .with_timezone(&Utc)
}

// ---- validation and what the LRS assigns ----

#[tokio::test]
async fn a_valid_statement_is_stored_and_read_back_exactly_with_what_the_lrs_assigns() {
    let lrs = Lrs::new().await;
    let id = new_id();
    let registration = new_id();
    let sent = json!({
        "id": id,
        "actor": {"objectType": "Agent", "name": "Ada Muster", "mbox": "mailto:ada@lernwerk.example"},
        "verb": {"id": verb_iri("completed"), "display": {"en-US": "completed", "de-DE": "abgeschlossen"}},
        "object": {
            "objectType": "Activity",
            "id": activity_iri("forklift-safety"),
            "definition": {
                "name": {"en-US": "Forklift safety"},
                "type": "http://adlnet.gov/expapi/activities/course",
                "extensions": {"https://lernwerk.example/ext/level": null}
            }
        },
        "result": {
            "score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100},
            "success": true,
            "completion": true,
            "duration": "PT1H12M"
        },
        "context": {
            "registration": registration,
            "platform": "Mycel",
            "language": "de-DE",
            "contextActivities": {"parent": [{"objectType": "Activity", "id": activity_iri("warehouse")}]},
            "extensions": {"https://lernwerk.example/ext/site": "Filiale 12"}
        },
        "timestamp": "2026-11-20T08:15:00.000Z"
    });
    let before = Utc::now() - chrono::Duration::seconds(1);
    assert_eq!(lrs.post_statements(&sent).await, vec![id.clone()]);
    let after = Utc::now() + chrono::Duration::seconds(1);

    let back = lrs.statement(&id).await;
    let stored = parse_time(&back["stored"]);
    assert!(
        before <= stored && stored <= after,
        "stored {stored} is not now"
    );
    assert_eq!(
        back["version"],
        json!("2.0.0"),
        "2.0 requests default the version"
    );
    assert_eq!(back["authority"]["objectType"], json!("Agent"));
    assert_eq!(
        back["authority"]["account"]["name"],
        json!(key_of(&lrs.auth))
    );
    assert!(back["authority"]["account"]["homePage"].is_string());
    // Everything the client sent comes back unchanged.
    let mut expected = sent.clone();
    for key in ["stored", "authority", "version"] {
        expected[key] = back[key].clone();
    }
    assert_eq!(back, expected);
    lrs.finish().await;
}

#[tokio::test]
async fn the_lrs_sets_version_per_rule_set_and_timestamp_when_missing() {
    let lrs = Lrs::new().await;
    let old = lrs
        .post_statements_as(
            &lrs.auth,
            V1,
            &statement("ada@lernwerk.example", "attempted", "a"),
        )
        .await;
    let new = lrs
        .post_statements_as(
            &lrs.auth,
            V2,
            &statement("ada@lernwerk.example", "attempted", "a"),
        )
        .await;
    let old = lrs.statement(&old[0]).await;
    let new = lrs.statement(&new[0]).await;
    assert_eq!(old["version"], json!("1.0.0"));
    assert_eq!(new["version"], json!("2.0.0"));
    for s in [&old, &new] {
        // Without a timestamp the LRS sets it to the time it stored the statement.
        assert_eq!(parse_time(&s["timestamp"]), parse_time(&s["stored"]));
    }
    // A version the client gives is kept.
    let mut given = statement("ada@lernwerk.example", "attempted", "b");
    given["version"] = json!("1.0.1");
    let id = lrs.post_statements_as(&lrs.auth, V1, &given).await;
    assert_eq!(lrs.statement(&id[0]).await["version"], json!("1.0.1"));
    // A timestamp with an offset is the same instant in UTC.
    let mut offset = statement("ada@lernwerk.example", "attempted", "c");
    offset["timestamp"] = json!("2026-11-20T10:15:00.250+02:00");
    let id = lrs.post_statements(&offset).await;
    assert_eq!(
        parse_time(&lrs.statement(&id[0]).await["timestamp"]),
        parse_time(&json!("2026-11-20T08:15:00.250Z"))
    );
    lrs.finish().await;
}

#[tokio::test]
async fn invalid_statements_are_refused_naming_the_property() {
    let lrs = Lrs::new().await;
    let base = || statement("ada@lernwerk.example", "completed", "course");
    let with = |path: &str, value: Value| {
        let mut s = base();
        let pointer = format!("/{}", path.replace('.', "/"));
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let parent = if parent.is_empty() {
            &mut s
        } else {
            if s.pointer(parent).is_none() {
                let (grand, child) = parent.rsplit_once('/').unwrap();
                let grand = if grand.is_empty() {
                    &mut s
                } else {
                    s.pointer_mut(grand).unwrap()
                };
                grand[child] = json!({});
            }
            s.pointer_mut(parent).unwrap()
        };
        parent[key] = value;
        s
    };
    let without = |key: &str| {
        let mut s = base();
        s.as_object_mut().unwrap().remove(key);
        s
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("no verb", without("verb"), "verb"),
        ("no actor", without("actor"), "actor"),
        ("no object", without("object"), "object"),
        ("id not a UUID", with("id", json!("not-a-uuid")), "id"),
        ("unknown property", with("mood", json!("happy")), "mood"),
        (
            "property in wrong case",
            with("Result", json!({})),
            "Result",
        ),
        (
            "mbox without mailto",
            with("actor.mbox", json!("ada@lernwerk.example")),
            "actor.mbox",
        ),
        (
            "two IFIs",
            with("actor.openid", json!("https://id.lernwerk.example/ada")),
            "actor",
        ),
        (
            "verb id not an IRI",
            with("verb.id", json!("completed")),
            "verb.id",
        ),
        (
            "display not a language map",
            with("verb.display", json!({"not a tag!": "x"})),
            "verb.display",
        ),
        (
            "scaled above 1",
            with("result.score", json!({"scaled": 1.5})),
            "result.score.scaled",
        ),
        (
            "null value",
            with("result", json!({"success": null})),
            "result.success",
        ),
        (
            "boolean as string",
            with("result", json!({"completion": "true"})),
            "result.completion",
        ),
        (
            "bad duration",
            with("result", json!({"duration": "90 minutes"})),
            "result.duration",
        ),
        (
            "registration not a UUID",
            with("context", json!({"registration": "r-1"})),
            "context.registration",
        ),
        (
            "voiding a non-StatementRef",
            with("verb", json!({"id": VOIDED})),
            "object",
        ),
        (
            "bad timestamp",
            with("timestamp", json!("2026-02-30T10:00:00Z")),
            "timestamp",
        ),
        (
            "unknown statement version",
            with("version", json!("1.1.0")),
            "version",
        ),
        (
            "SubStatement with id",
            with(
                "object",
                json!({"objectType": "SubStatement", "id": new_id(), "actor": agent("b@lernwerk.example"),
                       "verb": {"id": verb_iri("x")}, "object": {"id": activity_iri("x")}}),
            ),
            "object.id",
        ),
        (
            "interactionType in wrong case",
            with("object.definition", json!({"interactionType": "Choice"})),
            "object.definition.interactionType",
        ),
    ];
    for (what, body, property) in cases {
        let response = lrs.json(Method::POST, "/xapi/statements", V2, &body).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            response.text()
        );
        assert_eq!(response.error_code(), "bad_request", "{what}");
        let message = response.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.contains(property),
            "{what}: {message:?} does not name {property}"
        );
    }
    // None of them was stored.
    assert_eq!(lrs.query_ids("").await, Vec::<String>::new());
    lrs.finish().await;
}

#[tokio::test]
async fn rules_that_differ_between_1_0_3_and_2_0() {
    let lrs = Lrs::new().await;
    // A timestamp without time zone: accepted (as UTC) under 1.0.3, refused under 2.0.
    let mut local = statement("ada@lernwerk.example", "attempted", "tz");
    local["timestamp"] = json!("2026-11-20T08:15:00.000");
    let refused = lrs.json(Method::POST, "/xapi/statements", V2, &local).await;
    assert_error(&refused, StatusCode::BAD_REQUEST, &["timestamp"]);
    let id = lrs.post_statements_as(&lrs.auth, V1, &local).await;
    assert_eq!(
        parse_time(&lrs.statement(&id[0]).await["timestamp"]),
        parse_time(&json!("2026-11-20T08:15:00Z"))
    );

    // contextAgents exist only in 2.0.
    let mut with_agents = statement("ada@lernwerk.example", "attempted", "ctx");
    with_agents["context"] = json!({"contextAgents": [{
        "objectType": "contextAgent",
        "agent": agent("coach@lernwerk.example"),
        "relevantTypes": ["https://lernwerk.example/roles/coach"]
    }]});
    let refused = lrs
        .json(Method::POST, "/xapi/statements", V1, &with_agents)
        .await;
    assert_error(&refused, StatusCode::BAD_REQUEST, &["contextAgents"]);
    let id = lrs.post_statements_as(&lrs.auth, V2, &with_agents).await;
    assert_eq!(
        lrs.statement(&id[0]).await["context"],
        with_agents["context"]
    );
    let mut no_types = with_agents.clone();
    no_types["context"]["contextAgents"][0]["relevantTypes"] = json!([]);
    let refused = lrs
        .json(Method::POST, "/xapi/statements", V2, &no_types)
        .await;
    assert_error(&refused, StatusCode::BAD_REQUEST, &["relevantTypes"]);

    // A statement claiming version 2.0.0 is a 2.0 statement.
    let mut two = statement("ada@lernwerk.example", "attempted", "v");
    two["version"] = json!("2.0.0");
    let refused = lrs.json(Method::POST, "/xapi/statements", V1, &two).await;
    assert_error(&refused, StatusCode::BAD_REQUEST, &["version"]);
    let id = lrs.post_statements_as(&lrs.auth, V2, &two).await;
    assert_eq!(lrs.statement(&id[0]).await["version"], json!("2.0.0"));
    lrs.finish().await;
}

// ---- PUT and POST ----

#[tokio::test]
async fn put_stores_under_the_statement_id_parameter() {
    let lrs = Lrs::new().await;
    let id = new_id();
    let body = statement("ada@lernwerk.example", "launched", "put");
    let response = lrs
        .json(
            Method::PUT,
            &format!("/xapi/statements?statementId={id}"),
            V2,
            &body,
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert!(response.body.is_empty());
    let back = lrs.statement(&id).await;
    assert_eq!(back["id"], json!(id));
    assert_eq!(back["verb"], body["verb"]);

    // The id in the body may be given too, if it is the same (in any case).
    let id2 = new_id();
    let mut with_id = body.clone();
    with_id["id"] = json!(id2.to_uppercase());
    let response = lrs
        .json(
            Method::PUT,
            &format!("/xapi/statements?statementId={id2}"),
            V2,
            &with_id,
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert_eq!(lrs.statement(&id2).await["object"], body["object"]);
    lrs.finish().await;
}

#[tokio::test]
async fn put_without_statement_id_or_with_another_id_is_refused() {
    let lrs = Lrs::new().await;
    let body = statement("ada@lernwerk.example", "launched", "put");
    let response = lrs.json(Method::PUT, "/xapi/statements", V2, &body).await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["statementId"]);

    let (param, inside) = (new_id(), new_id());
    let mut mismatched = body.clone();
    mismatched["id"] = json!(inside);
    let response = lrs
        .json(
            Method::PUT,
            &format!("/xapi/statements?statementId={param}"),
            V2,
            &mismatched,
        )
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &[&inside, &param]);

    let response = lrs
        .json(
            Method::PUT,
            "/xapi/statements?statementId=nonsense",
            V2,
            &body,
        )
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["statementId"]);

    for id in [&param, &inside] {
        let response = lrs.get(&format!("/xapi/statements?statementId={id}")).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{}",
            response.text()
        );
    }
    assert!(lrs.query_ids("").await.is_empty());
    lrs.finish().await;
}

#[tokio::test]
async fn post_answers_the_ids_in_order() {
    let lrs = Lrs::new().await;
    let single = lrs
        .post_statements(&statement("ada@lernwerk.example", "launched", "one"))
        .await;
    assert_eq!(single.len(), 1);
    uuid::Uuid::parse_str(&single[0]).expect("a UUID");

    let chosen = new_id();
    let mut middle = statement("ben@lernwerk.example", "answered", "two");
    middle["id"] = json!(chosen);
    let batch = json!([
        statement("ada@lernwerk.example", "attempted", "one"),
        middle,
        statement("cem@lernwerk.example", "passed", "three"),
    ]);
    let ids = lrs.post_statements(&batch).await;
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[1], chosen);
    for (id, verb) in ids.iter().zip(["attempted", "answered", "passed"]) {
        assert_eq!(lrs.statement(id).await["verb"]["id"], json!(verb_iri(verb)));
    }
    lrs.finish().await;
}

#[tokio::test]
async fn a_batch_with_one_invalid_statement_stores_none_of_them() {
    let lrs = Lrs::new().await;
    let (first, third) = (new_id(), new_id());
    let mut a = statement("ada@lernwerk.example", "attempted", "one");
    a["id"] = json!(first);
    let mut c = statement("cem@lernwerk.example", "passed", "three");
    c["id"] = json!(third);
    let mut bad = statement("ben@lernwerk.example", "answered", "two");
    bad["actor"]["mbox"] = json!("ben@lernwerk.example");
    let response = lrs
        .json(Method::POST, "/xapi/statements", V2, &json!([a, bad, c]))
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["[1]", "actor.mbox"]);
    for id in [&first, &third] {
        let response = lrs.get(&format!("/xapi/statements?statementId={id}")).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND);
    }
    assert!(lrs.query_ids("").await.is_empty());

    // Two statements with the same id in one batch: also none stored.
    let twice = json!([a.clone(), a]);
    let response = lrs.json(Method::POST, "/xapi/statements", V2, &twice).await;
    assert_error(&response, StatusCode::BAD_REQUEST, &[&first]);
    assert!(lrs.query_ids("").await.is_empty());
    lrs.finish().await;
}

#[tokio::test]
async fn resending_the_same_statement_is_accepted_and_changes_nothing() {
    let lrs = Lrs::new().await;
    let id = new_id();
    let mut body = statement("ada@lernwerk.example", "completed", "same");
    body["id"] = json!(id);
    body["timestamp"] = json!("2026-11-20T08:15:00.000Z");
    lrs.post_statements(&body).await;
    let first = lrs.statement(&id).await;
    tick().await;

    let again = lrs.post_statements(&body).await;
    assert_eq!(again, vec![id.clone()]);
    let put = lrs
        .json(
            Method::PUT,
            &format!("/xapi/statements?statementId={id}"),
            V2,
            &body,
        )
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.text());
    // In a batch with a new statement, the known one is skipped and the new one stored.
    let fresh = lrs
        .post_statements(&json!([
            body,
            statement("ben@lernwerk.example", "completed", "new")
        ]))
        .await;
    assert_eq!(fresh[0], id);

    assert_eq!(
        lrs.statement(&id).await,
        first,
        "the stored statement did not change"
    );
    let all = lrs.query_ids("").await;
    assert_eq!(all, vec![fresh[1].clone(), id]);
    lrs.finish().await;
}

#[tokio::test]
async fn a_different_statement_under_a_known_id_is_a_conflict() {
    let lrs = Lrs::new().await;
    let id = new_id();
    let mut original = statement("ada@lernwerk.example", "completed", "course");
    original["id"] = json!(id);
    lrs.post_statements(&original).await;
    let stored = lrs.statement(&id).await;

    let mut other = statement("ada@lernwerk.example", "failed", "course");
    other["id"] = json!(id);
    let response = lrs.json(Method::POST, "/xapi/statements", V2, &other).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    assert_eq!(response.error_code(), "conflict");
    let response = lrs
        .json(
            Method::PUT,
            &format!("/xapi/statements?statementId={id}"),
            V2,
            &other,
        )
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    // A conflict inside a batch stores none of the batch.
    let newcomer = new_id();
    let mut fresh = statement("ben@lernwerk.example", "completed", "course");
    fresh["id"] = json!(newcomer);
    let response = lrs
        .json(Method::POST, "/xapi/statements", V2, &json!([fresh, other]))
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());

    assert_eq!(lrs.statement(&id).await, stored);
    let response = lrs
        .get(&format!("/xapi/statements?statementId={newcomer}"))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    lrs.finish().await;
}

#[tokio::test]
async fn statement_bodies_need_json_or_multipart() {
    let lrs = Lrs::new().await;
    let body = statement("ada@lernwerk.example", "completed", "course").to_string();
    for (content_type, needle) in [("text/plain", "text/plain"), ("application/json", "JSON")] {
        let sent = if content_type == "application/json" {
            "{not json".to_owned()
        } else {
            body.clone()
        };
        let response = lrs
            .call(
                Method::POST,
                "/xapi/statements",
                &lrs.auth,
                Some(V2),
                &[("content-type", content_type)],
                Body::from(sent),
            )
            .await;
        assert_error(&response, StatusCode::BAD_REQUEST, &[needle]);
    }
    assert!(lrs.query_ids("").await.is_empty());
    lrs.finish().await;
}

// ---- voiding ----

#[tokio::test]
async fn a_voided_statement_is_found_only_by_voided_statement_id() {
    let lrs = Lrs::new().await;
    let target = lrs
        .post_statements(&statement("ada@lernwerk.example", "passed", "exam"))
        .await[0]
        .clone();
    let other = lrs
        .post_statements(&statement("ada@lernwerk.example", "attempted", "exam"))
        .await[0]
        .clone();
    let voiding = lrs.post_statements(&voiding(&target)).await[0].clone();

    let response = lrs
        .get(&format!("/xapi/statements?statementId={target}"))
        .await;
    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "{}",
        response.text()
    );
    let response = lrs
        .get(&format!("/xapi/statements?voidedStatementId={target}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["id"], json!(target));
    assert_eq!(response.json()["verb"]["id"], json!(verb_iri("passed")));
    // A statement that is not voided is not found by voidedStatementId.
    let response = lrs
        .get(&format!("/xapi/statements?voidedStatementId={other}"))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);

    // Queries leave out the voided statement and return the voiding one.
    let all = lrs.query_ids("").await;
    assert_eq!(all, vec![voiding.clone(), other.clone()]);
    let voiding_back = lrs.statement(&voiding).await;
    assert_eq!(
        voiding_back["object"],
        json!({"objectType": "StatementRef", "id": target})
    );
    // A filter on the voided statement's activity returns the voiding statement that refers to it.
    let by_activity = lrs
        .query_ids(&query(&[("activity", &activity_iri("exam"))]))
        .await;
    assert_eq!(by_activity, vec![voiding.clone(), other]);
    lrs.finish().await;
}

#[tokio::test]
async fn a_voiding_statement_cannot_be_voided() {
    let lrs = Lrs::new().await;
    let target = lrs
        .post_statements(&statement("ada@lernwerk.example", "passed", "exam"))
        .await[0]
        .clone();
    let voiding_id = lrs.post_statements(&voiding(&target)).await[0].clone();
    let response = lrs
        .json(Method::POST, "/xapi/statements", V2, &voiding(&voiding_id))
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &[&voiding_id]);
    // The voiding statement stands and nothing new was stored.
    assert_eq!(
        lrs.statement(&voiding_id).await["object"]["id"],
        json!(target)
    );
    assert_eq!(lrs.query_ids("").await, vec![voiding_id]);
    lrs.finish().await;
}

// ---- queries and paging ----

/// Statements to query: ids in the order stored.
struct Fixture {
    lrs: Lrs,
    /// ada completed course (registration r, parent activity "program", instructor coach)
    ada_course: String,
    /// ben attempted course
    ben_course: String,
    /// ada attempted quiz
    ada_quiz: String,
    /// coach mentored ben (object is the Agent ben)
    coach_ben: String,
    registration: String,
}

async fn fixture() -> Fixture {
    let lrs = Lrs::new().await;
    let registration = new_id();
    let mut first = statement("ada@lernwerk.example", "completed", "course");
    first["context"] = json!({
        "registration": registration,
        "instructor": agent("coach@lernwerk.example"),
        "contextActivities": {"parent": [{"id": activity_iri("program")}]}
    });
    let ada_course = lrs.post_statements(&first).await[0].clone();
    tick().await;
    let ben_course = lrs
        .post_statements(&statement("ben@lernwerk.example", "attempted", "course"))
        .await[0]
        .clone();
    tick().await;
    let ada_quiz = lrs
        .post_statements(&statement("ada@lernwerk.example", "attempted", "quiz"))
        .await[0]
        .clone();
    tick().await;
    let mut mentored = statement("coach@lernwerk.example", "mentored", "unused");
    mentored["object"] = agent("ben@lernwerk.example");
    let coach_ben = lrs.post_statements(&mentored).await[0].clone();
    Fixture {
        lrs,
        ada_course,
        ben_course,
        ada_quiz,
        coach_ben,
        registration,
    }
}

fn agent_q(mbox: &str) -> String {
    agent(mbox).to_string()
}

#[tokio::test]
async fn query_filters_by_agent_verb_activity_and_registration() {
    let f = fixture().await;
    let lrs = &f.lrs;
    let ada = agent_q("ada@lernwerk.example");
    let ben = agent_q("ben@lernwerk.example");
    let coach = agent_q("coach@lernwerk.example");
    // Newest first by default.
    assert_eq!(
        lrs.query_ids("").await,
        vec![
            f.coach_ben.clone(),
            f.ada_quiz.clone(),
            f.ben_course.clone(),
            f.ada_course.clone()
        ]
    );
    assert_eq!(
        lrs.query_ids(&query(&[("agent", &ada)])).await,
        vec![f.ada_quiz.clone(), f.ada_course.clone()]
    );
    // Agents are matched by their identifier alone: objectType and name make no difference.
    for same in [
        json!({"mbox": "mailto:ada@lernwerk.example"}),
        json!({"objectType": "Agent", "name": "Someone Else", "mbox": "mailto:ada@lernwerk.example"}),
    ] {
        assert_eq!(
            lrs.query_ids(&query(&[("agent", &same.to_string())])).await,
            vec![f.ada_quiz.clone(), f.ada_course.clone()],
            "{same}"
        );
    }
    // An agent matches as actor or as object.
    assert_eq!(
        lrs.query_ids(&query(&[("agent", &ben)])).await,
        vec![f.coach_ben.clone(), f.ben_course.clone()]
    );
    // The instructor is related only.
    assert_eq!(
        lrs.query_ids(&query(&[("agent", &coach)])).await,
        vec![f.coach_ben.clone()]
    );
    assert_eq!(
        lrs.query_ids(&query(&[("agent", &coach), ("related_agents", "true")]))
            .await,
        vec![f.coach_ben.clone(), f.ada_course.clone()]
    );
    assert_eq!(
        lrs.query_ids(&query(&[("verb", &verb_iri("attempted"))]))
            .await,
        vec![f.ada_quiz.clone(), f.ben_course.clone()]
    );
    assert_eq!(
        lrs.query_ids(&query(&[("activity", &activity_iri("course"))]))
            .await,
        vec![f.ben_course.clone(), f.ada_course.clone()]
    );
    // A parent activity is related only.
    assert!(lrs
        .query_ids(&query(&[("activity", &activity_iri("program"))]))
        .await
        .is_empty());
    assert_eq!(
        lrs.query_ids(&query(&[
            ("activity", &activity_iri("program")),
            ("related_activities", "true")
        ]))
        .await,
        vec![f.ada_course.clone()]
    );
    assert_eq!(
        lrs.query_ids(&query(&[("registration", &f.registration)]))
            .await,
        vec![f.ada_course.clone()]
    );
    // Filters combine with AND.
    assert_eq!(
        lrs.query_ids(&query(&[("agent", &ada), ("verb", &verb_iri("attempted"))]))
            .await,
        vec![f.ada_quiz.clone()]
    );
    assert!(lrs
        .query_ids(&query(&[
            ("agent", &ben),
            ("activity", &activity_iri("quiz"))
        ]))
        .await
        .is_empty());
    // Malformed filter values are refused.
    for (name, value) in [
        ("agent", "{\"mbox\": \"ada@lernwerk.example\"}"),
        ("verb", "attempted"),
        ("registration", "r-1"),
        ("since", "yesterday"),
        ("limit", "-1"),
        ("ascending", "yes"),
    ] {
        let response = lrs
            .get(&format!("/xapi/statements?{}", query(&[(name, value)])))
            .await;
        assert_error(&response, StatusCode::BAD_REQUEST, &[name]);
    }
    f.lrs.finish().await;
}

#[tokio::test]
async fn query_since_until_limit_and_ascending() {
    let f = fixture().await;
    let lrs = &f.lrs;
    let stored = |id: String| async move {
        lrs.statement(&id).await["stored"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let second = stored(f.ben_course.clone()).await;
    let third = stored(f.ada_quiz.clone()).await;
    // since is exclusive, until inclusive.
    assert_eq!(
        lrs.query_ids(&query(&[("since", &second)])).await,
        vec![f.coach_ben.clone(), f.ada_quiz.clone()]
    );
    assert_eq!(
        lrs.query_ids(&query(&[("until", &second)])).await,
        vec![f.ben_course.clone(), f.ada_course.clone()]
    );
    assert_eq!(
        lrs.query_ids(&query(&[("since", &second), ("until", &third)]))
            .await,
        vec![f.ada_quiz.clone()]
    );
    assert_eq!(
        lrs.query_ids("ascending=true").await,
        vec![
            f.ada_course.clone(),
            f.ben_course.clone(),
            f.ada_quiz.clone(),
            f.coach_ben.clone()
        ]
    );
    let page = lrs.get("/xapi/statements?limit=2").await;
    assert_eq!(
        ids_of(&page.json()),
        vec![f.coach_ben.clone(), f.ada_quiz.clone()]
    );
    assert!(page.json()["more"]
        .as_str()
        .unwrap()
        .starts_with("/xapi/statements?more="));
    let page = lrs.get("/xapi/statements?limit=2&ascending=true").await;
    assert_eq!(
        ids_of(&page.json()),
        vec![f.ada_course.clone(), f.ben_course.clone()]
    );
    // All fit: more is the empty string.
    let page = lrs.get("/xapi/statements?limit=4").await;
    assert_eq!(page.json()["more"], json!(""));
    f.lrs.finish().await;
}

#[tokio::test]
async fn more_walks_every_page_once_while_statements_arrive() {
    let lrs = Lrs::new().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.extend(
            lrs.post_statements(&statement(
                "ada@lernwerk.example",
                "attempted",
                &format!("a{i}"),
            ))
            .await,
        );
    }
    // The same stored time for several statements must not lose any: store a batch too.
    let batch = lrs
        .post_statements(&json!([
            statement("ben@lernwerk.example", "attempted", "b0"),
            statement("ben@lernwerk.example", "attempted", "b1"),
            statement("ben@lernwerk.example", "attempted", "b2"),
        ]))
        .await;
    ids.extend(batch);
    let mut known = ids;
    for ascending in [false, true] {
        let mut seen = Vec::new();
        let mut late = Vec::new();
        let mut next = format!("/xapi/statements?limit=3&ascending={ascending}");
        let mut pages = 0;
        loop {
            let response = lrs.get(&next).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.text());
            let result = response.json();
            let page = ids_of(&result);
            assert!(page.len() <= 3);
            seen.extend(page);
            pages += 1;
            // New statements arrive between pages.
            late.extend(
                lrs.post_statements(&statement("late@lernwerk.example", "attempted", "late"))
                    .await,
            );
            match result["more"].as_str().unwrap() {
                "" => break,
                more => next = more.to_owned(),
            }
            assert!(pages < 10, "the walk does not end");
        }
        // Exactly the statements stored when the walk began, each once, in order; none of the
        // late ones.
        let mut expected = known.clone();
        if !ascending {
            expected.reverse();
        }
        assert_eq!(
            seen, expected,
            "ascending={ascending}: every statement once, in order"
        );
        assert_eq!(pages, known.len().div_ceil(3));
        // The late statements are there for the next walk.
        known.extend(late);
    }
    // A more link is followed as it is, and only one this LRS issued.
    let response = lrs.get("/xapi/statements?more=bm90LWEtdG9rZW4").await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    lrs.finish().await;
}

#[tokio::test]
async fn formats_ids_and_canonical() {
    let lrs = Lrs::new().await;
    let body = json!({
        "actor": {"objectType": "Agent", "name": "Ada Muster", "mbox": "mailto:ada@lernwerk.example"},
        "verb": {"id": verb_iri("completed"), "display": {"en-US": "completed", "de-DE": "abgeschlossen"}},
        "object": {
            "objectType": "Activity",
            "id": activity_iri("course"),
            "definition": {
                "name": {"en-US": "Forklift safety", "de-DE": "Staplersicherheit"},
                "description": {"en-US": "The course", "de-DE": "Der Kurs"}
            }
        },
        "context": {"contextActivities": {"category": [{
            "objectType": "Activity",
            "id": activity_iri("safety"),
            "definition": {"name": {"en-US": "Safety", "de-DE": "Sicherheit"}}
        }]}}
    });
    let id = lrs.post_statements(&body).await[0].clone();

    let response = lrs
        .get(&format!("/xapi/statements?statementId={id}&format=ids"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let ids = response.json();
    assert_eq!(ids["id"], json!(id));
    assert_eq!(ids["actor"]["mbox"], json!("mailto:ada@lernwerk.example"));
    assert!(ids["actor"].get("name").is_none(), "ids: no name: {ids}");
    assert_eq!(ids["verb"], json!({"id": verb_iri("completed")}));
    assert_eq!(ids["object"]["id"], json!(activity_iri("course")));
    assert!(ids["object"].get("definition").is_none());

    let response = lrs
        .call(
            Method::GET,
            "/xapi/statements?format=canonical",
            &lrs.auth,
            Some(V2),
            &[("accept-language", "de-DE, en;q=0.5")],
            Body::empty(),
        )
        .await;
    let canonical = response.json()["statements"][0].clone();
    assert_eq!(
        canonical["verb"]["display"],
        json!({"de-DE": "abgeschlossen"})
    );
    assert_eq!(
        canonical["object"]["definition"]["name"],
        json!({"de-DE": "Staplersicherheit"})
    );
    assert_eq!(
        canonical["object"]["definition"]["description"],
        json!({"de-DE": "Der Kurs"})
    );
    assert_eq!(canonical["actor"]["name"], json!("Ada Muster"));
    assert_eq!(
        canonical["context"]["contextActivities"]["category"][0]["definition"]["name"],
        json!({"de-DE": "Sicherheit"})
    );
    let ids = response.json()["statements"][0].clone();
    assert_eq!(ids["id"], json!(id));

    let response = lrs
        .call(
            Method::GET,
            &format!("/xapi/statements?statementId={id}&format=canonical"),
            &lrs.auth,
            Some(V2),
            &[("accept-language", "en-GB")],
            Body::empty(),
        )
        .await;
    assert_eq!(
        response.json()["verb"]["display"],
        json!({"en-US": "completed"})
    );

    // ids: an anonymous Group keeps its members, each by identifier only.
    let mut grouped = statement("ada@lernwerk.example", "completed", "course");
    grouped["actor"] = json!({"objectType": "Group", "name": "Team Nord", "member": [
        {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@lernwerk.example"},
        {"name": "Ben", "account": {"homePage": "https://hr.lernwerk.example", "name": "4711"}}
    ]});
    let group_id = lrs.post_statements(&grouped).await[0].clone();
    let response = lrs
        .get(&format!(
            "/xapi/statements?statementId={group_id}&format=ids"
        ))
        .await;
    let actor = response.json()["actor"].clone();
    assert!(actor.get("name").is_none(), "{actor}");
    assert_eq!(
        actor["member"][0]["mbox"],
        json!("mailto:ada@lernwerk.example")
    );
    assert!(actor["member"][0].get("name").is_none(), "{actor}");
    assert_eq!(
        actor["member"][1]["account"],
        grouped["actor"]["member"][1]["account"]
    );
    assert!(actor["member"][1].get("name").is_none(), "{actor}");
    // Accept-Language without format=canonical changes nothing.
    let response = lrs
        .call(
            Method::GET,
            &format!("/xapi/statements?statementId={id}"),
            &lrs.auth,
            Some(V2),
            &[("accept-language", "de-DE")],
            Body::empty(),
        )
        .await;
    assert_eq!(response.json()["verb"]["display"], body["verb"]["display"]);
    // exact is the default and returns everything.
    assert_eq!(lrs.statement(&id).await["object"], body["object"]);
    let response = lrs.get("/xapi/statements?format=short").await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["format"]);
    lrs.finish().await;
}

#[tokio::test]
async fn query_parameters_are_checked_and_consistent_through_is_always_sent() {
    let lrs = Lrs::new().await;
    let id = lrs
        .post_statements(&statement("ada@lernwerk.example", "completed", "c"))
        .await[0]
        .clone();
    let ada = agent_q("ada@lernwerk.example");
    let cases = [
        (
            format!("statementId={id}&{}", query(&[("agent", &ada)])),
            "agent",
        ),
        (format!("voidedStatementId={id}&limit=1"), "limit"),
        (
            format!("statementId={id}&voidedStatementId={id}"),
            "statementId",
        ),
        ("colour=blue".to_owned(), "colour"),
        ("limit=1&limit=2".to_owned(), "limit"),
        ("statementId=abc".to_owned(), "abc"),
    ];
    for (q, needle) in cases {
        let response = lrs.get(&format!("/xapi/statements?{q}")).await;
        assert_error(&response, StatusCode::BAD_REQUEST, &[needle]);
        let through =
            header(&response, CONSISTENT).unwrap_or_else(|| panic!("{q}: no {CONSISTENT}"));
        parse_time(&json!(through));
    }
    // statementId with format and attachments is fine.
    let response = lrs
        .get(&format!(
            "/xapi/statements?statementId={id}&format=exact&attachments=false"
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(header(&response, CONSISTENT).is_some());
    // Last-Modified is the statement's stored time (to the second).
    let last_modified = DateTime::parse_from_rfc2822(header(&response, "last-modified").unwrap())
        .expect("an HTTP date")
        .with_timezone(&Utc);
    let stored = parse_time(&response.json()["stored"]);
    assert_eq!(last_modified.timestamp(), stored.timestamp());
    let response = lrs.get("/xapi/statements").await;
    let through = parse_time(&json!(header(&response, CONSISTENT).unwrap()));
    let stored = parse_time(&lrs.statement(&id).await["stored"]);
    assert!(
        through >= stored,
        "consistent through {through} is before {stored}"
    );
    // A statement that does not exist.
    let response = lrs
        .get(&format!("/xapi/statements?statementId={}", new_id()))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(header(&response, CONSISTENT).is_some());
    lrs.finish().await;
}

// ---- attachments ----

fn with_attachment(sha2: &str, length: usize, file_url: Option<&str>) -> Value {
    let mut s = statement("ada@lernwerk.example", "completed", "report");
    let mut attachment = json!({
        "usageType": "https://lernwerk.example/attachments/certificate",
        "display": {"en-US": "certificate"},
        "contentType": "text/plain",
        "length": length,
        "sha2": sha2,
    });
    if let Some(url) = file_url {
        attachment["fileUrl"] = json!(url);
    }
    s["attachments"] = json!([attachment]);
    s
}

async fn post_multipart(lrs: &Lrs, content_type: &str, body: Vec<u8>) -> common::TestResponse {
    lrs.call(
        Method::POST,
        "/xapi/statements",
        &lrs.auth,
        Some(V2),
        &[("content-type", content_type)],
        Body::from(body),
    )
    .await
}

#[tokio::test]
async fn attachments_are_stored_from_multipart_and_returned_on_request() {
    let lrs = Lrs::new().await;
    let content = b"Certificate: Ada Muster passed forklift safety.".as_slice();
    let hash = sha256_hex(content);
    let s = with_attachment(&hash, content.len(), None);
    let (multipart_type, body) = multipart(&s, &[(&hash, "text/plain", content)]);
    let response = post_multipart(&lrs, &multipart_type, body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let id = response.json()[0].as_str().unwrap().to_owned();

    // Without attachments=true: JSON with the attachment's metadata.
    let plain = lrs.statement(&id).await;
    assert_eq!(plain["attachments"], s["attachments"]);

    let response = lrs
        .get(&format!(
            "/xapi/statements?statementId={id}&attachments=true"
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let ct = content_type(&response).to_owned();
    assert!(ct.starts_with("multipart/mixed"), "{ct}");
    let boundary = ct
        .split("boundary=")
        .nth(1)
        .expect("a boundary")
        .trim_matches('"');
    let text = response.text();
    let parts: Vec<&str> = text
        .split(&format!("--{boundary}"))
        .filter(|p| !p.trim().is_empty() && p.trim() != "--")
        .collect();
    assert_eq!(parts.len(), 2, "{text}");
    let (head, json_part) = parts[0].split_once("\r\n\r\n").unwrap();
    assert!(head
        .to_ascii_lowercase()
        .contains("content-type: application/json"));
    let first: Value = serde_json::from_str(json_part.trim()).unwrap();
    assert_eq!(first["id"], json!(id));
    let (head, content_part) = parts[1].split_once("\r\n\r\n").unwrap();
    assert!(head
        .to_ascii_lowercase()
        .contains(&format!("x-experience-api-hash: {hash}")));
    assert!(head
        .to_ascii_lowercase()
        .contains("content-type: text/plain"));
    assert_eq!(
        content_part.strip_suffix("\r\n").unwrap().as_bytes(),
        content
    );

    // A query with attachments=true: the StatementResult, then the part.
    let response = lrs.get("/xapi/statements?attachments=true").await;
    assert!(content_type(&response).starts_with("multipart/mixed"));
    assert!(response
        .text()
        .contains(std::str::from_utf8(content).unwrap()));
    lrs.finish().await;
}

#[tokio::test]
async fn attachment_parts_must_match_their_hash_and_be_present() {
    let lrs = Lrs::new().await;
    let content = b"the real content".as_slice();
    let hash = sha256_hex(content);
    let s = with_attachment(&hash, content.len(), None);

    // The part's content does not have the hash its header names.
    let (ct, body) = multipart(&s, &[(&hash, "text/plain", b"tampered content")]);
    let response = post_multipart(&lrs, &ct, body).await;
    assert_error(&response, StatusCode::BAD_REQUEST, &[&hash]);
    // The statement names an attachment whose part is missing (JSON or multipart).
    let response = lrs.json(Method::POST, "/xapi/statements", V2, &s).await;
    assert_error(&response, StatusCode::BAD_REQUEST, &[&hash]);
    let (ct, body) = multipart(&s, &[]);
    let response = post_multipart(&lrs, &ct, body).await;
    assert_error(&response, StatusCode::BAD_REQUEST, &[&hash]);
    // A part no attachment refers to.
    let stray = b"stray".as_slice();
    let stray_hash = sha256_hex(stray);
    let (ct, body) = multipart(
        &s,
        &[
            (&hash, "text/plain", content),
            (&stray_hash, "text/plain", stray),
        ],
    );
    let response = post_multipart(&lrs, &ct, body).await;
    assert_error(&response, StatusCode::BAD_REQUEST, &[&stray_hash]);
    assert!(lrs.query_ids("").await.is_empty(), "nothing was stored");
    lrs.finish().await;
}

#[tokio::test]
async fn file_url_attachments_need_no_part() {
    let lrs = Lrs::new().await;
    let hash = sha256_hex(b"stored elsewhere");
    let s = with_attachment(&hash, 16, Some("https://files.lernwerk.example/cert.txt"));
    let id = lrs.post_statements(&s).await[0].clone();
    assert_eq!(lrs.statement(&id).await["attachments"], s["attachments"]);
    // Asked for with attachments=true there is no part to send: only the statement.
    let response = lrs
        .get(&format!(
            "/xapi/statements?statementId={id}&attachments=true"
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(content_type(&response).starts_with("multipart/mixed"));
    assert!(!response
        .text()
        .to_ascii_lowercase()
        .contains("x-experience-api-hash"));
    lrs.finish().await;
}

#[tokio::test]
async fn related_agents_and_activities_reach_into_authority_and_substatements() {
    let lrs = Lrs::new().await;
    let mut sub = statement("ada@lernwerk.example", "planned", "outer");
    sub["object"] = json!({
        "objectType": "SubStatement",
        "actor": agent("sub@lernwerk.example"),
        "verb": {"id": verb_iri("completed")},
        "object": {"objectType": "Activity", "id": activity_iri("inner")},
        "context": {"instructor": agent("subcoach@lernwerk.example")}
    });
    let id = lrs.post_statements(&sub).await[0].clone();
    let other = lrs
        .post_statements(&statement("ben@lernwerk.example", "attempted", "else"))
        .await[0]
        .clone();
    let related = |who: &str| {
        query(&[
            ("agent", &agent(who).to_string()),
            ("related_agents", "true"),
        ])
    };
    // The SubStatement's actor and instructor are related agents.
    assert_eq!(
        lrs.query_ids(&related("sub@lernwerk.example")).await,
        vec![id.clone()]
    );
    assert_eq!(
        lrs.query_ids(&related("subcoach@lernwerk.example")).await,
        vec![id.clone()]
    );
    assert!(lrs
        .query_ids(&query(&[(
            "agent",
            &agent("sub@lernwerk.example").to_string()
        )]))
        .await
        .is_empty());
    // The SubStatement's activity is a related activity.
    assert_eq!(
        lrs.query_ids(&query(&[
            ("activity", &activity_iri("inner")),
            ("related_activities", "true")
        ]))
        .await,
        vec![id.clone()]
    );
    // The authority is a related agent (xAPI 1.0.3 Communication 2.1.3, related_agents).
    let authority = lrs.statement(&id).await["authority"].clone();
    let q = query(&[
        ("agent", &authority.to_string()),
        ("related_agents", "true"),
    ]);
    assert_eq!(lrs.query_ids(&q).await, vec![other, id]);
    lrs.finish().await;
}

#[tokio::test]
async fn the_same_statement_from_another_credential_is_not_a_conflict() {
    let lrs = Lrs::new().await;
    let second = lrs
        .app
        .credential(&lrs.tenant, &[mycel_organisation::Scope::All])
        .await;
    let id = new_id();
    let mut body = statement("ada@lernwerk.example", "completed", "course");
    body["id"] = json!(id);
    body["timestamp"] = json!("2026-11-20T08:15:00.000Z");
    lrs.post_statements(&body).await;
    let stored = lrs.statement(&id).await;
    // authority, stored and version are the LRS's: they take no part in the comparison.
    let again = lrs.post_statements_as(&second, V1, &body).await;
    assert_eq!(again, vec![id.clone()]);
    assert_eq!(
        lrs.statement(&id).await,
        stored,
        "the first authority stays"
    );
    lrs.finish().await;
}

#[tokio::test]
async fn resending_a_statement_without_timestamp_is_not_a_conflict() {
    let lrs = Lrs::new().await;
    let id = new_id();
    let mut body = statement("ada@lernwerk.example", "completed", "course");
    body["id"] = json!(id);
    lrs.post_statements(&body).await;
    let stored = lrs.statement(&id).await;
    tick().await;
    let response = lrs.json(Method::POST, "/xapi/statements", V2, &body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json(), json!([id]));
    let response = lrs
        .json(
            Method::PUT,
            &format!("/xapi/statements?statementId={id}"),
            V1,
            &body,
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    assert_eq!(lrs.statement(&id).await, stored, "nothing changed");
    // A real difference is still a conflict.
    let mut other = body.clone();
    other["verb"]["id"] = json!(verb_iri("failed"));
    let response = lrs.json(Method::POST, "/xapi/statements", V2, &other).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    lrs.finish().await;
}

#[tokio::test]
async fn voiding_within_a_batch_and_voiding_twice() {
    let lrs = Lrs::new().await;
    // Target and voiding statement in one batch.
    let target = new_id();
    let mut s = statement("ada@lernwerk.example", "passed", "exam");
    s["id"] = json!(target);
    let ids = lrs.post_statements(&json!([s, voiding(&target)])).await;
    let response = lrs
        .get(&format!("/xapi/statements?statementId={target}"))
        .await;
    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "{}",
        response.text()
    );
    let response = lrs
        .get(&format!("/xapi/statements?voidedStatementId={target}"))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(lrs.query_ids("").await, vec![ids[1].clone()]);

    // Voiding an already voided statement is accepted and it stays voided.
    let again = lrs.post_statements(&voiding(&target)).await[0].clone();
    let response = lrs
        .get(&format!("/xapi/statements?voidedStatementId={target}"))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(lrs.query_ids("").await, vec![again, ids[1].clone()]);
    lrs.finish().await;
}

#[tokio::test]
async fn one_part_serves_every_statement_of_a_batch_with_that_attachment() {
    let lrs = Lrs::new().await;
    let content = b"shared certificate".as_slice();
    let hash = sha256_hex(content);
    let a = with_attachment(&hash, content.len(), None);
    let mut b = with_attachment(&hash, content.len(), None);
    b["actor"] = agent("ben@lernwerk.example");
    let (ct, body) = multipart(&json!([a, b]), &[(&hash, "text/plain", content)]);
    let response = post_multipart(&lrs, &ct, body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let ids: Vec<String> = serde_json::from_value(response.json()).unwrap();
    assert_eq!(ids.len(), 2);
    // A later statement may refer to the stored attachment by hash only if it sends the part again.
    let response = lrs
        .json(
            Method::POST,
            "/xapi/statements",
            V2,
            &with_attachment(&hash, content.len(), None),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{}",
        response.text()
    );
    // The query returns the content once.
    let response = lrs.get("/xapi/statements?attachments=true").await;
    assert_eq!(
        response.text().matches("shared certificate").count(),
        1,
        "{}",
        response.text()
    );
    lrs.finish().await;
}

#[tokio::test]
async fn stored_and_authority_sent_by_the_client_are_replaced() {
    let lrs = Lrs::new().await;
    let mut s = statement("ada@lernwerk.example", "completed", "course");
    s["stored"] = json!("2001-01-01T00:00:00.000Z");
    s["authority"] = agent("impostor@lernwerk.example");
    let before = Utc::now() - chrono::Duration::seconds(1);
    let id = lrs.post_statements(&s).await[0].clone();
    let back = lrs.statement(&id).await;
    assert!(parse_time(&back["stored"]) >= before, "{}", back["stored"]);
    assert_eq!(
        back["authority"]["account"]["name"],
        json!(key_of(&lrs.auth))
    );
    assert!(back["authority"].get("mbox").is_none());
    // An authority Group must be two Agents (OAuth consumer and user).
    let mut group = statement("ada@lernwerk.example", "completed", "course");
    group["authority"] = json!({"objectType": "Group", "member": [
        agent("a@lernwerk.example"), agent("b@lernwerk.example"), agent("c@lernwerk.example")
    ]});
    let response = lrs.json(Method::POST, "/xapi/statements", V2, &group).await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["authority"]);
    // POST takes no statementId.
    let response = lrs
        .json(
            Method::POST,
            &format!("/xapi/statements?statementId={}", new_id()),
            V2,
            &statement("ada@lernwerk.example", "completed", "course"),
        )
        .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["statementId"]);
    assert_eq!(lrs.query_ids("").await, vec![id]);
    lrs.finish().await;
}

#[tokio::test]
async fn the_same_statement_sent_concurrently_is_stored_once_and_accepted_every_time() {
    let lrs = Lrs::new().await;
    let id = new_id();
    let mut body = statement("ada@lernwerk.example", "completed", "course");
    body["id"] = json!(id);
    body["timestamp"] = json!("2026-11-20T08:15:00.000Z");
    let posts = (0..6).map(|_| lrs.json(Method::POST, "/xapi/statements", V2, &body));
    for response in futures_util::future::join_all(posts).await {
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert_eq!(response.json(), json!([id]));
    }
    assert_eq!(lrs.query_ids("").await, vec![id]);
    lrs.finish().await;
}

#[tokio::test]
async fn consistent_through_covers_every_statement_stored_up_to_it() {
    let lrs = Lrs::new().await;
    let posts = (0..12).map(|i| {
        let lrs = &lrs;
        async move {
            lrs.post_statements(&statement(
                "ada@lernwerk.example",
                "attempted",
                &format!("c{i}"),
            ))
            .await;
            None
        }
    });
    let gets = (0..12).map(|_| {
        let lrs = &lrs;
        async move {
            let response = lrs.get("/xapi/statements").await;
            assert_eq!(response.status, StatusCode::OK);
            let through = parse_time(&json!(header(&response, CONSISTENT).unwrap()));
            Some((through, ids_of(&response.json())))
        }
    });
    let futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = _>>>> = posts
        .map(|f| Box::pin(f) as std::pin::Pin<Box<dyn std::future::Future<Output = _>>>)
        .zip(gets.map(|f| Box::pin(f) as std::pin::Pin<Box<dyn std::future::Future<Output = _>>>))
        .flat_map(|(a, b)| [a, b])
        .collect();
    let observations: Vec<(DateTime<Utc>, Vec<String>)> = futures_util::future::join_all(futures)
        .await
        .into_iter()
        .flatten()
        .collect();
    let all = lrs.get("/xapi/statements").await.json();
    let stored: Vec<(String, DateTime<Utc>)> = all["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                parse_time(&s["stored"]),
            )
        })
        .collect();
    assert_eq!(stored.len(), 12);
    for (through, seen) in observations {
        for (id, at) in &stored {
            if *at <= through {
                assert!(
                    seen.contains(id),
                    "a response consistent through {through} lacks {id} stored at {at}"
                );
            }
        }
    }
    lrs.finish().await;
}

// ---- signed statements ----

const SIGNATURE: &str = "http://adlnet.gov/expapi/attachments/signature";

/// A JWS in compact serialisation over `payload` (the signature bytes are not checked by an LRS:
/// xAPI asks it to check the form and that the payload is the statement).
fn jws(alg: &str, payload: &Value) -> Vec<u8> {
    use base64::Engine;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    format!(
        "{}.{}.{}",
        b64(json!({"alg": alg}).to_string().as_bytes()),
        b64(payload.to_string().as_bytes()),
        b64(b"not-a-real-rsa-signature")
    )
    .into_bytes()
}

fn signed(statement: &Value, signature: &[u8], content_type: &str) -> Value {
    let mut s = statement.clone();
    s["attachments"] = json!([{
        "usageType": SIGNATURE,
        "display": {"en-US": "signature"},
        "contentType": content_type,
        "length": signature.len(),
        "sha2": sha256_hex(signature),
    }]);
    s
}

#[tokio::test]
async fn signed_statements_must_carry_their_own_payload() {
    let lrs = Lrs::new().await;
    let id = new_id();
    let mut original = statement("ada@lernwerk.example", "completed", "exam");
    original["id"] = json!(id);

    let post = |body: Value, signature: Vec<u8>| {
        let lrs = &lrs;
        async move {
            let hash = sha256_hex(&signature);
            let (ct, multipart_body) =
                multipart(&body, &[(&hash, "application/octet-stream", &signature)]);
            post_multipart(lrs, &ct, multipart_body).await
        }
    };
    // The payload is another statement.
    let mut tampered = original.clone();
    tampered["verb"]["id"] = json!(verb_iri("failed"));
    let signature = jws("RS256", &tampered);
    let response = post(
        signed(&original, &signature, "application/octet-stream"),
        signature,
    )
    .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["payload"]);
    // An algorithm xAPI does not allow.
    let signature = jws("HS256", &original);
    let response = post(
        signed(&original, &signature, "application/octet-stream"),
        signature,
    )
    .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["HS256"]);
    // Not a JWS.
    let signature = b"just some bytes".to_vec();
    let response = post(
        signed(&original, &signature, "application/octet-stream"),
        signature,
    )
    .await;
    assert_error(&response, StatusCode::BAD_REQUEST, &["JWS"]);
    // The wrong content type.
    let signature = jws("RS256", &original);
    let response = post(signed(&original, &signature, "application/json"), signature).await;
    assert_error(
        &response,
        StatusCode::BAD_REQUEST,
        &["application/octet-stream"],
    );
    let response = lrs.get(&format!("/xapi/statements?statementId={id}")).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);

    // Well formed, with the statement as payload: stored, and the signature served back.
    let signature = jws("RS256", &original);
    let body = signed(&original, &signature, "application/octet-stream");
    let response = post(body.clone(), signature.clone()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json(), json!([id]));
    assert_eq!(lrs.statement(&id).await["attachments"], body["attachments"]);
    let response = lrs
        .get(&format!(
            "/xapi/statements?statementId={id}&attachments=true"
        ))
        .await;
    assert!(response
        .text()
        .contains(std::str::from_utf8(&signature).unwrap()));
    lrs.finish().await;
}
