//! Inspects zip packages, prints the structure found (as `mycel import package` would), and times
//! inspection and extraction:
//!
//! ```text
//! cargo run -p mycel-package --release --example inspect -- [--ratio N] <package.zip>...
//! ```
//!
//! `--ratio N` sets the compression ratio limit (default 100:1), to time reading a bomb through.

use std::time::Instant;

use mycel_package::{inspect_bytes, PackageLimits};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut limits = PackageLimits::default();
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--ratio" {
            limits.max_compression_ratio = args.next().ok_or("--ratio needs a number")?.parse()?;
        } else {
            paths.push(arg);
        }
    }
    for path in paths {
        let bytes = std::fs::read(&path)?;
        let started = Instant::now();
        let result = inspect_bytes(&bytes, &limits);
        let inspect_time = started.elapsed();
        match result {
            Err(refusal) => println!("{path}: refused in {inspect_time:?}: {refusal}\n"),
            Ok(mut inspected) => {
                let dir = tempfile::tempdir()?;
                let started = Instant::now();
                inspected.extract_to(&dir.path().join("package"))?;
                let extract_time = started.elapsed();
                println!(
                    "{path}: inspected in {inspect_time:?}, extracted in {extract_time:?}\n{}",
                    inspected.package()
                );
            }
        }
    }
    Ok(())
}
