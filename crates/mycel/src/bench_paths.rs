//! `mycel bench paths`: personal learning paths on a network written by `mycel generate` (its
//! database is given with `--data-dir` or `--database-url`): one person's path, planned as
//! `/learn/path` plans it (profile with live estimates, candidates from the catalogue, the
//! planner, the schedule), for a sample of people; and, with `--all`, every person of the
//! network re-planned with `--concurrency` tasks. Prints a Markdown report.

use super::Latencies;
use crate::config::Config;
use anyhow::{bail, Context};
use chrono::Utc;
use mycel_app::learning_paths::person_path;
use mycel_app::Acting;
use mycel_organisation::PersonId;
use mycel_store::{PeopleQuery, Store, TenantScope};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct PathArgs {
    /// People whose paths are timed one by one.
    #[arg(long, default_value_t = 1_000, value_name = "N")]
    samples: usize,
    /// Also re-plan every person of the network.
    #[arg(long)]
    all: bool,
    /// Tasks planning at the same time for `--all`.
    #[arg(long, default_value_t = 2, value_name = "N")]
    concurrency: usize,
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Everyone of the network, with their company.
async fn everyone(store: &dyn Store) -> anyhow::Result<Vec<(TenantScope, PersonId)>> {
    let mut people = Vec::new();
    for tenant in store
        .list_tenants()
        .await
        .context("cannot list companies")?
    {
        let scope = TenantScope::system(tenant.id);
        let mut after = None;
        loop {
            let page = store
                .list_people(
                    scope,
                    PeopleQuery {
                        org_unit: None,
                        after,
                        limit: 1_000,
                    },
                )
                .await
                .context("cannot list people")?;
            let Some(last) = page.last().map(|p| p.id) else {
                break;
            };
            people.extend(page.iter().map(|p| (scope, p.id)));
            after = Some(last);
        }
    }
    Ok(people)
}

pub async fn run(config: Config, args: PathArgs) -> anyhow::Result<()> {
    if args.samples == 0 || args.concurrency == 0 {
        bail!("--samples and --concurrency must be at least 1");
    }
    let store = crate::open_store(&config).await?;
    let result = paths(store.clone(), &args).await;
    store.close().await;
    result
}

async fn paths(store: Arc<dyn Store>, args: &PathArgs) -> anyhow::Result<()> {
    let people = everyone(&*store).await?;
    if people.is_empty() {
        bail!("the database holds no people: run `mycel generate` into it first");
    }
    let catalogue = store
        .catalogue_revision()
        .await
        .context("cannot read the catalogue")?;
    println!(
        "learning paths: {} people in {} companies (catalogue revision {catalogue}), {} samples, seed {}",
        people.len(),
        store.list_tenants().await?.len(),
        args.samples,
        args.seed
    );
    let mut rng = StdRng::seed_from_u64(args.seed);
    let sample: Vec<_> = people
        .choose_multiple(&mut rng, args.samples.min(people.len()))
        .copied()
        .collect();
    let mut latencies = Latencies(Vec::with_capacity(sample.len()));
    let (mut steps, mut open) = (0usize, 0usize);
    let began = Instant::now();
    for (scope, person) in &sample {
        let start = Instant::now();
        let view = person_path(&*store, Acting::Operator, *scope, *person, Utc::now())
            .await
            .with_context(|| format!("cannot plan the path of {person}"))?;
        latencies.0.push(start.elapsed());
        steps += view.plan.steps.len();
        open += view.plan.open_gaps.len();
    }
    let n = sample.len().max(1);
    println!();
    println!("| one person's path | value |");
    println!("|---|---:|");
    println!("| paths planned | {} |", sample.len());
    println!("| p50 ms | {} |", ms(latencies.percentile(50)));
    println!("| p95 ms | {} |", ms(latencies.percentile(95)));
    println!("| p99 ms | {} |", ms(latencies.percentile(99)));
    println!("| max ms | {} |", ms(latencies.max()));
    println!("| steps per path (mean) | {:.1} |", steps as f64 / n as f64);
    println!(
        "| open gaps per path (mean) | {:.1} |",
        open as f64 / n as f64
    );
    println!(
        "| paths per second (one task) | {:.0} |",
        sample.len() as f64 / began.elapsed().as_secs_f64()
    );

    if args.all {
        let queue = Arc::new(std::sync::Mutex::new(people.clone()));
        let done = Arc::new(AtomicU64::new(0));
        let began = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..args.concurrency {
            let (store, queue, done) = (store.clone(), queue.clone(), done.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop());
                    let Some((scope, person)) = next else {
                        return Ok::<(), anyhow::Error>(());
                    };
                    person_path(&*store, Acting::Operator, scope, person, Utc::now())
                        .await
                        .with_context(|| format!("cannot plan the path of {person}"))?;
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if n % 20_000 == 0 {
                        eprintln!("  {n} paths re-planned");
                    }
                }
            }));
        }
        for task in tasks {
            task.await.context("a planning task failed")??;
        }
        let seconds = began.elapsed().as_secs_f64();
        println!();
        println!("| every path re-planned | value |");
        println!("|---|---:|");
        println!("| people | {} |", people.len());
        println!("| tasks | {} |", args.concurrency);
        println!("| seconds | {seconds:.1} |");
        println!(
            "| paths per second | {:.0} |",
            people.len() as f64 / seconds
        );
    }
    Ok(())
}
