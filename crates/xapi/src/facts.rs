//! What an LRS derives from a valid statement to index and query it: who, did what, to what, in
//! which registration, which activities and agents it relates to, and what it voids.

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::agent::{ActorKey, AgentKey};
use crate::datatypes::{parse_timestamp, parse_uuid};
use crate::error::StatementError;
use crate::validate::{child, validate_statement, VOIDED_VERB};
use crate::version::XapiVersion;

/// The object of a statement, reduced to what identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectKey {
    /// An Activity, by its id (an IRI).
    Activity(String),
    /// An Agent or a Group.
    Actor(ActorKey),
    /// A StatementRef, by the id of the statement it points to.
    StatementRef(Uuid),
    /// A SubStatement with its own actor, verb and object.
    SubStatement {
        /// The SubStatement's actor.
        actor: ActorKey,
        /// The SubStatement's verb id.
        verb_id: String,
        /// The SubStatement's object (never another SubStatement).
        object: Box<ObjectKey>,
    },
}

/// One attachment's metadata, as the LRS needs it to match multipart parts and serve attachments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentFacts {
    /// `usageType` IRI.
    pub usage_type: String,
    /// `contentType` media type.
    pub content_type: String,
    /// `length` in bytes.
    pub length: u64,
    /// `sha2` hex digest, the key matching the `X-Experience-API-Hash` of a multipart part.
    pub sha2: String,
    /// `fileUrl`, when the attachment is not sent along with the statement.
    pub file_url: Option<String>,
}

/// Everything an LRS indexes from a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFacts {
    /// The statement's id, when the client set one (the LRS assigns one otherwise).
    pub id: Option<Uuid>,
    /// Who did it.
    pub actor: ActorKey,
    /// The verb's id.
    pub verb_id: String,
    /// What it was done to.
    pub object: ObjectKey,
    /// `context.registration`.
    pub registration: Option<Uuid>,
    /// `timestamp`, when given.
    pub timestamp: Option<DateTime<FixedOffset>>,
    /// Ids of all activities the statement relates to: the object (or the SubStatement's object)
    /// and every context activity of the statement and of its SubStatement, first occurrence first,
    /// without duplicates. The first entry is the object's when the object is an Activity.
    pub related_activity_ids: Vec<String>,
    /// All agents the statement relates to: actor (and its members), object Agent/Group (and
    /// members), context instructor and team (and members), `contextAgents` and `contextGroups`,
    /// the authority (and its members), and the same within a SubStatement; without duplicates.
    pub related_agents: Vec<AgentKey>,
    /// For a voiding statement (verb `http://adlnet.gov/expapi/verbs/voided`): the id of the
    /// statement it voids.
    pub voided_statement_id: Option<Uuid>,
    /// The attachments' metadata, in statement order.
    pub attachments: Vec<AttachmentFacts>,
}

impl StatementFacts {
    /// Validates `statement` under `version` and extracts its facts.
    pub fn from_statement(statement: &Value, version: XapiVersion) -> Result<Self, StatementError> {
        validate_statement(statement, version)?;
        extract(statement, version)
    }

    /// The agents the plain `agent` filter of `GET statements` matches (without `related_agents`):
    /// the actor and an Agent or Group object, each with the members of a Group (a Group matches
    /// when one of its members is the requested Agent).
    pub fn direct_agents(&self) -> Vec<&AgentKey> {
        let mut keys: Vec<&AgentKey> = self.actor.all_keys().collect();
        if let ObjectKey::Actor(object) = &self.object {
            for key in object.all_keys() {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// The activity the plain `activity` filter of `GET statements` matches (without
    /// `related_activities`): the object, when it is an Activity.
    pub fn object_activity_id(&self) -> Option<&str> {
        match &self.object {
            ObjectKey::Activity(id) => Some(id),
            _ => None,
        }
    }
}

fn missing(path: &str) -> StatementError {
    StatementError::new(path, "is missing or malformed")
}

fn extract(statement: &Value, version: XapiVersion) -> Result<StatementFacts, StatementError> {
    let object = statement.as_object().ok_or_else(|| missing(""))?;
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .map(parse_uuid)
        .transpose()
        .map_err(|e| StatementError::new("id", e.to_string()))?;
    let mut collector = Collector::default();
    let (actor, verb_id, object_key) = collector.core(object, "")?;
    let registration = object
        .get("context")
        .and_then(|c| c.get("registration"))
        .and_then(Value::as_str)
        .map(parse_uuid)
        .transpose()
        .map_err(|e| StatementError::new("context.registration", e.to_string()))?;
    let timestamp = object
        .get("timestamp")
        .and_then(Value::as_str)
        .map(|t| parse_timestamp(t, version))
        .transpose()
        .map_err(|e| StatementError::new("timestamp", e.to_string()))?;
    if let Some(authority) = object.get("authority") {
        collector.actor(authority);
    }
    let voided_statement_id = match (&object_key, verb_id.as_str()) {
        (ObjectKey::StatementRef(target), VOIDED_VERB) => Some(*target),
        _ => None,
    };
    let attachments = object
        .get("attachments")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(attachment_facts).collect())
        .unwrap_or_default();
    Ok(StatementFacts {
        id,
        actor,
        verb_id,
        object: object_key,
        registration,
        timestamp,
        related_activity_ids: collector.activities,
        related_agents: collector.agents,
        voided_statement_id,
        attachments,
    })
}

fn attachment_facts(value: &Value) -> Option<AttachmentFacts> {
    Some(AttachmentFacts {
        usage_type: value.get("usageType")?.as_str()?.to_owned(),
        content_type: value.get("contentType")?.as_str()?.to_owned(),
        length: value.get("length")?.as_u64()?,
        sha2: value.get("sha2")?.as_str()?.to_owned(),
        file_url: value
            .get("fileUrl")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

#[derive(Default)]
struct Collector {
    activities: Vec<String>,
    agents: Vec<AgentKey>,
}

impl Collector {
    fn activity(&mut self, id: &str) {
        if !self.activities.iter().any(|a| a == id) {
            self.activities.push(id.to_owned());
        }
    }

    fn agent(&mut self, key: &AgentKey) {
        if !self.agents.contains(key) {
            self.agents.push(key.clone());
        }
    }

    fn actor(&mut self, value: &Value) -> Option<ActorKey> {
        let key = ActorKey::from_value(value)?;
        for k in key.all_keys() {
            self.agent(k);
        }
        Some(key)
    }

    /// Actor, verb, object and context of a statement or SubStatement at `path`.
    fn core(
        &mut self,
        statement: &Map<String, Value>,
        path: &str,
    ) -> Result<(ActorKey, String, ObjectKey), StatementError> {
        let actor_path = child(path, "actor");
        let actor = statement
            .get("actor")
            .and_then(|a| self.actor(a))
            .ok_or_else(|| missing(&actor_path))?;
        let verb_path = child(path, "verb");
        let verb_id = statement
            .get("verb")
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
            .ok_or_else(|| missing(&verb_path))?
            .to_owned();
        let object_path = child(path, "object");
        let target = statement
            .get("object")
            .and_then(Value::as_object)
            .ok_or_else(|| missing(&object_path))?;
        let object =
            match target.get("objectType").and_then(Value::as_str) {
                None | Some("Activity") => {
                    let id = target
                        .get("id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| missing(&child(&object_path, "id")))?;
                    self.activity(id);
                    ObjectKey::Activity(id.to_owned())
                }
                Some("Agent" | "Group") => {
                    let value = statement.get("object").unwrap_or(&Value::Null);
                    ObjectKey::Actor(self.actor(value).ok_or_else(|| missing(&object_path))?)
                }
                Some("StatementRef") => {
                    let id = target
                        .get("id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| missing(&child(&object_path, "id")))?;
                    ObjectKey::StatementRef(parse_uuid(id).map_err(|e| {
                        StatementError::new(child(&object_path, "id"), e.to_string())
                    })?)
                }
                Some("SubStatement") => {
                    let (actor, verb_id, object) = self.core(target, &object_path)?;
                    ObjectKey::SubStatement {
                        actor,
                        verb_id,
                        object: Box::new(object),
                    }
                }
                Some(_) => return Err(missing(&child(&object_path, "objectType"))),
            };
        if let Some(context) = statement.get("context").and_then(Value::as_object) {
            self.context(context);
        }
        Ok((actor, verb_id, object))
    }

    fn context(&mut self, context: &Map<String, Value>) {
        if let Some(instructor) = context.get("instructor") {
            self.actor(instructor);
        }
        if let Some(team) = context.get("team") {
            self.actor(team);
        }
        if let Some(activities) = context.get("contextActivities").and_then(Value::as_object) {
            for key in ["parent", "grouping", "category", "other"] {
                let entries: Vec<&Value> = match activities.get(key) {
                    Some(Value::Array(list)) => list.iter().collect(),
                    Some(single @ Value::Object(_)) => vec![single],
                    _ => Vec::new(),
                };
                for entry in entries {
                    if let Some(id) = entry.get("id").and_then(Value::as_str) {
                        self.activity(id);
                    }
                }
            }
        }
        for (list_key, member_key) in [("contextAgents", "agent"), ("contextGroups", "group")] {
            if let Some(list) = context.get(list_key).and_then(Value::as_array) {
                for entry in list {
                    if let Some(member) = entry.get(member_key) {
                        self.actor(member);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mbox(address: &str) -> AgentKey {
        AgentKey::Mbox(format!("mailto:{address}"))
    }

    #[test]
    fn facts_of_a_rich_statement() -> Result<(), StatementError> {
        let statement = json!({
            "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
            "actor": {"objectType": "Group", "member": [
                {"mbox": "mailto:ada@example.com"}, {"mbox": "mailto:bob@example.com"}
            ]},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": {
                "objectType": "SubStatement",
                "actor": {"mbox": "mailto:cy@example.com"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {"id": "http://example.com/course/1"},
                "context": {"contextActivities": {"parent": {"id": "http://example.com/program"}}}
            },
            "context": {
                "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
                "instructor": {"mbox": "mailto:teacher@example.com"},
                "team": {"objectType": "Group", "mbox": "mailto:team@example.com",
                         "member": [{"mbox": "mailto:ada@example.com"}]},
                "contextActivities": {
                    "grouping": [{"id": "http://example.com/course/1"}, {"id": "http://example.com/path"}],
                    "category": {"id": "http://example.com/profile"}
                },
                "contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:coach@example.com"}}],
                "contextGroups": [{"objectType": "contextGroup", "group": {"objectType": "Group", "openid": "http://id.example.com/g"}}]
            },
            "timestamp": "2026-01-02T03:04:05.678+01:00",
            "authority": {"mbox": "mailto:lrs@example.com"},
            "attachments": [{
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en": "Signature"},
                "contentType": "application/octet-stream",
                "length": 4235,
                "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634"
            }]
        });
        let facts = StatementFacts::from_statement(&statement, XapiVersion::V2_0)?;
        assert_eq!(
            facts.id.map(|u| u.to_string()).as_deref(),
            Some("6690e6c9-3ef0-4ed3-8b37-7f3964730bee")
        );
        assert_eq!(
            facts.actor,
            ActorKey::AnonymousGroup {
                members: vec![mbox("ada@example.com"), mbox("bob@example.com")]
            }
        );
        assert_eq!(facts.verb_id, "http://adlnet.gov/expapi/verbs/attended");
        assert_eq!(
            facts.object,
            ObjectKey::SubStatement {
                actor: ActorKey::Agent(mbox("cy@example.com")),
                verb_id: "http://adlnet.gov/expapi/verbs/completed".into(),
                object: Box::new(ObjectKey::Activity("http://example.com/course/1".into())),
            }
        );
        assert_eq!(
            facts.registration.map(|u| u.to_string()).as_deref(),
            Some("ec531277-b57b-4c15-8d91-d292c5b2b8f7")
        );
        assert_eq!(
            facts.related_activity_ids,
            vec![
                "http://example.com/course/1",
                "http://example.com/program",
                "http://example.com/path",
                "http://example.com/profile"
            ]
        );
        assert_eq!(
            facts.related_agents,
            vec![
                mbox("ada@example.com"),
                mbox("bob@example.com"),
                mbox("cy@example.com"),
                mbox("teacher@example.com"),
                mbox("team@example.com"),
                mbox("coach@example.com"),
                AgentKey::OpenId("http://id.example.com/g".into()),
                mbox("lrs@example.com"),
            ]
        );
        assert_eq!(facts.voided_statement_id, None);
        assert_eq!(
            facts.direct_agents(),
            vec![&mbox("ada@example.com"), &mbox("bob@example.com")],
            "a SubStatement's actor is only a related agent"
        );
        assert_eq!(facts.object_activity_id(), None);
        assert_eq!(
            facts.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-01-02T03:04:05.678+01:00")
        );
        assert_eq!(facts.attachments.len(), 1);
        assert_eq!(facts.attachments.first().map(|a| a.length), Some(4235));
        Ok(())
    }

    #[test]
    fn voiding_statement_names_its_target() -> Result<(), StatementError> {
        let statement = json!({
            "actor": {"mbox": "mailto:admin@example.com"},
            "verb": {"id": VOIDED_VERB},
            "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}
        });
        let facts = StatementFacts::from_statement(&statement, XapiVersion::V1_0_3)?;
        assert_eq!(
            facts.voided_statement_id.map(|u| u.to_string()).as_deref(),
            Some("e05aa883-acaf-40ad-bf54-02c8ce485fb0")
        );
        assert!(facts.related_activity_ids.is_empty());
        Ok(())
    }

    #[test]
    fn statement_refs_with_other_verbs_void_nothing() -> Result<(), StatementError> {
        let statement = json!({
            "actor": {"mbox": "mailto:admin@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/commented"},
            "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}
        });
        let facts = StatementFacts::from_statement(&statement, XapiVersion::V2_0)?;
        assert_eq!(facts.voided_statement_id, None);
        Ok(())
    }

    #[test]
    fn object_agents_are_related() -> Result<(), StatementError> {
        let statement = json!({
            "actor": {"mbox": "mailto:mentor@example.com"},
            "verb": {"id": "http://id.tincanapi.com/verb/mentored"},
            "object": {"objectType": "Agent", "account": {"homePage": "https://hr.example.com", "name": "4711"}}
        });
        let facts = StatementFacts::from_statement(&statement, XapiVersion::V2_0)?;
        let mentee = AgentKey::Account {
            home_page: "https://hr.example.com".into(),
            name: "4711".into(),
        };
        assert_eq!(
            facts.object,
            ObjectKey::Actor(ActorKey::Agent(mentee.clone()))
        );
        assert_eq!(
            facts.direct_agents(),
            vec![&mbox("mentor@example.com"), &mentee]
        );
        assert_eq!(
            facts.related_agents,
            vec![mbox("mentor@example.com"), mentee]
        );
        Ok(())
    }

    #[test]
    fn invalid_statements_yield_no_facts() {
        let statement = json!({"actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "x"}});
        assert!(StatementFacts::from_statement(&statement, XapiVersion::V2_0).is_err());
    }
}
