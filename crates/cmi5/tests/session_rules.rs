//! The rules an AU session's statements must follow (cmi5 7.1, 9, 10.2.2, 8.2), each case with the
//! section it checks; the cases follow CATAPULT's LMS test AUs 005-1, 005-2, 006 and 007.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use mycel_cmi5::{
    vocab, Accepted, AuOutcome, Cmi5Verb, Cmi5Violation, FetchError, LaunchMode, SessionState,
    StatementKind,
};
use serde_json::{json, Value};

fn course() -> mycel_package::Cmi5Course {
    one_au_course("CompletedOrPassed", Some("0.9"))
}

/// Asserts the statement is refused with `expected`, whose message names `section`, and that the
/// refusal changed nothing.
fn refused(
    session: &mut mycel_cmi5::AuSession,
    statement: &Value,
    expected: Cmi5Violation,
    section: &str,
) {
    let before = session.clone();
    let err = session.accept(statement, t(5)).unwrap_err();
    assert_eq!(err, expected, "statement: {statement}");
    assert_eq!(err.section(), section);
    assert!(
        err.to_string().starts_with(&format!("cmi5 {section}")),
        "message {err} should name section {section}"
    );
    assert_eq!(*session, before, "a refused statement must change nothing");
}

fn defined(verb: Cmi5Verb) -> Accepted {
    let outcome = match verb {
        Cmi5Verb::Completed => Some(AuOutcome::Completed),
        Cmi5Verb::Passed => Some(AuOutcome::Passed),
        Cmi5Verb::Failed => Some(AuOutcome::Failed),
        _ => None,
    };
    Accepted {
        kind: StatementKind::Defined(verb),
        outcome,
    }
}

/// 7.1.1, 9.3: "The initialized verb MUST be the first statement (cmi5 allowed or defined)".
#[test]
fn the_first_statement_must_be_initialized() {
    let course = course();
    let reg = new_registration();
    let (mut session, au) = launched(&course, &reg, 0, "s-1", LaunchMode::Normal);
    for early in [
        au.allowed("http://adlnet.gov/expapi/verbs/experienced"),
        au.defined(Cmi5Verb::Completed),
        au.defined(Cmi5Verb::Terminated),
        // "initialized" without the cmi5 category is only "cmi5 allowed".
        with(&au.defined(Cmi5Verb::Initialized), |s| {
            s["context"]["contextActivities"]
                .as_object_mut()
                .unwrap()
                .remove("category");
        }),
    ] {
        let verb = early["verb"]["id"].as_str().unwrap().to_owned();
        refused(
            &mut session,
            &early,
            Cmi5Violation::NotInitialized { verb },
            "7.1.1",
        );
    }
    assert_eq!(
        session.accept(&au.defined(Cmi5Verb::Initialized), t(1)),
        Ok(defined(Cmi5Verb::Initialized))
    );
    assert_eq!(session.state(), SessionState::Initialized);
    // 9.3.2: not twice in a session.
    refused(
        &mut session,
        &au.defined(Cmi5Verb::Initialized),
        Cmi5Violation::InitializedTwice,
        "9.3.2",
    );
}

/// 11.0: the AU reads the learner preferences before "initialized" (CATAPULT 005-1, 11.0.0.0-3).
#[test]
fn initialized_needs_the_learner_preferences_read() {
    let course = course();
    let reg = new_registration();
    let activities = mycel_cmi5::CourseActivities::new(&course, ACTIVITY_BASE).unwrap();
    let au = course.aus()[0];
    let launch = mycel_cmi5::AuLaunch::new(
        au,
        activities.au_activity_id(&au.id),
        "s-1",
        LaunchMode::Normal,
    );
    let prepared =
        mycel_cmi5::AuSession::launch(&reg, &launch, &au.url, ENDPOINT, FETCH, t(0)).unwrap();
    let view = Au::from_launch(&prepared.url, &prepared.launch_data);
    let mut session = prepared.session.clone();
    refused(
        &mut session,
        &view.defined(Cmi5Verb::Initialized),
        Cmi5Violation::LearnerPreferencesNotRead,
        "11.0",
    );
    session.note_learner_preferences_read();
    assert!(session
        .accept(&view.defined(Cmi5Verb::Initialized), t(1))
        .is_ok());
    // The requirement can be switched off for content that does not read them.
    let mut lenient = prepared.session.require_learner_preferences(false);
    assert!(lenient
        .accept(&view.defined(Cmi5Verb::Initialized), t(1))
        .is_ok());
}

/// 9.3.8, 7.1.2: "terminated" ends the session; nothing, allowed or defined, may follow.
#[test]
fn nothing_follows_terminated() {
    let course = course();
    let reg = new_registration();
    let (mut session, au) = initialized(&course, &reg, "s-1", LaunchMode::Normal);
    assert_eq!(
        session.accept(&au.defined(Cmi5Verb::Terminated), t(9)),
        Ok(defined(Cmi5Verb::Terminated))
    );
    assert_eq!(session.state(), SessionState::Terminated);
    assert!(!session.is_open());
    for after in [
        au.allowed("http://adlnet.gov/expapi/verbs/experienced"),
        au.defined(Cmi5Verb::Completed),
        au.defined(Cmi5Verb::Terminated),
        au.defined(Cmi5Verb::Initialized),
    ] {
        refused(
            &mut session,
            &after,
            Cmi5Violation::AfterTerminated,
            "9.3.8",
        );
    }
    // 8.2.3: the fetch URL is dead too.
    assert_eq!(session.issue_auth_token(), Err(FetchError::SessionEnded));
}

/// 7.1.3: "cmi5 allowed" statements between initialized and terminated are accepted and do not
/// count for satisfaction; they still need the context template (9.6.1, 9.6.3.1, 9.6.2.3) and
/// must not carry the moveOn category (9.6.2.2).
#[test]
fn allowed_statements() {
    let course = course();
    let reg = new_registration();
    let (mut session, au) = initialized(&course, &reg, "s-1", LaunchMode::Normal);
    let experienced = au.allowed("http://adlnet.gov/expapi/verbs/experienced");
    assert_eq!(
        session.accept(&experienced, t(3)),
        Ok(Accepted {
            kind: StatementKind::Allowed,
            outcome: None
        })
    );
    // An allowed statement may be about another activity (an interaction, a page).
    let page = with(&experienced, |s| {
        s["object"]["id"] = json!("https://cdn.example.com/au/1/page/3")
    });
    assert!(session.accept(&page, t(3)).is_ok());
    // A cmi5 verb without the cmi5 category is merely allowed: it completes nothing.
    let plain_completed = with(&au.defined(Cmi5Verb::Completed), |s| {
        s["context"]["contextActivities"]
            .as_object_mut()
            .unwrap()
            .remove("category");
    });
    assert_eq!(
        session.accept(&plain_completed, t(3)).unwrap().kind,
        StatementKind::Allowed
    );
    assert!(!session.progress().completed);

    refused(
        &mut session,
        &with(&experienced, |s| {
            s["context"]["contextActivities"]["category"] =
                json!([{ "id": vocab::CATEGORY_MOVEON }])
        }),
        Cmi5Violation::MoveOnCategoryNotAllowed,
        "9.6.2.2",
    );
    refused(
        &mut session,
        &with(&experienced, |s| {
            s["context"]["extensions"]
                .as_object_mut()
                .unwrap()
                .remove(vocab::EXT_SESSION_ID);
        }),
        Cmi5Violation::WrongSessionId {
            expected: "s-1".into(),
            found: "missing".into(),
        },
        "9.6.3.1",
    );
    refused(
        &mut session,
        &with(&experienced, |s| {
            s["context"]["contextActivities"]["grouping"] = json!([])
        }),
        Cmi5Violation::MissingPublisherId {
            expected: "https://pub.example.com/au/1".into(),
        },
        "9.6.2",
    );
    // 7.1.3: the cmi5 category on a verb cmi5 does not define makes it "not allowed".
    refused(
        &mut session,
        &with(&experienced, |s| {
            s["context"]["contextActivities"]["category"] = json!([{ "id": vocab::CATEGORY_CMI5 }])
        }),
        Cmi5Violation::CategoryOnOtherVerb {
            verb: "http://adlnet.gov/expapi/verbs/experienced".into(),
        },
        "7.1.3",
    );
}

/// 6.3, 9.3, 9.7, 9.2, 9.4, 9.6: statement-level rules, as CATAPULT 005-1 sends them.
#[test]
fn statement_level_rules() {
    let course = course();
    let reg = new_registration();
    let (mut session, au) = initialized(&course, &reg, "s-1", LaunchMode::Normal);
    let allowed = au.allowed("http://adlnet.gov/expapi/verbs/experienced");
    let passed = au.scored(Cmi5Verb::Passed, 0.9);
    let reg_text = registration_id().to_string();

    // 6.3: no voiding by the AU.
    let voiding = with(&allowed, |s| {
        s["verb"]["id"] = json!(vocab::VERB_VOIDED);
        s["object"] =
            json!({ "objectType": "StatementRef", "id": "5a7e9d1c-7f0e-4c55-9c1d-2a1c3b4d5e6f" });
    });
    refused(&mut session, &voiding, Cmi5Violation::Voiding, "6.3");
    // 9.3: the LMS's verbs are the LMS's.
    for lms_verb in [
        vocab::VERB_LAUNCHED,
        vocab::VERB_SATISFIED,
        vocab::VERB_WAIVED,
        vocab::VERB_ABANDONED,
    ] {
        refused(
            &mut session,
            &with(&allowed, |s| s["verb"]["id"] = json!(lms_verb)),
            Cmi5Violation::LmsVerb {
                verb: lms_verb.into(),
            },
            "9.3",
        );
    }
    // 9.7: a UTC timestamp.
    refused(
        &mut session,
        &with(&allowed, |s| {
            s.as_object_mut().unwrap().remove("timestamp");
        }),
        Cmi5Violation::MissingTimestamp,
        "9.7",
    );
    refused(
        &mut session,
        &with(&allowed, |s| {
            s["timestamp"] = json!("2025-03-01T04:00:30.000-06:00")
        }),
        Cmi5Violation::TimestampNotUtc("2025-03-01T04:00:30.000-06:00".into()),
        "9.7",
    );
    assert!(session
        .accept(
            &with(&allowed, |s| s["timestamp"] =
                json!("2025-03-01T10:00:30+00:00")),
            t(4)
        )
        .is_ok());
    // 9.2: an Agent with the launched account.
    for actor in [
        json!({ "objectType": "Group", "account": au.actor["account"] }),
        json!({ "objectType": "Agent", "mbox": "mailto:catapult@example.com" }),
        json!({ "objectType": "Agent", "account": { "homePage": "https://lms.example.com", "name": "someone-else" } }),
    ] {
        let err = session
            .accept(&with(&passed, |s| s["actor"] = actor.clone()), t(5))
            .unwrap_err();
        assert!(matches!(err, Cmi5Violation::Actor(_)), "{err}");
        assert_eq!(err.section(), "9.2");
    }
    // 9.4, 8.1.5: the object is the AU's activity id.
    refused(
        &mut session,
        &with(&passed, |s| {
            s["object"]["id"] = json!("http://example.com/not/the/lms/id")
        }),
        Cmi5Violation::WrongObject {
            expected: au.activity_id.clone(),
            found: "\"http://example.com/not/the/lms/id\"".into(),
        },
        "9.4",
    );
    // 9.6: a context; 9.6.1 with the registration of the launch.
    refused(
        &mut session,
        &with(&passed, |s| {
            s.as_object_mut().unwrap().remove("context");
        }),
        Cmi5Violation::MissingContext,
        "9.6",
    );
    refused(
        &mut session,
        &with(&passed, |s| {
            s["context"].as_object_mut().unwrap().remove("registration");
        }),
        Cmi5Violation::WrongRegistration {
            expected: reg_text.clone(),
            found: "missing".into(),
        },
        "9.6.1",
    );
    refused(
        &mut session,
        &with(&passed, |s| {
            s["context"]["registration"] = json!("ccaf384c-f8d4-4e7a-8304-49af58f0b176")
        }),
        Cmi5Violation::WrongRegistration {
            expected: reg_text,
            found: "\"ccaf384c-f8d4-4e7a-8304-49af58f0b176\"".into(),
        },
        "9.6.1",
    );
    refused(
        &mut session,
        &with(&passed, |s| {
            s["context"]["extensions"][vocab::EXT_SESSION_ID] = json!("another-session")
        }),
        Cmi5Violation::WrongSessionId {
            expected: "s-1".into(),
            found: "\"another-session\"".into(),
        },
        "9.6.3.1",
    );
    refused(
        &mut session,
        &json!([1, 2]),
        Cmi5Violation::NotAnObject,
        "9",
    );
}

/// 9.5.1–9.5.4, 9.6.2.2: result and category rules of defined statements.
#[test]
fn result_rules() {
    let course = course();
    let reg = new_registration();
    let (mut session, au) = initialized(&course, &reg, "s-1", LaunchMode::Normal);
    let completed = au.defined(Cmi5Verb::Completed);
    let passed = au.scored(Cmi5Verb::Passed, 0.9);
    let failed = au.scored(Cmi5Verb::Failed, 0.89);
    let terminated = au.defined(Cmi5Verb::Terminated);
    let drop_result = |st: &Value, key: &str| {
        let key = key.to_owned();
        with(st, move |s| {
            s["result"].as_object_mut().unwrap().remove(&key);
        })
    };
    let pop_moveon = |st: &Value| {
        with(st, |s| {
            s["context"]["contextActivities"]["category"]
                .as_array_mut()
                .unwrap()
                .pop();
        })
    };
    let cases: Vec<(Value, Cmi5Violation, &str)> = vec![
        // 9.5.3
        (
            with(&passed, |s| s["result"]["completion"] = json!(true)),
            Cmi5Violation::CompletionNotAllowed { verb: "passed" },
            "9.5.3",
        ),
        (
            drop_result(&completed, "completion"),
            Cmi5Violation::CompletionRequired { verb: "completed" },
            "9.5.3",
        ),
        (
            with(&completed, |s| s["result"]["completion"] = json!(false)),
            Cmi5Violation::CompletionRequired { verb: "completed" },
            "9.5.3",
        ),
        // 9.5.2
        (
            with(&completed, |s| s["result"]["success"] = json!(true)),
            Cmi5Violation::SuccessNotAllowed { verb: "completed" },
            "9.5.2",
        ),
        (
            drop_result(&passed, "success"),
            Cmi5Violation::SuccessRequired {
                verb: "passed",
                expected: true,
            },
            "9.5.2",
        ),
        (
            with(&passed, |s| s["result"]["success"] = json!(false)),
            Cmi5Violation::SuccessRequired {
                verb: "passed",
                expected: true,
            },
            "9.5.2",
        ),
        (
            drop_result(&failed, "success"),
            Cmi5Violation::SuccessRequired {
                verb: "failed",
                expected: false,
            },
            "9.5.2",
        ),
        (
            with(&failed, |s| s["result"]["success"] = json!(true)),
            Cmi5Violation::SuccessRequired {
                verb: "failed",
                expected: false,
            },
            "9.5.2",
        ),
        // 9.5.1
        (
            with(&completed, |s| {
                s["result"]["score"] = json!({"raw": 50, "scaled": 0.5, "min": 0, "max": 100})
            }),
            Cmi5Violation::ScoreNotAllowed { verb: "completed" },
            "9.5.1",
        ),
        (
            with(&passed, |s| {
                s["result"]["score"].as_object_mut().unwrap().remove("min");
            }),
            Cmi5Violation::RawScoreWithoutRange,
            "9.5.1",
        ),
        (
            with(&passed, |s| {
                s["result"]["score"].as_object_mut().unwrap().remove("max");
            }),
            Cmi5Violation::RawScoreWithoutRange,
            "9.5.1",
        ),
        // 9.5.4.1
        (
            with(&terminated, |s| {
                s.as_object_mut().unwrap().remove("result");
            }),
            Cmi5Violation::MissingDuration { verb: "terminated" },
            "9.5.4.1",
        ),
        (
            drop_result(&terminated, "duration"),
            Cmi5Violation::MissingDuration { verb: "terminated" },
            "9.5.4.1",
        ),
        (
            drop_result(&completed, "duration"),
            Cmi5Violation::MissingDuration { verb: "completed" },
            "9.5.4.1",
        ),
        (
            drop_result(&passed, "duration"),
            Cmi5Violation::MissingDuration { verb: "passed" },
            "9.5.4.1",
        ),
        (
            drop_result(&failed, "duration"),
            Cmi5Violation::MissingDuration { verb: "failed" },
            "9.5.4.1",
        ),
        // 9.6.2.2
        (
            pop_moveon(&completed),
            Cmi5Violation::MoveOnCategoryMissing { verb: "completed" },
            "9.6.2.2",
        ),
        (
            pop_moveon(&passed),
            Cmi5Violation::MoveOnCategoryMissing { verb: "passed" },
            "9.6.2.2",
        ),
        (
            pop_moveon(&failed),
            Cmi5Violation::MoveOnCategoryMissing { verb: "failed" },
            "9.6.2.2",
        ),
        (
            with(&terminated, |s| {
                s["context"]["contextActivities"]["category"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({ "id": vocab::CATEGORY_MOVEON }))
            }),
            Cmi5Violation::MoveOnCategoryNotAllowed,
            "9.6.2.2",
        ),
        // 9.3.4, 9.3.5: scores against masteryScore 0.9.
        (
            with(&passed, |s| {
                s["result"]["score"] = json!({ "scaled": 0.89 })
            }),
            Cmi5Violation::PassedBelowMastery {
                scaled: 0.89,
                mastery: 0.9,
            },
            "9.3.4",
        ),
        (
            with(&failed, |s| s["result"]["score"] = json!({ "scaled": 0.9 })),
            Cmi5Violation::FailedAtOrAboveMastery {
                scaled: 0.9,
                mastery: 0.9,
            },
            "9.3.5",
        ),
        (
            with(&failed, |s| {
                s["result"]["score"] = json!({ "scaled": 0.91 })
            }),
            Cmi5Violation::FailedAtOrAboveMastery {
                scaled: 0.91,
                mastery: 0.9,
            },
            "9.3.5",
        ),
    ];
    for (statement, expected, section) in cases {
        refused(&mut session, &statement, expected, section);
    }
    // 9.6.3.2: the masteryscore extension, when judged by a score, is the launch data's.
    let err = session
        .accept(
            &with(&passed, |s| {
                s["context"]["extensions"]
                    .as_object_mut()
                    .unwrap()
                    .remove(vocab::EXT_MASTERY_SCORE);
            }),
            t(5),
        )
        .unwrap_err();
    assert_eq!(err.section(), "9.6.3.2");
    let err = session
        .accept(
            &with(&passed, |s| {
                s["context"]["extensions"][vocab::EXT_MASTERY_SCORE] = json!(0.8)
            }),
            t(5),
        )
        .unwrap_err();
    assert_eq!(err.section(), "9.6.3.2");
    assert!(err.to_string().contains("0.8"), "{err}");
    // The valid ones are accepted: score equal to the mastery score passes (9.3.4 "equal to or greater").
    assert_eq!(
        session.accept(&completed, t(6)),
        Ok(defined(Cmi5Verb::Completed))
    );
    assert_eq!(session.accept(&passed, t(7)), Ok(defined(Cmi5Verb::Passed)));
}

/// 9.3: verb order in the session and the registration (CATAPULT 005-1, 005-2, 007-1, 007-2).
#[test]
fn verb_order_in_session_and_registration() {
    let course = course();
    let mut reg = new_registration();
    let activities = mycel_cmi5::CourseActivities::new(&course, ACTIVITY_BASE).unwrap();

    // Session 1: completed, completed again refused; passed, passed again and failed refused.
    let (mut s1, au) = initialized(&course, &reg, "s-1", LaunchMode::Normal);
    let completed = au.defined(Cmi5Verb::Completed);
    let accepted = s1.accept(&completed, t(2)).unwrap();
    reg.record_accepted(&activities, &s1, &accepted, t(2))
        .unwrap();
    refused(&mut s1, &completed, Cmi5Violation::CompletedTwice, "9.3");
    let passed = au.scored(Cmi5Verb::Passed, 0.95);
    let accepted = s1.accept(&passed, t(3)).unwrap();
    reg.record_accepted(&activities, &s1, &accepted, t(3))
        .unwrap();
    refused(&mut s1, &passed, Cmi5Violation::PassedTwice, "9.3");
    refused(
        &mut s1,
        &au.scored(Cmi5Verb::Failed, 0.5),
        Cmi5Violation::PassedOrFailedTwice { earlier: "passed" },
        "9.3",
    );
    s1.accept(&au.defined(Cmi5Verb::Terminated), t(4)).unwrap();

    // Session 2 in the same registration: completed and passed were used up; failed may not
    // follow passed.
    let (mut s2, au2) = initialized(&course, &reg, "s-2", LaunchMode::Normal);
    assert!(s2.progress().completed && s2.progress().passed);
    refused(
        &mut s2,
        &au2.defined(Cmi5Verb::Completed),
        Cmi5Violation::CompletedTwice,
        "9.3",
    );
    refused(
        &mut s2,
        &au2.defined(Cmi5Verb::Passed),
        Cmi5Violation::PassedTwice,
        "9.3",
    );
    refused(
        &mut s2,
        &au2.defined(Cmi5Verb::Failed),
        Cmi5Violation::FailedAfterPassed,
        "9.3",
    );

    // Another registration: failed, then failed again and passed refused in that session (005-2),
    // but passed is fine in the next session.
    let mut other = new_registration();
    let (mut s3, au3) = initialized(&course, &other, "s-3", LaunchMode::Normal);
    let accepted = s3.accept(&au3.defined(Cmi5Verb::Failed), t(2)).unwrap();
    assert_eq!(accepted.outcome, Some(AuOutcome::Failed));
    other
        .record_accepted(&activities, &s3, &accepted, t(2))
        .unwrap();
    refused(
        &mut s3,
        &au3.defined(Cmi5Verb::Failed),
        Cmi5Violation::PassedOrFailedTwice { earlier: "failed" },
        "9.3",
    );
    refused(
        &mut s3,
        &au3.defined(Cmi5Verb::Passed),
        Cmi5Violation::PassedOrFailedTwice { earlier: "failed" },
        "9.3",
    );
    s3.accept(&au3.defined(Cmi5Verb::Terminated), t(4)).unwrap();
    let (mut s4, au4) = initialized(&course, &other, "s-4", LaunchMode::Normal);
    assert!(s4.progress().failed);
    assert!(s4.accept(&au4.defined(Cmi5Verb::Failed), t(2)).is_ok());
    let (mut s5, au5) = initialized(&course, &other, "s-5", LaunchMode::Normal);
    assert!(s5.accept(&au5.defined(Cmi5Verb::Passed), t(2)).is_ok());
}

/// 10.2.2: in Browse and Review mode only "initialized" and "terminated" (CATAPULT 006).
#[test]
fn browse_and_review_modes() {
    let course = course();
    for (mode, name) in [
        (LaunchMode::Browse, "Browse"),
        (LaunchMode::Review, "Review"),
    ] {
        let reg = new_registration();
        let (mut session, au) = initialized(&course, &reg, "s-1", mode);
        assert_eq!(au.launch_data["launchMode"], name);
        for (verb, verb_name) in [
            (Cmi5Verb::Completed, "completed"),
            (Cmi5Verb::Failed, "failed"),
            (Cmi5Verb::Passed, "passed"),
        ] {
            refused(
                &mut session,
                &au.defined(verb),
                Cmi5Violation::NotInNormalMode {
                    verb: verb_name,
                    mode: name,
                },
                "10.2.2",
            );
        }
        assert!(session
            .accept(
                &au.allowed("http://adlnet.gov/expapi/verbs/experienced"),
                t(3)
            )
            .is_ok());
        assert_eq!(
            session.accept(&au.defined(Cmi5Verb::Terminated), t(4)),
            Ok(defined(Cmi5Verb::Terminated))
        );
        assert_eq!(session.progress(), mycel_cmi5::AuProgress::default());
    }
}

/// 8.2.1, 8.2.3: the fetch URL gives a token once; then error code 1.
#[test]
fn fetch_url_is_one_time() {
    let course = course();
    let reg = new_registration();
    let activities = mycel_cmi5::CourseActivities::new(&course, ACTIVITY_BASE).unwrap();
    let au = course.aus()[0];
    let launch = mycel_cmi5::AuLaunch::new(
        au,
        activities.au_activity_id(&au.id),
        "s-1",
        LaunchMode::Normal,
    );
    let mut session = mycel_cmi5::AuSession::new(&reg, &launch, t(0));
    assert_eq!(session.issue_auth_token(), Ok(()));
    let err = session.issue_auth_token().unwrap_err();
    assert_eq!(err, FetchError::AlreadyUsed);
    assert_eq!(
        err.to_json(),
        json!({"error-code": "1", "error-text": "cmi5 8.2.3.1: the authorization token has already been returned"})
    );
}

/// A batch is all or nothing.
#[test]
fn batches_are_all_or_nothing() {
    let course = course();
    let reg = new_registration();
    let (mut session, au) = launched(&course, &reg, 0, "s-1", LaunchMode::Normal);
    let good = [
        au.defined(Cmi5Verb::Initialized),
        au.allowed("http://adlnet.gov/expapi/verbs/experienced"),
    ];
    let bad = [
        au.defined(Cmi5Verb::Initialized),
        au.defined(Cmi5Verb::Completed),
        au.defined(Cmi5Verb::Completed),
    ];
    let before = session.clone();
    let err = session.accept_batch(&bad, t(1)).unwrap_err();
    assert_eq!(err.index, 2);
    assert_eq!(err.violation, Cmi5Violation::CompletedTwice);
    assert_eq!(session, before);
    let accepted = session.accept_batch(&good, t(1)).unwrap();
    assert_eq!(accepted.len(), 2);
    assert_eq!(session.state(), SessionState::Initialized);
}

/// The session survives a round trip through JSON (the store keeps it between requests).
#[test]
fn session_serializes() {
    let course = course();
    let reg = new_registration();
    let (mut session, au) = initialized(&course, &reg, "s-1", LaunchMode::Normal);
    session
        .accept(&au.defined(Cmi5Verb::Completed), t(2))
        .unwrap();
    let json = serde_json::to_string(&session).unwrap();
    let mut back: mycel_cmi5::AuSession = serde_json::from_str(&json).unwrap();
    assert_eq!(back, session);
    assert_eq!(
        back.accept(&au.defined(Cmi5Verb::Completed), t(3)),
        Err(Cmi5Violation::CompletedTwice)
    );
    let reg_json = serde_json::to_string(&reg).unwrap();
    assert_eq!(
        serde_json::from_str::<mycel_cmi5::Registration>(&reg_json).unwrap(),
        reg
    );
}
