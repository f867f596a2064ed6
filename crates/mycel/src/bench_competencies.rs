//! `mycel bench competencies`: a benchmark of the competency engine at the scale DESIGN.md names
//! (400,000 people with 50 target competencies each).
//!
//! Phases, each timed: the ESCO import (reading the zips, then writing them); one generated
//! tenant written through the store's bulk paths (org units, people, role profiles from ESCO
//! occupations, role assignments, one stored estimate per person and target competency, real
//! evidence for a sample of people); one person's profile with live estimates and gaps; the
//! aggregated gaps of an org unit and of the whole tenant; the process's memory. Everything the
//! generator draws comes from `--seed`. The result is a Markdown report on standard output;
//! progress goes to standard error.

use super::{command_line, interrupted, ms, splitmix, Latencies};
use crate::config::Config;
use anyhow::{anyhow, bail, Context};
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use mycel_app::competencies as comp;
use mycel_app::organisation as ops;
use mycel_app::Acting;
use mycel_competency::gap::{GroupGapAggregator, GroupGaps};
use mycel_competency::scale::Level;
use mycel_competency::{Evidence, EvidenceKind, RequirementKind};
use mycel_demo_network::network_plan::{mail_name, CITIES, FIRST_NAMES, LAST_NAMES};
use mycel_organisation::{
    CompetencyId, EvidenceId, OrgUnitId, Person, PersonId, RoleAssignment, RoleAssignmentKind,
    RoleId,
};
use mycel_store::competencies::{
    EstimateRecord, ImportProgress, OccupationRecord, PeopleGroup, RoleRequirement,
};
use mycel_store::{NewOrgUnit, NewRole, Store, TenantScope};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct CompetencyArgs {
    /// People in the generated tenant.
    #[arg(long, default_value_t = 400_000, value_name = "N")]
    people: u32,
    /// People in the org unit (a region) whose aggregate is measured.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    unit_people: u32,
    /// Competencies in each role's profile, i.e. targets (and stored estimates) per person.
    #[arg(long, default_value_t = 50, value_name = "N")]
    competencies_per_person: u32,
    /// Seed of the generated tenant.
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,
    /// Profiles to compute (one person each).
    #[arg(long, default_value_t = 1_000, value_name = "N")]
    samples: u32,
    /// People who get real evidence (2–4 pieces per target competency), whose profiles are read.
    #[arg(long, default_value_t = 200, value_name = "N")]
    evidence_people: u32,
    /// Directory with the ESCO zips: `esco-*-classification-en-csv.zip`,
    /// `esco-*-relations-csv.zip`, and other languages' classification zips for their labels.
    #[arg(long, default_value = "../shared/data/esco", value_name = "DIR")]
    esco: PathBuf,
}

/// Roles in the tenant.
const ROLES: usize = 40;
/// People per store (its manager included).
const STORE_PEOPLE: u32 = 100;
/// People per region other than the measured one (its manager included).
const REGION_PEOPLE: u32 = 10_000;
/// People per `import_people` / `import_role_assignments` call.
const PEOPLE_PER_CALL: usize = 20_000;
/// People whose estimates go into one `put_estimates` call.
const ESTIMATE_PEOPLE_PER_CALL: usize = 1_000;
/// Runs of each aggregate.
const TEAM_RUNS: usize = 5;
const TENANT_RUNS: usize = 3;
/// Progress lines on standard error, at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

pub async fn run(
    mut config: Config,
    explicit_data_dir: bool,
    args: CompetencyArgs,
) -> anyhow::Result<()> {
    if args.people < 2 || args.unit_people == 0 || args.unit_people >= args.people {
        bail!("--unit-people must be at least 1 and less than --people (the root has one person)");
    }
    if !(1..=1000).contains(&args.competencies_per_person) {
        bail!("--competencies-per-person must be between 1 and 1000 (a role profile's limit)");
    }
    if args.samples == 0 || args.evidence_people == 0 || args.evidence_people > args.people {
        bail!("--samples and --evidence-people must be at least 1, and at most --people people");
    }
    // Default: a fresh SQLite database in a temporary directory, removed at the end.
    let temp = if config.database_url.is_none() && !explicit_data_dir {
        let dir = tempfile::Builder::new()
            .prefix("mycel-bench-")
            .tempdir()
            .context("cannot create a temporary directory")?;
        config.data_dir = dir.path().join("data");
        Some(dir)
    } else {
        None
    };
    let result = tokio::select! {
        result = competencies(&config, &args) => result,
        () = interrupted() => Err(anyhow!("interrupted")),
    };
    drop(temp);
    result
}

// ---------------------------------------------------------------------------------------------
// Reporting helpers
// ---------------------------------------------------------------------------------------------

/// Prints how far a long phase is to standard error, every few seconds.
struct Progress {
    what: &'static str,
    total: u64,
    done: u64,
    started: Instant,
    last: Instant,
}

impl Progress {
    fn new(what: &'static str, total: u64) -> Self {
        let now = Instant::now();
        Self {
            what,
            total,
            done: 0,
            started: now,
            last: now,
        }
    }

    fn advance(&mut self, rows: u64) {
        self.done += rows;
        if self.last.elapsed() >= PROGRESS_EVERY {
            self.last = Instant::now();
            let elapsed = self.started.elapsed().as_secs_f64();
            let rate = self.done as f64 / elapsed.max(1e-9);
            let left = (self.total.saturating_sub(self.done)) as f64 / rate.max(1e-9);
            eprintln!(
                "    {}: {} of {} ({:.0} %) in {elapsed:.0} s, {rate:.0}/s, about {left:.0} s left",
                self.what,
                self.done,
                self.total,
                self.done as f64 * 100.0 / self.total.max(1) as f64
            );
        }
    }

    fn seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }
}

/// One bulk phase: rows written in seconds.
#[derive(Debug, Clone)]
struct Bulk {
    name: &'static str,
    rows: u64,
    seconds: f64,
    note: String,
}

impl Bulk {
    fn rate(&self) -> f64 {
        self.rows as f64 / self.seconds.max(1e-9)
    }
}

fn print_bulk(bulk: &Bulk) {
    println!(
        "  {}: {} rows in {:.1} s = {:.0} rows/s{}",
        bulk.name,
        bulk.rows,
        bulk.seconds,
        bulk.rate(),
        if bulk.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", bulk.note)
        }
    );
}

fn seconds_of(runs: &[Duration]) -> (f64, f64, f64) {
    let mut sorted = runs.to_vec();
    sorted.sort();
    let s = |d: Option<&Duration>| d.map_or(0.0, Duration::as_secs_f64);
    (
        s(sorted.first()),
        s(sorted.get(sorted.len() / 2)),
        s(sorted.last()),
    )
}

/// Resident memory of this process in KiB: peak (VmHWM), current (VmRSS), and of the current its
/// own memory (RssAnon: heap, stacks) and file pages (RssFile: the binary, a memory-mapped
/// SQLite database).
#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    peak: u64,
    now: u64,
    anon: u64,
    file: u64,
}

fn memory() -> Memory {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Memory {
        peak: field("VmHWM:"),
        now: field("VmRSS:"),
        anon: field("RssAnon:"),
        file: field("RssFile:"),
    }
}

impl std::fmt::Display for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "VmHWM (peak) {:.1} MiB, VmRSS {:.1} MiB (RssAnon {:.1} MiB, RssFile {:.1} MiB)",
            mib(self.peak),
            mib(self.now),
            mib(self.anon),
            mib(self.file)
        )
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The database's size in bytes, and how it was measured.
fn database_size(config: &Config) -> (Option<u64>, String) {
    let url = config.database_url();
    if let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let path = rest.split('?').next().unwrap_or(rest);
        let mut total = 0;
        let mut parts = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            if let Ok(meta) = std::fs::metadata(&file) {
                total += meta.len();
                parts.push(format!(
                    "{}{suffix} {:.1} MiB",
                    if suffix.is_empty() { "file" } else { "" },
                    meta.len() as f64 / 1048576.0
                ));
            }
        }
        return (Some(total), parts.join(", "));
    }
    // PostgreSQL: the store has no such query, so ask psql (if installed).
    let output = std::process::Command::new("psql")
        .arg(&url)
        .arg("-Atc")
        .arg("SELECT pg_database_size(current_database())")
        .output();
    match output {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            match text.trim().parse() {
                Ok(bytes) => (Some(bytes), "pg_database_size (psql)".into()),
                Err(_) => (None, format!("psql answered {:?}", text.trim())),
            }
        }
        Ok(out) => (
            None,
            format!(
                "psql failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        ),
        Err(e) => (None, format!("cannot run psql: {e}")),
    }
}

/// PostgreSQL: `ANALYZE` through psql, as autovacuum would after such a load (this project's
/// server runs with autovacuum off). Without statistics the planner reads a list of person ids
/// by scanning the tenant's whole index (docs/performance.md). Returns seconds taken, or why not.
fn analyze(config: &Config) -> Result<f64, String> {
    let began = Instant::now();
    let output = std::process::Command::new("psql")
        .arg(config.database_url())
        .arg("-qc")
        .arg("ANALYZE")
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if output.status.success() {
        Ok(began.elapsed().as_secs_f64())
    } else {
        Err(format!(
            "psql failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Phase a: ESCO
// ---------------------------------------------------------------------------------------------

/// The classification zip (English), the relations zip and other languages' classification zips.
fn esco_files(dir: &Path) -> anyhow::Result<(PathBuf, PathBuf, Vec<PathBuf>)> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the ESCO directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "zip"))
        .collect();
    names.sort();
    let name = |p: &PathBuf| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let classification = names
        .iter()
        .find(|p| name(p).contains("classification-en"))
        .cloned()
        .with_context(|| format!("no esco-*-classification-en-csv.zip in {}", dir.display()))?;
    let relations = names
        .iter()
        .find(|p| name(p).contains("relations"))
        .cloned()
        .with_context(|| format!("no esco-*-relations-csv.zip in {}", dir.display()))?;
    let labels = names
        .iter()
        .filter(|p| name(p).contains("classification-") && **p != classification)
        .cloned()
        .collect();
    Ok((classification, relations, labels))
}

struct EscoResult {
    read_seconds: f64,
    write: Bulk,
    competencies: u64,
    occupations: u64,
    requirements: u64,
}

async fn esco(store: &dyn Store, dir: &Path) -> anyhow::Result<EscoResult> {
    let (classification, relations, labels) = esco_files(dir)?;
    println!(
        "ESCO import: {}, {}, labels from {}",
        classification.display(),
        relations.display(),
        labels
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let began = Instant::now();
    let read = tokio::task::spawn_blocking(move || {
        mycel_framework_import::read_esco_files(&classification, &relations, &labels, None)
    })
    .await
    .context("reading ESCO failed")?;
    let (import, summary) = read.map_err(|errors| anyhow!("reading ESCO failed: {errors}"))?;
    let read_seconds = began.elapsed().as_secs_f64();
    println!(
        "  read in {read_seconds:.1} s: ESCO {} ({} skills, {} knowledge, {} skill groups, {} occupations, {} requirements)",
        summary.version,
        summary.skills,
        summary.knowledge,
        summary.skill_groups,
        summary.occupations,
        summary.requirements
    );
    let last = Mutex::new((Instant::now(), ImportProgress { done: 0, total: 0 }));
    let progress = |p: ImportProgress| {
        if let Ok(mut last) = last.lock() {
            last.1 = p;
            if last.0.elapsed() >= PROGRESS_EVERY {
                last.0 = Instant::now();
                eprintln!("    ESCO write: {} of {} rows", p.done, p.total);
            }
        }
    };
    let began = Instant::now();
    let written = comp::import_framework(store, Acting::Operator, None, &import, &progress)
        .await
        .context("writing ESCO failed")?;
    let seconds = began.elapsed().as_secs_f64();
    let rows = last.lock().map(|l| l.1.total).unwrap_or(0);
    let write = Bulk {
        name: "ESCO write (one transaction)",
        rows,
        seconds,
        note: "competencies, labels, relations, occupations, their labels and requirements".into(),
    };
    print_bulk(&write);
    Ok(EscoResult {
        read_seconds,
        write,
        competencies: written.competencies_added + written.competencies_updated,
        occupations: written.occupations_added + written.occupations_updated,
        requirements: written.occupation_requirements,
    })
}

// ---------------------------------------------------------------------------------------------
// Phase b: the generated tenant
// ---------------------------------------------------------------------------------------------

/// Where a generated person sits: their org unit, manager and role.
#[derive(Debug, Clone, Copy)]
struct Seat {
    unit: OrgUnitId,
    manager: Option<u32>,
    role: u16,
}

/// A generated person: a deterministic, time-ordered (UUID v7) id, so that the same seed gives the
/// same ids and rows are written in key order.
fn generated_id(seed: u64, index: u32) -> PersonId {
    const JANUARY_2025_MS: u64 = 1_735_689_600_000;
    let random = splitmix(seed ^ 0xC0FF_EE00 ^ u64::from(index)).to_le_bytes();
    let mut bytes = [0u8; 10];
    bytes[..8].copy_from_slice(&random);
    PersonId::from_uuid(
        uuid::Builder::from_unix_timestamp_millis(JANUARY_2025_MS + u64::from(index), &bytes)
            .into_uuid(),
    )
}

fn person(scope: TenantScope, seed: u64, index: u32, seat: Seat, at: DateTime<Utc>) -> Person {
    let first = FIRST_NAMES[index as usize % FIRST_NAMES.len()];
    let last = LAST_NAMES[(splitmix(seed ^ u64::from(index)) % LAST_NAMES.len() as u64) as usize];
    Person {
        tenant_id: scope.tenant_id(),
        id: generated_id(seed, index),
        display_name: format!("{first} {last}"),
        email: Some(format!(
            "{}.{}.{index}@handel-nord.example",
            mail_name(first),
            mail_name(last)
        )),
        org_unit_id: Some(seat.unit),
        manager_id: seat.manager.map(|m| generated_id(seed, m)),
        locale: index.is_multiple_of(4).then(|| "de".to_owned()),
        created_at: at,
    }
}

/// The org-unit tree and everyone's seat in it.
struct Organisation {
    seats: Vec<Seat>,
    units: usize,
    regions: usize,
    stores: usize,
    /// The region of exactly `--unit-people` people.
    measured_unit: OrgUnitId,
}

/// The company: a root unit with the CEO; regions of 10,000 people (the first of exactly
/// `--unit-people`), each with its manager in the region's own unit and stores of 100 below it,
/// each store with its manager. Store managers report to their region's manager, who reports to
/// the CEO.
async fn organisation(
    store: &dyn Store,
    scope: TenantScope,
    args: &CompetencyArgs,
    rng: &mut StdRng,
) -> anyhow::Result<Organisation> {
    let mut units = 0;
    let mut create = |parent: Option<OrgUnitId>, name: String| {
        units += 1;
        async move {
            store
                .create_org_unit(
                    scope,
                    NewOrgUnit {
                        parent_id: parent,
                        name,
                    },
                )
                .await
                .map(|u| u.id)
                .context("cannot create an org unit")
        }
    };
    let root = create(None, "Handel Nord eG".into()).await?;
    let mut seats = Vec::with_capacity(args.people as usize);
    let ceo = 0u32;
    seats.push(Seat {
        unit: root,
        manager: None,
        role: 0,
    });
    let mut region_sizes = vec![args.unit_people];
    let mut rest = args.people - 1 - args.unit_people;
    while rest > 0 {
        let size = rest.min(REGION_PEOPLE);
        region_sizes.push(size);
        rest -= size;
    }
    let mut stores = 0;
    let mut measured_unit = root;
    let mut progress = Progress::new("org units", 1 + region_sizes.len() as u64);
    for (r, size) in region_sizes.iter().enumerate() {
        let city = CITIES[r % CITIES.len()];
        let region = create(Some(root), format!("Region {city} {}", r + 1)).await?;
        if r == 0 {
            measured_unit = region;
        }
        let region_manager = seats.len() as u32;
        seats.push(Seat {
            unit: region,
            manager: Some(ceo),
            role: 1,
        });
        let mut left = size - 1;
        let mut number = 0;
        while left > 0 {
            number += 1;
            stores += 1;
            let shop = create(Some(region), format!("Markt {city} {}-{number}", r + 1)).await?;
            let here = left.min(STORE_PEOPLE);
            let store_manager = seats.len() as u32;
            seats.push(Seat {
                unit: shop,
                manager: Some(region_manager),
                role: 2,
            });
            for _ in 1..here {
                seats.push(Seat {
                    unit: shop,
                    manager: Some(store_manager),
                    role: rng.gen_range(3..ROLES as u16),
                });
            }
            left -= here;
        }
        progress.advance(1);
    }
    Ok(Organisation {
        seats,
        units,
        regions: region_sizes.len(),
        stores,
        measured_unit,
    })
}

/// Role profiles from ESCO occupations: role `i` takes the requirements of an occupation drawn
/// from the seed (essential ones required, optional ones desired), topped up with other skills
/// that occupations need (desired) to `--competencies-per-person`.
async fn role_profiles(
    store: &dyn Store,
    scope: TenantScope,
    args: &CompetencyArgs,
    rng: &mut StdRng,
) -> anyhow::Result<(Vec<RoleId>, Vec<Vec<RoleRequirement>>)> {
    let occupations = store
        .search_occupations(scope, "", 200)
        .await
        .context("cannot list ESCO occupations")?;
    if occupations.len() < ROLES {
        bail!(
            "only {} occupations found: import ESCO first",
            occupations.len()
        );
    }
    let mut needs: Vec<(OccupationRecord, Vec<(CompetencyId, RequirementKind)>)> = Vec::new();
    let mut pool = BTreeSet::new();
    for occupation in occupations {
        let requirements = store
            .occupation_requirements(scope, occupation.id)
            .await
            .context("cannot read an occupation's requirements")?;
        pool.extend(requirements.iter().map(|(c, _)| *c));
        needs.push((occupation, requirements));
    }
    let pool: Vec<CompetencyId> = pool.into_iter().collect();
    let wanted = args.competencies_per_person as usize;
    if pool.len() < wanted {
        bail!(
            "the occupations need only {} competencies, fewer than --competencies-per-person",
            pool.len()
        );
    }
    needs.shuffle(rng);
    let mut roles = Vec::with_capacity(ROLES);
    let mut profiles = Vec::with_capacity(ROLES);
    let mut names = BTreeSet::new();
    for (occupation, requirements) in needs.into_iter().take(ROLES) {
        let label = occupation
            .labels
            .get("de")
            .or_else(|| occupation.labels.get("en"))
            .map_or_else(|| occupation.uri.clone(), |l| l.preferred.clone());
        let mut name: String = label.chars().take(150).collect();
        if !names.insert(name.clone()) {
            name = format!("{name} ({})", roles.len() + 1);
            names.insert(name.clone());
        }
        let role = store
            .create_role(
                scope,
                NewRole {
                    name,
                    description: Some(format!("ESCO: {}", occupation.uri)),
                },
            )
            .await
            .context("cannot create a role")?;
        let mut lines = requirements;
        lines.shuffle(rng);
        lines.truncate(wanted);
        let mut taken: BTreeSet<CompetencyId> = lines.iter().map(|(c, _)| *c).collect();
        while lines.len() < wanted {
            let c = pool[rng.gen_range(0..pool.len())];
            if taken.insert(c) {
                lines.push((c, RequirementKind::Desired));
            }
        }
        let profile: Vec<RoleRequirement> = lines
            .into_iter()
            .map(|(competency_id, kind)| {
                let target = match kind {
                    RequirementKind::Required => rng.gen_range(2..=4),
                    RequirementKind::Desired => rng.gen_range(1..=3),
                };
                RoleRequirement {
                    competency_id,
                    kind,
                    target: Level::new(f64::from(target)).unwrap_or(Level::ZERO),
                }
            })
            .collect();
        comp::set_role_profile(store, Acting::Operator, scope, role.id, &profile)
            .await
            .context("cannot set a role profile")?;
        roles.push(role.id);
        profiles.push(profile);
    }
    Ok((roles, profiles))
}

fn level(value: f64) -> Level {
    Level::new(((value.clamp(0.0, 4.0)) * 100.0).round() / 100.0).unwrap_or(Level::ZERO)
}

/// The generated tenant, as far as the later phases need it.
struct Tenant {
    scope: TenantScope,
    people: u32,
    measured_unit: OrgUnitId,
    evidence_people: Vec<PersonId>,
    bulk: Vec<Bulk>,
    units: usize,
    regions: usize,
    stores: usize,
    evidence_rows: u64,
}

async fn generate(
    store: &dyn Store,
    scope: TenantScope,
    args: &CompetencyArgs,
) -> anyhow::Result<Tenant> {
    let mut rng = StdRng::seed_from_u64(splitmix(args.seed ^ 0xB0B));
    let now = Utc::now().trunc_subsecs(6);
    let mut bulk = Vec::new();

    let began = Instant::now();
    let org = organisation(store, scope, args, &mut rng).await?;
    bulk.push(Bulk {
        name: "org units (one by one, create_org_unit)",
        rows: org.units as u64,
        seconds: began.elapsed().as_secs_f64(),
        note: format!("1 root, {} regions, {} stores", org.regions, org.stores),
    });
    print_bulk(&bulk[bulk.len() - 1]);

    let total = org.seats.len();
    let mut progress = Progress::new("people", total as u64);
    let created_at = now - chrono::Duration::days(400);
    for start in (0..total).step_by(PEOPLE_PER_CALL) {
        let end = (start + PEOPLE_PER_CALL).min(total);
        let batch: Vec<Person> = (start..end)
            .map(|i| person(scope, args.seed, i as u32, org.seats[i], created_at))
            .collect();
        store
            .import_people(scope, &batch)
            .await
            .context("import_people failed")?;
        progress.advance(batch.len() as u64);
    }
    bulk.push(Bulk {
        name: "people (import_people)",
        rows: total as u64,
        seconds: progress.seconds(),
        note: format!("{PEOPLE_PER_CALL} per call, rows of 400"),
    });
    print_bulk(&bulk[bulk.len() - 1]);

    let began = Instant::now();
    let (roles, profiles) = role_profiles(store, scope, args, &mut rng).await?;
    bulk.push(Bulk {
        name: "roles and their profiles (create_role, set_role_profile)",
        rows: profiles.iter().map(|p| p.len() as u64).sum(),
        seconds: began.elapsed().as_secs_f64(),
        note: format!(
            "{} roles from ESCO occupations, {} lines each",
            roles.len(),
            args.competencies_per_person
        ),
    });
    print_bulk(&bulk[bulk.len() - 1]);

    let mut progress = Progress::new("role assignments", total as u64);
    for start in (0..total).step_by(PEOPLE_PER_CALL) {
        let end = (start + PEOPLE_PER_CALL).min(total);
        let batch: Vec<RoleAssignment> = (start..end)
            .map(|i| RoleAssignment {
                tenant_id: scope.tenant_id(),
                person_id: generated_id(args.seed, i as u32),
                role_id: roles[org.seats[i].role as usize],
                kind: RoleAssignmentKind::Current,
                assigned_at: created_at,
            })
            .collect();
        store
            .import_role_assignments(scope, &batch)
            .await
            .context("import_role_assignments failed")?;
        progress.advance(batch.len() as u64);
    }
    bulk.push(Bulk {
        name: "role assignments (import_role_assignments)",
        rows: total as u64,
        seconds: progress.seconds(),
        note: format!("{PEOPLE_PER_CALL} per call, one current role each"),
    });
    print_bulk(&bulk[bulk.len() - 1]);

    // One estimate per person and target competency: most people somewhat below their targets.
    let per_person = args.competencies_per_person as u64;
    let mut progress = Progress::new("estimates", total as u64 * per_person);
    for start in (0..total).step_by(ESTIMATE_PEOPLE_PER_CALL) {
        let end = (start + ESTIMATE_PEOPLE_PER_CALL).min(total);
        let mut batch = Vec::with_capacity((end - start) * per_person as usize);
        for i in start..end {
            let person_id = generated_id(args.seed, i as u32);
            for requirement in &profiles[org.seats[i].role as usize] {
                batch.push(EstimateRecord {
                    person_id,
                    competency_id: requirement.competency_id,
                    level: level(requirement.target.value() - rng.gen_range(-1.0..2.0)),
                    confidence: (rng.gen_range(0.2..0.95_f64) * 1000.0).round() / 1000.0,
                    evidence_count: rng.gen_range(1..=6),
                    computed_at: now,
                });
            }
        }
        store
            .put_estimates(scope, &batch)
            .await
            .context("put_estimates failed")?;
        progress.advance(batch.len() as u64);
    }
    bulk.push(Bulk {
        name: "estimates (put_estimates)",
        rows: total as u64 * per_person,
        seconds: progress.seconds(),
        note: format!(
            "{} rows per call, rows of 400",
            ESTIMATE_PEOPLE_PER_CALL as u64 * per_person
        ),
    });
    print_bulk(&bulk[bulk.len() - 1]);

    // Real evidence for a sample spread over the company (the measured region included), then
    // their estimates recomputed from it as the app does when evidence arrives.
    let step = (total / args.evidence_people as usize).max(1);
    let sample: Vec<usize> = (0..args.evidence_people as usize)
        .map(|k| (1 + k * step) % total)
        .collect();
    const KINDS: [EvidenceKind; 7] = [
        EvidenceKind::SelfAssessment,
        EvidenceKind::ManagerAssessment,
        EvidenceKind::PeerAssessment,
        EvidenceKind::TrainerAssessment,
        EvidenceKind::TestResult,
        EvidenceKind::Statement,
        EvidenceKind::Credential,
    ];
    let mut progress = Progress::new("evidence", sample.len() as u64 * per_person * 3);
    let mut evidence_rows = 0u64;
    for &i in &sample {
        let person_id = generated_id(args.seed, i as u32);
        let manager = org.seats[i].manager.map(|m| generated_id(args.seed, m));
        let mut evidence = Vec::new();
        for requirement in &profiles[org.seats[i].role as usize] {
            let true_level = requirement.target.value() - rng.gen_range(-1.0..2.0);
            for _ in 0..rng.gen_range(2..=4) {
                let kind = KINDS[rng.gen_range(0..KINDS.len())];
                let observed_at = now - chrono::Duration::hours(rng.gen_range(1..2 * 365 * 24));
                let id = EvidenceId::generate();
                evidence.push(Evidence {
                    id,
                    person_id,
                    competency_id: requirement.competency_id,
                    kind,
                    level: level(true_level + rng.gen_range(-0.5..0.5)),
                    observed_at,
                    author_id: match kind {
                        EvidenceKind::SelfAssessment => Some(person_id),
                        EvidenceKind::ManagerAssessment => manager,
                        _ => None,
                    },
                    source: format!("bench: {}", kind.as_str()),
                    link: match kind {
                        EvidenceKind::Statement => Some(format!(
                            "https://learn.handel-nord.example/xapi/statements?statementId={}",
                            id.as_uuid()
                        )),
                        _ => None,
                    },
                    note: None,
                    recorded_at: observed_at + chrono::Duration::minutes(5),
                });
            }
        }
        evidence_rows += evidence.len() as u64;
        store
            .add_evidence(scope, &evidence)
            .await
            .context("add_evidence failed")?;
        progress.advance(evidence.len() as u64);
    }
    bulk.push(Bulk {
        name: "evidence (add_evidence)",
        rows: evidence_rows,
        seconds: progress.seconds(),
        note: format!(
            "{} people, one call each, 2–4 pieces per target competency",
            sample.len()
        ),
    });
    print_bulk(&bulk[bulk.len() - 1]);

    let mut progress = Progress::new("estimates from evidence", sample.len() as u64 * per_person);
    for &i in &sample {
        let competencies: Vec<CompetencyId> = profiles[org.seats[i].role as usize]
            .iter()
            .map(|r| r.competency_id)
            .collect();
        comp::refresh_estimates_of(
            store,
            scope,
            generated_id(args.seed, i as u32),
            &competencies,
        )
        .await
        .context("refreshing estimates failed")?;
        progress.advance(competencies.len() as u64);
    }
    bulk.push(Bulk {
        name: "estimates from evidence (refresh_estimates_of)",
        rows: sample.len() as u64 * per_person,
        seconds: progress.seconds(),
        note: "per competency: read its evidence, estimate, then one put_estimates per person"
            .into(),
    });
    print_bulk(&bulk[bulk.len() - 1]);

    Ok(Tenant {
        scope,
        people: total as u32,
        measured_unit: org.measured_unit,
        evidence_people: sample
            .iter()
            .map(|&i| generated_id(args.seed, i as u32))
            .collect(),
        bulk,
        units: org.units,
        regions: org.regions,
        stores: org.stores,
        evidence_rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Phases c–e: reading
// ---------------------------------------------------------------------------------------------

struct ProfileResult {
    latencies: Latencies,
    evidence: u64,
    gaps: u64,
    open_gaps: u64,
}

async fn profiles(
    store: &dyn Store,
    tenant: &Tenant,
    args: &CompetencyArgs,
) -> anyhow::Result<ProfileResult> {
    let mut rng = StdRng::seed_from_u64(splitmix(args.seed ^ 0x9F0F));
    let mut result = ProfileResult {
        latencies: Latencies::default(),
        evidence: 0,
        gaps: 0,
        open_gaps: 0,
    };
    let mut progress = Progress::new("profiles", u64::from(args.samples));
    for _ in 0..args.samples {
        let person = tenant.evidence_people[rng.gen_range(0..tenant.evidence_people.len())];
        let began = Instant::now();
        let profile = comp::profile(store, Acting::Operator, tenant.scope, person, "benchmark")
            .await
            .context("profile failed")?;
        result.latencies.0.push(began.elapsed());
        result.evidence += profile
            .entries
            .values()
            .map(|e| e.evidence.len() as u64)
            .sum::<u64>();
        result.gaps += profile.gaps.len() as u64;
        result.open_gaps += profile.gaps.iter().filter(|g| !g.met()).count() as u64;
        progress.advance(1);
    }
    Ok(result)
}

struct AggregateResult {
    runs: Vec<Duration>,
    people: u32,
    rows: usize,
    withheld: u32,
}

async fn aggregates(
    store: &dyn Store,
    scope: TenantScope,
    group: PeopleGroup,
    runs: usize,
    what: &str,
) -> anyhow::Result<AggregateResult> {
    let mut result = AggregateResult {
        runs: Vec::new(),
        people: 0,
        rows: 0,
        withheld: 0,
    };
    for run in 1..=runs {
        let began = Instant::now();
        let report = comp::group_gaps(store, Acting::Operator, scope, group)
            .await
            .with_context(|| format!("{what}: group_gaps failed"))?;
        let took = began.elapsed();
        result.runs.push(took);
        match report.gaps {
            GroupGaps::Report(report) => {
                result.people = report.people;
                result.rows = report.competencies.len();
                result.withheld = report.withheld_competencies;
            }
            GroupGaps::Suppressed { people, .. } => result.people = people,
        }
        eprintln!(
            "    {what} run {run}: {:.2} s ({} people, {} competencies)",
            took.as_secs_f64(),
            result.people,
            result.rows
        );
    }
    Ok(result)
}

/// The store's paging and the aggregator timed apart: the loop of
/// `mycel_app::competencies::aggregate`, with a clock around each part.
struct SplitResult {
    store_seconds: f64,
    aggregator_seconds: f64,
    pages: u64,
    estimates: u64,
    targets: u64,
}

async fn split_aggregate(store: &dyn Store, scope: TenantScope) -> anyhow::Result<SplitResult> {
    const PAGE: u32 = 2000;
    let mut result = SplitResult {
        store_seconds: 0.0,
        aggregator_seconds: 0.0,
        pages: 0,
        estimates: 0,
        targets: 0,
    };
    let mut aggregator = GroupGapAggregator::new();
    let mut after = None;
    let mut last_print = Instant::now();
    loop {
        let began = Instant::now();
        let page = store
            .group_competencies(scope, PeopleGroup::Tenant, after, PAGE)
            .await
            .context("group_competencies failed")?;
        result.store_seconds += began.elapsed().as_secs_f64();
        let Some(last) = page.last() else {
            break;
        };
        after = Some(last.person_id);
        result.pages += 1;
        let began = Instant::now();
        for person in &page {
            result.targets += person.targets.len() as u64;
            result.estimates += person.estimates.len() as u64;
            let mut member = aggregator.member(person.shared);
            for (competency, target) in &person.targets {
                let estimate = person
                    .estimates
                    .iter()
                    .find(|(c, _, _)| c == competency)
                    .map(|(_, level, _)| *level);
                member.add(*competency, *target, estimate);
            }
        }
        result.aggregator_seconds += began.elapsed().as_secs_f64();
        if last_print.elapsed() >= PROGRESS_EVERY {
            last_print = Instant::now();
            eprintln!(
                "    split run: {} pages, {} people, store {:.1} s, aggregator {:.1} s",
                result.pages,
                aggregator.people(),
                result.store_seconds,
                result.aggregator_seconds
            );
        }
    }
    let began = Instant::now();
    let _ = aggregator.finish(5);
    result.aggregator_seconds += began.elapsed().as_secs_f64();
    Ok(result)
}

// ---------------------------------------------------------------------------------------------
// The whole run
// ---------------------------------------------------------------------------------------------

async fn competencies(config: &Config, args: &CompetencyArgs) -> anyhow::Result<()> {
    let started_at = Utc::now();
    let load_before = load_average();
    let store = crate::open_store(config).await?;
    let backend = store.backend();
    println!(
        "mycel bench competencies: {backend}, {} people, {} in the measured org unit, {} competencies per person, seed {}",
        args.people, args.unit_people, args.competencies_per_person, args.seed
    );
    if config.database_url.is_none() {
        println!("  SQLite database in {}", config.data_dir.display());
    }

    // a. ESCO
    let esco = esco(&*store, &args.esco).await?;
    let after_esco = memory();
    println!("  memory: {after_esco}");

    // b. The tenant (random slug, so that a PostgreSQL database can take several runs).
    let op = Acting::Operator;
    let slug = format!("bench-{:08x}", rand::thread_rng().gen::<u32>());
    ops::create_tenant(&*store, op, &slug, "Benchmark Handel Nord eG")
        .await
        .context("cannot create the benchmark tenant")?;
    let (_, scope) = ops::enter_tenant(&*store, op, &slug).await?;
    println!("generating tenant {slug}");
    let tenant = generate(&*store, scope, args).await?;
    let analyzed = match backend {
        "postgres" => {
            println!("ANALYZE (psql), as autovacuum would after this load");
            let analyzed = analyze(config);
            match &analyzed {
                Ok(seconds) => println!("  done in {seconds:.1} s"),
                Err(why) => println!("  not done: {why}"),
            }
            Some(analyzed)
        }
        _ => None,
    };
    let (size, size_how) = database_size(config);
    println!(
        "  database size: {} ({size_how})",
        size.map_or("unknown".into(), |b| format!(
            "{:.1} MiB",
            b as f64 / 1048576.0
        ))
    );

    // c. One person's profile.
    println!(
        "profiles: {} calls of competencies::profile for people with evidence",
        args.samples
    );
    let profile = profiles(&*store, &tenant, args).await?;
    let n = profile.latencies.0.len().max(1) as f64;
    println!(
        "  p50 {} ms, p99 {} ms, max {} ms ({:.0} evidence and {:.1} gaps, {:.1} open, per profile)",
        ms(profile.latencies.percentile(50)),
        ms(profile.latencies.percentile(99)),
        ms(profile.latencies.max()),
        profile.evidence as f64 / n,
        profile.gaps as f64 / n,
        profile.open_gaps as f64 / n
    );

    // d. The measured org unit.
    println!(
        "team aggregate: group_gaps(OrgUnit) over {} people, {TEAM_RUNS} runs",
        args.unit_people
    );
    let team = aggregates(
        &*store,
        scope,
        PeopleGroup::OrgUnit(tenant.measured_unit),
        TEAM_RUNS,
        "org unit",
    )
    .await?;
    let (min, median, max) = seconds_of(&team.runs);
    println!("  min {min:.3} s, median {median:.3} s, max {max:.3} s");

    // e. The whole tenant.
    println!(
        "tenant aggregate: group_gaps(Tenant) over {} people, {TENANT_RUNS} runs",
        tenant.people
    );
    let whole = aggregates(&*store, scope, PeopleGroup::Tenant, TENANT_RUNS, "tenant").await?;
    let (t_min, t_median, t_max) = seconds_of(&whole.runs);
    println!("  min {t_min:.2} s, median {t_median:.2} s, max {t_max:.2} s");
    println!("  one more run with the store's paging and the aggregator timed apart");
    let split = split_aggregate(&*store, scope).await?;
    println!(
        "  store (group_competencies, {} pages) {:.2} s, aggregator {:.2} s",
        split.pages, split.store_seconds, split.aggregator_seconds
    );

    // f. Memory.
    let at_end = memory();
    println!("memory: {at_end}");
    let load_after = load_average();
    store.close().await;

    // The report.
    let mut out = String::new();
    out.push_str(&format!(
        "\n## mycel bench competencies — {backend}, {} people × {} competencies\n\n",
        tenant.people, args.competencies_per_person
    ));
    out.push_str(&format!(
        "- started {}; {} CPUs available; load average {load_before} at the start, {load_after} at the end\n",
        started_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    ));
    out.push_str(&format!(
        "- ESCO: read {:.1} s; written {:.1} s ({} rows, {:.0} rows/s): {} competencies, {} occupations, {} occupation requirements\n",
        esco.read_seconds,
        esco.write.seconds,
        esco.write.rows,
        esco.write.rate(),
        esco.competencies,
        esco.occupations,
        esco.requirements
    ));
    out.push_str(&format!(
        "- tenant: {} org units ({} regions, {} stores), {} people, {ROLES} roles, {} evidence rows for {} people\n",
        tenant.units,
        tenant.regions,
        tenant.stores,
        tenant.people,
        tenant.evidence_rows,
        tenant.evidence_people.len()
    ));
    out.push_str(&format!(
        "- database size after generating: {} ({size_how})\n\n",
        size.map_or("unknown".into(), |b| format!(
            "{:.1} MiB",
            b as f64 / 1048576.0
        ))
    ));
    match &analyzed {
        Some(Ok(seconds)) => out.push_str(&format!(
            "- then `ANALYZE` through psql ({seconds:.1} s), as autovacuum would after such a load\n\n"
        )),
        Some(Err(why)) => out.push_str(&format!("- `ANALYZE` failed ({why}): the reading phases ran without statistics\n\n")),
        None => {}
    }
    out.push_str("| generating (through the store) | rows | seconds | rows/s | how |\n");
    out.push_str("|---|---:|---:|---:|---|\n");
    for b in &tenant.bulk {
        out.push_str(&format!(
            "| {} | {} | {:.1} | {:.0} | {} |\n",
            b.name,
            b.rows,
            b.seconds,
            b.rate(),
            b.note
        ));
    }
    out.push_str("\n| reading | runs | p50 / median | p99 | min | max |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|\n");
    out.push_str(&format!(
        "| one person's profile with gaps (`competencies::profile`; {:.0} evidence, {:.0} gaps each), ms | {} | {} | {} | {} | {} |\n",
        profile.evidence as f64 / n,
        profile.gaps as f64 / n,
        profile.latencies.0.len(),
        ms(profile.latencies.percentile(50)),
        ms(profile.latencies.percentile(99)),
        ms(profile.latencies.0.iter().min().copied().unwrap_or_default()),
        ms(profile.latencies.max())
    ));
    out.push_str(&format!(
        "| org unit of {} people (`group_gaps`, OrgUnit; {} competencies shown), s | {} | {median:.3} | | {min:.3} | {max:.3} |\n",
        team.people,
        team.rows,
        team.runs.len()
    ));
    out.push_str(&format!(
        "| whole tenant, {} people (`group_gaps`, Tenant; {} competencies shown, {} withheld), s | {} | {t_median:.2} | | {t_min:.2} | {t_max:.2} |\n",
        whole.people,
        whole.rows,
        whole.withheld,
        whole.runs.len()
    ));
    out.push_str(&format!(
        "\nTenant aggregate, one more run timed apart: the store's paging (`group_competencies`, {} pages of 2,000 people, {} targets and {} estimates read) {:.2} s, the aggregator {:.2} s.\n",
        split.pages, split.targets, split.estimates, split.store_seconds, split.aggregator_seconds
    ));
    out.push_str(&format!(
        "\nMemory of the benchmark process (store and app; PostgreSQL's server processes not included): after the ESCO import {after_esco}; at the end {at_end}.\n"
    ));
    out.push_str(&format!("\nCommand: `{}`\n", command_line()));
    println!("{out}");
    Ok(())
}
