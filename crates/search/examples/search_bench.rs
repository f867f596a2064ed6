//! Benchmark of the catalogue search.
//!
//! `cargo run --release -p mycel-search --example search_bench -- --documents 100000`
//! Options: `--documents N` (100000), `--queries N` (2000), `--upserts N` (100), `--seed N` (42),
//! `--in-memory` (default: an index in a temporary directory, as in production).

use mycel_search::{benchmark, BenchConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = BenchConfig::default();
    let mut in_memory = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, Box<dyn std::error::Error>> {
            let value = args.next().ok_or(format!("{name} needs a number"))?;
            Ok(value.parse().map_err(|e| format!("{name} {value}: {e}"))?)
        };
        match arg.as_str() {
            "--documents" => config.documents = usize::try_from(number("--documents")?)?,
            "--queries" => config.queries = usize::try_from(number("--queries")?)?,
            "--upserts" => config.upserts = usize::try_from(number("--upserts")?)?,
            "--seed" => config.seed = number("--seed")?,
            "--in-memory" => in_memory = true,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let directory = tempfile::tempdir()?;
    if !in_memory {
        config.directory = Some(directory.path().join("index"));
    }
    println!(
        "mycel-search benchmark: {} opportunities, {} searches, {} upserts, seed {}, index {}",
        config.documents,
        config.queries,
        config.upserts,
        config.seed,
        if in_memory {
            "in memory"
        } else {
            "on disk (temporary directory)"
        }
    );
    let report = benchmark(&config)?;
    print!("{report}");
    Ok(())
}
