//! SCORM events as xAPI statements, after ADL's xAPI SCORM Profile: the verbs `initialized`,
//! `resumed`, `completed`, `passed`, `failed`, `suspended` and `terminated`; the attempt's id as
//! `context.registration`; each SCO an activity `<course>/sco/<identifier>` whose parent is the
//! course (the opportunity's activity); the package's result one statement about the course itself.
//! Statement ids are derived from the attempt, the SCO, the session and the verb, so that the same
//! event can never be recorded under two ids.

use crate::progress::{Event, PackageResult};
use crate::runtime::{Completion, ScoFacts, Score, Success};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use uuid::Uuid;

const VERBS: &str = "http://adlnet.gov/expapi/verbs/";
const COURSE_TYPE: &str = "http://adlnet.gov/expapi/activities/course";
const SCO_TYPE: &str = "http://adlnet.gov/expapi/activities/lesson";
/// The category activity that marks statements of ADL's SCORM profile.
const SCORM_PROFILE: &str = "https://w3id.org/xapi/scorm";

/// What every statement of an attempt shares.
#[derive(Debug, Clone)]
pub struct AttemptContext<'a> {
    /// Mycel's public address: the home page of the learner's account.
    pub home_page: &'a str,
    pub person_id: &'a str,
    /// The opportunity's activity id.
    pub course_id: &'a str,
    /// The course's names by language tag (`de-DE`, `en-US`).
    pub course_names: &'a [(&'a str, &'a str)],
    /// The attempt's id.
    pub registration: Uuid,
    pub timestamp: DateTime<Utc>,
}

/// The activity id of a SCO: `<course>/sco/<percent-encoded identifier>`.
pub fn sco_activity_id(course_id: &str, identifier: &str) -> String {
    format!(
        "{}/sco/{}",
        course_id.trim_end_matches('/'),
        percent_encoding::utf8_percent_encode(identifier, percent_encoding::NON_ALPHANUMERIC)
    )
}

fn verb(event: Event) -> Value {
    let name = event.verb();
    json!({"id": format!("{VERBS}{name}"), "display": {"en-US": name}})
}

fn course_activity(ctx: &AttemptContext<'_>) -> Value {
    let names: Map<String, Value> = ctx
        .course_names
        .iter()
        .filter(|(_, name)| !name.trim().is_empty())
        .map(|(lang, name)| ((*lang).to_owned(), json!(name)))
        .collect();
    let mut definition = json!({"type": COURSE_TYPE});
    if !names.is_empty() {
        definition["name"] = Value::Object(names);
    }
    json!({"objectType": "Activity", "id": ctx.course_id, "definition": definition})
}

fn base(ctx: &AttemptContext<'_>, id: Uuid, event: Event, object: Value) -> Value {
    json!({
        "id": id,
        "actor": {"objectType": "Agent", "account": {"homePage": ctx.home_page, "name": ctx.person_id}},
        "verb": verb(event),
        "object": object,
        "timestamp": ctx.timestamp.to_rfc3339_opts(SecondsFormat::Millis, true),
    })
}

fn profile_category() -> Value {
    json!({"objectType": "Activity", "id": SCORM_PROFILE,
        "definition": {"type": "http://adlnet.gov/expapi/activities/profile"}})
}

fn score_json(score: &Score) -> Option<Value> {
    let mut out = Map::new();
    if let Some(scaled) = score.fraction() {
        out.insert("scaled".into(), json!(scaled.clamp(-1.0, 1.0)));
    }
    if let Some(raw) = score.raw {
        out.insert("raw".into(), json!(raw));
        if let Some(min) = score.min {
            out.insert("min".into(), json!(min));
        }
        if let Some(max) = score.max {
            out.insert("max".into(), json!(max));
        }
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// A session time as an ISO 8601 duration: SCORM 1.2's `HHHH:MM:SS.SS`, or 2004's duration
/// when xAPI accepts it.
pub fn duration(session_time: &str) -> Option<String> {
    let value = session_time.trim();
    if value.is_empty() {
        return None;
    }
    if value.starts_with('P') {
        return mycel_xapi::datatypes::validate_duration(value)
            .is_ok()
            .then(|| value.to_owned());
    }
    let mut parts = value.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let hours: u32 = h.parse().ok()?;
    let minutes: u32 = m.parse().ok()?;
    let seconds: f64 = s
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s >= 0.0)?;
    if minutes >= 60 || seconds >= 60.0 {
        return None;
    }
    let seconds = (seconds * 100.0).round() / 100.0;
    Some(format!("PT{hours}H{minutes}M{seconds}S"))
}

/// The statement of a SCO's event. `session` is the SCO's session number within the attempt.
pub fn sco_statement(
    ctx: &AttemptContext<'_>,
    sco_identifier: &str,
    sco_title: &str,
    session: u32,
    event: Event,
    facts: &ScoFacts,
) -> Value {
    let id = Uuid::new_v5(
        &ctx.registration,
        format!("sco/{sco_identifier}/{session}/{}", event.verb()).as_bytes(),
    );
    let mut definition = json!({"type": SCO_TYPE});
    if !sco_title.trim().is_empty() {
        definition["name"] = json!({"und": sco_title});
    }
    let object = json!({
        "objectType": "Activity",
        "id": sco_activity_id(ctx.course_id, sco_identifier),
        "definition": definition,
    });
    let mut statement = base(ctx, id, event, object);
    let mut result = Map::new();
    match event {
        Event::Completed | Event::Passed | Event::Failed => {
            result.insert(
                "completion".into(),
                json!(event != Event::Failed || facts.completion == Completion::Completed),
            );
            if event != Event::Completed {
                result.insert("success".into(), json!(event == Event::Passed));
            } else if facts.success != Success::Unknown {
                result.insert("success".into(), json!(facts.success == Success::Passed));
            }
            if let Some(score) = facts.score.as_ref().and_then(score_json) {
                result.insert("score".into(), score);
            }
        }
        Event::Suspended | Event::Terminated => {
            if let Some(duration) = duration(&facts.session_time) {
                result.insert("duration".into(), json!(duration));
            }
        }
        Event::Initialized | Event::Resumed => {}
    }
    if !result.is_empty() {
        statement["result"] = Value::Object(result);
    }
    statement["context"] = json!({
        "registration": ctx.registration,
        "contextActivities": {
            "parent": [course_activity(ctx)],
            "grouping": [course_activity(ctx)],
            "category": [profile_category()],
        },
    });
    statement
}

/// The statement of the whole package's result, about the course itself (the activity Mycel's
/// completions reader and evidence look for).
pub fn course_statement(
    ctx: &AttemptContext<'_>,
    result: PackageResult,
    scaled_score: Option<f64>,
) -> Value {
    let event = result.event();
    let id = Uuid::new_v5(
        &ctx.registration,
        format!("course/{}", event.verb()).as_bytes(),
    );
    let mut statement = base(ctx, id, event, course_activity(ctx));
    let mut outcome = Map::new();
    outcome.insert("completion".into(), json!(true));
    if result != PackageResult::Completed {
        outcome.insert("success".into(), json!(result == PackageResult::Passed));
    }
    if let Some(scaled) = scaled_score {
        outcome.insert("score".into(), json!({"scaled": scaled.clamp(-1.0, 1.0)}));
    }
    statement["result"] = Value::Object(outcome);
    statement["context"] = json!({
        "registration": ctx.registration,
        "contextActivities": {"category": [profile_category()]},
    });
    statement
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::runtime::{validate_commit, ScormVersion};
    use mycel_xapi::{validate_statement, XapiVersion};

    fn ctx(registration: Uuid) -> AttemptContext<'static> {
        AttemptContext {
            home_page: "https://lernen.example.de",
            person_id: "0190c7e2-0000-7000-8000-000000000001",
            course_id: "https://lernen.example.de/catalog/opportunities/0190c7e2-0000-7000-8000-0000000000aa",
            course_names: &[("de-DE", "Golf erklärt"), ("en-US", "Golf Explained")],
            registration,
            timestamp: DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
        }
    }

    #[test]
    fn every_event_makes_a_valid_statement() {
        let registration = Uuid::new_v4();
        let commit = validate_commit(
            ScormVersion::V12,
            &json!({"cmi": {"core": {"lesson_status": "passed", "score": {"raw": "85", "min": "0", "max": "100"},
                "session_time": "0000:03:25.5"}}}),
        )
        .unwrap();
        for event in [
            Event::Initialized,
            Event::Resumed,
            Event::Completed,
            Event::Passed,
            Event::Failed,
            Event::Suspended,
            Event::Terminated,
        ] {
            let s = sco_statement(
                &ctx(registration),
                "item 1/ä",
                "Golf",
                1,
                event,
                &commit.facts,
            );
            validate_statement(&s, XapiVersion::V1_0_3)
                .unwrap_or_else(|e| panic!("{event:?}: {e:?}\n{s:#}"));
            assert_eq!(s["verb"]["id"], format!("{VERBS}{}", event.verb()));
            assert_eq!(s["context"]["registration"], json!(registration));
            assert_eq!(
                s["object"]["id"],
                format!("{}/sco/item%201%2F%C3%A4", ctx(registration).course_id)
            );
        }
        let passed = sco_statement(&ctx(registration), "i", "", 1, Event::Passed, &commit.facts);
        assert_eq!(passed["result"]["score"]["scaled"], 0.85);
        assert_eq!(passed["result"]["success"], true);
        let ended = sco_statement(
            &ctx(registration),
            "i",
            "",
            1,
            Event::Terminated,
            &commit.facts,
        );
        assert_eq!(ended["result"]["duration"], "PT0H3M25.5S");
    }

    #[test]
    fn the_course_statement_names_the_opportunity_itself() {
        let registration = Uuid::new_v4();
        let s = course_statement(&ctx(registration), PackageResult::Passed, Some(0.9));
        validate_statement(&s, XapiVersion::V1_0_3).unwrap();
        assert_eq!(s["object"]["id"], ctx(registration).course_id);
        assert_eq!(s["verb"]["id"], format!("{VERBS}passed"));
        assert_eq!(s["result"]["success"], true);
        let again = course_statement(&ctx(registration), PackageResult::Passed, Some(0.9));
        assert_eq!(s["id"], again["id"], "one id per event and attempt");
        let completed = course_statement(&ctx(registration), PackageResult::Completed, None);
        assert!(completed["result"].get("success").is_none());
        assert_ne!(s["id"], completed["id"]);
    }

    #[test]
    fn session_times_become_durations() {
        assert_eq!(duration("00:01:02").as_deref(), Some("PT0H1M2S"));
        assert_eq!(duration("PT1M30S").as_deref(), Some("PT1M30S"));
        assert_eq!(duration("P"), None);
        assert_eq!(duration("00:61:00"), None);
        assert_eq!(duration("garbage"), None);
        assert_eq!(duration(""), None);
    }
}
