//! Statement validation, one test per requirement group, with statement bodies written for Mycel.

mod support;

use mycel_xapi::{validate_batch, validate_statement, BatchError, XapiVersion};
use serde_json::{json, Value};
use support::*;

const V1: XapiVersion = XapiVersion::V1_0_3;
const V2: XapiVersion = XapiVersion::V2_0;

#[test]
fn a_complete_statement_is_accepted() {
    let statement = json!({
        "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "actor": {"objectType": "Agent", "name": "Ada", "account": {"homePage": "https://hr.mycel.example", "name": "4711"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered", "de": "beantwortete"}},
        "object": {
            "id": "http://mycel.example/quiz/1/q/3",
            "definition": {
                "name": {"en-US": "Question 3"},
                "description": {"en-US": "Which extinguisher for grease fires?"},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "moreInfo": "https://mycel.example/quiz/1/q/3",
                "interactionType": "choice",
                "correctResponsesPattern": ["class-f"],
                "choices": [
                    {"id": "water", "description": {"en-US": "Water"}},
                    {"id": "class-f", "description": {"en-US": "Class F"}}
                ],
                "extensions": {"http://mycel.example/ext/difficulty": 3}
            }
        },
        "result": {
            "score": {"scaled": 0.75, "raw": 3, "min": 0, "max": 4},
            "success": true, "completion": true, "response": "class-f",
            "duration": "PT1M3.5S",
            "extensions": {"http://mycel.example/ext/attempt": null}
        },
        "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "instructor": {"mbox": "mailto:trainer@example.com"},
            "team": {"objectType": "Group", "name": "Shift B", "member": [{"mbox": "mailto:bob@example.com"}]},
            "contextActivities": {
                "parent": [{"id": "http://mycel.example/quiz/1"}],
                "grouping": [{"objectType": "Activity", "id": "http://mycel.example/course/fire-safety"}],
                "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/moveon"}],
                "other": [{"id": "http://mycel.example/site/hamburg"}]
            },
            "revision": "2026-01",
            "platform": "Mycel",
            "language": "de-DE",
            "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
            "extensions": {"http://mycel.example/ext/room": "R 1.23"}
        },
        "timestamp": "2026-11-25T09:30:00.123+01:00",
        "stored": "2026-11-25T08:30:01.000Z",
        "authority": {"objectType": "Agent", "account": {"homePage": "https://lrs.mycel.example", "name": "quiz-app"}},
        "version": "1.0.3",
        "attachments": [{
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "Signature"},
            "description": {"en-US": "JWS signature"},
            "contentType": "application/octet-stream",
            "length": 4235,
            "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
            "fileUrl": "https://files.mycel.example/sig/1"
        }]
    });
    accepted_by_both("complete statement", &statement);
    accepted_by_both("minimal statement", &base());
    accepted_by_both("statement with SubStatement", &with_substatement());
}

#[test]
fn structure_and_formatting() {
    rejected_by_both("not an object", &json!([base()]), "");
    rejected_by_both("a string", &json!("statement"), "");
    for required in ["actor", "verb", "object"] {
        let mut s = base();
        remove(&mut s, required);
        rejected_by_both(&format!("without {required}"), &s, required);
    }
    rejected_by_both(
        "unknown top-level property",
        &edited(base(), "mood", json!("happy")),
        "mood",
    );
    rejected_by_both(
        "wrongly cased key",
        &edited(base(), "Timestamp", json!("2026-11-25T09:30:00Z")),
        "Timestamp",
    );
    let mut wrong_case = base();
    remove(&mut wrong_case, "verb");
    set(
        &mut wrong_case,
        "Verb",
        json!({"id": "http://adlnet.gov/expapi/verbs/attended"}),
    );
    rejected_by_both("Verb instead of verb", &wrong_case, "Verb");
    rejected_by_both(
        "null actor name",
        &edited(base(), "actor.name", Value::Null),
        "actor.name",
    );
    rejected_by_both(
        "null in a language map",
        &edited(base(), "verb.display.en-US", Value::Null),
        "verb.display.en-US",
    );
    rejected_by_both(
        "null registration",
        &edited(base(), "context.registration", Value::Null),
        "context.registration",
    );
    rejected_by_both(
        "null result",
        &edited(base(), "result", Value::Null),
        "result",
    );
    rejected_by_both(
        "unknown property in verb",
        &edited(base(), "verb.description", json!("x")),
        "verb.description",
    );
    rejected_by_both(
        "unknown property in activity",
        &edited(base(), "object.name", json!("Onboarding")),
        "object.name",
    );
}

#[test]
fn wrong_data_types() {
    rejected_by_both(
        "string where a number is required",
        &edited(base(), "result.score.raw", json!("3")),
        "result.score.raw",
    );
    rejected_by_both(
        "string where a boolean is required",
        &edited(base(), "result.success", json!("true")),
        "result.success",
    );
    rejected_by_both(
        "number where a string is required",
        &edited(base(), "result.response", json!(42)),
        "result.response",
    );
    rejected_by_both(
        "object as actor name",
        &edited(base(), "actor.name", json!({"first": "Ada"})),
        "actor.name",
    );
    rejected_by_both(
        "verb as string",
        &edited(base(), "verb", json!("attended")),
        "verb",
    );
    rejected_by_both(
        "object as string",
        &edited(base(), "object", json!("activity")),
        "object",
    );
}

#[test]
fn statement_ids_are_uuids() {
    accepted_by_both(
        "upper-case UUID",
        &edited(base(), "id", json!("AA97B177-9383-4934-8543-0F91A7A02836")),
    );
    for bad in [
        json!("AA97B177-9383-4934-8543-0F91A7A028368"),
        json!("MA97B177-9383-4934-8543-0F91A7A02836"),
        json!("aa97b1779383493485430f91a7a02836"),
        json!(""),
        json!(12345),
        json!({"key": "should fail"}),
    ] {
        rejected_by_both(
            &format!("id {bad}"),
            &edited(base(), "id", bad.clone()),
            "id",
        );
        rejected_by_both(
            &format!("registration {bad}"),
            &edited(base(), "context.registration", bad.clone()),
            "context.registration",
        );
        rejected_by_both(
            &format!("context statement id {bad}"),
            &edited(
                base(),
                "context.statement",
                json!({"objectType": "StatementRef", "id": bad}),
            ),
            "context.statement.id",
        );
    }
}

#[test]
fn agents_need_exactly_one_ifi() {
    for ifi in [
        json!({"mbox": "mailto:ada@example.com"}),
        json!({"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}),
        json!({"openid": "http://openid.example.com/ada"}),
        json!({"account": {"homePage": "https://hr.mycel.example", "name": "4711"}}),
    ] {
        accepted_by_both(
            &format!("agent {ifi}"),
            &edited(base(), "actor", ifi.clone()),
        );
        let mut with_type = ifi.clone();
        set(&mut with_type, "objectType", json!("Agent"));
        accepted_by_both(
            &format!("agent {with_type}"),
            &edited(base(), "actor", with_type),
        );
    }
    rejected_by_both(
        "agent without IFI",
        &edited(
            base(),
            "actor",
            json!({"objectType": "Agent", "name": "Ada"}),
        ),
        "actor",
    );
    rejected_by_both(
        "agent with mbox and account",
        &edited(
            base(),
            "actor.account",
            json!({"homePage": "https://hr.mycel.example", "name": "4711"}),
        ),
        "actor",
    );
    rejected_by_both(
        "agent with mbox and openid",
        &edited(
            base(),
            "actor.openid",
            json!("http://openid.example.com/ada"),
        ),
        "actor",
    );
    rejected_by_both(
        "agent with members",
        &edited(
            base(),
            "actor.member",
            json!([{"mbox": "mailto:bob@example.com"}]),
        ),
        "actor.member",
    );
    rejected_by_both(
        "actor objectType Person",
        &edited(base(), "actor.objectType", json!("Person")),
        "actor.objectType",
    );
    rejected_by_both(
        "actor objectType number",
        &edited(base(), "actor.objectType", json!(1)),
        "actor.objectType",
    );
    rejected_by_both(
        "actor objectType lower case",
        &edited(base(), "actor.objectType", json!("agent")),
        "actor.objectType",
    );
}

#[test]
fn ifi_formats() {
    for bad in [
        "ada@example.com",
        "mailto:should.fail.com",
        "http://should.fail.com",
        "MAILTO:ada@example.com",
    ] {
        rejected_by_both(
            &format!("mbox {bad}"),
            &edited(base(), "actor.mbox", json!(bad)),
            "actor.mbox",
        );
    }
    let sha1 = |v: Value| edited(base(), "actor", json!({"mbox_sha1sum": v}));
    rejected_by_both(
        "sha1 object",
        &sha1(json!({"key": "value"})),
        "actor.mbox_sha1sum",
    );
    rejected_by_both(
        "sha1 too short",
        &sha1(json!("cd9b00a5")),
        "actor.mbox_sha1sum",
    );
    rejected_by_both(
        "sha1 not hex",
        &sha1(json!("xd9b00a5611f94eaa7b1661edab976068e364975")),
        "actor.mbox_sha1sum",
    );
    rejected_by_both(
        "openid not a URI",
        &edited(base(), "actor", json!({"openid": "ab=c://should.fail.com"})),
        "actor.openid",
    );
    let account = |a: Value| edited(base(), "actor", json!({"account": a}));
    rejected_by_both(
        "account without homePage",
        &account(json!({"name": "4711"})),
        "actor.account.homePage",
    );
    rejected_by_both(
        "account without name",
        &account(json!({"homePage": "https://hr.mycel.example"})),
        "actor.account.name",
    );
    rejected_by_both(
        "account homePage not an IRL",
        &account(json!({"homePage": "ab=c://should.fail.com", "name": "4711"})),
        "actor.account.homePage",
    );
    rejected_by_both(
        "account name not a string",
        &account(json!({"homePage": "https://hr.mycel.example", "name": {"key": "should fail"}})),
        "actor.account.name",
    );
    rejected_by_both(
        "account with unknown property",
        &account(json!({"homePage": "https://hr.mycel.example", "name": "4711", "id": 1})),
        "actor.account.id",
    );
}

#[test]
fn groups() {
    let anonymous = json!({"objectType": "Group", "name": "Shift B",
        "member": [{"mbox": "mailto:ada@example.com"}, {"objectType": "Agent", "openid": "http://id.example.com/bob"}]});
    accepted_by_both("anonymous group", &edited(base(), "actor", anonymous));
    for ifi in [
        json!({"mbox": "mailto:shift-b@example.com"}),
        json!({"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}),
        json!({"openid": "http://id.example.com/shift-b"}),
        json!({"account": {"homePage": "https://hr.mycel.example", "name": "shift-b"}}),
    ] {
        let mut group = ifi.clone();
        set(&mut group, "objectType", json!("Group"));
        accepted_by_both(
            &format!("identified group {ifi}"),
            &edited(base(), "actor", group.clone()),
        );
        set(
            &mut group,
            "member",
            json!([{"mbox": "mailto:ada@example.com"}]),
        );
        accepted_by_both(
            &format!("identified group with members {ifi}"),
            &edited(base(), "actor", group),
        );
    }
    rejected_by_both(
        "anonymous group without members",
        &edited(
            base(),
            "actor",
            json!({"objectType": "Group", "name": "Nobody"}),
        ),
        "actor.member",
    );
    rejected_by_both(
        "anonymous group with empty member list",
        &edited(
            base(),
            "actor",
            json!({"objectType": "Group", "member": []}),
        ),
        "actor.member",
    );
    rejected_by_both(
        "member not an array",
        &edited(
            base(),
            "actor",
            json!({"objectType": "Group", "member": {"mbox": "mailto:ada@example.com"}}),
        ),
        "actor.member",
    );
    rejected_by_both(
        "group as member",
        &edited(
            base(),
            "actor",
            json!({"objectType": "Group", "member": [
            {"objectType": "Group", "mbox": "mailto:inner@example.com"}]}),
        ),
        "actor.member[0].objectType",
    );
    rejected_by_both(
        "member without IFI",
        &edited(
            base(),
            "actor",
            json!({"objectType": "Group", "member": [{"name": "Ada"}]}),
        ),
        "actor.member[0]",
    );
    rejected_by_both(
        "identified group with two IFIs",
        &edited(
            base(),
            "actor",
            json!({"objectType": "Group", "mbox": "mailto:g@example.com",
            "openid": "http://id.example.com/g"}),
        ),
        "actor",
    );
    rejected_by_both(
        "team that is an agent",
        &edited(
            base(),
            "context.team",
            json!({"mbox": "mailto:ada@example.com"}),
        ),
        "context.team.objectType",
    );
    accepted_by_both(
        "instructor that is a group",
        &edited(
            base(),
            "context.instructor",
            json!({"objectType": "Group", "mbox": "mailto:trainers@example.com"}),
        ),
    );
}

#[test]
fn verbs() {
    let mut no_id = base();
    remove(&mut no_id, "verb.id");
    rejected_by_both("verb without id", &no_id, "verb.id");
    rejected_by_both(
        "verb id not an IRI",
        &edited(base(), "verb.id", json!("attended")),
        "verb.id",
    );
    rejected_by_both(
        "verb id without scheme",
        &edited(base(), "verb.id", json!("adlnet.gov/expapi/verbs/attended")),
        "verb.id",
    );
    rejected_by_both(
        "display not a language map",
        &edited(base(), "verb.display", json!("attended")),
        "verb.display",
    );
    let mut no_display = base();
    remove(&mut no_display, "verb.display");
    accepted_by_both("verb without display", &no_display);
}

#[test]
fn objects_and_activities() {
    let mut untyped = base();
    remove(&mut untyped, "object.objectType");
    accepted_by_both("activity without objectType", &untyped);
    let mut no_id = base();
    remove(&mut no_id, "object.id");
    rejected_by_both("activity without id", &no_id, "object.id");
    rejected_by_both(
        "activity id not IRI",
        &edited(base(), "object.id", json!("onboarding")),
        "object.id",
    );
    rejected_by_both(
        "unknown objectType",
        &edited(base(), "object.objectType", json!("Course")),
        "object.objectType",
    );
    rejected_by_both(
        "objectType wrong case",
        &edited(base(), "object.objectType", json!("activity")),
        "object.objectType",
    );
    rejected_by_both(
        "definition not an object",
        &edited(base(), "object.definition", json!("a meeting")),
        "object.definition",
    );
    rejected_by_both(
        "definition name as string",
        &edited(base(), "object.definition.name", json!("Onboarding")),
        "object.definition.name",
    );
    rejected_by_both(
        "definition description as number",
        &edited(base(), "object.definition.description", json!(12345)),
        "object.definition.description",
    );
    rejected_by_both(
        "definition type not IRI",
        &edited(base(), "object.definition.type", json!("meeting")),
        "object.definition.type",
    );
    rejected_by_both(
        "moreInfo not IRL",
        &edited(base(), "object.definition.moreInfo", json!("see intranet")),
        "object.definition.moreInfo",
    );
    rejected_by_both(
        "unknown definition property",
        &edited(base(), "object.definition.duration", json!("PT1H")),
        "object.definition.duration",
    );
    let agent_object = edited(
        base(),
        "object",
        json!({"objectType": "Agent", "mbox": "mailto:bob@example.com"}),
    );
    accepted_by_both("agent as object", &agent_object);
    rejected_by_both(
        "agent as object without objectType",
        &edited(base(), "object", json!({"mbox": "mailto:bob@example.com"})),
        "object.objectType",
    );
    rejected_by_both(
        "group as object without objectType",
        &edited(
            base(),
            "object",
            json!({"member": [{"mbox": "mailto:bob@example.com"}]}),
        ),
        "object.objectType",
    );
    accepted_by_both(
        "group as object",
        &edited(
            base(),
            "object",
            json!({"objectType": "Group", "member": [{"mbox": "mailto:bob@example.com"}]}),
        ),
    );
}

#[test]
fn interaction_activities() {
    let definition = |d: Value| edited(base(), "object.definition", d);
    for (interaction_type, components) in [
        ("true-false", json!({})),
        ("choice", json!({"choices": [{"id": "a"}, {"id": "b"}]})),
        ("fill-in", json!({})),
        ("long-fill-in", json!({})),
        (
            "matching",
            json!({"source": [{"id": "s"}], "target": [{"id": "t"}]}),
        ),
        (
            "performance",
            json!({"steps": [{"id": "1", "description": {"en": "Step 1"}}]}),
        ),
        ("sequencing", json!({"choices": [{"id": "a"}]})),
        ("likert", json!({"scale": [{"id": "1"}, {"id": "2"}]})),
        ("numeric", json!({})),
        ("other", json!({})),
    ] {
        let mut d = components;
        set(&mut d, "interactionType", json!(interaction_type));
        set(&mut d, "correctResponsesPattern", json!(["x"]));
        accepted_by_both(interaction_type, &definition(d.clone()));
        let mut wrong_case = d.clone();
        set(
            &mut wrong_case,
            "interactionType",
            json!(interaction_type.to_uppercase()),
        );
        rejected_by_both(
            &format!("{interaction_type} in wrong case"),
            &definition(wrong_case),
            "object.definition.interactionType",
        );
        let mut untyped = d;
        remove(&mut untyped, "interactionType");
        rejected_by_both(
            &format!("{interaction_type} without interactionType"),
            &definition(untyped),
            "object.definition.interactionType",
        );
    }
    for bad in [
        json!("ab=c://should.fail.com"),
        json!(12345),
        json!({"key": "x"}),
        json!("shoulderror"),
    ] {
        rejected_by_both(
            &format!("interactionType {bad}"),
            &definition(json!({"interactionType": bad})),
            "object.definition.interactionType",
        );
    }
    rejected_by_both(
        "choices on a likert interaction",
        &definition(json!({"interactionType": "likert", "choices": [{"id": "a"}]})),
        "object.definition.choices",
    );
    rejected_by_both(
        "duplicate component ids",
        &definition(json!({"interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]})),
        "object.definition.choices[1].id",
    );
    rejected_by_both(
        "component without id",
        &definition(
            json!({"interactionType": "choice", "choices": [{"description": {"en": "A"}}]}),
        ),
        "object.definition.choices[0].id",
    );
    rejected_by_both(
        "component description with bad language tag",
        &definition(
            json!({"interactionType": "choice", "choices": [{"id": "a", "description": {"a12345": "A"}}]}),
        ),
        "object.definition.choices[0].description.a12345",
    );
    rejected_by_both(
        "correctResponsesPattern not an array",
        &definition(json!({"interactionType": "fill-in", "correctResponsesPattern": "x"})),
        "object.definition.correctResponsesPattern",
    );
    rejected_by_both(
        "correctResponsesPattern with a number",
        &definition(json!({"interactionType": "numeric", "correctResponsesPattern": [4]})),
        "object.definition.correctResponsesPattern[0]",
    );
}

#[test]
fn statement_references() {
    let reference = |r: Value| edited(base(), "object", r);
    accepted_by_both(
        "statement reference",
        &reference(
            json!({"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}),
        ),
    );
    rejected_by_both(
        "statement reference without id",
        &reference(json!({"objectType": "StatementRef"})),
        "object.id",
    );
    rejected_by_both(
        "statement reference with IRI id",
        &reference(json!({"objectType": "StatementRef", "id": "http://example.com/statement"})),
        "object.id",
    );
    rejected_by_both(
        "statement reference with definition",
        &reference(
            json!({"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
            "definition": {}}),
        ),
        "object.definition",
    );
    rejected_by_both(
        "context statement that is an activity",
        &edited(
            base(),
            "context.statement",
            json!({"id": "http://example.com/a"}),
        ),
        "context.statement.objectType",
    );
}

#[test]
fn substatements() {
    let sub = with_substatement();
    for (property, value) in [
        ("id", json!("6690e6c9-3ef0-4ed3-8b37-7f3964730bee")),
        ("stored", json!("2026-11-25T08:30:01.000Z")),
        ("version", json!("1.0.3")),
        ("authority", json!({"mbox": "mailto:lrs@example.com"})),
    ] {
        rejected_by_both(
            &format!("SubStatement with {property}"),
            &edited(sub.clone(), &format!("object.{property}"), value),
            &format!("object.{property}"),
        );
    }
    rejected_by_both(
        "SubStatement containing a SubStatement",
        &edited(
            sub.clone(),
            "object.object",
            json!({
                "objectType": "SubStatement",
                "actor": {"mbox": "mailto:a@example.com"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {"id": "http://mycel.example/activities/x"}
            }),
        ),
        "object.object.objectType",
    );
    let mut no_actor = sub.clone();
    remove(&mut no_actor, "object.actor");
    rejected_by_both("SubStatement without actor", &no_actor, "object.actor");
    rejected_by_both(
        "SubStatement with invalid actor",
        &edited(sub.clone(), "object.actor.mbox_sha1sum", json!("nope")),
        "object.actor.mbox_sha1sum",
    );
    rejected_by_both(
        "SubStatement with bad timestamp",
        &edited(sub.clone(), "object.timestamp", json!("01/011/2015")),
        "object.timestamp",
    );
    accepted_by_both(
        "SubStatement with result, context and timestamp",
        &edited(
            edited(
                edited(sub.clone(), "object.result", json!({"completion": true})),
                "object.context",
                json!({"contextActivities": {"parent": {"id": "http://mycel.example/program"}}, "platform": "Mycel"}),
            ),
            "object.timestamp",
            json!("2026-11-25T09:30:00Z"),
        ),
    );
    accepted_by_both(
        "SubStatement referring to a statement",
        &edited(
            sub,
            "object.object",
            json!({"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}),
        ),
    );
}

#[test]
fn voiding_statements() {
    let voiding = json!({
        "actor": {"mbox": "mailto:admin@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}
    });
    accepted_by_both("voiding statement", &voiding);
    rejected_by_both(
        "voiding an activity",
        &edited(
            voiding.clone(),
            "object",
            json!({"objectType": "Activity", "id": "http://mycel.example/a"}),
        ),
        "object",
    );
    rejected_by_both(
        "voiding with an invalid display",
        &edited(voiding, "verb.display", json!({"a12345": "voided"})),
        "verb.display.a12345",
    );
}

#[test]
fn results_and_scores() {
    let score = |s: Value| edited(base(), "result.score", s);
    for ok in [
        json!({"scaled": 1.0}),
        json!({"scaled": -1.0}),
        json!({"scaled": 0.6767676}),
        json!({"raw": 0.6767676}),
        json!({"raw": 3, "min": 0, "max": 4}),
        json!({"raw": 0, "min": 0, "max": 4}),
        json!({"raw": 4, "min": 0, "max": 4}),
        json!({"max": 100.6767676}),
        json!({"min": -5}),
        json!({}),
    ] {
        accepted_by_both(&format!("score {ok}"), &score(ok.clone()));
    }
    rejected_by_both(
        "scaled 1.5",
        &score(json!({"scaled": 1.5})),
        "result.score.scaled",
    );
    rejected_by_both(
        "scaled 1.01",
        &score(json!({"scaled": 1.01})),
        "result.score.scaled",
    );
    rejected_by_both(
        "scaled -1.00001",
        &score(json!({"scaled": -1.00001})),
        "result.score.scaled",
    );
    rejected_by_both(
        "raw above max",
        &score(json!({"raw": 0.68, "max": 0.66})),
        "result.score.raw",
    );
    rejected_by_both(
        "raw below min",
        &score(json!({"raw": 0.68, "min": 1.4})),
        "result.score.raw",
    );
    rejected_by_both(
        "min above max",
        &score(json!({"min": 104.67, "max": 100.67, "raw": 101.67})),
        "result.score.min",
    );
    rejected_by_both(
        "min equal to max",
        &score(json!({"min": 5, "max": 5})),
        "result.score.min",
    );
    rejected_by_both("score as number", &score(json!(12345)), "result.score");
    rejected_by_both(
        "score as string",
        &score(json!("full marks")),
        "result.score",
    );
    rejected_by_both(
        "unknown score property",
        &score(json!({"percent": 50})),
        "result.score.percent",
    );
    rejected_by_both(
        "completion as string",
        &edited(base(), "result.completion", json!("yes")),
        "result.completion",
    );
    rejected_by_both(
        "result extensions as string",
        &edited(base(), "result.extensions", json!("none")),
        "result.extensions",
    );
}

#[test]
fn durations() {
    for ok in [
        "PT1H0M0.1S",
        "PT4H35M59.14S",
        "PT16559.14S",
        "P3Y1M29DT4H35M59.14S",
        "P3Y",
        "P4W",
        "P1DT12H36M0.12567S",
    ] {
        accepted_by_both(ok, &edited(base(), "result.duration", json!(ok)));
        accepted_by_both(
            &format!("substatement {ok}"),
            &edited(with_substatement(), "object.result.duration", json!(ok)),
        );
    }
    for bad in [
        json!("PA1H0M0S"),
        json!("should fail"),
        json!("P4W1D"),
        json!(12345),
        json!({"key": "invalid"}),
        json!("1:30:00"),
    ] {
        rejected_by_both(
            &format!("duration {bad}"),
            &edited(base(), "result.duration", bad.clone()),
            "result.duration",
        );
        rejected_by_both(
            &format!("substatement duration {bad}"),
            &edited(with_substatement(), "object.result.duration", bad.clone()),
            "object.result.duration",
        );
    }
}

#[test]
fn context_rules() {
    rejected_by_both(
        "revision with an agent object",
        &edited(
            edited(
                base(),
                "object",
                json!({"objectType": "Agent", "mbox": "mailto:bob@example.com"}),
            ),
            "context.revision",
            json!("v2"),
        ),
        "context.revision",
    );
    rejected_by_both(
        "platform with a statement reference object",
        &edited(
            edited(
                base(),
                "object",
                json!({"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}),
            ),
            "context.platform",
            json!("Mycel"),
        ),
        "context.platform",
    );
    rejected_by_both(
        "platform with a SubStatement object",
        &edited(with_substatement(), "context.platform", json!("Mycel")),
        "context.platform",
    );
    accepted_by_both(
        "platform inside a SubStatement about an activity",
        &edited(
            with_substatement(),
            "object.context.platform",
            json!("Mycel"),
        ),
    );
    rejected_by_both(
        "revision as number",
        &edited(base(), "context.revision", json!(3)),
        "context.revision",
    );
    rejected_by_both(
        "context language not a tag",
        &edited(base(), "context.language", json!("de_DE")),
        "context.language",
    );
    accepted_by_both(
        "context language cmn",
        &edited(base(), "context.language", json!("cmn")),
    );
    rejected_by_both(
        "context as array",
        &edited(base(), "context", json!([])),
        "context",
    );
    rejected_by_both(
        "instructor without IFI",
        &edited(base(), "context.instructor", json!({"name": "Trainer"})),
        "context.instructor",
    );
    rejected_by_both(
        "unknown context property",
        &edited(base(), "context.location", json!("Hamburg")),
        "context.location",
    );
}

#[test]
fn context_activities() {
    let with = |ca: Value| edited(base(), "context.contextActivities", ca);
    for key in ["parent", "grouping", "category", "other"] {
        accepted_by_both(
            &format!("single {key} object (allowed, normalised to an array)"),
            &with(json!({key: {"id": "http://mycel.example/course"}})),
        );
        accepted_by_both(
            &format!("{key} array"),
            &with(
                json!({key: [{"id": "http://mycel.example/course"}, {"objectType": "Activity", "id": "http://mycel.example/c2"}]}),
            ),
        );
        rejected_by_both(
            &format!("{key} as string"),
            &with(json!({key: "http://mycel.example/course"})),
            &format!("context.contextActivities.{key}"),
        );
    }
    rejected_by_both(
        "unknown context activity type",
        &with(json!({"sibling": [{"id": "http://mycel.example/course"}]})),
        "context.contextActivities.sibling",
    );
    rejected_by_both(
        "context activity id not an IRI",
        &with(json!({"parent": [{"id": "course"}]})),
        "context.contextActivities.parent[0].id",
    );
    rejected_by_both(
        "context activity that is an agent",
        &with(json!({"parent": [{"objectType": "Agent", "mbox": "mailto:a@example.com"}]})),
        "context.contextActivities.parent[0].objectType",
    );
    rejected_by_both(
        "context activity without id",
        &with(json!({"other": {"key": "should fail"}})),
        "context.contextActivities.other.key",
    );
    rejected_by_both(
        "contextActivities as array",
        &with(json!([])),
        "context.contextActivities",
    );
}

#[test]
fn context_agents_and_groups_are_2_0_only() {
    let agents = json!([{
        "objectType": "contextAgent",
        "agent": {"objectType": "Agent", "mbox": "mailto:coach@example.com"},
        "relevantTypes": ["https://mycel.example/activity-types/coaching"]
    }]);
    let groups = json!([{
        "objectType": "contextGroup",
        "group": {"objectType": "Group", "mbox": "mailto:team@example.com",
                  "member": [{"objectType": "Agent", "mbox": "mailto:ada@example.com"}]},
        "relevantTypes": ["https://mycel.example/activity-types/team"]
    }]);
    let s = edited(
        edited(base(), "context.contextAgents", agents.clone()),
        "context.contextGroups",
        groups.clone(),
    );
    accepted("contextAgents and contextGroups", &s, V2);
    rejected_at("contextAgents under 1.0.3", &s, V1, "context.contextAgents");
    accepted(
        "contextAgents in a SubStatement",
        &edited(
            with_substatement(),
            "object.context.contextAgents",
            agents.clone(),
        ),
        V2,
    );
    let mut no_relevant_types = agents.clone();
    remove(&mut no_relevant_types, "0.relevantTypes");
    accepted(
        "contextAgent without relevantTypes",
        &edited(base(), "context.contextAgents", no_relevant_types),
        V2,
    );

    let agent_case = |entry: Value| edited(base(), "context.contextAgents", json!([entry]));
    rejected_at(
        "contextAgent with wrong objectType",
        &agent_case(
            json!({"objectType": "Should fail", "agent": {"mbox": "mailto:a@example.com"}}),
        ),
        V2,
        "context.contextAgents[0].objectType",
    );
    rejected_at(
        "contextAgent without objectType",
        &agent_case(json!({"agent": {"mbox": "mailto:a@example.com"}})),
        V2,
        "context.contextAgents[0].objectType",
    );
    rejected_at(
        "contextAgent with invalid agent",
        &agent_case(json!({"objectType": "contextAgent", "agent": {"key": "Should fail"}})),
        V2,
        "context.contextAgents[0].agent.key",
    );
    rejected_at(
        "contextAgent with a group",
        &agent_case(
            json!({"objectType": "contextAgent", "agent": {"objectType": "Group", "mbox": "mailto:g@example.com"}}),
        ),
        V2,
        "context.contextAgents[0].agent.objectType",
    );
    rejected_at(
        "contextAgent with empty relevantTypes",
        &agent_case(
            json!({"objectType": "contextAgent", "agent": {"mbox": "mailto:a@example.com"}, "relevantTypes": []}),
        ),
        V2,
        "context.contextAgents[0].relevantTypes",
    );
    rejected_at(
        "contextAgent with non-IRI relevantTypes",
        &agent_case(
            json!({"objectType": "contextAgent", "agent": {"mbox": "mailto:a@example.com"}, "relevantTypes": ["abc"]}),
        ),
        V2,
        "context.contextAgents[0].relevantTypes[0]",
    );
    rejected_at(
        "contextAgents not an array",
        &edited(
            base(),
            "context.contextAgents",
            json!({"objectType": "contextAgent"}),
        ),
        V2,
        "context.contextAgents",
    );
    let group_case = |entry: Value| edited(base(), "context.contextGroups", json!([entry]));
    rejected_at(
        "contextGroup with wrong objectType",
        &group_case(
            json!({"objectType": "contextAgent", "group": {"objectType": "Group", "mbox": "mailto:g@example.com"}}),
        ),
        V2,
        "context.contextGroups[0].objectType",
    );
    rejected_at(
        "contextGroup with invalid group",
        &group_case(json!({"objectType": "contextGroup", "group": {"key": "Should fail"}})),
        V2,
        "context.contextGroups[0].group.objectType",
    );
    rejected_at(
        "contextGroup with member outside the group",
        &group_case(
            json!({"objectType": "contextGroup", "group": {"objectType": "Group", "mbox": "mailto:g@example.com"},
            "member": [{"mbox": "mailto:a@example.com"}]}),
        ),
        V2,
        "context.contextGroups[0].member",
    );
    rejected_at(
        "contextGroup with empty relevantTypes",
        &group_case(
            json!({"objectType": "contextGroup", "group": {"objectType": "Group", "mbox": "mailto:g@example.com"}, "relevantTypes": []}),
        ),
        V2,
        "context.contextGroups[0].relevantTypes",
    );
}

#[test]
fn timestamps() {
    for ok in [
        "2008-09-15T15:53:00.601+00:00",
        "2026-11-25T09:30:00Z",
        "2026-11-25T09:30:00.123456+01:00",
    ] {
        accepted_by_both(ok, &edited(base(), "timestamp", json!(ok)));
        accepted_by_both(
            &format!("stored {ok}"),
            &edited(base(), "stored", json!(ok)),
        );
    }
    for bad in [
        json!("should fail"),
        json!("01/011/2015"),
        json!("2008-09-15T15:53:00.601-00"),
        json!("2008-09-15T15:53:00.601-0000"),
        json!("2008-09-15T15:53:00.601-00:00"),
        json!("2026-02-30T09:30:00Z"),
        json!(1700000000),
    ] {
        rejected_by_both(
            &format!("timestamp {bad}"),
            &edited(base(), "timestamp", bad.clone()),
            "timestamp",
        );
        rejected_by_both(
            &format!("substatement timestamp {bad}"),
            &edited(with_substatement(), "object.timestamp", bad.clone()),
            "object.timestamp",
        );
        rejected_by_both(
            &format!("stored {bad}"),
            &edited(base(), "stored", bad.clone()),
            "stored",
        );
    }
    let no_zone = edited(base(), "timestamp", json!("2026-11-25T09:30:00.123"));
    accepted("timestamp without time zone", &no_zone, V1);
    rejected_at("timestamp without time zone", &no_zone, V2, "timestamp");
}

#[test]
fn language_maps() {
    for ok in [
        "de",
        "de-DE",
        "zh-Hant",
        "sr-Latn-RS",
        "cmn",
        "es-419",
        "zh-Hans-CN",
        "ase",
        "ja",
        "fr-CA",
    ] {
        accepted_by_both(ok, &edited(base(), "verb.display", json!({ok: "x"})));
    }
    for bad in ["a12345678", "a12345", "zh-z-aaa-z-bbb-c-ccc", "en_US", ""] {
        rejected_by_both(
            &format!("display key {bad:?}"),
            &edited(base(), "verb.display", json!({bad: "x"})),
            &format!("verb.display.{bad}"),
        );
        rejected_by_both(
            &format!("activity name key {bad:?}"),
            &edited(base(), "object.definition.name", json!({bad: "x"})),
            &format!("object.definition.name.{bad}"),
        );
    }
    rejected_by_both(
        "language map value not a string",
        &edited(base(), "verb.display", json!({"en": {"text": "x"}})),
        "verb.display.en",
    );
}

#[test]
fn extensions() {
    for place in [
        "object.definition.extensions",
        "result.extensions",
        "context.extensions",
    ] {
        for ok in [
            json!({}),
            json!({"http://mycel.example/ext": null}),
            json!({"http://mycel.example/ext": ""}),
            json!({"http://mycel.example/ext": {}}),
            json!({"http://mycel.example/ext": {"nested": null, "list": [1, null]}}),
            json!({"http://mycel.example/ext": true}),
            json!({"http://mycel.example/ext": 12345}),
        ] {
            accepted_by_both(&format!("{place} {ok}"), &edited(base(), place, ok.clone()));
        }
        rejected_by_both(
            &format!("{place} key not an IRI"),
            &edited(base(), place, json!({"should fail": true})),
            &format!("{place}.should fail"),
        );
        rejected_by_both(
            &format!("{place} as string"),
            &edited(base(), place, json!("x")),
            place,
        );
        rejected_by_both(
            &format!("{place} null"),
            &edited(base(), place, Value::Null),
            place,
        );
    }
}

#[test]
fn authority() {
    let with = |a: Value| edited(base(), "authority", a);
    accepted_by_both(
        "agent authority",
        &with(json!({"mbox": "mailto:lrs@example.com"})),
    );
    accepted_by_both(
        "OAuth authority",
        &with(json!({"objectType": "Group", "member": [
            {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}},
            {"mbox": "mailto:bob@example.com"}
        ]})),
    );
    rejected_by_both(
        "authority group of one",
        &with(json!({"objectType": "Group", "member": [{"mbox": "mailto:bob@example.com"}]})),
        "authority.member",
    );
    rejected_by_both(
        "authority group of three",
        &with(json!({"objectType": "Group", "member": [
            {"mbox": "mailto:a@example.com"}, {"mbox": "mailto:b@example.com"}, {"mbox": "mailto:c@example.com"}
        ]})),
        "authority.member",
    );
    rejected_by_both(
        "identified authority group",
        &with(
            json!({"objectType": "Group", "mbox": "mailto:xapigroup@example.com", "member": [
                {"mbox": "mailto:a@example.com"}, {"mbox": "mailto:b@example.com"}
            ]}),
        ),
        "authority",
    );
    rejected_by_both(
        "authority without IFI",
        &with(json!({"name": "LRS"})),
        "authority",
    );
}

#[test]
fn version_property() {
    for ok in ["1.0", "1.0.0", "1.0.3", "1.0.9"] {
        accepted_by_both(ok, &edited(base(), "version", json!(ok)));
    }
    let two = edited(base(), "version", json!("2.0.0"));
    accepted("2.0.0 under 2.0", &two, V2);
    rejected_at("2.0.0 under 1.0.3", &two, V1, "version");
    for bad in [
        json!("should fail"),
        json!("0.9.9"),
        json!("1.1.0"),
        json!(1.0),
    ] {
        rejected_by_both(
            &format!("version {bad}"),
            &edited(base(), "version", bad.clone()),
            "version",
        );
    }
}

#[test]
fn attachments() {
    let attachment = json!({
        "usageType": "http://mycel.example/attachment-usage/certificate",
        "display": {"en-US": "Certificate"},
        "description": {"en-US": "Signed certificate of attendance"},
        "contentType": "text/plain; charset=ascii",
        "length": 27,
        "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
        "fileUrl": "https://files.mycel.example/cert.txt"
    });
    let with = |a: Value| edited(base(), "attachments", a);
    accepted_by_both("attachment", &with(json!([attachment.clone()])));
    accepted_by_both("no attachments", &with(json!([])));
    rejected_by_both(
        "attachments not an array",
        &with(attachment.clone()),
        "attachments",
    );
    rejected_by_both("attachment number", &with(json!([12345])), "attachments[0]");
    rejected_by_both(
        "attachment string",
        &with(json!(["should fail"])),
        "attachments[0]",
    );
    for (property, bad) in [
        ("usageType", json!("should fail")),
        ("contentType", json!(12345)),
        ("contentType", json!("plain text")),
        ("length", json!("should fail")),
        ("length", json!(-1)),
        ("length", json!(2.5)),
        ("sha2", json!(12345)),
        ("sha2", json!("not-a-digest")),
        ("fileUrl", json!("should fail")),
        ("display", json!("Certificate")),
        ("description", json!({"a12345": "x"})),
    ] {
        let mut a = attachment.clone();
        set(&mut a, property, bad.clone());
        let path = if property == "description" {
            "attachments[0].description.a12345".to_owned()
        } else {
            format!("attachments[0].{property}")
        };
        rejected_by_both(
            &format!("attachment {property} {bad}"),
            &with(json!([a])),
            &path,
        );
    }
    for required in ["usageType", "display", "contentType", "length", "sha2"] {
        let mut a = attachment.clone();
        remove(&mut a, required);
        rejected_by_both(
            &format!("attachment without {required}"),
            &with(json!([a])),
            &format!("attachments[0].{required}"),
        );
    }
    let mut without_url = attachment;
    remove(&mut without_url, "fileUrl");
    accepted_by_both(
        "attachment without fileUrl (sent as multipart part)",
        &with(json!([without_url])),
    );
}

#[test]
fn batches() {
    let batch = json!([base(), with_substatement()]);
    for v in BOTH {
        assert_eq!(validate_batch(&batch, v), Ok(()));
        assert_eq!(
            validate_batch(&base(), v),
            Ok(()),
            "a single statement is a batch of one"
        );
        assert_eq!(validate_batch(&json!([]), v), Ok(()));
        assert_eq!(validate_batch(&json!("x"), v), Err(BatchError::NotAnArray));
        let broken = json!([
            base(),
            edited(base(), "actor.mbox", json!("ada@example.com"))
        ]);
        match validate_batch(&broken, v) {
            Err(BatchError::Statement { index: 1, error }) => assert_eq!(error.path, "actor.mbox"),
            other => panic!("expected statement 1 to be rejected, got {other:?}"),
        }
        let id = json!("fd41c918-b88b-4b20-a0a5-a4c32391aaa0");
        let twice = json!([
            edited(base(), "id", id.clone()),
            base(),
            edited(with_substatement(), "id", id)
        ]);
        match validate_batch(&twice, v) {
            Err(BatchError::DuplicateId {
                first: 0,
                second: 2,
                ..
            }) => {}
            other => panic!("expected a duplicate id error, got {other:?}"),
        }
    }
}

#[test]
fn errors_read_well() {
    let s = edited(
        base(),
        "context.contextActivities.parent",
        json!([{"id": "course"}]),
    );
    match validate_statement(&s, V2) {
        Err(e) => {
            assert_eq!(e.path, "context.contextActivities.parent[0].id");
            assert_eq!(
                e.to_string(),
                "context.contextActivities.parent[0].id: \"course\" is not an absolute IRI (it needs a scheme such as http:)"
            );
        }
        Ok(()) => panic!("accepted an activity id without scheme"),
    }
    match validate_statement(&json!(1), V2) {
        Err(e) => assert_eq!(
            e.to_string(),
            "statement: must be a JSON object, not a number"
        ),
        Ok(()) => panic!("accepted a number"),
    }
}
