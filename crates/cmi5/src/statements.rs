//! The statements the LMS itself records (9.3.1 launched, 9.3.6 abandoned, 9.3.7 waived,
//! 9.3.9 satisfied), as xAPI JSON ready for the LRS.
//!
//! Every one is "cmi5 defined": the actor is the learner's account Agent (9.2), the context has the
//! registration (9.6.1), the cmi5 category activity (9.6.2.1), the publisher id activity in
//! `grouping` (9.6.2.3) and the session id extension (9.6.3.1), and a UTC `timestamp` (9.7). The
//! statements carry no `id`: the LRS assigns one when it stores them.

use chrono::{DateTime, TimeDelta, Utc};
use mycel_package::LangString;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::launch::{AuLaunch, LearnerAgent};
use crate::vocab;

/// Why the LMS waived an AU (9.5.5.2); the first four are the values the spec recommends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiveReason {
    /// "Tested Out": an assessment was completed to waive the AU.
    TestedOut,
    /// "Equivalent AU": an equivalent AU of the same course was completed.
    EquivalentAu,
    /// "Equivalent Outside Activity": an equivalent activity outside the course was completed.
    EquivalentOutsideActivity,
    /// "Administrative": an administrator marked the AU complete.
    Administrative,
    /// Any other reason, as written.
    Other(String),
}

impl WaiveReason {
    /// The value of the reason extension.
    pub fn as_str(&self) -> &str {
        match self {
            WaiveReason::TestedOut => "Tested Out",
            WaiveReason::EquivalentAu => "Equivalent AU",
            WaiveReason::EquivalentOutsideActivity => "Equivalent Outside Activity",
            WaiveReason::Administrative => "Administrative",
            WaiveReason::Other(text) => text,
        }
    }
}

/// Who, in which registration and session: the parts every LMS statement shares.
#[derive(Debug, Clone, Copy)]
pub struct StatementScope<'a> {
    pub actor: &'a LearnerAgent,
    pub registration: Uuid,
    pub session_id: &'a str,
}

/// What a "satisfied" statement is about (9.3.9, 9.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SatisfiedKind {
    Block,
    Course,
}

/// A block or the course, as the object of a "satisfied" statement.
#[derive(Debug, Clone, Copy)]
pub struct SatisfiedTarget<'a> {
    pub kind: SatisfiedKind,
    /// The LMS's activity id (9.4: not the publisher id).
    pub activity_id: &'a str,
    /// The id in the course structure, for `grouping` (9.6.2.3).
    pub publisher_id: &'a str,
    /// The title from the course structure, used as `definition.name` when every language is a
    /// valid tag.
    pub title: &'a [LangString],
}

fn verb(id: &str, display: &str) -> Value {
    json!({ "id": id, "display": { "en-US": display } })
}

fn activity(id: &str) -> Value {
    json!({ "objectType": "Activity", "id": id })
}

fn base(
    scope: &StatementScope<'_>,
    verb: Value,
    object: Value,
    publisher_id: &str,
    moveon: bool,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let mut category = vec![activity(vocab::CATEGORY_CMI5)];
    if moveon {
        category.push(activity(vocab::CATEGORY_MOVEON));
    }
    let mut statement = Map::new();
    statement.insert("actor".into(), scope.actor.to_json());
    statement.insert("verb".into(), verb);
    statement.insert("object".into(), object);
    statement.insert(
        "context".into(),
        json!({
            "registration": scope.registration.hyphenated().to_string(),
            "contextActivities": {
                "category": category,
                "grouping": [activity(publisher_id)]
            },
            "extensions": { vocab::EXT_SESSION_ID: scope.session_id }
        }),
    );
    statement.insert(
        "timestamp".into(),
        json!(mycel_xapi::datatypes::format_timestamp_utc(&now)),
    );
    statement
}

fn context_extensions(statement: &mut Map<String, Value>) -> Option<&mut Map<String, Value>> {
    statement
        .get_mut("context")?
        .get_mut("extensions")?
        .as_object_mut()
}

/// "launched" (9.3.1), recorded before the AU is launched, with the launch mode, launch URL
/// (`au_url`: the AU's absolute URL without the cmi5 parameters, 9.6.3.4), moveOn, and — when the
/// launch data has them — launch parameters and mastery score (9.6.3.2–9.6.3.7).
pub fn launched(
    actor: &LearnerAgent,
    registration: Uuid,
    launch: &AuLaunch,
    au_url: &str,
    now: DateTime<Utc>,
) -> Value {
    let scope = StatementScope {
        actor,
        registration,
        session_id: &launch.session_id,
    };
    let mut statement = base(
        &scope,
        verb(vocab::VERB_LAUNCHED, "launched"),
        activity(&launch.activity_id),
        &launch.publisher_id,
        false,
        now,
    );
    if let Some(extensions) = context_extensions(&mut statement) {
        extensions.insert(
            vocab::EXT_LAUNCH_MODE.into(),
            json!(launch.launch_mode.as_str()),
        );
        extensions.insert(vocab::EXT_LAUNCH_URL.into(), json!(au_url));
        extensions.insert(vocab::EXT_MOVE_ON.into(), json!(launch.move_on.as_str()));
        if let Some(parameters) = &launch.launch_parameters {
            extensions.insert(vocab::EXT_LAUNCH_PARAMETERS.into(), json!(parameters));
        }
        if let Some(score) = launch.mastery_score {
            extensions.insert(vocab::EXT_MASTERY_SCORE.into(), json!(score));
        }
    }
    Value::Object(statement)
}

/// "abandoned" (9.3.6) for the AU of a session that ended without "terminated", with
/// `result.duration` (9.5.4.2).
pub fn abandoned(
    scope: &StatementScope<'_>,
    publisher_id: &str,
    activity_id: &str,
    duration: TimeDelta,
    now: DateTime<Utc>,
) -> Value {
    let mut statement = base(
        scope,
        verb(vocab::VERB_ABANDONED, "abandoned"),
        activity(activity_id),
        publisher_id,
        false,
        now,
    );
    statement.insert(
        "result".into(),
        json!({ "duration": iso_duration(duration) }),
    );
    Value::Object(statement)
}

/// "waived" (9.3.7): `result.success` and `result.completion` true (9.5.2, 9.5.3), the reason
/// extension (9.5.5.2), and so the moveOn category (9.6.2.2). `scope.session_id` must be a new
/// session id used for nothing but this statement and the "satisfied" statements it causes.
pub fn waived(
    scope: &StatementScope<'_>,
    publisher_id: &str,
    activity_id: &str,
    reason: &WaiveReason,
    now: DateTime<Utc>,
) -> Value {
    let mut statement = base(
        scope,
        verb(vocab::VERB_WAIVED, "waived"),
        activity(activity_id),
        publisher_id,
        true,
        now,
    );
    statement.insert(
        "result".into(),
        json!({
            "success": true,
            "completion": true,
            "extensions": { vocab::RESULT_EXT_REASON: reason.as_str() }
        }),
    );
    Value::Object(statement)
}

/// "satisfied" (9.3.9) for a block or the course: the object is the LMS's block or course
/// activity with its activity type (9.4), the publisher id of the block or course is in `grouping`.
pub fn satisfied(
    scope: &StatementScope<'_>,
    target: &SatisfiedTarget<'_>,
    now: DateTime<Utc>,
) -> Value {
    let activity_type = match target.kind {
        SatisfiedKind::Block => vocab::ACTIVITY_TYPE_BLOCK,
        SatisfiedKind::Course => vocab::ACTIVITY_TYPE_COURSE,
    };
    let mut definition = Map::new();
    definition.insert("type".into(), json!(activity_type));
    if let Some(name) = language_map(target.title) {
        definition.insert("name".into(), name);
    }
    let object = json!({
        "objectType": "Activity",
        "id": target.activity_id,
        "definition": definition
    });
    Value::Object(base(
        scope,
        verb(vocab::VERB_SATISFIED, "satisfied"),
        object,
        target.publisher_id,
        false,
        now,
    ))
}

/// A language map of the titles, when there is one and every language is a valid RFC 5646 tag.
fn language_map(strings: &[LangString]) -> Option<Value> {
    if strings.is_empty() {
        return None;
    }
    let mut map = Map::new();
    for s in strings {
        let lang = s.lang.as_deref()?;
        if !mycel_xapi::datatypes::is_language_tag(lang) {
            return None;
        }
        map.insert(lang.to_owned(), json!(s.text));
    }
    Some(Value::Object(map))
}

/// An ISO 8601 duration (`PT1H2M3.45S`) to hundredths of a second; negative spans count as zero.
pub fn iso_duration(span: TimeDelta) -> String {
    let centis = (span.num_milliseconds().max(0)) / 10;
    let hours = centis / 360_000;
    let minutes = (centis / 6_000) % 60;
    let seconds = (centis / 100) % 60;
    let fraction = centis % 100;
    let mut out = String::from("PT");
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}M"));
    }
    if fraction == 0 {
        out.push_str(&format!("{seconds}S"));
    } else {
        let fraction = format!("{fraction:02}");
        out.push_str(&format!("{seconds}.{}S", fraction.trim_end_matches('0')));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::launch::LaunchMode;
    use chrono::TimeZone;
    use mycel_package::MoveOn;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
    }

    fn learner() -> LearnerAgent {
        LearnerAgent::new("https://lms.example.com", "p-42").unwrap()
    }

    fn reg() -> Uuid {
        Uuid::parse_str("760e3480-ba55-4991-94b0-01820dbd23a2").unwrap()
    }

    fn validate(statement: &Value) {
        mycel_xapi::validate_statement(statement, mycel_xapi::XapiVersion::V1_0_3)
            .unwrap_or_else(|e| panic!("{e}: {statement}"));
    }

    /// 9.3.1 and 9.6.3.2–9.6.3.7: the launched statement and its extensions.
    #[test]
    fn launched_statement() {
        let launch = AuLaunch {
            publisher_id: "https://pub.example.com/au/1".into(),
            activity_id: "https://lms.example.com/au/1".into(),
            session_id: "s-1".into(),
            launch_mode: LaunchMode::Normal,
            launch_parameters: Some("sample string".into()),
            mastery_score: Some(0.9),
            move_on: MoveOn::CompletedAndPassed,
            return_url: None,
            entitlement_key: None,
        };
        let st = launched(
            &learner(),
            reg(),
            &launch,
            "https://cdn.example.com/index.html?paramA=1&paramB=2",
            now(),
        );
        validate(&st);
        assert_eq!(
            st,
            json!({
                "actor": {"objectType": "Agent", "account": {"homePage": "https://lms.example.com", "name": "p-42"}},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
                "object": {"objectType": "Activity", "id": "https://lms.example.com/au/1"},
                "context": {
                    "registration": "760e3480-ba55-4991-94b0-01820dbd23a2",
                    "contextActivities": {
                        "category": [{"objectType": "Activity", "id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
                        "grouping": [{"objectType": "Activity", "id": "https://pub.example.com/au/1"}]
                    },
                    "extensions": {
                        "https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-1",
                        "https://w3id.org/xapi/cmi5/context/extensions/launchmode": "Normal",
                        "https://w3id.org/xapi/cmi5/context/extensions/launchurl": "https://cdn.example.com/index.html?paramA=1&paramB=2",
                        "https://w3id.org/xapi/cmi5/context/extensions/moveon": "CompletedAndPassed",
                        "https://w3id.org/xapi/cmi5/context/extensions/launchparameters": "sample string",
                        "https://w3id.org/xapi/cmi5/context/extensions/masteryscore": 0.9
                    }
                },
                "timestamp": "2025-03-01T12:00:00.000Z"
            })
        );
        let mut plain = launch.clone();
        plain.launch_parameters = None;
        plain.mastery_score = None;
        let st = launched(&learner(), reg(), &plain, "https://x.example/a", now());
        let ext = &st["context"]["extensions"];
        assert!(ext.get(vocab::EXT_LAUNCH_PARAMETERS).is_none());
        assert!(ext.get(vocab::EXT_MASTERY_SCORE).is_none());
    }

    /// 9.3.7, 9.5.2, 9.5.3, 9.5.5.2, 9.6.2.2: waived with success, completion, reason, moveOn category.
    #[test]
    fn waived_statement() {
        let me = learner();
        let scope = StatementScope {
            actor: &me,
            registration: reg(),
            session_id: "w-1",
        };
        let st = waived(
            &scope,
            "https://pub.example.com/au/1",
            "https://lms.example.com/au/1",
            &WaiveReason::Administrative,
            now(),
        );
        validate(&st);
        assert_eq!(st["verb"]["id"], "https://w3id.org/xapi/adl/verbs/waived");
        assert_eq!(
            st["result"],
            json!({"success": true, "completion": true, "extensions": {"https://w3id.org/xapi/cmi5/result/extensions/reason": "Administrative"}})
        );
        let categories: Vec<&str> = st["context"]["contextActivities"]["category"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        assert_eq!(categories, [vocab::CATEGORY_CMI5, vocab::CATEGORY_MOVEON]);
        assert_eq!(st["context"]["extensions"][vocab::EXT_SESSION_ID], "w-1");
        assert_eq!(WaiveReason::TestedOut.as_str(), "Tested Out");
        assert_eq!(WaiveReason::Other("x".into()).as_str(), "x");
    }

    /// 9.3.6, 9.5.4.2: abandoned with the session's duration.
    #[test]
    fn abandoned_statement() {
        let me = learner();
        let scope = StatementScope {
            actor: &me,
            registration: reg(),
            session_id: "s-1",
        };
        let st = abandoned(
            &scope,
            "https://pub.example.com/au/1",
            "https://lms.example.com/au/1",
            TimeDelta::seconds(3723) + TimeDelta::milliseconds(450),
            now(),
        );
        validate(&st);
        assert_eq!(st["verb"]["id"], vocab::VERB_ABANDONED);
        assert_eq!(st["result"], json!({"duration": "PT1H2M3.45S"}));
        assert_eq!(st["object"]["id"], "https://lms.example.com/au/1");
    }

    /// 9.3.9, 9.4: satisfied for a block: block activity type, LMS id as object, publisher id in grouping.
    #[test]
    fn satisfied_statement() {
        let me = learner();
        let scope = StatementScope {
            actor: &me,
            registration: reg(),
            session_id: "s-1",
        };
        let title = [LangString {
            lang: Some("en-US".into()),
            text: "Block one".into(),
        }];
        let st = satisfied(
            &scope,
            &SatisfiedTarget {
                kind: SatisfiedKind::Block,
                activity_id: "https://lms.example.com/block/1",
                publisher_id: "https://pub.example.com/block/1",
                title: &title,
            },
            now(),
        );
        validate(&st);
        assert_eq!(
            st["object"],
            json!({"objectType": "Activity", "id": "https://lms.example.com/block/1",
                   "definition": {"type": "https://w3id.org/xapi/cmi5/activitytype/block", "name": {"en-US": "Block one"}}})
        );
        assert_eq!(
            st["context"]["contextActivities"]["grouping"][0]["id"],
            "https://pub.example.com/block/1"
        );
        assert!(st.get("result").is_none());
        // No language: no name.
        let untagged = [LangString {
            lang: None,
            text: "x".into(),
        }];
        let st = satisfied(
            &scope,
            &SatisfiedTarget {
                kind: SatisfiedKind::Course,
                activity_id: "https://lms.example.com/course/1",
                publisher_id: "https://pub.example.com/course/1",
                title: &untagged,
            },
            now(),
        );
        assert_eq!(
            st["object"]["definition"],
            json!({"type": "https://w3id.org/xapi/cmi5/activitytype/course"})
        );
    }

    #[test]
    fn durations() {
        assert_eq!(iso_duration(TimeDelta::zero()), "PT0S");
        assert_eq!(iso_duration(TimeDelta::seconds(15)), "PT15S");
        assert_eq!(iso_duration(TimeDelta::milliseconds(1500)), "PT1.5S");
        assert_eq!(iso_duration(TimeDelta::seconds(-5)), "PT0S");
        assert_eq!(iso_duration(TimeDelta::seconds(7200)), "PT2H0S");
        for d in ["PT0S", "PT1.5S", "PT2H0S", "PT1H2M3.45S"] {
            mycel_xapi::datatypes::validate_duration(d).unwrap();
        }
    }
}
