//! `mycel import …`: competency frameworks from their files (ESCO for the whole network, CASE
//! packages and tenants' own CSV files), and e-learning packages. Each import is one transaction: a file with errors imports
//! nothing, and every error is printed with file, line and column.

use crate::config::Config;
use anyhow::{bail, Context};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use mycel_app::competencies as comp;
use mycel_app::Acting;
use mycel_framework_import as read;
use mycel_store::competencies::{ImportProgress, ImportSummary};
use mycel_store::TenantScope;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// The ESCO classification (skills, knowledge, skill groups, occupations and their relations)
    /// for the whole network, from the official CSV zips.
    Esco {
        /// The classification zip (esco-v1.1.1-classification-en-csv.zip).
        classification: PathBuf,
        /// The relations zip (esco-v1.1.1-relations-csv.zip).
        relations: PathBuf,
        /// Classification zips in other languages, for their labels (repeatable).
        #[arg(long = "labels", value_name = "ZIP")]
        labels: Vec<PathBuf>,
        /// The version to record (default: from the classification zip's name).
        #[arg(long)]
        version: Option<String>,
    },
    /// A 1EdTech CASE 1.0/1.1 package (JSON) as a framework of one member company.
    Case {
        #[arg(long, value_name = "SLUG")]
        tenant: String,
        file: PathBuf,
    },
    /// A member company's own framework from CSV (see docs/competency-import.md).
    Competencies {
        #[arg(long, value_name = "SLUG")]
        tenant: String,
        file: PathBuf,
        /// The framework's code (default: the file name without extension); importing a file
        /// with the same code again updates that framework.
        #[arg(long)]
        code: Option<String>,
        /// The framework's title (default: the code).
        #[arg(long)]
        title: Option<String>,
    },
    /// An e-learning package for a member company: a zip with cmi5.xml or imsmanifest.xml, or a
    /// bare cmi5 course structure (a cmi5.xml whose AU URLs are all absolute), told by the file's
    /// bytes, not its name. Its structure is printed, its files stored, and a draft e-learning
    /// opportunity created. A refused package exits with the reason and stores nothing.
    Package {
        #[arg(long, value_name = "SLUG")]
        tenant: String,
        file: PathBuf,
    },
}

fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner().with_message(message.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Writes a framework with a progress bar on the terminal (hidden when output is not a terminal).
async fn store_import(
    config: &Config,
    owner: Option<&str>,
    import: &read::FrameworkImport,
) -> anyhow::Result<ImportSummary> {
    let store = crate::open_store(config).await?;
    let scope = match owner {
        Some(slug) => {
            let tenant = store
                .tenant_by_slug(slug)
                .await
                .with_context(|| format!("no member company {slug:?}"))?;
            Some(TenantScope::system(tenant.id))
        }
        None => None,
    };
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("writing");
    let progress = |p: ImportProgress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
    };
    let result = comp::import_framework(&*store, Acting::Operator, scope, import, &progress).await;
    bar.finish_and_clear();
    store.close().await;
    result.context("the import was refused; nothing was written")
}

fn print_summary(summary: &ImportSummary, started: Instant) {
    for link in &summary.unresolved_links {
        println!("note: a link to {link} was left out: no framework here has that item");
    }
    println!(
        "competencies: {} added, {} updated, {} now obsolete; relations: {}",
        summary.competencies_added,
        summary.competencies_updated,
        summary.competencies_obsolete,
        summary.relations
    );
    if summary.occupations_added + summary.occupations_updated + summary.occupations_obsolete > 0 {
        println!(
            "occupations: {} added, {} updated, {} now obsolete; occupation–competency relations: {}",
            summary.occupations_added,
            summary.occupations_updated,
            summary.occupations_obsolete,
            summary.occupation_requirements
        );
    }
    println!("done in {:.1} s", started.elapsed().as_secs_f64());
}

fn read_file(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

pub async fn run(config: &Config, command: ImportCommand) -> anyhow::Result<()> {
    let started = Instant::now();
    match command {
        ImportCommand::Esco {
            classification,
            relations,
            labels,
            version,
        } => {
            let reading = spinner("reading ESCO");
            let read = tokio::task::spawn_blocking(move || {
                read::read_esco_files(&classification, &relations, &labels, version.as_deref())
            })
            .await
            .context("reading ESCO failed")?;
            reading.finish_and_clear();
            let (import, esco) = match read {
                Ok(read) => read,
                Err(errors) => bail!("{errors}\nnothing was imported"),
            };
            println!(
                "ESCO {} ({}): {} skills, {} knowledge concepts, {} skill groups, {} occupations, {} occupation requirements",
                esco.version,
                esco.language,
                esco.skills,
                esco.knowledge,
                esco.skill_groups,
                esco.occupations,
                esco.requirements
            );
            for translation in &esco.translations {
                println!(
                    "labels in {} from {}: {} skills, {} skill groups, {} occupations",
                    translation.language,
                    translation.file,
                    translation.skills,
                    translation.skill_groups,
                    translation.occupations
                );
            }
            for warning in &esco.warnings {
                println!("note: {warning}");
            }
            let summary = store_import(config, None, &import).await?;
            print_summary(&summary, started);
            println!("{}", read::ESCO_ATTRIBUTION);
        }
        ImportCommand::Case { tenant, file } => {
            let data = read_file(&file)?;
            let (import, deviations) = match read::read_case(&data, &file.display().to_string()) {
                Ok(read) => read,
                Err(errors) => bail!("{errors}\nnothing was imported"),
            };
            for deviation in &deviations {
                println!("deviation: {deviation}");
            }
            println!(
                "CASE package {:?}: {} items, {} associations understood, {} deviations",
                import.uri,
                import.competencies.len(),
                import.relations.len(),
                deviations.len()
            );
            let summary = store_import(config, Some(&tenant), &import).await?;
            print_summary(&summary, started);
        }
        ImportCommand::Competencies {
            tenant,
            file,
            code,
            title,
        } => {
            let data = read_file(&file)?;
            let code = match code {
                Some(code) => code,
                None => file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .context("name the framework with --code")?,
            };
            let title = title.unwrap_or_else(|| code.clone());
            let import = match read::read_competency_csv(
                &data,
                &file.display().to_string(),
                &code,
                &title,
            ) {
                Ok(import) => import,
                Err(errors) => bail!("{errors}\nnothing was imported"),
            };
            let summary = store_import(config, Some(&tenant), &import).await?;
            print_summary(&summary, started);
        }
        ImportCommand::Package { tenant, file } => {
            let upload = read_file(&file)?;
            let store = crate::open_store(config).await?;
            let tenant = store
                .tenant_by_slug(&tenant)
                .await
                .with_context(|| format!("no member company {tenant:?}"))?;
            let catalogue =
                mycel_app::catalogue::Catalogue::detached(config.data_dir.join("content"))
                    .await
                    .context("cannot prepare the catalogue")?;
            let uploaded = mycel_app::packages::upload_package(
                &*store,
                &catalogue,
                Acting::Operator,
                TenantScope::system(tenant.id),
                None,
                upload,
            )
            .await;
            store.close().await;
            match uploaded {
                Ok(uploaded) => {
                    print!("{}", uploaded.structure);
                    if !uploaded.structure.ends_with('\n') {
                        println!();
                    }
                    println!(
                        "stored package {} ({}, {} files, {} bytes) in {:.1} s",
                        uploaded.package.id,
                        uploaded.package.kind,
                        uploaded.package.file_count,
                        uploaded.package.total_bytes,
                        started.elapsed().as_secs_f64()
                    );
                    println!(
                        "draft e-learning opportunity {}: complete and publish it in the catalogue",
                        uploaded.opportunity.id
                    );
                }
                Err(mycel_app::packages::UploadError::Refused(reason)) => {
                    bail!(
                        "{}: the package was refused: {reason}\nnothing was stored",
                        file.display()
                    )
                }
                Err(mycel_app::packages::UploadError::App(error)) => {
                    bail!("{}: {error}\nnothing was stored", file.display())
                }
            }
        }
    }
    Ok(())
}
