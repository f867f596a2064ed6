//! The choice of steps: a weighted set cover with prerequisites (NP-hard), solved by a greedy
//! heuristic, the removal of redundant steps and a local improvement.

use crate::eligibility::{Need, Prepared};
use std::cmp::Ordering;

/// The chosen candidates (by index into `Prepared::candidates`).
pub(crate) fn choose(p: &Prepared) -> Vec<bool> {
    let n = p.len();
    let mut chosen = p.pinned.clone();
    let forbidden = vec![false; n];
    complete(p, &mut chosen, &forbidden);
    remove_redundant(p, &mut chosen, None);
    improve(p, &mut chosen);
    chosen
}

/// (weight, minutes) of a set: what the choice minimises, minutes breaking ties.
fn total(p: &Prepared, chosen: &[bool]) -> (u64, u64) {
    (0..p.len())
        .filter(|&i| chosen[i])
        .fold((0, 0), |(w, m), i| (w + p.weight[i], m + p.minutes[i]))
}

/// The candidates that must be added (besides `x`) so that `x`'s requirements are met, given the
/// chosen ones; None when that needs a forbidden candidate. Memoised for one state of `chosen`.
struct Closures<'p, 'c> {
    p: &'p Prepared<'p>,
    chosen: &'c [bool],
    forbidden: &'c [bool],
    memo: Vec<Option<Option<Vec<usize>>>>,
}

impl<'p, 'c> Closures<'p, 'c> {
    fn new(p: &'p Prepared<'p>, chosen: &'c [bool], forbidden: &'c [bool]) -> Self {
        Closures {
            p,
            chosen,
            forbidden,
            memo: vec![None; p.len()],
        }
    }

    fn cost(&self, set: &[usize]) -> (u64, u64) {
        set.iter().fold((0, 0), |(w, m), &i| {
            (w + self.p.weight[i], m + self.p.minutes[i])
        })
    }

    fn of(&mut self, x: usize) -> Option<Vec<usize>> {
        if let Some(known) = &self.memo[x] {
            return known.clone();
        }
        let result = self.compute(x);
        self.memo[x] = Some(result.clone());
        result
    }

    fn compute(&mut self, x: usize) -> Option<Vec<usize>> {
        let p = self.p;
        let mut set: Vec<usize> = Vec::new();
        for need in &p.needs[x] {
            match need {
                Need::Step(q) => {
                    let q = *q;
                    if self.chosen[q] || set.contains(&q) {
                        continue;
                    }
                    if self.forbidden[q] {
                        return None;
                    }
                    let sub = self.of(q)?;
                    merge(&mut set, &[q]);
                    merge(&mut set, &sub);
                }
                Need::OneOf(teachers) => {
                    if teachers.iter().any(|&t| self.chosen[t] || set.contains(&t)) {
                        continue;
                    }
                    // (cost, preferred, teacher with its closure)
                    let mut best: Option<(Teacher, Vec<usize>)> = None;
                    for &t in teachers {
                        if self.forbidden[t] {
                            continue;
                        }
                        let Some(sub) = self.of(t) else { continue };
                        let mut with = sub;
                        merge(&mut with, &[t]);
                        let extra: Vec<usize> =
                            with.iter().copied().filter(|i| !set.contains(i)).collect();
                        let cost = self.cost(&extra);
                        let better = match &best {
                            None => true,
                            Some(((c, preferred), _)) => {
                                cost.cmp(c)
                                    .then_with(|| p.preferred[t].cmp(preferred).reverse())
                                    == Ordering::Less
                            }
                        };
                        if better {
                            best = Some(((cost, p.preferred[t]), with));
                        }
                    }
                    let (_, with) = best?;
                    merge(&mut set, &with);
                }
            }
        }
        set.retain(|&i| i != x);
        Some(set)
    }
}

/// A teacher's (weight, minutes) with its requirements, and whether its modality is preferred.
type Teacher = ((u64, u64), bool);

/// Adds the items of `more` to the sorted set.
fn merge(set: &mut Vec<usize>, more: &[usize]) {
    for &i in more {
        if let Err(at) = set.binary_search(&i) {
            set.insert(at, i);
        }
    }
}

/// Adds steps until every chosen step's requirements are met and every closable gap is closed,
/// greedily by (weight of the step and its missing requirements) / (gaps newly closed). Never
/// adds a forbidden candidate. False when that is not possible.
fn complete(p: &Prepared, chosen: &mut [bool], forbidden: &[bool]) -> bool {
    // Requirements of steps already there (pinned ones, or after a removal).
    loop {
        let unmet: Vec<usize> = (0..p.len())
            .filter(|&i| chosen[i] && !p.needs_met(i, chosen))
            .collect();
        let Some(&i) = unmet.first() else { break };
        let closure = Closures::new(p, chosen, forbidden).of(i);
        let Some(closure) = closure else { return false };
        for q in closure {
            chosen[q] = true;
        }
    }
    let mut covered: Vec<bool> = p
        .gaps
        .iter()
        .map(|g| g.closers.iter().any(|&q| chosen[q]))
        .collect();
    while covered.iter().any(|c| !c) {
        let mut closures = Closures::new(p, chosen, forbidden);
        // (weight, minutes, newly closed, candidate, closure)
        let mut best: Option<(u64, u64, u64, usize, Vec<usize>)> = None;
        for x in 0..p.len() {
            if chosen[x] || forbidden[x] || !p.usable[x] {
                continue;
            }
            if !p.closes[x].iter().any(|&g| !covered[g]) {
                continue;
            }
            let Some(closure) = closures.of(x) else {
                continue;
            };
            let mut newly = 0u64;
            for (g, gap) in p.gaps.iter().enumerate() {
                if !covered[g] && gap.closers.iter().any(|&q| q == x || closure.contains(&q)) {
                    newly += 1;
                }
            }
            let (cw, cm) = closures.cost(&closure);
            let (w, m) = (p.weight[x] + cw, p.minutes[x] + cm);
            let better = match &best {
                None => true,
                Some((bw, bm, bn, bx, _)) => {
                    // w/newly < bw/bn, then minutes per gap, then more gaps, then preferred.
                    let by_weight = (u128::from(w) * u128::from(*bn))
                        .cmp(&(u128::from(*bw) * u128::from(newly)));
                    let by_minutes = (u128::from(m) * u128::from(*bn))
                        .cmp(&(u128::from(*bm) * u128::from(newly)));
                    by_weight
                        .then(by_minutes)
                        .then(bn.cmp(&newly))
                        .then(p.preferred[*bx].cmp(&p.preferred[x]))
                        == Ordering::Less
                }
            };
            if better {
                best = Some((w, m, newly, x, closure));
            }
        }
        let Some((_, _, _, x, closure)) = best else {
            return false;
        };
        chosen[x] = true;
        for q in closure {
            chosen[q] = true;
        }
        for (g, gap) in p.gaps.iter().enumerate() {
            covered[g] = covered[g] || gap.closers.iter().any(|&q| chosen[q]);
        }
    }
    true
}

/// Drops steps that nothing needs: their gaps are closed by others and no step requires them.
/// The heaviest go first; `last` (a step just brought in) is tried after all others.
fn remove_redundant(p: &Prepared, chosen: &mut [bool], last: Option<usize>) {
    let mut order: Vec<usize> = (0..p.len())
        .filter(|&i| chosen[i] && !p.pinned[i])
        .collect();
    order.sort_by(|&a, &b| {
        (Some(a) == last)
            .cmp(&(Some(b) == last))
            .then(p.weight[b].cmp(&p.weight[a]))
            .then(p.minutes[b].cmp(&p.minutes[a]))
            .then(p.preferred[a].cmp(&p.preferred[b]))
            .then(b.cmp(&a))
    });
    for i in order {
        chosen[i] = false;
        let still = p.closes[i]
            .iter()
            .all(|&g| p.gaps[g].closers.iter().any(|&q| chosen[q]))
            && (0..p.len()).all(|j| !chosen[j] || p.needs_met(j, chosen));
        if !still {
            chosen[i] = true;
        }
    }
}

/// Local improvement: take one step out (with the steps that needed it), complete the set again
/// without it, drop redundant steps; bring one step in (with its requirements) and drop redundant
/// steps; keep any change that lowers the total. Until nothing improves (bounded).
fn improve(p: &Prepared, chosen: &mut Vec<bool>) {
    let n = p.len();
    for _ in 0..8 {
        let current = total(p, chosen);
        let mut best: Option<((u64, u64), Vec<bool>)> = None;
        let consider = |trial: Vec<bool>, best: &mut Option<((u64, u64), Vec<bool>)>| {
            let t = total(p, &trial);
            if t < current && best.as_ref().is_none_or(|(b, _)| t < *b) {
                *best = Some((t, trial));
            }
        };
        // Out.
        for x in 0..n {
            if !chosen[x] || p.pinned[x] {
                continue;
            }
            let mut trial = chosen.clone();
            trial[x] = false;
            loop {
                let orphan = (0..n).find(|&i| trial[i] && !p.pinned[i] && !p.needs_met(i, &trial));
                match orphan {
                    Some(i) => trial[i] = false,
                    None => break,
                }
            }
            let mut forbidden = vec![false; n];
            forbidden[x] = true;
            if complete(p, &mut trial, &forbidden) {
                remove_redundant(p, &mut trial, None);
                consider(trial, &mut best);
            }
        }
        // In.
        let forbidden = vec![false; n];
        let mut closures = Closures::new(p, chosen, &forbidden);
        let mut ins = Vec::new();
        for (x, &on) in chosen.iter().enumerate() {
            if on || !p.usable[x] || p.closes[x].is_empty() {
                continue;
            }
            if let Some(closure) = closures.of(x) {
                ins.push((x, closure));
            }
        }
        for (x, closure) in ins {
            let mut trial = chosen.clone();
            trial[x] = true;
            for q in closure {
                trial[q] = true;
            }
            remove_redundant(p, &mut trial, Some(x));
            consider(trial, &mut best);
        }
        match best {
            Some((_, trial)) => *chosen = trial,
            None => break,
        }
    }
}
