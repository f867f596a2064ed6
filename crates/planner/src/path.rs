//! `plan()`: the learning path from the choice, the order and the weeks, with the reasons of every
//! step and the gaps that stay open.

use crate::choice::choose;
use crate::eligibility::{teaches, Need, Prepared};
use crate::model::{OpenGap, OpenReason, Plan, PlannedStep, PlanningInput, StepReason};
use crate::schedule::{order, weeks};
use mycel_organisation::OpportunityId;

/// The learning path for one person (see the crate's documentation for the rules).
pub fn plan(input: &PlanningInput) -> Plan {
    let p = Prepared::new(input);
    let chosen = choose(&p);
    let deps = prerequisites(&p, &chosen);
    let ordered = order(&p, input, &chosen, &deps);
    let slots = weeks(&p, &ordered, &deps);

    let mut scheduled: Vec<usize> = ordered
        .iter()
        .copied()
        .filter(|&i| slots[i].is_some())
        .collect();
    // A prerequisite whose dependents found no session, and that closes no gap, goes too.
    loop {
        let idle = scheduled.iter().position(|&i| {
            !p.pinned[i]
                && p.closes[i].is_empty()
                && !scheduled.iter().any(|&j| deps[j].contains(&i))
        });
        match idle {
            Some(at) => {
                scheduled.remove(at);
            }
            None => break,
        }
    }
    // Listed week by week (stable: within a week, the order above, which is topological).
    scheduled.sort_by_key(|&i| slots[i].as_ref().map_or(u32::MAX, |s| s.week));
    let on_path = {
        let mut on = vec![false; p.len()];
        for &i in &scheduled {
            on[i] = true;
        }
        on
    };

    let steps: Vec<PlannedStep> = scheduled
        .iter()
        .map(|&i| {
            let candidate = p.candidates[i];
            let mut reasons = Vec::new();
            let closes: Vec<_> = p.closes[i]
                .iter()
                .map(|&g| (p.gaps[g].competency_id, p.gaps[g].current, p.gaps[g].target))
                .collect();
            if !closes.is_empty() {
                reasons.push(StepReason::ClosesGaps(closes));
            }
            let mut needed_by: Vec<OpportunityId> = scheduled
                .iter()
                .filter(|&&j| deps[j].contains(&i))
                .map(|&j| p.candidates[j].id)
                .collect();
            needed_by.sort();
            if !needed_by.is_empty() {
                reasons.push(StepReason::RequiredBy(needed_by));
            }
            if p.pinned[i] {
                reasons.push(StepReason::Pinned);
            }
            let slot = slots[i].as_ref();
            PlannedStep {
                opportunity_id: candidate.id,
                week: slot.map_or(0, |s| s.week),
                session_id: slot
                    .and_then(|s| s.session)
                    .map(|s| candidate.sessions[s].id),
                minutes: candidate.minutes,
                cost_cents: candidate.cost_cents,
                reasons,
            }
        })
        .collect();

    let open_gaps = p
        .gaps
        .iter()
        .filter(|gap| !gap.closers.iter().any(|&q| on_path[q]))
        .map(|gap| {
            let reason = if !gap.closers.is_empty() {
                // Closable, but its step found no session after its prerequisites.
                OpenReason::ExcludedByChoices
            } else {
                let teachers: Vec<usize> = (0..p.len())
                    .filter(|&q| teaches(p.candidates[q], &gap.competency_id, gap.target))
                    .collect();
                if teachers.is_empty() {
                    OpenReason::NothingTeachesIt
                } else if teachers.iter().any(|&q| p.allowed[q]) {
                    OpenReason::PrerequisitesUnmet
                } else {
                    OpenReason::ExcludedByChoices
                }
            };
            OpenGap {
                competency_id: gap.competency_id,
                target: gap.target,
                reason,
            }
        })
        .collect();

    Plan {
        total_minutes: steps.iter().map(|s| u64::from(s.minutes)).sum(),
        total_cost_cents: steps.iter().map(|s| s.cost_cents).sum(),
        steps,
        open_gaps,
        cycles: p.cycles.clone(),
    }
}

/// The opportunities the heuristic chooses, before ordering and scheduling (sorted by id): what
/// the exact optimum is compared with.
pub fn chosen_opportunities(input: &PlanningInput) -> Vec<OpportunityId> {
    let p = Prepared::new(input);
    let chosen = choose(&p);
    (0..p.len())
        .filter(|&i| chosen[i])
        .map(|i| p.candidates[i].id)
        .collect()
}

/// For each chosen step, the chosen steps it needs first: its opportunity prerequisites, and for
/// each competency prerequisite one chosen teacher of lower rank (the lowest rank, then the id).
fn prerequisites(p: &Prepared, chosen: &[bool]) -> Vec<Vec<usize>> {
    (0..p.len())
        .map(|i| {
            if !chosen[i] {
                return Vec::new();
            }
            let mut deps: Vec<usize> = Vec::new();
            for need in &p.needs[i] {
                let q = match need {
                    Need::Step(q) => Some(*q),
                    Need::OneOf(teachers) => teachers
                        .iter()
                        .copied()
                        .filter(|&t| chosen[t])
                        .min_by_key(|&t| (p.rank[t], t)),
                };
                if let Some(q) = q {
                    if !deps.contains(&q) {
                        deps.push(q);
                    }
                }
            }
            deps
        })
        .collect()
}
