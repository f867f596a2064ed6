//! Identity of Agents and Groups: the inverse functional identifier (IFI) as a canonical key an LRS
//! can index and compare, and the `agent` query parameter.

use std::fmt;

use serde_json::{Map, Value};

use crate::error::StatementError;
use crate::validate::validate_agent_param;

/// The identity of an Agent or identified Group, taken from its inverse functional identifier.
///
/// Two Agents (or identified Groups) are the same when they use the same IFI with the same value
/// (xAPI Data §2.4.2.3). `mbox_sha1sum` is compared case-insensitively (it is hex), so it is kept in
/// lower case; the other values are compared exactly as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgentKey {
    /// `mbox`, a `mailto:` IRI.
    Mbox(String),
    /// `mbox_sha1sum`, lower-case hex.
    MboxSha1Sum(String),
    /// `openid`, a URI.
    OpenId(String),
    /// `account`: the system's home page and the account name in it.
    Account {
        /// `account.homePage`.
        home_page: String,
        /// `account.name`.
        name: String,
    },
}

impl AgentKey {
    /// Reads the IFI of an Agent or Group object; `None` when it has none (an anonymous Group) or
    /// when the IFI is not of the right JSON type. Assumes a validated object (one IFI at most).
    pub fn from_object(object: &Map<String, Value>) -> Option<Self> {
        if let Some(mbox) = object.get("mbox").and_then(Value::as_str) {
            return Some(Self::Mbox(mbox.to_owned()));
        }
        if let Some(sha1) = object.get("mbox_sha1sum").and_then(Value::as_str) {
            return Some(Self::MboxSha1Sum(sha1.to_ascii_lowercase()));
        }
        if let Some(openid) = object.get("openid").and_then(Value::as_str) {
            return Some(Self::OpenId(openid.to_owned()));
        }
        let account = object.get("account")?.as_object()?;
        Some(Self::Account {
            home_page: account.get("homePage")?.as_str()?.to_owned(),
            name: account.get("name")?.as_str()?.to_owned(),
        })
    }

    /// A single string that identifies the agent, for an index column: `mbox:mailto:a@example.com`,
    /// `mbox_sha1sum:<hex>`, `openid:<uri>` or `account:<JSON [homePage, name]>`. Distinct keys
    /// always give distinct strings.
    pub fn canonical(&self) -> String {
        match self {
            Self::Mbox(v) => format!("mbox:{v}"),
            Self::MboxSha1Sum(v) => format!("mbox_sha1sum:{v}"),
            Self::OpenId(v) => format!("openid:{v}"),
            Self::Account { home_page, name } => format!(
                "account:{}",
                Value::Array(vec![
                    Value::String(home_page.clone()),
                    Value::String(name.clone())
                ])
            ),
        }
    }

    /// The IFI as the JSON properties it came from (`{"mbox": …}`, `{"account": {…}}`), for the
    /// `ids` format and for building Agent objects.
    pub fn to_properties(&self) -> Map<String, Value> {
        let mut map = Map::new();
        match self {
            Self::Mbox(v) => {
                map.insert("mbox".into(), Value::String(v.clone()));
            }
            Self::MboxSha1Sum(v) => {
                map.insert("mbox_sha1sum".into(), Value::String(v.clone()));
            }
            Self::OpenId(v) => {
                map.insert("openid".into(), Value::String(v.clone()));
            }
            Self::Account { home_page, name } => {
                let mut account = Map::new();
                account.insert("homePage".into(), Value::String(home_page.clone()));
                account.insert("name".into(), Value::String(name.clone()));
                map.insert("account".into(), Value::Object(account));
            }
        }
        map
    }
}

impl fmt::Display for AgentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// Who an actor (or an Agent/Group object, instructor, team, authority) is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ActorKey {
    /// An Agent.
    Agent(AgentKey),
    /// A Group with its own IFI, and the members it lists (possibly none).
    IdentifiedGroup {
        /// The Group's IFI.
        key: AgentKey,
        /// IFIs of the listed members, in the order given.
        members: Vec<AgentKey>,
    },
    /// A Group without IFI, known only by its members.
    AnonymousGroup {
        /// IFIs of the members, in the order given.
        members: Vec<AgentKey>,
    },
}

impl ActorKey {
    /// Reads an Agent or Group object (validated). `None` for anything else.
    pub fn from_value(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        let is_group = object.get("objectType").and_then(Value::as_str) == Some("Group");
        let key = AgentKey::from_object(object);
        if !is_group {
            return key.map(Self::Agent);
        }
        let members = object
            .get("member")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_object)
                    .filter_map(AgentKey::from_object)
                    .collect()
            })
            .unwrap_or_default();
        Some(match key {
            Some(key) => Self::IdentifiedGroup { key, members },
            None => Self::AnonymousGroup { members },
        })
    }

    /// The IFI of the Agent or identified Group itself.
    pub fn key(&self) -> Option<&AgentKey> {
        match self {
            Self::Agent(key) | Self::IdentifiedGroup { key, .. } => Some(key),
            Self::AnonymousGroup { .. } => None,
        }
    }

    /// The members of a Group (empty for an Agent).
    pub fn members(&self) -> &[AgentKey] {
        match self {
            Self::Agent(_) => &[],
            Self::IdentifiedGroup { members, .. } | Self::AnonymousGroup { members } => members,
        }
    }

    /// The own key (if any) followed by the members' keys.
    pub fn all_keys(&self) -> impl Iterator<Item = &AgentKey> {
        self.key().into_iter().chain(self.members())
    }
}

/// The Person object the agents resource (`GET agents`) returns: every `name` and IFI found in the
/// given Agent objects, each property an array without duplicates, with `objectType: "Person"`.
///
/// Mycel does not link different IFIs to one person, so the caller passes the requested Agent and,
/// to report the names it was seen with, the Agent objects stored under the same IFI. With only the
/// requested Agent, the Person holds just its information, as xAPI requires for an unknown agent.
pub fn person_object<'a>(agents: impl IntoIterator<Item = &'a Value>) -> Value {
    let mut person = Map::new();
    person.insert("objectType".into(), Value::String("Person".into()));
    for agent in agents {
        let Some(agent) = agent.as_object() else {
            continue;
        };
        for key in ["name", "mbox", "mbox_sha1sum", "openid", "account"] {
            let Some(value) = agent.get(key) else {
                continue;
            };
            let entry = person
                .entry(key)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                if !list.contains(value) {
                    list.push(value.clone());
                }
            }
        }
    }
    Value::Object(person)
}

/// Parses the `agent` query parameter (a JSON-encoded Agent or identified Group) of the statements,
/// state, agents and agent profile resources, and returns its identity.
///
/// The parameter must be valid JSON, follow the statement rules for an Agent or a Group, and carry
/// an IFI (an anonymous Group cannot be looked up). Error paths are relative to the parameter, with
/// an empty path for the parameter as a whole.
pub fn parse_agent_param(text: &str) -> Result<AgentKey, StatementError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        StatementError::new("", format!("the agent parameter is not valid JSON: {e}"))
    })?;
    validate_agent_param(&value)?;
    value
        .as_object()
        .and_then(AgentKey::from_object)
        .ok_or_else(|| {
            StatementError::new(
                "",
                "the agent parameter must carry mbox, mbox_sha1sum, openid or account",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_come_from_the_ifi() {
        let cases = [
            (
                json!({"mbox": "mailto:ada@example.com", "name": "Ada"}),
                "mbox:mailto:ada@example.com",
            ),
            (
                json!({"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}),
                "mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975",
            ),
            (
                json!({"openid": "http://openid.example.com/ada"}),
                "openid:http://openid.example.com/ada",
            ),
            (
                json!({"account": {"homePage": "https://lms.example.com", "name": "ada"}}),
                "account:[\"https://lms.example.com\",\"ada\"]",
            ),
        ];
        for (agent, canonical) in cases {
            let key = agent.as_object().and_then(AgentKey::from_object);
            assert_eq!(key.map(|k| k.canonical()).as_deref(), Some(canonical));
        }
    }

    #[test]
    fn account_keys_do_not_collide() {
        let a = AgentKey::Account {
            home_page: "https://x.example/a\",\"b".into(),
            name: "c".into(),
        };
        let b = AgentKey::Account {
            home_page: "https://x.example/a".into(),
            name: "b\",\"c".into(),
        };
        assert_ne!(a.canonical(), b.canonical());
    }

    #[test]
    fn groups_keep_their_members() {
        let group = json!({
            "objectType": "Group",
            "member": [{"mbox": "mailto:a@example.com"}, {"openid": "http://id.example.com/b"}]
        });
        let key = ActorKey::from_value(&group);
        assert_eq!(
            key,
            Some(ActorKey::AnonymousGroup {
                members: vec![
                    AgentKey::Mbox("mailto:a@example.com".into()),
                    AgentKey::OpenId("http://id.example.com/b".into())
                ]
            })
        );
        assert_eq!(key.map(|k| k.all_keys().count()), Some(2));
    }

    #[test]
    fn person_objects_collect_names_and_identifiers() {
        let requested = json!({"objectType": "Agent", "mbox": "mailto:ada@example.com"});
        let seen = [
            json!({"name": "Ada", "mbox": "mailto:ada@example.com"}),
            json!({"name": "Ada Lovelace", "mbox": "mailto:ada@example.com"}),
            json!({"name": "Ada", "mbox": "mailto:ada@example.com"}),
        ];
        assert_eq!(
            person_object(std::iter::once(&requested).chain(&seen)),
            json!({"objectType": "Person", "name": ["Ada", "Ada Lovelace"],
                   "mbox": ["mailto:ada@example.com"]})
        );
        let account = json!({"account": {"homePage": "https://hr.example", "name": "4711"}});
        assert_eq!(
            person_object([&account]),
            json!({"objectType": "Person",
                   "account": [{"homePage": "https://hr.example", "name": "4711"}]})
        );
    }

    #[test]
    fn agent_parameter() {
        assert_eq!(
            parse_agent_param(r#"{"objectType":"Agent","mbox":"mailto:ada@example.com"}"#),
            Ok(AgentKey::Mbox("mailto:ada@example.com".into()))
        );
        assert_eq!(
            parse_agent_param(
                r#"{"objectType":"Group","account":{"homePage":"https://x.example","name":"team"}}"#
            ),
            Ok(AgentKey::Account {
                home_page: "https://x.example".into(),
                name: "team".into()
            })
        );
        let bad = [
            ("not json", ""),
            ("\"mailto:ada@example.com\"", ""),
            (r#"{"mbox":"ada@example.com"}"#, "mbox"),
            (r#"{"name":"Ada"}"#, ""),
            (
                r#"{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"}]}"#,
                "",
            ),
            (
                r#"{"mbox":"mailto:a@example.com","openid":"http://x.example/a"}"#,
                "",
            ),
            (
                r#"{"mbox":"mailto:a@example.com","nickname":"A"}"#,
                "nickname",
            ),
        ];
        for (text, path) in bad {
            match parse_agent_param(text) {
                Ok(key) => panic!("{text} was accepted as {key}"),
                Err(e) => assert_eq!(e.path, path, "{text}: {e}"),
            }
        }
    }
}
