//! Property tests: nothing a client sends panics the validator or its helpers, valid statements
//! always yield facts, and the `format` transforms keep valid statements valid.

use mycel_xapi::datatypes::{is_iri, is_language_tag, is_media_type};
use mycel_xapi::{
    format_canonical, format_ids, format_timestamp_utc, normalize_statement, parse_accept_language,
    parse_agent_param, parse_timestamp, parse_uuid, prepare_statement, statements_match,
    truncate_duration, validate_batch, validate_duration, validate_statement, Assignment,
    ObjectKey, StatementFacts, XapiVersion,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const VERSIONS: [XapiVersion; 2] = [XapiVersion::V1_0_3, XapiVersion::V2_0];

/// Keys that steer arbitrary JSON into the validator's deeper branches.
const KEYS: &[&str] = &[
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
    "objectType",
    "mbox",
    "mbox_sha1sum",
    "openid",
    "account",
    "homePage",
    "name",
    "member",
    "display",
    "definition",
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
    "score",
    "scaled",
    "raw",
    "min",
    "max",
    "success",
    "completion",
    "response",
    "duration",
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "parent",
    "grouping",
    "category",
    "other",
    "revision",
    "platform",
    "language",
    "statement",
    "contextAgents",
    "contextGroups",
    "agent",
    "group",
    "relevantTypes",
    "usageType",
    "contentType",
    "length",
    "sha2",
    "fileUrl",
    "en-US",
    "x",
];

/// Strings that are sometimes valid values.
const STRINGS: &[&str] = &[
    "Agent",
    "Group",
    "Activity",
    "SubStatement",
    "StatementRef",
    "contextAgent",
    "contextGroup",
    "mailto:a@example.com",
    "http://example.com/a",
    "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "2026-11-25T09:30:00Z",
    "PT1H",
    "choice",
    "likert",
    "en-US",
    "1.0.3",
    "2.0.0",
    "cd9b00a5611f94eaa7b1661edab976068e364975",
    "http://adlnet.gov/expapi/verbs/voided",
    "",
];

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|n| json!(n)),
        prop::sample::select(STRINGS).prop_map(|s| json!(s)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<String, Value>>(),
                )
            }),
        ]
    })
}

fn agent() -> impl Strategy<Value = Value> {
    let word = "[a-z]{1,8}";
    prop_oneof![
        word.prop_map(|w| json!({"mbox": format!("mailto:{w}@example.com")})),
        "[0-9a-f]{40}".prop_map(|h| json!({"mbox_sha1sum": h})),
        word.prop_map(|w| json!({"objectType": "Agent", "openid": format!("https://id.example.com/{w}")})),
        (word, ".{0,10}").prop_map(|(h, n)| json!({"name": n, "account": {"homePage": format!("https://{h}.example.com"), "name": n}})),
    ]
}

fn actor() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => agent(),
        1 => prop::collection::vec(agent(), 1..4).prop_map(|m| json!({"objectType": "Group", "member": m})),
        1 => (agent(), prop::collection::vec(agent(), 0..3)).prop_map(|(g, m)| {
            let mut g = g;
            if let Some(o) = g.as_object_mut() {
                o.insert("objectType".into(), json!("Group"));
                o.insert("member".into(), json!(m));
            }
            g
        }),
    ]
}

fn language_map() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop::sample::select(&["en", "en-US", "en-GB", "de", "de-DE", "fr-CA", "zh-Hant-TW"][..]),
        ".{0,10}",
        1..4,
    )
    .prop_map(|m| json!(m))
}

fn activity() -> impl Strategy<Value = Value> {
    ("[a-z]{1,10}", prop::option::of(language_map()), prop::option::of(language_map())).prop_map(
        |(path, name, description)| {
            let mut definition = Map::new();
            if let Some(name) = name {
                definition.insert("name".into(), name);
            }
            if let Some(description) = description {
                definition.insert("description".into(), description);
            }
            json!({"objectType": "Activity", "id": format!("http://mycel.example/{path}"), "definition": definition})
        },
    )
}

fn verb() -> impl Strategy<Value = Value> {
    ("[a-z]{1,10}", language_map()).prop_map(
        |(v, display)| json!({"id": format!("http://mycel.example/verbs/{v}"), "display": display}),
    )
}

fn score() -> impl Strategy<Value = Value> {
    (-1.0f64..=1.0, -100.0f64..100.0, 0.0f64..1.0, 1.0f64..100.0).prop_map(
        |(scaled, min, at, span)| {
            let max = min + span;
            json!({"scaled": scaled, "min": min, "max": max, "raw": min + at * span})
        },
    )
}

fn timestamp() -> impl Strategy<Value = String> {
    (0i64..4_102_444_800, 0u32..1_000_000_000, -12i32..=14).prop_map(|(secs, nanos, hours)| {
        let at = chrono::DateTime::from_timestamp(secs, nanos).unwrap_or_default();
        let offset =
            chrono::FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| chrono::Utc.fix());
        at.with_timezone(&offset)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    })
}

use chrono::Offset;

fn core_statement(object: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        actor(),
        verb(),
        object,
        prop::option::of(score()),
        prop::option::of(timestamp()),
        prop::collection::vec(activity(), 0..3),
        prop::option::of(actor()),
    )
        .prop_map(
            |(actor, verb, object, score, timestamp, parents, instructor)| {
                let mut s = json!({"actor": actor, "verb": verb, "object": object});
                if let Some(score) = score {
                    s["result"] = json!({"score": score, "duration": "PT1M2.345S"});
                }
                if let Some(timestamp) = timestamp {
                    s["timestamp"] = json!(timestamp);
                }
                let mut context = Map::new();
                if !parents.is_empty() {
                    context.insert("contextActivities".into(), json!({"parent": parents}));
                }
                if let Some(instructor) = instructor {
                    context.insert("instructor".into(), instructor);
                }
                if !context.is_empty() {
                    s["context"] = Value::Object(context);
                }
                s
            },
        )
}

fn valid_statement() -> impl Strategy<Value = Value> {
    let simple_object = prop_oneof![
        activity(),
        agent().prop_map(|mut a| {
            a["objectType"] = json!("Agent");
            a
        }),
        Just(json!({"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"})),
    ]
    .boxed();
    let sub = core_statement(simple_object.clone()).prop_map(|mut s| {
        s["objectType"] = json!("SubStatement");
        s
    });
    let object = prop_oneof![3 => simple_object, 1 => sub].boxed();
    core_statement(object)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        for version in VERSIONS {
            let _ = validate_statement(&value, version);
            let _ = validate_batch(&value, version);
            let _ = StatementFacts::from_statement(&value, version);
        }
        let _ = format_ids(&value);
        let _ = format_canonical(&value, &["en-GB".to_owned(), "*".to_owned()]);
        let mut normalized = value.clone();
        normalize_statement(&mut normalized);
        let _ = parse_agent_param(&value.to_string());
    }

    #[test]
    fn statement_like_json_never_panics(
        actor in arbitrary_json(), verb in arbitrary_json(), object in arbitrary_json(),
        context in arbitrary_json(), result in arbitrary_json(),
    ) {
        let s = json!({"actor": actor, "verb": verb, "object": object, "context": context, "result": result});
        for version in VERSIONS {
            let _ = validate_statement(&s, version);
            let _ = StatementFacts::from_statement(&s, version);
        }
        let _ = format_ids(&s);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in ".{0,40}") {
        for version in VERSIONS {
            let _ = parse_timestamp(&text, version);
            let _ = XapiVersion::from_header(&text);
            let _ = version.accepts_statement_version(&text);
        }
        let _ = validate_duration(&text);
        let _ = truncate_duration(&text);
        let _ = is_language_tag(&text);
        let _ = is_iri(&text);
        let _ = is_media_type(&text);
        let _ = parse_uuid(&text);
        let _ = parse_agent_param(&text);
        let _ = parse_accept_language(&text);
    }

    #[test]
    fn format_like_strings_never_panic(
        text in "[0-9PTYMWDHS.,:+\\-Zz]{0,30}",
        ts in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{0,12})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?",
    ) {
        let _ = validate_duration(&text);
        let _ = truncate_duration(&text);
        for version in VERSIONS {
            let _ = parse_timestamp(&ts, version);
            let _ = parse_timestamp(&text, version);
        }
    }

    #[test]
    fn valid_statements_yield_facts_and_stay_valid_when_formatted(s in valid_statement()) {
        for version in VERSIONS {
            prop_assert_eq!(validate_statement(&s, version), Ok(()));
            let facts = StatementFacts::from_statement(&s, version);
            prop_assert!(facts.is_ok(), "{:?}", facts);
            if let Ok(facts) = facts {
                prop_assert!(!facts.related_agents.is_empty());
                if let ObjectKey::Activity(id) = &facts.object {
                    prop_assert_eq!(facts.related_activity_ids.first(), Some(id));
                }
            }
            let ids = format_ids(&s);
            prop_assert_eq!(validate_statement(&ids, version), Ok(()), "{}", ids);
            prop_assert_eq!(format_ids(&ids), ids.clone());
            let canonical = format_canonical(&s, &["de".to_owned()]);
            prop_assert_eq!(validate_statement(&canonical, version), Ok(()), "{}", canonical);
            let mut normalized = s.clone();
            normalize_statement(&mut normalized);
            prop_assert_eq!(validate_statement(&normalized, version), Ok(()));
        }
    }

    #[test]
    fn prepared_statements_match_what_was_sent(s in valid_statement(), id in any::<u128>(), secs in 0i64..4_102_444_800) {
        let assignment = Assignment {
            id: uuid::Uuid::from_u128(id),
            stored: chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default(),
            authority: Some(json!({"mbox": "mailto:lrs@example.com"})),
        };
        for version in VERSIONS {
            let prepared = prepare_statement(&s, version, &assignment);
            prop_assert!(prepared.is_ok(), "{:?}", prepared);
            if let Ok(prepared) = prepared {
                prop_assert!(statements_match(&s, &prepared.statement), "{}", prepared.statement);
                prop_assert!(statements_match(&prepared.statement, &s));
                prop_assert_eq!(validate_statement(&prepared.statement, version), Ok(()));
                let again = prepare_statement(&prepared.statement, version, &assignment);
                prop_assert_eq!(again.map(|p| p.statement), Ok(prepared.statement.clone()));
            }
        }
    }

    #[test]
    fn changed_statements_do_not_match(s in valid_statement(), verb in "[a-z]{11,12}") {
        let mut changed = s.clone();
        changed["verb"]["id"] = json!(format!("http://mycel.example/verbs/{verb}"));
        prop_assert!(!statements_match(&s, &changed));
    }

    #[test]
    fn canonical_language_maps_have_one_entry(map in language_map(), preferred in prop::collection::vec("[a-z]{2}(-[A-Z]{2})?", 0..3)) {
        let s = json!({
            "actor": {"mbox": "mailto:a@example.com"},
            "verb": {"id": "http://mycel.example/v", "display": map},
        });
        let canonical = format_canonical(&s, &preferred);
        prop_assert_eq!(canonical["verb"]["display"].as_object().map(Map::len), Some(1));
    }

    #[test]
    fn timestamps_round_trip_through_utc(text in timestamp()) {
        let parsed = parse_timestamp(&text, XapiVersion::V2_0);
        prop_assert!(parsed.is_ok(), "{} rejected: {:?}", text, parsed);
        if let Ok(parsed) = parsed {
            let stored = format_timestamp_utc(&parsed);
            prop_assert!(stored.ends_with('Z'));
            prop_assert_eq!(parse_timestamp(&stored, XapiVersion::V2_0), Ok(parsed));
        }
    }

    #[test]
    fn composed_durations_are_valid(
        y in prop::option::of(0u32..100), mo in prop::option::of(0u32..100), d in prop::option::of(0u32..100),
        h in prop::option::of(0u32..100), mi in prop::option::of(0u32..100), s in prop::option::of(0u32..100000),
        fraction in prop::option::of("[0-9]{1,6}"),
    ) {
        let mut text = String::from("P");
        for (value, designator) in [(y, 'Y'), (mo, 'M'), (d, 'D')] {
            if let Some(v) = value { text.push_str(&format!("{v}{designator}")); }
        }
        if h.is_some() || mi.is_some() || s.is_some() {
            text.push('T');
            for (value, designator) in [(h, 'H'), (mi, 'M')] {
                if let Some(v) = value { text.push_str(&format!("{v}{designator}")); }
            }
            if let Some(v) = s {
                text.push_str(&v.to_string());
                if let Some(f) = &fraction { text.push('.'); text.push_str(f); }
                text.push('S');
            }
        }
        let has_component = [y, mo, d, h, mi, s].iter().any(Option::is_some);
        prop_assert_eq!(validate_duration(&text).is_ok(), has_component, "{}", text);
        if has_component {
            prop_assert!(validate_duration(&truncate_duration(&text)).is_ok());
        }
    }
}
