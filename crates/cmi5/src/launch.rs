//! Launching an AU (cmi5 8.1, 9.4, 10): the learner as a cmi5 actor, the LMS's own activity ids,
//! the launch URL with its query parameters, and the `LMS.LaunchData` state document.

use mycel_package::{Cmi5Au, Cmi5Course, MoveOn};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::error::LaunchError;
use crate::vocab;

/// Everything but the RFC 3986 unreserved characters is percent-encoded in launch parameter values
/// (8.1: "Each value … MUST be URL-encoded"); spaces become `%20`, never `+`, so that both
/// `URLSearchParams` and `decodeURIComponent` read the values back unchanged.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The learner as cmi5 wants the actor (9.2, 8.1.3): an Agent identified by an `account` of the
/// LMS, without personal data such as name or e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LearnerAgent {
    /// The LMS's home page (an absolute URL), e.g. `https://mycel.example.com`.
    pub home_page: String,
    /// The learner's account name there: an opaque, stable id (not an e-mail address).
    pub name: String,
}

impl LearnerAgent {
    /// Checks that `home_page` is an absolute URL and `name` is not empty.
    pub fn new(home_page: &str, name: &str) -> Result<Self, LaunchError> {
        if !mycel_xapi::datatypes::is_irl(home_page) || name.is_empty() {
            return Err(LaunchError::InvalidLearner {
                home_page: home_page.to_owned(),
                name: name.to_owned(),
            });
        }
        Ok(Self {
            home_page: home_page.to_owned(),
            name: name.to_owned(),
        })
    }

    /// `{"objectType": "Agent", "account": {"homePage": …, "name": …}}`.
    pub fn to_json(&self) -> Value {
        json!({
            "objectType": "Agent",
            "account": { "homePage": self.home_page, "name": self.name }
        })
    }

    /// Whether an xAPI actor (or `agent` parameter) is this learner: an Agent (no `objectType`, or
    /// `"Agent"`) whose `account` has this `homePage` and `name`. Explains the difference if not.
    pub fn check(&self, actor: &Value) -> Result<(), String> {
        let Some(object) = actor.as_object() else {
            return Err("the actor is not an object".to_owned());
        };
        match object.get("objectType") {
            None => {}
            Some(Value::String(t)) if t == "Agent" => {}
            Some(other) => {
                return Err(format!(
                    "the actor of a cmi5 statement must be an Agent, not objectType {other}"
                ))
            }
        }
        let Some(account) = object.get("account").and_then(Value::as_object) else {
            return Err("the actor must be identified by an account, as launched".to_owned());
        };
        let home_page = account.get("homePage").and_then(Value::as_str);
        let name = account.get("name").and_then(Value::as_str);
        if home_page != Some(self.home_page.as_str()) || name != Some(self.name.as_str()) {
            return Err(format!(
                "the actor's account must be the launched learner's (homePage {:?}, name {:?})",
                self.home_page, self.name
            ));
        }
        Ok(())
    }
}

/// How the LMS launches an AU (10.2.2): `Normal` records satisfaction; `Browse` and `Review` let
/// the AU send only "initialized" and "terminated".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum LaunchMode {
    #[default]
    Normal,
    Browse,
    Review,
}

impl LaunchMode {
    /// `"Normal"`, `"Browse"` or `"Review"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchMode::Normal => "Normal",
            LaunchMode::Browse => "Browse",
            LaunchMode::Review => "Review",
        }
    }
}

/// The LMS's activity ids for one course (9.4, 8.1.5): the AU, block and course objects of
/// statements must not use the publisher's ids from the course structure, must be unique, and stay
/// the same for every launch and registration. Each is `<base>/au|block|course/<uuid>`, the UUID
/// (version 5) derived from the publisher id, so the ids are stable without being stored.
///
/// `base` must identify the course within the LMS (e.g.
/// `https://mycel.example.com/cmi5/<tenant>/<learning opportunity id>`), so that two courses that
/// reuse a publisher id still get different activity ids.
#[derive(Debug, Clone, Copy)]
pub struct CourseActivities<'a> {
    course: &'a Cmi5Course,
    base: &'a str,
}

impl<'a> CourseActivities<'a> {
    /// Checks that `base` is an absolute IRI; a trailing `/` is ignored.
    pub fn new(course: &'a Cmi5Course, base: &'a str) -> Result<Self, LaunchError> {
        let base = base.trim_end_matches('/');
        if !mycel_xapi::datatypes::is_iri(base) {
            return Err(LaunchError::InvalidActivityBase(base.to_owned()));
        }
        Ok(Self { course, base })
    }

    /// The course structure.
    pub fn course(&self) -> &'a Cmi5Course {
        self.course
    }

    fn derived(&self, kind: &str, publisher_id: &str) -> String {
        let uuid = Uuid::new_v5(&Uuid::NAMESPACE_URL, publisher_id.as_bytes());
        format!("{}/{kind}/{uuid}", self.base)
    }

    /// The activity id of an AU (the `activityId` launch parameter and the object of its
    /// statements).
    pub fn au_activity_id(&self, publisher_id: &str) -> String {
        self.derived("au", publisher_id)
    }

    /// The activity id of a block's "satisfied" statements.
    pub fn block_activity_id(&self, publisher_id: &str) -> String {
        self.derived("block", publisher_id)
    }

    /// The activity id of the course's "satisfied" statements.
    pub fn course_activity_id(&self) -> String {
        self.derived("course", &self.course.id)
    }

    /// The AU with this publisher id.
    pub fn au(&self, publisher_id: &str) -> Option<&'a Cmi5Au> {
        self.course
            .aus()
            .into_iter()
            .find(|au| au.id == publisher_id)
    }
}

/// The launch parameters of 8.1.
#[derive(Debug, Clone, Copy)]
pub struct LaunchParams<'a> {
    /// The LRS endpoint the AU sends xAPI requests to (8.1.1), absolute.
    pub endpoint: &'a str,
    /// The one-time URL the AU POSTs to for its authorization token (8.1.2), absolute.
    pub fetch: &'a str,
    /// The learner (8.1.3).
    pub actor: &'a LearnerAgent,
    /// The registration (8.1.4).
    pub registration: Uuid,
    /// The LMS's activity id of the AU (8.1.5), see [`CourseActivities::au_activity_id`].
    pub activity_id: &'a str,
}

fn absolute(what: &'static str, url: &str) -> Result<url::Url, LaunchError> {
    url::Url::parse(url).map_err(|_| LaunchError::NotAbsoluteUrl {
        what,
        url: url.to_owned(),
    })
}

/// The URL of an AU: an absolute `url` from the course structure as it is; a relative one
/// resolved against `package_base`, the URL the extracted package is served under (ending in `/`).
pub fn resolve_au_url(package_base: &str, au_url: &str) -> Result<String, LaunchError> {
    let au_url = au_url.trim();
    if url::Url::parse(au_url).is_ok() {
        return Ok(au_url.to_owned());
    }
    let base = absolute("package base URL", package_base)?;
    base.join(au_url)
        .map(String::from)
        .map_err(|_| LaunchError::Unresolvable {
            base: package_base.to_owned(),
            url: au_url.to_owned(),
        })
}

/// The URL that launches an AU (8.1): `au_url` with `endpoint`, `fetch`, `actor`, `registration`
/// and `activityId` appended to its query string, each value percent-encoded. The AU URL's own
/// query parameters (and fragment) are kept; a parameter of its own with one of the five names is
/// refused ([`LaunchError::ParameterCollision`]), as are relative URLs.
pub fn launch_url(au_url: &str, params: &LaunchParams<'_>) -> Result<String, LaunchError> {
    absolute("AU URL", au_url)?;
    absolute("endpoint", params.endpoint)?;
    absolute("fetch URL", params.fetch)?;
    let (before_fragment, fragment) = match au_url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (au_url, None),
    };
    let mut out = String::with_capacity(before_fragment.len() + 256);
    out.push_str(before_fragment);
    match before_fragment.split_once('?') {
        Some((_, query)) => {
            for (name, _) in url::form_urlencoded::parse(query.as_bytes()) {
                if vocab::LAUNCH_PARAMETER_NAMES.contains(&name.as_ref()) {
                    return Err(LaunchError::ParameterCollision {
                        name: name.into_owned(),
                        url: au_url.to_owned(),
                    });
                }
            }
            if !query.is_empty() && !query.ends_with('&') {
                out.push('&');
            }
        }
        None => out.push('?'),
    }
    let actor = params.actor.to_json().to_string();
    let registration = params.registration.hyphenated().to_string();
    let pairs = [
        ("endpoint", params.endpoint),
        ("fetch", params.fetch),
        ("actor", actor.as_str()),
        ("registration", registration.as_str()),
        ("activityId", params.activity_id),
    ];
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.extend(utf8_percent_encode(value, QUERY_VALUE));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    Ok(out)
}

/// What the LMS decided for one launch of one AU: the values of the `LMS.LaunchData` document
/// (10.2) and of the "launched" statement (9.6.3). [`AuLaunch::new`] copies them from the course
/// structure; the spec lets the LMS change `launch_parameters`, `mastery_score` and `move_on`
/// (10.2.3–10.2.5), so the fields are public.
#[derive(Debug, Clone, PartialEq)]
pub struct AuLaunch {
    /// The AU's id in the course structure (the publisher id, 9.6.2.3).
    pub publisher_id: String,
    /// The LMS's activity id of the AU (8.1.5).
    pub activity_id: String,
    /// A new, unique session id (9.6.3.1).
    pub session_id: String,
    pub launch_mode: LaunchMode,
    pub launch_parameters: Option<String>,
    pub mastery_score: Option<f64>,
    pub move_on: MoveOn,
    /// Where the AU sends the learner when it exits (10.2.6).
    pub return_url: Option<String>,
    /// `entitlementKey.courseStructure` (10.2.7.1).
    pub entitlement_key: Option<String>,
}

impl AuLaunch {
    /// The launch of `au` as its course structure describes it, without a return URL.
    pub fn new(
        au: &Cmi5Au,
        activity_id: impl Into<String>,
        session_id: impl Into<String>,
        launch_mode: LaunchMode,
    ) -> Self {
        Self {
            publisher_id: au.id.clone(),
            activity_id: activity_id.into(),
            session_id: session_id.into(),
            launch_mode,
            launch_parameters: au.launch_parameters.clone(),
            mastery_score: au.mastery_score,
            move_on: au.move_on,
            return_url: None,
            entitlement_key: au.entitlement_key.clone(),
        }
    }

    /// The context template (10.2.1): the session id extension and the AU's publisher id activity
    /// in `contextActivities.grouping`. No cmi5 category: "cmi5 allowed" statements use the
    /// template too and must not carry it (7.1.3).
    pub fn context_template(&self) -> Value {
        json!({
            "contextActivities": {
                "grouping": [ { "objectType": "Activity", "id": self.publisher_id } ]
            },
            "extensions": { vocab::EXT_SESSION_ID: self.session_id }
        })
    }

    /// The `LMS.LaunchData` state document (10.2), to be written for the AU's activity id, the
    /// learner and the registration before the launch (10.1).
    pub fn launch_data(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("contextTemplate".into(), self.context_template());
        doc.insert("launchMode".into(), json!(self.launch_mode.as_str()));
        if let Some(parameters) = &self.launch_parameters {
            doc.insert("launchParameters".into(), json!(parameters));
        }
        if let Some(score) = self.mastery_score {
            doc.insert("masteryScore".into(), json!(score));
        }
        doc.insert("moveOn".into(), json!(self.move_on.as_str()));
        if let Some(url) = &self.return_url {
            doc.insert("returnURL".into(), json!(url));
        }
        if let Some(key) = &self.entitlement_key {
            doc.insert("entitlementKey".into(), json!({ "courseStructure": key }));
        }
        Value::Object(doc)
    }
}

/// Whether an AU may write or delete a state document with this id: not `LMS.LaunchData`, which
/// only the LMS writes (10.2.1: "The AU MUST NOT modify or delete the LMS.LaunchData State
/// document").
pub fn au_may_write_state(state_id: &str) -> bool {
    state_id != vocab::STATE_LAUNCH_DATA
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn learner() -> LearnerAgent {
        LearnerAgent::new("https://lms.example.com", "1625378").unwrap()
    }

    fn params<'a>(actor: &'a LearnerAgent) -> LaunchParams<'a> {
        LaunchParams {
            endpoint: "https://lms.example.com/xapi/",
            fetch: "https://lms.example.com/cmi5/fetch/abc?k=2390289x0",
            actor,
            registration: Uuid::parse_str("760e3480-ba55-4991-94b0-01820dbd23a2").unwrap(),
            activity_id: "https://lms.example.com/cmi5/c1/au/1",
        }
    }

    fn query_pairs(url: &str) -> Vec<(String, String)> {
        url::Url::parse(url)
            .unwrap()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// 8.1: the five parameters, URL-encoded, decode back to their values.
    #[test]
    fn launch_url_carries_the_five_parameters_encoded() {
        let actor = learner();
        let url = launch_url("http://www.example.com/LA1/Start.html", &params(&actor)).unwrap();
        assert!(url.starts_with("http://www.example.com/LA1/Start.html?endpoint=https%3A%2F%2Flms.example.com%2Fxapi%2F&fetch="));
        assert!(!url.contains(' ') && !url.contains('{') && !url.contains('"'));
        let pairs = query_pairs(&url);
        let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            ["endpoint", "fetch", "actor", "registration", "activityId"]
        );
        assert_eq!(
            pairs[1].1,
            "https://lms.example.com/cmi5/fetch/abc?k=2390289x0"
        );
        let actor_json: Value = serde_json::from_str(&pairs[2].1).unwrap();
        assert_eq!(
            actor_json,
            json!({"objectType": "Agent", "account": {"homePage": "https://lms.example.com", "name": "1625378"}})
        );
        assert_eq!(pairs[3].1, "760e3480-ba55-4991-94b0-01820dbd23a2");
        assert_eq!(pairs[4].1, "https://lms.example.com/cmi5/c1/au/1");
    }

    /// 8.1 (and CATAPULT 001: `index.html?paramA=1&paramB=2`): the AU's own query parameters and
    /// fragment are kept.
    #[test]
    fn launch_url_keeps_the_aus_own_query_and_fragment() {
        let actor = learner();
        let url = launch_url(
            "https://cdn.example.com/p/index.html?paramA=1&paramB=2#start",
            &params(&actor),
        )
        .unwrap();
        assert!(url.starts_with("https://cdn.example.com/p/index.html?paramA=1&paramB=2&endpoint="));
        assert!(url.ends_with("#start"));
        let pairs = query_pairs(&url);
        assert_eq!(pairs[0], ("paramA".to_owned(), "1".to_owned()));
        assert_eq!(pairs[1], ("paramB".to_owned(), "2".to_owned()));
        assert_eq!(pairs.len(), 7);
        // A trailing `?` or `&` gets no second separator.
        let url = launch_url("https://x.example/a?", &params(&actor)).unwrap();
        assert!(url.starts_with("https://x.example/a?endpoint="));
    }

    /// 8.1: "the names MUST NOT collide with named parameters".
    #[test]
    fn launch_url_refuses_colliding_parameters() {
        let actor = learner();
        let err = launch_url("https://x.example/a?endpoint=mine", &params(&actor)).unwrap_err();
        assert_eq!(
            err,
            LaunchError::ParameterCollision {
                name: "endpoint".into(),
                url: "https://x.example/a?endpoint=mine".into()
            }
        );
        assert!(err.to_string().contains("cmi5 8.1"));
        // Case matters: `Endpoint` is another name.
        assert!(launch_url("https://x.example/a?Endpoint=mine", &params(&actor)).is_ok());
        assert!(matches!(
            launch_url("index.html", &params(&actor)),
            Err(LaunchError::NotAbsoluteUrl { what: "AU URL", .. })
        ));
    }

    #[test]
    fn relative_au_urls_resolve_against_the_package() {
        assert_eq!(
            resolve_au_url(
                "https://lms.example.com/pkg/7/",
                "index.html?paramA=1&paramB=2"
            )
            .unwrap(),
            "https://lms.example.com/pkg/7/index.html?paramA=1&paramB=2"
        );
        assert_eq!(
            resolve_au_url(
                "https://lms.example.com/pkg/7/",
                "http://quiz.example.com/1Hu62hL"
            )
            .unwrap(),
            "http://quiz.example.com/1Hu62hL"
        );
        assert!(resolve_au_url("not a url", "a.html").is_err());
    }

    #[test]
    fn learner_needs_an_account() {
        assert!(LearnerAgent::new("not a url", "x").is_err());
        assert!(LearnerAgent::new("https://lms.example.com", "").is_err());
        let me = learner();
        assert!(me.check(&me.to_json()).is_ok());
        assert!(me
            .check(&json!({"account": {"homePage": "https://lms.example.com", "name": "1625378"}}))
            .is_ok());
        let group = json!({"objectType": "Group", "account": {"homePage": "https://lms.example.com", "name": "1625378"}});
        assert!(me.check(&group).unwrap_err().contains("Agent"));
        assert!(me
            .check(&json!({"mbox": "mailto:a@example.com"}))
            .unwrap_err()
            .contains("account"));
        assert!(me
            .check(&json!({"account": {"homePage": "https://lms.example.com", "name": "other"}}))
            .is_err());
    }

    fn course() -> Cmi5Course {
        let xml = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/specs/complex-cmi5.xml"
        ))
        .expect("the spec's complex-cmi5.xml in shared/data/specs");
        mycel_package::parse_cmi5(&xml).unwrap()
    }

    /// 8.1.5, 9.4: generated ids differ from the publisher ids, are unique and stable.
    #[test]
    fn activity_ids_are_generated_unique_and_stable() {
        let course = course();
        let acts = CourseActivities::new(&course, "https://lms.example.com/cmi5/t1/c9/").unwrap();
        let mut seen = std::collections::HashSet::new();
        for au in course.aus() {
            let id = acts.au_activity_id(&au.id);
            assert_ne!(id, au.id);
            assert!(id.starts_with("https://lms.example.com/cmi5/t1/c9/au/"));
            assert!(mycel_xapi::datatypes::is_iri(&id));
            assert_eq!(id, acts.au_activity_id(&au.id));
            assert!(seen.insert(id));
        }
        for block in course.blocks() {
            let id = acts.block_activity_id(&block.id);
            assert_ne!(id, block.id);
            assert!(seen.insert(id));
        }
        assert_ne!(acts.course_activity_id(), course.id);
        assert!(seen.insert(acts.course_activity_id()));
        let other = CourseActivities::new(&course, "https://lms.example.com/cmi5/t1/c10").unwrap();
        let first = &course.aus()[0].id;
        assert_ne!(other.au_activity_id(first), acts.au_activity_id(first));
        assert!(CourseActivities::new(&course, "no iri").is_err());
    }

    /// 10.2: contextTemplate (session id, publisher id grouping), launchMode, launchParameters,
    /// masteryScore, moveOn, returnURL, entitlementKey.courseStructure.
    #[test]
    fn launch_data_document() {
        let course = course();
        let au = course
            .aus()
            .into_iter()
            .find(|a| a.id == "http://example.com/courses/f59c9fc0/au/6f66")
            .unwrap()
            .clone();
        let mut launch = AuLaunch::new(
            &au,
            "https://lms.example.com/au/1",
            "s-1",
            LaunchMode::Normal,
        );
        launch.launch_parameters = Some("sample string".into());
        launch.entitlement_key = Some("sample value".into());
        launch.return_url = Some("https://lms.example.com/courses/9".into());
        assert_eq!(
            launch.launch_data(),
            json!({
                "contextTemplate": {
                    "contextActivities": { "grouping": [ { "objectType": "Activity", "id": "http://example.com/courses/f59c9fc0/au/6f66" } ] },
                    "extensions": { "https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-1" }
                },
                "launchMode": "Normal",
                "launchParameters": "sample string",
                "masteryScore": 0.5,
                "moveOn": "CompletedAndPassed",
                "returnURL": "https://lms.example.com/courses/9",
                "entitlementKey": { "courseStructure": "sample value" }
            })
        );
        let mut plain = AuLaunch::new(
            &au,
            "https://lms.example.com/au/1",
            "s-2",
            LaunchMode::Browse,
        );
        plain.mastery_score = None;
        plain.launch_parameters = None;
        plain.entitlement_key = None;
        let doc = plain.launch_data();
        assert_eq!(doc["launchMode"], "Browse");
        for absent in [
            "masteryScore",
            "launchParameters",
            "returnURL",
            "entitlementKey",
        ] {
            assert!(doc.get(absent).is_none(), "{absent} should be left out");
        }
    }

    #[test]
    fn only_the_lms_writes_launch_data() {
        assert!(!au_may_write_state("LMS.LaunchData"));
        assert!(au_may_write_state("bookmark"));
    }
}
