//! The `mycel` command: `serve` runs the platform, `admin` sets up the network of companies.
//! This is the binary's edge, so errors here are `anyhow` (see `mycel_http::error` for the layers).

mod admin;
mod bench;
mod config;
mod demo;
mod generate;
mod import;
mod serve;

use clap::{Parser, Subcommand};
use config::{Config, Overrides};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "mycel",
    version,
    about = "Mycel, a corporate learning ecosystem"
)]
struct Cli {
    #[command(flatten)]
    db: DatabaseArgs,
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives; every command takes these.
#[derive(Debug, clap::Args)]
struct DatabaseArgs {
    /// A TOML configuration file (default: ./mycel.toml if it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Directory of the embedded SQLite database (default ./mycel-data).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// postgres://… to run on PostgreSQL (or sqlite://…).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run Mycel: the web interface, the API and everything behind them.
    Serve {
        /// Address and port to listen on (default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR:PORT")]
        listen: Option<String>,
    },
    /// Generate a living demo network (a retail cooperative's three member companies) and serve
    /// it; a second run reuses it.
    Demo(demo::DemoArgs),
    /// Generate a network at benchmark scale (400,000 people in 300 member companies by
    /// default) through the store's bulk paths.
    Generate(generate::GenerateArgs),
    /// Set up member companies, org units, people and API credentials.
    Admin {
        /// Print the result as JSON.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Import competency frameworks: ESCO for the network, CASE packages and own CSV files for a
    /// member company.
    Import {
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Measure Mycel: load a realistic volume of data and time requests against a server.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let listen = match &cli.command {
        Command::Serve { listen } => listen.clone(),
        Command::Demo(args) => args.listen.clone(),
        Command::Admin { .. }
        | Command::Import { .. }
        | Command::Bench { .. }
        | Command::Generate(_) => None,
    };
    let explicit_data_dir = cli.db.data_dir.is_some();
    let config_file = cli.db.config.clone();
    let overrides = Overrides {
        listen,
        data_dir: cli.db.data_dir.clone(),
        database_url: cli.db.database_url.clone(),
    };
    let config = match Config::load(cli.db.config.as_deref(), overrides) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("mycel: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("mycel: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve { .. } => serve::run(config).await,
            Command::Demo(args) => demo::run(config, explicit_data_dir, args).await,
            Command::Generate(args) => generate::run(config, args).await,
            Command::Admin { json, command } => admin::run(&config, command, json).await,
            Command::Import { command } => import::run(&config, command).await,
            Command::Bench { command } => {
                bench::run(config, explicit_data_dir, config_file, command).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mycel: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the configured store, creating the data directory for SQLite.
async fn open_store(config: &Config) -> anyhow::Result<std::sync::Arc<dyn mycel_store::Store>> {
    use anyhow::Context;
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
    }
    let url = config.database_url();
    mycel_store_sql::open(&url).await.with_context(|| {
        format!(
            "cannot open the database {}",
            mycel_store_sql::redact_url(&url)
        )
    })
}
