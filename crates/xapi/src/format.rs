//! The shapes in which the statements resource returns statements (`format=exact|ids|canonical` of
//! `GET statements`), and the normalisation an LRS applies before storing a statement.

use serde_json::{Map, Value};

/// The `format` parameter of `GET statements`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatementFormat {
    /// As received (after normalisation). The default.
    #[default]
    Exact,
    /// Agents, Groups, Activities and Verbs reduced to what identifies them.
    Ids,
    /// Language maps of Activities and Verbs reduced to the best single language.
    Canonical,
}

impl StatementFormat {
    /// Parses the parameter value (`exact`, `ids` or `canonical`, exact case); `None` otherwise, which
    /// an LRS answers with 400.
    pub fn from_param(value: &str) -> Option<Self> {
        match value {
            "exact" => Some(Self::Exact),
            "ids" => Some(Self::Ids),
            "canonical" => Some(Self::Canonical),
            _ => None,
        }
    }

    /// Applies this format to a stored statement.
    pub fn apply(self, statement: &Value, accept_languages: &[String]) -> Value {
        match self {
            Self::Exact => statement.clone(),
            Self::Ids => format_ids(statement),
            Self::Canonical => format_canonical(statement, accept_languages),
        }
    }
}

/// Normalises a valid statement the way it is stored and returned: a single Activity given as a
/// `contextActivities` value becomes an array of one (xAPI requires an LRS to return arrays), in the
/// statement and in its SubStatement.
pub fn normalize_statement(statement: &mut Value) {
    let Some(object) = statement.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(context)) = object.get_mut("context") {
        normalize_context(context);
    }
    if let Some(Value::Object(sub)) = object.get_mut("object") {
        if sub.get("objectType").and_then(Value::as_str) == Some("SubStatement") {
            if let Some(Value::Object(context)) = sub.get_mut("context") {
                normalize_context(context);
            }
        }
    }
}

fn normalize_context(context: &mut Map<String, Value>) {
    if let Some(Value::Object(activities)) = context.get_mut("contextActivities") {
        for entry in activities.values_mut() {
            if entry.is_object() {
                let single = std::mem::take(entry);
                *entry = Value::Array(vec![single]);
            }
        }
    }
}

/// The `ids` format: Agents and identified Groups reduced to `objectType` (when present) and their
/// IFI, anonymous Groups to `objectType` and their members in `ids` form, Activities to their `id`
/// and Verbs to their `id`, wherever they occur (actor, object, SubStatement, context instructor,
/// team, context activities, `contextAgents`, `contextGroups`, authority). Everything else is kept.
pub fn format_ids(statement: &Value) -> Value {
    transform(statement, &Ids)
}

/// The `canonical` format: the language maps of Activities (`name`, `description`, interaction
/// component descriptions) and of Verbs (`display`) reduced to the single best language for
/// `accept_languages` (in order of preference, as from [`parse_accept_language`]). Agents and Groups
/// are returned as received.
///
/// xAPI also lets the LRS substitute its canonical Activity definitions in this format; that needs
/// the activity store and is left to the caller (apply this after the substitution).
pub fn format_canonical(statement: &Value, accept_languages: &[String]) -> Value {
    transform(statement, &Canonical { accept_languages })
}

/// Parses an `Accept-Language` header into language ranges, most preferred first (by `q`, then by
/// order); ranges with `q=0` are dropped.
pub fn parse_accept_language(header: &str) -> Vec<String> {
    let mut ranges: Vec<(u16, usize, String)> = header
        .split(',')
        .enumerate()
        .filter_map(|(position, part)| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim();
            if range.is_empty() {
                return None;
            }
            let mut weight = 1000u16;
            for param in pieces {
                if let Some(q) = param.trim().strip_prefix("q=") {
                    let q: f64 = q.trim().parse().ok()?;
                    if !(0.0..=1.0).contains(&q) {
                        return None;
                    }
                    // q has at most three decimals; scaling keeps the ordering exact.
                    weight = (q * 1000.0).round() as u16;
                }
            }
            (weight > 0).then(|| (weight, position, range.to_owned()))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().map(|(_, _, range)| range).collect()
}

/// Picks the key of `map` that best matches the preferred language ranges: for each range in turn,
/// an exact match (case-insensitive), then the range truncated subtag by subtag (`en-GB` → `en`),
/// then a key with the same primary language (`en` or `en-GB` → `en-US`); `*` takes any key. Without a match, `und`,
/// then the first key.
pub fn best_language<'a>(map: &'a Map<String, Value>, preferred: &[String]) -> Option<&'a str> {
    let find = |wanted: &str| {
        map.keys()
            .find(|k| k.eq_ignore_ascii_case(wanted))
            .map(String::as_str)
    };
    for range in preferred {
        if range == "*" {
            return map.keys().next().map(String::as_str);
        }
        let mut candidate = range.as_str();
        loop {
            if let Some(key) = find(candidate) {
                return Some(key);
            }
            match candidate.rfind('-') {
                Some(cut) => candidate = &candidate[..cut],
                None => break,
            }
        }
        let primary = range.split('-').next().unwrap_or_default();
        let prefix = format!("{}-", primary.to_ascii_lowercase());
        if let Some(key) = map
            .keys()
            .find(|k| k.to_ascii_lowercase().starts_with(&prefix))
        {
            return Some(key);
        }
    }
    find("und").or_else(|| map.keys().next().map(String::as_str))
}

/// What a format does to each kind of thing inside a statement.
trait Shape {
    fn actor(&self, actor: &Map<String, Value>) -> Value;
    fn verb(&self, verb: &Map<String, Value>) -> Value;
    fn activity(&self, activity: &Map<String, Value>) -> Value;
}

struct Ids;

impl Shape for Ids {
    fn actor(&self, actor: &Map<String, Value>) -> Value {
        let mut out = Map::new();
        if let Some(object_type) = actor.get("objectType") {
            out.insert("objectType".into(), object_type.clone());
        }
        let mut identified = false;
        for key in ["mbox", "mbox_sha1sum", "openid", "account"] {
            if let Some(v) = actor.get(key) {
                out.insert(key.into(), v.clone());
                identified = true;
            }
        }
        if !identified {
            if let Some(Value::Array(members)) = actor.get("member") {
                let members = members
                    .iter()
                    .map(|m| m.as_object().map_or_else(|| m.clone(), |m| self.actor(m)))
                    .collect();
                out.insert("member".into(), Value::Array(members));
            }
        }
        Value::Object(out)
    }

    fn verb(&self, verb: &Map<String, Value>) -> Value {
        keep_only(verb, &["id"])
    }

    fn activity(&self, activity: &Map<String, Value>) -> Value {
        keep_only(activity, &["id"])
    }
}

fn keep_only(object: &Map<String, Value>, keys: &[&str]) -> Value {
    Value::Object(
        object
            .iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

struct Canonical<'a> {
    accept_languages: &'a [String],
}

impl Canonical<'_> {
    fn reduce(&self, value: &mut Value) {
        if let Value::Object(map) = value {
            if map.len() > 1 {
                if let Some(best) = best_language(map, self.accept_languages).map(str::to_owned) {
                    map.retain(|k, _| *k == best);
                }
            }
        }
    }
}

impl Shape for Canonical<'_> {
    fn actor(&self, actor: &Map<String, Value>) -> Value {
        Value::Object(actor.clone())
    }

    fn verb(&self, verb: &Map<String, Value>) -> Value {
        let mut out = verb.clone();
        if let Some(display) = out.get_mut("display") {
            self.reduce(display);
        }
        Value::Object(out)
    }

    fn activity(&self, activity: &Map<String, Value>) -> Value {
        let mut out = activity.clone();
        if let Some(Value::Object(definition)) = out.get_mut("definition") {
            for key in ["name", "description"] {
                if let Some(map) = definition.get_mut(key) {
                    self.reduce(map);
                }
            }
            for key in ["choices", "scale", "source", "target", "steps"] {
                if let Some(Value::Array(components)) = definition.get_mut(key) {
                    for component in components {
                        if let Some(description) = component.get_mut("description") {
                            self.reduce(description);
                        }
                    }
                }
            }
        }
        Value::Object(out)
    }
}

fn transform(statement: &Value, shape: &dyn Shape) -> Value {
    let Value::Object(object) = statement else {
        return statement.clone();
    };
    let mut out = object.clone();
    map_object(&mut out, "actor", |a| shape.actor(a));
    map_object(&mut out, "authority", |a| shape.actor(a));
    map_object(&mut out, "verb", |v| shape.verb(v));
    if let Some(Value::Object(target)) = out.get_mut("object") {
        let replaced = match target.get("objectType").and_then(Value::as_str) {
            None | Some("Activity") => Some(shape.activity(target)),
            Some("Agent" | "Group") => Some(shape.actor(target)),
            Some("SubStatement") => Some(transform(&Value::Object(target.clone()), shape)),
            _ => None,
        };
        if let Some(replaced) = replaced {
            out.insert("object".into(), replaced);
        }
    }
    if let Some(Value::Object(context)) = out.get_mut("context") {
        map_object(context, "instructor", |a| shape.actor(a));
        map_object(context, "team", |a| shape.actor(a));
        if let Some(Value::Object(activities)) = context.get_mut("contextActivities") {
            for entry in activities.values_mut() {
                match entry {
                    Value::Array(list) => {
                        for activity in list.iter_mut() {
                            if let Value::Object(a) = activity {
                                *activity = shape.activity(a);
                            }
                        }
                    }
                    Value::Object(a) => *entry = shape.activity(a),
                    _ => {}
                }
            }
        }
        for (list_key, member_key) in [("contextAgents", "agent"), ("contextGroups", "group")] {
            if let Some(Value::Array(list)) = context.get_mut(list_key) {
                for entry in list.iter_mut() {
                    if let Value::Object(entry) = entry {
                        map_object(entry, member_key, |a| shape.actor(a));
                    }
                }
            }
        }
    }
    Value::Object(out)
}

fn map_object(
    parent: &mut Map<String, Value>,
    key: &str,
    f: impl FnOnce(&Map<String, Value>) -> Value,
) {
    if let Some(Value::Object(inner)) = parent.get(key) {
        let replaced = f(inner);
        parent.insert(key.to_owned(), replaced);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statement() -> Value {
        json!({
            "id": "0f6b5d2a-9a2e-4c07-9c36-2f0d6f1f4f3b",
            "actor": {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended",
                     "display": {"en-GB": "attended", "en-US": "attended", "de-DE": "nahm teil"}},
            "object": {
                "objectType": "SubStatement",
                "actor": {"objectType": "Group", "name": "Team", "mbox": "mailto:team@example.com",
                          "member": [{"name": "Bob", "mbox": "mailto:bob@example.com"}]},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/reported",
                         "display": {"en-US": "reported", "de": "berichtete"}},
                "object": {"objectType": "Activity", "id": "http://example.com/meeting",
                           "definition": {
                               "name": {"en-GB": "Meeting", "de-DE": "Besprechung"},
                               "description": {"en-US": "A meeting", "fr": "Une réunion"},
                               "type": "http://adlnet.gov/expapi/activities/meeting",
                               "interactionType": "choice",
                               "choices": [{"id": "a", "description": {"en-GB": "A", "de-DE": "A (de)"}}]
                           }}
            },
            "context": {
                "instructor": {"objectType": "Group", "name": "Trainers",
                               "member": [{"name": "Cy", "mbox": "mailto:cy@example.com", "objectType": "Agent"}]},
                "contextActivities": {
                    "category": {"id": "http://example.com/cat", "definition": {"name": {"en-GB": "Cat", "de-DE": "Kat"}}},
                    "parent": [{"objectType": "Activity", "id": "http://example.com/parent",
                                "definition": {"name": {"en-US": "Parent"}}}]
                },
                "contextAgents": [{"objectType": "contextAgent",
                                   "agent": {"name": "Dee", "mbox": "mailto:dee@example.com"}}]
            },
            "authority": {"objectType": "Agent", "name": "LRS",
                          "account": {"homePage": "https://lrs.example.com", "name": "client"}}
        })
    }

    #[test]
    fn ids_keep_only_identifiers() {
        let ids = format_ids(&statement());
        assert_eq!(
            ids["actor"],
            json!({"objectType": "Agent", "mbox": "mailto:ada@example.com"})
        );
        assert_eq!(
            ids["verb"],
            json!({"id": "http://adlnet.gov/expapi/verbs/attended"})
        );
        assert_eq!(
            ids["object"]["actor"],
            json!({"objectType": "Group", "mbox": "mailto:team@example.com"})
        );
        assert_eq!(
            ids["object"]["verb"],
            json!({"id": "http://adlnet.gov/expapi/verbs/reported"})
        );
        assert_eq!(
            ids["object"]["object"],
            json!({"id": "http://example.com/meeting"})
        );
        assert_eq!(ids["object"]["objectType"], json!("SubStatement"));
        assert_eq!(
            ids["context"]["instructor"],
            json!({"objectType": "Group", "member": [{"objectType": "Agent", "mbox": "mailto:cy@example.com"}]})
        );
        assert_eq!(
            ids["context"]["contextActivities"]["category"],
            json!({"id": "http://example.com/cat"})
        );
        assert_eq!(
            ids["context"]["contextActivities"]["parent"],
            json!([{"id": "http://example.com/parent"}])
        );
        assert_eq!(
            ids["context"]["contextAgents"][0]["agent"],
            json!({"mbox": "mailto:dee@example.com"})
        );
        assert_eq!(
            ids["authority"],
            json!({"objectType": "Agent", "account": {"homePage": "https://lrs.example.com", "name": "client"}})
        );
        assert_eq!(ids["id"], statement()["id"]);
    }

    #[test]
    fn canonical_keeps_one_language() {
        let canonical = format_canonical(&statement(), &["en-GB".to_owned()]);
        assert_eq!(canonical["verb"]["display"], json!({"en-GB": "attended"}));
        // en-GB is missing: no exact match, so the truncated range "en" then "en-*" is used.
        assert_eq!(
            canonical["object"]["verb"]["display"],
            json!({"en-US": "reported"})
        );
        let definition = &canonical["object"]["object"]["definition"];
        assert_eq!(definition["name"], json!({"en-GB": "Meeting"}));
        assert_eq!(definition["description"], json!({"en-US": "A meeting"}));
        assert_eq!(
            definition["choices"][0]["description"],
            json!({"en-GB": "A"})
        );
        assert_eq!(
            definition["type"],
            json!("http://adlnet.gov/expapi/activities/meeting")
        );
        assert_eq!(
            canonical["context"]["contextActivities"]["category"]["definition"]["name"],
            json!({"en-GB": "Cat"})
        );
        assert_eq!(canonical["actor"], statement()["actor"]);
        assert_eq!(canonical["object"]["actor"], statement()["object"]["actor"]);
    }

    #[test]
    fn canonical_without_preferences_is_deterministic() {
        let canonical = format_canonical(&statement(), &[]);
        assert_eq!(canonical["verb"]["display"], json!({"de-DE": "nahm teil"}));
        let german = format_canonical(&statement(), &["de".to_owned()]);
        assert_eq!(german["verb"]["display"], json!({"de-DE": "nahm teil"}));
        assert_eq!(
            german["object"]["verb"]["display"],
            json!({"de": "berichtete"})
        );
    }

    #[test]
    fn accept_language_is_ordered_by_quality() {
        assert_eq!(
            parse_accept_language("de;q=0.5, en-GB, fr;q=0.9, *;q=0.1, es;q=0"),
            vec!["en-GB", "fr", "de", "*"]
        );
        assert!(parse_accept_language("").is_empty());
    }

    #[test]
    fn single_context_activities_become_arrays() {
        let mut s = statement();
        normalize_statement(&mut s);
        assert_eq!(
            s["context"]["contextActivities"]["category"],
            json!([{"id": "http://example.com/cat", "definition": {"name": {"en-GB": "Cat", "de-DE": "Kat"}}}])
        );
        assert_eq!(
            s["context"]["contextActivities"]["parent"][0]["id"],
            json!("http://example.com/parent")
        );
        let mut sub = json!({
            "actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "http://x.example/v"},
            "object": {"objectType": "SubStatement", "actor": {"mbox": "mailto:a@example.com"},
                       "verb": {"id": "http://x.example/v"}, "object": {"id": "http://x.example/a"},
                       "context": {"contextActivities": {"other": {"id": "http://x.example/o"}}}}
        });
        normalize_statement(&mut sub);
        assert_eq!(
            sub["object"]["context"]["contextActivities"]["other"],
            json!([{"id": "http://x.example/o"}])
        );
    }

    #[test]
    fn format_parameter() {
        assert_eq!(
            StatementFormat::from_param("ids"),
            Some(StatementFormat::Ids)
        );
        assert_eq!(StatementFormat::from_param("IDS"), None);
        assert_eq!(StatementFormat::default(), StatementFormat::Exact);
        assert_eq!(StatementFormat::Exact.apply(&statement(), &[]), statement());
    }
}
