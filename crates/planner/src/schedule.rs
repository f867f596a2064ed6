//! The order of the chosen steps and their weeks.

use crate::eligibility::Prepared;
use crate::model::PlanningInput;
use mycel_organisation::OpportunityId;
use std::collections::HashMap;

/// Where a step lands.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Slot {
    pub week: u32,
    /// Index into the candidate's `sessions`.
    pub session: Option<usize>,
}

/// A topological order of the chosen steps (`deps[i]`: the steps `i` needs first). Among the steps
/// that may come next, the person's order wins, then the planner's: steps that close a required
/// gap, then larger gaps, then the id. A step inherits the better position of the steps that need
/// it, so a listed step's prerequisites come right before it.
pub(crate) fn order(
    p: &Prepared,
    input: &PlanningInput,
    chosen: &[bool],
    deps: &[Vec<usize>],
) -> Vec<usize> {
    let n = p.len();
    let position: HashMap<OpportunityId, usize> = input
        .choices
        .order
        .iter()
        .enumerate()
        .rev()
        .map(|(at, id)| (*id, at))
        .collect();
    // (person's position, not required, minus the largest gap in thousandths of a level)
    let mut key: Vec<(usize, bool, i64)> = (0..n)
        .map(|i| {
            let required = p.closes[i].iter().any(|&g| p.gaps[g].required);
            let largest = p.closes[i]
                .iter()
                .map(|&g| ((p.gaps[g].target - p.gaps[g].current) * 1000.0).round() as i64)
                .max()
                .unwrap_or(0);
            (
                position
                    .get(&p.candidates[i].id)
                    .copied()
                    .unwrap_or(usize::MAX),
                !required,
                -largest,
            )
        })
        .collect();
    // Prerequisites inherit their dependents' keys (the prerequisite graph is acyclic by rank).
    let mut changed = true;
    while changed {
        changed = false;
        for i in (0..n).filter(|&i| chosen[i]) {
            for &q in &deps[i] {
                if key[i] < key[q] {
                    key[q] = key[i];
                    changed = true;
                }
            }
        }
    }
    let mut placed = vec![false; n];
    let mut result = Vec::new();
    let total = chosen.iter().filter(|c| **c).count();
    while result.len() < total {
        let next = (0..n)
            .filter(|&i| chosen[i] && !placed[i] && deps[i].iter().all(|&q| placed[q]))
            .min_by_key(|&i| (key[i], i));
        let Some(i) = next else { break };
        placed[i] = true;
        result.push(i);
    }
    result
}

/// Weeks for the ordered steps. Self-paced steps fill each week up to the weekly budget, never
/// before the steps they need are done and never before the step before them; a step longer than
/// the budget starts in an empty week and has its weeks to itself. A session-held step takes the
/// earliest bookable session in or after the week its prerequisites are done and lands in that
/// week (its minutes count in that week). A session-held step without such a session, and every
/// step that needs it, gets no slot (None).
pub(crate) fn weeks(p: &Prepared, ordered: &[usize], deps: &[Vec<usize>]) -> Vec<Option<Slot>> {
    let n = p.len();
    let budget = u64::from(p.weekly_minutes);
    let mut load: Vec<u64> = Vec::new();
    let mut done: Vec<Option<i64>> = vec![None; n];
    let mut slots: Vec<Option<Slot>> = vec![None; n];
    let mut cursor = 0i64;
    for &i in ordered {
        let mut earliest = 0i64;
        let mut blocked = false;
        for &q in &deps[i] {
            match done[q] {
                Some(week) => earliest = earliest.max(week),
                None => blocked = true,
            }
        }
        if blocked {
            continue;
        }
        let minutes = u64::from(p.candidates[i].minutes);
        if p.candidates[i].needs_session {
            let Some(&(week, _, session)) = p.sessions[i].iter().find(|s| s.0 >= earliest) else {
                continue;
            };
            add(&mut load, week, minutes);
            done[i] = Some(week);
            slots[i] = Some(Slot {
                week: week_number(week),
                session: Some(session),
            });
            continue;
        }
        let start = cursor.max(earliest);
        let (week, last) = if budget == 0 {
            (start, start)
        } else if minutes > budget {
            let length = minutes.div_ceil(budget) as i64;
            let mut week = start;
            while (week..week + length).any(|w| at(&load, w) > 0) {
                week += 1;
            }
            for w in week..week + length {
                add(&mut load, w, budget);
            }
            (week, week + length - 1)
        } else {
            let mut week = start;
            while at(&load, week) + minutes > budget {
                week += 1;
            }
            add(&mut load, week, minutes);
            (week, week)
        };
        cursor = week;
        done[i] = Some(last);
        slots[i] = Some(Slot {
            week: week_number(week),
            session: None,
        });
    }
    slots
}

fn at(load: &[u64], week: i64) -> u64 {
    usize::try_from(week)
        .ok()
        .and_then(|w| load.get(w).copied())
        .unwrap_or(0)
}

fn add(load: &mut Vec<u64>, week: i64, minutes: u64) {
    let Ok(w) = usize::try_from(week) else { return };
    if load.len() <= w {
        load.resize(w + 1, 0);
    }
    load[w] += minutes;
}

fn week_number(week: i64) -> u32 {
    u32::try_from(week.max(0)).unwrap_or(u32::MAX)
}
