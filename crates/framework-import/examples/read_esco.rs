//! Reads ESCO zips and prints what was read and how long it took:
//!
//! ```sh
//! cargo run -p mycel-framework-import --release --example read_esco -- \
//!     ../shared/data/esco/esco-v1.1.1-classification-en-csv.zip \
//!     ../shared/data/esco/esco-v1.1.1-relations-csv.zip \
//!     ../shared/data/esco/esco-v1.2.1-classification-de-partial-csv.zip
//! ```

use mycel_framework_import::read_esco_files;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [classification, relations, others @ ..] = paths.as_slice() else {
        eprintln!("usage: read_esco CLASSIFICATION.zip RELATIONS.zip [OTHER-LANGUAGE.zip ...]");
        return ExitCode::FAILURE;
    };
    let started = Instant::now();
    match read_esco_files(classification, relations, others, None) {
        Ok((framework, summary)) => {
            let elapsed = started.elapsed();
            println!(
                "ESCO {}: {} skills, {} knowledge, {} skill groups, {} occupations, {} requirements, {} relations",
                framework.version,
                summary.skills,
                summary.knowledge,
                summary.skill_groups,
                summary.occupations,
                summary.requirements,
                framework.relations.len()
            );
            for warning in &summary.warnings {
                println!("note: {warning}");
            }
            println!("read in {elapsed:?}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}
