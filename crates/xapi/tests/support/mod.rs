//! Helpers for the statement tests: a valid base statement, edits by JSON path, and assertions that
//! name the case that failed.

#![allow(dead_code)]

use mycel_xapi::{validate_statement, XapiVersion};
use serde_json::{json, Value};

pub const BOTH: [XapiVersion; 2] = [XapiVersion::V1_0_3, XapiVersion::V2_0];

/// A minimal valid statement: an Agent attended a meeting.
pub fn base() -> Value {
    json!({
        "actor": {"objectType": "Agent", "name": "Ada Lovelace", "mbox": "mailto:ada@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended",
                 "display": {"en-GB": "attended", "de-DE": "nahm teil"}},
        "object": {"objectType": "Activity", "id": "http://mycel.example/activities/onboarding-day"}
    })
}

/// A valid statement whose object is a SubStatement.
pub fn with_substatement() -> Value {
    json!({
        "actor": {"mbox": "mailto:manager@example.com"},
        "verb": {"id": "http://mycel.example/verbs/planned"},
        "object": {
            "objectType": "SubStatement",
            "actor": {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "http://mycel.example/activities/fire-safety"}
        }
    })
}

/// Sets `value` at the dotted `path` (`context.contextActivities.parent`), creating objects on the
/// way; `path` segments that are numbers index arrays.
pub fn set(statement: &mut Value, path: &str, value: Value) {
    let mut current = statement;
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if let Ok(index) = segment.parse::<usize>() {
            let Some(next) = current.get_mut(index) else {
                panic!("no index {index} in {path}");
            };
            if last {
                *next = value;
                return;
            }
            current = next;
            continue;
        }
        if !current.is_object() {
            *current = json!({});
        }
        let Some(map) = current.as_object_mut() else {
            panic!("{path} does not lead through objects");
        };
        if last {
            map.insert((*segment).to_owned(), value);
            return;
        }
        current = map
            .entry((*segment).to_owned())
            .or_insert_with(|| json!({}));
    }
}

/// Removes the property at the dotted `path`.
pub fn remove(statement: &mut Value, path: &str) {
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (
            statement.pointer_mut(&format!("/{}", parent.replace('.', "/"))),
            key,
        ),
        None => (Some(statement), path),
    };
    if let Some(Value::Object(map)) = parent {
        map.remove(key);
    }
}

/// `base()` with one edit.
pub fn edited(start: Value, path: &str, value: Value) -> Value {
    let mut s = start;
    set(&mut s, path, value);
    s
}

#[track_caller]
pub fn accepted(case: &str, statement: &Value, version: XapiVersion) {
    if let Err(e) = validate_statement(statement, version) {
        panic!("{case} ({version:?}) should be accepted but was rejected: {e}\n{statement:#}");
    }
}

#[track_caller]
pub fn rejected_at(case: &str, statement: &Value, version: XapiVersion, path: &str) {
    match validate_statement(statement, version) {
        Ok(()) => panic!("{case} ({version:?}) should be rejected at {path}\n{statement:#}"),
        Err(e) => {
            assert_eq!(
                e.path, path,
                "{case} ({version:?}): wrong path, reason: {}",
                e.reason
            );
            assert!(!e.reason.is_empty(), "{case}: empty reason");
        }
    }
}

#[track_caller]
pub fn accepted_by_both(case: &str, statement: &Value) {
    for v in BOTH {
        accepted(case, statement, v);
    }
}

#[track_caller]
pub fn rejected_by_both(case: &str, statement: &Value, path: &str) {
    for v in BOTH {
        rejected_at(case, statement, v, path);
    }
}
