//! The run-time data a SCO starts from: who the learner is, credit and mode, the mastery score
//! of the manifest, and — when the SCO was left suspended in this attempt — everything it needs to
//! resume: `entry` = `resume`, its location, suspend data, status and score.

use crate::progress::ScoProgress;
use crate::runtime::ScormVersion;
use serde_json::{json, Map, Value};

/// Who the learner is, as the SCO sees them.
#[derive(Debug, Clone, Copy)]
pub struct Learner<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// What a SCO's last session left, if it had one in this attempt.
#[derive(Debug, Clone, Copy)]
pub struct Saved<'a> {
    pub cmi: &'a Value,
    pub progress: &'a ScoProgress,
}

/// `ab-initio` for a first launch, `resume` after a suspended session, empty otherwise
/// (SCORM 1.2 and 2004 agree).
pub fn entry(saved: Option<Saved<'_>>) -> &'static str {
    match saved {
        None => "ab-initio",
        Some(s) if s.progress.sessions == 0 => "ab-initio",
        Some(s) if s.progress.facts.exit == "suspend" => "resume",
        Some(_) => "",
    }
}

/// The `cmi` object to load into the API before the SCO initialises (scorm-again's
/// `loadFromJSON(data, "cmi")`). `mastery_score` is on a 0..=1 scale (as the package crate
/// reads it).
pub fn launch_cmi(
    version: ScormVersion,
    learner: Learner<'_>,
    mastery_score: Option<f64>,
    saved: Option<Saved<'_>>,
) -> Value {
    let entry = entry(saved);
    let resume = entry == "resume";
    match version {
        ScormVersion::V12 => {
            let core_saved = saved.and_then(|s| s.cmi.pointer("/core"));
            let mut core = Map::new();
            core.insert("student_id".into(), json!(learner.id));
            core.insert("student_name".into(), json!(learner.name));
            core.insert("credit".into(), json!("credit"));
            core.insert("lesson_mode".into(), json!("normal"));
            core.insert("entry".into(), json!(entry));
            copy(core_saved, &mut core, &["lesson_status", "total_time"]);
            copy_score(core_saved, &mut core, &["raw", "min", "max"]);
            if resume {
                copy(core_saved, &mut core, &["lesson_location"]);
            }
            let mut cmi = Map::new();
            cmi.insert("core".into(), Value::Object(core));
            if resume {
                copy(saved.map(|s| s.cmi), &mut cmi, &["suspend_data"]);
            }
            if let Some(mastery) = mastery_score {
                cmi.insert(
                    "student_data".into(),
                    json!({"mastery_score": number_text(mastery * 100.0)}),
                );
            }
            Value::Object(cmi)
        }
        ScormVersion::V2004 => {
            let cmi_saved = saved.map(|s| s.cmi);
            let mut cmi = Map::new();
            cmi.insert("learner_id".into(), json!(learner.id));
            cmi.insert("learner_name".into(), json!(learner.name));
            cmi.insert("credit".into(), json!("credit"));
            cmi.insert("mode".into(), json!("normal"));
            cmi.insert("entry".into(), json!(entry));
            copy(
                cmi_saved,
                &mut cmi,
                &["completion_status", "success_status", "total_time"],
            );
            copy_score(cmi_saved, &mut cmi, &["scaled", "raw", "min", "max"]);
            if resume {
                copy(cmi_saved, &mut cmi, &["location", "suspend_data"]);
            }
            if let Some(mastery) = mastery_score {
                cmi.insert("scaled_passing_score".into(), json!(number_text(mastery)));
            }
            Value::Object(cmi)
        }
    }
}

/// Copies the non-empty string values of `keys` from `from`.
fn copy(from: Option<&Value>, to: &mut Map<String, Value>, keys: &[&str]) {
    let Some(from) = from else { return };
    for key in keys {
        if let Some(value) = from.get(*key).filter(|v| non_empty(v)) {
            to.insert((*key).to_owned(), value.clone());
        }
    }
}

fn copy_score(from: Option<&Value>, to: &mut Map<String, Value>, keys: &[&str]) {
    let mut score = Map::new();
    copy(from.and_then(|f| f.get("score")), &mut score, keys);
    if !score.is_empty() {
        to.insert("score".into(), Value::Object(score));
    }
}

fn non_empty(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.is_empty(),
        Value::Number(_) => true,
        _ => false,
    }
}

/// A number as the data model's decimal text (no trailing `.0`).
fn number_text(value: f64) -> String {
    let rounded = (value * 10_000.0).round() / 10_000.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::runtime::validate_commit;

    const ANNA: Learner<'static> = Learner {
        id: "4c1f",
        name: "Anna Berg",
    };

    #[test]
    fn a_first_launch_starts_ab_initio_with_the_mastery_score() {
        let cmi = launch_cmi(ScormVersion::V12, ANNA, Some(0.8), None);
        assert_eq!(cmi["core"]["entry"], "ab-initio");
        assert_eq!(cmi["core"]["student_id"], "4c1f");
        assert_eq!(cmi["student_data"]["mastery_score"], "80");
        assert!(cmi.get("suspend_data").is_none());
        let cmi = launch_cmi(ScormVersion::V2004, ANNA, Some(0.75), None);
        assert_eq!(cmi["entry"], "ab-initio");
        assert_eq!(cmi["scaled_passing_score"], "0.75");
    }

    #[test]
    fn a_suspended_sco_resumes_where_it_was_left() {
        let body = json!({"cmi": {"suspend_data": "seen=1,2", "core": {"lesson_status": "incomplete",
            "exit": "suspend", "lesson_location": "page-3", "score": {"raw": "40", "min": "", "max": ""}}},
            "terminated": true});
        let commit = validate_commit(ScormVersion::V12, &body).unwrap();
        let (progress, _) = ScoProgress::default().apply(ScormVersion::V12, None, &commit);
        let saved = Saved {
            cmi: &commit.cmi,
            progress: &progress,
        };
        let cmi = launch_cmi(ScormVersion::V12, ANNA, None, Some(saved));
        assert_eq!(cmi["core"]["entry"], "resume");
        assert_eq!(cmi["core"]["lesson_location"], "page-3");
        assert_eq!(cmi["core"]["lesson_status"], "incomplete");
        assert_eq!(cmi["core"]["score"], json!({"raw": "40"}));
        assert_eq!(cmi["suspend_data"], "seen=1,2");
    }

    #[test]
    fn a_sco_left_without_suspending_starts_over_but_keeps_its_status() {
        let body = json!({"cmi": {"location": "q2", "suspend_data": "x", "completion_status": "completed",
            "exit": "normal"}, "terminated": true});
        let commit = validate_commit(ScormVersion::V2004, &body).unwrap();
        let (progress, _) = ScoProgress::default().apply(ScormVersion::V2004, None, &commit);
        let saved = Saved {
            cmi: &commit.cmi,
            progress: &progress,
        };
        let cmi = launch_cmi(ScormVersion::V2004, ANNA, None, Some(saved));
        assert_eq!(cmi["entry"], "");
        assert_eq!(cmi["completion_status"], "completed");
        assert!(cmi.get("location").is_none());
        assert!(cmi.get("suspend_data").is_none());
    }
}
