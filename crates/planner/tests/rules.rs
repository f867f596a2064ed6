//! Hand-made cases for each rule of the planner: the exact plan, or the property that matters.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use mycel_catalogue::Modality;
use mycel_organisation::{CompetencyId, OpportunityId, SessionId};
use mycel_planner::*;
use uuid::Uuid;

fn competency(n: u128) -> CompetencyId {
    CompetencyId::from_uuid(Uuid::from_u128(0xC000 + n))
}
fn opportunity(n: u128) -> OpportunityId {
    OpportunityId::from_uuid(Uuid::from_u128(0xA000 + n))
}
fn session(n: u128) -> SessionId {
    SessionId::from_uuid(Uuid::from_u128(0x5000 + n))
}

fn gap(c: u128, current: f64, target: f64) -> PlanningGap {
    PlanningGap {
        competency_id: competency(c),
        current,
        target,
        required: true,
    }
}

fn course(n: u128, teaches: &[(u128, f64)], minutes: u32) -> Candidate {
    Candidate {
        id: opportunity(n),
        teaches: teaches.iter().map(|&(c, l)| (competency(c), l)).collect(),
        minutes,
        cost_cents: 0,
        language: "de".to_owned(),
        modality: Modality::ELearning,
        requires: Vec::new(),
        sessions: Vec::new(),
        needs_session: false,
    }
}

fn input(gaps: Vec<PlanningGap>, candidates: Vec<Candidate>) -> PlanningInput {
    PlanningInput {
        gaps,
        candidates,
        known_levels: Vec::new(),
        completed: Vec::new(),
        preferences: Preferences {
            languages: Vec::new(),
            preferred_modalities: Vec::new(),
            excluded_modalities: Vec::new(),
            weekly_minutes: 0,
            objective: Objective::Time,
            first_week: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default(),
        },
        choices: PersonChoices::default(),
        now: Utc
            .with_ymd_and_hms(2027, 1, 4, 8, 0, 0)
            .single()
            .unwrap_or_default(),
    }
}

fn ids(plan: &Plan) -> Vec<OpportunityId> {
    plan.steps.iter().map(|s| s.opportunity_id).collect()
}

fn weeks(plan: &Plan) -> Vec<u32> {
    plan.steps.iter().map(|s| s.week).collect()
}

#[test]
fn the_least_total_time_wins_over_fewer_steps() {
    let plan = plan(&input(
        vec![gap(1, 0.0, 2.0), gap(2, 1.0, 3.0)],
        vec![
            course(1, &[(1, 2.0), (2, 3.0)], 100),
            course(2, &[(1, 2.0)], 30),
            course(3, &[(2, 3.5)], 40),
        ],
    ));
    // Larger gap first (2 → 3 is as large as 0 → 2; then the id).
    assert_eq!(ids(&plan), vec![opportunity(2), opportunity(3)]);
    assert_eq!(plan.total_minutes, 70);
    assert_eq!(
        plan.steps[0].reasons,
        vec![StepReason::ClosesGaps(vec![(competency(1), 0.0, 2.0)])]
    );
    assert_eq!(
        plan.steps[1].reasons,
        vec![StepReason::ClosesGaps(vec![(competency(2), 1.0, 3.0)])]
    );
    assert!(plan.open_gaps.is_empty());
    assert!(plan.cycles.is_empty());
}

#[test]
fn the_cost_objective_minimises_cost_and_minutes_break_ties() {
    let mut cheap_slow = course(1, &[(1, 2.0)], 300);
    cheap_slow.cost_cents = 0;
    let mut cheap_quick = course(2, &[(1, 2.0)], 200);
    cheap_quick.cost_cents = 0;
    let mut dear_quick = course(3, &[(1, 2.0)], 10);
    dear_quick.cost_cents = 5_000;
    let mut data = input(
        vec![gap(1, 0.0, 2.0)],
        vec![cheap_slow, cheap_quick, dear_quick],
    );
    assert_eq!(ids(&plan(&data)), vec![opportunity(3)]);
    data.preferences.objective = Objective::Cost;
    let path = plan(&data);
    assert_eq!(ids(&path), vec![opportunity(2)]);
    assert_eq!(path.total_cost_cents, 0);
}

#[test]
fn a_step_must_teach_up_to_the_target_and_met_gaps_are_no_gaps() {
    let path = plan(&input(
        vec![gap(1, 1.0, 3.0), gap(2, 2.0, 2.0)],
        vec![course(1, &[(1, 2.5)], 10), course(2, &[(2, 3.0)], 10)],
    ));
    assert!(path.steps.is_empty());
    assert_eq!(
        path.open_gaps,
        vec![OpenGap {
            competency_id: competency(1),
            target: 3.0,
            reason: OpenReason::NothingTeachesIt
        }]
    );
}

#[test]
fn language_modality_skipped_and_completed_exclude_a_candidate() {
    let mut english = course(1, &[(1, 2.0)], 10);
    english.language = "en".to_owned();
    let mut video = course(2, &[(1, 2.0)], 10);
    video.modality = Modality::Video;
    let skipped = course(3, &[(1, 2.0)], 10);
    let done = course(4, &[(1, 2.0)], 10);
    let fallback = course(5, &[(1, 2.0)], 500);
    let mut data = input(
        vec![gap(1, 0.0, 2.0)],
        vec![english, video, skipped, done, fallback],
    );
    data.preferences.languages = vec!["de".to_owned()];
    data.preferences.excluded_modalities = vec![Modality::Video];
    data.choices.skipped = vec![opportunity(3)];
    data.completed = vec![opportunity(4)];
    assert_eq!(ids(&plan(&data)), vec![opportunity(5)]);

    data.choices.skipped.push(opportunity(5));
    let path = plan(&data);
    assert!(path.steps.is_empty());
    assert_eq!(path.open_gaps[0].reason, OpenReason::ExcludedByChoices);
}

#[test]
fn opportunity_prerequisites_are_added_before_and_completed_ones_are_not() {
    let basics = course(1, &[], 60);
    let mut advanced = course(2, &[(1, 3.0)], 60);
    advanced.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(1),
    }];
    let mut data = input(vec![gap(1, 0.0, 3.0)], vec![advanced, basics]);
    let path = plan(&data);
    assert_eq!(ids(&path), vec![opportunity(1), opportunity(2)]);
    assert_eq!(
        path.steps[0].reasons,
        vec![StepReason::RequiredBy(vec![opportunity(2)])]
    );
    assert_eq!(path.total_minutes, 120);

    data.completed = vec![opportunity(1)];
    assert_eq!(ids(&plan(&data)), vec![opportunity(2)]);
}

#[test]
fn competency_prerequisites_use_known_levels_or_an_earlier_step() {
    let mut advanced = course(1, &[(1, 3.0)], 60);
    advanced.requires = vec![Requirement::Competency {
        competency_id: competency(9),
        level: 2.0,
    }];
    let too_low = course(2, &[(9, 1.5)], 5);
    let teacher = course(3, &[(9, 2.0)], 50);
    let mut data = input(vec![gap(1, 0.0, 3.0)], vec![advanced, too_low, teacher]);
    let path = plan(&data);
    assert_eq!(ids(&path), vec![opportunity(3), opportunity(1)]);
    assert_eq!(
        path.steps[0].reasons,
        vec![StepReason::RequiredBy(vec![opportunity(1)])]
    );

    data.known_levels = vec![(competency(9), 2.0)];
    assert_eq!(ids(&plan(&data)), vec![opportunity(1)]);
}

#[test]
fn a_prerequisite_cycle_is_reported_once_and_its_gap_stays_open() {
    let mut a = course(1, &[(1, 2.0)], 10);
    let mut b = course(2, &[], 10);
    let mut c = course(3, &[], 10);
    a.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(2),
    }];
    b.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(3),
    }];
    c.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(1),
    }];
    let mut selfish = course(4, &[], 10);
    selfish.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(4),
    }];
    let path = plan(&input(vec![gap(1, 0.0, 2.0)], vec![c, selfish, b, a]));
    assert_eq!(
        path.cycles,
        vec![
            vec![opportunity(1), opportunity(2), opportunity(3)],
            vec![opportunity(4)]
        ]
    );
    assert!(path.steps.is_empty());
    assert_eq!(path.open_gaps[0].reason, OpenReason::PrerequisitesUnmet);
}

#[test]
fn a_completed_step_breaks_a_cycle() {
    let mut a = course(1, &[(1, 2.0)], 10);
    let mut b = course(2, &[], 10);
    a.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(2),
    }];
    b.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(1),
    }];
    let mut data = input(vec![gap(1, 0.0, 2.0)], vec![a, b]);
    data.completed = vec![opportunity(2)];
    let path = plan(&data);
    assert_eq!(ids(&path), vec![opportunity(1)]);
    assert_eq!(path.cycles.len(), 1);
}

#[test]
fn pinned_steps_stay_and_are_free_in_the_choice() {
    let pinned = course(1, &[(1, 2.0)], 300);
    let cheaper = course(2, &[(1, 2.0)], 10);
    let unrelated = course(3, &[], 20);
    let mut data = input(vec![gap(1, 0.0, 2.0)], vec![pinned, cheaper, unrelated]);
    data.choices.pinned = vec![opportunity(1), opportunity(3)];
    let path = plan(&data);
    assert_eq!(ids(&path), vec![opportunity(1), opportunity(3)]);
    assert_eq!(
        path.steps[0].reasons,
        vec![
            StepReason::ClosesGaps(vec![(competency(1), 0.0, 2.0)]),
            StepReason::Pinned
        ]
    );
    assert_eq!(path.steps[1].reasons, vec![StepReason::Pinned]);
    assert_eq!(path.total_minutes, 320);
}

#[test]
fn sessions_need_a_free_place_after_now_and_after_the_prerequisites() {
    let now = Utc
        .with_ymd_and_hms(2027, 1, 4, 8, 0, 0)
        .single()
        .unwrap_or_default();
    let slot = |n: u128, days: i64, free: u32| SessionSlot {
        id: session(n),
        starts_at: now + Duration::days(days),
        ends_at: now + Duration::days(days) + Duration::hours(8),
        free_places: free,
    };
    let mut basics = course(1, &[], 600);
    basics.minutes = 600;
    let mut classroom = course(2, &[(1, 3.0)], 480);
    classroom.modality = Modality::Classroom;
    classroom.needs_session = true;
    classroom.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(1),
    }];
    // Past, full, too early for the prerequisite (week 0), then week 3 and week 5.
    classroom.sessions = vec![
        slot(1, -1, 5),
        slot(2, 2, 0),
        slot(3, 3, 4),
        slot(4, 35, 2),
        slot(5, 22, 1),
    ];
    let mut data = input(vec![gap(1, 0.0, 3.0)], vec![basics, classroom.clone()]);
    data.preferences.weekly_minutes = 300;
    let path = plan(&data);
    // The basics take weeks 0 and 1 (600 minutes at 300 a week); the earliest session in or after
    // week 1 is the one 22 days on (week 3).
    assert_eq!(ids(&path), vec![opportunity(1), opportunity(2)]);
    assert_eq!(weeks(&path), vec![0, 3]);
    assert_eq!(path.steps[1].session_id, Some(session(5)));

    // No bookable session at all: the classroom cannot be planned.
    let mut full = classroom;
    full.sessions = vec![slot(1, -1, 5), slot(2, 2, 0)];
    let path = plan(&input(vec![gap(1, 0.0, 3.0)], vec![full]));
    assert!(path.steps.is_empty());
    assert_eq!(path.open_gaps[0].reason, OpenReason::ExcludedByChoices);
}

#[test]
fn weeks_fill_up_to_the_budget_and_long_steps_get_their_own_weeks() {
    let mut data = input(
        vec![
            gap(1, 0.0, 4.0),
            gap(2, 0.0, 3.0),
            gap(3, 0.0, 2.0),
            gap(4, 0.0, 1.0),
        ],
        vec![
            course(1, &[(1, 4.0)], 100),
            course(2, &[(2, 3.0)], 100),
            course(3, &[(3, 2.0)], 250),
            course(4, &[(4, 1.0)], 50),
        ],
    );
    data.preferences.weekly_minutes = 200;
    let path = plan(&data);
    // Larger gaps first: 100 + 100 fill week 0; 250 > 200 takes weeks 1–2; 50 goes in week 3.
    assert_eq!(
        ids(&path),
        vec![
            opportunity(1),
            opportunity(2),
            opportunity(3),
            opportunity(4)
        ]
    );
    assert_eq!(weeks(&path), vec![0, 0, 1, 3]);

    data.preferences.weekly_minutes = 0;
    assert_eq!(weeks(&plan(&data)), vec![0, 0, 0, 0]);
}

#[test]
fn the_persons_order_comes_first_as_far_as_prerequisites_allow() {
    let basics = course(1, &[], 10);
    let mut advanced = course(2, &[(2, 1.0)], 10);
    advanced.requires = vec![Requirement::Opportunity {
        opportunity_id: opportunity(1),
    }];
    let big = course(3, &[(1, 4.0)], 10);
    let mut data = input(
        vec![gap(1, 0.0, 4.0), gap(2, 0.0, 1.0)],
        vec![basics, advanced, big],
    );
    assert_eq!(
        ids(&plan(&data)),
        vec![opportunity(3), opportunity(1), opportunity(2)]
    );
    data.choices.order = vec![opportunity(2)];
    assert_eq!(
        ids(&plan(&data)),
        vec![opportunity(1), opportunity(2), opportunity(3)]
    );
}

#[test]
fn preferred_modalities_break_ties() {
    let a = course(1, &[(1, 2.0)], 60);
    let mut b = course(2, &[(1, 2.0)], 60);
    b.modality = Modality::Mentoring;
    let mut data = input(vec![gap(1, 0.0, 2.0)], vec![a, b]);
    assert_eq!(ids(&plan(&data)), vec![opportunity(1)]);
    data.preferences.preferred_modalities = vec![Modality::Mentoring];
    assert_eq!(ids(&plan(&data)), vec![opportunity(2)]);
}

#[test]
fn redundant_steps_are_dropped() {
    // Greedy first takes the cheapest step per gap (10 minutes for gap 1), then the bundle that
    // closes gaps 2 and 3 at 30 a gap, which also closes gap 1: the first step goes again.
    let path = plan(&input(
        vec![gap(1, 0.0, 1.0), gap(2, 0.0, 1.0), gap(3, 0.0, 1.0)],
        vec![
            course(1, &[(1, 1.0), (2, 1.0), (3, 1.0)], 60),
            course(2, &[(1, 1.0)], 10),
            course(3, &[(2, 1.0)], 35),
            course(4, &[(3, 1.0)], 35),
        ],
    ));
    assert_eq!(ids(&path), vec![opportunity(1)]);
    assert_eq!(path.total_minutes, 60);
}

#[test]
fn the_same_input_in_another_order_gives_the_same_plan() {
    let data = mycel_planner::instances::generate(7, 30, 200);
    let mut shuffled = data.clone();
    shuffled.candidates.reverse();
    shuffled.gaps.reverse();
    let first = plan(&data);
    assert_eq!(first, plan(&data));
    assert_eq!(first, plan(&shuffled));
    assert!(!first.steps.is_empty());
}
