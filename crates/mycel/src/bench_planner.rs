//! `mycel bench planner`: the learning path planner's choice against the exact optimum of the
//! same choice (an integer program, good_lp with microlp) on generated instances of up to 30 gaps
//! and 200 candidate opportunities, and the time `plan()` takes for one path.

use anyhow::{bail, Context};
use mycel_planner::exact::{objective_value, optimum};
use mycel_planner::instances::generate;
use mycel_planner::{chosen_opportunities, plan};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct PlannerArgs {
    /// Generated instances.
    #[arg(long, default_value_t = 1_000, value_name = "N")]
    instances: u64,
    /// Seed of the first instance (the others follow it).
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,
}

/// How many times `plan()` runs per instance for its timing (the median counts).
const REPEATS: usize = 5;

pub fn run(args: &PlannerArgs) -> anyhow::Result<()> {
    if args.instances == 0 {
        bail!("--instances must be at least 1");
    }
    println!(
        "learning path planner: {} generated instances (up to 30 gaps, 200 candidates), seeds {}..{}",
        args.instances,
        args.seed,
        args.seed.saturating_add(args.instances - 1)
    );
    let mut ratios: Vec<f64> = Vec::new();
    let mut plan_times: Vec<Duration> = Vec::new();
    let mut exact_times: Vec<Duration> = Vec::new();
    let (mut gaps, mut candidates, mut steps, mut open, mut cycles) = (0usize, 0, 0, 0, 0);
    for n in 0..args.instances {
        let seed = args.seed.wrapping_add(n);
        let input = generate(seed, 30, 200);
        let mut times = Vec::with_capacity(REPEATS);
        let mut path = None;
        for _ in 0..REPEATS {
            let started = Instant::now();
            path = Some(std::hint::black_box(plan(std::hint::black_box(&input))));
            times.push(started.elapsed());
        }
        times.sort();
        plan_times.push(times[REPEATS / 2]);
        let path = path.context("no plan")?;
        gaps += input.gaps.len();
        candidates += input.candidates.len();
        steps += path.steps.len();
        open += path.open_gaps.len();
        cycles += path.cycles.len();

        let heuristic = objective_value(&input, &chosen_opportunities(&input));
        let started = Instant::now();
        let best = optimum(&input).with_context(|| format!("instance with seed {seed}"))?;
        exact_times.push(started.elapsed());
        let ratio = match (heuristic, best.value) {
            (0, 0) => 1.0,
            (_, 0) => f64::INFINITY,
            (h, b) => h as f64 / b as f64,
        };
        if ratio < 1.0 {
            bail!("seed {seed}: the heuristic ({heuristic}) is below the optimum ({}): the model is wrong", best.value);
        }
        ratios.push(ratio);
    }
    let count = ratios.len();
    let share = |f: &dyn Fn(f64) -> bool| {
        100.0 * ratios.iter().filter(|r| f(**r)).count() as f64 / count as f64
    };
    let per = |total: usize| total as f64 / count as f64;
    println!(
        "per instance on average: {:.1} gaps, {:.1} candidates, {:.1} steps planned, {:.1} gaps open, {:.2} cycles reported",
        per(gaps),
        per(candidates),
        per(steps),
        per(open),
        per(cycles)
    );
    println!();
    println!("| heuristic / optimum | share of instances |");
    println!("|---|---:|");
    println!("| optimal (0%) | {:.1}% |", share(&|r| r <= 1.0 + 1e-9));
    println!("| ≤ 1% above | {:.1}% |", share(&|r| r <= 1.01));
    println!("| ≤ 5% above | {:.1}% |", share(&|r| r <= 1.05));
    println!("| ≤ 10% above | {:.1}% |", share(&|r| r <= 1.10));
    println!("| worse than 10% | {:.1}% |", share(&|r| r > 1.10));
    let worst = ratios.iter().copied().fold(1.0, f64::max);
    println!("| worst | {:+.2}% |", (worst - 1.0) * 100.0);
    println!();
    plan_times.sort();
    exact_times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("| time per instance | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|");
    for (name, times) in [
        ("plan() (median of 5 runs)", &plan_times),
        ("exact optimum (integer program)", &exact_times),
    ] {
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} |",
            ms(percentile(times, 0.50)),
            ms(percentile(times, 0.99)),
            ms(times[times.len() - 1])
        );
    }
    println!();
    println!(
        "within 5% of optimum: {:.1}% of {count} instances",
        share(&|r| r <= 1.05)
    );
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at]
}
