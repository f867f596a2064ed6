//! Documents of the state, agent profile and activity profile resources.

use serde_json::Value;

use crate::error::MergeError;

/// Merges a posted JSON document into the stored one (POST to the state, agent profile or activity
/// profile resources): top-level properties of `incoming` replace those of `stored` with the same
/// name, other properties of `stored` are kept. Nested objects are replaced, not merged.
///
/// Both documents must be JSON objects; otherwise the LRS answers 400 Bad Request. When nothing is
/// stored yet, the LRS stores `incoming` as it is (there is nothing to merge).
pub fn merge_documents(stored: &Value, incoming: &Value) -> Result<Value, MergeError> {
    let Value::Object(incoming) = incoming else {
        return Err(MergeError::IncomingNotAnObject);
    };
    let Value::Object(stored) = stored else {
        return Err(MergeError::StoredNotAnObject);
    };
    let mut merged = stored.clone();
    for (key, value) in incoming {
        merged.insert(key.clone(), value.clone());
    }
    Ok(Value::Object(merged))
}

/// Parses a posted body as a JSON object for merging, with the same errors as
/// [`merge_documents`]. Use it on the body of a POST whose content type is `application/json`.
pub fn parse_json_object(body: &[u8]) -> Result<Value, MergeError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(MergeError::IncomingNotAnObject),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn top_level_properties_are_merged() {
        let stored = json!({"bookmark": "page-3", "score": 10, "nested": {"a": 1, "b": 2}});
        let incoming = json!({"score": 12, "nested": {"a": 5}, "new": true});
        assert_eq!(
            merge_documents(&stored, &incoming),
            Ok(json!({"bookmark": "page-3", "score": 12, "nested": {"a": 5}, "new": true}))
        );
    }

    #[test]
    fn both_sides_must_be_objects() {
        assert_eq!(
            merge_documents(&json!({"a": 1}), &json!([1, 2])),
            Err(MergeError::IncomingNotAnObject)
        );
        assert_eq!(
            merge_documents(&json!("text"), &json!({"a": 1})),
            Err(MergeError::StoredNotAnObject)
        );
        assert_eq!(
            parse_json_object(b"not json"),
            Err(MergeError::IncomingNotAnObject)
        );
        assert_eq!(
            parse_json_object(b"[1]"),
            Err(MergeError::IncomingNotAnObject)
        );
        assert_eq!(parse_json_object(br#"{"a":1}"#), Ok(json!({"a": 1})));
    }
}
