//! `mycel demo`: generates the demo network (`mycel-demo-network`) into an empty database, or
//! reuses the one there, prints who to log in as, and serves it like `mycel serve`.

use crate::config::Config;
use anyhow::{bail, Context};
use mycel_demo_network::{DemoOptions, DEMO_PASSWORD};
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Address and port to listen on (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// The seed of the generated network: the same seed gives the same network.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Delete the demo database and generate it again (SQLite only; on PostgreSQL, drop and
    /// create the database instead).
    #[arg(long)]
    pub reset: bool,
    /// The shared data folder with the ESCO zips and the example packages.
    #[arg(long, default_value = "../shared/data", value_name = "DIR")]
    pub shared_data: PathBuf,
    /// Generate (or find) the network and print the logins, without serving it.
    #[arg(long)]
    pub no_serve: bool,
}

/// Where the demo keeps its SQLite database when no `--data-dir` is given, so that it never
/// mixes with a real installation's `./mycel-data`.
pub const DEMO_DATA_DIR: &str = "mycel-demo-data";

pub async fn run(
    mut config: Config,
    explicit_data_dir: bool,
    args: DemoArgs,
) -> anyhow::Result<()> {
    crate::serve::init_tracing(&config);
    if config.database_url.is_none() && !explicit_data_dir {
        config.data_dir = PathBuf::from(DEMO_DATA_DIR);
    }
    if args.reset {
        reset(&config).await?;
    }
    let store = crate::open_store(&config).await?;
    let result = prepare(&config, &*store, &args).await;
    store.close().await;
    result?;
    if args.no_serve {
        return Ok(());
    }
    crate::serve::run(config).await
}

/// Removes the demo's SQLite database and search index, after checking that they hold the demo.
async fn reset(config: &Config) -> anyhow::Result<()> {
    if config.database_url.is_some() {
        bail!("--reset works on the embedded SQLite database only; on PostgreSQL, drop and create the database, then run `mycel demo` again");
    }
    if !config.data_dir.exists() {
        return Ok(());
    }
    let store = crate::open_store(config).await?;
    let is_demo = mycel_demo_network::is_generated(&*store).await;
    store.close().await;
    if !is_demo? {
        bail!(
            "{} does not hold the demo network; not deleting it",
            config.data_dir.display()
        );
    }
    std::fs::remove_dir_all(&config.data_dir)
        .with_context(|| format!("cannot delete {}", config.data_dir.display()))?;
    println!("Deleted the demo network in {}.", config.data_dir.display());
    Ok(())
}

async fn prepare(
    config: &Config,
    store: &dyn mycel_store::Store,
    args: &DemoArgs,
) -> anyhow::Result<()> {
    if mycel_demo_network::is_generated(store).await? {
        println!("The demo network is here already; reusing it (--reset generates it again).");
    } else {
        println!(
            "Generating the demo network (seed {}) from {} …",
            args.seed,
            args.shared_data.display()
        );
        let catalogue = mycel_app::catalogue::Catalogue::open(store, &config.data_dir)
            .await
            .context("cannot open the catalogue's search index")?;
        let options = DemoOptions {
            seed: args.seed,
            shared_data: args.shared_data.clone(),
            home_page: config.http().home_page(),
        };
        let summary = mycel_demo_network::generate(store, &catalogue, &options).await?;
        println!(
            "Generated in {:.1} s: {} member companies, {} org units, {} people, {} roles, \
             {} opportunities, {} classroom sessions ({} enrolments), {} statements, \
             {} assessments, {} journal entries.",
            summary.seconds,
            summary.companies,
            summary.org_units,
            summary.people,
            summary.roles,
            summary.opportunities,
            summary.sessions,
            summary.enrolments,
            summary.statements,
            summary.evidence,
            summary.journal_entries,
        );
    }
    let address = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    println!();
    println!("Log in at {address} (password for all: {DEMO_PASSWORD}):");
    for login in mycel_demo_network::logins() {
        println!(
            "  organisation {:<13} {:<40} {}",
            login.organisation, login.email, login.who
        );
        println!("  {:<54} sees: {}", "", login.sees);
    }
    println!();
    Ok(())
}
