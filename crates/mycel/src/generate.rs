//! `mycel generate`: the demo network's generator at benchmark scale
//! (`mycel_demo_network::network_at_scale`), with a progress bar on standard error and a table of
//! how long each phase took on standard output.

use crate::config::Config;
use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use mycel_demo_network::network_at_scale::{self, NetworkScale, Progress};
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// People in the network.
    #[arg(long, default_value_t = NetworkScale::COOPERATIVE.people, value_name = "N")]
    people: u32,
    /// Member companies (a few large, many small).
    #[arg(long, default_value_t = NetworkScale::COOPERATIVE.companies, value_name = "N")]
    companies: u32,
    /// Competencies in all (ESCO, topped up by a generated network framework).
    #[arg(long, default_value_t = NetworkScale::COOPERATIVE.competencies, value_name = "N")]
    competencies: u32,
    /// Opportunities in all, spread over the companies by size.
    #[arg(long, default_value_t = NetworkScale::COOPERATIVE.opportunities, value_name = "N")]
    opportunities: u32,
    /// xAPI statements per person (completions of the last six months).
    #[arg(long, default_value_t = NetworkScale::COOPERATIVE.statements_per_person, value_name = "N")]
    statements_per_person: u32,
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,
    /// The shared data folder with the ESCO zips.
    #[arg(long, default_value = "../shared/data", value_name = "DIR")]
    shared_data: PathBuf,
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn phase(&self, name: &str, total: u64) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_message(name.to_owned());
    }
    fn advance(&self, done: u64) {
        self.0.inc(done);
    }
}

pub async fn run(config: Config, args: GenerateArgs) -> anyhow::Result<()> {
    if args.people < args.companies || args.companies == 0 {
        bail!("--people must be at least --companies, and --companies at least 1");
    }
    let store = crate::open_store(&config).await?;
    if !store
        .list_tenants()
        .await
        .context("cannot list member companies")?
        .is_empty()
    {
        store.close().await;
        bail!("the database holds member companies already; generate into an empty one");
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:32} [{bar:40}] {pos}/{len} {elapsed_precise}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let scale = NetworkScale {
        companies: args.companies,
        people: args.people,
        competencies: args.competencies,
        opportunities: args.opportunities,
        statements_per_person: args.statements_per_person,
    };
    let home_page = config.http().home_page();
    let result = network_at_scale::generate(
        &*store,
        scale,
        args.seed,
        &args.shared_data,
        &home_page,
        &Bar(bar.clone()),
    )
    .await;
    bar.finish_and_clear();
    store.close().await;
    let summary = result?;
    println!("Generated {scale:?} with seed {}:", args.seed);
    println!();
    println!("| phase | rows | seconds |");
    println!("|---|---:|---:|");
    for (name, rows, seconds) in &summary.phases {
        println!("| {name} | {rows} | {seconds:.1} |");
    }
    println!("| **all** | | **{:.1}** |", summary.seconds);
    // The search index is built from the database when the server starts.
    println!();
    println!("`mycel serve` builds the catalogue's search index from it on start.");
    Ok(())
}
