//! Strict validation of statements against the xAPI data model (xAPI 1.0.3 Data §2 and §4, xAPI 2.0
//! / IEEE 9274.1.1 §4.2). The validator walks the raw JSON so that it can name the exact path of the
//! first offending property and reject what a typed deserialiser would silently accept (unknown or
//! wrongly cased keys, `null` values, duplicate meanings).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::datatypes::{
    is_iri, is_irl, is_language_tag, is_mailto_iri, is_media_type, is_sha1_hex, is_sha2_hex,
    parse_timestamp, parse_uuid, validate_duration,
};
use crate::error::{BatchError, StatementError};
use crate::version::XapiVersion;

/// The verb that makes a statement a voiding statement.
pub const VOIDED_VERB: &str = "http://adlnet.gov/expapi/verbs/voided";

/// The interaction types of an activity definition, in the exact case xAPI requires.
const INTERACTION_TYPES: &[&str] = &[
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
];

/// Validates one statement as received by an LRS under the rules of `version`.
///
/// Returns the first rule broken, with the JSON path of the offending property. Properties the LRS
/// sets itself (`stored`, `authority`, `id`, `version`) are validated when present but not required.
pub fn validate_statement(statement: &Value, version: XapiVersion) -> Result<(), StatementError> {
    Validator { version }.statement(statement, "", false)
}

/// Validates a batch of statements (the JSON array body of `POST statements`): every statement must
/// be valid and no id may be used twice. A single statement object is accepted as a batch of one.
pub fn validate_batch(body: &Value, version: XapiVersion) -> Result<(), BatchError> {
    let statements = match body {
        Value::Array(items) => items.as_slice(),
        Value::Object(_) => std::slice::from_ref(body),
        _ => return Err(BatchError::NotAnArray),
    };
    let mut seen = HashMap::new();
    for (index, statement) in statements.iter().enumerate() {
        validate_statement(statement, version)
            .map_err(|error| BatchError::Statement { index, error })?;
        let id = statement
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| parse_uuid(id).ok());
        if let Some(id) = id {
            if let Some(first) = seen.insert(id, index) {
                return Err(BatchError::DuplicateId {
                    id,
                    first,
                    second: index,
                });
            }
        }
    }
    Ok(())
}

/// Validates an Agent or identified Group given as a query parameter (`agent=` of the statements,
/// state, agents and agent profile resources): it must follow the statement rules for an Agent or a
/// Group and carry exactly one inverse functional identifier.
pub(crate) fn validate_agent_param(value: &Value) -> Result<(), StatementError> {
    let v = Validator {
        version: XapiVersion::V2_0,
    };
    v.actor(value, "")?;
    let object = v.object_map(value, "")?;
    if ifi_keys(object).is_empty() {
        return Err(StatementError::new(
            "",
            "an agent parameter must be an Agent or an identified Group (with mbox, mbox_sha1sum, openid or account)",
        ));
    }
    Ok(())
}

pub(crate) fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(crate) fn item(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

const IFI_KEYS: [&str; 4] = ["mbox", "mbox_sha1sum", "openid", "account"];

fn ifi_keys(object: &Map<String, Value>) -> Vec<&'static str> {
    IFI_KEYS
        .iter()
        .copied()
        .filter(|k| object.contains_key(*k))
        .collect()
}

struct Validator {
    version: XapiVersion,
}

impl Validator {
    fn object_map<'a>(
        &self,
        value: &'a Value,
        path: &str,
    ) -> Result<&'a Map<String, Value>, StatementError> {
        value.as_object().ok_or_else(|| {
            StatementError::new(
                path,
                format!("must be a JSON object, not {}", type_name(value)),
            )
        })
    }

    /// Rejects keys outside `allowed` (keys are case-sensitive) and `null` values.
    fn keys(
        &self,
        object: &Map<String, Value>,
        path: &str,
        allowed: &[&str],
    ) -> Result<(), StatementError> {
        for (key, value) in object {
            if !allowed.contains(&key.as_str()) {
                let hint = allowed
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(key))
                    .map(|a| format!(" (property names are case-sensitive: did you mean {a:?}?)"))
                    .unwrap_or_default();
                return Err(StatementError::new(
                    child(path, key),
                    format!("is not an allowed property here{hint}"),
                ));
            }
            if value.is_null() {
                return Err(StatementError::new(
                    child(path, key),
                    "must not be null (null is only allowed as an extension value)",
                ));
            }
        }
        Ok(())
    }

    fn string<'a>(&self, value: &'a Value, path: &str) -> Result<&'a str, StatementError> {
        value.as_str().ok_or_else(|| {
            StatementError::new(path, format!("must be a string, not {}", type_name(value)))
        })
    }

    fn iri(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let s = self.string(value, path)?;
        if is_iri(s) {
            Ok(())
        } else {
            Err(StatementError::new(
                path,
                format!("{s:?} is not an absolute IRI (it needs a scheme such as http:)"),
            ))
        }
    }

    fn irl(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let s = self.string(value, path)?;
        if is_irl(s) {
            Ok(())
        } else {
            Err(StatementError::new(
                path,
                format!("{s:?} is not an IRL (an absolute IRI with a scheme)"),
            ))
        }
    }

    fn uuid(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let s = self.string(value, path)?;
        parse_uuid(s)
            .map(|_| ())
            .map_err(|e| StatementError::new(path, e.to_string()))
    }

    fn boolean(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        if value.is_boolean() {
            Ok(())
        } else {
            Err(StatementError::new(
                path,
                format!("must be true or false, not {}", type_name(value)),
            ))
        }
    }

    fn number(&self, value: &Value, path: &str) -> Result<f64, StatementError> {
        value.as_f64().ok_or_else(|| {
            StatementError::new(path, format!("must be a number, not {}", type_name(value)))
        })
    }

    fn timestamp(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let s = self.string(value, path)?;
        parse_timestamp(s, self.version)
            .map(|_| ())
            .map_err(|e| StatementError::new(path, e.to_string()))
    }

    fn language_map(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let map = value.as_object().ok_or_else(|| {
            StatementError::new(
                path,
                format!(
                    "must be a language map (an object from language tags to strings), not {}",
                    type_name(value)
                ),
            )
        })?;
        for (tag, text) in map {
            let at = child(path, tag);
            if !is_language_tag(tag) {
                return Err(StatementError::new(
                    at,
                    format!("{tag:?} is not an RFC 5646 language tag"),
                ));
            }
            if !text.is_string() {
                return Err(StatementError::new(
                    at,
                    format!(
                        "a language map value must be a string, not {}",
                        type_name(text)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn extensions(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let map = self.object_map(value, path)?;
        for key in map.keys() {
            if !is_iri(key) {
                return Err(StatementError::new(
                    child(path, key),
                    format!("extension key {key:?} is not an absolute IRI"),
                ));
            }
        }
        Ok(())
    }

    // ---- statements ------------------------------------------------------------------------

    fn statement(&self, value: &Value, path: &str, sub: bool) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        if sub {
            for forbidden in ["id", "stored", "version", "authority"] {
                if object.contains_key(forbidden) {
                    return Err(StatementError::new(
                        child(path, forbidden),
                        format!("a SubStatement must not have the {forbidden:?} property"),
                    ));
                }
            }
            self.keys(
                object,
                path,
                &[
                    "objectType",
                    "actor",
                    "verb",
                    "object",
                    "result",
                    "context",
                    "timestamp",
                    "attachments",
                ],
            )?;
        } else {
            self.keys(
                object,
                path,
                &[
                    "id",
                    "actor",
                    "verb",
                    "object",
                    "result",
                    "context",
                    "timestamp",
                    "stored",
                    "authority",
                    "version",
                    "attachments",
                ],
            )?;
        }
        for required in ["actor", "verb", "object"] {
            if !object.contains_key(required) {
                return Err(StatementError::new(
                    child(path, required),
                    format!(
                        "is required: a statement needs {}",
                        match required {
                            "verb" => "a verb",
                            "actor" => "an actor",
                            _ => "an object",
                        }
                    ),
                ));
            }
        }
        if let Some(id) = object.get("id") {
            self.uuid(id, &child(path, "id"))?;
        }
        if let Some(actor) = object.get("actor") {
            self.actor(actor, &child(path, "actor"))?;
        }
        let verb_id = match object.get("verb") {
            Some(verb) => self.verb(verb, &child(path, "verb"))?,
            None => None,
        };
        let object_is_activity = match object.get("object") {
            Some(target) => self.statement_object(target, &child(path, "object"), sub)?,
            None => false,
        };
        if !sub && verb_id == Some(VOIDED_VERB) {
            let object_type = object
                .get("object")
                .and_then(|o| o.get("objectType"))
                .and_then(Value::as_str);
            if object_type != Some("StatementRef") {
                return Err(StatementError::new(
                    child(path, "object"),
                    "a voiding statement (verb http://adlnet.gov/expapi/verbs/voided) must have a StatementRef as its object",
                ));
            }
        }
        if let Some(result) = object.get("result") {
            self.result(result, &child(path, "result"))?;
        }
        if let Some(context) = object.get("context") {
            self.context(context, &child(path, "context"), object_is_activity)?;
        }
        if let Some(timestamp) = object.get("timestamp") {
            self.timestamp(timestamp, &child(path, "timestamp"))?;
        }
        if let Some(stored) = object.get("stored") {
            self.timestamp(stored, &child(path, "stored"))?;
        }
        if let Some(authority) = object.get("authority") {
            self.authority(authority, &child(path, "authority"))?;
        }
        if let Some(version) = object.get("version") {
            let at = child(path, "version");
            let s = self.string(version, &at)?;
            if !self.version.accepts_statement_version(s) {
                let allowed = match self.version {
                    XapiVersion::V1_0_3 => "1.0 or 1.0.x",
                    XapiVersion::V2_0 => "1.0, 1.0.x, 2.0 or 2.0.x",
                };
                return Err(StatementError::new(
                    at,
                    format!("{s:?} is not a statement version this request may use ({allowed})"),
                ));
            }
        }
        if let Some(attachments) = object.get("attachments") {
            self.attachments(attachments, &child(path, "attachments"))?;
        }
        Ok(())
    }

    // ---- actors ----------------------------------------------------------------------------

    /// An actor: an Agent (objectType absent or "Agent") or a Group.
    fn actor(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        match object.get("objectType") {
            None => self.agent(object, path),
            Some(Value::String(t)) if t == "Agent" => self.agent(object, path),
            Some(Value::String(t)) if t == "Group" => self.group(object, path),
            Some(other) => Err(StatementError::new(
                child(path, "objectType"),
                format!("must be \"Agent\" or \"Group\", not {other}"),
            )),
        }
    }

    fn ifis(&self, object: &Map<String, Value>, path: &str) -> Result<usize, StatementError> {
        let present = ifi_keys(object);
        if present.len() > 1 {
            return Err(StatementError::new(
                path,
                format!(
                    "uses more than one inverse functional identifier ({}); exactly one is allowed",
                    present.join(", ")
                ),
            ));
        }
        if let Some(mbox) = object.get("mbox") {
            let at = child(path, "mbox");
            let s = self.string(mbox, &at)?;
            if !is_mailto_iri(s) {
                return Err(StatementError::new(
                    at,
                    format!("{s:?} is not a mailto IRI of the form mailto:name@example.com"),
                ));
            }
        }
        if let Some(sha1) = object.get("mbox_sha1sum") {
            let at = child(path, "mbox_sha1sum");
            let s = self.string(sha1, &at)?;
            if !is_sha1_hex(s) {
                return Err(StatementError::new(
                    at,
                    format!("{s:?} is not a hex-encoded SHA-1 hash (40 hex digits)"),
                ));
            }
        }
        if let Some(openid) = object.get("openid") {
            let at = child(path, "openid");
            let s = self.string(openid, &at)?;
            if !is_iri(s) {
                return Err(StatementError::new(at, format!("{s:?} is not a URI")));
            }
        }
        if let Some(account) = object.get("account") {
            self.account(account, &child(path, "account"))?;
        }
        Ok(present.len())
    }

    fn account(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        self.keys(object, path, &["homePage", "name"])?;
        let home_page = object.get("homePage").ok_or_else(|| {
            StatementError::new(child(path, "homePage"), "is required in an account")
        })?;
        self.irl(home_page, &child(path, "homePage"))?;
        let name = object
            .get("name")
            .ok_or_else(|| StatementError::new(child(path, "name"), "is required in an account"))?;
        self.string(name, &child(path, "name"))?;
        Ok(())
    }

    fn agent(&self, object: &Map<String, Value>, path: &str) -> Result<(), StatementError> {
        if object.contains_key("member") {
            return Err(StatementError::new(
                child(path, "member"),
                "only a Group (objectType \"Group\") may have members",
            ));
        }
        self.keys(
            object,
            path,
            &[
                "objectType",
                "name",
                "mbox",
                "mbox_sha1sum",
                "openid",
                "account",
            ],
        )?;
        if let Some(name) = object.get("name") {
            self.string(name, &child(path, "name"))?;
        }
        if self.ifis(object, path)? == 0 {
            return Err(StatementError::new(
                path,
                "an Agent needs exactly one of mbox, mbox_sha1sum, openid or account",
            ));
        }
        Ok(())
    }

    fn group(&self, object: &Map<String, Value>, path: &str) -> Result<(), StatementError> {
        self.keys(
            object,
            path,
            &[
                "objectType",
                "name",
                "member",
                "mbox",
                "mbox_sha1sum",
                "openid",
                "account",
            ],
        )?;
        if let Some(name) = object.get("name") {
            self.string(name, &child(path, "name"))?;
        }
        let identified = self.ifis(object, path)? == 1;
        match object.get("member") {
            None if !identified => {
                return Err(StatementError::new(
                    child(path, "member"),
                    "is required: an anonymous Group (without an identifier) must list its members",
                ))
            }
            None => {}
            Some(members) => {
                let at = child(path, "member");
                let list = members.as_array().ok_or_else(|| {
                    StatementError::new(
                        at.as_str(),
                        format!("must be an array of Agents, not {}", type_name(members)),
                    )
                })?;
                if list.is_empty() && !identified {
                    return Err(StatementError::new(
                        at,
                        "an anonymous Group must have at least one member",
                    ));
                }
                for (i, member) in list.iter().enumerate() {
                    let member_path = item(&at, i);
                    let member_object = self.object_map(member, &member_path)?;
                    match member_object.get("objectType") {
                        None => {}
                        Some(Value::String(t)) if t == "Agent" => {}
                        Some(other) => {
                            return Err(StatementError::new(
                                child(&member_path, "objectType"),
                                format!("a Group member must be an Agent, not {other}"),
                            ))
                        }
                    }
                    self.agent(member_object, &member_path)?;
                }
            }
        }
        Ok(())
    }

    /// A Group that must be a Group (`context.team`, `contextGroups[].group`).
    fn required_group(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        match object.get("objectType") {
            Some(Value::String(t)) if t == "Group" => self.group(object, path),
            _ => Err(StatementError::new(
                child(path, "objectType"),
                "must be \"Group\": a Group is required here",
            )),
        }
    }

    /// A plain Agent (`contextAgents[].agent`).
    fn required_agent(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        match object.get("objectType") {
            None => self.agent(object, path),
            Some(Value::String(t)) if t == "Agent" => self.agent(object, path),
            Some(_) => Err(StatementError::new(
                child(path, "objectType"),
                "must be \"Agent\": an Agent is required here",
            )),
        }
    }

    fn authority(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        self.actor(value, path)?;
        let object = self.object_map(value, path)?;
        if object.get("objectType").and_then(Value::as_str) == Some("Group") {
            if !ifi_keys(object).is_empty() {
                return Err(StatementError::new(
                    path,
                    "an authority Group must be an anonymous Group of two Agents (an OAuth consumer and a user), not an identified Group",
                ));
            }
            let members = object
                .get("member")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if members != 2 {
                return Err(StatementError::new(
                    child(path, "member"),
                    format!("an authority Group must have exactly two members, not {members}"),
                ));
            }
        }
        Ok(())
    }

    // ---- verb and objects ------------------------------------------------------------------

    /// Returns the verb id when it is valid.
    fn verb<'a>(&self, value: &'a Value, path: &str) -> Result<Option<&'a str>, StatementError> {
        let object = self.object_map(value, path)?;
        self.keys(object, path, &["id", "display"])?;
        let id = object
            .get("id")
            .ok_or_else(|| StatementError::new(child(path, "id"), "is required in a verb"))?;
        self.iri(id, &child(path, "id"))?;
        if let Some(display) = object.get("display") {
            self.language_map(display, &child(path, "display"))?;
        }
        Ok(id.as_str())
    }

    /// Validates a statement's object; returns whether it is an Activity (which `revision` and
    /// `platform` in the context require).
    fn statement_object(
        &self,
        value: &Value,
        path: &str,
        in_sub: bool,
    ) -> Result<bool, StatementError> {
        let object = self.object_map(value, path)?;
        match object.get("objectType") {
            None => {
                if !ifi_keys(object).is_empty() || object.contains_key("member") {
                    return Err(StatementError::new(
                        child(path, "objectType"),
                        "is required when the object is an Agent or a Group",
                    ));
                }
                self.activity(object, path)?;
                Ok(true)
            }
            Some(Value::String(t)) => match t.as_str() {
                "Activity" => {
                    self.activity(object, path)?;
                    Ok(true)
                }
                "Agent" => self.agent(object, path).map(|()| false),
                "Group" => self.group(object, path).map(|()| false),
                "StatementRef" => self.statement_ref(object, path).map(|()| false),
                "SubStatement" if in_sub => Err(StatementError::new(
                    child(path, "objectType"),
                    "a SubStatement must not contain another SubStatement",
                )),
                "SubStatement" => self.statement(value, path, true).map(|()| false),
                other => Err(StatementError::new(
                    child(path, "objectType"),
                    format!(
                        "{other:?} is not one of Activity, Agent, Group, StatementRef, SubStatement"
                    ),
                )),
            },
            Some(other) => Err(StatementError::new(
                child(path, "objectType"),
                format!("must be a string, not {}", type_name(other)),
            )),
        }
    }

    fn statement_ref(&self, object: &Map<String, Value>, path: &str) -> Result<(), StatementError> {
        self.keys(object, path, &["objectType", "id"])?;
        if object.get("objectType").and_then(Value::as_str) != Some("StatementRef") {
            return Err(StatementError::new(
                child(path, "objectType"),
                "must be \"StatementRef\"",
            ));
        }
        let id = object.get("id").ok_or_else(|| {
            StatementError::new(child(path, "id"), "is required in a StatementRef")
        })?;
        self.uuid(id, &child(path, "id"))
    }

    fn activity(&self, object: &Map<String, Value>, path: &str) -> Result<(), StatementError> {
        self.keys(object, path, &["objectType", "id", "definition"])?;
        let id = object
            .get("id")
            .ok_or_else(|| StatementError::new(child(path, "id"), "is required in an Activity"))?;
        self.iri(id, &child(path, "id"))?;
        if let Some(definition) = object.get("definition") {
            self.activity_definition(definition, &child(path, "definition"))?;
        }
        Ok(())
    }

    fn activity_definition(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        self.keys(
            object,
            path,
            &[
                "name",
                "description",
                "type",
                "moreInfo",
                "interactionType",
                "correctResponsesPattern",
                "choices",
                "scale",
                "source",
                "target",
                "steps",
                "extensions",
            ],
        )?;
        if let Some(name) = object.get("name") {
            self.language_map(name, &child(path, "name"))?;
        }
        if let Some(description) = object.get("description") {
            self.language_map(description, &child(path, "description"))?;
        }
        if let Some(kind) = object.get("type") {
            self.iri(kind, &child(path, "type"))?;
        }
        if let Some(more_info) = object.get("moreInfo") {
            self.irl(more_info, &child(path, "moreInfo"))?;
        }
        if let Some(extensions) = object.get("extensions") {
            self.extensions(extensions, &child(path, "extensions"))?;
        }
        let interaction_type = match object.get("interactionType") {
            Some(value) => {
                let at = child(path, "interactionType");
                let s = self.string(value, &at)?;
                if !INTERACTION_TYPES.contains(&s) {
                    return Err(StatementError::new(
                        at,
                        format!(
                            "{s:?} is not an interaction type (one of {}, exact case)",
                            INTERACTION_TYPES.join(", ")
                        ),
                    ));
                }
                Some(s)
            }
            None => None,
        };
        const INTERACTION_KEYS: [&str; 6] = [
            "correctResponsesPattern",
            "choices",
            "scale",
            "source",
            "target",
            "steps",
        ];
        for key in INTERACTION_KEYS {
            if object.contains_key(key) && interaction_type.is_none() {
                return Err(StatementError::new(
                    child(path, "interactionType"),
                    format!("is required when the definition uses {key:?}"),
                ));
            }
        }
        if let Some(pattern) = object.get("correctResponsesPattern") {
            let at = child(path, "correctResponsesPattern");
            let list = pattern
                .as_array()
                .ok_or_else(|| StatementError::new(at.as_str(), "must be an array of strings"))?;
            for (i, entry) in list.iter().enumerate() {
                self.string(entry, &item(&at, i))?;
            }
        }
        for key in ["choices", "scale", "source", "target", "steps"] {
            let Some(components) = object.get(key) else {
                continue;
            };
            let allowed = matches!(
                (key, interaction_type),
                ("choices", Some("choice" | "sequencing"))
                    | ("scale", Some("likert"))
                    | ("source" | "target", Some("matching"))
                    | ("steps", Some("performance"))
            );
            if !allowed {
                return Err(StatementError::new(
                    child(path, key),
                    format!(
                        "is not an interaction component list of interaction type {:?}",
                        interaction_type.unwrap_or_default()
                    ),
                ));
            }
            self.interaction_components(components, &child(path, key))?;
        }
        Ok(())
    }

    fn interaction_components(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let list = value.as_array().ok_or_else(|| {
            StatementError::new(
                path,
                format!(
                    "must be an array of interaction components, not {}",
                    type_name(value)
                ),
            )
        })?;
        let mut ids: Vec<&str> = Vec::with_capacity(list.len());
        for (i, component) in list.iter().enumerate() {
            let at = item(path, i);
            let object = self.object_map(component, &at)?;
            self.keys(object, &at, &["id", "description"])?;
            let id = object.get("id").ok_or_else(|| {
                StatementError::new(child(&at, "id"), "is required in an interaction component")
            })?;
            let id = self.string(id, &child(&at, "id"))?;
            if id.is_empty() {
                return Err(StatementError::new(child(&at, "id"), "must not be empty"));
            }
            if ids.contains(&id) {
                return Err(StatementError::new(
                    child(&at, "id"),
                    format!("{id:?} is used twice; interaction component ids must be distinct"),
                ));
            }
            ids.push(id);
            if let Some(description) = object.get("description") {
                self.language_map(description, &child(&at, "description"))?;
            }
        }
        Ok(())
    }

    // ---- result ----------------------------------------------------------------------------

    fn result(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        self.keys(
            object,
            path,
            &[
                "score",
                "success",
                "completion",
                "response",
                "duration",
                "extensions",
            ],
        )?;
        if let Some(score) = object.get("score") {
            self.score(score, &child(path, "score"))?;
        }
        if let Some(success) = object.get("success") {
            self.boolean(success, &child(path, "success"))?;
        }
        if let Some(completion) = object.get("completion") {
            self.boolean(completion, &child(path, "completion"))?;
        }
        if let Some(response) = object.get("response") {
            self.string(response, &child(path, "response"))?;
        }
        if let Some(duration) = object.get("duration") {
            let at = child(path, "duration");
            let s = self.string(duration, &at)?;
            validate_duration(s).map_err(|e| StatementError::new(at, e.to_string()))?;
        }
        if let Some(extensions) = object.get("extensions") {
            self.extensions(extensions, &child(path, "extensions"))?;
        }
        Ok(())
    }

    fn score(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        self.keys(object, path, &["scaled", "raw", "min", "max"])?;
        let get = |key: &str| -> Result<Option<f64>, StatementError> {
            object
                .get(key)
                .map(|v| self.number(v, &child(path, key)))
                .transpose()
        };
        let (scaled, raw, min, max) = (get("scaled")?, get("raw")?, get("min")?, get("max")?);
        if let Some(scaled) = scaled {
            if !(-1.0..=1.0).contains(&scaled) {
                return Err(StatementError::new(
                    child(path, "scaled"),
                    format!("{scaled} is outside -1 to 1"),
                ));
            }
        }
        if let (Some(min), Some(max)) = (min, max) {
            if min >= max {
                return Err(StatementError::new(
                    child(path, "min"),
                    format!("{min} must be less than max ({max})"),
                ));
            }
        }
        if let Some(raw) = raw {
            if min.is_some_and(|min| raw < min) {
                return Err(StatementError::new(
                    child(path, "raw"),
                    format!("{raw} is below min"),
                ));
            }
            if max.is_some_and(|max| raw > max) {
                return Err(StatementError::new(
                    child(path, "raw"),
                    format!("{raw} is above max"),
                ));
            }
        }
        Ok(())
    }

    // ---- context ---------------------------------------------------------------------------

    fn context(
        &self,
        value: &Value,
        path: &str,
        object_is_activity: bool,
    ) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        let mut allowed = vec![
            "registration",
            "instructor",
            "team",
            "contextActivities",
            "revision",
            "platform",
            "language",
            "statement",
            "extensions",
        ];
        if self.version == XapiVersion::V2_0 {
            allowed.extend(["contextAgents", "contextGroups"]);
        } else {
            for key in ["contextAgents", "contextGroups"] {
                if object.contains_key(key) {
                    return Err(StatementError::new(
                        child(path, key),
                        "is an xAPI 2.0 property; this request uses xAPI 1.0.3",
                    ));
                }
            }
        }
        self.keys(object, path, &allowed)?;
        if let Some(registration) = object.get("registration") {
            self.uuid(registration, &child(path, "registration"))?;
        }
        if let Some(instructor) = object.get("instructor") {
            self.actor(instructor, &child(path, "instructor"))?;
        }
        if let Some(team) = object.get("team") {
            self.required_group(team, &child(path, "team"))?;
        }
        if let Some(activities) = object.get("contextActivities") {
            self.context_activities(activities, &child(path, "contextActivities"))?;
        }
        for key in ["revision", "platform"] {
            if let Some(v) = object.get(key) {
                let at = child(path, key);
                self.string(v, &at)?;
                if !object_is_activity {
                    return Err(StatementError::new(
                        at,
                        format!(
                            "{key:?} may only be used when the statement's object is an Activity"
                        ),
                    ));
                }
            }
        }
        if let Some(language) = object.get("language") {
            let at = child(path, "language");
            let s = self.string(language, &at)?;
            if !is_language_tag(s) {
                return Err(StatementError::new(
                    at,
                    format!("{s:?} is not an RFC 5646 language tag"),
                ));
            }
        }
        if let Some(statement) = object.get("statement") {
            let at = child(path, "statement");
            let statement = self.object_map(statement, &at)?;
            self.statement_ref(statement, &at)?;
        }
        if let Some(extensions) = object.get("extensions") {
            self.extensions(extensions, &child(path, "extensions"))?;
        }
        if let Some(agents) = object.get("contextAgents") {
            self.context_agents(
                agents,
                &child(path, "contextAgents"),
                "contextAgent",
                "agent",
            )?;
        }
        if let Some(groups) = object.get("contextGroups") {
            self.context_agents(
                groups,
                &child(path, "contextGroups"),
                "contextGroup",
                "group",
            )?;
        }
        Ok(())
    }

    fn context_activities(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        for (key, entry) in object {
            let at = child(path, key);
            if !matches!(key.as_str(), "parent" | "grouping" | "category" | "other") {
                return Err(StatementError::new(
                    at,
                    "is not a context activity type (parent, grouping, category or other)",
                ));
            }
            match entry {
                Value::Array(list) => {
                    for (i, activity) in list.iter().enumerate() {
                        self.context_activity(activity, &item(&at, i))?;
                    }
                }
                // A single Activity is allowed on input; an LRS returns it as an array of one.
                Value::Object(_) => self.context_activity(entry, &at)?,
                other => {
                    return Err(StatementError::new(
                        at,
                        format!(
                            "must be an Activity or an array of Activities, not {}",
                            type_name(other)
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    fn context_activity(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let object = self.object_map(value, path)?;
        match object.get("objectType") {
            None => {}
            Some(Value::String(t)) if t == "Activity" => {}
            Some(_) => {
                return Err(StatementError::new(
                    child(path, "objectType"),
                    "a context activity must be an Activity",
                ))
            }
        }
        self.activity(object, path)
    }

    /// `contextAgents` (xAPI 2.0): an array of `{objectType: "contextAgent", agent, relevantTypes?}`;
    /// `contextGroups` likewise with `contextGroup` and `group`.
    fn context_agents(
        &self,
        value: &Value,
        path: &str,
        object_type: &str,
        member_key: &str,
    ) -> Result<(), StatementError> {
        let list = value.as_array().ok_or_else(|| {
            StatementError::new(
                path,
                format!(
                    "must be an array of {object_type} objects, not {}",
                    type_name(value)
                ),
            )
        })?;
        for (i, entry) in list.iter().enumerate() {
            let at = item(path, i);
            let object = self.object_map(entry, &at)?;
            self.keys(object, &at, &["objectType", member_key, "relevantTypes"])?;
            if object.get("objectType").and_then(Value::as_str) != Some(object_type) {
                return Err(StatementError::new(
                    child(&at, "objectType"),
                    format!("is required and must be {object_type:?}"),
                ));
            }
            let member = object.get(member_key).ok_or_else(|| {
                StatementError::new(
                    child(&at, member_key),
                    format!("is required in a {object_type}"),
                )
            })?;
            if member_key == "agent" {
                self.required_agent(member, &child(&at, member_key))?;
            } else {
                self.required_group(member, &child(&at, member_key))?;
            }
            if let Some(types) = object.get("relevantTypes") {
                let types_path = child(&at, "relevantTypes");
                let types = types.as_array().ok_or_else(|| {
                    StatementError::new(types_path.as_str(), "must be an array of IRIs")
                })?;
                if types.is_empty() {
                    return Err(StatementError::new(
                        types_path,
                        "must not be empty when present",
                    ));
                }
                for (j, t) in types.iter().enumerate() {
                    self.iri(t, &item(&types_path, j))?;
                }
            }
        }
        Ok(())
    }

    // ---- attachments -----------------------------------------------------------------------

    fn attachments(&self, value: &Value, path: &str) -> Result<(), StatementError> {
        let list = value.as_array().ok_or_else(|| {
            StatementError::new(
                path,
                format!("must be an array of Attachments, not {}", type_name(value)),
            )
        })?;
        for (i, attachment) in list.iter().enumerate() {
            let at = item(path, i);
            let object = self.object_map(attachment, &at)?;
            self.keys(
                object,
                &at,
                &[
                    "usageType",
                    "display",
                    "description",
                    "contentType",
                    "length",
                    "sha2",
                    "fileUrl",
                ],
            )?;
            for required in ["usageType", "display", "contentType", "length", "sha2"] {
                if !object.contains_key(required) {
                    return Err(StatementError::new(
                        child(&at, required),
                        "is required in an Attachment",
                    ));
                }
            }
            if let Some(usage_type) = object.get("usageType") {
                self.iri(usage_type, &child(&at, "usageType"))?;
            }
            if let Some(display) = object.get("display") {
                self.language_map(display, &child(&at, "display"))?;
            }
            if let Some(description) = object.get("description") {
                self.language_map(description, &child(&at, "description"))?;
            }
            if let Some(content_type) = object.get("contentType") {
                let p = child(&at, "contentType");
                let s = self.string(content_type, &p)?;
                if !is_media_type(s) {
                    return Err(StatementError::new(
                        p,
                        format!("{s:?} is not an Internet media type such as text/plain"),
                    ));
                }
            }
            if let Some(length) = object.get("length") {
                if length.as_u64().is_none() {
                    return Err(StatementError::new(
                        child(&at, "length"),
                        format!(
                            "must be a non-negative integer (bytes), not {}",
                            type_name(length)
                        ),
                    ));
                }
            }
            if let Some(sha2) = object.get("sha2") {
                let p = child(&at, "sha2");
                let s = self.string(sha2, &p)?;
                if !is_sha2_hex(s) {
                    return Err(StatementError::new(
                        p,
                        format!("{s:?} is not a hex-encoded SHA-2 hash"),
                    ));
                }
            }
            if let Some(file_url) = object.get("fileUrl") {
                self.irl(file_url, &child(&at, "fileUrl"))?;
            }
        }
        Ok(())
    }
}
