//! Arbitrary sequences of statements (valid ones, damaged ones, junk) and LMS actions never panic,
//! never accept anything after "terminated" or "abandoned", and never break the verb rules of 9.3.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use mycel_cmi5::{Cmi5Verb, LaunchMode, SessionState, StatementKind};
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
enum Step {
    Defined(Cmi5Verb, Option<f64>),
    Allowed,
    /// A defined statement with one top-level or context part removed.
    Damaged(Cmi5Verb, usize),
    Junk(Value),
    Abandon,
    PreferencesRead,
}

fn verb() -> impl Strategy<Value = Cmi5Verb> {
    prop_oneof![
        Just(Cmi5Verb::Initialized),
        Just(Cmi5Verb::Completed),
        Just(Cmi5Verb::Passed),
        Just(Cmi5Verb::Failed),
        Just(Cmi5Verb::Terminated),
    ]
}

fn junk() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-z:/.]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("verb".to_owned()),
                    Just("context".to_owned()),
                    Just("timestamp".to_owned()),
                    Just("result".to_owned()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (verb(), proptest::option::of(0.0f64..=1.0)).prop_map(|(v, s)| Step::Defined(v, s)),
        3 => Just(Step::Allowed),
        3 => (verb(), 0usize..8).prop_map(|(v, i)| Step::Damaged(v, i)),
        1 => junk().prop_map(Step::Junk),
        1 => Just(Step::Abandon),
        1 => Just(Step::PreferencesRead),
    ]
}

fn damage(mut statement: Value, which: usize) -> Value {
    let remove = |v: &mut Value, key: &str| {
        if let Some(o) = v.as_object_mut() {
            o.remove(key);
        }
    };
    match which {
        0 => remove(&mut statement, "timestamp"),
        1 => remove(&mut statement, "context"),
        2 => remove(&mut statement, "result"),
        3 => remove(&mut statement["context"], "registration"),
        4 => remove(&mut statement["context"], "extensions"),
        5 => remove(&mut statement["context"]["contextActivities"], "category"),
        6 => statement["actor"] = json!({"mbox": "mailto:x@example.com"}),
        _ => statement["object"]["id"] = json!("https://elsewhere.example.com"),
    }
    statement
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn sessions_keep_their_rules(
        steps in prop::collection::vec(step(), 0..24),
        mode in prop_oneof![Just(LaunchMode::Normal), Just(LaunchMode::Browse), Just(LaunchMode::Review)],
    ) {
        let course = one_au_course("CompletedAndPassed", Some("0.6"));
        let reg = new_registration();
        let (mut session, au) = launched(&course, &reg, 0, "s-1", mode);
        let mut initialized = 0;
        let mut completed = 0;
        let mut judged = 0;
        let mut ended = false;
        let mut abandoned = 0;
        for (i, step) in steps.into_iter().enumerate() {
            let now = t(i as i64);
            let statement = match step {
                Step::Abandon => {
                    let was_open = session.is_open();
                    let out = session.abandon(now);
                    prop_assert_eq!(out.is_some(), was_open);
                    if out.is_some() { abandoned += 1; }
                    ended = true;
                    continue;
                }
                Step::PreferencesRead => {
                    session.note_learner_preferences_read();
                    continue;
                }
                Step::Defined(verb, Some(scaled)) if matches!(verb, Cmi5Verb::Passed | Cmi5Verb::Failed) => au.scored(verb, scaled),
                Step::Defined(verb, _) => au.defined(verb),
                Step::Allowed => au.allowed("http://adlnet.gov/expapi/verbs/experienced"),
                Step::Damaged(verb, which) => damage(au.defined(verb), which),
                Step::Junk(value) => value,
            };
            let before = session.clone();
            match session.accept(&statement, now) {
                Ok(accepted) => {
                    prop_assert!(!ended, "accepted after the session ended: {}", statement);
                    match accepted.kind {
                        StatementKind::Defined(Cmi5Verb::Initialized) => initialized += 1,
                        StatementKind::Defined(Cmi5Verb::Terminated) => ended = true,
                        StatementKind::Defined(Cmi5Verb::Completed) => completed += 1,
                        StatementKind::Defined(Cmi5Verb::Passed | Cmi5Verb::Failed) => judged += 1,
                        StatementKind::Allowed => {}
                    }
                    prop_assert!(initialized == 1, "something accepted before initialized");
                    if mode != LaunchMode::Normal {
                        prop_assert!(completed == 0 && judged == 0);
                    }
                }
                Err(violation) => {
                    prop_assert_eq!(&session, &before);
                    let prefix = format!("cmi5 {}", violation.section());
                    prop_assert!(violation.to_string().starts_with(&prefix), "{}", violation);
                }
            }
            prop_assert!(completed <= 1 && judged <= 1 && abandoned <= 1);
        }
        if ended {
            prop_assert!(matches!(session.state(), SessionState::Terminated | SessionState::Abandoned));
            prop_assert!(session.accept(&au.allowed("http://adlnet.gov/expapi/verbs/experienced"), t(99)).is_err());
            prop_assert!(session.accept(&au.defined(Cmi5Verb::Terminated), t(99)).is_err());
        }
    }
}
