//! Whole flows on the spec's course structures: launch → initialized → allowed → completed →
//! passed → terminated with "satisfied" for blocks and the course (9.3.9), abandonment (9.3.6),
//! waivers (9.3.7), and the moveOn truth table (13.1.4).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use mycel_cmi5::{
    vocab, AuLaunch, AuProgress, AuSession, Cmi5Verb, Cmi5Violation, CourseActivities, LaunchMode,
    Registration, RegistrationError, SessionState, WaiveReason,
};
use mycel_package::{Cmi5Course, MoveOn};
use serde_json::Value;

fn valid_xapi(statements: &[Value]) {
    for st in statements {
        mycel_xapi::validate_statement(st, mycel_xapi::XapiVersion::V1_0_3)
            .unwrap_or_else(|e| panic!("{e}: {st}"));
        mycel_xapi::validate_statement(st, mycel_xapi::XapiVersion::V2_0)
            .unwrap_or_else(|e| panic!("{e}: {st}"));
    }
}

fn grouping(st: &Value) -> Vec<&str> {
    st["context"]["contextActivities"]["grouping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect()
}

fn categories(st: &Value) -> Vec<&str> {
    st["context"]["contextActivities"]["category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect()
}

fn session_id(st: &Value) -> &str {
    st["context"]["extensions"][vocab::EXT_SESSION_ID]
        .as_str()
        .unwrap()
}

/// CATAPULT 001-essentials, in this crate's terms: the recorded statements in order are launched,
/// initialized, (allowed), passed, completed, satisfied (block), satisfied (course), terminated.
#[test]
fn happy_path_one_block_one_au() {
    let course = one_au_course("CompletedAndPassed", Some("0.9"));
    let activities = CourseActivities::new(&course, ACTIVITY_BASE).unwrap();
    let mut reg = new_registration();
    let mut log: Vec<Value> = reg.evaluate(&activities, "enrolment", t(0));
    assert!(log.is_empty(), "nothing is satisfied at enrolment");

    let au = course.aus()[0];
    let mut launch = AuLaunch::new(
        au,
        activities.au_activity_id(&au.id),
        "s-1",
        LaunchMode::Normal,
    );
    launch.return_url = Some("https://lms.example.com/courses/1".into());
    let prepared = AuSession::launch(&reg, &launch, &au.url, ENDPOINT, FETCH, t(0)).unwrap();
    log.push(prepared.launched.clone());
    let view = Au::from_launch(&prepared.url, &prepared.launch_data);
    // 8.1.5: the launch uses the LMS's activity id, not the publisher's.
    assert_ne!(view.activity_id, au.id);
    assert_eq!(view.registration, registration_id().to_string());
    assert_eq!(prepared.launch_data["masteryScore"], 0.9);
    assert_eq!(prepared.launch_data["moveOn"], "CompletedAndPassed");
    assert_eq!(prepared.launch_data["launchParameters"], "sample string");
    assert_eq!(
        prepared.launch_data["entitlementKey"]["courseStructure"],
        "sample value"
    );
    let launch_url_ext = &prepared.launched["context"]["extensions"][vocab::EXT_LAUNCH_URL];
    assert_eq!(
        launch_url_ext,
        "https://cdn.example.com/au/1/index.html?paramA=1&paramB=2"
    );

    let mut session = prepared.session;
    session.issue_auth_token().unwrap();
    session.note_learner_preferences_read();
    let steps = [
        view.defined(Cmi5Verb::Initialized),
        view.allowed("http://adlnet.gov/expapi/verbs/progressed"),
        view.defined(Cmi5Verb::Passed),
        view.defined(Cmi5Verb::Completed),
        view.defined(Cmi5Verb::Terminated),
    ];
    for (i, statement) in steps.iter().enumerate() {
        let now = t(10 + i as i64);
        let accepted = session.accept(statement, now).unwrap();
        log.push(statement.clone());
        log.extend(
            reg.record_accepted(&activities, &session, &accepted, now)
                .unwrap(),
        );
    }
    assert_eq!(session.state(), SessionState::Terminated);
    assert_eq!(
        verbs(&log),
        [
            vocab::VERB_LAUNCHED,
            vocab::VERB_INITIALIZED,
            "http://adlnet.gov/expapi/verbs/progressed",
            vocab::VERB_PASSED,
            vocab::VERB_COMPLETED,
            vocab::VERB_SATISFIED,
            vocab::VERB_SATISFIED,
            vocab::VERB_TERMINATED,
        ]
    );
    valid_xapi(&log);
    let (block_sat, course_sat) = (&log[5], &log[6]);
    assert_eq!(
        block_sat["object"]["definition"]["type"],
        vocab::ACTIVITY_TYPE_BLOCK
    );
    assert_eq!(
        block_sat["object"]["id"],
        activities.block_activity_id("https://pub.example.com/block/1")
    );
    assert_ne!(block_sat["object"]["id"], "https://pub.example.com/block/1");
    assert_eq!(grouping(block_sat), ["https://pub.example.com/block/1"]);
    assert_eq!(
        course_sat["object"]["definition"]["type"],
        vocab::ACTIVITY_TYPE_COURSE
    );
    assert_eq!(course_sat["object"]["id"], activities.course_activity_id());
    assert_eq!(grouping(course_sat), ["https://pub.example.com/course/1"]);
    for st in [&log[0], block_sat, course_sat] {
        assert_eq!(categories(st), [vocab::CATEGORY_CMI5]);
        assert_eq!(session_id(st), "s-1", "9.3.9: the session id of the launch");
        assert_eq!(st["context"]["registration"], registration_id().to_string());
        assert_eq!(st["actor"], view.actor);
    }
    assert!(reg.course_satisfied(&course));
    // Once each (9.3.9): nothing more on re-evaluation.
    assert!(reg.evaluate(&activities, "later", t(99)).is_empty());
}

/// 9.6.1: the spec's simple course has one AU with the default moveOn NotApplicable, so the course
/// is satisfied when the registration is created, under a session id of its own.
#[test]
fn simple_course_is_satisfied_at_registration() {
    let course = spec_course("simple-cmi5.xml");
    assert_eq!(course.aus()[0].move_on, MoveOn::NotApplicable);
    let activities = CourseActivities::new(&course, ACTIVITY_BASE).unwrap();
    let mut reg = new_registration();
    let sat = reg.evaluate(&activities, "enrol-1", t(0));
    valid_xapi(&sat);
    assert_eq!(verbs(&sat), [vocab::VERB_SATISFIED]);
    assert_eq!(
        grouping(&sat[0]),
        ["http://course-repository.example.edu/identifiers/courses/02baafcf"]
    );
    assert_eq!(session_id(&sat[0]), "enrol-1");
    assert_eq!(
        sat[0]["object"]["definition"]["name"]["en-US"],
        "Introduction to Geology"
    );

    // A session afterwards satisfies nothing new.
    let (mut session, au) = initialized(&course, &reg, "s-1", LaunchMode::Normal);
    let accepted = session
        .accept(&au.defined(Cmi5Verb::Completed), t(5))
        .unwrap();
    assert!(reg
        .record_accepted(&activities, &session, &accepted, t(5))
        .unwrap()
        .is_empty());
}

/// Every AU of the spec's complex course in turn; "satisfied" for nested blocks innermost first,
/// each once, and for the course with the last AU.
#[test]
fn complex_course_walkthrough() {
    let course = spec_course("complex-cmi5.xml");
    let activities = CourseActivities::new(&course, ACTIVITY_BASE).unwrap();
    let mut reg = new_registration();
    let block = |suffix: &str| {
        format!("http://courses.example.edu/identifiers/courses/d07e186b/blocks/{suffix}")
    };
    let satisfied_ids = |sts: &[Value]| -> Vec<String> {
        sts.iter()
            .map(|s| {
                assert_eq!(s["verb"]["id"], vocab::VERB_SATISFIED);
                grouping(s)[0].to_owned()
            })
            .collect()
    };

    let at_start = reg.evaluate(&activities, "enrolment", t(0));
    valid_xapi(&at_start);
    assert_eq!(satisfied_ids(&at_start), [block("003-001-002")]);

    // What each AU's session sends (besides initialized and terminated), and which blocks (by
    // publisher id; "course" for the course) become satisfied.
    type Sends = Vec<(Cmi5Verb, Option<f64>)>;
    let expect: Vec<(&str, Sends, Vec<String>)> = vec![
        (
            "blocks/001/aus/64f6",
            vec![(Cmi5Verb::Completed, None)],
            vec![block("001")],
        ),
        ("blocks/001/aus/3ee0", vec![], vec![]),
        ("au/6f64", vec![(Cmi5Verb::Passed, Some(0.5))], vec![]),
        (
            "au/6f65",
            vec![(Cmi5Verb::Completed, None)],
            vec![block("002")],
        ),
        (
            "au/6f66",
            vec![(Cmi5Verb::Completed, None), (Cmi5Verb::Passed, Some(0.8))],
            vec![],
        ),
        ("aus/7ec9", vec![(Cmi5Verb::Completed, None)], vec![]),
        ("aus/7eca/", vec![(Cmi5Verb::Completed, None)], vec![]),
        (
            "aus/7ecb/",
            vec![(Cmi5Verb::Completed, None)],
            vec![block("003-001-001")],
        ),
        ("aus/7ecc/", vec![], vec![]),
        ("aus/7ecd/", vec![], vec![]),
        ("aus/7ece/", vec![], vec![]),
        ("aus/7ecf/", vec![], vec![]),
        (
            "aus/7ed0/",
            vec![(Cmi5Verb::Passed, Some(0.5))],
            vec![block("003-001"), block("003")],
        ),
        ("1Hu62hL", vec![(Cmi5Verb::Failed, Some(0.3))], vec![]),
        (
            "1Hu62hL",
            vec![(Cmi5Verb::Passed, Some(0.9))],
            vec!["course".to_owned()],
        ),
    ];
    for (n, (suffix, sends, expected)) in expect.into_iter().enumerate() {
        let index = course
            .aus()
            .iter()
            .position(|a| a.id.ends_with(suffix))
            .unwrap_or_else(|| panic!("no AU ending in {suffix}"));
        let session_name = format!("s-{n}");
        let (mut session, view) = launched(&course, &reg, index, &session_name, LaunchMode::Normal);
        session
            .accept(&view.defined(Cmi5Verb::Initialized), t(1))
            .unwrap();
        let mut produced = Vec::new();
        for (verb, scaled) in sends {
            let st = match scaled {
                Some(s) => view.scored(verb, s),
                None => view.defined(verb),
            };
            let accepted = session
                .accept(&st, t(2))
                .unwrap_or_else(|e| panic!("{suffix}: {e}"));
            produced.extend(
                reg.record_accepted(&activities, &session, &accepted, t(2))
                    .unwrap(),
            );
        }
        session
            .accept(&view.defined(Cmi5Verb::Terminated), t(3))
            .unwrap();
        valid_xapi(&produced);
        for st in &produced {
            assert_eq!(session_id(st), session_name);
        }
        let ids: Vec<String> = satisfied_ids(&produced)
            .into_iter()
            .map(|id| {
                if id == course.id {
                    "course".to_owned()
                } else {
                    id
                }
            })
            .collect();
        assert_eq!(ids, expected, "after the session of {suffix}");
    }
    assert!(reg.course_satisfied(&course));
    for b in course.blocks() {
        assert!(reg.block_satisfied(b), "{}", b.id);
    }
}

/// 9.3.6, 9.5.4.2: relaunching while a session is open abandons it; the abandoned statement has
/// the session's duration (launch to last statement) and nothing is accepted afterwards.
#[test]
fn abandonment() {
    let course = one_au_course("Completed", None);
    let reg = new_registration();
    let (mut session, au) = launched(&course, &reg, 0, "s-1", LaunchMode::Normal);
    session
        .accept(&au.defined(Cmi5Verb::Initialized), t(30))
        .unwrap();
    session
        .accept(
            &au.allowed("http://adlnet.gov/expapi/verbs/experienced"),
            t(95),
        )
        .unwrap();
    let abandoned = session.abandon(t(600)).unwrap();
    valid_xapi(std::slice::from_ref(&abandoned));
    assert_eq!(abandoned["verb"]["id"], vocab::VERB_ABANDONED);
    assert_eq!(abandoned["result"]["duration"], "PT1M35S");
    assert_eq!(abandoned["object"]["id"], au.activity_id);
    assert_eq!(abandoned["actor"], au.actor);
    assert_eq!(abandoned["context"]["registration"], au.registration);
    assert_eq!(session_id(&abandoned), "s-1");
    assert_eq!(categories(&abandoned), [vocab::CATEGORY_CMI5]);
    assert_eq!(abandoned["timestamp"], "2025-03-01T10:10:00.000Z");
    assert_eq!(session.state(), SessionState::Abandoned);
    // 9.3.6: nothing recorded after abandoned; 9.3: at most one abandoned per session.
    assert_eq!(
        session.accept(&au.defined(Cmi5Verb::Terminated), t(601)),
        Err(Cmi5Violation::AfterAbandoned)
    );
    assert!(session.abandon(t(700)).is_none());
    assert!(session
        .timed_out(t(9000), chrono::TimeDelta::minutes(1))
        .is_none());

    // A terminated session cannot be abandoned.
    let (mut done, au) = initialized(&course, &reg, "s-2", LaunchMode::Normal);
    done.accept(&au.defined(Cmi5Verb::Terminated), t(5))
        .unwrap();
    assert!(done.abandon(t(6)).is_none());
}

/// A session idle longer than the limit times out into "abandoned"; one never initialized has a
/// duration of zero.
#[test]
fn timeout() {
    let course = one_au_course("Completed", None);
    let reg = new_registration();
    let (mut session, _au) = launched(&course, &reg, 0, "s-1", LaunchMode::Normal);
    let limit = chrono::TimeDelta::minutes(30);
    assert!(session.timed_out(t(30 * 60), limit).is_none());
    assert_eq!(session.state(), SessionState::Launched);
    let abandoned = session.timed_out(t(30 * 60 + 1), limit).unwrap();
    assert_eq!(abandoned["result"]["duration"], "PT0S");
    assert!(session.timed_out(t(99 * 60), limit).is_none());
}

/// 9.3.7, 9.3.9: a waived AU is satisfied; the waiver and the satisfied statements it causes
/// share a new session id (CATAPULT 009); an AU is waived once per registration.
#[test]
fn waiver() {
    let course = one_au_course("Passed", Some("0.8"));
    let activities = CourseActivities::new(&course, ACTIVITY_BASE).unwrap();
    let mut reg = new_registration();
    let au_id = course.aus()[0].id.clone();
    // A launched session first, as in CATAPULT 009: it satisfies nothing.
    let (mut session, au) = initialized(&course, &reg, "s-1", LaunchMode::Normal);
    session
        .accept(&au.defined(Cmi5Verb::Terminated), t(2))
        .unwrap();

    let out = reg
        .waive(
            &activities,
            &au_id,
            &WaiveReason::Administrative,
            "waive-1",
            t(10),
        )
        .unwrap();
    valid_xapi(&out);
    assert_eq!(
        verbs(&out),
        [
            vocab::VERB_WAIVED,
            vocab::VERB_SATISFIED,
            vocab::VERB_SATISFIED
        ]
    );
    let waived = &out[0];
    assert_eq!(
        waived["result"]["extensions"][vocab::RESULT_EXT_REASON],
        "Administrative"
    );
    assert_eq!(waived["result"]["success"], true);
    assert_eq!(waived["result"]["completion"], true);
    assert_eq!(
        categories(waived),
        [vocab::CATEGORY_CMI5, vocab::CATEGORY_MOVEON]
    );
    assert_eq!(waived["object"]["id"], au.activity_id);
    assert_eq!(waived["actor"], au.actor);
    for st in &out {
        assert_eq!(session_id(st), "waive-1");
        assert_eq!(st["context"]["registration"], au.registration);
    }
    assert!(reg.progress(&au_id).waived);
    assert_eq!(
        reg.waive(
            &activities,
            &au_id,
            &WaiveReason::TestedOut,
            "waive-2",
            t(11)
        ),
        Err(RegistrationError::AlreadyWaived(au_id.clone()))
    );
    assert_eq!(
        reg.waive(
            &activities,
            "https://nope.example.com",
            &WaiveReason::TestedOut,
            "w",
            t(11)
        ),
        Err(RegistrationError::UnknownAu(
            "https://nope.example.com".into()
        ))
    );
}

/// 13.1.4: moveOn per AU. Rows: (completed, passed); columns in the order of `MOVE_ONS`.
#[test]
fn move_on_truth_table() {
    const MOVE_ONS: [MoveOn; 5] = [
        MoveOn::Completed,
        MoveOn::Passed,
        MoveOn::CompletedAndPassed,
        MoveOn::CompletedOrPassed,
        MoveOn::NotApplicable,
    ];
    let table: [((bool, bool), [bool; 5]); 4] = [
        ((false, false), [false, false, false, false, true]),
        ((true, false), [true, false, false, true, true]),
        ((false, true), [false, true, false, true, true]),
        ((true, true), [true, true, true, true, true]),
    ];
    for ((completed, passed), row) in table {
        for failed in [false, true] {
            let progress = AuProgress {
                completed,
                passed,
                failed,
                waived: false,
            };
            for (move_on, expected) in MOVE_ONS.iter().zip(row) {
                assert_eq!(
                    progress.satisfies(*move_on),
                    expected,
                    "{move_on:?} with completed={completed} passed={passed} failed={failed}"
                );
            }
            let waived = AuProgress {
                waived: true,
                ..progress
            };
            assert!(
                MOVE_ONS.iter().all(|m| waived.satisfies(*m)),
                "waived satisfies"
            );
        }
    }
}

/// 9.3.9: blocks need all their children; a failure does not satisfy "Passed".
#[test]
fn blocks_need_every_child() {
    let course: Cmi5Course = spec_course("complex-cmi5.xml");
    let activities = CourseActivities::new(&course, ACTIVITY_BASE).unwrap();
    let mut reg = Registration::new(registration_id(), new_registration().actor().clone());
    reg.evaluate(&activities, "e", t(0));
    let b002 = course
        .blocks()
        .into_iter()
        .find(|b| b.id.ends_with("blocks/002"))
        .unwrap();
    let out = reg
        .record(
            &activities,
            "http://example.com/courses/f59c9fc0/au/6f64",
            mycel_cmi5::AuOutcome::Failed,
            "s",
            t(1),
        )
        .unwrap();
    assert!(out.is_empty());
    let out = reg
        .record(
            &activities,
            "http://example.com/courses/f59c9fc0/au/6f65",
            mycel_cmi5::AuOutcome::Passed,
            "s",
            t(2),
        )
        .unwrap();
    assert!(out.is_empty());
    assert!(!reg.block_satisfied(b002));
    let out = reg
        .record(
            &activities,
            "http://example.com/courses/f59c9fc0/au/6f64",
            mycel_cmi5::AuOutcome::Passed,
            "s",
            t(3),
        )
        .unwrap();
    assert_eq!(grouping(&out[0]), [b002.id.as_str()]);
    assert_eq!(
        reg.record(
            &activities,
            "https://unknown.example.com",
            mycel_cmi5::AuOutcome::Passed,
            "s",
            t(4)
        ),
        Err(RegistrationError::UnknownAu(
            "https://unknown.example.com".into()
        ))
    );
}
