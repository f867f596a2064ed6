//! Random planning instances from a seed, for the comparison with the exact optimum (tests and
//! `mycel bench planner`): up to 30 gaps and 200 candidates, with prerequisite chains, an
//! occasional cycle, languages and modalities outside the person's preferences, sessions (some
//! full, some past), completed, skipped and pinned opportunities, and both objectives.

use crate::model::{
    Candidate, Objective, PersonChoices, PlanningGap, PlanningInput, Preferences, Requirement,
    SessionSlot,
};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use mycel_catalogue::Modality;
use mycel_organisation::{CompetencyId, OpportunityId, SessionId};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

const MODALITIES: [Modality; 6] = [
    Modality::ELearning,
    Modality::Video,
    Modality::Document,
    Modality::Classroom,
    Modality::Mentoring,
    Modality::OnTheJob,
];

/// A deterministic id: the seed and a counter in a UUID.
fn id(seed: u64, kind: u64, n: u64) -> Uuid {
    Uuid::from_u128((u128::from(seed) << 64) | (u128::from(kind) << 48) | u128::from(n))
}

/// A level on the 0–4 scale in half steps.
fn level(rng: &mut StdRng, low: u32, high: u32) -> f64 {
    f64::from(rng.gen_range(low * 2..=high * 2)) / 2.0
}

/// The instance of a seed: at most `max_gaps` gaps and `max_candidates` candidates.
pub fn generate(seed: u64, max_gaps: usize, max_candidates: usize) -> PlanningInput {
    let mut rng = StdRng::seed_from_u64(seed);
    let gap_count = rng.gen_range(max_gaps.clamp(1, 5)..=max_gaps.max(1));
    let candidate_count = rng.gen_range(max_candidates.clamp(1, 50)..=max_candidates.max(1));
    let gap_competencies: Vec<CompetencyId> = (0..gap_count as u64)
        .map(|n| CompetencyId::from_uuid(id(seed, 1, n)))
        .collect();
    // Competencies that are only prerequisites.
    let basics: Vec<CompetencyId> = (0..10)
        .map(|n| CompetencyId::from_uuid(id(seed, 2, n)))
        .collect();

    let gaps: Vec<PlanningGap> = gap_competencies
        .iter()
        .map(|&competency_id| {
            let current = level(&mut rng, 0, 2);
            let target = (current + level(&mut rng, 1, 3)).min(4.0);
            PlanningGap {
                competency_id,
                current,
                target,
                required: rng.gen_bool(0.7),
            }
        })
        .collect();
    let mut known_levels: Vec<(CompetencyId, f64)> = Vec::new();
    for &c in &basics {
        if rng.gen_bool(0.3) {
            known_levels.push((c, level(&mut rng, 1, 3)));
        }
    }

    let now = Utc
        .with_ymd_and_hms(2027, 1, 4, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let first_week = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default();
    let ids: Vec<OpportunityId> = (0..candidate_count as u64)
        .map(|n| OpportunityId::from_uuid(id(seed, 3, n)))
        .collect();
    let mut candidates: Vec<Candidate> = Vec::with_capacity(candidate_count);
    for (n, &opportunity_id) in ids.iter().enumerate() {
        let mut teaches = Vec::new();
        for _ in 0..rng.gen_range(1..=3) {
            let competency = if rng.gen_bool(0.85) {
                gap_competencies[rng.gen_range(0..gap_competencies.len())]
            } else {
                basics[rng.gen_range(0..basics.len())]
            };
            if !teaches.iter().any(|(c, _)| *c == competency) {
                teaches.push((competency, level(&mut rng, 1, 4)));
            }
        }
        let modality = MODALITIES[rng.gen_range(0..MODALITIES.len())];
        let needs_session = modality == Modality::Classroom;
        let sessions: Vec<SessionSlot> = if needs_session {
            (0..rng.gen_range(0..=3u64))
                .map(|s| {
                    let starts_at = now + Duration::days(rng.gen_range(-20..120));
                    SessionSlot {
                        id: SessionId::from_uuid(id(seed, 4, (n as u64) << 8 | s)),
                        starts_at,
                        ends_at: starts_at + Duration::hours(8),
                        free_places: if rng.gen_bool(0.8) {
                            rng.gen_range(1..20)
                        } else {
                            0
                        },
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut requires = Vec::new();
        if n > 0 && rng.gen_bool(0.2) {
            // Mostly chains to earlier opportunities.
            let earlier = ids[rng.gen_range(n.saturating_sub(20)..n)];
            requires.push(Requirement::Opportunity {
                opportunity_id: earlier,
            });
        }
        if rng.gen_bool(0.2) {
            requires.push(Requirement::Competency {
                competency_id: basics[rng.gen_range(0..basics.len())],
                level: level(&mut rng, 1, 3),
            });
        }
        let minutes = if rng.gen_bool(0.2) {
            rng.gen_range(600..2400)
        } else {
            rng.gen_range(15..480)
        };
        candidates.push(Candidate {
            id: opportunity_id,
            teaches,
            minutes,
            cost_cents: if rng.gen_bool(0.4) {
                0
            } else {
                rng.gen_range(1..200) * 500
            },
            language: ["de", "en", "fr"][rng.gen_range(0..3)].to_owned(),
            modality,
            requires,
            sessions,
            needs_session,
        });
    }
    // An occasional cycle among opportunity prerequisites.
    if candidate_count >= 3 && rng.gen_bool(0.15) {
        let length = rng.gen_range(2..=3);
        let members: Vec<usize> = (0..length)
            .map(|_| rng.gen_range(0..candidate_count))
            .collect();
        for k in 0..length {
            let next = ids[members[(k + 1) % length]];
            candidates[members[k]]
                .requires
                .push(Requirement::Opportunity {
                    opportunity_id: next,
                });
        }
    }

    let mut pick = |share: f64| -> Vec<OpportunityId> {
        ids.iter()
            .copied()
            .filter(|_| rng.gen_bool(share))
            .collect()
    };
    let completed = pick(0.03);
    let skipped = pick(0.03);
    let pinned = pick(0.01);
    let mut order = pick(0.05);
    order.shuffle(&mut rng);

    let languages = match rng.gen_range(0..4) {
        0 => Vec::new(),
        1 => vec!["de".to_owned()],
        _ => vec!["de".to_owned(), "en".to_owned()],
    };
    let excluded_modalities = if rng.gen_bool(0.3) {
        vec![MODALITIES[rng.gen_range(0..MODALITIES.len())]]
    } else {
        Vec::new()
    };
    let preferred_modalities = if rng.gen_bool(0.5) {
        vec![MODALITIES[rng.gen_range(0..MODALITIES.len())]]
    } else {
        Vec::new()
    };
    PlanningInput {
        gaps,
        candidates,
        known_levels,
        completed,
        preferences: Preferences {
            languages,
            preferred_modalities,
            excluded_modalities,
            weekly_minutes: if rng.gen_bool(0.05) {
                0
            } else {
                rng.gen_range(1..=10) * 60
            },
            objective: if rng.gen_bool(0.2) {
                Objective::Cost
            } else {
                Objective::Time
            },
            first_week,
        },
        choices: PersonChoices {
            pinned,
            skipped,
            order,
        },
        now,
    }
}
