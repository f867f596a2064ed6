//! Statement comparison (xAPI Data §2.3.1, "Statement Comparison Requirements"): when a client
//! sends a statement with an id the LRS already holds, the LRS checks whether it is the same
//! statement (`204 No Content` for PUT, accepted for POST) or a different one (`409 Conflict`); the
//! same comparison checks a signed statement against its JWS payload.
//!
//! Differences that the immutability exceptions allow are ignored: properties the LRS assigns
//! (`id`, `authority`, `stored`, `version`, and `timestamp` when one side lacks it), Activity
//! definitions and Verb displays, timestamp serialisation (compared as points in time), the order of
//! Group members, attachments, case of case-insensitive values (UUIDs, `mbox_sha1sum`, the domain of
//! an `mbox`, `context.language`), defaults an LRS may add (`objectType` of actor and object), the
//! single-Activity form of `contextActivities`, number serialisation (`1` and `1.0`), and duration
//! precision beyond hundredths of a second. Any other difference makes the statements different.

use serde_json::{Map, Value};

use crate::datatypes::{format_timestamp_utc, parse_timestamp, truncate_duration};
use crate::format::normalize_statement;
use crate::version::XapiVersion;

/// Whether two statements are the same statement under the comparison rules.
pub fn statements_match(a: &Value, b: &Value) -> bool {
    let (mut a, mut b) = (comparable_form(a), comparable_form(b));
    drop_unpaired(&mut a, &mut b, "timestamp");
    if let (Some(Value::Object(sa)), Some(Value::Object(sb))) =
        (a.get_mut("object"), b.get_mut("object"))
    {
        let is_sub = sa.get("objectType").and_then(Value::as_str) == Some("SubStatement");
        if is_sub && sa.contains_key("timestamp") != sb.contains_key("timestamp") {
            sa.remove("timestamp");
            sb.remove("timestamp");
        }
    }
    a == b
}

fn drop_unpaired(a: &mut Value, b: &mut Value, key: &str) {
    let has_a = a.get(key).is_some();
    let has_b = b.get(key).is_some();
    if has_a != has_b {
        for side in [a, b] {
            if let Some(map) = side.as_object_mut() {
                map.remove(key);
            }
        }
    }
}

/// A statement reduced to the parts that take part in comparison, in a normal form.
pub fn comparable_form(statement: &Value) -> Value {
    let mut s = statement.clone();
    normalize_statement(&mut s);
    if let Some(map) = s.as_object_mut() {
        for key in ["id", "authority", "stored", "version"] {
            map.remove(key);
        }
    }
    normalize_statement_parts(&mut s);
    normalize_numbers(&mut s);
    s
}

fn normalize_statement_parts(statement: &mut Value) {
    let Some(map) = statement.as_object_mut() else {
        return;
    };
    map.remove("attachments");
    if let Some(actor) = map.get_mut("actor") {
        normalize_actor(actor, "Agent");
    }
    if let Some(Value::Object(verb)) = map.get_mut("verb") {
        verb.remove("display");
    }
    if let Some(Value::String(t)) = map.get_mut("timestamp") {
        if let Ok(at) = parse_timestamp(t, XapiVersion::V1_0_3) {
            *t = format_timestamp_utc(&at);
        }
    }
    if let Some(object) = map.get_mut("object") {
        let object_type = object
            .get("objectType")
            .and_then(Value::as_str)
            .unwrap_or("Activity")
            .to_owned();
        match object_type.as_str() {
            "Activity" => normalize_activity(object),
            "Agent" | "Group" => normalize_actor(object, "Agent"),
            "StatementRef" => lowercase_at(object, "id"),
            "SubStatement" => normalize_statement_parts(object),
            _ => {}
        }
    }
    if let Some(Value::Object(result)) = map.get_mut("result") {
        if let Some(Value::String(duration)) = result.get_mut("duration") {
            *duration = truncate_duration(duration);
        }
    }
    if let Some(Value::Object(context)) = map.get_mut("context") {
        lowercase_at_map(context, "registration");
        lowercase_at_map(context, "language");
        if let Some(statement) = context.get_mut("statement") {
            lowercase_at(statement, "id");
        }
        for key in ["instructor", "team"] {
            if let Some(actor) = context.get_mut(key) {
                normalize_actor(actor, "Agent");
            }
        }
        if let Some(Value::Object(activities)) = context.get_mut("contextActivities") {
            for list in activities.values_mut() {
                if let Value::Array(list) = list {
                    list.iter_mut().for_each(normalize_activity);
                }
            }
        }
        for (list_key, member_key) in [("contextAgents", "agent"), ("contextGroups", "group")] {
            if let Some(Value::Array(list)) = context.get_mut(list_key) {
                for entry in list.iter_mut() {
                    if let Some(member) = entry.get_mut(member_key) {
                        normalize_actor(member, "Agent");
                    }
                }
            }
        }
    }
}

fn normalize_activity(activity: &mut Value) {
    if let Some(map) = activity.as_object_mut() {
        map.remove("definition");
        map.entry("objectType")
            .or_insert_with(|| Value::String("Activity".into()));
    }
}

fn normalize_actor(actor: &mut Value, default_type: &str) {
    let Some(map) = actor.as_object_mut() else {
        return;
    };
    map.entry("objectType")
        .or_insert_with(|| Value::String(default_type.into()));
    lowercase_at_map(map, "mbox_sha1sum");
    if let Some(Value::String(mbox)) = map.get_mut("mbox") {
        if let Some((local, domain)) = mbox.rsplit_once('@') {
            *mbox = format!("{local}@{}", domain.to_ascii_lowercase());
        }
    }
    if let Some(Value::Array(members)) = map.get_mut("member") {
        members.iter_mut().for_each(|m| normalize_actor(m, "Agent"));
        members.sort_by_cached_key(Value::to_string);
    }
}

fn lowercase_at(value: &mut Value, key: &str) {
    if let Some(map) = value.as_object_mut() {
        lowercase_at_map(map, key);
    }
}

fn lowercase_at_map(map: &mut Map<String, Value>, key: &str) {
    if let Some(Value::String(s)) = map.get_mut(key) {
        *s = s.to_ascii_lowercase();
    }
}

fn normalize_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                if let Some(normal) = serde_json::Number::from_f64(f) {
                    *n = normal;
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(normalize_numbers),
        Value::Object(map) => map.values_mut().for_each(normalize_numbers),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn original() -> Value {
        json!({
            "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
            "actor": {"mbox": "mailto:Ada@Example.com", "name": "Ada"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
            "object": {"id": "http://mycel.example/course", "definition": {"name": {"en": "Course"}}},
            "result": {"score": {"raw": 1}, "duration": "PT1M0.12567S"},
            "context": {
                "registration": "EC531277-B57B-4C15-8D91-D292C5B2B8F7",
                "team": {"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}, {"mbox": "mailto:b@example.com"}]},
                "contextActivities": {"parent": {"id": "http://mycel.example/program"}}
            },
            "timestamp": "2026-11-25T10:00:00+01:00"
        })
    }

    #[test]
    fn allowed_differences_are_ignored() {
        let stored = json!({
            "id": "FD41C918-B88B-4B20-A0A5-A4C32391AAA0",
            "actor": {"objectType": "Agent", "mbox": "mailto:Ada@example.com", "name": "Ada"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "finished"}},
            "object": {"objectType": "Activity", "id": "http://mycel.example/course"},
            "result": {"score": {"raw": 1.0}, "duration": "PT1M0.12S"},
            "context": {
                "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
                "team": {"objectType": "Group", "member": [{"mbox": "mailto:b@example.com"}, {"mbox": "mailto:a@example.com"}]},
                "contextActivities": {"parent": [{"objectType": "Activity", "id": "http://mycel.example/program"}]}
            },
            "timestamp": "2026-11-25T09:00:00.000Z",
            "stored": "2026-11-25T09:00:01.000Z",
            "authority": {"mbox": "mailto:lrs@example.com"},
            "version": "1.0.0"
        });
        assert!(statements_match(&original(), &stored));
        let mut without_timestamp = original();
        if let Some(map) = without_timestamp.as_object_mut() {
            map.remove("timestamp");
        }
        assert!(statements_match(&without_timestamp, &stored));
    }

    #[test]
    fn real_differences_are_not_ignored() {
        let cases = [
            ("actor", json!({"mbox": "mailto:bob@example.com"})),
            (
                "actor",
                json!({"mbox": "mailto:ada@example.com", "name": "Ada"}),
            ),
            (
                "verb",
                json!({"id": "http://adlnet.gov/expapi/verbs/failed"}),
            ),
            ("object", json!({"id": "http://mycel.example/other-course"})),
            (
                "result",
                json!({"score": {"raw": 2}, "duration": "PT1M0.12S"}),
            ),
            (
                "result",
                json!({"score": {"raw": 1}, "duration": "PT60.12S"}),
            ),
            ("timestamp", json!("2026-11-25T10:00:00Z")),
            ("context", json!({})),
        ];
        for (key, value) in cases {
            let mut changed = original();
            changed[key] = value;
            assert!(!statements_match(&original(), &changed), "{key} changed");
        }
    }
}
