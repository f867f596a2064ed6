//! Properties every plan has, on random instances (proptest picks the seeds and sizes).

use mycel_planner::instances::generate;
use mycel_planner::{plan, Requirement};
use proptest::prelude::*;
use std::collections::HashMap;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_plan_keeps_the_rules(seed in any::<u64>(), gaps in 1usize..=30, candidates in 1usize..=200) {
        let input = generate(seed, gaps, candidates);
        let path = plan(&input);
        let by_id: HashMap<_, _> = input.candidates.iter().map(|c| (c.id, c)).collect();
        let position: HashMap<_, _> =
            path.steps.iter().enumerate().map(|(i, s)| (s.opportunity_id, i)).collect();
        prop_assert_eq!(position.len(), path.steps.len(), "a step twice");

        let known = |competency, level: f64| {
            input.known_levels.iter().any(|&(c, l)| c == competency && l >= level)
                || input.gaps.iter().any(|g| g.competency_id == competency && g.current >= level)
        };
        let mut load: HashMap<u32, u64> = HashMap::new();
        let budget = u64::from(input.preferences.weekly_minutes);
        let mut last_week = 0;
        for (at, step) in path.steps.iter().enumerate() {
            let candidate = by_id[&step.opportunity_id];
            prop_assert!(!input.choices.skipped.contains(&step.opportunity_id), "a skipped step");
            prop_assert!(!input.completed.contains(&step.opportunity_id), "a completed step");
            prop_assert!(!input.preferences.excluded_modalities.contains(&candidate.modality));
            prop_assert!(input.preferences.languages.is_empty()
                || input.preferences.languages.contains(&candidate.language));
            prop_assert!(step.week >= last_week, "steps are listed week by week");
            last_week = step.week;
            prop_assert!(!step.reasons.is_empty(), "a step without a reason");
            // Requirements come first.
            for requirement in &candidate.requires {
                match *requirement {
                    Requirement::Opportunity { opportunity_id } => {
                        if !input.completed.contains(&opportunity_id) {
                            let before = position.get(&opportunity_id).copied();
                            prop_assert!(before.is_some_and(|b| b < at), "prerequisite not before");
                        }
                    }
                    Requirement::Competency { competency_id, level } => {
                        if !known(competency_id, level) {
                            let taught_before = path.steps[..at].iter().any(|s| {
                                by_id[&s.opportunity_id].teaches.iter()
                                    .any(|&(c, l)| c == competency_id && l >= level)
                            });
                            prop_assert!(taught_before, "competency prerequisite not taught before");
                        }
                    }
                }
            }
            // Session-held steps book a session with a free place, after now.
            if candidate.needs_session {
                let booked = candidate.sessions.iter().find(|s| Some(s.id) == step.session_id);
                prop_assert!(booked.is_some_and(|s| s.free_places > 0 && s.starts_at >= input.now));
            } else if budget > 0 {
                let minutes = u64::from(step.minutes);
                if minutes > budget {
                    for week in step.week..step.week + minutes.div_ceil(budget) as u32 {
                        *load.entry(week).or_default() += budget;
                    }
                } else {
                    *load.entry(step.week).or_default() += minutes;
                }
            } else if step.week > 0 {
                // No budget: week 0, unless a prerequisite held in a session comes later.
                let after_session = path.steps[..at]
                    .iter()
                    .any(|s| s.session_id.is_some() && s.week == step.week);
                prop_assert!(after_session, "without a budget a step went to week {}", step.week);
            }
        }
        for (week, minutes) in &load {
            prop_assert!(*minutes <= budget, "week {} has {} minutes, budget {}", week, minutes, budget);
        }
        // Every unmet gap is closed by a step or listed open, never both.
        for gap in input.gaps.iter().filter(|g| g.current < g.target) {
            let target = input.gaps.iter()
                .filter(|g| g.competency_id == gap.competency_id)
                .map(|g| g.target)
                .fold(0.0, f64::max);
            let closed = path.steps.iter().any(|s| {
                by_id[&s.opportunity_id].teaches.iter()
                    .any(|&(c, l)| c == gap.competency_id && l >= target)
            });
            let open = path.open_gaps.iter().filter(|o| o.competency_id == gap.competency_id).count();
            prop_assert!(closed != (open == 1), "gap closed and open, or neither");
        }
        prop_assert_eq!(path.total_minutes, path.steps.iter().map(|s| u64::from(s.minutes)).sum::<u64>());
    }
}
