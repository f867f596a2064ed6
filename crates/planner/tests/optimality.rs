//! The heuristic against the exact optimum (an integer program) on seeded random instances: a
//! quality floor (at least 95% of instances within 5% of the optimum), not a timing. Fixed seeds,
//! so it cannot be flaky.

use mycel_planner::chosen_opportunities;
use mycel_planner::exact::{objective_value, optimum};
use mycel_planner::instances::generate;

#[test]
fn the_heuristic_is_within_five_percent_of_the_optimum_on_at_least_95_percent_of_instances() {
    let instances = 200u64;
    let mut within = 0u64;
    let mut exact_hits = 0u64;
    for seed in 0..instances {
        let input = generate(seed, 30, 200);
        let heuristic = objective_value(&input, &chosen_opportunities(&input));
        let best = optimum(&input).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert!(
            heuristic >= best.value,
            "seed {seed}: the heuristic ({heuristic}) beats the optimum ({})",
            best.value
        );
        if heuristic == best.value {
            exact_hits += 1;
        }
        if heuristic as f64 <= best.value as f64 * 1.05 {
            within += 1;
        }
    }
    println!("{within} of {instances} within 5%, {exact_hits} optimal");
    assert!(
        within * 100 >= instances * 95,
        "only {within} of {instances} instances within 5% of the optimum"
    );
}
