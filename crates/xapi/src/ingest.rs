//! What an LRS does to a statement it accepts, before storing it: validate, fill in the properties
//! the LRS assigns, normalise, and derive the facts to index. Pure: the caller supplies the id,
//! the time of storage and the authority of the credentials used.

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::datatypes::{format_timestamp_utc, parse_timestamp};
use crate::error::StatementError;
use crate::facts::StatementFacts;
use crate::format::normalize_statement;
use crate::validate::validate_statement;
use crate::version::XapiVersion;

/// The properties an LRS assigns to a statement it stores.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The id to use when the statement has none (the LRS generates one).
    pub id: Uuid,
    /// When the LRS stores the statement.
    pub stored: DateTime<Utc>,
    /// The Agent (or OAuth two-member Group) of the credentials the statement was sent with. xAPI
    /// lets the LRS overwrite a client-supplied authority, and Mycel does: `Some` replaces it.
    pub authority: Option<Value>,
}

/// A statement ready to be stored, with its facts.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedStatement {
    /// The statement as stored and returned in the `exact` format.
    pub statement: Value,
    /// Its id (given by the client or assigned).
    pub id: Uuid,
    /// Everything to index.
    pub facts: StatementFacts,
}

/// Validates `statement` under `version` and prepares it for storage:
/// - `id` is set when missing;
/// - `stored` is set (overwriting any client value), `authority` is set or overwritten when the
///   assignment carries one;
/// - `timestamp` is set to `stored` when missing and otherwise expressed in UTC (same instant);
/// - `version` is set to `1.0.0` (1.0.3 rules) or `2.0.0` (2.0 rules) when missing, and kept as
///   given otherwise;
/// - single `contextActivities` values become arrays.
pub fn prepare_statement(
    statement: &Value,
    version: XapiVersion,
    assignment: &Assignment,
) -> Result<PreparedStatement, StatementError> {
    validate_statement(statement, version)?;
    let mut prepared = statement.clone();
    normalize_statement(&mut prepared);
    let stored = format_timestamp_utc(&assignment.stored);
    let Some(object) = prepared.as_object_mut() else {
        return Err(StatementError::new("", "must be a JSON object"));
    };
    object
        .entry("id")
        .or_insert_with(|| Value::String(assignment.id.hyphenated().to_string()));
    object.insert("stored".into(), Value::String(stored.clone()));
    if let Some(authority) = &assignment.authority {
        object.insert("authority".into(), authority.clone());
    }
    let timestamp = match object.get("timestamp").and_then(Value::as_str) {
        Some(given) => parse_timestamp(given, version)
            .map(|at| format_timestamp_utc(&at))
            .map_err(|e| StatementError::new("timestamp", e.to_string()))?,
        None => stored,
    };
    object.insert("timestamp".into(), Value::String(timestamp));
    object.entry("version").or_insert_with(|| {
        Value::String(
            match version {
                XapiVersion::V1_0_3 => "1.0.0",
                XapiVersion::V2_0 => "2.0.0",
            }
            .into(),
        )
    });
    // The facts are taken from the prepared statement, so they include the assigned authority.
    let facts = StatementFacts::from_statement(&prepared, version)?;
    let id = facts.id.unwrap_or(assignment.id);
    Ok(PreparedStatement {
        statement: prepared,
        id,
        facts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::AgentKey;
    use chrono::TimeZone;
    use serde_json::json;

    fn assignment() -> Assignment {
        Assignment {
            id: Uuid::from_u128(0x0f6b5d2a_9a2e_4c07_9c36_2f0d6f1f4f3b),
            stored: Utc
                .with_ymd_and_hms(2026, 11, 25, 9, 0, 1)
                .single()
                .unwrap_or_default(),
            authority: Some(json!({"objectType": "Agent",
                "account": {"homePage": "https://lrs.mycel.example", "name": "quiz-app"}})),
        }
    }

    #[test]
    fn assigned_properties_are_filled_in() -> Result<(), StatementError> {
        let statement = json!({
            "actor": {"mbox": "mailto:ada@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "http://mycel.example/course"},
            "context": {"contextActivities": {"parent": {"id": "http://mycel.example/program"}}},
            "authority": {"mbox": "mailto:someone-else@example.com"}
        });
        let prepared = prepare_statement(&statement, XapiVersion::V2_0, &assignment())?;
        let s = &prepared.statement;
        assert_eq!(s["id"], json!("0f6b5d2a-9a2e-4c07-9c36-2f0d6f1f4f3b"));
        assert_eq!(prepared.id, assignment().id);
        assert_eq!(s["stored"], json!("2026-11-25T09:00:01.000Z"));
        assert_eq!(s["timestamp"], json!("2026-11-25T09:00:01.000Z"));
        assert_eq!(s["version"], json!("2.0.0"));
        assert_eq!(s["authority"], assignment().authority.unwrap_or_default());
        assert_eq!(
            s["context"]["contextActivities"]["parent"],
            json!([{"id": "http://mycel.example/program"}])
        );
        assert!(prepared.facts.related_agents.contains(&AgentKey::Account {
            home_page: "https://lrs.mycel.example".into(),
            name: "quiz-app".into()
        }));
        assert!(!prepared
            .facts
            .related_agents
            .contains(&AgentKey::Mbox("mailto:someone-else@example.com".into())));
        Ok(())
    }

    #[test]
    fn client_values_are_kept_where_allowed() -> Result<(), StatementError> {
        let statement = json!({
            "id": "FD41C918-B88B-4B20-A0A5-A4C32391AAA0",
            "actor": {"mbox": "mailto:ada@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "http://mycel.example/course"},
            "timestamp": "2026-11-25T10:00:00.5+01:00",
            "stored": "2000-01-01T00:00:00Z",
            "version": "1.0.3"
        });
        let prepared = prepare_statement(&statement, XapiVersion::V1_0_3, &assignment())?;
        let s = &prepared.statement;
        assert_eq!(s["id"], json!("FD41C918-B88B-4B20-A0A5-A4C32391AAA0"));
        assert_eq!(
            prepared.id.to_string(),
            "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
        );
        assert_eq!(s["timestamp"], json!("2026-11-25T09:00:00.500Z"));
        assert_eq!(s["stored"], json!("2026-11-25T09:00:01.000Z"));
        assert_eq!(s["version"], json!("1.0.3"));
        Ok(())
    }

    #[test]
    fn version_defaults_per_rule_set() -> Result<(), StatementError> {
        let statement = json!({
            "actor": {"mbox": "mailto:ada@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "http://mycel.example/course"}
        });
        let prepared = prepare_statement(&statement, XapiVersion::V1_0_3, &assignment())?;
        assert_eq!(prepared.statement["version"], json!("1.0.0"));
        Ok(())
    }

    #[test]
    fn invalid_statements_are_not_prepared() {
        let statement = json!({
            "actor": {"mbox": "ada@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "http://mycel.example/course"}
        });
        let result = prepare_statement(&statement, XapiVersion::V2_0, &assignment());
        assert_eq!(result.map_err(|e| e.path), Err("actor.mbox".to_owned()));
    }
}
