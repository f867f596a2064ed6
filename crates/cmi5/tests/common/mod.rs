//! Test helpers: the spec's course structures, a clock, and an AU that builds its statements from
//! the `LMS.LaunchData` document the way an AU library (cmi5.js) does.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use mycel_cmi5::{
    vocab, AuLaunch, AuSession, Cmi5Verb, CourseActivities, LaunchMode, Registration,
};
use mycel_package::Cmi5Course;
use serde_json::{json, Value};
use uuid::Uuid;

pub const ACTIVITY_BASE: &str = "https://lms.example.com/cmi5/t1/course-1";
pub const ENDPOINT: &str = "https://lms.example.com/xapi/";
pub const FETCH: &str = "https://lms.example.com/cmi5/fetch/one-time";

/// A course structure from shared/data/specs.
pub fn spec_course(file: &str) -> Cmi5Course {
    let path = format!(
        "{}/../../../shared/data/specs/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    mycel_package::parse_cmi5(&bytes).unwrap()
}

/// A one-block, one-AU course like CATAPULT's 005-1 (moveOn and masteryScore as given).
pub fn one_au_course(move_on: &str, mastery: Option<&str>) -> Cmi5Course {
    let mastery = mastery
        .map(|m| format!(r#"masteryScore="{m}""#))
        .unwrap_or_default();
    let xml = format!(
        r#"<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://pub.example.com/course/1"><title><langstring lang="en">Course</langstring></title><description/></course>
  <block id="https://pub.example.com/block/1"><title><langstring lang="en">Block</langstring></title><description/>
    <au id="https://pub.example.com/au/1" moveOn="{move_on}" {mastery}>
      <title><langstring lang="en">AU</langstring></title><description/>
      <url>https://cdn.example.com/au/1/index.html?paramA=1&amp;paramB=2</url>
      <launchParameters>sample string</launchParameters>
      <entitlementKey>sample value</entitlementKey>
    </au>
  </block>
</courseStructure>"#
    );
    mycel_package::parse_cmi5(xml.as_bytes()).unwrap()
}

/// `seconds` after 2025-03-01T10:00:00Z.
pub fn t(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 10, 0, 0).unwrap() + chrono::TimeDelta::seconds(seconds)
}

pub fn registration_id() -> Uuid {
    Uuid::parse_str("760e3480-ba55-4991-94b0-01820dbd23a2").unwrap()
}

pub fn new_registration() -> Registration {
    Registration::new(
        registration_id(),
        mycel_cmi5::LearnerAgent::new("https://lms.example.com", "person-42").unwrap(),
    )
}

/// The AU's side: what it read from the launch URL and `LMS.LaunchData`.
#[derive(Debug, Clone)]
pub struct Au {
    pub actor: Value,
    pub registration: String,
    pub activity_id: String,
    pub launch_data: Value,
}

impl Au {
    /// Reads the launch URL's parameters and the launch data, as an AU would.
    pub fn from_launch(url: &str, launch_data: &Value) -> Self {
        let url = url::Url::parse(url).unwrap();
        let get = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .unwrap()
        };
        Self {
            actor: serde_json::from_str(&get("actor")).unwrap(),
            registration: get("registration"),
            activity_id: get("activityId"),
            launch_data: launch_data.clone(),
        }
    }

    fn base(&self, verb: &str, timestamp: &str) -> Value {
        let mut context = self.launch_data["contextTemplate"].clone();
        context["registration"] = json!(self.registration);
        json!({
            "id": Uuid::new_v4().to_string(),
            "actor": self.actor,
            "verb": { "id": verb, "display": { "en-US": verb.rsplit('/').next().unwrap() } },
            "object": { "objectType": "Activity", "id": self.activity_id },
            "context": context,
            "timestamp": timestamp
        })
    }

    /// A "cmi5 allowed" statement: the context template, no cmi5 category.
    pub fn allowed(&self, verb: &str) -> Value {
        self.base(verb, "2025-03-01T10:00:30.000Z")
    }

    /// A correct "cmi5 defined" statement of `verb` (no score).
    pub fn defined(&self, verb: Cmi5Verb) -> Value {
        let iri = match verb {
            Cmi5Verb::Initialized => vocab::VERB_INITIALIZED,
            Cmi5Verb::Completed => vocab::VERB_COMPLETED,
            Cmi5Verb::Passed => vocab::VERB_PASSED,
            Cmi5Verb::Failed => vocab::VERB_FAILED,
            Cmi5Verb::Terminated => vocab::VERB_TERMINATED,
        };
        let mut st = self.base(iri, "2025-03-01T10:00:20.000Z");
        let mut categories = vec![json!({ "id": vocab::CATEGORY_CMI5 })];
        match verb {
            Cmi5Verb::Initialized => {}
            Cmi5Verb::Completed => {
                st["result"] = json!({ "completion": true, "duration": "PT10S" });
            }
            Cmi5Verb::Passed | Cmi5Verb::Failed => {
                st["result"] = json!({ "success": verb == Cmi5Verb::Passed, "duration": "PT10S" });
                if let Some(mastery) = self.launch_data.get("masteryScore") {
                    st["context"]["extensions"][vocab::EXT_MASTERY_SCORE] = mastery.clone();
                }
            }
            Cmi5Verb::Terminated => st["result"] = json!({ "duration": "PT15S" }),
        }
        if matches!(
            verb,
            Cmi5Verb::Completed | Cmi5Verb::Passed | Cmi5Verb::Failed
        ) {
            categories.push(json!({ "id": vocab::CATEGORY_MOVEON }));
        }
        st["context"]["contextActivities"]["category"] = json!(categories);
        st
    }

    /// "passed"/"failed" with a score `{scaled, raw, min: 0, max: 100}`.
    pub fn scored(&self, verb: Cmi5Verb, scaled: f64) -> Value {
        let mut st = self.defined(verb);
        st["result"]["score"] = json!({ "scaled": scaled, "raw": (scaled * 100.0).round() as i64, "min": 0, "max": 100 });
        st
    }
}

/// Applies a change to a copy of a statement.
pub fn with(statement: &Value, change: impl FnOnce(&mut Value)) -> Value {
    let mut copy = statement.clone();
    change(&mut copy);
    copy
}

/// A launched session of the first AU of `course` (learner preferences read, token fetched), the
/// AU's view of it, and the registration.
pub fn launched(
    course: &Cmi5Course,
    registration: &Registration,
    au_index: usize,
    session_id: &str,
    mode: LaunchMode,
) -> (AuSession, Au) {
    let activities = CourseActivities::new(course, ACTIVITY_BASE).unwrap();
    let au = course.aus()[au_index];
    let launch = AuLaunch::new(au, activities.au_activity_id(&au.id), session_id, mode);
    let url = mycel_cmi5::resolve_au_url("https://cdn.example.com/pkg/", &au.url).unwrap();
    let prepared = AuSession::launch(registration, &launch, &url, ENDPOINT, FETCH, t(0)).unwrap();
    let mut session = prepared.session;
    session.issue_auth_token().unwrap();
    session.note_learner_preferences_read();
    let au_view = Au::from_launch(&prepared.url, &prepared.launch_data);
    (session, au_view)
}

/// [`launched`], then "initialized" accepted.
pub fn initialized(
    course: &Cmi5Course,
    registration: &Registration,
    session_id: &str,
    mode: LaunchMode,
) -> (AuSession, Au) {
    let (mut session, au) = launched(course, registration, 0, session_id, mode);
    session
        .accept(&au.defined(Cmi5Verb::Initialized), t(1))
        .unwrap();
    (session, au)
}

/// The verb ids of statements.
pub fn verbs(statements: &[Value]) -> Vec<&str> {
    statements
        .iter()
        .map(|s| s["verb"]["id"].as_str().unwrap())
        .collect()
}
