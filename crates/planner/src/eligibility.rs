//! What the planner may choose from: the input indexed, the candidates the person can take
//! (usable), the order in which their prerequisites can be met (rank), the cycles among opportunity
//! prerequisites, and the gaps that can be closed.

use crate::model::{Candidate, Objective, PlanningInput, Requirement};
use chrono::{DateTime, NaiveTime, Utc};
use mycel_organisation::{CompetencyId, OpportunityId};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A requirement of a candidate as the planner checks it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Need {
    /// Another candidate (by index) that must be an earlier step.
    Step(usize),
    /// One of these candidates (by index, all of lower rank) must be an earlier step.
    OneOf(Vec<usize>),
}

/// A gap that is not met, deduplicated by competency.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Gap {
    pub competency_id: CompetencyId,
    pub current: f64,
    pub target: f64,
    pub required: bool,
    /// Usable candidates that teach the competency to the target.
    pub closers: Vec<usize>,
}

/// The input prepared for choosing.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    /// Candidates sorted by id (duplicates of an id dropped: the first one given wins).
    pub candidates: Vec<&'a Candidate>,
    pub usable: Vec<bool>,
    /// Usable candidates: how many rounds of prerequisites come before them (0: none needed).
    pub rank: Vec<u32>,
    /// Per candidate, its requirements that known levels and completions do not meet.
    pub needs: Vec<Vec<Need>>,
    /// Base usability: language, modality, skipped, completed, sessions (not prerequisites).
    pub allowed: Vec<bool>,
    pub pinned: Vec<bool>,
    pub gaps: Vec<Gap>,
    /// Per candidate, the gaps (indices into `gaps`) it closes.
    pub closes: Vec<Vec<usize>>,
    /// The weight the choice minimises: minutes, or cost in cents (pinned steps weigh 0).
    pub weight: Vec<u64>,
    /// Minutes, the tie-break of the cost objective.
    pub minutes: Vec<u64>,
    pub preferred: Vec<bool>,
    pub cycles: Vec<Vec<OpportunityId>>,
    /// Session-held candidates: their sessions with a free place, as (week, starts at, index).
    pub sessions: Vec<Vec<(i64, DateTime<Utc>, usize)>>,
    /// The schedule's weekly budget (0: none).
    pub weekly_minutes: u32,
}

/// The Monday 00:00 UTC the schedule's week 0 starts.
pub(crate) fn first_week_start(input: &PlanningInput) -> DateTime<Utc> {
    input
        .preferences
        .first_week
        .and_time(NaiveTime::MIN)
        .and_utc()
}

impl<'a> Prepared<'a> {
    pub fn new(input: &'a PlanningInput) -> Self {
        let mut candidates: Vec<&Candidate> = Vec::with_capacity(input.candidates.len());
        let mut seen = HashSet::new();
        for candidate in &input.candidates {
            if seen.insert(candidate.id) {
                candidates.push(candidate);
            }
        }
        candidates.sort_by_key(|c| c.id);
        let index: HashMap<OpportunityId, usize> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let n = candidates.len();

        let mut known: HashMap<CompetencyId, f64> = HashMap::new();
        for &(competency, level) in &input.known_levels {
            let entry = known.entry(competency).or_insert(0.0);
            *entry = entry.max(level);
        }
        for gap in &input.gaps {
            let entry = known.entry(gap.competency_id).or_insert(0.0);
            *entry = entry.max(gap.current);
        }
        let known_level = |c: &CompetencyId| known.get(c).copied().unwrap_or(0.0);
        let completed: HashSet<OpportunityId> = input.completed.iter().copied().collect();
        let skipped: HashSet<OpportunityId> = input.choices.skipped.iter().copied().collect();
        let pinned_ids: HashSet<OpportunityId> = input.choices.pinned.iter().copied().collect();
        let prefs = &input.preferences;
        let week0 = first_week_start(input);

        // Sessions that can be booked: a free place, starting at or after now and in a week of
        // the schedule.
        let sessions: Vec<Vec<(i64, DateTime<Utc>, usize)>> = candidates
            .iter()
            .map(|c| {
                let mut slots: Vec<(i64, DateTime<Utc>, usize)> = c
                    .sessions
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.free_places > 0 && s.starts_at >= input.now)
                    .filter(|(_, s)| s.starts_at >= week0)
                    .map(|(i, s)| ((s.starts_at - week0).num_weeks(), s.starts_at, i))
                    .collect();
                slots.sort_by_key(|&(_, at, i)| (at, c.sessions[i].id));
                slots
            })
            .collect();

        let allowed: Vec<bool> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (prefs.languages.is_empty() || prefs.languages.contains(&c.language))
                    && !prefs.excluded_modalities.contains(&c.modality)
                    && !skipped.contains(&c.id)
                    && !completed.contains(&c.id)
                    && (!c.needs_session || !sessions[i].is_empty())
            })
            .collect();

        // Usable candidates and their rank, as a least fixed point in rounds: a candidate joins in
        // round r when all its requirements are met by known levels, completions or candidates of
        // earlier rounds. Cycles never join (unless a completion breaks them): no loop.
        let mut rank: Vec<Option<u32>> = vec![None; n];
        let mut round = 0u32;
        loop {
            let mut joined = Vec::new();
            for (i, c) in candidates.iter().enumerate() {
                if rank[i].is_some() || !allowed[i] {
                    continue;
                }
                let met = c.requires.iter().all(|r| match r {
                    Requirement::Opportunity { opportunity_id } => {
                        completed.contains(opportunity_id)
                            || index
                                .get(opportunity_id)
                                .is_some_and(|&p| rank[p].is_some())
                    }
                    Requirement::Competency {
                        competency_id,
                        level,
                    } => {
                        known_level(competency_id) >= *level
                            || candidates.iter().enumerate().any(|(q, t)| {
                                rank[q].is_some() && teaches(t, competency_id, *level)
                            })
                    }
                });
                if met {
                    joined.push(i);
                }
            }
            if joined.is_empty() {
                break;
            }
            for i in joined {
                rank[i] = Some(round);
            }
            round += 1;
        }
        let usable: Vec<bool> = rank.iter().map(Option::is_some).collect();
        let rank: Vec<u32> = rank.iter().map(|r| r.unwrap_or(u32::MAX)).collect();

        let needs: Vec<Vec<Need>> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if !usable[i] {
                    return Vec::new();
                }
                let mut needs = Vec::new();
                for r in &c.requires {
                    match r {
                        Requirement::Opportunity { opportunity_id } => {
                            if !completed.contains(opportunity_id) {
                                if let Some(&p) = index.get(opportunity_id) {
                                    if !needs.contains(&Need::Step(p)) {
                                        needs.push(Need::Step(p));
                                    }
                                }
                            }
                        }
                        Requirement::Competency {
                            competency_id,
                            level,
                        } => {
                            if known_level(competency_id) < *level {
                                let teachers: Vec<usize> = (0..n)
                                    .filter(|&q| {
                                        usable[q]
                                            && rank[q] < rank[i]
                                            && teaches(candidates[q], competency_id, *level)
                                    })
                                    .collect();
                                needs.push(Need::OneOf(teachers));
                            }
                        }
                    }
                }
                needs
            })
            .collect();

        // Gaps: not met, one per competency (the highest target; the current level is the known
        // one), sorted by competency.
        let mut by_competency: BTreeMap<CompetencyId, (f64, bool)> = BTreeMap::new();
        for gap in input.gaps.iter().filter(|g| g.current < g.target) {
            let entry = by_competency
                .entry(gap.competency_id)
                .or_insert((gap.target, gap.required));
            entry.0 = entry.0.max(gap.target);
            entry.1 |= gap.required;
        }
        let gaps: Vec<Gap> = by_competency
            .into_iter()
            .filter(|(c, (target, _))| known_level(c) < *target)
            .map(|(competency_id, (target, required))| Gap {
                competency_id,
                current: known_level(&competency_id),
                target,
                required,
                closers: (0..n)
                    .filter(|&q| usable[q] && teaches(candidates[q], &competency_id, target))
                    .collect(),
            })
            .collect();
        let mut closes = vec![Vec::new(); n];
        for (g, gap) in gaps.iter().enumerate() {
            for &q in &gap.closers {
                closes[q].push(g);
            }
        }

        let pinned: Vec<bool> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| usable[i] && pinned_ids.contains(&c.id))
            .collect();
        let weight = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| match (pinned[i], prefs.objective) {
                (true, _) => 0,
                (false, Objective::Time) => u64::from(c.minutes),
                (false, Objective::Cost) => c.cost_cents,
            })
            .collect();
        let minutes = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| if pinned[i] { 0 } else { u64::from(c.minutes) })
            .collect();
        let preferred = candidates
            .iter()
            .map(|c| prefs.preferred_modalities.contains(&c.modality))
            .collect();
        let cycles = find_cycles(&candidates, &index);

        Prepared {
            candidates,
            usable,
            rank,
            needs,
            allowed,
            pinned,
            gaps,
            closes,
            weight,
            minutes,
            preferred,
            cycles,
            sessions,
            weekly_minutes: prefs.weekly_minutes,
        }
    }

    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Whether the requirements of candidate `i` are met by the steps in `chosen`.
    pub fn needs_met(&self, i: usize, chosen: &[bool]) -> bool {
        self.needs[i].iter().all(|need| match need {
            Need::Step(p) => chosen[*p],
            Need::OneOf(teachers) => teachers.iter().any(|&q| chosen[q]),
        })
    }
}

/// Whether a candidate teaches the competency to at least the level.
pub(crate) fn teaches(candidate: &Candidate, competency: &CompetencyId, level: f64) -> bool {
    candidate
        .teaches
        .iter()
        .any(|(c, l)| c == competency && *l >= level)
}

/// Cycles among the candidates' opportunity prerequisites: one per strongly connected group (or
/// self-requirement), as the shortest cycle through its smallest id, starting there. Iterative,
/// so deep chains cannot overflow the stack.
fn find_cycles(
    candidates: &[&Candidate],
    index: &HashMap<OpportunityId, usize>,
) -> Vec<Vec<OpportunityId>> {
    let n = candidates.len();
    let edges: Vec<Vec<usize>> = candidates
        .iter()
        .map(|c| {
            let mut out: Vec<usize> = c
                .requires
                .iter()
                .filter_map(|r| match r {
                    Requirement::Opportunity { opportunity_id } => {
                        index.get(opportunity_id).copied()
                    }
                    Requirement::Competency { .. } => None,
                })
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect();

    // Tarjan's strongly connected components, iteratively.
    let mut order = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut components = 0usize;
    let mut counter = 0usize;
    for root in 0..n {
        if order[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut next)) = work.last_mut() {
            if *next < edges[v].len() {
                let w = edges[v][*next];
                *next += 1;
                if order[w] == usize::MAX {
                    order[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == order[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component[w] = components;
                        if w == v {
                            break;
                        }
                    }
                    components += 1;
                }
            }
        }
    }

    let mut members: Vec<Vec<usize>> = vec![Vec::new(); components];
    for v in 0..n {
        members[component[v]].push(v);
    }
    let mut cycles = Vec::new();
    for group in members {
        let Some(&start) = group.iter().min() else {
            continue;
        };
        if group.len() == 1 && !edges[start].contains(&start) {
            continue;
        }
        // Breadth-first from the smallest member back to it, inside the group.
        let comp = component[start];
        let mut parent = vec![usize::MAX; n];
        let mut queue = std::collections::VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(v) = queue.pop_front() {
            for &w in &edges[v] {
                if component[w] != comp {
                    continue;
                }
                if w == start {
                    closing = Some(v);
                    break 'search;
                }
                if parent[w] == usize::MAX {
                    parent[w] = v;
                    queue.push_back(w);
                }
            }
        }
        let Some(mut v) = closing else { continue };
        let mut path = vec![v];
        while v != start {
            v = parent[v];
            path.push(v);
        }
        path.reverse();
        cycles.push(path.into_iter().map(|v| candidates[v].id).collect());
    }
    cycles.sort();
    cycles
}
