//! The exact optimum of the choice as an integer program (good_lp with the pure-Rust microlp
//! solver), to measure the heuristic against; only with the `exact` feature (tests, benchmark).
//!
//! One binary variable per usable candidate; per closable gap, at least one candidate that closes
//! it; per opportunity prerequisite that is not completed, x(step) ≤ x(prerequisite); per
//! competency prerequisite the known levels do not meet, x(step) ≤ Σ x(teachers of lower rank);
//! pinned candidates fixed to 1. It minimises the objective's measure (minutes, or cost in cents)
//! of the chosen candidates, pinned ones included; the schedule is not part of it.

use crate::eligibility::{Need, Prepared};
use crate::model::{Objective, PlanningInput};
use good_lp::{constraint, microlp, variable, variables, Expression, Solution, SolverModel};
use mycel_organisation::OpportunityId;
use std::fmt;

/// The optimal choice.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimum {
    /// Sorted by id.
    pub opportunities: Vec<OpportunityId>,
    /// Total minutes (time objective) or cost in cents (cost objective).
    pub value: u64,
}

/// The solver gave no optimum (it should always find one: the heuristic's choice is feasible).
#[derive(Debug)]
pub struct ExactError(String);

impl fmt::Display for ExactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the integer program has no solution: {}", self.0)
    }
}

impl std::error::Error for ExactError {}

/// The value of a choice under the input's objective: total minutes or total cost in cents of the
/// named candidates (unknown ids count 0).
pub fn objective_value(input: &PlanningInput, opportunities: &[OpportunityId]) -> u64 {
    input
        .candidates
        .iter()
        .filter(|c| opportunities.contains(&c.id))
        .map(|c| measure(input.preferences.objective, c.minutes, c.cost_cents))
        .sum()
}

fn measure(objective: Objective, minutes: u32, cost_cents: u64) -> u64 {
    match objective {
        Objective::Time => u64::from(minutes),
        Objective::Cost => cost_cents,
    }
}

/// The exact optimum of the choice.
pub fn optimum(input: &PlanningInput) -> Result<Optimum, ExactError> {
    let p = Prepared::new(input);
    let n = p.len();
    let objective = input.preferences.objective;
    let mut vars = variables!();
    let x: Vec<Option<good_lp::Variable>> = (0..n)
        .map(|i| p.usable[i].then(|| vars.add(variable().binary())))
        .collect();
    let mut goal = Expression::from(0.0);
    for (i, xi) in x.iter().enumerate() {
        if let Some(v) = *xi {
            let c = p.candidates[i];
            goal += v * (measure(objective, c.minutes, c.cost_cents) as f64);
        }
    }
    let mut model = vars.minimise(goal).using(microlp);
    for gap in &p.gaps {
        if gap.closers.is_empty() {
            continue;
        }
        let cover: Expression = gap.closers.iter().filter_map(|&q| x[q]).sum();
        model = model.with(constraint!(cover >= 1));
    }
    for (i, xi) in x.iter().enumerate() {
        let Some(xi) = *xi else { continue };
        if p.pinned[i] {
            model = model.with(constraint!(xi == 1));
        }
        for need in &p.needs[i] {
            let alternatives: Expression = match need {
                Need::Step(q) => x[*q].map(Expression::from).unwrap_or_default(),
                Need::OneOf(teachers) => teachers.iter().filter_map(|&q| x[q]).sum(),
            };
            model = model.with(constraint!(xi <= alternatives));
        }
    }
    let solution = model
        .solve()
        .map_err(|error| ExactError(error.to_string()))?;
    let opportunities: Vec<OpportunityId> = (0..n)
        .filter(|&i| x[i].is_some_and(|v| solution.value(v) > 0.5))
        .map(|i| p.candidates[i].id)
        .collect();
    let value = objective_value(input, &opportunities);
    Ok(Optimum {
        opportunities,
        value,
    })
}
