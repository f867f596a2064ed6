//! The run-time data a SCO commits, checked against its version's data model.
//!
//! A commit is the JSON scorm-again renders of the `cmi` data model (`{"cmi": {...}}`, plus
//! `"terminated": true` when the SCO called `LMSFinish`/`Terminate`). Only the elements the LMS
//! acts on are checked in depth (status, exit, score, location, suspend data, progress); every
//! value must still be a string, number, boolean, object or array of them, and the whole `cmi`
//! object is kept as it came.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The SCORM version of a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScormVersion {
    #[serde(rename = "1.2")]
    V12,
    #[serde(rename = "2004")]
    V2004,
}

impl ScormVersion {
    /// The version of a package kind as Mycel stores it (`scorm-1.2`, `scorm-2004-3rd`, …);
    /// `None` for anything that is not SCORM (cmi5).
    pub fn of_package_kind(kind: &str) -> Option<Self> {
        if kind == "scorm-1.2" {
            Some(Self::V12)
        } else if kind == "scorm-2004" || kind.starts_with("scorm-2004-") {
            Some(Self::V2004)
        } else {
            None
        }
    }

    /// The longest `cmi.suspend_data` the version guarantees to keep.
    pub fn max_suspend_data(self) -> usize {
        match self {
            Self::V12 => 4096,
            Self::V2004 => 64000,
        }
    }

    /// The longest `cmi.core.lesson_location` / `cmi.location`.
    pub fn max_location(self) -> usize {
        match self {
            Self::V12 => 255,
            Self::V2004 => 1000,
        }
    }
}

/// Why a commit is refused; the message names the element.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuntimeError {
    #[error("the commit must be a JSON object with a \"cmi\" object")]
    NotAnObject,
    #[error("{element}: {reason}")]
    Invalid {
        element: &'static str,
        reason: String,
    },
}

fn invalid(element: &'static str, reason: impl Into<String>) -> RuntimeError {
    RuntimeError::Invalid {
        element,
        reason: reason.into(),
    }
}

/// Completion as both versions know it (1.2's `lesson_status` folds completion and success).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Completion {
    #[default]
    NotAttempted,
    Incomplete,
    Completed,
    /// 1.2 `browsed`, 2004 `unknown`.
    Unknown,
}

/// Success: passed or failed, when the SCO says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Success {
    #[default]
    Unknown,
    Passed,
    Failed,
}

/// A score as xAPI wants it: `scaled` in -1..=1, raw within min..=max when those are known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub scaled: Option<f64>,
    pub raw: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Score {
    /// The scaled score, or one derived from raw, min and max.
    pub fn fraction(&self) -> Option<f64> {
        if let Some(scaled) = self.scaled {
            return Some(scaled);
        }
        let raw = self.raw?;
        let min = self.min.unwrap_or(0.0);
        let max = self.max.unwrap_or(100.0);
        (max > min).then(|| ((raw - min) / (max - min)).clamp(-1.0, 1.0))
    }
}

/// What a commit shows about its SCO: the facts the LMS acts on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ScoFacts {
    pub completion: Completion,
    pub success: Success,
    pub score: Option<Score>,
    /// `cmi.core.exit` / `cmi.exit` (`suspend`, `logout`, `time-out`, `normal`, or empty).
    pub exit: String,
    pub location: String,
    pub suspend_data: String,
    /// `cmi.progress_measure` (2004).
    pub progress: Option<f64>,
    /// `cmi.core.session_time` / `cmi.session_time` as committed (a CMITimespan or ISO 8601).
    pub session_time: String,
}

impl ScoFacts {
    /// Done as far as the package is concerned: completed, passed (1.2 `passed` or `completed`;
    /// 2004 `completed` unless failed, or passed) or failed.
    pub fn done(&self) -> bool {
        self.completion == Completion::Completed || self.success != Success::Unknown
    }

    /// The SCO's status in one word: `passed`, `failed`, `completed`, `incomplete`, `unknown` or
    /// `not attempted`.
    pub fn status(&self) -> &'static str {
        match (self.success, self.completion) {
            (Success::Passed, _) => "passed",
            (Success::Failed, _) => "failed",
            (_, Completion::Completed) => "completed",
            (_, Completion::Incomplete) => "incomplete",
            (_, Completion::Unknown) => "unknown",
            (_, Completion::NotAttempted) => "not attempted",
        }
    }
}

/// A commit that the data model allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    /// The `cmi` object, kept as it came.
    pub cmi: Value,
    /// The SCO finished its session (`LMSFinish` / `Terminate`).
    pub terminated: bool,
    pub facts: ScoFacts,
}

/// Checks a commit body against the version's data model.
pub fn validate_commit(version: ScormVersion, body: &Value) -> Result<Commit, RuntimeError> {
    let object = body.as_object().ok_or(RuntimeError::NotAnObject)?;
    let cmi = object
        .get("cmi")
        .filter(|c| c.is_object())
        .ok_or(RuntimeError::NotAnObject)?;
    let terminated = match object.get("terminated") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(invalid("terminated", "must be true or false")),
    };
    check_values(cmi, 0)?;
    let facts = match version {
        ScormVersion::V12 => facts_12(cmi)?,
        ScormVersion::V2004 => facts_2004(cmi)?,
    };
    if facts.suspend_data.chars().count() > version.max_suspend_data() {
        return Err(invalid(
            "cmi.suspend_data",
            format!("longer than {} characters", version.max_suspend_data()),
        ));
    }
    if facts.location.chars().count() > version.max_location() {
        return Err(invalid(
            "location",
            format!("longer than {} characters", version.max_location()),
        ));
    }
    Ok(Commit {
        cmi: cmi.clone(),
        terminated,
        facts,
    })
}

/// No nulls in odd places, no nesting deeper than the data model has, no NUL characters.
fn check_values(value: &Value, depth: usize) -> Result<(), RuntimeError> {
    if depth > 8 {
        return Err(invalid("cmi", "nested deeper than the data model"));
    }
    match value {
        Value::String(s) if s.contains('\0') => {
            Err(invalid("cmi", "a value holds a NUL character"))
        }
        Value::Object(map) => map.values().try_for_each(|v| check_values(v, depth + 1)),
        Value::Array(items) => items.iter().try_for_each(|v| check_values(v, depth + 1)),
        _ => Ok(()),
    }
}

/// A string element (numbers are taken as their text); absent or null is empty.
fn text(
    map: &Map<String, Value>,
    key: &str,
    element: &'static str,
) -> Result<String, RuntimeError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::Bool(b)) => Ok(b.to_string()),
        Some(_) => Err(invalid(element, "must be a string")),
    }
}

fn child<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    element: &'static str,
) -> Result<Option<&'a Map<String, Value>>, RuntimeError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(invalid(element, "must be an object")),
    }
}

/// A decimal element: empty, or a number within `range`.
fn decimal(
    map: &Map<String, Value>,
    key: &str,
    element: &'static str,
    range: Option<(f64, f64)>,
) -> Result<Option<f64>, RuntimeError> {
    let value = text(map, key, element)?;
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let number: f64 = value
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| invalid(element, format!("{value:?} is not a number")))?;
    if let Some((low, high)) = range {
        if number < low || number > high {
            return Err(invalid(
                element,
                format!("{number} is outside {low}..{high}"),
            ));
        }
    }
    Ok(Some(number))
}

fn one_of(value: String, element: &'static str, allowed: &[&str]) -> Result<String, RuntimeError> {
    if allowed.contains(&value.as_str()) {
        Ok(value)
    } else {
        Err(invalid(
            element,
            format!("{value:?} is not one of {}", allowed.join(", ")),
        ))
    }
}

fn score(
    raw: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    scaled: Option<f64>,
) -> Option<Score> {
    if raw.is_none() && scaled.is_none() {
        return None;
    }
    // xAPI wants min <= raw <= max; values that do not fit are left out rather than sent wrong.
    let bounds_ok = match (min, max) {
        (Some(min), Some(max)) => min <= max,
        _ => true,
    };
    let (min, max) = if bounds_ok { (min, max) } else { (None, None) };
    let raw = raw.filter(|r| min.is_none_or(|m| *r >= m) && max.is_none_or(|m| *r <= m));
    Some(Score {
        scaled,
        raw,
        min,
        max,
    })
}

fn facts_12(cmi: &Value) -> Result<ScoFacts, RuntimeError> {
    let empty = Map::new();
    let cmi = cmi.as_object().unwrap_or(&empty);
    let core = child(cmi, "core", "cmi.core")?.unwrap_or(&empty);
    let status = one_of(
        text(core, "lesson_status", "cmi.core.lesson_status")?,
        "cmi.core.lesson_status",
        &[
            "",
            "passed",
            "completed",
            "failed",
            "incomplete",
            "browsed",
            "not attempted",
        ],
    )?;
    let exit = one_of(
        text(core, "exit", "cmi.core.exit")?,
        "cmi.core.exit",
        &["", "time-out", "suspend", "logout"],
    )?;
    let location = text(core, "lesson_location", "cmi.core.lesson_location")?;
    let score_map = child(core, "score", "cmi.core.score")?.unwrap_or(&empty);
    let range = Some((0.0, 100.0));
    let raw = decimal(score_map, "raw", "cmi.core.score.raw", range)?;
    let min = decimal(score_map, "min", "cmi.core.score.min", range)?;
    let max = decimal(score_map, "max", "cmi.core.score.max", range)?;
    let (completion, success) = match status.as_str() {
        "passed" => (Completion::Completed, Success::Passed),
        "failed" => (Completion::Completed, Success::Failed),
        "completed" => (Completion::Completed, Success::Unknown),
        "incomplete" => (Completion::Incomplete, Success::Unknown),
        "browsed" => (Completion::Unknown, Success::Unknown),
        _ => (Completion::NotAttempted, Success::Unknown),
    };
    Ok(ScoFacts {
        completion,
        success,
        score: score(raw, min, max, None),
        exit,
        location,
        suspend_data: text(cmi, "suspend_data", "cmi.suspend_data")?,
        progress: None,
        session_time: text(core, "session_time", "cmi.core.session_time")?,
    })
}

fn facts_2004(cmi: &Value) -> Result<ScoFacts, RuntimeError> {
    let empty = Map::new();
    let cmi = cmi.as_object().unwrap_or(&empty);
    let completion = one_of(
        text(cmi, "completion_status", "cmi.completion_status")?,
        "cmi.completion_status",
        &["", "completed", "incomplete", "not attempted", "unknown"],
    )?;
    let success = one_of(
        text(cmi, "success_status", "cmi.success_status")?,
        "cmi.success_status",
        &["", "passed", "failed", "unknown"],
    )?;
    let exit = one_of(
        text(cmi, "exit", "cmi.exit")?,
        "cmi.exit",
        &["", "time-out", "suspend", "logout", "normal"],
    )?;
    let score_map = child(cmi, "score", "cmi.score")?.unwrap_or(&empty);
    let scaled = decimal(score_map, "scaled", "cmi.score.scaled", Some((-1.0, 1.0)))?;
    let raw = decimal(score_map, "raw", "cmi.score.raw", None)?;
    let min = decimal(score_map, "min", "cmi.score.min", None)?;
    let max = decimal(score_map, "max", "cmi.score.max", None)?;
    let progress = decimal(
        cmi,
        "progress_measure",
        "cmi.progress_measure",
        Some((0.0, 1.0)),
    )?;
    Ok(ScoFacts {
        completion: match completion.as_str() {
            "completed" => Completion::Completed,
            "incomplete" => Completion::Incomplete,
            "unknown" => Completion::Unknown,
            _ => Completion::NotAttempted,
        },
        success: match success.as_str() {
            "passed" => Success::Passed,
            "failed" => Success::Failed,
            _ => Success::Unknown,
        },
        score: score(raw, min, max, scaled),
        exit,
        location: text(cmi, "location", "cmi.location")?,
        suspend_data: text(cmi, "suspend_data", "cmi.suspend_data")?,
        progress,
        session_time: text(cmi, "session_time", "cmi.session_time")?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn package_kinds_name_their_version() {
        assert_eq!(
            ScormVersion::of_package_kind("scorm-1.2"),
            Some(ScormVersion::V12)
        );
        assert_eq!(
            ScormVersion::of_package_kind("scorm-2004-3rd"),
            Some(ScormVersion::V2004)
        );
        assert_eq!(ScormVersion::of_package_kind("cmi5"), None);
    }

    #[test]
    fn a_scorm_12_commit_yields_its_facts() {
        let body = json!({"cmi": {"suspend_data": "page=3", "core": {
            "lesson_status": "passed", "exit": "suspend", "lesson_location": "p3",
            "score": {"raw": "85", "min": "0", "max": "100"}, "session_time": "00:01:02"}},
            "terminated": true});
        let commit = validate_commit(ScormVersion::V12, &body).unwrap();
        assert!(commit.terminated);
        assert_eq!(commit.facts.completion, Completion::Completed);
        assert_eq!(commit.facts.success, Success::Passed);
        assert_eq!(commit.facts.location, "p3");
        assert_eq!(commit.facts.suspend_data, "page=3");
        assert_eq!(commit.facts.exit, "suspend");
        assert_eq!(commit.facts.score.unwrap().fraction(), Some(0.85));
        assert!(commit.facts.done());
    }

    #[test]
    fn scorm_12_refuses_what_its_data_model_forbids() {
        let refused = |core: Value| {
            validate_commit(ScormVersion::V12, &json!({"cmi": {"core": core}})).unwrap_err()
        };
        assert!(refused(json!({"lesson_status": "done"}))
            .to_string()
            .contains("cmi.core.lesson_status"));
        assert!(refused(json!({"exit": "normal"}))
            .to_string()
            .contains("cmi.core.exit"));
        assert!(refused(json!({"score": {"raw": "101"}}))
            .to_string()
            .contains("cmi.core.score.raw"));
        assert!(refused(json!({"score": {"raw": "abc"}}))
            .to_string()
            .contains("not a number"));
        assert!(refused(json!({"lesson_location": "x".repeat(256)}))
            .to_string()
            .contains("255"));
        let long = json!({"cmi": {"suspend_data": "x".repeat(4097), "core": {}}});
        assert!(validate_commit(ScormVersion::V12, &long).is_err());
        assert_eq!(
            validate_commit(ScormVersion::V12, &json!([1])).unwrap_err(),
            RuntimeError::NotAnObject
        );
        assert_eq!(
            validate_commit(ScormVersion::V12, &json!({"cmi": "x"})).unwrap_err(),
            RuntimeError::NotAnObject
        );
        assert!(validate_commit(
            ScormVersion::V12,
            &json!({"cmi": {"core": {}}, "terminated": "yes"})
        )
        .is_err());
    }

    #[test]
    fn scorm_2004_keeps_completion_and_success_apart() {
        let body = json!({"cmi": {"completion_status": "completed", "success_status": "failed",
            "score": {"scaled": "0.4", "raw": "40", "min": "0", "max": "100"},
            "location": "q7", "progress_measure": "1"}});
        let commit = validate_commit(ScormVersion::V2004, &body).unwrap();
        assert_eq!(commit.facts.completion, Completion::Completed);
        assert_eq!(commit.facts.success, Success::Failed);
        assert_eq!(commit.facts.score.unwrap().scaled, Some(0.4));
        assert_eq!(commit.facts.progress, Some(1.0));
        for bad in [
            json!({"completion_status": "passed"}),
            json!({"success_status": "completed"}),
            json!({"exit": "suspended"}),
            json!({"score": {"scaled": "1.5"}}),
            json!({"progress_measure": "-0.1"}),
        ] {
            assert!(
                validate_commit(ScormVersion::V2004, &json!({ "cmi": bad })).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn raw_scores_outside_their_bounds_are_left_out() {
        let s = score(Some(120.0), Some(0.0), Some(100.0), None).unwrap();
        assert_eq!(s.raw, None);
        let s = score(Some(5.0), Some(10.0), Some(0.0), None).unwrap();
        assert_eq!((s.min, s.max, s.raw), (None, None, Some(5.0)));
    }
}
