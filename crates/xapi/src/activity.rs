//! The canonical definition of an activity, combined from every statement that describes it: the
//! Activities resource must return all available information (xAPI Communication 2.5), so
//! statements with different languages of a name add up rather than replace each other.

use serde_json::Value;

/// Properties of a definition whose values are maps that combine key by key (language maps and
/// extensions); every other property takes the newer value.
const MERGED: [&str; 3] = ["name", "description", "extensions"];

/// `newer` merged into `older`: language maps and extensions are combined (the newer value wins
/// for a key both have), other properties are replaced by the newer ones. A side that is not an
/// object yields the other.
pub fn merge_activity_definitions(older: &Value, newer: &Value) -> Value {
    let (Some(old), Some(new)) = (older.as_object(), newer.as_object()) else {
        return if newer.is_object() {
            newer.clone()
        } else {
            older.clone()
        };
    };
    let mut merged = old.clone();
    for (key, value) in new {
        match (merged.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(incoming))
                if MERGED.contains(&key.as_str()) =>
            {
                for (k, v) in incoming {
                    existing.insert(k.clone(), v.clone());
                }
            }
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn languages_add_up_and_newer_values_win() {
        let older = json!({"name": {"en-US": "example meeting"}, "type": "http://a", "description": {"en-US": "old"}});
        let newer = json!({"name": {"fr-FR": "réunion"}, "type": "http://b", "description": {"en-US": "new"}});
        assert_eq!(
            merge_activity_definitions(&older, &newer),
            json!({"name": {"en-US": "example meeting", "fr-FR": "réunion"}, "type": "http://b", "description": {"en-US": "new"}})
        );
    }

    #[test]
    fn non_objects_yield_the_other_side() {
        assert_eq!(
            merge_activity_definitions(&json!(null), &json!({"a": 1})),
            json!({"a": 1})
        );
        assert_eq!(
            merge_activity_definitions(&json!({"a": 1}), &json!(3)),
            json!({"a": 1})
        );
    }
}
